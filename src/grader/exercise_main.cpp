// The main of every chapter's exercise tests: Catch2's, plus the `grade` reporter the
// grader reads. It writes one JSON object per line: {"event": "start"} as each test case
// starts, {"event": "case"} with its result as it ends, then
// {"event": "end"} when the run is complete, so a run that crashes or is stopped still
// leaves the results of the exercises before it.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#include <chrono>

#include <nlohmann/json.hpp>

namespace {

std::string describe_failure(const Catch::AssertionStats& stats)
{
    const Catch::AssertionResult& r = stats.assertionResult;
    std::string text;
    switch (r.getResultType()) {
    case Catch::ResultWas::ExpressionFailed:
        text = r.getExpressionInMacro() + " failed";
        if (r.hasExpandedExpression() && r.getExpandedExpression() != r.getExpression()) {
            text += ", with: " + r.getExpandedExpression();
        }
        break;
    case Catch::ResultWas::ThrewException:
        text = r.getMessage();
        break;
    case Catch::ResultWas::FatalErrorCondition:
        text = "crashed: " + r.getMessage();
        break;
    case Catch::ResultWas::DidntThrowException:
        text = r.getExpressionInMacro() + " did not throw the exception it should";
        break;
    default:
        text = r.getMessage();
        break;
    }
    for (const Catch::MessageInfo& info : stats.infoMessages) {
        if (info.message != r.getMessage()) {
            text += "; " + info.message;
        }
    }
    return text;
}

class GradeReporter : public Catch::StreamingReporterBase<GradeReporter> {
public:
    explicit GradeReporter(const Catch::ReporterConfig& config) : StreamingReporterBase(config)
    {
        m_reporterPrefs.shouldRedirectStdOut = true;
        m_reporterPrefs.shouldReportAllAssertions = false;
    }

    static std::string getDescription() { return "One JSON line per test case, for the exercise grader"; }

    void assertionStarting(const Catch::AssertionInfo&) override {}

    bool assertionEnded(const Catch::AssertionStats& stats) override
    {
        const Catch::AssertionResult& r = stats.assertionResult;
        if (!r.isOk() && first_failure_.is_null()) {
            first_failure_ = {{"message", describe_failure(stats)},
                              {"file", r.getSourceInfo().file},
                              {"line", r.getSourceInfo().line}};
        }
        return true;
    }

    void testCaseStarting(const Catch::TestCaseInfo& info) override
    {
        StreamingReporterBase::testCaseStarting(info);
        first_failure_ = nullptr;
        started_ = std::chrono::steady_clock::now();
        stream << nlohmann::json{{"event", "start"}, {"name", info.name}}.dump() << std::endl;
    }

    void testCaseEnded(const Catch::TestCaseStats& stats) override
    {
        nlohmann::json line = {{"event", "case"},
                               {"name", stats.testInfo.name},
                               {"passed", stats.totals.assertions.allOk() && stats.totals.assertions.passed > 0},
                               {"assertions", stats.totals.assertions.total()},
                               {"failed", stats.totals.assertions.failed},
                               {"output", stats.stdOut + stats.stdErr},
                               {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()}};
        if (!first_failure_.is_null()) {
            line["failure"] = first_failure_;
        } else if (stats.totals.assertions.passed == 0) {
            line["failure"] = {{"message", "the test checked nothing"}, {"file", ""}, {"line", 0}};
        }
        stream << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
        StreamingReporterBase::testCaseEnded(stats);
    }

    void testRunEnded(const Catch::TestRunStats& stats) override
    {
        stream << nlohmann::json{{"event", "end"}}.dump() << std::endl;
        StreamingReporterBase::testRunEnded(stats);
    }

private:
    nlohmann::json first_failure_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace

CATCH_REGISTER_REPORTER("grade", GradeReporter)

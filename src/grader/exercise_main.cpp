// The main of every chapter's exercise tests: Catch2's, plus the `grade` reporter the
// grader reads. It writes one JSON object per line: {"event": "start"} as each test case
// starts, {"event": "case"} with its result as it ends, and {"event": "end"} when the run
// is complete.
//
// Under the grader, the lines go to the report pipe the grader made for this one run
// (its descriptor in BOOK_GRADE_REPORT_FD), never to a file; right after the end line the
// process ends with _exit, so no static destructor and no atexit handler of anyone's
// runs after the report, and the exit status is 0 when every test case passed and 1
// otherwise, which the grader checks against the report. Catch2's signal handlers are
// left out, so a crash ends the process with its real signal for the grader to see.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#define CATCH_CONFIG_NO_POSIX_SIGNALS
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace {

// At most this many failed checks are reported per test case.
constexpr std::size_t most_failures = 20;

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

// The report pipe the grader gave this process, or -1 when it runs on its own.
int report_pipe()
{
    const char* text = std::getenv("BOOK_GRADE_REPORT_FD");
    if (text == nullptr) {
        return -1;
    }
    char* end = nullptr;
    const long fd = std::strtol(text, &end, 10);
    struct stat st {};
    if (end == text || *end != '\0' || fd < 3 || fd > 1023 || ::fstat(static_cast<int>(fd), &st) != 0 ||
        !S_ISFIFO(st.st_mode)) {
        return -1;
    }
    return static_cast<int>(fd);
}

class GradeReporter : public Catch::StreamingReporterBase<GradeReporter> {
public:
    explicit GradeReporter(const Catch::ReporterConfig& config) : StreamingReporterBase(config), fd_(report_pipe())
    {
        m_reporterPrefs.shouldRedirectStdOut = true;
        m_reporterPrefs.shouldReportAllAssertions = false;
    }

    static std::string getDescription() { return "One JSON line per test case, for the exercise grader"; }

    void assertionStarting(const Catch::AssertionInfo&) override {}

    bool assertionEnded(const Catch::AssertionStats& stats) override
    {
        const Catch::AssertionResult& r = stats.assertionResult;
        if (!r.isOk() && failures_.size() < most_failures) {
            failures_.push_back({{"message", describe_failure(stats)},
                                 {"file", r.getSourceInfo().file},
                                 {"line", r.getSourceInfo().line}});
        }
        return true;
    }

    void testCaseStarting(const Catch::TestCaseInfo& info) override
    {
        StreamingReporterBase::testCaseStarting(info);
        failures_ = nlohmann::json::array();
        started_ = std::chrono::steady_clock::now();
        emit({{"event", "start"}, {"name", info.name}});
    }

    void testCaseEnded(const Catch::TestCaseStats& stats) override
    {
        const bool passed = stats.totals.assertions.allOk() && stats.totals.assertions.passed > 0;
        nlohmann::json line = {
            {"event", "case"},
            {"name", stats.testInfo.name},
            {"passed", passed},
            {"assertions", stats.totals.assertions.total()},
            {"failed", stats.totals.assertions.failed},
            {"output", stats.stdOut + stats.stdErr},
            {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()}};
        if (!failures_.empty()) {
            line["failure"] = failures_[0];
            line["failures"] = failures_;
        } else if (stats.totals.assertions.passed == 0) {
            line["failure"] = {{"message", "the test checked nothing"}, {"file", ""}, {"line", 0}};
        }
        failed_cases_ += passed ? 0 : 1;
        emit(line);
        StreamingReporterBase::testCaseEnded(stats);
    }

    void testRunEnded(const Catch::TestRunStats& stats) override
    {
        emit({{"event", "end"}, {"failed_cases", failed_cases_}});
        StreamingReporterBase::testRunEnded(stats);
        if (fd_ >= 0) {
            std::fflush(nullptr);  // what the exercise printed with printf, for the grader's log
            std::_Exit(failed_cases_ == 0 ? 0 : 1);
        }
    }

private:
    void emit(const nlohmann::json& j)
    {
        const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (fd_ < 0) {
            stream << line << std::flush;
            return;
        }
        for (std::size_t done = 0; done < line.size();) {
            const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                std::_Exit(3);  // the grader is gone
            }
            done += static_cast<std::size_t>(n);
        }
    }

    int fd_;
    nlohmann::json failures_ = nlohmann::json::array();
    long failed_cases_ = 0;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace

CATCH_REGISTER_REPORTER("grade", GradeReporter)

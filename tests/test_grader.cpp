// The exercise grader (src/grader): reading exercises and hints, joining the tests'
// reports, the files it writes, and a whole run on a stand-in build in which one
// chapter does not compile, one crashes and one never ends.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "book/files.hpp"
#include "grader/grader.hpp"
#include "support.hpp"

using grader::Outcome;

namespace {

const char* const tests_source = R"(
TEST_CASE("Exercise 3.1: the derivative of tanh", "[ch03]") { CHECK(true); }
TEST_CASE( "Exercise 3.2: one neuron", "[ch03]")
{
}
TEST_CASE("not an exercise", "[ch03]") {}
)";

const char* const student_source = R"(
// ---------------------------------------------------------------------------
// Exercise 3.1: the derivative of tanh
//
// Task: return tanh'(z).
//
// Hint: tanh' = 1 - tanh^2,
// written with std::tanh.
// ---------------------------------------------------------------------------
double tanh_prime(double z) { not_implemented(3, 1); }

// Exercise 3.12: a later one
//
// Hint: not this one.
//
// Exercise 3.2: one neuron
// Task: z = w a + b. No hint here.
double z() { return 0; }
)";

std::string reporter_line(const std::string& event, const std::string& name, bool passed = false)
{
    nlohmann::json j = {{"event", event}, {"name", name}};
    if (event == "case") {
        j["passed"] = passed;
        j["output"] = "printed\n";
        j["seconds"] = 0.25;
        if (!passed) {
            j["failure"] = {{"message", "CHECK( x == 1 ) failed, with: 2 == 1"}, {"file", "t.cpp"}, {"line", 7}};
        }
    }
    return j.dump() + "\n";
}

std::vector<grader::Exercise> two_exercises()
{
    return grader::parse_exercises(tests_source);
}

void write(const std::filesystem::path& path, const std::string& text, bool executable = false)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    if (executable) {
        std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
    }
}

}  // namespace

TEST_CASE("The grader finds every exercise's test case, in order, and nothing else", "[grader]")
{
    const auto exercises = two_exercises();
    REQUIRE(exercises.size() == 2);
    CHECK(exercises[0].number() == "3.1");
    CHECK(exercises[0].title == "the derivative of tanh");
    CHECK(exercises[0].name == "Exercise 3.1: the derivative of tanh");
    CHECK(exercises[1].number() == "3.2");
    CHECK(exercises[1].name == "Exercise 3.2: one neuron");
}

TEST_CASE("The grader reads an exercise's hint from the comment above its stub", "[grader]")
{
    CHECK(grader::parse_hint(student_source, "3.1") == "tanh' = 1 - tanh^2, written with std::tanh.");
    // 3.1 is not 3.12, and an exercise whose comment has no hint has none.
    CHECK(grader::parse_hint(student_source, "3.12") == "not this one.");
    CHECK(grader::parse_hint(student_source, "3.2").empty());
    CHECK(grader::parse_hint(student_source, "4.1").empty());
}

TEST_CASE("The grader keeps the first compiler error and where it is", "[grader]")
{
    const std::string log = "[1/3] Building CXX object x.o\n"
                            "FAILED: x.o\n"
                            "/src/chapters/ch03/exercises/ch03_exercises.cpp: In function 'double f()':\n"
                            "/src/chapters/ch03/exercises/ch03_exercises.cpp:42:5: error: expected ';' before '}' token\n"
                            "   42 |     return 1\n"
                            "      |             ^\n"
                            "/src/chapters/ch03/exercises/ch03_exercises.cpp:50:1: error: second\n";
    CHECK(grader::first_compile_error(log, "/src") ==
          "chapters/ch03/exercises/ch03_exercises.cpp:42:5: error: expected ';' before '}' token\n"
          "   42 |     return 1\n"
          "      |             ^");
    CHECK(grader::first_compile_error("ninja: no work to do.\n", "/src").empty());
}

TEST_CASE("The grader joins the reports with the exercises, and says why one did not finish", "[grader]")
{
    const auto exercises = two_exercises();
    SECTION("a complete run")
    {
        const std::string lines = reporter_line("start", exercises[0].name) + reporter_line("case", exercises[0].name, true) +
                                  reporter_line("start", exercises[1].name) + reporter_line("case", exercises[1].name) +
                                  "not json\n" + nlohmann::json{{"event", "end"}}.dump() + "\n";
        const auto results = grader::merge_results(exercises, lines, "crashed");
        REQUIRE(results.size() == 2);
        CHECK(results[0].outcome == Outcome::passed);
        CHECK(results[0].seconds == 0.25);
        CHECK(results[1].outcome == Outcome::failed);
        CHECK(results[1].message == "CHECK( x == 1 ) failed, with: 2 == 1");
        CHECK(results[1].where == "t.cpp:7");
        CHECK(results[1].output == "printed\n");
    }
    SECTION("a run stopped during the second exercise")
    {
        const std::string lines = reporter_line("start", exercises[0].name) + reporter_line("case", exercises[0].name, true) +
                                  reporter_line("start", exercises[1].name);
        const auto results = grader::merge_results(exercises, lines, "crashed (signal 11)");
        CHECK(results[0].outcome == Outcome::passed);
        CHECK(results[1].outcome == Outcome::not_finished);
        CHECK(results[1].message == "the test program crashed (signal 11) during this exercise");
    }
    SECTION("a run that reported nothing")
    {
        const auto results = grader::merge_results(exercises, "", "did not finish within 5 s");
        CHECK(results[0].outcome == Outcome::not_finished);
        CHECK(results[1].message == "not run: the test program did not finish within 5 s");
    }
}

TEST_CASE("The grader's files: JUnit XML and Gradescope's results.json", "[grader]")
{
    auto exercises = two_exercises();
    exercises[1].hint = "look at <equation> & \"its\" shapes";
    grader::ChapterResult ok, broken;
    ok.spec.number = 3;
    ok.spec.chapter = "ch03_neuron";
    const std::string lines = reporter_line("case", exercises[0].name, true) + reporter_line("case", exercises[1].name) +
                              "{\"event\": \"end\"}\n";
    ok.results = grader::merge_results(exercises, lines, "");
    broken.spec.number = 4;
    broken.spec.chapter = "ch04_forward";
    broken.compiled = false;
    broken.results = grader::not_compiled({exercises[0]}, "x.cpp:1:1: error: 'y' was not declared");

    const std::string xml = grader::junit_xml({ok, broken});
    CHECK_THAT(xml, Catch::Matchers::Contains(R"(<testsuites name="exercises" tests="3" failures="1" errors="1">)"));
    CHECK_THAT(xml, Catch::Matchers::Contains(R"(<testsuite name="ch03_neuron" tests="2" failures="1" errors="0">)"));
    CHECK_THAT(xml, Catch::Matchers::Contains(
                        R"(<failure type="failed" message="CHECK( x == 1 ) failed, with: 2 == 1">)"));
    CHECK_THAT(xml, Catch::Matchers::Contains("Hint: look at &lt;equation&gt; &amp; &quot;its&quot; shapes"));
    CHECK_THAT(xml, Catch::Matchers::Contains(R"(<error type="did not compile" message="chapter 3&apos;s exercises did not compile">)"));
    CHECK(grader::xml_escape(std::string("a\x01<b", 4)) == "a?&lt;b");

    const nlohmann::json gs = grader::gradescope_json({ok, broken}, 12.4);
    CHECK(gs["score"] == 1);
    CHECK(gs["execution_time"] == 12);
    REQUIRE(gs["tests"].size() == 3);
    CHECK(gs["tests"][0]["score"] == 1);
    CHECK(gs["tests"][0]["max_score"] == 1);
    CHECK(gs["tests"][0]["status"] == "passed");
    CHECK(gs["tests"][1]["score"] == 0);
    CHECK(gs["tests"][1]["number"] == "3.2");
    CHECK_THAT(gs["tests"][1]["output"].get<std::string>(), Catch::Matchers::Contains("Hint: look at <equation>"));
    CHECK_THAT(gs["tests"][2]["output"].get<std::string>(), Catch::Matchers::Contains("'y' was not declared"));
    CHECK(gs["tests"][2]["tags"][0] == "ch04_forward");
}

TEST_CASE("The grader's table shows every exercise, the score, the first failure and its hint", "[grader]")
{
    auto exercises = two_exercises();
    exercises[1].hint = "z is a weighted sum.";
    grader::ChapterResult c;
    c.spec.number = 3;
    c.spec.chapter = "ch03_neuron";
    c.student = "chapters/ch03_neuron/exercises/ch03_exercises.cpp";
    c.results = grader::merge_results(
        exercises, reporter_line("case", exercises[0].name, true) + reporter_line("case", exercises[1].name), "");
    grader::ChapterResult broken;
    broken.spec.number = 4;
    broken.spec.chapter = "ch04_forward";
    broken.compiled = false;
    broken.compile_error = "x.cpp:1:1: error: 'y' was not declared";
    broken.build_log = "build/grade/logs/ch04_forward.build.log";
    broken.results = grader::not_compiled({exercises[0]}, broken.compile_error);
    const std::string table = grader::format_table({c, broken}, grader::Manifest{});
    CHECK_THAT(table, Catch::Matchers::Contains("3  ch03_neuron"));
    CHECK_THAT(table, Catch::Matchers::Contains("3.1  the derivative of tanh"));
    CHECK_THAT(table, Catch::Matchers::Contains("✓ passed"));
    CHECK_THAT(table, Catch::Matchers::Contains("✗ failed"));
    CHECK_THAT(table, Catch::Matchers::Contains("✗ did not compile"));
    CHECK_THAT(table, Catch::Matchers::Contains("Score: 1 / 3"));
    CHECK_THAT(table, Catch::Matchers::Contains("Chapter 4 (ch04_forward) did not compile"));
    CHECK_THAT(table, Catch::Matchers::Contains("'y' was not declared"));
    CHECK_THAT(table, Catch::Matchers::Contains("The first exercise to do: 3.2, one neuron"));
    CHECK_THAT(table, Catch::Matchers::Contains("Edit:    chapters/ch03_neuron/exercises/ch03_exercises.cpp"));
    CHECK_THAT(table, Catch::Matchers::Contains("Hint:    z is a weighted sum."));
}

TEST_CASE("A whole grading run: one chapter passes, one does not compile, one crashes, one never ends",
          "[grader][cli]")
{
    // A stand-in build: its "cmake" fails to build chapter 2, and each chapter's "test
    // program" is a script that writes what the grade reporter would.
    char dir_template[] = "/tmp/backprop-grader-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::filesystem::path dir = dir_template;
    write(dir / "cmake", "#!/bin/sh\n"
                         "if [ \"$4\" = exercises_ch02_b ]; then\n"
                         "  echo \"" + (dir / "ch02.cpp").string() + ":3:5: error: expected ';' before '}' token\"\n"
                         "  exit 1\n"
                         "fi\n",
          true);
    nlohmann::json chapters = nlohmann::json::array();
    const std::vector<std::string> names = {"ch01_a", "ch02_b", "ch03_c", "ch04_d"};
    const std::vector<std::string> behaviour = {
        "echo '{\"event\":\"start\",\"name\":\"Exercise 1.1: one\"}' > \"$4\"\n"
        "echo '{\"event\":\"case\",\"name\":\"Exercise 1.1: one\",\"passed\":true}' >> \"$4\"\n"
        "echo '{\"event\":\"end\"}' >> \"$4\"\n",
        "exit 0\n",
        "echo '{\"event\":\"start\",\"name\":\"Exercise 3.1: one\"}' > \"$4\"\n"
        "echo '{\"event\":\"case\",\"name\":\"Exercise 3.1: one\",\"passed\":true}' >> \"$4\"\n"
        "echo '{\"event\":\"start\",\"name\":\"Exercise 3.2: two\"}' >> \"$4\"\n"
        "kill -SEGV $$\n",
        "echo '{\"event\":\"start\",\"name\":\"Exercise 4.1: one\"}' > \"$4\"\n"
        "exec sleep 30\n"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        const std::filesystem::path program = dir / ("run_" + names[i]);
        write(program, "#!/bin/sh\n" + behaviour[i], true);
        write(dir / (names[i] + "_grading.cpp"),
              "TEST_CASE(\"Exercise " + n + ".1: one\")\nTEST_CASE(\"Exercise " + n + ".2: two\")\n");
        write(dir / (names[i] + "_exercises.cpp"), "// Exercise " + n + ".2: two\n//\n// Hint: think of " + n + ".\n");
        chapters.push_back({{"chapter", names[i]},
                            {"target", "exercises_" + names[i]},
                            {"program", program.string()},
                            {"student", (dir / (names[i] + "_exercises.cpp")).string()},
                            {"compiled", (dir / (names[i] + "_exercises.cpp")).string()},
                            {"tests", (dir / (names[i] + "_grading.cpp")).string()}});
    }
    write(dir / "grade" / "manifest.json", nlohmann::json{{"solutions", false},
                                                          {"build_dir", dir.string()},
                                                          {"source_dir", dir.string()},
                                                          {"cmake", (dir / "cmake").string()},
                                                          {"chapters", chapters}}
                                               .dump());

    const std::string grade = std::string(GRADE_PATH) + " --build-dir " + dir.string() + " --timeout 1";
    const support::Run table = support::run(grade);
    INFO(table.out << table.err);
    CHECK(table.status == 1);
    CHECK(table.err.empty());
    CHECK_THAT(table.out, Catch::Matchers::Contains("Score: 2 / 8"));
    CHECK_THAT(table.out, Catch::Matchers::Contains("Chapter 2 (ch02_b) did not compile"));
    CHECK_THAT(table.out, Catch::Matchers::Contains("ch02.cpp:3:5: error: expected ';'"));
    CHECK_THAT(table.out, Catch::Matchers::Contains("The first exercise to do: 1.2, two"));
    CHECK_THAT(table.out, Catch::Matchers::Contains("Hint:    think of 1."));

    const support::Run json = support::run(grade + " --json --chapter 2 --chapter 3 --chapter 4");
    REQUIRE(json.status == 1);
    const nlohmann::json j = nlohmann::json::parse(json.out);
    REQUIRE(j["chapters"].size() == 3);
    CHECK(j["passed"] == 1);
    CHECK(j["total"] == 6);
    CHECK(j["chapters"][0]["compiled"] == false);
    CHECK(j["chapters"][0]["exercises"][1]["result"] == "did not compile");
    CHECK(j["chapters"][1]["exercises"][0]["result"] == "passed");
    CHECK(j["chapters"][1]["exercises"][1]["message"] == "the test program crashed (signal 11) during this exercise");
    CHECK(j["chapters"][2]["exercises"][0]["message"] ==
          "the test program did not finish within 1 s (an endless loop?) during this exercise");
    CHECK(j["chapters"][2]["exercises"][1]["result"] == "did not finish");

    // The files of the last run.
    const nlohmann::json gs = nlohmann::json::parse(support::slurp((dir / "grade" / "results.json").string()));
    CHECK(gs["score"] == 1);
    CHECK(gs["tests"].size() == 6);
    CHECK_THAT(support::slurp((dir / "grade" / "junit.xml").string()),
               Catch::Matchers::Contains(R"(<testsuites name="exercises" tests="6" failures="0" errors="5">)"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("The grader refuses bad flags with one line and exit status 2", "[grader][cli]")
{
    const std::string grade = GRADE_PATH;
    for (const char* flags : {"--chapter 9", "--chapter x", "--timeout 0", "--build-dir /nonexistent",
                                     "--junit /nonexistent/junit.xml", "--gradescope /", "--frobnicate"}) {
        INFO(flags);
        support::check_bad_input(support::run(grade + " " + std::string(flags)), "grade");
    }
    support::check_help(grade, {"--chapter"});
}

// The exercise grader (src/grader): reading tests, tags, hints and library policies;
// judging one run of one exercise from its report pipe and exit status (a crash, a hang,
// a forged report); reading compiled objects for what they call; the files it writes;
// and whole runs on stand-in builds, one student's and a class's, in which one chapter
// does not compile, one exercise crashes and one never ends.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmanipulation.hpp>

#include "book/files.hpp"
#include "grader/grader.hpp"
#include "grader/grading.hpp"
#include "grader/inspect.hpp"
#include "grader/process.hpp"
#include "support.hpp"

using Catch::Matchers::Contains;
using grader::Outcome;

namespace fs = std::filesystem;

namespace {

const char* const tests_source = R"(
TEST_CASE("Exercise 3.1: the derivative of tanh", "[ch03]") { CHECK(true); }
TEST_CASE( "Exercise 3.2: one neuron", "[ch03][weight:2.5][visibility:after_due_date]")
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
// Library: backprop::activate_prime,
//          xt::linalg
//
// Hint: tanh' = 1 - tanh^2,
// written with std::tanh.
// ---------------------------------------------------------------------------
double tanh_prime(double z) { not_implemented(3, 1); }

double tanh_prime_twice(double z)
{
    not_implemented(3, 1);
}

// Exercise 3.12: a later one
//
// Library: none
//
// Hint: not this one.
//
Matrix later(const Matrix& a,
             const Matrix& b)
{
}

// Exercise 3.2: one neuron
// Task: z = w a + b. No hint here.
std::vector<double> z() { return {}; }
)";

// One record of the `grade` reporter.
std::string record(const std::string& event, const std::string& name = "", bool passed = false)
{
    nlohmann::json j = {{"event", event}};
    if (event != "end") {
        j["name"] = name;
    }
    if (event == "case") {
        j["passed"] = passed;
        j["output"] = "printed\n";
        j["seconds"] = 0.25;
        if (!passed) {
            j["failure"] = {{"message", "CHECK( x == 1 ) failed, with: 2 == 1"}, {"file", "t.cpp"}, {"line", 7}};
            j["failures"] = {j["failure"],
                             {{"message", "CHECK_THAT( M, IsNear(E) ) failed\nNotice: every entry is 0"},
                              {"file", "t.cpp"},
                              {"line", 9}}};
        }
    }
    if (event == "end") {
        j["failed_cases"] = passed ? 0 : 1;
    }
    return j.dump() + "\n";
}

// A run of one exercise's test program, as run_process() would report it.
grader::Finished finished(const std::string& report, int status, int signal = 0, bool timed_out = false)
{
    grader::Finished f;
    f.report = report;
    f.status = status;
    f.signaled = signal != 0;
    f.signal = signal;
    f.timed_out = timed_out;
    f.seconds = 0.5;
    return f;
}

std::vector<grader::Exercise> two_exercises()
{
    return grader::parse_exercises(tests_source);
}

void write(const fs::path& path, const std::string& text, bool executable = false)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    if (executable) {
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
    }
}

std::string quote(const std::string& text)
{
    std::string q = "'";
    for (const char c : text) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

fs::path temporary_directory()
{
    char dir_template[] = "/tmp/backprop-grader-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    return dir_template;
}

// The build directory of the grade program under test, and its manifest.
grader::Manifest this_build()
{
    const fs::path build = fs::path(GRADE_PATH).parent_path().parent_path();
    return grader::parse_manifest(support::slurp((build / "grade" / "manifest.json").string()));
}

}  // namespace

TEST_CASE("The grader finds every exercise's test case, in order, with its weight and visibility", "[grader]")
{
    const auto exercises = two_exercises();
    REQUIRE(exercises.size() == 2);
    CHECK(exercises[0].number() == "3.1");
    CHECK(exercises[0].title == "the derivative of tanh");
    CHECK(exercises[0].name == "Exercise 3.1: the derivative of tanh");
    CHECK(exercises[0].weight == 1.0);
    CHECK(exercises[0].visibility == "visible");
    CHECK(exercises[1].number() == "3.2");
    CHECK(exercises[1].name == "Exercise 3.2: one neuron");
    CHECK(exercises[1].weight == 2.5);
    CHECK(exercises[1].visibility == "after_due_date");
    CHECK(grader::parse_exercises(tests_source, true)[0].teacher_only);
    // A tag that is not a weight or a visibility is refused, naming the test.
    for (const char* bad : {"[weight:0]", "[weight:x]", "[weight:]", "[weight:-1]", "[visibility:later]"}) {
        INFO(bad);
        CHECK_THROWS_WITH(grader::parse_exercises(std::string("TEST_CASE(\"Exercise 1.1: a\", \"") + bad + "\")"),
                          Contains("Exercise 1.1: a"));
    }
}

TEST_CASE("The grader reads an exercise's hint from the comment above its stub", "[grader]")
{
    CHECK(grader::parse_hint(student_source, "3.1") == "tanh' = 1 - tanh^2, written with std::tanh.");
    // 3.1 is not 3.12, and an exercise whose comment has no hint has none.
    CHECK(grader::parse_hint(student_source, "3.12") == "not this one.");
    CHECK(grader::parse_hint(student_source, "3.2").empty());
    CHECK(grader::parse_hint(student_source, "4.1").empty());
}

TEST_CASE("The grader reads each exercise's functions and the library functions it may call", "[grader]")
{
    const grader::LibraryPolicy p = grader::parse_policy(student_source, "3.1");
    CHECK(p.stated);
    CHECK(p.allowed == std::vector<std::string>{"backprop::activate_prime", "xt::linalg"});
    CHECK(p.functions == std::vector<std::string>{"tanh_prime", "tanh_prime_twice"});
    const grader::LibraryPolicy none = grader::parse_policy(student_source, "3.12");
    CHECK(none.stated);
    CHECK(none.allowed.empty());
    CHECK(none.functions == std::vector<std::string>{"later"});
    // No "Library:" paragraph: no restriction.
    const grader::LibraryPolicy open = grader::parse_policy(student_source, "3.2");
    CHECK_FALSE(open.stated);
    CHECK(open.functions == std::vector<std::string>{"z"});
    // Every exercise of every chapter states its policy, and each has a function.
    const grader::Manifest m = this_build();
    for (const grader::ChapterSpec& spec : m.chapters) {
        const std::string handout = support::slurp(spec.student);
        for (const grader::Exercise& e : grader::parse_exercises(support::slurp(spec.tests))) {
            INFO(e.name);
            const grader::LibraryPolicy q = grader::parse_policy(handout, e.number());
            CHECK(q.stated);
            CHECK_FALSE(q.functions.empty());
        }
    }
}

TEST_CASE("The grader keeps the first compiler error and where it is", "[grader]")
{
    const std::string log =
        "[1/3] Building CXX object x.o\n"
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

TEST_CASE("The grader judges one exercise's run by its report, its exit status and the clock", "[grader]")
{
    const grader::Exercise e = two_exercises()[0];
    const std::string start = record("start", e.name);
    SECTION("a pass: one start, one result, one end, and exit status 0")
    {
        const grader::Result r =
            grader::judge_run(e, finished(start + record("case", e.name, true) + record("end", "", true), 0), 20);
        CHECK(r.outcome == Outcome::passed);
        CHECK(r.seconds == 0.5);  // the whole process, not only the test
        CHECK(r.score() == 1.0);
    }
    SECTION("a failure: every failed check, where, and what its numbers suggest")
    {
        const grader::Result r = grader::judge_run(e, finished(start + record("case", e.name) + record("end"), 1), 20);
        CHECK(r.outcome == Outcome::failed);
        CHECK(r.message == "CHECK( x == 1 ) failed, with: 2 == 1");
        CHECK(r.where == "t.cpp:7");
        CHECK(r.output == "printed");
        REQUIRE(r.failures.size() == 2);
        CHECK(r.failures[1].where == "t.cpp:9");
        CHECK(r.score() == 0.0);
    }
    SECTION("a crash: the signal, named, in this exercise")
    {
        for (const std::string& report : {std::string(), start, start + record("case", e.name, true)}) {
            const grader::Result r = grader::judge_run(e, finished(report, 0, 11), 20);
            CHECK(r.outcome == Outcome::crashed);
            CHECK(r.message == "crashed (signal 11, SIGSEGV) in this exercise");
        }
        CHECK(grader::judge_run(e, finished(start, 3), 20).message ==
              "ended its test program (exit status 3) before the test was over: does it call exit() or abort()?");
    }
    SECTION("a hang: stopped at the time limit")
    {
        const grader::Result r = grader::judge_run(e, finished(start, 0, 0, true), 20);
        CHECK(r.outcome == Outcome::timed_out);
        CHECK(r.message == "did not finish within 20 s (an endless loop?)");
    }
    SECTION("a test the program does not have: the grading files' fault, said so")
    {
        const grader::Result r = grader::judge_run(e, finished(record("end", "", true), 0), 20);
        CHECK(r.outcome == Outcome::not_run);
        CHECK_THAT(r.message, Contains("tell your teacher"));
    }
    SECTION("a forged report earns nothing")
    {
        const std::string pass = start + record("case", e.name, true) + record("end", "", true);
        const std::string other = "Exercise 3.2: one neuron";
        // Records written before the test's own (by a static constructor), after them (a
        // static destructor), twice over, for another test, garbled, or disagreeing with
        // the exit status.
        for (const grader::Finished& f :
             {finished(record("start", other) + pass, 0), finished(pass + record("case", e.name, true), 0),
              finished(pass + pass, 0), finished(start + record("case", other, true) + record("end", "", true), 0),
              finished(pass + "{\"passed\": true}\n", 0), finished(pass + "not json\n", 0), finished(pass, 1),
              finished(pass, 0, 9), finished(start + record("case", e.name, true) + record("end", "", false), 0)}) {
            const grader::Result r = grader::judge_run(e, f, 20);
            INFO(f.report << " exit " << f.status << " signal " << f.signal);
            CHECK(r.outcome == Outcome::tampered);
            CHECK(r.score() == 0.0);
        }
    }
}

TEST_CASE("The grader runs a process with a report pipe, a time limit and its output", "[grader]")
{
    grader::RunOptions o;
    o.timeout = 5;
    o.report_pipe = true;
    // The report pipe is the descriptor the variable names; standard output is captured.
    const grader::Finished ok = grader::run_process(
        {"/bin/sh", "-c", "echo out; echo err >&2; echo report >&\"$BOOK_GRADE_REPORT_FD\"; exit 4"}, o);
    CHECK(ok.status == 4);
    CHECK_FALSE(ok.signaled);
    CHECK_FALSE(ok.timed_out);
    CHECK(ok.report == "report\n");
    CHECK_THAT(ok.output, Contains("out") && Contains("err"));
    const grader::Finished crash = grader::run_process({"/bin/sh", "-c", "kill -SEGV $$"}, o);
    CHECK(crash.signaled);
    CHECK(crash.signal == 11);
    CHECK(grader::signal_name(11) == "SIGSEGV");
    // A hang, even one that has closed its pipes or left a child behind, is stopped.
    o.timeout = 0.5;
    for (const char* hang : {"sleep 30", "exec >&- 2>&-; sleep 30", "sleep 30 & wait"}) {
        const grader::Finished f = grader::run_process({"/bin/sh", "-c", hang}, o);
        INFO(hang);
        CHECK(f.timed_out);
        CHECK(f.seconds < 5);
    }
    // Without a report pipe, the variable is not set.
    const grader::Finished none = grader::run_process({"/bin/sh", "-c", "echo \"[$BOOK_GRADE_REPORT_FD]\""}, {});
    CHECK(none.output == "[]\n");
}

TEST_CASE("The grader reads a compiled exercise file for what each exercise calls", "[grader]")
{
    const grader::Manifest m = this_build();
    REQUIRE_FALSE(m.cxx.empty());
    const fs::path dir = temporary_directory();
    // Chapter 9's handout: what each exercise may call.
    const std::string handout =
        "// Exercise 9.1: one\n//\n// Library: backprop::activate_prime\n//\n"
        "double one(double x) {}\n"
        "// Exercise 9.2: two\n//\n// Library: backprop::activate_prime\n//\n"
        "double two(double x) {}\n"
        "// Exercise 9.3: three\n//\n// Library: none\n//\n"
        "double three(double x) {}\n"
        "// Exercise 9.4: four\n//\n// Library: none\n//\n"
        "double four(double x) {}\n";
    const std::string exercises = R"(
namespace backprop {
double hidden_delta(double);
double activate_prime(double);
inline double sigmoid(double z) { return z / 2; }
class ShapeError { public: explicit ShapeError(const char*); };
}
namespace exercises {
namespace {
double helper(double x) { return backprop::hidden_delta(x); }
}
double one(double x) { return helper(x) + backprop::activate_prime(x); }
double two(double x) { auto f = [](double t) { return backprop::sigmoid(t); }; return f(x); }
double three(double x) { return one(x); }
double four(double x) { if (x < 0) { throw backprop::ShapeError("negative"); } return x; }
}
)";
    const auto compile = [&](const std::string& name, const std::string& source) {
        write(dir / (name + ".cpp"), source);
        const std::string object = (dir / (name + ".o")).string();
        const support::Run r =
            support::run(quote(m.cxx) + " -std=c++17 -O0 -fno-inline -ffunction-sections -fdata-sections -c " +
                         (dir / (name + ".cpp")).string() + " -o " + object);
        INFO(r.err);
        REQUIRE(r.status == 0);
        return grader::read_object(book::read_file(object, "object", 1 << 26));
    };
    std::vector<grader::LibraryPolicy> policies;
    for (const char* n : {"9.1", "9.2", "9.3", "9.4"}) {
        policies.push_back(grader::parse_policy(handout, n));
    }
    const grader::Inspection clean = grader::inspect_object(compile("clean", exercises), policies);
    CHECK(clean.file_problems.empty());
    // Through a helper, through a lambda into an inline function of the library's headers,
    // and through another exercise's function.
    CHECK(clean.forbidden.at("9.1") == std::vector<std::string>{"backprop::hidden_delta"});
    CHECK(clean.forbidden.at("9.2") == std::vector<std::string>{"backprop::sigmoid"});
    // Through another exercise's function, whose own list judges what it calls.
    CHECK(clean.forbidden.at("9.3") == std::vector<std::string>{"backprop::hidden_delta (through exercises::one)"});
    // The library's types are always allowed.
    CHECK(clean.forbidden.count("9.4") == 0);
    CHECK_THAT(clean.library_calls.at("9.4"), Catch::Matchers::VectorContains(std::string("backprop::ShapeError")));
    // Files, system calls and definitions outside namespace exercises, anywhere in the file.
    const grader::Inspection bad = grader::inspect_object(
        compile("bad", "#include <cstdio>\n#include <fstream>\n" + exercises +
                           "struct Forge { ~Forge() { std::FILE* f = std::fopen(\"x\", \"w\"); std::fclose(f); "
                           "std::ofstream(\"y\") << 1; } } forge;\n"
                           "extern \"C\" long write(int, const void*, unsigned long) { return 0; }\n"
                           "namespace checks { bool match() { return true; } }\n"),
        policies);
    const std::string problems = [&] {
        std::string all;
        for (const std::string& p : bad.file_problems) {
            all += p + "\n";
        }
        return all;
    }();
    CHECK_THAT(problems, Contains("calls fopen of the C library"));
    CHECK_THAT(problems, Contains("basic_ofstream"));
    CHECK_THAT(problems, Contains("defines write,"));
    CHECK_THAT(problems, Contains("defines checks::match outside namespace exercises"));
    fs::remove_all(dir);

    CHECK(grader::qualified_name("auto xt::linalg::dot<xt::a<int>, b>(xt::a<int> const&)") == "xt::linalg::dot");
    CHECK(grader::qualified_name("typeinfo for backprop::ShapeError") == "backprop::ShapeError");
    CHECK(grader::qualified_name("backprop::shape_of[abi:cxx11](x const&)") == "backprop::shape_of");
    CHECK(grader::qualified_name("backprop::Network::depth() const") == "backprop::Network::depth");
    CHECK(grader::system_call_instructions("0000000000000000 <_Z1fv>:\n   0:\tmov    $0x1,%eax\n   5:\tsyscall \n") ==
          std::vector<std::string>{"f()"});
    CHECK(grader::forbidden_includes("x.o: /a/b.cpp /s/solutions/c.cpp \\\n /usr/x.h\n", {"/s/solutions"}) ==
          std::vector<std::string>{"/s/solutions/c.cpp"});
}

TEST_CASE("The grader's files: JUnit XML and Gradescope's results.json, with times, weights and visibility", "[grader]")
{
    auto exercises = two_exercises();
    exercises[1].hint = "look at <equation> & \"its\" shapes";
    grader::ChapterResult ok, broken;
    ok.spec.number = 3;
    ok.spec.chapter = "ch03_neuron";
    ok.results.push_back(grader::judge_run(
        exercises[0],
        finished(record("start", exercises[0].name) + record("case", exercises[0].name, true) + record("end", "", true),
                 0),
        20));
    ok.results.push_back(grader::judge_run(exercises[1], finished(record("start", exercises[1].name), 0, 11), 20));
    broken.spec.number = 4;
    broken.spec.chapter = "ch04_forward";
    broken.compiled = false;
    broken.results = grader::not_compiled({exercises[0]}, "x.cpp:1:1: error: 'y' was not declared");
    grader::ChapterResult wrong;
    wrong.spec.number = 5;
    wrong.spec.chapter = "ch05_output_delta";
    wrong.results.push_back(grader::judge_run(
        exercises[0],
        finished(record("start", exercises[0].name) + record("case", exercises[0].name) + record("end"), 1), 20));
    wrong.results.push_back(grader::results_of({exercises[0]}, Outcome::refused, "not run: calls backprop::x")[0]);

    const std::string xml = grader::junit_xml({ok, broken, wrong});
    // A wrong answer and a refused call are failures; a crash and a compile error, errors.
    CHECK_THAT(xml, Contains(R"(<testsuites name="exercises" tests="5" failures="2" errors="2" time=")"));
    CHECK_THAT(xml, Contains(R"(<testsuite name="ch03_neuron" tests="2" failures="0" errors="1" time="1.000">)"));
    CHECK_THAT(
        xml,
        Contains(R"(<testcase classname="ch03_neuron" name="Exercise 3.1: the derivative of tanh" time="0.500"/>)"));
    CHECK_THAT(xml, Contains(R"(<error type="crashed" message="crashed (signal 11, SIGSEGV) in this exercise">)"));
    CHECK_THAT(xml, Contains(R"(<failure type="failed" message="CHECK( x == 1 ) failed, with: 2 == 1">)"));
    CHECK_THAT(xml, Contains(R"(<failure type="refused" message="not run: calls backprop::x">)"));
    CHECK_THAT(xml, Contains("Hint: look at &lt;equation&gt; &amp; &quot;its&quot; shapes"));
    CHECK_THAT(xml, Contains(R"(<error type="did not compile" message="chapter 3&apos;s exercises did not compile">)"));
    CHECK(grader::xml_escape(std::string("a\x01<b", 4)) == "a?&lt;b");

    const nlohmann::json gs = grader::gradescope_json({ok, broken}, 12.4);
    CHECK(gs["score"] == 1.0);
    CHECK(gs["max_score"] == 4.5);
    CHECK(gs["execution_time"] == 12);
    REQUIRE(gs["tests"].size() == 3);
    CHECK(gs["tests"][0]["score"] == 1.0);
    CHECK(gs["tests"][0]["max_score"] == 1.0);
    CHECK(gs["tests"][0]["status"] == "passed");
    CHECK(gs["tests"][0]["visibility"] == "visible");
    CHECK(gs["tests"][1]["score"] == 0.0);
    CHECK(gs["tests"][1]["max_score"] == 2.5);
    CHECK(gs["tests"][1]["visibility"] == "after_due_date");
    CHECK(gs["tests"][1]["number"] == "3.2");
    CHECK_THAT(gs["tests"][1]["output"].get<std::string>(), Contains("Hint: look at <equation>"));
    CHECK_THAT(gs["tests"][2]["output"].get<std::string>(), Contains("'y' was not declared"));
    CHECK(gs["tests"][2]["tags"][0] == "ch04_forward");
}

TEST_CASE("The grader's table: every exercise, the score, what changed, and the failures in detail", "[grader]")
{
    auto exercises = two_exercises();
    exercises[0].hint = "z is a weighted sum.";
    grader::ChapterResult c;
    c.spec.number = 3;
    c.spec.chapter = "ch03_neuron";
    c.student = "chapters/ch03_neuron/exercises/ch03_exercises.cpp";
    c.results.push_back(grader::judge_run(
        exercises[0],
        finished(record("start", exercises[0].name) + record("case", exercises[0].name) + record("end"), 1), 20));
    c.results.push_back(grader::judge_run(exercises[1], finished("", 0, 0, true), 20));
    grader::ChapterResult broken;
    broken.spec.number = 4;
    broken.spec.chapter = "ch04_forward";
    broken.compiled = false;
    broken.compile_error = "x.cpp:1:1: error: 'y' was not declared";
    broken.build_log = "build/grade/logs/ch04_forward.build.log";
    broken.results = grader::not_compiled({exercises[0]}, broken.compile_error);
    grader::TableOptions options;
    options.before = {{exercises[0].name, "passed"}, {"Exercise 9.1: elsewhere", "passed"}};
    const std::string table = grader::format_table({c, broken}, options);
    CHECK_THAT(table, Contains("3  ch03_neuron"));
    CHECK_THAT(table, Contains("3.1  the derivative of tanh"));
    CHECK_THAT(table, Contains("3.2  one neuron (2.5 points)"));
    CHECK_THAT(table, Contains("✗ failed"));
    CHECK_THAT(table, Contains("✗ did not finish"));
    CHECK_THAT(table, Contains("✗ did not compile"));
    CHECK_THAT(table, Contains("Score: 0 / 4.5 points (0 of 3 tests pass)"));
    // The one test not graded this time counts as it was last time.
    CHECK_THAT(table, Contains("1/4 pass (25%)"));
    CHECK_THAT(table, Contains("3 graded now, 1 as they were last graded"));
    CHECK_THAT(table, Contains("Since the last run: 3.1 passed last time and does not now."));
    CHECK_THAT(table, Contains("Chapter 4 (ch04_forward) did not compile"));
    CHECK_THAT(table, Contains("The first exercise to do: 3.1, the derivative of tanh"));
    CHECK_THAT(table, Contains("Edit:    chapters/ch03_neuron/exercises/ch03_exercises.cpp"));
    CHECK_THAT(table, Contains("At:      t.cpp:7"));
    CHECK_THAT(table, Contains("Hint:    z is a weighted sum."));
    CHECK_THAT(table, Contains("(1 more to do: --all-failures shows every one.)"));
    CHECK_THAT(table, !Contains("Notice:"));
    // With every failure: the second exercise's time-out and the first's second check,
    // whose numbers the matcher read.
    options.all_failures = true;
    const std::string all = grader::format_table({c, broken}, options);
    CHECK_THAT(all, Contains("3.2, one neuron"));
    CHECK_THAT(all, Contains("Message: did not finish within 20 s (an endless loop?)"));
    CHECK_THAT(all, Contains("Also:    CHECK_THAT( M, IsNear(E) ) failed"));
    CHECK_THAT(all, Contains("At:      t.cpp:9"));
}

TEST_CASE("The grader's class files: scores.csv and the summary", "[grader]")
{
    const auto exercises = two_exercises();
    const auto student = [&](const std::string& name, bool first, bool second, std::vector<std::string> warnings) {
        grader::StudentResult s;
        s.name = name;
        s.warnings = std::move(warnings);
        s.seconds = 2.0;
        grader::ChapterResult c;
        c.spec.number = 3;
        c.results = grader::results_of(exercises, Outcome::failed, "wrong");
        c.results[0].outcome = first ? Outcome::passed : Outcome::failed;
        c.results[1].outcome = second ? Outcome::passed : Outcome::crashed;
        s.chapters.push_back(c);
        return s;
    };
    const std::vector<grader::StudentResult> students = {
        student("ada", true, true, {}), student("o'neil, \"bo\"", false, true, {}),
        student("cy", false, false, {"no chNN_exercises.cpp anywhere"})};
    CHECK(grader::scores_csv(students) ==
          "student,3.1,3.2,total\n"
          "ada,1,2.5,3.5\n"
          "\"o'neil, \"\"bo\"\"\",0,2.5,2.5\n"
          "cy,0,0,0\n");
    const std::string summary = grader::class_summary(students);
    CHECK_THAT(summary, Contains("ada"));
    CHECK_THAT(summary, Contains("3.5 / 3.5"));
    CHECK_THAT(summary, Contains("3 students graded in 6.0 s, 2.0 s per student."));
    CHECK_THAT(summary, Contains("cy: no chNN_exercises.cpp anywhere"));
}

TEST_CASE("A test case's name as a Catch2 test spec matches that test alone", "[grader]")
{
    CHECK(grader::catch_test_spec("Exercise 5.3: the L1 loss, kink [a] \"b\" \\ ~*") ==
          "Exercise 5.3: the L1 loss\\, kink \\[a\\] \\\"b\\\" \\\\ \\~\\*");
    // Every exercise of the book, run by that spec in its test program, runs only itself:
    // checked on chapter 1, whose test program the grader's own test builds.
}

namespace {

// A test program that stands in for a chapter's: it reports on the pipe as the `grade`
// reporter does. `cases` is shell code for `case "$3" in ... esac`, with the functions
// start, pass and fail.
std::string stand_in_program(const std::string& cases)
{
    return "#!/bin/sh\n"
           "r=$BOOK_GRADE_REPORT_FD\n"
           "start() { echo \"{\\\"event\\\":\\\"start\\\",\\\"name\\\":\\\"$1\\\"}\" >&$r; }\n"
           "pass() { echo "
           "\"{\\\"event\\\":\\\"case\\\",\\\"name\\\":\\\"$1\\\",\\\"passed\\\":true,\\\"seconds\\\":0.1}\" >&$r;"
           " echo '{\"event\":\"end\",\"failed_cases\":0}' >&$r; exit 0; }\n"
           "fail() { echo \"{\\\"event\\\":\\\"case\\\",\\\"name\\\":\\\"$1\\\",\\\"passed\\\":false,\\\"failure\\\":"
           "{\\\"message\\\":\\\"wrong\\\",\\\"file\\\":\\\"t.cpp\\\",\\\"line\\\":3}}\" >&$r;"
           " echo '{\"event\":\"end\",\"failed_cases\":1}' >&$r; exit 1; }\n"
           "case \"$3\" in\n" +
           cases + "\nesac\n";
}

// A chapter of a stand-in build: its program, handout, tests and manifest entry.
nlohmann::json stand_in_chapter(const fs::path& dir, const std::string& chapter, const std::string& program,
                                const std::string& compiled = "")
{
    const std::string n = std::to_string(std::stoi(chapter.substr(2, 2)));
    write(dir / ("run_" + chapter), program, true);
    write(dir / (chapter + "_grading.cpp"),
          "TEST_CASE(\"Exercise " + n + ".1: one\")\nTEST_CASE(\"Exercise " + n + ".2: two\")\n");
    write(dir / (chapter + "_exercises.cpp"), "// Exercise " + n +
                                                  ".1: one\n//\n// Library: none\n//\n"
                                                  "double one() {}\n// Exercise " +
                                                  n +
                                                  ".2: two\n//\n"
                                                  "// Library: none\n//\n// Hint: think of " +
                                                  n + ".\n//\ndouble two() {}\n");
    const std::string handout = (dir / (chapter + "_exercises.cpp")).string();
    return {{"chapter", chapter},
            {"target", "exercises_" + chapter},
            {"program", (dir / ("run_" + chapter)).string()},
            {"student", handout},
            {"compiled", compiled.empty() ? handout : compiled},
            {"tests", (dir / (chapter + "_grading.cpp")).string()}};
}

nlohmann::json stand_in_manifest(const fs::path& dir, const nlohmann::json& chapters)
{
    return {{"build_dir", dir.string()},
            {"source_dir", dir.string()},
            {"cmake", (dir / "cmake").string()},
            {"chapters", chapters}};
}

}  // namespace

TEST_CASE("A whole grading run: a crash or a hang costs one exercise, a forged report earns nothing", "[grader][cli]")
{
    // A stand-in build: its "cmake" fails to build chapter 2, and each chapter's test
    // program is a script that reports as the grade reporter does.
    const fs::path dir = temporary_directory();
    write(dir / "cmake",
          "#!/bin/sh\n"
          "if [ \"$4\" = exercises_ch02_b ]; then\n"
          "  echo \"" +
              (dir / "ch02.cpp").string() +
              ":3:5: error: expected ';' before '}' token\"\n"
              "  exit 1\n"
              "fi\n",
          true);
    const nlohmann::json chapters = {
        stand_in_chapter(dir, "ch01_a",
                         stand_in_program("*1.1*) start \"$3\"; pass \"$3\";;\n"
                                          "*) start \"$3\"; fail \"$3\";;")),
        stand_in_chapter(dir, "ch02_b", stand_in_program("")),
        stand_in_chapter(dir, "ch03_c",
                         stand_in_program("*3.1*) start \"$3\"; kill -SEGV $$;;\n"
                                          "*) start \"$3\"; pass \"$3\";;")),
        stand_in_chapter(dir, "ch04_d",
                         stand_in_program("*4.1*) start \"$3\"; exec sleep 30;;\n"
                                          "*) start \"$3\"; pass \"$3\";;")),
        // A forger: a pass written twice over, and a pass reported by a program that then
        // exits with the status of a failure.
        stand_in_chapter(dir, "ch05_e",
                         stand_in_program("*5.1*) start \"$3\"; (pass \"$3\"); pass \"$3\";;\n"
                                          "*) start \"$3\"; (pass \"$3\"); exit 1;;"))};
    write(dir / "grade" / "manifest.json", stand_in_manifest(dir, chapters).dump());

    const std::string grade = std::string(GRADE_PATH) + " --build-dir " + dir.string() + " --timeout 1";
    const support::Run table = support::run(grade);
    INFO(table.out << table.err);
    CHECK(table.status == 1);
    CHECK(table.err.empty());
    CHECK_THAT(table.out, Contains("Score: 3 / 10"));
    CHECK_THAT(table.out, Contains("Chapter 2 (ch02_b) did not compile"));
    CHECK_THAT(table.out, Contains("ch02.cpp:3:5: error: expected ';'"));
    CHECK_THAT(table.out, Contains("The first exercise to do: 1.2, two"));
    CHECK_THAT(table.out, Contains("Hint:    think of 1."));

    const support::Run json = support::run(grade + " --json --chapter 3 --chapter 4 --exercise 5.1 --exercise 5.2");
    REQUIRE(json.status == 1);
    const nlohmann::json j = nlohmann::json::parse(json.out);
    REQUIRE(j["chapters"].size() == 3);
    CHECK(j["passed"] == 2);
    CHECK(j["total"] == 6);
    // The crash and the hang each cost their own exercise, labelled as what they were.
    CHECK(j["chapters"][0]["exercises"][0]["result"] == "crashed");
    CHECK(j["chapters"][0]["exercises"][0]["message"] == "crashed (signal 11, SIGSEGV) in this exercise");
    CHECK(j["chapters"][0]["exercises"][1]["result"] == "passed");
    CHECK(j["chapters"][1]["exercises"][0]["result"] == "did not finish");
    CHECK(j["chapters"][1]["exercises"][0]["message"] == "did not finish within 1 s (an endless loop?)");
    CHECK(j["chapters"][1]["exercises"][1]["result"] == "passed");
    CHECK(j["chapters"][2]["exercises"][0]["result"] == "tampered");
    CHECK(j["chapters"][2]["exercises"][1]["result"] == "tampered");

    // The files of the last run.
    const nlohmann::json gs = nlohmann::json::parse(support::slurp((dir / "grade" / "results.json").string()));
    CHECK(gs["score"] == 2.0);
    CHECK(gs["tests"].size() == 6);
    CHECK_THAT(support::slurp((dir / "grade" / "junit.xml").string()),
               Contains(R"(<testsuites name="exercises" tests="6" failures="0" errors="4")"));
    // The table remembers the last run: grading 5.1 alone counts the others as they were.
    const support::Run one = support::run(grade + " --exercise 3.2");
    CHECK_THAT(one.out, Contains("1 graded now, 9 as they were last graded"));
    // --watch grades, then waits for a change; --watch-rounds stops it for this test.
    const support::Run watch = support::run(grade + " --watch --watch-rounds 1 --chapter 1");
    CHECK(watch.status == 1);
    CHECK_THAT(watch.out, Contains("Score: 1 / 2"));
    // A change to the chapter's file, a second after it started, grades it again.
    const support::Run again = support::run("(sleep 1; touch " + (dir / "ch01_a_exercises.cpp").string() + ") & " +
                                            grade + " --watch --watch-rounds 2 --chapter 1");
    CHECK_THAT(again.out, Contains("Watching the exercise files for changes"));
    CHECK(again.out.find("Score: 1 / 2") != again.out.rfind("Score: 1 / 2"));
    // hint and policy read the handout.
    const support::Run hint = support::run(grade + " hint 1.2");
    CHECK(hint.status == 0);
    CHECK_THAT(hint.out, Contains("Hint:    think of 1."));
    CHECK_THAT(hint.out, Contains("Write:   two()"));
    CHECK_THAT(support::run(grade + " policy").out, Contains("1.1       none"));
    fs::remove_all(dir);
}

TEST_CASE("A class: every folder graded in one build, with warnings for what cannot be graded", "[grader][cli]")
{
    // A stand-in class build: "cmake" configures it by copying the manifest the test wrote,
    // and fails to build a chapter whose staged file holds "SYNTAX ERROR"; each program
    // passes test N.K when the staged file holds "PASS N.K" and crashes on "CRASH N.K".
    const fs::path dir = temporary_directory();
    const fs::path class_dir = dir / "class";
    const fs::path staging = class_dir / "staging";
    const fs::path submissions = dir / "submissions";
    nlohmann::json parent = nlohmann::json::array(), cls = nlohmann::json::array();
    for (const std::string chapter : {"ch01_a", "ch02_b"}) {
        const std::string n = std::to_string(std::stoi(chapter.substr(2, 2)));
        const fs::path staged = staging / (chapter.substr(0, 4) + "_exercises.cpp");
        const std::string program = stand_in_program(
            "*) n=$(echo \"$3\" | sed 's/^Exercise \\([0-9.]*\\):.*/\\1/'); start \"$3\";\n"
            "   if grep -q \"CRASH $n\" '" +
            staged.string() +
            "'; then kill -SEGV $$; fi\n"
            "   if grep -q \"PASS $n\" '" +
            staged.string() + "'; then pass \"$3\"; else fail \"$3\"; fi;;");
        parent.push_back(stand_in_chapter(dir, chapter, program));
        cls.push_back(stand_in_chapter(dir, chapter, program, staged.string()));
    }
    nlohmann::json class_manifest = stand_in_manifest(class_dir / "build", cls);
    class_manifest["exercises_from"] = staging.string();
    class_manifest["cmake"] = (dir / "cmake").string();
    class_manifest["source_dir"] = dir.string();
    write(dir / "class-manifest.json", class_manifest.dump());
    write(dir / "cmake",
          "#!/bin/sh\n"
          "if [ \"$1\" = -S ]; then mkdir -p \"$4/grade\"; cp '" +
              (dir / "class-manifest.json").string() + "' \"$4/grade/manifest.json\"; echo configured >> '" +
              (dir / "configured").string() +
              "'; exit 0; fi\n"
              "if [ \"$3\" = --target ] && grep -q 'SYNTAX ERROR' '" +
              staging.string() +
              "/'$(echo \"$4\" | sed 's/exercises_\\(ch[0-9]*\\)_.*/\\1/')_exercises.cpp; then\n"
              "  echo 'ch02_exercises.cpp:1:1: error: expected unqualified-id'; exit 1\n"
              "fi\n",
          true);
    write(dir / "grade" / "manifest.json", stand_in_manifest(dir, parent).dump());
    write(submissions / "ann" / "ch01_exercises.cpp", "PASS 1.1 PASS 1.2");
    write(submissions / "ann" / "ch02_exercises.cpp", "PASS 2.1");
    write(submissions / "bob" / "deep" / "er" / "ch01_exercises.cpp", "PASS 1.1 CRASH 1.2");
    write(submissions / "cyd" / "README.txt", "sorry");
    write(submissions / "dee" / "ch02_exercises.cpp", "SYNTAX ERROR");
    write(submissions / "dee" / "ch01_exercises (1).cpp", "PASS 1.1 PASS 1.2");
    write(submissions / "eli" / "ch01_exercises.cpp", "PASS 1.2");
    write(submissions / "notes.txt", "not a student");

    const fs::path out = dir / "results";
    const std::string grade = std::string(GRADE_PATH) + " --build-dir " + dir.string() + " --class-build " +
                              class_dir.string() + " --submissions " + submissions.string() + " --out " + out.string();
    const support::Run run = support::run(grade);
    INFO(run.out << run.err);
    REQUIRE(run.status == 0);
    CHECK(support::slurp((out / "scores.csv").string()) ==
          "student,1.1,1.2,2.1,2.2,total\n"
          "ann,1,1,1,0,3\n"
          "bob,1,0,0,0,1\n"
          "cyd,0,0,0,0,0\n"
          "dee,0,0,0,0,0\n"
          "eli,0,1,0,0,1\n");
    // Loud warnings: on standard error and in the summary.
    CHECK_THAT(run.err, Contains("notes.txt is not a student's folder: ignored"));
    CHECK_THAT(run.err, Contains("cyd: no chNN_exercises.cpp anywhere in"));
    CHECK_THAT(run.err, Contains("dee: found dee/ch01_exercises (1).cpp: not graded"));
    CHECK_THAT(run.err, Contains("5/5 graded in"));
    const std::string summary = support::slurp((out / "summary.txt").string());
    CHECK_THAT(summary, Contains("5 students graded in"));
    CHECK_THAT(summary, Contains("dee: no file for chapter 1: scored 0"));
    CHECK(summary == run.out.substr(0, summary.size()));
    // Each student's files; bob's crash in 1.2 left his 1.1 graded, and dee's chapter 2
    // did not compile.
    const nlohmann::json bob = nlohmann::json::parse(support::slurp((out / "bob" / "results.json").string()));
    CHECK(bob["score"] == 1.0);
    CHECK_THAT(bob["tests"][1]["output"].get<std::string>(), Contains("crashed (signal 11, SIGSEGV) in this exercise"));
    CHECK_THAT(support::slurp((out / "dee" / "grade.txt").string()), Contains("Chapter 2 (ch02_b) did not compile"));
    CHECK_THAT(support::slurp((out / "bob" / "junit.xml").string()), Contains("<testsuites"));
    // The class build was configured once, and a second run reuses it.
    REQUIRE(support::run(grade).status == 0);
    CHECK(support::slurp((dir / "configured").string()) == "configured\n");
    // One student's folder, as Gradescope's run_autograder grades it.
    const fs::path results = dir / "results.json";
    const support::Run one =
        support::run(std::string(GRADE_PATH) + " --build-dir " + dir.string() + " --class-build " + class_dir.string() +
                     " --submission " + (submissions / "bob").string() + " --gradescope " + results.string());
    CHECK(one.status == 1);
    CHECK(nlohmann::json::parse(support::slurp(results.string()))["score"] == 1.0);
    fs::remove_all(dir);
}

TEST_CASE("The grader refuses bad flags, a bad manifest and unwritable paths with one line and status 2",
          "[grader][cli]")
{
    const std::string grade = GRADE_PATH;
    for (const char* flags :
         {"--chapter 99", "--chapter x", "--timeout 0", "--exercise 5", "--exercise x.y", "--build-dir /nonexistent",
          "--junit /nonexistent/junit.xml", "--gradescope /", "--frobnicate", "hint 5", "--submissions /nonexistent",
          "--out /tmp", "--watch --json", "--watch-rounds 2", "--submission /tmp --submissions /tmp",
          "--prepare --json", "--class-build /tmp"}) {
        INFO(flags);
        support::check_bad_input(support::run(grade + " " + std::string(flags)), "grade");
    }
    support::check_help(grade, {"--chapter", "--exercise", "--watch", "--all-failures", "--submissions"});
    // A manifest that is not one, or names a chapter wrongly: one line, no exception's text.
    const fs::path dir = temporary_directory();
    for (const std::string& manifest : {std::string("not json"), std::string("{\"chapters\": []}"),
                                        stand_in_manifest(dir, {{{"chapter", "x"},
                                                                 {"target", "t"},
                                                                 {"program", "p"},
                                                                 {"student", "s"},
                                                                 {"compiled", "c"},
                                                                 {"tests", "t"}}})
                                            .dump()}) {
        write(dir / "grade" / "manifest.json", manifest);
        const support::Run r = support::run(grade + " --build-dir " + dir.string());
        INFO(manifest << "\n" << r.err);
        support::check_bad_input(r, "grade");
        CHECK_THAT(r.err, Contains("manifest"));
        CHECK_THAT(r.err, !Contains("substr"));
    }
    // A build directory the grader cannot write: refused before any work.
    if (geteuid() != 0) {
        write(dir / "grade" / "manifest.json", stand_in_manifest(dir, nlohmann::json::array()).dump());
        fs::permissions(dir / "grade", fs::perms::owner_write, fs::perm_options::remove);
        const support::Run r = support::run(grade + " --build-dir " + dir.string());
        support::check_bad_input(r, "grade");
        fs::permissions(dir / "grade", fs::perms::owner_write, fs::perm_options::add);
    }
    fs::remove_all(dir);
}

TEST_CASE("A matrix check's notice names the signature of a slip, and a gradient check names its line", "[grader]")
{
    using backprop::Matrix;
    const Matrix e = {{1.0, -2.0, 0.0}, {4.0, 0.5, -6.0}};
    CHECK_THAT(checks::slip_signature(Matrix(e / 4.0), e),
               Contains("exactly 1/4 of the expected one") && Contains("a 1/m with m = 4"));
    CHECK_THAT(checks::slip_signature(Matrix(e * 3.0), e), Contains("exactly 3 times the expected one"));
    CHECK_THAT(checks::slip_signature(Matrix(-e), e), Contains("sign flipped"));
    CHECK_THAT(checks::slip_signature(Matrix(xt::transpose(e)), e), Contains("the transpose of the expected (2, 3)"));
    const Matrix square = {{1.0, 2.0}, {3.0, 4.0}};
    CHECK_THAT(checks::slip_signature(Matrix(xt::transpose(square)), square), Contains("is the transpose"));
    CHECK(checks::slip_signature(Matrix(xt::zeros<double>({2, 3})), e) == "every entry of yours is 0");
    // A slip with no signature, and a right answer, get none.
    Matrix off = e;
    off(0, 0) = 7.0;
    CHECK(checks::slip_signature(off, e).empty());
    CHECK(checks::slip_signature(e, e).empty());
    // The matchers carry it into their message, after a failed match only.
    checks::MatrixNear near = checks::IsNear(e);
    CHECK_FALSE(near.match(Matrix(e / 4.0)));
    CHECK_THAT(near.describe(), Contains("\nNotice: every entry of yours is exactly 1/4"));
    checks::AgreesWithNumeric gradient("dJ/dW^[1]", e);
    CHECK_FALSE(gradient.match(Matrix(e * 2.0)));
    CHECK_THAT(gradient.describe(), Contains("dJ/dW^[1]") && Contains("the largest relative error") &&
                                        Contains("Notice: every entry of yours is exactly 2 times"));
    CHECK(gradient.match(e));
}

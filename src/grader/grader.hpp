// The exercise grader: what it reads (the build's manifest, the grading tests, the
// handout's hints and library policies), how it judges one run of one exercise's test,
// and what it writes (a progress table, JUnit XML, Gradescope's results.json, a class's
// scores.csv and summary).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "grader/inspect.hpp"
#include "grader/process.hpp"

namespace grader {

// Gradescope's visibility values, from least to most visible.
inline const std::vector<std::string> visibilities = {"hidden", "after_due_date", "after_published", "visible"};

// One test of an exercise: a test case named "Exercise <chapter>.<k>: <title>" in the
// chapter's grading file (or in the teacher's hidden tests), with the hint written
// above the exercise's stub in the handout. Its tags may give a weight, [weight:2], and
// Gradescope's visibility, [visibility:after_due_date].
struct Exercise {
    int chapter = 0;
    int k = 0;
    std::string title;
    std::string name;  // the test case's full name
    std::string hint;
    double weight = 1;
    std::string visibility = "visible";
    bool teacher_only = false;  // from the teacher's hidden tests, outside the handout

    std::string number() const { return std::to_string(chapter) + "." + std::to_string(k); }
};

// One chapter's exercises as the build describes them (build/grade/manifest.json).
struct ChapterSpec {
    int number = 0;
    std::string chapter;        // e.g. ch01_matmul
    std::string target;         // the CMake target of its test program
    std::string program;        // the test program that target builds
    std::string student;        // the handout's file: hints and library policies come from it
    std::string compiled;       // the file compiled: the student's, a submission's, or the solution
    std::string tests;          // the grading tests
    std::string hidden_tests;   // the teacher's hidden tests, "" if none
    std::string object_target;  // the CMake target that compiles `compiled` for inspection
    std::string object;         // the object file it makes
    std::string solutions;      // the reference solutions' directory, which no file may #include
};

struct Manifest {
    std::string description;  // which files were compiled, in words
    std::string build_dir;
    std::string source_dir;
    std::string cmake;
    std::string generator;  // the build's CMake generator, compiler and type,
    std::string cxx;        // for a class build configured like it
    std::string build_type;
    std::string objdump;
    std::string exercises_from;  // BOOK_EXERCISES_FROM, "" if not set
    std::string hidden_tests;    // BOOK_HIDDEN_TESTS, "" if not set
    std::vector<ChapterSpec> chapters;
};

// Reads a manifest written by CMake. Throws std::invalid_argument naming the problem.
Manifest parse_manifest(const std::string& text);

// The tests of a grading file, in the order they appear: every
// TEST_CASE("Exercise N.K: title", "[tags]"). Throws std::invalid_argument for a tag
// with a bad weight or visibility.
std::vector<Exercise> parse_exercises(const std::string& tests_source, bool teacher_only = false);

// The hint of exercise `number` ("1.2") in a student's file: the comment paragraph that
// starts with "Hint:" in the comment block that starts with "Exercise 1.2". Empty if
// the comment is gone.
std::string parse_hint(const std::string& student_source, const std::string& number);

// The library policy of exercise `number` in the handout's file: the functions defined
// after its comment block (up to the next exercise's), and its "Library:" paragraph,
// a list of the library functions it may call ("backprop::activate_prime, xt::linalg"),
// or "none". An exercise without the paragraph is not restricted.
LibraryPolicy parse_policy(const std::string& student_source, const std::string& number);

// The first compiler error in a build log and the lines that show where it is, with
// `source_dir` + "/" removed from paths. Empty if the log has no "error" line.
std::string first_compile_error(const std::string& log, const std::string& source_dir);

enum class Outcome {
    passed,
    failed,   // a check failed
    refused,  // not run: it calls what it may not (the library policy, files, processes)
    not_compiled,
    crashed,        // ended by a signal, or exited, before its test ended
    timed_out,      // stopped at the time limit
    tampered,       // its report was not the one the grader asked for
    not_submitted,  // the submission has no file for its chapter
    not_run         // the grading files have no such test: a fault of the grading files
};

// One failed check.
struct Failure {
    std::string message;
    std::string where;  // file:line
};

// What became of one exercise's test.
struct Result {
    Exercise exercise;
    Outcome outcome = Outcome::failed;
    std::string message;            // the first failure, or why it was not run
    std::string where;              // file:line of the first failure
    std::string notice;             // what the failure's numbers suggest (a targeted hint)
    std::vector<Failure> failures;  // every failed check reported
    std::string output;             // what the exercise printed
    double seconds = 0;

    double score() const { return outcome == Outcome::passed ? exercise.weight : 0.0; }
};

struct ChapterResult {
    ChapterSpec spec;
    bool compiled = true;
    std::string compile_error;
    std::string build_log;  // where the whole compiler output is
    std::string student;    // the file to edit, relative to the sources
    std::vector<Result> results;
};

// The verdict on one run of `e`'s test program, asked to run that one test, from what
// the grader saw: the report on the pipe, the exit status or signal, and the time limit
// (`timeout` seconds). Only exactly one start, one case and one end record for that test,
// followed by the exit status the end record implies, count as a run that ended; anything
// else on the pipe is tampering, and a run that stopped early crashed or timed out.
Result judge_run(const Exercise& e, const Finished& run, double timeout);

// Every test of `exercises` with `outcome` and `message`.
std::vector<Result> results_of(const std::vector<Exercise>& exercises, Outcome outcome, const std::string& message);

// Every exercise of a chapter that did not compile.
std::vector<Result> not_compiled(const std::vector<Exercise>& exercises, const std::string& first_error);

// Counts and points.
struct Score {
    int passed = 0;
    int total = 0;
    double points = 0;
    double max_points = 0;
};
Score score(const std::vector<ChapterResult>& chapters);

// A number of points as the files show it: "2", "0.5".
std::string format_points(double points);

// The outcome's name in the files ("passed", "crashed", ...).
std::string outcome_name(Outcome o);

// How the table is drawn.
struct TableOptions {
    std::string description;                    // which files were graded, in words
    bool all_failures = false;                  // every failing test in detail, every failed check
    std::map<std::string, std::string> before;  // test name -> outcome name, from the last run
};

// The progress table: one row per exercise (and what changed since the last run), the
// chapters that did not compile, the score, and the first failure's message and hint
// (or every failure's, with all_failures).
std::string format_table(const std::vector<ChapterResult>& chapters, const TableOptions& options);

// `grade hint N.K`: the file to edit, the exercise's tests, the functions to write, the
// library functions they may call and the hint, wrapped at 80 columns.
std::string format_hint(const std::string& number, const std::string& file, const std::vector<Exercise>& tests,
                        const LibraryPolicy& policy, const std::string& hint);

// `grade policy`: what each exercise may call, one exercise per row, then what every
// exercise may use.
std::string format_policies(const std::vector<LibraryPolicy>& policies);

// JUnit XML: one testsuite per chapter, one testcase per test; a wrong answer or a
// refused call is a <failure>, a crash, a time-out, a tampered report, a compile error
// or a missing file an <error>. Suites and cases carry their time.
std::string junit_xml(const std::vector<ChapterResult>& chapters);

// Gradescope's results.json: one test per exercise test, worth its weight, with its
// visibility.
nlohmann::json gradescope_json(const std::vector<ChapterResult>& chapters, double seconds);

// The whole result, for --json.
nlohmann::json results_json(const std::vector<ChapterResult>& chapters);

// What one student of a class earned.
struct StudentResult {
    std::string name;  // the student's folder
    std::vector<ChapterResult> chapters;
    std::vector<std::string> warnings;  // a folder with no exercise file, a misnamed file, ...
    double seconds = 0;
};

// The class's gradebook: a header "student,<each exercise number>,total", then one row
// per student with each exercise's points (its tests' sum) and the total.
std::string scores_csv(const std::vector<StudentResult>& students);

// The class's summary: one row per student with the score, the exercises that pass,
// the seconds it took and its warnings, then the mean seconds per student.
std::string class_summary(const std::vector<StudentResult>& students);

// A test case's name as a Catch2 test spec that matches it and nothing else.
std::string catch_test_spec(const std::string& name);

// Text made safe for XML attributes and content.
std::string xml_escape(const std::string& text);

// `s` with every `from` replaced by `to`.
std::string replace_all(std::string s, const std::string& from, const std::string& to);

// The items as a list in words: "a, b and c" (`last` before the last, `between` before the others).
std::string join_list(const std::vector<std::string>& items, const std::string& last = " and ",
                      const std::string& between = ", ");

// `path` without the leading `dir` + "/", if it has it.
std::string relative_to(const std::string& path, const std::string& dir);

}  // namespace grader

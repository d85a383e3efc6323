// The exercise grader: builds each chapter's exercises on its own, runs their tests,
// and reports a progress table, JUnit XML and a Gradescope results.json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace grader {

// One exercise: a test case named "Exercise <chapter>.<k>: <title>" in the chapter's
// grading file, and the hint written above its stub in the student's file.
struct Exercise {
    int chapter = 0;
    int k = 0;
    std::string title;
    std::string name;  // the test case's full name
    std::string hint;

    std::string number() const { return std::to_string(chapter) + "." + std::to_string(k); }
};

// One chapter's exercises as the build describes them (build/grade/manifest.json).
struct ChapterSpec {
    int number = 0;
    std::string chapter;   // e.g. ch01_matmul
    std::string target;    // the CMake target of its tests
    std::string program;   // the test program that target builds
    std::string student;   // the file the student edits
    std::string compiled;  // the file compiled: the student's, or the solution
    std::string tests;     // the grading tests
};

struct Manifest {
    std::string description;  // which files were compiled, in words
    std::string build_dir;
    std::string source_dir;
    std::string cmake;
    std::vector<ChapterSpec> chapters;
};

// Reads a manifest written by CMake. Throws std::invalid_argument naming the problem.
Manifest parse_manifest(const std::string& text);

// The exercises of a grading file, in the order they appear: every
// TEST_CASE("Exercise N.K: title", ...).
std::vector<Exercise> parse_exercises(const std::string& tests_source);

// The hint of exercise `number` ("1.2") in a student's file: the comment paragraph that
// starts with "Hint:" in the comment block that starts with "Exercise 1.2". Empty if
// the comment is gone.
std::string parse_hint(const std::string& student_source, const std::string& number);

// The first compiler error in a build log and the lines that show where it is, with
// `source_dir` + "/" removed from paths. Empty if the log has no "error" line.
std::string first_compile_error(const std::string& log, const std::string& source_dir);

enum class Outcome { passed, failed, not_compiled, not_finished };

// What became of one exercise.
struct Result {
    Exercise exercise;
    Outcome outcome = Outcome::failed;
    std::string message;  // the first failure, or why it was not run
    std::string where;    // file:line of the first failure
    std::string output;   // what the exercise printed
    double seconds = 0;
};

struct ChapterResult {
    ChapterSpec spec;
    bool compiled = true;
    std::string compile_error;
    std::string build_log;  // where the whole compiler output is
    std::string student;    // the file to edit, relative to the sources
    std::vector<Result> results;
};

// Joins the exercises of a chapter with what its test program reported (the `grade`
// reporter's lines). Exercises with no line get Outcome::not_finished and
// `stopped`, the reason the program stopped, as their message; the one that was
// running when it stopped is named as such.
std::vector<Result> merge_results(const std::vector<Exercise>& exercises, const std::string& reporter_lines,
                                  const std::string& stopped);

// Every exercise of a chapter that did not compile.
std::vector<Result> not_compiled(const std::vector<Exercise>& exercises, const std::string& first_error);

// Counts.
struct Score {
    int passed = 0;
    int total = 0;
};
Score score(const std::vector<ChapterResult>& chapters);

// The progress table: one row per exercise, the chapters that did not compile, the
// total, and the first failure's message and hint.
std::string format_table(const std::vector<ChapterResult>& chapters, const Manifest& manifest);

// JUnit XML: one testsuite per chapter, one testcase per exercise.
std::string junit_xml(const std::vector<ChapterResult>& chapters);

// Gradescope's results.json: one test per exercise, worth one point.
nlohmann::json gradescope_json(const std::vector<ChapterResult>& chapters, double seconds);

// The whole result, for --json.
nlohmann::json results_json(const std::vector<ChapterResult>& chapters);

// Text made safe for XML attributes and content.
std::string xml_escape(const std::string& text);

// `path` without the leading `dir` + "/", if it has it.
std::string relative_to(const std::string& path, const std::string& dir);

// Text quoted for the POSIX shell.
std::string shell_quote(const std::string& text);

}  // namespace grader

// grade: builds each chapter's exercises on its own, runs their tests, prints a
// progress table, and writes JUnit XML and a Gradescope results.json.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>

#include "book/cli.hpp"
#include "book/files.hpp"
#include "grader/grader.hpp"

#ifndef BOOK_BUILD_DIR
#error "BOOK_BUILD_DIR must name the build directory"
#endif

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool is_file(const std::string& path) { return std::ifstream(path).good(); }

// Runs a shell command; returns its exit status, or 128 + N if signal N stopped it.
int shell(const std::string& command)
{
    const int status = std::system(command.c_str());
    if (status == -1) {
        throw std::runtime_error("cannot run a shell for: " + command);
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

// Why a test program that exited with `status` (as `timeout` reports it) stopped early.
std::string stop_reason(int status, int timeout)
{
    if (status == 124 || status == 137) {
        return "did not finish within " + std::to_string(timeout) + " s (an endless loop?)";
    }
    if (status > 128) {
        return "crashed (signal " + std::to_string(status - 128) + ")";
    }
    return "stopped early (exit status " + std::to_string(status) + ")";
}

// Output files are written whole at the end; their directory must exist from the start.
void require_parent(const std::string& path, const std::string& flag)
{
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (std::filesystem::is_directory(path) || !std::filesystem::is_directory(parent.empty() ? "." : parent)) {
        throw book::BadInput(flag + ": cannot write '" + path + "': not a file in an existing directory");
    }
}

void progress(const std::string& line)
{
    // Only for a person watching: a terminal on standard error.
    if (isatty(STDERR_FILENO)) {
        std::cerr << line << std::endl;
    }
}

grader::ChapterResult grade_chapter(const grader::Manifest& m, const grader::ChapterSpec& spec, int timeout,
                                    const std::string& logs)
{
    grader::ChapterResult c;
    c.spec = spec;
    // The file to edit: the one compiled (a submission elsewhere, or the student's own).
    c.student = grader::relative_to(spec.compiled, m.source_dir);
    if (!is_file(spec.tests)) {
        throw book::BadInput("the grading tests of " + spec.chapter + " are missing: " + spec.tests);
    }
    std::vector<grader::Exercise> exercises = grader::parse_exercises(read_file(spec.tests));
    const std::string student = read_file(spec.student);
    for (grader::Exercise& e : exercises) {
        e.hint = grader::parse_hint(student, e.number());
    }
    c.build_log = grader::relative_to(book::join_path(logs, spec.chapter + ".build.log"), m.source_dir);
    progress("Compiling the exercises of chapter " + std::to_string(spec.number) + " (" + spec.chapter + ") ...");
    const int built = shell(grader::shell_quote(m.cmake) + " --build " + grader::shell_quote(m.build_dir) +
                            " --target " + grader::shell_quote(spec.target) + " > " +
                            grader::shell_quote(book::join_path(logs, spec.chapter + ".build.log")) + " 2>&1");
    if (built != 0) {
        c.compiled = false;
        c.compile_error = grader::first_compile_error(read_file(book::join_path(logs, spec.chapter + ".build.log")), m.source_dir);
        c.results = grader::not_compiled(exercises, c.compile_error);
        return c;
    }
    const std::string lines = book::join_path(logs, spec.chapter + ".results.jsonl");
    const std::string run_log = book::join_path(logs, spec.chapter + ".run.log");
    std::remove(lines.c_str());
    progress("Running the tests of chapter " + std::to_string(spec.number) + " ...");
    const int status = shell("timeout -k 5 " + std::to_string(timeout) + " " + grader::shell_quote(spec.program) +
                             " --reporter grade --out " + grader::shell_quote(lines) + " > " +
                             grader::shell_quote(run_log) + " 2>&1");
    c.results = grader::merge_results(exercises, read_file(lines), stop_reason(status, timeout));
    for (grader::Result& r : c.results) {
        r.where = grader::relative_to(r.where, m.source_dir);
    }
    return c;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Builds the exercises of every chapter (each chapter on its own, so one that does not\n"
                 "compile does not stop the others), runs their tests, and prints a table of what passes,\n"
                 "with the first failure's message and hint. Also writes JUnit XML and a Gradescope\n"
                 "results.json. Exit status: 0 when every exercise passes, 1 when one does not, 2 for bad input.",
                 "grade"};
    std::string build_dir = BOOK_BUILD_DIR;
    std::vector<int> only;
    int timeout = 120;
    std::string junit, gradescope;
    bool json = false;
    app.add_option("--build-dir", build_dir, "The configured build directory whose exercises to grade")
        ->capture_default_str();
    app.add_option("--chapter", only, "Grade only this chapter (1-8); repeat for more")
        ->check(book::whole_number(1, 8));
    app.add_option("--timeout", timeout, "Seconds one chapter's tests may run before they are stopped")
        ->check(book::whole_number(1, 3600))
        ->capture_default_str();
    app.add_option("--junit", junit, "Where to write the JUnit XML (default: <build-dir>/grade/junit.xml)");
    app.add_option("--gradescope", gradescope,
                   "Where to write Gradescope's results.json (default: <build-dir>/grade/results.json)");
    app.add_flag("--json", json, "Print the results as one JSON document instead of the table");

    return book::run_program(app, argc, argv, [&](std::ostream& out) {
        const std::string manifest_path = book::join_path(book::join_path(build_dir, "grade"), "manifest.json");
        if (!is_file(manifest_path)) {
            throw book::BadInput("--build-dir: no exercise manifest at " + manifest_path +
                                 " (configure the build first: cmake --preset release)");
        }
        const grader::Manifest m = grader::parse_manifest(read_file(manifest_path));
        const std::set<int> wanted(only.begin(), only.end());
        const std::string logs = book::join_path(book::join_path(m.build_dir, "grade"), "logs");
        book::check_output_directory(book::join_path(m.build_dir, "grade"), "--build-dir");
        std::error_code error;
        std::filesystem::create_directories(logs, error);
        if (error) {
            throw book::BadInput("--build-dir: cannot create " + logs + ": " + error.message());
        }
        if (junit.empty()) {
            junit = book::join_path(book::join_path(m.build_dir, "grade"), "junit.xml");
        }
        if (gradescope.empty()) {
            gradescope = book::join_path(book::join_path(m.build_dir, "grade"), "results.json");
        }
        require_parent(junit, "--junit");
        require_parent(gradescope, "--gradescope");
        const auto start = std::chrono::steady_clock::now();
        std::vector<grader::ChapterResult> chapters;
        for (const grader::ChapterSpec& spec : m.chapters) {
            if (wanted.empty() || wanted.count(spec.number) > 0) {
                chapters.push_back(grade_chapter(m, spec, timeout, logs));
            }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        book::write_file(junit, grader::junit_xml(chapters));
        book::write_file(gradescope, grader::gradescope_json(chapters, seconds).dump(2) + "\n");
        if (json) {
            out << grader::results_json(chapters).dump(2) << "\n";
        } else {
            out << grader::format_table(chapters, m);
            out << "\nWrote " << grader::relative_to(junit, m.source_dir) << " and "
                << grader::relative_to(gradescope, m.source_dir) << ".\n";
        }
        const grader::Score s = grader::score(chapters);
        return s.passed == s.total && s.total > 0 ? 0 : 1;
    });
}

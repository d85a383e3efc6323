// grade: builds each chapter's exercises on its own, runs each exercise's test in a
// process of its own, prints a progress table, and writes JUnit XML and a Gradescope
// results.json; grades a student's submission folder or a whole class of them.
#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>
#include <thread>

#include <CLI/CLI.hpp>

#include "book/cli.hpp"
#include "book/files.hpp"
#include "grader/grader.hpp"
#include "grader/grading.hpp"

#ifndef BOOK_BUILD_DIR
#error "BOOK_BUILD_DIR must name the build directory"
#endif

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_text = 1 << 22;

// Lines for a person watching: on standard error, only when it is a terminal.
void to_terminal(const std::string& line)
{
    if (isatty(STDERR_FILENO)) {
        std::cerr << "\r\033[K" << line << std::flush;
    }
}

std::string seconds_text(double s)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << s << " s";
    return out.str();
}

// The results of the last run of each test (build/grade/state.json), by test name.
std::map<std::string, std::string> read_state(const std::string& path)
{
    std::map<std::string, std::string> state;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
        return state;
    }
    const nlohmann::json j =
        nlohmann::json::parse(book::read_file(path, "the grader's state", max_text), nullptr, false);
    if (j.is_object()) {
        for (const auto& [name, outcome] : j.items()) {
            if (outcome.is_string()) {
                state[name] = outcome.get<std::string>();
            }
        }
    }
    return state;
}

std::string state_json(std::map<std::string, std::string> state, const std::vector<grader::ChapterResult>& chapters)
{
    for (const grader::ChapterResult& c : chapters) {
        for (const grader::Result& r : c.results) {
            state[r.exercise.name] = grader::outcome_name(r.outcome);
        }
    }
    return nlohmann::json(state).dump(2) + "\n";
}

// The newest change time of the files a grading of `m` reads.
fs::file_time_type newest_change(const grader::Manifest& m, const grader::GradeOptions& options)
{
    fs::file_time_type newest = fs::file_time_type::min();  // the clock's epoch is not before every file
    std::error_code error;
    for (const grader::ChapterSpec& spec : grader::selected_chapters(m, options)) {
        for (const std::string& f : {spec.compiled, spec.tests, spec.student, spec.hidden_tests}) {
            if (!f.empty()) {
                newest = std::max(newest, fs::last_write_time(f, error));
            }
        }
    }
    return newest;
}

// "5.2" for an exercise number, checked.
void check_exercise_number(const std::string& number, const std::string& flag)
{
    static const std::regex form("[0-9]{1,2}\\.[0-9]{1,2}");
    if (!std::regex_match(number, form)) {
        throw book::BadInput(flag + ": '" + number + "' is not an exercise number such as 5.2");
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{
        "Builds the exercises of every chapter (each chapter on its own, so one that does not\n"
        "compile does not stop the others), checks what each exercise calls, runs each exercise's\n"
        "test in a process of its own, and prints a table of what passes, with the first failure's\n"
        "message and hint. Also writes JUnit XML and a Gradescope results.json. With --submission\n"
        "it grades a folder of exercise files, with --submissions a class of such folders.\n"
        "Exit status: 0 when every exercise passes (with --submissions: when every student was\n"
        "graded), 1 when one does not, 2 for bad input.",
        "grade"};
    std::string build_dir = BOOK_BUILD_DIR;
    std::vector<int> only;
    std::vector<std::string> exercise_numbers;
    double timeout = 60;
    std::string junit, gradescope, submission, submissions, out_dir, class_dir, hidden_tests;
    bool json = false, all_failures = false, watch = false, prepare = false;
    int watch_rounds = 0;
    app.add_option("--build-dir", build_dir, "The configured build directory whose exercises to grade")
        ->capture_default_str();
    app.add_option("--chapter", only, "Grade only this chapter; repeat for more")->check(book::whole_number(1, 99));
    app.add_option("--exercise", exercise_numbers, "Grade only this exercise (such as 5.2); repeat for more");
    app.add_option("--timeout", timeout, "Seconds one exercise's test may run before it is stopped")
        ->check(book::real_number(0.1, 3600))
        ->capture_default_str();
    app.add_option("--junit", junit, "Where to write the JUnit XML (default: <build-dir>/grade/junit.xml)");
    app.add_option("--gradescope", gradescope,
                   "Where to write Gradescope's results.json (default: <build-dir>/grade/results.json)");
    app.add_flag("--json", json, "Print the results as one JSON document instead of the table");
    app.add_flag("--all-failures", all_failures, "Detail every exercise that does not pass, with every failed check");
    app.add_flag("--watch", watch, "Grade again whenever a file of the graded chapters changes (Ctrl-C stops)");
    app.add_option("--watch-rounds", watch_rounds, "With --watch: stop after this many gradings")
        ->check(book::whole_number(1, 1000))
        ->group("");
    app.add_option("--submission", submission,
                   "Grade this folder of exercise files (chNN_exercises.cpp at any depth) in a class build");
    app.add_option("--submissions", submissions,
                   "Grade every student's folder in this directory in one class build; writes each student's\n"
                   "results, scores.csv and a summary into --out");
    app.add_option("--out", out_dir,
                   "With --submissions: where the results go (default: <build-dir>/grade/class/results)");
    app.add_option("--class-build", class_dir,
                   "With --submission(s) or --prepare: the class build's directory (default: <build-dir>/grade/class)");
    app.add_option("--hidden-tests", hidden_tests,
                   "With --submission(s) or --prepare: a directory of the teacher's chNN_hidden.cpp tests");
    app.add_flag("--prepare", prepare,
                 "Configure the class build and compile what every submission shares (Gradescope's setup)");
    CLI::App* hint = app.add_subcommand(
        "hint", "Print an exercise's tests, the functions to write, what they may call, and the hint");
    std::string hint_number;
    hint->add_option("exercise", hint_number, "The exercise, such as 5.2")->required();
    CLI::App* policy = app.add_subcommand("policy", "Print what each exercise may call of the library");

    grader::Manifest m;
    const auto grade_dir = [&] { return book::join_path(m.build_dir, "grade"); };
    std::vector<std::function<void()>> checks;
    checks.push_back([&] {
        const bool batch = !submissions.empty(), single = !submission.empty();
        if (batch && single) {
            throw book::BadInput("--submission and --submissions exclude each other");
        }
        if (batch && (!junit.empty() || !gradescope.empty() || json || watch)) {
            throw book::BadInput(
                "--submissions writes each student's files into --out: it takes no --junit, "
                "--gradescope, --json or --watch");
        }
        if (prepare && (batch || single || json || watch || !junit.empty() || !gradescope.empty())) {
            throw book::BadInput(
                "--prepare only makes the class build ready: it takes no --submission(s), --json, --watch, "
                "--junit or --gradescope");
        }
        if (watch && (json || single)) {
            throw book::BadInput("--watch prints the table: it takes no --json or --submission");
        }
        if (!out_dir.empty() && !batch) {
            throw book::BadInput("--out goes with --submissions");
        }
        if ((!class_dir.empty() || !hidden_tests.empty()) && !batch && !single && !prepare) {
            throw book::BadInput("--class-build and --hidden-tests go with --submission, --submissions or --prepare");
        }
        if (watch_rounds > 0 && !watch) {
            throw book::BadInput("--watch-rounds goes with --watch");
        }
        for (const std::string& e : exercise_numbers) {
            check_exercise_number(e, "--exercise");
        }
        if (hint->parsed()) {
            check_exercise_number(hint_number, "hint");
        }
        // The build directory, its manifest, and every place a file will be written.
        const std::string manifest_path = book::join_path(book::join_path(build_dir, "grade"), "manifest.json");
        std::error_code error;
        if (!fs::is_regular_file(manifest_path, error)) {
            throw book::BadInput("--build-dir: no exercise manifest at " + manifest_path +
                                 " (configure the build first: cmake --preset release)");
        }
        try {
            m = grader::parse_manifest(book::read_file(manifest_path, "--build-dir", max_text));
        } catch (const std::invalid_argument& e) {
            throw book::BadInput(manifest_path + ": " + e.what() + " (configure the build again)");
        }
        for (const int n : only) {
            if (std::none_of(m.chapters.begin(), m.chapters.end(),
                             [&](const grader::ChapterSpec& c) { return c.number == n; })) {
                throw book::BadInput("--chapter: this build has no exercises for chapter " + std::to_string(n));
            }
        }
        if (hint->parsed() || policy->parsed()) {
            return;
        }
        book::check_output_directory(m.build_dir, "--build-dir");
        book::check_output_directory(grade_dir(), "--build-dir");
        fs::create_directories(book::join_path(grade_dir(), "logs"), error);
        book::check_output_directory(book::join_path(grade_dir(), "logs"), "--build-dir");
        if (batch && !fs::is_directory(submissions, error)) {
            throw book::BadInput("--submissions: " + submissions + " is not a directory");
        }
        if (single && !fs::is_directory(submission, error)) {
            throw book::BadInput("--submission: " + submission + " is not a directory");
        }
        if (!hidden_tests.empty() && !fs::is_directory(hidden_tests, error)) {
            throw book::BadInput("--hidden-tests: " + hidden_tests + " is not a directory");
        }
        if (batch || single || prepare) {
            if (class_dir.empty()) {
                class_dir = book::join_path(grade_dir(), "class");
            }
            fs::create_directories(class_dir, error);
            book::check_output_directory(class_dir, "--class-build");
            class_dir = fs::canonical(class_dir).string();
            hidden_tests = hidden_tests.empty() ? m.hidden_tests : fs::canonical(hidden_tests).string();
        }
        if (batch) {
            if (out_dir.empty()) {
                out_dir = book::join_path(class_dir, "results");
            }
            fs::create_directories(out_dir, error);
            book::check_output_directory(out_dir, "--out");
        }
        if (!batch && !prepare) {
            if (junit.empty()) {
                junit = book::join_path(grade_dir(), "junit.xml");
            }
            if (gradescope.empty()) {
                gradescope = book::join_path(grade_dir(), "results.json");
            }
            book::check_output_file(junit, "--junit");
            book::check_output_file(gradescope, "--gradescope");
        }
    });

    return book::run_program(
        app, argc, argv,
        [&](std::ostream& out) {
            grader::GradeOptions options;
            options.timeout = timeout;
            options.chapters = std::set<int>(only.begin(), only.end());
            options.exercises = std::set<std::string>(exercise_numbers.begin(), exercise_numbers.end());
            options.logs = book::join_path(grade_dir(), "logs");
            options.progress = to_terminal;

            if (hint->parsed()) {
                options.exercises = {hint_number};
                const auto chapters = grader::selected_chapters(m, options);
                if (chapters.empty()) {
                    throw book::BadInput("hint: this build has no exercises for chapter " +
                                         hint_number.substr(0, hint_number.find('.')));
                }
                const grader::ChapterSpec& spec = chapters[0];
                const std::string handout = book::read_file(spec.student, "the handout's exercise file", max_text);
                const std::string text = grader::parse_hint(handout, hint_number);
                const grader::LibraryPolicy p = grader::parse_policy(handout, hint_number);
                if (p.functions.empty() && text.empty()) {
                    throw book::BadInput("hint: there is no exercise " + hint_number + " in " +
                                         grader::relative_to(spec.student, m.source_dir));
                }
                out << grader::format_hint(hint_number, grader::relative_to(spec.compiled, m.source_dir),
                                           grader::chapter_tests(spec, options), p, text);
                return 0;
            }
            if (policy->parsed()) {
                std::vector<grader::LibraryPolicy> policies;
                for (const grader::ChapterSpec& spec : m.chapters) {
                    const std::string handout = book::read_file(spec.student, "the handout's exercise file", max_text);
                    std::set<std::string> numbers;
                    for (const grader::Exercise& e : grader::chapter_tests(spec, options)) {
                        if (numbers.insert(e.number()).second) {
                            policies.push_back(grader::parse_policy(handout, e.number()));
                        }
                    }
                }
                out << grader::format_policies(policies);
                return 0;
            }

            if (prepare) {
                const grader::Manifest cls = grader::prepare_class_build(m, class_dir, hidden_tests, options);
                for (const grader::ChapterSpec& spec : grader::selected_chapters(cls, options)) {
                    to_terminal("Compiling chapter " + std::to_string(spec.number) + " ...");
                    grader::RunOptions run;
                    run.timeout = 3600;
                    run.max_output = 1 << 22;
                    const grader::Finished f =
                        grader::run_process({cls.cmake, "--build", cls.build_dir, "--target", spec.target}, run);
                    if (f.timed_out || f.signaled || f.status != 0) {
                        throw book::ExitError("--prepare: the stubs of " + spec.chapter + " did not build:\n" +
                                                  grader::first_compile_error(f.output, cls.source_dir),
                                              1);
                    }
                }
                to_terminal("");
                out << "The class build in " << cls.build_dir << " is ready.\n";
                return 0;
            }

            if (!submissions.empty()) {
                const grader::Manifest cls = grader::prepare_class_build(m, class_dir, hidden_tests, options);
                std::vector<std::string> loose;
                const std::vector<grader::Submission> students = grader::find_submissions(submissions, cls, loose);
                for (const std::string& w : loose) {
                    std::cerr << "grade: warning: " << w << "\n";
                }
                std::vector<grader::StudentResult> results;
                const auto start = std::chrono::steady_clock::now();
                for (std::size_t i = 0; i < students.size(); ++i) {
                    const grader::Submission& s = students[i];
                    const int bar = 30;
                    const int done = static_cast<int>(bar * i / std::max<std::size_t>(students.size(), 1));
                    std::cerr << (isatty(STDERR_FILENO) ? "\r\033[K" : "") << "grade: ["
                              << std::string(static_cast<std::size_t>(done), '#')
                              << std::string(static_cast<std::size_t>(bar - done), '-') << "] " << i << "/"
                              << students.size() << " graded; now " << s.student << (isatty(STDERR_FILENO) ? "" : "\n")
                              << std::flush;
                    for (const std::string& w : s.warnings) {
                        std::cerr << (isatty(STDERR_FILENO) ? "\n" : "") << "grade: warning: " << s.student << ": " << w
                                  << "\n";
                    }
                    const std::string dir = book::join_path(out_dir, s.student);
                    std::error_code error;
                    fs::create_directories(dir, error);
                    book::check_output_directory(dir, "--out");
                    grader::GradeOptions mine = options;
                    mine.logs = dir;
                    mine.progress = [&](const std::string& line) { to_terminal("grade: " + s.student + ": " + line); };
                    grader::StudentResult r = grader::grade_submission(cls, s, mine);
                    grader::TableOptions table;
                    table.description = "the files in " + s.dir;
                    table.all_failures = all_failures;
                    book::write_files(
                        {{book::join_path(dir, "results.json"),
                          grader::gradescope_json(r.chapters, r.seconds).dump(2) + "\n"},
                         {book::join_path(dir, "junit.xml"), grader::junit_xml(r.chapters)},
                         {book::join_path(dir, "grade.txt"), grader::format_table(r.chapters, table)},
                         {book::join_path(dir, "grade.json"), grader::results_json(r.chapters).dump(2) + "\n"}});
                    results.push_back(r);
                }
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                std::cerr << (isatty(STDERR_FILENO) ? "\r\033[K" : "") << "grade: [" << std::string(30, '#') << "] "
                          << students.size() << "/" << students.size() << " graded in " << seconds_text(seconds)
                          << "\n";
                const std::string summary = grader::class_summary(results);
                book::write_files({{book::join_path(out_dir, "scores.csv"), grader::scores_csv(results)},
                                   {book::join_path(out_dir, "summary.txt"), summary}});
                out << summary << "\nWrote, in " << grader::relative_to(out_dir, m.source_dir)
                    << ":\n  scores.csv, summary.txt, and a folder per student with results.json,\n"
                    << "  junit.xml, grade.txt and grade.json.\n";
                return 0;
            }

            std::vector<grader::ChapterResult> chapters;
            std::string description = m.description;
            const std::string state_path = book::join_path(grade_dir(), "state.json");
            std::map<std::string, std::string> state =
                submission.empty() ? read_state(state_path) : std::map<std::string, std::string>{};
            double seconds = 0;
            const auto grade_once = [&] {
                const auto start = std::chrono::steady_clock::now();
                chapters.clear();
                if (!submission.empty()) {
                    const grader::Manifest cls = grader::prepare_class_build(m, class_dir, hidden_tests, options);
                    grader::Submission s =
                        grader::find_submission(submission, fs::path(submission).filename().string(), cls);
                    for (const std::string& w : s.warnings) {
                        std::cerr << "grade: warning: " << w << "\n";
                    }
                    chapters = grader::grade_submission(cls, s, options).chapters;
                    description = "the files in " + submission;
                } else {
                    for (const grader::ChapterSpec& spec : grader::selected_chapters(m, options)) {
                        chapters.push_back(grader::grade_chapter(m, spec, options));
                    }
                }
                to_terminal("");
                seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                book::write_files({{junit, grader::junit_xml(chapters)},
                                   {gradescope, grader::gradescope_json(chapters, seconds).dump(2) + "\n"}});
            };
            const auto table = [&] {
                grader::TableOptions t;
                t.description = description;
                t.all_failures = all_failures;
                t.before = state;
                return grader::format_table(chapters, t) + "\nGraded in " + seconds_text(seconds) + ". Wrote\n  " +
                       grader::relative_to(junit, m.source_dir) + "\n  " +
                       grader::relative_to(gradescope, m.source_dir) + "\n";
            };
            const auto status = [&] {
                const grader::Score s = grader::score(chapters);
                return s.passed == s.total && s.total > 0 ? 0 : 1;
            };
            if (watch) {
                for (int round = 1;; ++round) {
                    const fs::file_time_type seen = newest_change(m, options);
                    grade_once();
                    std::cout << table() << std::flush;
                    const std::string now = state_json(state, chapters);
                    book::write_file(state_path, now);
                    state = read_state(state_path);
                    if (watch_rounds > 0 && round >= watch_rounds) {
                        return status();
                    }
                    std::cout << "\nWatching the exercise files for changes (Ctrl-C stops) ...\n" << std::flush;
                    while (newest_change(m, options) == seen) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    }
                    std::cout << "\n" << std::string(80, '=') << "\n" << std::flush;
                }
            }
            grade_once();
            if (json) {
                out << grader::results_json(chapters).dump(2) << "\n";
            } else {
                out << table();
            }
            if (submission.empty()) {
                book::write_file(state_path, state_json(state, chapters));
            }
            return status();
        },
        checks);
}

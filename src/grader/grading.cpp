#include "grader/grading.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>

#include "book/errors.hpp"
#include "book/files.hpp"

namespace grader {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_source = 1 << 22;   // bytes of a source file
constexpr std::size_t max_object = 1u << 30;  // bytes of an object file

void say(const GradeOptions& o, const std::string& line)
{
    if (o.progress) {
        o.progress(line);
    }
}

// "ch05" of chapter 5.
std::string short_name(int chapter)
{
    return (chapter < 10 ? "ch0" : "ch") + std::to_string(chapter);
}

// What the inspection of a chapter's compiled file found, as the results of its tests:
// every test refused if the file as a whole may not run, each exercise that calls what
// it may not refused, and nothing for the rest (they are to run).
std::map<std::string, std::string> inspect(const Manifest& m, const ChapterSpec& spec,
                                           const std::vector<LibraryPolicy>& policies, std::string& file_problem)
{
    std::map<std::string, std::string> refused;
    const ObjectFile object = read_object(book::read_file(spec.object, "the compiled exercises", max_object));
    Inspection found = inspect_object(object, policies);
    if (!m.objdump.empty()) {
        RunOptions run;
        run.timeout = 600;
        run.max_output = max_object;
        const Finished d = run_process({m.objdump, "-d", "--no-show-raw-insn", spec.object}, run);
        for (const std::string& f : system_call_instructions(d.output)) {
            found.file_problems.push_back("holds a system-call instruction (inline assembly) in " + f);
        }
    }
    std::error_code error;
    const std::string depfile = spec.object + ".d";
    if (fs::is_regular_file(depfile, error)) {
        std::vector<std::string> forbidden;
        for (const ChapterSpec& c : m.chapters) {
            if (!c.solutions.empty()) {
                forbidden.push_back(c.solutions);
            }
        }
        if (!m.hidden_tests.empty()) {
            forbidden.push_back(m.hidden_tests);
        }
        for (const std::string& p :
             forbidden_includes(book::read_file(depfile, "the dependency file", max_source), forbidden)) {
            found.file_problems.push_back("#includes " + relative_to(p, m.source_dir) +
                                          ", a reference solution or a teacher's test");
        }
    }
    const std::string file = fs::path(spec.compiled).filename().string();
    if (!found.file_problems.empty()) {
        file_problem = "not run: " + file + " " + join_list(found.file_problems, "; ", "; ") +
                       ". An exercise file may use the C++ standard library, <cmath>, the console and the "
                       "library functions its exercises list; it may not use files, processes or system calls, "
                       "or define anything outside namespace exercises, so none of its tests was run.";
        return refused;
    }
    for (const LibraryPolicy& p : policies) {
        const auto it = found.forbidden.find(p.number);
        if (it == found.forbidden.end() || it->second.empty()) {
            continue;
        }
        std::vector<std::string> allowed = p.allowed;
        refused[p.number] = "not run: exercise " + p.number + " calls " + join_list(it->second) +
                            ", which it may not. An exercise may call only the library functions listed in "
                            "the \"Library:\" paragraph above its stub (here " +
                            (allowed.empty() ? std::string("none") : join_list(allowed)) +
                            ", and the library's types), because the others would do the exercise for you.";
    }
    return refused;
}

}  // namespace

std::vector<ChapterSpec> selected_chapters(const Manifest& m, const GradeOptions& options)
{
    std::set<int> wanted = options.chapters;
    for (const std::string& e : options.exercises) {
        wanted.insert(std::stoi(e.substr(0, e.find('.'))));
    }
    std::vector<ChapterSpec> out;
    for (const ChapterSpec& spec : m.chapters) {
        if (wanted.empty() || wanted.count(spec.number) > 0) {
            out.push_back(spec);
        }
    }
    return out;
}

std::vector<Exercise> chapter_tests(const ChapterSpec& spec, const GradeOptions& options)
{
    std::vector<Exercise> tests = parse_exercises(book::read_file(spec.tests, "the grading tests", max_source));
    if (!spec.hidden_tests.empty()) {
        const std::vector<Exercise> hidden =
            parse_exercises(book::read_file(spec.hidden_tests, "the hidden tests", max_source), true);
        tests.insert(tests.end(), hidden.begin(), hidden.end());
    }
    const std::string handout = book::read_file(spec.student, "the handout's exercise file", max_source);
    std::vector<Exercise> out;
    for (Exercise& e : tests) {
        const bool wanted_chapter = options.chapters.empty() || options.chapters.count(e.chapter) > 0;
        const bool wanted = options.exercises.empty()
                                ? wanted_chapter
                                : options.exercises.count(e.number()) > 0 || (options.chapters.count(e.chapter) > 0);
        if (wanted) {
            e.hint = parse_hint(handout, e.number());
            out.push_back(e);
        }
    }
    return out;
}

ChapterResult grade_chapter(const Manifest& m, const ChapterSpec& spec, const GradeOptions& options)
{
    ChapterResult c;
    c.spec = spec;
    c.student = relative_to(spec.compiled, m.source_dir);
    const std::vector<Exercise> exercises = chapter_tests(spec, options);
    const std::string handout = book::read_file(spec.student, "the handout's exercise file", max_source);

    say(options, "Compiling the exercises of chapter " + std::to_string(spec.number) + " (" + spec.chapter + ") ...");
    std::vector<std::string> build = {m.cmake, "--build", m.build_dir, "--target", spec.target};
    if (!spec.object_target.empty()) {
        build.push_back(spec.object_target);
    }
    RunOptions compile;
    compile.timeout = 3600;
    compile.max_output = 1 << 22;
    const Finished built = run_process(build, compile);
    const std::string log = book::join_path(options.logs, spec.chapter + ".build.log");
    book::write_file(log, built.output);
    c.build_log = relative_to(log, m.source_dir);
    if (built.timed_out || built.signaled || built.status != 0) {
        c.compiled = false;
        c.compile_error = first_compile_error(built.output, m.source_dir);
        if (c.compile_error.empty() && built.timed_out) {
            c.compile_error = "the compiler did not finish within an hour";
        }
        c.results = not_compiled(exercises, c.compile_error);
        return c;
    }

    std::vector<LibraryPolicy> policies;
    for (const Exercise& e : exercises) {
        if (std::none_of(policies.begin(), policies.end(),
                         [&](const LibraryPolicy& p) { return p.number == e.number(); })) {
            policies.push_back(parse_policy(handout, e.number()));
        }
    }
    std::string file_problem;
    const std::map<std::string, std::string> refused =
        spec.object.empty() ? std::map<std::string, std::string>{} : inspect(m, spec, policies, file_problem);
    if (!file_problem.empty()) {
        c.results = results_of(exercises, Outcome::refused, file_problem);
        return c;
    }
    for (const Exercise& e : exercises) {
        const auto no = refused.find(e.number());
        if (no != refused.end()) {
            c.results.push_back(results_of({e}, Outcome::refused, no->second)[0]);
            continue;
        }
        say(options, "Running " + e.number() + " " + e.title + " ...");
        RunOptions run;
        run.timeout = options.timeout;
        run.report_pipe = true;
        run.directory = m.build_dir;
        Result r = judge_run(e, run_process({spec.program, "--reporter", "grade", catch_test_spec(e.name)}, run),
                             options.timeout);
        r.where = relative_to(r.where, m.source_dir);
        for (Failure& f : r.failures) {
            f.where = relative_to(f.where, m.source_dir);
        }
        c.results.push_back(r);
    }
    return c;
}

Submission find_submission(const std::string& dir, const std::string& student, const Manifest& m)
{
    Submission s;
    s.student = student;
    s.dir = dir;
    static const std::regex exact("ch([0-9]{2})_exercises\\.cpp");
    static const std::regex near("ch[0-9]*.*exercise|\\.(cpp|cc|cxx|hpp|h)$", std::regex::icase);
    std::map<int, std::vector<fs::path>> found;
    std::error_code error;
    auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, error);
    if (error) {
        s.warnings.push_back("cannot read the folder " + dir + ": " + error.message());
        return s;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (error) {
            s.warnings.push_back("cannot read all of " + dir + ": " + error.message());
            break;
        }
        const fs::path p = it->path();
        const std::string shown = fs::relative(p, fs::path(dir).parent_path(), error).string();
        const std::string name = p.filename().string();
        const fs::file_status st = it->symlink_status(error);
        std::smatch match;
        const bool exact_name = std::regex_match(name, match, exact);
        if (fs::is_symlink(st)) {
            if (exact_name || std::regex_search(name, near)) {
                s.warnings.push_back(shown + " is a symbolic link: not graded");
            }
            continue;
        }
        if (!fs::is_regular_file(st)) {
            continue;
        }
        if (exact_name) {
            const int chapter = std::stoi(match[1]);
            if (std::none_of(m.chapters.begin(), m.chapters.end(),
                             [&](const ChapterSpec& c) { return c.number == chapter; })) {
                s.warnings.push_back(shown + ": chapter " + std::to_string(chapter) + " has no exercises: not graded");
            } else if (fs::file_size(p, error) > max_source) {
                s.warnings.push_back(shown + " is larger than 4 MiB: not graded");
            } else {
                found[chapter].push_back(p);
            }
        } else if (std::regex_search(name, near)) {
            s.warnings.push_back("found " + shown +
                                 ": not graded (the grader reads files named exactly chNN_exercises.cpp)");
        }
    }
    for (auto& [chapter, paths] : found) {
        // The shallowest file, then the first by name.
        std::sort(paths.begin(), paths.end(), [](const fs::path& a, const fs::path& b) {
            const auto depth = [](const fs::path& p) { return std::distance(p.begin(), p.end()); };
            return depth(a) != depth(b) ? depth(a) < depth(b) : a < b;
        });
        s.files[chapter] = paths[0].string();
        if (paths.size() > 1) {
            std::vector<std::string> others;
            for (std::size_t k = 1; k < paths.size(); ++k) {
                others.push_back(fs::relative(paths[k], fs::path(dir).parent_path(), error).string());
            }
            s.warnings.push_back(std::to_string(paths.size()) + " files for chapter " + std::to_string(chapter) +
                                 ": graded " + fs::relative(paths[0], fs::path(dir).parent_path(), error).string() +
                                 ", not " + join_list(others));
        }
    }
    if (s.files.empty()) {
        s.warnings.push_back("no chNN_exercises.cpp anywhere in " + dir + ": every exercise scores 0");
    }
    return s;
}

std::vector<Submission> find_submissions(const std::string& dir, const Manifest& m, std::vector<std::string>& warnings)
{
    std::vector<fs::path> folders;
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') {
            continue;
        }
        if (it->is_directory(error) && !it->is_symlink(error)) {
            folders.push_back(it->path());
        } else {
            warnings.push_back(dir + "/" + name + " is not a student's folder: ignored");
        }
    }
    if (error) {
        throw book::BadInput("--submissions: cannot read " + dir + ": " + error.message());
    }
    std::sort(folders.begin(), folders.end());
    std::vector<Submission> out;
    for (const fs::path& f : folders) {
        out.push_back(find_submission(f.string(), f.filename().string(), m));
    }
    return out;
}

Manifest prepare_class_build(const Manifest& parent, const std::string& class_dir, const std::string& hidden_tests,
                             const GradeOptions& options)
{
    const std::string build = book::join_path(class_dir, "build");
    const std::string staging = book::join_path(class_dir, "staging");
    std::error_code error;
    fs::create_directories(staging, error);
    if (error) {
        throw book::BadInput("--class-build: cannot create " + staging + ": " + error.message());
    }
    const std::string staging_dir = fs::canonical(staging).string();
    // A file for every chapter, so that configuring points every chapter at the staging folder.
    for (const ChapterSpec& c : parent.chapters) {
        const std::string staged = book::join_path(staging_dir, short_name(c.number) + "_exercises.cpp");
        if (!fs::exists(staged, error)) {
            book::write_file(staged, book::read_file(c.student, "the handout's exercise file", max_source));
        }
    }
    const std::string manifest_path = book::join_path(book::join_path(build, "grade"), "manifest.json");
    bool configure = !fs::is_regular_file(manifest_path, error);
    if (!configure) {
        const Manifest current = parse_manifest(book::read_file(manifest_path, "--class-build", max_source));
        configure = current.exercises_from != staging_dir || current.hidden_tests != hidden_tests ||
                    current.chapters.size() != parent.chapters.size() ||
                    std::any_of(current.chapters.begin(), current.chapters.end(),
                                [&](const ChapterSpec& c) { return c.compiled.rfind(staging_dir + "/", 0) != 0; });
    }
    if (configure) {
        say(options, "Configuring the class build in " + build + " (once) ...");
        std::vector<std::string> args = {parent.cmake, "-S", parent.source_dir, "-B", build};
        if (!parent.generator.empty()) {
            args.insert(args.end(), {"-G", parent.generator});
        }
        if (!parent.cxx.empty()) {
            args.push_back("-DCMAKE_CXX_COMPILER=" + parent.cxx);
        }
        args.push_back("-DCMAKE_BUILD_TYPE=" +
                       (parent.build_type.empty() ? std::string("Release") : parent.build_type));
        args.insert(args.end(), {"-DBOOK_DOCS=OFF", "-DBOOK_EXERCISE_SOLUTIONS=OFF",
                                 "-DBOOK_EXERCISES_FROM=" + staging_dir, "-DBOOK_HIDDEN_TESTS=" + hidden_tests});
        RunOptions run;
        run.timeout = 1800;
        run.max_output = 1 << 22;
        const Finished done = run_process(args, run);
        const std::string log = book::join_path(class_dir, "configure.log");
        book::write_file(log, done.output);
        if (done.timed_out || done.signaled || done.status != 0) {
            throw book::ExitError("configuring the class build in " + build + " failed: see " + log, 1);
        }
    }
    return parse_manifest(book::read_file(manifest_path, "--class-build", max_source));
}

StudentResult grade_submission(const Manifest& class_build, const Submission& submission, const GradeOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    StudentResult s;
    s.name = submission.student;
    s.warnings = submission.warnings;
    std::vector<std::string> missing;
    const fs::path base = fs::path(submission.dir).parent_path();
    for (const ChapterSpec& spec : selected_chapters(class_build, options)) {
        const auto file = submission.files.find(spec.number);
        if (file == submission.files.end()) {
            ChapterResult c;
            c.spec = spec;
            c.results = results_of(chapter_tests(spec, options), Outcome::not_submitted,
                                   "no " + short_name(spec.number) + "_exercises.cpp in this submission: chapter " +
                                       std::to_string(spec.number) + " scores 0 (the stubs, not compiled)");
            s.chapters.push_back(c);
            missing.push_back(std::to_string(spec.number));
            continue;
        }
        const std::string text = book::read_file(file->second, "--submissions", max_source);
        std::error_code error;
        const bool same = fs::is_regular_file(spec.compiled, error) &&
                          book::read_file(spec.compiled, "the staging folder", max_source) == text;
        if (!same) {
            book::write_file(spec.compiled, text);
        }
        ChapterResult c = grade_chapter(class_build, spec, options);
        const std::string shown = fs::relative(file->second, base, error).string();
        c.student = shown;
        // The staged copy's path, absolute or from the sources, as the student's file.
        for (const std::string& staged : {spec.compiled, relative_to(spec.compiled, class_build.source_dir)}) {
            c.compile_error = replace_all(c.compile_error, staged, shown);
            for (Result& r : c.results) {
                r.message = replace_all(r.message, staged, shown);
            }
        }
        s.chapters.push_back(c);
    }
    if (!submission.files.empty() && !missing.empty()) {
        s.warnings.push_back("no file for chapter" + std::string(missing.size() > 1 ? "s " : " ") + join_list(missing) +
                             ": scored 0");
    }
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
}

}  // namespace grader

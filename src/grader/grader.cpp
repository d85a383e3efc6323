#include "grader/grader.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "book/text.hpp"

namespace grader {

namespace {

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::string trim(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return "";
    }
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The text of a `//` comment line; false when the line is not one.
bool comment_text(const std::string& line, std::string& text)
{
    const std::string t = trim(line);
    if (t.rfind("//", 0) != 0) {
        return false;
    }
    const auto body = t.find_first_not_of('/');
    text = body == std::string::npos ? "" : trim(t.substr(body));
    return true;
}

// `text` wrapped at `width` columns, every line after the first indented by `indent`;
// line breaks in `text` are kept.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent)
{
    std::string out;
    const std::vector<std::string> paragraphs = lines_of(text);
    for (std::size_t p = 0; p < paragraphs.size(); ++p) {
        std::istringstream words(paragraphs[p]);
        std::string line;
        for (std::string word; words >> word;) {
            if (!line.empty() && book::display_width(line) + 1 + book::display_width(word) > width) {
                out += line + "\n" + indent;
                line.clear();
            }
            line += (line.empty() ? "" : " ") + word;
        }
        out += line;
        if (p + 1 < paragraphs.size()) {
            out += "\n" + indent;
        }
    }
    return out;
}

constexpr auto pad = book::pad_right;

// How the table shows an outcome, and its name in the files.
struct OutcomeText {
    const char* shown;
    const char* name;
};

OutcomeText text_of(Outcome o)
{
    switch (o) {
    case Outcome::passed:
        return {"✓ passed", "passed"};
    case Outcome::failed:
        return {"✗ failed", "failed"};
    case Outcome::refused:
        return {"✗ refused", "refused"};
    case Outcome::not_compiled:
        return {"✗ did not compile", "did not compile"};
    case Outcome::crashed:
        return {"✗ crashed", "crashed"};
    case Outcome::timed_out:
        return {"✗ did not finish", "did not finish"};
    case Outcome::tampered:
        return {"✗ tampered", "tampered"};
    case Outcome::not_submitted:
        return {"✗ not submitted", "not submitted"};
    case Outcome::not_run:
        return {"✗ not run", "not run"};
    }
    return {"", ""};
}

// A wrong answer is a failure in JUnit's terms; anything that kept the test from
// judging the answer is an error.
bool is_failure(Outcome o)
{
    return o == Outcome::failed || o == Outcome::refused;
}

// `text` on one line: each run of spaces and line breaks becomes one space.
std::string one_line(const std::string& text)
{
    std::istringstream words(text);
    std::string out;
    for (std::string word; words >> word;) {
        out += (out.empty() ? "" : " ") + word;
    }
    return out;
}

// At most `n` bytes of the end of `text`, cut at a line start.
std::string tail(const std::string& text, std::size_t n)
{
    if (text.size() <= n) {
        return text;
    }
    std::string t = text.substr(text.size() - n);
    const auto nl = t.find('\n');
    return "...\n" + (nl == std::string::npos ? t : t.substr(nl + 1));
}

// What a student reads about a result that is not a pass.
std::string explain(const Result& r)
{
    std::string text = r.message;
    if (!r.where.empty()) {
        text += "\n(at " + r.where + ")";
    }
    if (!r.notice.empty()) {
        text += "\nNotice: " + r.notice;
    }
    if (!r.exercise.hint.empty()) {
        text += "\nHint: " + r.exercise.hint;
    }
    for (std::size_t k = 1; k < r.failures.size(); ++k) {
        text += "\nAlso failed: " + r.failures[k].message +
                (r.failures[k].where.empty() ? "" : " (at " + r.failures[k].where + ")");
    }
    if (!r.output.empty()) {
        text += "\nThe exercise printed:\n" + r.output;
    }
    return text;
}

// The lines of the handout's comment block of exercise `number` ("1.2"): from its
// heading to the last comment line, as indices [first, last); and where the next
// exercise's heading is (or the end). first == last when there is none.
struct Block {
    std::size_t first = 0, last = 0, next = 0;
};

bool is_heading(const std::string& line, const std::regex& heading)
{
    std::string text;
    return comment_text(line, text) && std::regex_search(text, heading);
}

Block exercise_block(const std::vector<std::string>& lines, const std::string& number)
{
    static const std::regex any_heading("^Exercise [0-9]+\\.[0-9]+([^0-9]|$)");
    const std::regex heading("^Exercise " + replace_all(number, ".", "\\.") + "([^0-9]|$)");
    Block b;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!is_heading(lines[i], heading)) {
            continue;
        }
        b.first = i;
        std::string text;
        std::size_t j = i + 1;
        while (j < lines.size() && comment_text(lines[j], text) && !is_heading(lines[j], any_heading)) {
            ++j;
        }
        b.last = j;
        while (j < lines.size() && !is_heading(lines[j], any_heading)) {
            ++j;
        }
        b.next = j;
        return b;
    }
    b.next = lines.size();
    return b;
}

// The paragraph of a comment block that starts with `label` ("Hint:"), on one line.
std::string paragraph(const std::vector<std::string>& lines, const Block& b, const std::string& label)
{
    std::string found;
    bool inside = false;
    for (std::size_t j = b.first + 1; j < b.last; ++j) {
        std::string text;
        comment_text(lines[j], text);
        if (!inside && text.rfind(label, 0) == 0) {
            inside = true;
            text = trim(text.substr(label.size()));
        } else if (inside && (text.empty() || text.find_first_not_of("-=") == std::string::npos ||
                              std::regex_search(text, std::regex("^[A-Z][a-z]+:")))) {
            break;
        }
        if (inside) {
            found += (found.empty() ? "" : " ") + text;
        }
    }
    return found;
}

std::string csv_field(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    return "\"" + replace_all(s, "\"", "\"\"") + "\"";
}

// The numbers of the exercises in `chapters`, in order, each once.
std::vector<std::string> exercise_numbers(const std::vector<ChapterResult>& chapters)
{
    std::vector<std::pair<std::pair<int, int>, std::string>> numbers;
    for (const ChapterResult& c : chapters) {
        for (const Result& r : c.results) {
            numbers.push_back({{r.exercise.chapter, r.exercise.k}, r.exercise.number()});
        }
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    std::vector<std::string> out;
    for (const auto& n : numbers) {
        out.push_back(n.second);
    }
    return out;
}

std::string string_or(const nlohmann::json& j, const char* key, const std::string& otherwise)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

}  // namespace

Manifest parse_manifest(const std::string& text)
{
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        throw std::invalid_argument("the exercise manifest is not JSON");
    }
    static const std::regex chapter_name("ch([0-9]{2})_[A-Za-z0-9_]+");
    try {
        Manifest m;
        m.description = string_or(j, "description", "the student's files");
        m.build_dir = j.at("build_dir").get<std::string>();
        m.source_dir = j.at("source_dir").get<std::string>();
        m.cmake = j.at("cmake").get<std::string>();
        m.generator = string_or(j, "generator", "");
        m.cxx = string_or(j, "cxx", "");
        m.build_type = string_or(j, "build_type", "");
        m.objdump = string_or(j, "objdump", "");
        m.exercises_from = string_or(j, "exercises_from", "");
        m.hidden_tests = string_or(j, "hidden_tests", "");
        if (!j.at("chapters").is_array()) {
            throw std::invalid_argument("the exercise manifest's \"chapters\" is not a list");
        }
        std::set<int> numbers;
        for (const auto& c : j.at("chapters")) {
            ChapterSpec s;
            s.chapter = c.at("chapter").get<std::string>();
            std::smatch match;
            if (!std::regex_match(s.chapter, match, chapter_name)) {
                throw std::invalid_argument("the exercise manifest names a chapter \"" + s.chapter +
                                            "\", not chNN_slug");
            }
            s.number = std::stoi(match[1]);
            if (!numbers.insert(s.number).second) {
                throw std::invalid_argument("the exercise manifest lists chapter " + std::to_string(s.number) +
                                            " twice");
            }
            s.target = c.at("target").get<std::string>();
            s.program = c.at("program").get<std::string>();
            s.student = c.at("student").get<std::string>();
            s.compiled = c.at("compiled").get<std::string>();
            s.tests = c.at("tests").get<std::string>();
            s.hidden_tests = string_or(c, "hidden_tests", "");
            s.object_target = string_or(c, "object_target", "");
            s.object = string_or(c, "object", "");
            s.solutions = string_or(c, "solutions", "");
            m.chapters.push_back(s);
        }
        std::sort(m.chapters.begin(), m.chapters.end(),
                  [](const ChapterSpec& a, const ChapterSpec& b) { return a.number < b.number; });
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("the exercise manifest is incomplete: ") + e.what());
    }
}

std::vector<Exercise> parse_exercises(const std::string& tests_source, bool teacher_only)
{
    static const std::regex test_case(
        R"re(TEST_CASE\s*\(\s*"(Exercise (\d+)\.(\d+): ([^"]*))"\s*(?:,\s*"([^"]*)")?)re");
    static const std::regex tag(R"(\[([^\]]*)\])");
    std::vector<Exercise> found;
    for (auto it = std::sregex_iterator(tests_source.begin(), tests_source.end(), test_case);
         it != std::sregex_iterator(); ++it) {
        Exercise e;
        e.name = (*it)[1];
        e.chapter = std::stoi((*it)[2]);
        e.k = std::stoi((*it)[3]);
        e.title = (*it)[4];
        e.teacher_only = teacher_only;
        const std::string tags = (*it)[5];
        for (auto t = std::sregex_iterator(tags.begin(), tags.end(), tag); t != std::sregex_iterator(); ++t) {
            const std::string value = (*t)[1];
            if (value.rfind("weight:", 0) == 0) {
                const std::string w = value.substr(7);
                char* end = nullptr;
                e.weight = std::strtod(w.c_str(), &end);
                if (w.empty() || *end != '\0' || !(e.weight > 0.0) || e.weight > 1000.0) {
                    throw std::invalid_argument("\"" + e.name + "\": [" + value +
                                                "] is not a weight (a number above 0, at most 1000)");
                }
            } else if (value.rfind("visibility:", 0) == 0) {
                e.visibility = value.substr(11);
                if (std::find(visibilities.begin(), visibilities.end(), e.visibility) == visibilities.end()) {
                    throw std::invalid_argument("\"" + e.name + "\": [" + value +
                                                "] is not one of Gradescope's visibilities (hidden, after_due_date, "
                                                "after_published, visible)");
                }
            }
        }
        found.push_back(e);
    }
    return found;
}

std::string parse_hint(const std::string& student_source, const std::string& number)
{
    const std::vector<std::string> lines = lines_of(student_source);
    const Block b = exercise_block(lines, number);
    return b.first == b.last ? "" : paragraph(lines, b, "Hint:");
}

LibraryPolicy parse_policy(const std::string& student_source, const std::string& number)
{
    LibraryPolicy p;
    p.number = number;
    const std::vector<std::string> lines = lines_of(student_source);
    const Block b = exercise_block(lines, number);
    if (b.first == b.last) {
        return p;
    }
    // The functions defined between this exercise's comment and the next exercise's.
    static const std::regex definition(R"(^[A-Za-z_][^;(]*[\s:*&]([A-Za-z_]\w*)\s*\()");
    for (std::size_t i = b.last; i < b.next; ++i) {
        std::smatch m;
        if (std::regex_search(lines[i], m, definition) && lines[i].rfind("namespace", 0) != 0) {
            if (std::find(p.functions.begin(), p.functions.end(), m[1].str()) == p.functions.end()) {
                p.functions.push_back(m[1]);
            }
        }
    }
    std::string text;
    for (std::size_t j = b.first + 1; j < b.last; ++j) {
        comment_text(lines[j], text);
        if (text.rfind("Library:", 0) == 0) {
            p.stated = true;
        }
    }
    if (!p.stated) {
        return p;
    }
    const std::string list = paragraph(lines, b, "Library:");
    static const std::regex name(R"([A-Za-z_]\w*(::[A-Za-z_]\w*)+)");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), name); it != std::sregex_iterator(); ++it) {
        if (std::find(p.allowed.begin(), p.allowed.end(), it->str()) == p.allowed.end()) {
            p.allowed.push_back(it->str());
        }
    }
    return p;
}

std::string first_compile_error(const std::string& log, const std::string& source_dir)
{
    const std::vector<std::string> lines = lines_of(log);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].find("error:") == std::string::npos && lines[i].find("error :") == std::string::npos) {
            continue;
        }
        std::string text = lines[i];
        // GCC follows an error with the source line and a caret, each starting "  N |" or "    |".
        for (std::size_t j = i + 1; j < lines.size() && j <= i + 2; ++j) {
            if (lines[j].find(" |") == std::string::npos) {
                break;
            }
            text += "\n" + lines[j];
        }
        return replace_all(text, source_dir + "/", "");
    }
    return "";
}

Result judge_run(const Exercise& e, const Finished& run, double timeout)
{
    Result r;
    r.exercise = e;
    r.seconds = run.seconds;
    const std::string printed = trim(run.output);
    if (run.timed_out) {
        r.outcome = Outcome::timed_out;
        std::ostringstream limit;
        limit << timeout;
        r.message = "did not finish within " + limit.str() + " s (an endless loop?)";
        r.output = tail(printed, 2000);
        return r;
    }
    // The records, each one JSON object on a line of its own.
    std::vector<nlohmann::json> records;
    bool garbled = false;
    for (const std::string& line : lines_of(run.report)) {
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("event") || !j["event"].is_string()) {
            garbled = true;
            continue;
        }
        records.push_back(j);
    }
    const auto is = [&](std::size_t k, const char* event, bool named) {
        return k < records.size() && records[k]["event"] == event &&
               (!named || (records[k].contains("name") && records[k]["name"] == e.name));
    };
    const bool complete = records.size() == 3 && is(0, "start", true) && is(1, "case", true) && is(2, "end", false);
    const bool prefix = records.empty() || (records.size() == 1 && is(0, "start", true)) ||
                        (records.size() == 2 && is(0, "start", true) && is(1, "case", true));
    const bool none_found = records.size() == 1 && is(0, "end", false);
    if (garbled || !(complete || prefix || none_found)) {
        r.outcome = Outcome::tampered;
        r.message = "its test program's report is not the one the grader asked for (" + std::to_string(records.size()) +
                    " records" + (garbled ? " and lines that are not records" : "") +
                    " where one start, one result and one end were due): the exercise earns nothing";
        r.output = tail(printed, 2000);
        return r;
    }
    if (none_found && !run.signaled && run.status == 0) {
        r.outcome = Outcome::not_run;
        r.message = "the test program has no test named exactly \"" + e.name +
                    "\": a fault of the grading files, not of your code (tell your teacher)";
        return r;
    }
    if (!complete) {
        r.outcome = Outcome::crashed;
        if (run.signaled) {
            r.message =
                "crashed (signal " + std::to_string(run.signal) + ", " + signal_name(run.signal) + ") in this exercise";
        } else if (run.status == 127 && records.empty()) {
            r.message = "the test program could not be started";
        } else {
            r.message = "ended its test program (exit status " + std::to_string(run.status) +
                        ") before the test was over: does it call exit() or abort()?";
        }
        r.output = tail(printed, 2000);
        return r;
    }
    const nlohmann::json& c = records[1];
    const bool passed = c.value("passed", false);
    const int due = passed ? 0 : 1;
    const nlohmann::json& end = records[2];
    if (run.signaled || run.status != due || !end.contains("failed_cases") || end["failed_cases"] != due) {
        r.outcome = Outcome::tampered;
        r.message = std::string("its test program reported ") + (passed ? "a pass" : "a failure") + " but " +
                    (run.signaled ? "was ended by " + signal_name(run.signal)
                                  : "exited with status " + std::to_string(run.status)) +
                    ": the report and the program disagree, so the exercise earns nothing";
        r.output = tail(printed, 2000);
        return r;
    }
    r.outcome = passed ? Outcome::passed : Outcome::failed;
    const std::string captured = c.contains("output") && c["output"].is_string() ? c["output"].get<std::string>() : "";
    r.output = tail(trim(captured + (captured.empty() || printed.empty() ? "" : "\n") + printed), 2000);
    const auto failure_of = [](const nlohmann::json& f) {
        Failure out;
        out.message = f.is_object() ? string_or(f, "message", "") : "";
        const std::string file = f.is_object() ? string_or(f, "file", "") : "";
        if (!file.empty()) {
            out.where = file + ":" + std::to_string(f.value("line", 0));
        }
        return out;
    };
    if (c.contains("failures") && c["failures"].is_array()) {
        for (const nlohmann::json& f : c["failures"]) {
            const Failure one = failure_of(f);
            // A check in a loop fails the same way at the same line again and again.
            if (std::none_of(r.failures.begin(), r.failures.end(), [&](const Failure& seen) {
                    return seen.message == one.message && seen.where == one.where;
                })) {
                r.failures.push_back(one);
            }
        }
    } else if (c.contains("failure")) {
        r.failures.push_back(failure_of(c["failure"]));
    }
    if (!passed && r.failures.empty()) {
        r.failures.push_back({"the test failed without a message", ""});
    }
    if (!r.failures.empty()) {
        r.message = r.failures[0].message;
        r.where = r.failures[0].where;
        // A matcher's remark on the failure's numbers: "Notice: ...".
        const auto at = r.message.find("Notice: ");
        if (at != std::string::npos) {
            const std::string line = r.message.substr(at + 8, r.message.find('\n', at) - at - 8);
            r.notice = trim(line.substr(0, line.find("; ")));  // the test's INFO follows "; "
        }
    }
    return r;
}

std::vector<Result> results_of(const std::vector<Exercise>& exercises, Outcome outcome, const std::string& message)
{
    std::vector<Result> results;
    for (const Exercise& e : exercises) {
        Result r;
        r.exercise = e;
        r.outcome = outcome;
        r.message = message;
        results.push_back(r);
    }
    return results;
}

std::vector<Result> not_compiled(const std::vector<Exercise>& exercises, const std::string& first_error)
{
    const std::string chapter = exercises.empty() ? "" : std::to_string(exercises[0].chapter);
    return results_of(
        exercises, Outcome::not_compiled,
        "chapter " + chapter + "'s exercises did not compile" + (first_error.empty() ? "" : "\n" + first_error));
}

Score score(const std::vector<ChapterResult>& chapters)
{
    Score s;
    for (const ChapterResult& c : chapters) {
        for (const Result& r : c.results) {
            s.total += 1;
            s.passed += r.outcome == Outcome::passed ? 1 : 0;
            s.points += r.score();
            s.max_points += r.exercise.weight;
        }
    }
    return s;
}

std::string format_points(double points)
{
    std::ostringstream s;
    if (std::abs(points - std::round(points)) < 1e-9) {
        s << static_cast<long long>(std::llround(points));
    } else {
        s << std::setprecision(6) << points;
    }
    return s.str();
}

std::string outcome_name(Outcome o)
{
    return text_of(o).name;
}

std::string format_table(const std::vector<ChapterResult>& chapters, const TableOptions& options)
{
    std::ostringstream out;
    out << wrap("Exercises graded: " +
                    (options.description.empty() ? std::string("the student's files") : options.description),
                80, "")
        << "\n\n";
    // One row per chapter, then one per test, so the table fits 80 columns.
    const std::size_t w_exercise = 56;
    out << "  " << pad("chapter, exercise", w_exercise + 3) << "result\n";
    std::vector<const Result*> to_do;
    std::vector<const ChapterResult*> owner;
    std::vector<std::string> now_passing, now_failing;
    std::set<std::string> graded;
    std::vector<std::string> unsubmitted;
    for (const ChapterResult& c : chapters) {
        const std::string row = "  " + std::to_string(c.spec.number) + "  " + c.spec.chapter;
        // A chapter the submission has no file for is one row.
        const bool submitted = c.results.empty() || c.results[0].outcome != Outcome::not_submitted;
        if (c.results.empty()) {
            out << row << "  (no exercises found in " << relative_to(c.spec.tests, "") << ")\n";
        } else if (!submitted) {
            out << pad(row, w_exercise + 5) << text_of(Outcome::not_submitted).shown << "\n";
            unsubmitted.push_back(std::to_string(c.spec.number));
        } else {
            out << row << "\n";
        }
        for (const Result& r : c.results) {
            graded.insert(r.exercise.name);
            if (!submitted) {
                continue;
            }
            std::string title = r.exercise.number() + "  " + r.exercise.title;
            if (r.exercise.teacher_only || r.exercise.weight != 1.0) {
                std::string extra = r.exercise.teacher_only ? "hidden test" : "";
                if (r.exercise.weight != 1.0) {
                    extra += (extra.empty() ? "" : ", ") + format_points(r.exercise.weight) + " points";
                }
                title += " (" + extra + ")";
            }
            // A title too long for its column puts the result on a line of its own.
            const bool long_title = book::display_width(title) + 1 > w_exercise;
            out << "     " << (long_title ? title + "\n     " + pad("", w_exercise) : pad(title, w_exercise))
                << text_of(r.outcome).shown << "\n";
            if (r.outcome != Outcome::passed && r.outcome != Outcome::not_compiled) {
                to_do.push_back(&r);
                owner.push_back(&c);
            }
            const auto before = options.before.find(r.exercise.name);
            if (before != options.before.end()) {
                const bool was = before->second == "passed", is = r.outcome == Outcome::passed;
                std::vector<std::string>& list = is ? now_passing : now_failing;
                if (is != was && std::find(list.begin(), list.end(), r.exercise.number()) == list.end()) {
                    list.push_back(r.exercise.number());
                }
            }
        }
    }
    const Score s = score(chapters);
    // With the tests not graded this time as they were last time.
    int passed_all = s.passed, total_all = s.total;
    for (const auto& [name, outcome] : options.before) {
        if (graded.count(name) == 0) {
            total_all += 1;
            passed_all += outcome == "passed" ? 1 : 0;
        }
    }
    const int bar = 40;
    const int done = total_all == 0 ? 0 : passed_all * bar / total_all;
    out << "\n  Progress: [" << std::string(static_cast<std::size_t>(done), '#')
        << (done < bar ? ">" + std::string(static_cast<std::size_t>(bar - done - 1), '-') : "") << "]  " << passed_all
        << "/" << total_all << " pass";
    if (total_all > 0) {
        out << " (" << (100 * passed_all + total_all / 2) / total_all << "%)";
    }
    out << "\n";
    if (total_all != s.total) {
        out << "            " << s.total << " graded now, " << total_all - s.total << " as they were last graded\n";
    }
    if (s.max_points != s.total || s.points != s.passed) {
        out << "  Score: " << format_points(s.points) << " / " << format_points(s.max_points) << " points (" << s.passed
            << " of " << s.total << " tests pass)\n";
    } else {
        out << "  Score: " << s.passed << " / " << s.total << "\n";
    }
    if (!now_passing.empty() || !now_failing.empty()) {
        std::string changes;
        if (!now_passing.empty()) {
            changes += join_list(now_passing) + " now pass" + (now_passing.size() == 1 ? "es" : "");
        }
        if (!now_failing.empty()) {
            changes += std::string(changes.empty() ? "" : "; ") + join_list(now_failing) + " passed last time and " +
                       (now_failing.size() == 1 ? "does" : "do") + " not now";
        }
        out << "  Since the last run: " << wrap(changes + ".", 58, "                      ") << "\n";
    }
    for (const ChapterResult& c : chapters) {
        if (!c.compiled) {
            out << "\nChapter " << c.spec.number << " (" << c.spec.chapter
                << ") did not compile; its exercises were not run.\n";
            if (!c.compile_error.empty()) {
                out << "The first error:\n" << c.compile_error << "\n";
            }
            out << "The whole compiler output: " << c.build_log << "\n";
        }
    }
    if (!unsubmitted.empty()) {
        const std::string list = join_list(unsubmitted);
        out << "\n"
            << wrap("Not submitted: no chNN_exercises.cpp for chapter" +
                        std::string(unsubmitted.size() > 1 ? "s " : " ") + list + ", so " +
                        (unsubmitted.size() > 1 ? "they score" : "it scores") + " 0.",
                    80, "")
            << "\n";
    }
    if (!to_do.empty()) {
        const std::size_t shown = options.all_failures ? to_do.size() : 1;
        out << "\n" << (options.all_failures ? "The exercises to do:" : "The first exercise to do:");
        for (std::size_t i = 0; i < shown; ++i) {
            const Result& r = *to_do[i];
            const std::string indent = "           ";
            out << (options.all_failures ? "\n\n" : " ") << r.exercise.number() << ", " << r.exercise.title << "\n";
            if (!owner[i]->student.empty()) {
                out << "  Edit:    " << owner[i]->student << "\n";
            }
            out << "  Result:  " << text_of(r.outcome).name << "\n";
            out << "  Message: " << wrap(r.message, 68, indent) << "\n";
            if (!r.where.empty()) {
                out << "  At:      " << r.where << "\n";
            }
            if (!r.notice.empty()) {
                out << "  Notice:  " << wrap(r.notice, 68, indent) << "\n";
            }
            if (!r.exercise.hint.empty()) {
                out << "  Hint:    " << wrap(r.exercise.hint, 68, indent) << "\n";
            }
            if (options.all_failures) {
                // A handful of the other failed checks; the files have them all.
                const std::size_t shown_checks = std::min<std::size_t>(r.failures.size(), 4);
                for (std::size_t k = 1; k < shown_checks; ++k) {
                    out << "  Also:    " << wrap(r.failures[k].message, 68, indent) << "\n";
                    if (!r.failures[k].where.empty()) {
                        out << "  At:      " << r.failures[k].where << "\n";
                    }
                }
                if (r.failures.size() > shown_checks) {
                    out << "  (and " << r.failures.size() - shown_checks
                        << " more failed checks, in junit.xml and results.json)\n";
                }
                if (!r.output.empty()) {
                    out << "  Printed: " << wrap(r.output, 68, indent) << "\n";
                }
            }
        }
        if (!options.all_failures && to_do.size() > 1) {
            out << "(" << to_do.size() - 1 << " more to do: --all-failures shows every one.)\n";
        }
    } else if (s.total > 0 && s.passed == s.total) {
        out << "\nEvery exercise passes.\n";
    }
    return out.str();
}

namespace {

// What a policy allows, in words.
std::string allowed_text(const LibraryPolicy& p)
{
    if (!p.stated) {
        return "anything (no Library: paragraph)";
    }
    return p.allowed.empty() ? "none" : join_list(p.allowed, ", ");
}

}  // namespace

std::string format_hint(const std::string& number, const std::string& file, const std::vector<Exercise>& tests,
                        const LibraryPolicy& policy, const std::string& hint)
{
    const std::string indent(11, ' ');
    std::ostringstream out;
    out << "Exercise " << number << "\n";
    out << "  Edit:    " << file << "\n";
    for (const Exercise& e : tests) {
        out << "  Test:    " << wrap(e.name + (e.teacher_only ? " (hidden test)" : ""), 68, indent) << "\n";
    }
    std::vector<std::string> calls;
    for (const std::string& f : policy.functions) {
        calls.push_back(f + "()");
    }
    const std::string functions = join_list(calls, ", ");
    out << "  Write:   " << wrap(functions.empty() ? "(none found)" : functions, 68, indent) << "\n";
    out << "  Calls:   " << wrap(allowed_text(policy) + ", and the library's types", 68, indent) << "\n";
    out << "  Hint:    " << wrap(hint.empty() ? "(none)" : hint, 68, indent) << "\n";
    return out.str();
}

std::string format_policies(const std::vector<LibraryPolicy>& policies)
{
    std::ostringstream out;
    out << "  exercise  the library functions it may call\n";
    for (const LibraryPolicy& p : policies) {
        out << "  " << pad(p.number, 10) << wrap(allowed_text(p), 68, std::string(12, ' ')) << "\n";
    }
    const std::string always = join_list(always_allowed(), ", ");
    out << "\n"
        << wrap(
               "Every exercise may also use the library's types and the helpers that name shapes and "
               "values in messages: " +
                   always + ".",
               80, "")
        << "\n";
    return out.str();
}

std::string xml_escape(const std::string& text)
{
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            // Control characters other than tab, newline and return are not allowed in XML 1.0.
            out += (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') ? '?' : ch;
        }
    }
    return out;
}

std::string junit_xml(const std::vector<ChapterResult>& chapters)
{
    struct Counts {
        long tests = 0, failures = 0, errors = 0;
        double seconds = 0;
    };
    const auto count = [](const ChapterResult& c) {
        Counts n;
        for (const Result& r : c.results) {
            n.tests += 1;
            n.failures += is_failure(r.outcome) ? 1 : 0;
            n.errors += r.outcome != Outcome::passed && !is_failure(r.outcome) ? 1 : 0;
            n.seconds += r.seconds;
        }
        return n;
    };
    Counts all;
    for (const ChapterResult& c : chapters) {
        const Counts n = count(c);
        all.tests += n.tests;
        all.failures += n.failures;
        all.errors += n.errors;
        all.seconds += n.seconds;
    }
    std::ostringstream x;
    x << std::fixed << std::setprecision(3);
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x << "<testsuites name=\"exercises\" tests=\"" << all.tests << "\" failures=\"" << all.failures << "\" errors=\""
      << all.errors << "\" time=\"" << all.seconds << "\">\n";
    for (const ChapterResult& c : chapters) {
        const Counts n = count(c);
        x << "  <testsuite name=\"" << xml_escape(c.spec.chapter) << "\" tests=\"" << n.tests << "\" failures=\""
          << n.failures << "\" errors=\"" << n.errors << "\" time=\"" << n.seconds << "\">\n";
        for (const Result& r : c.results) {
            x << "    <testcase classname=\"" << xml_escape(c.spec.chapter) << "\" name=\""
              << xml_escape(r.exercise.name) << "\" time=\"" << r.seconds << "\"";
            if (r.outcome == Outcome::passed) {
                x << "/>\n";
                continue;
            }
            const char* tag = is_failure(r.outcome) ? "failure" : "error";
            // The attribute is one line: all of a failed check (Catch2 prints its values on
            // lines of their own), the first line of anything else.
            const std::string summary =
                r.outcome == Outcome::failed ? one_line(r.message) : r.message.substr(0, r.message.find('\n'));
            x << ">\n      <" << tag << " type=\"" << text_of(r.outcome).name << "\" message=\"" << xml_escape(summary)
              << "\">" << xml_escape(explain(r)) << "</" << tag << ">\n";
            x << "    </testcase>\n";
        }
        x << "  </testsuite>\n";
    }
    x << "</testsuites>\n";
    return x.str();
}

nlohmann::json gradescope_json(const std::vector<ChapterResult>& chapters, double seconds)
{
    nlohmann::json tests = nlohmann::json::array();
    for (const ChapterResult& c : chapters) {
        for (const Result& r : c.results) {
            const bool ok = r.outcome == Outcome::passed;
            tests.push_back({{"number", r.exercise.number()},
                             {"name", r.exercise.name},
                             {"score", r.score()},
                             {"max_score", r.exercise.weight},
                             {"status", ok ? "passed" : "failed"},
                             {"output", ok ? std::string("passed") : explain(r)},
                             {"tags", {c.spec.chapter}},
                             {"visibility", r.exercise.visibility}});
        }
    }
    const Score s = score(chapters);
    return {{"score", s.points},
            {"max_score", s.max_points},
            {"execution_time", static_cast<int>(seconds + 0.5)},
            {"output", std::to_string(s.passed) + " of " + std::to_string(s.total) + " tests pass: " +
                           format_points(s.points) + " of " + format_points(s.max_points) + " points."},
            {"visibility", "visible"},
            {"stdout_visibility", "hidden"},
            {"tests", tests}};
}

nlohmann::json results_json(const std::vector<ChapterResult>& chapters)
{
    nlohmann::json out = nlohmann::json::array();
    for (const ChapterResult& c : chapters) {
        nlohmann::json exercises = nlohmann::json::array();
        for (const Result& r : c.results) {
            nlohmann::json failures = nlohmann::json::array();
            for (const Failure& f : r.failures) {
                failures.push_back({{"message", f.message}, {"where", f.where}});
            }
            exercises.push_back({{"number", r.exercise.number()},
                                 {"title", r.exercise.title},
                                 {"name", r.exercise.name},
                                 {"result", text_of(r.outcome).name},
                                 {"message", r.message},
                                 {"where", r.where},
                                 {"notice", r.notice},
                                 {"failures", failures},
                                 {"hint", r.exercise.hint},
                                 {"weight", r.exercise.weight},
                                 {"score", r.score()},
                                 {"visibility", r.exercise.visibility},
                                 {"hidden_test", r.exercise.teacher_only},
                                 {"seconds", r.seconds}});
        }
        out.push_back({{"chapter", c.spec.chapter},
                       {"number", c.spec.number},
                       {"compiled", c.compiled},
                       {"compile_error", c.compile_error},
                       {"exercises", exercises}});
    }
    const Score s = score(chapters);
    return {{"passed", s.passed},
            {"total", s.total},
            {"points", s.points},
            {"max_points", s.max_points},
            {"chapters", out}};
}

std::string scores_csv(const std::vector<StudentResult>& students)
{
    std::vector<ChapterResult> every;
    for (const StudentResult& s : students) {
        every.insert(every.end(), s.chapters.begin(), s.chapters.end());
    }
    const std::vector<std::string> numbers = exercise_numbers(every);
    std::string csv = "student";
    for (const std::string& n : numbers) {
        csv += "," + n;
    }
    csv += ",total\n";
    for (const StudentResult& s : students) {
        std::map<std::string, double> points;
        for (const ChapterResult& c : s.chapters) {
            for (const Result& r : c.results) {
                points[r.exercise.number()] += r.score();
            }
        }
        csv += csv_field(s.name);
        double total = 0;
        for (const std::string& n : numbers) {
            csv += "," + format_points(points[n]);
            total += points[n];
        }
        csv += "," + format_points(total) + "\n";
    }
    return csv;
}

std::string class_summary(const std::vector<StudentResult>& students)
{
    std::ostringstream out;
    double seconds = 0;
    std::size_t w_name = 7;
    for (const StudentResult& s : students) {
        seconds += s.seconds;
        w_name = std::max(w_name, book::display_width(s.name));
    }
    w_name = std::min<std::size_t>(w_name, 24);
    out << "  " << pad("student", w_name + 2) << pad("points", 12) << pad("tests pass", 13) << pad("seconds", 9)
        << "warnings\n";
    for (const StudentResult& s : students) {
        const Score sc = score(s.chapters);
        std::ostringstream secs;
        secs << std::fixed << std::setprecision(1) << s.seconds;
        out << "  " << pad(s.name, w_name + 2)
            << pad(format_points(sc.points) + " / " + format_points(sc.max_points), 12)
            << pad(std::to_string(sc.passed) + " of " + std::to_string(sc.total), 13) << pad(secs.str(), 9)
            << (s.warnings.empty() ? "" : std::to_string(s.warnings.size())) << "\n";
    }
    std::ostringstream mean;
    mean << std::fixed << std::setprecision(1) << seconds << " s, "
         << (students.empty() ? 0.0 : seconds / static_cast<double>(students.size())) << " s per student";
    out << "\n  " << students.size() << " students graded in " << mean.str() << ".\n";
    bool any = false;
    for (const StudentResult& s : students) {
        for (const std::string& w : s.warnings) {
            if (!any) {
                out << "\nWarnings:\n";
                any = true;
            }
            out << "  " << wrap(s.name + ": " + w, 76, "    ") << "\n";
        }
    }
    return out.str();
}

std::string catch_test_spec(const std::string& name)
{
    std::string spec;
    for (const char c : name) {
        if (c == '\\' || c == ',' || c == '[' || c == ']' || c == '"' || c == '~' || c == '*') {
            spec += '\\';
        }
        spec += c;
    }
    return spec;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to)
{
    if (from.empty()) {
        return s;
    }
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

std::string join_list(const std::vector<std::string>& items, const std::string& last, const std::string& between)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == items.size() ? last : between) + items[i];
    }
    return out;
}

std::string relative_to(const std::string& path, const std::string& dir)
{
    if (dir.empty()) {
        return path;
    }
    const std::string prefix = dir + "/";
    return path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
}

}  // namespace grader

#include "grader/grader.hpp"

#include <algorithm>
#include <iomanip>
#include <map>
#include <regex>
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
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return "";
    }
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The text of a `//` comment line, or nullopt-like "\x01" when the line is not one.
bool comment_text(const std::string& line, std::string& text)
{
    const std::string t = trim(line);
    if (t.rfind("//", 0) != 0) {
        return false;
    }
    text = trim(t.substr(t.find_first_not_of('/') == std::string::npos ? t.size() : t.find_first_not_of('/')));
    return true;
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

// `text` wrapped at `width` columns, every line after the first indented by `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent)
{
    std::istringstream words(text);
    std::string out, line;
    for (std::string word; words >> word;) {
        if (!line.empty() && book::display_width(line) + 1 + book::display_width(word) > width) {
            out += line + "\n" + indent;
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    return out + line;
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
    case Outcome::not_compiled:
        return {"✗ did not compile", "did not compile"};
    case Outcome::not_finished:
        return {"✗ did not finish", "did not finish"};
    }
    return {"", ""};
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

// What a student reads about a result that is not a pass.
std::string explain(const Result& r)
{
    std::string text = r.message;
    if (!r.where.empty()) {
        text += "\n(at " + r.where + ")";
    }
    if (!r.exercise.hint.empty()) {
        text += "\nHint: " + r.exercise.hint;
    }
    if (!r.output.empty()) {
        text += "\nThe exercise printed:\n" + r.output;
    }
    return text;
}

}  // namespace

Manifest parse_manifest(const std::string& text)
{
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        throw std::invalid_argument("the exercise manifest is not JSON");
    }
    try {
        Manifest m;
        m.description = j.value("description", "the student's files");
        m.build_dir = j.at("build_dir").get<std::string>();
        m.source_dir = j.at("source_dir").get<std::string>();
        m.cmake = j.at("cmake").get<std::string>();
        for (const auto& c : j.at("chapters")) {
            ChapterSpec s;
            s.chapter = c.at("chapter").get<std::string>();
            s.number = std::stoi(s.chapter.substr(2, 2));
            s.target = c.at("target").get<std::string>();
            s.program = c.at("program").get<std::string>();
            s.student = c.at("student").get<std::string>();
            s.compiled = c.at("compiled").get<std::string>();
            s.tests = c.at("tests").get<std::string>();
            m.chapters.push_back(s);
        }
        std::sort(m.chapters.begin(), m.chapters.end(),
                  [](const ChapterSpec& a, const ChapterSpec& b) { return a.number < b.number; });
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("the exercise manifest is incomplete: ") + e.what());
    }
}

std::vector<Exercise> parse_exercises(const std::string& tests_source)
{
    static const std::regex test_case(R"re(TEST_CASE\s*\(\s*"(Exercise (\d+)\.(\d+): ([^"]*))")re");
    std::vector<Exercise> found;
    for (auto it = std::sregex_iterator(tests_source.begin(), tests_source.end(), test_case);
         it != std::sregex_iterator(); ++it) {
        Exercise e;
        e.name = (*it)[1];
        e.chapter = std::stoi((*it)[2]);
        e.k = std::stoi((*it)[3]);
        e.title = (*it)[4];
        found.push_back(e);
    }
    return found;
}

std::string parse_hint(const std::string& student_source, const std::string& number)
{
    const std::vector<std::string> lines = lines_of(student_source);
    const std::regex heading("^Exercise " + replace_all(number, ".", "\\.") + "([^0-9]|$)");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string text;
        if (!comment_text(lines[i], text) || !std::regex_search(text, heading)) {
            continue;
        }
        // The comment block of this exercise: find its "Hint:" paragraph.
        std::string hint;
        bool in_hint = false;
        for (std::size_t j = i + 1; j < lines.size() && comment_text(lines[j], text); ++j) {
            if (!in_hint && text.rfind("Hint:", 0) == 0) {
                in_hint = true;
                text = trim(text.substr(5));
            } else if (in_hint && (text.empty() || text.find_first_not_of("-=") == std::string::npos)) {
                break;
            }
            if (in_hint) {
                hint += (hint.empty() ? "" : " ") + text;
            }
        }
        return hint;
    }
    return "";
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
            if (lines[j].find(" | ") == std::string::npos && lines[j].find(" |") == std::string::npos) {
                break;
            }
            text += "\n" + lines[j];
        }
        return replace_all(text, source_dir + "/", "");
    }
    return "";
}

std::vector<Result> merge_results(const std::vector<Exercise>& exercises, const std::string& reporter_lines,
                                  const std::string& stopped)
{
    std::map<std::string, nlohmann::json> ended;
    std::string running;  // the test case that started and did not end
    bool complete = false;
    for (const std::string& line : lines_of(reporter_lines)) {
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("event")) {
            continue;
        }
        const std::string event = j["event"].get<std::string>();
        if (event == "start") {
            running = j.value("name", "");
        } else if (event == "case") {
            ended[j.value("name", "")] = j;
            running.clear();
        } else if (event == "end") {
            complete = true;
        }
    }
    std::vector<Result> results;
    for (const Exercise& e : exercises) {
        Result r;
        r.exercise = e;
        const auto it = ended.find(e.name);
        if (it != ended.end()) {
            const nlohmann::json& j = it->second;
            r.outcome = j.value("passed", false) ? Outcome::passed : Outcome::failed;
            r.output = j.value("output", "");
            r.seconds = j.value("seconds", 0.0);
            if (j.contains("failure")) {
                r.message = j["failure"].value("message", "");
                const std::string file = j["failure"].value("file", "");
                if (!file.empty()) {
                    r.where = file + ":" + std::to_string(j["failure"].value("line", 0));
                }
            }
        } else {
            r.outcome = Outcome::not_finished;
            if (complete) {
                r.message = "its test did not run (is its TEST_CASE name exactly \"" + e.name + "\"?)";
            } else if (e.name == running) {
                r.message = "the test program " + stopped + " during this exercise";
            } else {
                r.message = "not run: the test program " + stopped +
                            (running.empty() ? "" : " during the exercise before");
            }
        }
        results.push_back(r);
    }
    return results;
}

std::vector<Result> not_compiled(const std::vector<Exercise>& exercises, const std::string& first_error)
{
    std::vector<Result> results;
    for (const Exercise& e : exercises) {
        Result r;
        r.exercise = e;
        r.outcome = Outcome::not_compiled;
        r.message = "chapter " + std::to_string(e.chapter) + "'s exercises did not compile" +
                    (first_error.empty() ? "" : "\n" + first_error);
        results.push_back(r);
    }
    return results;
}

Score score(const std::vector<ChapterResult>& chapters)
{
    Score s;
    for (const ChapterResult& c : chapters) {
        for (const Result& r : c.results) {
            s.total += 1;
            s.passed += r.outcome == Outcome::passed ? 1 : 0;
        }
    }
    return s;
}

std::string format_table(const std::vector<ChapterResult>& chapters, const Manifest& manifest)
{
    std::ostringstream out;
    out << wrap("Exercises graded: " +
                    (manifest.description.empty() ? std::string("the student's files") : manifest.description),
                84, "")
        << "\n\n";
    // One row per chapter, then one per exercise, so the table fits 80 columns.
    const std::size_t w_exercise = 60;
    out << "  " << pad("chapter, exercise", w_exercise + 3) << "result\n";
    const Result* first_failure = nullptr;
    const ChapterResult* first_chapter = nullptr;
    std::vector<const ChapterResult*> broken;
    for (const ChapterResult& c : chapters) {
        if (!c.compiled) {
            broken.push_back(&c);
        }
        out << "  " << c.spec.number << "  " << c.spec.chapter;
        if (c.results.empty()) {
            out << "  (no exercises found in " << c.spec.tests << ")";
        }
        out << "\n";
        for (const Result& r : c.results) {
            out << "     " << pad(r.exercise.number() + "  " + r.exercise.title, w_exercise) << text_of(r.outcome).shown
                << "\n";
            if (r.outcome != Outcome::passed && first_failure == nullptr) {
                first_failure = &r;
                first_chapter = &c;
            }
        }
    }
    const Score s = score(chapters);
    const int bar = 40;
    const int done = s.total == 0 ? 0 : s.passed * bar / s.total;
    out << "\n  Progress: [" << std::string(static_cast<std::size_t>(done), '#')
        << (done < bar ? ">" + std::string(static_cast<std::size_t>(bar - done - 1), '-') : "") << "]  " << s.passed
        << "/" << s.total << " exercises pass";
    if (s.total > 0) {
        out << " (" << (100 * s.passed + s.total / 2) / s.total << "%)";
    }
    out << "\n  Score: " << s.passed << " / " << s.total << "\n";
    for (const ChapterResult* c : broken) {
        out << "\nChapter " << c->spec.number << " (" << c->spec.chapter << ") did not compile; its exercises were not run.\n";
        if (!c->compile_error.empty()) {
            out << "The first error:\n" << c->compile_error << "\n";
        }
        out << "The whole compiler output: " << c->build_log << "\n";
    }
    if (first_failure != nullptr && first_failure->outcome != Outcome::not_compiled) {
        const Result& r = *first_failure;
        out << "\nThe first exercise to do: " << r.exercise.number() << ", " << r.exercise.title << "\n";
        if (!first_chapter->student.empty()) {
            out << "  Edit:    " << first_chapter->student << "\n";
        }
        out << "  Message: " << wrap(r.message, 72, "           ") << "\n";
        if (!r.where.empty()) {
            out << "  At:      " << r.where << "\n";
        }
        if (!r.exercise.hint.empty()) {
            out << "  Hint:    " << wrap(r.exercise.hint, 72, "           ") << "\n";
        }
    } else if (first_failure == nullptr && s.total > 0) {
        out << "\nEvery exercise passes.\n";
    }
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
            if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                out += '?';
            } else {
                out += ch;
            }
        }
    }
    return out;
}

std::string junit_xml(const std::vector<ChapterResult>& chapters)
{
    const auto count = [](const ChapterResult& c, Outcome o) {
        return std::count_if(c.results.begin(), c.results.end(), [o](const Result& r) { return r.outcome == o; });
    };
    long tests = 0, failures = 0, errors = 0;
    for (const ChapterResult& c : chapters) {
        tests += static_cast<long>(c.results.size());
        failures += count(c, Outcome::failed);
        errors += count(c, Outcome::not_compiled) + count(c, Outcome::not_finished);
    }
    std::ostringstream x;
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x << "<testsuites name=\"exercises\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\">\n";
    for (const ChapterResult& c : chapters) {
        x << "  <testsuite name=\"" << xml_escape(c.spec.chapter) << "\" tests=\"" << c.results.size()
          << "\" failures=\"" << count(c, Outcome::failed) << "\" errors=\""
          << count(c, Outcome::not_compiled) + count(c, Outcome::not_finished) << "\">\n";
        for (const Result& r : c.results) {
            x << "    <testcase classname=\"" << xml_escape(c.spec.chapter) << "\" name=\"" << xml_escape(r.exercise.name)
              << "\" time=\"" << std::fixed << std::setprecision(3) << r.seconds << "\"";
            if (r.outcome == Outcome::passed) {
                x << "/>\n";
                continue;
            }
            const char* tag = r.outcome == Outcome::failed ? "failure" : "error";
            // The attribute is one line: the message's first, or all of it for a failed check
            // whose values Catch2 printed on lines of their own.
            const std::string summary = r.outcome == Outcome::failed ? one_line(r.message)
                                                                    : r.message.substr(0, r.message.find('\n'));
            x << ">\n      <" << tag << " type=\"" << text_of(r.outcome).name << "\" message=\""
              << xml_escape(summary) << "\">" << xml_escape(explain(r)) << "</" << tag << ">\n";
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
                             {"score", ok ? 1 : 0},
                             {"max_score", 1},
                             {"status", ok ? "passed" : "failed"},
                             {"output", ok ? std::string("passed") : explain(r)},
                             {"tags", {c.spec.chapter}},
                             {"visibility", "visible"}});
        }
    }
    const Score s = score(chapters);
    return {{"score", s.passed},
            {"execution_time", static_cast<int>(seconds + 0.5)},
            {"output", std::to_string(s.passed) + " of " + std::to_string(s.total) + " exercises pass."},
            {"visibility", "visible"},
            {"stdout_visibility", "visible"},
            {"tests", tests}};
}

nlohmann::json results_json(const std::vector<ChapterResult>& chapters)
{
    nlohmann::json out = nlohmann::json::array();
    for (const ChapterResult& c : chapters) {
        nlohmann::json exercises = nlohmann::json::array();
        for (const Result& r : c.results) {
            exercises.push_back({{"number", r.exercise.number()},
                                 {"title", r.exercise.title},
                                 {"result", text_of(r.outcome).name},
                                 {"message", r.message},
                                 {"where", r.where},
                                 {"hint", r.exercise.hint}});
        }
        out.push_back({{"chapter", c.spec.chapter},
                       {"number", c.spec.number},
                       {"compiled", c.compiled},
                       {"compile_error", c.compile_error},
                       {"exercises", exercises}});
    }
    const Score s = score(chapters);
    return {{"passed", s.passed}, {"total", s.total}, {"chapters", out}};
}

std::string relative_to(const std::string& path, const std::string& dir)
{
    const std::string prefix = dir + "/";
    return path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
}

std::string shell_quote(const std::string& text) { return "'" + replace_all(text, "'", "'\\''") + "'"; }

}  // namespace grader

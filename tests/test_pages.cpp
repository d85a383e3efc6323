// What the pages show fits a reader's screen: every line of code a page quotes with
// \snippet, and every line of program output it includes with \verbinclude, is at most
// 80 columns; quoted code writes its symbols as themselves, not as \u escapes; and every
// snippet tag and output file a page names exists.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "book/text.hpp"
#include "support.hpp"

namespace {

const std::string source_dir = BOOK_SOURCE_DIR;
const std::string output_dir = BOOK_OUTPUT_DIR;
constexpr std::size_t columns = 80;

// The front page and every \subpage of book.md, in reading order.
std::vector<std::string> pages_of_the_book()
{
    const std::string book = support::slurp(source_dir + "/book.md");
    std::vector<std::string> pages = {"book.md"};
    static const std::regex subpage(R"(\\subpage\s+(\w+))");
    for (auto it = std::sregex_iterator(book.begin(), book.end(), subpage); it != std::sregex_iterator(); ++it) {
        const std::string id = (*it)[1];
        const std::string chapter = "chapters/" + id + "/" + id + ".md";
        pages.push_back(support::slurp(source_dir + "/" + chapter).empty() ? "docs/" + id + ".md" : chapter);
    }
    return pages;
}

const std::vector<std::string> pages = pages_of_the_book();

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// The lines between the two markers `[tag]` of a file, as Doxygen's \snippet takes them.
std::vector<std::string> snippet(const std::string& file, const std::string& tag, bool& found)
{
    std::vector<std::string> out;
    int markers = 0;
    for (const std::string& line : lines_of(support::slurp(source_dir + "/" + file))) {
        if (line.find("[" + tag + "]") != std::string::npos && line.find("//!") != std::string::npos) {
            ++markers;
            continue;
        }
        // Doxygen leaves documentation comments out of a snippet: they are not shown.
        const std::size_t first = line.find_first_not_of(" \t");
        const bool doc_comment = first != std::string::npos && (line.compare(first, 3, "///") == 0 ||
                                                                line.compare(first, 3, "//!") == 0);
        if (markers == 1 && !doc_comment) {
            out.push_back(line);
        }
    }
    found = markers == 2;
    return out;
}

struct Use {
    std::string page, command, file, tag;
};

std::vector<Use> uses_in(const std::string& page)
{
    std::vector<Use> uses;
    const std::string text = support::slurp(source_dir + "/" + page);
    static const std::regex command(R"(\\(snippet|verbinclude)\s+(\S+)(?:\s+(\S+))?)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), command); it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        uses.push_back({page, m[1], m[2], m[1] == "snippet" ? std::string(m[3]) : ""});
    }
    return uses;
}

}  // namespace

TEST_CASE("Every line of code a page quotes is at most 80 columns", "[pages]")
{
    std::size_t quoted = 0;
    for (const std::string& page : pages) {
        for (const Use& use : uses_in(page)) {
            if (use.command != "snippet") {
                continue;
            }
            bool found = false;
            const std::vector<std::string> lines = snippet(use.file, use.tag, found);
            INFO(page << " quotes " << use.file << " [" << use.tag << "]");
            CHECK(found);
            for (const std::string& line : lines) {
                ++quoted;
                INFO("the line: " << line);
                CHECK(book::display_width(line) <= columns);
                CHECK(line.find("\\u") == std::string::npos);  // δ, not \u03b4, on the page
            }
        }
    }
    CHECK(quoted > 500);
}

TEST_CASE("Every line of program output a page includes is at most 80 columns", "[pages]")
{
    std::size_t shown = 0;
    for (const std::string& page : pages) {
        for (const Use& use : uses_in(page)) {
            if (use.command != "verbinclude") {
                continue;
            }
            // Doxygen's EXAMPLE_PATH: the build's outputs, then the sources.
            std::string text = support::slurp(output_dir + "/" + use.file);
            if (text.empty()) {
                text = support::slurp(source_dir + "/" + use.file);
            }
            INFO(page << " includes " << use.file);
            CHECK(!text.empty());
            for (const std::string& line : lines_of(text)) {
                ++shown;
                INFO("the line: " << line);
                CHECK(book::display_width(line) <= columns);
            }
        }
    }
    CHECK(shown > 500);
}

TEST_CASE("The width checks catch a long line, and every page of the book is checked", "[pages]")
{
    CHECK(pages.size() >= 14);
    for (const std::string& page : pages) {
        INFO(page);
        CHECK_FALSE(support::slurp(source_dir + "/" + page).empty());
    }
    CHECK(book::display_width(std::string(80, 'x')) <= columns);
    CHECK_FALSE(book::display_width(std::string(81, 'x')) <= columns);
    CHECK(book::display_width("δ^[1] = (W^[2]ᵀ δ^[2]) ⊙ σ′(z^[1])") == 34);
}

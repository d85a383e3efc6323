// The book cannot lie: every sentence of a page that states a number, a comparison or a
// speed from a run either shows the program's output or is checked here against the
// output the same build made. Each check names the page and the words it stands for; a
// page that no longer says them fails too, so that the sentence and its check change
// together.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "support.hpp"

namespace {

const std::string source_dir = BOOK_SOURCE_DIR;
const std::string output_dir = BOOK_OUTPUT_DIR;

std::string output(const std::string& name)
{
    const std::string text = support::slurp(output_dir + "/" + name);
    INFO("the build's output " << name);
    REQUIRE_FALSE(text.empty());
    return text;
}

// Requires `page` to say `words` (blanks and line breaks folded), the sentence a check
// stands for.
void page_says(const std::string& page, const std::string& words)
{
    const std::string text = std::regex_replace(support::slurp(source_dir + "/" + page), std::regex(R"(\s+)"), " ");
    INFO(page << " should say: " << words);
    CHECK(text.find(words) != std::string::npos);
}

// The first number after `pattern` (a regex whose first group is the number) in `text`.
double number(const std::string& text, const std::string& pattern)
{
    std::smatch m;
    INFO("looking for " << pattern);
    REQUIRE(std::regex_search(text, m, std::regex(pattern)));
    return std::stod(m[1]);
}

}  // namespace

TEST_CASE("Appendix A: float's best central step is larger than the estimate and still fails", "[claims]")
{
    page_says("chapters/appendix_gradcheck/appendix_gradcheck.md",
              "finds its best central step at a larger \\f$ h \\f$ than \\f$ 5 \\cdot 10^{-3} \\f$, with an error "
              "still far above the bar");
    const std::string text = output("appendix_gradcheck.float.txt");
    const std::string flat = std::regex_replace(text, std::regex(R"(\s+)"), " ");
    CHECK(number(flat, R"(Float's best central step on a grid of 4 per decade, h = ([0-9.e+-]+))") > 5e-3);
    CHECK(number(flat, R"(still leaves ([0-9.e+-]+))") > 1e-7);
}

TEST_CASE("Appendix A: a ten times larger step lowers float's error, by less than ten times", "[claims]")
{
    page_says("chapters/appendix_gradcheck/appendix_gradcheck.md",
              "Float's error falls, though by less than the tenfold that (A.8) promises");
    page_says("chapters/appendix_gradcheck/appendix_gradcheck.md",
              "Double's central difference now fails, by truncation, while Richardson's still passes");
    const std::string at_small = output("appendix_gradcheck.float.txt");
    const std::string at_large = output("appendix_gradcheck.float_large_step.txt");
    const std::string row = R"(central\s+([0-9.e+-]+))";
    const double small_step = number(at_small, row), large_step = number(at_large, row);
    CHECK(large_step < small_step);
    CHECK(large_step > small_step / 10.0);
    CHECK(std::regex_search(at_large, std::regex(R"(central\s+\S+\s+fails\s+\S+\s+fails)")));
    CHECK(std::regex_search(at_large, std::regex(R"(Richardson\s+\S+\s+fails\s+\S+\s+passes)")));
}

TEST_CASE("Chapter 1: BLAS and the naive loop differ only in the last bits", "[claims]")
{
    page_says("chapters/ch01_matmul/ch01_matmul.md", "The results differ only in the last bits");
    CHECK(number(output("ch01_matmul.timing.txt"), R"(Largest difference between the two results ([0-9.e+-]+))") <
          1e-12);
}

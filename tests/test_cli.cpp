// The command-line conventions (src/book/cli.hpp, flags.hpp, text.hpp): values shown
// safely in one line, and the network's flags parsed once into typed values.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/text.hpp"

using backprop::Activation;
using backprop::Loss;
using Catch::Matchers::Contains;

namespace {

// Parses argv (after the program's name) with a program that has the network's flags;
// returns "" or the one-line error run_program() would print after "error: ".
struct Parsed {
    std::vector<std::size_t> sizes{2, 3, 2};
    Activation sigma = Activation::sigmoid;
    Activation output = Activation::sigmoid;
    Loss loss = Loss::l1;
    std::size_t batch = 4;
    std::string error;
};

Parsed parse(std::vector<std::string> args)
{
    Parsed p;
    book::Program program("prog", "a test");
    book::add_sizes(program.app, p.sizes, {2, 6, 20}, "sizes");
    book::add_activation(program.app, p.sigma, "hidden");
    book::add_activation(program.app, p.output, "output", "--output");
    book::add_loss(program.app, p.loss, "loss");
    program.whole("--batch", p.batch, 1, 100, "batch");
    book::require_compatible_after_parsing(program, p.loss, p.output, "--output");
    std::vector<char*> argv{const_cast<char*>("prog")};
    for (std::string& a : args) {
        argv.push_back(a.data());
    }
    try {
        program.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        p.error = e.what();
    } catch (const std::exception& e) {
        p.error = e.what();
    }
    return p;
}

}  // namespace

TEST_CASE("A value in a message is printable and short: control bytes escaped, long values cut", "[cli]")
{
    CHECK(book::printable("a\rb\nc\td") == "a\\rb\\nc\\td");
    CHECK(book::printable(std::string("x\0y", 3)) == "x\\x00y");
    CHECK(book::printable("\x1b[31mred") == "\\x1B[31mred");
    CHECK(book::printable("\xff\xfe ok") == "\\xFF\\xFE ok");
    CHECK(book::printable("\xc2\x85") == "\\xC2\\x85");  // a C1 control character
    CHECK(book::printable("δ^[1] ⊙ σ′") == "δ^[1] ⊙ σ′");  // UTF-8 text stays as it is
    CHECK(book::printable("\xEF\xBB\xBF" "0") == "\xEF\xBB\xBF" "0");
    const std::string shown = book::quote(std::string(102400, 'a'));
    CHECK_THAT(shown, Contains(" \u2026 ") && Contains("(102400 characters)"));
    CHECK(book::display_width(shown) < 100);
    CHECK(book::quote("abc") == "'abc'");
}

TEST_CASE("The network's flags are parsed once into typed values", "[cli]")
{
    const Parsed p = parse({"--sizes", "4,5,6", "--activation", "tanh", "--output", "sigmoid", "--loss",
                            "cross-entropy", "--batch", "7"});
    CHECK(p.error.empty());
    CHECK(p.sizes == std::vector<std::size_t>{4, 5, 6});
    CHECK(p.sigma == Activation::tanh);
    CHECK(p.output == Activation::sigmoid);
    CHECK(p.loss == Loss::cross_entropy);
    CHECK(p.batch == 7);
    const Parsed defaults = parse({});
    CHECK(defaults.error.empty());
    CHECK(defaults.sizes == std::vector<std::size_t>{2, 3, 2});
}

TEST_CASE("Bad network flags are refused at parse time with a message naming the flag", "[cli]")
{
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--sizes", "4,,5"}, "--sizes: each size must be a whole number from 1 to 20, got '' in '4,,5'"},
        {{"--sizes", "4,5,"}, "got '' in '4,5,'"},
        {{"--sizes", "0x10,2"}, "got '0x10'"},
        {{"--sizes", "3.5,2"}, "got '3.5'"},
        {{"--sizes", "-1,2"}, "got '-1'"},
        {{"--sizes", "21,2"}, "from 1 to 20"},
        {{"--sizes", "4"}, "--sizes: give from 2 to 6 sizes"},
        {{"--sizes", "1,2,3,4,5,6,7"}, "give from 2 to 6 sizes"},
        {{"--sizes", ""}, "got '' in ''"},
        {{"--sizes", "2,2", "--sizes", "3,3"}, "--sizes"},
        {{"--activation", "softplus"}, "--activation: must be sigmoid, tanh, relu or identity, got 'softplus'"},
        {{"--activation", "1"}, "got '1'"},  // not the enumerator's number
        {{"--activation", ""}, "got ''"},
        {{"--loss", "hinge"}, "--loss: must be l1, quadratic or cross-entropy, got 'hinge'"},
        {{"--loss", "cross-entropy", "--output", "tanh"}, "the cross-entropy loss needs a sigmoid output layer"},
        {{"--batch", "0"}, "--batch: must be a whole number from 1 to 100, got '0'"},
        {{"--batch", ""}, "got ''"},
    };
    for (const auto& [args, message] : cases) {
        std::string joined;
        for (const std::string& a : args) {
            joined += "'" + a + "' ";
        }
        INFO(joined);
        CHECK_THAT(parse(args).error, Contains(message));
    }
}

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "book/json.hpp"
#include "support.hpp"

using Catch::Matchers::Contains;

namespace {
const std::string program = PROGRAM_PATH;
}

TEST_CASE("ch01_matmul prints the source's AB and A (.) B", "[ch01][cli]")
{
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("AB = [[ -7, -10],\n      [-15, -22]]"));
    CHECK_THAT(r.out, Contains("A \u2299 B = [[-1,  -4],\n         [-9, -16]]"));
    CHECK_THAT(r.out, Contains("(2, 3)(2, 3) is not defined:\n  matrix product A B: A is (2, 3) and B is (2, 3)"));
}

TEST_CASE("ch01_matmul's default output is the same on every run", "[ch01][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto c = support::run(program + " --seed 7");
    CHECK(c.out != a.out);  // the seed changes the random example
}

TEST_CASE("ch01_matmul --json prints one JSON document with the results", "[ch01][cli]")
{
    const auto r = support::run(program + " --json --size 8 --repeat 1");
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK_THAT(book::matrix_from_json(j.at("AB")), support::IsNear({{-7, -10}, {-15, -22}}, 0.0, 0.0));
    CHECK_THAT(book::matrix_from_json(j.at("A_hadamard_B")), support::IsNear({{-1, -4}, {-9, -16}}, 0.0, 0.0));
    CHECK(j.at("seed") == 1);
    CHECK(j.at("timing").at("size") == 8);
    CHECK(j.at("timing").at("max_abs_difference").get<double>() < 1e-12);
    CHECK(j.at("timing").at("naive_seconds").get<double>() > 0.0);
}

TEST_CASE("ch01_matmul --size times both products and shows they agree", "[ch01][cli]")
{
    const auto r = support::run(program + " --size 64");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("two random 64\u00d764 matrices"));
    CHECK_THAT(r.out, Contains("naive triple loop"));
    CHECK_THAT(r.out, Contains("times faster"));
}

TEST_CASE("ch01_matmul --help describes the flags", "[ch01][cli]")
{
    support::check_help(program, {"--seed", "--json", "--size", "--repeat", "--help"});
}

TEST_CASE("ch01_matmul rejects bad input with status 2 and one line", "[ch01][cli]")
{
    for (const std::string args : {"--size -3", "--size abc", "--size 1e12", "--size 0", "--size 4097",
                                   "--bogus", "--seed -1", "--seed x", "--repeat 0", "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch01_matmul");
    }
}

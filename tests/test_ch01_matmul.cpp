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
    CHECK_THAT(r.out, Contains("times as fast (the median of 3 paired runs;"));
    CHECK_THAT(r.out, !Contains("The source's example"));  // only the timing
    const nlohmann::json j = support::run_json(program + " --json --size 64 --repeat 5");
    const nlohmann::json& t = j.at("timing");
    CHECK(t.at("speedup_lowest").get<double>() <= t.at("speedup").get<double>());
    CHECK(t.at("speedup").get<double>() <= t.at("speedup_highest").get<double>());
}

TEST_CASE("ch01_matmul --help describes the flags and their limits", "[ch01][cli]")
{
    support::check_help(program, {"--seed", "--json", "--size", "--repeat", "--help"});
    const auto r = support::run(program + " --help");
    CHECK_THAT(r.out, Contains("N from 1 to 1024"));
    CHECK_THAT(r.out, Contains("1 to 100"));
    CHECK_THAT(r.out, Contains("(repeats + 1)\u00b7N\u00b3 may be at most 2^32"));
}

TEST_CASE("ch01_matmul rejects bad input with status 2 and one line", "[ch01][cli]")
{
    for (const std::string args : {"--size -3", "--size abc", "--size 1e12", "--size 0", "--size 1025", "--size 2048",
                                   "--size ''", "--repeat ''", "--bogus", "--seed -1", "--seed x", "--repeat 0",
                                   "--size 8 --repeat 101", "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch01_matmul");
    }
}

TEST_CASE("ch01_matmul refuses --repeat without --size, which alone times anything", "[ch01][cli]")
{
    const auto r = support::run(program + " --repeat 5");
    support::check_bad_input(r, "ch01_matmul");
    CHECK_THAT(r.err, Contains("--repeat requires --size"));
}

TEST_CASE("ch01_matmul refuses a --repeat that would make the timing too slow for its --size", "[ch01][cli]")
{
    // (repeats + 1) N^3 at most 2^32: 3 at N = 1024, 31 at N = 512, 100 (the flag's own
    // limit) at N = 256.
    for (const std::string args : {"--size 1024 --repeat 4", "--size 512 --repeat 32", "--size 1000 --repeat 4"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch01_matmul");
        CHECK_THAT(r.err, Contains("--repeat: ") && Contains("would take too long"));
    }
    CHECK_THAT(support::run(program + " --size 1024 --repeat 4").err, Contains("give at most 3"));
    CHECK_THAT(support::run(program + " --size 512 --repeat 32").err, Contains("give at most 31"));
    // The largest --repeat is allowed where the products are small.
    const auto r = support::run(program + " --json --size 16 --repeat 100");
    REQUIRE(r.status == 0);
    CHECK(nlohmann::json::parse(r.out).at("timing").at("repeats") == 100);
}

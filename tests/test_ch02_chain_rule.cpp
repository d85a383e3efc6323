// Chapter 2: numeric derivatives, the chain rule, the gradient of a function of a matrix,
// gradient descent; the library additions (gradient_descent_step, book::real_number)
// and the chapter program.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "book/cli.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "support.hpp"

using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

nlohmann::json run_json(const std::string& args = "")
{
    return support::run_json(program + " --json " + args);
}

// The relative error of the numeric derivative at step h, from the program's sweep.
double error_at(const nlohmann::json& steps, const char* method, double h)
{
    const auto& hs = steps.at("h");
    for (std::size_t i = 0; i < hs.size(); ++i) {
        if (std::abs(hs[i].get<double>() / h - 1.0) < 1e-9) {
            return steps.at("relative_error").at(method)[i].get<double>();
        }
    }
    FAIL("no step h = " << h << " in the sweep");
    return 0.0;
}

// J(w) = e^{w-2} + e^{2-w} = 2 cosh(w - 2), written independently of the program.
double J_cosh(double w) { return 2.0 * std::cosh(w - 2.0); }
double J_prime_sinh(double w) { return 2.0 * std::sinh(w - 2.0); }

}  // namespace

// ----------------------------------------------------------------------------------------
// The library additions.

TEST_CASE("A gradient descent step moves w against the slope by alpha times it", "[ch02][value]")
{
    CHECK_THAT(backprop::gradient_descent_step(1.0, 4.0, 0.25), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::gradient_descent_step(0.0, -7.25, 0.1), WithinRel(0.725, 1e-15));
    CHECK_THAT(backprop::gradient_descent_step(3.0, 100.0, 0.0), WithinAbs(3.0, 0.0));
    CHECK_THROWS_AS(backprop::gradient_descent_step(0.0, 1.0, -0.1), std::invalid_argument);
    CHECK_THROWS_AS(backprop::gradient_descent_step(0.0, 1.0, NAN), std::invalid_argument);
    CHECK_THROWS_AS(backprop::gradient_descent_step(0.0, 1.0, INFINITY), std::invalid_argument);
    CHECK_THROWS_WITH(backprop::gradient_descent_step(0.0, 1.0, -1.0), Contains("ch02_chain_rule"));
}

TEST_CASE("A small gradient descent step lowers J by about alpha (dJ/dw)^2", "[ch02][value]")
{
    // To first order J(w - alpha g) = J(w) - alpha g^2: the step goes downhill.
    for (double w : {-1.0, 0.0, 1.5, 3.0}) {
        const double g = J_prime_sinh(w), alpha = 1e-6;
        const double w_next = backprop::gradient_descent_step(w, g, alpha);
        INFO("w = " << w);
        CHECK(J_cosh(w_next) < J_cosh(w));
        CHECK_THAT((J_cosh(w) - J_cosh(w_next)) / (alpha * g * g), WithinRel(1.0, 1e-4));
    }
}

TEST_CASE("The chain-rule derivative of J(w) = e^{w-2} + e^{2-w} passes the gradient check", "[ch02][gradcheck]")
{
    const backprop::ScalarFunction J = [](double w) { return std::exp(w - 2.0) + std::exp(2.0 - w); };
    const auto right = [](double w) { return std::exp(w - 2.0) - std::exp(2.0 - w); };  // inner -1 kept
    const auto wrong = [](double w) { return std::exp(w - 2.0) + std::exp(2.0 - w); };  // inner -1 forgotten
    for (double w : {-1.0, 0.0, 0.725, 3.5}) {
        INFO("w = " << w);
        const double numeric = backprop::richardson_difference(J, w);
        CHECK(backprop::relative_error(right(w), numeric) < 1e-9);
        CHECK(backprop::relative_error(wrong(w), numeric) > 1e-2);
    }
}

TEST_CASE("real_number accepts decimal numbers in range and refuses everything else", "[ch02][cli]")
{
    CLI::Validator check = book::real_number(-10.0, 10.0);
    for (std::string ok : {"0", "0.5", "-2", "1e-3", "10", "-10", "2.5E+0", "1e-300"}) {
        INFO("text: '" << ok << "'");
        CHECK(check(ok).empty());
    }
    for (std::string bad : {"", "nan", "NaN", "inf", "-inf", "1e999", "1e-400", "0x1p-2", "1.5x", " 1", "+1",
                            "10.000001", "-11", "abc"}) {
        INFO("text: '" << bad << "'");
        const std::string message = check(bad);
        CHECK_THAT(message, Contains("must be a number from -10 to 10"));
    }
    CLI::Validator alpha = book::real_number(1e-4, 2.0);
    std::string zero = "0";
    CHECK_THAT(alpha(zero), Contains("from 0.0001 to 2, got '0'"));
}

// ----------------------------------------------------------------------------------------
// The program.

TEST_CASE("ch02_chain_rule prints the derivative of e^{-x} and the best step of each difference",
          "[ch02][cli]")
{
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("f'(x) = -e^{-x} = " + book::format_number(-std::exp(-1.0), 15)));
    CHECK_THAT(r.out, Contains("-0.367879441171442"));  // -1/e to 15 digits, from a table of e
    const auto steps = run_json().at("steps");
    for (const char* method : {"forward", "central", "richardson"}) {
        const std::string label = std::string(method) == "richardson" ? "Richardson" : method;
        const auto& best = steps.at("best").at(method);
        INFO(method);
        CHECK_THAT(r.out, Contains(label) && Contains("h = " + book::format_number(best.at("h").get<double>(), 2) +
                                                      ", relative error " +
                                                      book::format_number(best.at("relative_error").get<double>(), 2)));
    }
    // The table's first and last rows are the steps 1e-1 and 1e-13.
    CHECK_THAT(r.out, Contains("\n   1e-1 "));
    CHECK_THAT(r.out, Contains("\n  1e-13 "));
}

TEST_CASE("For large h the errors fall like h, h^2 and h^4, as Taylor's theorem says", "[ch02][value]")
{
    const auto steps = run_json().at("steps");
    CHECK_THAT(steps.at("exact_derivative").get<double>(), WithinRel(-0.36787944117144233, 1e-15));
    // f = e^{-x} at x = 1: every derivative has size e^{-1}, so the relative errors are
    // h/2 (forward), h^2/6 (central) and h^4/30 (Richardson), to leading order.
    for (double h : {1e-2, 1e-3}) {
        INFO("h = " << h);
        CHECK_THAT(error_at(steps, "forward", h), WithinRel(h / 2.0, 1e-2));
        CHECK_THAT(error_at(steps, "central", h), WithinRel(h * h / 6.0, 1e-2));
    }
    CHECK_THAT(error_at(steps, "richardson", 1e-1), WithinRel(1e-4 / 30.0, 2e-2));
    CHECK_THAT(error_at(steps, "richardson", 1e-2), WithinRel(1e-8 / 30.0, 2e-2));
}

TEST_CASE("The best steps are near eps^(1/2), eps^(1/3) and eps^(1/5), and round-off rises below them",
          "[ch02][value]")
{
    const auto steps = run_json().at("steps");
    const double eps = std::numeric_limits<double>::epsilon();
    CHECK_THAT(steps.at("machine_epsilon").get<double>(), WithinRel(eps, 0.0));
    const auto& best = steps.at("best");
    struct Expected {
        const char* method;
        double power;      // the best step is about eps^power
        double max_error;  // and the error there is below this
    };
    for (const Expected& e : {Expected{"forward", 1.0 / 2.0, 1e-8}, Expected{"central", 1.0 / 3.0, 1e-10},
                              Expected{"richardson", 1.0 / 5.0, 1e-12}}) {
        INFO(e.method);
        const double h = best.at(e.method).at("h").get<double>();
        const double err = best.at(e.method).at("relative_error").get<double>();
        CHECK(h > std::pow(eps, e.power) / 10.0);
        CHECK(h < std::pow(eps, e.power) * 10.0);
        CHECK(err < e.max_error);
        // It really is the smallest error of the sweep.
        for (const auto& other : steps.at("relative_error").at(e.method)) {
            CHECK(err <= other.get<double>());
        }
        // Below the best step round-off dominates: at h = 1e-13 the error is far larger.
        CHECK(error_at(steps, e.method, 1e-13) > 1e3 * err);
    }
    // The refined formulas do better at their best step.
    CHECK(best.at("central").at("relative_error").get<double>() <
          best.at("forward").at("relative_error").get<double>());
    CHECK(best.at("richardson").at("relative_error").get<double>() <
          best.at("central").at("relative_error").get<double>());
}

TEST_CASE("ch02_chain_rule finds the partial derivatives of xy: f_x = y, f_y = x", "[ch02][value]")
{
    const auto j = run_json("--only partial");
    REQUIRE(j.contains("partial"));
    CHECK_FALSE(j.contains("steps"));
    const auto& p = j.at("partial");
    const book::RunningExample ex = book::running_example();
    CHECK_THAT(p.at("x").get<double>(), WithinAbs(ex.x(0, 0), 0.0));
    CHECK_THAT(p.at("y").get<double>(), WithinAbs(ex.x(1, 0), 0.0));
    CHECK_THAT(p.at("f_x").at("numeric").get<double>(), WithinRel(0.2, 1e-10));
    CHECK_THAT(p.at("f_y").at("numeric").get<double>(), WithinRel(0.8, 1e-10));
    const auto r = support::run(program + " --only partial");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, StartsWith("2. Partial derivatives of f(x, y) = xy at (x, y) = (0.8, 0.2)"));
    CHECK_THAT(r.out, Contains("\u2202f/\u2202x = y = 0.2") && Contains("\u2202f/\u2202y = x = 0.8"));
}

TEST_CASE("ch02_chain_rule checks the chain rule on e^{-x}: the slopes multiply", "[ch02][value]")
{
    for (double x : {1.0, -2.5, 4.0}) {
        INFO("x = " << x);
        const auto c = run_json("--only chain --x " + book::format_number(x)).at("chain");
        CHECK_THAT(c.at("exact").get<double>(), WithinRel(-std::exp(-x), 1e-15));
        CHECK_THAT(c.at("outer_slope").get<double>(), WithinRel(std::exp(-x), 1e-9));  // f'(u) = e^u at u = -x
        CHECK_THAT(c.at("inner_slope").get<double>(), WithinRel(-1.0, 1e-9));          // g'(x) = -1
        CHECK_THAT(c.at("chained").get<double>(), WithinRel(-std::exp(-x), 1e-9));
        CHECK_THAT(c.at("direct").get<double>(), WithinRel(-std::exp(-x), 1e-9));
    }
    const auto r = support::run(program + " --only chain");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("-e^{-x}, exactly                      -0.367879441171442"));
}

TEST_CASE("The gradient of f(W) = sum_j e^{-(Wa)_j} is -e^{-Wa} a^T, and a wrong formula fails the check",
          "[ch02][gradcheck]")
{
    for (std::int64_t seed : {1, 7}) {
        INFO("seed " << seed);
        const auto m = run_json("--only matrix --seed " + std::to_string(seed)).at("matrix");
        const book::RunningExample ex = book::running_example(seed);
        const Matrix W = book::matrix_from_json(m.at("W"));
        CHECK_THAT(W, support::IsNear(ex.net.W[1], 0.0, 0.0));
        CHECK_THAT(book::matrix_from_json(m.at("a")), support::IsNear(ex.x, 0.0, 0.0));
        // The gradient entry by entry, written out: df/dW_jk = -e^{-(W_j0 a_0 + W_j1 a_1)} a_k.
        Matrix expected = xt::zeros<double>({3, 2});
        double f = 0.0;
        for (std::size_t j = 0; j < 3; ++j) {
            const double z = W(j, 0) * ex.x(0, 0) + W(j, 1) * ex.x(1, 0);
            f += std::exp(-z);
            for (std::size_t k = 0; k < 2; ++k) {
                expected(j, k) = -std::exp(-z) * ex.x(k, 0);
            }
        }
        CHECK_THAT(m.at("f").get<double>(), WithinRel(f, 1e-14));
        CHECK_THAT(book::matrix_from_json(m.at("analytic")), support::IsNear(expected, 1e-14));
        CHECK_THAT(book::matrix_from_json(m.at("numeric")), support::IsNear(expected, 1e-9));
        CHECK(m.at("max_relative_error").get<double>() < 1e-9);
        CHECK(m.at("passed").get<bool>());
        CHECK_THAT(m.at("wrong_formula").at("max_relative_error").get<double>(), WithinRel(2.0, 1e-9));
        CHECK_FALSE(m.at("wrong_formula").at("passed").get<bool>());
    }
    const auto r = support::run(program + " --only matrix");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains(": passes (the bar is 1e-07)"));
    CHECK_THAT(r.out, Contains("largest relative error 2: fails, as it should"));
}

TEST_CASE("ch02_chain_rule's gradient descent follows w := w - alpha dJ/dw to the minimum at w = 2",
          "[ch02][value]")
{
    const auto d = run_json("--only descent").at("descent");
    CHECK_THAT(d.at("alpha").get<double>(), WithinAbs(0.1, 0.0));
    CHECK(d.at("steps") == 20);
    CHECK_FALSE(d.at("diverged").get<bool>());
    const auto& its = d.at("iterates");
    REQUIRE(its.size() == 21);
    // w_1 = 0 - 0.1 (e^{-2} - e^{2}) = 0.2 sinh 2.
    CHECK_THAT(its[1].at("w").get<double>(), WithinRel(0.2 * std::sinh(2.0), 1e-14));
    double w = 0.0;
    for (const auto& it : its) {
        INFO("k = " << it.at("k"));
        CHECK_THAT(it.at("w").get<double>(), WithinRel(w, 1e-12));
        CHECK_THAT(it.at("J").get<double>(), WithinRel(J_cosh(w), 1e-12));
        CHECK_THAT(it.at("dJ_dw").get<double>(), WithinRel(J_prime_sinh(w), 1e-12));
        w -= 0.1 * J_prime_sinh(w);
    }
    CHECK_THAT(d.at("numeric_dJ_dw_at_w0").get<double>(), WithinRel(J_prime_sinh(0.0), 1e-10));
    // J decreases at every step.
    for (std::size_t k = 1; k < its.size(); ++k) {
        CHECK(its[k].at("J").get<double>() < its[k - 1].at("J").get<double>());
    }
    // Near w = 2, J'' = 2, so with alpha = 0.5 one step lands (almost) on the minimum.
    const auto fast = run_json("--only descent --alpha 0.5 --steps 50").at("descent").at("iterates");
    CHECK_THAT(fast.back().at("w").get<double>(), WithinAbs(2.0, 1e-12));
    CHECK_THAT(fast.back().at("J").get<double>(), WithinRel(2.0, 1e-15));

    const auto r = support::run(program + " --only descent");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("w := w - \u03b1 dJ/dw with \u03b1 = 0.1, from w_0 = 0, 20 steps"));
    CHECK_THAT(r.out, Contains("\n    1      0.725372       3.85691      -3.29784\n"));
    CHECK_THAT(r.out, Contains("\n  ...\n   20 "));
    CHECK_THAT(r.out, Contains("The minimum is J(2) = 2; after 20 steps"));
}

TEST_CASE("ch02_chain_rule reports a learning rate too large as divergence", "[ch02][value]")
{
    const auto d = run_json("--only descent --alpha 0.9").at("descent");
    CHECK(d.at("diverged").get<bool>());
    // w_1 = 0.9 * 2 sinh 2 = 6.528..., then w_2 = w_1 - 0.9 * 2 sinh(w_1 - 2) = -76.8...
    const auto& its = d.at("iterates");
    REQUIRE(its.size() == 3);
    const double w1 = 1.8 * std::sinh(2.0);
    CHECK_THAT(its[1].at("w").get<double>(), WithinRel(w1, 1e-14));
    CHECK_THAT(its[2].at("w").get<double>(), WithinRel(w1 - 0.9 * J_prime_sinh(w1), 1e-12));
    CHECK(std::isinf(J_cosh(d.at("runaway_w").get<double>())));
    const auto r = support::run(program + " --only descent --alpha 0.9");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Diverged: the step after k = 2"));
}

TEST_CASE("ch02_chain_rule's default output is the same on every run", "[ch02][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto c = support::run(program + " --seed 7");
    REQUIRE(c.status == 0);
    CHECK(c.out != a.out);  // the seed changes the running example's W^[1]
    CHECK_THAT(c.out, Contains("running example\n(seed 7)"));
}

TEST_CASE("ch02_chain_rule --json prints one JSON document with every part", "[ch02][cli]")
{
    const auto j = run_json();
    CHECK(j.at("program") == "ch02_chain_rule");
    CHECK(j.at("seed") == 1);
    for (const char* part : {"steps", "partial", "chain", "matrix", "descent"}) {
        CHECK(j.contains(part));
    }
    CHECK(j.at("steps").at("h").size() == 97);  // 8 steps per decade, 1e-1 to 1e-13
    CHECK_THAT(j.at("steps").at("h")[0].get<double>(), WithinRel(1e-1, 1e-15));
    CHECK_THAT(j.at("steps").at("h")[96].get<double>(), WithinRel(1e-13, 1e-15));
}

TEST_CASE("ch02_chain_rule --help describes the flags", "[ch02][cli]")
{
    support::check_help(program, {"--seed", "--json", "--x", "--alpha", "--w0", "--steps", "--only", "--figures",
                                  "--help"});
}

TEST_CASE("ch02_chain_rule --figures writes the plot data", "[ch02][cli]")
{
    char dir[] = "/tmp/ch02-figures-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(support::line_count(r.out) == 2);
    CHECK_THAT(r.out, Contains(d + "/ch02_chain_rule.step_error.tsv"));
    const std::string step_error = support::slurp(d + "/ch02_chain_rule.step_error.tsv");
    const std::string descent = support::slurp(d + "/ch02_chain_rule.descent.tsv");
    CHECK_THAT(step_error, StartsWith("# h forward central richardson\n"));
    CHECK_THAT(step_error, Contains("\n\n\n# method best_h error\n"));
    CHECK(support::line_count(step_error) == 1 + 97 + 2 + 1 + 3);
    CHECK_THAT(descent, StartsWith("# w J\n"));
    CHECK_THAT(descent, Contains("\n\n\n# k w J dJ_dw\n0\t0\t7.5243913"));
    CHECK_THAT(descent, Contains("\n\n\n# w tangent_at_w0\n"));
    for (const char* f : {"/ch02_chain_rule.step_error.tsv", "/ch02_chain_rule.descent.tsv"}) {
        std::remove((d + f).c_str());
    }
    std::remove(dir);
}

TEST_CASE("ch02_chain_rule rejects bad input with status 2 and one line", "[ch02][cli]")
{
    for (const std::string args :
         {"--x abc", "--x nan", "--x inf", "--x 1e999", "--x 11", "--x -10.5", "--x 0x1p-2", "--x", "--alpha 0",
          "--alpha -0.1", "--alpha 2.5", "--alpha x", "--w0 -11", "--w0 nan", "--steps 0", "--steps -3",
          "--steps 2.5", "--steps 10001", "--only everything", "--only ''", "--figures /nonexistent/dir",
          "--figures ''", "--json --figures /tmp", "--figures /tmp --only steps", "--bogus", "--seed -1", "--seed x",
          "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch02_chain_rule");
    }
}

TEST_CASE("ch02_chain_rule refuses a flag that the part chosen with --only does not use", "[ch02][cli]")
{
    struct Case {
        const char* args;
        const char* message;
    };
    for (const Case& c : {Case{"--only partial --x 2", "--x: --only partial does not use it"},
                          Case{"--only matrix --x 2", "--x: --only matrix does not use it"},
                          Case{"--only descent --x 2", "--x: --only descent does not use it"},
                          Case{"--only matrix --alpha 0.5", "--alpha: --only matrix does not use it"},
                          Case{"--only steps --steps 3", "--steps: --only steps does not use it"},
                          Case{"--only chain --w0 1", "--w0: --only chain does not use it"},
                          Case{"--json --only partial --alpha 0.5", "--alpha: --only partial does not use it"}}) {
        INFO("arguments: " << c.args);
        const auto r = support::run(program + " " + c.args);
        support::check_bad_input(r, "ch02_chain_rule");
        CHECK_THAT(r.err, Contains(c.message));
    }
    // Where the part uses the flag, it is taken.
    for (const std::string args : {"--only steps --x 2", "--only chain --x 2", "--only descent --w0 1 --steps 3",
                                   "--x 2 --alpha 0.5 --w0 1 --steps 3"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        CHECK(r.status == 0);
        CHECK(r.err.empty());
    }
}

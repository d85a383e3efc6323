// Grading tests of chapter 2's exercises: closed forms of the numeric derivative, the
// order of its error, the source's worked examples, the chapter's printed runs, and
// numeric derivatives of the composite functions. Each TEST_CASE is one exercise; its
// name, "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <xtensor/xmanipulation.hpp>

#include "backprop/derivative.hpp"
#include "backprop/random.hpp"
#include "book/example.hpp"
#include "ch02_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using exercises::Link;
using checks::IsNear;

namespace {

double exp_minus(double x) { return std::exp(-x); }

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}

// The links of the tests, each a function and its derivative.
const Link negate{[](double v) { return -v; }, [](double) { return -1.0; }};
const Link exponential{[](double v) { return std::exp(v); }, [](double v) { return std::exp(v); }};
const Link square{[](double v) { return v * v; }, [](double v) { return 2.0 * v; }};
const Link sine{[](double v) { return std::sin(v); }, [](double v) { return std::cos(v); }};
const Link plus_one{[](double v) { return v + 1.0; }, [](double) { return 1.0; }};
const Link reciprocal{[](double v) { return 1.0 / v; }, [](double v) { return -1.0 / (v * v); }};
const Link doubling{[](double v) { return 2.0 * v; }, [](double) { return 2.0; }};

// The composite g_n(...g_1(x)), evaluated here, independently of the exercise.
exercises::ScalarFunction compose(const std::vector<Link>& chain)
{
    return [chain](double x) {
        for (const Link& link : chain) {
            x = link.g(x);
        }
        return x;
    };
}

// The running example, book::running_example(): its W^[1] (seed 1) and input
// a^[0] = (0.8, 0.2), as chapter 2's program prints them.
const book::RunningExample example = book::running_example();
const Matrix& W1 = example.net.W[1];
const Matrix& a0 = example.x;

// f(W) = sum_j e^{-(W a)_j} (equation 2.14).
double sum_exp_minus_Wa(const Matrix& W)
{
    double f = 0.0;
    for (std::size_t j = 0; j < W.shape(0); ++j) {
        double z_j = 0.0;
        for (std::size_t k = 0; k < W.shape(1); ++k) {
            z_j += W(j, k) * a0(k, 0);
        }
        f += std::exp(-z_j);
    }
    return f;
}

}  // namespace

TEST_CASE("Exercise 2.1: the central difference", "[ch02]")
{
    using exercises::central_difference;
    // A quadratic c2 x^2 + c1 x + c0 has f''' = 0: equation (2.4) is exact at every step
    // (a forward difference is off by c2 h).
    const auto quadratic = [](double x) { return 3.0 * x * x - 2.0 * x + 5.0; };
    for (double h : {0.5, 0.1, 1e-3}) {
        for (double x : {-1.5, 0.7, 2.0}) {
            CAPTURE(h, x);
            CHECK_THAT(central_difference(quadratic, x, h), WithinAbs(6.0 * x - 2.0, 1e-10));
        }
    }
    // The source's e^{-x}: the two steps give e^{-x} (e^{-h} - e^{h}) / 2h = -e^{-x} sinh(h)/h
    // exactly. At x = 1, h = 0.1 that is the relative error 0.0017 of the chapter's table.
    for (double h : {0.1, 0.01}) {
        for (double x : {-1.0, 0.0, 1.0, 2.5}) {
            CAPTURE(h, x);
            CHECK_THAT(central_difference(exp_minus, x, h), WithinRel(-std::exp(-x) * std::sinh(h) / h, 1e-12));
        }
    }
    // At h = 1e-3 the error on smooth functions is about h^2/6 |f'''|, well below 1e-6.
    for (double x : {-2.0, -0.3, 0.5, 1.7}) {
        CAPTURE(x);
        const auto sin = [](double t) { return std::sin(t); };
        const auto exp = [](double t) { return std::exp(t); };
        CHECK_THAT(central_difference(sin, x, 1e-3), WithinAbs(std::cos(x), 1e-6));
        CHECK_THAT(central_difference(exp, x, 1e-3), WithinRel(std::exp(x), 1e-6));
    }
    // Second order: halving h divides the error by 4 (a first-order formula gives 2).
    struct Case {
        const char* f_name;
        exercises::ScalarFunction f;
        double exact, x;
    };
    const std::vector<Case> cases = {
        {"sin(x)", [](double t) { return std::sin(t); }, std::cos(1.0), 1.0},
        {"e^x", [](double t) { return std::exp(t); }, std::exp(0.5), 0.5},
        {"e^{-x}", exp_minus, -std::exp(-1.0), 1.0},
    };
    for (const Case& c : cases) {
        const double h = 1e-2;
        const double error_h = std::abs(central_difference(c.f, c.x, h) - c.exact);
        const double error_half = std::abs(central_difference(c.f, c.x, h / 2.0) - c.exact);
        INFO("f = " << c.f_name << " at x = " << c.x << ": error " << error_h << " at h = " << h << ", " << error_half
                    << " at h/2; the ratio must be about 4 for a second-order formula");
        CHECK(error_h / error_half > 3.8);
        CHECK(error_h / error_half < 4.2);
    }
    // The step must be positive.
    const auto sin = [](double t) { return std::sin(t); };
    CHECK_THROWS_AS(central_difference(sin, 1.0, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(central_difference(sin, 1.0, -1e-3), std::invalid_argument);
}

TEST_CASE("Exercise 2.2: the chain rule along a chain of functions", "[ch02]")
{
    using exercises::chain_derivative;
    // The source's worked example (equation 2.11): e^{-x} is e^u after u = -x.
    for (double x : {-1.0, 0.0, 1.0, 2.5}) {
        CAPTURE(x);
        CHECK_THAT(chain_derivative({negate, exponential}, x), WithinRel(-std::exp(-x), 1e-14));
    }
    // The order of the links matters: sin(x^2) and sin(x)^2.
    for (double x : {0.3, 1.2, -2.0}) {
        CAPTURE(x);
        INFO("chain {x^2, sin}: d sin(x^2)/dx = cos(x^2) 2x");
        CHECK_THAT(chain_derivative({square, sine}, x), WithinRel(std::cos(x * x) * 2.0 * x, 1e-13));
        INFO("chain {sin, x^2}: d sin(x)^2/dx = 2 sin(x) cos(x)");
        CHECK_THAT(chain_derivative({sine, square}, x), WithinRel(2.0 * std::sin(x) * std::cos(x), 1e-13));
    }
    // Chapter 3's sigmoid in four links, 1 / (1 + e^{-x}): its derivative is sigma (1 - sigma).
    const std::vector<Link> sigmoid = {negate, exponential, plus_one, reciprocal};
    for (double x : {-3.0, -0.5, 0.0, 0.5, 2.0}) {
        CAPTURE(x);
        const double s = 1.0 / (1.0 + std::exp(-x));
        CHECK_THAT(chain_derivative(sigmoid, x), WithinRel(s * (1.0 - s), 1e-12));
    }
    // Longer chains, against the numeric derivative of the composite function.
    const std::vector<std::vector<Link>> chains = {
        {square, sine, exponential, negate, exponential},
        {sine, doubling, square, plus_one, reciprocal, sine, doubling},
        {negate, exponential, plus_one, reciprocal, square, sine, exponential, plus_one, reciprocal},
    };
    for (std::size_t c = 0; c < chains.size(); ++c) {
        for (double x : {-0.7, 0.4, 1.1}) {
            INFO("chain " << c + 1 << " of " << chains[c].size() << " links, at x = " << x);
            const double numeric = backprop::richardson_difference(compose(chains[c]), x);
            CHECK_THAT(chain_derivative(chains[c], x), WithinRel(numeric, 1e-8));
        }
    }
    // Ten doublings multiply x by 2^10; the empty chain is F(x) = x.
    CHECK_THAT(chain_derivative(std::vector<Link>(10, doubling), 0.3), WithinRel(1024.0, 1e-15));
    CHECK_THAT(chain_derivative({}, 0.3), WithinRel(1.0, 1e-15));
}

TEST_CASE("Exercise 2.3: gradient descent on a function of one variable", "[ch02]")
{
    using exercises::gradient_descent;
    // The chapter's run: J(w) = e^{w-2} + e^{2-w} from w_0 = 0 with alpha = 0.1 (equation 2.19).
    const auto dJ = [](double w) { return std::exp(w - 2.0) - std::exp(2.0 - w); };
    const std::vector<double> w = gradient_descent(dJ, 0.0, 0.1, 20);
    REQUIRE(w.size() == 21);
    CHECK_THAT(w[0], WithinAbs(0.0, 1e-15));
    CHECK_THAT(w[1], WithinRel(0.7253720815694038, 1e-12));
    CHECK_THAT(w[2], WithinRel(1.0551555945974038, 1e-12));
    CHECK_THAT(w[10], WithinRel(1.8561224401000376, 1e-12));
    CHECK_THAT(w[20], WithinRel(1.9845877745915288, 1e-12));
    // ... and with alpha = 0.9, where it overshoots and runs away.
    const std::vector<double> steep = gradient_descent(dJ, 0.0, 0.9, 2);
    REQUIRE(steep.size() == 3);
    CHECK_THAT(steep[1], WithinRel(6.528348734124634, 1e-12));
    CHECK_THAT(steep[2], WithinRel(-76.80689920723067, 1e-12));
    // J(w) = (w - 3)^2, dJ/dw = 2 (w - 3): w_k = 3 + (1 - 2 alpha)^k (w_0 - 3).
    const auto J = [](double v) { return (v - 3.0) * (v - 3.0); };
    const auto dJ_quadratic = [](double v) { return 2.0 * (v - 3.0); };
    for (double alpha : {0.05, 0.1, 0.3, 0.5, 0.75, 0.95, 1.05, 1.5}) {
        for (double w0 : {-1.0, 7.5}) {
            const std::size_t steps = 12;
            const std::vector<double> path = gradient_descent(dJ_quadratic, w0, alpha, steps);
            INFO("J(w) = (w - 3)^2 from w_0 = " << w0 << " with alpha = " << alpha);
            REQUIRE(path.size() == steps + 1);
            for (std::size_t k = 0; k <= steps; ++k) {
                CAPTURE(k);
                const double expected = 3.0 + std::pow(1.0 - 2.0 * alpha, static_cast<double>(k)) * (w0 - 3.0);
                CHECK_THAT(path[k], WithinAbs(expected, 1e-12 * std::max(1.0, std::abs(expected))));
            }
            for (std::size_t k = 1; k <= steps && alpha != 0.5; ++k) {
                CAPTURE(k);
                if (alpha < 1.0) {
                    INFO("for alpha < 1 every step lowers J");
                    CHECK(J(path[k]) < J(path[k - 1]));
                } else {
                    INFO("for alpha > 1 every step overshoots further: J grows");
                    CHECK(J(path[k]) > J(path[k - 1]));
                }
            }
        }
    }
    // alpha = 1/2 lands on the minimum in one step; alpha = 0 and no steps stay at w_0.
    CHECK_THAT(gradient_descent(dJ_quadratic, -1.0, 0.5, 1)[1], WithinAbs(3.0, 1e-15));
    const std::vector<double> still = gradient_descent(dJ_quadratic, -1.0, 0.0, 3);
    REQUIRE(still.size() == 4);
    for (double v : still) {
        CHECK_THAT(v, WithinAbs(-1.0, 1e-15));
    }
    const std::vector<double> none = gradient_descent(dJ_quadratic, 4.0, 0.1, 0);
    REQUIRE(none.size() == 1);
    CHECK_THAT(none[0], WithinAbs(4.0, 1e-15));
    // The learning rate must be finite and not negative.
    CHECK_THROWS_AS(gradient_descent(dJ_quadratic, 0.0, -0.1, 3), std::invalid_argument);
    CHECK_THROWS_AS(gradient_descent(dJ_quadratic, 0.0, std::numeric_limits<double>::quiet_NaN(), 3),
                    std::invalid_argument);
    CHECK_THROWS_AS(gradient_descent(dJ_quadratic, 0.0, std::numeric_limits<double>::infinity(), 3),
                    std::invalid_argument);
}

TEST_CASE("Exercise 2.4: the gradient with respect to a matrix, numerically", "[ch02]")
{
    using exercises::numeric_gradient;
    // The source's f(x, y) = xy at the running example's input: the gradient is (y, x).
    const auto xy_column = [](const Matrix& X) { return X(0, 0) * X(1, 0); };
    CHECK_THAT(numeric_gradient(xy_column, a0, 1e-5), IsNear(Matrix{{0.2}, {0.8}}, 1e-9));
    const auto xy_row = [](const Matrix& X) { return X(0, 0) * X(0, 1); };
    CHECK_THAT(numeric_gradient(xy_row, Matrix(xt::transpose(a0)), 1e-5), IsNear(Matrix{{0.2, 0.8}}, 1e-9));
    // The chapter's f(W) = sum_j e^{-(W a)_j} on the (3, 2) W^[1]: the gradient
    // (-e^{-W a}) a^T of equation (2.15), as the chapter prints it.
    const Matrix grad_W = {{-1.7822627590100897, -0.4455656897525224},
                           {-1.074912592306566, -0.2687281480766415},
                           {-0.8675701339965326, -0.21689253349913315}};
    CHECK_THAT(numeric_gradient(sum_exp_minus_Wa, W1, 1e-5), IsNear(grad_W, 1e-8));
    // A sum of squares has the gradient 2X; here on a (2, 3) X, every entry different.
    const Matrix X = random_matrix(2, 3, 41);
    const auto sum_of_squares = [](const Matrix& M) {
        double f = 0.0;
        for (double m : M) {
            f += m * m;
        }
        return f;
    };
    CHECK_THAT(numeric_gradient(sum_of_squares, X, 1e-5), IsNear(2.0 * X, 1e-8, 1e-10));
    // A quadratic that couples every entry to every other, (sum c_jk X_jk)^2 + sum X_jk^2,
    // with gradient 2 s c + 2 X: equation (2.4) is exact even at a large step, provided
    // every partial derivative is taken at X itself.
    const Matrix C = random_matrix(2, 3, 42);
    const auto coupled = [&C, &sum_of_squares](const Matrix& M) {
        double s = 0.0;
        for (std::size_t k = 0; k < M.size(); ++k) {
            s += C.data()[k] * M.data()[k];
        }
        return s * s + sum_of_squares(M);
    };
    double s = 0.0;
    for (std::size_t k = 0; k < X.size(); ++k) {
        s += C.data()[k] * X.data()[k];
    }
    const Matrix grad_coupled = 2.0 * s * C + 2.0 * X;
    for (double h : {1e-5, 0.25}) {
        CAPTURE(h);
        CHECK_THAT(numeric_gradient(coupled, X, h), IsNear(grad_coupled, 1e-8, 1e-10));
    }
    // A cubic sum_jk X_jk^3 on a (3, 2) X: the central difference is exactly 3 X^2 + h^2.
    const Matrix Y = random_matrix(3, 2, 43);
    const auto cubic = [](const Matrix& M) {
        double f = 0.0;
        for (double m : M) {
            f += m * m * m;
        }
        return f;
    };
    const double h = 0.1;
    CHECK_THAT(numeric_gradient(cubic, Y, h), IsNear(3.0 * Y * Y + h * h, 1e-12, 1e-13));
    // The step must be positive.
    CHECK_THROWS_AS(numeric_gradient(sum_of_squares, X, 0.0), std::invalid_argument);
}

// Grading tests of chapter 9's exercises: the product's local backward against numeric
// derivatives and the source's numbers, the topological order by its defining property on
// shuffled random graphs, the backward pass of a tape against the gates by hand and
// numeric derivatives of random tapes, and softmax's gradient against numeric derivatives
// at ordinary and enormous logits. Each TEST_CASE is one exercise; its name,
// "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/matmul.hpp"
#include "backprop/random.hpp"
#include "ch09_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Matrix;
using backprop::ShapeError;
using checks::check_against_numeric;
using checks::IsNear;
using exercises::ScalarNode;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}

// Checks that `order` lists exactly the nodes `output` depends on, each once, each after
// all of its inputs.
void check_order(const std::vector<std::vector<std::size_t>>& inputs, std::size_t output,
                 const std::vector<std::size_t>& order)
{
    std::set<std::size_t> needed = {output}, frontier = {output};
    while (!frontier.empty()) {
        const std::size_t n = *frontier.begin();
        frontier.erase(frontier.begin());
        for (std::size_t in : inputs[n]) {
            if (needed.insert(in).second) {
                frontier.insert(in);
            }
        }
    }
    INFO("the order has " << order.size() << " nodes; " << needed.size() << " are needed");
    REQUIRE(order.size() == needed.size());
    REQUIRE(std::set<std::size_t>(order.begin(), order.end()) == needed);
    std::vector<std::size_t> place(inputs.size(), 0);
    for (std::size_t k = 0; k < order.size(); ++k) {
        place[order[k]] = k;
    }
    for (std::size_t n : order) {
        for (std::size_t in : inputs[n]) {
            INFO("node " << in << " feeds node " << n << " but comes after it");
            CHECK(place[in] < place[n]);
        }
    }
}

// The forward pass of a tape: every value from its inputs'.
void forward(std::vector<ScalarNode>& tape)
{
    for (ScalarNode& v : tape) {
        switch (v.op) {
        case '+': v.value = tape[v.a].value + tape[v.b].value; break;
        case '*': v.value = tape[v.a].value * tape[v.b].value; break;
        case 'm': v.value = std::max(tape[v.a].value, tape[v.b].value); break;
        case 't': v.value = std::tanh(tape[v.a].value); break;
        default: break;
        }
    }
}

ScalarNode leaf(double value) { return {'x', 0, 0, value}; }
ScalarNode node(char op, std::size_t a, std::size_t b = 0) { return {op, a, b, 0.0}; }

// The smallest |a - b| over the tape's max nodes: how far it is from a tie.
double distance_to_tie(const std::vector<ScalarNode>& tape)
{
    double d = INFINITY;
    for (const ScalarNode& v : tape) {
        if (v.op == 'm') {
            d = std::min(d, std::abs(tape[v.a].value - tape[v.b].value));
        }
    }
    return d;
}

// J = sum_ij (softmax cross-entropy of column i), the mean over the m columns, written here.
double mean_cross_entropy(const Matrix& z, const Matrix& y)
{
    double J = 0.0;
    for (std::size_t i = 0; i < z.shape(1); ++i) {
        double c = z(0, i);
        for (std::size_t j = 0; j < z.shape(0); ++j) c = std::max(c, z(j, i));
        double sum = 0.0;
        for (std::size_t j = 0; j < z.shape(0); ++j) sum += std::exp(z(j, i) - c);
        for (std::size_t j = 0; j < z.shape(0); ++j) J += y(j, i) * (c + std::log(sum) - z(j, i));  // -y ln a
    }
    return J / static_cast<double>(z.shape(1));
}

Matrix one_hot(std::size_t n, std::size_t m, std::uint64_t seed)
{
    backprop::Random rng(seed);
    Matrix y = xt::zeros<double>({n, m});
    for (std::size_t i = 0; i < m; ++i) {
        y(rng.below(n), i) = 1.0;
    }
    return y;
}

}  // namespace

TEST_CASE("Exercise 9.1: the local backward of a matrix product", "[ch09]")
{
    // The source's A and B, with dJ/dC all ones: dJ/dA = 1 Bᵀ (row sums of B), dJ/dB = Aᵀ 1.
    const Matrix A = {{1.0, 2.0}, {3.0, 4.0}}, B = {{-1.0, -2.0}, {-3.0, -4.0}};
    const exercises::ProductGradients g = exercises::matmul_backward(A, B, Matrix{{1.0, 1.0}, {1.0, 1.0}});
    CHECK_THAT(g.grad_A, IsNear(Matrix{{-3.0, -7.0}, {-3.0, -7.0}}));
    CHECK_THAT(g.grad_B, IsNear(Matrix{{4.0, 4.0}, {6.0, 6.0}}));
    // Shapes that are not square, so that a missing transpose shows; J = sum(AB (.) G).
    for (const auto& [n, k, m] : std::vector<std::tuple<std::size_t, std::size_t, std::size_t>>{
             {2, 3, 4}, {4, 2, 3}, {3, 5, 1}, {1, 4, 2}}) {
        INFO("A is (" << n << ", " << k << "), B is (" << k << ", " << m << ")");
        Matrix a = random_matrix(n, k, 91 + n), b = random_matrix(k, m, 92 + m);
        const Matrix G = random_matrix(n, m, 93);
        const auto J = [&] { return xt::sum(backprop::matmul(a, b) * G)(); };
        const exercises::ProductGradients yours = exercises::matmul_backward(a, b, G);
        check_against_numeric("dJ/dA", yours.grad_A, backprop::numeric_gradient(J, a));
        check_against_numeric("dJ/dB", yours.grad_B, backprop::numeric_gradient(J, b));
    }
    CHECK_THROWS_AS(exercises::matmul_backward(random_matrix(2, 3, 1), random_matrix(2, 3, 2), random_matrix(2, 3, 3)),
                    ShapeError);
    CHECK_THROWS_AS(exercises::matmul_backward(random_matrix(2, 3, 1), random_matrix(3, 4, 2), random_matrix(4, 2, 3)),
                    ShapeError);
}

TEST_CASE("Exercise 9.2: the topological order", "[ch09]")
{
    using Inputs = std::vector<std::vector<std::size_t>>;
    SECTION("a chain, numbered forwards and backwards")
    {
        CHECK(exercises::topological_order(Inputs{{}, {0}, {1}}, 2) == std::vector<std::size_t>{0, 1, 2});
        CHECK(exercises::topological_order(Inputs{{1}, {2}, {}}, 0) == std::vector<std::size_t>{2, 1, 0});
    }
    SECTION("a diamond: node 0 feeds 1 and 2, which both feed 3; 0 is listed once")
    {
        const Inputs inputs = {{}, {0}, {0}, {1, 2}};
        check_order(inputs, 3, exercises::topological_order(inputs, 3));
    }
    SECTION("a node used twice, and nodes the output does not use")
    {
        const Inputs inputs = {{}, {0, 0}, {1}, {}, {3}};
        const std::vector<std::size_t> order = exercises::topological_order(inputs, 2);
        check_order(inputs, 2, order);
        CHECK(order == std::vector<std::size_t>{0, 1, 2});
        CHECK(exercises::topological_order(inputs, 3) == std::vector<std::size_t>{3});
    }
    SECTION("random graphs whose nodes are shuffled")
    {
        backprop::Random rng(94);
        for (int trial = 0; trial < 50; ++trial) {
            const std::size_t n = 2 + rng.below(20);
            Inputs built(n);  // node i may use any node before it
            for (std::size_t i = 1; i < n; ++i) {
                const std::size_t count = rng.below(4);
                for (std::size_t c = 0; c < count; ++c) {
                    built[i].push_back(rng.below(i));
                }
            }
            std::vector<std::size_t> label(n);  // a random renumbering
            for (std::size_t i = 0; i < n; ++i) label[i] = i;
            for (std::size_t i = n - 1; i > 0; --i) std::swap(label[i], label[rng.below(i + 1)]);
            Inputs shuffled(n);
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t in : built[i]) shuffled[label[i]].push_back(label[in]);
            }
            const std::size_t output = label[n - 1 - rng.below(std::min<std::size_t>(n, 3))];
            INFO("trial " << trial << ": " << n << " nodes, output " << output);
            check_order(shuffled, output, exercises::topological_order(shuffled, output));
        }
    }
    SECTION("a cycle, and a node that is not there")
    {
        CHECK_THROWS_AS(exercises::topological_order(Inputs{{1}, {0}}, 0), std::invalid_argument);
        CHECK_THROWS_AS(exercises::topological_order(Inputs{{}, {0, 3}, {1}, {2}}, 3), std::invalid_argument);
        CHECK_THROWS_AS(exercises::topological_order(Inputs{{}, {5}}, 1), std::invalid_argument);
    }
}

TEST_CASE("Exercise 9.3: the backward pass of a tape, with fan-out", "[ch09]")
{
    SECTION("x * x: x feeds both inputs of the product, so dJ/dx = 2x")
    {
        std::vector<ScalarNode> tape = {leaf(3.0), node('*', 0, 0)};
        forward(tape);
        const std::vector<double> g = exercises::scalar_backward(tape);
        REQUIRE(g.size() == 2);
        CHECK_THAT(g[0], WithinAbs(6.0, 0.0));
        CHECK_THAT(g[1], WithinAbs(1.0, 0.0));
    }
    SECTION("x * y + x: one share through the product, one through the sum")
    {
        std::vector<ScalarNode> tape = {leaf(3.0), leaf(-4.0), node('*', 0, 1), node('+', 2, 0)};
        forward(tape);
        const std::vector<double> g = exercises::scalar_backward(tape);
        REQUIRE(g.size() == 4);
        CHECK_THAT(g[0], WithinAbs(-4.0 + 1.0, 0.0));
        CHECK_THAT(g[1], WithinAbs(3.0, 0.0));
    }
    SECTION("f = 2 (x y + max(z, w)): add passes on, max routes, multiply swaps")
    {
        std::vector<ScalarNode> tape = {leaf(3.0),       leaf(-4.0),      leaf(2.0),       leaf(-1.0),
                                        node('*', 0, 1), node('m', 2, 3), node('+', 4, 5), leaf(2.0),
                                        node('*', 6, 7)};
        forward(tape);
        const std::vector<double> g = exercises::scalar_backward(tape);
        REQUIRE(g.size() == 9);
        CHECK_THAT(tape[8].value, WithinAbs(-20.0, 0.0));
        CHECK_THAT(g[6], WithinAbs(2.0, 0.0));   // the product with 2
        CHECK_THAT(g[4], WithinAbs(2.0, 0.0));   // add
        CHECK_THAT(g[5], WithinAbs(2.0, 0.0));
        CHECK_THAT(g[2], WithinAbs(2.0, 0.0));   // max: z is larger
        CHECK_THAT(g[3], WithinAbs(0.0, 0.0));
        CHECK_THAT(g[0], WithinAbs(-8.0, 0.0));  // multiply: y times 2
        CHECK_THAT(g[1], WithinAbs(6.0, 0.0));   // x times 2
    }
    SECTION("a node used by three others, through tanh; a leaf nobody uses; a max's loser")
    {
        // x, u (unused), w, t = tanh x, p = t x, q = p + x, r = q t, J = max(r, w)
        std::vector<ScalarNode> tape = {leaf(0.5),       leaf(7.0),       leaf(-7.0),      node('t', 0),
                                        node('*', 3, 0), node('+', 4, 0), node('*', 5, 3), node('m', 6, 2)};
        forward(tape);
        const std::vector<double> g = exercises::scalar_backward(tape);
        REQUIRE(g.size() == 8);
        // J = (t x + x) t at x = 0.5: dJ/dx = t' (2 t x + x) + t (t + 1), with t' = 1 - t^2.
        const double t = std::tanh(0.5), dt = 1.0 - t * t;
        CHECK_THAT(g[0], WithinRel(dt * (2.0 * t * 0.5 + 0.5) + t * (t + 1.0), 1e-14));
        CHECK_THAT(g[1], WithinAbs(0.0, 0.0));
        CHECK_THAT(g[2], WithinAbs(0.0, 0.0));
    }
    SECTION("random tapes against numeric derivatives")
    {
        backprop::Random rng(95);
        int tapes = 0;
        while (tapes < 40) {
            std::vector<ScalarNode> tape;
            const std::size_t leaves = 1 + rng.below(3), ops = 2 + rng.below(10);
            for (std::size_t k = 0; k < leaves; ++k) tape.push_back(leaf(rng.uniform(-1.5, 1.5)));
            for (std::size_t k = 0; k < ops; ++k) {
                const char op = "+*mt"[rng.below(4)];
                tape.push_back(node(op, rng.below(tape.size()), rng.below(tape.size())));
            }
            forward(tape);
            if (distance_to_tie(tape) < 0.05) {
                continue;  // a max near a tie has no derivative to check
            }
            ++tapes;
            const std::vector<double> g = exercises::scalar_backward(tape);
            REQUIRE(g.size() == tape.size());
            for (std::size_t k = 0; k < leaves; ++k) {
                const backprop::ScalarFunction J = [&](double v) {
                    std::vector<ScalarNode> moved = tape;
                    moved[k].value = v;
                    forward(moved);
                    return moved.back().value;
                };
                const double numeric = backprop::richardson_difference(J, tape[k].value, 1e-3);
                INFO("tape " << tapes << ", leaf " << k << ": yours " << g[k] << ", numeric " << numeric);
                CHECK(backprop::relative_error(g[k], numeric) < 1e-7);
            }
        }
    }
}

TEST_CASE("Exercise 9.4: softmax with the categorical cross-entropy", "[ch09]")
{
    // One column by hand: a = e^z / sum e^z, then a - y.
    const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK_THAT(exercises::softmax_cross_entropy_gradient(Matrix{{1.0}, {2.0}, {3.0}}, Matrix{{0.0}, {0.0}, {1.0}}),
               IsNear(Matrix{{std::exp(1.0) / sum}, {std::exp(2.0) / sum}, {std::exp(3.0) / sum - 1.0}}, 1e-14));
    // Batches against numeric derivatives of the mean loss.
    for (std::size_t m : {1u, 3u, 5u}) {
        INFO("a batch of " << m);
        Matrix z = random_matrix(4, m, 96 + m) * 3.0;
        const Matrix y = one_hot(4, m, 97 + m);
        const Matrix yours = exercises::softmax_cross_entropy_gradient(z, y);
        check_against_numeric("dJ/dz", yours, backprop::numeric_gradient([&] { return mean_cross_entropy(z, y); }, z));
        // Each column of a - y sums to 0: softmax sums to 1, and so does a one-hot y.
        for (std::size_t i = 0; i < m; ++i) {
            CHECK_THAT(xt::sum(xt::view(yours, xt::all(), i))(), WithinAbs(0.0, 1e-15));
        }
        // Adding a constant to a column changes no softmax.
        CHECK_THAT(exercises::softmax_cross_entropy_gradient(Matrix(z + 50.0), y), IsNear(yours, 1e-12, 1e-15));
    }
    // Logits whose e^z overflows or rounds to 0: a = (1/(1 + e^-1), e^-1/(1 + e^-1), 0).
    const Matrix large = exercises::softmax_cross_entropy_gradient(Matrix{{1000.0}, {999.0}, {-1000.0}},
                                                                   Matrix{{0.0}, {1.0}, {0.0}});
    REQUIRE(xt::all(xt::isfinite(large)));
    const double e = std::exp(-1.0);
    CHECK_THAT(large, IsNear(Matrix{{1.0 / (1.0 + e)}, {e / (1.0 + e) - 1.0}, {0.0}}, 1e-14, 1e-300));
    CHECK_THROWS_AS(exercises::softmax_cross_entropy_gradient(random_matrix(3, 2, 1), random_matrix(2, 3, 2)),
                    ShapeError);
}

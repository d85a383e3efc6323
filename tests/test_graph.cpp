// The reverse-mode engine of chapter 9 (backprop/graph.hpp, graph_check.hpp): each
// operation's local backward against numeric derivatives, its tangent against its
// backward, the layered network built as a graph against backprop::backward, the fan-out
// and the accumulation, random graphs with shared weights and skip connections, and
// deliberately wrong local backwards that the gradient check must catch.
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backprop/gradients.hpp"
#include "backprop/graph.hpp"
#include "backprop/graph_check.hpp"
#include "backprop/matmul.hpp"
#include "backprop/random.hpp"
#include "book/flags.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Graph;
using backprop::Loss;
using backprop::Matrix;
using backprop::Node;
using backprop::Operation;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
namespace ops = backprop::ops;

namespace {

// The largest relative error (gradcheck's measure) between two matrices of one shape,
// judged absolutely below `tiny`.
double largest_difference(const Matrix& a, const Matrix& b, double tiny = 1e-300)
{
    return backprop::compare_gradients("difference", a, b, tiny).max_relative_error;
}

struct OpCase {
    const Operation* op;
    std::size_t x_rows, x_cols, y_rows, y_cols;  // y_rows = 0: unary
    double lo, hi;                               // the range of x
    bool one_hot_y = false;                      // a target whose columns sum to 1
};

// Every operation, on inputs away from its kinks.
std::vector<OpCase> op_cases()
{
    return {{&ops::matmul, 3, 4, 4, 2, -1, 1},
            {&ops::add_bias, 3, 2, 3, 1, -1, 1},
            {&ops::add, 3, 2, 3, 2, -1, 1},
            {&ops::hadamard, 3, 2, 3, 2, -1, 1},
            {&ops::maximum, 3, 2, 3, 2, -1, 1},
            {&ops::sum, 3, 2, 0, 0, -1, 1},
            {&ops::sigmoid, 3, 2, 0, 0, -3, 3},
            {&ops::tanh, 3, 2, 0, 0, -3, 3},
            {&ops::relu, 3, 2, 0, 0, -3, 3},
            {&ops::identity, 3, 2, 0, 0, -3, 3},
            {&ops::softmax, 4, 3, 0, 0, -3, 3},
            {&ops::l1, 3, 2, 3, 2, -1, 1},
            {&ops::quadratic, 3, 2, 3, 2, -1, 1},
            {&ops::cross_entropy, 3, 2, 3, 2, 0.05, 0.95},
            {&ops::categorical_cross_entropy, 3, 2, 3, 2, 0.05, 0.95, true},
            {&ops::softmax_cross_entropy, 4, 3, 4, 3, -3, 3, true}};
}

// J = sum(op(X, Y) (.) R) for a random weight R, so that every entry of the operation's
// value reaches J with its own factor; X (and Y unless the operation takes a target) are
// parameters. The seed is moved on until the inputs are away from the kinks.
struct OpGraph {
    Graph g;
    Node X, Y, J;
};

OpGraph op_graph(const OpCase& c, std::uint64_t seed)
{
    for (std::uint64_t s = seed;; ++s) {
        backprop::Random rng(s);
        OpGraph t;
        t.X = t.g.parameter(rng.uniform_matrix(c.x_rows, c.x_cols, c.lo, c.hi), "X");
        Node v;
        if (c.y_rows == 0) {
            v = t.g.apply(*c.op, t.X);
        } else {
            Matrix y = rng.uniform_matrix(c.y_rows, c.y_cols, c.op->constant_y ? 0.0 : -1.0, 1.0);
            if (c.one_hot_y) {
                y.fill(0.0);
                for (std::size_t i = 0; i < c.y_cols; ++i) {
                    y(rng.below(c.y_rows), i) = 1.0;
                }
            }
            t.Y = c.op->constant_y ? t.g.constant(y, "Y") : t.g.parameter(y, "Y");
            v = t.g.apply(*c.op, t.X, t.Y);
        }
        const Node R = t.g.constant(rng.uniform_matrix(t.g.value(v).shape(0), t.g.value(v).shape(1), -1, 1), "R");
        t.J = t.g.apply(ops::sum, t.g.apply(ops::hadamard, v, R), "J");
        if (t.g.distance_to_kink() > 0.05) {
            return t;
        }
    }
}

}  // namespace

TEST_CASE("Each operation's local backward agrees with numeric derivatives", "[ch09][gradcheck]")
{
    for (const OpCase& c : op_cases()) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            INFO(c.op->name << ", seed " << seed);
            OpGraph t = op_graph(c, seed * 101);
            const backprop::NetworkCheck check = backprop::check_graph_gradients(t.g, t.J);
            CHECK(check.reports.size() == (c.y_rows == 0 || c.op->constant_y ? 1u : 2u));
            CHECK(check.worst().max_relative_error < 1e-7);
        }
    }
}

TEST_CASE("Each operation's tangent agrees with its backward: forward and reverse mode meet", "[ch09][value]")
{
    for (const OpCase& c : op_cases()) {
        INFO(c.op->name);
        OpGraph t = op_graph(c, 7);
        t.g.backward(t.J);
        for (Node p : t.g.parameters()) {
            const Matrix forward_mode = backprop::forward_mode_gradient(t.g, t.J, p);
            CHECK(largest_difference(forward_mode, t.g.grad(p), 1e-6) < 1e-12);
        }
    }
}

TEST_CASE("The layered network built as a graph gives backprop::backward's gradients", "[ch09][value]")
{
    struct Case {
        std::vector<std::size_t> sizes;
        Activation hidden, output;
        Loss loss;
        std::size_t batch;
    };
    for (const Case& c : std::vector<Case>{{{2, 3, 2}, Activation::sigmoid, Activation::sigmoid, Loss::l1, 1},
                                           {{3, 5, 4, 2}, Activation::tanh, Activation::tanh, Loss::quadratic, 4},
                                           {{4, 6, 3}, Activation::relu, Activation::sigmoid, Loss::cross_entropy, 5},
                                           {{4, 6, 3}, Activation::relu, Activation::softmax,
                                            Loss::categorical_cross_entropy, 3},
                                           {{2, 4, 4, 2}, Activation::sigmoid, Activation::identity, Loss::l1, 2}}) {
        INFO(book::join_sizes(c.sizes, "-") << " " << backprop::name_of(c.output) << " "
                                           << backprop::name_of(c.loss));
        const backprop::Network net = backprop::make_network(c.sizes, c.hidden, c.output, 3);
        backprop::Random rng(5);
        const Matrix x = rng.uniform_matrix(c.sizes.front(), c.batch, 0.0, 1.0);
        Matrix y = xt::zeros<double>({c.sizes.back(), c.batch});
        for (std::size_t i = 0; i < c.batch; ++i) {
            y(rng.below(c.sizes.back()), i) = 1.0;  // one-hot: in every output's range
        }
        Graph g;
        const backprop::NetworkGraph G = backprop::network_graph(g, net, x, y, c.loss);
        g.backward(G.J);
        const backprop::ForwardPass pass = backprop::forward(net, x);
        const backprop::Gradients grads = backprop::backward(net, pass, y, c.loss);
        CHECK_THAT(g.value(G.J)(0, 0), WithinRel(backprop::loss_value(c.loss, pass.output(), y), 1e-14));
        const double m = static_cast<double>(c.batch);
        for (std::size_t l = 1; l <= net.depth(); ++l) {
            CHECK(largest_difference(g.grad(G.W[l]), grads.grad_W[l]) <= 1e-14);
            CHECK(largest_difference(g.grad(G.b[l]), grads.grad_b[l]) <= 1e-14);
            // dJ/dz^[l] is the mean's share of each sample's error: delta^[l] / m.
            CHECK(largest_difference(Matrix(g.grad(G.z[l]) * m), grads.delta[l]) <= 1e-14);
            CHECK_THAT(g.value(G.a[l]), support::IsNear(pass.a[l], 0.0, 0.0));
        }
    }
}

TEST_CASE("A node used twice collects the sum of both uses' gradients", "[ch09][value]")
{
    SECTION("x (.) x: the multiply gate sends x to each input, 2x in all")
    {
        Graph g;
        const Node x = g.parameter(Matrix{{3.0}}, "x");
        g.backward(g.apply(ops::hadamard, x, x));
        CHECK_THAT(g.grad(x)(0, 0), WithinAbs(6.0, 0.0));
    }
    SECTION("x (.) y + x: one share through the product, one through the sum")
    {
        Graph g;
        const Node x = g.parameter(Matrix{{3.0}}, "x");
        const Node y = g.parameter(Matrix{{-4.0}}, "y");
        g.backward(g.apply(ops::add, g.apply(ops::hadamard, x, y), x));
        CHECK_THAT(g.grad(x)(0, 0), WithinAbs(-4.0 + 1.0, 0.0));
        CHECK_THAT(g.grad(y)(0, 0), WithinAbs(3.0, 0.0));
    }
    SECTION("a weight shared by two layers: the sum of the gradients of two separate copies")
    {
        backprop::Random rng(9);
        const Matrix W = rng.uniform_matrix(3, 3, -1, 1), x = rng.uniform_matrix(3, 2, -1, 1);
        const Matrix y = rng.uniform_matrix(3, 2, -1, 1);
        const auto build = [&](Graph& g, Node W1, Node W2) {
            const Node h = g.apply(ops::tanh, g.apply(ops::matmul, W1, g.constant(x, "x")));
            const Node out = g.apply(ops::tanh, g.apply(ops::matmul, W2, h));
            return g.apply(ops::quadratic, out, g.constant(y, "y"));
        };
        Graph shared;
        const Node Ws = shared.parameter(W, "W");
        shared.backward(build(shared, Ws, Ws));
        Graph copies;
        const Node W1 = copies.parameter(W, "W1"), W2 = copies.parameter(W, "W2");
        copies.backward(build(copies, W1, W2));
        CHECK(largest_difference(shared.grad(Ws), Matrix(copies.grad(W1) + copies.grad(W2))) < 1e-15);
    }
}

TEST_CASE("backward adds to the parameters' gradients until zero_grad, and starts the others afresh",
          "[ch09][value]")
{
    backprop::RandomGraph r = backprop::random_graph(21);
    Graph& g = r.graph;
    g.backward(r.output);
    std::vector<Matrix> once;
    for (Node p : g.parameters()) {
        once.push_back(g.grad(p));
    }
    const Matrix intermediate = g.grad(g.inputs(r.output).front());
    g.backward(r.output);
    const std::vector<Node> params = g.parameters();
    for (std::size_t k = 0; k < params.size(); ++k) {
        CHECK_THAT(g.grad(params[k]), support::IsNear(Matrix(2.0 * once[k]), 1e-15));
    }
    // The node before J holds dJ/dnode of the last pass only, not twice it.
    CHECK_THAT(g.grad(g.inputs(r.output).front()), support::IsNear(intermediate, 0.0, 0.0));
    g.zero_grad();
    for (Node p : params) {
        CHECK(xt::all(xt::equal(g.grad(p), 0.0)));
    }
    g.backward(r.output);
    for (std::size_t k = 0; k < params.size(); ++k) {
        CHECK_THAT(g.grad(params[k]), support::IsNear(once[k], 0.0, 0.0));
    }
}

TEST_CASE("The tape is in topological order, and the order to J leaves out what J does not use", "[ch09][value]")
{
    Graph g;
    const Node x = g.constant(Matrix{{1.0, 2.0}}, "x");
    const Node w = g.parameter(Matrix{{0.5, -1.0}}, "w");
    const Node unused = g.apply(ops::tanh, w, "unused");
    const Node p = g.apply(ops::hadamard, x, w, "p");
    const Node J = g.apply(ops::sum, p, "J");
    const std::vector<Node> order = g.topological_order(J);
    REQUIRE(order.size() == 4);
    CHECK(order[0].index == x.index);
    CHECK(order[1].index == w.index);
    CHECK(order[2].index == p.index);
    CHECK(order[3].index == J.index);
    for (std::size_t i = 0; i < g.size(); ++i) {
        for (Node in : g.inputs(g.node(i))) {
            CHECK(in.index < i);  // every node after its inputs
        }
    }
    g.backward(J);
    CHECK_THAT(g.grad(w), support::IsNear(Matrix{{1.0, 2.0}}, 0.0, 0.0));
    CHECK(xt::all(xt::equal(g.grad(unused), 0.0)));  // not on the way to J
    CHECK_FALSE(g.needs_grad(x));
    CHECK_THROWS_AS(g.grad(x), std::invalid_argument);
}

TEST_CASE("Random graphs with shared weights and skip connections pass the gradient check", "[ch09][gradcheck]")
{
    double worst = 0.0;
    std::uint64_t seed = 1;
    for (int k = 0; k < 200; ++k) {
        backprop::RandomGraph r = backprop::random_graph(seed);
        seed = r.seed + 1;
        INFO("random graph of seed " << r.seed << ":\n" << r.description);
        const backprop::NetworkCheck check = backprop::check_graph_gradients(r.graph, r.output);
        CHECK(check.worst().max_relative_error < 1e-7);
        worst = std::max(worst, check.worst().max_relative_error);
        // Forward mode gives the same gradients, one pass per entry.
        for (Node p : r.graph.parameters()) {
            const Matrix forward_mode = backprop::forward_mode_gradient(r.graph, r.output, p);
            CHECK(largest_difference(forward_mode, r.graph.grad(p), 1e-6) < 1e-10);
        }
    }
    CHECK(worst > 0.0);  // the numeric derivatives are not exact: the check did compare
}

namespace {

// Wrong local backwards, each the kind of slip the gradient check exists to catch.
void hadamard_without_swap(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    if (gA != nullptr) *gA += g * A;  // should be g (.) B
    if (gB != nullptr) *gB += g * B;  // should be g (.) A
}

void matmul_assigning(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    if (gA != nullptr) backprop::matmul_into(g, false, B, true, *gA);  // = instead of +=
    if (gB != nullptr) backprop::matmul_into(A, true, g, false, *gB);
}

void add_bias_mean(const Matrix&, const Matrix&, const Matrix&, const Matrix& g, Matrix* gZ, Matrix* gb)
{
    backprop::add_bias_backward(g, gZ, gb);
    if (gb != nullptr) *gb /= static_cast<double>(g.shape(1));  // a mean over the batch, a second time
}

}  // namespace

TEST_CASE("The gradient check catches a wrong local backward", "[ch09][gradcheck]")
{
    SECTION("a multiply gate that does not swap its inputs")
    {
        Operation mutant = ops::hadamard;
        mutant.backward = hadamard_without_swap;
        backprop::Random rng(4);
        for (const Operation* op : std::vector<const Operation*>{&ops::hadamard, &mutant}) {
            Graph g;
            const Node a = g.parameter(rng.uniform_matrix(3, 2, -1, 1), "a");
            const Node b = g.parameter(rng.uniform_matrix(3, 2, -1, 1), "b");
            const Node J = g.apply(ops::sum, g.apply(ops::tanh, g.apply(*op, a, b)));
            const double worst = backprop::check_graph_gradients(g, J).worst().max_relative_error;
            if (op == &mutant) {
                CHECK(worst > 1e-2);
            } else {
                CHECK(worst < 1e-7);
            }
        }
    }
    SECTION("a product whose backward assigns instead of adding, where a weight is shared")
    {
        Operation mutant = ops::matmul;
        mutant.backward = matmul_assigning;
        backprop::Random rng(6);
        const Matrix W = rng.uniform_matrix(3, 3, -1, 1), x = rng.uniform_matrix(3, 2, -1, 1);
        for (const bool shared : {false, true}) {
            Graph g;
            const Node W1 = g.parameter(W, "W1");
            const Node W2 = shared ? W1 : g.parameter(W, "W2");
            const Node h = g.apply(ops::tanh, g.apply(mutant, W1, g.constant(x, "x")));
            const Node J = g.apply(ops::sum, g.apply(ops::tanh, g.apply(mutant, W2, h)));
            const double worst = backprop::check_graph_gradients(g, J).worst().max_relative_error;
            INFO((shared ? "W used twice: " : "two weights: ") << worst);
            if (shared) {
                CHECK(worst > 1e-2);  // the second use overwrote the first's share
            } else {
                CHECK(worst < 1e-7);  // with no fan-out, = and += agree
            }
        }
    }
    SECTION("a bias gradient divided by m once more")
    {
        Operation mutant = ops::add_bias;
        mutant.backward = add_bias_mean;
        backprop::Random rng(8);
        Graph g;
        const Node Z = g.parameter(rng.uniform_matrix(3, 4, -1, 1), "Z");
        const Node b = g.parameter(rng.uniform_matrix(3, 1, -1, 1), "b");
        const Node J = g.apply(ops::quadratic, g.apply(mutant, Z, b), g.constant(xt::zeros<double>({3, 4}), "y"));
        const backprop::NetworkCheck check = backprop::check_graph_gradients(g, J);
        CHECK(check.reports[0].max_relative_error < 1e-7);  // Z's gradient is right
        CHECK(check.reports[1].max_relative_error > 0.5);   // b's is a quarter of it
    }
}

TEST_CASE("The engine refuses what it cannot do, with a message that says why", "[ch09][shape]")
{
    Graph g;
    const Node A = g.parameter(xt::ones<double>({2, 3}), "A");
    const Node B = g.parameter(xt::ones<double>({2, 3}), "B");
    CHECK_THROWS_WITH(g.apply(ops::matmul, A, B), Contains("(2, 3)"));
    CHECK_THROWS_AS(g.apply(ops::add, A), std::invalid_argument);
    CHECK_THROWS_AS(g.apply(ops::sum, A, B), std::invalid_argument);
    CHECK_THROWS_WITH(g.apply(ops::quadratic, A, B), Contains("target"));
    CHECK_THROWS_WITH(g.backward(g.apply(ops::add, A, B)), Contains("(1, 1)"));
    CHECK_THROWS_AS(g.leaf_value(g.apply(ops::tanh, A)), std::invalid_argument);
    CHECK_THROWS_AS(g.value(Node{99}), std::out_of_range);
    CHECK_THROWS_AS(g.value(Node{}), std::out_of_range);
    CHECK_THROWS_WITH(g.directional_derivative(g.apply(ops::sum, A), A, xt::ones<double>({3, 2})),
                      Contains("(3, 2)"));
    CHECK_THROWS_AS(g.apply(ops::add_bias, A, B), backprop::ShapeError);
}

TEST_CASE("check_graph_gradients leaves the graph's values as they were", "[ch09][value]")
{
    backprop::RandomGraph r = backprop::random_graph(33);
    std::vector<Matrix> before;
    for (std::size_t i = 0; i < r.graph.size(); ++i) {
        before.push_back(r.graph.value(r.graph.node(i)));
    }
    backprop::check_graph_gradients(r.graph, r.output);
    for (std::size_t i = 0; i < r.graph.size(); ++i) {
        CHECK_THAT(r.graph.value(r.graph.node(i)), support::IsNear(before[i], 0.0, 0.0));
    }
}

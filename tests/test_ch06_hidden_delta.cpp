// Chapter 6: the hidden errors δ^[l] = (W^[l+1]ᵀ δ^[l+1]) ⊙ σ'(z^[l]). The program's numbers
// are checked against the entry-by-entry sum δ_j = Σ_k w_kj δ_k σ'(z_j) written here with
// plain loops, the formula against finite differences on z^[l] (with a tail of the forward
// pass written here too), the wrong formulas against the same check, and the hidden
// figures of the backward walk against the same numbers.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "book/walk.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

double sigma_by_hand(Activation s, double z)
{
    switch (s) {
    case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0.0 ? z : 0.0;
    case Activation::identity: return z;
    case Activation::softmax: break;  // not entry by entry
    }
    return NAN;
}

double sigma_prime_by_hand(Activation s, double z)
{
    const double a = sigma_by_hand(s, z);
    switch (s) {
    case Activation::sigmoid: return a * (1.0 - a);
    case Activation::tanh: return 1.0 - a * a;
    case Activation::relu: return z > 0.0 ? 1.0 : 0.0;
    case Activation::identity: return 1.0;
    case Activation::softmax: break;
    }
    return NAN;
}

// Every δ^[l] by plain loops, from a forward pass also by plain loops:
//   δ_j^[L] = ∂ℓ/∂a_j σ'(z_j^[L]),   δ_j^[l] = Σ_k w_kj^[l+1] δ_k^[l+1] σ'(z_j^[l]).
struct ByHand {
    std::vector<std::vector<double>> z, a, delta;
};

double loss_slope(Loss loss, double a, double y)
{
    switch (loss) {
    case Loss::l1: return a > y ? 1.0 : -1.0;
    case Loss::quadratic: return a - y;
    case Loss::cross_entropy: return (a - y) / (a * (1.0 - a));
    case Loss::categorical_cross_entropy: break;  // only after a softmax output
    }
    return NAN;
}

ByHand by_hand(const backprop::Network& net, const std::vector<double>& x, const std::vector<double>& y, Loss loss)
{
    const std::size_t L = net.depth();
    ByHand h;
    h.z.resize(L + 1);
    h.a.resize(L + 1);
    h.delta.resize(L + 1);
    h.a[0] = x;
    for (std::size_t l = 1; l <= L; ++l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            double z = net.b[l](j, 0);
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) z += net.W[l](j, k) * h.a[l - 1][k];
            h.z[l].push_back(z);
            h.a[l].push_back(sigma_by_hand(net.sigma[l], z));
        }
    }
    for (std::size_t j = 0; j < net.sizes[L]; ++j) {
        h.delta[L].push_back(loss_slope(loss, h.a[L][j], y[j]) * sigma_prime_by_hand(net.sigma[L], h.z[L][j]));
    }
    for (std::size_t l = L - 1; l >= 1; --l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            double sum = 0.0;
            for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) sum += net.W[l + 1](k, j) * h.delta[l + 1][k];
            h.delta[l].push_back(sum * sigma_prime_by_hand(net.sigma[l], h.z[l][j]));
        }
    }
    return h;
}

Matrix column(const std::vector<double>& v)
{
    Matrix M = xt::zeros<double>({v.size(), std::size_t{1}});
    for (std::size_t i = 0; i < v.size(); ++i) M(i, 0) = v[i];
    return M;
}

// ∂ℓ/∂z^[l] by finite differences: the loss as a function of z^[l], the rest of the
// forward pass written with plain loops.
Matrix numeric_dz(const backprop::Network& net, std::size_t l, const Matrix& z0, const Matrix& y, Loss loss)
{
    Matrix z = z0;
    const auto f = [&] {
        std::vector<double> a;
        for (double v : z) a.push_back(sigma_by_hand(net.sigma[l], v));
        for (std::size_t m = l + 1; m <= net.depth(); ++m) {
            std::vector<double> next;
            for (std::size_t j = 0; j < net.sizes[m]; ++j) {
                double s = net.b[m](j, 0);
                for (std::size_t k = 0; k < net.sizes[m - 1]; ++k) s += net.W[m](j, k) * a[k];
                next.push_back(sigma_by_hand(net.sigma[m], s));
            }
            a = next;
        }
        return backprop::loss_value(loss, column(a), y);
    };
    return backprop::numeric_gradient(f, z);
}

nlohmann::json run_json(const std::string& args)
{
    return support::run_json(program + " --json " + args);
}

std::string node_line(const std::string& dot, std::size_t l, std::size_t j)
{
    const std::string head = "    n" + std::to_string(l) + "_" + std::to_string(j + 1) + " [label=";
    const std::size_t at = dot.find(head);
    return at == std::string::npos ? "" : dot.substr(at, dot.find('\n', at) - at);
}

// The DOT line of the edge of w_kj^[l]: from neuron j of layer l-1 to neuron k of layer l (0-based).
std::string edge_line(const std::string& dot, std::size_t l, std::size_t k, std::size_t j)
{
    const std::string head = "  n" + std::to_string(l - 1) + "_" + std::to_string(j + 1) + " -> n" +
                             std::to_string(l) + "_" + std::to_string(k + 1) + " [";
    const std::size_t at = dot.find(head);
    return at == std::string::npos ? "" : dot.substr(at, dot.find('\n', at) - at);
}

const char* const subscripts[] = {"\u2080", "\u2081", "\u2082", "\u2083", "\u2084",
                                  "\u2085", "\u2086", "\u2087", "\u2088", "\u2089"};

}  // namespace

TEST_CASE("ch06_hidden_delta prints the running example's delta^[1], every term of every sum", "[ch06][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const ByHand h = by_hand(ex.net, {0.8, 0.2}, {1.0, 0.0}, Loss::l1);
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const std::string& out = r.out;
    CHECK_THAT(out, Contains(book::show("\u03b4^[2]", column(h.delta[2]))));
    CHECK_THAT(out, Contains(book::show("\u03b4^[1]", column(h.delta[1]))));
    CHECK_THAT(out, Contains(book::show("W^[2]\u1d40", xt::transpose(ex.net.W[2]))));
    CHECK_THAT(out, Contains("(3, 2)(2, 1) \u2299 (3, 1) -> (3, 1)"));
    for (std::size_t j = 0; j < 3; ++j) {
        INFO("hidden neuron " << j + 1);
        const std::string J = std::to_string(j + 1);
        CHECK_THAT(out, Contains("\u03b4_" + J + "^[1] = (w_1" + J + "^[2] \u03b4_1^[2] + w_2" + J +
                                 "^[2] \u03b4_2^[2]) \u03c3'(z_" + J + "^[1])\n"));
        // Each term w_kj δ_k with its numbers: w_kj is column j of W^[2], entry k.
        const std::string factors = "= ((" + book::format_number(ex.net.W[2](0, j), 4) + ")(" +
                                    book::format_number(h.delta[2][0], 4) + ") + (" +
                                    book::format_number(ex.net.W[2](1, j), 4) + ")(" +
                                    book::format_number(h.delta[2][1], 4) + "))(" +
                                    book::format_number(sigma_prime_by_hand(Activation::sigmoid, h.z[1][j]), 4) + ")\n";
        CHECK_THAT(out, Contains(factors));
        CHECK_THAT(out, Contains(") = " + book::format_number(h.delta[1][j]) + "\n"));
    }
    CHECK_THAT(out, !Contains("FAILS"));
    CHECK_THAT(out, !Contains("it should not"));
    CHECK_THAT(out, Contains("without \u03c3'(z^[1]): largest relative error"));
    CHECK_THAT(out, Contains("W^[2] instead of W^[2]\u1d40: the shapes do not fit"));
    CHECK_THAT(out, Contains("has 7 figures"));
    // Every line fits a page: at most 90 characters.
    std::size_t start = 0;
    while (start < out.size()) {
        const std::size_t end = out.find('\n', start);
        const std::string line = out.substr(start, end - start);
        INFO(line);
        CHECK(book::display_width(line) <= 90);
        start = end + 1;
    }
}

TEST_CASE("ch06_hidden_delta --json holds every layer's delta, its numeric check and the wrong formulas",
          "[ch06][value][gradcheck][cli]")
{
    const book::RunningExample ex = book::running_example();
    const ByHand h = by_hand(ex.net, {0.8, 0.2}, {1.0, 0.0}, Loss::l1);
    const auto j = run_json("");
    CHECK(j.at("sizes") == std::vector<int>{2, 3, 2});
    REQUIRE(j.at("layers").size() == 2);
    CHECK(j.at("layers").at(0).at("layer") == 2);  // walking back: the output first
    CHECK(j.at("layers").at(1).at("layer") == 1);
    for (const auto& layer : j.at("layers")) {
        const std::size_t l = layer.at("layer");
        INFO("layer " << l);
        CHECK_THAT(book::matrix_from_json(layer.at("delta")), support::IsNear(column(h.delta[l]), 1e-12, 1e-15));
        CHECK_THAT(book::matrix_from_json(layer.at("numeric")), support::IsNear(column(h.delta[l]), 1e-9, 1e-12));
        CHECK(layer.at("passed") == true);
        CHECK(layer.at("max_relative_error").get<double>() < 1e-7);
    }
    const auto& hidden = j.at("layers").at(1);
    Matrix sum = xt::zeros<double>({3, 1});
    for (std::size_t k = 0; k < 3; ++k) sum(k, 0) = h.delta[1][k] / sigma_prime_by_hand(Activation::sigmoid, h.z[1][k]);
    CHECK_THAT(book::matrix_from_json(hidden.at("W_next_T_delta_next")), support::IsNear(sum, 1e-12, 1e-15));

    // Without σ' the check fails; W^[2] without its transpose does not even fit (2, 3)(2, 1).
    const auto& wrong = j.at("wrong_formulas");
    REQUIRE(wrong.size() == 2);
    CHECK(wrong.at(0).at("passed") == false);
    CHECK(wrong.at(0).at("max_relative_error").get<double>() > 1e-1);
    CHECK(wrong.at(1).at("passed") == false);
    CHECK_THAT(wrong.at(1).at("shape_error").get<std::string>(), Contains("(2, 3)") && Contains("(2, 1)"));
    // On the square 2-3-3 network both fit the shapes and both fail the check.
    const auto& square = j.at("square_example").at("wrong_formulas");
    for (const auto& w : square) {
        INFO(w.at("formula"));
        CHECK(w.at("shape_error").is_null());
        CHECK(w.at("passed") == false);
        CHECK(w.at("max_relative_error").get<double>() > 1e-1);
    }
    CHECK(j.at("walk_figures") == 7);
}

TEST_CASE("ch06_hidden_delta --sizes walks back through every layer of a deeper network", "[ch06][value][cli]")
{
    const auto j = run_json("--sizes 2,4,3,2 --activation tanh --loss quadratic");
    const backprop::Network net = backprop::make_network({2, 4, 3, 2}, Activation::tanh, Activation::tanh, 1);
    const ByHand h = by_hand(net, {0.8, 0.2}, {1.0, 0.0}, Loss::quadratic);
    REQUIRE(j.at("layers").size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& layer = j.at("layers").at(i);
        const std::size_t l = 3 - i;
        INFO("layer " << l);
        CHECK(layer.at("layer") == l);
        CHECK_THAT(book::matrix_from_json(layer.at("delta")), support::IsNear(column(h.delta[l]), 1e-12, 1e-15));
        CHECK(layer.at("passed") == true);
    }
    CHECK(j.at("walk_figures") == 13);
    const auto r = support::run(program + " --sizes 2,4,3,2 --activation tanh --loss quadratic");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Layer 3 (output, tanh)"));
    CHECK_THAT(r.out, Contains("Layer 2 (hidden, tanh): \u03b4^[2] = (W^[3]\u1d40 \u03b4^[3]) \u2299 \u03c3'(z^[2])\n"
                               "shapes (3, 2)(2, 1) \u2299 (3, 1) -> (3, 1)\n"));
    CHECK_THAT(r.out, Contains("Layer 1 (hidden, tanh): \u03b4^[1] = (W^[2]\u1d40 \u03b4^[2]) \u2299 \u03c3'(z^[1])\n"
                               "shapes (4, 3)(3, 1) \u2299 (4, 1) -> (4, 1)\n"));
    CHECK_THAT(r.out, Contains(book::show("\u03b4^[1]", column(h.delta[1]))));
    CHECK(r.out.find("Layer 3") < r.out.find("Layer 2"));
    CHECK(r.out.find("Layer 2") < r.out.find("Layer 1"));
    // Another input size draws the input; the deltas still pass their checks.
    const auto wide = run_json("--sizes 5,6,4,3 --seed 4");
    CHECK(book::matrix_from_json(wide.at("x")).shape() == std::array<std::size_t, 2>{5, 1});
    for (const auto& layer : wide.at("layers")) {
        CHECK(layer.at("passed") == true);
    }
}

TEST_CASE("The hidden delta equals dl/dz^[l] by finite differences on z^[l], layer by layer", "[ch06][gradcheck]")
{
    for (const std::vector<std::size_t>& sizes : std::vector<std::vector<std::size_t>>{{2, 3, 2}, {3, 5, 4, 4, 2}}) {
        for (Activation sigma : {Activation::sigmoid, Activation::tanh}) {
            for (Loss loss : {Loss::l1, Loss::quadratic}) {
                support::Problem p = support::make_problem(sizes, sigma, loss, 1, 2, 1e-2);
                const backprop::ForwardPass pass = backprop::forward(p.net, p.x);
                const std::size_t L = p.net.depth();
                Matrix delta = backprop::output_delta(loss, p.net.sigma[L], pass.z[L], pass.a[L], p.y);
                for (std::size_t l = L - 1; l >= 1; --l) {
                    INFO(sizes.size() << " layers, " << backprop::name_of(sigma) << ", " << backprop::name_of(loss)
                                      << ", layer " << l);
                    delta = backprop::hidden_delta(p.net.W[l + 1], delta, p.net.sigma[l], pass.z[l]);
                    const Matrix numeric = numeric_dz(p.net, l, pass.z[l], p.y, loss);
                    const auto report = backprop::compare_gradients("delta", delta, numeric);
                    INFO("largest relative error " << report.max_relative_error);
                    CHECK(report.passed(1e-7));
                }
            }
        }
    }
}

TEST_CASE("W instead of its transpose, or a missing sigma', fails the check on a square example", "[ch06][gradcheck]")
{
    // W^[2] is (3, 3), so W^[2] δ^[2] has the right shape and only the check can catch it.
    support::Problem p = support::make_problem({3, 3, 3}, Activation::sigmoid, Loss::quadratic, 1, 1, 1e-2);
    const backprop::ForwardPass pass = backprop::forward(p.net, p.x);
    const Matrix delta2 = backprop::output_delta(p.loss, Activation::sigmoid, pass.z[2], pass.a[2], p.y);
    const Matrix numeric = numeric_dz(p.net, 1, pass.z[1], p.y, p.loss);
    const Matrix sigma_prime = backprop::activate_prime(Activation::sigmoid, pass.z[1]);
    const Matrix right = backprop::hidden_delta(p.net.W[2], delta2, Activation::sigmoid, pass.z[1]);
    const Matrix no_transpose = backprop::hadamard(backprop::matmul(p.net.W[2], delta2), sigma_prime);
    const Matrix no_sigma_prime = backprop::matmul(xt::transpose(p.net.W[2]), delta2);
    CHECK(backprop::compare_gradients("right", right, numeric).passed(1e-7));
    CHECK(backprop::compare_gradients("W", no_transpose, numeric).max_relative_error > 1e-1);
    CHECK(backprop::compare_gradients("no sigma'", no_sigma_prime, numeric).max_relative_error > 1e-1);
}

TEST_CASE("The source's written matrix with entries w_jk^[l] is the untransposed one", "[ch06][value]")
{
    // Its compact formula W^[l+1]ᵀ δ^[l+1] is right: row j of the transpose holds w_kj for every k,
    // the weights out of neuron j, so row j times δ is Σ_k w_kj δ_k.
    const book::RunningExample ex = book::running_example();
    const Matrix d = {{0.3}, {-0.7}};
    const Matrix WT_d = backprop::matmul(xt::transpose(ex.net.W[2]), d);
    for (std::size_t j = 0; j < 3; ++j) {
        CHECK_THAT(WT_d(j, 0), WithinRel(ex.net.W[2](0, j) * 0.3 + ex.net.W[2](1, j) * -0.7, 1e-14));
    }
    // A matrix whose row j is (w_j1, w_j2, ...) is W itself: it multiplies a column of n_{l-1},
    // not the n_{l+1} = 2 entries of δ^[2].
    CHECK_THROWS_AS(backprop::matmul(ex.net.W[2], Matrix{{1.0}, {2.0}}), backprop::ShapeError);
}

TEST_CASE("The walk's hidden figures show every term w_kj delta_k and each hidden delta", "[ch06][value]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const ByHand h = by_hand(ex.net, {0.8, 0.2}, {1.0, 0.0}, Loss::l1);
    const auto walk = book::backward_walk(ex.net, pass, ex.y, ex.loss);
    REQUIRE(walk.size() == 7);
    for (std::size_t j = 0; j < 3; ++j) {
        INFO("figure " << j + 2 << ", hidden neuron " << j + 1);
        const std::string& dot = walk[j + 1].dot;
        CHECK(walk[j + 1].step == book::WalkStep::hidden_neuron);
        CHECK(walk[j + 1].neuron == j);
        double sum = 0.0;
        for (std::size_t k = 0; k < 2; ++k) {
            const double term = ex.net.W[2](k, j) * h.delta[2][k];
            sum += term;
            const std::string edge = edge_line(dot, 2, k, j);
            CHECK_THAT(edge, Contains(std::string("label=<w") + subscripts[k + 1] + subscripts[j + 1] + "\u00b7\u03b4" +
                                      subscripts[k + 1] + " = " + book::format_number(term, 4) + ">"));
            // The error flows back along it: thick, red, the arrow towards neuron j.
            CHECK_THAT(edge, Contains("penwidth=2.5") && Contains("dir=back"));
        }
        const std::string node = node_line(dot, 1, j);
        CHECK_THAT(node, Contains("<FONT POINT-SIZE=\"14\" COLOR=\"#d62728\"><B>\u03a3 w\u00b7\u03b4 = "));
        CHECK_THAT(dot, Contains("label=<Step " + std::to_string(j + 2) + " of 7: the error reaches neuron " +
                                 std::to_string(j + 1) + " of hidden layer 1>"));
        CHECK_THAT(node, Contains("\u03a3 w\u00b7\u03b4 = " + book::format_number(sum, 4) + "<"));
        CHECK_THAT(node, Contains("\u03b4 = " + book::format_number(h.delta[1][j], 4) + "<"));
        CHECK_THAT(node, Contains("penwidth=2.5"));
        // The output errors stay on the picture; the earlier hidden ones too, the later not yet.
        CHECK_THAT(node_line(dot, 2, 0), Contains("\u03b4 = " + book::format_number(h.delta[2][0], 4) + "<"));
        for (std::size_t i = 0; i < 3; ++i) {
            const bool known = i <= j;
            CHECK((node_line(dot, 1, i).find("\u03b4 = ") != std::string::npos) == known);
        }
        // Edges of other hidden neurons are grey, without labels or arrowheads.
        CHECK_THAT(edge_line(dot, 2, 0, (j + 1) % 3), !Contains("penwidth") && !Contains("label") && !Contains("dir="));
    }
    const std::string& last = walk[4].dot;
    for (std::size_t j = 0; j < 3; ++j) {
        const std::string node = node_line(last, 1, j);
        CHECK_THAT(node, Contains("<B>\u03b4 = " + book::format_number(h.delta[1][j], 4) + "</B>"));
        CHECK(node.find("\u03b4 = ") == node.rfind("\u03b4 = "));  // once, large
        CHECK_THAT(node, Contains("penwidth=2.5"));
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK_THAT(edge_line(last, 2, k, j), Contains("dir=back") && !Contains("label"));
        }
    }
    CHECK_THAT(last, Contains("label=<Step 5 of 7: the whole of layer 1 at once>"));
}

TEST_CASE("The walk of a deeper network goes back layer by layer", "[ch06][value][shape]")
{
    const backprop::Network net = backprop::make_network({2, 4, 3, 2}, Activation::tanh, Activation::sigmoid, 3);
    const Matrix x = {{0.5}, {-0.25}};
    const Matrix y = {{0.0}, {1.0}};
    const backprop::ForwardPass pass = backprop::forward(net, x);
    const ByHand h = by_hand(net, {0.5, -0.25}, {0.0, 1.0}, Loss::quadratic);
    const auto walk = book::backward_walk(net, pass, y, Loss::quadratic);
    REQUIRE(walk.size() == 13);
    // 1: output; 2-4: layer 2's three neurons; 5: layer 2; 6-9: layer 1's four neurons; 10: layer 1;
    // 11-13: the gradients of layers 3, 2 and 1.
    const std::vector<std::size_t> layers = {3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 3, 2, 1};
    for (std::size_t i = 0; i < walk.size(); ++i) {
        CHECK(walk[i].layer == layers[i]);
        CHECK(walk[i].name == "walk" + std::to_string(i + 1));
    }
    CHECK(walk[4].step == book::WalkStep::hidden_layer);
    CHECK(walk[9].step == book::WalkStep::hidden_layer);
    CHECK(walk[10].step == book::WalkStep::layer_gradients);
    CHECK(walk[12].step == book::WalkStep::layer_gradients);
    for (std::size_t j = 0; j < 4; ++j) {
        CHECK_THAT(node_line(walk[9].dot, 1, j), Contains("\u03b4 = " + book::format_number(h.delta[1][j], 4) + "<"));
    }
    for (std::size_t j = 0; j < 3; ++j) {
        CHECK_THAT(node_line(walk[5].dot, 2, j), Contains("\u03b4 = " + book::format_number(h.delta[2][j], 4) + "<"));
    }
    // A batch: the walk draws the column it is asked for.
    const Matrix X = {{0.5, 0.9}, {-0.25, 0.1}};
    const Matrix Y = {{0.0, 1.0}, {1.0, 0.0}};
    const backprop::ForwardPass batch = backprop::forward(net, X);
    book::WalkOptions second;
    second.column = 1;
    const ByHand h2 = by_hand(net, {0.9, 0.1}, {1.0, 0.0}, Loss::quadratic);
    const auto walk2 = book::backward_walk(net, batch, Y, Loss::quadratic, second);
    CHECK_THAT(node_line(walk2[9].dot, 1, 0), Contains("\u03b4 = " + book::format_number(h2.delta[1][0], 4) + "<"));
}

TEST_CASE("ch06_hidden_delta --figures writes the walk's hidden figures, which Graphviz draws", "[ch06][cli]")
{
    char dir_template[] = "/tmp/ch06_hidden_delta-figures-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    const std::string d = dir;
    const book::RunningExample ex = book::running_example();
    const ByHand h = by_hand(ex.net, {0.8, 0.2}, {1.0, 0.0}, Loss::l1);
    SECTION("the running example: figures 2 to 5")
    {
        const auto r = support::run(program + " --figures " + d);
        REQUIRE(r.status == 0);
        std::string expected;
        for (int i = 2; i <= 5; ++i) {
            expected += "wrote " + d + "/ch06_hidden_delta.walk" + std::to_string(i) + ".dot\n";
        }
        CHECK(r.out == expected);
        for (int i = 2; i <= 5; ++i) {
            const std::string path = d + "/ch06_hidden_delta.walk" + std::to_string(i) + ".dot";
            const std::string dot = support::slurp(path);
            CHECK_THAT(dot, Contains("label=<Step " + std::to_string(i) + " of 7: "));
            CHECK_THAT(dot, !Contains("ch06_hidden_delta"));
            if (i <= 4) {
                CHECK_THAT(dot, Contains("\u03b4 = " + book::format_number(h.delta[1][i - 2], 4) + "<"));
            }
            const auto svg = support::run("dot -Tsvg " + path);
            CHECK(svg.status == 0);
            CHECK(svg.err.empty());
            std::remove(path.c_str());
        }
    }
    SECTION("a deeper network: figures 2 to 10")
    {
        const auto r = support::run(program + " --sizes 2,4,3,2 --figures " + d);
        REQUIRE(r.status == 0);
        CHECK(support::line_count(r.out) == 9);
        for (int i = 2; i <= 10; ++i) {
            const std::string path = d + "/ch06_hidden_delta.walk" + std::to_string(i) + ".dot";
            CHECK_THAT(support::slurp(path), Contains("Step " + std::to_string(i) + " of 13"));
            std::remove(path.c_str());
        }
    }
    std::remove(d.c_str());
}

TEST_CASE("ch06_hidden_delta prints the same text on every run", "[ch06][cli]")
{
    const auto first = support::run_repeatable(program);
    CHECK(support::run(program + " --seed 3").out != first.out);
}

TEST_CASE("ch06_hidden_delta --help describes every flag", "[ch06][cli]")
{
    support::check_help(program, {"--seed", "--json", "--loss", "--activation", "--sizes", "--figures", "--help"});
}

TEST_CASE("ch06_hidden_delta rejects bad input with status 2 and one line", "[ch06][cli]")
{
    for (const std::string args :
         {"--sizes 2,2", "--sizes 2", "--sizes 2,0,2", "--sizes 2,-3,2", "--sizes 2,x,2", "--sizes 2,,2",
          "--sizes 2,3,2,", "--sizes 2,101,2", "--sizes 1,1,1,1,1,1,1,1,1,1,1", "--activation foo", "--activation",
          "--loss foo", "--loss", "--loss cross-entropy --activation tanh", "--figures /nonexistent/dir",
          "--figures /tmp --json", "--seed -1", "--seed x", "--bogus", "extra", "--figures ''", "--sizes ''",
          "--activation ''", "--loss ''", "--seed ''"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch06_hidden_delta");
    }
}

TEST_CASE("ch06_hidden_delta --figures refuses a layer too wide to draw, before any work", "[ch06][cli]")
{
    char dir_template[] = "/tmp/ch06_hidden_delta-wide-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    const std::string d = dir;
    const auto wide = support::run(program + " --sizes 2,21,2 --figures " + d);
    support::check_bad_input(wide, "ch06_hidden_delta");
    CHECK_THAT(wide.err, Contains("--figures: the walk is drawn for layers of at most 20 neurons, and --sizes has "
                                  "one of 21\n"));
    CHECK(support::run("ls -A " + d).out.empty());  // nothing was drawn
    // The widest layer allowed is drawn: its 20 neurons' figures and the whole layer's.
    const auto widest = support::run(program + " --sizes 2,20,2 --figures " + d);
    REQUIRE(widest.status == 0);
    CHECK(support::line_count(widest.out) == 21);
    for (int i = 2; i <= 22; ++i) {
        std::remove((d + "/ch06_hidden_delta.walk" + std::to_string(i) + ".dot").c_str());
    }
    CHECK(std::remove(d.c_str()) == 0);
}

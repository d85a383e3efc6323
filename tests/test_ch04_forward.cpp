// Chapter 4: the forward pass and the loss. The program's numbers are checked against
// an independent, entry-by-entry computation written here with plain loops and
// std::exp; the batch against one-sample passes; the drawing against the parameters.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "book/draw.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

// --- An independent forward pass: one sample, plain loops, the activations from <cmath>.

double activation_by_hand(Activation sigma, double z)
{
    switch (sigma) {
    case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::tanh: return (std::exp(z) - std::exp(-z)) / (std::exp(z) + std::exp(-z));
    case Activation::relu: return z > 0.0 ? z : 0.0;
    case Activation::identity: return z;
    case Activation::softmax: break;  // not entry by entry
    }
    return NAN;
}

struct ByHand {
    std::vector<std::vector<double>> z, a;  // z[l][j], a[l][j]
};

ByHand forward_by_hand(const backprop::Network& net, const std::vector<double>& x)
{
    ByHand h;
    h.z.resize(net.sizes.size());
    h.a.resize(net.sizes.size());
    h.a[0] = x;
    for (std::size_t l = 1; l < net.sizes.size(); ++l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            double z = net.b[l](j, 0);  // z_j = sum_k w_jk a_k + b_j
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                z += net.W[l](j, k) * h.a[l - 1][k];
            }
            h.z[l].push_back(z);
            h.a[l].push_back(activation_by_hand(net.sigma[l], z));
        }
    }
    return h;
}

Matrix column(const std::vector<double>& v)
{
    Matrix M = xt::zeros<double>({v.size(), std::size_t{1}});
    for (std::size_t i = 0; i < v.size(); ++i) {
        M(i, 0) = v[i];
    }
    return M;
}

std::vector<double> column_of(const Matrix& M, std::size_t i)
{
    std::vector<double> v;
    for (std::size_t r = 0; r < M.shape(0); ++r) {
        v.push_back(M(r, i));
    }
    return v;
}

// The three losses of one sample, from their formulas.
double l1_by_hand(const std::vector<double>& a, const std::vector<double>& y)
{
    double s = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) s += std::abs(a[j] - y[j]);
    return s;
}

double quadratic_by_hand(const std::vector<double>& a, const std::vector<double>& y)
{
    double s = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) s += 0.5 * (a[j] - y[j]) * (a[j] - y[j]);
    return s;
}

double cross_entropy_by_hand(const std::vector<double>& a, const std::vector<double>& y)
{
    double s = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) s -= y[j] * std::log(a[j]) + (1.0 - y[j]) * std::log(1.0 - a[j]);
    return s;
}

nlohmann::json run_json(const std::string& args)
{
    return support::run_json(program + " --json " + args);
}

// The DOT line of the edge from neuron k of layer l-1 to neuron j of layer l (0-based).
std::string edge_line(const std::string& dot, std::size_t l, std::size_t j, std::size_t k)
{
    const std::string head = "  n" + std::to_string(l - 1) + "_" + std::to_string(k + 1) + " -> n" +
                             std::to_string(l) + "_" + std::to_string(j + 1) + " [";
    const std::size_t at = dot.find(head);
    if (at == std::string::npos) {
        return "";
    }
    return dot.substr(at, dot.find('\n', at) - at);
}


// The digits 0 to 9 as Unicode subscripts, as the drawings write indices.
const char* const subscripts[] = {"\u2080", "\u2081", "\u2082", "\u2083", "\u2084",
                                  "\u2085", "\u2086", "\u2087", "\u2088", "\u2089"};

// The DOT line of neuron j (0-based) of layer l.
std::string node_line(const std::string& dot, std::size_t l, std::size_t j)
{
    const std::string head = "    n" + std::to_string(l) + "_" + std::to_string(j + 1) + " [label=";
    const std::size_t at = dot.find(head);
    if (at == std::string::npos) {
        return "";
    }
    return dot.substr(at, dot.find('\n', at) - at);
}
}  // namespace

TEST_CASE("ch04_forward prints the running example's layers, equal to an entry-by-entry computation",
          "[ch04][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const ByHand h = forward_by_hand(ex.net, {0.8, 0.2});
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const std::string& out = r.out;

    CHECK_THAT(out, Contains(book::show("a^[0] = x", Matrix{{0.8}, {0.2}})));
    CHECK_THAT(out, Contains("2-3-2 network, sigmoid in every layer, parameters from seed 1"));
    for (std::size_t l = 1; l <= 2; ++l) {
        const std::string L = std::to_string(l);
        INFO("layer " << l);
        CHECK_THAT(out, Contains(book::show("W^[" + L + "]", ex.net.W[l])));
        CHECK_THAT(out, Contains(book::show("b^[" + L + "]", ex.net.b[l])));
        CHECK_THAT(out, Contains(book::show("z^[" + L + "]", column(h.z[l]))));
        CHECK_THAT(out, Contains(book::show("a^[" + L + "]", column(h.a[l]))));
    }
    // Every shape, written out as the source does.
    CHECK_THAT(out, Contains("z^[1] = W^[1] a^[0] + b^[1]   (3, 2)(2, 1) + (3, 1) -> (3, 1)"));
    CHECK_THAT(out, Contains("z^[2] = W^[2] a^[1] + b^[2]   (2, 3)(3, 1) + (2, 1) -> (2, 1)"));
    CHECK_THAT(out, Contains("W^[1] is (3, 2) and b^[1] is (3, 1)"));
    CHECK_THAT(out, Contains("W^[2] is (2, 3) and b^[2] is (2, 1)"));
    // The source's expanded sums: z_j = w_j1 a_1 + ... + b_j.
    CHECK_THAT(out, Contains("z_1^[1] = w_11^[1] a_1^[0] + w_12^[1] a_2^[0] + b_1^[1]\n"));
    CHECK_THAT(out, Contains("z_2^[2] = w_21^[2] a_1^[1] + w_22^[2] a_2^[1] + w_23^[2] a_3^[1] + b_2^[2]\n"));
    CHECK_THAT(out, Contains("(" + book::format_number(ex.net.W[1](2, 1), 4) + ")(0.2) + (" +
                             book::format_number(ex.net.b[1](2, 0), 4) + ") = " + book::format_number(h.z[1][2])));
    // The output and the L1 loss |a_1 - 1| + |a_2 - 0|.
    const std::vector<double> y{1.0, 0.0};
    CHECK_THAT(out, Contains(book::show("y", Matrix{{1.0}, {0.0}})));
    CHECK_THAT(out, Contains("= " + book::format_number(l1_by_hand(h.a[2], y)) + "  \u2190 --loss"));
    CHECK_THAT(out, Contains("= " + book::format_number(quadratic_by_hand(h.a[2], y)) + "\n"));
    CHECK_THAT(out, Contains("= " + book::format_number(cross_entropy_by_hand(h.a[2], y)) + "\n"));
}

TEST_CASE("ch04_forward --json holds the running example's values to full precision", "[ch04][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const ByHand h = forward_by_hand(ex.net, {0.8, 0.2});
    const auto j = run_json("");
    CHECK(j.at("sizes") == std::vector<int>{2, 3, 2});
    CHECK(j.at("activation") == "sigmoid");
    CHECK(j.at("loss") == "l1");
    CHECK_THAT(book::matrix_from_json(j.at("x")), support::IsNear({{0.8}, {0.2}}, 0.0, 0.0));
    CHECK_THAT(book::matrix_from_json(j.at("y")), support::IsNear({{1.0}, {0.0}}, 0.0, 0.0));
    REQUIRE(j.at("layers").size() == 2);
    for (std::size_t l = 1; l <= 2; ++l) {
        const auto& layer = j.at("layers").at(l - 1);
        CHECK(layer.at("layer") == l);
        CHECK_THAT(book::matrix_from_json(layer.at("W")), support::IsNear(ex.net.W[l], 0.0, 0.0));
        CHECK_THAT(book::matrix_from_json(layer.at("b")), support::IsNear(ex.net.b[l], 0.0, 0.0));
        CHECK_THAT(book::matrix_from_json(layer.at("z")), support::IsNear(column(h.z[l]), 1e-13, 1e-15));
        CHECK_THAT(book::matrix_from_json(layer.at("a")), support::IsNear(column(h.a[l]), 1e-13, 1e-15));
    }
    CHECK_THAT(book::matrix_from_json(j.at("output")), support::IsNear(column(h.a[2]), 1e-13, 1e-15));
    const std::vector<double> y{1.0, 0.0};
    CHECK_THAT(j.at("loss_value").get<double>(), WithinRel(l1_by_hand(h.a[2], y), 1e-13));
    CHECK_THAT(j.at("losses").at("l1").get<double>(), WithinRel(l1_by_hand(h.a[2], y), 1e-13));
    CHECK_THAT(j.at("losses").at("quadratic").get<double>(), WithinRel(quadratic_by_hand(h.a[2], y), 1e-13));
    CHECK_THAT(j.at("losses").at("cross-entropy").get<double>(), WithinRel(cross_entropy_by_hand(h.a[2], y), 1e-13));
    // The running example stays away from the L1 kink: the nearest output is far from its target.
    const double gap = std::min(std::abs(h.a[2][0] - 1.0), std::abs(h.a[2][1]));
    CHECK_THAT(j.at("l1_distance_to_kink").get<double>(), WithinRel(gap, 1e-13));
    CHECK(gap > 0.1);
}

TEST_CASE("ch04_forward's batch equals the one-sample passes column by column", "[ch04][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const auto j = run_json("");
    const auto& batch = j.at("batch");
    CHECK(batch.at("m") == 4);
    const Matrix X = book::matrix_from_json(batch.at("A0"));
    const Matrix Y = book::matrix_from_json(batch.at("Y"));
    REQUIRE(X.shape() == std::array<std::size_t, 2>{2, 4});
    REQUIRE(Y.shape() == std::array<std::size_t, 2>{2, 4});
    CHECK_THAT(column(column_of(X, 0)), support::IsNear(ex.x, 0.0, 0.0));  // column 1 is the running example
    CHECK_THAT(column(column_of(Y, 0)), support::IsNear(ex.y, 0.0, 0.0));
    double total = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        INFO("column " << i);
        const ByHand h = forward_by_hand(ex.net, column_of(X, i));
        for (std::size_t l = 1; l <= 2; ++l) {
            const auto& layer = batch.at("layers").at(l - 1);
            CHECK_THAT(column(column_of(book::matrix_from_json(layer.at("Z")), i)),
                       support::IsNear(column(h.z[l]), 1e-13, 1e-15));
            CHECK_THAT(column(column_of(book::matrix_from_json(layer.at("A")), i)),
                       support::IsNear(column(h.a[l]), 1e-13, 1e-15));
        }
        const double li = l1_by_hand(h.a[2], column_of(Y, i));
        CHECK_THAT(book::matrix_from_json(batch.at("per_sample_loss"))(0, i), WithinRel(li, 1e-13));
        total += li;
        // The targets are one-hot columns.
        CHECK_THAT(Y(0, i) + Y(1, i), WithinAbs(1.0, 0.0));
    }
    // The batch loss is the mean over the columns (DESIGN §6).
    CHECK_THAT(batch.at("loss_value").get<double>(), WithinRel(total / 4.0, 1e-13));
    CHECK_THAT(batch.at("max_difference_from_one_sample_passes").get<double>(), WithinAbs(0.0, 1e-12));

    // The samples after the first are random, and differ from the weights the seed drew.
    CHECK(std::abs(X(0, 1) - X(0, 2)) > 1e-6);
    CHECK(std::abs(X(0, 1) - ex.net.W[1](0, 0)) > 1e-6);
    const auto r = support::run(program);
    CHECK_THAT(r.out, Contains(book::show("A^[0]", X)));
    CHECK_THAT(r.out, Contains("(3, 2)(2, 4) + (3, 1) -> (3, 4),\n  b^[1] broadcast over the 4 column(s)"));
    CHECK_THAT(r.out, Contains("(largest difference at most 1e-12): yes"));
}

TEST_CASE("A batch forward pass equals the one-sample passes for other sizes and activations", "[ch04][value]")
{
    for (const Activation sigma : backprop::all_activations()) {
        INFO("activation " << backprop::name_of(sigma));
        const backprop::Network net = backprop::make_network({4, 5, 6, 3}, sigma, sigma, 11);
        backprop::Random rng(3);
        const Matrix X = rng.uniform_matrix(4, 7, -2.0, 2.0);
        const backprop::ForwardPass batch = backprop::forward(net, X);
        for (std::size_t i = 0; i < 7; ++i) {
            const ByHand h = forward_by_hand(net, column_of(X, i));
            for (std::size_t l = 1; l <= 3; ++l) {
                CHECK_THAT(column(column_of(batch.z[l], i)), support::IsNear(column(h.z[l]), 1e-12, 1e-14));
                CHECK_THAT(column(column_of(batch.a[l], i)), support::IsNear(column(h.a[l]), 1e-12, 1e-14));
            }
        }
    }
}

TEST_CASE("The bias is broadcast over the batch's columns, with the shapes written out", "[ch04][shape]")
{
    const Matrix W = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};  // (3, 2)
    const Matrix b = {{10.0}, {20.0}, {30.0}};               // (3, 1)
    const Matrix A = {{1.0, 0.0, -1.0, 2.0}, {0.0, 1.0, 1.0, 0.5}};  // (2, 4)
    const Matrix Z = backprop::weighted_input(W, b, A);
    CHECK_THAT(Z, support::IsNear({{11, 12, 11, 13}, {23, 24, 21, 28}, {35, 36, 31, 43}}, 0.0, 0.0));
    CHECK_THROWS_AS(backprop::weighted_input(W, Matrix{{1.0}, {2.0}}, A), backprop::ShapeError);  // b is (2, 1)
    CHECK_THROWS_AS(backprop::weighted_input(W, b, Matrix{{1.0, 2.0, 3.0}}), backprop::ShapeError);  // A is (1, 3)
}

TEST_CASE("The three losses follow their formulas, and a batch's loss is the mean over its columns", "[ch04][value]")
{
    const Matrix A = {{0.2, 0.9, 0.6}, {0.7, 0.3, 0.05}};
    const Matrix Y = {{1.0, 1.0, 0.0}, {0.0, 0.0, 1.0}};
    double l1 = 0.0, quad = 0.0, ce = 0.0;
    for (std::size_t i = 0; i < 3; ++i) {
        l1 += l1_by_hand(column_of(A, i), column_of(Y, i));
        quad += quadratic_by_hand(column_of(A, i), column_of(Y, i));
        ce += cross_entropy_by_hand(column_of(A, i), column_of(Y, i));
    }
    CHECK_THAT(backprop::loss_value(Loss::l1, A, Y), WithinRel(l1 / 3.0, 1e-14));
    CHECK_THAT(backprop::loss_value(Loss::quadratic, A, Y), WithinRel(quad / 3.0, 1e-14));
    CHECK_THAT(backprop::loss_value(Loss::cross_entropy, A, Y), WithinRel(ce / 3.0, 1e-14));
    // Worked by hand for column 1: |0.2 - 1| + |0.7 - 0| = 1.5; ½(0.64 + 0.49) = 0.565.
    CHECK_THAT(backprop::loss_value(Loss::l1, Matrix{{0.2}, {0.7}}, Matrix{{1.0}, {0.0}}), WithinRel(1.5, 1e-15));
    CHECK_THAT(backprop::loss_value(Loss::quadratic, Matrix{{0.2}, {0.7}}, Matrix{{1.0}, {0.0}}),
               WithinRel(0.565, 1e-15));
    CHECK_THAT(backprop::loss_value(Loss::cross_entropy, Matrix{{0.2}, {0.7}}, Matrix{{1.0}, {0.0}}),
               WithinRel(-std::log(0.2) - std::log(0.3), 1e-14));
}

TEST_CASE("The L1 loss has a kink at a = y, where the library takes the subgradient 0", "[ch04][value]")
{
    CHECK_THAT(backprop::l1_prime(0.5, 0.5), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::l1_prime(0.5 + 1e-12, 0.5), WithinAbs(1.0, 0.0));
    CHECK_THAT(backprop::l1_prime(0.5 - 1e-12, 0.5), WithinAbs(-1.0, 0.0));
    // The one-sided difference quotients disagree at the kink: there is no derivative.
    const double h = 1e-6;
    const double right = (backprop::l1(0.5 + h, 0.5) - backprop::l1(0.5, 0.5)) / h;
    const double left = (backprop::l1(0.5, 0.5) - backprop::l1(0.5 - h, 0.5)) / h;
    CHECK_THAT(right, WithinAbs(1.0, 1e-9));
    CHECK_THAT(left, WithinAbs(-1.0, 1e-9));
    // The running example stays away from it for every seed the book's programs might show.
    for (std::int64_t seed = 0; seed <= 50; ++seed) {
        const book::RunningExample ex = book::running_example(seed);
        const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
        CHECK(backprop::distance_to_kink(Loss::l1, pass.output(), ex.y) > 1e-3);
    }
}

TEST_CASE("The drawing of the network carries every weight on its own edge, and every neuron's values",
          "[ch04][value]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    book::DrawOptions options;
    options.target = &ex.y;
    options.loss = backprop::loss_value(ex.loss, pass.output(), ex.y);
    options.loss_label = "L1 loss";
    const std::string dot = book::draw_network(ex.net, &pass, options);
    CHECK_THAT(dot, StartsWith("digraph network {"));
    CHECK_THAT(dot, Contains("rankdir=LR"));
    for (std::size_t l = 1; l <= 2; ++l) {
        for (std::size_t j = 0; j < ex.net.sizes[l]; ++j) {
            for (std::size_t k = 0; k < ex.net.sizes[l - 1]; ++k) {
                INFO("w_" << j + 1 << k + 1 << "^[" << l << "]");
                // w_jk^[l] labels the edge from neuron k of layer l-1 to neuron j of layer l,
                // its indices in subscript digits.
                CHECK_THAT(edge_line(dot, l, j, k),
                           Contains(std::string("label=<w") + subscripts[j + 1] + subscripts[k + 1] + " = " +
                                    book::format_number(ex.net.W[l](j, k), 4) + ">"));
                CHECK_THAT(edge_line(dot, l, j, k), !Contains("dir="));  // forward: the default arrow
            }
            INFO("neuron " << j + 1 << " of layer " << l);
            const std::string node = node_line(dot, l, j);
            CHECK_THAT(node, Contains("<B>neuron " + std::to_string(j + 1) + "</B>"));
            CHECK_THAT(node, Contains("b = " + book::format_number(ex.net.b[l](j, 0), 4) + "<"));
            CHECK_THAT(node, Contains("z = " + book::format_number(pass.z[l](j, 0), 4) + "<"));
            CHECK_THAT(node, Contains("a = " + book::format_number(pass.a[l](j, 0), 4) + "<"));
        }
    }
    CHECK_THAT(node_line(dot, 0, 0), Contains("x\u2081 = 0.8<"));
    CHECK_THAT(node_line(dot, 0, 1), Contains("x\u2082 = 0.2<"));
    CHECK_THAT(dot, Contains("<B>L1 loss</B><BR/>" + book::format_number(options.loss, 4)));
    CHECK_THAT(dot, Contains("n2_1 -> loss [label=<y\u2081 = 1>"));
    CHECK_THAT(dot, Contains("n2_2 -> loss [label=<y\u2082 = 0>"));
    // Opaque white, legible on a dark page; text of at least 12 pt.
    CHECK_THAT(dot, Contains("bgcolor=white"));
    CHECK_THAT(dot, Contains("fontsize=12") && !Contains("fontsize=10") && !Contains("fontsize=11"));

    // Graphviz accepts it.
    const std::string path = "/tmp/test_ch04_forward.draw.dot";
    {
        std::ofstream(path) << dot;
    }
    const auto r = support::run("dot -Tsvg " + path);
    std::remove(path.c_str());
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("<svg"));
}

TEST_CASE("The drawing shows notes and highlights, and refuses what does not exist", "[ch04][value]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    book::DrawOptions options;
    options.neuron_notes[{2, 1}] = {"\u03b4 = 0.25 & <more>"};
    options.edge_notes[{2, 1, 2}] = "grad 0.5";
    options.highlighted_neurons.insert({1, 0});
    options.highlighted_edges.insert({1, 2, 0});
    options.highlight_color = "orange";
    const std::string dot = book::draw_network(ex.net, &pass, options);
    CHECK_THAT(node_line(dot, 2, 1), Contains("\u03b4 = 0.25 &amp; &lt;more&gt;"));  // escaped for the HTML label
    CHECK_THAT(edge_line(dot, 2, 1, 2), Contains("<BR/>grad 0.5"));
    CHECK_THAT(edge_line(dot, 1, 2, 0), Contains("color=\"orange\""));
    CHECK_THAT(edge_line(dot, 1, 0, 0), !Contains("orange"));
    CHECK_THAT(node_line(dot, 1, 0), Contains("color=\"orange\", penwidth=2.5"));
    CHECK_THAT(node_line(dot, 1, 1), !Contains("orange"));
    CHECK_THAT(dot, !Contains("-> loss"));  // no target, no loss box

    // Without a pass, only the parameters; no z or a.
    const std::string bare = book::draw_network(ex.net, nullptr);
    CHECK_THAT(node_line(bare, 1, 0), Contains("b = " + book::format_number(ex.net.b[1](0, 0), 4)));
    CHECK_THAT(bare, !Contains("z = "));
    CHECK_THAT(bare, !Contains("x\u2081"));

    // The backward walk's form: no values or weights, an error edge pointing back, the
    // others without arrowheads, a step's results large and in the highlight colour.
    book::DrawOptions walk;
    walk.flow = book::Flow::backward;
    walk.show_values = false;
    walk.show_weights = false;
    walk.target = &ex.y;
    walk.error_edges.insert({2, 0, 1});
    walk.edge_notes[{2, 0, 1}] = "w\u2081\u2082\u00b7\u03b4\u2081 = 0.5";
    walk.neuron_results[{1, 1}] = {"\u03b4 = 0.25"};
    const std::string back = book::draw_network(ex.net, &pass, walk);
    CHECK_THAT(back, Contains("edge [") && Contains("dir=none"));
    CHECK_THAT(edge_line(back, 2, 0, 1), Contains("label=<w\u2081\u2082\u00b7\u03b4\u2081 = 0.5>") &&
                                             Contains("penwidth=2.5") && Contains("dir=back"));
    CHECK_THAT(edge_line(back, 2, 0, 0), !Contains("label") && !Contains("dir=back"));
    CHECK_THAT(back, Contains("n2_1 -> loss [label=<y\u2081 = 1>, style=dashed, dir=back]"));
    CHECK_THAT(node_line(back, 1, 1),
               Contains("<FONT POINT-SIZE=\"14\" COLOR=\"#d62728\"><B>\u03b4 = 0.25</B></FONT>") && !Contains("b = "));
    CHECK_THAT(node_line(back, 1, 0), !Contains("z = ") && !Contains("POINT-SIZE"));
    book::DrawOptions bad_error;
    bad_error.error_edges.insert({3, 0, 0});  // no layer 3
    CHECK_THROWS_AS(book::draw_network(ex.net, &pass, bad_error), std::invalid_argument);
    book::DrawOptions bad_result;
    bad_result.neuron_results[{2, 2}] = {"no such neuron"};
    CHECK_THROWS_AS(book::draw_network(ex.net, &pass, bad_result), std::invalid_argument);

    book::DrawOptions bad;
    bad.neuron_notes[{1, 3}] = {"no such neuron"};
    CHECK_THROWS_AS(book::draw_network(ex.net, &pass, bad), std::invalid_argument);
    book::DrawOptions bad_edge;
    bad_edge.highlighted_edges.insert({2, 0, 3});  // layer 1 has 3 neurons: k = 3 is the 4th
    CHECK_THROWS_AS(book::draw_network(ex.net, &pass, bad_edge), std::invalid_argument);
    book::DrawOptions bad_column;
    bad_column.column = 1;  // a pass of one sample
    CHECK_THROWS_AS(book::draw_network(ex.net, &pass, bad_column), std::invalid_argument);
    const backprop::ForwardPass other = backprop::forward(backprop::make_network({2, 4, 2}, Activation::sigmoid,
                                                                                 Activation::sigmoid, 1),
                                                          ex.x);
    CHECK_THROWS_AS(book::draw_network(ex.net, &other), std::invalid_argument);
}

TEST_CASE("ch04_forward's default output is the running example, the same on every run", "[ch04][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto spelled_out =
        support::run(program + " --seed 1 --sizes 2,3,2 --activation sigmoid --loss l1 --batch 4 --input 0.8,0.2");
    CHECK(spelled_out.out == a.out);
    const auto c = support::run(program + " --seed 7");
    REQUIRE(c.status == 0);
    CHECK(c.out != a.out);  // the seed draws other parameters
    const book::RunningExample ex7 = book::running_example(7);
    CHECK_THAT(c.out, Contains(book::show("W^[1]", ex7.net.W[1])));
}

TEST_CASE("ch04_forward's flags change the network, the input, the loss and the batch", "[ch04][value][cli]")
{
    SECTION("--sizes and --activation")
    {
        const auto j = run_json("--sizes 3,4,5,1 --activation tanh --input 0.5,-1,2 --loss quadratic");
        const backprop::Network net = backprop::make_network({3, 4, 5, 1}, Activation::tanh, Activation::tanh, 1);
        const ByHand h = forward_by_hand(net, {0.5, -1.0, 2.0});
        REQUIRE(j.at("layers").size() == 3);
        for (std::size_t l = 1; l <= 3; ++l) {
            const auto& layer = j.at("layers").at(l - 1);
            CHECK(layer.at("activation") == "tanh");
            CHECK_THAT(book::matrix_from_json(layer.at("W")), support::IsNear(net.W[l], 0.0, 0.0));
            CHECK_THAT(book::matrix_from_json(layer.at("a")), support::IsNear(column(h.a[l]), 1e-13, 1e-15));
        }
        CHECK_THAT(book::matrix_from_json(j.at("y")), support::IsNear({{1.0}}, 0.0, 0.0));
        CHECK_THAT(j.at("loss_value").get<double>(), WithinRel(quadratic_by_hand(h.a[3], {1.0}), 1e-13));
        CHECK(j.at("losses").at("cross-entropy").is_null());  // a tanh output is not a probability
    }
    SECTION("--sizes with another input size draws the input from the seed")
    {
        const auto j = run_json("--sizes 5,2");
        const Matrix x = book::matrix_from_json(j.at("x"));
        REQUIRE(x.shape() == std::array<std::size_t, 2>{5, 1});
        for (double v : x) {
            CHECK(v >= 0.0);
            CHECK(v < 1.0);
        }
    }
    SECTION("--loss cross-entropy with the sigmoid")
    {
        const auto j = run_json("--loss cross-entropy");
        CHECK(j.at("loss") == "cross-entropy");
        CHECK_THAT(j.at("loss_value").get<double>(), WithinRel(j.at("losses").at("cross-entropy").get<double>(), 0.0));
        const auto r = support::run(program + " --loss cross-entropy");
        CHECK_THAT(r.out, Contains("cross-entropy loss per column"));
    }
    SECTION("--batch")
    {
        const auto j = run_json("--batch 9");
        CHECK(j.at("batch").at("m") == 9);
        CHECK(book::matrix_from_json(j.at("batch").at("A0")).shape() == std::array<std::size_t, 2>{2, 9});
        CHECK(book::matrix_from_json(j.at("batch").at("layers").at(1).at("A")).shape() ==
              std::array<std::size_t, 2>{2, 9});
        const auto one = run_json("--batch 1");
        CHECK_THAT(one.at("batch").at("loss_value").get<double>(), WithinRel(one.at("loss_value").get<double>(), 1e-15));
    }
    SECTION("--input with a negative first number")
    {
        const auto j = run_json("--input -1.5,2");
        CHECK_THAT(book::matrix_from_json(j.at("x")), support::IsNear({{-1.5}, {2.0}}, 0.0, 0.0));
    }
}

TEST_CASE("ch04_forward --figures writes the drawing and the losses' plot data", "[ch04][cli]")
{
    char dir_template[] = "/tmp/ch04_forward-figures-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(r.out == "wrote " + d + "/ch04_forward.network.dot\nwrote " + d + "/ch04_forward.losses.tsv\n");
    const std::string dot = support::slurp(d + "/ch04_forward.network.dot");
    const std::string tsv = support::slurp(d + "/ch04_forward.losses.tsv");
    const book::RunningExample ex = book::running_example();
    for (std::size_t l = 1; l <= 2; ++l) {
        for (std::size_t j = 0; j < ex.net.sizes[l]; ++j) {
            for (std::size_t k = 0; k < ex.net.sizes[l - 1]; ++k) {
                CHECK_THAT(edge_line(dot, l, j, k), Contains(" = " + book::format_number(ex.net.W[l](j, k), 4) + ">"));
            }
        }
    }
    CHECK_THAT(dot, Contains("L1 loss"));
    // The title says what is shown, not which program drew it.
    CHECK_THAT(dot, Contains("label=<The forward pass of the 2-3-2 network (sigmoid, seed 1)>"));
    CHECK_THAT(dot, !Contains("ch04_forward"));
    CHECK_THAT(tsv, StartsWith("# a l1_y1 quadratic_y1 cross_entropy_y1 l1_y0 quadratic_y0 cross_entropy_y0\n"));
    CHECK(support::line_count(tsv) == 402);
    std::remove((d + "/ch04_forward.network.dot").c_str());
    std::remove((d + "/ch04_forward.losses.tsv").c_str());
    std::remove(d.c_str());
}

TEST_CASE("ch04_forward --help describes every flag", "[ch04][cli]")
{
    support::check_help(program, {"--seed", "--json", "--sizes", "--activation", "--loss", "--batch", "--input",
                                  "--figures", "--help"});
}

TEST_CASE("ch04_forward rejects bad input with status 2 and one line", "[ch04][cli]")
{
    for (const std::string args :
         {"--sizes 2", "--sizes 2,0,2", "--sizes 2,-3,2", "--sizes 2,x,2", "--sizes 2,,2", "--sizes 2,3,2,",
          "--sizes 2,101", "--sizes 1,1,1,1,1,1,1,1,1,1,1", "--activation foo", "--activation", "--loss foo",
          "--loss cross-entropy --activation tanh", "--loss cross-entropy --activation relu", "--batch 0",
          "--batch -2", "--batch 1001", "--batch x", "--batch 2.5", "--input 1", "--input 1,2,3", "--input 1,x",
          "--input 1,nan", "--input 1,inf", "--input 1,2e6", "--input ,1", "--sizes 3,2 --input 1,2",
          "--figures /nonexistent/dir", "--seed -1", "--seed x", "--bogus", "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch04_forward");
    }
}

TEST_CASE("No input can bring the running example's first output to 1/2, as exercise 5 says", "[ch04][value]")
{
    // a^[1] lies in (0, 1)^3, so z^[2]_1 < b^[2]_1 + sum of the positive weights of row 1 of W^[2].
    const book::RunningExample ex = book::running_example();
    double sup = ex.net.b[2](0, 0);
    for (std::size_t k = 0; k < 3; ++k) {
        sup += std::max(ex.net.W[2](0, k), 0.0);
    }
    CHECK(sup < 0.0);
    backprop::Random rng(5);
    const Matrix X = rng.uniform_matrix(2, 200, -50.0, 50.0);
    const backprop::ForwardPass pass = backprop::forward(ex.net, X);
    for (std::size_t i = 0; i < 200; ++i) {
        CHECK(pass.output()(0, i) < 1.0 / (1.0 + std::exp(-sup)));
    }
}

// Chapter 5: the output error δ^[L] = ∇ₐℓ ⊙ σ'(z^[L]). The program's numbers are checked
// against a computation by hand (plain loops, std::exp, the derivatives written out here),
// the formula against finite differences on z^[L], and the first figure of the backward
// walk against the same numbers.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <xtensor/xview.hpp>

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
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

double sigmoid_by_hand(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The running example's output layer, by hand: z^[2], a^[2] with plain loops.
struct OutputByHand {
    std::vector<double> z, a;
};

OutputByHand output_by_hand(const backprop::Network& net, const std::vector<double>& x)
{
    std::vector<double> a1;
    for (std::size_t j = 0; j < 3; ++j) {
        double z = net.b[1](j, 0);
        for (std::size_t k = 0; k < 2; ++k) z += net.W[1](j, k) * x[k];
        a1.push_back(sigmoid_by_hand(z));
    }
    OutputByHand h;
    for (std::size_t j = 0; j < 2; ++j) {
        double z = net.b[2](j, 0);
        for (std::size_t k = 0; k < 3; ++k) z += net.W[2](j, k) * a1[k];
        h.z.push_back(z);
        h.a.push_back(sigmoid_by_hand(z));
    }
    return h;
}

// δ_j = ∂ℓ/∂a_j · σ'(z_j) with σ' = a(1 - a), for each loss written out.
double delta_by_hand(Loss loss, double a, double y)
{
    const double sigma_prime = a * (1.0 - a);
    switch (loss) {
    case Loss::l1: return (a > y ? 1.0 : -1.0) * sigma_prime;
    case Loss::quadratic: return (a - y) * sigma_prime;
    case Loss::cross_entropy: return a - y;  // (a - y) / (a (1 - a)) · a (1 - a)
    case Loss::categorical_cross_entropy: break;  // only after a softmax output
    }
    return NAN;
}

Matrix column(const std::vector<double>& v)
{
    Matrix M = xt::zeros<double>({v.size(), std::size_t{1}});
    for (std::size_t i = 0; i < v.size(); ++i) M(i, 0) = v[i];
    return M;
}

nlohmann::json run_json(const std::string& args)
{
    return support::run_json(program + " --json " + args);
}

// ∂ℓ/∂z of the loss as a function of z alone, by finite differences.
Matrix numeric_dz(Loss loss, Activation sigma, const Matrix& z0, const Matrix& y)
{
    Matrix z = z0;
    return backprop::numeric_gradient([&] { return backprop::loss_value(loss, backprop::activate(sigma, z), y); }, z);
}

// The DOT line of neuron j (0-based) of layer l.
std::string node_line(const std::string& dot, std::size_t l, std::size_t j)
{
    const std::string head = "    n" + std::to_string(l) + "_" + std::to_string(j + 1) + " [label=";
    const std::size_t at = dot.find(head);
    return at == std::string::npos ? "" : dot.substr(at, dot.find('\n', at) - at);
}

}  // namespace

TEST_CASE("ch05_output_delta prints the running example's delta^[2], equal to a computation by hand",
          "[ch05][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const OutputByHand h = output_by_hand(ex.net, {0.8, 0.2});
    const std::vector<double> y{1.0, 0.0};
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const std::string& out = r.out;

    CHECK_THAT(out, Contains(book::show("z^[2]", column(h.z))));
    CHECK_THAT(out, Contains(book::show("a^[2]", column(h.a))));
    // L1: δ_1 = sign(a_1 - 1) σ'(z_1) = -σ'(z_1), δ_2 = sign(a_2 - 0) σ'(z_2) = +σ'(z_2).
    const double s1 = h.a[0] * (1.0 - h.a[0]), s2 = h.a[1] * (1.0 - h.a[1]);
    CHECK_THAT(out, Contains(book::show("\u03b4^[2]", Matrix{{-s1}, {s2}})));
    CHECK_THAT(out, Contains(book::show("\u2207\u2090\u2113", Matrix{{-1.0}, {1.0}})));
    CHECK_THAT(out, Contains("\u03b4_1^[2] = \u2202\u2113/\u2202a_1 \u00b7 \u03c3'(z_1^[2]) = (-1)(" +
                             book::format_number(s1) + ") = " + book::format_number(-s1) + "\n"));
    CHECK_THAT(out, Contains("\u03b4_2^[2] = \u2202\u2113/\u2202a_2 \u00b7 \u03c3'(z_2^[2]) = (1)(" +
                             book::format_number(s2) + ") = " + book::format_number(s2) + "\n"));
    CHECK_THAT(out, Contains("(2, 1) \u2299 (2, 1) -> (2, 1)"));
    // The check passes, the wrong formula fails, and the L1 loss is |a_1 - 1| + |a_2|.
    CHECK_THAT(out, Contains("L1 loss \u2113 = " + book::format_number(1.0 - h.a[0] + h.a[1]) + "\n"));
    CHECK_THAT(out, Contains(": passes (the bar is 1e-07)"));
    CHECK_THAT(out, Contains(": fails, as it must"));
    CHECK_THAT(out, !Contains("FAILS"));
    CHECK_THAT(out, !Contains("it should not"));
    // Cross-entropy's two forms, and the kink's distance.
    CHECK_THAT(out, Contains("Cross-entropy after a sigmoid: \u03c3' cancels"));
    CHECK_THAT(out, Contains("Here min_j |a_j \u2212 y_j| = " + book::format_number(std::min(1.0 - h.a[0], h.a[1]))));
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

TEST_CASE("ch05_output_delta --json holds delta^[2] for every loss, its numeric check and the wrong formula's",
          "[ch05][value][gradcheck][cli]")
{
    const book::RunningExample ex = book::running_example();
    const OutputByHand h = output_by_hand(ex.net, {0.8, 0.2});
    const std::vector<double> y{1.0, 0.0};
    const auto j = run_json("");
    CHECK(j.at("loss") == "l1");
    CHECK(j.at("activation") == "sigmoid");
    CHECK_THAT(book::matrix_from_json(j.at("z")), support::IsNear(column(h.z), 1e-13, 1e-15));
    for (Loss loss : backprop::all_losses()) {
        const std::string name = backprop::name_of(loss);
        INFO("loss " << name);
        const auto& c = j.at("losses").at(name);
        const Matrix expected = column({delta_by_hand(loss, h.a[0], y[0]), delta_by_hand(loss, h.a[1], y[1])});
        CHECK_THAT(book::matrix_from_json(c.at("delta")), support::IsNear(expected, 1e-12, 1e-15));
        CHECK_THAT(book::matrix_from_json(c.at("numeric")), support::IsNear(expected, 1e-9, 1e-12));
        CHECK(c.at("max_relative_error").get<double>() < 1e-7);
        CHECK(c.at("passed") == true);
    }
    // The top level repeats the --loss one.
    CHECK_THAT(book::matrix_from_json(j.at("delta")),
               support::IsNear(book::matrix_from_json(j.at("losses").at("l1").at("delta")), 0.0, 0.0));
    // Cross-entropy: the general product equals a - y.
    const auto& ce = j.at("losses").at("cross-entropy");
    CHECK_THAT(book::matrix_from_json(ce.at("a_minus_y")), support::IsNear(column({h.a[0] - 1.0, h.a[1]}), 1e-13, 1e-15));
    CHECK_THAT(book::matrix_from_json(ce.at("general_form")), support::IsNear(column({h.a[0] - 1.0, h.a[1]}), 1e-12, 1e-15));
    CHECK(ce.at("max_difference").get<double>() < 1e-14);
    // The wrong formula is ∇ₐℓ itself, (-1, 1) for L1, and is caught.
    const auto& wrong = j.at("wrong_formula");
    CHECK_THAT(book::matrix_from_json(wrong.at("delta")), support::IsNear({{-1.0}, {1.0}}, 0.0, 0.0));
    CHECK(wrong.at("passed") == false);
    CHECK(wrong.at("max_relative_error").get<double>() > 0.5);
}

TEST_CASE("ch05_output_delta --loss and --activation change the worked loss and the output layer",
          "[ch05][value][cli]")
{
    const book::RunningExample ex = book::running_example();
    const OutputByHand h = output_by_hand(ex.net, {0.8, 0.2});
    SECTION("quadratic loss with a tanh output: delta = (a - y)(1 - a^2)")
    {
        const auto j = run_json("--loss quadratic --activation tanh");
        CHECK(j.at("loss") == "quadratic");
        CHECK(j.at("activation") == "tanh");
        const std::vector<double> y{1.0, 0.0};
        Matrix expected = xt::zeros<double>({2, 1});
        for (std::size_t i = 0; i < 2; ++i) {
            const double a = std::tanh(h.z[i]);  // z^[2] does not depend on the output activation
            expected(i, 0) = (a - y[i]) * (1.0 - a * a);
        }
        CHECK_THAT(book::matrix_from_json(j.at("delta")), support::IsNear(expected, 1e-12, 1e-15));
        CHECK(j.at("passed") == true);
        CHECK(j.at("losses").at("cross-entropy").is_null());  // needs a sigmoid output
        const auto r = support::run(program + " --loss quadratic --activation tanh");
        CHECK_THAT(r.out, Contains("not defined: cross-entropy needs a sigmoid output"));
        CHECK_THAT(r.out, Contains("\u03c3'(z) = 1 \u2212 tanh\u00b2 z"));
    }
    SECTION("cross-entropy: delta = a - y")
    {
        const auto j = run_json("--loss cross-entropy");
        CHECK_THAT(book::matrix_from_json(j.at("delta")), support::IsNear(column({h.a[0] - 1.0, h.a[1]}), 1e-13, 1e-15));
    }
    SECTION("another seed draws another network")
    {
        const auto j = run_json("--seed 7");
        const book::RunningExample ex7 = book::running_example(7);
        const OutputByHand h7 = output_by_hand(ex7.net, {0.8, 0.2});
        CHECK_THAT(book::matrix_from_json(j.at("z")), support::IsNear(column(h7.z), 1e-13, 1e-15));
        CHECK(j.at("passed") == true);
    }
}

TEST_CASE("The output delta equals dl/dz^[L] by finite differences on z, for every loss and output activation",
          "[ch05][gradcheck]")
{
    for (std::int64_t seed = 1; seed <= 10; ++seed) {
        const book::RunningExample ex = book::running_example(seed);
        const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
        for (Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::identity}) {
            const Matrix a = backprop::activate(sigma, pass.z[2]);
            for (Loss loss : backprop::all_losses()) {
                if (loss == Loss::cross_entropy && sigma != Activation::sigmoid) {
                    continue;
                }
                INFO("seed " << seed << ", " << backprop::name_of(sigma) << " output, " << backprop::name_of(loss));
                REQUIRE(backprop::distance_to_kink(loss, a, ex.y) > 1e-2);
                const Matrix delta = backprop::output_delta(loss, sigma, pass.z[2], a, ex.y);
                const Matrix numeric = numeric_dz(loss, sigma, pass.z[2], ex.y);
                const auto report = backprop::compare_gradients("delta^[2]", delta, numeric);
                INFO("largest relative error " << report.max_relative_error);
                CHECK(report.passed(1e-7));
            }
        }
    }
}

TEST_CASE("A delta without sigma' fails the finite-difference check", "[ch05][gradcheck]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    for (Activation sigma : {Activation::sigmoid, Activation::tanh}) {
        const Matrix a = backprop::activate(sigma, pass.z[2]);
        for (Loss loss : backprop::all_losses()) {
            if (loss == Loss::cross_entropy && sigma != Activation::sigmoid) {
                continue;
            }
            INFO(backprop::name_of(sigma) << " output, " << backprop::name_of(loss) << " loss");
            const Matrix numeric = numeric_dz(loss, sigma, pass.z[2], ex.y);
            const Matrix right = backprop::output_delta(loss, sigma, pass.z[2], a, ex.y);
            const Matrix wrong = backprop::loss_gradient(loss, a, ex.y);  // σ' forgotten
            CHECK(backprop::compare_gradients("right", right, numeric).passed(1e-7));
            CHECK(backprop::compare_gradients("wrong", wrong, numeric).max_relative_error > 1e-1);
        }
    }
}

TEST_CASE("For a batch, delta's columns are per sample and dJ/dz^[L] = delta / m", "[ch05][gradcheck]")
{
    const book::RunningExample ex = book::running_example();
    const Matrix X = {{0.8, 0.1, -0.5}, {0.2, 0.9, 0.3}};
    const Matrix Y = {{1.0, 0.0, 1.0}, {0.0, 1.0, 0.0}};
    const backprop::ForwardPass pass = backprop::forward(ex.net, X);
    const Matrix delta = backprop::output_delta(Loss::quadratic, Activation::sigmoid, pass.z[2], pass.a[2], Y);
    for (std::size_t i = 0; i < 3; ++i) {
        const Matrix zi = xt::view(pass.z[2], xt::all(), xt::range(i, i + 1));
        const Matrix ai = xt::view(pass.a[2], xt::all(), xt::range(i, i + 1));
        const Matrix yi = xt::view(Y, xt::all(), xt::range(i, i + 1));
        const Matrix di = xt::view(delta, xt::all(), xt::range(i, i + 1));
        CHECK_THAT(di, support::IsNear(backprop::output_delta(Loss::quadratic, Activation::sigmoid, zi, ai, yi), 0.0, 0.0));
    }
    const Matrix numeric = numeric_dz(Loss::quadratic, Activation::sigmoid, pass.z[2], Y);
    CHECK(backprop::compare_gradients("delta / m", delta / 3.0, numeric).passed(1e-7));
    CHECK_FALSE(backprop::compare_gradients("delta", delta, numeric).passed(1e-2));  // the mean's 1/m matters
}

TEST_CASE("Cross-entropy after a sigmoid: sigma' cancels to a - y, which stays exact where sigma saturates",
          "[ch05][value]")
{
    const Matrix z = {{-2.0}, {0.3}, {40.0}};
    const Matrix y = {{1.0}, {0.0}, {0.0}};
    const Matrix a = backprop::activate(Activation::sigmoid, z);
    const Matrix general = backprop::hadamard(backprop::loss_gradient(Loss::cross_entropy, a, y),
                                              backprop::activate_prime(Activation::sigmoid, z));
    const Matrix delta = backprop::output_delta(Loss::cross_entropy, Activation::sigmoid, z, a, y);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK_THAT(delta(i, 0), WithinRel(general(i, 0), 1e-12));
        CHECK_THAT(delta(i, 0), WithinRel(sigmoid_by_hand(z(i, 0)) - y(i, 0), 1e-14));
    }
    // At z = 40, a rounds to 1: the exact derivative of -ln(1 - σ(z)) is σ(z) ≈ 1, which a - y
    // gives, while the general product of a clipped 1/(a(1 - a)) and σ'(40) ≈ 4e-18 does not.
    CHECK_THAT(delta(2, 0), WithinAbs(1.0, 1e-15));
    CHECK(std::abs(general(2, 0) - 1.0) > 0.5);
}

TEST_CASE("At the L1 kink a = y the output delta uses the subgradient 0", "[ch05][value]")
{
    // An identity output placed exactly on its target: |a - y| has no derivative there.
    const Matrix z = {{0.25}, {-0.5}};
    const Matrix y = {{0.25}, {0.0}};
    const Matrix delta = backprop::output_delta(Loss::l1, Activation::identity, z, z, y);
    CHECK_THAT(delta(0, 0), WithinAbs(0.0, 0.0));
    CHECK_THAT(delta(1, 0), WithinAbs(-1.0, 0.0));
    // The one-sided slopes there are +1 and -1: 0 is one of the subgradients between them.
    const double h = 1e-6;
    const auto l_of = [&](double t) { return backprop::l1(t, 0.25); };
    CHECK_THAT((l_of(0.25 + h) - l_of(0.25)) / h, WithinAbs(1.0, 1e-6));
    CHECK_THAT((l_of(0.25) - l_of(0.25 - h)) / h, WithinAbs(-1.0, 1e-6));
}

TEST_CASE("The backward walk has 1 + sum over hidden layers of (n_l + 1) + L figures", "[ch05][ch06][shape]")
{
    CHECK(book::walk_length({2, 3, 2}) == 7);
    CHECK(book::walk_length({2, 2}) == 2);
    CHECK(book::walk_length({2, 4, 3, 2}) == 13);
    CHECK_THROWS_AS(book::walk_length({2}), std::invalid_argument);
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const auto walk = book::backward_walk(ex.net, pass, ex.y, ex.loss);
    REQUIRE(walk.size() == 7);
    for (std::size_t i = 0; i < walk.size(); ++i) {
        CHECK(walk[i].name == "walk" + std::to_string(i + 1));
        CHECK_THAT(walk[i].dot, StartsWith("digraph network {"));
        CHECK_THAT(walk[i].dot, Contains("rankdir=LR"));
        CHECK_FALSE(walk[i].caption.empty());
    }
    CHECK(walk[0].step == book::WalkStep::output_layer);
    CHECK(walk[0].layer == 2);
    CHECK(walk[1].step == book::WalkStep::hidden_neuron);
    CHECK(walk[3].neuron == 2);
    CHECK(walk[4].step == book::WalkStep::hidden_layer);
    CHECK(walk[4].layer == 1);
    CHECK(walk[5].step == book::WalkStep::layer_gradients);
    CHECK(walk[5].layer == 2);
    CHECK(walk[6].step == book::WalkStep::layer_gradients);
    CHECK(walk[6].layer == 1);
    // Every figure's title says which step it is and what it shows.
    for (std::size_t i = 0; i < walk.size(); ++i) {
        CHECK_THAT(walk[i].dot, Contains("label=<Step " + std::to_string(i + 1) + " of 7: "));
    }
}

TEST_CASE("The walk's first figure shows each output neuron's dl/da, sigma'(z) and delta", "[ch05][value]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const OutputByHand h = output_by_hand(ex.net, {0.8, 0.2});
    const std::string dot = book::backward_walk(ex.net, pass, ex.y, ex.loss).front().dot;
    const std::vector<double> slope{-1.0, 1.0};
    for (std::size_t j = 0; j < 2; ++j) {
        INFO("output neuron " << j + 1);
        const double s = h.a[j] * (1.0 - h.a[j]);
        const std::string node = node_line(dot, 2, j);
        // The step's numbers, large and red.
        const auto large = [](const std::string& text) {
            return Contains("<FONT POINT-SIZE=\"14\" COLOR=\"#d62728\"><B>" + text + "</B></FONT>");
        };
        CHECK_THAT(node, large("\u2202\u2113/\u2202a = " + book::format_number(slope[j], 4)));
        CHECK_THAT(node, large("\u03c3\u2032(z) = " + book::format_number(s, 4)));
        CHECK_THAT(node, large("\u03b4 = " + book::format_number(slope[j] * s, 4)));
        CHECK_THAT(node, Contains("penwidth=2.5"));  // highlighted: this step acts here
        // The error starts at the loss and flows back into the output.
        CHECK_THAT(dot, Contains("n2_" + std::to_string(j + 1) + " -> loss [") && Contains("dir=back"));
    }
    CHECK_THAT(node_line(dot, 1, 0), !Contains("\u03b4"));  // the hidden errors come later
    CHECK_THAT(node_line(dot, 1, 0), !Contains("penwidth"));
    CHECK_THAT(dot, Contains("label=<Step 1 of 7: the output layer's error>"));
    CHECK_THAT(dot, Contains("<B>L1 loss</B><BR/>" + book::format_number(1.0 - h.a[0] + h.a[1], 4)));
    // Cross-entropy after a sigmoid says δ = a − y.
    const std::string ce = book::backward_walk(ex.net, pass, ex.y, Loss::cross_entropy).front().dot;
    CHECK_THAT(node_line(ce, 2, 0), Contains("\u03b4 = a \u2212 y = " + book::format_number(h.a[0] - 1.0, 4) + "<"));
    // The walk refuses what does not fit.
    book::WalkOptions bad;
    bad.column = 1;
    CHECK_THROWS_AS(book::backward_walk(ex.net, pass, ex.y, ex.loss, bad), std::invalid_argument);
    CHECK_THROWS_AS(book::backward_walk(ex.net, pass, Matrix{{1.0}, {0.0}, {0.0}}, ex.loss), std::invalid_argument);
    backprop::Network tanh_output = ex.net;
    tanh_output.sigma[2] = Activation::tanh;
    const backprop::ForwardPass tanh_pass = backprop::forward(tanh_output, ex.x);
    CHECK_THROWS_AS(book::backward_walk(tanh_output, tanh_pass, ex.y, Loss::cross_entropy), std::invalid_argument);
}

TEST_CASE("ch05_output_delta --figures writes the walk's first figure, which Graphviz draws", "[ch05][cli]")
{
    char dir_template[] = "/tmp/ch05_output_delta-figures-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(r.out == "wrote " + d + "/ch05_output_delta.walk1.dot\n");
    const std::string path = d + "/ch05_output_delta.walk1.dot";
    const std::string dot = support::slurp(path);
    const book::RunningExample ex = book::running_example();
    const OutputByHand h = output_by_hand(ex.net, {0.8, 0.2});
    CHECK_THAT(dot, Contains("\u03b4 = " + book::format_number(-h.a[0] * (1.0 - h.a[0]), 4) + "<"));
    CHECK_THAT(dot, Contains("\u03b4 = " + book::format_number(h.a[1] * (1.0 - h.a[1]), 4) + "<"));
    CHECK_THAT(dot, Contains("Step 1 of 7: the output layer's error") && !Contains("ch05_output_delta"));
    const auto svg = support::run("dot -Tsvg " + path);
    CHECK(svg.status == 0);
    CHECK(svg.err.empty());
    CHECK_THAT(svg.out, Contains("<svg"));
    std::remove(path.c_str());
    std::remove(d.c_str());
}

TEST_CASE("ch05_output_delta prints the same text on every run", "[ch05][cli]")
{
    const auto first = support::run_repeatable(program);
    CHECK(support::run(program + " --seed 3").out != first.out);
}

TEST_CASE("ch05_output_delta --help describes every flag", "[ch05][cli]")
{
    support::check_help(program, {"--seed", "--json", "--loss", "--activation", "--figures", "--help"});
}

TEST_CASE("ch05_output_delta rejects bad input with status 2 and one line", "[ch05][cli]")
{
    for (const std::string args :
         {"--loss foo", "--loss", "--activation bar", "--activation", "--loss cross-entropy --activation tanh",
          "--loss cross-entropy --activation identity", "--figures /nonexistent/dir", "--figures /tmp --json",
          "--figures /dev/null",
          "--seed -1", "--seed x", "--seed 1.5", "--seed 99999999999999999999", "--bogus", "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch05_output_delta");
    }
}

TEST_CASE("ch05_output_delta refuses an empty value of any flag, and says why a loss does not fit", "[ch05][cli]")
{
    SECTION("an empty value of any flag, --figures '' too")
    {
        for (const std::string flag : {"--loss", "--activation", "--figures", "--seed"}) {
            INFO(flag << " ''");
            const auto r = support::run(program + " " + flag + " ''");
            support::check_bad_input(r, "ch05_output_delta");
            CHECK_THAT(r.err, Contains(flag + ":"));
        }
        CHECK_THAT(support::run(program + " --figures ''").err, Contains("empty"));
    }
    SECTION("cross-entropy after an output that is not a sigmoid names both flags")
    {
        const auto r = support::run(program + " --loss cross-entropy --activation relu");
        CHECK_THAT(r.err, Contains("--loss: the cross-entropy loss needs a sigmoid output layer") &&
                              Contains("not relu") && Contains("--activation"));
    }
}

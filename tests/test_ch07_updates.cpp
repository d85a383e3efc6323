// Chapter 7: gradients and updates. The program's gradients are checked against a backward
// pass written here with plain loops over the indices (equations 7.2 and 7.6 entry by
// entry), and against numeric derivatives of a forward pass also written here, computed
// from nothing but the W, b, x and y of the program's JSON: the check any other
// implementation can make. Deliberately wrong weight gradients must fail that check.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "backprop/gradcheck.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "support.hpp"

using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

// --- A network as the JSON describes it, and its forward and backward pass by hand.

struct Net {
    std::vector<std::size_t> sizes;
    std::vector<Matrix> W, b;  // index 0 unused, like the text
    std::string activation;
    std::string loss;
};

double act(const std::string& name, double z)
{
    if (name == "sigmoid") return 1.0 / (1.0 + std::exp(-z));
    if (name == "tanh") return (std::exp(z) - std::exp(-z)) / (std::exp(z) + std::exp(-z));
    if (name == "relu") return z > 0.0 ? z : 0.0;
    FAIL("unknown activation " << name);
    return NAN;
}

double act_prime(const std::string& name, double z)
{
    const double a = act(name, z);
    if (name == "sigmoid") return a * (1.0 - a);
    if (name == "tanh") return 1.0 - a * a;
    return z > 0.0 ? 1.0 : 0.0;  // relu, away from its kink
}

// The loss of one output and its derivative with respect to the output a.
double loss_term(const std::string& loss, double a, double y)
{
    if (loss == "l1") return std::abs(a - y);
    if (loss == "quadratic") return 0.5 * (a - y) * (a - y);
    if (loss == "cross-entropy") return -(y * std::log(a) + (1.0 - y) * std::log(1.0 - a));
    FAIL("unknown loss " << loss);
    return NAN;
}

double loss_term_prime(const std::string& loss, double a, double y)
{
    if (loss == "l1") return a > y ? 1.0 : -1.0;  // away from its kink
    if (loss == "quadratic") return a - y;
    return (a - y) / (a * (1.0 - a));  // cross-entropy
}

struct Pass {
    std::vector<Matrix> z, a;  // (n_l, m)
};

Pass forward_by_hand(const Net& net, const Matrix& X)
{
    const std::size_t L = net.sizes.size() - 1, m = X.shape(1);
    Pass p;
    p.z.resize(L + 1);
    p.a.resize(L + 1);
    p.a[0] = X;
    for (std::size_t l = 1; l <= L; ++l) {
        p.z[l] = xt::zeros<double>({net.sizes[l], m});
        p.a[l] = xt::zeros<double>({net.sizes[l], m});
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < net.sizes[l]; ++j) {
                double z = net.b[l](j, 0);  // z_j = sum_k w_jk a_k + b_j
                for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                    z += net.W[l](j, k) * p.a[l - 1](k, i);
                }
                p.z[l](j, i) = z;
                p.a[l](j, i) = act(net.activation, z);
            }
        }
    }
    return p;
}

// J = (1/m) sum over samples of the sum over outputs of the loss term.
double loss_by_hand(const Net& net, const Matrix& X, const Matrix& Y)
{
    const Matrix A = forward_by_hand(net, X).a.back();
    double sum = 0.0;
    for (std::size_t i = 0; i < A.shape(1); ++i) {
        for (std::size_t j = 0; j < A.shape(0); ++j) {
            sum += loss_term(net.loss, A(j, i), Y(j, i));
        }
    }
    return sum / static_cast<double>(A.shape(1));
}

struct Grads {
    std::vector<Matrix> delta, W, b;  // delta[l] is (n_l, m)
    Pass pass;
};

// The backward pass by the chain rule, one index at a time: delta^[L]_j, then
// delta^[l]_j = sum_k w^[l+1]_kj delta^[l+1]_k sigma'(z^[l]_j), then
// dJ/dw_jk = (1/m) sum_i delta_j a_k^[l-1] and dJ/db_j = (1/m) sum_i delta_j.
Grads backward_by_hand(const Net& net, const Matrix& X, const Matrix& Y)
{
    const std::size_t L = net.sizes.size() - 1, m = X.shape(1);
    Grads g;
    g.pass = forward_by_hand(net, X);
    g.delta.resize(L + 1);
    g.W.resize(L + 1);
    g.b.resize(L + 1);
    for (std::size_t l = L; l >= 1; --l) {
        g.delta[l] = xt::zeros<double>({net.sizes[l], m});
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t j = 0; j < net.sizes[l]; ++j) {
                double upstream = 0.0;
                if (l == L) {
                    upstream = loss_term_prime(net.loss, g.pass.a[L](j, i), Y(j, i));
                } else {
                    for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
                        upstream += net.W[l + 1](k, j) * g.delta[l + 1](k, i);
                    }
                }
                g.delta[l](j, i) = upstream * act_prime(net.activation, g.pass.z[l](j, i));
            }
        }
    }
    for (std::size_t l = 1; l <= L; ++l) {
        g.W[l] = xt::zeros<double>({net.sizes[l], net.sizes[l - 1]});
        g.b[l] = xt::zeros<double>({net.sizes[l], std::size_t{1}});
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            for (std::size_t i = 0; i < m; ++i) {
                g.b[l](j, 0) += g.delta[l](j, i) / static_cast<double>(m);
                for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                    g.W[l](j, k) += g.delta[l](j, i) * g.pass.a[l - 1](k, i) / static_cast<double>(m);
                }
            }
        }
    }
    return g;
}

// --- The JSON document.

struct Doc {
    Net net;
    Matrix x, y;
    std::vector<Matrix> grad_W, grad_b;  // index 0 unused
    double loss_value = NAN;
};

Doc read_doc(const nlohmann::json& j)
{
    Doc d;
    d.net.sizes = j.at("sizes").get<std::vector<std::size_t>>();
    d.net.activation = j.at("activation").get<std::string>();
    d.net.loss = j.at("loss").get<std::string>();
    d.x = book::matrix_from_json(j.at("x"));
    d.y = book::matrix_from_json(j.at("y"));
    d.net.W.resize(1);
    d.net.b.resize(1);
    d.grad_W.resize(1);
    d.grad_b.resize(1);
    for (const auto& layer : j.at("layers")) {
        d.net.W.push_back(book::matrix_from_json(layer.at("W")));
        d.net.b.push_back(book::matrix_from_json(layer.at("b")));
        d.grad_W.push_back(book::matrix_from_json(layer.at("grad_W")));
        d.grad_b.push_back(book::matrix_from_json(layer.at("grad_b")));
    }
    d.loss_value = j.at("loss_value").get<double>();
    return d;
}

nlohmann::json run_json(const std::string& args)
{
    return support::run_json(program + " --json " + args);
}

//! [check_document]
// The check the page promises a reader: numeric derivatives of J, computed from
// W, b, x and y alone, against the document's grad_W and grad_b. Returns the
// largest relative error, or infinity if a gradient does not have its
// parameter's shape.
double check_document(const nlohmann::json& j)
{
    Doc d = read_doc(j);
    const auto J = [&d] { return loss_by_hand(d.net, d.x, d.y); };
    double worst = 0.0;
    for (std::size_t l = 1; l < d.net.sizes.size(); ++l) {
        if (d.grad_W[l].shape() != d.net.W[l].shape() ||
            d.grad_b[l].shape() != d.net.b[l].shape()) {
            return INFINITY;
        }
        worst = std::max(worst, backprop::compare_gradients(
                                    "W", d.grad_W[l],
                                    backprop::numeric_gradient(J, d.net.W[l]))
                                    .max_relative_error);
        worst = std::max(worst, backprop::compare_gradients(
                                    "b", d.grad_b[l],
                                    backprop::numeric_gradient(J, d.net.b[l]))
                                    .max_relative_error);
    }
    return worst;
}
//! [check_document]

// How far the example is from a kink (ReLU at z = 0, |a - y| at a = y), and its largest gradient.
double distance_to_kinks(const Doc& d)
{
    const Pass p = forward_by_hand(d.net, d.x);
    double gap = INFINITY;
    for (std::size_t l = 1; l < d.net.sizes.size(); ++l) {
        if (d.net.activation == "relu") {
            for (double z : p.z[l]) gap = std::min(gap, std::abs(z));
        }
    }
    if (d.net.loss == "l1") {
        for (std::size_t k = 0; k < d.y.size(); ++k) gap = std::min(gap, std::abs(p.a.back().data()[k] - d.y.data()[k]));
    }
    return gap;
}

double largest_gradient(const Doc& d)
{
    double g = 0.0;
    for (std::size_t l = 1; l < d.grad_W.size(); ++l) {
        for (double v : d.grad_W[l]) g = std::max(g, std::abs(v));
    }
    return g;
}

// The first seed from 1 whose example is at least `margin` from every kink and has a
// gradient that is not all zero (a ReLU network can be dead for some seeds).
nlohmann::json smooth_document(const std::string& args, double margin = 0.02)
{
    for (int seed = 1; seed <= 40; ++seed) {
        nlohmann::json j = run_json(args + " --seed " + std::to_string(seed));
        const Doc d = read_doc(j);
        if (distance_to_kinks(d) >= margin && largest_gradient(d) > 1e-3) {
            return j;
        }
    }
    FAIL("no seed from 1 to 40 gives an example away from the kinks for " << args);
    return {};
}

// The number after `label` on the line that starts with it (after leading spaces).
double number_after(const std::string& text, const std::string& label)
{
    const std::size_t at = text.find(label);
    REQUIRE(at != std::string::npos);
    std::istringstream in(text.substr(at + label.size()));
    double v = NAN;
    in >> v;
    REQUIRE(!in.fail());
    return v;
}

Net running_net()
{
    const book::RunningExample ex = book::running_example();
    Net net{ex.net.sizes, ex.net.W, ex.net.b, "sigmoid", "l1"};
    return net;
}

const std::vector<std::string> activations = {"sigmoid", "tanh", "relu"};
const std::vector<std::string> losses = {"l1", "quadratic", "cross-entropy"};

// The DOT line of the edge from neuron k of layer l-1 to neuron j of layer l (0-based).
std::string edge_line(const std::string& dot, std::size_t l, std::size_t j, std::size_t k)
{
    const std::string head = "  n" + std::to_string(l - 1) + "_" + std::to_string(k + 1) + " -> n" +
                             std::to_string(l) + "_" + std::to_string(j + 1) + " [";
    const std::size_t at = dot.find(head);
    return at == std::string::npos ? "" : dot.substr(at, dot.find('\n', at) - at);
}

std::string node_line(const std::string& dot, std::size_t l, std::size_t j)
{
    const std::string head = "    n" + std::to_string(l) + "_" + std::to_string(j + 1) + " [label=";
    const std::size_t at = dot.find(head);
    return at == std::string::npos ? "" : dot.substr(at, dot.find('\n', at) - at);
}

}  // namespace

TEST_CASE("ch07_updates prints the running example's gradients, equal to a backward pass by hand",
          "[ch07][value][cli]")
{
    const Net net = running_net();
    const Matrix x = {{0.8}, {0.2}}, y = {{1.0}, {0.0}};
    const Grads g = backward_by_hand(net, x, y);
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const std::string& out = r.out;
    CHECK_THAT(out, Contains("the 2-3-2 network, sigmoid in every layer, parameters from\nseed 1"));
    for (std::size_t l = 1; l <= 2; ++l) {
        const std::string L = "^[" + std::to_string(l) + "]";
        INFO("layer " << l);
        CHECK_THAT(out, Contains(book::show("\u03b4" + L, g.delta[l])));
        CHECK_THAT(out, Contains(book::show("\u2202J/\u2202b" + L, g.b[l])));
        CHECK_THAT(out, Contains(book::show("\u2202J/\u2202W" + L, g.W[l])));
    }
    // The shapes of the outer product (7.4), and one entry written out as in (7.2).
    CHECK_THAT(out, Contains("\u2202J/\u2202W^[2] = \u03b4^[2] a^[1]\u1d40, (2, 1)(1, 3) -> (2, 3):"));
    CHECK_THAT(out, Contains("\u2202J/\u2202W^[1] = \u03b4^[1] a^[0]\u1d40, (3, 1)(1, 2) -> (3, 2):"));
    CHECK_THAT(out, Contains("\u2202J/\u2202w_13^[2] = \u03b4_1^[2] a_3^[1] = (" + book::format_number(g.delta[2](0, 0)) +
                             ")(" + book::format_number(g.pass.a[1](2, 0)) + ") = " +
                             book::format_number(g.W[2](0, 2)) + "\n"));
    // For one sample dJ/db = delta: the same numbers.
    CHECK_THAT(g.b[2], support::IsNear(g.delta[2], 0.0, 0.0));
}

TEST_CASE("ch07_updates's gradient table lists every parameter with relative errors below 1e-7",
          "[ch07][gradcheck][cli]")
{
    const Net net = running_net();
    const Matrix x = {{0.8}, {0.2}}, y = {{1.0}, {0.0}};
    const Grads g = backward_by_hand(net, x, y);
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    int rows = 0;
    double worst = 0.0;
    const auto check_row = [&](const std::string& name, double expected) {
        INFO(name);
        const std::string head = "\n  " + name + " ";
        const std::size_t at = r.out.find(head);
        REQUIRE(at != std::string::npos);
        std::istringstream line(r.out.substr(at + head.size(), r.out.find('\n', at + 1) - at - head.size()));
        double analytic = NAN, numeric = NAN, rel = NAN;
        line >> analytic >> numeric >> rel;
        REQUIRE(!line.fail());
        CHECK_THAT(analytic, WithinRel(expected, 1e-9));  // printed with 10 digits
        CHECK_THAT(numeric, WithinRel(expected, 1e-9));
        CHECK(rel < 1e-7);
        CHECK(rel >= 0.0);
        worst = std::max(worst, rel);
        ++rows;
    };
    for (std::size_t l = 1; l <= 2; ++l) {
        const std::string L = "^[" + std::to_string(l) + "]";
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                check_row("w_" + std::to_string(j + 1) + std::to_string(k + 1) + L, g.W[l](j, k));
            }
            check_row("b_" + std::to_string(j + 1) + L, g.b[l](j, 0));
        }
    }
    CHECK(rows == 17);  // 3*2 + 3 + 2*3 + 2 parameters
    CHECK_THAT(r.out, Contains("Largest relative error over all 17 parameters: " + book::format_number(worst, 2) + " ("));
    CHECK_THAT(r.out, Contains(";\nbelow 1e-7: yes\n"));
}

TEST_CASE("ch07_updates: one step of gradient descent lowers the running example's loss", "[ch07][value][cli]")
{
    const Net net = running_net();
    const Matrix x = {{0.8}, {0.2}}, y = {{1.0}, {0.0}};
    for (const double alpha : {0.5, 0.1, 2.0}) {
        INFO("alpha " << alpha);
        const Grads g = backward_by_hand(net, x, y);
        Net after = net;
        double norm2 = 0.0;
        for (std::size_t l = 1; l <= 2; ++l) {
            after.W[l] = net.W[l] - alpha * g.W[l];  // (7.7)
            after.b[l] = net.b[l] - alpha * g.b[l];
            for (double v : g.W[l]) norm2 += v * v;
            for (double v : g.b[l]) norm2 += v * v;
        }
        const double before_J = loss_by_hand(net, x, y), after_J = loss_by_hand(after, x, y);
        std::ostringstream flag;
        flag << " --alpha " << alpha;
        const auto r = support::run(program + flag.str());
        REQUIRE(r.status == 0);
        CHECK_THAT(number_after(r.out, "Loss before the step  J = "), WithinRel(before_J, 1e-9));
        CHECK_THAT(number_after(r.out, "Loss after the step   J = "), WithinRel(after_J, 1e-9));
        CHECK(after_J < before_J);
        CHECK_THAT(r.out, Contains("(lower)"));
        CHECK_THAT(number_after(r.out, "\u2016\u00b2 = "), WithinRel(-alpha * norm2, 1e-5));
        for (std::size_t l = 1; l <= 2; ++l) {
            const std::string L = "^[" + std::to_string(l) + "]";
            CHECK_THAT(r.out, Contains(book::show("W" + L + " after ", after.W[l])));
            CHECK_THAT(r.out, Contains(book::show("b" + L + " after ", after.b[l])));
        }
    }
    // The first-order prediction -alpha |g|^2 is close for a small step (the source's tangent).
    const auto r = support::run(program + " --alpha 0.01");
    const double change = number_after(r.out, "Change                    ");
    CHECK_THAT(change, WithinRel(number_after(r.out, "\u2016\u00b2 = "), 1e-2));
    // alpha = 0 changes nothing.
    const auto still = support::run(program + " --alpha 0");
    CHECK_THAT(still.out, Contains("(unchanged)"));
}

TEST_CASE("ch07_updates --json has exactly the documented fields and shapes for every activation and loss",
          "[ch07][shape][cli]")
{
    const std::set<std::string> fields = {"sizes", "activation", "loss", "seed", "x", "y", "layers", "loss_value"};
    const std::set<std::string> layer_fields = {"W", "b", "grad_W", "grad_b"};
    for (const std::string& sigma : activations) {
        for (const std::string& loss : losses) {
            if (loss == "cross-entropy" && sigma != "sigmoid") {
                continue;
            }
            for (const auto& [args, sizes, m] :
                 std::vector<std::tuple<std::string, std::vector<std::size_t>, std::size_t>>{
                     {"", {2, 3, 2}, 1}, {"--sizes 3,4,3,2 --batch 5", {3, 4, 3, 2}, 5}, {"--sizes 4,1", {4, 1}, 1}}) {
                INFO(sigma << ", " << loss << ", " << args);
                const auto j = run_json("--activation " + sigma + " --loss " + loss + " " + args + " --seed 3");
                std::set<std::string> keys;
                for (const auto& item : j.items()) keys.insert(item.key());
                CHECK(keys == fields);
                CHECK(j.at("sizes").get<std::vector<std::size_t>>() == sizes);
                CHECK(j.at("activation") == sigma);
                CHECK(j.at("loss") == loss);
                CHECK(j.at("seed") == 3);
                CHECK(book::matrix_from_json(j.at("x")).shape() == std::array<std::size_t, 2>{sizes.front(), m});
                CHECK(book::matrix_from_json(j.at("y")).shape() == std::array<std::size_t, 2>{sizes.back(), m});
                CHECK(j.at("loss_value").is_number());
                REQUIRE(j.at("layers").size() == sizes.size() - 1);
                for (std::size_t l = 1; l < sizes.size(); ++l) {
                    const auto& layer = j.at("layers").at(l - 1);
                    std::set<std::string> lkeys;
                    for (const auto& item : layer.items()) lkeys.insert(item.key());
                    CHECK(lkeys == layer_fields);
                    const std::array<std::size_t, 2> w_shape{sizes[l], sizes[l - 1]}, b_shape{sizes[l], 1};
                    CHECK(book::matrix_from_json(layer.at("W")).shape() == w_shape);
                    CHECK(book::matrix_from_json(layer.at("grad_W")).shape() == w_shape);
                    CHECK(book::matrix_from_json(layer.at("b")).shape() == b_shape);
                    CHECK(book::matrix_from_json(layer.at("grad_b")).shape() == b_shape);
                }
                // The loss is J of W, b, x and y, computed here.
                const Doc d = read_doc(j);
                CHECK_THAT(d.loss_value, WithinRel(loss_by_hand(d.net, d.x, d.y), 1e-12));
            }
        }
    }
}

TEST_CASE("The gradients in --json match numeric gradients computed from the same JSON, for every activation and "
          "loss",
          "[ch07][gradcheck][cli]")
{
    for (const std::string& sigma : activations) {
        for (const std::string& loss : losses) {
            if (loss == "cross-entropy" && sigma != "sigmoid") {
                continue;
            }
            for (const std::string args : {"", "--sizes 3,4,3,2 --batch 5", "--sizes 2,5,2 --batch 3"}) {
                INFO(sigma << ", " << loss << ", " << args);
                const nlohmann::json j = smooth_document("--activation " + sigma + " --loss " + loss + " " + args);
                INFO("seed " << j.at("seed"));
                CHECK(check_document(j) < 1e-7);
                // And against the backward pass by hand, to round-off.
                const Doc d = read_doc(j);
                const Grads g = backward_by_hand(d.net, d.x, d.y);
                for (std::size_t l = 1; l < d.net.sizes.size(); ++l) {
                    CHECK_THAT(d.grad_W[l], support::IsNear(g.W[l], 1e-10, 1e-14));
                    CHECK_THAT(d.grad_b[l], support::IsNear(g.b[l], 1e-10, 1e-14));
                }
            }
        }
    }
}

TEST_CASE("A wrong weight gradient fails the check against the JSON", "[ch07][gradcheck]")
{
    SECTION("a^[l] in place of a^[l-1]: the wrong shape where layers differ, the wrong numbers where they agree")
    {
        // The running example: delta^[2] a^[2]^T is (2, 2), not the (2, 3) of W^[2].
        nlohmann::json j = run_json("");
        REQUIRE(check_document(j) < 1e-7);
        Doc d = read_doc(j);
        Grads g = backward_by_hand(d.net, d.x, d.y);
        const Matrix wrong2 = xt::linalg::dot(g.delta[2], xt::transpose(g.pass.a[2]));
        CHECK(wrong2.shape() != d.net.W[2].shape());
        j["layers"][1]["grad_W"] = book::to_json(wrong2);
        CHECK(check_document(j) == INFINITY);

        // A square 3-3-3 network, where the wrong product has the right shape.
        j = smooth_document("--sizes 3,3,3 --batch 4 --loss quadratic");
        REQUIRE(check_document(j) < 1e-7);
        d = read_doc(j);
        g = backward_by_hand(d.net, d.x, d.y);
        for (std::size_t l = 1; l <= 2; ++l) {
            INFO("layer " << l);
            nlohmann::json wrong = j;
            const Matrix W = xt::linalg::dot(g.delta[l], xt::transpose(g.pass.a[l])) / 4.0;
            REQUIRE(W.shape() == d.net.W[l].shape());
            wrong["layers"][l - 1]["grad_W"] = book::to_json(W);
            CHECK(check_document(wrong) > 1e-3);
        }
    }
    SECTION("no 1/m for a batch: the sum of the samples' gradients, not their mean")
    {
        const nlohmann::json j = smooth_document("--batch 5");
        REQUIRE(check_document(j) < 1e-7);
        const Doc d = read_doc(j);
        const Grads g = backward_by_hand(d.net, d.x, d.y);
        for (std::size_t l = 1; l <= 2; ++l) {
            INFO("layer " << l);
            nlohmann::json wrong = j;
            const Matrix sum = xt::linalg::dot(g.delta[l], xt::transpose(g.pass.a[l - 1]));  // delta A^T, no 1/m
            wrong["layers"][l - 1]["grad_W"] = book::to_json(sum);
            CHECK(check_document(wrong) > 0.5);  // off by the factor m = 5
            nlohmann::json right = j;
            right["layers"][l - 1]["grad_W"] = book::to_json(Matrix(sum / 5.0));
            CHECK(check_document(right) < 1e-7);  // (7.6) with the 1/m
        }
    }
}

TEST_CASE("ch07_updates --batch gives the mean of the samples' gradients, with L1 targets away from the kink",
          "[ch07][value][cli]")
{
    const nlohmann::json j = run_json("--batch 6");
    const Doc d = read_doc(j);
    REQUIRE(d.x.shape() == std::array<std::size_t, 2>{2, 6});
    // Each column alone, then the mean over the columns (7.5), (7.6).
    std::vector<Matrix> mean_W(3), mean_b(3);
    for (std::size_t l = 1; l <= 2; ++l) {
        mean_W[l] = xt::zeros<double>(d.net.W[l].shape());
        mean_b[l] = xt::zeros<double>(d.net.b[l].shape());
    }
    for (std::size_t i = 0; i < 6; ++i) {
        const Matrix xi = xt::view(d.x, xt::all(), xt::range(i, i + 1));
        const Matrix yi = xt::view(d.y, xt::all(), xt::range(i, i + 1));
        const Grads gi = backward_by_hand(d.net, xi, yi);
        for (std::size_t l = 1; l <= 2; ++l) {
            mean_W[l] += gi.W[l] / 6.0;
            mean_b[l] += gi.b[l] / 6.0;
        }
    }
    for (std::size_t l = 1; l <= 2; ++l) {
        CHECK_THAT(d.grad_W[l], support::IsNear(mean_W[l], 1e-12, 1e-15));
        CHECK_THAT(d.grad_b[l], support::IsNear(mean_b[l], 1e-12, 1e-15));
    }
    // Inputs in [0, 1), targets in the sigmoid's range and at least 0.05 from the outputs.
    for (double v : d.x) {
        CHECK(v >= 0.0);
        CHECK(v < 1.0);
    }
    for (double v : d.y) {
        CHECK(v >= 0.0);
        CHECK(v <= 1.0);
    }
    CHECK(distance_to_kinks(d) >= 0.05 - 1e-12);
    // The running example's parameters: only the samples are drawn.
    CHECK_THAT(d.net.W[1], support::IsNear(book::running_example().net.W[1], 0.0, 0.0));
    // tanh targets reach into (-1, 0).
    const Doc t = read_doc(run_json("--batch 20 --activation tanh --sizes 2,3,4"));
    CHECK(*std::min_element(t.y.begin(), t.y.end()) < 0.0);
    CHECK(*std::min_element(t.y.begin(), t.y.end()) >= -1.0);
}

TEST_CASE("ch07_updates --figures writes the walk's gradient drawings and the loss over --steps steps", "[ch07][cli]")
{
    char dir_template[] = "/tmp/ch07_updates-figures-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(r.out == "wrote " + d + "/ch07_updates.walk6.dot\nwrote " + d + "/ch07_updates.walk7.dot\nwrote " + d +
                       "/ch07_updates.loss.tsv\n");
    const std::string tsv = support::slurp(d + "/ch07_updates.loss.tsv");

    // Steps 6 and 7 of the walk: layer 2's gradients, then layer 1's. Each neuron j of the
    // layer shows dl/dw_jk for every k and dl/db_j = delta_j, large and red; its incoming
    // edges are red; the layer before shows its activations a_k.
    const Net net = running_net();
    const Matrix x = {{0.8}, {0.2}}, y = {{1.0}, {0.0}};
    const Grads g = backward_by_hand(net, x, y);
    const char* const sub[] = {"\u2080", "\u2081", "\u2082", "\u2083"};
    const auto large = [](const std::string& text) {
        return Contains("<FONT POINT-SIZE=\"14\" COLOR=\"#d62728\"><B>" + text + "</B></FONT>");
    };
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    for (std::size_t l = 2; l >= 1; --l) {
        const std::size_t step = 8 - l;  // layer 2 is step 6, layer 1 step 7
        INFO("step " << step << ", the gradients of layer " << l);
        const std::string dot = support::slurp(d + "/ch07_updates.walk" + std::to_string(step) + ".dot");
        CHECK_THAT(dot, Contains("label=<Step " + std::to_string(step) + " of 7: the gradients of layer " +
                                 std::to_string(l) + "'s weights and biases>"));
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            INFO("neuron " << j + 1);
            const std::string node = node_line(dot, l, j);
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                CHECK_THAT(node, large(std::string("\u2202\u2113/\u2202w") + sub[j + 1] + sub[k + 1] + " = " +
                                       book::format_number(g.W[l](j, k), 4)));
                CHECK_THAT(edge_line(dot, l, j, k), Contains("penwidth=2.5") && !Contains("dir=back"));
            }
            CHECK_THAT(node, large(std::string("\u2202\u2113/\u2202b") + sub[j + 1] + " = \u03b4" + sub[j + 1] +
                                   " = " + book::format_number(g.b[l](j, 0), 4)));
            CHECK_THAT(node, Contains("penwidth=2.5"));
        }
        for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
            const std::string before = node_line(dot, l - 1, k);
            CHECK_THAT(before, l == 1 ? Contains("x" + std::string(sub[k + 1]) + " = " +
                                                 book::format_number(ex.x(k, 0), 4) + "<")
                                      : Contains("a = " + book::format_number(pass.a[1](k, 0), 4) + "<"));
            CHECK_THAT(before, !Contains("penwidth"));
        }
        // The other layer's edges are grey, without labels.
        CHECK_THAT(edge_line(dot, 3 - l, 0, 0), !Contains("penwidth") && !Contains("label"));
        const auto svg = support::run("dot -Tsvg " + d + "/ch07_updates.walk" + std::to_string(step) + ".dot");
        CHECK(svg.status == 0);
        CHECK_THAT(svg.out, Contains("<svg"));
    }

    // The loss curve: 101 rows, from J before any step; row 1 is J after the first step.
    CHECK_THAT(tsv, StartsWith("# step loss\n"));
    CHECK(support::line_count(tsv) == 102);
    std::istringstream rows(tsv.substr(tsv.find('\n') + 1));
    std::vector<double> curve;
    double step = 0.0, J = 0.0;
    while (rows >> step >> J) {
        CHECK_THAT(step, WithinAbs(static_cast<double>(curve.size()), 0.0));
        curve.push_back(J);
    }
    REQUIRE(curve.size() == 101);
    CHECK_THAT(curve[0], WithinRel(loss_by_hand(net, x, y), 1e-13));
    // 100 steps by hand with alpha = 0.5.
    Net trained = net;
    for (int t = 1; t <= 100; ++t) {
        const Grads gt = backward_by_hand(trained, x, y);
        for (std::size_t l = 1; l <= 2; ++l) {
            trained.W[l] -= 0.5 * gt.W[l];
            trained.b[l] -= 0.5 * gt.b[l];
        }
        if (t == 1 || t == 100) {
            CHECK_THAT(curve[static_cast<std::size_t>(t)], WithinRel(loss_by_hand(trained, x, y), 1e-10));
        }
    }
    CHECK(curve[100] < 0.1 * curve[0]);
    const auto text = support::run(program);
    CHECK_THAT(text.out, Contains("step    100   J = " + book::format_number(curve[100], 10) + "\n"));

    const auto short_run = support::run(program + " --figures " + d + " --steps 10");
    REQUIRE(short_run.status == 0);
    CHECK(support::line_count(support::slurp(d + "/ch07_updates.loss.tsv")) == 12);

    std::remove((d + "/ch07_updates.walk6.dot").c_str());
    std::remove((d + "/ch07_updates.walk7.dot").c_str());
    std::remove((d + "/ch07_updates.loss.tsv").c_str());
    std::remove(d.c_str());
}

TEST_CASE("ch07_updates's default output is the running example, the same on every run", "[ch07][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto spelled_out =
        support::run(program + " --seed 1 --sizes 2,3,2 --activation sigmoid --loss l1 --batch 1 --alpha 0.5 --steps 100");
    CHECK(spelled_out.out == a.out);
    const auto c = support::run(program + " --seed 7");
    REQUIRE(c.status == 0);
    CHECK(c.out != a.out);
    const book::RunningExample ex7 = book::running_example(7);
    Net net7{ex7.net.sizes, ex7.net.W, ex7.net.b, "sigmoid", "l1"};
    const Grads g7 = backward_by_hand(net7, ex7.x, ex7.y);
    CHECK_THAT(c.out, Contains(book::show("\u2202J/\u2202W^[1]", g7.W[1])));
    CHECK_THAT(c.out, Contains("parameters from\nseed 7"));
}

TEST_CASE("ch07_updates --help describes every flag", "[ch07][cli]")
{
    support::check_help(program, {"--seed", "--json", "--sizes", "--activation", "--loss", "--batch", "--alpha",
                                  "--steps", "--figures", "--help"});
}

TEST_CASE("ch07_updates rejects bad input and invalid combinations with status 2 and one line", "[ch07][cli]")
{
    for (const std::string args :
         {"--loss cross-entropy --activation tanh", "--loss cross-entropy --activation relu",
          "--json --loss cross-entropy --activation tanh", "--sizes 2,0,2", "--sizes 0,3", "--json --sizes 2,0",
          "--batch 0", "--json --batch 0", "--batch -1", "--batch x", "--batch 2.5", "--batch 101", "--sizes 2",
          "--sizes 2,21", "--sizes 2,3,", "--sizes 2,,3", "--sizes 1,1,1,1,1,1,1", "--sizes a,b", "--activation identity",
          "--activation foo", "--activation", "--loss foo", "--alpha -1", "--alpha x", "--alpha nan", "--alpha inf",
          "--alpha 101", "--alpha", "--steps 0", "--steps -5", "--steps 1.5", "--steps 100001", "--figures /nonexistent/dir",
          "--seed -1", "--seed x", "--bogus", "extra", "--figures ''", "--sizes ''", "--activation ''", "--loss ''",
          "--batch ''", "--alpha ''", "--steps ''", "--seed ''", "--json --alpha 0.1", "--steps 10 --json",
          "--json --figures /tmp", "--figures /tmp --json --batch 3"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch07_updates");
    }
}

TEST_CASE("ch07_updates --json shows the gradients before any step, so --alpha and --steps do not apply",
          "[ch07][cli]")
{
    for (const std::string flag : {"--alpha 0.1", "--steps 10"}) {
        INFO(flag);
        const auto r = support::run(program + " --json " + flag);
        support::check_bad_input(r, "ch07_updates");
        CHECK_THAT(r.err, Contains("--json excludes " + flag.substr(0, flag.find(' '))));
        CHECK(support::run(program + " " + flag).status == 0);
    }
    CHECK(support::run(program + " --json --batch 3 --seed 2").status == 0);
}

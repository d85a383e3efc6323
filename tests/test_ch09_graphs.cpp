// Chapter 9: backprop on any graph. The program's graph of the running example is checked
// against the layered library and, from its own JSON, against numeric derivatives of a
// forward pass written here with plain loops; the gates and the fan-out against the
// numbers by hand; the check, softmax, modes and vanishing sections against what they
// claim; and the command line against the book's rules.
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "support.hpp"

using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

nlohmann::json run_json(const std::string& args) { return support::run_json(program + " --json " + args); }

// The node of the document called `name`.
const nlohmann::json& node_named(const nlohmann::json& doc, const std::string& name)
{
    for (const auto& n : doc.at("nodes")) {
        if (n.at("name") == name) {
            return n;
        }
    }
    FAIL("no node " << name);
    return doc;
}

Matrix value_of(const nlohmann::json& doc, const std::string& name)
{
    return book::matrix_from_json(node_named(doc, name).at("value"));
}

Matrix grad_of(const nlohmann::json& doc, const std::string& name)
{
    return book::matrix_from_json(node_named(doc, name).at("grad"));
}

std::string up(std::size_t l) { return "^[" + std::to_string(l) + "]"; }

// --- A network read from the document's parameter nodes, and its loss by plain loops.

struct Net {
    std::vector<Matrix> W, b;  // index 0 unused
    Matrix x, y;
    std::string activation, loss;
};

Net read_net(const nlohmann::json& doc)
{
    Net net;
    const std::size_t L = doc.at("sizes").size() - 1;
    net.W.resize(L + 1);
    net.b.resize(L + 1);
    for (std::size_t l = 1; l <= L; ++l) {
        net.W[l] = value_of(doc, "W" + up(l));
        net.b[l] = value_of(doc, "b" + up(l));
    }
    net.x = value_of(doc, "a^[0]");
    net.y = value_of(doc, "y");
    net.activation = doc.at("activation");
    net.loss = doc.at("loss");
    return net;
}

double act(const std::string& name, double z)
{
    if (name == "sigmoid") return 1.0 / (1.0 + std::exp(-z));
    if (name == "tanh") return std::tanh(z);
    return z > 0.0 ? z : 0.0;  // relu
}

double loss_by_hand(const Net& net)
{
    Matrix a = net.x;
    for (std::size_t l = 1; l < net.W.size(); ++l) {
        Matrix next = xt::zeros<double>({net.W[l].shape(0), a.shape(1)});
        for (std::size_t i = 0; i < a.shape(1); ++i) {
            for (std::size_t j = 0; j < net.W[l].shape(0); ++j) {
                double z = net.b[l](j, 0);
                for (std::size_t k = 0; k < net.W[l].shape(1); ++k) {
                    z += net.W[l](j, k) * a(k, i);
                }
                next(j, i) = act(net.activation, z);
            }
        }
        a = next;
    }
    double J = 0.0;
    for (std::size_t i = 0; i < a.shape(1); ++i) {
        for (std::size_t j = 0; j < a.shape(0); ++j) {
            const double d = a(j, i) - net.y(j, i);
            if (net.loss == "l1") J += std::abs(d);
            else if (net.loss == "quadratic") J += 0.5 * d * d;
            else J -= net.y(j, i) * std::log(a(j, i)) + (1.0 - net.y(j, i)) * std::log(1.0 - a(j, i));
        }
    }
    return J / static_cast<double>(a.shape(1));
}

// The largest relative error of the document's gradients of every W and b against numeric
// derivatives of loss_by_hand(), or of `forged` gradients in their place.
double worst_against_numeric(const nlohmann::json& doc, const std::vector<Matrix>* forged = nullptr)
{
    Net net = read_net(doc);
    const auto J = [&net] { return loss_by_hand(net); };
    double worst = 0.0;
    std::size_t t = 0;
    for (std::size_t l = 1; l < net.W.size(); ++l) {
        for (const bool is_W : {true, false}) {
            Matrix& theta = is_W ? net.W[l] : net.b[l];
            const Matrix numeric = backprop::numeric_gradient(J, theta);
            const Matrix analytic = forged ? (*forged)[t] : grad_of(doc, (is_W ? "W" : "b") + up(l));
            worst = std::max(worst, backprop::compare_gradients("", analytic, numeric).max_relative_error);
            ++t;
        }
    }
    return worst;
}

}  // namespace

TEST_CASE("ch09_graphs builds the running example as a graph whose gradients are backprop::backward's",
          "[ch09][value][cli]")
{
    const nlohmann::json doc = run_json("");
    const book::RunningExample ex = book::running_example();
    const backprop::Gradients grads = backprop::backward(ex.net, backprop::forward(ex.net, ex.x), ex.y, ex.loss);
    CHECK(doc.at("nodes").size() == 13);  // x, then W, b, Wa, z, a per layer, then y and J
    for (std::size_t l = 1; l <= 2; ++l) {
        INFO("layer " << l);
        CHECK_THAT(grad_of(doc, "W" + up(l)), support::IsNear(grads.grad_W[l], 1e-14, 0.0));
        CHECK_THAT(grad_of(doc, "b" + up(l)), support::IsNear(grads.grad_b[l], 1e-14, 0.0));
        CHECK_THAT(grad_of(doc, "z" + up(l)), support::IsNear(grads.delta[l], 1e-14, 0.0));  // m = 1
        CHECK_THAT(value_of(doc, "W" + up(l)), support::IsNear(ex.net.W[l], 0.0, 0.0));
    }
    CHECK_THAT(value_of(doc, "J")(0, 0),
               WithinRel(backprop::loss_value(ex.loss, backprop::forward(ex.net, ex.x).output(), ex.y), 1e-15));
    CHECK_THAT(grad_of(doc, "J")(0, 0), WithinAbs(1.0, 0.0));
    CHECK(node_named(doc, "a^[0]").at("grad").is_null());  // constants get no gradient
    CHECK(node_named(doc, "y").at("grad").is_null());
    // The tape is in topological order: every input comes before the node it feeds.
    for (const auto& n : doc.at("nodes")) {
        for (const auto& in : n.at("inputs")) {
            CHECK(in.get<std::size_t>() < n.at("index").get<std::size_t>());
        }
    }
    CHECK(doc.at("largest_relative_difference_from_backward").get<double>() <= 1e-14);
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Largest: 0; at most 1e-14: yes"));  // the page: "to the last digit"
    CHECK_THAT(r.out, Contains(book::show("  \u2202J/\u2202W^[2]", grads.grad_W[2])));
}

TEST_CASE("ch09_graphs --json: every parameter's gradient matches numeric derivatives computed from the JSON",
          "[ch09][gradcheck][cli]")
{
    for (const std::string args : {"", "--loss quadratic", "--sizes 3,4,2 --activation tanh --loss quadratic --batch 3",
                                   "--sizes 2,5,3,2 --activation sigmoid --loss cross-entropy --batch 4 --seed 4"}) {
        INFO(args);
        const nlohmann::json doc = run_json(args);
        CHECK(worst_against_numeric(doc) < 1e-7);
        // A gradient one percent off in a single entry must fail the same check.
        std::vector<Matrix> forged;
        for (std::size_t l = 1; l < doc.at("sizes").size(); ++l) {
            forged.push_back(grad_of(doc, "W" + up(l)));
            forged.push_back(grad_of(doc, "b" + up(l)));
        }
        forged.back()(0, 0) *= 1.01;
        CHECK(worst_against_numeric(doc, &forged) > 1e-3);
    }
}

TEST_CASE("ch09_graphs --section gates: add passes on, max routes, multiply swaps, a fan-out adds",
          "[ch09][value][cli]")
{
    const nlohmann::json doc = run_json("--section gates");
    std::map<std::string, nlohmann::json> gates, fan;
    for (const auto& n : doc.at("gates")) gates[n.at("name")] = n;
    for (const auto& n : doc.at("fan_out")) fan[n.at("name")] = n;
    // f = 2 (x y + max(z, w)) at x = 3, y = -4, z = 2, w = -1, by hand.
    CHECK(gates.at("f").at("value") == -20.0);
    CHECK(gates.at("s").at("grad") == 2.0);
    CHECK(gates.at("xy").at("grad") == 2.0);        // add: unchanged
    CHECK(gates.at("max(z,w)").at("grad") == 2.0);
    CHECK(gates.at("z").at("grad") == 2.0);         // max: all to the larger
    CHECK(gates.at("w").at("grad") == 0.0);
    CHECK(gates.at("x").at("grad") == -4.0 * 2.0);  // multiply: the other input's value
    CHECK(gates.at("y").at("grad") == 3.0 * 2.0);
    CHECK(gates.at("2").at("grad").is_null());
    // J = x y + x: dJ/dx = y + 1.
    CHECK(fan.at("J").at("value") == -9.0);
    CHECK(fan.at("x").at("grad") == -3.0);
    CHECK(fan.at("y").at("grad") == 3.0);
    const auto r = support::run(program + " --section gates");
    CHECK_THAT(r.out, Contains("\u2202J/\u2202x = -3 (= y + 1)"));
}

TEST_CASE("ch09_graphs --section check: random graphs pass, the running example passes, every mutant is caught",
          "[ch09][gradcheck][cli]")
{
    const nlohmann::json doc = run_json("--section check");  // the build's run, which the page shows
    CHECK(doc.at("random_graphs") == 200);
    CHECK(doc.at("largest_relative_error").get<double>() < 1e-7);
    CHECK(doc.at("largest_relative_error").get<double>() > 0.0);
    CHECK(doc.at("running_example").get<double>() < 1e-7);
    CHECK(doc.at("forward_mode_difference").get<double>() < 1e-10);
    // Every operation of the engine was exercised, the shared weight and skip in every graph.
    const auto& uses = doc.at("operations");
    for (const char* op : {"matmul", "add_bias", "add", "hadamard", "maximum", "sigmoid", "tanh", "relu", "identity",
                           "softmax", "l1", "quadratic", "cross_entropy", "categorical_cross_entropy",
                           "softmax_cross_entropy"}) {
        INFO(op);
        CHECK(uses.value(op, 0) > 0);
    }
    CHECK(uses.at("add") == 200);
    REQUIRE(doc.at("mutants").size() == 2);
    for (const auto& m : doc.at("mutants")) {
        INFO(m.at("mistake"));
        CHECK(m.at("largest_relative_error").get<double>() > 1e-2);
        CHECK(m.at("correct").get<double>() < 1e-7);
    }
    const auto r = support::run(program + " --section check");
    CHECK_THAT(r.out, Contains("; below 1e-7: yes"));
    CHECK_THAT(r.out, Contains("and the right operation passes it: yes"));
}

TEST_CASE("ch09_graphs --section softmax: delta = a - y agrees with numeric derivatives, the entry-by-entry "
          "form does not",
          "[ch09][gradcheck][cli]")
{
    const nlohmann::json doc = run_json("--section softmax");
    const auto& e = doc.at("errors");
    CHECK(e.at("a_minus_y").get<double>() < 1e-7);
    CHECK(e.at("two_nodes").get<double>() < 1e-7);
    CHECK(e.at("fused").get<double>() < 1e-7);
    CHECK(e.at("entry_by_entry").get<double>() > 1e-2);
    CHECK(doc.at("network_check").get<double>() < 1e-7);
    // The entry-by-entry mistake gets the target's entry right and the others 0.
    const Matrix wrong = book::matrix_from_json(doc.at("entry_by_entry")), numeric = book::matrix_from_json(doc.at("numeric"));
    CHECK_THAT(wrong(0, 0), WithinRel(numeric(0, 0), 1e-7));
    CHECK(wrong(1, 0) == 0.0);
    CHECK(wrong(2, 0) == 0.0);
    CHECK(std::abs(numeric(1, 0)) > 0.1);
    const Matrix a = book::matrix_from_json(doc.at("a")), y = book::matrix_from_json(doc.at("y"));
    CHECK_THAT(book::matrix_from_json(doc.at("delta")), support::IsNear(Matrix(a - y), 0.0, 0.0));
    CHECK_THAT(xt::sum(a)(), WithinRel(1.0, 1e-15));
    CHECK_THAT(doc.at("loss_from_logits").get<double>(), WithinRel(800.0, 1e-15));
    CHECK_THAT(doc.at("loss_clipped").get<double>(), WithinRel(-std::log(1e-15), 1e-12));
    const Matrix s = book::matrix_from_json(doc.at("softmax"));
    const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK_THAT(s, support::IsNear(Matrix{{std::exp(1.0) / sum}, {std::exp(2.0) / sum}, {std::exp(3.0) / sum}}, 1e-15));
}

TEST_CASE("ch09_graphs --section modes: forward mode takes P + 1 passes and agrees with reverse mode",
          "[ch09][value][cli]")
{
    const nlohmann::json doc = run_json("--section modes --repeat 3");
    CHECK(doc.at("blas_threads").get<int>() >= 1);
    REQUIRE(doc.at("modes").size() == 10);
    for (const auto& row : doc.at("modes")) {
        const std::size_t n = row.at("n"), P = row.at("parameters");
        CHECK(P == 2 * (n * n + n));  // two layers of an n-n-n network
        CHECK(row.at("largest_difference").get<double>() < 1e-10);
        const auto& t = row.at("timing");
        CHECK(t.at("forward_mode_seconds").at("median").get<double>() > 0.0);
        CHECK(t.at("reverse_mode_seconds").at("median").get<double>() > 0.0);
        const auto& ratio = t.at("ratio");
        CHECK(ratio.at("q1").get<double>() <= ratio.at("median").get<double>());
        CHECK(ratio.at("median").get<double>() <= ratio.at("q3").get<double>());
    }
    REQUIRE(doc.at("costs").size() == 4);
    const auto r = support::run(program + " --section modes --repeat 3");
    CHECK_THAT(r.out, Contains("OpenBLAS threads: "));
    CHECK_THAT(r.out, Contains("Crossover: "));
}

TEST_CASE("ch09_graphs --section vanishing: sigmoid's errors vanish, plain ReLU's explode, Glorot's tanh and He's "
          "ReLU keep theirs",
          "[ch09][value][cli]")
{
    const nlohmann::json doc = run_json("--section vanishing");
    REQUIRE(doc.at("series").size() == 6);
    std::map<std::string, std::vector<double>> norms;
    for (const auto& s : doc.at("series")) {
        const std::vector<double> v = s.at("delta_norms");
        REQUIRE(v.size() == 10);
        norms[s.at("activation").get<std::string>() + " " + s.at("initialisation").get<std::string>()] = v;
    }
    const auto ratio = [&](const std::string& key) { return norms.at(key).front() / norms.at(key).back(); };
    CHECK(ratio("sigmoid Glorot") < 1e-3);
    CHECK(ratio("sigmoid Glorot") < ratio("sigmoid U(\u22121,1)"));  // the plain range shrinks it less ...
    CHECK(ratio("sigmoid U(\u22121,1)") < 1.0);                     // ... but still shrinks it
    CHECK(ratio("relu U(\u22121,1)") > 1e3);
    CHECK(ratio("tanh Glorot") > 0.1);
    CHECK(ratio("tanh Glorot") < 10.0);
    CHECK(ratio("relu He") > 0.1);
    CHECK(ratio("relu He") < 10.0);
    // Each layer's sigmoid error is at most a quarter of W^T times the next one's: it shrinks
    // layer by layer with Glorot's weights, whose rows have norms near 1.
    const std::vector<double>& s = norms.at("sigmoid Glorot");
    for (std::size_t l = 1; l < s.size(); ++l) {
        CHECK(s[l - 1] < s[l]);
    }
    // Plain ReLU's grows at every layer on the way back.
    const std::vector<double>& relu = norms.at("relu U(\u22121,1)");
    for (std::size_t l = 1; l < relu.size(); ++l) {
        CHECK(relu[l - 1] > relu[l]);
    }
}

TEST_CASE("ch09_graphs --figures writes the three drawings and the two plots' data", "[ch09][cli]")
{
    char dir_template[] = "/tmp/ch09-figures-XXXXXX";
    const std::string dir = mkdtemp(dir_template);
    const auto r = support::run(program + " --figures " + dir + " --repeat 3");
    REQUIRE(r.status == 0);
    std::map<std::string, std::string> files;
    for (const char* name : {"graph.dot", "gates.dot", "fanout.dot", "modes.tsv", "vanishing.tsv"}) {
        INFO(name);
        const std::string path = dir + "/ch09_graphs." + name;
        CHECK_THAT(r.out, Contains("wrote " + path));
        files[name] = support::slurp(path);
        CHECK_FALSE(files[name].empty());
        std::remove(path.c_str());
    }
    rmdir(dir.c_str());
    for (const char* name : {"W<SUP>[1]</SUP>", "b<SUP>[2]</SUP>", "z<SUP>[1]</SUP>", "a<SUP>[2]</SUP>", "grad&#160;=&#160;"}) {
        CHECK_THAT(files["graph.dot"], Contains(name));
    }
    for (const char* name : {"<B>x</B>", "<B>max(z,w)</B>", "grad&#160;=&#160;-8"}) {
        CHECK_THAT(files["gates.dot"], Contains(name));
    }
    CHECK_THAT(files["fanout.dot"], Contains("grad&#160;=&#160;-3"));
    CHECK(support::line_count(files["vanishing.tsv"]) == 11);  // a header and 10 layers
    CHECK(support::line_count(files["modes.tsv"]) == 11);      // a header and 10 networks
}

TEST_CASE("ch09_graphs prints the same text on every run, each line within 80 columns", "[ch09][cli]")
{
    for (const char* section : {"graph", "gates", "check", "softmax", "vanishing"}) {
        INFO(section);
        const support::Run r = support::run_repeatable(program + " --section " + section);
        std::istringstream lines(r.out);
        std::string line;
        while (std::getline(lines, line)) {
            INFO(line);
            CHECK(book::display_width(line) <= 80);
        }
    }
    const support::Run modes = support::run(program + " --section modes --repeat 3");
    std::istringstream lines(modes.out);
    std::string line;
    while (std::getline(lines, line)) {
        INFO(line);
        CHECK(book::display_width(line) <= 80);
    }
}

TEST_CASE("ch09_graphs --help describes every flag", "[ch09][cli]")
{
    support::check_help(program, {"--section", "--sizes", "--activation", "--loss", "--batch", "--graphs", "--repeat",
                                  "--figures", "--seed", "--json"});
}

TEST_CASE("ch09_graphs refuses bad input and flags the chosen section does not use, with status 2 and one line",
          "[ch09][cli]")
{
    for (const char* args : {"--section bogus", "--section ''", "--sizes 2,3,9", "--sizes 2", "--batch 9", "--batch 0",
                             "--graphs 0", "--repeat 2", "--activation identity", "--activation softmax",
                             "--loss cross-entropy --activation tanh", "--loss categorical-cross-entropy",
                             "--figures /tmp --json", "--figures /tmp --section gates", "--figures /nonexistent",
                             "--section check --sizes 2,3,2", "--section graph --graphs 5", "--section check --repeat 5",
                             "--section gates --seed 2", "--json --section modes --batch 2", "extra"}) {
        INFO(args);
        support::check_bad_input(support::run(program + " " + args), "ch09_graphs");
    }
}

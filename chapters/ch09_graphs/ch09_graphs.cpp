// Chapter 9: backpropagation on any graph. The running example built as a computational
// graph on the reverse-mode engine of backprop/graph.hpp, agreeing with chapters 5 to 7;
// the gate patterns and the fan-out; gradient checks of random graphs and of deliberately
// wrong local backwards; softmax with the categorical cross-entropy; forward mode against
// reverse mode, measured; and the size of delta^[l] through ten layers.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/graph.hpp"
#include "backprop/graph_check.hpp"
#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "book/cli.hpp"
#include "book/draw_graph.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Activation;
using backprop::Graph;
using backprop::Loss;
using backprop::Matrix;
using backprop::Node;
namespace ops = backprop::ops;

namespace {

constexpr double bar = 1e-7;          // the gradient check's bar for smooth functions
constexpr double same_bar = 1e-14;    // the engine against the layered library
constexpr book::SizesLimits sizes_limits{2, 4, 5};  // small enough to draw legibly
// The samples come from their own generator (the stream of ch04_forward's batch).
constexpr std::uint64_t sample_stream = 0x9E3779B97F4A7C15ull;

enum class Section { graph, gates, check, softmax, modes, vanishing };

const std::vector<std::pair<std::string, Section>> section_names = {
    {"graph", Section::graph},     {"gates", Section::gates}, {"check", Section::check},
    {"softmax", Section::softmax}, {"modes", Section::modes}, {"vanishing", Section::vanishing}};

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    std::vector<std::size_t> sizes{2, 3, 2};
    Activation sigma = Activation::sigmoid;
    Loss loss = Loss::l1;
    std::size_t batch = 1;
    Section section = Section::graph;
    std::size_t graphs = 200;  // random graphs of the check section
    std::size_t repeat = 11;   // measurements per timing of the modes section
    std::string figures;
};

std::string num(double x, int digits = 6) { return book::format_number(x, digits); }

std::string up(std::size_t l) { return "^[" + std::to_string(l) + "]"; }

std::string shape(const Matrix& M)
{
    return "(" + std::to_string(M.shape(0)) + ", " + std::to_string(M.shape(1)) + ")";
}

constexpr auto pad = book::pad_right;
using book::pad_left;

// --- The running example as a graph.

struct Example {
    backprop::Network net;
    Matrix x, y;
    Loss loss = Loss::l1;
    bool running = false;
};

// The running example, or a network of the flags' sizes and activation from the seed, with
// inputs uniform in [0, 1) and one-hot targets.
Example make_example(const Options& o)
{
    const book::RunningExample run = book::running_example(o.seed);
    if (o.sizes == run.net.sizes && o.sigma == Activation::sigmoid && o.batch == 1) {
        return {run.net, run.x, run.y, o.loss, true};
    }
    const auto seed = static_cast<std::uint64_t>(o.seed);
    Example ex{backprop::make_network(o.sizes, o.sigma, o.sigma, seed), {}, {}, o.loss, false};
    backprop::Random rng(seed + sample_stream);
    ex.x = rng.uniform_matrix(o.sizes.front(), o.batch, 0.0, 1.0);
    ex.y = xt::zeros<double>({o.sizes.back(), o.batch});
    for (std::size_t i = 0; i < o.batch; ++i) {
        ex.y(rng.below(o.sizes.back()), i) = 1.0;
    }
    return ex;
}

// One tensor of the comparison with the layered library.
struct Agreement {
    std::string what;      // e.g. "dJ/dW^[1]"
    double difference{};   // the largest relative difference
};

struct GraphResults {
    Example ex;
    Graph g;
    backprop::NetworkGraph G;
    std::vector<Node> order;              // the topological order to J
    std::vector<Agreement> agreements;    // engine against backprop::backward
    double largest = 0.0;
};

// The largest |a - b| / max(|a|, |b|) over the entries (0 where both are 0).
double relative_difference(const Matrix& a, const Matrix& b)
{
    return backprop::compare_gradients("difference", a, b, std::numeric_limits<double>::min()).max_relative_error;
}

GraphResults graph_results(const Options& o)
{
    GraphResults r;
    r.ex = make_example(o);
    const Example& ex = r.ex;
    //! [running_example_graph]
    Graph g;
    const backprop::NetworkGraph G =
        backprop::network_graph(g, ex.net, ex.x, ex.y, ex.loss);  // and forward
    g.backward(G.J);  // dJ/dv for every node v, from J back
    //! [running_example_graph]
    //! [agreement]
    // Chapters 5 to 7 on the same network: delta^[l], dJ/dW^[l], dJ/db^[l].
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const backprop::Gradients grads =
        backprop::backward(ex.net, pass, ex.y, ex.loss);
    const double m = static_cast<double>(ex.x.shape(1));
    const auto agree = [&](const std::string& what, const Matrix& graph,
                           const Matrix& layered) {
        r.agreements.push_back({what, relative_difference(graph, layered)});
    };
    for (std::size_t l = ex.net.depth(); l >= 1; --l) {
        const Matrix m_dz = g.grad(G.z[l]) * m;  // J is a mean over m samples
        const std::string delta = "δ" + up(l) + " = m ∂J/∂z" + up(l);
        agree(delta, m_dz, grads.delta[l]);
        agree("∂J/∂W" + up(l), g.grad(G.W[l]), grads.grad_W[l]);
        agree("∂J/∂b" + up(l), g.grad(G.b[l]), grads.grad_b[l]);
    }
    //! [agreement]
    const double J = backprop::loss_value(ex.loss, pass.output(), ex.y);
    r.agreements.insert(r.agreements.begin(), {"J", relative_difference(g.value(G.J), Matrix{{J}})});
    for (const Agreement& a : r.agreements) {
        r.largest = std::max(r.largest, a.difference);
    }
    r.order = g.topological_order(G.J);
    r.g = std::move(g);
    r.G = G;
    return r;
}

std::string describe(const Example& ex, const Options& o)
{
    const std::string loss = ex.loss == Loss::l1 ? "L1" : backprop::name_of(ex.loss);
    if (ex.running) {
        return "The running example: the 2-3-2 network, sigmoid in every layer, parameters from\nseed " +
               std::to_string(o.seed) + ", input x = a^[0] = (0.8, 0.2), target y = (1, 0), " + loss + " loss.\n";
    }
    return "A " + book::join_sizes(ex.net.sizes, "-") + " network, " + backprop::name_of(o.sigma) +
           " in every layer, parameters from seed " + std::to_string(o.seed) + ",\n" + std::to_string(o.batch) +
           " sample(s) drawn from the seed (inputs in [0, 1), one-hot targets), " + loss + " loss.\n";
}

std::string made_by(const Graph& g, Node n)
{
    const backprop::Operation* op = g.operation(n);
    return op == nullptr ? (g.is_parameter(n) ? "parameter" : "constant") : op->name;
}

std::string input_list(const Graph& g, Node n)
{
    std::string s;
    for (Node in : g.inputs(n)) {
        s += (s.empty() ? "" : ", ") + std::to_string(in.index);
    }
    return s;
}

std::string graph_text(const GraphResults& r, const Options& o)
{
    const Graph& g = r.g;
    std::ostringstream out;
    out << "The running example as a computational graph\n\n"
        << describe(r.ex, o) << "\n"
        << "backprop::network_graph() puts it on the tape node by node. Each node is made\n"
        << "from nodes already there, so the tape is in topological order:\n\n"
        << "  node  " << pad("name", 14) << pad("made by", 16) << pad("inputs", 9) << "shape\n";
    for (std::size_t i = 0; i < g.size(); ++i) {
        const Node n = g.node(i);
        out << "  " << pad_left(std::to_string(i), 4) << "  " << pad(g.name(n), 14) << pad(made_by(g, n), 16)
            << pad(input_list(g, n), 9) << shape(g.value(n)) << "\n";
    }
    out << "\nThe forward pass made every value; backward() seeds \u2202J/\u2202J = 1 and visits the\n"
        << "nodes from the last to the first, each handing its gradient to its inputs.\n"
        << "Values and gradients, in that order:\n\n";
    for (auto it = r.order.rbegin(); it != r.order.rend(); ++it) {
        const Node n = *it;
        out << "node " << n.index << ", " << g.name(n) << " (" << made_by(g, n) << ")\n"
            << book::show("  value", g.value(n));
        if (g.needs_grad(n)) {
            out << book::show("  \u2202J/\u2202" + g.name(n), g.grad(n));
        } else {
            out << "  (a constant: no gradient)\n";
        }
    }
    out << "\nThe same gradients from the layered library of chapters 5 to 7\n"
        << "(backprop::backward): the largest relative difference in each tensor\n\n";
    for (const Agreement& a : r.agreements) {
        out << "  " << pad(a.what, 26) << num(a.difference, 3) << "\n";
    }
    out << "\nLargest: " << num(r.largest, 3) << "; at most 1e-14: " << (r.largest <= same_bar ? "yes" : "NO") << "\n";
    return out.str();
}

nlohmann::json graph_json(const GraphResults& r, const Options& o)
{
    const Graph& g = r.g;
    nlohmann::json nodes = nlohmann::json::array();
    for (std::size_t i = 0; i < g.size(); ++i) {
        const Node n = g.node(i);
        std::vector<std::size_t> inputs;
        for (Node in : g.inputs(n)) {
            inputs.push_back(in.index);
        }
        nodes.push_back({{"index", i},
                         {"name", g.name(n)},
                         {"made_by", made_by(g, n)},
                         {"inputs", inputs},
                         {"value", book::to_json(g.value(n))},
                         {"grad", g.needs_grad(n) ? book::to_json(g.grad(n)) : nlohmann::json(nullptr)}});
    }
    nlohmann::json agreements = nlohmann::json::object();
    for (const Agreement& a : r.agreements) {
        agreements[a.what] = a.difference;
    }
    return {{"program", "ch09_graphs"},
            {"seed", o.seed},
            {"sizes", r.ex.net.sizes},
            {"activation", backprop::name_of(o.sigma)},
            {"loss", backprop::name_of(r.ex.loss)},
            {"nodes", nodes},
            {"output", r.G.J.index},
            {"largest_relative_difference_from_backward", r.largest},
            {"differences_from_backward", agreements}};
}

// --- The gate patterns and the fan-out.

struct Gates {
    Graph g;      // f = 2 (x y + max(z, w))
    Node x, y, z, w, f;
    Graph fan;    // J = x y + x: x used twice
    Node fx, fy, fJ;
};

Gates gates()
{
    Gates r;
    //! [gates]
    Graph& g = r.g;
    r.x = g.parameter(Matrix{{3.0}}, "x");
    r.y = g.parameter(Matrix{{-4.0}}, "y");
    r.z = g.parameter(Matrix{{2.0}}, "z");
    r.w = g.parameter(Matrix{{-1.0}}, "w");
    const Node xy = g.apply(ops::hadamard, r.x, r.y, "xy");      // multiply
    const Node m = g.apply(ops::maximum, r.z, r.w, "max(z,w)");  // max
    const Node s = g.apply(ops::add, xy, m, "s");                // add
    const Node two = g.constant(Matrix{{2.0}}, "2");
    r.f = g.apply(ops::hadamard, s, two, "f");
    g.backward(r.f);
    //! [gates]
    //! [fan_out]
    Graph& fan = r.fan;
    r.fx = fan.parameter(Matrix{{3.0}}, "x");
    r.fy = fan.parameter(Matrix{{-4.0}}, "y");
    const Node product = fan.apply(ops::hadamard, r.fx, r.fy, "xy");
    r.fJ = fan.apply(ops::add, product, r.fx, "J");  // x is used twice
    fan.backward(r.fJ);
    //! [fan_out]
    return r;
}

double scalar(const Matrix& M) { return M(0, 0); }

std::string gates_text(const Gates& r)
{
    const Graph& g = r.g;
    const auto val = [&](Node n) { return num(scalar(g.value(n))); };
    const auto grad = [&](Node n) { return num(scalar(g.grad(n))); };
    const std::vector<Node> nodes = g.inputs(r.f);
    const Node s = nodes[0];
    const Node xy = g.inputs(s)[0], m = g.inputs(s)[1];
    std::ostringstream out;
    out << "The three gates: f = 2 (x y + max(z, w)) at x = " << val(r.x) << ", y = " << val(r.y) << ", z = " << val(r.z)
        << ", w = " << val(r.w) << "\n\n"
        << "  node        value    \u2202f/\u2202node\n";
    for (Node n : g.topological_order(r.f)) {
        out << "  " << pad(g.name(n), 10) << pad_left(val(n), 7) << "  "
            << pad_left(g.needs_grad(n) ? grad(n) : std::string("-"), 9) << "\n";
    }
    out << "\nadd      s = xy + max(z,w):  both inputs get \u2202f/\u2202s = " << grad(s) << " unchanged ("
        << grad(xy) << " and " << grad(m) << ")\n"
        << "max      max(z, w) = " << val(m) << ":  the larger input, z, gets all " << grad(m) << " (" << grad(r.z)
        << "); w gets " << grad(r.w) << "\n"
        << "multiply xy = " << val(xy) << ":  each input gets the other's value times " << grad(xy) << ":\n"
        << "         \u2202f/\u2202x = y \u00b7 " << grad(xy) << " = " << grad(r.x) << ",  \u2202f/\u2202y = x \u00b7 "
        << grad(xy) << " = " << grad(r.y) << "\n";

    const Graph& fan = r.fan;
    const Node product = fan.inputs(r.fJ)[0];
    const double through_product = scalar(fan.grad(product)) * scalar(fan.value(r.fy));
    const double through_sum = scalar(fan.grad(r.fJ));
    out << "\nFan-out: J = x y + x at x = " << num(scalar(fan.value(r.fx))) << ", y = " << num(scalar(fan.value(r.fy)))
        << ", J = " << num(scalar(fan.value(r.fJ))) << "\n"
        << "  x reaches J twice: through the product, share \u2202J/\u2202(xy) \u00b7 y = " << num(through_product)
        << ",\n  and straight into the sum, share " << num(through_sum) << ".\n"
        << "  backward() adds both: \u2202J/\u2202x = " << num(scalar(fan.grad(r.fx))) << " (= y + 1); \u2202J/\u2202y = "
        << num(scalar(fan.grad(r.fy))) << " (= x)\n";
    return out.str();
}

nlohmann::json gates_json(const Gates& r)
{
    const auto nodes = [](const Graph& g, Node out) {
        nlohmann::json j = nlohmann::json::array();
        for (Node n : g.topological_order(out)) {
            j.push_back({{"name", g.name(n)},
                         {"value", scalar(g.value(n))},
                         {"grad", g.needs_grad(n) ? nlohmann::json(scalar(g.grad(n))) : nlohmann::json(nullptr)}});
        }
        return j;
    };
    return {{"program", "ch09_graphs"}, {"section", "gates"}, {"gates", nodes(r.g, r.f)}, {"fan_out", nodes(r.fan, r.fJ)}};
}

// --- Gradient checks: the running example, random graphs, and wrong local backwards.

struct Worst {
    double error = 0.0;
    std::string graph;      // the random graph's description
    std::string tensor;     // the parameter
    double analytic = 0.0, numeric = 0.0, J = 0.0;
};

struct Mutant {
    std::string what;
    double error = 0.0;     // the largest relative error of the check
    double correct = 0.0;   // the same graph with the right operation
};

struct CheckResults {
    double running = 0.0;                 // the running example's graph
    std::size_t graphs = 0, params = 0, entries = 0;
    std::map<std::string, std::size_t> uses;  // how many graphs use each operation
    Worst worst;
    double forward_mode = 0.0;            // the largest forward/reverse difference
    std::string example;                  // the first graph's description
    std::vector<Mutant> mutants;
};

// Wrong local backwards: a multiply gate that does not swap, a product that assigns its
// gradients instead of adding them.
void hadamard_no_swap(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    if (gA != nullptr) *gA += g * A;  // should be g (.) B
    if (gB != nullptr) *gB += g * B;  // should be g (.) A
}

void matmul_assigning(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    if (gA != nullptr) backprop::matmul_into(g, false, B, true, *gA);  // = where += belongs
    if (gB != nullptr) backprop::matmul_into(A, true, g, false, *gB);
}

// The worst error of the check of J = sum(tanh(W2 tanh(W1 x))) with W2 = W1 (shared), or
// of sum(tanh(a (.) b)), with the operation given.
double mutant_check(const backprop::Operation& op, bool product, std::uint64_t seed)
{
    backprop::Random rng(seed);
    Graph g;
    Node J;
    if (product) {
        const Node a = g.parameter(rng.uniform_matrix(3, 2, -1, 1), "a");
        const Node b = g.parameter(rng.uniform_matrix(3, 2, -1, 1), "b");
        J = g.apply(ops::sum, g.apply(ops::tanh, g.apply(op, a, b)));
    } else {
        const Node W = g.parameter(rng.uniform_matrix(3, 3, -1, 1), "W");
        const Node x = g.constant(rng.uniform_matrix(3, 2, -1, 1), "x");
        const Node h = g.apply(ops::tanh, g.apply(op, W, x));
        J = g.apply(ops::sum, g.apply(ops::tanh, g.apply(op, W, h)));  // W again
    }
    return backprop::check_graph_gradients(g, J).worst().max_relative_error;
}

CheckResults check_results(const Options& o)
{
    CheckResults r;
    {
        GraphResults run = graph_results(o);
        r.running = backprop::check_graph_gradients(run.g, run.G.J).worst().max_relative_error;
    }
    //! [random_graphs]
    std::uint64_t seed = 1;
    for (std::size_t k = 0; k < o.graphs; ++k) {
        backprop::RandomGraph rg = backprop::random_graph(seed);
        seed = rg.seed + 1;  // the next graph starts after this one's seed
        const backprop::NetworkCheck check =
            backprop::check_graph_gradients(rg.graph, rg.output);
        //! [random_graphs]
        const backprop::GradientReport& worst = check.worst();
        if (k == 0) {
            r.example = rg.description;
        }
        std::map<std::string, bool> seen;
        for (std::size_t i = 0; i < rg.graph.size(); ++i) {
            const backprop::Operation* op = rg.graph.operation(rg.graph.node(i));
            if (op != nullptr && !seen[op->name]) {
                seen[op->name] = true;
                ++r.uses[op->name];
            }
        }
        ++r.graphs;
        for (Node p : rg.graph.parameters()) {
            ++r.params;
            r.entries += rg.graph.value(p).size();
            const Matrix forward = backprop::forward_mode_gradient(rg.graph, rg.output, p);
            r.forward_mode = std::max(
                r.forward_mode, backprop::compare_gradients("", forward, rg.graph.grad(p)).max_relative_error);
        }
        if (worst.max_relative_error > r.worst.error || k == 0) {
            r.worst = {worst.max_relative_error, rg.description, worst.name, worst.analytic, worst.numeric,
                       rg.graph.value(rg.output)(0, 0)};
        }
    }

    //! [mutants]
    backprop::Operation no_swap = ops::hadamard;
    no_swap.backward = hadamard_no_swap;  // grad_A += grad_C (.) A: no swap
    backprop::Operation assigning = ops::matmul;
    assigning.backward = matmul_assigning;  // grad_W = ..., not +=
    //! [mutants]
    r.mutants.push_back({"a multiply gate, no swap: grad_A += grad_C \u2299 A",
                         mutant_check(no_swap, true, 4), mutant_check(ops::hadamard, true, 4)});
    r.mutants.push_back({"a product that assigns, W used twice: grad_W = grad_C B\u1d40",
                         mutant_check(assigning, false, 6), mutant_check(ops::matmul, false, 6)});
    return r;
}

std::string check_text(const CheckResults& r)
{
    std::ostringstream out;
    out << "Gradient checks of whole graphs (backprop::check_graph_gradients: every entry of\n"
        << "every parameter moved in turn, J recomputed, central differences refined by\n"
        << "Richardson with step h = " << backprop::gradcheck_step << "; relative error |a \u2212 n| / max(|a|, |n|, "
        << backprop::gradcheck_tiny << "))\n\n"
        << "The running example's graph: largest relative error " << num(r.running, 2) << "\n\n"
        << r.graphs << " random graphs (backprop::random_graph, seeds from 1): " << r.params
        << " parameter tensors,\n" << r.entries << " entries in all.\n"
        << "Each has a weight W0 shared by two layers and a skip connection\n"
        << "s = h2 + x, which the layered network of chapters 4 to 7 cannot express.\n"
        << "The first:\n\n";
    std::istringstream lines(r.example);
    std::string line;
    while (std::getline(lines, line)) {
        out << "  " << line << "\n";
    }
    out << "\nGraphs that use each operation:\n";
    std::string row = " ";
    for (const auto& [name, count] : r.uses) {
        const std::string cell = " " + name + " " + std::to_string(count);
        if (book::display_width(row + cell) > 78) {
            out << row << "\n";
            row = " ";
        }
        row += cell;
    }
    out << row << "\n\n"
        << "Largest relative error over all of them: " << num(r.worst.error, 2) << "; below 1e-7: "
        << (r.worst.error < bar ? "yes" : "NO") << "\n"
        << "  in " << r.worst.tensor << ": analytic " << num(r.worst.analytic, 10) << ", numeric "
        << num(r.worst.numeric, 10) << ",\n  |a \u2212 n| = "
        << num(std::abs(r.worst.analytic - r.worst.numeric), 2) << "\n";
    const double rounding = std::numeric_limits<double>::epsilon() * std::abs(r.worst.J) / backprop::gradcheck_step;
    out << "  the numeric derivative's own rounding error there is about \u03b5 J / h = " << num(rounding, 2) << "\n"
        << "Forward mode (one pass per entry) against reverse mode on the same graphs:\n"
        << "largest relative difference " << num(r.forward_mode, 2) << "\n\n"
        << "Deliberately wrong local backwards, checked the same way:\n\n"
        << "  " << pad("the mistake", 56) << pad_left("error", 6) << pad_left("right", 9) << "\n";
    for (const Mutant& m : r.mutants) {
        out << "  " << pad(m.what, 56) << pad_left(num(m.error, 2), 6) << pad_left(num(m.correct, 2), 9) << "\n";
    }
    bool caught = true;
    for (const Mutant& m : r.mutants) {
        caught = caught && m.error >= bar && m.correct < bar;
    }
    out << "Each mistake fails the check, and the right operation passes it: "
        << (caught ? "yes" : "NO") << "\n";
    return out.str();
}

nlohmann::json check_json(const CheckResults& r)
{
    nlohmann::json mutants = nlohmann::json::array();
    for (const Mutant& m : r.mutants) {
        mutants.push_back({{"mistake", m.what}, {"largest_relative_error", m.error}, {"correct", m.correct}});
    }
    return {{"program", "ch09_graphs"},
            {"section", "check"},
            {"running_example", r.running},
            {"random_graphs", r.graphs},
            {"largest_relative_error", r.worst.error},
            {"forward_mode_difference", r.forward_mode},
            {"operations", r.uses},
            {"mutants", mutants}};
}

// --- Softmax and the categorical cross-entropy.

struct SoftmaxResults {
    std::int64_t seed = 0;
    Matrix z, a;                   // a small column
    Matrix z_large, a_large;       // a column that would overflow e^z
    Matrix z_far, y_far;           // the target's output far below the other
    double loss_logits = 0.0, loss_clipped = 0.0;
    backprop::Network net;         // 2-3-3, sigmoid hidden layer, softmax output
    Matrix x, y;
    backprop::ForwardPass pass;
    Matrix delta;                  // from backprop::backward: a - y
    Matrix dz_two_nodes, dz_fused, dz_numeric, dz_wrong;
    double err_two = 0.0, err_fused = 0.0, err_delta = 0.0, err_wrong = 0.0;
    double check = 0.0;            // the whole network's gradient check
};

SoftmaxResults softmax_results(std::int64_t seed)
{
    SoftmaxResults r;
    r.seed = seed;
    r.z = Matrix{{1.0}, {2.0}, {3.0}};
    r.a = backprop::softmax(r.z);
    r.z_large = Matrix{{1000.0}, {0.0}, {-1000.0}};
    r.a_large = backprop::softmax(r.z_large);
    r.z_far = Matrix{{0.0}, {-800.0}};
    r.y_far = Matrix{{0.0}, {1.0}};
    r.loss_logits = backprop::softmax_cross_entropy(r.z_far, r.y_far);
    r.loss_clipped = backprop::loss_value(Loss::categorical_cross_entropy, backprop::softmax(r.z_far), r.y_far);

    const Loss loss = Loss::categorical_cross_entropy;
    r.net = backprop::make_network({2, 3, 3}, Activation::sigmoid, Activation::softmax,
                                   static_cast<std::uint64_t>(seed));
    r.x = Matrix{{0.8}, {0.2}};
    r.y = Matrix{{1.0}, {0.0}, {0.0}};
    r.pass = backprop::forward(r.net, r.x);
    //! [softmax_delta]
    const backprop::Gradients grads =
        backprop::backward(r.net, r.pass, r.y, loss);  // delta^[2] = a - y
    // The same error on the engine, from the two nodes a = softmax(z) and
    // J = -sum y ln a, and from the one fused node of the logits z:
    Graph two, fused;
    const Node z2 = two.parameter(r.pass.z[2], "z");
    const Node a2 = two.apply(ops::softmax, z2);
    two.backward(two.apply(ops::categorical_cross_entropy, a2,
                           two.constant(r.y, "y")));
    const Node zf = fused.parameter(r.pass.z[2], "z");
    fused.backward(fused.apply(ops::softmax_cross_entropy, zf,
                               fused.constant(r.y, "y")));
    //! [softmax_delta]
    r.delta = grads.delta[2];
    r.dz_two_nodes = two.grad(z2);
    r.dz_fused = fused.grad(zf);
    Matrix z = r.pass.z[2];
    r.dz_numeric = backprop::numeric_gradient(
        [&] { return backprop::loss_value(loss, backprop::softmax(z), r.y); }, z);
    // The mistake: a sigmoid's sigma' = a (1 - a) applied entry by entry to a softmax.
    const Matrix& a = r.pass.output();
    r.dz_wrong = backprop::loss_gradient(loss, a, r.y) * a * (1.0 - a);
    const auto err = [&](const Matrix& M) {
        return backprop::compare_gradients("dJ/dz", M, r.dz_numeric).max_relative_error;
    };
    r.err_delta = err(r.delta);
    r.err_two = err(r.dz_two_nodes);
    r.err_fused = err(r.dz_fused);
    r.err_wrong = err(r.dz_wrong);
    backprop::Network moved = r.net;
    r.check = backprop::check_network_gradients(moved, backprop::loss_function(moved, r.x, r.y, loss), grads)
                  .worst()
                  .max_relative_error;
    return r;
}

std::string softmax_text(const SoftmaxResults& r)
{
    std::ostringstream out;
    out << "Softmax: a_j = e^{z_j} / \u03a3_k e^{z_k}, computed as\n"
        << "e^{z_j \u2212 c} / \u03a3_k e^{z_k \u2212 c} with c = max_k z_k\n\n"
        << book::show("z", r.z) << book::show("softmax(z)", r.a)
        << "sum of the column = " << num(xt::sum(r.a)(), 17) << " (1, to rounding)\n\n"
        << "Where e^z overflows (e^1000 is infinite in double precision), the shift\n"
        << "keeps it finite:\n"
        << book::show("z", r.z_large) << book::show("softmax(z)", r.a_large) << "\n"
        << "The categorical cross-entropy \u2212\u03a3 y_j ln a_j of z = (0, \u2212800) with target (0, 1):\n"
        << "  from the logits by log-sum-exp (backprop::softmax_cross_entropy): " << num(r.loss_logits, 10) << "\n"
        << "  from a = softmax(z), where a_2 = e^\u2212800 / (1 + e^\u2212800) rounds to 0 and ln is\n"
        << "  clipped at 1e-15 (loss_value): " << num(r.loss_clipped, 10) << "\n\n";
    out << "The output error after a softmax output with the categorical cross-entropy:\n"
        << "a 2-3-3 network from seed " << r.seed << " (a sigmoid hidden layer, the running example's\n"
        << "W^[1] and b^[1]; three softmax outputs), x = (0.8, 0.2), target y = (1, 0, 0):\n\n"
        << book::show("z^[2]", r.pass.z[2]) << book::show("a^[2]", r.pass.output()) << book::show("y", r.y)
        << "sum of a^[2] = " << num(xt::sum(r.pass.output())(), 17) << "\n\n"
        << "\u2202J/\u2202z^[2] four ways, each against the numeric derivative:\n\n"
        << "  " << pad("", 44) << pad_left("relative error", 15) << "\n"
        << "  " << pad("\u03b4^[2] of backprop::backward, a \u2212 y", 44) << pad_left(num(r.err_delta, 2), 15) << "\n"
        << "  " << pad("the engine, softmax node then \u2212\u03a3 y ln a node", 44) << pad_left(num(r.err_two, 2), 15)
        << "\n"
        << "  " << pad("the engine, one fused node of the logits", 44) << pad_left(num(r.err_fused, 2), 15) << "\n"
        << "  " << pad("wrong: (\u2212y/a) \u2299 a(1 \u2212 a), as if entry by entry", 44)
        << pad_left(num(r.err_wrong, 2), 15) << "\n\n"
        << book::show("a \u2212 y", r.delta) << book::show("numeric", r.dz_numeric)
        << book::show("wrong", r.dz_wrong) << "\n"
        << "Gradient check of every weight and bias of this network:\n"
        << "largest relative error " << num(r.check, 2) << "; below 1e-7: " << (r.check < bar ? "yes" : "NO") << "\n";
    return out.str();
}

nlohmann::json softmax_json(const SoftmaxResults& r)
{
    return {{"program", "ch09_graphs"},
            {"section", "softmax"},
            {"z", book::to_json(r.z)},
            {"softmax", book::to_json(r.a)},
            {"loss_from_logits", r.loss_logits},
            {"loss_clipped", r.loss_clipped},
            {"a", book::to_json(r.pass.output())},
            {"y", book::to_json(r.y)},
            {"delta", book::to_json(r.delta)},
            {"numeric", book::to_json(r.dz_numeric)},
            {"entry_by_entry", book::to_json(r.dz_wrong)},
            {"errors", {{"a_minus_y", r.err_delta}, {"two_nodes", r.err_two}, {"fused", r.err_fused},
                        {"entry_by_entry", r.err_wrong}}},
            {"network_check", r.check}};
}

// --- Forward mode against reverse mode, measured.

using Clock = std::chrono::steady_clock;

// Seconds per call of f, the mean over n calls.
double seconds_per_call(const std::function<void()>& f, std::size_t n)
{
    const auto start = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
        f();
    }
    return std::chrono::duration<double>(Clock::now() - start).count() / static_cast<double>(n);
}

// How many calls of f last at least `seconds`.
std::size_t calls_lasting(const std::function<void()>& f, double seconds)
{
    std::size_t n = 1;
    while (seconds_per_call(f, n) * static_cast<double>(n) < seconds && n < (1u << 20)) {
        n *= 2;
    }
    return n;
}

// The median and the quartiles of a set of measurements.
struct Spread {
    double median = 0.0, q1 = 0.0, q3 = 0.0;
};

Spread spread_of(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return {v[n / 2], v[n / 4], v[(3 * n) / 4]};
}

// f and g timed in turns, `repeat` times each (every measurement the mean of enough
// calls to last `window` seconds), so that both see the same load: the time of each, and
// the ratio g / f of each pair.
struct Pair {
    Spread f, g, ratio;
};

Pair time_pair(const std::function<void()>& f, const std::function<void()>& g, std::size_t repeat, double window)
{
    const std::size_t nf = calls_lasting(f, window), ng = calls_lasting(g, window);
    std::vector<double> tf, tg, ratio;
    for (std::size_t k = 0; k < repeat; ++k) {
        tf.push_back(seconds_per_call(f, nf));
        tg.push_back(seconds_per_call(g, ng));
        ratio.push_back(tg.back() / tf.back());
    }
    return {spread_of(tf), spread_of(tg), spread_of(ratio)};
}

struct ModeRow {
    std::size_t width = 0, params = 0;
    Pair modes;               // f: reverse mode, g: forward mode (the engine)
    double difference = 0.0;  // forward mode's gradients against reverse mode's
};

struct CostRow {
    std::size_t width = 0, params = 0;
    Pair engine, library;     // f: a forward pass, g: a backward pass
};

struct ModesResults {
    std::vector<ModeRow> modes;
    std::vector<CostRow> costs;
    std::size_t mode_batch = 8, cost_batch = 64, repeat = 0;
    int threads = 0;
};

const std::vector<std::size_t> mode_widths = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32};
const std::vector<std::size_t> cost_widths = {4, 16, 64, 256};
constexpr double window = 5e-3;  // the shortest measurement, in seconds

// The n-n-n network, tanh in both layers, on a graph with a batch of m samples and the
// quadratic loss.
struct Timed {
    backprop::Network net;
    Matrix x, y;
    Graph g;
    backprop::NetworkGraph G;
    std::size_t params = 0;
};

Timed timed_network(std::size_t n, std::size_t m)
{
    Timed t;
    t.net = backprop::make_network({n, n, n}, Activation::tanh, Activation::tanh, 1);
    backprop::Random rng(2);
    t.x = rng.uniform_matrix(n, m, 0.0, 1.0);
    t.y = rng.uniform_matrix(n, m, -1.0, 1.0);
    t.G = backprop::network_graph(t.g, t.net, t.x, t.y, Loss::quadratic);
    for (Node p : t.g.parameters()) {
        t.params += t.g.value(p).size();
    }
    return t;
}

ModeRow mode_row(std::size_t n, std::size_t m, std::size_t repeat)
{
    Timed t = timed_network(n, m);
    Graph& g = t.g;
    const Node J = t.G.J;
    const std::vector<Node> params = g.parameters();
    //! [modes]
    // Reverse mode: one forward pass, one backward pass, every gradient.
    const auto reverse = [&] {
        g.forward();
        g.zero_grad();
        g.backward(J);
    };
    // Forward mode: the forward pass, then one tangent pass per parameter.
    std::vector<Matrix> forward_grads(params.size());
    const auto forward_mode = [&] {
        g.forward();
        for (std::size_t k = 0; k < params.size(); ++k) {
            forward_grads[k] = backprop::forward_mode_gradient(g, J, params[k]);
        }
    };
    //! [modes]
    ModeRow row{n, t.params, time_pair(reverse, forward_mode, repeat, window), 0.0};
    for (std::size_t k = 0; k < params.size(); ++k) {
        row.difference = std::max(
            row.difference, backprop::compare_gradients("", forward_grads[k], g.grad(params[k])).max_relative_error);
    }
    return row;
}

CostRow cost_row(std::size_t n, std::size_t m, std::size_t repeat)
{
    Timed t = timed_network(n, m);
    Graph& g = t.g;
    CostRow row{n, t.params, {}, {}};
    row.engine = time_pair([&] { g.forward(); }, [&] { g.zero_grad(); g.backward(t.G.J); }, repeat, window);
    backprop::ForwardPass pass;
    backprop::Gradients grads;
    backprop::forward_into(t.net, t.x, pass);
    row.library = time_pair([&] { backprop::forward_into(t.net, t.x, pass); },
                            [&] { backprop::backward_into(t.net, pass, t.y, Loss::quadratic, grads); }, repeat,
                            window);
    return row;
}

// The text run measures both tables; the figures run only what the plot shows.
ModesResults modes_results(const Options& o, bool costs)
{
    ModesResults r;
    r.repeat = o.repeat;
    r.threads = book::blas_threads();
    for (std::size_t n : mode_widths) {
        r.modes.push_back(mode_row(n, r.mode_batch, o.repeat));
    }
    for (std::size_t n : costs ? cost_widths : std::vector<std::size_t>{}) {
        r.costs.push_back(cost_row(n, r.cost_batch, o.repeat));
    }
    return r;
}

// Microseconds, to three digits or to the unit.
std::string us(double seconds)
{
    const double t = seconds * 1e6;
    return t >= 1000.0 ? std::to_string(std::llround(t)) : num(t, 3);
}

// A ratio whose quartiles differ by more than this factor was measured on a busy machine.
constexpr double noisy = 2.0;

bool is_noisy(const Spread& s) { return s.q3 > noisy * s.q1; }

// A ratio with two significant digits, or to the unit from 100 on.
std::string ratio_number(double x) { return x >= 100.0 ? std::to_string(std::llround(x)) : num(x, 2); }

// "2.1 (1.9–2.3)": the median and the quartiles, with a * if they are far apart.
std::string spread(const Spread& s)
{
    return ratio_number(s.median) + " (" + ratio_number(s.q1) + "\u2013" + ratio_number(s.q3) + ")" +
           (is_noisy(s) ? " *" : "");
}

std::string noise_note(std::size_t count)
{
    return count == 0 ? std::string("No ratio's quartiles differ by more than a factor of 2.\n")
                      : "* " + std::to_string(count) +
                            " ratio(s) whose quartiles differ by more than a factor of 2: the\n"
                            "  machine was busy while they were measured, and they mean little.\n";
}

std::string modes_text(const ModesResults& r)
{
    std::ostringstream out;
    out << "Forward mode against reverse mode, on the engine\n\n"
        << "Networks n-n-n (tanh, quadratic loss), a batch of " << r.mode_batch << " samples. Reverse mode:\n"
        << "one forward and one backward pass give the gradients of all P parameters.\n"
        << "Forward mode: one forward pass, then one tangent pass per parameter entry.\n"
        << "The two are timed in turns, " << r.repeat << " times each (each time the mean of enough\n"
        << "calls to last 5 ms); times are medians in \u03bcs, the ratio is the median of the\n"
        << "pairs' ratios with its quartiles. OpenBLAS threads: " << r.threads << ".\n\n"
        << "   n      P     passes   forward mode   reverse mode   forward / reverse\n";
    for (const ModeRow& row : r.modes) {
        out << "  " << pad_left(std::to_string(row.width), 2) << pad_left(std::to_string(row.params), 7)
            << pad_left(std::to_string(row.params + 1) + " / 2", 11) << pad_left(us(row.modes.g.median), 15)
            << pad_left(us(row.modes.f.median), 15) << "   " << spread(row.modes.ratio) << "\n";
    }
    std::size_t faster_up_to = 0, first_slower = 0;
    for (const ModeRow& row : r.modes) {
        if (first_slower == 0 && row.modes.ratio.median <= 1.0) {
            faster_up_to = row.params;
        } else if (first_slower == 0) {
            first_slower = row.params;
        }
    }
    out << "\nCrossover: ";
    if (faster_up_to == 0) {
        out << "forward mode was slower at every size, from P = " << r.modes.front().params << " on.\n";
    } else if (first_slower == 0) {
        out << "forward mode was at least as fast at every size measured.\n";
    } else {
        out << "forward mode was at least as fast up to P = " << faster_up_to << ", reverse mode\n"
            << "faster from P = " << first_slower << " on.\n";
    }
    double difference = 0.0;
    std::size_t noisy_modes = 0;
    for (const ModeRow& row : r.modes) {
        difference = std::max(difference, row.difference);
        noisy_modes += is_noisy(row.modes.ratio) ? 1 : 0;
    }
    out << noise_note(noisy_modes)
        << "The two modes' gradients agree to a relative difference of " << num(difference, 2) << ".\n";
    if (r.costs.empty()) {
        return out.str();
    }
    out << "\nThe cost of one backward pass in forward passes: n-n-n networks, a batch of\n"
        << r.cost_batch << ", each pair timed in turns as above; times in \u03bcs.\n\n"
        << "             engine                            library\n"
        << "     n  forward backward  ratio             forward backward  ratio\n";
    for (const CostRow& row : r.costs) {
        out << "  " << pad_left(std::to_string(row.width), 4) << pad_left(us(row.engine.f.median), 9)
            << pad_left(us(row.engine.g.median), 9) << "  " << pad(spread(row.engine.ratio), 16)
            << pad_left(us(row.library.f.median), 8) << pad_left(us(row.library.g.median), 9) << "  "
            << spread(row.library.ratio) << "\n";
    }
    std::size_t noisy_costs = 0;
    for (const CostRow& row : r.costs) {
        noisy_costs += (is_noisy(row.engine.ratio) ? 1 : 0) + (is_noisy(row.library.ratio) ? 1 : 0);
    }
    const CostRow& last = r.costs.back();
    out << noise_note(noisy_costs) << "\nAt n = " << last.width << " (P = " << last.params << ") a backward pass cost "
        << num(last.engine.ratio.median, 2) << " forward passes on the\nengine and "
        << num(last.library.ratio.median, 2) << " in the layered library.\n";
    return out.str();
}

nlohmann::json spread_json(const Spread& s) { return {{"median", s.median}, {"q1", s.q1}, {"q3", s.q3}}; }

nlohmann::json pair_json(const Pair& p, const char* f, const char* g)
{
    return {{std::string(f) + "_seconds", spread_json(p.f)},
            {std::string(g) + "_seconds", spread_json(p.g)},
            {"ratio", spread_json(p.ratio)}};
}

nlohmann::json modes_json(const ModesResults& r)
{
    nlohmann::json modes = nlohmann::json::array(), costs = nlohmann::json::array();
    for (const ModeRow& row : r.modes) {
        modes.push_back({{"n", row.width},
                         {"parameters", row.params},
                         {"timing", pair_json(row.modes, "reverse_mode", "forward_mode")},
                         {"largest_difference", row.difference}});
    }
    for (const CostRow& row : r.costs) {
        costs.push_back({{"n", row.width},
                         {"parameters", row.params},
                         {"engine", pair_json(row.engine, "forward", "backward")},
                         {"library", pair_json(row.library, "forward", "backward")}});
    }
    return {{"program", "ch09_graphs"}, {"section", "modes"}, {"mode_batch", r.mode_batch},
            {"cost_batch", r.cost_batch}, {"repeat", r.repeat}, {"blas_threads", r.threads},
            {"modes", modes},             {"costs", costs}};
}

// --- The size of delta^[l] through ten layers.

struct Series {
    Activation sigma;
    bool scaled = false;        // Glorot (sigmoid, tanh) or He (ReLU) instead of U(-1, 1)
    double range = 1.0;         // the weights are uniform in [-range, range)
    std::vector<double> norm;   // ||delta^[l]|| for l = 1..L (index l - 1)
};

struct VanishingResults {
    std::size_t width = 32, layers = 10, batch = 64;
    std::vector<Series> series;
};

std::string init_name(const Series& s)
{
    if (!s.scaled) return "U(\u22121,1)";
    return s.sigma == Activation::relu ? "He" : "Glorot";
}

//! [initialise]
// The 10-layer network of width n: sigma in layers 1..9, identity output,
// weights uniform in [-r, r), biases 0. r = 1 (plain), or Glorot's
// sqrt(6 / (n + n)) for sigmoid and tanh, He's sqrt(6 / n) for ReLU.
backprop::Network deep_network(std::size_t n, std::size_t L, Activation sigma,
                               double r, std::uint64_t seed)
{
    backprop::Network net = backprop::make_network(
        std::vector<std::size_t>(L + 1, n), sigma, Activation::identity, seed);
    backprop::Random rng(seed);
    for (std::size_t l = 1; l <= L; ++l) {
        net.W[l] = rng.uniform_matrix(n, n, -r, r);
        net.b[l].fill(0.0);
    }
    return net;
}
//! [initialise]

//! [delta_norms]
// ||delta^[l]|| for l = 1..L (index l - 1) by chapter 6's backward pass:
// the root mean square over the m samples of each sample's norm.
std::vector<double> delta_norms(const backprop::Network& net, const Matrix& x,
                                const Matrix& y)
{
    const std::vector<Matrix> delta = backprop::backward_deltas(
        net, backprop::forward(net, x), y, Loss::quadratic);
    std::vector<double> norms;
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        const double sum_of_squares = xt::sum(delta[l] * delta[l])();
        norms.push_back(std::sqrt(sum_of_squares / double(x.shape(1))));
    }
    return norms;
}
//! [delta_norms]

VanishingResults vanishing_results()
{
    VanishingResults r;
    const std::size_t n = r.width, L = r.layers, m = r.batch;
    backprop::Random rng(3);  // the samples, and targets in the identity output's range
    const Matrix x = rng.uniform_matrix(n, m, -1.0, 1.0);
    const Matrix y = rng.uniform_matrix(n, m, -1.0, 1.0);
    for (Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
        for (bool scaled : {false, true}) {
            Series s{sigma, scaled, 1.0, {}};
            const double fan = sigma == Activation::relu ? double(n) : double(n + n);
            s.range = scaled ? std::sqrt(6.0 / fan) : 1.0;
            s.norm = delta_norms(deep_network(n, L, sigma, s.range, 5), x, y);
            r.series.push_back(s);
        }
    }
    return r;
}

std::string vanishing_text(const VanishingResults& r)
{
    std::ostringstream out;
    out << "\u2016\u03b4^[l]\u2016 through " << r.layers << " layers of width " << r.width
        << " (identity output, quadratic loss,\n" << r.batch
        << " samples uniform in [\u22121, 1)): the root mean square over the samples\n"
        << "of each sample's \u2016\u03b4^[l]\u2016\n\n"
        << "  layer";
    for (const Series& s : r.series) {
        out << pad_left(backprop::name_of(s.sigma), 11);
    }
    out << "\n       ";
    for (const Series& s : r.series) {
        out << pad_left(init_name(s), 11);
    }
    out << "\n";
    for (std::size_t l = r.layers; l >= 1; --l) {
        out << "  " << pad_left(std::to_string(l), 5);
        for (const Series& s : r.series) {
            out << pad_left(num(s.norm[l - 1], 3), 11);
        }
        out << "\n";
    }
    out << "\n  ratio  ";
    for (const Series& s : r.series) {
        out << pad_left(num(s.norm.front() / s.norm.back(), 3), 11);
    }
    out << "\n  (\u2016\u03b4^[1]\u2016 / \u2016\u03b4^[" << r.layers << "]\u2016)\n\n"
        << "The weights are uniform in [\u2212r, r), the biases 0:\n";
    for (const Series& s : r.series) {
        out << "  " << pad(backprop::name_of(s.sigma) + ", " + init_name(s), 18) << "r = " << num(s.range, 3) << "\n";
    }
    return out.str();
}

nlohmann::json vanishing_json(const VanishingResults& r)
{
    nlohmann::json series = nlohmann::json::array();
    for (const Series& s : r.series) {
        series.push_back({{"activation", backprop::name_of(s.sigma)}, {"initialisation", init_name(s)},
                          {"range", s.range}, {"delta_norms", s.norm}});
    }
    return {{"program", "ch09_graphs"}, {"section", "vanishing"}, {"width", r.width},
            {"layers", r.layers},        {"batch", r.batch},          {"series", series}};
}

// --- Everything the chapter shows, computed once; what a section does not show is left empty.

struct Results {
    Options options;
    GraphResults graph;
    Gates gates;
    CheckResults check;
    SoftmaxResults softmax;
    ModesResults modes;
    VanishingResults vanishing;
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    const bool all = !o.figures.empty();
    if (all || o.section == Section::graph) r.graph = graph_results(o);
    if (all || o.section == Section::gates) r.gates = gates();
    if (o.section == Section::check) r.check = check_results(o);
    if (o.section == Section::softmax) r.softmax = softmax_results(o.seed);
    if (all || o.section == Section::modes) r.modes = modes_results(o, !all);
    if (all || o.section == Section::vanishing) r.vanishing = vanishing_results();
    return r;
}

std::vector<book::FileText> figures(const Results& r)
{
    const std::string& dir = r.options.figures;
    book::GraphDrawOptions graph_options;
    graph_options.title = "The running example as a graph: each node's value and \u2202J/\u2202node";
    book::GraphDrawOptions gate_options;
    gate_options.left_to_right = true;
    gate_options.title = "f = 2 (x y + max(z, w)): add, max and multiply";
    book::GraphDrawOptions fan_options = gate_options;
    fan_options.title = "J = x y + x: x is used twice, and its gradient is the sum";
    std::vector<std::vector<double>> modes;
    for (const ModeRow& row : r.modes.modes) {
        const Pair& t = row.modes;
        modes.push_back({double(row.params), t.g.median, t.f.median, t.ratio.median, t.ratio.q1, t.ratio.q3,
                         double(row.params + 1), 2.0});
    }
    std::vector<std::vector<double>> vanishing;
    for (std::size_t l = 1; l <= r.vanishing.layers; ++l) {
        std::vector<double> line = {double(l)};
        for (const Series& s : r.vanishing.series) {
            line.push_back(s.norm[l - 1]);
        }
        vanishing.push_back(line);
    }
    std::vector<std::string> columns = {"layer"};
    for (const Series& s : r.vanishing.series) {
        columns.push_back(backprop::name_of(s.sigma) + "_" + (s.scaled ? "scaled" : "plain"));
    }
    return {{book::join_path(dir, "ch09_graphs.graph.dot"), book::draw_graph(r.graph.g, r.graph.G.J, graph_options)},
            {book::join_path(dir, "ch09_graphs.gates.dot"), book::draw_graph(r.gates.g, r.gates.f, gate_options)},
            {book::join_path(dir, "ch09_graphs.fanout.dot"), book::draw_graph(r.gates.fan, r.gates.fJ, fan_options)},
            {book::join_path(dir, "ch09_graphs.modes.tsv"),
             book::tsv({"parameters", "forward_mode_seconds", "reverse_mode_seconds", "ratio", "ratio_q1", "ratio_q3",
                        "forward_passes", "reverse_passes"},
                       modes)},
            {book::join_path(dir, "ch09_graphs.vanishing.tsv"), book::tsv(columns, vanishing)}};
}

nlohmann::json json(const Results& r)
{
    switch (r.options.section) {
    case Section::graph: return graph_json(r.graph, r.options);
    case Section::gates: return gates_json(r.gates);
    case Section::check: return check_json(r.check);
    case Section::softmax: return softmax_json(r.softmax);
    case Section::modes: return modes_json(r.modes);
    case Section::vanishing: return vanishing_json(r.vanishing);
    }
    return {};
}

std::string text(const Results& r)
{
    switch (r.options.section) {
    case Section::graph: return graph_text(r.graph, r.options);
    case Section::gates: return gates_text(r.gates);
    case Section::check: return check_text(r.check);
    case Section::softmax: return softmax_text(r.softmax);
    case Section::modes: return modes_text(r.modes);
    case Section::vanishing: return vanishing_text(r.vanishing);
    }
    return "";
}

std::string name_of(Section s)
{
    for (const auto& [name, section] : section_names) {
        if (section == s) return name;
    }
    return "";
}

void declare_flags(book::Program& program, Options& o)
{
    CLI::App& app = program.app;
    std::vector<std::string> names;
    for (const auto& [name, section] : section_names) {
        names.push_back(name);
    }
    app.add_option_function<std::string>(
           "--section",
           [&o](const std::string& name) {
               for (const auto& [n, section] : section_names) {
                   o.section = n == name ? section : o.section;
               }
           },
           "What to show: graph (the running example as a graph, agreeing with chapters 5-7), gates (add, "
           "max, multiply and the fan-out), check (gradient checks of random graphs and of wrong local "
           "backwards), softmax (softmax, the categorical cross-entropy and delta = a - y), modes (forward "
           "against reverse mode, timed), vanishing (||delta^[l]|| through ten layers)")
        ->check(book::not_empty())
        ->check(CLI::IsMember(names))
        ->default_str("graph");
    book::add_sizes(app, o.sizes, sizes_limits,
                    "Layer sizes n_0,...,n_L of the graph section: 2 to 4 sizes, each from 1 to 5 (other than "
                    "2,3,2 the samples and one-hot targets are drawn from the seed)");
    book::add_activation(app, o.sigma, "Activation of every layer of the graph section", "--activation",
                         {Activation::sigmoid, Activation::tanh, Activation::relu});
    book::add_loss(app, o.loss, "The loss of the graph section (cross-entropy needs --activation sigmoid)");
    book::require_compatible_after_parsing(program, o.loss, o.sigma, "--activation");
    program.whole("--batch", o.batch, 1, 8, "Samples of the graph section, 1 to 8 (above 1 drawn from the seed)");
    program.whole("--graphs", o.graphs, 1, 5000, "Random graphs of the check section, 1 to 5000");
    program.whole("--repeat", o.repeat, 3, 101, "Measurements per timing of the modes section, 3 to 101");
    program.output_directory("--figures", o.figures,
                             "Write the figures (ch09_graphs.graph.dot, gates.dot, fanout.dot, modes.tsv, "
                             "vanishing.tsv) into this existing directory instead of the text")
        ->excludes("--json")
        ->excludes("--section");
    // A flag that changes one section is refused with --section of another.
    program.after_parsing([&app, &o] {
        const std::vector<std::pair<std::string, Section>> changes = {
            {"--seed", Section::graph},     {"--sizes", Section::graph},  {"--activation", Section::graph},
            {"--loss", Section::graph},     {"--batch", Section::graph},  {"--graphs", Section::check},
            {"--repeat", Section::modes}};
        for (const auto& [flag, section] : changes) {
            const bool seed_of_softmax = flag == "--seed" && o.section == Section::softmax;
            if (app.count(flag) > 0 && o.section != section && !seed_of_softmax && o.figures.empty()) {
                throw book::BadInput(flag + ": it changes only the " + name_of(section) +
                                     " section, which --section " + name_of(o.section) + " does not print");
            }
        }
    });
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program(
        "ch09_graphs",
        "Chapter 9: backpropagation on any graph. The running example built as a computational graph on a "
        "reverse-mode engine, agreeing with chapters 5 to 7; the add, max and multiply gates and a node used "
        "twice; gradient checks of random graphs and of wrong local backwards; softmax with the categorical "
        "cross-entropy; forward mode against reverse mode, measured; and ||delta^[l]|| through ten layers.");
    Options o;
    declare_flags(program, o);

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

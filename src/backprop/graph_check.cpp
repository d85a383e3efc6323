#include "backprop/graph_check.hpp"

#include <stdexcept>
#include <vector>

#include "backprop/random.hpp"

namespace backprop {

//! [check_graph_gradients]
NetworkCheck check_graph_gradients(Graph& graph, Node output, double h)
{
    graph.zero_grad();
    graph.backward(output);
    const auto J = [&graph, output] {
        graph.forward();  // after one entry of a leaf has moved
        return graph.value(output)(0, 0);
    };
    NetworkCheck check;
    for (Node p : graph.parameters()) {
        check.numeric.push_back(numeric_gradient(J, graph.leaf_value(p), h));
        check.reports.push_back(compare_gradients(graph.name(p), graph.grad(p),
                                                  check.numeric.back()));
    }
    graph.forward();  // every entry is back: the values of the unmoved graph
    return check;
}
//! [check_graph_gradients]

namespace {

// Draws one graph from seed; see random_graph().
RandomGraph draw_graph(std::uint64_t seed)
{
    Random rng(seed);
    RandomGraph r;
    r.seed = seed;
    Graph& g = r.graph;
    const std::size_t n = 2 + rng.below(3), m = 1 + rng.below(3);
    const auto matrix = [&](std::size_t rows, std::size_t cols, double lo, double hi) {
        return rng.uniform_matrix(rows, cols, lo, hi);
    };
    const auto line = [&](const std::string& text) { r.description += text + "\n"; };
    line("x: (" + std::to_string(n) + ", " + std::to_string(m) + "), W0, W1: (" + std::to_string(n) + ", " +
         std::to_string(n) + "), b0, b1: (" + std::to_string(n) + ", 1)");

    const Node x = g.constant(matrix(n, m, -1.0, 1.0), "x");
    const std::vector<Node> W = {g.parameter(matrix(n, n, -1.0, 1.0), "W0"),
                                 g.parameter(matrix(n, n, -1.0, 1.0), "W1")};
    const std::vector<Node> b = {g.parameter(matrix(n, 1, -0.5, 0.5), "b0"),
                                 g.parameter(matrix(n, 1, -0.5, 0.5), "b1")};
    const std::vector<Activation> activations = {Activation::sigmoid, Activation::tanh, Activation::relu,
                                                 Activation::identity};
    std::vector<Node> pool = {x};
    std::vector<std::string> names = {"x"};
    const auto add = [&](Node node, const std::string& name, const std::string& formula) {
        pool.push_back(node);
        names.push_back(name);
        line(name + " = " + formula);
    };
    const auto layer = [&](std::size_t w, std::size_t k, std::size_t from, const std::string& name) {
        const Activation sigma = activations[rng.below(activations.size())];
        const Node Wa = g.apply(ops::matmul, W[w], pool[from]);
        const Node z = g.apply(ops::add_bias, Wa, b[k]);
        add(g.apply(activation_operation(sigma), z, name), name,
            name_of(sigma) + "(W" + std::to_string(w) + " " + names[from] + " + b" + std::to_string(k) + ")");
    };
    layer(0, 0, 0, "h1");  // W0 ...
    layer(0, 1, 1, "h2");  // ... used twice: a shared weight
    add(g.apply(ops::add, pool[2], pool[0], "s"), "s", "h2 + x  (a skip connection)");

    const std::size_t steps = 2 + rng.below(3);
    for (std::size_t step = 0; step < steps; ++step) {
        const std::string name = "h" + std::to_string(pool.size());
        const std::size_t p = rng.below(pool.size()), q = rng.below(pool.size());
        switch (rng.below(5)) {
        case 0: layer(rng.below(2), rng.below(2), p, name); break;
        case 1: add(g.apply(ops::add, pool[p], pool[q], name), name, names[p] + " + " + names[q]); break;
        case 2: add(g.apply(ops::hadamard, pool[p], pool[q], name), name, names[p] + " \u2299 " + names[q]); break;
        case 3: add(g.apply(ops::maximum, pool[p], pool[q], name), name, "max(" + names[p] + ", " + names[q] + ")");
            break;
        default: add(g.apply(ops::softmax, pool[p], name), name, "softmax(" + names[p] + ")"); break;
        }
    }

    const Node last = pool.back();
    std::uint64_t ending = rng.below(5);
    if (ending == 1 && (m > 1 || g.operation(last)->forward == ops::softmax.forward)) {
        // The L1 loss's signs can cancel a gradient to exactly 0 (over the columns of a
        // batch, or over outputs that sum to 1), which a numeric derivative meets only to
        // its rounding error, about 1e-13: the quadratic loss instead.
        ending = 0;
    }
    Matrix one_hot = xt::zeros<double>({n, m});
    for (std::size_t i = 0; i < m; ++i) {
        one_hot(rng.below(n), i) = 1.0;
    }
    switch (ending) {
    case 0:
        r.output = g.apply(ops::quadratic, last, g.constant(matrix(n, m, -1.0, 1.0), "y"), "J");
        line("J = quadratic loss of " + names.back());
        break;
    case 1:
        r.output = g.apply(ops::l1, last, g.constant(matrix(n, m, -1.0, 1.0), "y"), "J");
        line("J = L1 loss of " + names.back());
        break;
    case 2:
        r.output = g.apply(ops::cross_entropy, g.apply(ops::sigmoid, last), g.constant(matrix(n, m, 0.0, 1.0), "y"),
                           "J");
        line("J = cross-entropy loss of sigmoid(" + names.back() + ")");
        break;
    case 3:
        r.output = g.apply(ops::softmax_cross_entropy, last, g.constant(one_hot, "y"), "J");
        line("J = softmax cross-entropy of " + names.back() + " (one-hot y)");
        break;
    default:
        r.output = g.apply(ops::categorical_cross_entropy, g.apply(ops::softmax, last), g.constant(one_hot, "y"), "J");
        line("J = categorical cross-entropy of softmax(" + names.back() + ") (one-hot y)");
        break;
    }
    return r;
}

}  // namespace

RandomGraph random_graph(std::uint64_t seed, double margin)
{
    for (std::uint64_t s = seed; s < seed + 1000; ++s) {
        RandomGraph r = draw_graph(s);
        if (r.graph.distance_to_kink() >= margin) {
            return r;
        }
    }
    throw std::runtime_error("random_graph: 1000 seeds from " + std::to_string(seed) + " all lie within " +
                             std::to_string(margin) + " of a kink");
}

}  // namespace backprop

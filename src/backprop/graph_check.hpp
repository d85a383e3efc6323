/// \file graph_check.hpp
/// \brief The gradient check of a whole Graph, and random graphs to run it on: graphs
/// with shared weights, skip connections and every operation of the engine.
/// \see ch09_graphs
#pragma once

#include <cstdint>
#include <string>

#include "backprop/gradcheck.hpp"
#include "backprop/graph.hpp"

namespace backprop {

/// The gradient check of every parameter of \p graph: zero_grad(), backward() from
/// \p output, then for each parameter, in the order of the tape, numeric_gradient() of
/// the output's value with step \p h (each entry moved and restored exactly, forward()
/// at every move) and its comparison with the gradient. The reports are named by the
/// parameters' names. The graph's values are recomputed at the end, so it is left as
/// it was found, its gradients those of one backward().
/// \throws std::invalid_argument unless \p output has shape \f$ (1, 1) \f$
/// \see ch09_graphs
NetworkCheck check_graph_gradients(Graph& graph, Node output, double h = gradcheck_step);

/// A graph drawn at random by random_graph().
struct RandomGraph {
    Graph graph;              ///< the graph
    Node output;              ///< its scalar output \f$ J \f$, shape \f$ (1, 1) \f$
    std::string description;  ///< what was built, one line per node, e.g. `"h1 = tanh(W0 x + b0)"`
    std::uint64_t seed = 0;   ///< the seed that drew it (the first one far enough from every kink)
};

/// A random graph over \f$ (n, m) \f$ matrices, \f$ n \f$ from 2 to 4 and \f$ m \f$ from 1 to 3,
/// that the layered library of chapters 4 to 7 cannot express: two layers
/// \f$ h_1 = \sigma(W_0 x + b_0) \f$ and \f$ h_2 = \sigma(W_0 h_1 + b_1) \f$ that **share** the weight
/// \f$ W_0 \f$, a **skip connection** \f$ s = h_2 + x \f$, then two to four random steps (a layer,
/// a sum, a Hadamard product, a max, a softmax) on earlier nodes, sometimes the same
/// node twice, and a random loss (L1, quadratic, cross-entropy after a sigmoid, softmax
/// cross-entropy, or the categorical cross-entropy after a softmax; L1 only for one
/// sample and not right after a softmax, where its signs often cancel a gradient to
/// exactly 0, which a numeric derivative meets only to its rounding error). Activations
/// are drawn from sigmoid, tanh, ReLU and identity.
///
/// Seeds are tried from \p seed on (seed, seed + 1, ...) until the graph's inputs are at
/// least \p margin from every kink (Graph::distance_to_kink()), so a numeric gradient
/// with a step much smaller than \p margin is valid.
/// \throws std::runtime_error if 1000 seeds in a row fall nearer
/// \see ch09_graphs
RandomGraph random_graph(std::uint64_t seed, double margin = 0.05);

}  // namespace backprop

/// \file draw_graph.hpp
/// \brief Graphviz drawings of a computational graph (backprop::Graph) after a backward
/// pass: one box per node with its value and its gradient, like micrograd's `draw_dot`,
/// but drawn from the C++ engine's own tape. \see ch09_graphs
#pragma once

#include <string>

#include "backprop/graph.hpp"

namespace book {

/// What draw_graph() draws besides the nodes.
struct GraphDrawOptions {
    std::string title;            ///< a caption above the picture; empty for none
    int digits = 4;               ///< significant digits of every number drawn
    bool left_to_right = false;   ///< lay the graph out from left to right instead of top down
    bool show_gradients = true;   ///< draw each gradient under its value (after a backward())
};

/// The DOT text of the nodes that \p output depends on, in \p graph's tape order. Each
/// node is one box: its name (`W^[1]` drawn as W<sup>[1]</sup>), the operation that made it
/// (or *parameter* / *constant*), its shape (unless \f$ (1, 1) \f$), its value and, for a node that needs one, its
/// gradient \f$ \partial J / \partial v \f$, each matrix one line per row. Arrows run from a
/// node's inputs to it, labelled with the input's place (1 or 2) where an operation has
/// two, so that a node used twice shows two arrows. Parameters are blue, constants grey,
/// the output orange; gradients are printed in red. Render the text with `dot -Tsvg`.
/// \throws std::out_of_range if \p output is not a node of \p graph
/// \throws std::invalid_argument if `options.digits` is not from 1 to 17
std::string draw_graph(const backprop::Graph& graph, backprop::Node output, const GraphDrawOptions& options = {});

}  // namespace book

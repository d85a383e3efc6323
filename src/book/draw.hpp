/// \file draw.hpp
/// \brief Graphviz drawings of a network with the values of a forward pass on it.
///
/// draw_network() returns the DOT text of a left-to-right picture of a fully connected
/// network: one box per layer, holding one box per neuron (its bias \f$ b \f$, and with a
/// forward pass its \f$ z \f$ and \f$ a \f$), one arrow per weight labelled
/// \f$ w_{jk} = \f$ its value (the layer \f$ l \f$ of \f$ w^{[l]}_{jk} \f$ is the box the arrow
/// enters), the inputs \f$ x_k \f$ on the left and, when a target is given, the loss on the
/// right. DrawOptions adds what the backward walk needs: lines in chosen neurons (e.g.
/// \f$ \delta \f$ values), drawn large for the numbers a step computes; text on chosen edges;
/// highlighted neurons and edges; and edges that point backwards, the way an error flows.
/// The text is at least 12 pt and the ground white, so the picture stays legible shown at
/// its natural size, on a dark page, or opened on its own. Render it with `dot -Tsvg`.
/// \see ch04_forward
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace book {

/// Neuron \p index (0-based, row \p index of \f$ a^{[l]} \f$) of layer \p layer
/// (0 is the input). The drawing numbers neurons from 1, like the text:
/// NeuronId{1, 0} is drawn as "neuron 1" of layer 1, whose values are \f$ z^{[1]}_1 \f$ and
/// \f$ a^{[1]}_1 \f$.
struct NeuronId {
    std::size_t layer = 0;  ///< \f$ l \f$, 0 for the input
    std::size_t index = 0;  ///< the row, 0-based

    /// Ordering for std::map and std::set.
    friend bool operator<(const NeuronId& p, const NeuronId& q)
    {
        return std::tie(p.layer, p.index) < std::tie(q.layer, q.index);
    }
};

/// The edge of weight \f$ w^{[l]}_{jk} \f$, entry `W[l](j, k)` (0-based): from neuron
/// \p k of layer \f$ l-1 \f$ to neuron \p j of layer \f$ l \f$.
struct EdgeId {
    std::size_t layer = 1;  ///< \f$ l \ge 1 \f$
    std::size_t j = 0;      ///< the neuron of layer \f$ l \f$ (row of \f$ W^{[l]} \f$), 0-based
    std::size_t k = 0;      ///< the neuron of layer \f$ l-1 \f$ (column of \f$ W^{[l]} \f$), 0-based

    /// Ordering for std::map and std::set.
    friend bool operator<(const EdgeId& p, const EdgeId& q)
    {
        return std::tie(p.layer, p.j, p.k) < std::tie(q.layer, q.j, q.k);
    }
};

/// Which way a drawing's arrows point.
enum class Flow {
    forward,  ///< every edge points to the layer it feeds: the forward pass
    /// The backward walk: the edges in DrawOptions::error_edges and the edges from the
    /// outputs to the loss point back, towards the input, the way the error flows; the
    /// other edges have no arrowheads.
    backward
};

/// What draw_network() draws besides the network itself. Every member has a default,
/// so `DrawOptions{}` draws the parameters and, given a pass, its \f$ z \f$ and \f$ a \f$.
struct DrawOptions {
    std::string title;            ///< a caption above the picture, plain text; empty for none
    int digits = 4;               ///< significant digits of every number drawn
    std::size_t column = 0;       ///< which sample (column) of the forward pass to show
    bool show_values = true;      ///< each neuron shows its \f$ b \f$ and, with a pass, \f$ z \f$ and \f$ a \f$
    bool show_weights = true;     ///< label every edge with its weight \f$ w^{[l]}_{jk} \f$
    /// Draw the edges into neuron \f$ j \f$ of each layer, and their labels, in the
    /// \f$ j \f$-th of a few colours, so each label is easy to match with its edge; set false
    /// for plain grey edges (e.g. to make highlighted edges stand out).
    bool color_edges = true;
    Flow flow = Flow::forward;    ///< which way the arrows point

    /// The target \f$ y \f$, shape \f$ (n_L, m) \f$, or null. When set, each output is
    /// joined to a loss box and the edge is labelled with its target \f$ y_j \f$.
    const backprop::Matrix* target = nullptr;
    /// The loss shown in the loss box (with #target), e.g. the value of loss_value().
    double loss = 0.0;
    /// The loss box's first line, e.g. `"L1 loss"`; the box is drawn only when #target is set.
    std::string loss_label = "loss";
    /// Draw the edges from the outputs to the loss in #highlight_color.
    bool highlight_loss_edges = false;

    /// Extra lines drawn at the bottom of a neuron's box, e.g. `{"δ = 0.12"}`.
    std::map<NeuronId, std::vector<std::string>> neuron_notes;
    /// Lines drawn under the notes, large, bold and in #highlight_color: the numbers the
    /// figure's step computes in that neuron.
    std::map<NeuronId, std::vector<std::string>> neuron_results;
    /// Extra text on an edge's label (under its weight, if #show_weights).
    std::map<EdgeId, std::string> edge_notes;
    /// Neurons drawn with a thick border in #highlight_color.
    std::set<NeuronId> highlighted_neurons;
    /// Edges drawn thick in #highlight_color.
    std::set<EdgeId> highlighted_edges;
    /// Edges an error flows back along: drawn thick in #highlight_color and, with
    /// Flow::backward, pointing back from layer \f$ l \f$ to layer \f$ l-1 \f$.
    std::set<EdgeId> error_edges;
    /// The colour of highlighted neurons and edges (any Graphviz colour).
    std::string highlight_color = "#d62728";
};

/// The DOT text of a left-to-right drawing of \p net. With \p pass (may be null), each
/// neuron shows its \f$ z^{[l]}_j \f$ and \f$ a^{[l]}_j \f$ for sample `options.column`, and
/// the inputs show \f$ a^{[0]} \f$; without it only the parameters are drawn.
/// Node names are stable, `n<l>_<j>` with \f$ j \f$ counted from 1 (`n1_3` is
/// \f$ a^{[1]}_3 \f$), and the loss box is `loss`, so a caller may add to the text. Each edge
/// is written `n<l-1>_<k> -> n<l>_<j>` on a line of its own, whatever way its arrow points.
/// \throws std::invalid_argument if \p net is inconsistent, \p pass does not fit it,
///         `options.column` is out of range, or a note or highlight names a neuron or
///         edge that does not exist
std::string draw_network(const backprop::Network& net, const backprop::ForwardPass* pass,
                         const DrawOptions& options = {});

/// \p n in Unicode subscript digits, as the drawings write indices: 12 gives "₁₂", so
/// `"w" + subscript(1) + subscript(2)` is \f$ w_{12} \f$.
std::string subscript(std::size_t n);

/// The index pair \p j, \p k in subscript digits: "₁₂" for 1, 2 (the subscript of
/// \f$ w_{12} \f$), "₁₀,₃" when either has two digits.
std::string subscript(std::size_t j, std::size_t k);

}  // namespace book

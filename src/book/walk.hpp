/// \file walk.hpp
/// \brief The backward walk: the figures that carry the error backwards through the
/// network one step at a time, then turn it into gradients, drawn with the real numbers
/// of a forward pass.
///
/// backward_walk() returns the figures in order. The first shows the output layer's error
/// \f$ \delta^{[L]} = \nabla_a \ell \odot \sigma'(z^{[L]}) \f$, each output neuron with its three
/// factors. Then, for each hidden layer \f$ l = L-1, \dots, 1 \f$ and each neuron \f$ j \f$ of it,
/// one figure shows the error flowing back into \f$ j \f$ along the weights
/// \f$ w^{[l+1]}_{kj} \f$ from every neuron \f$ k \f$ of layer \f$ l+1 \f$ (those edges pointing back,
/// labelled \f$ w_{kj} \delta_k \f$) and the resulting \f$ \delta^{[l]}_j \f$; a last figure per
/// layer shows the whole \f$ \delta^{[l]} \f$. Each figure keeps the errors found so far, so the
/// walk fills the network in from right to left. Last, for each layer \f$ l = L, \dots, 1 \f$,
/// one figure shows its gradients \f$ \partial \ell / \partial w^{[l]}_{jk} = \delta^{[l]}_j a^{[l-1]}_k \f$
/// on the edges and \f$ \partial \ell / \partial b^{[l]}_j = \delta^{[l]}_j \f$ in the neurons.
/// In every figure the step's own numbers are large and red; the rest is grey.
/// \see ch05_output_delta \see ch06_hidden_delta \see ch07_updates
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"
#include "book/draw.hpp"

namespace book {

/// What a figure of the walk shows.
enum class WalkStep {
    output_layer,    ///< \f$ \delta^{[L]} \f$ of every output neuron
    hidden_neuron,   ///< \f$ \delta^{[l]}_j \f$ of one hidden neuron, from the errors of layer \f$ l+1 \f$
    hidden_layer,    ///< the whole \f$ \delta^{[l]} \f$ of a hidden layer
    layer_gradients  ///< \f$ \partial \ell / \partial W^{[l]} \f$ and \f$ \partial \ell / \partial b^{[l]} \f$ of one layer
};

/// One figure of the backward walk.
struct WalkFigure {
    std::string name;     ///< stable name, `walk1`, `walk2`, ...: a program writes it as `chNN_slug.<name>.dot`
    std::string caption;  ///< one short sentence for the page, in plain text (no numbers)
    std::string dot;      ///< the Graphviz DOT text, from draw_network()
    WalkStep step = WalkStep::output_layer;  ///< what the figure shows
    std::size_t layer = 0;   ///< the layer \f$ l \f$ whose error or gradients it computes
    std::size_t neuron = 0;  ///< for WalkStep::hidden_neuron, the neuron \f$ j \f$ (0-based); else 0
};

/// How to draw the walk.
struct WalkOptions {
    std::size_t column = 0;  ///< which sample (column) of the forward pass to show
    int digits = 4;          ///< significant digits of every number drawn
    /// The loss box's label; empty for `"L1 loss"`, `"quadratic loss"` or `"cross-entropy loss"`.
    std::string loss_label;
    /// The colour of the step each figure acts on (the rest is grey).
    std::string highlight_color = "#d62728";
};

/// The number of figures backward_walk() returns for layer sizes \f$ n_0, \dots, n_L \f$:
/// \f$ 1 + \sum_{l=1}^{L-1} (n_l + 1) + L \f$, so 7 for the running example's 2, 3, 2.
/// \throws std::invalid_argument for fewer than two sizes
std::size_t walk_length(const std::vector<std::size_t>& sizes);

/// The figures of the backward walk of \p net for the sample `options.column` of \p pass,
/// in order (see the file's description). The errors are computed by
/// backprop::output_delta() and backprop::hidden_delta(), the gradients of the sample by
/// backprop::weight_gradient() and backprop::bias_gradient(); every number is drawn with
/// `options.digits` significant digits. There are walk_length() figures, named `walk1`,
/// `walk2`, ... in order.
/// \param pass the forward pass of \p net, shapes \f$ (n_l, m) \f$
/// \param y    the targets, shape \f$ (n_L, m) \f$
/// \throws std::invalid_argument (or backprop::ShapeError) if the pass or the targets do not
///         fit the network, the column is out of range, or \p loss cannot follow the output
///         activation
/// \see ch05_output_delta \see ch06_hidden_delta \see ch07_updates
std::vector<WalkFigure> backward_walk(const backprop::Network& net, const backprop::ForwardPass& pass,
                                      const backprop::Matrix& y, backprop::Loss loss,
                                      const WalkOptions& options = {});

}  // namespace book

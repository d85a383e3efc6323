/// \file neuron.hpp
/// \brief One neuron: the weighted sum of the previous layer's outputs plus a bias,
/// through an activation. It is one row of the layer form in network.hpp, and is
/// computed by it. \see ch03_neuron
#pragma once

#include <cstddef>

#include "backprop/activation.hpp"
#include "backprop/matrix.hpp"

namespace backprop {

/// What neuron \f$ j \f$ of layer \f$ l \f$ computes for one sample.
struct NeuronOutput {
    double z;  ///< the weighted input \f$ z_j^{[l]} \f$
    double a;  ///< the activation \f$ a_j^{[l]} = \sigma(z_j^{[l]}) \f$
};

/// The weights into neuron \p j of a layer: row \p j of \f$ W^{[l]} \f$, the entries
/// \f$ w_{j1}^{[l]}, \dots, w_{jn}^{[l]} \f$ with \f$ n = n_{l-1} \f$. The row is counted
/// from 0 as in the code, so the text's neuron \f$ j \f$ is row \f$ j - 1 \f$.
/// \param W shape \f$ (n_l, n_{l-1}) \f$
/// \returns shape \f$ (1, n_{l-1}) \f$
/// \throws std::out_of_range if \p j is not a row of \p W
/// \see ch03_neuron
Matrix weight_row(const Matrix& W, std::size_t j);

/// The weighted input of one neuron \f$ j \f$ of layer \f$ l \f$:
/// \f$ z_j^{[l]} = \sum_k w_{jk}^{[l]} a_k^{[l-1]} + b_j^{[l]} \f$.
/// It is the layer form \f$ z = W a_{\mathrm{prev}} + b \f$ of weighted_input() with
/// \f$ W \f$ one row, and is computed by calling it.
/// \param w_row  the neuron's weights, shape \f$ (1, n_{l-1}) \f$ (see weight_row())
/// \param b_j    the neuron's bias \f$ b_j^{[l]} \f$
/// \param a_prev the previous layer's outputs \f$ a^{[l-1]} \f$, shape \f$ (n_{l-1}, 1) \f$
/// \throws ShapeError naming the shapes unless \p w_row is one row and \p a_prev one
///         column of the same length
/// \see ch03_neuron
double neuron_weighted_input(const Matrix& w_row, double b_j, const Matrix& a_prev);

/// One neuron's forward step: \f$ z_j^{[l]} \f$ by neuron_weighted_input(), then
/// \f$ a_j^{[l]} = \sigma(z_j^{[l]}) \f$ by activate(). Shapes as in neuron_weighted_input().
/// \see ch03_neuron
NeuronOutput neuron_forward(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev);

}  // namespace backprop

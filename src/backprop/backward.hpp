/// \file backward.hpp
/// \brief The error \f$ \delta^{[l]} = \partial \ell / \partial z^{[l]} \f$ of the output
/// layer and of the hidden layers. \see ch05_output_delta \see ch06_hidden_delta
#pragma once

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

#include <vector>

namespace backprop {

/// The output layer's error, written into \p delta:
/// \f$ \delta^{[L]} = \nabla_a \ell \odot \sigma'(z^{[L]}) \f$, one column per sample.
///
/// For the cross-entropy loss after a sigmoid output the two factors cancel to
/// \f$ \delta^{[L]} = a^{[L]} - y \f$, which is what is computed then: it is exact even
/// where the sigmoid saturates and \f$ \sigma'(z) \f$ rounds to 0. After a softmax output,
/// whose loss is the categorical cross-entropy (require_compatible()), the error is
/// \f$ \delta^{[L]} = a^{[L]} - y \f$ too, for targets whose columns sum to 1 (\ref ch09_graphs).
///
/// \param z     \f$ z^{[L]} \f$, shape \f$ (n_L, m) \f$
/// \param a     \f$ a^{[L]} = \sigma(z^{[L]}) \f$, shape \f$ (n_L, m) \f$
/// \param y     the targets, shape \f$ (n_L, m) \f$
/// \param delta resized to \f$ (n_L, m) \f$ if needed
/// \throws ShapeError if the shapes differ
/// \throws std::invalid_argument if \p loss cannot follow \p sigma (see require_compatible())
/// \see ch05_output_delta
void output_delta_into(Loss loss, Activation sigma, const Matrix& z, const Matrix& a,
                       const Matrix& y, Matrix& delta);

/// \f$ \delta^{[L]} = \nabla_a \ell \odot \sigma'(z^{[L]}) \f$, shape \f$ (n_L, m) \f$; see
/// output_delta_into(). \see ch05_output_delta
Matrix output_delta(Loss loss, Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y);

/// A hidden layer's error from the next layer's, written into \p delta:
/// \f$ \delta^{[l]} = \left(W^{[l+1]\top} \delta^{[l+1]}\right) \odot \sigma'(z^{[l]}) \f$.
/// The shapes are \f$ (n_l, n_{l+1}) \cdot (n_{l+1}, m) \odot (n_l, m) \f$.
///
/// \param W_next     \f$ W^{[l+1]} \f$, shape \f$ (n_{l+1}, n_l) \f$ (transposed here)
/// \param delta_next \f$ \delta^{[l+1]} \f$, shape \f$ (n_{l+1}, m) \f$
/// \param sigma      the activation of layer \f$ l \f$
/// \param z          \f$ z^{[l]} \f$, shape \f$ (n_l, m) \f$
/// \param delta      resized to \f$ (n_l, m) \f$ if needed
/// \throws ShapeError naming the shapes if they do not fit
/// \see ch06_hidden_delta
void hidden_delta_into(const Matrix& W_next, const Matrix& delta_next, Activation sigma,
                       const Matrix& z, Matrix& delta);

/// \f$ \delta^{[l]} = \left(W^{[l+1]\top} \delta^{[l+1]}\right) \odot \sigma'(z^{[l]}) \f$, shape
/// \f$ (n_l, m) \f$; see hidden_delta_into(). \see ch06_hidden_delta
Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma,
                    const Matrix& z);

/// The errors of every layer of a batch, written into \p delta (indexed like the text,
/// `delta[0]` unused): \f$ \delta^{[L]} \f$ by output_delta_into(), then \f$ \delta^{[l]} \f$ by
/// hidden_delta_into() for \f$ l = L-1, \dots, 1 \f$, each from the one after it.
/// \param pass the forward pass of \p net on the batch
/// \param y    the targets, shape \f$ (n_L, m) \f$
/// \param delta resized to \f$ L + 1 \f$ entries; `delta[l]` has shape \f$ (n_l, m) \f$
/// \throws ShapeError if \p y does not fit the output
/// \see ch06_hidden_delta
void backward_deltas_into(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss,
                          std::vector<Matrix>& delta);

/// The errors \f$ \delta^{[l]} \f$, \f$ l = 1..L \f$ (index 0 unused); see backward_deltas_into().
/// \see ch06_hidden_delta
std::vector<Matrix> backward_deltas(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss);

}  // namespace backprop

/// \file gradients.hpp
/// \brief The gradients of the loss with respect to every weight and bias, and the full
/// backward pass. \see ch07_updates
#pragma once

#include <vector>

#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// The bias gradient of a layer, written into \p grad_b: for one sample
/// \f$ \partial \ell / \partial b^{[l]} = \delta^{[l]} \f$; for a batch of \f$ m \f$ columns the
/// mean, \f$ \partial J / \partial b^{[l]} = \frac1m \sum_i \delta^{[l]}_{:,i} \f$.
/// \param delta  \f$ \delta^{[l]} \f$, shape \f$ (n_l, m) \f$
/// \param grad_b resized to \f$ (n_l, 1) \f$ if needed
/// \see ch07_updates
void bias_gradient_into(const Matrix& delta, Matrix& grad_b);

/// \f$ \partial J / \partial b^{[l]} = \frac1m \sum_i \delta^{[l]}_{:,i} \f$, shape \f$ (n_l, 1) \f$.
/// \see ch07_updates
Matrix bias_gradient(const Matrix& delta);

/// The weight gradient of a layer, written into \p grad_W: for one sample
/// \f$ \partial \ell / \partial W^{[l]} = \delta^{[l]} a^{[l-1]\top} \f$; for a batch the mean,
/// \f$ \partial J / \partial W^{[l]} = \frac1m \delta^{[l]} a^{[l-1]\top} \f$.
/// The shapes are \f$ (n_l, m) \cdot (m, n_{l-1}) = (n_l, n_{l-1}) \f$, the shape of \f$ W^{[l]} \f$.
/// \param delta  \f$ \delta^{[l]} \f$, shape \f$ (n_l, m) \f$
/// \param a_prev \f$ a^{[l-1]} \f$, shape \f$ (n_{l-1}, m) \f$
/// \param grad_W resized to \f$ (n_l, n_{l-1}) \f$ if needed
/// \throws ShapeError if the batch sizes differ
/// \see ch07_updates
void weight_gradient_into(const Matrix& delta, const Matrix& a_prev, Matrix& grad_W);

/// \f$ \partial J / \partial W^{[l]} = \frac1m \delta^{[l]} a^{[l-1]\top} \f$, shape
/// \f$ (n_l, n_{l-1}) \f$. \see ch07_updates
Matrix weight_gradient(const Matrix& delta, const Matrix& a_prev);

/// Everything the backward pass computes, indexed like the text (index 0 unused):
/// `delta[l]` = \f$ \delta^{[l]} \f$, `grad_W[l]` = \f$ \partial J / \partial W^{[l]} \f$,
/// `grad_b[l]` = \f$ \partial J / \partial b^{[l]} \f$.
struct Gradients {
    std::vector<Matrix> delta;   ///< \f$ \delta^{[l]} \f$, shape \f$ (n_l, m) \f$
    std::vector<Matrix> grad_W;  ///< \f$ \partial J / \partial W^{[l]} \f$, shape \f$ (n_l, n_{l-1}) \f$
    std::vector<Matrix> grad_b;  ///< \f$ \partial J / \partial b^{[l]} \f$, shape \f$ (n_l, 1) \f$
};

/// The backward pass, written into \p grads (its buffers are reused when the shapes
/// fit): output_delta() for layer \f$ L \f$, hidden_delta() for \f$ l = L-1, \dots, 1 \f$, and
/// bias_gradient() and weight_gradient() for every layer, for the loss
/// \f$ J \f$ of the batch that \p pass was computed for.
/// \param pass the forward pass of \p net on the batch
/// \param y    the targets, shape \f$ (n_L, m) \f$
/// \throws ShapeError if \p y does not fit the output
/// \see ch07_updates
void backward_into(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss,
                   Gradients& grads);

/// The backward pass; see backward_into(). \see ch07_updates
Gradients backward(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss);

}  // namespace backprop

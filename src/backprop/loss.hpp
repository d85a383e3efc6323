/// \file loss.hpp
/// \brief Loss functions: their value and their gradient with respect to the output
/// \f$ a = a^{[L]} \f$. \see ch04_forward
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/matrix.hpp"

namespace backprop {

/// Which loss compares the output \f$ a \f$ with the target \f$ y \f$.
enum class Loss {
    l1,            ///< \f$ \ell = \sum_j |a_j - y_j| \f$, the source's \f$ |\hat y - y| \f$
    quadratic,     ///< \f$ \ell = \tfrac12 \sum_j (a_j - y_j)^2 \f$
    cross_entropy, ///< \f$ \ell = -\sum_j \left[y_j \ln a_j + (1 - y_j)\ln(1 - a_j)\right] \f$
    /// \f$ \ell = -\sum_j y_j \ln a_j \f$, after a softmax output (\ref ch09_graphs)
    categorical_cross_entropy
};

/// The loss called \p name: `l1`, `quadratic`, `cross-entropy` or
/// `categorical-cross-entropy`.
/// \throws std::invalid_argument naming \p name and the valid names otherwise
Loss loss_from_name(const std::string& name);

/// The name of \p loss, as loss_from_name() accepts it.
std::string name_of(Loss loss);

/// The losses of \ref ch04_forward, in the order it introduces them: every loss but the
/// categorical cross-entropy, which only follows a softmax output.
std::vector<Loss> all_losses();

/// Throws std::invalid_argument if \p loss cannot follow an output layer with
/// activation \p output. The rules:
/// - cross-entropy takes \f$ \ln a \f$ and \f$ \ln(1 - a) \f$, so it needs outputs in
///   \f$ (0, 1) \f$, i.e. a sigmoid output layer (\ref ch04_forward);
/// - a softmax output layer goes with the categorical cross-entropy and that loss with a
///   softmax output, nothing else: softmax has no \f$ \sigma'(z) \f$ entry by entry, and
///   for this pair alone the output error is simply \f$ \delta^{[L]} = a^{[L]} - y \f$, which
///   output_delta_into() computes (\ref ch09_graphs). require_softmax_pair() states it.
void require_compatible(Loss loss, Activation output);

/// The second rule of require_compatible(): throws std::invalid_argument unless both or
/// neither of "\p output is softmax" and "\p loss is the categorical cross-entropy" hold.
/// \see ch09_graphs
void require_softmax_pair(Loss loss, Activation output);

//! [loss_entries]
/// \f$ |a - y| \f$ for one output.
inline double l1(double a, double y) { return std::abs(a - y); }

/// \f$ \partial |a - y| / \partial a = \operatorname{sign}(a - y) \f$. At
/// \f$ a = y \f$ the absolute value has a kink and no derivative; the library
/// returns 0 there, the subgradient of least magnitude, so a perfect prediction
/// is left alone. \see ch04_forward
inline double l1_prime(double a, double y)
{
    return a > y ? 1.0 : (a < y ? -1.0 : 0.0);
}

/// \f$ \tfrac12 (a - y)^2 \f$ for one output.
inline double quadratic(double a, double y) { return 0.5 * (a - y) * (a - y); }

/// \f$ \partial\, \tfrac12 (a - y)^2 / \partial a = a - y \f$.
inline double quadratic_prime(double a, double y) { return a - y; }

/// Outputs are clipped to \f$ [10^{-15}, 1 - 10^{-15}] \f$ inside the
/// logarithms, so the cross-entropy stays finite (at most about 34.5 per
/// output) when a sigmoid saturates to exactly 0 or 1 in double precision.
inline constexpr double cross_entropy_clip = 1e-15;

/// \f$ -\left[y \ln a + (1 - y) \ln(1 - a)\right] \f$ for one output, \f$ a \f$
/// clipped.
inline double cross_entropy(double a, double y)
{
    const double p =
        std::min(std::max(a, cross_entropy_clip), 1.0 - cross_entropy_clip);
    return -(y * std::log(p) + (1.0 - y) * std::log1p(-p));
}

/// \f$ \partial \ell / \partial a = \dfrac{a - y}{a (1 - a)} \f$, \f$ a \f$
/// clipped.
inline double cross_entropy_prime(double a, double y)
{
    const double p =
        std::min(std::max(a, cross_entropy_clip), 1.0 - cross_entropy_clip);
    return (p - y) / (p * (1.0 - p));
}
//! [loss_entries]

//! [categorical_entries]
/// \f$ -y \ln a \f$ for one output of a softmax, \f$ a \f$ clipped below at
/// \f$ 10^{-15} \f$ like cross_entropy(). The loss of a sample is the sum over
/// its outputs, \f$ -\sum_j y_j \ln a_j \f$. \see ch09_graphs
inline double categorical_cross_entropy(double a, double y)
{
    return -y * std::log(std::max(a, cross_entropy_clip));
}

/// \f$ \partial (-y \ln a) / \partial a = -y / a \f$, \f$ a \f$ clipped.
/// \see ch09_graphs
inline double categorical_cross_entropy_prime(double a, double y)
{
    return -y / std::max(a, cross_entropy_clip);
}
//! [categorical_entries]

/// The categorical cross-entropy of a batch straight from the output layer's weighted
/// inputs \f$ z = z^{[L]} \f$ (the logits), without forming \f$ a = \operatorname{softmax}(z) \f$:
/// \f$ J = \dfrac1m \sum_i \sum_j y_{ji} \left( \ln \sum_k e^{z_{ki}} - z_{ji} \right) \f$, by
/// log_sum_exp(). It equals `loss_value(Loss::categorical_cross_entropy, softmax(z), y)`
/// but stays exact where a softmax output rounds to 0 and the clip would cut the loss.
/// \param z shape \f$ (n_L, m) \f$ \param y shape \f$ (n_L, m) \f$
/// \throws ShapeError if the shapes differ or the batch is empty
/// \see ch09_graphs
double softmax_cross_entropy(const Matrix& z, const Matrix& y);

/// The loss of a batch, the mean over its \f$ m \f$ columns of the per-sample loss:
/// \f$ J = \dfrac1m \sum_{i=1}^m \ell(a_{:,i}, y_{:,i}) \f$.
/// \param a the outputs \f$ a^{[L]} \f$, shape \f$ (n_L, m) \f$
/// \param y the targets, shape \f$ (n_L, m) \f$
/// \throws ShapeError if the shapes differ
/// \see ch04_forward
double loss_value(Loss loss, const Matrix& a, const Matrix& y);

/// The per-sample gradient \f$ \nabla_a \ell \f$, written into \p grad: column \f$ i \f$ is
/// \f$ \partial \ell(a_{:,i}, y_{:,i}) / \partial a_{:,i} \f$. The gradient of the batch mean
/// \f$ J \f$ is this divided by \f$ m \f$; bias_gradient() and weight_gradient() apply
/// that \f$ 1/m \f$.
/// \param a shape \f$ (n_L, m) \f$ \param y shape \f$ (n_L, m) \f$
/// \param grad resized to \f$ (n_L, m) \f$ if needed
/// \throws ShapeError if the shapes of \p a and \p y differ
/// \see ch04_forward \see ch05_output_delta
void loss_gradient_into(Loss loss, const Matrix& a, const Matrix& y, Matrix& grad);

/// The per-sample gradient \f$ \nabla_a \ell \f$, shape \f$ (n_L, m) \f$; see loss_gradient_into().
/// \see ch05_output_delta
Matrix loss_gradient(Loss loss, const Matrix& a, const Matrix& y);

/// The smallest distance from an output to a kink of \p loss: \f$ \min_{ij} |a_{ij} - y_{ij}| \f$
/// for L1, infinity for the smooth losses. \see appendix_gradcheck
double distance_to_kink(Loss loss, const Matrix& a, const Matrix& y);

}  // namespace backprop

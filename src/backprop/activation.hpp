/// \file activation.hpp
/// \brief Activation functions \f$ \sigma \f$ and their derivatives \f$ \sigma' \f$, as
/// functions of \f$ z \f$. \see ch03_neuron
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "backprop/matrix.hpp"

namespace backprop {

//! [sigmoid]
/// The logistic sigmoid \f$ \sigma(z) = \dfrac{1}{1 + e^{-z}} \f$, computed so
/// that it is finite and correct for any \f$ z \f$: \f$ e^{-z} \f$ overflows
/// for \f$ z < -709 \f$, so negative \f$ z \f$ use the equal form
/// \f$ \dfrac{e^{z}}{1 + e^{z}} \f$. \see ch03_neuron
inline double sigmoid(double z)
{
    if (z >= 0.0) {
        return 1.0 / (1.0 + std::exp(-z));
    }
    const double e = std::exp(z);
    return e / (1.0 + e);
}

/// \f$ \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = \dfrac{e^{-|z|}}{(1 + e^{-|z|})^2} \f$;
/// the second form keeps its precision where \f$ \sigma(z) \f$ rounds to 1.
/// \see ch03_neuron
inline double sigmoid_prime(double z)
{
    const double e = std::exp(-std::abs(z));
    return e / ((1.0 + e) * (1.0 + e));
}
//! [sigmoid]

//! [tanh]
/// \f$ \tanh z = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}} \f$ (the C++ library's,
/// which is finite for any \f$ z \f$). \see ch03_neuron
inline double tanh(double z) { return std::tanh(z); }

/// \f$ \tanh'(z) = 1 - \tanh^2 z \f$. \see ch03_neuron
inline double tanh_prime(double z)
{
    const double t = std::tanh(z);
    return 1.0 - t * t;
}
//! [tanh]

//! [relu]
/// \f$ \mathrm{ReLU}(z) = \max(0, z) \f$. \see ch03_neuron
inline double relu(double z) { return z > 0.0 ? z : 0.0; }

/// \f$ \mathrm{ReLU}'(z) = 1 \f$ for \f$ z > 0 \f$ and \f$ 0 \f$ for
/// \f$ z < 0 \f$. At the kink \f$ z = 0 \f$ there is no derivative; the library
/// returns 0 there, one of the subgradients (any value in \f$ [0, 1] \f$ is
/// one), as most libraries do. \see ch03_neuron
inline double relu_prime(double z) { return z > 0.0 ? 1.0 : 0.0; }
//! [relu]

//! [identity]
/// The identity \f$ \sigma(z) = z \f$, for a linear output layer.
/// \see ch03_neuron
inline double identity(double z) { return z; }

/// \f$ \sigma'(z) = 1 \f$. \see ch03_neuron
inline double identity_prime(double /*z*/) { return 1.0; }
//! [identity]

/// Which activation a layer uses. The first four act entry by entry (\ref ch03_neuron);
/// softmax() couples the outputs of a sample, so it is allowed only on the output layer
/// and only with the categorical cross-entropy loss (see require_compatible()).
enum class Activation { sigmoid, tanh, relu, identity, softmax };

/// The activation called \p name: `sigmoid`, `tanh`, `relu`, `identity` or `softmax`.
/// \throws std::invalid_argument naming \p name and the valid names otherwise
Activation activation_from_name(const std::string& name);

/// The name of \p activation, as activation_from_name() accepts it.
std::string name_of(Activation activation);

/// The activations that act entry by entry, in the order \ref ch03_neuron introduces
/// them: every activation but softmax, which only an output layer may have.
std::vector<Activation> all_activations();

/// True for the activations of all_activations(), false for softmax. \see ch09_graphs
bool is_elementwise(Activation sigma);

/// The softmax of each column \f$ z \f$ of \p Z, written into \p A (resized if needed):
/// \f$ a_j = \dfrac{e^{z_j}}{\sum_k e^{z_k}} = \dfrac{e^{z_j - c}}{\sum_k e^{z_k - c}} \f$ with
/// \f$ c = \max_k z_k \f$. The second form is the same fraction, but every exponent is at
/// most 0 and the sum at least 1, so nothing overflows, whatever \f$ z \f$ is. Each column
/// is positive and sums to 1.
/// \param Z shape \f$ (n, m) \f$ \param A shape \f$ (n, m) \f$
/// \throws ShapeError if \p Z has no rows
/// \see ch09_graphs
void softmax_into(const Matrix& Z, Matrix& A);

/// The softmax of each column of \p Z, shape \f$ (n, m) \f$; see softmax_into(). \see ch09_graphs
Matrix softmax(const Matrix& Z);

/// The log-sum-exp of each column \f$ z \f$ of \p Z:
/// \f$ \ln \sum_k e^{z_k} = c + \ln \sum_k e^{z_k - c} \f$, \f$ c = \max_k z_k \f$, finite for
/// any finite \f$ z \f$. \param Z shape \f$ (n, m) \f$ \returns shape \f$ (1, m) \f$
/// \throws ShapeError if \p Z has no rows \see ch09_graphs
Matrix log_sum_exp(const Matrix& Z);

/// \f$ \ln a_j = z_j - \ln \sum_k e^{z_k} \f$ for each column of \p Z, the logarithm of
/// softmax() without taking the logarithm of a number that may have rounded to 0.
/// \param Z shape \f$ (n, m) \f$ \returns shape \f$ (n, m) \f$ \see ch09_graphs
Matrix log_softmax(const Matrix& Z);

/// \f$ A = \sigma(Z) \f$ entry by entry, written into \p A (resized if needed); for
/// softmax, column by column (softmax_into()).
/// \param Z shape \f$ (n, m) \f$ \param A shape \f$ (n, m) \f$
/// \see ch03_neuron
void activate_into(Activation sigma, const Matrix& Z, Matrix& A);

/// \f$ \sigma(Z) \f$ entry by entry. \param Z shape \f$ (n, m) \f$ \returns shape \f$ (n, m) \f$
/// \see ch03_neuron
Matrix activate(Activation sigma, const Matrix& Z);

/// \f$ D = \sigma'(Z) \f$ entry by entry, written into \p D (resized if needed).
/// \throws std::invalid_argument for softmax, which has no derivative entry by entry
/// \see ch03_neuron
void activate_prime_into(Activation sigma, const Matrix& Z, Matrix& D);

/// \f$ \sigma'(Z) \f$ entry by entry. \param Z shape \f$ (n, m) \f$ \returns shape \f$ (n, m) \f$
/// \see ch03_neuron
Matrix activate_prime(Activation sigma, const Matrix& Z);

/// \f$ M \leftarrow M \odot \sigma'(Z) \f$ in place, without a temporary for
/// \f$ \sigma'(Z) \f$: the last step of output_delta() and hidden_delta().
/// \param Z shape \f$ (n, m) \f$ \param M shape \f$ (n, m) \f$
/// \throws ShapeError if the shapes differ
/// \throws std::invalid_argument for softmax, which has no derivative entry by entry
/// \see ch05_output_delta
void multiply_by_prime(Activation sigma, const Matrix& Z, Matrix& M);

/// The distance from \f$ z \f$ to the nearest
/// point where \f$ \sigma \f$ has no derivative (0 for ReLU), or infinity for smooth
/// activations. Gradient checks use it to stay away from kinks. \see appendix_gradcheck
double distance_to_kink(Activation sigma, double z);

}  // namespace backprop

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
/// The logistic sigmoid \f$ \sigma(z) = \dfrac{1}{1 + e^{-z}} \f$, computed so that it is
/// finite and correct for any \f$ z \f$: \f$ e^{-z} \f$ overflows for \f$ z < -709 \f$, so
/// negative \f$ z \f$ use the equal form \f$ \dfrac{e^{z}}{1 + e^{z}} \f$. \see ch03_neuron
inline double sigmoid(double z)
{
    if (z >= 0.0) {
        return 1.0 / (1.0 + std::exp(-z));
    }
    const double e = std::exp(z);
    return e / (1.0 + e);
}

/// \f$ \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = \dfrac{e^{-|z|}}{(1 + e^{-|z|})^2} \f$; the
/// second form keeps its precision where \f$ \sigma(z) \f$ rounds to 1. \see ch03_neuron
inline double sigmoid_prime(double z)
{
    const double e = std::exp(-std::abs(z));
    return e / ((1.0 + e) * (1.0 + e));
}
//! [sigmoid]

//! [tanh]
/// \f$ \tanh z = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}} \f$ (the C++ library's, which is
/// finite for any \f$ z \f$). \see ch03_neuron
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

/// \f$ \mathrm{ReLU}'(z) = 1 \f$ for \f$ z > 0 \f$ and \f$ 0 \f$ for \f$ z < 0 \f$. At the
/// kink \f$ z = 0 \f$ there is no derivative; the library returns 0 there, one of the
/// subgradients (any value in \f$ [0, 1] \f$ is one), as most libraries do. \see ch03_neuron
inline double relu_prime(double z) { return z > 0.0 ? 1.0 : 0.0; }
//! [relu]

//! [identity]
/// The identity \f$ \sigma(z) = z \f$, for a linear output layer. \see ch03_neuron
inline double identity(double z) { return z; }

/// \f$ \sigma'(z) = 1 \f$. \see ch03_neuron
inline double identity_prime(double /*z*/) { return 1.0; }
//! [identity]

/// Which activation a layer uses.
enum class Activation { sigmoid, tanh, relu, identity };

/// The activation called \p name: `sigmoid`, `tanh`, `relu` or `identity`.
/// \throws std::invalid_argument naming \p name and the valid names otherwise
Activation activation_from_name(const std::string& name);

/// The name of \p activation, as activation_from_name() accepts it.
std::string name_of(Activation activation);

/// All activations, in the order the book introduces them.
std::vector<Activation> all_activations();

/// \f$ A = \sigma(Z) \f$ entry by entry, written into \p A (resized if needed).
/// \param Z shape \f$ (n, m) \f$ \param A shape \f$ (n, m) \f$
/// \see ch03_neuron
void activate_into(Activation sigma, const Matrix& Z, Matrix& A);

/// \f$ \sigma(Z) \f$ entry by entry. \param Z shape \f$ (n, m) \f$ \returns shape \f$ (n, m) \f$
/// \see ch03_neuron
Matrix activate(Activation sigma, const Matrix& Z);

/// \f$ D = \sigma'(Z) \f$ entry by entry, written into \p D (resized if needed).
/// \see ch03_neuron
void activate_prime_into(Activation sigma, const Matrix& Z, Matrix& D);

/// \f$ \sigma'(Z) \f$ entry by entry. \param Z shape \f$ (n, m) \f$ \returns shape \f$ (n, m) \f$
/// \see ch03_neuron
Matrix activate_prime(Activation sigma, const Matrix& Z);

/// \f$ M \leftarrow M \odot \sigma'(Z) \f$ in place, without a temporary for
/// \f$ \sigma'(Z) \f$: the last step of output_delta() and hidden_delta().
/// \param Z shape \f$ (n, m) \f$ \param M shape \f$ (n, m) \f$
/// \throws ShapeError if the shapes differ
/// \see ch05_output_delta
void multiply_by_prime(Activation sigma, const Matrix& Z, Matrix& M);

/// The distance from \f$ z \f$ to the nearest
/// point where \f$ \sigma \f$ has no derivative (0 for ReLU), or infinity for smooth
/// activations. Gradient checks use it to stay away from kinks. \see appendix_gradcheck
double distance_to_kink(Activation sigma, double z);

}  // namespace backprop

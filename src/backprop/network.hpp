/// \file network.hpp
/// \brief A fully connected network and its forward pass. \see ch04_forward
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/matrix.hpp"

namespace backprop {

/// A fully connected network with layers \f$ l = 0, 1, \dots, L \f$. Layer 0 is the input;
/// the vectors are indexed like the text, so `W[l]` is \f$ W^{[l]} \f$ and index 0 of
/// `W`, `b` and `sigma` is unused (empty).
struct Network {
    std::vector<std::size_t> sizes;  ///< \f$ n_0, n_1, \dots, n_L \f$
    std::vector<Matrix> W;           ///< `W[l]`: \f$ W^{[l]} \f$, shape \f$ (n_l, n_{l-1}) \f$
    std::vector<Matrix> b;           ///< `b[l]`: \f$ b^{[l]} \f$, shape \f$ (n_l, 1) \f$
    std::vector<Activation> sigma;   ///< `sigma[l]`: the activation of layer \f$ l \f$

    /// \f$ L \f$, the index of the output layer (the number of layers with weights).
    std::size_t depth() const { return sizes.empty() ? 0 : sizes.size() - 1; }
};

/// A network with layer sizes \p sizes (\f$ n_0, \dots, n_L \f$), activation \p hidden in
/// layers \f$ 1..L-1 \f$ and \p output in layer \f$ L \f$. Weights and biases are drawn
/// uniformly from \f$ [-r, r) \f$, \f$ r = \sqrt{6 / (n_{l-1} + n_l)} \f$ (Glorot's range),
/// by Random with \p seed, so a seed gives the same network on every machine.
/// \throws std::invalid_argument if there are fewer than two sizes, a size is 0, or
/// \p hidden is softmax (only an output layer may have it, \ref ch09_graphs)
/// \see ch04_forward
Network make_network(const std::vector<std::size_t>& sizes, Activation hidden, Activation output,
                     std::uint64_t seed);

/// Throws ShapeError unless every `W[l]` is \f$ (n_l, n_{l-1}) \f$ and every `b[l]` is
/// \f$ (n_l, 1) \f$, and std::invalid_argument if a hidden layer has softmax.
/// \see ch04_forward
void require_consistent(const Network& net);

/// The values a forward pass computes, kept for the backward pass: `z[l]` is
/// \f$ z^{[l]} \f$ and `a[l]` is \f$ a^{[l]} \f$, each of shape \f$ (n_l, m) \f$ for a
/// batch of \f$ m \f$ samples (columns). `a[0]` is the input; `z[0]` is unused.
struct ForwardPass {
    std::vector<Matrix> z;  ///< `z[l]` = \f$ z^{[l]} \f$, shape \f$ (n_l, m) \f$
    std::vector<Matrix> a;  ///< `a[l]` = \f$ a^{[l]} \f$, shape \f$ (n_l, m) \f$

    /// The output \f$ a^{[L]} \f$.
    const Matrix& output() const { return a.back(); }
};

/// The weighted input of a layer, written into \p z:
/// \f$ z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]} \f$, with \f$ b^{[l]} \f$ added to every column.
/// \param W      shape \f$ (n_l, n_{l-1}) \f$
/// \param b      shape \f$ (n_l, 1) \f$
/// \param a_prev shape \f$ (n_{l-1}, m) \f$
/// \param z      resized to \f$ (n_l, m) \f$ if needed
/// \throws ShapeError naming both shapes if they do not fit
/// \see ch04_forward
void weighted_input_into(const Matrix& W, const Matrix& b, const Matrix& a_prev, Matrix& z);

/// The weighted input \f$ z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]} \f$, shape \f$ (n_l, m) \f$;
/// see weighted_input_into(). \see ch04_forward
Matrix weighted_input(const Matrix& W, const Matrix& b, const Matrix& a_prev);

/// The forward pass over a batch, written into \p pass (its buffers are reused when
/// the shapes already fit): \f$ a^{[0]} = x \f$, and for \f$ l = 1..L \f$
/// \f$ z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]} \f$, \f$ a^{[l]} = \sigma(z^{[l]}) \f$.
/// \param x the input, shape \f$ (n_0, m) \f$, one sample per column
/// \throws ShapeError if \p x does not have \f$ n_0 \f$ rows
/// \see ch04_forward
void forward_into(const Network& net, const Matrix& x, ForwardPass& pass);

/// The forward pass over a batch \p x of shape \f$ (n_0, m) \f$; see forward_into().
/// \see ch04_forward
ForwardPass forward(const Network& net, const Matrix& x);

}  // namespace backprop

/// \file sgd.hpp
/// \brief One step of gradient descent. \see ch07_updates
#pragma once

#include "backprop/gradients.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// One step of gradient descent with learning rate \f$ \alpha \f$, for every layer
/// \f$ l = 1..L \f$: \f$ W^{[l]} \leftarrow W^{[l]} - \alpha\, \partial J / \partial W^{[l]} \f$ and
/// \f$ b^{[l]} \leftarrow b^{[l]} - \alpha\, \partial J / \partial b^{[l]} \f$.
/// \throws std::invalid_argument if \p alpha is negative or not finite
/// \throws ShapeError if a gradient's shape differs from its parameter's; every shape
/// is checked before any parameter changes, so a refused step changes nothing
/// \see ch07_updates
void sgd_step(Network& net, const Gradients& grads, double alpha);

}  // namespace backprop

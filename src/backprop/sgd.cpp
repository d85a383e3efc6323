#include "backprop/sgd.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace backprop {

namespace {

// theta <- theta - alpha g, entry by entry, in one pass over contiguous memory.
void descend(Matrix& theta, const Matrix& g, double alpha)
{
    double* t = theta.data();
    const double* d = g.data();
    const std::size_t n = theta.size();
    for (std::size_t i = 0; i < n; ++i) {
        t[i] -= alpha * d[i];
    }
}

}  // namespace

//! [sgd_step]
void sgd_step(Network& net, const Gradients& grads, double alpha)
{
    if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
        throw std::invalid_argument(
            "the learning rate alpha must be a finite number >= 0, got " +
            std::to_string(alpha) + " (see ch07_updates)");
    }
    const std::size_t L = net.depth();
    if (grads.grad_W.size() != L + 1 || grads.grad_b.size() != L + 1) {
        throw ShapeError("sgd_step: the gradients are for a network with " +
                         std::to_string(grads.grad_W.size()) +
                         " - 1 layers, not " + std::to_string(L) +
                         " (see ch07_updates)");
    }
    // Every shape first, so that a refused step leaves the network as it was.
    for (std::size_t l = 1; l <= L; ++l) {
        require_same_shape(net.W[l], grads.grad_W[l],
                           "sgd_step: W^[l] and dJ/dW^[l]", "ch07_updates");
        require_same_shape(net.b[l], grads.grad_b[l],
                           "sgd_step: b^[l] and dJ/db^[l]", "ch07_updates");
    }
    for (std::size_t l = 1; l <= L; ++l) {
        descend(net.W[l], grads.grad_W[l], alpha);  // W <- W - alpha dJ/dW
        descend(net.b[l], grads.grad_b[l], alpha);  // b <- b - alpha dJ/db
    }
}
//! [sgd_step]

}  // namespace backprop

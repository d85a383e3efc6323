// Chapter 7's exercises, solved. Built instead of ../ch07_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch07_exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "backprop/backward.hpp"

namespace exercises {

Matrix bias_gradient(const Matrix& delta)
{
    const std::size_t n = delta.shape(0), m = delta.shape(1);
    if (m == 0) {
        throw backprop::ShapeError("the bias gradient of an empty batch: δ is " + backprop::shape_of(delta) +
                                   " (see ch07_updates)");
    }
    Matrix grad_b({n, 1});
    for (std::size_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (std::size_t i = 0; i < m; ++i) {
            sum += delta(j, i);
        }
        grad_b(j, 0) = sum / static_cast<double>(m);  // the mean over the batch, (7.5)
    }
    return grad_b;
}

Matrix weight_gradient(const Matrix& delta, const Matrix& a_prev)
{
    if (delta.shape(1) != a_prev.shape(1)) {
        throw backprop::ShapeError("δ^[l] a^[l-1]ᵀ needs one column per sample in both: δ^[l] is " +
                                   backprop::shape_of(delta) + " and a^[l-1] is " + backprop::shape_of(a_prev) +
                                   " (see ch07_updates)");
    }
    const std::size_t n = delta.shape(0), n_prev = a_prev.shape(0), m = delta.shape(1);
    Matrix grad_W({n, n_prev});  // (n_l, m)(m, n_{l-1}) -> (n_l, n_{l-1}), the shape of W^[l]
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t k = 0; k < n_prev; ++k) {
            double sum = 0.0;
            for (std::size_t i = 0; i < m; ++i) {
                sum += delta(j, i) * a_prev(k, i);  // δ_j a_k of sample i, (7.2)
            }
            grad_W(j, k) = sum / static_cast<double>(m);  // the mean over the batch, (7.6)
        }
    }
    return grad_W;
}

void sgd_step(Network& net, const Gradients& grads, double alpha)
{
    if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
        throw std::invalid_argument("the learning rate α must be a finite number >= 0, got " + std::to_string(alpha));
    }
    const std::size_t L = net.depth();
    if (grads.grad_W.size() != L + 1 || grads.grad_b.size() != L + 1) {
        throw backprop::ShapeError("sgd_step: the gradients do not have L + 1 = " + std::to_string(L + 1) +
                                   " entries (see ch07_updates)");
    }
    // Every shape first, so that a refused step changes nothing.
    for (std::size_t l = 1; l <= L; ++l) {
        backprop::require_same_shape(net.W[l], grads.grad_W[l], "sgd_step: W^[l] and dJ/dW^[l]", "ch07_updates");
        backprop::require_same_shape(net.b[l], grads.grad_b[l], "sgd_step: b^[l] and dJ/db^[l]", "ch07_updates");
    }
    for (std::size_t l = 1; l <= L; ++l) {
        net.W[l] = net.W[l] - alpha * grads.grad_W[l];  // (7.7)
        net.b[l] = net.b[l] - alpha * grads.grad_b[l];
    }
}

Gradients backward(const Network& net, const Matrix& x, const Matrix& y, Loss loss)
{
    const std::size_t L = net.depth();
    const backprop::ForwardPass pass = backprop::forward(net, x);
    Gradients grads;
    grads.delta.resize(L + 1);
    grads.grad_W.resize(L + 1);
    grads.grad_b.resize(L + 1);
    grads.delta[L] = backprop::output_delta(loss, net.sigma[L], pass.z[L], pass.a[L], y);  // (5.6)
    for (std::size_t l = L - 1; l >= 1; --l) {
        grads.delta[l] = backprop::hidden_delta(net.W[l + 1], grads.delta[l + 1], net.sigma[l], pass.z[l]);  // (6.5)
    }
    for (std::size_t l = 1; l <= L; ++l) {
        grads.grad_b[l] = exercises::bias_gradient(grads.delta[l]);                    // (7.5), (n_l, 1)
        grads.grad_W[l] = exercises::weight_gradient(grads.delta[l], pass.a[l - 1]);  // (7.6), (n_l, n_{l-1})
    }
    return grads;
}

}  // namespace exercises

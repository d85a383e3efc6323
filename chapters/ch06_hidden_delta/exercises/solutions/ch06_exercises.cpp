// Chapter 6's exercises, solved. Built instead of ../ch06_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch06_exercises.hpp"

#include <string>

#include "backprop/backward.hpp"

namespace exercises {

namespace {

// Wᵀ D for W of shape (n, k) and D of shape (n, m): a (k, m) matrix, without forming Wᵀ.
Matrix transposed_times(const Matrix& W, const Matrix& D)
{
    if (W.shape(0) != D.shape(0)) {
        throw backprop::ShapeError("Wᵀ δ needs as many rows in W as in δ: W is " + backprop::shape_of(W) +
                                   " and δ is " + backprop::shape_of(D) + " (see ch06_hidden_delta)");
    }
    Matrix product({W.shape(1), D.shape(1)});
    for (std::size_t j = 0; j < W.shape(1); ++j) {
        for (std::size_t i = 0; i < D.shape(1); ++i) {
            double sum = 0.0;
            for (std::size_t k = 0; k < W.shape(0); ++k) {
                sum += W(k, j) * D(k, i);  // w_kj δ_k, equation (6.4)
            }
            product(j, i) = sum;
        }
    }
    return product;
}

}  // namespace

Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma, const Matrix& z)
{
    Matrix delta = transposed_times(W_next, delta_next);  // W^[l+1]ᵀ δ^[l+1]: (n_l, n_{l+1})(n_{l+1}, m)
    backprop::require_same_shape(delta, z, "hidden delta: W^[l+1]ᵀ δ^[l+1] and z^[l]", "ch06_hidden_delta");
    const Matrix sigma_prime = backprop::activate_prime(sigma, z);  // σ'(z^[l]), (n_l, m)
    return delta * sigma_prime;                                     // ⊙, (n_l, m)
}

std::vector<Matrix> backward_deltas(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    const std::size_t L = net.depth();
    std::vector<Matrix> delta(L + 1);
    delta[L] = backprop::output_delta(loss, net.sigma[L], pass.z[L], pass.a[L], y);  // chapter 5
    for (std::size_t l = L - 1; l >= 1; --l) {
        delta[l] = exercises::hidden_delta(net.W[l + 1], delta[l + 1], net.sigma[l], pass.z[l]);  // (6.5)
    }
    return delta;
}

Matrix input_gradient(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    const std::vector<Matrix> delta = exercises::backward_deltas(net, pass, y, loss);
    return transposed_times(net.W[1], delta[1]);  // W^[1]ᵀ δ^[1]: (n_0, n_1)(n_1, m), no σ' at the input
}

}  // namespace exercises

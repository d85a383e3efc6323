// Hal's chapter 6: exercise 6.1 answered by the library's backprop::hidden_delta(),
// which its "Library:" line does not list, and 6.2 and 6.3 written on top of it: all
// three are refused, 6.2 and 6.3 because they reach the library's function through 6.1.

#include "ch06_exercises.hpp"

#include <string>

#include "backprop/backward.hpp"

namespace exercises {

namespace {

// Wᵀ D for W of shape (n, k) and D of shape (n, m).
Matrix transposed_times(const Matrix& W, const Matrix& D)
{
    Matrix product({W.shape(1), D.shape(1)});
    for (std::size_t j = 0; j < W.shape(1); ++j) {
        for (std::size_t i = 0; i < D.shape(1); ++i) {
            double sum = 0.0;
            for (std::size_t k = 0; k < W.shape(0); ++k) {
                sum += W(k, j) * D(k, i);
            }
            product(j, i) = sum;
        }
    }
    return product;
}

}  // namespace

Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma, const Matrix& z)
{
    return backprop::hidden_delta(W_next, delta_next, sigma, z);
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

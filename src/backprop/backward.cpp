#include "backprop/backward.hpp"

#include "backprop/matmul.hpp"

namespace backprop {

//! [output_delta]
void output_delta_into(Loss loss, Activation sigma, const Matrix& z,
                       const Matrix& a, const Matrix& y, Matrix& delta)
{
    require_compatible(loss, sigma);
    require_same_shape(z, a, "output delta of z^[L] and a^[L]",
                       "ch05_output_delta");
    // cross-entropy after a sigmoid, or softmax (ch09_graphs) after its loss
    if ((loss == Loss::cross_entropy && sigma == Activation::sigmoid) ||
        sigma == Activation::softmax) {
        require_same_shape(a, y, "output delta of a^[L] and y",
                           "ch05_output_delta");
        // the sigma' of the sigmoid cancels the loss's denominator
        delta = a - y;
        return;
    }
    loss_gradient_into(loss, a, y, delta);  // delta = grad_a loss ...
    multiply_by_prime(sigma, z, delta);  // ... (.) sigma'(z)
}
//! [output_delta]

Matrix output_delta(Loss loss, Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y)
{
    Matrix delta;
    output_delta_into(loss, sigma, z, a, y, delta);
    return delta;
}

//! [hidden_delta]
void hidden_delta_into(const Matrix& W_next, const Matrix& delta_next,
                       Activation sigma, const Matrix& z, Matrix& delta)
{
    // W^T delta_next
    matmul_into(W_next, /*transpose_A=*/true, delta_next, false, delta);
    require_same_shape(delta, z,
                       "hidden delta: W^[l+1]^T delta^[l+1] and z^[l]",
                       "ch06_hidden_delta");
    multiply_by_prime(sigma, z, delta);  // (.) sigma'(z)
}
//! [hidden_delta]

Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma,
                    const Matrix& z)
{
    Matrix delta;
    hidden_delta_into(W_next, delta_next, sigma, z, delta);
    return delta;
}

//! [backward_deltas]
void backward_deltas_into(const Network& net, const ForwardPass& pass,
                          const Matrix& y, Loss loss,
                          std::vector<Matrix>& delta)
{
    const std::size_t L = net.depth();
    delta.resize(L + 1);
    // chapter 5: delta^[L] = grad_a loss (.) sigma'(z^[L])
    output_delta_into(loss, net.sigma[L], pass.z[L], pass.a[L], y, delta[L]);
    for (std::size_t l = L - 1; l >= 1; --l) {
        // delta^[l] = (W^[l+1]^T delta^[l+1]) (.) sigma'(z^[l])
        hidden_delta_into(net.W[l + 1], delta[l + 1], net.sigma[l], pass.z[l],
                          delta[l]);
    }
}
//! [backward_deltas]

std::vector<Matrix> backward_deltas(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    std::vector<Matrix> delta;
    backward_deltas_into(net, pass, y, loss, delta);
    return delta;
}

}  // namespace backprop

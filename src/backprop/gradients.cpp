#include "backprop/gradients.hpp"

#include "backprop/backward.hpp"
#include "backprop/matmul.hpp"

namespace backprop {

//! [bias_gradient]
void bias_gradient_into(const Matrix& delta, Matrix& grad_b)
{
    const std::size_t n = delta.shape(0), m = delta.shape(1);
    ensure_shape(grad_b, n, 1);
    for (std::size_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (std::size_t i = 0; i < m; ++i) {
            sum += delta(j, i);
        }
        grad_b(j, 0) = sum / static_cast<double>(m);  // the mean over the batch
    }
}
//! [bias_gradient]

Matrix bias_gradient(const Matrix& delta)
{
    Matrix grad_b;
    bias_gradient_into(delta, grad_b);
    return grad_b;
}

//! [weight_gradient]
void weight_gradient_into(const Matrix& delta, const Matrix& a_prev,
                          Matrix& grad_W)
{
    const double m = static_cast<double>(delta.shape(1));
    // delta a_prev^T / m
    matmul_into(delta, false, a_prev, /*transpose_B=*/true, grad_W, 1.0 / m);
}
//! [weight_gradient]

Matrix weight_gradient(const Matrix& delta, const Matrix& a_prev)
{
    Matrix grad_W;
    weight_gradient_into(delta, a_prev, grad_W);
    return grad_W;
}

//! [backward]
void backward_into(const Network& net, const ForwardPass& pass, const Matrix& y,
                   Loss loss, Gradients& grads)
{
    const std::size_t L = net.depth();
    grads.grad_W.resize(L + 1);
    grads.grad_b.resize(L + 1);
    // every delta^[l], from L down to 1
    backward_deltas_into(net, pass, y, loss, grads.delta);
    for (std::size_t l = 1; l <= L; ++l) {
        bias_gradient_into(grads.delta[l], grads.grad_b[l]);
        weight_gradient_into(grads.delta[l], pass.a[l - 1], grads.grad_W[l]);
    }
}
//! [backward]

Gradients backward(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    Gradients grads;
    backward_into(net, pass, y, loss, grads);
    return grads;
}

}  // namespace backprop

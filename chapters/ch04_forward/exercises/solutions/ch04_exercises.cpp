// Chapter 4's exercises, solved. Built instead of ../ch04_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch04_exercises.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"

namespace exercises {

namespace {

// A batch loss needs a and y of the same shape (n_L, m), with m >= 1.
void require_batch(const Matrix& a, const Matrix& y)
{
    if (a.shape() != y.shape() || a.shape(1) == 0) {
        throw backprop::ShapeError("a batch loss needs a and y of the same shape (n_L, m), m >= 1: " +
                                   backprop::shape_of(a) + " and " + backprop::shape_of(y) +
                                   " (see ch04_forward)");
    }
}

}  // namespace

double quadratic_loss(const Matrix& a, const Matrix& y)
{
    require_batch(a, y);
    double total = 0.0;  // sum over samples i and outputs j of ½ (a_ji - y_ji)²
    for (std::size_t j = 0; j < a.shape(0); ++j) {
        for (std::size_t i = 0; i < a.shape(1); ++i) {
            const double d = a(j, i) - y(j, i);
            total += 0.5 * d * d;  // equation 4.6
        }
    }
    return total / static_cast<double>(a.shape(1));  // equation 4.10: mean over the m samples
}

LayerValues layer_forward(const Matrix& W, const Matrix& b, const Matrix& a_prev, backprop::Activation sigma)
{
    if (b.shape(0) != W.shape(0) || b.shape(1) != 1) {
        throw backprop::ShapeError("z = W a_prev + b: W has shape " + backprop::shape_of(W) + " and b has shape " +
                                   backprop::shape_of(b) + "; b must be (n_l, 1) (see ch04_forward)");
    }
    LayerValues layer;
    layer.z = backprop::matmul(W, a_prev);  // (n_l, n_{l-1})(n_{l-1}, m) -> (n_l, m)
    for (std::size_t j = 0; j < layer.z.shape(0); ++j) {
        for (std::size_t i = 0; i < layer.z.shape(1); ++i) {
            layer.z(j, i) += b(j, 0);  // b broadcast to every column: equation 4.8
        }
    }
    layer.a = backprop::activate(sigma, layer.z);  // equation 4.9
    return layer;
}

backprop::ForwardPass forward_pass(const backprop::Network& net, const Matrix& x)
{
    const std::size_t L = net.depth();
    if (x.shape(0) != net.sizes[0]) {
        throw backprop::ShapeError("the input x has shape " + backprop::shape_of(x) + " but the network needs " +
                                   std::to_string(net.sizes[0]) + " rows (see ch04_forward)");
    }
    backprop::ForwardPass pass;
    pass.z.resize(L + 1);
    pass.a.resize(L + 1);
    pass.a[0] = x;  // a^[0], (n_0, m)
    for (std::size_t l = 1; l <= L; ++l) {
        LayerValues layer = layer_forward(net.W[l], net.b[l], pass.a[l - 1], net.sigma[l]);
        pass.z[l] = std::move(layer.z);  // z^[l], (n_l, m)
        pass.a[l] = std::move(layer.a);  // a^[l], (n_l, m)
    }
    return pass;
}

double cross_entropy_loss(const Matrix& a, const Matrix& y)
{
    require_batch(a, y);
    const double lo = backprop::cross_entropy_clip, hi = 1.0 - backprop::cross_entropy_clip;
    double total = 0.0;
    for (std::size_t j = 0; j < a.shape(0); ++j) {
        for (std::size_t i = 0; i < a.shape(1); ++i) {
            const double p = std::min(std::max(a(j, i), lo), hi);
            total -= y(j, i) * std::log(p) + (1.0 - y(j, i)) * std::log1p(-p);  // equation 4.7
        }
    }
    return total / static_cast<double>(a.shape(1));  // equation 4.10
}

}  // namespace exercises

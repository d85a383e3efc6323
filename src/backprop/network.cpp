#include "backprop/network.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "backprop/matmul.hpp"
#include "backprop/random.hpp"

namespace backprop {

Network make_network(const std::vector<std::size_t>& sizes, Activation hidden, Activation output,
                     std::uint64_t seed)
{
    if (sizes.size() < 2) {
        throw std::invalid_argument("a network needs at least two layer sizes (input and output), got " +
                                    std::to_string(sizes.size()));
    }
    for (std::size_t l = 0; l < sizes.size(); ++l) {
        if (sizes[l] == 0) {
            throw std::invalid_argument("layer " + std::to_string(l) + " has size 0; every layer needs at least one neuron");
        }
    }
    if (!is_elementwise(hidden) && sizes.size() > 2) {
        throw std::invalid_argument(name_of(hidden) + " is allowed only in the output layer, not in the hidden "
                                    "layers (see ch09_graphs)");
    }
    Network net;
    net.sizes = sizes;
    const std::size_t L = sizes.size() - 1;
    net.W.resize(L + 1);
    net.b.resize(L + 1);
    net.sigma.assign(L + 1, hidden);
    net.sigma[L] = output;
    //! [initial_parameters]
    Random rng(seed);
    for (std::size_t l = 1; l <= L; ++l) {
        const double r =
            std::sqrt(6.0 / static_cast<double>(sizes[l - 1] + sizes[l]));
        net.W[l] = rng.uniform_matrix(sizes[l], sizes[l - 1], -r, r);
        net.b[l] = rng.uniform_matrix(sizes[l], 1, -r, r);
    }
    //! [initial_parameters]
    return net;
}

void require_consistent(const Network& net)
{
    const std::size_t L = net.depth();
    if (L < 1 || net.W.size() != L + 1 || net.b.size() != L + 1 || net.sigma.size() != L + 1) {
        throw ShapeError("the network's sizes, W, b and sigma must all have L + 1 entries (see ch04_forward)");
    }
    for (std::size_t l = 1; l <= L; ++l) {
        const std::string layer = "[" + std::to_string(l) + "]";
        require_shape(net.W[l], net.sizes[l], net.sizes[l - 1], ("W^" + layer).c_str(), "ch04_forward");
        require_shape(net.b[l], net.sizes[l], 1, ("b^" + layer).c_str(), "ch04_forward");
        if (l < L && !is_elementwise(net.sigma[l])) {
            throw std::invalid_argument("layer " + std::to_string(l) + " is hidden and has " + name_of(net.sigma[l]) +
                                        ", which is allowed only in the output layer (see ch09_graphs)");
        }
    }
}

//! [weighted_input]
void weighted_input_into(const Matrix& W, const Matrix& b, const Matrix& a_prev,
                         Matrix& z)
{
    if (b.shape(0) != W.shape(0) || b.shape(1) != 1) {
        throw ShapeError("z = W a_prev + b: W has shape " + shape_of(W) +
                         " and b has shape " + shape_of(b) +
                         "; b must be a column with one entry per row of W "
                         "(see ch04_forward)");
    }
    const std::size_t n = W.shape(0), m = a_prev.shape(1);
    ensure_shape(z, n, m);
    // z = b, broadcast over the m columns ...
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < m; ++i) {
            z(j, i) = b(j, 0);
        }
    }
    // ... then z += W a_prev
    matmul_into(W, false, a_prev, false, z, 1.0, 1.0);
}
//! [weighted_input]

Matrix weighted_input(const Matrix& W, const Matrix& b, const Matrix& a_prev)
{
    Matrix z;
    weighted_input_into(W, b, a_prev, z);
    return z;
}

//! [forward]
void forward_into(const Network& net, const Matrix& x, ForwardPass& pass)
{
    const std::size_t L = net.depth();
    require_shape(x, net.sizes[0], x.shape(1), "the input x", "ch04_forward");
    pass.z.resize(L + 1);
    pass.a.resize(L + 1);
    pass.a[0] = x;
    for (std::size_t l = 1; l <= L; ++l) {
        // z = W a_prev + b
        weighted_input_into(net.W[l], net.b[l], pass.a[l - 1], pass.z[l]);
        // a = sigma(z)
        activate_into(net.sigma[l], pass.z[l], pass.a[l]);
    }
}
//! [forward]

ForwardPass forward(const Network& net, const Matrix& x)
{
    ForwardPass pass;
    forward_into(net, x, pass);
    return pass;
}

}  // namespace backprop

#include "backprop/neuron.hpp"

#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "backprop/network.hpp"

namespace backprop {

Matrix weight_row(const Matrix& W, std::size_t j)
{
    if (j >= W.shape(0)) {
        throw std::out_of_range("row " + std::to_string(j) + " of a matrix of shape " + shape_of(W) +
                                " does not exist (rows are counted from 0; see ch03_neuron)");
    }
    return xt::view(W, xt::range(j, j + 1), xt::all());
}

//! [neuron_weighted_input]
double neuron_weighted_input(const Matrix& w_row, double b_j,
                             const Matrix& a_prev)
{
    if (w_row.shape(0) != 1 || a_prev.shape(1) != 1 ||
        w_row.shape(1) != a_prev.shape(0)) {
        throw ShapeError(
            "z_j = w_j a_prev + b_j: w_j has shape " + shape_of(w_row) +
            " and a_prev has shape " + shape_of(a_prev) +
            "; one neuron takes one row (1, n) and one column (n, 1) "
            "(see ch03_neuron)");
    }
    const Matrix b = {{b_j}};
    // the layer's equation, with one row
    const Matrix z = weighted_input(w_row, b, a_prev);
    return z(0, 0);
}
//! [neuron_weighted_input]

//! [neuron_forward]
NeuronOutput neuron_forward(Activation sigma, const Matrix& w_row, double b_j,
                            const Matrix& a_prev)
{
    const double z = neuron_weighted_input(w_row, b_j, a_prev);
    const Matrix a = activate(sigma, Matrix{{z}});  // a_j = sigma(z_j)
    return {z, a(0, 0)};
}
//! [neuron_forward]

}  // namespace backprop

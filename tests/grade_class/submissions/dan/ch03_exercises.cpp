// Dan's chapter 3, in the class that CI grades (tests/grade_class): every exercise
// written, but the file does not compile (a missing semicolon and a misspelt name), so
// chapter 3 scores 0 and his chapter 1 is graded all the same.

#include "ch03_exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace exercises {

namespace {

// sigma(t) and sigma'(t) of any activation, for one number.
double value_of(Activation sigma, double t) { return backprop::activate(sigma, Matrix{{t}})(0, 0); }
double prime_of(Activation sigma, double t) { return backprop::activate_prime(sigma, Matrix{{t}})(0, 0); }

// z_j = sum_k w_jk a_k + b_j (equation 3.1), for w_row (1, n) and a_prev (n, 1).
double weighted_input(const Matrix& w_row, double b_j, const Matrix& a_prev)
{
    if (w_row.shape(0) != 1 || a_prev.shape(1) != 1 || w_row.shape(1) != a_prev.shape(0)) {
        throw backprop::ShapeError("a neuron takes a row of weights (1, n) and a column of inputs (n, 1), not " +
                                   backprop::shape_of(w_row) + " and " + backprop::shape_of(a_prev));
    }
    double z = 0.0;
    for (std::size_t k = 0; k < w_row.shape(1); ++k) {
        z += w_row(0, k) * a_prev(k, 0);
    }
    return z + b_j;
}

}  // namespace

double sigmoid(double z)
{
    // Each form's exponential has a non-positive argument, so it cannot overflow (equation 3.12).
    if (z >= 0.0) {
        return 1.0 / (1.0 + std::exp(-z));
    }
    const double e = std::exp(z);
    return e / (1.0 + e);
}

double sigmoid_prime(double z)
{
    const double e = std::exp(-std::abs(z));  // sigma' is even
    return e / ((1.0 + e) * (1.0 + e))  // equation 3.12
}

NeuronOutput neuron_forward(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev)
{
    const double z = weighted_input(w_row, b_j, a_prev);  // equation 3.1
    const double a = value_of(sigma, z);                  // equation 3.2
    return {z, a};
}

DerivativeCheck check_derivative(Activation sigma, const ScalarFunction& sigma_prime, double z, double h)
{
    if (!(h > 0.0)) {
        throw std::invalid_argument("the step h must be positive, not " + std::to_string(h));
    }
    DerivativeCheck c{};
    c.analytic = sigma_prime(z);
    c.numeric = (value_of(sigma, z + h) - value_of(sigma, z - h)) / (2.0 * h);  // equation 3.9
    c.relative_error = std::abs(c.analytic - c.numeric) /
                       std::max({std::abs(c.analytic), std::abs(c.numeric), 1e-6});  // equation 3.10
    c.at_kink = backprop::distance_to_kink(sigma, z) <= h;
    c.passed = !c.at_kink && c.relative_error < 1e-7;
    return c;
}

NeuronGradient neuron_gradient(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev)
{
    const double z = weighted_input(w_row, b_j, a_prev);
    const double slope = prime_off(sigma, z);  // sigma'(z), 0 at ReLU's kink
    Matrix da_dw({1, a_prev.shape(0)});       // (1, n), the shape of w_row
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        da_dw(0, k) = slope * a_prev(k, 0);  // da/dz dz/dw_k, dz/dw_k = a_k
    }
    return {da_dw, slope};  // da/db = da/dz dz/db, dz/db = 1
}

}  // namespace exercises

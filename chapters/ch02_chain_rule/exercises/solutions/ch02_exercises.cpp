// Chapter 2's exercises, solved. Built instead of ../ch02_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch02_exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace exercises {

namespace {

void require_positive_step(double h)
{
    if (!(h > 0.0)) {
        throw std::invalid_argument("the step h must be positive, not " + std::to_string(h));
    }
}

}  // namespace

double central_difference(const ScalarFunction& f, double x, double h)
{
    require_positive_step(h);
    return (f(x + h) - f(x - h)) / (2.0 * h);  // equation 2.4
}

double chain_derivative(const std::vector<Link>& chain, double x)
{
    double u = x;        // u_0 = x
    double slope = 1.0;  // d u_0 / dx
    for (const Link& link : chain) {
        slope *= link.g_prime(u);  // d u_i / dx = g_i'(u_{i-1}) d u_{i-1} / dx (equation 2.10)
        u = link.g(u);             // u_i = g_i(u_{i-1})
    }
    return slope;
}

std::vector<double> gradient_descent(const ScalarFunction& dJ_dw, double w0, double alpha, std::size_t steps)
{
    if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
        throw std::invalid_argument("the learning rate alpha must be finite and not negative, not " +
                                    std::to_string(alpha));
    }
    std::vector<double> w = {w0};
    w.reserve(steps + 1);
    for (std::size_t k = 0; k < steps; ++k) {
        w.push_back(w[k] - alpha * dJ_dw(w[k]));  // equation 2.18
    }
    return w;
}

Matrix numeric_gradient(const MatrixFunction& f, const Matrix& X, double h)
{
    require_positive_step(h);
    Matrix X_moved = X;
    Matrix grad({X.shape(0), X.shape(1)});  // (n, m), the shape of X (equation 2.13)
    for (std::size_t j = 0; j < X.shape(0); ++j) {
        for (std::size_t k = 0; k < X.shape(1); ++k) {
            X_moved(j, k) = X(j, k) + h;
            const double f_plus = f(X_moved);
            X_moved(j, k) = X(j, k) - h;
            const double f_minus = f(X_moved);
            X_moved(j, k) = X(j, k);
            grad(j, k) = (f_plus - f_minus) / (2.0 * h);  // equation 2.4 in the entry (j, k)
        }
    }
    return grad;
}

}  // namespace exercises

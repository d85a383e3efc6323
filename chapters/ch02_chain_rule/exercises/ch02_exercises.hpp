// Chapter 2's programming exercises: what the student writes in ch02_exercises.cpp.
// The tests (ch02_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "backprop/derivative.hpp"
#include "backprop/matrix.hpp"

namespace exercises {

using backprop::Matrix;
using backprop::ScalarFunction;

// Exercise 2.1: the central difference (f(x + h) - f(x - h)) / 2h (equation 2.4).
double central_difference(const ScalarFunction& f, double x, double h);

// One link u = g(v) of a chain of functions, with its derivative g'(v).
struct Link {
    ScalarFunction g;
    ScalarFunction g_prime;
};

// Exercise 2.2: d/dx of g_n(...g_2(g_1(x))) by the chain rule (equation 2.10), where
// chain = {g_1, ..., g_n} lists the links from the innermost to the outermost.
double chain_derivative(const std::vector<Link>& chain, double x);

// Exercise 2.3: `steps` steps of gradient descent w := w - alpha dJ/dw (equation 2.18)
// from w0; returns w_0, w_1, ..., w_steps.
std::vector<double> gradient_descent(const ScalarFunction& dJ_dw, double w0, double alpha, std::size_t steps);

// A real function of a matrix, f(X).
using MatrixFunction = std::function<double(const Matrix&)>;

// Exercise 2.4: the gradient of f with respect to the matrix X (equation 2.13), one
// central difference per entry; the result has the shape of X.
Matrix numeric_gradient(const MatrixFunction& f, const Matrix& X, double h);

}  // namespace exercises

// Chapter 2 — The chain rule and numeric derivatives: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 2
// It compiles this file, runs the tests in ch02_grading.cpp and shows what passes.
// The declarations are in ch02_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch02_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 2.1: the central difference
//
// Task: return the central difference (f(x + h) - f(x - h)) / (2h), the numeric
// derivative of equation 2.4, for a step h > 0; throw std::invalid_argument if h is
// not positive. The tests check that it is exact, up to rounding, on quadratics; that
// on the source's e^{-x} it gives exactly -e^{-x} sinh(h)/h, which is what the two
// steps make of it; that its error on sin and exp at h = 1e-3 is below 1e-6; and that
// it is of second order: halving h divides its error by about 4. A forward difference
// (equation 2.2) divides it by 2 and fails.
//
// Library: none
//
// Hint: step to both sides of x, not from x to one side: the evaluation at x itself is
// not used at all. The two steps are 2h apart, so that is what the difference of the
// two values is divided by.
// -----------------------------------------------------------------------------
double central_difference(const ScalarFunction& f, double x, double h)
{
    not_implemented(2, 1);
}

// -----------------------------------------------------------------------------
// Exercise 2.2: the chain rule along a chain of functions
//
// Task: chain = {g_1, ..., g_n} (each a Link with the function g and its derivative
// g_prime) describes F(x) = g_n(...g_2(g_1(x))), innermost first. Return F'(x) by
// applying the chain rule (equation 2.10) link by link: with u_0 = x and
// u_i = g_i(u_{i-1}), F'(x) = g_n'(u_{n-1}) ... g_2'(u_1) g_1'(u_0). An empty chain is
// F(x) = x, whose derivative is 1. The tests check the source's worked example
// d e^{-x}/dx = -e^{-x} (equation 2.11) as the chain {-x, e^u}, sin(x^2) and sin(x)^2
// (the order of the links matters), the sigmoid of chapter 3 built from four links,
// and longer chains, against closed forms and numeric derivatives.
//
// Library: none
//
// Hint: walk the chain once from the inside out. At each link, multiply the running
// product by the link's derivative at the link's INPUT (the value computed so far),
// and only then move the value on through the link's function. Evaluating g_i' at x
// or at g_i's output is the classic mistake, and backpropagation, which evaluates
// sigma' at z^[l] and not at a^[l], has the same trap.
// -----------------------------------------------------------------------------
double chain_derivative(const std::vector<Link>& chain, double x)
{
    not_implemented(2, 2);
}

// -----------------------------------------------------------------------------
// Exercise 2.3: gradient descent on a function of one variable
//
// Task: starting at w_0 = w0, apply `steps` steps of gradient descent
// w_{k+1} = w_k - alpha dJ/dw(w_k) (equation 2.18) and return the whole trajectory
// {w_0, w_1, ..., w_steps}, steps + 1 values. dJ_dw is the derivative of J, evaluated
// at the current w. Throw std::invalid_argument if alpha is negative or not finite.
// The tests check the chapter's run on J(w) = e^{w-2} + e^{2-w} (equation 2.19, from
// w_0 = 0 with alpha = 0.1 and 0.9), and on J(w) = (w - 3)^2 the closed form
// w_k = 3 + (1 - 2 alpha)^k (w_0 - 3): convergence for 0 < alpha < 1, the minimum in
// one step at alpha = 1/2, divergence for alpha > 1, and J falling at every step.
//
// Library: none
//
// Hint: the derivative must be evaluated at the newest w on every step, not once at
// w_0. Put w_0 into the result before the first step, and make the step go against
// the slope: a positive slope means w is past the minimum and must decrease.
// -----------------------------------------------------------------------------
std::vector<double> gradient_descent(const ScalarFunction& dJ_dw, double w0, double alpha, std::size_t steps)
{
    not_implemented(2, 3);
}

// -----------------------------------------------------------------------------
// Exercise 2.4: the gradient with respect to a matrix, numerically
//
// Task: return the numeric gradient of the scalar function f at the matrix X: a matrix
// of the shape of X whose entry (j, k) is the central difference
// (f(X + h E_jk) - f(X - h E_jk)) / (2h), where E_jk is 1 at (j, k) and 0 elsewhere
// (equations 2.4 and 2.13). Throw std::invalid_argument if h is not positive. The
// tests check the source's f(x, y) = xy, whose gradient is (y, x) (equation 2.9); the
// chapter's f(W) = sum_j e^{-(W a)_j} on the running example's (3, 2) W^[1], whose
// gradient is (-e^{-W a}) a^T (equation 2.15); sums of squares and a quadratic with
// every entry coupled to every other, where a large step is still exact; and a cubic,
// where the central difference's error h^2 is known exactly.
//
// Library: none
//
// Hint: work on a copy of X. For each entry, set it to its value plus h, evaluate f,
// set it to its value minus h, evaluate f, and then put the ORIGINAL value back
// before moving to the next entry, so that every partial derivative is taken at X
// itself. Use X.shape(0) and X.shape(1) for the loops: X is not square in the tests.
// -----------------------------------------------------------------------------
Matrix numeric_gradient(const MatrixFunction& f, const Matrix& X, double h)
{
    not_implemented(2, 4);
}

}  // namespace exercises

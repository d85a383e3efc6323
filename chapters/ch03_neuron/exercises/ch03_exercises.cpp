// Chapter 3 — The neuron: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 3
// It compiles this file, runs the tests in ch03_grading.cpp and shows what passes.
// The declarations are in ch03_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch03_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 3.1: the sigmoid and its derivative, at any z
//
// Task: return sigma(z) = 1 / (1 + e^{-z}) (equation 3.4) from sigmoid(), and
// sigma'(z) = sigma(z) (1 - sigma(z)) (equation 3.5) from sigmoid_prime(), for every
// double z: no overflow, no NaN, and every digit kept where sigma(z) rounds to 1
// (equation 3.12). The tests check sigma(0) = 1/2 and sigma'(0) = 1/4, the chapter's
// table, the symmetries sigma(-z) = 1 - sigma(z) and sigma'(-z) = sigma'(z), sigma'
// against central differences of your sigma from z = -8 to 8, sigma(-40) and
// sigma'(+-40) = 4.248e-18 as the chapter prints them, and that z = +-800 and +-1000
// give finite values without raising the floating-point overflow or invalid flags.
//
// Library: none
//
// Hint: e^{-z} overflows for z below about -709 and e^{z} above 709, so pick the form
// of the sigmoid whose exponential has a negative argument. For the derivative, do not
// subtract sigma(z) from 1 (it is exactly 1 for z above about 37): sigma' is even, so
// write it with e^{-|z|} alone.
// -----------------------------------------------------------------------------
double sigmoid(double z)
{
    not_implemented(3, 1);
}

double sigmoid_prime(double z)
{
    not_implemented(3, 1);
}

// -----------------------------------------------------------------------------
// Exercise 3.2: one neuron's forward step
//
// Task: for a neuron with the weights w_row, shape (1, n), the bias b_j and the
// previous layer's outputs a_prev, shape (n, 1), return {z, a} with the weighted input
// z = sum_k w_row(0, k) a_prev(k, 0) + b_j (equation 3.1) and the activation
// a = sigma(z) (equation 3.2) for the activation `sigma`. Throw backprop::ShapeError
// naming both shapes unless w_row is one row and a_prev one column of the same length.
// The tests check the running example's three hidden neurons (z_1^[1] = -0.865106...,
// a_1^[1] = 0.296274... with the sigmoid) with every activation, that the bias shifts
// z by exactly its change, that zero weights give z = b and a = sigma(b), that z - b is
// linear in a_prev, a neuron with three inputs, and the shape errors.
//
// Library: backprop::activate
//
// Hint: one loop over k = 0 .. n - 1 accumulates the sum; add the bias once, after it.
// For sigma(z) of any activation, backprop::activate(sigma, Matrix{{z}})(0, 0) works;
// backprop::shape_of(m) writes a shape for your error message.
// -----------------------------------------------------------------------------
NeuronOutput neuron_forward(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev)
{
    not_implemented(3, 2);
}

// -----------------------------------------------------------------------------
// Exercise 3.3: a derivative check that knows about kinks
//
// Task: check the formula sigma_prime for the derivative of the activation sigma at z,
// as the chapter's program does. Return analytic = sigma_prime(z); numeric = the
// central difference (sigma(z + h) - sigma(z - h)) / (2h) (equation 3.9);
// relative_error = |analytic - numeric| / max(|analytic|, |numeric|, 1e-6)
// (equation 3.10); at_kink = true when z is not farther than h from a point where sigma
// has no derivative (0 for ReLU; the smooth activations have none); and passed = true
// when the point is not at a kink and the relative error is below 1e-7. Fill in all
// fields even at a kink. Throw std::invalid_argument if h is not positive. The tests
// check the correct derivatives of all four activations (they pass), wrong ones from
// the chapter such as sigma(z)(1 - z) and 1 - z^2 for tanh (they fail), ReLU at and
// near its kink (the chapter's 0.5 and 0.75, not counted), and derivatives so small
// that only the floor 1e-6 of equation 3.10 judges them fairly.
//
// Library: backprop::activate, backprop::distance_to_kink
//
// Hint: backprop::activate(sigma, Matrix{{t}})(0, 0) is sigma(t) for any activation,
// and backprop::distance_to_kink(sigma, z) is the distance from z to the nearest kink
// (infinity for the smooth activations); "not farther than h" includes z = h itself.
// Keep the floor 1e-6 in the denominator of equation 3.10: without it a formula that
// returns 0 where the true derivative is 1e-18 fails, and where both are 0 you divide
// 0 by 0.
// -----------------------------------------------------------------------------
DerivativeCheck check_derivative(Activation sigma, const ScalarFunction& sigma_prime, double z, double h)
{
    not_implemented(3, 3);
}

// -----------------------------------------------------------------------------
// Exercise 3.4: the neuron's gradient, by the chain rule
//
// Task: for the neuron of exercise 3.2, return how its output a = sigma(z) changes with
// its parameters: da_dw, shape (1, n) like w_row, with entries
// da/dw_k = sigma'(z) a_prev(k, 0), that is sigma'(z) a_prev^T; and da_db = sigma'(z)
// (chapter 2's chain rule on equations 3.1 and 3.2). At ReLU's kink z = 0 use the
// book's subgradient convention, ReLU'(0) = 0. Throw backprop::ShapeError for shapes
// that do not fit, as in exercise 3.2. The tests check the running example's first
// neuron (sigma'(z_1^[1]) = 0.208496...), numeric gradients of a with respect to every
// weight and the bias for the sigmoid, tanh and the identity, ReLU neurons on both
// sides of the kink, and a ReLU neuron exactly at it.
//
// Library: backprop::activate, backprop::activate_prime,
//          backprop::neuron_weighted_input
//
// Hint: compute z first (backprop::neuron_weighted_input() may do it), then sigma'(z)
// once; backprop::activate_prime(sigma, Matrix{{z}})(0, 0) gives it for any
// activation and follows the book's convention at the kink. The derivative is taken
// at z, not at a. The result for the weights is a row, like the weights themselves.
// -----------------------------------------------------------------------------
NeuronGradient neuron_gradient(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev)
{
    not_implemented(3, 4);
}

}  // namespace exercises

// Chapter 5 — The output error: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 5
// It compiles this file, runs the tests in ch05_grading.cpp and shows what passes.
// The declarations are in ch05_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch05_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 5.1: the gradient of the quadratic loss
//
// Task: return ∇_a ℓ for the quadratic loss ℓ = ½ Σ_j (a_j - y_j)², one column per
// sample: the (n_L, m) matrix whose entry (j, i) is a(j, i) - y(j, i), equation (5.8).
// It is the gradient of each sample's own loss ℓ, not of the batch mean J, so it is
// not divided by m (equation 5.2 and chapter 7 apply the 1/m later). Throw
// backprop::ShapeError naming both shapes if a and y differ in shape. The tests check
// the running example's ∇_a ℓ as chapter 5 prints it, zero at a = y, a numeric
// gradient of the batch loss J on a (3, 4) batch, and the ShapeError.
//
// Library: none
//
// Hint: differentiate ½ (a_j - y_j)² with respect to a_j with the chain rule of
// chapter 2: the ½ cancels the 2, and the inner derivative is +1. The sign matters:
// the gradient points to where the loss grows, so it is positive where a > y.
// -----------------------------------------------------------------------------
Matrix quadratic_loss_gradient(const Matrix& a, const Matrix& y)
{
    not_implemented(5, 1);
}

// -----------------------------------------------------------------------------
// Exercise 5.2: the output error of the quadratic loss
//
// Task: return δ^[L] = ∇_a ℓ ⊙ σ'(z^[L]) = (a - y) ⊙ σ'(z), equations (5.6) and (5.8),
// for the output activation sigma, where z is z^[L], a = σ(z) is a^[L] and y the
// targets, all of shape (n_L, m); the result has that shape too, one column per
// sample, not divided by m. Throw backprop::ShapeError naming the shapes if z, a and
// y do not all have the same shape. The tests check the running example's δ^[2] for a
// sigmoid and for a tanh output as chapter 5 prints them, and, on (3, 4) batches with
// sigmoid, tanh and identity outputs, that δ / m is the numeric gradient of the batch
// loss J(σ(z)) with respect to z (equation 5.2), and the ShapeError.
//
// Library: backprop::activate_prime, backprop::hadamard
//
// Hint: σ' is a function of z, not of a: backprop::activate_prime(sigma, z) from
// chapter 3 gives the matrix σ'(z), and ⊙ is the entry-by-entry product (`*` on two
// xtensor matrices, or backprop::hadamard()). Your 5.1 gives the first factor.
// -----------------------------------------------------------------------------
Matrix quadratic_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y)
{
    not_implemented(5, 2);
}

// -----------------------------------------------------------------------------
// Exercise 5.3: the output error of the L1 loss, kink included
//
// Task: return δ^[L] = sign(a - y) ⊙ σ'(z^[L]), equations (5.6) and (5.7), for the
// source's loss ℓ = Σ_j |a_j - y_j|; shapes as in exercise 5.2. At a(j, i) = y(j, i)
// exactly, |a - y| has no derivative; use the book's subgradient convention there,
// sign(0) = 0, so that entry of δ is 0 (see backprop::l1_prime() and chapter 4's "The
// kink of the L1 loss"). Throw backprop::ShapeError if z, a and y differ in shape.
// The tests check the running example's δ^[2] as chapter 5 prints it (its L1 loss), a
// numeric gradient of J with respect to z on batches kept away from the kink, that
// |δ| = σ'(z) however far a is from y, the convention at a = y, the sign just above
// and just below it, and the ShapeError.
//
// Library: backprop::activate_prime, backprop::hadamard
//
// Hint: write the sign with two comparisons, a > y and a < y, and leave 0 for the case
// where neither holds; do not use a tolerance, and do not use std::copysign, which
// gives +1 or -1 even for 0. The size of a - y must not appear in δ, only its sign.
// -----------------------------------------------------------------------------
Matrix l1_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y)
{
    not_implemented(5, 3);
}

// -----------------------------------------------------------------------------
// Exercise 5.4: the output error for every loss
//
// Task: return δ^[L] for the loss `loss` and the output activation sigma, shapes as in
// exercise 5.2: equation (5.6) with (5.7) for Loss::l1 and (5.8) for Loss::quadratic;
// for Loss::cross_entropy after a sigmoid, return δ^[L] = a - y, equation (5.10), where
// σ'(z) has cancelled the denominator a (1 - a) of (5.9). Cross-entropy needs outputs
// in (0, 1): throw std::invalid_argument if it is asked for after any activation other
// than the sigmoid. Throw backprop::ShapeError if z, a and y differ in shape. The tests
// check the running example's three output errors as chapter 5 prints them, numeric
// gradients of J with respect to z for several pairs of loss and activation, a sigmoid
// output saturated at z = ±40 (where the general product of (5.6) and (5.9) loses every
// digit and a - y does not), and both errors.
//
// Library: backprop::activate_prime, backprop::hadamard
//
// Hint: switch on the loss and reuse your exercises 5.2 and 5.3 for the first two. For
// cross-entropy, do not multiply (a - y) / (a (1 - a)) by σ'(z): at z = 40, a rounds to
// exactly 1, the clipped quotient is about 1e15 and σ'(40) about 4e-18, and their
// product is about 0.004 where the true error is 1; a - y is exact.
// -----------------------------------------------------------------------------
Matrix output_delta(backprop::Loss loss, backprop::Activation sigma, const Matrix& z, const Matrix& a,
                    const Matrix& y)
{
    not_implemented(5, 4);
}

}  // namespace exercises

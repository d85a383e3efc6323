// Chapter 5's programming exercises: what the student writes in ch05_exercises.cpp.
// The tests (ch05_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"

namespace exercises {

using backprop::Matrix;

// Exercise 5.1: the per-sample gradient of the quadratic loss, ∇_a ℓ = a - y
// (equation 5.8). a and y have shape (n_L, m); so has the result.
Matrix quadratic_loss_gradient(const Matrix& a, const Matrix& y);

// Exercise 5.2: the output error of the quadratic loss,
// δ^[L] = (a - y) ⊙ σ'(z^[L]) (equations 5.6 and 5.8). z = z^[L], a = σ(z) and the
// targets y have shape (n_L, m); so has the result.
Matrix quadratic_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y);

// Exercise 5.3: the output error of the L1 loss, δ^[L] = sign(a - y) ⊙ σ'(z^[L])
// (equations 5.6 and 5.7), with the subgradient 0 where a = y. Shapes as in 5.2.
Matrix l1_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y);

// Exercise 5.4: the output error for every loss (equation 5.6), with δ^[L] = a - y for
// the cross-entropy after a sigmoid (equation 5.10). Shapes as in 5.2.
Matrix output_delta(backprop::Loss loss, backprop::Activation sigma, const Matrix& z, const Matrix& a,
                    const Matrix& y);

}  // namespace exercises

// Chapter 4's programming exercises: what the student writes in ch04_exercises.cpp.
// The tests (ch04_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include "backprop/activation.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace exercises {

using backprop::Matrix;

// Exercise 4.1: the quadratic loss of a batch, J = (1/m) Σ_i ½ Σ_j (a_ji - y_ji)²
// (equations 4.6 and 4.10). a and y have shape (n_L, m).
double quadratic_loss(const Matrix& a, const Matrix& y);

// What one layer computes (equations 4.8 and 4.9): z and a, each of shape (n_l, m).
struct LayerValues {
    Matrix z;  // z^[l] = W^[l] a^[l-1] + b^[l]
    Matrix a;  // a^[l] = σ(z^[l])
};

// Exercise 4.2: one layer forward for a batch. W is (n_l, n_{l-1}), b is (n_l, 1),
// a_prev is (n_{l-1}, m).
LayerValues layer_forward(const Matrix& W, const Matrix& b, const Matrix& a_prev, backprop::Activation sigma);

// Exercise 4.3: the whole forward pass of net on the batch x of shape (n_0, m):
// pass.a[0] = x and, for l = 1..L, pass.z[l] and pass.a[l] of shape (n_l, m).
backprop::ForwardPass forward_pass(const backprop::Network& net, const Matrix& x);

// Exercise 4.4: the cross-entropy loss of a batch, with the outputs clipped to
// [1e-15, 1 - 1e-15] (equations 4.7 and 4.10). a and y have shape (n_L, m).
double cross_entropy_loss(const Matrix& a, const Matrix& y);

}  // namespace exercises

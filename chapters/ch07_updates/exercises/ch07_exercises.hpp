// Chapter 7's programming exercises: what the student writes in ch07_exercises.cpp.
// The tests (ch07_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace exercises {

using backprop::Gradients;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;

// Exercise 7.1: the bias gradient of a batch, the mean of δ^[l]'s columns (equation 7.5).
Matrix bias_gradient(const Matrix& delta);

// Exercise 7.2: the weight gradient of a batch, δ^[l] a^[l-1]ᵀ / m (equation 7.6).
Matrix weight_gradient(const Matrix& delta, const Matrix& a_prev);

// Exercise 7.3: one step of gradient descent on every layer (equation 7.7).
void sgd_step(Network& net, const Gradients& grads, double alpha);

// Exercise 7.4: the whole backward pass: forward, every δ^[l], every gradient.
Gradients backward(const Network& net, const Matrix& x, const Matrix& y, Loss loss);

}  // namespace exercises

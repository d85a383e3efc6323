// Chapter 6's programming exercises: what the student writes in ch06_exercises.cpp.
// The tests (ch06_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include <vector>

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace exercises {

using backprop::Activation;
using backprop::ForwardPass;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;

// Exercise 6.1: one hidden layer's error δ^[l] = (W^[l+1]ᵀ δ^[l+1]) ⊙ σ'(z^[l]) (equation 6.5).
Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma, const Matrix& z);

// Exercise 6.2: the errors δ^[l] of every layer l = 1..L, from the output back.
std::vector<Matrix> backward_deltas(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss);

// Exercise 6.3: the gradient of the loss with respect to the input, ∂ℓ/∂a^[0] = W^[1]ᵀ δ^[1].
Matrix input_gradient(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss);

}  // namespace exercises

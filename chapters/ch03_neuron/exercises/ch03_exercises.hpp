// Chapter 3's programming exercises: what the student writes in ch03_exercises.cpp.
// The tests (ch03_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/matrix.hpp"
#include "backprop/neuron.hpp"

namespace exercises {

using backprop::Activation;
using backprop::Matrix;
using backprop::NeuronOutput;
using backprop::ScalarFunction;

// Exercise 3.1: the sigmoid sigma(z) = 1 / (1 + e^{-z}) (equation 3.4) and its
// derivative sigma'(z) = sigma(z) (1 - sigma(z)) (equation 3.5), finite and accurate
// for every z (equation 3.12).
double sigmoid(double z);
double sigmoid_prime(double z);

// Exercise 3.2: one neuron's z = sum_k w_k a_k + b (equation 3.1) and a = sigma(z)
// (equation 3.2). w_row has shape (1, n), a_prev shape (n, 1).
NeuronOutput neuron_forward(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev);

// What a check of a derivative formula against the central difference found at one z.
struct DerivativeCheck {
    double analytic;        // the formula's value sigma'(z)
    double numeric;         // the central difference (equation 3.9)
    double relative_error;  // equation 3.10, with tiny = 1e-6
    bool at_kink;           // z is within h of a kink: the check does not count
    bool passed;            // not at a kink, and the relative error is below 1e-7
};

// Exercise 3.3: checks the formula sigma_prime for the derivative of the activation
// sigma at z with the central difference of step h, skipping points within h of a kink.
DerivativeCheck check_derivative(Activation sigma, const ScalarFunction& sigma_prime, double z, double h);

// How one neuron's output a changes with its parameters.
struct NeuronGradient {
    Matrix da_dw;  // d a / d w_row, shape (1, n): sigma'(z) a_prev^T
    double da_db;  // d a / d b_j: sigma'(z)
};

// Exercise 3.4: the gradient of one neuron's output with respect to its weights and
// its bias, by the chain rule. Shapes as in neuron_forward().
NeuronGradient neuron_gradient(Activation sigma, const Matrix& w_row, double b_j, const Matrix& a_prev);

}  // namespace exercises

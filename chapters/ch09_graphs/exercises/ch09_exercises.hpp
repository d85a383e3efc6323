// Chapter 9's programming exercises: what the student writes in ch09_exercises.cpp.
// The tests (ch09_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include <cstddef>
#include <vector>

#include "backprop/matrix.hpp"

namespace exercises {

using backprop::Matrix;

// The two gradients of a product's local backward.
struct ProductGradients {
    Matrix grad_A;  // ∂J/∂A, the shape of A
    Matrix grad_B;  // ∂J/∂B, the shape of B
};

// Exercise 9.1: the local backward of C = A B, given ∂J/∂C (equation 9.3).
ProductGradients matmul_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C);

// Exercise 9.2: the nodes `output` depends on, each after all of its inputs.
// inputs[i] lists the nodes that node i is computed from.
std::vector<std::size_t> topological_order(const std::vector<std::vector<std::size_t>>& inputs,
                                           std::size_t output);

// One node of a tape of numbers, as micrograd keeps them.
struct ScalarNode {
    char op = 'x';       // 'x' a leaf; '+' a + b; '*' a * b; 'm' max(a, b); 't' tanh(a)
    std::size_t a = 0;   // the place on the tape of the first input (not for a leaf)
    std::size_t b = 0;   // the place of the second input ('+', '*' and 'm' only)
    double value = 0.0;  // the value the forward pass computed
};

// Exercise 9.3: the backward pass of a tape: ∂J/∂v for every node v, J the last node.
std::vector<double> scalar_backward(const std::vector<ScalarNode>& tape);

// Exercise 9.4: ∂J/∂z for J the mean categorical cross-entropy of softmax(z), (a - y) / m.
Matrix softmax_cross_entropy_gradient(const Matrix& z, const Matrix& y);

}  // namespace exercises

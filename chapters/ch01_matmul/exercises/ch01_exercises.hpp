// Chapter 1's programming exercises: what the student writes in ch01_exercises.cpp.
// The tests (ch01_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include "backprop/matrix.hpp"

namespace exercises {

using backprop::Matrix;

// Exercise 1.1: the Hadamard product A ⊙ B (equation 1.2).
Matrix hadamard_product(const Matrix& a, const Matrix& b);

// Exercise 1.2: the matrix product AB with three loops (equation 1.1).
Matrix naive_product(const Matrix& a, const Matrix& b);

// Exercise 1.3: the product AᵀB, without forming Aᵀ.
Matrix transposed_product(const Matrix& a, const Matrix& b);

}  // namespace exercises

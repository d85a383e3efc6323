// Chapter 1 — Matrix multiplication: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 1
// It compiles this file, runs the tests in ch01_grading.cpp and shows what passes.
// The declarations are in ch01_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch01_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 1.1: the Hadamard product
//
// Task: return A ⊙ B, the matrix whose entry (i, j) is a(i, j) * b(i, j)
// (equation 1.2). The two matrices must have the same shape; if they do not, throw
// backprop::ShapeError with a message that names both shapes. The tests use the
// source's example A = [[1, 2], [3, 4]], B = [[-1, -2], [-3, -4]], rectangular
// matrices, and mismatched shapes.
//
// Library: none
//
// Hint: a.shape(0) is the number of rows and a.shape(1) the number of columns; make
// the result with Matrix c({rows, cols}); and fill it with two loops. backprop::shape_of(a)
// writes a shape as "(2, 3)" for your message.
// -----------------------------------------------------------------------------
Matrix hadamard_product(const Matrix& a, const Matrix& b)
{
    not_implemented(1, 1);
}

// -----------------------------------------------------------------------------
// Exercise 1.2: the matrix product with three loops
//
// Task: return AB for an (n, k) matrix A and a (k, m) matrix B: the (n, m) matrix
// whose entry (i, j) is the sum over p of a(i, p) * b(p, j) (equation 1.1). If the
// columns of A do not match the rows of B, throw backprop::ShapeError naming both
// shapes. The tests check the source's worked example AB = [[-7, -10], [-15, -22]],
// that the identity changes nothing, that (AB)C = A(BC), that (AB)ᵀ = BᵀAᵀ, and
// the shape rule (n, k)(k, m) → (n, m) on matrices that are not square.
//
// Library: none
//
// Hint: start each sum at 0.0 before the innermost loop, and let the loop over p run
// to a.shape(1). A square example hides a swapped index; the tests do not.
// -----------------------------------------------------------------------------
Matrix naive_product(const Matrix& a, const Matrix& b)
{
    not_implemented(1, 2);
}

// -----------------------------------------------------------------------------
// Exercise 1.3: the transposed product AᵀB, without the transpose
//
// Task: return AᵀB for an (n, k) matrix A and an (n, m) matrix B, a (k, m) matrix,
// without building Aᵀ. Chapter 6 multiplies by Wᵀ in exactly this way: the backward
// pass never copies a weight matrix to transpose it. Throw backprop::ShapeError if A
// and B do not have the same number of rows. The tests check the source's A and B
// (AᵀB = [[-10, -14], [-14, -20]]), rectangular matrices entry by entry against the
// definition, that (AᵀB)ᵀ = BᵀA, and the shape rule (n, k), (n, m) → (k, m).
//
// Library: none
//
// Hint: entry (i, j) of AᵀB is the sum over p of a(p, i) * b(p, j): write
// equation 1.1 with A's indices swapped, and let p run over the rows.
// -----------------------------------------------------------------------------
Matrix transposed_product(const Matrix& a, const Matrix& b)
{
    not_implemented(1, 3);
}

}  // namespace exercises

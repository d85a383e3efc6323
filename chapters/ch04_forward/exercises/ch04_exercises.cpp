// Chapter 4 — The forward pass and the loss: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 4
// It compiles this file, runs the tests in ch04_grading.cpp and shows what passes.
// The declarations are in ch04_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch04_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 4.1: the quadratic loss of a batch
//
// Task: return J, the mean over the m columns (samples) of the quadratic loss of each
// sample, J = (1/m) Σ_i ½ Σ_j (a(j, i) - y(j, i))², equations (4.6) and (4.10). The
// outputs a and the targets y have shape (n_L, m). Throw backprop::ShapeError naming
// both shapes if they differ, and also if the batch has no columns (m = 0). The tests
// check that J = 0 when a = y, hand-computed values with the factor ½, the running
// example's quadratic loss, that a batch of m copies of one column has that column's
// loss (the mean, not the sum), that a (3, 5) batch is the mean of its five columns'
// losses, and the ShapeErrors.
//
// Library: none
//
// Hint: add up ½ (a - y)² over every entry of the matrix, then divide by the number
// of columns a.shape(1), not by the number of entries: each sample's loss is a sum
// over its n_L outputs, and only the samples are averaged.
// -----------------------------------------------------------------------------
double quadratic_loss(const Matrix& a, const Matrix& y)
{
    not_implemented(4, 1);
}

// -----------------------------------------------------------------------------
// Exercise 4.2: one layer forward for a batch
//
// Task: return z = W a_prev + b and a = σ(z) for one layer, equations (4.8) and
// (4.9): W has shape (n_l, n_{l-1}), b (n_l, 1), a_prev (n_{l-1}, m), and z and a
// both have shape (n_l, m). The column b is added to every one of the m columns of
// W a_prev (it is broadcast), and σ, the activation sigma, is applied entry by
// entry. Throw backprop::ShapeError naming the shapes if W does not have as many
// columns as a_prev has rows, or if b is not an (n_l, 1) column. Do not call
// backprop::weighted_input() or backprop::forward(): they are this exercise's answer.
// The tests check the running example's first layer, every entry of a (4, 3) layer
// on a batch of 5 against equation (4.1), that each column equals the layer applied to
// that column alone, that a zero input gives b in every column, that with the
// identity activation the layer is affine, and the ShapeErrors.
//
// Library: backprop::matmul, backprop::activate, xt::linalg
//
// Hint: z(j, i) is the sum over k of W(j, k) * a_prev(k, i), plus b(j, 0) — the same
// b(j, 0) for every column i. You may compute W a_prev with backprop::matmul() from
// chapter 1 (it already throws the ShapeError for W and a_prev) or with loops, then
// check b yourself, and compute a = σ(z) with backprop::activate() from chapter 3.
// -----------------------------------------------------------------------------
LayerValues layer_forward(const Matrix& W, const Matrix& b, const Matrix& a_prev, backprop::Activation sigma)
{
    not_implemented(4, 2);
}

// -----------------------------------------------------------------------------
// Exercise 4.3: the whole forward pass
//
// Task: return the forward pass of the network net on the batch x, shape (n_0, m),
// as a backprop::ForwardPass indexed like the text: pass.a[0] = x, and for
// l = 1, ..., L (L = net.depth()) pass.z[l] = W^[l] a^[l-1] + b^[l] and
// pass.a[l] = σ^[l](z^[l]), each of shape (n_l, m), with W^[l] = net.W[l],
// b^[l] = net.b[l] and σ^[l] = net.sigma[l] (equations 4.3, 4.4, 4.8 and 4.9). Both
// vectors have L + 1 entries; pass.z[0] is not used. Throw backprop::ShapeError if x
// does not have n_0 = net.sizes[0] rows; do not call backprop::forward(), which is
// this exercise's answer. The tests check the running example's z^[1], a^[1], z^[2]
// and a^[2] as chapter 4 prints them (the 2-3-2 sigmoid network of seed 1 and
// x = (0.8, 0.2)ᵀ), and on a deeper network with tanh hidden layers and an identity
// output: every layer against equation (4.1), each batch column against its own
// one-sample pass, the shapes, and the ShapeError.
//
// Library: backprop::matmul, backprop::activate, xt::linalg
//
// Hint: resize pass.z and pass.a to L + 1 first, then loop l from 1 to L and call
// your layer_forward() from exercise 4.2 with the previous layer's a, a^[l-1] —
// not a^[l] — and layer l's own activation net.sigma[l]: the output layer's may
// differ from the hidden layers'.
// -----------------------------------------------------------------------------
backprop::ForwardPass forward_pass(const backprop::Network& net, const Matrix& x)
{
    not_implemented(4, 3);
}

// -----------------------------------------------------------------------------
// Exercise 4.4: the cross-entropy loss, clipped
//
// Task: return J, the mean over the m columns of the cross-entropy of each sample,
// J = -(1/m) Σ_i Σ_j [y ln p + (1 - y) ln(1 - p)] with y = y(j, i) and p = a(j, i)
// clipped to [1e-15, 1 - 1e-15] (backprop::cross_entropy_clip), equations (4.7) and
// (4.10). The clipping keeps J finite when a sigmoid output rounds to exactly 0 or 1.
// Throw backprop::ShapeError naming both shapes if a and y differ in shape, or if
// m = 0. The tests check ln 2 per output at a = 1/2, the running example's value, the
// symmetry ℓ(a, y) = ℓ(1 - a, 1 - y), that a = y is the minimum for a soft target,
// finite values at a = 0 and a = 1, a numeric gradient against (a - y) / (m a (1 - a)),
// and the ShapeErrors.
//
// Library: backprop::cross_entropy_clip
//
// Hint: clip with std::min(std::max(a, lo), hi) before taking any logarithm, and use
// std::log1p(-p) for ln(1 - p): it stays accurate when p is tiny. Divide by the number
// of columns, as in exercise 4.1.
// -----------------------------------------------------------------------------
double cross_entropy_loss(const Matrix& a, const Matrix& y)
{
    not_implemented(4, 4);
}

}  // namespace exercises

// Chapter 6 — The hidden errors: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 6
// It compiles this file, runs the tests in ch06_grading.cpp and shows what passes.
// The declarations are in ch06_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.
//
// Your functions have the names of the library's (backprop/backward.hpp). Where one of
// them calls another, write exercises::hidden_delta(...): with the library's header
// included, a bare hidden_delta(...) is ambiguous, because C++ also looks for it in
// backprop::, the namespace of its arguments.

#include "ch06_exercises.hpp"

#include "backprop/backward.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 6.1: one hidden error
//
// Task: return δ^[l] = (W^[l+1]ᵀ δ^[l+1]) ⊙ σ'(z^[l]) (equation 6.5), where W_next is
// W^[l+1] of shape (n_{l+1}, n_l), delta_next is δ^[l+1] of shape (n_{l+1}, m), sigma
// is layer l's activation and z is z^[l] of shape (n_l, m); the result has shape
// (n_l, m), one column per sample. If the shapes do not fit (rule 6.7), throw
// backprop::ShapeError naming them. The tests compare your δ^[l] with ∂ℓ/∂z^[l]
// computed by finite differences (moving each entry of z^[l] and running the rest of
// the network) for sigmoid, tanh and ReLU layers of sizes that all differ, on a square
// 3-3-3 network where W^[l+1] and its transpose have the same shape, column by column
// on a batch, and on the running example's δ^[1].
//
// Library: backprop::activate_prime, backprop::hadamard, backprop::matmul,
//          xt::linalg
//
// Hint: entry j of W^[l+1]ᵀ δ^[l+1] is the sum over k of W_next(k, j) * delta_next(k, i),
// equation (6.4): the sum runs down column j of W^[l+1], its first index. Then multiply
// entry by entry by backprop::activate_prime(sigma, z), σ' at the weighted input z, not
// at the activation.
// -----------------------------------------------------------------------------
Matrix hidden_delta(const Matrix& W_next, const Matrix& delta_next, Activation sigma, const Matrix& z)
{
    not_implemented(6, 1);
}

// -----------------------------------------------------------------------------
// Exercise 6.2: the backward walk of the errors
//
// Task: given the forward pass of net on a batch (pass.z[l] and pass.a[l], each
// (n_l, m)), the targets y of shape (n_L, m) and the loss, return the errors of every
// layer as a vector of L + 1 matrices indexed like the text: entry l is δ^[l] of shape
// (n_l, m) for l = 1..L, and entry 0 is left empty. δ^[L] is the output error of
// chapter 5 (equation 5.6), then each hidden δ^[l] comes from δ^[l+1] by equation 6.5,
// for l = L-1 down to 1. Each column is one sample's error (no 1/m). The tests compare
// every layer's δ^[l] with a numeric ∂ℓ/∂z^[l] on a 2-3-2 sigmoid network with the L1
// loss, a 3-5-4-2 tanh network with the quadratic loss, a ReLU network and a tanh
// network with a sigmoid output and cross-entropy, and check the running example's
// δ^[2] and δ^[1] as chapter 6 prints them.
//
// Library: backprop::output_delta, backprop::activate_prime, backprop::hadamard,
//          backprop::matmul, xt::linalg
//
// Hint: backprop::output_delta(loss, net.sigma[L], pass.z[L], pass.a[L], y) gives
// δ^[L]; your hidden_delta() gives the rest. Layer l's error uses the weights of the
// layer after it, W^[l+1], and the activation of its own layer, net.sigma[l]. Count l
// down from L - 1 to 1; with an unsigned l the condition must be l >= 1, since l >= 0
// is always true.
// -----------------------------------------------------------------------------
std::vector<Matrix> backward_deltas(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    not_implemented(6, 2);
}

// -----------------------------------------------------------------------------
// Exercise 6.3: the gradient with respect to the input
//
// Task: return ∂ℓ/∂a^[0], the gradient of the loss with respect to the network's input
// x = a^[0], shape (n_0, m): column i is the gradient of sample i's own loss with
// respect to column i of x. The input layer has no weighted input and no activation, so
// this is equation 6.5 without its last factor: ∂ℓ/∂a^[0] = W^[1]ᵀ δ^[1], the same step
// back along the weights that every hidden layer takes. The tests compare your gradient
// with a numeric gradient with respect to x on networks of several sizes, activations,
// losses and batches, and check that moving x a small step against it lowers the loss.
//
// Library: backprop::output_delta, backprop::activate_prime, backprop::hadamard,
//          backprop::matmul, xt::linalg
//
// Hint: the errors come from your backward_deltas(); δ^[1] is its entry 1. Multiply by
// W^[1] transposed, exactly as in hidden_delta(), but do not multiply by any σ': there is
// none between x and z^[1] = W^[1] x + b^[1].
// -----------------------------------------------------------------------------
Matrix input_gradient(const Network& net, const ForwardPass& pass, const Matrix& y, Loss loss)
{
    not_implemented(6, 3);
}

}  // namespace exercises

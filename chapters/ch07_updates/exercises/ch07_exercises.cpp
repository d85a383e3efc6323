// Chapter 7 — Gradients and updates: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 7
// It compiles this file, runs the tests in ch07_grading.cpp and shows what passes.
// The declarations are in ch07_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.
//
// Your functions have the names of the library's (backprop/gradients.hpp, sgd.hpp).
// Where one of them calls another, write exercises::bias_gradient(...): a bare
// bias_gradient(...) is ambiguous, because C++ also looks for it in backprop::, the
// namespace of its arguments.

#include "ch07_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 7.1: the bias gradient of a batch
//
// Task: return ∂J/∂b^[l] for a batch whose errors δ^[l] are the (n_l, m) matrix delta,
// one column per sample: the mean of its m columns, an (n_l, 1) column (equation 7.5;
// for m = 1 it is δ^[l] itself, equation 7.3). The loss J of a batch is the mean of the
// samples' losses, so its gradient is the mean, not the sum. A batch with no columns has
// no mean: throw backprop::ShapeError if m = 0. The tests check small numbers by hand,
// that m = 1 returns δ, that a batch of identical columns returns that column, and your
// gradient against a numeric ∂J/∂b^[l] of the batch loss for every layer of networks
// whose layers all have different sizes.
//
// Library: none
//
// Hint: make an (n_l, 1) result, add up each row of delta over its m columns and divide
// by m. delta.shape(0) is n_l and delta.shape(1) is m.
// -----------------------------------------------------------------------------
Matrix bias_gradient(const Matrix& delta)
{
    not_implemented(7, 1);
}

// -----------------------------------------------------------------------------
// Exercise 7.2: the weight gradient of a batch
//
// Task: return ∂J/∂W^[l] = δ^[l] a^[l-1]ᵀ / m (equation 7.6) for the (n_l, m) errors
// delta and the (n_{l-1}, m) activations a_prev of the layer before: an (n_l, n_{l-1})
// matrix, the shape of W^[l], whose entry (j, k) is the mean over the samples i of
// delta(j, i) * a_prev(k, i) (equation 7.2 for each sample). Throw backprop::ShapeError
// naming both shapes if delta and a_prev have different numbers of columns. The tests
// check an outer product by hand, the running example's ∂ℓ/∂W^[1] = δ^[1] xᵀ as chapter 7
// prints it, that a batch gives the mean of its samples' outer products, your gradient
// against a numeric ∂J/∂W^[l] for every layer of networks of sizes that all differ,
// and the ShapeError.
//
// Library: backprop::matmul, xt::linalg
//
// Hint: row j of the result comes from row j of delta (the error at the head of each
// edge into neuron j), column k from row k of a_prev (the activation at its tail). The
// sum over the batch is the inner index of the product δ A^[l-1]ᵀ; divide by m once.
// -----------------------------------------------------------------------------
Matrix weight_gradient(const Matrix& delta, const Matrix& a_prev)
{
    not_implemented(7, 2);
}

// -----------------------------------------------------------------------------
// Exercise 7.3: one step of gradient descent
//
// Task: change net in place by equation 7.7: for every layer l = 1..L,
// W^[l] ← W^[l] − α grads.grad_W[l] and b^[l] ← b^[l] − α grads.grad_b[l] (index 0 is
// unused, as in the network). Throw std::invalid_argument if alpha is negative or not
// finite, and backprop::ShapeError if grads does not have L + 1 entries or a gradient's
// shape differs from its parameter's; check everything before changing anything, so that
// a refused step leaves the network exactly as it was. The tests check every entry
// against θ − α g, that α = 0 changes nothing, that a small step lowers the loss, and
// that the real change of the loss matches the first-order prediction −α ‖g‖² of
// equation 7.8, where ‖g‖² sums the squares of every weight and bias gradient.
//
// Library: none
//
// Hint: first loop over the layers only to compare shapes (backprop::require_same_shape()
// or .shape() ==), then loop again to subtract. net.W[l] - alpha * grads.grad_W[l] is an
// xtensor expression: assign it to net.W[l] (a Matrix), or write the loop over entries.
// -----------------------------------------------------------------------------
void sgd_step(Network& net, const Gradients& grads, double alpha)
{
    not_implemented(7, 3);
}

// -----------------------------------------------------------------------------
// Exercise 7.4: the whole backward pass
//
// Task: for the batch x of shape (n_0, m) with targets y of shape (n_L, m), return the
// Gradients of the batch loss J: the forward pass, then δ^[L] (equation 5.6), every hidden
// δ^[l] (equation 6.5) for l = L-1 down to 1, and for every layer ∂J/∂b^[l] and ∂J/∂W^[l]
// (equations 7.5 and 7.6) with your bias_gradient() and weight_gradient(). Each of the
// three vectors delta, grad_W and grad_b has L + 1 entries indexed like the text (entry 0
// empty); delta[l] is (n_l, m), grad_W[l] has the shape of W^[l] and grad_b[l] that of
// b^[l]. Do not call backprop::backward() or backprop::backward_deltas(): this is the
// exercise. The tests run a full gradient check, every weight and bias against a numeric
// derivative of J, on networks with sigmoid, tanh and ReLU layers, the L1, quadratic and
// cross-entropy losses and batches of several sizes (square ones too, where a^[l] in
// place of a^[l-1] has the right shape and the wrong numbers), and compare the running
// example's gradients with those `build/bin/ch07_updates --json` prints.
//
// Library: backprop::forward, backprop::output_delta, backprop::hidden_delta,
//          backprop::activate_prime, backprop::hadamard, backprop::matmul,
//          xt::linalg
//
// Hint: backprop::forward(net, x) keeps every z^[l] and a^[l]. δ^[L] is
// backprop::output_delta() of chapter 5, and each hidden δ^[l] is backprop::hidden_delta()
// of chapter 6, both in backprop/backward.hpp (or write (W^[l+1]ᵀ δ^[l+1]) ⊙ σ'(z^[l]) yourself with xt::linalg::dot,
// xt::transpose and backprop::activate_prime()). Compute every δ first, then the
// gradients. Layer l's weight gradient takes the activation that went INTO layer l,
// pass.a[l - 1], not its own pass.a[l].
// -----------------------------------------------------------------------------
Gradients backward(const Network& net, const Matrix& x, const Matrix& y, Loss loss)
{
    not_implemented(7, 4);
}

}  // namespace exercises

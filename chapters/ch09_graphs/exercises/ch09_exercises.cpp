// Chapter 9 — Backprop on any graph: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 9
// It compiles this file, runs the tests in ch09_grading.cpp and shows what passes.
// The declarations are in ch09_exercises.hpp; do not change them.
//
// Where one of your functions calls another, write exercises::name(...): a bare name may
// be ambiguous, because C++ also looks for it in backprop::, the namespace of Matrix.

#include "ch09_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 9.1: the local backward of a matrix product
//
// Task: C = A B, where A is (n, k) and B is (k, m). Given grad_C = ∂J/∂C, shape (n, m),
// return ∂J/∂A = grad_C Bᵀ, shape (n, k), and ∂J/∂B = Aᵀ grad_C, shape (k, m)
// (equation 9.3). Throw backprop::ShapeError if the columns of A differ from the rows of
// B, or grad_C is not (n, m). The tests check the source's 2×2 example by hand, that each
// gradient has its input's shape, and both against numeric derivatives of
// J = Σ_ij (A B)_ij G_ij on shapes that are not square, where a missing transpose or
// swapped factors give the wrong shape or the wrong numbers.
//
// Library: xt::linalg
//
// Hint: entry (i, p) of ∂J/∂A is Σ_j grad_C(i, j) B(p, j): C_ij = Σ_p A_ip B_pj, so A_ip
// reaches every C_ij of row i, each time multiplied by B_pj. Write the three loops, or use
// xt::linalg::dot with xt::transpose. Check the shapes: (n, m)(m, k) -> (n, k).
// -----------------------------------------------------------------------------
ProductGradients matmul_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C)
{
    not_implemented(9, 1);
}

// -----------------------------------------------------------------------------
// Exercise 9.2: the topological order
//
// Task: a graph has nodes 0, 1, ..., inputs.size() - 1; inputs[i] lists the nodes that
// node i is computed from (empty for a leaf; a node may appear twice, as in x ⊙ x). The
// nodes are NOT numbered in any useful order. Return the nodes that `output` depends on,
// `output` included, each exactly once and each after every one of its inputs, so that a
// forward pass can run along the list and a backward pass along it in reverse. Leave out
// the nodes that `output` does not depend on. Throw std::invalid_argument if the graph has
// a cycle on the way to `output` (then no such order exists) or names a node that is not
// there. The tests check chains, a diamond (a node used by two others), nodes numbered
// backwards, unused nodes, a node used twice, cycles, and random graphs whose nodes are
// shuffled.
//
// Library: none
//
// Hint: a depth-first search from `output`: visit a node's inputs first, then append the
// node. Keep each node's state: not seen, in progress, done. Meeting a node that is still
// in progress means a cycle; a node already done is skipped, so it is listed once.
// -----------------------------------------------------------------------------
std::vector<std::size_t> topological_order(const std::vector<std::vector<std::size_t>>& inputs,
                                           std::size_t output)
{
    not_implemented(9, 2);
}

// -----------------------------------------------------------------------------
// Exercise 9.3: the backward pass of a tape, with fan-out
//
// Task: `tape` is a computation in topological order: each node's inputs (a, b) come
// before it, and every value has been computed. The last node is the output J. Return a
// vector g with g[i] = ∂J/∂(node i) for every node: g[last] = 1, then, from the last node
// back to the first, each node hands its gradient to its inputs by its local rule
// (equations 9.4 to 9.6): '+' passes g on to a and to b; '*' gives a the gradient times
// b's value and b the gradient times a's value; 'm' (max) gives all of it to the larger
// input (to a on a tie); 't' (tanh) gives a the gradient times 1 − value². A node used
// twice (x * x, or x in two later nodes) must collect the sum of both shares. Nodes J
// does not depend on get 0. The tests check x * x, x * y + x, the three gates of the
// chapter, a node used by three others, and random tapes against numeric derivatives.
//
// Library: none
//
// Hint: start with g all zeros and g.back() = 1; walk i from the last node down to 0 and
// ADD into g[a] and g[b] (+=, never =). Because of the order, g[i] is complete when you
// reach node i: every node that uses it comes later and has already been handled.
// -----------------------------------------------------------------------------
std::vector<double> scalar_backward(const std::vector<ScalarNode>& tape)
{
    not_implemented(9, 3);
}

// -----------------------------------------------------------------------------
// Exercise 9.4: softmax with the categorical cross-entropy
//
// Task: z is an (n, m) matrix, one column of logits per sample; y the targets, one-hot
// columns. With a = softmax(z) column by column, a_j = e^{z_j} / Σ_k e^{z_k}, and the
// batch loss J = (1/m) Σ_i (−Σ_j y_ji ln a_ji), return ∂J/∂z = (a − y) / m (equation 9.12),
// shape (n, m). It must stay finite and exact for any finite z, also z = 1000 or −1000,
// where e^z overflows or rounds to 0. Throw backprop::ShapeError if z and y differ in
// shape. The tests check a column by hand, numeric derivatives of J on batches, columns
// that sum to 0, logits of ±1000, and that adding a constant to a column changes nothing.
//
// Library: none
//
// Hint: compute each column's softmax as e^{z_j − c} / Σ_k e^{z_k − c} with c = max_k z_k:
// the same fraction, but every exponent is ≤ 0, so nothing overflows, and the sum is ≥ 1.
// Then subtract y and divide by m.
// -----------------------------------------------------------------------------
Matrix softmax_cross_entropy_gradient(const Matrix& z, const Matrix& y)
{
    not_implemented(9, 4);
}

}  // namespace exercises

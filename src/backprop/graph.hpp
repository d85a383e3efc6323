/// \file graph.hpp
/// \brief Backpropagation on any graph: a reverse-mode automatic differentiation engine
/// over matrices. \see ch09_graphs
///
/// A Graph is a *tape*: a list of nodes, each holding a matrix value. A node is a leaf
/// (a parameter, which gets a gradient, or a constant, which does not) or the result of
/// one Operation on one or two earlier nodes. A node can only be made from nodes that
/// already exist, so the tape is always in topological order: every node comes after
/// its inputs. Values are computed as the nodes are made, and again by Graph::forward()
/// after a leaf has changed.
///
/// Graph::backward() walks the tape from the end and hands each node's gradient
/// \f$ \bar v = \partial J / \partial v \f$ to its operation's *local backward*, a small function
/// of its own (matmul_backward(), hadamard_backward(), ...), which **adds** its share to
/// the gradients of the node's inputs. A node used more than once therefore collects the
/// sum of its uses' shares. Graph::directional_derivative() walks the tape the other way
/// with each operation's *tangent* rule: forward mode, one pass per direction.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// A node of a Graph, named by its place on the tape (0, 1, ...).
struct Node {
    /// The place on the tape; the largest `std::size_t` for no node.
    std::size_t index = std::numeric_limits<std::size_t>::max();
    /// False for the default `Node{}`, which names no node.
    bool valid() const { return index != std::numeric_limits<std::size_t>::max(); }
};

/// One operation of the engine: how a node's value \f$ v = f(x, y) \f$ is computed from its
/// inputs, how a gradient \f$ \bar v \f$ goes back to them and how a tangent \f$ \dot v \f$
/// comes forward from them. A unary operation ignores its second input. The built-in
/// operations are in backprop::ops; a test may build its own (a deliberately wrong one).
struct Operation {
    const char* name;    ///< e.g. `"matmul"`
    const char* symbol;  ///< drawn in the node, e.g. `"×"`
    std::size_t arity;   ///< 1 or 2 inputs
    /// The second input is a constant (a target \f$ y \f$): it gets no gradient or tangent.
    bool constant_y;
    /// \f$ v = f(x, y) \f$, written into `value` (resized if needed).
    /// \throws ShapeError if the inputs' shapes do not fit
    void (*forward)(const Matrix& x, const Matrix& y, Matrix& value);
    /// Adds \f$ \bar v\, \partial v / \partial x \f$ to `*grad_x` and \f$ \bar v\, \partial v / \partial y \f$
    /// to `*grad_y`, given the node's value and \f$ \bar v \f$ = `grad`; a null pointer is a
    /// gradient nobody needs.
    void (*backward)(const Matrix& x, const Matrix& y, const Matrix& value, const Matrix& grad, Matrix* grad_x,
                     Matrix* grad_y);
    /// \f$ \dot v = \frac{\partial v}{\partial x} \dot x + \frac{\partial v}{\partial y} \dot y \f$ into
    /// `tangent`; a null input tangent is zero.
    void (*tangent)(const Matrix& x, const Matrix& y, const Matrix& value, const Matrix* dx, const Matrix* dy,
                    Matrix& tangent);
    /// The distance from \f$ (x, y) \f$ to the nearest point where \f$ f \f$ has no derivative,
    /// or null for an operation that is smooth everywhere.
    double (*kink)(const Matrix& x, const Matrix& y);
};

/// \name The local forward, backward and tangent of each operation
/// Each backward *adds* to the gradients it is given, so that a node used twice collects
/// both shares. Shapes: \f$ A \f$ is \f$ (n, k) \f$, \f$ B \f$ is \f$ (k, m) \f$ for the product and
/// \f$ (n, m) \f$ otherwise; a gradient has its node's shape. \see ch09_graphs
///@{

/// \f$ C = AB \f$: \f$ \bar A \mathrel{+}= \bar C B^\top \f$, \f$ \bar B \mathrel{+}= A^\top \bar C \f$.
void matmul_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C, Matrix* grad_A, Matrix* grad_B);

/// \f$ C = AB \f$: \f$ \dot C = \dot A B + A \dot B \f$.
void matmul_tangent(const Matrix& A, const Matrix& B, const Matrix* dA, const Matrix* dB, Matrix& dC);

/// \f$ z = Z + b \mathbf{1}^\top \f$, the column \f$ b \f$ of shape \f$ (n, 1) \f$ added to each of the
/// \f$ m \f$ columns of \f$ Z \f$. \throws ShapeError unless \f$ b \f$ is \f$ (n, 1) \f$
void add_bias_forward(const Matrix& Z, const Matrix& b, Matrix& z);

/// \f$ z = Z + b \mathbf{1}^\top \f$: \f$ \bar Z \mathrel{+}= \bar z \f$, \f$ \bar b \mathrel{+}= \bar z \mathbf{1} \f$
/// (the sum over the columns, since \f$ b \f$ was used once per column).
void add_bias_backward(const Matrix& grad_z, Matrix* grad_Z, Matrix* grad_b);

/// \f$ C = A + B \f$: \f$ \bar A \mathrel{+}= \bar C \f$, \f$ \bar B \mathrel{+}= \bar C \f$ (the add gate
/// hands its gradient to both inputs unchanged).
void add_backward(const Matrix& grad_C, Matrix* grad_A, Matrix* grad_B);

/// \f$ C = A \odot B \f$: \f$ \bar A \mathrel{+}= \bar C \odot B \f$, \f$ \bar B \mathrel{+}= \bar C \odot A \f$
/// (the multiply gate swaps its inputs).
void hadamard_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C, Matrix* grad_A, Matrix* grad_B);

/// \f$ C = \max(A, B) \f$ entry by entry, \f$ A \f$ where they tie.
/// \throws ShapeError if the shapes differ
void maximum_forward(const Matrix& A, const Matrix& B, Matrix& C);

/// \f$ C = \max(A, B) \f$: \f$ \bar C_{ij} \f$ goes to \f$ \bar A_{ij} \f$ where \f$ A_{ij} \ge B_{ij} \f$ and to
/// \f$ \bar B_{ij} \f$ elsewhere (the max gate routes its gradient to the larger input; at a tie,
/// where there is no derivative, to \f$ A \f$, one of the subgradients).
void maximum_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C, Matrix* grad_A, Matrix* grad_B);

/// \f$ s = \sum_{ij} A_{ij} \f$, shape \f$ (1, 1) \f$: \f$ \bar A_{ij} \mathrel{+}= \bar s \f$.
void sum_backward(const Matrix& grad_s, Matrix* grad_A);

/// \f$ A = \sigma(Z) \f$ entry by entry: \f$ \bar Z \mathrel{+}= \bar A \odot \sigma'(Z) \f$, the step of
/// equations (5.6) and (6.5). \throws std::invalid_argument for softmax
void activation_backward(Activation sigma, const Matrix& Z, const Matrix& grad_A, Matrix* grad_Z);

/// \f$ a = \operatorname{softmax}(z) \f$ per column: \f$ \bar z_j \mathrel{+}= a_j \left(\bar a_j - \sum_k a_k \bar a_k\right) \f$,
/// the product with the Jacobian \f$ \partial a_k / \partial z_j = a_k (\mathbb{1}_{jk} - a_j) \f$.
/// \param A the softmax's value, shape \f$ (n, m) \f$
void softmax_backward(const Matrix& A, const Matrix& grad_A, Matrix* grad_Z);

/// \f$ J = \frac1m \sum_i \ell(a_{:,i}, y_{:,i}) \f$ (loss_value()), shape \f$ (1, 1) \f$:
/// \f$ \bar A \mathrel{+}= \frac{\bar J}{m} \nabla_a \ell \f$ (loss_gradient()). The target gets no gradient.
void loss_backward(Loss loss, const Matrix& A, const Matrix& Y, const Matrix& grad_J, Matrix* grad_A);

/// \f$ J \f$ = softmax_cross_entropy() of the logits \f$ Z \f$: \f$ \bar Z \mathrel{+}= \frac{\bar J}{m}
/// \left(\operatorname{softmax}(Z) \odot \mathbf{1} \mathbf{1}^\top Y - Y\right) \f$, which is
/// \f$ \frac{\bar J}{m} (a - y) \f$ when each target column sums to 1.
void softmax_cross_entropy_backward(const Matrix& Z, const Matrix& Y, const Matrix& grad_J, Matrix* grad_Z);
///@}

/// The built-in operations, each built on the functions above.
namespace ops {
extern const Operation matmul;     ///< \f$ AB \f$
extern const Operation add_bias;   ///< \f$ Z + b\mathbf{1}^\top \f$, the bias of a layer
extern const Operation add;        ///< \f$ A + B \f$, e.g. a skip connection
extern const Operation hadamard;   ///< \f$ A \odot B \f$
extern const Operation maximum;    ///< \f$ \max(A, B) \f$ entry by entry
extern const Operation sum;        ///< \f$ \sum_{ij} A_{ij} \f$
extern const Operation sigmoid;    ///< \f$ \sigma(Z) \f$
extern const Operation tanh;       ///< \f$ \tanh Z \f$
extern const Operation relu;       ///< \f$ \mathrm{ReLU}(Z) \f$
extern const Operation identity;   ///< \f$ Z \f$
extern const Operation softmax;    ///< softmax() of each column
extern const Operation l1;         ///< loss_value() with Loss::l1 of \f$ (A, Y) \f$
extern const Operation quadratic;  ///< loss_value() with Loss::quadratic
extern const Operation cross_entropy;              ///< loss_value() with Loss::cross_entropy
extern const Operation categorical_cross_entropy;  ///< loss_value() with Loss::categorical_cross_entropy
extern const Operation softmax_cross_entropy;      ///< backprop::softmax_cross_entropy() of \f$ (Z, Y) \f$
}  // namespace ops

/// The operation of the activation \p sigma (ops::sigmoid, ..., ops::softmax). \see ch09_graphs
const Operation& activation_operation(Activation sigma);

/// The operation of the loss \p loss (ops::l1, ..., ops::categorical_cross_entropy).
/// \see ch09_graphs
const Operation& loss_operation(Loss loss);

/// A tape of nodes in topological order, with their values and gradients; see the
/// description of graph.hpp. \see ch09_graphs
class Graph {
public:
    /// A leaf that gets a gradient, e.g. \f$ W^{[l]} \f$, named \p name in drawings and reports.
    Node parameter(const Matrix& value, const std::string& name);
    /// A leaf that gets no gradient, e.g. the input \f$ x \f$ or the target \f$ y \f$.
    Node constant(const Matrix& value, const std::string& name);
    /// A node \f$ f(x) \f$ of the unary operation \p op, its value computed now.
    /// \throws std::invalid_argument if \p op takes two inputs or \p x is not a node of this graph;
    /// ShapeError if its shape does not fit
    Node apply(const Operation& op, Node x, const std::string& name = "");
    /// A node \f$ f(x, y) \f$ of the binary operation \p op, its value computed now.
    /// \throws std::invalid_argument if \p op takes one input, an input is not a node of this
    /// graph, or `op.constant_y` and \p y needs a gradient; ShapeError if the shapes do not fit
    Node apply(const Operation& op, Node x, Node y, const std::string& name = "");

    /// The number of nodes on the tape.
    std::size_t size() const { return tape_.size(); }
    /// The node at place \p index. \throws std::out_of_range past the end
    Node node(std::size_t index) const;
    /// The value of \p n. \throws std::out_of_range if \p n is not a node of this graph
    const Matrix& value(Node n) const;
    /// The value of the leaf \p n, to change in place (keep its shape), then forward().
    /// \throws std::invalid_argument if \p n is not a leaf
    Matrix& leaf_value(Node n);
    /// \f$ \partial J / \partial n \f$ from the last backward() (for a parameter, the sum over
    /// every backward() since zero_grad()), shape of value().
    /// \throws std::invalid_argument if \p n needs no gradient (a constant, or made only of constants)
    const Matrix& grad(Node n) const;
    /// The name \p n was given, or its operation's name.
    const std::string& name(Node n) const;
    /// The operation that made \p n, or null for a leaf (valid until the next node is made).
    const Operation* operation(Node n) const;
    /// The inputs of \p n: none for a leaf, one or two otherwise.
    std::vector<Node> inputs(Node n) const;
    /// True for a node made by parameter().
    bool is_parameter(Node n) const;
    /// True for a parameter and for a node with an input that needs a gradient.
    bool needs_grad(Node n) const;
    /// Every parameter, in the order of the tape.
    std::vector<Node> parameters() const;

    /// Recomputes the value of every node that is not a leaf, in the order of the tape.
    void forward();

    /// The nodes \p output depends on, itself included, each after all of its inputs: the
    /// tape, in its order, without the nodes that do not lead to \p output.
    std::vector<Node> topological_order(Node output) const;

    /// Reverse mode: \f$ \partial J / \partial n \f$ for every node \f$ n \f$ that \p output (\f$ J \f$, of
    /// shape \f$ (1, 1) \f$) depends on and that needs a gradient. It seeds \f$ \bar J = 1 \f$
    /// and calls each node's local backward from the last node to the first, so that a
    /// node's gradient is complete, every use of it added, before it is passed on.
    /// The gradients of the other nodes start from 0 on every call; a parameter's are
    /// **added** to what it holds, as a node used twice adds its shares, until zero_grad().
    /// \throws std::invalid_argument unless \p output has shape \f$ (1, 1) \f$
    void backward(Node output);

    /// Sets every gradient to 0.
    void zero_grad();

    /// Forward mode: the derivative of \p output (shape \f$ (1, 1) \f$) in the direction
    /// \p direction of the leaf \p leaf, \f$ \dot J = \sum_{ij} \frac{\partial J}{\partial \theta_{ij}} D_{ij} \f$,
    /// by one pass of the tangent rules over the nodes after \p leaf.
    /// \param direction \f$ D \f$, the shape of \p leaf
    /// \throws std::invalid_argument if \p leaf is not a leaf or \p output is not \f$ (1, 1) \f$;
    /// ShapeError if \p direction does not have the shape of \p leaf
    double directional_derivative(Node output, Node leaf, const Matrix& direction);

    /// The smallest distance of any node's inputs from a kink of its operation (ReLU at 0,
    /// a max at a tie, \f$ |a - y| \f$ at 0), or infinity: how far a gradient check is from
    /// a point where the derivative does not exist.
    double distance_to_kink() const;

    /// \cond GRAPH_INTERNALS
private:
    struct Entry {
        bool leaf = true;
        Operation op{};  // a copy, so that an operation may be a temporary
        Node x, y;
        Matrix value, grad;
        std::string name;
        bool parameter = false;
        bool needs_grad = false;
    };
    const Entry& at(Node n) const;
    Node push(Entry e);
    const Matrix& value_of(Node n) const;  // an empty matrix for no node
    Matrix* grad_of(Node n);               // null for no node, or one that needs no gradient
    const Matrix* tangent_of(Node n) const;  // null for no node, or a tangent of 0

    std::vector<Entry> tape_;
    std::vector<Matrix> tangent_;  // directional_derivative()'s buffers
    std::vector<char> active_;     // which nodes have a nonzero tangent
    /// \endcond
};

/// Forward mode for every entry of the parameter \p leaf: one directional_derivative()
/// per entry, in the direction of that entry alone. \returns shape of \p leaf
/// \see ch09_graphs
Matrix forward_mode_gradient(Graph& graph, Node output, Node leaf);

/// The nodes of a layered Network built on a graph by network_graph(), indexed like the
/// text (index 0 of `W`, `b` and `z` unused).
struct NetworkGraph {
    Node x;               ///< the constant \f$ a^{[0]} \f$
    Node y;               ///< the constant target \f$ y \f$
    std::vector<Node> W;  ///< the parameters \f$ W^{[l]} \f$
    std::vector<Node> b;  ///< the parameters \f$ b^{[l]} \f$
    std::vector<Node> z;  ///< \f$ z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]} \f$
    std::vector<Node> a;  ///< \f$ a^{[l]} = \sigma(z^{[l]}) \f$, `a[0]` = `x`
    Node J;               ///< the loss \f$ J \f$ of the batch, shape \f$ (1, 1) \f$
};

/// \p net, the batch \p x and its targets \p y as nodes of \p graph: for \f$ l = 1..L \f$ a
/// product, a bias and an activation, then the loss, equations (4.1), (4.2) and (4.10).
/// \param x shape \f$ (n_0, m) \f$ \param y shape \f$ (n_L, m) \f$
/// \throws ShapeError if the shapes do not fit; std::invalid_argument if \p loss cannot
/// follow the output activation
/// \see ch09_graphs
NetworkGraph network_graph(Graph& graph, const Network& net, const Matrix& x, const Matrix& y, Loss loss);

}  // namespace backprop

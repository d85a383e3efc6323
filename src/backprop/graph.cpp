#include "backprop/graph.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "backprop/matmul.hpp"

namespace backprop {

namespace {

const Matrix none;  // the second input of a unary operation

// *into += g, if anyone wants the gradient.
void add_to(Matrix* into, const Matrix& g)
{
    if (into != nullptr) {
        require_same_shape(*into, g, "adding a gradient", "ch09_graphs");
        *into += g;
    }
}

Matrix zeros_like(const Matrix& M) { return xt::zeros<double>(M.shape()); }

Matrix scalar(double s) { return Matrix{{s}}; }

// A tangent that is absent is zero.
Matrix tangent_or_zero(const Matrix* d, const Matrix& like) { return d != nullptr ? *d : zeros_like(like); }

// sum_ij A_ij B_ij
double dot(const Matrix& A, const Matrix& B)
{
    require_same_shape(A, B, "sum of a product", "ch09_graphs");
    double s = 0.0;
    for (std::size_t k = 0; k < A.size(); ++k) {
        s += A.data()[k] * B.data()[k];
    }
    return s;
}

}  // namespace

//! [matmul_backward]
void matmul_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C,
                     Matrix* grad_A, Matrix* grad_B)
{
    if (grad_A != nullptr) {
        matmul_into(grad_C, false, B, /*transpose_B=*/true, *grad_A, 1.0, 1.0);
    }
    if (grad_B != nullptr) {
        matmul_into(A, /*transpose_A=*/true, grad_C, false, *grad_B, 1.0, 1.0);
    }
}
//! [matmul_backward]

//! [matmul_tangent]
void matmul_tangent(const Matrix& A, const Matrix& B, const Matrix* dA,
                    const Matrix* dB, Matrix& dC)
{
    ensure_shape(dC, A.shape(0), B.shape(1));
    dC.fill(0.0);
    if (dA != nullptr) {
        matmul_into(*dA, false, B, false, dC, 1.0, 1.0);  // dA B
    }
    if (dB != nullptr) {
        matmul_into(A, false, *dB, false, dC, 1.0, 1.0);  // + A dB
    }
}
//! [matmul_tangent]

void add_bias_forward(const Matrix& Z, const Matrix& b, Matrix& z)
{
    if (b.shape(0) != Z.shape(0) || b.shape(1) != 1) {
        throw ShapeError("Z + b: Z has shape " + shape_of(Z) + " and b has shape " + shape_of(b) +
                         "; b must be a column with one entry per row of Z (see ch09_graphs)");
    }
    ensure_shape(z, Z.shape(0), Z.shape(1));
    for (std::size_t j = 0; j < Z.shape(0); ++j) {
        for (std::size_t i = 0; i < Z.shape(1); ++i) {
            z(j, i) = Z(j, i) + b(j, 0);
        }
    }
}

//! [add_bias_backward]
void add_bias_backward(const Matrix& grad_z, Matrix* grad_Z, Matrix* grad_b)
{
    add_to(grad_Z, grad_z);
    if (grad_b != nullptr) {
        for (std::size_t j = 0; j < grad_z.shape(0); ++j) {
            for (std::size_t i = 0; i < grad_z.shape(1); ++i) {
                (*grad_b)(j, 0) += grad_z(j, i);  // b was added to every column
            }
        }
    }
}
//! [add_bias_backward]

//! [gates_backward]
void add_backward(const Matrix& grad_C, Matrix* grad_A, Matrix* grad_B)
{
    add_to(grad_A, grad_C);  // the add gate passes the gradient on unchanged
    add_to(grad_B, grad_C);
}

void hadamard_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C,
                       Matrix* grad_A, Matrix* grad_B)
{
    add_to(grad_A, grad_C * B);  // the multiply gate swaps its inputs
    add_to(grad_B, grad_C * A);
}

void maximum_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C,
                      Matrix* grad_A, Matrix* grad_B)
{
    require_same_shape(A, B, "max(A, B)", "ch09_graphs");
    for (std::size_t k = 0; k < A.size(); ++k) {
        const bool a_wins = A.data()[k] >= B.data()[k];  // a tie goes to A
        Matrix* winner = a_wins ? grad_A : grad_B;  // the max gate routes
        if (winner != nullptr) {
            winner->data()[k] += grad_C.data()[k];
        }
    }
}
//! [gates_backward]

void maximum_forward(const Matrix& A, const Matrix& B, Matrix& C)
{
    require_same_shape(A, B, "max(A, B)", "ch09_graphs");
    ensure_shape(C, A.shape(0), A.shape(1));
    for (std::size_t k = 0; k < A.size(); ++k) {
        C.data()[k] = std::max(A.data()[k], B.data()[k]);
    }
}

void sum_backward(const Matrix& grad_s, Matrix* grad_A)
{
    if (grad_A != nullptr) {
        *grad_A += grad_s(0, 0);  // every entry counted once
    }
}

//! [activation_backward]
void activation_backward(Activation sigma, const Matrix& Z,
                         const Matrix& grad_A, Matrix* grad_Z)
{
    if (grad_Z != nullptr) {
        Matrix g = grad_A;
        multiply_by_prime(sigma, Z, g);  // grad_A (.) sigma'(Z)
        add_to(grad_Z, g);
    }
}
//! [activation_backward]

//! [softmax_backward]
void softmax_backward(const Matrix& A, const Matrix& grad_A, Matrix* grad_Z)
{
    require_same_shape(A, grad_A, "softmax backward", "ch09_graphs");
    if (grad_Z == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < A.shape(1); ++i) {  // each column on its own
        double a_dot_g = 0.0;  // sum_k a_k grad_a_k
        for (std::size_t k = 0; k < A.shape(0); ++k) {
            a_dot_g += A(k, i) * grad_A(k, i);
        }
        for (std::size_t j = 0; j < A.shape(0); ++j) {
            (*grad_Z)(j, i) += A(j, i) * (grad_A(j, i) - a_dot_g);
        }
    }
}
//! [softmax_backward]

//! [loss_backward]
void loss_backward(Loss loss, const Matrix& A, const Matrix& Y,
                   const Matrix& grad_J, Matrix* grad_A)
{
    if (grad_A != nullptr) {
        const double m = static_cast<double>(A.shape(1));
        add_to(grad_A, loss_gradient(loss, A, Y) * (grad_J(0, 0) / m));
    }
}
//! [loss_backward]

//! [softmax_cross_entropy_backward]
void softmax_cross_entropy_backward(const Matrix& Z, const Matrix& Y,
                                    const Matrix& grad_J, Matrix* grad_Z)
{
    require_same_shape(Z, Y, "softmax cross-entropy of z and y", "ch09_graphs");
    if (grad_Z == nullptr) {
        return;
    }
    const Matrix a = softmax(Z);
    const double scale = grad_J(0, 0) / static_cast<double>(Z.shape(1));  // 1/m
    for (std::size_t i = 0; i < Z.shape(1); ++i) {
        double y_sum = 0.0;  // 1 for a one-hot target
        for (std::size_t k = 0; k < Z.shape(0); ++k) {
            y_sum += Y(k, i);
        }
        for (std::size_t j = 0; j < Z.shape(0); ++j) {
            (*grad_Z)(j, i) += scale * (a(j, i) * y_sum - Y(j, i));  // a - y
        }
    }
}
//! [softmax_cross_entropy_backward]

// --- Each operation in the uniform form of Operation: forward, backward, tangent, kink.

namespace {

void matmul_f(const Matrix& A, const Matrix& B, Matrix& C) { matmul_into(A, false, B, false, C); }
void matmul_b(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    matmul_backward(A, B, g, gA, gB);
}
void matmul_t(const Matrix& A, const Matrix& B, const Matrix&, const Matrix* dA, const Matrix* dB, Matrix& t)
{
    matmul_tangent(A, B, dA, dB, t);
}

void add_bias_b(const Matrix&, const Matrix&, const Matrix&, const Matrix& g, Matrix* gZ, Matrix* gb)
{
    add_bias_backward(g, gZ, gb);
}
void add_bias_t(const Matrix& Z, const Matrix& b, const Matrix&, const Matrix* dZ, const Matrix* db, Matrix& t)
{
    add_bias_forward(tangent_or_zero(dZ, Z), tangent_or_zero(db, b), t);
}

void add_f(const Matrix& A, const Matrix& B, Matrix& C)
{
    require_same_shape(A, B, "A + B", "ch09_graphs");
    C = A + B;
}
void add_b(const Matrix&, const Matrix&, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    add_backward(g, gA, gB);
}
void add_t(const Matrix& A, const Matrix& B, const Matrix&, const Matrix* dA, const Matrix* dB, Matrix& t)
{
    add_f(tangent_or_zero(dA, A), tangent_or_zero(dB, B), t);
}

void hadamard_f(const Matrix& A, const Matrix& B, Matrix& C) { C = hadamard(A, B); }
void hadamard_b(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    hadamard_backward(A, B, g, gA, gB);
}
void hadamard_t(const Matrix& A, const Matrix& B, const Matrix&, const Matrix* dA, const Matrix* dB, Matrix& t)
{
    t = tangent_or_zero(dA, A) * B + A * tangent_or_zero(dB, B);  // dA (.) B + A (.) dB
}

void maximum_b(const Matrix& A, const Matrix& B, const Matrix&, const Matrix& g, Matrix* gA, Matrix* gB)
{
    maximum_backward(A, B, g, gA, gB);
}
void maximum_t(const Matrix& A, const Matrix& B, const Matrix&, const Matrix* dA, const Matrix* dB, Matrix& t)
{
    t = zeros_like(A);
    const Matrix da = tangent_or_zero(dA, A), db = tangent_or_zero(dB, B);
    maximum_backward(A, B, da, &t, nullptr);  // the entries where A wins, from dA ...
    maximum_backward(A, B, db, nullptr, &t);  // ... and the others from dB
}
double maximum_kink(const Matrix& A, const Matrix& B)
{
    double d = INFINITY;
    for (std::size_t k = 0; k < A.size(); ++k) {
        d = std::min(d, std::abs(A.data()[k] - B.data()[k]));
    }
    return d;
}

void sum_f(const Matrix& A, const Matrix&, Matrix& s) { s = scalar(xt::sum(A)()); }
void sum_b(const Matrix&, const Matrix&, const Matrix&, const Matrix& g, Matrix* gA, Matrix*) { sum_backward(g, gA); }
void sum_t(const Matrix& A, const Matrix&, const Matrix&, const Matrix* dA, const Matrix*, Matrix& t)
{
    t = scalar(xt::sum(tangent_or_zero(dA, A))());
}

template <Activation S>
void activation_f(const Matrix& Z, const Matrix&, Matrix& A)
{
    activate_into(S, Z, A);
}
template <Activation S>
void activation_b(const Matrix& Z, const Matrix&, const Matrix&, const Matrix& g, Matrix* gZ, Matrix*)
{
    activation_backward(S, Z, g, gZ);
}
// sigma'(Z) (.) dZ: the backward's product, since the Jacobian is diagonal.
template <Activation S>
void activation_t(const Matrix& Z, const Matrix&, const Matrix&, const Matrix* dZ, const Matrix*, Matrix& t)
{
    t = zeros_like(Z);
    activation_backward(S, Z, tangent_or_zero(dZ, Z), &t);
}
double relu_kink(const Matrix& Z, const Matrix&)
{
    double d = INFINITY;
    for (double z : Z) {
        d = std::min(d, distance_to_kink(Activation::relu, z));
    }
    return d;
}

void softmax_b(const Matrix&, const Matrix&, const Matrix& A, const Matrix& g, Matrix* gZ, Matrix*)
{
    softmax_backward(A, g, gZ);
}
// The softmax's Jacobian is symmetric, so its product with dZ is the backward's.
void softmax_t(const Matrix& Z, const Matrix&, const Matrix& A, const Matrix* dZ, const Matrix*, Matrix& t)
{
    t = zeros_like(Z);
    softmax_backward(A, tangent_or_zero(dZ, Z), &t);
}

template <Loss L>
void loss_f(const Matrix& A, const Matrix& Y, Matrix& J)
{
    J = scalar(loss_value(L, A, Y));
}
template <Loss L>
void loss_b(const Matrix& A, const Matrix& Y, const Matrix&, const Matrix& g, Matrix* gA, Matrix*)
{
    loss_backward(L, A, Y, g, gA);
}
// dJ = sum_ij (dJ/dA)_ij dA_ij, with dJ/dA from the backward.
template <Loss L>
void loss_t(const Matrix& A, const Matrix& Y, const Matrix&, const Matrix* dA, const Matrix*, Matrix& t)
{
    Matrix g = zeros_like(A);
    loss_backward(L, A, Y, scalar(1.0), &g);
    t = scalar(dot(g, tangent_or_zero(dA, A)));
}
double l1_kink(const Matrix& A, const Matrix& Y) { return distance_to_kink(Loss::l1, A, Y); }

void softmax_cross_entropy_f(const Matrix& Z, const Matrix& Y, Matrix& J) { J = scalar(softmax_cross_entropy(Z, Y)); }
void softmax_cross_entropy_b(const Matrix& Z, const Matrix& Y, const Matrix&, const Matrix& g, Matrix* gZ, Matrix*)
{
    softmax_cross_entropy_backward(Z, Y, g, gZ);
}
void softmax_cross_entropy_t(const Matrix& Z, const Matrix& Y, const Matrix&, const Matrix* dZ, const Matrix*,
                             Matrix& t)
{
    Matrix g = zeros_like(Z);
    softmax_cross_entropy_backward(Z, Y, scalar(1.0), &g);
    t = scalar(dot(g, tangent_or_zero(dZ, Z)));
}

}  // namespace

namespace ops {
const Operation matmul{"matmul", "\u00d7", 2, false, matmul_f, matmul_b, matmul_t, nullptr};
const Operation add_bias{"add_bias", "+ b", 2, false, add_bias_forward, add_bias_b, add_bias_t, nullptr};
const Operation add{"add", "+", 2, false, add_f, add_b, add_t, nullptr};
const Operation hadamard{"hadamard", "\u2299", 2, false, hadamard_f, hadamard_b, hadamard_t, nullptr};
const Operation maximum{"maximum", "max", 2, false, maximum_forward, maximum_b, maximum_t, maximum_kink};
const Operation sum{"sum", "\u03a3", 1, false, sum_f, sum_b, sum_t, nullptr};
const Operation sigmoid{"sigmoid", "\u03c3", 1, false, activation_f<Activation::sigmoid>,
                        activation_b<Activation::sigmoid>, activation_t<Activation::sigmoid>, nullptr};
const Operation tanh{"tanh", "tanh", 1, false, activation_f<Activation::tanh>, activation_b<Activation::tanh>,
                     activation_t<Activation::tanh>, nullptr};
const Operation relu{"relu", "ReLU", 1, false, activation_f<Activation::relu>, activation_b<Activation::relu>,
                     activation_t<Activation::relu>, relu_kink};
const Operation identity{"identity", "id", 1, false, activation_f<Activation::identity>,
                         activation_b<Activation::identity>, activation_t<Activation::identity>, nullptr};
const Operation softmax{"softmax", "softmax", 1, false, activation_f<Activation::softmax>, softmax_b, softmax_t,
                        nullptr};
const Operation l1{"l1", "L1", 2, true, loss_f<Loss::l1>, loss_b<Loss::l1>, loss_t<Loss::l1>, l1_kink};
const Operation quadratic{"quadratic", "\u00bd(a\u2212y)\u00b2", 2, true, loss_f<Loss::quadratic>,
                          loss_b<Loss::quadratic>, loss_t<Loss::quadratic>, nullptr};
const Operation cross_entropy{"cross_entropy", "CE", 2, true, loss_f<Loss::cross_entropy>,
                              loss_b<Loss::cross_entropy>, loss_t<Loss::cross_entropy>, nullptr};
const Operation categorical_cross_entropy{"categorical_cross_entropy", "\u2212\u03a3 y ln a", 2, true,
                                          loss_f<Loss::categorical_cross_entropy>,
                                          loss_b<Loss::categorical_cross_entropy>,
                                          loss_t<Loss::categorical_cross_entropy>, nullptr};
const Operation softmax_cross_entropy{"softmax_cross_entropy", "softmax CE", 2, true, softmax_cross_entropy_f,
                                      softmax_cross_entropy_b, softmax_cross_entropy_t, nullptr};
}  // namespace ops

const Operation& activation_operation(Activation sigma)
{
    switch (sigma) {
    case Activation::sigmoid: return ops::sigmoid;
    case Activation::tanh: return ops::tanh;
    case Activation::relu: return ops::relu;
    case Activation::identity: return ops::identity;
    case Activation::softmax: return ops::softmax;
    }
    throw std::invalid_argument("invalid Activation value");
}

const Operation& loss_operation(Loss loss)
{
    switch (loss) {
    case Loss::l1: return ops::l1;
    case Loss::quadratic: return ops::quadratic;
    case Loss::cross_entropy: return ops::cross_entropy;
    case Loss::categorical_cross_entropy: return ops::categorical_cross_entropy;
    }
    throw std::invalid_argument("invalid Loss value");
}

// --- The tape.

const Graph::Entry& Graph::at(Node n) const
{
    if (!n.valid() || n.index >= tape_.size()) {
        throw std::out_of_range("no node " + (n.valid() ? std::to_string(n.index) : std::string("(none)")) +
                                " in a graph of " + std::to_string(tape_.size()) + " nodes (see ch09_graphs)");
    }
    return tape_[n.index];
}

Node Graph::push(Entry e)
{
    tape_.push_back(std::move(e));
    return Node{tape_.size() - 1};
}

Node Graph::parameter(const Matrix& value, const std::string& name)
{
    Entry e;
    e.value = value;
    e.grad = zeros_like(value);
    e.name = name;
    e.parameter = true;
    e.needs_grad = true;
    return push(std::move(e));
}

Node Graph::constant(const Matrix& value, const std::string& name)
{
    Entry e;
    e.value = value;
    e.name = name;
    return push(std::move(e));
}

Node Graph::apply(const Operation& op, Node x, const std::string& name)
{
    if (op.arity != 1) {
        throw std::invalid_argument(std::string(op.name) + " takes two inputs, given one (see ch09_graphs)");
    }
    Entry e;
    e.leaf = false;
    e.op = op;
    e.x = x;
    e.name = name.empty() ? op.name : name;
    e.needs_grad = at(x).needs_grad;
    op.forward(at(x).value, none, e.value);
    return push(std::move(e));
}

Node Graph::apply(const Operation& op, Node x, Node y, const std::string& name)
{
    if (op.arity != 2) {
        throw std::invalid_argument(std::string(op.name) + " takes one input, given two (see ch09_graphs)");
    }
    if (op.constant_y && at(y).needs_grad) {
        throw std::invalid_argument(std::string(op.name) + ": its second input, " + at(y).name +
                                    ", is a target and must not need a gradient (see ch09_graphs)");
    }
    Entry e;
    e.leaf = false;
    e.op = op;
    e.x = x;
    e.y = y;
    e.name = name.empty() ? op.name : name;
    e.needs_grad = at(x).needs_grad || at(y).needs_grad;
    op.forward(at(x).value, at(y).value, e.value);
    return push(std::move(e));
}

Node Graph::node(std::size_t index) const
{
    if (index >= tape_.size()) {
        throw std::out_of_range("no node " + std::to_string(index) + " in a graph of " + std::to_string(tape_.size()) +
                                " nodes (see ch09_graphs)");
    }
    return Node{index};
}

const Matrix& Graph::value(Node n) const { return at(n).value; }

Matrix& Graph::leaf_value(Node n)
{
    if (!at(n).leaf) {
        throw std::invalid_argument("node " + std::to_string(n.index) + " (" + at(n).name +
                                    ") is not a leaf: its value is computed from its inputs (see ch09_graphs)");
    }
    return tape_[n.index].value;
}

const Matrix& Graph::grad(Node n) const
{
    if (!at(n).needs_grad) {
        throw std::invalid_argument("node " + std::to_string(n.index) + " (" + at(n).name +
                                    ") needs no gradient: no parameter leads to it (see ch09_graphs)");
    }
    return at(n).grad;
}

const std::string& Graph::name(Node n) const { return at(n).name; }

const Operation* Graph::operation(Node n) const { return at(n).leaf ? nullptr : &tape_[n.index].op; }

std::vector<Node> Graph::inputs(Node n) const
{
    const Entry& e = at(n);
    std::vector<Node> in;
    if (e.x.valid()) {
        in.push_back(e.x);
    }
    if (e.y.valid()) {
        in.push_back(e.y);
    }
    return in;
}

bool Graph::is_parameter(Node n) const { return at(n).parameter; }

bool Graph::needs_grad(Node n) const { return at(n).needs_grad; }

std::vector<Node> Graph::parameters() const
{
    std::vector<Node> p;
    for (std::size_t i = 0; i < tape_.size(); ++i) {
        if (tape_[i].parameter) {
            p.push_back(Node{i});
        }
    }
    return p;
}

void Graph::forward()
{
    for (Entry& e : tape_) {
        if (!e.leaf) {
            e.op.forward(value_of(e.x), value_of(e.y), e.value);
        }
    }
}

//! [topological_order]
std::vector<Node> Graph::topological_order(Node output) const
{
    at(output);  // throws unless output is a node of this graph
    std::vector<char> needed(output.index + 1, 0);
    needed[output.index] = 1;
    for (std::size_t i = output.index + 1; i-- > 0;) {  // from the output back,
        if (needed[i]) {  // so are its inputs, which lie before it
            for (Node in : inputs(Node{i})) {
                needed[in.index] = 1;
            }
        }
    }
    std::vector<Node> order;
    for (std::size_t i = 0; i <= output.index; ++i) {
        if (needed[i]) {
            order.push_back(Node{i});  // the tape's order: inputs first
        }
    }
    return order;
}
//! [topological_order]

void Graph::backward(Node output)
{
    const Entry& out = at(output);
    if (out.value.shape(0) != 1 || out.value.shape(1) != 1) {
        throw std::invalid_argument("backward from " + out.name + " of shape " + shape_of(out.value) +
                                    ": the output must be one number, of shape (1, 1) (see ch09_graphs)");
    }
    const std::vector<Node> order = topological_order(output);
    for (Node n : order) {
        Entry& e = tape_[n.index];
        if (e.needs_grad && !e.parameter) {
            e.grad = zeros_like(e.value);  // a parameter keeps what it holds
        }
    }
    //! [backward]
    Entry& J = tape_[output.index];
    if (J.needs_grad) {
        J.grad(0, 0) += 1.0;  // dJ/dJ
    }
    for (auto n = order.rbegin(); n != order.rend(); ++n) {  // from J back
        Entry& e = tape_[n->index];
        if (e.leaf || !e.needs_grad) {
            continue;  // nothing to pass on
        }
        // adds e's shares to its inputs' gradients: a node used twice gets both
        e.op.backward(value_of(e.x), value_of(e.y), e.value, e.grad,
                      grad_of(e.x), grad_of(e.y));
    }
    //! [backward]
}

void Graph::zero_grad()
{
    for (Entry& e : tape_) {
        if (e.needs_grad) {
            e.grad = zeros_like(e.value);
        }
    }
}

double Graph::directional_derivative(Node output, Node leaf, const Matrix& direction)
{
    if (!at(leaf).leaf || at(output).value.size() != 1) {
        throw std::invalid_argument("a directional derivative is of a (1, 1) output in the direction of a leaf "
                                    "(see ch09_graphs)");
    }
    require_same_shape(direction, at(leaf).value, "direction of a leaf", "ch09_graphs");
    //! [directional_derivative]
    tangent_.resize(tape_.size());
    active_.assign(tape_.size(), 0);   // every tangent is 0 ...
    tangent_[leaf.index] = direction;  // ... but the leaf's
    active_[leaf.index] = 1;
    for (std::size_t i = leaf.index + 1; i <= output.index; ++i) {
        const Entry& e = tape_[i];
        const Matrix* dx = tangent_of(e.x);  // null: a tangent of 0
        const Matrix* dy = e.op.constant_y ? nullptr : tangent_of(e.y);
        if (dx != nullptr || dy != nullptr) {  // else this node's stays 0
            e.op.tangent(value_of(e.x), value_of(e.y), e.value, dx, dy,
                         tangent_[i]);
            active_[i] = 1;
        }
    }
    return active_[output.index] ? tangent_[output.index](0, 0) : 0.0;
    //! [directional_derivative]
}

Matrix* Graph::grad_of(Node n)
{
    return n.valid() && tape_[n.index].needs_grad ? &tape_[n.index].grad : nullptr;
}

const Matrix* Graph::tangent_of(Node n) const
{
    return n.valid() && active_[n.index] ? &tangent_[n.index] : nullptr;
}

const Matrix& Graph::value_of(Node n) const { return n.valid() ? tape_[n.index].value : none; }

double Graph::distance_to_kink() const
{
    double d = INFINITY;
    for (const Entry& e : tape_) {
        if (!e.leaf && e.op.kink != nullptr) {
            d = std::min(d, e.op.kink(value_of(e.x), value_of(e.y)));
        }
    }
    return d;
}

//! [forward_mode_gradient]
Matrix forward_mode_gradient(Graph& graph, Node output, Node leaf)
{
    const Matrix& theta = graph.value(leaf);
    Matrix grad = zeros_like(theta), direction = zeros_like(theta);
    for (std::size_t k = 0; k < theta.size(); ++k) {  // one pass per entry
        direction.data()[k] = 1.0;
        grad.data()[k] = graph.directional_derivative(output, leaf, direction);
        direction.data()[k] = 0.0;
    }
    return grad;
}
//! [forward_mode_gradient]

//! [network_graph]
NetworkGraph network_graph(Graph& graph, const Network& net, const Matrix& x,
                           const Matrix& y, Loss loss)
{
    require_consistent(net);
    const std::size_t L = net.depth();
    require_compatible(loss, net.sigma[L]);
    const auto up = [](const char* s, std::size_t l) {
        return s + std::string("^[") + std::to_string(l) + "]";
    };
    NetworkGraph G;
    G.W.resize(L + 1);
    G.b.resize(L + 1);
    G.z.resize(L + 1);
    G.a.resize(L + 1);
    G.x = G.a[0] = graph.constant(x, "a^[0]");
    for (std::size_t l = 1; l <= L; ++l) {
        G.W[l] = graph.parameter(net.W[l], up("W", l));
        G.b[l] = graph.parameter(net.b[l], up("b", l));
        const Node Wa = graph.apply(ops::matmul, G.W[l], G.a[l - 1],
                                    up("W", l) + up("a", l - 1));
        G.z[l] = graph.apply(ops::add_bias, Wa, G.b[l], up("z", l));
        G.a[l] = graph.apply(activation_operation(net.sigma[l]), G.z[l],
                             up("a", l));
    }
    G.y = graph.constant(y, "y");
    G.J = graph.apply(loss_operation(loss), G.a[L], G.y, "J");
    return G;
}
//! [network_graph]

}  // namespace backprop

// Chapter 9's exercises, solved. Built instead of ../ch09_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch09_exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace exercises {

ProductGradients matmul_backward(const Matrix& A, const Matrix& B, const Matrix& grad_C)
{
    const std::size_t n = A.shape(0), k = A.shape(1), m = B.shape(1);
    if (B.shape(0) != k || grad_C.shape(0) != n || grad_C.shape(1) != m) {
        throw backprop::ShapeError("C = A B: A is " + backprop::shape_of(A) + ", B is " + backprop::shape_of(B) +
                                   " and grad_C is " + backprop::shape_of(grad_C) + " (see ch09_graphs)");
    }
    ProductGradients g{Matrix({n, k}, 0.0), Matrix({k, m}, 0.0)};
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t p = 0; p < k; ++p) {
            for (std::size_t j = 0; j < m; ++j) {
                g.grad_A(i, p) += grad_C(i, j) * B(p, j);  // grad_C Bᵀ
                g.grad_B(p, j) += A(i, p) * grad_C(i, j);  // Aᵀ grad_C
            }
        }
    }
    return g;
}

namespace {

enum class State { unseen, in_progress, done };

void visit(const std::vector<std::vector<std::size_t>>& inputs, std::size_t node, std::vector<State>& state,
           std::vector<std::size_t>& order)
{
    if (node >= inputs.size()) {
        throw std::invalid_argument("no node " + std::to_string(node));
    }
    if (state[node] == State::done) {
        return;
    }
    if (state[node] == State::in_progress) {
        throw std::invalid_argument("a cycle through node " + std::to_string(node));
    }
    state[node] = State::in_progress;
    for (std::size_t in : inputs[node]) {
        visit(inputs, in, state, order);
    }
    state[node] = State::done;
    order.push_back(node);  // after all of its inputs
}

}  // namespace

std::vector<std::size_t> topological_order(const std::vector<std::vector<std::size_t>>& inputs,
                                           std::size_t output)
{
    std::vector<State> state(inputs.size(), State::unseen);
    std::vector<std::size_t> order;
    visit(inputs, output, state, order);
    return order;
}

std::vector<double> scalar_backward(const std::vector<ScalarNode>& tape)
{
    std::vector<double> g(tape.size(), 0.0);
    if (tape.empty()) {
        return g;
    }
    g.back() = 1.0;  // dJ/dJ
    for (std::size_t i = tape.size(); i-- > 0;) {
        const ScalarNode& v = tape[i];
        switch (v.op) {
        case '+':
            g[v.a] += g[i];
            g[v.b] += g[i];
            break;
        case '*':
            g[v.a] += g[i] * tape[v.b].value;
            g[v.b] += g[i] * tape[v.a].value;
            break;
        case 'm':
            g[tape[v.a].value >= tape[v.b].value ? v.a : v.b] += g[i];
            break;
        case 't':
            g[v.a] += g[i] * (1.0 - v.value * v.value);
            break;
        default:
            break;  // a leaf
        }
    }
    return g;
}

Matrix softmax_cross_entropy_gradient(const Matrix& z, const Matrix& y)
{
    if (z.shape() != y.shape()) {
        throw backprop::ShapeError("z is " + backprop::shape_of(z) + " and y is " + backprop::shape_of(y) +
                                   " (see ch09_graphs)");
    }
    const std::size_t n = z.shape(0), m = z.shape(1);
    Matrix g({n, m}, 0.0);
    for (std::size_t i = 0; i < m; ++i) {
        double c = z(0, i);
        for (std::size_t j = 1; j < n; ++j) {
            c = std::max(c, z(j, i));
        }
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            g(j, i) = std::exp(z(j, i) - c);
            sum += g(j, i);
        }
        for (std::size_t j = 0; j < n; ++j) {
            g(j, i) = (g(j, i) / sum - y(j, i)) / static_cast<double>(m);  // (a - y) / m
        }
    }
    return g;
}

}  // namespace exercises

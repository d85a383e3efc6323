// Appendix B: each mistake of the source, its correct form, and a test in which the wrong
// form fails: by the gradient check, by the shapes, or by the numbers of the source's own
// example. Every wrong form is built here from the library's pieces.
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "backprop/backward.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "backprop/sgd.hpp"
#include "book/example.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// The running example as a gradient-check problem.
support::Problem running_problem()
{
    const book::RunningExample ex = book::running_example();
    return {ex.net, ex.x, ex.y, ex.loss, 1};
}

// A square 3-3-3 network, where every wrong form below has the right shape, so that only
// the gradient check can catch it.
support::Problem square_problem()
{
    return support::make_problem({3, 3, 3}, Activation::sigmoid, Loss::quadratic, 1, 1);
}

// The backward pass of a two-layer network (l = 1, 2), with the hidden delta and the
// weight gradient given as functions, so that one of them can be the source's wrong form.
using HiddenDelta = std::function<Matrix(const backprop::Network&, const backprop::ForwardPass&, const Matrix&)>;
using WeightGradient = std::function<Matrix(const backprop::ForwardPass&, const Matrix& delta, std::size_t l)>;

backprop::Gradients backward_with(const support::Problem& p, const HiddenDelta& hidden, const WeightGradient& weight)
{
    const backprop::ForwardPass pass = backprop::forward(p.net, p.x);
    backprop::Gradients g;
    g.delta.resize(3);
    g.grad_W.resize(3);
    g.grad_b.resize(3);
    g.delta[2] = backprop::output_delta(p.loss, p.net.sigma[2], pass.z[2], pass.a[2], p.y);
    g.delta[1] = hidden(p.net, pass, g.delta[2]);
    for (std::size_t l = 1; l <= 2; ++l) {
        g.grad_b[l] = backprop::bias_gradient(g.delta[l]);
        g.grad_W[l] = weight(pass, g.delta[l], l);
    }
    return g;
}

//! [correct_forms]
// delta^[1] = (W^[2]^T delta^[2]) (.) sigma'(z^[1])
const HiddenDelta right_hidden = [](const backprop::Network& net,
                                    const backprop::ForwardPass& pass,
                                    const Matrix& delta2) {
    return backprop::hidden_delta(net.W[2], delta2, net.sigma[1], pass.z[1]);
};
// dJ/dW^[l] = delta^[l] a^[l-1]^T (a mean over the batch)
const WeightGradient right_weight = [](const backprop::ForwardPass& pass,
                                       const Matrix& delta, std::size_t l) {
    return backprop::weight_gradient(delta, pass.a[l - 1]);
};
//! [correct_forms]

// The outcome of checking a backward pass: a shape error, or the largest relative error.
struct Outcome {
    bool shape_error = false;
    double error = 0.0;
    std::string message;
};

Outcome check(support::Problem p, const HiddenDelta& hidden, const WeightGradient& weight)
{
    Outcome o;
    try {
        const backprop::Gradients g = backward_with(p, hidden, weight);
        o.error = support::worst(support::check_gradients(p, g));
    } catch (const backprop::ShapeError& e) {
        o.shape_error = true;
        o.message = e.what();
    }
    return o;
}

}  // namespace

TEST_CASE("Erratum 1: dL/dW^[l] is delta^[l] a^[l-1]^T: with a^[l] it throws on the 2-3-2 net and fails the "
          "check on a square one",
          "[appendix_errata][gradcheck][shape]")
{
    //! [erratum_weight_gradient]
    // The source: dL/dW^[l] = delta^[l] [a_1^[l] ... a_k^[l]], with this
    // layer's output where the previous layer's belongs.
    const WeightGradient source_weight = [](const backprop::ForwardPass& pass,
                                            const Matrix& delta,
                                            std::size_t l) {
        return backprop::weight_gradient(delta, pass.a[l]);
    };
    const Outcome wrong_232 =
        check(running_problem(), right_hidden, source_weight);
    const Outcome wrong_333 =
        check(square_problem(), right_hidden, source_weight);
    CHECK(wrong_232.shape_error);  // (3, 1)(1, 3) is not the (3, 2) of W^[1]
    CHECK_FALSE(wrong_333.shape_error);
    CHECK(wrong_333.error > 1e-2);  // the shapes fit; the values do not
    // The book's form passes on both.
    CHECK(check(running_problem(), right_hidden, right_weight).error < 1e-7);
    CHECK(check(square_problem(), right_hidden, right_weight).error < 1e-7);
    //! [erratum_weight_gradient]
    INFO(wrong_232.message);
    CHECK_THAT(wrong_232.message, Catch::Matchers::Contains("(3, 3)") && Catch::Matchers::Contains("(3, 2)"));
}

TEST_CASE("Erratum 2: the hidden-layer matrix is W^[l+1]^T: W^[l] or an untransposed W^[l+1] fails",
          "[appendix_errata][gradcheck][shape]")
{
    //! [erratum_hidden_matrix]
    // The source's matrix, read as written: W^[l], with entries w_jk^[l] ...
    const HiddenDelta source_W_l = [](const backprop::Network& net,
                                      const backprop::ForwardPass& pass,
                                      const Matrix& delta2) {
        const Matrix product = backprop::matmul(net.W[1], delta2);
        const Matrix slope = backprop::activate_prime(net.sigma[1], pass.z[1]);
        return backprop::hadamard(product, slope);
    };
    // ... or read as the next layer's weights, but not transposed.
    const HiddenDelta untransposed = [](const backprop::Network& net,
                                        const backprop::ForwardPass& pass,
                                        const Matrix& delta2) {
        const Matrix product = backprop::matmul(net.W[2], delta2);
        const Matrix slope = backprop::activate_prime(net.sigma[1], pass.z[1]);
        return backprop::hadamard(product, slope);
    };
    // On 2-3-2, W^[1] (3, 2) times delta^[2] (2, 1) fits, and only the
    // gradient check catches it; W^[2] (2, 3) times delta^[2] (2, 1) does not.
    const Outcome w_l = check(running_problem(), source_W_l, right_weight);
    CHECK_FALSE(w_l.shape_error);
    CHECK(w_l.error > 1e-2);
    CHECK(check(running_problem(), untransposed, right_weight).shape_error);
    // On 3-3-3 both fit, and both fail the gradient check.
    for (const HiddenDelta& wrong : {source_W_l, untransposed}) {
        const Outcome square = check(square_problem(), wrong, right_weight);
        CHECK_FALSE(square.shape_error);
        CHECK(square.error > 1e-2);
    }
    //! [erratum_hidden_matrix]
    CHECK(check(running_problem(), right_hidden, right_weight).error < 1e-7);
}

TEST_CASE("Erratum 2: entry (j, k) of the hidden-layer matrix is w_kj^[l+1], the transpose's entry",
          "[appendix_errata][value]")
{
    // delta_j^[1] = sum_k w_kj^[2] delta_k^[2] sigma'(z_j^[1]), summed here with the text's indices.
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const Matrix delta2 = backprop::output_delta(ex.loss, ex.net.sigma[2], pass.z[2], pass.a[2], ex.y);
    const Matrix delta1 = backprop::hidden_delta(ex.net.W[2], delta2, ex.net.sigma[1], pass.z[1]);
    for (std::size_t j = 1; j <= 3; ++j) {
        double sum = 0.0;
        for (std::size_t k = 1; k <= 2; ++k) {
            sum += ex.net.W[2](k - 1, j - 1) * delta2(k - 1, 0);  // w_kj^[2]
        }
        const double expected = sum * backprop::sigmoid_prime(pass.z[1](j - 1, 0));
        CHECK_THAT(delta1(j - 1, 0), WithinRel(expected, 1e-14));
    }
}

TEST_CASE("Erratum 3: (grad_A f)_ij = df/dA_ij in row i, column j: the source's index layout differs from the "
          "numeric gradient",
          "[appendix_errata][gradcheck]")
{
    //! [erratum_matrix_gradient]
    for (std::size_t n : {3u, 4u}) {
        // A of shape (2, n), f(A) = sum_ij c_ij A_ij^2, df/dA_ij = 2 c_ij A_ij.
        const std::array<std::size_t, 2> shape = {2, n};
        Matrix c(shape), A(shape);
        for (std::size_t i = 0; i < 2; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                c(i, j) = 1.0 + static_cast<double>(i * n + j);
                A(i, j) = 0.5 * double(j + 1) + 0.25 * double(i);
            }
        }
        const auto f = [&] { return xt::sum(c * A * A)(); };
        const auto df = [&](std::size_t i, std::size_t j) {
            return 2.0 * c(i, j) * A(i, j);
        };
        Matrix correct(A.shape()), source(A.shape());
        for (std::size_t i = 0; i < 2; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                correct(i, j) = df(i, j);  // entry (i, j) in row i, column j
                // The source: the last column holds df/dA_i3 whatever n is, and
                // row 2's second entry is df/dA_12 (indices here count from 0).
                const std::size_t col = j + 1 == n ? 2 : j;
                source(i, j) = (i == 1 && j == 1) ? df(0, 1) : df(i, col);
            }
        }
        const Matrix numeric = backprop::numeric_gradient(f, A);
        INFO("A is (2, " << n << ")");
        const auto right = backprop::compare_gradients("f'", correct, numeric);
        const auto wrong = backprop::compare_gradients("f'", source, numeric);
        CHECK(right.passed());
        CHECK(wrong.max_relative_error > 1e-2);
    }
    //! [erratum_matrix_gradient]
}

TEST_CASE("Erratum 3: read literally, the source's entry dA/dA_ij is a whole matrix, not a number",
          "[appendix_errata][shape]")
{
    // The derivative of the matrix A itself with respect to A_12 (text indices) is the matrix
    // with a 1 at (1, 2): six numbers where the gradient's entry (1, 2) holds one.
    Matrix A = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    const std::size_t i = 0, j = 1;
    Matrix dA(A.shape());
    for (std::size_t r = 0; r < 2; ++r) {
        for (std::size_t s = 0; s < 3; ++s) {
            const backprop::ScalarFunction entry_of_A = [&](double t) {
                const double keep = A(i, j);
                A(i, j) = t;
                const double value = A(r, s);
                A(i, j) = keep;
                return value;
            };
            dA(r, s) = backprop::central_difference(entry_of_A, A(i, j));
        }
    }
    const Matrix one_hot = {{0.0, 1.0, 0.0}, {0.0, 0.0, 0.0}};
    CHECK_THAT(dA, support::IsNear(one_hot, 0.0, 1e-10));
    CHECK(dA.size() == 6);
}

TEST_CASE("Erratum 4: the matrix product is not a dot product: on the source's example AB has four entries and "
          "A . B = -30",
          "[appendix_errata][value]")
{
    //! [erratum_dot_product]
    const Matrix A = {{1.0, 2.0}, {3.0, 4.0}};
    const Matrix B = {{-1.0, -2.0}, {-3.0, -4.0}};
    const Matrix AB = backprop::matmul(A, B);
    CHECK_THAT(AB, support::IsNear({{-7.0, -10.0}, {-15.0, -22.0}}, 0.0, 0.0));
    // A dot product of A and B is one number: sum_ij A_ij B_ij = -1 - 4 - 9 -
    // 16.
    const double dot = xt::sum(backprop::hadamard(A, B))();
    CHECK_THAT(dot, WithinAbs(-30.0, 0.0));
    // Neither the sum of AB's entries nor its trace is that number.
    // -7 - 10 - 15 - 22
    CHECK_THAT(xt::sum(AB)(), WithinAbs(-54.0, 0.0));
    CHECK_THAT(AB(0, 0) + AB(1, 1), WithinAbs(-29.0, 0.0));  // -7 - 22
    // What is true: entry (i, j) of AB is row i of A dotted with column j of B.
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 2; ++j) {
            const double row_dot_column = A(i, 0) * B(0, j) + A(i, 1) * B(1, j);
            CHECK_THAT(AB(i, j), WithinAbs(row_dot_column, 0.0));
        }
    }
    //! [erratum_dot_product]
    // The Frobenius product is trace(A^T B).
    const Matrix AtB = backprop::matmul(xt::transpose(A), B);
    CHECK_THAT(AtB(0, 0) + AtB(1, 1), WithinAbs(-30.0, 0.0));
}

TEST_CASE("Erratum 5: the learning rate is alpha: the update with the activation a in its place is not a "
          "gradient step",
          "[appendix_errata][value]")
{
    const book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const backprop::Gradients grads = backprop::backward(ex.net, pass, ex.y, ex.loss);
    //! [erratum_learning_rate]
    // sgd_step: W <- W - alpha dJ/dW, the same alpha for every entry.
    const double alpha = 0.5;
    backprop::Network stepped = ex.net;
    backprop::sgd_step(stepped, grads, alpha);
    const Matrix expected = ex.net.W[2] - alpha * grads.grad_W[2];
    CHECK_THAT(stepped.W[2], support::IsNear(expected, 0.0, 0.0));
    // The source's w := w - a dJ/dw, with a read as the layer's activation
    // a^[2]: row j of W^[2] moves by a_j^[2] times its gradient ((2, 1)
    // broadcast).
    const Matrix a_step = xt::eval(pass.a[2] * grads.grad_W[2]);
    const double rate_row_1 = a_step(0, 0) / grads.grad_W[2](0, 0);
    const double rate_row_2 = a_step(1, 0) / grads.grad_W[2](1, 0);
    // no single rate does this
    CHECK(std::abs(rate_row_1 - rate_row_2) > 1e-2);
    //! [erratum_learning_rate]
    CHECK_THAT(rate_row_1, WithinRel(pass.a[2](0, 0), 1e-14));
    // And the "rate" changes with the input, which a learning rate never does.
    const backprop::ForwardPass other = backprop::forward(ex.net, Matrix{{-0.5}, {0.9}});
    CHECK(std::abs(other.a[2](0, 0) - pass.a[2](0, 0)) > 1e-3);
}

TEST_CASE("Erratum 6: |y^ - y| has no derivative at y^ = y: the library's subgradient 0 leaves a perfect "
          "prediction alone",
          "[appendix_errata][gradcheck][value]")
{
    //! [erratum_l1_kink]
    const double y = 0.25;
    const backprop::ScalarFunction loss = [y](double a) {
        return backprop::l1(a, y);  // |a - y|
    };
    const backprop::ScalarFunction mirrored = [&](double s) {
        return loss(y - s);  // the left side, mirrored
    };
    // The slopes on the two sides of a = y differ: there is no derivative.
    const double right = backprop::forward_difference(loss, y, 1e-6);
    const double left = -backprop::forward_difference(mirrored, 0.0, 1e-6);
    CHECK_THAT(right, WithinRel(1.0, 1e-9));
    CHECK_THAT(left, WithinRel(-1.0, 1e-9));
    // The library's choice, 0, lies in [-1, 1]; the symmetric difference
    // gives 0 too.
    CHECK_THAT(backprop::l1_prime(y, y), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::central_difference(loss, y), WithinAbs(0.0, 0.0));
    //! [erratum_l1_kink]
    CHECK_THAT(backprop::l1_prime(y + 1e-12, y), WithinAbs(1.0, 0.0));
    CHECK_THAT(backprop::l1_prime(y - 1e-12, y), WithinAbs(-1.0, 0.0));
}

TEST_CASE("Erratum 6: at a perfect prediction the L1 gradients are 0, while sign(0) = +1 would raise the loss",
          "[appendix_errata][value]")
{
    // The running example with its target set to its own output: J = 0, at the kink.
    book::RunningExample ex = book::running_example();
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const Matrix y = pass.output();
    CHECK_THAT(backprop::loss_value(Loss::l1, pass.output(), y), WithinAbs(0.0, 0.0));
    const backprop::Gradients grads = backprop::backward(ex.net, pass, y, Loss::l1);
    for (std::size_t l = 1; l <= 2; ++l) {
        CHECK_THAT(grads.grad_W[l], support::IsNear(xt::zeros<double>(grads.grad_W[l].shape()), 0.0, 0.0));
        CHECK_THAT(grads.grad_b[l], support::IsNear(xt::zeros<double>(grads.grad_b[l].shape()), 0.0, 0.0));
    }
    backprop::Network stepped = ex.net;
    backprop::sgd_step(stepped, grads, 0.5);
    CHECK_THAT(stepped.W[2], support::IsNear(ex.net.W[2], 0.0, 0.0));
    // Another convention, sign(0) = +1 (std::copysign), pushes the outputs away from y.
    Matrix delta2 = xt::ones<double>({2, 1});
    delta2 *= backprop::activate_prime(Activation::sigmoid, pass.z[2]);
    backprop::Gradients plus_one = grads;
    plus_one.delta[2] = delta2;
    plus_one.delta[1] = backprop::hidden_delta(ex.net.W[2], delta2, Activation::sigmoid, pass.z[1]);
    for (std::size_t l = 1; l <= 2; ++l) {
        plus_one.grad_b[l] = backprop::bias_gradient(plus_one.delta[l]);
        plus_one.grad_W[l] = backprop::weight_gradient(plus_one.delta[l], pass.a[l - 1]);
    }
    backprop::Network pushed = ex.net;
    backprop::sgd_step(pushed, plus_one, 0.5);
    CHECK(backprop::loss_value(Loss::l1, backprop::forward(pushed, ex.x).output(), y) > 1e-3);
}

TEST_CASE("The errata page names every erratum's tests, and has a section for each of the six errata",
          "[appendix_errata][value]")
{
    std::ifstream in(std::string(BOOK_SOURCE_DIR) + "/docs/appendix_errata.md");
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(page.empty());
    int errata_tests = 0;
    for (const Catch::TestCase& t : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
        if (t.name.rfind("Erratum ", 0) == 0) {
            INFO(t.name);
            CHECK_THAT(page, Catch::Matchers::Contains("- `" + t.name + "`"));
            ++errata_tests;
        }
    }
    CHECK(errata_tests == 9);
    for (const char* section : {"## B.1 ", "## B.2 ", "## B.3 ", "## B.4 ", "## B.5 ", "## B.6 "}) {
        CHECK_THAT(page, Catch::Matchers::Contains(section));
    }
}

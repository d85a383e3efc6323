// Grading tests of chapter 7's exercises: every gradient is compared with a numeric
// derivative of the batch loss J (the mean of the samples' losses), the update with
// θ − α g entry by entry and with what it does to the loss, and the running example with
// the numbers `build/bin/ch07_updates --json` prints. Each TEST_CASE is one exercise; its
// name, "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmanipulation.hpp>

#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "book/example.hpp"
#include "ch07_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::ForwardPass;
using backprop::Gradients;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;
using backprop::ShapeError;
using checks::AgreesWithNumeric;
using checks::describe;
using checks::IsNear;

namespace {

// The gradients of the running example, book::running_example() (seed 1: the 2-3-2
// sigmoid network, x = (0.8, 0.2), y = (1, 0), the L1 loss), as
// `build/bin/ch07_updates --json` prints them.
const Matrix running_grad_W1 = {{0.013579593313327474, 0.0033948983283318686},
                                {0.008744924090746972, 0.002186231022686743},
                                {-0.013991082136427397, -0.0034977705341068493}};
const Matrix running_grad_b1 = {{0.01697449164165934}, {0.010931155113433714}, {-0.017488852670534245}};
const Matrix running_grad_W2 = {{-0.06777346379427139, -0.05182896779552226, -0.11848898173993788},
                                {0.069651547923043, 0.053265210778806416, 0.1217724538185613}};
const Matrix running_grad_b2 = {{-0.2287529460217924}, {0.235091965060828}};

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}


struct Case {
    std::vector<std::size_t> sizes;
    Activation sigma;
    Loss loss;
    std::size_t batch;
};

// Networks whose layers all have different sizes, with batches of several samples.
const std::vector<Case> non_square_cases = {{{3, 5, 4, 2}, Activation::tanh, Loss::quadratic, 4},
                                            {{2, 4, 3}, Activation::sigmoid, Loss::l1, 3},
                                            {{4, 6, 3}, Activation::relu, Loss::quadratic, 5}};

double loss_of(const Network& net, const Matrix& x, const Matrix& y, Loss loss)
{
    return backprop::loss_value(loss, backprop::forward(net, x).output(), y);
}

// ‖g‖², the sum of the squares of every weight and bias gradient.
double squared_norm(const Gradients& g)
{
    double sum = 0.0;
    for (std::size_t l = 1; l < g.grad_W.size(); ++l) {
        for (double v : g.grad_W[l]) {
            sum += v * v;
        }
        for (double v : g.grad_b[l]) {
            sum += v * v;
        }
    }
    return sum;
}

}  // namespace

TEST_CASE("Exercise 7.1: the bias gradient of a batch", "[ch07]")
{
    // The mean of the columns, by hand: (1 + 2 + 3) / 3 and (4 + 5 + 6) / 3.
    CHECK_THAT(exercises::bias_gradient(Matrix{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}), IsNear(Matrix{{2.0}, {5.0}}));
    // One sample: the gradient is δ itself (equation 7.3).
    const Matrix d = random_matrix(4, 1, 71);
    CHECK_THAT(exercises::bias_gradient(d), IsNear(d));
    // A batch of four copies of one sample has that sample's gradient, not four times it.
    const Matrix copies = xt::concatenate(xt::xtuple(d, d, d, d), 1);
    CHECK_THAT(exercises::bias_gradient(copies), IsNear(d, 1e-14));
    // Against ∂J/∂b^[l] by finite differences, every layer; the errors δ^[l] come from the library.
    for (const Case& c : non_square_cases) {
        checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 71);
        INFO(describe(p));
        const std::vector<Matrix> delta = backprop::backward_deltas(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
        for (std::size_t l = 1; l <= p.net.depth(); ++l) {
            CHECK_THAT(exercises::bias_gradient(delta[l]),
                       AgreesWithNumeric("dJ/db^[" + std::to_string(l) + "]",
                                         backprop::numeric_gradient(checks::loss_of(p), p.net.b[l])));
        }
    }
    // An empty batch has no mean.
    CHECK_THROWS_AS(exercises::bias_gradient(Matrix({3, 0})), ShapeError);
}

TEST_CASE("Exercise 7.2: the weight gradient of a batch", "[ch07]")
{
    // One sample: the outer product δ aᵀ, (2, 1)(1, 3) -> (2, 3).
    CHECK_THAT(exercises::weight_gradient(Matrix{{1.0}, {2.0}}, Matrix{{3.0}, {4.0}, {5.0}}),
               IsNear(Matrix{{3.0, 4.0, 5.0}, {6.0, 8.0, 10.0}}));
    // The running example, as chapter 7 prints it: ∂ℓ/∂W^[1] = δ^[1] xᵀ and ∂ℓ/∂W^[2] = δ^[2] a^[1]ᵀ.
    const book::RunningExample ex = book::running_example();
    CHECK_THAT(exercises::weight_gradient(running_grad_b1, ex.x), IsNear(running_grad_W1, 1e-12));
    const ForwardPass pass = backprop::forward(ex.net, ex.x);
    CHECK_THAT(exercises::weight_gradient(running_grad_b2, pass.a[1]), IsNear(running_grad_W2, 1e-12));
    // A batch: the mean over the samples of δ_j a_k, entry by entry.
    const Matrix delta = random_matrix(3, 4, 72), a_prev = random_matrix(5, 4, 73);
    const Matrix grad_W = exercises::weight_gradient(delta, a_prev);
    REQUIRE(grad_W.shape(0) == 3);
    REQUIRE(grad_W.shape(1) == 5);
    for (std::size_t j = 0; j < 3; ++j) {
        for (std::size_t k = 0; k < 5; ++k) {
            double mean = 0.0;
            for (std::size_t i = 0; i < 4; ++i) {
                mean += delta(j, i) * a_prev(k, i) / 4.0;
            }
            CAPTURE(j, k);
            CHECK_THAT(grad_W(j, k), Catch::Matchers::WithinAbs(mean, 1e-14));
        }
    }
    // Against ∂J/∂W^[l] by finite differences, every layer; δ^[l] and a^[l-1] come from the library.
    for (const Case& c : non_square_cases) {
        checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 72);
        INFO(describe(p));
        const ForwardPass fp = backprop::forward(p.net, p.x);
        const std::vector<Matrix> d = backprop::backward_deltas(p.net, fp, p.y, p.loss);
        for (std::size_t l = 1; l <= p.net.depth(); ++l) {
            CHECK_THAT(exercises::weight_gradient(d[l], fp.a[l - 1]),
                       AgreesWithNumeric("dJ/dW^[" + std::to_string(l) + "]",
                                         backprop::numeric_gradient(checks::loss_of(p), p.net.W[l])));
        }
    }
    // δ and a^[l-1] must have one column per sample each.
    CHECK_THROWS_AS(exercises::weight_gradient(random_matrix(3, 4, 1), random_matrix(5, 3, 2)), ShapeError);
}

TEST_CASE("Exercise 7.3: one step of gradient descent", "[ch07]")
{
    const checks::Problem p = checks::make_problem({3, 5, 4, 2}, Activation::tanh, Loss::quadratic, 4, 74);
    const std::size_t L = p.net.depth();
    const Gradients g = backprop::backward(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
    // Every entry is θ − α g.
    {
        const double alpha = 0.3;
        Network stepped = p.net;
        exercises::sgd_step(stepped, g, alpha);
        for (std::size_t l = 1; l <= L; ++l) {
            INFO("layer " << l);
            CHECK_THAT(stepped.W[l], IsNear(p.net.W[l] - alpha * g.grad_W[l], 1e-14, 1e-16));
            CHECK_THAT(stepped.b[l], IsNear(p.net.b[l] - alpha * g.grad_b[l], 1e-14, 1e-16));
        }
    }
    // α = 0 changes nothing.
    {
        Network stepped = p.net;
        exercises::sgd_step(stepped, g, 0.0);
        for (std::size_t l = 1; l <= L; ++l) {
            CHECK_THAT(stepped.W[l], IsNear(p.net.W[l], 0.0));
            CHECK_THAT(stepped.b[l], IsNear(p.net.b[l], 0.0));
        }
    }
    // A small step lowers the loss, by about α ‖g‖² (equation 7.8): the relative gap to the
    // first-order prediction shrinks in proportion to α.
    const double before = loss_of(p.net, p.x, p.y, p.loss);
    for (const double alpha : {1e-2, 1e-3}) {
        Network stepped = p.net;
        exercises::sgd_step(stepped, g, alpha);
        const double after = loss_of(stepped, p.x, p.y, p.loss);
        const double predicted = alpha * squared_norm(g);
        INFO("alpha = " << alpha << ": the loss went from " << before << " to " << after << ", a change of "
                        << after - before << "; equation 7.8 predicts " << -predicted);
        CHECK(after < before);
        CHECK_THAT(before - after, Catch::Matchers::WithinRel(predicted, 5.0 * alpha));
    }
    // A learning rate that is negative or not finite is refused.
    {
        Network stepped = p.net;
        CHECK_THROWS_AS(exercises::sgd_step(stepped, g, -0.1), std::invalid_argument);
        CHECK_THROWS_AS(exercises::sgd_step(stepped, g, std::numeric_limits<double>::quiet_NaN()),
                        std::invalid_argument);
        CHECK_THROWS_AS(exercises::sgd_step(stepped, g, std::numeric_limits<double>::infinity()),
                        std::invalid_argument);
    }
    // A gradient of the wrong shape is refused, and the network is left as it was, even when
    // only the last layer's gradient is wrong.
    {
        Gradients bad = g;
        bad.grad_W[L] = xt::transpose(g.grad_W[L]);  // (2, 4) -> (4, 2)
        Network stepped = p.net;
        CHECK_THROWS_AS(exercises::sgd_step(stepped, bad, 0.1), ShapeError);
        for (std::size_t l = 1; l <= L; ++l) {
            INFO("layer " << l << " after a refused step");
            CHECK_THAT(stepped.W[l], IsNear(p.net.W[l], 0.0));
            CHECK_THAT(stepped.b[l], IsNear(p.net.b[l], 0.0));
        }
        bad = g;
        bad.grad_b[L] = Matrix({3, 1}, 0.0);
        CHECK_THROWS_AS(exercises::sgd_step(stepped, bad, 0.1), ShapeError);
        bad = g;
        bad.grad_W.pop_back();
        bad.grad_b.pop_back();
        CHECK_THROWS_AS(exercises::sgd_step(stepped, bad, 0.1), ShapeError);
    }
}

TEST_CASE("Exercise 7.4: the whole backward pass", "[ch07]")
{
    // The running example, as `build/bin/ch07_updates --json` prints it.
    {
        const book::RunningExample ex = book::running_example();
        const Gradients g = exercises::backward(ex.net, ex.x, ex.y, Loss::l1);
        REQUIRE(g.grad_W.size() == 3);
        REQUIRE(g.grad_b.size() == 3);
        CHECK_THAT(g.grad_W[1], IsNear(running_grad_W1, 1e-12));
        CHECK_THAT(g.grad_b[1], IsNear(running_grad_b1, 1e-12));
        CHECK_THAT(g.grad_W[2], IsNear(running_grad_W2, 1e-12));
        CHECK_THAT(g.grad_b[2], IsNear(running_grad_b2, 1e-12));
    }
    // A full gradient check: every weight and bias against a numeric derivative of J.
    const std::vector<Case> cases = {
        {{2, 3, 2}, Activation::sigmoid, Loss::l1, 1},          {{3, 5, 4, 2}, Activation::tanh, Loss::quadratic, 5},
        {{4, 6, 3}, Activation::relu, Loss::quadratic, 3},      {{2, 4, 3}, Activation::sigmoid, Loss::cross_entropy, 4},
        {{2, 4, 3, 2}, Activation::tanh, Loss::cross_entropy, 2}, {{3, 3, 3}, Activation::sigmoid, Loss::quadratic, 2},
        {{3, 3, 3, 3}, Activation::tanh, Loss::l1, 3}};
    for (const Case& c : cases) {
        checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 75);
        INFO(describe(p));
        const std::size_t L = p.net.depth(), m = c.batch;
        const Gradients g = exercises::backward(p.net, p.x, p.y, p.loss);
        REQUIRE(g.delta.size() == L + 1);
        REQUIRE(g.grad_W.size() == L + 1);
        REQUIRE(g.grad_b.size() == L + 1);
        for (std::size_t l = 1; l <= L; ++l) {
            const std::string layer = "[" + std::to_string(l) + "]";
            INFO("delta" << layer << " has shape " << backprop::shape_of(g.delta[l]) << ", it must be ("
                         << p.net.sizes[l] << ", " << m << ")");
            CHECK(g.delta[l].shape(0) == p.net.sizes[l]);
            CHECK(g.delta[l].shape(1) == m);
            CHECK_THAT(g.grad_W[l],
                       AgreesWithNumeric("dJ/dW" + layer,
                                         backprop::numeric_gradient(checks::loss_of(p), p.net.W[l])));
            CHECK_THAT(g.grad_b[l],
                       AgreesWithNumeric("dJ/db" + layer,
                                         backprop::numeric_gradient(checks::loss_of(p), p.net.b[l])));
        }
    }
}

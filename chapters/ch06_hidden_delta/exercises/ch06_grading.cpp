// Grading tests of chapter 6's exercises: every error δ^[l] is compared with ∂ℓ/∂z^[l]
// computed by finite differences (moving z^[l] and running the rest of the network), the
// input gradient with finite differences on x, and the running example with the numbers
// `build/bin/ch06_hidden_delta --json` prints. Each TEST_CASE is one exercise; its name,
// "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "backprop/activation.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "book/example.hpp"
#include "ch06_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::ForwardPass;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;
using backprop::ShapeError;
using checks::AgreesWithNumeric;
using checks::describe;
using checks::IsNear;

namespace {

// What `build/bin/ch06_hidden_delta --json` prints for the running example,
// book::running_example() (seed 1): the 2-3-2 sigmoid network, x = (0.8, 0.2), y = (1, 0),
// the L1 loss.
const Matrix running_z1 = {{-0.8651061884142561}, {-1.2277709219552932}, {0.07194280869549433}};
const Matrix running_delta2 = {{-0.2287529460217924}, {0.235091965060828}};
const Matrix running_delta1 = {{0.01697449164165934}, {0.010931155113433714}, {-0.017488852670534245}};

// a^[L] from z^[l]: layer l's activation, then layers l+1..L of the forward pass.
Matrix rest_of_network(const Network& net, const Matrix& z, std::size_t l)
{
    Matrix a = backprop::activate(net.sigma[l], z);
    for (std::size_t k = l + 1; k <= net.depth(); ++k) {
        a = backprop::activate(net.sigma[k], backprop::weighted_input(net.W[k], net.b[k], a));
    }
    return a;
}

// The sum of the samples' own losses, m J: its derivative with respect to column i of
// z^[l] (or of x) is sample i's alone, the convention of δ (one column per sample).
double summed_loss(Loss loss, const Matrix& a, const Matrix& y)
{
    return static_cast<double>(y.shape(1)) * backprop::loss_value(loss, a, y);
}

// ∂ℓ/∂z^[l] by finite differences: move each entry of z^[l] and run the rest.
Matrix numeric_delta(const Network& net, const Matrix& x, const Matrix& y, Loss loss, std::size_t l)
{
    Matrix z = backprop::forward(net, x).z[l];
    return backprop::numeric_gradient([&] { return summed_loss(loss, rest_of_network(net, z, l), y); }, z);
}

// ∂ℓ/∂x by finite differences: move each entry of x and run the whole network.
Matrix numeric_input_gradient(const Network& net, Matrix x, const Matrix& y, Loss loss)
{
    return backprop::numeric_gradient([&] { return summed_loss(loss, backprop::forward(net, x).output(), y); }, x);
}


struct Case {
    std::vector<std::size_t> sizes;
    Activation sigma;
    Loss loss;
    std::size_t batch;
};

}  // namespace

TEST_CASE("Exercise 6.1: one hidden error", "[ch06]")
{
    // The last hidden layer l = L - 1 of networks whose sizes all differ, and of square
    // ones, where W^[l+1] and W^[l+1]ᵀ have the same shape but not the same entries.
    const std::vector<Case> cases = {
        {{3, 4, 2}, Activation::sigmoid, Loss::quadratic, 1}, {{2, 5, 3}, Activation::tanh, Loss::l1, 1},
        {{4, 3, 2}, Activation::relu, Loss::quadratic, 1},    {{3, 3, 3}, Activation::tanh, Loss::quadratic, 1},
        {{3, 3, 3}, Activation::sigmoid, Loss::l1, 1},        {{2, 4, 3, 2}, Activation::tanh, Loss::quadratic, 1},
        {{3, 4, 2}, Activation::sigmoid, Loss::cross_entropy, 5}};
    for (const Case& c : cases) {
        const checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 61);
        const std::size_t l = p.net.depth() - 1;
        INFO(describe(p) << "; layer l = " << l);
        const ForwardPass pass = backprop::forward(p.net, p.x);
        const Matrix delta_next = numeric_delta(p.net, p.x, p.y, p.loss, l + 1);
        const Matrix delta = exercises::hidden_delta(p.net.W[l + 1], delta_next, p.net.sigma[l], pass.z[l]);
        REQUIRE_THAT(delta,
                     AgreesWithNumeric("delta^[" + std::to_string(l) + "]",
                                       numeric_delta(p.net, p.x, p.y, p.loss, l)));
        // Each column of a batch goes back on its own.
        for (std::size_t i = 0; c.batch > 1 && i < c.batch; ++i) {
            INFO("column " << i << " of the batch, alone");
            const Matrix column = xt::view(delta_next, xt::all(), xt::range(i, i + 1));
            const Matrix z_column = xt::view(pass.z[l], xt::all(), xt::range(i, i + 1));
            CHECK_THAT(exercises::hidden_delta(p.net.W[l + 1], column, p.net.sigma[l], z_column),
                       IsNear(xt::view(delta, xt::all(), xt::range(i, i + 1)), 1e-12, 1e-15));
        }
    }
    // The running example: its W^[2], and δ^[2] and z^[1] as chapter 6 prints them, give its δ^[1].
    const Matrix W2 = book::running_example().net.W[2];
    CHECK_THAT(exercises::hidden_delta(W2, running_delta2, Activation::sigmoid, running_z1),
               IsNear(running_delta1, 1e-12));
    // Shapes that do not fit: δ^[l+1] must have a row per row of W^[l+1], and the product
    // W^[l+1]ᵀ δ^[l+1] must have the shape of z^[l].
    const Matrix W_next({2, 4}, 0.5);
    CHECK_THROWS_AS(exercises::hidden_delta(W_next, Matrix({4, 1}, 0.1), Activation::sigmoid, Matrix({4, 1}, 0.2)),
                    ShapeError);
    CHECK_THROWS_AS(exercises::hidden_delta(W_next, Matrix({2, 1}, 0.1), Activation::sigmoid, Matrix({2, 1}, 0.2)),
                    ShapeError);
    CHECK_THROWS_AS(exercises::hidden_delta(W_next, Matrix({2, 1}, 0.1), Activation::sigmoid, Matrix({4, 3}, 0.2)),
                    ShapeError);
}

TEST_CASE("Exercise 6.2: the backward walk of the errors", "[ch06]")
{
    // The running example, as chapter 6 prints it.
    {
        const book::RunningExample ex = book::running_example();
        const std::vector<Matrix> delta =
            exercises::backward_deltas(ex.net, backprop::forward(ex.net, ex.x), ex.y, Loss::l1);
        REQUIRE(delta.size() == 3);
        CHECK_THAT(delta[2], IsNear(running_delta2, 1e-12));
        CHECK_THAT(delta[1], IsNear(running_delta1, 1e-12));
    }
    // Every layer of deeper networks against ∂ℓ/∂z^[l] by finite differences; the last
    // case has tanh hidden layers under a sigmoid output (cross-entropy needs one).
    const std::vector<Case> cases = {
        {{2, 3, 2}, Activation::sigmoid, Loss::l1, 1},          {{3, 5, 4, 2}, Activation::tanh, Loss::quadratic, 1},
        {{3, 5, 4, 2}, Activation::tanh, Loss::quadratic, 3},   {{3, 4, 4, 2}, Activation::relu, Loss::quadratic, 2},
        {{3, 3, 3, 3}, Activation::sigmoid, Loss::quadratic, 1}, {{2, 4, 3, 2}, Activation::tanh, Loss::cross_entropy, 4}};
    for (const Case& c : cases) {
        const checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 62);
        INFO(describe(p));
        const std::size_t L = p.net.depth();
        const std::vector<Matrix> delta =
            exercises::backward_deltas(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
        INFO("the vector holds " << delta.size() << " matrices; it must hold L + 1 = " << L + 1);
        REQUIRE(delta.size() == L + 1);
        for (std::size_t l = L; l >= 1; --l) {
            CHECK_THAT(delta[l],
                       AgreesWithNumeric("delta^[" + std::to_string(l) + "]",
                                         numeric_delta(p.net, p.x, p.y, p.loss, l)));
        }
    }
}

TEST_CASE("Exercise 6.3: the gradient with respect to the input", "[ch06]")
{
    const std::vector<Case> cases = {
        {{2, 3, 2}, Activation::sigmoid, Loss::l1, 1},         {{4, 3, 2}, Activation::relu, Loss::quadratic, 2},
        {{3, 3, 2}, Activation::tanh, Loss::quadratic, 1},     {{2, 5, 4, 3}, Activation::tanh, Loss::l1, 3},
        {{3, 4, 2}, Activation::sigmoid, Loss::cross_entropy, 4}};
    for (const Case& c : cases) {
        const checks::Problem p = checks::make_problem(c.sizes, c.sigma, c.loss, c.batch, 63);
        INFO(describe(p));
        const Matrix g = exercises::input_gradient(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
        CHECK_THAT(g, AgreesWithNumeric("dl/da^[0]", numeric_input_gradient(p.net, p.x, p.y, p.loss)));
        // A small step of x against its gradient lowers the loss.
        const Matrix x_moved = p.x - 1e-3 * g;
        CHECK(backprop::loss_value(p.loss, backprop::forward(p.net, x_moved).output(), p.y) <
              backprop::loss_value(p.loss, backprop::forward(p.net, p.x).output(), p.y));
    }
    // The running example's input.
    const book::RunningExample ex = book::running_example();
    const Matrix g = exercises::input_gradient(ex.net, backprop::forward(ex.net, ex.x), ex.y, Loss::l1);
    CHECK_THAT(g,
               AgreesWithNumeric("dl/da^[0] of the running example",
                                 numeric_input_gradient(ex.net, ex.x, ex.y, Loss::l1)));
}

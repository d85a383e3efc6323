#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xview.hpp>

#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "backprop/sgd.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

using Sizes = std::vector<std::size_t>;

const std::vector<std::pair<std::string, Sizes>> architectures = {
    {"the running example 2-3-2", {2, 3, 2}},
    {"a deep 3-5-4-4-2 (three hidden layers)", {3, 5, 4, 4, 2}},
    {"a wide 4-48-3", {4, 48, 3}},
};

// The wrong formulas a gradient check must catch.
enum class Wrong {
    nothing,
    missing_transpose,         // delta^[l] = (W^[l+1] delta^[l+1]) (.) sigma'(z^[l])
    missing_sigma_prime,       // delta^[l] = W^[l+1]^T delta^[l+1]
    output_missing_sigma_prime,  // delta^[L] = grad_a loss
    wrong_layer_W,             // delta^[l] = (W^[l]^T delta^[l+1]) (.) sigma'(z^[l])
    a_l_instead_of_a_prev,     // dJ/dW^[l] = delta^[l] a^[l]^T / m
};

const char* name_of(Wrong w)
{
    switch (w) {
    case Wrong::nothing: return "the correct formulas";
    case Wrong::missing_transpose: return "delta with W^[l+1] not transposed";
    case Wrong::missing_sigma_prime: return "hidden delta without sigma'";
    case Wrong::output_missing_sigma_prime: return "output delta without sigma'";
    case Wrong::wrong_layer_W: return "delta with W^[l] where W^[l+1] belongs";
    case Wrong::a_l_instead_of_a_prev: return "dJ/dW with a^[l] where a^[l-1] belongs";
    }
    return "?";
}

// The backward pass written out with the library's pieces, one of them replaced by a
// wrong formula.
backprop::Gradients backward_with(Wrong wrong, const backprop::Network& net, const backprop::ForwardPass& pass,
                                  const Matrix& y, Loss loss)
{
    const std::size_t L = net.depth();
    backprop::Gradients g;
    g.delta.resize(L + 1);
    g.grad_W.resize(L + 1);
    g.grad_b.resize(L + 1);
    if (wrong == Wrong::output_missing_sigma_prime) {
        g.delta[L] = backprop::loss_gradient(loss, pass.a[L], y);
    } else {
        g.delta[L] = backprop::output_delta(loss, net.sigma[L], pass.z[L], pass.a[L], y);
    }
    for (std::size_t l = L - 1; l >= 1; --l) {
        const Matrix sigma_prime = backprop::activate_prime(net.sigma[l], pass.z[l]);
        switch (wrong) {
        case Wrong::missing_transpose:
            g.delta[l] = backprop::hadamard(backprop::matmul(net.W[l + 1], g.delta[l + 1]), sigma_prime);
            break;
        case Wrong::missing_sigma_prime:
            g.delta[l] = backprop::matmul(xt::transpose(net.W[l + 1]), g.delta[l + 1]);
            break;
        case Wrong::wrong_layer_W:
            g.delta[l] = backprop::hidden_delta(net.W[l], g.delta[l + 1], net.sigma[l], pass.z[l]);
            break;
        default:
            g.delta[l] = backprop::hidden_delta(net.W[l + 1], g.delta[l + 1], net.sigma[l], pass.z[l]);
        }
    }
    for (std::size_t l = 1; l <= L; ++l) {
        g.grad_b[l] = backprop::bias_gradient(g.delta[l]);
        g.grad_W[l] = backprop::weight_gradient(g.delta[l], wrong == Wrong::a_l_instead_of_a_prev ? pass.a[l] : pass.a[l - 1]);
    }
    return g;
}

}  // namespace

TEST_CASE("Every weight and bias gradient passes a full gradient check", "[ch07][gradcheck]")
{
    double largest = 0.0;
    int checks = 0;
    for (const auto& [arch_name, sizes] : architectures) {
        for (Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
            for (Loss loss : backprop::all_losses()) {
                for (std::size_t batch : {1u, 5u}) {
                    // Cross-entropy is only defined after a sigmoid output layer:
                    // make_problem gives those networks a sigmoid output.
                    support::Problem p = support::make_problem(sizes, sigma, loss, batch, 1, 5e-3);
                    INFO(arch_name << ", " << backprop::name_of(sigma) << " hidden, "
                                   << backprop::name_of(p.net.sigma.back()) << " output, "
                                   << backprop::name_of(loss) << " loss, batch " << batch << ", seed " << p.seed);
                    const auto pass = backprop::forward(p.net, p.x);
                    const auto grads = backprop::backward(p.net, pass, p.y, loss);
                    for (const auto& r : support::check_gradients(p, grads)) {
                        INFO(r.name << ": max relative error " << r.max_relative_error << " at (" << r.row << ", "
                                    << r.col << "), analytic " << r.analytic << ", numeric " << r.numeric);
                        CHECK(r.passed(1e-7));
                        largest = std::max(largest, r.max_relative_error);
                    }
                    ++checks;
                }
            }
        }
    }
    CHECK(checks == 3 * 3 * 3 * 2);
    WARN("largest relative error over " << checks << " gradient checks: " << largest);
}

TEST_CASE("The output delta equals dJ/dz^[L] by finite differences on z", "[ch05][gradcheck]")
{
    for (Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity}) {
        for (Loss loss : backprop::all_losses()) {
            if (loss == Loss::cross_entropy && sigma != Activation::sigmoid) {
                continue;
            }
            support::Problem p = support::make_problem({2, 3, 2}, sigma, loss, 3, 1, 5e-3);
            p.net.sigma[2] = loss == Loss::cross_entropy ? Activation::sigmoid : sigma;
            const auto pass = backprop::forward(p.net, p.x);
            Matrix z = pass.z[2];
            if (backprop::distance_to_kink(loss, backprop::activate(p.net.sigma[2], z), p.y) < 5e-3) {
                continue;
            }
            INFO(backprop::name_of(sigma) << " output, " << backprop::name_of(loss) << " loss");
            const Matrix delta = backprop::output_delta(loss, p.net.sigma[2], z, pass.a[2], p.y);
            const Matrix numeric = backprop::numeric_gradient(
                [&] { return backprop::loss_value(loss, backprop::activate(p.net.sigma[2], z), p.y); }, z);
            // J is the batch mean, so dJ/dz = delta / m.
            CHECK(backprop::compare_gradients("delta^[2]", delta / 3.0, numeric).passed(1e-7));
        }
    }
}

TEST_CASE("For cross-entropy after a sigmoid, the output delta a - y equals the general formula",
          "[ch05][value]")
{
    const Matrix z = {{-3.0, 0.2}, {1.5, 4.0}};
    const Matrix y = {{0.0, 1.0}, {1.0, 0.25}};
    const Matrix a = backprop::activate(Activation::sigmoid, z);
    const Matrix general = backprop::hadamard(backprop::loss_gradient(Loss::cross_entropy, a, y),
                                              backprop::activate_prime(Activation::sigmoid, z));
    CHECK_THAT(backprop::output_delta(Loss::cross_entropy, Activation::sigmoid, z, a, y),
               support::IsNear(general, 1e-12, 1e-15));
    CHECK_THROWS_AS(backprop::output_delta(Loss::cross_entropy, Activation::tanh, z, a, y), std::invalid_argument);
}

TEST_CASE("The hidden delta has the shapes (j,k)(k,m) (.) (j,m)", "[ch06][shape]")
{
    const Matrix W_next = xt::ones<double>({2, 3});
    const Matrix delta_next = xt::ones<double>({2, 4});
    const Matrix z = xt::zeros<double>({3, 4});
    const Matrix delta = backprop::hidden_delta(W_next, delta_next, Activation::sigmoid, z);
    CHECK(delta.shape() == std::array<std::size_t, 2>{3, 4});
    CHECK_THAT(delta, support::IsNear(xt::ones<double>({3, 4}) * 2.0 * 0.25, 0.0, 0.0));
    CHECK_THROWS_WITH(backprop::hidden_delta(W_next, delta_next, Activation::sigmoid, xt::zeros<double>({2, 4})),
                      Catch::Matchers::Contains("(3, 4)") && Catch::Matchers::Contains("(2, 4)"));
    CHECK_THROWS_WITH(backprop::hidden_delta(W_next, xt::ones<double>({3, 4}), Activation::sigmoid, z),
                      Catch::Matchers::Contains("A^T is (3, 2)") && Catch::Matchers::Contains("B is (3, 4)"));
}

TEST_CASE("The gradients of a batch are the means of the per-sample gradients", "[ch07][value]")
{
    support::Problem p = support::make_problem({3, 4, 2}, Activation::tanh, Loss::quadratic, 4, 5);
    const auto grads = backprop::backward(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
    Matrix mean_W = xt::zeros<double>({4, 3});
    Matrix mean_b = xt::zeros<double>({4, 1});
    for (std::size_t i = 0; i < 4; ++i) {
        const Matrix xi = xt::view(p.x, xt::all(), xt::range(i, i + 1));
        const Matrix yi = xt::view(p.y, xt::all(), xt::range(i, i + 1));
        const auto gi = backprop::backward(p.net, backprop::forward(p.net, xi), yi, p.loss);
        mean_W += gi.grad_W[1] / 4.0;
        mean_b += gi.grad_b[1] / 4.0;
    }
    CHECK_THAT(grads.grad_W[1], support::IsNear(mean_W, 1e-12, 1e-15));
    CHECK_THAT(grads.grad_b[1], support::IsNear(mean_b, 1e-12, 1e-15));
}

TEST_CASE("Each wrong formula fails the gradient check or throws on shapes", "[ch07][gradcheck]")
{
    const std::vector<std::pair<std::string, Sizes>> nets = {
        {"the running example 2-3-2", {2, 3, 2}},
        {"a square 3-3-3-3, where every wrong form has the right shape", {3, 3, 3, 3}},
        {"a deep 3-5-4-4-2", {3, 5, 4, 4, 2}},
    };
    for (const auto& [net_name, sizes] : nets) {
        support::Problem p = support::make_problem(sizes, Activation::sigmoid, Loss::quadratic, 2, 1);
        const auto pass = backprop::forward(p.net, p.x);
        SECTION("the harness with the correct formulas agrees with the library and passes: " + net_name)
        {
            const auto right = backward_with(Wrong::nothing, p.net, pass, p.y, p.loss);
            const auto lib = backprop::backward(p.net, pass, p.y, p.loss);
            for (std::size_t l = 1; l <= p.net.depth(); ++l) {
                CHECK_THAT(right.grad_W[l], support::IsNear(lib.grad_W[l], 0.0, 0.0));
            }
            CHECK(support::worst(support::check_gradients(p, right)) < 1e-7);
        }
        for (Wrong w : {Wrong::missing_transpose, Wrong::missing_sigma_prime, Wrong::output_missing_sigma_prime,
                        Wrong::wrong_layer_W, Wrong::a_l_instead_of_a_prev}) {
            SECTION(std::string(name_of(w)) + " is caught: " + net_name)
            {
                bool shape_error = false;
                double error = 0.0;
                try {
                    const auto g = backward_with(w, p.net, pass, p.y, p.loss);
                    error = support::worst(support::check_gradients(p, g));
                } catch (const backprop::ShapeError& e) {
                    shape_error = true;
                    INFO("shape error: " << e.what());
                }
                INFO("largest relative error " << error);
                CHECK((shape_error || error > 1e-2));
                if (sizes == Sizes{3, 3, 3, 3}) {
                    CHECK_FALSE(shape_error);  // here it is the gradient check that catches it
                }
            }
        }
    }
}

TEST_CASE("One update step moves the loss down by about alpha times the squared gradient", "[ch07][value]")
{
    support::Problem p = support::make_problem({2, 3, 2}, Activation::sigmoid, Loss::quadratic, 1, 1);
    const auto f = support::loss_of(p);
    const double before = f();
    const auto grads = backprop::backward(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
    double squared = 0.0;
    for (std::size_t l = 1; l <= 2; ++l) {
        squared += xt::sum(grads.grad_W[l] * grads.grad_W[l])() + xt::sum(grads.grad_b[l] * grads.grad_b[l])();
    }
    const backprop::Network old = p.net;
    const double alpha = 1e-3;
    backprop::sgd_step(p.net, grads, alpha);
    CHECK_THAT(p.net.W[1], support::IsNear(old.W[1] - alpha * grads.grad_W[1], 0.0, 0.0));
    CHECK_THAT(p.net.b[2], support::IsNear(old.b[2] - alpha * grads.grad_b[2], 0.0, 0.0));
    const double after = f();
    CHECK(after < before);
    CHECK_THAT(before - after, WithinRel(alpha * squared, 1e-2));
    CHECK_THROWS_AS(backprop::sgd_step(p.net, grads, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(backprop::sgd_step(p.net, grads, NAN), std::invalid_argument);
}

TEST_CASE("A refused update step leaves every layer as it was", "[ch07][shape]")
{
    support::Problem p = support::make_problem({2, 3, 2}, Activation::sigmoid, Loss::quadratic, 1, 1);
    auto grads = backprop::backward(p.net, backprop::forward(p.net, p.x), p.y, p.loss);
    grads.grad_b[2] = backprop::Matrix({3, 1}, 1.0);  // the last layer's is wrong; the first's is fine
    const backprop::Network before = p.net;
    CHECK_THROWS_AS(backprop::sgd_step(p.net, grads, 0.5), backprop::ShapeError);
    for (std::size_t l = 1; l <= 2; ++l) {
        CHECK_THAT(p.net.W[l], support::IsNear(before.W[l], 0.0, 0.0));
        CHECK_THAT(p.net.b[l], support::IsNear(before.b[l], 0.0, 0.0));
    }
}

TEST_CASE("No NaN anywhere in a forward and backward pass at large inputs", "[ch07][value]")
{
    for (Activation sigma : backprop::all_activations()) {
        for (Loss loss : backprop::all_losses()) {
            const Activation out = loss == Loss::cross_entropy ? Activation::sigmoid : sigma;
            INFO(backprop::name_of(sigma) << ", " << backprop::name_of(loss));
            backprop::Network net = backprop::make_network({2, 4, 3, 2}, sigma, out, 3);
            for (std::size_t l = 1; l <= 3; ++l) {
                net.W[l] *= 100.0;
            }
            const Matrix x = {{1e3, -1e3, 0.5}, {-1e3, 1e3, 1e3}};
            const Matrix y = {{1.0, 0.0, 1.0}, {0.0, 1.0, 0.0}};
            const auto pass = backprop::forward(net, x);
            const auto grads = backprop::backward(net, pass, y, loss);
            CHECK(std::isfinite(backprop::loss_value(loss, pass.output(), y)));
            for (std::size_t l = 1; l <= 3; ++l) {
                CHECK(xt::all(xt::isfinite(grads.delta[l])));
                CHECK(xt::all(xt::isfinite(grads.grad_W[l])));
                CHECK(xt::all(xt::isfinite(grads.grad_b[l])));
            }
        }
    }
}

TEST_CASE("Targets of the wrong shape are rejected by the backward pass", "[ch07][shape]")
{
    const auto net = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 1);
    const auto pass = backprop::forward(net, xt::zeros<double>({2, 4}));
    CHECK_THROWS_WITH(backprop::backward(net, pass, xt::zeros<double>({2, 3}), Loss::quadratic),
                      Catch::Matchers::Contains("(2, 4)") && Catch::Matchers::Contains("(2, 3)"));
}

#include <cmath>

#include <catch2/catch.hpp>
#include <xtensor/xview.hpp>

#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("The losses have their textbook values for one sample", "[ch04][value]")
{
    const Matrix a = {{0.8}, {0.3}};
    const Matrix y = {{1.0}, {0.0}};
    CHECK_THAT(backprop::loss_value(Loss::l1, a, y), WithinRel(0.2 + 0.3, 1e-15));
    CHECK_THAT(backprop::loss_value(Loss::quadratic, a, y), WithinRel(0.5 * (0.04 + 0.09), 1e-15));
    CHECK_THAT(backprop::loss_value(Loss::cross_entropy, a, y),
               WithinRel(-std::log(0.8) - std::log(0.7), 1e-15));
}

TEST_CASE("The loss of a batch is the mean over its columns", "[ch04][value]")
{
    backprop::Random rng(11);
    const Matrix a = rng.uniform_matrix(3, 5, 0.05, 0.95);
    const Matrix y = rng.uniform_matrix(3, 5, 0.0, 1.0);
    for (Loss loss : backprop::all_losses()) {
        INFO(backprop::name_of(loss));
        double sum = 0.0;
        for (std::size_t i = 0; i < 5; ++i) {
            const Matrix ai = xt::view(a, xt::all(), xt::range(i, i + 1));
            const Matrix yi = xt::view(y, xt::all(), xt::range(i, i + 1));
            sum += backprop::loss_value(loss, ai, yi);
        }
        CHECK_THAT(backprop::loss_value(loss, a, y), WithinRel(sum / 5.0, 1e-14));
    }
}

TEST_CASE("Each loss's gradient agrees with central differences away from kinks", "[ch04][gradcheck]")
{
    for (std::size_t m : {1u, 4u}) {
        backprop::Random rng(100 + m);
        for (int trial = 0; trial < 25; ++trial) {
            Matrix a = rng.uniform_matrix(3, m, 0.02, 0.98);
            const Matrix y = rng.uniform_matrix(3, m, 0.0, 1.0);
            for (Loss loss : backprop::all_losses()) {
                if (backprop::distance_to_kink(loss, a, y) < 1e-2) {
                    continue;  // L1 at a = y is tested on its own
                }
                INFO(backprop::name_of(loss) << ", batch " << m << ", trial " << trial);
                // The step must be small against a: ln a has large high derivatives near 0.
                const Matrix numeric = backprop::numeric_gradient(
                    [&] { return backprop::loss_value(loss, a, y); }, a, 1e-5);
                // The gradient of the batch mean is the per-sample gradient over m.
                const Matrix analytic = backprop::loss_gradient(loss, a, y) / static_cast<double>(m);
                const auto report = backprop::compare_gradients("grad_a", analytic, numeric);
                CHECK(report.passed(1e-7));
            }
        }
    }
}

TEST_CASE("The L1 loss at a = y has the documented subgradient 0", "[ch04][value]")
{
    const Matrix a = {{0.5}, {0.25}, {0.75}};
    const Matrix y = {{0.5}, {0.5}, {0.5}};
    const Matrix g = backprop::loss_gradient(Loss::l1, a, y);
    CHECK_THAT(g, support::IsNear(Matrix{{0.0}, {-1.0}, {1.0}}, 0.0, 0.0));
    CHECK_THAT(backprop::loss_value(Loss::l1, a, y), WithinAbs(0.5, 1e-15));
    CHECK_THAT(backprop::distance_to_kink(Loss::l1, a, y), WithinAbs(0.0, 0.0));
    SECTION("0 lies between the one-sided derivatives -1 and +1")
    {
        const double h = 1e-6;
        const double left = (backprop::l1(0.5, 0.5) - backprop::l1(0.5 - h, 0.5)) / h;
        const double right = (backprop::l1(0.5 + h, 0.5) - backprop::l1(0.5, 0.5)) / h;
        CHECK_THAT(left, WithinAbs(-1.0, 1e-9));
        CHECK_THAT(right, WithinAbs(1.0, 1e-9));
    }
}

TEST_CASE("Cross-entropy stays finite where a sigmoid saturates", "[ch04][value]")
{
    const Matrix a = {{1.0}, {0.0}};
    const Matrix y = {{0.0}, {1.0}};
    const double l = backprop::loss_value(Loss::cross_entropy, a, y);
    CHECK(std::isfinite(l));
    CHECK_THAT(l, WithinRel(-2.0 * std::log(1e-15), 1e-4));  // 1 - 1e-15 rounds in double
    CHECK(xt::all(xt::isfinite(backprop::loss_gradient(Loss::cross_entropy, a, y))));
}

TEST_CASE("Cross-entropy needs a sigmoid output", "[ch04][value]")
{
    CHECK_NOTHROW(backprop::require_compatible(Loss::cross_entropy, backprop::Activation::sigmoid));
    CHECK_THROWS_WITH(backprop::require_compatible(Loss::cross_entropy, backprop::Activation::relu),
                      Catch::Matchers::Contains("sigmoid output"));
    CHECK_NOTHROW(backprop::require_compatible(Loss::l1, backprop::Activation::relu));
}

TEST_CASE("Losses are chosen by name, and an unknown name is an error", "[ch04][value]")
{
    for (Loss l : backprop::all_losses()) {
        CHECK(backprop::loss_from_name(backprop::name_of(l)) == l);
    }
    CHECK_THROWS_WITH(backprop::loss_from_name("hinge"), Catch::Matchers::Contains("unknown loss 'hinge'"));
}

TEST_CASE("A loss of mismatched shapes throws, naming both shapes", "[ch04][shape]")
{
    const Matrix a = xt::zeros<double>({2, 3});
    const Matrix y = xt::zeros<double>({3, 2});
    for (Loss l : backprop::all_losses()) {
        CHECK_THROWS_WITH(backprop::loss_value(l, a, y),
                          Catch::Matchers::Contains("(2, 3)") && Catch::Matchers::Contains("(3, 2)"));
        CHECK_THROWS_AS(backprop::loss_gradient(l, a, y), backprop::ShapeError);
    }
    CHECK_THROWS_AS(backprop::loss_value(Loss::l1, xt::zeros<double>({2, 0}), xt::zeros<double>({2, 0})),
                    backprop::ShapeError);
}

// --- Softmax and the categorical cross-entropy (chapter 9).

using backprop::Activation;

TEST_CASE("Softmax makes each column positive and sum to 1, whatever its size", "[ch09][value]")
{
    const Matrix z = {{1.0, 1000.0, -1000.0, 0.0}, {2.0, 0.0, -1000.0, -800.0}, {3.0, -5.0, -1000.0, 0.0}};
    const Matrix a = backprop::softmax(z);
    CHECK(xt::all(xt::isfinite(a)));
    for (std::size_t i = 0; i < z.shape(1); ++i) {
        CHECK_THAT(a(0, i) + a(1, i) + a(2, i), WithinRel(1.0, 1e-15));
    }
    // Column 1 by the definition, e^{z_j} / sum_k e^{z_k}.
    const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK_THAT(a(2, 0), WithinRel(std::exp(3.0) / sum, 1e-15));
    // e^{1000} overflows; the shifted form does not.
    CHECK_THAT(a(0, 1), WithinRel(1.0, 1e-15));
    CHECK_THAT(a(1, 2), WithinRel(1.0 / 3.0, 1e-15));
    CHECK_THAT(a(1, 3), WithinAbs(0.0, 0.0));  // e^{-800} / 2 rounds to 0 ...
    // ... and so its logarithm must come from log-sum-exp, not from a.
    CHECK_THAT(backprop::log_softmax(z)(1, 3), WithinRel(-800.0 - std::log(2.0), 1e-15));
    CHECK_THAT(backprop::log_sum_exp(z)(0, 2), WithinRel(-1000.0 + std::log(3.0), 1e-15));
    // Adding a constant to a column changes nothing.
    const Matrix shifted = z + 123.0;
    CHECK_THAT(backprop::softmax(shifted), support::IsNear(a, 1e-12, 1e-300));
    CHECK_THROWS_AS(backprop::softmax(Matrix(xt::zeros<double>({0, 2}))), backprop::ShapeError);
}

TEST_CASE("The categorical cross-entropy from the logits is exact where the softmax rounds to 0", "[ch09][value]")
{
    backprop::Random rng(12);
    const Matrix z = rng.uniform_matrix(4, 3, -3.0, 3.0);
    const Matrix y = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 0, 0}};
    CHECK_THAT(backprop::softmax_cross_entropy(z, y),
               WithinRel(backprop::loss_value(Loss::categorical_cross_entropy, backprop::softmax(z), y), 1e-14));
    // The target's output at -800 below the other: -ln a = 800 + ln(1 + e^{-800}) = 800.
    const Matrix far = {{0.0}, {-800.0}};
    const Matrix second = {{0.0}, {1.0}};
    CHECK_THAT(backprop::softmax_cross_entropy(far, second), WithinRel(800.0, 1e-15));
    // From a = softmax(z) the clip at 1e-15 cuts it to about 34.5.
    CHECK_THAT(backprop::loss_value(Loss::categorical_cross_entropy, backprop::softmax(far), second),
               WithinRel(-std::log(1e-15), 1e-12));
}

TEST_CASE("After a softmax output with the categorical cross-entropy, delta^[L] = a - y, checked numerically",
          "[ch09][gradcheck]")
{
    for (std::size_t m : {1u, 4u}) {
        INFO("batch of " << m);
        backprop::Network net = backprop::make_network({3, 5, 4}, Activation::tanh, Activation::softmax, 11);
        backprop::Random rng(13);
        const Matrix x = rng.uniform_matrix(3, m, -1.0, 1.0);
        Matrix y = xt::zeros<double>({std::size_t{4}, m});
        for (std::size_t i = 0; i < m; ++i) {
            y(rng.below(4), i) = 1.0;
        }
        const Loss loss = Loss::categorical_cross_entropy;
        const backprop::ForwardPass pass = backprop::forward(net, x);
        const backprop::Gradients grads = backprop::backward(net, pass, y, loss);
        CHECK_THAT(grads.delta[2], support::IsNear(Matrix(pass.output() - y), 0.0, 0.0));
        // dJ/dz^[L] numerically: J as a function of z^[L] alone.
        Matrix z = pass.z[2];
        const Matrix numeric = backprop::numeric_gradient(
            [&] { return backprop::loss_value(loss, backprop::softmax(z), y); }, z);
        CHECK(backprop::compare_gradients("dJ/dz", Matrix(grads.delta[2] / static_cast<double>(m)), numeric)
                  .passed(1e-7));
        // Every weight and bias.
        const backprop::NetworkCheck check =
            backprop::check_network_gradients(net, backprop::loss_function(net, x, y, loss), grads);
        CHECK(check.worst().max_relative_error < 1e-7);
    }
}

TEST_CASE("Treating softmax as if it acted entry by entry fails the gradient check", "[ch09][gradcheck]")
{
    // The mistake: delta = (dl/da) (.) a (1 - a), a sigmoid's sigma' applied to a softmax.
    backprop::Random rng(14);
    Matrix z = rng.uniform_matrix(4, 1, -2.0, 2.0);
    const Matrix y = {{0.0}, {1.0}, {0.0}, {0.0}};
    const Loss loss = Loss::categorical_cross_entropy;
    const Matrix a = backprop::softmax(z);
    const Matrix wrong = backprop::loss_gradient(loss, a, y) * a * (1.0 - a);
    const Matrix numeric =
        backprop::numeric_gradient([&] { return backprop::loss_value(loss, backprop::softmax(z), y); }, z);
    CHECK_FALSE(backprop::compare_gradients("wrong dJ/dz", wrong, numeric).passed(1e-2));
    CHECK(backprop::compare_gradients("dJ/dz = a - y", Matrix(a - y), numeric).passed(1e-7));
}

TEST_CASE("Softmax goes with the categorical cross-entropy, only on the output layer", "[ch09][value]")
{
    CHECK_NOTHROW(backprop::require_compatible(Loss::categorical_cross_entropy, Activation::softmax));
    CHECK_THROWS_WITH(backprop::require_compatible(Loss::l1, Activation::softmax),
                      Catch::Matchers::Contains("categorical-cross-entropy"));
    CHECK_THROWS_WITH(backprop::require_compatible(Loss::categorical_cross_entropy, Activation::sigmoid),
                      Catch::Matchers::Contains("softmax output"));
    CHECK_THROWS_WITH(backprop::require_compatible(Loss::cross_entropy, Activation::softmax),
                      Catch::Matchers::Contains("sigmoid output"));
    CHECK(backprop::loss_from_name("categorical-cross-entropy") == Loss::categorical_cross_entropy);
    CHECK(backprop::activation_from_name("softmax") == Activation::softmax);
    CHECK_FALSE(backprop::is_elementwise(Activation::softmax));
    // Not in the lists of chapters 3 and 4, whose programs print one line per entry.
    for (Activation s : backprop::all_activations()) {
        CHECK(backprop::is_elementwise(s));
    }
    for (Loss l : backprop::all_losses()) {
        CHECK(l != Loss::categorical_cross_entropy);
    }
    const Matrix z = {{0.5}, {-0.5}};
    CHECK_THROWS_WITH(backprop::activate_prime(Activation::softmax, z), Catch::Matchers::Contains("ch09_graphs"));
    Matrix m = z;
    CHECK_THROWS_AS(backprop::multiply_by_prime(Activation::softmax, z, m), std::invalid_argument);
    CHECK_THROWS_WITH(backprop::make_network({2, 3, 2}, Activation::softmax, Activation::softmax, 1),
                      Catch::Matchers::Contains("only in the output layer"));
    CHECK_NOTHROW(backprop::make_network({2, 2}, Activation::softmax, Activation::softmax, 1));
    backprop::Network net = backprop::make_network({2, 3, 2}, Activation::tanh, Activation::softmax, 1);
    net.sigma[1] = Activation::softmax;
    CHECK_THROWS_WITH(backprop::require_consistent(net), Catch::Matchers::Contains("layer 1 is hidden"));
}

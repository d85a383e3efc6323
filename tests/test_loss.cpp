#include <cmath>

#include <catch2/catch.hpp>
#include <xtensor/xview.hpp>

#include "backprop/gradcheck.hpp"
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

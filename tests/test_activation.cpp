#include <cmath>

#include <catch2/catch.hpp>

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

double apply(Activation s, double z) { return backprop::activate(s, Matrix{{z}})(0, 0); }
double apply_prime(Activation s, double z) { return backprop::activate_prime(s, Matrix{{z}})(0, 0); }

}  // namespace

TEST_CASE("Each activation's derivative agrees with central differences away from kinks",
          "[ch03][gradcheck]")
{
    for (Activation s : backprop::all_activations()) {
        for (double z = -6.0; z <= 6.0; z += 0.0625 * 1.9) {
            if (backprop::distance_to_kink(s, z) < 1e-2) {
                continue;  // the kink is tested on its own below
            }
            INFO(backprop::name_of(s) << " at z = " << z);
            const double numeric = backprop::richardson_difference([s](double t) { return apply(s, t); }, z);
            CHECK(backprop::relative_error(apply_prime(s, z), numeric) < 1e-9);
        }
    }
}

TEST_CASE("A wrong derivative fails the same check", "[ch03][gradcheck]")
{
    // sigma(z)(1 - z) instead of sigma(z)(1 - sigma(z))
    int caught = 0, points = 0;
    for (double z = -3.0; z <= 3.0; z += 0.25) {
        const double wrong = backprop::sigmoid(z) * (1.0 - z);
        const double numeric = backprop::richardson_difference([](double t) { return backprop::sigmoid(t); }, z);
        caught += backprop::relative_error(wrong, numeric) > 1e-7 ? 1 : 0;
        ++points;
    }
    CHECK(caught == points);
}

TEST_CASE("ReLU's derivative at the kink z = 0 is the documented subgradient 0", "[ch03][value]")
{
    CHECK_THAT(apply_prime(Activation::relu, 0.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(apply_prime(Activation::relu, -0.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(apply(Activation::relu, 0.0), WithinAbs(0.0, 0.0));
    SECTION("which lies between the one-sided derivatives")
    {
        const auto f = [](double t) { return backprop::relu(t); };
        const double left = (f(0.0) - f(-1e-6)) / 1e-6;
        const double right = (f(1e-6) - f(0.0)) / 1e-6;
        CHECK_THAT(left, WithinAbs(0.0, 1e-12));
        CHECK_THAT(right, WithinAbs(1.0, 1e-9));
        CHECK(apply_prime(Activation::relu, 0.0) >= left);
        CHECK(apply_prime(Activation::relu, 0.0) <= right);
    }
    SECTION("and a central difference across the kink sees neither side")
    {
        const double numeric = backprop::central_difference([](double t) { return backprop::relu(t); }, 0.0, 1e-3);
        CHECK_THAT(numeric, WithinAbs(0.5, 1e-12));
    }
}

TEST_CASE("The activations have their textbook values", "[ch03][value]")
{
    CHECK_THAT(backprop::sigmoid(0.0), WithinAbs(0.5, 0.0));
    CHECK_THAT(backprop::sigmoid(1.0), WithinRel(1.0 / (1.0 + std::exp(-1.0)), 1e-15));
    CHECK_THAT(backprop::sigmoid_prime(0.0), WithinAbs(0.25, 0.0));
    CHECK_THAT(backprop::tanh(0.5), WithinRel(std::tanh(0.5), 0.0));
    CHECK_THAT(backprop::tanh_prime(0.0), WithinAbs(1.0, 0.0));
    CHECK_THAT(backprop::relu(-2.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::relu(2.5), WithinAbs(2.5, 0.0));
    CHECK_THAT(backprop::identity(-1.25), WithinAbs(-1.25, 0.0));
    for (double z : {-5.0, -1.0, 0.3, 5.0}) {
        INFO("z = " << z);
        const double s = backprop::sigmoid(z);
        CHECK_THAT(backprop::sigmoid_prime(z), WithinRel(s * (1.0 - s), 1e-9));
        CHECK_THAT(backprop::sigmoid(-z), WithinRel(1.0 - s, 1e-12));
    }
}

TEST_CASE("sigmoid is finite and right at z = +-1000", "[ch03][value]")
{
    CHECK_THAT(backprop::sigmoid(1000.0), WithinAbs(1.0, 0.0));
    CHECK_THAT(backprop::sigmoid(-1000.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::sigmoid_prime(1000.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::sigmoid_prime(-1000.0), WithinAbs(0.0, 0.0));
    // Where 1 - sigma(z) still carries digits, they are right: sigma(-40) = e^-40 / (1 + e^-40).
    CHECK_THAT(backprop::sigmoid(-40.0), WithinRel(std::exp(-40.0), 1e-15));
    CHECK_THAT(backprop::sigmoid_prime(40.0), WithinRel(std::exp(-40.0), 1e-15));
    // Where s (1 - s) has lost its digits, the library's form has not.
    const double e30 = std::exp(-30.0);
    CHECK_THAT(backprop::sigmoid_prime(30.0), WithinRel(e30 / ((1.0 + e30) * (1.0 + e30)), 1e-15));
    CHECK_THAT(backprop::sigmoid_prime(-30.0), WithinRel(e30 / ((1.0 + e30) * (1.0 + e30)), 1e-15));
    const Matrix z = {{-1000.0, -745.0, 0.0, 745.0, 1000.0}};
    for (Activation s : backprop::all_activations()) {
        INFO(backprop::name_of(s));
        CHECK(xt::all(xt::isfinite(backprop::activate(s, z))));
        CHECK(xt::all(xt::isfinite(backprop::activate_prime(s, z))));
    }
}

TEST_CASE("Activations are chosen by name, and an unknown name is an error", "[ch03][value]")
{
    for (Activation s : backprop::all_activations()) {
        CHECK(backprop::activation_from_name(backprop::name_of(s)) == s);
    }
    CHECK(backprop::activation_from_name("softmax") == Activation::softmax);  // an output layer's (chapter 9)
    CHECK_THROWS_WITH(backprop::activation_from_name("softplus"),
                      Catch::Matchers::Contains("unknown activation 'softplus'") &&
                          Catch::Matchers::Contains("sigmoid, tanh, relu or identity"));
}

TEST_CASE("Multiplying by sigma'(z) in place equals the Hadamard product with sigma'(z)", "[ch03][value][shape]")
{
    backprop::Random rng(3);
    const Matrix z = rng.uniform_matrix(3, 4, -3.0, 3.0);
    const Matrix m0 = rng.uniform_matrix(3, 4, -1.0, 1.0);
    for (Activation s : backprop::all_activations()) {
        INFO(backprop::name_of(s));
        Matrix m = m0;
        backprop::multiply_by_prime(s, z, m);
        CHECK_THAT(m, support::IsNear(m0 * backprop::activate_prime(s, z), 0.0, 0.0));
        Matrix wrong = xt::ones<double>({4, 3});
        CHECK_THROWS_AS(backprop::multiply_by_prime(s, z, wrong), backprop::ShapeError);
    }
}

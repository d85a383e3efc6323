// Grading tests of chapter 3's exercises: the running example's neuron as the chapter
// prints it, closed forms and symmetries of the sigmoid, numeric derivatives and
// gradients, ReLU's kink, and the shape rules. Each TEST_CASE is one exercise; its name,
// "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/neuron.hpp"
#include "backprop/random.hpp"
#include "book/example.hpp"
#include "ch03_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::Matrix;
using backprop::ShapeError;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using checks::IsNear;

namespace {

// The running example, book::running_example(): its layer 1 (seed 1) and input a^[0],
// and the z^[1] and sigmoid a^[1] they give, as `ch03_neuron --json` prints them.
const book::RunningExample example = book::running_example();
const Matrix& W1 = example.net.W[1];
const Matrix& b1 = example.net.b[1];
const Matrix& a0 = example.x;
const std::vector<double> z1 = {-0.8651061884142561, -1.2277709219552932, 0.07194280869549433};
const std::vector<double> a1_sigmoid = {0.29627362170808885, 0.22657180463409077, 0.5179779487021334};

Matrix row(std::size_t j) { return backprop::weight_row(W1, j); }

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}

// sigma(z) written out here, independently of the exercises.
double closed_form(Activation sigma, double z)
{
    switch (sigma) {
    case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0.0 ? z : 0.0;
    case Activation::identity: return z;
    case Activation::softmax: break;  // not entry by entry
    }
    return 0.0;
}

const char* name(Activation sigma)
{
    switch (sigma) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::identity: return "identity";
    case Activation::softmax: return "softmax";
    }
    return "?";
}

const std::vector<Activation> all = {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity};

}  // namespace

TEST_CASE("Exercise 3.1: the sigmoid and its derivative, at any z", "[ch03]")
{
    using exercises::sigmoid;
    using exercises::sigmoid_prime;
    // The centre, and the chapter's table.
    CHECK_THAT(sigmoid(0.0), WithinAbs(0.5, 1e-16));
    CHECK_THAT(sigmoid_prime(0.0), WithinAbs(0.25, 1e-16));
    CHECK_THAT(sigmoid(-2.0), WithinRel(0.11920292202211755, 1e-14));
    CHECK_THAT(sigmoid(0.5), WithinRel(0.6224593312018546, 1e-14));
    CHECK_THAT(sigmoid_prime(-2.0), WithinRel(0.1049935854035065, 1e-14));
    CHECK_THAT(sigmoid_prime(0.5), WithinRel(0.2350037122015945, 1e-14));
    for (double z = -8.0; z <= 8.0; z += 0.25) {
        CAPTURE(z);
        // Equation (3.4), and symmetries: sigma(-z) = 1 - sigma(z), sigma' is even.
        CHECK_THAT(sigmoid(z), WithinRel(1.0 / (1.0 + std::exp(-z)), 1e-14));
        CHECK_THAT(sigmoid(-z), WithinAbs(1.0 - sigmoid(z), 1e-15));
        CHECK_THAT(sigmoid_prime(-z), WithinRel(sigmoid_prime(z), 1e-14));
        // Equation (3.5), and the central difference of your own sigma.
        CHECK_THAT(sigmoid_prime(z), WithinRel(sigmoid(z) * (1.0 - sigmoid(z)), 1e-10));
        const double numeric = backprop::central_difference(sigmoid, z, 1e-5);
        CHECK(backprop::relative_error(sigmoid_prime(z), numeric) < 1e-7);
    }
    // Where sigma(40) rounds to 1, sigma'(40) = e^{-40} / (1 + e^{-40})^2 still has every digit.
    CHECK_THAT(sigmoid(40.0), WithinAbs(1.0, 1e-15));
    CHECK_THAT(sigmoid(-40.0), WithinRel(4.248354255291589e-18, 1e-12));
    CHECK_THAT(sigmoid_prime(40.0), WithinRel(4.248354255291589e-18, 1e-12));
    CHECK_THAT(sigmoid_prime(-40.0), WithinRel(4.248354255291589e-18, 1e-12));
    // Far out: finite, the right limits, and no overflow or invalid operation on the way.
    for (double z : {-1000.0, -800.0, 800.0, 1000.0}) {
        CAPTURE(z);
        std::feclearexcept(FE_OVERFLOW | FE_INVALID);
        const double s = sigmoid(z);
        const double s_prime = sigmoid_prime(z);
        const bool overflow = std::fetestexcept(FE_OVERFLOW) != 0;
        const bool invalid = std::fetestexcept(FE_INVALID) != 0;
        CHECK(std::isfinite(s));
        CHECK(std::isfinite(s_prime));
        CHECK_THAT(s, WithinAbs(z > 0.0 ? 1.0 : 0.0, 1e-300));
        CHECK_THAT(s_prime, WithinAbs(0.0, 1e-300));
        CHECK(s_prime >= 0.0);
        {
            INFO("an exponential of a large positive number overflowed: use the form whose exponent is negative");
            CHECK_FALSE(overflow);
        }
        {
            INFO("an operation was invalid (such as inf / inf or inf - inf)");
            CHECK_FALSE(invalid);
        }
    }
}

TEST_CASE("Exercise 3.2: one neuron's forward step", "[ch03]")
{
    // The running example's hidden neurons, as the chapter prints them.
    for (std::size_t j = 0; j < 3; ++j) {
        INFO("neuron " << j + 1 << " of layer 1 of the running example");
        const backprop::NeuronOutput out = exercises::neuron_forward(Activation::sigmoid, row(j), b1(j, 0), a0);
        CHECK_THAT(out.z, WithinRel(z1[j], 1e-13));
        CHECK_THAT(out.a, WithinRel(a1_sigmoid[j], 1e-13));
        for (Activation sigma : all) {
            INFO("activation " << name(sigma));
            const backprop::NeuronOutput o = exercises::neuron_forward(sigma, row(j), b1(j, 0), a0);
            CHECK_THAT(o.z, WithinRel(z1[j], 1e-13));
            CHECK_THAT(o.a, WithinAbs(closed_form(sigma, z1[j]), 1e-15));
        }
    }
    // The bias shifts z by exactly its change; zero weights leave z = b and a = sigma(b).
    const Matrix w = random_matrix(1, 3, 51), a_prev = random_matrix(3, 1, 52);
    const double z = exercises::neuron_forward(Activation::tanh, w, 0.25, a_prev).z;
    CHECK_THAT(exercises::neuron_forward(Activation::tanh, w, 1.25, a_prev).z - z, WithinAbs(1.0, 1e-14));
    const Matrix zeros = {{0.0, 0.0, 0.0}};
    for (Activation sigma : all) {
        INFO("activation " << name(sigma));
        const backprop::NeuronOutput o = exercises::neuron_forward(sigma, zeros, -0.7, a_prev);
        CHECK_THAT(o.z, WithinAbs(-0.7, 1e-15));
        CHECK_THAT(o.a, WithinAbs(closed_form(sigma, -0.7), 1e-15));
    }
    // Three inputs, every term of the sum; z - b is linear in a_prev.
    double sum = 0.25;
    for (std::size_t k = 0; k < 3; ++k) {
        sum += w(0, k) * a_prev(k, 0);
    }
    CHECK_THAT(z, WithinAbs(sum, 1e-15));
    const Matrix a_twice = 2.0 * a_prev;
    CHECK_THAT(exercises::neuron_forward(Activation::identity, w, 0.25, a_twice).z - 0.25,
               WithinAbs(2.0 * (z - 0.25), 1e-14));
    // One row (1, n) of weights and one column (n, 1) of inputs of the same length.
    CHECK_THROWS_AS(exercises::neuron_forward(Activation::sigmoid, random_matrix(3, 1, 1), 0.0, a_prev), ShapeError);
    CHECK_THROWS_AS(exercises::neuron_forward(Activation::sigmoid, w, 0.0, random_matrix(1, 3, 2)), ShapeError);
    CHECK_THROWS_AS(exercises::neuron_forward(Activation::sigmoid, w, 0.0, a0), ShapeError);
    CHECK_THROWS_AS(exercises::neuron_forward(Activation::sigmoid, W1, 0.0, a0), ShapeError);
}

TEST_CASE("Exercise 3.3: a derivative check that knows about kinks", "[ch03]")
{
    const double h = 1e-5;
    const std::vector<std::pair<Activation, exercises::ScalarFunction>> right = {
        {Activation::sigmoid, [](double z) { return backprop::sigmoid_prime(z); }},
        {Activation::tanh, [](double z) { return backprop::tanh_prime(z); }},
        {Activation::relu, [](double z) { return backprop::relu_prime(z); }},
        {Activation::identity, [](double z) { return backprop::identity_prime(z); }},
    };
    // The right derivatives pass at the chapter's points, away from ReLU's kink.
    for (const auto& [sigma, sigma_prime] : right) {
        for (double z : {-2.0, -0.5, 0.0, 0.5, 2.0}) {
            if (sigma == Activation::relu && z == 0.0) {
                continue;
            }
            INFO("activation " << name(sigma) << " at z = " << z);
            const exercises::DerivativeCheck c = exercises::check_derivative(sigma, sigma_prime, z, h);
            const double numeric = (closed_form(sigma, z + h) - closed_form(sigma, z - h)) / (2.0 * h);
            CHECK_THAT(c.analytic, WithinAbs(sigma_prime(z), 1e-15));
            CHECK_THAT(c.numeric, WithinAbs(numeric, 1e-10));
            CHECK_THAT(c.relative_error, WithinAbs(std::abs(c.analytic - c.numeric) /
                                                       std::max({std::abs(c.analytic), std::abs(c.numeric), 1e-6}),
                                                   1e-15));
            CHECK(c.relative_error < 1e-7);
            CHECK_FALSE(c.at_kink);
            CHECK(c.passed);
        }
    }
    // Wrong derivatives from the chapter fail: sigma(z)(1 - z), sigma(z) alone, 1 - z^2,
    // and a ReLU' that is 1 everywhere.
    const std::vector<std::pair<Activation, exercises::ScalarFunction>> wrong = {
        {Activation::sigmoid, [](double z) { return backprop::sigmoid(z) * (1.0 - z); }},
        {Activation::sigmoid, [](double z) { return backprop::sigmoid(z); }},
        {Activation::tanh, [](double z) { return 1.0 - z * z; }},
        {Activation::relu, [](double) { return 1.0; }},
    };
    for (const auto& [sigma, sigma_prime] : wrong) {
        for (double z : {-2.0, -0.5}) {
            INFO("a wrong derivative of " << name(sigma) << " at z = " << z << " must fail");
            const exercises::DerivativeCheck c = exercises::check_derivative(sigma, sigma_prime, z, h);
            CHECK(c.relative_error > 1e-2);
            CHECK_FALSE(c.at_kink);
            CHECK_FALSE(c.passed);
        }
    }
    // ReLU at and near its kink, as the chapter prints it: not counted, whatever the numbers.
    const auto relu_prime = [](double z) { return backprop::relu_prime(z); };
    const exercises::DerivativeCheck at_0 = exercises::check_derivative(Activation::relu, relu_prime, 0.0, h);
    CHECK_THAT(at_0.analytic, WithinAbs(0.0, 1e-15));
    CHECK_THAT(at_0.numeric, WithinAbs(0.5, 1e-12));
    CHECK_THAT(at_0.relative_error, WithinAbs(1.0, 1e-12));
    CHECK(at_0.at_kink);
    CHECK_FALSE(at_0.passed);
    const std::vector<std::pair<double, double>> near = {{h / 2.0, 0.75}, {-h / 2.0, 0.25}, {h, 1.0}, {-h, 0.0}};
    for (const auto& [z, numeric] : near) {
        INFO("ReLU at z = " << z << ", within h = " << h << " of the kink");
        const exercises::DerivativeCheck c = exercises::check_derivative(Activation::relu, relu_prime, z, h);
        CHECK_THAT(c.numeric, WithinAbs(numeric, 1e-10));
        CHECK(c.at_kink);
        CHECK_FALSE(c.passed);
    }
    for (double z : {3.0 * h, -3.0 * h}) {
        INFO("ReLU at z = " << z << ", farther than h from the kink");
        const exercises::DerivativeCheck c = exercises::check_derivative(Activation::relu, relu_prime, z, h);
        CHECK_FALSE(c.at_kink);
        CHECK(c.passed);
    }
    // The band is as wide as the step: with h = 0.1, z = 0.05 is in it and z = 0.3 is not.
    CHECK(exercises::check_derivative(Activation::relu, relu_prime, 0.05, 0.1).at_kink);
    CHECK_THAT(exercises::check_derivative(Activation::relu, relu_prime, 0.05, 0.1).numeric, WithinAbs(0.75, 1e-12));
    CHECK(exercises::check_derivative(Activation::relu, relu_prime, 0.3, 0.1).passed);
    // The floor 1e-6 of equation (3.10): tanh' at -30 is 0 to double precision, both ways;
    // sigma'(-40) is 4e-18, and a formula that returns 0 is right to 18 decimals.
    const exercises::DerivativeCheck flat = exercises::check_derivative(Activation::tanh, right[1].second, -30.0, h);
    CHECK(flat.relative_error < 1e-7);
    CHECK(flat.passed);
    const auto zero = [](double) { return 0.0; };
    const exercises::DerivativeCheck tiny = exercises::check_derivative(Activation::sigmoid, zero, -40.0, h);
    CHECK(tiny.relative_error < 1e-7);
    CHECK(tiny.passed);
    // The step must be positive.
    CHECK_THROWS_AS(exercises::check_derivative(Activation::sigmoid, right[0].second, 0.5, 0.0), std::invalid_argument);
}

TEST_CASE("Exercise 3.4: the neuron's gradient, by the chain rule", "[ch03]")
{
    // The running example's first neuron: sigma'(z_1^[1]) = 0.208496 as the chapter prints it.
    const double slope = 0.20849556278806108;
    const exercises::NeuronGradient g = exercises::neuron_gradient(Activation::sigmoid, row(0), b1(0, 0), a0);
    REQUIRE(g.da_dw.shape(0) == 1);
    REQUIRE(g.da_dw.shape(1) == 2);
    CHECK_THAT(g.da_db, WithinRel(slope, 1e-12));
    CHECK_THAT(g.da_dw, IsNear(Matrix{{slope * 0.8, slope * 0.2}}, 1e-12));
    // Numeric gradients of a = sigma(w a_prev + b) in every weight and the bias, with
    // three inputs; a is computed here by the library, so this test does not depend on 3.2.
    for (Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::identity}) {
        for (std::uint64_t seed : {61, 62, 63}) {
            INFO("activation " << name(sigma) << ", random neuron " << seed);
            Matrix w = random_matrix(1, 3, seed);
            const double b = 0.3;
            const Matrix a_prev = random_matrix(3, 1, seed + 10);
            const std::function<double()> a = [&] { return backprop::neuron_forward(sigma, w, b, a_prev).a; };
            const Matrix numeric_w = backprop::numeric_gradient(a, w);
            const auto a_of_b = [&](double t) { return backprop::neuron_forward(sigma, w, t, a_prev).a; };
            const double numeric_b = backprop::richardson_difference(a_of_b, b);
            const exercises::NeuronGradient n = exercises::neuron_gradient(sigma, w, b, a_prev);
            REQUIRE(n.da_dw.shape(0) == 1);
            REQUIRE(n.da_dw.shape(1) == 3);
            for (std::size_t k = 0; k < 3; ++k) {
                CAPTURE(k);
                CHECK(backprop::relative_error(n.da_dw(0, k), numeric_w(0, k)) < 1e-7);
            }
            CHECK(backprop::relative_error(n.da_db, numeric_b) < 1e-7);
        }
    }
    // ReLU: neuron 3 of the running example has z > 0 (a passes a_prev^T through),
    // neuron 1 has z < 0 (nothing passes).
    const exercises::NeuronGradient on = exercises::neuron_gradient(Activation::relu, row(2), b1(2, 0), a0);
    CHECK_THAT(on.da_dw, IsNear(Matrix{{0.8, 0.2}}, 1e-15));
    CHECK_THAT(on.da_db, WithinAbs(1.0, 1e-15));
    const exercises::NeuronGradient off = exercises::neuron_gradient(Activation::relu, row(0), b1(0, 0), a0);
    CHECK_THAT(off.da_dw, IsNear(Matrix{{0.0, 0.0}}, 0.0, 1e-15));
    CHECK_THAT(off.da_db, WithinAbs(0.0, 1e-15));
    // Exactly at the kink (inputs and bias all 0, so z = 0): the book's subgradient, ReLU'(0) = 0.
    const Matrix zero_input = {{0.0}, {0.0}};
    const exercises::NeuronGradient kink = exercises::neuron_gradient(Activation::relu, row(1), 0.0, zero_input);
    INFO("at z = 0 the book's convention is ReLU'(0) = 0");
    CHECK_THAT(kink.da_db, WithinAbs(0.0, 1e-15));
    CHECK_THAT(kink.da_dw, IsNear(Matrix{{0.0, 0.0}}, 0.0, 1e-15));
    // Shapes that do not fit are an error.
    CHECK_THROWS_AS(exercises::neuron_gradient(Activation::sigmoid, random_matrix(2, 1, 1), 0.0, a0), ShapeError);
    CHECK_THROWS_AS(exercises::neuron_gradient(Activation::sigmoid, row(0), 0.0, random_matrix(3, 1, 2)), ShapeError);
}

// Grading tests of chapter 5's exercises: the running example's numbers as the chapter
// prints them, numeric gradients of the loss with respect to a and to z, the L1 kink's
// convention, saturated outputs and the shape rules. Each TEST_CASE is one exercise;
// its name, "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>

#include "backprop/activation.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/random.hpp"
#include "ch05_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using backprop::ShapeError;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using checks::IsNear;

namespace {

// The running example's output layer (build/bin/ch05_output_delta --json): z^[2] and
// the target y; a^[2] is σ(z^[2]) for the sigmoid (the book's) or for tanh.
const Matrix z_example = {{-0.6004694089404994}, {-0.4984647080349281}};
const Matrix a_example = {{0.35423630775049786}, {0.3779015358852863}};
const Matrix a_example_tanh = {{-0.537383503753051}, {-0.46090887406548436}};
const Matrix y_example = {{1.0}, {0.0}};

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed, double lo = -1.0, double hi = 1.0)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, lo, hi);
}

// ∂J/∂z by Richardson differences, J = the mean over the columns of loss(σ(z), y): the
// loss as a function of z alone, which knows nothing of δ.
Matrix numeric_dJ_dz(Loss loss, Activation sigma, Matrix z, const Matrix& y)
{
    const std::function<double()> J = [&] { return backprop::loss_value(loss, backprop::activate(sigma, z), y); };
    return backprop::numeric_gradient(J, z);
}

// Targets at least 0.1 away from a in every entry, on either side: no L1 kink within
// reach of the numeric derivative's steps.
Matrix targets_away_from(const Matrix& a, std::uint64_t seed)
{
    const Matrix offset = random_matrix(a.shape(0), a.shape(1), seed, 0.1, 0.5);
    const Matrix side = random_matrix(a.shape(0), a.shape(1), seed + 1);
    Matrix y = a;
    for (std::size_t k = 0; k < y.size(); ++k) {
        y.data()[k] += side.data()[k] < 0.0 ? -offset.data()[k] : offset.data()[k];
    }
    return y;
}

}  // namespace

TEST_CASE("Exercise 5.1: the gradient of the quadratic loss", "[ch05]")
{
    // The running example's ∇_a ℓ, as chapter 5 prints it: a^[2] - y.
    CHECK_THAT(exercises::quadratic_loss_gradient(a_example, y_example),
               IsNear(Matrix{{-0.6457636922495021}, {0.3779015358852863}}, 1e-12));
    // No gradient where the output is right.
    const Matrix a = random_matrix(3, 4, 51), y = random_matrix(3, 4, 52);
    CHECK_THAT(exercises::quadratic_loss_gradient(a, a), IsNear(Matrix(xt::zeros<double>({3, 4})), 0.0, 1e-15));
    // On a (3, 4) batch the numeric gradient of the batch mean J is ∇_a ℓ / m: the
    // exercise's answer is per sample, one column each, not divided by m = 4.
    const Matrix grad_a = exercises::quadratic_loss_gradient(a, y);
    REQUIRE(grad_a.shape(0) == 3);
    REQUIRE(grad_a.shape(1) == 4);
    Matrix a_var = a;
    const std::function<double()> J = [&] { return backprop::loss_value(Loss::quadratic, a_var, y); };
    const Matrix numeric = backprop::numeric_gradient(J, a_var);
    CHECK_THAT(Matrix(grad_a / 4.0), IsNear(numeric, 1e-6, 1e-12));
    // a and y must have the same shape.
    CHECK_THROWS_AS(exercises::quadratic_loss_gradient(random_matrix(3, 4, 1), random_matrix(4, 3, 2)), ShapeError);
}

TEST_CASE("Exercise 5.2: the output error of the quadratic loss", "[ch05]")
{
    // The running example's δ^[2] for the quadratic loss, as chapter 5 prints it, with
    // the book's sigmoid output and with a tanh output.
    CHECK_THAT(exercises::quadratic_output_delta(Activation::sigmoid, z_example, a_example, y_example),
               IsNear(Matrix{{-0.14772034703598372}, {0.08884161467077696}}, 1e-12));
    CHECK_THAT(exercises::quadratic_output_delta(Activation::tanh, z_example, a_example_tanh, y_example),
               IsNear(Matrix{{-1.0934163118714189}, {-0.36299478010608527}}, 1e-12));
    // On (3, 4) batches, δ / m is the numeric gradient of J(σ(z)) with respect to z,
    // equation (5.2): missing σ'(z), σ'(a) for σ'(z) or a stray 1/m all fail here.
    for (const Activation sigma : {Activation::sigmoid, Activation::tanh, Activation::identity}) {
        INFO("output activation " << backprop::name_of(sigma));
        const Matrix z = random_matrix(3, 4, 53, -2.0, 2.0), y = random_matrix(3, 4, 54);
        const Matrix a = backprop::activate(sigma, z);
        const Matrix delta = exercises::quadratic_output_delta(sigma, z, a, y);
        REQUIRE(delta.shape(0) == 3);
        REQUIRE(delta.shape(1) == 4);
        CHECK_THAT(Matrix(delta / 4.0), IsNear(numeric_dJ_dz(Loss::quadratic, sigma, z, y), 1e-6, 1e-12));
    }
    // z, a and y must all have the same shape.
    const Matrix z = random_matrix(3, 4, 55);
    const Matrix a = backprop::activate(Activation::sigmoid, z);
    CHECK_THROWS_AS(exercises::quadratic_output_delta(Activation::sigmoid, z, a, random_matrix(4, 3, 1)), ShapeError);
    CHECK_THROWS_AS(exercises::quadratic_output_delta(Activation::sigmoid, random_matrix(4, 3, 2), a, a), ShapeError);
}

TEST_CASE("Exercise 5.3: the output error of the L1 loss, kink included", "[ch05]")
{
    // The running example's δ^[2], as chapter 5 prints it: ∓σ'(z^[2]).
    CHECK_THAT(exercises::l1_output_delta(Activation::sigmoid, z_example, a_example, y_example),
               IsNear(Matrix{{-0.2287529460217924}, {0.235091965060828}}, 1e-12));
    for (const Activation sigma : {Activation::sigmoid, Activation::tanh}) {
        INFO("output activation " << backprop::name_of(sigma));
        const Matrix z = random_matrix(3, 4, 56, -2.0, 2.0);
        const Matrix a = backprop::activate(sigma, z);
        const Matrix y = targets_away_from(a, 57);
        const Matrix delta = exercises::l1_output_delta(sigma, z, a, y);
        REQUIRE(delta.shape(0) == 3);
        REQUIRE(delta.shape(1) == 4);
        // Away from the kink, δ / m is the numeric gradient of J with respect to z.
        CHECK_THAT(Matrix(delta / 4.0), IsNear(numeric_dJ_dz(Loss::l1, sigma, z, y), 1e-6, 1e-12));
        // Only the sign of a - y matters: |δ| = σ'(z) whether a is near y or far from it.
        const Matrix prime = backprop::activate_prime(sigma, z);
        for (std::size_t k = 0; k < delta.size(); ++k) {
            INFO("entry " << k << " (row-major), a - y = " << a.data()[k] - y.data()[k]);
            CHECK_THAT(std::abs(delta.data()[k]), WithinRel(prime.data()[k], 1e-12));
        }
        // At the kink, a = y exactly, the book's subgradient is 0: δ = 0 there, in every
        // entry, while the other entries keep ±σ'(z).
        CHECK_THAT(exercises::l1_output_delta(sigma, z, a, a), IsNear(Matrix(xt::zeros<double>({3, 4})), 0.0, 0.0));
        Matrix y_mixed = y;
        y_mixed(1, 2) = a(1, 2);
        const Matrix mixed = exercises::l1_output_delta(sigma, z, a, y_mixed);
        CHECK(mixed(1, 2) == 0.0);
        CHECK_THAT(mixed(0, 0), WithinRel(delta(0, 0), 1e-15));
        // Just above and just below the target the sign is +1 and -1: the convention
        // applies at a = y only, not in a band around it.
        const Matrix above = exercises::l1_output_delta(sigma, z, a, Matrix(a - 1e-9));
        const Matrix below = exercises::l1_output_delta(sigma, z, a, Matrix(a + 1e-9));
        CHECK_THAT(above, IsNear(prime, 1e-12));
        CHECK_THAT(below, IsNear(Matrix(-prime), 1e-12));
    }
    // z, a and y must all have the same shape.
    const Matrix z = random_matrix(3, 4, 58);
    const Matrix a = backprop::activate(Activation::sigmoid, z);
    CHECK_THROWS_AS(exercises::l1_output_delta(Activation::sigmoid, z, a, random_matrix(4, 3, 1)), ShapeError);
    CHECK_THROWS_AS(exercises::l1_output_delta(Activation::sigmoid, random_matrix(4, 3, 2), a, a), ShapeError);
}

TEST_CASE("Exercise 5.4: the output error for every loss", "[ch05]")
{
    // The running example's three output errors, as chapter 5 prints them.
    CHECK_THAT(exercises::output_delta(Loss::l1, Activation::sigmoid, z_example, a_example, y_example),
               IsNear(Matrix{{-0.2287529460217924}, {0.235091965060828}}, 1e-12));
    CHECK_THAT(exercises::output_delta(Loss::quadratic, Activation::sigmoid, z_example, a_example, y_example),
               IsNear(Matrix{{-0.14772034703598372}, {0.08884161467077696}}, 1e-12));
    CHECK_THAT(exercises::output_delta(Loss::cross_entropy, Activation::sigmoid, z_example, a_example, y_example),
               IsNear(Matrix{{-0.6457636922495021}, {0.3779015358852863}}, 1e-12));
    // Numeric gradients of J with respect to z on a (2, 5) batch, for pairs of loss and
    // activation (targets in (0, 1) for cross-entropy, away from the L1 kink for L1).
    struct Pair {
        Loss loss;
        Activation sigma;
    };
    for (const Pair p : {Pair{Loss::cross_entropy, Activation::sigmoid}, Pair{Loss::quadratic, Activation::identity},
                         Pair{Loss::quadratic, Activation::tanh}, Pair{Loss::l1, Activation::tanh},
                         Pair{Loss::l1, Activation::sigmoid}}) {
        INFO("loss " << backprop::name_of(p.loss) << ", output activation " << backprop::name_of(p.sigma));
        const Matrix z = random_matrix(2, 5, 59, -3.0, 3.0);
        const Matrix a = backprop::activate(p.sigma, z);
        const Matrix y = p.loss == Loss::l1 ? targets_away_from(a, 60) : random_matrix(2, 5, 61, 0.0, 1.0);
        const Matrix delta = exercises::output_delta(p.loss, p.sigma, z, a, y);
        REQUIRE(delta.shape(0) == 2);
        REQUIRE(delta.shape(1) == 5);
        CHECK_THAT(Matrix(delta / 5.0), IsNear(numeric_dJ_dz(p.loss, p.sigma, z, y), 1e-6, 1e-12));
    }
    // A saturated sigmoid: at z = 40, a rounds to exactly 1, and at z = -40 it is about
    // 4e-18. Completely wrong outputs must still get an error of size 1 (equation 5.10).
    const Matrix z_sat = {{40.0, -40.0}};
    const Matrix a_sat = backprop::activate(Activation::sigmoid, z_sat);
    const Matrix delta_sat = exercises::output_delta(Loss::cross_entropy, Activation::sigmoid, z_sat, a_sat,
                                                     Matrix{{0.0, 1.0}});
    CHECK_THAT(delta_sat(0, 0), WithinRel(1.0, 1e-12));
    CHECK_THAT(delta_sat(0, 1), WithinRel(-1.0, 1e-12));
    // The L1 kink keeps its convention here too.
    CHECK_THAT(exercises::output_delta(Loss::l1, Activation::sigmoid, z_example, a_example, a_example),
               IsNear(Matrix{{0.0}, {0.0}}, 0.0, 0.0));
    // Cross-entropy only after a sigmoid; shapes must agree.
    CHECK_THROWS_AS(
        exercises::output_delta(Loss::cross_entropy, Activation::tanh, z_example, a_example_tanh, y_example),
        std::invalid_argument);
    CHECK_THROWS_AS(exercises::output_delta(Loss::cross_entropy, Activation::identity, z_example, z_example, y_example),
                    std::invalid_argument);
    CHECK_THROWS_AS(exercises::output_delta(Loss::cross_entropy, Activation::sigmoid, z_example, a_example,
                                            Matrix{{1.0, 0.0}}),
                    ShapeError);
    CHECK_THROWS_AS(exercises::output_delta(Loss::quadratic, Activation::sigmoid, z_example, a_example,
                                            Matrix{{1.0, 0.0}}),
                    ShapeError);
}

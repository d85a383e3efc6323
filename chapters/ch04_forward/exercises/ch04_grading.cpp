// Grading tests of chapter 4's exercises: hand-computed losses, the running example's
// numbers as the chapter prints them, every entry of a layer against equation (4.1),
// batch columns against one-sample passes, numeric gradients and the shape rules. Each
// TEST_CASE is one exercise; its name, "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "backprop/activation.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "book/example.hpp"
#include "ch04_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::Matrix;
using backprop::ShapeError;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using checks::IsNear;

namespace {

// The running example, book::running_example(): the 2-3-2 sigmoid network of seed 1,
// its input x and its target y; and what its forward pass computes, as chapter 4's
// program prints it (build/bin/ch04_forward --json).
const book::RunningExample example = book::running_example();
const Matrix z1_example = {{-0.8651061884142561}, {-1.2277709219552932}, {0.07194280869549433}};
const Matrix a1_example = {{0.29627362170808885}, {0.22657180463409077}, {0.5179779487021334}};
const Matrix z2_example = {{-0.6004694089404994}, {-0.4984647080349281}};
const Matrix a2_example = {{0.35423630775049786}, {0.3779015358852863}};

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed, double lo = -1.0, double hi = 1.0)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, lo, hi);
}

Matrix column(const Matrix& M, std::size_t i) { return xt::view(M, xt::all(), xt::range(i, i + 1)); }

// Column i repeated m times: a batch of m copies of one sample.
Matrix repeated(const Matrix& col, std::size_t m)
{
    Matrix R({col.shape(0), m});
    for (std::size_t j = 0; j < col.shape(0); ++j) {
        for (std::size_t i = 0; i < m; ++i) {
            R(j, i) = col(j, 0);
        }
    }
    return R;
}

// Equation (4.1) for entry (j, i), written out here, independently.
double weighted_sum(const Matrix& W, const Matrix& b, const Matrix& a_prev, std::size_t j, std::size_t i)
{
    double z = b(j, 0);
    for (std::size_t k = 0; k < W.shape(1); ++k) {
        z += W(j, k) * a_prev(k, i);
    }
    return z;
}

// The forward pass written out with loops, independently of the library's forward().
std::vector<Matrix> reference_activations(const backprop::Network& net, const Matrix& x)
{
    std::vector<Matrix> a{x};
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        Matrix next({net.sizes[l], x.shape(1)});
        for (std::size_t j = 0; j < next.shape(0); ++j) {
            for (std::size_t i = 0; i < next.shape(1); ++i) {
                const double z = weighted_sum(net.W[l], net.b[l], a[l - 1], j, i);
                next(j, i) = net.sigma[l] == Activation::tanh ? std::tanh(z) : z;
            }
        }
        a.push_back(next);
    }
    return a;
}

}  // namespace

TEST_CASE("Exercise 4.1: the quadratic loss of a batch", "[ch04]")
{
    // No loss when the output is the target.
    const Matrix a = random_matrix(3, 5, 41);
    CHECK_THAT(exercises::quadratic_loss(a, a), WithinAbs(0.0, 1e-15));
    // By hand: one sample, ½ (0.5² + 0.25²) = 0.15625; one output off by 1 costs ½, not 1.
    CHECK_THAT(exercises::quadratic_loss(Matrix{{0.5}, {0.25}}, Matrix{{1.0}, {0.0}}), WithinRel(0.15625, 1e-14));
    CHECK_THAT(exercises::quadratic_loss(Matrix{{1.0}}, Matrix{{0.0}}), WithinRel(0.5, 1e-14));
    // Two samples with losses 2 and 0: the mean over samples is 1 (the sum would be 2).
    CHECK_THAT(exercises::quadratic_loss(Matrix{{2.0, 0.0}}, Matrix{{0.0, 0.0}}), WithinRel(1.0, 1e-14));
    // The running example's output a^[2] against y = (1, 0)ᵀ, as chapter 4 prints it.
    CHECK_THAT(exercises::quadratic_loss(a2_example, example.y), WithinRel(0.27991015852608403, 1e-12));
    // m copies of one sample have that sample's loss: J is a mean, not a sum.
    const Matrix a1 = random_matrix(3, 1, 42), y1 = random_matrix(3, 1, 43);
    const double one = exercises::quadratic_loss(a1, y1);
    CHECK_THAT(exercises::quadratic_loss(repeated(a1, 7), repeated(y1, 7)), WithinRel(one, 1e-12));
    // A (3, 5) batch: the mean of its five columns' losses.
    const Matrix y = random_matrix(3, 5, 44);
    double mean = 0.0;
    for (std::size_t i = 0; i < 5; ++i) {
        double ell = 0.0;
        for (std::size_t j = 0; j < 3; ++j) {
            ell += 0.5 * (a(j, i) - y(j, i)) * (a(j, i) - y(j, i));
        }
        mean += ell / 5.0;
    }
    CHECK_THAT(exercises::quadratic_loss(a, y), WithinRel(mean, 1e-12));
    // Shapes that differ, and a batch without samples, are errors.
    CHECK_THROWS_AS(exercises::quadratic_loss(random_matrix(2, 3, 1), random_matrix(3, 2, 2)), ShapeError);
    CHECK_THROWS_AS(exercises::quadratic_loss(random_matrix(2, 1, 1), random_matrix(2, 2, 2)), ShapeError);
    CHECK_THROWS_AS(exercises::quadratic_loss(Matrix({2, 0}), Matrix({2, 0})), ShapeError);
}

TEST_CASE("Exercise 4.2: one layer forward for a batch", "[ch04]")
{
    // The running example's first layer, as chapter 4 prints it.
    const exercises::LayerValues first =
        exercises::layer_forward(example.net.W[1], example.net.b[1], example.x, Activation::sigmoid);
    CHECK_THAT(first.z, IsNear(z1_example, 1e-12));
    CHECK_THAT(first.a, IsNear(a1_example, 1e-12));
    // A (4, 3) layer on a batch of 5, every entry against equation (4.1), then tanh.
    const Matrix W = random_matrix(4, 3, 51), b = random_matrix(4, 1, 52), a_prev = random_matrix(3, 5, 53);
    const exercises::LayerValues layer = exercises::layer_forward(W, b, a_prev, Activation::tanh);
    REQUIRE(layer.z.shape(0) == 4);
    REQUIRE(layer.z.shape(1) == 5);
    REQUIRE(layer.a.shape() == layer.z.shape());
    for (std::size_t j = 0; j < 4; ++j) {
        for (std::size_t i = 0; i < 5; ++i) {
            INFO("entry (" << j << ", " << i << ")");
            CHECK_THAT(layer.z(j, i), WithinAbs(weighted_sum(W, b, a_prev, j, i), 1e-14));
            CHECK_THAT(layer.a(j, i), WithinAbs(std::tanh(weighted_sum(W, b, a_prev, j, i)), 1e-14));
        }
    }
    // Each column of the batch is the layer applied to that column alone.
    for (std::size_t i = 0; i < 5; ++i) {
        INFO("column " << i);
        const exercises::LayerValues alone = exercises::layer_forward(W, b, column(a_prev, i), Activation::tanh);
        CHECK_THAT(alone.z, IsNear(column(layer.z, i), 1e-12, 1e-15));
        CHECK_THAT(alone.a, IsNear(column(layer.a, i), 1e-12, 1e-15));
    }
    // A zero input leaves b, in every column: the bias is broadcast.
    const Matrix zeros = xt::zeros<double>({3, 5});
    const exercises::LayerValues zero = exercises::layer_forward(W, b, zeros, Activation::sigmoid);
    CHECK_THAT(zero.z, IsNear(repeated(b, 5)));
    CHECK_THAT(zero.a, IsNear(backprop::activate(Activation::sigmoid, repeated(b, 5))));
    // With the identity activation the layer is affine: it maps t u + (1 - t) v to
    // t f(u) + (1 - t) f(v), and f(u) - f(0) is linear in u.
    const Matrix u = random_matrix(3, 5, 54), v = random_matrix(3, 5, 55);
    const double t = 0.3;
    const Matrix mix = t * u + (1.0 - t) * v;
    const Matrix f_u = exercises::layer_forward(W, b, u, Activation::identity).a;
    const Matrix f_v = exercises::layer_forward(W, b, v, Activation::identity).a;
    const Matrix f_mix = exercises::layer_forward(W, b, mix, Activation::identity).a;
    CHECK_THAT(f_mix, IsNear(Matrix(t * f_u + (1.0 - t) * f_v), 1e-12, 1e-14));
    const Matrix f_2u = exercises::layer_forward(W, b, Matrix(2.0 * u), Activation::identity).a;
    CHECK_THAT(Matrix(f_2u - zero.z), IsNear(Matrix(2.0 * (f_u - zero.z)), 1e-12, 1e-14));
    // W must have as many columns as a_prev has rows, and b must be an (n_l, 1) column.
    CHECK_THROWS_AS(exercises::layer_forward(W, b, random_matrix(4, 5, 1), Activation::sigmoid), ShapeError);
    CHECK_THROWS_AS(exercises::layer_forward(W, random_matrix(3, 1, 2), a_prev, Activation::sigmoid), ShapeError);
    CHECK_THROWS_AS(exercises::layer_forward(W, random_matrix(4, 2, 3), a_prev, Activation::sigmoid), ShapeError);
}

TEST_CASE("Exercise 4.3: the whole forward pass", "[ch04]")
{
    SECTION("the running example, as chapter 4 prints it")
    {
        const backprop::Network& net = example.net;
        // The book's example gives the chapter's numbers (the library's forward pass, not the student's work).
        REQUIRE_THAT(backprop::forward(net, example.x).output(), IsNear(a2_example, 1e-12));
        const backprop::ForwardPass pass = exercises::forward_pass(net, example.x);
        REQUIRE(pass.z.size() == 3);
        REQUIRE(pass.a.size() == 3);
        CHECK_THAT(pass.a[0], IsNear(example.x));
        CHECK_THAT(pass.z[1], IsNear(z1_example, 1e-12));
        CHECK_THAT(pass.a[1], IsNear(a1_example, 1e-12));
        CHECK_THAT(pass.z[2], IsNear(z2_example, 1e-12));
        CHECK_THAT(pass.a[2], IsNear(a2_example, 1e-12));
    }
    SECTION("a deeper network: tanh hidden layers, an identity output, a batch of 6")
    {
        const std::vector<std::size_t> sizes{3, 5, 4, 2};
        const backprop::Network net = backprop::make_network(sizes, Activation::tanh, Activation::identity, 7);
        const Matrix x = random_matrix(3, 6, 61, -2.0, 2.0);
        const backprop::ForwardPass pass = exercises::forward_pass(net, x);
        REQUIRE(pass.z.size() == 4);
        REQUIRE(pass.a.size() == 4);
        CHECK_THAT(pass.a[0], IsNear(x));
        const std::vector<Matrix> expected = reference_activations(net, x);
        for (std::size_t l = 1; l <= 3; ++l) {
            INFO("layer " << l << " (n_l = " << sizes[l] << ", activation " << backprop::name_of(net.sigma[l]) << ")");
            REQUIRE(pass.z[l].shape(0) == sizes[l]);
            REQUIRE(pass.z[l].shape(1) == 6);
            REQUIRE(pass.a[l].shape() == pass.z[l].shape());
            // z^[l] from this pass's own a^[l-1] by equation (4.1), and a^[l] = σ^[l](z^[l]).
            for (std::size_t j = 0; j < sizes[l]; ++j) {
                for (std::size_t i = 0; i < 6; ++i) {
                    INFO("entry (" << j << ", " << i << ")");
                    const double z = weighted_sum(net.W[l], net.b[l], pass.a[l - 1], j, i);
                    CHECK_THAT(pass.z[l](j, i), WithinAbs(z, 1e-13));
                    const double a = l < 3 ? std::tanh(pass.z[l](j, i)) : pass.z[l](j, i);
                    CHECK_THAT(pass.a[l](j, i), WithinAbs(a, 1e-14));
                }
            }
            CHECK_THAT(pass.a[l], IsNear(expected[l], 1e-12, 1e-14));
        }
        // Each column of the batch is its own one-sample pass.
        for (std::size_t i = 0; i < 6; ++i) {
            INFO("column " << i);
            const backprop::ForwardPass alone = exercises::forward_pass(net, column(x, i));
            REQUIRE(alone.a.size() == 4);
            CHECK_THAT(alone.a[3], IsNear(column(pass.a[3], i), 1e-12, 1e-15));
        }
        // The input must have n_0 = 3 rows.
        CHECK_THROWS_AS(exercises::forward_pass(net, random_matrix(2, 6, 62)), ShapeError);
    }
}

TEST_CASE("Exercise 4.4: the cross-entropy loss, clipped", "[ch04]")
{
    // At a = 1/2 every output costs ln 2, whatever its target.
    const Matrix half = Matrix(xt::ones<double>({2, 3})) * 0.5;
    const Matrix y = random_matrix(2, 3, 71, 0.0, 1.0);
    CHECK_THAT(exercises::cross_entropy_loss(half, y), WithinRel(2.0 * std::log(2.0), 1e-13));
    // The running example's output a^[2] against y = (1, 0)ᵀ, as chapter 4 prints it.
    CHECK_THAT(exercises::cross_entropy_loss(a2_example, example.y), WithinRel(1.512447948869307, 1e-12));
    // Swapping the roles of 0 and 1 changes nothing: ℓ(a, y) = ℓ(1 - a, 1 - y).
    const Matrix a = random_matrix(2, 3, 72, 0.05, 0.95);
    CHECK_THAT(exercises::cross_entropy_loss(Matrix(1.0 - a), Matrix(1.0 - y)),
               WithinRel(exercises::cross_entropy_loss(a, y), 1e-12));
    // m copies of one sample have that sample's loss.
    const Matrix a1 = column(a, 0), y1 = column(y, 0);
    CHECK_THAT(exercises::cross_entropy_loss(repeated(a1, 5), repeated(y1, 5)),
               WithinRel(exercises::cross_entropy_loss(a1, y1), 1e-12));
    // For a soft target y = 0.3 the loss is smallest at a = 0.3.
    const double at_target = exercises::cross_entropy_loss(Matrix{{0.3}}, Matrix{{0.3}});
    CHECK(at_target < exercises::cross_entropy_loss(Matrix{{0.29}}, Matrix{{0.3}}));
    CHECK(at_target < exercises::cross_entropy_loss(Matrix{{0.31}}, Matrix{{0.3}}));
    // The numeric gradient with respect to a is (a - y) / (m a (1 - a)), equation (5.9)
    // divided by m for the mean.
    Matrix a_var = a;
    const std::function<double()> J = [&] { return exercises::cross_entropy_loss(a_var, y); };
    const Matrix numeric = backprop::numeric_gradient(J, a_var);
    const Matrix expected = (a - y) / (3.0 * a * (1.0 - a));
    CHECK_THAT(numeric, IsNear(expected, 1e-6, 1e-10));
    // Saturated outputs are clipped to [1e-15, 1 - 1e-15]: finite, not infinite.
    CHECK_THAT(exercises::cross_entropy_loss(Matrix{{0.0}}, Matrix{{1.0}}), WithinRel(-std::log(1e-15), 1e-12));
    const double wrong_one = exercises::cross_entropy_loss(Matrix{{1.0}}, Matrix{{0.0}});
    CHECK(std::isfinite(wrong_one));
    CHECK_THAT(wrong_one, WithinAbs(34.5, 0.2));
    CHECK_THAT(exercises::cross_entropy_loss(Matrix{{0.0}}, Matrix{{0.0}}), WithinAbs(0.0, 1e-12));
    CHECK_THAT(exercises::cross_entropy_loss(Matrix{{1.0}}, Matrix{{1.0}}), WithinAbs(0.0, 1e-12));
    // Shapes that differ, and a batch without samples, are errors.
    CHECK_THROWS_AS(exercises::cross_entropy_loss(random_matrix(2, 3, 1, 0.1, 0.9), random_matrix(3, 2, 2, 0.1, 0.9)),
                    ShapeError);
    CHECK_THROWS_AS(exercises::cross_entropy_loss(Matrix({2, 0}), Matrix({2, 0})), ShapeError);
}

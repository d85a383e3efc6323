#include <cmath>
#include <cstring>
#include <random>

#include <catch2/catch.hpp>
#include <xtensor/xview.hpp>

#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Matrix;
using backprop::Network;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

bool bit_identical(const Matrix& A, const Matrix& B)
{
    return A.shape() == B.shape() && std::memcmp(A.data(), B.data(), A.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("The running example's network has the source's shapes", "[ch04][shape]")
{
    const Network net = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 1);
    REQUIRE(net.depth() == 2);
    CHECK(net.W[1].shape() == std::array<std::size_t, 2>{3, 2});
    CHECK(net.W[2].shape() == std::array<std::size_t, 2>{2, 3});
    CHECK(net.b[1].shape() == std::array<std::size_t, 2>{3, 1});
    CHECK(net.b[2].shape() == std::array<std::size_t, 2>{2, 1});
    CHECK_NOTHROW(backprop::require_consistent(net));
}

TEST_CASE("Initial weights lie in Glorot's range", "[ch04][value]")
{
    const Network net = backprop::make_network({4, 10, 3}, Activation::tanh, Activation::identity, 5);
    for (std::size_t l = 1; l <= 2; ++l) {
        const double r = std::sqrt(6.0 / static_cast<double>(net.sizes[l - 1] + net.sizes[l]));
        CHECK(xt::amax(xt::abs(net.W[l]))() <= r);
        CHECK(xt::amax(xt::abs(net.W[l]))() > 0.5 * r);  // spread over the range, not all near 0
    }
}

TEST_CASE("The random numbers are the standard's mt19937_64 and the same on every machine", "[ch04][value]")
{
    // The C++ standard fixes the 10000th output of a default-seeded mt19937_64.
    backprop::Random rng(5489u);
    std::uint64_t r = 0;
    for (int i = 0; i < 10000; ++i) {
        r = rng.bits();
    }
    CHECK(r == 9981545732273789042ull);
    // uniform() is r / 2^11 * 2^-53, computed exactly: check it on the first draw of seed 1.
    std::mt19937_64 engine(1);
    const std::uint64_t first = engine();
    backprop::Random one(1);
    CHECK_THAT(one.uniform(), WithinAbs(static_cast<double>(first >> 11) / 9007199254740992.0, 0.0));
    for (int i = 0; i < 1000; ++i) {
        const double u = one.uniform();
        CHECK((u >= 0.0 && u < 1.0));
        const std::uint64_t k = one.below(7);
        CHECK(k < 7);
    }
    CHECK_THROWS_AS(one.below(0), std::invalid_argument);
}

TEST_CASE("The same seed gives bit-identical parameters and outputs in two runs", "[ch04][value]")
{
    const Network n1 = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 42);
    const Network n2 = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 42);
    const Network n3 = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 43);
    const Matrix x = backprop::Random(9).uniform_matrix(2, 4, -1.0, 1.0);
    const auto p1 = backprop::forward(n1, x);
    const auto p2 = backprop::forward(n2, x);
    for (std::size_t l = 1; l <= 2; ++l) {
        CHECK(bit_identical(n1.W[l], n2.W[l]));
        CHECK(bit_identical(n1.b[l], n2.b[l]));
        CHECK(bit_identical(p1.z[l], p2.z[l]));
        CHECK(bit_identical(p1.a[l], p2.a[l]));
        CHECK_FALSE(bit_identical(n1.W[l], n3.W[l]));
    }
}

TEST_CASE("The forward pass computes z = W a_prev + b and a = sigma(z) layer by layer", "[ch04][value]")
{
    const Network net = backprop::make_network({2, 3, 2}, Activation::tanh, Activation::sigmoid, 3);
    const Matrix x = {{0.5}, {-1.0}};
    const auto pass = backprop::forward(net, x);
    REQUIRE(pass.z.size() == 3);
    CHECK_THAT(pass.a[0], support::IsNear(x, 0.0, 0.0));
    // The same sums written out entry by entry, as the text writes them.
    Matrix a_prev = x;
    for (std::size_t l = 1; l <= 2; ++l) {
        Matrix z = xt::zeros<double>({net.sizes[l], std::size_t{1}});
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            double sum = net.b[l](j, 0);
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                sum += net.W[l](j, k) * a_prev(k, 0);
            }
            z(j, 0) = sum;
        }
        CHECK_THAT(pass.z[l], support::IsNear(z, 1e-14, 1e-15));
        const Matrix a = backprop::activate(net.sigma[l], z);
        CHECK_THAT(pass.a[l], support::IsNear(a, 1e-14, 1e-15));
        a_prev = a;
    }
}

TEST_CASE("A batch's forward pass equals the forward pass of each column, with b broadcast", "[ch04][value]")
{
    const Network net = backprop::make_network({3, 5, 4, 2}, Activation::relu, Activation::identity, 8);
    const Matrix X = backprop::Random(4).uniform_matrix(3, 6, -2.0, 2.0);
    const auto batch = backprop::forward(net, X);
    for (std::size_t i = 0; i < 6; ++i) {
        const Matrix xi = xt::view(X, xt::all(), xt::range(i, i + 1));
        const auto one = backprop::forward(net, xi);
        const Matrix col = xt::view(batch.output(), xt::all(), xt::range(i, i + 1));
        CHECK_THAT(col, support::IsNear(one.output(), 1e-13, 1e-15));
    }
}

TEST_CASE("forward_into reuses its buffers and gives the same result", "[ch04][value]")
{
    const Network net = backprop::make_network({3, 4, 2}, Activation::sigmoid, Activation::sigmoid, 2);
    const Matrix X = backprop::Random(1).uniform_matrix(3, 5, -1.0, 1.0);
    backprop::ForwardPass pass;
    backprop::forward_into(net, X, pass);
    const double* z1 = pass.z[1].data();
    backprop::forward_into(net, X, pass);
    CHECK(pass.z[1].data() == z1);  // no reallocation when the shapes fit
    CHECK(bit_identical(pass.output(), backprop::forward(net, X).output()));
}

TEST_CASE("Wrong shapes and sizes are rejected with both shapes named", "[ch04][shape]")
{
    const Network net = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 1);
    CHECK_THROWS_WITH(backprop::forward(net, xt::zeros<double>({3, 1})),
                      Catch::Matchers::Contains("(3, 1)") && Catch::Matchers::Contains("(2, 1)"));
    CHECK_THROWS_WITH(backprop::weighted_input(net.W[1], net.b[2], xt::zeros<double>({2, 1})),
                      Catch::Matchers::Contains("(3, 2)") && Catch::Matchers::Contains("(2, 1)"));
    CHECK_THROWS_AS(backprop::make_network({2}, Activation::sigmoid, Activation::sigmoid, 1), std::invalid_argument);
    CHECK_THROWS_AS(backprop::make_network({2, 0, 2}, Activation::sigmoid, Activation::sigmoid, 1),
                    std::invalid_argument);
    Network broken = net;
    broken.W[2] = xt::zeros<double>({3, 2});
    CHECK_THROWS_WITH(backprop::require_consistent(broken), Catch::Matchers::Contains("W^[2]"));
}

TEST_CASE("Large inputs give no NaN in the forward pass", "[ch04][value]")
{
    for (Activation s : backprop::all_activations()) {
        INFO(backprop::name_of(s));
        Network net = backprop::make_network({2, 3, 2}, s, s, 1);
        net.W[1] *= 1e3;
        const Matrix x = {{1e3, -1e3}, {-1e3, 1e3}};
        const auto pass = backprop::forward(net, x);
        for (std::size_t l = 1; l <= 2; ++l) {
            CHECK(xt::all(xt::isfinite(pass.z[l])));
            CHECK(xt::all(xt::isfinite(pass.a[l])));
        }
    }
}

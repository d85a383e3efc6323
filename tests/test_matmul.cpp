#include <catch2/catch.hpp>

#include "backprop/matmul.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Matrix;
using support::IsNear;

TEST_CASE("The matrix product of the source's example is [[-7, -10], [-15, -22]]", "[ch01][value]")
{
    const Matrix A = {{1, 2}, {3, 4}};
    const Matrix B = {{-1, -2}, {-3, -4}};
    const Matrix expected = {{-7, -10}, {-15, -22}};
    SECTION("by the naive triple loop") { CHECK_THAT(backprop::matmul_naive(A, B), IsNear(expected, 0.0, 0.0)); }
    SECTION("by BLAS") { CHECK_THAT(backprop::matmul(A, B), IsNear(expected, 0.0, 0.0)); }
}

TEST_CASE("The Hadamard product of the source's example is [[-1, -4], [-9, -16]]", "[ch01][value]")
{
    const Matrix A = {{1, 2}, {3, 4}};
    const Matrix B = {{-1, -2}, {-3, -4}};
    CHECK_THAT(backprop::hadamard(A, B), IsNear(Matrix{{-1, -4}, {-9, -16}}, 0.0, 0.0));
}

TEST_CASE("The naive product equals the BLAS product on random shapes", "[ch01][value]")
{
    backprop::Random rng(2024);
    const std::vector<std::array<std::size_t, 3>> shapes = {
        {1, 1, 1}, {1, 7, 1}, {1, 5, 9}, {9, 5, 1}, {7, 1, 6}, {2, 3, 4}, {17, 31, 13}, {64, 64, 64}, {3, 100, 2}};
    for (const auto& s : shapes) {
        INFO("(" << s[0] << ", " << s[1] << ")(" << s[1] << ", " << s[2] << ")");
        const Matrix A = rng.uniform_matrix(s[0], s[1], -2.0, 2.0);
        const Matrix B = rng.uniform_matrix(s[1], s[2], -2.0, 2.0);
        const Matrix naive = backprop::matmul_naive(A, B);
        REQUIRE(naive.shape(0) == s[0]);
        REQUIRE(naive.shape(1) == s[2]);
        CHECK_THAT(backprop::matmul(A, B), IsNear(naive, 1e-12, 1e-12));
    }
}

TEST_CASE("The general product handles transposes, alpha and beta", "[ch01][value]")
{
    backprop::Random rng(7);
    const Matrix A = rng.uniform_matrix(4, 3, -1.0, 1.0);
    const Matrix B = rng.uniform_matrix(5, 4, -1.0, 1.0);
    const Matrix At = xt::transpose(A);
    const Matrix Bt = xt::transpose(B);
    Matrix C = rng.uniform_matrix(3, 5, -1.0, 1.0);
    const Matrix C0 = C;
    backprop::matmul_into(A, true, B, true, C, 0.5, 2.0);  // C = 0.5 A^T B^T + 2 C
    const Matrix expected = 0.5 * backprop::matmul_naive(At, Bt) + 2.0 * C0;
    CHECK_THAT(C, IsNear(expected, 1e-12, 1e-14));
}

TEST_CASE("A product with an empty inner dimension is zero", "[ch01][value][shape]")
{
    const Matrix A = xt::zeros<double>({2, 0});
    const Matrix B = xt::zeros<double>({0, 3});
    CHECK_THAT(backprop::matmul(A, B), IsNear(xt::zeros<double>({2, 3}), 0.0, 0.0));
    CHECK_THAT(backprop::matmul_naive(A, B), IsNear(xt::zeros<double>({2, 3}), 0.0, 0.0));
}

TEST_CASE("Products of mismatched shapes throw, naming both shapes", "[ch01][shape]")
{
    const Matrix A = xt::ones<double>({2, 3});
    const Matrix B = xt::ones<double>({2, 3});
    const Matrix C = xt::ones<double>({3, 2});
    using Catch::Matchers::Contains;
    SECTION("matrix product")
    {
        CHECK_THROWS_AS(backprop::matmul(A, B), backprop::ShapeError);
        CHECK_THROWS_WITH(backprop::matmul(A, B), Contains("(2, 3)") && Contains("ch01_matmul"));
        CHECK_THROWS_WITH(backprop::matmul_naive(A, B), Contains("A is (2, 3)") && Contains("B is (2, 3)"));
    }
    SECTION("transposed product names the transposed shape")
    {
        Matrix out;
        CHECK_THROWS_WITH(backprop::matmul_into(A, true, C, false, out), Contains("A^T is (3, 2)") && Contains("B is (3, 2)"));
    }
    SECTION("Hadamard product")
    {
        CHECK_THROWS_AS(backprop::hadamard(A, C), backprop::ShapeError);
        CHECK_THROWS_WITH(backprop::hadamard(A, C), Contains("(2, 3)") && Contains("(3, 2)") && Contains("ch01_matmul"));
    }
    SECTION("accumulating into an output of the wrong shape")
    {
        Matrix out = xt::ones<double>({3, 3});
        CHECK_THROWS_WITH(backprop::matmul_into(A, false, C, false, out, 1.0, 1.0), Contains("(3, 3)") && Contains("(2, 2)"));
    }
}

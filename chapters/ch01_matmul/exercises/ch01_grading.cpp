// Grading tests of chapter 1's exercises: the source's worked example, the algebra every
// matrix product obeys, and the shape rules. Each TEST_CASE is one exercise; its name,
// "Exercise N.K: title", is what the grader shows.
#include <catch2/catch.hpp>

#include <xtensor/xmanipulation.hpp>

#include "backprop/random.hpp"
#include "ch01_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Matrix;
using backprop::ShapeError;
using checks::IsNear;

namespace {

const Matrix A = {{1.0, 2.0}, {3.0, 4.0}};
const Matrix B = {{-1.0, -2.0}, {-3.0, -4.0}};

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}

Matrix transposed(const Matrix& m) { return xt::transpose(m); }

// Entry (i, j) of the product, written out from equation 1.1 here, independently.
double product_entry(const Matrix& a, const Matrix& b, std::size_t i, std::size_t j)
{
    double sum = 0.0;
    for (std::size_t p = 0; p < a.shape(1); ++p) {
        sum += a(i, p) * b(p, j);
    }
    return sum;
}

Matrix identity(std::size_t n)
{
    Matrix I({n, n});
    I.fill(0.0);
    for (std::size_t i = 0; i < n; ++i) {
        I(i, i) = 1.0;
    }
    return I;
}

}  // namespace

TEST_CASE("Exercise 1.1: the Hadamard product", "[ch01]")
{
    // The source's worked example.
    CHECK_THAT(exercises::hadamard_product(A, B), IsNear(Matrix{{-1.0, -4.0}, {-9.0, -16.0}}));
    // Entry by entry on a matrix that is not square, and in either order.
    const Matrix x = random_matrix(3, 5, 11), y = random_matrix(3, 5, 12);
    const Matrix xy = exercises::hadamard_product(x, y);
    REQUIRE(xy.shape(0) == 3);
    REQUIRE(xy.shape(1) == 5);
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 5; ++j) {
            CHECK_THAT(xy(i, j), Catch::Matchers::WithinRel(x(i, j) * y(i, j), 1e-15));
        }
    }
    CHECK_THAT(exercises::hadamard_product(y, x), IsNear(xy));
    // Shapes that differ are an error.
    CHECK_THROWS_AS(exercises::hadamard_product(random_matrix(3, 5, 1), random_matrix(5, 3, 2)), ShapeError);
    CHECK_THROWS_AS(exercises::hadamard_product(random_matrix(2, 2, 1), random_matrix(2, 3, 2)), ShapeError);
}

TEST_CASE("Exercise 1.2: the matrix product with three loops", "[ch01]")
{
    // The source's worked example; the product is not commutative.
    CHECK_THAT(exercises::naive_product(A, B), IsNear(Matrix{{-7.0, -10.0}, {-15.0, -22.0}}));
    CHECK_THAT(exercises::naive_product(B, A), IsNear(Matrix{{-7.0, -10.0}, {-15.0, -22.0}}));
    CHECK_THAT(exercises::naive_product(A, Matrix{{0.0, 1.0}, {1.0, 0.0}}), IsNear(Matrix{{2.0, 1.0}, {4.0, 3.0}}));
    // (n, k)(k, m) -> (n, m), entry by entry, on shapes where every size differs.
    const Matrix x = random_matrix(2, 3, 21), y = random_matrix(3, 4, 22), z = random_matrix(4, 5, 23);
    const Matrix xy = exercises::naive_product(x, y);
    REQUIRE(xy.shape(0) == 2);
    REQUIRE(xy.shape(1) == 4);
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 4; ++j) {
            CHECK_THAT(xy(i, j), Catch::Matchers::WithinAbs(product_entry(x, y, i, j), 1e-14));
        }
    }
    // The identity changes nothing, on either side.
    CHECK_THAT(exercises::naive_product(identity(2), x), IsNear(x));
    CHECK_THAT(exercises::naive_product(x, identity(3)), IsNear(x));
    // (xy)z = x(yz) and (xy)ᵀ = yᵀxᵀ.
    CHECK_THAT(exercises::naive_product(xy, z),
               IsNear(exercises::naive_product(x, exercises::naive_product(y, z)), 1e-12, 1e-14));
    CHECK_THAT(transposed(xy), IsNear(exercises::naive_product(transposed(y), transposed(x)), 1e-12, 1e-14));
    // A column times a row is a matrix; a row times a column is one number.
    CHECK(exercises::naive_product(random_matrix(3, 1, 1), random_matrix(1, 4, 2)).shape(1) == 4);
    CHECK_THAT(exercises::naive_product(Matrix{{1.0, 2.0, 3.0}}, Matrix{{4.0}, {5.0}, {6.0}}), IsNear(Matrix{{32.0}}));
    // The columns of the first factor must match the rows of the second.
    CHECK_THROWS_AS(exercises::naive_product(x, z), ShapeError);
    CHECK_THROWS_AS(exercises::naive_product(y, x), ShapeError);
}

TEST_CASE("Exercise 1.3: the transposed product, without the transpose", "[ch01]")
{
    // Aᵀ = [[1, 3], [2, 4]] for the source's A.
    CHECK_THAT(exercises::transposed_product(A, B), IsNear(Matrix{{-10.0, -14.0}, {-14.0, -20.0}}));
    // (n, k), (n, m) -> (k, m), entry by entry against the definition.
    const Matrix x = random_matrix(4, 2, 31), y = random_matrix(4, 3, 32);
    const Matrix xty = exercises::transposed_product(x, y);
    REQUIRE(xty.shape(0) == 2);
    REQUIRE(xty.shape(1) == 3);
    const Matrix xt = transposed(x);
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK_THAT(xty(i, j), Catch::Matchers::WithinAbs(product_entry(xt, y, i, j), 1e-14));
        }
    }
    // (xᵀy)ᵀ = yᵀx.
    CHECK_THAT(transposed(xty), IsNear(exercises::transposed_product(y, x), 1e-12, 1e-14));
    // Wᵀδ as chapter 6 uses it: a (2, 3) W and a (2, 1) δ give a (3, 1) column.
    CHECK(exercises::transposed_product(random_matrix(2, 3, 1), random_matrix(2, 1, 2)).shape(0) == 3);
    // The rows must match.
    CHECK_THROWS_AS(exercises::transposed_product(x, random_matrix(3, 4, 33)), ShapeError);
}

#include <cmath>
#include <cstring>

#include <catch2/catch.hpp>

#include "backprop/gradcheck.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("The numeric gradient of a function of a matrix matches the formula", "[ch02][gradcheck]")
{
    // f(X) = sum_ij sin(X_ij) X_ij^2 has df/dX_ij = cos(X_ij) X_ij^2 + 2 sin(X_ij) X_ij.
    Matrix X = backprop::Random(5).uniform_matrix(3, 4, -2.0, 2.0);
    const auto f = [&X] { return xt::sum(xt::sin(X) * X * X)(); };
    const Matrix exact = xt::cos(X) * X * X + 2.0 * xt::sin(X) * X;
    const Matrix before = X;
    const Matrix numeric = backprop::numeric_gradient(f, X);
    CHECK(std::memcmp(before.data(), X.data(), X.size() * sizeof(double)) == 0);  // restored exactly
    const auto report = backprop::compare_gradients("X", exact, numeric);
    CHECK(report.passed(1e-9));
}

TEST_CASE("The relative error is |a - n| / max(|a|, |n|, tiny)", "[ch02][value]")
{
    CHECK_THAT(backprop::relative_error(1.0, 1.0), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::relative_error(2.0, 1.0), WithinAbs(0.5, 0.0));
    CHECK_THAT(backprop::relative_error(-1.0, 1.0), WithinAbs(2.0, 0.0));
    CHECK_THAT(backprop::relative_error(0.0, 0.0), WithinAbs(0.0, 0.0));
    // Below the floor, differences are judged against the floor.
    CHECK_THAT(backprop::relative_error(1e-9, 2e-9, 1e-6), WithinRel(1e-3, 1e-12));
    CHECK_THAT(backprop::relative_error(1e-9, 2e-9, 1e-300), WithinRel(0.5, 1e-12));
}

TEST_CASE("The report names the worst entry, and a NaN fails it", "[ch02][value]")
{
    const Matrix analytic = {{1.0, 2.0}, {3.0, 4.0}};
    const Matrix numeric = {{1.0, 2.0}, {3.3, 4.0}};
    const auto r = backprop::compare_gradients("W", analytic, numeric);
    CHECK(r.row == 1);
    CHECK(r.col == 0);
    CHECK_THAT(r.max_relative_error, WithinRel(0.3 / 3.3, 1e-12));
    CHECK_FALSE(r.passed());
    const Matrix with_nan = {{1.0, NAN}, {3.0, 4.0}};
    CHECK_FALSE(backprop::compare_gradients("W", analytic, with_nan).passed());
    CHECK_THROWS_WITH(backprop::compare_gradients("W", analytic, xt::zeros<double>({2, 3})),
                      Catch::Matchers::Contains("(2, 2)") && Catch::Matchers::Contains("(2, 3)"));
}

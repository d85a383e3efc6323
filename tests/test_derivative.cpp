#include <cmath>

#include <catch2/catch.hpp>

#include "backprop/derivative.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("The derivative of e^{-x} is -e^{-x}, as the chain rule says", "[ch02][value]")
{
    const backprop::ScalarFunction f = [](double x) { return std::exp(-x); };
    for (double x : {-3.0, -1.0, 0.0, 0.5, 2.0, 5.0}) {
        INFO("x = " << x);
        const double exact = -std::exp(-x);
        CHECK_THAT(backprop::central_difference(f, x), WithinRel(exact, 1e-9));
        CHECK_THAT(backprop::richardson_difference(f, x), WithinRel(exact, 1e-11));
        CHECK_THAT(backprop::forward_difference(f, x, 1e-7), WithinRel(exact, 1e-6));
    }
}

TEST_CASE("The partial derivatives of f(x, y) = xy are y and x", "[ch02][value]")
{
    for (double x : {-2.0, 0.5, 3.0}) {
        for (double y : {-1.5, 0.25, 4.0}) {
            INFO("x = " << x << ", y = " << y);
            const double df_dx = backprop::central_difference([y](double t) { return t * y; }, x);
            const double df_dy = backprop::central_difference([x](double t) { return x * t; }, y);
            CHECK_THAT(df_dx, WithinRel(y, 1e-10));
            CHECK_THAT(df_dy, WithinRel(x, 1e-10));
        }
    }
}

TEST_CASE("The central difference's error shrinks like h^2, the forward difference's like h", "[ch02][value]")
{
    const backprop::ScalarFunction f = [](double x) { return std::sin(x); };
    const double x = 1.0, exact = std::cos(1.0);
    const double fwd1 = std::abs(backprop::forward_difference(f, x, 1e-2) - exact);
    const double fwd2 = std::abs(backprop::forward_difference(f, x, 1e-3) - exact);
    const double cen1 = std::abs(backprop::central_difference(f, x, 1e-2) - exact);
    const double cen2 = std::abs(backprop::central_difference(f, x, 1e-3) - exact);
    const double ric1 = std::abs(backprop::richardson_difference(f, x, 1e-1) - exact);
    const double ric2 = std::abs(backprop::richardson_difference(f, x, 1e-2) - exact);
    CHECK_THAT(fwd1 / fwd2, WithinRel(10.0, 0.05));     // order 1
    CHECK_THAT(cen1 / cen2, WithinRel(100.0, 0.05));    // order 2
    CHECK_THAT(ric1 / ric2, WithinRel(10000.0, 0.05));  // order 4
}

TEST_CASE("A step that is not positive is rejected", "[ch02][value]")
{
    const backprop::ScalarFunction f = [](double x) { return x; };
    CHECK_THROWS_AS(backprop::central_difference(f, 0.0, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(backprop::forward_difference(f, 0.0, -1e-3), std::invalid_argument);
    CHECK_THROWS_AS(backprop::richardson_difference(f, 0.0, NAN), std::invalid_argument);
    CHECK_THAT(backprop::central_difference(f, 0.0), WithinAbs(1.0, 1e-12));
}

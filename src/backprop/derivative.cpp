#include "backprop/derivative.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace backprop {

namespace {

void require_positive_step(double h)
{
    if (!(h > 0.0) || !std::isfinite(h)) {
        throw std::invalid_argument("the step h must be a positive finite number, got " +
                                    std::to_string(h) + " (see ch02_chain_rule)");
    }
}

}  // namespace

//! [forward_difference]
double forward_difference(const ScalarFunction& f, double x, double h)
{
    require_positive_step(h);
    return (f(x + h) - f(x)) / h;
}
//! [forward_difference]

//! [central_difference]
double central_difference(const ScalarFunction& f, double x, double h)
{
    require_positive_step(h);
    return (f(x + h) - f(x - h)) / (2.0 * h);
}
//! [central_difference]

//! [richardson_difference]
double richardson_difference(const ScalarFunction& f, double x, double h)
{
    const double c_h = central_difference(f, x, h);
    const double c_2h = central_difference(f, x, 2.0 * h);
    return (4.0 * c_h - c_2h) / 3.0;
}
//! [richardson_difference]

//! [gradient_descent_step]
double gradient_descent_step(double w, double dJ_dw, double alpha)
{
    if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
        throw std::invalid_argument(
            "the learning rate alpha must be a finite number >= 0, got " +
            std::to_string(alpha) + " (see ch02_chain_rule)");
    }
    return w - alpha * dJ_dw;
}
//! [gradient_descent_step]

}  // namespace backprop

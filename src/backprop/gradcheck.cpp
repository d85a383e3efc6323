#include "backprop/gradcheck.hpp"

#include <algorithm>
#include <cmath>

#include "backprop/derivative.hpp"

namespace backprop {

//! [numeric_gradient]
Matrix numeric_gradient(const std::function<double()>& f, Matrix& X, double h)
{
    Matrix grad = xt::zeros<double>(X.shape());
    for (std::size_t i = 0; i < X.shape(0); ++i) {
        for (std::size_t j = 0; j < X.shape(1); ++j) {
            const double original = X(i, j);
            const ScalarFunction f_of_entry = [&](double t) {
                X(i, j) = t;
                return f();
            };
            grad(i, j) = richardson_difference(f_of_entry, original, h);
            X(i, j) = original;
        }
    }
    return grad;
}
//! [numeric_gradient]

//! [relative_error]
double relative_error(double analytic, double numeric, double tiny)
{
    const double scale = std::max({std::abs(analytic), std::abs(numeric), tiny});
    return std::abs(analytic - numeric) / scale;
}
//! [relative_error]

GradientReport compare_gradients(const std::string& name, const Matrix& analytic,
                                 const Matrix& numeric, double tiny)
{
    require_same_shape(analytic, numeric, ("gradient check of " + name).c_str(), "appendix_gradcheck");
    GradientReport report{name, 0.0, 0, 0, 0.0, 0.0};
    bool first = true;
    for (std::size_t i = 0; i < analytic.shape(0); ++i) {
        for (std::size_t j = 0; j < analytic.shape(1); ++j) {
            double err = relative_error(analytic(i, j), numeric(i, j), tiny);
            if (std::isnan(err)) {
                err = INFINITY;  // a NaN anywhere must fail the check
            }
            if (first || err > report.max_relative_error) {
                report = {name, err, i, j, analytic(i, j), numeric(i, j)};
                first = false;
            }
        }
    }
    return report;
}

}  // namespace backprop

#include "backprop/gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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
    const double scale =
        std::max({std::abs(analytic), std::abs(numeric), tiny});
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

const GradientReport& NetworkCheck::worst() const
{
    if (reports.empty()) {
        throw std::invalid_argument("the gradient check of a network with no layers has no worst entry");
    }
    return *std::max_element(reports.begin(), reports.end(), [](const GradientReport& a, const GradientReport& b) {
        return a.max_relative_error < b.max_relative_error;
    });
}

std::string tensor_name(std::size_t t)
{
    return std::string(t % 2 == 0 ? "W" : "b") + "^[" + std::to_string(t / 2 + 1) + "]";
}

//! [network_check]
NetworkCheck compare_network_gradients(
    const std::vector<Matrix>& grad_W, const std::vector<Matrix>& grad_b,
    const std::function<Matrix(std::size_t l, bool is_W)>& numeric)
{
    NetworkCheck check;
    for (std::size_t l = 1; l < grad_W.size(); ++l) {
        for (const bool is_W : {true, false}) {
            check.numeric.push_back(numeric(l, is_W));
            const Matrix& analytic = is_W ? grad_W.at(l) : grad_b.at(l);
            check.reports.push_back(compare_gradients(
                tensor_name(check.reports.size()), analytic,
                check.numeric.back()));
        }
    }
    return check;
}

NetworkCheck check_network_gradients(Network& net,
                                     const std::function<double()>& J,
                                     const Gradients& grads, double h)
{
    return compare_network_gradients(
        grads.grad_W, grads.grad_b, [&](std::size_t l, bool is_W) {
            // moves one entry at a time
            return numeric_gradient(J, is_W ? net.W[l] : net.b[l], h);
        });
}
//! [network_check]

std::function<double()> loss_function(const Network& net, const Matrix& x, const Matrix& y, Loss loss)
{
    return [&net, &x, &y, loss] { return loss_value(loss, forward(net, x).output(), y); };
}

}  // namespace backprop


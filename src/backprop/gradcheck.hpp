/// \file gradcheck.hpp
/// \brief Numeric gradients of a scalar function of a matrix, and how to compare them
/// with a formula's. \see ch02_chain_rule \see appendix_gradcheck
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// The default step of numeric_gradient(): the best step for richardson_difference()
/// is near \f$ \varepsilon^{1/5} \approx 10^{-3} \f$ times the scale of the variable.
inline constexpr double gradcheck_step = 1e-3;

/// The floor of the denominator in relative_error(). Below it a difference is judged
/// in absolute terms: a gradient entry of \f$ 10^{-6} \f$ or less only has to agree to
/// \f$ 10^{-13} \f$, about the round-off of the numeric derivative itself.
inline constexpr double gradcheck_tiny = 1e-6;

/// Numeric gradient of a scalar function \f$ f \f$ of a matrix \f$ X \f$:
/// \f$ \left(\nabla_X f\right)_{ij} \approx \dfrac{\partial f}{\partial X_{ij}} \f$, one entry at
/// a time, by richardson_difference() with step \p h. Each entry of \p X is moved and then
/// restored exactly, so \p X is unchanged afterwards.
///
/// \param f a function that reads \p X (e.g. the loss of a network that holds \p X)
/// \param X the variable, shape \f$ (n, m) \f$; it is modified during the call
/// \returns the numeric gradient, shape \f$ (n, m) \f$
/// \see ch02_chain_rule
Matrix numeric_gradient(const std::function<double()>& f, Matrix& X, double h = gradcheck_step);

/// The relative error of an analytic value \f$ a \f$ against a numeric one \f$ n \f$:
/// \f$ \dfrac{|a - n|}{\max(|a|, |n|, \mathit{tiny})} \f$.
/// Below \f$ 10^{-7} \f$ is the bar for smooth functions in double precision.
/// \see appendix_gradcheck
double relative_error(double analytic, double numeric, double tiny = gradcheck_tiny);

/// What a gradient check found in one tensor: its largest relative error and where.
struct GradientReport {
    std::string name;             ///< the tensor's symbol, e.g. `"W^[2]"`
    double max_relative_error{};  ///< the largest relative_error() over the entries
    std::size_t row{};            ///< where the largest error is
    std::size_t col{};            ///< where the largest error is
    double analytic{};            ///< the analytic entry there
    double numeric{};             ///< the numeric entry there
    /// True when the largest relative error is below \p tolerance.
    bool passed(double tolerance = 1e-7) const { return max_relative_error < tolerance; }
};

/// Compares an analytic gradient with a numeric one entry by entry and reports the
/// largest relative_error() and where it is.
/// \param analytic shape \f$ (n, m) \f$
/// \param numeric  shape \f$ (n, m) \f$
/// \throws ShapeError if the shapes differ (a wrong formula often shows here first)
/// \see appendix_gradcheck
GradientReport compare_gradients(const std::string& name, const Matrix& analytic,
                                 const Matrix& numeric, double tiny = gradcheck_tiny);

/// The gradient check of a whole network: for each parameter tensor \f$ W^{[1]}, b^{[1]},
/// \dots, W^{[L]}, b^{[L]} \f$ in that order, the numeric gradient and its comparison with
/// the analytic one.
struct NetworkCheck {
    std::vector<Matrix> numeric;          ///< the numeric gradients, one per tensor
    std::vector<GradientReport> reports;  ///< one per tensor, named `"W^[l]"` and `"b^[l]"`
    /// The report with the largest relative error (the first on a tie).
    const GradientReport& worst() const;
};

/// The symbol of parameter tensor \p t of a network, counting \f$ W^{[1]}, b^{[1]},
/// W^{[2]}, \dots \f$ from 0: `"W^[1]"`, `"b^[1]"`, ...
std::string tensor_name(std::size_t t);

/// Compares the analytic gradients \p grad_W, \p grad_b (indexed like the text, entry 0
/// unused) with `numeric(l, is_W)`, the numeric gradient of \f$ W^{[l]} \f$ or
/// \f$ b^{[l]} \f$, for \f$ l = 1..L \f$. This is the one loop over a network's tensors;
/// check_network_gradients() and the other precisions of precision.hpp give it their
/// numeric gradients. \see appendix_gradcheck
NetworkCheck compare_network_gradients(const std::vector<Matrix>& grad_W, const std::vector<Matrix>& grad_b,
                                       const std::function<Matrix(std::size_t l, bool is_W)>& numeric);

/// The gradient check of every weight and bias of \p net: numeric_gradient() of \p J
/// with step \p h, entry by entry, against `grads.grad_W` and `grads.grad_b`.
/// \param J the loss as a function of the parameters of \p net, read at each call (see
///          loss_function()); each entry is moved and restored exactly
/// \see ch07_updates \see appendix_gradcheck
NetworkCheck check_network_gradients(Network& net, const std::function<double()>& J, const Gradients& grads,
                                     double h = gradcheck_step);

/// The loss \f$ J \f$ of the batch \p x with targets \p y as a function of the current
/// parameters of \p net: `loss_value(loss, forward(net, x).output(), y)`. It keeps
/// references to its arguments. \see ch07_updates
std::function<double()> loss_function(const Network& net, const Matrix& x, const Matrix& y, Loss loss);

}  // namespace backprop

/// \file derivative.hpp
/// \brief Numeric derivatives of a function of one variable. \see ch02_chain_rule
#pragma once

#include <functional>

namespace backprop {

/// A real function of one real variable.
using ScalarFunction = std::function<double(double)>;

/// The forward difference, the definition of the derivative with a finite step:
/// \f$ f'(x) \approx \dfrac{f(x+h) - f(x)}{h} \f$. Its error shrinks like \f$ h \f$.
/// \throws std::invalid_argument if \p h is not positive
/// \see ch02_chain_rule
double forward_difference(const ScalarFunction& f, double x, double h);

/// The central difference \f$ f'(x) \approx \dfrac{f(x+h) - f(x-h)}{2h} \f$.
/// Its truncation error shrinks like \f$ h^2 \f$; round-off grows like
/// \f$ \varepsilon / h \f$, so the best step is near \f$ \varepsilon^{1/3} \approx 6\cdot10^{-6} \f$.
/// \throws std::invalid_argument if \p h is not positive
/// \see ch02_chain_rule
double central_difference(const ScalarFunction& f, double x, double h = 1e-5);

/// The central difference refined once by Richardson extrapolation,
/// \f$ D(h) = \dfrac{4\,C(h) - C(2h)}{3} = \dfrac{f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)}{12h} \f$,
/// where \f$ C \f$ is central_difference(). The \f$ h^2 \f$ terms cancel, so the truncation
/// error shrinks like \f$ h^4 \f$ and a larger step (less round-off) can be used. The
/// gradient checker uses it. \see appendix_gradcheck
/// \throws std::invalid_argument if \p h is not positive
double richardson_difference(const ScalarFunction& f, double x, double h = 1e-3);

/// One step of gradient descent on a function \f$ J(w) \f$ of one variable with learning
/// rate \f$ \alpha \f$: \f$ w := w - \alpha \dfrac{dJ}{dw} \f$. The step goes against the slope
/// of the tangent at \f$ w \f$, downhill. (The source writes the learning rate as \f$ a \f$;
/// the book keeps \f$ a \f$ for activations.) backprop::sgd_step() applies the same rule to
/// every entry of every \f$ W^{[l]} \f$ and \f$ b^{[l]} \f$.
/// \param w      the current value of the variable
/// \param dJ_dw  the derivative \f$ dJ/dw \f$ at \p w
/// \param alpha  the learning rate \f$ \alpha \ge 0 \f$
/// \returns the next value of \f$ w \f$
/// \throws std::invalid_argument if \p alpha is negative or not finite
/// \see ch02_chain_rule
double gradient_descent_step(double w, double dJ_dw, double alpha);

}  // namespace backprop

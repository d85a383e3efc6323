/// \file precision.hpp
/// \brief The loss, the backward pass and the gradient check of one sample in a chosen
/// floating-point precision \f$ T \f$ (`float` or `double`), for the experiment of
/// appendix A: how the precision limits a gradient check. \see appendix_gradcheck
///
/// The rest of the library computes in double, with BLAS and with formulas chosen to be
/// stable (network.hpp, backward.hpp, gradients.hpp). This path writes each equation as
/// a plain loop in which every operation rounds to \f$ T \f$, the textbook way:
/// \f$ \sigma(z) = 1/(1 + e^{-z}) \f$, and \f$ \sigma' \f$ from the activation
/// (\f$ a(1-a) \f$ for the sigmoid, \f$ 1 - a^2 \f$ for tanh). Its double instance agrees
/// with the library to round-off, which the tests check. It takes one sample, the L1 or
/// the quadratic loss, and sigmoid, tanh, ReLU or identity layers.
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// A matrix of \f$ T \f$.
template <class T>
using MatrixOf = xt::xtensor<T, 2>;

/// A network's weights and biases in precision \f$ T \f$, indexed like Network (entry 0
/// unused); the sizes and activations stay in the Network they came from.
template <class T>
struct ParametersOf {
    std::vector<MatrixOf<T>> W;  ///< `W[l]`: \f$ W^{[l]} \f$ rounded to \f$ T \f$
    std::vector<MatrixOf<T>> b;  ///< `b[l]`: \f$ b^{[l]} \f$ rounded to \f$ T \f$
};

/// The parameters of \p net, each entry rounded to the nearest \f$ T \f$.
template <class T>
ParametersOf<T> parameters_in(const Network& net)
{
    ParametersOf<T> p{std::vector<MatrixOf<T>>(net.W.size()), std::vector<MatrixOf<T>>(net.b.size())};
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        p.W[l] = xt::cast<T>(net.W[l]);
        p.b[l] = xt::cast<T>(net.b[l]);
    }
    return p;
}

//! [activation_in]
/// \f$ \sigma(z) \f$ in precision \f$ T \f$, the textbook formulas.
template <class T>
T activate_in(Activation sigma, T z)
{
    switch (sigma) {
    case Activation::sigmoid: return T(1) / (T(1) + std::exp(-z));
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0 ? z : T(0);
    case Activation::identity: return z;
    // softmax: its loss is refused by require_precision_path()
    case Activation::softmax: break;
    }
    return z;
}

/// \f$ s \, \sigma'(z) \f$ from \f$ a = \sigma(z) \f$: \f$ s\,a\,(1-a) \f$,
/// \f$ s\,(1-a^2) \f$, \f$ s \f$ where \f$ a > 0 \f$ (ReLU, 0 at the kink) or
/// \f$ s \f$ (identity).
template <class T>
T times_prime_in(Activation sigma, T s, T a)
{
    switch (sigma) {
    case Activation::sigmoid: return s * a * (T(1) - a);
    case Activation::tanh: return s * (T(1) - a * a);
    case Activation::relu: return a > 0 ? s : T(0);
    case Activation::identity: return s;
    case Activation::softmax: break;
    }
    return s;
}
//! [activation_in]

/// \throws std::invalid_argument unless this path can compute \p loss on \p x
inline void require_precision_path(Loss loss, const Matrix& x)
{
    if (loss == Loss::cross_entropy || loss == Loss::categorical_cross_entropy) {
        throw std::invalid_argument("the precision path of appendix_gradcheck takes the L1 and quadratic losses");
    }
    if (x.shape(1) != 1) {
        throw std::invalid_argument("the precision path of appendix_gradcheck takes one sample (one column)");
    }
}

//! [loss_in]
/// The loss \f$ J \f$ of one sample in precision \f$ T \f$: the forward pass
/// \f$ a^{[l]}_j = \sigma\big(b^{[l]}_j + \sum_k w^{[l]}_{jk} a^{[l-1]}_k\big)
/// \f$, then \f$ \sum_j |a^{[L]}_j - y_j| \f$ or
/// \f$ \sum_j \tfrac12 (a^{[L]}_j - y_j)^2 \f$.
/// \param net   the sizes and activations (its parameters are not read)
/// \param p     the parameters in \f$ T \f$
/// \param x     shape \f$ (n_0, 1) \f$
/// \param y     shape \f$ (n_L, 1) \f$
/// \param a     if not null, receives every \f$ a^{[l]} \f$
template <class T>
T loss_in(const Network& net, const ParametersOf<T>& p, const MatrixOf<T>& x,
          const MatrixOf<T>& y, Loss loss,
          std::vector<MatrixOf<T>>* a = nullptr)
{
    const std::size_t L = net.depth();
    std::vector<MatrixOf<T>> act(L + 1);
    act[0] = x;
    for (std::size_t l = 1; l <= L; ++l) {
        act[l] = MatrixOf<T>({p.W[l].shape(0), 1});
        for (std::size_t j = 0; j < p.W[l].shape(0); ++j) {
            T z = p.b[l](j, 0);  // z_j = b_j + sum_k w_jk a_k
            for (std::size_t k = 0; k < p.W[l].shape(1); ++k) {
                z += p.W[l](j, k) * act[l - 1](k, 0);
            }
            act[l](j, 0) = activate_in(net.sigma[l], z);
        }
    }
    T J = 0;
    for (std::size_t j = 0; j < y.shape(0); ++j) {
        const T d = act[L](j, 0) - y(j, 0);
        J += loss == Loss::l1 ? std::abs(d) : T(0.5) * d * d;
    }
    if (a != nullptr) {
        *a = std::move(act);
    }
    return J;
}
//! [loss_in]

//! [gradients_in]
/// Backpropagation of one sample in precision \f$ T \f$:
/// \f$ \delta^{[L]} = \nabla_a \ell \odot \sigma'(z^{[L]}) \f$ (the L1 loss's
/// sign, with 0 at the kink, or \f$ a - y \f$),
/// \f$ \delta^{[l]} = (W^{[l+1]\top} \delta^{[l+1]}) \odot \sigma'(z^{[l]})
/// \f$, \f$ \partial J / \partial W^{[l]} = \delta^{[l]} a^{[l-1]\top} \f$ and
/// \f$ \partial J / \partial b^{[l]} = \delta^{[l]} \f$, all as loops in
/// \f$ T \f$.
template <class T>
ParametersOf<T> gradients_in(const Network& net, const ParametersOf<T>& p,
                             const MatrixOf<T>& x, const MatrixOf<T>& y,
                             Loss loss)
{
    std::vector<MatrixOf<T>> a;
    loss_in(net, p, x, y, loss, &a);
    const std::size_t L = net.depth();
    ParametersOf<T> grad{std::vector<MatrixOf<T>>(L + 1),
                         std::vector<MatrixOf<T>>(L + 1)};
    MatrixOf<T> delta = a[L];
    for (std::size_t j = 0; j < delta.shape(0); ++j) {
        const T d = a[L](j, 0) - y(j, 0);
        const T sign = d > 0 ? T(1) : (d < 0 ? T(-1) : T(0));
        const T grad_a = loss == Loss::l1 ? sign : d;
        delta(j, 0) = times_prime_in(net.sigma[L], grad_a, a[L](j, 0));
    }
    for (std::size_t l = L; l >= 1; --l) {
        grad.W[l] = MatrixOf<T>(p.W[l].shape());
        for (std::size_t j = 0; j < p.W[l].shape(0); ++j) {
            for (std::size_t k = 0; k < p.W[l].shape(1); ++k) {
                grad.W[l](j, k) = delta(j, 0) * a[l - 1](k, 0);
            }
        }
        grad.b[l] = delta;
        if (l > 1) {
            MatrixOf<T> previous({p.W[l].shape(1), 1});
            for (std::size_t k = 0; k < p.W[l].shape(1); ++k) {
                T s = 0;
                for (std::size_t j = 0; j < p.W[l].shape(0); ++j) {
                    s += p.W[l](j, k) * delta(j, 0);
                }
                previous(k, 0) =
                    times_prime_in(net.sigma[l - 1], s, a[l - 1](k, 0));
            }
            delta = std::move(previous);
        }
    }
    return grad;
}
//! [gradients_in]

//! [difference_in]
/// The difference quotient used for a numeric derivative.
enum class Difference {
    central,    ///< \f$ C(h) = \dfrac{f(t + h) - f(t - h)}{2h} \f$
    richardson  ///< \f$ D(h) = \dfrac{4\,C(h) - C(2h)}{3} \f$
};

/// The numeric derivative of \p f with respect to \p t by \p method with step
/// \p h, every operation in precision \f$ T \f$; \p t is restored afterwards.
template <class T>
T difference_in(const std::function<T()>& f, T& t, T h, Difference method)
{
    const auto central = [&](T step) {
        const T original = t;
        t = original + step;
        const T up = f();
        t = original - step;
        const T down = f();
        t = original;
        return (up - down) / (T(2) * step);
    };
    if (method == Difference::central) {
        return central(h);
    }
    return (T(4) * central(h) - central(T(2) * h)) / T(3);
}
//! [difference_in]

/// What check_network_in() finds: the check, the loss, and the analytic gradients, all
/// converted to double for the comparison.
struct PrecisionCheck {
    double J = 0.0;                ///< the loss in precision \f$ T \f$
    std::vector<Matrix> analytic;  ///< gradients_in(), one per tensor in NetworkCheck's order
    NetworkCheck check;            ///< numeric gradients in \f$ T \f$ against the analytic ones
};

/// The gradient check of \p net on one sample, every step in precision \f$ T \f$: the
/// parameters, input and target rounded to \f$ T \f$, gradients_in() against
/// difference_in() for every entry of every tensor, compared by
/// compare_network_gradients().
/// \throws std::invalid_argument for a loss or a batch the path does not take
template <class T>
PrecisionCheck check_network_in(const Network& net, const Matrix& x_double, const Matrix& y_double, Loss loss,
                                Difference method, double h)
{
    require_precision_path(loss, x_double);
    ParametersOf<T> p = parameters_in<T>(net);
    const MatrixOf<T> x = xt::cast<T>(x_double), y = xt::cast<T>(y_double);
    const ParametersOf<T> grad = gradients_in(net, p, x, y, loss);
    const std::function<T()> f = [&] { return loss_in(net, p, x, y, loss); };
    PrecisionCheck c;
    c.J = static_cast<double>(f());
    std::vector<Matrix> grad_W(net.depth() + 1), grad_b(net.depth() + 1);
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        grad_W[l] = xt::cast<double>(grad.W[l]);
        grad_b[l] = xt::cast<double>(grad.b[l]);
        c.analytic.push_back(grad_W[l]);
        c.analytic.push_back(grad_b[l]);
    }
    c.check = compare_network_gradients(grad_W, grad_b, [&](std::size_t l, bool is_W) {
        MatrixOf<T>& param = is_W ? p.W[l] : p.b[l];
        Matrix numeric(param.shape());
        for (std::size_t i = 0; i < param.shape(0); ++i) {
            for (std::size_t j = 0; j < param.shape(1); ++j) {
                numeric(i, j) = static_cast<double>(difference_in(f, param(i, j), static_cast<T>(h), method));
            }
        }
        return numeric;
    });
    return c;
}

}  // namespace backprop

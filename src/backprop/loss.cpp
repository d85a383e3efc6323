#include "backprop/loss.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace backprop {

Loss loss_from_name(const std::string& name)
{
    for (Loss l : all_losses()) {
        if (name_of(l) == name) {
            return l;
        }
    }
    if (name == name_of(Loss::categorical_cross_entropy)) {
        return Loss::categorical_cross_entropy;
    }
    throw std::invalid_argument("unknown loss '" + name +
                                "' (expected l1, quadratic or cross-entropy, or categorical-cross-entropy "
                                "after a softmax output)");
}

std::string name_of(Loss loss)
{
    switch (loss) {
    case Loss::l1: return "l1";
    case Loss::quadratic: return "quadratic";
    case Loss::cross_entropy: return "cross-entropy";
    case Loss::categorical_cross_entropy: return "categorical-cross-entropy";
    }
    throw std::invalid_argument("invalid Loss value");
}

std::vector<Loss> all_losses() { return {Loss::l1, Loss::quadratic, Loss::cross_entropy}; }

//! [require_compatible]
void require_compatible(Loss loss, Activation output)
{
    if (loss == Loss::cross_entropy && output != Activation::sigmoid) {
        throw std::invalid_argument(
            "the cross-entropy loss needs a sigmoid output layer (outputs "
            "in (0, 1)), not " +
            name_of(output) + " (see ch04_forward)");
    }
    require_softmax_pair(loss, output);  // softmax: ch09_graphs
}
//! [require_compatible]

//! [require_softmax_pair]
void require_softmax_pair(Loss loss, Activation output)
{
    const bool softmax = output == Activation::softmax;
    const bool categorical = loss == Loss::categorical_cross_entropy;
    if (softmax && !categorical) {
        throw std::invalid_argument(
            "a softmax output layer needs the categorical-cross-entropy "
            "loss, not " + name_of(loss) + " (see ch09_graphs)");
    }
    if (categorical && !softmax) {
        throw std::invalid_argument(
            "the categorical-cross-entropy loss needs a softmax output layer "
            "(outputs that sum to 1), not " + name_of(output) +
            " (see ch09_graphs)");
    }
}
//! [require_softmax_pair]

namespace {

template <class F>
double mean_of_columns(F f, const Matrix& a, const Matrix& y)
{
    require_same_shape(a, y, "loss of output a and target y", "ch04_forward");
    const std::size_t m = a.shape(1);
    if (m == 0) {
        throw ShapeError("loss of an empty batch: a has shape " + shape_of(a) +
                         "; a batch needs at least one column (see ch04_forward)");
    }
    double total = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        total += f(a.data()[k], y.data()[k]);
    }
    return total / static_cast<double>(m);
}

template <class F>
void map_into(F f, const Matrix& a, const Matrix& y, Matrix& out)
{
    require_same_shape(a, y, "loss gradient of output a and target y", "ch05_output_delta");
    ensure_shape(out, a.shape(0), a.shape(1));
    for (std::size_t k = 0; k < a.size(); ++k) {
        out.data()[k] = f(a.data()[k], y.data()[k]);
    }
}

}  // namespace

//! [loss_value]
double loss_value(Loss loss, const Matrix& a, const Matrix& y)
{
    switch (loss) {
    case Loss::l1:
        return mean_of_columns([](double p, double t) { return l1(p, t); }, a,
                               y);
    case Loss::quadratic:
        return mean_of_columns(
            [](double p, double t) { return quadratic(p, t); }, a, y);
    case Loss::cross_entropy:
        return mean_of_columns(
            [](double p, double t) { return cross_entropy(p, t); }, a, y);
    case Loss::categorical_cross_entropy:
        return mean_of_columns(
            [](double p, double t) { return categorical_cross_entropy(p, t); },
            a, y);
    }
    throw std::invalid_argument("invalid Loss value");
}
//! [loss_value]

void loss_gradient_into(Loss loss, const Matrix& a, const Matrix& y, Matrix& grad)
{
    switch (loss) {
    case Loss::l1: return map_into([](double p, double t) { return l1_prime(p, t); }, a, y, grad);
    case Loss::quadratic:
        return map_into([](double p, double t) { return quadratic_prime(p, t); }, a, y, grad);
    case Loss::cross_entropy:
        return map_into([](double p, double t) { return cross_entropy_prime(p, t); }, a, y, grad);
    case Loss::categorical_cross_entropy:
        return map_into([](double p, double t) { return categorical_cross_entropy_prime(p, t); }, a, y, grad);
    }
}

Matrix loss_gradient(Loss loss, const Matrix& a, const Matrix& y)
{
    Matrix grad;
    loss_gradient_into(loss, a, y, grad);
    return grad;
}

//! [softmax_cross_entropy]
double softmax_cross_entropy(const Matrix& z, const Matrix& y)
{
    require_same_shape(z, y, "softmax cross-entropy", "ch09_graphs");
    // -ln a_j = ln sum_k e^{z_k} - z_j, by log-sum-exp: never the ln of a 0
    const Matrix minus_ln_a = -log_softmax(z);
    const auto term = [](double l, double t) { return t * l; };  // -y_j ln a_j
    return mean_of_columns(term, minus_ln_a, y);
}
//! [softmax_cross_entropy]

double distance_to_kink(Loss loss, const Matrix& a, const Matrix& y)
{
    require_same_shape(a, y, "distance to the loss's kink", "appendix_gradcheck");
    double d = std::numeric_limits<double>::infinity();
    if (loss == Loss::l1) {
        for (std::size_t k = 0; k < a.size(); ++k) {
            d = std::min(d, std::abs(a.data()[k] - y.data()[k]));
        }
    }
    return d;
}

}  // namespace backprop

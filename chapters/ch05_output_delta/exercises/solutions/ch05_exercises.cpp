// Chapter 5's exercises, solved. Built instead of ../ch05_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch05_exercises.hpp"

#include <stdexcept>
#include <string>

namespace exercises {

namespace {

void require_same(const Matrix& a, const Matrix& b, const char* what)
{
    if (a.shape() != b.shape()) {
        throw backprop::ShapeError(std::string(what) + " need the same shape (n_L, m): " + backprop::shape_of(a) +
                                   " and " + backprop::shape_of(b) + " (see ch05_output_delta)");
    }
}

}  // namespace

Matrix quadratic_loss_gradient(const Matrix& a, const Matrix& y)
{
    require_same(a, y, "the output a and the target y");
    const Matrix grad_a = a - y;  // equation 5.8, (n_L, m)
    return grad_a;
}

Matrix quadratic_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y)
{
    require_same(z, a, "z^[L] and a^[L]");
    const Matrix grad_a = quadratic_loss_gradient(a, y);                   // (n_L, m)
    const Matrix delta = grad_a * backprop::activate_prime(sigma, z);      // equation 5.6: ⊙ σ'(z), (n_L, m)
    return delta;
}

Matrix l1_output_delta(backprop::Activation sigma, const Matrix& z, const Matrix& a, const Matrix& y)
{
    require_same(z, a, "z^[L] and a^[L]");
    require_same(a, y, "the output a and the target y");
    Matrix grad_a({a.shape(0), a.shape(1)});  // equation 5.7, with sign(0) = 0 at the kink
    for (std::size_t j = 0; j < a.shape(0); ++j) {
        for (std::size_t i = 0; i < a.shape(1); ++i) {
            grad_a(j, i) = a(j, i) > y(j, i) ? 1.0 : (a(j, i) < y(j, i) ? -1.0 : 0.0);
        }
    }
    const Matrix delta = grad_a * backprop::activate_prime(sigma, z);  // equation 5.6, (n_L, m)
    return delta;
}

Matrix output_delta(backprop::Loss loss, backprop::Activation sigma, const Matrix& z, const Matrix& a,
                    const Matrix& y)
{
    switch (loss) {
    case backprop::Loss::l1: return l1_output_delta(sigma, z, a, y);
    case backprop::Loss::quadratic: return quadratic_output_delta(sigma, z, a, y);
    case backprop::Loss::cross_entropy: {
        if (sigma != backprop::Activation::sigmoid) {
            throw std::invalid_argument("the cross-entropy loss needs a sigmoid output layer, not " +
                                        backprop::name_of(sigma) + " (see ch04_forward)");
        }
        require_same(z, a, "z^[L] and a^[L]");
        require_same(a, y, "the output a and the target y");
        const Matrix delta = a - y;  // equation 5.10: σ'(z) cancels a (1 - a), (n_L, m)
        return delta;
    }
    case backprop::Loss::categorical_cross_entropy: break;  // chapter 9's softmax output
    }
    throw std::invalid_argument("invalid Loss value");
}

}  // namespace exercises

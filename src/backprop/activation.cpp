#include "backprop/activation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace backprop {

Activation activation_from_name(const std::string& name)
{
    for (Activation a : all_activations()) {
        if (name_of(a) == name) {
            return a;
        }
    }
    if (name == name_of(Activation::softmax)) {
        return Activation::softmax;
    }
    throw std::invalid_argument("unknown activation '" + name +
                                "' (expected sigmoid, tanh, relu or identity, or softmax for an output layer)");
}

std::string name_of(Activation activation)
{
    switch (activation) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::identity: return "identity";
    case Activation::softmax: return "softmax";
    }
    throw std::invalid_argument("invalid Activation value");
}

std::vector<Activation> all_activations()
{
    return {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity};
}

bool is_elementwise(Activation sigma) { return sigma != Activation::softmax; }

namespace {

void require_rows(const Matrix& Z, const char* what)
{
    if (Z.shape(0) == 0) {
        throw ShapeError(std::string(what) + " of Z of shape " + shape_of(Z) +
                         ": each column needs at least one entry (see ch09_graphs)");
    }
}

// The largest entry of column i of Z, the c of softmax_into() and log_sum_exp().
double column_max(const Matrix& Z, std::size_t i)
{
    double c = Z(0, i);
    for (std::size_t j = 1; j < Z.shape(0); ++j) {
        c = std::max(c, Z(j, i));
    }
    return c;
}

// Softmax and its derivative have no entry-by-entry form: refuse them where one is needed.
std::invalid_argument not_elementwise(const char* what)
{
    return std::invalid_argument(std::string(what) + " of softmax: each a_j depends on every z_k of its column, so "
                                 "there is no sigma'(z) entry by entry; after a softmax output the output error "
                                 "is delta = a - y (see ch09_graphs)");
}

}  // namespace

//! [softmax]
void softmax_into(const Matrix& Z, Matrix& A)
{
    require_rows(Z, "softmax");
    const std::size_t n = Z.shape(0), m = Z.shape(1);
    ensure_shape(A, n, m);
    for (std::size_t i = 0; i < m; ++i) {  // each column (sample) on its own
        const double c = column_max(Z, i);
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            A(j, i) = std::exp(Z(j, i) - c);  // in (0, 1]; 1 at the largest z_j
            sum += A(j, i);
        }
        for (std::size_t j = 0; j < n; ++j) {
            A(j, i) /= sum;  // sum >= 1
        }
    }
}
//! [softmax]

Matrix softmax(const Matrix& Z)
{
    Matrix A;
    softmax_into(Z, A);
    return A;
}

//! [log_sum_exp]
Matrix log_sum_exp(const Matrix& Z)
{
    require_rows(Z, "log-sum-exp");
    Matrix lse = xt::zeros<double>({std::size_t{1}, Z.shape(1)});
    for (std::size_t i = 0; i < Z.shape(1); ++i) {
        const double c = column_max(Z, i);
        double sum = 0.0;
        for (std::size_t j = 0; j < Z.shape(0); ++j) {
            sum += std::exp(Z(j, i) - c);
        }
        lse(0, i) = c + std::log(sum);  // ln sum_k e^{z_k}
    }
    return lse;
}
//! [log_sum_exp]

Matrix log_softmax(const Matrix& Z)
{
    const Matrix lse = log_sum_exp(Z);
    Matrix out = Z;
    for (std::size_t j = 0; j < Z.shape(0); ++j) {
        for (std::size_t i = 0; i < Z.shape(1); ++i) {
            out(j, i) -= lse(0, i);
        }
    }
    return out;
}

namespace {

template <class F>
void map_into(F f, const Matrix& Z, Matrix& out)
{
    ensure_shape(out, Z.shape(0), Z.shape(1));
    const double* z = Z.data();
    double* o = out.data();
    const std::size_t n = Z.size();
    for (std::size_t i = 0; i < n; ++i) {
        o[i] = f(z[i]);
    }
}

}  // namespace

void activate_into(Activation sigma, const Matrix& Z, Matrix& A)
{
    switch (sigma) {
    case Activation::sigmoid: return map_into([](double z) { return sigmoid(z); }, Z, A);
    case Activation::tanh: return map_into([](double z) { return backprop::tanh(z); }, Z, A);
    case Activation::relu: return map_into([](double z) { return relu(z); }, Z, A);
    case Activation::identity: return map_into([](double z) { return identity(z); }, Z, A);
    case Activation::softmax: return softmax_into(Z, A);
    }
}

Matrix activate(Activation sigma, const Matrix& Z)
{
    Matrix A;
    activate_into(sigma, Z, A);
    return A;
}

void activate_prime_into(Activation sigma, const Matrix& Z, Matrix& D)
{
    switch (sigma) {
    case Activation::sigmoid: return map_into([](double z) { return sigmoid_prime(z); }, Z, D);
    case Activation::tanh: return map_into([](double z) { return tanh_prime(z); }, Z, D);
    case Activation::relu: return map_into([](double z) { return relu_prime(z); }, Z, D);
    case Activation::identity: return map_into([](double z) { return identity_prime(z); }, Z, D);
    case Activation::softmax: throw not_elementwise("the derivative");
    }
}

Matrix activate_prime(Activation sigma, const Matrix& Z)
{
    Matrix D;
    activate_prime_into(sigma, Z, D);
    return D;
}

namespace {

template <class F>
void scale_by(F f, const Matrix& Z, Matrix& M)
{
    require_same_shape(Z, M, "element-wise product with sigma'(z)", "ch05_output_delta");
    const double* z = Z.data();
    double* m = M.data();
    const std::size_t n = Z.size();
    for (std::size_t i = 0; i < n; ++i) {
        m[i] *= f(z[i]);
    }
}

}  // namespace

void multiply_by_prime(Activation sigma, const Matrix& Z, Matrix& M)
{
    switch (sigma) {
    case Activation::sigmoid: return scale_by([](double z) { return sigmoid_prime(z); }, Z, M);
    case Activation::tanh: return scale_by([](double z) { return tanh_prime(z); }, Z, M);
    case Activation::relu: return scale_by([](double z) { return relu_prime(z); }, Z, M);
    case Activation::identity: return require_same_shape(Z, M, "element-wise product with sigma'(z)", "ch05_output_delta");
    case Activation::softmax: throw not_elementwise("the product with sigma'(z)");
    }
}

double distance_to_kink(Activation sigma, double z)
{
    return sigma == Activation::relu ? std::abs(z) : std::numeric_limits<double>::infinity();
}

}  // namespace backprop

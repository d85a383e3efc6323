#include "backprop/activation.hpp"

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
    throw std::invalid_argument("unknown activation '" + name +
                                "' (expected sigmoid, tanh, relu or identity)");
}

std::string name_of(Activation activation)
{
    switch (activation) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::identity: return "identity";
    }
    throw std::invalid_argument("invalid Activation value");
}

std::vector<Activation> all_activations()
{
    return {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity};
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
    }
}

double distance_to_kink(Activation sigma, double z)
{
    return sigma == Activation::relu ? std::abs(z) : std::numeric_limits<double>::infinity();
}

}  // namespace backprop

// Appendix C: the book's conventions against other textbooks'. The row-major convention
// of CS231n and Saito's book (samples as rows, Z = X W + b) is computed here on its own,
// and its gradients are the library's after transposes. Nielsen's and Ng's losses are the
// library's batch means.
#include <cmath>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

//! [row_major]
// The row-major convention: X is (m, n_0), one sample per row;
// W_l is (n_{l-1}, n_l); b_l is (1, n_l), added to every row;
// Z_l = A_{l-1} W_l + b_l; the loss J is the mean over the rows.
struct RowMajor {
    std::vector<Matrix> W, b;  // W[l], b[l] for l = 1..L
    std::vector<Matrix> Z, A;  // Z[l], A[l], each (m, n_l); A[0] = X
    std::vector<Matrix> dZ, dW, db;
};

Matrix sigmoid_of(const Matrix& Z) { return 1.0 / (1.0 + xt::exp(-Z)); }

void forward_rows(RowMajor& r, const Matrix& X,
                  const std::vector<bool>& is_tanh)
{
    const std::size_t L = r.W.size() - 1;
    r.Z.assign(L + 1, Matrix{});
    r.A.assign(L + 1, Matrix{});
    r.A[0] = X;
    for (std::size_t l = 1; l <= L; ++l) {
        // (m, n_{l-1})(n_{l-1}, n_l) + (1, n_l), the bias broadcast over the
        // rows
        r.Z[l] = xt::linalg::dot(r.A[l - 1], r.W[l]) + r.b[l];
        r.A[l] = is_tanh[l] ? Matrix(xt::tanh(r.Z[l])) : sigmoid_of(r.Z[l]);
    }
}

// Going down from dZ_L = dJ/dZ_L: dW_l = A_{l-1}^T dZ_l, db_l = 1^T dZ_l and
// dZ_{l-1} = (dZ_l W_l^T) (.) sigma'(Z_{l-1}).
// A sigmoid output with the cross-entropy has dZ_L = (A_L - Y) / m; with the
// quadratic loss, dZ_L = (A_L - Y) (.) sigma'(Z_L) / m.
void backward_rows(RowMajor& r, const Matrix& Y, Loss loss,
                   const std::vector<bool>& is_tanh)
{
    const std::size_t L = r.W.size() - 1;
    const std::size_t m = Y.shape(0);
    r.dZ.assign(L + 1, Matrix{});
    r.dW.assign(L + 1, Matrix{});
    r.db.assign(L + 1, Matrix{});
    const auto slope = [&](std::size_t l) -> Matrix {  // sigma'(Z_l) from A_l
        return is_tanh[l] ? Matrix(1.0 - r.A[l] * r.A[l])
                          : Matrix(r.A[l] * (1.0 - r.A[l]));
    };
    // 1^T, (1, m)
    const Matrix ones_row = xt::ones<double>({std::size_t{1}, m});
    r.dZ[L] = (r.A[L] - Y) / static_cast<double>(m);
    if (loss == Loss::quadratic) {
        r.dZ[L] = r.dZ[L] * slope(L);
    }
    for (std::size_t l = L; l >= 1; --l) {
        const Matrix A_prev_T = xt::transpose(r.A[l - 1]);
        r.dW[l] = xt::linalg::dot(A_prev_T, r.dZ[l]);  // (n_{l-1}, n_l)
        r.db[l] = xt::linalg::dot(ones_row, r.dZ[l]);  // (1, n_l)
        if (l > 1) {
            const Matrix dA = xt::linalg::dot(r.dZ[l], xt::transpose(r.W[l]));
            r.dZ[l - 1] = dA * slope(l - 1);
        }
    }
}
//! [row_major]

}  // namespace

TEST_CASE("The row-major batch computation (X W + b, samples as rows) gives the library's gradients after "
          "transposes",
          "[appendix_notation][value]")
{
    // A network with three layers of weights, tanh hidden layers and a sigmoid output, batch 5.
    const std::vector<std::size_t> sizes = {3, 4, 3, 2};
    const std::size_t m = 5;
    const backprop::Network net = backprop::make_network(sizes, Activation::tanh, Activation::sigmoid, 11);
    backprop::Random rng(12);
    const Matrix x = rng.uniform_matrix(3, m, -1.0, 1.0);  // the book: (n_0, m), samples as columns
    const Matrix y = rng.uniform_matrix(2, m, 0.0, 1.0);
    const std::vector<bool> is_tanh = {false, true, true, false};

    for (Loss loss : {Loss::cross_entropy, Loss::quadratic}) {
        SECTION(backprop::name_of(loss))
        {
            //! [row_major_against_library]
            RowMajor r;
            r.W.assign(4, Matrix{});
            r.b.assign(4, Matrix{});
            for (std::size_t l = 1; l <= 3; ++l) {
                // (n_{l-1}, n_l): same numbers
                r.W[l] = xt::transpose(net.W[l]);
                r.b[l] = xt::transpose(net.b[l]);  // (1, n_l)
            }
            forward_rows(r, xt::transpose(x), is_tanh);  // X = x^T, (m, n_0)
            backward_rows(r, xt::transpose(y), loss, is_tanh);

            const backprop::ForwardPass pass = backprop::forward(net, x);
            const backprop::Gradients grads =
                backprop::backward(net, pass, y, loss);
            const double m_ = static_cast<double>(m);
            for (std::size_t l = 1; l <= 3; ++l) {
                const Matrix A_T = xt::transpose(r.A[l]);
                const Matrix dW_T = xt::transpose(r.dW[l]);
                const Matrix db_T = xt::transpose(r.db[l]);
                // The book's delta is per sample; dZ includes the 1/m.
                const Matrix delta = xt::transpose(r.dZ[l] * m_);
                CHECK_THAT(A_T, support::IsNear(pass.a[l], 1e-13, 1e-15));
                CHECK_THAT(dW_T,
                           support::IsNear(grads.grad_W[l], 1e-12, 1e-15));
                CHECK_THAT(db_T,
                           support::IsNear(grads.grad_b[l], 1e-12, 1e-15));
                CHECK_THAT(delta,
                           support::IsNear(grads.delta[l], 1e-12, 1e-15));
            }
            //! [row_major_against_library]
            double J = 0.0;  // the row-major loss, a mean over rows
            for (std::size_t i = 0; i < m; ++i) {
                for (std::size_t j = 0; j < 2; ++j) {
                    const double a = r.A[3](i, j), t = y(j, i);
                    J += loss == Loss::quadratic ? 0.5 * (a - t) * (a - t)
                                                 : -(t * std::log(a) + (1.0 - t) * std::log(1.0 - a));
                }
            }
            CHECK_THAT(J / static_cast<double>(m), WithinRel(backprop::loss_value(loss, pass.output(), y), 1e-13));
        }
    }
}

TEST_CASE("The row-major weights do not fit the book's product without the transpose", "[appendix_notation][shape]")
{
    const backprop::Network net = backprop::make_network({3, 4, 2}, Activation::sigmoid, Activation::sigmoid, 1);
    const Matrix X = xt::ones<double>({5, 3});  // five samples as rows
    CHECK_THROWS_AS(backprop::matmul(X, net.W[1]), backprop::ShapeError);               // (5, 3)(4, 3)
    CHECK(backprop::matmul(X, xt::transpose(net.W[1])).shape() == std::array<std::size_t, 2>{5, 4});
    CHECK_THROWS_AS(backprop::weighted_input(net.W[1], net.b[1], X), backprop::ShapeError);  // (4, 3)(5, 3)
}

TEST_CASE("The text's w_jk^[l], counted from 1, is net.W[l](j - 1, k - 1): z_j = sum_k w_jk a_k + b_j",
          "[appendix_notation][value]")
{
    const backprop::Network net = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 1);
    const Matrix a0 = {{0.8}, {0.2}};
    const Matrix z1 = backprop::weighted_input(net.W[1], net.b[1], a0);
    for (std::size_t j = 1; j <= 3; ++j) {
        double z = net.b[1](j - 1, 0);
        for (std::size_t k = 1; k <= 2; ++k) {
            z += net.W[1](j - 1, k - 1) * a0(k - 1, 0);
        }
        CHECK_THAT(z1(j - 1, 0), WithinRel(z, 1e-15));
    }
    CHECK(net.W[0].size() == 0);  // layer 0 is the input: it has no weights
}

TEST_CASE("Nielsen's quadratic cost 1/2n sum ||y - a||^2 and Ng's cross-entropy cost -1/m sum [...] are the "
          "library's batch means",
          "[appendix_notation][value]")
{
    backprop::Random rng(3);
    const std::size_t m = 7;
    const Matrix a = rng.uniform_matrix(2, m, 0.05, 0.95);
    const Matrix y = rng.uniform_matrix(2, m, 0.0, 1.0);
    double nielsen = 0.0, ng = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
        double squared_norm = 0.0;
        for (std::size_t j = 0; j < 2; ++j) {
            squared_norm += (y(j, i) - a(j, i)) * (y(j, i) - a(j, i));
            ng += y(j, i) * std::log(a(j, i)) + (1.0 - y(j, i)) * std::log(1.0 - a(j, i));
        }
        nielsen += squared_norm;
    }
    nielsen /= 2.0 * static_cast<double>(m);
    ng /= -static_cast<double>(m);
    CHECK_THAT(backprop::loss_value(Loss::quadratic, a, y), WithinRel(nielsen, 1e-14));
    CHECK_THAT(backprop::loss_value(Loss::cross_entropy, a, y), WithinRel(ng, 1e-14));
}

TEST_CASE("The notation page quotes the names of these tests as they are", "[appendix_notation][value]")
{
    std::ifstream in(std::string(BOOK_SOURCE_DIR) + "/docs/appendix_notation.md");
    std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(page.empty());
    for (char& c : page) {
        c = c == '\n' ? ' ' : c;  // a quoted name may be broken across lines
    }
    for (const char* name :
         {"The row-major batch computation (X W + b, samples as rows) gives the library's gradients after transposes",
          "The text's w_jk^[l], counted from 1, is net.W[l](j - 1, k - 1): "}) {
        INFO(name);
        CHECK_THAT(page, Catch::Matchers::Contains(std::string("\"") + name));
        bool registered = false;
        for (const Catch::TestCase& t : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
            registered = registered || t.name.rfind(name, 0) == 0;
        }
        CHECK(registered);
    }
}

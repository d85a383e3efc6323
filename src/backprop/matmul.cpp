#include "backprop/matmul.hpp"

#include <string>

#include <xtensor-blas/xblas.hpp>

namespace backprop {

namespace {

std::string operand(const char* name, const Matrix& X, bool transposed)
{
    if (!transposed) {
        return std::string(name) + " is " + shape_of(X);
    }
    return std::string(name) + " is " + shape_of(X) + ", so " + name + "^T is (" +
           std::to_string(X.shape(1)) + ", " + std::to_string(X.shape(0)) + ")";
}

void require_inner_match(std::size_t a_cols, std::size_t b_rows, const Matrix& A, bool tA,
                         const Matrix& B, bool tB)
{
    if (a_cols != b_rows) {
        throw ShapeError(std::string("matrix product ") + (tA ? "A^T" : "A") + (tB ? " B^T" : " B") +
                         ": " + operand("A", A, tA) + " and " + operand("B", B, tB) +
                         "; the left factor needs as many columns as the right factor has rows "
                         "(see ch01_matmul)");
    }
}

}  // namespace

//! [matmul_naive]
Matrix matmul_naive(const Matrix& A, const Matrix& B)
{
    require_inner_match(A.shape(1), B.shape(0), A, false, B, false);
    const std::size_t n = A.shape(0), k_max = A.shape(1), m = B.shape(1);
    Matrix C = xt::zeros<double>({n, m});
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < m; ++j) {
            double sum = 0.0;
            for (std::size_t k = 0; k < k_max; ++k) {
                sum += A(i, k) * B(k, j);
            }
            C(i, j) = sum;
        }
    }
    return C;
}
//! [matmul_naive]

//! [matmul_blas]
Matrix matmul(const Matrix& A, const Matrix& B)
{
    Matrix C;
    matmul_into(A, false, B, false, C);
    return C;
}
//! [matmul_blas]

void matmul_into(const Matrix& A, bool transpose_A, const Matrix& B, bool transpose_B, Matrix& C,
                 double alpha, double beta)
{
    const std::size_t n = transpose_A ? A.shape(1) : A.shape(0);
    const std::size_t k = transpose_A ? A.shape(0) : A.shape(1);
    const std::size_t kb = transpose_B ? B.shape(1) : B.shape(0);
    const std::size_t m = transpose_B ? B.shape(0) : B.shape(1);
    require_inner_match(k, kb, A, transpose_A, B, transpose_B);
    if (beta != 0.0) {
        require_shape(C, n, m, "the accumulating output C", "ch01_matmul");
    } else {
        ensure_shape(C, n, m);
    }
    if (n == 0 || m == 0) {
        return;
    }
    if (k == 0) {  // an empty sum: BLAS is not required to handle it
        if (beta == 0.0) {
            C.fill(0.0);
        } else {
            C *= beta;
        }
        return;
    }
    // One sample at a time the products are matrix-vector products and outer products;
    // the dedicated BLAS calls avoid dgemm's set-up cost on such thin shapes.
    if (k == 1 && beta == 0.0) {  // an outer product written in one pass: C_ij = alpha a_i b_j
        const double* a = A.data();
        const double* b = B.data();
        for (std::size_t i = 0; i < n; ++i) {
            const double ai = alpha * a[i];
            double* c = C.data() + i * m;
            for (std::size_t j = 0; j < m; ++j) {
                c[j] = ai * b[j];
            }
        }
        return;
    }
    if (m == 1 && beta == 0.0) {
        C.fill(0.0);  // C may be fresh memory, and dgemv scales y by beta (0 * NaN is NaN)
    }
    if (m == 1) {  // op(A) (n, k) times a column of k values: dgemv
        using index = xt::blas_index_t;
        cxxblas::gemv<index>(cxxblas::StorageOrder::RowMajor,
                             transpose_A ? cxxblas::Transpose::Trans : cxxblas::Transpose::NoTrans,
                             static_cast<index>(A.shape(0)), static_cast<index>(A.shape(1)), alpha, A.data(),
                             static_cast<index>(A.shape(1)), B.data(), index{1}, beta, C.data(), index{1});
        return;
    }
    if (k == 1) {  // a column of n values times a row of m values: the rank-1 update dger
        if (beta != 0.0 && beta != 1.0) {
            C *= beta;
        }
        using index = xt::blas_index_t;
        cxxblas::ger<index>(cxxblas::StorageOrder::RowMajor, static_cast<index>(n), static_cast<index>(m), alpha,
                            A.data(), index{1}, B.data(), index{1}, C.data(), static_cast<index>(m));
        return;
    }
    xt::blas::gemm(A, B, C, transpose_A, transpose_B, alpha, beta);
}

//! [hadamard]
Matrix hadamard(const Matrix& A, const Matrix& B)
{
    require_same_shape(A, B, "Hadamard product", "ch01_matmul");
    return A * B;
}
//! [hadamard]

}  // namespace backprop

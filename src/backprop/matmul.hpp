/// \file matmul.hpp
/// \brief The matrix product and the element-wise (Hadamard) product. \see ch01_matmul
#pragma once

#include "backprop/matrix.hpp"

namespace backprop {

/// The matrix product as the definition writes it, one triple loop:
/// \f$ (AB)_{ij} = \sum_k A_{ik} B_{kj} \f$.
///
/// \param A shape \f$ (n, k) \f$
/// \param B shape \f$ (k, m) \f$
/// \returns \f$ AB \f$, shape \f$ (n, m) \f$
/// \throws ShapeError if the columns of \p A do not equal the rows of \p B
/// \see ch01_matmul
Matrix matmul_naive(const Matrix& A, const Matrix& B);

/// The same product computed by BLAS (`dgemm`): equal to matmul_naive() up to
/// rounding, and much faster. \f$ C = AB \f$.
///
/// \param A shape \f$ (n, k) \f$
/// \param B shape \f$ (k, m) \f$
/// \returns \f$ AB \f$, shape \f$ (n, m) \f$
/// \throws ShapeError if the columns of \p A do not equal the rows of \p B
/// \see ch01_matmul
Matrix matmul(const Matrix& A, const Matrix& B);

/// The general product that the backward pass needs, written into a buffer:
/// \f$ C \leftarrow \alpha\, \mathrm{op}(A)\, \mathrm{op}(B) + \beta C \f$, where
/// \f$ \mathrm{op}(X) \f$ is \f$ X \f$ or \f$ X^\top \f$. matmul() calls it.
///
/// \param A shape \f$ (n, k) \f$, or \f$ (k, n) \f$ when \p transpose_A
/// \param B shape \f$ (k, m) \f$, or \f$ (m, k) \f$ when \p transpose_B
/// \param C shape \f$ (n, m) \f$; resized (its contents then undefined) if it has
///          another shape, which is only allowed when \p beta is 0
/// \throws ShapeError if the inner dimensions differ, or \p C has the wrong shape and
///         \p beta is not 0
/// \see ch01_matmul
void matmul_into(const Matrix& A, bool transpose_A, const Matrix& B, bool transpose_B, Matrix& C,
                 double alpha = 1.0, double beta = 0.0);

/// The element-wise (Hadamard) product \f$ (A \odot B)_{ij} = A_{ij} B_{ij} \f$.
///
/// \param A shape \f$ (n, m) \f$
/// \param B shape \f$ (n, m) \f$
/// \returns \f$ A \odot B \f$, shape \f$ (n, m) \f$
/// \throws ShapeError if the shapes differ
/// \see ch01_matmul
Matrix hadamard(const Matrix& A, const Matrix& B);

}  // namespace backprop

/// \file matrix.hpp
/// \brief The one matrix type of the book, and the shape checks every chapter relies on.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include <xtensor/xtensor.hpp>

/// The math library of the book: one header per idea and the one implementation of
/// every equation. It does no printing, flag parsing or drawing, so it can be lifted out
/// whole. Start at \ref book.
namespace backprop {

/// A dense, row-major matrix of doubles. A sample is a column; a batch of
/// \f$ m \f$ samples is an \f$ (n, m) \f$ matrix. \see appendix_notation
using Matrix = xt::xtensor<double, 2>;

/// Thrown when two matrices cannot be combined because of their shapes.
/// Its message names both shapes and the chapter that explains the rule.
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// The shape of \p M written as the book writes it: `(rows, cols)`.
std::string shape_of(const Matrix& M);

/// Throws ShapeError unless \p A and \p B have the same shape. The message is only
/// built when the check fails, so the check is cheap in a training loop.
/// \param what    the operation, e.g. `"hadamard"`
/// \param chapter the page id of the chapter that states the rule
void require_same_shape(const Matrix& A, const Matrix& B, const char* what, const char* chapter);

/// Throws ShapeError unless \p M has shape \f$ (rows, cols) \f$.
/// \param name    the symbol of \p M in the text, e.g. `"W^[2]"`
void require_shape(const Matrix& M, std::size_t rows, std::size_t cols, const char* name,
                   const char* chapter);

/// Resizes \p M to \f$ (rows, cols) \f$ unless it already has that shape, so that
/// buffers reused across calls are allocated once.
void ensure_shape(Matrix& M, std::size_t rows, std::size_t cols);

}  // namespace backprop

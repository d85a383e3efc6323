#include "backprop/matrix.hpp"

#include <array>

namespace backprop {

std::string shape_of(const Matrix& M)
{
    return "(" + std::to_string(M.shape(0)) + ", " + std::to_string(M.shape(1)) + ")";
}

void require_same_shape(const Matrix& A, const Matrix& B, const char* what, const char* chapter)
{
    if (A.shape() != B.shape()) {
        throw ShapeError(std::string(what) + ": shapes " + shape_of(A) + " and " + shape_of(B) +
                         " differ; both must have the same shape (see " + chapter + ")");
    }
}

void require_shape(const Matrix& M, std::size_t rows, std::size_t cols, const char* name,
                   const char* chapter)
{
    if (M.shape(0) != rows || M.shape(1) != cols) {
        throw ShapeError(std::string(name) + " has shape " + shape_of(M) + " but shape (" +
                         std::to_string(rows) + ", " + std::to_string(cols) +
                         ") is required (see " + std::string(chapter) + ")");
    }
}

void ensure_shape(Matrix& M, std::size_t rows, std::size_t cols)
{
    if (M.shape(0) != rows || M.shape(1) != cols) {
        M.resize(std::array<std::size_t, 2>{rows, cols});
    }
}

}  // namespace backprop

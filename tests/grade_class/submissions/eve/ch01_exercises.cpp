// Eve's chapter 1: exercises 1.1 and 1.3 done, and 1.2 crashes (it reads through a null
// pointer), which costs her exercise 1.2 alone.

#include "ch01_exercises.hpp"

#include <string>

#include "grader/exercise.hpp"

namespace exercises {

namespace {

void require(bool ok, const char* rule, const Matrix& a, const Matrix& b)
{
    if (!ok) {
        throw backprop::ShapeError(std::string(rule) + ": " + backprop::shape_of(a) + " and " + backprop::shape_of(b));
    }
}

}  // namespace

Matrix hadamard_product(const Matrix& a, const Matrix& b)
{
    require(a.shape() == b.shape(), "the Hadamard product needs equal shapes", a, b);
    Matrix c({a.shape(0), a.shape(1)});
    for (std::size_t i = 0; i < a.shape(0); ++i) {
        for (std::size_t j = 0; j < a.shape(1); ++j) {
            c(i, j) = a(i, j) * b(i, j);
        }
    }
    return c;
}

Matrix naive_product(const Matrix& a, const Matrix& b)
{
    require(a.shape(1) == b.shape(0), "AB needs as many columns in A as rows in B", a, b);
    Matrix c({a.shape(0), b.shape(1)});
    // Meant to point at a cached copy of B's rows, which is never made: only a product
    // with more than a million rows would set it.
    const double* rows = b.shape(0) > 1000000 ? b.data() : nullptr;
    for (std::size_t i = 0; i < a.shape(0); ++i) {
        for (std::size_t j = 0; j < b.shape(1); ++j) {
            double sum = 0.0;
            for (std::size_t p = 0; p < a.shape(1); ++p) {
                sum += a(i, p) * rows[p * b.shape(1) + j];
            }
            c(i, j) = sum;
        }
    }
    return c;
}

Matrix transposed_product(const Matrix& a, const Matrix& b)
{
    require(a.shape(0) == b.shape(0), "AᵀB needs as many rows in A as in B", a, b);
    Matrix c({a.shape(1), b.shape(1)});
    for (std::size_t i = 0; i < a.shape(1); ++i) {
        for (std::size_t j = 0; j < b.shape(1); ++j) {
            double sum = 0.0;
            for (std::size_t p = 0; p < a.shape(0); ++p) {
                sum += a(p, i) * b(p, j);
            }
            c(i, j) = sum;
        }
    }
    return c;
}

}  // namespace exercises

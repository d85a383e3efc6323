// Dan's chapter 1: exercise 1.1 done, the others not begun.

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
    not_implemented(1, 2);
}

Matrix transposed_product(const Matrix& a, const Matrix& b)
{
    not_implemented(1, 3);
}

}  // namespace exercises

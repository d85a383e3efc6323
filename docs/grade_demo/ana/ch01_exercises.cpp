// Ana's chapter 1, in the sample class the book grades on its page about the exercises
// (docs/exercises.md): exercise 1.1 done, a classic slip in exercise 1.2 (the sum is not
// started again for each entry) and exercise 1.3 not begun.

#include "ch01_exercises.hpp"

#include "grader/exercise.hpp"

namespace exercises {

Matrix hadamard_product(const Matrix& a, const Matrix& b)
{
    if (a.shape() != b.shape()) {
        throw backprop::ShapeError("hadamard_product: " + backprop::shape_of(a) + " and " + backprop::shape_of(b));
    }
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
    if (a.shape(1) != b.shape(0)) {
        throw backprop::ShapeError("naive_product: " + backprop::shape_of(a) + " and " + backprop::shape_of(b));
    }
    Matrix c({a.shape(0), b.shape(1)});
    double sum = 0.0;
    for (std::size_t i = 0; i < a.shape(0); ++i) {
        for (std::size_t j = 0; j < b.shape(1); ++j) {
            for (std::size_t p = 0; p < a.shape(1); ++p) {
                sum += a(i, p) * b(p, j);
            }
            c(i, j) = sum;
        }
    }
    return c;
}

Matrix transposed_product(const Matrix& a, const Matrix& b)
{
    not_implemented(1, 3);
}

}  // namespace exercises

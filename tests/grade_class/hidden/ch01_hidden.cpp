// A teacher's hidden tests of chapter 1, kept outside the handout: the class build
// compiles them into chapter 1's test program when the grader is given this folder
// (grade --hidden-tests tests/grade_class/hidden, or -DBOOK_HIDDEN_TESTS=...).
// Their tags set what each is worth and when Gradescope shows it to the student.
#include <catch2/catch.hpp>

#include "backprop/random.hpp"
#include "ch01_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Matrix;
using checks::IsNear;

namespace {

Matrix random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    backprop::Random rng(seed);
    return rng.uniform_matrix(rows, cols, -1.0, 1.0);
}

// The product written out here, independently of the student's.
Matrix product(const Matrix& a, const Matrix& b)
{
    Matrix c({a.shape(0), b.shape(1)});
    c.fill(0.0);
    for (std::size_t i = 0; i < a.shape(0); ++i) {
        for (std::size_t j = 0; j < b.shape(1); ++j) {
            for (std::size_t p = 0; p < a.shape(1); ++p) {
                c(i, j) += a(i, p) * b(p, j);
            }
        }
    }
    return c;
}

}  // namespace

TEST_CASE("Exercise 1.2: a long thin product, hidden", "[ch01][weight:2][visibility:after_published]")
{
    const Matrix a = random_matrix(1, 40, 101), b = random_matrix(40, 7, 102);
    CHECK_THAT(exercises::naive_product(a, b), IsNear(product(a, b), 1e-12));
}

TEST_CASE("Exercise 1.3: a tall A, hidden", "[ch01][visibility:after_due_date]")
{
    const Matrix a = random_matrix(30, 2, 103), b = random_matrix(30, 3, 104);
    const Matrix at = xt::transpose(a);
    CHECK_THAT(exercises::transposed_product(a, b), IsNear(product(at, b), 1e-12));
}

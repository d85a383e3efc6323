// The sample submission the book grades on its page about the exercises
// (docs/exercises.md): a student's chapter 3 that does not compile (a semicolon is
// missing), to show that the other chapters are graded all the same.

#include <cmath>

namespace exercises {

double logistic(double z)
{
    return 1.0 / (1.0 + std::exp(-z))
}

}  // namespace exercises

// Ana's chapter 3, in the sample class the book grades on its page about the exercises
// (docs/exercises.md): it does not compile (a semicolon is missing), and her chapter 1
// is graded all the same.

#include <cmath>

namespace exercises {

double logistic(double z)
{
    return 1.0 / (1.0 + std::exp(-z))
}

}  // namespace exercises

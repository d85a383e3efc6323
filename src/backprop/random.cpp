#include "backprop/random.hpp"

#include <stdexcept>

namespace backprop {

Matrix Random::uniform_matrix(std::size_t rows, std::size_t cols, double lo, double hi)
{
    Matrix M = xt::zeros<double>({rows, cols});
    for (double& x : M) {
        x = uniform(lo, hi);
    }
    return M;
}

std::uint64_t Random::below(std::uint64_t n)
{
    if (n == 0) {
        throw std::invalid_argument("Random::below(0): the range is empty");
    }
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // reject the uneven tail
    std::uint64_t r = engine_();
    while (r >= limit) {
        r = engine_();
    }
    return r % n;
}

}  // namespace backprop

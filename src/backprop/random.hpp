/// \file random.hpp
/// \brief Seeded random numbers that are the same on every machine. \see ch04_forward
#pragma once

#include <cstdint>
#include <random>

#include "backprop/matrix.hpp"

namespace backprop {

/// A seeded source of random numbers that gives the same sequence on every platform.
/// The C++ standard fixes the output of `std::mt19937_64` but not of its
/// distributions (`std::uniform_real_distribution` differs between standard
/// libraries), so the distribution is written here: 53 random bits scaled to
/// \f$ [0, 1) \f$, which uses only exact IEEE operations.
class Random {
public:
    /// A generator started from \p seed.
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    /// The next 64 raw bits of `std::mt19937_64`.
    std::uint64_t bits() { return engine_(); }

    /// A number uniform in \f$ [0, 1) \f$: \f$ \lfloor r / 2^{11} \rfloor \cdot 2^{-53} \f$.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    /// A number uniform in \f$ [lo, hi) \f$.
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    /// A matrix of shape \f$ (rows, cols) \f$ with entries uniform in \f$ [lo, hi) \f$,
    /// filled row by row.
    Matrix uniform_matrix(std::size_t rows, std::size_t cols, double lo, double hi);

    /// A uniform integer in \f$ [0, n) \f$, without the bias of `bits() % n`.
    /// \throws std::invalid_argument if \p n is 0
    std::uint64_t below(std::uint64_t n);

private:
    std::mt19937_64 engine_;
};

}  // namespace backprop

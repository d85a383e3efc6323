/// \file example.hpp
/// \brief The running example that threads through every chapter: the source's 2-3-2
/// network with sigmoid activations and the L1 loss, one input column and one target.
#pragma once

#include <cstdint>

#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace book {

/// The running example: a network, one input \f$ a^{[0]} \f$ and its target \f$ y \f$.
struct RunningExample {
    backprop::Network net;  ///< sizes 2, 3, 2; sigmoid in both layers; parameters from the seed
    backprop::Matrix x;     ///< \f$ a^{[0]} \f$, shape (2, 1)
    backprop::Matrix y;     ///< the target, shape (2, 1)
    backprop::Loss loss;    ///< the source's L1 loss \f$ |\hat y - y| \f$
};

/// The seed of the running example when a program is given no `--seed`.
inline constexpr std::int64_t running_example_seed = 1;

/// The running example with parameters drawn by backprop::make_network() from \p seed.
/// The input is \f$ a^{[0]} = (0.8, 0.2)^\top \f$ and the target \f$ y = (1, 0)^\top \f$: a sigmoid
/// output lies strictly between 0 and 1, so \f$ |a^{[2]} - y| \f$ is never at its kink.
RunningExample running_example(std::int64_t seed = running_example_seed);

}  // namespace book

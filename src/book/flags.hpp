/// \file flags.hpp
/// \brief The network's flags, declared once for every program that has them: `--sizes`,
/// `--activation`, `--output`, `--loss` and `--batch`, parsed into typed values as the
/// command line is parsed, with each program's own limits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "book/cli.hpp"

namespace book {

/// What a program accepts for `--sizes`.
struct SizesLimits {
    std::size_t min_count = 2;   ///< fewest sizes: input and output
    std::size_t max_count = 10;  ///< most sizes, \f$ L + 1 \f$
    std::size_t max_size = 100;  ///< the largest layer
};

/// The layer sizes in \p text, `"2,3,2"` giving \f$ n_0 = 2, n_1 = 3, n_2 = 2 \f$.
/// \throws BadInput naming `--sizes` unless there are from `min_count` to `max_count`
/// sizes, each a whole number from 1 to `max_size`, with no empty part
std::vector<std::size_t> parse_sizes(const std::string& text, const SizesLimits& limits);

/// `--sizes n_0,...,n_L` into \p sizes, checked against \p limits as it is parsed.
/// Its default is the value \p sizes has.
CLI::Option* add_sizes(CLI::App& app, std::vector<std::size_t>& sizes, const SizesLimits& limits,
                       const std::string& help);

/// `--activation NAME` (or another \p name, such as `--output`) into \p sigma, one of
/// \p allowed by its name (backprop::name_of()). Its default is the value \p sigma has.
CLI::Option* add_activation(CLI::App& app, backprop::Activation& sigma, const std::string& help,
                            const std::string& name = "--activation",
                            const std::vector<backprop::Activation>& allowed = backprop::all_activations());

/// `--loss NAME` into \p loss, one of \p allowed by its name (by default `l1`, `quadratic`
/// or `cross-entropy`). Its default is the value \p loss has.
CLI::Option* add_loss(CLI::App& app, backprop::Loss& loss, const std::string& help,
                      const std::vector<backprop::Loss>& allowed = backprop::all_losses());

/// Right after parsing, refuses (status 2) a \p loss that cannot follow an output layer
/// with activation \p output (backprop::require_compatible()), naming \p output_flag.
void require_compatible_after_parsing(Program& program, const backprop::Loss& loss,
                                      const backprop::Activation& output, const std::string& output_flag);

/// `"2-3-2"` for \p sizes joined by \p sep.
std::string join_sizes(const std::vector<std::size_t>& sizes, const std::string& sep);

/// The number of threads OpenBLAS uses.
int blas_threads();

/// \cond TRANSITIONAL
// The flags as strings, parsed again later: kept until every program uses the typed
// options above.
std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t min_count, std::size_t max_count,
                                     std::size_t max_size);
backprop::Activation activation_flag(const std::string& name, const std::string& flag = "--activation");
backprop::Loss loss_flag(const std::string& name, backprop::Activation output, const std::string& flag = "--loss");
void require_directory(const std::string& dir, const std::string& flag = "--figures");
/// \endcond

}  // namespace book

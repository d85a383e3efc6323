/// \file cli.hpp
/// \brief The command-line conventions every chapter program follows.
///
/// Every program has `--help`, `--seed` and `--json`. Bad input exits with status 2
/// and one line on standard error; output is collected first and printed only when
/// the whole run succeeded, so nothing is half-written.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"

/// What the chapter programs share and the math does not need: command-line
/// conventions, JSON output, printing, figure files and the running example.
namespace book {

/// Exit status for bad input (flags, files, values).
inline constexpr int exit_bad_input = 2;

/// Options every chapter program has.
struct CommonOptions {
    std::int64_t seed = 1;   ///< `--seed`: the seed of every random draw, \f$ \ge 0 \f$
    bool json = false;       ///< `--json`: print one JSON document instead of text
};

/// A check for an option that takes a whole number in \f$ [lo, hi] \f$. It reads the
/// text itself, so `1e12`, `3.5`, `-0x1` and numbers too large for 64 bits are refused
/// with a message that names the range, not clamped or wrapped.
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi);

/// A check for an option that takes a real number in \f$ [lo, hi] \f$, written in decimal
/// (`0.5`, `-2`, `1e-3`). `nan`, `inf`, hexadecimal, numbers too large or too small for a
/// double, and anything with trailing text are refused with a message that names the range.
CLI::Validator real_number(double lo, double hi);

/// \p text cut at every \p sep: `split("2,3,2", ',')` is `{"2", "3", "2"}`; an empty
/// \p text gives one empty part.
std::vector<std::string> split(const std::string& text, char sep);

/// The layer sizes of a `--sizes` flag: `"2,3,2"` gives \f$ n_0 = 2, n_1 = 3, n_2 = 2 \f$.
/// \throws BadInput naming the flag unless there are from \p min_count to \p max_count
/// sizes, each a whole number from 1 to \p max_size
std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t min_count, std::size_t max_count,
                                     std::size_t max_size);

/// The activation named by a flag's value, e.g. `--activation tanh`.
/// \throws BadInput naming \p flag and the valid names for an unknown name
backprop::Activation activation_flag(const std::string& name, const std::string& flag = "--activation");

/// The loss named by a flag's value, e.g. `--loss l1`, checked against the output layer's
/// activation \p output with backprop::require_compatible().
/// \throws BadInput naming \p flag for an unknown name or a loss that cannot follow \p output
backprop::Loss loss_flag(const std::string& name, backprop::Activation output, const std::string& flag = "--loss");

/// \throws BadInput naming \p flag unless \p dir is an existing directory
void require_directory(const std::string& dir, const std::string& flag = "--figures");

/// Adds `--seed` and `--json` to \p app, stored in \p options.
void add_common_options(CLI::App& app, CommonOptions& options);

/// Thrown by a program for input it cannot use; run_program() turns it into exit 2.
class BadInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown by a program to stop with a given exit status and one line of explanation
/// (for example 3 when training diverged); run_program() prints it and returns the status.
class ExitError : public std::runtime_error {
public:
    /// \param what the one-line message \param status the exit status, not 0
    ExitError(const std::string& what, int status) : std::runtime_error(what), status_(status) {}
    /// The exit status.
    int status() const { return status_; }

private:
    int status_;
};

/// Parses the command line and runs \p body with a stream to write to.
///
/// - `--help` prints the help and returns 0;
/// - ExitError prints its line and returns its status;
/// - a parse error, BadInput, std::invalid_argument or std::out_of_range prints
///   `<program>: error: <what>` on standard error and returns 2;
/// - any other exception prints the same line and returns 1;
/// - otherwise what \p body wrote is printed to standard output and its result returned.
int run_program(CLI::App& app, int argc, char** argv, const std::function<int(std::ostream&)>& body);

/// The number of threads OpenBLAS uses.
int blas_threads();

}  // namespace book

/// \file cli.hpp
/// \brief The command-line conventions every program follows, with no mathematics in
/// them (the grader uses them too; the network's flags are in flags.hpp).
///
/// Every chapter program has `--help`, `--seed` and `--json`. Flags are parsed once, into
/// typed values, and every rule between flags and every path is checked right after
/// parsing, before any work. Bad input exits with status 2 and one printable line on
/// standard error; output is collected first and printed only when the whole run
/// succeeded, so nothing is half-written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "book/errors.hpp"

namespace book {

/// Options every chapter program has.
struct CommonOptions {
    std::int64_t seed = 1;   ///< `--seed`: the seed of every random draw, \f$ \ge 0 \f$
    bool json = false;       ///< `--json`: print one JSON document instead of text
};

/// A check for an option that takes a whole number in \f$ [lo, hi] \f$. It reads the
/// text itself, so `1e12`, `3.5`, `-0x1`, an empty value and numbers too large for 64 bits
/// are refused with a message that names the range, not clamped or wrapped.
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi);

/// A check for an option that takes a real number in \f$ [lo, hi] \f$, written in decimal
/// (`0.5`, `-2`, `1e-3`). `nan`, `inf`, hexadecimal, numbers too large or too small for a
/// double, and anything with trailing text are refused with a message that names the range.
CLI::Validator real_number(double lo, double hi);

/// A check that refuses an empty value (`--flag ''`).
CLI::Validator not_empty();

/// \p text cut at every \p sep: `split("2,3,2", ',')` is `{"2", "3", "2"}`; an empty
/// \p text gives one empty part.
std::vector<std::string> split(const std::string& text, char sep);

/// The numbers in \p text separated by commas, each a decimal number from \p lo to \p hi.
/// \throws BadInput naming \p flag for an empty part or a part that is not such a number
std::vector<double> parse_numbers(const std::string& text, const std::string& flag, double lo, double hi);

/// `--name x,y,...`: numbers from \p lo to \p hi separated by commas into \p values,
/// checked as they are parsed (parse_numbers()).
CLI::Option* add_numbers(CLI::App& app, const std::string& name, std::vector<double>& values, double lo, double hi,
                         const std::string& help);

/// Adds `--seed` and `--json` to \p app, stored in \p options.
void add_common_options(CLI::App& app, CommonOptions& options);

/// Parses the command line, runs \p checks, then runs \p body with a stream to write to.
///
/// - `--help` prints the help and returns 0;
/// - a parse error, or BadInput from a check, prints `<program>: error: <what>` on
///   standard error and returns 2, before any work;
/// - from \p body: ExitError prints its line and returns its status; BadInput,
///   std::invalid_argument or std::out_of_range return 2; any other exception returns 1;
/// - otherwise what \p body wrote is printed to standard output and its result returned;
///   if standard output cannot be written (a full disk, `> /dev/full`), that is said on
///   standard error and the status is 2.
///
/// Every message is one line, made printable() (control bytes escaped, long values cut).
int run_program(CLI::App& app, int argc, char** argv, const std::function<int(std::ostream&)>& body,
                const std::vector<std::function<void()>>& checks = {});

/// A chapter program's command line: the CLI11 application with `--seed` and `--json`,
/// typed options whose values are checked as they are parsed, and the checks that run
/// right after parsing, before any work.
class Program {
public:
    /// A program called \p name; \p description opens its `--help`.
    Program(const std::string& name, const std::string& description);

    CLI::App app;          ///< the command line; add the program's own options to it
    CommonOptions common;  ///< `--seed` and `--json`

    /// Runs \p check right after parsing, before any work: a rule between flags or a
    /// path. It throws BadInput, which exits with status 2.
    void after_parsing(std::function<void()> check);

    /// `--name N`: a whole number from \p lo to \p hi into \p value, on \p on (the program's
    /// app by default, or a subcommand).
    template <class Int>
    CLI::Option* whole(const std::string& name, Int& value, std::int64_t lo, std::int64_t hi, const std::string& help,
                       CLI::App* on = nullptr)
    {
        return (on ? on : &app)->add_option(name, value, help)->check(whole_number(lo, hi))->capture_default_str();
    }

    /// `--name X`: a real number from \p lo to \p hi into \p value.
    CLI::Option* real(const std::string& name, double& value, double lo, double hi, const std::string& help,
                      CLI::App* on = nullptr);

    /// `--name FILE`: a file the program will write. Right after parsing, if the flag was
    /// given, check_output_file() must pass (an empty value, a directory, a device, a
    /// missing or unwritable directory are refused with status 2).
    CLI::Option* output_file(const std::string& name, std::string& path, const std::string& help,
                             CLI::App* on = nullptr);

    /// `--name DIR`: an existing directory the program will write files into; checked by
    /// check_output_directory() right after parsing, if the flag was given.
    CLI::Option* output_directory(const std::string& name, std::string& dir, const std::string& help,
                                  CLI::App* on = nullptr);

    /// `--name FILE`: a regular file of at most \p max_bytes the program will read;
    /// checked by check_input_file() right after parsing (when given, or when \p path
    /// has a default).
    CLI::Option* input_file(const std::string& name, std::string& path, std::size_t max_bytes,
                            const std::string& help, CLI::App* on = nullptr);

    /// Parses the command line and runs the checks; throws CLI::ParseError or BadInput.
    void parse(int argc, char** argv);

    /// Parses the command line, runs the checks, then \p body; see run_program().
    int run(int argc, char** argv, const std::function<int(std::ostream&)>& body);

private:
    std::vector<std::function<void()>> checks_;
};

}  // namespace book

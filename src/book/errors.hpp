/// \file errors.hpp
/// \brief How a program fails: the exit statuses and the exceptions that carry them.
#pragma once

#include <stdexcept>
#include <string>

namespace book {

/// Exit status for bad input: flags, files, paths, values, and a file that cannot be
/// written or read.
inline constexpr int exit_bad_input = 2;

/// Exit status of a training run that diverged or collapsed (see ch08_training).
inline constexpr int exit_failed_run = 3;

/// Thrown for input a program cannot use; run_program() turns it into exit status 2 and
/// one line on standard error.
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

}  // namespace book

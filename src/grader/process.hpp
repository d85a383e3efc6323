// Running the compiler and the exercises' test programs: a process of its own, in a
// process group of its own, with its output captured, a time limit, no core files, and
// (for a test program) a pipe for its report that the grader reads and nobody else.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace grader {

// How a process ended and what it wrote.
struct Finished {
    bool timed_out = false;   // stopped by the grader at the time limit
    bool signaled = false;    // ended by a signal (a crash) ...
    int signal = 0;           // ... this one
    int status = 0;           // otherwise its exit status
    std::string output;       // standard output and error, merged, at most `max_output` bytes
    bool output_cut = false;  // more was written than was kept
    std::string report;       // what it wrote on the report pipe (a test program's)
    double seconds = 0;
};

// Options of one run.
struct RunOptions {
    double timeout = 60;               // seconds, then the whole process group is killed
    std::size_t max_output = 1 << 16;  // bytes of output kept
    bool report_pipe = false;          // give the process a report pipe (see below)
    std::string directory;             // where it runs ("" for here)
};

// The environment variable that tells a test program which file descriptor is its
// report pipe. The pipe exists only between the grader and that one process: no path
// names it, and the grader reads it to the end before it looks at anything else.
inline constexpr const char* report_fd_variable = "BOOK_GRADE_REPORT_FD";

// Runs `argv` (argv[0] a path) with standard input from /dev/null.
// Throws std::runtime_error if it cannot be started.
Finished run_process(const std::vector<std::string>& argv, const RunOptions& options);

// "SIGSEGV" for 11, and so on; "signal N" for one without a name here.
std::string signal_name(int signal);

}  // namespace grader

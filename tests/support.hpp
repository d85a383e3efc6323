// What the tests share: running a chapter program and reading what it printed, and
// (from src/checks) comparing matrices and the gradient check of a whole network.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"

namespace support {

// The matchers and gradient-check problems that the exercises' grading files use too.
using namespace checks;

}  // namespace support

namespace support {

// The result of running a program: its exit status and what it printed.
struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

// Runs `command` (a shell command line) and captures its standard output and error.
Run run(const std::string& command);

// Runs `command` twice, requires the first run to succeed and both to print the same
// text, and returns the first run.
Run run_repeatable(const std::string& command);

// Checks that `program --help` succeeds and names every one of `flags`.
void check_help(const std::string& program, std::initializer_list<const char*> flags);

// Runs `command`, requires it to succeed with nothing on standard error, and parses
// what it printed as one JSON document.
nlohmann::json run_json(const std::string& command);

// The whole content of the file at `path` ("" if it cannot be read).
std::string slurp(const std::string& path);

// The number of lines of `text`.
std::size_t line_count(const std::string& text);

// Checks the book's rule for bad input on a run of the program `name`: exit status 2,
// nothing on standard output, and one line on standard error, "<name>: error: ...".
void check_bad_input(const Run& r, const std::string& name);

}  // namespace support

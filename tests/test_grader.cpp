// The grader's parts: reading exercises and hints, joining results, and the files it writes.
#include <catch2/catch.hpp>

#include "grader/grader.hpp"

TEST_CASE("placeholder", "[grader]") { CHECK(grader::shell_quote("a'b") == "'a'\\''b'"); }

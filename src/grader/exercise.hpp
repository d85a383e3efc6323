// What every exercise file includes: the stub that fails loudly until the student
// replaces it.
#pragma once

#include <stdexcept>
#include <string>

namespace exercises {

// Thrown by a stub that has not been replaced yet.
class NotImplemented : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Stops with "not implemented yet: see chapter <chapter>, exercise <exercise>".
[[noreturn]] inline void not_implemented(int chapter, int exercise)
{
    throw NotImplemented("not implemented yet: see chapter " + std::to_string(chapter) + ", exercise " +
                         std::to_string(exercise));
}

}  // namespace exercises

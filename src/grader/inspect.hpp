// What the grader reads in a student's compiled file before it runs anything: the
// object's symbols and relocations (an ELF relocatable file, compiled with
// -ffunction-sections -fdata-sections so that every function has a section of its own).
// From them it decides, with no help from the student's code:
//  - the library-use policy: which library functions each exercise reaches, following
//    calls into the student's own helpers, against the list the exercise allows;
//  - the file's limits: an exercise file may use the C++ standard library, <cmath>, the
//    console and the book's library, and nothing that opens files, starts processes,
//    makes system calls or replaces a function of the program it is linked into.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace grader {

// One entry of an object file's symbol table.
struct ObjectSymbol {
    std::string name;             // as in the file (mangled)
    bool global = false;          // bound globally (not local)
    bool weak = false;            // a weak definition or reference
    bool section_symbol = false;  // stands for its section (STT_SECTION)
    std::size_t section = 0;      // its section's index; 0 when undefined
    bool defined() const { return section != 0; }
};

// The parts of an ELF relocatable file the inspection reads.
struct ObjectFile {
    std::vector<std::string> sections;                 // names, by index
    std::vector<ObjectSymbol> symbols;                 // by index
    std::vector<std::vector<std::size_t>> references;  // per section: the symbols its relocations name
};

// Reads an ELF64 little-endian relocatable file (x86-64 or AArch64 `.o`).
// Throws std::runtime_error saying what is wrong with it.
ObjectFile read_object(const std::string& bytes);

// The demangled name of a C++ symbol, or `name` itself.
std::string demangle(const std::string& name);

// The qualified name in a demangled symbol, without template arguments, parameters or
// return type: "backprop::Network::depth" for "backprop::Network::depth() const",
// "xt::linalg::dot" for "auto xt::linalg::dot<...>(...)", "backprop::ShapeError" for
// "typeinfo for backprop::ShapeError".
std::string qualified_name(const std::string& demangled);

// What one exercise may call: the `Library:` paragraph of its comment in the handout.
struct LibraryPolicy {
    std::string number;                  // "6.1"
    std::vector<std::string> functions;  // the student's functions of this exercise: "hidden_delta"
    bool stated = false;                 // false: no `Library:` paragraph, so no restriction
    std::vector<std::string> allowed;    // "backprop::activate_prime", "xt::linalg"
};

// What every exercise may use of the library without listing it: its types, their
// members, and the helpers that name shapes and values in messages.
const std::vector<std::string>& always_allowed();

// True when `name` (a qualified name) is one of the library's functions, which the
// policy governs: the book's backprop:: and the BLAS behind xt::linalg.
bool is_library(const std::string& name);

// True when the policy `allowed` (plus always_allowed()) lets an exercise call `name`.
bool allows(const std::vector<std::string>& allowed, const std::string& name);

// What the inspection found.
struct Inspection {
    // Problems of the file as a whole: uses of files, processes or system calls, and
    // definitions outside namespace exercises. A file with any is not run at all.
    std::vector<std::string> file_problems;
    // Per exercise number: the library functions it reaches that a policy does not allow,
    // "backprop::hidden_delta", or "backprop::hidden_delta (through exercises::hidden_delta)"
    // when it reaches one through another exercise's function.
    std::map<std::string, std::vector<std::string>> forbidden;
    // Per exercise number: every library function it reaches (allowed or not).
    std::map<std::string, std::vector<std::string>> library_calls;
};

// Inspects `object` against the exercises' policies. An exercise's reach starts at its
// functions (exercises::<name>) and follows every section their relocations name that
// this object defines (its helpers, lambdas, template instantiations, data, and other
// exercises' functions). Each library call is judged by the policy of the innermost
// exercise function on the way to it.
Inspection inspect_object(const ObjectFile& object, const std::vector<LibraryPolicy>& policies);

// The functions that hold a system-call instruction (syscall, sysenter, int $0x80, svc),
// from `objdump -d` of the object: inline assembly that the symbol checks cannot see.
std::vector<std::string> system_call_instructions(const std::string& objdump_output);

// The dependencies in a make-style dependency file (`target: dep dep \` ...) that lie in
// one of `forbidden_dirs`: a reference solution or a teacher-only test #included.
std::vector<std::string> forbidden_includes(const std::string& depfile, const std::vector<std::string>& forbidden_dirs);

}  // namespace grader

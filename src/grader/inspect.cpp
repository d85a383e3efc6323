#include "grader/inspect.hpp"

#include <cxxabi.h>
#include <elf.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace grader {

namespace {

// A plain struct read from `bytes` at `offset`, bounds-checked.
template <class T>
T read_at(const std::string& bytes, std::size_t offset)
{
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
        throw std::runtime_error("the object file is cut short");
    }
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

std::string string_at(const std::string& bytes, std::size_t table, std::size_t table_size, std::size_t offset)
{
    if (offset >= table_size || table + table_size > bytes.size()) {
        throw std::runtime_error("a name lies outside its string table");
    }
    const char* start = bytes.data() + table + offset;
    return std::string(start, strnlen(start, table_size - offset));
}

bool starts_with(const std::string& s, const std::string& prefix)
{
    return s.rfind(prefix, 0) == 0;
}

// `name` is `prefix` or lies inside it (`prefix::...`).
bool within(const std::string& name, const std::string& prefix)
{
    return name == prefix || starts_with(name, prefix + "::");
}

// The names of the C library's and the C++ runtime's functions an exercise may call:
// arithmetic, memory, text, the console, allocation.
const std::set<std::string>& c_functions()
{
    static const std::set<std::string> names = [] {
        std::set<std::string> s;
        for (const char* f :
             {"sin",    "cos",      "tan",       "asin",       "acos",   "atan",      "atan2", "sinh",
              "cosh",   "tanh",     "asinh",     "acosh",      "atanh",  "exp",       "exp2",  "expm1",
              "log",    "log2",     "log10",     "log1p",      "logb",   "pow",       "sqrt",  "cbrt",
              "hypot",  "fabs",     "fmod",      "remainder",  "fmin",   "fmax",      "fdim",  "floor",
              "ceil",   "round",    "lround",    "llround",    "trunc",  "nearbyint", "rint",  "lrint",
              "llrint", "erf",      "erfc",      "tgamma",     "lgamma", "frexp",     "ldexp", "scalbn",
              "modf",   "copysign", "nextafter", "nexttoward", "fma",    "ilogb",     "nan",   "sincos"}) {
            for (const char* suffix : {"", "f", "l"}) {
                s.insert(std::string(f) + suffix);
                s.insert("__" + std::string(f) + suffix + "_finite");
            }
        }
        for (const char* f : {"feclearexcept",
                              "fetestexcept",
                              "feraiseexcept",
                              "fegetround",
                              "fesetround",
                              "fegetenv",
                              "fesetenv",
                              "memcpy",
                              "memmove",
                              "memset",
                              "memcmp",
                              "memchr",
                              "strlen",
                              "strnlen",
                              "strcmp",
                              "strncmp",
                              "strchr",
                              "strrchr",
                              "strstr",
                              "strcpy",
                              "strncpy",
                              "strcat",
                              "strncat",
                              "strtod",
                              "strtof",
                              "strtold",
                              "strtol",
                              "strtoul",
                              "strtoll",
                              "strtoull",
                              "atof",
                              "atoi",
                              "atol",
                              "atoll",
                              "wcslen",
                              "wmemcpy",
                              "wmemmove",
                              "wmemset",
                              "wmemcmp",
                              "wmemchr",
                              "printf",
                              "puts",
                              "putchar",
                              "fputs",
                              "fputc",
                              "putc",
                              "fprintf",
                              "fwrite",
                              "fflush",
                              "vprintf",
                              "vfprintf",
                              "snprintf",
                              "sprintf",
                              "vsnprintf",
                              "vsprintf",
                              "sscanf",
                              "__isoc99_sscanf",
                              "stdout",
                              "stderr",
                              "malloc",
                              "calloc",
                              "realloc",
                              "free",
                              "aligned_alloc",
                              "posix_memalign",
                              "abs",
                              "labs",
                              "llabs",
                              "div",
                              "ldiv",
                              "qsort",
                              "bsearch",
                              "rand",
                              "srand",
                              "abort",
                              "clock",
                              "time",
                              "__errno_location",
                              "__libc_single_threaded",
                              "__dso_handle",
                              "_GLOBAL_OFFSET_TABLE_",
                              "__tls_get_addr",
                              "__gxx_personality_v0",
                              "__stack_chk_fail",
                              "__assert_fail",
                              "__printf_chk",
                              "__fprintf_chk",
                              "__sprintf_chk",
                              "__snprintf_chk",
                              "__vsnprintf_chk",
                              "__vfprintf_chk",
                              "__vprintf_chk",
                              "__memcpy_chk",
                              "__memmove_chk",
                              "__memset_chk",
                              "__strcpy_chk",
                              "__strcat_chk",
                              "__strncpy_chk",
                              "__fwrite_chk",
                              "__pthread_key_create",
                              "pthread_once",
                              "pthread_mutex_lock",
                              "pthread_mutex_unlock",
                              "pthread_key_create",
                              "pthread_getspecific",
                              "pthread_setspecific",
                              "pthread_cancel"}) {
            s.insert(f);
        }
        return s;
    }();
    return names;
}

// A Fortran routine of LAPACK or the BLAS: lower case, ending in one underscore.
bool is_fortran_routine(const std::string& name)
{
    static const std::regex fortran("[a-z][a-z0-9]{2,}_");
    return std::regex_match(name, fortran);
}

// The name the policy uses for a symbol: its qualified name, or for the BLAS the
// xt::linalg functions that call it.
std::string library_name_of(const std::string& symbol)
{
    if (starts_with(symbol, "cblas_") || is_fortran_routine(symbol)) {
        return "xt::linalg (" + symbol + ", the BLAS)";
    }
    return qualified_name(demangle(symbol));
}

// The parts of the C++ standard library an exercise may not use: files, processes.
const char* forbidden_std_part(const std::string& name)
{
    for (const char* part : {"basic_ofstream", "basic_ifstream", "basic_fstream", "basic_filebuf", "__basic_file",
                             "filesystem", "stdio_filebuf", "stdio_sync_filebuf"}) {
        if (name.find(part) != std::string::npos) {
            return part;
        }
    }
    return nullptr;
}

// Namespaces of code the student's file is linked with that it may use: the standard
// library and the header-only libraries the exercises include.
bool from_allowed_namespace(const std::string& q)
{
    for (const char* ns : {"std", "__gnu_cxx", "__cxxabiv1", "xt", "xtl", "nlohmann", "exercises"}) {
        if (within(q, ns)) {
            return true;
        }
    }
    return starts_with(q, "operator new") || starts_with(q, "operator delete");
}

// Why an undefined symbol is not allowed in an exercise file, or "".
std::string undefined_problem(const std::string& symbol)
{
    if (!starts_with(symbol, "_Z")) {
        if (c_functions().count(symbol) > 0 || starts_with(symbol, "__cxa_") || starts_with(symbol, "_Unwind_") ||
            starts_with(symbol, "cblas_") || is_fortran_routine(symbol)) {
            return "";
        }
        return "calls " + symbol + " of the C library";
    }
    const std::string q = qualified_name(demangle(symbol));
    if (within(q, "backprop")) {
        return "";  // the library-use policy judges these, exercise by exercise
    }
    if (from_allowed_namespace(q)) {
        if (const char* part = forbidden_std_part(q)) {
            return "uses " + q + " (" + part + ": files)";
        }
        return "";
    }
    return "uses " + q + ", which is not part of the library or the C++ standard library";
}

// Why a symbol the file defines for other files to see is not allowed, or "".
std::string defined_problem(const ObjectSymbol& s)
{
    if (!starts_with(s.name, "_Z")) {
        if (starts_with(s.name, "DW.ref.") || starts_with(s.name, "_GLOBAL_")) {
            return "";
        }
        return "defines " + s.name + ", a name the C library or the test program may use";
    }
    const std::string q = qualified_name(demangle(s.name));
    if (within(q, "exercises")) {
        return "";
    }
    if (s.weak) {
        // Inline functions and template instantiations from the headers it includes.
        for (const char* ns : {"Catch", "checks", "book", "grader", "CLI"}) {
            if (within(q, ns)) {
                return "defines " + q + ", which belongs to the tests";
            }
        }
        return "";
    }
    return "defines " + q + " outside namespace exercises";
}

// An exercise function: exercises::<name>(...) itself, not a lambda or a static inside it.
bool is_function_of(const std::string& symbol, const std::string& name)
{
    const std::string prefix = "_ZN9exercises" + std::to_string(name.size()) + name + "E";
    return starts_with(symbol, prefix);
}

void add_unique(std::vector<std::string>& list, const std::string& item)
{
    if (std::find(list.begin(), list.end(), item) == list.end()) {
        list.push_back(item);
    }
}

}  // namespace

ObjectFile read_object(const std::string& bytes)
{
    if (bytes.size() < sizeof(Elf64_Ehdr) || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
        throw std::runtime_error("not an ELF file");
    }
    const auto header = read_at<Elf64_Ehdr>(bytes, 0);
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
        throw std::runtime_error("not a 64-bit little-endian ELF file");
    }
    if (header.e_type != ET_REL) {
        throw std::runtime_error("not a relocatable object file");
    }
    if (header.e_shentsize != sizeof(Elf64_Shdr)) {
        throw std::runtime_error("unexpected section header size");
    }
    const auto first = read_at<Elf64_Shdr>(bytes, header.e_shoff);
    const std::size_t count = header.e_shnum != 0 ? header.e_shnum : first.sh_size;
    const std::size_t names_index = header.e_shstrndx != SHN_XINDEX ? header.e_shstrndx : first.sh_link;
    if (count == 0 || count > bytes.size() / sizeof(Elf64_Shdr) || names_index >= count) {
        throw std::runtime_error("bad section table");
    }
    std::vector<Elf64_Shdr> sections(count);
    for (std::size_t i = 0; i < count; ++i) {
        sections[i] = read_at<Elf64_Shdr>(bytes, header.e_shoff + i * sizeof(Elf64_Shdr));
    }
    ObjectFile object;
    object.references.resize(count);
    const Elf64_Shdr& names = sections[names_index];
    for (const Elf64_Shdr& s : sections) {
        object.sections.push_back(string_at(bytes, names.sh_offset, names.sh_size, s.sh_name));
    }
    // The symbol table, its names, and the extended section indexes of a file with more
    // than 65279 sections.
    const Elf64_Shdr* symtab = nullptr;
    const Elf64_Shdr* extended = nullptr;
    for (const Elf64_Shdr& s : sections) {
        if (s.sh_type == SHT_SYMTAB) {
            symtab = &s;
        } else if (s.sh_type == SHT_SYMTAB_SHNDX) {
            extended = &s;
        }
    }
    if (symtab == nullptr || symtab->sh_link >= count || symtab->sh_entsize != sizeof(Elf64_Sym)) {
        throw std::runtime_error("no symbol table");
    }
    const Elf64_Shdr& strtab = sections[symtab->sh_link];
    const std::size_t n_symbols = symtab->sh_size / sizeof(Elf64_Sym);
    for (std::size_t i = 0; i < n_symbols; ++i) {
        const auto sym = read_at<Elf64_Sym>(bytes, symtab->sh_offset + i * sizeof(Elf64_Sym));
        ObjectSymbol s;
        s.name = string_at(bytes, strtab.sh_offset, strtab.sh_size, sym.st_name);
        s.global = ELF64_ST_BIND(sym.st_info) != STB_LOCAL;
        s.weak = ELF64_ST_BIND(sym.st_info) == STB_WEAK || ELF64_ST_BIND(sym.st_info) == STB_GNU_UNIQUE;
        s.section_symbol = ELF64_ST_TYPE(sym.st_info) == STT_SECTION;
        std::size_t index = sym.st_shndx;
        if (index == SHN_XINDEX) {
            if (extended == nullptr) {
                throw std::runtime_error("a symbol's section index is missing");
            }
            index = read_at<Elf64_Word>(bytes, extended->sh_offset + i * sizeof(Elf64_Word));
        } else if (index >= SHN_LORESERVE) {
            index = 0;  // absolute or common: in no section of its own
        }
        s.section = index < count ? index : 0;
        if (s.section_symbol && s.name.empty()) {
            s.name = object.sections[s.section];
        }
        object.symbols.push_back(s);
    }
    for (const Elf64_Shdr& s : sections) {
        if ((s.sh_type != SHT_RELA && s.sh_type != SHT_REL) || s.sh_info >= count) {
            continue;
        }
        const std::size_t size = s.sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
        for (std::size_t k = 0; k < s.sh_size / size; ++k) {
            const auto info = read_at<Elf64_Xword>(bytes, s.sh_offset + k * size + sizeof(Elf64_Addr));
            const std::size_t sym = ELF64_R_SYM(info);
            if (sym != 0 && sym < object.symbols.size()) {
                object.references[s.sh_info].push_back(sym);
            }
        }
    }
    return object;
}

std::string demangle(const std::string& name)
{
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> text(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                                std::free);
    return status == 0 && text ? std::string(text.get()) : name;
}

std::string qualified_name(const std::string& demangled)
{
    std::string s = demangled;
    for (const char* prefix :
         {"typeinfo name for ", "typeinfo for ", "vtable for ", "VTT for ", "construction vtable for ",
          "guard variable for ", "non-virtual thunk to ", "virtual thunk to ", "covariant return thunk to ",
          "TLS init function for ", "TLS wrapper function for ", "transaction clone for "}) {
        if (starts_with(s, prefix)) {
            s = s.substr(std::strlen(prefix));
            break;
        }
    }
    // Keep what is outside template arguments, up to the parameters.
    std::string out;
    int angles = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (angles == 0 && s.compare(i, 8, "operator") == 0) {
            // operator<<, operator(), operator new: the operator's own characters stay.
            std::size_t end = i + 8;
            if (s.compare(end, 2, "()") == 0) {
                end += 2;
            }
            while (end < s.size() && s[end] != '(') {
                ++end;
            }
            out += s.substr(i, end - i);
            break;
        }
        if (c == '<') {
            ++angles;
        } else if (c == '>') {
            angles = std::max(0, angles - 1);
        } else if (angles == 0 && c == '(') {
            break;
        } else if (angles == 0) {
            out += c;
        }
    }
    // Drop ABI tags ("shape_of[abi:cxx11]").
    for (std::size_t at = out.find("[abi:"); at != std::string::npos; at = out.find("[abi:")) {
        const std::size_t end = out.find(']', at);
        out.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
    }
    // Drop a return type: the part before the last space (but keep "operator new").
    const std::size_t op = out.find("operator");
    const std::size_t space = out.rfind(' ', op == std::string::npos ? std::string::npos : op);
    if (space != std::string::npos && (op == std::string::npos || space < op)) {
        out = out.substr(space + 1);
    }
    return out;
}

const std::vector<std::string>& always_allowed()
{
    static const std::vector<std::string> names = {
        "backprop::ShapeError",    "backprop::shape_of", "backprop::name_of",     "backprop::require_same_shape",
        "backprop::require_shape", "backprop::Network",  "backprop::ForwardPass", "backprop::Gradients",
        "backprop::Dataset",       "backprop::Split"};
    return names;
}

bool is_library(const std::string& name)
{
    return within(name, "backprop") || starts_with(name, "xt::linalg");
}

bool allows(const std::vector<std::string>& allowed, const std::string& name)
{
    const auto match = [&](const std::string& entry) { return within(name, entry) || starts_with(name, entry + " ("); };
    return std::any_of(allowed.begin(), allowed.end(), match) ||
           std::any_of(always_allowed().begin(), always_allowed().end(), match);
}

Inspection inspect_object(const ObjectFile& object, const std::vector<LibraryPolicy>& policies)
{
    Inspection found;
    // The file as a whole: what it uses and what it defines.
    for (const ObjectSymbol& s : object.symbols) {
        if (!s.global || s.section_symbol) {
            continue;
        }
        const std::string problem = s.defined() ? defined_problem(s) : undefined_problem(s.name);
        if (!problem.empty()) {
            add_unique(found.file_problems, problem);
        }
    }
    // The sections of every exercise's functions.
    std::map<std::size_t, std::string> exercise_of_section;
    for (const LibraryPolicy& p : policies) {
        for (const ObjectSymbol& s : object.symbols) {
            if (!s.defined() || s.section_symbol) {
                continue;
            }
            for (const std::string& f : p.functions) {
                if (is_function_of(s.name, f)) {
                    exercise_of_section[s.section] = p.number;
                }
            }
        }
    }
    // Each exercise's reach. A call is judged by the policy of the innermost exercise
    // function on the way to it: a call of the student's own 8.1 from 8.3 brings 8.1's
    // calls, judged by 8.1's list, and a forbidden one counts against 8.3 as well.
    std::map<std::string, const LibraryPolicy*> policy_of;
    for (const LibraryPolicy& p : policies) {
        policy_of[p.number] = &p;
    }
    for (const LibraryPolicy& p : policies) {
        std::vector<std::string>& calls = found.library_calls[p.number];
        std::vector<std::pair<std::size_t, std::string>> todo;  // a section, and whose list judges it
        std::set<std::pair<std::size_t, std::string>> seen;
        for (const auto& [section, number] : exercise_of_section) {
            if (number == p.number) {
                todo.push_back({section, number});
                seen.insert({section, number});
            }
        }
        while (!todo.empty()) {
            const auto [section, judge] = todo.back();
            todo.pop_back();
            for (const std::size_t index : object.references[section]) {
                const ObjectSymbol& s = object.symbols[index];
                const std::string name = s.section_symbol ? "" : library_name_of(s.name);
                if (!name.empty() && is_library(name)) {
                    add_unique(calls, name);
                    const LibraryPolicy& q = *policy_of.at(judge);
                    if (q.stated && !allows(q.allowed, name)) {
                        std::string via;
                        for (const std::string& f : q.functions) {
                            via += (via.empty() ? "" : " or ") + ("exercises::" + f);
                        }
                        add_unique(found.forbidden[p.number],
                                   judge == p.number ? name : name + " (through " + via + ")");
                    }
                    continue;  // the library's own code is not the student's
                }
                if (!s.defined()) {
                    continue;
                }
                const auto other = exercise_of_section.find(s.section);
                const std::string next = other != exercise_of_section.end() ? other->second : judge;
                if (seen.insert({s.section, next}).second) {
                    todo.push_back({s.section, next});
                }
            }
        }
        std::sort(calls.begin(), calls.end());
    }
    return found;
}

std::vector<std::string> system_call_instructions(const std::string& objdump_output)
{
    static const std::regex function(R"(^[0-9a-f]+ <(.*)>:$)");
    static const std::regex instruction(R"(^\s+[0-9a-f]+:\s+(syscall|sysenter|int\s+[$]0x80|svc\s))");
    std::vector<std::string> found;
    std::istringstream in(objdump_output);
    std::string current;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, function)) {
            current = m[1];
        } else if (std::regex_search(line, instruction)) {
            add_unique(found, current.empty() ? std::string("(no function)") : demangle(current));
        }
    }
    return found;
}

std::vector<std::string> forbidden_includes(const std::string& depfile, const std::vector<std::string>& forbidden_dirs)
{
    // Split into paths: spaces separate them, "\ " is a space in a path, "\" + newline continues.
    std::vector<std::string> paths;
    std::string current;
    bool after_colon = false;
    for (std::size_t i = 0; i < depfile.size(); ++i) {
        const char c = depfile[i];
        if (c == '\\' && i + 1 < depfile.size() && (depfile[i + 1] == '\n' || depfile[i + 1] == '\r')) {
            ++i;
            continue;
        }
        if (c == '\\' && i + 1 < depfile.size() && depfile[i + 1] == ' ') {
            current += ' ';
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!current.empty() && after_colon) {
                paths.push_back(current);
            }
            current.clear();
            continue;
        }
        if (c == ':' && !after_colon && (i + 1 == depfile.size() || depfile[i + 1] == ' ' || depfile[i + 1] == '\n')) {
            after_colon = true;
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.empty() && after_colon) {
        paths.push_back(current);
    }
    std::vector<std::string> found;
    for (const std::string& p : paths) {
        std::error_code error;
        const std::filesystem::path path = std::filesystem::weakly_canonical(p, error);
        for (const std::string& dir : forbidden_dirs) {
            const std::filesystem::path d = std::filesystem::weakly_canonical(dir, error);
            const std::string prefix = d.string() + "/";
            if (!d.empty() && starts_with(path.string(), prefix)) {
                add_unique(found, p);
            }
        }
    }
    return found;
}

}  // namespace grader

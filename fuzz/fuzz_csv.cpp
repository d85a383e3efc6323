// libFuzzer target for the CSV reader: backprop::parse_csv and backprop::parse_labelled_csv.
//
// A DataError is the documented answer to a bad file; anything else is a
// finding: a crash or sanitizer report, another exception type, or a result that breaks
// parse_csv()'s contract. The contract is checked against an independent reading of the
// format documented in data.hpp: a UTF-8 byte-order mark skipped, lines end in \n or \r\n, no empty lines, one final
// newline allowed, every line as many fields as the first, every field (blanks around
// it allowed) a finite decimal number, [+-]digits[.digits][(e|E)[+-]digits].
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "backprop/data.hpp"

namespace {

[[noreturn]] void finding(const std::string& what)
{
    std::fprintf(stderr, "fuzz_csv: %s\n", what.c_str());
    std::abort();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A field as the documentation defines it, or nothing.
std::optional<double> strict_number(const std::string& field)
{
    const std::size_t first = field.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return std::nullopt;
    }
    const std::string s = field.substr(first, field.find_last_not_of(" \t") + 1 - first);
    std::size_t i = 0;
    if (s[i] == '+' || s[i] == '-') {
        ++i;
    }
    std::size_t digits = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        ++digits;
    }
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && is_digit(s[i]); ++i) {
            ++digits;
        }
    }
    if (digits == 0) {
        return std::nullopt;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            ++i;
        }
        const std::size_t exponent_start = i;
        for (; i < s.size() && is_digit(s[i]); ++i) {
        }
        if (i == exponent_start) {
            return std::nullopt;
        }
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    const double value = std::strtod(s.c_str(), nullptr);  // correctly rounded, like from_chars
    if (!std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

struct Table {
    std::size_t rows = 0, columns = 0;
    std::vector<double> values;  // row by row
};

// The file as the documentation defines it, or nothing if it is not a valid file.
std::optional<Table> strict_table(std::string text)
{
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
        text.erase(0, 3);  // a UTF-8 byte-order mark is skipped
    }
    if (text.empty()) {
        return std::nullopt;
    }
    Table t;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) {
            eol = text.size();
        }
        std::string line = text.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r' && eol < text.size()) {
            line.pop_back();  // only "\r\n" ends a line; a "\r" anywhere else is refused
        }
        std::size_t count = 0, start = 0;
        while (true) {
            const std::size_t comma = line.find(',', start);
            const std::optional<double> v =
                strict_number(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!v) {
                return std::nullopt;
            }
            t.values.push_back(*v);
            ++count;
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
        if (t.rows == 0) {
            t.columns = count;
        } else if (count != t.columns) {
            return std::nullopt;
        }
        ++t.rows;
        pos = eol + 1;
    }
    return t;
}

bool same(double a, double b) { return a == b && std::signbit(a) == std::signbit(b); }

std::string describe(const Table& t)
{
    return std::to_string(t.rows) + "x" + std::to_string(t.columns);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string path = "fuzz.csv";
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::optional<Table> expected = strict_table(text);

    // parse_csv: a DataError naming the file exactly when the file breaks the format.
    std::optional<backprop::Matrix> table;
    try {
        table = backprop::parse_csv(text, path);
    } catch (const backprop::DataError& e) {
        if (std::string(e.what()).rfind(path + ":", 0) != 0) {
            finding(std::string("a DataError that does not start with the file's name: ") + e.what());
        }
        if (expected) {
            finding("parse_csv rejected a valid " + describe(*expected) + " file: " + e.what());
        }
    } catch (const std::exception& e) {
        finding(std::string("parse_csv threw something other than DataError: ") + e.what());
    }
    if (table) {
        if (!expected) {
            finding("parse_csv accepted a file that breaks the documented format");
        }
        if (table->shape(0) != expected->rows || table->shape(1) != expected->columns) {
            finding("parse_csv returned the wrong shape; expected " + describe(*expected));
        }
        for (std::size_t k = 0; k < expected->values.size(); ++k) {
            if (!same(table->data()[k], expected->values[k])) {
                finding("parse_csv read entry " + std::to_string(k) + " as " + std::to_string(table->data()[k]) +
                        " instead of " + std::to_string(expected->values[k]));
            }
        }
    }

    // parse_labelled_csv with 10 classes: a valid table whose last column holds the classes.
    constexpr std::size_t classes = 10;
    try {
        const backprop::Dataset d = backprop::parse_labelled_csv(text, path, classes);
        if (!table || table->shape(1) < 2 || d.classes != classes || d.size() != table->shape(0) ||
            d.X.shape(0) != table->shape(1) - 1 || d.X.shape(1) != table->shape(0)) {
            finding("parse_labelled_csv returned a data set that does not fit the file");
        }
        for (std::size_t i = 0; i < d.size(); ++i) {
            if (static_cast<double>(d.labels[i]) != (*table)(i, table->shape(1) - 1) || d.labels[i] >= classes) {
                finding("parse_labelled_csv read a wrong class on line " + std::to_string(i + 1));
            }
            for (std::size_t k = 0; k + 1 < table->shape(1); ++k) {
                if (!same(d.X(k, i), (*table)(i, k))) {
                    finding("parse_labelled_csv moved a feature on line " + std::to_string(i + 1));
                }
            }
        }
    } catch (const backprop::DataError& e) {
        if (table && table->shape(1) >= 2) {
            bool bad_class = false;
            for (std::size_t i = 0; i < table->shape(0); ++i) {
                const double c = (*table)(i, table->shape(1) - 1);
                bad_class = bad_class || !(c == std::floor(c) && c >= 0.0 && c < static_cast<double>(classes));
            }
            if (!bad_class) {
                finding(std::string("parse_labelled_csv rejected a table whose classes are all valid: ") + e.what());
            }
        }
    } catch (const std::exception& e) {
        finding(std::string("parse_labelled_csv threw something other than DataError: ") + e.what());
    }
    return 0;
}

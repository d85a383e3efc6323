#include "backprop/data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "backprop/random.hpp"

namespace backprop {

namespace {

[[noreturn]] void fail(const std::string& name, std::size_t line, std::size_t column, const std::string& what)
{
    std::string where = name;
    if (line > 0) {
        where += ":" + std::to_string(line);
    }
    if (column > 0) {
        where += ":" + std::to_string(column);
    }
    throw DataError(where + ": " + what);
}

// A field for a message: at most 24 bytes, a byte that is not printable ASCII as \xNN.
std::string shown(std::string_view field)
{
    constexpr std::size_t longest = 24;
    std::string s = "'";
    for (std::size_t k = 0; k < std::min(field.size(), longest); ++k) {
        const unsigned char c = static_cast<unsigned char>(field[k]);
        if (c >= 0x20 && c < 0x7F) {
            s += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            s += buf;
        }
    }
    return s + (field.size() > longest ? "...'" : "'");
}

double parse_number(std::string_view field, const std::string& name, std::size_t line, std::size_t column)
{
    // Leading and trailing blanks are allowed around a field.
    const std::size_t first = field.find_first_not_of(" \t");
    const std::size_t last = field.find_last_not_of(" \t");
    if (first == std::string_view::npos) {
        fail(name, line, column, "empty field");
    }
    const char* begin = field.data() + first;
    const char* end = field.data() + last + 1;
    if (*begin == '+' && begin + 1 != end && begin[1] != '-') {
        ++begin;  // from_chars does not take a leading '+' (but "+-1" is not a number)
    }
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    bool read = ec == std::errc() && ptr == end;
    if (ec == std::errc::result_out_of_range && ptr == end) {
        // from_chars calls a number too small for a double (1e-400) out of range, as it does
        // one too large; strtod rounds the first to 0 (keeping its sign) and the second to inf.
        const std::string number(begin, end);
        char* stop = nullptr;
        value = std::strtod(number.c_str(), &stop);
        read = stop == number.c_str() + number.size();
    }
    if (!read || !std::isfinite(value)) {
        fail(name, line, column, shown(field) + " is not a finite number");
    }
    return value;
}

constexpr std::string_view bom = "\xEF\xBB\xBF";

// The text without its byte-order mark, checked for what is never CSV: NUL bytes and
// carriage returns that do not end a line. Returns the number of lines.
std::size_t check_text(std::string_view& text, const std::string& name)
{
    if (starts_with_bom(text)) {
        text.remove_prefix(bom.size());
    }
    if (text.empty()) {
        fail(name, 0, 0, "the file is empty");
    }
    std::size_t line = 1, column = 1;
    for (std::size_t k = 0; k < text.size(); ++k, ++column) {
        const char c = text[k];
        if (c == '\0') {
            fail(name, line, column, "a NUL byte: this is not a text file");
        }
        if (c == '\r' && (k + 1 == text.size() || text[k + 1] != '\n')) {
            fail(name, line, column,
                 "a carriage return (\\r) that does not end a line: lines must end in \\n or \\r\\n, not \\r alone");
        }
        if (c == '\n') {
            ++line;
            column = 0;
        }
    }
    return line - (text.back() == '\n' ? 1 : 0);
}

// Reads every line of text into store(row, column, value), after check_text(); returns
// the number of fields per line, which every line must have.
template <class Store>
std::size_t parse_lines(std::string_view text, const std::string& name, std::size_t columns, Store store)
{
    std::size_t pos = 0, row = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = text.size();
        }
        std::string_view line = text.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        ++row;
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            fail(name, row, 0, "empty line");
        }
        std::size_t count = 0, start = 0;
        while (true) {
            const std::size_t comma = line.find(',', start);
            const std::string_view field =
                line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            ++count;
            if (count > columns) {
                fail(name, row, 0, "more than " + std::to_string(columns) + " fields; line 1 has " + std::to_string(columns));
            }
            store(row - 1, count - 1, parse_number(field, name, row, count));
            if (comma == std::string_view::npos) {
                break;
            }
            start = comma + 1;
        }
        if (count != columns) {
            fail(name, row, 0, std::to_string(count) + " fields; line 1 has " + std::to_string(columns));
        }
        pos = eol + 1;
    }
    return columns;
}

// The number of fields of the first line.
std::size_t fields_of_first_line(std::string_view text)
{
    const std::string_view first = text.substr(0, text.find('\n'));
    return static_cast<std::size_t>(std::count(first.begin(), first.end(), ',')) + 1;
}

}  // namespace

bool starts_with_bom(std::string_view text) { return text.substr(0, bom.size()) == bom; }

Matrix parse_csv(std::string_view text, const std::string& name)
{
    const std::size_t rows = check_text(text, name);
    const std::size_t columns = fields_of_first_line(text);
    Matrix table = xt::zeros<double>({rows, columns});
    parse_lines(text, name, columns, [&](std::size_t i, std::size_t k, double v) { table(i, k) = v; });
    return table;
}

Dataset parse_labelled_csv(std::string_view text, const std::string& name, std::size_t classes)
{
    if (classes < 2) {
        throw std::invalid_argument("a labelled data set needs at least 2 classes");
    }
    const std::size_t m = check_text(text, name);
    const std::size_t columns = fields_of_first_line(text);
    if (columns < 2) {
        // The first line is read first, so a bad number there is reported as such.
        parse_lines(text.substr(0, text.find('\n')), name, columns, [](std::size_t, std::size_t, double) {});
        fail(name, 1, 0, "a labelled row needs at least one feature and the class; line 1 has 1 field");
    }
    Dataset data;
    data.classes = classes;
    data.X = xt::zeros<double>({columns - 1, m});
    data.labels.resize(m);
    parse_lines(text, name, columns, [&](std::size_t i, std::size_t k, double v) {
        if (k + 1 < columns) {
            data.X(k, i) = v;
            return;
        }
        if (v != std::floor(v) || v < 0.0 || v >= static_cast<double>(classes)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", v);
            fail(name, i + 1, columns,
                 "class " + std::string(buf) + " is not a whole number from 0 to " + std::to_string(classes - 1));
        }
        data.labels[i] = static_cast<std::size_t>(v);
    });
    return data;
}

void scale_features(Dataset& data, double max_value)
{
    if (!(max_value > 0.0) || !std::isfinite(max_value)) {
        throw std::invalid_argument("the scale of the features must be a positive number");
    }
    data.X /= max_value;
}

Dataset select(const Dataset& data, const std::vector<std::size_t>& columns)
{
    Dataset out;
    out.classes = data.classes;
    out.X = xt::zeros<double>({data.X.shape(0), columns.size()});
    out.labels.resize(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::size_t c = columns[i];
        if (c >= data.size()) {
            throw std::out_of_range("sample " + std::to_string(c) + " of a data set of " + std::to_string(data.size()));
        }
        for (std::size_t k = 0; k < data.X.shape(0); ++k) {
            out.X(k, i) = data.X(k, c);
        }
        out.labels[i] = data.labels[c];
    }
    return out;
}

Split train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed)
{
    if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
        throw std::invalid_argument("the test fraction must lie strictly between 0 and 1");
    }
    const std::size_t m = data.size();
    const auto n_train = static_cast<std::size_t>(std::llround((1.0 - test_fraction) * static_cast<double>(m)));
    if (n_train == 0 || n_train == m) {
        throw std::invalid_argument("a split of " + std::to_string(m) + " samples leaves one part empty");
    }
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    Random rng(seed);
    for (std::size_t i = m - 1; i > 0; --i) {  // Fisher-Yates
        std::swap(order[i], order[rng.below(i + 1)]);
    }
    const std::vector<std::size_t> train(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_train));
    const std::vector<std::size_t> test(order.begin() + static_cast<std::ptrdiff_t>(n_train), order.end());
    return {select(data, train), select(data, test)};
}

Matrix one_hot(const std::vector<std::size_t>& labels, std::size_t classes)
{
    Matrix Y = xt::zeros<double>({classes, labels.size()});
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] >= classes) {
            throw std::out_of_range("class " + std::to_string(labels[i]) + " of " + std::to_string(classes));
        }
        Y(labels[i], i) = 1.0;
    }
    return Y;
}

std::vector<std::size_t> predict_classes(const Matrix& a)
{
    std::vector<std::size_t> out(a.shape(1), 0);
    for (std::size_t i = 0; i < a.shape(1); ++i) {
        for (std::size_t j = 1; j < a.shape(0); ++j) {
            if (a(j, i) > a(out[i], i)) {
                out[i] = j;
            }
        }
    }
    return out;
}

double accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels)
{
    if (predicted.size() != labels.size() || labels.empty()) {
        throw std::invalid_argument("accuracy of " + std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(labels.size()) + " labels");
    }
    std::size_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        right += predicted[i] == labels[i] ? 1 : 0;
    }
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

}  // namespace backprop

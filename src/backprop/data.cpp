#include "backprop/data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <numeric>

#include "backprop/random.hpp"

namespace backprop {

namespace {

[[noreturn]] void fail(const std::string& path, std::size_t line, std::size_t column, const std::string& what)
{
    std::string where = path;
    if (line > 0) {
        where += ":" + std::to_string(line);
    }
    if (column > 0) {
        where += ":" + std::to_string(column);
    }
    throw DataError(where + ": " + what);
}

std::string shown(const std::string& field)
{
    constexpr std::size_t longest = 24;
    return "'" + (field.size() > longest ? field.substr(0, longest) + "..." : field) + "'";
}

double parse_number(const std::string& field, const std::string& path, std::size_t line, std::size_t column)
{
    // Leading and trailing blanks are allowed around a field.
    const std::size_t first = field.find_first_not_of(" \t");
    const std::size_t last = field.find_last_not_of(" \t");
    if (first == std::string::npos) {
        fail(path, line, column, "empty field");
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
        fail(path, line, column, shown(field) + " is not a finite number");
    }
    return value;
}

}  // namespace

Matrix read_csv(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(path, 0, 0, "cannot open the file");
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        fail(path, 0, 0, "cannot read the file");
    }
    if (text.empty()) {
        fail(path, 0, 0, "the file is empty");
    }
    std::vector<double> values;
    std::size_t columns = 0, rows = 0, pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) {
            eol = text.size();
        }
        std::string line = text.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        ++rows;
        if (line.find_first_not_of(" \t") == std::string::npos) {
            fail(path, rows, 0, "empty line");
        }
        std::size_t count = 0, start = 0;
        while (true) {
            const std::size_t comma = line.find(',', start);
            const std::string field = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            ++count;
            if (columns != 0 && count > columns) {
                fail(path, rows, 0, "more than " + std::to_string(columns) + " fields; line 1 has " + std::to_string(columns));
            }
            values.push_back(parse_number(field, path, rows, count));
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
        if (columns == 0) {
            columns = count;
        } else if (count != columns) {
            fail(path, rows, 0, std::to_string(count) + " fields; line 1 has " + std::to_string(columns));
        }
        pos = eol + 1;
    }
    Matrix table = xt::zeros<double>({rows, columns});
    std::copy(values.begin(), values.end(), table.begin());
    return table;
}

Dataset load_labelled_csv(const std::string& path, std::size_t classes)
{
    if (classes < 2) {
        throw std::invalid_argument("a labelled data set needs at least 2 classes");
    }
    const Matrix table = read_csv(path);
    const std::size_t m = table.shape(0), columns = table.shape(1);
    if (columns < 2) {
        fail(path, 1, 0, "a labelled row needs at least one feature and the class; line 1 has 1 field");
    }
    Dataset data;
    data.classes = classes;
    data.X = xt::zeros<double>({columns - 1, m});
    data.labels.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
        const double c = table(i, columns - 1);
        if (c != std::floor(c) || c < 0.0 || c >= static_cast<double>(classes)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", c);
            fail(path, i + 1, columns,
                 "class " + std::string(buf) + " is not a whole number from 0 to " + std::to_string(classes - 1));
        }
        data.labels[i] = static_cast<std::size_t>(c);
        for (std::size_t k = 0; k + 1 < columns; ++k) {
            data.X(k, i) = table(i, k);
        }
    }
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

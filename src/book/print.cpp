#include "book/print.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace book {

std::string format_number(double x, int digits)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x == 0.0 ? 0.0 : x);  // no "-0"
    return buf;
}

std::string format_matrix(const backprop::Matrix& M, int digits, const std::string& indent)
{
    const std::size_t rows = M.shape(0), cols = M.shape(1);
    std::vector<std::string> cells(rows * cols);
    std::vector<std::size_t> width(cols, 0);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) {
            cells[i * cols + j] = format_number(M(i, j), digits);
            width[j] = std::max(width[j], cells[i * cols + j].size());
        }
    }
    std::string out = "[";
    for (std::size_t i = 0; i < rows; ++i) {
        out += (i == 0 ? "[" : indent + " [");
        for (std::size_t j = 0; j < cols; ++j) {
            const std::string& c = cells[i * cols + j];
            out += std::string(width[j] - c.size(), ' ') + c + (j + 1 < cols ? ", " : "");
        }
        out += (i + 1 < rows ? "],\n" : "]");
    }
    return out + "]";
}

std::size_t display_width(const std::string& s)
{
    // UTF-8: count the bytes that start a character, not the continuation bytes.
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string pad_right(const std::string& s, std::size_t width)
{
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string pad_left(const std::string& s, std::size_t width)
{
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string show(const std::string& name, const backprop::Matrix& M, int digits)
{
    const std::string head = name + " = ";
    return head + format_matrix(M, digits, std::string(display_width(head), ' ')) + "\n";
}

}  // namespace book

#include "book/print.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace book {

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

std::string show(const std::string& name, const backprop::Matrix& M, int digits)
{
    const std::string head = name + " = ";
    return head + format_matrix(M, digits, std::string(display_width(head), ' ')) + "\n";
}

}  // namespace book

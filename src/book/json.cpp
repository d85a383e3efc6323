#include "book/json.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace book {

nlohmann::json to_json(const backprop::Matrix& M)
{
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (std::size_t j = 0; j < M.shape(1); ++j) {
            row.push_back(M(i, j));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

backprop::Matrix matrix_from_json(const nlohmann::json& j)
{
    if (!j.is_array() || j.empty() || !j[0].is_array() || j[0].empty()) {
        throw std::invalid_argument("a matrix must be a non-empty array of non-empty rows");
    }
    const std::size_t rows = j.size(), cols = j[0].size();
    backprop::Matrix M = xt::zeros<double>({rows, cols});
    for (std::size_t i = 0; i < rows; ++i) {
        if (!j[i].is_array() || j[i].size() != cols) {
            throw std::invalid_argument("row " + std::to_string(i) + " of a matrix has " +
                                        (j[i].is_array() ? std::to_string(j[i].size()) : std::string("no")) +
                                        " entries; row 0 has " + std::to_string(cols));
        }
        for (std::size_t k = 0; k < cols; ++k) {
            if (!j[i][k].is_number() || !std::isfinite(j[i][k].get<double>())) {
                throw std::invalid_argument("entry (" + std::to_string(i) + ", " + std::to_string(k) +
                                            ") of a matrix is not a finite number");
            }
            M(i, k) = j[i][k].get<double>();
        }
    }
    return M;
}

}  // namespace book

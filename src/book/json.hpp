/// \file json.hpp
/// \brief Matrices as JSON (arrays of rows), for the programs' `--json` output.
#pragma once

#include <nlohmann/json.hpp>

#include "backprop/matrix.hpp"

namespace book {

/// \p M as an array of rows, e.g. `[[1, 2], [3, 4]]`.
nlohmann::json to_json(const backprop::Matrix& M);

/// The matrix written by to_json().
/// \throws std::invalid_argument if \p j is not a non-empty array of equally long
/// arrays of numbers
backprop::Matrix matrix_from_json(const nlohmann::json& j);

}  // namespace book

/// \file print.hpp
/// \brief Matrices and numbers printed the way the book shows them.
#pragma once

#include <string>

#include "backprop/matrix.hpp"
#include "book/text.hpp"

namespace book {

/// \p M with aligned columns, one row per line, each entry printed with up to
/// \p digits significant digits, e.g.
/// \verbatim
/// [[ -7, -10],
///  [-15, -22]]
/// \endverbatim
/// Every line after the first starts with \p indent.
std::string format_matrix(const backprop::Matrix& M, int digits = 6, const std::string& indent = "");

/// `name = ` followed by format_matrix(), the continuation lines aligned under the first.
std::string show(const std::string& name, const backprop::Matrix& M, int digits = 6);

}  // namespace book

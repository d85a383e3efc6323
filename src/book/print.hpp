/// \file print.hpp
/// \brief Matrices and numbers printed the way the book shows them.
#pragma once

#include <string>

#include "backprop/matrix.hpp"

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

/// The number of characters (not bytes) of the UTF-8 string \p s.
std::size_t display_width(const std::string& s);

/// \p s followed by spaces to \p width characters (display_width()); unchanged if wider.
std::string pad_right(const std::string& s, std::size_t width);

/// Spaces followed by \p s, right-aligned in \p width characters; unchanged if wider.
std::string pad_left(const std::string& s, std::size_t width);

/// \p x with up to \p digits significant digits (printf's `%g`).
std::string format_number(double x, int digits = 6);

}  // namespace book

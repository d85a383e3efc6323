/// \file files.hpp
/// \brief Writing the files a program makes for the book (diagrams, plot data).
#pragma once

#include <string>
#include <vector>

namespace book {

/// Writes \p text to \p path atomically: into a temporary file beside it, then renamed,
/// so a reader (or a killed run) never sees a half-written file.
/// \throws std::runtime_error naming the path if it cannot be written
void write_file(const std::string& path, const std::string& text);

/// A table of numbers as tab-separated text for gnuplot: a `# ` header line with the
/// column names, then one line per row, each number with 17 significant digits.
/// \throws std::invalid_argument if a row's length differs from the header's
std::string tsv(const std::vector<std::string>& header, const std::vector<std::vector<double>>& rows);

/// `dir/name`, or `name` if \p dir is empty.
std::string join_path(const std::string& dir, const std::string& name);

}  // namespace book

/// \file dataset.hpp
/// \brief CSV data files read for the library, which reads no files itself.
/// \see ch08_training
#pragma once

#include <cstddef>
#include <string>

#include "backprop/data.hpp"
#include "backprop/matrix.hpp"

namespace book {

/// The largest CSV file the programs read: 64 MiB, about 450,000 rows of 65 small
/// numbers. The data set then takes about \f$ 4\times \f$ the file's size in memory.
inline constexpr std::size_t largest_csv_file = std::size_t{64} << 20;

/// The table in the CSV file \p path (given with \p flag): book::read_file(), then
/// backprop::parse_csv(). A UTF-8 byte-order mark is skipped, and said so on standard error.
/// \throws FileError for a file that cannot be read; backprop::DataError for its content
backprop::Matrix load_csv(const std::string& path, const std::string& flag);

/// The labelled data set in the CSV file \p path (given with \p flag), classes
/// \f$ 0..\mathit{classes}-1 \f$ in the last column: book::read_file(), then
/// backprop::parse_labelled_csv(). A byte-order mark is said on standard error.
/// \throws FileError for a file that cannot be read; backprop::DataError for its content
backprop::Dataset load_labelled_csv(const std::string& path, const std::string& flag, std::size_t classes);

}  // namespace book

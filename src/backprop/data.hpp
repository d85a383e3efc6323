/// \file data.hpp
/// \brief Data sets from numeric CSV files: loading with clear errors, scaling, a
/// seeded train/test split and one-hot targets. \see ch08_training
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "backprop/matrix.hpp"

namespace backprop {

/// Thrown for a data file that cannot be used. The message names the file, and the
/// line and column where that makes sense: `digits.csv:12:5: 'x' is not a number`.
class DataError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A labelled data set with samples as columns, as the network takes them.
struct Dataset {
    Matrix X;                         ///< features, shape \f$ (n_0, m) \f$: one sample per column
    std::vector<std::size_t> labels;  ///< the class of each sample, \f$ 0 \le c \lt \f$ `classes`
    std::size_t classes = 0;          ///< the number of classes
    /// The number of samples \f$ m \f$.
    std::size_t size() const { return labels.size(); }
};

/// The rows of CSV text of numbers, all of one length: shape (rows, columns). Lines end
/// in `\n` or `\r\n`; there is no header and no empty line (one final newline is
/// allowed); every field is a finite decimal number, blanks around it allowed. A UTF-8
/// byte-order mark at the start (spreadsheet programs write one) is skipped. The library
/// reads no files: a program reads the file and passes its text.
/// \param text the file's content
/// \param name the file's name, for messages
/// \throws DataError naming the file, line and column for empty text, an empty line,
/// a NUL byte, a carriage return that does not end a line, a field that is not a finite
/// number, or a line with a different number of fields than the first. Nothing is
/// returned on error.
Matrix parse_csv(std::string_view text, const std::string& name);

/// A labelled data set from CSV text (as parse_csv() reads it) whose last column is the
/// class, a whole number in \f$ [0, \mathit{classes}) \f$; the other columns are the
/// features. The samples are read straight into the columns of `X`, so the memory used
/// is the text and \f$ 8 \times \f$ the number of fields in bytes.
/// \throws DataError as parse_csv(), and for a class that is not a whole number in range
/// (naming the line and column)
/// \see ch08_training
Dataset parse_labelled_csv(std::string_view text, const std::string& name, std::size_t classes);

/// True when \p text starts with the UTF-8 byte-order mark `EF BB BF`, which parse_csv()
/// skips.
bool starts_with_bom(std::string_view text);

/// Divides every feature by \p max_value so that features in \f$ [0, \mathit{max\_value}] \f$
/// end up in \f$ [0, 1] \f$ (the digits' pixels are 0..16).
/// \throws std::invalid_argument if \p max_value is not positive and finite
void scale_features(Dataset& data, double max_value);

/// Samples \p columns of \p data, in that order. \throws std::out_of_range for a bad index
Dataset select(const Dataset& data, const std::vector<std::size_t>& columns);

/// A data set cut in two by train_test_split().
struct Split {
    Dataset train;  ///< the training part
    Dataset test;   ///< the test part
};

/// A seeded random split: the samples are shuffled (Fisher–Yates, with Random from
/// \p seed, so the split is the same on every machine) and the first
/// \f$ \mathrm{round}((1 - f)\, m) \f$ become the training set, the rest the test set.
/// \param test_fraction \f$ f \f$
/// \throws std::invalid_argument unless \f$ 0 \lt f \lt 1 \f$ and both parts are non-empty
/// \see ch08_training
Split train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed);

/// One-hot targets: column \f$ i \f$ has a 1 in row `labels[i]` and 0 elsewhere.
/// \returns shape \f$ (\mathit{classes}, m) \f$ \see ch08_training
Matrix one_hot(const std::vector<std::size_t>& labels, std::size_t classes);

/// The predicted class of each column of the output \f$ a^{[L]} \f$: the row of its largest
/// entry (the first one on a tie). \param a shape \f$ (n_L, m) \f$ \see ch08_training
std::vector<std::size_t> predict_classes(const Matrix& a);

/// The fraction of \p predicted equal to \p labels.
/// \throws std::invalid_argument if the lengths differ or are 0
double accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels);

}  // namespace backprop

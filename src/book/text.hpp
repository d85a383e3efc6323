/// \file text.hpp
/// \brief Text layout that knows no mathematics: numbers, padding by display width, and
/// values made safe to print in a one-line message.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace book {

/// \p x with up to \p digits significant digits (printf's `%g`); never `-0`.
std::string format_number(double x, int digits = 6);

/// The number of characters (not bytes) of the UTF-8 string \p s.
std::size_t display_width(const std::string& s);

/// \p s followed by spaces to \p width characters (display_width()); unchanged if wider.
std::string pad_right(const std::string& s, std::size_t width);

/// Spaces followed by \p s, right-aligned in \p width characters; unchanged if wider.
std::string pad_left(const std::string& s, std::size_t width);

/// \p text broken into lines of at most \p width characters (display_width()), at
/// spaces: the first line starts with \p first_indent, the others with \p rest_indent.
/// A word longer than a line stays whole on a line of its own. The lines are joined by
/// `\n`, with no newline after the last.
std::string wrap(const std::string& text, std::size_t width, const std::string& first_indent = "",
                 const std::string& rest_indent = "");

/// \p terms joined by \p sep after \p head and followed by \p tail, broken into lines
/// of at most \p width characters between terms: a continued line starts with \p indent
/// and \p sep without its leading blanks (`"+ "`). The lines end in `\n`.
std::string wrap_terms(const std::string& head, const std::vector<std::string>& terms, const std::string& sep,
                       const std::string& tail, std::size_t width, const std::string& indent);

/// \p s made safe for a one-line message on a terminal: a byte that is a control
/// character (a NUL, `\r`, `\n`, escape, ...) or not part of valid UTF-8 is written as
/// `\xNN` (`\r`, `\n` and `\t` by those names), and text longer than \p longest characters
/// keeps its first and last part around ` … `.
std::string printable(const std::string& s, std::size_t longest = 400);

/// A value the user gave, for a message: printable() with at most 60 characters,
/// between single quotes and followed by its length when it was shortened,
/// e.g. `'abc'` or `'aaaa … aaaa' (102400 characters)`.
std::string quote(const std::string& value);

}  // namespace book

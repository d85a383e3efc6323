/// \file files.hpp
/// \brief Every file a program reads or writes goes through here: paths checked right
/// after parsing, before any work; whole files read without blocking; and the one writer,
/// which never damages what it replaces.
///
/// The writer's rules, for a target path:
/// - it writes a regular file, or a new name in an existing directory; it refuses a
///   directory, a device (such as `/dev/null`), a FIFO or a socket;
/// - a symbolic link is written through: the file it points to is replaced and the link
///   stays a link;
/// - the new content goes to an unnamed temporary file in the target's directory (or,
///   where the file system has none, a unique hidden name `.NAME.XXXXXX.tmp`), is synced
///   to disk, and then renamed over the target, and the directory is synced: a reader, a
///   crash or a kill sees the old file or the new one, never a mixture, and no
///   half-written file is left under any name a program reads;
/// - the replaced file's mode is kept, and its owner and group where the writer may set them;
/// - a set of files (write_files()) appears whole or not at all: every file is written
///   and synced first, then all are renamed, and a failure puts back what was there;
/// - afterwards it checks that the file on disk is the one it wrote, so that when two
///   programs save to one path at once, each says truthfully whether its own file won.
///
/// Every failure throws FileError, a BadInput (exit status 2), whose one-line message
/// names the path and the reason; the temporary file is removed on every failure path.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <ostream>
#include <string>
#include <vector>

#include "book/errors.hpp"

namespace book {

/// A file that could not be checked, read or written; its message names the path.
class FileError : public BadInput {
public:
    using BadInput::BadInput;
};

/// The longest path the checks accept, in bytes (Linux's `PATH_MAX` less its final NUL).
inline constexpr std::size_t longest_path = 4095;

/// Checks, before any work, that a file can be written at \p path, given with \p flag:
/// the value is not empty or too long; it names a regular file, a new name, or a
/// symbolic link to either; and its directory exists and a file can be created in it
/// (tested by creating an unnamed file there).
/// \throws FileError naming \p flag, the path and the reason
void check_output_file(const std::string& path, const std::string& flag);

/// Checks, before any work, that \p dir, given with \p flag, is an existing directory
/// in which files can be created. \throws FileError naming \p flag and the reason
void check_output_directory(const std::string& dir, const std::string& flag);

/// Checks, before any work, that \p path, given with \p flag, is a regular file that can
/// be opened for reading, of at most \p max_bytes. A directory, a FIFO (opened without
/// blocking), a device or a socket is refused. \throws FileError naming \p flag and the reason
void check_input_file(const std::string& path, const std::string& flag, std::size_t max_bytes);

/// The whole content of the regular file \p path (given with \p flag), checked as
/// check_input_file() checks it. \throws FileError naming \p flag and the reason
std::string read_file(const std::string& path, const std::string& flag, std::size_t max_bytes);

/// A file to write and its whole content.
struct FileText {
    std::string path;  ///< where
    std::string text;  ///< what
};

/// Writes \p text to \p path by the writer's rules (see this file's description).
/// \throws FileError naming the path and the reason
void write_file(const std::string& path, const std::string& text);

/// Writes every file of \p files, all or none, by the writer's rules.
/// \throws FileError naming the path and the reason; then no file has changed
void write_files(const std::vector<FileText>& files);

/// Writes \p files as one set (write_files()) and then lists each on \p out as
/// `wrote PATH`: what a chapter program's `--figures` run prints.
void write_and_list(const std::vector<FileText>& files, std::ostream& out);

/// What a chapter program prints once it has computed \p r: with a figures directory,
/// the files of `figures(r)`, written there as one set and listed (write_and_list());
/// otherwise `json(r)` as indented JSON when \p as_json, or else `text(r)`. Returns 0,
/// the exit status of a run that printed.
template <class Results, class Figures, class Json, class Text>
int print_run(std::ostream& out, const std::string& figures_dir, bool as_json, const Results& r, Figures figures,
              Json json, Text text)
{
    if (!figures_dir.empty()) {
        write_and_list(figures(r), out);
    } else if (as_json) {
        out << json(r).dump(2) << '\n';
    } else {
        out << text(r);
    }
    return 0;
}

/// A table of numbers as tab-separated text for gnuplot: a `# ` header line with the
/// column names, then one line per row, each number with 17 significant digits.
/// \throws std::invalid_argument if a row's length differs from the header's
std::string tsv(const std::vector<std::string>& header, const std::vector<std::vector<double>>& rows);

/// `dir/name`, or `name` if \p dir is empty.
std::string join_path(const std::string& dir, const std::string& name);

}  // namespace book

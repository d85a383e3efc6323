#include "book/dataset.hpp"

#include <iostream>

#include "book/files.hpp"
#include "book/text.hpp"

namespace book {

namespace {

std::string read_csv_text(const std::string& path, const std::string& flag)
{
    std::string text = read_file(path, flag, largest_csv_file);
    if (backprop::starts_with_bom(text)) {
        std::cerr << "note: " << printable(path) << " starts with a UTF-8 byte-order mark, which was skipped\n";
    }
    return text;
}

}  // namespace

backprop::Matrix load_csv(const std::string& path, const std::string& flag)
{
    return backprop::parse_csv(read_csv_text(path, flag), printable(path, 200));
}

backprop::Dataset load_labelled_csv(const std::string& path, const std::string& flag, std::size_t classes)
{
    return backprop::parse_labelled_csv(read_csv_text(path, flag), printable(path, 200), classes);
}

}  // namespace book

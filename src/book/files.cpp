#include "book/files.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "book/print.hpp"

namespace book {

void write_file(const std::string& path, const std::string& text)
{
    const std::string tmp = path + ".partial";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw std::runtime_error("cannot write '" + path + "'");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write '" + path + "'");
    }
}

std::string tsv(const std::vector<std::string>& header, const std::vector<std::vector<double>>& rows)
{
    std::string out = "#";
    for (const auto& h : header) {
        out += " " + h;
    }
    out += "\n";
    for (const auto& row : rows) {
        if (row.size() != header.size()) {
            throw std::invalid_argument("a table row has " + std::to_string(row.size()) + " entries; the header has " +
                                        std::to_string(header.size()));
        }
        for (std::size_t k = 0; k < row.size(); ++k) {
            out += (k ? "\t" : "") + format_number(row[k], 17);
        }
        out += "\n";
    }
    return out;
}

std::string join_path(const std::string& dir, const std::string& name)
{
    if (dir.empty()) {
        return name;
    }
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace book

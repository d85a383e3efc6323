#include "book/text.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace book {

std::string format_number(double x, int digits)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x == 0.0 ? 0.0 : x);  // no "-0"
    return buf;
}

std::size_t display_width(const std::string& s)
{
    // UTF-8: count the bytes that start a character, not the continuation bytes.
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string pad_right(const std::string& s, std::size_t width)
{
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string pad_left(const std::string& s, std::size_t width)
{
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string wrap(const std::string& text, std::size_t width, const std::string& first_indent,
                 const std::string& rest_indent)
{
    std::string out, line = first_indent;
    bool empty = true;  // no word on the line yet
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(' ', start);
        end = end == std::string::npos ? text.size() : end;
        const std::string word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty()) {
            continue;
        }
        if (!empty && display_width(line) + 1 + display_width(word) > width) {
            out += line + "\n";
            line = rest_indent;
            empty = true;
        }
        line += (empty ? "" : " ") + word;
        empty = false;
    }
    return out + line;
}

std::string wrap_terms(const std::string& head, const std::vector<std::string>& terms, const std::string& sep,
                       const std::string& tail, std::size_t width, const std::string& indent)
{
    const std::string lead = sep.substr(sep.find_first_not_of(' ') == std::string::npos ? 0 : sep.find_first_not_of(' '));
    std::string out, line = head;
    for (std::size_t k = 0; k < terms.size(); ++k) {
        const std::string end = k + 1 == terms.size() ? tail : "";
        const std::string piece = (k == 0 ? "" : sep) + terms[k] + end;
        if (k > 0 && display_width(line) + display_width(piece) > width) {
            out += line + "\n";
            line = indent + lead + terms[k] + end;
        } else {
            line += piece;
        }
    }
    return out + line + "\n";
}

namespace {

// The length of the valid UTF-8 character that starts at s[i], or 0.
std::size_t utf8_length(const std::string& s, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    unsigned lowest = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, lowest = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, lowest = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, lowest = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) {
        return 0;
    }
    unsigned code = c & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    return code < lowest || code > 0x10FFFF || surrogate ? 0 : n;
}

// Every character of s, each made printable, as separate strings.
std::vector<std::string> printable_characters(const std::string& s)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.emplace_back(1, s[i]);
            ++i;
            continue;
        }
        const std::size_t n = c >= 0x80 ? utf8_length(s, i) : 0;
        // C1 controls (U+0080..U+009F) are escaped like the C0 ones.
        const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
        if (n > 0 && !c1) {
            out.push_back(s.substr(i, n));
            i += n;
            continue;
        }
        const std::size_t len = c1 ? 2 : 1;
        std::string escaped;
        for (std::size_t k = 0; k < len; ++k) {
            const unsigned char b = static_cast<unsigned char>(s[i + k]);
            if (b == '\n') {
                escaped += "\\n";
            } else if (b == '\r') {
                escaped += "\\r";
            } else if (b == '\t') {
                escaped += "\\t";
            } else {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02X", b);
                escaped += buf;
            }
        }
        out.push_back(escaped);
        i += len;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t from, std::size_t to)
{
    std::string s;
    for (std::size_t k = from; k < to; ++k) {
        s += parts[k];
    }
    return s;
}

}  // namespace

std::string printable(const std::string& s, std::size_t longest)
{
    const std::vector<std::string> chars = printable_characters(s);
    if (chars.size() <= longest || longest < 8) {
        return join(chars, 0, chars.size());
    }
    const std::size_t head = (longest - 3) * 2 / 3, tail = longest - 3 - head;
    return join(chars, 0, head) + " \u2026 " + join(chars, chars.size() - tail, chars.size());
}

std::string quote(const std::string& value)
{
    constexpr std::size_t longest = 60;
    const std::string shown = printable(value, longest);
    const std::size_t n = display_width(value);
    return "'" + shown + "'" + (n > longest ? " (" + std::to_string(n) + " characters)" : "");
}

}  // namespace book

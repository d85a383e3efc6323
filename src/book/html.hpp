/// \file html.hpp
/// \brief Text made safe inside HTML, and inside the HTML-like labels of Graphviz.
#pragma once

#include <string>

namespace book {

/// \p s with `&`, `<`, `>` and `"` written as the entities `&amp;`, `&lt;`, `&gt;` and
/// `&quot;`, so that it reads as text, not markup, inside an HTML element or a Graphviz
/// HTML-like label.
inline std::string html_escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace book

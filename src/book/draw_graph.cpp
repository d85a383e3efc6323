#include "book/draw_graph.hpp"

#include <sstream>
#include <stdexcept>
#include <vector>

#include "book/html.hpp"
#include "book/print.hpp"

namespace book {

namespace {

// Text made safe inside a Graphviz HTML-like label, its spaces kept (non-breaking), so
// that the columns of a matrix stay aligned.
std::string html(const std::string& s)
{
    std::string out;
    for (char c : html_escape(s)) {
        out += c == ' ' ? std::string("&#160;") : std::string(1, c);
    }
    return out;
}

// A node's name with each `^[l]` raised: "W^[1]a^[0]" -> W<SUP>[1]</SUP>a<SUP>[0]</SUP>.
std::string symbol(const std::string& name)
{
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        const std::size_t close = name.find(']', i);
        if (name.compare(i, 2, "^[") == 0 && close != std::string::npos) {
            out += "<SUP>" + html(name.substr(i + 1, close - i)) + "</SUP>";
            i = close + 1;
        } else {
            out += html(name.substr(i, 1));
            ++i;
        }
    }
    return out;
}

// A matrix as rows of a table, one line per row of the matrix; a (1, 1) matrix as its number.
std::string matrix_rows(const std::string& label, const backprop::Matrix& M, int digits, const std::string& color)
{
    const std::string font = "<FONT FACE=\"monospace\" COLOR=\"" + color + "\">";
    if (M.size() == 1) {
        return "<TR><TD ALIGN=\"LEFT\">" + font + html(label + " = " + format_number(M(0, 0), digits)) +
               "</FONT></TD></TR>";
    }
    std::istringstream lines(format_matrix(M, digits, std::string(label.size() + 3, ' ')));
    std::string rows, line;
    bool first = true;
    while (std::getline(lines, line)) {
        rows += "<TR><TD ALIGN=\"LEFT\">" + font + html((first ? label + " = " : "") + line) + "</FONT></TD></TR>";
        first = false;
    }
    return rows;
}

std::string what_made(const backprop::Graph& graph, backprop::Node n)
{
    const backprop::Operation* op = graph.operation(n);
    if (op == nullptr) {
        return graph.is_parameter(n) ? "parameter" : "constant";
    }
    return op->symbol;
}

}  // namespace

std::string draw_graph(const backprop::Graph& graph, backprop::Node output, const GraphDrawOptions& options)
{
    if (options.digits < 1 || options.digits > 17) {
        throw std::invalid_argument("draw_graph: digits must be from 1 to 17, got " + std::to_string(options.digits));
    }
    const std::vector<backprop::Node> order = graph.topological_order(output);
    std::ostringstream dot;
    dot << "digraph graph_of_tape {\n"
        << "  graph [rankdir=" << (options.left_to_right ? "LR" : "TB")
        << ", bgcolor=white, nodesep=0.3, ranksep=0.35, fontname=\"sans\", fontsize=16";
    if (!options.title.empty()) {
        dot << ", labelloc=t, label=<" << html(options.title) << ">";
    }
    dot << "];\n"
        << "  node [shape=box, style=\"rounded,filled\", fontname=\"sans\", fontsize=14, margin=\"0.08,0.04\"];\n"
        << "  edge [fontname=\"sans\", fontsize=12, color=\"#555555\", arrowsize=0.7];\n";
    for (backprop::Node n : order) {
        const backprop::Matrix& v = graph.value(n);
        const std::string fill = n.index == output.index ? "#fde7c8"
                                 : graph.operation(n) == nullptr ? (graph.is_parameter(n) ? "#dbe9f7" : "#eeeeee")
                                                                 : "#ffffff";
        const std::string shape =
            v.size() == 1 ? "" : "(" + std::to_string(v.shape(0)) + ", " + std::to_string(v.shape(1)) + ")";
        std::string rows = "<TR><TD ALIGN=\"LEFT\"><B>" + symbol(graph.name(n)) + "</B>&#160;&#160;" +
                           html(what_made(graph, n) + (shape.empty() ? "" : "  " + shape)) + "</TD></TR>";
        rows += matrix_rows("value", v, options.digits, "#000000");
        if (options.show_gradients && graph.needs_grad(n)) {
            rows += matrix_rows("grad", graph.grad(n), options.digits, "#b2182b");
        }
        dot << "  n" << n.index << " [fillcolor=\"" << fill << "\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" "
            << "CELLSPACING=\"0\" CELLPADDING=\"1\">" << rows << "</TABLE>>];\n";
    }
    for (backprop::Node n : order) {
        const std::vector<backprop::Node> in = graph.inputs(n);
        for (std::size_t k = 0; k < in.size(); ++k) {
            dot << "  n" << in[k].index << " -> n" << n.index;
            if (in.size() == 2) {
                dot << " [label=\" " << k + 1 << "\"]";
            }
            dot << ";\n";
        }
    }
    dot << "}\n";
    return dot.str();
}

}  // namespace book

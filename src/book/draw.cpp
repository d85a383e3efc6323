#include "book/draw.hpp"

#include <sstream>
#include <stdexcept>

#include "book/html.hpp"
#include "book/print.hpp"

namespace book {

namespace {

// Text made safe inside a Graphviz HTML-like label.
std::string escape(const std::string& s) { return html_escape(s); }

std::string node_name(std::size_t layer, std::size_t index)
{
    return "n" + std::to_string(layer) + "_" + std::to_string(index + 1);
}

// The text's sizes in points: at least 12 wherever the figure is shown at its natural
// size, larger for the title and for the numbers a step computes.
constexpr int text_pt = 12;
constexpr int large_pt = 14;

std::string weight_symbol(const EdgeId& e)
{
    return "w" + subscript(e.j + 1, e.k + 1);  // the layer is the cluster the edge enters
}

// Colours for the edges into neuron j, without the default highlight colour (red).
const char* edge_color(std::size_t j)
{
    static const char* const palette[] = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e",
                                          "#17becf", "#7f7f7f", "#bcbd22", "#e377c2"};
    return palette[j % (sizeof palette / sizeof palette[0])];
}

std::string row(const std::string& html) { return "<TR><TD>" + html + "</TD></TR>"; }

// A line of a step's result: large, bold, in the highlight colour.
std::string result_row(const std::string& text, const std::string& color)
{
    return row("<FONT POINT-SIZE=\"" + std::to_string(large_pt) + "\" COLOR=\"" + color + "\"><B>" + escape(text) +
               "</B></FONT>");
}

std::string attributes(const std::vector<std::string>& list)
{
    std::string out;
    for (const std::string& a : list) {
        out += (out.empty() ? "" : ", ") + a;
    }
    return out;
}

void check_pass(const backprop::Network& net, const backprop::ForwardPass& pass, std::size_t column)
{
    const std::size_t L = net.depth();
    if (pass.a.size() != L + 1 || pass.z.size() != L + 1) {
        throw std::invalid_argument("draw_network: the forward pass has " + std::to_string(pass.a.size()) +
                                    " layers; the network has " + std::to_string(L + 1));
    }
    const std::size_t m = pass.a[0].shape(1);
    for (std::size_t l = 0; l <= L; ++l) {
        backprop::require_shape(pass.a[l], net.sizes[l], m, ("a^[" + std::to_string(l) + "]").c_str(), "ch04_forward");
        if (l > 0) {
            backprop::require_shape(pass.z[l], net.sizes[l], m, ("z^[" + std::to_string(l) + "]").c_str(),
                                    "ch04_forward");
        }
    }
    if (column >= m) {
        throw std::invalid_argument("draw_network: column " + std::to_string(column) + " of a batch of " +
                                    std::to_string(m) + " samples");
    }
}

bool neuron_exists(const backprop::Network& net, const NeuronId& id)
{
    return id.layer < net.sizes.size() && id.index < net.sizes[id.layer];
}

bool edge_exists(const backprop::Network& net, const EdgeId& e)
{
    return e.layer >= 1 && e.layer < net.sizes.size() && e.j < net.sizes[e.layer] && e.k < net.sizes[e.layer - 1];
}

void check_options(const backprop::Network& net, const DrawOptions& o)
{
    const auto bad_neuron = [](const NeuronId& id) {
        return std::invalid_argument("draw_network: no neuron " + std::to_string(id.index + 1) + " in layer " +
                                     std::to_string(id.layer));
    };
    const auto bad_edge = [](const EdgeId& e) {
        return std::invalid_argument("draw_network: no weight w_" + std::to_string(e.j + 1) + "," +
                                     std::to_string(e.k + 1) + "^[" + std::to_string(e.layer) + "]");
    };
    for (const auto& [id, notes] : o.neuron_notes) {
        if (!neuron_exists(net, id)) throw bad_neuron(id);
    }
    for (const auto& [id, results] : o.neuron_results) {
        if (!neuron_exists(net, id)) throw bad_neuron(id);
    }
    for (const NeuronId& id : o.highlighted_neurons) {
        if (!neuron_exists(net, id)) throw bad_neuron(id);
    }
    for (const auto& [e, note] : o.edge_notes) {
        if (!edge_exists(net, e)) throw bad_edge(e);
    }
    for (const std::set<EdgeId>* edges : {&o.highlighted_edges, &o.error_edges}) {
        for (const EdgeId& e : *edges) {
            if (!edge_exists(net, e)) throw bad_edge(e);
        }
    }
    if (o.target != nullptr) {
        const backprop::Matrix& y = *o.target;
        if (y.shape(0) != net.sizes.back() || o.column >= y.shape(1)) {
            throw std::invalid_argument("draw_network: the target y has shape " + backprop::shape_of(y) + "; it needs " +
                                        std::to_string(net.sizes.back()) + " rows and a column " +
                                        std::to_string(o.column));
        }
    }
    if (o.digits < 1 || o.digits > 17) {
        throw std::invalid_argument("draw_network: digits must be from 1 to 17, got " + std::to_string(o.digits));
    }
}

std::string layer_caption(const backprop::Network& net, std::size_t l)
{
    if (l == 0) {
        return "layer 0: input";
    }
    const std::string kind = l == net.depth() ? "output" : "hidden";
    return "layer " + std::to_string(l) + ": " + kind + "<BR/>" + backprop::name_of(net.sigma[l]);
}

}  // namespace

std::string subscript(std::size_t n)
{
    static const char* const digits[] = {"\u2080", "\u2081", "\u2082", "\u2083", "\u2084",
                                         "\u2085", "\u2086", "\u2087", "\u2088", "\u2089"};
    std::string out;
    for (char c : std::to_string(n)) {
        out += digits[c - '0'];
    }
    return out;
}

std::string subscript(std::size_t j, std::size_t k)
{
    return subscript(j) + (j < 10 && k < 10 ? "" : ",") + subscript(k);
}

std::string draw_network(const backprop::Network& net, const backprop::ForwardPass* pass, const DrawOptions& options)
{
    backprop::require_consistent(net);
    if (pass != nullptr) {
        check_pass(net, *pass, options.column);
    }
    check_options(net, options);
    const std::size_t L = net.depth();
    const std::size_t c = options.column;
    const std::string& red = options.highlight_color;
    const bool backward = options.flow == Flow::backward;
    const auto num = [&](double x) { return format_number(x, options.digits); };
    const auto highlighted = [&](const NeuronId& id) { return options.highlighted_neurons.count(id) > 0; };

    std::ostringstream dot;
    dot << "digraph network {\n"
        << "  graph [rankdir=LR, bgcolor=white, ranksep=0.3, nodesep=0.15, fontname=\"sans\", fontsize=" << large_pt;
    if (!options.title.empty()) {
        dot << ", labelloc=t, label=<" << escape(options.title) << ">";
    }
    dot << "];\n"
        << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#888888\", fontname=\"sans\", "
        << "fontsize=" << text_pt << ", margin=\"0.08,0.04\"];\n"
        << "  edge [fontname=\"sans\", fontsize=" << text_pt << ", arrowsize=0.7, color=\"#999999\""
        << (backward ? ", dir=none" : "") << "];\n";

    // One cluster per layer: the neurons, each with its values.
    for (std::size_t l = 0; l <= L; ++l) {
        dot << "  subgraph cluster_layer" << l << " {\n"
            << "    label=<" << layer_caption(net, l) << ">; fontsize=" << text_pt
            << "; style=rounded; color=\"#bbbbbb\";\n";
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            const NeuronId id{l, j};
            std::string rows;
            // The layer is the cluster's, so each row names only the quantity: b, z, a.
            if (l == 0) {
                rows += row(pass != nullptr ? "x" + subscript(j + 1) + " = " + num(pass->a[0](j, c))
                                            : "<B>input " + std::to_string(j + 1) + "</B>");
            } else {
                rows += row("<B>neuron " + std::to_string(j + 1) + "</B>");
                if (options.show_values) {
                    rows += row("b = " + num(net.b[l](j, 0)));
                    if (pass != nullptr) {
                        rows += row("z = " + num(pass->z[l](j, c)));
                        rows += row("a = " + num(pass->a[l](j, c)));
                    }
                }
            }
            const auto notes = options.neuron_notes.find(id);
            if (notes != options.neuron_notes.end()) {
                for (const std::string& note : notes->second) {
                    rows += row(escape(note));
                }
            }
            const auto results = options.neuron_results.find(id);
            if (results != options.neuron_results.end()) {
                for (const std::string& result : results->second) {
                    rows += result_row(result, red);
                }
            }
            dot << "    " << node_name(l, j) << " [label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                << "CELLPADDING=\"1\">" << rows << "</TABLE>>";
            if (highlighted(id)) {
                dot << ", color=\"" << red << "\", penwidth=2.5";
            }
            dot << "];\n";
        }
        dot << "  }\n";
    }

    // One edge per weight w_jk^[l], from neuron k of layer l-1 to neuron j of layer l.
    for (std::size_t l = 1; l <= L; ++l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                const EdgeId e{l, j, k};
                std::string label;
                if (options.show_weights) {
                    label = weight_symbol(e) + " = " + num(net.W[l](j, k));
                }
                const auto note = options.edge_notes.find(e);
                if (note != options.edge_notes.end()) {
                    label += (label.empty() ? "" : "<BR/>") + escape(note->second);
                }
                std::vector<std::string> list;
                if (!label.empty()) {
                    list.push_back("label=<" + label + ">");
                }
                const bool error = options.error_edges.count(e) > 0;
                if (error || options.highlighted_edges.count(e) > 0) {
                    list.push_back("color=\"" + red + "\", fontcolor=\"" + red + "\", penwidth=2.5");
                } else if (options.color_edges) {
                    const std::string color = edge_color(j);
                    list.push_back("color=\"" + color + "\", fontcolor=\"" + color + "\"");
                }
                if (error && backward) {
                    list.push_back("dir=back");  // the error flows from layer l back to layer l-1
                }
                dot << "  " << node_name(l - 1, k) << " -> " << node_name(l, j) << " [" << attributes(list) << "];\n";
            }
        }
    }

    // The loss, fed by every output and its target.
    if (options.target != nullptr) {
        dot << "  loss [label=<<B>" << escape(options.loss_label) << "</B><BR/>" << num(options.loss)
            << ">, shape=box, style=\"rounded,filled,bold\", fillcolor=\"#fff4d6\"];\n";
        for (std::size_t j = 0; j < net.sizes[L]; ++j) {
            std::vector<std::string> list{"label=<y" + subscript(j + 1) + " = " + num((*options.target)(j, c)) + ">",
                                          "style=dashed"};
            if (options.highlight_loss_edges) {
                list.push_back("color=\"" + red + "\", fontcolor=\"" + red + "\", penwidth=2.5");
            }
            if (backward) {
                list.push_back("dir=back");
            }
            dot << "  " << node_name(L, j) << " -> loss [" << attributes(list) << "];\n";
        }
    }
    dot << "}\n";
    return dot.str();
}

}  // namespace book

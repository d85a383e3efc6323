#include "book/walk.hpp"

#include <stdexcept>

#include <xtensor/xview.hpp>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/matmul.hpp"
#include "book/print.hpp"

namespace book {

namespace {

// n in Unicode subscript digits: 12 -> "₁₂".
std::string subscript(std::size_t n)
{
    static const char* const digits[] = {"\u2080", "\u2081", "\u2082", "\u2083", "\u2084",
                                         "\u2085", "\u2086", "\u2087", "\u2088", "\u2089"};
    const std::string s = std::to_string(n);
    std::string out;
    for (char c : s) {
        out += digits[c - '0'];
    }
    return out;
}

std::string layer_symbol(const char* symbol, std::size_t l) { return std::string(symbol) + "^[" + std::to_string(l) + "]"; }

backprop::Matrix column_of(const backprop::Matrix& M, std::size_t c)
{
    return xt::view(M, xt::all(), xt::range(c, c + 1));
}

// Everything the figures show, for all columns; the figures read one column.
struct WalkValues {
    std::vector<backprop::Matrix> delta;        // delta[l] = δ^[l], (n_l, m), l = 1..L
    std::vector<backprop::Matrix> sigma_prime;  // σ'(z^[l]), (n_l, m)
    std::vector<backprop::Matrix> back_sum;     // W^[l+1]ᵀ δ^[l+1], (n_l, m), l = 1..L-1
    backprop::Matrix grad_a;                    // ∇ₐℓ, (n_L, m)
    double loss = 0.0;                          // ℓ of the chosen column
    std::string loss_label;
};

WalkValues walk_values(const backprop::Network& net, const backprop::ForwardPass& pass, const backprop::Matrix& y,
                       backprop::Loss loss, const WalkOptions& options)
{
    backprop::require_consistent(net);
    const std::size_t L = net.depth();
    if (pass.a.size() != L + 1 || pass.z.size() != L + 1) {
        throw std::invalid_argument("backward_walk: the forward pass has " + std::to_string(pass.a.size()) +
                                    " layers; the network has " + std::to_string(L + 1));
    }
    const std::size_t m = pass.a[L].shape(1);
    backprop::require_shape(y, net.sizes[L], m, "y", "ch05_output_delta");
    if (options.column >= m) {
        throw std::invalid_argument("backward_walk: column " + std::to_string(options.column) + " of a batch of " +
                                    std::to_string(m) + " samples");
    }
    WalkValues v;
    v.sigma_prime.resize(L + 1);
    v.back_sum.resize(L + 1);
    v.delta = backprop::backward_deltas(net, pass, y, loss);
    v.grad_a = backprop::loss_gradient(loss, pass.a[L], y);
    v.sigma_prime[L] = backprop::activate_prime(net.sigma[L], pass.z[L]);
    for (std::size_t l = L - 1; l >= 1; --l) {
        backprop::matmul_into(net.W[l + 1], /*transpose_A=*/true, v.delta[l + 1], false, v.back_sum[l]);
        v.sigma_prime[l] = backprop::activate_prime(net.sigma[l], pass.z[l]);
    }
    v.loss = backprop::loss_value(loss, column_of(pass.a[L], options.column), column_of(y, options.column));
    v.loss_label = !options.loss_label.empty()       ? options.loss_label
                   : loss == backprop::Loss::l1 ? std::string("L1 loss")
                                                    : backprop::name_of(loss) + " loss";
    return v;
}

DrawOptions base_options(const backprop::Matrix& y, const WalkValues& v, const WalkOptions& options)
{
    DrawOptions d;
    d.digits = options.digits;
    d.column = options.column;
    d.show_weights = true;
    d.color_edges = false;  // grey, so the highlighted step stands out
    d.target = &y;
    d.loss = v.loss;
    d.loss_label = v.loss_label;
    d.highlight_color = options.highlight_color;
    return d;
}

}  // namespace

std::size_t walk_length(const std::vector<std::size_t>& sizes)
{
    if (sizes.size() < 2) {
        throw std::invalid_argument("walk_length: a network needs at least two layer sizes");
    }
    std::size_t n = 1;  // the output layer
    for (std::size_t l = 1; l + 1 < sizes.size(); ++l) {
        n += sizes[l] + 1;  // one per hidden neuron, one for the whole layer
    }
    return n;
}

std::vector<WalkFigure> backward_walk(const backprop::Network& net, const backprop::ForwardPass& pass,
                                      const backprop::Matrix& y, backprop::Loss loss, const WalkOptions& options)
{
    const WalkValues v = walk_values(net, pass, y, loss, options);
    const std::size_t L = net.depth();
    const std::size_t c = options.column;
    const std::size_t total = walk_length(net.sizes);
    const auto num = [&](double x) { return format_number(x, options.digits); };

    std::vector<WalkFigure> figures;
    DrawOptions d = base_options(y, v, options);
    const auto add = [&](WalkStep step, std::size_t layer, std::size_t neuron, const std::string& what,
                         const std::string& caption) {
        const std::size_t number = figures.size() + 1;
        d.title = options.title_prefix + "step " + std::to_string(number) + " of " + std::to_string(total) + ": " +
                  what;
        figures.push_back({"walk" + std::to_string(number), caption, draw_network(net, &pass, d), step, layer,
                           neuron});
    };

    // Step 1: δ^[L] = ∇ₐℓ ⊙ σ'(z^[L]), each output neuron with its three factors.
    const bool cancels = loss == backprop::Loss::cross_entropy && net.sigma[L] == backprop::Activation::sigmoid;
    for (std::size_t j = 0; j < net.sizes[L]; ++j) {
        const NeuronId id{L, j};
        d.neuron_notes[id] = {"\u2202\u2113/\u2202a = " + num(v.grad_a(j, c)),
                              "\u03c3\u2032(z) = " + num(v.sigma_prime[L](j, c)),
                              (cancels ? "\u03b4 = a \u2212 y = " : "\u03b4 = ") + num(v.delta[L](j, c))};
        d.highlighted_neurons.insert(id);
    }
    const std::string dL = layer_symbol("\u03b4", L), zL = layer_symbol("z", L);
    add(WalkStep::output_layer, L, 0,
        "the output error " + dL + " = \u2207\u2090\u2113 \u2299 \u03c3\u2032(" + zL + "), neuron by neuron",
        "The output layer's error " + dL + ": each output neuron multiplies the loss's slope \u2202\u2113/\u2202a by "
        "its activation's slope \u03c3\u2032(z).");
    for (std::size_t j = 0; j < net.sizes[L]; ++j) {
        d.neuron_notes[{L, j}] = {"\u03b4 = " + num(v.delta[L](j, c))};
    }

    // Each hidden layer, right to left: one figure per neuron, then the whole layer.
    for (std::size_t l = L - 1; l >= 1; --l) {
        const std::string dl = layer_symbol("\u03b4", l), dn = layer_symbol("\u03b4", l + 1),
                          Wn = layer_symbol("W", l + 1), zl = layer_symbol("z", l);
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            d.highlighted_neurons.clear();
            d.highlighted_edges.clear();
            d.edge_notes.clear();
            //! [walk_hidden_neuron]
            const NeuronId id{l, j};
            d.highlighted_neurons.insert(id);
            for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
                // w_kj^[l+1]: from neuron j of layer l to neuron k of layer l+1
                const EdgeId e{l + 1, k, j};
                d.highlighted_edges.insert(e);
                const double term = net.W[l + 1](k, j) * v.delta[l + 1](k, c);  // w_kj δ_k
                d.edge_notes[e] = "w\u00b7\u03b4" + subscript(k + 1) + " = " + num(term);
            }
            d.neuron_notes[id] = {
                "\u03a3 w\u00b7\u03b4 = " + num(v.back_sum[l](j, c)),  // row j of W^[l+1]ᵀ δ^[l+1]
                "\u03c3\u2032(z) = " + num(v.sigma_prime[l](j, c)),
                "\u03b4 = " + num(v.delta[l](j, c))};  // from backprop::hidden_delta
            //! [walk_hidden_neuron]
            const std::string J = std::to_string(j + 1), J_sub = subscript(j + 1);
            add(WalkStep::hidden_neuron, l, j,
                "the error of neuron " + J + " of layer " + std::to_string(l) + ": \u03b4" + J_sub + " = (\u03a3\u2096 w\u2096" +
                    J_sub + " \u03b4\u2096) \u03c3\u2032(z" + J_sub + ")",
                "The error flows back into neuron " + J + " of layer " + std::to_string(l) + " along its weights "
                "to layer " + std::to_string(l + 1) + ": each neuron k there sends w_k" + J + " \u03b4_k, and the "
                "sum times \u03c3\u2032(z) is its error.");
            d.neuron_notes[id] = {"\u03b4 = " + num(v.delta[l](j, c))};
        }
        d.highlighted_neurons.clear();
        d.highlighted_edges.clear();
        d.edge_notes.clear();
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            d.highlighted_neurons.insert({l, j});
            for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
                d.highlighted_edges.insert({l + 1, k, j});
            }
        }
        add(WalkStep::hidden_layer, l, 0,
            "the whole hidden error " + dl + " = (" + Wn + "\u1d40 " + dn + ") \u2299 \u03c3\u2032(" + zl + ")",
            "The whole layer at once: " + dl + " = (" + Wn + "\u1d40 " + dn + ") \u2299 \u03c3\u2032(" + zl +
                "), one matrix product and one element-wise product.");
    }
    return figures;
}

DrawOptions walk_drawing_options(const backprop::Network& net, const backprop::ForwardPass& pass,
                                 const backprop::Matrix& y, backprop::Loss loss, const WalkOptions& options)
{
    const WalkValues v = walk_values(net, pass, y, loss, options);
    DrawOptions d = base_options(y, v, options);
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            d.neuron_notes[{l, j}] = {"\u03b4 = " + format_number(v.delta[l](j, options.column), options.digits)};
        }
    }
    return d;
}

}  // namespace book

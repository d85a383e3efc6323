#include "book/walk.hpp"

#include <stdexcept>

#include <xtensor/xview.hpp>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "book/text.hpp"

namespace book {

namespace {

backprop::Matrix column_of(const backprop::Matrix& M, std::size_t c)
{
    return xt::view(M, xt::all(), xt::range(c, c + 1));
}

// Everything the figures show: the errors for all columns, the rest for the chosen one.
struct WalkValues {
    std::vector<backprop::Matrix> delta;        // delta[l] = δ^[l], (n_l, m), l = 1..L
    std::vector<backprop::Matrix> sigma_prime;  // σ'(z^[l]), (n_l, m)
    std::vector<backprop::Matrix> back_sum;     // W^[l+1]ᵀ δ^[l+1], (n_l, m), l = 1..L-1
    std::vector<backprop::Matrix> grad_W;       // ∂ℓ/∂W^[l] of the chosen sample, (n_l, n_{l-1})
    std::vector<backprop::Matrix> grad_b;       // ∂ℓ/∂b^[l] of the chosen sample, (n_l, 1)
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
    const std::size_t c = options.column;
    if (c >= m) {
        throw std::invalid_argument("backward_walk: column " + std::to_string(c) + " of a batch of " +
                                    std::to_string(m) + " samples");
    }
    WalkValues v;
    v.sigma_prime.resize(L + 1);
    v.back_sum.resize(L + 1);
    v.grad_W.resize(L + 1);
    v.grad_b.resize(L + 1);
    v.delta = backprop::backward_deltas(net, pass, y, loss);
    v.grad_a = backprop::loss_gradient(loss, pass.a[L], y);
    v.sigma_prime[L] = backprop::activate_prime(net.sigma[L], pass.z[L]);
    for (std::size_t l = L - 1; l >= 1; --l) {
        backprop::matmul_into(net.W[l + 1], /*transpose_A=*/true, v.delta[l + 1], false, v.back_sum[l]);
        v.sigma_prime[l] = backprop::activate_prime(net.sigma[l], pass.z[l]);
    }
    for (std::size_t l = 1; l <= L; ++l) {
        const backprop::Matrix delta = column_of(v.delta[l], c);
        v.grad_W[l] = backprop::weight_gradient(delta, column_of(pass.a[l - 1], c));
        v.grad_b[l] = backprop::bias_gradient(delta);
    }
    v.loss = backprop::loss_value(loss, column_of(pass.a[L], c), column_of(y, c));
    v.loss_label = !options.loss_label.empty()       ? options.loss_label
                   : loss == backprop::Loss::l1 ? std::string("L1 loss")
                                                    : backprop::name_of(loss) + " loss";
    return v;
}

// What every figure starts from: the network without its forward values or weights, grey,
// the arrows pointing back, the loss box with the targets.
DrawOptions base_options(const backprop::Matrix& y, const WalkValues& v, const WalkOptions& options)
{
    DrawOptions d;
    d.digits = options.digits;
    d.column = options.column;
    d.show_values = false;
    d.show_weights = false;
    d.color_edges = false;
    d.flow = Flow::backward;
    d.target = &y;
    d.loss = v.loss;
    d.loss_label = v.loss_label;
    d.highlight_color = options.highlight_color;
    return d;
}

// Nothing highlighted, no edge labelled: what each step starts from.
void clear_step(DrawOptions& d)
{
    d.highlighted_neurons.clear();
    d.highlighted_edges.clear();
    d.error_edges.clear();
    d.edge_notes.clear();
    d.neuron_results.clear();
    d.highlight_loss_edges = false;
}

}  // namespace

std::size_t walk_length(const std::vector<std::size_t>& sizes)
{
    if (sizes.size() < 2) {
        throw std::invalid_argument("walk_length: a network needs at least two layer sizes");
    }
    const std::size_t L = sizes.size() - 1;
    std::size_t n = 1;  // the output layer
    for (std::size_t l = 1; l < L; ++l) {
        n += sizes[l] + 1;  // one per hidden neuron, one for the whole layer
    }
    return n + L;  // the gradients, one layer at a time
}

std::vector<WalkFigure> backward_walk(const backprop::Network& net, const backprop::ForwardPass& pass,
                                      const backprop::Matrix& y, backprop::Loss loss, const WalkOptions& options)
{
    const WalkValues v = walk_values(net, pass, y, loss, options);
    const std::size_t L = net.depth();
    const std::size_t c = options.column;
    const std::size_t m = pass.a[L].shape(1);
    const std::size_t total = walk_length(net.sizes);
    const auto num = [&](double x) { return format_number(x, options.digits); };
    const auto layer = [](std::size_t l) { return "layer " + std::to_string(l); };

    std::vector<WalkFigure> figures;
    DrawOptions d = base_options(y, v, options);
    const auto add = [&](DrawOptions& o, WalkStep step, std::size_t l, std::size_t neuron, const std::string& what,
                         const std::string& caption) {
        const std::size_t number = figures.size() + 1;
        o.title = "Step " + std::to_string(number) + " of " + std::to_string(total) + ": " + what;
        if (m > 1) {
            o.title += " (sample " + std::to_string(c + 1) + " of " + std::to_string(m) + ")";
        }
        figures.push_back({"walk" + std::to_string(number), caption, draw_network(net, &pass, o), step, l, neuron});
    };
    const auto delta_note = [&](std::size_t l, std::size_t j) {
        return std::vector<std::string>{"\u03b4 = " + num(v.delta[l](j, c))};
    };

    // Step 1: δ^[L] = ∇ₐℓ ⊙ σ'(z^[L]), each output neuron with its three factors; the
    // error starts at the loss.
    const bool cancels = loss == backprop::Loss::cross_entropy && net.sigma[L] == backprop::Activation::sigmoid;
    for (std::size_t j = 0; j < net.sizes[L]; ++j) {
        const NeuronId id{L, j};
        d.neuron_results[id] = {"\u2202\u2113/\u2202a = " + num(v.grad_a(j, c)),
                                "\u03c3\u2032(z) = " + num(v.sigma_prime[L](j, c)),
                                (cancels ? "\u03b4 = a \u2212 y = " : "\u03b4 = ") + num(v.delta[L](j, c))};
        d.highlighted_neurons.insert(id);
    }
    d.highlight_loss_edges = true;
    add(d, WalkStep::output_layer, L, 0, "the output layer's error",
        "The output layer's error: each output neuron multiplies the loss's slope by its activation's slope.");
    for (std::size_t j = 0; j < net.sizes[L]; ++j) {
        d.neuron_notes[{L, j}] = delta_note(L, j);
    }

    // Each hidden layer, right to left: one figure per neuron, then the whole layer.
    for (std::size_t l = L - 1; l >= 1; --l) {
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            clear_step(d);
            //! [walk_hidden_neuron]
            // δ_j^[l] = (Σ_k w_kj^[l+1] δ_k^[l+1]) σ'(z_j^[l])
            const NeuronId id{l, j};
            d.highlighted_neurons.insert(id);
            for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
                // w_kj^[l+1] joins neuron j of layer l to neuron k of layer l+1
                const EdgeId e{l + 1, k, j};
                d.error_edges.insert(e);  // drawn pointing back, from k to j
                const double term = net.W[l + 1](k, j) * v.delta[l + 1](k, c);
                d.edge_notes[e] = "w" + subscript(k + 1, j + 1) +
                                  "·δ" + subscript(k + 1) + " = " +
                                  num(term);
            }
            // the sum is row j of W^[l+1]ᵀ δ^[l+1]; δ, backprop::hidden_delta's
            d.neuron_results[id] = {
                "Σ w·δ = " + num(v.back_sum[l](j, c)),
                "σ′(z) = " + num(v.sigma_prime[l](j, c)),
                "δ = " + num(v.delta[l](j, c))};
            //! [walk_hidden_neuron]
            add(d, WalkStep::hidden_neuron, l, j,
                "the error reaches neuron " + std::to_string(j + 1) + " of hidden " + layer(l),
                "The error flows back into one hidden neuron along its weights to the next layer; the sum times "
                "\u03c3\u2032(z) is its error.");
            d.neuron_notes[id] = delta_note(l, j);
        }
        clear_step(d);
        DrawOptions whole = d;
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            whole.highlighted_neurons.insert({l, j});
            whole.neuron_notes.erase({l, j});
            whole.neuron_results[{l, j}] = delta_note(l, j);
            for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
                whole.error_edges.insert({l + 1, k, j});
            }
        }
        add(whole, WalkStep::hidden_layer, l, 0, "the whole of " + layer(l) + " at once",
            "The whole layer at once: one matrix product and one element-wise product.");
    }

    // The gradients, one layer at a time from the output: each uses the errors of its
    // layer and the activations of the layer before.
    clear_step(d);
    for (std::size_t l = L; l >= 1; --l) {
        DrawOptions step = d;
        //! [walk_layer_gradients]
        // ∂ℓ/∂w_jk^[l] = δ_j^[l] a_k^[l-1] and ∂ℓ/∂b_j^[l] = δ_j^[l], each in
        // the neuron j that weight w_jk^[l] and bias b_j^[l] feed
        for (std::size_t j = 0; j < net.sizes[l]; ++j) {
            const NeuronId id{l, j};
            step.highlighted_neurons.insert(id);
            step.neuron_notes.erase(id);  // δ is among the results
            std::vector<std::string>& results = step.neuron_results[id];
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                step.highlighted_edges.insert({l, j, k});
                results.push_back("∂ℓ/∂w" + subscript(j + 1, k + 1) + " = " +
                                  num(v.grad_W[l](j, k)));
            }
            results.push_back("∂ℓ/∂b" + subscript(j + 1) + " = δ" +
                              subscript(j + 1) + " = " +
                              num(v.grad_b[l](j, 0)));
        }
        //! [walk_layer_gradients]
        if (l > 1) {
            for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
                step.neuron_notes[{l - 1, k}].push_back("a = " + num(pass.a[l - 1](k, c)));
            }
        }
        add(step, WalkStep::layer_gradients, l, 0, "the gradients of " + layer(l) + "'s weights and biases",
            "The gradients of one layer: each weight's is the error at its head times the activation at its tail.");
    }
    return figures;
}

}  // namespace book

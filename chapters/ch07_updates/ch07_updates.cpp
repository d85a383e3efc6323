// Chapter 7: the gradients dJ/dW^[l] = (1/m) delta^[l] a^[l-1]^T and dJ/db^[l] of every
// layer of the running example, each entry checked against a numeric derivative; one step
// of gradient descent with the loss before and after; and the loss over many steps.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "backprop/sgd.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/draw.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "book/walk.hpp"

using backprop::Matrix;

namespace {

// Small enough that the numeric check of every parameter (four forward passes per
// parameter) takes well under a second at the largest sizes.
constexpr std::size_t max_layer_size = 20;
constexpr std::size_t max_layers = 6;  // sizes n_0 .. n_L, so at most 5 layers with weights
constexpr double kink_gap = 0.05;      // L1 targets are kept this far from the outputs

// The samples and targets come from their own generator, so that they are not the numbers
// the same seed gave the weights (the same stream as ch04_forward's batch).
constexpr std::uint64_t sample_stream = 0x9E3779B97F4A7C15ull;

std::vector<std::size_t> parse_sizes(const std::string& text)
{
    return book::parse_sizes(text, 2, max_layers, max_layer_size);
}

backprop::Activation parse_activation(const std::string& name)
{
    if (name != "sigmoid" && name != "tanh" && name != "relu") {
        throw book::BadInput("--activation: must be sigmoid, tanh or relu, got '" + name + "'");
    }
    return backprop::activation_from_name(name);
}

std::string join_sizes(const std::vector<std::size_t>& sizes)
{
    std::string s;
    for (std::size_t l = 0; l < sizes.size(); ++l) {
        s += (l ? "-" : "") + std::to_string(sizes[l]);
    }
    return s;
}

std::string shape(std::size_t rows, std::size_t cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

std::string up(std::size_t l) { return "^[" + std::to_string(l) + "]"; }

constexpr auto pad = book::pad_right;

using book::pad_left;

// The example the flags ask for: a network, a batch x of m columns, targets y, a loss.
struct Example {
    backprop::Network net;
    Matrix x;  // a^[0], shape (n_0, m)
    Matrix y;  // shape (n_L, m)
    backprop::Loss loss;
    bool running = false;  // the running example itself (possibly with another loss)
};

//! [draw_example]
// Any other example: the network from the seed; inputs uniform in [0, 1); targets uniform
// in the range of the output activation. For L1, a target closer than kink_gap to its
// output is moved kink_gap away from it, so that |a - y| is never near its kink.
Example drawn_example(const std::vector<std::size_t>& sizes, backprop::Activation sigma, backprop::Loss loss,
                      std::size_t m, std::uint64_t seed)
{
    Example ex{backprop::make_network(sizes, sigma, sigma, seed), {}, {}, loss};
    backprop::Random rng(seed + sample_stream);
    ex.x = rng.uniform_matrix(sizes.front(), m, 0.0, 1.0);
    const double lo = sigma == backprop::Activation::tanh ? -1.0 : 0.0, hi = 1.0;
    ex.y = rng.uniform_matrix(sizes.back(), m, lo, hi);
    if (loss == backprop::Loss::l1) {
        const Matrix a = backprop::forward(ex.net, ex.x).output();
        for (std::size_t k = 0; k < a.size(); ++k) {
            double& y = ex.y.data()[k];
            const double out = a.data()[k];
            if (std::abs(out - y) < kink_gap) {
                y = out + kink_gap <= hi ? out + kink_gap : out - kink_gap;
            }
        }
    }
    return ex;
}
//! [draw_example]

Example make_example(const std::vector<std::size_t>& sizes, backprop::Activation sigma, backprop::Loss loss,
                     std::size_t m, std::int64_t seed)
{
    const book::RunningExample run = book::running_example(seed);
    if (sizes == run.net.sizes && sigma == backprop::Activation::sigmoid && m == 1) {
        return Example{run.net, run.x, run.y, loss, true};
    }
    return drawn_example(sizes, sigma, loss, m, static_cast<std::uint64_t>(seed));
}

double loss_of(const Example& ex)
{
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    return backprop::loss_value(ex.loss, pass.output(), ex.y);
}

// One row of the gradient table.
struct Check {
    std::string name;  // w_jk^[l] or b_j^[l]
    double analytic;
    double numeric;
    double relative_error;
};

//! [gradient_check]
// Every entry of every dJ/dW^[l] and dJ/db^[l] next to a numeric derivative of the loss:
// numeric_gradient moves one parameter at a time and recomputes J.
std::vector<Check> check_every_parameter(Example ex, const backprop::Gradients& grads)
{
    const auto J = [&ex] { return loss_of(ex); };  // reads ex.net, which the check moves
    std::vector<Check> rows;
    for (std::size_t l = 1; l <= ex.net.depth(); ++l) {
        const Matrix numeric_W = backprop::numeric_gradient(J, ex.net.W[l]);
        const Matrix numeric_b = backprop::numeric_gradient(J, ex.net.b[l]);
        for (std::size_t j = 0; j < ex.net.sizes[l]; ++j) {
            for (std::size_t k = 0; k < ex.net.sizes[l - 1]; ++k) {
                const double a = grads.grad_W[l](j, k), n = numeric_W(j, k);
                const std::string sep = j + 1 < 10 && k + 1 < 10 ? "" : ",";
                rows.push_back({"w_" + std::to_string(j + 1) + sep + std::to_string(k + 1) + up(l), a, n,
                                backprop::relative_error(a, n)});
            }
        }
        for (std::size_t j = 0; j < ex.net.sizes[l]; ++j) {
            const double a = grads.grad_b[l](j, 0), n = numeric_b(j, 0);
            rows.push_back({"b_" + std::to_string(j + 1) + up(l), a, n, backprop::relative_error(a, n)});
        }
    }
    return rows;
}
//! [gradient_check]

// ||dJ/dtheta||^2 over every W and b: the first-order change of J in one step is -alpha times it.
double squared_norm(const backprop::Gradients& grads)
{
    double s = 0.0;
    for (std::size_t l = 1; l < grads.grad_W.size(); ++l) {
        for (double g : grads.grad_W[l]) s += g * g;
        for (double g : grads.grad_b[l]) s += g * g;
    }
    return s;
}

bool is_number_row(const nlohmann::ordered_json& j)
{
    return j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& v) { return v.is_number(); });
}

// JSON as nlohmann's dump(2) writes it, except that an array of numbers stays on one line
// and a matrix (an array of such rows) gets one line per row, aligned, so the document
// reads like the matrices it holds. Numbers are written by nlohmann, to full precision.
// `indent` is the indentation of the enclosing object, `column` where the value starts.
void write_json(std::ostream& out, const nlohmann::ordered_json& j, std::size_t indent, std::size_t column)
{
    const std::string inner(indent + 2, ' ');
    if (is_number_row(j)) {
        out << '[';
        for (std::size_t i = 0; i < j.size(); ++i) {
            out << (i ? ", " : "") << j[i].dump();
        }
        out << ']';
    } else if (j.is_array() && !j.empty() && std::all_of(j.begin(), j.end(), is_number_row)) {
        out << '[';
        for (std::size_t i = 0; i < j.size(); ++i) {
            out << (i ? ",\n" + std::string(column + 1, ' ') : "");
            write_json(out, j[i], indent, column + 1);
        }
        out << ']';
    } else if (j.is_array() && !j.empty()) {
        out << "[\n";
        for (std::size_t i = 0; i < j.size(); ++i) {
            out << inner;
            write_json(out, j[i], indent + 2, inner.size());
            out << (i + 1 < j.size() ? ",\n" : "\n");
        }
        out << std::string(indent, ' ') << ']';
    } else if (j.is_object() && !j.empty()) {
        out << "{\n";
        std::size_t i = 0;
        for (const auto& [key, value] : j.items()) {
            const std::string head = inner + nlohmann::ordered_json(key).dump() + ": ";
            out << head;
            write_json(out, value, indent + 2, head.size());
            out << (++i < j.size() ? ",\n" : "\n");
        }
        out << std::string(indent, ' ') << '}';
    } else {
        out << j.dump();
    }
}

//! [descent]
// Gradient descent from the example's parameters: curve[t] is J after t steps, t = 0..steps.
std::vector<double> loss_curve(Example ex, double alpha, std::int64_t steps)
{
    std::vector<double> curve;
    for (std::int64_t t = 0;; ++t) {
        const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
        curve.push_back(backprop::loss_value(ex.loss, pass.output(), ex.y));
        if (t == steps) {
            return curve;
        }
        backprop::sgd_step(ex.net, backprop::backward(ex.net, pass, ex.y, ex.loss), alpha);
    }
}
//! [descent]

std::string describe(const Example& ex, backprop::Activation sigma, std::int64_t seed)
{
    const std::string loss = ex.loss == backprop::Loss::l1 ? "L1" : backprop::name_of(ex.loss);
    const std::size_t m = ex.x.shape(1);
    if (ex.running) {
        return "The running example: the 2-3-2 network, sigmoid in every layer, parameters from seed " +
               std::to_string(seed) + ",\ninput x = a^[0] = (0.8, 0.2), target y = (1, 0), " + loss + " loss.\n";
    }
    return "A " + join_sizes(ex.net.sizes) + " network, " + backprop::name_of(sigma) +
           " in every layer, parameters from seed " + std::to_string(seed) + ",\n" + std::to_string(m) +
           " sample(s) drawn from the seed (inputs in [0, 1), targets in the output's range), " + loss + " loss.\n";
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Chapter 7: the gradients dJ/dW^[l] = (1/m) \u03b4^[l] a^[l-1]\u1d40 and dJ/db^[l] of every layer, "
                 "each entry next to a numeric derivative and their relative error; one step of gradient descent "
                 "with the loss before and after; and the loss over many steps. The defaults are the running "
                 "example: sizes 2,3,2, sigmoid, input (0.8, 0.2), target (1, 0), L1 loss.",
                 "ch07_updates"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    std::string sizes_text = "2,3,2";
    app.add_option("--sizes", sizes_text,
                   "Layer sizes n_0,n_1,...,n_L separated by commas: 2 to 6 sizes, each from 1 to 20 "
                   "(other than 2,3,2 the samples and targets are drawn from the seed)")
        ->capture_default_str();
    std::string activation_name = "sigmoid";
    app.add_option("--activation", activation_name,
                   "Activation of every layer: sigmoid, tanh or relu (not sigmoid: samples and targets are drawn "
                   "from the seed)")
        ->capture_default_str();
    std::string loss_name = "l1";
    app.add_option("--loss", loss_name,
                   "The loss: l1, quadratic or cross-entropy (cross-entropy needs --activation sigmoid)")
        ->capture_default_str();
    std::int64_t batch_size = 1;
    app.add_option("--batch", batch_size,
                   "Number of samples M, 1 to 100; above 1 they are drawn from the seed and the gradients are "
                   "means over the batch")
        ->check(book::whole_number(1, 100))
        ->capture_default_str();
    double alpha = 0.5;
    app.add_option("--alpha", alpha, "The learning rate \u03b1 of the update, 0 to 100")
        ->check(book::real_number(0.0, 100.0))
        ->capture_default_str();
    std::int64_t steps = 100;
    app.add_option("--steps", steps, "Steps of gradient descent in the loss curve, 1 to 100000")
        ->check(book::whole_number(1, 100000))
        ->capture_default_str();
    std::string figures_dir;
    app.add_option("--figures", figures_dir,
                   "Write the drawing of the gradients (ch07_updates.gradients.dot) and the loss over --steps "
                   "steps (ch07_updates.loss.tsv) into this existing directory")
        ->check(CLI::ExistingDirectory);

    return book::run_program(app, argc, argv, [&](std::ostream& out) {
        const std::vector<std::size_t> sizes = parse_sizes(sizes_text);
        const backprop::Activation sigma = parse_activation(activation_name);
        const backprop::Loss loss = book::loss_flag(loss_name, sigma);
        const std::size_t m = static_cast<std::size_t>(batch_size);
        const Example ex = make_example(sizes, sigma, loss, m, common.seed);
        const backprop::Network& net = ex.net;
        const std::size_t L = net.depth();

        //! [gradients]
        const backprop::ForwardPass pass = backprop::forward(net, ex.x);
        const double J_before = backprop::loss_value(ex.loss, pass.output(), ex.y);
        const backprop::Gradients grads = backprop::backward(net, pass, ex.y, ex.loss);  // every delta, dW, db
        //! [gradients]

        if (common.json) {
            //! [json_document]
            nlohmann::ordered_json layers = nlohmann::ordered_json::array();
            for (std::size_t l = 1; l <= L; ++l) {
                layers.push_back({{"W", book::to_json(net.W[l])},
                                  {"b", book::to_json(net.b[l])},
                                  {"grad_W", book::to_json(grads.grad_W[l])},
                                  {"grad_b", book::to_json(grads.grad_b[l])}});
            }
            const nlohmann::ordered_json j = {{"sizes", sizes},
                                              {"activation", backprop::name_of(sigma)},
                                              {"loss", backprop::name_of(ex.loss)},
                                              {"seed", common.seed},
                                              {"x", book::to_json(ex.x)},
                                              {"y", book::to_json(ex.y)},
                                              {"layers", layers},
                                              {"loss_value", J_before}};
            //! [json_document]
            write_json(out, j, 0, 0);
            out << '\n';
            return 0;
        }

        if (!figures_dir.empty()) {
            const std::vector<double> curve = loss_curve(ex, alpha, steps);
            std::vector<std::vector<double>> rows;
            for (std::size_t t = 0; t < curve.size(); ++t) {
                rows.push_back({static_cast<double>(t), curve[t]});
            }

            //! [gradient_figure]
            // The state after the last figure of the backward walk (every delta drawn), plus
            // the gradients: dJ/dw on each edge, dJ/db in each neuron, all highlighted.
            book::DrawOptions options = book::walk_drawing_options(net, pass, ex.y, ex.loss);
            options.title = "ch07_updates: \u2202J/\u2202w on every edge, \u2202J/\u2202b in every neuron";
            if (m > 1) {
                options.title += " (means over the batch; \u03b4, z and a of sample 1)";
            }
            for (std::size_t l = 1; l <= L; ++l) {
                for (std::size_t j = 0; j < sizes[l]; ++j) {
                    options.neuron_notes[{l, j}].push_back("\u2202J/\u2202b = " +
                                                           book::format_number(grads.grad_b[l](j, 0), 4));
                    options.highlighted_neurons.insert({l, j});
                    for (std::size_t k = 0; k < sizes[l - 1]; ++k) {
                        options.edge_notes[{l, j, k}] = "\u2202J/\u2202w = " + book::format_number(grads.grad_W[l](j, k), 4);
                        options.highlighted_edges.insert({l, j, k});
                    }
                }
            }
            const std::string dot = book::draw_network(net, &pass, options);
            //! [gradient_figure]
            const std::string dot_path = book::join_path(figures_dir, "ch07_updates.gradients.dot");
            const std::string tsv_path = book::join_path(figures_dir, "ch07_updates.loss.tsv");
            book::write_file(dot_path, dot);
            book::write_file(tsv_path, book::tsv({"step", "loss"}, rows));
            out << "wrote " << dot_path << "\n" << "wrote " << tsv_path << "\n";
            return 0;
        }

        const std::vector<Check> checks = check_every_parameter(ex, grads);
        const auto worst = std::max_element(checks.begin(), checks.end(), [](const Check& p, const Check& q) {
            return p.relative_error < q.relative_error;
        });
        constexpr double bar = 1e-7;

        //! [one_step]
        backprop::Network updated = net;
        backprop::sgd_step(updated, grads, alpha);  // W <- W - alpha dJ/dW, b <- b - alpha dJ/db
        const double J_after = backprop::loss_value(ex.loss, backprop::forward(updated, ex.x).output(), ex.y);
        //! [one_step]
        const double predicted = -alpha * squared_norm(grads);

        out << "Gradients and one update\n\n" << describe(ex, sigma, common.seed);
        out << "\nThe backward pass (chapters 5 and 6) gives \u03b4^[l] = \u2202\u2113/\u2202z^[l] for every layer;\n"
            << "with the activations of the forward pass it gives the gradients, for l = " << L << " down to 1:\n"
            << "  \u2202J/\u2202b^[l] = (1/m) \u03a3_i \u03b4^[l]_i               (n_l, m) -> (n_l, 1)\n"
            << "  \u2202J/\u2202W^[l] = (1/m) \u03b4^[l] a^[l-1]\u1d40           (n_l, m)(m, n_{l-1}) -> (n_l, n_{l-1})\n"
            << "with m = " << m << (m == 1 ? ", so \u2202J/\u2202b^[l] = \u03b4^[l] and \u2202J/\u2202W^[l] = \u03b4^[l] a^[l-1]\u1d40, an outer product.\n\n"
                                           : " samples: the means over the batch.\n\n");
        for (std::size_t l = L; l >= 1; --l) {
            const std::size_t n = sizes[l], n_prev = sizes[l - 1];
            const std::string mean = m == 1 ? "" : "(1/" + std::to_string(m) + ") ";
            out << "Layer " << l << "\n"
                << book::show("\u03b4" + up(l), grads.delta[l]) << book::show("a" + up(l - 1), pass.a[l - 1])
                << "\u2202J/\u2202b" << up(l) << " = "
                << (m == 1 ? "\u03b4" + up(l) : mean + "\u03a3_i \u03b4" + up(l) + "_i") << ", shape " << shape(n, 1)
                << ":\n"
                << book::show("\u2202J/\u2202b" + up(l), grads.grad_b[l]) << "\u2202J/\u2202W" << up(l) << " = " << mean
                << "\u03b4" << up(l) << " a" << up(l - 1) << "\u1d40, " << shape(n, m) << shape(m, n_prev) << " -> "
                << shape(n, n_prev) << ":\n"
                << book::show("\u2202J/\u2202W" + up(l), grads.grad_W[l]);
            if (m == 1) {
                // One entry of the outer product written out: row j is delta_j, column k is a_k.
                const std::size_t j = 0, k = n_prev - 1;
                const std::string J = std::to_string(j + 1), K = std::to_string(k + 1);
                out << "entry (j, k) is \u03b4_j a_k, e.g. \u2202J/\u2202w_" << J << (k + 1 < 10 ? "" : ",") << K << up(l)
                    << " = \u03b4_" << J << up(l) << " a_" << K << up(l - 1) << " = ("
                    << book::format_number(grads.delta[l](j, 0)) << ")(" << book::format_number(pass.a[l - 1](k, 0))
                    << ") = " << book::format_number(grads.grad_W[l](j, k)) << "\n";
            }
            out << '\n';
        }

        out << "The gradient check: every parameter's analytic derivative (the backward pass) next to a\n"
            << "numeric one (central differences refined by Richardson, step h = " << backprop::gradcheck_step
            << "),\nand their relative error |a \u2212 n| / max(|a|, |n|, " << backprop::gradcheck_tiny << ").\n\n"
            << "  " << pad("parameter", 12) << pad_left("analytic \u2202J/\u2202\u03b8", 20)
            << pad_left("numeric \u2202J/\u2202\u03b8", 20) << pad_left("relative error", 17) << "\n";
        for (const Check& c : checks) {
            out << "  " << pad(c.name, 12) << pad_left(book::format_number(c.analytic, 10), 20)
                << pad_left(book::format_number(c.numeric, 10), 20) << pad_left(book::format_number(c.relative_error, 2), 17)
                << "\n";
        }
        out << "\nLargest relative error over all " << checks.size() << " parameters: "
            << book::format_number(worst->relative_error, 2) << " (" << worst->name << "); below 1e-7: "
            << (worst->relative_error < bar ? "yes" : "NO") << "\n";
        if (worst->relative_error >= bar) {
            // Usually not a wrong gradient but a tiny one: the numeric derivative's rounding
            // error, about eps J / h, is then comparable to 1e-7 of the entry.
            out << "There |a \u2212 n| = " << book::format_number(std::abs(worst->analytic - worst->numeric), 2)
                << " at an entry of size " << book::format_number(std::abs(worst->analytic), 2)
                << "; the numeric derivative's own rounding error is about \u03b5 J / h = "
                << book::format_number(std::numeric_limits<double>::epsilon() * std::abs(J_before) / backprop::gradcheck_step, 2) << ".\n";
        }
        out << '\n';

        out << "One step of gradient descent with learning rate \u03b1 = " << book::format_number(alpha) << "\n"
            << "  W^[l] \u2190 W^[l] \u2212 \u03b1 \u2202J/\u2202W^[l],   b^[l] \u2190 b^[l] \u2212 \u03b1 \u2202J/\u2202b^[l],   for l = 1.."
            << L << "\n\n";
        for (std::size_t l = 1; l <= L; ++l) {
            out << book::show("W" + up(l) + " before", net.W[l]) << book::show("W" + up(l) + " after ", updated.W[l])
                << book::show("b" + up(l) + " before", net.b[l]) << book::show("b" + up(l) + " after ", updated.b[l]);
        }
        const double change = J_after - J_before;
        out << "\nLoss before the step  J = " << book::format_number(J_before, 10) << "\n"
            << "Loss after the step   J = " << book::format_number(J_after, 10) << "\n"
            << "Change                    " << book::format_number(change, 6) << " ("
            << (change < 0.0 ? "lower" : (change > 0.0 ? "higher" : "unchanged")) << ")\n"
            << "First-order prediction \u2212\u03b1 \u2016\u2202J/\u2202\u03b8\u2016\u00b2 = " << book::format_number(predicted, 6)
            << "\n\n";

        const std::vector<double> curve = loss_curve(ex, alpha, steps);
        out << "The loss over " << steps << " steps with \u03b1 = " << book::format_number(alpha) << "\n";
        std::vector<std::int64_t> shown;
        for (std::int64_t t : {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}) {
            if (t < steps) shown.push_back(t);
        }
        shown.push_back(steps);
        for (std::int64_t t : shown) {
            out << "  step " << pad_left(std::to_string(t), 6) << "   J = " << book::format_number(curve[static_cast<std::size_t>(t)], 10)
                << "\n";
        }
        return 0;
    });
}

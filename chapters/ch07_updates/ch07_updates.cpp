// Chapter 7: the gradients dJ/dW^[l] = (1/m) delta^[l] a^[l-1]^T and dJ/db^[l] of every
// layer of the running example, each entry checked against a numeric derivative; one step
// of gradient descent with the loss before and after; and the loss over many steps.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <sstream>
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
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "book/walk.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;

namespace {

// Small enough that the numeric check of every parameter (four forward passes per
// parameter) takes well under a second at the largest sizes and batch, and that 100000
// steps of descent take well under a minute.
constexpr book::SizesLimits sizes_limits{2, 6, 20};  // so at most 5 layers with weights
constexpr double kink_gap = 0.05;  // L1 targets are kept this far from the outputs
constexpr double bar = 1e-7;       // the gradient check's bar for smooth functions

// The samples and targets come from their own generator, so that they are not the numbers
// the same seed gave the weights (the same stream as ch04_forward's batch).
constexpr std::uint64_t sample_stream = 0x9E3779B97F4A7C15ull;

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    std::vector<std::size_t> sizes{2, 3, 2};
    Activation sigma = Activation::sigmoid;
    Loss loss = Loss::l1;
    std::size_t batch = 1;
    double alpha = 0.5;
    std::int64_t steps = 100;
    bool json = false;    // only the gradients are shown
    std::string figures;  // the directory, or empty for the text
};

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
    Loss loss = Loss::l1;
    bool running = false;  // the running example itself (possibly with another loss)
};

//! [draw_example]
// Any other example: the network from the seed; inputs uniform in [0, 1);
// targets uniform in the range of the output activation. For L1, a target
// closer than kink_gap to its output is moved kink_gap away from it, so that
// |a - y| is never near its kink.
Example drawn_example(const std::vector<std::size_t>& sizes, Activation sigma,
                      Loss loss, std::size_t m, std::uint64_t seed)
{
    Example ex;
    ex.net = backprop::make_network(sizes, sigma, sigma, seed);
    ex.loss = loss;
    backprop::Random rng(seed + sample_stream);
    ex.x = rng.uniform_matrix(sizes.front(), m, 0.0, 1.0);
    const double lo = sigma == Activation::tanh ? -1.0 : 0.0, hi = 1.0;
    ex.y = rng.uniform_matrix(sizes.back(), m, lo, hi);
    if (loss == Loss::l1) {
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

Example make_example(const Options& o)
{
    const book::RunningExample run = book::running_example(o.seed);
    if (o.sizes == run.net.sizes && o.sigma == Activation::sigmoid && o.batch == 1) {
        return Example{run.net, run.x, run.y, o.loss, true};
    }
    return drawn_example(o.sizes, o.sigma, o.loss, o.batch, static_cast<std::uint64_t>(o.seed));
}

// One row of the gradient table.
struct Check {
    std::string name;  // w_jk^[l] or b_j^[l]
    double analytic = 0.0;
    double numeric = 0.0;
    double relative_error = 0.0;
};

// Entry (j, k) of parameter tensor t, counting W^[1], b^[1], W^[2], ... from 0, with the
// text's 1-based indices: w_jk^[l] (a comma between j and k if one has two digits) or b_j^[l].
std::string parameter_name(std::size_t t, std::size_t j, std::size_t k)
{
    const std::size_t l = t / 2 + 1;
    if (t % 2 == 1) {
        return "b_" + std::to_string(j + 1) + up(l);
    }
    return "w_" + std::to_string(j + 1) + (j + 1 < 10 && k + 1 < 10 ? "" : ",") + std::to_string(k + 1) + up(l);
}

// The table's rows, one per parameter in the check's order, each analytic entry next to
// its numeric one.
std::vector<Check> table_rows(const backprop::Gradients& grads, const backprop::NetworkCheck& check)
{
    std::vector<Check> rows;
    for (std::size_t t = 0; t < check.numeric.size(); ++t) {
        const std::size_t l = t / 2 + 1;
        const Matrix& analytic = t % 2 == 0 ? grads.grad_W[l] : grads.grad_b[l];
        const Matrix& numeric = check.numeric[t];
        for (std::size_t j = 0; j < numeric.shape(0); ++j) {
            for (std::size_t k = 0; k < numeric.shape(1); ++k) {
                rows.push_back({parameter_name(t, j, k), analytic(j, k), numeric(j, k),
                                backprop::relative_error(analytic(j, k), numeric(j, k))});
            }
        }
    }
    return rows;
}

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

//! [descent]
// Gradient descent from the example's parameters: curve[t] is J after t steps,
// t = 0..steps.
std::vector<double> loss_curve(Example ex, double alpha, std::int64_t steps)
{
    std::vector<double> curve;
    for (std::int64_t t = 0;; ++t) {
        const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
        curve.push_back(backprop::loss_value(ex.loss, pass.output(), ex.y));
        if (t == steps) {
            return curve;
        }
        const backprop::Gradients grads =
            backprop::backward(ex.net, pass, ex.y, ex.loss);
        backprop::sgd_step(ex.net, grads, alpha);
    }
}
//! [descent]

// Everything the chapter shows, computed once; what a mode does not show is left empty.
struct Results {
    Options options;
    Example ex;
    backprop::ForwardPass pass;
    double J_before = 0.0;
    backprop::Gradients grads;
    std::vector<double> curve;      // J after t = 0..steps steps (text and figures)
    std::vector<book::WalkFigure> walk;  // the backward walk's gradient figures (figures)
    std::vector<Check> checks;      // the gradient check, one row per parameter (text)
    Check worst;                    // its largest relative error
    backprop::Network updated;      // after one step (text)
    double J_after = 0.0;
    double predicted = 0.0;         // the first-order change, -alpha ||dJ/dtheta||^2
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    r.ex = make_example(o);
    const Example& ex = r.ex;
    const backprop::Network& net = ex.net;

    //! [gradients]
    const backprop::ForwardPass pass = backprop::forward(net, ex.x);
    const double J_before = backprop::loss_value(ex.loss, pass.output(), ex.y);
    // every delta^[l], dJ/dW^[l] and dJ/db^[l]
    const backprop::Gradients grads =
        backprop::backward(net, pass, ex.y, ex.loss);
    //! [gradients]
    r.pass = pass;
    r.J_before = J_before;
    r.grads = grads;
    if (o.json) {
        return r;
    }
    r.curve = loss_curve(ex, o.alpha, o.steps);
    if (!o.figures.empty()) {
        // The walk's last figures: the gradients of sample 1, layer by layer.
        for (book::WalkFigure& f : book::backward_walk(net, pass, ex.y, ex.loss)) {
            if (f.step == book::WalkStep::layer_gradients) {
                r.walk.push_back(std::move(f));
            }
        }
        return r;
    }

    //! [gradient_check]
    // Every entry of every W^[l] and b^[l] moved in turn, on a copy of the
    // network, and J recomputed: the numeric gradients, tensor by tensor in the
    // order W^[1], b^[1], W^[2], ..., each compared with the analytic one.
    backprop::Network moved = net;
    const backprop::NetworkCheck check = backprop::check_network_gradients(
        moved, backprop::loss_function(moved, ex.x, ex.y, ex.loss), grads);
    //! [gradient_check]
    r.checks = table_rows(grads, check);
    const backprop::GradientReport& worst = check.worst();
    const std::size_t t = static_cast<std::size_t>(&worst - check.reports.data());
    r.worst = {parameter_name(t, worst.row, worst.col), worst.analytic, worst.numeric, worst.max_relative_error};

    //! [one_step]
    // W <- W - alpha dJ/dW and b <- b - alpha dJ/db, on a copy of the network
    backprop::Network updated = net;
    backprop::sgd_step(updated, grads, o.alpha);
    const Matrix output_after = backprop::forward(updated, ex.x).output();
    const double J_after = backprop::loss_value(ex.loss, output_after, ex.y);
    //! [one_step]
    r.updated = updated;
    r.J_after = J_after;
    r.predicted = -o.alpha * squared_norm(grads);
    return r;
}

// The drawings of the gradients, the end of the backward walk, and the loss over --steps
// steps.
std::vector<book::FileText> figures(const Results& r)
{
    std::vector<std::vector<double>> rows;
    for (std::size_t t = 0; t < r.curve.size(); ++t) {
        rows.push_back({static_cast<double>(t), r.curve[t]});
    }
    const std::string& dir = r.options.figures;
    std::vector<book::FileText> files;
    for (const book::WalkFigure& f : r.walk) {
        files.push_back({book::join_path(dir, "ch07_updates." + f.name + ".dot"), f.dot});
    }
    files.push_back({book::join_path(dir, "ch07_updates.loss.tsv"), book::tsv({"step", "loss"}, rows)});
    return files;
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
        // A row that would pass 80 columns goes on under its first number.
        out << '[';
        std::size_t at = column + 1;
        for (std::size_t i = 0; i < j.size(); ++i) {
            const std::string number = j[i].dump();
            if (i > 0 && at + 2 + number.size() + 2 > 80) {
                out << ",\n" << std::string(column + 1, ' ');
                at = column + 1;
            } else if (i > 0) {
                out << ", ";
                at += 2;
            }
            out << number;
            at += number.size();
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

// The document the page describes field by field, in that order.
nlohmann::ordered_json json(const Results& r)
{
    const backprop::Network& net = r.ex.net;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        layers.push_back({{"W", book::to_json(net.W[l])},
                          {"b", book::to_json(net.b[l])},
                          {"grad_W", book::to_json(r.grads.grad_W[l])},
                          {"grad_b", book::to_json(r.grads.grad_b[l])}});
    }
    return {{"sizes", r.options.sizes},
            {"activation", backprop::name_of(r.options.sigma)},
            {"loss", backprop::name_of(r.ex.loss)},
            {"seed", r.options.seed},
            {"x", book::to_json(r.ex.x)},
            {"y", book::to_json(r.ex.y)},
            {"layers", layers},
            {"loss_value", r.J_before}};
}

std::string describe(const Results& r)
{
    const Example& ex = r.ex;
    const std::string loss = ex.loss == Loss::l1 ? "L1" : backprop::name_of(ex.loss);
    const std::string seed = std::to_string(r.options.seed);
    if (ex.running) {
        return book::wrap("The running example: the 2-3-2 network, sigmoid in every layer, parameters from seed " +
                              seed + ", input x = a^[0] = (0.8, 0.2), target y = (1, 0), " + loss + " loss.",
                          80) +
               "\n";
    }
    // Every sample and target, so that a reader can compute J from them.
    return book::wrap("A " + book::join_sizes(ex.net.sizes, "-") + " network, " +
                          backprop::name_of(r.options.sigma) + " in every layer, parameters from seed " + seed +
                          ", and " + std::to_string(ex.x.shape(1)) +
                          " sample(s) drawn from the seed (inputs in [0, 1), targets in the output's range), " +
                          loss + " loss: the samples are the columns of X = A^[0], their targets those of Y.",
                      80) +
           "\n" + book::show("X", ex.x) + book::show("Y", ex.y);
}

// The gradients of every layer, from the output back, with their shapes.
std::string gradients_text(const Results& r)
{
    const std::vector<std::size_t>& sizes = r.options.sizes;
    const backprop::Gradients& grads = r.grads;
    const std::size_t L = r.ex.net.depth(), m = r.options.batch;
    std::ostringstream out;
    out << "\nThe backward pass (chapters 5 and 6) gives \u03b4^[l] = \u2202\u2113/\u2202z^[l] for every layer;\n"
        << "with the activations of the forward pass it gives the gradients, for l = " << L << "\n"
        << "down to 1:\n"
        << "  \u2202J/\u2202b^[l] = (1/m) \u03a3_i \u03b4^[l]_i      (n_l, m) -> (n_l, 1)\n"
        << "  \u2202J/\u2202W^[l] = (1/m) \u03b4^[l] a^[l-1]\u1d40    (n_l, m)(m, n_{l-1}) -> (n_l, n_{l-1})\n"
        << "with m = " << m
        << (m == 1 ? ", so \u2202J/\u2202b^[l] = \u03b4^[l] and \u2202J/\u2202W^[l] = \u03b4^[l] a^[l-1]\u1d40,\n"
                     "an outer product.\n\n"
                   : " samples: the means over the batch.\n\n");
    for (std::size_t l = L; l >= 1; --l) {
        const std::size_t n = sizes[l], n_prev = sizes[l - 1];
        const std::string mean = m == 1 ? "" : "(1/" + std::to_string(m) + ") ";
        out << "Layer " << l << "\n"
            << book::show("\u03b4" + up(l), grads.delta[l]) << book::show("a" + up(l - 1), r.pass.a[l - 1])
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
            out << "entry (j, k) is \u03b4_j a_k, e.g.\n  \u2202J/\u2202w_" << J << (k + 1 < 10 ? "" : ",") << K << up(l)
                << " = \u03b4_" << J << up(l) << " a_" << K << up(l - 1) << " = ("
                << book::format_number(grads.delta[l](j, 0)) << ")(" << book::format_number(r.pass.a[l - 1](k, 0))
                << ") = " << book::format_number(grads.grad_W[l](j, k)) << "\n";
        }
        out << '\n';
    }
    return out.str();
}

// The gradient check's table and its largest relative error.
std::string check_text(const Results& r)
{
    std::ostringstream out;
    out << book::wrap("The gradient check: every parameter's analytic derivative (the backward pass) next to a "
                      "numeric one (central differences refined by Richardson, step h = " +
                          book::format_number(backprop::gradcheck_step) + "), and their relative error |a \u2212 n| / "
                          "max(|a|, |n|, " + book::format_number(backprop::gradcheck_tiny) + ").",
                      80)
        << "\n\n"
        << "  " << pad("parameter", 12) << pad_left("analytic \u2202J/\u2202\u03b8", 20)
        << pad_left("numeric \u2202J/\u2202\u03b8", 20) << pad_left("relative error", 17) << "\n";
    for (const Check& c : r.checks) {
        out << "  " << pad(c.name, 12) << pad_left(book::format_number(c.analytic, 10), 20)
            << pad_left(book::format_number(c.numeric, 10), 20)
            << pad_left(book::format_number(c.relative_error, 2), 17) << "\n";
    }
    const Check& worst = r.worst;
    out << "\nLargest relative error over all " << r.checks.size() << " parameters: "
        << book::format_number(worst.relative_error, 2) << " (" << worst.name << ");\nbelow 1e-7: "
        << (worst.relative_error < bar ? "yes" : "NO") << "\n";
    if (worst.relative_error >= bar) {
        // Usually not a wrong gradient but a tiny one: the numeric derivative's rounding
        // error, about eps J / h, is then comparable to 1e-7 of the entry.
        const double rounding =
            std::numeric_limits<double>::epsilon() * std::abs(r.J_before) / backprop::gradcheck_step;
        out << "There |a \u2212 n| = " << book::format_number(std::abs(worst.analytic - worst.numeric), 2)
            << " at an entry of size " << book::format_number(std::abs(worst.analytic), 2)
            << "; the numeric derivative's own rounding error is about \u03b5 J / h = "
            << book::format_number(rounding, 2) << ".\n";
    }
    out << '\n';
    return out.str();
}

// The step, the loss before and after it, and the loss over --steps steps.
std::string update_text(const Results& r)
{
    const backprop::Network& net = r.ex.net;
    const std::size_t L = net.depth();
    const double alpha = r.options.alpha;
    const std::int64_t steps = r.options.steps;
    std::ostringstream out;
    out << "One step of gradient descent with learning rate \u03b1 = " << book::format_number(alpha) << "\n"
        << "  W^[l] \u2190 W^[l] \u2212 \u03b1 \u2202J/\u2202W^[l],   b^[l] \u2190 b^[l] \u2212 \u03b1 "
           "\u2202J/\u2202b^[l],   for l = 1.."
        << L << "\n\n";
    for (std::size_t l = 1; l <= L; ++l) {
        out << book::show("W" + up(l) + " before", net.W[l]) << book::show("W" + up(l) + " after ", r.updated.W[l])
            << book::show("b" + up(l) + " before", net.b[l]) << book::show("b" + up(l) + " after ", r.updated.b[l]);
    }
    const double change = r.J_after - r.J_before;
    out << "\nLoss before the step  J = " << book::format_number(r.J_before, 10) << "\n"
        << "Loss after the step   J = " << book::format_number(r.J_after, 10) << "\n"
        << "Change                    " << book::format_number(change, 6) << " ("
        << (change < 0.0 ? "lower" : (change > 0.0 ? "higher" : "unchanged")) << ")\n"
        << "First-order prediction \u2212\u03b1 \u2016\u2202J/\u2202\u03b8\u2016\u00b2 = "
        << book::format_number(r.predicted, 6) << "\n\n";

    out << "The loss over " << steps << " steps with \u03b1 = " << book::format_number(alpha) << "\n";
    std::vector<std::int64_t> shown;
    for (std::int64_t t : {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}) {
        if (t < steps) shown.push_back(t);
    }
    shown.push_back(steps);
    for (std::int64_t t : shown) {
        out << "  step " << pad_left(std::to_string(t), 6)
            << "   J = " << book::format_number(r.curve[static_cast<std::size_t>(t)], 10) << "\n";
    }
    return out.str();
}

std::string text(const Results& r)
{
    return "Gradients and one update\n\n" + describe(r) + gradients_text(r) + check_text(r) + update_text(r);
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program(
        "ch07_updates",
        "Chapter 7: the gradients dJ/dW^[l] = (1/m) \u03b4^[l] a^[l-1]\u1d40 and dJ/db^[l] of every layer, each entry "
        "next to a numeric derivative and their relative error; one step of gradient descent with the loss before "
        "and after; and the loss over many steps. The defaults are the running example: sizes 2,3,2, sigmoid, "
        "input (0.8, 0.2), target (1, 0), L1 loss.");
    Options o;
    book::add_sizes(program.app, o.sizes, sizes_limits,
                    "Layer sizes n_0,n_1,...,n_L separated by commas: 2 to 6 sizes, each from 1 to 20 (other than "
                    "2,3,2 the samples and targets are drawn from the seed)");
    book::add_activation(program.app, o.sigma,
                         "Activation of every layer (not sigmoid: samples and targets are drawn from the seed)",
                         "--activation", {Activation::sigmoid, Activation::tanh, Activation::relu});
    book::add_loss(program.app, o.loss, "The loss (cross-entropy needs --activation sigmoid)");
    book::require_compatible_after_parsing(program, o.loss, o.sigma, "--activation");
    program.whole("--batch", o.batch, 1, 100,
                  "Number of samples M, 1 to 100; above 1 they are drawn from the seed and the gradients are "
                  "means over the batch");
    program.real("--alpha", o.alpha, 0.0, 100.0, "The learning rate \u03b1 of the update, 0 to 100 (not with --json)")
        ->excludes("--json");
    program.whole("--steps", o.steps, 1, 100000, "Steps of gradient descent in the loss curve, 1 to 100000 (not "
                                                 "with --json)")
        ->excludes("--json");
    program.output_directory("--figures", o.figures,
                             "Write the drawings of the gradients of sample 1, the backward walk's last figures "
                             "(ch07_updates.walk6.dot and walk7.dot for the running example), and the loss over "
                             "--steps steps (ch07_updates.loss.tsv) into this existing directory, instead of the "
                             "text")
        ->excludes("--json");

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        o.json = program.common.json;
        const Results r = compute(o);
        if (!o.figures.empty()) {
            book::write_and_list(figures(r), out);
        } else if (o.json) {
            write_json(out, json(r), 0, 0);
            out << '\n';
        } else {
            out << text(r);
        }
        return 0;
    });
}

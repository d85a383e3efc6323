// Chapter 4: the running example forward, layer by layer, with every shape; the batch
// form with samples as columns; and the L1, quadratic and cross-entropy losses.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "backprop/activation.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "book/cli.hpp"
#include "book/draw.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Matrix;

namespace {


constexpr double max_input = 1e6;       // keeps every z finite, whatever the weights


// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    std::vector<std::size_t> sizes{2, 3, 2};
    backprop::Activation sigma = backprop::Activation::sigmoid;
    backprop::Loss loss = backprop::Loss::l1;
    std::size_t batch = 4;
    std::vector<double> input;  // empty: the running example's, or drawn from the seed
    std::string figures;
};
std::string shape(std::size_t rows, std::size_t cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

std::string layer_tag(const char* symbol, std::size_t l) { return std::string(symbol) + "^[" + std::to_string(l) + "]"; }

// The samples of the batch come from their own generator, so that they are not the
// numbers the same seed gave the weights.
constexpr std::uint64_t batch_stream = 0x9E3779B97F4A7C15ull;

struct Batch {
    Matrix X;  // A^[0], shape (n_0, m)
    Matrix Y;  // targets, shape (n_L, m)
};

//! [batch_input]
// m samples as the columns of A^[0]: column 1 is the one-sample input x, the
// others are drawn uniformly from [0, 1); each target is a one-hot column
// (column 1's is y).
Batch make_batch(const Matrix& x, const Matrix& y, std::size_t m,
                 backprop::Random& rng)
{
    const std::size_t n0 = x.shape(0), nL = y.shape(0);
    Batch batch{xt::zeros<double>({n0, m}), xt::zeros<double>({nL, m})};
    xt::view(batch.X, xt::all(), 0) = xt::view(x, xt::all(), 0);
    xt::view(batch.Y, xt::all(), 0) = xt::view(y, xt::all(), 0);
    for (std::size_t i = 1; i < m; ++i) {
        for (std::size_t k = 0; k < n0; ++k) {
            batch.X(k, i) = rng.uniform();
        }
        batch.Y(rng.below(nL), i) = 1.0;
    }
    return batch;
}
//! [batch_input]

Matrix column_of(const Matrix& M, std::size_t i)
{
    Matrix c = xt::zeros<double>({M.shape(0), std::size_t{1}});
    xt::view(c, xt::all(), 0) = xt::view(M, xt::all(), i);
    return c;
}

// The largest difference between column i of the batch pass and the one-sample pass of
// column i of the input, over every layer's z and a.
double batch_vs_columns(const backprop::Network& net, const Matrix& X, const backprop::ForwardPass& batch_pass)
{
    double d = 0.0;
    for (std::size_t i = 0; i < X.shape(1); ++i) {
        const backprop::ForwardPass one = backprop::forward(net, column_of(X, i));
        for (std::size_t l = 1; l <= net.depth(); ++l) {
            for (std::size_t j = 0; j < net.sizes[l]; ++j) {
                d = std::max(d, std::abs(one.z[l](j, 0) - batch_pass.z[l](j, i)));
                d = std::max(d, std::abs(one.a[l](j, 0) - batch_pass.a[l](j, i)));
            }
        }
    }
    return d;
}

// The sum that makes z_j^[l], written out with the numbers, as the source writes it:
//   z_1^[1] = w_11^[1] a_1^[0] + w_12^[1] a_2^[0] + b_1^[1]
//           = (0.1)(0.8) + (-0.2)(0.2) + (0.3) = 0.34
std::string weighted_sum_line(const backprop::Network& net, const backprop::ForwardPass& pass, std::size_t l,
                              std::size_t j)
{
    const std::string J = std::to_string(j + 1), up = "^[" + std::to_string(l) + "]",
                      down = "^[" + std::to_string(l - 1) + "]";
    const std::string head = "  z_" + J + up + " = ";
    std::vector<std::string> symbols, numbers;
    for (std::size_t k = 0; k < net.sizes[l - 1]; ++k) {
        const std::string K = std::to_string(k + 1);
        symbols.push_back("w_" + J + (j + 1 < 10 && k + 1 < 10 ? "" : ",") + K + up + " a_" + K + down);
        numbers.push_back("(" + book::format_number(net.W[l](j, k), 4) + ")(" +
                          book::format_number(pass.a[l - 1](k, 0), 4) + ")");
    }
    symbols.push_back("b_" + J + up);
    numbers.push_back("(" + book::format_number(net.b[l](j, 0), 4) + ")");
    const std::string indent(book::display_width(head), ' ');
    return book::wrap_terms(head, symbols, " + ", "", 80, indent) +
           book::wrap_terms(std::string(head.size() - 2, ' ') + "= ", numbers, " + ",
                            " = " + book::format_number(pass.z[l](j, 0), 6), 80, indent);
}

// The formula of each loss for one sample, as the page writes it.
std::string formula_of(backprop::Loss loss)
{
    switch (loss) {
    case backprop::Loss::l1: return "\u2113 = \u03a3_j |a_j \u2212 y_j|";
    case backprop::Loss::quadratic: return "\u2113 = \u00bd \u03a3_j (a_j \u2212 y_j)\u00b2";
    case backprop::Loss::cross_entropy: return "\u2113 = \u2212\u03a3_j [y_j ln a_j + (1 \u2212 y_j) ln(1 \u2212 a_j)]";
    case backprop::Loss::categorical_cross_entropy: return "\u2113 = \u2212\u03a3_j y_j ln a_j";
    }
    return "";
}

constexpr auto pad = book::pad_right;

// The value of every loss on one output, or nothing where the loss does not apply.
//! [three_losses]
std::vector<std::optional<double>> all_loss_values(const Matrix& a,
                                                   const Matrix& y,
                                                   backprop::Activation output)
{
    std::vector<std::optional<double>> values;
    for (backprop::Loss loss : backprop::all_losses()) {
        bool applies = true;
        try {
            backprop::require_compatible(loss, output);
        } catch (const std::invalid_argument&) {
            // cross-entropy after an output that is not a sigmoid
            applies = false;
        }
        values.push_back(
            applies ? std::optional<double>(backprop::loss_value(loss, a, y))
                    : std::nullopt);
    }
    return values;
}
//! [three_losses]

// The loss of each sample of a batch, as a (1, m) row.
Matrix per_sample_loss(backprop::Loss loss, const Matrix& A, const Matrix& Y)
{
    Matrix row = xt::zeros<double>({std::size_t{1}, A.shape(1)});
    for (std::size_t i = 0; i < A.shape(1); ++i) {
        row(0, i) = backprop::loss_value(loss, column_of(A, i), column_of(Y, i));
    }
    return row;
}


// Everything the chapter shows, computed once.
struct Results {
    Options options;
    book::RunningExample ex;                        // the network, x, y and the loss
    backprop::ForwardPass pass;                     // one sample
    double loss_of_sample = 0.0;
    std::vector<std::optional<double>> losses;      // every loss, in all_losses() order
    double kink_distance = 0.0;                     // of the L1 loss
    Batch batch;                                    // m samples as columns
    backprop::ForwardPass batch_pass;
    double batch_loss = 0.0;
    Matrix sample_losses;                           // (1, m)
    double batch_difference = 0.0;                  // batch pass against one-sample passes
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    const std::uint64_t seed = static_cast<std::uint64_t>(o.seed);
    backprop::Random sample_rng(seed + batch_stream);

    // The running example, changed only where a flag asks for it.
    book::RunningExample& ex = r.ex;
    ex = book::running_example(o.seed);
    if (o.sizes != ex.net.sizes || o.sigma != backprop::Activation::sigmoid) {
        ex.net = backprop::make_network(o.sizes, o.sigma, o.sigma, seed);
    }
    if (o.sizes.front() != ex.x.shape(0)) {
        ex.x = sample_rng.uniform_matrix(o.sizes.front(), 1, 0.0, 1.0);
    }
    if (!o.input.empty()) {
        ex.x = xt::zeros<double>({o.input.size(), std::size_t{1}});
        std::copy(o.input.begin(), o.input.end(), ex.x.begin());
    }
    if (o.sizes.back() != ex.y.shape(0)) {
        ex.y = xt::zeros<double>({o.sizes.back(), std::size_t{1}});
        ex.y(0, 0) = 1.0;  // the first class, like the running example's (1, 0)
    }
    ex.loss = o.loss;
    const backprop::Network& net = ex.net;

    //! [forward_one_sample]
    // a^[0] = x, then every layer
    const backprop::ForwardPass pass = backprop::forward(net, ex.x);
    const double loss_of_sample =
        backprop::loss_value(ex.loss, pass.output(), ex.y);
    //! [forward_one_sample]
    r.losses = all_loss_values(pass.output(), ex.y, o.sigma);
    r.kink_distance = backprop::distance_to_kink(backprop::Loss::l1, pass.output(), ex.y);

    //! [forward_batch]
    const Batch batch = make_batch(ex.x, ex.y, o.batch, sample_rng);
    // all m columns at once
    const backprop::ForwardPass batch_pass = backprop::forward(net, batch.X);
    // mean over columns
    const double batch_loss =
        backprop::loss_value(ex.loss, batch_pass.output(), batch.Y);
    //! [forward_batch]
    r.sample_losses = per_sample_loss(ex.loss, batch_pass.output(), batch.Y);
    r.batch_difference = batch_vs_columns(net, batch.X, batch_pass);
    r.pass = pass;
    r.loss_of_sample = loss_of_sample;
    r.batch = batch;
    r.batch_pass = batch_pass;
    r.batch_loss = batch_loss;
    return r;
}

std::string network_name(const Results& r)
{
    return book::join_sizes(r.options.sizes, "-") + " network, " + backprop::name_of(r.options.sigma) +
           " in every layer, parameters from seed " + std::to_string(r.options.seed);
}

// The drawing of the network after the pass, and the losses' plot data.
std::vector<book::FileText> figures(const Results& r)
{
    const book::RunningExample& ex = r.ex;
    book::DrawOptions options;
    options.title = "The forward pass of the " + book::join_sizes(r.options.sizes, "-") + " network (" +
                    backprop::name_of(r.options.sigma) + ", seed " + std::to_string(r.options.seed) + ")";
    options.target = &ex.y;
    options.loss = r.loss_of_sample;
    options.loss_label = (ex.loss == backprop::Loss::l1 ? "L1" : backprop::name_of(ex.loss)) + " loss";
    // Each loss of one output a against the target y = 1, for a in [-0.5, 1.5]:
    // the sigmoid's outputs fill only (0, 1), and the L1 kink sits at its edge.
    std::vector<std::vector<double>> rows;
    for (int i = -100; i <= 300; ++i) {
        const double a = i / 200.0;
        rows.push_back({a, backprop::l1(a, 1.0), backprop::quadratic(a, 1.0), backprop::cross_entropy(a, 1.0),
                        backprop::l1(a, 0.0), backprop::quadratic(a, 0.0), backprop::cross_entropy(a, 0.0)});
    }
    const std::string& dir = r.options.figures;
    return {{book::join_path(dir, "ch04_forward.network.dot"), book::draw_network(ex.net, &r.pass, options)},
            {book::join_path(dir, "ch04_forward.losses.tsv"),
             book::tsv({"a", "l1_y1", "quadratic_y1", "cross_entropy_y1", "l1_y0", "quadratic_y0", "cross_entropy_y0"},
                       rows)}};
}

nlohmann::json json(const Results& r)
{
    const book::RunningExample& ex = r.ex;
    const backprop::Network& net = ex.net;
    const std::size_t L = net.depth();
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t l = 1; l <= L; ++l) {
        layers.push_back({{"layer", l},
                          {"activation", backprop::name_of(net.sigma[l])},
                          {"W", book::to_json(net.W[l])},
                          {"b", book::to_json(net.b[l])},
                          {"z", book::to_json(r.pass.z[l])},
                          {"a", book::to_json(r.pass.a[l])}});
    }
    nlohmann::json all = nlohmann::json::object();
    const std::vector<backprop::Loss> kinds = backprop::all_losses();
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        all[backprop::name_of(kinds[k])] = r.losses[k] ? nlohmann::json(*r.losses[k]) : nlohmann::json(nullptr);
    }
    nlohmann::json batch_layers = nlohmann::json::array();
    for (std::size_t l = 1; l <= L; ++l) {
        batch_layers.push_back(
            {{"layer", l}, {"Z", book::to_json(r.batch_pass.z[l])}, {"A", book::to_json(r.batch_pass.a[l])}});
    }
    return {{"program", "ch04_forward"},
            {"seed", r.options.seed},
            {"sizes", r.options.sizes},
            {"activation", backprop::name_of(r.options.sigma)},
            {"loss", backprop::name_of(ex.loss)},
            {"x", book::to_json(ex.x)},
            {"y", book::to_json(ex.y)},
            {"layers", layers},
            {"output", book::to_json(r.pass.output())},
            {"loss_value", r.loss_of_sample},
            {"losses", all},
            {"l1_distance_to_kink", r.kink_distance},
            {"batch",
             {{"m", r.options.batch},
              {"A0", book::to_json(r.batch.X)},
              {"Y", book::to_json(r.batch.Y)},
              {"layers", batch_layers},
              {"per_sample_loss", book::to_json(r.sample_losses)},
              {"loss_value", r.batch_loss},
              {"max_difference_from_one_sample_passes", r.batch_difference}}}};
}

std::string text(const Results& r)
{
    const book::RunningExample& ex = r.ex;
    const backprop::Network& net = ex.net;
    const std::vector<std::size_t>& sizes = r.options.sizes;
    const std::size_t L = net.depth(), m = r.options.batch;
    constexpr double same_tolerance = 1e-12;
    std::ostringstream out;
    out << "The forward pass, layer by layer\n\n"
        << book::wrap("The " + network_name(r) + " (uniform in Glorot's range).", 80) << "\n"
        << "Layer 0 is the input; w_jk^[l] connects neuron k of layer l-1 to neuron j of\n"
        << "layer l.\n\n"
        << "Layer 0 (input), shape " << shape(sizes[0], 1) << "\n"
        << book::show("a^[0] = x", ex.x) << '\n';
    for (std::size_t l = 1; l <= L; ++l) {
        const std::size_t n = sizes[l], n_prev = sizes[l - 1];
        const std::string act = backprop::name_of(net.sigma[l]);
        out << "Layer " << l << (l == L ? " (output, " : " (hidden, ") << act << ")\n"
            << "  z^[" << l << "] = W^[" << l << "] a^[" << l - 1 << "] + b^[" << l << "]   " << shape(n, n_prev)
            << shape(n_prev, 1) << " + " << shape(n, 1) << " -> " << shape(n, 1) << "\n"
            << "  a^[" << l << "] = " << act << "(z^[" << l << "]), entry by entry   " << shape(n, 1) << " -> "
            << shape(n, 1) << "\n"
            << "W^[" << l << "] is " << shape(n, n_prev) << " and b^[" << l << "] is " << shape(n, 1) << ":\n"
            << book::show(layer_tag("W", l), net.W[l]) << book::show(layer_tag("b", l), net.b[l]);
        if (n_prev <= 6) {
            out << "z^[" << l << "] row by row:\n";
            for (std::size_t j = 0; j < n; ++j) {
                out << weighted_sum_line(net, r.pass, l, j);
            }
        }
        out << book::show(layer_tag("z", l), r.pass.z[l]) << book::show(layer_tag("a", l), r.pass.a[l]) << '\n';
    }
    out << "Output and target, shape " << shape(sizes[L], 1) << "\n"
        << book::show("\u0177 = a^[" + std::to_string(L) + "]", r.pass.output()) << book::show("y", ex.y) << '\n';

    out << "The loss of this sample (the sum over the " << sizes[L] << " output(s))\n";
    const std::vector<backprop::Loss> kinds = backprop::all_losses();
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        out << "  " << book::pad_right(backprop::name_of(kinds[k]), 14) << book::pad_right(formula_of(kinds[k]), 43)
            << " = " << (r.losses[k] ? book::format_number(*r.losses[k]) : std::string("not defined"))
            << (kinds[k] == ex.loss ? "  \u2190 --loss" : "") << "\n";
    }
    if (std::find(r.losses.begin(), r.losses.end(), std::nullopt) != r.losses.end()) {
        out << "  (the cross-entropy takes ln a and ln(1 \u2212 a): it needs a sigmoid output)\n";
    }
    const std::string kink =
        "The L1 loss has a kink where a_j = y_j: |a_j \u2212 y_j| has no derivative there, and the "
        "library's backprop::l1_prime returns 0, a subgradient. The nearest output is min_j |a_j \u2212 y_j| = " +
        book::format_number(r.kink_distance) + " away from it" +
        (r.options.sigma == backprop::Activation::sigmoid
             ? " (a sigmoid output lies strictly inside (0, 1), so with targets 0 and 1 it never reaches the kink)."
             : ".");
    out << "\n" << book::wrap(kink, 80) << "\n\n";

    out << "The batch form: m = " << m << " sample(s) as the columns of A^[0]\n"
        << book::wrap("Column 1 is the input above; the others are drawn from [0, 1) (seed " +
                          std::to_string(r.options.seed) + "), each with a one-hot target.",
                      80)
        << "\n"
        << book::show("A^[0]", r.batch.X) << book::show("Y", r.batch.Y);
    for (std::size_t l = 1; l <= L; ++l) {
        const std::size_t n = sizes[l], n_prev = sizes[l - 1];
        out << "Z^[" << l << "] = W^[" << l << "] A^[" << l - 1 << "] + b^[" << l << "],  " << shape(n, n_prev)
            << shape(n_prev, m) << " + " << shape(n, 1) << " -> " << shape(n, m) << ",\n"
            << "  b^[" << l << "] broadcast over the " << m << " column(s)\n"
            << book::show(layer_tag("Z", l), r.batch_pass.z[l]) << book::show(layer_tag("A", l), r.batch_pass.a[l]);
    }
    out << "Column i of every Z^[l] and A^[l] equals the one-sample pass of column i of\n"
        << "A^[0] (largest difference at most 1e-12): "
        << (r.batch_difference <= same_tolerance ? std::string("yes")
                                                 : "NO, they differ by " + book::format_number(r.batch_difference, 3))
        << "\n"
        << book::show(backprop::name_of(ex.loss) + " loss per column", r.sample_losses)
        << "Batch loss J = mean over the " << m << " column(s) = " << book::format_number(r.batch_loss) << "\n";
    return out.str();
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch04_forward",
                          "Chapter 4: the running example's forward pass, layer by layer, with every shape; "
                          "the same pass over a batch of samples as columns; and the L1, quadratic and "
                          "cross-entropy losses. The defaults are the running example: sizes 2,3,2, sigmoid, "
                          "input (0.8, 0.2), target (1, 0), L1 loss.");
    Options o;
    book::add_sizes(program.app, o.sizes, {2, 10, 100},
                    "Layer sizes n_0,n_1,...,n_L separated by commas: 2 to 10 sizes, each from 1 to 100 "
                    "(the target is (1, 0, ..., 0))");
    book::add_activation(program.app, o.sigma, "Activation of every layer");
    book::add_loss(program.app, o.loss, "The loss (cross-entropy needs --activation sigmoid)");
    book::require_compatible_after_parsing(program, o.loss, o.sigma, "--activation");
    program.whole("--batch", o.batch, 1, 1000,
                  "Samples in the batch form, 1 to 1000: column 1 is the input, the others are drawn from the seed");
    book::add_numbers(program.app, "--input", o.input, -max_input, max_input,
                      "The input a^[0]: n_0 numbers from -1e6 to 1e6 separated by commas (default 0.8,0.2; "
                      "drawn from the seed if n_0 is not 2)");
    program.after_parsing([&o] {
        if (!o.input.empty() && o.input.size() != o.sizes.front()) {
            throw book::BadInput("--input: the input layer has " + std::to_string(o.sizes.front()) +
                                 " neuron(s) (--sizes), so give " + std::to_string(o.sizes.front()) +
                                 " number(s), not " + std::to_string(o.input.size()));
        }
    });
    program.output_directory("--figures", o.figures,
                             "Write the drawing of the network (ch04_forward.network.dot) and the losses' plot "
                             "data (ch04_forward.losses.tsv) into this existing directory, instead of the text")
        ->excludes("--json");

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

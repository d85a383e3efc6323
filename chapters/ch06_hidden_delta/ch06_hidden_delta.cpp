// Chapter 6: the hidden layers' errors δ^[l] = (W^[l+1]ᵀ δ^[l+1]) ⊙ σ'(z^[l]) of the running
// example, walking back from the output, every term of every sum written out with its
// numbers and the shapes (j,k)(k,1) ⊙ (j,1); each layer checked by finite differences on
// z^[l]; wrong formulas caught; and the hidden figures of the backward walk.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
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

constexpr book::SizesLimits sizes_limits{3, 10, 100};  // at least one hidden layer
// --figures draws every edge in every figure, and there are 1 + Σ (n_l + 1) figures:
// with layers of at most 20 the largest set is 169 figures of 3,600 edges each.
constexpr std::size_t max_drawn_layer = 20;
constexpr std::size_t max_terms = 6;       // sums longer than this are not written out term by term
constexpr double check_tolerance = 1e-7;   // the bar for smooth functions (appendix_gradcheck)
constexpr double kink_margin = 1e-2;       // the numeric check moves z by up to 2h = 2e-3
// The input of a network whose n_0 is not 2 is drawn as chapter 4 draws it, from its own stream.
constexpr std::uint64_t input_stream = 0x9E3779B97F4A7C15ull;

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    std::vector<std::size_t> sizes{2, 3, 2};
    Activation sigma = Activation::sigmoid;
    Loss loss = Loss::l1;
    std::string figures;  // the directory, or empty for the text
};

std::string num(double x, int digits = 6) { return book::format_number(x, digits); }

constexpr auto pad = book::pad_right;

std::string shape(std::size_t rows, std::size_t cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

std::string sup(const char* symbol, std::size_t l) { return std::string(symbol) + "^[" + std::to_string(l) + "]"; }

std::string loss_title(Loss loss) { return loss == Loss::l1 ? std::string("L1") : backprop::name_of(loss); }

//! [loss_of_z]
// The loss as a function of z^[l] alone: a^[l] = σ(z^[l]), then the rest of
// the forward pass, layers l+1..L, and the loss. One sample, so J = ℓ.
double loss_of_z(const backprop::Network& net, std::size_t l, const Matrix& z_l,
                 const Matrix& y, Loss loss)
{
    Matrix a = backprop::activate(net.sigma[l], z_l);
    for (std::size_t k = l + 1; k <= net.depth(); ++k) {
        const Matrix z = backprop::weighted_input(net.W[k], net.b[k], a);
        a = backprop::activate(net.sigma[k], z);
    }
    return backprop::loss_value(loss, a, y);
}

// ∂ℓ/∂z^[l] by finite differences, every entry of z^[l] moved in turn.
Matrix numeric_delta(const backprop::Network& net,
                     const backprop::ForwardPass& pass, std::size_t l,
                     const Matrix& y, Loss loss)
{
    Matrix z = pass.z[l];  // the variable
    const auto J = [&] { return loss_of_z(net, l, z, y, loss); };
    return backprop::numeric_gradient(J, z);
}
//! [loss_of_z]

// One layer of the walk back: δ^[l], the pieces it is made of, and its check.
struct LayerError {
    std::size_t layer = 0;
    Matrix back_sum;     // W^[l+1]ᵀ δ^[l+1], (n_l, 1); empty for the output layer
    Matrix sigma_prime;  // σ'(z^[l]), (n_l, 1)
    Matrix delta;        // δ^[l], (n_l, 1)
    Matrix numeric;      // ∂ℓ/∂z^[l] by finite differences
    backprop::GradientReport report;
    double kink_distance = INFINITY;  // of σ at z^[l] (and of the loss, for the output layer)
};

// The errors of every layer, from the output back to layer 1, each checked.
std::vector<LayerError> walk_back(const backprop::Network& net, const backprop::ForwardPass& pass, const Matrix& y,
                                  Loss loss)
{
    const std::size_t L = net.depth();
    const std::vector<Matrix> delta = backprop::backward_deltas(net, pass, y, loss);
    std::vector<LayerError> layers;
    for (std::size_t l = L; l >= 1; --l) {
        LayerError e;
        e.layer = l;
        if (l < L) {
            e.back_sum = backprop::matmul(xt::transpose(net.W[l + 1]), delta[l + 1]);
        }
        e.sigma_prime = backprop::activate_prime(net.sigma[l], pass.z[l]);
        e.delta = delta[l];
        e.numeric = numeric_delta(net, pass, l, y, loss);
        e.report = backprop::compare_gradients(sup("delta", l), e.delta, e.numeric);
        for (double z : pass.z[l]) {
            e.kink_distance = std::min(e.kink_distance, backprop::distance_to_kink(net.sigma[l], z));
        }
        if (l == L) {
            e.kink_distance = std::min(e.kink_distance, backprop::distance_to_kink(loss, pass.a[L], y));
        }
        layers.push_back(e);
    }
    return layers;
}

// What a wrong formula for δ^[l] gives against the numeric ∂ℓ/∂z^[l]: a shape error, or
// the largest relative error of the check.
struct WrongCheck {
    std::string formula;
    std::size_t layer = 0;
    std::optional<std::string> shape_error;
    double max_relative_error = 0.0;
    bool passed() const { return !shape_error && max_relative_error < check_tolerance; }
};

WrongCheck check_wrong(const std::string& formula, std::size_t l, const Matrix& numeric,
                       const std::function<Matrix()>& wrong_delta)
{
    WrongCheck w{formula, l, std::nullopt, 0.0};
    try {
        w.max_relative_error = backprop::compare_gradients("wrong", wrong_delta(), numeric).max_relative_error;
    } catch (const backprop::ShapeError& e) {
        w.shape_error = e.what();
    }
    return w;
}

//! [wrong_hidden_delta]
// Two wrong formulas for δ^[l], given the right δ^[l+1]: σ'(z^[l]) left out,
// and W^[l+1] without its transpose (which fits only when W^[l+1] is square).
std::vector<WrongCheck> wrong_formulas(const backprop::Network& net,
                                       const backprop::ForwardPass& pass,
                                       const Matrix& delta_next, std::size_t l,
                                       const Matrix& numeric)
{
    const Matrix& W = net.W[l + 1];
    const Matrix sigma_prime =
        backprop::activate_prime(net.sigma[l], pass.z[l]);
    const std::string L = std::to_string(l), next = std::to_string(l + 1);
    const auto no_sigma_prime = [&] {  // W^[l+1]ᵀ δ^[l+1]
        return backprop::matmul(xt::transpose(W), delta_next);
    };
    const auto no_transpose = [&] {  // (W^[l+1] δ^[l+1]) ⊙ σ'(z^[l])
        return backprop::hadamard(backprop::matmul(W, delta_next), sigma_prime);
    };
    const std::string without = "without σ'(z^[" + L + "])";
    const std::string untransposed =
        "W^[" + next + "] instead of W^[" + next + "]ᵀ";
    return {check_wrong(without, l, numeric, no_sigma_prime),
            check_wrong(untransposed, l, numeric, no_transpose)};
}
//! [wrong_hidden_delta]


// Everything the chapter shows, computed once.
struct Results {
    Options options;
    book::RunningExample ex;              // the network, x, y and the loss
    backprop::ForwardPass pass;
    double loss_value = 0.0;
    std::vector<LayerError> layers;       // layers[i] is layer L - i
    std::vector<WrongCheck> wrong;        // for δ^[L-1], the first hidden layer walked back
    std::vector<WrongCheck> square_wrong; // for δ^[1] of the square 2-3-3 network
    std::size_t walk_figures = 0;         // the figures of the whole backward walk
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    const std::uint64_t seed = static_cast<std::uint64_t>(o.seed);

    // The running example, changed only where a flag asks for it (as chapter 4 does).
    book::RunningExample& ex = r.ex;
    ex = book::running_example(o.seed);
    if (o.sizes != ex.net.sizes || o.sigma != Activation::sigmoid) {
        ex.net = backprop::make_network(o.sizes, o.sigma, o.sigma, seed);
    }
    if (o.sizes.front() != ex.x.shape(0)) {
        backprop::Random input_rng(seed + input_stream);
        ex.x = input_rng.uniform_matrix(o.sizes.front(), 1, 0.0, 1.0);
    }
    if (o.sizes.back() != ex.y.shape(0)) {
        ex.y = xt::zeros<double>({o.sizes.back(), std::size_t{1}});
        ex.y(0, 0) = 1.0;
    }
    ex.loss = o.loss;
    const backprop::Network& net = ex.net;
    const std::size_t L = net.depth();
    r.pass = backprop::forward(net, ex.x);
    r.loss_value = backprop::loss_value(ex.loss, r.pass.output(), ex.y);

    r.layers = walk_back(net, r.pass, ex.y, ex.loss);
    r.wrong = wrong_formulas(net, r.pass, r.layers[0].delta, L - 1, r.layers[1].numeric);
    // The missing transpose on a square example, where W^[2] δ^[2] fits: sizes 2,3,3.
    const backprop::Network square = backprop::make_network({2, 3, 3}, o.sigma, o.sigma, seed);
    Matrix square_y = xt::zeros<double>({std::size_t{3}, std::size_t{1}});
    square_y(0, 0) = 1.0;
    const Matrix square_x = {{0.8}, {0.2}};
    const backprop::ForwardPass square_pass = backprop::forward(square, square_x);
    const Matrix square_delta2 = backprop::output_delta(ex.loss, o.sigma, square_pass.z[2], square_pass.a[2], square_y);
    r.square_wrong = wrong_formulas(square, square_pass, square_delta2, 1,
                                    numeric_delta(square, square_pass, 1, square_y, ex.loss));
    r.walk_figures = book::walk_length(o.sizes);
    return r;
}

// The hidden figures of the backward walk; the first, δ^[L], is chapter 5's, and the
// gradients at its end chapter 7's.
std::vector<book::FileText> figures(const Results& r)
{
    std::vector<book::FileText> files;
    for (const book::WalkFigure& f : book::backward_walk(r.ex.net, r.pass, r.ex.y, r.ex.loss)) {
        if (f.step == book::WalkStep::hidden_neuron || f.step == book::WalkStep::hidden_layer) {
            files.push_back({book::join_path(r.options.figures, "ch06_hidden_delta." + f.name + ".dot"), f.dot});
        }
    }
    return files;
}

// text broken into lines of at most 78 characters at spaces, each line starting with indent.
std::string wrong_line(const WrongCheck& w)
{
    if (w.shape_error) {
        return "  " + w.formula + ": the shapes do not fit, as they must not:\n" + book::wrap(*w.shape_error, 78, "    ", "    ") + "\n";
    }
    return "  " + w.formula + ": largest relative error " + num(w.max_relative_error, 2) + ": " +
           (w.passed() ? "passes (it should not!)" : "fails, as it must") + "\n";
}

nlohmann::json wrong_json(const std::vector<WrongCheck>& checks)
{
    nlohmann::json list = nlohmann::json::array();
    for (const WrongCheck& w : checks) {
        list.push_back(
            {{"formula", w.formula},
             {"layer", w.layer},
             {"shape_error", w.shape_error ? nlohmann::json(*w.shape_error) : nlohmann::json(nullptr)},
             {"max_relative_error", w.shape_error ? nlohmann::json(nullptr) : nlohmann::json(w.max_relative_error)},
             {"passed", w.passed()}});
    }
    return list;
}

nlohmann::json json(const Results& r)
{
    const backprop::Network& net = r.ex.net;
    const std::size_t L = net.depth();
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerError& e : r.layers) {
        nlohmann::json j = {{"layer", e.layer},
                            {"kind", e.layer == L ? "output" : "hidden"},
                            {"z", book::to_json(r.pass.z[e.layer])},
                            {"sigma_prime", book::to_json(e.sigma_prime)},
                            {"delta", book::to_json(e.delta)},
                            {"numeric", book::to_json(e.numeric)},
                            {"max_relative_error", e.report.max_relative_error},
                            {"passed", e.report.passed(check_tolerance)}};
        if (e.layer < L) {
            j["W_next"] = book::to_json(net.W[e.layer + 1]);
            j["W_next_T_delta_next"] = book::to_json(e.back_sum);
        }
        layers.push_back(j);
    }
    return {{"program", "ch06_hidden_delta"},
            {"seed", r.options.seed},
            {"sizes", r.options.sizes},
            {"activation", backprop::name_of(r.options.sigma)},
            {"loss", backprop::name_of(r.ex.loss)},
            {"x", book::to_json(r.ex.x)},
            {"y", book::to_json(r.ex.y)},
            {"loss_value", r.loss_value},
            {"layers", layers},
            {"wrong_formulas", wrong_json(r.wrong)},
            {"square_example", {{"sizes", {2, 3, 3}}, {"wrong_formulas", wrong_json(r.square_wrong)}}},
            {"walk_figures", r.walk_figures}};
}

// w_kj^[l] with the text's 1-based indices, a comma between them if one has two digits.
std::string weight_symbol(std::size_t k, std::size_t j, std::size_t l)
{
    return "w_" + std::to_string(k) + (k < 10 && j < 10 ? "" : ",") + std::to_string(j) + "^[" + std::to_string(l) +
           "]";
}

// δ_j^[l] written out as the source writes it, with every term of its sum:
//   δ_1^[1] = (w_11^[2] δ_1^[2] + w_21^[2] δ_2^[2]) σ'(z_1^[1])
//           = ((0.2963)(-0.2288) + (0.6346)(0.2351))(0.2083)
//           = (-0.06779 + 0.1492)(0.2083)
//           = (0.08141)(0.2083) = 0.0169584
std::string delta_sum_lines(const backprop::Network& net, const std::vector<LayerError>& layers, std::size_t at,
                            std::size_t j)
{
    const LayerError& e = layers[at];
    const LayerError& next = layers[at - 1];  // layer l+1, one step earlier in the walk
    const std::size_t l = e.layer;
    const std::string J = std::to_string(j + 1);
    const std::string head = "  \u03b4_" + J + "^[" + std::to_string(l) + "] = ";
    const std::string indent(book::display_width(head) - 2, ' ');
    std::vector<std::string> symbols, factors;
    std::string terms;
    for (std::size_t k = 0; k < net.sizes[l + 1]; ++k) {
        const std::string K = std::to_string(k + 1);
        const double w = net.W[l + 1](k, j), d = next.delta(k, 0), term = w * d;
        symbols.push_back(weight_symbol(k + 1, j + 1, l + 1) + " \u03b4_" + K + "^[" + std::to_string(l + 1) + "]");
        factors.push_back("(" + num(w, 4) + ")(" + num(d, 4) + ")");
        terms += k == 0 ? num(term, 4) : (term < 0.0 ? " \u2212 " + num(-term, 4) : " + " + num(term, 4));
    }
    const std::string sp = "(" + num(e.sigma_prime(j, 0), 4) + ")";
    const std::string more = indent + "   ";  // a continued sum starts under its first term
    return book::wrap_terms(head + "(", symbols, " + ", ") \u03c3'(z_" + J + "^[" + std::to_string(l) + "])", 80,
                            more) +
           book::wrap_terms(indent + "= (", factors, " + ", ")" + sp, 80, more) + indent + "= (" + terms + ")" + sp +
           "\n" + indent + "= (" + num(e.back_sum(j, 0), 4) + ")" + sp + " = " + num(e.delta(j, 0)) + "\n";
}

std::string check_table(const LayerError& e)
{
    std::string s = "  j   " + pad("analytic \u03b4_j", 22) + pad("numeric \u2202\u2113/\u2202z_j", 22) + "relative error\n";
    for (std::size_t j = 0; j < e.delta.shape(0); ++j) {
        s += "  " + pad(std::to_string(j + 1), 4) + pad(num(e.delta(j, 0), 12), 22) + pad(num(e.numeric(j, 0), 12), 22) +
             num(backprop::relative_error(e.delta(j, 0), e.numeric(j, 0)), 2) + "\n";
    }
    return s;
}

// One layer of the walk back, from its formula to its check.
std::string layer_text(const Results& r, std::size_t i)
{
    const backprop::Network& net = r.ex.net;
    const backprop::ForwardPass& pass = r.pass;
    const std::vector<std::size_t>& sizes = r.options.sizes;
    const std::size_t L = net.depth();
    const LayerError& e = r.layers[i];
    const std::size_t l = e.layer, n = sizes[l];
    const std::string act = backprop::name_of(net.sigma[l]);
    std::ostringstream out;
    if (l == L) {
        out << "Layer " << l << " (output, " << act << "): " << sup("\u03b4", l) << " = \u2207\u2090\u2113 \u2299 "
            << "\u03c3'(" << sup("z", l) << "), as in chapter 5\n"
            << book::show(sup("z", l), pass.z[l]) << book::show(sup("a", l), pass.a[l])
            << book::show(sup("\u03b4", l), e.delta);
    } else {
        const std::size_t n_next = sizes[l + 1];
        out << "Layer " << l << " (hidden, " << act << "): " << sup("\u03b4", l) << " = (" << sup("W", l + 1)
            << "\u1d40 " << sup("\u03b4", l + 1) << ") \u2299 \u03c3'(" << sup("z", l) << ")\n"
            << "shapes " << shape(n, n_next) << shape(n_next, 1) << " \u2299 " << shape(n, 1) << " -> "
            << shape(n, 1) << "\n"
            << sup("W", l + 1) << " is " << shape(n_next, n) << "; its transpose is " << shape(n, n_next)
            << ", and row j of it is column j of " << sup("W", l + 1) << ":\n"
            << book::show(sup("W", l + 1) + "\u1d40", xt::transpose(net.W[l + 1]))
            << book::show(sup("z", l), pass.z[l]) << book::show("\u03c3'(" + sup("z", l) + ")", e.sigma_prime);
        if (n_next <= max_terms) {
            out << "Entry by entry, \u03b4_j^[" << l << "] = (\u03a3_k w_kj^[" << l + 1 << "] \u03b4_k^[" << l + 1
                << "]) \u03c3'(z_j^[" << l << "]):\n";
            for (std::size_t j = 0; j < n; ++j) {
                out << delta_sum_lines(net, r.layers, i, j);
            }
        }
        out << book::show(sup("W", l + 1) + "\u1d40 " + sup("\u03b4", l + 1), e.back_sum)
            << book::show(sup("\u03b4", l), e.delta);
    }
    out << "Checked by finite differences on " << sup("z", l) << ": \u2113 as a function of " << sup("z", l)
        << " alone\n"
        << check_table(e) << "  largest relative error " << num(e.report.max_relative_error, 2) << ": "
        << (e.report.passed(check_tolerance) ? "passes" : "FAILS") << " (the bar is " << num(check_tolerance)
        << ")\n";
    if (e.kink_distance < kink_margin) {
        out << "  note: an entry is within " << num(kink_margin)
            << " of a kink, where the numeric difference is not a derivative\n";
    }
    out << '\n';
    return out.str();
}

std::string text(const Results& r)
{
    const std::size_t L = r.ex.net.depth();
    std::ostringstream out;
    out << "The hidden errors, walking back from the output\n\n"
        << book::wrap("The " + book::join_sizes(r.options.sizes, "-") + " network, " +
                          backprop::name_of(r.options.sigma) + " in every layer, parameters from seed " +
                          std::to_string(r.options.seed) + ", " + loss_title(r.ex.loss) + " loss.",
                      80)
        << "\n"
        << book::show("x", r.ex.x) << book::show("y", r.ex.y) << '\n';
    for (std::size_t i = 0; i < r.layers.size(); ++i) {
        out << layer_text(r, i);
    }
    out << "Wrong formulas for " << sup("\u03b4", L - 1) << ", against the same numeric gradient\n";
    for (const WrongCheck& w : r.wrong) {
        out << wrong_line(w);
    }
    out << "On a square 2-3-3 network from the same seed, where " << sup("W", 2) << " is (3, 3)\nand "
        << sup("W", 2) << " " << sup("\u03b4", 2) << " fits:\n";
    for (const WrongCheck& w : r.square_wrong) {
        out << wrong_line(w);
    }
    out << "\nThe backward walk of this network has " << r.walk_figures << " figures: one for " << sup("\u03b4", L)
        << ", then, for each\nhidden layer, one per neuron and one for the whole layer, then one per layer for\n"
        << "its gradients. --figures DIR writes the hidden layers' figures; the first is\n"
        << "chapter 5's, the gradients chapter 7's.\n";
    return out.str();
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program(
        "ch06_hidden_delta",
        "Chapter 6: the hidden layers' errors \u03b4^[l] = (W^[l+1]\u1d40 \u03b4^[l+1]) \u2299 \u03c3'(z^[l]) of the "
        "running example, walking back from the output, every term of every sum written out; each layer checked by "
        "finite differences on z^[l]; and wrong formulas that the check catches. The defaults are the running "
        "example: sizes 2,3,2, sigmoid, input (0.8, 0.2), target (1, 0), L1 loss.");
    Options o;
    book::add_loss(program.app, o.loss,
                   "The loss: l1 (the running example's), quadratic or cross-entropy (cross-entropy needs "
                   "--activation sigmoid)");
    book::add_activation(program.app, o.sigma, "Activation of every layer (the running example's is sigmoid)");
    book::require_compatible_after_parsing(program, o.loss, o.sigma, "--activation");
    book::add_sizes(program.app, o.sizes, sizes_limits,
                    "Layer sizes n_0,n_1,...,n_L separated by commas: 3 to 10 sizes (at least one hidden layer), "
                    "each from 1 to 100 (at most 20 with --figures); the input is (0.8, 0.2) if n_0 is 2, else "
                    "drawn from the seed, and the target is (1, 0, ..., 0)");
    program.output_directory("--figures", o.figures,
                             "Write the hidden figures of the backward walk (ch06_hidden_delta.walk2.dot, "
                             "walk3.dot, ...) into this existing directory instead of printing the text; layers "
                             "of at most 20 neurons")
        ->excludes("--json");
    program.after_parsing([&o] {
        const std::size_t widest = *std::max_element(o.sizes.begin(), o.sizes.end());
        if (!o.figures.empty() && widest > max_drawn_layer) {
            throw book::BadInput("--figures: the walk is drawn for layers of at most " +
                                 std::to_string(max_drawn_layer) + " neurons, and --sizes has one of " +
                                 std::to_string(widest));
        }
    });

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

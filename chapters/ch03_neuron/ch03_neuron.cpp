// Chapter 3: one neuron of the running example, z_j = sum_k w_jk a_k + b_j and a_j = sigma(z_j);
// the activations and their derivatives, checked numerically; ReLU's kink; sigmoid at large |z|.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/network.hpp"
#include "backprop/neuron.hpp"
#include "book/cli.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Activation;
using backprop::Matrix;

namespace {

constexpr double numeric_step = 1e-5;   // the central difference's h, as in ch02_chain_rule
constexpr double kink_plot_step = 0.1;  // a large h, so the figure shows what it does at the kink
constexpr double z_limit = 100.0;       // --z range: beyond it sigma is 0 or 1 to the last digit

// The parts of the text, in the order it prints them; `all` is every part.
enum class Section { all, neuron, activations, kink, sigmoid };
const std::vector<std::pair<std::string, Section>> section_names = {{"neuron", Section::neuron},
                                                                    {"activations", Section::activations},
                                                                    {"kink", Section::kink},
                                                                    {"sigmoid", Section::sigmoid},
                                                                    {"all", Section::all}};

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    Activation sigma = Activation::sigmoid;
    std::size_t neuron = 1;   // the text's j, from 1
    std::optional<double> z;  // --z: one more point for the table and the checks
    Section section = Section::all;
    std::string figures;
};

std::string name_of(Section s)
{
    for (const auto& [name, section] : section_names) {
        if (section == s) {
            return name;
        }
    }
    return "";
}

bool shows(const Options& o, Section s) { return o.section == Section::all || o.section == s; }

double value_of(Activation s, double z) { return backprop::activate(s, Matrix{{z}})(0, 0); }
double prime_of(Activation s, double z) { return backprop::activate_prime(s, Matrix{{z}})(0, 0); }

// One derivative check: sigma'(z) from the library against a central difference of sigma.
struct Check {
    Activation sigma;
    double z;
    double value;
    double analytic;
    double numeric;
    double relative_error;
    bool at_kink;  // within h of a kink: the central difference straddles it, so no check
};

Check check_derivative(Activation s, double z)
{
    //! [derivative_check]
    const double analytic = prime_of(s, z);
    const double numeric = backprop::central_difference(
        [s](double t) { return value_of(s, t); }, z, numeric_step);
    const double error = backprop::relative_error(analytic, numeric);
    const bool at_kink = backprop::distance_to_kink(s, z) <= numeric_step;
    //! [derivative_check]
    return {s, z, value_of(s, z), analytic, numeric, error, at_kink};
}

// What the derivative quotients of ReLU give at its kink z = 0, and just beside it.
struct Kink {
    double h, left, right, central, library;
    double error_at_0;  // what a check at the kink would report
    double near_z, near_central, near_library;
};

Kink relu_kink()
{
    const auto relu = [](double t) { return backprop::relu(t); };
    const double h = numeric_step;
    Kink k{};
    k.h = h;
    //! [relu_kink]
    k.left = backprop::forward_difference(relu, -h, h);    // from the left
    k.right = backprop::forward_difference(relu, 0.0, h);  // from the right
    k.central = backprop::central_difference(relu, 0.0, h);
    k.library = backprop::relu_prime(0.0);
    //! [relu_kink]
    k.error_at_0 = backprop::relative_error(k.library, k.central);
    k.near_z = h / 2;
    k.near_central = backprop::central_difference(relu, k.near_z, h);
    k.near_library = backprop::relu_prime(k.near_z);
    return k;
}

// sigmoid at large |z|: the library's forms against the two textbook forms written naively.
struct Large {
    double z, sigmoid, exp_minus, exp_plus, prime, product;
};

Large sigmoid_at(double z)
{
    const double s = backprop::sigmoid(z);
    return {z,
            s,
            1.0 / (1.0 + std::exp(-z)),         // naive: e^{-z} overflows for z < -709
            std::exp(z) / (1.0 + std::exp(z)),  // naive: inf / inf for z > 709
            backprop::sigmoid_prime(z),
            s * (1.0 - s)};  // sigma(1 - sigma): 0 once sigma rounds to 1
}

// Everything the chapter shows, computed once (the parts the chosen section needs).
struct Results {
    Options options;
    book::RunningExample ex;  // layer 1's activation set to --activation
    Matrix w_row;             // row j of W^[1], (1, 2)
    double b_j = 0.0;
    backprop::NeuronOutput out{};
    double slope = 0.0;  // sigma'(z_j)
    Matrix z_layer, a_layer;
    std::vector<double> z_by_neuron;  // each row's z by neuron_weighted_input
    double largest_difference = 0.0;  // between those and z_layer
    std::vector<double> points;       // the z of the table and the checks
    std::vector<Check> checks;        // every activation at every point, in that order
    Kink kink{};
    std::vector<Large> large;
    std::vector<std::vector<double>> curves, kink_rows;  // the plots' data, with --figures
};

// Each activation and its derivative for z from -4 to 4, and ReLU near its kink.
void plot_data(Results& r)
{
    for (int i = -80; i <= 80; ++i) {  // z from -4 to 4 in steps of 0.05
        const double z = i / 20.0;
        std::vector<double> row = {z};
        for (Activation s : backprop::all_activations()) {
            row.push_back(value_of(s, z));
            row.push_back(prime_of(s, z));
        }
        r.curves.push_back(row);
    }
    const auto relu = [](double t) { return backprop::relu(t); };
    for (int i = -60; i <= 60; ++i) {  // z from -0.3 to 0.3 in steps of 0.005
        const double z = i / 200.0;
        r.kink_rows.push_back({z, backprop::relu(z), backprop::relu_prime(z),
                               backprop::central_difference(relu, z, kink_plot_step), kink_plot_step});
    }
}

// Neuron j of layer 1, then the whole layer, each neuron's z compared with its row.
void neuron_and_layer(const Options& o, Results& r)
{
    //! [one_neuron]
    book::RunningExample ex = book::running_example(o.seed);
    ex.net.sigma[1] = o.sigma;
    const Matrix& a_prev = ex.x;     // a^[0], shape (2, 1)
    const std::size_t j = o.neuron;  // from 1, as in the text
    // w_j1, w_j2: shape (1, 2)
    const Matrix w_row = backprop::weight_row(ex.net.W[1], j - 1);
    const double b_j = ex.net.b[1](j - 1, 0);
    const backprop::NeuronOutput out =
        backprop::neuron_forward(o.sigma, w_row, b_j, a_prev);
    //! [one_neuron]
    r.slope = prime_of(o.sigma, out.z);

    //! [whole_layer]
    const Matrix z_layer =
        backprop::weighted_input(ex.net.W[1], ex.net.b[1], a_prev);  // (3, 1)
    const Matrix a_layer = backprop::activate(o.sigma, z_layer);
    //! [whole_layer]
    for (std::size_t row = 0; row < ex.net.sizes[1]; ++row) {
        const double z_row =
            backprop::neuron_weighted_input(backprop::weight_row(ex.net.W[1], row), ex.net.b[1](row, 0), a_prev);
        r.z_by_neuron.push_back(z_row);
        r.largest_difference = std::max(r.largest_difference, std::abs(z_row - z_layer(row, 0)));
    }
    r.ex = ex;
    r.w_row = w_row;
    r.b_j = b_j;
    r.out = out;
    r.z_layer = z_layer;
    r.a_layer = a_layer;
}

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    if (shows(o, Section::neuron)) {
        neuron_and_layer(o, r);
    }
    if (shows(o, Section::activations)) {
        r.points = {-2.0, -0.5, 0.0, 0.5, 2.0};
        if (o.z) {
            r.points.push_back(*o.z);
        }
        for (Activation s : backprop::all_activations()) {
            for (double z : r.points) {
                r.checks.push_back(check_derivative(s, z));
            }
        }
    }
    if (shows(o, Section::kink)) {
        r.kink = relu_kink();
    }
    if (shows(o, Section::sigmoid)) {
        for (double z : {-1000.0, -40.0, 40.0, 1000.0}) {
            r.large.push_back(sigmoid_at(z));
        }
    }
    if (!o.figures.empty()) {
        plot_data(r);
    }
    return r;
}

std::string num(double x, int digits = 6) { return std::isnan(x) ? "nan" : book::format_number(x, digits); }

// s padded with spaces to w characters, and at least one space after it.
std::string pad(const std::string& s, std::size_t w) { return book::pad_right(s + " ", w); }

// text without the spaces that padding leaves at the ends of lines.
std::string without_trailing_spaces(const std::string& text)
{
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string::npos ? text.size() : end;
        std::size_t last = end;
        while (last > start && text[last - 1] == ' ') {
            --last;
        }
        out += text.substr(start, last - start);
        if (end < text.size()) {
            out += '\n';
        }
        start = end + 1;
    }
    return out;
}

// The Graphviz diagram of neuron j with its real numbers.
std::string neuron_dot(const Results& r)
{
    const Matrix& a_prev = r.ex.x;
    const std::string J = std::to_string(r.options.neuron);
    std::ostringstream d;
    d << "// Neuron " << J << " of layer 1 of the running example (ch03_neuron).\n"
      << "digraph neuron {\n"
      << "  rankdir=LR;\n"
      << "  ranksep=0.35;\n"
      << "  bgcolor=\"white\";\n"
      << "  node [fontname=\"sans\", fontsize=12];\n"
      << "  edge [fontname=\"sans\", fontsize=12];\n";
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        const std::string K = std::to_string(k + 1);
        d << "  a" << K << " [shape=ellipse, label=\"a_" << K << "^[0]\\n" << num(a_prev(k, 0)) << "\"];\n";
    }
    d << "  bias [shape=box, style=rounded, label=\"b_" << J << "^[1]\\n"
      << num(r.b_j) << "\"];\n"
      << "  sum [shape=circle, label=\"&Sigma;\"];\n"
      << "  act [shape=box, label=\"" << backprop::name_of(r.options.sigma) << "\"];\n"
      << "  out [shape=ellipse, label=\"a_" << J << "^[1]\\n"
      << num(r.out.a) << "\"];\n";
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        const std::string K = std::to_string(k + 1);
        d << "  a" << K << " -> sum [label=\"w_" << J << K << "^[1] = " << num(r.w_row(0, k)) << "\\nw_" << J << K
          << " a_" << K << " = " << num(r.w_row(0, k) * a_prev(k, 0)) << "\"];\n";
    }
    d << "  bias -> sum;\n"
      << "  sum -> act [label=\"z_" << J << "^[1] = " << num(r.out.z) << "\"];\n"
      << "  act -> out;\n"
      << "}\n";
    return d.str();
}

// The drawing of the neuron, the activations' curves and ReLU near its kink.
std::vector<book::FileText> figures(const Results& r)
{
    const std::string& dir = r.options.figures;
    return {{book::join_path(dir, "ch03_neuron.neuron.dot"), neuron_dot(r)},
            {book::join_path(dir, "ch03_neuron.activations.tsv"),
             book::tsv({"z", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime", "identity",
                        "identity_prime"},
                       r.curves)},
            {book::join_path(dir, "ch03_neuron.relu_kink.tsv"),
             book::tsv({"z", "relu", "relu_prime", "central_difference", "h"}, r.kink_rows)}};
}

nlohmann::json number_or_null(double x) { return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x); }

nlohmann::json json(const Results& r)
{
    nlohmann::json checks = nlohmann::json::array();
    for (const Check& c : r.checks) {
        checks.push_back({{"activation", backprop::name_of(c.sigma)},
                          {"z", c.z},
                          {"value", c.value},
                          {"analytic", c.analytic},
                          {"numeric", c.numeric},
                          {"relative_error", c.relative_error},
                          {"at_kink", c.at_kink}});
    }
    nlohmann::json large = nlohmann::json::array();
    for (const Large& l : r.large) {
        large.push_back({{"z", l.z},
                         {"sigmoid", l.sigmoid},
                         {"naive_one_over_one_plus_exp_minus_z", number_or_null(l.exp_minus)},
                         {"naive_exp_z_over_one_plus_exp_z", number_or_null(l.exp_plus)},
                         {"sigmoid_prime", l.prime},
                         {"sigmoid_times_one_minus_sigmoid", l.product}});
    }
    const Kink& k = r.kink;
    return {{"program", "ch03_neuron"},
            {"seed", r.options.seed},
            {"activation", backprop::name_of(r.options.sigma)},
            {"layer", 1},
            {"neuron", r.options.neuron},
            {"a_prev", book::to_json(r.ex.x)},
            {"w_row", book::to_json(r.w_row)},
            {"b_j", r.b_j},
            {"z_j", r.out.z},
            {"a_j", r.out.a},
            {"sigma_prime_z_j", r.slope},
            {"layer_form",
             {{"W", book::to_json(r.ex.net.W[1])},
              {"b", book::to_json(r.ex.net.b[1])},
              {"z", book::to_json(r.z_layer)},
              {"a", book::to_json(r.a_layer)},
              {"z_by_neuron", r.z_by_neuron},
              {"max_abs_difference", r.largest_difference}}},
            {"numeric_step", numeric_step},
            {"derivative_checks", checks},
            {"relu_kink",
             {{"h", k.h},
              {"left_quotient", k.left},
              {"right_quotient", k.right},
              {"central_difference", k.central},
              {"relu_prime_0", k.library},
              {"relative_error_at_0", k.error_at_0},
              {"near_z", k.near_z},
              {"near_central_difference", k.near_central},
              {"near_relu_prime", k.near_library}}},
            {"sigmoid_large_z", large}};
}

// One neuron, with its sum written out term by term, then the same numbers as rows of
// the layer form.
std::string neuron_text(const Results& r)
{
    const Matrix& a_prev = r.ex.x;
    const std::string s_name = backprop::name_of(r.options.sigma);
    const std::string J = std::to_string(r.options.neuron);
    std::ostringstream out;
    out << "One neuron of the running example (seed " << r.options.seed << "):\n"
        << "neuron " << J << " of layer 1 of the 2-3-2 network, activation " << s_name << "\n\n";
    std::string values, names;
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        const std::string K = std::to_string(k + 1);
        out << "  w_" << J << K << "^[1] = " << pad(num(r.w_row(0, k)), 12) << "a_" << K
            << "^[0] = " << num(a_prev(k, 0)) << '\n';
        names += "w_" + J + K + " a_" + K + " + ";
        values += "(" + num(r.w_row(0, k)) + ")(" + num(a_prev(k, 0)) + ") + ";
    }
    out << "  b_" << J << "^[1]  = " << num(r.b_j) << "\n\n"
        << "  z_" << J << "^[1] = " << names << "b_" << J << '\n'
        << "          = " << values << "(" << num(r.b_j) << ")\n"
        << "          = " << num(r.out.z) << '\n'
        << "  a_" << J << "^[1] = " << s_name << "(z_" << J << "^[1]) = " << num(r.out.a) << '\n'
        << "  " << s_name << "'(z_" << J << "^[1]) = " << num(r.slope) << "\n\n";

    out << "The whole layer, z^[1] = W^[1] a^[0] + b^[1] and a^[1] = " << s_name << "(z^[1]):\n\n"
        << book::show("W^[1]", r.ex.net.W[1]) << book::show("b^[1]", r.ex.net.b[1])
        << book::show("z^[1]", r.z_layer) << book::show("a^[1]", r.a_layer) << '\n'
        << "  j   z_j by neuron_weighted_input   row j of W^[1] a^[0] + b^[1]\n";
    for (std::size_t row = 0; row < r.z_by_neuron.size(); ++row) {
        out << "  " << pad(std::to_string(row + 1), 4) << pad(num(r.z_by_neuron[row], 17), 31)
            << num(r.z_layer(row, 0), 17) << '\n';
    }
    out << "  largest difference: " << num(r.largest_difference) << "\n";
    return out.str();
}

// The four activations and their derivatives at a few points, then every check.
std::string activations_text(const Results& r)
{
    const std::size_t n = r.points.size();
    std::ostringstream out;
    out << "Activations and their derivatives\n\n" << pad("  z", 14);
    for (double z : r.points) {
        out << pad(num(z), 11);
    }
    out << '\n';
    for (std::size_t first = 0; first < r.checks.size(); first += n) {  // one activation's checks
        for (bool derivative : {false, true}) {
            out << "  " << pad(backprop::name_of(r.checks[first].sigma) + (derivative ? "'" : ""), 12);
            for (std::size_t p = first; p < first + n; ++p) {
                out << pad(num(derivative ? r.checks[p].analytic : r.checks[p].value), 11);
            }
            out << '\n';
        }
    }

    out << "\nEach derivative checked against a central difference, h = " << num(numeric_step)
        << "\n(passes below 1e-07)\n\n"
        << "  activation  z     analytic             numeric              relative error\n";
    for (const Check& c : r.checks) {
        out << "  " << pad(backprop::name_of(c.sigma), 12) << pad(num(c.z), 6) << pad(num(c.analytic, 17), 21)
            << pad(num(c.numeric, 17), 21);
        if (c.at_kink) {
            out << "not checked: kink\n";
        } else {
            out << pad(num(c.relative_error, 2), 8) << (c.relative_error < 1e-7 ? "  ok" : "  above 1e-07") << '\n';
        }
    }
    return out.str();
}

std::string kink_text(const Results& r)
{
    const Kink& k = r.kink;
    std::ostringstream out;
    out << "ReLU at its kink z = 0, with h = " << num(k.h) << "\n\n"
        << "  from the left,  (ReLU(0) - ReLU(-h)) / h     = " << num(k.left) << '\n'
        << "  from the right, (ReLU(h) - ReLU(0)) / h      = " << num(k.right) << '\n'
        << "  central, (ReLU(h) - ReLU(-h)) / (2h)         = " << num(k.central) << '\n'
        << "  the library's relu_prime(0), a subgradient   = " << num(k.library) << '\n'
        << "  a check at z = 0 would report relative error " << num(k.error_at_0) << ": a false alarm\n"
        << "  near it, at z = h/2: central difference = " << num(k.near_central)
        << ", relu_prime = " << num(k.near_library) << '\n';
    return out.str();
}

std::string sigmoid_text(const Results& r)
{
    std::ostringstream out;
    out << "sigmoid at large |z|\n\n"
        << "  z        sigmoid(z)    1/(1+e^-z)    e^z/(1+e^z)   sigmoid'(z)   s(1-s)\n";
    for (const Large& l : r.large) {
        out << "  " << pad(num(l.z), 9) << pad(num(l.sigmoid), 14) << pad(num(l.exp_minus), 14)
            << pad(num(l.exp_plus), 14) << pad(num(l.prime), 14) << num(l.product) << '\n';
    }
    return out.str();
}

// The parts --section chose, a blank line between them.
std::string text(const Results& r)
{
    const std::vector<std::pair<Section, std::string (*)(const Results&)>> parts = {
        {Section::neuron, neuron_text},
        {Section::activations, activations_text},
        {Section::kink, kink_text},
        {Section::sigmoid, sigmoid_text}};
    std::string all;
    for (const auto& [section, part] : parts) {
        if (shows(r.options, section)) {
            all += (all.empty() ? "" : "\n") + part(r);
        }
    }
    return without_trailing_spaces(all);
}

void declare_flags(book::Program& program, Options& o)
{
    CLI::App& app = program.app;
    book::add_activation(app, o.sigma,
                         "Activation of the neuron's layer: sigmoid (the running example's), tanh, relu or identity "
                         "(the neuron section and the drawing)");
    program.whole("--neuron", o.neuron, 1, 3, "Which neuron j of hidden layer 1 to show, 1 to 3 (the neuron section and the drawing)");
    CLI::Option* figures = program.output_directory(
        "--figures", o.figures,
        "Write the figure sources (ch03_neuron.neuron.dot, ch03_neuron.activations.tsv, "
        "ch03_neuron.relu_kink.tsv) into this existing directory instead of printing the text");
    figures->excludes("--json");
    app.add_option_function<double>(
           "--z", [&o](double z) { o.z = z; },
           "Also tabulate and check every activation at this z, a number from -100 to 100 "
           "(the activations section)")
        ->check(book::real_number(-z_limit, z_limit))
        ->excludes(figures);
    std::vector<std::string> names;
    for (const auto& [name, section] : section_names) {
        names.push_back(name);
    }
    app.add_option_function<std::string>(
           "--section",
           [&o](const std::string& name) {
               for (const auto& [n, section] : section_names) {
                   o.section = n == name ? section : o.section;
               }
           },
           "Print only one part of the text: neuron (with its layer), activations (values and checks), "
           "kink (ReLU at 0), sigmoid (large |z|), or all; --seed, --activation and --neuron change only the "
           "neuron section, --z only the activations section")
        ->check(book::not_empty())
        ->check(CLI::IsMember(names))
        ->default_str("all")
        ->excludes("--json")
        ->excludes(figures);
    // A flag that changes one part of the text is refused with --section of another.
    program.after_parsing([&app, &o] {
        const std::vector<std::pair<std::string, Section>> changes = {{"--seed", Section::neuron},
                                                                      {"--activation", Section::neuron},
                                                                      {"--neuron", Section::neuron},
                                                                      {"--z", Section::activations}};
        for (const auto& [flag, section] : changes) {
            if (!shows(o, section) && app.count(flag) > 0) {
                throw book::BadInput(flag + ": it changes only the " + name_of(section) + " section, which --section " +
                                     name_of(o.section) + " does not print");
            }
        }
    });
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch03_neuron",
                          "Chapter 3: one neuron of the running example, z_j = sum_k w_jk a_k + b_j and a_j = "
                          "sigma(z_j); sigmoid, tanh, ReLU and identity with their derivatives checked numerically; "
                          "ReLU's kink at 0; sigmoid at large |z|.");
    Options o;
    declare_flags(program, o);

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

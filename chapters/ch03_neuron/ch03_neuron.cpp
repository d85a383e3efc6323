// Chapter 3: one neuron of the running example, z_j = sum_k w_jk a_k + b_j and a_j = sigma(z_j);
// the activations and their derivatives, checked numerically; ReLU's kink; sigmoid at large |z|.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/network.hpp"
#include "backprop/neuron.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Activation;
using backprop::Matrix;

namespace {

constexpr double numeric_step = 1e-5;   // the central difference's h, as in ch02_chain_rule
constexpr double kink_plot_step = 0.1;  // a large h, so the figure shows what it does at the kink
constexpr double z_limit = 100.0;       // --z range: beyond it sigma is 0 or 1 to the last digit

// --z: a real number in [lo, hi], read whole: "nan", "inf", "1e400", "3x" are refused.
CLI::Validator real_number(double lo, double hi)
{
    const std::string range = book::format_number(lo) + " to " + book::format_number(hi);
    return CLI::Validator(
        [lo, hi, range](std::string& text) -> std::string {
            double value = 0.0;
            const char* last = text.data() + text.size();
            const auto [end, ec] = std::from_chars(text.data(), last, value);
            if (ec != std::errc() || end != last || text.empty() || !std::isfinite(value) || value < lo || value > hi) {
                return "must be a number from " + range + ", got '" + text + "'";
            }
            return std::string();
        },
        "");
}

double value_of(Activation s, double z) { return backprop::activate(s, Matrix{{z}})(0, 0); }
double prime_of(Activation s, double z) { return backprop::activate_prime(s, Matrix{{z}})(0, 0); }

std::string num(double x, int digits = 6) { return std::isnan(x) ? "nan" : book::format_number(x, digits); }

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

// s padded with spaces to w characters (UTF-8 aware).
std::string pad(const std::string& s, std::size_t w)
{
    const std::size_t n = book::display_width(s);
    return n >= w ? s + " " : s + std::string(w - n, ' ');
}

// One derivative check: sigma'(z) from the library against a central difference of sigma.
struct Check {
    Activation sigma;
    double z;
    double analytic;
    double numeric;
    double relative_error;
    bool at_kink;  // within h of a kink: the central difference straddles it, so no check
};

Check check_derivative(Activation s, double z)
{
    //! [derivative_check]
    const double analytic = prime_of(s, z);
    const double numeric = backprop::central_difference([s](double t) { return value_of(s, t); }, z, numeric_step);
    const double error = backprop::relative_error(analytic, numeric);
    const bool at_kink = backprop::distance_to_kink(s, z) <= numeric_step;
    //! [derivative_check]
    return {s, z, analytic, numeric, error, at_kink};
}

// What the derivative quotients of ReLU give at its kink z = 0, and just beside it.
struct Kink {
    double h, left, right, central, library;
    double near_z, near_central, near_library;
};

Kink relu_kink()
{
    const auto relu = [](double t) { return backprop::relu(t); };
    const double h = numeric_step;
    Kink k{};
    k.h = h;
    //! [relu_kink]
    k.left = backprop::forward_difference(relu, -h, h);    // (ReLU(0) - ReLU(-h)) / h
    k.right = backprop::forward_difference(relu, 0.0, h);  // (ReLU(h) - ReLU(0)) / h
    k.central = backprop::central_difference(relu, 0.0, h);
    k.library = backprop::relu_prime(0.0);
    //! [relu_kink]
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

nlohmann::json number_or_null(double x) { return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x); }

// The Graphviz diagram of neuron j (1-based) with its real numbers.
std::string neuron_dot(std::size_t j, Activation s, const Matrix& w_row, double b_j, const Matrix& a_prev,
                       const backprop::NeuronOutput& out)
{
    const std::string J = std::to_string(j);
    std::ostringstream d;
    d << "// Neuron " << J << " of layer 1 of the running example (ch03_neuron).\n"
      << "digraph neuron {\n"
      << "  rankdir=LR;\n"
      << "  ranksep=0.35;\n"
      << "  bgcolor=\"transparent\";\n"
      << "  node [fontname=\"sans\", fontsize=12];\n"
      << "  edge [fontname=\"sans\", fontsize=11];\n";
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        const std::string K = std::to_string(k + 1);
        d << "  a" << K << " [shape=ellipse, label=\"a_" << K << "^[0]\\n" << num(a_prev(k, 0)) << "\"];\n";
    }
    d << "  bias [shape=box, style=rounded, label=\"b_" << J << "^[1]\\n"
      << num(b_j) << "\"];\n"
      << "  sum [shape=circle, label=\"&Sigma;\"];\n"
      << "  act [shape=box, label=\"" << backprop::name_of(s) << "\"];\n"
      << "  out [shape=ellipse, label=\"a_" << J << "^[1]\\n"
      << num(out.a) << "\"];\n";
    for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
        const std::string K = std::to_string(k + 1);
        d << "  a" << K << " -> sum [label=\"w_" << J << K << "^[1] = " << num(w_row(0, k)) << "\\nw_" << J << K
          << " a_" << K << " = " << num(w_row(0, k) * a_prev(k, 0)) << "\"];\n";
    }
    d << "  bias -> sum;\n"
      << "  sum -> act [label=\"z_" << J << "^[1] = " << num(out.z) << "\"];\n"
      << "  act -> out;\n"
      << "}\n";
    return d.str();
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{
        "Chapter 3: one neuron of the running example, z_j = sum_k w_jk a_k + b_j and a_j = sigma(z_j); "
        "sigmoid, tanh, ReLU and identity with their derivatives checked numerically; ReLU's kink at 0; "
        "sigmoid at large |z|.",
        "ch03_neuron"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    std::string activation_name = "sigmoid";
    app.add_option("--activation", activation_name,
                   "Activation of the neuron's layer: sigmoid (the running example's), tanh, relu or identity")
        ->capture_default_str();
    std::int64_t neuron = 1;
    app.add_option("--neuron", neuron, "Which neuron j of hidden layer 1 to show, 1 to 3")
        ->check(book::whole_number(1, 3))
        ->capture_default_str();
    double extra_z = 0.0;
    CLI::Option* z_option =
        app.add_option("--z", extra_z, "Also tabulate and check every activation at this z, a number from -100 to 100")
            ->check(real_number(-z_limit, z_limit));
    std::string figures;
    CLI::Option* figures_option =
        app.add_option("--figures", figures,
                       "Write the figure sources (neuron.dot, activations.tsv, relu_kink.tsv) into this existing "
                       "directory instead of printing the text");
    figures_option->excludes(app.get_option("--json"));
    std::string section = "all";
    app.add_option("--section", section,
                   "Print only one part of the text: neuron (with its layer), activations (values and checks), "
                   "kink (ReLU at 0), sigmoid (large |z|), or all")
        ->check(CLI::IsMember({"neuron", "activations", "kink", "sigmoid", "all"}))
        ->excludes(app.get_option("--json"))
        ->excludes(figures_option)
        ->capture_default_str();

    return book::run_program(app, argc, argv, [&](std::ostream& stream) {
        const backprop::Activation sigma = book::activation_flag(activation_name);
        const std::size_t j = static_cast<std::size_t>(neuron);  // the text's j, from 1

        //! [one_neuron]
        book::RunningExample ex = book::running_example(common.seed);
        ex.net.sigma[1] = sigma;
        const Matrix& a_prev = ex.x;                                    // a^[0], shape (2, 1)
        const Matrix w_row = backprop::weight_row(ex.net.W[1], j - 1);  // w_j1, w_j2: shape (1, 2)
        const double b_j = ex.net.b[1](j - 1, 0);
        const backprop::NeuronOutput neuron_out = backprop::neuron_forward(sigma, w_row, b_j, a_prev);
        //! [one_neuron]
        const double slope = prime_of(sigma, neuron_out.z);

        //! [whole_layer]
        const Matrix z_layer = backprop::weighted_input(ex.net.W[1], ex.net.b[1], a_prev);  // (3, 1)
        const Matrix a_layer = backprop::activate(sigma, z_layer);
        //! [whole_layer]
        std::vector<double> z_by_neuron;
        double largest_difference = 0.0;
        for (std::size_t r = 0; r < ex.net.sizes[1]; ++r) {
            const double zr =
                backprop::neuron_weighted_input(backprop::weight_row(ex.net.W[1], r), ex.net.b[1](r, 0), a_prev);
            z_by_neuron.push_back(zr);
            largest_difference = std::max(largest_difference, std::abs(zr - z_layer(r, 0)));
        }

        std::vector<double> points = {-2.0, -0.5, 0.0, 0.5, 2.0};
        if (z_option->count() > 0) {
            points.push_back(extra_z);
        }
        std::vector<Check> checks;
        for (Activation s : backprop::all_activations()) {
            for (double z : points) {
                checks.push_back(check_derivative(s, z));
            }
        }
        const Kink kink = relu_kink();
        std::vector<Large> large;
        for (double z : {-1000.0, -40.0, 40.0, 1000.0}) {
            large.push_back(sigmoid_at(z));
        }

        std::ostringstream out;
        if (figures_option->count() > 0) {
            book::require_directory(figures);
            std::vector<std::vector<double>> curves;
            for (int i = -80; i <= 80; ++i) {  // z from -4 to 4 in steps of 0.05
                const double z = i / 20.0;
                std::vector<double> row = {z};
                for (Activation s : backprop::all_activations()) {
                    row.push_back(value_of(s, z));
                    row.push_back(prime_of(s, z));
                }
                curves.push_back(row);
            }
            std::vector<std::vector<double>> kink_rows;
            const auto relu = [](double t) { return backprop::relu(t); };
            for (int i = -60; i <= 60; ++i) {  // z from -0.3 to 0.3 in steps of 0.005
                const double z = i / 200.0;
                kink_rows.push_back({z, backprop::relu(z), backprop::relu_prime(z),
                                     backprop::central_difference(relu, z, kink_plot_step), kink_plot_step});
            }
            const std::vector<std::pair<std::string, std::string>> files = {
                {"ch03_neuron.neuron.dot", neuron_dot(j, sigma, w_row, b_j, a_prev, neuron_out)},
                {"ch03_neuron.activations.tsv", book::tsv({"z", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
                                                           "relu", "relu_prime", "identity", "identity_prime"},
                                                          curves)},
                {"ch03_neuron.relu_kink.tsv",
                 book::tsv({"z", "relu", "relu_prime", "central_difference", "h"}, kink_rows)}};
            for (const auto& [name, text] : files) {
                book::write_file(book::join_path(figures, name), text);
                out << "wrote " << book::join_path(figures, name) << '\n';
            }
            stream << out.str();
            return 0;
        }

        const std::string s_name = backprop::name_of(sigma);
        const std::string J = std::to_string(j);
        if (common.json) {
            nlohmann::json checks_json = nlohmann::json::array();
            for (const Check& c : checks) {
                checks_json.push_back({{"activation", backprop::name_of(c.sigma)},
                                       {"z", c.z},
                                       {"value", value_of(c.sigma, c.z)},
                                       {"analytic", c.analytic},
                                       {"numeric", c.numeric},
                                       {"relative_error", c.relative_error},
                                       {"at_kink", c.at_kink}});
            }
            nlohmann::json large_json = nlohmann::json::array();
            for (const Large& l : large) {
                large_json.push_back({{"z", l.z},
                                      {"sigmoid", l.sigmoid},
                                      {"naive_one_over_one_plus_exp_minus_z", number_or_null(l.exp_minus)},
                                      {"naive_exp_z_over_one_plus_exp_z", number_or_null(l.exp_plus)},
                                      {"sigmoid_prime", l.prime},
                                      {"sigmoid_times_one_minus_sigmoid", l.product}});
            }
            const nlohmann::json j_doc = {
                {"program", "ch03_neuron"},
                {"seed", common.seed},
                {"activation", s_name},
                {"layer", 1},
                {"neuron", j},
                {"a_prev", book::to_json(a_prev)},
                {"w_row", book::to_json(w_row)},
                {"b_j", b_j},
                {"z_j", neuron_out.z},
                {"a_j", neuron_out.a},
                {"sigma_prime_z_j", slope},
                {"layer_form",
                 {{"W", book::to_json(ex.net.W[1])},
                  {"b", book::to_json(ex.net.b[1])},
                  {"z", book::to_json(z_layer)},
                  {"a", book::to_json(a_layer)},
                  {"z_by_neuron", z_by_neuron},
                  {"max_abs_difference", largest_difference}}},
                {"numeric_step", numeric_step},
                {"derivative_checks", checks_json},
                {"relu_kink",
                 {{"h", kink.h},
                  {"left_quotient", kink.left},
                  {"right_quotient", kink.right},
                  {"central_difference", kink.central},
                  {"relu_prime_0", kink.library},
                  {"relative_error_at_0", backprop::relative_error(kink.library, kink.central)},
                  {"near_z", kink.near_z},
                  {"near_central_difference", kink.near_central},
                  {"near_relu_prime", kink.near_library}}},
                {"sigmoid_large_z", large_json}};
            stream << j_doc.dump(2) << '\n';
            return 0;
        }

        // One neuron, with its sum written out term by term.
        std::ostringstream neuron_text;
        neuron_text << "One neuron of the running example (seed " << common.seed << "):\n"
                    << "neuron " << J << " of layer 1 of the 2-3-2 network, activation " << s_name << "\n\n";
        std::string values, names;
        for (std::size_t k = 0; k < a_prev.shape(0); ++k) {
            const std::string K = std::to_string(k + 1);
            neuron_text << "  w_" << J << K << "^[1] = " << pad(num(w_row(0, k)), 12) << "a_" << K
                        << "^[0] = " << num(a_prev(k, 0)) << '\n';
            names += "w_" + J + K + " a_" + K + " + ";
            values += "(" + num(w_row(0, k)) + ")(" + num(a_prev(k, 0)) + ") + ";
        }
        neuron_text << "  b_" << J << "^[1]  = " << num(b_j) << "\n\n"
                    << "  z_" << J << "^[1] = " << names << "b_" << J << '\n'
                    << "          = " << values << "(" << num(b_j) << ")\n"
                    << "          = " << num(neuron_out.z) << '\n'
                    << "  a_" << J << "^[1] = " << s_name << "(z_" << J << "^[1]) = " << num(neuron_out.a) << '\n'
                    << "  " << s_name << "'(z_" << J << "^[1]) = " << num(slope) << "\n\n";

        // The same numbers as rows of the layer form.
        neuron_text << "The whole layer, z^[1] = W^[1] a^[0] + b^[1] and a^[1] = " << s_name << "(z^[1]):\n\n"
                    << book::show("W^[1]", ex.net.W[1]) << book::show("b^[1]", ex.net.b[1])
                    << book::show("z^[1]", z_layer) << book::show("a^[1]", a_layer) << '\n'
                    << "  j   z_j by neuron_weighted_input   row j of W^[1] a^[0] + b^[1]\n";
        for (std::size_t r = 0; r < z_by_neuron.size(); ++r) {
            neuron_text << "  " << pad(std::to_string(r + 1), 4) << pad(num(z_by_neuron[r], 17), 31)
                        << num(z_layer(r, 0), 17) << '\n';
        }
        neuron_text << "  largest difference: " << num(largest_difference) << "\n";

        // The four activations and their derivatives at a few points.
        std::ostringstream table;
        table << "Activations and their derivatives\n\n" << pad("  z", 14);
        for (double z : points) {
            table << pad(num(z), 11);
        }
        table << '\n';
        for (Activation s : backprop::all_activations()) {
            for (bool derivative : {false, true}) {
                table << "  " << pad(backprop::name_of(s) + (derivative ? "'" : ""), 12);
                for (double z : points) {
                    table << pad(num(derivative ? prime_of(s, z) : value_of(s, z)), 11);
                }
                table << '\n';
            }
        }

        table << "\nEach derivative checked against a central difference, h = " << num(numeric_step)
              << " (passes below 1e-07)\n\n"
              << "  activation  z      analytic             numeric              relative error\n";
        for (const Check& c : checks) {
            table << "  " << pad(backprop::name_of(c.sigma), 12) << pad(num(c.z), 7);
            if (c.at_kink) {
                table << pad(num(c.analytic, 17), 21) << pad(num(c.numeric, 17), 21)
                      << "not checked: within h of the kink\n";
            } else {
                table << pad(num(c.analytic, 17), 21) << pad(num(c.numeric, 17), 21) << pad(num(c.relative_error, 2), 8)
                      << (c.relative_error < 1e-7 ? "  ok" : "  above 1e-07") << '\n';
            }
        }

        std::ostringstream relu_text;
        relu_text << "ReLU at its kink z = 0, with h = " << num(kink.h) << "\n\n"
                  << "  from the left,  (ReLU(0) - ReLU(-h)) / h     = " << num(kink.left) << '\n'
                  << "  from the right, (ReLU(h) - ReLU(0)) / h      = " << num(kink.right) << '\n'
                  << "  central, (ReLU(h) - ReLU(-h)) / (2h)         = " << num(kink.central) << '\n'
                  << "  the library's relu_prime(0), a subgradient   = " << num(kink.library) << '\n'
                  << "  a check at z = 0 would report relative error "
                  << num(backprop::relative_error(kink.library, kink.central)) << ": a false alarm\n"
                  << "  near it, at z = h/2: central difference = " << num(kink.near_central)
                  << ", relu_prime = " << num(kink.near_library) << '\n';

        std::ostringstream large_text;
        large_text << "sigmoid at large |z|\n\n"
                   << "  z        sigmoid(z)    1/(1+e^-z)    e^z/(1+e^z)   sigmoid'(z)   s(1-s)\n";
        for (const Large& l : large) {
            large_text << "  " << pad(num(l.z), 9) << pad(num(l.sigmoid), 14) << pad(num(l.exp_minus), 14)
                       << pad(num(l.exp_plus), 14) << pad(num(l.prime), 14) << num(l.product) << '\n';
        }
        const std::vector<std::pair<std::string, std::string>> sections = {{"neuron", neuron_text.str()},
                                                                           {"activations", table.str()},
                                                                           {"kink", relu_text.str()},
                                                                           {"sigmoid", large_text.str()}};
        std::string text;
        for (const auto& [name, part] : sections) {
            if (section == "all" || section == name) {
                text += (text.empty() ? "" : "\n") + part;
            }
        }
        stream << without_trailing_spaces(text);
        return 0;
    });
}

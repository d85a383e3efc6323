// Appendix A: gradient checking in depth. The relative error and its bands; the step h,
// central difference against Richardson extrapolation; kinks and subgradients (ReLU);
// and the same gradient check of the running example in float and in double.
//
// compute() runs the library and returns the numbers; text(), json() and figures() show
// them; main() declares the flags and chooses a renderer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <xtensor/xmanipulation.hpp>

#include "backprop/backward.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/precision.hpp"
#include "book/cli.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Difference;
using backprop::GradientReport;
using backprop::Matrix;
using backprop::PrecisionCheck;

namespace {

// The parts of the text, for --section.
enum class Section { all, bands, step, kink, float_vs_double };

const std::vector<std::pair<std::string, Section>> section_names = {{"bands", Section::bands},
                                                                    {"step", Section::step},
                                                                    {"kink", Section::kink},
                                                                    {"float", Section::float_vs_double},
                                                                    {"all", Section::all}};

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    double step = backprop::gradcheck_step;  // of the float-and-double check
    Section section = Section::all;
    std::string figures;
};

constexpr double eps_float = std::numeric_limits<float>::epsilon();
constexpr double eps_double = std::numeric_limits<double>::epsilon();

// ---------------------------------------------------------------------------
// 1. The relative error and its bands.

struct Band {
    const char* name;
    const char* meaning;
};

//! [bands]
// CS231n's reading of the relative error r of a gradient check. The book's bar
// (GradientReport::passed) is the last band: r below 1e-7.
Band band_of(double r)
{
    if (r < 1e-7)
        return {"good", "the bar for smooth functions in double"};
    if (r < 1e-4)
        return {"kinks only", "fine near a kink, too large if smooth"};
    if (r < 1e-2)
        return {"uncomfortable", "a bug, or a step or precision problem"};
    return {"wrong", "the gradient is probably wrong"};  // also a NaN
}
//! [bands]

// "w_12^[1]" or "b_2^[1]": the worst entry of a report, named as the text names it.
std::string entry_name(const GradientReport& r)
{
    // "W^[1]" and (row 1, column 0) give w_21^[1], the book's name for that weight.
    const std::string layer = r.name.substr(1);  // "^[1]"
    const std::string symbol = r.name[0] == 'W' ? "w" : "b";
    return symbol + "_" + std::to_string(r.row + 1) + (r.name[0] == 'b' ? "" : std::to_string(r.col + 1)) + layer;
}

// The gradients of a network in NetworkCheck's order: W^[1], b^[1], W^[2], ...
std::vector<Matrix> in_check_order(const backprop::Gradients& grads)
{
    std::vector<Matrix> tensors;
    for (std::size_t l = 1; l < grads.grad_W.size(); ++l) {
        tensors.push_back(grads.grad_W[l]);
        tensors.push_back(grads.grad_b[l]);
    }
    return tensors;
}

double max_abs_difference(const Matrix& A, const Matrix& B)
{
    return xt::amax(xt::abs(A - B))();
}

// ---------------------------------------------------------------------------
// 2. The step h, for one weight of the running example.

constexpr int steps_per_decade = 4;
constexpr int first_k = 1 * steps_per_decade;  // h = 10^{-k/4}, 1e-1 ...
constexpr int last_k = 10 * steps_per_decade;  // ... to 1e-10

struct StepRow {
    double h, central_double, richardson_double, central_float, richardson_float;
};

// The relative error at W^[1]_11 of the check in each precision, each against its own
// backpropagation, for every step of the grid.
std::vector<StepRow> sweep_steps(const book::RunningExample& ex)
{
    const auto at_w11 = [](const PrecisionCheck& c) {
        return backprop::relative_error(c.analytic[0](0, 0), c.check.numeric[0](0, 0));
    };
    std::vector<StepRow> rows;
    for (int k = first_k; k <= last_k; ++k) {
        const double h = std::pow(10.0, -static_cast<double>(k) / steps_per_decade);
        rows.push_back(
            {h, at_w11(backprop::check_network_in<double>(ex.net, ex.x, ex.y, ex.loss, Difference::central, h)),
             at_w11(backprop::check_network_in<double>(ex.net, ex.x, ex.y, ex.loss, Difference::richardson, h)),
             at_w11(backprop::check_network_in<float>(ex.net, ex.x, ex.y, ex.loss, Difference::central, h)),
             at_w11(backprop::check_network_in<float>(ex.net, ex.x, ex.y, ex.loss, Difference::richardson, h))});
    }
    return rows;
}

struct Best {
    double h, error;
};

Best best_of(const std::vector<StepRow>& rows, double StepRow::*column)
{
    const auto it = std::min_element(rows.begin(), rows.end(),
                                     [column](const StepRow& p, const StepRow& q) { return p.*column < q.*column; });
    return {it->h, (*it).*column};
}

// ---------------------------------------------------------------------------
// 3. Kinks: ReLU in the hidden layer, with z^[1]_1 moved to a distance d from 0.

struct KinkRow {
    double distance, h;
    GradientReport worst;           // over all 17 parameters
    std::size_t crossing = 0;       // entries whose check steps across a kink
    std::size_t entries = 0;
    double worst_elsewhere = 0.0;   // the largest error among the other entries
};

// The running example with ReLU in layer 1, b^[1]_1 chosen so that z^[1]_1 = d.
backprop::Network relu_example(const book::RunningExample& ex, double d)
{
    backprop::Network net = ex.net;
    net.sigma[1] = backprop::Activation::relu;
    const Matrix zero_b = xt::zeros<double>({net.sizes[1], std::size_t{1}});
    const double w_dot_a = backprop::weighted_input(net.W[1], zero_b, ex.x)(0, 0);
    net.b[1](0, 0) = d - w_dot_a;  // z = b + w.a = d (exactly 0 for d = 0)
    return net;
}

// The sign pattern of every ReLU layer's z: which neurons are on.
std::vector<bool> relu_pattern(const backprop::Network& net, const Matrix& x)
{
    const backprop::ForwardPass pass = backprop::forward(net, x);
    std::vector<bool> on;
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        if (net.sigma[l] == backprop::Activation::relu) {
            for (double z : pass.z[l]) {
                on.push_back(z > 0.0);
            }
        }
    }
    return on;
}

//! [kink_detection]
// Richardson's formula evaluates the loss from t - 2h to t + 2h. If a ReLU is
// on at one end and off at the other, the check of this entry straddles a
// kink. (The two ends are enough unless a neuron switches twice within 4h.)
bool crosses_kink(backprop::Network& net, const Matrix& x, Matrix& param,
                  std::size_t i, std::size_t j, double h)
{
    const double original = param(i, j);
    param(i, j) = original - 2.0 * h;
    const std::vector<bool> at_left = relu_pattern(net, x);
    param(i, j) = original + 2.0 * h;
    const std::vector<bool> at_right = relu_pattern(net, x);
    param(i, j) = original;
    return at_left != at_right || at_left != relu_pattern(net, x);
}
//! [kink_detection]

// The library's check of the ReLU network at distance d with step h, and which of its
// entries step across a kink.
KinkRow kink_check(const book::RunningExample& ex, double d, double h)
{
    backprop::Network net = relu_example(ex, d);
    const backprop::Gradients grads = backprop::backward(net, backprop::forward(net, ex.x), ex.y, ex.loss);
    const backprop::NetworkCheck check =
        backprop::check_network_gradients(net, backprop::loss_function(net, ex.x, ex.y, ex.loss), grads, h);
    KinkRow row{d, h, check.worst()};
    const std::vector<Matrix> analytic = in_check_order(grads);
    for (std::size_t t = 0; t < analytic.size(); ++t) {
        Matrix& param = t % 2 == 0 ? net.W[t / 2 + 1] : net.b[t / 2 + 1];  // as tensor_name(t)
        for (std::size_t i = 0; i < param.shape(0); ++i) {
            for (std::size_t j = 0; j < param.shape(1); ++j) {
                ++row.entries;
                if (crosses_kink(net, ex.x, param, i, j, h)) {
                    ++row.crossing;
                } else {
                    row.worst_elsewhere = std::max(
                        row.worst_elsewhere, backprop::relative_error(analytic[t](i, j), check.numeric[t](i, j)));
                }
            }
        }
    }
    return row;
}

// The loss as a function of b^[1]_1 at the kink (d = 0): the slopes on either side, the
// numeric derivative across it, and the library's subgradient.
struct KinkSlopes {
    double left, right, numeric, library;
};

KinkSlopes kink_slopes(const book::RunningExample& ex)
{
    backprop::Network net = relu_example(ex, 0.0);
    const double b = net.b[1](0, 0);
    const std::function<double()> J = backprop::loss_function(net, ex.x, ex.y, ex.loss);
    const backprop::ScalarFunction J_of_b = [&](double t) {
        net.b[1](0, 0) = t;
        const double value = J();
        net.b[1](0, 0) = b;
        return value;
    };
    const double one_sided = 1e-6;
    //! [one_sided_slopes]
    const double right = backprop::forward_difference(J_of_b, b, one_sided);
    const double left = -backprop::forward_difference(
        [&](double s) { return J_of_b(b - s); }, 0.0, one_sided);
    const double numeric =
        backprop::richardson_difference(J_of_b, b, backprop::gradcheck_step);
    //! [one_sided_slopes]
    const backprop::Gradients grads = backprop::backward(net, backprop::forward(net, ex.x), ex.y, ex.loss);
    return {left, right, numeric, grads.grad_b[1](0, 0)};
}

// ---------------------------------------------------------------------------
// Everything the appendix shows, computed once.

struct Results {
    Options options;
    // 1. The library's check of the running example, and a wrong formula's.
    GradientReport library, wrong;
    // 2. The step sweep for W^[1]_11 and the best step of each column.
    double swept_gradient = 0.0;  // dJ/dW^[1]_11 by the library's backpropagation
    std::vector<StepRow> sweep;
    Best best_central_double{}, best_richardson_double{}, best_central_float{}, best_richardson_float{};
    // 3. Kinks.
    KinkSlopes slopes{};
    std::vector<KinkRow> kinks;
    // 4. Float against double at the step --step.
    PrecisionCheck float_central, float_richardson, double_central, double_richardson;
    double J_double = 0.0;  // the library's loss
    double template_gradient_difference = 0.0, template_numeric_difference = 0.0, float_analytic_error = 0.0;
    Best float_best{};            // float's best central step on a grid, for the whole check
    double roundoff_float = 0.0;  // eps |J| / 2h
    double measured_float = 0.0;  // |analytic - numeric| at float's worst entry
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    const book::RunningExample ex = book::running_example(o.seed);

    // The library's own check of the running example, and a wrong formula.
    backprop::Network net = ex.net;
    const backprop::ForwardPass pass = backprop::forward(net, ex.x);
    const backprop::Gradients grads = backprop::backward(net, pass, ex.y, ex.loss);
    const std::function<double()> J = backprop::loss_function(net, ex.x, ex.y, ex.loss);
    r.library = backprop::check_network_gradients(net, J, grads, backprop::gradcheck_step).worst();
    //! [wrong_formula]
    // delta^[1] without sigma'(z^[1]): W^[2]^T delta^[2] alone.
    const Matrix delta_wrong =
        backprop::matmul(xt::transpose(net.W[2]), grads.delta[2]);
    const Matrix grad_W1_wrong = backprop::weight_gradient(delta_wrong, ex.x);
    //! [wrong_formula]
    r.wrong = backprop::compare_gradients("W^[1]", grad_W1_wrong, backprop::numeric_gradient(J, net.W[1]));

    // 4. Float against double, at the step --step: the library's precision path.
    //! [float_against_double]
    r.float_central = backprop::check_network_in<float>(
        ex.net, ex.x, ex.y, ex.loss, Difference::central, o.step);
    r.float_richardson = backprop::check_network_in<float>(
        ex.net, ex.x, ex.y, ex.loss, Difference::richardson, o.step);
    r.double_central = backprop::check_network_in<double>(
        ex.net, ex.x, ex.y, ex.loss, Difference::central, o.step);
    r.double_richardson = backprop::check_network_in<double>(
        ex.net, ex.x, ex.y, ex.loss, Difference::richardson, o.step);
    //! [float_against_double]
    // The double instance of the precision path against the library.
    const std::vector<Matrix> lib = in_check_order(grads);
    const std::vector<Matrix> lib_numeric = backprop::check_network_gradients(net, J, grads, o.step).numeric;
    for (std::size_t t = 0; t < lib.size(); ++t) {
        r.template_gradient_difference =
            std::max(r.template_gradient_difference, max_abs_difference(r.double_richardson.analytic[t], lib[t]));
        r.template_numeric_difference = std::max(
            r.template_numeric_difference, max_abs_difference(r.double_richardson.check.numeric[t], lib_numeric[t]));
        r.float_analytic_error = std::max(
            r.float_analytic_error,
            backprop::compare_gradients(backprop::tensor_name(t), r.float_richardson.analytic[t], lib[t])
                .max_relative_error);
    }
    r.J_double = backprop::loss_value(ex.loss, pass.output(), ex.y);
    // The best float step on a grid of 4 per decade, 1e-1 to 1e-5, for the whole check.
    r.float_best = {0.0, INFINITY};
    for (int k = 4; k <= 20; ++k) {
        const double h = std::pow(10.0, -k / 4.0);
        const double e = backprop::check_network_in<float>(ex.net, ex.x, ex.y, ex.loss, Difference::central, h)
                             .check.worst()
                             .max_relative_error;
        if (e < r.float_best.error) {
            r.float_best = {h, e};
        }
    }
    // The round-off estimate: each value of J is off by up to about eps |J| / 2, so their
    // difference by up to eps |J|, and the central difference by up to eps |J| / 2h.
    r.roundoff_float = eps_float * r.float_central.J / (2.0 * o.step);
    const GradientReport& fw = r.float_central.check.worst();
    r.measured_float = std::abs(fw.analytic - fw.numeric);

    // 2. The step h, for W^[1]_11.
    r.sweep = sweep_steps(ex);
    r.best_central_double = best_of(r.sweep, &StepRow::central_double);
    r.best_richardson_double = best_of(r.sweep, &StepRow::richardson_double);
    r.best_central_float = best_of(r.sweep, &StepRow::central_float);
    r.best_richardson_float = best_of(r.sweep, &StepRow::richardson_float);
    r.swept_gradient = grads.grad_W[1](0, 0);

    // 3. Kinks.
    r.slopes = kink_slopes(ex);
    r.kinks = {kink_check(ex, 0.0, 1e-3), kink_check(ex, 5e-4, 1e-3), kink_check(ex, 5e-2, 1e-3),
               kink_check(ex, 5e-4, 1e-5)};
    return r;
}

// ---------------------------------------------------------------------------
// Rendering.

std::string num(double x, int digits = 6) { return std::isnan(x) ? "nan" : book::format_number(x, digits); }

constexpr auto pad = book::pad_left;

constexpr auto left = book::pad_right;

// Where each check lands, for the bands.
std::vector<std::pair<std::string, double>> landings(const Results& r)
{
    const std::string step = num(r.options.step);
    return {{"double, Richardson h = 0.001, the library's check", r.library.max_relative_error},
            {"double, central h = " + step, r.double_central.check.worst().max_relative_error},
            {"float, Richardson h = " + step, r.float_richardson.check.worst().max_relative_error},
            {"float, central h = " + step, r.float_central.check.worst().max_relative_error},
            {"ReLU hidden layer, z^[1]_1 = 0 (at the kink)", r.kinks[0].worst.max_relative_error},
            {"a wrong formula: delta^[1] without sigma'", r.wrong.max_relative_error}};
}

// The plot data of the step sweep.
std::vector<book::FileText> figures(const Results& r)
{
    std::vector<std::vector<double>> rows;
    for (const StepRow& s : r.sweep) {
        rows.push_back({s.h, s.central_double, s.richardson_double, s.central_float, s.richardson_float});
    }
    return {{book::join_path(r.options.figures, "appendix_gradcheck.step_error.tsv"),
             book::tsv({"h", "central_double", "richardson_double", "central_float", "richardson_float"}, rows)}};
}

nlohmann::json report_json(const GradientReport& r)
{
    return {{"tensor", r.name},
            {"entry", {r.row, r.col}},
            {"max_relative_error", r.max_relative_error},
            {"analytic", r.analytic},
            {"numeric", r.numeric},
            {"band", band_of(r.max_relative_error).name},
            {"passed", r.passed()}};
}

nlohmann::json check_json(const PrecisionCheck& c)
{
    nlohmann::json analytic, numeric;
    for (std::size_t t = 0; t < c.analytic.size(); ++t) {
        analytic[backprop::tensor_name(t)] = book::to_json(c.analytic[t]);
        numeric[backprop::tensor_name(t)] = book::to_json(c.check.numeric[t]);
    }
    const GradientReport& worst = c.check.worst();
    return {{"J", c.J}, {"analytic", analytic}, {"numeric", numeric}, {"worst", report_json(worst)},
            {"max_relative_error", worst.max_relative_error}, {"passed", worst.passed()}};
}

nlohmann::json best_json(const Best& b, const char* error_name)
{
    return {{"h", b.h}, {error_name, b.error}};
}

nlohmann::json json(const Results& r)
{
    nlohmann::json landing = nlohmann::json::array();
    for (const auto& [what, e] : landings(r)) {
        landing.push_back({{"check", what}, {"max_relative_error", e}, {"band", band_of(e).name}});
    }
    nlohmann::json h = nlohmann::json::array(), cd = h, rd = h, cf = h, rf = h;
    for (const StepRow& s : r.sweep) {
        h.push_back(s.h);
        cd.push_back(s.central_double);
        rd.push_back(s.richardson_double);
        cf.push_back(s.central_float);
        rf.push_back(s.richardson_float);
    }
    nlohmann::json kink_rows = nlohmann::json::array();
    for (const KinkRow& k : r.kinks) {
        kink_rows.push_back({{"distance", k.distance},
                             {"h", k.h},
                             {"worst", report_json(k.worst)},
                             {"entries", k.entries},
                             {"crossing_a_kink", k.crossing},
                             {"max_relative_error_elsewhere", k.worst_elsewhere}});
    }
    return {{"program", "appendix_gradcheck"},
            {"seed", r.options.seed},
            {"step", r.options.step},
            {"bands", {{{"band", "wrong"}, {"from", 1e-2}, {"to", nullptr}},
                       {{"band", "uncomfortable"}, {"from", 1e-4}, {"to", 1e-2}},
                       {{"band", "kinks only"}, {"from", 1e-7}, {"to", 1e-4}},
                       {{"band", "good"}, {"from", 0.0}, {"to", 1e-7}}}},
            {"landings", landing},
            {"library_check", report_json(r.library)},
            {"wrong_formula", report_json(r.wrong)},
            {"step_sweep",
             {{"parameter", "W^[1]_11"},
              {"analytic", r.swept_gradient},
              {"h", h},
              {"relative_error",
               {{"central_double", cd}, {"richardson_double", rd}, {"central_float", cf}, {"richardson_float", rf}}},
              {"best",
               {{"central_double", best_json(r.best_central_double, "relative_error")},
                {"richardson_double", best_json(r.best_richardson_double, "relative_error")},
                {"central_float", best_json(r.best_central_float, "relative_error")},
                {"richardson_float", best_json(r.best_richardson_float, "relative_error")}}}}},
            {"kink",
             {{"network", "running example with ReLU in layer 1, z^[1]_1 = distance"},
              {"slopes_at_the_kink",
               {{"parameter", "b^[1]_1"},
                {"left", r.slopes.left},
                {"right", r.slopes.right},
                {"numeric", r.slopes.numeric},
                {"library", r.slopes.library}}},
              {"rows", kink_rows}}},
            {"float_vs_double",
             {{"epsilon", {{"float", eps_float}, {"double", eps_double}}},
              {"J_library", r.J_double},
              {"float", {{"central", check_json(r.float_central)},
                         {"richardson", check_json(r.float_richardson)},
                         {"best_central_step", best_json(r.float_best, "max_relative_error")}}},
              {"double", {{"central", check_json(r.double_central)}, {"richardson", check_json(r.double_richardson)}}},
              {"template_against_library",
               {{"J", std::abs(r.double_richardson.J - r.J_double)},
                {"analytic", r.template_gradient_difference},
                {"numeric", r.template_numeric_difference}}},
              {"float_analytic_against_double", r.float_analytic_error},
              {"roundoff_estimate", r.roundoff_float},
              {"measured_error_at_worst_entry", r.measured_float}}}};
}

std::string bands_text(const Results& r)
{
    std::ostringstream out;
    out << "1. The relative error and its bands\n\n"
        << "r = |analytic - numeric| / max(|analytic|, |numeric|, " << num(backprop::gradcheck_tiny)
        << "),\nthe worst entry over every parameter\n\n"
        << "  " << left("r", 18) << left("band", 15) << "meaning (CS231n)\n";
    for (const auto& [range, e] : std::vector<std::pair<std::string, double>>{
             {"1e-2 <= r", 1.0}, {"1e-4 <= r < 1e-2", 1e-3}, {"1e-7 <= r < 1e-4", 1e-5}, {"r < 1e-7", 0.0}}) {
        out << "  " << left(range, 18) << left(band_of(e).name, 15) << band_of(e).meaning << '\n';
    }
    out << "\nWhere this appendix's checks of the running example (seed " << r.options.seed << ") land:\n\n";
    for (const auto& [what, e] : landings(r)) {
        out << "  " << left(what, 50) << pad(num(e, 2), 9) << "  " << band_of(e).name << '\n';
    }
    return out.str();
}

std::string step_text(const Results& r)
{
    std::ostringstream out;
    out << "2. Choosing the step h: the weight W^[1]_11 of the running example (seed " << r.options.seed << ")\n\n"
        << "dJ/dW^[1]_11 = " << num(r.swept_gradient, 12) << " by backpropagation\n"
        << "Relative error of the numeric derivative against the step h, each\n"
        << "precision against its own backpropagation:\n\n"
        << pad("h", 7) << pad("central", 12) << pad("Richardson", 12) << pad("central", 12) << pad("Richardson", 12)
        << '\n'
        << pad("", 7) << pad("double", 12) << pad("double", 12) << pad("float", 12) << pad("float", 12) << '\n';
    for (std::size_t i = 0; i < r.sweep.size(); i += steps_per_decade) {
        const StepRow& s = r.sweep[i];
        out << pad("1e-" + std::to_string((first_k + static_cast<int>(i)) / steps_per_decade), 7)
            << pad(num(s.central_double, 2), 12) << pad(num(s.richardson_double, 2), 12)
            << pad(num(s.central_float, 2), 12) << pad(num(s.richardson_float, 2), 12) << '\n';
    }
    out << "\nThe best step on a grid of " << steps_per_decade << " per decade:\n";
    for (const auto& [name, b] : std::vector<std::pair<std::string, Best>>{
             {"central, double", r.best_central_double},
             {"Richardson, double", r.best_richardson_double},
             {"central, float", r.best_central_float},
             {"Richardson, float", r.best_richardson_float}}) {
        out << "  " << left(name, 20) << "h = " << left(num(b.h, 2), 9) << "relative error "
            << left(num(b.error, 2), 9) << " " << band_of(b.error).name << '\n';
    }
    return out.str();
}

std::string kink_text(const Results& r)
{
    std::ostringstream out;
    out << "3. Kinks: the running example with ReLU in layer 1 (seed " << r.options.seed << ")\n\n"
        << "b^[1]_1 is set so that z^[1]_1 = d. ReLU has no derivative at z = 0;\n"
        << "the library uses the subgradient ReLU'(0) = 0.\n\n"
        << "At d = 0, J as a function of b^[1]_1:\n"
        << "  slope from the left               " << num(r.slopes.left, 6) << '\n'
        << "  slope from the right              " << num(r.slopes.right, 6) << '\n'
        << "  Richardson across the kink        " << num(r.slopes.numeric, 6) << " (h = "
        << num(backprop::gradcheck_step) << ")\n"
        << "  backpropagation (the subgradient) " << num(r.slopes.library, 6) << "\n\n"
        << pad("d", 8) << pad("h", 8) << pad("worst r", 10) << "  " << left("at", 10) << left("band", 15)
        << "crossing  " << "others\n";
    for (const KinkRow& k : r.kinks) {
        out << pad(num(k.distance), 8) << pad(num(k.h), 8) << pad(num(k.worst.max_relative_error, 2), 10) << "  "
            << left(entry_name(k.worst), 10) << left(band_of(k.worst.max_relative_error).name, 15)
            << left(std::to_string(k.crossing) + " of " + std::to_string(k.entries), 10) << num(k.worst_elsewhere, 2)
            << '\n';
    }
    out << "\ncrossing: the entries whose check, from t - 2h to t + 2h, switches a\n"
        << "ReLU on or off; others: the worst r of all the other entries.\n";
    return out.str();
}

std::string float_text(const Results& r)
{
    const GradientReport& fw = r.float_central.check.worst();
    std::ostringstream out;
    out << "4. Float against double: the running example (seed " << r.options.seed
        << "),\none template in both precisions\n\n"
        << "  machine epsilon   float " << num(eps_float, 6) << "   double " << num(eps_double, 6) << '\n'
        << "  J                 float " << num(r.float_central.J, 9) << "   double " << num(r.double_richardson.J, 17)
        << '\n'
        << "  the double instance against the library: J differs by "
        << num(std::abs(r.double_richardson.J - r.J_double), 2) << ",\n"
        << "  the gradients by " << num(r.template_gradient_difference, 2) << ", the numeric gradients by "
        << num(r.template_numeric_difference, 2) << '\n'
        << "  float's backpropagation against double's: relative error " << num(r.float_analytic_error, 2)
        << "\n\n"
        << "Gradient check of the 17 parameters, step h = " << num(r.options.step) << ", worst entry:\n\n"
        << "  " << left("", 12) << pad("float", 9) << left("", 10) << pad("double", 9) << '\n';
    for (const auto& [name, f, d] : std::vector<std::tuple<std::string, const PrecisionCheck*, const PrecisionCheck*>>{
             {"central", &r.float_central, &r.double_central},
             {"Richardson", &r.float_richardson, &r.double_richardson}}) {
        const double rf = f->check.worst().max_relative_error, rd = d->check.worst().max_relative_error;
        out << "  " << left(name, 12) << pad(num(rf, 2), 9) << "  " << left(rf < 1e-7 ? "passes" : "fails", 8)
            << pad(num(rd, 2), 9) << "  " << (rd < 1e-7 ? "passes" : "fails") << '\n';
    }
    out << "\nThe bar is 1e-07. Float's best central step on a grid of 4 per decade,\n"
        << "h = " << num(r.float_best.h, 2) << ", still leaves " << num(r.float_best.error, 2) << ".\n\n"
        << "Why float fails: each value of J is rounded to float, an error of\n"
        << "about eps |J| / 2 = " << num(eps_float * r.float_central.J / 2.0, 2)
        << ". The central difference divides the\n"
        << "difference of two such values by 2h, so its error is up to about\n"
        << "eps |J| / 2h = " << num(r.roundoff_float, 2) << ", whatever the size of the gradient.\n"
        << "At the worst entry, " << entry_name(fw) << ", the gradient is " << num(fw.analytic, 4)
        << " and the\ncentral difference is off by " << num(r.measured_float, 2) << ", a relative error of "
        << num(fw.max_relative_error, 2) << ".\n";
    return out.str();
}

// The parts --section chose, separated by blank lines.
std::string text(const Results& r)
{
    const std::vector<std::pair<Section, std::string (*)(const Results&)>> parts = {
        {Section::bands, bands_text}, {Section::step, step_text}, {Section::kink, kink_text},
        {Section::float_vs_double, float_text}};
    std::string out;
    for (const auto& [section, part] : parts) {
        if (r.options.section == Section::all || r.options.section == section) {
            out += (out.empty() ? "" : "\n") + part(r);
        }
    }
    return out;
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("appendix_gradcheck",
                          "Appendix A: gradient checking in depth. The relative error and its bands; choosing the "
                          "step h (central difference against Richardson extrapolation); kinks and subgradients "
                          "(ReLU); and the gradient check of the running example in float and in double. Every run "
                          "checks the 17 parameters of the running example: it takes well under a second.");
    Options o;
    CLI::Option* step = program.real("--step", o.step, 1e-8, 0.1,
                                     "The step h of the float-and-double check and of its lines in the bands, "
                                     "1e-8 to 0.1");
    CLI::Option* figures_option = program.output_directory(
        "--figures", o.figures,
        "Write the plot data appendix_gradcheck.step_error.tsv into this existing directory instead of "
        "printing the text");
    figures_option->excludes("--json")->excludes(step);
    CLI::Option* section =
        program.app
            .add_option_function<std::string>(
                "--section",
                [&o](const std::string& name) {
                    o.section = std::find_if(section_names.begin(), section_names.end(), [&](const auto& s) {
                                    return s.first == name;
                                })->second;
                },
                "Print only one part of the text: bands, step, kink, float, or all")
            ->check(book::not_empty())
            ->check(CLI::IsMember(section_names))
            ->default_str("all")
            ->excludes("--json")
            ->excludes(figures_option);
    program.after_parsing([&o, step, section] {
        if (step->count() > 0 && (o.section == Section::step || o.section == Section::kink)) {
            throw book::BadInput("--step: sets the step of the float-and-double check, which --section " +
                                 section->as<std::string>() + " does not print; choose --section float, bands or all");
        }
    });

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

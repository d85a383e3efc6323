// Chapter 2: the derivative as a limit and its numeric approximations, the error of a
// numeric derivative against the step h, partial derivatives of xy, the chain rule on
// e^{-x}, the gradient of a scalar function of a matrix, and gradient descent on J(w).
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
#include <utility>
#include <vector>

#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/matmul.hpp"
#include "book/cli.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Matrix;

namespace {

// ---------------------------------------------------------------------------
// The examples. Their derivatives are worked out by hand on the page; the program
// checks them against the numeric derivatives of the library.

//! [example_exp]
// f(x) = e^{-x}; by the chain rule f'(x) = e^{-x} * (-1) = -e^{-x}.
double f_exp(double x) { return std::exp(-x); }
double f_exp_prime(double x) { return -std::exp(-x); }
//! [example_exp]

//! [example_matrix_function]
// f(W) = sum_j e^{-(W a)_j} for W of shape (n, k) and a fixed column a
// of shape (k, 1). By the chain rule df/dW_jk = -e^{-(W a)_j} a_k, so
// grad_W f = -e^{-W a} a^T, shape (n, 1)(1, k) = (n, k), the shape of W.
double f_of_W(const Matrix& W, const Matrix& a)
{
    const Matrix z = backprop::matmul(W, a);
    return xt::sum(xt::exp(-z))();
}

Matrix grad_f_of_W(const Matrix& W, const Matrix& a)
{
    const Matrix z = backprop::matmul(W, a);
    const Matrix outer_slope = -xt::exp(-z);  // d e^{-z_j} / d z_j
    const Matrix a_T = xt::transpose(a);      // d z_j / d W_jk = a_k
    return backprop::matmul(outer_slope, a_T);
}
//! [example_matrix_function]

// The same formula with the chain rule's inner factor -1 forgotten: +e^{-W a} a^T.
Matrix wrong_grad_f_of_W(const Matrix& W, const Matrix& a) { return -grad_f_of_W(W, a); }

//! [example_objective]
// J(w) = e^{w-2} + e^{2-w}, smallest at w = 2 where J = 2. The chain
// rule on each term gives dJ/dw = e^{w-2} * 1 + e^{2-w} * (-1).
double J(double w) { return std::exp(w - 2.0) + std::exp(2.0 - w); }
double dJ_dw(double w) { return std::exp(w - 2.0) - std::exp(2.0 - w); }
//! [example_objective]

// ---------------------------------------------------------------------------
// The experiments.

// The relative errors of the three numeric derivatives of e^{-x} at x for one step h.
struct StepRow {
    double h, forward, central, richardson;
};

// Steps per decade of the sweep, and its first and last exponent: h = 10^{-k / 8}
// for k = 8..104, that is 1e-1 down to 1e-13.
constexpr int steps_per_decade = 8;
constexpr int first_k = 1 * steps_per_decade;
constexpr int last_k = 13 * steps_per_decade;

constexpr double machine_epsilon = std::numeric_limits<double>::epsilon();

std::vector<StepRow> sweep_steps(double x)
{
    const double exact = f_exp_prime(x);
    std::vector<StepRow> rows;
    for (int k = first_k; k <= last_k; ++k) {
        const double h = std::pow(10.0, -static_cast<double>(k) / steps_per_decade);
        //! [step_sweep]
        const double forward = backprop::forward_difference(f_exp, x, h);
        const double central = backprop::central_difference(f_exp, x, h);
        const double richardson = backprop::richardson_difference(f_exp, x, h);
        rows.push_back({h, backprop::relative_error(exact, forward),
                        backprop::relative_error(exact, central),
                        backprop::relative_error(exact, richardson)});
        //! [step_sweep]
    }
    return rows;
}

struct BestStep {
    double h;
    double error;
};

// The step with the smallest error in one column of the sweep.
BestStep best_step(const std::vector<StepRow>& rows, double StepRow::*column)
{
    const auto it = std::min_element(rows.begin(), rows.end(),
                                     [column](const StepRow& p, const StepRow& q) { return p.*column < q.*column; });
    return {it->h, (*it).*column};
}

struct Iterate {
    int k;
    double w, J, dJ_dw;
};

struct Descent {
    std::vector<Iterate> iterates;  // w_0, w_1, ... while J(w_k) is a finite number
    bool diverged = false;          // J(w) grew beyond the largest double
    double runaway_w = 0.0;         // the first w_k whose J(w_k) overflowed
};

Descent descend(double w0, double alpha, int steps)
{
    Descent d;
    double w = w0;
    for (int k = 0;; ++k) {
        const double J_w = J(w), slope = dJ_dw(w);
        if (!std::isfinite(J_w) || !std::isfinite(slope)) {
            d.diverged = true;
            d.runaway_w = w;
            break;
        }
        d.iterates.push_back({k, w, J_w, slope});
        if (k == steps) {
            break;
        }
        //! [descent_loop]
        // w := w - alpha dJ/dw
        w = backprop::gradient_descent_step(w, slope, alpha);
        //! [descent_loop]
    }
    return d;
}

// ---------------------------------------------------------------------------
// The flags, and everything the chapter shows, computed once.

// The parts of the output, in order; --only picks one.
enum class Part { all, steps, partial, chain, matrix, descent };

const std::vector<std::pair<std::string, Part>>& part_names()
{
    static const std::vector<std::pair<std::string, Part>> names = {{"steps", Part::steps},
                                                                     {"partial", Part::partial},
                                                                     {"chain", Part::chain},
                                                                     {"matrix", Part::matrix},
                                                                     {"descent", Part::descent}};
    return names;
}

std::string name_of(Part part)
{
    for (const auto& [name, p] : part_names()) {
        if (p == part) {
            return name;
        }
    }
    return "all";
}

struct Options {
    std::int64_t seed = 1;
    double x = 1.0;         // where e^{-x} is differentiated
    double alpha = 0.1;     // gradient descent's learning rate
    double w0 = 0.0;        // and its starting point
    int steps = 20;         // and its number of steps
    Part only = Part::all;  // --only
    std::string figures;    // the directory of the plot data, or "": text or JSON
};

// Whether a run with these options computes and shows the part: the figures are the
// step sweep's and the descent's.
bool uses(const Options& o, Part part)
{
    if (!o.figures.empty()) {
        return part == Part::steps || part == Part::descent;
    }
    return o.only == Part::all || o.only == part;
}

// 2. Partial derivatives of f(x, y) = xy at the point (px, py).
struct Partials {
    double px = 0.0, py = 0.0;        // the point (x, y)
    double f_x = 0.0, f_y = 0.0;      // central differences
    double error_x = 0.0, error_y = 0.0;
};

Partials partial_derivatives(double px, double py)
{
    //! [partial_derivatives]
    // f(x, y) = xy as a function of x alone (y held fixed), then of y alone.
    const backprop::ScalarFunction f_of_x = [py](double t) { return t * py; };
    const backprop::ScalarFunction f_of_y = [px](double t) { return px * t; };
    const double f_x = backprop::central_difference(f_of_x, px);
    const double f_y = backprop::central_difference(f_of_y, py);
    //! [partial_derivatives]
    return {px, py, f_x, f_y, backprop::relative_error(py, f_x), backprop::relative_error(px, f_y)};
}

// 3. The chain rule on e^{-x}, at x.
struct Chain {
    double outer_slope = 0.0, inner_slope = 0.0, chained = 0.0, direct = 0.0;
    double error_chained = 0.0, error_direct = 0.0;  // against the exact -e^{-x}
};

Chain chain_rule(double x)
{
    //! [chain_rule]
    // f(u) = e^u, u = g(x) = -x, and the composite f(g(x)) = e^{-x}
    const backprop::ScalarFunction f = [](double u) { return std::exp(u); };
    const backprop::ScalarFunction g = [](double t) { return -t; };
    const backprop::ScalarFunction f_of_g = [&](double t) { return f(g(t)); };
    // f'(g(x)) g'(x), each slope numerically, against (f o g)'(x)
    const double outer_slope = backprop::central_difference(f, g(x));
    const double inner_slope = backprop::central_difference(g, x);
    const double chained = outer_slope * inner_slope;
    const double direct = backprop::central_difference(f_of_g, x);
    //! [chain_rule]
    const double exact = f_exp_prime(x);
    return {outer_slope, inner_slope, chained, direct, backprop::relative_error(exact, chained),
            backprop::relative_error(exact, direct)};
}

// 4. The gradient of f(W) = sum_j e^{-(W a)_j}, checked entry by entry.
struct MatrixCheck {
    Matrix W, a;
    double f = 0.0;  // f(W)
    Matrix analytic, numeric;
    backprop::GradientReport report;  // the formula -e^{-W a} a^T
    backprop::GradientReport wrong;   // the formula with the inner -1 forgotten
};

MatrixCheck check_matrix_gradient(Matrix W, const Matrix& a)
{
    //! [matrix_gradient_check]
    const Matrix analytic = grad_f_of_W(W, a);
    const Matrix numeric =
        backprop::numeric_gradient([&] { return f_of_W(W, a); }, W);
    const backprop::GradientReport report =
        backprop::compare_gradients("W", analytic, numeric);
    const backprop::GradientReport wrong =
        backprop::compare_gradients("W", wrong_grad_f_of_W(W, a), numeric);
    //! [matrix_gradient_check]
    return {W, a, f_of_W(W, a), analytic, numeric, report, wrong};
}

struct Results {
    Options options;
    double exact = 0.0;  // -e^{-x}
    // 1. The error of a numeric derivative against the step h.
    std::vector<StepRow> sweep;
    BestStep best_forward{}, best_central{}, best_richardson{};
    Partials partial;    // 2.
    Chain chain;         // 3.
    MatrixCheck matrix;  // 4.
    // 5. Gradient descent on J(w).
    Descent descent;
    double slope_numeric = 0.0;  // dJ/dw at w_0, numerically
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    r.exact = f_exp_prime(o.x);
    const book::RunningExample ex = book::running_example(o.seed);
    if (uses(o, Part::steps)) {
        r.sweep = sweep_steps(o.x);
        r.best_forward = best_step(r.sweep, &StepRow::forward);
        r.best_central = best_step(r.sweep, &StepRow::central);
        r.best_richardson = best_step(r.sweep, &StepRow::richardson);
    }
    if (uses(o, Part::partial)) {
        r.partial = partial_derivatives(ex.x(0, 0), ex.x(1, 0));  // the running example's input
    }
    if (uses(o, Part::chain)) {
        r.chain = chain_rule(o.x);
    }
    if (uses(o, Part::matrix)) {
        r.matrix = check_matrix_gradient(ex.net.W[1], ex.x);  // W^[1] and a^[0]
    }
    if (uses(o, Part::descent)) {
        r.descent = descend(o.w0, o.alpha, o.steps);
        r.slope_numeric = backprop::richardson_difference(J, o.w0);
    }
    return r;
}

// ---------------------------------------------------------------------------
// The plot data, the JSON document and the text.

std::vector<book::FileText> figures(const Results& r)
{
    std::vector<std::vector<double>> error_rows, best_rows;
    for (const StepRow& s : r.sweep) {
        error_rows.push_back({s.h, s.forward, s.central, s.richardson});
    }
    int method = 1;
    for (const BestStep& b : {r.best_forward, r.best_central, r.best_richardson}) {
        best_rows.push_back({static_cast<double>(method++), b.h, b.error});
    }
    // Two data blocks (gnuplot's index 0 and 1), separated by two blank lines.
    const std::string step_error = book::tsv({"h", "forward", "central", "richardson"}, error_rows) + "\n\n" +
                                   book::tsv({"method", "best_h", "error"}, best_rows);

    // J(w) over the iterates' range (and the minimum), the iterates, and the tangent at
    // w_0: J(w_0) + J'(w_0)(w - w_0).
    const std::vector<Iterate>& its = r.descent.iterates;
    double lo = 2.0, hi = 2.0;
    for (const Iterate& it : its) {
        lo = std::min(lo, it.w);
        hi = std::max(hi, it.w);
    }
    lo = std::max(lo - 1.0, -12.0);
    hi = std::min(hi + 1.0, 16.0);
    std::vector<std::vector<double>> curve, iterates, tangent;
    constexpr int n = 200;
    for (int i = 0; i <= n; ++i) {
        const double w = lo + (hi - lo) * i / n;
        curve.push_back({w, J(w)});
    }
    for (const Iterate& it : its) {
        iterates.push_back({static_cast<double>(it.k), it.w, it.J, it.dJ_dw});
    }
    const Iterate& t = its.front();
    for (double dw : {-0.6, 0.6}) {
        tangent.push_back({t.w + dw, t.J + t.dJ_dw * dw});
    }
    const std::string descent = book::tsv({"w", "J"}, curve) + "\n\n" +
                                book::tsv({"k", "w", "J", "dJ_dw"}, iterates) + "\n\n" +
                                book::tsv({"w", "tangent_at_w0"}, tangent);

    const std::string& dir = r.options.figures;
    return {{book::join_path(dir, "ch02_chain_rule.step_error.tsv"), step_error},
            {book::join_path(dir, "ch02_chain_rule.descent.tsv"), descent}};
}

nlohmann::json best_json(const BestStep& b) { return {{"h", b.h}, {"relative_error", b.error}}; }

nlohmann::json iterate_json(const Iterate& it)
{
    return {{"k", it.k}, {"w", it.w}, {"J", it.J}, {"dJ_dw", it.dJ_dw}};
}

nlohmann::json json(const Results& r)
{
    const Options& o = r.options;
    nlohmann::json j = {{"program", "ch02_chain_rule"}, {"seed", o.seed}};
    if (uses(o, Part::steps)) {
        nlohmann::json h = nlohmann::json::array(), fe = nlohmann::json::array(), ce = nlohmann::json::array(),
                       re = nlohmann::json::array();
        for (const StepRow& s : r.sweep) {
            h.push_back(s.h);
            fe.push_back(s.forward);
            ce.push_back(s.central);
            re.push_back(s.richardson);
        }
        j["steps"] = {{"function", "exp(-x)"},
                      {"x", o.x},
                      {"exact_derivative", r.exact},
                      {"machine_epsilon", machine_epsilon},
                      {"h", h},
                      {"relative_error", {{"forward", fe}, {"central", ce}, {"richardson", re}}},
                      {"best",
                       {{"forward", best_json(r.best_forward)},
                        {"central", best_json(r.best_central)},
                        {"richardson", best_json(r.best_richardson)}}}};
    }
    if (uses(o, Part::partial)) {
        const Partials& p = r.partial;
        j["partial"] = {{"function", "x*y"},
                        {"x", p.px},
                        {"y", p.py},
                        {"f_x", {{"exact", p.py}, {"numeric", p.f_x}}},
                        {"f_y", {{"exact", p.px}, {"numeric", p.f_y}}}};
    }
    if (uses(o, Part::chain)) {
        const Chain& c = r.chain;
        j["chain"] = {{"function", "exp(-x)"},
                      {"x", o.x},
                      {"outer_slope", c.outer_slope},
                      {"inner_slope", c.inner_slope},
                      {"chained", c.chained},
                      {"direct", c.direct},
                      {"exact", r.exact},
                      {"relative_error_chained", c.error_chained},
                      {"relative_error_direct", c.error_direct}};
    }
    if (uses(o, Part::matrix)) {
        const MatrixCheck& m = r.matrix;
        j["matrix"] = {{"function", "sum_j exp(-(W a)_j)"},
                       {"W", book::to_json(m.W)},
                       {"a", book::to_json(m.a)},
                       {"f", m.f},
                       {"analytic", book::to_json(m.analytic)},
                       {"numeric", book::to_json(m.numeric)},
                       {"step", backprop::gradcheck_step},
                       {"max_relative_error", m.report.max_relative_error},
                       {"at", {m.report.row, m.report.col}},
                       {"passed", m.report.passed()},
                       {"wrong_formula",
                        {{"max_relative_error", m.wrong.max_relative_error}, {"passed", m.wrong.passed()}}}};
    }
    if (uses(o, Part::descent)) {
        nlohmann::json its = nlohmann::json::array();
        for (const Iterate& it : r.descent.iterates) {
            its.push_back(iterate_json(it));
        }
        j["descent"] = {{"function", "exp(w-2) + exp(2-w)"},
                        {"alpha", o.alpha},
                        {"w0", o.w0},
                        {"steps", o.steps},
                        {"numeric_dJ_dw_at_w0", r.slope_numeric},
                        {"iterates", its},
                        {"diverged", r.descent.diverged},
                        {"minimum", {{"w", 2.0}, {"J", 2.0}}}};
        if (r.descent.diverged) {
            j["descent"]["runaway_w"] = r.descent.runaway_w;
        }
    }
    return j;
}

// s right-aligned in a field of `width` characters.
constexpr auto pad = book::pad_left;

std::string num(double x, int digits = 6) { return book::format_number(x, digits); }

std::string verdict(bool passed) { return passed ? "passes" : "fails"; }

std::string best_line(const char* label, const BestStep& b)
{
    return std::string("  ") + label + "h = " + pad(num(b.h, 2), 7) + ", relative error " + num(b.error, 2) + '\n';
}

std::string steps_text(const Results& r)
{
    std::ostringstream out;
    out << "1. The derivative as a limit, with a finite step h\n\n"
        << "f(x) = e^{-x} at x = " << num(r.options.x) << ": f'(x) = -e^{-x} = " << num(r.exact, 15) << "\n"
        << "Relative error of the numeric derivative against the step h:\n\n"
        << pad("h", 7) << pad("forward", 12) << pad("central", 12) << pad("Richardson", 12) << '\n';
    for (std::size_t i = 0; i < r.sweep.size(); i += steps_per_decade) {
        const StepRow& s = r.sweep[i];
        const std::string h_label = "1e-" + std::to_string((first_k + static_cast<int>(i)) / steps_per_decade);
        out << pad(h_label, 7) << pad(num(s.forward, 2), 12) << pad(num(s.central, 2), 12)
            << pad(num(s.richardson, 2), 12) << '\n';
    }
    out << "\nThe best step on a grid of " << steps_per_decade << " steps per decade (machine epsilon "
        << num(machine_epsilon, 3) << "):\n"
        << best_line("forward     ", r.best_forward) << best_line("central     ", r.best_central)
        << best_line("Richardson  ", r.best_richardson);
    return out.str();
}

std::string partial_text(const Results& r)
{
    const Partials& p = r.partial;
    std::ostringstream out;
    out << "2. Partial derivatives of f(x, y) = xy at (x, y) = (" << num(p.px) << ", " << num(p.py)
        << "),\n   the running example's input\n\n"
        << "  \u2202f/\u2202x = y = " << num(p.py) << "   central difference " << num(p.f_x, 15)
        << ",\n    relative error " << num(p.error_x, 2) << '\n'
        << "  \u2202f/\u2202y = x = " << num(p.px) << "   central difference " << num(p.f_y, 15)
        << ",\n    relative error " << num(p.error_y, 2) << '\n';
    return out.str();
}

std::string chain_text(const Results& r)
{
    const Chain& c = r.chain;
    std::ostringstream out;
    out << "3. The chain rule on e^{-x} = f(g(x)), f(u) = e^u, g(x) = -x, at x = " << num(r.options.x) << "\n\n"
        << "  f'(g(x)) = e^{-x}, numerically        " << num(c.outer_slope, 15) << '\n'
        << "  g'(x)    = -1, numerically            " << num(c.inner_slope, 15) << '\n'
        << "  f'(g(x)) g'(x), the product           " << num(c.chained, 15) << '\n'
        << "  d e^{-x}/dx, numerically, directly    " << num(c.direct, 15) << '\n'
        << "  -e^{-x}, exactly                      " << num(r.exact, 15) << '\n'
        << "  relative errors: product " << num(c.error_chained, 2) << ", direct " << num(c.error_direct, 2)
        << '\n';
    return out.str();
}

std::string matrix_text(const Results& r)
{
    const MatrixCheck& m = r.matrix;
    std::ostringstream out;
    out << "4. The gradient of a scalar function of a matrix\n\n"
        << "f(W) = \u03a3_j e^{-(W a)_j}, W = W^[1] and a = a^[0] of the running example\n(seed "
        << r.options.seed << ")\n\n"
        << book::show("W", m.W) << book::show("a", m.a) << "f(W) = " << num(m.f) << "\n\n"
        << "By the chain rule, \u2207_W f = -e^{-W a} a\u1d40:\n"
        << book::show("\u2207_W f", m.analytic, 10)
        << "Numerically, entry by entry (Richardson, h = " << num(backprop::gradcheck_step) << "):\n"
        << book::show("\u2207_W f", m.numeric, 10) << '\n'
        << "  largest relative error " << num(m.report.max_relative_error, 2) << " at (" << m.report.row << ", "
        << m.report.col << "): " << verdict(m.report.passed()) << " (the bar is 1e-07)\n"
        << "  a wrong formula, +e^{-W a} a\u1d40 (the inner -1 forgotten):\n"
        << "  largest relative error " << num(m.wrong.max_relative_error, 2) << ": " << verdict(m.wrong.passed())
        << (m.wrong.passed() ? "" : ", as it should") << '\n';
    return out.str();
}

std::string descent_text(const Results& r)
{
    const Options& o = r.options;
    const Descent& d = r.descent;
    std::ostringstream out;
    out << "5. Gradient descent on J(w) = e^{w-2} + e^{2-w}, dJ/dw = e^{w-2} - e^{2-w}\n\n"
        << "w := w - \u03b1 dJ/dw with \u03b1 = " << num(o.alpha) << ", from w_0 = " << num(o.w0) << ", " << o.steps
        << " steps\n"
        << "dJ/dw at w_0: " << num(d.iterates.front().dJ_dw, 10) << ", numerically " << num(r.slope_numeric, 10)
        << "\n\n"
        << pad("k", 5) << pad("w_k", 14) << pad("J(w_k)", 14) << pad("dJ/dw", 14) << '\n';
    const std::size_t shown = d.iterates.size();
    constexpr std::size_t head = 11;
    for (std::size_t i = 0; i < shown; ++i) {
        if (shown > head + 1 && i == head) {
            out << pad("...", 5) << '\n';
            i = shown - 1;
        }
        const Iterate& it = d.iterates[i];
        out << pad(std::to_string(it.k), 5) << pad(num(it.w), 14) << pad(num(it.J), 14) << pad(num(it.dJ_dw), 14)
            << '\n';
    }
    const Iterate& last = d.iterates.back();
    if (d.diverged) {
        out << "\nDiverged: the step after k = " << last.k << " lands at w = " << num(d.runaway_w, 3)
            << ",\nwhere J(w) is beyond the largest double:\n"
            << "\u03b1 is too large for this starting point.\n";
    } else {
        out << "\nThe minimum is J(2) = 2; after " << last.k << " steps w is " << num(std::abs(last.w - 2.0), 3)
            << " from it\nand J(w) - 2 = " << num(last.J - 2.0, 3) << ".\n";
    }
    return out.str();
}

// The parts shown, a blank line between two.
std::string text(const Results& r)
{
    using Render = std::string (*)(const Results&);
    const std::vector<std::pair<Part, Render>> parts = {{Part::steps, steps_text},
                                                        {Part::partial, partial_text},
                                                        {Part::chain, chain_text},
                                                        {Part::matrix, matrix_text},
                                                        {Part::descent, descent_text}};
    std::string out;
    for (const auto& [part, render] : parts) {
        if (uses(r.options, part)) {
            out += (out.empty() ? "" : "\n") + render(r);
        }
    }
    return out;
}

// The flags that change only some parts, and those parts.
struct PartsOf {
    CLI::Option* flag;
    std::vector<Part> parts;
    const char* which;  // the parts, in words
};

void declare_flags(book::Program& program, Options& o)
{
    CLI::Option* x = program.real("--x", o.x, -10.0, 10.0,
                                  "The point at which e^{-x} is differentiated (steps and chain), -10 to 10");
    CLI::Option* alpha = program.real("--alpha", o.alpha, 1e-4, 2.0,
                                      "Learning rate \u03b1 of gradient descent, 0.0001 to 2");
    CLI::Option* w0 = program.real("--w0", o.w0, -10.0, 10.0, "Starting point of gradient descent, -10 to 10");
    CLI::Option* steps = program.whole("--steps", o.steps, 1, 10000, "Gradient descent steps, 1 to 10000");
    std::vector<std::string> names;
    for (const auto& [name, part] : part_names()) {
        names.push_back(name);
    }
    program.app
        .add_option_function<std::string>(
            "--only",
            [&o](const std::string& name) {
                for (const auto& [n, part] : part_names()) {
                    if (n == name) {
                        o.only = part;
                    }
                }
            },
            "Print only one part of the output: steps, partial, chain, matrix or descent")
        ->check(book::not_empty())
        ->check(CLI::IsMember(names));
    program.output_directory("--figures", o.figures,
                             "Write the plot data ch02_chain_rule.step_error.tsv and ch02_chain_rule.descent.tsv "
                             "into this existing directory, instead of the text")
        ->excludes("--json")
        ->excludes("--only");

    const char* descent = "gradient descent (--only descent)";
    const std::vector<PartsOf> used_by = {
        {x, {Part::steps, Part::chain}, "the step sweep and the chain rule (--only steps or chain)"},
        {alpha, {Part::descent}, descent},
        {w0, {Part::descent}, descent},
        {steps, {Part::descent}, descent}};
    program.after_parsing([&o, used_by] {
        for (const PartsOf& u : used_by) {
            if (u.flag->count() > 0 && o.only != Part::all &&
                std::find(u.parts.begin(), u.parts.end(), o.only) == u.parts.end()) {
                throw book::BadInput(u.flag->get_name() + ": --only " + name_of(o.only) +
                                     " does not use it; it changes only " + u.which);
            }
        }
    });
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch02_chain_rule",
                          "Chapter 2: the derivative as a limit; forward, central and Richardson differences and "
                          "their error against the step h; partial derivatives of xy; the chain rule on e^{-x}; the "
                          "gradient of a scalar function of a matrix, checked entry by entry; gradient descent on "
                          "J(w) = e^{w-2} + e^{2-w}.");
    Options o;
    declare_flags(program, o);

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

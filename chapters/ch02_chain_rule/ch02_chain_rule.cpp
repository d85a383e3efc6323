// Chapter 2: the derivative as a limit and its numeric approximations, the error of a
// numeric derivative against the step h, partial derivatives of xy, the chain rule on
// e^{-x}, the gradient of a scalar function of a matrix, and gradient descent on J(w).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/matmul.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
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
        w = backprop::gradient_descent_step(w, slope, alpha);  // w := w - alpha dJ/dw
        //! [descent_loop]
    }
    return d;
}

// ---------------------------------------------------------------------------
// Printing.

// s right-aligned in a field of `width` characters.
constexpr auto pad = book::pad_left;

std::string num(double x, int digits = 6) { return book::format_number(x, digits); }

std::string verdict(bool passed) { return passed ? "passes" : "fails"; }

nlohmann::json iterate_json(const Iterate& it)
{
    return {{"k", it.k}, {"w", it.w}, {"J", it.J}, {"dJ_dw", it.dJ_dw}};
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Chapter 2: the derivative as a limit; forward, central and Richardson differences and their "
                 "error against the step h; partial derivatives of xy; the chain rule on e^{-x}; the gradient "
                 "of a scalar function of a matrix, checked entry by entry; gradient descent on "
                 "J(w) = e^{w-2} + e^{2-w}.",
                 "ch02_chain_rule"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    double x = 1.0;
    app.add_option("--x", x, "The point at which e^{-x} is differentiated, -10 to 10")
        ->check(book::real_number(-10.0, 10.0))
        ->capture_default_str();
    double alpha = 0.1;
    app.add_option("--alpha", alpha, "Learning rate \u03b1 of gradient descent, 0.0001 to 2")
        ->check(book::real_number(1e-4, 2.0))
        ->capture_default_str();
    double w0 = 0.0;
    app.add_option("--w0", w0, "Starting point of gradient descent, -10 to 10")
        ->check(book::real_number(-10.0, 10.0))
        ->capture_default_str();
    int steps = 20;
    app.add_option("--steps", steps, "Gradient descent steps, 1 to 10000")
        ->check(book::whole_number(1, 10000))
        ->capture_default_str();
    std::string only;
    app.add_option("--only", only, "Print only one part of the output: steps, partial, chain, matrix or descent")
        ->check(CLI::IsMember({"steps", "partial", "chain", "matrix", "descent"}));
    std::string figures;
    app.add_option("--figures", figures,
                   "Write the plot data ch02_chain_rule.step_error.tsv and ch02_chain_rule.descent.tsv into the directory DIR, instead of the text")
        ->type_name("DIR")
        ->excludes(app.get_option("--json"))
        ->excludes("--only");

    return book::run_program(app, argc, argv, [&](std::ostream& out) {
        const auto show_part = [&](const char* part) { return only.empty() || only == part; };
        const book::RunningExample ex = book::running_example(common.seed);
        const double eps = std::numeric_limits<double>::epsilon();

        // 1. The error of a numeric derivative against the step h.
        const std::vector<StepRow> sweep = sweep_steps(x);
        const BestStep best_forward = best_step(sweep, &StepRow::forward);
        const BestStep best_central = best_step(sweep, &StepRow::central);
        const BestStep best_richardson = best_step(sweep, &StepRow::richardson);

        // 2. Partial derivatives of f(x, y) = xy at the running example's input.
        const double px = ex.x(0, 0), py = ex.x(1, 0);
        //! [partial_derivatives]
        // f(x, y) = xy as a function of x alone (y held fixed), then of y alone.
        const backprop::ScalarFunction f_of_x = [py](double t) { return t * py; };
        const backprop::ScalarFunction f_of_y = [px](double t) { return px * t; };
        const double f_x = backprop::central_difference(f_of_x, px);
        const double f_y = backprop::central_difference(f_of_y, py);
        //! [partial_derivatives]

        // 3. The chain rule on e^{-x}.
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

        // 4. The gradient of a scalar function of a matrix, checked entry by entry.
        Matrix W = ex.net.W[1];
        const Matrix& a = ex.x;
        //! [matrix_gradient_check]
        const Matrix analytic = grad_f_of_W(W, a);
        const Matrix numeric =
            backprop::numeric_gradient([&] { return f_of_W(W, a); }, W);
        const backprop::GradientReport report =
            backprop::compare_gradients("W", analytic, numeric);
        const backprop::GradientReport wrong =
            backprop::compare_gradients("W", wrong_grad_f_of_W(W, a), numeric);
        //! [matrix_gradient_check]

        // 5. Gradient descent on J(w).
        const Descent descent = descend(w0, alpha, steps);
        const double slope_numeric = backprop::richardson_difference(J, w0);

        if (!figures.empty()) {
            if (!std::filesystem::is_directory(figures)) {
                throw book::BadInput("--figures: '" + figures + "' is not a directory");
            }
            std::vector<std::vector<double>> error_rows, best_rows;
            for (const StepRow& r : sweep) {
                error_rows.push_back({r.h, r.forward, r.central, r.richardson});
            }
            int method = 1;
            for (const BestStep& b : {best_forward, best_central, best_richardson}) {
                best_rows.push_back({static_cast<double>(method++), b.h, b.error});
            }
            // Two data blocks (gnuplot's index 0 and 1), separated by two blank lines.
            const std::string step_error = book::tsv({"h", "forward", "central", "richardson"}, error_rows) +
                                           "\n\n" + book::tsv({"method", "best_h", "error"}, best_rows);

            // J(w) over the iterates' range (and the minimum), the iterates, and the
            // tangent at w_0: J(w_0) + J'(w_0)(w - w_0).
            double lo = 2.0, hi = 2.0;
            for (const Iterate& it : descent.iterates) {
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
            for (const Iterate& it : descent.iterates) {
                iterates.push_back({static_cast<double>(it.k), it.w, it.J, it.dJ_dw});
            }
            const Iterate& t = descent.iterates.front();
            for (double dw : {-0.6, 0.6}) {
                tangent.push_back({t.w + dw, t.J + t.dJ_dw * dw});
            }
            const std::string descent_data = book::tsv({"w", "J"}, curve) + "\n\n" +
                                             book::tsv({"k", "w", "J", "dJ_dw"}, iterates) + "\n\n" +
                                             book::tsv({"w", "tangent_at_w0"}, tangent);

            for (const auto& [name, text] : {std::pair<std::string, std::string>{"step_error.tsv", step_error},
                                             std::pair<std::string, std::string>{"descent.tsv", descent_data}}) {
                const std::string path = book::join_path(figures, "ch02_chain_rule." + name);
                book::write_file(path, text);
                out << "wrote " << path << '\n';
            }
            return 0;
        }

        if (common.json) {
            nlohmann::json j = {{"program", "ch02_chain_rule"}, {"seed", common.seed}};
            if (show_part("steps")) {
                nlohmann::json h = nlohmann::json::array(), fe = nlohmann::json::array(),
                               ce = nlohmann::json::array(), re = nlohmann::json::array();
                for (const StepRow& r : sweep) {
                    h.push_back(r.h);
                    fe.push_back(r.forward);
                    ce.push_back(r.central);
                    re.push_back(r.richardson);
                }
                j["steps"] = {
                    {"function", "exp(-x)"},
                    {"x", x},
                    {"exact_derivative", exact},
                    {"machine_epsilon", eps},
                    {"h", h},
                    {"relative_error", {{"forward", fe}, {"central", ce}, {"richardson", re}}},
                    {"best", {{"forward", {{"h", best_forward.h}, {"relative_error", best_forward.error}}},
                              {"central", {{"h", best_central.h}, {"relative_error", best_central.error}}},
                              {"richardson",
                               {{"h", best_richardson.h}, {"relative_error", best_richardson.error}}}}}};
            }
            if (show_part("partial")) {
                j["partial"] = {{"function", "x*y"},
                                {"x", px},
                                {"y", py},
                                {"f_x", {{"exact", py}, {"numeric", f_x}}},
                                {"f_y", {{"exact", px}, {"numeric", f_y}}}};
            }
            if (show_part("chain")) {
                j["chain"] = {{"function", "exp(-x)"},     {"x", x},
                              {"outer_slope", outer_slope}, {"inner_slope", inner_slope},
                              {"chained", chained},         {"direct", direct},
                              {"exact", exact},
                              {"relative_error_chained", backprop::relative_error(exact, chained)},
                              {"relative_error_direct", backprop::relative_error(exact, direct)}};
            }
            if (show_part("matrix")) {
                j["matrix"] = {{"function", "sum_j exp(-(W a)_j)"},
                               {"W", book::to_json(W)},
                               {"a", book::to_json(a)},
                               {"f", f_of_W(W, a)},
                               {"analytic", book::to_json(analytic)},
                               {"numeric", book::to_json(numeric)},
                               {"step", backprop::gradcheck_step},
                               {"max_relative_error", report.max_relative_error},
                               {"at", {report.row, report.col}},
                               {"passed", report.passed()},
                               {"wrong_formula",
                                {{"max_relative_error", wrong.max_relative_error}, {"passed", wrong.passed()}}}};
            }
            if (show_part("descent")) {
                nlohmann::json its = nlohmann::json::array();
                for (const Iterate& it : descent.iterates) {
                    its.push_back(iterate_json(it));
                }
                j["descent"] = {{"function", "exp(w-2) + exp(2-w)"},
                                {"alpha", alpha},
                                {"w0", w0},
                                {"steps", steps},
                                {"numeric_dJ_dw_at_w0", slope_numeric},
                                {"iterates", its},
                                {"diverged", descent.diverged},
                                {"minimum", {{"w", 2.0}, {"J", 2.0}}}};
                if (descent.diverged) {
                    j["descent"]["runaway_w"] = descent.runaway_w;
                }
            }
            out << j.dump(2) << '\n';
            return 0;
        }

        if (show_part("steps")) {
            out << "1. The derivative as a limit, with a finite step h\n\n"
                << "f(x) = e^{-x} at x = " << num(x) << ": f'(x) = -e^{-x} = " << num(exact, 15) << "\n"
                << "Relative error of the numeric derivative against the step h:\n\n"
                << pad("h", 7) << pad("forward", 12) << pad("central", 12) << pad("Richardson", 12) << '\n';
            for (std::size_t i = 0; i < sweep.size(); i += steps_per_decade) {
                const StepRow& r = sweep[i];
                const std::string h_label = "1e-" + std::to_string((first_k + static_cast<int>(i)) / steps_per_decade);
                out << pad(h_label, 7) << pad(num(r.forward, 2), 12) << pad(num(r.central, 2), 12)
                    << pad(num(r.richardson, 2), 12) << '\n';
            }
            out << "\nThe best step on a grid of " << steps_per_decade
                << " steps per decade (machine epsilon " << num(eps, 3) << "):\n"
                << "  forward     h = " << pad(num(best_forward.h, 2), 7) << ", relative error "
                << num(best_forward.error, 2) << '\n'
                << "  central     h = " << pad(num(best_central.h, 2), 7) << ", relative error "
                << num(best_central.error, 2) << '\n'
                << "  Richardson  h = " << pad(num(best_richardson.h, 2), 7) << ", relative error "
                << num(best_richardson.error, 2) << '\n';
        }
        if (show_part("partial")) {
            out << (only.empty() ? "\n" : "") << "2. Partial derivatives of f(x, y) = xy at (x, y) = (" << num(px)
                << ", " << num(py) << "), the running example's input\n\n"
                << "  \u2202f/\u2202x = y = " << num(py) << "   central difference " << num(f_x, 15)
                << ", relative error " << num(backprop::relative_error(py, f_x), 2) << '\n'
                << "  \u2202f/\u2202y = x = " << num(px) << "   central difference " << num(f_y, 15)
                << ", relative error " << num(backprop::relative_error(px, f_y), 2) << '\n';
        }
        if (show_part("chain")) {
            out << (only.empty() ? "\n" : "") << "3. The chain rule on e^{-x} = f(g(x)), f(u) = e^u, g(x) = -x, at x = "
                << num(x) << "\n\n"
                << "  f'(g(x)) = e^{-x}, numerically        " << num(outer_slope, 15) << '\n'
                << "  g'(x)    = -1, numerically            " << num(inner_slope, 15) << '\n'
                << "  f'(g(x)) g'(x), the product           " << num(chained, 15) << '\n'
                << "  d e^{-x}/dx, numerically, directly    " << num(direct, 15) << '\n'
                << "  -e^{-x}, exactly                      " << num(exact, 15) << '\n'
                << "  relative errors: product " << num(backprop::relative_error(exact, chained), 2)
                << ", direct " << num(backprop::relative_error(exact, direct), 2) << '\n';
        }
        if (show_part("matrix")) {
            out << (only.empty() ? "\n" : "") << "4. The gradient of a scalar function of a matrix\n\n"
                << "f(W) = \u03a3_j e^{-(W a)_j}, W = W^[1] and a = a^[0] of the running example (seed "
                << common.seed << ")\n\n"
                << book::show("W", W) << book::show("a", a) << "f(W) = " << num(f_of_W(W, a)) << "\n\n"
                << "By the chain rule, \u2207_W f = -e^{-W a} a\u1d40:\n"
                << book::show("\u2207_W f", analytic, 10)
                << "Numerically, entry by entry (Richardson, h = " << num(backprop::gradcheck_step) << "):\n"
                << book::show("\u2207_W f", numeric, 10) << '\n'
                << "  largest relative error " << num(report.max_relative_error, 2) << " at (" << report.row
                << ", " << report.col << "): " << verdict(report.passed()) << " (the bar is 1e-07)\n"
                << "  a wrong formula, +e^{-W a} a\u1d40 (the inner -1 forgotten): largest relative error "
                << num(wrong.max_relative_error, 2) << ": " << verdict(wrong.passed())
                << (wrong.passed() ? "" : ", as it should") << '\n';
        }
        if (show_part("descent")) {
            out << (only.empty() ? "\n" : "") << "5. Gradient descent on J(w) = e^{w-2} + e^{2-w}, dJ/dw = e^{w-2} - e^{2-w}\n\n"
                << "w := w - \u03b1 dJ/dw with \u03b1 = " << num(alpha) << ", from w_0 = " << num(w0) << ", "
                << steps << " steps\n"
                << "dJ/dw at w_0: " << num(descent.iterates.front().dJ_dw, 10) << ", numerically "
                << num(slope_numeric, 10) << "\n\n"
                << pad("k", 5) << pad("w_k", 14) << pad("J(w_k)", 14) << pad("dJ/dw", 14) << '\n';
            const std::size_t shown = descent.iterates.size();
            constexpr std::size_t head = 11;
            for (std::size_t i = 0; i < shown; ++i) {
                if (shown > head + 1 && i == head) {
                    out << pad("...", 5) << '\n';
                    i = shown - 1;
                }
                const Iterate& it = descent.iterates[i];
                out << pad(std::to_string(it.k), 5) << pad(num(it.w), 14) << pad(num(it.J), 14)
                    << pad(num(it.dJ_dw), 14) << '\n';
            }
            const Iterate& last = descent.iterates.back();
            if (descent.diverged) {
                out << "\nDiverged: the step after k = " << last.k << " lands at w = " << num(descent.runaway_w, 3)
                    << ", where J(w) is beyond the largest double:\n"
                    << "\u03b1 is too large for this starting point.\n";
            } else {
                out << "\nThe minimum is J(2) = 2; after " << last.k << " steps w is "
                    << num(std::abs(last.w - 2.0), 3) << " from it and J(w) - 2 = " << num(last.J - 2.0, 3)
                    << ".\n";
            }
        }
        return 0;
    });
}

// Chapter 5: the output layer's error δ^[L] = ∇ₐℓ ⊙ σ'(z^[L]) of the running example,
// entry by entry; checked against ∂ℓ/∂z^[L] by finite differences on z; the same for the
// three losses; the cancellation of σ' for cross-entropy after a sigmoid; a wrong formula
// caught by the check; and the first figure of the backward walk.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "backprop/activation.hpp"
#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "book/walk.hpp"

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;

namespace {

constexpr double check_tolerance = 1e-7;  // the bar for smooth functions (appendix_gradcheck)
constexpr double kink_margin = 1e-2;      // the numeric check moves z by up to 2h = 2e-3

// What one loss gives for the output layer: the two factors, δ, and the numeric check.
struct OutputCheck {
    Loss loss;
    Matrix grad_a;       // ∇ₐℓ, (n_L, 1)
    Matrix sigma_prime;  // σ'(z^[L]), (n_L, 1)
    Matrix delta;        // δ^[L] from backprop::output_delta, (n_L, 1)
    Matrix numeric;      // ∂ℓ/∂z^[L] by finite differences, (n_L, 1)
    backprop::GradientReport report;
};

//! [check_output_delta]
// δ^[L] from the library, and ∂ℓ/∂z^[L] by finite differences: the loss as a
// function of z^[L] alone (a = σ(z), then ℓ), each entry of z moved in turn.
// One sample, so J = ℓ.
OutputCheck check_output_delta(Loss loss, Activation sigma, const Matrix& z_L,
                               const Matrix& a_L, const Matrix& y)
{
    OutputCheck c{loss,
                  backprop::loss_gradient(loss, a_L, y),           // ∇ₐℓ
                  backprop::activate_prime(sigma, z_L),            // σ'(z^[L])
                  backprop::output_delta(loss, sigma, z_L, a_L, y),  // δ^[L]
                  Matrix{},
                  backprop::GradientReport{}};
    Matrix z = z_L;  // the variable
    const auto loss_of_z = [&] {
        return backprop::loss_value(loss, backprop::activate(sigma, z), y);
    };
    c.numeric = backprop::numeric_gradient(loss_of_z, z);
    c.report = backprop::compare_gradients("delta^[2]", c.delta, c.numeric);
    return c;
}
//! [check_output_delta]

bool applies(Loss loss, Activation sigma)
{
    try {
        backprop::require_compatible(loss, sigma);
    } catch (const std::invalid_argument&) {
        return false;
    }
    return true;
}

std::string num(double x, int digits = 6) { return book::format_number(x, digits); }

constexpr auto pad = book::pad_right;

std::string loss_title(Loss loss) { return loss == Loss::l1 ? std::string("L1") : backprop::name_of(loss); }

// ∂ℓ/∂a_j of each loss, as the page writes it.
std::string loss_slope_formula(Loss loss)
{
    switch (loss) {
    case Loss::l1: return "sign(a_j \u2212 y_j)";
    case Loss::quadratic: return "a_j \u2212 y_j";
    case Loss::cross_entropy: return "(a_j \u2212 y_j) / (a_j (1 \u2212 a_j))";
    }
    return "";
}

// σ'(z) of each activation, as the page writes it.
std::string activation_slope_formula(Activation sigma)
{
    switch (sigma) {
    case Activation::sigmoid: return "\u03c3(z)(1 \u2212 \u03c3(z))";
    case Activation::tanh: return "1 \u2212 tanh\u00b2 z";
    case Activation::relu: return "1 if z \u003e 0, else 0";
    case Activation::identity: return "1";
    }
    return "";
}

std::string verdict(bool passed, bool must_pass)
{
    if (must_pass) {
        return passed ? "passes" : "FAILS";
    }
    return passed ? "passes (it should not!)" : "fails, as it must";
}

// The analytic and numeric columns side by side with their relative errors.
std::string check_table(const std::string& analytic_name, const Matrix& analytic, const Matrix& numeric)
{
    std::string s = "  j   " + pad(analytic_name, 22) + pad("numeric \u2202\u2113/\u2202z_j", 22) + "relative error\n";
    for (std::size_t j = 0; j < analytic.shape(0); ++j) {
        s += "  " + pad(std::to_string(j + 1), 4) + pad(num(analytic(j, 0), 12), 22) + pad(num(numeric(j, 0), 12), 22) +
             num(backprop::relative_error(analytic(j, 0), numeric(j, 0)), 2) + "\n";
    }
    return s;
}

nlohmann::json check_json(const OutputCheck& c)
{
    return {{"grad_a", book::to_json(c.grad_a)},
            {"sigma_prime", book::to_json(c.sigma_prime)},
            {"delta", book::to_json(c.delta)},
            {"numeric", book::to_json(c.numeric)},
            {"max_relative_error", c.report.max_relative_error},
            {"passed", c.report.passed(check_tolerance)}};
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Chapter 5: the output layer's error \u03b4^[2] = \u2207\u2090\u2113 \u2299 \u03c3'(z^[2]) of the running "
                 "example, entry by entry, checked against \u2202\u2113/\u2202z^[2] by finite differences; the same "
                 "for the L1, quadratic and cross-entropy losses; why \u03c3' cancels for cross-entropy after a "
                 "sigmoid; and a wrong formula that the check catches.",
                 "ch05_output_delta"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    std::string loss_name = "l1";
    app.add_option("--loss", loss_name,
                   "The loss worked in detail: l1 (the running example's), quadratic or cross-entropy "
                   "(cross-entropy needs --activation sigmoid)")
        ->capture_default_str();
    std::string activation_name = "sigmoid";
    app.add_option("--activation", activation_name,
                   "Activation of the output layer: sigmoid (the running example's), tanh, relu or identity")
        ->capture_default_str();
    std::string figures_dir;
    app.add_option("--figures", figures_dir,
                   "Write the first figure of the backward walk, the output error "
                   "(ch05_output_delta.walk1.dot), into this existing directory instead of printing the text")
        ->excludes(app.get_option("--json"));

    return book::run_program(app, argc, argv, [&](std::ostream& out) {
        const backprop::Activation sigma = book::activation_flag(activation_name);
        const backprop::Loss loss = book::loss_flag(loss_name, sigma);
        if (!figures_dir.empty()) {
            book::require_directory(figures_dir);
        }

        //! [running_example_output_delta]
        book::RunningExample ex = book::running_example(common.seed);
        ex.net.sigma[2] = sigma;  // --activation: the output layer's
        ex.loss = loss;
        const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
        const Matrix& z = pass.z[2];
        const Matrix& a = pass.a[2];
        const Matrix delta = backprop::output_delta(ex.loss, sigma, z, a, ex.y);
        //! [running_example_output_delta]
        const std::size_t L = ex.net.depth();
        const double loss_value = backprop::loss_value(ex.loss, a, ex.y);

        std::vector<std::optional<OutputCheck>> checks;
        std::optional<OutputCheck> main_check;
        for (Loss l : backprop::all_losses()) {
            checks.push_back(applies(l, sigma) ? std::optional<OutputCheck>(check_output_delta(l, sigma, z, a, ex.y))
                                               : std::nullopt);
            if (l == loss) {
                main_check = checks.back();
            }
        }
        const OutputCheck& main = *main_check;

        //! [wrong_output_delta]
        // The wrong formula δ = ∇ₐℓ, without σ'(z^[L]), against the same numeric
        // gradient.
        const Matrix wrong_delta = backprop::loss_gradient(ex.loss, a, ex.y);
        const backprop::GradientReport wrong =
            backprop::compare_gradients("grad_a", wrong_delta, main.numeric);
        //! [wrong_output_delta]

        // Cross-entropy after a sigmoid: the general product and a − y.
        const bool sigmoid_output = sigma == Activation::sigmoid;
        Matrix ce_general, ce_short;
        double ce_difference = 0.0;
        if (sigmoid_output) {
            //! [cross_entropy_two_forms]
            ce_general = backprop::hadamard(
                backprop::loss_gradient(Loss::cross_entropy, a, ex.y),  // (a − y) / (a(1 − a))
                backprop::activate_prime(Activation::sigmoid, z));      // a(1 − a)
            ce_short = a - ex.y;  // what backprop::output_delta computes for this pair
            //! [cross_entropy_two_forms]
            ce_difference = xt::amax(xt::abs(ce_general - ce_short))();
        }
        const double loss_kink = backprop::distance_to_kink(Loss::l1, a, ex.y);
        double activation_kink = INFINITY;
        for (double zj : z) {
            activation_kink = std::min(activation_kink, backprop::distance_to_kink(sigma, zj));
        }

        if (!figures_dir.empty()) {
            book::WalkOptions options;
            options.title_prefix = "ch05_output_delta: ";
            const std::vector<book::WalkFigure> walk = book::backward_walk(ex.net, pass, ex.y, ex.loss, options);
            const std::string path = book::join_path(figures_dir, "ch05_output_delta." + walk.front().name + ".dot");
            book::write_file(path, walk.front().dot);
            out << "wrote " << path << '\n';
            return 0;
        }

        if (common.json) {
            nlohmann::json losses = nlohmann::json::object();
            const std::vector<Loss> kinds = backprop::all_losses();
            for (std::size_t k = 0; k < kinds.size(); ++k) {
                losses[backprop::name_of(kinds[k])] = checks[k] ? check_json(*checks[k]) : nlohmann::json(nullptr);
            }
            if (sigmoid_output) {
                losses["cross-entropy"]["general_form"] = book::to_json(ce_general);
                losses["cross-entropy"]["a_minus_y"] = book::to_json(ce_short);
                losses["cross-entropy"]["max_difference"] = ce_difference;
            }
            nlohmann::json j = {{"program", "ch05_output_delta"},
                                {"seed", common.seed},
                                {"sizes", ex.net.sizes},
                                {"activation", backprop::name_of(sigma)},
                                {"loss", backprop::name_of(ex.loss)},
                                {"x", book::to_json(ex.x)},
                                {"y", book::to_json(ex.y)},
                                {"z", book::to_json(z)},
                                {"a", book::to_json(a)},
                                {"loss_value", loss_value},
                                {"wrong_formula",
                                 {{"formula", "delta = grad_a loss, without sigma'(z)"},
                                  {"delta", book::to_json(wrong_delta)},
                                  {"max_relative_error", wrong.max_relative_error},
                                  {"passed", wrong.passed(check_tolerance)}}},
                                {"losses", losses},
                                {"l1_distance_to_kink", loss_kink}};
            j.update(check_json(main));
            out << j.dump(2) << '\n';
            return 0;
        }

        const std::string act = backprop::name_of(sigma);
        out << "The output error \u03b4^[2] of the running example\n\n"
            << "The 2-3-2 network from seed " << common.seed << ": sigmoid hidden layer, " << act << " output, "
            << loss_title(ex.loss) << " loss.\n"
            << "From the forward pass of chapter 4, for x = (0.8, 0.2) and y = (1, 0):\n"
            << book::show("z^[2]", z) << book::show("a^[2]", a) << book::show("y", ex.y)
            << loss_title(ex.loss) << " loss \u2113 = " << num(loss_value) << "\n\n";

        out << "\u03b4^[2] = \u2207\u2090\u2113 \u2299 \u03c3'(z^[2]), entry by entry   (2, 1) \u2299 (2, 1) -> (2, 1)\n"
            << "  \u2202\u2113/\u2202a_j = " << loss_slope_formula(ex.loss) << ",   \u03c3'(z) = "
            << activation_slope_formula(sigma) << "\n";
        for (std::size_t j = 0; j < ex.net.sizes[L]; ++j) {
            const std::string J = std::to_string(j + 1);
            out << "  \u03b4_" << J << "^[2] = \u2202\u2113/\u2202a_" << J << " \u00b7 \u03c3'(z_" << J << "^[2]) = ("
                << num(main.grad_a(j, 0)) << ")(" << num(main.sigma_prime(j, 0)) << ") = " << num(delta(j, 0))
                << "\n";
        }
        out << book::show("\u2207\u2090\u2113", main.grad_a) << book::show("\u03c3'(z^[2])", main.sigma_prime)
            << book::show("\u03b4^[2]", delta) << '\n';

        out << "Checked by finite differences: \u2113 as a function of z^[2] alone\n(a = " << act
            << "(z), then \u2113), every entry of z^[2] moved in turn\n(Richardson's difference, h = "
            << num(backprop::gradcheck_step) << ")\n"
            << check_table("analytic \u03b4_j", main.delta, main.numeric) << "  largest relative error "
            << num(main.report.max_relative_error, 2) << ": " << verdict(main.report.passed(check_tolerance), true)
            << " (the bar is " << num(check_tolerance) << ")\n";
        const double chosen_loss_kink = backprop::distance_to_kink(ex.loss, a, ex.y);
        if (std::min(chosen_loss_kink, activation_kink) < kink_margin) {
            out << "  note: an output is within " << num(kink_margin) << " of a kink of the "
                << (chosen_loss_kink < activation_kink ? "loss" : "activation")
                << ", where the numeric difference is not a derivative\n";
        }
        out << '\n'
            << "A wrong formula: \u03b4^[2] = \u2207\u2090\u2113, without \u03c3'(z^[2])\n"
            << check_table("wrong \u03b4_j", wrong_delta, main.numeric) << "  largest relative error "
            << num(wrong.max_relative_error, 2) << ": " << verdict(wrong.passed(check_tolerance), false) << "\n\n";

        out << "The three losses, with a " << act << " output\n";
        const std::vector<Loss> kinds = backprop::all_losses();
        for (std::size_t k = 0; k < kinds.size(); ++k) {
            out << "  " << pad(loss_title(kinds[k]), 14) << "\u2202\u2113/\u2202a_j = " << loss_slope_formula(kinds[k])
                << (kinds[k] == ex.loss ? "   <- --loss" : "") << "\n";
            if (!checks[k]) {
                out << "    not defined: cross-entropy needs a sigmoid output\n";
                continue;
            }
            const OutputCheck& c = *checks[k];
            out << "    " << book::show("\u03b4^[2]\u1d40  ", xt::transpose(c.delta)) << "    "
                << book::show("numeric\u1d40", xt::transpose(c.numeric)) << "    largest relative error "
                << num(c.report.max_relative_error, 2) << ": " << verdict(c.report.passed(check_tolerance), true)
                << "\n";
        }
        out << '\n';

        if (sigmoid_output) {
            out << "Cross-entropy after a sigmoid: \u03c3' cancels\n"
                << "  \u2202\u2113/\u2202a_j \u00b7 \u03c3'(z_j) = (a_j \u2212 y_j) / (a_j (1 \u2212 a_j)) \u00b7 a_j (1 \u2212 a_j)\n"
                << "                    = a_j \u2212 y_j\n"
                << "  " << book::show("(\u2207\u2090\u2113 \u2299 \u03c3'(z^[2]))\u1d40", xt::transpose(ce_general)) << "  "
                << book::show("(a^[2] \u2212 y)\u1d40       ", xt::transpose(ce_short))
                << "  largest difference between the two forms: " << num(ce_difference, 2) << "\n\n";
        } else {
            out << "Cross-entropy after a sigmoid: \u03c3' cancels (not shown: this output is " << act
                << ", run with --activation sigmoid)\n\n";
        }

        out << "The L1 kink\n"
            << "  |a_j \u2212 y_j| has no derivative at a_j = y_j, where backprop::l1_prime\n"
            << "  returns 0 (a subgradient). Here min_j |a_j \u2212 y_j| = " << num(loss_kink)
            << (loss_kink > 0.0 ? ": every output\n  is away from the kink, and sign(a_j \u2212 y_j) is the derivative.\n"
                                : ": an output sits\n  on the kink, and its \u03b4 uses the subgradient 0.\n");
        return 0;
    });
}

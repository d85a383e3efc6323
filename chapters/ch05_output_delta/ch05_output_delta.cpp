// Chapter 5: the output layer's error δ^[L] = ∇ₐℓ ⊙ σ'(z^[L]) of the running example,
// entry by entry; checked against ∂ℓ/∂z^[L] by finite differences on z; the same for the
// three losses; the cancellation of σ' for cross-entropy after a sigmoid; a wrong formula
// caught by the check; and the first figure of the backward walk.
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

// The flags, as typed values.
struct Options {
    std::int64_t seed = book::running_example_seed;
    Loss loss = Loss::l1;
    Activation sigma = Activation::sigmoid;  // the output layer's
    std::string figures;
};

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

//! [cross_entropy_two_forms]
// Cross-entropy after a sigmoid: δ^[L] as the general product ∇ₐℓ ⊙ σ'(z),
// with ∇ₐℓ = (a − y) / (a(1 − a)) and σ'(z) = a(1 − a), and as a − y, which
// is what backprop::output_delta computes for this pair.
void cross_entropy_two_forms(const Matrix& z, const Matrix& a, const Matrix& y,
                             Matrix& general, Matrix& short_form)
{
    general = backprop::hadamard(
        backprop::loss_gradient(Loss::cross_entropy, a, y),  // ∇ₐℓ
        backprop::activate_prime(Activation::sigmoid, z));   // σ'(z)
    short_form = a - y;
}
//! [cross_entropy_two_forms]

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
    case Loss::categorical_cross_entropy: return "\u2212y_j / a_j";
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
    case Activation::softmax: break;  // no sigma'(z) entry by entry (chapter 9)
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


// Everything the chapter shows, computed once.
struct Results {
    Options options;
    book::RunningExample ex;  // the output layer's activation and the loss set by the flags
    backprop::ForwardPass pass;
    Matrix delta;  // δ^[2]
    double loss_value = 0.0;
    std::vector<std::optional<OutputCheck>> checks;  // every loss, in all_losses() order
    OutputCheck main;                                // the --loss one
    Matrix wrong_delta;                              // ∇ₐℓ, without σ'
    backprop::GradientReport wrong;
    Matrix ce_general, ce_short;  // cross-entropy after a sigmoid: the two forms
    double ce_difference = 0.0;
    double loss_kink = 0.0;        // of the L1 loss
    double chosen_loss_kink = 0.0; // of the --loss one
    double activation_kink = INFINITY;
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    //! [running_example_output_delta]
    book::RunningExample ex = book::running_example(o.seed);
    ex.net.sigma[2] = o.sigma;  // --activation: the output layer's
    ex.loss = o.loss;
    const backprop::ForwardPass pass = backprop::forward(ex.net, ex.x);
    const Matrix& z = pass.z[2];
    const Matrix& a = pass.a[2];
    const Matrix delta = backprop::output_delta(ex.loss, o.sigma, z, a, ex.y);
    //! [running_example_output_delta]
    r.loss_value = backprop::loss_value(ex.loss, a, ex.y);

    for (Loss l : backprop::all_losses()) {
        r.checks.push_back(applies(l, o.sigma)
                               ? std::optional<OutputCheck>(check_output_delta(l, o.sigma, z, a, ex.y))
                               : std::nullopt);
        if (l == o.loss) {
            r.main = *r.checks.back();
        }
    }
    const OutputCheck& main = r.main;

    //! [wrong_output_delta]
    // The wrong formula δ = ∇ₐℓ, without σ'(z^[L]), against the same numeric
    // gradient.
    const Matrix wrong_delta = backprop::loss_gradient(ex.loss, a, ex.y);
    const backprop::GradientReport wrong =
        backprop::compare_gradients("grad_a", wrong_delta, main.numeric);
    //! [wrong_output_delta]

    if (o.sigma == Activation::sigmoid) {
        cross_entropy_two_forms(z, a, ex.y, r.ce_general, r.ce_short);
        r.ce_difference = xt::amax(xt::abs(r.ce_general - r.ce_short))();
    }
    r.loss_kink = backprop::distance_to_kink(Loss::l1, a, ex.y);
    r.chosen_loss_kink = backprop::distance_to_kink(ex.loss, a, ex.y);
    for (double zj : z) {
        r.activation_kink = std::min(r.activation_kink, backprop::distance_to_kink(o.sigma, zj));
    }
    r.ex = ex;
    r.pass = pass;
    r.delta = delta;
    r.wrong_delta = wrong_delta;
    r.wrong = wrong;
    return r;
}

// The first figure of the backward walk: the output error.
std::vector<book::FileText> figures(const Results& r)
{
    const std::vector<book::WalkFigure> walk = book::backward_walk(r.ex.net, r.pass, r.ex.y, r.ex.loss);
    return {{book::join_path(r.options.figures, "ch05_output_delta." + walk.front().name + ".dot"),
             walk.front().dot}};
}

nlohmann::json json(const Results& r)
{
    const book::RunningExample& ex = r.ex;
    nlohmann::json losses = nlohmann::json::object();
    const std::vector<Loss> kinds = backprop::all_losses();
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        losses[backprop::name_of(kinds[k])] = r.checks[k] ? check_json(*r.checks[k]) : nlohmann::json(nullptr);
    }
    if (r.options.sigma == Activation::sigmoid) {
        losses["cross-entropy"]["general_form"] = book::to_json(r.ce_general);
        losses["cross-entropy"]["a_minus_y"] = book::to_json(r.ce_short);
        losses["cross-entropy"]["max_difference"] = r.ce_difference;
    }
    nlohmann::json j = {{"program", "ch05_output_delta"},
                        {"seed", r.options.seed},
                        {"sizes", ex.net.sizes},
                        {"activation", backprop::name_of(r.options.sigma)},
                        {"loss", backprop::name_of(ex.loss)},
                        {"x", book::to_json(ex.x)},
                        {"y", book::to_json(ex.y)},
                        {"z", book::to_json(r.pass.z[2])},
                        {"a", book::to_json(r.pass.a[2])},
                        {"loss_value", r.loss_value},
                        {"wrong_formula",
                         {{"formula", "delta = grad_a loss, without sigma'(z)"},
                          {"delta", book::to_json(r.wrong_delta)},
                          {"max_relative_error", r.wrong.max_relative_error},
                          {"passed", r.wrong.passed(check_tolerance)}}},
                        {"losses", losses},
                        {"l1_distance_to_kink", r.loss_kink}};
    j.update(check_json(r.main));
    return j;
}

std::string text(const Results& r)
{
    const book::RunningExample& ex = r.ex;
    const OutputCheck& main = r.main;
    const Matrix& delta = r.delta;
    const std::string act = backprop::name_of(r.options.sigma);
    std::ostringstream out;
    out << "The output error \u03b4^[2] of the running example\n\n"
        << book::wrap("The 2-3-2 network from seed " + std::to_string(r.options.seed) + ": sigmoid hidden layer, " +
                          act + " output, " + loss_title(ex.loss) + " loss.",
                      80)
        << "\n"
        << "From the forward pass of chapter 4, for x = (0.8, 0.2) and y = (1, 0):\n"
        << book::show("z^[2]", r.pass.z[2]) << book::show("a^[2]", r.pass.a[2]) << book::show("y", ex.y)
        << loss_title(ex.loss) << " loss \u2113 = " << num(r.loss_value) << "\n\n";

    out << "\u03b4^[2] = \u2207\u2090\u2113 \u2299 \u03c3'(z^[2]), entry by entry   (2, 1) \u2299 (2, 1) -> (2, 1)\n"
        << "  \u2202\u2113/\u2202a_j = " << loss_slope_formula(ex.loss) << ",   \u03c3'(z) = "
        << activation_slope_formula(r.options.sigma) << "\n";
    for (std::size_t j = 0; j < ex.net.sizes[ex.net.depth()]; ++j) {
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
    if (std::min(r.chosen_loss_kink, r.activation_kink) < kink_margin) {
        out << "  note: an output is within " << num(kink_margin) << " of a kink of the "
            << (r.chosen_loss_kink < r.activation_kink ? "loss" : "activation")
            << ", where the numeric difference is not a derivative\n";
    }
    out << '\n'
        << "A wrong formula: \u03b4^[2] = \u2207\u2090\u2113, without \u03c3'(z^[2])\n"
        << check_table("wrong \u03b4_j", r.wrong_delta, main.numeric) << "  largest relative error "
        << num(r.wrong.max_relative_error, 2) << ": " << verdict(r.wrong.passed(check_tolerance), false) << "\n\n";

    out << "The three losses, with a " << act << " output\n";
    const std::vector<Loss> kinds = backprop::all_losses();
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        out << "  " << pad(loss_title(kinds[k]), 14) << "\u2202\u2113/\u2202a_j = " << loss_slope_formula(kinds[k])
            << (kinds[k] == ex.loss ? "   <- --loss" : "") << "\n";
        if (!r.checks[k]) {
            out << "    not defined: cross-entropy needs a sigmoid output\n";
            continue;
        }
        const OutputCheck& c = *r.checks[k];
        out << "    " << book::show("\u03b4^[2]\u1d40  ", xt::transpose(c.delta)) << "    "
            << book::show("numeric\u1d40", xt::transpose(c.numeric)) << "    largest relative error "
            << num(c.report.max_relative_error, 2) << ": " << verdict(c.report.passed(check_tolerance), true)
            << "\n";
    }
    out << '\n';

    if (r.options.sigma == Activation::sigmoid) {
        out << "Cross-entropy after a sigmoid: \u03c3' cancels\n"
            << "  \u2202\u2113/\u2202a_j \u00b7 \u03c3'(z_j) = (a_j \u2212 y_j) / (a_j (1 \u2212 a_j)) \u00b7 a_j (1 \u2212 a_j)\n"
            << "                    = a_j \u2212 y_j\n"
            << "  " << book::show("(\u2207\u2090\u2113 \u2299 \u03c3'(z^[2]))\u1d40", xt::transpose(r.ce_general)) << "  "
            << book::show("(a^[2] \u2212 y)\u1d40       ", xt::transpose(r.ce_short))
            << "  largest difference between the two forms: " << num(r.ce_difference, 2) << "\n\n";
    } else {
        out << "Cross-entropy after a sigmoid: \u03c3' cancels (not shown: this output is " << act
            << ",\nrun with --activation sigmoid)\n\n";
    }

    out << "The L1 kink\n"
        << "  |a_j \u2212 y_j| has no derivative at a_j = y_j, where backprop::l1_prime\n"
        << "  returns 0 (a subgradient). Here min_j |a_j \u2212 y_j| = " << num(r.loss_kink)
        << (r.loss_kink > 0.0 ? ": every output\n  is away from the kink, and sign(a_j \u2212 y_j) is the derivative.\n"
                              : ": an output sits\n  on the kink, and its \u03b4 uses the subgradient 0.\n");
    return out.str();
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch05_output_delta",
                          "Chapter 5: the output layer's error \u03b4^[2] = \u2207\u2090\u2113 \u2299 \u03c3'(z^[2]) of the "
                          "running example, entry by entry, checked against \u2202\u2113/\u2202z^[2] by finite "
                          "differences; the same for the L1, quadratic and cross-entropy losses; why \u03c3' cancels "
                          "for cross-entropy after a sigmoid; and a wrong formula that the check catches.");
    Options o;
    book::add_loss(program.app, o.loss,
                   "The loss worked in detail: l1 (the running example's), quadratic or cross-entropy "
                   "(cross-entropy needs --activation sigmoid)");
    book::add_activation(program.app, o.sigma,
                         "Activation of the output layer: sigmoid (the running example's), tanh, relu or identity");
    book::require_compatible_after_parsing(program, o.loss, o.sigma, "--activation");
    program.output_directory("--figures", o.figures,
                             "Write the first figure of the backward walk, the output error "
                             "(ch05_output_delta.walk1.dot), into this existing directory instead of printing the text")
        ->excludes("--json");

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        return book::print_run(out, o.figures, program.common.json, r, figures, json, text);
    });
}

// Appendix A: gradient checking in depth. The relative error and its bands; the step h,
// central difference against Richardson extrapolation; kinks and subgradients (ReLU);
// and the same gradient check of the running example in float and in double.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xmanipulation.hpp>

#include "backprop/backward.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/example.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::GradientReport;
using backprop::Matrix;

namespace {

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
    if (r < 1e-7) return {"good", "the bar for smooth functions in double"};
    if (r < 1e-4) return {"kinks only", "fine near a kink, too large if smooth"};
    if (r < 1e-2) return {"uncomfortable", "a bug, or a step or precision problem"};
    return {"wrong", "the gradient is probably wrong"};  // also a NaN
}
//! [bands]

// The four tensors of a network's parameters, named as the text names them.
struct Tensor {
    std::string name;  // "W^[1]", ...
    std::size_t layer;
    bool is_W;
};

std::vector<Tensor> tensors_of(const backprop::Network& net)
{
    std::vector<Tensor> t;
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        t.push_back({"W^[" + std::to_string(l) + "]", l, true});
        t.push_back({"b^[" + std::to_string(l) + "]", l, false});
    }
    return t;
}

// The largest error in a set of reports (they are per tensor).
GradientReport worst_of(const std::vector<GradientReport>& reports)
{
    GradientReport w = reports.front();
    for (const GradientReport& r : reports) {
        if (r.max_relative_error > w.max_relative_error) {
            w = r;
        }
    }
    return w;
}

// "W^[1]_12" or "b^[1]_2": the worst entry of a report, with the text's indices (from 1).
std::string entry_name(const GradientReport& r)
{
    return r.name + "_" + std::to_string(r.row + 1) + (r.name[0] == 'b' ? "" : std::to_string(r.col + 1));
}

// The library's gradient check of a whole network with step h: one report per tensor.
std::vector<GradientReport> library_check(backprop::Network& net, const Matrix& x, const Matrix& y,
                                          backprop::Loss loss, const backprop::Gradients& grads, double h)
{
    const auto f = [&] { return backprop::loss_value(loss, backprop::forward(net, x).output(), y); };
    std::vector<GradientReport> reports;
    for (const Tensor& t : tensors_of(net)) {
        Matrix& param = t.is_W ? net.W[t.layer] : net.b[t.layer];
        const Matrix& analytic = t.is_W ? grads.grad_W[t.layer] : grads.grad_b[t.layer];
        reports.push_back(backprop::compare_gradients(t.name, analytic, backprop::numeric_gradient(f, param, h)));
    }
    return reports;
}

// ---------------------------------------------------------------------------
// The same network in float and in double. The library computes in double only; this
// template exists to run the same arithmetic in both precisions, for this appendix.

//! [precision_template]
template <class T>
using MatrixOf = xt::xtensor<T, 2>;

// W[l], b[l] for l = 1..L, indexed like backprop::Network; entry 0 is unused.
template <class T>
struct NetOf {
    std::vector<MatrixOf<T>> W, b;
};

// The running example's loss J = sum_j |a^[L]_j - y_j| of one sample, all layers
// sigmoid, in precision T. Every operation rounds to T.
template <class T>
T loss_in(const NetOf<T>& net, const MatrixOf<T>& x, const MatrixOf<T>& y,
          std::vector<MatrixOf<T>>* activations = nullptr)
{
    const std::size_t L = net.W.size() - 1;
    std::vector<MatrixOf<T>> a(L + 1);
    a[0] = x;
    for (std::size_t l = 1; l <= L; ++l) {
        a[l] = MatrixOf<T>({net.W[l].shape(0), 1});
        for (std::size_t j = 0; j < net.W[l].shape(0); ++j) {
            T z = net.b[l](j, 0);  // z_j = b_j + sum_k w_jk a_k
            for (std::size_t k = 0; k < net.W[l].shape(1); ++k) {
                z += net.W[l](j, k) * a[l - 1](k, 0);
            }
            a[l](j, 0) = T(1) / (T(1) + std::exp(-z));  // sigma(z)
        }
    }
    T J = 0;
    for (std::size_t j = 0; j < y.shape(0); ++j) {
        J += std::abs(a[L](j, 0) - y(j, 0));
    }
    if (activations != nullptr) {
        *activations = std::move(a);
    }
    return J;
}

// Backpropagation in precision T: delta^[L] = sign(a - y) (.) a (1 - a), then
// delta^[l] = (W^[l+1]^T delta^[l+1]) (.) a^[l] (1 - a^[l]);
// dJ/dW^[l] = delta^[l] a^[l-1]^T and dJ/db^[l] = delta^[l].
template <class T>
NetOf<T> gradient_in(const NetOf<T>& net, const MatrixOf<T>& x,
                     const MatrixOf<T>& y)
{
    std::vector<MatrixOf<T>> a;
    loss_in(net, x, y, &a);
    const std::size_t L = net.W.size() - 1;
    NetOf<T> grad;
    grad.W.resize(L + 1);
    grad.b.resize(L + 1);
    MatrixOf<T> delta = a[L];
    for (std::size_t j = 0; j < delta.shape(0); ++j) {
        const T d = a[L](j, 0) - y(j, 0);
        delta(j, 0) = (d > 0 ? T(1) : (d < 0 ? T(-1) : T(0))) * a[L](j, 0) *
                      (T(1) - a[L](j, 0));
    }
    for (std::size_t l = L; l >= 1; --l) {
        grad.W[l] = MatrixOf<T>(net.W[l].shape());
        for (std::size_t j = 0; j < net.W[l].shape(0); ++j) {
            for (std::size_t k = 0; k < net.W[l].shape(1); ++k) {
                grad.W[l](j, k) = delta(j, 0) * a[l - 1](k, 0);
            }
        }
        grad.b[l] = delta;
        if (l > 1) {
            MatrixOf<T> previous({net.W[l].shape(1), 1});
            for (std::size_t k = 0; k < net.W[l].shape(1); ++k) {
                T s = 0;
                for (std::size_t j = 0; j < net.W[l].shape(0); ++j) {
                    s += net.W[l](j, k) * delta(j, 0);
                }
                previous(k, 0) = s * a[l - 1](k, 0) * (T(1) - a[l - 1](k, 0));
            }
            delta = std::move(previous);
        }
    }
    return grad;
}

// The central difference and Richardson's extrapolation of it, in precision T:
// C(h) = (f(t + h) - f(t - h)) / 2h and D(h) = (4 C(h) - C(2h)) / 3; t is
// restored afterwards.
template <class T>
T central_in(const std::function<T()>& f, T& t, T h)
{
    const T original = t;
    t = original + h;
    const T up = f();
    t = original - h;
    const T down = f();
    t = original;
    return (up - down) / (T(2) * h);
}

template <class T>
T richardson_in(const std::function<T()>& f, T& t, T h)
{
    return (T(4) * central_in(f, t, h) - central_in(f, t, T(2) * h)) / T(3);
}
//! [precision_template]

template <class T>
NetOf<T> net_in(const backprop::Network& net)
{
    NetOf<T> n{std::vector<MatrixOf<T>>(net.W.size()), std::vector<MatrixOf<T>>(net.b.size())};
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        n.W[l] = xt::cast<T>(net.W[l]);  // each double rounded to the nearest T
        n.b[l] = xt::cast<T>(net.b[l]);
    }
    return n;
}

template <class T>
MatrixOf<T>& tensor_in(NetOf<T>& net, const Tensor& t)
{
    return t.is_W ? net.W[t.layer] : net.b[t.layer];
}

enum class Method { central, richardson };

// One gradient check in precision T: the analytic gradient, the numeric one (every entry),
// and the reports, all converted to double only for the comparison.
struct PrecisionCheck {
    double J = 0.0;
    std::vector<Matrix> analytic;  // one per tensor, in tensors_of order
    std::vector<Matrix> numeric;
    std::vector<GradientReport> reports;
    GradientReport worst;
};

template <class T>
PrecisionCheck check_in(const backprop::Network& network, const Matrix& x_d, const Matrix& y_d, Method method,
                        double h)
{
    NetOf<T> net = net_in<T>(network);
    const MatrixOf<T> x = xt::cast<T>(x_d), y = xt::cast<T>(y_d);
    const NetOf<T> grad = gradient_in(net, x, y);
    const std::function<T()> f = [&] { return loss_in(net, x, y); };
    PrecisionCheck c;
    c.J = static_cast<double>(f());
    for (const Tensor& t : tensors_of(network)) {
        MatrixOf<T>& param = tensor_in(net, t);
        Matrix numeric(param.shape());
        for (std::size_t i = 0; i < param.shape(0); ++i) {
            for (std::size_t j = 0; j < param.shape(1); ++j) {
                numeric(i, j) = static_cast<double>(method == Method::central
                                                        ? central_in(f, param(i, j), static_cast<T>(h))
                                                        : richardson_in(f, param(i, j), static_cast<T>(h)));
            }
        }
        const Matrix analytic = xt::cast<double>(t.is_W ? grad.W[t.layer] : grad.b[t.layer]);
        c.reports.push_back(backprop::compare_gradients(t.name, analytic, numeric));
        c.analytic.push_back(analytic);
        c.numeric.push_back(numeric);
    }
    c.worst = worst_of(c.reports);
    return c;
}

// The numeric derivative of J with respect to one entry in precision T, and its
// relative error against the analytic one of the same precision.
template <class T>
double entry_error_in(const backprop::Network& network, const Matrix& x_d, const Matrix& y_d, const Tensor& t,
                      std::size_t i, std::size_t j, Method method, double h)
{
    NetOf<T> net = net_in<T>(network);
    const MatrixOf<T> x = xt::cast<T>(x_d), y = xt::cast<T>(y_d);
    const NetOf<T> grad = gradient_in(net, x, y);
    const std::function<T()> f = [&] { return loss_in(net, x, y); };
    T& entry = tensor_in(net, t)(i, j);
    const T numeric = method == Method::central ? central_in(f, entry, static_cast<T>(h))
                                                : richardson_in(f, entry, static_cast<T>(h));
    const T analytic = (t.is_W ? grad.W[t.layer] : grad.b[t.layer])(i, j);
    return backprop::relative_error(static_cast<double>(analytic), static_cast<double>(numeric));
}

// ---------------------------------------------------------------------------
// 2. The step h, for one weight of the running example.

constexpr int steps_per_decade = 4;
constexpr int first_k = 1 * steps_per_decade;  // h = 10^{-k/4}, 1e-1 ...
constexpr int last_k = 10 * steps_per_decade;  // ... to 1e-10

struct StepRow {
    double h, central_double, richardson_double, central_float, richardson_float;
};

std::vector<StepRow> sweep_steps(const book::RunningExample& ex, const Tensor& t, std::size_t i, std::size_t j)
{
    std::vector<StepRow> rows;
    for (int k = first_k; k <= last_k; ++k) {
        const double h = std::pow(10.0, -static_cast<double>(k) / steps_per_decade);
        rows.push_back({h, entry_error_in<double>(ex.net, ex.x, ex.y, t, i, j, Method::central, h),
                        entry_error_in<double>(ex.net, ex.x, ex.y, t, i, j, Method::richardson, h),
                        entry_error_in<float>(ex.net, ex.x, ex.y, t, i, j, Method::central, h),
                        entry_error_in<float>(ex.net, ex.x, ex.y, t, i, j, Method::richardson, h)});
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

KinkRow kink_check(const book::RunningExample& ex, double d, double h)
{
    backprop::Network net = relu_example(ex, d);
    const backprop::Gradients grads = backprop::backward(net, backprop::forward(net, ex.x), ex.y, ex.loss);
    const auto f = [&] { return backprop::loss_value(ex.loss, backprop::forward(net, ex.x).output(), ex.y); };
    KinkRow row{d, h, GradientReport{}};
    std::vector<GradientReport> reports;
    for (const Tensor& t : tensors_of(net)) {
        Matrix& param = t.is_W ? net.W[t.layer] : net.b[t.layer];
        const Matrix& analytic = t.is_W ? grads.grad_W[t.layer] : grads.grad_b[t.layer];
        const Matrix numeric = backprop::numeric_gradient(f, param, h);
        reports.push_back(backprop::compare_gradients(t.name, analytic, numeric));
        for (std::size_t i = 0; i < param.shape(0); ++i) {
            for (std::size_t j = 0; j < param.shape(1); ++j) {
                ++row.entries;
                if (crosses_kink(net, ex.x, param, i, j, h)) {
                    ++row.crossing;
                } else {
                    row.worst_elsewhere =
                        std::max(row.worst_elsewhere, backprop::relative_error(analytic(i, j), numeric(i, j)));
                }
            }
        }
    }
    row.worst = worst_of(reports);
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
    const backprop::ScalarFunction J_of_b = [&](double t) {
        net.b[1](0, 0) = t;
        const double J = backprop::loss_value(ex.loss, backprop::forward(net, ex.x).output(), ex.y);
        net.b[1](0, 0) = b;
        return J;
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
// Printing.

std::string num(double x, int digits = 6) { return std::isnan(x) ? "nan" : book::format_number(x, digits); }

constexpr auto pad = book::pad_left;

constexpr auto left = book::pad_right;

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

nlohmann::json check_json(const PrecisionCheck& c, const std::vector<Tensor>& tensors)
{
    nlohmann::json analytic, numeric;
    for (std::size_t t = 0; t < tensors.size(); ++t) {
        analytic[tensors[t].name] = book::to_json(c.analytic[t]);
        numeric[tensors[t].name] = book::to_json(c.numeric[t]);
    }
    return {{"J", c.J}, {"analytic", analytic}, {"numeric", numeric}, {"worst", report_json(c.worst)},
            {"max_relative_error", c.worst.max_relative_error}, {"passed", c.worst.passed()}};
}

double max_abs_difference(const Matrix& A, const Matrix& B)
{
    return xt::amax(xt::abs(A - B))();
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Appendix A: gradient checking in depth. The relative error and its bands; choosing the step h "
                 "(central difference against Richardson extrapolation); kinks and subgradients (ReLU); and the "
                 "gradient check of the running example in float and in double.",
                 "appendix_gradcheck"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    double step = backprop::gradcheck_step;
    app.add_option("--step", step, "The step h of the float-and-double check, 1e-8 to 0.1")
        ->check(book::real_number(1e-8, 0.1))
        ->capture_default_str();
    std::string figures;
    CLI::Option* figures_option =
        app.add_option("--figures", figures,
                       "Write the plot data appendix_gradcheck.step_error.tsv into the existing directory DIR "
                       "instead of printing the text")
            ->type_name("DIR");
    figures_option->excludes(app.get_option("--json"));
    std::string section = "all";
    app.add_option("--section", section,
                   "Print only one part of the text: bands, step, kink, float, or all")
        ->check(CLI::IsMember({"bands", "step", "kink", "float", "all"}))
        ->excludes(app.get_option("--json"))
        ->excludes(figures_option)
        ->capture_default_str();

    return book::run_program(app, argc, argv, [&](std::ostream& stream) {
        const book::RunningExample ex = book::running_example(common.seed);
        const std::vector<Tensor> tensors = tensors_of(ex.net);
        const float eps_float = std::numeric_limits<float>::epsilon();
        const double eps_double = std::numeric_limits<double>::epsilon();

        // The library's own check of the running example, and a wrong formula.
        backprop::Network net = ex.net;
        const backprop::ForwardPass pass = backprop::forward(net, ex.x);
        const backprop::Gradients grads = backprop::backward(net, pass, ex.y, ex.loss);
        const GradientReport library =
            worst_of(library_check(net, ex.x, ex.y, ex.loss, grads, backprop::gradcheck_step));
        //! [wrong_formula]
        // delta^[1] without sigma'(z^[1]): W^[2]^T delta^[2] alone.
        const Matrix delta_wrong =
            backprop::matmul(xt::transpose(net.W[2]), grads.delta[2]);
        const Matrix grad_W1_wrong = backprop::weight_gradient(delta_wrong, ex.x);
        //! [wrong_formula]
        const auto f = [&] { return backprop::loss_value(ex.loss, backprop::forward(net, ex.x).output(), ex.y); };
        const GradientReport wrong =
            backprop::compare_gradients("W^[1]", grad_W1_wrong, backprop::numeric_gradient(f, net.W[1]));

        // 4. Float against double, at the step --step. (Section 4 is computed
        // first: the bands use it.)
        //! [float_against_double]
        const PrecisionCheck float_central =
            check_in<float>(ex.net, ex.x, ex.y, Method::central, step);
        const PrecisionCheck float_richardson =
            check_in<float>(ex.net, ex.x, ex.y, Method::richardson, step);
        const PrecisionCheck double_central =
            check_in<double>(ex.net, ex.x, ex.y, Method::central, step);
        const PrecisionCheck double_richardson =
            check_in<double>(ex.net, ex.x, ex.y, Method::richardson, step);
        //! [float_against_double]
        // The double instance of the template against the library.
        double template_gradient_difference = 0.0, template_numeric_difference = 0.0, float_analytic_error = 0.0;
        for (std::size_t t = 0; t < tensors.size(); ++t) {
            Matrix& param = tensors[t].is_W ? net.W[tensors[t].layer] : net.b[tensors[t].layer];
            const Matrix& lib = tensors[t].is_W ? grads.grad_W[tensors[t].layer] : grads.grad_b[tensors[t].layer];
            template_gradient_difference =
                std::max(template_gradient_difference, max_abs_difference(double_richardson.analytic[t], lib));
            template_numeric_difference =
                std::max(template_numeric_difference,
                         max_abs_difference(double_richardson.numeric[t], backprop::numeric_gradient(f, param, step)));
            float_analytic_error =
                std::max(float_analytic_error,
                         backprop::compare_gradients(tensors[t].name, float_richardson.analytic[t], lib)
                             .max_relative_error);
        }
        const double J_double = backprop::loss_value(ex.loss, pass.output(), ex.y);
        // The best float step on a grid of 4 per decade, 1e-1 to 1e-5, for the whole check.
        Best float_best{0.0, INFINITY};
        for (int k = 4; k <= 20; ++k) {
            const double h = std::pow(10.0, -k / 4.0);
            const double e = check_in<float>(ex.net, ex.x, ex.y, Method::central, h).worst.max_relative_error;
            if (e < float_best.error) {
                float_best = {h, e};
            }
        }
        // The round-off estimate: each value of J is off by up to about eps |J| / 2, so their
        // difference by up to eps |J|, and the central difference by up to eps |J| / 2h.
        const double roundoff_float = eps_float * float_central.J / (2.0 * step);
        const GradientReport& fw = float_central.worst;
        const double measured_float = std::abs(fw.analytic - fw.numeric);

        // 2. The step h, for W^[1]_11.
        const Tensor swept = tensors[0];
        const std::vector<StepRow> sweep = sweep_steps(ex, swept, 0, 0);
        const Best best_central_double = best_of(sweep, &StepRow::central_double);
        const Best best_richardson_double = best_of(sweep, &StepRow::richardson_double);
        const Best best_central_float = best_of(sweep, &StepRow::central_float);
        const Best best_richardson_float = best_of(sweep, &StepRow::richardson_float);
        const double swept_gradient = grads.grad_W[1](0, 0);

        // 3. Kinks.
        const KinkSlopes slopes = kink_slopes(ex);
        const std::vector<KinkRow> kinks = {kink_check(ex, 0.0, 1e-3), kink_check(ex, 5e-4, 1e-3),
                                            kink_check(ex, 5e-2, 1e-3), kink_check(ex, 5e-4, 1e-5)};

        // 1. Where the checks land.
        const std::vector<std::pair<std::string, double>> landings = {
            {"double, Richardson h = 0.001, the library's check", library.max_relative_error},
            {"double, central h = " + num(step), double_central.worst.max_relative_error},
            {"float, Richardson h = " + num(step), float_richardson.worst.max_relative_error},
            {"float, central h = " + num(step), float_central.worst.max_relative_error},
            {"ReLU hidden layer, z^[1]_1 = 0 (at the kink)", kinks[0].worst.max_relative_error},
            {"a wrong formula: delta^[1] without sigma'", wrong.max_relative_error}};

        if (figures_option->count() > 0) {
            book::require_directory(figures);
            std::vector<std::vector<double>> rows;
            for (const StepRow& r : sweep) {
                rows.push_back({r.h, r.central_double, r.richardson_double, r.central_float, r.richardson_float});
            }
            const std::string path = book::join_path(figures, "appendix_gradcheck.step_error.tsv");
            book::write_file(path, book::tsv({"h", "central_double", "richardson_double", "central_float",
                                              "richardson_float"},
                                             rows));
            stream << "wrote " << path << '\n';
            return 0;
        }

        if (common.json) {
            nlohmann::json landing = nlohmann::json::array();
            for (const auto& [what, r] : landings) {
                landing.push_back({{"check", what}, {"max_relative_error", r}, {"band", band_of(r).name}});
            }
            nlohmann::json h = nlohmann::json::array(), cd = h, rd = h, cf = h, rf = h;
            for (const StepRow& r : sweep) {
                h.push_back(r.h);
                cd.push_back(r.central_double);
                rd.push_back(r.richardson_double);
                cf.push_back(r.central_float);
                rf.push_back(r.richardson_float);
            }
            nlohmann::json kink_rows = nlohmann::json::array();
            for (const KinkRow& k : kinks) {
                kink_rows.push_back({{"distance", k.distance},
                                     {"h", k.h},
                                     {"worst", report_json(k.worst)},
                                     {"entries", k.entries},
                                     {"crossing_a_kink", k.crossing},
                                     {"max_relative_error_elsewhere", k.worst_elsewhere}});
            }
            const nlohmann::json j = {
                {"program", "appendix_gradcheck"},
                {"seed", common.seed},
                {"step", step},
                {"bands", {{{"band", "wrong"}, {"from", 1e-2}, {"to", nullptr}},
                           {{"band", "uncomfortable"}, {"from", 1e-4}, {"to", 1e-2}},
                           {{"band", "kinks only"}, {"from", 1e-7}, {"to", 1e-4}},
                           {{"band", "good"}, {"from", 0.0}, {"to", 1e-7}}}},
                {"landings", landing},
                {"library_check", report_json(library)},
                {"wrong_formula", report_json(wrong)},
                {"step_sweep",
                 {{"parameter", "W^[1]_11"},
                  {"analytic", swept_gradient},
                  {"h", h},
                  {"relative_error",
                   {{"central_double", cd}, {"richardson_double", rd}, {"central_float", cf}, {"richardson_float", rf}}},
                  {"best",
                   {{"central_double", {{"h", best_central_double.h}, {"relative_error", best_central_double.error}}},
                    {"richardson_double",
                     {{"h", best_richardson_double.h}, {"relative_error", best_richardson_double.error}}},
                    {"central_float", {{"h", best_central_float.h}, {"relative_error", best_central_float.error}}},
                    {"richardson_float",
                     {{"h", best_richardson_float.h}, {"relative_error", best_richardson_float.error}}}}}}},
                {"kink",
                 {{"network", "running example with ReLU in layer 1, z^[1]_1 = distance"},
                  {"slopes_at_the_kink",
                   {{"parameter", "b^[1]_1"},
                    {"left", slopes.left},
                    {"right", slopes.right},
                    {"numeric", slopes.numeric},
                    {"library", slopes.library}}},
                  {"rows", kink_rows}}},
                {"float_vs_double",
                 {{"epsilon", {{"float", eps_float}, {"double", eps_double}}},
                  {"J_library", J_double},
                  {"float", {{"central", check_json(float_central, tensors)},
                             {"richardson", check_json(float_richardson, tensors)},
                             {"best_central_step", {{"h", float_best.h}, {"max_relative_error", float_best.error}}}}},
                  {"double", {{"central", check_json(double_central, tensors)},
                              {"richardson", check_json(double_richardson, tensors)}}},
                  {"template_against_library",
                   {{"J", std::abs(double_richardson.J - J_double)},
                    {"analytic", template_gradient_difference},
                    {"numeric", template_numeric_difference}}},
                  {"float_analytic_against_double", float_analytic_error},
                  {"roundoff_estimate", roundoff_float},
                  {"measured_error_at_worst_entry", measured_float}}}};
            stream << j.dump(2) << '\n';
            return 0;
        }

        std::ostringstream bands_text;
        bands_text << "1. The relative error and its bands\n\n"
                   << "r = |analytic - numeric| / max(|analytic|, |numeric|, " << num(backprop::gradcheck_tiny)
                   << "),\nthe worst entry over every parameter\n\n"
                   << "  " << left("r", 18) << left("band", 15) << "meaning (CS231n)\n";
        for (const auto& [range, r] : std::vector<std::pair<std::string, double>>{
                 {"1e-2 <= r", 1.0}, {"1e-4 <= r < 1e-2", 1e-3}, {"1e-7 <= r < 1e-4", 1e-5}, {"r < 1e-7", 0.0}}) {
            bands_text << "  " << left(range, 18) << left(band_of(r).name, 15) << band_of(r).meaning << '\n';
        }
        bands_text << "\nWhere this appendix's checks of the running example (seed " << common.seed << ") land:\n\n";
        for (const auto& [what, r] : landings) {
            bands_text << "  " << left(what, 50) << pad(num(r, 2), 9) << "  " << band_of(r).name << '\n';
        }

        std::ostringstream step_text;
        step_text << "2. Choosing the step h: the weight W^[1]_11 of the running example (seed "
                  << common.seed << ")\n\n"
                  << "dJ/dW^[1]_11 = " << num(swept_gradient, 12) << " by backpropagation\n"
                  << "Relative error of the numeric derivative against the step h, each\n"
                  << "precision against its own backpropagation:\n\n"
                  << pad("h", 7) << pad("central", 12) << pad("Richardson", 12) << pad("central", 12)
                  << pad("Richardson", 12) << '\n'
                  << pad("", 7) << pad("double", 12) << pad("double", 12) << pad("float", 12) << pad("float", 12)
                  << '\n';
        for (std::size_t i = 0; i < sweep.size(); i += steps_per_decade) {
            const StepRow& r = sweep[i];
            step_text << pad("1e-" + std::to_string((first_k + static_cast<int>(i)) / steps_per_decade), 7)
                      << pad(num(r.central_double, 2), 12) << pad(num(r.richardson_double, 2), 12)
                      << pad(num(r.central_float, 2), 12) << pad(num(r.richardson_float, 2), 12) << '\n';
        }
        step_text << "\nThe best step on a grid of " << steps_per_decade << " per decade:\n";
        for (const auto& [name, b] : std::vector<std::pair<std::string, Best>>{
                 {"central, double", best_central_double},
                 {"Richardson, double", best_richardson_double},
                 {"central, float", best_central_float},
                 {"Richardson, float", best_richardson_float}}) {
            step_text << "  " << left(name, 20) << "h = " << left(num(b.h, 2), 9) << "relative error "
                      << left(num(b.error, 2), 9) << " " << band_of(b.error).name << '\n';
        }

        std::ostringstream kink_text;
        kink_text << "3. Kinks: the running example with ReLU in layer 1 (seed " << common.seed << ")\n\n"
                  << "b^[1]_1 is set so that z^[1]_1 = d. ReLU has no derivative at z = 0;\n"
                  << "the library uses the subgradient ReLU'(0) = 0.\n\n"
                  << "At d = 0, J as a function of b^[1]_1:\n"
                  << "  slope from the left               " << num(slopes.left, 6) << '\n'
                  << "  slope from the right              " << num(slopes.right, 6) << '\n'
                  << "  Richardson across the kink        " << num(slopes.numeric, 6) << " (h = "
                  << num(backprop::gradcheck_step) << ")\n"
                  << "  backpropagation (the subgradient) " << num(slopes.library, 6) << "\n\n"
                  << pad("d", 8) << pad("h", 8) << pad("worst r", 10) << "  " << left("at", 10) << left("band", 15)
                  << "crossing  " << "others\n";
        for (const KinkRow& k : kinks) {
            kink_text << pad(num(k.distance), 8) << pad(num(k.h), 8) << pad(num(k.worst.max_relative_error, 2), 10)
                      << "  " << left(entry_name(k.worst), 10) << left(band_of(k.worst.max_relative_error).name, 15)
                      << left(std::to_string(k.crossing) + " of " + std::to_string(k.entries), 10)
                      << num(k.worst_elsewhere, 2) << '\n';
        }
        kink_text << "\ncrossing: the entries whose check, from t - 2h to t + 2h, switches a\n"
                  << "ReLU on or off; others: the worst r of all the other entries.\n";

        std::ostringstream float_text;
        float_text << "4. Float against double: the running example (seed " << common.seed
                   << "),\none template in both precisions\n\n"
                   << "  machine epsilon   float " << num(eps_float, 6) << "   double " << num(eps_double, 6) << '\n'
                   << "  J                 float " << num(float_central.J, 9) << "   double "
                   << num(double_richardson.J, 17) << '\n'
                   << "  the double instance against the library: J differs by "
                   << num(std::abs(double_richardson.J - J_double), 2) << ",\n"
                   << "  the gradients by " << num(template_gradient_difference, 2)
                   << ", the numeric gradients by " << num(template_numeric_difference, 2) << '\n'
                   << "  float's backpropagation against double's: relative error "
                   << num(float_analytic_error, 2) << "\n\n"
                   << "Gradient check of the 17 parameters, step h = " << num(step) << ", worst entry:\n\n"
                   << "  " << left("", 12) << pad("float", 9) << left("", 10) << pad("double", 9) << '\n';
        for (const auto& [name, pair] : std::vector<std::pair<std::string, std::pair<const PrecisionCheck*, const PrecisionCheck*>>>{
                 {"central", {&float_central, &double_central}}, {"Richardson", {&float_richardson, &double_richardson}}}) {
            const double rf = pair.first->worst.max_relative_error, rd = pair.second->worst.max_relative_error;
            float_text << "  " << left(name, 12) << pad(num(rf, 2), 9) << "  " << left(rf < 1e-7 ? "passes" : "fails", 8)
                       << pad(num(rd, 2), 9) << "  " << (rd < 1e-7 ? "passes" : "fails") << '\n';
        }
        float_text << "\nThe bar is 1e-07. Float's best central step on a grid of 4 per decade,\n"
                   << "h = " << num(float_best.h, 2) << ", still leaves " << num(float_best.error, 2) << ".\n\n"
                   << "Why float fails: each value of J is rounded to float, an error of\n"
                   << "about eps |J| / 2 = " << num(eps_float * float_central.J / 2.0, 2)
                   << ". The central difference divides the\n"
                   << "difference of two such values by 2h, so its error is up to about\n"
                   << "eps |J| / 2h = " << num(roundoff_float, 2) << ", whatever the size of the gradient.\n"
                   << "At the worst entry, " << entry_name(fw) << ", the gradient is " << num(fw.analytic, 4)
                   << " and the\ncentral difference is off by " << num(measured_float, 2)
                   << ", a relative error of " << num(fw.max_relative_error, 2) << ".\n";

        const std::vector<std::pair<std::string, std::string>> sections = {{"bands", bands_text.str()},
                                                                           {"step", step_text.str()},
                                                                           {"kink", kink_text.str()},
                                                                           {"float", float_text.str()}};
        std::string text;
        for (const auto& [name, part] : sections) {
            if (section == "all" || section == name) {
                text += (text.empty() ? "" : "\n") + part;
            }
        }
        stream << text;
        return 0;
    });
}

// The speed of a training step, measured: the library against plain loops at batch 1,
// and the library against its own matrix products (the roofline) at batch 128.
//
// compute() takes the timings; text() and json() show them; main() declares the flags.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "backprop/sgd.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

extern "C" void openblas_set_num_threads(int);

using backprop::Activation;
using backprop::Loss;
using backprop::Matrix;

namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::size_t> w1_sizes = {64, 32, 10};
const std::vector<std::size_t> w2_sizes = {784, 256, 256, 10};
constexpr std::size_t w2_batch = 128;

// Seconds per call of `reps` calls of f.
template <class F>
double seconds_per_call(F& f, int reps)
{
    const auto start = Clock::now();
    for (int i = 0; i < reps; ++i) {
        f();
    }
    return std::chrono::duration<double>(Clock::now() - start).count() / reps;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Two timings taken in turn, `repeats` times, after a warm-up of each, so that a change
// of the machine's load during the run affects both alike: the medians of each and of
// their ratio a/b, and the lowest and highest ratio (how noisy the run was).
struct Paired {
    double a, b, ratio, ratio_low, ratio_high;
};

template <class F, class G>
Paired time_in_turn(F&& f, G&& g, int repeats, int reps)
{
    for (int i = 0; i < std::max(1, reps / 4); ++i) {
        f();
        g();
    }
    std::vector<double> ta, tb, r;
    for (int k = 0; k < repeats; ++k) {
        ta.push_back(seconds_per_call(f, reps));
        tb.push_back(seconds_per_call(g, reps));
        r.push_back(ta.back() / tb.back());
    }
    return {median(ta), median(tb), median(r), *std::min_element(r.begin(), r.end()),
            *std::max_element(r.begin(), r.end())};
}

// ---------------------------------------------------------------------------------
// W1's comparison: the same per-sample step (tanh hidden layers, sigmoid output,
// cross-entropy) written as plain loops over std::vector, as one would without a library.
struct PlainNet {
    std::vector<std::size_t> n;
    std::vector<std::vector<double>> W, b, z, a, delta;  // W[l] row-major (n_l x n_{l-1})

    explicit PlainNet(const backprop::Network& net) : n(net.sizes)
    {
        const std::size_t L = n.size() - 1;
        W.resize(L + 1);
        b.resize(L + 1);
        z.resize(L + 1);
        a.resize(L + 1);
        delta.resize(L + 1);
        a[0].resize(n[0]);
        for (std::size_t l = 1; l <= L; ++l) {
            W[l].assign(net.W[l].begin(), net.W[l].end());
            b[l].assign(net.b[l].begin(), net.b[l].end());
            z[l].resize(n[l]);
            a[l].resize(n[l]);
            delta[l].resize(n[l]);
        }
    }

    void step(const double* x, const double* y, double alpha)
    {
        const std::size_t L = n.size() - 1;
        std::copy(x, x + n[0], a[0].begin());
        for (std::size_t l = 1; l <= L; ++l) {
            for (std::size_t j = 0; j < n[l]; ++j) {
                double s = b[l][j];
                for (std::size_t k = 0; k < n[l - 1]; ++k) {
                    s += W[l][j * n[l - 1] + k] * a[l - 1][k];
                }
                z[l][j] = s;
                a[l][j] = l == L ? 1.0 / (1.0 + std::exp(-s)) : std::tanh(s);
            }
        }
        for (std::size_t j = 0; j < n[L]; ++j) {
            delta[L][j] = a[L][j] - y[j];  // sigmoid + cross-entropy
        }
        for (std::size_t l = L - 1; l >= 1; --l) {
            for (std::size_t k = 0; k < n[l]; ++k) {
                double s = 0.0;
                for (std::size_t j = 0; j < n[l + 1]; ++j) {
                    s += W[l + 1][j * n[l] + k] * delta[l + 1][j];
                }
                delta[l][k] = s * (1.0 - a[l][k] * a[l][k]);
            }
        }
        for (std::size_t l = 1; l <= L; ++l) {
            for (std::size_t j = 0; j < n[l]; ++j) {
                for (std::size_t k = 0; k < n[l - 1]; ++k) {
                    W[l][j * n[l - 1] + k] -= alpha * delta[l][j] * a[l - 1][k];
                }
                b[l][j] -= alpha * delta[l][j];
            }
        }
    }
};

struct W1Result {
    double library_us, plain_us, speedup, speedup_low, speedup_high, max_difference;
};

W1Result run_w1(int repeats, int reps, std::uint64_t seed)
{
    backprop::Network net = backprop::make_network(w1_sizes, Activation::tanh, Activation::sigmoid, seed);
    PlainNet plain(net);
    backprop::Random rng(seed + 1);
    const int samples = 64;
    const Matrix X = rng.uniform_matrix(w1_sizes.front(), samples, 0.0, 1.0);
    Matrix Y = xt::zeros<double>({std::size_t{10}, std::size_t{samples}});
    for (int i = 0; i < samples; ++i) {
        Y(rng.below(10), static_cast<std::size_t>(i)) = 1.0;
    }
    // Column-major copies for the plain version; library batches of one column.
    std::vector<Matrix> xs, ys;
    std::vector<std::vector<double>> px, py;
    for (int i = 0; i < samples; ++i) {
        xs.push_back(xt::view(X, xt::all(), xt::range(i, i + 1)));
        ys.push_back(xt::view(Y, xt::all(), xt::range(i, i + 1)));
        px.emplace_back(xs.back().begin(), xs.back().end());
        py.emplace_back(ys.back().begin(), ys.back().end());
    }
    const double alpha = 1e-3;
    backprop::ForwardPass pass;
    backprop::Gradients grads;
    int i_lib = 0, i_plain = 0;
    auto library_step = [&] {
        const int i = i_lib++ % samples;
        backprop::forward_into(net, xs[i], pass);
        backprop::backward_into(net, pass, ys[i], Loss::cross_entropy, grads);
        backprop::sgd_step(net, grads, alpha);
    };
    auto plain_step = [&] {
        const int i = i_plain++ % samples;
        plain.step(px[i].data(), py[i].data(), alpha);
    };
    // Both versions take the same steps on the same samples: they must agree.
    for (int s = 0; s < 200; ++s) {
        library_step();
        plain_step();
    }
    double diff = 0.0;
    for (std::size_t l = 1; l <= 2; ++l) {
        for (std::size_t k = 0; k < net.W[l].size(); ++k) {
            diff = std::max(diff, std::abs(net.W[l].data()[k] - plain.W[l][k]));
        }
    }
    const Paired t = time_in_turn(plain_step, library_step, repeats, reps);
    return {t.b * 1e6, t.a * 1e6, t.ratio, t.ratio_low, t.ratio_high, diff};
}

// ---------------------------------------------------------------------------------
// W2: a batched step, and the same step's matrix products alone, back to back.
struct W2Result {
    int threads;
    double step_seconds, gemm_seconds, fraction, fraction_low, fraction_high;
};

W2Result run_w2(int threads, int repeats, int reps, std::uint64_t seed)
{
    openblas_set_num_threads(threads);
    const std::size_t m = w2_batch;
    backprop::Network net = backprop::make_network(w2_sizes, Activation::relu, Activation::sigmoid, seed);
    backprop::Random rng(seed + 2);
    const Matrix X = rng.uniform_matrix(w2_sizes.front(), m, 0.0, 1.0);
    Matrix Y = xt::zeros<double>({std::size_t{10}, m});
    for (std::size_t i = 0; i < m; ++i) {
        Y(rng.below(10), i) = 1.0;
    }
    backprop::ForwardPass pass;
    backprop::Gradients grads;
    auto step = [&] {
        backprop::forward_into(net, X, pass);
        backprop::backward_into(net, pass, Y, Loss::cross_entropy, grads);
        backprop::sgd_step(net, grads, 1e-4);
    };
    step();  // allocate every buffer
    // The step's matrix products, into the same buffers: forward W a, backward W^T delta
    // (not for layer 1: no delta^[0] is needed), and delta a^T for every layer.
    auto gemms = [&] {
        const std::size_t L = net.depth();
        for (std::size_t l = 1; l <= L; ++l) {
            backprop::matmul_into(net.W[l], false, pass.a[l - 1], false, pass.z[l]);
        }
        for (std::size_t l = L - 1; l >= 1; --l) {
            backprop::matmul_into(net.W[l + 1], true, grads.delta[l + 1], false, grads.delta[l]);
        }
        for (std::size_t l = 1; l <= L; ++l) {
            backprop::matmul_into(grads.delta[l], false, pass.a[l - 1], true, grads.grad_W[l]);
        }
    };
    const Paired t = time_in_turn(gemms, step, repeats, reps);
    return {threads, t.b, t.a, t.ratio, t.ratio_low, t.ratio_high};
}

constexpr std::int64_t max_repeats = 25;  // so that the slowest run ends within about a minute

// The flags, as typed values.
struct Options {
    std::int64_t seed = 1;
    int repeats = 7;     // timed repetitions, each a median's sample
    bool quick = false;  // fewer steps per repetition
};

// Every timing the program shows.
struct Results {
    Options options;
    W1Result w1;
    std::vector<W2Result> w2;  // at 1 and 2 BLAS threads
};

Results compute(const Options& o)
{
    const auto seed = static_cast<std::uint64_t>(o.seed);
    Results r;
    r.options = o;
    r.w1 = run_w1(o.repeats, o.quick ? 2000 : 20000, seed);
    for (int threads : {1, 2}) {
        r.w2.push_back(run_w2(threads, o.repeats, o.quick ? 3 : 20, seed));
    }
    openblas_set_num_threads(2);
    return r;
}

nlohmann::json json(const Results& r)
{
    nlohmann::json w2 = nlohmann::json::array();
    for (const W2Result& w : r.w2) {
        w2.push_back({{"threads", w.threads},
                      {"sizes", w2_sizes},
                      {"batch", w2_batch},
                      {"steps_per_second", 1.0 / w.step_seconds},
                      {"roofline_steps_per_second", 1.0 / w.gemm_seconds},
                      {"fraction_of_roofline", w.fraction},
                      {"fraction_lowest", w.fraction_low},
                      {"fraction_highest", w.fraction_high}});
    }
    return {{"program", "ch08_bench"},
            {"repeats", r.options.repeats},
            {"quick", r.options.quick},
            {"w1",
             {{"sizes", w1_sizes},
              {"library_us_per_step", r.w1.library_us},
              {"plain_us_per_step", r.w1.plain_us},
              {"speedup", r.w1.speedup},
              {"speedup_lowest", r.w1.speedup_low},
              {"speedup_highest", r.w1.speedup_high},
              {"max_weight_difference", r.w1.max_difference}}},
            {"w2", w2}};
}

// A fraction of the roofline as printed: a step includes its products, so it cannot be
// faster than they are alone; a measured fraction above 100% is noise, shown as 100%*.
std::string percent_of_roofline(double fraction)
{
    char cell[32];
    std::snprintf(cell, sizeof cell, fraction > 1.0 ? "100.0%%*" : "%.1f%%", 100.0 * fraction);
    return cell;
}

std::string text(const Results& r)
{
    std::ostringstream out;
    char line[256];
    const W1Result& w1 = r.w1;
    out << "Timings are taken in turn and the medians of " << r.options.repeats << " repetitions reported,\n"
        << "with the lowest and highest ratio of the repetitions in brackets.\n\n"
        << "W1: one sample per step, " << book::join_sizes(w1_sizes, "-") << " (tanh, sigmoid output, cross-entropy)\n";
    std::snprintf(line, sizeof line, "  library      %8.2f us/step\n  plain loops  %8.2f us/step\n", w1.library_us,
                  w1.plain_us);
    out << line;
    if (w1.speedup >= 1.0) {
        std::snprintf(line, sizeof line, "  the library is %.2f times as fast (%.2f to %.2f)", w1.speedup,
                      w1.speedup_low, w1.speedup_high);
    } else {
        std::snprintf(line, sizeof line, "  the plain loops are %.2f times as fast (%.2f to %.2f)", 1.0 / w1.speedup,
                      1.0 / w1.speedup_high, 1.0 / w1.speedup_low);
    }
    out << line;
    std::snprintf(line, sizeof line, "; weights after 200 equal\n  steps differ by %.1e\n\n", w1.max_difference);
    out << line << "W2: batch of " << w2_batch << ", " << book::join_sizes(w2_sizes, "-")
        << " (ReLU, sigmoid output, cross-entropy)\n"
        << "  BLAS threads   steps/s   roofline steps/s   fraction of roofline\n";
    bool noise = false;
    for (const W2Result& w : r.w2) {
        // The step's rate is the roofline's times the fraction (the median of the paired
        // ratios, at most 1), so that noise in either timing never shows a step faster
        // than its own products.
        const double roofline = 1.0 / w.gemm_seconds;
        std::snprintf(line, sizeof line, "  %12d  %8.1f   %16.1f   %8s (%s to %s)\n", w.threads,
                      roofline * std::min(w.fraction, 1.0), roofline, percent_of_roofline(w.fraction).c_str(),
                      percent_of_roofline(w.fraction_low).c_str(), percent_of_roofline(w.fraction_high).c_str());
        out << line;
        noise = noise || w.fraction_high > 1.0;
    }
    out << "  steps/s is the roofline's rate times the fraction, the median of the\n"
           "  repetitions' ratios\n";
    if (noise) {
        out << "  * measured above 100%, which only noise can do: a step includes its products\n";
    }
    return out.str();
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch08_bench",
                          "The speed of a training step. W1: the per-sample step (forward, backward, update) of a "
                          "64-32-10 network, the library against plain loops. W2: the batched step of a "
                          "784-256-256-10 network at batch 128, against its matrix products alone (the roofline), "
                          "at 1 and 2 BLAS threads.");
    Options o;
    program.whole("--repeat", o.repeats, 1, max_repeats, "Timed repetitions; the median is reported (1 to 25)");
    program.app.add_flag("--quick", o.quick, "Fewer steps per repetition (for the book's build)");

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        out << (program.common.json ? json(r).dump(2) + "\n" : text(r));
        return 0;
    });
}

// Chapter 1: the matrix product and the Hadamard product, on the source's example;
// the shape rules; and the naive triple loop timed against BLAS.
//
// compute() runs the library and returns the numbers; text() and json() show them;
// main() declares the flags and chooses a renderer.
#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "backprop/matmul.hpp"
#include "backprop/random.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Matrix;

namespace {

// The limits of the timing. The naive product is slowest per multiply-add at N = 1024
// (each step down a column of B lands on the same cache sets): 5 to 12 s a product on a
// busy 2-core machine. A warm-up and --repeat timed runs of each product may do at most
// 2^32 multiply-adds, (repeats + 1) N^3: --size 1024 allows the default --repeat 3 and
// takes under a minute, and no run the flags allow takes longer.
constexpr std::int64_t max_size = 1024;
constexpr std::int64_t max_repeats = 100;
constexpr double max_multiply_adds = 4294967296.0;  // 2^32

// The most --repeat allows with --size n.
std::int64_t most_repeats(std::int64_t n)
{
    const double cube = static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
    return std::min(max_repeats, static_cast<std::int64_t>(std::floor(max_multiply_adds / cube)) - 1);
}

// The flags, as typed values.
struct Options {
    std::int64_t seed = 1;
    std::int64_t size = 0;  // 0: no timing
    int repeats = 3;
};

struct Timing {
    std::size_t size;
    double naive_seconds;  // the median run
    double blas_seconds;   // the median run
    double ratio;          // the median of the runs' ratios naive / BLAS
    double ratio_low;      // the smallest ratio of a pair of runs
    double ratio_high;     // the largest
    double max_difference;
    int repeats;
    int blas_threads;
};

double seconds_of(const std::function<void()>& f)
{
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double max_abs_difference(const Matrix& X, const Matrix& Y)
{
    double d = 0.0;
    for (std::size_t k = 0; k < X.size(); ++k) {
        d = std::max(d, std::abs(X.data()[k] - Y.data()[k]));
    }
    return d;
}

Timing time_products(std::size_t n, std::int64_t seed, int repeats)
{
    backprop::Random rng(static_cast<std::uint64_t>(seed));
    const Matrix A = rng.uniform_matrix(n, n, -1.0, 1.0);
    const Matrix B = rng.uniform_matrix(n, n, -1.0, 1.0);
    Matrix naive, blas;
    const std::function<void()> run_naive = [&] { naive = backprop::matmul_naive(A, B); };
    const std::function<void()> run_blas = [&] { blas = backprop::matmul(A, B); };
    run_naive();  // one untimed warm-up run of each
    run_blas();
    // The two products in turn, so that a slow moment of the machine falls on both.
    std::vector<double> t_naive, t_blas, ratios;
    for (int r = 0; r < repeats; ++r) {
        t_naive.push_back(seconds_of(run_naive));
        t_blas.push_back(seconds_of(run_blas));
        ratios.push_back(t_naive.back() / t_blas.back());
    }
    return {n,
            median(t_naive),
            median(t_blas),
            median(ratios),
            *std::min_element(ratios.begin(), ratios.end()),
            *std::max_element(ratios.begin(), ratios.end()),
            max_abs_difference(naive, blas),
            repeats,
            book::blas_threads()};
}

// What happens when a product's shapes do not fit: the library's own message.
std::string shape_error_of(const Matrix& A, const Matrix& B, bool hadamard)
{
    try {
        if (hadamard) {
            backprop::hadamard(A, B);
        } else {
            backprop::matmul(A, B);
        }
    } catch (const backprop::ShapeError& e) {
        return e.what();
    }
    return "no error";
}

// Everything the chapter shows, computed once.
struct Results {
    Options options;
    Matrix A, B, AB, A_naive_B, A_had_B;
    Matrix P, Q;                   // a random (2, 3) and (3, 4) matrix
    double pq_difference = 0.0;    // naive against BLAS on PQ
    std::string product_error;     // (2, 3)(2, 3)
    std::string hadamard_error;    // (2, 3) ⊙ (3, 2)
    std::optional<Timing> timing;  // with --size
};

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    //! [source_example]
    const Matrix A = {{1.0, 2.0}, {3.0, 4.0}};
    const Matrix B = {{-1.0, -2.0}, {-3.0, -4.0}};
    const Matrix AB = backprop::matmul(A, B);  // rows of A times columns of B
    const Matrix A_naive_B = backprop::matmul_naive(A, B);
    const Matrix A_had_B = backprop::hadamard(A, B);  // entry by entry
    //! [source_example]
    r.A = A;
    r.B = B;
    r.AB = AB;
    r.A_naive_B = A_naive_B;
    r.A_had_B = A_had_B;

    backprop::Random rng(static_cast<std::uint64_t>(o.seed));
    r.P = rng.uniform_matrix(2, 3, -1.0, 1.0);
    r.Q = rng.uniform_matrix(3, 4, -1.0, 1.0);
    r.pq_difference = max_abs_difference(backprop::matmul_naive(r.P, r.Q), backprop::matmul(r.P, r.Q));

    const Matrix M23 = xt::ones<double>({2, 3});
    const Matrix M32 = xt::ones<double>({3, 2});
    r.product_error = shape_error_of(M23, M23, false);
    r.hadamard_error = shape_error_of(M23, M32, true);

    if (o.size > 0) {
        r.timing = time_products(static_cast<std::size_t>(o.size), o.seed, o.repeats);
    }
    return r;
}

nlohmann::json json(const Results& r)
{
    nlohmann::json j = {
        {"program", "ch01_matmul"},
        {"seed", r.options.seed},
        {"A", book::to_json(r.A)},
        {"B", book::to_json(r.B)},
        {"AB", book::to_json(r.AB)},
        {"AB_naive", book::to_json(r.A_naive_B)},
        {"A_hadamard_B", book::to_json(r.A_had_B)},
        {"random_product",
         {{"P", book::to_json(r.P)}, {"Q", book::to_json(r.Q)}, {"max_abs_difference_naive_vs_blas", r.pq_difference}}},
        {"shape_errors", {{"product_2x3_by_2x3", r.product_error}, {"hadamard_2x3_by_3x2", r.hadamard_error}}},
        {"timing", nullptr}};
    if (const std::optional<Timing>& t = r.timing) {
        j["timing"] = {{"size", t->size},
                       {"repeats", t->repeats},
                       {"blas_threads", t->blas_threads},
                       {"naive_seconds", t->naive_seconds},
                       {"blas_seconds", t->blas_seconds},
                       {"speedup", t->ratio},
                       {"speedup_lowest", t->ratio_low},
                       {"speedup_highest", t->ratio_high},
                       {"max_abs_difference", t->max_difference}};
    }
    return j;
}

// The speed of the naive loop against BLAS, for --size.
std::string timing_text(const Timing& t, std::int64_t seed)
{
    std::ostringstream out;
    out << book::wrap("Speed: two random " + std::to_string(t.size) + "\u00d7" + std::to_string(t.size) +
                          " matrices (seed " + std::to_string(seed) + "), median of " + std::to_string(t.repeats) +
                          " runs, OpenBLAS with " + std::to_string(t.blas_threads) + " thread(s)",
                      80)
        << "\n"
        << "  naive triple loop  " << book::format_number(t.naive_seconds * 1e3, 4) << " ms\n"
        << "  BLAS (dgemm)       " << book::format_number(t.blas_seconds * 1e3, 4) << " ms\n"
        << "  BLAS is " << book::format_number(t.ratio, 3) << " times as fast (the median of " << t.repeats
        << " paired runs;\n"
        << "  from " << book::format_number(t.ratio_low, 3) << " to " << book::format_number(t.ratio_high, 3)
        << " times)\n";
    // A spread of more than half the ratio means the machine was busy: say so.
    if (t.ratio_high > 1.5 * t.ratio_low) {
        out << "  The runs disagree by more than half: the machine was busy, and the ratio\n"
            << "  is only a rough guide.\n";
    }
    out << "  Largest difference between the two results " << book::format_number(t.max_difference, 3) << "\n";
    return out.str();
}

// The source's example and the shape rules; with --size, only the timing.
std::string text(const Results& r)
{
    if (const std::optional<Timing>& t = r.timing) {
        return timing_text(*t, r.options.seed);
    }
    std::ostringstream out;
    out << "The source's example\n\n"
        << book::show("A", r.A) << book::show("B", r.B) << '\n'
        << "Matrix product (2, 2)(2, 2) -> (2, 2); entry (i, j) is row i of A times\n"
        << "column j of B:\n"
        << book::show("AB", r.AB)
        << "The same product by the naive triple loop:\n"
        << book::show("AB", r.A_naive_B) << '\n'
        << "Hadamard product (2, 2) \u2299 (2, 2) -> (2, 2), entry by entry:\n"
        << book::show("A \u2299 B", r.A_had_B) << '\n'
        << "Shape rules\n\n"
        << "(n, k)(k, m) -> (n, m): a random (2, 3) matrix P times a random (3, 4) matrix Q\n"
        << "(seed " << r.options.seed << ") is (2, 4); naive loop and BLAS differ by at most "
        << book::format_number(r.pq_difference, 3) << ".\n\n"
        << "(2, 3)(2, 3) is not defined:\n" << book::wrap(r.product_error, 80, "  ", "  ") << "\n"
        << "(2, 3) \u2299 (3, 2) is not defined:\n" << book::wrap(r.hadamard_error, 80, "  ", "  ") << "\n";
    return out.str();
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch01_matmul",
                          "Chapter 1: the matrix product AB and the element-wise (Hadamard) product A\u2299B, "
                          "on the source's example; with --size N, the naive triple loop timed against BLAS.");
    Options o;
    CLI::Option* size =
        program
            .whole("--size", o.size, 1, max_size,
                   "Time the naive and the BLAS product of two random N\u00d7N matrices instead, N from 1 to 1024")
            ->default_str("");
    program
        .whole("--repeat", o.repeats, 1, max_repeats,
               "Timed runs per product with --size, 1 to 100 (the median is shown), after one warm-up run; "
               "with --size N, (repeats + 1)\u00b7N\u00b3 may be at most 2^32: --size 1024 allows 3, "
               "--size 512 allows 31")
        ->needs(size);
    program.after_parsing([&o] {
        if (o.size > 0 && o.repeats > most_repeats(o.size)) {
            throw book::BadInput("--repeat: " + std::to_string(o.repeats) + " timed runs of " +
                                 std::to_string(o.size) + "\u00d7" + std::to_string(o.size) +
                                 " products would take too long; with --size " + std::to_string(o.size) +
                                 " give at most " + std::to_string(most_repeats(o.size)) +
                                 " ((repeats + 1)\u00b7N\u00b3 at most 2^32)");
        }
    });

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        const Results r = compute(o);
        out << (program.common.json ? json(r).dump(2) + "\n" : text(r));
        return 0;
    });
}

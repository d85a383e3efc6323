// Chapter 1: the matrix product and the Hadamard product, on the source's example;
// the shape rules; and the naive triple loop timed against BLAS.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <vector>

#include "backprop/matmul.hpp"
#include "backprop/random.hpp"
#include "book/cli.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/print.hpp"

using backprop::Matrix;

namespace {

struct Timing {
    std::size_t size;
    double naive_seconds;
    double blas_seconds;
    double max_difference;
    int repeats;
};

// The median of `repeats` timed runs of f, after one untimed warm-up run.
template <class F>
double median_seconds(F f, int repeats)
{
    f();
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
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
    const double t_naive = median_seconds([&] { naive = backprop::matmul_naive(A, B); }, repeats);
    const double t_blas = median_seconds([&] { blas = backprop::matmul(A, B); }, repeats);
    return {n, t_naive, t_blas, max_abs_difference(naive, blas), repeats};
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

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Chapter 1: the matrix product AB and the element-wise (Hadamard) product A\u2299B, "
                 "on the source's example; with --size N, the naive triple loop timed against BLAS.",
                 "ch01_matmul"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    std::int64_t size = 0;
    app.add_option("--size", size,
                   "Also time the naive and the BLAS product of two random N\u00d7N matrices (N from 1 to 2048)")
        ->check(book::whole_number(1, 2048));
    int repeats = 3;
    app.add_option("--repeat", repeats, "Timed runs per product with --size, 1 to 100; the median is shown")
        ->check(book::whole_number(1, 100))
        ->capture_default_str();

    return book::run_program(app, argc, argv, [&](std::ostream& out) {
        //! [source_example]
        const Matrix A = {{1.0, 2.0}, {3.0, 4.0}};
        const Matrix B = {{-1.0, -2.0}, {-3.0, -4.0}};
        const Matrix AB = backprop::matmul(A, B);           // rows of A times columns of B
        const Matrix A_naive_B = backprop::matmul_naive(A, B);
        const Matrix A_had_B = backprop::hadamard(A, B);    // entry by entry
        //! [source_example]

        backprop::Random rng(static_cast<std::uint64_t>(common.seed));
        const Matrix P = rng.uniform_matrix(2, 3, -1.0, 1.0);
        const Matrix Q = rng.uniform_matrix(3, 4, -1.0, 1.0);
        const double pq_difference = max_abs_difference(backprop::matmul_naive(P, Q), backprop::matmul(P, Q));

        const Matrix M23 = xt::ones<double>({2, 3});
        const Matrix M32 = xt::ones<double>({3, 2});
        const std::string product_error = shape_error_of(M23, M23, false);
        const std::string hadamard_error = shape_error_of(M23, M32, true);

        const bool timed = size > 0;
        Timing timing{};
        if (timed) {
            timing = time_products(static_cast<std::size_t>(size), common.seed, repeats);
        }

        if (common.json) {
            nlohmann::json j = {
                {"program", "ch01_matmul"},
                {"seed", common.seed},
                {"A", book::to_json(A)},
                {"B", book::to_json(B)},
                {"AB", book::to_json(AB)},
                {"AB_naive", book::to_json(A_naive_B)},
                {"A_hadamard_B", book::to_json(A_had_B)},
                {"random_product", {{"P", book::to_json(P)}, {"Q", book::to_json(Q)},
                                    {"max_abs_difference_naive_vs_blas", pq_difference}}},
                {"shape_errors", {{"product_2x3_by_2x3", product_error},
                                  {"hadamard_2x3_by_3x2", hadamard_error}}},
                {"timing", nullptr}};
            if (timed) {
                j["timing"] = {{"size", timing.size},
                               {"repeats", timing.repeats},
                               {"blas_threads", book::blas_threads()},
                               {"naive_seconds", timing.naive_seconds},
                               {"blas_seconds", timing.blas_seconds},
                               {"speedup", timing.naive_seconds / timing.blas_seconds},
                               {"max_abs_difference", timing.max_difference}};
            }
            out << j.dump(2) << '\n';
            return 0;
        }

        out << "The source's example\n\n"
            << book::show("A", A) << book::show("B", B) << '\n'
            << "Matrix product (2, 2)(2, 2) -> (2, 2), entry (i, j) = row i of A times column j of B:\n"
            << book::show("AB", AB)
            << "The same product by the naive triple loop:\n"
            << book::show("AB", A_naive_B) << '\n'
            << "Hadamard product (2, 2) \u2299 (2, 2) -> (2, 2), entry by entry:\n"
            << book::show("A \u2299 B", A_had_B) << '\n'
            << "Shape rules\n\n"
            << "(n, k)(k, m) -> (n, m): a random (2, 3) matrix P times a random (3, 4) matrix Q\n"
            << "(seed " << common.seed << ") is (2, 4); naive loop and BLAS differ by at most "
            << book::format_number(pq_difference, 3) << ".\n\n"
            << "(2, 3)(2, 3) is not defined:\n  " << product_error << "\n"
            << "(2, 3) \u2299 (3, 2) is not defined:\n  " << hadamard_error << "\n";
        if (timed) {
            out << "\nSpeed: two random " << timing.size << "\u00d7" << timing.size
                << " matrices (seed " << common.seed << "), median of " << timing.repeats
                << " runs, OpenBLAS with " << book::blas_threads() << " thread(s)\n"
                << "  naive triple loop  " << book::format_number(timing.naive_seconds * 1e3, 4) << " ms\n"
                << "  BLAS (dgemm)       " << book::format_number(timing.blas_seconds * 1e3, 4) << " ms\n"
                << "  BLAS is " << book::format_number(timing.naive_seconds / timing.blas_seconds, 3)
                << " times faster; largest difference between the two results "
                << book::format_number(timing.max_difference, 3) << "\n";
        }
        return 0;
    });
}

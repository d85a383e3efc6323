// What the tests share: comparing matrices, running a chapter program, and the
// gradient check of a whole network.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"
#include "book/print.hpp"

namespace support {

using backprop::Matrix;

// Matches a matrix of the same shape whose entries are within `rel` relative or
// `abs` absolute difference of the expected ones, and says where it is not.
class MatrixNear : public Catch::MatcherBase<Matrix> {
public:
    MatrixNear(Matrix expected, double rel, double abs) : expected_(std::move(expected)), rel_(rel), abs_(abs) {}

    bool match(const Matrix& actual) const override
    {
        if (actual.shape() != expected_.shape()) {
            return false;
        }
        for (std::size_t k = 0; k < actual.size(); ++k) {
            const double a = actual.data()[k], e = expected_.data()[k];
            const bool near = Catch::Matchers::WithinAbs(e, abs_).match(a) ||
                              Catch::Matchers::WithinRel(e, rel_).match(a);
            if (!near) {
                return false;
            }
        }
        return true;
    }

    std::string describe() const override
    {
        std::ostringstream s;
        s << "is within rel " << rel_ << " or abs " << abs_ << " of\n" << book::format_matrix(expected_, 17);
        return s.str();
    }

private:
    Matrix expected_;
    double rel_, abs_;
};

inline MatrixNear IsNear(Matrix expected, double rel = 1e-12, double abs = 0.0)
{
    return MatrixNear(std::move(expected), rel, abs);
}

}  // namespace support

namespace Catch {
template <>
struct StringMaker<backprop::Matrix> {
    static std::string convert(const backprop::Matrix& M) { return "\n" + book::format_matrix(M, 17); }
};
}  // namespace Catch

namespace support {

// The result of running a program: its exit status and what it printed.
struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

// Runs `command` (a shell command line) and captures its standard output and error.
Run run(const std::string& command);

// Runs `command` twice, requires the first run to succeed and both to print the same
// text, and returns the first run.
Run run_repeatable(const std::string& command);

// Checks that `program --help` succeeds and names every one of `flags`.
void check_help(const std::string& program, std::initializer_list<const char*> flags);

// Runs `command`, requires it to succeed with nothing on standard error, and parses
// what it printed as one JSON document.
nlohmann::json run_json(const std::string& command);

// The whole content of the file at `path` ("" if it cannot be read).
std::string slurp(const std::string& path);

// The number of lines of `text`.
std::size_t line_count(const std::string& text);

// Checks the book's rule for bad input on a run of the program `name`: exit status 2,
// nothing on standard output, and one line on standard error, "<name>: error: ...".
void check_bad_input(const Run& r, const std::string& name);

// A network, a batch and targets for a gradient check, and how far from kinks.
struct Problem {
    backprop::Network net;
    Matrix x;
    Matrix y;
    backprop::Loss loss;
    std::uint64_t seed;
};

// The smallest distance from any kink (ReLU at 0 in any layer, |a - y| at 0 for L1)
// of the forward pass of `p`.
double distance_to_kinks(const Problem& p);

// A problem for sizes/activation/loss/batch, with the first seed from `seed` on whose
// forward pass stays at least `margin` away from every kink.
Problem make_problem(const std::vector<std::size_t>& sizes, backprop::Activation sigma, backprop::Loss loss,
                     std::size_t batch, std::uint64_t seed, double margin = 5e-2);

// The loss of `p` as a function of its parameters (read at each call).
std::function<double()> loss_of(Problem& p);

// Compares the analytic gradients `grads` with numeric gradients of the loss of `p`,
// for every W and b, and returns one report per tensor.
std::vector<backprop::GradientReport> check_gradients(Problem& p, const backprop::Gradients& grads);

// The largest relative error in `reports`.
double worst(const std::vector<backprop::GradientReport>& reports);

// Requires `yours` to have the shape of `numeric`, then checks that every entry's
// relative error is below `tolerance`, saying where the largest is. Richardson-refined
// numeric gradients (backprop::numeric_gradient) are good to about 1e-9.
void check_against_numeric(const std::string& what, const Matrix& yours, const Matrix& numeric,
                           double tolerance = 1e-6);

// "network 2-3-2, sigmoid hidden, sigmoid output, l1 loss, batch of 1".
std::string describe(const Problem& p);

}  // namespace support

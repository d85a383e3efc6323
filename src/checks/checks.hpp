/// \file checks.hpp
/// \brief What the book's tests and the exercises' grading files share: matching
/// matrices, the numeric check of a student's gradient, and random problems for gradient
/// checks of a whole network. It links Catch2 and the library, nothing of the tests.
#pragma once

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"
#include "book/print.hpp"

namespace checks {

using backprop::Matrix;

/// What a wrong matrix's numbers suggest about the slip that made it, or "": a
/// transposed shape or a transpose, every entry a fixed multiple of the expected one
/// (a stray 1/m, a ½, a sign), every entry 0. Matchers put it on a line of its own,
/// "Notice: ...", which the grader shows as a targeted hint.
std::string slip_signature(const Matrix& actual, const Matrix& expected);

/// Matches a matrix of the same shape whose entries are within `rel` relative or `abs`
/// absolute difference of the expected ones.
class MatrixNear : public Catch::MatcherBase<Matrix> {
public:
    /// \param expected the matrix to match \param rel relative tolerance \param abs absolute tolerance
    MatrixNear(Matrix expected, double rel, double abs) : expected_(std::move(expected)), rel_(rel), abs_(abs) {}

    /// True when the shapes agree and every entry is near.
    bool match(const Matrix& actual) const override;

    /// What was expected, for the failure message, with the slip's signature.
    std::string describe() const override;

private:
    Matrix expected_;
    double rel_, abs_;
    mutable std::string notice_;
};

/// `CHECK_THAT(M, IsNear(expected, rel, abs))`.
inline MatrixNear IsNear(Matrix expected, double rel = 1e-12, double abs = 0.0)
{
    return MatrixNear(std::move(expected), rel, abs);
}

/// Matches a gradient of the shape of the numeric one whose entries all agree with it to
/// a relative error (backprop::relative_error()) below `tolerance`; the failure names the
/// gradient, the largest error and where it is, and the slip's signature. Used as
/// `CHECK_THAT(yours, AgreesWithNumeric("delta^[1]", numeric))`, a failure names the
/// grading file's line.
class AgreesWithNumeric : public Catch::MatcherBase<Matrix> {
public:
    /// \param what the gradient's name \param numeric the numeric gradient \param tolerance the largest relative error
    AgreesWithNumeric(std::string what, Matrix numeric, double tolerance = 1e-6)
        : what_(std::move(what)), numeric_(std::move(numeric)), tolerance_(tolerance)
    {
    }

    /// True when the shapes agree and every relative error is below the tolerance.
    bool match(const Matrix& yours) const override;

    /// The gradient, the tolerance, the largest error and the slip's signature.
    std::string describe() const override;

private:
    std::string what_;
    Matrix numeric_;
    double tolerance_;
    mutable std::string found_;
};

/// A network, a batch and targets for a gradient check.
struct Problem {
    backprop::Network net;  ///< the network
    Matrix x;               ///< the batch, shape \f$ (n_0, m) \f$
    Matrix y;               ///< the targets, shape \f$ (n_L, m) \f$
    backprop::Loss loss;    ///< the loss
    std::uint64_t seed;     ///< the seed the network was drawn from
};

/// The smallest distance from any kink (ReLU at 0 in any layer, \f$ |a - y| \f$ at 0 for
/// L1) of the forward pass of \p p.
double distance_to_kinks(const Problem& p);

/// A problem for the sizes, activation, loss and batch, with the first seed from \p seed
/// on whose forward pass stays at least \p margin away from every kink.
Problem make_problem(const std::vector<std::size_t>& sizes, backprop::Activation sigma, backprop::Loss loss,
                     std::size_t batch, std::uint64_t seed, double margin = 5e-2);

/// The loss of \p p as a function of its parameters (read at each call).
std::function<double()> loss_of(Problem& p);

/// backprop::check_network_gradients() of \p p against \p grads: one report per tensor.
std::vector<backprop::GradientReport> check_gradients(Problem& p, const backprop::Gradients& grads);

/// The largest relative error in \p reports.
double worst(const std::vector<backprop::GradientReport>& reports);

/// Requires \p yours to have the shape of \p numeric, then checks that every entry's
/// relative error is below \p tolerance, saying where the largest is. Richardson-refined
/// numeric gradients (backprop::numeric_gradient) are good to about 1e-9. A failure
/// names this function's line: grading files use AgreesWithNumeric, whose failures name
/// theirs.
void check_against_numeric(const std::string& what, const Matrix& yours, const Matrix& numeric,
                           double tolerance = 1e-6);

/// "network 2-3-2, sigmoid hidden, sigmoid output, l1 loss, batch of 1".
std::string describe(const Problem& p);

}  // namespace checks

namespace Catch {
/// Matrices in Catch2's messages, with 17 significant digits.
template <>
struct StringMaker<backprop::Matrix> {
    /// The matrix on lines of its own.
    static std::string convert(const backprop::Matrix& M) { return "\n" + book::format_matrix(M, 17); }
};
}  // namespace Catch

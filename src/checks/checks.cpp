#include "checks/checks.hpp"

#include <algorithm>
#include <cmath>

#include "backprop/random.hpp"

namespace checks {

namespace {

// "1/4" for 0.25, "3" for 3, "" for a ratio that is neither n nor 1/n (n up to 1000).
std::string simple_ratio(double r)
{
    for (int n = 2; n <= 1000; ++n) {
        if (std::abs(r * n - 1.0) < 1e-9) {
            return "1/" + std::to_string(n);
        }
        if (std::abs(r - n) < 1e-9 * n) {
            return std::to_string(n);
        }
    }
    return "";
}

}  // namespace

std::string slip_signature(const Matrix& actual, const Matrix& expected)
{
    if (actual.shape() != expected.shape()) {
        if (actual.dimension() == 2 && actual.shape(0) == expected.shape(1) && actual.shape(1) == expected.shape(0)) {
            return "yours has shape " + backprop::shape_of(actual) + ", the transpose of the expected " +
                   backprop::shape_of(expected) + ": a transpose too many or too few, or a product's factors swapped?";
        }
        return "yours has shape " + backprop::shape_of(actual) + " where " + backprop::shape_of(expected) +
               " is expected";
    }
    if (actual.size() == 0) {
        return "";
    }
    bool all_zero = true, expected_zero = true;
    for (std::size_t k = 0; k < actual.size(); ++k) {
        all_zero = all_zero && actual.data()[k] == 0.0;
        expected_zero = expected_zero && expected.data()[k] == 0.0;
    }
    if (all_zero && !expected_zero) {
        return "every entry of yours is 0";
    }
    // Every entry a fixed multiple r of the expected one (0 where the expected is 0).
    double r = 0.0;
    bool multiple = true, found = false;
    for (std::size_t k = 0; k < actual.size() && multiple; ++k) {
        const double a = actual.data()[k], e = expected.data()[k];
        if (std::abs(e) < 1e-300) {
            multiple = std::abs(a) < 1e-300;
        } else if (!found) {
            r = a / e;
            found = true;
        } else {
            multiple = std::abs(a / e - r) <= 1e-9 * std::abs(r);
        }
    }
    if (multiple && found && std::isfinite(r) && std::abs(r - 1.0) > 1e-9) {
        if (std::abs(r + 1.0) < 1e-9) {
            return "every entry of yours is the expected one with its sign flipped (a - y for y - a, or a step "
                   "along the slope instead of against it?)";
        }
        const std::string simple = simple_ratio(std::abs(r));
        const std::string sign = r < 0 ? "minus " : "";
        if (simple.rfind("1/", 0) == 0) {
            return "every entry of yours is exactly " + sign + simple + " of the expected one: a stray factor " +
                   simple + " (a 1/m with m = " + simple.substr(2) + ", or a mean where a sum belongs?)";
        }
        if (!simple.empty()) {
            return "every entry of yours is exactly " + sign + simple + " times the expected one: a factor " + simple +
                   " too many (a sum where a mean belongs, with m = " + simple + "?)";
        }
        std::ostringstream s;
        s.precision(6);
        s << "every entry of yours is the expected one times " << r;
        return s.str();
    }
    if (actual.dimension() == 2 && actual.shape(0) == actual.shape(1) && actual.shape(0) > 1) {
        bool transposed = true, symmetric = true;
        for (std::size_t i = 0; i < actual.shape(0); ++i) {
            for (std::size_t j = 0; j < actual.shape(1); ++j) {
                transposed =
                    transposed && std::abs(actual(i, j) - expected(j, i)) <= 1e-12 * (1 + std::abs(expected(j, i)));
                symmetric = symmetric && expected(i, j) == expected(j, i);
            }
        }
        if (transposed && !symmetric) {
            return "yours is the transpose of the expected matrix (swapped indices?)";
        }
    }
    return "";
}

bool MatrixNear::match(const Matrix& actual) const
{
    notice_.clear();
    bool near = actual.shape() == expected_.shape();
    for (std::size_t k = 0; near && k < actual.size(); ++k) {
        const double a = actual.data()[k], e = expected_.data()[k];
        near = Catch::Matchers::WithinAbs(e, abs_).match(a) || Catch::Matchers::WithinRel(e, rel_).match(a);
    }
    if (!near) {
        notice_ = slip_signature(actual, expected_);
    }
    return near;
}

std::string MatrixNear::describe() const
{
    std::ostringstream s;
    s << "is within rel " << rel_ << " or abs " << abs_ << " of\n" << book::format_matrix(expected_, 17);
    if (!notice_.empty()) {
        s << "\nNotice: " << notice_;
    }
    return s.str();
}

bool AgreesWithNumeric::match(const Matrix& yours) const
{
    found_.clear();
    if (yours.shape() != numeric_.shape()) {
        found_ = "yours has shape " + backprop::shape_of(yours) + ", the numeric gradient " +
                 backprop::shape_of(numeric_) + "\nNotice: " + slip_signature(yours, numeric_);
        return false;
    }
    const backprop::GradientReport r = backprop::compare_gradients(what_, yours, numeric_);
    if (r.max_relative_error < tolerance_) {
        return true;
    }
    std::ostringstream s;
    s << "the largest relative error is " << r.max_relative_error << " at (" << r.row << ", " << r.col << "): yours "
      << r.analytic << ", numeric " << r.numeric;
    const std::string notice = slip_signature(yours, numeric_);
    if (!notice.empty()) {
        s << "\nNotice: " << notice;
    }
    found_ = s.str();
    return false;
}

std::string AgreesWithNumeric::describe() const
{
    std::ostringstream s;
    s << "agrees with the numeric gradient of " << what_ << " to a relative error below " << tolerance_ << ":\n"
      << book::format_matrix(numeric_, 17) << "\n"
      << found_;
    return s.str();
}

double distance_to_kinks(const Problem& p)
{
    const backprop::ForwardPass pass = backprop::forward(p.net, p.x);
    double d = backprop::distance_to_kink(p.loss, pass.output(), p.y);
    for (std::size_t l = 1; l <= p.net.depth(); ++l) {
        for (double z : pass.z[l]) {
            d = std::min(d, backprop::distance_to_kink(p.net.sigma[l], z));
        }
    }
    return d;
}

Problem make_problem(const std::vector<std::size_t>& sizes, backprop::Activation sigma, backprop::Loss loss,
                     std::size_t batch, std::uint64_t seed, double margin)
{
    const backprop::Activation output =
        loss == backprop::Loss::cross_entropy ? backprop::Activation::sigmoid : sigma;
    for (std::uint64_t s = seed; s < seed + 1000; ++s) {
        backprop::Random rng(s * 7919 + 17);
        Problem p{backprop::make_network(sizes, sigma, output, s), rng.uniform_matrix(sizes.front(), batch, -1.0, 1.0),
                  Matrix{}, loss, s};
        // Targets in the range of the output activation.
        const double lo = (output == backprop::Activation::sigmoid || output == backprop::Activation::relu) ? 0.0 : -1.0;
        p.y = rng.uniform_matrix(sizes.back(), batch, lo, 1.0);
        if (distance_to_kinks(p) >= margin) {
            return p;
        }
    }
    FAIL("no seed in 1000 gives a forward pass away from the kinks");
    return {};
}

std::function<double()> loss_of(Problem& p) { return backprop::loss_function(p.net, p.x, p.y, p.loss); }

std::vector<backprop::GradientReport> check_gradients(Problem& p, const backprop::Gradients& grads)
{
    return backprop::check_network_gradients(p.net, loss_of(p), grads).reports;
}

double worst(const std::vector<backprop::GradientReport>& reports)
{
    double w = 0.0;
    for (const auto& r : reports) {
        w = std::max(w, r.max_relative_error);
    }
    return w;
}

void check_against_numeric(const std::string& what, const Matrix& yours, const Matrix& numeric, double tolerance)
{
    INFO(what << ": yours has shape " << backprop::shape_of(yours) << ", the numeric gradient "
              << backprop::shape_of(numeric));
    REQUIRE(yours.shape() == numeric.shape());
    const backprop::GradientReport r = backprop::compare_gradients(what, yours, numeric);
    INFO(what << ": largest relative error " << r.max_relative_error << " at (" << r.row << ", " << r.col
              << "): yours " << r.analytic << ", numeric " << r.numeric);
    CHECK(r.max_relative_error < tolerance);
}

std::string describe(const Problem& p)
{
    std::string s = "network";
    for (std::size_t k = 0; k < p.net.sizes.size(); ++k) {
        s += (k == 0 ? " " : "-") + std::to_string(p.net.sizes[k]);
    }
    return s + ", " + backprop::name_of(p.net.sigma[1]) + " hidden, " + backprop::name_of(p.net.sigma.back()) +
           " output, " + backprop::name_of(p.loss) + " loss, batch of " + std::to_string(p.x.shape(1));
}

}  // namespace checks

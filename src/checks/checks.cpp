#include "checks/checks.hpp"

#include <algorithm>

#include "backprop/random.hpp"

namespace checks {

bool MatrixNear::match(const Matrix& actual) const
{
    if (actual.shape() != expected_.shape()) {
        return false;
    }
    for (std::size_t k = 0; k < actual.size(); ++k) {
        const double a = actual.data()[k], e = expected_.data()[k];
        const bool near =
            Catch::Matchers::WithinAbs(e, abs_).match(a) || Catch::Matchers::WithinRel(e, rel_).match(a);
        if (!near) {
            return false;
        }
    }
    return true;
}

std::string MatrixNear::describe() const
{
    std::ostringstream s;
    s << "is within rel " << rel_ << " or abs " << abs_ << " of\n" << book::format_matrix(expected_, 17);
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

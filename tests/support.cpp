#include "support.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <sys/wait.h>
#include <unistd.h>

#include "backprop/random.hpp"

namespace support {

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nlohmann::json run_json(const std::string& command)
{
    const Run r = run(command);
    INFO(command << "\n" << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    return nlohmann::json::parse(r.out);
}

Run run(const std::string& command)
{
    char out_path[] = "/tmp/backprop-test-out-XXXXXX";
    char err_path[] = "/tmp/backprop-test-err-XXXXXX";
    const int out_fd = mkstemp(out_path);
    const int err_fd = mkstemp(err_path);
    REQUIRE(out_fd >= 0);
    REQUIRE(err_fd >= 0);
    close(out_fd);
    close(err_fd);
    const std::string full = command + " </dev/null >" + out_path + " 2>" + err_path;
    const int raw = std::system(full.c_str());
    Run r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::remove(out_path);
    std::remove(err_path);
    return r;
}

Run run_repeatable(const std::string& command)
{
    const Run a = run(command);
    const Run b = run(command);
    REQUIRE(a.status == 0);
    CHECK(a.out == b.out);
    return a;
}

void check_help(const std::string& program, std::initializer_list<const char*> flags)
{
    const Run r = run(program + " --help");
    CHECK(r.status == 0);
    for (const char* flag : flags) {
        CHECK_THAT(r.out, Catch::Matchers::Contains(flag));
    }
}

std::size_t line_count(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

void check_bad_input(const Run& r, const std::string& name)
{
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(line_count(r.err) == 1);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith(name + ": error: "));
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

std::function<double()> loss_of(Problem& p)
{
    return [&p] {
        const backprop::ForwardPass pass = backprop::forward(p.net, p.x);
        return backprop::loss_value(p.loss, pass.output(), p.y);
    };
}

std::vector<backprop::GradientReport> check_gradients(Problem& p, const backprop::Gradients& grads)
{
    std::vector<backprop::GradientReport> reports;
    const auto f = loss_of(p);
    for (std::size_t l = 1; l <= p.net.depth(); ++l) {
        const std::string layer = "[" + std::to_string(l) + "]";
        reports.push_back(backprop::compare_gradients("W^" + layer, grads.grad_W.at(l),
                                                      backprop::numeric_gradient(f, p.net.W[l])));
        reports.push_back(backprop::compare_gradients("b^" + layer, grads.grad_b.at(l),
                                                      backprop::numeric_gradient(f, p.net.b[l])));
    }
    return reports;
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

}  // namespace support

// Appendix A's program: the relative-error bands, the step sweep, the kinks of ReLU, and
// the gradient check in float against double. Each value is checked against the library
// or against a reason worked out here, not copied from the program's output.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <xtensor/xmanipulation.hpp>

#include "backprop/backward.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/gradients.hpp"
#include "backprop/matmul.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "support.hpp"

using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

nlohmann::json run_json(const std::string& args = "")
{
    return support::run_json(program + " --json " + args);
}

// The library's gradients of the running example (seed 1), by tensor name.
struct LibraryGradients {
    book::RunningExample ex = book::running_example(1);
    backprop::Gradients grads = backprop::backward(ex.net, backprop::forward(ex.net, ex.x), ex.y, ex.loss);

    const Matrix& of(const std::string& name) const
    {
        const std::size_t l = name[3] - '0';
        return name[0] == 'W' ? grads.grad_W.at(l) : grads.grad_b.at(l);
    }
};

const char* const tensor_names[] = {"W^[1]", "b^[1]", "W^[2]", "b^[2]"};

// The worst relative error of a JSON set of numeric gradients against the library's.
double worst_against_library(const nlohmann::json& numeric, const LibraryGradients& lib)
{
    double worst = 0.0;
    for (const char* name : tensor_names) {
        const auto report = backprop::compare_gradients(name, lib.of(name), book::matrix_from_json(numeric.at(name)));
        worst = std::max(worst, report.max_relative_error);
    }
    return worst;
}

}  // namespace

TEST_CASE("The float gradient check of the running example misses 1e-7 and the double one passes",
          "[appendix_gradcheck][gradcheck]")
{
    const auto j = run_json().at("float_vs_double");
    const LibraryGradients lib;
    // The program's own verdicts, each precision against its own backpropagation.
    CHECK(j.at("float").at("central").at("max_relative_error").get<double>() > 1e-7);
    CHECK(j.at("float").at("richardson").at("max_relative_error").get<double>() > 1e-7);
    CHECK(j.at("double").at("richardson").at("max_relative_error").get<double>() < 1e-7);
    CHECK_FALSE(j.at("float").at("central").at("passed").get<bool>());
    CHECK(j.at("double").at("richardson").at("passed").get<bool>());
    // The same verdicts against the library's gradients, which the program did not compute.
    CHECK(worst_against_library(j.at("float").at("central").at("numeric"), lib) > 1e-4);
    CHECK(worst_against_library(j.at("float").at("richardson").at("numeric"), lib) > 1e-4);
    CHECK(worst_against_library(j.at("double").at("richardson").at("numeric"), lib) < 1e-7);
    // The double instance of the library's precision path is its backpropagation.
    for (const char* name : tensor_names) {
        INFO(name);
        CHECK_THAT(book::matrix_from_json(j.at("double").at("richardson").at("analytic").at(name)),
                   support::IsNear(lib.of(name), 1e-13, 1e-16));
        // float's backpropagation is right to float's precision: only the numeric side fails.
        CHECK_THAT(book::matrix_from_json(j.at("float").at("richardson").at("analytic").at(name)),
                   support::IsNear(lib.of(name), 1e-6, 1e-9));
    }
    const double J = backprop::loss_value(lib.ex.loss, backprop::forward(lib.ex.net, lib.ex.x).output(), lib.ex.y);
    CHECK_THAT(j.at("J_library").get<double>(), WithinRel(J, 1e-15));
    CHECK_THAT(j.at("float").at("central").at("J").get<double>(), WithinRel(J, 1e-6));
    CHECK_THAT(j.at("epsilon").at("float").get<double>(), WithinRel(std::pow(2.0, -23), 1e-15));
    CHECK_THAT(j.at("epsilon").at("double").get<double>(), WithinRel(std::pow(2.0, -52), 1e-15));
}

TEST_CASE("Float's check error is round-off: about eps |J| / 2h, and it grows as h shrinks",
          "[appendix_gradcheck][value]")
{
    const double eps = std::numeric_limits<float>::epsilon();
    for (const double h : {1e-3, 1e-4}) {
        INFO("h = " << h);
        const auto j = run_json("--step " + book::format_number(h)).at("float_vs_double");
        const double J = j.at("float").at("central").at("J").get<double>();
        const double estimate = eps * J / (2.0 * h);
        CHECK_THAT(j.at("roundoff_estimate").get<double>(), WithinRel(estimate, 1e-12));
        const double measured = j.at("measured_error_at_worst_entry").get<double>();
        CHECK(measured < 2.0 * estimate);  // the estimate is the size of the error ...
        CHECK(measured > estimate / 30.0);  // ... not a loose bound
    }
    const double at_3 = run_json("--step 1e-3").at("float_vs_double").at("float").at("central").at(
        "max_relative_error");
    const double at_4 = run_json("--step 1e-4").at("float_vs_double").at("float").at("central").at(
        "max_relative_error");
    CHECK(at_4 > 3.0 * at_3);  // ten times smaller a step, several times the error
    // Even float's best central step stays above the bar.
    CHECK(run_json().at("float_vs_double").at("float").at("best_central_step").at("max_relative_error").get<double>() >
          1e-7);
}

TEST_CASE("The step sweep shows central errors falling like h^2 and Richardson's like h^4, and float's floor",
          "[appendix_gradcheck][value]")
{
    const auto s = run_json().at("step_sweep");
    const LibraryGradients lib;
    CHECK_THAT(s.at("analytic").get<double>(), WithinRel(lib.grads.grad_W[1](0, 0), 1e-14));
    const auto& h = s.at("h");
    REQUIRE(h.size() == 37);  // 4 per decade, 1e-1 to 1e-10
    CHECK_THAT(h[0].get<double>(), WithinRel(1e-1, 1e-15));
    CHECK_THAT(h[36].get<double>(), WithinRel(1e-10, 1e-15));
    const auto& e = s.at("relative_error");
    // From h = 1e-1 to 1e-2 (entries 0 and 4), truncation dominates in double.
    const double central_ratio = e.at("central_double")[0].get<double>() / e.at("central_double")[4].get<double>();
    const double richardson_ratio =
        e.at("richardson_double")[0].get<double>() / e.at("richardson_double")[4].get<double>();
    CHECK(central_ratio > 50.0);
    CHECK(central_ratio < 200.0);
    CHECK(richardson_ratio > 3e3);
    CHECK(richardson_ratio < 3e4);
    // The best steps: near eps^(1/3) for the central difference, near eps^(1/5) for Richardson.
    const auto& best = s.at("best");
    CHECK(best.at("central_double").at("h").get<double>() > 1e-6);
    CHECK(best.at("central_double").at("h").get<double>() < 1e-4);
    CHECK(best.at("richardson_double").at("h").get<double>() > 1e-4);
    CHECK(best.at("richardson_double").at("h").get<double>() < 1e-2);
    CHECK(best.at("richardson_double").at("relative_error").get<double>() < 1e-10);
    // In float no step reaches the bar, and at tiny steps t + h rounds to t: numeric 0, error 1.
    CHECK(best.at("central_float").at("relative_error").get<double>() > 1e-7);
    CHECK(best.at("richardson_float").at("relative_error").get<double>() > 1e-7);
    CHECK_THAT(e.at("central_float")[36].get<double>(), WithinAbs(1.0, 0.0));
}

TEST_CASE("At a ReLU kink the check fails against the subgradient 0, and passes away from it",
          "[appendix_gradcheck][gradcheck]")
{
    const auto k = run_json().at("kink");
    const book::RunningExample ex = book::running_example(1);
    // The slope from the right is (W^[2]^T delta^[2])_1 with the neuron on: the library's
    // gradient with z^[1]_1 just above 0.
    backprop::Network on = ex.net;
    on.sigma[1] = backprop::Activation::relu;
    const Matrix zero_b = xt::zeros<double>({3, 1});
    on.b[1](0, 0) = 1e-9 - backprop::weighted_input(on.W[1], zero_b, ex.x)(0, 0);
    const double right = backprop::backward(on, backprop::forward(on, ex.x), ex.y, ex.loss).grad_b[1](0, 0);
    const auto& slopes = k.at("slopes_at_the_kink");
    CHECK_THAT(slopes.at("left").get<double>(), WithinAbs(0.0, 1e-9));
    CHECK_THAT(slopes.at("right").get<double>(), WithinRel(right, 1e-4));
    CHECK_THAT(slopes.at("numeric").get<double>(), WithinRel(right / 2.0, 1e-3));  // the mean of the two
    CHECK_THAT(slopes.at("library").get<double>(), WithinAbs(0.0, 0.0));          // ReLU'(0) = 0

    // Which entries step across the kink: W^[1]_1k moves z^[1]_1 by x_k per unit, b^[1]_1 by 1.
    const auto expected_crossings = [&](double d, double h) {
        int n = 0;
        for (double slope : {ex.x(0, 0), ex.x(1, 0), 1.0}) {
            n += std::abs(slope) * 2.0 * h >= d ? 1 : 0;
        }
        return n;
    };
    const auto& rows = k.at("rows");
    REQUIRE(rows.size() == 4);
    for (const auto& row : rows) {
        const double d = row.at("distance"), h = row.at("h");
        INFO("d = " << d << ", h = " << h);
        CHECK(row.at("entries") == 17);
        CHECK(row.at("crossing_a_kink").get<int>() == expected_crossings(d, h));
        CHECK(row.at("max_relative_error_elsewhere").get<double>() < 1e-7);
        if (expected_crossings(d, h) > 0) {
            CHECK(row.at("worst").at("max_relative_error").get<double>() > 1e-2);
        } else {
            CHECK(row.at("worst").at("max_relative_error").get<double>() < 1e-7);
        }
    }
}

TEST_CASE("The bands classify the checks: the library's passes, a wrong formula and a kink do not",
          "[appendix_gradcheck][gradcheck]")
{
    const auto j = run_json();
    const auto& bands = j.at("bands");
    REQUIRE(bands.size() == 4);
    CHECK_THAT(bands[0].at("from").get<double>(), WithinRel(1e-2, 0.0));
    CHECK_THAT(bands[1].at("from").get<double>(), WithinRel(1e-4, 0.0));
    CHECK_THAT(bands[2].at("from").get<double>(), WithinRel(1e-7, 0.0));
    CHECK(j.at("library_check").at("band") == "good");
    CHECK(j.at("wrong_formula").at("band") == "wrong");
    // The wrong formula, computed here: delta^[1] = W^[2]^T delta^[2] without sigma'.
    LibraryGradients lib;
    const Matrix delta_wrong = backprop::matmul(xt::transpose(lib.ex.net.W[2]), lib.grads.delta[2]);
    support::Problem p{lib.ex.net, lib.ex.x, lib.ex.y, lib.ex.loss, 1};
    const auto f = support::loss_of(p);
    const auto report = backprop::compare_gradients("W^[1]", backprop::weight_gradient(delta_wrong, lib.ex.x),
                                                    backprop::numeric_gradient(f, p.net.W[1]));
    CHECK_THAT(j.at("wrong_formula").at("max_relative_error").get<double>(),
               WithinRel(report.max_relative_error, 1e-6));
    CHECK(support::worst(support::check_gradients(p, lib.grads)) < 1e-7);
    for (const auto& landing : j.at("landings")) {
        const double r = landing.at("max_relative_error");
        const std::string band = landing.at("band");
        INFO(landing.at("check").get<std::string>() << ": " << r);
        CHECK(band == (r < 1e-7 ? "good" : r < 1e-4 ? "kinks only" : r < 1e-2 ? "uncomfortable" : "wrong"));
    }
}

TEST_CASE("appendix_gradcheck prints the four parts, each alone with --section", "[appendix_gradcheck][cli]")
{
    const auto all = support::run(program);
    REQUIRE(all.status == 0);
    CHECK(all.err.empty());
    CHECK_THAT(all.out, StartsWith("1. The relative error and its bands\n"));
    CHECK_THAT(all.out, Contains("\n2. Choosing the step h"));
    CHECK_THAT(all.out, Contains("\n3. Kinks"));
    CHECK_THAT(all.out, Contains("\n4. Float against double"));
    CHECK_THAT(all.out, Contains("  1e-2 <= r         wrong"));
    CHECK_THAT(all.out, Contains("  r < 1e-7          good"));
    CHECK_THAT(all.out, Contains("machine epsilon   float 1.19209e-07   double 2.22045e-16"));
    std::string joined;
    for (const char* s : {"bands", "step", "kink", "float"}) {
        const auto part = support::run(program + " --section " + s);
        REQUIRE(part.status == 0);
        joined += (joined.empty() ? "" : "\n") + part.out;
    }
    CHECK(joined == all.out);
}

TEST_CASE("appendix_gradcheck's default output is the same on every run", "[appendix_gradcheck][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto c = support::run(program + " --seed 7");
    REQUIRE(c.status == 0);
    CHECK(c.out != a.out);
    CHECK_THAT(c.out, Contains("(seed 7)"));
}

TEST_CASE("appendix_gradcheck --json prints one JSON document with every part", "[appendix_gradcheck][cli]")
{
    const auto j = run_json("--seed 3 --step 0.01");
    CHECK(j.at("program") == "appendix_gradcheck");
    CHECK(j.at("seed") == 3);
    CHECK_THAT(j.at("step").get<double>(), WithinRel(0.01, 0.0));
    for (const char* part : {"bands", "landings", "library_check", "wrong_formula", "step_sweep", "kink",
                             "float_vs_double"}) {
        CHECK(j.contains(part));
    }
}

TEST_CASE("appendix_gradcheck --help describes the flags", "[appendix_gradcheck][cli]")
{
    support::check_help(program, {"--seed", "--json", "--step", "--section", "--figures", "--help"});
}

TEST_CASE("appendix_gradcheck --figures writes the plot data", "[appendix_gradcheck][cli]")
{
    char dir[] = "/tmp/appendix-gradcheck-figures-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(r.out == "wrote " + d + "/appendix_gradcheck.step_error.tsv\n");
    const std::string data = support::slurp(d + "/appendix_gradcheck.step_error.tsv");
    CHECK_THAT(data, StartsWith("# h central_double richardson_double central_float richardson_float\n0.1"));
    CHECK(support::line_count(data) == 1 + 37);
    std::remove((d + "/appendix_gradcheck.step_error.tsv").c_str());
    std::remove(dir);
}

TEST_CASE("appendix_gradcheck rejects bad input with status 2 and one line", "[appendix_gradcheck][cli]")
{
    for (const std::string args :
         {"--step 0", "--step -1e-3", "--step abc", "--step nan", "--step 0.2", "--step 1e-9", "--step",
          "--section everything", "--figures /nonexistent/dir", "--json --figures /tmp", "--json --section bands",
          "--section float --figures /tmp", "--bogus", "--seed -1", "--seed x", "--seed 1.5", "extra",
          "--step ''", "--section ''", "--figures ''", "--seed ''"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "appendix_gradcheck");
    }
}

TEST_CASE("appendix_gradcheck refuses --step where the float-and-double check is not shown",
          "[appendix_gradcheck][cli]")
{
    // The figure is the step sweep, whatever --step; the step and kink sections do not use it.
    const auto figures = support::run(program + " --figures /tmp --step 0.01");
    support::check_bad_input(figures, "appendix_gradcheck");
    CHECK_THAT(figures.err, Contains("--step excludes --figures"));
    for (const char* section : {"step", "kink"}) {
        INFO("--section " << section);
        const auto r = support::run(program + " --section " + section + " --step 0.01");
        support::check_bad_input(r, "appendix_gradcheck");
        CHECK_THAT(r.err, Contains("--step: sets the step of the float-and-double check, which --section " +
                                   std::string(section) + " does not print"));
    }
    // Where it is shown, it is taken.
    for (const char* section : {"float", "bands", "all"}) {
        INFO("--section " << section);
        const auto r = support::run(program + " --section " + section + " --step 0.01");
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains("h = 0.01"));
    }
}

TEST_CASE("appendix_gradcheck says an empty --section is empty", "[appendix_gradcheck][cli]")
{
    const auto r = support::run(program + " --section ''");
    support::check_bad_input(r, "appendix_gradcheck");
    CHECK_THAT(r.err, Contains("--section: the value is empty"));
}

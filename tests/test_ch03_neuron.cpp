#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/activation.hpp"
#include "backprop/derivative.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/network.hpp"
#include "backprop/neuron.hpp"
#include "backprop/random.hpp"
#include "book/example.hpp"
#include "book/json.hpp"
#include "book/print.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Matrix;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string program = PROGRAM_PATH;

// z_j = sum_k w_jk a_k + b_j written out as a loop, independently of the library.
double z_by_hand(const Matrix& W, const Matrix& b, const Matrix& a_prev, std::size_t j)
{
    double z = b(j, 0);
    for (std::size_t k = 0; k < W.shape(1); ++k) {
        z += W(j, k) * a_prev(k, 0);
    }
    return z;
}

double sigmoid_by_hand(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double apply(Activation s, double z) { return backprop::activate(s, Matrix{{z}})(0, 0); }

// The relative error of a claimed derivative against a central difference, h = 1e-5.
template <class F, class D>
double check(F f, D derivative, double z)
{
    return backprop::relative_error(derivative(z), backprop::central_difference(f, z, 1e-5));
}

}  // namespace

TEST_CASE("One neuron's z is row j of the layer's z = W a_prev + b", "[ch03][value]")
{
    SECTION("in the running example")
    {
        const book::RunningExample ex = book::running_example();
        const Matrix z = backprop::weighted_input(ex.net.W[1], ex.net.b[1], ex.x);
        for (std::size_t j = 0; j < 3; ++j) {
            INFO("row " << j);
            const double zj =
                backprop::neuron_weighted_input(backprop::weight_row(ex.net.W[1], j), ex.net.b[1](j, 0), ex.x);
            CHECK_THAT(zj, WithinRel(z(j, 0), 1e-15));
            CHECK_THAT(zj, WithinRel(z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, j), 1e-14));
        }
    }
    SECTION("in wider random layers")
    {
        for (std::uint64_t seed : {2u, 3u, 4u}) {
            backprop::Random rng(seed);
            const Matrix W = rng.uniform_matrix(5, 9, -1.0, 1.0);
            const Matrix b = rng.uniform_matrix(5, 1, -1.0, 1.0);
            const Matrix a_prev = rng.uniform_matrix(9, 1, -2.0, 2.0);
            const Matrix z = backprop::weighted_input(W, b, a_prev);
            for (std::size_t j = 0; j < 5; ++j) {
                INFO("seed " << seed << ", row " << j);
                const double zj = backprop::neuron_weighted_input(backprop::weight_row(W, j), b(j, 0), a_prev);
                CHECK_THAT(zj, WithinRel(z(j, 0), 1e-14) || WithinAbs(z(j, 0), 1e-15));
                CHECK_THAT(
                    zj, WithinRel(z_by_hand(W, b, a_prev, j), 1e-13) || WithinAbs(z_by_hand(W, b, a_prev, j), 1e-14));
            }
        }
    }
}

TEST_CASE("neuron_forward's a is sigma of its z, and row j of the layer's a", "[ch03][value]")
{
    const book::RunningExample ex = book::running_example();
    for (Activation s : backprop::all_activations()) {
        const Matrix a = backprop::activate(s, backprop::weighted_input(ex.net.W[1], ex.net.b[1], ex.x));
        for (std::size_t j = 0; j < 3; ++j) {
            INFO(backprop::name_of(s) << ", row " << j);
            const backprop::NeuronOutput out =
                backprop::neuron_forward(s, backprop::weight_row(ex.net.W[1], j), ex.net.b[1](j, 0), ex.x);
            CHECK_THAT(out.a, WithinRel(a(j, 0), 1e-15) || WithinAbs(a(j, 0), 1e-300));
            CHECK_THAT(out.a, WithinRel(apply(s, out.z), 0.0) || WithinAbs(apply(s, out.z), 0.0));
        }
    }
    // the running example's sigmoid, from its definition
    const backprop::NeuronOutput out =
        backprop::neuron_forward(Activation::sigmoid, backprop::weight_row(ex.net.W[1], 0), ex.net.b[1](0, 0), ex.x);
    CHECK_THAT(out.a, WithinRel(sigmoid_by_hand(z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 0)), 1e-14));
}

TEST_CASE("weight_row picks one row and refuses rows that do not exist", "[ch03][shape]")
{
    const Matrix W = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
    CHECK_THAT(backprop::weight_row(W, 1), support::IsNear({{3.0, 4.0}}, 0.0, 0.0));
    CHECK(backprop::weight_row(W, 2).shape() == std::array<std::size_t, 2>{1, 2});
    CHECK_THROWS_AS(backprop::weight_row(W, 3), std::out_of_range);
    CHECK_THROWS_WITH(backprop::weight_row(W, 3), Contains("(3, 2)") && Contains("ch03_neuron"));
}

TEST_CASE("A neuron refuses weights and inputs whose shapes do not fit", "[ch03][shape]")
{
    const Matrix a_prev = {{0.8}, {0.2}};
    const Matrix two_rows = {{1.0, 2.0}, {3.0, 4.0}};
    const Matrix long_row = {{1.0, 2.0, 3.0}};
    const Matrix batch = {{0.8, 0.1}, {0.2, 0.3}};
    CHECK_THROWS_AS(backprop::neuron_weighted_input(two_rows, 0.0, a_prev), backprop::ShapeError);
    CHECK_THROWS_WITH(backprop::neuron_weighted_input(long_row, 0.0, a_prev),
                      Contains("(1, 3)") && Contains("(2, 1)") && Contains("ch03_neuron"));
    CHECK_THROWS_AS(backprop::neuron_weighted_input(Matrix{{1.0, 2.0}}, 0.0, batch), backprop::ShapeError);
    CHECK_THROWS_AS(backprop::neuron_forward(Activation::relu, long_row, 0.0, a_prev), backprop::ShapeError);
}

TEST_CASE("Every activation's derivative passes a central-difference check away from kinks", "[ch03][gradcheck]")
{
    for (Activation s : backprop::all_activations()) {
        for (double z : {-2.0, -0.5, 0.0, 0.5, 2.0, -0.865, 3.0, -4.5}) {
            if (backprop::distance_to_kink(s, z) <= 1e-5) {
                continue;  // ReLU at 0: its own test below
            }
            INFO(backprop::name_of(s) << " at z = " << z);
            const double error = check([s](double t) { return apply(s, t); },
                                       [s](double t) { return backprop::activate_prime(s, Matrix{{t}})(0, 0); }, z);
            CHECK(error < 1e-7);
        }
    }
}

TEST_CASE("Wrong derivatives fail the same check", "[ch03][gradcheck]")
{
    const auto sigmoid = [](double t) { return backprop::sigmoid(t); };
    const auto tanh = [](double t) { return backprop::tanh(t); };
    for (double z : {-2.0, -0.5, 0.5, 2.0}) {
        INFO("z = " << z);
        // sigma(z)(1 - z): the z where sigma(z) belongs
        CHECK(check(
                  sigmoid, [](double t) { return backprop::sigmoid(t) * (1.0 - t); }, z) > 1e-3);
        // sigma(z) itself, forgetting the chain rule's inner derivative of 1 + e^{-z}
        CHECK(check(
                  sigmoid, [](double t) { return backprop::sigmoid(t); }, z) > 1e-3);
        // 1 - z^2 instead of 1 - tanh^2 z
        CHECK(check(
                  tanh, [](double t) { return 1.0 - t * t; }, z) > 1e-3);
    }
    // and the right ones pass at the same points, so the check is not simply strict
    for (double z : {-2.0, -0.5, 0.5, 2.0}) {
        CHECK(check(
                  sigmoid, [](double t) { return backprop::sigmoid_prime(t); }, z) < 1e-7);
        CHECK(check(
                  tanh, [](double t) { return backprop::tanh_prime(t); }, z) < 1e-7);
    }
}

TEST_CASE("The neuron's a changes with its weights as sigma'(z_j) a_prev^T (chain rule)", "[ch03][gradcheck]")
{
    book::RunningExample ex = book::running_example();
    for (Activation s : {Activation::sigmoid, Activation::tanh}) {
        INFO(backprop::name_of(s));
        Matrix w_row = backprop::weight_row(ex.net.W[1], 0);
        const double b_j = ex.net.b[1](0, 0);
        const auto a_j = [&] { return backprop::neuron_forward(s, w_row, b_j, ex.x).a; };
        const Matrix numeric = backprop::numeric_gradient(a_j, w_row);
        const double z = backprop::neuron_weighted_input(w_row, b_j, ex.x);
        const double slope = backprop::activate_prime(s, Matrix{{z}})(0, 0);
        const Matrix right = slope * xt::transpose(ex.x);
        const Matrix missing_slope = xt::transpose(ex.x);
        CHECK(backprop::compare_gradients("da/dw", right, numeric).passed());
        CHECK_FALSE(backprop::compare_gradients("da/dw", missing_slope, numeric).passed());
    }
}

TEST_CASE("ReLU at its kink: one-sided quotients 0 and 1, central difference 0.5, library 0", "[ch03][value]")
{
    const auto relu = [](double t) { return backprop::relu(t); };
    const double h = 1e-5;
    CHECK_THAT(backprop::forward_difference(relu, -h, h), WithinAbs(0.0, 0.0));
    CHECK_THAT(backprop::forward_difference(relu, 0.0, h), WithinAbs(1.0, 1e-12));
    CHECK_THAT(backprop::central_difference(relu, 0.0, h), WithinAbs(0.5, 1e-12));
    CHECK_THAT(backprop::relu_prime(0.0), WithinAbs(0.0, 0.0));
    // a check at the kink would fail even though relu_prime is a valid subgradient
    CHECK(backprop::relative_error(backprop::relu_prime(0.0), backprop::central_difference(relu, 0.0, h)) > 0.5);
    // within h of the kink the central difference is neither side's slope
    CHECK_THAT(backprop::central_difference(relu, h / 2, h), WithinAbs(0.75, 1e-9));
}

TEST_CASE("ch03_neuron prints the running example's first neuron", "[ch03][cli]")
{
    const auto r = support::run(program);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const book::RunningExample ex = book::running_example();
    const double z = z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 0);
    CHECK_THAT(r.out, Contains("neuron 1 of layer 1 of the 2-3-2 network, activation sigmoid"));
    CHECK_THAT(r.out, Contains("w_11^[1] = " + book::format_number(ex.net.W[1](0, 0))));
    CHECK_THAT(r.out, Contains("w_12^[1] = " + book::format_number(ex.net.W[1](0, 1))));
    CHECK_THAT(r.out, Contains("b_1^[1]  = " + book::format_number(ex.net.b[1](0, 0))));
    CHECK_THAT(r.out, Contains("z_1^[1] = w_11 a_1 + w_12 a_2 + b_1\n"));
    CHECK_THAT(r.out, Contains("          = " + book::format_number(z) + "\n"));
    CHECK_THAT(r.out, Contains("a_1^[1] = sigmoid(z_1^[1]) = " + book::format_number(sigmoid_by_hand(z)) + "\n"));
    const double s = sigmoid_by_hand(z);
    CHECK_THAT(r.out, Contains("sigmoid'(z_1^[1]) = " + book::format_number(s * (1.0 - s)) + "\n"));
    CHECK_THAT(r.out, Contains("largest difference: 0\n"));
    // the table's textbook values: sigma(0) = 1/2, sigma'(0) = 1/4, tanh'(0) = 1
    CHECK_THAT(r.out, Contains("  sigmoid     0.119203   0.377541   0.5        0.622459   0.880797\n"));
    CHECK_THAT(r.out, Contains("  sigmoid'    0.104994   0.235004   0.25       0.235004   0.104994\n"));
    CHECK_THAT(r.out, Contains("  tanh'       0.0706508  0.786448   1          0.786448   0.0706508\n"));
    CHECK_THAT(r.out, Contains("  relu        0     0                    0.5                  "
                               "not checked: kink\n"));
    CHECK_THAT(r.out, Contains("central, (ReLU(h) - ReLU(-h)) / (2h)         = 0.5\n"));
    CHECK_THAT(r.out, Contains("the library's relu_prime(0), a subgradient   = 0\n"));
    CHECK_THAT(r.out, Contains("  1000     1             1             nan           0             0\n"));
    CHECK_THAT(r.out, !Contains("above 1e-07"));
    CHECK_THAT(r.out, !Contains(" \n"));  // no trailing spaces
}

TEST_CASE("ch03_neuron's default output is the same on every run", "[ch03][cli]")
{
    const auto a = support::run_repeatable(program);
    const auto c = support::run(program + " --seed 7");
    REQUIRE(c.status == 0);
    CHECK(c.out != a.out);  // the seed draws other weights
    const book::RunningExample ex7 = book::running_example(7);
    CHECK_THAT(c.out,
               Contains("          = " + book::format_number(z_by_hand(ex7.net.W[1], ex7.net.b[1], ex7.x, 0)) + "\n"));
}

TEST_CASE("ch03_neuron --json prints one JSON document with the neuron and the checks", "[ch03][cli]")
{
    const auto r = support::run(program + " --json");
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    const book::RunningExample ex = book::running_example();
    CHECK(j.at("program") == "ch03_neuron");
    CHECK(j.at("seed") == 1);
    CHECK(j.at("activation") == "sigmoid");
    CHECK(j.at("neuron") == 1);
    CHECK_THAT(book::matrix_from_json(j.at("a_prev")), support::IsNear({{0.8}, {0.2}}, 0.0, 0.0));
    CHECK_THAT(book::matrix_from_json(j.at("w_row")), support::IsNear(backprop::weight_row(ex.net.W[1], 0), 0.0, 0.0));
    const double z = z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 0);
    CHECK_THAT(j.at("z_j").get<double>(), WithinRel(z, 1e-14));
    CHECK_THAT(j.at("a_j").get<double>(), WithinRel(sigmoid_by_hand(z), 1e-14));
    const Matrix z_layer = book::matrix_from_json(j.at("layer_form").at("z"));
    for (std::size_t r2 = 0; r2 < 3; ++r2) {
        CHECK_THAT(z_layer(r2, 0), WithinRel(z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, r2), 1e-14));
    }
    CHECK(j.at("layer_form").at("max_abs_difference").get<double>() < 1e-15);

    const auto& checks = j.at("derivative_checks");
    CHECK(checks.size() == 20);
    int at_kink = 0;
    for (const auto& c : checks) {
        INFO(c.dump());
        if (c.at("at_kink").get<bool>()) {
            ++at_kink;
            CHECK(c.at("activation") == "relu");
            CHECK_THAT(c.at("z").get<double>(), WithinAbs(0.0, 0.0));
        } else {
            CHECK(c.at("relative_error").get<double>() < 1e-7);
        }
    }
    CHECK(at_kink == 1);

    const auto& kink = j.at("relu_kink");
    CHECK_THAT(kink.at("left_quotient").get<double>(), WithinAbs(0.0, 0.0));
    CHECK_THAT(kink.at("right_quotient").get<double>(), WithinAbs(1.0, 1e-12));
    CHECK_THAT(kink.at("central_difference").get<double>(), WithinAbs(0.5, 1e-12));
    CHECK_THAT(kink.at("relu_prime_0").get<double>(), WithinAbs(0.0, 0.0));
    CHECK_THAT(kink.at("relative_error_at_0").get<double>(), WithinAbs(1.0, 1e-12));

    const auto& large = j.at("sigmoid_large_z");
    REQUIRE(large.size() == 4);
    CHECK_THAT(large[0].at("sigmoid").get<double>(), WithinAbs(0.0, 0.0));
    CHECK_THAT(large[3].at("sigmoid").get<double>(), WithinAbs(1.0, 0.0));
    CHECK(large[3].at("naive_exp_z_over_one_plus_exp_z").is_null());  // inf / inf
    CHECK_THAT(large[2].at("sigmoid_prime").get<double>(), WithinRel(std::exp(-40.0), 1e-12));
    CHECK_THAT(large[2].at("sigmoid_times_one_minus_sigmoid").get<double>(), WithinAbs(0.0, 0.0));
}

TEST_CASE("ch03_neuron --activation and --neuron choose the activation and the neuron", "[ch03][cli]")
{
    const book::RunningExample ex = book::running_example();
    const double z2 = z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 1);
    const auto r = support::run(program + " --activation tanh --neuron 2");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("neuron 2 of layer 1 of the 2-3-2 network, activation tanh"));
    CHECK_THAT(r.out, Contains("z_2^[1] = w_21 a_1 + w_22 a_2 + b_2\n"));
    CHECK_THAT(r.out, Contains("a_2^[1] = tanh(z_2^[1]) = " + book::format_number(std::tanh(z2)) + "\n"));
    const auto j = nlohmann::json::parse(support::run(program + " --json --activation relu --neuron 3").out);
    const double z3 = z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 2);
    CHECK(j.at("neuron") == 3);
    CHECK_THAT(j.at("z_j").get<double>(), WithinRel(z3, 1e-14));
    CHECK_THAT(j.at("a_j").get<double>(), WithinRel(std::max(z3, 0.0), 1e-14) || WithinAbs(0.0, 0.0));
}

TEST_CASE("ch03_neuron --z adds a point to the table and the checks", "[ch03][cli]")
{
    const auto j = nlohmann::json::parse(support::run(program + " --json --z -3.25").out);
    CHECK(j.at("derivative_checks").size() == 24);
    bool seen = false;
    for (const auto& c : j.at("derivative_checks")) {
        if (c.at("activation") == "sigmoid" && WithinAbs(-3.25, 0.0).match(c.at("z").get<double>())) {
            seen = true;
            const double s = sigmoid_by_hand(-3.25);
            CHECK_THAT(c.at("analytic").get<double>(), WithinRel(s * (1.0 - s), 1e-12));
        }
    }
    CHECK(seen);
    // just beside the kink, the check of ReLU is skipped, not failed
    const auto r = support::run(program + " --z 1e-7");
    REQUIRE(r.status == 0);
    const std::size_t at = r.out.find("  relu        1e-07 1                    0.50");
    REQUIRE(at != std::string::npos);
    CHECK_THAT(r.out.substr(at, r.out.find('\n', at) - at), Contains("not checked: kink"));
    // where tanh saturates, the central difference loses its digits to cancellation (exercise 5)
    const auto t = support::run(program + " --z 7.5 --section activations");
    REQUIRE(t.status == 0);
    const std::size_t tanh_at = t.out.find("  tanh        7.5   ");
    REQUIRE(tanh_at != std::string::npos);
    const std::string tanh_line = t.out.substr(tanh_at, t.out.find('\n', tanh_at) - tanh_at);
    CHECK_THAT(tanh_line, Contains("above 1e-07"));
    // Exercise 5's answer: the error is below the round-off bound of about 1e-5 that
    // equation (2.7) gives, and Richardson's formula with h = 1e-2 brings it under 1e-7.
    std::istringstream fields(tanh_line);
    std::string name, z, analytic, numeric, error;
    fields >> name >> z >> analytic >> numeric >> error;
    CHECK(std::stod(error) < 1e-5);
    const double richardson = backprop::richardson_difference([](double s) { return std::tanh(s); }, 7.5, 1e-2);
    CHECK(backprop::relative_error(backprop::tanh_prime(7.5), richardson) < 1e-7);
}

TEST_CASE("ch03_neuron --section prints one part of the text", "[ch03][cli]")
{
    const auto all = support::run(program);
    REQUIRE(all.status == 0);
    std::string joined;
    const std::vector<std::pair<std::string, std::string>> parts = {
        {"neuron", "One neuron of the running example"},
        {"activations", "Activations and their derivatives"},
        {"kink", "ReLU at its kink z = 0"},
        {"sigmoid", "sigmoid at large |z|"}};
    for (const auto& [name, heading] : parts) {
        INFO("--section " << name);
        const auto r = support::run(program + " --section " + name);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, StartsWith(heading));
        for (const auto& other : parts) {
            if (other.first != name) {
                CHECK_THAT(r.out, !Contains(other.second));
            }
        }
        joined += (joined.empty() ? "" : "\n") + r.out;
    }
    CHECK(joined == all.out);
    CHECK(support::run(program + " --section all").out == all.out);
}

TEST_CASE("ch03_neuron --figures writes the diagram and the plot data", "[ch03][cli]")
{
    char dir[] = "/tmp/ch03-figures-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const auto r = support::run(program + " --figures " + d);
    REQUIRE(r.status == 0);
    CHECK(support::line_count(r.out) == 3);
    const book::RunningExample ex = book::running_example();
    const std::string dot = support::slurp(d + "/ch03_neuron.neuron.dot");
    CHECK_THAT(dot, StartsWith("// Neuron 1"));
    CHECK_THAT(dot, Contains("digraph neuron {"));
    CHECK_THAT(dot, Contains(book::format_number(ex.net.W[1](0, 0))));
    CHECK_THAT(dot, Contains(book::format_number(z_by_hand(ex.net.W[1], ex.net.b[1], ex.x, 0))));
    const std::string curves = support::slurp(d + "/ch03_neuron.activations.tsv");
    CHECK_THAT(curves,
               StartsWith("# z sigmoid sigmoid_prime tanh tanh_prime relu relu_prime identity identity_prime\n"));
    CHECK(support::line_count(curves) == 1 + 161);
    const std::string kink = support::slurp(d + "/ch03_neuron.relu_kink.tsv");
    CHECK(support::line_count(kink) == 1 + 121);
    CHECK_THAT(kink, Contains("\n0\t0\t0\t0.5\t0.10000000000000001\n"));  // the central difference at the kink
    for (const char* f : {"ch03_neuron.neuron.dot", "ch03_neuron.activations.tsv", "ch03_neuron.relu_kink.tsv"}) {
        std::remove((d + "/" + f).c_str());
    }
    rmdir(dir);
}

TEST_CASE("ch03_neuron --help describes the flags", "[ch03][cli]")
{
    const auto r = support::run(program + " --help");
    CHECK(r.status == 0);
    for (const char* flag :
         {"--seed", "--json", "--activation", "--neuron", "--z", "--figures", "--section", "--help"}) {
        CHECK_THAT(r.out, Contains(flag));
    }
}

TEST_CASE("ch03_neuron rejects bad input with status 2 and one line", "[ch03][cli]")
{
    for (const std::string args : {"--section foo",
                                   "--section",
                                   "--section kink --json",
                                   "--neuron 0",
                                   "--neuron 4",
                                   "--neuron -1",
                                   "--neuron x",
                                   "--neuron 1.5",
                                   "--activation softmax",
                                   "--activation",
                                   "--z nan",
                                   "--z inf",
                                   "--z 101",
                                   "--z -100.5",
                                   "--z 3x",
                                   "--z",
                                   "--seed -1",
                                   "--seed x",
                                   "--figures /nonexistent-ch03-dir",
                                   "--figures /tmp --json",
                                   "--figures /tmp --section kink",
                                   "--figures /dev/null",
                                   "--bogus",
                                   "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch03_neuron");
    }
    const auto r = support::run(program + " --activation softmax");
    CHECK_THAT(r.err, Contains("--activation: must be sigmoid, tanh, relu or identity, got 'softmax'"));
}

TEST_CASE("ch03_neuron refuses empty values and flags that the chosen part does not use", "[ch03][cli]")
{
    SECTION("an empty value of any flag")
    {
        for (const std::string flag : {"--section", "--activation", "--neuron", "--z", "--figures", "--seed"}) {
            INFO(flag << " ''");
            const auto r = support::run(program + " " + flag + " ''");
            support::check_bad_input(r, "ch03_neuron");
            CHECK_THAT(r.err, Contains(flag + ":"));
        }
        CHECK_THAT(support::run(program + " --section ''").err, Contains("the value is empty"));
    }
    SECTION("a flag that changes another section than the one printed")
    {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"--section kink --seed 3", "--seed: it changes only the neuron section, which --section kink"},
            {"--section sigmoid --activation tanh", "--activation: it changes only the neuron section"},
            {"--section activations --neuron 2", "--neuron: it changes only the neuron section"},
            {"--section neuron --z 1", "--z: it changes only the activations section, which --section neuron"},
            {"--section kink --z 1", "--z: it changes only the activations section"}};
        for (const auto& [args, message] : cases) {
            INFO("arguments: " << args);
            const auto r = support::run(program + " " + args);
            support::check_bad_input(r, "ch03_neuron");
            CHECK_THAT(r.err, Contains(message));
        }
        // the sections that use them accept them
        for (const std::string args : {"--section neuron --seed 3 --activation tanh --neuron 2",
                                       "--section activations --z 1", "--section all --seed 3 --z 1 --neuron 3"}) {
            INFO("arguments: " << args);
            CHECK(support::run(program + " " + args).status == 0);
        }
    }
    SECTION("--z with --figures, whose plots do not use it, and nothing is written")
    {
        char dir[] = "/tmp/ch03-figures-z-XXXXXX";
        REQUIRE(mkdtemp(dir) != nullptr);
        const auto r = support::run(program + " --figures " + dir + " --z 1");
        support::check_bad_input(r, "ch03_neuron");
        CHECK_THAT(r.err, Contains("--figures excludes --z"));
        CHECK(support::run(std::string("ls -A ") + dir).out.empty());
        rmdir(dir);
    }
}

// Grading tests of chapter 8's exercises: properties of a shuffled partition, hand-made
// outputs with known classes, the running example's numbers of chapter 7, numeric
// gradients of the whole training set, and the accuracy reached on digits the network
// never saw. Each TEST_CASE is one exercise; its name, "Exercise N.K: title", is what the
// grader shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "backprop/data.hpp"
#include "book/dataset.hpp"
#include "backprop/gradcheck.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"
#include "backprop/random.hpp"
#include "ch08_exercises.hpp"
#include "checks/checks.hpp"

using backprop::Activation;
using backprop::Dataset;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;
using backprop::ShapeError;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using checks::IsNear;

namespace {

using Batches = std::vector<std::vector<std::size_t>>;

// The digits, found from this file's place in the repository: chapters/ch08_training/exercises/.
std::string digits_path()
{
    const std::string here = __FILE__;
    return here.substr(0, here.rfind('/')) + "/../../../data/digits.csv";
}

std::vector<std::size_t> concatenated(const Batches& batches)
{
    std::vector<std::size_t> all;
    for (const std::vector<std::size_t>& B : batches) {
        all.insert(all.end(), B.begin(), B.end());
    }
    return all;
}

// A data set of m samples with n features uniform in [-1, 1) and labels 0..classes-1 in turn.
Dataset random_dataset(std::size_t n, std::size_t m, std::size_t classes, std::uint64_t seed)
{
    backprop::Random rng(seed);
    Dataset d;
    d.X = rng.uniform_matrix(n, m, -1.0, 1.0);
    d.classes = classes;
    for (std::size_t i = 0; i < m; ++i) {
        d.labels.push_back(i % classes);
    }
    return d;
}

// Two clouds of points in the plane, class 0 around (-1, -1) and class 1 around (1, 1).
Dataset two_clouds(std::size_t m, std::uint64_t seed)
{
    backprop::Random rng(seed);
    Dataset d;
    d.X = Matrix({2, m});
    d.classes = 2;
    for (std::size_t i = 0; i < m; ++i) {
        const std::size_t c = i % 2;
        const double centre = c == 0 ? -1.0 : 1.0;
        d.X(0, i) = centre + rng.uniform(-0.7, 0.7);
        d.X(1, i) = centre + rng.uniform(-0.7, 0.7);
        d.labels.push_back(c);
    }
    return d;
}

// J, the mean loss of `net` over the whole data set, written with the library's forward pass.
double whole_loss(const Network& net, const Dataset& d, Loss loss)
{
    return backprop::loss_value(loss, backprop::forward(net, d.X).output(), backprop::one_hot(d.labels, d.classes));
}

// The accuracy of `net` on `d`, with the library's predictions.
double accuracy_on(const Network& net, const Dataset& d)
{
    return backprop::accuracy(backprop::predict_classes(backprop::forward(net, d.X).output()), d.labels);
}

double seconds_since(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("Exercise 8.1: mini-batches", "[ch08]")
{
    // Sizes: full batches, then the rest; no empty batch; every index exactly once.
    for (const auto& [n, batch] : std::vector<std::pair<std::size_t, std::size_t>>{
             {10, 3}, {12, 4}, {5, 8}, {7, 1}, {1, 1}, {100, 16}}) {
        CAPTURE(n, batch);
        const Batches batches = exercises::mini_batches(n, batch, 42);
        REQUIRE(batches.size() == (n + batch - 1) / batch);
        for (std::size_t k = 0; k < batches.size(); ++k) {
            INFO("batch " << k);
            CHECK(batches[k].size() == (k + 1 < batches.size() ? batch : n - k * batch));
        }
        std::vector<std::size_t> all = concatenated(batches);
        std::sort(all.begin(), all.end());
        std::vector<std::size_t> expected(n);
        for (std::size_t i = 0; i < n; ++i) {
            expected[i] = i;
        }
        CHECK(all == expected);
    }
    CHECK(exercises::mini_batches(0, 4, 1).empty());
    CHECK_THROWS_AS(exercises::mini_batches(10, 0, 1), std::invalid_argument);

    // The same seed gives the same batches; other seeds give other orders, not 0, 1, 2, ...
    const std::vector<std::size_t> order = concatenated(exercises::mini_batches(20, 6, 7));
    CHECK(concatenated(exercises::mini_batches(20, 6, 7)) == order);
    CHECK_FALSE(std::is_sorted(order.begin(), order.end()));
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        CAPTURE(seed);
        CHECK(concatenated(exercises::mini_batches(20, 6, seed)) !=
              concatenated(exercises::mini_batches(20, 6, seed + 1)));
    }
    // The whole order is shuffled, not only each batch: the first batch of 10 out of 100 is
    // not the first ten samples.
    const std::vector<std::size_t> first = exercises::mini_batches(100, 10, 3).at(0);
    CHECK(*std::max_element(first.begin(), first.end()) >= 10);

    // Every order is equally likely: over 60000 seeds each of the 6 orders of 3 samples
    // turns up 1/6 of the time (within 0.008, about 5 standard deviations).
    std::map<std::vector<std::size_t>, std::size_t> count;
    const std::size_t trials = 60000;
    for (std::uint64_t seed = 0; seed < trials; ++seed) {
        ++count[concatenated(exercises::mini_batches(3, 3, seed))];
    }
    CHECK(count.size() == 6);
    for (const auto& [permutation, times] : count) {
        std::string shown;
        for (std::size_t i : permutation) {
            shown += (shown.empty() ? "" : ", ") + std::to_string(i);
        }
        INFO("order " << shown << " came " << times << " times in " << trials);
        CHECK_THAT(static_cast<double>(times) / trials, WithinAbs(1.0 / 6.0, 0.008));
    }
}

TEST_CASE("Exercise 8.2: predictions and accuracy", "[ch08]")
{
    // (3, 4): one class per column, not per row. Column 2 is all negative; column 1 has a
    // tie between rows 0 and 1 (the first wins); column 3's largest is in the last row.
    const Matrix a = {{0.1, 0.2, -3.0, 5.0},
                      {0.7, 0.2, -1.0, 4.0},
                      {0.2, 0.1, -2.0, 6.0}};
    CHECK(exercises::predicted_classes(a) == std::vector<std::size_t>{1, 0, 1, 2});
    // Ties: the first row of the largest entry.
    CHECK(exercises::predicted_classes(Matrix{{1.0}, {3.0}, {3.0}}) == std::vector<std::size_t>{1});
    CHECK(exercises::predicted_classes(Matrix{{-2.0}, {-2.0}, {-2.0}}) == std::vector<std::size_t>{0});
    // One output row: every column is class 0. No columns: no predictions.
    CHECK(exercises::predicted_classes(Matrix{{0.3, -0.2, 0.9}}) == std::vector<std::size_t>{0, 0, 0});
    CHECK(exercises::predicted_classes(Matrix(std::array<std::size_t, 2>{3, 0})).empty());
    // Outputs near their one-hot targets predict the targets' classes back.
    const std::vector<std::size_t> labels = {3, 0, 9, 1, 1, 7, 4};
    const Matrix y = backprop::one_hot(labels, 10);
    const Matrix near_y = 0.8 * y + 0.1;
    CHECK(exercises::predicted_classes(near_y) == labels);
    // An output with no rows has no class.
    CHECK_THROWS_AS(exercises::predicted_classes(Matrix(std::array<std::size_t, 2>{0, 3})), ShapeError);

    // The fraction correct, not the count.
    CHECK_THAT(exercises::fraction_correct({3, 0, 9, 1, 1}, {3, 0, 9, 7, 1}), WithinAbs(0.8, 1e-15));
    CHECK_THAT(exercises::fraction_correct({1, 2, 3}, {1, 0, 3}), WithinAbs(2.0 / 3.0, 1e-15));
    CHECK_THAT(exercises::fraction_correct({4, 4}, {4, 4}), WithinAbs(1.0, 0.0));
    CHECK_THAT(exercises::fraction_correct({0, 1, 2}, {1, 2, 0}), WithinAbs(0.0, 0.0));
    // The two together on the hand-made outputs: 3 of 4 right.
    CHECK_THAT(exercises::fraction_correct(exercises::predicted_classes(a), {1, 0, 1, 0}), WithinAbs(0.75, 1e-15));
    // Lists of different lengths, or empty ones, have no accuracy.
    CHECK_THROWS_AS(exercises::fraction_correct({1, 2, 3}, {1, 2}), std::invalid_argument);
    CHECK_THROWS_AS(exercises::fraction_correct({}, {}), std::invalid_argument);
}

TEST_CASE("Exercise 8.3: one epoch of mini-batch gradient descent", "[ch08]")
{
    {
        INFO("the running example (chapter 7): one sample, L1 loss, alpha = 0.5; an epoch is one step");
        Network net = backprop::make_network({2, 3, 2}, Activation::sigmoid, Activation::sigmoid, 1);
        Dataset one;
        one.X = {{0.8}, {0.2}};
        one.labels = {0};  // y = (1, 0)
        one.classes = 2;
        // The loss of the epoch is the loss of its batch before the step; chapter 7 prints
        // J = 1.023665228 before the step and 0.9473759829 after it.
        CHECK_THAT(exercises::train_epoch(net, one, 1, 0.5, Loss::l1, 1), WithinRel(1.0236652281347884, 1e-12));
        CHECK_THAT(whole_loss(net, one, Loss::l1), WithinRel(0.9473759829, 1e-9));
        CHECK_THAT(exercises::train_epoch(net, one, 1, 0.5, Loss::l1, 2), WithinRel(0.9473759829, 1e-9));
        for (std::uint64_t epoch = 3; epoch <= 100; ++epoch) {
            exercises::train_epoch(net, one, 1, 0.5, Loss::l1, epoch);
        }
        CHECK_THAT(whole_loss(net, one, Loss::l1), WithinRel(0.02129969508, 1e-9));  // "step 100"
    }
    {
        INFO("alpha = 0 changes nothing, and the epoch's loss is J over all 7 samples (batches of 3, 3, 1)");
        const Dataset d = random_dataset(3, 7, 2, 5);
        Network net = backprop::make_network({3, 4, 2}, Activation::tanh, Activation::sigmoid, 5);
        const Network before = net;
        const double J = whole_loss(net, d, Loss::cross_entropy);
        CHECK_THAT(exercises::train_epoch(net, d, 3, 0.0, Loss::cross_entropy, 9), WithinRel(J, 1e-12));
        for (std::size_t l = 1; l <= net.depth(); ++l) {
            INFO("layer " << l);
            CHECK_THAT(net.W[l], IsNear(before.W[l], 0.0));
            CHECK_THAT(net.b[l], IsNear(before.b[l], 0.0));
        }
    }
    {
        INFO("one batch of all 5 samples: the epoch is one step W <- W - alpha dJ/dW, dJ/dW by finite differences");
        const Dataset d = random_dataset(3, 5, 2, 6);
        Network net = backprop::make_network({3, 4, 2}, Activation::tanh, Activation::sigmoid, 6);
        Network probe = net;
        const std::function<double()> J = [&] { return whole_loss(probe, d, Loss::cross_entropy); };
        const double alpha = 0.3;
        const double J0 = J();
        CHECK_THAT(exercises::train_epoch(net, d, 8, alpha, Loss::cross_entropy, 4), WithinRel(J0, 1e-12));
        for (std::size_t l = 1; l <= net.depth(); ++l) {
            INFO("layer " << l);
            const Matrix grad_W = backprop::numeric_gradient(J, probe.W[l]);
            const Matrix grad_b = backprop::numeric_gradient(J, probe.b[l]);
            CHECK_THAT(net.W[l], IsNear(probe.W[l] - alpha * grad_W, 1e-6, 1e-10));
            CHECK_THAT(net.b[l], IsNear(probe.b[l] - alpha * grad_b, 1e-6, 1e-10));
        }
    }
    {
        INFO("6 samples in batches of 2, small alpha: the epoch is 3 steps, moving W by about 3 alpha dJ/dW");
        const Dataset d = random_dataset(3, 6, 2, 8);
        Network net = backprop::make_network({3, 4, 2}, Activation::tanh, Activation::sigmoid, 8);
        Network probe = net;
        const std::function<double()> J = [&] { return whole_loss(probe, d, Loss::quadratic); };
        const double alpha = 1e-6;
        exercises::train_epoch(net, d, 2, alpha, Loss::quadratic, 3);
        for (std::size_t l = 1; l <= net.depth(); ++l) {
            INFO("layer " << l << ": (W before - W after) / (3 alpha) against dJ/dW");
            const Matrix moved_W = (probe.W[l] - net.W[l]) / (3.0 * alpha);
            const Matrix moved_b = (probe.b[l] - net.b[l]) / (3.0 * alpha);
            CHECK_THAT(moved_W, IsNear(backprop::numeric_gradient(J, probe.W[l]), 1e-4, 1e-7));
            CHECK_THAT(moved_b, IsNear(backprop::numeric_gradient(J, probe.b[l]), 1e-4, 1e-7));
        }
    }
    {
        INFO("two clouds of 40 points, batches of 4: the loss falls epoch after epoch");
        const Dataset d = two_clouds(40, 2);
        Network net = backprop::make_network({2, 3, 2}, Activation::tanh, Activation::sigmoid, 2);
        Network again = net;
        double J = whole_loss(net, d, Loss::cross_entropy);
        const double J_start = J;
        for (std::uint64_t epoch = 1; epoch <= 15; ++epoch) {
            INFO("epoch " << epoch);
            const double epoch_loss = exercises::train_epoch(net, d, 4, 0.5, Loss::cross_entropy, epoch);
            CHECK_THAT(exercises::train_epoch(again, d, 4, 0.5, Loss::cross_entropy, epoch),
                       WithinAbs(epoch_loss, 0.0));
            const double J_next = whole_loss(net, d, Loss::cross_entropy);
            CHECK(J_next < J);
            J = J_next;
        }
        CHECK(J < 0.05 * J_start);
        CHECK_THAT(accuracy_on(net, d), WithinAbs(1.0, 0.0));
        // The same seeds gave the same network; another seed visits the samples in
        // another order, and ends elsewhere.
        CHECK_THAT(again.W[1], IsNear(net.W[1], 0.0));
        exercises::train_epoch(net, d, 4, 0.5, Loss::cross_entropy, 100);
        exercises::train_epoch(again, d, 4, 0.5, Loss::cross_entropy, 101);
        CHECK_FALSE(checks::IsNear(net.W[1], 1e-12).match(again.W[1]));
    }
    // Data that do not fit the network.
    Network net = backprop::make_network({3, 4, 2}, Activation::tanh, Activation::sigmoid, 1);
    CHECK_THROWS_AS(exercises::train_epoch(net, random_dataset(2, 6, 2, 1), 2, 0.1, Loss::quadratic, 1), ShapeError);
    CHECK_THROWS_AS(exercises::train_epoch(net, random_dataset(3, 6, 3, 1), 2, 0.1, Loss::quadratic, 1), ShapeError);
}

TEST_CASE("Exercise 8.4: a training loop to a target", "[ch08]")
{
    Dataset digits = book::load_labelled_csv(digits_path(), "--data", 10);
    backprop::scale_features(digits, 16.0);

    for (std::uint64_t split_seed : {1, 2}) {
        INFO("split seed " << split_seed << ": target 97% on validation, at most 2 s");
        const backprop::Split split = backprop::train_test_split(digits, 0.25, split_seed);
        const auto start = std::chrono::steady_clock::now();
        const exercises::TrainingRun run = exercises::train_to_target(split.train, 0.97, 2.0, 1);
        const double elapsed = seconds_since(start);
        CAPTURE(elapsed, run.epochs, run.validation_accuracy);
        REQUIRE(run.net.sizes.front() == 64);
        REQUIRE(run.net.sizes.back() == 10);
        CHECK(run.epochs >= 1);
        CHECK(elapsed < 3.5);
        // It stopped because it reached the target, or because the time was up.
        CHECK((run.validation_accuracy >= 0.97 || elapsed >= 2.0));
        // What counts: digits it never saw while it learned.
        const double test_accuracy = accuracy_on(run.net, split.test);
        CAPTURE(test_accuracy);
        CHECK(test_accuracy >= 0.92);
    }

    const backprop::Split split = backprop::train_test_split(digits, 0.25, 3);
    {
        INFO("an easy target (50%) stops long before the time is up");
        const auto start = std::chrono::steady_clock::now();
        const exercises::TrainingRun run = exercises::train_to_target(split.train, 0.5, 10.0, 1);
        const double elapsed = seconds_since(start);
        CAPTURE(elapsed, run.epochs, run.validation_accuracy);
        CHECK(elapsed < 3.0);
        CHECK(run.epochs >= 1);
        CHECK(run.validation_accuracy >= 0.5);
        CHECK(accuracy_on(run.net, split.test) >= 0.5);
    }
    {
        INFO("a target of 100% in 0.5 s: it stops when the time is up, or when it gets there");
        const auto start = std::chrono::steady_clock::now();
        const exercises::TrainingRun run = exercises::train_to_target(split.train, 1.0, 0.5, 1);
        const double elapsed = seconds_since(start);
        CAPTURE(elapsed, run.epochs, run.validation_accuracy);
        CHECK(run.epochs >= 1);
        CHECK(elapsed < 2.0);
        if (run.validation_accuracy < 1.0) {
            CHECK(elapsed >= 0.5);
        }
    }
    {
        INFO("the same seed trains the same network");
        const exercises::TrainingRun first = exercises::train_to_target(split.train, 0.9, 10.0, 7);
        const exercises::TrainingRun second = exercises::train_to_target(split.train, 0.9, 10.0, 7);
        CHECK(first.epochs == second.epochs);
        CHECK_THAT(second.validation_accuracy, WithinAbs(first.validation_accuracy, 0.0));
        REQUIRE(first.net.depth() == second.net.depth());
        for (std::size_t l = 1; l <= first.net.depth(); ++l) {
            INFO("layer " << l);
            CHECK_THAT(second.net.W[l], IsNear(first.net.W[l], 0.0));
        }
    }
}

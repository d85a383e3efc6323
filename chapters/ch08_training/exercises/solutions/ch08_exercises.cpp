// Chapter 8's exercises, solved. Built instead of ../ch08_exercises.cpp when the build
// is configured with -DBOOK_EXERCISE_SOLUTIONS=ON.

#include "ch08_exercises.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "backprop/gradients.hpp"
#include "backprop/random.hpp"
#include "backprop/sgd.hpp"

namespace exercises {

std::vector<std::vector<std::size_t>> mini_batches(std::size_t n, std::size_t batch, std::uint64_t seed)
{
    if (batch == 0) {
        throw std::invalid_argument("a batch needs at least one sample");
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    backprop::Random rng(seed);
    for (std::size_t i = n; i > 1; --i) {  // Fisher–Yates: order[i-1] from the first i
        std::swap(order[i - 1], order[rng.below(i)]);
    }
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t first = 0; first < n; first += batch) {
        const std::size_t m = std::min(batch, n - first);  // the last batch may be smaller
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(first),
                             order.begin() + static_cast<std::ptrdiff_t>(first + m));
    }
    return batches;
}

std::vector<std::size_t> predicted_classes(const Matrix& a)
{
    if (a.shape(0) == 0) {
        throw backprop::ShapeError("an output " + backprop::shape_of(a) +
                                   " has no rows, so no class to predict (see ch08_training)");
    }
    std::vector<std::size_t> c(a.shape(1), 0);
    for (std::size_t i = 0; i < a.shape(1); ++i) {
        for (std::size_t j = 1; j < a.shape(0); ++j) {
            if (a(j, i) > a(c[i], i)) {  // strictly larger: the first row wins a tie
                c[i] = j;
            }
        }
    }
    return c;
}

double fraction_correct(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels)
{
    if (predicted.size() != labels.size() || labels.empty()) {
        throw std::invalid_argument(std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(labels.size()) + " labels");
    }
    std::size_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        right += predicted[i] == labels[i] ? 1 : 0;
    }
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

double train_epoch(Network& net, const Dataset& data, std::size_t batch, double alpha, Loss loss,
                   std::uint64_t seed)
{
    const Matrix Y_all = backprop::one_hot(data.labels, data.classes);  // (n_L, n)
    double loss_sum = 0.0;
    for (const std::vector<std::size_t>& B : mini_batches(data.size(), batch, seed)) {
        const std::size_t m = B.size();
        Matrix X({data.X.shape(0), m}), Y({Y_all.shape(0), m});  // (n_0, m), (n_L, m)
        for (std::size_t i = 0; i < m; ++i) {
            xt::view(X, xt::all(), i) = xt::view(data.X, xt::all(), B[i]);
            xt::view(Y, xt::all(), i) = xt::view(Y_all, xt::all(), B[i]);
        }
        const backprop::ForwardPass pass = backprop::forward(net, X);
        loss_sum += backprop::loss_value(loss, pass.output(), Y) * static_cast<double>(m);  // m J_B
        const backprop::Gradients grads = backprop::backward(net, pass, Y, loss);
        backprop::sgd_step(net, grads, alpha);
    }
    return loss_sum / static_cast<double>(data.size());
}

TrainingRun train_to_target(const Dataset& train_set, double target, double seconds, std::uint64_t seed)
{
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    const backprop::Split parts = backprop::train_test_split(train_set, 0.2, seed);  // fit on .train, validate on .test
    TrainingRun run{backprop::make_network({64, 64, 10}, backprop::Activation::tanh,
                                           backprop::Activation::sigmoid, seed),
                    0, 0.0};
    while (true) {
        ++run.epochs;
        train_epoch(run.net, parts.train, 16, 0.5, Loss::cross_entropy, seed + run.epochs);
        const backprop::ForwardPass pass = backprop::forward(run.net, parts.test.X);
        run.validation_accuracy = fraction_correct(predicted_classes(pass.output()), parts.test.labels);
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (run.validation_accuracy >= target || elapsed >= seconds) {
            return run;
        }
    }
}

}  // namespace exercises

#include "backprop/train.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <string>

#include "backprop/random.hpp"
#include "backprop/sgd.hpp"

namespace backprop {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Copies the samples order[first, first + m) into the columns of X and Y.
void gather(const Dataset& data, const Matrix& targets, const std::vector<std::size_t>& order, std::size_t first,
            std::size_t m, Matrix& X, Matrix& Y)
{
    ensure_shape(X, data.X.shape(0), m);
    ensure_shape(Y, targets.shape(0), m);
    for (std::size_t k = 0; k < X.shape(0); ++k) {
        for (std::size_t i = 0; i < m; ++i) {
            X(k, i) = data.X(k, order[first + i]);
        }
    }
    for (std::size_t k = 0; k < Y.shape(0); ++k) {
        for (std::size_t i = 0; i < m; ++i) {
            Y(k, i) = targets(k, order[first + i]);
        }
    }
}

}  // namespace

double evaluate_accuracy(const Network& net, const Dataset& data)
{
    const ForwardPass pass = forward(net, data.X);
    return accuracy(predict_classes(pass.output()), data.labels);
}

std::vector<EpochReport> train(Network& net, const Dataset& train_set, const Dataset* test,
                               const TrainOptions& options, const std::function<void(const EpochReport&)>& on_epoch)
{
    require_consistent(net);
    require_compatible(options.loss, net.sigma.back());
    if (train_set.size() == 0 || options.batch == 0 || options.epochs == 0) {
        throw std::invalid_argument("training needs samples, a batch of at least 1 and at least 1 epoch");
    }
    if (train_set.X.shape(0) != net.sizes.front() || train_set.classes != net.sizes.back()) {
        throw std::invalid_argument("the data have " + std::to_string(train_set.X.shape(0)) + " features and " +
                                    std::to_string(train_set.classes) + " classes; the network takes " +
                                    std::to_string(net.sizes.front()) + " inputs and has " +
                                    std::to_string(net.sizes.back()) + " outputs");
    }
    const Matrix targets = one_hot(train_set.labels, train_set.classes);
    std::vector<std::size_t> order(train_set.size());
    std::iota(order.begin(), order.end(), 0);
    Random rng(options.seed);
    ForwardPass pass;
    Gradients grads;
    Matrix X, Y;
    std::vector<EpochReport> reports;
    double train_seconds = 0.0;
    const auto start = Clock::now();
    for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
        for (std::size_t i = order.size() - 1; i > 0; --i) {  // a new order every epoch
            std::swap(order[i], order[rng.below(i + 1)]);
        }
        const auto epoch_start = Clock::now();
        double loss_sum = 0.0;
        //! [train]
        for (std::size_t first = 0, batch = 1; first < order.size();
             first += options.batch, ++batch) {
            const std::size_t m = std::min(options.batch, order.size() - first);
            gather(train_set, targets, order, first, m, X, Y);
            forward_into(net, X, pass);
            const double loss = loss_value(options.loss, pass.output(), Y);
            if (!std::isfinite(loss)) {
                throw TrainingDiverged(
                    "the loss became " + std::to_string(loss) + " in epoch " +
                    std::to_string(epoch) + ", batch " + std::to_string(batch) +
                    ": the steps diverged; try a smaller learning rate");
            }
            loss_sum += loss * static_cast<double>(m);
            backward_into(net, pass, Y, options.loss, grads);
            sgd_step(net, grads, options.alpha);
        }
        //! [train]
        train_seconds += seconds_since(epoch_start);
        EpochReport r;
        r.epoch = epoch;
        r.loss = loss_sum / static_cast<double>(order.size());
        r.train_accuracy = evaluate_accuracy(net, train_set);
        r.test_accuracy = test != nullptr ? evaluate_accuracy(net, *test) : 0.0;
        r.train_seconds = train_seconds;
        r.elapsed_seconds = seconds_since(start);
        reports.push_back(r);
        if (on_epoch) {
            on_epoch(r);
        }
    }
    return reports;
}

}  // namespace backprop

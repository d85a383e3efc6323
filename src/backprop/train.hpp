/// \file train.hpp
/// \brief Mini-batch stochastic gradient descent, built only from forward_into(),
/// backward_into() and sgd_step(). \see ch08_training
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "backprop/data.hpp"
#include "backprop/gradients.hpp"
#include "backprop/loss.hpp"
#include "backprop/network.hpp"

namespace backprop {

/// How to train.
struct TrainOptions {
    std::size_t epochs = 30;  ///< passes over the training set
    std::size_t batch = 16;   ///< samples per step \f$ m \f$ (the last batch of an epoch may be smaller)
    double alpha = 0.5;       ///< the learning rate \f$ \alpha \f$
    Loss loss = Loss::cross_entropy;  ///< the loss \f$ \ell \f$
    std::uint64_t seed = 1;   ///< the seed of the order in which samples are visited
};

/// What one epoch did.
struct EpochReport {
    std::size_t epoch = 0;        ///< 1, 2, ...
    double loss = 0.0;            ///< the mean loss over the epoch's samples, as they were trained on
    double train_accuracy = 0.0;  ///< accuracy on the whole training set after the epoch
    double test_accuracy = 0.0;   ///< accuracy on the test set after the epoch (0 without one)
    double train_seconds = 0.0;   ///< time spent in the steps so far (forward, backward, update)
    double elapsed_seconds = 0.0; ///< wall time since training started, evaluation included
};

/// Thrown when the loss stops being a finite number: the steps have diverged.
class TrainingDiverged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Trains \p net by mini-batch SGD: each epoch visits the training samples in a new
/// seeded random order, in batches of \f$ m \f$ columns, and for each batch runs
/// forward_into(), backward_into() and sgd_step() with targets one_hot() of the labels.
/// Buffers are allocated once and reused.
/// \param test the test set, or nullptr
/// \param on_epoch called after each epoch (for progress lines), may be empty
/// \returns one report per epoch
/// \throws TrainingDiverged naming the epoch and batch when the loss becomes NaN or
/// infinite; \throws std::invalid_argument for empty data, mismatched sizes or options
/// \see ch08_training
std::vector<EpochReport> train(Network& net, const Dataset& train_set, const Dataset* test,
                               const TrainOptions& options,
                               const std::function<void(const EpochReport&)>& on_epoch = {});

/// The accuracy of \p net on \p data (predict_classes() of the forward pass).
/// \see ch08_training
double evaluate_accuracy(const Network& net, const Dataset& data);

}  // namespace backprop

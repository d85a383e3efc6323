// Chapter 8's programming exercises: what the student writes in ch08_exercises.cpp.
// The tests (ch08_grading.cpp) and the reference solutions use these declarations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backprop/data.hpp"
#include "backprop/loss.hpp"
#include "backprop/matrix.hpp"
#include "backprop/network.hpp"

namespace exercises {

using backprop::Dataset;
using backprop::Loss;
using backprop::Matrix;
using backprop::Network;

// Exercise 8.1: the samples 0..n-1 in a seeded random order, cut into batches of `batch`.
std::vector<std::vector<std::size_t>> mini_batches(std::size_t n, std::size_t batch, std::uint64_t seed);

// Exercise 8.2: the predicted class of each column of a^[L] (the row of its largest entry) ...
std::vector<std::size_t> predicted_classes(const Matrix& a);

// ... and the fraction of the predictions that equal the labels.
double fraction_correct(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels);

// Exercise 8.3: one epoch of mini-batch gradient descent (equation 8.1); returns the mean
// loss over the epoch's samples.
double train_epoch(Network& net, const Dataset& data, std::size_t batch, double alpha, Loss loss,
                   std::uint64_t seed);

// Exercise 8.4: what train_to_target returns.
struct TrainingRun {
    Network net;                       // the trained network: 64 inputs, 10 outputs
    std::size_t epochs = 0;            // the epochs it was trained for
    double validation_accuracy = 0.0;  // its accuracy on the validation part after the last epoch
};

// Exercise 8.4: train a network on the digits until its validation accuracy reaches
// `target` or `seconds` have passed.
TrainingRun train_to_target(const Dataset& train_set, double target, double seconds, std::uint64_t seed);

}  // namespace exercises

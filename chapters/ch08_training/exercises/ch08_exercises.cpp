// Chapter 8 — Training on real data: programming exercises.
//
// Replace each stub below with your code, then run the grader from the repository's
// root:   build/bin/grade --chapter 8
// It compiles this file, runs the tests in ch08_grading.cpp and shows what passes.
// The declarations are in ch08_exercises.hpp; do not change them.
//
// Above each stub, "Library:" lists the library functions that exercise may call,
// besides the library's types (backprop::ShapeError, backprop::Network, ...) and
// backprop::shape_of(); the grader refuses an exercise that calls any other, which
// could be its answer. `build/bin/grade hint N.K` prints an exercise's hint and list.

#include "ch08_exercises.hpp"

#include "backprop/gradients.hpp"
#include "backprop/random.hpp"
#include "backprop/sgd.hpp"
#include "grader/exercise.hpp"

namespace exercises {

// -----------------------------------------------------------------------------
// Exercise 8.1: mini-batches
//
// Task: return the samples 0, 1, ..., n-1 in a random order drawn with
// backprop::Random from `seed`, cut into consecutive batches of `batch` samples; the
// last batch holds what is left and may be smaller, and no batch is empty (so n = 10,
// batch = 3 gives batches of 3, 3, 3 and 1, and n = 0 gives none). This is how an
// epoch visits the training set in this chapter. Throw std::invalid_argument if
// `batch` is 0. The tests check that every sample is in exactly one batch, the batch
// sizes, that the same seed gives the same batches and other seeds other orders, that
// the whole order is shuffled (not only each batch), and that all 6 orders of 3 samples
// are equally likely over 60000 seeds.
//
// Library: backprop::Random
//
// Hint: shuffle a vector 0..n-1 first, then cut it. Fisher–Yates shuffles fairly: for i
// from n-1 down to 1, swap element i with a random element among the first i+1
// (rng.below(k) is uniform in 0..k-1). Swapping every element with one drawn from all n
// looks just as random but is not: some orders come out more often than others.
// -----------------------------------------------------------------------------
std::vector<std::vector<std::size_t>> mini_batches(std::size_t n, std::size_t batch, std::uint64_t seed)
{
    not_implemented(8, 1);
}

// -----------------------------------------------------------------------------
// Exercise 8.2: predictions and accuracy
//
// Task: write two functions. predicted_classes(a) takes the network's output a^[L] of
// shape (n_L, m), one sample per column, and returns m classes: for each column, the
// row of its largest entry; on a tie, the first (smallest) such row. An output with no
// rows has no class: throw backprop::ShapeError naming its shape; m = 0 gives an empty
// list. fraction_correct(predicted, labels) returns the fraction of positions where
// the two lists agree, a number in [0, 1]; throw std::invalid_argument if their lengths
// differ or they are empty. The tests use hand-made outputs that are not square, with
// negative entries and ties, outputs near one-hot targets, and known accuracies such
// as 4 right out of 5 = 0.8.
//
// Library: none
//
// Hint: start each column's best at its row 0, not at the value 0.0 (outputs can be
// negative), and replace it only by a strictly larger entry, which keeps the first row
// on a tie. The count of correct answers is a whole number: convert it to double
// before you divide.
// -----------------------------------------------------------------------------
std::vector<std::size_t> predicted_classes(const Matrix& a)
{
    not_implemented(8, 2);
}

double fraction_correct(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels)
{
    not_implemented(8, 2);
}

// -----------------------------------------------------------------------------
// Exercise 8.3: one epoch of mini-batch gradient descent
//
// Task: train `net` for one epoch on `data` (samples as the columns of data.X, targets
// backprop::one_hot(data.labels, data.classes)): visit the samples in the batches of
// mini_batches(data.size(), batch, seed) from Exercise 8.1, and for each batch of m
// samples gather its columns into X (n_0, m) and Y (n_L, m) and take one step of
// equation (8.1): forward, backward for `loss`, update with learning rate alpha. You
// may use backprop::forward, backprop::backward and backprop::sgd_step; the exercise is
// the loop. Return the mean loss over the epoch's samples, each batch's loss
// backprop::loss_value taken before its update and weighted by its m. Data that do not
// fit the network throw the library's backprop::ShapeError. The tests check the
// running example of chapter 7 (one sample, L1 loss, alpha = 0.5: J = 1.023665228, then
// 0.9473759829, and 0.02129969508 after 100 epochs), that alpha = 0 returns J of the
// whole set, that one batch of all samples is one step against finite-difference
// gradients, that 3 small steps move W by 3 alpha dJ/dW, that the loss on two clouds
// of points falls epoch after epoch, and that a seed gives the same network.
//
// Library: backprop::one_hot, backprop::forward, backprop::backward,
//          backprop::sgd_step, backprop::loss_value
//
// Hint: a sample is a column, so sample B[i] of the batch goes into column i of both X
// and Y; gather both with the same index, or the inputs get the wrong targets. The last
// batch may be smaller, so add m times its loss and divide by the number of samples at
// the end, not by the number of batches.
// -----------------------------------------------------------------------------
double train_epoch(Network& net, const Dataset& data, std::size_t batch, double alpha, Loss loss,
                   std::uint64_t seed)
{
    not_implemented(8, 3);
}

// -----------------------------------------------------------------------------
// Exercise 8.4: a training loop to a target
//
// Task: train a network of your design on `train_set` (digits, 64 features scaled to
// [0, 1], 10 classes) until its accuracy on a validation part reaches `target` or
// `seconds` of wall time have passed since the call, whichever comes first, and return
// it in a TrainingRun with the number of epochs trained and its final validation
// accuracy. Hold out the validation part of train_set yourself with
// backprop::train_test_split and train on the rest only; the network must have 64
// inputs and 10 outputs; train at least one epoch, and check both conditions after every
// epoch. Everything random (the split, the weights, each epoch's order) comes from
// `seed`, so the same seed trains the same network. The tests call it on the training
// part of two 75/25 splits of the digits with target 0.97 and 2 seconds and require 92%
// accuracy on the test part, which your function never sees; they also check that a
// target of 0.5 stops early, that a target of 1.0 in 0.5 s stops in time, and the seed.
//
// Library: backprop::train_test_split, backprop::make_network, backprop::forward,
//          backprop::backward, backprop::sgd_step, backprop::one_hot,
//          backprop::loss_value
//
// Hint: the chapter's program trains a 64-64-10 network (tanh hidden layer, sigmoid
// output, cross-entropy, batches of 16, alpha = 0.5) to about 98% in well under a second;
// see "Which loss?" before you choose another loss. Your train_epoch of Exercise 8.3
// does the epochs (give each epoch its own seed, e.g. seed + epoch), and Exercise 8.2
// measures the validation accuracy. Hold out about a fifth of train_set: a much smaller
// validation part measures the accuracy too coarsely to stop on. std::chrono::steady_clock
// measures the time.
// -----------------------------------------------------------------------------
TrainingRun train_to_target(const Dataset& train_set, double target, double seconds, std::uint64_t seed)
{
    not_implemented(8, 4);
}

}  // namespace exercises

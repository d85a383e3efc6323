// Chapter 8: training the library's network on the handwritten digits, by mini-batch
// gradient descent built only from forward_into, backward_into and sgd_step.
//
// compute() trains and returns every epoch's report; text(), json() and figures() show
// them; predict() is the `predict` subcommand; main() declares the flags and chooses.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "backprop/data.hpp"
#include "backprop/train.hpp"
#include "book/cli.hpp"
#include "book/dataset.hpp"
#include "book/files.hpp"
#include "book/flags.hpp"
#include "book/json.hpp"
#include "book/model.hpp"
#include "book/print.hpp"
#include "book/text.hpp"

using backprop::Activation;
using backprop::Loss;

#ifndef BOOK_DATA_DIR
#define BOOK_DATA_DIR "data"
#endif

namespace {

constexpr double digits_scale = 16.0;  // the digits' pixels are 0..16
constexpr std::size_t digit_classes = 10;
constexpr double test_fraction = 0.25;

// A run ends no better than chance when its final training accuracy is at most this
// many times 1/classes (15% for the digits).
constexpr double chance_factor = 1.5;

// The limits, chosen so that the slowest run they allow ends within about a minute on
// a 2-core machine: the work of a run (work_of()) is at most max_work, which with the
// size of the data file also bounds the memory (the accuracy is measured on every sample
// at once); predict counts parameters x rows against the same bound.
constexpr book::SizesLimits sizes_limits{2, 10, 1024};
constexpr std::int64_t max_epochs = 1000, max_batch = 4096, max_splits = 25;
constexpr std::size_t largest_training_file = std::size_t{4} << 20;  // the digits take 0.26 MiB
constexpr double max_work = 4e9;
constexpr double least_parameters = 5000;  // a step's fixed cost, in parameters
constexpr double least_batch = 8;          // a batch smaller than this costs as much
constexpr std::size_t predict_columns = 1024;  // predict's forward pass, this many rows at a time

// The loss that goes with an output layer when --loss is not given: the categorical
// cross-entropy after softmax (ch09_graphs), the binary one after anything else (which
// require_compatible() accepts only after a sigmoid).
Loss loss_after(Activation output)
{
    return output == Activation::softmax ? Loss::categorical_cross_entropy : Loss::cross_entropy;
}

// The output layer that goes with a loss when --output is not given.
Activation output_before(Loss loss)
{
    return loss == Loss::categorical_cross_entropy ? Activation::softmax : Activation::sigmoid;
}

constexpr Activation default_output = Activation::sigmoid;

constexpr std::size_t max_rates = 10;

// The flags, as typed values.
struct Options {
    std::int64_t seed = 1;  // from --seed: the initial weights and the order of the samples
    std::vector<std::size_t> sizes{64, 64, 10};
    Activation activation = Activation::tanh;
    Activation output = default_output;
    Loss loss = loss_after(default_output);
    std::size_t epochs = 40;
    std::size_t batch = 16;
    double learning_rate = 0.5;  // the rate --choose-rate picks for both outputs (a test checks it)
    std::uint64_t split_seed = 1;
    std::size_t splits = 1;
    std::string data = BOOK_DATA_DIR "/digits.csv";
    std::string save, load, figures;
    bool quiet = false;
    bool compare_losses = false;
    bool compare_outputs = false;
    bool choose_rate = false;
    std::vector<double> rates{0.25, 0.5, 1.0};  // --choose-rate tries these
    bool loss_given = false;                    // --loss was on the command line
    std::string predict_model, predict_data;  // the `predict` subcommand's --load and --data
};

// One network trained on one split.
struct Run {
    std::uint64_t split_seed = 0;
    std::size_t test_size = 0;                   // the digits the accuracy was measured on
    std::vector<backprop::EpochReport> reports;  // one per epoch
    book::Model model;                           // the parameters after the last epoch
};

// One row of --compare-losses: a loss and the last epoch trained with it.
struct LossRow {
    Loss loss = Loss::cross_entropy;
    backprop::EpochReport last;
};

// One learning rate tried by --choose-rate.
struct RateTrial {
    double alpha = 0.0;
    std::vector<double> validation;  // the accuracy on the held-out digits, per split
    double median = 0.0, lowest = 0.0, highest = 0.0;
    std::string failed;  // why a run with this rate failed, or ""
};

// One side of --compare-outputs: an output layer with its loss, and the runs trained
// with them on every split.
struct OutputRow {
    Activation output = Activation::sigmoid;
    Loss loss = Loss::cross_entropy;
    std::vector<Run> runs;  // one per split
    double median_test_accuracy = 0.0;
    double median_seconds = 0.0;
};

// Everything a training run shows.
struct Results {
    Options options;
    std::size_t samples = 0;      // in the data file
    backprop::Network net;        // the network before training (random, or from --load)
    Loss loss = Loss::cross_entropy;  // the loss trained with (after --load, the one its output takes)
    std::vector<Run> runs;        // one per split; empty with --compare-losses or --compare-outputs
    std::vector<LossRow> losses;  // --compare-losses: one per loss
    std::vector<OutputRow> outputs;  // --compare-outputs: ten sigmoids, then softmax
    std::vector<RateTrial> trials;   // --choose-rate: one per rate
    double chosen_rate = 0.0;        // --choose-rate: the best median
    double median_test_accuracy = 0.0;
    double median_seconds = 0.0;  // of the training time
};

std::string percent(double x) { return book::format_number(100.0 * x, 4) + "%"; }

// A percentage with one more digit, for an accuracy compared with another or with a bar:
// 440/449 is 97.996%, which percent() rounds to 98%.
std::string precise_percent(double x) { return book::format_number(100.0 * x, 5) + "%"; }

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The number of weights and biases: the sum of n_l (n_{l-1} + 1).
double parameters(const std::vector<std::size_t>& sizes)
{
    double p = 0.0;
    for (std::size_t l = 1; l < sizes.size(); ++l) {
        p += static_cast<double>(sizes[l]) * static_cast<double>(sizes[l - 1] + 1);
    }
    return p;
}

// The work of training: parameters x epochs x training samples x runs, counting at least
// least_parameters and, for batches smaller than least_batch, each sample as
// least_batch / batch samples (a step's fixed cost).
double work_of(const Options& o, const std::vector<std::size_t>& sizes, double train_samples, double runs)
{
    const double per_sample = std::max(1.0, least_batch / static_cast<double>(o.batch));
    return std::max(parameters(sizes), least_parameters) * static_cast<double>(o.epochs) * train_samples *
           per_sample * runs;
}

// Refuses a network larger than --sizes allows (one from --load or a model file).
void require_within_limits(const std::vector<std::size_t>& sizes, const std::string& flag)
{
    try {
        book::parse_sizes(book::join_sizes(sizes, ","), sizes_limits);
    } catch (const book::BadInput&) {
        throw book::BadInput(flag + ": the model's sizes " + book::join_sizes(sizes, ",") + " exceed the limits (" +
                             std::to_string(sizes_limits.max_count) + " sizes, each at most " +
                             std::to_string(sizes_limits.max_size) + ")");
    }
}

// The loss to train the network of --load with: --loss if given, checked against the
// model's output layer, or else the one that goes with that layer (loss_after()).
Loss loss_for_loaded(const backprop::Network& net, const Options& o)
{
    const Activation output = net.sigma.back();
    if (!o.loss_given) {
        return loss_after(output);
    }
    try {
        backprop::require_compatible(o.loss, output);
    } catch (const std::invalid_argument& e) {
        throw book::BadInput("--loss: " + std::string(e.what()) + "; the model of --load has a " +
                             backprop::name_of(output) + " output layer");
    }
    return o.loss;
}

// A run that ends no better than chance, or with a higher loss than its first epoch
// had, has collapsed, like a diverged one: exit status 3 with one line saying so.
void require_learned(const std::vector<backprop::EpochReport>& reports, std::size_t classes, double alpha,
                     const std::string& which)
{
    const backprop::EpochReport& first = reports.front();
    const backprop::EpochReport& last = reports.back();
    const double chance = 1.0 / static_cast<double>(classes);
    std::string why;
    if (last.train_accuracy <= chance_factor * chance) {
        why = "the training accuracy after epoch " + std::to_string(last.epoch) + " is " +
              percent(last.train_accuracy) + ", no better than chance (at most " + book::format_number(chance_factor) +
              " x 1/" + std::to_string(classes) + " = " + percent(chance_factor * chance) + ")";
    } else if (last.loss > first.loss) {
        why = "the loss rose from " + book::format_number(first.loss) + " in epoch 1 to " +
              book::format_number(last.loss) + " in epoch " + std::to_string(last.epoch);
    } else {
        return;
    }
    throw book::ExitError(which + "training collapsed: " + why + "; try a smaller learning rate (--learning-rate is " +
                              book::format_number(alpha) + ")",
                          book::exit_failed_run);
}

// Trains \p net (a copy) on \p train with rate \p alpha, measuring \p test after each
// epoch; \p which names the run in a message.
Run train_on(const Options& o, const backprop::Dataset& train, const backprop::Dataset& test,
             const backprop::Network& net, Loss loss, double alpha, const std::string& which)
{
    Run r;
    r.test_size = test.size();
    r.model.feature_scale = digits_scale;
    r.model.net = net;
    backprop::TrainOptions t;
    t.epochs = o.epochs;
    t.batch = o.batch;
    t.alpha = alpha;
    t.loss = loss;
    t.seed = static_cast<std::uint64_t>(o.seed);
    try {
        r.reports = backprop::train(r.model.net, train, &test, t);
    } catch (const backprop::TrainingDiverged& e) {
        throw book::ExitError(which + e.what() + " (--learning-rate is " + book::format_number(alpha) + ")",
                              book::exit_failed_run);
    }
    require_learned(r.reports, train.classes, alpha, which);
    return r;
}

// Trains \p net (a copy) on one split of the data.
Run train_once(const Options& o, const backprop::Dataset& data, const backprop::Network& net,
               std::uint64_t split_seed, Loss loss, double alpha, const std::string& which)
{
    const backprop::Split split = backprop::train_test_split(data, test_fraction, split_seed);
    Run r = train_on(o, split.train, split.test, net, loss, alpha, which);
    r.split_seed = split_seed;
    return r;
}

// The runs a command line asks for, in whole training sets: one per split, or per loss,
// or per output and split, or per rate and split on 75% of the training digits.
double runs_of(const Options& o)
{
    const double splits = static_cast<double>(o.splits);
    if (o.compare_losses) {
        return static_cast<double>(backprop::all_losses().size());
    }
    if (o.compare_outputs) {
        return 2.0 * splits;
    }
    if (o.choose_rate) {
        return (1.0 - test_fraction) * static_cast<double>(o.rates.size()) * splits;
    }
    return splits;
}

// The median test accuracy and training time of \p runs.
void summarise(const std::vector<Run>& runs, double& median_test_accuracy, double& median_seconds)
{
    std::vector<double> test_accuracy, seconds;
    for (const Run& run : runs) {
        test_accuracy.push_back(run.reports.back().test_accuracy);
        seconds.push_back(run.reports.back().train_seconds);
    }
    median_test_accuracy = median(test_accuracy);
    median_seconds = median(seconds);
}

std::string split_name(const Options& o, std::uint64_t split_seed)
{
    return o.splits > 1 ? "split " + std::to_string(split_seed) + ": " : "";
}

// --choose-rate: each rate of --rates on every split, trained on 75% of the split's
// training digits and measured on the other 25%; the test digits are not used. The
// best median wins, the smaller rate on a tie; a rate with a failed run is out.
void choose_rate(const Options& o, const backprop::Dataset& data, Results& r)
{
    double best = -1.0;
    for (double alpha : o.rates) {
        RateTrial trial;
        trial.alpha = alpha;
        for (std::size_t s = 0; s < o.splits && trial.failed.empty(); ++s) {
            const std::uint64_t split_seed = o.split_seed + s;
            const backprop::Split split = backprop::train_test_split(data, test_fraction, split_seed);
            const backprop::Split held = backprop::train_test_split(split.train, test_fraction, split_seed);
            try {
                const Run run = train_on(o, held.train, held.test, r.net, r.loss, alpha, split_name(o, split_seed));
                trial.validation.push_back(run.reports.back().test_accuracy);
            } catch (const book::ExitError& e) {
                trial.failed = e.what();
            }
        }
        if (trial.failed.empty()) {
            trial.median = median(trial.validation);
            trial.lowest = *std::min_element(trial.validation.begin(), trial.validation.end());
            trial.highest = *std::max_element(trial.validation.begin(), trial.validation.end());
            if (trial.median > best || (trial.median == best && alpha < r.chosen_rate)) {
                best = trial.median;
                r.chosen_rate = alpha;
            }
        }
        r.trials.push_back(trial);
    }
    if (best < 0.0) {
        throw book::ExitError("every learning rate of --rates failed; the last: " + r.trials.back().failed,
                              book::exit_failed_run);
    }
}

// One side of --compare-outputs: a new network with this output layer and its loss,
// trained on every split.
OutputRow compare_output(const Options& o, const backprop::Dataset& data, Activation output)
{
    OutputRow row;
    row.output = output;
    row.loss = loss_after(output);
    const backprop::Network net =
        backprop::make_network(o.sizes, o.activation, output, static_cast<std::uint64_t>(o.seed));
    for (std::size_t s = 0; s < o.splits; ++s) {
        const std::uint64_t split_seed = o.split_seed + s;
        row.runs.push_back(train_once(o, data, net, split_seed, row.loss, o.learning_rate,
                                      "--output " + backprop::name_of(output) + ", " + split_name(o, split_seed)));
    }
    summarise(row.runs, row.median_test_accuracy, row.median_seconds);
    return row;
}

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    backprop::Dataset data = book::load_labelled_csv(o.data, "--data", digit_classes);
    backprop::scale_features(data, digits_scale);
    r.samples = data.size();
    const Activation output = o.compare_losses ? Activation::sigmoid : o.output;
    r.loss = o.loss;
    if (!o.load.empty()) {
        r.net = book::load_model(o.load).net;
        require_within_limits(r.net.sizes, "--load");
        r.loss = loss_for_loaded(r.net, o);
    } else {
        r.net = backprop::make_network(o.sizes, o.activation, output, static_cast<std::uint64_t>(o.seed));
    }
    const double work = work_of(o, r.net.sizes, (1.0 - test_fraction) * static_cast<double>(r.samples), runs_of(o));
    if (work > max_work) {
        throw book::BadInput("the run would take too long: its work (parameters x epochs x training samples x "
                             "runs, see --help) is " + book::format_number(work, 4) + ", at most " +
                             book::format_number(max_work) + "; give fewer " +
                             (o.choose_rate ? "--epochs, --splits or --rates" : "--epochs or --splits") +
                             ", a smaller network" +
                             (static_cast<double>(o.batch) < least_batch ? " or a --batch of 8 or more" : ""));
    }
    if (o.compare_losses) {
        for (Loss loss : backprop::all_losses()) {
            const Run run = train_once(o, data, r.net, o.split_seed, loss, o.learning_rate,
                                       "--loss " + backprop::name_of(loss) + ": ");
            r.losses.push_back({loss, run.reports.back()});
        }
    } else if (o.compare_outputs) {
        for (Activation compared : {Activation::sigmoid, Activation::softmax}) {
            r.outputs.push_back(compare_output(o, data, compared));
        }
    } else if (o.choose_rate) {
        choose_rate(o, data, r);
    } else {
        for (std::size_t s = 0; s < o.splits; ++s) {
            const std::uint64_t split_seed = o.split_seed + s;
            r.runs.push_back(
                train_once(o, data, r.net, split_seed, r.loss, o.learning_rate, split_name(o, split_seed)));
        }
        summarise(r.runs, r.median_test_accuracy, r.median_seconds);
    }
    return r;
}

std::string curves_path(const Options& o) { return book::join_path(o.figures, "ch08_training.curves.tsv"); }

// The loss and accuracy curves of the last run.
std::vector<book::FileText> figures(const Results& r)
{
    std::vector<std::vector<double>> rows;
    for (const backprop::EpochReport& e : r.runs.back().reports) {
        rows.push_back({static_cast<double>(e.epoch), e.loss, e.train_accuracy, e.test_accuracy});
    }
    return {{curves_path(r.options), book::tsv({"epoch", "loss", "train_accuracy", "test_accuracy"}, rows)}};
}

// The activation of the hidden layers of \p net (of its only layer if it has none).
Activation hidden_activation(const backprop::Network& net) { return net.sigma[1]; }

// The rule by which softmax is the default output: its median test accuracy over the
// splits of --compare-outputs is at least that of the ten sigmoids.
bool softmax_wins(const Results& r)
{
    return r.outputs.at(1).median_test_accuracy >= r.outputs.at(0).median_test_accuracy;
}

// The epochs of \p run, and its final test accuracy and training time.
nlohmann::json run_json(const Run& run)
{
    nlohmann::json epochs = nlohmann::json::array();
    for (const backprop::EpochReport& e : run.reports) {
        epochs.push_back({{"epoch", e.epoch},
                          {"loss", e.loss},
                          {"train_accuracy", e.train_accuracy},
                          {"test_accuracy", e.test_accuracy},
                          {"train_seconds", e.train_seconds}});
    }
    return {{"split_seed", run.split_seed},
            {"epochs", epochs},
            {"test_accuracy", run.reports.back().test_accuracy},
            {"train_seconds", run.reports.back().train_seconds}};
}

// --compare-outputs: each output layer with its loss and runs, added to \p j, which has
// the parameters; the output and loss of \p j are those of each row.
nlohmann::json outputs_json(const Results& r, nlohmann::json j)
{
    j.erase("output");
    j.erase("loss");
    nlohmann::json rows = nlohmann::json::array();
    for (const OutputRow& row : r.outputs) {
        nlohmann::json runs = nlohmann::json::array();
        for (const Run& run : row.runs) {
            runs.push_back(run_json(run));
        }
        rows.push_back({{"output", backprop::name_of(row.output)},
                        {"loss", backprop::name_of(row.loss)},
                        {"runs", runs},
                        {"median_test_accuracy", row.median_test_accuracy},
                        {"median_train_seconds", row.median_seconds}});
    }
    j["compare_outputs"] = rows;
    j["softmax_at_least_as_accurate"] = softmax_wins(r);
    return j;
}

// --choose-rate: each rate with its accuracy on the held-out digits of every split, and
// the rate chosen, added to \p j.
nlohmann::json rates_json(const Results& r, nlohmann::json j)
{
    j.erase("learning_rate");
    j["validation_fraction"] = test_fraction;
    nlohmann::json trials = nlohmann::json::array();
    for (const RateTrial& t : r.trials) {
        nlohmann::json trial = {{"learning_rate", t.alpha}, {"validation_accuracy", t.validation}};
        if (t.failed.empty()) {
            trial.update({{"median", t.median}, {"lowest", t.lowest}, {"highest", t.highest}});
        } else {
            trial["failed"] = t.failed;
        }
        trials.push_back(trial);
    }
    j["rates"] = trials;
    j["chosen_rate"] = r.chosen_rate;
    return j;
}

nlohmann::json json(const Results& r)
{
    const Options& o = r.options;
    nlohmann::json j = {{"program", "ch08_training"},
                        {"data", o.data},
                        {"samples", r.samples},
                        {"seed", o.seed},
                        {"split_seed", o.split_seed},
                        {"sizes", r.net.sizes},
                        {"activation", backprop::name_of(hidden_activation(r.net))},
                        {"output", backprop::name_of(r.net.sigma.back())},
                        {"loss", backprop::name_of(r.loss)},
                        {"epochs", o.epochs},
                        {"batch", o.batch},
                        {"learning_rate", o.learning_rate},
                        {"splits", o.splits},
                        {"blas_threads", book::blas_threads()}};
    if (o.compare_losses) {
        nlohmann::json rows = nlohmann::json::array();
        for (const LossRow& row : r.losses) {
            rows.push_back({{"loss", backprop::name_of(row.loss)},
                            {"final_loss", row.last.loss},
                            {"train_accuracy", row.last.train_accuracy},
                            {"test_accuracy", row.last.test_accuracy}});
        }
        j["compare_losses"] = rows;
        return j;
    }
    if (o.compare_outputs) {
        return outputs_json(r, j);
    }
    if (o.choose_rate) {
        return rates_json(r, j);
    }
    nlohmann::json runs = nlohmann::json::array();
    for (const Run& run : r.runs) {
        runs.push_back(run_json(run));
    }
    j["runs"] = runs;
    j["median_test_accuracy"] = r.median_test_accuracy;
    return j;
}

std::string losses_text(const Results& r)
{
    const Options& o = r.options;
    std::ostringstream out;
    out << "The same network, split (seed " << o.split_seed << ") and steps, trained with each loss\n"
        << "(" << backprop::name_of(hidden_activation(r.net)) << " hidden layers, sigmoid output, " << o.epochs
        << " epochs, batch " << o.batch << ", learning rate " << book::format_number(o.learning_rate) << "):\n\n"
        << "  loss            final loss   train accuracy   test accuracy\n";
    for (const LossRow& row : r.losses) {
        char line[128];
        std::snprintf(line, sizeof line, "  %-14s  %10.4f   %14s   %13s\n", backprop::name_of(row.loss).c_str(),
                      row.last.loss, percent(row.last.train_accuracy).c_str(), percent(row.last.test_accuracy).c_str());
        out << line;
    }
    return out.str();
}

// "64-64-10 network (tanh hidden layers", for the comparisons' texts.
std::string network_name(const backprop::Network& net)
{
    return book::join_sizes(net.sizes, "-") + " network (" +
           (net.sizes.size() > 2 ? backprop::name_of(hidden_activation(net)) + " hidden layers" : "no hidden layer");
}

// "441/449 98.218%": the digits of the test set a run got right, and their share.
std::string right_of(double accuracy, std::size_t test_size)
{
    const double right = std::round(accuracy * static_cast<double>(test_size));
    return book::format_number(right) + "/" + std::to_string(test_size) + "  " +
           book::pad_left(precise_percent(accuracy), 7);
}

std::string outputs_text(const Results& r)
{
    const Options& o = r.options;
    const OutputRow& sigmoids = r.outputs[0];
    const OutputRow& softmax = r.outputs[1];
    const std::size_t n = sigmoids.runs.front().test_size;
    std::ostringstream out;
    out << book::wrap("Ten sigmoid outputs (cross-entropy) against softmax (categorical-cross-entropy): the "
                      "same " + network_name(r.net) + ") and initial weights, " + std::to_string(o.epochs) +
                      " epochs of batches of " + std::to_string(o.batch) + ", learning rate " +
                      book::format_number(o.learning_rate) + ", on " + std::to_string(o.splits) + " split(s) (seeds " +
                      std::to_string(o.split_seed) + " to " + std::to_string(o.split_seed + o.splits - 1) +
                      "); the test digits each got right:", 80)
        << "\n\n  split      ten sigmoids     steps (s)      softmax        steps (s)\n";
    char line[160];
    for (std::size_t s = 0; s < o.splits; ++s) {
        const backprop::EpochReport& a = sigmoids.runs[s].reports.back();
        const backprop::EpochReport& b = softmax.runs[s].reports.back();
        std::snprintf(line, sizeof line, "  %5llu   %16s   %9.3f   %16s   %9.3f\n",
                      static_cast<unsigned long long>(sigmoids.runs[s].split_seed),
                      right_of(a.test_accuracy, n).c_str(), a.train_seconds, right_of(b.test_accuracy, n).c_str(),
                      b.train_seconds);
        out << line;
    }
    std::snprintf(line, sizeof line, "  median  %16s   %9.3f   %16s   %9.3f\n",
                  right_of(sigmoids.median_test_accuracy, n).c_str(), sigmoids.median_seconds,
                  right_of(softmax.median_test_accuracy, n).c_str(), softmax.median_seconds);
    const auto reaches = [](const OutputRow& row) { return row.median_test_accuracy >= 0.98 ? "yes" : "no"; };
    out << line << '\n'
        << book::wrap(std::string("Softmax is ") + (softmax_wins(r) ? "at least as accurate" : "less accurate") +
                          ": its median test accuracy is " + precise_percent(softmax.median_test_accuracy) +
                          ", the ten sigmoids' " + precise_percent(sigmoids.median_test_accuracy) +
                          ". A median of at least 98%: ten sigmoids " + reaches(sigmoids) + ", softmax " +
                          reaches(softmax) + ". Steps timed with " + std::to_string(book::blas_threads()) +
                          " BLAS thread(s).",
                      80)
        << '\n';
    return out.str();
}

std::string rates_text(const Results& r)
{
    const Options& o = r.options;
    std::ostringstream out;
    out << book::wrap("The learning rate of a " + network_name(r.net) + ", " + backprop::name_of(r.net.sigma.back()) +
                          " output, " + backprop::name_of(r.loss) + "), " + std::to_string(o.epochs) +
                          " epochs of batches of " + std::to_string(o.batch) +
                          ", chosen on the training digits alone: 25% of the training digits of each of " +
                          std::to_string(o.splits) +
                          " split(s) held out, the network trained on the rest. The accuracy on the held-out "
                          "digits:",
                      80)
        << "\n\n  learning rate     median     lowest    highest\n";
    for (const RateTrial& t : r.trials) {
        char line[128];
        if (t.failed.empty()) {
            std::snprintf(line, sizeof line, "  %13s  %9s  %9s  %9s\n", book::format_number(t.alpha).c_str(),
                          percent(t.median).c_str(), percent(t.lowest).c_str(), percent(t.highest).c_str());
        } else {
            std::snprintf(line, sizeof line, "  %13s  failed: training collapsed or diverged (see --json)\n",
                          book::format_number(t.alpha).c_str());
        }
        out << line;
    }
    out << "\nThe best median: learning rate " << book::format_number(r.chosen_rate)
        << " (the smaller rate on a tie).\n";
    return out.str();
}

std::string text(const Results& r)
{
    const Options& o = r.options;
    if (o.compare_losses) {
        return losses_text(r);
    }
    if (o.compare_outputs) {
        return outputs_text(r);
    }
    if (o.choose_rate) {
        return rates_text(r);
    }
    std::ostringstream out;
    for (const Run& run : r.runs) {
        if (o.quiet) {
            continue;
        }
        out << "Split " << run.split_seed << ": " << r.samples << " digits, 75% to train, 25% to test\n"
            << "  epoch      loss   train acc.   test acc.   steps (s)    all (s)\n";
        for (const backprop::EpochReport& e : run.reports) {
            char line[128];
            std::snprintf(line, sizeof line, "  %5zu  %8.5f   %10s  %10s   %9.3f  %9.3f\n", e.epoch, e.loss,
                          percent(e.train_accuracy).c_str(), percent(e.test_accuracy).c_str(), e.train_seconds,
                          e.elapsed_seconds);
            out << line;
        }
    }
    if (!o.figures.empty()) {
        out << "wrote " << curves_path(o) << '\n';
    }
    const bool many = o.splits > 1;
    // "steps" is the time of the training steps alone, the time the summary gives;
    // "all" adds the accuracy measured on both sets after every epoch.
    if (!o.quiet && !r.runs.empty()) {
        out << "(steps: the time of the training steps so far; all: with the accuracy measured\n"
               "after each epoch)\n";
    }
    out << (o.quiet ? "" : "\n") << "Test accuracy " << (many ? "(median of " + std::to_string(o.splits) + " splits) " : "")
        << precise_percent(r.median_test_accuracy) << ";\ntraining time (the steps alone" << (many ? ", median" : "") << ") "
        << book::format_number(r.median_seconds, 3) << " s with " << book::blas_threads() << " BLAS thread(s)\n";
    if (!o.save.empty()) {
        out << "Saved the parameters to " << o.save << '\n';
    }
    return out.str();
}

// What `predict` found: a class per row, and the pixels outside the training range.
struct Prediction {
    std::vector<std::size_t> classes;
    double feature_scale = 1.0;  // the training range is 0..feature_scale
    std::size_t outside = 0;     // pixels outside it
    std::size_t first_line = 0;  // the line of the first of them
    double first_value = 0.0;
};

// Refuses a class column (the last of \p table) whose entries are not whole numbers from
// 0 to classes - 1, naming the line, as the training data's classes are checked.
void check_classes(const backprop::Matrix& table, std::size_t classes, const std::string& path)
{
    const std::size_t column = table.shape(1) - 1;
    for (std::size_t i = 0; i < table.shape(0); ++i) {
        const double c = table(i, column);
        if (c != std::floor(c) || c < 0.0 || c >= static_cast<double>(classes)) {
            throw book::BadInput(book::printable(path, 200) + ":" + std::to_string(i + 1) + ":" +
                                 std::to_string(column + 1) + ": class " + book::format_number(c) +
                                 " is not a whole number from 0 to " + std::to_string(classes - 1));
        }
    }
}

// The `predict` subcommand: the class the model of --load sees in each row of --data,
// from a forward pass over predict_columns rows at a time.
Prediction predict(const Options& o)
{
    const book::Model model = book::load_model(o.predict_model);
    require_within_limits(model.net.sizes, "--load");
    const backprop::Matrix table = book::load_csv(o.predict_data, "--data");
    const std::size_t n0 = model.net.sizes.front(), rows = table.shape(0), cols = table.shape(1);
    if (cols != n0 && cols != n0 + 1) {
        throw book::BadInput(o.predict_data + ": rows have " + std::to_string(cols) + " fields; the model takes " +
                             std::to_string(n0) + " features (and optionally the class last)");
    }
    if (cols == n0 + 1) {
        check_classes(table, model.net.sizes.back(), o.predict_data);
    }
    const double work = parameters(model.net.sizes) * static_cast<double>(rows);
    if (work > max_work) {
        throw book::BadInput("--data: " + std::to_string(rows) + " rows through a model of " +
                             book::format_number(parameters(model.net.sizes), 3) + " parameters is too much work: " +
                             book::format_number(work, 4) + " (parameters x rows), at most " +
                             book::format_number(max_work) + "; give fewer rows");
    }
    Prediction p;
    p.feature_scale = model.feature_scale;
    for (std::size_t first = 0; first < rows; first += predict_columns) {
        const std::size_t m = std::min(predict_columns, rows - first);
        backprop::Matrix X = xt::zeros<double>({n0, m});
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t k = 0; k < n0; ++k) {
                const double pixel = table(first + i, k);
                if ((pixel < 0.0 || pixel > model.feature_scale) && p.outside++ == 0) {
                    p.first_line = first + i + 1;
                    p.first_value = pixel;
                }
                X(k, i) = pixel / model.feature_scale;
            }
        }
        const std::vector<std::size_t> c = backprop::predict_classes(backprop::forward(model.net, X).output());
        p.classes.insert(p.classes.end(), c.begin(), c.end());
    }
    return p;
}

std::string predictions_text(const Prediction& p)
{
    std::ostringstream out;
    for (std::size_t c : p.classes) {
        out << c << '\n';
    }
    return out.str();
}

// One line for standard error when some pixels lie outside the training range.
std::string range_warning(const Prediction& p, const std::string& path)
{
    if (p.outside == 0) {
        return "";
    }
    return "ch08_training: warning: " + std::to_string(p.outside) + " value(s) in " + book::printable(path, 200) +
           " lie outside the training range 0.." + book::format_number(p.feature_scale) + ", the first on line " +
           std::to_string(p.first_line) + " (" + book::format_number(p.first_value) +
           "); the classes of those rows are guesses\n";
}

// A check that refuses softmax for --activation, before the names of the hidden layers'
// activations are checked: only the output layer may have it (ch09_graphs).
CLI::Validator only_in_output_layer()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return text == backprop::name_of(Activation::softmax)
                       ? "softmax couples the outputs of a layer and is allowed only in the output layer: give "
                         "--output softmax"
                       : "";
        },
        "");
}

// Right after parsing: refuses \p flag when \p mode was given too, saying \p why.
void refuse_with(book::Program& program, const std::string& flag, const std::string& mode, const std::string& why)
{
    CLI::App& app = program.app;
    program.after_parsing([&app, flag, mode, why] {
        if (app.get_option(flag)->count() > 0 && app.get_option(mode)->count() > 0) {
            throw book::BadInput(flag + ": " + why);
        }
    });
}

// Declares the `predict` subcommand, and refuses every other flag with it.
CLI::App* declare_predict(book::Program& program, Options& o)
{
    CLI::App* predict_cmd =
        program.app.add_subcommand("predict", "Print the predicted class of each row of a CSV file");
    program.after_parsing([&program, predict_cmd] {
        if (!*predict_cmd) {
            return;
        }
        for (const CLI::Option* option : program.app.get_options()) {
            if (option->count() > 0) {
                throw book::BadInput(option->get_name() + ": predict takes no flag before it; give only --load and "
                                     "--data, after the word predict");
            }
        }
    });
    program.input_file("--load", o.predict_model, book::largest_model_file, "The model (JSON) written by --save",
                       predict_cmd)
        ->required();
    program.input_file("--data", o.predict_data, book::largest_csv_file,
                       "CSV rows of 64 pixels, 0..16 as in training (a warning names values outside it); a 65th "
                       "field, the class, must be a whole number from 0 to 9 and is otherwise ignored",
                       predict_cmd)
        ->required();
    return predict_cmd;
}

// Declares every flag into \p o, and the rules between them; returns the `predict`
// subcommand.
CLI::App* declare_flags(book::Program& program, Options& o)
{
    CLI::App* predict_cmd = declare_predict(program, o);
    CLI::App& app = program.app;
    book::add_sizes(app, o.sizes, sizes_limits,
                    "Layer sizes n_0,...,n_L: 2 to 10 sizes, each from 1 to 1024; n_0 = 64 features, n_L = 10 "
                    "classes");
    std::vector<Activation> outputs = backprop::all_activations();
    outputs.push_back(Activation::softmax);
    std::vector<Loss> losses = backprop::all_losses();
    losses.push_back(Loss::categorical_cross_entropy);
    // A transform runs before those added earlier: softmax gets its own message.
    book::add_activation(app, o.activation, "Activation of the hidden layers")->transform(only_in_output_layer());
    book::add_activation(app, o.output,
                         "Activation of the output layer; softmax (ten outputs that sum to 1) goes with the "
                         "categorical-cross-entropy loss",
                         "--output", outputs);
    book::add_loss(app, o.loss,
                   "The loss. Given alone, it brings its output layer: softmax for categorical-cross-entropy, "
                   "sigmoid for the others; and --output given alone brings its loss: categorical-cross-entropy "
                   "after softmax, cross-entropy after any other (which needs a sigmoid output)",
                   losses);
    program.after_parsing([&o, &app] {
        const bool output_given = app.get_option("--output")->count() > 0;
        o.loss_given = app.get_option("--loss")->count() > 0;
        if (output_given && !o.loss_given) {
            o.loss = loss_after(o.output);
        } else if (o.loss_given && !output_given) {
            o.output = output_before(o.loss);
        }
    });
    book::require_compatible_after_parsing(program, o.loss, o.output, "--output");
    program.whole("--epochs", o.epochs, 1, max_epochs, "Passes over the training set, 1 to 1000");
    program.whole("--batch", o.batch, 1, max_batch, "Samples per step, 1 to 4096");
    program.real("--learning-rate", o.learning_rate, 1e-9, 1000.0,
                 "The learning rate alpha, from 1e-9 to 1000 (the default, 0.5, is the rate --choose-rate picks "
                 "with a sigmoid and with a softmax output)");
    program.whole("--split-seed", o.split_seed, 0, 1000000000,
                  "Seed of the 75/25 train/test split (--seed draws the initial weights and the order of the "
                  "samples)");
    program.whole("--splits", o.splits, 1, max_splits,
                  "Train on this many splits (seeds split-seed, split-seed+1, ...) and report the median test "
                  "accuracy, 1 to 25");
    program.input_file("--data", o.data, largest_training_file,
                       "The data: a CSV file of at most 4 MiB, 64 pixels (0..16) and the class per row");
    program.output_file("--save", o.save, "Write the trained parameters to this JSON file");
    program.input_file("--load", o.load, book::largest_model_file,
                       "Start from the parameters in this JSON file (with its sizes and activations) instead of a "
                       "random network");
    program.output_directory("--figures", o.figures,
                             "Write the loss and accuracy curves to DIR/ch08_training.curves.tsv");
    app.add_flag("--quiet", o.quiet, "Print only the summary, not one line per epoch");
    app.add_flag("--compare-losses", o.compare_losses,
                 "Train once with each loss (l1, quadratic, cross-entropy; sigmoid output) on the same split, "
                 "and print a table");
    app.add_flag("--compare-outputs", o.compare_outputs,
                 "Train ten sigmoid outputs (cross-entropy) and softmax (categorical-cross-entropy) from the same "
                 "initial weights on each split of --splits, and print their test accuracy and training time");
    app.add_flag("--choose-rate", o.choose_rate,
                 "Try each rate of --rates on each split of --splits, training on 75% of the training digits and "
                 "measuring the other 25% (never the test digits); print each rate's median accuracy and the best");
    book::add_numbers(app, "--rates", o.rates, 1e-9, 1000.0,
                      "The learning rates --choose-rate tries, at most 10, each from 1e-9 to 1000")
        ->default_str("0.25,0.5,1");
    const std::string compare = "--compare-losses";
    refuse_with(program, "--loss", compare, "--compare-losses trains with every loss in turn");
    refuse_with(program, "--output", compare, "--compare-losses uses a sigmoid output, which every loss accepts");
    refuse_with(program, "--splits", compare, "--compare-losses trains on the one split of --split-seed");
    refuse_with(program, "--save", compare, "--compare-losses trains one network per loss and saves none");
    refuse_with(program, "--figures", compare, "--compare-losses prints a table and draws no curves");
    refuse_with(program, "--quiet", compare, "--compare-losses prints only its table");
    const std::string outputs_mode = "--compare-outputs";
    refuse_with(program, "--compare-losses", outputs_mode, "give one comparison at a time");
    refuse_with(program, "--output", outputs_mode, "--compare-outputs trains both sigmoid and softmax outputs");
    refuse_with(program, "--loss", outputs_mode, "--compare-outputs trains each output with the loss that goes with it");
    const std::string rates_mode = "--choose-rate";
    refuse_with(program, "--learning-rate", rates_mode, "--choose-rate tries every rate of --rates");
    for (const char* mode : {"--compare-losses", "--compare-outputs"}) {
        refuse_with(program, mode, rates_mode, "give --choose-rate alone, then compare with the rate it chose");
    }
    for (const std::string& mode : {outputs_mode, rates_mode}) {
        refuse_with(program, "--load", mode, mode + " trains new networks of --sizes");
        refuse_with(program, "--save", mode, mode + " trains many networks and saves none");
        refuse_with(program, "--figures", mode, mode + " prints a table and draws no curves");
        refuse_with(program, "--quiet", mode, mode + " prints only its table");
    }
    refuse_with(program, "--quiet", "--json", "--json prints one document with every epoch in any case");
    for (const char* flag : {"--sizes", "--activation", "--output"}) {
        refuse_with(program, flag, "--load", "the network of --load keeps the sizes and activations saved with it");
    }
    program.after_parsing([&o, &app] {
        if (app.get_option("--rates")->count() > 0 && !o.choose_rate) {
            throw book::BadInput("--rates: only --choose-rate tries several learning rates; give --learning-rate");
        }
        if (o.rates.size() > max_rates) {
            throw book::BadInput("--rates: give at most " + std::to_string(max_rates) + " rates, got " +
                                 std::to_string(o.rates.size()));
        }
        if (o.sizes.size() == 2 && app.get_option("--activation")->count() > 0) {
            throw book::BadInput("--activation: --sizes " + book::join_sizes(o.sizes, ",") +
                                 " has no hidden layer (--output sets the activation of its one layer)");
        }
        for (const char* flag : {"--save", "--figures"}) {
            if (o.splits > 1 && app.get_option(flag)->count() > 0) {
                throw book::BadInput(std::string(flag) + ": give one split (no --splits) so that one " +
                                     (flag == std::string("--save") ? "model is saved" : "run is drawn"));
            }
        }
    });
    return predict_cmd;
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program(
        "ch08_training",
        "Chapter 8: train a network on the handwritten digits (8x8 images, 10 classes) by mini-batch gradient "
        "descent, and report the loss and accuracy per epoch. 'ch08_training predict --load M --data F' prints "
        "the class of each row of F. A run whose loss diverges, or that collapses (its final training accuracy "
        "is no better than chance, at most 1.5 x 1/10 = 15%, or its last epoch's loss is above its first's), "
        "stops with one line and exit status 3: try a smaller --learning-rate. Limits, so that any run ends "
        "within about a minute: those of each flag below, and the work of a run, max(parameters, 5000) x epochs "
        "x training samples x runs (the splits; 3 with --compare-losses; 2 x splits with --compare-outputs; "
        "0.75 x rates x splits with --choose-rate), times 8/batch for a batch below 8, "
        "at most 4e9 (the default run's is 2.6e8); predict's parameters x rows, at most 4e9.");
    Options o;
    const CLI::App* predict_cmd = declare_flags(program, o);

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        if (*predict_cmd) {
            const Prediction p = predict(o);
            std::cerr << range_warning(p, o.predict_data);
            out << predictions_text(p);
            return 0;
        }
        const Results r = compute(o);
        if (!o.figures.empty()) {
            book::write_files(figures(r));
        }
        if (!o.save.empty()) {
            book::save_model(r.runs.back().model, o.save);
        }
        out << (program.common.json ? json(r).dump(2) + "\n" : text(r));
        return 0;
    });
}

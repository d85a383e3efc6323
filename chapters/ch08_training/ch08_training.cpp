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

// The flags, as typed values.
struct Options {
    std::int64_t seed = 1;  // from --seed: the initial weights and the order of the samples
    std::vector<std::size_t> sizes{64, 64, 10};
    Activation activation = Activation::tanh;
    Activation output = Activation::sigmoid;
    Loss loss = Loss::cross_entropy;
    std::size_t epochs = 40;
    std::size_t batch = 16;
    double learning_rate = 0.5;
    std::uint64_t split_seed = 1;
    std::size_t splits = 1;
    std::string data = BOOK_DATA_DIR "/digits.csv";
    std::string save, load, figures;
    bool quiet = false;
    bool compare_losses = false;
    std::string predict_model, predict_data;  // the `predict` subcommand's --load and --data
};

// One network trained on one split.
struct Run {
    std::uint64_t split_seed = 0;
    std::vector<backprop::EpochReport> reports;  // one per epoch
    book::Model model;                           // the parameters after the last epoch
};

// One row of --compare-losses: a loss and the last epoch trained with it.
struct LossRow {
    Loss loss = Loss::cross_entropy;
    backprop::EpochReport last;
};

// Everything a training run shows.
struct Results {
    Options options;
    std::size_t samples = 0;      // in the data file
    backprop::Network net;        // the network before training (random, or from --load)
    std::vector<Run> runs;        // one per split; empty with --compare-losses
    std::vector<LossRow> losses;  // --compare-losses: one per loss
    double median_test_accuracy = 0.0;
    double median_seconds = 0.0;  // of the training time
};

std::string percent(double x) { return book::format_number(100.0 * x, 4) + "%"; }

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
double work_of(const Options& o, const std::vector<std::size_t>& sizes, double train_samples, std::size_t runs)
{
    const double per_sample = std::max(1.0, least_batch / static_cast<double>(o.batch));
    return std::max(parameters(sizes), least_parameters) * static_cast<double>(o.epochs) * train_samples *
           per_sample * static_cast<double>(runs);
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

// Trains \p net (a copy) on one split of the data.
Run train_once(const Options& o, const backprop::Dataset& data, const backprop::Network& net,
               std::uint64_t split_seed, Loss loss, const std::string& which)
{
    const backprop::Split split = backprop::train_test_split(data, test_fraction, split_seed);
    Run r;
    r.split_seed = split_seed;
    r.model.feature_scale = digits_scale;
    r.model.net = net;
    backprop::TrainOptions t;
    t.epochs = o.epochs;
    t.batch = o.batch;
    t.alpha = o.learning_rate;
    t.loss = loss;
    t.seed = static_cast<std::uint64_t>(o.seed);
    try {
        r.reports = backprop::train(r.model.net, split.train, &split.test, t);
    } catch (const backprop::TrainingDiverged& e) {
        throw book::ExitError(std::string(e.what()) + " (--learning-rate is " + book::format_number(o.learning_rate) +
                                  ")",
                              book::exit_failed_run);
    }
    require_learned(r.reports, data.classes, o.learning_rate, which);
    return r;
}

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    backprop::Dataset data = book::load_labelled_csv(o.data, "--data", digit_classes);
    backprop::scale_features(data, digits_scale);
    r.samples = data.size();
    const Activation output = o.compare_losses ? Activation::sigmoid : o.output;
    if (!o.load.empty()) {
        r.net = book::load_model(o.load).net;
        require_within_limits(r.net.sizes, "--load");
    } else {
        r.net = backprop::make_network(o.sizes, o.activation, output, static_cast<std::uint64_t>(o.seed));
    }
    const std::size_t runs = o.compare_losses ? backprop::all_losses().size() : o.splits;
    const double work = work_of(o, r.net.sizes, (1.0 - test_fraction) * static_cast<double>(r.samples), runs);
    if (work > max_work) {
        throw book::BadInput("the run would take too long: its work (parameters x epochs x training samples x "
                             "runs, see --help) is " + book::format_number(work, 4) + ", at most " +
                             book::format_number(max_work) + "; give fewer --epochs or --splits, a smaller network" +
                             (static_cast<double>(o.batch) < least_batch ? " or a --batch of 8 or more" : ""));
    }
    if (o.compare_losses) {
        for (Loss loss : backprop::all_losses()) {
            const Run run = train_once(o, data, r.net, o.split_seed, loss, "--loss " + backprop::name_of(loss) + ": ");
            r.losses.push_back({loss, run.reports.back()});
        }
        return r;
    }
    std::vector<double> test_accuracy, seconds;
    for (std::size_t s = 0; s < o.splits; ++s) {
        const std::uint64_t split_seed = o.split_seed + s;
        r.runs.push_back(train_once(o, data, r.net, split_seed, o.loss,
                                    o.splits > 1 ? "split " + std::to_string(split_seed) + ": " : ""));
        test_accuracy.push_back(r.runs.back().reports.back().test_accuracy);
        seconds.push_back(r.runs.back().reports.back().train_seconds);
    }
    r.median_test_accuracy = median(test_accuracy);
    r.median_seconds = median(seconds);
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
                        {"loss", backprop::name_of(o.loss)},
                        {"epochs", o.epochs},
                        {"batch", o.batch},
                        {"learning_rate", o.learning_rate},
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
    nlohmann::json runs = nlohmann::json::array();
    for (const Run& run : r.runs) {
        nlohmann::json epochs = nlohmann::json::array();
        for (const backprop::EpochReport& e : run.reports) {
            epochs.push_back({{"epoch", e.epoch},
                              {"loss", e.loss},
                              {"train_accuracy", e.train_accuracy},
                              {"test_accuracy", e.test_accuracy},
                              {"train_seconds", e.train_seconds}});
        }
        runs.push_back({{"split_seed", run.split_seed},
                        {"epochs", epochs},
                        {"test_accuracy", run.reports.back().test_accuracy},
                        {"train_seconds", run.reports.back().train_seconds}});
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

std::string text(const Results& r)
{
    const Options& o = r.options;
    if (o.compare_losses) {
        return losses_text(r);
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
        << percent(r.median_test_accuracy) << ";\ntraining time (the steps alone" << (many ? ", median" : "") << ") "
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
    book::add_activation(app, o.activation, "Activation of the hidden layers");
    book::add_activation(app, o.output, "Activation of the output layer", "--output");
    book::add_loss(app, o.loss, "The loss (cross-entropy needs a sigmoid output)");
    book::require_compatible_after_parsing(program, o.loss, o.output, "--output");
    program.whole("--epochs", o.epochs, 1, max_epochs, "Passes over the training set, 1 to 1000");
    program.whole("--batch", o.batch, 1, max_batch, "Samples per step, 1 to 4096");
    program.real("--learning-rate", o.learning_rate, 1e-9, 1000.0, "The learning rate alpha, from 1e-9 to 1000");
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
    const std::string compare = "--compare-losses";
    refuse_with(program, "--loss", compare, "--compare-losses trains with every loss in turn");
    refuse_with(program, "--output", compare, "--compare-losses uses a sigmoid output, which every loss accepts");
    refuse_with(program, "--splits", compare, "--compare-losses trains on the one split of --split-seed");
    refuse_with(program, "--save", compare, "--compare-losses trains one network per loss and saves none");
    refuse_with(program, "--figures", compare, "--compare-losses prints a table and draws no curves");
    refuse_with(program, "--quiet", compare, "--compare-losses prints only its table");
    refuse_with(program, "--quiet", "--json", "--json prints one document with every epoch in any case");
    for (const char* flag : {"--sizes", "--activation", "--output"}) {
        refuse_with(program, flag, "--load", "the network of --load keeps the sizes and activations saved with it");
    }
    program.after_parsing([&o, &app] {
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
        "x training samples x runs (the splits, or 3 with --compare-losses), times 8/batch for a batch below 8, "
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

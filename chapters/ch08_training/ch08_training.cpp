// Chapter 8: training the library's network on the handwritten digits, by mini-batch
// gradient descent built only from forward_into, backward_into and sgd_step.
//
// compute() trains and returns every epoch's report; text(), json() and figures() show
// them; predict() is the `predict` subcommand; main() declares the flags and chooses.
#include <algorithm>
#include <cstdint>
#include <cstdio>
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

using backprop::Activation;
using backprop::Loss;

#ifndef BOOK_DATA_DIR
#define BOOK_DATA_DIR "data"
#endif

namespace {

constexpr double digits_scale = 16.0;  // the digits' pixels are 0..16
constexpr std::size_t digit_classes = 10;
constexpr double test_fraction = 0.25;

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
    std::vector<Run> runs;        // one per split; empty with --compare-losses
    std::vector<LossRow> losses;  // --compare-losses: one per loss
    double median_test_accuracy = 0.0;
    double median_seconds = 0.0;  // of the training time
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Trains the network of the flags (or the one --load gives) on one split of the data.
Run train_once(const Options& o, const backprop::Dataset& data, std::uint64_t split_seed, Loss loss,
               Activation output)
{
    const backprop::Split split = backprop::train_test_split(data, test_fraction, split_seed);
    Run r;
    r.split_seed = split_seed;
    r.model.feature_scale = digits_scale;
    if (!o.load.empty()) {
        r.model = book::load_model(o.load);
    } else {
        r.model.net = backprop::make_network(o.sizes, o.activation, output, static_cast<std::uint64_t>(o.seed));
    }
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
    return r;
}

Results compute(const Options& o)
{
    Results r;
    r.options = o;
    backprop::Dataset data = book::load_labelled_csv(o.data, "--data", digit_classes);
    backprop::scale_features(data, digits_scale);
    r.samples = data.size();
    if (o.compare_losses) {
        for (Loss loss : backprop::all_losses()) {
            const Run run = train_once(o, data, o.split_seed, loss, Activation::sigmoid);
            r.losses.push_back({loss, run.reports.back()});
        }
        return r;
    }
    std::vector<double> test_accuracy, seconds;
    for (std::size_t s = 0; s < o.splits; ++s) {
        r.runs.push_back(train_once(o, data, o.split_seed + s, o.loss, o.output));
        test_accuracy.push_back(r.runs.back().reports.back().test_accuracy);
        seconds.push_back(r.runs.back().reports.back().train_seconds);
    }
    r.median_test_accuracy = median(test_accuracy);
    r.median_seconds = median(seconds);
    return r;
}

std::string percent(double x) { return book::format_number(100.0 * x, 4) + "%"; }

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

nlohmann::json json(const Results& r)
{
    const Options& o = r.options;
    nlohmann::json j = {{"program", "ch08_training"},
                        {"data", o.data},
                        {"samples", r.samples},
                        {"seed", o.seed},
                        {"split_seed", o.split_seed},
                        {"sizes", o.sizes},
                        {"activation", backprop::name_of(o.activation)},
                        {"output", backprop::name_of(o.output)},
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
        << "(" << backprop::name_of(o.activation) << " hidden layers, sigmoid output, " << o.epochs << " epochs, batch "
        << o.batch << ", learning rate " << book::format_number(o.learning_rate) << "):\n\n"
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
            << "  epoch      loss   train acc.   test acc.   time (s)\n";
        for (const backprop::EpochReport& e : run.reports) {
            char line[128];
            std::snprintf(line, sizeof line, "  %5zu  %8.5f   %10s  %10s   %8.3f\n", e.epoch, e.loss,
                          percent(e.train_accuracy).c_str(), percent(e.test_accuracy).c_str(), e.elapsed_seconds);
            out << line;
        }
    }
    if (!o.figures.empty()) {
        out << "wrote " << curves_path(o) << '\n';
    }
    const bool many = o.splits > 1;
    out << (o.quiet ? "" : "\n") << "Test accuracy "
        << (many ? "(median of " + std::to_string(o.splits) + " splits) " : "") << percent(r.median_test_accuracy)
        << "; training time " << book::format_number(r.median_seconds, 3) << " s" << (many ? " (median)" : "")
        << " with " << book::blas_threads() << " BLAS thread(s)\n";
    if (!o.save.empty()) {
        out << "Saved the parameters to " << o.save << '\n';
    }
    return out.str();
}

// The `predict` subcommand: the class the model of --load sees in each row of --data.
std::vector<std::size_t> predict(const Options& o)
{
    const book::Model model = book::load_model(o.predict_model);
    const backprop::Matrix table = book::load_csv(o.predict_data, "--data");
    const std::size_t n0 = model.net.sizes.front();
    const std::size_t cols = table.shape(1);
    if (cols != n0 && cols != n0 + 1) {
        throw book::BadInput(o.predict_data + ": rows have " + std::to_string(cols) + " fields; the model takes " +
                             std::to_string(n0) + " features (and optionally the class last)");
    }
    backprop::Matrix X = xt::zeros<double>({n0, table.shape(0)});
    for (std::size_t i = 0; i < table.shape(0); ++i) {
        for (std::size_t k = 0; k < n0; ++k) {
            X(k, i) = table(i, k) / model.feature_scale;
        }
    }
    return backprop::predict_classes(backprop::forward(model.net, X).output());
}

std::string predictions_text(const std::vector<std::size_t>& classes)
{
    std::ostringstream out;
    for (std::size_t c : classes) {
        out << c << '\n';
    }
    return out.str();
}

// Declares every flag into \p o; returns the `predict` subcommand.
CLI::App* declare_flags(book::Program& program, Options& o)
{
    CLI::App& app = program.app;
    book::add_sizes(app, o.sizes, {2, 10, 4096}, "Layer sizes n_0,...,n_L; n_0 = 64 features, n_L = 10 classes");
    book::add_activation(app, o.activation, "Activation of the hidden layers");
    book::add_activation(app, o.output, "Activation of the output layer", "--output");
    book::add_loss(app, o.loss, "The loss (cross-entropy needs a sigmoid output)");
    book::require_compatible_after_parsing(program, o.loss, o.output, "--output");
    program.whole("--epochs", o.epochs, 1, 10000, "Passes over the training set, 1 to 10000");
    program.whole("--batch", o.batch, 1, 100000, "Samples per step, 1 to 100000");
    program.real("--learning-rate", o.learning_rate, 1e-9, 1000.0, "The learning rate alpha, from 1e-9 to 1000");
    program.whole("--split-seed", o.split_seed, 0, 1000000000,
                  "Seed of the 75/25 train/test split (--seed draws the initial weights and the order of the "
                  "samples)");
    program.whole("--splits", o.splits, 1, 25,
                  "Train on this many splits (seeds split-seed, split-seed+1, ...) and report the median test "
                  "accuracy, 1 to 25");
    app.add_option("--data", o.data, "The data: a CSV file of 64 pixels (0..16) and the class per row")
        ->capture_default_str();
    app.add_option("--save", o.save, "Write the trained parameters to this JSON file");
    app.add_option("--load", o.load, "Start from the parameters in this JSON file instead of a random network");
    app.add_option("--figures", o.figures, "Write the loss and accuracy curves to DIR/ch08_training.curves.tsv");
    app.add_flag("--quiet", o.quiet, "Print only the summary, not one line per epoch");
    app.add_flag("--compare-losses", o.compare_losses,
                 "Train once with each loss (l1, quadratic, cross-entropy; sigmoid output) on the same split, "
                 "and print a table");
    program.after_parsing([&o] {
        if (!o.save.empty() && o.splits > 1) {
            throw book::BadInput("--save: give one split (no --splits) so that one model is saved");
        }
    });
    CLI::App* predict_cmd = app.add_subcommand("predict", "Print the predicted class of each row of a CSV file");
    predict_cmd->add_option("--load", o.predict_model, "The model (JSON) written by --save")->required();
    predict_cmd->add_option("--data", o.predict_data, "CSV rows of 64 features (a 65th field, the class, is ignored)")
        ->required();
    return predict_cmd;
}

}  // namespace

int main(int argc, char** argv)
{
    book::Program program("ch08_training",
                          "Chapter 8: train a network on the handwritten digits (8x8 images, 10 classes) by "
                          "mini-batch gradient descent, and report the loss and accuracy per epoch. "
                          "'ch08_training predict --load M --data F' prints the class of each row of F.");
    Options o;
    const CLI::App* predict_cmd = declare_flags(program, o);

    return program.run(argc, argv, [&](std::ostream& out) {
        o.seed = program.common.seed;
        if (*predict_cmd) {
            out << predictions_text(predict(o));
            return 0;
        }
        const Results r = compute(o);
        if (!o.figures.empty() && !o.compare_losses) {
            book::write_files(figures(r));
        }
        if (!o.save.empty() && !o.compare_losses) {
            book::save_model(r.runs.back().model, o.save);
        }
        out << (program.common.json ? json(r).dump(2) + "\n" : text(r));
        return 0;
    });
}

// Chapter 8: training the library's network on the handwritten digits, by mini-batch
// gradient descent built only from forward_into, backward_into and sgd_step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "backprop/data.hpp"
#include "backprop/train.hpp"
#include "book/cli.hpp"
#include "book/dataset.hpp"
#include "book/flags.hpp"
#include "book/files.hpp"
#include "book/json.hpp"
#include "book/model.hpp"
#include "book/print.hpp"

using backprop::Activation;
using backprop::Loss;

#ifndef BOOK_DATA_DIR
#define BOOK_DATA_DIR "data"
#endif

namespace {

constexpr int exit_diverged = 3;
constexpr double digits_scale = 16.0;  // the digits' pixels are 0..16

struct Options {
    std::string sizes = "64,64,10";
    std::string activation = "tanh";
    std::string output = "sigmoid";
    std::string loss = "cross-entropy";
    std::int64_t epochs = 40;
    std::int64_t batch = 16;
    double learning_rate = 0.5;
    std::int64_t split_seed = 1;
    std::uint64_t seed = 1;  // from --seed: the initial weights and the order of the samples
    std::int64_t splits = 1;
    std::string data = BOOK_DATA_DIR "/digits.csv";
    std::string save, load, figures;
    bool quiet = false;
    bool compare_losses = false;
};

std::vector<std::size_t> parse_sizes(const std::string& text)
{
    return book::parse_sizes(text, 2, 10, 4096);
}

std::string percent(double x) { return book::format_number(100.0 * x, 4) + "%"; }

struct RunResult {
    std::vector<backprop::EpochReport> reports;
    book::Model model;
};

RunResult train_once(const Options& o, const backprop::Dataset& data, std::uint64_t split_seed, Loss loss,
                     const std::function<void(const backprop::EpochReport&)>& on_epoch)
{
    const std::vector<std::size_t> sizes = parse_sizes(o.sizes);
    const backprop::Split split = backprop::train_test_split(data, 0.25, split_seed);
    RunResult r;
    r.model.feature_scale = digits_scale;
    if (!o.load.empty()) {
        r.model = book::load_model(o.load);
    } else {
        r.model.net = backprop::make_network(sizes, book::activation_flag(o.activation),
                                             book::activation_flag(o.output, "--output"), o.seed);
    }
    backprop::TrainOptions t;
    t.epochs = static_cast<std::size_t>(o.epochs);
    t.batch = static_cast<std::size_t>(o.batch);
    t.alpha = o.learning_rate;
    t.loss = loss;
    t.seed = o.seed;
    try {
        r.reports = backprop::train(r.model.net, split.train, &split.test, t, on_epoch);
    } catch (const backprop::TrainingDiverged& e) {
        throw book::ExitError(std::string(e.what()) + " (--learning-rate is " + book::format_number(o.learning_rate) + ")",
                              exit_diverged);
    }
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int predict(const std::string& model_path, const std::string& data_path, std::ostream& out)
{
    const book::Model model = book::load_model(model_path);
    const backprop::Matrix table = book::load_csv(data_path, "--data");
    const std::size_t n0 = model.net.sizes.front();
    const std::size_t cols = table.shape(1);
    if (cols != n0 && cols != n0 + 1) {
        throw book::BadInput(data_path + ": rows have " + std::to_string(cols) + " fields; the model takes " +
                             std::to_string(n0) + " features (and optionally the class last)");
    }
    backprop::Matrix X = xt::zeros<double>({n0, table.shape(0)});
    for (std::size_t i = 0; i < table.shape(0); ++i) {
        for (std::size_t k = 0; k < n0; ++k) {
            X(k, i) = table(i, k) / model.feature_scale;
        }
    }
    const auto classes = backprop::predict_classes(backprop::forward(model.net, X).output());
    for (std::size_t c : classes) {
        out << c << '\n';
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Chapter 8: train a network on the handwritten digits (8x8 images, 10 classes) by mini-batch "
                 "gradient descent, and report the loss and accuracy per epoch. "
                 "'ch08_training predict --load M --data F' prints the class of each row of F.",
                 "ch08_training"};
    book::CommonOptions common;
    book::add_common_options(app, common);
    Options o;
    app.add_option("--sizes", o.sizes, "Layer sizes n_0,...,n_L; n_0 = 64 features, n_L = 10 classes")->capture_default_str();
    app.add_option("--activation", o.activation, "Activation of the hidden layers: sigmoid, tanh, relu or identity")
        ->capture_default_str();
    app.add_option("--output", o.output, "Activation of the output layer")->capture_default_str();
    app.add_option("--loss", o.loss, "Loss: l1, quadratic or cross-entropy (needs a sigmoid output)")->capture_default_str();
    app.add_option("--epochs", o.epochs, "Passes over the training set, 1 to 10000")
        ->check(book::whole_number(1, 10000))->capture_default_str();
    app.add_option("--batch", o.batch, "Samples per step, 1 to 100000")
        ->check(book::whole_number(1, 100000))->capture_default_str();
    app.add_option("--learning-rate", o.learning_rate, "The learning rate alpha, from 1e-9 to 1000")
        ->check(book::real_number(1e-9, 1000.0))
        ->capture_default_str();
    app.add_option("--split-seed", o.split_seed, "Seed of the 75/25 train/test split (--seed draws the initial weights and the order of the samples)")
        ->check(book::whole_number(0, 1000000000))->capture_default_str();
    app.add_option("--splits", o.splits, "Train on this many splits (seeds split-seed, split-seed+1, ...) and report "
                                         "the median test accuracy, 1 to 25")
        ->check(book::whole_number(1, 25))->capture_default_str();
    app.add_option("--data", o.data, "The data: a CSV file of 64 pixels (0..16) and the class per row")->capture_default_str();
    app.add_option("--save", o.save, "Write the trained parameters to this JSON file");
    app.add_option("--load", o.load, "Start from the parameters in this JSON file instead of a random network");
    app.add_option("--figures", o.figures, "Write the loss and accuracy curves to DIR/ch08_training.curves.tsv");
    app.add_flag("--quiet", o.quiet, "Print only the summary, not one line per epoch");
    app.add_flag("--compare-losses", o.compare_losses,
                 "Train once with each loss (l1, quadratic, cross-entropy; sigmoid output) on the same split, "
                 "and print a table");
    CLI::App* predict_cmd = app.add_subcommand("predict", "Print the predicted class of each row of a CSV file");
    std::string predict_model, predict_data;
    predict_cmd->add_option("--load", predict_model, "The model (JSON) written by --save")->required();
    predict_cmd->add_option("--data", predict_data, "CSV rows of 64 features (a 65th field, the class, is ignored)")
        ->required();

    int status = book::run_program(app, argc, argv, [&](std::ostream& out) -> int {
        o.seed = static_cast<std::uint64_t>(common.seed);
        if (*predict_cmd) {
            return predict(predict_model, predict_data, out);
        }
        book::activation_flag(o.activation);
        const Loss loss = book::loss_flag(o.loss, book::activation_flag(o.output, "--output"));
        parse_sizes(o.sizes);
        if (!o.save.empty() && o.splits > 1) {
            throw book::BadInput("--save: give one split (no --splits) so that one model is saved");
        }
        backprop::Dataset data = book::load_labelled_csv(o.data, "--data", 10);
        backprop::scale_features(data, digits_scale);

        nlohmann::json j = {{"program", "ch08_training"},
                            {"data", o.data},
                            {"samples", data.size()},
                            {"seed", common.seed},
                            {"split_seed", o.split_seed},
                            {"sizes", parse_sizes(o.sizes)},
                            {"activation", o.activation},
                            {"output", o.output},
                            {"loss", o.loss},
                            {"epochs", o.epochs},
                            {"batch", o.batch},
                            {"learning_rate", o.learning_rate},
                            {"blas_threads", book::blas_threads()}};

        if (o.compare_losses) {
            nlohmann::json rows = nlohmann::json::array();
            std::ostringstream table;
            table << "The same network, split (seed " << o.split_seed << ") and steps, trained with each loss\n"
                << "(" << o.activation << " hidden layers, sigmoid output, " << o.epochs << " epochs, batch "
                << o.batch << ", learning rate " << book::format_number(o.learning_rate) << "):\n\n"
                << "  loss            final loss   train accuracy   test accuracy\n";
            for (Loss l : backprop::all_losses()) {
                Options oo = o;
                oo.output = "sigmoid";
                const RunResult r = train_once(oo, data, static_cast<std::uint64_t>(o.split_seed), l, {});
                const auto& last = r.reports.back();
                char line[128];
                std::snprintf(line, sizeof line, "  %-14s  %10.4f   %14s   %13s\n", backprop::name_of(l).c_str(), last.loss,
                              percent(last.train_accuracy).c_str(), percent(last.test_accuracy).c_str());
                table << line;
                rows.push_back({{"loss", backprop::name_of(l)}, {"final_loss", last.loss},
                                {"train_accuracy", last.train_accuracy}, {"test_accuracy", last.test_accuracy}});
            }
            if (common.json) {
                j["compare_losses"] = rows;
                out << j.dump(2) << '\n';
            } else {
                out << table.str();
            }
            return 0;
        }

        std::vector<double> test_acc, seconds;
        nlohmann::json runs = nlohmann::json::array();
        RunResult last_run;
        for (std::int64_t s = 0; s < o.splits; ++s) {
            const auto split_seed = static_cast<std::uint64_t>(o.split_seed + s);
            if (!o.quiet && !common.json) {
                out << "Split " << split_seed << ": " << data.size() << " digits, 75% to train, 25% to test\n"
                    << "  epoch      loss   train acc.   test acc.   time (s)\n";
            }
            last_run = train_once(o, data, split_seed, loss, [&](const backprop::EpochReport& r) {
                if (!o.quiet && !common.json) {
                    char line[128];
                    std::snprintf(line, sizeof line, "  %5zu  %8.5f   %10s  %10s   %8.3f\n", r.epoch, r.loss,
                                  percent(r.train_accuracy).c_str(), percent(r.test_accuracy).c_str(),
                                  r.elapsed_seconds);
                    out << line;
                }
            });
            const auto& final_report = last_run.reports.back();
            test_acc.push_back(final_report.test_accuracy);
            seconds.push_back(final_report.train_seconds);
            nlohmann::json epochs = nlohmann::json::array();
            for (const auto& r : last_run.reports) {
                epochs.push_back({{"epoch", r.epoch}, {"loss", r.loss}, {"train_accuracy", r.train_accuracy},
                                  {"test_accuracy", r.test_accuracy}, {"train_seconds", r.train_seconds}});
            }
            runs.push_back({{"split_seed", split_seed}, {"epochs", epochs},
                            {"test_accuracy", final_report.test_accuracy},
                            {"train_seconds", final_report.train_seconds}});
        }
        const double med = median(test_acc);
        if (!o.figures.empty()) {
            std::vector<std::vector<double>> rows;
            for (const auto& r : last_run.reports) {
                rows.push_back({static_cast<double>(r.epoch), r.loss, r.train_accuracy, r.test_accuracy});
            }
            const std::string path = book::join_path(o.figures, "ch08_training.curves.tsv");
            book::write_file(path, book::tsv({"epoch", "loss", "train_accuracy", "test_accuracy"}, rows));
            if (!common.json) {
                out << "wrote " << path << '\n';
            }
        }
        if (!o.save.empty()) {
            book::save_model(last_run.model, o.save);
        }
        if (common.json) {
            j["runs"] = runs;
            j["median_test_accuracy"] = med;
            out << j.dump(2) << '\n';
            return 0;
        }
        out << (o.quiet ? "" : "\n") << "Test accuracy " << (o.splits > 1 ? "(median of " + std::to_string(o.splits) + " splits) " : "")
            << percent(med) << "; training time " << book::format_number(median(seconds), 3) << " s"
            << (o.splits > 1 ? " (median)" : "") << " with " << book::blas_threads() << " BLAS thread(s)\n";
        if (!o.save.empty()) {
            out << "Saved the parameters to " << o.save << '\n';
        }
        return 0;
    });
    return status;
}

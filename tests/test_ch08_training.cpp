#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/data.hpp"
#include "book/dataset.hpp"
#include "book/files.hpp"
#include "backprop/train.hpp"
#include "book/model.hpp"
#include "support.hpp"

using backprop::Activation;
using backprop::Loss;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;

namespace {

const std::string program = PROGRAM_PATH;
const std::string bench = program.substr(0, program.rfind('/') + 1) + "ch08_bench";
const std::string digits = BOOK_DATA_DIR "/digits.csv";

// A file in the temporary directory with the given contents, removed at the end.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& name, const std::string& text = "")
        : path("/tmp/backprop-test-" + std::to_string(::getpid()) + "-" + name)
    {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

std::string error_of(const std::string& path, std::size_t classes = 10)
{
    try {
        book::load_labelled_csv(path, "--data", classes);
    } catch (const backprop::DataError& e) {
        return e.what();
    } catch (const book::FileError& e) {
        return e.what();
    }
    return "no error";
}

// The first \p n lines of the digits, as the data file has them (64 pixels and the class).
std::string first_digits(int n)
{
    std::ifstream in(digits);
    std::string line, text;
    for (int i = 0; i < n && std::getline(in, line); ++i) {
        text += line + "\n";
    }
    return text;
}

// A model file of a random network with these sizes (tanh, then sigmoid).
std::string model_text(const std::vector<std::size_t>& sizes)
{
    book::Model m;
    m.net = backprop::make_network(sizes, Activation::tanh, Activation::sigmoid, 1);
    m.feature_scale = 16.0;
    return book::model_to_json(m).dump();
}

// Runs `command` and checks that it stops with status 2 and one line containing `reason`.
void check_refused(const std::string& args, const std::string& reason)
{
    INFO("arguments: " << args);
    const auto r = support::run(program + " " + args);
    support::check_bad_input(r, "ch08_training");
    CHECK_THAT(r.err, Contains(reason));
}

backprop::Dataset xor_data()
{
    backprop::Dataset d;
    d.X = {{0, 0, 1, 1}, {0, 1, 0, 1}};
    d.labels = {0, 1, 1, 0};
    d.classes = 2;
    return d;
}

}  // namespace

TEST_CASE("The digits load as 1797 samples of 64 features in 10 classes", "[ch08][value]")
{
    const backprop::Dataset d = book::load_labelled_csv(digits, "--data", 10);
    CHECK(d.size() == 1797);
    CHECK(d.X.shape(0) == 64);
    CHECK(d.classes == 10);
    CHECK(d.labels[0] == 0);
    CHECK(d.labels[1] == 1);
    CHECK_THAT(xt::amax(d.X)(), WithinAbs(16.0, 0.0));
    CHECK_THAT(d.X(2, 0), WithinAbs(5.0, 0.0));  // the first row begins 0,0,5,13
}

TEST_CASE("The CSV loader names the file, line and column of what is wrong", "[ch08][value]")
{
    SECTION("a missing file")
    {
        CHECK_THAT(error_of("/nonexistent/digits.csv"), Contains("--data: '/nonexistent/digits.csv' does not exist"));
    }
    SECTION("an empty file")
    {
        TempFile f("empty.csv");
        CHECK_THAT(error_of(f.path), Contains("the file is empty"));
    }
    SECTION("a field that is not a number")
    {
        TempFile f("nan.csv", "1,2,3\n4,x5,6\n");
        CHECK_THAT(error_of(f.path), Contains(":2:2: 'x5' is not a finite number"));
    }
    SECTION("a number that is not finite")
    {
        TempFile f("inf.csv", "1,2,3\n4,inf,6\n");
        CHECK_THAT(error_of(f.path), Contains(":2:2: 'inf' is not a finite number"));
    }
    SECTION("a line with too few or too many fields")
    {
        TempFile few("few.csv", "1,2,3\n4,5\n");
        CHECK_THAT(error_of(few.path), Contains(":2: 2 fields; line 1 has 3"));
        TempFile many("many.csv", "1,2,3\n4,5,6,7\n");
        CHECK_THAT(error_of(many.path), Contains(":2: more than 3 fields"));
    }
    SECTION("a class out of range or not whole")
    {
        TempFile big("big.csv", "1,2,3\n4,5,10\n");
        CHECK_THAT(error_of(big.path), Contains(":2:3: class 10 is not a whole number from 0 to 9"));
        TempFile half("half.csv", "1,2,1.5\n");
        CHECK_THAT(error_of(half.path), Contains(":1:3: class 1.5"));
        TempFile neg("neg.csv", "1,2,-1\n");
        CHECK_THAT(error_of(neg.path), Contains(":1:3: class -1"));
    }
    SECTION("an empty line in the middle")
    {
        TempFile f("gap.csv", "1,2,3\n\n4,5,6\n");
        CHECK_THAT(error_of(f.path), Contains(":2: empty line"));
    }
    SECTION("Windows line ends and a final newline are fine")
    {
        TempFile f("crlf.csv", "1,2,3\r\n4,5,6\r\n");
        const auto d = book::load_labelled_csv(f.path, "--data", 10);
        CHECK(d.size() == 2);
        CHECK(d.labels[1] == 6);
    }
}

TEST_CASE("The split is seeded, disjoint and 75/25", "[ch08][value]")
{
    const backprop::Dataset d = book::load_labelled_csv(digits, "--data", 10);
    const auto a = backprop::train_test_split(d, 0.25, 3);
    const auto b = backprop::train_test_split(d, 0.25, 3);
    const auto c = backprop::train_test_split(d, 0.25, 4);
    CHECK(a.train.size() == 1348);
    CHECK(a.test.size() == 449);
    CHECK(a.train.labels == b.train.labels);
    CHECK(a.train.labels != c.train.labels);
    CHECK_THAT(a.test.X, support::IsNear(b.test.X, 0.0, 0.0));
    CHECK_THROWS_AS(backprop::train_test_split(d, 1.0, 1), std::invalid_argument);
}

TEST_CASE("One-hot targets and predicted classes invert each other", "[ch08][value]")
{
    const std::vector<std::size_t> labels = {3, 0, 9, 9, 1};
    const backprop::Matrix Y = backprop::one_hot(labels, 10);
    CHECK(Y.shape() == std::array<std::size_t, 2>{10, 5});
    CHECK_THAT(xt::sum(Y)(), WithinAbs(5.0, 0.0));
    CHECK(backprop::predict_classes(Y) == labels);
    CHECK_THAT(backprop::accuracy({3, 0, 9, 1, 1}, labels), WithinAbs(0.8, 1e-15));
}

TEST_CASE("Training learns XOR, reducing the loss", "[ch08][value]")
{
    const backprop::Dataset d = xor_data();
    backprop::Network net = backprop::make_network({2, 4, 2}, Activation::tanh, Activation::sigmoid, 3);
    backprop::TrainOptions o;
    o.epochs = 2000;
    o.batch = 4;
    o.alpha = 1.0;
    const auto reports = backprop::train(net, d, nullptr, o);
    CHECK(reports.back().loss < 0.1 * reports.front().loss);
    CHECK_THAT(reports.back().train_accuracy, WithinAbs(1.0, 0.0));
}

TEST_CASE("Training on a tiny subset of the digits reduces the loss and fits it", "[ch08][value]")
{
    backprop::Dataset d = book::load_labelled_csv(digits, "--data", 10);
    backprop::scale_features(d, 16.0);
    std::vector<std::size_t> first;
    for (std::size_t i = 0; i < 100; ++i) {
        first.push_back(i);
    }
    const backprop::Dataset small = backprop::select(d, first);
    backprop::Network net = backprop::make_network({64, 32, 10}, Activation::tanh, Activation::sigmoid, 1);
    backprop::TrainOptions o;
    o.epochs = 60;
    const auto reports = backprop::train(net, small, nullptr, o);
    CHECK(reports.back().loss < 0.2 * reports.front().loss);
    CHECK(reports.back().train_accuracy > 0.98);
}

TEST_CASE("A diverging run stops with TrainingDiverged, naming the epoch", "[ch08][value]")
{
    const backprop::Dataset d = xor_data();
    backprop::Network net = backprop::make_network({2, 4, 2}, Activation::relu, Activation::identity, 3);
    backprop::TrainOptions o;
    o.loss = Loss::quadratic;
    o.alpha = 1e6;
    o.epochs = 100;
    CHECK_THROWS_WITH(backprop::train(net, d, nullptr, o), Contains("smaller learning rate") && Contains("epoch"));
}

TEST_CASE("ch08_training reaches 97% test accuracy on the digits, median of five splits", "[ch08][cli]")
{
    const auto r = support::run(program + " --splits 5 --json");
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.at("runs").size() == 5);
    const double median = j.at("median_test_accuracy").get<double>();
    INFO("median test accuracy " << median);
    CHECK(median >= 0.97);
}

TEST_CASE("save, load and predict give the predictions of the trained network", "[ch08][cli]")
{
    TempFile model("model.json");
    TempFile rows("rows.csv");
    {
        // The first 20 digits, as the data file has them.
        std::ifstream in(digits);
        std::ofstream out(rows.path);
        std::string line;
        for (int i = 0; i < 20 && std::getline(in, line); ++i) {
            out << line << '\n';
        }
    }
    const auto trained = support::run(program + " --epochs 5 --quiet --save " + model.path);
    REQUIRE(trained.status == 0);
    const auto predicted = support::run(program + " predict --load " + model.path + " --data " + rows.path);
    REQUIRE(predicted.status == 0);
    CHECK(support::line_count(predicted.out) == 20);
    // The same predictions computed here from the loaded parameters.
    const book::Model m = book::load_model(model.path);
    backprop::Dataset d = book::load_labelled_csv(rows.path, "--data", 10);
    backprop::scale_features(d, m.feature_scale);
    std::string expected;
    for (std::size_t c : backprop::predict_classes(backprop::forward(m.net, d.X).output())) {
        expected += std::to_string(c) + "\n";
    }
    CHECK(predicted.out == expected);
    // A model saved and loaded is the same model.
    book::Model copy = book::load_model(model.path);
    TempFile again("again.json");
    book::save_model(copy, again.path);
    CHECK(book::model_to_json(book::load_model(again.path)) == book::model_to_json(m));
}

TEST_CASE("A malformed or mismatched model file is a clear error", "[ch08][cli]")
{
    TempFile bad_json("bad.json", "{\"format\": ");
    TempFile wrong_shape("shape.json", R"({"format": "backprop-by-the-book model", "version": 1, "sizes": [2, 2],
        "feature_scale": 1, "layers": [{"activation": "tanh", "W": [[1, 2, 3], [4, 5, 6]], "b": [[0], [0]]}]})");
    TempFile rows("rows.csv", "1,2\n");
    for (const auto& [file, message] : {std::pair{bad_json.path, "not valid JSON"}, std::pair{wrong_shape.path, "W^[1]"},
                                        std::pair{std::string("/nonexistent.json"), "'/nonexistent.json' does not exist"}}) {
        INFO(file);
        const auto r = support::run(program + " predict --load " + file + " --data " + rows.path);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(support::line_count(r.err) == 1);
        CHECK_THAT(r.err, Contains(message));
    }
}

TEST_CASE("ch08_training stops with status 3 and advice when the loss diverges", "[ch08][cli]")
{
    const auto r = support::run(program + " --activation relu --output identity --loss quadratic --learning-rate 1000 --epochs 3");
    CHECK(r.status == 3);
    CHECK(r.out.empty());
    CHECK(support::line_count(r.err) == 1);
    CHECK_THAT(r.err, Contains("smaller learning rate"));
}

TEST_CASE("ch08_training rejects bad input with status 2 and one line", "[ch08][cli]")
{
    for (const std::string args : {"--epochs 0", "--epochs x", "--batch -1", "--learning-rate -0.5", "--learning-rate nan",
                                   "--sizes 64,0,10", "--sizes 64", "--sizes 10,10", "--loss hinge",
                                   "--activation softmax", "--loss cross-entropy --output tanh",
                                   "--data /nonexistent.csv", "--splits 0", "--bogus", "predict", "--seed -1",
                                   "--split-seed -1", "predict --load", "extra"}) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        support::check_bad_input(r, "ch08_training");
    }
}

TEST_CASE("ch08_training's --seed draws the weights: the same seed trains the same network", "[ch08][cli]")
{
    const auto loss_of = [](const support::Run& r) {
        REQUIRE(r.status == 0);
        return nlohmann::json::parse(r.out).at("runs").at(0).at("epochs").at(1).at("loss").get<double>();
    };
    const double a = loss_of(support::run(program + " --epochs 2 --json --seed 5"));
    const double b = loss_of(support::run(program + " --epochs 2 --json --seed 5"));
    const double c = loss_of(support::run(program + " --epochs 2 --json --seed 6"));
    CHECK_THAT(a, WithinAbs(b, 0.0));
    CHECK_FALSE(std::abs(a - c) < 1e-12);
}

TEST_CASE("ch08_training refuses an empty value of every flag", "[ch08][cli]")
{
    TempFile model("empty-model.json", model_text({64, 4, 10}));
    TempFile rows("empty-rows.csv", first_digits(2));
    for (const std::string flag : {"--sizes", "--activation", "--output", "--loss", "--epochs", "--batch",
                                   "--learning-rate", "--split-seed", "--splits", "--data", "--save", "--load",
                                   "--figures", "--seed"}) {
        INFO("flag: " << flag);
        support::check_bad_input(support::run(program + " " + flag + " ''"), "ch08_training");
    }
    support::check_bad_input(support::run(program + " predict --load '' --data " + rows.path), "ch08_training");
    support::check_bad_input(support::run(program + " predict --load " + model.path + " --data ''"), "ch08_training");
}

TEST_CASE("ch08_training checks every path right after parsing, before any work", "[ch08][cli]")
{
    TempFile model("paths-model.json", model_text({64, 4, 10}));
    TempFile rows("paths-rows.csv", first_digits(2));
    TempFile file("paths-file.txt", "x");
    const std::string fifo = "/tmp/backprop-test-" + std::to_string(::getpid()) + "-fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // A data file over the 4 MiB that training reads (sparse, so it costs no disk).
    TempFile large("paths-large.csv");
    std::filesystem::resize_file(large.path, (std::size_t{4} << 20) + 1);

    SECTION("--save: a missing or unwritable directory, a device or a directory fails in milliseconds")
    {
        // 1000 epochs would take tens of seconds: the check must come before them.
        const auto start = std::chrono::steady_clock::now();
        check_refused("--epochs 1000 --save /nonexistent/m.json",
                      "'/nonexistent/m.json' is in a directory that does not exist");
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        CHECK(seconds < 5.0);
        check_refused("--epochs 1000 --save /proc/m.json", "cannot be written");
        check_refused("--epochs 1000 --save /dev/null", "character device");
        check_refused("--epochs 1000 --save /tmp", "is a directory");
    }
    SECTION("--data and --load: a directory, a FIFO (without blocking), a device, a file too large")
    {
        check_refused("--data /tmp", "--data: '/tmp' is a directory");
        check_refused("--data " + fifo, "FIFO");
        check_refused("--data /dev/zero", "character device");
        check_refused("--data " + large.path, "--data");
        check_refused("--load /tmp", "--load: '/tmp' is a directory");
        check_refused("--load " + fifo, "FIFO");
        check_refused("predict --load " + model.path + " --data " + fifo, "FIFO");
        check_refused("predict --load /dev/zero --data " + rows.path, "character device");
    }
    SECTION("--figures: a missing directory or a file")
    {
        check_refused("--epochs 1000 --figures /nonexistent/dir", "--figures");
        check_refused("--epochs 1000 --figures " + file.path, "--figures");
    }
    std::remove(fifo.c_str());
}

TEST_CASE("ch08_training refuses a flag that its mode would ignore, saying why", "[ch08][cli]")
{
    TempFile model("modes-model.json", model_text({64, 4, 10}));
    TempFile rows("modes-rows.csv", first_digits(2));
    const std::string predict = " predict --load " + model.path + " --data " + rows.path;
    check_refused("--compare-losses --save /tmp/m.json", "--save: --compare-losses trains one network per loss");
    check_refused("--compare-losses --splits 2", "--splits: --compare-losses trains on the one split");
    check_refused("--compare-losses --loss l1", "--loss: --compare-losses trains with every loss");
    check_refused("--compare-losses --output sigmoid", "--output: --compare-losses uses a sigmoid output");
    check_refused("--compare-losses --figures /tmp", "--figures: --compare-losses prints a table");
    check_refused("--compare-losses --quiet", "--quiet: --compare-losses prints only its table");
    check_refused("--json --quiet", "--quiet: --json prints");
    check_refused("--load " + model.path + " --sizes 64,8,10", "--sizes: the network of --load keeps");
    check_refused("--load " + model.path + " --activation relu", "--activation: the network of --load keeps");
    check_refused("--load " + model.path + " --output tanh --loss quadratic", "--output: the network of --load keeps");
    check_refused("--sizes 64,10 --activation relu", "--activation: --sizes 64,10 has no hidden layer");
    check_refused("--splits 2 --save /tmp/m.json", "--save: give one split");
    check_refused("--splits 2 --figures /tmp", "--figures: give one split");
    for (const std::string& before : std::vector<std::string>{"--epochs 5", "--json", "--seed 3", "--sizes 64,8,10",
                                                              "--quiet", "--data " + rows.path, "--load " + model.path}) {
        check_refused(before + predict, "predict takes no flag before it");
    }
    // Each of these flags works where it applies.
    CHECK(support::run(program + predict).status == 0);
    CHECK(support::run(program + " --load " + model.path + " --epochs 1 --quiet").status == 0);
}

TEST_CASE("predict checks a class column and warns of pixels outside the training range", "[ch08][cli]")
{
    TempFile model("predict-model.json", model_text({64, 4, 10}));
    const std::string two = first_digits(2);  // classes 0 and 1
    const std::string second = two.substr(two.find('\n') + 1);
    const std::string row = second.substr(0, second.rfind(','));  // 64 pixels, no class
    const auto predict = [&](const std::string& path) {
        return support::run(program + " predict --load " + model.path + " --data " + path);
    };
    SECTION("a 65th field must be a whole number from 0 to 9; the error names the line")
    {
        for (const std::string cls : {"10", "1.5", "-1", "1e300"}) {
            TempFile bad("predict-class.csv", two + row + "," + cls + "\n");
            INFO("class " << cls);
            const auto r = predict(bad.path);
            support::check_bad_input(r, "ch08_training");
            CHECK_THAT(r.err, Contains(":3:65: class ") && Contains("is not a whole number from 0 to 9"));
        }
        TempFile good("predict-good.csv", two + row + ",9\n");
        const auto r = predict(good.path);
        CHECK(r.status == 0);
        CHECK(support::line_count(r.out) == 3);
        CHECK(r.err.empty());
    }
    SECTION("pixels outside 0..16 give one line of warning, and the run still succeeds")
    {
        TempFile far("predict-far.csv", row + "\n1e300," + row.substr(row.find(',') + 1) + "\n17," +
                                            row.substr(row.find(',') + 1) + "\n");
        const auto r = predict(far.path);
        CHECK(r.status == 0);
        CHECK(support::line_count(r.out) == 3);
        CHECK(support::line_count(r.err) == 1);
        CHECK_THAT(r.err, StartsWith("ch08_training: warning: 2 value(s)") &&
                              Contains("outside the training range 0..16") && Contains("line 2 (1e+300)"));
        TempFile negative("predict-negative.csv", "-0.5," + row.substr(row.find(',') + 1) + "\n");
        CHECK_THAT(predict(negative.path).err, Contains("warning: 1 value(s)"));
        TempFile inside("predict-inside.csv", row + "\n");
        CHECK(predict(inside.path).err.empty());
    }
}

TEST_CASE("ch08_training reports a collapsed run with status 3 and advice, as a diverged one", "[ch08][cli]")
{
    const auto check_collapsed = [](const std::string& args, const std::string& why) {
        INFO("arguments: " << args);
        const auto r = support::run(program + " " + args);
        CHECK(r.status == 3);
        CHECK(r.out.empty());
        CHECK(support::line_count(r.err) == 1);
        CHECK_THAT(r.err, StartsWith("ch08_training: error: ") && Contains("training collapsed: ") &&
                              Contains(why) && Contains("try a smaller learning rate"));
    };
    // No better than chance: a final training accuracy of at most 1.5 x 1/10.
    check_collapsed("--learning-rate 1000 --epochs 3",
                    "the training accuracy after epoch 3 is 9.941%, no better than chance (at most 1.5 x 1/10 = 15%)");
    check_collapsed("--sizes 64,256,256,10 --epochs 2", "the training accuracy after epoch 2 is 10.01%");
    // The loss of the last epoch above the first's, while the accuracy is above chance.
    check_collapsed("--batch 1 --learning-rate 0.3 --epochs 2",
                    "the loss rose from 7.373 in epoch 1 to 8.8457 in epoch 2");
    // Each run of --splits and of --compare-losses is checked, and named.
    check_collapsed("--learning-rate 1000 --epochs 2 --splits 2 --quiet", "split 1: training collapsed");
    check_collapsed("--learning-rate 1000 --epochs 2 --compare-losses", "--loss l1: training collapsed");
    // A run that learns is not stopped.
    CHECK(support::run(program + " --epochs 2 --quiet").status == 0);
}

TEST_CASE("ch08_training's limits keep every run within about a minute, and --help states them", "[ch08][cli]")
{
    check_refused("--epochs 1001", "from 1 to 1000");
    check_refused("--splits 26", "from 1 to 25");
    check_refused("--batch 4097", "from 1 to 4096");
    check_refused("--sizes 64,1025,10", "from 1 to 1024");
    check_refused("--sizes 64,1,1,1,1,1,1,1,1,1,10", "from 2 to 10 sizes");
    // The work of a run, checked after the data are read and before training.
    check_refused("--sizes 64,1024,1024,1024,10", "the run would take too long");
    check_refused("--splits 25 --epochs 100", "the run would take too long");
    check_refused("--batch 1 --epochs 200", "or a --batch of 8 or more");
    check_refused("--compare-losses --epochs 500", "the run would take too long");
    // A model over the limits, to train on or to predict with.
    TempFile wide("limits-wide.json", model_text({64, 1025, 10}));
    TempFile rows("limits-rows.csv", first_digits(2));
    check_refused("--load " + wide.path, "--load: the model's sizes 64,1025,10 exceed the limits");
    check_refused("predict --load " + wide.path + " --data " + rows.path, "exceed the limits");
    // predict: parameters x rows at most 4e9; 64-1024-10 has 76,810 parameters.
    TempFile model("limits-model.json", model_text({64, 1024, 10}));
    std::string zeros;
    for (int k = 0; k < 64; ++k) {
        zeros += k ? ",0" : "0";
    }
    std::string many;
    for (int i = 0; i < 52100; ++i) {
        many += zeros + "\n";
    }
    TempFile lots("limits-lots.csv", many);
    check_refused("predict --load " + model.path + " --data " + lots.path,
                  "52100 rows through a model of 7.68e+04 parameters is too much work");

    const auto help = support::run(program + " --help");
    REQUIRE(help.status == 0);
    for (const char* text : {"at most 1.5 x 1/10 = 15%", "exit status 3", "1 to 1000", "1 to 4096", "1 to 25",
                             "each from 1 to 1024", "at most 4 MiB", "max(parameters, 5000)", "at most 4e9"}) {
        CHECK_THAT(help.out, Contains(text));
    }
}

TEST_CASE("ch08_bench refuses a number of repetitions outside 1 to 25, which keeps it within a minute", "[ch08][cli]")
{
    for (const std::string args : {"--repeat 0", "--repeat 26", "--repeat ''", "--repeat 2.5", "--seed ''", "extra"}) {
        INFO("arguments: " << args);
        support::check_bad_input(support::run(bench + " " + args), "ch08_bench");
    }
    const auto help = support::run(bench + " --help");
    REQUIRE(help.status == 0);
    CHECK_THAT(help.out, Contains("1 to 25"));
}

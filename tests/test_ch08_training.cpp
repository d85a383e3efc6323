#include <cstdio>
#include <fstream>
#include <string>
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
using Catch::Matchers::WithinAbs;

namespace {

const std::string program = PROGRAM_PATH;
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
                                   "--data /nonexistent.csv", "--splits 0", "--bogus", "predict"}) {
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

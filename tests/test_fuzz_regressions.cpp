// What the fuzzers in fuzz/ found in the CSV and model-JSON readers, kept as tests.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backprop/data.hpp"
#include "book/dataset.hpp"
#include "book/model.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// A file in the temporary directory with the given contents, removed at the end.
struct TempFile {
    std::string path;
    TempFile(const std::string& name, const std::string& text)
        : path("/tmp/backprop-test-" + std::to_string(::getpid()) + "-" + name)
    {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

std::string csv_error(const std::string& path)
{
    try {
        book::load_csv(path, "--data");
    } catch (const backprop::DataError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("A plus sign followed by a minus sign is not a number in a CSV file", "[ch08][fuzz]")
{
    // fuzz_csv found "+-1e-400": the reader skipped the '+' and read the rest as -1e-400.
    TempFile f("plus_minus.csv", "+-1,2\n");
    CHECK_THAT(csv_error(f.path), Contains(f.path + ":1:1: '+-1' is not a finite number"));
    TempFile g("plus_minus_tiny.csv", "3,+-1e-400\n");
    CHECK_THAT(csv_error(g.path), Contains(g.path + ":1:2: '+-1e-400' is not a finite number"));
    TempFile lone("plus.csv", "+\n");
    CHECK_THAT(csv_error(lone.path), Contains("'+' is not a finite number"));

    // A single leading '+' is still allowed.
    TempFile plus("plus_ok.csv", "+1.5, +2\n");
    const backprop::Matrix t = book::load_csv(plus.path, "--data");
    CHECK_THAT(t(0, 0), WithinAbs(1.5, 0.0));
    CHECK_THAT(t(0, 1), WithinAbs(2.0, 0.0));
}

TEST_CASE("A number too small for a double reads as zero with its sign, one too large is an error", "[ch08][fuzz]")
{
    // fuzz_csv found that 1e-400, a finite decimal number, was reported as "not a finite number".
    TempFile f("tiny.csv", "1e-400,-1e-400,4.9e-324,2.2250738585072014e-308\n");
    const backprop::Matrix t = book::load_csv(f.path, "--data");
    CHECK_THAT(t(0, 0), WithinAbs(0.0, 0.0));
    CHECK_FALSE(std::signbit(t(0, 0)));
    CHECK_THAT(t(0, 1), WithinAbs(0.0, 0.0));
    CHECK(std::signbit(t(0, 1)));
    CHECK_THAT(t(0, 2), WithinRel(4.9406564584124654e-324, 0.0));  // the smallest subnormal
    CHECK_THAT(t(0, 3), WithinRel(2.2250738585072014e-308, 0.0));  // the smallest normal

    TempFile huge("huge.csv", "1,1e400\n");
    CHECK_THAT(csv_error(huge.path), Contains(huge.path + ":1:2: '1e400' is not a finite number"));
    TempFile huge_neg("huge_neg.csv", "-1e400,1\n");
    CHECK_THAT(csv_error(huge_neg.path), Contains(huge_neg.path + ":1:1: '-1e400' is not a finite number"));
}

TEST_CASE("A model file with a number too large for a double is invalid input that names the file", "[ch08][fuzz]")
{
    // fuzz_model found that nlohmann::json's out_of_range.406 escaped load_model(), which
    // promises std::invalid_argument; the programs then exited with status 1, not 2.
    TempFile f("huge.json", R"({"format": "backprop-by-the-book model", "version": 1, "sizes": [2, 2],
        "feature_scale": 1e400, "layers": []})");
    try {
        book::load_model(f.path);
        FAIL("load_model accepted a model with 1e400 in it");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), StartsWith(f.path + ": not valid JSON"));
        CHECK_THAT(e.what(), Contains("1e400"));
    }
}

TEST_CASE("A model whose version is 1 only modulo 2^32 is not version 1", "[ch08][fuzz]")
{
    // Found by reading the reader while writing fuzz_model's checks (which catch it): the
    // version was compared as an int, and 4294967297 = 2^32 + 1 wrapped around to 1.
    for (const char* version : {"4294967297", "-4294967295", "18446744069414584321"}) {
        const nlohmann::json j = nlohmann::json::parse(
            std::string(R"({"format": "backprop-by-the-book model", "sizes": [2, 2], "feature_scale": 1,
                "layers": [{"activation": "tanh", "W": [[1, 2], [3, 4]], "b": [[0], [0]]}], "version": )") +
            version + "}");
        CAPTURE(version);
        try {
            book::model_from_json(j);
            FAIL("model_from_json accepted version " << version);
        } catch (const std::invalid_argument& e) {
            CHECK_THAT(e.what(), Contains("\"version\" is not 1"));
        }
    }
    const nlohmann::json one = nlohmann::json::parse(R"({"format": "backprop-by-the-book model", "version": 1,
        "sizes": [2, 2], "feature_scale": 1, "layers": [{"activation": "tanh", "W": [[1, 2], [3, 4]], "b": [[0], [0]]}]})");
    CHECK(book::model_from_json(one).net.sizes == std::vector<std::size_t>{2, 2});
}

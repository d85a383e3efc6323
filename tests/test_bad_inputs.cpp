// Bad input to any program gets exit status 2 and one clear, printable line, and nothing
// on standard output: a table of bad inputs, the usual ones for every program (unknown,
// missing, negative, zero, huge, NaN, empty, long, repeated, control bytes) and each
// program's own (contradictory flags, files of the wrong kind), run against every program.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "book/text.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

const std::string bin = BOOK_BIN_DIR;

// A directory of odd files for the cases: a FIFO, a directory, a file, a device.
struct Odd {
    fs::path dir;
    std::string fifo, folder, file, device, missing_dir;
    Odd()
    {
        char name[] = "/tmp/backprop-bad-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        dir = name;
        fifo = (dir / "fifo").string();
        folder = (dir / "folder").string();
        file = (dir / "file.txt").string();
        device = (dir / "null").string();
        missing_dir = (dir / "missing" / "out").string();
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        fs::create_directory(folder);
        std::ofstream(file) << "not what any program reads\n";
        // A null device of our own, never the system's; without root, a FIFO stands in.
        if (::geteuid() != 0 || ::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
            REQUIRE(::mkfifo(device.c_str(), 0600) == 0);
        }
    }
    ~Odd()
    {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

struct Case {
    std::string program;
    std::vector<std::string> args;
    std::string says;  // a part of the message
};

std::string quoted(const std::string& arg)
{
    std::string q = "'";
    for (char c : arg) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

// True when every byte of s is printable UTF-8 (no control byte, no invalid sequence).
bool printable(const std::string& s) { return book::printable(s, s.size() + 1) == s; }

std::vector<Case> table(const Odd& odd)
{
    const std::vector<std::string> programs = {"ch01_matmul",       "ch02_chain_rule",   "ch03_neuron",
                                               "ch04_forward",      "ch05_output_delta", "ch06_hidden_delta",
                                               "ch07_updates",      "ch08_training",     "ch08_bench",
                                               "ch09_graphs",       "appendix_gradcheck"};
    const std::string huge(100000, '7');
    std::vector<Case> cases;
    // The usual bad inputs, for every program.
    for (const std::string& p : programs) {
        const std::vector<Case> usual = {
            {p, {"--no-such-flag"}, "--no-such-flag"},
            {p, {"stray"}, "stray"},
            {p, {"stray\x1b[2Jcleared"}, "\\x1B[2J"},
            {p, {"--seed", "-1"}, "--seed"},
            {p, {"--seed", "1e3"}, "--seed"},
            {p, {"--seed", "3.5"}, "--seed"},
            {p, {"--seed", "0x10"}, "--seed"},
            {p, {"--seed", "nan"}, "--seed"},
            {p, {"--seed", ""}, "--seed"},
            {p, {"--seed", "99999999999999999999"}, "--seed"},
            {p, {"--seed", huge}, "characters"},
            {p, {"--seed", "1\r2"}, "\\r"},
            {p, {"--seed", "\x1b[31mred"}, "\\x1B"},
            {p, {"--seed", "\xff\xfe"}, "\\xFF"},
            {p, {"--seed", "1", "--seed", "2"}, "--seed"},
            {p, {"--seed"}, "--seed"},
            {p, {"--json=maybe"}, "--json"},
        };
        cases.insert(cases.end(), usual.begin(), usual.end());
    }
    // Each program's own.
    const std::vector<Case> own = {
        {"ch01_matmul", {"--size", "0"}, "--size"},
        {"ch01_matmul", {"--size", "2048"}, "1 to 1024"},
        {"ch01_matmul", {"--size", "-3"}, "--size"},
        {"ch01_matmul", {"--size", "1024", "--repeat", "50"}, "--repeat"},
        {"ch01_matmul", {"--repeat", "5"}, "--repeat requires --size"},
        {"ch02_chain_rule", {"--x", "inf"}, "--x"},
        {"ch02_chain_rule", {"--x", "11"}, "-10 to 10"},
        {"ch02_chain_rule", {"--alpha", "0"}, "--alpha"},
        {"ch02_chain_rule", {"--steps", "10001"}, "--steps"},
        {"ch02_chain_rule", {"--only", "everything"}, "--only"},
        {"ch02_chain_rule", {"--only", "matrix", "--alpha", "0.5"}, "--alpha"},
        {"ch02_chain_rule", {"--json", "--figures", odd.folder}, "--figures"},
        {"ch02_chain_rule", {"--figures", odd.file}, "is not a directory"},
        {"ch02_chain_rule", {"--figures", odd.missing_dir}, "does not exist"},
        {"ch02_chain_rule", {"--figures", ""}, "empty"},
        {"ch03_neuron", {"--neuron", "4"}, "--neuron"},
        {"ch03_neuron", {"--activation", "softplus"}, "--activation"},
        {"ch03_neuron", {"--z", "1e400"}, "--z"},
        {"ch03_neuron", {"--section", "kink", "--seed", "3"}, "--seed"},
        {"ch03_neuron", {"--figures", odd.fifo}, "not a directory"},
        {"ch04_forward", {"--sizes", "2,,3"}, "--sizes"},
        {"ch04_forward", {"--sizes", "2"}, "--sizes"},
        {"ch04_forward", {"--sizes", "2,101"}, "1 to 100"},
        {"ch04_forward", {"--sizes", "2,3,2", "--input", "1"}, "--input"},
        {"ch04_forward", {"--input", "1,nan"}, "--input"},
        {"ch04_forward", {"--loss", "cross-entropy", "--activation", "tanh"}, "sigmoid output"},
        {"ch04_forward", {"--batch", "0"}, "--batch"},
        {"ch04_forward", {"--json", "--figures", odd.folder}, "--figures"},
        {"ch05_output_delta", {"--loss", "hinge"}, "--loss"},
        {"ch05_output_delta", {"--figures", ""}, "empty"},
        {"ch05_output_delta", {"--figures", odd.device}, "not a directory"},
        {"ch06_hidden_delta", {"--sizes", "2,2"}, "--sizes"},
        {"ch06_hidden_delta", {"--sizes", "2,30,2", "--figures", odd.folder}, "20 neurons"},
        {"ch06_hidden_delta", {"--activation", ""}, "--activation"},
        {"ch07_updates", {"--sizes", "2,21"}, "1 to 20"},
        {"ch07_updates", {"--batch", "101"}, "--batch"},
        {"ch07_updates", {"--alpha", "-1"}, "--alpha"},
        {"ch07_updates", {"--json", "--steps", "5"}, "--steps"},
        {"ch07_updates", {"--activation", "identity"}, "--activation"},
        {"ch08_training", {"--data", odd.folder}, "is a directory"},
        {"ch08_training", {"--data", odd.fifo}, "FIFO"},
        {"ch08_training", {"--data", odd.device}, "not a regular file"},
        {"ch08_training", {"--data", odd.file}, "file.txt"},
        {"ch08_training", {"--data", ""}, "empty"},
        {"ch08_training", {"--save", odd.device}, "not a regular file"},
        {"ch08_training", {"--save", odd.folder}, "is a directory"},
        {"ch08_training", {"--save", odd.missing_dir}, "does not exist"},
        {"ch08_training", {"--save", ""}, "empty"},
        {"ch08_training", {"--save", "/proc/backprop-model.json"}, "cannot be written"},
        {"ch08_training", {"--save", std::string(5000, 'm')}, "bytes long"},
        {"ch08_training", {"--load", odd.folder}, "is a directory"},
        {"ch08_training", {"--load", odd.file}, "not valid JSON"},
        {"ch08_training", {"--figures", odd.file}, "not a directory"},
        {"ch08_training", {"--sizes", "64,10", "--load", odd.file}, "--sizes"},
        {"ch08_training", {"--compare-losses", "--splits", "3"}, "--splits"},
        {"ch08_training", {"--compare-losses", "--save", odd.folder + "/m.json"}, "--save"},
        {"ch08_training", {"--epochs", "0"}, "--epochs"},
        {"ch08_training", {"--learning-rate", "nan"}, "--learning-rate"},
        {"ch08_training", {"--sizes", "64,1025,10"}, "--sizes"},
        {"ch08_training", {"--sizes", "63,10"}, "64"},
        {"ch08_training", {"--epochs", "5", "predict", "--load", odd.file, "--data", odd.file}, "predict"},
        {"ch08_training", {"predict", "--load", odd.folder, "--data", odd.file}, "is a directory"},
        {"ch08_training", {"predict", "--data", odd.file}, "--load"},
        {"ch08_bench", {"--repeat", "26"}, "--repeat"},
        {"ch08_bench", {"--repeat", "0"}, "--repeat"},
        {"ch09_graphs", {"--section", "graph", "--graphs", "5"}, "--graphs"},
        {"ch09_graphs", {"--graphs", "5001", "--section", "check"}, "--graphs"},
        {"ch09_graphs", {"--sizes", "2,6,2"}, "--sizes"},
        {"ch09_graphs", {"--json", "--figures", odd.folder}, "--figures"},
        {"appendix_gradcheck", {"--step", "0"}, "--step"},
        {"appendix_gradcheck", {"--step", "1"}, "--step"},
        {"appendix_gradcheck", {"--section", "kink", "--step", "0.01"}, "--step"},
        {"appendix_gradcheck", {"--section", "nonsense"}, "--section"},
        {"appendix_gradcheck", {"--figures", odd.missing_dir}, "does not exist"},
    };
    cases.insert(cases.end(), own.begin(), own.end());
    return cases;
}

}  // namespace

TEST_CASE("Every program answers every bad input with exit status 2 and one printable line", "[cli][bad-input]")
{
    const Odd odd;
    const std::vector<Case> cases = table(odd);
    std::map<std::string, int> per_program;
    for (const Case& c : cases) {
        std::string command = bin + "/" + c.program;
        std::string shown = c.program;
        for (const std::string& a : c.args) {
            command += " " + quoted(a);
            shown += " " + book::quote(a);
        }
        INFO(shown);
        const support::Run r = support::run("timeout 60 " + command);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(support::line_count(r.err) == 1);
        CHECK_THAT(r.err, Catch::Matchers::StartsWith(c.program + ": error: "));
        CHECK_THAT(r.err, Catch::Matchers::Contains(c.says));
        const std::string line = r.err.substr(0, r.err.find('\n'));
        CHECK(printable(line));
        CHECK(book::display_width(line) <= 400);
        ++per_program[c.program];
    }
    // Nothing was written by a refused run: the odd directory holds what it held.
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(odd.dir)) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 4);
    WARN(cases.size() << " bad inputs across " << per_program.size() << " programs, each exit 2 with one line");
}

TEST_CASE("A program whose standard output cannot be written says so and exits 2", "[cli][bad-input]")
{
    for (const std::string p : {"ch01_matmul", "ch04_forward", "ch09_graphs", "appendix_gradcheck"}) {
        INFO(p);
        const support::Run r = support::run("sh -c '" + bin + "/" + p + " > /dev/full'");
        CHECK(r.status == 2);
        CHECK(support::line_count(r.err) == 1);
        CHECK_THAT(r.err, Catch::Matchers::Contains("cannot write to standard output: No space left on device"));
    }
}

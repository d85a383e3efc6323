#include "book/cli.hpp"

#include <charconv>
#include <filesystem>
#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "book/print.hpp"

extern "C" int openblas_get_num_threads(void);

namespace book {

CLI::Validator whole_number(std::int64_t lo, std::int64_t hi)
{
    const std::string range = std::to_string(lo) + " to " + std::to_string(hi);
    return CLI::Validator(
        [lo, hi, range](std::string& text) -> std::string {
            std::int64_t value = 0;
            const char* first = text.data();
            const char* last = text.data() + text.size();
            const auto [end, ec] = std::from_chars(first, last, value);
            if (ec != std::errc() || end != last || text.empty() || value < lo || value > hi) {
                return "must be a whole number from " + range + ", got '" + text + "'";
            }
            return std::string();
        },
        "");
}

CLI::Validator real_number(double lo, double hi)
{
    const std::string range = format_number(lo, 15) + " to " + format_number(hi, 15);
    return CLI::Validator(
        [lo, hi, range](std::string& text) -> std::string {
            double value = 0.0;
            const char* first = text.data();
            const char* last = text.data() + text.size();
            const auto [end, ec] = std::from_chars(first, last, value, std::chars_format::general);
            if (ec != std::errc() || end != last || text.empty() || !std::isfinite(value) || value < lo ||
                value > hi) {
                return "must be a number from " + range + ", got '" + text + "'";
            }
            return std::string();
        },
        "");
}

std::vector<std::string> split(const std::string& text, char sep)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) {
            return parts;
        }
        start = end + 1;
    }
}

std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t min_count, std::size_t max_count,
                                     std::size_t max_size)
{
    std::vector<std::size_t> sizes;
    for (const std::string& part : split(text, ',')) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || n < 1 || n > max_size) {
            throw BadInput("--sizes: each size must be a whole number from 1 to " + std::to_string(max_size) +
                           ", got '" + part + "' in '" + text + "'");
        }
        sizes.push_back(n);
    }
    if (sizes.size() < min_count || sizes.size() > max_count) {
        const char* layers = min_count >= 3 ? "input, at least one hidden layer, output" : "input, hidden..., output";
        throw BadInput("--sizes: give from " + std::to_string(min_count) + " to " + std::to_string(max_count) +
                       " sizes (" + layers + ") separated by commas, got '" + text + "'");
    }
    return sizes;
}

backprop::Activation activation_flag(const std::string& name, const std::string& flag)
{
    try {
        return backprop::activation_from_name(name);
    } catch (const std::invalid_argument& e) {
        throw BadInput(flag + ": " + e.what());
    }
}

backprop::Loss loss_flag(const std::string& name, backprop::Activation output, const std::string& flag)
{
    try {
        const backprop::Loss loss = backprop::loss_from_name(name);
        backprop::require_compatible(loss, output);
        return loss;
    } catch (const std::invalid_argument& e) {
        throw BadInput(flag + ": " + e.what());
    }
}

void require_directory(const std::string& dir, const std::string& flag)
{
    if (!std::filesystem::is_directory(dir)) {
        throw BadInput(flag + ": '" + dir + "' is not an existing directory");
    }
}

void add_common_options(CLI::App& app, CommonOptions& options)
{
    app.add_option("--seed", options.seed, "Seed of every random draw, a whole number >= 0")
        ->check(whole_number(0, std::numeric_limits<std::int64_t>::max()))
        ->capture_default_str();
    app.add_flag("--json", options.json, "Print one JSON document instead of text");
}

namespace {

int fail(const CLI::App& app, const std::string& what, int status)
{
    std::string line = what;
    for (char& c : line) {
        if (c == '\n') {
            c = ' ';
        }
    }
    std::cerr << app.get_name() << ": error: " << line << '\n';
    return status;
}

}  // namespace

int run_program(CLI::App& app, int argc, char** argv, const std::function<int(std::ostream&)>& body)
{
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        return fail(app, std::string(e.what()) + " (see --help)", exit_bad_input);
    }
    std::ostringstream out;
    int status = 0;
    try {
        status = body(out);
    } catch (const ExitError& e) {
        return fail(app, e.what(), e.status());
    } catch (const BadInput& e) {
        return fail(app, e.what(), exit_bad_input);
    } catch (const std::invalid_argument& e) {
        return fail(app, e.what(), exit_bad_input);
    } catch (const std::out_of_range& e) {
        return fail(app, e.what(), exit_bad_input);
    } catch (const std::exception& e) {
        return fail(app, e.what(), 1);
    }
    std::cout << out.str() << std::flush;
    return std::cout ? status : 1;
}

int blas_threads() { return openblas_get_num_threads(); }

}  // namespace book

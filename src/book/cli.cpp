#include "book/cli.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "book/files.hpp"
#include "book/text.hpp"

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
                return "must be a whole number from " + range + ", got " + quote(text);
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
                return "must be a number from " + range + ", got " + quote(text);
            }
            return std::string();
        },
        "");
}

CLI::Validator not_empty()
{
    return CLI::Validator(
        [](std::string& text) -> std::string { return text.empty() ? "the value is empty" : std::string(); }, "");
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

std::vector<double> parse_numbers(const std::string& text, const std::string& flag, double lo, double hi)
{
    std::vector<double> values;
    for (const std::string& part : split(text, ',')) {
        double v = 0.0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v, std::chars_format::general);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || !std::isfinite(v) || v < lo ||
            v > hi) {
            throw BadInput(flag + ": each number must be a decimal number from " + format_number(lo, 15) + " to " +
                           format_number(hi, 15) + ", got " + quote(part) + " in " + quote(text));
        }
        values.push_back(v);
    }
    return values;
}

CLI::Option* add_numbers(CLI::App& app, const std::string& name, std::vector<double>& values, double lo, double hi,
                         const std::string& help)
{
    const auto check = [name, lo, hi](std::string& text) -> std::string {
        try {
            parse_numbers(text, name, lo, hi);
        } catch (const BadInput& e) {
            return std::string(e.what()).substr(name.size() + 2);
        }
        return std::string();
    };
    return app
        .add_option_function<std::string>(
            name, [&values, name, lo, hi](const std::string& text) { values = parse_numbers(text, name, lo, hi); },
            help)
        ->check(CLI::Validator(check, ""))
        ->type_name("X,X,...");
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
    std::cerr << app.get_name() << ": error: " << printable(what) << '\n';
    return status;
}

}  // namespace

int run_program(CLI::App& app, int argc, char** argv, const std::function<int(std::ostream&)>& body,
                const std::vector<std::function<void()>>& checks)
{
    std::ostringstream out;
    int status = 0;
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp&) {
            out << app.help();
            throw;
        }
        for (const auto& check : checks) {
            check();
        }
        status = body(out);
    } catch (const CLI::CallForHelp&) {
        status = 0;
    } catch (const CLI::ParseError& e) {
        return fail(app, std::string(e.what()) + " (see --help)", exit_bad_input);
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
    errno = 0;
    std::cout << out.str() << std::flush;
    if (!std::cout) {
        const int err = errno;
        return fail(app, std::string("cannot write to standard output") + (err ? ": " + std::string(std::strerror(err)) : ""),
                    exit_bad_input);
    }
    return status;
}

Program::Program(const std::string& name, const std::string& description) : app(description, name)
{
    add_common_options(app, common);
}

void Program::after_parsing(std::function<void()> check) { checks_.push_back(std::move(check)); }

CLI::Option* Program::real(const std::string& name, double& value, double lo, double hi, const std::string& help,
                           CLI::App* on)
{
    return (on ? on : &app)->add_option(name, value, help)->check(real_number(lo, hi))->capture_default_str();
}

CLI::Option* Program::output_file(const std::string& name, std::string& path, const std::string& help, CLI::App* on)
{
    CLI::Option* option = (on ? on : &app)->add_option(name, path, help)->type_name("FILE");
    after_parsing([option, &path, name] {
        if (option->count() > 0) {
            check_output_file(path, name);
        }
    });
    return option;
}

CLI::Option* Program::output_directory(const std::string& name, std::string& dir, const std::string& help,
                                       CLI::App* on)
{
    CLI::Option* option = (on ? on : &app)->add_option(name, dir, help)->type_name("DIR");
    after_parsing([option, &dir, name] {
        if (option->count() > 0) {
            check_output_directory(dir, name);
        }
    });
    return option;
}

CLI::Option* Program::input_file(const std::string& name, std::string& path, std::size_t max_bytes,
                                 const std::string& help, CLI::App* on)
{
    CLI::App* target = on ? on : &app;
    CLI::Option* option = target->add_option(name, path, help)->type_name("FILE");
    if (!path.empty()) {
        option->capture_default_str();
    }
    after_parsing([option, target, &path, name, max_bytes] {
        const bool in_use = target->parsed() || target->get_parent() == nullptr;
        if (in_use && (option->count() > 0 || !path.empty())) {
            check_input_file(path, name, max_bytes);
        }
    });
    return option;
}

void Program::parse(int argc, char** argv)
{
    app.parse(argc, argv);
    for (const auto& check : checks_) {
        check();
    }
}

int Program::run(int argc, char** argv, const std::function<int(std::ostream&)>& body)
{
    return run_program(app, argc, argv, body, checks_);
}

}  // namespace book

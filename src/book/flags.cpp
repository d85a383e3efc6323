#include "book/flags.hpp"

#include <charconv>

#include "book/files.hpp"
#include "book/text.hpp"

extern "C" int openblas_get_num_threads(void);

namespace book {

std::vector<std::size_t> parse_sizes(const std::string& text, const SizesLimits& limits)
{
    std::vector<std::size_t> sizes;
    for (const std::string& part : split(text, ',')) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || n < 1 || n > limits.max_size) {
            throw BadInput("--sizes: each size must be a whole number from 1 to " + std::to_string(limits.max_size) +
                           ", got " + quote(part) + " in " + quote(text));
        }
        sizes.push_back(n);
    }
    if (sizes.size() < limits.min_count || sizes.size() > limits.max_count) {
        const char* layers =
            limits.min_count >= 3 ? "input, at least one hidden layer, output" : "input, hidden..., output";
        throw BadInput("--sizes: give from " + std::to_string(limits.min_count) + " to " +
                       std::to_string(limits.max_count) + " sizes (" + layers + ") separated by commas, got " +
                       quote(text));
    }
    return sizes;
}

std::string join_sizes(const std::vector<std::size_t>& sizes, const std::string& sep)
{
    std::string s;
    for (std::size_t l = 0; l < sizes.size(); ++l) {
        s += (l ? sep : "") + std::to_string(sizes[l]);
    }
    return s;
}

CLI::Option* add_sizes(CLI::App& app, std::vector<std::size_t>& sizes, const SizesLimits& limits,
                       const std::string& help)
{
    const auto check = [limits](std::string& text) -> std::string {
        try {
            parse_sizes(text, limits);
        } catch (const BadInput& e) {
            return std::string(e.what()).substr(std::string("--sizes: ").size());
        }
        return std::string();
    };
    return app
        .add_option_function<std::string>(
            "--sizes", [&sizes, limits](const std::string& text) { sizes = parse_sizes(text, limits); }, help)
        ->check(CLI::Validator(check, ""))
        ->type_name("N,N,...")
        ->default_str(join_sizes(sizes, ","));
}

namespace {

// A check that turns a name into the number of its enumerator, so that CLI11 stores the
// enum; any other text (a number too) is refused with the valid names.
template <class Enum>
CLI::Validator names_of(const std::vector<Enum>& allowed)
{
    std::string list;
    for (std::size_t k = 0; k < allowed.size(); ++k) {
        list += (k == 0 ? "" : k + 1 == allowed.size() ? " or " : ", ") + backprop::name_of(allowed[k]);
    }
    return CLI::Validator(
        [allowed, list](std::string& text) -> std::string {
            for (Enum e : allowed) {
                if (backprop::name_of(e) == text) {
                    text = std::to_string(static_cast<int>(e));
                    return std::string();
                }
            }
            return "must be " + list + ", got " + quote(text);
        },
        "");
}

template <class Enum>
std::string type_name_of(const std::vector<Enum>& allowed)
{
    std::string s = "{";
    for (std::size_t k = 0; k < allowed.size(); ++k) {
        s += (k ? "," : "") + backprop::name_of(allowed[k]);
    }
    return s + "}";
}

}  // namespace

CLI::Option* add_activation(CLI::App& app, backprop::Activation& sigma, const std::string& help,
                            const std::string& name, const std::vector<backprop::Activation>& allowed)
{
    return app.add_option(name, sigma, help)
        ->transform(names_of(allowed))
        ->type_name(type_name_of(allowed))
        ->default_str(backprop::name_of(sigma));
}

CLI::Option* add_loss(CLI::App& app, backprop::Loss& loss, const std::string& help,
                      const std::vector<backprop::Loss>& allowed)
{
    return app.add_option("--loss", loss, help)
        ->transform(names_of(allowed))
        ->type_name(type_name_of(allowed))
        ->default_str(backprop::name_of(loss));
}

void require_compatible_after_parsing(Program& program, const backprop::Loss& loss,
                                      const backprop::Activation& output, const std::string& output_flag)
{
    program.after_parsing([&loss, &output, output_flag] {
        try {
            backprop::require_compatible(loss, output);
        } catch (const std::invalid_argument& e) {
            throw BadInput("--loss: " + std::string(e.what()) + "; choose another loss or " + output_flag);
        }
    });
}

int blas_threads() { return openblas_get_num_threads(); }

std::vector<std::size_t> parse_sizes(const std::string& text, std::size_t min_count, std::size_t max_count,
                                     std::size_t max_size)
{
    return parse_sizes(text, SizesLimits{min_count, max_count, max_size});
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

void require_directory(const std::string& dir, const std::string& flag) { check_output_directory(dir, flag); }

}  // namespace book

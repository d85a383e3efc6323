#include "book/model.hpp"

#include <cmath>
#include <cstdint>
#include <iterator>
#include <stdexcept>

#include "backprop/activation.hpp"
#include "book/files.hpp"
#include "book/json.hpp"

namespace book {

namespace {

constexpr const char* format_name = "backprop-by-the-book model";
constexpr int format_version = 1;

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& where)
{
    if (!j.is_object() || !j.contains(key)) {
        throw std::invalid_argument(where + " has no \"" + key + "\"");
    }
    return j.at(key);
}

}  // namespace

nlohmann::json model_to_json(const Model& model)
{
    const backprop::Network& net = model.net;
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        layers.push_back({{"activation", backprop::name_of(net.sigma[l])}, {"W", to_json(net.W[l])}, {"b", to_json(net.b[l])}});
    }
    return {{"format", format_name},
            {"version", format_version},
            {"sizes", net.sizes},
            {"feature_scale", model.feature_scale},
            {"layers", layers}};
}

Model model_from_json(const nlohmann::json& j)
{
    if (!j.is_object()) {
        throw std::invalid_argument("the model is not a JSON object");
    }
    const auto& format = field(j, "format", "the model");
    if (!format.is_string() || format.get<std::string>() != format_name) {
        throw std::invalid_argument(std::string("the model's \"format\" is not \"") + format_name + "\"");
    }
    const auto& version = field(j, "version", "the model");
    // Compared as a 64-bit number: as an int, 4294967297 would wrap around to 1.
    if (!version.is_number_integer() || version.get<std::int64_t>() != format_version) {
        throw std::invalid_argument("the model's \"version\" is not " + std::to_string(format_version));
    }
    const auto& sizes_json = field(j, "sizes", "the model");
    if (!sizes_json.is_array() || sizes_json.size() < 2) {
        throw std::invalid_argument("the model's \"sizes\" must be an array of at least two layer sizes");
    }
    std::vector<std::size_t> sizes;
    for (const auto& s : sizes_json) {
        if (!s.is_number_unsigned() || s.get<std::size_t>() == 0 || s.get<std::size_t>() > 100000) {
            throw std::invalid_argument("the model's \"sizes\" must be whole numbers from 1 to 100000");
        }
        sizes.push_back(s.get<std::size_t>());
    }
    Model model;
    const auto& scale = field(j, "feature_scale", "the model");
    if (!scale.is_number() || !(scale.get<double>() > 0.0) || !std::isfinite(scale.get<double>())) {
        throw std::invalid_argument("the model's \"feature_scale\" must be a positive number");
    }
    model.feature_scale = scale.get<double>();
    const auto& layers = field(j, "layers", "the model");
    const std::size_t L = sizes.size() - 1;
    if (!layers.is_array() || layers.size() != L) {
        throw std::invalid_argument("the model's \"layers\" must be an array of " + std::to_string(L) +
                                    " layers, one per size after the first");
    }
    backprop::Network& net = model.net;
    net.sizes = sizes;
    net.W.resize(L + 1);
    net.b.resize(L + 1);
    net.sigma.assign(L + 1, backprop::Activation::identity);
    for (std::size_t l = 1; l <= L; ++l) {
        const std::string where = "layer " + std::to_string(l) + " of the model";
        const auto& layer = layers[l - 1];
        const auto& act = field(layer, "activation", where);
        if (!act.is_string()) {
            throw std::invalid_argument(where + ": \"activation\" must be a name");
        }
        net.sigma[l] = backprop::activation_from_name(act.get<std::string>());
        try {
            net.W[l] = matrix_from_json(field(layer, "W", where));
            net.b[l] = matrix_from_json(field(layer, "b", where));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(where + ": " + e.what());
        }
    }
    backprop::require_consistent(net);  // every W and b fits the sizes
    return model;
}

void save_model(const Model& model, const std::string& path)
{
    write_file(path, model_to_json(model).dump(1) + "\n");
}

Model parse_model(const std::string& text, const std::string& name)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::invalid_argument(name + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception& e) {  // out_of_range.406: a number beyond a double, 1e400
        throw std::invalid_argument(name + ": not valid JSON (" + e.what() + ")");
    }
    try {
        return model_from_json(j);
    } catch (const std::exception& e) {
        throw std::invalid_argument(name + ": " + e.what());
    }
}

Model load_model(const std::string& path, const std::string& flag)
{
    return parse_model(read_file(path, flag, largest_model_file), path);
}

}  // namespace book

// libFuzzer target for the model-JSON reader: book::model_from_json and book::parse_model
// (which book::load_model applies to a file's text).
//
// Inputs that parse as JSON go to model_from_json(); every input goes through
// parse_model(), which must agree with it. std::invalid_argument
// (ShapeError is one) is the documented answer to a bad model; anything else is a
// finding: a crash or sanitizer report, another exception type, or an accepted model that
// is not what the document says (format, version, sizes, scale, activations, W and b)
// or that does not survive model_to_json() and back unchanged.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "backprop/activation.hpp"
#include "backprop/network.hpp"
#include "book/model.hpp"

namespace {

[[noreturn]] void finding(const std::string& what)
{
    std::fprintf(stderr, "fuzz_model: %s\n", what.c_str());
    std::abort();
}

bool same(double a, double b) { return a == b && std::signbit(a) == std::signbit(b); }

// The accepted model says what the document says, entry by entry.
void check_matches_document(const book::Model& m, const nlohmann::json& j)
{
    const backprop::Network& net = m.net;
    if (j.at("format") != "backprop-by-the-book model") {
        finding("accepted a model whose \"format\" is " + j.at("format").dump());
    }
    if (j.at("version") != 1) {
        finding("accepted a model whose \"version\" is " + j.at("version").dump());
    }
    if (j.at("sizes") != nlohmann::json(net.sizes)) {
        finding("the sizes read, " + nlohmann::json(net.sizes).dump() + ", are not the document's " +
                j.at("sizes").dump());
    }
    if (!same(m.feature_scale, j.at("feature_scale").get<double>())) {
        finding("the feature scale read is not the document's");
    }
    try {
        backprop::require_consistent(net);
    } catch (const std::exception& e) {
        finding(std::string("accepted an inconsistent network: ") + e.what());
    }
    for (std::size_t l = 1; l <= net.depth(); ++l) {
        const nlohmann::json& layer = j.at("layers").at(l - 1);
        if (layer.at("activation") != backprop::name_of(net.sigma[l])) {
            finding("layer " + std::to_string(l) + "'s activation is not the document's");
        }
        for (std::size_t r = 0; r < net.W[l].shape(0); ++r) {
            for (std::size_t c = 0; c < net.W[l].shape(1); ++c) {
                if (!std::isfinite(net.W[l](r, c)) || !same(net.W[l](r, c), layer.at("W").at(r).at(c).get<double>())) {
                    finding("W^[" + std::to_string(l) + "] is not the document's");
                }
            }
            if (!std::isfinite(net.b[l](r, 0)) || !same(net.b[l](r, 0), layer.at("b").at(r).at(0).get<double>())) {
                finding("b^[" + std::to_string(l) + "] is not the document's");
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const char* text = reinterpret_cast<const char*>(data);
    const nlohmann::json j = nlohmann::json::parse(text, text + size, nullptr, false);

    std::optional<book::Model> model;
    if (!j.is_discarded()) {
        try {
            model = book::model_from_json(j);
        } catch (const std::invalid_argument&) {
            // the documented answer to a bad model
        } catch (const std::exception& e) {
            finding(std::string("model_from_json threw something other than std::invalid_argument: ") + e.what());
        }
    }
    if (model) {
        check_matches_document(*model, j);
        // Saved and read back, it is the same model.
        const nlohmann::json saved = book::model_to_json(*model);
        try {
            const book::Model again = book::model_from_json(nlohmann::json::parse(saved.dump(1)));
            if (book::model_to_json(again) != saved) {
                finding("a model written by model_to_json() reads back different: " + saved.dump());
            }
        } catch (const std::exception& e) {
            finding(std::string("a model written by model_to_json() does not read back: ") + e.what());
        }
    }

    // parse_model, which load_model() applies to a file's text, agrees and names the file.
    const std::string name = "fuzz.json";
    try {
        const book::Model parsed = book::parse_model(std::string(text, size), name);
        if (!model || book::model_to_json(parsed) != book::model_to_json(*model)) {
            finding("parse_model and model_from_json disagree");
        }
    } catch (const std::invalid_argument& e) {
        if (model) {
            finding(std::string("parse_model rejected a model that model_from_json accepts: ") + e.what());
        }
        if (std::string(e.what()).rfind(name + ": ", 0) != 0) {
            finding(std::string("parse_model's error does not name the file: ") + e.what());
        }
    } catch (const std::exception& e) {
        finding(std::string("parse_model threw something other than std::invalid_argument: ") + e.what());
    }
    return 0;
}

/// \file model.hpp
/// \brief Saving a trained network as JSON and reading it back. \see ch08_training
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "backprop/network.hpp"

namespace book {

/// A trained network and what is needed to use it on raw data.
struct Model {
    backprop::Network net;       ///< sizes, weights, biases and activations
    double feature_scale = 1.0;  ///< raw features are divided by this before the forward pass
};

/// The model as a JSON document:
/// `{"format": "backprop-by-the-book model", "version": 1, "sizes": [...],
///   "feature_scale": s, "layers": [{"activation": "tanh", "W": [[...]], "b": [[...]]}, ...]}`
/// with one entry of `layers` for each layer \f$ l = 1..L \f$ and matrices as arrays of rows.
nlohmann::json model_to_json(const Model& model);

/// The model written by model_to_json().
/// \throws std::invalid_argument naming what is wrong: a missing or mistyped field, an
/// unknown format, version or activation, a size of 0, or a matrix whose shape does
/// not fit the sizes
Model model_from_json(const nlohmann::json& j);

/// Writes the model to \p path atomically (a temporary file, then a rename), so a
/// killed run never leaves a truncated model.
/// \throws std::runtime_error if the file cannot be written
void save_model(const Model& model, const std::string& path);

/// Reads a model from \p path.
/// \throws std::invalid_argument naming the file for a missing file, malformed JSON
/// (with the byte where parsing stopped) or a document model_from_json() rejects
Model load_model(const std::string& path);

}  // namespace book

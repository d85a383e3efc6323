/// \file model.hpp
/// \brief Saving a trained network as JSON and reading it back. \see ch08_training
#pragma once

#include <cstddef>
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

/// The largest model file load_model() reads: 256 MiB, far above the largest network
/// ch08_training trains.
inline constexpr std::size_t largest_model_file = std::size_t{256} << 20;

/// Writes the model to \p path with book::write_file(): a killed run never leaves a
/// truncated model, and a device or directory is refused.
/// \throws FileError if the file cannot be written
void save_model(const Model& model, const std::string& path);

/// The model in the JSON text \p text; \p name (the file's) starts every message.
/// \throws std::invalid_argument naming \p name for malformed JSON (with the byte where
/// parsing stopped) or a document model_from_json() rejects
Model parse_model(const std::string& text, const std::string& name);

/// Reads a model from \p path (given with \p flag) with book::read_file(), then parse_model().
/// \throws FileError for a file that cannot be read (missing, a directory, a FIFO, too
/// large); std::invalid_argument as parse_model()
Model load_model(const std::string& path, const std::string& flag = "--load");

}  // namespace book

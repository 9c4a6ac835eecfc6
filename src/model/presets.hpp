// Published architectures as data: one row per model, each with its source.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace llmst {

struct ModelPreset {
  std::string id;      // "llama-2-7b": the name used by the CLI, URL and JS API
  std::string label;   // "Llama 2 7B"
  std::string source;  // the config.json (or paper) the numbers come from
  ModelConfig config;
};

const std::vector<ModelPreset>& model_presets();

// nullptr when id names no preset.
const ModelPreset* find_model_preset(std::string_view id);

}  // namespace llmst

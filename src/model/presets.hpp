// Published architectures as data: one row per model, each with its source.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace llmst {

struct ModelPreset {
  std::string id;              // "llama-2-7b": the name used by the CLI, URL and JS API
  std::string label;           // "Llama 2 7B"
  std::string source;          // the config.json (or paper) the numbers come from
  ModelConfig config;          // import_hf_config(config_json).config
  std::string config_json;     // the record, as config.json text
  std::string weights_format;  // the checkpoint's own format (quantization_config), or ""
  std::string weights_keep;    // components that format leaves in bf16 (the plan's weights_keep)
  bool imported = false;       // the record imported without error (a test checks every row)
};

const std::vector<ModelPreset>& model_presets();

// nullptr when id names no preset.
const ModelPreset* find_model_preset(std::string_view id);

}  // namespace llmst

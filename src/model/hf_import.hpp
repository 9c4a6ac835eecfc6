// Reads a Hugging Face config.json into a ModelConfig, with each model type's
// real field names and the defaults its transformers config class applies.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace llmst {

struct HfImport {
  Status status;  // field: the config.json key at fault ("hidden_size")
  ModelConfig config;
  // Every value not read from the file: "num_key_value_heads: 32 (default)".
  std::vector<std::string> assumed;
  std::string model_type;  // as written in the file ("" when absent)
};

// Known types: llama, mistral, mixtral, qwen2, gemma, gpt2, falcon, phi3.
// Others are read as llama-style, and `assumed` says so.
HfImport import_hf_config(std::string_view text);

// The model types import_hf_config() knows by name.
const std::vector<std::string>& hf_model_types();

}  // namespace llmst

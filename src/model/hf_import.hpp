// Reads a Hugging Face config.json into a ModelConfig, with each model type's
// real field names and the defaults its transformers config class applies
// (docs/model.md lists every type and the classes the defaults come from).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace llmst {

struct HfImport {
  Status status;  // field: the config.json key at fault ("hidden_size", "text_config.head_dim")
  ModelConfig config;
  // Every value not read from the file: "num_key_value_heads: 32 (default)".
  std::vector<std::string> assumed;
  std::string model_type;  // as written in the file ("" when absent)
  // The checkpoint's own weight format from quantization_config: "fp8_block"
  // (DeepSeek, 128x128 blocks), "mxfp4" (gpt-oss experts), or "" when absent.
  std::string weights_format;
  std::vector<std::string> weights_format_exceptions;  // modules_to_not_convert, as written
  // The components those exceptions (or the format's practice) keep in bf16, as
  // the plan's weights_keep names them: "attention,router,embedding,lm_head".
  std::string weights_keep;
};

// Known types are listed by hf_model_types(). A type not known is read as
// the known type whose transformers class its `architectures` names (Kimi K2's
// "kimi_k2" runs DeepseekV3ForCausalLM), else llama-style (and `assumed` says
// so) only when none of its keys could change the counts; otherwise it is
// refused, naming those keys.
HfImport import_hf_config(std::string_view text);

// The model types import_hf_config() knows by name.
const std::vector<std::string>& hf_model_types();

// Deepest nesting of objects and arrays a config.json may have: real ones
// nest 3 levels; the limit keeps the parser's recursion bounded.
inline constexpr int kMaxConfigDepth = 32;

}  // namespace llmst

// Model weight bytes under a quantization format, per component, with mixed
// precision (e.g. embeddings and LM head fp16, the rest int4).
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"
#include "quant/formats.hpp"

namespace llmst {

// Parameter counts per component (from the model area's count_params, or typed in).
struct ParamGroups {
  double embedding = 0;  // token (+ learned position) embeddings
  double attention = 0;  // Q, K, V, O (+ biases), all layers
  double ffn = 0;        // up, gate, down (+ biases, router), all layers and experts
  double norms = 0;      // norm weights (+ biases)
  double lm_head = 0;    // 0 when tied to the embedding
};

struct QuantSizeInput {
  ParamGroups params;
  QuantSpec spec;  // the default for every component
  // Per-component format overrides; "" uses spec.format. Layout, group and
  // scale dtype are shared. Norms stay fp32 by default, as llama.cpp stores
  // them (its converters keep 1-D tensors in F32).
  std::string embedding_format;
  std::string attention_format;
  std::string ffn_format;
  std::string norms_format = "fp32";
  std::string lm_head_format;
};

struct ComponentSize {
  std::string component;  // embedding, attention, ffn, norms, lm_head
  std::string format;
  double params = 0;
  double bits_per_weight = 0;
  double bytes = 0;
  double share = 0;  // of total bytes
};

struct QuantSizeResult {
  Status status;
  BitsPerWeight bits;  // of spec (the default format)
  std::vector<ComponentSize> components;
  double total_params = 0;
  double bytes = 0;               // total weights bytes, mixed precision included
  double bits_per_weight = 0;     // average over all parameters: bytes · 8 / params
  double fp16_bytes = 0;          // the same model at 16 bits
  double saving_vs_fp16 = 0;      // 1 - bytes / fp16_bytes
};

QuantSizeResult quant_size(const QuantSizeInput& input);

// The model area's exact counts grouped for sizing: position embeddings join
// the embedding, the MoE router joins the FFN. Fails with validate_model's Status.
struct ModelParamGroups {
  Status status;
  ParamGroups params;
  double total = 0;
};
ModelParamGroups param_groups_of_model(const ModelConfig& config);

// The seed's decision matrix as data: each row links a format to the lab
// measurement that checks its "quality" claim.
struct QuantDecisionRow {
  std::string technique;
  std::string format;         // a format id the lab can run
  double group_size = 0;
  double memory_saved = 0;    // vs fp16, from bits_per_weight (computed)
  std::string compute_overhead;
  std::string quality;        // what the seed claims
  std::string measure;        // what the lab measures to check it
};
std::vector<QuantDecisionRow> quant_decision_matrix();

}  // namespace llmst

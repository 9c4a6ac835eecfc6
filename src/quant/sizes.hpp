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
  double ffn = 0;        // up, gate, down (+ biases), all layers and experts
  double norms = 0;      // norm weights (+ biases), QK-norms, attention sinks
  double lm_head = 0;    // 0 when tied to the embedding
  double router = 0;     // MoE routers (+ biases, gates): checkpoints keep them in bf16
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
  std::string router_format;
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
  double bytes = 0;            // total weights bytes, mixed precision included
  double bits_per_weight = 0;  // average over all parameters: bytes · 8 / params
  double fp16_bytes = 0;       // the same model at 16 bits
  double saving_vs_fp16 = 0;   // 1 - bytes / fp16_bytes
};

QuantSizeResult quant_size(const QuantSizeInput& input);

// The model area's exact counts grouped for sizing: position embeddings join
// the embedding; MTP modules, the vision tower and the projector join the FFN
// (quantized like the layers). Fails with validate_model's Status.
struct ModelParamGroups {
  Status status;
  ParamGroups params;
  double total = 0;
};
ModelParamGroups param_groups_of_model(const ModelConfig& config);
struct ModelParams;
ParamGroups param_groups_of(const ModelParams& params, bool with_mtp);

// A deployment's weights: one format for the layers, some components kept in
// bf16, and the format's scales as practice stores them. The Plan, Roofline
// and Quantization panels size weights with this one description.
struct WeightsFormat {
  std::string format = "fp16";       // a quant format id or a plain dtype ("fp8" = fp8_e4m3)
  double group_size = 0;             // 0: the format's usual group: 128 for int4/int8 (GPTQ, AWQ), 64 for nf4 (QLoRA)
  std::string scale_dtype = "fp16";  // GPTQ and AWQ store fp16 scales
  std::string keep;                  // components kept in bf16, comma-separated: embedding, attention, router, lm_head
  double bits = 0;                   // > 0: every component at this many bits (overrides the rest)
};

// Bytes per weight of each component under `format` (norms: 16 bits when the
// format is narrower, as GPTQ/AWQ/FP8 checkpoints keep 1-D tensors).
struct WeightsBytes {
  Status status;
  std::string format;          // resolved quant format id
  double bits_per_weight = 0;  // of the format itself, scales included
  double embedding = 0, attention = 0, ffn = 0, router = 0, norms = 0, lm_head = 0;  // bytes per weight
  QuantSizeResult size;  // the whole model under this format
};
WeightsBytes weights_bytes(const ParamGroups& params, const WeightsFormat& format);

// The seed's decision matrix as data: each row links a format to the lab
// measurement that checks its "quality" claim.
struct QuantDecisionRow {
  std::string technique;
  std::string format;  // a format id the lab can run
  double group_size = 0;
  double memory_saved = 0;  // vs fp16, from bits_per_weight (computed)
  std::string compute_overhead;
  std::string quality;  // what the seed claims
  std::string measure;  // what the lab measures to check it
};
std::vector<QuantDecisionRow> quant_decision_matrix();

}  // namespace llmst

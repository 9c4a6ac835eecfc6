// Everything the Model panel and `llm-spacetime model` show, in one call.
#pragma once
#include <string>
#include <vector>

#include "model/flops.hpp"
#include "model/params.hpp"

namespace llmst {

// Weights at a plain storage type (no quantization scales): total params * bits / 8.
struct WeightsMemory {
  std::string dtype;  // "fp16"
  std::string label;  // "FP16"
  double bits = 0;
  double bytes = 0;         // all parameters
  double active_bytes = 0;  // the parameters one token reads (MoE: top_k experts)
};
std::vector<WeightsMemory> weights_memory(const ModelParams& params);

// Largest context the report accepts (2^30 tokens): n(n+1)/2 pairs stay exact in doubles.
inline constexpr double kMaxContextTokens = 1073741824;

struct ModelReport {
  Status status;
  ModelConfig config;  // validated, head_dim resolved
  ModelParams params;
  std::vector<WeightsMemory> weights_memory;
  DecodeFlops decode;    // one token at context_tokens
  PrefillFlops prefill;  // a causal prefill of context_tokens tokens
  Crossover crossover;
  std::vector<AttentionSharePoint> attention_share_curve;  // 1 .. max(2^20, 4 n*) tokens
};

ModelReport model_report(const ModelConfig& config, double context_tokens);

}  // namespace llmst

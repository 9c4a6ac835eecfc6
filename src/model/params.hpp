// Exact parameter counts of a decoder-only transformer, split by part.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.hpp"

namespace llmst {

// One row of the parameter table. `per_layer` is 0 for parts outside the layers.
struct ParamPart {
  std::string id;      // "attention_q", "ffn", ...
  std::string label;   // "Attention Q", ...
  double per_layer = 0;
  double count = 0;    // all layers (all experts for the FFN)
  double percent = 0;  // of params.total
};

struct ModelParams {
  Status status;
  ModelConfig config;  // validated, head_dim resolved
  double q_dim = 0;    // n_heads * head_dim
  double kv_dim = 0;   // n_kv_heads * head_dim

  // Totals over all layers. The attention parts include their biases only
  // in attention_bias; the FFN parts include the MLP biases.
  double embedding = 0;           // vocab_size * d_model token table
  double position_embedding = 0;  // learned positions * d_model (GPT-2)
  double attention_q = 0;
  double attention_k = 0;
  double attention_v = 0;
  double attention_o = 0;
  double attention_bias = 0;
  double attention = 0;           // q + k + v + o + biases
  double ffn_per_expert = 0;      // one expert's MLP in one layer (weights + biases)
  double ffn = 0;                 // all experts, all layers
  double ffn_active = 0;          // experts_top_k experts, all layers
  double router = 0;              // d_model * n_experts per layer (0 when dense)
  double norms_per_layer = 0;
  double final_norm = 0;
  double norms = 0;               // all layers + final
  double lm_head = 0;             // 0 when tied to the embedding
  double per_layer = 0;           // one layer, all experts
  double per_layer_active = 0;    // one layer, top_k experts
  double total = 0;
  double active = 0;              // what one token touches: top_k experts
  double attention_percent = 0;   // attention / total * 100
  double ffn_percent = 0;         // ffn (all experts) / total * 100
  std::vector<ParamPart> parts;   // the table: every non-structural part with its share
};

// Exact counts (int64 inside). Fails with the Status of validate_model().
ModelParams count_params(const ModelConfig& config);

// Same, from an already validated config (head_dim resolved).
ModelParams count_params_validated(const ModelConfig& config);

}  // namespace llmst

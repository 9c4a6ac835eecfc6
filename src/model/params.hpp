// Exact parameter counts of a decoder-only transformer, split by part: the
// one place parameters are counted (the roofline, plan, training and quant
// areas all read these).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.hpp"

namespace llmst {

// One row of the parameter table. `per_layer` is 0 for parts outside the layers.
struct ParamPart {
  std::string id;     // "attention_q", "ffn", ...
  std::string label;  // "Attention Q", ...
  double per_layer = 0;
  double count = 0;    // all layers (all experts for the FFN)
  double percent = 0;  // of params.total
};

// The parameters of one layer kind, by part.
struct LayerParams {
  double q = 0, k = 0, v = 0, o = 0;  // MLA: q = q_a + q_b (or q_proj); k = kv_a + kv_b's K; v = kv_b's V
  double bias = 0;                    // q/k/v/o biases
  double attention_norms = 0;         // QK-norm weights; MLA's q_a and kv_a norms
  double sinks = 0;                   // one learned logit per head
  double indexer = 0;                 // DeepSeek Sparse Attention's lightning indexer (weights + its key norm)
  double attention = 0;               // all of the above
  double ffn_dense = 0;               // a dense layer's MLP (weights + biases)
  double expert = 0;                  // one routed expert (weights + biases)
  double experts = 0;                 // all routed experts
  double shared = 0;                  // the shared experts
  double router = 0;                  // router weight (+ bias, + score-correction bias, + shared-expert gate)
  double ffn = 0;                     // dense + experts + shared + router
  double ffn_active = 0;              // dense + top_k experts + shared + router
  double norms = 0;
  double total = 0;
  double active = 0;
  // Weights a token multiplies by (biases, norms and sinks left out): 2 FLOPs each.
  double attention_matrices = 0;   // q + k + v + o (+ the indexer's three matrices)
  double ffn_active_matrices = 0;  // dense, or top_k experts + shared + router and gate weights
};
LayerParams layer_params(const LayerSpec& layer, int64_t d_model);

// One layer kind of the stack, for the per-kind table.
struct LayerRunParams {
  std::string kind;  // "MoE · MLA · full", "dense · GQA · sliding 4096"
  double count = 0;  // layers of this kind
  double per_layer = 0;
  double per_layer_active = 0;
  double total = 0;  // count · per_layer
};

// Words for a layer kind: "dense" or "MoE", the attention kind and its span.
std::string describe_layer(const LayerSpec& layer);

struct ModelParams {
  Status status;
  ModelConfig config;  // validated, head_dim resolved
  double q_dim = 0;    // n_heads * head_dim
  double kv_dim = 0;   // n_kv_heads * head_dim

  // Totals over all layers of the main stack.
  double embedding = 0;           // vocab_size * d_model token table
  double position_embedding = 0;  // learned positions * d_model (GPT-2)
  double attention_q = 0;
  double attention_k = 0;
  double attention_v = 0;
  double attention_o = 0;
  double attention_bias = 0;
  double attention_norms = 0;  // QK-norms, MLA latent norms
  double attention_sinks = 0;
  double attention_indexer = 0;  // DeepSeek Sparse Attention's indexers
  double attention = 0;          // q + k + v + o + biases + norms + sinks + indexers
  double ffn_per_expert = 0;     // one routed expert of a MoE layer, or a dense layer's MLP
  double ffn_dense = 0;          // the dense layers' MLPs
  double ffn_experts = 0;        // every routed expert of every MoE layer
  double ffn_shared = 0;         // the shared experts
  double ffn = 0;                // dense + routed + shared (router apart)
  double ffn_active = 0;         // dense + top_k routed + shared
  double router = 0;             // routers with their biases and gates
  double norms_per_layer = 0;    // the first layer's
  double final_norm = 0;
  double norms = 0;                         // all layers + final
  double lm_head = 0;                       // 0 when tied to the embedding
  double per_layer = 0;                     // the largest layer kind, all experts
  double per_layer_active = 0;              // the same layer, top_k experts
  double language_model = 0;                // the decoder stack with its embedding and head
  double mtp = 0;                           // next-token-prediction modules (DeepSeek-V3), unique parameters
  double vision = 0;                        // vision tower
  double projector = 0;                     // multimodal projector
  double total = 0;                         // the whole checkpoint: language_model + mtp + vision + projector
  double active = 0;                        // what one token touches in the language model: top_k experts,
                                            // embedding and LM head included (the Mixtral convention)
  double attention_percent = 0;             // attention / total * 100
  double ffn_percent = 0;                   // ffn (all experts) / total * 100
  std::vector<ParamPart> parts;             // the table: every non-structural part with its share
  std::vector<LayerRunParams> layer_kinds;  // one row per kind of layer
};

// Exact counts. Fails with the Status of validate_model().
ModelParams count_params(const ModelConfig& config);

// Same, from a validated model.
ModelParams count_params_of(const ValidModel& model);

}  // namespace llmst

// A decoder-only transformer's architecture: the inputs every area shares.
//
// ModelConfig is the flat form that crosses the boundary (JS objects, CLI
// flags, URL state, presets and imported config.json all produce it). Sizes
// are doubles because they arrive from JS as numbers. validate_model() checks
// it once and returns a ValidModel: the same model as a list of layer kinds
// (LayerSpec, each with its count) in exact integers, which every quantity
// (parameters, KV bytes, FLOPs, operators) is a pure function of.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace llmst {

struct ModelConfig {
  std::string name = "custom";
  double vocab_size = 32000;
  double d_model = 4096;
  double n_layers = 32;
  double n_heads = 32;
  double n_kv_heads = 32;     // = n_heads: MHA; 1: MQA; in between: GQA
  double head_dim = 0;        // 0: implied d_model / n_heads (must divide); Gemma sets it
  double d_ff = 11008;        // dense layers' FFN width (and the experts' when moe_d_ff = 0)
  std::string ffn = "gated";  // "gated" (SwiGLU/GeGLU: gate, up, down) or "plain" (up, down)
  std::string norm = "rms";   // "rms" (weight) or "layer" (weight + bias)
  bool tied_embeddings = false;
  bool qkv_bias = false;
  bool attn_out_bias = false;
  bool mlp_bias = false;                   // dense MLP and routed experts (gpt-oss) carry biases
  double learned_position_embeddings = 0;  // positions of a learned table (GPT-2: 1024); 0: none (RoPE)
  bool parallel_attn_mlp = false;          // attention and MLP read the same normed input
  bool parallel_shared_norm =
      true;  // with parallel_attn_mlp: one norm per layer (GPT-J, Falcon-7B); false: two (Falcon-40B)
  bool sandwich_norms = false;      // Gemma 2/3: post-attention and post-FFN norms too (4 per layer)
  bool qk_norm = false;             // RMSNorm of head_dim on every Q and K head (Qwen3, Gemma 3)
  bool qk_norm_full_width = false;  // with qk_norm: one RMSNorm over the whole Q projection (n_heads x head_dim)
                                    // and one over K (n_kv_heads x head_dim) instead (MiniMax-M2)
  bool attention_sinks = false;     // gpt-oss: one learned logit per head per layer (parameters, not cached tokens)

  // Attention kind. "gqa" covers MHA/GQA/MQA; "mla" is DeepSeek's multi-head
  // latent attention, which caches kv_lora_rank + qk_rope_head_dim per token.
  std::string attention = "gqa";
  double q_lora_rank = 0;  // MLA: 0 = queries projected directly (DeepSeek-V2-Lite)
  double kv_lora_rank = 0;
  double qk_nope_head_dim = 0;
  double qk_rope_head_dim = 0;
  double v_head_dim = 0;
  // DeepSeek Sparse Attention (DeepSeek-V3.2; MLA with a query latent): a
  // lightning indexer of indexer_heads heads of indexer_head_dim scores every
  // cached token for each query, and the attention then reads only the
  // indexer_topk best of them. The cache still holds every token, plus the
  // indexer's own key per token. All three 0: dense attention.
  double indexer_heads = 0;
  double indexer_head_dim = 0;
  double indexer_topk = 0;

  // Which tokens each layer attends. layer_types lists one entry per layer,
  // comma-separated: "full", "sliding" (the last sliding_window tokens) or
  // "chunked" (tokens of the same attention_chunk). Empty: every layer is
  // "sliding" when sliding_window > 0, else "full".
  double sliding_window = 0;   // Mistral-7B v0.1: 4096
  double attention_chunk = 0;  // Llama 4: 8192
  std::string layer_types;

  // Mixture of experts. mlp_layer_types lists "dense" or "moe" per layer,
  // comma-separated; empty: every layer is MoE when n_experts > 1.
  double n_experts = 1;             // routed experts per MoE layer (1: dense)
  double experts_top_k = 1;         // routed experts each token uses
  double moe_d_ff = 0;              // one routed expert's width; 0: d_ff (Mixtral)
  double shared_experts = 0;        // experts every token uses (DeepSeek, Llama 4, Qwen2-MoE)
  double shared_expert_d_ff = 0;    // one shared expert's width; 0: the routed width
  bool shared_expert_gate = false;  // Qwen2-MoE: a sigmoid gate Linear(d_model, 1) on the shared expert
  bool router_bias = false;         // gpt-oss: the router Linear has a bias
  bool router_score_bias = false;   // DeepSeek-V3: e_score_correction_bias, one per expert
  std::string mlp_layer_types;

  // Parts outside the decoder stack, counted in the checkpoint's total.
  double mtp_modules = 0;             // DeepSeek-V3 next-token-prediction modules (num_nextn_predict_layers)
  bool mtp_embedding_copies = true;   // each MTP module stores its own copy of the embedding and the head
                                      // (DeepSeek-V3, GLM-4.5); false: it shares the main model's (GLM-5)
  double vision_params = 0;           // vision tower, counted from the config's vision_config
  double projector_params = 0;        // the multimodal projector into d_model
  double vision_flops_per_image = 0;  // one image through the tower and the projector (import: from vision_config)
  double image_tokens = 0;            // context tokens each image becomes (Gemma 3, Llama 4: 256)
};

// Largest model accepted (1e15 parameters): ~2,500x the largest published
// dense model, and far below where int64 counts or doubles lose exactness.
inline constexpr double kMaxModelParams = 1e15;

// Which tokens a layer attends and caches.
enum class Span { full, window, chunk };

struct AttentionSpec {
  bool mla = false;
  int64_t heads = 0, kv_heads = 0, head_dim = 0;  // GQA (MLA: kv_heads = heads)
  int64_t q_lora_rank = 0, kv_lora_rank = 0, qk_nope_head_dim = 0, qk_rope_head_dim = 0, v_head_dim = 0;
  bool qkv_bias = false, out_bias = false, qk_norm = false, sinks = false;
  bool qk_norm_full_width = false;  // the Q and K norms span the whole projections, not one head
  Span span = Span::full;
  int64_t span_tokens = 0;  // the window or the chunk
  // DeepSeek Sparse Attention: the indexer's heads and head size, and the keys
  // each query then attends (min(cached, topk)); 0: dense.
  int64_t indexer_heads = 0, indexer_head_dim = 0, indexer_topk = 0;
  bool operator==(const AttentionSpec&) const = default;
};

struct FfnSpec {
  bool moe = false;
  int64_t width = 0;  // dense width, or one routed expert's width
  bool gated = true, bias = false;
  int64_t experts = 1, top_k = 1, shared_experts = 0, shared_width = 0;
  bool shared_gate = false, router_bias = false, router_score_bias = false;
  bool operator==(const FfnSpec&) const = default;
};

struct LayerSpec {
  AttentionSpec attention;
  FfnSpec ffn;
  int64_t norms = 2;        // norm modules in the layer (Gemma 2/3: 4; Falcon-7B: 1)
  bool layer_norm = false;  // LayerNorm (weight + bias) instead of RMSNorm (weight)
  bool operator==(const LayerSpec&) const = default;
};

// One kind of layer and how many layers of the stack are of that kind.
struct LayerRun {
  LayerSpec layer;
  int64_t count = 0;
};

// A checked model: trusted by every later stage, which does not re-validate.
struct ValidModel {
  ModelConfig config;  // head_dim resolved
  int64_t vocab = 0, d_model = 0, positions = 0, n_layers = 0;
  bool tied = false, layer_norm = false;
  std::vector<LayerRun> runs;  // distinct layer kinds, in order of first appearance
  int64_t mtp_modules = 0;
  bool mtp_embedding_copies = true;
  LayerSpec mtp_layer;  // the decoder layer inside each MTP module
  int64_t vision_params = 0, projector_params = 0;
  double vision_flops_per_image = 0;
  int64_t image_tokens = 0;
};

// The config checked (every field named on error) and described as layer runs.
struct ValidatedModel {
  Status status;
  ModelConfig config;
  ValidModel model;
};
ValidatedModel validate_model(const ModelConfig& config);

// "full", "sliding" or "chunked": the word layer_types uses for a span.
const char* span_word(Span span);

}  // namespace llmst

// A decoder-only transformer's architecture: the inputs every area shares.
// Sizes are doubles because they arrive from JS as numbers; validate_model()
// checks each is a whole number in range before anything is computed.
#pragma once
#include <cstdint>
#include <string>

#include "core/status.hpp"

namespace llmst {

struct ModelConfig {
  std::string name = "custom";
  double vocab_size = 32000;
  double d_model = 4096;
  double n_layers = 32;
  double n_heads = 32;
  double n_kv_heads = 32;    // = n_heads: MHA; 1: MQA; in between: GQA
  double head_dim = 0;       // 0: implied d_model / n_heads (must divide); Gemma sets it
  double d_ff = 11008;       // per expert for MoE
  std::string ffn = "gated"; // "gated" (SwiGLU/GeGLU: gate, up, down) or "plain" (up, down)
  std::string norm = "rms";  // "rms" (weight) or "layer" (weight + bias)
  bool tied_embeddings = false;
  bool qkv_bias = false;
  bool attn_out_bias = false;
  bool mlp_bias = false;
  double learned_position_embeddings = 0;  // positions of a learned table (GPT-2: 1024); 0: none (RoPE)
  bool parallel_attn_mlp = false;  // attention and MLP read the same normed input
  bool parallel_shared_norm = true;  // with parallel_attn_mlp: one norm per layer (GPT-J, Falcon-7B); false: two (Falcon-40B)
  double n_experts = 1;      // 1: dense
  double experts_top_k = 1;  // experts each token is routed to
  double sliding_window = 0; // 0: full attention (Mistral-7B v0.1: 4096)
};

// Largest model accepted (1e15 parameters): ~2,500x the largest published
// dense model, and far below where int64 counts or doubles lose exactness.
inline constexpr double kMaxModelParams = 1e15;

// The config with head_dim resolved, or a Status naming the first bad field.
struct ValidatedModel {
  Status status;
  ModelConfig config;
};
ValidatedModel validate_model(const ModelConfig& config);

}  // namespace llmst

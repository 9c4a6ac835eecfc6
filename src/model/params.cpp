#include "model/params.hpp"

namespace llmst {

ModelParams count_params(const ModelConfig& config) {
  ValidatedModel validated = validate_model(config);
  if (!validated.status.ok) {
    ModelParams failed;
    failed.status = validated.status;
    failed.config = config;
    return failed;
  }
  return count_params_validated(validated.config);
}

ModelParams count_params_validated(const ModelConfig& c) {
  // validate_model() bounded the total below 1e15, so no product overflows int64.
  const int64_t vocab = static_cast<int64_t>(c.vocab_size);
  const int64_t d = static_cast<int64_t>(c.d_model);
  const int64_t layers = static_cast<int64_t>(c.n_layers);
  const int64_t head_dim = static_cast<int64_t>(c.head_dim);
  const int64_t q_dim = static_cast<int64_t>(c.n_heads) * head_dim;
  const int64_t kv_dim = static_cast<int64_t>(c.n_kv_heads) * head_dim;
  const int64_t d_ff = static_cast<int64_t>(c.d_ff);
  const int64_t experts = static_cast<int64_t>(c.n_experts);
  const int64_t top_k = static_cast<int64_t>(c.experts_top_k);
  const bool gated = c.ffn == "gated";

  // One layer. Q, K, V: d -> q_dim, kv_dim, kv_dim; O: q_dim -> d.
  const int64_t q = d * q_dim, k = d * kv_dim, v = d * kv_dim, o = q_dim * d;
  const int64_t attention_bias = (c.qkv_bias ? q_dim + 2 * kv_dim : 0) + (c.attn_out_bias ? d : 0);
  // Gated (SwiGLU/GeGLU): gate and up d -> d_ff, down d_ff -> d. Plain: up, down.
  const int64_t ffn_matrices = (gated ? 3 : 2) * d * d_ff;
  const int64_t ffn_biases = c.mlp_bias ? (gated ? 2 : 1) * d_ff + d : 0;
  const int64_t ffn_per_expert = ffn_matrices + ffn_biases;
  const int64_t router = experts > 1 ? d * experts : 0;  // Mixtral: gate Linear(d, experts), no bias
  // RMSNorm has a weight per channel; LayerNorm a weight and a bias.
  const int64_t norm = (c.norm == "layer" ? 2 : 1) * d;
  const int64_t norms_in_layer = c.parallel_attn_mlp && c.parallel_shared_norm ? 1 : 2;
  const int64_t norms_per_layer = norms_in_layer * norm;
  const int64_t attention = q + k + v + o + attention_bias;
  const int64_t per_layer = attention + experts * ffn_per_expert + router + norms_per_layer;
  const int64_t per_layer_active = attention + top_k * ffn_per_expert + router + norms_per_layer;

  const int64_t embedding = vocab * d;
  const int64_t position_embedding = static_cast<int64_t>(c.learned_position_embeddings) * d;
  const int64_t lm_head = c.tied_embeddings ? 0 : vocab * d;
  const int64_t outside = embedding + position_embedding + norm + lm_head;
  const int64_t total = outside + layers * per_layer;
  const int64_t active = outside + layers * per_layer_active;

  ModelParams p;
  p.config = c;
  p.q_dim = static_cast<double>(q_dim);
  p.kv_dim = static_cast<double>(kv_dim);
  auto all = [&](int64_t per) { return static_cast<double>(layers * per); };
  p.embedding = static_cast<double>(embedding);
  p.position_embedding = static_cast<double>(position_embedding);
  p.attention_q = all(q);
  p.attention_k = all(k);
  p.attention_v = all(v);
  p.attention_o = all(o);
  p.attention_bias = all(attention_bias);
  p.attention = all(attention);
  p.ffn_per_expert = static_cast<double>(ffn_per_expert);
  p.ffn = all(experts * ffn_per_expert);
  p.ffn_active = all(top_k * ffn_per_expert);
  p.router = all(router);
  p.norms_per_layer = static_cast<double>(norms_per_layer);
  p.final_norm = static_cast<double>(norm);
  p.norms = all(norms_per_layer) + static_cast<double>(norm);
  p.lm_head = static_cast<double>(lm_head);
  p.per_layer = static_cast<double>(per_layer);
  p.per_layer_active = static_cast<double>(per_layer_active);
  p.total = static_cast<double>(total);
  p.active = static_cast<double>(active);
  p.attention_percent = 100.0 * p.attention / p.total;
  p.ffn_percent = 100.0 * p.ffn / p.total;

  auto part = [&](std::string id, std::string label, int64_t per, double count) {
    p.parts.push_back({std::move(id), std::move(label), static_cast<double>(per), count,
                       100.0 * count / p.total});
  };
  part("embedding", "Token embedding", 0, p.embedding);
  if (position_embedding > 0) part("position_embedding", "Position embedding", 0, p.position_embedding);
  part("attention_q", "Attention Q", q, p.attention_q);
  part("attention_k", "Attention K", k, p.attention_k);
  part("attention_v", "Attention V", v, p.attention_v);
  part("attention_o", "Attention O", o, p.attention_o);
  if (attention_bias > 0) part("attention_bias", "Attention biases", attention_bias, p.attention_bias);
  part("ffn", experts > 1 ? "FFN (all experts)" : "FFN", experts * ffn_per_expert, p.ffn);
  if (router > 0) part("router", "Router", router, p.router);
  part("norms", "Norms (layers + final)", norms_per_layer, p.norms);
  part("lm_head", c.tied_embeddings ? "LM head (tied)" : "LM head", 0, p.lm_head);
  return p;
}

}  // namespace llmst

#include "model/params.hpp"

#include <algorithm>

#include "core/status.hpp"

namespace llmst {

// Counts are doubles: every product and sum here is a whole number below the
// 1e15 total that validate_model() enforces, so below 2^53 and exact.
LayerParams layer_params(const LayerSpec& layer, int64_t d_model) {
  const AttentionSpec& a = layer.attention;
  const FfnSpec& f = layer.ffn;
  const double d = static_cast<double>(d_model);
  const double heads = static_cast<double>(a.heads);
  LayerParams p;
  if (a.mla) {
    // DeepSeek-V2/V3 (modeling_deepseek_v3.py): q_a_proj d -> q_lora, q_a_layernorm,
    // q_b_proj q_lora -> heads (nope + rope), or q_proj d -> heads (nope + rope) when
    // q_lora_rank is absent; kv_a_proj_with_mqa d -> kv_lora + rope, kv_a_layernorm,
    // kv_b_proj kv_lora -> heads (nope + v); o_proj heads v -> d.
    const double qk_head = static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
    const double q_lora = static_cast<double>(a.q_lora_rank), kv_lora = static_cast<double>(a.kv_lora_rank);
    p.q = q_lora > 0 ? d * q_lora + q_lora * heads * qk_head : d * heads * qk_head;
    p.k = d * (kv_lora + static_cast<double>(a.qk_rope_head_dim)) +
          kv_lora * heads * static_cast<double>(a.qk_nope_head_dim);
    p.v = kv_lora * heads * static_cast<double>(a.v_head_dim);
    p.o = heads * static_cast<double>(a.v_head_dim) * d;
    p.bias =
        (a.qkv_bias ? heads * qk_head + kv_lora + static_cast<double>(a.qk_rope_head_dim) : 0) + (a.out_bias ? d : 0);
    p.attention_norms = q_lora + kv_lora;
  } else {
    const double q_dim = heads * static_cast<double>(a.head_dim);
    const double kv_dim = static_cast<double>(a.kv_heads) * static_cast<double>(a.head_dim);
    p.q = d * q_dim;
    p.k = d * kv_dim;
    p.v = d * kv_dim;
    p.o = q_dim * d;
    p.bias = (a.qkv_bias ? q_dim + 2 * kv_dim : 0) + (a.out_bias ? d : 0);
    // Qwen3 and Gemma 3: one RMSNorm of head_dim shared by every Q head, one by
    // every K head; MiniMax-M2: one over the whole Q projection, one over K.
    p.attention_norms = !a.qk_norm ? 0 : a.qk_norm_full_width ? q_dim + kv_dim : 2 * static_cast<double>(a.head_dim);
  }
  p.sinks = a.sinks ? heads : 0;
  // DeepSeek-V3.2's lightning indexer (inference/model.py, Indexer): wq_b from
  // the query latent q_lora -> heads x dim, wk d -> dim, weights_proj d -> heads
  // (no biases), and k_norm, a LayerNorm of dim (weight + bias).
  const double indexer_dim = static_cast<double>(a.indexer_head_dim);
  const double indexer_matrices =
      a.indexer_heads > 0 ? static_cast<double>(a.q_lora_rank) * static_cast<double>(a.indexer_heads) * indexer_dim +
                                d * indexer_dim + d * static_cast<double>(a.indexer_heads)
                          : 0;
  p.indexer = a.indexer_heads > 0 ? indexer_matrices + 2 * indexer_dim : 0;
  p.attention_matrices = p.q + p.k + p.v + p.o + indexer_matrices;
  p.attention = p.q + p.k + p.v + p.o + p.bias + p.attention_norms + p.sinks + p.indexer;

  // An MLP of width w: gate and up d -> w, down w -> d (plain: up, down).
  auto mlp = [&](int64_t width) {
    const double w = static_cast<double>(width);
    return (f.gated ? 3 : 2) * d * w + (f.bias ? (f.gated ? 2 : 1) * w + d : 0);
  };
  if (f.moe) {
    const double experts = static_cast<double>(f.experts);
    p.expert = f.experts > 0 ? mlp(f.width) : 0;
    p.experts = f.experts > 1 ? experts * p.expert : 0;
    // Shared experts never carry biases in any released model (DeepSeek, Qwen2-MoE, Llama 4).
    const double shared_width = static_cast<double>(f.shared_width * f.shared_experts);
    p.shared = (f.gated ? 3 : 2) * d * shared_width;
    // Router Linear(d, experts); gpt-oss adds its bias, DeepSeek-V3 a score-correction
    // bias per expert, Qwen2-MoE a Linear(d, 1) gate on the shared expert.
    p.router = (f.experts > 1 ? d * experts + (f.router_bias ? experts : 0) + (f.router_score_bias ? experts : 0) : 0) +
               (f.shared_gate ? d : 0);
    p.ffn = p.experts + p.shared + p.router;
    p.ffn_active = (f.experts > 1 ? static_cast<double>(f.top_k) * p.expert : 0) + p.shared + p.router;
    const double expert_matrices = (f.gated ? 3 : 2) * d * static_cast<double>(f.width);
    p.ffn_active_matrices = (f.experts > 1 ? static_cast<double>(f.top_k) * expert_matrices + d * experts : 0) +
                            p.shared + (f.shared_gate ? d : 0);
  } else {
    p.ffn_dense = mlp(f.width);
    p.ffn = p.ffn_active = p.ffn_dense;
    p.ffn_active_matrices = (f.gated ? 3 : 2) * d * static_cast<double>(f.width);
  }
  // RMSNorm has a weight per channel; LayerNorm a weight and a bias.
  p.norms = static_cast<double>(layer.norms) * (layer.layer_norm ? 2 : 1) * d;
  p.total = p.attention + p.ffn + p.norms;
  p.active = p.attention + p.ffn_active + p.norms;
  return p;
}

std::string describe_layer(const LayerSpec& layer) {
  const AttentionSpec& a = layer.attention;
  std::string text = layer.ffn.moe ? "MoE" : "dense";
  text += a.mla ? " · MLA" : a.kv_heads == a.heads ? " · MHA" : a.kv_heads == 1 ? " · MQA" : " · GQA";
  text += std::string(" · ") + span_word(a.span);
  if (a.span != Span::full) text += " " + format_number(static_cast<double>(a.span_tokens));
  if (a.indexer_topk > 0) text += " · sparse top " + format_number(static_cast<double>(a.indexer_topk));
  return text;
}

ModelParams count_params(const ModelConfig& config) {
  ValidatedModel validated = validate_model(config);
  if (!validated.status.ok) {
    ModelParams failed;
    failed.status = validated.status;
    failed.config = config;
    return failed;
  }
  return count_params_of(validated.model);
}

ModelParams count_params_of(const ValidModel& m) {
  ModelParams p;
  p.config = m.config;
  const double d = static_cast<double>(m.d_model);
  const AttentionSpec& first = m.runs.front().layer.attention;
  // In doubles: an int64 product of two counts near their limits overflows (found by the fuzz driver).
  p.q_dim = static_cast<double>(first.heads) * static_cast<double>(first.head_dim);
  p.kv_dim = static_cast<double>(first.kv_heads) * static_cast<double>(first.head_dim);

  double largest = -1;
  for (const LayerRun& run : m.runs) {
    const LayerParams l = layer_params(run.layer, m.d_model);
    const double n = static_cast<double>(run.count);
    p.attention_q += n * l.q;
    p.attention_k += n * l.k;
    p.attention_v += n * l.v;
    p.attention_o += n * l.o;
    p.attention_bias += n * l.bias;
    p.attention_norms += n * l.attention_norms;
    p.attention_sinks += n * l.sinks;
    p.attention_indexer += n * l.indexer;
    p.attention += n * l.attention;
    p.ffn_dense += n * l.ffn_dense;
    p.ffn_experts += n * l.experts;
    p.ffn_shared += n * l.shared;
    p.ffn_active += n * (l.ffn_active - l.router);
    p.router += n * l.router;
    p.norms += n * l.norms;
    p.active += n * l.active;
    if (l.total > largest) {
      largest = l.total;
      p.per_layer = l.total;
      p.per_layer_active = l.active;
    }
    p.layer_kinds.push_back({describe_layer(run.layer), n, l.total, l.active, n * l.total});
  }
  p.ffn = p.ffn_dense + p.ffn_experts + p.ffn_shared;
  {
    const LayerParams l0 = layer_params(m.runs.front().layer, m.d_model);
    p.norms_per_layer = l0.norms;
    // A routed expert when the model has any, else the first layer's dense MLP.
    p.ffn_per_expert = l0.ffn_dense;
    for (const LayerRun& run : m.runs)
      if (run.layer.ffn.moe && run.layer.ffn.experts > 1) {
        p.ffn_per_expert = layer_params(run.layer, m.d_model).expert;
        break;
      }
  }

  const double norm = (m.layer_norm ? 2 : 1) * d;
  p.embedding = static_cast<double>(m.vocab) * d;
  p.position_embedding = static_cast<double>(m.positions) * d;
  p.final_norm = norm;
  p.norms += norm;
  p.lm_head = m.tied ? 0 : static_cast<double>(m.vocab) * d;
  const double outside = p.embedding + p.position_embedding + norm + p.lm_head;
  p.language_model = outside + p.attention + p.ffn + p.router + (p.norms - norm);
  p.active += outside;
  // DeepSeek-V3 MTP module (README_WEIGHTS.md; the checkpoint's model.layers.61):
  // enorm and hnorm of d, eh_proj 2d -> d, one decoder layer, the shared head's
  // norm, and copies of the embedding and the output head, which the checkpoint
  // stores again although they share the main model's values (GLM-5's does not).
  if (m.mtp_modules > 0)
    p.mtp = static_cast<double>(m.mtp_modules) * (3 * norm + 2 * d * d + layer_params(m.mtp_layer, m.d_model).total +
                                                  (m.mtp_embedding_copies ? 2 * static_cast<double>(m.vocab) * d : 0));
  p.vision = static_cast<double>(m.vision_params);
  p.projector = static_cast<double>(m.projector_params);
  p.total = p.language_model + p.mtp + p.vision + p.projector;
  p.attention_percent = 100.0 * p.attention / p.total;
  p.ffn_percent = 100.0 * p.ffn / p.total;

  auto part = [&](std::string id, std::string label, double per_layer, double count) {
    p.parts.push_back({std::move(id), std::move(label), per_layer, count, 100.0 * count / p.total});
  };
  const LayerParams l0 = layer_params(m.runs.front().layer, m.d_model);
  const bool uniform = m.runs.size() == 1;
  auto per = [&](double value) { return uniform ? value : 0; };
  part("embedding", "Token embedding", 0, p.embedding);
  if (p.position_embedding > 0) part("position_embedding", "Position embedding", 0, p.position_embedding);
  part("attention_q", first.mla ? "Attention Q (q_a + q_b)" : "Attention Q", per(l0.q), p.attention_q);
  part("attention_k", first.mla ? "Attention K (kv_a + kv_b's K)" : "Attention K", per(l0.k), p.attention_k);
  part("attention_v", first.mla ? "Attention V (kv_b's V)" : "Attention V", per(l0.v), p.attention_v);
  part("attention_o", "Attention O", per(l0.o), p.attention_o);
  if (p.attention_bias > 0) part("attention_bias", "Attention biases", per(l0.bias), p.attention_bias);
  if (p.attention_norms > 0)
    part("attention_norms", first.mla ? "Attention latent norms" : "QK norms", per(l0.attention_norms),
         p.attention_norms);
  if (p.attention_sinks > 0) part("attention_sinks", "Attention sinks", per(l0.sinks), p.attention_sinks);
  if (p.attention_indexer > 0)
    part("attention_indexer", "Sparse-attention indexer", per(l0.indexer), p.attention_indexer);
  const bool any_moe = p.ffn_experts > 0 || p.ffn_shared > 0;
  if (!any_moe || (p.ffn_dense == 0 && p.ffn_shared == 0)) {
    part("ffn", any_moe ? "FFN (all experts)" : "FFN", per(l0.ffn), p.ffn);
  } else {
    if (p.ffn_dense > 0) part("ffn_dense", "FFN (dense layers)", 0, p.ffn_dense);
    if (p.ffn_experts > 0) part("ffn_experts", "FFN (routed experts, all)", 0, p.ffn_experts);
    if (p.ffn_shared > 0) part("ffn_shared", "FFN (shared experts)", 0, p.ffn_shared);
  }
  if (p.router > 0) part("router", "Router", per(l0.router), p.router);
  part("norms", "Norms (layers + final)", per(l0.norms), p.norms);
  part("lm_head", m.tied ? "LM head (tied)" : "LM head", 0, p.lm_head);
  if (p.mtp > 0) part("mtp", "MTP modules (with their stored embedding and head copies)", 0, p.mtp);
  if (p.vision > 0) part("vision", "Vision tower", 0, p.vision);
  if (p.projector > 0) part("projector", "Multimodal projector", 0, p.projector);
  return p;
}

}  // namespace llmst

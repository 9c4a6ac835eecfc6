#include "model/explain.hpp"

#include <algorithm>
#include <functional>

namespace llmst {

namespace {

const std::string kVaswani = "Vaswani et al. 2017, \"Attention Is All You Need\" (Q, K, V, O projections; FFN)";
const std::string kGqa =
    "Ainslie et al. 2023, \"GQA: Training Generalized Multi-Query Transformer Models\" (K, V with n_kv_heads)";
const std::string kGlu = "Shazeer 2020, \"GLU Variants Improve Transformer\" (gated FFN: gate, up, down)";
const std::string kKaplan =
    "Kaplan et al. 2020, \"Scaling Laws for Neural Language Models\", Table 1 (2 FLOPs per weight per token; attention "
    "2 n_layer n_ctx d_attn)";
const std::string kDocs = "docs/model.md";

std::string n(double value) { return tex_number(value); }
const std::string kDeepSeek =
    "DeepSeek-AI 2024, \"DeepSeek-V2\", sec. 2.1 (MLA: latent KV, absorbed up-projections); src/model/params.cpp";

// Weights memory at each plain dtype: the same for every model.
void push_weights_memory(const ModelReport& report, std::vector<Explanation>& out) {
  const double total = report.params.total;
  for (const WeightsMemory& row : report.weights_memory)
    out.push_back({"weights." + row.dtype,
                   "Weights memory at " + row.label,
                   "W = N \\cdot b / 8",
                   "W = " + n(total) + " \\cdot " + n(row.bits) + " / 8 = " + n(row.bytes) + "\\ \\text{bytes}",
                   row.bytes,
                   "bytes",
                   {{"N", "total parameters", total, ""}, {"b", "bits per value of " + row.label, row.bits, "bits"}},
                   {"IEEE 754 (fp32: 32 bits, fp16: 16); bfloat16: 16 bits; OCP FP8: 8 bits", kDocs},
                   "Plain storage, no quantization scales (see the Quantization panel for those)."});
}

// The uniform formulas (one kind of GQA layer, two norms) hold for this model.
bool uniform_model(const ValidModel& m) {
  if (m.runs.size() != 1 || m.mtp_modules > 0 || m.vision_params > 0 || m.projector_params > 0) return false;
  const LayerSpec& l = m.runs.front().layer;
  return !l.attention.mla && !l.attention.qk_norm && !l.attention.sinks && l.norms <= 2 && l.ffn.shared_experts == 0 &&
         !l.ffn.router_bias && !l.ffn.router_score_bias;
}

// "3 \cdot 583,483,392 + 58 \cdot 11,507,286,272": a sum over the layer kinds.
std::string per_kind_sum(const ValidModel& m, const std::function<double(const LayerRun&)>& value) {
  std::string text;
  for (const LayerRun& run : m.runs)
    text += (text.empty() ? "" : " + ") + n(static_cast<double>(run.count)) + " \\cdot " + n(value(run));
  return text;
}

std::string kinds_note(const ValidModel& m) {
  std::string text = "Layer kinds: ";
  for (size_t i = 0; i < m.runs.size(); ++i)
    text += (i ? "; " : "") + std::to_string(m.runs[i].count) + " x " + describe_layer(m.runs[i].layer);
  return text + ".";
}

// The explanations of a model whose layers are not all one GQA kind: every
// formula is a sum over the layer kinds k, each with L_k layers.
std::vector<Explanation> explain_general(const ModelReport& report, const ValidModel& m) {
  const ModelParams& p = report.params;
  const double d = static_cast<double>(m.d_model);
  const std::string kinds = kinds_note(m);
  auto layer = [&](const LayerRun& run) { return layer_params(run.layer, m.d_model); };
  std::vector<Explanation> out;
  out.push_back(
      {"params.attention",
       "Attention parameters (all layer kinds)",
       "N_\\text{attn} = \\sum_k L_k\\,N_{\\text{attn},k}",
       "N_\\text{attn} = " + per_kind_sum(m, [&](const LayerRun& r) { return layer(r).attention; }) + " = " +
           n(p.attention),
       p.attention,
       "parameters",
       {{"L_k", "layers of kind k", 0, ""},
        {"N_{\\text{attn},k}", "one layer's attention: projections, biases, QK or latent norms, sinks", 0, ""}},
       {kVaswani, kGqa, kDeepSeek, kDocs},
       kinds + " MLA: q_a + q_b (or q_proj), kv_a, kv_b, o and the two latent norms."});
  out.push_back({"params.ffn",
                 "FFN parameters (dense layers, every routed and shared expert)",
                 "N_\\text{ffn} = \\sum_k L_k\\,N_{\\text{ffn},k}",
                 "N_\\text{ffn} = " +
                     per_kind_sum(m,
                                  [&](const LayerRun& r) {
                                    const LayerParams l = layer(r);
                                    return l.ffn - l.router;
                                  }) +
                     " = " + n(p.ffn),
                 p.ffn,
                 "parameters",
                 {{"N_{\\text{ffn},k}", "one layer's MLP, or all its routed experts plus shared ones", 0, ""}},
                 {kVaswani, kGlu, kDocs},
                 kinds + " Routers are counted apart (" + text_number(p.router) + ")."});
  out.push_back({"params.embedding",
                 "Token embedding parameters",
                 "N_\\text{emb} = V\\,d",
                 "N_\\text{emb} = " + n(static_cast<double>(m.vocab)) + " \\cdot " + n(d) + " = " + n(p.embedding),
                 p.embedding,
                 "parameters",
                 {{"V", "vocabulary size", static_cast<double>(m.vocab), "tokens"}, {"d", "hidden size", d, ""}},
                 {kVaswani, kDocs},
                 ""});
  out.push_back({"params.lm_head",
                 "LM head parameters",
                 m.tied ? "N_\\text{head} = 0" : "N_\\text{head} = V\\,d",
                 m.tied
                     ? "N_\\text{head} = 0"
                     : "N_\\text{head} = " + n(static_cast<double>(m.vocab)) + " \\cdot " + n(d) + " = " + n(p.lm_head),
                 p.lm_head,
                 "parameters",
                 {{"V", "vocabulary size", static_cast<double>(m.vocab), "tokens"}},
                 {kDocs},
                 m.tied ? "Tied: the logits reuse the embedding." : "Untied: a separate d x V output matrix."});
  out.push_back({"params.total",
                 "Total parameters (the checkpoint)",
                 "N = N_\\text{emb} + N_\\text{pos} + \\sum_k L_k\\,N_{\\text{layer},k} + N_\\text{norm} + "
                 "N_\\text{head} + N_\\text{mtp} + N_\\text{vision} + N_\\text{proj}",
                 "N = " + n(p.embedding) + " + " + n(p.position_embedding) + " + " +
                     per_kind_sum(m, [&](const LayerRun& r) { return layer(r).total; }) + " + " + n(p.final_norm) +
                     " + " + n(p.lm_head) + " + " + n(p.mtp) + " + " + n(p.vision) + " + " + n(p.projector) + " = " +
                     n(p.total),
                 p.total,
                 "parameters",
                 {{"N_{\\text{layer},k}", "one layer of kind k, all experts", 0, ""},
                  {"N_\\text{mtp}", "next-token-prediction modules", p.mtp, ""},
                  {"N_\\text{vision}", "vision tower", p.vision, ""},
                  {"N_\\text{proj}", "multimodal projector", p.projector, ""}},
                 {kVaswani, kDocs},
                 kinds + " Exact: doubles hold every partial sum below 2^53."});
  out.push_back({"params.active",
                 "Active parameters per token",
                 "N_\\text{active} = N_\\text{emb} + N_\\text{pos} + \\sum_k L_k\\,N_{\\text{active},k} + "
                 "N_\\text{norm} + N_\\text{head}",
                 "N_\\text{active} = " + n(p.embedding) + " + " + n(p.position_embedding) + " + " +
                     per_kind_sum(m, [&](const LayerRun& r) { return layer(r).active; }) + " + " + n(p.final_norm) +
                     " + " + n(p.lm_head) + " = " + n(p.active),
                 p.active,
                 "parameters",
                 {{"N_{\\text{active},k}", "one layer with top-k routed experts and the shared ones", 0, ""}},
                 {"Fedus et al. 2022, \"Switch Transformers\" (top-k routing)", kDocs},
                 "The Mixtral convention: embedding and LM head included; MTP modules and the vision tower left out."});
  push_weights_memory(report, out);
  const FlopSplit& dec = report.decode.split;
  const double ctx = report.decode.context_tokens;
  out.push_back(
      {"flops.decode",
       "Decode FLOPs per token",
       "F_\\text{dec} = F_\\text{proj} + \\sum_k L_k\\,s_k\\,n_k + F_\\text{ffn} + 2\\,d\\,V",
       "F_\\text{dec} = " + n(dec.attention_projections) + " + " +
           per_kind_sum(m, [&](const LayerRun& r) { return decode_score_flops(r.layer.attention, ctx); }) + " + " +
           n(dec.ffn) + " + " + n(dec.lm_head) + " = " + n(dec.total) + "\\ \\text{FLOPs}",
       dec.total,
       "FLOPs",
       {{"s_k", "score FLOPs per key in one layer: 4 h d_h (GQA), h (4 r_kv + 2 r_rope) (absorbed MLA)", 0, "FLOPs"},
        {"n_k", "keys a layer of kind k attends: n, min(n, w), ((n-1) mod c) + 1, or min(n, top-k) (sparse)", 0,
         "tokens"},
        {"s_k n_k", "sparse attention adds its indexer: 2 h_I (d_I + 1) FLOPs for each of the n cached keys", 0,
         "FLOPs"},
        {"F_\\text{proj}", "projections", dec.attention_projections, "FLOPs"},
        {"F_\\text{ffn}", "dense MLPs, top-k and shared experts, routers", dec.ffn, "FLOPs"},
        {"F_\\text{head}", "LM head", dec.lm_head, "FLOPs"}},
       {kKaplan, kDeepSeek, kDocs},
       kinds});
  const PrefillFlops& pre = report.prefill;
  out.push_back(
      {"flops.prefill",
       "Prefill FLOPs (causal)",
       "F_\\text{pre} = n\\,(F_\\text{proj} + F_\\text{ffn} + F_\\text{head}) + \\sum_k L_k\\,s_k\\,P_k",
       "F_\\text{pre} = " + n(pre.context_tokens) + " \\cdot (" + n(dec.attention_projections) + " + " + n(dec.ffn) +
           " + " + n(dec.lm_head) + ") + " +
           per_kind_sum(m,
                        [&](const LayerRun& r) { return prefill_score_flops(r.layer.attention, pre.context_tokens); }) +
           " = " + n(pre.split.total) + "\\ \\text{FLOPs}",
       pre.split.total,
       "FLOPs",
       {{"P_k", "causal (query, key) pairs of a layer of kind k (a sparse layer's indexer scores all n(n+1)/2)", 0,
         ""}},
       {kKaplan, kDocs},
       "Prefill(n) equals the sum of decode(i) for i = 1..n. " + kinds});
  const double value = report.crossover.exists ? report.crossover.context_tokens : 0;
  out.push_back(
      {"flops.crossover",
       "Decode crossover context",
       "F_\\text{proj} + \\sum_k L_k\\,s_k\\,\\min(n^*, c_k) = F_\\text{ffn}",
       report.crossover.exists ? "n^* = " + n(value) + "\\ \\text{tokens}" : "n^* = 0\\ (\\text{none})",
       value,
       "tokens",
       {{"c_k", "the window, chunk or sparse top-k of kind k (infinite for full layers and indexers)", 0, "tokens"}},
       {kDocs},
       report.crossover.exists
           ? "Solved on the piecewise-linear attention cost, segment by segment."
           : "No crossover: windows and chunks cap the scores below the FFN (the result reports none)."});
  return out;
}

}  // namespace

std::vector<Explanation> explain_model_report(const ModelReport& report) {
  const ValidatedModel validated = validate_model(report.config);
  if (validated.status.ok && !uniform_model(validated.model)) return explain_general(report, validated.model);
  const ModelConfig& c = report.config;
  const ModelParams& p = report.params;
  const bool gated = c.ffn == "gated";
  const bool moe = c.n_experts > 1;
  const double m = gated ? 3 : 2;
  const double layers = c.n_layers;
  const ExplainTerm V{"V", "vocabulary size", c.vocab_size, "tokens"};
  const ExplainTerm d{"d", "hidden size (d_model)", c.d_model, ""};
  const ExplainTerm L{"L", "layers", layers, ""};
  const ExplainTerm h{"h", "query heads", c.n_heads, ""};
  const ExplainTerm hkv{"h_{kv}", "key/value heads (GQA: fewer than h)", c.n_kv_heads, ""};
  const ExplainTerm dh{"d_h", "head dimension", c.head_dim, ""};
  const ExplainTerm dff{"d_{ff}", "FFN hidden size (per expert)", c.d_ff, ""};
  const ExplainTerm mm{"m", gated ? "FFN matrices: gated (gate, up, down)" : "FFN matrices: plain (up, down)", m, ""};
  std::vector<Explanation> out;

  // Attention parameters: Q, K, V, O per layer (GQA shrinks K and V).
  {
    const double bias = p.attention_bias / layers;
    Explanation e{"params.attention",
                  "Attention parameters",
                  "N_\\text{attn} = L\\,\\bigl(\\underbrace{d\\,h\\,d_h}_{Q} + "
                  "\\underbrace{2\\,d\\,h_{kv}\\,d_h}_{K,\\,V} + \\underbrace{h\\,d_h\\,d}_{O} + b_\\text{attn}\\bigr)",
                  "N_\\text{attn} = " + n(layers) + " \\cdot (" + n(c.d_model) + " \\cdot " + n(c.n_heads) +
                      " \\cdot " + n(c.head_dim) + " + 2 \\cdot " + n(c.d_model) + " \\cdot " + n(c.n_kv_heads) +
                      " \\cdot " + n(c.head_dim) + " + " + n(c.n_heads) + " \\cdot " + n(c.head_dim) + " \\cdot " +
                      n(c.d_model) + " + " + n(bias) + ") = " + n(p.attention),
                  p.attention,
                  "parameters",
                  {L,
                   d,
                   h,
                   hkv,
                   dh,
                   {"b_\\text{attn}", "attention biases per layer (Q, K, V: h d_h + 2 h_{kv} d_h; O: d)", bias, ""}},
                  {kVaswani, kGqa, kDocs},
                  "Q and O use all h heads; K and V only h_kv heads, which is where GQA and MQA save parameters."};
    out.push_back(std::move(e));
  }
  // FFN parameters: every expert of every layer.
  {
    const double bias = p.ffn_per_expert - m * c.d_model * c.d_ff;
    Explanation e{"params.ffn",
                  moe ? "FFN parameters (all experts)" : "FFN parameters",
                  "N_\\text{ffn} = L\\,E\\,(m\\,d\\,d_{ff} + b_\\text{ffn})",
                  "N_\\text{ffn} = " + n(layers) + " \\cdot " + n(c.n_experts) + " \\cdot (" + n(m) + " \\cdot " +
                      n(c.d_model) + " \\cdot " + n(c.d_ff) + " + " + n(bias) + ") = " + n(p.ffn),
                  p.ffn,
                  "parameters",
                  {L,
                   {"E", "experts per layer (1: dense)", c.n_experts, ""},
                   mm,
                   d,
                   dff,
                   {"b_\\text{ffn}", "MLP biases per expert", bias, ""}},
                  {kVaswani, kGlu, kDocs},
                  moe ? "All experts are stored; a token runs only top-k of them. The router (d E per layer) is "
                        "counted separately."
                      : "A gated FFN (SwiGLU/GeGLU) has three d x d_ff matrices, a plain one two."};
    out.push_back(std::move(e));
  }
  // Embedding and LM head.
  out.push_back({"params.embedding",
                 "Token embedding parameters",
                 "N_\\text{emb} = V\\,d",
                 "N_\\text{emb} = " + n(c.vocab_size) + " \\cdot " + n(c.d_model) + " = " + n(p.embedding),
                 p.embedding,
                 "parameters",
                 {V, d},
                 {kVaswani, kDocs},
                 p.position_embedding > 0
                     ? "A learned position table adds " + text_number(p.position_embedding) + " more (positions x d)."
                     : ""});
  if (c.tied_embeddings) {
    out.push_back({"params.lm_head",
                   "LM head parameters",
                   "N_\\text{head} = 0 \\quad (\\text{tied: reuses } V\\,d)",
                   "N_\\text{head} = 0",
                   p.lm_head,
                   "parameters",
                   {V, d},
                   {kDocs},
                   "Tied embeddings: the logits matmul uses the token embedding's weights, so no new parameters (its "
                   "FLOPs are still spent)."});
  } else {
    out.push_back({"params.lm_head",
                   "LM head parameters",
                   "N_\\text{head} = V\\,d",
                   "N_\\text{head} = " + n(c.vocab_size) + " \\cdot " + n(c.d_model) + " = " + n(p.lm_head),
                   p.lm_head,
                   "parameters",
                   {V, d},
                   {kDocs},
                   "Untied: a separate d x V output matrix."});
  }
  // Total: outside the layers + L identical layers.
  out.push_back({"params.total",
                 "Total parameters",
                 "N = N_\\text{emb} + N_\\text{pos} + L\\,N_\\text{layer} + N_\\text{norm} + N_\\text{head}",
                 "N = " + n(p.embedding) + " + " + n(p.position_embedding) + " + " + n(layers) + " \\cdot " +
                     n(p.per_layer) + " + " + n(p.final_norm) + " + " + n(p.lm_head) + " = " + n(p.total),
                 p.total,
                 "parameters",
                 {{"N_\\text{emb}", "token embedding (V d)", p.embedding, ""},
                  {"N_\\text{pos}", "learned position embedding", p.position_embedding, ""},
                  L,
                  {"N_\\text{layer}", "one layer: attention + experts' FFN + router + norms", p.per_layer, ""},
                  {"N_\\text{norm}", "final norm", p.final_norm, ""},
                  {"N_\\text{head}", "LM head (0 when tied)", p.lm_head, ""}},
                 {kVaswani, kDocs},
                 "Exact integer count (int64 inside). Percentages elsewhere are of this whole-model total."});
  if (moe) {
    out.push_back({"params.active",
                   "Active parameters per token",
                   "N_\\text{active} = N - L\\,(E - k)\\,N_\\text{expert}",
                   "N_\\text{active} = " + n(p.total) + " - " + n(layers) + " \\cdot (" + n(c.n_experts) + " - " +
                       n(c.experts_top_k) + ") \\cdot " + n(p.ffn_per_expert) + " = " + n(p.active),
                   p.active,
                   "parameters",
                   {{"N", "total parameters", p.total, ""},
                    L,
                    {"E", "experts per layer", c.n_experts, ""},
                    {"k", "experts per token (top-k)", c.experts_top_k, ""},
                    {"N_\\text{expert}", "one expert's FFN in one layer", p.ffn_per_expert, ""}},
                   {"Fedus et al. 2022, \"Switch Transformers\" (top-k routing)", kDocs},
                   "What one token reads: the top-k experts of each layer, plus everything shared."});
  }
  push_weights_memory(report, out);
  // Decode FLOPs per token at context n.
  const FlopSplit& dec = report.decode.split;
  const double router = moe ? c.d_model * c.n_experts : 0;
  const ExplainTerm k{"k", "experts per token (top-k)", c.experts_top_k, ""};
  const ExplainTerm r{"r", "router weights per layer (d E when MoE, else 0)", router, ""};
  {
    const bool windowed = c.sliding_window > 0;
    out.push_back(
        {"flops.decode",
         "Decode FLOPs per token",
         "F_\\text{dec} = \\underbrace{2L\\,(2\\,d\\,h\\,d_h + 2\\,d\\,h_{kv}\\,d_h)}_{\\text{projections}} + "
         "\\underbrace{4L\\,h\\,d_h\\,n_\\text{att}}_{QK^\\top,\\ AV} + \\underbrace{2L\\,(k\\,m\\,d\\,d_{ff} + "
         "r)}_{\\text{FFN}} + "
         "\\underbrace{2\\,d\\,V}_{\\text{LM head}}",
         "F_\\text{dec} = " + n(dec.attention_projections) + " + 4 \\cdot " + n(layers) + " \\cdot " + n(c.n_heads) +
             " \\cdot " + n(c.head_dim) + " \\cdot " + n(report.decode.attended_tokens) + " + " + n(dec.ffn) + " + " +
             n(dec.lm_head) + " = " + n(dec.total) + "\\ \\text{FLOPs}",
         dec.total,
         "FLOPs",
         {L,
          d,
          h,
          hkv,
          dh,
          {"n_\\text{att}", windowed ? "keys attended: min(n, window)" : "keys attended: the context n",
           report.decode.attended_tokens, "tokens"},
          k,
          mm,
          dff,
          r,
          V,
          {"F_\\text{proj}", "projections", dec.attention_projections, "FLOPs"},
          {"F_\\text{scores}", "QK^T and AV", dec.attention_scores, "FLOPs"},
          {"F_\\text{ffn}", "FFN (+ router)", dec.ffn, "FLOPs"},
          {"F_\\text{head}", "LM head", dec.lm_head, "FLOPs"}},
         {kKaplan, kDocs},
         "2 FLOPs (multiply + add) per weight per token. Norms, activations and softmax are O(d) and left out; "
         "the LM head is counted even when tied."});
  }
  // Causal prefill of n tokens.
  {
    const PrefillFlops& pre = report.prefill;
    const double ctx = pre.context_tokens;
    const bool windowed = c.sliding_window > 0 && ctx > c.sliding_window;
    const std::string pairs_tex = windowed ? "\\tfrac{w(w+1)}{2} + (n - w)\\,w" : "\\tfrac{n(n+1)}{2}";
    const std::string pairs_sub = windowed
                                      ? "\\tfrac{" + n(c.sliding_window) + " \\cdot " + n(c.sliding_window + 1) +
                                            "}{2} + " + n(ctx - c.sliding_window) + " \\cdot " + n(c.sliding_window)
                                      : "\\tfrac{" + n(ctx) + " \\cdot " + n(ctx + 1) + "}{2}";
    std::vector<ExplainTerm> terms{{"n", "prompt tokens", ctx, "tokens"}};
    if (windowed) terms.push_back({"w", "sliding window", c.sliding_window, "tokens"});
    terms.push_back({"P", "(query, key) pairs per head per layer", pre.attended_pairs, ""});
    terms.push_back({"F_\\text{proj}", "projections per token", dec.attention_projections, "FLOPs"});
    terms.push_back({"F_\\text{ffn}", "FFN per token", dec.ffn, "FLOPs"});
    terms.push_back({"F_\\text{head}", "LM head per token", dec.lm_head, "FLOPs"});
    terms.push_back(L);
    terms.push_back(h);
    terms.push_back(dh);
    out.push_back(
        {"flops.prefill",
         "Prefill FLOPs (causal)",
         "F_\\text{pre} = n\\,(F_\\text{proj} + F_\\text{ffn} + F_\\text{head}) + 4L\\,h\\,d_h\\,P, \\quad P = " +
             pairs_tex,
         "F_\\text{pre} = " + n(ctx) + " \\cdot (" + n(dec.attention_projections) + " + " + n(dec.ffn) + " + " +
             n(dec.lm_head) + ") + 4 \\cdot " + n(layers) + " \\cdot " + n(c.n_heads) + " \\cdot " + n(c.head_dim) +
             " \\cdot " + n(pre.attended_pairs) + ", \\quad P = " + pairs_sub + " = " + n(pre.attended_pairs) +
             " \\;\\Rightarrow\\; F_\\text{pre} = " + n(pre.split.total) + "\\ \\text{FLOPs}",
         pre.split.total,
         "FLOPs",
         terms,
         {kKaplan, kDocs},
         "Token i attends i keys (its own included), so the scores cover n(n+1)/2 pairs, not n^2/2. "
         "Logits are counted at every position, so prefill(n) equals the sum of decode(i) for i = 1..n."});
  }
  // Crossover: attention (projections + scores) = FFN per decoded token.
  {
    const double per_key = 4 * layers * p.q_dim;
    const double raw = (dec.ffn - dec.attention_projections) / per_key;
    const double value = report.crossover.exists ? report.crossover.context_tokens : std::max(0.0, raw);
    std::string note = "The context where one decoded token spends as many FLOPs in attention as in the FFN.";
    if (!report.crossover.exists)
      note = "No crossover: the sliding window (" + text_number(c.sliding_window) +
             " keys) caps the scores before they reach the FFN (the result reports none).";
    out.push_back({"flops.crossover",
                   "Decode crossover context",
                   "n^* = \\max\\!\\left(0,\\ \\frac{F_\\text{ffn} - F_\\text{proj}}{4L\\,h\\,d_h}\\right)",
                   "n^* = \\max\\!\\left(0,\\ \\frac{" + n(dec.ffn) + " - " + n(dec.attention_projections) +
                       "}{4 \\cdot " + n(layers) + " \\cdot " + n(c.n_heads) + " \\cdot " + n(c.head_dim) +
                       "}\\right) = " + n(value) + "\\ \\text{tokens}",
                   value,
                   "tokens",
                   {{"F_\\text{ffn}", "FFN FLOPs per token", dec.ffn, "FLOPs"},
                    {"F_\\text{proj}", "projection FLOPs per token", dec.attention_projections, "FLOPs"},
                    L,
                    h,
                    dh},
                   {kDocs},
                   note});
  }
  return out;
}

ExplainResult explain_model(const ModelConfig& config, double context_tokens) {
  const ModelReport report = model_report(config, context_tokens);
  if (!report.status.ok) return {report.status, {}};
  return {ok_status(), explain_model_report(report)};
}

}  // namespace llmst

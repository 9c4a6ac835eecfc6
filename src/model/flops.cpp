#include "model/flops.hpp"

#include <algorithm>
#include <cmath>

namespace llmst {

namespace {

// Per-token FLOPs that do not depend on the context.
struct FixedFlops {
  double projections, ffn, lm_head;
};

FixedFlops fixed_flops(const ModelParams& p) {
  const ModelConfig& c = p.config;
  const double d = c.d_model;
  const double projections = 2 * c.n_layers * (2 * d * p.q_dim + 2 * d * p.kv_dim);
  const double matrices_per_expert = (c.ffn == "gated" ? 3 : 2) * d * c.d_ff;
  const double router = c.n_experts > 1 ? d * c.n_experts : 0;
  const double ffn = 2 * c.n_layers * (c.experts_top_k * matrices_per_expert + router);
  return {projections, ffn, 2 * d * c.vocab_size};
}

// Scores per (query, key) pair summed over heads and layers: QK^T and AV.
double score_flops_per_pair(const ModelParams& p) {
  return 4 * p.config.n_layers * p.q_dim;
}

FlopSplit make_split(double projections, double scores, double ffn, double lm_head) {
  FlopSplit split;
  split.attention_projections = projections;
  split.attention_scores = scores;
  split.attention = projections + scores;
  split.ffn = ffn;
  split.lm_head = lm_head;
  split.total = split.attention + ffn + lm_head;
  return split;
}

}  // namespace

double decode_attended_tokens(const ModelConfig& c, double context_tokens) {
  return c.sliding_window > 0 ? std::min(context_tokens, c.sliding_window) : context_tokens;
}

double causal_attended_pairs(double n, double window) {
  if (window <= 0 || n <= window) return n * (n + 1) / 2;
  // The first w tokens see 1..w keys, every later one sees w.
  return window * (window + 1) / 2 + (n - window) * window;
}

DecodeFlops decode_flops(const ModelParams& p, double context_tokens) {
  const FixedFlops fixed = fixed_flops(p);
  DecodeFlops result;
  result.context_tokens = context_tokens;
  result.attended_tokens = decode_attended_tokens(p.config, context_tokens);
  result.split = make_split(fixed.projections, score_flops_per_pair(p) * result.attended_tokens,
                            fixed.ffn, fixed.lm_head);
  return result;
}

PrefillFlops prefill_flops(const ModelParams& p, double n) {
  const FixedFlops fixed = fixed_flops(p);
  PrefillFlops result;
  result.context_tokens = n;
  result.attended_pairs = causal_attended_pairs(n, p.config.sliding_window);
  result.lm_head_last_token = fixed.lm_head;
  result.split = make_split(n * fixed.projections, score_flops_per_pair(p) * result.attended_pairs,
                            n * fixed.ffn, n * fixed.lm_head);
  return result;
}

Crossover decode_crossover(const ModelParams& p) {
  const FixedFlops fixed = fixed_flops(p);
  const double n = std::max(0.0, (fixed.ffn - fixed.projections) / score_flops_per_pair(p));
  // A window caps the attended keys: past it the scores stop growing.
  if (p.config.sliding_window > 0 && n > p.config.sliding_window) return {false, 0};
  return {true, n};
}

std::vector<AttentionSharePoint> attention_share_curve(const ModelParams& p, double min_tokens,
                                                       double max_tokens, int points) {
  std::vector<AttentionSharePoint> curve;
  const double log_min = std::log(min_tokens), log_max = std::log(max_tokens);
  for (int i = 0; i < points; ++i) {
    const double t = points > 1 ? static_cast<double>(i) / (points - 1) : 0;
    const double n = i == points - 1 ? max_tokens : std::round(std::exp(log_min + t * (log_max - log_min)));
    if (!curve.empty() && curve.back().context_tokens >= n) continue;
    const FlopSplit split = decode_flops(p, n).split;
    curve.push_back({n, split.attention, split.ffn, split.lm_head, split.total,
                     split.attention / split.total});
  }
  return curve;
}

}  // namespace llmst

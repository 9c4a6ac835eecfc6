#include "model/flops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmst {

namespace {

// Per-token FLOPs that do not depend on the context: 2 per weight multiplied.
struct FixedFlops {
  double projections = 0, ffn = 0, lm_head = 0;
};

FixedFlops fixed_flops(const ValidModel& m) {
  FixedFlops fixed;
  for (const LayerRun& run : m.runs) {
    const LayerParams l = layer_params(run.layer, m.d_model);
    fixed.projections += 2 * static_cast<double>(run.count) * l.attention_matrices;
    fixed.ffn += 2 * static_cast<double>(run.count) * l.ffn_active_matrices;
  }
  fixed.lm_head = 2 * static_cast<double>(m.d_model) * static_cast<double>(m.vocab);
  return fixed;
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

double layers_of(const ValidModel& m) { return static_cast<double>(m.n_layers); }

// Keys (or pairs) summed over every layer, and the score FLOPs they cost.
struct AttendedSum {
  double keys = 0, score_flops = 0;
};
template <typename Keys, typename Flops>
AttendedSum sum_over_layers(const ValidModel& m, Keys keys_of, Flops flops_of) {
  AttendedSum sum;
  for (const LayerRun& run : m.runs) {
    sum.keys += static_cast<double>(run.count) * keys_of(run.layer.attention);
    sum.score_flops += static_cast<double>(run.count) * flops_of(run.layer.attention);
  }
  return sum;
}

// Pairs of a causal pass where each query sees at most `cap` keys: the first
// cap tokens see 1..cap keys, every later one sees cap.
double capped_causal_pairs(double n, double cap) {
  return n > cap ? cap * (cap + 1) / 2 + (n - cap) * cap : n * (n + 1) / 2;
}

}  // namespace

double decode_keys(const AttentionSpec& a, double n) {
  const double span = static_cast<double>(a.span_tokens);
  switch (a.span) {
    case Span::window:
      return std::min(n, span);
    case Span::chunk:
      return std::fmod(n - 1, span) + 1;
    default:
      return a.indexer_topk > 0 ? std::min(n, static_cast<double>(a.indexer_topk)) : n;
  }
}

double causal_attended_pairs(const AttentionSpec& a, double n) {
  const double span = static_cast<double>(a.span_tokens);
  if (a.span == Span::window) return capped_causal_pairs(n, span);
  if (a.span == Span::full && a.indexer_topk > 0) return capped_causal_pairs(n, static_cast<double>(a.indexer_topk));
  if (a.span == Span::chunk && n > span) {
    // Each whole chunk is a causal square of its own; the rest a smaller one.
    const double chunks = std::floor(n / span), rest = n - chunks * span;
    return chunks * span * (span + 1) / 2 + rest * (rest + 1) / 2;
  }
  return n * (n + 1) / 2;
}

double score_flops_per_pair(const AttentionSpec& a) {
  const double heads = static_cast<double>(a.heads);
  if (a.mla) {
    // Absorbed MLA (DeepSeek-V2 paper, sec. 2.1.2): scores over the latent and
    // the RoPE key, values from the latent.
    const double latent = static_cast<double>(a.kv_lora_rank), rope = static_cast<double>(a.qk_rope_head_dim);
    return heads * (2 * (latent + rope) + 2 * latent);
  }
  return 4 * heads * static_cast<double>(a.head_dim);
}

double indexer_keys(const AttentionSpec& a, double n) { return a.indexer_heads > 0 ? n : 0; }

double indexer_causal_pairs(const AttentionSpec& a, double n) { return a.indexer_heads > 0 ? n * (n + 1) / 2 : 0; }

double indexer_flops_per_pair(const AttentionSpec& a) {
  const double heads = static_cast<double>(a.indexer_heads);
  return 2 * heads * static_cast<double>(a.indexer_head_dim) + 2 * heads;
}

double decode_score_flops(const AttentionSpec& a, double n) {
  return score_flops_per_pair(a) * decode_keys(a, n) + indexer_flops_per_pair(a) * indexer_keys(a, n);
}

double prefill_score_flops(const AttentionSpec& a, double n) {
  return score_flops_per_pair(a) * causal_attended_pairs(a, n) + indexer_flops_per_pair(a) * indexer_causal_pairs(a, n);
}

DecodeFlops decode_flops(const ValidModel& m, double context_tokens) {
  const FixedFlops fixed = fixed_flops(m);
  const AttendedSum sum = sum_over_layers(
      m, [&](const AttentionSpec& a) { return decode_keys(a, context_tokens); },
      [&](const AttentionSpec& a) { return decode_score_flops(a, context_tokens); });
  DecodeFlops result;
  result.context_tokens = context_tokens;
  result.attended_tokens = sum.keys / layers_of(m);
  result.split = make_split(fixed.projections, sum.score_flops, fixed.ffn, fixed.lm_head);
  return result;
}

PrefillFlops prefill_flops(const ValidModel& m, double n) {
  const FixedFlops fixed = fixed_flops(m);
  const AttendedSum sum = sum_over_layers(
      m, [&](const AttentionSpec& a) { return causal_attended_pairs(a, n); },
      [&](const AttentionSpec& a) { return prefill_score_flops(a, n); });
  PrefillFlops result;
  result.context_tokens = n;
  result.attended_pairs = sum.keys / layers_of(m);
  result.lm_head_last_token = fixed.lm_head;
  result.split = make_split(n * fixed.projections, sum.score_flops, n * fixed.ffn, n * fixed.lm_head);
  return result;
}

Crossover decode_crossover(const ValidModel& m) {
  const FixedFlops fixed = fixed_flops(m);
  double need = fixed.ffn - fixed.projections;
  if (need <= 0) return {true, 0};
  // attention(n) - projections = sum of slope_r * min(n, cap_r): concave and
  // piecewise linear. Walk its breakpoints in order until it reaches `need`.
  std::vector<std::pair<double, double>> caps;  // (cap, slope); cap = inf for full layers
  const double unbounded = std::numeric_limits<double>::infinity();
  for (const LayerRun& run : m.runs) {
    const AttentionSpec& a = run.layer.attention;
    const double cap = a.span != Span::full ? static_cast<double>(a.span_tokens)
                       : a.indexer_topk > 0 ? static_cast<double>(a.indexer_topk)
                                            : unbounded;
    caps.emplace_back(cap, static_cast<double>(run.count) * score_flops_per_pair(a));
    // The indexer scores every key: its slope never stops.
    if (a.indexer_heads > 0) caps.emplace_back(unbounded, static_cast<double>(run.count) * indexer_flops_per_pair(a));
  }
  std::sort(caps.begin(), caps.end());
  double slope = 0;
  for (const auto& [cap, s] : caps) slope += s;
  double at = 0, value = 0;
  for (const auto& [cap, s] : caps) {
    if (slope > 0 && value + slope * (cap - at) >= need) return {true, at + (need - value) / slope};
    if (std::isinf(cap)) break;
    value += slope * (cap - at);
    at = cap;
    slope -= s;
  }
  return {false, 0};
}

std::vector<AttentionSharePoint> attention_share_curve(const ValidModel& m, double min_tokens, double max_tokens,
                                                       int points) {
  std::vector<AttentionSharePoint> curve;
  const double log_min = std::log(min_tokens), log_max = std::log(max_tokens);
  for (int i = 0; i < points; ++i) {
    const double t = points > 1 ? static_cast<double>(i) / (points - 1) : 0;
    const double n = i == points - 1 ? max_tokens : std::round(std::exp(log_min + t * (log_max - log_min)));
    if (!curve.empty() && curve.back().context_tokens >= n) continue;
    const FlopSplit split = decode_flops(m, n).split;
    curve.push_back({n, split.attention, split.ffn, split.lm_head, split.total, split.attention / split.total});
  }
  return curve;
}

}  // namespace llmst

#include "model/config.hpp"

#include <cstdio>

#include "core/validate.hpp"

namespace llmst {

namespace {

// Rough parameter count in double (no overflow for any size check_integer
// lets through), used only to refuse absurd models before exact int64 counts.
struct RoughCount {
  double embedding;
  double per_layer;
  double total;
};

RoughCount rough_count(const ModelConfig& c, double head_dim) {
  const double q_dim = c.n_heads * head_dim, kv_dim = c.n_kv_heads * head_dim;
  const double attention = c.d_model * (2 * q_dim + 2 * kv_dim);
  const double ffn = c.n_experts * (c.ffn == "gated" ? 3 : 2) * c.d_model * c.d_ff;
  const double embedding = c.vocab_size * c.d_model * (c.tied_embeddings ? 1 : 2) +
                           c.learned_position_embeddings * c.d_model;
  const double per_layer = attention + ffn;
  return {embedding, per_layer, embedding + c.n_layers * per_layer};
}

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace

ValidatedModel validate_model(const ModelConfig& config) {
  const ModelConfig& c = config;
  Status status = first_error(
      check_integer("vocab_size", c.vocab_size, 1),
      check_integer("d_model", c.d_model, 1),
      check_integer("n_layers", c.n_layers, 1),
      check_integer("n_heads", c.n_heads, 1),
      check_integer("n_kv_heads", c.n_kv_heads, 1),
      check_integer("head_dim", c.head_dim, 0),
      check_integer("d_ff", c.d_ff, 1),
      check_integer("learned_position_embeddings", c.learned_position_embeddings, 0),
      check_integer("n_experts", c.n_experts, 1),
      check_integer("experts_top_k", c.experts_top_k, 1),
      check_integer("sliding_window", c.sliding_window, 0));
  if (!status.ok) return {status, c};

  auto fail = [&](const std::string& field, const std::string& message) {
    return ValidatedModel{error_status(field, message), c};
  };
  if (c.ffn != "gated" && c.ffn != "plain")
    return fail("ffn", "ffn = \"" + c.ffn + "\" must be \"gated\" or \"plain\"");
  if (c.norm != "rms" && c.norm != "layer")
    return fail("norm", "norm = \"" + c.norm + "\" must be \"rms\" or \"layer\"");
  if (c.n_kv_heads > c.n_heads)
    return fail("n_kv_heads", "n_kv_heads = " + format_number(c.n_kv_heads) +
                                  " must not exceed n_heads = " + format_number(c.n_heads));
  // GQA shares each KV head among n_heads / n_kv_heads query heads.
  if (static_cast<int64_t>(c.n_heads) % static_cast<int64_t>(c.n_kv_heads) != 0)
    return fail("n_kv_heads", "n_kv_heads = " + format_number(c.n_kv_heads) +
                                  " must divide n_heads = " + format_number(c.n_heads));
  if (c.experts_top_k > c.n_experts)
    return fail("experts_top_k", "experts_top_k = " + format_number(c.experts_top_k) +
                                     " must not exceed n_experts = " + format_number(c.n_experts));

  ValidatedModel result{ok_status(), c};
  if (c.head_dim == 0) {
    if (static_cast<int64_t>(c.d_model) % static_cast<int64_t>(c.n_heads) != 0)
      return fail("d_model", "d_model = " + format_number(c.d_model) +
                                 " is not divisible by n_heads = " + format_number(c.n_heads) +
                                 " (set head_dim to use heads of another size)");
    result.config.head_dim = c.d_model / c.n_heads;
  }

  // Refuse absurd models, naming the field that makes them so.
  const RoughCount rough = rough_count(result.config, result.config.head_dim);
  if (rough.total >= kMaxModelParams) {
    std::string field = "n_layers";
    if (rough.embedding >= kMaxModelParams / 2) {
      field = c.vocab_size >= c.learned_position_embeddings ? "vocab_size"
                                                           : "learned_position_embeddings";
    } else if (rough.per_layer >= kMaxModelParams / 2) {
      const double ffn = c.n_experts * c.d_model * c.d_ff;
      const double attention = c.d_model * (c.n_heads + c.n_kv_heads) * result.config.head_dim;
      if (ffn >= attention)
        field = c.n_experts > c.d_ff ? "n_experts" : c.d_ff > c.d_model ? "d_ff" : "d_model";
      else
        field = c.d_model >= c.n_heads * result.config.head_dim ? "d_model"
                : c.head_dim > 0                                ? "head_dim"
                                                                : "n_heads";
    }
    double value = field == "vocab_size" ? c.vocab_size
                   : field == "learned_position_embeddings" ? c.learned_position_embeddings
                   : field == "n_experts" ? c.n_experts
                   : field == "d_ff" ? c.d_ff
                   : field == "d_model" ? c.d_model
                   : field == "head_dim" ? c.head_dim
                   : field == "n_heads" ? c.n_heads
                                       : c.n_layers;
    return fail(field, field + " = " + format_number(value) + " makes a model of about " +
                           scientific(rough.total) + " parameters (limit 1e+15)");
  }
  return result;
}

}  // namespace llmst

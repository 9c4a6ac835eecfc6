#include "model/config.hpp"

#include <cstdio>
#include <string_view>

#include "core/validate.hpp"
#include "model/params.hpp"

namespace llmst {

namespace {

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// Splits a comma-separated per-layer list, trimming spaces around entries.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  if (text.find_first_not_of(" \t") == std::string_view::npos) return items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? text.size() - start : comma - start);
    const size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    items.emplace_back(first == std::string_view::npos ? "" : item.substr(first, last - first + 1));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

// A per-layer list must name every layer with one of `words`; the message
// quotes at most the offending entry, never the whole (possibly huge) text.
Status check_list(const std::string& field, const std::vector<std::string>& items, int64_t layers,
                  std::initializer_list<const char*> words) {
  if (items.empty()) return ok_status();
  if (static_cast<int64_t>(items.size()) != layers)
    return error_status(
        field, field + " lists " + std::to_string(items.size()) + " layers but n_layers = " + std::to_string(layers));
  for (size_t i = 0; i < items.size(); ++i) {
    bool known = false;
    for (const char* word : words) known = known || items[i] == word;
    if (!known) {
      std::string list;
      for (const char* word : words) list += (list.empty() ? "" : ", ") + std::string(word);
      return error_status(field,
                          field + "[" + std::to_string(i) + "] = " + quoted(items[i]) + " must be one of " + list);
    }
  }
  return ok_status();
}

Status check_fields(const ModelConfig& c) {
  Status status = first_error(
      check_integer("vocab_size", c.vocab_size, 1), check_integer("d_model", c.d_model, 1),
      check_integer("n_layers", c.n_layers, 1, 1e6), check_integer("n_heads", c.n_heads, 1),
      check_integer("n_kv_heads", c.n_kv_heads, 1), check_integer("head_dim", c.head_dim, 0),
      check_integer("d_ff", c.d_ff, 1), check_integer("learned_position_embeddings", c.learned_position_embeddings, 0),
      check_integer("q_lora_rank", c.q_lora_rank, 0), check_integer("kv_lora_rank", c.kv_lora_rank, 0),
      check_integer("qk_nope_head_dim", c.qk_nope_head_dim, 0),
      check_integer("qk_rope_head_dim", c.qk_rope_head_dim, 0), check_integer("v_head_dim", c.v_head_dim, 0),
      check_integer("indexer_heads", c.indexer_heads, 0, 1e6),
      check_integer("indexer_head_dim", c.indexer_head_dim, 0, 1e6),
      check_integer("indexer_topk", c.indexer_topk, 0, 1e12), check_integer("sliding_window", c.sliding_window, 0),
      check_integer("attention_chunk", c.attention_chunk, 0), check_integer("n_experts", c.n_experts, 1),
      check_integer("experts_top_k", c.experts_top_k, 1), check_integer("moe_d_ff", c.moe_d_ff, 0),
      check_integer("shared_experts", c.shared_experts, 0),
      check_integer("shared_expert_d_ff", c.shared_expert_d_ff, 0), check_integer("mtp_modules", c.mtp_modules, 0, 1e3),
      check_integer("vision_params", c.vision_params, 0), check_integer("projector_params", c.projector_params, 0),
      check_real("vision_flops_per_image", c.vision_flops_per_image, 0, 1e18),
      check_integer("image_tokens", c.image_tokens, 0, 1e9));
  if (!status.ok) return status;
  auto fail = [](const std::string& field, const std::string& message) { return error_status(field, message); };
  if (c.ffn != "gated" && c.ffn != "plain")
    return fail("ffn", "ffn = " + quoted(c.ffn) + " must be \"gated\" or \"plain\"");
  if (c.norm != "rms" && c.norm != "layer")
    return fail("norm", "norm = " + quoted(c.norm) + " must be \"rms\" or \"layer\"");
  if (c.attention != "gqa" && c.attention != "mla")
    return fail("attention", "attention = " + quoted(c.attention) + " must be \"gqa\" or \"mla\"");
  if (c.n_kv_heads > c.n_heads)
    return fail("n_kv_heads", "n_kv_heads = " + format_number(c.n_kv_heads) +
                                  " must not exceed n_heads = " + format_number(c.n_heads));
  // GQA shares each KV head among n_heads / n_kv_heads query heads.
  if (static_cast<int64_t>(c.n_heads) % static_cast<int64_t>(c.n_kv_heads) != 0)
    return fail("n_kv_heads",
                "n_kv_heads = " + format_number(c.n_kv_heads) + " must divide n_heads = " + format_number(c.n_heads));
  if (c.experts_top_k > c.n_experts)
    return fail("experts_top_k", "experts_top_k = " + format_number(c.experts_top_k) +
                                     " must not exceed n_experts = " + format_number(c.n_experts));
  if (c.attention == "mla") {
    for (const auto& [field, value] : {std::pair<const char*, double>{"kv_lora_rank", c.kv_lora_rank},
                                       {"qk_rope_head_dim", c.qk_rope_head_dim},
                                       {"qk_nope_head_dim", c.qk_nope_head_dim},
                                       {"v_head_dim", c.v_head_dim}})
      if (value < 1)
        return fail(field,
                    std::string(field) + " = " + format_number(value) + " must be at least 1 for attention = \"mla\"");
  } else {
    for (const auto& [field, value] :
         {std::pair<const char*, double>{"q_lora_rank", c.q_lora_rank}, {"kv_lora_rank", c.kv_lora_rank}})
      if (value > 0)
        return fail(field, std::string(field) + " = " + format_number(value) + " needs attention = \"mla\"");
  }
  // The indexer's queries come from MLA's query latent (wq_b: q_lora_rank -> heads x head_dim).
  const bool indexer = c.indexer_heads > 0 || c.indexer_head_dim > 0 || c.indexer_topk > 0;
  if (indexer) {
    for (const auto& [field, value] : {std::pair<const char*, double>{"indexer_heads", c.indexer_heads},
                                       {"indexer_head_dim", c.indexer_head_dim},
                                       {"indexer_topk", c.indexer_topk}})
      if (value < 1)
        return fail(field, std::string(field) + " = " + format_number(value) +
                               " must be at least 1: indexer_heads, indexer_head_dim and indexer_topk set sparse "
                               "attention together");
    if (c.attention != "mla" || c.q_lora_rank < 1)
      return fail("indexer_heads", "indexer_heads = " + format_number(c.indexer_heads) +
                                       " needs attention = \"mla\" with q_lora_rank > 0 (the indexer's queries "
                                       "come from the query latent)");
  }
  return ok_status();
}

}  // namespace

const char* span_word(Span span) { return span == Span::full ? "full" : span == Span::window ? "sliding" : "chunked"; }

ValidatedModel validate_model(const ModelConfig& config) {
  ValidatedModel result{ok_status(), config, {}};
  const ModelConfig& c = config;
  auto fail = [&](const std::string& field, const std::string& message) {
    result.status = error_status(field, message);
    return result;
  };
  if (Status status = check_fields(c); !status.ok) {
    result.status = status;
    return result;
  }
  const int64_t layers = static_cast<int64_t>(c.n_layers);
  const std::vector<std::string> spans = split_list(c.layer_types);
  const std::vector<std::string> mlps = split_list(c.mlp_layer_types);
  if (Status status = first_error(check_list("layer_types", spans, layers, {"full", "sliding", "chunked"}),
                                  check_list("mlp_layer_types", mlps, layers, {"dense", "moe"}));
      !status.ok) {
    result.status = status;
    return result;
  }
  const bool mla = c.attention == "mla";
  if (c.head_dim == 0 && !mla) {
    if (static_cast<int64_t>(c.d_model) % static_cast<int64_t>(c.n_heads) != 0)
      return fail("d_model", "d_model = " + format_number(c.d_model) + " is not divisible by n_heads = " +
                                 format_number(c.n_heads) + " (set head_dim to use heads of another size)");
    result.config.head_dim = c.d_model / c.n_heads;
  }
  if (mla) result.config.head_dim = c.qk_nope_head_dim + c.qk_rope_head_dim;

  ValidModel& m = result.model;
  m.config = result.config;
  const ModelConfig& r = result.config;
  m.vocab = static_cast<int64_t>(r.vocab_size);
  m.d_model = static_cast<int64_t>(r.d_model);
  m.positions = static_cast<int64_t>(r.learned_position_embeddings);
  m.n_layers = layers;
  m.tied = r.tied_embeddings;
  m.layer_norm = r.norm == "layer";
  m.mtp_modules = static_cast<int64_t>(r.mtp_modules);
  m.mtp_embedding_copies = r.mtp_embedding_copies;
  m.vision_params = static_cast<int64_t>(r.vision_params);
  m.projector_params = static_cast<int64_t>(r.projector_params);
  m.vision_flops_per_image = r.vision_flops_per_image;
  m.image_tokens = static_cast<int64_t>(r.image_tokens);

  AttentionSpec attention;
  attention.mla = mla;
  attention.heads = static_cast<int64_t>(r.n_heads);
  attention.kv_heads = mla ? attention.heads : static_cast<int64_t>(r.n_kv_heads);
  attention.head_dim = static_cast<int64_t>(r.head_dim);
  if (mla) {
    attention.q_lora_rank = static_cast<int64_t>(r.q_lora_rank);
    attention.kv_lora_rank = static_cast<int64_t>(r.kv_lora_rank);
    attention.qk_nope_head_dim = static_cast<int64_t>(r.qk_nope_head_dim);
    attention.qk_rope_head_dim = static_cast<int64_t>(r.qk_rope_head_dim);
    attention.v_head_dim = static_cast<int64_t>(r.v_head_dim);
    attention.indexer_heads = static_cast<int64_t>(r.indexer_heads);
    attention.indexer_head_dim = static_cast<int64_t>(r.indexer_head_dim);
    attention.indexer_topk = static_cast<int64_t>(r.indexer_topk);
  }
  attention.qkv_bias = r.qkv_bias;
  attention.out_bias = r.attn_out_bias;
  attention.qk_norm = r.qk_norm;
  attention.qk_norm_full_width = r.qk_norm && r.qk_norm_full_width;
  attention.sinks = r.attention_sinks;

  FfnSpec dense;
  dense.width = static_cast<int64_t>(r.d_ff);
  dense.gated = r.ffn == "gated";
  dense.bias = r.mlp_bias;
  FfnSpec moe = dense;
  moe.moe = true;
  moe.width = r.moe_d_ff > 0 ? static_cast<int64_t>(r.moe_d_ff) : dense.width;
  moe.experts = static_cast<int64_t>(r.n_experts);
  moe.top_k = static_cast<int64_t>(r.experts_top_k);
  moe.shared_experts = static_cast<int64_t>(r.shared_experts);
  moe.shared_width = moe.shared_experts == 0    ? 0
                     : r.shared_expert_d_ff > 0 ? static_cast<int64_t>(r.shared_expert_d_ff)
                                                : moe.width;
  moe.shared_gate = r.shared_expert_gate && moe.shared_experts > 0;
  moe.router_bias = r.router_bias;
  moe.router_score_bias = r.router_score_bias;

  const int64_t norms = r.sandwich_norms ? 4 : r.parallel_attn_mlp && r.parallel_shared_norm ? 1 : 2;
  const bool any_moe_default = r.n_experts > 1;
  for (int64_t i = 0; i < layers; ++i) {
    LayerSpec layer;
    layer.attention = attention;
    const std::string span = spans.empty() ? (r.sliding_window > 0 ? "sliding" : "full") : spans[i];
    if (span != "full" && r.indexer_topk > 0) {
      const std::string field = spans.empty() ? "sliding_window" : "layer_types";
      return fail(field, (spans.empty() ? "sliding_window = " + format_number(r.sliding_window)
                                        : "layer_types[" + std::to_string(i) + "] = " + quoted(span)) +
                             ": sparse attention (indexer_topk) is modeled on full-attention layers only");
    }
    if (span == "sliding") {
      if (r.sliding_window < 1)
        return fail("sliding_window", "sliding_window = " + format_number(r.sliding_window) +
                                          " must be at least 1: layer " + std::to_string(i) + " is \"sliding\"");
      layer.attention.span = Span::window;
      layer.attention.span_tokens = static_cast<int64_t>(r.sliding_window);
    } else if (span == "chunked") {
      if (r.attention_chunk < 1)
        return fail("attention_chunk", "attention_chunk = " + format_number(r.attention_chunk) +
                                           " must be at least 1: layer " + std::to_string(i) + " is \"chunked\"");
      layer.attention.span = Span::chunk;
      layer.attention.span_tokens = static_cast<int64_t>(r.attention_chunk);
    }
    const bool is_moe = mlps.empty() ? any_moe_default : mlps[i] == "moe";
    if (is_moe && r.n_experts < 2 && r.shared_experts < 1)
      return fail("n_experts", "n_experts = " + format_number(r.n_experts) + " with no shared experts: layer " +
                                   std::to_string(i) + " is \"moe\" in mlp_layer_types");
    layer.ffn = is_moe ? moe : dense;
    layer.norms = norms;
    layer.layer_norm = m.layer_norm;
    if (!m.runs.empty() && m.runs.back().layer == layer) {
      ++m.runs.back().count;
      continue;
    }
    bool merged = false;
    for (LayerRun& run : m.runs)
      if (run.layer == layer) {
        ++run.count;
        merged = true;
        break;
      }
    if (!merged) m.runs.push_back({layer, 1});
  }
  // DeepSeek-V3's MTP module holds one MoE decoder layer with full attention.
  m.mtp_layer.attention = attention;
  m.mtp_layer.ffn = any_moe_default ? moe : dense;
  m.mtp_layer.norms = norms;
  m.mtp_layer.layer_norm = m.layer_norm;

  // Refuse absurd models, naming the field that makes them so. count_params
  // works in doubles: exact here, since every partial sum stays below 1e15 < 2^53.
  const ModelParams counted = count_params_of(m);
  if (counted.total >= kMaxModelParams) {
    std::string field = "n_layers";
    const double embedding = counted.embedding + counted.position_embedding + counted.lm_head;
    const double biggest_layer = counted.per_layer;
    if (embedding >= counted.total / 2) {
      field = c.vocab_size >= c.learned_position_embeddings ? "vocab_size" : "learned_position_embeddings";
    } else if (biggest_layer >= kMaxModelParams / 2 || counted.total - embedding >= kMaxModelParams / 2) {
      if (counted.ffn >= counted.attention)
        field = c.n_experts > c.d_ff ? "n_experts" : c.d_ff > c.d_model ? "d_ff" : "d_model";
      else
        field = c.d_model >= c.n_heads * r.head_dim ? "d_model" : c.head_dim > 0 ? "head_dim" : "n_heads";
      if (c.n_layers > 1e4 && biggest_layer < kMaxModelParams / 2) field = "n_layers";
    }
    const double value = field == "vocab_size"                    ? c.vocab_size
                         : field == "learned_position_embeddings" ? c.learned_position_embeddings
                         : field == "n_experts"                   ? c.n_experts
                         : field == "d_ff"                        ? c.d_ff
                         : field == "d_model"                     ? c.d_model
                         : field == "head_dim"                    ? c.head_dim
                         : field == "n_heads"                     ? c.n_heads
                                                                  : c.n_layers;
    return fail(field, field + " = " + format_number(value) + " makes a model of about " + scientific(counted.total) +
                           " parameters (limit 1e+15)");
  }
  return result;
}

}  // namespace llmst

#include "memory/kv_cache.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/dtype.hpp"
#include "core/validate.hpp"

namespace llmst {
namespace {

// Scales and zero points of quantized KV: fp16 by default (KIVI, KVQuant and
// vLLM's int8 KV keep fp16/fp32 scales; fp16 is the common choice).
bool is_scale_dtype(const std::string& dtype) { return dtype == "fp16" || dtype == "bf16" || dtype == "fp32"; }
constexpr double kMaxExactBytes = 9007199254740992.0;  // 2^53

bool is_group_quantized(const std::string& dtype) { return dtype == "int8" || dtype == "int4"; }

Status validate(const KvCacheInput& in) {
  Status status = first_error(
      check_integer("n_layers", in.n_layers, 1, 1e6), check_integer("n_heads", in.n_heads, 1, 1e6),
      check_integer("n_kv_heads", in.n_kv_heads, 1, 1e6), check_integer("head_dim", in.head_dim, 0, 1e6),
      check_integer("d_model", in.d_model, 1, 1e9), check_integer("batch", in.batch, 1, 1e9),
      check_integer("prompt_tokens", in.prompt_tokens, 0, 1e12),
      check_integer("generated_tokens", in.generated_tokens, 0, 1e12),
      check_integer("quant_group", in.quant_group, 0, 1e6), check_integer("window", in.window, 0, 1e12),
      check_integer("sinks", in.sinks, 0, 1e12), check_integer("global_every", in.global_every, 0, 1e6),
      check_integer("attention_layers", in.attention_layers, 0, 1e6),
      check_integer("local_layers", in.local_layers, 0, 1e6), check_integer("chunk", in.chunk, 0, 1e12),
      check_integer("chunked_layers", in.chunked_layers, 0, 1e6),
      check_integer("qk_nope_head_dim", in.qk_nope_head_dim, 0, 1e6),
      check_integer("v_head_dim", in.v_head_dim, 0, 1e6), check_integer("kv_lora_rank", in.kv_lora_rank, 0, 1e6),
      check_integer("qk_rope_head_dim", in.qk_rope_head_dim, 0, 1e6),
      check_integer("indexer_head_dim", in.indexer_head_dim, 0, 1e6),
      check_integer("block_size", in.block_size, 0, 1e9));
  if (!status.ok) return status;
  if (!find_plain_dtype(in.kv_dtype))
    return error_status("kv_dtype",
                        "kv_dtype = " + quoted(in.kv_dtype) + " is not one of fp32, fp16, bf16, fp8, int8, int4");
  if (!is_scale_dtype(in.quant_scale_dtype))
    return error_status("quant_scale_dtype",
                        "quant_scale_dtype = " + quoted(in.quant_scale_dtype) + " is not one of fp16, bf16, fp32");
  if (std::fmod(in.n_heads, in.n_kv_heads) != 0)
    return error_status("n_kv_heads", "n_kv_heads = " + format_number(in.n_kv_heads) +
                                          " must divide n_heads = " + format_number(in.n_heads));
  if (in.head_dim == 0 && std::fmod(in.d_model, in.n_heads) != 0)
    return error_status("d_model", "d_model = " + format_number(in.d_model) + " must be a multiple of n_heads = " +
                                       format_number(in.n_heads) + " when head_dim is implied (0)");
  if (in.prompt_tokens + in.generated_tokens < 1)
    return error_status("prompt_tokens", "prompt_tokens + generated_tokens = 0: a sequence needs at least one token");
  if (in.sinks > 0 && in.window == 0)
    return error_status(
        "sinks", "sinks = " + format_number(in.sinks) + " needs a window > 0 (StreamingLLM keeps sinks + window)");
  if (in.global_every > 0 && in.window == 0)
    return error_status("global_every", "global_every = " + format_number(in.global_every) +
                                            " needs a window > 0 for the local layers");
  if (in.attention_layers > in.n_layers)
    return error_status("attention_layers", "attention_layers = " + format_number(in.attention_layers) +
                                                " must not exceed n_layers = " + format_number(in.n_layers));
  const double kv_layers = in.attention_layers > 0 ? in.attention_layers : in.n_layers;
  if (in.local_layers > 0 && in.window == 0)
    return error_status("local_layers", "local_layers = " + format_number(in.local_layers) + " needs a window > 0");
  if (in.chunked_layers > 0 && in.chunk == 0)
    return error_status("chunked_layers",
                        "chunked_layers = " + format_number(in.chunked_layers) + " needs a chunk > 0");
  if (in.local_layers + in.chunked_layers > kv_layers)
    return error_status(in.chunked_layers > 0 ? "chunked_layers" : "local_layers",
                        "local_layers + chunked_layers = " + format_number(in.local_layers + in.chunked_layers) +
                            " must not exceed the " + format_number(kv_layers) + " layers that keep KV");
  if (in.qk_rope_head_dim > 0 && in.kv_lora_rank == 0)
    return error_status("qk_rope_head_dim",
                        "qk_rope_head_dim = " + format_number(in.qk_rope_head_dim) + " needs kv_lora_rank > 0 (MLA)");
  return ok_status();
}

}  // namespace

KvCacheInput kv_cache_defaults() { return {}; }

KvCacheInput kv_input_from_model(const ValidModel& model, KvCacheInput workload) {
  const AttentionSpec& a = model.runs.front().layer.attention;  // one attention shape per model
  workload.n_layers = static_cast<double>(model.n_layers);
  workload.n_heads = static_cast<double>(a.heads);
  workload.n_kv_heads = static_cast<double>(a.kv_heads);
  workload.head_dim = static_cast<double>(a.head_dim);
  workload.d_model = static_cast<double>(model.d_model);
  workload.attention_layers = 0;
  workload.kv_lora_rank = a.mla ? static_cast<double>(a.kv_lora_rank) : 0;
  workload.qk_rope_head_dim = a.mla ? static_cast<double>(a.qk_rope_head_dim) : 0;
  workload.qk_nope_head_dim = a.mla ? static_cast<double>(a.qk_nope_head_dim) : 0;
  workload.v_head_dim = a.mla ? static_cast<double>(a.v_head_dim) : 0;
  workload.indexer_head_dim = static_cast<double>(a.indexer_head_dim);
  double sliding = 0, chunked = 0, window = 0, chunk = 0;
  for (const LayerRun& run : model.runs) {
    if (run.layer.attention.span == Span::window) {
      sliding += static_cast<double>(run.count);
      window = static_cast<double>(run.layer.attention.span_tokens);
    } else if (run.layer.attention.span == Span::chunk) {
      chunked += static_cast<double>(run.count);
      chunk = static_cast<double>(run.layer.attention.span_tokens);
    }
  }
  workload.window = window;
  workload.local_layers = sliding;
  workload.global_every = 0;
  workload.chunk = chunk;
  workload.chunked_layers = chunked;
  if (sliding == 0) workload.sinks = 0;
  return workload;
}

KvModelInput kv_input_of_model(const ModelConfig& model, const KvCacheInput& workload) {
  const ValidatedModel validated = validate_model(model);
  if (!validated.status.ok) return {validated.status, workload};
  return {ok_status(), kv_input_from_model(validated.model, workload)};
}

namespace {

// Tokens held, summed over KV layers: full layers keep all, local ones their window, chunked ones a chunk.
double held_tokens_of(const KvCacheResult& r) {
  return r.global_layers * r.global_cached_tokens + r.local_layers * r.local_cached_tokens +
         r.chunked_layers * r.chunked_cached_tokens;
}

}  // namespace

double kv_sequence_bytes(const KvCacheInput& in, const KvCacheResult& shape, double tokens) {
  if (shape.kv_layers * tokens * shape.bytes_per_token_per_layer > kMaxExactBytes)
    return std::numeric_limits<double>::infinity();
  KvCacheResult r;
  r.global_layers = shape.global_layers;
  r.local_layers = shape.local_layers;
  r.chunked_layers = shape.chunked_layers;
  r.global_cached_tokens = tokens;
  r.local_cached_tokens = in.window > 0 ? std::min(tokens, in.sinks + in.window) : tokens;
  r.chunked_cached_tokens = in.chunk > 0 ? std::min(tokens, in.chunk) : tokens;
  return held_tokens_of(r) * shape.bytes_per_token_per_layer;
}

KvCacheResult kv_cache(const KvCacheInput& in) {
  KvCacheResult r;
  r.status = validate(in);
  if (!r.status.ok) return r;

  r.head_dim = in.head_dim > 0 ? in.head_dim : in.d_model / in.n_heads;
  r.tokens = in.prompt_tokens + in.generated_tokens;

  // Which layers keep what. Gemma-2 alternates local and global starting with
  // a local layer, so of L layers floor(L / G) are global.
  r.kv_layers = in.attention_layers > 0 ? in.attention_layers : in.n_layers;
  r.chunked_layers = in.chunked_layers;
  const double unchunked = r.kv_layers - r.chunked_layers;
  if (in.window == 0)
    r.local_layers = 0;
  else if (in.local_layers > 0)
    r.local_layers = in.local_layers;
  else if (in.global_every > 0)
    r.local_layers = unchunked - std::floor(unchunked / in.global_every);
  else
    r.local_layers = unchunked;
  r.global_layers = unchunked - r.local_layers;
  r.global_cached_tokens = r.tokens;
  r.local_cached_tokens = in.window > 0 ? std::min(r.tokens, in.sinks + in.window) : r.tokens;
  // A chunked layer attends only within its chunk, so it keeps at most one chunk.
  r.chunked_cached_tokens = in.chunk > 0 ? std::min(r.tokens, in.chunk) : r.tokens;

  // One cached vector: a K or V head vector, or an MLA latent (+ RoPE key).
  const bool mla = in.kv_lora_rank > 0;
  r.vector_values = mla ? in.kv_lora_rank + in.qk_rope_head_dim : r.head_dim;
  r.vectors_per_token_per_layer = mla ? 1 : 2 * in.n_kv_heads;
  r.bits_per_value = find_plain_dtype(in.kv_dtype)->bits;
  const double data_bytes = std::ceil(r.vector_values * r.bits_per_value / 8);
  if (is_group_quantized(in.kv_dtype)) {
    const double group = in.quant_group > 0 ? std::min(in.quant_group, r.vector_values) : r.vector_values;
    const double groups = std::ceil(r.vector_values / group);
    const double scale_bytes = find_plain_dtype(in.quant_scale_dtype)->bits / 8;
    const std::string& scale = in.quant_scale_dtype;
    r.scale_bytes_per_vector = groups * scale_bytes * (in.quant_asymmetric ? 2 : 1);
    r.layout = in.kv_dtype + (in.quant_asymmetric ? " asymmetric" : " symmetric") + ", one " + scale + " scale" +
               (in.quant_asymmetric ? " and one " + scale + " zero point" : "") + " per group of " +
               format_number(group) + " values along " + (mla ? "the latent" : "head_dim") + " (" +
               format_number(groups) + " per vector, per token)";
  } else {
    r.scale_bytes_per_vector = 0;
    r.layout = in.kv_dtype + (in.kv_dtype == "fp8" ? ", one per-tensor scale (negligible)" : ", no scales");
  }
  r.vector_bytes = data_bytes + r.scale_bytes_per_vector;
  r.effective_bits_per_value = 8 * r.vector_bytes / r.vector_values;

  // Sparse attention's indexer key: one fp8 byte per value and an fp32 scale per 128 values.
  r.indexer_bytes_per_token_per_layer =
      in.indexer_head_dim > 0 ? in.indexer_head_dim + 4 * std::ceil(in.indexer_head_dim / 128) : 0;
  // 2 · kv_heads · head_dim · bytes per layer (MLA: one latent), times layers.
  r.bytes_per_token_per_layer = r.vectors_per_token_per_layer * r.vector_bytes + r.indexer_bytes_per_token_per_layer;
  r.bytes_per_token = r.kv_layers * r.bytes_per_token_per_layer;
  const double held_tokens = held_tokens_of(r);
  if (mla && in.qk_nope_head_dim > 0 && in.v_head_dim > 0)
    r.unabsorbed_bytes_per_token =
        r.kv_layers * (in.n_heads * (in.qk_nope_head_dim + in.qk_rope_head_dim + in.v_head_dim) * r.bits_per_value / 8 +
                       r.indexer_bytes_per_token_per_layer);
  r.bytes_per_sequence = held_tokens * r.bytes_per_token_per_layer;
  r.bytes = r.bytes_per_sequence * in.batch;
  r.full_attention_bytes = r.kv_layers * r.tokens * r.bytes_per_token_per_layer * in.batch;
  // Byte counts cross to JS as doubles, exact below 2^53 (9 PB): refuse beyond,
  // naming the input that makes the cache that large.
  if (r.full_attention_bytes > kMaxExactBytes) {
    const bool per_sequence = r.full_attention_bytes / in.batch > kMaxExactBytes;
    const std::string field = per_sequence ? "prompt_tokens" : "batch";
    const double value = per_sequence ? in.prompt_tokens : in.batch;
    KvCacheResult refused;
    refused.status = error_status(field, field + " = " + format_number(value) + " makes a KV cache of about " +
                                             format_number(std::round(r.full_attention_bytes / 1e15)) +
                                             " PB (limit 9 PB, where byte counts stop being exact)");
    return refused;
  }
  r.scale_bytes = held_tokens * r.vectors_per_token_per_layer * r.scale_bytes_per_vector * in.batch;

  // Paged (vLLM): each layer's tokens live in whole blocks of block_size tokens,
  // so only the last block of each layer's sequence is partly empty.
  r.block_size = in.block_size;
  if (in.block_size > 0) {
    r.block_bytes_per_layer = in.block_size * r.bytes_per_token_per_layer;
    r.blocks_per_sequence = r.global_layers * std::ceil(r.global_cached_tokens / in.block_size) +
                            r.local_layers * std::ceil(r.local_cached_tokens / in.block_size) +
                            r.chunked_layers * std::ceil(r.chunked_cached_tokens / in.block_size);
    r.paged_bytes = r.blocks_per_sequence * r.block_bytes_per_layer * in.batch;
    r.paged_waste_bytes = r.paged_bytes - r.bytes;
    r.paged_waste_fraction = r.paged_waste_bytes / r.paged_bytes;
  }
  return r;
}

namespace {

KvCompareRow row_of(const std::string& id, const std::string& label, const KvCacheInput& input) {
  const KvCacheResult r = kv_cache(input);
  return {id, label, input.n_kv_heads, r.bytes_per_token, r.bytes_per_sequence, r.bytes, 0};
}

// A variant with more KV heads than the input may pass the exactness limit; it is left out.
void push_if_valid(std::vector<KvCompareRow>& rows, const std::string& id, const std::string& label,
                   const KvCacheInput& input) {
  if (kv_cache(input).status.ok) rows.push_back(row_of(id, label, input));
}

void fill_ratios(std::vector<KvCompareRow>& rows) {
  for (KvCompareRow& row : rows) row.ratio_to_first = rows.front().bytes > 0 ? row.bytes / rows.front().bytes : 0;
}

}  // namespace

KvCompareResult kv_compare(const KvCacheInput& input) {
  KvCompareResult out;
  const KvCacheResult base = kv_cache(input);
  out.status = base.status;
  if (!out.status.ok) return out;

  // Variants: same layers and head_dim, kv_heads = heads / chosen / 1.
  KvCacheInput dense = input;
  dense.kv_lora_rank = 0;
  dense.qk_rope_head_dim = 0;
  // An MLA model's heads without the latent: K of nope + rope and V of v per
  // head, i.e. (nope + rope + v) / 2 values per cached vector on average.
  const double mla_pair = input.qk_nope_head_dim + input.qk_rope_head_dim + input.v_head_dim;
  const bool mla_heads =
      input.kv_lora_rank > 0 && input.qk_nope_head_dim > 0 && input.v_head_dim > 0 && std::fmod(mla_pair, 2) == 0;
  if (mla_heads) dense.head_dim = mla_pair / 2;
  dense.qk_nope_head_dim = dense.v_head_dim = dense.indexer_head_dim = 0;
  KvCacheInput mha = dense, mqa = dense;
  mha.n_kv_heads = input.n_heads;
  mqa.n_kv_heads = 1;
  push_if_valid(out.variants, "mha",
                "MHA (" + format_number(input.n_heads) + " KV heads" +
                    (mla_heads ? "; K " + format_number(input.qk_nope_head_dim + input.qk_rope_head_dim) + " and V " +
                                     format_number(input.v_head_dim) + " per head, what MLA replaces"
                               : "") +
                    ")",
                mha);
  if (input.n_kv_heads > 1 && input.n_kv_heads < input.n_heads)
    out.variants.push_back(row_of("gqa", "GQA (" + format_number(input.n_kv_heads) + " KV heads)", dense));
  out.variants.push_back(row_of("mqa", "MQA (1 KV head)", mqa));
  if (input.kv_lora_rank > 0) {
    KvCompareRow mla =
        row_of("mla",
               "MLA (latent " + format_number(input.kv_lora_rank) + " + RoPE " + format_number(input.qk_rope_head_dim) +
                   (input.indexer_head_dim > 0 ? ", + the sparse-attention indexer key" : "") + ")",
               input);
    mla.n_kv_heads = 0;
    out.variants.push_back(mla);
  }
  fill_ratios(out.variants);

  // Strategies: the same model keeping different tokens.
  out.window_used = input.window > 0 ? input.window : 4096;
  out.sinks_used = input.sinks > 0 ? input.sinks : 4;
  out.global_every_used = input.global_every > 0 ? input.global_every : 2;
  KvCacheInput full = input, window = input, sinks = input, interleaved = input;
  for (KvCacheInput* strategy : {&full, &window, &sinks, &interleaved})
    strategy->local_layers = strategy->chunk = strategy->chunked_layers = 0;
  full.window = full.sinks = full.global_every = 0;
  window.window = out.window_used;
  window.sinks = window.global_every = 0;
  sinks.window = out.window_used;
  sinks.sinks = out.sinks_used;
  sinks.global_every = 0;
  interleaved.window = out.window_used;
  interleaved.sinks = 0;
  interleaved.global_every = out.global_every_used;
  const std::string w = format_number(out.window_used);
  const std::vector<std::pair<KvCompareRow, KvCacheInput>> strategies = {
      {row_of("full", "Full attention", full), full},
      {row_of("window", "Sliding window " + w, window), window},
      {row_of("sinks", format_number(out.sinks_used) + " sinks + window " + w, sinks), sinks},
      {row_of("interleaved", "1 global every " + format_number(out.global_every_used) + " layers, window " + w,
              interleaved),
       interleaved},
      {row_of("configured", "As configured", input), input},
  };
  for (const auto& [row, strategy_input] : strategies) out.strategies.push_back(row);
  fill_ratios(out.strategies);

  // Context sweep, powers of two (and the input's own context).
  const double max_context = std::max(std::pow(2.0, 20), base.tokens);
  std::vector<double> contexts;
  for (double context = 256; context <= max_context; context *= 2) contexts.push_back(context);
  if (std::find(contexts.begin(), contexts.end(), base.tokens) == contexts.end() && base.tokens >= 1) {
    contexts.push_back(base.tokens);
    std::sort(contexts.begin(), contexts.end());
  }
  for (const auto& [row, strategy_input] : strategies) {
    for (double context : contexts) {
      KvCacheInput at = strategy_input;
      at.prompt_tokens = context;
      at.generated_tokens = 0;
      at.batch = 1;  // per sequence; keeps every point below the exactness limit
      out.series.push_back({row.id, context, kv_cache(at).bytes_per_sequence});
    }
  }
  return out;
}

}  // namespace llmst

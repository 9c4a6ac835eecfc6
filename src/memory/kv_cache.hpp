// KV-cache size in closed form: full attention (MHA/GQA/MQA), sliding windows,
// local/global interleaving, attention sinks, hybrid models where only some
// layers attend, and MLA latent caches; plain or group-quantized storage; and
// paged allocation in blocks of tokens.
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"

namespace llmst {

// The model shape and workload. Flat doubles because they arrive from JS.
struct KvCacheInput {
  // Model shape (Llama-2-7B by default).
  double n_layers = 32;
  double n_heads = 32;
  double n_kv_heads = 32;  // = n_heads: MHA; 1: MQA; in between: GQA
  double head_dim = 128;   // 0: d_model / n_heads (must divide)
  double d_model = 4096;   // read only when head_dim = 0
  // Workload: tokens per sequence = prompt + generated.
  double batch = 1;
  double prompt_tokens = 4096;
  double generated_tokens = 0;
  // Storage. int8/int4 carry one fp16 scale (+ one fp16 zero point when
  // asymmetric) per group of quant_group values along head_dim, for each token,
  // layer and KV head; 0 means one group per head vector (per token, per head).
  // fp32/fp16/bf16/fp8 carry no per-group scale (fp8: one per-tensor scale).
  std::string kv_dtype = "fp16";
  double quant_group = 0;
  bool quant_asymmetric = false;
  // The dtype of those scales (and zero points): "fp16" (default), "bf16" or
  // "fp32" (the lab's decode kernel keeps fp32 scales).
  std::string quant_scale_dtype = "fp16";
  // Which tokens each layer keeps.
  double window = 0;            // 0: full attention; W: local layers keep the last W tokens
  double sinks = 0;             // StreamingLLM: local layers also keep the first S tokens (needs window)
  double global_every = 0;      // with window: every G-th layer is global (Gemma-2: 2, Gemma-3: 6); 0: none
  double attention_layers = 0;  // hybrid: layers that keep KV (Jamba-52B: 4 of 32); 0: all
  double local_layers = 0;    // with window: exactly this many KV layers are local (overrides global_every); 0: derived
  double chunk = 0;           // Llama 4: chunked layers keep at most one chunk of tokens
  double chunked_layers = 0;  // how many KV layers are chunked (needs chunk)
  // MLA (DeepSeek-V2/V3): each layer caches one latent of kv_lora_rank plus a
  // shared RoPE key of qk_rope_head_dim per token, with no per-head K and V.
  double kv_lora_rank = 0;  // 0: not MLA
  double qk_rope_head_dim = 0;
  double qk_nope_head_dim = 0;  // MLA: with v_head_dim, what an engine that does not absorb
  double v_head_dim = 0;        // the up-projections caches (per-head K and V)
  // DeepSeek Sparse Attention: each layer also caches its indexer's key of
  // indexer_head_dim values per token, in fp8 with one fp32 scale per 128
  // values whatever kv_dtype is (DeepSeek's inference code, vLLM, SGLang). 0: none.
  double indexer_head_dim = 0;
  // Paged allocation (vLLM): tokens per block; 0: no paging figures.
  double block_size = 16;
};

struct KvCacheResult {
  Status status;
  // Resolved shape.
  double head_dim = 0;
  double tokens = 0;          // per sequence: prompt + generated
  double kv_layers = 0;       // layers that keep a KV cache
  double global_layers = 0;   // keep every token
  double local_layers = 0;    // keep min(tokens, sinks + window)
  double chunked_layers = 0;  // keep min(tokens, chunk)
  double global_cached_tokens = 0;
  double local_cached_tokens = 0;
  double chunked_cached_tokens = 0;
  // Storage of one cached vector (a K or V head vector, or an MLA latent).
  double vector_values = 0;                      // head_dim, or kv_lora_rank + qk_rope_head_dim
  double vectors_per_token_per_layer = 0;        // 2 · kv_heads, or 1 for MLA
  double bits_per_value = 0;                     // the dtype's storage bits
  double vector_bytes = 0;                       // data + scales for one vector
  double scale_bytes_per_vector = 0;             // the scale (+ zero point) share of vector_bytes
  double effective_bits_per_value = 0;           // 8 · vector_bytes / vector_values
  std::string layout;                            // the storage layout in words
  double indexer_bytes_per_token_per_layer = 0;  // sparse attention's indexer key (fp8 + scales); 0: none
  // Sizes.
  double bytes_per_token_per_layer = 0;  // the cached vectors + the indexer key
  double bytes_per_token = 0;            // one token held by every KV layer
  double bytes_per_sequence = 0;         // tokens actually held, windows applied
  double bytes = 0;                      // bytes_per_sequence · batch
  double full_attention_bytes = 0;       // the same model with every KV layer global
  double scale_bytes = 0;                // the scale overhead inside bytes
  // MLA: the bytes per token an engine holds when it does not absorb the
  // up-projections and caches per-head K (nope + rope) and V instead (0 otherwise).
  double unabsorbed_bytes_per_token = 0;
  // Paged allocation (block_size > 0): whole blocks per layer kind.
  double block_size = 0;
  double block_bytes_per_layer = 0;  // block_size · bytes_per_token_per_layer
  double blocks_per_sequence = 0;    // summed over KV layers
  double paged_bytes = 0;            // blocks · block bytes · batch
  double paged_waste_bytes = 0;      // paged_bytes - bytes
  double paged_waste_fraction = 0;   // of paged_bytes
};

// The default input (Llama-2-7B, 4096 tokens, fp16): the JS API spreads it.
KvCacheInput kv_cache_defaults();

// Fills the shape fields from a validated model: its KV heads and head_dim (or
// MLA latent), and how many layers are full, sliding and chunked.
KvCacheInput kv_input_from_model(const ValidModel& model, KvCacheInput workload);

// The same from a model config, checked once: the KV panel, `kv --preset` and
// `kv --hf-config` call it with the workload fields of `workload`.
struct KvModelInput {
  Status status;
  KvCacheInput input;
};
KvModelInput kv_input_of_model(const ModelConfig& model, const KvCacheInput& workload);

KvCacheResult kv_cache(const KvCacheInput& input);

// kv_cache's bytes_per_sequence at another token count, on the shape it
// resolved (`shape` = kv_cache(input), status ok): the same formula, with no
// re-validation, for callers that vary only the tokens (plan's largest
// context). +inf where kv_cache refuses the count (a sequence past 9 PB).
double kv_sequence_bytes(const KvCacheInput& input, const KvCacheResult& shape, double tokens);

// One row of a comparison: an attention variant or a token-keeping strategy.
struct KvCompareRow {
  std::string id;  // "mha", "gqa", "mqa", "mla" / "full", "window", "sinks", "interleaved", "configured"
  std::string label;
  double n_kv_heads = 0;
  double bytes_per_token = 0;
  double bytes_per_sequence = 0;
  double bytes = 0;
  double ratio_to_first = 0;  // bytes / bytes of the first row
};

// One point of KV bytes per sequence against context, for one strategy.
struct KvSeriesPoint {
  std::string strategy;
  double context = 0;
  double bytes_per_sequence = 0;
};

struct KvCompareResult {
  Status status;
  std::vector<KvCompareRow> variants;    // MHA, GQA (if kv_heads is in between), MQA, MLA (if set)
  std::vector<KvCompareRow> strategies;  // full, window, sinks + window, interleaved, configured
  double window_used = 0;                // the window of the strategy rows (input or 4096)
  double sinks_used = 0;                 // (input or 4)
  double global_every_used = 0;          // (input or 2)
  std::vector<KvSeriesPoint> series;     // strategies over context 256 … max(2^20, tokens)
};

KvCompareResult kv_compare(const KvCacheInput& input);

}  // namespace llmst

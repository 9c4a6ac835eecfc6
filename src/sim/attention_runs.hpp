// Measured attention experiments: the only place that joins kernels
// (attention/) with timing, tracked memory and synthetic data.
//
//   run_attention   prefill attention, naive vs tiled, time / GFLOP/s /
//                   tracked peak bytes / max |Δ| vs fp64 on sampled rows
//   run_decode      autoregressive decode over a synthetic sequence with one
//                   KV strategy; error vs the full fp32 cache
//   seed_experiment hidden 768, 12×64 heads, caches n, 4√n, 8: window vs
//                   recompute-on-evict, showing where "faster" came from
//
// Every request is sized before anything is allocated; one that needs more
// than memory_budget_bytes is refused with the bytes it needs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace llmst::sim {

// 2 GiB: half of the module's 4 GB maximum, leaving room for the page's own use.
inline constexpr double kDefaultMemoryBudgetBytes = 2147483648.0;

struct AttentionRunInput {
  double n = 1024;            // sequence length (tokens)
  double d = 64;              // head dimension
  double heads = 1;
  std::string variant = "both";  // "naive", "tiled" or "both"
  double check_rows = 64;     // query rows per head compared with fp64 (all if n is smaller)
  double seed = 1;
  double memory_budget_bytes = kDefaultMemoryBudgetBytes;
};

struct AttentionVariantResult {
  std::string variant;        // "naive" or "tiled"
  bool refused = false;       // over the memory budget: not run
  std::string refusal;        // why, with the bytes needed
  double bytes_needed = 0;    // planned: inputs + output + workspace
  double workspace_bytes = 0; // the kernel's own buffer (naive: n×n scores)
  double peak_bytes = 0;      // tracked peak of every buffer of this run
  double seconds = 0;
  double gflop_per_s = 0;
  double max_abs_error = 0;   // vs fp64 on the checked rows
};

struct AttentionRunResult {
  Status status;
  AttentionRunInput input;
  std::string isa;            // "simd" or "scalar": how the module was built
  double flops = 0;           // 4·d·n(n+1)/2 per head: causal QKᵀ and PV, 2 FLOPs per multiply–add
  double input_bytes = 0;     // q, k, v and out, fp32
  double checked_rows = 0;    // per head
  std::vector<AttentionVariantResult> variants;
};

AttentionRunResult run_attention(const AttentionRunInput& input);

// Strategies of run_decode.
//   full       every token's K/V kept (the reference)
//   window     last cache_tokens tokens only (output changes)
//   sinks      first `sinks` tokens + last cache_tokens (StreamingLLM, Xiao et al. 2023)
//   recompute  K/V of the last cache_tokens kept, hidden states of all tokens
//              kept; evicted tokens' K/V recomputed each step (exact, more FLOPs)
//   none       no KV cache: every step recomputes all K/V from hidden states
//   int8, int4 full cache stored quantized (kv_layout, kv_group)
struct DecodeInput {
  std::string strategy = "full";
  double prompt_tokens = 256;
  double generated_tokens = 256;
  double d_model = 768;
  double heads = 12;
  // KV heads (GQA, Ainslie et al. 2023): query head h reads KV head
  // h / (heads / kv_heads); Wk and Wv project to kv_heads · head_dim.
  // 0: = heads (MHA); 1: MQA. Must divide heads.
  double kv_heads = 0;
  // Width of the synthetic hidden states x_t that Wq, Wk, Wv read; 0: d_model
  // (a transformer layer). Smaller keeps the KV cache and attention at their
  // real shape while making the projections cheap (the KV cache panel's runs).
  double hidden_dim = 0;
  double cache_tokens = 64;   // window size, or K/V kept by recompute
  double sinks = 4;
  std::string kv_layout = "per_token";  // "per_token" or "per_channel"
  double kv_group = 64;       // channels (per_token) or tokens (per_channel) per scale
  double sample_steps = 0;    // generated steps measured (evenly spaced, last included); 0: all
  double seed = 1;
  double memory_budget_bytes = kDefaultMemoryBudgetBytes;
};

// Where the measured steps' time went, in seconds summed over those steps.
// Each step reads the clock at every boundary between its parts, and a part is
// the time between two consecutive reads: the five add up to
// DecodeResult::seconds (to the rounding of five conversions from clock ticks).
struct DecodeTimeSplit {
  double projection = 0;  // Q, K and V of the new token
  double store = 0;       // keeping it: K/V into its slot, hidden state, quantization
  double recompute = 0;   // K/V of evicted tokens projected again (recompute, none)
  double dequantize = 0;  // stored codes back to fp32 rows (int8, int4)
  double attend = 0;      // QKᵀ, softmax and PV over the attended rows
};

struct DecodeResult {
  Status status;
  DecodeInput input;
  std::string isa;
  double kv_heads = 0;        // resolved: input.kv_heads, or heads when 0
  double hidden_dim = 0;      // resolved: input.hidden_dim, or d_model when 0
  double measured_steps = 0;
  double seconds = 0;         // total over measured steps (= the sum of time_split_s)
  DecodeTimeSplit time_split_s;
  double tokens_per_s = 0;    // measured_steps / seconds
  double attended_tokens = 0; // keys the last step attended to
  double kv_bytes = 0;        // persistent K/V store (codes + scales + fp32 residual), kv_heads wide
  double hidden_bytes = 0;    // hidden states kept (recompute, none)
  double weights_bytes = 0;   // Wq (d_model · hidden_dim), Wk and Wv (kv_heads · head_dim · hidden_dim each)
  double peak_bytes = 0;      // tracked peak of the strategy's buffers, weights included
  double recomputed_tokens = 0;  // K/V rows recomputed, summed over measured steps
  double recomputed_flops = 0;   // 4·hidden_dim·kv_heads·head_dim per recomputed token (K and V)
  double flops_per_step = 0;     // mean over measured steps: projections + attention + recompute
  double max_abs_error = 0;   // output vs the full fp32 cache, over measured steps
  double min_cosine = 1;      // worst cosine similarity of an output vector
  double mean_cosine = 1;
  double mask_check_max_abs = 0;  // vs fp64 attention over exactly the tokens the strategy claims
};

DecodeResult run_decode(const DecodeInput& input);

// The tokens a strategy attends to at position t (0-based, t included):
// what its mask claims. Pure: tests check it against hand-listed sets.
std::vector<std::int64_t> attended_tokens(const std::string& strategy, std::int64_t t,
                                          std::int64_t cache_tokens, std::int64_t sinks);

struct SeedExperimentInput {
  std::vector<double> sequence_lengths = {512, 1024, 2048};
  double d_model = 768;
  double heads = 12;
  double sample_steps = 16;   // measured generated steps per run (0: all)
  double seed = 1;
};

struct SeedExperimentRow {
  double sequence_length = 0;
  std::string cache_label;    // "n", "4√n" or "8"
  double cache_tokens = 0;
  DecodeResult window;        // attends to the cache only
  DecodeResult recompute;     // same cache, evicted K/V recomputed: exact
};

struct SeedExperimentResult {
  Status status;
  SeedExperimentInput input;
  std::vector<SeedExperimentRow> rows;
};

SeedExperimentResult seed_experiment(const SeedExperimentInput& input);

}  // namespace llmst::sim

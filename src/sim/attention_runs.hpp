// Measured attention experiments: the only place that joins kernels
// (attention/) with timing, tracked memory and synthetic data.
//
//   run_attention   prefill attention, naive vs tiled, time / GFLOP/s /
//                   tracked peak bytes / max |Δ| vs fp64 on sampled rows
//   run_decode      autoregressive decode over a synthetic sequence with one
//                   KV strategy; error vs the full fp32 cache
//   seed_experiment hidden 768, 12×64 heads, caches n, 4√n, 8: the seed's
//                   own algorithm beside the window that gives its output
//                   from cached K/V and the exact strategies (recompute-on-
//                   evict, none), showing where "faster" came from
//
// Every request is sized before anything is allocated; one that needs more
// than memory_budget_bytes, or than the module can allocate for a run
// (core/heap.hpp: 2 GiB, whatever the budget), is refused with the bytes it needs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "sim/timing_stats.hpp"

namespace llmst::sim {

// 2 GiB: half of the module's 4 GB maximum, leaving room for the page's own use.
inline constexpr double kDefaultMemoryBudgetBytes = 2147483648.0;

struct AttentionRunInput {
  double n = 1024;  // sequence length (tokens)
  double d = 64;    // head dimension
  double heads = 1;
  std::string variant = "both";  // "naive", "tiled" or "both"
  double check_rows = 64;        // query rows per head compared with fp64 (all if n is smaller)
  double seed = 1;
  double memory_budget_bytes = kDefaultMemoryBudgetBytes;
  double runs = kDefaultRuns;  // timed runs per variant, after one untimed warm-up (5–100)
  // The slice of heads this run computes, [head_begin, head_end); head_end 0:
  // all heads. A slice draws exactly the q, k, v the whole run gives those
  // heads (see below), so slices run apart (one per worker) give the whole
  // run's outputs bit for bit.
  double head_begin = 0;
  double head_end = 0;
};

// The synthetic data of run_attention: one Random(seed) stream of normal()
// values rounded to float, q of every head (heads × n × d, head-major), then
// k, then v. A slice jumps to its heads' values (normals_from, sim/random.hpp).

struct AttentionVariantResult {
  std::string variant;         // "naive" or "tiled"
  bool refused = false;        // over the memory budget: not run
  std::string refusal;         // why, with the bytes needed
  double bytes_needed = 0;     // planned: inputs + output + workspace
  double workspace_bytes = 0;  // the kernel's own buffer (naive: n×n scores)
  double peak_bytes = 0;       // tracked peak of every buffer of this run
  double seconds = 0;          // the median run (= time.median_s)
  TimingStats time;            // the spread of the timed runs
  double gflop_per_s = 0;      // flops / seconds
  double flops_per_s = 0;      // flops / seconds, FLOP/s (the roofline's y)
  double max_abs_error = 0;    // vs fp64 on the checked rows
  // Per head run (head_begin first): a 32-bit FNV-1a hash of the output's
  // float bits, so runs can be compared for bit-identical outputs.
  std::vector<double> head_output_hashes;
};

struct AttentionRunResult {
  Status status;
  AttentionRunInput input;
  std::string isa;          // "simd" or "scalar": how the module was built
  double heads_run = 0;     // head_end − head_begin: the heads this run computed
  double flops = 0;         // 4·d·n(n+1)/2 per head run: causal QKᵀ and PV, 2 FLOPs per multiply–add
  double input_bytes = 0;   // q, k, v and out of the heads run, fp32
  double intensity = 0;     // flops / input_bytes, FLOP/byte (the roofline's x)
  double checked_rows = 0;  // per head
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
//   seed       the seed program's step, ported: no KV cache; each step
//              projects K and V again from the hidden states of the last
//              cache_tokens tokens plus the current one (cache_tokens + 1
//              tokens, a ring of that many hidden states) and attends to
//              them. The output of window with cache_tokens + 1 (the same rows
//              by the same arithmetic; bit for bit until window's ring wraps,
//              then to float rounding: window reads its slots in ring order, a
//              rotation of token order), at the cost of re-projecting every attended
//              token each step.
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
  double cache_tokens = 64;  // window size, or K/V kept by recompute
  double sinks = 4;
  std::string kv_layout = "per_token";  // "per_token" or "per_channel"
  double kv_group = 64;                 // channels (per_token) or tokens (per_channel) per scale
  double sample_steps = 0;              // generated steps measured (evenly spaced, last included); 0: all
  // The attention output projected by Wo (d_model × d_model) as each step's
  // last part, as the seed program does; the errors then compare the projected
  // outputs (the reference projected by the same Wo).
  bool output_projection = false;
  double seed = 1;
  double memory_budget_bytes = kDefaultMemoryBudgetBytes;
  // Timed repeats of every measured step (5–100), after one untimed repeat of
  // the first: run r of the experiment is repeat r of each measured step.
  double runs = kDefaultRuns;
  // The slice of KV heads this run computes, [kv_head_begin, kv_head_end), with
  // their groups of heads / kv_heads query heads (GQA and MQA groups stay
  // whole); kv_head_end 0: every KV head. A slice draws exactly the data the
  // whole run gives those heads, so its outputs are the whole run's bit for
  // bit: how a decode run splits across workers (lib/parallel.js). Not with
  // output_projection (Wo mixes every head).
  double kv_head_begin = 0;
  double kv_head_end = 0;
};

// The synthetic data of run_decode, in the order drawn from one
// Random(seed) stream, each value normal() rounded to float: the hidden
// states x (tokens × hidden_dim), then Wq (d_model × hidden_dim), Wk and Wv
// (kv_heads·head_dim × hidden_dim), then, with output_projection, Wo
// (d_model × d_model); each W scaled by the float 1/√(its input width) so
// projections are ~N(0, 1). Row r of a W is its output r (out_r = Σ_c W[r][c] x_c).

// Where the measured steps' time went, in seconds summed over those steps.
// Each step reads the clock at every boundary between its parts, and a part is
// the time between two consecutive reads: the five add up to
// DecodeResult::seconds (to the rounding of five conversions from clock ticks).
struct DecodeTimeSplit {
  double projection = 0;  // Q, K and V of the new token
  double store = 0;       // keeping it: K/V into its slot, hidden state, quantization
  double recompute = 0;   // K/V projected again from hidden states (recompute, none, seed)
  double dequantize = 0;  // stored codes back to fp32 rows (int8, int4)
  double attend = 0;      // QKᵀ, softmax and PV over the attended rows
  double output = 0;      // the Wo projection (output_projection only)
};

// FLOPs of a measured step by part, mean over the measured steps (2 per
// multiply–add; softmax not counted). They add up to flops_per_step.
struct DecodeFlops {
  double q_projection = 0;   // 2·hidden_dim·d_model
  double kv_projection = 0;  // K and V of every token projected this step (the new one on
                             // arrival, evicted ones again, or all attended ones for seed):
                             // 4·hidden_dim·kv_heads·head_dim per token
  double attention = 0;      // QKᵀ and PV: 4·keys·d_model
  double output = 0;         // Wo: 2·d_model², with output_projection
};

struct DecodeResult {
  Status status;
  DecodeInput input;
  std::string isa;
  double kv_heads = 0;    // resolved: input.kv_heads, or heads when 0
  double hidden_dim = 0;  // resolved: input.hidden_dim, or d_model when 0
  double head_dim = 0;    // d_model / heads: the width of one head's K, V and query
  double measured_steps = 0;
  double seconds = 0;  // the median run's total over the measured steps (= the sum of time_split_s)
  TimingStats time;    // the spread of the runs' totals over the measured steps (median_s = seconds for odd runs)
  DecodeTimeSplit time_split_s;  // of the median run
  double tokens_per_s = 0;       // measured_steps / seconds
  TimingStats step_time;         // the spread over the measured steps of each one's median time over the runs
                                 // (tokens/s of a step = 1 / its time)
  double attended_tokens = 0;    // keys the last step attended to
  double kv_bytes = 0;           // persistent K/V store (codes + scales + fp32 residual), kv_heads wide
  double hidden_bytes = 0;       // hidden states kept (recompute, none)
  double weights_bytes = 0;      // Wq (d_model · hidden_dim), Wk and Wv (kv_heads · head_dim · hidden_dim each)
  double peak_bytes = 0;         // tracked peak of the strategy's buffers, weights included
  double recomputed_tokens = 0;  // K/V rows recomputed, summed over measured steps
  double recomputed_flops = 0;   // 4·hidden_dim·kv_heads·head_dim per recomputed token (K and V)
  double flops_per_step = 0;     // mean over measured steps: projections + attention + recompute
  DecodeFlops flops_by_part;     // the same by part
  double max_abs_error = 0;      // output vs the full fp32 cache, over measured steps
  double min_cosine = 1;         // worst cosine similarity of an output vector
  double mean_cosine = 1;
  double mask_check_max_abs = 0;  // vs fp64 attention over exactly the tokens the strategy claims
  double kv_heads_run = 0;        // kv_head_end − kv_head_begin: the KV heads this run computed
  // Per KV head run (kv_head_begin first): a 32-bit FNV-1a hash of its query
  // heads' outputs (after Wo, with output_projection: that block of the
  // output) over every measured step, in step order.
  std::vector<double> kv_head_output_hashes;
  // A slice only (kv_head_end ≠ 0): per measured step, per KV head run,
  // [Σ o·ref, Σ ref², Σ o²] over that head's outputs; the cosines of the whole
  // run are Σ over KV heads in order of these (how the merge recomputes
  // min_cosine and mean_cosine bit for bit). Empty for a whole run.
  std::vector<double> cosine_terms;
};

DecodeResult run_decode(const DecodeInput& input);
// The same run, also appending each measured step's output (d_model floats,
// after Wo with output_projection) to `outputs`, in step order. For tests.
DecodeResult run_decode(const DecodeInput& input, std::vector<float>& outputs);

// The tokens a strategy attends to at position t (0-based, t included):
// what its mask claims. Pure: tests check it against hand-listed sets.
std::vector<std::int64_t> attended_tokens(const std::string& strategy, std::int64_t t, std::int64_t cache_tokens,
                                          std::int64_t sinks);

struct SeedExperimentInput {
  std::vector<double> sequence_lengths = {512, 1024, 2048};
  double d_model = 768;
  double heads = 12;
  double sample_steps = 16;  // measured generated steps per run (0: all)
  double seed = 1;
  double runs = kDefaultRuns;  // timed repeats of each measured step (DecodeInput::runs)
};

// Every run of the seed experiment has output_projection on (the seed's step
// ends with Wo), so the four strategies do like-for-like work per step.
struct SeedExperimentRow {
  double sequence_length = 0;
  std::string cache_label;  // "n", "4√n" or "8"
  double cache_tokens = 0;  // W: the seed attends to the last W tokens plus the current one
  DecodeResult seed;        // the seed's algorithm: K/V of W + 1 tokens re-projected each step
  DecodeResult window;      // cache W + 1 of cached K/V: the seed's output (to float rounding)
  DecodeResult recompute;   // the window's K/V kept, evicted K/V recomputed: exact
  DecodeResult none;        // no cache, all K/V recomputed: exact, the seed's "Full"
                            // (cache-independent: one run per n, on each of its rows)
  // tokens/s of each over the seed's, from the median runs (0 when the seed's measured time is 0)
  double window_vs_seed = 0;
  double recompute_vs_seed = 0;
  double none_vs_seed = 0;
  // What the seed README printed for this row on its own machine (tokens/s,
  // the range over its runs); 0 and 0 where it printed nothing (n ≠ 2048).
  double readme_tokens_per_s_min = 0;
  double readme_tokens_per_s_max = 0;
};

struct SeedExperimentResult {
  Status status;
  SeedExperimentInput input;
  std::vector<SeedExperimentRow> rows;
};

SeedExperimentResult seed_experiment(const SeedExperimentInput& input);

}  // namespace llmst::sim

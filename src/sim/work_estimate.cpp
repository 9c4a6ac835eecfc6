#include "sim/work_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "attention/kernels.hpp"
#include "core/heap.hpp"
#include "core/validate.hpp"
#include "sim/timing_stats.hpp"

namespace llmst::sim {
namespace {

// Largest count an estimate takes (1e300): anything finite and non-negative
// is costed; whether the run accepts it is the run's own check.
constexpr double kMaxCounted = 1e300;

// Drawing one normal value (Box–Muller: log, sqrt, cos and a 64-bit generator)
// costs about as much as this many FLOPs; synthetic data is drawn for every run.
constexpr double kFlopsPerNormal = 40;

// A run's first call in a module instance warms its kernels up (core/warm_up.hpp:
// up to 200,000 tiny calls, 0.1–0.5 s at baseline speed); each set of kernels a
// run warms is counted, as if the module were fresh.
constexpr double kWarmUpSeconds = 0.2;

// An fp64 scalar reference (the runs' accuracy checks) runs about 4× slower per
// FLOP than the fp32 SIMD kernels it checks; counted as 4 FLOPs per FLOP.
constexpr double kFp64Weight = 4;

// Dequantizing one stored int8/int4 value back to fp32 (unpack, scale, store;
// called per token row and KV head, so call overhead is in it): FLOP-equivalents.
constexpr double kFlopsPerDequantized = 40;

Status counted(const std::string& field, double value) { return check_real(field, value, 0, kMaxCounted); }

// A run that needs more memory than it may take is refused by the run itself
// before any work, with a message about the memory: it is costed as nothing,
// so the memory refusal is the one the caller sees. Only certain refusals are
// skipped: `needed` is a lower bound of the run's own plan, compared with the
// module's per-run cap (core/heap.hpp) or the caller's smaller budget.
bool refused_for_memory(double needed_bytes, double budget_bytes = kRunMemoryCapBytes) {
  return needed_bytes > std::min(budget_bytes, kRunMemoryCapBytes);
}

// Executions of a timed piece of work: one untimed warm-up, then `runs` timed
// ones (timing_stats.hpp: 5 by default, the fewest whose quartiles mean something).
double executions(double runs) { return 1 + runs; }

// Totals of a run as it is costed, term by term.
struct Tally {
  double flops = 0, bytes = 0, fixed_seconds = 0;
  void add(const Tally& other) {
    flops += other.flops;
    bytes += other.bytes;
    fixed_seconds += other.fixed_seconds;
  }
};

WorkEstimate finish(const Status& status, const Tally& tally) {
  if (!status.ok) {
    WorkEstimate refused;
    refused.status = status;
    return refused;
  }
  return estimate_seconds(tally.flops, tally.bytes, tally.fixed_seconds);
}

bool known_strategy(const std::string& s) {
  return s == "full" || s == "window" || s == "sinks" || s == "recompute" || s == "none" || s == "seed" ||
         s == "int8" || s == "int4";
}

// One decode run (attention_runs.cpp, run_decode), every measured step costed
// as if at the sequence's last token. Inputs already checked as counts.
Tally decode_tally(const DecodeInput& input) {
  const std::string strategy = known_strategy(input.strategy) ? input.strategy : "full";
  const double n = input.prompt_tokens + input.generated_tokens;
  const double heads = std::max(1.0, input.heads);
  const double D = input.d_model;
  const double H = input.hidden_dim == 0 ? D : input.hidden_dim;
  const double kv_heads = input.kv_heads == 0 ? heads : std::min(input.kv_heads, heads);
  const double Dkv = std::max(1.0, kv_heads) * D / heads;
  const double cache = strategy == "none" ? 0 : input.cache_tokens;
  const double steps =
      input.sample_steps == 0 ? input.generated_tokens : std::min(input.sample_steps, input.generated_tokens);
  double keys = n, recomputed = 0;
  if (strategy == "window") keys = std::min(n, cache);
  if (strategy == "sinks") keys = std::min(n, cache + input.sinks);
  if (strategy == "seed") keys = recomputed = std::min(n, cache + 1);
  if (strategy == "recompute") recomputed = n - std::min(n, cache);
  if (strategy == "none") recomputed = n;
  const bool quantized = strategy == "int8" || strategy == "int4";
  const double output = input.output_projection ? 2 * D * D : 0;

  Tally t;
  // At least the full-cache reference's K/V and the synthetic sequence are kept.
  if (refused_for_memory(2 * n * Dkv * 4 + n * H * 4, input.memory_budget_bytes)) return t;
  // Synthetic data: the sequence and the weights, drawn once.
  const double normals = n * H + (D + 2 * Dkv) * H + (input.output_projection ? D * D : 0);
  t.flops += normals * kFlopsPerNormal;
  t.fixed_seconds += kWarmUpSeconds;
  // Every token: K and V projected (4·H·Dkv; the seed's are projected for the
  // reference); quantized strategies quantize them. The weights are costed as
  // FLOPs only: a head's slice stays in cache while it is applied.
  t.flops += n * (4 * H * Dkv + (quantized ? 8 * Dkv : 0));
  // A measured step: Q; recomputed K/V (hidden states read back); attention
  // over `keys` rows of K and V, which at long context stream from memory
  // (dequantized first when quantized); Wo.
  Tally step;
  step.flops = 2 * H * D + recomputed * 4 * H * Dkv + 4 * keys * D +
               (quantized ? 2 * keys * Dkv * kFlopsPerDequantized : 0) + output;
  step.bytes = recomputed * 4 * H + 8 * keys * Dkv;
  // Its untimed checks: attention over the full fp32 cache, fp64 attention
  // over the tokens the strategy claims, and the reference through Wo.
  step.flops += 4 * n * D + kFp64Weight * 4 * keys * D + output;
  step.bytes += 8 * n * Dkv;
  // Each measured step runs `runs` times (the first once more, untimed),
  // projecting and storing its token each time; its checks run once.
  Tally repeated;
  repeated.flops = 2 * H * D + recomputed * 4 * H * Dkv + 4 * keys * D +
                   (quantized ? 2 * keys * Dkv * kFlopsPerDequantized : 0) + output + 4 * H * Dkv;
  repeated.bytes = recomputed * 4 * H + 8 * keys * Dkv;
  t.flops += steps * (step.flops + (input.runs - 1) * repeated.flops) + repeated.flops;
  t.bytes += steps * (step.bytes + (input.runs - 1) * repeated.bytes) + repeated.bytes;
  return t;
}

Status decode_counts(const DecodeInput& input) {
  return first_error(counted("prompt_tokens", input.prompt_tokens), counted("generated_tokens", input.generated_tokens),
                     counted("d_model", input.d_model), counted("heads", input.heads),
                     counted("kv_heads", input.kv_heads), counted("hidden_dim", input.hidden_dim),
                     counted("cache_tokens", input.cache_tokens), counted("sinks", input.sinks),
                     counted("sample_steps", input.sample_steps), check_runs(input.runs));
}

std::string one_decimal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, value < 10 ? "%.1f" : "%.0f", value);
  return text;
}

std::string scientific(double value) {
  char text[64];
  std::snprintf(text, sizeof text, value < 1e4 ? "%.0f" : "%.2g", value);
  return text;
}

}  // namespace

WorkEstimate estimate_seconds(double flops, double bytes, double fixed_seconds) {
  WorkEstimate estimate;
  estimate.status =
      first_error(counted("flops", flops), counted("bytes", bytes), counted("fixed_seconds", fixed_seconds));
  if (!estimate.status.ok) return estimate;
  estimate.flops = flops;
  estimate.bytes = bytes;
  estimate.fixed_seconds = fixed_seconds;
  estimate.seconds = flops / estimate.flops_per_second + bytes / estimate.bytes_per_second + fixed_seconds;
  if (!std::isfinite(estimate.seconds))  // cannot happen within kMaxCounted; kept as the finite-result rule
    estimate.status = error_status("flops", "the run is too large to estimate (" + format_number(flops) + " FLOPs, " +
                                                format_number(bytes) + " bytes)");
  else
    estimate.text = describe_estimate(estimate);
  return estimate;
}

WorkEstimate estimate_attention_run(const AttentionRunInput& input) {
  const Status status = first_error(counted("n", input.n), counted("d", input.d), counted("heads", input.heads),
                                    counted("check_rows", input.check_rows),
                                    counted("memory_budget_bytes", input.memory_budget_bytes), check_runs(input.runs));
  Tally t;
  if (!status.ok) return finish(status, t);
  const double n = input.n, d = input.d, heads = input.heads;
  const double passes = executions(input.runs);
  const double input_bytes = 16 * heads * n * d;  // q, k, v, out
  const double kernel_flops = heads * 4 * d * n * (n + 1) / 2;
  Tally setup;  // spent only when a variant runs
  setup.fixed_seconds = kWarmUpSeconds;
  setup.flops = 3 * heads * n * d * kFlopsPerNormal;
  // fp64 reference rows, once for both variants
  setup.flops += kFp64Weight * heads * std::min(input.check_rows, n) * 4 * d * n;
  bool any_variant_runs = false;
  for (const char* variant : {"naive", "tiled"}) {
    const bool naive = variant[0] == 'n';
    if (input.variant == (naive ? "tiled" : "naive")) continue;
    const double workspace = 4 * (naive ? n * n : double(attention::tiled_workspace_floats()));
    if (refused_for_memory(input_bytes + workspace, input.memory_budget_bytes)) continue;  // not run
    any_variant_runs = true;
    t.flops += passes * kernel_flops;
    // naive writes the causal scores, reads them for the softmax and again for PV;
    // tiled streams the keys and values before each block of queries.
    t.bytes += passes * heads *
               (naive ? 3 * 4 * n * (n + 1) / 2 : std::ceil(n / double(attention::kTileQueries)) * (n + 1) / 2 * d * 8);
  }
  if (any_variant_runs) t.add(setup);
  return finish(status, t);
}

WorkEstimate estimate_decode_run(const DecodeInput& input) {
  const Status status = decode_counts(input);
  return finish(status, status.ok ? decode_tally(input) : Tally{});
}

WorkEstimate estimate_seed_experiment(const SeedExperimentInput& input) {
  Status status = first_error(counted("d_model", input.d_model), counted("heads", input.heads),
                              counted("sample_steps", input.sample_steps), check_runs(input.runs));
  if (status.ok && input.sequence_lengths.empty())
    status = error_status("sequence_lengths", "sequence_lengths is empty");
  for (double length : input.sequence_lengths)
    if (status.ok) status = counted("sequence_lengths", length);
  Tally t;
  if (!status.ok) return finish(status, t);
  // As seed_experiment runs them: none once per n, then per cache W the seed
  // (W), the window (W + 1) and recompute (W + 1), every run with Wo.
  for (double length : input.sequence_lengths) {
    DecodeInput decode;
    decode.generated_tokens = std::floor(length / 2);
    decode.prompt_tokens = length - decode.generated_tokens;
    decode.d_model = input.d_model;
    decode.heads = input.heads;
    decode.sample_steps = input.sample_steps;
    decode.runs = input.runs;
    decode.output_projection = true;
    const auto add = [&](const char* strategy, double cache_tokens) {
      decode.strategy = strategy;
      decode.cache_tokens = cache_tokens;
      t.add(decode_tally(decode));
    };
    add("none", 0);
    for (double cache : {length, std::floor(4 * std::sqrt(length)), 8.0}) {
      add("seed", cache);
      add("window", cache + 1);
      add("recompute", cache + 1);
    }
  }
  return finish(status, t);
}

WorkEstimate estimate_quant_lab(const QuantLabInput& input) {
  const Status status =
      first_error(counted("n", input.n), counted("histogram_bins", input.histogram_bins), check_runs(input.runs));
  Tally t;
  if (!status.ok) return finish(status, t);
  if (input.n * 8 > kQuantLabBudgetBytes) return finish(status, t);  // x and x̂ alone: refused by the lab
  // Per element: one normal drawn, quantized, dequantized, its error summed
  // and binned (≈ 60 FLOPs); the tensor, its codes and the restored copy
  // (≈ 24 bytes) written and read.
  t.flops = input.n * (kFlopsPerNormal + 30 + executions(input.runs) * 30);
  t.bytes = input.n * (8 + executions(input.runs) * 16);
  t.fixed_seconds = kWarmUpSeconds;
  return finish(status, t);
}

WorkEstimate estimate_quant_gemv(const QuantGemvInput& input) {
  const Status status =
      first_error(counted("rows", input.rows), counted("cols", input.cols), counted("group_size", input.group_size),
                  counted("min_time_s", input.min_time_s), check_runs(input.runs));
  Tally t;
  if (!status.ok) return finish(status, t);
  constexpr double kKernels = 5;  // f32, int8, int4, int8x8, int4x8
  const double weights = input.rows * input.cols;
  if (weights * 5.5 > kQuantLabBudgetBytes) return finish(status, t);  // fp32, int8 and int4 W: refused by the run
  // W and x drawn, the fp64 reference product, the weights quantized twice
  t.flops = weights * (kFlopsPerNormal + kFp64Weight * 2 + 2 * 8);
  t.bytes = weights * 4 * 3;
  // Each kernel repeats batches of calls until min_time_s has passed (its last
  // batch, ≥ 2 ms, may run past it): min_time_s and two batches' worth of calls.
  // Each kernel (time_runs): a warm-up call, batches doubled until one lasts a
  // sample (max(2 ms, min_time_s / runs); under two samples in all, the last
  // under two), then `runs` batches like the last. Costed both as that time
  // and as runs + 2 calls' work, for matrices whose one call outlasts a sample.
  const double sample = std::max(0.002, input.min_time_s / std::max(1.0, input.runs));
  t.fixed_seconds = kKernels * (kWarmUpSeconds + (input.runs + 2) * 2 * sample);
  t.flops += kKernels * (input.runs + 2) * (2 * weights);
  t.bytes += kKernels * (input.runs + 2) * (4 * weights);
  return finish(status, t);
}

WorkEstimate estimate_machine_probe(const ProbeInput& input) {
  // The probe's own bounds first (at most 1 GiB, 21 repeats, 1 s runs): its refusal names the field.
  const Status status = validate_probe_input(input);
  Tally t;
  if (!status.ok) return finish(status, t);
  // The array written once, then streamed `repeats` times by the SIMD and the
  // scalar kernel.
  t.bytes = input.bytes * (1 + 2 * input.repeats);
  // The multiply–add loop doubles its rounds until one call lasts min_seconds
  // (the doublings sum to under 2 calls, the last one under 2·min_seconds),
  // then runs `repeats` − 1 more: at most 2·min_seconds·(repeats + 1) per kind.
  t.fixed_seconds = kWarmUpSeconds + 2 * (2 * input.min_seconds * (input.repeats + 1));
  return finish(status, t);
}

WorkEstimate estimate_cache_sweep(const CacheSweepInput& input) {
  const Status status = validate_cache_sweep_input(input);
  Tally t;
  if (!status.ok) return finish(status, t);
  const std::vector<double> sizes = sweep_sizes(input.min_bytes, input.max_bytes, input.points_per_octave);
  t.fixed_seconds = kWarmUpSeconds;
  t.bytes = sizes.back();  // the array touched once
  for (double bytes : sizes) {
    // Per kernel (SIMD, scalar): its block planned (passes doubled until a
    // block lasts min_block_seconds: under two blocks, each under two
    // min_block_seconds), then `repeats` timed blocks, or for a set too large
    // for one block, at least two passes chunk by chunk; before each round an
    // untimed pass brings the set back into cache.
    t.fixed_seconds += 2 * (2 + input.repeats) * 2 * input.min_block_seconds;
    t.bytes += bytes * (input.repeats + 2 * (2 + std::max(2.0, input.repeats)));
  }
  return finish(status, t);
}

std::string describe_estimate(const WorkEstimate& e) {
  const double s = e.seconds;
  const std::string time = s < 1        ? "under a second"
                           : s < 120    ? "about " + one_decimal(s) + " s"
                           : s < 7200   ? "about " + one_decimal(s / 60) + " minutes"
                           : s < 172800 ? "about " + one_decimal(s / 3600) + " hours"
                                        : "about " + one_decimal(s / 86400) + " days";
  std::string basis = scientific(e.flops) + " FLOPs at " + one_decimal(e.flops_per_second / 1e9) + " GFLOP/s, " +
                      scientific(e.bytes) + " bytes at " + one_decimal(e.bytes_per_second / 1e9) + " GB/s";
  if (e.fixed_seconds > 0) basis += ", " + one_decimal(e.fixed_seconds) + " s of warm-up and timed repeats";
  return time + " (" + basis + ")";
}

}  // namespace llmst::sim

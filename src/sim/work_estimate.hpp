// How long a measured run will take, estimated before it starts, from what it
// computes (FLOPs), what it streams through memory (bytes) and the time it
// spends by design (a probe's min_seconds): the CLI refuses a run over its
// --max-seconds with this estimate, and the page asks before starting one.
//
// The rates are deliberately low, so the estimate errs long:
//   kEstimateFlopsPerSecond = 4 GFLOP/s: on this project's 2-core VM, with
//     ~10 other processes competing for it, runs counted this way went at
//     5.5–9 G/s (seed experiment at n = 512: 34 s against an estimate of 56 s;
//     tiled prefill at n = 8192: 8 s against 15 s); an idle laptop core in
//     WASM SIMD is several times faster (tiled prefill ~18 GFLOP/s there).
//   kEstimateBytesPerSecond = 2 GB/s: what that busy VM streamed (2.9 GB/s),
//     a quarter of an idle laptop core's read in WASM (8–12 GB/s), for data
//     that cannot stay in cache (long KV caches, naive attention's scores).
// A slower machine, a busy core or a browser tab in the background then still
// finishes within the estimate; an idle fast one finishes well before it.
//
// Every estimate is an upper bound in shape, not a prediction: each measured
// step is costed as if at the sequence's end, every variant that fits the
// memory budget is assumed to run, and timed repeats (`runs`, after one
// warm-up) are counted in full.
#pragma once
#include <string>

#include "core/status.hpp"
#include "sim/quant_lab.hpp"
#include "roofline/probe.hpp"
#include "sim/attention_runs.hpp"

namespace llmst::sim {

inline constexpr double kEstimateFlopsPerSecond = 4e9;
inline constexpr double kEstimateBytesPerSecond = 2e9;

struct WorkEstimate {
  Status status;
  double flops = 0;          // arithmetic of the whole run: timed, warm-up and untimed checks
  double bytes = 0;          // memory traffic the run streams (operands that do not stay in cache)
  double fixed_seconds = 0;  // time spent by design whatever the rates (repeat-until-this-long loops)
  double seconds = 0;        // flops / flops_per_second + bytes / bytes_per_second + fixed_seconds
  double flops_per_second = kEstimateFlopsPerSecond;
  double bytes_per_second = kEstimateBytesPerSecond;
  std::string text;  // describe_estimate(*this)
};

// The estimate's one formula. Refuses (status names the field) a count that is
// NaN, infinite or negative; the result is always finite when ok.
WorkEstimate estimate_seconds(double flops, double bytes, double fixed_seconds = 0);

// Per run: the counts of the run the same input would start. An input the
// estimate cannot cost (NaN, infinite or negative sizes) is refused naming the
// field; range checks beyond that stay with the run itself.
WorkEstimate estimate_attention_run(const AttentionRunInput& input);
WorkEstimate estimate_decode_run(const DecodeInput& input);
WorkEstimate estimate_seed_experiment(const SeedExperimentInput& input);
WorkEstimate estimate_quant_lab(const QuantLabInput& input);
WorkEstimate estimate_quant_gemv(const QuantGemvInput& input);
WorkEstimate estimate_machine_probe(const ProbeInput& input);
WorkEstimate estimate_cache_sweep(const CacheSweepInput& input);

// "about 2.3 minutes (5.5e11 FLOPs at 4.0 GFLOP/s, 3.1e9 bytes at 2.0 GB/s)": the
// estimate in words, for refusals and confirmations.
std::string describe_estimate(const WorkEstimate& estimate);

}  // namespace llmst::sim

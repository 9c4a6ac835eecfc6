// One kernel timed on synthetic data, for the benchmark script: the same
// function runs in the WASM SIMD build, the WASM scalar build (where
// simd::Active is the scalar twin) and the native driver (bench/).
#pragma once
#include <string>

#include "core/status.hpp"
#include "sim/timing_stats.hpp"

namespace llmst::sim {

struct KernelBenchInput {
  // "dot"      dot_rows: one vector against 64 rows of d floats (scores of a tile)
  // "softmax"  softmax of n floats into a second buffer (max, exp-sum, scale)
  // "exp"      exp of n floats
  // "round"    round_to_int32 of n floats (the quantizers' float→int step)
  // "naive", "tiled"  causal prefill attention, one head, n × d
  std::string kernel = "dot";
  double n = 4096;
  double d = 64;
  double min_seconds = 0.2;    // each timed sample: a batch of calls sized to last min_seconds / runs
  bool scalar_twin = false;    // run the scalar twin instead (natively both exist)
  double runs = kDefaultRuns;  // timed samples (5–100), after a warm-up call
};

struct KernelBenchResult {
  Status status;
  KernelBenchInput input;
  std::string isa;     // what ran: "simd" or "scalar"
  double repeats = 0;  // calls timed, over all samples
  double seconds = 0;  // per call: the median sample (= time.median_s)
  TimingStats time;    // per call, the spread of the samples
  double flops = 0;    // per repeat (exp: 0; softmax: 0 — see elements)
  double gflop_per_s = 0;
  double elements_per_s = 0;  // softmax/exp: elements per second
  double checksum = 0;        // keeps the work from being optimised away
};

KernelBenchResult bench_kernel(const KernelBenchInput& input);

}  // namespace llmst::sim

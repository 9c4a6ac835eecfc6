// This machine's own roofline: streaming read bandwidth over a large array and
// the FLOP/s of an in-register multiply-add loop, each as a SIMD kernel and its
// scalar twin. Kernels take pointers and sizes; measure_machine() times them.
#pragma once
#include <cstddef>

#include "core/status.hpp"

namespace llmst {

// x is (n); returns the sum (so the reads cannot be optimized away).
// Four independent accumulators hide the add latency.
float stream_sum_simd(const float* x, std::size_t n);
float stream_sum_scalar(const float* x, std::size_t n);

// Eight independent accumulators, acc = acc * m + a for `iterations` rounds:
// 2 FLOP per lane per accumulator per round. WASM SIMD has no FMA here, so the
// multiply and the add are separate instructions (8 FLOP/cycle/core at best).
// Returns the FLOPs done through *flops and a value that depends on every lane.
float madd_loop_simd(double iterations, double* flops);
float madd_loop_scalar(double iterations, double* flops);

// Lanes of the SIMD kernels in this build (1 when built without SIMD).
int simd_lanes();

struct ProbeInput {
  double bytes = 64.0 * 1024 * 1024;  // streamed array (well past any cache)
  double repeats = 5;                 // best of this many passes
  double min_seconds = 0.05;          // each timed FLOP run lasts at least this long
};

struct ProbeMeasure {
  double bandwidth_bytes_per_s = 0;
  double flops_per_s = 0;
  double ridge_flops_per_byte = 0;
  double checksum = 0;  // printed so the work is observable
};

struct ProbeResult {
  Status status;
  double bytes = 0;
  double simd_lanes = 1;
  ProbeMeasure simd;
  ProbeMeasure scalar;
};

// Refuses arrays over 1 GiB before allocating (the message states the bytes).
ProbeResult measure_machine(const ProbeInput& input);

}  // namespace llmst

// This machine's own roofline: streaming read bandwidth over a large array and
// the FLOP/s of an in-register multiply-add loop, each as a SIMD kernel and its
// scalar twin, and the read bandwidth over a sweep of working sets (the cache
// levels' ceilings). Kernels take pointers and sizes; measure_machine() and
// measure_cache_sweep() time them.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "roofline/plateaus.hpp"
#include "sim/timing_stats.hpp"

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
  double bytes = 64.0 * 1024 * 1024;  // streamed array (at most 1 GiB)
  double repeats = 11;                // timed passes per kernel (at most 21)
  // Each timed FLOP run lasts at least this long (at most 1 s). Short runs, many of them: a run
  // of 50 ms on a busy machine is nearly always interrupted, one of 5 ms often is not.
  double min_seconds = 0.005;
};

struct ProbeMeasure {
  double bandwidth_bytes_per_s = 0;  // bytes / fastest pass (best of repeats, as STREAM)
  double flops_per_s = 0;            // FLOPs / fastest run
  double ridge_flops_per_byte = 0;
  double checksum = 0;           // printed so the work is observable
  sim::TimingStats stream_time;  // seconds per pass over `bytes`
  sim::TimingStats flops_time;   // seconds per multiply-add run
};

struct ProbeResult {
  Status status;
  double bytes = 0;
  double simd_lanes = 1;
  ProbeMeasure simd;
  ProbeMeasure scalar;
};

// Refuses arrays over 1 GiB before allocating (the message states the bytes).
// The SIMD and scalar passes alternate, so a noisy moment hits both.
ProbeResult measure_machine(const ProbeInput& input);

// Read bandwidth over working sets from min_bytes to max_bytes, log-spaced.
// Each size: one untimed pass (the set comes into cache), then timed blocks of
// `passes` passes each, passes doubled until a block lasts min_block_seconds
// (browsers round performance.now to 0.1 ms), then `repeats` timed blocks per
// kernel, SIMD and scalar alternating. The ceiling is bytes × passes over the
// fastest block (best of repeats, as STREAM reports): other work on a shared
// machine only slows a block. The median and spread are kept beside it.
struct CacheSweepInput {
  double min_bytes = 16.0 * 1024;          // at least 4 KiB
  double max_bytes = 256.0 * 1024 * 1024;  // at most 1 GiB
  double points_per_octave = 3;            // sizes per doubling, 1 to 8
  double repeats = 5;                      // timed blocks per size and kernel, 5 to 21
  double min_block_seconds = 0.002;        // 0.0005 to 0.1
};

struct SweepPoint {
  double bytes = 0;             // working set (a multiple of 64 bytes)
  double simd_bytes_per_s = 0;  // bytes × passes / fastest block: the ceiling
  double scalar_bytes_per_s = 0;
  double simd_median_bytes_per_s = 0;  // bytes × passes / median block
  double scalar_median_bytes_per_s = 0;
  double simd_passes = 0;  // passes over the set per timed block (below 1: one chunk of a large set)
  double scalar_passes = 0;
  sim::TimingStats simd_time;  // seconds per timed block
  sim::TimingStats scalar_time;
};

struct CachePlateau {
  std::string level;      // L1, L2, L3, LLC or DRAM (plateau_names)
  double bytes_from = 0;  // smallest and largest working set measured on it
  double bytes_to = 0;
  double points = 0;              // sweep sizes on it
  double simd_bytes_per_s = 0;    // median of its points (detected on the SIMD curve)
  double scalar_bytes_per_s = 0;  // median of the scalar curve at the same sizes
};

struct CacheSweepResult {
  Status status;
  double simd_lanes = 1;
  std::vector<SweepPoint> points;
  std::vector<CachePlateau> plateaus;
  double seconds = 0;  // wall time of the whole sweep
  double checksum = 0;
};

// Bounds that keep a run short: at most 1 GiB, 21 repeats (the probe: 1 s
// per FLOP run; the sweep: 8 sizes per octave, 0.1 s blocks).
Status validate_probe_input(const ProbeInput& input);
Status validate_cache_sweep_input(const CacheSweepInput& input);

// Validates, then measures; refuses more than 1 GiB before allocating.
CacheSweepResult measure_cache_sweep(const CacheSweepInput& input);

// The sizes a sweep measures: log-spaced from min to max (both included),
// rounded to multiples of 64 bytes, distinct.
std::vector<double> sweep_sizes(double min_bytes, double max_bytes, double points_per_octave);

// Plateaus of a measured sweep (detect_plateaus on the SIMD curve, named).
std::vector<CachePlateau> sweep_plateaus(const std::vector<SweepPoint>& points, const PlateauOptions& options = {});

// The bandwidth ceiling of a working set of `at` bytes on a measured curve
// (sizes ascending, one rate each): interpolated between the two nearest
// sizes on log axes, clamped at the ends. Empty or mismatched curves: 0.
double sweep_ceiling(const std::vector<double>& bytes, const std::vector<double>& bytes_per_s, double at);

// A measured kernel under its own roof: min(peak, intensity × the ceiling at
// its working set); share = its FLOP/s over that roof (above 1: over the roof).
struct KernelRoof {
  Status status;
  double ceiling = 0;  // bytes/s at the working set (sweep_ceiling)
  double roof = 0;     // FLOP/s: min(peak_flops_per_s, intensity × ceiling)
  double share = 0;    // flops_per_s / roof
  std::string bound;   // "bandwidth" when intensity × ceiling < peak, else "compute"
};
KernelRoof kernel_roof(const std::vector<double>& bytes, const std::vector<double>& bytes_per_s,
                       double peak_flops_per_s, double intensity, double flops_per_s, double working_set_bytes);

}  // namespace llmst

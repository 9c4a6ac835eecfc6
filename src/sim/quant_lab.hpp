// The quantization lab: seeded synthetic tensors through the quant kernels,
// with error metrics and timings. The only place quant kernels meet inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "sim/timing_stats.hpp"

namespace llmst {

// Largest working set a lab run may allocate (inputs, codes, outputs): well
// inside the module's 4 GB maximum, with room for the page.
inline constexpr double kQuantLabBudgetBytes = 1024.0 * 1024 * 1024;

// A lab run splits across workers in chunks of this many values: its error
// sums are taken per chunk and the chunks added in order, so slices run apart
// merge into the whole run's figures bit for bit (lib/parallel.js).
inline constexpr double kQuantLabChunkValues = 65536;

struct QuantLabInput {
  std::string format = "int4";
  std::string layout = "group";  // tensor, channel, group
  double group_size = 128;
  std::string scale_dtype = "fp16";  // as GPTQ and AWQ store them
  bool double_quant = false;
  std::string dist = "normal";  // normal, laplace, llm (N(0,1) with outlier channels)
  double n = 1048576;           // elements
  double channel_size = 4096;   // row length: "channel" layout and llm outlier columns
  double seed = 1;
  double histogram_bins = 41;
  bool inject_nonfinite = false;    // set x[0] = NaN, x[1] = +Inf, x[2] = -Inf
  bool simd = true;                 // false: the scalar twins (when a SIMD kernel exists)
  double runs = sim::kDefaultRuns;  // timed quantize → dequantize passes (5–100), after an untimed one
  // The slice of chunks (kQuantLabChunkValues each) this run computes,
  // [chunk_begin, chunk_end); chunk_end 0: the whole tensor. A slice draws
  // exactly the values the whole run gives those chunks. Only a format whose
  // scales stay inside a chunk splits (quant_lab_chunks).
  double chunk_begin = 0;
  double chunk_end = 0;
};

// Chunks a lab run of `input` may be split into: ceil(n / chunk), or 1 when a
// scale reaches across chunks (per-tensor scales, NVFP4's tensor scale,
// double quantization's mean of every scale, a group or FP8 tile band that
// does not divide the chunk) or the input is not valid.
double quant_lab_chunks(const QuantLabInput& input);

struct QuantLabResult {
  Status status;
  std::string format;
  std::string dist;
  double n = 0;
  double group_size = 0;  // weights per scale actually used
  double bits_per_weight = 0;
  double rel_rmse = 0;
  double snr_db = 0;
  double cosine = 0;
  double rmse = 0;
  double max_abs_error = 0;
  double mean_abs_error = 0;
  double nonfinite_inputs = 0;      // skipped by the metrics
  std::string nonfinite_behaviour;  // what the format did with them
  std::vector<double> histogram_edges;
  std::vector<double> histogram_counts;
  double quantize_s = 0;  // one quantize → dequantize pass: the median of the timed passes (= quantize_time.median_s)
  sim::TimingStats quantize_time;  // the spread of the timed passes
  double bytes_needed = 0;
  std::string kernel;     // "simd" or "scalar"
  double chunks_run = 0;  // chunk_end − chunk_begin: the chunks this run computed
  // Per chunk run (chunk_begin first): a 32-bit FNV-1a hash of its restored
  // values' float bits, so runs can be compared for bit-identical outputs.
  std::vector<double> chunk_hashes;
  // A slice only (chunk_end set), per chunk: count, nonfinite, Σx², Σ(x̂−x)²,
  // Σx·x̂, Σx̂², Σ|x̂−x|, max |x̂−x| (quant::ErrorSums): the merge adds them in
  // chunk order, as the whole run does.
  std::vector<double> chunk_sums;
};

QuantLabResult run_quant_lab(const QuantLabInput& input);

struct QuantGemvInput {
  double rows = 4096;
  double cols = 4096;
  double group_size = 128;  // a multiple of 32 dividing cols
  double seed = 1;
  double min_time_s = 0.1;  // samples: batches of calls sized to last min_time_s / runs (≥ 2 ms)
  bool simd = true;
  double runs = sim::kDefaultRuns;  // timed samples per kernel (5–100), after a warm-up call
  // The slice of rows this run computes, [row_begin, row_end); row_end 0:
  // every row. A slice draws exactly the weights the whole run gives those
  // rows (and the whole x), so slices run apart merge bit for bit.
  double row_begin = 0;
  double row_end = 0;
};

struct GemvKernelResult {
  std::string kernel;       // f32, int8, int4, int8x8, int4x8
  double weight_bytes = 0;  // codes + scales streamed per call
  double bits_per_weight = 0;
  double seconds_per_call = 0;  // the median sample, per call (= time.median_s)
  sim::TimingStats time;        // per call, the spread of the samples
  double gb_per_s = 0;          // weight_bytes / seconds_per_call / 1e9
  double flops = 0;             // 2·rows·cols per call: one multiply–add per weight
  double intensity = 0;         // flops / weight_bytes, FLOP/byte (the roofline's x)
  double flops_per_s = 0;       // flops / seconds_per_call (the roofline's y)
  double calls = 0;             // calls timed, over all samples
  double max_abs_error = 0;     // of y vs the fp64 product with the fp32 weights
  double rel_rmse = 0;
  double cosine = 0;
  // XOR over the rows run of a 32-bit FNV-1a hash of (row index, y's float
  // bits): slices' hashes XOR into the whole run's.
  double output_hash = 0;
  // A slice only (row_end set), per row run: (y − ref)², ref², ref·y, y², the
  // terms of rel_rmse and cosine, which the merge adds in row order.
  std::vector<double> error_terms;
};

struct QuantGemvResult {
  Status status;
  double rows = 0, cols = 0, group_size = 0;
  double rows_run = 0;  // row_end − row_begin: the rows this run computed
  std::vector<GemvKernelResult> kernels;
  double bytes_needed = 0;
  std::string kernel;  // "simd" or "scalar"
};

QuantGemvResult run_quant_gemv(const QuantGemvInput& input);

// One quant kernel timed on its own, for the benchmark script (the same
// function runs in the WASM SIMD, WASM scalar and native builds).
struct QuantBenchInput {
  std::string kernel = "quantize_int8";  // quantize_int8, quantize_int4, quantize_int8_asym,
                                         // quantize_int4_asym, quantize_nf4, dequantize_int8
  double n = 1048576;
  double group_size = 128;
  double min_time_s = 0.2;  // samples: batches of calls sized to last min_time_s / runs (≥ 2 ms)
  bool simd = true;
  double runs = sim::kDefaultRuns;  // timed samples (5–100), after a warm-up call
};

struct QuantBenchResult {
  Status status;
  std::string kernel;
  std::string isa;  // "simd" or "scalar": what ran
  double n = 0;
  double calls = 0;       // calls timed, over all samples
  double seconds = 0;     // the median sample, per call (= time.median_s)
  sim::TimingStats time;  // per call, the spread of the samples
  double elements_per_s = 0;
  double checksum = 0;  // keeps the work from being optimised away
};

QuantBenchResult run_quant_bench(const QuantBenchInput& input);

// Seeded synthetic data, identical natively and in WASM (own RNG, no <random> distributions).
std::vector<float> synthetic_tensor(const std::string& dist, size_t n, size_t row_length, uint64_t seed);
// The same n values written to x (a caller's buffer, e.g. a cache-line-aligned one).
void fill_synthetic_tensor(const std::string& dist, size_t row_length, uint64_t seed, float* x, size_t n);
// Values [begin, end) of synthetic_tensor(dist, n, row_length, seed), drawn
// without the others (the stream jumps ahead, sim/random.hpp); fill_ writes
// the `count` values from begin to x.
std::vector<float> synthetic_slice(const std::string& dist, size_t n, size_t row_length, uint64_t seed, size_t begin,
                                   size_t end);
void fill_synthetic_slice(const std::string& dist, size_t n, size_t row_length, uint64_t seed, size_t begin, float* x,
                          size_t count);

}  // namespace llmst

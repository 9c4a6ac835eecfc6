#include "roofline/probe.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/validate.hpp"
#include "core/warm_up.hpp"

#ifndef LLMST_SCALAR_ONLY
#include <xsimd/xsimd.hpp>
#endif

// The timed kernels stay real functions: inlined into measure_machine (called
// once) they would run on the engine's baseline tier however warm they are.
#define LLMST_TIMED [[gnu::noinline]]

namespace llmst {

#ifndef LLMST_SCALAR_ONLY
using batch = xsimd::batch<float>;
int simd_lanes() { return static_cast<int>(batch::size); }

LLMST_TIMED float stream_sum_simd(const float* x, std::size_t n) {
  constexpr std::size_t w = batch::size;
  batch acc0(0.f), acc1(0.f), acc2(0.f), acc3(0.f);
  std::size_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    acc0 += batch::load_unaligned(x + i);
    acc1 += batch::load_unaligned(x + i + w);
    acc2 += batch::load_unaligned(x + i + 2 * w);
    acc3 += batch::load_unaligned(x + i + 3 * w);
  }
  float sum = xsimd::hadd((acc0 + acc1) + (acc2 + acc3));
  for (; i < n; ++i) sum += x[i];
  return sum;
}

LLMST_TIMED float madd_loop_simd(double iterations, double* flops) {
  const batch m(0.999999f), a(1e-6f);
  batch acc[8];
  for (int j = 0; j < 8; ++j) acc[j] = batch(1.f + 0.1f * j);
  const long rounds = static_cast<long>(iterations);
  for (long r = 0; r < rounds; ++r)
    for (int j = 0; j < 8; ++j) acc[j] = acc[j] * m + a;
  *flops = 2.0 * 8 * batch::size * static_cast<double>(rounds);
  batch total = acc[0];
  for (int j = 1; j < 8; ++j) total += acc[j];
  return xsimd::hadd(total);
}
#else
int simd_lanes() { return 1; }
float stream_sum_simd(const float* x, std::size_t n) { return stream_sum_scalar(x, n); }
float madd_loop_simd(double iterations, double* flops) { return madd_loop_scalar(iterations, flops); }
#endif

// clang's SLP vectorizer turns four scalar accumulators into one f32x4 add
// (checked with llvm-objdump: v128.load + f32x4.add), which made this "scalar"
// twin a one-accumulator SIMD loop. The empty asm statements keep each
// accumulator in its own scalar local; they emit no instruction.
#if defined(__clang__)
#define LLMST_KEEP_SCALAR(v) __asm__("" : "+r"(v))
#else
#define LLMST_KEEP_SCALAR(v) (void)0
#endif

LLMST_TIMED float stream_sum_scalar(const float* x, std::size_t n) {
  float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc0 += x[i];
    acc1 += x[i + 1];
    acc2 += x[i + 2];
    acc3 += x[i + 3];
    LLMST_KEEP_SCALAR(acc0);
    LLMST_KEEP_SCALAR(acc1);
    LLMST_KEEP_SCALAR(acc2);
    LLMST_KEEP_SCALAR(acc3);
  }
  for (; i < n; ++i) acc0 += x[i];
  return (acc0 + acc1) + (acc2 + acc3);
}

LLMST_TIMED float madd_loop_scalar(double iterations, double* flops) {
  const float m = 0.999999f, a = 1e-6f;
  float acc[8];
  for (int j = 0; j < 8; ++j) acc[j] = 1.f + 0.1f * j;
  const long rounds = static_cast<long>(iterations);
  // Keep this loop scalar: it is the "SIMD off" twin.
#pragma clang loop vectorize(disable) interleave(disable)
  for (long r = 0; r < rounds; ++r)
    for (int j = 0; j < 8; ++j) {
      acc[j] = acc[j] * m + a;
      LLMST_KEEP_SCALAR(acc[j]);  // else SLP packs the eight into two f32x4
    }
  *flops = 2.0 * 8 * static_cast<double>(rounds);
  float total = 0;
  for (int j = 0; j < 8; ++j) total += acc[j];
  return total;
}

namespace {

using Stream = float (*)(const float*, std::size_t);
using Madd = float (*)(double, double*);

double now_s() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// Seconds for `passes` passes of kernel over x. Called through a volatile
// pointer: the kernels only read memory, and the compiler could otherwise
// call one once for all passes.
double time_passes(Stream kernel, const float* x, std::size_t n, double passes, double* checksum) {
  Stream volatile call = kernel;
  const double start = now_s();
  float sum = 0;
  for (double p = 0; p < passes; ++p) sum += call(x, n);
  const double seconds = now_s() - start;
  *checksum += sum;
  return seconds;
}

// A multiply-add run's seconds; madd_rounds doubles the rounds until one run
// lasts min_seconds.
double madd_run(Madd kernel, double rounds, double* flops, double* checksum) {
  const double start = now_s();
  *checksum += kernel(rounds, flops);
  return now_s() - start;
}

double madd_rounds(Madd kernel, double min_seconds, double* checksum) {
  double rounds = 1024, flops = 0;
  while (madd_run(kernel, rounds, &flops, checksum) < min_seconds && rounds < 1e12) rounds *= 2;
  return rounds;
}

constexpr double kProbeLimit = 1073741824.0;  // 1 GiB: WASM memory is capped at 4 GB

Status refuse_bytes(const std::string& field, double bytes) {
  return error_status(field, field + " = " + format_number(bytes) + " needs " + format_number(bytes) +
                                 " bytes of WASM memory; the probe's limit is " + format_number(kProbeLimit));
}

// An array of `bytes` with every page written (first-touch page faults stay
// out of the timed passes); nullptr when the allocation fails.
float* touched_array(std::size_t n) {
  float* x = static_cast<float*>(std::malloc(n * sizeof(float)));
  if (x)
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i & 1023) * 1e-3f;
  return x;
}

// Tiny calls first, so the timed passes run optimized code (core/warm_up.hpp).
void warm_up_kernels(const float* x, double* checksum) {
  double flops = 0;
  warm_up(
      "machine probe",
      [&] {
        *checksum += stream_sum_simd(x, 1024) + madd_loop_simd(4, &flops);
        *checksum += stream_sum_scalar(x, 1024) + madd_loop_scalar(4, &flops);
      },
      2048);
}

// A timed block: `passes` whole passes over a small set, or one of `chunks`
// consecutive pieces of a large one. A large set is timed piece by piece so
// every block lasts about min_block_seconds: a 256 MiB pass takes tens of
// milliseconds, long enough for the scheduler of a busy machine to take the
// core away in the middle of most passes, while short blocks often run whole.
struct Block {
  double whole_passes = 1;
  std::size_t chunks = 1;
  std::size_t piece = 0;  // elements per chunk: whole 64-byte lines
  std::size_t n = 0;
  // Passes over the set per timed block (a fraction for a chunk).
  double passes() const { return chunks == 1 ? whole_passes : static_cast<double>(piece) / static_cast<double>(n); }
};

// Warms the set with one pass, then sizes the block: passes doubled until a
// block lasts block_s, or, when one pass lasts 2 × block_s or more, chunks of
// about block_s. Each trial is the faster of two timings: other work only
// lengthens a timing, and a lengthened one would make the block too short.
Block plan_block(Stream kernel, const float* x, std::size_t n, double block_s, double* checksum) {
  const auto trial = [&](double passes) {
    return std::min(time_passes(kernel, x, n, passes, checksum), time_passes(kernel, x, n, passes, checksum));
  };
  Block block;
  block.n = n;
  const double pass_s = trial(1);
  if (pass_s >= 2 * block_s) {
    block.chunks = static_cast<std::size_t>(std::min(256.0, std::floor(pass_s / block_s)));
    block.piece = n / block.chunks / 16 * 16;
    return block;
  }
  double seconds = pass_s;
  while (seconds < block_s && block.whole_passes < 1e9) {
    block.whole_passes *= 2;
    seconds = trial(block.whole_passes);
  }
  return block;
}

// One timed block, or, for a chunked set, one pass timed chunk by chunk.
void time_blocks(Stream kernel, const float* x, std::size_t n, const Block& block, std::vector<double>* seconds,
                 double* checksum) {
  if (block.chunks == 1) {
    seconds->push_back(time_passes(kernel, x, n, block.whole_passes, checksum));
    return;
  }
  for (std::size_t c = 0; c < block.chunks; ++c)
    seconds->push_back(time_passes(kernel, x + c * block.piece, block.piece, 1, checksum));
}

}  // namespace

Status validate_probe_input(const ProbeInput& input) {
  Status status =
      first_error(check_integer("bytes", input.bytes, 4096, 1e15), check_integer("repeats", input.repeats, 1, 21),
                  check_real_above("min_seconds", input.min_seconds, 0, 1));
  if (status.ok && input.bytes > kProbeLimit) status = refuse_bytes("bytes", input.bytes);
  return status;
}

Status validate_cache_sweep_input(const CacheSweepInput& input) {
  Status status = first_error(
      check_integer("min_bytes", input.min_bytes, 4096, 1e15), check_integer("max_bytes", input.max_bytes, 4096, 1e15),
      check_integer("points_per_octave", input.points_per_octave, 1, 8), check_integer("repeats", input.repeats, 5, 21),
      check_real("min_block_seconds", input.min_block_seconds, 0.0005, 0.1));
  if (status.ok && input.max_bytes > kProbeLimit) status = refuse_bytes("max_bytes", input.max_bytes);
  if (status.ok && input.min_bytes > input.max_bytes)
    status = error_status("min_bytes", "min_bytes = " + format_number(input.min_bytes) +
                                           " is larger than max_bytes = " + format_number(input.max_bytes));
  return status;
}

ProbeResult measure_machine(const ProbeInput& input) {
  ProbeResult r;
  r.status = validate_probe_input(input);
  if (!r.status.ok) return r;
  const std::size_t n = static_cast<std::size_t>(input.bytes / sizeof(float));
  float* x = touched_array(n);
  if (!x) {
    r.status = error_status("bytes", "bytes = " + format_number(input.bytes) + ": could not allocate " +
                                         format_number(input.bytes) + " bytes");
    return r;
  }
  const int repeats = static_cast<int>(input.repeats);
  warm_up_kernels(x, &r.simd.checksum);
  r.bytes = static_cast<double>(n * sizeof(float));
  r.simd_lanes = simd_lanes();
  // One untimed pass each, then SIMD and scalar passes alternate.
  time_passes(stream_sum_simd, x, n, 1, &r.simd.checksum);
  time_passes(stream_sum_scalar, x, n, 1, &r.scalar.checksum);
  std::vector<double> simd_s, scalar_s;
  for (int k = 0; k < repeats; ++k) {
    simd_s.push_back(time_passes(stream_sum_simd, x, n, 1, &r.simd.checksum));
    scalar_s.push_back(time_passes(stream_sum_scalar, x, n, 1, &r.scalar.checksum));
  }
  std::free(x);
  r.simd.stream_time = sim::timing_stats(simd_s);
  r.scalar.stream_time = sim::timing_stats(scalar_s);
  // Ceilings are best-of, as STREAM reports them: a roof is what the machine can reach, and
  // other work on a shared machine only ever slows a pass. The spread stays in the stats.
  r.simd.bandwidth_bytes_per_s = r.bytes / r.simd.stream_time.min_s;
  r.scalar.bandwidth_bytes_per_s = r.bytes / r.scalar.stream_time.min_s;

  const double simd_rounds = madd_rounds(madd_loop_simd, input.min_seconds, &r.simd.checksum);
  const double scalar_rounds = madd_rounds(madd_loop_scalar, input.min_seconds, &r.scalar.checksum);
  double simd_flops = 0, scalar_flops = 0;
  simd_s.clear();
  scalar_s.clear();
  for (int k = 0; k < repeats; ++k) {
    simd_s.push_back(madd_run(madd_loop_simd, simd_rounds, &simd_flops, &r.simd.checksum));
    scalar_s.push_back(madd_run(madd_loop_scalar, scalar_rounds, &scalar_flops, &r.scalar.checksum));
  }
  r.simd.flops_time = sim::timing_stats(simd_s);
  r.scalar.flops_time = sim::timing_stats(scalar_s);
  r.simd.flops_per_s = simd_flops / r.simd.flops_time.min_s;
  r.scalar.flops_per_s = scalar_flops / r.scalar.flops_time.min_s;
  r.simd.ridge_flops_per_byte = r.simd.flops_per_s / r.simd.bandwidth_bytes_per_s;
  r.scalar.ridge_flops_per_byte = r.scalar.flops_per_s / r.scalar.bandwidth_bytes_per_s;
  return r;
}

std::vector<double> sweep_sizes(double min_bytes, double max_bytes, double points_per_octave) {
  std::vector<double> sizes;
  const double octaves = std::log2(max_bytes / min_bytes);
  const int steps = static_cast<int>(std::ceil(octaves * points_per_octave - 1e-9));
  for (int k = 0; k <= steps; ++k) {
    const double raw = k == steps ? max_bytes : min_bytes * std::exp2(k / points_per_octave);
    const double bytes = std::max(64.0, std::round(raw / 64) * 64);
    if (sizes.empty() || bytes > sizes.back()) sizes.push_back(bytes);
  }
  return sizes;
}

std::vector<CachePlateau> sweep_plateaus(const std::vector<SweepPoint>& points, const PlateauOptions& options) {
  std::vector<double> simd;
  for (const SweepPoint& p : points) simd.push_back(p.simd_bytes_per_s);
  const std::vector<PlateauSpan> spans = detect_plateaus(simd, options);
  const std::vector<std::string> names = plateau_names(spans.size());
  std::vector<CachePlateau> plateaus;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    CachePlateau p;
    p.level = names[k];
    p.bytes_from = points[spans[k].first].bytes;
    p.bytes_to = points[spans[k].last].bytes;
    p.points = static_cast<double>(spans[k].last - spans[k].first + 1);
    p.simd_bytes_per_s = spans[k].bytes_per_s;
    std::vector<double> scalar;
    for (std::size_t i = spans[k].first; i <= spans[k].last; ++i) scalar.push_back(points[i].scalar_bytes_per_s);
    p.scalar_bytes_per_s = sim::timing_stats(scalar).median_s;  // the median of the values
    plateaus.push_back(p);
  }
  return plateaus;
}

CacheSweepResult measure_cache_sweep(const CacheSweepInput& input) {
  CacheSweepResult r;
  r.status = validate_cache_sweep_input(input);
  if (!r.status.ok) return r;
  const double start = now_s();
  const std::vector<double> sizes = sweep_sizes(input.min_bytes, input.max_bytes, input.points_per_octave);
  const std::size_t n_max = static_cast<std::size_t>(sizes.back() / sizeof(float));
  float* x = touched_array(n_max);
  if (!x) {
    r.status = error_status("max_bytes", "max_bytes = " + format_number(input.max_bytes) + ": could not allocate " +
                                             format_number(sizes.back()) + " bytes");
    return r;
  }
  warm_up_kernels(x, &r.checksum);
  r.simd_lanes = simd_lanes();
  const int repeats = static_cast<int>(input.repeats);
  const double block_s = input.min_block_seconds;
  // Plan every size's blocks first, then time in rounds: each round visits every size
  // once. A burst of other work on a shared machine (or on the core's other
  // hyperthread) then spoils one round of many sizes, not every repeat of a
  // few, and the best over rounds sees through it.
  std::vector<Block> simd_plan, scalar_plan;
  for (double bytes : sizes) {
    const std::size_t n = static_cast<std::size_t>(bytes / sizeof(float));
    simd_plan.push_back(plan_block(stream_sum_simd, x, n, block_s, &r.checksum));
    scalar_plan.push_back(plan_block(stream_sum_scalar, x, n, block_s, &r.checksum));
  }
  // A chunked set gives `chunks` timings per pass: it takes part in the first
  // rounds only, as many as make `repeats` timings (at least two passes).
  const auto rounds = [&](const Block& b) {
    return b.chunks == 1 ? repeats
                         : std::max(2, (repeats + static_cast<int>(b.chunks) - 1) / static_cast<int>(b.chunks));
  };
  std::vector<std::vector<double>> simd_s(sizes.size()), scalar_s(sizes.size());
  for (int k = 0; k < repeats; ++k) {
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const std::size_t n = static_cast<std::size_t>(sizes[i] / sizeof(float));
      if (k >= rounds(simd_plan[i]) && k >= rounds(scalar_plan[i])) continue;
      // The set back into cache (a larger one streams from memory either way).
      if (simd_plan[i].chunks == 1) time_passes(stream_sum_simd, x, n, 1, &r.checksum);
      if (k < rounds(simd_plan[i])) time_blocks(stream_sum_simd, x, n, simd_plan[i], &simd_s[i], &r.checksum);
      if (k < rounds(scalar_plan[i])) time_blocks(stream_sum_scalar, x, n, scalar_plan[i], &scalar_s[i], &r.checksum);
    }
  }
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    SweepPoint point;
    point.bytes = sizes[i];
    point.simd_passes = simd_plan[i].passes();
    point.scalar_passes = scalar_plan[i].passes();
    point.simd_time = sim::timing_stats(simd_s[i]);
    point.scalar_time = sim::timing_stats(scalar_s[i]);
    point.simd_bytes_per_s = point.bytes * point.simd_passes / point.simd_time.min_s;
    point.scalar_bytes_per_s = point.bytes * point.scalar_passes / point.scalar_time.min_s;
    point.simd_median_bytes_per_s = point.bytes * point.simd_passes / point.simd_time.median_s;
    point.scalar_median_bytes_per_s = point.bytes * point.scalar_passes / point.scalar_time.median_s;
    r.points.push_back(point);
  }
  std::free(x);
  r.plateaus = sweep_plateaus(r.points);
  r.seconds = now_s() - start;
  return r;
}

double sweep_ceiling(const std::vector<double>& bytes, const std::vector<double>& bytes_per_s, double at) {
  if (bytes.empty() || bytes.size() != bytes_per_s.size()) return 0;
  if (at <= bytes.front()) return bytes_per_s.front();
  if (at >= bytes.back()) return bytes_per_s.back();
  const std::size_t i = std::size_t(std::lower_bound(bytes.begin(), bytes.end(), at) - bytes.begin());
  const double t = std::log(at / bytes[i - 1]) / std::log(bytes[i] / bytes[i - 1]);
  return std::exp(std::log(bytes_per_s[i - 1]) + t * (std::log(bytes_per_s[i]) - std::log(bytes_per_s[i - 1])));
}

KernelRoof kernel_roof(const std::vector<double>& bytes, const std::vector<double>& bytes_per_s,
                       double peak_flops_per_s, double intensity, double flops_per_s, double working_set_bytes) {
  KernelRoof r;
  r.status =
      first_error(check_real_above("peak_flops_per_s", peak_flops_per_s, 0, 1e18),
                  check_real_above("intensity", intensity, 0, 1e12), check_real("flops_per_s", flops_per_s, 0, 1e18),
                  check_real_above("working_set_bytes", working_set_bytes, 0, 1e18));
  if (r.status.ok && (bytes.empty() || bytes.size() != bytes_per_s.size()))
    r.status =
        error_status("sweep", "sweep has no points with bytes and bandwidths (pass the result of measureCacheSweep)");
  if (!r.status.ok) return r;
  r.ceiling = sweep_ceiling(bytes, bytes_per_s, working_set_bytes);
  const double bandwidth_roof = intensity * r.ceiling;
  r.roof = std::min(peak_flops_per_s, bandwidth_roof);
  r.share = r.roof > 0 ? flops_per_s / r.roof : 0;
  r.bound = bandwidth_roof < peak_flops_per_s ? "bandwidth" : "compute";
  return r;
}

}  // namespace llmst

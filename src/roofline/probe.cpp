#include "roofline/probe.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

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

LLMST_TIMED float stream_sum_scalar(const float* x, std::size_t n) {
  float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc0 += x[i];
    acc1 += x[i + 1];
    acc2 += x[i + 2];
    acc3 += x[i + 3];
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
    for (int j = 0; j < 8; ++j) acc[j] = acc[j] * m + a;
  *flops = 2.0 * 8 * static_cast<double>(rounds);
  float total = 0;
  for (int j = 0; j < 8; ++j) total += acc[j];
  return total;
}

namespace {

double now_s() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// Best of `repeats` passes over x.
double best_stream_s(float (*kernel)(const float*, std::size_t), const float* x, std::size_t n, int repeats,
                     double* checksum) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const double start = now_s();
    *checksum += kernel(x, n);
    best = std::min(best, now_s() - start);
  }
  return best;
}

// Doubles the rounds until one run lasts min_seconds, then keeps the best of repeats.
double madd_flops_per_s(float (*kernel)(double, double*), double min_seconds, int repeats, double* checksum) {
  double rounds = 1024, flops = 0, seconds = 0;
  for (;;) {
    const double start = now_s();
    *checksum += kernel(rounds, &flops);
    seconds = now_s() - start;
    if (seconds >= min_seconds || rounds > 1e12) break;
    rounds *= 2;
  }
  double best = flops / seconds;
  for (int r = 1; r < repeats; ++r) {
    const double start = now_s();
    *checksum += kernel(rounds, &flops);
    best = std::max(best, flops / (now_s() - start));
  }
  return best;
}

}  // namespace

ProbeResult measure_machine(const ProbeInput& input) {
  ProbeResult r;
  constexpr double kLimit = 1073741824.0;  // 1 GiB: WASM memory is capped at 4 GB
  r.status =
      first_error(check_integer("bytes", input.bytes, 4096, 1e15), check_integer("repeats", input.repeats, 1, 1000),
                  check_real_above("min_seconds", input.min_seconds, 0, 10));
  if (r.status.ok && input.bytes > kLimit)
    r.status = error_status("bytes", "bytes = " + format_number(input.bytes) + " needs " + format_number(input.bytes) +
                                         " bytes of WASM memory; the probe's limit is " + format_number(kLimit));
  if (!r.status.ok) return r;
  const std::size_t n = static_cast<std::size_t>(input.bytes / sizeof(float));
  float* x = static_cast<float*>(std::malloc(n * sizeof(float)));
  if (!x) {
    r.status = error_status("bytes", "bytes = " + format_number(input.bytes) + ": could not allocate " +
                                         format_number(input.bytes) + " bytes");
    return r;
  }
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i & 1023) * 1e-3f;  // touch every page
  const int repeats = static_cast<int>(input.repeats);
  // Tiny calls first, so the timed passes run optimized code (core/warm_up.hpp).
  double flops = 0;
  warm_up(
      "machine probe",
      [&] {
        r.simd.checksum += stream_sum_simd(x, 1024) + madd_loop_simd(4, &flops);
        r.scalar.checksum += stream_sum_scalar(x, 1024) + madd_loop_scalar(4, &flops);
      },
      2048);
  r.bytes = static_cast<double>(n * sizeof(float));
  r.simd_lanes = simd_lanes();
  r.simd.bandwidth_bytes_per_s = r.bytes / best_stream_s(stream_sum_simd, x, n, repeats, &r.simd.checksum);
  r.scalar.bandwidth_bytes_per_s = r.bytes / best_stream_s(stream_sum_scalar, x, n, repeats, &r.scalar.checksum);
  std::free(x);
  r.simd.flops_per_s = madd_flops_per_s(madd_loop_simd, input.min_seconds, repeats, &r.simd.checksum);
  r.scalar.flops_per_s = madd_flops_per_s(madd_loop_scalar, input.min_seconds, repeats, &r.scalar.checksum);
  r.simd.ridge_flops_per_byte = r.simd.flops_per_s / r.simd.bandwidth_bytes_per_s;
  r.scalar.ridge_flops_per_byte = r.scalar.flops_per_s / r.scalar.bandwidth_bytes_per_s;
  return r;
}

}  // namespace llmst

// The few vector primitives the kernels share, written once over xsimd
// batches with a scalar loop for the tail, each beside a scalar twin.
//
//   llmst::simd::scalar::f(...)  plain C++ loops: the reference in tests and
//                                the whole "SIMD off" build
//   llmst::simd::vec::f(...)     xsimd batches (absent under LLMST_SCALAR_ONLY)
//   llmst::simd::f(...)          what kernels call: vec:: when compiled with
//                                SIMD, scalar:: under LLMST_SCALAR_ONLY
//
// Primitives: dot, dot_rows (one vector against several rows), axpy,
// accumulate_rows (out = beta·out + Σ_j p_j·row_j), max, scale,
// exp_shift_sum (out ← exp(x − shift), returns Σ), softmax (into out, which
// may be x), exp (a batch or an array), exp_nonpositive (softmax's cheaper
// exp), round_to_int32 (round half to even, saturating).
//
// WebAssembly: xsimd 8.1 has no wasm backend; its SSE4.1 backend compiles to
// f32x4 through Emscripten's SSE headers. Under Emscripten 3.1.6 the SSE
// float→int conversions (_mm_cvtps_epi32, _mm_cvttps_epi32) become one scalar
// lrint per lane, and xsimd's exp, nearbyint_as_int and to_int use them. So
// exp and round_to_int32 are written with wasm_simd128.h under
// __wasm_simd128__ (f32x4.nearest + i32x4.trunc_sat_f32x4, exponent bits
// built with integer lanes), and max uses f32x4.pmax (a single maxps on x86;
// f32x4.max needs a NaN-handling sequence).
//
// Multiply-adds in the batch loops are explicit (xsimd::fma): one fused
// instruction where the target has FMA (native -march=native), a multiply then
// an add elsewhere (SSE4.1, WASM: the same sum bit for bit as x·y + acc). The
// native build compiles with -ffp-contract=off, so the compiler never fuses on
// its own: the same inputs give the same bits whichever caller inlined the code
// (dot_rows = dot per row; a split run = the whole run).
//
// Self-contained: include only this header (plus xsimd on the include path).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#ifndef LLMST_SCALAR_ONLY
#include <xsimd/xsimd.hpp>
#endif
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace llmst::simd {

namespace scalar {

inline float dot(const float* a, const float* b, std::size_t n) {
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// out[j] = dot(x, rows + j·row_stride, n) for j < row_count.
inline void dot_rows(const float* x, const float* rows, std::size_t row_stride, std::size_t row_count, std::size_t n,
                     float* out) {
  for (std::size_t j = 0; j < row_count; ++j) out[j] = dot(x, rows + j * row_stride, n);
}

// y += alpha · x
inline void axpy(float* y, float alpha, const float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// out = beta · out + Σ_{j < row_count} p[j] · rows[j·row_stride + (0..n)]
inline void accumulate_rows(const float* p, const float* rows, std::size_t row_stride, std::size_t row_count,
                            std::size_t n, float beta, float* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] *= beta;
  for (std::size_t j = 0; j < row_count; ++j) axpy(out, p[j], rows + j * row_stride, n);
}

// Largest element; -infinity for n = 0.
inline float max(const float* x, std::size_t n) {
  float best = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < n; ++i) best = x[i] > best ? x[i] : best;
  return best;
}

inline void scale(float* x, float factor, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) x[i] *= factor;
}

// out[i] = exp(x[i] − shift); returns the sum (the softmax denominator).
// out may be x.
inline float exp_shift_sum(const float* x, float shift, float* out, std::size_t n) {
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = std::exp(x[i] - shift);
    sum += out[i];
  }
  return sum;
}

// out[i] = exp(x[i])
inline void exp(const float* x, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(x[i]);
}

// Round half to even, saturating to the int32 range; NaN → 0 (the same
// defined result as i32x4.trunc_sat_f32x4).
inline std::int32_t round_to_int32(float x) {
  if (std::isnan(x)) return 0;
  const float r = std::nearbyint(x);  // default rounding mode: half to even
  if (r >= 2147483648.0f) return std::numeric_limits<std::int32_t>::max();
  if (r < -2147483648.0f) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(r);
}

inline void round_to_int32(const float* x, std::int32_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = round_to_int32(x[i]);
}

// Softmax of one row into out, which may be x (three passes: max, exp-sum, scale).
inline void softmax(const float* x, float* out, std::size_t n) {
  if (n == 0) return;
  const float sum = exp_shift_sum(x, max(x, n), out, n);
  scale(out, 1.0f / sum, n);
}

}  // namespace scalar

#ifndef LLMST_SCALAR_ONLY
namespace vec {

using batch = xsimd::batch<float>;
using int_batch = xsimd::batch<std::int32_t>;
inline constexpr std::size_t lanes = batch::size;

// exp of every lane, ~2 ulp for x in [-87.3, 88.7); 0 below -87.3.
// Cephes expf: n = round(x·log2 e), r = x − n·ln 2 (two-part ln 2),
// exp(r) by a degree-5 polynomial, then 2^n added into the exponent bits.
#ifdef __wasm_simd128__
// All in wasm_simd128.h, with no float→int conversion at all: adding
// 1.5·2^23 rounds x·log2 e to an integer (half to even) and leaves n in the
// low mantissa bits, so (bits + 127) << 23 is 2^n directly (the magic's own
// bits vanish in the shift: 0x4B400000 << 23 = 0). Clamps with pmin/pmax
// (one minps/maxps each on x86), flush to zero with a bit-select.
inline batch exp(batch x_batch) {
  const v128_t x0 = (v128_t)x_batch.data;
  const v128_t lo = wasm_f32x4_splat(-87.3365448f);
  const v128_t x = wasm_f32x4_pmin(wasm_f32x4_pmax(x0, lo), wasm_f32x4_splat(88.7228391f));
  const v128_t magic = wasm_f32x4_splat(12582912.0f);  // 1.5 · 2^23
  const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t n = wasm_f32x4_sub(t, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  const v128_t r2 = wasm_f32x4_mul(r, r);
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, r2), r), wasm_f32x4_splat(1.0f));
  const v128_t two_n = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127)), 23);
  const v128_t result = wasm_f32x4_mul(p, two_n);
  // lanes with x0 < lo flush to 0; NaN compares false and stays NaN
  return batch((__m128)wasm_v128_andnot(result, wasm_f32x4_lt(x0, lo)));
}
#else
inline batch exp(batch x) {
  const batch hi(88.7228391f), lo(-87.3365448f);
  const auto under = x < lo;  // lanes that flush to 0
  x = xsimd::min(xsimd::max(x, lo), hi);
  const batch n = xsimd::nearbyint(x * batch(1.44269504088896341f));
  batch r = x - n * batch(0.693359375f);
  r = r - n * batch(-2.12194440e-4f);
  const batch two_n = xsimd::bitwise_cast<batch>((xsimd::nearbyint_as_int(n) + int_batch(127)) << 23);
  const batch r2 = r * r;
  batch p(1.9875691500e-4f);
  p = p * r + batch(1.3981999507e-3f);
  p = p * r + batch(8.3334519073e-3f);
  p = p * r + batch(4.1665795894e-2f);
  p = p * r + batch(1.6666665459e-1f);
  p = p * r + batch(5.0000001201e-1f);
  p = p * r2 + r + batch(1.0f);
  return xsimd::select(under, batch(0.0f), p * two_n);
}
#endif

// exp(x) for x in [−87, 88], made for softmax's exp(x − max) ≤ 1: about
// 2/3 of exp()'s operations. One-step base-2 reduction: t = x·log2 e,
// n = round(t) by the same magic-number add as exp(), f = t − n in [−½, ½],
// and 2^f by a degree-5 minimax polynomial (7.5e-8 relative on [−½, ½];
// fitted by Remez exchange). Rounding x·log2 e to float costs up to ½ ulp of
// t, so the relative error grows with |x|: measured in WASM 2.3e-7 on
// [−1, 0], 1.0e-6 on [−16, 0], 4.0e-6 on [−87, 0] (where exp(x) > 1.6e-38).
// Below −87: 0; NaN stays NaN.
inline batch exp_nonpositive(batch x) {
  const batch magic(12582912.0f + 127.0f);  // 1.5·2^23, plus the exponent bias
  const batch t = x * batch(1.44269504088896341f);
  const batch biased = t + magic;  // low mantissa bits: n + 127
  const batch f = t - (biased - magic);
  batch p(1.3276471979e-3f);
  p = p * f + batch(9.6755413342e-3f);
  p = p * f + batch(5.5507132735e-2f);
  p = p * f + batch(2.4022119724e-1f);
  p = p * f + batch(6.9314696706e-1f);
  p = p * f + batch(1.0000000717f);
  const batch two_n = xsimd::bitwise_cast<batch>(xsimd::bitwise_cast<int_batch>(biased) << 23);
  const batch result = p * two_n;
#ifdef __wasm_simd128__
  // one v128.andnot instead of blendv's shift and bit-select
  return batch((__m128)wasm_v128_andnot((v128_t)result.data, (v128_t)(x < batch(-87.0f)).data));
#else
  return xsimd::select(x < batch(-87.0f), batch(0.0f), result);
#endif
}

// Round half to even to int32, saturating; NaN → 0.
inline int_batch round_to_int32(batch x) {
#ifdef __wasm_simd128__
  return int_batch((__m128i)wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest((v128_t)x.data)));
#else
  // Native x86: cvtps is one instruction but gives INT_MIN for NaN and for
  // x ≥ 2^31; patch those lanes so every build agrees with trunc_sat.
  const batch finite = xsimd::select(xsimd::isnan(x), batch(0.0f), x);
  const int_batch rounded = xsimd::nearbyint_as_int(finite);
  const int_batch too_big = xsimd::bitwise_cast<int_batch>(xsimd::bitwise_cast(finite >= batch(2147483648.0f)));
  return rounded ^ too_big;  // INT_MIN ^ all-ones = INT_MAX
#endif
}

inline batch max(batch a, batch b) {
#ifdef __wasm_simd128__
  return batch((__m128)wasm_f32x4_pmax((v128_t)a.data, (v128_t)b.data));
#else
  return xsimd::max(a, b);
#endif
}

inline float dot(const float* a, const float* b, std::size_t n) {
  batch acc(0.0f);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) acc = xsimd::fma(batch::load_unaligned(a + i), batch::load_unaligned(b + i), acc);
  float sum = xsimd::hadd(acc);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// Four rows at a time share each load of x (four independent accumulators);
// each row's sum is formed exactly as dot() forms it, so the result for a row
// does not depend on which group it fell in.
inline void dot_rows(const float* x, const float* rows, std::size_t row_stride, std::size_t row_count, std::size_t n,
                     float* out) {
  std::size_t j = 0;
  for (; j + 4 <= row_count; j += 4) {
    const float* r0 = rows + j * row_stride;
    const float* r1 = r0 + row_stride;
    const float* r2 = r1 + row_stride;
    const float* r3 = r2 + row_stride;
    batch a0(0.0f), a1(0.0f), a2(0.0f), a3(0.0f);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
      const batch xi = batch::load_unaligned(x + i);
      a0 = xsimd::fma(xi, batch::load_unaligned(r0 + i), a0);
      a1 = xsimd::fma(xi, batch::load_unaligned(r1 + i), a1);
      a2 = xsimd::fma(xi, batch::load_unaligned(r2 + i), a2);
      a3 = xsimd::fma(xi, batch::load_unaligned(r3 + i), a3);
    }
    float s0 = xsimd::hadd(a0), s1 = xsimd::hadd(a1), s2 = xsimd::hadd(a2), s3 = xsimd::hadd(a3);
    for (; i < n; ++i) {
      s0 += x[i] * r0[i];
      s1 += x[i] * r1[i];
      s2 += x[i] * r2[i];
      s3 += x[i] * r3[i];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < row_count; ++j) out[j] = dot(x, rows + j * row_stride, n);
}

// Unrolled by four batches: independent load–multiply–add–store chains.
inline void axpy(float* y, float alpha, const float* x, std::size_t n) {
  const batch a(alpha);
  std::size_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const batch y0 = xsimd::fma(a, batch::load_unaligned(x + i), batch::load_unaligned(y + i));
    const batch y1 = xsimd::fma(a, batch::load_unaligned(x + i + lanes), batch::load_unaligned(y + i + lanes));
    const batch y2 = xsimd::fma(a, batch::load_unaligned(x + i + 2 * lanes), batch::load_unaligned(y + i + 2 * lanes));
    const batch y3 = xsimd::fma(a, batch::load_unaligned(x + i + 3 * lanes), batch::load_unaligned(y + i + 3 * lanes));
    y0.store_unaligned(y + i);
    y1.store_unaligned(y + i + lanes);
    y2.store_unaligned(y + i + 2 * lanes);
    y3.store_unaligned(y + i + 3 * lanes);
  }
  for (; i + lanes <= n; i += lanes)
    xsimd::fma(a, batch::load_unaligned(x + i), batch::load_unaligned(y + i)).store_unaligned(y + i);
  for (; i < n; ++i) y[i] += alpha * x[i];
}

inline void scale(float* x, float factor, std::size_t n);

// out = beta·out, then one axpy per row. (Holding out in registers while the
// rows stream past measured slower under V8: 2.7–4.0 vs 5.0–5.3 GFLOP/s for
// 64 rows of 64.) The row of out stays in L1 across the rows.
inline void accumulate_rows(const float* p, const float* rows, std::size_t row_stride, std::size_t row_count,
                            std::size_t n, float beta, float* out) {
  scale(out, beta, n);
  for (std::size_t j = 0; j < row_count; ++j) axpy(out, p[j], rows + j * row_stride, n);
}

inline float max(const float* x, std::size_t n) {
  float best = -std::numeric_limits<float>::infinity();
  std::size_t i = 0;
  if (n >= lanes) {
    // Four independent accumulators: max's latency, not its throughput, bounds one chain.
    batch acc0 = batch::load_unaligned(x), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (i = lanes; i + 4 * lanes <= n; i += 4 * lanes) {
      acc0 = max(acc0, batch::load_unaligned(x + i));
      acc1 = max(acc1, batch::load_unaligned(x + i + lanes));
      acc2 = max(acc2, batch::load_unaligned(x + i + 2 * lanes));
      acc3 = max(acc3, batch::load_unaligned(x + i + 3 * lanes));
    }
    for (; i + lanes <= n; i += lanes) acc0 = max(acc0, batch::load_unaligned(x + i));
    batch acc = max(max(acc0, acc1), max(acc2, acc3));
    alignas(64) float lane_values[lanes];
    acc.store_aligned(lane_values);
    for (float v : lane_values) best = v > best ? v : best;
  }
  for (; i < n; ++i) best = x[i] > best ? x[i] : best;
  return best;
}

inline void scale(float* x, float factor, std::size_t n) {
  const batch f(factor);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) (batch::load_unaligned(x + i) * f).store_unaligned(x + i);
  for (; i < n; ++i) x[i] *= factor;
}

inline float exp_shift_sum(const float* x, float shift, float* out, std::size_t n) {
  const batch s(shift);
  batch acc0(0.0f), acc1(0.0f), acc2(0.0f), acc3(0.0f);
  std::size_t i = 0;
  // Four exps in flight per iteration: each is a ~15-operation dependent chain.
  // x − shift ≤ 0 when shift is the max, so exp_nonpositive serves.
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const batch e0 = exp_nonpositive(batch::load_unaligned(x + i) - s);
    const batch e1 = exp_nonpositive(batch::load_unaligned(x + i + lanes) - s);
    const batch e2 = exp_nonpositive(batch::load_unaligned(x + i + 2 * lanes) - s);
    const batch e3 = exp_nonpositive(batch::load_unaligned(x + i + 3 * lanes) - s);
    e0.store_unaligned(out + i);
    e1.store_unaligned(out + i + lanes);
    e2.store_unaligned(out + i + 2 * lanes);
    e3.store_unaligned(out + i + 3 * lanes);
    acc0 += e0;
    acc1 += e1;
    acc2 += e2;
    acc3 += e3;
  }
  for (; i + lanes <= n; i += lanes) {
    const batch e = exp_nonpositive(batch::load_unaligned(x + i) - s);
    e.store_unaligned(out + i);
    acc0 += e;
  }
  float sum = xsimd::hadd((acc0 + acc1) + (acc2 + acc3));
  for (; i < n; ++i) {
    out[i] = std::exp(x[i] - shift);
    sum += out[i];
  }
  return sum;
}

inline void exp(const float* x, float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) exp(batch::load_unaligned(x + i)).store_unaligned(out + i);
  for (; i < n; ++i) out[i] = std::exp(x[i]);
}

inline void round_to_int32(const float* x, std::int32_t* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) round_to_int32(batch::load_unaligned(x + i)).store_unaligned(out + i);
  for (; i < n; ++i) out[i] = scalar::round_to_int32(x[i]);
}

inline void softmax(const float* x, float* out, std::size_t n) {
  if (n == 0) return;
  const float sum = exp_shift_sum(x, max(x, n), out, n);
  scale(out, 1.0f / sum, n);
}

}  // namespace vec
namespace active = vec;
inline constexpr bool kSimd = true;
#else
namespace active = scalar;
inline constexpr bool kSimd = false;
#endif

// The same primitives as a type, so a kernel can be written once as a
// template and instantiated for both: kernel<simd::Scalar> is the twin.
#define LLMST_SIMD_OPS(NS)                                                                 \
  static constexpr auto dot = [](auto... a) { return NS::dot(a...); };                     \
  static constexpr auto dot_rows = [](auto... a) { NS::dot_rows(a...); };                  \
  static constexpr auto axpy = [](auto... a) { NS::axpy(a...); };                          \
  static constexpr auto accumulate_rows = [](auto... a) { NS::accumulate_rows(a...); };    \
  static constexpr auto max = [](auto... a) { return NS::max(a...); };                     \
  static constexpr auto scale = [](auto... a) { NS::scale(a...); };                        \
  static constexpr auto exp_shift_sum = [](auto... a) { return NS::exp_shift_sum(a...); }; \
  static constexpr auto softmax = [](auto... a) { NS::softmax(a...); };
struct Scalar {
  static constexpr const char* name = "scalar";
  LLMST_SIMD_OPS(scalar)
};
struct Active {
  static constexpr const char* name = kSimd ? "simd" : "scalar";
  LLMST_SIMD_OPS(active)
};
#undef LLMST_SIMD_OPS

// What kernels call.
using active::accumulate_rows;
using active::axpy;
using active::dot;
using active::dot_rows;
using active::exp;
using active::exp_shift_sum;
using active::max;
using active::round_to_int32;
using active::scale;
using active::softmax;

}  // namespace llmst::simd

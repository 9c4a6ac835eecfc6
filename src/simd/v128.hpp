// The 128-bit helpers the quant kernels share (quant/kernels_simd.cpp):
// float ↔ byte conversions, int8 dot products, NaN-aware clamps and finite
// min / max / absmax over a group. SSE4.1 intrinsics and xsimd batches, which
// Emscripten maps one-to-one onto WASM SIMD, with __wasm_simd128__ paths
// where its translation is slow (Emscripten 3.1.6 turns _mm_cvtps_epi32 into
// one scalar lrint per lane: DESIGN.md). Only for SIMD builds: include it
// under #ifndef LLMST_SCALAR_ONLY.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace llmst::simd::v128 {

using arch = xsimd::sse4_1;
using f32x4 = xsimd::batch<float, arch>;

// Round to nearest (ties to even) for |value| < 2^22, NaN → 0: codes. In
// WASM, adding 1.5·2^23 rounds in the float adder and leaves the integer in
// the low mantissa bits (bits − bits(1.5·2^23) is it, as an int32): four
// cheap operations where f32x4.nearest + i32x4.trunc_sat_f32x4 cost about
// ten x86 instructions under V8 (trunc_sat's NaN and overflow fix-ups).
inline __m128i round_code(f32x4 value) {
#ifdef __wasm_simd128__
  const v128_t v = (v128_t)(__m128)value;
  const v128_t finite = wasm_v128_and(v, wasm_f32x4_eq(v, v));  // NaN → +0
  const v128_t biased = wasm_f32x4_add(finite, wasm_f32x4_splat(12582912.0f));
  return (__m128i)wasm_i32x4_sub(biased, wasm_i32x4_splat(0x4B400000));
#else
  return _mm_cvtps_epi32(xsimd::select(value == value, value, f32x4(0.0f)));  // cvtps gives INT_MIN for NaN
#endif
}

inline float horizontal_max(f32x4 value) {
  alignas(16) float lanes[4];
  value.store_aligned(lanes);
  return std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
}

// 16 unsigned bytes u → 4 × f32x4 of (u - bias).
inline void widen_unsigned(__m128i bytes, float bias, f32x4 out[4]) {
#ifdef __wasm_simd128__
  // No int→float convert: clang 14 folds extend + f32x4.convert_i32x4 into a
  // <4 x i16> sitofp that it scalarizes (16 extract_lane + f32.convert). The
  // bits 0x4B000000 | u are the float 2^23 + u; subtracting 2^23 + bias is exact.
  const v128_t low = wasm_u16x8_extend_low_u8x16((v128_t)bytes), high = wasm_u16x8_extend_high_u8x16((v128_t)bytes);
  const v128_t magic = wasm_i32x4_splat(0x4B000000);
  const v128_t offset = wasm_f32x4_splat(8388608.0f + bias);
  out[0] = (__m128)wasm_f32x4_sub(wasm_v128_or(wasm_u32x4_extend_low_u16x8(low), magic), offset);
  out[1] = (__m128)wasm_f32x4_sub(wasm_v128_or(wasm_u32x4_extend_high_u16x8(low), magic), offset);
  out[2] = (__m128)wasm_f32x4_sub(wasm_v128_or(wasm_u32x4_extend_low_u16x8(high), magic), offset);
  out[3] = (__m128)wasm_f32x4_sub(wasm_v128_or(wasm_u32x4_extend_high_u16x8(high), magic), offset);
#else
  const f32x4 offset(bias);
  out[0] = f32x4(_mm_cvtepi32_ps(_mm_cvtepu8_epi32(bytes))) - offset;
  out[1] = f32x4(_mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(bytes, 4)))) - offset;
  out[2] = f32x4(_mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(bytes, 8)))) - offset;
  out[3] = f32x4(_mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(bytes, 12)))) - offset;
#endif
}

// 16 int8 → 4 × f32x4 (flip the sign bit: c + 128 as unsigned, bias 128).
inline void widen_int8(__m128i bytes, f32x4 out[4]) {
  widen_unsigned(_mm_xor_si128(bytes, _mm_set1_epi8(char(0x80))), 128.0f, out);
}

// 16 bytes → 4 × f32x4 holding byte k of `bytes` as a signed value times
// 2^24: a byte shuffle puts byte k in the top byte of lane k (zeros below,
// index -1 gives 0), then int→float, which is exact. The 2^-24 goes into the
// group's scale. Two operations per four weights (pshufb + cvtdq2ps natively,
// i8x16.swizzle + f32x4.convert_i32x4_s in WASM), half of widen_int8's.
inline void widen_bytes_top(__m128i bytes, f32x4 out[4]) {
  out[0] = _mm_cvtepi32_ps(
      _mm_shuffle_epi8(bytes, _mm_setr_epi8(-1, -1, -1, 0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3)));
  out[1] = _mm_cvtepi32_ps(
      _mm_shuffle_epi8(bytes, _mm_setr_epi8(-1, -1, -1, 4, -1, -1, -1, 5, -1, -1, -1, 6, -1, -1, -1, 7)));
  out[2] = _mm_cvtepi32_ps(
      _mm_shuffle_epi8(bytes, _mm_setr_epi8(-1, -1, -1, 8, -1, -1, -1, 9, -1, -1, -1, 10, -1, -1, -1, 11)));
  out[3] = _mm_cvtepi32_ps(
      _mm_shuffle_epi8(bytes, _mm_setr_epi8(-1, -1, -1, 12, -1, -1, -1, 13, -1, -1, -1, 14, -1, -1, -1, 15)));
}
// Byte k of the result = table[indices[k]], for indices 0..15 (pshufb). In
// WASM not through _mm_shuffle_epi8: Emscripten 3.1.6 defines it as
// i8x16.swizzle(table, indices & 0x8F) to mimic pshufb's zeroing bit, and for
// indices that are not constants V8 lowers swizzle to paddusb (to zero
// indices ≥ 16) + pshufb, so each lookup cost pand + paddusb + pshufb (and two
// constants). Indices below 16 give the same bytes either way.
inline __m128i lookup16(__m128i table, __m128i indices) {
#ifdef __wasm_simd128__
  return (__m128i)wasm_i8x16_swizzle((v128_t)table, (v128_t)indices);
#else
  return _mm_shuffle_epi8(table, indices);
#endif
}

constexpr float kTopByte = 1.0f / 16777216.0f;     // 2^-24
constexpr float kTopNibble = 1.0f / 268435456.0f;  // 2^-28

// int8 × int8 → int32 lanes: widen to int16, pairwise multiply-add (i32x4.dot_i16x8_s).
inline __m128i dot_int8(__m128i w, __m128i v) {
#ifdef __wasm_simd128__
  const v128_t low =
      wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16((v128_t)w), wasm_i16x8_extend_low_i8x16((v128_t)v));
  const v128_t high =
      wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16((v128_t)w), wasm_i16x8_extend_high_i8x16((v128_t)v));
  return (__m128i)wasm_i32x4_add(low, high);
#else
  return _mm_add_epi32(
      _mm_madd_epi16(_mm_cvtepi8_epi16(w), _mm_cvtepi8_epi16(v)),
      _mm_madd_epi16(_mm_cvtepi8_epi16(_mm_srli_si128(w, 8)), _mm_cvtepi8_epi16(_mm_srli_si128(v, 8))));
#endif
}

// max(acc, value) that keeps acc where value is NaN (f32x4.pmax: acc < value ? value : acc;
// SSE maxps returns its second operand when either is NaN).
inline f32x4 max_ignoring_nan(f32x4 acc, f32x4 value) {
#ifdef __wasm_simd128__
  return (__m128)wasm_f32x4_pmax((v128_t)(__m128)acc, (v128_t)(__m128)value);
#else
  return _mm_max_ps(value, acc);
#endif
}

// Largest |x[i]| over the finite values of [start, end); sets has_infinity.
// NaN is skipped by max_ignoring_nan; a group holding ±Inf redoes the pass in
// scalar code over the finite values. Four accumulators: one would wait on
// each max's latency.
inline float finite_absmax(const float* x, size_t start, size_t end, bool& has_infinity) {
  const f32x4 zero(0.0f);
  f32x4 lanes0 = zero, lanes1 = zero, lanes2 = zero, lanes3 = zero;
  size_t i = start;
  for (; i + 16 <= end; i += 16) {
    lanes0 = max_ignoring_nan(lanes0, xsimd::abs(f32x4::load_unaligned(x + i)));
    lanes1 = max_ignoring_nan(lanes1, xsimd::abs(f32x4::load_unaligned(x + i + 4)));
    lanes2 = max_ignoring_nan(lanes2, xsimd::abs(f32x4::load_unaligned(x + i + 8)));
    lanes3 = max_ignoring_nan(lanes3, xsimd::abs(f32x4::load_unaligned(x + i + 12)));
  }
  for (; i + 4 <= end; i += 4) lanes0 = max_ignoring_nan(lanes0, xsimd::abs(f32x4::load_unaligned(x + i)));
  float absmax = horizontal_max(max_ignoring_nan(max_ignoring_nan(lanes0, lanes1), max_ignoring_nan(lanes2, lanes3)));
  for (; i < end; i++)
    if (std::isfinite(x[i])) absmax = std::max(absmax, std::fabs(x[i]));
  has_infinity = std::isinf(absmax);
  if (has_infinity) {
    absmax = 0;
    for (i = start; i < end; i++)
      if (std::isfinite(x[i])) absmax = std::max(absmax, std::fabs(x[i]));
  }
  return absmax;
}

// min(x, hi) after max(x, lo), with NaN → lo (the asymmetric and NF4 clamps).
inline f32x4 clamp_nan_low(f32x4 value, f32x4 lo, f32x4 hi) {
#ifdef __wasm_simd128__
  // pmax(lo, v) = lo < v ? v : lo: NaN compares false and gives lo
  return (__m128)wasm_f32x4_pmin(wasm_f32x4_pmax((v128_t)(__m128)lo, (v128_t)(__m128)value), (v128_t)(__m128)hi);
#else
  return _mm_min_ps(_mm_max_ps(value, lo), hi);  // maxps gives its second operand (lo) for NaN
#endif
}

// min(max(x, lo), hi) with NaN kept (round_code then maps it to 0).
inline f32x4 clamp_keep_nan(f32x4 value, f32x4 lo, f32x4 hi) {
#ifdef __wasm_simd128__
  // pmax(v, lo) = v < lo ? lo : v and pmin(v, hi) = hi < v ? hi : v: NaN compares false and stays
  return (__m128)wasm_f32x4_pmin(wasm_f32x4_pmax((v128_t)(__m128)value, (v128_t)(__m128)lo), (v128_t)(__m128)hi);
#else
  return _mm_min_ps(hi, _mm_max_ps(lo, value));  // minps/maxps give their second operand (value) for NaN
#endif
}

// Min and max of the finite values of [start, end) (low > high when there are
// none). pmin/pmax skip NaN; ±Inf (rare) sends the group through a scalar
// pass, as in finite_absmax.
inline void finite_min_max(const float* x, size_t start, size_t end, float& low, float& high) {
  f32x4 low_lanes(INFINITY), high_lanes(-INFINITY);
  size_t i = start;
  for (; i + 4 <= end; i += 4) {
    const f32x4 v = f32x4::load_unaligned(x + i);
#ifdef __wasm_simd128__
    low_lanes = (__m128)wasm_f32x4_pmin((v128_t)(__m128)low_lanes, (v128_t)(__m128)v);
    high_lanes = (__m128)wasm_f32x4_pmax((v128_t)(__m128)high_lanes, (v128_t)(__m128)v);
#else
    low_lanes = _mm_min_ps(v, low_lanes);
    high_lanes = _mm_max_ps(v, high_lanes);
#endif
  }
  alignas(16) float lo4[4], hi4[4];
  low_lanes.store_aligned(lo4);
  high_lanes.store_aligned(hi4);
  low = std::min(std::min(lo4[0], lo4[1]), std::min(lo4[2], lo4[3]));
  high = std::max(std::max(hi4[0], hi4[1]), std::max(hi4[2], hi4[3]));
  for (; i < end; i++)
    if (std::isfinite(x[i])) low = std::min(low, x[i]), high = std::max(high, x[i]);
  if (std::isinf(low) || std::isinf(high)) {
    low = INFINITY, high = -INFINITY;
    for (i = start; i < end; i++)
      if (std::isfinite(x[i])) low = std::min(low, x[i]), high = std::max(high, x[i]);
  }
}

// 16 int32 lanes (0..255) → 16 unsigned bytes.
inline void store_u8(uint8_t* out, __m128i a, __m128i b, __m128i c, __m128i d) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d)));
}

}  // namespace llmst::simd::v128

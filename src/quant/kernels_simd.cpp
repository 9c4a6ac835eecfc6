// 128-bit SIMD kernels: xsimd's SSE4.1 batches (native x86, and WASM SIMD via
// Emscripten's translation of the intrinsics). Float math goes through
// xsimd; integer widening and packing use the SSE intrinsics Emscripten maps
// one-to-one onto WASM SIMD (i16x8.narrow_i32x4_s, i32x4.dot_i16x8_s, ...).
// Float→int rounding is written for __wasm_simd128__ directly: Emscripten
// 3.1.6 turns _mm_cvtps_epi32 into one scalar lrint per lane (DESIGN.md).
//
// These are the simd::Active kernels. A LLMST_SCALAR_ONLY build (the
// benchmarks' "SIMD off" column) compiles only the block at the end, which
// makes each Active kernel its scalar twin: the one place in the quant area
// that depends on the build flag.
#include "quant/kernels.hpp"
#include "quant/microscaling.hpp"

#ifndef LLMST_SCALAR_ONLY
#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd/v128.hpp"

namespace llmst::quant {

using namespace simd::v128;  // f32x4 and the 128-bit helpers (simd/v128.hpp)

template <>
void quantize_sym<simd::Active>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                int8_t* codes, float* scales) {
  const f32x4 high = f32x4(float(qmax)), low = f32x4(-float(qmax)), zero = f32x4(0.0f);
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    bool has_infinity = false;
    const float absmax = finite_absmax(x, start, end, has_infinity);  // pass 1
    const float scale = scale_format ? round_to(*scale_format, absmax / float(qmax)) : absmax / float(qmax);
    const float inverse_scalar = scale > 0 ? 1.0f / scale : 0.0f;
    const f32x4 inverse(inverse_scalar);
    scales[g] = scale;
    // No clamp needed when every |x·inverse| rounds to at most qmax (no Inf, and
    // the stored scale not rounded far below absmax/qmax, e.g. an fp16 subnormal).
    const bool clamp = has_infinity || absmax * inverse_scalar > float(qmax) + 0.49f;
    // pass 2: scale, (clamp), round, narrow 16 lanes to int8; NaN → 0
    auto lane_codes = [&](const float* p) {
      f32x4 scaled = f32x4::load_unaligned(p) * inverse;
      if (clamp) scaled = xsimd::select(scaled == scaled, xsimd::min(xsimd::max(scaled, low), high), zero);
      return round_code(scaled);
    };
    size_t i = start;
    for (; i + 16 <= end; i += 16) {
      const __m128i low_half = _mm_packs_epi32(lane_codes(x + i), lane_codes(x + i + 4));
      const __m128i high_half = _mm_packs_epi32(lane_codes(x + i + 8), lane_codes(x + i + 12));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + i), _mm_packs_epi16(low_half, high_half));
    }
    for (; i < end; i++) {
      float scaled = x[i] * inverse_scalar;
      codes[i] = int8_t(std::isnan(scaled) ? 0 : std::nearbyint(std::clamp(scaled, -float(qmax), float(qmax))));
    }
  }
}

template <>
void quantize_asym<simd::Active>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                 uint8_t* codes, float* scales, uint8_t* zeros) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    float low, high;
    finite_min_max(x, start, end, low, high);                // pass 1
    low = std::min(low, 0.0f), high = std::max(high, 0.0f);  // the range holds 0 (none finite: [0, 0])
    const float range = (high - low) / float(qmax);
    const float scale = scale_format ? round_to(*scale_format, range) : range;
    const float inverse_scalar = scale > 0 ? 1.0f / scale : 0.0f;
    const int zero_point = zero_point_of(low, inverse_scalar, qmax);
    scales[g] = scale;
    zeros[g] = uint8_t(zero_point);
    // pass 2: x·inverse clamped to [−z, qmax − z] (NaN kept), rounded (NaN → 0), plus z, narrowed to bytes
    const f32x4 inverse(inverse_scalar), lo(float(-zero_point)), hi(float(qmax - zero_point));
    const __m128i z = _mm_set1_epi32(zero_point);
    auto lane_codes = [&](const float* p) {
      return _mm_add_epi32(round_code(clamp_keep_nan(f32x4::load_unaligned(p) * inverse, lo, hi)), z);
    };
    size_t i = start;
    for (; i + 16 <= end; i += 16)
      store_u8(codes + i, lane_codes(x + i), lane_codes(x + i + 4), lane_codes(x + i + 8), lane_codes(x + i + 12));
    for (; i < end; i++) codes[i] = zero_point_code(x[i] * inverse_scalar, zero_point, qmax);
  }
}

// (q − z)·scale: widen_unsigned subtracts the group's z exactly.
template <>
void dequantize_zero_point<simd::Active>(const uint8_t* codes, const float* scales, const uint8_t* zeros, size_t n,
                                         size_t group, float* out) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    const f32x4 scale(scales[g]);
    size_t i = start;
    for (; i + 16 <= end; i += 16) {
      f32x4 values[4];
      widen_unsigned(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes + i)), float(zeros[g]), values);
      for (int k = 0; k < 4; k++) (values[k] * scale).store_unaligned(out + i + 4 * k);
    }
    for (; i < end; i++) out[i] = float(int(codes[i]) - int(zeros[g])) * scales[g];
  }
}

template <>
void quantize_nf4<simd::Active>(const float* x, size_t n, size_t group, const MiniFloat* scale_format, uint8_t* codes,
                                float* scales) {
  f32x4 midpoints[15];
  for (int k = 0; k < 15; k++) midpoints[k] = f32x4((kNf4Levels[k] + kNf4Levels[k + 1]) / 2);
  const f32x4 minus_one(-1.0f), one(1.0f);
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    bool has_infinity = false;
    const float absmax = finite_absmax(x, start, end, has_infinity);
    const float scale = scale_format ? round_to(*scale_format, absmax) : absmax;
    const float inverse_scalar = scale > 0 ? 1.0f / scale : 0.0f;
    scales[g] = scale;
    // As nf4_code: the number of midpoints below, by 15 compares whose true
    // lanes (all ones, −1) are subtracted from the count.
    const f32x4 inverse(inverse_scalar);
    auto lane_codes = [&](const float* p) {
      // NaN → 0 first (the zero level); clamp_nan_low alone would send it to −1
      f32x4 scaled = f32x4::load_unaligned(p) * inverse;
      scaled = xsimd::select(scaled == scaled, scaled, f32x4(0.0f));
      scaled = clamp_nan_low(scaled, minus_one, one);
      __m128i code = _mm_setzero_si128();
      for (const f32x4& midpoint : midpoints)
        code = _mm_sub_epi32(code, _mm_castps_si128(_mm_cmpgt_ps(scaled, midpoint)));
      return code;
    };
    size_t i = start;
    for (; i + 16 <= end; i += 16)
      store_u8(codes + i, lane_codes(x + i), lane_codes(x + i + 4), lane_codes(x + i + 8), lane_codes(x + i + 12));
    for (; i < end; i++) codes[i] = nf4_code(x[i] * inverse_scalar);
  }
}

template <>
void quantize_ggml_sym<simd::Active>(const float* x, size_t n, int levels, int8_t* codes, float* scales) {
  constexpr size_t block = 32;
  const f32x4 zero(0.0f), half(float(levels / 2)), point_five(0.5f), top = f32x4(float(levels - 1));
  const f32x4 q8_low(-127.0f), q8_high(127.0f);
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    if (n - start < block) {  // a short last block: the scalar twin, as block 0 of the tail
      quantize_ggml_sym<simd::Scalar>(x + start, n - start, levels, codes + start, scales + b);
      break;
    }
    bool has_infinity = false;
    const float absmax = finite_absmax(x, start, start + block, has_infinity);
    float signed_max = 0;  // the first finite value of largest magnitude, with its sign
    for (size_t i = start; i < start + block && absmax > 0; i++)
      if (std::isfinite(x[i]) && std::fabs(x[i]) == absmax) {
        signed_max = x[i];
        break;
      }
    // The scales and rounding of quantize_ggml_sym<simd::Scalar> (ggml's reference code).
    const bool q8 = levels == 256;
    const float d = q8 ? absmax / 127 : signed_max / -float(levels / 2);
    const float inverse_scalar = d ? 1.0f / d : 0.0f;
    scales[b] = round_to(kFp16, d);
    const f32x4 inverse(inverse_scalar);
    auto lane_codes = [&](const float* p) {
      f32x4 v = f32x4::load_unaligned(p) * inverse;
      v = xsimd::select(v == v, v, zero);  // NaN → code 0 (Q4_0/Q5_0: 0 + half + 0.5 floors to half)
      if (q8) {                            // roundf: half away from zero (v − trunc(v) is exact)
        v = xsimd::min(xsimd::max(v, q8_low), q8_high);
        const f32x4 whole = xsimd::trunc(v);
        const f32x4 step = xsimd::select(xsimd::abs(v - whole) >= point_five,
                                         xsimd::select(v < zero, f32x4(-1.0f), f32x4(1.0f)), zero);
        return round_code(whole + step);
      }
      // MIN(levels − 1, (int8_t)(x·id + half + 0.5)) − half, clamped at 0 too
      const f32x4 shifted = xsimd::min(xsimd::max(v + half + point_five, zero), top);
      return round_code(xsimd::floor(shifted) - half);
    };
    for (size_t i = start; i < start + block; i += 16) {
      const __m128i low_half = _mm_packs_epi32(lane_codes(x + i), lane_codes(x + i + 4));
      const __m128i high_half = _mm_packs_epi32(lane_codes(x + i + 8), lane_codes(x + i + 12));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + i), _mm_packs_epi16(low_half, high_half));
    }
  }
}

template <>
void quantize_ggml_asym<simd::Active>(const float* x, size_t n, int levels, uint8_t* codes, float* scales,
                                      float* mins) {
  constexpr size_t block = 32;
  const f32x4 zero(0.0f), point_five(0.5f), top = f32x4(float(levels - 1));
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    if (n - start < block) {  // a short last block: the scalar twin, as block 0 of the tail
      quantize_ggml_asym<simd::Scalar>(x + start, n - start, levels, codes + start, scales + b, mins + b);
      break;
    }
    float low, high;
    finite_min_max(x, start, start + block, low, high);
    if (low > high) low = high = 0;
    // ggml's reference: codes from the fp32 d and min, fp16 only where stored.
    const float d = (high - low) / float(levels - 1);
    const float inverse_scalar = d ? 1.0f / d : 0.0f;
    scales[b] = round_to(kFp16, d);
    mins[b] = round_to(kFp16, low);
    const f32x4 offset(low), inverse(inverse_scalar);
    auto lane_codes = [&](const float* p) {  // MIN(levels − 1, (int8_t)((x − min)·id + 0.5)), NaN → 0
      const f32x4 shifted = clamp_nan_low((f32x4::load_unaligned(p) - offset) * inverse + point_five, zero, top);
      return round_code(xsimd::floor(shifted));
    };
    for (size_t i = start; i < start + block; i += 16)
      store_u8(codes + i, lane_codes(x + i), lane_codes(x + i + 4), lane_codes(x + i + 8), lane_codes(x + i + 12));
  }
}

template <>
void dequantize_sym<simd::Active>(const int8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    const f32x4 scale(scales[g]);
    size_t i = start;
    for (; i + 16 <= end; i += 16) {
      f32x4 values[4];
      widen_int8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes + i)), values);
      for (int k = 0; k < 4; k++) (values[k] * scale).store_unaligned(out + i + 4 * k);
    }
    for (; i < end; i++) out[i] = float(codes[i]) * scales[g];
  }
}

template <>
void dequantize_asym<simd::Active>(const uint8_t* codes, const float* scales, const float* mins, size_t n, size_t group,
                                   float* out) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    const f32x4 scale(scales[g]), offset(mins[g]);
    size_t i = start;
    for (; i + 16 <= end; i += 16) {
      f32x4 values[4];
      widen_unsigned(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes + i)), 0.0f, values);
      for (int k = 0; k < 4; k++) (offset + values[k] * scale).store_unaligned(out + i + 4 * k);
    }
    for (; i < end; i++) out[i] = mins[g] + float(codes[i]) * scales[g];
  }
}

template <>
void dequantize_nf4<simd::Active>(const uint8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  // Byte k of each of the 16 levels, as four 16-byte tables: a byte shuffle
  // looks up 16 codes in one, and two rounds of interleaving rebuild the floats.
  alignas(16) uint8_t bytes[4][16];
  for (int level = 0; level < 16; level++) {
    uint32_t bits;
    std::memcpy(&bits, &kNf4Levels[level], 4);
    for (int k = 0; k < 4; k++) bytes[k][level] = uint8_t(bits >> (8 * k));
  }
  __m128i tables[4];
  for (int k = 0; k < 4; k++) tables[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(bytes[k]));
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    const f32x4 scale(scales[g]);
    size_t i = start;
    for (; i + 16 <= end; i += 16) {
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(codes + i));
      const __m128i b0 = lookup16(tables[0], c), b1 = lookup16(tables[1], c);  // codes are 0..15
      const __m128i b2 = lookup16(tables[2], c), b3 = lookup16(tables[3], c);
      const __m128i low01 = _mm_unpacklo_epi8(b0, b1), high01 = _mm_unpackhi_epi8(b0, b1);
      const __m128i low23 = _mm_unpacklo_epi8(b2, b3), high23 = _mm_unpackhi_epi8(b2, b3);
      const f32x4 levels[4] = {
          _mm_castsi128_ps(_mm_unpacklo_epi16(low01, low23)), _mm_castsi128_ps(_mm_unpackhi_epi16(low01, low23)),
          _mm_castsi128_ps(_mm_unpacklo_epi16(high01, high23)), _mm_castsi128_ps(_mm_unpackhi_epi16(high01, high23))};
      for (int k = 0; k < 4; k++) (levels[k] * scale).store_unaligned(out + i + 4 * k);
    }
    for (; i < end; i++) out[i] = kNf4Levels[codes[i]] * scales[g];
  }
}

template <>
void gemv_f32<simd::Active>(const float* w, const float* x, size_t rows, size_t cols, float* y) {
  for (size_t r = 0; r < rows; r++) {
    const float* w_r = w + r * cols;
    f32x4 sum0(0.0f), sum1(0.0f), sum2(0.0f), sum3(0.0f);
    size_t c = 0;
    for (; c + 16 <= cols; c += 16) {
      sum0 += f32x4::load_unaligned(w_r + c) * f32x4::load_unaligned(x + c);
      sum1 += f32x4::load_unaligned(w_r + c + 4) * f32x4::load_unaligned(x + c + 4);
      sum2 += f32x4::load_unaligned(w_r + c + 8) * f32x4::load_unaligned(x + c + 8);
      sum3 += f32x4::load_unaligned(w_r + c + 12) * f32x4::load_unaligned(x + c + 12);
    }
    float sum = xsimd::hadd((sum0 + sum1) + (sum2 + sum3));
    for (; c < cols; c++) sum += w_r[c] * x[c];
    y[r] = sum;
  }
}

// y[r] = the lanes' sum of Σ over the groups of row r of term(r, g, rg), a
// batch per group (rg indexes its scale). Each GEMV below says what one group adds.
template <class Term>
void sum_over_groups(size_t rows, size_t cols, size_t group, float* y, Term term) {
  const size_t groups = cols / group;
  for (size_t r = 0; r < rows; r++) {
    f32x4 sum(0.0f);
    for (size_t g = 0; g < groups; g++) sum += term(r, g, r * groups + g);
    y[r] = xsimd::hadd(sum);
  }
}

template <>
void gemv_q8<simd::Active>(const int8_t* codes, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const int8_t* c_rg = codes + r * cols + g * group;
    const float* x_g = x + g * group;
    f32x4 partial[4] = {f32x4(0.0f), f32x4(0.0f), f32x4(0.0f), f32x4(0.0f)};  // four add chains
    for (size_t i = 0; i < group; i += 16) {
      f32x4 weights[4];  // codes · 2^24
      widen_bytes_top(_mm_loadu_si128(reinterpret_cast<const __m128i*>(c_rg + i)), weights);
      for (int k = 0; k < 4; k++) partial[k] += weights[k] * f32x4::load_unaligned(x_g + i + 4 * k);
    }
    return f32x4(scales[rg] * kTopByte) * ((partial[0] + partial[1]) + (partial[2] + partial[3]));
  });
}

// 16 packed bytes of the q4 layout (a run of 32 weights, nibbles holding
// code + 8) → weights 0..15 and 16..31 as int8 values code · 16: xor 8 makes
// each nibble the 4-bit two's complement of its code, and that nibble is
// moved to the top of its byte.
struct Q4Run {
  __m128i first, second;
};
inline Q4Run unpack_q4_run(const uint8_t* p) {
  const __m128i high_nibble = _mm_set1_epi8(char(0xF0));
  const __m128i bytes = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8(char(0x88)));
  return {_mm_and_si128(_mm_slli_epi16(bytes, 4), high_nibble), _mm_and_si128(bytes, high_nibble)};
}

template <>
void gemv_q4<simd::Active>(const uint8_t* packed, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const uint8_t* p_rg = packed + (r * cols + g * group) / 2;
    const float* x_g = x + g * group;
    f32x4 partial[4] = {f32x4(0.0f), f32x4(0.0f), f32x4(0.0f), f32x4(0.0f)};  // four add chains
    for (size_t run = 0; run < group; run += 32) {
      const Q4Run codes = unpack_q4_run(p_rg + run / 2);  // widened below: each lane code · 2^28
      f32x4 weights[4];
      widen_bytes_top(codes.first, weights);
      for (int k = 0; k < 4; k++) partial[k] += weights[k] * f32x4::load_unaligned(x_g + run + 4 * k);
      widen_bytes_top(codes.second, weights);
      for (int k = 0; k < 4; k++) partial[k] += weights[k] * f32x4::load_unaligned(x_g + run + 16 + 4 * k);
    }
    return f32x4(scales[rg] * kTopNibble) * ((partial[0] + partial[1]) + (partial[2] + partial[3]));
  });
}

template <>
void gemv_q8q8<simd::Active>(const int8_t* codes, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const int8_t* c_rg = codes + r * cols + g * group;
    const int8_t* xc_g = x_codes + g * group;
    __m128i dot = _mm_setzero_si128();
    for (size_t i = 0; i < group; i += 16) {
      const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(c_rg + i));
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xc_g + i));
      dot = _mm_add_epi32(dot, dot_int8(w, v));
    }
    return f32x4(scales[rg] * x_scales[g]) * f32x4(_mm_cvtepi32_ps(dot));
  });
}

template <>
void gemv_q4q8<simd::Active>(const uint8_t* packed, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const uint8_t* p_rg = packed + (r * cols + g * group) / 2;
    const int8_t* xc_g = x_codes + g * group;
    __m128i dot = _mm_setzero_si128();  // codes · 16 times x codes: |dot| ≤ 128 · 127 · group
    for (size_t run = 0; run < group; run += 32) {
      const Q4Run codes = unpack_q4_run(p_rg + run / 2);
      const __m128i x_first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xc_g + run));
      const __m128i x_second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xc_g + run + 16));
      dot = _mm_add_epi32(dot, _mm_add_epi32(dot_int8(codes.first, x_first), dot_int8(codes.second, x_second)));
    }
    return f32x4(scales[rg] * x_scales[g] * 0.0625f) * f32x4(_mm_cvtepi32_ps(dot));
  });
}

// ---- MXFP4 and NVFP4 (quant/microscaling.hpp) ----

// E2M1 codes of four lanes, as e2m1_code: the magnitude index counts the
// midpoints below |v| (">" for 0.25, 1.25, 2.5, 5; ">=" for 0.75, 1.75, 3.5;
// true lanes are −1, subtracted), NaN compares false everywhere (→ 0), and
// the sign bit 8 is set where v < 0.
inline __m128i e2m1_codes(f32x4 v) {
  const __m128 a = xsimd::abs(v);
  __m128i magnitude = _mm_setzero_si128();
  for (float midpoint : {0.25f, 1.25f, 2.5f, 5.0f})
    magnitude = _mm_sub_epi32(magnitude, _mm_castps_si128(_mm_cmpgt_ps(a, _mm_set1_ps(midpoint))));
  for (float midpoint : {0.75f, 1.75f, 3.5f})
    magnitude = _mm_sub_epi32(magnitude, _mm_castps_si128(_mm_cmpge_ps(a, _mm_set1_ps(midpoint))));
  const __m128i sign = _mm_and_si128(_mm_castps_si128(_mm_cmplt_ps(v, _mm_setzero_ps())), _mm_set1_epi32(8));
  return _mm_or_si128(magnitude, sign);
}

// 16 codes (int32 lanes, elements 0..15) → 8 u16 lanes holding byte j =
// element 2j | element 2j + 1 << 4 (low nibble first), ready for packus.
inline __m128i nibble_pairs(__m128i c0, __m128i c1, __m128i c2, __m128i c3) {
  const __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(c0, c1), _mm_packs_epi32(c2, c3));  // e0 … e15
  // as u16 lanes: e[2j] | e[2j+1] << 8 → e[2j] | e[2j+1] << 4
  return _mm_or_si128(_mm_and_si128(bytes, _mm_set1_epi16(0x0F)),
                      _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi16(0xF0)));
}

// The 16 E2M1 values as four byte tables (byte k of each float), looked up 16
// codes at a time with one byte shuffle per table, then interleaved back into
// floats (the NF4 dequantizer's method).
struct E2m1Tables {
  __m128i bytes[4];
  E2m1Tables() {
    alignas(16) uint8_t table[4][16];
    for (int code = 0; code < 16; code++) {
      const uint32_t bits = bits_of(kE2m1Levels[code]);
      for (int k = 0; k < 4; k++) table[k][code] = uint8_t(bits >> (8 * k));
    }
    for (int k = 0; k < 4; k++) bytes[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(table[k]));
  }
  void lookup(__m128i codes, f32x4 out[4]) const {
    const __m128i b0 = lookup16(bytes[0], codes), b1 = lookup16(bytes[1], codes);  // codes are 0..15
    const __m128i b2 = lookup16(bytes[2], codes), b3 = lookup16(bytes[3], codes);
    const __m128i low01 = _mm_unpacklo_epi8(b0, b1), high01 = _mm_unpackhi_epi8(b0, b1);
    const __m128i low23 = _mm_unpacklo_epi8(b2, b3), high23 = _mm_unpackhi_epi8(b2, b3);
    out[0] = _mm_castsi128_ps(_mm_unpacklo_epi16(low01, low23));
    out[1] = _mm_castsi128_ps(_mm_unpackhi_epi16(low01, low23));
    out[2] = _mm_castsi128_ps(_mm_unpacklo_epi16(high01, high23));
    out[3] = _mm_castsi128_ps(_mm_unpackhi_epi16(high01, high23));
  }
};

// Packed bytes → codes in element order: low nibbles are the even elements.
inline void unpack_nibbles(__m128i bytes, __m128i& first, __m128i& second) {
  const __m128i mask = _mm_set1_epi8(0x0F);
  const __m128i low = _mm_and_si128(bytes, mask), high = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask);
  first = _mm_unpacklo_epi8(low, high);   // elements 0 … 15 of the bytes
  second = _mm_unpackhi_epi8(low, high);  // elements 16 … 31
}

template <>
void quantize_mxfp4<simd::Active>(const float* x, size_t n, BlockMxfp4* blocks) {
  for (size_t start = 0, b = 0; start < n; start += kMxfp4Block, b++) {
    if (n - start < kMxfp4Block) {  // a short last block: the scalar twin, as block 0 of the tail
      quantize_mxfp4<simd::Scalar>(x + start, n - start, blocks + b);
      break;
    }
    bool has_infinity = false;
    const uint8_t scale = mxfp4_scale_byte(finite_absmax(x, start, start + kMxfp4Block, has_infinity));
    const f32x4 inverse(e8m0_inverse(scale));  // a power of two: x · inverse = x / X exactly
    const float* p = x + start;
    auto codes = [&](size_t k) { return e2m1_codes(f32x4::load_unaligned(p + k) * inverse); };
    const __m128i first = nibble_pairs(codes(0), codes(4), codes(8), codes(12));
    const __m128i second = nibble_pairs(codes(16), codes(20), codes(24), codes(28));
    blocks[b].e8m0 = scale;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(blocks[b].qs), _mm_packus_epi16(first, second));
  }
}

template <>
void dequantize_mxfp4<simd::Active>(const BlockMxfp4* blocks, size_t n, float* out) {
  static const E2m1Tables tables;
  for (size_t start = 0, b = 0; start < n; start += kMxfp4Block, b++) {
    if (n - start < kMxfp4Block) {
      dequantize_mxfp4<simd::Scalar>(blocks + b, n - start, out + start);
      break;
    }
    const f32x4 scale(e8m0_value(blocks[b].e8m0));
    __m128i first, second;
    unpack_nibbles(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].qs)), first, second);
    f32x4 levels[4];
    tables.lookup(first, levels);
    for (int k = 0; k < 4; k++) (levels[k] * scale).store_unaligned(out + start + 4 * k);
    tables.lookup(second, levels);
    for (int k = 0; k < 4; k++) (levels[k] * scale).store_unaligned(out + start + 16 + 4 * k);
  }
}

template <>
void quantize_nvfp4<simd::Active>(const float* x, size_t n, float tensor_scale, BlockNvfp4* blocks) {
  for (size_t start = 0, b = 0; start < n; start += kNvfp4Block, b++) {
    if (n - start < kNvfp4Block) {
      quantize_nvfp4<simd::Scalar>(x + start, n - start, tensor_scale, blocks + b);
      break;
    }
    // The block scale exactly as quantize_nvfp4<simd::Scalar> computes it.
    bool has_infinity = false;
    const float absmax = finite_absmax(x, start, start + kNvfp4Block, has_infinity);
    float scale = tensor_scale > 0 ? absmax / (6.0f * tensor_scale) : 0.0f;
    if (scale == 0) scale = 1.0f;
    const float stored = round_to(kFp8E4M3, scale);
    const float divisor_scalar = stored * tensor_scale;
    blocks[b].e4m3 = e4m3_byte(stored);
    if (!(divisor_scalar > 0)) {
      std::memset(blocks[b].qs, 0, sizeof blocks[b].qs);
      continue;
    }
    const f32x4 divisor(divisor_scalar);  // divide, as the scalar twin (and ModelOpt) do
    const float* p = x + start;
    auto codes = [&](size_t k) { return e2m1_codes(f32x4::load_unaligned(p + k) / divisor); };
    const __m128i pairs = nibble_pairs(codes(0), codes(4), codes(8), codes(12));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(blocks[b].qs), _mm_packus_epi16(pairs, pairs));
  }
}

template <>
void dequantize_nvfp4<simd::Active>(const BlockNvfp4* blocks, size_t n, float tensor_scale, float* out) {
  static const E2m1Tables tables;
  for (size_t start = 0, b = 0; start < n; start += kNvfp4Block, b++) {
    if (n - start < kNvfp4Block) {
      dequantize_nvfp4<simd::Scalar>(blocks + b, n - start, tensor_scale, out + start);
      break;
    }
    const f32x4 scale(e4m3_value(blocks[b].e4m3) * tensor_scale);
    __m128i first, second;
    unpack_nibbles(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(blocks[b].qs)), first, second);
    f32x4 levels[4];
    tables.lookup(first, levels);
    for (int k = 0; k < 4; k++) (levels[k] * scale).store_unaligned(out + start + 4 * k);
  }
}

}  // namespace llmst::quant
#else   // LLMST_SCALAR_ONLY: simd::Active is the scalar twin

namespace llmst::quant {

using S = simd::Scalar;
template <>
void quantize_sym<simd::Active>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                int8_t* codes, float* scales) {
  quantize_sym<S>(x, n, group, qmax, scale_format, codes, scales);
}
template <>
void dequantize_sym<simd::Active>(const int8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  dequantize_sym<S>(codes, scales, n, group, out);
}
template <>
void quantize_asym<simd::Active>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                 uint8_t* codes, float* scales, uint8_t* zeros) {
  quantize_asym<S>(x, n, group, qmax, scale_format, codes, scales, zeros);
}
template <>
void dequantize_zero_point<simd::Active>(const uint8_t* codes, const float* scales, const uint8_t* zeros, size_t n,
                                         size_t group, float* out) {
  dequantize_zero_point<S>(codes, scales, zeros, n, group, out);
}
template <>
void dequantize_asym<simd::Active>(const uint8_t* codes, const float* scales, const float* mins, size_t n, size_t group,
                                   float* out) {
  dequantize_asym<S>(codes, scales, mins, n, group, out);
}
template <>
void quantize_nf4<simd::Active>(const float* x, size_t n, size_t group, const MiniFloat* scale_format, uint8_t* codes,
                                float* scales) {
  quantize_nf4<S>(x, n, group, scale_format, codes, scales);
}
template <>
void dequantize_nf4<simd::Active>(const uint8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  dequantize_nf4<S>(codes, scales, n, group, out);
}
template <>
void quantize_ggml_sym<simd::Active>(const float* x, size_t n, int levels, int8_t* codes, float* scales) {
  quantize_ggml_sym<S>(x, n, levels, codes, scales);
}
template <>
void quantize_ggml_asym<simd::Active>(const float* x, size_t n, int levels, uint8_t* codes, float* scales,
                                      float* mins) {
  quantize_ggml_asym<S>(x, n, levels, codes, scales, mins);
}
template <>
void gemv_f32<simd::Active>(const float* w, const float* x, size_t rows, size_t cols, float* y) {
  gemv_f32<S>(w, x, rows, cols, y);
}
template <>
void gemv_q8<simd::Active>(const int8_t* codes, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  gemv_q8<S>(codes, scales, x, rows, cols, group, y);
}
template <>
void gemv_q4<simd::Active>(const uint8_t* packed, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  gemv_q4<S>(packed, scales, x, rows, cols, group, y);
}
template <>
void gemv_q8q8<simd::Active>(const int8_t* codes, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  gemv_q8q8<S>(codes, scales, x_codes, x_scales, rows, cols, group, y);
}
template <>
void gemv_q4q8<simd::Active>(const uint8_t* packed, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  gemv_q4q8<S>(packed, scales, x_codes, x_scales, rows, cols, group, y);
}
template <>
void quantize_mxfp4<simd::Active>(const float* x, size_t n, BlockMxfp4* blocks) {
  quantize_mxfp4<S>(x, n, blocks);
}
template <>
void dequantize_mxfp4<simd::Active>(const BlockMxfp4* blocks, size_t n, float* out) {
  dequantize_mxfp4<S>(blocks, n, out);
}
template <>
void quantize_nvfp4<simd::Active>(const float* x, size_t n, float tensor_scale, BlockNvfp4* blocks) {
  quantize_nvfp4<S>(x, n, tensor_scale, blocks);
}
template <>
void dequantize_nvfp4<simd::Active>(const BlockNvfp4* blocks, size_t n, float tensor_scale, float* out) {
  dequantize_nvfp4<S>(blocks, n, tensor_scale, out);
}

}  // namespace llmst::quant
#endif  // LLMST_SCALAR_ONLY

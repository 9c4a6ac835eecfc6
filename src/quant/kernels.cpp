// The simd::Scalar kernels: plain C++ loops, the reference twins of
// kernels_simd.cpp.
#include "quant/kernels.hpp"

#include <algorithm>
#include <cmath>

namespace llmst::quant {

const float kNf4Levels[16] = {-1.0f,
                              -0.6961928009986877f,
                              -0.5250730514526367f,
                              -0.39491748809814453f,
                              -0.28444138169288635f,
                              -0.18477343022823334f,
                              -0.09105003625154495f,
                              0.0f,
                              0.07958029955625534f,
                              0.16093020141124725f,
                              0.24611230194568634f,
                              0.33791524171829224f,
                              0.44070982933044434f,
                              0.5626170039176941f,
                              0.7229568362236023f,
                              1.0f};

static float store_scale(const MiniFloat* format, float scale) { return format ? round_to(*format, scale) : scale; }

// x in [-qmax, qmax] after NaN → 0 and clamping, rounded half to even.
static int round_code(float scaled, float qmax) {
  if (std::isnan(scaled)) return 0;
  return int(std::nearbyint(std::clamp(scaled, -qmax, qmax)));
}

template <>
void quantize_sym<simd::Scalar>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                int8_t* codes, float* scales) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    float absmax = 0;  // pass 1: absmax over the finite values
    for (size_t i = start; i < end; i++)
      if (std::isfinite(x[i])) absmax = std::max(absmax, std::fabs(x[i]));
    const float scale = store_scale(scale_format, absmax / float(qmax));
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    scales[g] = scale;
    for (size_t i = start; i < end; i++)  // pass 2: codes
      codes[i] = int8_t(round_code(x[i] * inverse, float(qmax)));
  }
}

template <>
void dequantize_sym<simd::Scalar>(const int8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  for (size_t i = 0; i < n; i++) out[i] = float(codes[i]) * scales[i / group];
}

template <>
void quantize_asym<simd::Scalar>(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format,
                                 uint8_t* codes, float* scales, uint8_t* zeros) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    float low = 0, high = 0;  // the range holds 0 (AutoGPTQ's find_params), so z is in [0, qmax]
    for (size_t i = start; i < end; i++)
      if (std::isfinite(x[i])) low = std::min(low, x[i]), high = std::max(high, x[i]);
    const float scale = store_scale(scale_format, (high - low) / float(qmax));
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    const int zero = zero_point_of(low, inverse, qmax);
    scales[g] = scale;
    zeros[g] = uint8_t(zero);
    for (size_t i = start; i < end; i++) codes[i] = zero_point_code(x[i] * inverse, zero, qmax);
  }
}

template <>
void dequantize_zero_point<simd::Scalar>(const uint8_t* codes, const float* scales, const uint8_t* zeros, size_t n,
                                         size_t group, float* out) {
  for (size_t i = 0; i < n; i++) out[i] = float(int(codes[i]) - int(zeros[i / group])) * scales[i / group];
}

template <>
void dequantize_asym<simd::Scalar>(const uint8_t* codes, const float* scales, const float* mins, size_t n, size_t group,
                                   float* out) {
  for (size_t i = 0; i < n; i++) out[i] = mins[i / group] + float(codes[i]) * scales[i / group];
}

template <>
void quantize_nf4<simd::Scalar>(const float* x, size_t n, size_t group, const MiniFloat* scale_format, uint8_t* codes,
                                float* scales) {
  for (size_t start = 0, g = 0; start < n; start += group, g++) {
    const size_t end = std::min(n, start + group);
    float absmax = 0;
    for (size_t i = start; i < end; i++)
      if (std::isfinite(x[i])) absmax = std::max(absmax, std::fabs(x[i]));
    const float scale = store_scale(scale_format, absmax);
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    scales[g] = scale;
    for (size_t i = start; i < end; i++) codes[i] = nf4_code(x[i] * inverse);
  }
}

template <>
void dequantize_nf4<simd::Scalar>(const uint8_t* codes, const float* scales, size_t n, size_t group, float* out) {
  for (size_t i = 0; i < n; i++) out[i] = kNf4Levels[codes[i]] * scales[i / group];
}

template <>
void quantize_ggml_sym<simd::Scalar>(const float* x, size_t n, int levels, int8_t* codes, float* scales) {
  constexpr size_t block = 32;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t end = std::min(n, start + block);
    float absmax = 0, signed_max = 0;
    for (size_t i = start; i < end; i++)
      if (std::isfinite(x[i]) && std::fabs(x[i]) > absmax) absmax = std::fabs(x[i]), signed_max = x[i];
    if (levels == 256) {  // Q8_0: d = amax / 127, q = roundf(x / d)
      const float d = absmax / 127;
      const float inverse = d ? 1.0f / d : 0.0f;
      scales[b] = round_to(kFp16, d);
      for (size_t i = start; i < end; i++) {
        const float scaled = x[i] * inverse;
        codes[i] = int8_t(std::isnan(scaled) ? 0 : std::round(std::clamp(scaled, -127.0f, 127.0f)));
      }
      continue;
    }
    // Q4_0 / Q5_0: the signed extreme maps to -levels/2: d = max / -(levels/2).
    const float half = float(levels / 2);
    const float d = signed_max / -half;
    const float inverse = d ? 1.0f / d : 0.0f;
    scales[b] = round_to(kFp16, d);
    for (size_t i = start; i < end; i++) {
      const float shifted = x[i] * inverse + half + 0.5f;  // ggml: MIN(15, (int8_t)(x0 + 8.5f))
      const float code = std::isnan(shifted) ? half : std::floor(std::clamp(shifted, 0.0f, float(levels - 1)));
      codes[i] = int8_t(code - half);
    }
  }
}

template <>
void quantize_ggml_asym<simd::Scalar>(const float* x, size_t n, int levels, uint8_t* codes, float* scales,
                                      float* mins) {
  constexpr size_t block = 32;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t end = std::min(n, start + block);
    float low = INFINITY, high = -INFINITY;
    for (size_t i = start; i < end; i++)
      if (std::isfinite(x[i])) low = std::min(low, x[i]), high = std::max(high, x[i]);
    if (low > high) low = high = 0;
    const float d = (high - low) / float(levels - 1);
    const float inverse = d ? 1.0f / d : 0.0f;
    scales[b] = round_to(kFp16, d);
    mins[b] = round_to(kFp16, low);
    for (size_t i = start; i < end; i++) {  // ggml: MIN(15, (int8_t)((x - min)·id + 0.5f))
      const float shifted = (x[i] - low) * inverse + 0.5f;
      codes[i] = uint8_t(std::isnan(shifted) ? 0 : std::floor(std::clamp(shifted, 0.0f, float(levels - 1))));
    }
  }
}

void double_quantize_scales(float* scales, size_t count) {
  if (count == 0) return;
  double total = 0;
  for (size_t i = 0; i < count; i++) total += scales[i];
  const float mean = float(total / double(count));
  for (size_t start = 0; start < count; start += 256) {
    const size_t end = std::min(count, start + 256);
    float absmax = 0;
    for (size_t i = start; i < end; i++) absmax = std::max(absmax, std::fabs(scales[i] - mean));
    const float step = absmax / 127;
    const float inverse = step > 0 ? 1.0f / step : 0.0f;
    for (size_t i = start; i < end; i++) scales[i] = mean + std::nearbyint((scales[i] - mean) * inverse) * step;
  }
}

void pack_int4(const int8_t* codes, size_t n, uint8_t* packed) {
  for (size_t start = 0; start < n; start += 32)
    for (size_t i = 0; i < 16; i++)
      packed[start / 2 + i] = uint8_t((codes[start + i] + 8) | ((codes[start + i + 16] + 8) << 4));
}

template <>
void gemv_f32<simd::Scalar>(const float* w, const float* x, size_t rows, size_t cols, float* y) {
  for (size_t r = 0; r < rows; r++) {
    const float* w_r = w + r * cols;
    float sum = 0;
    for (size_t c = 0; c < cols; c++) sum += w_r[c] * x[c];
    y[r] = sum;
  }
}

// y[r] = Σ over the groups of row r of term(r, g, rg), in group order (rg
// indexes the group's scale). Each GEMV below only says what one group adds.
template <class Term>
static void sum_over_groups(size_t rows, size_t cols, size_t group, float* y, Term term) {
  const size_t groups = cols / group;
  for (size_t r = 0; r < rows; r++) {
    float sum = 0;
    for (size_t g = 0; g < groups; g++) sum += term(r, g, r * groups + g);
    y[r] = sum;
  }
}

// Σ code·x over one group of the q4 layout (byte i of a run of 32 holds
// weights i and i + 16 as code + 8), accumulated in Acc.
template <typename Acc, typename X>
static Acc q4_group_dot(const uint8_t* packed, const X* x, size_t group) {
  Acc sum = 0;
  for (size_t run = 0; run < group; run += 32)
    for (size_t i = 0; i < 16; i++) {
      const uint8_t byte = packed[run / 2 + i];
      sum += Acc(int(byte & 15) - 8) * Acc(x[run + i]) + Acc(int(byte >> 4) - 8) * Acc(x[run + i + 16]);
    }
  return sum;
}

// Per group: the dot product of codes and x, then one multiply by the scale.
template <>
void gemv_q8<simd::Scalar>(const int8_t* codes, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const int8_t* c_rg = codes + r * cols + g * group;
    const float* x_g = x + g * group;
    float partial = 0;
    for (size_t i = 0; i < group; i++) partial += float(c_rg[i]) * x_g[i];
    return scales[rg] * partial;
  });
}

template <>
void gemv_q4<simd::Scalar>(const uint8_t* packed, const float* scales, const float* x, size_t rows, size_t cols,
                           size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    return scales[rg] * q4_group_dot<float>(packed + (r * cols + g * group) / 2, x + g * group, group);
  });
}

template <>
void gemv_q8q8<simd::Scalar>(const int8_t* codes, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    const int8_t* c_rg = codes + r * cols + g * group;
    const int8_t* xc_g = x_codes + g * group;
    int32_t dot = 0;  // exact: |dot| ≤ 127² · group
    for (size_t i = 0; i < group; i++) dot += int32_t(c_rg[i]) * int32_t(xc_g[i]);
    return scales[rg] * x_scales[g] * float(dot);
  });
}

template <>
void gemv_q4q8<simd::Scalar>(const uint8_t* packed, const float* scales, const int8_t* x_codes, const float* x_scales,
                             size_t rows, size_t cols, size_t group, float* y) {
  sum_over_groups(rows, cols, group, y, [&](size_t r, size_t g, size_t rg) {
    // exact in int32: |dot| ≤ 8 · 127 · group
    const int32_t dot = q4_group_dot<int32_t>(packed + (r * cols + g * group) / 2, x_codes + g * group, group);
    return scales[rg] * x_scales[g] * float(dot);
  });
}

}  // namespace llmst::quant

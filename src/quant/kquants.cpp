// Scalar k-quants, ported from ggml's reference code (ggml/src/ggml-quants.c,
// llama.cpp, MIT licence): make_qkx2_quants, make_q3_quants, make_qx_quants,
// nearest_int, get_scale_min_k4, quantize_row_q{2..6}_K_ref and
// dequantize_row_q{2..6}_K. Float expressions keep ggml's operand order (the
// searches compare float errors, so a reordered sum can pick another
// candidate); the file is built with -ffp-contract=off (sources.cmake) so
// native and WASM builds round alike.
#include "quant/kquants.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>

#include "quant/minifloat.hpp"

namespace llmst::quant {

namespace {

constexpr float kGroupMaxEps = 1e-15f;  // ggml's GROUP_MAX_EPS: below it a group counts as all zero

// GGML_FP32_TO_FP16 then back: round to nearest even, overflow to ±Inf.
float fp16(float value) { return round_to(kFp16, value); }

// Weighted least-squares fit of x ≈ scale·L + min with L in [0, nmax] and
// min ≤ 0, over nstep + 1 trial inverse scales (rmin + rdelta·is + nmax) /
// (max − min); keeps the trial with the lowest weighted error (absolute when
// use_mad, squared otherwise). Returns scale; the_min = −min ≥ 0.
float make_qkx2_quants(int n, int nmax, const float* x, const float* weights, uint8_t* L, float& the_min, float rmin,
                       float rdelta, int nstep, bool use_mad) {
  uint8_t Laux[32];
  float min = x[0];
  float max = x[0];
  float sum_w = weights[0];
  float sum_x = sum_w * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    const float w = weights[i];
    sum_w += w;
    sum_x += w * x[i];
  }
  if (min > 0) min = 0;
  if (max == min) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    the_min = -min;
    return 0.f;
  }
  float iscale = nmax / (max - min);
  float scale = 1 / iscale;
  float best_error = 0;
  for (int i = 0; i < n; ++i) {
    const int l = nearest_int(iscale * (x[i] - min));
    L[i] = uint8_t(std::max(0, std::min(nmax, l)));
    float diff = scale * L[i] + min - x[i];
    diff = use_mad ? std::fabs(diff) : diff * diff;
    best_error += weights[i] * diff;
  }
  for (int is = 0; is <= nstep; ++is) {
    iscale = (rmin + rdelta * is + nmax) / (max - min);
    float sum_l = 0, sum_l2 = 0, sum_xl = 0;
    for (int i = 0; i < n; ++i) {
      int l = nearest_int(iscale * (x[i] - min));
      l = std::max(0, std::min(nmax, l));
      Laux[i] = uint8_t(l);
      const float w = weights[i];
      sum_l += w * l;
      sum_l2 += w * l * l;
      sum_xl += w * l * x[i];
    }
    const float D = sum_w * sum_l2 - sum_l * sum_l;
    if (D > 0) {
      float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
      float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
      if (this_min > 0) {  // the fit wants a positive offset: pin it to 0, refit the scale alone
        this_min = 0;
        this_scale = sum_xl / sum_l2;
      }
      float cur_error = 0;
      for (int i = 0; i < n; ++i) {
        float diff = this_scale * Laux[i] + this_min - x[i];
        diff = use_mad ? std::fabs(diff) : diff * diff;
        cur_error += weights[i] * diff;
      }
      if (cur_error < best_error) {
        for (int i = 0; i < n; ++i) L[i] = Laux[i];
        best_error = cur_error;
        scale = this_scale;
        min = this_min;
      }
    }
  }
  the_min = -min;
  return scale;
}

// Q3_K's sub-block fit (make_q3_quants with do_rmse): start from the grid
// where the signed extreme maps to −nmax, then up to 5 sweeps that move one
// code at a time when that raises (Σ w·x·l)² / Σ w·l² (weights w = x²).
// L gets l + nmax in [0, 2·nmax − 1] (0 for an all-zero group).
float make_q3_quants(int n, int nmax, const float* x, int8_t* L) {
  float max = 0;
  float amax = 0;
  for (int i = 0; i < n; ++i) {
    const float ax = std::fabs(x[i]);
    if (ax > amax) amax = ax, max = x[i];
  }
  if (amax < kGroupMaxEps) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    return 0.f;
  }
  const float iscale = -nmax / max;
  float sumlx = 0;
  float suml2 = 0;
  for (int i = 0; i < n; ++i) {
    int l = nearest_int(iscale * x[i]);
    l = std::max(-nmax, std::min(nmax - 1, l));
    L[i] = int8_t(l);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * l;
    suml2 += w * l * l;
  }
  for (int itry = 0; itry < 5; ++itry) {
    int n_changed = 0;
    for (int i = 0; i < n; ++i) {
      const float w = x[i] * x[i];
      float slx = sumlx - w * x[i] * L[i];
      if (slx > 0) {
        float sl2 = suml2 - w * L[i] * L[i];
        int new_l = nearest_int(x[i] * sl2 / slx);
        new_l = std::max(-nmax, std::min(nmax - 1, new_l));
        if (new_l != L[i]) {
          slx += w * x[i] * new_l;
          sl2 += w * new_l * new_l;
          if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
            L[i] = int8_t(new_l);
            sumlx = slx;
            suml2 = sl2;
            ++n_changed;
          }
        }
      }
    }
    if (!n_changed) break;
  }
  for (int i = 0; i < n; ++i) L[i] = int8_t(L[i] + nmax);
  return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

// Q6_K's sub-block fit (make_qx_quants with rmse_type 1 and no importance
// weights, the only case the reference quantizers use): 19 trial inverse
// scales −(nmax + 0.1·is) / max, is = −9..9, each refit by least squares with
// weights x²; keeps the one that explains most of Σ w·x². L gets l + nmax.
float make_qx_quants(int n, int nmax, const float* x, int8_t* L) {
  float max = 0;
  float amax = 0;
  for (int i = 0; i < n; ++i) {
    const float ax = std::fabs(x[i]);
    if (ax > amax) amax = ax, max = x[i];
  }
  if (amax < kGroupMaxEps) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    return 0.f;
  }
  float iscale = -nmax / max;
  float sumlx = 0;
  float suml2 = 0;
  for (int i = 0; i < n; ++i) {
    int l = nearest_int(iscale * x[i]);
    l = std::max(-nmax, std::min(nmax - 1, l));
    L[i] = int8_t(l + nmax);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * l;
    suml2 += w * l * l;
  }
  float scale = suml2 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int is = -9; is <= 9; ++is) {
    if (is == 0) continue;
    iscale = -(nmax + 0.1f * is) / max;
    sumlx = suml2 = 0;
    for (int i = 0; i < n; ++i) {
      int l = nearest_int(iscale * x[i]);
      l = std::max(-nmax, std::min(nmax - 1, l));
      const float w = x[i] * x[i];
      sumlx += w * x[i] * l;
      suml2 += w * l * l;
    }
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      for (int i = 0; i < n; ++i) {
        const int l = nearest_int(iscale * x[i]);
        L[i] = int8_t(nmax + std::max(-nmax, std::min(nmax - 1, l)));
      }
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

// The last pass of every k-quant: each sub-block's codes again from its
// stored (rounded) scale d and min dm, so they fit what is kept. A zero d
// leaves the search's codes, as ggml does.
void codes_with_min(const float* x, int n, float d, float dm, int nmax, uint8_t* L) {
  if (!d) return;
  for (int i = 0; i < n; ++i) L[i] = uint8_t(std::max(0, std::min(nmax, nearest_int((x[i] + dm) / d))));
}
// Signed codes in [−half, half − 1], stored offset by half.
void codes_signed(const float* x, int n, float d, int half, int8_t* L) {
  if (!d) return;
  for (int i = 0; i < n; ++i) L[i] = int8_t(std::max(-half, std::min(half - 1, nearest_int(x[i] / d))) + half);
}

// quantize_row_q2_K_ref: per 16, a min-max 2-bit fit searched on |x|-weighted
// absolute error; scales and mins to 4 bits against the largest of each.
KQuantBlock quantize_q2_k(const float* x) {
  constexpr float q4scale = 15.f;
  KQuantBlock block;
  uint8_t L[kSuperBlock];
  float weights[16], mins[16], scales[16];
  float max_scale = 0, max_min = 0;  // scales are positive: the min is taken out
  for (int j = 0; j < 16; ++j) {
    for (int l = 0; l < 16; ++l) weights[l] = std::fabs(x[16 * j + l]);
    scales[j] = make_qkx2_quants(16, 3, x + 16 * j, weights, L + 16 * j, mins[j], -0.5f, 0.1f, 15, true);
    if (scales[j] > max_scale) max_scale = scales[j];
    if (mins[j] > max_min) max_min = mins[j];
  }
  uint8_t packed[16] = {};  // ggml's byte per sub-block: scale | min << 4
  if (max_scale > 0) {
    const float iscale = q4scale / max_scale;
    for (int j = 0; j < 16; ++j) packed[j] = uint8_t(nearest_int(iscale * scales[j]));
    block.d = fp16(max_scale / q4scale);
  }
  if (max_min > 0) {
    const float iscale = q4scale / max_min;
    for (int j = 0; j < 16; ++j) packed[j] = uint8_t(packed[j] | (unsigned(nearest_int(iscale * mins[j])) << 4));
    block.dmin = fp16(max_min / q4scale);
  }
  for (int j = 0; j < 16; ++j) {
    block.scales[j] = int8_t(packed[j] & 0xF);
    block.mins[j] = uint8_t(packed[j] >> 4);
    codes_with_min(x + 16 * j, 16, block.d * (packed[j] & 0xF), block.dmin * (packed[j] >> 4), 3, L + 16 * j);
  }
  std::copy(L, L + kSuperBlock, block.codes.begin());
  return block;
}

// Q3_K and Q6_K's first pass: each sub-block of 16 fits its own signed scale
// (fit(x, L) → scale, codes in L); returns the scale of largest magnitude,
// which sets the super-block's d, and that magnitude.
template <class Fit>
float fit_signed_scales(const float* x, int8_t* L, float* scales, Fit fit, float& largest_magnitude) {
  float max_scale = 0;
  largest_magnitude = 0;
  for (int j = 0; j < 16; ++j) {
    scales[j] = fit(x + 16 * j, L + 16 * j);
    const float magnitude = std::fabs(scales[j]);
    if (magnitude > largest_magnitude) largest_magnitude = magnitude, max_scale = scales[j];
  }
  return max_scale;
}

// quantize_row_q3_K_ref: per 16, make_q3_quants; signed scales to 6 bits
// with the largest magnitude mapped to −32.
KQuantBlock quantize_q3_k(const float* x) {
  KQuantBlock block;
  int8_t L[kSuperBlock];
  float scales[16], amax;
  const float max_scale = fit_signed_scales(
      x, L, scales, [](const float* x_j, int8_t* L_j) { return make_q3_quants(16, 4, x_j, L_j); }, amax);
  int8_t sub_scales[16] = {-32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32, -32};
  if (max_scale) {
    const float iscale = -32.f / max_scale;
    for (int j = 0; j < 16; ++j) {
      const int8_t l = int8_t(nearest_int(iscale * scales[j]));
      sub_scales[j] = int8_t(std::max<int>(-32, std::min<int>(31, l)));
    }
    block.d = fp16(1 / iscale);
  }
  const std::array<uint8_t, 12> packed = pack_q3_k_scales(sub_scales);
  for (int j = 0; j < 16; ++j) {
    block.scales[j] = unpack_q3_k_scale(j, packed.data());
    codes_signed(x + 16 * j, 16, block.d * block.scales[j], 4, L + 16 * j);
  }
  for (size_t i = 0; i < kSuperBlock; i++) block.codes[i] = uint8_t(L[i]);
  return block;
}

// quantize_row_q4_K_ref / q5_K_ref: per 32, a min-max fit searched on
// (rms + |x|)-weighted squared error; scales and mins to 6 bits.
KQuantBlock quantize_q45_k(const float* x, int nmax, float rmin, float rdelta, int nstep) {
  KQuantBlock block;
  uint8_t L[kSuperBlock];
  float weights[32], mins[8], scales[8];
  float max_scale = 0, max_min = 0;
  for (int j = 0; j < 8; ++j) {
    float sum_x2 = 0;
    for (int l = 0; l < 32; ++l) sum_x2 += x[32 * j + l] * x[32 * j + l];
    const float av_x = std::sqrt(sum_x2 / 32);
    for (int l = 0; l < 32; ++l) weights[l] = av_x + std::fabs(x[32 * j + l]);
    scales[j] = make_qkx2_quants(32, nmax, x + 32 * j, weights, L + 32 * j, mins[j], rmin, rdelta, nstep, false);
    if (scales[j] > max_scale) max_scale = scales[j];
    if (mins[j] > max_min) max_min = mins[j];
  }
  const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
  const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
  uint8_t ls[8], lm[8];
  for (int j = 0; j < 8; ++j) {
    ls[j] = std::min<uint8_t>(63, uint8_t(nearest_int(inv_scale * scales[j])));
    lm[j] = std::min<uint8_t>(63, uint8_t(nearest_int(inv_min * mins[j])));
  }
  const std::array<uint8_t, 12> packed = pack_scale_min_k4(ls, lm);
  block.d = fp16(max_scale / 63.f);
  block.dmin = fp16(max_min / 63.f);
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, m;
    get_scale_min_k4(j, packed.data(), sc, m);
    block.scales[j] = int8_t(sc);
    block.mins[j] = m;
    codes_with_min(x + 32 * j, 32, block.d * sc, block.dmin * m, nmax, L + 32 * j);
  }
  std::copy(L, L + kSuperBlock, block.codes.begin());
  return block;
}

// quantize_row_q6_K_ref: per 16, make_qx_quants; int8 scales with the
// largest magnitude mapped to −128.
KQuantBlock quantize_q6_k(const float* x) {
  KQuantBlock block;
  int8_t L[kSuperBlock];
  float scales[16], max_abs_scale;
  const float max_scale = fit_signed_scales(
      x, L, scales, [](const float* x_j, int8_t* L_j) { return make_qx_quants(16, 32, x_j, L_j); }, max_abs_scale);
  if (max_abs_scale < kGroupMaxEps) return block;  // ggml zeroes the whole block
  const float iscale = -128.f / max_scale;
  block.d = fp16(1 / iscale);
  for (int ib = 0; ib < 16; ++ib) block.scales[ib] = int8_t(std::min(127, nearest_int(iscale * scales[ib])));
  for (int j = 0; j < 16; ++j) codes_signed(x + 16 * j, 16, block.d * block.scales[j], 32, L + 16 * j);
  for (size_t i = 0; i < kSuperBlock; i++) block.codes[i] = uint8_t(L[i]);
  return block;
}

bool has_min(KQuant type) { return type == KQuant::q2_k || type == KQuant::q4_k || type == KQuant::q5_k; }

// The non-finite rule of quantize_kquant, on one zero-padded super-block.
void replace_nonfinite(KQuant type, float* x) {
  const size_t sub = kquant_sub_block(type);
  for (size_t start = 0; start < kSuperBlock; start += sub) {
    float low = INFINITY, high = -INFINITY, absmax = 0;
    for (size_t i = start; i < start + sub; i++)
      if (std::isfinite(x[i]))
        low = std::min(low, x[i]), high = std::max(high, x[i]), absmax = std::max(absmax, std::fabs(x[i]));
    if (low > high) low = high = 0;  // no finite value
    for (size_t i = start; i < start + sub; i++) {
      if (std::isnan(x[i]))
        x[i] = has_min(type) ? low : 0.0f;
      else if (std::isinf(x[i]))
        x[i] = has_min(type) ? (x[i] > 0 ? high : low) : std::copysign(absmax, x[i]);
    }
  }
}

// fp16 bits of a value already on the fp16 grid, and back (GGML_FP32_TO_FP16 / GGML_FP16_TO_FP32).
uint16_t fp16_bits(float value) {
  const uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  const float magnitude = std::fabs(value);
  if (std::isnan(value)) return sign | 0x7E00;
  if (std::isinf(value)) return sign | 0x7C00;
  if (magnitude == 0) return sign;
  int exponent;
  std::frexp(magnitude, &exponent);  // magnitude in [2^(exponent−1), 2^exponent)
  if (exponent - 1 < -14) return uint16_t(sign | uint16_t(std::lround(std::ldexp(magnitude, 24))));  // subnormal
  const long mantissa = std::lround(std::ldexp(magnitude, 11 - exponent)) - 1024;  // 10 bits below the leading 1
  return uint16_t(sign | ((exponent - 1 + 15) << 10) | mantissa);
}

float fp16_value(GgmlHalf bits) {
  const int exponent = int(bits >> 10) & 31, mantissa = int(bits & 1023);
  const float magnitude = exponent == 0    ? std::ldexp(float(mantissa), -24)
                          : exponent == 31 ? (mantissa ? NAN : INFINITY)
                                           : std::ldexp(float(1024 + mantissa), exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

// Q2_K and Q3_K's 2-bit planes (qs[64]): byte j/4 + l of each half holds
// codes j + l, j + l + 32, j + l + 64, j + l + 96 at bits 0, 2, 4, 6.
void pack_2bit(const uint8_t* L, uint8_t* qs) {
  for (int j = 0; j < 256; j += 128)
    for (int l = 0; l < 32; ++l)
      qs[j / 4 + l] =
          uint8_t((L[j + l] & 3) | (L[j + l + 32] & 3) << 2 | (L[j + l + 64] & 3) << 4 | (L[j + l + 96] & 3) << 6);
}

template <class Block>
std::vector<uint8_t> bytes_of(const Block& block) {
  std::vector<uint8_t> bytes(sizeof block);
  std::memcpy(bytes.data(), &block, sizeof block);
  return bytes;
}

template <class Block>
Block block_from(const uint8_t* bytes) {
  Block block;
  std::memcpy(&block, bytes, sizeof block);
  return block;
}

BlockQ2_K pack_q2_k(const KQuantBlock& b) {
  BlockQ2_K y{};
  for (int j = 0; j < 16; ++j) y.scales[j] = uint8_t(b.scales[j] | b.mins[j] << 4);
  pack_2bit(b.codes.data(), y.qs);
  y.d = fp16_bits(b.d);
  y.dmin = fp16_bits(b.dmin);
  return y;
}

BlockQ3_K pack_q3_k(const KQuantBlock& b) {
  BlockQ3_K y{};
  uint8_t low[256];
  for (int j = 0; j < 256; ++j) {  // the high bit of code j: bit j / 32 of hmask[j % 32]
    if (b.codes[j] > 3) y.hmask[j % 32] = uint8_t(y.hmask[j % 32] | 1 << (j / 32));
    low[j] = b.codes[j] & 3;
  }
  pack_2bit(low, y.qs);
  const std::array<uint8_t, 12> scales = pack_q3_k_scales(b.scales.data());
  std::copy(scales.begin(), scales.end(), y.scales);
  y.d = fp16_bits(b.d);
  return y;
}

// Q4_K and Q5_K share d, dmin, the 12 scale bytes and the low nibbles; Q5_K adds qh.
template <class Block>
Block pack_q4_q5_k(const KQuantBlock& b) {
  Block y{};
  y.d = fp16_bits(b.d);
  y.dmin = fp16_bits(b.dmin);
  uint8_t sc[8], m[8];
  for (int j = 0; j < 8; ++j) sc[j] = uint8_t(b.scales[j]), m[j] = b.mins[j];
  const std::array<uint8_t, 12> scales = pack_scale_min_k4(sc, m);
  std::copy(scales.begin(), scales.end(), y.scales);
  const uint8_t* L = b.codes.data();
  uint8_t* q = y.qs;
  for (int n = 0; n < 256; n += 64, q += 32)  // byte l of each 32: codes n + l (low nibble) and n + l + 32
    for (int l = 0; l < 32; ++l) {
      q[l] = uint8_t((L[n + l] & 15) | (L[n + l + 32] & 15) << 4);
      if constexpr (std::is_same_v<Block, BlockQ5_K>)
        y.qh[l] = uint8_t(y.qh[l] | (L[n + l] >> 4) << (n / 32) | (L[n + l + 32] >> 4) << (n / 32 + 1));
    }
  return y;
}

BlockQ6_K pack_q6_k(const KQuantBlock& b) {
  BlockQ6_K y{};
  const uint8_t* L = b.codes.data();
  uint8_t* ql = y.ql;
  uint8_t* qh = y.qh;
  for (int j = 0; j < 256; j += 128, ql += 64, qh += 32)
    for (int l = 0; l < 32; ++l) {
      ql[l] = uint8_t((L[j + l] & 15) | (L[j + l + 64] & 15) << 4);
      ql[l + 32] = uint8_t((L[j + l + 32] & 15) | (L[j + l + 96] & 15) << 4);
      qh[l] =
          uint8_t(L[j + l] >> 4 | (L[j + l + 32] >> 4) << 2 | (L[j + l + 64] >> 4) << 4 | (L[j + l + 96] >> 4) << 6);
    }
  for (int j = 0; j < 16; ++j) y.scales[j] = b.scales[j];
  y.d = fp16_bits(b.d);
  return y;
}

void dequantize_q2_k(const BlockQ2_K& x, float* y) {
  const float d = fp16_value(x.d), min = fp16_value(x.dmin);
  const uint8_t* q = x.qs;
  int is = 0;
  for (int n = 0; n < 256; n += 128, q += 32)
    for (int shift = 0; shift < 8; shift += 2)
      for (int half = 0; half < 2; ++half) {
        const uint8_t sc = x.scales[is++];
        const float dl = d * (sc & 0xF), ml = min * (sc >> 4);
        for (int l = 0; l < 16; ++l) *y++ = dl * int8_t((q[l + 16 * half] >> shift) & 3) - ml;
      }
}

void dequantize_q3_k(const BlockQ3_K& x, float* y) {
  const float d_all = fp16_value(x.d);
  // ggml unpacks the 16 six-bit scales four bytes at a time (little-endian words).
  constexpr uint32_t kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
  uint32_t aux[4];
  std::memcpy(aux, x.scales, 12);
  const uint32_t tmp = aux[2];
  aux[2] = ((aux[0] >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4);
  aux[3] = ((aux[1] >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4);
  aux[0] = (aux[0] & kmask2) | (((tmp >> 0) & kmask1) << 4);
  aux[1] = (aux[1] & kmask2) | (((tmp >> 2) & kmask1) << 4);
  int8_t scales[16];
  std::memcpy(scales, aux, 16);
  const uint8_t* q = x.qs;
  const uint8_t* hm = x.hmask;
  uint8_t m = 1;
  int is = 0;
  for (int n = 0; n < 256; n += 128, q += 32)
    for (int shift = 0; shift < 8; shift += 2, m = uint8_t(m << 1))
      for (int half = 0; half < 2; ++half) {
        const float dl = d_all * (scales[is++] - 32);
        for (int l = 0; l < 16; ++l)
          *y++ = dl * (int8_t((q[l + 16 * half] >> shift) & 3) - ((hm[l + 16 * half] & m) ? 0 : 4));
      }
}

template <class Block>
void dequantize_q4_q5_k(const Block& x, float* y) {
  constexpr bool five = std::is_same_v<Block, BlockQ5_K>;
  const float d = fp16_value(x.d), min = fp16_value(x.dmin);
  const uint8_t* ql = x.qs;
  uint8_t u1 = 1, u2 = 2;
  for (int j = 0, is = 0; j < 256; j += 64, ql += 32, is += 2, u1 = uint8_t(u1 << 2), u2 = uint8_t(u2 << 2)) {
    uint8_t sc, m;
    get_scale_min_k4(is + 0, x.scales, sc, m);
    const float d1 = d * sc, m1 = min * m;
    get_scale_min_k4(is + 1, x.scales, sc, m);
    const float d2 = d * sc, m2 = min * m;
    for (int l = 0; l < 32; ++l) {
      int high = 0;
      if constexpr (five) high = x.qh[l] & u1 ? 16 : 0;
      *y++ = d1 * ((ql[l] & 0xF) + high) - m1;
    }
    for (int l = 0; l < 32; ++l) {
      int high = 0;
      if constexpr (five) high = x.qh[l] & u2 ? 16 : 0;
      *y++ = d2 * ((ql[l] >> 4) + high) - m2;
    }
  }
}

void dequantize_q6_k(const BlockQ6_K& x, float* y) {
  const float d = fp16_value(x.d);
  const uint8_t* ql = x.ql;
  const uint8_t* qh = x.qh;
  const int8_t* sc = x.scales;
  for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8)
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int8_t q1 = int8_t((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int8_t q2 = int8_t((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int8_t q3 = int8_t((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int8_t q4 = int8_t((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l + 0] = d * sc[is + 0] * q1;
      y[l + 32] = d * sc[is + 2] * q2;
      y[l + 64] = d * sc[is + 4] * q3;
      y[l + 96] = d * sc[is + 6] * q4;
    }
}

}  // namespace

std::vector<uint8_t> pack_kquant_block(KQuant type, const KQuantBlock& block) {
  switch (type) {
    case KQuant::q2_k:
      return bytes_of(pack_q2_k(block));
    case KQuant::q3_k:
      return bytes_of(pack_q3_k(block));
    case KQuant::q4_k:
      return bytes_of(pack_q4_q5_k<BlockQ4_K>(block));
    case KQuant::q5_k:
      return bytes_of(pack_q4_q5_k<BlockQ5_K>(block));
    case KQuant::q6_k:
      return bytes_of(pack_q6_k(block));
  }
  return {};
}

void dequantize_kquant_packed(KQuant type, const uint8_t* bytes, float* out) {
  switch (type) {
    case KQuant::q2_k:
      return dequantize_q2_k(block_from<BlockQ2_K>(bytes), out);
    case KQuant::q3_k:
      return dequantize_q3_k(block_from<BlockQ3_K>(bytes), out);
    case KQuant::q4_k:
      return dequantize_q4_q5_k(block_from<BlockQ4_K>(bytes), out);
    case KQuant::q5_k:
      return dequantize_q4_q5_k(block_from<BlockQ5_K>(bytes), out);
    case KQuant::q6_k:
      return dequantize_q6_k(block_from<BlockQ6_K>(bytes), out);
  }
}

int nearest_int(float x) {
  const float shifted = x + 12582912.f;  // 1.5·2^23: the integer part lands in the low mantissa bits
  int32_t bits;
  std::memcpy(&bits, &shifted, sizeof bits);
  return (bits & 0x007fffff) - 0x00400000;
}

bool find_kquant(std::string_view id, KQuant& type) {
  constexpr std::pair<std::string_view, KQuant> table[] = {{"q2_k", KQuant::q2_k},
                                                           {"q3_k", KQuant::q3_k},
                                                           {"q4_k", KQuant::q4_k},
                                                           {"q5_k", KQuant::q5_k},
                                                           {"q6_k", KQuant::q6_k}};
  for (const auto& [name, value] : table)
    if (name == id) return type = value, true;
  return false;
}

size_t kquant_sub_block(KQuant type) { return type == KQuant::q4_k || type == KQuant::q5_k ? 32 : 16; }

std::array<uint8_t, 12> pack_scale_min_k4(const uint8_t* scales, const uint8_t* mins) {
  std::array<uint8_t, 12> q{};
  for (int j = 0; j < 8; ++j) {
    const uint8_t ls = scales[j] & 63, lm = mins[j] & 63;
    if (j < 4) {
      q[j] = ls;
      q[j + 4] = lm;
    } else {
      q[j + 4] = uint8_t((ls & 0xF) | ((lm & 0xF) << 4));
      q[j - 4] = uint8_t(q[j - 4] | ((ls >> 4) << 6));
      q[j - 0] = uint8_t(q[j - 0] | ((lm >> 4) << 6));
    }
  }
  return q;
}

void get_scale_min_k4(int j, const uint8_t* q, uint8_t& scale, uint8_t& min) {
  if (j < 4) {
    scale = q[j] & 63;
    min = q[j + 4] & 63;
  } else {
    scale = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
    min = uint8_t((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
  }
}

std::array<uint8_t, 12> pack_q3_k_scales(const int8_t* scales) {
  std::array<uint8_t, 12> q{};
  for (int j = 0; j < 16; ++j) {
    const int l = std::max(-32, std::min(31, int(scales[j]))) + 32;
    if (j < 8)
      q[j] = uint8_t(l & 0xF);
    else
      q[j - 8] = uint8_t(q[j - 8] | ((l & 0xF) << 4));
    q[j % 4 + 8] = uint8_t(q[j % 4 + 8] | ((l >> 4) << (2 * (j / 4))));
  }
  return q;
}

int8_t unpack_q3_k_scale(int j, const uint8_t* q) {
  const int low = j < 8 ? q[j] & 0xF : q[j - 8] >> 4;
  return int8_t((low | (((q[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32);
}

KQuantBlock quantize_kquant_block(KQuant type, const float* x) {
  switch (type) {
    case KQuant::q2_k:
      return quantize_q2_k(x);
    case KQuant::q3_k:
      return quantize_q3_k(x);
    case KQuant::q4_k:
      return quantize_q45_k(x, 15, -1.f, 0.1f, 20);
    case KQuant::q5_k:
      return quantize_q45_k(x, 31, -0.5f, 0.1f, 15);
    case KQuant::q6_k:
      return quantize_q6_k(x);
  }
  return {};
}

// dequantize_row_qN_K, in weight order (ggml walks the packed bytes; the
// values and their float expressions are the same).
void dequantize_kquant_block(KQuant type, const KQuantBlock& b, float* out) {
  const size_t sub = kquant_sub_block(type);
  for (size_t j = 0; j < kSuperBlock / sub; j++) {
    float* y = out + j * sub;
    const uint8_t* q = b.codes.data() + j * sub;
    switch (type) {
      case KQuant::q2_k:
      case KQuant::q4_k:
      case KQuant::q5_k: {
        const float dl = b.d * b.scales[j];
        const float ml = b.dmin * b.mins[j];
        for (size_t l = 0; l < sub; l++) y[l] = dl * q[l] - ml;
        break;
      }
      case KQuant::q3_k: {
        const float dl = b.d * b.scales[j];
        for (size_t l = 0; l < sub; l++) y[l] = dl * (int(q[l]) - 4);
        break;
      }
      case KQuant::q6_k:
        for (size_t l = 0; l < sub; l++) y[l] = b.d * b.scales[j] * (int(q[l]) - 32);
        break;
    }
  }
}

void quantize_kquant(KQuant type, const float* x, size_t n, KQuantBlock* blocks) {
  for (size_t start = 0, b = 0; start < n; start += kSuperBlock, b++) {
    float padded[kSuperBlock] = {};
    std::copy(x + start, x + std::min(n, start + kSuperBlock), padded);
    replace_nonfinite(type, padded);
    blocks[b] = quantize_kquant_block(type, padded);
  }
}

void dequantize_kquant(KQuant type, const KQuantBlock* blocks, size_t n, float* out) {
  for (size_t start = 0, b = 0; start < n; start += kSuperBlock, b++) {
    float values[kSuperBlock];
    dequantize_kquant_block(type, blocks[b], values);
    std::copy(values, values + std::min(kSuperBlock, n - start), out + start);
  }
}

}  // namespace llmst::quant

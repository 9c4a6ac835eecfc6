// Quantize / dequantize and quantized matrix–vector kernels. Flat functions
// over pointers and sizes (never configs). Each is a template over the
// instruction set, as the attention kernels are: kernel<simd::Scalar> is the
// plain C++ twin (kernels.cpp), kernel<simd::Active> the fastest one built
// (kernels_simd.cpp: SIMD, or the scalar twin in a LLMST_SCALAR_ONLY build),
// and the default. Both produce the same codes bit for bit.
//
// Conventions (absmax and min-max as in Dettmers et al. 2022 and ggml's Q4_0/Q4_1):
// - rounding is to nearest, ties to even (f32x4.nearest / cvtps in SIMD);
// - symmetric: scale = absmax / qmax, codes in [-qmax, qmax] (int4: -7..7);
// - asymmetric (AutoGPTQ / AWQ): the range [min, max] widened to hold 0,
//   scale = (max - min) / qmax, an integer zero point z = round(-min / scale)
//   in [0, qmax] stored in the code's own bits, q = clamp(round(x / scale) + z,
//   0, qmax), x ≈ (q - z)·scale (ggml's Q4_1/Q5_1 keep a float min instead:
//   dequantize_asym);
// - a group of length g runs over consecutive elements; the last group of a
//   size that is not a multiple of g is shorter;
// - non-finite inputs: scales are computed from the finite values only; NaN
//   quantizes to the code of 0 (sym: 0, asym: z), ±Inf to the extreme code;
// - the scale is rounded to the scale dtype before the codes are computed, so
//   codes match what the dequantizer will see.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "quant/minifloat.hpp"
#include "simd/simd.hpp"

namespace llmst::quant {

// The 16 NF4 levels (QLoRA, Dettmers et al. 2023, Appendix E; bitsandbytes
// functional.py get_4bit_type("nf4")): quantiles of N(0,1) normalised to [-1, 1].
extern const float kNf4Levels[16];

// One element's code, shared by the scalar kernels and the SIMD kernels' tails.
// Asymmetric: x·inverse rounded half to even, plus the zero point, in [0, qmax]
// (clamping x·inverse to [−z, qmax − z] first is the same: the bounds are
// integers); NaN → z, the code of 0.
inline uint8_t zero_point_code(float scaled, int zero, int qmax) {
  if (std::isnan(scaled)) return uint8_t(zero);
  return uint8_t(int(std::nearbyint(std::clamp(scaled, float(-zero), float(qmax - zero)))) + zero);
}
// The zero point of a group: round(−low / scale) in [0, qmax] (low ≤ 0).
inline int zero_point_of(float low, float inverse, int qmax) {
  return std::clamp(int(std::nearbyint(-low * inverse)), 0, qmax);
}
// NF4: the nearest level to x·inverse (NaN → the 0 level) = how many of the
// midpoints between consecutive levels lie below it.
inline uint8_t nf4_code(float scaled) {
  scaled = std::isnan(scaled) ? 0.0f : std::clamp(scaled, -1.0f, 1.0f);
  int code = 0;
  for (int k = 0; k < 15; k++) code += scaled > (kNf4Levels[k] + kNf4Levels[k + 1]) / 2;
  return uint8_t(code);
}

// x is (n); codes is (n); scales is (ceil(n / group)). scale_format null: fp32 scales.
template <class Isa = simd::Active>
void quantize_sym(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format, int8_t* codes,
                  float* scales);
template <class Isa = simd::Active>
void dequantize_sym(const int8_t* codes, const float* scales, size_t n, size_t group, float* out);
// Asymmetric: zeros is (ceil(n / group)), one integer zero point per group.
template <class Isa = simd::Active>
void quantize_asym(const float* x, size_t n, size_t group, int qmax, const MiniFloat* scale_format, uint8_t* codes,
                   float* scales, uint8_t* zeros);
template <class Isa = simd::Active>
void dequantize_zero_point(const uint8_t* codes, const float* scales, const uint8_t* zeros, size_t n, size_t group,
                           float* out);
// x = min + q·scale with a float min per group (ggml's Q4_1/Q5_1 blocks).
template <class Isa = simd::Active>
void dequantize_asym(const uint8_t* codes, const float* scales, const float* mins, size_t n, size_t group, float* out);
template <class Isa = simd::Active>
void quantize_nf4(const float* x, size_t n, size_t group, const MiniFloat* scale_format, uint8_t* codes, float* scales);
template <class Isa = simd::Active>
void dequantize_nf4(const uint8_t* codes, const float* scales, size_t n, size_t group, float* out);

// ggml blocks of 32 (Q4_0, Q5_0, Q8_0: codes signed, x = c·d; Q4_1, Q5_1:
// codes unsigned, x = c·d + m), with ggml's reference rounding
// (quantize_row_q4_0_reference & co. in ggml-quants.c) and fp16 d and m.
template <class Isa = simd::Active>
void quantize_ggml_sym(const float* x, size_t n, int levels, int8_t* codes, float* scales);
template <class Isa = simd::Active>
void quantize_ggml_asym(const float* x, size_t n, int levels, uint8_t* codes, float* scales, float* mins);

// Matrix–vector products y = W·x, W is (rows, cols) row-major, x is (cols),
// y is (rows). Quantized W has one scale per `group` consecutive weights of a
// row; group divides cols and is a multiple of 32.
// - f32: W as floats;
// - q8: int8 codes (cols per row), dequantized on the fly;
// - q4: int4 codes packed two per byte (cols / 2 per row): in each run of 32
//   weights, byte i holds weight i in its low nibble and weight i + 16 in its
//   high nibble (ggml's Q4_0 order), stored as code + 8;
// - q8q8: int8 weights times x quantized to int8 per group (scales x_scales),
//   integer dot products (the Q8_0 × Q8_0 path);
// - q4q8: int4 weights (the q4 layout) times x quantized to int8 per group,
//   integer dot products (llama.cpp's Q4_0 × Q8_0 decode path on CPUs).
template <class Isa = simd::Active>
void gemv_f32(const float* w, const float* x, size_t rows, size_t cols, float* y);
template <class Isa = simd::Active>
void gemv_q8(const int8_t* codes, const float* scales, const float* x, size_t rows, size_t cols, size_t group,
             float* y);
template <class Isa = simd::Active>
void gemv_q4(const uint8_t* packed, const float* scales, const float* x, size_t rows, size_t cols, size_t group,
             float* y);
template <class Isa = simd::Active>
void gemv_q8q8(const int8_t* codes, const float* scales, const int8_t* x_codes, const float* x_scales, size_t rows,
               size_t cols, size_t group, float* y);
template <class Isa = simd::Active>
void gemv_q4q8(const uint8_t* packed, const float* scales, const int8_t* x_codes, const float* x_scales, size_t rows,
               size_t cols, size_t group, float* y);

// QLoRA double quantization of first-level scales (count of them): in blocks
// of 256, minus their mean, as int8 absmax codes with one fp32 scale per block
// (bitsandbytes quantizes absmax with an offset = mean). Replaces each scale
// by the value the dequantizer would see.
void double_quantize_scales(float* scales, size_t count);

// Packs int4 codes (-8..7, one per int8, cols a multiple of 32) in the q4 layout above.
void pack_int4(const int8_t* codes, size_t n, uint8_t* packed);

// The two definitions of each kernel above (declared here so every caller sees them).
// clang-format off
#define LLMST_QUANT_KERNELS(Isa) \
  template <> void quantize_sym<Isa>(const float*, size_t, size_t, int, const MiniFloat*, int8_t*, float*); \
  template <> void dequantize_sym<Isa>(const int8_t*, const float*, size_t, size_t, float*); \
  template <> void quantize_asym<Isa>(const float*, size_t, size_t, int, const MiniFloat*, uint8_t*, float*, uint8_t*); \
  template <> void dequantize_zero_point<Isa>(const uint8_t*, const float*, const uint8_t*, size_t, size_t, float*); \
  template <> void dequantize_asym<Isa>(const uint8_t*, const float*, const float*, size_t, size_t, float*); \
  template <> void quantize_nf4<Isa>(const float*, size_t, size_t, const MiniFloat*, uint8_t*, float*); \
  template <> void dequantize_nf4<Isa>(const uint8_t*, const float*, size_t, size_t, float*); \
  template <> void quantize_ggml_sym<Isa>(const float*, size_t, int, int8_t*, float*); \
  template <> void quantize_ggml_asym<Isa>(const float*, size_t, int, uint8_t*, float*, float*); \
  template <> void gemv_f32<Isa>(const float*, const float*, size_t, size_t, float*); \
  template <> void gemv_q8<Isa>(const int8_t*, const float*, const float*, size_t, size_t, size_t, float*); \
  template <> void gemv_q4<Isa>(const uint8_t*, const float*, const float*, size_t, size_t, size_t, float*); \
  template <> void gemv_q8q8<Isa>(const int8_t*, const float*, const int8_t*, const float*, size_t, size_t, size_t, float*); \
  template <> void gemv_q4q8<Isa>(const uint8_t*, const float*, const int8_t*, const float*, size_t, size_t, size_t, float*);
LLMST_QUANT_KERNELS(simd::Scalar)
LLMST_QUANT_KERNELS(simd::Active)
#undef LLMST_QUANT_KERNELS
// clang-format on

}  // namespace llmst::quant

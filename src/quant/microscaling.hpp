// The block formats today's checkpoints ship in:
// - MXFP4 (OCP Microscaling Formats v1.0; gpt-oss): 32 FP4 E2M1 values share
//   one E8M0 scale, a power of two: 4 + 8/32 = 4.25 bits per weight;
// - NVFP4 (NVIDIA, Blackwell): 16 E2M1 values share one FP8 E4M3 scale, and a
//   tensor shares one fp32 scale: 4 + 8/16 = 4.5 bits (+ 32 bits per tensor);
// - FP8 block (DeepSeek-V3's checkpoint): FP8 E4M3 values, one fp32 scale
//   (`weight_scale_inv`) per 128×128 tile: 8 + 32/16384 bits.
// Kernels are flat functions over pointers; blocks are typed structs whose
// sizes the format table (formats.cpp) reads with sizeof.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "quant/minifloat.hpp"
#include "simd/simd.hpp"

namespace llmst::quant {

inline constexpr size_t kMxfp4Block = 32;     // OCP MX v1.0: k = 32 for the concrete MX formats
inline constexpr size_t kNvfp4Block = 16;     // NVIDIA NVFP4: 16-value micro-blocks
inline constexpr size_t kFp8BlockTile = 128;  // DeepSeek-V3 weight_block_size [128, 128]

// One MXFP4 block: the E8M0 scale byte (2^(byte − 127), 0xFF = NaN; OCP MX
// v1.0 §5.4.1), then 32 E2M1 codes two per byte: element 2i in the low nibble
// of qs[i], element 2i + 1 in the high nibble (the order transformers' gpt-oss
// MXFP4 unpacker and TensorRT Model Optimizer's NVFP4QTensor read).
struct BlockMxfp4 {
  uint8_t e8m0;
  uint8_t qs[kMxfp4Block / 2];
};
static_assert(sizeof(BlockMxfp4) == 1 + kMxfp4Block / 2, "wrong MXFP4 block size/padding");

// One NVFP4 block: the FP8 E4M3 scale byte, then 16 E2M1 codes two per byte
// (same nibble order). The fp32 per-tensor scale is kept beside the blocks.
struct BlockNvfp4 {
  uint8_t e4m3;
  uint8_t qs[kNvfp4Block / 2];
};
static_assert(sizeof(BlockNvfp4) == 1 + kNvfp4Block / 2, "wrong NVFP4 block size/padding");

// FP4 E2M1 (1 sign, 2 exponent, 1 mantissa bit, bias 1, no Inf or NaN): code
// bit 3 is the sign, bits 0–2 index the magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6.
extern const float kE2m1Levels[16];

// The nearest E2M1 code to v, ties to even, saturating at ±6 (OCP MX v1.0 §6.3
// converts each V_i / X to the element type, clamping to its largest normal;
// ties to even is IEEE's default and what ModelOpt's E2M1 cast does). The magnitude index counts the midpoints below
// |v|: a midpoint between an even code and the odd one above it (0.25, 1.25, 2.5, 5) belongs to the even one below
// (">"), between an odd one and the even one above (0.75, 1.75, 3.5) to the even one above (">="). NaN → +0 (code 0:
// E2M1 has no NaN); v < 0 sets the sign, so −0.1 → −0 (code 8).
inline uint8_t e2m1_code(float v) {
  const float a = std::fabs(v);
  const int magnitude = (a > 0.25f) + (a >= 0.75f) + (a > 1.25f) + (a >= 1.75f) + (a > 2.5f) + (a >= 3.5f) + (a > 5.0f);
  return uint8_t((v < 0 ? 8 : 0) | magnitude);
}

inline float float_from_bits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}
inline uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// MXFP4's shared scale (OCP MX v1.0 §6.3): X = 2^(floor(log2(absmax)) − emax)
// with emax = 2, the exponent of E2M1's largest normal (6 = 1.5·2²), clamped
// to E8M0's range [−127, 127]. floor(log2) is the float's exponent field, so a
// zero or subnormal absmax gives the smallest scale, 2^−127. absmax is finite.
inline uint8_t mxfp4_scale_byte(float absmax) {
  const int shared_exponent = int((bits_of(absmax) >> 23) & 0xFF) - 127 - 2;
  return uint8_t((shared_exponent < -127 ? -127 : shared_exponent) + 127);
}
// E8M0 byte → its value: 2^(byte − 127), 0xFF = NaN (byte 0 is the fp32 subnormal 2^−127).
inline float e8m0_value(uint8_t byte) {
  if (byte == 0xFF) return NAN;
  return byte == 0 ? float_from_bits(0x00400000u) : float_from_bits(uint32_t(byte) << 23);
}
// 1 / 2^(byte − 127) for the scales mxfp4_scale_byte makes (byte ≤ 252), exact:
// x · 2^(127 − byte) equals x / X bit for bit (one rounding of the same value).
inline float e8m0_inverse(uint8_t byte) { return float_from_bits(uint32_t(254 - byte) << 23); }

// FP8 E4M3 (OCP 8-bit Floating Point v1.0) bytes. `rounded` is already a value
// of the format (round_to(kFp8E4M3, ·)) or NaN: normals put the float's
// exponent − 120 and top 3 mantissa bits side by side; subnormals are m·2^−9.
inline uint8_t e4m3_byte(float rounded) {
  if (std::isnan(rounded)) return 0x7F;
  const uint32_t bits = bits_of(rounded);
  const uint8_t sign = uint8_t((bits >> 24) & 0x80);
  const uint32_t exponent = (bits >> 23) & 0xFF;
  if (exponent >= 121) return uint8_t(sign | ((exponent - 120) << 3) | ((bits >> 20) & 7));
  return uint8_t(sign | uint8_t(std::fabs(rounded) * 512.0f));  // 0 … 7 times 2^−9, exact
}
inline float e4m3_value(uint8_t byte) {
  const uint32_t exponent = (byte >> 3) & 15, mantissa = byte & 7;
  if (exponent == 15 && mantissa == 7) return NAN;
  const float magnitude =
      exponent == 0 ? float(mantissa) * (1.0f / 512.0f) : float_from_bits(((exponent + 120) << 23) | (mantissa << 20));
  return byte & 0x80 ? -magnitude : magnitude;
}

// MXFP4. x is (n); blocks is (ceil(n / 32)); the last block is zero-padded.
// Each block's scale comes from its finite values; NaN → +0, ±Inf → ±6·X.
// Templates over the instruction set, like the kernels of quant/kernels.hpp.
template <class Isa = simd::Active>
void quantize_mxfp4(const float* x, size_t n, BlockMxfp4* blocks);
template <class Isa = simd::Active>
void dequantize_mxfp4(const BlockMxfp4* blocks, size_t n, float* out);

// NVFP4. The per-tensor scale (TensorRT Model Optimizer, NVFP4QTensor):
// absmax of the finite values / (6 · 448), so the largest block scale lands on
// E4M3's largest value. Per block: s = block absmax / (6 · tensor_scale),
// 1 for an all-zero block, stored as E4M3; codes are E2M1(x / (s_e4m3 · tensor_scale)).
float nvfp4_tensor_scale(const float* x, size_t n);
template <class Isa = simd::Active>
void quantize_nvfp4(const float* x, size_t n, float tensor_scale, BlockNvfp4* blocks);
template <class Isa = simd::Active>
void dequantize_nvfp4(const BlockNvfp4* blocks, size_t n, float tensor_scale, float* out);

// FP8 block on a 1-D tensor read as rows of row_length (the last row may be
// short): tiles of 128 rows × 128 columns, scales is (ceil(rows / 128),
// ceil(row_length / 128)) row-major, one fp32 s = tile absmax / 448 each
// (DeepSeek-V3 inference/kernel.py weight_quant), codes are E4M3 bytes of
// x / s (round to nearest even, saturating at ±448, NaN kept). Scalar only.
size_t fp8_block_scale_count(size_t n, size_t row_length);
void quantize_fp8_block(const float* x, size_t n, size_t row_length, uint8_t* codes, float* scales);
void dequantize_fp8_block(const uint8_t* codes, const float* scales, size_t n, size_t row_length, float* out);

// The two definitions of each (microscaling.cpp: Scalar; kernels_simd.cpp: Active).
// clang-format off
#define LLMST_MICROSCALING_KERNELS(Isa) \
  template <> void quantize_mxfp4<Isa>(const float*, size_t, BlockMxfp4*); \
  template <> void dequantize_mxfp4<Isa>(const BlockMxfp4*, size_t, float*); \
  template <> void quantize_nvfp4<Isa>(const float*, size_t, float, BlockNvfp4*); \
  template <> void dequantize_nvfp4<Isa>(const BlockNvfp4*, size_t, float, float*);
LLMST_MICROSCALING_KERNELS(simd::Scalar)
LLMST_MICROSCALING_KERNELS(simd::Active)
#undef LLMST_MICROSCALING_KERNELS
// clang-format on

}  // namespace llmst::quant

// ggml k-quants (Q2_K … Q6_K): super-blocks of 256 weights cut into
// sub-blocks of 16 or 32, each with a small integer scale (and min) that
// multiplies one fp16 super-block scale d (and dmin). A scalar port of ggml's
// reference quantizers quantize_row_qN_K_ref and dequantizers
// dequantize_row_qN_K (ggml/src/ggml-quants.c, llama.cpp, MIT licence; read
// at ggml-org/llama.cpp commit 01243c58): the same search loops, float
// expressions, nearest_int rounding and fp16 rounding of d and dmin, so the
// codes and values are ggml's.
//
// A super-block is kept unpacked (KQuantBlock): the sub-block scales, mins and
// codes sit in plain arrays, each within its real bit width. The stored block
// is ggml's typed struct (quant/ggml_blocks.hpp, whose sizeof formats.cpp
// reads): pack_kquant_block fills it and dequantize_kquant_packed reads it
// back as ggml does (tests compare the two). The 12-byte 6-bit scale packings of Q3_K and Q4_K/Q5_K are also used
// by the quantizers, as in ggml.
//
//   format  sub-block  codes            sub-block scale / min         value
//   Q2_K    16         0..3             4-bit sc, 4-bit m             d·sc·q − dmin·m
//   Q3_K    16         0..7 (q − 4)     6-bit signed sc −32..31       d·sc·(q − 4)
//   Q4_K    32         0..15            6-bit sc, 6-bit m             d·sc·q − dmin·m
//   Q5_K    32         0..31            6-bit sc, 6-bit m             d·sc·q − dmin·m
//   Q6_K    16         0..63 (q − 32)   int8 sc −128..127             d·sc·(q − 32)
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "quant/ggml_blocks.hpp"

namespace llmst::quant {

enum class KQuant { q2_k, q3_k, q4_k, q5_k, q6_k };

// The format of a format id ("q4_k"); false when it is not a k-quant.
bool find_kquant(std::string_view id, KQuant& type);
size_t kquant_sub_block(KQuant type);  // 16 or 32

// One super-block, unpacked. Scales and mins hold the integer codes (the
// first 8 only for Q4_K/Q5_K, which have 8 sub-blocks); codes hold the stored
// unsigned code of each weight, in weight order.
struct KQuantBlock {
  float d = 0;                      // fp16-rounded super-block scale (negative for Q3_K/Q6_K, as in ggml)
  float dmin = 0;                   // fp16-rounded super-block min scale (Q2_K, Q4_K, Q5_K)
  std::array<int8_t, 16> scales{};  // Q2_K 0..15, Q3_K −32..31, Q4_K/Q5_K 0..63, Q6_K −128..127
  std::array<uint8_t, 16> mins{};   // Q2_K 0..15, Q4_K/Q5_K 0..63
  std::array<uint8_t, kSuperBlock> codes{};
};

// ggml's reference quantizer and dequantizer of one super-block: x and out
// are (256). No guard against NaN or ±Inf, exactly like ggml (see below).
KQuantBlock quantize_kquant_block(KQuant type, const float* x);
void dequantize_kquant_block(KQuant type, const KQuantBlock& block, float* out);

// A tensor of n values: blocks is (ceil(n / 256)), out is (n).
// - n not a multiple of 256: the last super-block is zero-padded; the padding
//   takes part in that block's search like any value and is not returned.
// - NaN / ±Inf, which ggml's reference does not handle (one +Inf makes a
//   super-block's d infinite and all 256 of its values NaN), are replaced per
//   sub-block before the search: Q2_K/Q4_K/Q5_K (with a min) NaN → the
//   sub-block's finite min, +Inf → its finite max, −Inf → its finite min;
//   Q3_K/Q6_K (signed) NaN → 0, ±Inf → ± its largest finite magnitude; a
//   sub-block with no finite value (padding included) becomes zeros.
void quantize_kquant(KQuant type, const float* x, size_t n, KQuantBlock* blocks);
void dequantize_kquant(KQuant type, const KQuantBlock* blocks, size_t n, float* out);

// ggml's rounding helper: x + 1.5·2^23 in float leaves round-to-nearest-even
// of x in the low mantissa bits (valid for |x| ≤ 2^22 − 1; NaN gives 0).
int nearest_int(float x);

// Q4_K/Q5_K: 8 six-bit scales and mins in 12 bytes (get_scale_min_k4):
// bytes 0–3 scales 0–3 (low 6 bits), bytes 4–7 mins 0–3, bytes 8–11 the low
// nibbles of scale 4–7 | min 4–7 << 4, and the top 2 bits of bytes 0–7 the
// high 2 bits of scales 4–7 / mins 4–7.
std::array<uint8_t, 12> pack_scale_min_k4(const uint8_t* scales, const uint8_t* mins);
void get_scale_min_k4(int j, const uint8_t* packed, uint8_t& scale, uint8_t& min);
// ggml's bytes of one super-block: the bytes of its BlockQN_K struct
// (fp16 little-endian): Q2_K 84, Q3_K 110, Q4_K 144, Q5_K 176, Q6_K 210 bytes.
std::vector<uint8_t> pack_kquant_block(KQuant type, const KQuantBlock& block);
// dequantize_row_qN_K over those bytes, walking them as ggml does: out is (256).
void dequantize_kquant_packed(KQuant type, const uint8_t* bytes, float* out);

// Q3_K: 16 six-bit scales stored as sc + 32: low nibbles in bytes 0–7 (scale j
// and j + 8), high 2 bits in bytes 8–11 (scale j at bit 2·(j / 4) of byte 8 + j % 4).
std::array<uint8_t, 12> pack_q3_k_scales(const int8_t* scales);
int8_t unpack_q3_k_scale(int j, const uint8_t* packed);

}  // namespace llmst::quant

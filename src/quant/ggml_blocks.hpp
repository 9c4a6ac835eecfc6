// ggml's quantized blocks as typed structs: the member order and widths of
// ggml/src/ggml-common.h (llama.cpp, read at commit 01243c58), so the byte
// layout lives in one place, the compiler checks each size against the one
// ggml publishes, and sizes elsewhere (formats.cpp) come from sizeof.
// ggml_half is the fp16 bit pattern, little-endian in memory as on every
// target this builds for (x86, WASM).
#pragma once
#include <cstddef>
#include <cstdint>

namespace llmst::quant {

inline constexpr size_t kGgmlBlock = 32;    // QK4_0 = QK4_1 = QK5_0 = QK5_1 = QK8_0
inline constexpr size_t kSuperBlock = 256;  // QK_K
inline constexpr size_t kKScaleSize = 12;   // K_SCALE_SIZE: 8 six-bit scales and mins
using GgmlHalf = uint16_t;

struct BlockQ4_0 {
  GgmlHalf d;
  uint8_t qs[kGgmlBlock / 2];
};
struct BlockQ4_1 {
  GgmlHalf d, m;
  uint8_t qs[kGgmlBlock / 2];
};
struct BlockQ5_0 {
  GgmlHalf d;
  uint8_t qh[4];  // the fifth bit of each code
  uint8_t qs[kGgmlBlock / 2];
};
struct BlockQ5_1 {
  GgmlHalf d, m;
  uint8_t qh[4];
  uint8_t qs[kGgmlBlock / 2];
};
struct BlockQ8_0 {
  GgmlHalf d;
  int8_t qs[kGgmlBlock];
};
// Published sizes: 18, 20, 22, 24 and 34 bytes per 32 weights.
static_assert(sizeof(BlockQ4_0) == 18, "wrong q4_0 block size/padding");
static_assert(sizeof(BlockQ4_1) == 20, "wrong q4_1 block size/padding");
static_assert(sizeof(BlockQ5_0) == 22, "wrong q5_0 block size/padding");
static_assert(sizeof(BlockQ5_1) == 24, "wrong q5_1 block size/padding");
static_assert(sizeof(BlockQ8_0) == 34, "wrong q8_0 block size/padding");

// k-quant super-blocks of 256 weights.
struct BlockQ2_K {
  uint8_t scales[kSuperBlock / 16];  // per sub-block of 16: scale | min << 4 (4 bits each)
  uint8_t qs[kSuperBlock / 4];       // 2-bit codes
  GgmlHalf d, dmin;
};
struct BlockQ3_K {
  uint8_t hmask[kSuperBlock / 8];  // the high bit of each code
  uint8_t qs[kSuperBlock / 4];     // the low 2 bits
  uint8_t scales[12];              // 16 six-bit scales
  GgmlHalf d;
};
struct BlockQ4_K {
  GgmlHalf d, dmin;
  uint8_t scales[kKScaleSize];  // 8 six-bit scales and mins (get_scale_min_k4)
  uint8_t qs[kSuperBlock / 2];  // 4-bit codes
};
struct BlockQ5_K {
  GgmlHalf d, dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qh[kSuperBlock / 8];  // the fifth bit of each code
  uint8_t qs[kSuperBlock / 2];  // the low 4 bits
};
struct BlockQ6_K {
  uint8_t ql[kSuperBlock / 2];      // the low 4 bits
  uint8_t qh[kSuperBlock / 4];      // the high 2 bits
  int8_t scales[kSuperBlock / 16];  // int8 per sub-block of 16
  GgmlHalf d;
};
// Published sizes per 256 weights: 84, 110, 144, 176 and 210 bytes
// (2.625, 3.4375, 4.5, 5.5 and 6.5625 bits per weight).
static_assert(sizeof(BlockQ2_K) == 84, "wrong q2_K block size/padding");
static_assert(sizeof(BlockQ3_K) == 110, "wrong q3_K block size/padding");
static_assert(sizeof(BlockQ4_K) == 144, "wrong q4_K block size/padding");
static_assert(sizeof(BlockQ5_K) == 176, "wrong q5_K block size/padding");
static_assert(sizeof(BlockQ6_K) == 210, "wrong q6_K block size/padding");

}  // namespace llmst::quant

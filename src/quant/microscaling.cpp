// Scalar kernels of the MXFP4, NVFP4 and FP8-block formats: the reference
// twins of the SIMD ones in kernels_simd.cpp.
#include "quant/microscaling.hpp"

#include <algorithm>
#include <vector>

namespace llmst::quant {

const float kE2m1Levels[16] = {0.0f,  0.5f,  1.0f,  1.5f,  2.0f,  3.0f,  4.0f,  6.0f,
                               -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

namespace {

float finite_absmax(const float* x, size_t start, size_t end) {
  float absmax = 0;
  for (size_t i = start; i < end; i++)
    if (std::isfinite(x[i])) absmax = std::max(absmax, std::fabs(x[i]));
  return absmax;
}

// codes (count ≤ 2·bytes, the rest zero) → bytes: element 2i low nibble, 2i + 1 high.
void pack_nibbles(const uint8_t* codes, size_t count, uint8_t* bytes, size_t byte_count) {
  for (size_t i = 0; i < byte_count; i++) {
    const uint8_t low = 2 * i < count ? codes[2 * i] : 0, high = 2 * i + 1 < count ? codes[2 * i + 1] : 0;
    bytes[i] = uint8_t(low | (high << 4));
  }
}

}  // namespace

template <>
void quantize_mxfp4<simd::Scalar>(const float* x, size_t n, BlockMxfp4* blocks) {
  for (size_t start = 0, b = 0; start < n; start += kMxfp4Block, b++) {
    const size_t end = std::min(n, start + kMxfp4Block);
    // pass 1: the shared scale from the block's finite absmax; pass 2: E2M1 codes of x / X
    const uint8_t scale = mxfp4_scale_byte(finite_absmax(x, start, end));
    const float inverse = e8m0_inverse(scale);
    uint8_t codes[kMxfp4Block];
    for (size_t i = start; i < end; i++) codes[i - start] = e2m1_code(x[i] * inverse);
    blocks[b].e8m0 = scale;
    pack_nibbles(codes, end - start, blocks[b].qs, sizeof blocks[b].qs);
  }
}

template <>
void dequantize_mxfp4<simd::Scalar>(const BlockMxfp4* blocks, size_t n, float* out) {
  for (size_t i = 0; i < n; i++) {
    const BlockMxfp4& block = blocks[i / kMxfp4Block];
    const size_t k = i % kMxfp4Block;
    const uint8_t code = (block.qs[k / 2] >> (4 * (k & 1))) & 15;
    out[i] = kE2m1Levels[code] * e8m0_value(block.e8m0);
  }
}

float nvfp4_tensor_scale(const float* x, size_t n) { return finite_absmax(x, 0, n) / (6.0f * 448.0f); }

template <>
void quantize_nvfp4<simd::Scalar>(const float* x, size_t n, float tensor_scale, BlockNvfp4* blocks) {
  for (size_t start = 0, b = 0; start < n; start += kNvfp4Block, b++) {
    const size_t end = std::min(n, start + kNvfp4Block);
    // pass 1: the block scale, in fp32 then rounded to E4M3 (ModelOpt's
    // get_weights_scaling_factor: amax / (6·tensor_scale), zeros → 1)
    float scale = tensor_scale > 0 ? finite_absmax(x, start, end) / (6.0f * tensor_scale) : 0.0f;
    if (scale == 0) scale = 1.0f;
    const float stored = round_to(kFp8E4M3, scale);
    // pass 2: codes of x / (E4M3 scale · tensor scale); a zero divisor (an
    // all-zero tensor, or a scale below E4M3's 2^−10) leaves the block at zero
    const float divisor = stored * tensor_scale;
    uint8_t codes[kNvfp4Block] = {};
    if (divisor > 0)
      for (size_t i = start; i < end; i++) codes[i - start] = e2m1_code(x[i] / divisor);
    blocks[b].e4m3 = e4m3_byte(stored);
    pack_nibbles(codes, end - start, blocks[b].qs, sizeof blocks[b].qs);
  }
}

template <>
void dequantize_nvfp4<simd::Scalar>(const BlockNvfp4* blocks, size_t n, float tensor_scale, float* out) {
  for (size_t i = 0; i < n; i++) {
    const BlockNvfp4& block = blocks[i / kNvfp4Block];
    const size_t k = i % kNvfp4Block;
    const uint8_t code = (block.qs[k / 2] >> (4 * (k & 1))) & 15;
    out[i] = kE2m1Levels[code] * (e4m3_value(block.e4m3) * tensor_scale);
  }
}

size_t fp8_block_scale_count(size_t n, size_t row_length) {
  const size_t rows = (n + row_length - 1) / row_length;
  return ((rows + kFp8BlockTile - 1) / kFp8BlockTile) * ((row_length + kFp8BlockTile - 1) / kFp8BlockTile);
}

void quantize_fp8_block(const float* x, size_t n, size_t row_length, uint8_t* codes, float* scales) {
  const size_t rows = (n + row_length - 1) / row_length;
  const size_t tile_columns = (row_length + kFp8BlockTile - 1) / kFp8BlockTile;
  std::vector<float> absmax(tile_columns);
  // One band of 128 rows at a time, each row read left to right.
  for (size_t band_start = 0, band = 0; band_start < rows; band_start += kFp8BlockTile, band++) {
    const size_t band_end = std::min(rows, band_start + kFp8BlockTile);
    std::fill(absmax.begin(), absmax.end(), 0.0f);
    for (size_t r = band_start; r < band_end; r++)  // pass 1: absmax per tile
      for (size_t c = 0; c < row_length && r * row_length + c < n; c++) {
        const float value = x[r * row_length + c];
        if (std::isfinite(value)) absmax[c / kFp8BlockTile] = std::max(absmax[c / kFp8BlockTile], std::fabs(value));
      }
    float* scales_band = scales + band * tile_columns;
    for (size_t t = 0; t < tile_columns; t++) scales_band[t] = absmax[t] / 448.0f;  // weight_scale_inv
    for (size_t r = band_start; r < band_end; r++)                                  // pass 2: E4M3 bytes of x / s
      for (size_t c = 0; c < row_length && r * row_length + c < n; c++) {
        const size_t i = r * row_length + c;
        const float s = scales_band[c / kFp8BlockTile];
        // s = 0 (a tile of zeros): codes 0; NaN stays NaN
        codes[i] = s > 0 ? e4m3_byte(round_to(kFp8E4M3, x[i] / s)) : std::isnan(x[i]) ? 0x7F : 0;
      }
  }
}

void dequantize_fp8_block(const uint8_t* codes, const float* scales, size_t n, size_t row_length, float* out) {
  const size_t tile_columns = (row_length + kFp8BlockTile - 1) / kFp8BlockTile;
  for (size_t i = 0; i < n; i++) {
    const size_t r = i / row_length, c = i % row_length;
    out[i] = e4m3_value(codes[i]) * scales[(r / kFp8BlockTile) * tile_columns + c / kFp8BlockTile];
  }
}

}  // namespace llmst::quant

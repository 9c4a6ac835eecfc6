#include "attention/kv_quant.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "simd/simd.hpp"

namespace llmst::attention {
namespace {

// Index of the scale for element (row, col).
std::size_t scale_index(std::size_t row, std::size_t col, std::size_t rows, std::size_t cols, KvLayout layout,
                        std::size_t group) {
  if (layout == KvLayout::per_token) return row * ((cols + group - 1) / group) + col / group;
  return (row / group) * cols + col;
}

void put_code(std::uint8_t* codes, std::size_t index, int bits, std::int32_t code) {
  if (bits == 8) {
    codes[index] = static_cast<std::uint8_t>(static_cast<std::int8_t>(code));
    return;
  }
  const std::uint8_t nibble = static_cast<std::uint8_t>(code) & 0x0F;
  std::uint8_t& byte = codes[index / 2];
  byte = index % 2 == 0 ? static_cast<std::uint8_t>((byte & 0xF0) | nibble)
                        : static_cast<std::uint8_t>((byte & 0x0F) | (nibble << 4));
}

std::int32_t get_code(const std::uint8_t* codes, std::size_t index, int bits) {
  if (bits == 8) return static_cast<std::int8_t>(codes[index]);
  const std::uint8_t nibble = index % 2 == 0 ? codes[index / 2] & 0x0F : codes[index / 2] >> 4;
  return nibble >= 8 ? std::int32_t(nibble) - 16 : std::int32_t(nibble);  // sign-extend
}

}  // namespace

void quantize_kv(const float* x, std::size_t rows, std::size_t cols, int bits, KvLayout layout, std::size_t group,
                 std::uint8_t* codes, float* scales) {
  const float q_max = bits == 8 ? 127.0f : 7.0f;
  const std::size_t scale_count = kv_scale_count(rows, cols, layout, group);
  // pass 1: absmax per group → scale
  std::vector<float> absmax(scale_count, 0.0f);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      float& a = absmax[scale_index(r, c, rows, cols, layout, group)];
      a = std::max(a, std::fabs(x[r * cols + c]));
    }
  for (std::size_t s = 0; s < scale_count; ++s) scales[s] = absmax[s] / q_max;
  // pass 2: scaled values, rounded in SIMD (round_to_int32), clamped, stored
  std::vector<float> scaled(cols);
  std::vector<std::int32_t> rounded(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      const float scale = scales[scale_index(r, c, rows, cols, layout, group)];
      scaled[c] = scale == 0.0f ? 0.0f : x[r * cols + c] / scale;
    }
    simd::round_to_int32(scaled.data(), rounded.data(), cols);
    for (std::size_t c = 0; c < cols; ++c)
      put_code(codes, r * cols + c, bits, std::clamp(rounded[c], -std::int32_t(q_max), std::int32_t(q_max)));
  }
}

void dequantize_kv(const std::uint8_t* codes, const float* scales, std::size_t rows, std::size_t cols, int bits,
                   KvLayout layout, std::size_t group, std::size_t row_begin, std::size_t row_end,
                   std::size_t col_begin, std::size_t col_end, float* out) {
  const std::size_t width = col_end - col_begin;
  for (std::size_t r = row_begin; r < row_end; ++r)
    for (std::size_t c = col_begin; c < col_end; ++c)
      out[(r - row_begin) * width + (c - col_begin)] =
          float(get_code(codes, r * cols + c, bits)) * scales[scale_index(r, c, rows, cols, layout, group)];
}

}  // namespace llmst::attention

// Small symmetric (absmax) quantizers for a KV cache block, int8 or int4.
// x is (rows, cols) fp32 with rows = tokens, cols = channels.
//   per_token:   one scale per (row, group of `group` consecutive columns)
//   per_channel: one scale per (column, group of `group` consecutive rows)
//                (KIVI, Liu et al. 2024, quantizes keys this way: outlier
//                channels get their own scale)
// scale = max|x| / q_max with q_max = 2^(bits−1) − 1 (127 or 7); code =
// round_half_even(x / scale) clamped to ±q_max; a zero group has scale 0 and
// codes 0. int4 codes are packed two per byte (low nibble first).
#pragma once
#include <cstddef>
#include <cstdint>

namespace llmst::attention {

enum class KvLayout { per_token, per_channel };

// Bytes of codes for count values at `bits` (8: count; 4: ⌈count/2⌉).
inline std::size_t kv_code_bytes(std::size_t count, int bits) { return bits == 4 ? (count + 1) / 2 : count; }

// Scales needed for a (rows, cols) block.
inline std::size_t kv_scale_count(std::size_t rows, std::size_t cols, KvLayout layout, std::size_t group) {
  return layout == KvLayout::per_token ? rows * ((cols + group - 1) / group) : cols * ((rows + group - 1) / group);
}

// codes: kv_code_bytes(rows·cols, bits) bytes; scales: kv_scale_count(...) floats.
void quantize_kv(const float* x, std::size_t rows, std::size_t cols, int bits, KvLayout layout, std::size_t group,
                 std::uint8_t* codes, float* scales);

// Writes rows [row_begin, row_end) and columns [col_begin, col_end) of the
// block into out (row_end − row_begin, col_end − col_begin) — a head's slice.
void dequantize_kv(const std::uint8_t* codes, const float* scales, std::size_t rows, std::size_t cols, int bits,
                   KvLayout layout, std::size_t group, std::size_t row_begin, std::size_t row_end,
                   std::size_t col_begin, std::size_t col_end, float* out);

}  // namespace llmst::attention

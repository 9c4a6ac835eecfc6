// MXFP4, NVFP4 and FP8 block (quant/microscaling.hpp): bits, rounding worked
// by hand, round trips, saturation, NaN/Inf, SIMD twins, and the lab.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "quant/explain.hpp"
#include "quant/formats.hpp"
#include "quant/microscaling.hpp"
#include "quant/sizes.hpp"
#include "sim/quant_lab.hpp"

using namespace llmst;
using namespace llmst::quant;

namespace {

double bpw(const std::string& format) {
  QuantSpec spec;
  spec.format = format;
  return bits_per_weight(spec).bits_per_weight;
}

// Element k of a block's packed codes (low nibble first).
template <typename Block>
int code_at(const Block& block, size_t k) {
  return (block.qs[k / 2] >> (4 * (k & 1))) & 15;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

QuantLabResult lab(const std::string& format, double n = 1 << 20, bool simd = true) {
  QuantLabInput input;
  input.format = format;
  input.n = n;
  input.seed = 1;
  input.simd = simd;
  return run_quant_lab(input);
}

}  // namespace

TEST_CASE("block structs and bits per weight, derived by hand") {
  // MXFP4: 1 E8M0 byte + 32 four-bit codes = 17 bytes per 32 weights = 4 + 8/32.
  CHECK(sizeof(BlockMxfp4) == 17);
  CHECK(bpw("mxfp4") == 4.25);
  // NVFP4: 1 E4M3 byte + 16 four-bit codes = 9 bytes per 16 weights = 4 + 8/16
  // (the one fp32 per tensor counts as 0 per weight, like every per-tensor scale).
  CHECK(sizeof(BlockNvfp4) == 9);
  CHECK(bpw("nvfp4") == 4.5);
  // FP8 block: 8 bits + one fp32 per 128·128 = 16384 weights.
  CHECK(bpw("fp8_block") == 8 + 32.0 / 16384);
  CHECK(bpw("fp8_block") == 8.001953125);
  QuantSpec spec;
  spec.format = "nvfp4";
  const BitsPerWeight nvfp4 = bits_per_weight(spec);
  CHECK(nvfp4.code_bits == 4);
  CHECK(nvfp4.scale_bits == 0.5);
  CHECK(nvfp4.weights_per_scale == 16);
  CHECK(nvfp4.formula == "4 + 8/16 = 4.5 (+ one fp32 per tensor)");
  spec.format = "fp8_block";
  CHECK(bits_per_weight(spec).formula == "8 + 32/(128×128) = 8.00195");
  for (const char* id : {"fp8_block", "mxfp4", "nvfp4"}) {
    const QuantFormatInfo* format = find_quant_format(id);
    REQUIRE(format != nullptr);
    CHECK(format->measured);
    CHECK_FALSE(format->source.empty());
  }
  CHECK(find_quant_format("mxfp4")->family == "microscaling");
  CHECK(find_quant_format("fp8_block")->family == "block_fp8");
}

TEST_CASE("model sizes in the new formats, by hand") {
  QuantSizeInput input;
  input.params.attention = 16384.0 * 1000;  // 1000 tiles of 128×128
  input.params.ffn = 32.0 * 1000;           // 1000 MXFP4 blocks
  input.params.norms = 1000;
  input.spec.format = "fp8_block";
  input.ffn_format = "mxfp4";
  const QuantSizeResult result = quant_size(input);
  REQUIRE(result.status.ok);
  // 1000 tiles × (16384 bytes + 4) + 1000 blocks × 17 bytes + 1000 fp32 norms.
  CHECK(result.bytes == 1000.0 * 16388 + 1000.0 * 17 + 1000.0 * 4);
  const ExplainResult explained = explain_quant(input);
  REQUIRE(explained.status.ok);
  CHECK(explained.explanations[0].value == 8 + 32.0 / 16384);  // the FP8-tile branch: 16388 bytes × 8 / 16384
  for (const QuantDecisionRow& row : quant_decision_matrix())  // memory saved vs fp16 from the bits
    if (row.format == "mxfp4")
      CHECK(row.memory_saved == 1 - 4.25 / 16);
    else if (row.format == "nvfp4")
      CHECK(row.memory_saved == 1 - 4.5 / 16);
  input.ffn_format = "nvfp4";
  input.params.ffn = 16.0 * 1000;  // 1000 NVFP4 blocks of 9 bytes
  CHECK(quant_size(input).bytes == 1000.0 * 16388 + 1000.0 * 9 + 1000.0 * 4);
}

TEST_CASE("E2M1: nearest, ties to even, saturating at 6; NaN to +0") {
  // Magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6 are codes 0..7 (1 exponent + mantissa LSB: 1.0 is 2·2^0·(1+0), ...).
  CHECK(e2m1_code(0.0f) == 0);
  CHECK(e2m1_code(0.25f) == 0);  // tie 0 | 0.5 → 0 (even)
  CHECK(e2m1_code(0.26f) == 1);  // → 0.5
  CHECK(e2m1_code(0.75f) == 2);  // tie 0.5 | 1 → 1 (even)
  CHECK(e2m1_code(1.25f) == 2);  // tie 1 | 1.5 → 1
  CHECK(e2m1_code(1.3f) == 3);   // → 1.5
  CHECK(e2m1_code(1.75f) == 4);  // tie 1.5 | 2 → 2
  CHECK(e2m1_code(2.5f) == 4);   // tie 2 | 3 → 2
  CHECK(e2m1_code(2.51f) == 5);  // → 3
  CHECK(e2m1_code(3.5f) == 6);   // tie 3 | 4 → 4
  CHECK(e2m1_code(5.0f) == 6);   // tie 4 | 6 → 4
  CHECK(e2m1_code(5.01f) == 7);  // → 6
  CHECK(e2m1_code(7.9f) == 7);   // saturates
  CHECK(e2m1_code(INFINITY) == 7);
  CHECK(e2m1_code(-INFINITY) == 15);
  CHECK(e2m1_code(-3.2f) == 13);  // −3: sign bit 8 | 5
  CHECK(e2m1_code(-0.1f) == 8);   // −0
  CHECK(e2m1_code(NAN) == 0);
  for (int code = 0; code < 16; code++) CHECK(e2m1_code(kE2m1Levels[code]) == (code == 8 ? 0 : code));  // −0 → +0
}

TEST_CASE("E8M0 shared scale: 2^(floor(log2 absmax) - 2), bias 127") {
  CHECK(mxfp4_scale_byte(6.0f) == 127);  // floor(log2 6) = 2 → X = 2^0
  CHECK(e8m0_value(127) == 1.0f);
  CHECK(mxfp4_scale_byte(1.0f) == 125);  // 0 − 2 → X = 0.25, so 1.0 becomes 4
  CHECK(e8m0_value(125) == 0.25f);
  CHECK(mxfp4_scale_byte(7.9f) == 127);  // floor keeps X = 1: 7.9 will clip to 6
  CHECK(mxfp4_scale_byte(8.0f) == 128);  // X = 2
  CHECK(mxfp4_scale_byte(0.0f) == 0);    // zero block: the smallest scale, 2^−127
  CHECK(e8m0_value(0) == std::ldexp(1.0f, -127));
  CHECK(mxfp4_scale_byte(1e-40f) == 0);           // subnormal absmax clamps at −127 too
  CHECK(mxfp4_scale_byte(3.0e38f) == 127 + 125);  // floor(log2 3e38) = 127
  CHECK(std::isnan(e8m0_value(0xFF)));
  for (int byte = 0; byte <= 252; byte++) CHECK(e8m0_inverse(uint8_t(byte)) * e8m0_value(uint8_t(byte)) == 1.0f);
}

TEST_CASE("E4M3 bytes: every byte decodes and encodes back") {
  CHECK(e4m3_value(0x7E) == 448.0f);                // S.1111.110: 1.75 · 2^8
  CHECK(e4m3_value(0x38) == 1.0f);                  // exponent 7 = bias
  CHECK(e4m3_value(0x08) == std::ldexp(1.0f, -6));  // smallest normal
  CHECK(e4m3_value(0x01) == std::ldexp(1.0f, -9));  // smallest subnormal
  CHECK(e4m3_value(0xB8) == -1.0f);
  CHECK(std::isnan(e4m3_value(0x7F)));
  CHECK(std::isnan(e4m3_value(0xFF)));
  for (int byte = 0; byte < 256; byte++) {
    CAPTURE(byte);
    const float value = e4m3_value(uint8_t(byte));
    if (!std::isnan(value)) CHECK(round_to(kFp8E4M3, value) == value);
    CHECK(e4m3_byte(value) == (byte == 0xFF ? 0x7F : byte));
  }
}

TEST_CASE("MXFP4: hand-worked block, exact grid, saturation, NaN and Inf") {
  // absmax 3 → floor(log2 3) − 2 = −1 → X = 0.5: x / X = 2x.
  std::vector<float> x(32, 0.0f);
  x[0] = 3.0f;       // 6 → code 7
  x[1] = -0.6f;      // −1.2 → −1 (code 10)
  x[2] = 0.625f;     // 1.25: tie 1 | 1.5 → 1 (code 2)
  x[3] = 1.25f;      // 2.5: tie 2 | 3 → 2 (code 4)
  x[4] = NAN;        // → +0
  x[5] = INFINITY;   // → 6 · X = 3
  x[6] = -INFINITY;  // → −3
  x[7] = 0.1f;       // 0.2 → 0
  std::vector<BlockMxfp4> blocks(1);
  quantize_mxfp4<simd::Scalar>(x.data(), 32, blocks.data());
  CHECK(blocks[0].e8m0 == 126);
  const int expected[8] = {7, 10, 2, 4, 0, 7, 15, 0};
  for (size_t k = 0; k < 8; k++) CHECK(code_at(blocks[0], k) == expected[k]);
  CHECK(blocks[0].qs[0] == (7 | 10 << 4));  // element 0 low nibble, element 1 high
  std::vector<float> out(32);
  dequantize_mxfp4<simd::Scalar>(blocks.data(), 32, out.data());
  CHECK(out[0] == 3.0f);
  CHECK(out[1] == -0.5f);
  CHECK(out[2] == 0.5f);
  CHECK(out[3] == 1.0f);
  CHECK(out[4] == 0.0f);
  CHECK(out[5] == 3.0f);
  CHECK(out[6] == -3.0f);

  // Saturation of the FLOOR scale: absmax 7.5 keeps X = 1 (floor(log2 7.5) = 2), so 7.5 → 6.
  std::vector<float> big(32, 1.0f);
  big[9] = 7.5f;
  quantize_mxfp4<simd::Scalar>(big.data(), 32, blocks.data());
  dequantize_mxfp4<simd::Scalar>(blocks.data(), 32, out.data());
  CHECK(blocks[0].e8m0 == 127);
  CHECK(out[9] == 6.0f);

  // Exact round trip: every E2M1 value times 2^−3, with ±6·2^−3 setting X = 2^−3;
  // 40 values leave a short, zero-padded last block.
  std::vector<float> grid(40);
  for (size_t i = 0; i < grid.size(); i++) grid[i] = kE2m1Levels[(i * 5) % 16] * 0.125f;
  grid[0] = 0.75f, grid[32] = -0.75f;
  blocks.resize(2);
  quantize_mxfp4<simd::Scalar>(grid.data(), 40, blocks.data());
  std::vector<float> restored(40);
  dequantize_mxfp4<simd::Scalar>(blocks.data(), 40, restored.data());
  CHECK(restored == grid);
  CHECK(blocks[1].qs[4] == 0);  // padding: elements 40..63 → code 0

  // An all-zero block restores to zeros (scale byte 0 = 2^−127).
  std::vector<float> zeros(32, 0.0f);
  quantize_mxfp4<simd::Scalar>(zeros.data(), 32, blocks.data());
  dequantize_mxfp4<simd::Scalar>(blocks.data(), 32, out.data());
  CHECK(blocks[0].e8m0 == 0);
  CHECK(out == zeros);
}

TEST_CASE("NVFP4: tensor scale, E4M3 block scales, exact grid, NaN and Inf") {
  // Tensor absmax 2.625 = 6·448·2^−10, so the tensor scale is exactly 2^−10.
  // Block 0 (absmax 2.625): s = 2.625 / (6·2^−10) = 448, divisor 448·2^−10 = 0.4375.
  // Block 1 (absmax 6·2^−7):  s = 8, divisor 8·2^−10 = 2^−7.
  std::vector<float> x(40, 0.0f);
  for (size_t i = 0; i < 16; i++) x[i] = kE2m1Levels[(i * 3) % 16] * 0.4375f;
  x[0] = 6 * 0.4375f;
  for (size_t i = 16; i < 32; i++) x[i] = kE2m1Levels[(i * 7) % 16] / 128.0f;
  x[17] = -6.0f / 128;
  // block 2: zeros (s = 1 by ModelOpt's rule); x[32..39] a short last block
  x[34] = NAN, x[35] = INFINITY, x[36] = 0.2f;
  const float tensor_scale = nvfp4_tensor_scale(x.data(), x.size());
  CHECK(tensor_scale == std::ldexp(1.0f, -10));
  std::vector<BlockNvfp4> blocks(3);
  quantize_nvfp4<simd::Scalar>(x.data(), 40, tensor_scale, blocks.data());
  CHECK(e4m3_value(blocks[0].e4m3) == 448.0f);
  CHECK(e4m3_value(blocks[1].e4m3) == 8.0f);
  // Block 2 (the tail, absmax 0.2): s = 0.2 / (6·2^−10) = 34.13 → E4M3 36 (step 4 in [32, 64)),
  // divisor 36·2^−10; 0.2 / divisor = 5.69 → 6; +Inf → 6 (saturated); NaN → +0.
  CHECK(e4m3_value(blocks[2].e4m3) == 36.0f);
  std::vector<float> out(40);
  dequantize_nvfp4<simd::Scalar>(blocks.data(), 40, tensor_scale, out.data());
  for (size_t i = 0; i < 32; i++) CHECK(out[i] == x[i]);  // on the grid: exact
  CHECK(out[34] == 0.0f);
  CHECK(out[35] == 6.0f * 36 / 1024);
  CHECK(out[36] == 6.0f * 36 / 1024);
  CHECK(out[37] == 0.0f);

  // An all-zero tensor: tensor scale 0, every block restores to zero.
  std::vector<float> zeros(20, 0.0f);
  CHECK(nvfp4_tensor_scale(zeros.data(), 20) == 0.0f);
  blocks.assign(2, BlockNvfp4{});
  quantize_nvfp4<simd::Scalar>(zeros.data(), 20, 0.0f, blocks.data());
  dequantize_nvfp4<simd::Scalar>(blocks.data(), 20, 0.0f, out.data());
  CHECK(std::vector<float>(out.begin(), out.begin() + 20) == zeros);
  CHECK(e4m3_value(blocks[0].e4m3) == 1.0f);  // zero blocks store s = 1
}

TEST_CASE("FP8 block: 128×128 tiles over rows of row_length, exact grid, NaN and Inf") {
  // n = 300, rows of 200: row 0 = x[0..199], row 1 = x[200..299] (short).
  // Tile columns: [0, 128) and [128, 200). Tile 1 holds only row 0's x[128..199].
  std::vector<float> x(300, 0.5f);
  x[150] = 44.8f;  // tile 1: s = 44.8 / 448 = 0.1
  x[250] = -7.0f;  // row 1, column 50: tile 0, s = 7 / 448 = 1/64
  x[10] = NAN;
  x[11] = INFINITY;
  REQUIRE(fp8_block_scale_count(300, 200) == 2);
  std::vector<uint8_t> codes(300);
  std::vector<float> scales(2), out(300);
  quantize_fp8_block(x.data(), 300, 200, codes.data(), scales.data());
  CHECK(scales[0] == 7.0f / 448);
  CHECK(scales[1] == 44.8f / 448);
  CHECK(codes[250] == 0xFE);  // −448
  CHECK(codes[10] == 0x7F);   // NaN stays NaN
  CHECK(codes[11] == 0x7E);   // +Inf saturates to 448
  dequantize_fp8_block(codes.data(), scales.data(), 300, 200, out.data());
  CHECK(out[250] == -7.0f);
  CHECK(out[11] == 7.0f);  // 448 · s = the tile's absmax
  CHECK(std::isnan(out[10]));
  CHECK(out[0] == 0.5f);  // 0.5 · 64 = 32: on the E4M3 grid
  CHECK(out[150] == doctest::Approx(44.8f));

  // Two bands: rows of 4, 130 rows → scales (2, 1); row 129 is in band 1.
  std::vector<float> tall(520, 0.875f);
  tall[129 * 4] = 56.0f;
  REQUIRE(fp8_block_scale_count(520, 4) == 2);
  std::vector<uint8_t> tall_codes(520);
  std::vector<float> tall_scales(2), tall_out(520);
  quantize_fp8_block(tall.data(), 520, 4, tall_codes.data(), tall_scales.data());
  CHECK(tall_scales[0] == 1.0f / 512);   // 0.875 / 448
  CHECK(tall_scales[1] == 56.0f / 448);  // = 0.125
  dequantize_fp8_block(tall_codes.data(), tall_scales.data(), 520, 4, tall_out.data());
  CHECK(tall_out == tall);  // 0.875 = 448·2^−9 in band 0, 7·0.125 in band 1: both on the grid

  // Exact round trip: E4M3 values times 2^−4, the tile's absmax 448·2^−4.
  std::vector<float> grid(256);
  for (int byte = 0; byte < 256; byte++)
    grid[size_t(byte)] = (byte & 0x7F) == 0x7F ? 0.0f : e4m3_value(uint8_t(byte)) / 16;
  std::vector<uint8_t> grid_codes(256);
  std::vector<float> grid_scales(1), grid_out(256);
  quantize_fp8_block(grid.data(), 256, 256 / 2, grid_codes.data(), grid_scales.data());
  CHECK(grid_scales[0] == 1.0f / 16);
  dequantize_fp8_block(grid_codes.data(), grid_scales.data(), 256, 128, grid_out.data());
  CHECK(grid_out == grid);
}

TEST_CASE("MXFP4 and NVFP4 SIMD twins match the scalar kernels bit for bit") {
  std::vector<float> x = synthetic_tensor("laplace", 1003, 1003, 11);  // 1003: short last blocks
  x[5] = NAN, x[70] = INFINITY, x[71] = -INFINITY, x[200] = NAN;
  for (size_t i = 256; i < 288; i++) x[i] = 0.25f;                            // constant block
  for (size_t i = 288; i < 320; i++) x[i] = 0.0f;                             // zeros
  for (size_t i = 320; i < 352; i++) x[i] = float(int(i % 16) - 8) * 0.125f;  // exact E2M1 midpoints after scaling
  for (size_t i = 400; i < 416; i++) x[i] *= 1e-6f;  // tiny: the NVFP4 block scale underflows E4M3 to 0
  {
    const size_t blocks = (1003 + 31) / 32;
    std::vector<BlockMxfp4> fast(blocks), slow(blocks);
    quantize_mxfp4<simd::Active>(x.data(), 1003, fast.data());
    quantize_mxfp4<simd::Scalar>(x.data(), 1003, slow.data());
    CHECK(std::memcmp(fast.data(), slow.data(), blocks * sizeof(BlockMxfp4)) == 0);
    std::vector<float> fast_out(1003), slow_out(1003);
    dequantize_mxfp4<simd::Active>(fast.data(), 1003, fast_out.data());
    dequantize_mxfp4<simd::Scalar>(slow.data(), 1003, slow_out.data());
    CHECK(same_bits(fast_out, slow_out));
    CHECK(fast_out[5] == 0.0f);
    CHECK(fast_out[70] == -fast_out[71]);
  }
  {
    const size_t blocks = (1003 + 15) / 16;
    const float tensor_scale = nvfp4_tensor_scale(x.data(), 1003);
    std::vector<BlockNvfp4> fast(blocks), slow(blocks);
    quantize_nvfp4<simd::Active>(x.data(), 1003, tensor_scale, fast.data());
    quantize_nvfp4<simd::Scalar>(x.data(), 1003, tensor_scale, slow.data());
    CHECK(std::memcmp(fast.data(), slow.data(), blocks * sizeof(BlockNvfp4)) == 0);
    std::vector<float> fast_out(1003), slow_out(1003);
    dequantize_nvfp4<simd::Active>(fast.data(), 1003, tensor_scale, fast_out.data());
    dequantize_nvfp4<simd::Scalar>(slow.data(), 1003, tensor_scale, slow_out.data());
    CHECK(same_bits(fast_out, slow_out));
  }
  for (const char* format : {"mxfp4", "nvfp4"}) {
    CAPTURE(format);
    const QuantLabResult simd = lab(format, 100003, true), scalar = lab(format, 100003, false);
    CHECK(simd.kernel == "simd");
    CHECK(scalar.kernel == "scalar");
    CHECK(simd.rel_rmse == scalar.rel_rmse);
    CHECK(simd.max_abs_error == scalar.max_abs_error);
  }
}

TEST_CASE("the lab measures the three formats on N(0,1)") {
  // Expected from an independent model (tests/cpp/microscaling_reference.py:
  // Python doubles, random.gauss, 2^18 values): MXFP4 11.51 %, NVFP4 9.53 %,
  // FP8 block 2.65 %. The lab's tensor is another sample, so ±3 % relative.
  const QuantLabResult mxfp4 = lab("mxfp4"), nvfp4 = lab("nvfp4"), fp8 = lab("fp8_block");
  REQUIRE(mxfp4.status.ok);
  REQUIRE(nvfp4.status.ok);
  REQUIRE(fp8.status.ok);
  CHECK(mxfp4.rel_rmse == doctest::Approx(0.1151).epsilon(0.03));
  CHECK(nvfp4.rel_rmse == doctest::Approx(0.0953).epsilon(0.03));
  CHECK(fp8.rel_rmse == doctest::Approx(0.0265).epsilon(0.03));
  CHECK(mxfp4.group_size == 32);
  CHECK(nvfp4.group_size == 16);
  CHECK(fp8.group_size == 16384);
  CHECK(mxfp4.bits_per_weight == 4.25);
  // NVFP4's finer (E4M3, 16-value) scales beat MXFP4's power-of-two ones per 32.
  CHECK(nvfp4.rel_rmse < mxfp4.rel_rmse);
  // A tile scale only moves E4M3's grid, whose relative spacing is the same in
  // every binade: about the plain cast's error.
  CHECK(fp8.rel_rmse == doctest::Approx(lab("fp8_e4m3").rel_rmse).epsilon(0.02));
  CHECK(fp8.snr_db == doctest::Approx(-20 * std::log10(fp8.rel_rmse)));
  for (const char* format : {"mxfp4", "nvfp4", "fp8_block"}) {
    CAPTURE(format);
    QuantLabInput input;
    input.format = format;
    input.n = 77;
    input.channel_size = 10;
    input.inject_nonfinite = true;
    const QuantLabResult odd = run_quant_lab(input);
    REQUIRE(odd.status.ok);
    CHECK(odd.nonfinite_inputs == 3);
    CHECK(std::isfinite(odd.rel_rmse));
    CHECK(odd.rel_rmse < 0.5);
    CHECK(odd.nonfinite_behaviour.find("NaN") != std::string::npos);
    input.n = 5e8;
    CHECK(run_quant_lab(input).status.field == "n");  // refused before allocating
  }
}

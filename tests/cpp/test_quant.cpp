#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "quant/formats.hpp"
#include "quant/ggml_blocks.hpp"
#include "quant/kernels.hpp"
#include "quant/metrics.hpp"
#include "quant/minifloat.hpp"
#include "quant/sizes.hpp"
#include "model/presets.hpp"
#include "sim/quant_lab.hpp"

using namespace llmst;
using namespace llmst::quant;

namespace {
double bpw(const std::string& format, double group = 128, std::string scale_dtype = "fp32", bool double_quant = false) {
  QuantSpec spec;
  spec.format = format;
  spec.group_size = group;
  spec.scale_dtype = scale_dtype;
  spec.double_quant = double_quant;
  return bits_per_weight(spec).bits_per_weight;
}

QuantLabResult lab(const std::string& format, double group, const std::string& dist = "normal", double n = 1 << 20) {
  QuantLabInput input;
  input.format = format;
  input.group_size = group;
  input.dist = dist;
  input.n = n;
  input.seed = 1;
  return run_quant_lab(input);
}
}  // namespace

TEST_CASE("ggml formats: bits per weight from the block structs") {
  // ggml_blocks.hpp's static_asserts hold each struct to ggml's published
  // size; the table's bits are those bytes × 8 over the block's weights.
  CHECK(bpw("q4_0") == sizeof(quant::BlockQ4_0) * 8.0 / 32);
  CHECK(bpw("q4_1") == sizeof(quant::BlockQ4_1) * 8.0 / 32);
  CHECK(bpw("q5_0") == sizeof(quant::BlockQ5_0) * 8.0 / 32);
  CHECK(bpw("q5_1") == sizeof(quant::BlockQ5_1) * 8.0 / 32);
  CHECK(bpw("q8_0") == sizeof(quant::BlockQ8_0) * 8.0 / 32);
  CHECK(bpw("q2_k") == sizeof(quant::BlockQ2_K) * 8.0 / 256);
  CHECK(bpw("q3_k") == sizeof(quant::BlockQ3_K) * 8.0 / 256);
  CHECK(bpw("q4_k") == sizeof(quant::BlockQ4_K) * 8.0 / 256);
  CHECK(bpw("q5_k") == sizeof(quant::BlockQ5_K) * 8.0 / 256);
  CHECK(bpw("q6_k") == sizeof(quant::BlockQ6_K) * 8.0 / 256);
  // The published figures (llama.cpp's quantize tool and ggml-common.h comments):
  // Q4_0 4.5, Q4_1 5, Q5_0 5.5, Q5_1 6, Q8_0 8.5; Q2_K 2.625, Q3_K 3.4375,
  // Q4_K 4.5, Q5_K 5.5, Q6_K 6.5625 bits per weight.
  CHECK(bpw("q4_0") == 4.5);
  CHECK(bpw("q4_1") == 5);
  CHECK(bpw("q5_0") == 5.5);
  CHECK(bpw("q5_1") == 6);
  CHECK(bpw("q8_0") == 8.5);
  CHECK(bpw("q2_k") == 2.625);
  CHECK(bpw("q3_k") == 3.4375);
  CHECK(bpw("q4_k") == 4.5);
  CHECK(bpw("q5_k") == 5.5);
  CHECK(bpw("q6_k") == 6.5625);
}

TEST_CASE("grouped formats: code bits plus scale (and zero-point) bits per group") {
  CHECK(bpw("fp32") == 32);
  CHECK(bpw("bf16") == 16);
  CHECK(bpw("fp8_e5m2") == 8);
  CHECK(bpw("int8", 32) == 8 + 32.0 / 32);
  CHECK(bpw("int4", 128, "fp16") == 4 + 16.0 / 128);  // 4.125
  // Asymmetric: an fp16 scale and a b-bit integer zero point per group, packed as
  // AutoGPTQ's qzeros (int32 words of 32/b zeros, one per group and output column)
  // and AWQ's qzeros (eight 4-bit zeros per int32) store them.
  CHECK(bpw("int4_asym", 128, "fp16") == 4 + 16.0 / 128 + 4.0 / 128);  // 4.15625
  CHECK(bpw("int8_asym", 128, "fp16") == 8 + 16.0 / 128 + 8.0 / 128);  // 8.1875
  // Double quantization shrinks the scales only: 4 + 8/64 + 4/64 + 32/(256·64).
  CHECK(bpw("int4_asym", 64, "fp32", true) == doctest::Approx(4 + 8.0 / 64 + 4.0 / 64 + 32.0 / (256 * 64)));
  CHECK(bpw("int4", 1) == 4 + 32);                             // g = 1: a scale per weight
  CHECK(bpw("int4", 100) == doctest::Approx(4 + 32.0 / 100));  // any g
  // QLoRA: NF4, block 64, 8-bit scales with one fp32 per 256 blocks:
  // 8/64 + 32/(64·256) = 0.127 bits (Dettmers et al. 2023, §3 "Double Quantization").
  CHECK(bpw("nf4", 64, "fp32", true) == doctest::Approx(4 + 8.0 / 64 + 32.0 / (64 * 256)));
  CHECK(bpw("nf4", 64, "fp32", true) - 4 == doctest::Approx(0.127).epsilon(0.01));
  QuantSpec channel;
  channel.format = "int8";
  channel.layout = "channel";
  channel.channel_size = 4096;
  // The default scale dtype is fp16, as GPTQ and AWQ store scales.
  CHECK(bits_per_weight(channel).bits_per_weight == 8 + 16.0 / 4096);
  channel.layout = "tensor";
  CHECK(bits_per_weight(channel).bits_per_weight == 8);
}

TEST_CASE("bad specs name the field and the value") {
  QuantSpec spec;
  spec.format = "int3";
  CHECK(bits_per_weight(spec).status.field == "format");
  spec.format = "int4";
  spec.group_size = 0;
  CHECK(bits_per_weight(spec).status.message == "group_size = 0 must be at least 1");
  spec.group_size = 2.5;
  CHECK(bits_per_weight(spec).status.field == "group_size");
  spec.group_size = NAN;
  CHECK_FALSE(bits_per_weight(spec).status.ok);
  spec.group_size = 64;
  spec.scale_dtype = "fp8";
  CHECK(bits_per_weight(spec).status.field == "scale_dtype");
  spec.scale_dtype = "fp16";
  spec.layout = "row";
  CHECK(bits_per_weight(spec).status.field == "layout");
}

TEST_CASE("asymmetric int4/int8: the bytes of an AutoGPTQ / AWQ checkpoint, by hand") {
  // One 4096 × 4096 linear layer, group 128 along the input, fp16 scales.
  // AutoGPTQ (qlinear_cuda_old.py): qweight int32 (in·b/32, out), scales fp16
  // (in/128, out), qzeros int32 (in/128, out·b/32): the zero points packed
  // 32/b to a word. AWQ's GEMM layout holds the same counts (qzeros
  // (in/128, out/8) int32 for b = 4).
  const double in = 4096, out = 4096, groups = in / 128;
  const double int4_bytes = in * 4 / 32 * out * 4 + groups * out * 2 + groups * (out * 4 / 32) * 4;
  const double int8_bytes = in * 8 / 32 * out * 4 + groups * out * 2 + groups * (out * 8 / 32) * 4;
  CHECK(int4_bytes == 8388608 + 262144 + 65536);    // 8,716,288
  CHECK(int8_bytes == 16777216 + 262144 + 131072);  // 17,170,432
  QuantSizeInput input;
  input.params.ffn = in * out;
  input.norms_format = "";  // no norms here
  input.spec.group_size = 128;
  input.spec.scale_dtype = "fp16";
  input.spec.format = "int4_asym";
  CHECK(quant_size(input).bytes == int4_bytes);
  input.spec.format = "int8_asym";
  CHECK(quant_size(input).bytes == int8_bytes);
}

TEST_CASE("model weights bytes with mixed precision (Llama-2-7B split by hand)") {
  // Llama-2-7B: vocab 32000, d 4096, 32 layers, d_ff 11008, untied.
  QuantSizeInput input;
  input.params.embedding = 32000.0 * 4096;          // 131,072,000
  input.params.attention = 32 * 4.0 * 4096 * 4096;  // 2,147,483,648
  input.params.ffn = 32 * 3.0 * 4096 * 11008;       // 4,328,521,728
  input.params.norms = 32 * 2.0 * 4096 + 4096;      // 266,240
  input.params.lm_head = 32000.0 * 4096;
  input.spec.format = "int4";
  input.spec.group_size = 128;
  input.spec.scale_dtype = "fp16";
  input.embedding_format = "fp16";
  input.lm_head_format = "fp16";
  const QuantSizeResult result = quant_size(input);
  REQUIRE(result.status.ok);
  CHECK(result.total_params == 6738415616.0);  // Meta's published count
  const double expected = (2147483648.0 + 4328521728.0) * 4.125 / 8 + 2 * 131072000.0 * 2 + 266240.0 * 4;
  CHECK(result.bytes == doctest::Approx(expected));
  CHECK(result.bits.bits_per_weight == 4.125);
  CHECK(result.components[0].format == "fp16");
  CHECK(result.components[2].bytes == doctest::Approx(4328521728.0 * 4.125 / 8));
  CHECK(result.fp16_bytes == 6738415616.0 * 2);

  // attention int8, FFN int4
  input.attention_format = "int8";
  input.ffn_format = "int4";
  const QuantSizeResult split = quant_size(input);
  CHECK(split.components[1].bytes == doctest::Approx(2147483648.0 * (8 + 16.0 / 128) / 8));

  input.ffn_format = "int5";
  CHECK(quant_size(input).status.field == "ffn_format");
  input.ffn_format = "";
  input.params.ffn = -1;
  CHECK(quant_size(input).status.field == "ffn_params");
}

TEST_CASE("the derived N(0,1) error table, within ±3 % relative") {
  // Expected relative RMSE on N(0,1), derived by numerical integration over the
  // distribution of each group's extremes (scripts/quant-reference-errors.js,
  // the same values as lib/quant.js quantReferenceErrors). Sanity by the
  // uniform-rounding model: int8 g32 rounds 31 of 32 values to steps of
  // absmax/127 with √E[absmax²] ≈ 2.39, so RMSE ≈ √(31/32)·2.39/(127·√12) ≈ 0.534 %.
  struct Row {
    const char* format;
    double group;
    double percent;
  };
  const Row table[] = {{"int8", 32, 0.5346}, {"int8", 128, 0.6463},    {"int4", 32, 9.700}, {"int4", 64, 10.76},
                       {"int4", 128, 11.73}, {"int4_asym", 32, 8.075}, {"nf4", 64, 9.198},  {"q4_0", 32, 8.589}};
  for (const Row& row : table) {
    CAPTURE(row.format);
    CAPTURE(row.group);
    const QuantLabResult result = lab(row.format, row.group);
    REQUIRE(result.status.ok);
    CHECK(result.rel_rmse * 100 == doctest::Approx(row.percent).epsilon(0.03));
    // SNR and cosine follow from the relative RMSE: SNR = -20 log10(rel), cos ≈ 1 - rel²/2.
    CHECK(result.snr_db == doctest::Approx(-20 * std::log10(result.rel_rmse)));
    CHECK(result.cosine == doctest::Approx(1 - result.rel_rmse * result.rel_rmse / 2).epsilon(1e-3));
  }
}

TEST_CASE("float casts: error near half an ulp, exact on-grid values") {
  // bf16 has 8 significant bits: uniform rounding error of relative step 2^-8
  // gives relative RMSE ≈ 2^-8 / √12 · (mean over the binade) ≈ 0.1 %–0.2 %.
  const QuantLabResult bf16 = lab("bf16", 0);
  CHECK(bf16.rel_rmse > 0.0005);
  CHECK(bf16.rel_rmse < 0.003);
  CHECK(lab("fp32", 0).rel_rmse == 0);
  CHECK(round_to(kFp16, 1.0f + 1.0f / 1024) == 1.0f + 1.0f / 1024);  // on the grid
  CHECK(round_to(kFp16, 1.0f + 1.0f / 2048) == 1.0f);                // tie → even
  CHECK(round_to(kFp16, 65504.0f) == 65504.0f);
  CHECK(std::isinf(round_to(kFp16, 65536.0f)));
  CHECK(round_to(kFp16, 65519.0f) == 65504.0f);  // below max + half ulp (65520)
  CHECK(round_to(kFp8E4M3, 1000.0f) == 448.0f);  // saturates: E4M3 has no Inf
  CHECK(round_to(kFp8E4M3, INFINITY) == 448.0f);
  CHECK(round_to(kFp8E5M2, 57344.0f) == 57344.0f);
  CHECK(round_to(kFp8E4M3, 0.001953125f) == 0.001953125f);  // 2^-9: smallest E4M3 subnormal
  CHECK(round_to(kFp16, 5.9604645e-8f) == 5.9604645e-8f);   // 2^-24: smallest fp16 subnormal
  CHECK(std::isnan(round_to(kBf16, NAN)));
}

TEST_CASE("round trips are exact for values already on the grid") {
  // Each group of 32 holds ±qmax·s, so absmax/qmax = s exactly (s a power of two).
  for (int qmax : {127, 7}) {
    std::vector<float> x(96);
    for (size_t i = 0; i < x.size(); i++) x[i] = float(int(i * 37 % (2 * qmax + 1)) - qmax) * 0.25f;
    for (size_t g = 0; g < 3; g++) x[g * 32] = float(qmax) * 0.25f, x[g * 32 + 1] = -float(qmax) * 0.25f;
    std::vector<int8_t> codes(96);
    std::vector<float> scales(3), restored(96);
    quantize_sym(x.data(), 96, 32, qmax, nullptr, codes.data(), scales.data());
    dequantize_sym(codes.data(), scales.data(), 96, 32, restored.data());
    CHECK(restored == x);
  }
  // NF4: the levels themselves times a power-of-two absmax.
  std::vector<float> levels(16);
  for (int k = 0; k < 16; k++) levels[k] = kNf4Levels[k] * 2;
  std::vector<uint8_t> codes(16);
  std::vector<float> scales(1), restored(16);
  quantize_nf4<simd::Scalar>(levels.data(), 16, 16, nullptr, codes.data(), scales.data());
  dequantize_nf4<simd::Scalar>(codes.data(), scales.data(), 16, 16, restored.data());
  CHECK(restored == levels);
}

TEST_CASE("zeros, constant groups, NaN/Inf and ragged sizes have defined results") {
  std::vector<float> zeros(50, 0.0f), restored(50);
  std::vector<int8_t> codes(50);
  std::vector<float> scales(2);
  quantize_sym(zeros.data(), 50, 32, 7, nullptr, codes.data(), scales.data());
  dequantize_sym(codes.data(), scales.data(), 50, 32, restored.data());
  CHECK(restored == zeros);
  CHECK(scales[0] == 0);

  std::vector<float> constant(50, -3.5f);
  quantize_sym(constant.data(), 50, 32, 7, nullptr, codes.data(), scales.data());
  dequantize_sym(codes.data(), scales.data(), 50, 32, restored.data());
  CHECK(restored == constant);
  std::vector<uint8_t> ucodes(50), zero_points(2);
  quantize_asym<simd::Scalar>(constant.data(), 50, 32, 15, nullptr, ucodes.data(), scales.data(), zero_points.data());
  dequantize_zero_point<simd::Scalar>(ucodes.data(), scales.data(), zero_points.data(), 50, 32, restored.data());
  // The range [−3.5, 0] holds 0: scale 3.5/15, zero point round(3.5/scale) = 15, every code 0,
  // restored (0 − 15)·(3.5/15) = −3.5 up to the float rounding of the scale.
  CHECK(int(zero_points[0]) == 15);
  CHECK(ucodes[0] == 0);
  for (float value : restored) CHECK(value == doctest::Approx(-3.5f).epsilon(1e-6));
  // NaN → the zero point (0.0), ±Inf → the end codes.
  const std::vector<float> odd_asym = {-1.0f, 3.0f, NAN, INFINITY, -INFINITY};
  quantize_asym<simd::Scalar>(odd_asym.data(), 5, 32, 15, nullptr, ucodes.data(), scales.data(), zero_points.data());
  CHECK(scales[0] == 4.0f / 15);
  CHECK(int(zero_points[0]) == 4);  // round(1 / (4/15)) = round(3.75)
  CHECK(ucodes[2] == 4);
  CHECK(ucodes[3] == 15);
  CHECK(ucodes[4] == 0);

  // NaN → 0, ±Inf → ±absmax of the finite values; scale unaffected.
  std::vector<float> odd = {1.0f, -2.0f, NAN, INFINITY, -INFINITY, 0.5f, 2.0f};
  std::vector<int8_t> odd_codes(7);
  std::vector<float> odd_scales(1), odd_restored(7);
  quantize_sym(odd.data(), 7, 32, 127, nullptr, odd_codes.data(), odd_scales.data());
  CHECK(odd_scales[0] == doctest::Approx(2.0f / 127));
  CHECK(odd_codes[2] == 0);
  CHECK(odd_codes[3] == 127);
  CHECK(odd_codes[4] == -127);

  QuantLabInput input;
  input.format = "nf4";
  input.group_size = 64;
  input.n = 1000;  // not a multiple of 64
  input.inject_nonfinite = true;
  const QuantLabResult result = run_quant_lab(input);
  REQUIRE(result.status.ok);
  CHECK(result.nonfinite_inputs == 3);
  CHECK(std::isfinite(result.rel_rmse));
  CHECK_FALSE(result.nonfinite_behaviour.empty());
  for (const char* format : {"int8", "int4", "int4_asym", "nf4", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "fp8_e4m3"}) {
    input.format = format;
    input.n = 77;
    CAPTURE(format);
    const QuantLabResult each = run_quant_lab(input);
    REQUIRE(each.status.ok);
    CHECK(std::isfinite(each.rel_rmse));
    CHECK(each.rel_rmse < 0.5);
  }
}

TEST_CASE("SIMD kernels give the scalar twins' codes bit for bit") {
  const std::vector<float> x = synthetic_tensor("laplace", 1003, 1003, 7);
  for (int qmax : {127, 7}) {
    std::vector<int8_t> fast(1003), slow(1003);
    std::vector<float> fast_scales(16), slow_scales(16), fast_out(1003), slow_out(1003);
    quantize_sym(x.data(), 1003, 64, qmax, &kFp16, fast.data(), fast_scales.data());
    quantize_sym<simd::Scalar>(x.data(), 1003, 64, qmax, &kFp16, slow.data(), slow_scales.data());
    CHECK(fast == slow);
    CHECK(fast_scales == slow_scales);
    dequantize_sym(fast.data(), fast_scales.data(), 1003, 64, fast_out.data());
    dequantize_sym<simd::Scalar>(slow.data(), slow_scales.data(), 1003, 64, slow_out.data());
    CHECK(fast_out == slow_out);
  }
  // Asymmetric and NF4, with the values that take the special paths: NaN,
  // ±Inf, a constant group, an all-zero group, and a short last group.
  std::vector<float> y = x;
  y[5] = NAN, y[70] = INFINITY, y[71] = -INFINITY, y[200] = NAN;
  for (size_t i = 256; i < 320; i++) y[i] = 0.25f;  // constant group
  for (size_t i = 320; i < 384; i++) y[i] = 0.0f;   // zeros
  for (const MiniFloat* format : {static_cast<const MiniFloat*>(nullptr), &kFp16}) {
    for (int qmax : {255, 15}) {
      CAPTURE(qmax);
      std::vector<uint8_t> fast(1003), slow(1003);
      std::vector<float> fast_scales(16), slow_scales(16);
      std::vector<uint8_t> fast_zeros(16), slow_zeros(16);
      quantize_asym<simd::Active>(y.data(), 1003, 64, qmax, format, fast.data(), fast_scales.data(), fast_zeros.data());
      quantize_asym<simd::Scalar>(y.data(), 1003, 64, qmax, format, slow.data(), slow_scales.data(), slow_zeros.data());
      CHECK(fast == slow);
      CHECK(fast_scales == slow_scales);
      CHECK(fast_zeros == slow_zeros);
      std::vector<float> fast_out(1003), slow_out(1003);
      dequantize_zero_point<simd::Active>(fast.data(), fast_scales.data(), fast_zeros.data(), 1003, 64,
                                          fast_out.data());
      dequantize_zero_point<simd::Scalar>(slow.data(), slow_scales.data(), slow_zeros.data(), 1003, 64,
                                          slow_out.data());
      CHECK(fast_out == slow_out);
      // ggml's float-min dequantizer (Q4_1/Q5_1) on the same codes, with min = −z·scale.
      std::vector<float> mins(16), float_min_fast(1003), float_min_slow(1003);
      for (int g = 0; g < 16; g++) mins[g] = -float(fast_zeros[g]) * fast_scales[g];
      dequantize_asym<simd::Active>(fast.data(), fast_scales.data(), mins.data(), 1003, 64, float_min_fast.data());
      dequantize_asym<simd::Scalar>(fast.data(), fast_scales.data(), mins.data(), 1003, 64, float_min_slow.data());
      CHECK(float_min_fast == float_min_slow);
    }
    std::vector<uint8_t> fast(1003), slow(1003);
    std::vector<float> fast_scales(16), slow_scales(16);
    quantize_nf4<simd::Active>(y.data(), 1003, 64, format, fast.data(), fast_scales.data());
    quantize_nf4<simd::Scalar>(y.data(), 1003, 64, format, slow.data(), slow_scales.data());
    CHECK(fast == slow);
    CHECK(fast_scales == slow_scales);
    CHECK(fast[5] == 7);  // NaN → the zero level
    CHECK(fast[70] == 15);
    CHECK(fast[71] == 0);
    std::vector<float> fast_out(1003), slow_out(1003);
    dequantize_nf4<simd::Active>(fast.data(), fast_scales.data(), 1003, 64, fast_out.data());
    dequantize_nf4<simd::Scalar>(slow.data(), slow_scales.data(), 1003, 64, slow_out.data());
    CHECK(fast_out == slow_out);
    CHECK(fast_out[5] == 0.0f);             // level 7 is exactly 0
    CHECK(fast_out[70] == fast_scales[1]);  // level 15 is 1.0: +Inf restores to the group's absmax
  }
  // ggml Q4_0 / Q5_0 / Q8_0 (blocks of 32; 1003 leaves a short last block),
  // plus exact ties for Q8_0's half-away-from-zero rounding.
  for (int i = 400; i < 432; i++) y[size_t(i)] = float(i - 416) * 0.5f;  // a block of halves, -8 … 7.5
  for (int levels : {16, 32, 256}) {
    CAPTURE(levels);
    std::vector<int8_t> fast(1003), slow(1003);
    std::vector<float> fast_scales(32), slow_scales(32);
    quantize_ggml_sym<simd::Active>(y.data(), 1003, levels, fast.data(), fast_scales.data());
    quantize_ggml_sym<simd::Scalar>(y.data(), 1003, levels, slow.data(), slow_scales.data());
    CHECK(fast == slow);
    CHECK(fast_scales == slow_scales);
  }
  for (int levels : {16, 32}) {  // Q4_1 / Q5_1
    CAPTURE(levels);
    std::vector<uint8_t> fast(1003), slow(1003);
    std::vector<float> fast_scales(32), slow_scales(32), fast_mins(32), slow_mins(32);
    quantize_ggml_asym<simd::Active>(y.data(), 1003, levels, fast.data(), fast_scales.data(), fast_mins.data());
    quantize_ggml_asym<simd::Scalar>(y.data(), 1003, levels, slow.data(), slow_scales.data(), slow_mins.data());
    CHECK(fast == slow);
    CHECK(fast_scales == slow_scales);
    CHECK(fast_mins == slow_mins);
  }
  {  // Q4_1 on exact halves: min 0, max 15 → d = 1; ggml's (int)(x·id + 0.5) rounds halves up
    std::vector<float> block(32);
    for (int i = 0; i < 32; i++) block[size_t(i)] = float(i % 15) + 0.5f;  // 0.5 … 14.5
    block[0] = 0.0f, block[1] = 15.0f;
    std::vector<uint8_t> codes(32);
    float d = 0, m = 0;
    quantize_ggml_asym<simd::Active>(block.data(), 32, 16, codes.data(), &d, &m);
    CHECK(d == 1.0f);
    CHECK(m == 0.0f);
    CHECK(codes[2] == 3);    // 2.5 → 3
    CHECK(codes[14] == 15);  // 14.5 → 15
    CHECK(codes[15] == 1);   // 0.5 → 1
  }
  {  // Q8_0 rounding on exact halves: d = 127/127 = 1, so codes are round(x) away from zero
    std::vector<float> halves(32);
    for (int i = 0; i < 32; i++) halves[size_t(i)] = float(i - 16) + 0.5f;  // -15.5 … 15.5
    halves[0] = -127.0f;                                                    // absmax 127 → d = 1
    std::vector<int8_t> codes(32);
    float scale = 0;
    quantize_ggml_sym<simd::Active>(halves.data(), 32, 256, codes.data(), &scale);
    CHECK(scale == 1.0f);
    CHECK(codes[1] == -15);  // -14.5 → -15
    CHECK(codes[16] == 1);   // 0.5 → 1
    CHECK(codes[17] == 2);   // 1.5 → 2
    CHECK(codes[31] == 16);  // 15.5 → 16
  }
}

TEST_CASE("GEMV kernels against an fp64 reference") {
  const size_t rows = 37, cols = 256, group = 64;
  const std::vector<float> w = synthetic_tensor("normal", rows * cols, cols, 3);
  const std::vector<float> x = synthetic_tensor("normal", cols, cols, 4);
  std::vector<int8_t> codes8(rows * cols), codes4(rows * cols), x_codes(cols);
  std::vector<float> scales8(rows * cols / group), scales4(rows * cols / group), x_scales(cols / group);
  std::vector<uint8_t> packed(rows * cols / 2);
  quantize_sym<simd::Scalar>(w.data(), rows * cols, group, 127, nullptr, codes8.data(), scales8.data());
  quantize_sym<simd::Scalar>(w.data(), rows * cols, group, 7, nullptr, codes4.data(), scales4.data());
  quantize_sym<simd::Scalar>(x.data(), cols, group, 127, nullptr, x_codes.data(), x_scales.data());
  pack_int4(codes4.data(), rows * cols, packed.data());
  std::vector<float> deq8(rows * cols), deq4(rows * cols);
  dequantize_sym<simd::Scalar>(codes8.data(), scales8.data(), rows * cols, group, deq8.data());
  dequantize_sym<simd::Scalar>(codes4.data(), scales4.data(), rows * cols, group, deq4.data());
  std::vector<float> x_deq(cols);
  dequantize_sym<simd::Scalar>(x_codes.data(), x_scales.data(), cols, group, x_deq.data());
  // Reference: fp64 products of the dequantized weights (and x for int8×int8).
  auto reference = [&](const std::vector<float>& weights, const std::vector<float>& vector) {
    std::vector<double> y(rows);
    for (size_t r = 0; r < rows; r++)
      for (size_t c = 0; c < cols; c++) y[r] += double(weights[r * cols + c]) * vector[c];
    return y;
  };
  auto max_diff = [&](const std::vector<float>& y, const std::vector<double>& ref) {
    double worst = 0;
    for (size_t r = 0; r < rows; r++) worst = std::max(worst, std::fabs(y[r] - ref[r]));
    return worst;
  };
  // fp32 accumulation over 256 terms of size ~1: error ≪ 1e-3.
  const double tolerance = 1e-3;
  std::vector<float> y(rows);
  gemv_f32<simd::Scalar>(w.data(), x.data(), rows, cols, y.data());
  CHECK(max_diff(y, reference(w, x)) < tolerance);
  gemv_q8<simd::Scalar>(codes8.data(), scales8.data(), x.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq8, x)) < tolerance);
  gemv_q4<simd::Scalar>(packed.data(), scales4.data(), x.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq4, x)) < tolerance);
  gemv_q8q8<simd::Scalar>(codes8.data(), scales8.data(), x_codes.data(), x_scales.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq8, x_deq)) < tolerance);
  gemv_q4q8<simd::Scalar>(packed.data(), scales4.data(), x_codes.data(), x_scales.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq4, x_deq)) < tolerance);
  gemv_f32<simd::Active>(w.data(), x.data(), rows, cols, y.data());
  CHECK(max_diff(y, reference(w, x)) < tolerance);
  gemv_q8<simd::Active>(codes8.data(), scales8.data(), x.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq8, x)) < tolerance);
  gemv_q4<simd::Active>(packed.data(), scales4.data(), x.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq4, x)) < tolerance);
  gemv_q8q8<simd::Active>(codes8.data(), scales8.data(), x_codes.data(), x_scales.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq8, x_deq)) < tolerance);
  gemv_q4q8<simd::Active>(packed.data(), scales4.data(), x_codes.data(), x_scales.data(), rows, cols, group, y.data());
  CHECK(max_diff(y, reference(deq4, x_deq)) < tolerance);

  // Every int4 code, -8 included (symmetric quantization never makes it):
  // code i mod 16 - 8 at weight i, unit scales, so y is an exact small integer
  // sum that both int4 kernels must hit exactly.
  {
    const size_t n = 4 * 64;
    std::vector<int8_t> all_codes(n), ones(64, 1);
    for (size_t i = 0; i < n; i++) all_codes[i] = int8_t(int(i % 16) - 8);
    std::vector<uint8_t> all_packed(n / 2);
    pack_int4(all_codes.data(), n, all_packed.data());
    const std::vector<float> unit_scales(n / 64, 1.0f), x_ones(64, 1.0f), x_unit_scale(1, 1.0f);
    std::vector<float> y4(4), y48(4);
    gemv_q4<simd::Active>(all_packed.data(), unit_scales.data(), x_ones.data(), 4, 64, 64, y4.data());
    gemv_q4q8<simd::Active>(all_packed.data(), unit_scales.data(), ones.data(), x_unit_scale.data(), 4, 64, 64,
                            y48.data());
    for (size_t r = 0; r < 4; r++) {
      CHECK(y4[r] == -32.0f);  // four runs of -8..7, each summing to -8
      CHECK(y48[r] == -32.0f);
    }
  }

  QuantGemvInput input;
  input.rows = 64;
  input.cols = 512;
  input.min_time_s = 0;
  const QuantGemvResult run = run_quant_gemv(input);
  REQUIRE(run.status.ok);
  REQUIRE(run.kernels.size() == 5);
  for (const GemvKernelResult& kernel : run.kernels) {  // five timed samples each, the median reported
    CHECK(kernel.time.runs == 5);
    CHECK(kernel.seconds_per_call == kernel.time.median_s);
    CHECK(kernel.time.min_s <= kernel.time.q1_s);
    CHECK(kernel.time.q3_s <= kernel.time.max_s);
  }
  CHECK(run.kernels[0].rel_rmse < 1e-5);
  // Output error tracks the weight error: int8 ≈ 0.6 %, int4 ≈ 11 % relative (table above).
  CHECK(run.kernels[1].rel_rmse < 0.02);
  CHECK(run.kernels[2].rel_rmse > 0.05);
  CHECK(run.kernels[2].rel_rmse < 0.2);
  CHECK(run.kernels[2].weight_bytes == 64 * 512 / 2 + 64 * 512 / 128 * 4);
  CHECK(run.kernels[4].kernel == "int4x8");  // int4 weights, x quantized to int8: int4's error and bytes
  CHECK(run.kernels[4].rel_rmse > 0.05);
  CHECK(run.kernels[4].rel_rmse < 0.2);
  CHECK(run.kernels[4].weight_bytes == run.kernels[2].weight_bytes);
}

TEST_CASE("lab runs that would not fit are refused before allocating") {
  QuantLabInput input;
  input.n = 5e8;  // x and x̂ (8 bytes) + codes (1) per weight + 8 per group of 128 > 1 GiB
  const QuantLabResult result = run_quant_lab(input);
  CHECK(result.status.field == "n");
  CHECK(result.bytes_needed == 5e8 * 9 + 5e8 / 128 * 8);  // 4,531,250,000
  CHECK(result.status.message.find("4531250000 bytes") != std::string::npos);
  input.n = 1024;
  input.dist = "cauchy";
  CHECK(run_quant_lab(input).status.field == "dist");
  input.dist = "normal";
  input.format = "q4_kk";
  CHECK(run_quant_lab(input).status.field == "format");
  QuantGemvInput gemv;
  gemv.rows = 1e6;
  gemv.cols = 1e6;
  CHECK_FALSE(run_quant_gemv(gemv).status.ok);
  gemv.rows = 8;
  gemv.cols = 100;
  gemv.group_size = 32;
  CHECK(run_quant_gemv(gemv).status.field == "cols");
}

TEST_CASE("the lab's format table: every measured format runs, scalar and SIMD passes agree") {
  for (const QuantFormatInfo& format : quant_formats()) {
    CAPTURE(format.id);
    QuantLabInput input;
    input.format = format.id;
    input.n = 1003;  // short last group / block
    input.group_size = 64;
    input.inject_nonfinite = true;
    const QuantLabResult fast = run_quant_lab(input);
    CHECK(fast.status.ok == format.measured);
    if (!fast.status.ok) continue;
    CHECK_FALSE(fast.nonfinite_behaviour.empty());
    input.simd = false;
    const QuantLabResult slow = run_quant_lab(input);
    CHECK(slow.kernel == "scalar");
    CHECK(slow.rmse == fast.rmse);  // the twins restore the same values
    CHECK(slow.max_abs_error == fast.max_abs_error);
    CHECK(slow.bytes_needed == fast.bytes_needed);
  }
}

TEST_CASE("outlier channels and double quantization behave as the papers say") {
  // LLM-like outliers inflate per-group error for int4 (groups sharing an
  // outlier column get a 20× larger scale); small groups contain them.
  CHECK(lab("int4", 128, "llm").rel_rmse > lab("int4", 128, "normal").rel_rmse);
  // Double quantization changes the error only slightly (QLoRA: no degradation).
  QuantLabInput input;
  input.format = "nf4";
  input.group_size = 64;
  input.n = 1 << 18;
  const double plain = run_quant_lab(input).rel_rmse;
  input.double_quant = true;
  const double doubled = run_quant_lab(input).rel_rmse;
  CHECK(doubled == doctest::Approx(plain).epsilon(0.02));
}

TEST_CASE("param groups from the model area add up to the published totals") {
  // Llama-2-7B 6,738,415,616 and Mixtral-8x7B 46,702,792,704 (published totals).
  for (const auto& published : {std::pair{"llama-2-7b", 6738415616.0}, std::pair{"mixtral-8x7b", 46702792704.0}}) {
    // clang 14 (the WASM build) cannot capture structured bindings in CAPTURE's lambda.
    const char* id = published.first;
    const double total = published.second;
    CAPTURE(id);
    const ModelPreset* preset = find_model_preset(id);
    REQUIRE(preset != nullptr);
    const ModelParamGroups groups = param_groups_of_model(preset->config);
    REQUIRE(groups.status.ok);
    const ParamGroups& p = groups.params;
    CHECK(p.embedding + p.attention + p.ffn + p.router + p.norms + p.lm_head == total);
    CHECK(groups.total == total);
  }
  const ModelParamGroups llama = param_groups_of_model(find_model_preset("llama-2-7b")->config);
  CHECK(llama.params.attention == 32 * 4.0 * 4096 * 4096);  // by hand, as above
  ModelConfig bad;
  bad.n_kv_heads = 5;
  CHECK_FALSE(param_groups_of_model(bad).status.ok);
}

TEST_CASE("the benchmark runner times each kernel and rejects unknown ones") {
  QuantBenchInput input;
  input.n = 4096;
  input.min_time_s = 0;
  for (const char* kernel : {"quantize_int8", "quantize_int4", "quantize_int8_asym", "quantize_int4_asym",
                             "quantize_nf4", "quantize_q4_1", "dequantize_int8", "dequantize_nf4"}) {
    CAPTURE(kernel);
    input.kernel = kernel;
    const QuantBenchResult result = run_quant_bench(input);
    REQUIRE(result.status.ok);
    CHECK(result.calls >= 5);
    CHECK(result.seconds > 0);
    CHECK(result.time.runs == 5);
    CHECK(result.seconds == result.time.median_s);
    CHECK(result.time.min_s <= result.time.q1_s);
    CHECK(result.time.q3_s <= result.time.max_s);
  }
  input.runs = 4;
  CHECK(run_quant_bench(input).status.field == "runs");
  QuantLabInput lab;  // the lab's pass: five timed after one untimed, the median reported
  lab.n = 4096;
  const QuantLabResult passes = run_quant_lab(lab);
  REQUIRE(passes.status.ok);
  CHECK(passes.quantize_time.runs == 5);
  CHECK(passes.quantize_s == passes.quantize_time.median_s);
  CHECK(passes.quantize_time.min_s <= passes.quantize_time.q1_s);
  lab.runs = 101;
  CHECK(run_quant_lab(lab).status.field == "runs");
  input.runs = 5;
  input.kernel = "quantize_q4_1";  // blocks of 32 while group_size is larger: scales sized for the blocks
  input.n = 1000;
  input.group_size = 512;
  CHECK(run_quant_bench(input).status.ok);
  input.kernel = "quantize_int3";
  CHECK(run_quant_bench(input).status.field == "kernel");
}

TEST_CASE("SIMD quantize matches the scalar twin on NaN, Inf and tiny fp16 scales") {
  // Groups of 32: NaN inside; +Inf inside; values so small that absmax/7 is an
  // fp16 subnormal (the stored scale rounds far from absmax/7, so codes clamp).
  std::vector<float> x = synthetic_tensor("normal", 96, 96, 5);
  x[3] = NAN;
  x[40] = INFINITY;
  x[41] = -INFINITY;
  for (size_t i = 64; i < 96; i++) x[i] *= 3e-7f;
  for (int qmax : {127, 7})
    for (const MiniFloat* format : {static_cast<const MiniFloat*>(nullptr), &kFp16, &kBf16}) {
      std::vector<int8_t> fast(96), slow(96);
      std::vector<float> fast_scales(3), slow_scales(3);
      quantize_sym(x.data(), 96, 32, qmax, format, fast.data(), fast_scales.data());
      quantize_sym<simd::Scalar>(x.data(), 96, 32, qmax, format, slow.data(), slow_scales.data());
      CHECK(fast == slow);
      CHECK(fast_scales == slow_scales);
      CHECK(fast[3] == 0);
      CHECK(fast[40] == qmax);
      CHECK(fast[41] == -qmax);
    }
}

TEST_CASE("fill_synthetic_tensor writes the values synthetic_tensor returns") {
  for (const char* dist : {"normal", "laplace", "llm"}) {
    const std::vector<float> expected = synthetic_tensor(dist, 1000, 250, 9);
    std::vector<float> filled(1000);
    fill_synthetic_tensor(dist, 250, 9, filled.data(), filled.size());
    CHECK(filled == expected);
  }
}

// ------------------------------------------------ runs split across workers

TEST_CASE("synthetic_slice draws exactly the whole tensor's values, for every distribution") {
  for (const std::string dist : {"normal", "laplace", "llm"}) {
    CAPTURE(dist);
    const size_t n = 1001, row_length = 100;
    const std::vector<float> whole = synthetic_tensor(dist, n, row_length, 9);
    for (const auto& [begin, end] :
         std::vector<std::pair<size_t, size_t>>{{0, 1001}, {0, 1}, {3, 400}, {400, 1001}, {1000, 1001}}) {
      const std::vector<float> slice = synthetic_slice(dist, n, row_length, 9, begin, end);
      REQUIRE(slice.size() == end - begin);
      CHECK(std::equal(slice.begin(), slice.end(), whole.begin() + long(begin)));
    }
  }
}

TEST_CASE("GEMV by rows: slices cover the run, their merged figures are the whole run's bit for bit") {
  QuantGemvInput input;
  input.rows = 7;
  input.cols = 64;
  input.group_size = 32;
  input.min_time_s = 0;
  const QuantGemvResult whole = run_quant_gemv(input);
  REQUIRE(whole.status.ok);
  CHECK(whole.rows_run == 7);
  CHECK(whole.kernels[0].error_terms.empty());  // only a slice carries its terms
  std::vector<QuantGemvResult> parts;
  for (const auto& [begin, end] : std::vector<std::pair<double, double>>{{0, 3}, {3, 4}, {4, 7}}) {
    QuantGemvInput slice = input;
    slice.row_begin = begin;
    slice.row_end = end;
    parts.push_back(run_quant_gemv(slice));
    REQUIRE(parts.back().status.ok);
    CHECK(parts.back().rows_run == end - begin);
    CHECK(parts.back().rows == 7);
  }
  for (size_t k = 0; k < whole.kernels.size(); k++) {
    const GemvKernelResult& expected = whole.kernels[k];
    CAPTURE(expected.kernel);
    // The core's sums, in row order across the slices (as lib/parallel.js merges them).
    double noise = 0, signal = 0, dot = 0, norm_y = 0, max_error = 0;
    uint32_t hash = 0;
    double rows = 0;
    for (const QuantGemvResult& part : parts) {
      const GemvKernelResult& kernel = part.kernels[k];
      REQUIRE(kernel.error_terms.size() == 4 * size_t(part.rows_run));
      for (size_t i = 0; i < kernel.error_terms.size(); i += 4) {
        noise += kernel.error_terms[i];
        signal += kernel.error_terms[i + 1];
        dot += kernel.error_terms[i + 2];
        norm_y += kernel.error_terms[i + 3];
      }
      max_error = std::max(max_error, kernel.max_abs_error);
      hash ^= uint32_t(kernel.output_hash);
      rows += part.rows_run;
    }
    CHECK(rows == 7);
    CHECK(std::sqrt(noise / signal) == expected.rel_rmse);
    CHECK(dot / std::sqrt(signal * norm_y) == expected.cosine);
    CHECK(max_error == expected.max_abs_error);
    CHECK(double(hash) == expected.output_hash);
  }
  auto refused = [&](double begin, double end) {
    QuantGemvInput bad = input;
    bad.row_begin = begin;
    bad.row_end = end;
    return run_quant_gemv(bad).status;
  };
  CHECK(refused(7, 0).field == "row_begin");  // past the last row
  CHECK(refused(-1, 3).field == "row_begin");
  CHECK(refused(0, 8).field == "row_end");
  CHECK(refused(3, 3).field == "row_end");  // empty
  CHECK(refused(1.5, 3).field == "row_begin");
  CHECK(refused(0, NAN).field == "row_end");
}

TEST_CASE("quant lab by chunks: slices cover the tensor, their merged figures are the whole run's bit for bit") {
  const double chunk = kQuantLabChunkValues;
  QuantLabInput input;
  input.format = "int4";
  input.group_size = 128;
  input.dist = "llm";
  input.n = 3 * chunk + 1000;  // a short last chunk
  input.inject_nonfinite = true;
  CHECK(quant_lab_chunks(input) == 4);
  auto chunks_of = [&](auto change) {
    QuantLabInput other = input;
    change(other);
    return quant_lab_chunks(other);
  };
  CHECK(chunks_of([](QuantLabInput& i) { i.format = "fp16"; }) == 4);      // a cast: value by value
  CHECK(chunks_of([](QuantLabInput& i) { i.format = "q4_k"; }) == 4);      // super-blocks of 256
  CHECK(chunks_of([](QuantLabInput& i) { i.group_size = 96; }) == 1);      // groups straddle chunks
  CHECK(chunks_of([](QuantLabInput& i) { i.double_quant = true; }) == 1);  // the mean of every scale
  CHECK(chunks_of([](QuantLabInput& i) { i.layout = "tensor"; }) == 1);
  CHECK(chunks_of([](QuantLabInput& i) { i.format = "nvfp4"; }) == 1);  // one tensor scale
  CHECK(chunks_of([&](QuantLabInput& i) { i.n = chunk; }) == 1);
  CHECK(chunks_of([](QuantLabInput& i) { i.n = 0; }) == 1);  // invalid: the run says why

  const QuantLabResult whole = run_quant_lab(input);
  REQUIRE(whole.status.ok);
  CHECK(whole.chunks_run == 4);
  CHECK(whole.chunk_hashes.size() == 4);
  CHECK(whole.chunk_sums.empty());
  std::vector<double> hashes;
  ErrorSums sums;
  for (const auto& [begin, end] : std::vector<std::pair<double, double>>{{0, 1}, {1, 3}, {3, 4}}) {
    QuantLabInput slice = input;
    slice.chunk_begin = begin;
    slice.chunk_end = end;
    const QuantLabResult part = run_quant_lab(slice);
    REQUIRE(part.status.ok);
    CHECK(part.chunks_run == end - begin);
    hashes.insert(hashes.end(), part.chunk_hashes.begin(), part.chunk_hashes.end());
    REQUIRE(part.chunk_sums.size() == 8 * size_t(part.chunks_run));
    for (size_t i = 0; i < part.chunk_sums.size(); i += 8) {
      const double* s = part.chunk_sums.data() + i;
      sums = add_sums(sums, {s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]});
    }
  }
  CHECK(hashes == whole.chunk_hashes);
  const ErrorMetrics merged = metrics_from_sums(sums);
  CHECK(merged.nonfinite == 3);
  CHECK(merged.nonfinite == whole.nonfinite_inputs);
  CHECK(merged.rel_rmse == whole.rel_rmse);
  CHECK(merged.snr_db == whole.snr_db);
  CHECK(merged.cosine == whole.cosine);
  CHECK(merged.rmse == whole.rmse);
  CHECK(merged.max_abs_error == whole.max_abs_error);
  CHECK(merged.mean_abs_error == whole.mean_abs_error);

  auto refused = [&](QuantLabInput bad, double begin, double end) {
    bad.chunk_begin = begin;
    bad.chunk_end = end;
    return run_quant_lab(bad).status;
  };
  CHECK(refused(input, 4, 0).field == "chunk_begin");
  CHECK(refused(input, 0, 5).field == "chunk_end");
  CHECK(refused(input, 2, 2).field == "chunk_end");
  CHECK(refused(input, NAN, 2).field == "chunk_begin");
  QuantLabInput whole_tensor = input;
  whole_tensor.double_quant = true;
  const Status unsplit = refused(whole_tensor, 0, 2);
  CHECK(unsplit.field == "chunk_end");
  CHECK(unsplit.message.find("1 when a scale reaches across chunks") != std::string::npos);
  CHECK(refused(whole_tensor, 0, 1).ok);
}

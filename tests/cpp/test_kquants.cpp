// ggml k-quants (quant/kquants.hpp): layout and formulas by hand, exact round
// trips on each format's grid, the packings of ggml-common.h, error on N(0,1)
// against simpler quantizers and a rounding model, and the edge cases.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "quant/formats.hpp"
#include "quant/kernels.hpp"
#include "quant/kquants.hpp"
#include "quant/minifloat.hpp"
#include "sim/quant_lab.hpp"

using namespace llmst;
using namespace llmst::quant;

namespace {

constexpr KQuant kAll[] = {KQuant::q2_k, KQuant::q3_k, KQuant::q4_k, KQuant::q5_k, KQuant::q6_k};
const char* name_of(KQuant type) {
  const char* names[] = {"q2_k", "q3_k", "q4_k", "q5_k", "q6_k"};
  return names[int(type)];
}

std::vector<float> round_trip(KQuant type, const std::vector<float>& x) {
  std::vector<KQuantBlock> blocks((x.size() + 255) / 256);
  std::vector<float> out(x.size());
  quantize_kquant(type, x.data(), x.size(), blocks.data());
  dequantize_kquant(type, blocks.data(), x.size(), out.data());
  return out;
}

double rel_rmse(const std::vector<float>& x, const std::vector<float>& y) {
  double noise = 0, signal = 0;
  for (size_t i = 0; i < x.size(); i++)
    noise += (double(y[i]) - x[i]) * (double(y[i]) - x[i]), signal += double(x[i]) * x[i];
  return std::sqrt(noise / signal);
}

}  // namespace

TEST_CASE("k-quants: a hand-built super-block dequantizes by the format's formula") {
  // ggml-common.h: Q2_K and Q3_K/Q6_K have 16 sub-blocks of 16, Q4_K/Q5_K 8 of
  // 32; weight i belongs to sub-block i / size. Formulas from the block
  // comments: Q2_K, Q4_K, Q5_K x = d·sc·q − dmin·m; Q3_K x = d·sc·(q − 4);
  // Q6_K x = d·sc·(q − 32). The codes, scales and mins are arbitrary values
  // within each field's bit width.
  struct Case {
    KQuant type;
    int sub;
    int code_max;
    int scale_low, scale_high;
    int min_max;
    int offset;
  };
  const Case cases[] = {{KQuant::q2_k, 16, 3, 0, 15, 15, 0},
                        {KQuant::q3_k, 16, 7, -32, 31, 0, 4},
                        {KQuant::q4_k, 32, 15, 0, 63, 63, 0},
                        {KQuant::q5_k, 32, 31, 0, 63, 63, 0},
                        {KQuant::q6_k, 16, 63, -128, 127, 0, 32}};
  for (const Case& c : cases) {
    CAPTURE(name_of(c.type));
    KQuantBlock block;
    block.d = 0.0078125f;  // 2^-7
    block.dmin = c.min_max ? 0.03125f : 0.0f;
    const int subs = 256 / c.sub;
    for (int j = 0; j < subs; j++) {
      block.scales[j] = int8_t(c.scale_low + (j * 37) % (c.scale_high - c.scale_low + 1));
      block.mins[j] = uint8_t(c.min_max ? (j * 11) % (c.min_max + 1) : 0);
    }
    for (int i = 0; i < 256; i++) block.codes[i] = uint8_t((i * 13 + 5) % (c.code_max + 1));
    float out[256];
    dequantize_kquant_block(c.type, block, out);
    for (int i = 0; i < 256; i++) {
      const int j = i / c.sub;
      const double expected =
          0.0078125 * block.scales[j] * (block.codes[i] - c.offset) - 0.03125 * (c.min_max ? block.mins[j] : 0);
      CAPTURE(i);
      REQUIRE(out[i] == doctest::Approx(expected).epsilon(1e-6));
    }
  }
}

TEST_CASE("k-quants: the 12-byte scale packings of ggml-common.h") {
  // Q4_K/Q5_K (get_scale_min_k4): bytes 0–3 = scale j | (scale j+4 >> 4) << 6,
  // bytes 4–7 = min j | (min j+4 >> 4) << 6, bytes 8–11 = (scale j+4 & 15) |
  // (min j+4 & 15) << 4. By hand for scales {1,2,3,4,33,34,63,16} and mins
  // {5,6,7,8,48,17,0,63}: byte 0 = 1 | 2<<6 = 129, 1 = 2 | 2<<6 = 130,
  // 2 = 3 | 3<<6 = 195, 3 = 4 | 1<<6 = 68; 4 = 5 | 3<<6 = 197, 5 = 6 | 1<<6 = 70,
  // 6 = 7, 7 = 8 | 3<<6 = 200; 8 = 1 | 0 = 1, 9 = 2 | 1<<4 = 18, 10 = 15, 11 = 15<<4 = 240.
  const uint8_t scales[8] = {1, 2, 3, 4, 33, 34, 63, 16}, mins[8] = {5, 6, 7, 8, 48, 17, 0, 63};
  const std::array<uint8_t, 12> expected = {129, 130, 195, 68, 197, 70, 7, 200, 1, 18, 15, 240};
  const std::array<uint8_t, 12> packed = pack_scale_min_k4(scales, mins);
  CHECK(packed == expected);  // 12 = K_SCALE_SIZE, block_q4_K::scales
  for (int j = 0; j < 8; j++) {
    uint8_t sc, m;
    get_scale_min_k4(j, packed.data(), sc, m);
    CHECK(sc == scales[j]);
    CHECK(m == mins[j]);
  }
  // Every 6-bit value survives at every position.
  for (int value = 0; value < 64; value++) {
    uint8_t s[8], n[8];
    for (int j = 0; j < 8; j++) s[j] = uint8_t((value + j) % 64), n[j] = uint8_t((value * 7 + j) % 64);
    const std::array<uint8_t, 12> q = pack_scale_min_k4(s, n);
    for (int j = 0; j < 8; j++) {
      uint8_t sc, m;
      get_scale_min_k4(j, q.data(), sc, m);
      REQUIRE(sc == s[j]);
      REQUIRE(m == n[j]);
    }
  }
  // Q3_K: stored l = sc + 32; low nibbles in bytes 0–7 (j and j + 8), high
  // 2 bits at bit 2·(j / 4) of byte 8 + j % 4. All −32 → zeros; all 31 → 0xFF;
  // only scale 5 = 0 (l = 32 = 0b10'0000): byte 9 gets 2 << 2 = 8.
  int8_t q3[16];
  std::fill(q3, q3 + 16, int8_t(-32));
  CHECK(pack_q3_k_scales(q3) == std::array<uint8_t, 12>{});
  q3[5] = 0;
  CHECK(pack_q3_k_scales(q3) == std::array<uint8_t, 12>{0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0});
  std::fill(q3, q3 + 16, int8_t(31));
  std::array<uint8_t, 12> ones;
  ones.fill(0xFF);
  CHECK(pack_q3_k_scales(q3) == ones);
  for (int value = -32; value < 32; value++) {
    for (int j = 0; j < 16; j++) q3[j] = int8_t((value + 32 + j * 5) % 64 - 32);
    const std::array<uint8_t, 12> q = pack_q3_k_scales(q3);
    for (int j = 0; j < 16; j++) REQUIRE(unpack_q3_k_scale(j, q.data()) == q3[j]);
  }
}

TEST_CASE("k-quants: ggml's block bytes, packed and walked back as ggml's dequantizers do") {
  // Sizes: the bytes of formats.cpp, i.e. sizeof of the typed block structs
  // (quant/ggml_blocks.hpp, held to ggml's published sizes by static_assert).
  for (KQuant type : kAll) {
    CAPTURE(name_of(type));
    const KQuantBlock block = quantize_kquant_block(type, synthetic_tensor("normal", 256, 256, 11).data());
    const std::vector<uint8_t> bytes = pack_kquant_block(type, block);
    CHECK(double(bytes.size()) == find_quant_format(name_of(type))->block_bytes);
    // The port of dequantize_row_qN_K over the bytes gives the unpacked values bit for bit.
    float packed[256], unpacked[256];
    dequantize_kquant_packed(type, bytes.data(), packed);
    dequantize_kquant_block(type, block, unpacked);
    for (int i = 0; i < 256; i++) REQUIRE(packed[i] == unpacked[i]);
  }
  // Q4_K by hand: d = 1 (fp16 0x3C00), dmin = 0.5 (0x3800), little-endian;
  // scales bytes as in the packing case; qs byte l of chunk c holds codes
  // 64c + l (low nibble) and 64c + l + 32 (high): with code i = i % 16 both
  // are l % 16, so the byte is 0x11·(l % 16).
  KQuantBlock q4;
  q4.d = 1.0f;
  q4.dmin = 0.5f;
  const int8_t scales[8] = {1, 2, 3, 4, 33, 34, 63, 16};
  const uint8_t mins[8] = {5, 6, 7, 8, 48, 17, 0, 63};
  for (int j = 0; j < 8; j++) q4.scales[j] = scales[j], q4.mins[j] = mins[j];
  for (int i = 0; i < 256; i++) q4.codes[i] = uint8_t(i % 16);
  std::vector<uint8_t> expected = {0x00, 0x3C, 0x00, 0x38, 129, 130, 195, 68, 197, 70, 7, 200, 1, 18, 15, 240};
  for (int i = 0; i < 128; i++) expected.push_back(uint8_t(0x11 * (i % 32 % 16)));
  CHECK(pack_kquant_block(KQuant::q4_k, q4) == expected);
  // Q6_K by hand: code i = i % 64. In each half (j = 0, 128) codes j + l,
  // j + l + 32, j + l + 64, j + l + 96 are l, l + 32, l, l + 32: ql[l] and
  // ql[l + 32] = 0x11·(l % 16); qh[l] = (l >> 4) | ((l + 32) >> 4) << 2 |
  // (l >> 4) << 4 | ((l + 32) >> 4) << 6 = 0 | 8 | 0 | 128 = 136 for l < 16,
  // 1 | 12 | 16 | 192 = 221 for l ≥ 16; scales[16] as int8; d = −2^-10 (0x9400).
  KQuantBlock q6;
  q6.d = -1.0f / 1024;
  for (int j = 0; j < 16; j++) q6.scales[j] = int8_t(j * 16 - 128);
  for (int i = 0; i < 256; i++) q6.codes[i] = uint8_t(i % 64);
  const std::vector<uint8_t> bytes = pack_kquant_block(KQuant::q6_k, q6);
  for (int i = 0; i < 128; i++) REQUIRE(bytes[i] == 0x11 * (i % 32 % 16));
  for (int i = 0; i < 64; i++) REQUIRE(bytes[128 + i] == (i % 32 < 16 ? 136 : 221));
  for (int j = 0; j < 16; j++) CHECK(int8_t(bytes[192 + j]) == j * 16 - 128);
  CHECK(bytes[208] == 0x00);
  CHECK(bytes[209] == 0x94);
}

TEST_CASE("k-quants: nearest_int rounds half to even like ggml's float trick") {
  CHECK(nearest_int(2.5f) == 2);
  CHECK(nearest_int(3.5f) == 4);
  CHECK(nearest_int(-2.5f) == -2);
  CHECK(nearest_int(-0.49f) == 0);
  CHECK(nearest_int(4194303.0f) == 4194303);  // 2^22 − 1: the documented range
  CHECK(nearest_int(NAN) == 0);               // NaN + 1.5·2^23 is NaN: mantissa 0x400000 − 0x400000
}

TEST_CASE("k-quants: values already on a format's grid survive the round trip exactly") {
  // Each case builds x = the dequantizer's own formula with power-of-two d
  // and dmin and the largest sub-block scale (and min) at its top code, so:
  // the sub-block fit's first grid (iscale = nmax/(max − min), or −nmax/max
  // for the signed formats with the extreme at −nmax) gives the codes
  // exactly; every other trial grid moves some code and fits strictly worse,
  // so the search keeps these codes; the largest fitted scale is the
  // power-of-two d times the top integer scale (up to a float ulp), so
  // fp16(d) is exact and every other integer scale rounds back to itself; the
  // requantization divides exactly. Every product is a small dyadic number,
  // exact in float.
  SUBCASE("Q4_K and Q5_K: d·sc·q − dmin·m, scales 63 − 5j, mins 63 − 3j") {
    // clang 14 (the WASM build) cannot capture structured bindings in CAPTURE's lambda.
    for (const std::pair<KQuant, int>& format : {std::pair{KQuant::q4_k, 15}, std::pair{KQuant::q5_k, 31}}) {
      const KQuant type = format.first;
      const int nmax = format.second;
      CAPTURE(name_of(type));
      const float d = 1.0f / 256, dmin = 1.0f / 512;
      std::vector<float> x(512);
      for (size_t i = 0; i < x.size(); i++) {
        const int j = int(i % 256) / 32, q = int((i % 32) * 7 + j) % (nmax + 1);  // 7 coprime to 16, 32: all codes
        x[i] = d * float(63 - 5 * j) * float(q) - dmin * float(63 - 3 * j);
      }
      CHECK(round_trip(type, x) == x);
    }
  }
  SUBCASE("Q2_K: d·sc·q − dmin·m, 4-bit scales 15 − j % 8, mins 15 − 3j % 8") {
    const float d = 1.0f / 64, dmin = 1.0f / 128;
    std::vector<float> x(256);
    for (size_t i = 0; i < x.size(); i++) {
      const int j = int(i) / 16, q = int(i + j) % 4;
      x[i] = d * float(15 - j % 8) * float(q) - dmin * float(15 - (3 * j) % 8);
    }
    CHECK(round_trip(KQuant::q2_k, x) == x);
  }
  SUBCASE("Q3_K: d·sc·(q − 4), d = −2^-8, sc = −(32 − j), −4 in every sub-block") {
    std::vector<float> x(256);
    for (size_t i = 0; i < x.size(); i++) {
      const int j = int(i) / 16, level = i % 16 == 0 ? -4 : int(i * 5 + j) % 7 - 3;  // −4 largest, then −3..3
      x[i] = (-1.0f / 256) * float(-(32 - j)) * float(level);
    }
    CHECK(round_trip(KQuant::q3_k, x) == x);
  }
  SUBCASE("Q6_K: d·sc·(q − 32), d = −2^-12, sc = −(128 − 5j), −32 in every sub-block") {
    std::vector<float> x(256);
    for (size_t i = 0; i < x.size(); i++) {
      const int j = int(i) / 16, level = i % 16 == 0 ? -32 : int(i * 5 + j) % 63 - 31;
      x[i] = (-1.0f / 4096) * float(-(128 - 5 * j)) * float(level);
    }
    CHECK(round_trip(KQuant::q6_k, x) == x);
  }
}

TEST_CASE("k-quants: error on N(0,1) orders by bits and beats simpler quantizers") {
  const size_t n = 1 << 18;
  const std::vector<float> x = synthetic_tensor("normal", n, n, 1);
  double error[5];
  for (KQuant type : kAll) error[int(type)] = rel_rmse(x, round_trip(type, x));
  CHECK(error[0] > error[1]);
  CHECK(error[1] > error[2]);
  CHECK(error[2] > error[3]);
  CHECK(error[3] > error[4]);

  // Simpler quantizers with the same code width, without the search and with
  // fp16 (not 4-/6-bit) scales. Each k-quant's search starts from the min-max
  // grid (Q2_K/Q4_K/Q5_K) or the absmax grid (Q3_K/Q6_K) and only moves to a
  // grid with lower weighted error; the asymmetric baseline here is the
  // integer-zero-point one (AutoGPTQ), whose range also holds 0: no finer.
  std::vector<uint8_t> codes(n);
  std::vector<int8_t> signed_codes(n);
  std::vector<float> scales(n / 16), y(n);  // n / 16 ≥ groups of 16 or 32
  std::vector<uint8_t> zeros(n / 16);
  auto asym = [&](size_t group, int qmax) {
    quantize_asym<simd::Scalar>(x.data(), n, group, qmax, &kFp16, codes.data(), scales.data(), zeros.data());
    dequantize_zero_point<simd::Scalar>(codes.data(), scales.data(), zeros.data(), n, group, y.data());
    return rel_rmse(x, y);
  };
  auto sym = [&](size_t group, int qmax) {
    quantize_sym<simd::Scalar>(x.data(), n, group, qmax, &kFp16, signed_codes.data(), scales.data());
    dequantize_sym<simd::Scalar>(signed_codes.data(), scales.data(), n, group, y.data());
    return rel_rmse(x, y);
  };
  CHECK(error[0] < asym(16, 3));   // Q2_K vs 2-bit min-max per 16
  CHECK(error[1] < sym(16, 3));    // Q3_K (−4..3) vs −3..3 absmax per 16
  CHECK(error[2] < asym(32, 15));  // Q4_K vs Q4_1's grid: 4-bit min-max per 32
  CHECK(error[3] < asym(32, 31));  // Q5_K vs Q5_1's grid
  CHECK(error[4] < sym(16, 31));   // Q6_K (−32..31) vs −31..31 absmax per 16
  // The decision matrix's claim: Q4_K below Q4_0 at the same 4.5 bits per weight.
  quantize_ggml_sym<simd::Scalar>(x.data(), n, 16, signed_codes.data(), scales.data());
  dequantize_sym<simd::Scalar>(signed_codes.data(), scales.data(), n, 32, y.data());
  CHECK(error[2] < rel_rmse(x, y));

  // The uniform rounding model of the plain grid: RMSE = step/√12, step =
  // E[range]/(levels − 1) (min-max) or E[absmax]/half-levels (absmax). For
  // N(0,1), E[range of n] = ∫ 1 − Φ(x)^n − (1 − Φ(x))^n dx (Tippett 1925):
  // 3.532 (n = 16), 4.139 (n = 32); E[max |x| of 16] = ∫₀^∞ 1 − (2Φ(x) − 1)^16
  // dx = 2.078. The searches land below it (Q3_K's 3-bit grid is too coarse
  // for the model to hold).
  const double root12 = std::sqrt(12.0);
  CHECK(error[0] < 3.532 / 3 / root12);   // 34.0 %
  CHECK(error[2] < 4.139 / 15 / root12);  // 7.97 %
  CHECK(error[3] < 4.139 / 31 / root12);  // 3.85 %
  CHECK(error[4] < 2.078 / 32 / root12);  // 1.87 %
}

TEST_CASE("k-quants: zeros, constants, n = 1 and n = 257") {
  for (KQuant type : kAll) {
    CAPTURE(name_of(type));
    const std::vector<float> zeros(300, 0.0f);
    CHECK(round_trip(type, zeros) == zeros);  // every scale 0: every value d·0 − dmin·0

    // A constant c is an end of its sub-block's grid (min-max: the min, or
    // the max when c > 0 and the min is pinned to 0; absmax: −nmax·scale), and
    // the largest integer scale is the top code: only fp16(d) or fp16(dmin)
    // rounds, by at most 2^-11 relative while d stays a normal fp16 (c ≥ 0.25:
    // Q6_K's d = c/(32·128) ≥ 2^-14); 2^-10 leaves room for the float ops.
    for (float c : {-3.5f, 2.7f, 0.3f}) {
      const std::vector<float> restored = round_trip(type, std::vector<float>(256, c));
      for (float value : restored) REQUIRE(std::fabs(value - c) <= std::fabs(c) * 0x1p-10f);
    }
    // One value and 255 zeros of padding: the value is the sub-block's only
    // extreme, so the same fp16 bound holds.
    for (float v : {0.7f, -0.7f}) {
      const std::vector<float> one = round_trip(type, {v});
      REQUIRE(one.size() == 1);
      CHECK(std::fabs(one[0] - v) <= std::fabs(v) * 0x1p-10f);
    }
    // 257 = a full super-block and one value padded with 255 zeros.
    std::vector<float> x = synthetic_tensor("normal", 257, 257, 3);
    x[256] = 0.7f;
    const std::vector<float> y = round_trip(type, x);
    CHECK(std::fabs(y[256] - x[256]) <= std::fabs(x[256]) * 0x1p-10f);
    const std::vector<float> first(x.begin(), x.begin() + 256);
    CHECK(std::vector<float>(y.begin(), y.begin() + 256) == round_trip(type, first));  // blocks are independent
  }
}

TEST_CASE("k-quants: NaN and ±Inf are replaced per sub-block before the search") {
  // ggml's reference has no guard. Derivation for Q4_K with x[0] = +Inf: the
  // sub-block max is Inf, so iscale = 15/Inf = 0 and the fitted scale 1/0 =
  // Inf; max_scale = Inf gives inv_scale = 63/Inf = 0 and every 6-bit scale
  // nearest_int(0·…) = 0, d = fp16(Inf/63) = Inf, so every d·sc = Inf·0 = NaN
  // and the dequantizer's d·sc·q − dmin·m is NaN for all 256 values.
  std::vector<float> x = synthetic_tensor("normal", 256, 256, 5);
  x[0] = INFINITY;
  float raw[256];
  dequantize_kquant_block(KQuant::q4_k, quantize_kquant_block(KQuant::q4_k, x.data()), raw);
  for (float value : raw) REQUIRE(std::isnan(value));

  for (KQuant type : kAll) {
    CAPTURE(name_of(type));
    std::vector<float> odd = synthetic_tensor("normal", 300, 300, 7);
    odd[3] = NAN, odd[4] = INFINITY, odd[5] = -INFINITY, odd[260] = NAN;
    const std::vector<float> restored = round_trip(type, odd);
    for (float value : restored) REQUIRE(std::isfinite(value));
    // The rule, applied by hand: it must give the same codes as the guard.
    const size_t sub = kquant_sub_block(type);
    const bool with_min = type == KQuant::q2_k || type == KQuant::q4_k || type == KQuant::q5_k;
    std::vector<float> replaced = odd;
    for (size_t start : {size_t(0), size_t(256)}) {
      float low = INFINITY, high = -INFINITY;
      for (size_t i = start; i < std::min<size_t>(start + sub, 300); i++)
        if (std::isfinite(odd[i])) low = std::min(low, odd[i]), high = std::max(high, odd[i]);
      const float absmax = std::max(std::fabs(low), std::fabs(high));
      for (size_t i = start; i < std::min<size_t>(start + sub, 300); i++) {
        if (std::isnan(odd[i]))
          replaced[i] = with_min ? low : 0.0f;
        else if (std::isinf(odd[i]))
          replaced[i] = with_min ? (odd[i] > 0 ? high : low) : std::copysign(absmax, odd[i]);
      }
    }
    CHECK(round_trip(type, replaced) == restored);
  }
}

TEST_CASE("k-quants in the lab: measured, super-blocks of 256, scalar kernel, budget") {
  for (const char* format : {"q2_k", "q3_k", "q4_k", "q5_k", "q6_k"}) {
    CAPTURE(format);
    QuantLabInput input;
    input.format = format;
    input.n = 4096;
    const QuantLabResult result = run_quant_lab(input);
    REQUIRE(result.status.ok);
    CHECK(result.group_size == 256);
    CHECK(result.kernel == "scalar");
    CHECK(result.rel_rmse > 0);
    CHECK(result.rel_rmse < 0.5);
    for (double n : {1.0, 257.0}) {
      input.n = n;
      input.inject_nonfinite = n > 1;  // n = 1 would leave no finite value to measure
      const QuantLabResult small = run_quant_lab(input);
      REQUIRE(small.status.ok);
      CHECK(small.n == n);
      CHECK(std::isfinite(small.rel_rmse));
      CHECK_FALSE(small.nonfinite_behaviour.empty());
    }
  }
  // x and x̂ (4 + 4 bytes a weight) and one unpacked super-block per 256:
  // d, dmin (8) + 16 scales + 16 mins + 256 codes = 296 bytes.
  QuantLabInput big;
  big.format = "q4_k";
  big.n = 5e8;
  const QuantLabResult refused = run_quant_lab(big);
  CHECK(refused.status.field == "n");
  CHECK(refused.bytes_needed == 5e8 * 8 + std::ceil(5e8 / 256) * 296);
  CHECK(sizeof(KQuantBlock) == 296);
}

// SIMD primitives against their scalar twins, attention kernels against an
// fp64 reference, and the KV quantizers' round trips.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "attention/kernels.hpp"
#include "attention/kv_quant.hpp"
#include "sim/random.hpp"
#include "simd/simd.hpp"

using namespace llmst;

namespace {

std::vector<float> normal_vector(std::size_t count, std::uint64_t seed) {
  sim::Random random(seed);
  std::vector<float> x(count);
  for (float& value : x) value = float(random.normal());
  return x;
}

// Odd lengths around the 4-, 8- and 16-lane batch sizes and the tile sizes.
const std::size_t kLengths[] = {1, 2, 3, 5, 7, 15, 17, 31, 33, 63, 64, 65, 129};

}  // namespace

TEST_CASE("SIMD primitives agree with their scalar twins") {
  for (std::size_t n : kLengths) {
    CAPTURE(n);
    const auto a = normal_vector(n, 1), b = normal_vector(n, 2);
    // dot: both sum the same n products in different orders; fp32 rounding
    // of n terms of size ~1 stays far below 1e-5·n.
    CHECK(std::fabs(simd::dot(a.data(), b.data(), n) - simd::scalar::dot(a.data(), b.data(), n)) < 1e-5 * n);
    CHECK(simd::max(a.data(), n) == simd::scalar::max(a.data(), n));

    std::vector<float> e(n), e_ref(n);
    simd::exp(a.data(), e.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      CHECK(std::fabs(e[i] - std::exp(double(a[i]))) <= 4e-7 * std::exp(double(a[i])));

    auto s = a;
    std::vector<float> s_ref(n);
    simd::softmax(s.data(), s.data(), n);  // in place
    simd::scalar::softmax(a.data(), s_ref.data(), n);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(std::fabs(s[i] - s_ref[i]) < 1e-6);
      total += s[i];
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-5));

    // accumulate_rows(p, rows) is Σ p_j row_j; check against axpy of each row.
    const std::size_t row_count = 5;
    const auto rows = normal_vector(row_count * n, 3), p = normal_vector(row_count, 4);
    std::vector<float> out(n, 1.0f), out_ref(n, 0.5f);  // beta = 0.5 scales out first
    simd::accumulate_rows(p.data(), rows.data(), n, row_count, n, 0.5f, out.data());
    for (std::size_t j = 0; j < row_count; ++j) simd::scalar::axpy(out_ref.data(), p[j], rows.data() + j * n, n);
    for (std::size_t i = 0; i < n; ++i) CHECK(std::fabs(out[i] - out_ref[i]) < 1e-5);

    std::vector<float> dots(row_count);
    simd::dot_rows(a.data(), rows.data(), n, row_count, n, dots.data());
    for (std::size_t j = 0; j < row_count; ++j)
      CHECK(dots[j] == simd::dot(a.data(), rows.data() + j * n, n));  // same arithmetic per row
  }
}

TEST_CASE("exp: below the normal range at -100, exact at 0") {
  // 32 values, so every batch width (4, 8, 16 lanes) takes the vector path.
  const float base[] = {0.0f, -100.0f, -88.0f, 1.0f, -1.0f, 10.0f, 50.0f, -50.0f};
  float x[32], out[32];
  for (int i = 0; i < 32; ++i) x[i] = base[i % 8];
  simd::exp(x, out, 32);
  for (int i = 0; i < 32; i += 8) {
    CHECK(out[i] == 1.0f);
    CHECK(out[i + 1] < std::numeric_limits<float>::min());  // e^-100 ≈ 3.7e-44: flushed or denormal
    for (int j = 3; j < 8; ++j) CHECK(std::fabs(out[i + j] / std::exp(double(x[i + j])) - 1) < 4e-7);
  }
}

#ifndef LLMST_SCALAR_ONLY
TEST_CASE("exp_nonpositive: softmax's exp, 0 below -87, NaN kept") {
  using simd::vec::batch;
  constexpr std::size_t lanes = simd::vec::lanes;
  // Relative error over a dense sweep of [-87, 0], worst per band: rounding
  // t = x·log2 e to float costs up to half an ulp of t, so the bound grows
  // with |x| (no FMA in WASM SIMD; natively the compiler may fuse).
  struct Band {
    float lo;
    double bound;
    double worst;
  };
  Band bands[] = {{-1.0f, 4e-7, 0}, {-16.0f, 1.5e-6, 0}, {-87.0f, 5e-6, 0}};
  std::vector<float> x;
  for (int i = 0; i < 87000; ++i) x.push_back(-0.001f * float(i));
  for (float v : {0.0f, -0.0f, -1e-30f, -0.34657359f, -0.34657360f, -86.999f, -87.0f}) x.push_back(v);
  while (x.size() % lanes) x.push_back(0.0f);
  std::vector<float> out(x.size());
  for (std::size_t i = 0; i < x.size(); i += lanes)
    simd::vec::exp_nonpositive(batch::load_unaligned(x.data() + i)).store_unaligned(out.data() + i);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = std::exp(double(x[i]));
    const double error = std::fabs(out[i] - exact) / exact;
    for (Band& band : bands)
      if (x[i] >= band.lo) band.worst = std::max(band.worst, error);
  }
  for (const Band& band : bands) {
    CAPTURE(band.lo);
    CHECK(band.worst < band.bound);
    MESSAGE("exp_nonpositive on [" << band.lo << ", 0]: worst relative error " << band.worst);
  }

  alignas(64) float special[16] = {-87.5f, -100.0f, -std::numeric_limits<float>::infinity(),
                                   std::numeric_limits<float>::quiet_NaN()};
  for (int i = 4; i < 16; ++i) special[i] = special[i % 4];
  float result[16];
  for (std::size_t i = 0; i < 16; i += lanes)
    simd::vec::exp_nonpositive(batch::load_unaligned(special + i)).store_unaligned(result + i);
  for (int i = 0; i < 16; i += 4) {
    CHECK(result[i] == 0.0f);
    CHECK(result[i + 1] == 0.0f);
    CHECK(result[i + 2] == 0.0f);
    CHECK(std::isnan(result[i + 3]));
  }
}
#endif

TEST_CASE("round_to_int32: half to even, saturating, NaN to 0, in every build") {
  const float base[] = {
      0.5f,  1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.49f, -127.51f, 3e9f, -3e9f, std::numeric_limits<float>::quiet_NaN(),
      1e-30f};
  const std::int32_t expected[] = {0, 2, 2, 0, -2, -2, 126, -128, 2147483647, -2147483647 - 1, 0, 0};
  float x[48];  // four copies: every batch width takes the vector path
  std::int32_t out[48];
  for (int i = 0; i < 48; ++i) x[i] = base[i % 12];
  simd::round_to_int32(x, out, 48);
  for (int i = 0; i < 48; ++i) {
    CAPTURE(i);
    CHECK(out[i] == expected[i % 12]);
    CHECK(simd::scalar::round_to_int32(x[i]) == expected[i % 12]);
  }
}

template <class Ops>
void check_prefill_kernels(const char* name) {
  // Sizes around the 32-query and 64-key tiles, plus n = 1 and d = 1.
  for (std::size_t n : {1, 2, 31, 33, 64, 65, 100, 130}) {
    for (std::size_t d : {1, 3, 16, 64}) {
      CAPTURE(name);
      CAPTURE(n);
      CAPTURE(d);
      const auto q = normal_vector(n * d, 10 + n), k = normal_vector(n * d, 20 + d), v = normal_vector(n * d, 30);
      std::vector<float> naive(n * d), tiled(n * d), scores(attention::naive_workspace_floats(n)),
          workspace(attention::tiled_workspace_floats());
      attention::attention_naive<Ops>(q.data(), k.data(), v.data(), naive.data(), scores.data(), n, d);
      attention::attention_tiled<Ops>(q.data(), k.data(), v.data(), tiled.data(), workspace.data(), n, d);
      std::vector<double> exact(d);
      double naive_error = 0, tiled_error = 0, between = 0;
      for (std::size_t i = 0; i < n; ++i) {
        attention::attention_reference_row(q.data() + i * d, k.data(), v.data(), i + 1, d, d, exact.data());
        for (std::size_t c = 0; c < d; ++c) {
          naive_error = std::max(naive_error, std::fabs(naive[i * d + c] - exact[c]));
          tiled_error = std::max(tiled_error, std::fabs(tiled[i * d + c] - exact[c]));
          between = std::max(between, double(std::fabs(naive[i * d + c] - tiled[i * d + c])));
        }
      }
      CHECK(naive_error < 1e-5);
      CHECK(tiled_error < 1e-5);
      CHECK(between < 1e-5);
    }
  }
}

TEST_CASE("prefill: tiled = naive = fp64 reference within 1e-5 on odd sizes") {
  check_prefill_kernels<simd::Active>("active");
  check_prefill_kernels<simd::Scalar>("scalar");
}

TEST_CASE("prefill: row 0 attends only to itself (causal), so out_0 = v_0") {
  const std::size_t n = 40, d = 8;
  const auto q = normal_vector(n * d, 1), k = normal_vector(n * d, 2), v = normal_vector(n * d, 3);
  std::vector<float> out(n * d), workspace(attention::tiled_workspace_floats());
  attention::attention_tiled(q.data(), k.data(), v.data(), out.data(), workspace.data(), n, d);
  for (std::size_t c = 0; c < d; ++c) CHECK(out[c] == doctest::Approx(v[c]).epsilon(1e-6));
}

TEST_CASE("decode step over a strided head slice matches fp64") {
  const std::size_t keys = 77, d = 64, stride = 3 * d;  // head 1 of 3 in a wider cache
  const auto q = normal_vector(d, 5), k = normal_vector(keys * stride, 6), v = normal_vector(keys * stride, 7);
  std::vector<float> out(d), scores(attention::decode_workspace_floats(keys));
  attention::attention_decode(q.data(), k.data() + d, v.data() + d, keys, d, stride, out.data(), scores.data());
  std::vector<double> exact(d);
  attention::attention_reference_row(q.data(), k.data() + d, v.data() + d, keys, d, stride, exact.data());
  for (std::size_t c = 0; c < d; ++c) CHECK(std::fabs(out[c] - exact[c]) < 1e-5);
}

template <class Ops>
void check_decode_group(const char* twin) {
  CAPTURE(twin);
  // 4 query heads share KV head 1 of 2 (GQA), 0, 1 or 77 keys, odd d
  for (const std::size_t keys : {std::size_t(0), std::size_t(1), std::size_t(77)}) {
    const std::size_t d = 33, queries = 4, stride = 2 * d;
    CAPTURE(keys);
    const auto q = normal_vector(queries * d, 8), k = normal_vector((keys + 1) * stride, 9),
               v = normal_vector((keys + 1) * stride, 10);
    std::vector<float> out(queries * d), scores(queries * std::max<std::size_t>(keys, 1)), one(d),
        one_scores(std::max<std::size_t>(keys, 1));
    attention::attention_decode_group<Ops>(q.data(), k.data() + d, v.data() + d, keys, d, stride, queries, out.data(),
                                           scores.data());
    std::vector<double> exact(d);
    for (std::size_t g = 0; g < queries; ++g) {
      attention::attention_decode<Ops>(q.data() + g * d, k.data() + d, v.data() + d, keys, d, stride, one.data(),
                                       one_scores.data());
      attention::attention_reference_row(q.data() + g * d, k.data() + d, v.data() + d, keys, d, stride, exact.data());
      for (std::size_t c = 0; c < d; ++c) {
        CHECK(out[g * d + c] == one[c]);  // the same arithmetic per query: bit for bit
        CHECK(std::fabs(out[g * d + c] - exact[c]) < 1e-5);
      }
    }
  }
}

TEST_CASE("GQA decode step: a group of queries over one KV head = attention_decode per query") {
  check_decode_group<simd::Active>("active");
  check_decode_group<simd::Scalar>("scalar");
}

template <class Ops>
void check_decode_runs(const char* twin) {
  CAPTURE(twin);
  // 149 keys of KV head 1 of 2 in three runs, as recompute hands them over:
  // 70 recomputed rows in a scratch (stride d), then a wrapped ring read in
  // place (stride 2·d) from slot 5 to its end and from slot 0. Run boundaries
  // fall inside the kernel's 64-key blocks. Expected: the kernel over the same
  // rows copied into one buffer (what decode did before), bit for bit.
  const std::size_t d = 33, queries = 3, stride = 2 * d, ring = 79, first = 5;
  const std::size_t scratch_rows = 70, keys = scratch_rows + ring;
  const auto q = normal_vector(queries * d, 11);
  const auto k_scratch = normal_vector(scratch_rows * d, 12), v_scratch = normal_vector(scratch_rows * d, 13);
  const auto k_ring = normal_vector(ring * stride, 14), v_ring = normal_vector(ring * stride, 15);
  const attention::KvRows runs[] = {
      {k_scratch.data(), v_scratch.data(), scratch_rows, d},
      {k_ring.data() + first * stride + d, v_ring.data() + first * stride + d, ring - first, stride},
      {k_ring.data() + d, v_ring.data() + d, first, stride}};
  std::vector<float> k(keys * d), v(keys * d);
  std::size_t row = 0;
  for (const attention::KvRows& run : runs)
    for (std::size_t j = 0; j < run.rows; ++j, ++row) {
      std::copy(run.k + j * run.stride, run.k + j * run.stride + d, k.begin() + row * d);
      std::copy(run.v + j * run.stride, run.v + j * run.stride + d, v.begin() + row * d);
    }
  std::vector<float> out(queries * d), copied(queries * d), scores(queries * keys);
  attention::attention_decode_runs<Ops>(q.data(), runs, 3, d, queries, out.data(), scores.data());
  attention::attention_decode_group<Ops>(q.data(), k.data(), v.data(), keys, d, d, queries, copied.data(),
                                         scores.data());
  std::vector<double> exact(d);
  double max_difference = 0;
  for (std::size_t g = 0; g < queries; ++g) {
    attention::attention_reference_row(q.data() + g * d, k.data(), v.data(), keys, d, d, exact.data());
    for (std::size_t c = 0; c < d; ++c) {
      CHECK(out[g * d + c] == copied[g * d + c]);
      max_difference = std::max(max_difference, std::fabs(out[g * d + c] - exact[c]));
    }
  }
  CHECK(max_difference < 1e-5);
  // An empty run changes nothing; no rows at all give zeros.
  const attention::KvRows with_empty[] = {runs[0], {nullptr, nullptr, 0, stride}, runs[1], runs[2]};
  attention::attention_decode_runs<Ops>(q.data(), with_empty, 4, d, queries, copied.data(), scores.data());
  CHECK(copied == out);
  attention::attention_decode_runs<Ops>(q.data(), runs, 0, d, queries, out.data(), scores.data());
  CHECK(std::all_of(out.begin(), out.end(), [](float x) { return x == 0.0f; }));
}

TEST_CASE("decode over rows in runs (scratch + wrapped ring) = over the rows copied together") {
  check_decode_runs<simd::Active>("active");
  check_decode_runs<simd::Scalar>("scalar");
}

TEST_CASE("KV quantizers: values on the grid round-trip exactly") {
  using attention::KvLayout;
  for (int bits : {8, 4}) {
    for (KvLayout layout : {KvLayout::per_token, KvLayout::per_channel}) {
      const int q_max = bits == 8 ? 127 : 7;
      const std::size_t rows = 6, cols = 10, group = 3;
      // x = code · 0.25 with every group reaching ±q_max, so scale = 0.25 exactly.
      std::vector<float> x(rows * cols);
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
          const std::size_t within = layout == KvLayout::per_token ? c % group : r % group;
          const int code =
              within == 0 ? ((r + c) % 2 ? q_max : -q_max) : int((r * 7 + c * 3) % (2 * q_max + 1)) - q_max;
          x[r * cols + c] = 0.25f * float(code);
        }
      std::vector<std::uint8_t> codes(attention::kv_code_bytes(rows * cols, bits));
      std::vector<float> scales(attention::kv_scale_count(rows, cols, layout, group));
      attention::quantize_kv(x.data(), rows, cols, bits, layout, group, codes.data(), scales.data());
      std::vector<float> back(rows * cols);
      attention::dequantize_kv(codes.data(), scales.data(), rows, cols, bits, layout, group, 0, rows, 0, cols,
                               back.data());
      CAPTURE(bits);
      CHECK(back == x);
      // A slice (rows 2..5, columns 4..9) reads the same values.
      std::vector<float> slice(3 * 5);
      attention::dequantize_kv(codes.data(), scales.data(), rows, cols, bits, layout, group, 2, 5, 4, 9, slice.data());
      for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 5; ++c) CHECK(slice[r * 5 + c] == x[(r + 2) * cols + c + 4]);
    }
  }
}

TEST_CASE("KV quantizers: error at most half a step; zero groups stay zero") {
  using attention::KvLayout;
  const std::size_t rows = 5, cols = 37, group = 8;
  auto x = normal_vector(rows * cols, 9);
  for (std::size_t c = 0; c < 8; ++c) x[c] = 0.0f;  // row 0, first group: all zero
  for (int bits : {8, 4}) {
    for (KvLayout layout : {KvLayout::per_token, KvLayout::per_channel}) {
      std::vector<std::uint8_t> codes(attention::kv_code_bytes(rows * cols, bits));
      std::vector<float> scales(attention::kv_scale_count(rows, cols, layout, group));
      attention::quantize_kv(x.data(), rows, cols, bits, layout, group, codes.data(), scales.data());
      std::vector<float> back(rows * cols);
      attention::dequantize_kv(codes.data(), scales.data(), rows, cols, bits, layout, group, 0, rows, 0, cols,
                               back.data());
      float largest_scale = 0;
      for (float scale : scales) largest_scale = std::max(largest_scale, scale);
      for (std::size_t i = 0; i < rows * cols; ++i) CHECK(std::fabs(back[i] - x[i]) <= 0.5f * largest_scale * 1.0001f);
      if (layout == KvLayout::per_token) CHECK(scales[0] == 0.0f);
      for (std::size_t c = 0; c < 8; ++c) CHECK(back[c] == 0.0f);
    }
  }
}

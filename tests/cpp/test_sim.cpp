// Measured runners: what they refuse, what their masks keep, and that
// recompute-on-evict reproduces the full cache.
#include <doctest/doctest.h>
#include "check_or_return.hpp"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "sim/attention_runs.hpp"
#include "sim/decode_kv.hpp"
#include "sim/kernel_bench.hpp"
#include "sim/random.hpp"

using namespace llmst;
using namespace llmst::sim;

TEST_CASE("attended_tokens lists exactly the kept tokens") {
  using V = std::vector<std::int64_t>;
  CHECK(attended_tokens("full", 3, 2, 1) == V{0, 1, 2, 3});
  CHECK(attended_tokens("recompute", 3, 2, 1) == V{0, 1, 2, 3});  // exact: all tokens
  CHECK(attended_tokens("window", 9, 4, 0) == V{6, 7, 8, 9});     // last 4
  CHECK(attended_tokens("window", 2, 4, 0) == V{0, 1, 2});        // fewer than the window yet
  CHECK(attended_tokens("sinks", 9, 3, 2) == V{0, 1, 7, 8, 9});   // 2 sinks + last 3
  CHECK(attended_tokens("sinks", 3, 3, 2) == V{0, 1, 2, 3});      // sinks and window overlap
  CHECK(attended_tokens("sinks", 0, 3, 2) == V{0});
}

DecodeInput small_decode(const std::string& strategy) {
  DecodeInput input;
  input.strategy = strategy;
  input.prompt_tokens = 40;
  input.generated_tokens = 30;
  input.d_model = 32;
  input.heads = 4;
  input.cache_tokens = 8;
  input.sinks = 3;
  input.kv_group = 8;
  return input;
}

TEST_CASE("window and sinks attend to exactly the tokens they claim, and change the output") {
  for (const char* strategy : {"window", "sinks", "full"}) {
    CAPTURE(strategy);
    const DecodeResult result = run_decode(small_decode(strategy));
    CHECK_OR_RETURN(result.status.ok);
    CHECK(result.measured_steps == 30);
    // fp64 attention over exactly attended_tokens(...) vs the strategy's output
    CHECK(result.mask_check_max_abs < 1e-5);
    // last step: position 69; window keeps 8, sinks 3 + 8, full all 70
    const double expected_keys = std::string(strategy) == "window" ? 8 : std::string(strategy) == "sinks" ? 11 : 70;
    CHECK(result.attended_tokens == expected_keys);
    if (std::string(strategy) == "full")
      CHECK(result.max_abs_error == 0);
    else
      CHECK(result.max_abs_error > 1e-3);  // dropping 59+ of 70 tokens moves the output
    // K and V of the kept slots, fp32: 2 · slots · d_model · 4 bytes
    const double slots = std::string(strategy) == "window" ? 8 : std::string(strategy) == "sinks" ? 11 : 70;
    CHECK(result.kv_bytes == 2 * slots * 32 * 4);
  }
}

TEST_CASE("recompute-on-evict and no-cache equal the full cache exactly") {
  for (const char* strategy : {"recompute", "none"}) {
    CAPTURE(strategy);
    const DecodeResult result = run_decode(small_decode(strategy));
    CHECK_OR_RETURN(result.status.ok);
    CHECK(result.max_abs_error == 0);  // same per-head projection, same key order
    CHECK(result.min_cosine == doctest::Approx(1.0));
    CHECK(result.mask_check_max_abs < 1e-5);
    // Evicted tokens summed over generated steps t = 40..69 (keys t+1):
    // recompute keeps 8 ⇒ Σ (t+1−8) = Σ_{k=41}^{70} (k−8) = 1665 − 240 = 1425;
    // none keeps 0 ⇒ Σ_{k=41}^{70} k = 1665.
    const double evicted = std::string(strategy) == "recompute" ? 1425 : 1665;
    CHECK(result.recomputed_tokens == evicted);
    CHECK(result.recomputed_flops == evicted * 4 * 32 * 32);  // K and V: 2 · 2·d_model² each
    CHECK(result.hidden_bytes == 70 * 32 * 4);
  }
}

TEST_CASE("decode time split: the parts add up to the measured steps, each where its work is") {
  for (const char* strategy : {"full", "window", "sinks", "recompute", "none", "seed", "int8", "int4"}) {
    for (const char* layout : {"per_token", "per_channel"}) {
      CAPTURE(strategy);
      CAPTURE(layout);
      DecodeInput input = small_decode(strategy);
      input.kv_layout = layout;
      const auto start = std::chrono::steady_clock::now();
      const DecodeResult result = run_decode(input);
      const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      CHECK_OR_RETURN(result.status.ok);
      const DecodeTimeSplit& split = result.time_split_s;
      const double sum =
          split.projection + split.store + split.recompute + split.dequantize + split.attend + split.output;
      // seconds is the sum of the parts in clock ticks (each step's clock
      // reads at its part boundaries), converted once: equal up to the
      // rounding of six tick-to-second conversions and four additions.
      CHECK(result.seconds > 0);
      CHECK(std::fabs(sum - result.seconds) <= 1e-12 * result.seconds);
      // An independent clock around the whole call (prompt, untimed checks) bounds it.
      CHECK(result.seconds <= wall_s);
      CHECK(split.projection > 0);
      CHECK(split.attend > 0);
      const std::string s = strategy;
      const bool quantized = s == "int8" || s == "int4", hidden = s == "recompute" || s == "none" || s == "seed";
      // Work a strategy does not do takes no time: not even a clock read lands there.
      if (!hidden) CHECK(split.recompute == 0);
      if (!quantized) CHECK(split.dequantize == 0);
      if (hidden) CHECK(split.recompute > 0);  // 1425 or 1665 tokens recomputed (see above)
      if (quantized) CHECK(split.dequantize > 0);
      CHECK(split.output == 0);  // no output_projection
      // none recomputes all 41..70 tokens' K/V (4·32² FLOPs each, 4 heads) per
      // step against 4·70·32 FLOPs of attention: ~30× the work.
      if (s == "none") CHECK(split.recompute > split.attend);
    }
  }
}

TEST_CASE("quantized KV: bytes as laid out, error ordered int8 < int4") {
  DecodeInput int8 = small_decode("int8"), int4 = small_decode("int4");
  const DecodeResult r8 = run_decode(int8), r4 = run_decode(int4);
  CHECK_OR_RETURN(r8.status.ok);
  CHECK_OR_RETURN(r4.status.ok);
  // per_token, group 8: codes 70 tokens × 32 B (int8) or 16 B (int4), scales 70 × 4 fp32, for K and V
  CHECK(r8.kv_bytes == 2 * (70 * 32 + 70 * 4 * 4));
  CHECK(r4.kv_bytes == 2 * (70 * 16 + 70 * 4 * 4));
  CHECK(r8.max_abs_error > 0);
  CHECK(r8.max_abs_error < r4.max_abs_error);
  CHECK(r8.min_cosine > 0.999);
  CHECK(r4.min_cosine > 0.9);

  DecodeInput channel = small_decode("int8");
  channel.kv_layout = "per_channel";
  const DecodeResult rc = run_decode(channel);
  CHECK_OR_RETURN(rc.status.ok);
  // 70 tokens in blocks of 8: 9 blocks of scales (d_model each), codes for 70 tokens,
  // plus an fp32 residual block of 8 slots.
  CHECK(rc.kv_bytes == 2 * (70 * 32 + 9 * 32 * 4 + 8 * 32 * 4));
  CHECK(rc.min_cosine > 0.999);
}

TEST_CASE("run_decode rejects bad input by name") {
  auto field_of = [](DecodeInput input) { return run_decode(input).status.field; };
  DecodeInput input = small_decode("full");
  input.strategy = "bogus";
  CHECK(field_of(input) == "strategy");
  input = small_decode("full");
  input.heads = 5;  // does not divide 32
  CHECK(field_of(input) == "heads");
  input = small_decode("full");
  input.generated_tokens = NAN;
  CHECK(field_of(input) == "generated_tokens");
  input = small_decode("window");
  input.cache_tokens = 0;
  CHECK(field_of(input) == "cache_tokens");
  input = small_decode("int4");
  input.kv_group = 3;  // does not divide head_dim 8
  CHECK(field_of(input) == "kv_group");
  input = small_decode("full");
  input.d_model = 16384;
  input.generated_tokens = 1 << 20;
  CHECK(field_of(input) == "memory_budget_bytes");
}

// Every reported field of two decode runs (input aside).
void check_same_run(const DecodeResult& a, const DecodeResult& b) {
  CHECK(a.kv_heads == b.kv_heads);
  CHECK(a.measured_steps == b.measured_steps);
  CHECK(a.attended_tokens == b.attended_tokens);
  CHECK(a.kv_bytes == b.kv_bytes);
  CHECK(a.hidden_bytes == b.hidden_bytes);
  CHECK(a.weights_bytes == b.weights_bytes);
  CHECK(a.peak_bytes == b.peak_bytes);
  CHECK(a.recomputed_tokens == b.recomputed_tokens);
  CHECK(a.recomputed_flops == b.recomputed_flops);
  CHECK(a.flops_per_step == b.flops_per_step);
  CHECK(a.max_abs_error == b.max_abs_error);
  CHECK(a.min_cosine == b.min_cosine);
  CHECK(a.mean_cosine == b.mean_cosine);
  CHECK(a.mask_check_max_abs == b.mask_check_max_abs);
}

TEST_CASE("decode: kv_heads = heads is MHA, the same run as the default 0") {
  for (const char* strategy : {"full", "window", "sinks", "recompute", "none", "int8", "int4"}) {
    CAPTURE(strategy);
    DecodeInput mha = small_decode(strategy);
    mha.kv_heads = 4;
    const DecodeResult implied = run_decode(small_decode(strategy)), explicit_mha = run_decode(mha);
    CHECK_OR_RETURN(implied.status.ok);
    CHECK_OR_RETURN(explicit_mha.status.ok);
    CHECK(implied.kv_heads == 4);
    check_same_run(implied, explicit_mha);
  }
}

TEST_CASE("decode with GQA and MQA: KV bytes, FLOPs and masks follow kv_heads") {
  // small_decode: d_model 32, 4 heads of head_dim 8, 70 tokens (40 prompt + 30 generated).
  // KV row width = kv_heads · 8: GQA (2 KV heads) 16 floats, MQA (1) 8 floats.
  for (const double kv_heads : {2.0, 1.0}) {
    CAPTURE(kv_heads);
    const double width = kv_heads * 8;
    auto run = [&](const char* strategy) {
      DecodeInput input = small_decode(strategy);
      input.kv_heads = kv_heads;
      return run_decode(input);
    };
    const DecodeResult full = run("full"), window = run("window"), sinks = run("sinks"), recompute = run("recompute"),
                       int8 = run("int8"), int4 = run("int4");
    for (const DecodeResult* r : {&full, &window, &sinks, &recompute, &int8, &int4}) {
      CHECK_OR_RETURN(r->status.ok);
      CHECK(r->kv_heads == kv_heads);
      // fp64 over the claimed tokens of each query head's KV head (quantized KV changes
      // the values, not the tokens: its error is checked below)
      if (r != &int8 && r != &int4) CHECK(r->mask_check_max_abs < 1e-5);
      // Wq 32·32, Wk and Wv 32·width each, fp32
      CHECK(r->weights_bytes == (32 * 32 + 2 * 32 * width) * 4);
    }
    // fp32 K and V: 2 · slots · width · 4 (full 70 slots, window 8, sinks 3 + 8)
    CHECK(full.kv_bytes == 2 * 70 * width * 4);
    CHECK(window.kv_bytes == 2 * 8 * width * 4);
    CHECK(sinks.kv_bytes == 2 * 11 * width * 4);
    // per_token group 8 = one scale per KV head per token: codes 70 · width bytes
    // (int4: half), scales 70 · kv_heads fp32, for K and V
    CHECK(int8.kv_bytes == 2 * (70 * width + 70 * kv_heads * 4));
    CHECK(int4.kv_bytes == 2 * (70 * width / 2 + 70 * kv_heads * 4));
    CHECK(full.max_abs_error == 0);
    CHECK(recompute.max_abs_error == 0);  // recompute-on-evict stays exact under GQA
    CHECK(window.max_abs_error > 1e-3);
    CHECK(int8.min_cosine > 0.999);
    // Evicted tokens as in the MHA test (1425); each costs K and V: 2 · 2 · 32 · width
    CHECK(recompute.recomputed_flops == 1425 * 4 * 32 * width);
    // Full, last-step keys 70 at every measured step t = 40..69 (keys t+1): mean keys 55.5;
    // per step Q 2·32·32 + K, V 2·2·32·width + attention 4 · keys · 32
    CHECK(full.flops_per_step == doctest::Approx(2 * 32 * 32 + 4 * 32 * width + 4 * 55.5 * 32));
  }
}

TEST_CASE("decode: hidden_dim sets only the projections' input width") {
  for (const char* strategy : {"full", "recompute", "int8"}) {
    CAPTURE(strategy);
    DecodeInput same = small_decode(strategy);
    same.hidden_dim = 32;  // = d_model: the default
    const DecodeResult implied = run_decode(small_decode(strategy)), explicit_width = run_decode(same);
    CHECK_OR_RETURN(explicit_width.status.ok);
    CHECK(implied.hidden_dim == 32);
    check_same_run(implied, explicit_width);

    DecodeInput narrow = small_decode(strategy);
    narrow.hidden_dim = 8;
    narrow.kv_heads = 2;  // KV rows of 2 · 8 = 16 floats
    const DecodeResult r = run_decode(narrow);
    CHECK_OR_RETURN(r.status.ok);
    CHECK(r.hidden_dim == 8);
    // Wq 32 × 8, Wk and Wv 16 × 8 each, fp32
    CHECK(r.weights_bytes == (32 + 2 * 16) * 8 * 4);
    if (std::string(strategy) == "full") {
      CHECK(r.kv_bytes == 2 * 70 * 16 * 4);  // the KV cache keeps its shape
      CHECK(r.max_abs_error == 0);
      CHECK(r.mask_check_max_abs < 1e-5);
    }
    if (std::string(strategy) == "recompute") {
      CHECK(r.max_abs_error == 0);
      CHECK(r.hidden_bytes == 70 * 8 * 4);             // hidden states are 8 wide
      CHECK(r.recomputed_flops == 1425 * 4 * 8 * 16);  // K and V: 2 · 2 · 8 · 16 per token
    }
  }
  DecodeInput bad = small_decode("full");
  for (const double width : {double(NAN), -1.0, 1.5, 1e9}) {
    CAPTURE(width);
    bad.hidden_dim = width;
    CHECK(run_decode(bad).status.field == "hidden_dim");
  }
}

TEST_CASE("decode: bad kv_heads is refused by name; the budget follows kv_heads") {
  DecodeInput input = small_decode("full");
  input.d_model = 48;
  input.heads = 12;
  input.kv_heads = 5;
  DecodeResult r = run_decode(input);
  CHECK(r.status.field == "kv_heads");
  CHECK(r.status.message.find("kv_heads = 5") != std::string::npos);
  CHECK(r.status.message.find("heads = 12") != std::string::npos);
  for (const double bad : {double(NAN), -1.0, 24.0, 2.5}) {
    CAPTURE(bad);
    input.kv_heads = bad;
    CHECK(run_decode(input).status.field == "kv_heads");
  }
  input.kv_heads = 0;
  CHECK(run_decode(input).status.ok);

  // Full cache, 70 tokens, d_model 32, planned bytes = weights (32² + 2·32·w)·4
  // + K/V 2·70·w·4 + scores of one group (4 / kv_heads queries) 70·G·4
  // + reference K/V 2·70·w·4 + sequence 70·32·4:
  // MHA (w = 32, G = 1) 12,288 + 17,920 +   280 + 17,920 + 8,960 = 57,368;
  // MQA (w = 8,  G = 4)  6,144 +  4,480 + 1,120 +  4,480 + 8,960 = 25,184.
  DecodeInput mha = small_decode("full"), mqa = small_decode("full");
  mha.memory_budget_bytes = mqa.memory_budget_bytes = 40000;
  mqa.kv_heads = 1;
  r = run_decode(mha);
  CHECK(r.status.field == "memory_budget_bytes");
  CHECK(r.status.message.find("57368 bytes") != std::string::npos);
  CHECK(run_decode(mqa).status.ok);
  mqa.memory_budget_bytes = 25183;
  r = run_decode(mqa);
  CHECK(r.status.message.find("25184 bytes") != std::string::npos);
}

TEST_CASE("run_attention: both variants within 1e-5 of fp64, memory as planned") {
  AttentionRunInput input;
  input.n = 100;
  input.d = 16;
  input.heads = 2;
  const AttentionRunResult result = run_attention(input);
  CHECK_OR_RETURN(result.status.ok);
  CHECK_OR_RETURN(result.variants.size() == 2);
  CHECK(result.flops == 2 * 4.0 * 16 * 100 * 101 / 2);
  CHECK(result.input_bytes == 4 * 2 * 100 * 16 * 4);
  for (const auto& variant : result.variants) {
    CAPTURE(variant.variant);
    CHECK_FALSE(variant.refused);
    CHECK(variant.max_abs_error < 1e-5);
    CHECK(variant.peak_bytes == result.input_bytes + variant.workspace_bytes);
  }
  CHECK(result.variants[0].workspace_bytes == 100 * 100 * 4);  // naive: the n×n scores
  CHECK(result.variants[1].workspace_bytes < 1024);            // tiled: one tile row + m, l
}

TEST_CASE("run_attention refuses naive attention that does not fit, with the bytes") {
  AttentionRunInput input;
  input.n = 32768;
  input.d = 64;
  input.variant = "naive";
  const AttentionRunResult result = run_attention(input);
  CHECK_FALSE(result.status.ok);
  CHECK(result.status.field == "memory_budget_bytes");
  // scores 32768² · 4 = 4,294,967,296 B; q, k, v, out 4 · 32768 · 64 · 4 = 33,554,432 B
  CHECK(result.status.message.find("4328521728 bytes") != std::string::npos);

  input.variant = "both";
  input.n = 20000;  // naive needs 1.6 GB + inputs: set a 1 GiB budget to see one refused, one run
  input.memory_budget_bytes = 1 << 30;
  input.check_rows = 2;
  input.d = 1;
  const AttentionRunResult both = run_attention(input);
  CHECK_OR_RETURN(both.status.ok);
  CHECK(both.variants[0].refused);
  CHECK(both.variants[0].bytes_needed == 20000.0 * 20000 * 4 + 4 * 20000 * 4);
  CHECK_FALSE(both.variants[1].refused);
  CHECK(both.variants[1].max_abs_error < 1e-5);
}

TEST_CASE("normals_from: the i-th normal of a stream onwards, for even and odd i") {
  Random whole(7);
  std::vector<double> drawn(9);
  for (double& value : drawn) value = whole.normal();
  for (std::uint64_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    Random jumped = normals_from(7, i);
    for (std::uint64_t j = i; j < drawn.size(); ++j) CHECK(jumped.normal() == drawn[j]);  // bit for bit
  }
}

TEST_CASE("run_attention: slices of heads give the whole run's outputs bit for bit") {
  AttentionRunInput whole;
  whole.n = 37;  // heads · n · d odd: k and v start mid-pair in the stream
  whole.d = 3;
  whole.heads = 5;
  whole.check_rows = 37;
  const AttentionRunResult all = run_attention(whole);
  CHECK_OR_RETURN(all.status.ok);
  CHECK(all.heads_run == 5);
  for (const AttentionVariantResult& v : all.variants) {
    CHECK(v.head_output_hashes.size() == 5);
    // different heads draw different data: no two hashes alike
    for (std::size_t a = 0; a < 5; ++a)
      for (std::size_t b = a + 1; b < 5; ++b) CHECK(v.head_output_hashes[a] != v.head_output_hashes[b]);
  }
  // [0, 2) + [2, 3) + [3, 5): per-head hashes concatenate to the whole's; max |Δ| is the max of the slices'
  const double bounds[][2] = {{0, 2}, {2, 3}, {3, 5}};
  for (std::size_t variant = 0; variant < 2; ++variant) {
    std::vector<double> hashes;
    double max_error = 0, flops = 0;
    for (const auto& bound : bounds) {
      AttentionRunInput slice = whole;
      slice.head_begin = bound[0];
      slice.head_end = bound[1];
      const AttentionRunResult part = run_attention(slice);
      CHECK_OR_RETURN(part.status.ok);
      CHECK(part.heads_run == bound[1] - bound[0]);
      CHECK(part.input_bytes == 4 * (bound[1] - bound[0]) * 37 * 3 * 4);
      const AttentionVariantResult& v = part.variants[variant];
      hashes.insert(hashes.end(), v.head_output_hashes.begin(), v.head_output_hashes.end());
      max_error = std::max(max_error, v.max_abs_error);
      flops += part.flops;
    }
    CAPTURE(all.variants[variant].variant);
    CHECK(hashes == all.variants[variant].head_output_hashes);
    CHECK(max_error == all.variants[variant].max_abs_error);
    CHECK(flops == all.flops);
  }
}

TEST_CASE("run_decode: slices of KV heads give the whole run's outputs bit for bit") {
  // kv_heads 3 of 6 heads (GQA, groups of 2) and 3 of 3 (MHA); slices [0, 1) + [1, 3)
  const double bounds[][2] = {{0, 1}, {1, 3}};
  for (const char* strategy : {"full", "window", "sinks", "recompute", "none", "seed", "int8", "int4"})
    for (double heads : {6.0, 3.0}) {
      DecodeInput whole;
      whole.strategy = strategy;
      whole.prompt_tokens = 13;
      whole.generated_tokens = 9;
      whole.d_model = heads * 4;
      whole.heads = heads;
      whole.kv_heads = 3;
      whole.hidden_dim = 7;  // odd: every tensor after the first starts mid-pair in the stream
      whole.cache_tokens = 5;
      whole.sinks = 2;
      whole.kv_group = std::string(strategy) == "int4" ? 4 : 2;
      whole.kv_layout = std::string(strategy) == "int4" ? "per_channel" : "per_token";
      whole.runs = 5;
      CAPTURE(strategy);
      CAPTURE(heads);
      std::vector<float> all_outputs;
      const DecodeResult all = run_decode(whole, all_outputs);
      CHECK_OR_RETURN(all.status.ok);
      CHECK(all.kv_heads_run == 3);
      CHECK(all.kv_head_output_hashes.size() == 3);
      CHECK(all.cosine_terms.empty());
      const std::size_t width = std::size_t(whole.d_model), steps = std::size_t(all.measured_steps);
      std::vector<std::vector<float>> outputs(2);
      std::vector<DecodeResult> parts;
      for (std::size_t p = 0; p < 2; ++p) {
        DecodeInput slice = whole;
        slice.kv_head_begin = bounds[p][0];
        slice.kv_head_end = bounds[p][1];
        parts.push_back(run_decode(slice, outputs[p]));
        CHECK_OR_RETURN(parts[p].status.ok);
        CHECK(parts[p].kv_heads_run == bounds[p][1] - bounds[p][0]);
      }
      // each step's output is the slices' outputs side by side
      std::vector<float> joined;
      const std::size_t first_width = width / 3;
      for (std::size_t t = 0; t < steps; ++t) {
        joined.insert(joined.end(), outputs[0].begin() + t * first_width, outputs[0].begin() + (t + 1) * first_width);
        joined.insert(joined.end(), outputs[1].begin() + t * 2 * first_width,
                      outputs[1].begin() + (t + 1) * 2 * first_width);
      }
      CHECK(joined == all_outputs);
      std::vector<double> hashes = parts[0].kv_head_output_hashes;
      hashes.insert(hashes.end(), parts[1].kv_head_output_hashes.begin(), parts[1].kv_head_output_hashes.end());
      CHECK(hashes == all.kv_head_output_hashes);
      CHECK(std::max(parts[0].max_abs_error, parts[1].max_abs_error) == all.max_abs_error);
      CHECK(std::max(parts[0].mask_check_max_abs, parts[1].mask_check_max_abs) == all.mask_check_max_abs);
      // the cosines from the slices' terms, summed over KV heads in order (lib/parallel.js does the same)
      double min_cosine = 1, cosine_sum = 0;
      for (std::size_t t = 0; t < steps; ++t) {
        double dot = 0, norm_ref = 0, norm_out = 0;
        for (const DecodeResult& part : parts) {
          const std::size_t run = std::size_t(part.kv_heads_run);
          for (std::size_t g = 0; g < run; ++g) {
            const double* terms = part.cosine_terms.data() + (t * run + g) * 3;
            dot += terms[0];
            norm_ref += terms[1];
            norm_out += terms[2];
          }
        }
        const double cosine = norm_ref > 0 && norm_out > 0 ? dot / std::sqrt(norm_ref * norm_out) : 1.0;
        min_cosine = std::min(min_cosine, cosine);
        cosine_sum += cosine;
      }
      CHECK(min_cosine == all.min_cosine);
      CHECK(cosine_sum / double(steps) == all.mean_cosine);
      CHECK(parts[0].recomputed_tokens == all.recomputed_tokens);
      CHECK(parts[0].recomputed_flops + parts[1].recomputed_flops == doctest::Approx(all.recomputed_flops));
    }
}

TEST_CASE("run_decode refuses a bad slice of KV heads by name") {
  DecodeInput input;
  input.prompt_tokens = 4;
  input.generated_tokens = 4;
  input.d_model = 16;
  input.heads = 4;
  input.kv_heads = 2;
  input.kv_head_begin = 2;
  CHECK(run_decode(input).status.field == "kv_head_begin");
  input.kv_head_begin = 1;
  input.kv_head_end = 1;
  const DecodeResult empty = run_decode(input);
  CHECK(empty.status.field == "kv_head_end");
  CHECK(empty.status.message.find("kv_head_end = 1 must be above kv_head_begin = 1") != std::string::npos);
  input.kv_head_end = 3;
  CHECK(run_decode(input).status.field == "kv_head_end");
  input.kv_head_end = 2;
  CHECK(run_decode(input).status.ok);
  input.output_projection = true;
  const DecodeResult mixed = run_decode(input);
  CHECK(mixed.status.field == "output_projection");
  CHECK(mixed.status.message.find("mixes every head") != std::string::npos);
}

TEST_CASE("run_attention refuses a bad slice of heads by name") {
  AttentionRunInput input;
  input.n = 8;
  input.d = 4;
  input.heads = 4;
  input.head_begin = 4;
  CHECK(run_attention(input).status.field == "head_begin");
  input.head_begin = 2;
  input.head_end = 2;
  const AttentionRunResult empty = run_attention(input);
  CHECK(empty.status.field == "head_end");
  CHECK(empty.status.message.find("head_end = 2 must be above head_begin = 2") != std::string::npos);
  input.head_end = 5;
  CHECK(run_attention(input).status.field == "head_end");
  input.head_end = 1.5;
  CHECK(run_attention(input).status.field == "head_end");
}

TEST_CASE("run_attention rejects bad input by name") {
  AttentionRunInput input;
  input.n = 0;
  CHECK(run_attention(input).status.field == "n");
  input = {};
  input.d = 2.5;
  CHECK(run_attention(input).status.field == "d");
  input = {};
  input.variant = "flash";
  CHECK(run_attention(input).status.field == "variant");
}

TEST_CASE("seed experiment: window loses accuracy, recompute keeps it") {
  SeedExperimentInput input;
  input.sequence_lengths = {64};
  input.d_model = 32;
  input.heads = 4;
  input.sample_steps = 4;
  const SeedExperimentResult result = seed_experiment(input);
  CHECK_OR_RETURN(result.status.ok);
  CHECK_OR_RETURN(result.rows.size() == 3);
  // caches n = 64, 4√64 = 32, 8; prompt 32, generated 32
  CHECK(result.rows[0].cache_tokens == 64);
  CHECK(result.rows[1].cache_tokens == 32);
  CHECK(result.rows[2].cache_tokens == 8);
  CHECK(result.rows[0].window.max_abs_error == 0);  // a window of n is the full cache
  CHECK(result.rows[0].seed.max_abs_error == 0);    // and the seed's "Full" too
  for (const auto& row : result.rows) {
    CAPTURE(row.cache_label);
    CHECK(row.recompute.max_abs_error == 0);
    CHECK(row.none.max_abs_error == 0);
    // the seed's output is the window's of W + 1 cached tokens (to float rounding)
    CHECK(row.seed.max_abs_error == doctest::Approx(row.window.max_abs_error).epsilon(1e-4));
    CHECK(row.seed.min_cosine == doctest::Approx(row.window.min_cosine).epsilon(1e-6));
    CHECK(row.seed.kv_bytes == 0);
    // every run ends with Wo (2·32² FLOPs), like the seed's step
    for (const DecodeResult* run : {&row.seed, &row.window, &row.recompute, &row.none})
      CHECK(run->flops_by_part.output == 2 * 32 * 32);
    // the last step (t = 63) re-projects min(64, W + 1) tokens' K and V
    CHECK(row.seed.attended_tokens == std::min(64.0, row.cache_tokens + 1));
    CHECK(row.readme_tokens_per_s_min == 0);  // the README printed n = 2048 only
    if (row.cache_tokens < 64) {
      CHECK(row.window.max_abs_error > 1e-3);
      CHECK(row.recompute.recomputed_flops > 0);
      CHECK(row.window.kv_bytes == 2 * (row.cache_tokens + 1) * 32 * 4);
      CHECK(row.seed.hidden_bytes == (row.cache_tokens + 1) * 32 * 4);  // its ring of hidden states
    }
    CHECK(row.window_vs_seed == doctest::Approx(row.window.tokens_per_s / row.seed.tokens_per_s));
  }
}

// The seed program's step written out plainly in fp64, from the documented
// synthetic data (attention_runs.hpp): one Random stream, x then Wq, Wk, Wv,
// Wo, each normal() rounded to float, each W scaled by the float 1/√(input width).
// Returns the output o_t = Wo · attention(q_t; K, V of tokens t−W..t) for each
// generated step t, concatenated.
std::vector<double> seed_program_fp64(std::size_t prompt, std::size_t generated, std::size_t d_model, std::size_t heads,
                                      std::size_t window) {
  const std::size_t n = prompt + generated, D = d_model, hd = D / heads;
  Random random(1);
  const auto draw = [&](std::size_t count, double scale) {
    std::vector<float> values(count);
    for (float& value : values) value = static_cast<float>(random.normal());
    if (scale != 1)
      for (float& value : values) value *= static_cast<float>(scale);
    return values;
  };
  const std::vector<float> x = draw(n * D, 1), w_q = draw(D * D, 1 / std::sqrt(double(D))),
                           w_k = draw(D * D, 1 / std::sqrt(double(D))), w_v = draw(D * D, 1 / std::sqrt(double(D))),
                           w_o = draw(D * D, 1 / std::sqrt(double(D)));
  const auto project = [&](const std::vector<float>& w, const double* in, std::vector<double>& out) {
    for (std::size_t r = 0; r < D; ++r) {
      double sum = 0;
      for (std::size_t c = 0; c < D; ++c) sum += double(w[r * D + c]) * in[c];
      out[r] = sum;
    }
  };
  std::vector<double> outputs, x_u(D), q(D), attended(D), o(D);
  for (std::size_t t = prompt; t < n; ++t) {
    const std::size_t first = t >= window ? t - window : 0;
    std::vector<std::vector<double>> k, v;  // re-projected every step: no cache
    for (std::size_t u = first; u <= t; ++u) {
      for (std::size_t c = 0; c < D; ++c) x_u[c] = x[u * D + c];
      std::vector<double> k_u(D), v_u(D);
      project(w_k, x_u.data(), k_u);
      project(w_v, x_u.data(), v_u);
      k.push_back(k_u);
      v.push_back(v_u);
    }
    for (std::size_t c = 0; c < D; ++c) x_u[c] = x[t * D + c];
    project(w_q, x_u.data(), q);
    for (std::size_t h = 0; h < heads; ++h) {
      std::vector<double> scores(k.size());
      double max_score = -1e300, sum = 0;
      for (std::size_t j = 0; j < k.size(); ++j) {
        double dot = 0;
        for (std::size_t c = h * hd; c < (h + 1) * hd; ++c) dot += q[c] * k[j][c];
        scores[j] = dot / std::sqrt(double(hd));
        max_score = std::max(max_score, scores[j]);
      }
      for (double& score : scores) sum += (score = std::exp(score - max_score));
      for (std::size_t c = h * hd; c < (h + 1) * hd; ++c) {
        double value = 0;
        for (std::size_t j = 0; j < k.size(); ++j) value += scores[j] / sum * v[j][c];
        attended[c] = value;
      }
    }
    project(w_o, attended.data(), o);
    outputs.insert(outputs.end(), o.begin(), o.end());
  }
  return outputs;
}

TEST_CASE("seed strategy: the seed program's step, equal to its fp64 port and to window W + 1") {
  for (double window : {0.0, 5.0, 40.0}) {  // none kept; evicting; the whole sequence
    CAPTURE(window);
    DecodeInput input;
    input.strategy = "seed";
    input.prompt_tokens = 20;
    input.generated_tokens = 12;
    input.d_model = 32;
    input.heads = 4;
    input.cache_tokens = window;
    input.output_projection = true;
    std::vector<float> seed_out;
    const DecodeResult seed = run_decode(input, seed_out);
    CHECK_OR_RETURN(seed.status.ok);
    const std::vector<double> expected = seed_program_fp64(20, 12, 32, 4, std::size_t(window));
    CHECK_OR_RETURN(seed_out.size() == expected.size());
    double max_difference = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
      max_difference = std::max(max_difference, std::fabs(double(seed_out[i]) - expected[i]));
    MESSAGE("seed vs fp64 port, max |Δ| = " << max_difference);
    CHECK(max_difference < 1e-5);  // fp32 sums of 32 products of ~N(0,1) values
    CHECK(seed.mask_check_max_abs < 1e-5);
    CHECK(seed.kv_bytes == 0);
    CHECK(seed.hidden_bytes == std::min(32.0, window + 1) * 32 * 4);

    // window with W + 1 cached tokens reads the same rows: the same output
    input.strategy = "window";
    input.cache_tokens = window + 1;
    std::vector<float> window_out;
    const DecodeResult cached = run_decode(input, window_out);
    CHECK_OR_RETURN(cached.status.ok);
    double window_difference = 0;
    for (std::size_t i = 0; i < seed_out.size() && i < window_out.size(); ++i)
      window_difference = std::max(window_difference, std::fabs(double(window_out[i]) - seed_out[i]));
    MESSAGE("seed vs window W + 1, max |Δ| = " << window_difference);
    // Bit for bit until the window's ring wraps; after that window reads its
    // ring in slot order (gather_slots), a rotation of token order, so the
    // softmax sum and PV add the same terms in another order: 4.8e-7 here.
    CHECK(window_difference < 1e-5);
  }
}

TEST_CASE("seed strategy: FLOPs per step by part, counted by hand at the seed's shapes") {
  // Hidden 768, 12 heads × 64, output projection. A step of the seed with a
  // cache of W attends to W + 1 tokens and projects all their K/V again:
  //   Q: 2·768² = 1,179,648; K/V: (W + 1)·2·2·768² = (W + 1)·2,359,296;
  //   attention: QKᵀ and PV, 2·64 FLOPs each per key per head: 4·768·(W + 1);
  //   output: 2·768² = 1,179,648.
  // W = 8: 9 tokens ⇒ 21,233,664 + 27,648 + 2·1,179,648 = 23,620,608 (≈ 24 MFLOP).
  // W = 181 (⌊4√2048⌋): 182 tokens ⇒ 429,391,872 of K/V (≈ 430 MFLOP).
  const struct {
    double window, prompt, kv, attention, total;
  } cases[] = {
      {8, 16, 21233664, 27648, 23620608},
      {181, 182, 429391872, 559104, 429391872 + 559104 + 2 * 1179648},
  };
  for (const auto& c : cases) {
    CAPTURE(c.window);
    DecodeInput input;
    input.strategy = "seed";
    input.prompt_tokens = c.prompt;  // every measured step is past the window: W + 1 keys
    input.generated_tokens = 1;
    input.d_model = 768;
    input.heads = 12;
    input.cache_tokens = c.window;
    input.output_projection = true;
    const DecodeResult result = run_decode(input);
    CHECK_OR_RETURN(result.status.ok);
    CHECK(result.attended_tokens == c.window + 1);
    CHECK(result.flops_by_part.q_projection == 1179648);
    CHECK(result.flops_by_part.kv_projection == c.kv);
    CHECK(result.flops_by_part.attention == c.attention);
    CHECK(result.flops_by_part.output == 1179648);
    CHECK(result.flops_per_step == c.total);
    CHECK(result.recomputed_tokens == c.window + 1);
    CHECK(result.time_split_s.output > 0);
    CHECK(result.time_split_s.recompute > 0);
  }
  // The window of W + 1 = 9 cached tokens gives the same output from K/V
  // projected once, on arrival: 1,179,648 + 2,359,296 + 27,648 = 3,566,592
  // (≈ 3.6 MFLOP) + the same Wo.
  DecodeInput window;
  window.strategy = "window";
  window.prompt_tokens = 16;
  window.generated_tokens = 1;
  window.cache_tokens = 9;
  window.output_projection = true;
  const DecodeResult cached = run_decode(window);
  CHECK_OR_RETURN(cached.status.ok);
  CHECK(cached.flops_by_part.kv_projection == 2359296);
  CHECK(cached.flops_per_step == 3566592 + 1179648);
}

TEST_CASE("timing_stats: quartiles by linear interpolation, and a decode run's steps") {
  // Sorted 1..5: median 3, quartiles at positions 1 and 3 (type 7).
  const sim::TimingStats five = sim::timing_stats({5, 1, 4, 2, 3});
  CHECK(five.runs == 5);
  CHECK(five.median_s == 3);
  CHECK(five.q1_s == 2);
  CHECK(five.q3_s == 4);
  CHECK(five.min_s == 1);
  CHECK(five.max_s == 5);
  // 1, 2, 3, 4: median 2.5, q1 at position 0.75 = 1.75, q3 at 2.25 = 3.25.
  const sim::TimingStats four = sim::timing_stats({4, 3, 2, 1});
  CHECK(four.median_s == 2.5);
  CHECK(four.q1_s == 1.75);
  CHECK(four.q3_s == 3.25);
  CHECK(sim::timing_stats({}).runs == 0);

  sim::DecodeInput in;
  in.strategy = "window";
  in.d_model = 64;
  in.heads = 4;
  in.prompt_tokens = 32;
  in.generated_tokens = 16;
  in.cache_tokens = 16;
  in.sample_steps = 8;
  const sim::DecodeResult r = sim::run_decode(in);
  REQUIRE(r.status.ok);
  CHECK(r.step_time.runs == r.measured_steps);
  CHECK(r.step_time.min_s <= r.step_time.q1_s);
  CHECK(r.step_time.q1_s <= r.step_time.median_s);
  CHECK(r.step_time.median_s <= r.step_time.q3_s);
  CHECK(r.step_time.q3_s <= r.step_time.max_s);
  // The runs: seconds is the median run's total, its split adds up to it.
  CHECK(r.time.runs == 5);
  CHECK(r.time.min_s <= r.time.q1_s);
  CHECK(r.time.q1_s <= r.time.median_s);
  CHECK(r.time.median_s <= r.time.q3_s);
  CHECK(r.time.q3_s <= r.time.max_s);
  CHECK(r.seconds == r.time.median_s);  // odd runs: the median is a run
  // Each step's median lies within the slowest run's total.
  CHECK(r.step_time.max_s <= r.time.max_s);
}

TEST_CASE("time_runs: a warm-up, then runs samples of batches lasting min_sample_s; median_index") {
  int calls = 0;
  double timed = 0;
  const sim::TimingStats quick = sim::time_runs([&] { ++calls; }, 7, 0, &timed);
  CHECK(quick.runs == 7);
  CHECK(timed == 7);
  CHECK(calls == 8);  // one untimed warm-up
  volatile double sink = 0;
  const sim::TimingStats batched = sim::time_runs(
      [&] {
        for (int i = 0; i < 100; ++i) sink = sink + i;
      },
      5, 0.001, &timed);
  CHECK(batched.runs == 5);
  CHECK(timed >= 5);
  // ~100 additions per call: a batch long enough for 1 ms holds many calls, a power of two
  const double batch = timed / 5;
  CHECK(batch >= 2);
  CHECK(std::exp2(std::round(std::log2(batch))) == batch);
  CHECK(batched.min_s > 0);
  CHECK(sim::median_index({3, 1, 2}) == 2);
  CHECK(sim::median_index({4, 1, 3, 2}) == 3);  // the lower middle (2) sits at index 3
  CHECK(sim::check_runs(5).ok);
  CHECK(sim::check_runs(100).ok);
  for (double bad : {4.0, 101.0, 5.5, double(NAN)}) {
    CAPTURE(bad);
    const Status status = sim::check_runs(bad);
    CHECK_FALSE(status.ok);
    CHECK(status.field == "runs");
  }
}

TEST_CASE("every measured runner reports runs timings with their spread, and refuses runs below 5") {
  const auto ordered = [](const sim::TimingStats& t, double runs) {
    CHECK(t.runs == runs);
    CHECK(t.min_s > 0);
    CHECK(t.min_s <= t.q1_s);
    CHECK(t.q1_s <= t.median_s);
    CHECK(t.median_s <= t.q3_s);
    CHECK(t.q3_s <= t.max_s);
  };
  AttentionRunInput prefill;
  prefill.n = 128;
  prefill.d = 16;
  prefill.runs = 6;
  const AttentionRunResult attention = run_attention(prefill);
  REQUIRE(attention.status.ok);
  for (const AttentionVariantResult& v : attention.variants) {
    ordered(v.time, 6);
    CHECK(v.seconds == v.time.median_s);
    CHECK(v.gflop_per_s == doctest::Approx(attention.flops / v.time.median_s / 1e9));
  }
  prefill.runs = 4;
  CHECK(run_attention(prefill).status.field == "runs");

  sim::KernelBenchInput bench;
  bench.n = 256;
  bench.min_seconds = 0.01;
  const sim::KernelBenchResult kernel = sim::bench_kernel(bench);
  REQUIRE(kernel.status.ok);
  ordered(kernel.time, 5);
  CHECK(kernel.seconds == kernel.time.median_s);
  CHECK(kernel.repeats >= 5);
  bench.runs = 101;
  CHECK(sim::bench_kernel(bench).status.field == "runs");

  sim::SeedExperimentInput seed;
  seed.sequence_lengths = {16};
  seed.d_model = 32;
  seed.heads = 2;
  seed.sample_steps = 2;
  seed.runs = 5;
  const sim::SeedExperimentResult rows = sim::seed_experiment(seed);
  REQUIRE(rows.status.ok);
  for (const sim::SeedExperimentRow& row : rows.rows)
    for (const DecodeResult* run : {&row.seed, &row.window, &row.recompute, &row.none}) ordered(run->time, 5);
  seed.runs = 3;
  CHECK(sim::seed_experiment(seed).status.field == "runs");
  DecodeInput decode;
  decode.runs = 0;
  CHECK(run_decode(decode).status.field == "runs");
}

TEST_CASE("decode beside the KV formula: the join predicts by hand what each strategy stores") {
  DecodeKept kept;
  kept.input.prompt_tokens = 1000;
  kept.input.generated_tokens = 24;
  kept.input.d_model = 256;
  kept.input.heads = 4;
  kept.kv_heads = 2;
  kept.head_dim = 64;
  kept.input.cache_tokens = 100;
  kept.input.sinks = 4;
  kept.input.kv_group = 32;

  // full, fp32: K and V, 2 KV heads × 64 channels × 4 B, for all 1,024 tokens.
  kept.input.strategy = "full";
  kept.kv_bytes = 2.0 * 2 * 64 * 4 * 1024;
  DecodeKvClosedForm full = decode_kv_closed_form(kept);
  CHECK_OR_RETURN(full.status.ok);
  CHECK(full.keeps_kv);
  CHECK(full.predicted_bytes == 2.0 * 2 * 64 * 4 * 1024);
  CHECK(full.difference_bytes == 0);
  CHECK(full.note.empty());

  // window 100: the last 100 tokens only.
  kept.input.strategy = "window";
  CHECK(decode_kv_closed_form(kept).predicted_bytes == 2.0 * 2 * 64 * 4 * 100);

  // int8, groups of 32 channels: 1 B codes + one fp32 scale per 32 values.
  kept.input.strategy = "int8";
  CHECK(decode_kv_closed_form(kept).predicted_bytes == 2.0 * 2 * 1024 * (64 * 1 + (64 / 32) * 4));

  // none keeps no K/V: nothing predicted; the note counts the hidden states, grouped like the page.
  kept.input.strategy = "none";
  kept.kv_bytes = 0;
  kept.hidden_bytes = 1048576;
  const DecodeKvClosedForm none = decode_kv_closed_form(kept);
  CHECK_FALSE(none.keeps_kv);
  CHECK(none.predicted_bytes == 0);
  CHECK(none.note ==
        "keeps no K/V: the hidden states of all 1024 tokens (1,048,576 B) are kept and every K/V is recomputed "
        "from them; the KV formula does not count them");

  // A shape the formula refuses comes back as its status, naming the field.
  kept.input.strategy = "full";
  kept.head_dim = -1;
  const DecodeKvClosedForm bad = decode_kv_closed_form(kept);
  CHECK_FALSE(bad.status.ok);
  CHECK(bad.status.field == "head_dim");
}

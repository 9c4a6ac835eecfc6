// KV cache, attention working memory and the paging simulation. Every expected
// number is derived by hand in the comment beside it, from the published
// model shapes (config.json of each model on the Hugging Face Hub).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "memory/attention_memory.hpp"
#include "memory/kv_cache.hpp"
#include "sim/paging_sim.hpp"
#include "sim/random.hpp"

using namespace llmst;

namespace {

// Llama-2-7B: 32 layers, 32 heads, 32 KV heads, head_dim 128.
KvCacheInput llama2_7b(double tokens) {
  KvCacheInput in;
  in.n_layers = 32, in.n_heads = 32, in.n_kv_heads = 32, in.head_dim = 128, in.d_model = 4096;
  in.prompt_tokens = tokens, in.generated_tokens = 0;
  return in;
}

// Llama-3-8B and Mistral-7B: 32 layers, 32 heads, 8 KV heads, head_dim 128.
KvCacheInput llama3_8b(double tokens) {
  KvCacheInput in = llama2_7b(tokens);
  in.n_kv_heads = 8;
  return in;
}

}  // namespace

TEST_CASE("full-attention KV bytes per token match the hand count") {
  // 2 (K and V) · 32 layers · 32 KV heads · 128 · 2 bytes = 524,288.
  KvCacheResult llama2 = kv_cache(llama2_7b(4096));
  REQUIRE(llama2.status.ok);
  CHECK(llama2.bytes_per_token == 524288);
  // 4096 tokens · 524,288 B = 2^31 B = 2 GiB per sequence.
  CHECK(llama2.bytes_per_sequence == 2147483648.0);
  // 2 · 32 · 8 · 128 · 2 = 131,072.
  CHECK(kv_cache(llama3_8b(1)).bytes_per_token == 131072);

  SUBCASE("tokens = prompt + generated, times batch") {
    KvCacheInput in = llama3_8b(1000);
    in.generated_tokens = 24;
    in.batch = 8;
    KvCacheResult r = kv_cache(in);
    CHECK(r.tokens == 1024);
    CHECK(r.bytes == 8.0 * 1024 * 131072);  // 1 GiB
  }
  SUBCASE("head_dim 0 is implied as d_model / n_heads") {
    KvCacheInput in = llama2_7b(1);
    in.head_dim = 0;
    CHECK(kv_cache(in).head_dim == 128);
  }
}

TEST_CASE("fp32, bf16, fp8 and group-quantized int KV") {
  KvCacheInput in = llama2_7b(1);
  in.kv_dtype = "fp32";
  CHECK(kv_cache(in).bytes_per_token == 2 * 524288);
  in.kv_dtype = "fp8";
  CHECK(kv_cache(in).bytes_per_token == 262144);
  // int8, symmetric, groups of 32: a 128-value head vector is 128 B of data
  // plus 4 fp16 scales = 136 B; per token 2 · 32 · 32 · 136 = 278,528 B.
  in.kv_dtype = "int8";
  in.quant_group = 32;
  KvCacheResult int8 = kv_cache(in);
  CHECK(int8.vector_bytes == 136);
  CHECK(int8.bytes_per_token == 278528);
  CHECK(int8.effective_bits_per_value == doctest::Approx(8.5));
  // int4 asymmetric, groups of 64: 64 B data + 2 groups · (scale + zero) 4 B = 72 B: 4.5 bits.
  in.kv_dtype = "int4";
  in.quant_group = 64;
  in.quant_asymmetric = true;
  CHECK(kv_cache(in).vector_bytes == 72);
  CHECK(kv_cache(in).effective_bits_per_value == doctest::Approx(4.5));
  // int4 symmetric, one scale per head vector (group 0): 64 + 2 = 66 B.
  in.quant_group = 0;
  in.quant_asymmetric = false;
  CHECK(kv_cache(in).vector_bytes == 66);
  // A group that does not divide head_dim: 128 / 48 → 3 groups, 64 + 6 = 70 B.
  in.quant_group = 48;
  CHECK(kv_cache(in).vector_bytes == 70);
  // fp32 scales (the lab's decode kernel): 64 + 3 groups · 4 B = 76 B; bf16 as fp16.
  in.quant_scale_dtype = "fp32";
  CHECK(kv_cache(in).vector_bytes == 76);
  in.quant_scale_dtype = "bf16";
  CHECK(kv_cache(in).vector_bytes == 70);
  in.quant_scale_dtype = "int8";
  CHECK(kv_cache(in).status.field == "quant_scale_dtype");
}

TEST_CASE("sliding windows, local/global interleaving, sinks, hybrids and MLA") {
  SUBCASE("Mistral-7B keeps at most its 4096-token window") {
    KvCacheInput in = llama3_8b(32768);
    in.window = 4096;
    KvCacheResult r = kv_cache(in);
    // 4096 tokens · 131,072 B = 512 MiB, against 32768 · 131,072 = 4 GiB with full attention.
    CHECK(r.bytes_per_sequence == 536870912.0);
    CHECK(r.full_attention_bytes == 4294967296.0);
    in.prompt_tokens = 1000;  // below the window nothing is dropped
    CHECK(kv_cache(in).bytes_per_sequence == 1000.0 * 131072);
  }
  SUBCASE("Gemma-2-9B alternates local and global layers") {
    // 42 layers, 8 KV heads, head_dim 256, window 4096, every 2nd layer global:
    // 21 global layers keep 8192 tokens, 21 local keep 4096; one token of one
    // layer is 2 · 8 · 256 · 2 = 8192 B. 21 · 8192 · (8192 + 4096) = 2,113,929,216.
    KvCacheInput in;
    in.n_layers = 42, in.n_heads = 16, in.n_kv_heads = 8, in.head_dim = 256, in.d_model = 3584;
    in.prompt_tokens = 8192, in.window = 4096, in.global_every = 2;
    KvCacheResult r = kv_cache(in);
    CHECK(r.global_layers == 21);
    CHECK(r.local_layers == 21);
    CHECK(r.bytes_per_sequence == 2113929216.0);
  }
  SUBCASE("StreamingLLM: 4 sinks + a 1020 window keep 1024 tokens at any length") {
    KvCacheInput in = llama2_7b(100000);
    in.window = 1020, in.sinks = 4;
    CHECK(kv_cache(in).bytes_per_sequence == 1024.0 * 524288);
    in.prompt_tokens = 1000;
    CHECK(kv_cache(in).bytes_per_sequence == 1000.0 * 524288);
  }
  SUBCASE("hybrid: Jamba keeps KV in 4 of its 32 layers") {
    // 2 · 4 layers · 8 KV heads · 128 · 2 B = 16,384 B per token.
    KvCacheInput in = llama3_8b(1);
    in.attention_layers = 4;
    CHECK(kv_cache(in).bytes_per_token == 16384);
  }
  SUBCASE("MLA: DeepSeek-V3 caches one 512 + 64 latent per layer") {
    // 61 layers · (512 + 64) values · 2 B (bf16) = 70,272 B per token, no per-head K/V.
    KvCacheInput in;
    in.n_layers = 61, in.n_heads = 128, in.n_kv_heads = 128, in.head_dim = 128, in.d_model = 7168;
    in.kv_dtype = "bf16", in.kv_lora_rank = 512, in.qk_rope_head_dim = 64, in.prompt_tokens = 1;
    CHECK(kv_cache(in).bytes_per_token == 70272);
  }
}

TEST_CASE("paged KV: whole blocks per layer, waste only in the last block") {
  // 1000 tokens in blocks of 16: ceil(1000/16) = 63 blocks = 1008 slots, 8 empty.
  KvCacheInput in = llama2_7b(1000);
  in.block_size = 16;
  KvCacheResult r = kv_cache(in);
  CHECK(r.blocks_per_sequence == 63 * 32);
  CHECK(r.paged_bytes == 1008.0 * 524288);
  CHECK(r.paged_waste_fraction == doctest::Approx(8.0 / 1008));
  // Gemma-2-style at 5000 tokens: global layers ceil(5000/16) = 313 blocks,
  // local layers ceil(4096/16) = 256; 21 · (313 + 256) = 11,949 blocks.
  KvCacheInput gemma;
  gemma.n_layers = 42, gemma.n_heads = 16, gemma.n_kv_heads = 8, gemma.head_dim = 256;
  gemma.prompt_tokens = 5000, gemma.window = 4096, gemma.global_every = 2, gemma.block_size = 16;
  CHECK(kv_cache(gemma).blocks_per_sequence == 11949);
}

TEST_CASE("MHA vs GQA vs MQA for the same layers and head_dim") {
  KvCompareResult c = kv_compare(llama3_8b(4096));
  REQUIRE(c.status.ok);
  REQUIRE(c.variants.size() == 3);
  CHECK(c.variants[0].id == "mha");
  CHECK(c.variants[0].bytes_per_token == 524288);  // 32 KV heads
  CHECK(c.variants[1].bytes_per_token == 131072);  // 8 KV heads
  CHECK(c.variants[2].bytes_per_token == 16384);   // 1 KV head: 2 · 32 · 128 · 2
  CHECK(c.variants[1].ratio_to_first == doctest::Approx(0.25));
  // Strategies at 4096 tokens: a 4096 window keeps everything; the series
  // grows linearly for full attention and stays flat for the window.
  CHECK(c.strategies[1].bytes == c.strategies[0].bytes);
  double full_1m = 0, window_1m = 0;
  for (const KvSeriesPoint& p : c.series) {
    if (p.context != 1048576) continue;
    if (p.strategy == "full") full_1m = p.bytes_per_sequence;
    if (p.strategy == "window") window_1m = p.bytes_per_sequence;
  }
  CHECK(full_1m == 1048576.0 * 131072);
  CHECK(window_1m == 4096.0 * 131072);
}

TEST_CASE("a comparison near the exactness limit leaves out what would pass it") {
  // GQA: 1e6 tokens · 131,072 B · 5e4 sequences = 6.6e15 B (< 2^53 ≈ 9.0e15);
  // its MHA twin would hold 4× that, so it is left out; the series is per sequence.
  KvCacheInput in = llama3_8b(1e6);
  in.batch = 5e4;
  KvCompareResult c = kv_compare(in);
  REQUIRE(c.status.ok);
  REQUIRE(c.variants.size() == 2);
  CHECK(c.variants[0].id == "gqa");
  for (const KvSeriesPoint& p : c.series) CHECK(p.bytes_per_sequence > 0);
}

TEST_CASE("bad KV inputs name the field and the value") {
  KvCacheInput in = llama2_7b(10);
  in.n_kv_heads = 5;
  CHECK(kv_cache(in).status.message == "n_kv_heads = 5 must divide n_heads = 32");
  in = llama2_7b(10);
  in.batch = std::nan("");
  CHECK(kv_cache(in).status.field == "batch");
  in = llama2_7b(10);
  in.kv_dtype = "fp64";
  CHECK(kv_cache(in).status.field == "kv_dtype");
  in = llama2_7b(10);
  in.sinks = 4;
  CHECK(kv_cache(in).status.field == "sinks");
  in = llama2_7b(10);
  in.attention_layers = 33;
  CHECK(kv_cache(in).status.field == "attention_layers");
  in = llama2_7b(0);
  CHECK(kv_cache(in).status.field == "prompt_tokens");
  in = llama2_7b(1.5);
  CHECK(kv_cache(in).status.message == "prompt_tokens = 1.5 must be a whole number");
  // 1e12 tokens · 524,288 B ≈ 5.2e17 B per sequence: beyond 2^53, refused by name.
  in = llama2_7b(1e12);
  CHECK(kv_cache(in).status.field == "prompt_tokens");
  // 1e6 tokens · 524,288 B = 5.2e11 B per sequence, · 1e5 sequences = 5.2e16 B > 2^53.
  in = llama2_7b(1e6);
  in.batch = 1e5;
  CHECK(kv_cache(in).status.message ==
        "batch = 100000 makes a KV cache of about 52 PB (limit 9 PB, where byte counts stop being exact)");
  in = llama2_7b(10);
  in.head_dim = 0, in.d_model = 4001;
  CHECK(kv_cache(in).status.field == "d_model");
  CHECK_FALSE(kv_compare(in).status.ok);
}

TEST_CASE("attention working memory and HBM traffic") {
  AttentionMemoryInput in;
  // 1M tokens of fp32 scores: 10^12 · 4 B = 4 TB per head (not 4 PB).
  in.n = 1000000, in.heads = 1;
  AttentionMemoryResult big = attention_memory(in);
  REQUIRE(big.status.ok);
  CHECK(big.standard_scores_bytes_per_head == 4e12);
  CHECK(big.flash_extra_bytes_per_head == 8e6);  // m and ℓ: 2 · 10^6 · 4 B

  // N = 1024, d = 64, M = 196608 / 2 = 98304 elements: B_c = ceil(98304 / 256) = 384,
  // T_c = ceil(1024 / 384) = 3. Standard 4Nd + 4N² = 262,144 + 4,194,304 = 4,456,448;
  // flash 2Nd + T_c(3Nd + 4N) = 131,072 + 3 · 200,704 = 733,184.
  in.n = 1024, in.head_dim = 64;
  AttentionMemoryResult r = attention_memory(in);
  CHECK(r.block_cols == 384);
  CHECK(r.block_rows == 64);
  CHECK(r.column_blocks == 3);
  CHECK(r.standard_hbm_elements == 4456448);
  CHECK(r.flash_hbm_elements == 733184);
  CHECK(r.standard_hbm_bytes == 2 * 4456448.0);

  // Theorem 2: N / B_c = 4Nd / M passes of (3Nd + 4N) each tend to
  // 12 N² d² / M · (1 + 4 / 3d): Θ(N² d² / M) with the constants of Algorithm 1.
  in.n = 1 << 20;
  AttentionMemoryResult asymptote = attention_memory(in);
  const double n = in.n, d = 64, m = 98304;
  CHECK(asymptote.flash_hbm_elements / (12 * n * n * d * d / m * (1 + 4 / (3 * d))) ==
        doctest::Approx(1).epsilon(0.01));
  CHECK(asymptote.series.size() == 13);  // 2^8 … 2^20

  in.sram_bytes = 100;  // fewer than 4d elements
  CHECK(attention_memory(in).status.field == "sram_bytes");
  in = AttentionMemoryInput{};
  in.n = -1;
  CHECK(attention_memory(in).status.field == "n");
}

TEST_CASE("splitmix64 reproduces the reference generator") {
  // The first five outputs for seed 1234567 in the Rosetta Code task
  // "Pseudo-random numbers/Splitmix64" (Vigna's splitmix64.c constants).
  sim::Random random(1234567);
  const uint64_t expected[] = {6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                               4593380528125082431ull, 16408922859458223821ull};
  for (uint64_t value : expected) CHECK(random.next_u64() == value);
}

TEST_CASE("paging simulation") {
  SUBCASE("fixed lengths follow the hand count") {
    // Every request is 1000 tokens; naive reserves 4096. Budget = 100 naive sequences.
    PagingSimInput in;
    in.distribution = "fixed", in.mean_tokens = 1000, in.max_tokens = 4096, in.block_size = 16;
    in.bytes_per_token = 1, in.budget_bytes = 100 * 4096;
    PagingSimResult r = simulate_paging(in);
    REQUIRE(r.status.ok);
    CHECK(r.schemes[0].sequences == 100);
    CHECK(r.schemes[0].waste_fraction == doctest::Approx(1 - 1000.0 / 4096));
    CHECK(r.schemes[1].sequences == 409);  // floor(409600 / 1000)
    CHECK(r.schemes[1].waste_fraction == 0);
    CHECK(r.schemes[2].sequences == 406);  // floor(409600 / 1008)
    CHECK(r.schemes[2].waste_fraction == doctest::Approx(8.0 / 1008));
    CHECK(r.paged_vs_naive_sequences == doctest::Approx(4.06));
  }
  SUBCASE("the same seed gives the same run; another seed another") {
    PagingSimInput in;
    PagingSimResult a = simulate_paging(in), b = simulate_paging(in);
    CHECK(a.schemes[2].sequences == b.schemes[2].sequences);
    CHECK(a.mean_length_tokens == b.mean_length_tokens);
    in.seed = 2;
    CHECK(simulate_paging(in).mean_length_tokens != a.mean_length_tokens);
  }
  SUBCASE("lognormal lengths keep their mean; paged waste is about (K-1)/2 tokens a sequence") {
    PagingSimInput in;
    in.mean_tokens = 512, in.std_tokens = 512, in.max_tokens = 1e6, in.bytes_per_token = 1;
    in.budget_bytes = 1e12, in.max_requests = 200000, in.block_size = 16;
    PagingSimResult r = simulate_paging(in);
    CHECK(r.hit_request_limit);
    // Standard error of the mean: 512 / sqrt(2e5) ≈ 1.1 tokens.
    CHECK(r.mean_length_tokens == doctest::Approx(512).epsilon(0.02));
    // The last block is empty by (K - 1) / 2 = 7.5 slots on average (lengths spread over many blocks).
    const double expected_waste = 7.5 / (r.mean_length_tokens + 7.5);
    CHECK(r.schemes[2].waste_fraction == doctest::Approx(expected_waste).epsilon(0.05));
    CHECK(r.schemes[2].waste_fraction < 0.05);
  }
  SUBCASE("in flight, reserving the final length still wastes about half") {
    // A running sequence holds ceil(u · L) of its L tokens, u uniform: E = L/2 (+1/2).
    PagingSimInput in;
    in.distribution = "fixed", in.mean_tokens = 2000, in.max_tokens = 4096, in.bytes_per_token = 1;
    in.budget_bytes = 2000.0 * 10000, in.snapshot = "in_flight";
    PagingSimResult r = simulate_paging(in);
    CHECK(r.schemes[1].waste_fraction == doctest::Approx(0.5).epsilon(0.03));
    CHECK(r.schemes[2].waste_fraction < 0.01);
  }
  SUBCASE("bad inputs are refused by name") {
    PagingSimInput in;
    in.distribution = "pareto";
    CHECK(simulate_paging(in).status.field == "distribution");
    in = PagingSimInput{};
    in.max_requests = 1e8;
    CHECK(simulate_paging(in).status.field == "max_requests");
    in = PagingSimInput{};
    in.budget_bytes = 0;
    CHECK(simulate_paging(in).status.field == "budget_bytes");
  }
}

// Work estimates: the formula by hand, monotone in the run's size, finite,
// NaN refused by field, and long enough for the runs the CLI must refuse.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "sim/attention_runs.hpp"
#include "sim/work_estimate.hpp"

using namespace llmst;
using namespace llmst::sim;

TEST_CASE("estimate_seconds: FLOPs at the FLOP rate plus bytes at the byte rate plus fixed time") {
  // By hand: 12e9 FLOPs at 4e9 FLOP/s = 3 s; 4e9 bytes at 2e9 B/s = 2 s; plus 0.5 s.
  const WorkEstimate e = estimate_seconds(12e9, 4e9, 0.5);
  REQUIRE(e.status.ok);
  CHECK(kEstimateFlopsPerSecond == 4e9);
  CHECK(kEstimateBytesPerSecond == 2e9);
  CHECK(e.seconds == doctest::Approx(5.5));
  CHECK(e.text.find("about 5.5 s") == 0);
  CHECK(e.text.find("GFLOP/s") != std::string::npos);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(estimate_seconds(nan, 0).status.field == "flops");
  CHECK(estimate_seconds(0, nan).status.field == "bytes");
  CHECK(estimate_seconds(0, 0, nan).status.field == "fixed_seconds");
  CHECK(estimate_seconds(inf, 0).status.field == "flops");
  CHECK(estimate_seconds(-1, 0).status.field == "flops");
  // The largest counts it takes still give a finite time; beyond them it refuses.
  const WorkEstimate huge = estimate_seconds(1e300, 1e300, 1e300);
  REQUIRE(huge.status.ok);
  CHECK(std::isfinite(huge.seconds));
  CHECK(estimate_seconds(1e301, 0).status.field == "flops");
}

TEST_CASE("estimates refuse NaN by the run's field name") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  AttentionRunInput attention;
  attention.n = nan;
  CHECK(estimate_attention_run(attention).status.field == "n");
  DecodeInput decode;
  decode.generated_tokens = nan;
  CHECK(estimate_decode_run(decode).status.field == "generated_tokens");
  SeedExperimentInput seed;
  seed.sequence_lengths = {512, nan};
  CHECK(estimate_seed_experiment(seed).status.field == "sequence_lengths");
  seed.sequence_lengths = {};
  CHECK(estimate_seed_experiment(seed).status.field == "sequence_lengths");
  QuantGemvInput gemv;
  gemv.min_time_s = nan;
  CHECK(estimate_quant_gemv(gemv).status.field == "min_time_s");
  QuantLabInput lab;
  lab.n = -5;
  CHECK(estimate_quant_lab(lab).status.field == "n");
  ProbeInput probe;
  probe.repeats = nan;
  CHECK(estimate_machine_probe(probe).status.field == "repeats");
  CacheSweepInput sweep;
  sweep.max_bytes = nan;
  CHECK(estimate_cache_sweep(sweep).status.field == "max_bytes");
}

TEST_CASE("estimates grow with the run's size and stay finite") {
  double previous = 0;
  for (double n : {1.0, 16.0, 256.0, 4096.0, 65536.0, 1048576.0}) {
    AttentionRunInput attention;
    attention.n = n;
    attention.variant = "tiled";
    const WorkEstimate e = estimate_attention_run(attention);
    REQUIRE(e.status.ok);
    CHECK(std::isfinite(e.seconds));
    CHECK(e.seconds > previous);
    previous = e.seconds;
  }
  for (const char* strategy : {"full", "window", "sinks", "recompute", "none", "seed", "int8", "int4"}) {
    CAPTURE(strategy);
    previous = 0;
    for (double generated : {1.0, 64.0, 1024.0, 65536.0}) {
      DecodeInput decode;
      decode.strategy = strategy;
      decode.generated_tokens = generated;
      const WorkEstimate e = estimate_decode_run(decode);
      REQUIRE(e.status.ok);
      CHECK(std::isfinite(e.seconds));
      CHECK(e.seconds > previous);
      previous = e.seconds;
    }
  }
  previous = 0;
  for (double length : {16.0, 512.0, 2048.0, 65536.0}) {
    SeedExperimentInput seed;
    seed.sequence_lengths = {length};
    const WorkEstimate e = estimate_seed_experiment(seed);
    REQUIRE(e.status.ok);
    CHECK(e.seconds > previous);
    previous = e.seconds;
  }
  previous = 0;
  for (double repeats : {1.0, 10.0, 21.0}) {
    ProbeInput probe;
    probe.repeats = repeats;
    const WorkEstimate e = estimate_machine_probe(probe);
    REQUIRE(e.status.ok);
    CHECK(e.seconds > previous);
    previous = e.seconds;
  }
}

TEST_CASE("a cache sweep's estimate grows with its largest set, its sizes per octave and its repeats") {
  CacheSweepInput sweep;
  const double base = estimate_cache_sweep(sweep).seconds;
  CHECK(base > 0);
  CacheSweepInput larger = sweep, denser = sweep, longer = sweep;
  larger.max_bytes = 1024.0 * 1024 * 1024;
  denser.points_per_octave = 8;
  longer.repeats = 21;
  CHECK(estimate_cache_sweep(larger).seconds > base);
  CHECK(estimate_cache_sweep(denser).seconds > base);
  CHECK(estimate_cache_sweep(longer).seconds > base);
  // The sweep's own bounds are its refusals (1 GiB, 3–21 repeats).
  larger.max_bytes = 2.0 * 1024 * 1024 * 1024;
  CHECK(estimate_cache_sweep(larger).status.field == "max_bytes");
}

TEST_CASE("timed repeats are counted: more runs, a longer estimate; runs outside 5–100 refused by name") {
  AttentionRunInput prefill;
  DecodeInput decode;
  QuantLabInput lab;
  QuantGemvInput gemv;
  SeedExperimentInput seed;
  seed.sequence_lengths = {256};
  const double before[] = {estimate_attention_run(prefill).seconds, estimate_decode_run(decode).seconds,
                           estimate_quant_lab(lab).seconds, estimate_quant_gemv(gemv).seconds,
                           estimate_seed_experiment(seed).seconds};
  prefill.runs = decode.runs = lab.runs = gemv.runs = seed.runs = 20;
  const double after[] = {estimate_attention_run(prefill).seconds, estimate_decode_run(decode).seconds,
                          estimate_quant_lab(lab).seconds, estimate_quant_gemv(gemv).seconds,
                          estimate_seed_experiment(seed).seconds};
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(after[i] > before[i]);
  }
  prefill.runs = 101;
  CHECK(estimate_attention_run(prefill).status.field == "runs");
  decode.runs = 4;
  CHECK(estimate_decode_run(decode).status.field == "runs");
}

TEST_CASE("a naive prefill over the memory budget is not costed: the run refuses it before running") {
  AttentionRunInput both, tiled;
  both.n = tiled.n = 1e6;
  tiled.variant = "tiled";
  CHECK(estimate_attention_run(both).seconds == doctest::Approx(estimate_attention_run(tiled).seconds));
  // Under the budget both run: more than tiled alone.
  both.n = tiled.n = 1024;
  CHECK(estimate_attention_run(both).seconds > estimate_attention_run(tiled).seconds);
}

TEST_CASE("a run over the module's per-run memory is costed as nothing: its memory refusal comes first") {
  AttentionRunInput naive;  // 4·30000² bytes of scores: over the 2 GiB cap whatever the budget
  naive.n = 30000;
  naive.variant = "naive";
  naive.memory_budget_bytes = 1e12;
  CHECK(estimate_attention_run(naive).seconds == 0);
  DecodeInput decode;  // the reference's K/V alone: 2 · 2e6 · 768 · 4 bytes
  decode.strategy = "int4";
  decode.prompt_tokens = decode.generated_tokens = 1e6;
  decode.memory_budget_bytes = 1e12;
  CHECK(estimate_decode_run(decode).seconds == 0);
  // Under a caller's small budget too; within it the run is costed.
  decode.prompt_tokens = decode.generated_tokens = 1000;
  decode.memory_budget_bytes = 1000;
  CHECK(estimate_decode_run(decode).seconds == 0);
  decode.memory_budget_bytes = 1e9;
  CHECK(estimate_decode_run(decode).seconds > 0);
}

TEST_CASE("the runs issue 17 found hanging are estimated far over a minute") {
  AttentionRunInput long_tiled;  // attention --n 1e6 --d 64
  long_tiled.n = 1e6;
  CHECK(estimate_attention_run(long_tiled).seconds > 3600);
  AttentionRunInput tiled;  // attention --n 2e5 --variant tiled
  tiled.n = 2e5;
  tiled.variant = "tiled";
  CHECK(estimate_attention_run(tiled).seconds > 600);
  SeedExperimentInput seed;  // seed-experiment --lengths 65536
  seed.sequence_lengths = {65536};
  CHECK(estimate_seed_experiment(seed).seconds > 600);
  ProbeInput probe;  // machine --bytes 1e9 --repeats 1000: now over the probe's bounds, refused by them
  probe.bytes = 1e9;
  probe.repeats = 1000;
  CHECK(estimate_machine_probe(probe).status.field == "repeats");
}

TEST_CASE("a small decode run finishes within its estimate") {
  DecodeInput decode;
  decode.strategy = "recompute";
  decode.prompt_tokens = 128;
  decode.generated_tokens = 32;
  decode.d_model = 256;
  decode.heads = 4;
  decode.cache_tokens = 16;
  const WorkEstimate e = estimate_decode_run(decode);
  REQUIRE(e.status.ok);
  // The kernels' one-time warm-up (core/warm_up.hpp) happens in the first run
  // of a process, whatever its size: it is timed apart, against its allowance.
  DecodeInput tiny = decode;
  tiny.prompt_tokens = 1;
  tiny.generated_tokens = 1;
  run_decode(tiny);
  // The estimate bounds a run on a machine to itself; on a shared one (CI, a
  // parallel build) a run can wait for a core, so the fastest of three counts.
  double wall = 1e300;
  for (int attempt = 0; attempt < 3 && !(wall < e.seconds); ++attempt) {
    const auto start = std::chrono::steady_clock::now();
    const DecodeResult result = run_decode(decode);
    wall = std::min(wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    REQUIRE(result.status.ok);
  }
  CAPTURE(e.text);
  CAPTURE(wall);
  CHECK(wall < e.seconds);
}

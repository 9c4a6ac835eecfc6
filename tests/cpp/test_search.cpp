#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/presets.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "search/search.hpp"

using namespace llmst;

namespace {

// Llama 3 8B, 1,024-token prompts and 256 output tokens, on three chips with
// prices given here (the presets' own prices may change; these are the test's).
SearchInput llama3_8b() {
  SearchInput in;
  in.model = find_model_preset("llama-3-8b")->config;
  in.prompt_tokens = 1024;
  in.output_tokens = 256;
  in.hardware = "h100-sxm,a100-80gb,l4";
  in.prices = "h100-sxm=4,a100-80gb=2.5,l4=0.8";
  in.max_gpus = 4;
  in.max_points = 1e6;
  return in;
}

// The plan a point came from, rebuilt from the point's own fields.
Workload workload_of(const SearchInput& in, const SearchPoint& point, double context) {
  Workload w;
  w.model = in.model;
  w.hardware = *find_hardware(point.hardware);
  w.weights_dtype = point.weights;
  w.kv_dtype = point.kv_dtype;
  w.compute_dtype = point.compute_dtype;
  w.batch = point.batch;
  w.context = context;
  w.gpus = point.gpus;
  w.parallelism = point.parallelism;
  w.pipeline_stages = point.parallelism == "tensor_pipeline" ? point.pp : 1;
  return w;
}

bool meets(const SearchInput& in, const SearchPoint& p) {
  return p.fits && (in.slo_ttft_s == 0 || p.ttft_s <= in.slo_ttft_s) &&
         (in.slo_tpot_s == 0 || p.tpot_s <= in.slo_tpot_s);
}

}  // namespace

TEST_CASE("search: the front fits, meets the SLOs and is not dominated") {
  SearchInput in = llama3_8b();
  in.slo_ttft_s = 2;
  in.slo_tpot_s = 0.05;
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  // 3 chips x 7 splits (1 GPU; tp 2, pp 2; pp 3 (tp 3 does not divide 32 heads); tp 4, tp 2 x pp 2, pp 4)
  // x 3 weights formats x 2 KV dtypes x 9 batches; tp 3 is skipped.
  CHECK(r.evaluated == 3 * 7 * 6 * 9);
  CHECK(r.skipped_configurations == 3 * 1 * 6 * 9);
  CHECK(r.feasible == static_cast<double>(r.points.size()));
  CHECK_FALSE(r.points_truncated);
  REQUIRE(r.pareto.size() >= 2);
  for (const SearchPoint& p : r.pareto) CHECK(meets(in, p));
  for (const SearchPoint& p : r.points) CHECK(meets(in, p));
  // No feasible point is at least as fast and as cheap, and strictly better in one.
  for (const SearchPoint& p : r.pareto)
    for (const SearchPoint& q : r.points) {
      const bool dominates = q.tpot_s <= p.tpot_s && q.usd_per_million_tokens <= p.usd_per_million_tokens &&
                             (q.tpot_s < p.tpot_s || q.usd_per_million_tokens < p.usd_per_million_tokens);
      CHECK_FALSE(dominates);
    }
  // Every feasible point off the front is dominated by one on it.
  for (const SearchPoint& q : r.points) {
    bool on_or_under = false;
    for (const SearchPoint& p : r.pareto)
      on_or_under = on_or_under || (p.tpot_s <= q.tpot_s && p.usd_per_million_tokens <= q.usd_per_million_tokens);
    CHECK(on_or_under);
  }
  for (size_t i = 1; i < r.pareto.size(); ++i) {
    CHECK(r.pareto[i].tpot_s > r.pareto[i - 1].tpot_s);
    CHECK(r.pareto[i].usd_per_million_tokens < r.pareto[i - 1].usd_per_million_tokens);
  }
  REQUIRE(r.cheapest.size() == 1);
  for (const SearchPoint& q : r.points) CHECK(r.cheapest[0].usd_per_million_tokens <= q.usd_per_million_tokens);
  // Points come cheapest first.
  for (size_t i = 1; i < r.points.size(); ++i)
    CHECK(r.points[i].usd_per_million_tokens >= r.points[i - 1].usd_per_million_tokens);
}

TEST_CASE("search: a point's cost by hand, and its latency re-run through plan()") {
  SearchInput in = llama3_8b();
  in.hardware = "h100-sxm";
  in.prices = "h100-sxm=4";
  in.weights = "bf16";
  in.kv_dtype = "bf16";
  in.batches = "16";
  in.max_gpus = 2;
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  // 1 GPU; 2 GPUs tensor; 2 GPUs pipeline.
  CHECK(r.evaluated == 3);
  REQUIRE(r.points.size() == 3);
  for (const SearchPoint& p : r.points) {
    CHECK(p.context == 1024 + 256);
    // Output tokens of one static batch over its cycle: prefill, then 256 steps.
    const double tokens_per_s = 16.0 * 256 / (p.ttft_s + 256 * p.tpot_s);
    CHECK(p.tokens_per_s == doctest::Approx(tokens_per_s).epsilon(1e-12));
    CHECK(p.usd_per_hour == 4 * p.gpus);
    CHECK(p.usd_per_million_tokens == doctest::Approx(4 * p.gpus / (3600 * tokens_per_s) * 1e6).epsilon(1e-12));
    // The same plan the Plan panel shows: TPOT and fit at prompt + output, TTFT at the prompt.
    const PlanResult at_end = plan(workload_of(in, p, 1280));
    REQUIRE(at_end.status.ok);
    CHECK(at_end.decode.step_s == p.tpot_s);
    CHECK(at_end.fits == p.fits);
    const PlanResult at_prompt = plan(workload_of(in, p, 1024));
    CHECK(at_prompt.prefill.ttft_s == p.ttft_s);
  }
  // One worked number: 1 x H100 at $4/h; bf16 Llama 3 8B, batch 16.
  const SearchPoint& one = r.points[0].gpus == 1 ? r.points[0] : r.points[1].gpus == 1 ? r.points[1] : r.points[2];
  CHECK(one.gpus == 1);
  const double hand = 4.0 / (3600 * one.tokens_per_s) * 1e6;
  CHECK(one.usd_per_million_tokens == doctest::Approx(hand).epsilon(1e-12));
}

TEST_CASE(
    "search: every feasible point re-run through plan() gives the same latencies, fp8 compute and TP x PP included") {
  // fp8 weights compute in fp8 (1-byte activations) on a chip with an fp8 peak:
  // the search must cost them as plan() with compute_dtype = fp8 does.
  SearchInput in = llama3_8b();
  in.hardware = "h100-sxm,a100-80gb";
  in.prices = "h100-sxm=4,a100-80gb=2.5";
  in.max_gpus = 4;
  in.batches = "1,64,256";
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  bool saw_fp8_compute = false, saw_tensor_pipeline = false;
  for (const SearchPoint& p : r.points) {
    saw_fp8_compute = saw_fp8_compute || p.compute_dtype == "fp8";
    saw_tensor_pipeline = saw_tensor_pipeline || (p.parallelism == "tensor_pipeline" && p.tp == 2 && p.pp == 2);
    CHECK(p.tp * p.pp == p.gpus);
    const PlanResult at_end = plan(workload_of(in, p, 1280)), at_prompt = plan(workload_of(in, p, 1024));
    REQUIRE(at_end.status.ok);
    CHECK(at_end.decode.step_s == p.tpot_s);
    CHECK(at_prompt.prefill.ttft_s == p.ttft_s);
  }
  CHECK(saw_fp8_compute);
  CHECK(saw_tensor_pipeline);
}

TEST_CASE("search: energy from TDP x (idle + compute share x compute use + memory share x memory use)") {
  SearchInput in = llama3_8b();
  in.hardware = "h100-sxm";
  in.prices = "h100-sxm=4";
  in.weights = "bf16";
  in.kv_dtype = "bf16";
  in.batches = "1,64";
  in.max_gpus = 1;
  in.idle_power_fraction = 0.2;
  in.memory_power_fraction = 0.25;
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  REQUIRE(r.points.size() == 2);
  const Hardware& h100 = *find_hardware("h100-sxm");
  // bf16 matmuls on the H100 SXM's dense fp16/bf16 peak and its HBM3 bandwidth (its preset).
  const double peak = h100.fp16_tflops * 1e12, bandwidth = h100.memory_gb_per_s * 1e9;
  for (const SearchPoint& p : r.points) {
    const PlanResult end = plan(workload_of(in, p, 1280)), start = plan(workload_of(in, p, 1024));
    const double decode_compute = std::min(1.0, end.decode.flops / peak / p.tpot_s);
    const double decode_memory = std::min(1.0, end.decode.bytes / bandwidth / p.tpot_s);
    const double prefill_compute = std::min(1.0, start.prefill.flops / peak / p.ttft_s);
    const double prefill_memory = std::min(1.0, start.prefill.bytes / bandwidth / p.ttft_s);
    const double decode_w = h100.tdp_watts * (0.2 + 0.55 * decode_compute + 0.25 * decode_memory);
    const double prefill_w = h100.tdp_watts * (0.2 + 0.55 * prefill_compute + 0.25 * prefill_memory);
    CHECK(p.decode_watts == doctest::Approx(decode_w).epsilon(1e-12));
    CHECK(p.prefill_watts == doctest::Approx(prefill_w).epsilon(1e-12));
    CHECK(p.joules_per_token ==
          doctest::Approx((prefill_w * p.ttft_s + decode_w * 256 * p.tpot_s) / (p.batch * 256)).epsilon(1e-12));
    // Batch 1 decode is memory bound: it streams the weights at full bandwidth (roofline: step = bytes / bandwidth).
    if (p.batch == 1) CHECK(decode_memory == doctest::Approx(1).epsilon(1e-3));
  }
}

TEST_CASE("search: unpriced chips are left out and named, never free") {
  SearchInput in = llama3_8b();
  in.prices = "h100-sxm=4";
  in.hardware = "h100-sxm,l4";
  // A preset's own price (filled by the presets) would price l4: take one that stays unpriced for the test.
  const Hardware* l4 = find_hardware("l4");
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  if (l4->usd_per_hour == 0) {
    REQUIRE(r.skipped_unpriced.size() == 1);
    CHECK(r.skipped_unpriced[0] == "l4");
    for (const SearchPoint& p : r.points) CHECK(p.hardware == "h100-sxm");
  }
  for (const SearchPoint& p : r.points) CHECK(p.usd_per_hour > 0);
}

TEST_CASE("search: an SLO no configuration meets leaves an empty front") {
  SearchInput in = llama3_8b();
  in.slo_tpot_s = 1e-6;
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  CHECK(r.evaluated > 0);
  CHECK(r.feasible == 0);
  CHECK(r.pareto.empty());
  CHECK(r.cheapest.empty());
}

TEST_CASE("search: progress rises to 1") {
  SearchInput in = llama3_8b();
  std::vector<double> seen;
  const SearchResult r = search(in, [&](double fraction) { seen.push_back(fraction); });
  REQUIRE(r.status.ok);
  REQUIRE(seen.size() >= 3);
  for (size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] >= seen[i - 1]);
  CHECK(seen.back() == 1);
}

TEST_CASE("search: bad input is refused by name") {
  auto refused = [](void (*change)(SearchInput&)) {
    SearchInput in = llama3_8b();
    change(in);
    return search(in).status;
  };
  Status s = refused([](SearchInput& in) { in.prompt_tokens = -5; });
  CHECK(s.field == "prompt_tokens");
  s = refused([](SearchInput& in) { in.slo_tpot_s = std::nan(""); });
  CHECK(s.field == "slo_tpot_s");
  s = refused([](SearchInput& in) { in.max_gpus = 0; });
  CHECK(s.field == "max_gpus");
  s = refused([](SearchInput& in) { in.max_gpus = 1e6; });
  CHECK(s.field == "max_gpus");
  s = refused([](SearchInput& in) { in.hardware = "h100-sxm,h999"; });
  CHECK(s.field == "hardware");
  CHECK(s.message.find("\"h999\" is not a hardware preset") != std::string::npos);
  s = refused([](SearchInput& in) { in.weights = "bf16,int3"; });
  CHECK(s.field == "weights");
  CHECK(s.message.find("\"int3\"") != std::string::npos);
  s = refused([](SearchInput& in) { in.kv_dtype = "fp9"; });
  CHECK(s.field == "kv_dtype");
  s = refused([](SearchInput& in) { in.prices = "h100-sxm"; });
  CHECK(s.field == "prices");
  s = refused([](SearchInput& in) { in.prices = "h100-sxm=-2"; });
  CHECK(s.field == "prices");
  s = refused([](SearchInput& in) { in.prices = "h100-sxm=abc"; });
  CHECK(s.field == "prices");
  s = refused([](SearchInput& in) { in.batches = "8,0.5"; });
  CHECK(s.field == "batches");
  s = refused([](SearchInput& in) { in.hardware = "h100-sxm,,l4"; });
  CHECK(s.field == "hardware");
  s = refused([](SearchInput& in) {
    in.idle_power_fraction = 0.8;
    in.memory_power_fraction = 0.3;
  });
  CHECK(s.field == "memory_power_fraction");
  s = refused([](SearchInput& in) { in.model.n_layers = 0; });
  CHECK(s.field == "n_layers");
}

// Chunk size (issue 15): the candidates simulated by the serving simulator, once per chunk budget.
namespace {

SearchInput chunked_llama3_8b() {
  SearchInput in = llama3_8b();
  in.hardware = "h100-sxm,l4";
  in.prices = "h100-sxm=4,l4=0.8";
  in.max_gpus = 2;
  in.weights = "bf16,fp8";
  in.kv_dtype = "bf16";
  in.batches = "1,4,16,64";
  in.slo_ttft_s = 2;
  in.slo_tpot_s = 0.05;
  in.chunk_tokens = "0,256,2048";
  return in;
}

}  // namespace

TEST_CASE("search: chunk budgets leave the static search as it was") {
  SearchInput in = chunked_llama3_8b();
  const SearchResult with = search(in);
  in.chunk_tokens = "";
  const SearchResult without = search(in);
  REQUIRE(with.status.ok);
  REQUIRE(without.status.ok);
  CHECK(without.serving.points.empty());
  CHECK(with.evaluated == without.evaluated);
  CHECK(with.feasible == without.feasible);
  REQUIRE(with.points.size() == without.points.size());
  for (size_t i = 0; i < with.points.size(); ++i) {
    CHECK(with.points[i].hardware == without.points[i].hardware);
    CHECK(with.points[i].batch == without.points[i].batch);
    CHECK(with.points[i].tpot_s == without.points[i].tpot_s);
    CHECK(with.points[i].usd_per_million_tokens == without.points[i].usd_per_million_tokens);
  }
  CHECK(with.pareto.size() == without.pareto.size());
}

TEST_CASE("search: every candidate is simulated at every chunk budget, and the serving front is sound") {
  const SearchInput in = chunked_llama3_8b();
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  const SearchServing& s = r.serving;
  REQUIRE(s.configurations > 0);
  CHECK(s.chunk_tokens == std::vector<double>{0, 256, 2048});
  CHECK(s.simulations == s.configurations * 3);
  REQUIRE(s.points.size() == static_cast<size_t>(s.simulations));
  for (const ServingPoint& p : s.points) {
    INFO(p.hardware << " x" << p.gpus << " " << p.weights << " batch " << p.batch << " chunk " << p.chunk_tokens);
    CHECK(p.error == "");
    CHECK(p.scheduler == (p.chunk_tokens > 0 ? "chunked" : "continuous"));
    CHECK(p.requests == std::max(32.0, 4 * p.batch));
    CHECK(p.measured == p.requests - 2 * p.batch);
    CHECK(p.ttft_s >= p.ttft_mean_s * 0.5);
    CHECK(p.usd_per_million_tokens == doctest::Approx(p.usd_per_hour / (3600 * p.tokens_per_s) * 1e6).epsilon(1e-12));
    CHECK(p.meets_slo == (p.slo_attainment >= in.slo_attainment));
    CHECK(p.joules_per_token > 0);  // both chips list a TDP
    // Between the idle draw and the whole TDP.
    const double tdp = find_hardware(p.hardware)->tdp_watts;
    CHECK(p.watts >= in.idle_power_fraction * tdp);
    CHECK(p.watts <= tdp);
  }
  // One user alone: a 2,048-token budget prefills the 1,024-token prompt in one
  // iteration, as whole prompts do; 256 takes four, each reading the weights again.
  bool one_user = false;
  for (size_t i = 0; i + 2 < s.points.size(); i += 3) {
    const ServingPoint &whole = s.points[i], &small = s.points[i + 1], &large = s.points[i + 2];
    CHECK(small.chunk_tokens == 256);
    CHECK(whole.hardware == small.hardware);
    CHECK(whole.batch == large.batch);
    if (whole.batch != 1) continue;
    one_user = true;
    CHECK(large.ttft_s == doctest::Approx(whole.ttft_s).epsilon(1e-12));
    CHECK(small.ttft_s > large.ttft_s);
  }
  CHECK(one_user);
  // The front: points that meet the SLOs, none dominated by another that does.
  REQUIRE(!s.pareto.empty());
  for (const ServingPoint& p : s.pareto) {
    CHECK(p.meets_slo);
    for (const ServingPoint& q : s.points) {
      if (!q.meets_slo) continue;
      const bool dominates = q.tpot_s <= p.tpot_s && q.usd_per_million_tokens <= p.usd_per_million_tokens &&
                             (q.tpot_s < p.tpot_s || q.usd_per_million_tokens < p.usd_per_million_tokens);
      CHECK_FALSE(dominates);
    }
  }
  REQUIRE(s.cheapest.size() == 1);
  for (const ServingPoint& q : s.points)
    if (q.meets_slo) CHECK(s.cheapest[0].usd_per_million_tokens <= q.usd_per_million_tokens);
}

TEST_CASE("search: one user with whole prompts, by hand from plan(): latency, cost and energy") {
  // One user: each request prefills alone (plan's prefill at batch 1), then decodes
  // 255 steps alone at contexts 1025 ... 1279 (plan's decode step at batch 1).
  SearchInput in = llama3_8b();
  in.hardware = "h100-sxm";
  in.prices = "h100-sxm=4";
  in.max_gpus = 1;
  in.weights = "bf16";
  in.kv_dtype = "bf16";
  in.batches = "1";
  in.chunk_tokens = "0";
  const SearchResult r = search(in);
  REQUIRE(r.status.ok);
  REQUIRE(r.serving.points.size() == 1);
  const ServingPoint& p = r.serving.points[0];
  CHECK(p.measured == 30);
  Workload w;
  w.model = in.model;
  w.hardware = *find_hardware("h100-sxm");
  w.weights_dtype = w.kv_dtype = w.compute_dtype = "bf16";
  w.batch = 1;
  w.context = 1024;
  // Energy by the power model: TDP x (idle x time + compute share x FLOPs / peak + memory share x bytes / bandwidth).
  const Hardware& h100 = *find_hardware("h100-sxm");
  const double peak = peak_flops_per_s(h100, "bf16"), bandwidth = h100.memory_gb_per_s * 1e9;
  const double idle = in.idle_power_fraction, memory_share = in.memory_power_fraction,
               compute_share = 1 - idle - memory_share;
  auto joules = [&](double seconds, double flops, double bytes) {
    return h100.tdp_watts * (idle * seconds + compute_share * flops / peak + memory_share * bytes / bandwidth);
  };
  const PlanResult prefill = plan(w);
  const double ttft = prefill.prefill.ttft_s;
  double energy = joules(ttft, prefill.prefill.flops, prefill.prefill.bytes);
  double decode = 0;
  for (double n = 1025; n <= 1279; ++n) {
    w.context = n;
    const PlanResult step = plan(w);
    decode += step.decode.step_s;
    energy += joules(step.decode.step_s, step.decode.flops, step.decode.bytes);
  }
  CHECK(p.ttft_s == doctest::Approx(ttft).epsilon(1e-9));
  CHECK(p.ttft_mean_s == doctest::Approx(ttft).epsilon(1e-9));
  CHECK(p.tpot_s == doctest::Approx(decode / 255).epsilon(1e-9));
  CHECK(p.tokens_per_s == doctest::Approx(256 / (ttft + decode)).epsilon(1e-9));
  CHECK(p.usd_per_million_tokens == doctest::Approx(4 / (3600 * 256 / (ttft + decode)) * 1e6).epsilon(1e-9));
  // 32 requests back to back, each this energy for 256 tokens.
  REQUIRE(h100.tdp_watts > 0);
  CHECK(p.joules_per_token == doctest::Approx(energy / 256).epsilon(1e-9));
  CHECK(p.watts == doctest::Approx(energy / (ttft + decode)).epsilon(1e-9));
}

TEST_CASE("search: bad chunk budgets are refused by name") {
  auto refused = [](void (*change)(SearchInput&)) {
    SearchInput in = chunked_llama3_8b();
    change(in);
    return search(in).status;
  };
  Status s = refused([](SearchInput& in) { in.chunk_tokens = "512,abc"; });
  CHECK(s.field == "chunk_tokens");
  CHECK(s.message.find("\"abc\"") != std::string::npos);
  s = refused([](SearchInput& in) { in.chunk_tokens = "512,512"; });
  CHECK(s.field == "chunk_tokens");
  s = refused([](SearchInput& in) { in.chunk_tokens = "-1"; });
  CHECK(s.field == "chunk_tokens");
  s = refused([](SearchInput& in) { in.chunk_tokens = "0.5"; });
  CHECK(s.field == "chunk_tokens");
  s = refused([](SearchInput& in) { in.slo_attainment = 0; });
  CHECK(s.field == "slo_attainment");
  s = refused([](SearchInput& in) { in.slo_attainment = std::nan(""); });
  CHECK(s.field == "slo_attainment");
  // Too much to simulate: refused before any simulation runs, naming the budgets.
  s = refused([](SearchInput& in) {
    in.slo_ttft_s = in.slo_tpot_s = 0;
    in.hardware = "h200";
    in.prices = "h200=5";
    in.output_tokens = 4000;  // 2,500 sequences of 5,024 tokens fit 8 x 141 GB in int4 with fp8 KV
    in.batches = "2500";
    in.max_gpus = 8;
    in.weights = "int4";
    in.kv_dtype = "fp8";
    in.chunk_tokens = "0,512,1024,2048,4096,8192";
  });
  CHECK(s.field == "chunk_tokens");
  CHECK(s.message.find("sequence-steps") != std::string::npos);
}

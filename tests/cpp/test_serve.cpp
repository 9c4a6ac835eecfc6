// The serving simulator (src/serve) and the iteration cost it reads
// (src/roofline/iteration): the same numbers as plan(), the scheduler's
// invariants, and queueing theory (M/D/1, Little's law, speculative decoding).
#include <doctest/doctest.h>
#include "check_or_return.hpp"

#include <cmath>
#include <string>

#include "model/presets.hpp"
#include "roofline/hardware.hpp"
#include "roofline/iteration.hpp"
#include "roofline/plan.hpp"
#include "serve/serve.hpp"

using namespace llmst;

namespace {

ModelConfig preset(const char* id) {
  const ModelPreset* p = find_model_preset(id);
  REQUIRE(p != nullptr);
  return p->config;
}

Workload on(const char* hardware, const ModelConfig& model, double gpus = 1, const char* parallelism = "tensor") {
  Workload w;
  w.model = model;
  w.hardware = *find_hardware(hardware);
  w.gpus = gpus;
  w.parallelism = parallelism;
  return w;
}

// A small model on an H100: fast to simulate, KV plentiful.
ServeConfig small(double rate, double requests) {
  ServeConfig c;
  c.workload = on("h100-sxm", preset("llama-3.2-1b"));
  c.rate = rate;
  c.requests = requests;
  c.prompt_tokens = 512;
  c.output_tokens = 64;
  c.seed = 7;
  return c;
}

double rel(double a, double b) { return std::abs(a - b) / std::abs(b); }

}  // namespace

TEST_CASE("iteration cost: decode-only and one whole prompt equal plan()'s step_s and ttft_s") {
  struct Case {
    const char* model;
    const char* hardware;
    double gpus;
    const char* parallelism;
    double stages = 1;  // pipeline_stages of tensor_pipeline
  };
  // Dense GQA, MLA + MoE (with tensor parallelism), sliding and global layers,
  // learned positions, chunked attention + MoE, pipeline parallelism, both.
  const Case cases[] = {
      {"llama-3-8b", "h100-sxm", 1, "tensor"},          {"deepseek-v3", "h100-sxm", 8, "tensor"},
      {"gemma-3-27b", "a100-80gb", 2, "tensor"},        {"gpt2", "h100-sxm", 1, "tensor"},
      {"llama-4-scout", "h100-sxm", 4, "tensor"},       {"llama-3-70b", "h100-sxm", 4, "pipeline"},
      {"gpt-oss-20b", "h100-sxm", 1, "tensor"},         {"llama-3-70b", "h100-sxm", 8, "tensor_pipeline", 2},
      {"deepseek-v3", "h200", 8, "tensor_pipeline", 4}, {"deepseek-v3.2", "h200", 8, "tensor"}};
  for (const Case& k : cases) {
    Workload w = on(k.hardware, preset(k.model), k.gpus, k.parallelism);
    w.pipeline_stages = k.stages;
    const IterationCostModel model = IterationCostModel::build(w);
    INFO(model.status.message);
    CHECK_OR_RETURN(model.status.ok);
    for (double batch : {1.0, 7.0, 64.0})
      for (double context : {1.0, 300.0, 5000.0, 40000.0}) {
        w.batch = batch;
        w.context = context;
        const PlanResult p = plan(w);
        INFO(p.status.message);
        CHECK_OR_RETURN(p.status.ok);
        IterationShape shape = model.empty_shape();
        for (double i = 0; i < batch; ++i) model.add_decode(shape, context);
        INFO(k.model << " x" << k.gpus << " " << k.parallelism << " batch " << batch << " context " << context);
        CHECK(rel(model.time_s(shape), p.decode.step_s) < 1e-9);
        if (batch == 1) {
          IterationCostModel::clear(shape);
          model.add_tokens(shape, 0, context, 1, true);
          CHECK(rel(model.time_s(shape), p.prefill.ttft_s) < 1e-9);
        }
      }
  }
}

TEST_CASE("iteration cost: a prompt in chunks computes the same pairs as whole, and costs at least as much") {
  Workload w = on("h100-sxm", preset("llama-3-8b"));
  const IterationCostModel model = IterationCostModel::build(w);
  REQUIRE(model.status.ok);
  IterationShape whole = model.empty_shape(), chunked = model.empty_shape();
  model.add_tokens(whole, 0, 4096, 1, true);
  double chunks_s = 0;
  for (double start = 0; start < 4096; start += 512) {
    IterationShape one = model.empty_shape();
    model.add_tokens(one, start, 512, 1, true);
    model.add_tokens(chunked, start, 512, 1, true);
    chunks_s += model.time_s(one);
  }
  CHECK(chunked.pairs[0] == whole.pairs[0]);  // causal pairs: 4096 x 4097 / 2 either way
  CHECK(whole.pairs[0] == 4096.0 * 4097 / 2);
  CHECK(chunks_s >= model.time_s(whole));  // each chunk reads the weights again
}

TEST_CASE("iteration cost: sparse attention (DeepSeek-V3.2) keeps the attention's and the indexer's pairs apart") {
  const IterationCostModel model = IterationCostModel::build(on("h200", preset("deepseek-v3.2"), 8));
  REQUIRE(model.status.ok);
  // Layer kinds 0 (dense FFN) and 1 (MoE), then their indexers' full spans (2, 3).
  IterationShape whole = model.empty_shape(), chunked = model.empty_shape();
  REQUIRE(whole.pairs.size() == 4);
  model.add_tokens(whole, 0, 8192, 1, true);
  for (double start = 0; start < 8192; start += 1024) model.add_tokens(chunked, start, 1024, 1, true);
  // Token i attends min(i, 2048) keys; the indexer scores all i.
  const double attention = 2048.0 * 2049 / 2 + (8192.0 - 2048) * 2048, indexer = 8192.0 * 8193 / 2;
  for (size_t run : {0, 1}) {
    CHECK(whole.pairs[run] == attention);
    CHECK(chunked.pairs[run] == attention);
    CHECK(whole.pairs[run + 2] == indexer);
    CHECK(chunked.pairs[run + 2] == indexer);
  }
  // A decode step at 10,000: 2,048 latents read, every indexer key scored.
  IterationShape step = model.empty_shape();
  model.add_decode(step, 10000);
  CHECK(step.keys[1] == 2048);
  CHECK(step.keys[3] == 10000);
  // A chunk after a cached prefix: its rows pick their top-k anywhere, so all of the cache is read.
  IterationShape late = model.empty_shape();
  model.add_tokens(late, 6144, 1024, 1, true);
  CHECK(late.keys[1] == 7168);
}

TEST_CASE("serve: bad inputs are refused naming the field") {
  ServeConfig c = small(1, 10);
  c.rate = -1;
  CHECK(serve(c).status.field == "rate");
  // A denormal rate made every arrival time infinite and the latencies NaN (found by the fuzz driver).
  for (double rate : {4.94065645841247e-324, 1e-300, 9.9e-7}) {
    c.rate = rate;
    CHECK(serve(c).status.field == "rate");
  }
  c.rate = 1e-6;
  CHECK(serve(c).status.ok);
  c = small(1, 10);
  c.scheduler = "fifo";
  CHECK(serve(c).status.field == "scheduler");
  c = small(1, 10);
  c.arrival = "trace";
  c.trace = "";
  ServeResult r = serve(c);
  CHECK(r.status.field == "trace");
  CHECK(r.status.message.find("no request lines") != std::string::npos);
  c.trace = "arrival_s,prompt_tokens,output_tokens\n0,100,10\n0.5,abc,10\n";
  r = serve(c);
  CHECK(r.status.field == "trace");
  CHECK(r.status.message == "trace line 3: prompt_tokens = \"abc\" is not a number");
  c.trace = "0,100,10\n1,100\n";
  CHECK(serve(c).status.message.find("trace line 2:") == 0);
  c.trace = "0,100,-3\n";
  CHECK(serve(c).status.message == "trace line 1: output_tokens = -3 must be at least 1");
  c = small(1, 10);
  c.spec_draft = true;
  c.draft_model = preset("llama-3-8b");  // vocab 128256 = llama-3.2-1b's: accepted
  CHECK(serve(c).status.ok);
  c.draft_model = preset("llama-2-7b");  // vocab 32000
  r = serve(c);
  CHECK(r.status.field == "spec_draft");
  CHECK(r.status.message.find("vocab_size = 32000") != std::string::npos);
  c = small(1, 10);
  c.workload.model = preset("llama-3-70b");  // 141 GB of fp16 weights on one 80 GB device
  CHECK(serve(c).status.field == "gpu_memory_utilization");
  c = small(1, 10);
  c.spec_mtp = true;
  CHECK(serve(c).status.field == "spec_mtp");  // Llama has no MTP module
}

TEST_CASE("serve: a request alone gets the planner's prefill time as TTFT and its decode steps as TPOT") {
  ServeConfig c = small(0.01, 20);  // one every 100 s: never two at once
  const ServeResult r = serve(c);
  REQUIRE(r.status.ok);
  Workload w = c.workload;
  w.batch = 1;
  w.context = c.prompt_tokens;
  const PlanResult p = plan(w);
  CHECK(rel(r.ttft_s.mean, p.prefill.ttft_s) < 1e-9);
  CHECK(rel(r.ttft_s.p99, p.prefill.ttft_s) < 1e-9);
  CHECK(rel(r.unloaded_ttft_s, p.prefill.ttft_s) < 1e-9);
  // TPOT: the mean of the decode steps at contexts 513 .. 575.
  double steps = 0;
  for (double context = c.prompt_tokens + 1; context < c.prompt_tokens + c.output_tokens; ++context) {
    w.context = context;
    steps += plan(w).decode.step_s;
  }
  CHECK(rel(r.tpot_s.mean, steps / (c.output_tokens - 1)) < 1e-9);
}

TEST_CASE("serve: M/D/1 — one request at a time, deterministic service: mean wait ρ/(2μ(1−ρ)) within 3 %") {
  // Batch 1, fixed prompt, one output token: every request's service is the same prefill.
  for (double rho : {0.3, 0.5, 0.7}) {
    ServeConfig c = small(1, 200000);
    c.max_batch = 1;
    c.output_tokens = 1;
    c.seed = 11;
    ServeConfig probe = c;
    probe.requests = 1;
    const double service_s = serve(probe).unloaded_ttft_s;
    const double mu = 1 / service_s;
    c.rate = rho * mu;
    const ServeResult r = serve(c);
    REQUIRE(r.status.ok);
    const double wait = r.ttft_s.mean - service_s;     // queueing only
    const double theory = rho / (2 * mu * (1 - rho));  // Pollaczek–Khinchine, deterministic service
    INFO("rho " << rho << ": simulated " << wait << " s, M/D/1 " << theory << " s");
    CHECK(rel(wait, theory) < 0.03);
    // Little's law, both sides: L = λ W.
    CHECK(rel(r.littles_law.mean_in_system, r.littles_law.rate_times_time) < 1e-9);
  }
}

TEST_CASE("serve: invariants under pressure — nothing lost, tokens conserved, blocks never over-allocated") {
  for (const char* scheduler : {"static", "continuous", "chunked"})
    for (const char* preemption : {"recompute", "swap"}) {
      ServeConfig c = small(200, 600);  // far above capacity: queues and preemptions
      c.workload.model = preset("llama-3-8b");
      c.workload.hardware = *find_hardware("l4");
      c.scheduler = scheduler;
      c.preemption = preemption;
      c.prompt_dist = "lognormal";
      c.output_tokens = 256;
      c.output_dist = "exponential";
      c.chunk_tokens = 512;
      c.check_invariants = true;
      const ServeResult r = serve(c);
      INFO(scheduler << " " << preemption << ": " << r.status.message);
      REQUIRE(r.status.ok);
      CHECK(r.completed + r.rejected == c.requests);
      CHECK(r.invariant_violations == 0);
      CHECK(r.kv.peak_utilization <= 1);
      CHECK(r.output_tokens > 0);
      if (std::string(scheduler) != "static") {
        CHECK(r.kv.preemptions > 0);
        if (std::string(preemption) == "recompute")
          CHECK(r.kv.recomputed_tokens > 0);
        else
          CHECK(r.kv.swapped_blocks > 0);
      }
      CHECK(rel(r.littles_law.mean_in_system, r.littles_law.rate_times_time) < 1e-9);
    }
}

TEST_CASE("serve: invariants with speculation and shared prefixes under pressure") {
  for (const char* scheduler : {"continuous", "chunked"})
    for (const char* preemption : {"recompute", "swap"})
      for (int variant = 0; variant < 2; ++variant) {
        ServeConfig c = small(200, 400);
        c.workload.model = preset("llama-3-8b");
        c.workload.hardware = *find_hardware("l4");
        c.scheduler = scheduler;
        c.preemption = preemption;
        c.output_tokens = 200;
        c.output_dist = "exponential";
        c.chunk_tokens = 512;
        c.check_invariants = true;
        if (variant == 0) {
          c.spec_draft = true;
          c.draft_model = preset("llama-3.2-1b");
          c.spec_gamma = 3;
        } else {
          c.prefix_share = 0.7;
          c.prefix_tokens = 300;
        }
        const ServeResult r = serve(c);
        INFO(scheduler << " " << preemption << (variant == 0 ? " speculative" : " prefix") << ": " << r.status.message);
        REQUIRE(r.status.ok);
        CHECK(r.kv.preemptions > 0);
        CHECK(r.invariant_violations == 0);
        CHECK(r.completed + r.rejected == c.requests);
        if (variant == 1) CHECK(r.prefix_cache.hit_rate > 0);
      }
}

TEST_CASE("serve: tokens conserved — output tokens = Σ outputs, prefill = Σ prompts + recomputed") {
  ServeConfig c = small(100, 400);
  c.workload.hardware = *find_hardware("l4");
  c.workload.model = preset("llama-3-8b");
  c.output_tokens = 300;
  c.scheduler = "chunked";
  c.chunk_tokens = 256;
  c.check_invariants = true;
  const ServeResult r = serve(c);
  REQUIRE(r.status.ok);
  REQUIRE(r.kv.preemptions > 0);  // the test is about restoring preempted requests
  CHECK(r.rejected == 0);
  CHECK(r.completed == 400);
  CHECK(r.output_tokens == 400 * 300);
  CHECK(r.prefill_tokens == 400 * 512 + r.kv.recomputed_tokens);
  // Each recompute re-prefills the prompt and the tokens generated so far (at least one).
  CHECK(r.kv.recomputed_tokens >= r.kv.preemptions * 513);
}

TEST_CASE("serve: speculative decoding — tokens per step → (1 − α^(γ+1)) / (1 − α)") {
  for (double alpha : {0.5, 0.8})
    for (double gamma : {2.0, 5.0}) {
      ServeConfig c = small(2, 400);
      c.spec_draft = true;
      c.draft_model = preset("llama-3.2-1b");
      c.workload.model = preset("llama-3-8b");
      c.spec_accept = alpha;
      c.spec_gamma = gamma;
      c.output_tokens = 200;
      const ServeResult r = serve(c);
      REQUIRE(r.status.ok);
      const double expected = (1 - std::pow(alpha, gamma + 1)) / (1 - alpha);
      CHECK(r.spec.expected_tokens_per_step == doctest::Approx(expected).epsilon(1e-12));
      INFO("alpha " << alpha << " gamma " << gamma << ": " << r.spec.mean_tokens_per_step << " vs " << expected);
      CHECK(r.spec.steps > 10000);
      CHECK(rel(r.spec.mean_tokens_per_step, expected) < 0.02);
      CHECK(std::abs(r.spec.acceptance_rate - (expected - 1) / gamma) < 0.02);
      CHECK(r.output_tokens == 400 * 200);
    }
  // MTP: DeepSeek-V3's next-token module as the draft.
  ServeConfig c = small(0.5, 50);
  c.workload = on("h200", preset("deepseek-v3"), 8);
  c.workload.weights_dtype = "fp8_block";
  c.spec_mtp = true;
  c.spec_gamma = 1;
  c.spec_accept = 0.85;  // DeepSeek-V3 report: 85-90 % acceptance of the second token
  const ServeResult r = serve(c);
  INFO(r.status.message);
  REQUIRE(r.status.ok);
  CHECK(r.unloaded_tpot_s > 0);
  CHECK(rel(r.spec.mean_tokens_per_step, 1.85) < 0.05);
}

TEST_CASE("serve: prefix caching — the hit rate of a warm cache is the share times the cached part of the prompt") {
  ServeConfig c = small(20, 3000);
  c.prefix_share = 0.6;
  c.prefix_tokens = 400;  // 25 blocks of 16: 400 of each 512-token prompt
  const ServeResult r = serve(c);
  REQUIRE(r.status.ok);
  const double expected = 0.6 * 400 / 512;
  INFO("hit rate " << r.prefix_cache.hit_rate << " vs " << expected);
  CHECK(std::abs(r.prefix_cache.hit_rate - expected) < 0.02);
  CHECK(r.prefill_tokens == 3000 * 512 - r.prefix_cache.hit_tokens);
  // Fewer tokens to prefill: a lower TTFT than without the cache.
  ServeConfig cold = c;
  cold.prefix_share = 0;
  CHECK(serve(cold).ttft_s.mean > r.ttft_s.mean);
}

TEST_CASE("serve: deterministic for a seed, different for another") {
  ServeConfig c = small(30, 500);
  c.prompt_dist = "uniform";
  c.output_dist = "lognormal";
  c.arrival = "gamma";
  c.arrival_cv = 3;
  const ServeResult a = serve(c), b = serve(c);
  REQUIRE(a.status.ok);
  CHECK(a.e2e_s.mean == b.e2e_s.mean);
  CHECK(a.ttft_s.p99 == b.ttft_s.p99);
  CHECK(a.series.time_s == b.series.time_s);
  c.seed = 8;
  CHECK(serve(c).e2e_s.mean != a.e2e_s.mean);
}

TEST_CASE("serve: schedulers, arrivals and outputs") {
  ServeConfig c = small(20, 1000);
  for (const char* scheduler : {"static", "continuous", "chunked"}) {
    c.scheduler = scheduler;
    const ServeResult r = serve(c);
    REQUIRE(r.status.ok);
    INFO(scheduler);
    CHECK(r.completed == 1000);
    CHECK(r.series.time_s.size() <= 500);
    CHECK(r.requests.e2e_s.size() == 1000);
    CHECK(r.ttft_s.p50 <= r.ttft_s.p90);
    CHECK(r.ttft_s.p90 <= r.ttft_s.p99);
    CHECK(r.throughput.output_tokens_per_s == doctest::Approx(1000 * 64 / r.duration_s));
  }
  // Static batching holds every request to its batch's end: a longer e2e than continuous batching.
  c.scheduler = "static";
  c.output_dist = "exponential";
  const double static_e2e = serve(c).e2e_s.mean;
  c.scheduler = "continuous";
  CHECK(serve(c).e2e_s.mean < static_e2e);
  // Closed loop: at most `users` requests in the system, so L <= users.
  c.arrival = "closed";
  c.users = 4;
  const ServeResult closed = serve(c);
  REQUIRE(closed.status.ok);
  CHECK(closed.completed == 1000);
  CHECK(closed.littles_law.mean_in_system <= 4);
  CHECK(closed.littles_law.mean_in_system > 3.9);  // a user always has one outstanding, no think time
  // A ramp: user i joins at i x ramp_s / users. The ramp is longer than a request, so user 0
  // sends several before user 3 joins: requests arrive out of the order they were sent in.
  c.requests = 40;
  c.output_dist = "fixed";
  c.ramp_s = 30 * closed.e2e_s.mean;
  c.check_invariants = true;
  const ServeResult ramped = serve(c);
  REQUIRE(ramped.status.ok);
  CHECK(ramped.completed == 40);
  CHECK(ramped.invariant_violations == 0);
  CHECK(ramped.duration_s > 0.75 * c.ramp_s);
  // Little's law holds exactly over a run that starts and ends empty: L = lambda W.
  CHECK(ramped.littles_law.mean_in_system == doctest::Approx(ramped.littles_law.rate_times_time).epsilon(1e-9));
  CHECK(ramped.littles_law.mean_in_system < 3.9);  // fewer users than 4 during the ramp
  // The first request alone: the unloaded time to first token.
  CHECK(ramped.requests.ttft_s[0] == doctest::Approx(ramped.unloaded_ttft_s).epsilon(1e-12));
  c.ramp_s = 0;
  c.check_invariants = false;
  c.requests = 1000;
  // A trace: its own arrivals and lengths.
  c.arrival = "trace";
  c.trace = "arrival_s,prompt_tokens,output_tokens,prefix_id\n0.5,100,10,0\n0,200,20\n# comment\n\n3,50,1,0\n";
  const ServeResult traced = serve(c);
  REQUIRE(traced.status.ok);
  CHECK(traced.completed == 3);
  CHECK(traced.output_tokens == 31);
  // A request that never fits is rejected, not looped on.
  c.arrival = "poisson";
  c.trace = "";
  c.requests = 20;
  c.prompt_tokens = 9e6;
  c.prompt_dist = "fixed";
  const ServeResult rejected = serve(c);
  REQUIRE(rejected.status.ok);
  CHECK(rejected.rejected == 20);
}

TEST_CASE("serve: the rate search finds the highest rate meeting the SLO") {
  ServeConfig c = small(5, 400);
  c.slo_ttft_s = 0.2;
  c.slo_tpot_s = 0.02;
  const ServeMaxRate m = serve_max_rate(c);
  REQUIRE(m.status.ok);
  REQUIRE(m.met);
  CHECK(m.result.slo_attainment >= 0.9);
  ServeConfig above = c;
  above.rate = m.rate * 1.05;
  CHECK(serve(above).slo_attainment < 0.9);
  c.arrival = "closed";
  CHECK(serve_max_rate(c).status.field == "arrival");
}

TEST_CASE("serve: the work estimate counts the requests") {
  ServeConfig c = small(5, 10000);
  const sim::WorkEstimate one = estimate_serve(c);
  REQUIRE(one.status.ok);
  CHECK(one.seconds > 0);
  CHECK(estimate_serve(c, 20).seconds == doctest::Approx(20 * one.seconds));
  c.requests = -1;
  CHECK(estimate_serve(c).status.field == "requests");
}

// A seeded discrete-event simulation of an LLM serving engine: requests
// arrive, a scheduler forms one batch per iteration, the iteration costs what
// the roofline says it costs (roofline/iteration.hpp, the planner's operators),
// a paged KV cache holds the tokens, and the result carries TTFT, TPOT and
// end-to-end latency, throughput, goodput, KV use over time and both sides of
// Little's law. Every rule and its source: docs/serve.md.
//
//   schedulers  static (FasterTransformer: a batch runs to its longest request),
//               continuous (Orca's iteration-level scheduling with vLLM v0's
//               policy: admitted prompts prefill whole, before any decode),
//               chunked (Sarathi-Serve: decodes first, then prompt chunks up to
//               a token budget per iteration)
//   KV cache    blocks of block_size tokens (vLLM PagedAttention) over the memory
//               left after the weights; a watermark; preemption by recompute or
//               by swap over the host link; prefix blocks hashed, LRU eviction
//   arrivals    poisson, gamma (a CV), closed loop (users), or a CSV trace
//   speculative a draft model or MTP heads; γ drafts, acceptance α per token
//
// Validation happens once, at the entrance: a bad field is a Status naming it
// (a trace's bad line is named by its number).
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"
#include "roofline/roofline.hpp"
#include "sim/work_estimate.hpp"

namespace llmst {

struct ServeConfig {
  // Model, hardware, gpus, parallelism, weights and KV dtypes, as plan() takes
  // them (batch and context are not read: the simulation sets them).
  Workload workload;
  // Fractions of the peaks an engine reaches (default 1: the pure roofline),
  // and a fixed cost per iteration (scheduling, sampling, kernel launches).
  double compute_efficiency = 1;
  double memory_efficiency = 1;
  double iteration_overhead_s = 0;

  // Arrivals: "poisson", "gamma" (inter-arrival CV arrival_cv), "closed"
  // (`users` each sending the next request when the last completes) or
  // "trace" (CSV text: arrival_s, prompt_tokens, output_tokens[, prefix_id]).
  std::string arrival = "poisson";
  double rate = 1;  // requests per second (poisson, gamma)
  double arrival_cv = 2;
  double users = 8;
  double ramp_s = 0;       // closed loop: user i sends its first request at i x ramp_s / users (0: all at once)
  double requests = 1000;  // drawn (poisson, gamma, closed); a trace sends its lines
  std::string trace;
  // Lengths: "fixed", "uniform" (on [1, 2 mean - 1]), "exponential" or "lognormal" (σ = 1), mean as given.
  double prompt_tokens = 512;
  std::string prompt_dist = "fixed";
  double output_tokens = 128;
  std::string output_dist = "fixed";

  // Scheduler: "static", "continuous" or "chunked".
  std::string scheduler = "continuous";
  double chunk_tokens = 2048;  // tokens per iteration (chunked); prompt tokens per prefill iteration (continuous)
  double max_batch = 256;      // sequences running at once (vLLM max_num_seqs)
  double block_size = 16;      // tokens per KV block (vLLM's default)
  double gpu_memory_utilization =
      0.9;                  // share of device memory for weights + KV (vLLM's default); the rest: activations
  double watermark = 0.01;  // share of blocks kept free when admitting (vLLM's default)
  std::string preemption = "recompute";  // "recompute" or "swap"

  // Prefix caching: a share of requests start with one common prefix of prefix_tokens.
  double prefix_share = 0;
  double prefix_tokens = 0;

  // Speculative decoding: a draft model (spec_draft) or the model's MTP heads (spec_mtp).
  bool spec_draft = false;
  ModelConfig draft_model;
  std::string draft_weights_dtype = "fp16";
  bool spec_mtp = false;
  double spec_gamma = 4;     // draft tokens per step
  double spec_accept = 0.7;  // probability each draft token is accepted

  // Service-level objective: 0 = no bound on that metric.
  double slo_ttft_s = 0;
  double slo_tpot_s = 0;
  double slo_attainment = 0.9;  // max-rate search: the share of requests that must meet the SLO

  double seed = 1;
  bool check_invariants = false;  // recount the KV books every iteration (tests; slow)
};

struct LatencyStats {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0;
};

// Mean and percentiles by linear interpolation between order statistics
// (Hyndman & Fan type 7, numpy's default); empty: all zeros.
LatencyStats latency_stats(std::vector<double> values);

struct ServeThroughput {
  double requests_per_s = 0;
  double input_tokens_per_s = 0;
  double output_tokens_per_s = 0;
};

struct ServeKv {
  double peak_utilization = 0;  // largest share of blocks in use (static: reserved) at an iteration's end
  double mean_utilization = 0;  // time-weighted over iterations
  double preemptions = 0;
  double recomputed_tokens = 0;  // prompt and generated tokens prefilled again after a recompute preemption
  double swapped_blocks = 0;     // blocks swapped out (each swapped back in once)
  double total_blocks = 0;
  double block_bytes = 0;         // one block on one device (target + draft KV)
  double capacity_bytes = 0;      // per device: memory x gpu_memory_utilization - weights
  double kv_bytes_per_token = 0;  // per device
  double weights_per_device_bytes = 0;
};

struct ServePrefix {
  double hit_rate = 0;  // prompt tokens found in the cache / prompt tokens looked up (vLLM's)
  double hit_tokens = 0;
  double queried_tokens = 0;
};

struct ServeSpec {
  double mean_tokens_per_step = 0;      // measured: accepted drafts + 1 per sequence per target step
  double acceptance_rate = 0;           // measured: accepted / proposed draft tokens
  double expected_tokens_per_step = 0;  // (1 - α^(γ+1)) / (1 - α) (Leviathan et al. 2023)
  double steps = 0;                     // sequence-steps verified
};

struct LittlesLaw {
  double mean_in_system = 0;       // L: time-average of requests arrived and not completed, over [0, end]
  double arrival_rate = 0;         // λ: completed requests / end
  double mean_time_in_system = 0;  // W: mean end-to-end latency
  double rate_times_time = 0;      // λ W, to compare with L
};

// Downsampled to at most 500 points (every k-th iteration end).
struct ServeSeries {
  std::vector<double> time_s, kv_utilization, running, waiting, batch;
};

// Per completed request, in completion order; every k-th when more than 10,000.
struct ServeSamples {
  std::vector<double> ttft_s, tpot_s, e2e_s;
};

struct ServeResult {
  Status status;
  LatencyStats ttft_s, tpot_s, e2e_s;  // TPOT over requests with at least 2 output tokens
  ServeThroughput throughput;
  double goodput_requests_per_s = 0;  // completed requests meeting both SLO bounds, per second
  double slo_attainment = 0;          // requests meeting both bounds / requests (rejected ones fail)
  ServeKv kv;
  ServePrefix prefix_cache;
  ServeSpec spec;
  LittlesLaw littles_law;
  ServeSeries series;
  ServeSamples requests;
  double completed = 0;
  double rejected = 0;    // could never fit the KV cache, even alone
  double duration_s = 0;  // last completion
  double iterations = 0;
  double prefill_tokens = 0;        // prompt tokens computed (cache hits excluded, recomputation included)
  double output_tokens = 0;         // tokens emitted
  double unloaded_ttft_s = 0;       // one prompt of prompt_tokens alone: the planner's prefill time + overhead
  double unloaded_tpot_s = 0;       // one decode step at prompt_tokens + 1 alone (+ drafts, + overhead)
  double invariant_violations = 0;  // with check_invariants: iterations whose KV books did not add up
  // One device's busy seconds over the run (iterations' FLOPs / peak and bytes /
  // bandwidth, roofline/iteration.hpp): the deployment search's power model.
  double compute_busy_s = 0;
  double memory_busy_s = 0;
};

// The defaults (docs/serve.md).
ServeConfig serve_defaults();

// Runs the simulation. Refuses a config whose requests would not fit the run
// memory cap (core/heap.hpp) before allocating.
ServeResult serve(const ServeConfig& config);

// The highest rate (requests/s) whose run meets the SLO: slo_attainment of the
// requests meet every bound given. Bisection over rate, the same seed each run.
struct ServeMaxRate {
  Status status;
  double rate = 0;   // 0 when even the lowest rate tried misses the SLO
  bool met = false;  // false: `result` is the lowest rate tried, which misses
  double evaluations = 0;
  ServeResult result;
};
ServeMaxRate serve_max_rate(const ServeConfig& config);

// How long serve() (runs = 1) or a search/sweep of `runs` simulations takes, at the work
// estimate's deliberately low rates (sim/work_estimate.hpp).
sim::WorkEstimate estimate_serve(const ServeConfig& config, double runs = 1);

}  // namespace llmst

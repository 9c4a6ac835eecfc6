// Deployment search (issue 15): every hardware x GPU count x parallelism x
// weights format x KV dtype x batch for one model and one workload, each
// costed by the plan the Plan panel shows (roofline_detail::plan_at), with
// its price, its energy, and the Pareto front of cost against time per
// output token among the configurations that fit and meet the SLOs.
// The model: docs/search.md.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"

namespace llmst {

// Lists are comma-separated, like the model's layer_types: the CLI and the JS
// API pass them as they were typed or joined, and the core checks every item.
struct SearchInput {
  ModelConfig model;
  double prompt_tokens = 1024;            // tokens of each prompt (prefilled together for the batch: TTFT)
  double output_tokens = 256;             // tokens generated per sequence
  double slo_ttft_s = 0;                  // time to first token at most this; 0: no limit
  double slo_tpot_s = 0;                  // time per output token at most this; 0: no limit
  std::string hardware;                   // preset ids; "": every gpu and tpu preset
  double max_gpus = 8;                    // GPU counts 1 ... max_gpus
  std::string weights = "bf16,fp8,int4";  // weights formats (quant/sizes.hpp WeightsFormat ids)
  std::string kv_dtype = "bf16,fp8";
  std::string batches = "1,2,4,8,16,32,64,128,256";  // sequences decoded together
  std::string prices;               // "id=usd_per_hour,...": a price for a preset that has none, or a different one
  double flop_efficiency = 1;       // as the plan's (1: the ideal roofline)
  double bandwidth_efficiency = 1;  // as the plan's
  // Power model (docs/search.md): a device draws TDP x (idle + compute share x compute utilisation
  // + memory share x memory utilisation); the compute share is what idle and memory leave of 1.
  double idle_power_fraction = 0.1;    // idle draw, as a share of TDP
  double memory_power_fraction = 0.3;  // extra draw of HBM streaming at full bandwidth, as a share of TDP
  double max_points = 2000;            // feasible points returned, cheapest first (the front is always whole)
  // Chunked prefill (docs/search.md, "Chunk size"): "" (default) runs no simulation. Otherwise the
  // chunk budgets to simulate, tokens per iteration; 0 = whole prompts (continuous batching with no
  // chunking). The candidate configurations run in the serving simulator as a closed loop of `batch`
  // users, once per chunk budget.
  std::string chunk_tokens;
  double slo_attainment = 0.9;  // a simulated point meets the SLOs when this share of its requests meet both
};

// What a point is: the chips, their split, the formats and the batch.
struct SearchConfiguration {
  std::string hardware;  // preset id
  double gpus = 1;
  double tp = 1;            // tensor-parallel degree
  double pp = 1;            // pipeline stages (tp x pp = gpus): the plan's parallelism is tensor (pp 1),
                            // pipeline (tp 1) or tensor_pipeline (both above 1, pipeline_stages = pp)
  std::string parallelism;  // the plan's: "tensor", "pipeline" or "tensor_pipeline"
  std::string weights;
  std::string kv_dtype;
  std::string compute_dtype;  // the matmul peak used: fp8 for fp8 weights on chips with fp8, else bf16
  double batch = 1;           // a static batch; in a ServingPoint the users, and the engine's max_batch
};

struct SearchPoint : SearchConfiguration {
  double context = 0;                 // prompt + output: the plan's context for fit and TPOT
  double ttft_s = 0;                  // plan at context = prompt_tokens: the batch's prefill
  double tpot_s = 0;                  // plan at context = prompt + output: the last decode step
  double tokens_per_s = 0;            // output tokens/s of the configuration: batch x output / (TTFT + output x TPOT)
  double usd_per_hour = 0;            // all its GPUs
  double usd_per_million_tokens = 0;  // usd_per_hour / (3600 x tokens_per_s) x 1e6
  double joules_per_token = 0;        // per output token, all GPUs; 0 when the chip lists no TDP
  double decode_watts = 0;            // one device's draw during a decode step (power model)
  double prefill_watts = 0;           // one device's draw during the prefill
  bool fits = false;
};

// A configuration run in the serving simulator with one chunk budget: a closed
// loop of `batch` users, each sending its next request when the last completes,
// measured over the requests after the first `batch` and before the last `batch`
// (the start's burst and the end's drain left out).
struct ServingPoint : SearchConfiguration {
  double chunk_tokens = 0;  // tokens per iteration; 0: whole prompts
  std::string scheduler;    // the simulator's: "chunked", or "continuous" for whole prompts
  double requests = 0;      // simulated
  double measured = 0;      // requests the figures below are over
  double ttft_s = 0;        // p90 over the measured requests
  double tpot_s = 0;        // p90 over the measured requests
  double ttft_mean_s = 0;
  double tpot_mean_s = 0;
  double tokens_per_s =
      0;  // output tokens/s: batch x output_tokens / mean end-to-end latency (closed loop, no think time)
  double usd_per_hour = 0;
  double usd_per_million_tokens = 0;
  double slo_attainment = 0;    // measured requests meeting both SLO bounds / measured requests
  bool meets_slo = false;       // slo_attainment >= the input's
  double preemptions = 0;       // over the whole run
  double watts = 0;             // one device's mean draw over the whole run (the power model; 0: no TDP listed)
  double joules_per_token = 0;  // all GPUs over the whole run / output tokens; 0 when the chip lists no TDP
  std::string error;            // why the simulator refused the point ("" when it ran); the point is not feasible
};

struct SearchServing {
  double configurations = 0;  // configurations simulated (each once per chunk budget)
  double simulations = 0;
  double skipped_configurations = 0;   // candidates with batch above 2500 (their 4 x batch requests exceed 10,000)
  std::vector<double> chunk_tokens;    // the budgets simulated, as listed
  std::vector<ServingPoint> points;    // every simulation: by candidate (fastest static TPOT first), then budget
  std::vector<ServingPoint> pareto;    // meets_slo, not dominated in (tpot_s, usd_per_million_tokens), by tpot_s
  std::vector<ServingPoint> cheapest;  // the meets_slo point with the lowest usd_per_million_tokens (none: empty)
};

struct SearchResult {
  Status status;
  double evaluated = 0;                       // configurations costed by the plan
  double fitting = 0;                         // of those, the ones whose weights and KV fit
  double feasible = 0;                        // fit and meet both SLOs
  std::vector<SearchPoint> pareto;            // feasible, not dominated in (tpot_s, usd_per_million_tokens), by tpot_s
  std::vector<SearchPoint> cheapest;          // the feasible point with the lowest usd_per_million_tokens (none: empty)
  std::vector<SearchPoint> points;            // feasible, cheapest first, at most max_points
  bool points_truncated = false;              // more were feasible than max_points
  std::vector<std::string> hardware;          // presets searched (priced)
  std::vector<std::string> skipped_unpriced;  // presets asked for (or of the default list) with no price: not searched
  double skipped_configurations = 0;  // grid cells (every tp x pp <= max_gpus) no plan models: TP degree not dividing
                                      // the heads, more pipeline stages than layers, several GPUs with no link, no
                                      // peak for the dtype
  SearchServing serving;              // chunk_tokens given: the candidates simulated per chunk budget
};

// progress(fraction) is called between blocks of configurations (one
// hardware x weights x KV dtype at a time); may be empty.
SearchResult search(const SearchInput& input, const std::function<void(double)>& progress = {});

}  // namespace llmst

// Native column of bench/calculator.js: one full plan() evaluation (Llama 3 70B
// on 2 x H100 SXM, tensor parallel, batch 8, context 4096), a sweep of plan()
// calls over batch x context, the same sweep prepared once (plan_at: what a
// batched sweep or the search does per point), and the deployment search,
// timed as the JS side times them.
// Usage: bench_calculator [MIN_SECONDS] [RUNS] — prints one JSON object.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/presets.hpp"
#include "roofline/hardware.hpp"
#include "roofline/operators.hpp"
#include "roofline/plan.hpp"
#include "search/search.hpp"
#include "sim/timing_stats.hpp"

using llmst::sim::seconds_since;
using llmst::sim::TimingClock;

// Sweep grid, the same as bench/calculator.js: 9 batches x 9 contexts.
static const double kBatches[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
static const double kContexts[] = {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072};

// `runs` samples, each a block of calls lasting >= min_seconds / runs; seconds per call.
template <typename F>
static llmst::sim::TimingStats time_calls(F&& call, double min_seconds, int runs) {
  call();  // warm-up
  long block = 1;
  for (;;) {
    const auto start = TimingClock::now();
    for (long i = 0; i < block; i++) call();
    if (seconds_since(start) >= min_seconds / runs || block >= (1L << 30)) break;
    block *= 2;
  }
  std::vector<double> samples;
  for (int r = 0; r < runs; r++) {
    const auto start = TimingClock::now();
    for (long i = 0; i < block; i++) call();
    samples.push_back(seconds_since(start) / double(block));
  }
  return llmst::sim::timing_stats(samples);
}

static void print_time(const char* name, const llmst::sim::TimingStats& t) {
  std::printf("\"%s\":{\"runs\":%g,\"median_s\":%.9g,\"q1_s\":%.9g,\"q3_s\":%.9g,\"min_s\":%.9g,\"max_s\":%.9g}", name,
              t.runs, t.median_s, t.q1_s, t.q3_s, t.min_s, t.max_s);
}

int main(int argc, char** argv) {
  const double min_seconds = argc > 1 ? std::atof(argv[1]) : 0.25;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  llmst::Workload workload;
  workload.model = llmst::find_model_preset("llama-3-70b")->config;
  workload.hardware = *llmst::find_hardware("h100-sxm");
  workload.gpus = 2;
  workload.batch = 8;
  workload.context = 4096;
  double sink = 0;  // keeps the calls from being optimized away
  const auto one = time_calls(
      [&] {
        const auto result = llmst::plan(workload);
        sink += result.decode.step_s;
      },
      min_seconds, runs);
  const auto sweep = time_calls(
      [&] {
        for (double batch : kBatches) {
          for (double context : kContexts) {
            workload.batch = batch;
            workload.context = context;
            const auto result = llmst::plan(workload);
            sink += result.decode.step_s;
          }
        }
      },
      min_seconds, runs);
  // The sweep with the workload validated once: one prepare, then plan_at per point (no curve).
  const llmst::roofline_detail::Prepared prepared = llmst::roofline_detail::prepare(workload, true);
  std::vector<llmst::roofline_detail::OpShape> scratch;
  llmst::PlanResult result;
  const auto prepared_sweep = time_calls(
      [&] {
        for (double batch : kBatches) {
          for (double context : kContexts) {
            llmst::PlanPoint at;
            at.batch = batch;
            at.context = context;
            at.tp = 2;  // the workload's 2 GPUs, tensor parallel
            at.curve = false;
            llmst::roofline_detail::plan_at(prepared, workload, at, result, scratch);
            sink += result.decode.step_s;
          }
        }
      },
      min_seconds, runs);
  // The deployment search of bench/calculator.js: Llama 3 70B, every gpu and tpu preset (priced: its
  // own price, else $1/h so none is skipped), up to 16 GPUs, 3 formats x 2 KV dtypes x batches 1..32.
  llmst::SearchInput search_input;
  search_input.model = workload.model;
  search_input.prompt_tokens = 1024;
  search_input.output_tokens = 256;
  search_input.max_gpus = 16;
  search_input.max_points = 2000;
  search_input.batches.clear();
  for (int b = 1; b <= 32; ++b) search_input.batches += (b > 1 ? "," : "") + std::to_string(b);
  for (const llmst::Hardware& h : llmst::hardware_presets())
    if ((h.kind == "gpu" || h.kind == "tpu") && h.usd_per_hour <= 0)
      search_input.prices += (search_input.prices.empty() ? "" : ",") + h.id + "=1";
  double evaluated = 0;
  const auto search = time_calls(
      [&] {
        const llmst::SearchResult found = llmst::search(search_input);
        evaluated = found.evaluated;
        sink += found.feasible;
      },
      min_seconds, runs);
  std::printf("{\"sweep_plans\":%zu,\"search_evaluated\":%.0f,", std::size(kBatches) * std::size(kContexts), evaluated);
  print_time("plan", one);
  std::printf(",");
  print_time("sweep", sweep);
  std::printf(",");
  print_time("prepared_sweep", prepared_sweep);
  std::printf(",");
  print_time("search", search);
  std::printf(",\"sink\":%g}\n", sink);
  return 0;
}

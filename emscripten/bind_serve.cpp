// Serving simulator (serve/serve.hpp): config, result, the rate search and the
// work estimate. Registrations only. Workload and ModelConfig are registered
// by bind_roofline.cpp and bind_model.cpp, Status and VectorDouble by bind_core.cpp.
#include <emscripten/bind.h>

#include "serve/serve.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(serve) {
  value_object<ServeConfig>("ServeConfig")
      .field("workload", &ServeConfig::workload)
      .field("compute_efficiency", &ServeConfig::compute_efficiency)
      .field("memory_efficiency", &ServeConfig::memory_efficiency)
      .field("iteration_overhead_s", &ServeConfig::iteration_overhead_s)
      .field("arrival", &ServeConfig::arrival)
      .field("rate", &ServeConfig::rate)
      .field("arrival_cv", &ServeConfig::arrival_cv)
      .field("users", &ServeConfig::users)
      .field("ramp_s", &ServeConfig::ramp_s)
      .field("requests", &ServeConfig::requests)
      .field("trace", &ServeConfig::trace)
      .field("prompt_tokens", &ServeConfig::prompt_tokens)
      .field("prompt_dist", &ServeConfig::prompt_dist)
      .field("output_tokens", &ServeConfig::output_tokens)
      .field("output_dist", &ServeConfig::output_dist)
      .field("scheduler", &ServeConfig::scheduler)
      .field("chunk_tokens", &ServeConfig::chunk_tokens)
      .field("max_batch", &ServeConfig::max_batch)
      .field("block_size", &ServeConfig::block_size)
      .field("gpu_memory_utilization", &ServeConfig::gpu_memory_utilization)
      .field("watermark", &ServeConfig::watermark)
      .field("preemption", &ServeConfig::preemption)
      .field("prefix_share", &ServeConfig::prefix_share)
      .field("prefix_tokens", &ServeConfig::prefix_tokens)
      .field("spec_draft", &ServeConfig::spec_draft)
      .field("draft_model", &ServeConfig::draft_model)
      .field("draft_weights_dtype", &ServeConfig::draft_weights_dtype)
      .field("spec_mtp", &ServeConfig::spec_mtp)
      .field("spec_gamma", &ServeConfig::spec_gamma)
      .field("spec_accept", &ServeConfig::spec_accept)
      .field("slo_ttft_s", &ServeConfig::slo_ttft_s)
      .field("slo_tpot_s", &ServeConfig::slo_tpot_s)
      .field("slo_attainment", &ServeConfig::slo_attainment)
      .field("seed", &ServeConfig::seed)
      .field("check_invariants", &ServeConfig::check_invariants);

  value_object<LatencyStats>("LatencyStats")
      .field("mean", &LatencyStats::mean)
      .field("p50", &LatencyStats::p50)
      .field("p90", &LatencyStats::p90)
      .field("p99", &LatencyStats::p99);
  value_object<ServeThroughput>("ServeThroughput")
      .field("requests_per_s", &ServeThroughput::requests_per_s)
      .field("input_tokens_per_s", &ServeThroughput::input_tokens_per_s)
      .field("output_tokens_per_s", &ServeThroughput::output_tokens_per_s);
  value_object<ServeKv>("ServeKv")
      .field("peak_utilization", &ServeKv::peak_utilization)
      .field("mean_utilization", &ServeKv::mean_utilization)
      .field("preemptions", &ServeKv::preemptions)
      .field("recomputed_tokens", &ServeKv::recomputed_tokens)
      .field("swapped_blocks", &ServeKv::swapped_blocks)
      .field("total_blocks", &ServeKv::total_blocks)
      .field("block_bytes", &ServeKv::block_bytes)
      .field("capacity_bytes", &ServeKv::capacity_bytes)
      .field("kv_bytes_per_token", &ServeKv::kv_bytes_per_token)
      .field("weights_per_device_bytes", &ServeKv::weights_per_device_bytes);
  value_object<ServePrefix>("ServePrefix")
      .field("hit_rate", &ServePrefix::hit_rate)
      .field("hit_tokens", &ServePrefix::hit_tokens)
      .field("queried_tokens", &ServePrefix::queried_tokens);
  value_object<ServeSpec>("ServeSpec")
      .field("mean_tokens_per_step", &ServeSpec::mean_tokens_per_step)
      .field("acceptance_rate", &ServeSpec::acceptance_rate)
      .field("expected_tokens_per_step", &ServeSpec::expected_tokens_per_step)
      .field("steps", &ServeSpec::steps);
  value_object<LittlesLaw>("LittlesLaw")
      .field("mean_in_system", &LittlesLaw::mean_in_system)
      .field("arrival_rate", &LittlesLaw::arrival_rate)
      .field("mean_time_in_system", &LittlesLaw::mean_time_in_system)
      .field("rate_times_time", &LittlesLaw::rate_times_time);
  value_object<ServeSeries>("ServeSeries")
      .field("time_s", &ServeSeries::time_s)
      .field("kv_utilization", &ServeSeries::kv_utilization)
      .field("running", &ServeSeries::running)
      .field("waiting", &ServeSeries::waiting)
      .field("batch", &ServeSeries::batch);
  value_object<ServeSamples>("ServeSamples")
      .field("ttft_s", &ServeSamples::ttft_s)
      .field("tpot_s", &ServeSamples::tpot_s)
      .field("e2e_s", &ServeSamples::e2e_s);
  value_object<ServeResult>("ServeResult")
      .field("status", &ServeResult::status)
      .field("ttft_s", &ServeResult::ttft_s)
      .field("tpot_s", &ServeResult::tpot_s)
      .field("e2e_s", &ServeResult::e2e_s)
      .field("throughput", &ServeResult::throughput)
      .field("goodput_requests_per_s", &ServeResult::goodput_requests_per_s)
      .field("slo_attainment", &ServeResult::slo_attainment)
      .field("kv", &ServeResult::kv)
      .field("prefix_cache", &ServeResult::prefix_cache)
      .field("spec", &ServeResult::spec)
      .field("littles_law", &ServeResult::littles_law)
      .field("series", &ServeResult::series)
      .field("requests", &ServeResult::requests)
      .field("completed", &ServeResult::completed)
      .field("rejected", &ServeResult::rejected)
      .field("duration_s", &ServeResult::duration_s)
      .field("iterations", &ServeResult::iterations)
      .field("prefill_tokens", &ServeResult::prefill_tokens)
      .field("output_tokens", &ServeResult::output_tokens)
      .field("unloaded_ttft_s", &ServeResult::unloaded_ttft_s)
      .field("unloaded_tpot_s", &ServeResult::unloaded_tpot_s)
      .field("invariant_violations", &ServeResult::invariant_violations)
      .field("compute_busy_s", &ServeResult::compute_busy_s)
      .field("memory_busy_s", &ServeResult::memory_busy_s);
  value_object<ServeMaxRate>("ServeMaxRate")
      .field("status", &ServeMaxRate::status)
      .field("rate", &ServeMaxRate::rate)
      .field("met", &ServeMaxRate::met)
      .field("evaluations", &ServeMaxRate::evaluations)
      .field("result", &ServeMaxRate::result);

  function("serveDefaults", &serve_defaults);
  function("serve", &serve);
  function("serveMaxRate", &serve_max_rate);
  function("estimateServe", &estimate_serve);
}

// Lab module: measured attention runs, prefill (naive vs tiled), decode with a
// KV strategy, and the seed experiment. Their inputs are registered in
// bind_run_inputs.cpp (both modules). Registrations only.
#include <emscripten/bind.h>

#include "sim/attention_runs.hpp"
#include "sim/kernel_bench.hpp"

using namespace emscripten;
using namespace llmst::sim;

EMSCRIPTEN_BINDINGS(attention) {
  value_object<AttentionVariantResult>("AttentionVariantResult")
      .field("variant", &AttentionVariantResult::variant)
      .field("refused", &AttentionVariantResult::refused)
      .field("refusal", &AttentionVariantResult::refusal)
      .field("bytes_needed", &AttentionVariantResult::bytes_needed)
      .field("workspace_bytes", &AttentionVariantResult::workspace_bytes)
      .field("peak_bytes", &AttentionVariantResult::peak_bytes)
      .field("seconds", &AttentionVariantResult::seconds)
      .field("time", &AttentionVariantResult::time)
      .field("gflop_per_s", &AttentionVariantResult::gflop_per_s)
      .field("flops_per_s", &AttentionVariantResult::flops_per_s)
      .field("max_abs_error", &AttentionVariantResult::max_abs_error)
      .field("head_output_hashes", &AttentionVariantResult::head_output_hashes);
  register_vector<AttentionVariantResult>("VectorAttentionVariantResult");
  value_object<AttentionRunResult>("AttentionRunResult")
      .field("status", &AttentionRunResult::status)
      .field("input", &AttentionRunResult::input)
      .field("isa", &AttentionRunResult::isa)
      .field("heads_run", &AttentionRunResult::heads_run)
      .field("flops", &AttentionRunResult::flops)
      .field("input_bytes", &AttentionRunResult::input_bytes)
      .field("intensity", &AttentionRunResult::intensity)
      .field("checked_rows", &AttentionRunResult::checked_rows)
      .field("variants", &AttentionRunResult::variants);

  value_object<DecodeTimeSplit>("DecodeTimeSplit")
      .field("projection", &DecodeTimeSplit::projection)
      .field("store", &DecodeTimeSplit::store)
      .field("recompute", &DecodeTimeSplit::recompute)
      .field("dequantize", &DecodeTimeSplit::dequantize)
      .field("attend", &DecodeTimeSplit::attend)
      .field("output", &DecodeTimeSplit::output);
  value_object<DecodeFlops>("DecodeFlops")
      .field("q_projection", &DecodeFlops::q_projection)
      .field("kv_projection", &DecodeFlops::kv_projection)
      .field("attention", &DecodeFlops::attention)
      .field("output", &DecodeFlops::output);
  value_object<TimingStats>("TimingStats")
      .field("runs", &TimingStats::runs)
      .field("median_s", &TimingStats::median_s)
      .field("q1_s", &TimingStats::q1_s)
      .field("q3_s", &TimingStats::q3_s)
      .field("min_s", &TimingStats::min_s)
      .field("max_s", &TimingStats::max_s);

  value_object<DecodeResult>("DecodeResult")
      .field("status", &DecodeResult::status)
      .field("input", &DecodeResult::input)
      .field("isa", &DecodeResult::isa)
      .field("kv_heads", &DecodeResult::kv_heads)
      .field("hidden_dim", &DecodeResult::hidden_dim)
      .field("head_dim", &DecodeResult::head_dim)
      .field("measured_steps", &DecodeResult::measured_steps)
      .field("seconds", &DecodeResult::seconds)
      .field("time", &DecodeResult::time)
      .field("time_split_s", &DecodeResult::time_split_s)
      .field("step_time", &DecodeResult::step_time)
      .field("tokens_per_s", &DecodeResult::tokens_per_s)
      .field("attended_tokens", &DecodeResult::attended_tokens)
      .field("kv_bytes", &DecodeResult::kv_bytes)
      .field("hidden_bytes", &DecodeResult::hidden_bytes)
      .field("weights_bytes", &DecodeResult::weights_bytes)
      .field("peak_bytes", &DecodeResult::peak_bytes)
      .field("recomputed_tokens", &DecodeResult::recomputed_tokens)
      .field("recomputed_flops", &DecodeResult::recomputed_flops)
      .field("flops_per_step", &DecodeResult::flops_per_step)
      .field("flops_by_part", &DecodeResult::flops_by_part)
      .field("max_abs_error", &DecodeResult::max_abs_error)
      .field("min_cosine", &DecodeResult::min_cosine)
      .field("mean_cosine", &DecodeResult::mean_cosine)
      .field("mask_check_max_abs", &DecodeResult::mask_check_max_abs)
      .field("kv_heads_run", &DecodeResult::kv_heads_run)
      .field("kv_head_output_hashes", &DecodeResult::kv_head_output_hashes)
      .field("cosine_terms", &DecodeResult::cosine_terms);

  value_object<SeedExperimentRow>("SeedExperimentRow")
      .field("sequence_length", &SeedExperimentRow::sequence_length)
      .field("cache_label", &SeedExperimentRow::cache_label)
      .field("cache_tokens", &SeedExperimentRow::cache_tokens)
      .field("seed", &SeedExperimentRow::seed)
      .field("window", &SeedExperimentRow::window)
      .field("recompute", &SeedExperimentRow::recompute)
      .field("none", &SeedExperimentRow::none)
      .field("window_vs_seed", &SeedExperimentRow::window_vs_seed)
      .field("recompute_vs_seed", &SeedExperimentRow::recompute_vs_seed)
      .field("none_vs_seed", &SeedExperimentRow::none_vs_seed)
      .field("readme_tokens_per_s_min", &SeedExperimentRow::readme_tokens_per_s_min)
      .field("readme_tokens_per_s_max", &SeedExperimentRow::readme_tokens_per_s_max);
  register_vector<SeedExperimentRow>("VectorSeedExperimentRow");
  value_object<SeedExperimentResult>("SeedExperimentResult")
      .field("status", &SeedExperimentResult::status)
      .field("input", &SeedExperimentResult::input)
      .field("rows", &SeedExperimentResult::rows);

  function("runAttention", &run_attention);
  function("runDecode", static_cast<DecodeResult (*)(const DecodeInput&)>(&run_decode));
  function("seedExperiment", &seed_experiment);
}

// The benchmark script's entry (bench/attention.js): one kernel, timed here.
EMSCRIPTEN_BINDINGS(attention_bench) {
  value_object<KernelBenchInput>("KernelBenchInput")
      .field("kernel", &KernelBenchInput::kernel)
      .field("n", &KernelBenchInput::n)
      .field("d", &KernelBenchInput::d)
      .field("min_seconds", &KernelBenchInput::min_seconds)
      .field("scalar_twin", &KernelBenchInput::scalar_twin)
      .field("runs", &KernelBenchInput::runs);
  value_object<KernelBenchResult>("KernelBenchResult")
      .field("status", &KernelBenchResult::status)
      .field("input", &KernelBenchResult::input)
      .field("isa", &KernelBenchResult::isa)
      .field("repeats", &KernelBenchResult::repeats)
      .field("seconds", &KernelBenchResult::seconds)
      .field("time", &KernelBenchResult::time)
      .field("flops", &KernelBenchResult::flops)
      .field("gflop_per_s", &KernelBenchResult::gflop_per_s)
      .field("elements_per_s", &KernelBenchResult::elements_per_s)
      .field("checksum", &KernelBenchResult::checksum);
  function("benchKernel", &bench_kernel);
}

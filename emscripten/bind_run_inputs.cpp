// The inputs of the measured runs and their defaults, in both modules: the
// calculator estimates a run and checks its input (estimateRun, checkMachineInput,
// decodeKvClosedForm), the lab runs it. Registrations only.
#include <emscripten/bind.h>

#include "roofline/probe.hpp"
#include "sim/attention_runs.hpp"
#include "sim/quant_lab.hpp"

using namespace emscripten;
using namespace llmst;
using namespace llmst::sim;

namespace {
AttentionRunInput attention_run_defaults() { return {}; }
DecodeInput decode_defaults() { return {}; }
SeedExperimentInput seed_experiment_defaults() { return {}; }
QuantLabInput quant_lab_defaults() { return {}; }
QuantGemvInput quant_gemv_defaults() { return {}; }
ProbeInput default_probe_input() { return {}; }
CacheSweepInput default_cache_sweep_input() { return {}; }
}  // namespace

EMSCRIPTEN_BINDINGS(run_inputs) {
  value_object<AttentionRunInput>("AttentionRunInput")
      .field("n", &AttentionRunInput::n)
      .field("d", &AttentionRunInput::d)
      .field("heads", &AttentionRunInput::heads)
      .field("variant", &AttentionRunInput::variant)
      .field("check_rows", &AttentionRunInput::check_rows)
      .field("seed", &AttentionRunInput::seed)
      .field("memory_budget_bytes", &AttentionRunInput::memory_budget_bytes)
      .field("runs", &AttentionRunInput::runs)
      .field("head_begin", &AttentionRunInput::head_begin)
      .field("head_end", &AttentionRunInput::head_end);

  value_object<DecodeInput>("DecodeInput")
      .field("strategy", &DecodeInput::strategy)
      .field("prompt_tokens", &DecodeInput::prompt_tokens)
      .field("generated_tokens", &DecodeInput::generated_tokens)
      .field("d_model", &DecodeInput::d_model)
      .field("heads", &DecodeInput::heads)
      .field("kv_heads", &DecodeInput::kv_heads)
      .field("hidden_dim", &DecodeInput::hidden_dim)
      .field("cache_tokens", &DecodeInput::cache_tokens)
      .field("sinks", &DecodeInput::sinks)
      .field("kv_layout", &DecodeInput::kv_layout)
      .field("kv_group", &DecodeInput::kv_group)
      .field("sample_steps", &DecodeInput::sample_steps)
      .field("output_projection", &DecodeInput::output_projection)
      .field("seed", &DecodeInput::seed)
      .field("memory_budget_bytes", &DecodeInput::memory_budget_bytes)
      .field("runs", &DecodeInput::runs)
      .field("kv_head_begin", &DecodeInput::kv_head_begin)
      .field("kv_head_end", &DecodeInput::kv_head_end);

  value_object<SeedExperimentInput>("SeedExperimentInput")
      .field("sequence_lengths", &SeedExperimentInput::sequence_lengths)
      .field("d_model", &SeedExperimentInput::d_model)
      .field("heads", &SeedExperimentInput::heads)
      .field("sample_steps", &SeedExperimentInput::sample_steps)
      .field("seed", &SeedExperimentInput::seed)
      .field("runs", &SeedExperimentInput::runs);

  value_object<QuantLabInput>("QuantLabInput")
      .field("format", &QuantLabInput::format)
      .field("layout", &QuantLabInput::layout)
      .field("group_size", &QuantLabInput::group_size)
      .field("scale_dtype", &QuantLabInput::scale_dtype)
      .field("double_quant", &QuantLabInput::double_quant)
      .field("dist", &QuantLabInput::dist)
      .field("n", &QuantLabInput::n)
      .field("channel_size", &QuantLabInput::channel_size)
      .field("seed", &QuantLabInput::seed)
      .field("histogram_bins", &QuantLabInput::histogram_bins)
      .field("inject_nonfinite", &QuantLabInput::inject_nonfinite)
      .field("simd", &QuantLabInput::simd)
      .field("runs", &QuantLabInput::runs)
      .field("chunk_begin", &QuantLabInput::chunk_begin)
      .field("chunk_end", &QuantLabInput::chunk_end);

  value_object<QuantGemvInput>("QuantGemvInput")
      .field("rows", &QuantGemvInput::rows)
      .field("cols", &QuantGemvInput::cols)
      .field("group_size", &QuantGemvInput::group_size)
      .field("seed", &QuantGemvInput::seed)
      .field("min_time_s", &QuantGemvInput::min_time_s)
      .field("simd", &QuantGemvInput::simd)
      .field("runs", &QuantGemvInput::runs)
      .field("row_begin", &QuantGemvInput::row_begin)
      .field("row_end", &QuantGemvInput::row_end);

  value_object<ProbeInput>("ProbeInput")
      .field("bytes", &ProbeInput::bytes)
      .field("repeats", &ProbeInput::repeats)
      .field("min_seconds", &ProbeInput::min_seconds);

  value_object<CacheSweepInput>("CacheSweepInput")
      .field("min_bytes", &CacheSweepInput::min_bytes)
      .field("max_bytes", &CacheSweepInput::max_bytes)
      .field("points_per_octave", &CacheSweepInput::points_per_octave)
      .field("repeats", &CacheSweepInput::repeats)
      .field("min_block_seconds", &CacheSweepInput::min_block_seconds);

  function("attentionRunDefaults", &attention_run_defaults);
  function("decodeDefaults", &decode_defaults);
  function("seedExperimentDefaults", &seed_experiment_defaults);
  function("quantLabDefaults", &quant_lab_defaults);
  function("quantGemvDefaults", &quant_gemv_defaults);
  function("defaultProbeInput", &default_probe_input);
  function("defaultCacheSweepInput", &default_cache_sweep_input);
}

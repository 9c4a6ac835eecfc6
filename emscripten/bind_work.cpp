// Work estimates of the measured runs (sim/work_estimate.hpp): the same input
// value objects as the runs, so a caller estimates exactly what it would run.
// Registrations only.
#include <emscripten/bind.h>

#include "sim/work_estimate.hpp"

using namespace emscripten;
using namespace llmst::sim;

EMSCRIPTEN_BINDINGS(work) {
  value_object<WorkEstimate>("WorkEstimate")
      .field("status", &WorkEstimate::status)
      .field("seconds", &WorkEstimate::seconds)
      .field("flops", &WorkEstimate::flops)
      .field("bytes", &WorkEstimate::bytes)
      .field("fixed_seconds", &WorkEstimate::fixed_seconds)
      .field("flops_per_second", &WorkEstimate::flops_per_second)
      .field("bytes_per_second", &WorkEstimate::bytes_per_second)
      .field("text", &WorkEstimate::text);

  function("estimateAttentionRun", &estimate_attention_run);
  function("estimateDecodeRun", &estimate_decode_run);
  function("estimateSeedExperiment", &estimate_seed_experiment);
  function("estimateQuantLab", &estimate_quant_lab);
  function("estimateQuantGemv", &estimate_quant_gemv);
  function("estimateMachineProbe", &estimate_machine_probe);
  function("estimateCacheSweep", &estimate_cache_sweep);
}

// Lab module: this machine measured, the streaming/multiply-add probe and the
// cache sweep. ProbeInput and CacheSweepInput are registered in
// bind_run_inputs.cpp (both modules), TimingStats in bind_attention.cpp.
// Registrations only.
#include <emscripten/bind.h>

#include "roofline/probe.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(machine) {
  value_object<ProbeMeasure>("ProbeMeasure")
      .field("bandwidth_bytes_per_s", &ProbeMeasure::bandwidth_bytes_per_s)
      .field("flops_per_s", &ProbeMeasure::flops_per_s)
      .field("ridge_flops_per_byte", &ProbeMeasure::ridge_flops_per_byte)
      .field("checksum", &ProbeMeasure::checksum)
      .field("stream_time", &ProbeMeasure::stream_time)
      .field("flops_time", &ProbeMeasure::flops_time);
  value_object<ProbeResult>("ProbeResult")
      .field("status", &ProbeResult::status)
      .field("bytes", &ProbeResult::bytes)
      .field("simd_lanes", &ProbeResult::simd_lanes)
      .field("simd", &ProbeResult::simd)
      .field("scalar", &ProbeResult::scalar);

  value_object<SweepPoint>("SweepPoint")
      .field("bytes", &SweepPoint::bytes)
      .field("simd_bytes_per_s", &SweepPoint::simd_bytes_per_s)
      .field("scalar_bytes_per_s", &SweepPoint::scalar_bytes_per_s)
      .field("simd_median_bytes_per_s", &SweepPoint::simd_median_bytes_per_s)
      .field("scalar_median_bytes_per_s", &SweepPoint::scalar_median_bytes_per_s)
      .field("simd_passes", &SweepPoint::simd_passes)
      .field("scalar_passes", &SweepPoint::scalar_passes)
      .field("simd_time", &SweepPoint::simd_time)
      .field("scalar_time", &SweepPoint::scalar_time);
  register_vector<SweepPoint>("VectorSweepPoint");
  value_object<CachePlateau>("CachePlateau")
      .field("level", &CachePlateau::level)
      .field("bytes_from", &CachePlateau::bytes_from)
      .field("bytes_to", &CachePlateau::bytes_to)
      .field("points", &CachePlateau::points)
      .field("simd_bytes_per_s", &CachePlateau::simd_bytes_per_s)
      .field("scalar_bytes_per_s", &CachePlateau::scalar_bytes_per_s);
  register_vector<CachePlateau>("VectorCachePlateau");
  value_object<CacheSweepResult>("CacheSweepResult")
      .field("status", &CacheSweepResult::status)
      .field("simd_lanes", &CacheSweepResult::simd_lanes)
      .field("points", &CacheSweepResult::points)
      .field("plateaus", &CacheSweepResult::plateaus)
      .field("seconds", &CacheSweepResult::seconds)
      .field("checksum", &CacheSweepResult::checksum);

  function("measureMachine", &measure_machine);
  function("measureCacheSweep", &measure_cache_sweep);
}

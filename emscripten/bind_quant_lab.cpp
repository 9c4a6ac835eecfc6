// Lab module: the measured quantization lab, quantized GEMVs and the quant
// kernel benchmark. QuantLabInput and QuantGemvInput are registered in
// bind_run_inputs.cpp (both modules). Registrations only.
#include <emscripten/bind.h>

#include "sim/quant_lab.hpp"

using namespace emscripten;
using namespace llmst;

namespace {
QuantBenchInput bench_defaults() { return {}; }
}  // namespace

EMSCRIPTEN_BINDINGS(quant_lab) {
  value_object<QuantLabResult>("QuantLabResult")
      .field("status", &QuantLabResult::status)
      .field("format", &QuantLabResult::format)
      .field("dist", &QuantLabResult::dist)
      .field("n", &QuantLabResult::n)
      .field("group_size", &QuantLabResult::group_size)
      .field("bits_per_weight", &QuantLabResult::bits_per_weight)
      .field("rel_rmse", &QuantLabResult::rel_rmse)
      .field("snr_db", &QuantLabResult::snr_db)
      .field("cosine", &QuantLabResult::cosine)
      .field("rmse", &QuantLabResult::rmse)
      .field("max_abs_error", &QuantLabResult::max_abs_error)
      .field("mean_abs_error", &QuantLabResult::mean_abs_error)
      .field("nonfinite_inputs", &QuantLabResult::nonfinite_inputs)
      .field("nonfinite_behaviour", &QuantLabResult::nonfinite_behaviour)
      .field("histogram_edges", &QuantLabResult::histogram_edges)
      .field("histogram_counts", &QuantLabResult::histogram_counts)
      .field("quantize_s", &QuantLabResult::quantize_s)
      .field("quantize_time", &QuantLabResult::quantize_time)
      .field("bytes_needed", &QuantLabResult::bytes_needed)
      .field("kernel", &QuantLabResult::kernel)
      .field("chunks_run", &QuantLabResult::chunks_run)
      .field("chunk_hashes", &QuantLabResult::chunk_hashes)
      .field("chunk_sums", &QuantLabResult::chunk_sums);

  value_object<GemvKernelResult>("GemvKernelResult")
      .field("kernel", &GemvKernelResult::kernel)
      .field("weight_bytes", &GemvKernelResult::weight_bytes)
      .field("bits_per_weight", &GemvKernelResult::bits_per_weight)
      .field("seconds_per_call", &GemvKernelResult::seconds_per_call)
      .field("time", &GemvKernelResult::time)
      .field("gb_per_s", &GemvKernelResult::gb_per_s)
      .field("flops", &GemvKernelResult::flops)
      .field("intensity", &GemvKernelResult::intensity)
      .field("flops_per_s", &GemvKernelResult::flops_per_s)
      .field("calls", &GemvKernelResult::calls)
      .field("max_abs_error", &GemvKernelResult::max_abs_error)
      .field("rel_rmse", &GemvKernelResult::rel_rmse)
      .field("cosine", &GemvKernelResult::cosine)
      .field("output_hash", &GemvKernelResult::output_hash)
      .field("error_terms", &GemvKernelResult::error_terms);
  register_vector<GemvKernelResult>("VectorGemvKernelResult");

  value_object<QuantGemvResult>("QuantGemvResult")
      .field("status", &QuantGemvResult::status)
      .field("rows", &QuantGemvResult::rows)
      .field("cols", &QuantGemvResult::cols)
      .field("group_size", &QuantGemvResult::group_size)
      .field("rows_run", &QuantGemvResult::rows_run)
      .field("kernels", &QuantGemvResult::kernels)
      .field("bytes_needed", &QuantGemvResult::bytes_needed)
      .field("kernel", &QuantGemvResult::kernel);

  value_object<QuantBenchInput>("QuantBenchInput")
      .field("kernel", &QuantBenchInput::kernel)
      .field("n", &QuantBenchInput::n)
      .field("group_size", &QuantBenchInput::group_size)
      .field("min_time_s", &QuantBenchInput::min_time_s)
      .field("simd", &QuantBenchInput::simd)
      .field("runs", &QuantBenchInput::runs);

  value_object<QuantBenchResult>("QuantBenchResult")
      .field("status", &QuantBenchResult::status)
      .field("kernel", &QuantBenchResult::kernel)
      .field("isa", &QuantBenchResult::isa)
      .field("n", &QuantBenchResult::n)
      .field("calls", &QuantBenchResult::calls)
      .field("seconds", &QuantBenchResult::seconds)
      .field("time", &QuantBenchResult::time)
      .field("elements_per_s", &QuantBenchResult::elements_per_s)
      .field("checksum", &QuantBenchResult::checksum);

  function("quantLab", &run_quant_lab);
  function("quantGemv", &run_quant_gemv);
  function("quantLabChunks", &quant_lab_chunks);
  function("quantBenchDefaults", &bench_defaults);
  function("quantBench", &run_quant_bench);
}

// Quantization: formats, sizes, the measured lab and GEMV. Registrations only.
#include <emscripten/bind.h>

#include "quant/formats.hpp"
#include "quant/sizes.hpp"
#include "sim/quant_lab.hpp"

using namespace emscripten;
using namespace llmst;

namespace adaptors {
// Defaults for JS to spread under its input (one source of truth).
QuantSpec spec_defaults() { return {}; }
QuantSizeInput size_defaults() { return {}; }
QuantLabInput lab_defaults() { return {}; }
QuantGemvInput gemv_defaults() { return {}; }
QuantBenchInput bench_defaults() { return {}; }
}  // namespace adaptors

EMSCRIPTEN_BINDINGS(quant) {
  value_object<QuantFormatInfo>("QuantFormatInfo")
      .field("id", &QuantFormatInfo::id)
      .field("label", &QuantFormatInfo::label)
      .field("family", &QuantFormatInfo::family)
      .field("code_bits", &QuantFormatInfo::code_bits)
      .field("grouped", &QuantFormatInfo::grouped)
      .field("zero_point", &QuantFormatInfo::zero_point)
      .field("block_size", &QuantFormatInfo::block_size)
      .field("block_bytes", &QuantFormatInfo::block_bytes)
      .field("measured", &QuantFormatInfo::measured)
      .field("source", &QuantFormatInfo::source);
  register_vector<QuantFormatInfo>("VectorQuantFormatInfo");

  value_object<QuantSpec>("QuantSpec")
      .field("format", &QuantSpec::format)
      .field("layout", &QuantSpec::layout)
      .field("group_size", &QuantSpec::group_size)
      .field("channel_size", &QuantSpec::channel_size)
      .field("scale_dtype", &QuantSpec::scale_dtype)
      .field("double_quant", &QuantSpec::double_quant);

  value_object<BitsPerWeight>("BitsPerWeight")
      .field("status", &BitsPerWeight::status)
      .field("format", &BitsPerWeight::format)
      .field("code_bits", &BitsPerWeight::code_bits)
      .field("weights_per_scale", &BitsPerWeight::weights_per_scale)
      .field("scale_bits", &BitsPerWeight::scale_bits)
      .field("zero_point_bits", &BitsPerWeight::zero_point_bits)
      .field("double_quant_bits", &BitsPerWeight::double_quant_bits)
      .field("bits_per_weight", &BitsPerWeight::bits_per_weight)
      .field("formula", &BitsPerWeight::formula);

  value_object<ParamGroups>("ParamGroups")
      .field("embedding", &ParamGroups::embedding)
      .field("attention", &ParamGroups::attention)
      .field("ffn", &ParamGroups::ffn)
      .field("norms", &ParamGroups::norms)
      .field("lm_head", &ParamGroups::lm_head)
      .field("router", &ParamGroups::router);

  value_object<QuantSizeInput>("QuantSizeInput")
      .field("params", &QuantSizeInput::params)
      .field("spec", &QuantSizeInput::spec)
      .field("embedding_format", &QuantSizeInput::embedding_format)
      .field("attention_format", &QuantSizeInput::attention_format)
      .field("ffn_format", &QuantSizeInput::ffn_format)
      .field("router_format", &QuantSizeInput::router_format)
      .field("norms_format", &QuantSizeInput::norms_format)
      .field("lm_head_format", &QuantSizeInput::lm_head_format);

  value_object<ComponentSize>("ComponentSize")
      .field("component", &ComponentSize::component)
      .field("format", &ComponentSize::format)
      .field("params", &ComponentSize::params)
      .field("bits_per_weight", &ComponentSize::bits_per_weight)
      .field("bytes", &ComponentSize::bytes)
      .field("share", &ComponentSize::share);
  register_vector<ComponentSize>("VectorComponentSize");

  value_object<QuantSizeResult>("QuantSizeResult")
      .field("status", &QuantSizeResult::status)
      .field("bits", &QuantSizeResult::bits)
      .field("components", &QuantSizeResult::components)
      .field("total_params", &QuantSizeResult::total_params)
      .field("bytes", &QuantSizeResult::bytes)
      .field("bits_per_weight", &QuantSizeResult::bits_per_weight)
      .field("fp16_bytes", &QuantSizeResult::fp16_bytes)
      .field("saving_vs_fp16", &QuantSizeResult::saving_vs_fp16);

  value_object<QuantDecisionRow>("QuantDecisionRow")
      .field("technique", &QuantDecisionRow::technique)
      .field("format", &QuantDecisionRow::format)
      .field("group_size", &QuantDecisionRow::group_size)
      .field("memory_saved", &QuantDecisionRow::memory_saved)
      .field("compute_overhead", &QuantDecisionRow::compute_overhead)
      .field("quality", &QuantDecisionRow::quality)
      .field("measure", &QuantDecisionRow::measure);
  register_vector<QuantDecisionRow>("VectorQuantDecisionRow");

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
      .field("runs", &QuantLabInput::runs);

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
      .field("kernel", &QuantLabResult::kernel);

  value_object<QuantGemvInput>("QuantGemvInput")
      .field("rows", &QuantGemvInput::rows)
      .field("cols", &QuantGemvInput::cols)
      .field("group_size", &QuantGemvInput::group_size)
      .field("seed", &QuantGemvInput::seed)
      .field("min_time_s", &QuantGemvInput::min_time_s)
      .field("simd", &QuantGemvInput::simd)
      .field("runs", &QuantGemvInput::runs);

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
      .field("cosine", &GemvKernelResult::cosine);
  register_vector<GemvKernelResult>("VectorGemvKernelResult");

  value_object<QuantGemvResult>("QuantGemvResult")
      .field("status", &QuantGemvResult::status)
      .field("rows", &QuantGemvResult::rows)
      .field("cols", &QuantGemvResult::cols)
      .field("group_size", &QuantGemvResult::group_size)
      .field("kernels", &QuantGemvResult::kernels)
      .field("bytes_needed", &QuantGemvResult::bytes_needed)
      .field("kernel", &QuantGemvResult::kernel);

  value_object<ModelParamGroups>("ModelParamGroups")
      .field("status", &ModelParamGroups::status)
      .field("params", &ModelParamGroups::params)
      .field("total", &ModelParamGroups::total);

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

  function("quantBench", &run_quant_bench);
  function("quantBenchDefaults", &adaptors::bench_defaults);
  function("quantFormats", &quant_formats);
  function("quantParamGroups", &param_groups_of_model);
  function("quantBitsPerWeight", &bits_per_weight);
  function("quantSize", &quant_size);
  function("quantDecisionMatrix", &quant_decision_matrix);
  function("quantLab", &run_quant_lab);
  function("quantGemv", &run_quant_gemv);
  function("quantSpecDefaults", &adaptors::spec_defaults);
  function("quantSizeDefaults", &adaptors::size_defaults);
  function("quantLabDefaults", &adaptors::lab_defaults);
  function("quantGemvDefaults", &adaptors::gemv_defaults);
}

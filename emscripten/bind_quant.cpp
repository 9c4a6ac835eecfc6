// Calculator module: quantization formats, bits per weight, model sizes and the
// decision matrix (the measured lab is bind_quant_lab.cpp). Registrations only.
#include <emscripten/bind.h>

#include "quant/formats.hpp"
#include "quant/sizes.hpp"

using namespace emscripten;
using namespace llmst;

namespace adaptors {
// Defaults for JS to spread under its input (one source of truth).
QuantSpec spec_defaults() { return {}; }
QuantSizeInput size_defaults() { return {}; }
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

  value_object<ModelParamGroups>("ModelParamGroups")
      .field("status", &ModelParamGroups::status)
      .field("params", &ModelParamGroups::params)
      .field("total", &ModelParamGroups::total);

  function("quantFormats", &quant_formats);
  function("quantParamGroups", &param_groups_of_model);
  function("quantBitsPerWeight", &bits_per_weight);
  function("quantSize", &quant_size);
  function("quantDecisionMatrix", &quant_decision_matrix);
  function("quantSpecDefaults", &adaptors::spec_defaults);
  function("quantSizeDefaults", &adaptors::size_defaults);
}

// Calculator module, roofline area: hardware presets, per-operator roofline,
// deployment plan, training memory, calibration points, and the closed forms
// over a measured sweep (sweepCeiling, kernelRoof). The probe and the sweep
// themselves are bind_machine.cpp (lab); their inputs bind_run_inputs.cpp.
// Registrations only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "roofline/calibration.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/probe.hpp"
#include "roofline/roofline.hpp"
#include "roofline/training.hpp"

using namespace emscripten;
using namespace llmst;

namespace {

Workload default_workload() { return Workload{}; }
TrainingInput default_training_input() { return TrainingInput{}; }

// The JS API's fast plan() (issue 16): the workload crosses once (planSet),
// each call passes its point as numbers, and the result returns as doubles in
// planLayout()'s order, read before the next call. Crossing a PlanResult's
// ~80 fields one Embind getter at a time cost more than the plan itself.
// Layout entries are "<kind> <field>": n number, b bool, s bound ("compute" 1,
// "memory" 0), w weight_components (planWeightComponents(), no values), c the
// curve (a count, then 6 values a point); the values start with the status (1 ok).
PlanSeries& plan_series() {
  static PlanSeries series;
  return series;
}
std::vector<double>& plan_values() {
  static std::vector<double> values;
  return values;
}

struct PlanField {
  const char* entry;
  double (*value)(const PlanResult&);
};
double bound_value(const std::string& bound) { return bound == "compute" ? 1 : bound == "memory" ? 0 : -1; }
#define LLMST_PLAN_FIELD(kind, path)                                                \
  {                                                                                 \
    kind " " #path, [](const PlanResult& r) { return static_cast<double>(r.path); } \
  }
#define LLMST_PLAN_BOUND(path)                                          \
  {                                                                     \
    "s " #path, [](const PlanResult& r) { return bound_value(r.path); } \
  }
// PlanResult's value_object order below, so the JS object's keys come out in the same order.
const PlanField kPlanFields[] = {
    LLMST_PLAN_FIELD("n", ridge_flops_per_byte),
    LLMST_PLAN_FIELD("n", peak_flops_per_s),
    LLMST_PLAN_FIELD("n", bandwidth_bytes_per_s),
    LLMST_PLAN_FIELD("n", bytes_per_weight),
    LLMST_PLAN_FIELD("n", total_params),
    LLMST_PLAN_FIELD("n", active_params),
    LLMST_PLAN_FIELD("n", weights_params),
    LLMST_PLAN_FIELD("n", weight_bytes),
    {"w weight_components", nullptr},
    LLMST_PLAN_FIELD("n", kv_bytes_per_token),
    LLMST_PLAN_FIELD("n", kv_bytes),
    LLMST_PLAN_FIELD("n", memory_per_device_bytes),
    LLMST_PLAN_FIELD("n", memory_capacity_bytes),
    LLMST_PLAN_FIELD("n", weights_per_device_bytes),
    LLMST_PLAN_FIELD("n", kv_per_device_bytes),
    LLMST_PLAN_FIELD("n", offloaded_bytes),
    LLMST_PLAN_FIELD("b", fits),
    LLMST_PLAN_FIELD("n", max_batch),
    LLMST_PLAN_FIELD("n", max_context),
    LLMST_PLAN_FIELD("b", max_context_unbounded),
    LLMST_PLAN_FIELD("n", min_gpus),
    LLMST_PLAN_FIELD("n", decode.step_s),
    LLMST_PLAN_FIELD("n", decode.memory_floor_s),
    LLMST_PLAN_FIELD("n", decode.compute_floor_s),
    LLMST_PLAN_FIELD("n", decode.tokens_per_s),
    LLMST_PLAN_FIELD("n", decode.total_tokens_per_s),
    LLMST_PLAN_FIELD("n", decode.flops),
    LLMST_PLAN_FIELD("n", decode.bytes),
    LLMST_PLAN_FIELD("n", decode.weight_bytes_read),
    LLMST_PLAN_FIELD("n", decode.kv_bytes_read),
    LLMST_PLAN_FIELD("n", decode.intensity),
    LLMST_PLAN_BOUND(decode.bound),
    LLMST_PLAN_FIELD("n", decode.communication_s),
    LLMST_PLAN_FIELD("n", decode.offload_s),
    LLMST_PLAN_FIELD("n", decode.experts_touched),
    LLMST_PLAN_FIELD("n", prefill.ttft_s),
    LLMST_PLAN_FIELD("n", prefill.tokens_per_s),
    LLMST_PLAN_FIELD("n", prefill.flops),
    LLMST_PLAN_FIELD("n", prefill.bytes),
    LLMST_PLAN_FIELD("n", prefill.intensity),
    LLMST_PLAN_BOUND(prefill.bound),
    LLMST_PLAN_FIELD("n", prefill.communication_s),
    LLMST_PLAN_FIELD("n", prefill.offload_s),
    {"c curve", nullptr},
};
#undef LLMST_PLAN_FIELD
#undef LLMST_PLAN_BOUND

std::vector<std::string> plan_layout() {
  std::vector<std::string> entries;
  for (const PlanField& field : kPlanFields) entries.push_back(field.entry);
  return entries;
}

void append_plan(const PlanResult& r, std::vector<double>& values) {
  values.push_back(r.status.ok ? 1 : 0);
  if (!r.status.ok) return;  // the caller asks plan() for the message
  for (const PlanField& field : kPlanFields) {
    if (field.value) {
      values.push_back(field.value(r));
    } else if (field.entry[0] == 'c') {
      values.push_back(static_cast<double>(r.curve.size()));
      for (const CurvePoint& p : r.curve)
        values.insert(values.end(),
                      {p.batch, p.step_s, p.tokens_per_s, p.total_tokens_per_s, p.memory_bytes, p.fits ? 1.0 : 0.0});
    }
  }
}

void plan_set(const Workload& workload) { plan_series().set(workload); }

// A view of the values: the caller copies what it needs before calling into the module again.
val plan_point(double batch, double context, double gpus, double offload_layers, double collective_latency_s,
               bool fused_attention) {
  std::vector<double>& values = plan_values();
  values.clear();
  append_plan(plan_series().at({batch, context, gpus, offload_layers, collective_latency_s, fused_attention}, true),
              values);
  return val(typed_memory_view(values.size(), values.data()));
}

// The last point's (they depend only on the workload set).
std::vector<ComponentSize> plan_weight_components() { return plan_series().last().weight_components; }

// points: a Float64Array of batch, context, gpus of each point in turn (copied in at once, not an
// Embind call per number); no curves; stops after the first point that fails (status 0).
val plan_sweep(const val& point_array, double offload_layers, double collective_latency_s, bool fused_attention) {
  const std::vector<double> points = convertJSArrayToNumberVector<double>(point_array);
  std::vector<double>& values = plan_values();
  values.clear();
  for (size_t i = 0; i + 2 < points.size(); i += 3) {
    WorkloadPoint at;
    at.offload_layers = offload_layers;
    at.collective_latency_s = collective_latency_s;
    at.fused_attention = fused_attention;
    at.batch = points[i];
    at.context = points[i + 1];
    at.gpus = points[i + 2];
    const PlanResult& r = plan_series().at(at, false);
    append_plan(r, values);
    if (!r.status.ok) break;
  }
  return val(typed_memory_view(values.size(), values.data()));
}

}  // namespace

EMSCRIPTEN_BINDINGS(roofline) {
  value_object<Hardware>("Hardware")
      .field("id", &Hardware::id)
      .field("label", &Hardware::label)
      .field("kind", &Hardware::kind)
      .field("source", &Hardware::source)
      .field("fp32_tflops", &Hardware::fp32_tflops)
      .field("fp16_tflops", &Hardware::fp16_tflops)
      .field("fp8_tflops", &Hardware::fp8_tflops)
      .field("int8_tops", &Hardware::int8_tops)
      .field("memory_gb_per_s", &Hardware::memory_gb_per_s)
      .field("memory_bytes", &Hardware::memory_bytes)
      .field("interconnect_gb_per_s", &Hardware::interconnect_gb_per_s)
      .field("host_link_gb_per_s", &Hardware::host_link_gb_per_s)
      .field("fp4_tflops", &Hardware::fp4_tflops)
      .field("tdp_watts", &Hardware::tdp_watts)
      .field("usd_per_hour", &Hardware::usd_per_hour)
      .field("price_source", &Hardware::price_source);
  register_vector<Hardware>("VectorHardware");

  value_object<Workload>("Workload")
      .field("model", &Workload::model)
      .field("hardware", &Workload::hardware)
      .field("weights_dtype", &Workload::weights_dtype)
      .field("weights_bits", &Workload::weights_bits)
      .field("weights_group", &Workload::weights_group)
      .field("weights_scale_dtype", &Workload::weights_scale_dtype)
      .field("weights_keep", &Workload::weights_keep)
      .field("kv_dtype", &Workload::kv_dtype)
      .field("compute_dtype", &Workload::compute_dtype)
      .field("batch", &Workload::batch)
      .field("context", &Workload::context)
      .field("images", &Workload::images)
      .field("flop_efficiency", &Workload::flop_efficiency)
      .field("bandwidth_efficiency", &Workload::bandwidth_efficiency)
      .field("fused_attention", &Workload::fused_attention)
      .field("gpus", &Workload::gpus)
      .field("parallelism", &Workload::parallelism)
      .field("pipeline_stages", &Workload::pipeline_stages)
      .field("offload_layers", &Workload::offload_layers)
      .field("collective_latency_s", &Workload::collective_latency_s);

  value_object<OperatorCost>("OperatorCost")
      .field("name", &OperatorCost::name)
      .field("phase", &OperatorCost::phase)
      .field("scope", &OperatorCost::scope)
      .field("count", &OperatorCost::count)
      .field("tensor_parallel", &OperatorCost::tensor_parallel)
      .field("flops", &OperatorCost::flops)
      .field("weight_bytes", &OperatorCost::weight_bytes)
      .field("kv_bytes", &OperatorCost::kv_bytes)
      .field("activation_bytes", &OperatorCost::activation_bytes)
      .field("bytes", &OperatorCost::bytes)
      .field("intensity", &OperatorCost::intensity)
      .field("attainable_flops_per_s", &OperatorCost::attainable_flops_per_s)
      .field("compute_s", &OperatorCost::compute_s)
      .field("memory_s", &OperatorCost::memory_s)
      .field("time_s", &OperatorCost::time_s)
      .field("bound", &OperatorCost::bound);
  register_vector<OperatorCost>("VectorOperatorCost");

  value_object<PhaseTotals>("PhaseTotals")
      .field("tokens", &PhaseTotals::tokens)
      .field("flops", &PhaseTotals::flops)
      .field("weight_bytes", &PhaseTotals::weight_bytes)
      .field("kv_bytes", &PhaseTotals::kv_bytes)
      .field("activation_bytes", &PhaseTotals::activation_bytes)
      .field("bytes", &PhaseTotals::bytes)
      .field("intensity", &PhaseTotals::intensity)
      .field("compute_s", &PhaseTotals::compute_s)
      .field("memory_s", &PhaseTotals::memory_s)
      .field("time_s", &PhaseTotals::time_s)
      .field("bound", &PhaseTotals::bound);

  value_object<RooflineResult>("RooflineResult")
      .field("status", &RooflineResult::status)
      .field("peak_flops_per_s", &RooflineResult::peak_flops_per_s)
      .field("bandwidth_bytes_per_s", &RooflineResult::bandwidth_bytes_per_s)
      .field("ridge_flops_per_byte", &RooflineResult::ridge_flops_per_byte)
      .field("effective_peak_flops_per_s", &RooflineResult::effective_peak_flops_per_s)
      .field("effective_bandwidth_bytes_per_s", &RooflineResult::effective_bandwidth_bytes_per_s)
      .field("bytes_per_weight", &RooflineResult::bytes_per_weight)
      .field("head_dim", &RooflineResult::head_dim)
      .field("decode_weight_intensity", &RooflineResult::decode_weight_intensity)
      .field("batch_to_ridge", &RooflineResult::batch_to_ridge)
      .field("operators", &RooflineResult::operators)
      .field("prefill", &RooflineResult::prefill)
      .field("decode", &RooflineResult::decode);

  value_object<DecodePlan>("DecodePlan")
      .field("step_s", &DecodePlan::step_s)
      .field("memory_floor_s", &DecodePlan::memory_floor_s)
      .field("compute_floor_s", &DecodePlan::compute_floor_s)
      .field("tokens_per_s", &DecodePlan::tokens_per_s)
      .field("total_tokens_per_s", &DecodePlan::total_tokens_per_s)
      .field("flops", &DecodePlan::flops)
      .field("bytes", &DecodePlan::bytes)
      .field("weight_bytes_read", &DecodePlan::weight_bytes_read)
      .field("kv_bytes_read", &DecodePlan::kv_bytes_read)
      .field("intensity", &DecodePlan::intensity)
      .field("bound", &DecodePlan::bound)
      .field("communication_s", &DecodePlan::communication_s)
      .field("offload_s", &DecodePlan::offload_s)
      .field("experts_touched", &DecodePlan::experts_touched);

  value_object<PrefillPlan>("PrefillPlan")
      .field("ttft_s", &PrefillPlan::ttft_s)
      .field("tokens_per_s", &PrefillPlan::tokens_per_s)
      .field("flops", &PrefillPlan::flops)
      .field("bytes", &PrefillPlan::bytes)
      .field("intensity", &PrefillPlan::intensity)
      .field("bound", &PrefillPlan::bound)
      .field("communication_s", &PrefillPlan::communication_s)
      .field("offload_s", &PrefillPlan::offload_s);

  value_object<CurvePoint>("CurvePoint")
      .field("batch", &CurvePoint::batch)
      .field("step_s", &CurvePoint::step_s)
      .field("tokens_per_s", &CurvePoint::tokens_per_s)
      .field("total_tokens_per_s", &CurvePoint::total_tokens_per_s)
      .field("memory_bytes", &CurvePoint::memory_bytes)
      .field("fits", &CurvePoint::fits);
  register_vector<CurvePoint>("VectorCurvePoint");

  value_object<PlanResult>("PlanResult")
      .field("status", &PlanResult::status)
      .field("ridge_flops_per_byte", &PlanResult::ridge_flops_per_byte)
      .field("peak_flops_per_s", &PlanResult::peak_flops_per_s)
      .field("bandwidth_bytes_per_s", &PlanResult::bandwidth_bytes_per_s)
      .field("bytes_per_weight", &PlanResult::bytes_per_weight)
      .field("total_params", &PlanResult::total_params)
      .field("active_params", &PlanResult::active_params)
      .field("weights_params", &PlanResult::weights_params)
      .field("weight_bytes", &PlanResult::weight_bytes)
      .field("weight_components", &PlanResult::weight_components)
      .field("kv_bytes_per_token", &PlanResult::kv_bytes_per_token)
      .field("kv_bytes", &PlanResult::kv_bytes)
      .field("memory_per_device_bytes", &PlanResult::memory_per_device_bytes)
      .field("memory_capacity_bytes", &PlanResult::memory_capacity_bytes)
      .field("weights_per_device_bytes", &PlanResult::weights_per_device_bytes)
      .field("kv_per_device_bytes", &PlanResult::kv_per_device_bytes)
      .field("offloaded_bytes", &PlanResult::offloaded_bytes)
      .field("fits", &PlanResult::fits)
      .field("max_batch", &PlanResult::max_batch)
      .field("max_context", &PlanResult::max_context)
      .field("max_context_unbounded", &PlanResult::max_context_unbounded)
      .field("min_gpus", &PlanResult::min_gpus)
      .field("decode", &PlanResult::decode)
      .field("prefill", &PlanResult::prefill)
      .field("curve", &PlanResult::curve);

  value_object<TrainingInput>("TrainingInput")
      .field("model", &TrainingInput::model)
      .field("batch", &TrainingInput::batch)
      .field("sequence", &TrainingInput::sequence)
      .field("checkpointing", &TrainingInput::checkpointing)
      .field("fused_attention", &TrainingInput::fused_attention)
      .field("dropout", &TrainingInput::dropout)
      .field("fused_swiglu", &TrainingInput::fused_swiglu)
      .field("vocab_chunks", &TrainingInput::vocab_chunks)
      .field("zero_stage", &TrainingInput::zero_stage)
      .field("data_parallel", &TrainingInput::data_parallel)
      .field("tensor_parallel", &TrainingInput::tensor_parallel)
      .field("pipeline_parallel", &TrainingInput::pipeline_parallel)
      .field("sequence_parallel", &TrainingInput::sequence_parallel)
      .field("fp32_gradients", &TrainingInput::fp32_gradients)
      .field("method", &TrainingInput::method)
      .field("lora_rank", &TrainingInput::lora_rank)
      .field("lora_targets", &TrainingInput::lora_targets)
      .field("lora_experts", &TrainingInput::lora_experts)
      .field("lora_dropout", &TrainingInput::lora_dropout)
      .field("adapter_dtype", &TrainingInput::adapter_dtype)
      .field("paged_optimizer", &TrainingInput::paged_optimizer);

  value_object<TrainingLayer>("TrainingLayer")
      .field("kind", &TrainingLayer::kind)
      .field("count", &TrainingLayer::count)
      .field("norm_inputs_bytes", &TrainingLayer::norm_inputs_bytes)
      .field("attention_input_bytes", &TrainingLayer::attention_input_bytes)
      .field("latent_bytes", &TrainingLayer::latent_bytes)
      .field("qk_bytes", &TrainingLayer::qk_bytes)
      .field("v_bytes", &TrainingLayer::v_bytes)
      .field("scores_bytes", &TrainingLayer::scores_bytes)
      .field("scores_dropout_bytes", &TrainingLayer::scores_dropout_bytes)
      .field("attention_output_bytes", &TrainingLayer::attention_output_bytes)
      .field("attention_dropout_bytes", &TrainingLayer::attention_dropout_bytes)
      .field("ffn_input_bytes", &TrainingLayer::ffn_input_bytes)
      .field("router_bytes", &TrainingLayer::router_bytes)
      .field("ffn_hidden_bytes", &TrainingLayer::ffn_hidden_bytes)
      .field("ffn_dropout_bytes", &TrainingLayer::ffn_dropout_bytes)
      .field("adapter_bytes", &TrainingLayer::adapter_bytes)
      .field("adapter_params", &TrainingLayer::adapter_params)
      .field("bytes", &TrainingLayer::bytes)
      .field("selective_bytes", &TrainingLayer::selective_bytes);
  register_vector<TrainingLayer>("VectorTrainingLayer");
  value_object<TrainingPart>("TrainingPart")
      .field("id", &TrainingPart::id)
      .field("label", &TrainingPart::label)
      .field("bytes", &TrainingPart::bytes);
  register_vector<TrainingPart>("VectorTrainingPart");

  value_object<TrainingMemory>("TrainingMemory")
      .field("status", &TrainingMemory::status)
      .field("params", &TrainingMemory::params)
      .field("params_per_device", &TrainingMemory::params_per_device)
      .field("bytes_per_param", &TrainingMemory::bytes_per_param)
      .field("weights_bytes", &TrainingMemory::weights_bytes)
      .field("gradients_bytes", &TrainingMemory::gradients_bytes)
      .field("optimizer_bytes", &TrainingMemory::optimizer_bytes)
      .field("activation_per_layer_bytes", &TrainingMemory::activation_per_layer_bytes)
      .field("selective_per_layer_bytes", &TrainingMemory::selective_per_layer_bytes)
      .field("layer_input_bytes", &TrainingMemory::layer_input_bytes)
      .field("checkpoints", &TrainingMemory::checkpoints)
      .field("recompute_layers", &TrainingMemory::recompute_layers)
      .field("activation_bytes", &TrainingMemory::activation_bytes)
      .field("embedding_activation_bytes", &TrainingMemory::embedding_activation_bytes)
      .field("head_activation_bytes", &TrainingMemory::head_activation_bytes)
      .field("logits_bytes", &TrainingMemory::logits_bytes)
      .field("loss_bytes", &TrainingMemory::loss_bytes)
      .field("first_stage_bytes", &TrainingMemory::first_stage_bytes)
      .field("last_stage_bytes", &TrainingMemory::last_stage_bytes)
      .field("total_bytes", &TrainingMemory::total_bytes)
      .field("flops_per_step", &TrainingMemory::flops_per_step)
      .field("recompute_flops", &TrainingMemory::recompute_flops)
      .field("extra_compute_fraction", &TrainingMemory::extra_compute_fraction)
      .field("layers", &TrainingMemory::layers)
      .field("method", &TrainingMemory::method)
      .field("trainable_params", &TrainingMemory::trainable_params)
      .field("trainable_percent", &TrainingMemory::trainable_percent)
      .field("base_weights_bytes", &TrainingMemory::base_weights_bytes)
      .field("base_bits_per_weight", &TrainingMemory::base_bits_per_weight)
      .field("adapter_weights_bytes", &TrainingMemory::adapter_weights_bytes)
      .field("adapter_bytes_per_param", &TrainingMemory::adapter_bytes_per_param)
      .field("adapter_activation_bytes", &TrainingMemory::adapter_activation_bytes)
      .field("dequantized_bytes", &TrainingMemory::dequantized_bytes)
      .field("offloaded_bytes", &TrainingMemory::offloaded_bytes)
      .field("parts", &TrainingMemory::parts);
  value_object<TrainingFit>("TrainingFit")
      .field("status", &TrainingFit::status)
      .field("capacity_bytes", &TrainingFit::capacity_bytes)
      .field("needed_bytes", &TrainingFit::needed_bytes)
      .field("fits", &TrainingFit::fits)
      .field("max_batch", &TrainingFit::max_batch)
      .field("max_sequence", &TrainingFit::max_sequence);

  value_object<CalibrationPoint>("CalibrationPoint")
      .field("id", &CalibrationPoint::id)
      .field("label", &CalibrationPoint::label)
      .field("source", &CalibrationPoint::source)
      .field("hardware_id", &CalibrationPoint::hardware_id)
      .field("model_name", &CalibrationPoint::model_name)
      .field("weights_bits", &CalibrationPoint::weights_bits)
      .field("batch", &CalibrationPoint::batch)
      .field("context", &CalibrationPoint::context)
      .field("measured_tokens_per_s", &CalibrationPoint::measured_tokens_per_s)
      .field("predicted_tokens_per_s", &CalibrationPoint::predicted_tokens_per_s)
      .field("ratio", &CalibrationPoint::ratio);
  register_vector<CalibrationPoint>("VectorCalibrationPoint");
  value_object<CalibrationResult>("CalibrationResult")
      .field("status", &CalibrationResult::status)
      .field("points", &CalibrationResult::points);

  value_object<KernelRoof>("KernelRoof")
      .field("status", &KernelRoof::status)
      .field("ceiling", &KernelRoof::ceiling)
      .field("roof", &KernelRoof::roof)
      .field("share", &KernelRoof::share)
      .field("bound", &KernelRoof::bound);

  function("hardwarePresets", &hardware_presets);
  function("validateHardware", &validate_hardware);
  function("defaultWorkload", &default_workload);
  function("defaultTrainingInput", &default_training_input);
  function("roofline", &roofline);
  function("plan", &plan);
  function("planLayout", &plan_layout);
  function("planSet", &plan_set);
  function("planPoint", &plan_point);
  function("planWeightComponents", &plan_weight_components);
  function("planSweep", &plan_sweep);
  function("trainingMemory", &training_memory);
  function("trainingFit", &training_fit);
  function("calibration", &calibration);
  function("validateProbeInput", &validate_probe_input);
  function("validateCacheSweepInput", &validate_cache_sweep_input);
  function("sweepCeiling", &sweep_ceiling);
  function("kernelRoof", &kernel_roof);
}

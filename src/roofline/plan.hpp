// A deployment: latency, throughput and whether it fits, on one or more
// devices, with tensor or pipeline parallelism and optional CPU offload.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "quant/sizes.hpp"
#include "roofline/roofline.hpp"

namespace llmst {

struct DecodePlan {
  double step_s = 0;              // one decode step: sum of per-operator max(compute, memory) + communication + offload
  double memory_floor_s = 0;      // (weight bytes read + batch x KV bytes) / bandwidth: no step can be faster
  double compute_floor_s = 0;     // FLOPs / peak
  double tokens_per_s = 0;        // per sequence = 1 / step_s (TPOT = step_s)
  double total_tokens_per_s = 0;  // batch / step_s
  double flops = 0;               // per device
  double bytes = 0;               // per device
  double weight_bytes_read = 0;   // per device per step
  double kv_bytes_read = 0;       // per device per step
  double intensity = 0;
  std::string bound;
  double communication_s = 0;  // all-reduces (tensor) or hops (pipeline)
  double offload_s = 0;        // offloaded weights over the host link
  double experts_touched = 1;  // expected distinct experts per layer per step (1 for dense)
};

struct PrefillPlan {
  double ttft_s = 0;        // time to first token for the whole batch of prompts
  double tokens_per_s = 0;  // prompt tokens per second
  double flops = 0;
  double bytes = 0;
  double intensity = 0;
  std::string bound;
  double communication_s = 0;
  double offload_s = 0;
};

struct CurvePoint {
  double batch = 0;
  double step_s = 0;
  double tokens_per_s = 0;  // per sequence
  double total_tokens_per_s = 0;
  double memory_bytes = 0;  // per device
  bool fits = false;
};

struct PlanResult {
  Status status;
  double ridge_flops_per_byte = 0;
  double peak_flops_per_s = 0;
  double bandwidth_bytes_per_s = 0;
  double bytes_per_weight = 0;
  double total_params = 0;
  double active_params = 0;
  double weights_params = 0;                     // parameters held in memory: total less MTP modules
  double weight_bytes = 0;                       // all devices
  std::vector<ComponentSize> weight_components;  // the quant area's sizing, component by component
  double kv_bytes_per_token = 0;                 // one sequence, all layers
  double kv_bytes = 0;                           // batch x one sequence of `context` tokens, windows and chunks applied
  double memory_per_device_bytes = 0;
  double memory_capacity_bytes = 0;  // one device
  double weights_per_device_bytes = 0;
  double kv_per_device_bytes = 0;
  double offloaded_bytes = 0;  // held in host memory
  bool fits = false;
  double max_batch = 0;                // at this context (0: the weights alone do not fit)
  double max_context = 0;              // at this batch
  bool max_context_unbounded = false;  // sliding window: the KV stops growing
  double min_gpus = 0;                 // fewest devices (same parallelism) that fit; 0: none up to 4096
  DecodePlan decode;
  PrefillPlan prefill;
  std::vector<CurvePoint> curve;  // decode throughput vs batch, past the memory limit
};

PlanResult plan(const Workload& workload);

// One deployment of a workload prepared once (roofline_detail::prepare): the
// fields a sweep or the deployment search varies. plan() is plan_at() with
// the workload's own values and the curve.
struct PlanPoint {
  double batch = 1;
  double context = 4096;       // tokens held and attended at decode (and the prompt, unless prefill_context)
  double prefill_context = 0;  // prompt tokens of the prefill (TTFT); 0: context
  double tp = 1;               // tensor-parallel degree within a stage
  double pp = 1;               // pipeline stages: tp x pp devices in all
  // Which degree "fewest devices" (min_gpus) grows: tp under tensor and
  // tensor_pipeline parallelism (pp fixed), pp under pipeline.
  bool pipeline = false;
  bool curve = true;   // the batch-throughput curve (11-20 decode steps): only when shown
  bool limits = true;  // max_batch, max_context (a ~40-step bisection) and min_gpus (always with the curve); else 0
};

// The fields of a workload that a PlanSeries varies point by point.
struct WorkloadPoint {
  double batch = 1;
  double context = 4096;
  double gpus = 1;
  double offload_layers = 0;
  double collective_latency_s = 5e-6;
  bool fused_attention = true;
};

namespace roofline_detail {
struct Prepared;
struct OpShape;
}  // namespace roofline_detail

// Many plans of one workload that differ only in the point (batch, context,
// gpus, offload, latency, fused attention): the JS API's repeated plan()
// calls, a sweep. set() prepares the rest once (prepare(): validation, shapes,
// formats, peaks); at() checks the point as prepare() would and runs plan_at.
// Every result equals plan() of the same workload, errors included.
class PlanSeries {
 public:
  PlanSeries();
  ~PlanSeries();
  PlanSeries(const PlanSeries&) = delete;
  PlanSeries& operator=(const PlanSeries&) = delete;
  void set(const Workload& workload);
  // plan() of the workload set, with the point's fields; without the curve unless `curve` (plan() has it).
  const PlanResult& at(const WorkloadPoint& point, bool curve);
  const PlanResult& last() const { return result_; }  // at()'s last result

 private:
  Workload workload_;
  std::unique_ptr<roofline_detail::Prepared> prepared_;
  std::vector<roofline_detail::OpShape> ops_;
  PlanResult result_;
};

namespace roofline_detail {
struct Prepared;
struct OpShape;
// Trusts `prepared` and `at` (validated at the entrance: prepare() and the
// caller's grid), reads the hardware, offload, latency and attention fields
// of `workload`, and fills `result` (all but weight_components); `scratch`
// holds the operator list between passes (reused, so a sweep allocates once).
void plan_at(const Prepared& prepared, const Workload& workload, const PlanPoint& at, PlanResult& result,
             std::vector<OpShape>& scratch);
}  // namespace roofline_detail

}  // namespace llmst

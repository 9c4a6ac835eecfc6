// Internals shared by roofline(), plan() and training_memory(): the validated
// shapes of a workload and the operator list of one forward pass.
#pragma once
#include <string>
#include <vector>

#include "roofline/roofline.hpp"

namespace llmst::roofline_detail {

// A model's shapes, resolved and checked (head_dim filled in).
struct Shape {
  double vocab = 0, d = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0;
  double q_dim = 0, kv_dim = 0, d_ff = 0, experts = 1, top_k = 1, window = 0, positions = 0;
  bool gated = true, rms = true, tied = false, qkv_bias = false, out_bias = false, mlp_bias = false;
  double norms_per_layer = 2;
  double norm_params() const { return rms ? d : 2 * d; }
  double keys(double context) const { return window > 0 && window < context ? window : context; }
};

struct Prepared {
  Status status;
  Shape shape;
  double weight_bytes = 2, kv_bytes = 2, act_bytes = 2;  // per value
  double peak = 0, bandwidth = 0;                         // spec, per second
  double effective_peak = 0, effective_bandwidth = 0;     // with the efficiencies
};

// Validates the model and the workload (batch, context, dtypes, efficiencies,
// hardware, and, with plan_fields, gpus / parallelism / offload).
Prepared prepare(const Workload& workload, bool plan_fields);

// Validates only a model's shapes (used by the training estimate too).
Status prepare_shape(const ModelConfig& model, Shape& shape);

// The operators of one pass: per-layer ones (scope "layer") then per-model ones.
// prefill: batch prompts of `context` tokens; decode: one token for each of
// `batch` sequences attending to `context` tokens. batch may be fractional
// (a pipeline micro-batch).
std::vector<OperatorCost> pass_operators(const Prepared& prepared, const std::string& phase,
                                         double batch, double context, bool fused_attention);

// Fills bytes, intensity and times from FLOPs and bytes (divided by `split`
// devices for operators split by tensor parallelism, kv by kv_split).
void time_operator(OperatorCost& op, double peak, double bandwidth, double split = 1,
                   double kv_split = 1);

PhaseTotals sum_operators(const std::vector<OperatorCost>& ops, double tokens);

}  // namespace llmst::roofline_detail

// Internals shared by roofline(), plan() and training_memory(): the validated
// shapes of a workload and the operator list of one forward pass.
#pragma once
#include <string>
#include <vector>

#include "model/params.hpp"
#include "quant/sizes.hpp"
#include "roofline/roofline.hpp"

namespace llmst::roofline_detail {

struct Prepared {
  Status status;
  ValidModel model;
  ModelParams params;              // count_params_of(model): the one parameter count
  double kv_heads = 1;             // KV heads per layer (1 for MLA's shared latent)
  double kv_vector_bytes = 2;      // one cached K or V head vector (MLA: the latent + RoPE key), scales included
  WeightsBytes weights;            // bytes per weight of each component (quant/sizes.hpp)
  double weight_bytes = 2;         // of the layers' format (the FFN's): the closed forms use it
  double act_bytes = 2;            // per value
  double images = 0;               // per prompt, through the vision tower at prefill
  double peak = 0, bandwidth = 0;  // spec, per second
  double effective_peak = 0, effective_bandwidth = 0;  // with the efficiencies
};

// Validates the model and the workload (batch, context, dtypes, efficiencies,
// hardware, and, with plan_fields, gpus / parallelism / offload).
Prepared prepare(const Workload& workload, bool plan_fields);

// The operators of one pass: per-layer ones (scope "layer") then per-model ones.
// prefill: batch prompts of `context` tokens; decode: one token for each of
// `batch` sequences attending to `context` tokens. batch may be fractional
// (a pipeline micro-batch).
std::vector<OperatorCost> pass_operators(const Prepared& prepared, const std::string& phase, double batch,
                                         double context, bool fused_attention);

// Fills bytes, intensity and times from FLOPs and bytes (divided by `split`
// devices for operators split by tensor parallelism, kv by kv_split).
void time_operator(OperatorCost& op, double peak, double bandwidth, double split = 1, double kv_split = 1);

PhaseTotals sum_operators(const std::vector<OperatorCost>& ops, double tokens);

}  // namespace llmst::roofline_detail

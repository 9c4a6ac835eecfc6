// Internals shared by roofline(), plan() and the deployment search: the
// validated shapes of a workload and the operator list of one forward pass.
//
// Speed (issue 16): a plan evaluates a dozen passes and a search hundreds of
// thousands, so a pass is built as OpShape values (an enum for the name, no
// strings) into a vector the caller reuses; roofline() alone turns them into
// named OperatorCost rows for the page.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "memory/kv_cache.hpp"
#include "model/params.hpp"
#include "quant/sizes.hpp"
#include "roofline/roofline.hpp"

namespace llmst::roofline_detail {

struct Prepared {
  Status status;
  ValidModel model;
  ModelParams params;                  // count_params_of(model): the one parameter count
  double kv_heads = 1;                 // KV heads per layer (1 for MLA's shared latent)
  double kv_vector_bytes = 2;          // one cached K or V head vector (MLA: the latent + RoPE key), scales included
  double indexer_key_bytes = 0;        // sparse attention: one cached indexer key (0: none)
  KvCacheInput kv_input;               // the memory area's input for this model and kv_dtype (one token)
  KvCacheResult kv_shape;              // kv_cache(kv_input): layer kinds and bytes per token per layer
  WeightsBytes weights;                // bytes per weight of each component (quant/sizes.hpp)
  double weight_bytes = 2;             // of the layers' format (the FFN's): the closed forms use it
  double replicated_weight_bytes = 0;  // weights every tensor-parallel rank holds whole (sparse attention's indexers)
  double act_bytes = 2;                // per value
  double images = 0;                   // per prompt, through the vision tower at prefill
  double peak = 0, bandwidth = 0;      // spec, per second
  double effective_peak = 0, effective_bandwidth = 0;  // with the efficiencies
};

// Validates the model and the workload (batch, context, dtypes, efficiencies,
// hardware, and, with plan_fields, gpus / parallelism / offload).
Prepared prepare(const Workload& workload, bool plan_fields);

// Two of prepare()'s checks, each in its order there: batch and context; the
// deployment (gpus, parallelism, offload, latency, and with plan_fields what a
// plan needs of them). A PlanSeries runs them alone for each point.
Status check_batch_context(const Workload& workload);
Status check_deployment(const Workload& workload, double n_layers, bool plan_fields);

// Pipeline stages of a (checked) workload's parallelism: gpus under pipeline,
// pipeline_stages under tensor_pipeline, 1 under tensor; tp = gpus / stages.
double pipeline_stages_of(const Workload& workload);

// Replaces the hardware of a prepared workload: validates `hardware` and its
// peak for `compute_dtype` once, then sets the peaks, bandwidths and the
// activations' bytes (compute_dtype's, as prepare() sets them). The model
// side (shapes, formats, KV) is kept: a search over chips prepares it once.
Status prepare_hardware(Prepared& prepared, const Hardware& hardware, const std::string& compute_dtype,
                        double flop_efficiency, double bandwidth_efficiency);

// KV bytes of one sequence holding `tokens` tokens: the memory area's formula
// on the prepared shape (kv_sequence_bytes), +inf past what it can hold exactly.
double kv_sequence_bytes(const Prepared& prepared, double tokens);

enum class OpName : std::uint8_t {
  attn_norm,
  q_a_proj,
  q_b_proj,
  q_proj,
  k_proj,
  v_proj,
  kv_a_proj,
  kv_b_proj,
  indexer_q,
  indexer_k,
  indexer_weights,
  indexer_scores,
  scores,
  softmax,
  av,
  o_proj,
  post_attn_norm,
  attn_residual,
  ffn_norm,
  router,
  ffn_up,
  ffn_gate,
  ffn_act,
  ffn_down,
  shared_up,
  shared_gate,
  shared_act,
  shared_down,
  post_ffn_norm,
  ffn_residual,
  embedding,
  final_norm,
  lm_head,
  vision_encoder,
};
const char* op_name(OpName name);

// One operator of a pass, before timing: FLOPs and bytes of one instance.
struct OpShape {
  OpName name = OpName::attn_norm;
  bool layer_scope = true;      // repeated per layer ("layer") or once per model ("model")
  bool tensor_parallel = true;  // split across devices by tensor parallelism
  double count = 1;
  double flops = 0;
  double weight_bytes = 0;
  double kv_bytes = 0;
  double activation_bytes = 0;
};

// The operators of one pass into `ops` (cleared first): per-layer ones, then
// per-model ones. prefill: batch prompts of `context` tokens; decode: one token
// for each of `batch` sequences attending to `context` tokens. batch may be
// fractional (a pipeline micro-batch).
void pass_operators(const Prepared& prepared, bool prefill, double batch, double context, bool fused_attention,
                    std::vector<OpShape>& ops);

// The same pass as named, untimed OperatorCost rows (flops and the three byte
// kinds of one instance): for callers that read operators by name once, at
// preparation (roofline/iteration), not per evaluation.
std::vector<OperatorCost> pass_operators(const Prepared& prepared, const std::string& phase, double batch,
                                         double context, bool fused_attention);

// One operator on `split` devices (KV split kv_split ways): its share and its
// roofline time, max(FLOPs / peak, bytes / bandwidth).
struct TimedOp {
  double flops = 0, weight_bytes = 0, kv_bytes = 0, activation_bytes = 0, bytes = 0;
  double compute_s = 0, memory_s = 0, time_s = 0;
};
inline TimedOp time_op(const OpShape& op, double peak, double bandwidth, double split, double kv_split) {
  TimedOp t{op.flops, op.weight_bytes, op.kv_bytes, op.activation_bytes};
  if (op.tensor_parallel && split > 1) {
    t.flops /= split;
    t.weight_bytes /= split;
    t.activation_bytes /= split;
    t.kv_bytes /= kv_split;
  }
  t.bytes = t.weight_bytes + t.kv_bytes + t.activation_bytes;
  t.compute_s = t.flops / peak;
  t.memory_s = t.bytes / bandwidth;
  t.time_s = std::max(t.compute_s, t.memory_s);
  return t;
}

// The named row roofline() shows, timed on one device.
OperatorCost operator_cost(const OpShape& op, const char* phase, double peak, double bandwidth);

// The pass on `split` devices summed over operators (count x value); the
// per-layer weight bytes of one device (not times count) into layer_weight_bytes.
PhaseTotals time_pass(const std::vector<OpShape>& ops, double peak, double bandwidth, double split, double kv_split,
                      double tokens, double* layer_weight_bytes = nullptr);

}  // namespace llmst::roofline_detail

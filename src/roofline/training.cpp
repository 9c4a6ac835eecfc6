#include "roofline/training.hpp"

#include <algorithm>
#include <cmath>

#include "core/validate.hpp"
#include "model/flops.hpp"
#include "model/params.hpp"
#include "roofline/roofline.hpp"

namespace llmst {


TrainingMemory training_memory(const TrainingInput& in) {
  TrainingMemory r;
  const ValidatedModel validated = validate_model(in.model);
  r.status = validated.status;
  if (r.status.ok)
    r.status = first_error(check_integer("batch", in.batch, 1, 1e6), check_integer("sequence", in.sequence, 1, 1e8));
  if (r.status.ok && in.checkpointing != "none" && in.checkpointing != "full" && in.checkpointing != "sqrt")
    r.status = error_status("checkpointing", "checkpointing = \"" + in.checkpointing + "\" must be one of none, full, sqrt");
  if (!r.status.ok) return r;
  const ValidModel& model = validated.model;
  const ModelParams params = count_params_of(model);
  r.params = params.total;
  r.weights_bytes = 2 * params.total;
  r.gradients_bytes = 2 * params.total;
  r.optimizer_bytes = 12 * params.total;

  // Tensors one layer keeps for backward, 2 bytes each (bf16), following the
  // accounting of Korthikanti et al. 2022 ("Reducing Activation Recomputation",
  // sec. 4.1) without dropout: the two norm inputs, the normed input of QKV,
  // Q, K, V, the attention output (input of O), the normed input of the FFN,
  // the FFN's up (and gate) outputs and the activation output (input of down);
  // softmax output (heads x s^2) unless attention is fused, which keeps
  // 4-byte row statistics instead. MoE layers keep these for the top_k routed
  // experts and the shared ones; MLA layers keep per-head K and V as trained.
  const double tokens = in.batch * in.sequence;
  const double ab = 2;
  const double d = static_cast<double>(model.d_model);
  double all_layers = 0, largest_layer = 0;
  for (const LayerRun& run : model.runs) {
    const AttentionSpec& a = run.layer.attention;
    const FfnSpec& f = run.layer.ffn;
    const double heads = static_cast<double>(a.heads);
    const double q_dim = a.mla ? heads * static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim)
                               : heads * static_cast<double>(a.head_dim);
    const double k_dim = a.mla ? q_dim : static_cast<double>(a.kv_heads * a.head_dim);
    const double v_dim = a.mla ? heads * static_cast<double>(a.v_head_dim) : k_dim;
    const double out_dim = a.mla ? v_dim : q_dim;
    const double ffn_width = f.moe ? static_cast<double>((f.experts > 1 ? f.top_k * f.width : 0) + f.shared_experts * f.shared_width)
                                   : static_cast<double>(f.width);
    const double per_token = 2 * d + d + q_dim + k_dim + v_dim + out_dim + d + (f.gated ? 3 : 2) * ffn_width;
    double per_layer = tokens * per_token * ab;
    if (in.fused_attention) per_layer += tokens * heads * 4;
    else per_layer += in.batch * heads * in.sequence * in.sequence * ab;
    all_layers += static_cast<double>(run.count) * per_layer;
    largest_layer = std::max(largest_layer, per_layer);
  }
  const double per_layer = largest_layer;
  r.activation_per_layer_bytes = per_layer;
  r.layer_input_bytes = tokens * d * ab;

  // Training FLOPs: the model's forward FLOPs (flops.hpp, logits at every
  // position), and backward twice the forward (Kaplan et al. 2020).
  const double forward = in.batch * prefill_flops(model, in.sequence).split.total;
  r.flops_per_step = 3 * forward;

  const double L = static_cast<double>(model.n_layers);
  if (in.checkpointing == "none") {
    r.checkpoints = 0;
    r.recompute_layers = L;
    r.activation_bytes = all_layers;
  } else if (in.checkpointing == "full") {
    // Keep every layer's input; backward recomputes one layer at a time.
    r.checkpoints = L;
    r.recompute_layers = 1;
    r.activation_bytes = L * r.layer_input_bytes + per_layer;
    r.recompute_flops = forward;
  } else {
    // Chen et al. 2016: a checkpoint every k = ceil(sqrt(L)) layers; backward
    // recomputes one segment of k layers at a time.
    const double k = std::ceil(std::sqrt(L));
    r.checkpoints = std::ceil(L / k);
    r.recompute_layers = k;
    r.activation_bytes = r.checkpoints * r.layer_input_bytes + k * per_layer;
    r.recompute_flops = forward;
  }
  r.extra_compute_fraction = r.recompute_flops / r.flops_per_step;
  r.total_bytes = r.weights_bytes + r.gradients_bytes + r.optimizer_bytes + r.activation_bytes;
  return r;
}

}  // namespace llmst

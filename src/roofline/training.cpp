#include "roofline/training.hpp"

#include <cmath>

#include "core/validate.hpp"
#include "roofline/operators.hpp"
#include "roofline/roofline.hpp"

namespace llmst {

using namespace roofline_detail;

TrainingMemory training_memory(const TrainingInput& in) {
  TrainingMemory r;
  Shape s;
  r.status = prepare_shape(in.model, s);
  if (r.status.ok)
    r.status = first_error(check_integer("batch", in.batch, 1, 1e6), check_integer("sequence", in.sequence, 1, 1e8));
  if (r.status.ok && in.checkpointing != "none" && in.checkpointing != "full" && in.checkpointing != "sqrt")
    r.status = error_status("checkpointing", "checkpointing = \"" + in.checkpointing + "\" must be one of none, full, sqrt");
  if (!r.status.ok) return r;

  Workload workload;
  workload.model = in.model;
  const ParamCounts params = roofline_params(workload);
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
  // 4-byte row statistics instead.
  const double tokens = in.batch * in.sequence;
  const double ab = 2;
  const double ffn_width = s.top_k * s.d_ff;
  double per_token = 2 * s.d + s.d + s.q_dim + 2 * s.kv_dim + s.q_dim + s.d +
                     (s.gated ? 3 : 2) * ffn_width;
  double per_layer = tokens * per_token * ab;
  if (in.fused_attention) per_layer += tokens * s.heads * 4;
  else per_layer += in.batch * s.heads * in.sequence * in.sequence * ab;
  r.activation_per_layer_bytes = per_layer;
  r.layer_input_bytes = tokens * s.d * ab;

  // Training FLOPs: forward 2, backward 4 per parameter per token (Kaplan et
  // al. 2020), plus attention's 2 x 2 x head_dim FLOP per causal pair per head.
  const double pairs = in.batch * in.sequence * (in.sequence + 1) / 2;
  const double forward = 2 * params.active * tokens + s.layers * 4 * s.heads * s.head_dim * pairs;
  r.flops_per_step = 3 * forward;

  const double L = s.layers;
  if (in.checkpointing == "none") {
    r.checkpoints = 0;
    r.recompute_layers = L;
    r.activation_bytes = L * per_layer;
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

#include "roofline/training.hpp"

#include <algorithm>
#include <cmath>

#include "core/validate.hpp"
#include "model/flops.hpp"
#include "model/params.hpp"

namespace llmst {

namespace {

// What every layer's accounting shares.
struct Shape {
  double tokens = 0;       // s b
  double sequence = 0;     // s
  double d = 0;            // h
  double t = 1;            // tensor-parallel size
  double replicated = 1;   // divisor of the tensors tensor parallelism leaves whole: 1, or t under sequence parallelism
  bool parallel_blocks = false;  // attention and FFN read the same input (GPT-J, Falcon)
  bool dropout = false, fused_attention = true, fused_swiglu = false;
};

constexpr double kActivationBytes = 2;  // bf16 / fp16
constexpr double kMaskBytes = 1;        // a dropout mask, one byte per element (as the paper counts)
constexpr double kFp32Bytes = 4;

// One layer's stored tensors, per Korthikanti et al. 2022 sec. 4.1, each from
// the layer's own widths. Under tensor parallelism (sec. 4.2.1) the norm
// inputs, the normed inputs of attention and FFN and the dropout masks stay
// whole on every device (their 10sbh); the per-head and FFN-width tensors split
// over t (24sbh / t and 5as^2b / t). Sequence parallelism (sec. 4.2.2) splits
// the rest over t along the sequence.
TrainingLayer layer_activation(const LayerSpec& layer, const Shape& x) {
  const AttentionSpec& a = layer.attention;
  const FfnSpec& f = layer.ffn;
  const double ab = kActivationBytes;
  const double d = x.d;
  const double heads = static_cast<double>(a.heads);
  // Per-token widths of Q, K, V and the attention output as trained (MLA unabsorbed: per-head K and V).
  double q_dim = 0, k_dim = 0, v_dim = 0, out_dim = 0;
  if (a.mla) {
    q_dim = heads * static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
    k_dim = q_dim;
    v_dim = heads * static_cast<double>(a.v_head_dim);
    out_dim = v_dim;
  } else {
    q_dim = heads * static_cast<double>(a.head_dim);
    k_dim = static_cast<double>(a.kv_heads * a.head_dim);  // GQA keeps K and V unrepeated (FlashAttention, SDPA)
    v_dim = k_dim;
    out_dim = q_dim;
  }
  const double routed = f.moe && f.experts > 1 ? static_cast<double>(f.top_k) : 0;
  const double ffn_width = f.moe ? routed * static_cast<double>(f.width) + static_cast<double>(f.shared_experts * f.shared_width)
                                 : static_cast<double>(f.width);

  // Per token, bytes; `whole` ones divide by x.replicated, `split` ones by t.
  const double norm_tensors = x.parallel_blocks ? 1 : static_cast<double>(layer.norms);  // parallel blocks' norms read one input
  const double latent = a.mla ? 2 * static_cast<double>(a.q_lora_rank) + 2 * static_cast<double>(a.kv_lora_rank) : 0;
  const double qk_norm_inputs = a.qk_norm ? q_dim + k_dim : 0;
  TrainingLayer l;
  l.kind = describe_layer(layer);
  const double whole = x.tokens / x.replicated, split = x.tokens / x.t;
  l.norm_inputs_bytes = whole * norm_tensors * d * ab;
  l.attention_input_bytes = whole * d * ab;
  l.latent_bytes = whole * latent * ab;
  l.qk_bytes = split * (q_dim + k_dim + qk_norm_inputs) * ab;
  l.v_bytes = split * v_dim * ab;
  if (x.fused_attention) {
    // FlashAttention keeps one fp32 log-sum-exp per head and query; its dropout regenerates the mask from the RNG state.
    l.scores_bytes = split * heads * kFp32Bytes;
  } else {
    // The s x s probabilities of every head (eager kernels materialize them masked, windows included).
    l.scores_bytes = split * heads * x.sequence * ab;
    if (x.dropout) l.scores_dropout_bytes = split * heads * x.sequence * (kMaskBytes + ab);
  }
  l.attention_output_bytes = split * out_dim * ab;
  if (x.dropout) l.attention_dropout_bytes = whole * d * kMaskBytes;
  // One norm feeding both blocks (GPT-J, Falcon-7B) gives them one normed input.
  const bool shared_input = x.parallel_blocks && layer.norms == 1;
  l.ffn_input_bytes = shared_input ? 0 : whole * d * ab;
  if (routed > 0) {
    // As Hugging Face's MoE blocks run: fp32 softmax over the experts, each routed
    // expert's own copy of the token, and its output kept to weight by the router.
    l.router_bytes = whole * (static_cast<double>(f.experts) * kFp32Bytes + 2 * routed * d * ab);
  }
  // Plain: the GELU input and the down projection's input. Gated: gate and up
  // outputs and the product (the down input); eager SwiGLU also keeps SiLU(gate).
  const double hidden_tensors = f.gated ? (x.fused_swiglu ? 3 : 4) : 2;
  l.ffn_hidden_bytes = split * hidden_tensors * ffn_width * ab;
  if (x.dropout) l.ffn_dropout_bytes = whole * d * kMaskBytes;

  l.selective_bytes = l.norm_inputs_bytes + l.attention_input_bytes + l.latent_bytes + l.qk_bytes + l.v_bytes +
                      l.attention_output_bytes + l.attention_dropout_bytes + l.ffn_input_bytes + l.router_bytes +
                      l.ffn_hidden_bytes + l.ffn_dropout_bytes;
  l.bytes = l.selective_bytes + l.scores_bytes + l.scores_dropout_bytes;
  return l;
}

}  // namespace

ModelStates model_states(double params, int zero_stage, double data_parallel, bool fp32_gradients) {
  ModelStates m;
  const double gradient_bytes = fp32_gradients ? 4 : 2;
  m.bytes_per_param = 2 + gradient_bytes + 12;
  m.weights_bytes = 2 * params / (zero_stage >= 3 ? data_parallel : 1);
  m.gradients_bytes = gradient_bytes * params / (zero_stage >= 2 ? data_parallel : 1);
  m.optimizer_bytes = 12 * params / (zero_stage >= 1 ? data_parallel : 1);
  m.total_bytes = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes;
  return m;
}

TrainingMemory training_memory(const TrainingInput& in) {
  TrainingMemory r;
  const ValidatedModel validated = validate_model(in.model);
  r.status = validated.status;
  if (r.status.ok)
    r.status = first_error(check_integer("batch", in.batch, 1, 1e6), check_integer("sequence", in.sequence, 1, 1e8),
                           check_integer("vocab_chunks", in.vocab_chunks, 1, 1e8),
                           check_integer("zero_stage", in.zero_stage, 0, 3),
                           check_integer("data_parallel", in.data_parallel, 1, 1e6),
                           check_integer("tensor_parallel", in.tensor_parallel, 1, 1e4),
                           check_integer("pipeline_parallel", in.pipeline_parallel, 1, static_cast<double>(validated.model.n_layers)));
  if (r.status.ok && in.checkpointing != "none" && in.checkpointing != "selective" && in.checkpointing != "full" &&
      in.checkpointing != "sqrt")
    r.status = error_status("checkpointing", "checkpointing = \"" + in.checkpointing + "\" must be one of none, selective, full, sqrt");
  if (!r.status.ok) return r;
  const ValidModel& model = validated.model;
  const double t = in.tensor_parallel, p = in.pipeline_parallel;

  // Model states: every parameter split over t p (the first and last stages'
  // embedding and head are taken as evenly spread), then ZeRO over N_d.
  const ModelParams params = count_params_of(model);
  r.params = params.total;
  r.params_per_device = params.total / (t * p);
  const ModelStates states = model_states(r.params_per_device, static_cast<int>(in.zero_stage), in.data_parallel, in.fp32_gradients);
  r.bytes_per_param = states.bytes_per_param;
  r.weights_bytes = states.weights_bytes;
  r.gradients_bytes = states.gradients_bytes;
  r.optimizer_bytes = states.optimizer_bytes;

  // Activations of every layer kind.
  Shape x;
  x.tokens = in.batch * in.sequence;
  x.sequence = in.sequence;
  x.d = static_cast<double>(model.d_model);
  x.t = t;
  x.replicated = in.sequence_parallel ? t : 1;
  x.parallel_blocks = model.config.parallel_attn_mlp;
  x.dropout = in.dropout;
  x.fused_attention = in.fused_attention;
  x.fused_swiglu = in.fused_swiglu;
  const double L = static_cast<double>(model.n_layers);
  double all_layers = 0, all_selective = 0, largest = 0;
  for (const LayerRun& run : model.runs) {
    TrainingLayer l = layer_activation(run.layer, x);
    l.count = static_cast<double>(run.count);
    all_layers += l.count * l.bytes;
    all_selective += l.count * l.selective_bytes;
    if (l.bytes > largest) {
      largest = l.bytes;
      r.selective_per_layer_bytes = l.selective_bytes;
    }
    r.layers.push_back(l);
  }
  r.activation_per_layer_bytes = largest;
  r.layer_input_bytes = x.tokens * x.d * kActivationBytes / x.replicated;

  // Pipeline (Korthikanti et al. sec. 4.2.3, 1F1B): the first stage holds its
  // ceil(L/p) layers for p micro-batches in flight, the last stage for one.
  // A stage's layers are taken at the model's mean layer (the layer order is
  // not modelled); with p = 1 the stage is the whole stack, exactly.
  const double per_stage = std::ceil(L / p);
  const double segment = std::ceil(std::sqrt(per_stage));  // sqrt: a checkpoint every `segment` layers
  struct Held {
    double bytes = 0, checkpoints = 0, live_layers = 0;
  };
  auto stage_layers = [&](double micro_batches) {
    const double share = micro_batches * per_stage / L;
    Held h;
    if (in.checkpointing == "none") {
      h = {share * all_layers, 0, micro_batches * per_stage};
    } else if (in.checkpointing == "selective") {
      h = {share * all_selective, 0, micro_batches * per_stage};
    } else if (in.checkpointing == "full") {
      // Every layer's input; backward recomputes one layer at a time.
      h.checkpoints = micro_batches * per_stage;
      h.live_layers = 1;
    } else {
      // Chen et al. 2016: backward recomputes one segment at a time.
      h.checkpoints = micro_batches * std::ceil(per_stage / segment);
      h.live_layers = segment;
    }
    if (in.checkpointing == "full" || in.checkpointing == "sqrt")
      h.bytes = h.checkpoints * r.layer_input_bytes + h.live_layers * largest;
    return h;
  };
  const Held first = stage_layers(p), last = stage_layers(1);
  r.checkpoints = first.checkpoints;
  r.recompute_layers = first.live_layers;
  r.activation_bytes = first.bytes;

  // Outside the layers (sec. 4.3): the embedding's dropout mask on the first
  // stage, the final norm's and LM head's inputs and the loss on the last.
  if (in.dropout) r.embedding_activation_bytes = p * x.tokens * x.d * kMaskBytes / x.replicated;
  r.head_activation_bytes = 2 * x.tokens * x.d * kActivationBytes / x.replicated;
  // The loss keeps the fp32 logits (vocabulary split over t) and, when backward
  // starts, their fp32 gradient; a fused cross-entropy holds one chunk of each.
  r.logits_bytes = x.tokens * static_cast<double>(model.vocab) * kFp32Bytes / t;
  r.loss_bytes = 2 * r.logits_bytes / in.vocab_chunks;

  const double state_bytes = states.total_bytes;
  if (p == 1) {
    r.first_stage_bytes = state_bytes + r.activation_bytes + r.embedding_activation_bytes + r.head_activation_bytes + r.loss_bytes;
    r.last_stage_bytes = r.first_stage_bytes;
  } else {
    r.first_stage_bytes = state_bytes + r.activation_bytes + r.embedding_activation_bytes;
    r.last_stage_bytes = state_bytes + last.bytes + r.head_activation_bytes + r.loss_bytes;
  }
  r.total_bytes = std::max(r.first_stage_bytes, r.last_stage_bytes);

  // Training FLOPs: the model's forward FLOPs (flops.hpp, logits at every
  // position), and backward twice the forward (Kaplan et al. 2020). Recompute
  // reruns a forward: of the attention core (QK^T and AV) for selective, of the
  // layers for full and sqrt (the LM head is not recomputed).
  const FlopSplit forward = prefill_flops(model, in.sequence).split;
  r.flops_per_step = 3 * in.batch * forward.total;
  if (in.checkpointing == "selective") r.recompute_flops = in.batch * forward.attention_scores;
  else if (in.checkpointing != "none") r.recompute_flops = in.batch * (forward.total - forward.lm_head);
  r.extra_compute_fraction = r.recompute_flops / r.flops_per_step;
  return r;
}

}  // namespace llmst

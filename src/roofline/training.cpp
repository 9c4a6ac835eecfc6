#include "roofline/training.hpp"

#include <algorithm>
#include <cmath>

#include "core/validate.hpp"
#include "model/flops.hpp"
#include "model/params.hpp"
#include "quant/sizes.hpp"

namespace llmst {

namespace {

// What every layer's accounting shares.
struct Shape {
  double tokens = 0;      // s b
  double sequence = 0;    // s
  double d = 0;           // h
  double t = 1;           // tensor-parallel size
  double replicated = 1;  // divisor of the tensors tensor parallelism leaves whole: 1, or t under sequence parallelism
  bool parallel_blocks = false;  // attention and FFN read the same input (GPT-J, Falcon)
  bool dropout = false, fused_attention = true, fused_swiglu = false;
};

constexpr double kActivationBytes = 2;  // bf16 / fp16
constexpr double kMaskBytes = 1;        // a dropout mask, one byte per element (as the paper counts)
constexpr double kFp32Bytes = 4;

// The modules LoRA adapts, by role (Hu et al. 2021 adapt W_q and W_v; PEFT
// names them by suffix; "all-linear" is every linear layer but the LM head).
struct LoraTargets {
  bool q = false, k = false, v = false, o = false, gate = false, up = false, down = false, router = false;
};

Status parse_targets(const std::string& text, LoraTargets& t) {
  auto trim = [](std::string part) {
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    return part;
  };
  if (trim(text) == "all-linear") {
    t = {true, true, true, true, true, true, true, true};
    return {};
  }
  bool any = false;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    std::string part = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (part.size() > 5 && part.ends_with("_proj")) part.resize(part.size() - 5);  // PEFT's q_proj, gate_proj, ...
    if (part == "q")
      t.q = true;
    else if (part == "k")
      t.k = true;
    else if (part == "v")
      t.v = true;
    else if (part == "o")
      t.o = true;
    else if (part == "gate")
      t.gate = true;
    else if (part == "up")
      t.up = true;
    else if (part == "down")
      t.down = true;
    else if (!part.empty())
      return error_status("lora_targets", "lora_targets: \"" + part.substr(0, 40) +
                                              "\" is not one of q, k, v, o, gate, up, down (or all-linear)");
    any = any || !part.empty();
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!any)
    return error_status("lora_targets", "lora_targets names no module (q, k, v, o, gate, up, down or all-linear)");
  return {};
}

// What LoRA adds to one layer: A (d_in x r) and B (r x d_out) per adapted
// module, the r-wide A output each token keeps for B's gradient, and with
// LoRA dropout the dropped copy of the input A reads (2 B) with its mask (1 B).
struct LayerAdapters {
  double params = 0;           // trainable parameters of the layer
  double active_params = 0;    // adapter parameters one token passes through (routed: top_k experts)
  double bytes_per_token = 0;  // activations the adapters add, per token
  double largest_matrix = 0;   // elements of the layer's largest linear weight (adapted or not)
};

LayerAdapters layer_adapters(const LayerSpec& layer, double d, const LoraTargets& t, double rank, bool experts,
                             bool dropout) {
  LayerAdapters a;
  // count: modules of this shape in the layer; per_token: how many of them a token passes through.
  auto linear = [&](double d_in, double d_out, bool adapted, double count = 1, double per_token = 1) {
    a.largest_matrix = std::max(a.largest_matrix, d_in * d_out);
    if (!adapted) return;
    a.params += count * rank * (d_in + d_out);
    a.active_params += per_token * rank * (d_in + d_out);
    a.bytes_per_token += per_token * (rank * kActivationBytes + (dropout ? d_in * (kActivationBytes + kMaskBytes) : 0));
  };
  const AttentionSpec& at = layer.attention;
  const double heads = static_cast<double>(at.heads);
  if (at.mla) {
    // DeepSeek-V2/V3: q is q_a_proj + q_b_proj (or q_proj); K and V share
    // kv_a_proj_with_mqa and kv_b_proj, adapted once when k or v is targeted.
    const double qk_head = static_cast<double>(at.qk_nope_head_dim + at.qk_rope_head_dim);
    const double q_lora = static_cast<double>(at.q_lora_rank), kv_lora = static_cast<double>(at.kv_lora_rank);
    if (q_lora > 0) {
      linear(d, q_lora, t.q);
      linear(q_lora, heads * qk_head, t.q);
    } else {
      linear(d, heads * qk_head, t.q);
    }
    linear(d, kv_lora + static_cast<double>(at.qk_rope_head_dim), t.k || t.v);
    linear(kv_lora, heads * static_cast<double>(at.qk_nope_head_dim + at.v_head_dim), t.k || t.v);
    linear(heads * static_cast<double>(at.v_head_dim), d, t.o);
  } else {
    const double q_dim = heads * static_cast<double>(at.head_dim);
    const double kv_dim = static_cast<double>(at.kv_heads * at.head_dim);
    linear(d, q_dim, t.q);
    linear(d, kv_dim, t.k);
    linear(d, kv_dim, t.v);
    linear(q_dim, d, t.o);
  }
  const FfnSpec& f = layer.ffn;
  // An MLP of width w: gate and up d -> w, down w -> d (plain: up and down).
  auto mlp = [&](double w, bool adapted, double count, double per_token) {
    if (f.gated) linear(d, w, adapted && t.gate, count, per_token);
    linear(d, w, adapted && t.up, count, per_token);
    linear(w, d, adapted && t.down, count, per_token);
  };
  if (!f.moe) {
    mlp(static_cast<double>(f.width), true, 1, 1);
  } else {
    if (f.experts > 1) {
      mlp(static_cast<double>(f.width), experts, static_cast<double>(f.experts), static_cast<double>(f.top_k));
      linear(d, static_cast<double>(f.experts), t.router);  // the router is a Linear: all-linear adapts it
    }
    // The shared experts are one MLP of their summed width (DeepSeek, Qwen2-MoE, Llama 4).
    const double shared = static_cast<double>(f.shared_width * f.shared_experts);
    if (shared > 0) mlp(shared, true, 1, 1);
    if (f.shared_gate) linear(d, 1, t.router);
  }
  return a;
}

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
  const double ffn_width =
      f.moe ? routed * static_cast<double>(f.width) + static_cast<double>(f.shared_experts * f.shared_width)
            : static_cast<double>(f.width);

  // Per token, bytes; `whole` ones divide by x.replicated, `split` ones by t.
  const double norm_tensors =
      x.parallel_blocks ? 1 : static_cast<double>(layer.norms);  // parallel blocks' norms read one input
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
    // FlashAttention keeps one fp32 log-sum-exp per head and query; its dropout regenerates the mask from the RNG
    // state.
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
    r.status = first_error(
        check_integer("batch", in.batch, 1, 1e6), check_integer("sequence", in.sequence, 1, 1e8),
        check_integer("vocab_chunks", in.vocab_chunks, 1, 1e8), check_integer("zero_stage", in.zero_stage, 0, 3),
        check_integer("data_parallel", in.data_parallel, 1, 1e6),
        check_integer("tensor_parallel", in.tensor_parallel, 1, 1e4),
        check_integer("pipeline_parallel", in.pipeline_parallel, 1, static_cast<double>(validated.model.n_layers)));
  if (r.status.ok && in.checkpointing != "none" && in.checkpointing != "selective" && in.checkpointing != "full" &&
      in.checkpointing != "sqrt")
    r.status = error_status(
        "checkpointing", "checkpointing = " + quoted(in.checkpointing) + " must be one of none, selective, full, sqrt");
  if (r.status.ok && in.method != "full" && in.method != "lora" && in.method != "qlora")
    r.status = error_status("method", "method = \"" + in.method.substr(0, 40) + "\" must be one of full, lora, qlora");
  const bool lora = in.method == "lora" || in.method == "qlora";
  LoraTargets targets;
  if (r.status.ok && lora) {
    r.status = first_error(check_integer("lora_rank", in.lora_rank, 1, 1e5), parse_targets(in.lora_targets, targets));
    if (r.status.ok && in.adapter_dtype != "fp32" && in.adapter_dtype != "bf16")
      r.status = error_status("adapter_dtype",
                              "adapter_dtype = \"" + in.adapter_dtype.substr(0, 40) + "\" must be fp32 or bf16");
  }
  if (!r.status.ok) return r;
  const ValidModel& model = validated.model;
  const double t = in.tensor_parallel, p = in.pipeline_parallel, dp = in.data_parallel;
  const int zero = static_cast<int>(in.zero_stage);
  r.method = in.method;

  // Model states: every parameter split over t p (the first and last stages'
  // embedding and head are taken as evenly spread), then ZeRO over N_d.
  const ModelParams params = count_params_of(model);
  r.params = params.total;
  r.params_per_device = params.total / (t * p);
  const ModelStates states = model_states(r.params_per_device, zero, dp, in.fp32_gradients);
  r.bytes_per_param = states.bytes_per_param;
  r.weights_bytes = states.weights_bytes;
  r.gradients_bytes = states.gradients_bytes;
  r.optimizer_bytes = states.optimizer_bytes;
  r.trainable_params = r.params;

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
  double all_layers = 0, all_selective = 0, largest = 0, largest_adapter = 0, all_adapters = 0;
  double adapter_params = 0, adapter_active_params = 0, largest_matrix = 0;
  for (const LayerRun& run : model.runs) {
    TrainingLayer l = layer_activation(run.layer, x);
    l.count = static_cast<double>(run.count);
    const LayerAdapters a = layer_adapters(run.layer, x.d, targets, in.lora_rank, in.lora_experts, in.lora_dropout);
    largest_matrix = std::max(largest_matrix, a.largest_matrix);
    if (lora) {
      // Kept whole on every device (the adapters are not split over t: an upper bound).
      l.adapter_params = a.params;
      l.adapter_bytes = x.tokens * a.bytes_per_token;
      l.bytes += l.adapter_bytes;
      l.selective_bytes += l.adapter_bytes;
      adapter_params += l.count * a.params;
      adapter_active_params += l.count * a.active_params;
    }
    all_layers += l.count * l.bytes;
    all_selective += l.count * l.selective_bytes;
    all_adapters += l.count * l.adapter_bytes;
    if (l.bytes > largest) {
      largest = l.bytes;
      largest_adapter = l.adapter_bytes;
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
    double bytes = 0, checkpoints = 0, live_layers = 0, adapter_bytes = 0;
  };
  auto stage_layers = [&](double micro_batches) {
    const double share = micro_batches * per_stage / L;
    Held h;
    if (in.checkpointing == "none") {
      h = {share * all_layers, 0, micro_batches * per_stage, share * all_adapters};
    } else if (in.checkpointing == "selective") {
      h = {share * all_selective, 0, micro_batches * per_stage, share * all_adapters};
    } else if (in.checkpointing == "full") {
      // Every layer's input; backward recomputes one layer at a time.
      h.checkpoints = micro_batches * per_stage;
      h.live_layers = 1;
    } else {
      // Chen et al. 2016: backward recomputes one segment at a time.
      h.checkpoints = micro_batches * std::ceil(per_stage / segment);
      h.live_layers = segment;
    }
    if (in.checkpointing == "full" || in.checkpointing == "sqrt") {
      h.bytes = h.checkpoints * r.layer_input_bytes + h.live_layers * largest;
      h.adapter_bytes = h.live_layers * largest_adapter;
    }
    return h;
  };
  const Held first = stage_layers(p), last = stage_layers(1);
  r.checkpoints = first.checkpoints;
  r.recompute_layers = first.live_layers;
  r.activation_bytes = first.bytes;
  r.adapter_activation_bytes = first.adapter_bytes;

  // Outside the layers (sec. 4.3): the embedding's dropout mask on the first
  // stage, the final norm's and LM head's inputs and the loss on the last.
  if (in.dropout) r.embedding_activation_bytes = p * x.tokens * x.d * kMaskBytes / x.replicated;
  r.head_activation_bytes = 2 * x.tokens * x.d * kActivationBytes / x.replicated;
  // The loss keeps the fp32 logits (vocabulary split over t) and, when backward
  // starts, their fp32 gradient; a fused cross-entropy holds one chunk of each.
  r.logits_bytes = x.tokens * static_cast<double>(model.vocab) * kFp32Bytes / t;
  r.loss_bytes = 2 * r.logits_bytes / in.vocab_chunks;

  // Fine-tuning with adapters: the base is frozen (no gradients, no optimizer
  // states) and stored in bf16 (LoRA) or NF4 with double quantization (QLoRA,
  // via the quant area's weights_bytes, with the embedding and LM head kept in
  // bf16 as Hugging Face's bitsandbytes integration leaves them). The adapters
  // carry the model states, sharded like the full model's.
  std::vector<TrainingPart> state_parts;
  if (lora) {
    WeightsFormat format;
    format.format = in.method == "qlora" ? "nf4" : "bf16";
    if (in.method == "qlora") format.keep = "embedding,lm_head";
    const WeightsBytes base = weights_bytes(param_groups_of(params, true), format);
    if (!base.status.ok) {
      r.status = base.status;
      return r;
    }
    r.base_bits_per_weight = base.bits_per_weight;
    r.base_weights_bytes = base.size.bytes / (t * p) / (zero >= 3 ? dp : 1);
    const bool bf16 = in.adapter_dtype == "bf16";
    const double weight_bytes = bf16 ? 2 : 4, gradient_bytes = bf16 ? 2 : 4, moment_bytes = 8;
    const double per_device = adapter_params / (t * p);
    r.trainable_params = adapter_params;
    r.adapter_bytes_per_param = weight_bytes + gradient_bytes + moment_bytes;
    r.bytes_per_param = r.adapter_bytes_per_param;
    r.adapter_weights_bytes = weight_bytes * per_device / (zero >= 3 ? dp : 1);
    r.weights_bytes = r.base_weights_bytes + r.adapter_weights_bytes;
    r.gradients_bytes = gradient_bytes * per_device / (zero >= 2 ? dp : 1);
    r.optimizer_bytes = moment_bytes * per_device / (zero >= 1 ? dp : 1);
    // bitsandbytes dequantizes one weight matrix to bf16 per matmul (forward and backward) and frees it.
    if (in.method == "qlora") r.dequantized_bytes = largest_matrix * kActivationBytes / t;
    state_parts = {
        {"base_weights", in.method == "qlora" ? "Base weights (NF4 + double quant)" : "Base weights (bf16, frozen)",
         r.base_weights_bytes},
        {"adapter_weights", bf16 ? "Adapter weights (bf16)" : "Adapter weights (fp32)", r.adapter_weights_bytes},
        {"adapter_gradients", bf16 ? "Adapter gradients (bf16)" : "Adapter gradients (fp32)", r.gradients_bytes},
        {"optimizer", "Adam moments (fp32)", in.paged_optimizer ? 0 : r.optimizer_bytes},
    };
    if (in.method == "qlora") state_parts.push_back({"dequantized", "Dequantized matrix (bf16)", r.dequantized_bytes});
  } else {
    state_parts = {
        {"weights", "Weights (bf16)", r.weights_bytes},
        {"gradients", in.fp32_gradients ? "Gradients (fp32)" : "Gradients (bf16)", r.gradients_bytes},
        {"optimizer", "fp32 master + Adam moments", in.paged_optimizer ? 0 : r.optimizer_bytes},
    };
  }
  r.trainable_percent = 100 * r.trainable_params / (r.params + (lora ? r.trainable_params : 0));
  // Paged optimizer (Dettmers et al. 2023, sec. 3): the states live in unified
  // memory and are evicted to the host when the device runs short; counted here
  // as evicted, the worst case for speed and the best for the fit.
  if (in.paged_optimizer) r.offloaded_bytes = r.optimizer_bytes;
  double state_bytes = 0;
  for (const TrainingPart& part : state_parts) state_bytes += part.bytes;

  if (p == 1) {
    r.first_stage_bytes =
        state_bytes + r.activation_bytes + r.embedding_activation_bytes + r.head_activation_bytes + r.loss_bytes;
    r.last_stage_bytes = r.first_stage_bytes;
  } else {
    r.first_stage_bytes = state_bytes + r.activation_bytes + r.embedding_activation_bytes;
    r.last_stage_bytes = state_bytes + last.bytes + r.head_activation_bytes + r.loss_bytes;
  }
  r.total_bytes = std::max(r.first_stage_bytes, r.last_stage_bytes);

  // The parts of the larger stage.
  const bool first_larger = p == 1 || r.first_stage_bytes >= r.last_stage_bytes;
  const Held& held = first_larger ? first : last;
  double outside = p == 1         ? r.embedding_activation_bytes + r.head_activation_bytes
                   : first_larger ? r.embedding_activation_bytes
                                  : r.head_activation_bytes;
  r.parts = state_parts;
  r.parts.push_back({"activations", "Activations", held.bytes - held.adapter_bytes + outside});
  if (lora) r.parts.push_back({"adapter_activations", "Adapter activations", held.adapter_bytes});
  r.parts.push_back({"logits_loss", "Logits + gradient (fp32)", p == 1 || !first_larger ? r.loss_bytes : 0});

  // Training FLOPs: the model's forward FLOPs (flops.hpp, logits at every
  // position), and backward twice the forward (Kaplan et al. 2020). Recompute
  // reruns a forward: of the attention core (QK^T and AV) for selective, of the
  // layers for full and sqrt (the LM head is not recomputed). Frozen weights
  // (LoRA) need no weight gradients: backward is one pass of input gradients
  // through every matrix plus the attention core's two, so forward + backward
  // = 2 forward + the scores; the adapters add 6 FLOPs per parameter a token
  // passes through.
  const FlopSplit forward = prefill_flops(model, in.sequence).split;
  const double adapter_forward = 2 * x.tokens * adapter_active_params;
  if (lora)
    r.flops_per_step = in.batch * (2 * forward.total + forward.attention_scores) + 3 * adapter_forward;
  else
    r.flops_per_step = 3 * in.batch * forward.total;
  if (in.checkpointing == "selective")
    r.recompute_flops = in.batch * forward.attention_scores;
  else if (in.checkpointing != "none")
    r.recompute_flops = in.batch * (forward.total - forward.lm_head) + adapter_forward;
  r.extra_compute_fraction = r.recompute_flops / r.flops_per_step;
  return r;
}

TrainingFit training_fit(const TrainingInput& in, const Hardware& hardware) {
  TrainingFit fit;
  fit.status = validate_hardware(hardware);
  if (!fit.status.ok) return fit;
  const TrainingMemory now = training_memory(in);
  fit.status = now.status;
  if (!fit.status.ok) return fit;
  fit.capacity_bytes = hardware.memory_bytes;
  fit.needed_bytes = now.total_bytes;
  fit.fits = now.total_bytes <= fit.capacity_bytes;
  // The largest value of `field` in [1, limit] that fits (0: none). Memory
  // grows with batch and with sequence, so double, then bisect.
  auto largest = [&](double TrainingInput::*field, double limit) {
    TrainingInput probe = in;
    auto fits = [&](double value) {
      probe.*field = value;
      return training_memory(probe).total_bytes <= fit.capacity_bytes;
    };
    if (!fits(1)) return 0.0;
    double good = 1, bad = 2;
    while (bad <= limit && fits(bad)) {
      good = bad;
      bad *= 2;
    }
    if (bad > limit) {
      if (fits(limit)) return limit;
      bad = limit;
    }
    while (bad - good > 1) {
      const double mid = std::floor((good + bad) / 2);
      (fits(mid) ? good : bad) = mid;
    }
    return good;
  };
  fit.max_batch = largest(&TrainingInput::batch, 1e6);
  fit.max_sequence = largest(&TrainingInput::sequence, 1e8);
  return fit;
}

}  // namespace llmst

#include "roofline/explain.hpp"

#include <algorithm>

namespace llmst {

namespace {

const std::string kRoofline =
    "Williams, Waterman, Patterson 2009, \"Roofline: An Insightful Visual Performance Model\" (time = max(FLOPs / "
    "peak, bytes / bandwidth))";
const std::string kPope =
    "Pope et al. 2022, \"Efficiently Scaling Transformer Inference\" (decode is bound by reading weights + KV)";
const std::string kDocs = "src/roofline/plan.hpp";

std::string n(double value) { return tex_number(value); }

}  // namespace

ExplainResult explain_plan(const Workload& w) {
  const PlanResult r = plan(w);
  if (!r.status.ok) return {r.status, {}};
  const Hardware& hw = w.hardware;
  const std::string spec = hw.label + ": " + (hw.source.empty() ? "custom specification" : hw.source);
  const ExplainTerm peak{"P", "peak " + w.compute_dtype + " FLOP/s of " + hw.label, r.peak_flops_per_s, "FLOP/s"};
  const ExplainTerm bandwidth{"\\mathit{BW}", "memory bandwidth of " + hw.label, r.bandwidth_bytes_per_s, "bytes/s"};
  // One sequence's KV at this context, from the memory area's formula (windows, chunks, MLA).
  const double kv_sequence = r.kv_bytes / w.batch;
  // Tensor parallelism splits the KV cache over at most n_kv_heads devices, pipeline stages by layers.
  const double kv_split = r.kv_per_device_bytes > 0 ? r.kv_bytes / r.kv_per_device_bytes : 1;
  std::vector<Explanation> out;

  out.push_back({"plan.ridge",
                 "Ridge point",
                 "I^* = P / \\mathit{BW}",
                 "I^* = " + n(r.peak_flops_per_s) + " / " + n(r.bandwidth_bytes_per_s) + " = " +
                     n(r.ridge_flops_per_byte) + "\\ \\text{FLOP/byte}",
                 r.ridge_flops_per_byte,
                 "FLOP/byte",
                 {peak, bandwidth},
                 {spec, kRoofline, kDocs},
                 "Operators with fewer FLOPs per byte than this are memory bound. A decode GEMV does 2 FLOPs per "
                 "weight per sequence."});

  {
    std::string sum, list;
    for (const ComponentSize& c : r.weight_components) {
      sum += (sum.empty() ? "" : " + ") + n(c.params) + " \\cdot " + n(c.bits_per_weight) + "/8";
      list += (list.empty() ? "" : "; ") + c.component + " " + c.format;
    }
    out.push_back(
        {"plan.weight_bytes",
         "Weights memory",
         "W = \\sum_c N_c\\,b_c / 8",
         "W = " + sum + " = " + n(r.weight_bytes) + "\\ \\text{bytes}",
         r.weight_bytes,
         "bytes",
         {{"N_c", "parameters of component c (MTP modules left out)", r.weights_params, ""},
          {"b_c", "bits per weight of its format, scales included", r.bytes_per_weight * 8, "bits"}},
         {"src/quant/sizes.cpp (weights_bytes: the Quantization panel's sizing)", kDocs},
         "Components: " + list + ". All devices together; each holds W / devices (tensor or pipeline parallel)."});
  }

  out.push_back(
      {"plan.kv_bytes",
       "KV cache, whole batch",
       "M_\\text{kv} = \\beta\\,B_\\text{seq}(n)",
       "M_\\text{kv} = " + n(w.batch) + " \\cdot " + n(kv_sequence) + " = " + n(r.kv_bytes) + "\\ \\text{bytes}",
       r.kv_bytes,
       "bytes",
       {{"\\beta", "batch (sequences)", w.batch, ""},
        {"B_\\text{seq}(n)",
         "KV bytes of one sequence of n = context tokens (windows and chunks applied, " + w.kv_dtype + ")", kv_sequence,
         "bytes"},
        {"B_\\text{tok}", "KV bytes per token, all layers", r.kv_bytes_per_token, "bytes"}},
       {kPope, "src/memory/kv_cache.cpp (kv_cache: the KV panel's formula)", kDocs},
       ""});

  const std::string fit = r.fits ? "\\le" : ">";
  out.push_back(
      {"plan.memory_per_device",
       "Memory per device",
       "M = W_\\text{dev} + M_\\text{kv} / s \\;\\le\\; C",
       "M = " + n(r.weights_per_device_bytes) + " + " + n(r.kv_bytes) + " / " + n(kv_split) + " = " +
           n(r.memory_per_device_bytes) + "\\ \\text{bytes} " + fit + " " + n(r.memory_capacity_bytes),
       r.memory_per_device_bytes,
       "bytes",
       {{"W_\\text{dev}", "weights on one device", r.weights_per_device_bytes, "bytes"},
        {"M_\\text{kv}", "KV cache, whole batch", r.kv_bytes, "bytes"},
        {"s", "ways the KV cache is split (tensor: at most n_kv_heads; pipeline: stages; both: stages x that)",
         kv_split, ""},
        {"C", "device memory of " + hw.label, r.memory_capacity_bytes, "bytes"}},
       {spec, kDocs},
       r.fits ? "Fits." : "Does not fit on one device: more devices, a smaller dtype or a shorter context."});

  const double free_bytes = r.memory_capacity_bytes - r.weights_per_device_bytes;
  out.push_back({"plan.max_batch",
                 "Largest batch that fits",
                 "\\beta_\\text{max} = \\max\\!\\left(0,\\ \\left\\lfloor \\frac{C - W_\\text{dev}}{B_\\text{seq}(n) / "
                 "s} \\right\\rfloor\\right)",
                 "\\beta_\\text{max} = \\max\\!\\left(0,\\ \\left\\lfloor \\frac{" + n(r.memory_capacity_bytes) +
                     " - " + n(r.weights_per_device_bytes) + "}{" + n(kv_sequence) + " / " + n(kv_split) +
                     "} \\right\\rfloor\\right) = " + n(r.max_batch),
                 r.max_batch,
                 "sequences",
                 {{"C", "device memory", r.memory_capacity_bytes, "bytes"},
                  {"W_\\text{dev}", "weights on one device", r.weights_per_device_bytes, "bytes"},
                  {"B_\\text{seq}(n)", "KV bytes of one sequence at this context", kv_sequence, "bytes"},
                  {"s", "KV split (1 for MLA's shared latent under tensor parallelism)", kv_split, ""}},
                 {spec, kDocs},
                 free_bytes <= 0 ? "The weights alone do not fit: 0."
                                 : (r.max_batch >= 1e7 ? "Capped at 10^7 sequences."
                                                       : "KV cache of one sequence on one device: B_seq / s.")});

  const DecodePlan& d = r.decode;
  const double roofline_s = d.step_s - d.communication_s - d.offload_s;
  const double effective_peak = r.peak_flops_per_s * w.flop_efficiency;
  const double effective_bandwidth = r.bandwidth_bytes_per_s * w.bandwidth_efficiency;
  out.push_back({"plan.decode_step",
                 "Decode step time",
                 "t_\\text{step} = \\sum_\\text{ops} \\max\\!\\left(\\frac{F_i}{\\eta_F P},\\ "
                 "\\frac{B_i}{\\eta_B\\,\\mathit{BW}}\\right) + t_\\text{comm} + t_\\text{offload}",
                 "t_\\text{step} \\ge \\frac{" + n(d.weight_bytes_read) + " + " + n(d.kv_bytes_read) + "}{" +
                     n(effective_bandwidth) + "} = " + n(d.memory_floor_s) +
                     "\\ \\text{s}; \\quad t_\\text{step} = " + n(roofline_s) + " + " + n(d.communication_s) + " + " +
                     n(d.offload_s) + " = " + n(d.step_s) + "\\ \\text{s}",
                 d.step_s,
                 "s",
                 {{"F", "decode FLOPs per step (one device)", d.flops, "FLOPs"},
                  {"B", "bytes moved per step (one device)", d.bytes, "bytes"},
                  {"B_w", "weight bytes read per step", d.weight_bytes_read, "bytes"},
                  {"B_\\text{kv}", "KV bytes read per step", d.kv_bytes_read, "bytes"},
                  {"\\eta_F P", "reached FLOP/s", effective_peak, "FLOP/s"},
                  {"\\eta_B\\,\\mathit{BW}", "reached bandwidth", effective_bandwidth, "bytes/s"},
                  {"t_\\text{floor}", "memory floor: (B_w + B_kv) / (eta_B BW)", d.memory_floor_s, "s"},
                  {"t_\\text{comm}", "all-reduces or pipeline hops", d.communication_s, "s"},
                  {"t_\\text{offload}", "offloaded weights over the host link", d.offload_s, "s"}},
                 {spec, kRoofline, kPope, kDocs},
                 "Each operator takes the longer of its compute and memory time; the step is " + d.bound +
                     " bound overall (intensity " + text_number(d.intensity) + " FLOP/byte)."});

  const ExplainTerm step{"t_\\text{step}", "decode step time", d.step_s, "s"};
  out.push_back({"plan.tokens_per_s",
                 "Decode tokens/s per sequence",
                 "r = 1 / t_\\text{step}",
                 "r = 1 / " + n(d.step_s) + " = " + n(d.tokens_per_s) + "\\ \\text{tokens/s}",
                 d.tokens_per_s,
                 "tokens/s",
                 {step},
                 {kDocs},
                 "Every sequence of the batch gets one token per step (time per output token = t_step)."});
  out.push_back({"plan.total_tokens_per_s",
                 "Decode tokens/s, whole batch",
                 "R = \\beta / t_\\text{step}",
                 "R = " + n(w.batch) + " / " + n(d.step_s) + " = " + n(d.total_tokens_per_s) + "\\ \\text{tokens/s}",
                 d.total_tokens_per_s,
                 "tokens/s",
                 {{"\\beta", "batch", w.batch, ""}, step},
                 {kDocs},
                 ""});

  const PrefillPlan& f = r.prefill;
  const double prefill_roofline_s = f.ttft_s - f.communication_s - f.offload_s;
  out.push_back(
      {"plan.ttft",
       "Time to first token",
       "t_\\text{TTFT} = \\sum_\\text{ops} \\max\\!\\left(\\frac{F_i}{\\eta_F P},\\ "
       "\\frac{B_i}{\\eta_B\\,\\mathit{BW}}\\right) + t_\\text{comm} + t_\\text{offload}",
       "t_\\text{TTFT} \\ge \\frac{" + n(f.flops) + "}{" + n(effective_peak) + "} = " + n(f.flops / effective_peak) +
           "\\ \\text{s}; \\quad t_\\text{TTFT} = " + n(prefill_roofline_s) + " + " + n(f.communication_s) + " + " +
           n(f.offload_s) + " = " + n(f.ttft_s) + "\\ \\text{s}",
       f.ttft_s,
       "s",
       {{"F", "prefill FLOPs (batch x prompt, one device)", f.flops, "FLOPs"},
        {"B", "prefill bytes moved", f.bytes, "bytes"},
        {"\\eta_F P", "reached FLOP/s", effective_peak, "FLOP/s"},
        {"\\eta_B\\,\\mathit{BW}", "reached bandwidth", effective_bandwidth, "bytes/s"},
        {"t_\\text{comm}", "all-reduces or pipeline hops", f.communication_s, "s"},
        {"t_\\text{offload}", "offloaded weights over the host link", f.offload_s, "s"}},
       {spec, kRoofline, kDocs},
       "The whole batch of prompts in one pass; " + f.bound + " bound (intensity " + text_number(f.intensity) +
           " FLOP/byte). Pipeline parallelism (alone or with tensor parallelism) adds the GPipe bubble (2p - 1)/p."});
  return {ok_status(), std::move(out)};
}

ExplainResult explain_training(const TrainingInput& in) {
  const TrainingMemory r = training_memory(in);
  if (!r.status.ok) return {r.status, {}};
  const bool lora = r.method != "full";
  const std::string hu =
      "Hu et al. 2021, \"LoRA: Low-Rank Adaptation of Large Language Models\" (A: d_in x r, B: r x d_out)";
  const std::string dettmers = "Dettmers et al. 2023, \"QLoRA\" (NF4 with double quantization, paged optimizers)";
  const std::string korthikanti =
      "Korthikanti et al. 2022, \"Reducing Activation Recomputation in Large Transformer Models\", sec. 4";
  const std::string zero =
      "Rajbhandari et al. 2020, \"ZeRO\", sec. 3 (2 + 2 + 12 bytes per parameter with mixed-precision Adam)";
  const std::string docs = "src/roofline/training.cpp; docs/training.md";
  std::vector<Explanation> out;

  if (lora) {
    std::string sum;
    for (const TrainingLayer& layer : r.layers)
      sum += (sum.empty() ? "" : " + ") + n(layer.count) + " \\cdot " + n(layer.adapter_params);
    out.push_back({"train.trainable_params",
                   "Trainable parameters (the adapters)",
                   "N_\\text{train} = \\sum_k L_k \\sum_{m} r\\,(d_{\\text{in},m} + d_{\\text{out},m})",
                   "N_\\text{train} = " + sum + " = " + n(r.trainable_params),
                   r.trainable_params,
                   "parameters",
                   {{"r", "LoRA rank", in.lora_rank, ""},
                    {"L_k", "layers of kind k", 0, ""},
                    {"N_\\text{base}", "frozen parameters", r.params, ""}},
                   {hu, docs},
                   "What Hugging Face PEFT prints as trainable params: " + text_number(r.trainable_params) + "."});
    const double flat = r.params_per_device * r.base_bits_per_weight / 8;
    out.push_back(
        {"train.base_weights",
         "Frozen base weights",
         "W_\\text{base} = N_\\text{base}\\,b_\\text{base} / 8 + \\Delta_\\text{bf16}",
         "W_\\text{base} = " + n(r.params_per_device) + " \\cdot " + n(r.base_bits_per_weight) + " / 8 + " +
             n(r.base_weights_bytes - flat) + " = " + n(r.base_weights_bytes) + "\\ \\text{bytes}",
         r.base_weights_bytes,
         "bytes",
         {{"N_\\text{base}", "parameters on this device", r.params_per_device, ""},
          {"b_\\text{base}", r.method == "qlora" ? "bits of the layers' NF4 with double quantization" : "bf16",
           r.base_bits_per_weight, "bits"},
          {"\\Delta_\\text{bf16}", "what the parts kept in bf16 (embedding, head, norms) add",
           r.base_weights_bytes - flat, "bytes"}},
         {r.method == "qlora" ? dettmers : hu, "src/quant/sizes.cpp (weights_bytes)"},
         r.method == "qlora"
             ? "Embedding, LM head and norms stay in bf16, so the exact bytes (the figure) are a little above N b / 8."
             : "The frozen base in bf16."});
  }
  // Weights, gradients and optimizer states after ZeRO (LoRA: the adapters'); a
  // paged optimizer holds its states in host memory instead.
  const double weights = lora ? r.adapter_weights_bytes : r.weights_bytes;
  const double optimizer = in.paged_optimizer ? 0 : r.optimizer_bytes;
  const double states = weights + r.gradients_bytes + optimizer;
  out.push_back({"train.states",
                 lora ? "Adapter weights, gradients and Adam states" : "Weights, gradients and Adam states",
                 "M_\\text{states} = W + G + O",
                 "M_\\text{states} = " + n(weights) + " + " + n(r.gradients_bytes) + " + " + n(optimizer) + " = " +
                     n(states) + "\\ \\text{bytes}",
                 states,
                 "bytes",
                 {{"W", lora ? "adapter weights" : "weights on this device", weights, "bytes"},
                  {"G", "gradients", r.gradients_bytes, "bytes"},
                  {"O", "fp32 master copy and Adam moments (0 when paged to host)", optimizer, "bytes"},
                  {"\\beta_p", "bytes per trained parameter before sharding",
                   lora ? r.adapter_bytes_per_param : r.bytes_per_param, "bytes"}},
                 {zero, docs},
                 r.offloaded_bytes > 0 ? "Paged optimizer: " + text_number(r.offloaded_bytes) +
                                             " bytes of optimizer states live in host memory."
                                       : ""});
  out.push_back({"train.activations",
                 "Activations kept for backward",
                 "M_\\text{act} = \\sum_k L_k\\,A_k \\;(\\text{with recomputation: what it keeps})",
                 "M_\\text{act} = " + n(r.activation_bytes) + "\\ \\text{bytes}",
                 r.activation_bytes,
                 "bytes",
                 {{"A_k", "one layer's tensors (Korthikanti eq. 1 generalized; adapters' r-wide inputs)",
                   r.activation_per_layer_bytes, "bytes"},
                  {"s", "sequence", in.sequence, "tokens"},
                  {"b", "micro-batch", in.batch, "sequences"}},
                 {korthikanti, docs},
                 "Checkpointing: " + in.checkpointing + "."});
  std::string sum;
  for (const TrainingPart& part : r.parts) sum += (sum.empty() ? "" : " + ") + n(part.bytes);
  std::string names;
  for (const TrainingPart& part : r.parts) names += (names.empty() ? "" : ", ") + part.label;
  out.push_back({"train.total",
                 "Memory per device",
                 "M = \\sum_\\text{parts} M_\\text{part}",
                 "M = " + sum + " = " + n(r.total_bytes) + "\\ \\text{bytes}",
                 r.total_bytes,
                 "bytes",
                 {{"M_\\text{part}", "each part of the device's memory", 0, "bytes"}},
                 {zero, korthikanti, docs},
                 "Parts: " + names + "."});
  return {ok_status(), out};
}

}  // namespace llmst

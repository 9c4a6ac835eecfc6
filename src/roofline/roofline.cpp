#include "roofline/roofline.hpp"

#include <algorithm>
#include <cmath>

#include "core/dtype.hpp"
#include "core/validate.hpp"
#include "quant/formats.hpp"
#include "roofline/operators.hpp"

namespace llmst {
namespace roofline_detail {
namespace {

Status check_choice(const std::string& field, const std::string& value,
                    std::initializer_list<const char*> choices) {
  std::string list;
  for (const char* choice : choices) {
    if (value == choice) return ok_status();
    list += list.empty() ? choice : std::string(", ") + choice;
  }
  return error_status(field, field + " = \"" + value + "\" must be one of " + list);
}

Status check_dtype(const std::string& field, const std::string& id, double& bytes) {
  const DtypeInfo* dtype = find_plain_dtype(id);
  if (!dtype) return error_status(field, field + " = \"" + id + "\" is not a plain dtype (fp32, fp16, bf16, fp8, int8, int4)");
  bytes = dtype->bits / 8;
  return ok_status();
}

// Weights may also be stored in a ggml block format (q4_0 … q6_k): bytes per
// weight are the block's real size over its weights, scales included (Q4_K:
// 144 B / 256 = 4.5 bits), so "Llama-3-70B in Q4_K" sizes what llama.cpp loads.
Status check_weights_dtype(const std::string& id, double& bytes) {
  if (find_plain_dtype(id)) return check_dtype("weights_dtype", id, bytes);
  const QuantFormatInfo* format = find_quant_format(id);
  if (format && format->family == "ggml") {
    bytes = format->block_bytes / format->block_size;
    return ok_status();
  }
  std::string blocks;
  for (const QuantFormatInfo& f : quant_formats())
    if (f.family == "ggml") blocks += (blocks.empty() ? "" : ", ") + f.id;
  return error_status("weights_dtype", "weights_dtype = \"" + id +
                                           "\" is neither a plain dtype (fp32, fp16, bf16, fp8, int8, int4) nor a ggml block format (" +
                                           blocks + ")");
}

}  // namespace

Status prepare_shape(const ModelConfig& model, Shape& s) {
  // The model area's validation: one source of truth for what a config may be.
  const ValidatedModel validated = validate_model(model);
  if (!validated.status.ok) return validated.status;
  const ModelConfig& m = validated.config;
  const double head_dim = m.head_dim;
  s = Shape{};
  s.vocab = m.vocab_size;
  s.d = m.d_model;
  s.layers = m.n_layers;
  s.heads = m.n_heads;
  s.kv_heads = m.n_kv_heads;
  s.head_dim = head_dim;
  s.q_dim = m.n_heads * head_dim;
  s.kv_dim = m.n_kv_heads * head_dim;
  s.d_ff = m.d_ff;
  s.experts = m.n_experts;
  s.top_k = m.experts_top_k;
  s.window = m.sliding_window;
  s.positions = m.learned_position_embeddings;
  s.gated = m.ffn == "gated";
  s.rms = m.norm == "rms";
  s.tied = m.tied_embeddings;
  s.qkv_bias = m.qkv_bias;
  s.out_bias = m.attn_out_bias;
  s.mlp_bias = m.mlp_bias;
  s.norms_per_layer = m.parallel_attn_mlp && m.parallel_shared_norm ? 1 : 2;
  return ok_status();
}

Prepared prepare(const Workload& w, bool plan_fields) {
  Prepared p;
  Status status = prepare_shape(w.model, p.shape);
  if (!status.ok) return {status};
  status = first_error(
      validate_hardware(w.hardware),
      check_weights_dtype(w.weights_dtype, p.weight_bytes),
      check_real("weights_bits", w.weights_bits, 0, 64),
      check_dtype("kv_dtype", w.kv_dtype, p.kv_bytes),
      check_choice("compute_dtype", w.compute_dtype, {"fp32", "fp16", "bf16", "fp8", "int8"}),
      check_integer("batch", w.batch, 1, 1e7), check_integer("context", w.context, 1, 1e9),
      check_real_above("flop_efficiency", w.flop_efficiency, 0, 1),
      check_real_above("bandwidth_efficiency", w.bandwidth_efficiency, 0, 1));
  if (!status.ok) return {status};
  if (w.weights_bits > 0) p.weight_bytes = w.weights_bits / 8;
  double ignored = 0;
  check_dtype("compute_dtype", w.compute_dtype, ignored);
  p.act_bytes = ignored;
  p.peak = peak_flops_per_s(w.hardware, w.compute_dtype);
  if (p.peak <= 0)
    return {error_status("compute_dtype", "compute_dtype = \"" + w.compute_dtype + "\": " + w.hardware.label +
                                              " lists no " + w.compute_dtype + " peak (hardware." +
                                              (w.compute_dtype == "int8" ? std::string("int8_tops")
                                                                         : (w.compute_dtype == "bf16" ? std::string("fp16") : w.compute_dtype) + "_tflops") +
                                              " = 0)")};
  p.bandwidth = w.hardware.memory_gb_per_s * 1e9;
  p.effective_peak = p.peak * w.flop_efficiency;
  p.effective_bandwidth = p.bandwidth * w.bandwidth_efficiency;
  if (plan_fields) {
    status = first_error(
        check_integer("gpus", w.gpus, 1, 4096),
        check_choice("parallelism", w.parallelism, {"tensor", "pipeline"}),
        check_integer("offload_layers", w.offload_layers, 0, p.shape.layers),
        check_real("collective_latency_s", w.collective_latency_s, 0, 1));
    if (!status.ok) return {status};
    if (w.gpus > 1 && w.hardware.interconnect_gb_per_s <= 0)
      return {error_status("hardware.interconnect_gb_per_s",
                           "hardware.interconnect_gb_per_s = " + format_number(w.hardware.interconnect_gb_per_s) +
                               ": gpus = " + format_number(w.gpus) + " needs a device-to-device link")};
    if (w.parallelism == "pipeline" && w.gpus > p.shape.layers)
      return {error_status("gpus", "gpus = " + format_number(w.gpus) + " pipeline stages exceed n_layers = " +
                                       format_number(p.shape.layers))};
    if (w.offload_layers > 0 && w.gpus != 1)
      return {error_status("offload_layers", "offload_layers = " + format_number(w.offload_layers) +
                                                 " is modelled on one device; set gpus = 1")};
    if (w.offload_layers > 0 && w.hardware.host_link_gb_per_s <= 0)
      return {error_status("hardware.host_link_gb_per_s",
                           "hardware.host_link_gb_per_s = " + format_number(w.hardware.host_link_gb_per_s) +
                               ": offload_layers = " + format_number(w.offload_layers) + " needs a host link")};
  }
  return p;
}

namespace {

// Causal (query, key) pairs of one prompt of n tokens: query i sees min(i, window) keys.
double causal_pairs(double n, double window) {
  if (window <= 0 || window >= n) return n * (n + 1) / 2;
  return window * (window + 1) / 2 + (n - window) * window;
}

OperatorCost make_op(const std::string& name, const std::string& phase, const std::string& scope,
                     double count, bool split, double flops, double weight_bytes, double kv_bytes,
                     double activation_bytes) {
  OperatorCost op;
  op.name = name;
  op.phase = phase;
  op.scope = scope;
  op.count = count;
  op.tensor_parallel = split;
  op.flops = flops;
  op.weight_bytes = weight_bytes;
  op.kv_bytes = kv_bytes;
  op.activation_bytes = activation_bytes;
  return op;
}

}  // namespace

std::vector<OperatorCost> pass_operators(const Prepared& p, const std::string& phase, double batch,
                                         double context, bool fused) {
  const Shape& s = p.shape;
  const double wb = p.weight_bytes, kb = p.kv_bytes, ab = p.act_bytes;
  const bool prefill = phase == "prefill";
  const double tokens = prefill ? batch * context : batch;   // rows through every linear layer
  const double keys = s.keys(context);                       // keys a decode token attends to
  const double pairs = batch * (prefill ? causal_pairs(context, s.window) : keys);  // (query, key) pairs per head
  const double kv_read = batch * (prefill ? context : keys) * s.kv_dim * kb;        // K (or V) read once
  const double L = s.layers;
  std::vector<OperatorCost> ops;

  // A linear layer on `rows` rows: 2 FLOP per multiply-add; reads the weights
  // and the input rows, writes the output rows (to the KV cache for K and V).
  auto linear = [&](const std::string& name, double rows, double d_in, double d_out, bool bias,
                    double weight_sets, bool writes_kv) {
    const double params = d_in * d_out + (bias ? d_out : 0);
    const double out = rows * d_out;
    ops.push_back(make_op(name, phase, "layer", L, true, 2 * rows * d_in * d_out + (bias ? out : 0),
                          weight_sets * params * wb, writes_kv ? out * kb : 0,
                          rows * d_in * ab + (writes_kv ? 0 : out * ab)));
  };
  // Norm: ~4 FLOP per element for RMSNorm (square, sum, scale, weight), ~7 for LayerNorm.
  auto norm = [&](const std::string& name, const std::string& scope, double count) {
    ops.push_back(make_op(name, phase, scope, count, false, tokens * s.d * (s.rms ? 4 : 7),
                          s.norm_params() * wb, 0, 2 * tokens * s.d * ab));
  };
  auto residual = [&](const std::string& name) {
    ops.push_back(make_op(name, phase, "layer", L, false, tokens * s.d, 0, 0, 3 * tokens * s.d * ab));
  };

  norm("attn_norm", "layer", L);
  linear("q_proj", tokens, s.d, s.q_dim, s.qkv_bias, 1, false);
  linear("k_proj", tokens, s.d, s.kv_dim, s.qkv_bias, 1, true);
  linear("v_proj", tokens, s.d, s.kv_dim, s.qkv_bias, 1, true);
  // Attention: QK^T and AV are 2 x head_dim FLOP per (query, key) pair per head;
  // softmax ~5 FLOP per score (max, subtract, exp, sum, divide). Materialized
  // scores cost bytes; fused (Flash) attention keeps them on chip.
  const double score_bytes = fused ? 0 : s.heads * pairs * ab;
  ops.push_back(make_op("scores", phase, "layer", L, true, 2 * s.heads * s.head_dim * pairs, 0, kv_read,
                        tokens * s.q_dim * ab + score_bytes));
  ops.push_back(make_op("softmax", phase, "layer", L, true, 5 * s.heads * pairs, 0, 0, 2 * score_bytes));
  ops.push_back(make_op("av", phase, "layer", L, true, 2 * s.heads * s.head_dim * pairs, 0, kv_read,
                        tokens * s.q_dim * ab + score_bytes));
  linear("o_proj", tokens, s.q_dim, s.d, s.out_bias, 1, false);
  residual("attn_residual");
  if (s.norms_per_layer == 2) norm("ffn_norm", "layer", L);
  // MoE: each token runs top_k experts; the weights read are those of the
  // experts the batch touches.
  const double expert_sets = expected_distinct_experts(s.experts, s.top_k, tokens);
  const double routed = tokens * s.top_k;
  if (s.experts > 1) {
    ops.push_back(make_op("router", phase, "layer", L, false, 2 * tokens * s.d * s.experts,
                          s.d * s.experts * wb, 0, tokens * (s.d + s.experts) * ab));
  }
  linear("ffn_up", routed, s.d, s.d_ff, s.mlp_bias, expert_sets, false);
  if (s.gated) linear("ffn_gate", routed, s.d, s.d_ff, s.mlp_bias, expert_sets, false);
  // SiLU(gate) x up ~5 FLOP per element; GELU (tanh form) ~8.
  ops.push_back(make_op("ffn_act", phase, "layer", L, true, routed * s.d_ff * (s.gated ? 5 : 8), 0, 0,
                        routed * s.d_ff * ab * (s.gated ? 3 : 2)));
  linear("ffn_down", routed, s.d_ff, s.d, s.mlp_bias, expert_sets, false);
  residual("ffn_residual");

  // Once per model. The embedding reads only the rows of the tokens present;
  // the LM head runs on the last position of each sequence (logits in fp32).
  const double rows = std::min(tokens, s.vocab) + std::min(prefill ? context : 1.0, s.positions);
  ops.push_back(make_op("embedding", phase, "model", 1, true, 0, rows * s.d * wb, 0, tokens * s.d * ab));
  norm("final_norm", "model", 1);
  ops.push_back(make_op("lm_head", phase, "model", 1, true, 2 * batch * s.d * s.vocab, s.vocab * s.d * wb, 0,
                        batch * s.d * ab + batch * s.vocab * 4));
  // The final norm runs on every row in a pass; the LM head only on the last ones.
  return ops;
}

void time_operator(OperatorCost& op, double peak, double bandwidth, double split, double kv_split) {
  if (op.tensor_parallel && split > 1) {
    op.flops /= split;
    op.weight_bytes /= split;
    op.activation_bytes /= split;
    op.kv_bytes /= kv_split;
  }
  op.bytes = op.weight_bytes + op.kv_bytes + op.activation_bytes;
  op.intensity = op.bytes > 0 ? op.flops / op.bytes : 0;
  op.compute_s = op.flops / peak;
  op.memory_s = op.bytes / bandwidth;
  op.time_s = std::max(op.compute_s, op.memory_s);
  op.bound = op.compute_s >= op.memory_s ? "compute" : "memory";
  // min(peak, intensity x bandwidth); an operator that moves no bytes runs at peak.
  op.attainable_flops_per_s = op.time_s > 0 ? op.flops / op.time_s : 0;
}

PhaseTotals sum_operators(const std::vector<OperatorCost>& ops, double tokens) {
  PhaseTotals t;
  t.tokens = tokens;
  for (const OperatorCost& op : ops) {
    t.flops += op.count * op.flops;
    t.weight_bytes += op.count * op.weight_bytes;
    t.kv_bytes += op.count * op.kv_bytes;
    t.activation_bytes += op.count * op.activation_bytes;
    t.compute_s += op.count * op.compute_s;
    t.memory_s += op.count * op.memory_s;
    t.time_s += op.count * op.time_s;
  }
  t.bytes = t.weight_bytes + t.kv_bytes + t.activation_bytes;
  t.intensity = t.bytes > 0 ? t.flops / t.bytes : 0;
  t.bound = t.compute_s >= t.memory_s ? "compute" : "memory";
  return t;
}

}  // namespace roofline_detail

using namespace roofline_detail;

double expected_distinct_experts(double experts, double top_k, double tokens) {
  if (experts <= 1) return 1;
  return experts * (1 - std::pow(1 - top_k / experts, tokens));
}

RooflineResult roofline(const Workload& w) {
  const Prepared p = prepare(w, false);
  RooflineResult r;
  if (!p.status.ok) {
    r.status = p.status;
    return r;
  }
  r.peak_flops_per_s = p.peak;
  r.bandwidth_bytes_per_s = p.bandwidth;
  r.ridge_flops_per_byte = p.peak / p.bandwidth;
  r.effective_peak_flops_per_s = p.effective_peak;
  r.effective_bandwidth_bytes_per_s = p.effective_bandwidth;
  r.bytes_per_weight = p.weight_bytes;
  r.head_dim = p.shape.head_dim;
  r.decode_weight_intensity = 2 * w.batch / p.weight_bytes;
  r.batch_to_ridge = r.ridge_flops_per_byte * p.weight_bytes / 2;
  for (const char* phase : {"prefill", "decode"}) {
    std::vector<OperatorCost> ops = pass_operators(p, phase, w.batch, w.context, w.fused_attention);
    for (OperatorCost& op : ops) time_operator(op, p.effective_peak, p.effective_bandwidth);
    const bool prefill = std::string(phase) == "prefill";
    (prefill ? r.prefill : r.decode) = sum_operators(ops, prefill ? w.batch * w.context : w.batch);
    r.operators.insert(r.operators.end(), ops.begin(), ops.end());
  }
  return r;
}

ParamCounts roofline_params(const Workload& w) {
  ParamCounts c;
  Shape s;
  c.status = prepare_shape(w.model, s);
  if (!c.status.ok) return c;
  double kv_bytes = 0;
  if (Status status = check_dtype("kv_dtype", w.kv_dtype, kv_bytes); !status.ok) {
    c.status = status;
    return c;
  }
  const double attention = s.d * s.q_dim + 2 * s.d * s.kv_dim + s.q_dim * s.d +
                           (s.qkv_bias ? s.q_dim + 2 * s.kv_dim : 0) + (s.out_bias ? s.d : 0);
  c.expert = (s.gated ? 3 : 2) * s.d * s.d_ff + (s.mlp_bias ? (s.gated ? 2 : 1) * s.d_ff + s.d : 0);
  const double router = s.experts > 1 ? s.d * s.experts : 0;
  const double norms = s.norms_per_layer * s.norm_params();
  c.per_layer = attention + s.experts * c.expert + router + norms;
  c.embedding = s.vocab * s.d + s.positions * s.d;
  c.attention = s.layers * attention;
  c.ffn = s.layers * (s.experts * c.expert + router);
  c.norm = s.layers * norms + s.norm_params();
  c.lm_head = s.tied ? 0 : s.vocab * s.d;
  c.total = c.embedding + c.attention + c.ffn + c.norm + c.lm_head;
  c.active = c.total - s.layers * (s.experts - s.top_k) * c.expert;
  c.kv_bytes_per_token = 2 * s.layers * s.kv_dim * kv_bytes;
  return c;
}

}  // namespace llmst

#include "roofline/roofline.hpp"

#include <algorithm>
#include <cmath>

#include "core/dtype.hpp"
#include "core/validate.hpp"
#include "quant/formats.hpp"
#include "memory/kv_cache.hpp"
#include "model/flops.hpp"
#include "roofline/operators.hpp"

namespace llmst {
namespace roofline_detail {
namespace {

Status check_dtype(const std::string& field, const std::string& id, double& bytes) {
  const DtypeInfo* dtype = find_plain_dtype(id);
  if (!dtype)
    return error_status(field,
                        field + " = " + quoted(id) + " is not a plain dtype (fp32, fp16, bf16, fp8, int8, int4)");
  bytes = dtype->bits / 8;
  return ok_status();
}

// The chip's peak for compute_dtype and its bandwidth, with the efficiencies (hardware already validated).
Status set_peaks(Prepared& p, const Hardware& hardware, const std::string& compute_dtype, double flop_efficiency,
                 double bandwidth_efficiency) {
  p.peak = peak_flops_per_s(hardware, compute_dtype);
  if (p.peak <= 0)
    return error_status(
        "compute_dtype",
        "compute_dtype = " + quoted(compute_dtype) + ": " + quoted(hardware.label) + " lists no " + compute_dtype +
            " peak (hardware." +
            (compute_dtype == "int8" ? std::string("int8_tops")
                                     : (compute_dtype == "bf16" ? std::string("fp16") : compute_dtype) + "_tflops") +
            " = 0)");
  p.bandwidth = hardware.memory_gb_per_s * 1e9;
  p.effective_peak = p.peak * flop_efficiency;
  p.effective_bandwidth = p.bandwidth * bandwidth_efficiency;
  return ok_status();
}

}  // namespace

Status check_batch_context(const Workload& w) {
  return first_error(check_integer("batch", w.batch, 1, 1e7), check_integer("context", w.context, 1, 1e9));
}

Status check_deployment(const Workload& w, double n_layers, bool plan_fields) {
  // The plan-only fields are checked for roofline() too: a value it cannot
  // use is still refused rather than read and ignored (issue 17).
  Status status = first_error(check_integer("gpus", w.gpus, 1, 4096),
                              check_choice("parallelism", w.parallelism, {"tensor", "pipeline", "tensor_pipeline"}),
                              check_integer("pipeline_stages", w.pipeline_stages, 1, 4096),
                              check_integer("offload_layers", w.offload_layers, 0, n_layers),
                              check_real("collective_latency_s", w.collective_latency_s, 0, 1));
  if (!status.ok) return status;
  if (w.parallelism != "tensor_pipeline" && w.pipeline_stages != 1)
    return error_status("pipeline_stages", "pipeline_stages = " + format_number(w.pipeline_stages) +
                                               " is read by parallelism = \"tensor_pipeline\" only (parallelism = " +
                                               quoted(w.parallelism) + ")");
  if (plan_fields) {
    if (w.gpus > 1 && w.hardware.interconnect_gb_per_s <= 0)
      return error_status("hardware.interconnect_gb_per_s",
                          "hardware.interconnect_gb_per_s = " + format_number(w.hardware.interconnect_gb_per_s) +
                              ": gpus = " + format_number(w.gpus) + " needs a device-to-device link");
    if (w.parallelism == "pipeline" && w.gpus > n_layers)
      return error_status(
          "gpus", "gpus = " + format_number(w.gpus) + " pipeline stages exceed n_layers = " + format_number(n_layers));
    if (w.parallelism == "tensor_pipeline" && std::fmod(w.gpus, w.pipeline_stages) != 0)
      return error_status("pipeline_stages", "pipeline_stages = " + format_number(w.pipeline_stages) +
                                                 " must divide gpus = " + format_number(w.gpus) +
                                                 " (each stage is gpus / pipeline_stages-way tensor parallel)");
    if (w.parallelism == "tensor_pipeline" && w.pipeline_stages > n_layers)
      return error_status("pipeline_stages", "pipeline_stages = " + format_number(w.pipeline_stages) +
                                                 " exceeds n_layers = " + format_number(n_layers));
    if (w.offload_layers > 0 && w.gpus != 1)
      return error_status("offload_layers", "offload_layers = " + format_number(w.offload_layers) +
                                                " is modelled on one device; set gpus = 1");
    if (w.offload_layers > 0 && w.hardware.host_link_gb_per_s <= 0)
      return error_status("hardware.host_link_gb_per_s",
                          "hardware.host_link_gb_per_s = " + format_number(w.hardware.host_link_gb_per_s) +
                              ": offload_layers = " + format_number(w.offload_layers) + " needs a host link");
  }
  return ok_status();
}

Prepared prepare(const Workload& w, bool plan_fields) {
  Prepared p;
  // The model area's validation: one source of truth for what a config may be.
  ValidatedModel validated = validate_model(w.model);
  if (!validated.status.ok) return {validated.status};
  p.model = std::move(validated.model);
  p.params = count_params_of(p.model);
  double kv_value_bytes = 0;
  Status status = first_error(validate_hardware(w.hardware), check_dtype("kv_dtype", w.kv_dtype, kv_value_bytes),
                              check_choice("compute_dtype", w.compute_dtype, {"fp32", "fp16", "bf16", "fp8", "int8"}),
                              check_batch_context(w), check_integer("images", w.images, 0, 1e6),
                              check_real_above("flop_efficiency", w.flop_efficiency, 0, 1),
                              check_zero_or_at_least("flop_efficiency", w.flop_efficiency, 1e-3, 1),
                              check_real_above("bandwidth_efficiency", w.bandwidth_efficiency, 0, 1),
                              check_zero_or_at_least("bandwidth_efficiency", w.bandwidth_efficiency, 1e-3, 1));
  if (!status.ok) return {status};
  // Weight bytes come from the quant area's formula, per component.
  WeightsFormat format;
  format.format = w.weights_dtype;
  format.bits = w.weights_bits;
  format.group_size = w.weights_group;
  format.scale_dtype = w.weights_scale_dtype;
  format.keep = w.weights_keep;
  p.weights = weights_bytes(param_groups_of(p.params, false), format);
  if (!p.weights.status.ok) return {p.weights.status};
  p.weight_bytes = p.weights.ffn;
  // vLLM and SGLang keep the indexer whole on every tensor-parallel rank (DeepSeek's convert.py does not shard it).
  for (const LayerRun& run : p.model.runs)
    p.replicated_weight_bytes +=
        static_cast<double>(run.count) * layer_params(run.layer, p.model.d_model).indexer * p.weights.attention;
  if (w.images > 0 && p.model.vision_flops_per_image <= 0)
    return {error_status("images", "images = " + format_number(w.images) + ": this model has no vision tower")};
  p.images = w.images;
  // KV bytes come from the memory area's formula (scales of int8/int4 included).
  KvCacheInput kv_input;
  kv_input.kv_dtype = w.kv_dtype;
  kv_input.prompt_tokens = 1;
  p.kv_input = kv_input_from_model(p.model, kv_input);
  p.kv_shape = kv_cache(p.kv_input);
  if (!p.kv_shape.status.ok) return {p.kv_shape.status};
  p.kv_vector_bytes = p.kv_shape.vector_bytes;
  p.kv_heads = p.kv_shape.vectors_per_token_per_layer == 1 ? 1 : p.kv_shape.vectors_per_token_per_layer / 2;
  p.indexer_key_bytes = p.kv_shape.indexer_bytes_per_token_per_layer;
  double ignored = 0;
  check_dtype("compute_dtype", w.compute_dtype, ignored);
  p.act_bytes = ignored;
  status = set_peaks(p, w.hardware, w.compute_dtype, w.flop_efficiency, w.bandwidth_efficiency);
  if (!status.ok) return {status};
  status = check_deployment(w, static_cast<double>(p.model.n_layers), plan_fields);
  if (!status.ok) return {status};
  return p;
}

const char* op_name(OpName name) {
  static const char* const names[] = {
      "attn_norm", "q_a_proj",    "q_b_proj",   "q_proj",        "k_proj",          "v_proj",
      "kv_a_proj", "kv_b_proj",   "indexer_q",  "indexer_k",     "indexer_weights", "indexer_scores",
      "scores",    "softmax",     "av",         "o_proj",        "post_attn_norm",  "attn_residual",
      "ffn_norm",  "router",      "ffn_up",     "ffn_gate",      "ffn_act",         "ffn_down",
      "shared_up", "shared_gate", "shared_act", "shared_down",   "post_ffn_norm",   "ffn_residual",
      "embedding", "final_norm",  "lm_head",    "vision_encoder"};
  static_assert(sizeof(names) / sizeof(names[0]) == static_cast<size_t>(OpName::vision_encoder) + 1);
  return names[static_cast<size_t>(name)];
}

Status prepare_hardware(Prepared& p, const Hardware& hardware, const std::string& compute_dtype, double flop_efficiency,
                        double bandwidth_efficiency) {
  const Status status =
      first_error(validate_hardware(hardware), check_dtype("compute_dtype", compute_dtype, p.act_bytes));
  if (!status.ok) return status;
  // The compute dtype is also the activations' storage dtype (fp8 compute: 1-byte activations).
  return set_peaks(p, hardware, compute_dtype, flop_efficiency, bandwidth_efficiency);
}

double kv_sequence_bytes(const Prepared& p, double tokens) { return kv_sequence_bytes(p.kv_input, p.kv_shape, tokens); }

namespace {

OpShape make_op(OpName name, bool layer_scope, double count, bool split, double flops, double weight_bytes,
                double kv_bytes, double activation_bytes) {
  OpShape op;
  op.name = name;
  op.layer_scope = layer_scope;
  op.count = count;
  op.tensor_parallel = split;
  op.flops = flops;
  op.weight_bytes = weight_bytes;
  op.kv_bytes = kv_bytes;
  op.activation_bytes = activation_bytes;
  return op;
}

// The operators of `count` layers of one kind.
void layer_operators(const Prepared& p, const LayerSpec& layer, double count, bool prefill, double batch,
                     double context, bool fused, std::vector<OpShape>& ops) {
  const AttentionSpec& a = layer.attention;
  const FfnSpec& f = layer.ffn;
  const double d = static_cast<double>(p.model.d_model);
  const double heads = static_cast<double>(a.heads);
  const WeightsBytes& wb = p.weights;  // bytes per weight of each component
  const double ab = p.act_bytes;
  const double tokens = prefill ? batch * context : batch;  // rows through every linear layer
  // (query, key) pairs per head and the keys read per sequence: the model's own counts.
  const double pairs = batch * (prefill ? causal_attended_pairs(a, context) : decode_keys(a, context));
  const double keys_read = prefill ? context : decode_keys(a, context);
  const double kv_read = batch * keys_read * p.kv_heads * p.kv_vector_bytes;  // all K (or V) vectors, once
  const double kv_write = p.kv_heads * p.kv_vector_bytes;                     // per row, K or V

  // A linear layer on `rows` rows: 2 FLOP per multiply-add; reads the weights
  // and the input rows, writes the output rows (to the KV cache when it produces K or V).
  auto linear = [&](OpName name, double rows, double d_in, double d_out, bool bias, double weight_sets, bool writes_kv,
                    double bytes_per_weight) {
    const double params = d_in * d_out + (bias ? d_out : 0);
    const double out = rows * d_out;
    ops.push_back(make_op(name, true, count, true, 2 * rows * d_in * d_out + (bias ? out : 0),
                          weight_sets * params * bytes_per_weight, writes_kv ? rows * kv_write : 0,
                          rows * d_in * ab + (writes_kv ? 0 : out * ab)));
  };
  // Norm: ~4 FLOP per element for RMSNorm (square, sum, scale, weight), ~7 for LayerNorm.
  const double norm_params = (layer.layer_norm ? 2 : 1) * d;
  auto norm = [&](OpName name) {
    ops.push_back(make_op(name, true, count, false, tokens * d * (layer.layer_norm ? 7 : 4), norm_params * wb.norms, 0,
                          2 * tokens * d * ab));
  };
  auto residual = [&](OpName name) {
    ops.push_back(make_op(name, true, count, false, tokens * d, 0, 0, 3 * tokens * d * ab));
  };

  norm(OpName::attn_norm);
  double attention_out = 0;  // width of the attention output (input of o_proj)
  if (a.mla) {
    const double qk_head = static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
    const double q_lora = static_cast<double>(a.q_lora_rank), kv_lora = static_cast<double>(a.kv_lora_rank);
    if (q_lora > 0) {
      linear(OpName::q_a_proj, tokens, d, q_lora, false, 1, false, wb.attention);
      linear(OpName::q_b_proj, tokens, q_lora, heads * qk_head, false, 1, false, wb.attention);
    } else {
      linear(OpName::q_proj, tokens, d, heads * qk_head, false, 1, false, wb.attention);
    }
    // The latent and the RoPE key are what the cache holds.
    linear(OpName::kv_a_proj, tokens, d, kv_lora + static_cast<double>(a.qk_rope_head_dim), false, 1, true,
           wb.attention);
    // Absorbed into the query and output sides (per-head K nope and V up-projections).
    linear(OpName::kv_b_proj, tokens, kv_lora, heads * static_cast<double>(a.qk_nope_head_dim + a.v_head_dim), false, 1,
           false, wb.attention);
    attention_out = heads * static_cast<double>(a.v_head_dim);
    if (a.indexer_heads > 0) {
      // DeepSeek Sparse Attention's lightning indexer, replicated on every
      // device (not split by tensor parallelism): queries from the query
      // latent, one key per token (cached), per-head weights; then every
      // query scores every cached key. Its logits (fp32) are written for the
      // top-k selection; only the selected keys reach the attention below.
      const double ih = static_cast<double>(a.indexer_heads), id = static_cast<double>(a.indexer_head_dim);
      auto replicated = [&](OpName name, double d_in, double d_out, double kv_bytes) {
        ops.push_back(make_op(name, true, count, false, 2 * tokens * d_in * d_out, d_in * d_out * wb.attention,
                              kv_bytes, tokens * d_in * ab + (kv_bytes > 0 ? 0 : tokens * d_out * ab)));
      };
      replicated(OpName::indexer_q, q_lora, ih * id, 0);
      replicated(OpName::indexer_k, d, id, tokens * p.indexer_key_bytes);
      replicated(OpName::indexer_weights, d, ih, 0);
      const double indexer_pairs = batch * (prefill ? indexer_causal_pairs(a, context) : indexer_keys(a, context));
      ops.push_back(make_op(OpName::indexer_scores, true, count, false, indexer_flops_per_pair(a) * indexer_pairs, 0,
                            batch * context * p.indexer_key_bytes, tokens * (ih * id + ih) * ab + 4 * indexer_pairs));
    }
  } else {
    const double q_dim = heads * static_cast<double>(a.head_dim);
    const double kv_dim = static_cast<double>(a.kv_heads * a.head_dim);
    linear(OpName::q_proj, tokens, d, q_dim, a.qkv_bias, 1, false, wb.attention);
    linear(OpName::k_proj, tokens, d, kv_dim, a.qkv_bias, 1, true, wb.attention);
    linear(OpName::v_proj, tokens, d, kv_dim, a.qkv_bias, 1, true, wb.attention);
    attention_out = q_dim;
  }
  // Attention: QK^T and AV (score_flops_per_pair splits them evenly for GQA; MLA's
  // QK^T spans the latent and the RoPE key, AV the latent); softmax ~5 FLOP per score.
  // Materialized scores cost bytes; fused (Flash) attention keeps them on chip.
  const double score_flops = score_flops_per_pair(a) * pairs;
  const double qk_share = a.mla ? static_cast<double>(a.kv_lora_rank + a.qk_rope_head_dim) /
                                      static_cast<double>(2 * a.kv_lora_rank + a.qk_rope_head_dim)
                                : 0.5;
  const double score_bytes = fused ? 0 : heads * pairs * ab;
  // MLA reads its latent once for both products; GQA reads K for the scores and V for AV.
  ops.push_back(make_op(OpName::scores, true, count, true, qk_share * score_flops, 0, kv_read,
                        tokens * attention_out * ab + score_bytes));
  ops.push_back(make_op(OpName::softmax, true, count, true, 5 * heads * pairs, 0, 0, 2 * score_bytes));
  ops.push_back(make_op(OpName::av, true, count, true, (1 - qk_share) * score_flops, 0, a.mla ? 0 : kv_read,
                        tokens * attention_out * ab + score_bytes));
  linear(OpName::o_proj, tokens, attention_out, d, a.out_bias, 1, false, wb.attention);
  if (layer.norms == 4) norm(OpName::post_attn_norm);
  residual(OpName::attn_residual);
  if (layer.norms >= 2) norm(OpName::ffn_norm);

  // An MLP on `rows` rows reading `sets` copies of its weights.
  auto mlp = [&](bool shared, double rows, double width, bool bias, double sets) {
    linear(shared ? OpName::shared_up : OpName::ffn_up, rows, d, width, bias, sets, false, wb.ffn);
    if (f.gated) linear(shared ? OpName::shared_gate : OpName::ffn_gate, rows, d, width, bias, sets, false, wb.ffn);
    // SiLU(gate) x up ~5 FLOP per element; GELU (tanh form) ~8.
    ops.push_back(make_op(shared ? OpName::shared_act : OpName::ffn_act, true, count, true,
                          rows * width * (f.gated ? 5 : 8), 0, 0, rows * width * ab * (f.gated ? 3 : 2)));
    linear(shared ? OpName::shared_down : OpName::ffn_down, rows, width, d, bias, sets, false, wb.ffn);
  };
  if (!f.moe) {
    mlp(false, tokens, static_cast<double>(f.width), f.bias, 1);
  } else {
    const double experts = static_cast<double>(f.experts);
    if (f.experts > 1) {
      // Each token runs top_k experts; the weights read are those of the experts the batch touches.
      ops.push_back(make_op(OpName::router, true, count, false, 2 * tokens * d * experts, d * experts * wb.router, 0,
                            tokens * (d + experts) * ab));
      const double top_k = static_cast<double>(f.top_k);
      mlp(false, tokens * top_k, static_cast<double>(f.width), f.bias,
          expected_distinct_experts(experts, top_k, tokens));
    }
    // Shared experts: every token, weights read once.
    if (f.shared_experts > 0) mlp(true, tokens, static_cast<double>(f.shared_width * f.shared_experts), false, 1);
  }
  if (layer.norms == 4) norm(OpName::post_ffn_norm);
  residual(OpName::ffn_residual);
}

// Operators that appear for several layer kinds with the same cost become one,
// counted for all (in place, in order of first appearance).
void merge_alike(std::vector<OpShape>& ops) {
  size_t kept = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    const OpShape& op = ops[i];
    bool found = false;
    for (size_t j = 0; j < kept; ++j) {
      OpShape& other = ops[j];
      if (other.name == op.name && other.layer_scope == op.layer_scope && other.flops == op.flops &&
          other.weight_bytes == op.weight_bytes && other.kv_bytes == op.kv_bytes &&
          other.activation_bytes == op.activation_bytes) {
        other.count += op.count;
        found = true;
        break;
      }
    }
    if (!found) ops[kept++] = op;
  }
  ops.resize(kept);
}

}  // namespace

void pass_operators(const Prepared& p, bool prefill, double batch, double context, bool fused,
                    std::vector<OpShape>& ops) {
  const ValidModel& m = p.model;
  const double d = static_cast<double>(m.d_model), vocab = static_cast<double>(m.vocab);
  const WeightsBytes& wb = p.weights;
  const double ab = p.act_bytes;
  const double tokens = prefill ? batch * context : batch;
  ops.clear();
  for (const LayerRun& run : m.runs)
    layer_operators(p, run.layer, static_cast<double>(run.count), prefill, batch, context, fused, ops);
  merge_alike(ops);

  // Once per model. The embedding reads only the rows of the tokens present;
  // the LM head runs on the last position of each sequence (logits in fp32).
  const double positions = static_cast<double>(m.positions);
  const double rows = std::min(tokens, vocab) + std::min(prefill ? context : 1.0, positions);
  ops.push_back(make_op(OpName::embedding, false, 1, true, 0, rows * d * wb.embedding, 0, tokens * d * ab));
  const double norm_params = (m.layer_norm ? 2 : 1) * d;
  ops.push_back(make_op(OpName::final_norm, false, 1, false, tokens * d * (m.layer_norm ? 7 : 4),
                        norm_params * wb.norms, 0, 2 * tokens * d * ab));
  ops.push_back(make_op(OpName::lm_head, false, 1, true, 2 * batch * d * vocab,
                        vocab * d * (m.tied ? wb.embedding : wb.lm_head), 0, batch * d * ab + batch * vocab * 4));
  // Images run the vision tower and the projector once, at prefill; their
  // tokens then enter the context like text (the context counts them).
  if (prefill && p.images > 0) {
    const double images = batch * p.images;
    ops.push_back(make_op(OpName::vision_encoder, false, 1, true, images * m.vision_flops_per_image,
                          static_cast<double>(m.vision_params + m.projector_params) * wb.ffn, 0,
                          images * static_cast<double>(m.image_tokens) * d * ab));
  }
}

std::vector<OperatorCost> pass_operators(const Prepared& p, const std::string& phase, double batch, double context,
                                         bool fused) {
  std::vector<OpShape> shapes;
  pass_operators(p, phase == "prefill", batch, context, fused, shapes);
  std::vector<OperatorCost> ops;
  ops.reserve(shapes.size());
  for (const OpShape& shape : shapes) {
    OperatorCost op;
    op.name = op_name(shape.name);
    op.phase = phase;
    op.scope = shape.layer_scope ? "layer" : "model";
    op.count = shape.count;
    op.tensor_parallel = shape.tensor_parallel;
    op.flops = shape.flops;
    op.weight_bytes = shape.weight_bytes;
    op.kv_bytes = shape.kv_bytes;
    op.activation_bytes = shape.activation_bytes;
    ops.push_back(op);
  }
  return ops;
}

OperatorCost operator_cost(const OpShape& shape, const char* phase, double peak, double bandwidth) {
  const TimedOp t = time_op(shape, peak, bandwidth, 1, 1);
  OperatorCost op;
  op.name = op_name(shape.name);
  op.phase = phase;
  op.scope = shape.layer_scope ? "layer" : "model";
  op.count = shape.count;
  op.tensor_parallel = shape.tensor_parallel;
  op.flops = t.flops;
  op.weight_bytes = t.weight_bytes;
  op.kv_bytes = t.kv_bytes;
  op.activation_bytes = t.activation_bytes;
  op.bytes = t.bytes;
  op.intensity = t.bytes > 0 ? t.flops / t.bytes : 0;
  op.compute_s = t.compute_s;
  op.memory_s = t.memory_s;
  op.time_s = t.time_s;
  op.bound = t.compute_s >= t.memory_s ? "compute" : "memory";
  // min(peak, intensity x bandwidth); an operator that moves no bytes runs at peak.
  op.attainable_flops_per_s = t.time_s > 0 ? t.flops / t.time_s : 0;
  return op;
}

PhaseTotals time_pass(const std::vector<OpShape>& ops, double peak, double bandwidth, double split, double kv_split,
                      double tokens, double* layer_weight_bytes) {
  PhaseTotals t;
  t.tokens = tokens;
  double layer_weights = 0;
  for (const OpShape& op : ops) {
    const TimedOp o = time_op(op, peak, bandwidth, split, kv_split);
    if (op.layer_scope) layer_weights += o.weight_bytes;
    t.flops += op.count * o.flops;
    t.weight_bytes += op.count * o.weight_bytes;
    t.kv_bytes += op.count * o.kv_bytes;
    t.activation_bytes += op.count * o.activation_bytes;
    t.compute_s += op.count * o.compute_s;
    t.memory_s += op.count * o.memory_s;
    t.time_s += op.count * o.time_s;
  }
  if (layer_weight_bytes) *layer_weight_bytes = layer_weights;
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
  r.head_dim = static_cast<double>(p.model.runs.front().layer.attention.head_dim);
  r.decode_weight_intensity = 2 * w.batch / p.weight_bytes;
  r.batch_to_ridge = r.ridge_flops_per_byte * p.weight_bytes / 2;
  std::vector<OpShape> ops;
  for (const bool prefill : {true, false}) {
    pass_operators(p, prefill, w.batch, w.context, w.fused_attention, ops);
    (prefill ? r.prefill : r.decode) =
        time_pass(ops, p.effective_peak, p.effective_bandwidth, 1, 1, prefill ? w.batch * w.context : w.batch);
    for (const OpShape& op : ops)
      r.operators.push_back(operator_cost(op, prefill ? "prefill" : "decode", p.effective_peak, p.effective_bandwidth));
  }
  return r;
}

}  // namespace llmst

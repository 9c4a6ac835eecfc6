#include "roofline/plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/validate.hpp"
#include "roofline/operators.hpp"

namespace llmst {
namespace {

using namespace roofline_detail;

// How a pass is spread over devices: pp pipeline stages, each tp-way tensor parallel.
struct Layout {
  double tp = 1, pp = 1;
  double devices = 1;      // tp x pp
  double tp_kv_split = 1;  // tensor parallelism splits KV by heads: at most n_kv_heads ways
  double kv_split = 1;     // the cache's split over all devices: pp x tp_kv_split
};

// MLA's latent is shared by every head, so tensor parallelism cannot split it:
// each device keeps the whole latent cache (p.kv_heads = 1).
Layout make_layout(const Prepared& p, double tp, double pp) {
  Layout layout;
  layout.tp = tp;
  layout.pp = pp;
  layout.devices = tp * pp;
  layout.tp_kv_split = std::min(tp, p.kv_heads);
  layout.kv_split = pp * layout.tp_kv_split;
  return layout;
}

// Ring all-reduce of `bytes` over p devices: each sends and receives
// 2 (p - 1) / p x bytes (Patarasuk & Yuan 2009), plus a fixed latency.
double all_reduce_s(double bytes, double p, double link_bytes_per_s, double latency_s) {
  if (p <= 1) return 0;
  return 2 * (p - 1) / p * bytes / link_bytes_per_s + latency_s;
}

// Offloaded layers' weights cross the host link once per pass (not overlapped).
double offload_s(const Workload& w, double layer_weight_bytes) {
  if (w.offload_layers <= 0) return 0;
  return w.offload_layers * layer_weight_bytes / (w.hardware.host_link_gb_per_s * 1e9);
}

PhaseTotals pass_totals(const Prepared& p, const Workload& w, bool prefill, double batch, double context,
                        const Layout& layout, std::vector<OpShape>& ops, double* layer_weight_bytes) {
  // One stage's tensor-parallel group running the whole model: a pipeline's
  // stages each hold a share of the layers, and the schedule below sums them.
  pass_operators(p, prefill, batch, context, w.fused_attention, ops);
  return time_pass(ops, p.effective_peak, p.effective_bandwidth, layout.tp, layout.tp_kv_split,
                   prefill ? batch * context : batch, layer_weight_bytes);
}

DecodePlan decode_at(const Prepared& p, const Workload& w, double batch, double context, const Layout& layout,
                     std::vector<OpShape>& ops) {
  const double d_model = static_cast<double>(p.model.d_model), layers = static_cast<double>(p.model.n_layers);
  const double link = w.hardware.interconnect_gb_per_s * 1e9;
  const double stages = layout.pp;
  DecodePlan d;
  // Pipeline: pp micro-batches of batch / pp circulate; a round (one token for
  // every sequence) costs one full-model pass at the micro-batch size.
  const double pass_batch = batch / stages;
  double layer_weights = 0;
  const PhaseTotals t = pass_totals(p, w, false, pass_batch, context, layout, ops, &layer_weights);
  // (pp - 1) hops of the micro-batch's activations; one stage has none (and may have no link at all).
  const double hops_s =
      stages > 1 ? (stages - 1) * (pass_batch * d_model * p.act_bytes / link + w.collective_latency_s) : 0;
  // Megatron tensor parallelism: 2 all-reduces of the activations per layer, at
  // each of the round's pp micro-batches on its stage's (layers / pp) layers.
  d.communication_s =
      hops_s + layers * 2 * all_reduce_s(pass_batch * d_model * p.act_bytes, layout.tp, link, w.collective_latency_s);
  d.offload_s = offload_s(w, layer_weights);
  d.step_s = t.time_s + d.communication_s + d.offload_s;
  d.memory_floor_s = (t.weight_bytes + t.kv_bytes) / p.effective_bandwidth;
  d.compute_floor_s = t.flops / p.effective_peak;
  d.tokens_per_s = 1 / d.step_s;
  d.total_tokens_per_s = batch / d.step_s;
  d.flops = t.flops;
  d.bytes = t.bytes;
  d.weight_bytes_read = t.weight_bytes;
  d.kv_bytes_read = t.kv_bytes;
  d.intensity = t.intensity;
  d.bound = t.bound;
  d.experts_touched = 1;
  for (const LayerRun& run : p.model.runs)
    if (run.layer.ffn.moe && run.layer.ffn.experts > 1) {
      d.experts_touched = expected_distinct_experts(static_cast<double>(run.layer.ffn.experts),
                                                    static_cast<double>(run.layer.ffn.top_k), pass_batch);
      break;
    }
  return d;
}

PrefillPlan prefill_at(const Prepared& p, const Workload& w, double batch, double context, const Layout& layout,
                       std::vector<OpShape>& ops) {
  const double d_model = static_cast<double>(p.model.d_model), layers = static_cast<double>(p.model.n_layers);
  const double link = w.hardware.interconnect_gb_per_s * 1e9;
  const double stages = layout.pp;
  PrefillPlan r;
  const double pass_batch = batch / stages;
  double layer_weights = 0;
  const PhaseTotals t = pass_totals(p, w, true, pass_batch, context, layout, ops, &layer_weights);
  const double rows = pass_batch * context;
  // GPipe schedule: pp micro-batches through pp stages take (2 pp - 1) stage
  // slots of (pass time / pp) each; a stage's all-reduces run in its slots.
  auto with_fill = [stages](double pass_s) { return stages > 1 ? pass_s * (2 * stages - 1) / stages : pass_s; };
  const double compute_s = with_fill(t.time_s);
  const double hops_s = stages > 1 ? (stages - 1) * (rows * d_model * p.act_bytes / link + w.collective_latency_s) : 0;
  r.communication_s =
      hops_s +
      with_fill(layers * 2 * all_reduce_s(rows * d_model * p.act_bytes, layout.tp, link, w.collective_latency_s));
  r.offload_s = offload_s(w, layer_weights);
  r.ttft_s = compute_s + r.communication_s + r.offload_s;
  r.tokens_per_s = batch * context / r.ttft_s;
  r.flops = t.flops;
  r.bytes = t.bytes;
  r.intensity = t.intensity;
  r.bound = t.bound;
  return r;
}

// Weights one device of `layout` holds: its share of the split weights, and
// its stage's share of those every tensor-parallel rank keeps whole.
double split_weights(const Prepared& p, double weight_bytes, const Layout& layout) {
  return (weight_bytes - p.replicated_weight_bytes) / layout.devices + p.replicated_weight_bytes / layout.pp;
}

// Bytes one device holds for the weights.
double weights_per_device(const Workload& w, const Prepared& p, double weight_bytes, double layer_bytes,
                          const Layout& layout) {
  if (w.offload_layers > 0) return weight_bytes - (w.offload_layers - 1) * layer_bytes;  // one layer staged
  return split_weights(p, weight_bytes, layout);
}

// Bytes of the largest layer kind, component by component.
double largest_layer_bytes(const Prepared& p) {
  double layer_bytes = 0;
  for (const LayerRun& run : p.model.runs) {
    const LayerParams l = layer_params(run.layer, p.model.d_model);
    const WeightsBytes& b = p.weights;
    layer_bytes =
        std::max(layer_bytes, (l.attention - l.attention_norms - l.sinks) * b.attention + (l.ffn - l.router) * b.ffn +
                                  l.router * b.router + (l.norms + l.attention_norms + l.sinks) * b.norms);
  }
  return layer_bytes;
}

// The largest batch and context that fit, and the fewest devices that hold this batch and context.
void plan_limits(const Prepared& p, const PlanPoint& at, const Layout& layout, double kv_sequence, double free_bytes,
                 PlanResult& r) {
  const double batch = at.batch, capacity = r.memory_capacity_bytes;
  const double layers = static_cast<double>(p.model.n_layers);
  const double kv_per_sequence = kv_sequence / layout.kv_split;
  r.max_batch = free_bytes <= 0 ? 0 : std::min(1e7, std::floor(free_bytes / kv_per_sequence));
  // KV grows with the context until every windowed or chunked layer is full,
  // then only with the full-attention layers: the largest context that fits.
  // The cache is monotone in tokens, so bisect on the memory area's formula
  // (cheap: no allocation, no validation; ~40 steps).
  auto fits_context = [&](double tokens) {
    return batch * kv_sequence_bytes(p, tokens) / layout.kv_split <= free_bytes;
  };
  r.max_context = 0;
  r.max_context_unbounded = false;
  if (free_bytes > 0 && fits_context(1)) {
    bool bounded_cache = true;  // every layer keeps a window or a chunk
    for (const LayerRun& run : p.model.runs) bounded_cache = bounded_cache && run.layer.attention.span != Span::full;
    if (bounded_cache) {
      r.max_context_unbounded = true;
      r.max_context = kMaxCount;
    } else {
      double low = 1, high = kMaxCount;
      if (fits_context(high)) low = high;
      while (high - low > 1) {
        const double mid = std::floor((low + high) / 2);
        (fits_context(mid) ? low : high) = mid;
      }
      r.max_context = low;
    }
  }
  // Fewest devices whose share fits: need(g) = weights' share + KV / kv_split(g)
  // falls with g, and need(g) >= (weights + KV) / g, so no g below
  // (weights + KV) / capacity fits: start there (one lower, for rounding).
  // Past tp = KV heads, KV / kv_split stays: if it alone exceeds the capacity, none fits.
  // Pipeline grows the stages; tensor (and tensor_pipeline, its stages fixed) grows tp.
  r.min_gpus = 0;
  const double start = std::max(1.0, std::floor((r.weight_bytes + r.kv_bytes) / capacity) - 1);
  const double step = at.pipeline ? 1 : at.pp;  // devices per added unit of the growing degree
  for (double g = std::ceil(start / step) * step; g <= 4096; g += step) {
    if (at.pipeline && g > layers) break;
    const Layout candidate = at.pipeline ? make_layout(p, 1, g) : make_layout(p, g / at.pp, at.pp);
    const double kv_share = r.kv_bytes / candidate.kv_split;
    const double need = split_weights(p, r.weight_bytes, candidate) + kv_share;
    if (need <= capacity) {
      r.min_gpus = g;
      break;
    }
    if (!at.pipeline && candidate.tp > p.kv_heads && kv_share > capacity) break;
  }
}

}  // namespace

namespace roofline_detail {

double pipeline_stages_of(const Workload& w) {
  if (w.parallelism == "pipeline") return w.gpus;
  return w.parallelism == "tensor_pipeline" ? w.pipeline_stages : 1;
}

void plan_at(const Prepared& p, const Workload& w, const PlanPoint& at, PlanResult& r, std::vector<OpShape>& ops) {
  const ModelParams& params = p.params;
  const Layout layout = make_layout(p, at.tp, at.pp);
  const double capacity = w.hardware.memory_bytes;
  const double batch = at.batch, context = at.context;

  r.status = ok_status();
  r.ridge_flops_per_byte = p.peak / p.bandwidth;
  r.peak_flops_per_s = p.peak;
  r.bandwidth_bytes_per_s = p.bandwidth;
  r.bytes_per_weight = p.weight_bytes;
  r.total_params = params.total;
  r.active_params = params.active;
  // MTP modules are loaded only for speculative decoding, which the plan does not model.
  r.weights_params = params.total - params.mtp;
  r.weight_bytes = p.weights.size.bytes;  // the quant area's sizing, components and scales included
  r.kv_bytes_per_token = kv_sequence_bytes(p, 1);
  const double kv_sequence = kv_sequence_bytes(p, context);
  r.kv_bytes = batch * kv_sequence;
  const double layer_bytes = w.offload_layers > 0 ? largest_layer_bytes(p) : 0;
  r.offloaded_bytes = w.offload_layers * layer_bytes;
  r.weights_per_device_bytes = weights_per_device(w, p, r.weight_bytes, layer_bytes, layout);
  r.kv_per_device_bytes = r.kv_bytes / layout.kv_split;
  r.memory_per_device_bytes = r.weights_per_device_bytes + r.kv_per_device_bytes;
  r.memory_capacity_bytes = capacity;
  r.fits = r.memory_per_device_bytes <= capacity;

  const double free_bytes = capacity - r.weights_per_device_bytes;
  const double kv_per_sequence = kv_sequence / layout.kv_split;
  r.max_batch = 0;
  r.max_context = 0;
  r.max_context_unbounded = false;
  r.min_gpus = 0;
  if (at.limits || at.curve) plan_limits(p, at, layout, kv_sequence, free_bytes, r);  // the curve places max_batch
  r.decode = decode_at(p, w, batch, context, layout, ops);
  r.prefill = prefill_at(p, w, batch, at.prefill_context > 0 ? at.prefill_context : context, layout, ops);

  r.curve.clear();
  if (!at.curve) return;
  // Throughput vs batch: powers of two past both the memory limit and the
  // batch where the weight GEMVs reach the ridge, plus the limit itself.
  const double ridge_batch = r.ridge_flops_per_byte * p.weight_bytes / 2;
  const double last = std::min(131072.0, std::max({64.0, 2 * r.max_batch, 2 * ridge_batch}));
  const bool limit_in = r.max_batch >= 1 && r.max_batch <= last;
  auto add_point = [&](double b) {
    const DecodePlan d = decode_at(p, w, b, context, layout, ops);
    CurvePoint point;
    point.batch = b;
    point.step_s = d.step_s;
    point.tokens_per_s = d.tokens_per_s;
    point.total_tokens_per_s = d.total_tokens_per_s;
    point.memory_bytes = r.weights_per_device_bytes + b * kv_per_sequence;
    point.fits = point.memory_bytes <= capacity;
    r.curve.push_back(point);
  };
  // The powers of two in order, with the limit placed among them (once).
  bool limit_added = !limit_in;
  for (double b = 1; b <= last; b *= 2) {
    if (!limit_added && r.max_batch < b) {
      add_point(r.max_batch);
      limit_added = true;
    }
    if (!limit_added && r.max_batch == b) limit_added = true;
    add_point(b);
  }
  if (!limit_added) add_point(r.max_batch);
}

}  // namespace roofline_detail

namespace {

// The point a whole workload describes: its batch, context and split.
PlanPoint point_of(const Workload& w, bool curve) {
  PlanPoint at;
  at.batch = w.batch;
  at.context = w.context;
  at.pipeline = w.parallelism == "pipeline";
  at.pp = roofline_detail::pipeline_stages_of(w);
  at.tp = w.gpus / at.pp;
  at.curve = curve;
  return at;
}

}  // namespace

PlanResult plan(const Workload& w) {
  PlanResult r;
  const Prepared p = prepare(w, true);
  if (!p.status.ok) {
    r.status = p.status;
    return r;
  }
  std::vector<OpShape> ops;
  ops.reserve(64);
  plan_at(p, w, point_of(w, true), r, ops);
  r.weight_components = p.weights.size.components;
  return r;
}

}  // namespace llmst

namespace llmst {

PlanSeries::PlanSeries() : prepared_(std::make_unique<Prepared>()) { ops_.reserve(64); }
PlanSeries::~PlanSeries() = default;

void PlanSeries::set(const Workload& workload) {
  workload_ = workload;
  // Prepared at a point every check passes, so its status is the rest's alone.
  Workload neutral = workload;
  neutral.batch = 1;
  neutral.context = 1;
  neutral.gpus = 1;
  neutral.offload_layers = 0;
  neutral.collective_latency_s = 0;
  neutral.parallelism = "tensor";  // checked with the point (check_deployment), as gpus is
  neutral.pipeline_stages = 1;
  *prepared_ = prepare(neutral, true);
}

const PlanResult& PlanSeries::at(const WorkloadPoint& point, bool curve) {
  Workload& w = workload_;
  w.batch = point.batch;
  w.context = point.context;
  w.gpus = point.gpus;
  w.offload_layers = point.offload_layers;
  w.collective_latency_s = point.collective_latency_s;
  w.fused_attention = point.fused_attention;
  if (!prepared_->status.ok) {
    // The rest is invalid: plan() names the first error, which may be the point's.
    result_ = plan(w);
    if (!curve) result_.curve.clear();
    return result_;
  }
  // The rest passed every check of prepare(), so prepare(w) would stop at the point's first failure.
  const Status status =
      first_error(check_batch_context(w), check_deployment(w, static_cast<double>(prepared_->model.n_layers), true));
  if (!status.ok) {
    result_ = PlanResult{};
    result_.status = status;
    return result_;
  }
  plan_at(*prepared_, w, point_of(w, curve), result_, ops_);  // as plan() makes it
  result_.weight_components = prepared_->weights.size.components;
  return result_;
}

}  // namespace llmst

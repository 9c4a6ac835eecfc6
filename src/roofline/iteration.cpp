#include "roofline/iteration.hpp"

#include <algorithm>
#include <cmath>

#include "model/flops.hpp"
#include "roofline/operators.hpp"

namespace llmst {
namespace {

using namespace roofline_detail;

using Field = LinearOperator::Field;

// The four cost fields of an operator, for reading probes uniformly.
double& field_of(OperatorCost& op, int i) {
  return i == 0 ? op.flops : i == 1 ? op.weight_bytes : i == 2 ? op.kv_bytes : op.activation_bytes;
}
Field& field_of(LinearOperator& op, int i) {
  return i == 0 ? op.flops : i == 1 ? op.weight_bytes : i == 2 ? op.kv_bytes : op.activation_bytes;
}

// Solves a 3 x 3 system by Cramer's rule; false when it is singular.
bool solve3(const double m[3][3], const double b[3], double x[3]) {
  auto det = [](const double a[3][3]) {
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
           a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  };
  const double d = det(m);
  if (std::abs(d) < 1e-9) return false;
  for (int column = 0; column < 3; ++column) {
    double replaced[3][3];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) replaced[r][c] = c == column ? b[r] : m[r][c];
    x[column] = det(replaced) / d;
  }
  return true;
}

// (rows, pairs, keys) of the attention probes A, C and D for one span, as pass_operators counts them.
struct ProbeCounts {
  double m[3][3];
};
ProbeCounts probe_counts(const AttentionSpec& a) {
  const double k1 = decode_keys(a, 1), k2 = decode_keys(a, 2);
  return {{{1, k1, k1}, {1, k2, k2}, {2, causal_attended_pairs(a, 2), 2}}};
}

bool is_attention(const std::string& name) {
  return name == "scores" || name == "softmax" || name == "av" || name == "indexer_scores";
}

// Reads the operators of a Prepared holding one layer kind as linear
// functions: its layer operators (their pairs and keys are those of layer kind
// `run`; a sparse layer's indexer scores those of `indexer_run`, every key)
// and, with `with_model`, the once-per-model ones.
Status read_run(const Prepared& one, int run, int indexer_run, bool fused, bool with_model,
                std::vector<LinearOperator>& out) {
  const LayerSpec& layer = one.model.runs.front().layer;
  const AttentionSpec& a = layer.attention;
  // Probes: A decode (1, 1); B decode (2, 1); C decode (1, 2); D prefill (1, 2).
  const std::vector<OperatorCost> pa = pass_operators(one, "decode", 1, 1, fused);
  const std::vector<OperatorCost> pb = pass_operators(one, "decode", 2, 1, fused);
  const std::vector<OperatorCost> pc = pass_operators(one, "decode", 1, 2, fused);
  const std::vector<OperatorCost> pd = pass_operators(one, "prefill", 1, 2, fused);
  if (pa.size() != pb.size() || pa.size() != pc.size() || pa.size() != pd.size())
    return error_status("model", "model: its operator list changes with the batch, so an iteration cannot be costed");
  // The attention's counts, and the indexer's: every key, as a full span's.
  const ProbeCounts attention = probe_counts(a), every_key = probe_counts(AttentionSpec{});
  for (size_t i = 0; i < pa.size(); ++i) {
    OperatorCost a1 = pa[i], b1 = pb[i], c1 = pc[i], d1 = pd[i];
    if (a1.name != b1.name || a1.name != c1.name || a1.name != d1.name)
      return error_status("model", "model: its operator list changes with the batch, so an iteration cannot be costed");
    const bool model_scope = a1.scope == "model";
    if (model_scope && !with_model) continue;
    LinearOperator op;
    op.count = a1.count;
    op.tensor_parallel = a1.tensor_parallel;
    if (a1.name == "embedding") {
      // Weight rows min(tokens, vocab) + min(position rows, positions): evaluated in time_s.
      op.embedding = true;
      op.activation_bytes.per_row = a1.activation_bytes;  // tokens x d x activation bytes at one token
      out.push_back(op);
      continue;
    }
    for (int f = 0; f < 4; ++f) {
      const double va = field_of(a1, f), vb = field_of(b1, f), vc = field_of(c1, f), vd = field_of(d1, f);
      Field& target = field_of(op, f);
      if (is_attention(a1.name)) {
        const bool indexer = a1.name == "indexer_scores";
        op.run = indexer ? indexer_run : run;
        const double b[3] = {va, vc, vd};
        double x[3];
        if (solve3((indexer ? every_key : attention).m, b, x)) {
          target.per_row = x[0];
          target.per_pair = x[1];
          target.per_key = x[2];
        } else {
          // A span of one token: rows, pairs and keys stay equal, so any split is exact.
          target.per_row = va / 3;
          target.per_pair = target.per_key = va / 3;
        }
      } else if (a1.name == "lm_head") {
        target.per_logit = vb - va;  // linear in the positions it runs on
        target.constant = 2 * va - vb;
      } else if (f == 1 && vb != va) {
        // Expert weights: the sets the batch's tokens touch (pass_operators' expected_distinct_experts).
        op.experts = static_cast<double>(layer.ffn.experts);
        op.top_k = static_cast<double>(layer.ffn.top_k);
        op.expert_set_bytes = va / expected_distinct_experts(op.experts, op.top_k, 1);
      } else {
        target.per_row = vb - va;
        target.constant = 2 * va - vb;
      }
    }
    out.push_back(op);
  }
  return ok_status();
}

double evaluate(const Field& f, double rows, double pairs, double keys, double logits) {
  return f.constant + f.per_row * rows + f.per_pair * pairs + f.per_key * keys + f.per_logit * logits;
}

}  // namespace

IterationCostModel IterationCostModel::build(const Workload& w) { return build_from(w, false); }
IterationCostModel IterationCostModel::build_mtp(const Workload& w) { return build_from(w, true); }

IterationCostModel IterationCostModel::build_from(const Workload& w, bool mtp) {
  IterationCostModel model;
  const Prepared p = prepare(w, true);
  if (!p.status.ok) {
    model.status = p.status;
    return model;
  }
  if (mtp && p.model.mtp_modules <= 0) {
    model.status = error_status("spec_mtp", "spec_mtp: the model has no MTP module (num_nextn_predict_layers = 0)");
    return model;
  }
  std::vector<LayerRun> runs = p.model.runs;
  if (mtp) runs = {LayerRun{p.model.mtp_layer, 1}};
  // A sparse layer's indexer scores every cached key: its pairs and keys are
  // those of a full-attention span, kept after the layer kinds' own.
  std::vector<AttentionSpec> indexer_spans;
  for (size_t run = 0; run < runs.size(); ++run) {
    Prepared one = p;
    one.model.runs = {runs[run]};
    const AttentionSpec& attention = runs[run].layer.attention;
    const int indexer_run = static_cast<int>(runs.size() + indexer_spans.size());
    const Status status =
        read_run(one, static_cast<int>(run), indexer_run, w.fused_attention, run == 0, model.operators_);
    if (!status.ok) {
      model.status = status;
      return model;
    }
    model.spans_.push_back(attention);
    if (attention.indexer_heads > 0) indexer_spans.push_back(AttentionSpec{});  // full span, no top-k
  }
  model.spans_.insert(model.spans_.end(), indexer_spans.begin(), indexer_spans.end());
  // plan()'s layout: pp stages, each tp-way tensor parallel; tensor parallelism
  // splits KV by heads, at most n_kv_heads ways.
  model.stages_ = pipeline_stages_of(w);
  model.split_ = w.gpus / model.stages_;
  model.kv_split_ = std::min(model.split_, p.kv_heads);
  model.peak_ = p.effective_peak;
  model.bandwidth_ = p.effective_bandwidth;
  model.vocab_ = static_cast<double>(p.model.vocab);
  model.positions_ = static_cast<double>(p.model.positions);
  model.embedding_row_bytes_ = static_cast<double>(p.model.d_model) * p.weights.embedding;
  model.layers_ = mtp ? 1 : static_cast<double>(p.model.n_layers);
  model.d_model_ = static_cast<double>(p.model.d_model);
  model.activation_bytes_ = p.act_bytes;
  model.link_ = w.hardware.interconnect_gb_per_s * 1e9;
  model.collective_latency_s_ = w.collective_latency_s;
  return model;
}

IterationShape IterationCostModel::empty_shape() const {
  IterationShape shape;
  shape.pairs.assign(spans_.size(), 0);
  shape.keys.assign(spans_.size(), 0);
  return shape;
}

void IterationCostModel::clear(IterationShape& shape) {
  shape.rows = shape.logits = shape.sequences = shape.prefill_rows = shape.max_chunk = 0;
  std::fill(shape.pairs.begin(), shape.pairs.end(), 0.0);
  std::fill(shape.keys.begin(), shape.keys.end(), 0.0);
}

void IterationCostModel::add_tokens(IterationShape& shape, double cached, double tokens, double logit_rows,
                                    bool prefill) const {
  shape.rows += tokens;
  shape.logits += logit_rows;
  shape.sequences += 1;
  if (prefill) {
    shape.prefill_rows += tokens;
    shape.max_chunk = std::max(shape.max_chunk, tokens);
  }
  const double end = cached + tokens;
  for (size_t run = 0; run < spans_.size(); ++run) {
    const AttentionSpec& a = spans_[run];
    // Positions cached .. end - 1 attend causally: the model's cumulative pair count, differenced.
    shape.pairs[run] +=
        tokens == 1 ? decode_keys(a, end) : causal_attended_pairs(a, end) - causal_attended_pairs(a, cached);
    // Keys read: a decode step reads its span; a chunk reads every key its rows attend
    // (pass_operators: the whole prompt at prefill, decode_keys at decode). A
    // sparse layer's rows each pick their own top-k anywhere in the cache: a
    // chunk is counted as reading all of it.
    shape.keys[run] += tokens == 1          ? decode_keys(a, end)
                       : a.indexer_topk > 0 ? end
                                            : std::min(end, decode_keys(a, end) + tokens - 1);
  }
}

IterationCostModel::Cost IterationCostModel::cost(const IterationShape& shape) const {
  // Pipeline: the iteration runs as `stages` micro-batches, each a full-model pass at 1 / stages of it (plan()).
  const double scale = stages_ > 1 ? 1 / stages_ : 1;
  const double rows = shape.rows * scale, logits = shape.logits * scale;
  double total = 0, compute = 0, memory = 0;
  for (const LinearOperator& op : operators_) {
    const double pairs = op.run >= 0 ? shape.pairs[static_cast<size_t>(op.run)] * scale : 0;
    const double keys = op.run >= 0 ? shape.keys[static_cast<size_t>(op.run)] * scale : 0;
    double flops = evaluate(op.flops, rows, pairs, keys, logits);
    double weight_bytes = evaluate(op.weight_bytes, rows, pairs, keys, logits);
    double kv_bytes = evaluate(op.kv_bytes, rows, pairs, keys, logits);
    double activation_bytes = evaluate(op.activation_bytes, rows, pairs, keys, logits);
    if (op.expert_set_bytes > 0)
      weight_bytes += op.expert_set_bytes * expected_distinct_experts(op.experts, op.top_k, rows);
    if (op.embedding)
      weight_bytes =
          (std::min(rows, vocab_) + std::min(std::max(1.0, shape.max_chunk), positions_)) * embedding_row_bytes_;
    // time_operator(): split by tensor parallelism, then max(compute, memory).
    if (op.tensor_parallel && split_ > 1) {
      flops /= split_;
      weight_bytes /= split_;
      activation_bytes /= split_;
      kv_bytes /= kv_split_;
    }
    const double compute_s = flops / peak_, memory_s = (weight_bytes + kv_bytes + activation_bytes) / bandwidth_;
    total += op.count * std::max(compute_s, memory_s);
    compute += op.count * compute_s;
    memory += op.count * memory_s;
  }
  // plan(): GPipe fill for prompts, (stages - 1) hops of the micro-batch's activations;
  // tensor parallelism: 2 ring all-reduces of the (micro-batch's) activations per layer, in the fill too.
  const double act = activation_bytes_ * d_model_;
  const double fill = stages_ > 1 && shape.prefill_rows > 0 ? (2 * stages_ - 1) / stages_ : 1;
  double communication = 0;
  if (stages_ > 1) {
    total *= fill;
    communication = (stages_ - 1) * (rows * act / link_ + collective_latency_s_);
  }
  if (split_ > 1)
    communication += fill * layers_ * 2 * (2 * (split_ - 1) / split_ * rows * act / link_ + collective_latency_s_);
  return {total + communication, compute, memory};
}

}  // namespace llmst

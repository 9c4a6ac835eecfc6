// The roofline cost of one serving iteration: a batch that mixes prefill
// chunks (tokens of a prompt, attending to the tokens before them) and decode
// steps (one or more new tokens of a sequence, attending to its context).
//
// Not a second cost model: the operators, their FLOPs and bytes are those of
// roofline_detail::pass_operators(), read once per layer kind at a few probe
// batches and written as linear functions of what an iteration holds:
//   rows    tokens through every linear layer (prefill chunk tokens + decode tokens)
//   pairs   (query, key) pairs the attention scores, per layer kind
//   keys    cached keys read, per layer kind
//   logits  positions the LM head runs on (one per sequence, γ + 1 when verifying drafts)
// Every operator's FLOPs and bytes are such a linear function in pass_operators
// (a linear layer 2 rows d_in d_out, scores pairs x score_flops_per_pair, ...),
// except the expert weights a MoE layer reads (expected_distinct_experts(rows))
// and the embedding rows (min(rows, vocab) + position rows), which are evaluated
// as pass_operators does. Each operator then costs max(compute, memory) as in
// time_operator(), communication and pipeline stages as plan() costs them. So
// an iteration of B decode sequences at context n equals plan()'s decode step_s
// at (B, n), and one whole prompt equals plan()'s prefill ttft_s at batch 1
// (tests/cpp/test_serve.cpp).
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "roofline/roofline.hpp"

namespace llmst {

// What one iteration holds, summed over its sequences. Sized for one model by
// IterationCostModel::empty_shape(); filled with add_decode / add_chunk.
struct IterationShape {
  double rows = 0;
  double logits = 0;
  double sequences = 0;
  double prefill_rows = 0;    // rows that are prompt chunks (the pipeline's GPipe fill applies)
  double max_chunk = 0;       // longest chunk: the embedding's position rows
  std::vector<double> pairs;  // per layer kind
  std::vector<double> keys;   // per layer kind
};

// One operator as a linear function of the shape (fields per instance).
struct LinearOperator {
  double count = 1;  // instances per pass (layers of the kind, or 1)
  bool tensor_parallel = true;
  int run = -1;  // layer kind whose pairs / keys it reads; -1: none
  // field = constant + per_row rows + per_pair pairs + per_key keys + per_logit logits
  struct Field {
    double constant = 0, per_row = 0, per_pair = 0, per_key = 0, per_logit = 0;
  } flops, weight_bytes, kv_bytes, activation_bytes;
  // MoE expert weights: weight_bytes = expert_set_bytes x expected_distinct_experts(experts, top_k, rows).
  double expert_set_bytes = 0, experts = 0, top_k = 0;
  bool embedding = false;  // weight rows = min(rows, vocab) + min(position rows, positions)
};

class IterationCostModel {
 public:
  // Validates the workload as plan() does (model, hardware, dtypes, gpus,
  // parallelism; batch and context are not read) and reads the operators.
  static IterationCostModel build(const Workload& workload);
  // A draft-free speculative head: one pass of the model's MTP module (its
  // decoder layer, final norm and the shared LM head) per draft token.
  static IterationCostModel build_mtp(const Workload& workload);

  Status status;

  IterationShape empty_shape() const;
  static void clear(IterationShape& shape);
  // `tokens` new tokens of a sequence whose cache holds `cached` tokens before
  // them (a decode step: tokens 1, cached = context - 1; a prompt chunk: its
  // tokens after `cached` already prefilled; a draft verification: γ + 1 tokens).
  // `logit_rows`: positions the LM head runs on for this sequence.
  void add_tokens(IterationShape& shape, double cached, double tokens, double logit_rows, bool prefill) const;
  void add_decode(IterationShape& shape, double context) const { add_tokens(shape, context - 1, 1, 1, false); }

  // Seconds of the iteration: sum of per-operator max(compute, memory), plus
  // communication (tensor all-reduces or pipeline hops), with plan()'s rules.
  // And, on one device, the busy seconds in it: compute_s = its FLOPs / peak,
  // memory_s = its bytes / bandwidth (the search's power model, docs/search.md;
  // a pipeline's fill and the communication are neither).
  struct Cost {
    double time_s = 0, compute_s = 0, memory_s = 0;
  };
  Cost cost(const IterationShape& shape) const;
  double time_s(const IterationShape& shape) const { return cost(shape).time_s; }

  double layers() const { return layers_; }

 private:
  static IterationCostModel build_from(const Workload& workload, bool mtp);
  std::vector<LinearOperator> operators_;
  std::vector<AttentionSpec> spans_;  // per layer kind
  double peak_ = 0, bandwidth_ = 0;
  double split_ = 1, kv_split_ = 1;  // tensor parallelism within a stage: weights and KV heads
  double stages_ = 1;                // pipeline stages
  double vocab_ = 0, positions_ = 0, embedding_row_bytes_ = 0;
  double layers_ = 0, d_model_ = 0, activation_bytes_ = 2, link_ = 0, collective_latency_s_ = 0;
};

}  // namespace llmst

// A decode run beside the KV calculator: the bytes the kernel kept and the
// bytes the closed form (memory/kv_cache) predicts for the same storage. The
// join lives in sim/, the one place that joins kernels and models.
#pragma once
#include <string>

#include "core/status.hpp"
#include "memory/kv_cache.hpp"
#include "sim/attention_runs.hpp"

namespace llmst::sim {

// What the join reads of a decode result: the run's input, what it resolved
// and what it kept.
struct DecodeKept {
  DecodeInput input;
  double kv_heads = 0;  // resolved (0 in the input means heads)
  double head_dim = 0;
  double kv_bytes = 0;      // persistent K/V store the kernel kept
  double hidden_bytes = 0;  // hidden states kept to recompute K/V
};

struct DecodeKvClosedForm {
  Status status;
  // False when the strategy keeps no K/V (none, seed, recompute with no cache):
  // the formula then predicts nothing and kv_input is not used.
  bool keeps_kv = false;
  // One layer, one sequence, stored as the kernel stores it: fp32, or int8/int4
  // with the run's group and fp32 scales; the window and sinks of the strategy.
  KvCacheInput kv_input;
  double predicted_bytes = 0;
  double measured_bytes = 0;
  double difference_bytes = 0;  // measured − predicted
  std::string note;             // what the kernel keeps that the formula does not model
};

DecodeKept decode_kept(const DecodeResult& result);
DecodeKvClosedForm decode_kv_closed_form(const DecodeKept& kept);

}  // namespace llmst::sim

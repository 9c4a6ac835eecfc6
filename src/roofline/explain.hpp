// Explain views of the deployment plan's figures, built from plan()'s result.
#pragma once
#include "core/explain.hpp"
#include "roofline/plan.hpp"

namespace llmst {

// Ids: plan.ridge, plan.weight_bytes, plan.kv_bytes, plan.memory_per_device,
// plan.max_batch, plan.decode_step, plan.tokens_per_s, plan.total_tokens_per_s,
// plan.ttft. Fails with plan's Status.
ExplainResult explain_plan(const Workload& workload);

}  // namespace llmst

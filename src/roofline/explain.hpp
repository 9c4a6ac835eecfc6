// Explain views of the deployment plan's figures, built from plan()'s result.
#pragma once
#include "core/explain.hpp"
#include "roofline/plan.hpp"
#include "roofline/training.hpp"

namespace llmst {

// Ids: plan.ridge, plan.weight_bytes, plan.kv_bytes, plan.memory_per_device,
// plan.max_batch, plan.decode_step, plan.tokens_per_s, plan.total_tokens_per_s,
// plan.ttft. Fails with plan's Status.
ExplainResult explain_plan(const Workload& workload);

// Ids: train.trainable_params, train.base_weights (LoRA/QLoRA), train.states,
// train.activations, train.total. Fails with training_memory's Status.
ExplainResult explain_training(const TrainingInput& input);

}  // namespace llmst

// Explain views of the Model area's figures (parameters, weights memory,
// FLOPs, crossover), built from model_report()'s result.
#pragma once
#include "core/explain.hpp"
#include "model/report.hpp"

namespace llmst {

// Ids: params.total, params.active (MoE only), params.attention, params.ffn,
// params.embedding, params.lm_head, weights.<dtype> (fp32 ... int4),
// flops.decode, flops.prefill, flops.crossover. Fails with model_report's Status.
ExplainResult explain_model(const ModelConfig& config, double context_tokens);

// The same from a report already computed (status ok).
std::vector<Explanation> explain_model_report(const ModelReport& report);

}  // namespace llmst

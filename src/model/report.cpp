#include "model/report.hpp"

#include <algorithm>
#include <cmath>

#include "core/dtype.hpp"
#include "core/validate.hpp"

namespace llmst {

std::vector<WeightsMemory> weights_memory(const ModelParams& params) {
  std::vector<WeightsMemory> rows;
  for (const DtypeInfo& dtype : plain_dtypes())
    rows.push_back({dtype.id, dtype.label, dtype.bits, params.total * dtype.bits / 8, params.active * dtype.bits / 8});
  return rows;
}

ModelReport model_report(const ModelConfig& config, double context_tokens) {
  ModelReport report;
  report.config = config;
  const ValidatedModel validated = validate_model(config);
  report.status = first_error(validated.status, check_integer("context_tokens", context_tokens, 1, kMaxContextTokens));
  if (!report.status.ok) return report;
  const ValidModel& model = validated.model;
  report.params = count_params_of(model);
  report.config = model.config;
  report.weights_memory = weights_memory(report.params);
  report.decode = decode_flops(model, context_tokens);
  report.prefill = prefill_flops(model, context_tokens);
  report.crossover = decode_crossover(model);
  // 16 points per decade (x1.155 apart) from 1 token to past the crossover.
  const double max_tokens = std::min(
      kMaxContextTokens, std::max(1048576.0, std::exp2(std::ceil(std::log2(4 * report.crossover.context_tokens + 1)))));
  const int points = static_cast<int>(std::ceil(16 * std::log10(max_tokens))) + 1;
  report.attention_share_curve = attention_share_curve(model, 1, max_tokens, points);
  return report;
}

}  // namespace llmst

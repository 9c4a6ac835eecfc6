#include "quant/sizes.hpp"

#include "core/validate.hpp"
#include "model/params.hpp"

namespace llmst {

QuantSizeResult quant_size(const QuantSizeInput& input) {
  QuantSizeResult result;
  const ParamGroups& params = input.params;
  result.status = first_error(
      check_integer("embedding_params", params.embedding, 0, 1e15),
      check_integer("attention_params", params.attention, 0, 1e15),
      check_integer("ffn_params", params.ffn, 0, 1e15),
      check_integer("norms_params", params.norms, 0, 1e15),
      check_integer("lm_head_params", params.lm_head, 0, 1e15));
  if (!result.status.ok) return result;
  result.bits = bits_per_weight(input.spec);
  if (!result.bits.status.ok) {
    result.status = result.bits.status;
    return result;
  }
  const struct {
    const char* name;
    double params;
    const std::string& format;
  } rows[] = {
      {"embedding", params.embedding, input.embedding_format},
      {"attention", params.attention, input.attention_format},
      {"ffn", params.ffn, input.ffn_format},
      {"norms", params.norms, input.norms_format},
      {"lm_head", params.lm_head, input.lm_head_format},
  };
  for (const auto& row : rows) {
    QuantSpec spec = input.spec;
    if (!row.format.empty()) spec.format = row.format;
    BitsPerWeight bits = bits_per_weight(spec);
    if (!bits.status.ok) {
      const std::string field = std::string(row.name) + "_format";
      result.status = error_status(field, field + ": " + bits.status.message);
      return result;
    }
    ComponentSize component{row.name, spec.format, row.params, bits.bits_per_weight,
                            row.params * bits.bits_per_weight / 8, 0};
    result.total_params += component.params;
    result.bytes += component.bytes;
    result.components.push_back(component);
  }
  if (result.total_params == 0) {
    result.status = error_status("params", "params: every component is 0, so there is nothing to size");
    return result;
  }
  for (ComponentSize& component : result.components)
    component.share = result.bytes > 0 ? component.bytes / result.bytes : 0;
  result.bits_per_weight = result.bytes * 8 / result.total_params;
  result.fp16_bytes = result.total_params * 2;
  result.saving_vs_fp16 = 1 - result.bytes / result.fp16_bytes;
  return result;
}

ModelParamGroups param_groups_of_model(const ModelConfig& config) {
  ModelParamGroups result;
  const ModelParams counts = count_params(config);
  result.status = counts.status;
  if (!result.status.ok) return result;
  result.params.embedding = counts.embedding + counts.position_embedding;
  result.params.attention = counts.attention;
  result.params.ffn = counts.ffn + counts.router;
  // Attention norms and sinks are small 1-D tensors kept with the norms; MTP
  // modules, the vision tower and the projector are counted with the FFN
  // (quantized like the layers); the parts in the Model panel say what is what.
  result.params.attention = counts.attention - counts.attention_norms - counts.attention_sinks;
  result.params.norms = counts.norms + counts.attention_norms + counts.attention_sinks;
  result.params.ffn += counts.mtp + counts.vision + counts.projector;
  result.params.lm_head = counts.lm_head;
  result.total = counts.total;
  return result;
}

std::vector<QuantDecisionRow> quant_decision_matrix() {
  // The seed's columns (technique, memory saved, compute overhead, quality).
  // Memory saved is computed from bits_per_weight; the quality words are
  // claims, each checked by the lab run named in `measure` (the ≈ figures are
  // the N(0,1) reference table, reproduced in tests/cpp/test_quant.cpp).
  std::vector<QuantDecisionRow> rows = {
      {"FP16 / BF16", "bf16", 0, 0, "none (native tensor-core dtype)", "baseline",
       "quant-lab bf16: relative RMSE ≈ 2^-9 (7-bit mantissa)"},
      {"FP8 (E4M3)", "fp8_e4m3", 0, 0, "none on Hopper/Ada tensor cores; a cast elsewhere", "near-lossless",
       "quant-lab fp8_e4m3: relative RMSE on N(0,1) and LLM-like outliers"},
      {"INT8 weight-only", "int8", 128, 0, "dequantize on the fly: a convert and a scale per weight, so 4× fewer bytes is less than 4× faster (the GEMV lab measures how much)", "near-lossless",
       "quant-lab int8 g128 (≈0.65 % RMSE) and GEMV int8 GB/s vs fp32"},
      {"INT4 weight-only (group 128)", "int4", 128, 0, "dequantize on the fly: unpack nibbles + scale", "small loss",
       "quant-lab int4 g128 (≈11.7 % RMSE) and GEMV int4 GB/s vs fp32"},
      {"NF4 (QLoRA)", "nf4", 64, 0, "table lookup dequant", "small loss, better than INT4 on normal weights",
       "quant-lab nf4 g64 vs int4 g64 on N(0,1)"},
      {"GGUF Q4_0", "q4_0", 32, 0, "block dequant in the matmul", "small loss",
       "quant-lab q4_0 (≈8.6 % RMSE on N(0,1))"},
      {"GGUF Q4_K (k-quant)", "q4_k", 0, 0,
       "two-level scales (6-bit sub-block scale and min × fp16 super-block scale); a searched fit when quantizing",
       "small loss, below Q4_0 at the same 4.5 bits", "quant-lab q4_k vs q4_0 on N(0,1)"},
      {"FP8 block 128×128 (DeepSeek-V3)", "fp8_block", 0, 0,
       "FP8 tensor cores (Hopper and later); one fp32 scale multiply per 128×128 tile", "near-lossless",
       "quant-lab fp8_block (≈2.6 % RMSE on N(0,1), about the plain E4M3 cast)"},
      {"MXFP4 (OCP MX, gpt-oss)", "mxfp4", 0, 0,
       "FP4 tensor cores on Blackwell; elsewhere a 16-entry lookup times a power-of-two scale", "small loss",
       "quant-lab mxfp4 (≈11.5 % RMSE on N(0,1)) vs nvfp4 and q4_0"},
      {"NVFP4 (NVIDIA)", "nvfp4", 0, 0, "FP4 tensor cores on Blackwell; E4M3 block scale × fp32 tensor scale",
       "small loss, below MXFP4", "quant-lab nvfp4 vs mxfp4 on N(0,1) (≈9.5 % vs ≈11.5 %)"},
  };
  for (QuantDecisionRow& row : rows) {
    QuantSpec spec;
    spec.format = row.format;
    spec.group_size = row.group_size > 0 ? row.group_size : 128;
    row.memory_saved = 1 - bits_per_weight(spec).bits_per_weight / 16;
  }
  return rows;
}

}  // namespace llmst

#include "quant/sizes.hpp"

#include "core/validate.hpp"
#include "model/params.hpp"
#include "quant/formats.hpp"

namespace llmst {

QuantSizeResult quant_size(const QuantSizeInput& input) {
  QuantSizeResult result;
  const ParamGroups& params = input.params;
  result.status = first_error(
      check_integer("embedding_params", params.embedding, 0, 1e15),
      check_integer("attention_params", params.attention, 0, 1e15), check_integer("ffn_params", params.ffn, 0, 1e15),
      check_integer("router_params", params.router, 0, 1e15), check_integer("norms_params", params.norms, 0, 1e15),
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
      {"router", params.router, input.router_format},
      {"norms", params.norms, input.norms_format},
      {"lm_head", params.lm_head, input.lm_head_format},
  };
  for (const auto& row : rows) {
    if (row.params == 0 && std::string(row.name) == "router") continue;  // dense models have no router row
    QuantSpec spec = input.spec;
    if (!row.format.empty()) spec.format = row.format;
    BitsPerWeight bits = bits_per_weight(spec);
    if (!bits.status.ok) {
      const std::string field = std::string(row.name) + "_format";
      result.status = error_status(field, field + ": " + bits.status.message);
      return result;
    }
    ComponentSize component{
        row.name, spec.format, row.params, bits.bits_per_weight, row.params * bits.bits_per_weight / 8, 0};
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

ParamGroups param_groups_of(const ModelParams& counts, bool with_mtp) {
  ParamGroups groups;
  groups.embedding = counts.embedding + counts.position_embedding;
  // QK-norms and sinks are small 1-D tensors stored like the norms.
  groups.attention = counts.attention - counts.attention_norms - counts.attention_sinks;
  groups.ffn = counts.ffn + (with_mtp ? counts.mtp : 0) + counts.vision + counts.projector;
  groups.router = counts.router;
  groups.norms = counts.norms + counts.attention_norms + counts.attention_sinks;
  groups.lm_head = counts.lm_head;
  return groups;
}

ModelParamGroups param_groups_of_model(const ModelConfig& config) {
  ModelParamGroups result;
  const ModelParams counts = count_params(config);
  result.status = counts.status;
  if (!result.status.ok) return result;
  result.params = param_groups_of(counts, true);
  result.total = counts.total;
  return result;
}

namespace {

// The quant spec of a weights format: plain names mapped, the usual group filled in.
QuantSpec spec_of(const WeightsFormat& w) {
  QuantSpec spec;
  spec.format = w.format == "fp8" ? "fp8_e4m3" : w.format;
  spec.layout = "group";
  spec.scale_dtype = w.scale_dtype;
  spec.group_size = w.group_size > 0 ? w.group_size : spec.format == "nf4" ? 64 : 128;
  spec.double_quant = spec.format == "nf4";  // QLoRA's NF4 stores its scales double-quantized
  return spec;
}

}  // namespace

WeightsBytes weights_bytes(const ParamGroups& params, const WeightsFormat& w) {
  WeightsBytes r;
  r.status = first_error(check_zero_or_at_least("weights_bits", w.bits, 1, 64),
                         check_integer("weights_group", w.group_size, 0, 1e9));
  if (!r.status.ok) return r;
  QuantSizeInput input;
  input.params = params;
  input.spec = spec_of(w);
  const BitsPerWeight bits = bits_per_weight(input.spec);
  if (!bits.status.ok) {
    const std::string field = bits.status.field == "format" ? "weights_dtype" : "weights_" + bits.status.field;
    r.status = error_status(field, field + ": " + bits.status.message);
    return r;
  }
  r.format = bits.format;
  r.bits_per_weight = bits.bits_per_weight;
  // Norms: 16 bits under a narrower format, else the format itself.
  input.norms_format = bits.bits_per_weight < 16 ? "bf16" : "";
  size_t start = 0;
  while (start <= w.keep.size() && !w.keep.empty()) {
    const size_t comma = w.keep.find(',', start);
    std::string part = w.keep.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (part == "embedding")
      input.embedding_format = "bf16";
    else if (part == "attention")
      input.attention_format = "bf16";
    else if (part == "router")
      input.router_format = "bf16";
    else if (part == "lm_head")
      input.lm_head_format = "bf16";
    else if (!part.empty()) {
      r.status = error_status("weights_keep", "weights_keep: \"" + part.substr(0, 40) +
                                                  "\" is not one of embedding, attention, router, lm_head");
      return r;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  r.size = quant_size(input);
  if (!r.size.status.ok && r.size.status.field != "params") {
    r.status = r.size.status;
    return r;
  }
  for (const ComponentSize& c : r.size.components) {
    const double bytes = (w.bits > 0 ? w.bits : c.bits_per_weight) / 8;
    if (c.component == "embedding")
      r.embedding = bytes;
    else if (c.component == "attention")
      r.attention = bytes;
    else if (c.component == "ffn")
      r.ffn = bytes;
    else if (c.component == "router")
      r.router = bytes;
    else if (c.component == "norms")
      r.norms = bytes;
    else if (c.component == "lm_head")
      r.lm_head = bytes;
  }
  if (w.bits > 0) {  // the override sizes every component alike
    r.size.bytes = 0;
    for (ComponentSize& c : r.size.components) {
      c.bits_per_weight = w.bits;
      c.bytes = c.params * w.bits / 8;
      r.size.bytes += c.bytes;
    }
    for (ComponentSize& c : r.size.components) c.share = r.size.bytes > 0 ? c.bytes / r.size.bytes : 0;
    r.size.bits_per_weight = w.bits;
  }
  return r;
}

std::vector<QuantDecisionRow> quant_decision_matrix() {
  // The seed's columns (technique, memory saved, compute overhead, quality).
  // Memory saved is computed from bits_per_weight; the quality words are
  // claims, each checked by the lab run named in `measure` (the ≈ figures are
  // N(0,1) figures measured by the lab, checked in tests/cpp/test_quant.cpp).
  std::vector<QuantDecisionRow> rows = {
      {"FP16 / BF16", "bf16", 0, 0, "none (native tensor-core dtype)", "baseline",
       "quant-lab bf16: relative RMSE ≈ 2^-9 (7-bit mantissa)"},
      {"FP8 (E4M3)", "fp8_e4m3", 0, 0, "none on Hopper/Ada tensor cores; a cast elsewhere", "near-lossless",
       "quant-lab fp8_e4m3: relative RMSE on N(0,1) and LLM-like outliers"},
      {"INT8 weight-only", "int8", 128, 0,
       "dequantize on the fly: a convert and a scale per weight, so 4× fewer bytes is less than 4× faster (the GEMV "
       "lab measures how much)",
       "near-lossless", "quant-lab int8 g128 (≈0.65 % RMSE) and GEMV int8 GB/s vs fp32"},
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

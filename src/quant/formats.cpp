#include "quant/formats.hpp"

#include <cstdio>

#include "core/validate.hpp"
#include "quant/ggml_blocks.hpp"
#include "quant/microscaling.hpp"

namespace llmst {

namespace {
// ggml's block structs (quant/ggml_blocks.hpp, the layout of ggml-common.h):
// bytes per block from sizeof, weights per block from QK4_0 … QK8_0 = 32, QK_K = 256.
constexpr const char* kGgml = "ggml-common.h block structs (llama.cpp)";
template <class Block>
constexpr double kBytes = sizeof(Block);
constexpr double kGgmlBlock = quant::kGgmlBlock, kSuperBlock = quant::kSuperBlock;
// The microscaling and block-FP8 formats (quant/microscaling.hpp): bytes from
// the block structs there, weights per block from the specs.
constexpr double kMxfp4Bytes = sizeof(quant::BlockMxfp4), kNvfp4Bytes = sizeof(quant::BlockNvfp4);
constexpr double kFp8Tile = quant::kFp8BlockTile * quant::kFp8BlockTile;
constexpr const char* kMxfp4Source =
    "OCP Microscaling Formats (MX) v1.0: MXFP4 = 32 FP4 E2M1 elements sharing one E8M0 scale; scale 2^(floor(log2 "
    "absmax) - 2) (§6.3), E8M0 bias 127 (§5.4.1); gpt-oss checkpoints";
constexpr const char* kNvfp4Source =
    "NVIDIA NVFP4 (\"Introducing NVFP4 for Efficient and Accurate Low-Precision Inference\", NVIDIA technical blog, "
    "2025; TensorRT Model Optimizer NVFP4QTensor): 16 E2M1 values per FP8 E4M3 scale, one fp32 scale per tensor "
    "= absmax / (6·448)";
constexpr const char* kFp8BlockSource =
    "DeepSeek-V3 checkpoint: float8_e4m3fn weights, one fp32 weight_scale_inv per 128×128 tile "
    "(quantization_config weight_block_size [128, 128]; inference/kernel.py weight_quant: s = absmax / 448)";
}  // namespace

const std::vector<QuantFormatInfo>& quant_formats() {
  static const std::vector<QuantFormatInfo> table = {
      {"fp32", "FP32", "float", 32, false, false, 0, 0, true, "IEEE 754 binary32"},
      {"fp16", "FP16", "float", 16, false, false, 0, 0, true, "IEEE 754 binary16"},
      {"bf16", "BF16", "float", 16, false, false, 0, 0, true, "bfloat16: fp32 with a 7-bit mantissa"},
      {"fp8_e4m3", "FP8 E4M3", "float", 8, false, false, 0, 0, true,
       "OCP 8-bit Floating Point Specification v1.0 (max 448, no Inf)"},
      {"fp8_e5m2", "FP8 E5M2", "float", 8, false, false, 0, 0, true,
       "OCP 8-bit Floating Point Specification v1.0 (max 57344)"},
      {"int8", "INT8 symmetric absmax", "integer", 8, true, false, 0, 0, true,
       "scale = absmax / 127, codes -127..127 (LLM.int8 absmax, Dettmers et al. 2022)"},
      {"int8_asym", "INT8 asymmetric min-max", "integer", 8, true, true, 0, 0, true,
       "scale = (max - min) / 255, x = min + q·scale"},
      {"int4", "INT4 symmetric absmax", "integer", 4, true, false, 0, 0, true, "scale = absmax / 7, codes -7..7"},
      {"int4_asym", "INT4 asymmetric min-max", "integer", 4, true, true, 0, 0, true,
       "scale = (max - min) / 15, x = min + q·scale"},
      {"nf4", "NF4 (QLoRA NormalFloat)", "nf", 4, true, false, 0, 0, true,
       "16 levels of Dettmers et al. 2023 (QLoRA), absmax per block"},
      {"q4_0", "ggml Q4_0", "ggml", 4, false, false, kGgmlBlock, kBytes<quant::BlockQ4_0>, true, kGgml},
      {"q4_1", "ggml Q4_1", "ggml", 4, false, true, kGgmlBlock, kBytes<quant::BlockQ4_1>, true, kGgml},
      {"q5_0", "ggml Q5_0", "ggml", 5, false, false, kGgmlBlock, kBytes<quant::BlockQ5_0>, true, kGgml},
      {"q5_1", "ggml Q5_1", "ggml", 5, false, true, kGgmlBlock, kBytes<quant::BlockQ5_1>, true, kGgml},
      {"q8_0", "ggml Q8_0", "ggml", 8, false, false, kGgmlBlock, kBytes<quant::BlockQ8_0>, true, kGgml},
      // k-quants: super-blocks of 256 with 4-, 6- or 8-bit sub-block scales (quant/kquants.hpp).
      {"q2_k", "ggml Q2_K", "ggml", 2, false, true, kSuperBlock, kBytes<quant::BlockQ2_K>, true, kGgml},
      {"q3_k", "ggml Q3_K", "ggml", 3, false, false, kSuperBlock, kBytes<quant::BlockQ3_K>, true, kGgml},
      {"q4_k", "ggml Q4_K", "ggml", 4, false, true, kSuperBlock, kBytes<quant::BlockQ4_K>, true, kGgml},
      {"q5_k", "ggml Q5_K", "ggml", 5, false, true, kSuperBlock, kBytes<quant::BlockQ5_K>, true, kGgml},
      {"q6_k", "ggml Q6_K", "ggml", 6, false, false, kSuperBlock, kBytes<quant::BlockQ6_K>, true, kGgml},
      // Today's checkpoint formats (quant/microscaling.hpp). NVFP4's one fp32 per
      // tensor is counted as 0 bits per weight, like every per-tensor scale here.
      {"fp8_block", "FP8 E4M3, 128×128 blocks (DeepSeek-V3)", "block_fp8", 8, false, false, kFp8Tile, kFp8Tile + 4,
       true, kFp8BlockSource},
      {"mxfp4", "MXFP4 (OCP MX, gpt-oss)", "microscaling", 4, false, false, quant::kMxfp4Block, kMxfp4Bytes, true,
       kMxfp4Source},
      {"nvfp4", "NVFP4 (NVIDIA)", "microscaling", 4, false, false, quant::kNvfp4Block, kNvfp4Bytes, true, kNvfp4Source},
  };
  return table;
}

const QuantFormatInfo* find_quant_format(std::string_view id) {
  for (const QuantFormatInfo& format : quant_formats())
    if (format.id == id) return &format;
  return nullptr;
}

double scale_dtype_bits(std::string_view scale_dtype) {
  if (scale_dtype == "fp32") return 32;
  if (scale_dtype == "fp16" || scale_dtype == "bf16") return 16;
  return 0;
}

static std::string format_ids() {
  std::string ids;
  for (const QuantFormatInfo& format : quant_formats()) ids += (ids.empty() ? "" : ", ") + format.id;
  return ids;
}

Status validate_quant_spec(const QuantSpec& spec) {
  const QuantFormatInfo* format = find_quant_format(spec.format);
  if (!format) return error_status("format", "format = " + quoted(spec.format) + " is not one of " + format_ids());
  if (!format->grouped) return ok_status();
  if (spec.layout != "tensor" && spec.layout != "channel" && spec.layout != "group")
    return error_status("layout", "layout = " + quoted(spec.layout) + " must be tensor, channel or group");
  if (scale_dtype_bits(spec.scale_dtype) == 0)
    return error_status("scale_dtype", "scale_dtype = " + quoted(spec.scale_dtype) + " must be fp32, fp16 or bf16");
  if (spec.layout == "group") return check_integer("group_size", spec.group_size, 1);
  if (spec.layout == "channel") return check_integer("channel_size", spec.channel_size, 1);
  return ok_status();
}

static std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

BitsPerWeight bits_per_weight(const QuantSpec& spec) {
  BitsPerWeight result;
  result.status = validate_quant_spec(spec);
  if (!result.status.ok) return result;
  const QuantFormatInfo& format = *find_quant_format(spec.format);
  result.format = format.id;
  if (format.block_size > 0) {  // fixed blocks: ggml, microscaling, 128×128 FP8 tiles
    result.weights_per_scale = format.block_size;
    result.bits_per_weight = format.block_bytes * 8 / format.block_size;
    result.code_bits = format.code_bits;
    result.scale_bits = result.bits_per_weight - format.code_bits;  // scales, mins, high bits
    const double scale_bytes = format.block_bytes - format.block_size * format.code_bits / 8;
    result.formula = format.family == "ggml"
                         ? number(format.block_bytes) + " bytes × 8 / " + number(format.block_size) + " weights"
                         : number(format.code_bits) + " + " + number(scale_bytes * 8) + "/" +
                               (format.family == "block_fp8" ? "(128×128)" : number(format.block_size));
    result.formula += " = " + number(result.bits_per_weight);
    if (format.id == "nvfp4") result.formula += " (+ one fp32 per tensor)";
    return result;
  }
  result.code_bits = format.code_bits;
  result.bits_per_weight = format.code_bits;
  result.formula = number(format.code_bits);
  if (!format.grouped) return result;
  const double weights = spec.layout == "group" ? spec.group_size : spec.layout == "channel" ? spec.channel_size : 0;
  result.weights_per_scale = weights;
  if (weights == 0) {
    result.formula += " (one scale per tensor)";
    return result;
  }
  const double stored_bits = scale_dtype_bits(spec.scale_dtype);
  // Double quantization stores each scale in 8 bits plus one fp32 constant per
  // 256 of them. A zero point is an integer of the code's width, packed as
  // AutoGPTQ's qzeros (32 / b per int32, one per group and output column) and
  // AWQ's qzeros (8 four-bit zeros per int32) store it: b bits per group.
  const double each = spec.double_quant ? 8 : stored_bits;
  result.scale_bits = each / weights;
  result.zero_point_bits = format.zero_point ? format.code_bits / weights : 0;
  if (spec.double_quant) result.double_quant_bits = 32 / (kDoubleQuantBlock * weights);
  result.bits_per_weight = result.code_bits + result.scale_bits + result.zero_point_bits + result.double_quant_bits;
  result.formula += " + " + number(each) + "/" + number(weights);
  if (format.zero_point) result.formula += " + " + number(format.code_bits) + "/" + number(weights);
  if (spec.double_quant) result.formula += " + 32/(256×" + number(weights) + ")";
  result.formula += " = " + number(result.bits_per_weight);
  return result;
}

}  // namespace llmst

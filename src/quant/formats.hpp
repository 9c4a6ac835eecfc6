// Quantization formats and layouts: what each stores and how many bits per
// weight that costs once scales, zero points and block headers are counted.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace llmst {

struct QuantFormatInfo {
  std::string id;     // "int4", "nf4", "q4_k": the name used by the CLI, URL and JS API
  std::string label;  // "INT4 (symmetric absmax)"
  // "float" (a cast), "integer", "nf" (lookup levels), "ggml" (fixed blocks),
  // "microscaling" (E2M1 blocks with a shared 8-bit scale: OCP MXFP4, NVIDIA NVFP4),
  // "block_fp8" (FP8 E4M3 values, one fp32 scale per 128×128 tile: DeepSeek-V3)
  std::string family;
  double code_bits = 0;     // bits of each stored value
  bool grouped = false;     // takes layout, group size and scale dtype
  bool zero_point = false;  // stores a zero point (asymmetric) besides the scale
  double block_size = 0;    // fixed blocks: weights per block (0 for the others)
  double block_bytes = 0;   // fixed blocks: bytes per block, from the block struct
  bool measured = false;    // the lab has a quantize/dequantize kernel for it
  std::string source;
};

// Every format, in table order.
const std::vector<QuantFormatInfo>& quant_formats();
const QuantFormatInfo* find_quant_format(std::string_view id);

// How a grouped format is laid out. Ignored by casts and ggml blocks.
struct QuantSpec {
  std::string format = "int4";
  std::string layout = "group";      // "tensor" (one scale), "channel" (one per row), "group"
  double group_size = 128;           // weights per scale for layout "group" (any ≥ 1)
  double channel_size = 4096;        // row length for layout "channel" (weights per scale)
  std::string scale_dtype = "fp16";  // fp16 (GPTQ and AWQ store fp16 scales), bf16 or fp32: the scales
  bool double_quant = false;         // QLoRA: scales stored as 8-bit in blocks of 256 + an fp32 scale per block
};

struct BitsPerWeight {
  Status status;
  std::string format;
  double code_bits = 0;          // the stored value itself
  double weights_per_scale = 0;  // 0 for per-tensor (one scale for the whole tensor)
  double scale_bits = 0;         // per weight, from the scales
  double zero_point_bits = 0;    // per weight, from the zero points
  double double_quant_bits = 0;  // per weight, from second-level fp32 scales
  double bits_per_weight = 0;    // sum of the four above
  std::string formula;           // the sum with numbers, for the explain view
};

// QLoRA's double quantization block: 256 first-level scales share one fp32
// scale (Dettmers et al. 2023, "QLoRA", §3 "Double Quantization").
inline constexpr double kDoubleQuantBlock = 256;

// Validates a spec (format, layout, group size, scale dtype), naming the field at fault.
Status validate_quant_spec(const QuantSpec& spec);

// Bits per weight including overheads. Per-tensor scales count as 0 bits per
// weight (one scale over millions of weights).
BitsPerWeight bits_per_weight(const QuantSpec& spec);

// Bits of one stored scale of a scale dtype (fp32 32, fp16/bf16 16), 0 if unknown.
double scale_dtype_bits(std::string_view scale_dtype);

}  // namespace llmst

// Plain storage types: bits per value with no scale overhead. Quantized
// layouts (groups, scales, zero points) live in quant/ and build on these.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace llmst {

struct DtypeInfo {
  std::string id;     // "fp16": the name used by the CLI, URL and JS API
  std::string label;  // "FP16 / BF16": for tables
  double bits = 0;    // storage bits per value
};

// fp32, fp16, bf16, fp8, int8, int4, in that order.
const std::vector<DtypeInfo>& plain_dtypes();

// nullptr when id names no plain dtype.
const DtypeInfo* find_plain_dtype(std::string_view id);

}  // namespace llmst

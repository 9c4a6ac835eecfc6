#include "core/dtype.hpp"

namespace llmst {

const std::vector<DtypeInfo>& plain_dtypes() {
  static const std::vector<DtypeInfo> table = {
      {"fp32", "FP32", 32}, {"fp16", "FP16", 16}, {"bf16", "BF16", 16},
      {"fp8", "FP8", 8},    {"int8", "INT8", 8},  {"int4", "INT4", 4},
  };
  return table;
}

const DtypeInfo* find_plain_dtype(std::string_view id) {
  for (const DtypeInfo& dtype : plain_dtypes())
    if (dtype.id == id) return &dtype;
  return nullptr;
}

}  // namespace llmst

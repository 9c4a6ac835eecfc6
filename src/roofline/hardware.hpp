// Accelerators as data: dense peaks per dtype, memory bandwidth and capacity,
// and the links that matter for multi-device plans. A source per row.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace llmst {

// Units are in the names. TFLOPS = 1e12 FLOP/s and GB/s = 1e9 bytes/s
// (decimal, as spec sheets use them); capacity is in bytes, shown as both GB
// and GiB because vendors' "80 GB" of HBM is 80 GiB of memory.
struct Hardware {
  std::string id = "custom";
  std::string label = "Custom";
  std::string kind = "gpu";          // "gpu", "tpu" (Google TPUs and other matrix ASICs: Gaudi, Trainium), "cpu"
  std::string source;                // spec sheet the numbers come from
  double fp32_tflops = 0;            // dense fp32 matmul peak (TF32 tensor cores where the chip has them)
  double fp16_tflops = 0;            // dense fp16/bf16 tensor peak, no 2:4 sparsity
  double fp8_tflops = 0;             // 0: the chip has no fp8 matmul
  double int8_tops = 0;              // 0: no int8 matmul listed
  double memory_gb_per_s = 0;        // device memory bandwidth
  double memory_bytes = 0;           // device memory capacity
  double interconnect_gb_per_s = 0;  // device-to-device, per direction (NVLink, IF, ICI; PCIe if none); 0: none
  double host_link_gb_per_s = 0;     // device to host memory per direction (PCIe); 0: none (unified or CPU)
  double fp4_tflops = 0;             // dense fp4 (NVFP4/MXFP4) matmul peak; 0: the chip has none
  double tdp_watts = 0;              // board power (TDP/TBP) of one device; 0: not listed
  double usd_per_hour = 0;           // on-demand price of one device per hour; 0: no price known
  std::string price_source;          // where and when that price was read
};

const std::vector<Hardware>& hardware_presets();
const Hardware* find_hardware(std::string_view id);

// The spec checked field by field; errors name "hardware.<field>".
Status validate_hardware(const Hardware& hardware);

// Peak FLOP/s of the matmul dtype ("fp32", "fp16", "bf16", "fp8", "int8", "fp4"):
// 0 when the chip lists none; negative when the name is unknown.
double peak_flops_per_s(const Hardware& hardware, std::string_view compute_dtype);

}  // namespace llmst

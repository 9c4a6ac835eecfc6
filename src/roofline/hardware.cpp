#include "roofline/hardware.hpp"

#include "core/validate.hpp"

namespace llmst {
namespace {

constexpr double GiB = 1073741824.0;

// Dense peaks (spec sheets list 2:4-sparse figures at twice these).
// Capacity: HBM and GDDR parts are sold in binary units (80 GB = 80 GiB of
// DRAM); the driver reserves a little, so usable memory is slightly lower.
std::vector<Hardware> make_presets() {
  return {
      {"a100-40gb", "NVIDIA A100 40GB SXM", "gpu",
       "NVIDIA A100 Tensor Core GPU datasheet (2021): TF32 156, FP16/BF16 312, INT8 624 dense; HBM2 1,555 GB/s; NVLink "
       "600 GB/s (300 per direction); PCIe Gen4",
       156, 312, 0, 624, 1555, 40 * GiB, 300, 32},
      {"a100-80gb", "NVIDIA A100 80GB SXM", "gpu",
       "NVIDIA A100 datasheet: 80GB SXM HBM2e 2,039 GB/s (the PCIe card is 1,935); TF32 156, FP16 312, INT8 624 dense; "
       "NVLink 600 GB/s",
       156, 312, 0, 624, 2039, 80 * GiB, 300, 32},
      {"h100-sxm", "NVIDIA H100 SXM 80GB", "gpu",
       "NVIDIA H100 datasheet: TF32 494.7, FP16/BF16 989.4, FP8 1,978.9, INT8 1,978.9 dense (half the sparse figures); "
       "HBM3 3.35 TB/s; NVLink 900 GB/s (450 per direction); PCIe Gen5 64 GB/s",
       494.7, 989.4, 1978.9, 1978.9, 3350, 80 * GiB, 450, 64},
      {"h100-pcie", "NVIDIA H100 PCIe 80GB", "gpu",
       "NVIDIA H100 datasheet (PCIe): TF32 378, FP16 756, FP8 1,513, INT8 1,513 dense; HBM2e 2.0 TB/s; NVLink bridge "
       "600 GB/s; PCIe Gen5 64 GB/s",
       378, 756, 1513, 1513, 2000, 80 * GiB, 300, 64},
      {"h200", "NVIDIA H200 SXM 141GB", "gpu",
       "NVIDIA H200 datasheet: H100 SXM compute (FP16 989.4 dense, FP8 1,978.9); HBM3e 4.8 TB/s, 141 GB; NVLink 900 "
       "GB/s",
       494.7, 989.4, 1978.9, 1978.9, 4800, 141 * GiB, 450, 64},
      {"b200", "NVIDIA B200 (HGX)", "gpu",
       "NVIDIA HGX B200 datasheet, per GPU: TF32 1.1, FP16/BF16 2.25, FP8 4.5, INT8 4.5 PFLOPS dense; HBM3e 8 TB/s, "
       "180 GB; NVLink 5 1.8 TB/s (900 per direction)",
       1100, 2250, 4500, 4500, 8000, 180 * GiB, 900, 64},
      {"l4", "NVIDIA L4 24GB", "gpu",
       "NVIDIA L4 datasheet: TF32 60, FP16 121, FP8 242.5, INT8 242.5 dense; GDDR6 300 GB/s; no NVLink (PCIe Gen4 x16)",
       60, 121, 242.5, 242.5, 300, 24 * GiB, 32, 32},
      {"l40s", "NVIDIA L40S 48GB", "gpu",
       "NVIDIA L40S datasheet: TF32 183, FP16/BF16 362.05, FP8 733, INT8 733 dense; GDDR6 864 GB/s; no NVLink (PCIe "
       "Gen4 x16)",
       183, 362.05, 733, 733, 864, 48 * GiB, 32, 32},
      {"rtx-4090", "NVIDIA GeForce RTX 4090", "gpu",
       "NVIDIA Ada Lovelace architecture whitepaper: FP16 tensor with FP32 accumulate 165.2, FP8 330.3, INT8 660.6, "
       "TF32 82.6 dense; GDDR6X 1,008 GB/s; no NVLink (PCIe Gen4 x16)",
       82.6, 165.2, 330.3, 660.6, 1008, 24 * GiB, 32, 32},
      {"rtx-3090", "NVIDIA GeForce RTX 3090", "gpu",
       "NVIDIA Ampere GA102 whitepaper: FP16 tensor with FP32 accumulate 71, TF32 35.6, INT8 284 dense; GDDR6X 936 "
       "GB/s; NVLink bridge 112.5 GB/s (56.25 per direction)",
       35.6, 71, 0, 284, 936, 24 * GiB, 56.25, 32},
      {"mi300x", "AMD Instinct MI300X", "gpu",
       "AMD Instinct MI300X datasheet: TF32 653.7, FP16/BF16 1,307.4, FP8 2,614.9, INT8 2,614.9 dense; HBM3 5.3 TB/s, "
       "192 GB; Infinity Fabric 7 links x 64 GB/s per direction",
       653.7, 1307.4, 2614.9, 2614.9, 5300, 192 * GiB, 448, 64},
      {"tpu-v4", "Google Cloud TPU v4 (per chip)", "tpu",
       "Google Cloud TPU v4 documentation: 275 TFLOPS bf16 and int8 per chip; 32 GiB HBM2 at 1,200 GB/s; ICI 2,400 "
       "Gbps (300 GB/s)",
       0, 275, 0, 275, 1200, 32 * GiB, 300, 0},
      {"tpu-v5e", "Google Cloud TPU v5e (per chip)", "tpu",
       "Google Cloud TPU v5e documentation: 197 TFLOPS bf16, 394 TOPS int8 per chip; 16 GiB HBM2 at 819 GB/s; ICI "
       "1,600 Gbps (200 GB/s)",
       0, 197, 0, 394, 819, 16 * GiB, 200, 0},
      {"m2-ultra", "Apple M2 Ultra (76-core GPU)", "gpu",
       "Apple Mac Studio (2023) tech specs: 76-core GPU 27.2 TFLOPS fp32 (fp16 runs at the same rate); 800 GB/s "
       "unified memory, up to 192 GB",
       27.2, 27.2, 0, 0, 800, 192 * GiB, 0, 0},
      {"ddr5-desktop", "Desktop CPU, dual-channel DDR5-5200 (Ryzen 9 7950X)", "cpu",
       "Derived: 16 Zen 4 cores x 4.5 GHz x 32 fp32 FLOP/cycle (two 256-bit FMA pipes) = 2.3 TFLOPS; fp16 converted to "
       "fp32; VNNI int8 4x; 2 channels x 8 bytes x 5,200 MT/s = 83.2 GB/s; 64 GiB",
       2.304, 2.304, 0, 9.216, 83.2, 64 * GiB, 0, 0},
  };
}

}  // namespace

const std::vector<Hardware>& hardware_presets() {
  static const std::vector<Hardware> table = make_presets();
  return table;
}

const Hardware* find_hardware(std::string_view id) {
  for (const Hardware& hardware : hardware_presets())
    if (hardware.id == id) return &hardware;
  return nullptr;
}

Status validate_hardware(const Hardware& hardware) {
  // Upper bounds are far above any chip (1e6 TFLOPS = 1 EFLOP/s; 1 PB/s; 1 PB).
  // Lower bounds keep every time finite: 1 MFLOP/s, 1 MB/s, 1 MB of memory.
  return first_error(
      check_zero_or_at_least("hardware.fp32_tflops", hardware.fp32_tflops, 1e-6, 1e6),
      check_zero_or_at_least("hardware.fp16_tflops", hardware.fp16_tflops, 1e-6, 1e6),
      check_zero_or_at_least("hardware.fp8_tflops", hardware.fp8_tflops, 1e-6, 1e6),
      check_zero_or_at_least("hardware.int8_tops", hardware.int8_tops, 1e-6, 1e6),
      check_real_above("hardware.memory_gb_per_s", hardware.memory_gb_per_s, 0, 1e6),
      check_zero_or_at_least("hardware.memory_gb_per_s", hardware.memory_gb_per_s, 1e-3, 1e6),
      check_real_above("hardware.memory_bytes", hardware.memory_bytes, 0, 1e15),
      check_zero_or_at_least("hardware.memory_bytes", hardware.memory_bytes, 1e6, 1e15),
      check_zero_or_at_least("hardware.interconnect_gb_per_s", hardware.interconnect_gb_per_s, 1e-3, 1e6),
      check_zero_or_at_least("hardware.host_link_gb_per_s", hardware.host_link_gb_per_s, 1e-3, 1e6),
      check_zero_or_at_least("hardware.fp4_tflops", hardware.fp4_tflops, 1e-6, 1e6),
      check_zero_or_at_least("hardware.tdp_watts", hardware.tdp_watts, 1e-3, 1e7),
      check_zero_or_at_least("hardware.usd_per_hour", hardware.usd_per_hour, 1e-6, 1e6));
}

double peak_flops_per_s(const Hardware& hardware, std::string_view compute_dtype) {
  if (compute_dtype == "fp32") return hardware.fp32_tflops * 1e12;
  if (compute_dtype == "fp16" || compute_dtype == "bf16") return hardware.fp16_tflops * 1e12;
  if (compute_dtype == "fp8") return hardware.fp8_tflops * 1e12;
  if (compute_dtype == "int8") return hardware.int8_tops * 1e12;
  if (compute_dtype == "fp4") return hardware.fp4_tflops * 1e12;
  return -1;
}

}  // namespace llmst

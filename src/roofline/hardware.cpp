#include "roofline/hardware.hpp"

#include "core/validate.hpp"

namespace llmst {
namespace {

constexpr double GiB = 1073741824.0;

// Dense peaks (spec sheets list 2:4-sparse figures at twice these).
// Capacity: HBM and GDDR parts are sold in binary units (80 GB = 80 GiB of
// DRAM); the driver reserves a little, so usable memory is slightly lower.
// Links are per direction: a vendor's "900 GB/s NVLink" is 450 each way.
// Prices are on-demand per device-hour from one dated public list each; 0
// means no price was read (the deployment search skips unpriced chips, and the
// page lets you type one in).
constexpr const char* kRunPodSecure =
    "runpod.io/pricing, Secure Cloud on-demand per GPU-hour, as read 2026-09-25 (recorded in "
    "tgarg01/silybench-data derived/csv/gpu_prices.csv)";
constexpr const char* kLambda =
    "lambda.ai/pricing, on-demand 1x instance per GPU-hour, as read 2026-09-25 (recorded in "
    "tgarg01/silybench-data derived/csv/gpu_prices.csv)";
constexpr const char* kNoPrice = "no price: no dated public on-demand list price was read for this chip";
// Google's list prices per slice-hour from the Cloud Billing catalog, as SkyPilot
// records them; per chip = slice price / chips in the slice (v4 and v5p slice
// names count TensorCores, two per chip; v5e and v6e names count chips).

std::vector<Hardware> make_presets() {
  return {
      {"a100-40gb", "NVIDIA A100 40GB SXM", "gpu",
       "NVIDIA A100 Tensor Core GPU datasheet (2021): TF32 156, FP16/BF16 312, INT8 624 dense; HBM2 1,555 GB/s; NVLink "
       "600 GB/s (300 per direction); PCIe Gen4; max TDP 400 W (SXM)",
       156, 312, 0, 624, 1555, 40 * GiB, 300, 32, 0, 400, 1.99, kLambda},
      {"a100-80gb", "NVIDIA A100 80GB SXM", "gpu",
       "NVIDIA A100 datasheet: 80GB SXM HBM2e 2,039 GB/s (the PCIe card is 1,935); TF32 156, FP16 312, INT8 624 dense; "
       "NVLink 600 GB/s; max TDP 400 W (SXM)",
       156, 312, 0, 624, 2039, 80 * GiB, 300, 32, 0, 400, 1.59, kRunPodSecure},
      {"h100-sxm", "NVIDIA H100 SXM 80GB", "gpu",
       "NVIDIA H100 datasheet: TF32 494.7, FP16/BF16 989.4, FP8 1,978.9, INT8 1,978.9 dense (half the sparse figures); "
       "HBM3 3.35 TB/s; NVLink 900 GB/s (450 per direction); PCIe Gen5 64 GB/s; max TDP 700 W",
       494.7, 989.4, 1978.9, 1978.9, 3350, 80 * GiB, 450, 64, 0, 700, 3.49, kRunPodSecure},
      {"h100-pcie", "NVIDIA H100 PCIe 80GB", "gpu",
       "NVIDIA H100 datasheet (PCIe): TF32 378, FP16 756, FP8 1,513, INT8 1,513 dense; HBM2e 2.0 TB/s; NVLink bridge "
       "600 GB/s; PCIe Gen5 64 GB/s; max TDP 350 W",
       378, 756, 1513, 1513, 2000, 80 * GiB, 300, 64, 0, 350, 2.89, kRunPodSecure},
      {"h200", "NVIDIA H200 SXM 141GB", "gpu",
       "NVIDIA H200 datasheet: H100 SXM compute (FP16 989.4 dense, FP8 1,978.9); HBM3e 4.8 TB/s, 141 GB; NVLink 900 "
       "GB/s; max TDP 700 W",
       494.7, 989.4, 1978.9, 1978.9, 4800, 141 * GiB, 450, 64, 0, 700, 4.59, kRunPodSecure},
      {"b200", "NVIDIA B200 (HGX)", "gpu",
       "NVIDIA HGX B200 datasheet, per GPU (8-GPU board figures / 8, sparse / 2): TF32 1.1, FP16/BF16 2.25, FP8 4.5, "
       "INT8 4.5, FP4 9 PFLOPS dense; HBM3e 8 TB/s, 180 GB; NVLink 5 1.8 TB/s (900 per direction); 1,000 W",
       1100, 2250, 4500, 4500, 8000, 180 * GiB, 900, 64, 9000, 1000, 6.79, kRunPodSecure},
      {"gb200", "NVIDIA GB200 NVL72 (per Blackwell GPU)", "gpu",
       "NVIDIA GB200 NVL72 spec sheet, rack / 72 GPUs, sparse / 2: TF32 1.25, FP16/BF16 2.5, FP8 5, INT8 5, FP4 10 "
       "PFLOPS dense; HBM3e 13.4 TB and 576 TB/s (186 GB, 8 TB/s per GPU); NVLink 5 1.8 TB/s (900 per direction); "
       "NVLink-C2C 900 GB/s to Grace (450 per direction); 1,200 W per GPU (glennklockwood.com B200 notes)",
       1250, 2500, 5000, 5000, 8000, 186 * GiB, 900, 450, 10000, 1200, 0, kNoPrice},
      {"gb300", "NVIDIA GB300 NVL72 (per Blackwell Ultra GPU)", "gpu",
       "Verda 'GB300 NVL72: GPU architecture & performance' per-GPU table without sparsity (from NVIDIA's GB300 NVL72 "
       "figures): TF32 1.25, FP16/BF16 2.5, FP8 5, INT8 0.165, FP4 15 PFLOPS; 279 GB HBM3e at 8 TB/s; NVLink 5 1.8 "
       "TB/s "
       "(900 per direction), NVLink-C2C 450 per direction; max TDP 1.4 kW",
       1250, 2500, 5000, 165, 8000, 279 * GiB, 900, 450, 15000, 1400, 0, kNoPrice},
      {"h20", "NVIDIA H20 96GB", "gpu",
       "NVIDIA H20 product brief (China export part, Hopper): TF32 74, FP16/BF16 148, FP8 296, INT8 296 dense; HBM3 96 "
       "GB at 4.0 TB/s; NVLink 900 GB/s (450 per direction); PCIe Gen5 64 GB/s; 400 W",
       74, 148, 296, 296, 4000, 96 * GiB, 450, 64, 0, 400, 0, kNoPrice},
      {"l4", "NVIDIA L4 24GB", "gpu",
       "NVIDIA L4 datasheet: TF32 60, FP16 121, FP8 242.5, INT8 242.5 dense; GDDR6 300 GB/s; no NVLink (PCIe Gen4 "
       "x16); 72 W",
       60, 121, 242.5, 242.5, 300, 24 * GiB, 32, 32, 0, 72, 0, kNoPrice},
      {"l40s", "NVIDIA L40S 48GB", "gpu",
       "NVIDIA L40S datasheet: TF32 183, FP16/BF16 362.05, FP8 733, INT8 733 dense; GDDR6 864 GB/s; no NVLink (PCIe "
       "Gen4 x16); 350 W",
       183, 362.05, 733, 733, 864, 48 * GiB, 32, 32, 0, 350, 1.09, kRunPodSecure},
      {"a10", "NVIDIA A10 24GB", "gpu",
       "NVIDIA A10 datasheet: TF32 62.5, FP16/BF16 125, INT8 250 dense (sparse twice); GDDR6 600 GB/s; no NVLink "
       "(PCIe Gen4 x16); 150 W",
       62.5, 125, 0, 250, 600, 24 * GiB, 32, 32, 0, 150, 1.29, kLambda},
      {"t4", "NVIDIA T4 16GB", "gpu",
       "NVIDIA T4 datasheet: FP32 8.1, mixed FP16/FP32 65, INT8 130 TOPS; GDDR6 320 GB/s; PCIe Gen3 x16 (16 GB/s); "
       "70 W",
       8.1, 65, 0, 130, 320, 16 * GiB, 16, 16, 0, 70, 0, kNoPrice},
      {"v100-sxm2", "NVIDIA V100 SXM2 32GB", "gpu",
       "NVIDIA V100 datasheet (SXM2): FP32 15.7, Tensor (FP16 mixed) 125 TFLOPS, no int8 tensor peak listed; HBM2 900 "
       "GB/s, 32 GB; NVLink 300 GB/s (150 per direction); PCIe Gen3 16 GB/s; 300 W",
       15.7, 125, 0, 0, 900, 32 * GiB, 150, 16, 0, 300, 0, kNoPrice},
      {"rtx-4090", "NVIDIA GeForce RTX 4090", "gpu",
       "NVIDIA Ada Lovelace architecture whitepaper: FP16 tensor with FP32 accumulate 165.2, FP8 330.3, INT8 660.6, "
       "TF32 82.6 dense; GDDR6X 1,008 GB/s; no NVLink (PCIe Gen4 x16); 450 W",
       82.6, 165.2, 330.3, 660.6, 1008, 24 * GiB, 32, 32, 0, 450, 0.74, kRunPodSecure},
      {"rtx-5090", "NVIDIA GeForce RTX 5090", "gpu",
       "NVIDIA RTX Blackwell GPU architecture whitepaper: TF32 104.8, FP16 tensor with FP32 accumulate 209.5, FP8 419, "
       "INT8 838, FP4 1,676 dense (GeForce runs FP32 accumulate at half the FP16-accumulate rate); GDDR7 1,792 GB/s, "
       "32 GB; no NVLink (PCIe Gen5 x16, 64 GB/s); 575 W",
       104.8, 209.5, 419, 838, 1792, 32 * GiB, 64, 64, 1676, 575, 0, kNoPrice},
      {"rtx-6000-ada", "NVIDIA RTX 6000 Ada 48GB", "gpu",
       "NVIDIA RTX 6000 Ada datasheet and Ada whitepaper: TF32 182.1, FP16 (FP32 accumulate) 364.2, FP8 728.5, INT8 "
       "728.5 dense (the sheet's 1,457 is FP8 sparse); GDDR6 960 GB/s, 48 GB; no NVLink (PCIe Gen4 x16); 300 W",
       182.1, 364.2, 728.5, 728.5, 960, 48 * GiB, 32, 32, 0, 300, 0, kNoPrice},
      {"rtx-3090", "NVIDIA GeForce RTX 3090", "gpu",
       "NVIDIA Ampere GA102 whitepaper: FP16 tensor with FP32 accumulate 71, TF32 35.6, INT8 284 dense; GDDR6X 936 "
       "GB/s; NVLink bridge 112.5 GB/s (56.25 per direction); 350 W",
       35.6, 71, 0, 284, 936, 24 * GiB, 56.25, 32, 0, 350, 0, kNoPrice},
      {"mi250x", "AMD Instinct MI250X", "gpu",
       "AMD Instinct MI250X datasheet: FP32 matrix 95.7, FP16/BF16 383, INT8 383 dense; HBM2e 3.2768 TB/s, 128 GB (two "
       "dies of 64 GB); Infinity Fabric 8 links, 800 GB/s peak aggregate (400 per direction); PCIe Gen4; 560 W peak",
       95.7, 383, 0, 383, 3276.8, 128 * GiB, 400, 32, 0, 560, 0, kNoPrice},
      {"mi300x", "AMD Instinct MI300X", "gpu",
       "AMD Instinct MI300X datasheet: TF32 653.7, FP16/BF16 1,307.4, FP8 2,614.9, INT8 2,614.9 dense; HBM3 5.3 TB/s, "
       "192 GB; Infinity Fabric 7 links x 64 GB/s per direction; 750 W",
       653.7, 1307.4, 2614.9, 2614.9, 5300, 192 * GiB, 448, 64, 0, 750, 1.85,
       "Vultr on-demand MI300X $1.85 per GPU-hour, as quoted in cliffcenter.com 'AMD inference economics' research "
       "note (2026-05-18)"},
      {"mi325x", "AMD Instinct MI325X", "gpu",
       "AMD Instinct MI325X datasheet: MI300X compute (TF32 653.7, FP16/BF16 1,307.4, FP8 2,614.9, INT8 2,614.9 "
       "dense); HBM3E 6 TB/s, 256 GB; Infinity Fabric 7 links x 64 GB/s per direction; PCIe Gen5; 1,000 W",
       653.7, 1307.4, 2614.9, 2614.9, 6000, 256 * GiB, 448, 64, 0, 1000, 1.95,
       "TensorWave on-demand MI325X $1.95 per GPU-hour, as quoted in cliffcenter.com 'AMD inference economics' "
       "research note (2026-05-18)"},
      {"mi355x", "AMD Instinct MI355X", "gpu",
       "AMD Instinct MI355X datasheet (CDNA 4, 256 CUs at 2.4 GHz): FP32 matrix 157.3, FP16/BF16 2,516.6, FP8 5,033.2, "
       "INT8 5,033.2, MXFP4/MXFP6 10,066.3 dense (sparse twice: 'FP4 20.1 PFLOPS'); HBM3E 8 TB/s, 288 GB; Infinity "
       "Fabric 7 links x 153.6 GB/s (537.6 per direction); PCIe Gen5; 1,400 W",
       157.3, 2516.6, 5033.2, 5033.2, 8000, 288 * GiB, 537.6, 64, 10066.3, 1400, 0, kNoPrice},
      {"gaudi2", "Intel Gaudi 2", "tpu",
       "Intel Gaudi 3 Hot Chips 2024 deck (generations table) and Gaudi 2 white paper: BF16 432, FP8 865 TFLOPS; HBM2e "
       "96 GB at 2.46 TB/s; 24 x 100 GbE RoCE, 4.8 Tb/s bidirectional (300 GB/s per direction); PCIe 64 GB/s "
       "bidirectional; 600 W",
       0, 432, 865, 0, 2460, 96 * GiB, 300, 32, 0, 600, 0, kNoPrice},
      {"gaudi3", "Intel Gaudi 3 (OAM)", "tpu",
       "Intel Gaudi 3 Hot Chips 2024 deck: BF16 and FP8 matrix 1,835 TFLOPS; HBM2e 128 GB at 3.67 TB/s; 24 x 200 GbE, "
       "1,200 GB/s bidirectional (600 per direction); PCIe Gen5 128 GB/s bidirectional; 900 W air-cooled",
       0, 1835, 1835, 0, 3670, 128 * GiB, 600, 64, 0, 900, 0, kNoPrice},
      {"trainium2", "AWS Trainium2 (per chip)", "tpu",
       "AWS Neuron docs, Trainium2 architecture: 667 BF16/FP16/TF32, 1,299 FP8, 181 FP32 TFLOPS dense; 96 GiB at 2.9 "
       "TB/s; NeuronLink-v3 bandwidth not listed there (0); no TDP listed",
       667, 667, 1299, 0, 2900, 96 * GiB, 0, 0, 0, 0, 0, kNoPrice},
      {"inferentia2", "AWS Inferentia2 (per chip)", "tpu",
       "AWS Neuron docs, Inferentia2 architecture: 190 FP16/BF16/cFP8/TF32 TFLOPS, 380 INT8 TOPS; 32 GiB at 820 GiB/s "
       "(880.5 GB/s); NeuronLink-v2 bandwidth not listed (0); no TDP listed",
       190, 190, 190, 380, 820 * GiB / 1e9, 32 * GiB, 0, 0, 0, 0, 0, kNoPrice},
      {"tpu-v4", "Google Cloud TPU v4 (per chip)", "tpu",
       "Google Cloud TPU v4 documentation: 275 TFLOPS bf16 and int8 per chip; 32 GiB HBM2 at 1,200 GB/s; ICI 2,400 "
       "Gbps (300 GB/s); no TDP listed",
       0, 275, 0, 275, 1200, 32 * GiB, 300, 0, 0, 0, 3.22,
       "Google Cloud on-demand TPU list price in skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (commit "
       "006059e, from the Cloud Billing catalog; read here 2026-12-01, the commit's own date unknown): tpu-v4-4096 "
       "(2,048 chips) $6,594.56/h in us-central2 = $3.22 per chip-hour"},
      {"tpu-v5e", "Google Cloud TPU v5e (per chip)", "tpu",
       "Google Cloud TPU v5e documentation: 197 TFLOPS bf16, 394 TOPS int8 per chip; 16 GiB HBM2 at 819 GB/s; ICI "
       "1,600 Gbps (200 GB/s; 400 GB/s bidirectional); no TDP listed",
       0, 197, 0, 394, 819, 16 * GiB, 200, 0, 0, 0, 1.2,
       "Google Cloud on-demand TPU list price in skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (commit "
       "006059e, from the Cloud Billing catalog; read here 2026-12-01, the commit's own date unknown): tpu-v5litepod-1 "
       "(1 chip) $1.20/h in us-central1, us-east5 and us-west4"},
      {"tpu-v5p", "Google Cloud TPU v5p (per chip)", "tpu",
       "Google Cloud TPU v5p documentation: 459 TFLOPS bf16, 918 TOPS int8 per chip; HBM2e 95 GB at 2,765 GB/s; ICI "
       "4,800 Gbps (600 GB/s per direction); no TDP listed",
       0, 459, 0, 918, 2765, 95 * GiB, 600, 0, 0, 0, 4.2,
       "Google Cloud on-demand TPU list price in skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (commit "
       "006059e, from the Cloud Billing catalog; read here 2026-12-01, the commit's own date unknown): tpu-v5p-8960 "
       "(4,480 chips) $18,816/h in us-east5 = $4.20 per chip-hour"},
      {"tpu-v6e", "Google Cloud TPU v6e Trillium (per chip)", "tpu",
       "Google Cloud TPU v6e documentation: 918 TFLOPS bf16, 1,836 TOPS int8 per chip; 32 GB HBM at 1,638 GB/s; "
       "bidirectional ICI 800 GB/s per chip (400 per direction); no TDP listed",
       0, 918, 0, 1836, 1638, 32 * GiB, 400, 0, 0, 0, 2.7,
       "Google Cloud on-demand TPU list price in skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (commit "
       "006059e, from the Cloud Billing catalog; read here 2026-12-01, the commit's own date unknown): tpu-v6e-8 (8 "
       "chips) $21.60/h in us-east5 and us-central1 = $2.70 per chip-hour"},
      {"m2-ultra", "Apple M2 Ultra (76-core GPU)", "gpu",
       "Apple Mac Studio (2023) tech specs: 76-core GPU 27.2 TFLOPS fp32 (fp16 runs at the same rate); 800 GB/s "
       "unified memory, up to 192 GB; Apple lists no chip TDP",
       27.2, 27.2, 0, 0, 800, 192 * GiB, 0, 0, 0, 0, 0, kNoPrice},
      {"m4-max", "Apple M4 Max (40-core GPU)", "gpu",
       "Apple MacBook Pro (2024) tech specs: 40-core GPU, 546 GB/s unified memory, up to 128 GB. Apple lists no "
       "TFLOPS: "
       "derived 40 cores x 128 fp32 lanes x 2 FLOP x 1.578 GHz (clock as measured by third parties) = 16.2, fp16 at "
       "the same rate; no chip TDP listed",
       16.16, 16.16, 0, 0, 546, 128 * GiB, 0, 0, 0, 0, 0, kNoPrice},
      {"ddr5-desktop", "Desktop CPU, dual-channel DDR5-5200 (Ryzen 9 7950X)", "cpu",
       "Derived: 16 Zen 4 cores x 4.5 GHz x 32 fp32 FLOP/cycle (two 256-bit FMA pipes) = 2.3 TFLOPS; fp16 converted to "
       "fp32; VNNI int8 4x; 2 channels x 8 bytes x 5,200 MT/s = 83.2 GB/s; 64 GiB; AMD lists 170 W TDP",
       2.304, 2.304, 0, 9.216, 83.2, 64 * GiB, 0, 0, 0, 170, 0, kNoPrice},
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

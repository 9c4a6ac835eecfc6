// Hardware presets against their spec sheets: every figure below is written
// the way its source prints it (sparse peaks, rack totals, bidirectional
// links, GB of HBM), and the test does the conversion the preset claims to
// have done (dense = sparse / 2, per GPU = rack / 72, per direction = total / 2,
// GiB = 2^30 bytes). A typo in either the table or the preset fails here.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "roofline/hardware.hpp"

using namespace llmst;

namespace {

constexpr double GiB = 1073741824.0;

double field_of(const Hardware& h, const std::string& field) {
  if (field == "fp32_tflops") return h.fp32_tflops;
  if (field == "fp16_tflops") return h.fp16_tflops;
  if (field == "fp8_tflops") return h.fp8_tflops;
  if (field == "int8_tops") return h.int8_tops;
  if (field == "fp4_tflops") return h.fp4_tflops;
  if (field == "memory_gb_per_s") return h.memory_gb_per_s;
  if (field == "memory_bytes") return h.memory_bytes;
  if (field == "interconnect_gb_per_s") return h.interconnect_gb_per_s;
  if (field == "host_link_gb_per_s") return h.host_link_gb_per_s;
  if (field == "tdp_watts") return h.tdp_watts;
  if (field == "usd_per_hour") return h.usd_per_hour;
  FAIL("unknown field " << field);
  return 0;
}

struct Quoted {
  const char* id;
  const char* field;
  double expected;  // derived in this file from the quoted figure
};

// Sheet conversions, named so each row reads like its source.
constexpr double dense(double sparse) { return sparse / 2; }
constexpr double per_direction(double bidirectional) { return bidirectional / 2; }
constexpr double gbit_to_gbyte(double gbit) { return gbit / 8; }

const std::vector<Quoted>& quoted_figures() {
  static const std::vector<Quoted> rows = {
      // NVIDIA HGX B200 datasheet: 8-GPU board, FP4 144 PF and FP8 72 PF sparse; 1.8 TB/s NVLink per GPU.
      {"b200", "fp4_tflops", dense(144000.0 / 8)},
      {"b200", "fp8_tflops", dense(72000.0 / 8)},
      {"b200", "interconnect_gb_per_s", per_direction(1800)},
      {"b200", "tdp_watts", 1000},
      // GB200 NVL72: FP4 1,440 PF sparse, FP8 720 PF sparse, FP16 360 PF sparse, 13.4 TB HBM3e at 576 TB/s, 72 GPUs.
      {"gb200", "fp4_tflops", dense(1440000.0 / 72)},
      {"gb200", "fp8_tflops", dense(720000.0 / 72)},
      {"gb200", "fp16_tflops", dense(360000.0 / 72)},
      {"gb200", "memory_gb_per_s", 576000.0 / 72},
      {"gb200", "memory_bytes", 186 * GiB},                 // 13.4 TB / 72 = 186 GB per GPU
      {"gb200", "host_link_gb_per_s", per_direction(900)},  // NVLink-C2C 900 GB/s to Grace
      {"gb200", "tdp_watts", 1200},
      // GB300 (Verda's per-GPU dense table): FP4 15 PF, FP8 5 PF, INT8 0.165 POPS, 279 GB, 8 TB/s, 1.4 kW.
      {"gb300", "fp4_tflops", 15000},
      {"gb300", "int8_tops", 165},
      {"gb300", "memory_bytes", 279 * GiB},
      {"gb300", "tdp_watts", 1400},
      // H20 product brief: FP8 296, FP16 148 dense; HBM3 96 GB at 4.0 TB/s; NVLink 900 GB/s; 400 W.
      {"h20", "fp8_tflops", 296},
      {"h20", "fp16_tflops", 148},
      {"h20", "memory_gb_per_s", 4000},
      {"h20", "memory_bytes", 96 * GiB},
      {"h20", "interconnect_gb_per_s", per_direction(900)},
      {"h20", "tdp_watts", 400},
      // H100 SXM: 700 W; H200: 700 W; H100 PCIe: 350 W; A100: 400 W; L4 72 W; L40S 350 W.
      {"h100-sxm", "tdp_watts", 700},
      {"h200", "tdp_watts", 700},
      {"h100-pcie", "tdp_watts", 350},
      {"a100-80gb", "tdp_watts", 400},
      {"l4", "tdp_watts", 72},
      {"l40s", "tdp_watts", 350},
      // A10 datasheet: TF32 125 sparse, FP16 250 sparse, INT8 500 sparse; 600 GB/s; 150 W.
      {"a10", "fp32_tflops", dense(125)},
      {"a10", "fp16_tflops", dense(250)},
      {"a10", "int8_tops", dense(500)},
      {"a10", "memory_gb_per_s", 600},
      {"a10", "tdp_watts", 150},
      // T4 datasheet: 65 FP16, 130 INT8, 320 GB/s, 16 GB, 70 W.
      {"t4", "fp16_tflops", 65},
      {"t4", "int8_tops", 130},
      {"t4", "memory_bytes", 16 * GiB},
      {"t4", "tdp_watts", 70},
      // V100 SXM2: Tensor 125, NVLink 300 GB/s, HBM2 900 GB/s, 300 W.
      {"v100-sxm2", "fp16_tflops", 125},
      {"v100-sxm2", "interconnect_gb_per_s", per_direction(300)},
      {"v100-sxm2", "memory_gb_per_s", 900},
      {"v100-sxm2", "tdp_watts", 300},
      // RTX 5090: FP4 3,352 AI TOPS sparse; GDDR7 1,792 GB/s; 32 GB; 575 W.
      {"rtx-5090", "fp4_tflops", dense(3352)},
      {"rtx-5090", "memory_gb_per_s", 1792},
      {"rtx-5090", "memory_bytes", 32 * GiB},
      {"rtx-5090", "tdp_watts", 575},
      // RTX 6000 Ada datasheet: 1,457 TFLOPS FP8 sparse; 960 GB/s; 48 GB; 300 W.
      {"rtx-6000-ada", "fp8_tflops", dense(1457)},
      {"rtx-6000-ada", "memory_gb_per_s", 960},
      {"rtx-6000-ada", "tdp_watts", 300},
      {"rtx-4090", "tdp_watts", 450},
      {"rtx-3090", "tdp_watts", 350},
      // MI250X: 383 FP16, 128 GB, 3.2768 TB/s, Infinity Fabric 800 GB/s aggregate, 560 W.
      {"mi250x", "fp16_tflops", 383},
      {"mi250x", "memory_gb_per_s", 3276.8},
      {"mi250x", "interconnect_gb_per_s", per_direction(800)},
      {"mi250x", "tdp_watts", 560},
      {"mi300x", "tdp_watts", 750},
      // MI325X: MI300X compute, 256 GB HBM3E at 6 TB/s, 1,000 W.
      {"mi325x", "fp8_tflops", 2614.9},
      {"mi325x", "memory_bytes", 256 * GiB},
      {"mi325x", "memory_gb_per_s", 6000},
      {"mi325x", "tdp_watts", 1000},
      // MI355X: FP4/FP6 "20.1 PFLOPS" sparse; 288 GB at 8 TB/s; 7 IF links x 153.6 GB/s; 1,400 W.
      {"mi355x", "memory_bytes", 288 * GiB},
      {"mi355x", "memory_gb_per_s", 8000},
      {"mi355x", "interconnect_gb_per_s", per_direction(7 * 153.6)},
      {"mi355x", "tdp_watts", 1400},
      // Intel Gaudi (Hot Chips 2024 generations table): Gaudi 2 BF16 432, 96 GB, 2.46 TB/s, NIC 4.8 Tb/s
      // bidirectional, 600 W; Gaudi 3 BF16/FP8 1,835, 128 GB, 3.67 TB/s, 1,200 GB/s bidirectional, PCIe 128
      // bidirectional, 900 W.
      {"gaudi2", "fp16_tflops", 432},
      {"gaudi2", "memory_gb_per_s", 2460},
      {"gaudi2", "interconnect_gb_per_s", per_direction(gbit_to_gbyte(4800))},
      {"gaudi2", "tdp_watts", 600},
      {"gaudi3", "fp16_tflops", 1835},
      {"gaudi3", "fp8_tflops", 1835},
      {"gaudi3", "memory_bytes", 128 * GiB},
      {"gaudi3", "memory_gb_per_s", 3670},
      {"gaudi3", "interconnect_gb_per_s", per_direction(1200)},
      {"gaudi3", "host_link_gb_per_s", per_direction(128)},
      {"gaudi3", "tdp_watts", 900},
      // AWS Neuron docs: Trainium2 1,299 FP8, 667 BF16, 96 GiB at 2.9 TB/s; Inferentia2 190 FP16, 380 INT8,
      // 32 GiB at 820 GiB/s.
      {"trainium2", "fp8_tflops", 1299},
      {"trainium2", "fp16_tflops", 667},
      {"trainium2", "memory_gb_per_s", 2900},
      {"trainium2", "memory_bytes", 96 * GiB},
      {"inferentia2", "fp16_tflops", 190},
      {"inferentia2", "int8_tops", 380},
      {"inferentia2", "memory_gb_per_s", 820 * GiB / 1e9},
      // Google Cloud TPU docs: v5p 459 bf16, 918 int8, 95 GB at 2,765 GB/s, ICI 4,800 Gbps; v6e 918 bf16, 1,836
      // int8, 32 GB at 1,638 GB/s, 800 GB/s bidirectional ICI.
      {"tpu-v5p", "fp16_tflops", 459},
      {"tpu-v5p", "int8_tops", 918},
      {"tpu-v5p", "memory_gb_per_s", 2765},
      {"tpu-v5p", "memory_bytes", 95 * GiB},
      {"tpu-v5p", "interconnect_gb_per_s", gbit_to_gbyte(4800)},
      {"tpu-v6e", "fp16_tflops", 918},
      {"tpu-v6e", "int8_tops", 1836},
      {"tpu-v6e", "memory_gb_per_s", 1638},
      {"tpu-v6e", "interconnect_gb_per_s", per_direction(800)},
      // Apple: M4 Max 546 GB/s, 128 GB.
      {"m4-max", "memory_gb_per_s", 546},
      {"m4-max", "memory_bytes", 128 * GiB},
      // On-demand prices as listed (per GPU-hour).
      {"h100-sxm", "usd_per_hour", 3.49},
      {"h100-pcie", "usd_per_hour", 2.89},
      {"h200", "usd_per_hour", 4.59},
      {"b200", "usd_per_hour", 6.79},
      {"a100-80gb", "usd_per_hour", 1.59},
      {"a100-40gb", "usd_per_hour", 1.99},
      {"l40s", "usd_per_hour", 1.09},
      {"rtx-4090", "usd_per_hour", 0.74},
      {"a10", "usd_per_hour", 1.29},
      {"mi300x", "usd_per_hour", 1.85},
      {"mi325x", "usd_per_hour", 1.95},
      // Cloud TPU slices (SkyPilot's copy of Google's billing catalog): slice $/h over its chips.
      {"tpu-v4", "usd_per_hour", 6594.56 / (4096 / 2)},
      {"tpu-v5e", "usd_per_hour", 1.2},
      {"tpu-v5p", "usd_per_hour", 18816.0 / (8960 / 2)},
      {"tpu-v6e", "usd_per_hour", 21.6 / 8},
  };
  return rows;
}

}  // namespace

TEST_CASE("hardware presets: each quoted spec-sheet figure matches the preset") {
  for (const Quoted& row : quoted_figures()) {
    const Hardware* hardware = find_hardware(row.id);
    REQUIRE_MESSAGE(hardware != nullptr, std::string(row.id));
    const double actual = field_of(*hardware, row.field);
    CHECK_MESSAGE(std::abs(actual - row.expected) <= 1e-9 * std::abs(row.expected),
                  (std::string(row.id) + "." + row.field + " = " + std::to_string(actual) + ", sheet says " +
                   std::to_string(row.expected)));
  }
}

TEST_CASE("hardware presets: closed forms behind the derived peaks") {
  // MI355X: 256 CUs at 2.4 GHz; CDNA 4 does 8,192 FP8 FLOP per CU per clock (ISSCC 2026), FP16 half, FP4 double,
  // fp32 matrix 256 per CU per clock.
  const Hardware& mi355x = *find_hardware("mi355x");
  CHECK(mi355x.fp8_tflops == doctest::Approx(256 * 8192 * 2.4e9 / 1e12).epsilon(1e-4));
  CHECK(mi355x.fp16_tflops == doctest::Approx(256 * 4096 * 2.4e9 / 1e12).epsilon(1e-4));
  CHECK(mi355x.fp4_tflops == doctest::Approx(2 * 256 * 8192 * 2.4e9 / 1e12).epsilon(1e-4));
  CHECK(mi355x.fp32_tflops == doctest::Approx(256 * 256 * 2.4e9 / 1e12).epsilon(1e-3));
  // M4 Max: 40 cores x 128 fp32 lanes x 2 FLOP (FMA) x 1.578 GHz.
  CHECK(find_hardware("m4-max")->fp32_tflops == doctest::Approx(40 * 128 * 2 * 1.578e9 / 1e12).epsilon(1e-3));
  // The whitepapers' rate ladders: fp8 = 2 x fp16 on Hopper, Blackwell and CDNA 3; fp4 = 2 x fp8 on Blackwell.
  for (const char* id : {"h100-sxm", "h200", "h20", "b200", "gb200", "mi300x", "mi325x", "mi355x"}) {
    const Hardware& h = *find_hardware(id);
    CHECK_MESSAGE(h.fp8_tflops == doctest::Approx(2 * h.fp16_tflops).epsilon(1e-3), std::string(id));
  }
  for (const char* id : {"b200", "gb200", "rtx-5090"}) {
    const Hardware& h = *find_hardware(id);
    // Data-centre Blackwell: fp4 = 2 x fp8. GeForce lists fp8 with fp32 accumulate (half rate): fp4 = 4 x that.
    const double ladder = h.id == "rtx-5090" ? 4 : 2;
    CHECK_MESSAGE(h.fp4_tflops == doctest::Approx(ladder * h.fp8_tflops).epsilon(1e-3), std::string(id));
  }
}

TEST_CASE("hardware presets: at least 30, unique ids, every row sourced, priced rows say where and when") {
  const std::vector<Hardware>& presets = hardware_presets();
  CHECK(presets.size() >= 30);
  std::set<std::string> ids;
  int priced = 0;
  for (const Hardware& h : presets) {
    CHECK_MESSAGE(ids.insert(h.id).second, "duplicate id ", h.id);
    CHECK_MESSAGE(h.source.size() > 40, h.id);
    CHECK_MESSAGE(validate_hardware(h).ok, h.id, ": ", validate_hardware(h).message);
    CHECK_MESSAGE(h.fp16_tflops > 0, h.id);
    CHECK_MESSAGE(h.memory_bytes > 0, h.id);
    CHECK_MESSAGE(!h.price_source.empty(), h.id);
    CHECK_MESSAGE((h.kind == "gpu" || h.kind == "tpu" || h.kind == "cpu"), h.id);
    if (h.usd_per_hour > 0) {
      ++priced;
      // A price names a date (yyyy-mm-dd) and a place; an unpriced row says so.
      const bool dated = h.price_source.find("2026-") != std::string::npos;
      CHECK_MESSAGE(dated, h.id, ": ", h.price_source);
    } else {
      CHECK_MESSAGE(h.price_source.rfind("no price", 0) == 0, h.id, ": ", h.price_source);
    }
    // Power, if listed, is within what one device draws.
    CHECK_MESSAGE(h.tdp_watts <= 2000, h.id);
  }
  CHECK(priced >= 10);
  // The accelerators issue 15 names are all present.
  for (const char* id :
       {"b200", "gb200", "mi325x", "mi355x", "h20", "l40s", "rtx-5090", "tpu-v5e", "tpu-v6e", "gaudi3", "m4-max"})
    CHECK_MESSAGE(find_hardware(id) != nullptr, std::string(id));
  // Chips with an fp4 peak: Blackwell (data centre and GeForce) and CDNA 4.
  for (const Hardware& h : presets) {
    const bool has_fp4 = h.id == "b200" || h.id == "gb200" || h.id == "gb300" || h.id == "rtx-5090" || h.id == "mi355x";
    CHECK_MESSAGE((h.fp4_tflops > 0) == has_fp4, h.id);
  }
}

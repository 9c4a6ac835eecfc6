#include <doctest/doctest.h>
#include "check_or_return.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/params.hpp"
#include "model/presets.hpp"
#include "roofline/calibration.hpp"
#include "roofline/hardware.hpp"
#include "roofline/operators.hpp"
#include "roofline/plan.hpp"
#include "roofline/probe.hpp"
#include "roofline/roofline.hpp"

using namespace llmst;

namespace {

constexpr double GiB = 1073741824.0;

// meta-llama/Llama-2-70b-hf config.json.
ModelConfig llama2_70b() {
  ModelConfig m;
  m.vocab_size = 32000;
  m.d_model = 8192;
  m.n_layers = 80;
  m.n_heads = 64;
  m.n_kv_heads = 8;
  m.d_ff = 28672;
  return m;
}

// meta-llama/Llama-2-7b-hf config.json (the ModelConfig defaults are its shapes).
ModelConfig llama2_7b() { return ModelConfig{}; }

// mistralai/Mixtral-8x7B-v0.1 config.json.
ModelConfig mixtral() {
  ModelConfig m;
  m.d_model = 4096;
  m.n_layers = 32;
  m.n_heads = 32;
  m.n_kv_heads = 8;
  m.d_ff = 14336;
  m.n_experts = 8;
  m.experts_top_k = 2;
  return m;
}

Workload on(const char* hardware_id, const ModelConfig& model) {
  Workload w;
  w.hardware = *find_hardware(hardware_id);
  w.model = model;
  return w;
}

}  // namespace

TEST_CASE("hardware presets: every row has a source and validates") {
  for (const char* id : {"a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l4", "l40s", "rtx-4090",
                         "rtx-3090", "mi300x", "tpu-v4", "tpu-v5e", "m2-ultra", "ddr5-desktop"}) {
    const Hardware* hardware = find_hardware(id);
    CHECK_MESSAGE(hardware != nullptr, id);
    if (!hardware) continue;
    CHECK_FALSE(hardware->source.empty());
    CHECK(validate_hardware(*hardware).ok);
    CHECK(hardware->fp16_tflops > 0);
  }
  CHECK(find_hardware("h100") == nullptr);
}

TEST_CASE("ridge points from the spec sheets") {
  // H100 SXM: 989.4e12 FLOP/s / 3.35e12 B/s = 295.3 (the lecture's 990 / 3.35 = 295.5, "about 296").
  Workload w = on("h100-sxm", llama2_7b());
  CHECK(roofline(w).ridge_flops_per_byte == doctest::Approx(989.4 / 3.35).epsilon(1e-9));
  CHECK(roofline(w).ridge_flops_per_byte == doctest::Approx(296).epsilon(0.005));
  // A100 80GB SXM: 312 / 2.039 = 153.0; the 40GB part (1.555 TB/s): 200.6; "312 / 2.0" = 156.
  w.hardware = *find_hardware("a100-80gb");
  CHECK(roofline(w).ridge_flops_per_byte == doctest::Approx(312 / 2.039).epsilon(1e-9));
  w.hardware = *find_hardware("a100-40gb");
  CHECK(roofline(w).ridge_flops_per_byte == doctest::Approx(312 / 1.555).epsilon(1e-9));
}

TEST_CASE("bad hardware specs are rejected with the field named") {
  Workload w = on("h100-sxm", llama2_7b());
  w.hardware.memory_gb_per_s = 0;
  CHECK(roofline(w).status.field == "hardware.memory_gb_per_s");
  CHECK(plan(w).status.message == "hardware.memory_gb_per_s = 0 must be greater than 0");
  w.hardware.memory_gb_per_s = std::nan("");
  CHECK(roofline(w).status.message == "hardware.memory_gb_per_s = NaN is not a finite number");
  w.hardware.memory_gb_per_s = -5;
  CHECK(roofline(w).status.field == "hardware.memory_gb_per_s");
  w = on("h100-sxm", llama2_7b());
  w.hardware.fp16_tflops = -1;
  CHECK(roofline(w).status.field == "hardware.fp16_tflops");
  w = on("h100-sxm", llama2_7b());
  w.hardware.memory_bytes = 0;
  CHECK(plan(w).status.field == "hardware.memory_bytes");
  w = on("a100-80gb", llama2_7b());
  w.compute_dtype = "fp8";  // the A100 has no fp8 tensor cores
  CHECK(roofline(w).status.field == "compute_dtype");
  w = on("m2-ultra", llama2_7b());
  w.gpus = 2;  // no device-to-device link listed
  CHECK(plan(w).status.field == "hardware.interconnect_gb_per_s");
}

TEST_CASE("bad workloads name the field") {
  Workload w = on("h100-sxm", llama2_7b());
  w.batch = 0;
  CHECK(roofline(w).status.message == "batch = 0 must be at least 1");
  w = on("h100-sxm", llama2_7b());
  w.batch = 2.5;
  CHECK(plan(w).status.field == "batch");
  w = on("h100-sxm", llama2_7b());
  w.weights_dtype = "fp6";
  CHECK(plan(w).status.field == "weights_dtype");
  w = on("h100-sxm", llama2_7b());
  w.model.n_kv_heads = 5;
  CHECK(plan(w).status.message == "n_kv_heads = 5 must divide n_heads = 32");
  w = on("h100-sxm", llama2_7b());
  w.bandwidth_efficiency = 1.5;
  CHECK(plan(w).status.field == "bandwidth_efficiency");
  w = on("h100-sxm", llama2_7b());
  w.parallelism = "data";
  CHECK(plan(w).status.field == "parallelism");
}

TEST_CASE("parameter counts match the published totals") {
  // Llama-2-70B: 68,976,648,192 (embedding 32000 x 8192 twice, 80 layers of
  // 8192^2 x 2 + 8192 x 1024 x 2 attention + 3 x 8192 x 28672 FFN + 2 norms, final norm).
  CHECK(plan(on("h100-sxm", llama2_70b())).total_params == 68976648192.0);
  // Llama-2-7B: 6,738,415,616 (Meta's "7B").
  CHECK(plan(on("h100-sxm", llama2_7b())).total_params == 6738415616.0);
  // Mixtral 8x7B: 46,702,792,704 total; active drops 6 of 8 experts in 32 layers:
  // 46,702,792,704 - 32 x 6 x 3 x 4096 x 14336 = 12,879,925,248 ("12.9B active").
  const PlanResult moe = plan(on("h100-sxm", mixtral()));
  CHECK(moe.total_params == 46702792704.0);
  CHECK(moe.active_params == 12879925248.0);
}

TEST_CASE("the roofline's operator shapes agree with the model area's count_params") {
  for (const ModelPreset& preset : model_presets()) {
    Workload w = on("h100-sxm", preset.config);
    const PlanResult mine = plan(w);
    const ModelParams theirs = count_params(preset.config);
    CHECK_OR_RETURN(mine.status.ok);
    CHECK_MESSAGE(mine.total_params == theirs.total, preset.id);
    CHECK_MESSAGE(mine.active_params == theirs.active, preset.id);
    // The layer operators' weights at prefill (every expert touched) sum to the
    // layers' parameters less QK-norms and sinks (too small to be operators).
    w.weights_dtype = "fp32";
    w.context = 4096;
    double layer_bytes = 0;
    for (const OperatorCost& op : roofline(w).operators)
      if (op.phase == "prefill" && op.scope == "layer") layer_bytes += op.count * op.weight_bytes;
    const double layers = theirs.attention + theirs.ffn + theirs.router + theirs.norms - theirs.final_norm -
                          theirs.attention_norms - theirs.attention_sinks;
    CHECK_MESSAGE(layer_bytes == doctest::Approx(4 * layers).epsilon(1e-6), preset.id);
  }
}

TEST_CASE("Llama-2-70B fp16 batch-1 decode on H100 SXM: bandwidth bound, ~24.3 tokens/s") {
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 1;
  w.context = 1;
  const PlanResult r = plan(w);
  CHECK_OR_RETURN(r.status.ok);
  // The hand calculation: 3.35e12 B/s / (68,976,648,192 x 2 B = 137.95e9 B) = 24.28 tokens/s.
  CHECK(r.decode.tokens_per_s == doctest::Approx(3.35e12 / 137.95e9).epsilon(0.005));
  // Exactly: a decode step reads every weight but the 32000 x 8192 embedding
  // table (one row per token): (68,976,648,192 - 262,144,000 + 8192) x 2 bytes,
  // plus KV and activations (well under 0.1%).
  const double weight_bytes = (68976648192.0 - 262144000.0 + 8192.0) * 2;
  CHECK(r.decode.weight_bytes_read == doctest::Approx(weight_bytes).epsilon(1e-12));
  CHECK(r.decode.step_s == doctest::Approx(weight_bytes / 3.35e12).epsilon(0.001));
  CHECK(r.decode.memory_floor_s <= r.decode.step_s);
  CHECK(r.decode.bound == "memory");
  // 137.95e9 bytes on one 80 GiB H100: does not fit; two do.
  CHECK_FALSE(r.fits);
  CHECK(r.max_batch == 0);
  CHECK(r.min_gpus == 2);
}

TEST_CASE("weights in a ggml block format: the block's bytes per weight") {
  // ggml-common.h: block_q4_K = d, dmin (2 B each) + scales[12] + qs[128] = 144 B
  // per 256 weights; block_q8_0 = d (2 B) + qs[32] = 34 B per 32.
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 1;
  w.context = 1;
  w.weights_dtype = "q4_k";
  PlanResult r = plan(w);
  CHECK_OR_RETURN(r.status.ok);
  // Norms (80 x 2 x 8192 + 8192 = 1,318,912 weights) stay at 16 bits, as
  // quantized checkpoints keep 1-D tensors; everything else is in blocks.
  const double norms = 80 * 2 * 8192 + 8192;
  CHECK(r.weight_bytes == doctest::Approx((68976648192.0 - norms) * 144 / 256 + norms * 2).epsilon(1e-12));
  // Decode reads every weight but the embedding table (one row per token).
  CHECK(r.decode.weight_bytes_read ==
        doctest::Approx((68976648192.0 - 262144000.0 + 8192.0 - norms) * 144 / 256 + norms * 2).epsilon(1e-12));
  w.weights_dtype = "q8_0";
  r = plan(w);
  CHECK(r.weight_bytes == doctest::Approx((68976648192.0 - norms) * 34 / 32 + norms * 2).epsilon(1e-12));
  // weights_bits still overrides the format.
  w.weights_bits = 4;
  CHECK(plan(w).weight_bytes == doctest::Approx(68976648192.0 / 2).epsilon(1e-12));
  // Grouped formats take the group practice uses: NF4 in blocks of 64 with
  // QLoRA's double-quantized scales, 4 + 8/64 + 32/(256 x 64) bits.
  w.weights_bits = 0;
  w.weights_dtype = "nf4";
  r = plan(w);
  CHECK(r.weight_bytes ==
        doctest::Approx((68976648192.0 - norms) * (4 + 8.0 / 64 + 32.0 / (256 * 64)) / 8 + norms * 2).epsilon(1e-12));
  // int4 is GPTQ/AWQ's: groups of 128 with an fp16 scale, 4.125 bits; a coarser group is set by weights_group.
  w.weights_dtype = "int4";
  CHECK(plan(w).weight_bytes == doctest::Approx((68976648192.0 - norms) * 4.125 / 8 + norms * 2).epsilon(1e-12));
  w.weights_group = 64;
  CHECK(plan(w).weight_bytes == doctest::Approx((68976648192.0 - norms) * 4.25 / 8 + norms * 2).epsilon(1e-12));
  // Components kept in bf16: embedding and LM head (32000 x 8192 each).
  w.weights_keep = "embedding,lm_head";
  const double table = 32000.0 * 8192;
  CHECK(plan(w).weight_bytes ==
        doctest::Approx((68976648192.0 - norms - 2 * table) * 4.25 / 8 + (norms + 2 * table) * 2).epsilon(1e-12));
  w.weights_keep = "heads";
  CHECK(plan(w).status.field == "weights_keep");
  w.weights_keep = "";
  w.weights_dtype = "int5";
  const Status refused = plan(w).status;
  CHECK(refused.field == "weights_dtype");
  CHECK(refused.message.find("q4_k") != std::string::npos);
}

TEST_CASE("decode intensity and the batch that reaches the ridge") {
  Workload w = on("h100-sxm", llama2_70b());
  w.context = 1;
  // fp16 weights: 2 FLOP per weight over 2 bytes = 1 FLOP/byte at batch 1; the
  // ridge needs batch = 295.3 x 2 / 2 = 295.
  RooflineResult r = roofline(w);
  CHECK(r.decode_weight_intensity == doctest::Approx(1.0));
  CHECK(r.decode.intensity == doctest::Approx(1.0).epsilon(0.01));
  CHECK(r.batch_to_ridge == doctest::Approx(989.4 / 3.35).epsilon(1e-9));
  // The lecture's "about 2 FLOP/byte" and "batch about 148" are the one-byte-per-weight
  // (fp8) numbers: 2 FLOP / 1 byte, and 295.3 x 1 / 2 = 147.7.
  w.weights_dtype = "fp8";
  r = roofline(w);
  CHECK(r.decode_weight_intensity == doctest::Approx(2.0));
  CHECK(r.batch_to_ridge == doctest::Approx(148).epsilon(0.005));
  // The q_proj GEMV at batch 295 sits just under the ridge once activations count:
  // 2BD^2 / (2D^2 + 2BD x 2 x 2) with D = 8192 is B / (1 + 2B/8192) = 285.
  w.weights_dtype = "fp16";
  w.batch = 295;
  r = roofline(w);
  for (const OperatorCost& op : r.operators)
    if (op.phase == "decode" && op.name == "q_proj")
      CHECK(op.intensity == doctest::Approx(295.0 / (1 + 2 * 295.0 / 8192)).epsilon(1e-9));
}

TEST_CASE("changing batch moves decode operators right, prefill is compute bound") {
  Workload w = on("h100-sxm", llama2_7b());
  w.context = 4096;
  const RooflineResult one = roofline(w);
  w.batch = 64;
  const RooflineResult many = roofline(w);
  for (std::size_t i = 0; i < one.operators.size(); ++i) {
    const OperatorCost& a = one.operators[i];
    if (a.phase == "decode" && a.weight_bytes > 0 && a.name != "embedding")
      CHECK_MESSAGE(many.operators[i].intensity > a.intensity, a.name);
  }
  // Prefill of a 4096-token prompt: FLOPs ~ 2 x params x tokens plus attention; compute bound.
  CHECK(one.prefill.bound == "compute");
  CHECK(one.prefill.flops > 2 * 6738415616.0 * 4096 * 0.95);
  // Attention at decode is ~1 FLOP/byte whatever the batch (every sequence reads its own KV).
  for (const OperatorCost& op : many.operators)
    if (op.phase == "decode" && op.name == "scores") CHECK(op.intensity < 1.01);
}

TEST_CASE("monotonic: more batch never lowers total throughput; more bandwidth never slows decode") {
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 4;
  w.context = 4096;
  const PlanResult r = plan(w);
  CHECK_OR_RETURN(r.status.ok);
  CHECK_OR_RETURN(r.curve.size() > 4);
  double previous = 0;
  for (const CurvePoint& point : r.curve) {
    if (!point.fits) break;
    CHECK(point.total_tokens_per_s >= previous);
    previous = point.total_tokens_per_s;
  }
  double last_step = 1e30;
  for (double bandwidth : {500.0, 1000.0, 2000.0, 3350.0, 8000.0, 1e5}) {
    w.hardware.memory_gb_per_s = bandwidth;
    const double step = plan(w).decode.step_s;
    CHECK(step <= last_step);
    last_step = step;
  }
}

TEST_CASE("fit: max batch and max context from the real KV size") {
  // Llama-2-7B fp16 on one H100 (80 GiB) at 4096 tokens: weights 6,738,415,616 x 2 B;
  // KV per sequence = 2 x 32 layers x 4096 x 2 B x 4096 tokens = 2 GiB.
  Workload w = on("h100-sxm", llama2_7b());
  w.context = 4096;
  w.batch = 8;
  const PlanResult r = plan(w);
  const double free_bytes = 80 * GiB - 6738415616.0 * 2;
  CHECK(r.kv_bytes_per_token == 2 * 32 * 4096 * 2);
  CHECK(r.max_batch == std::floor(free_bytes / (2 * GiB)));
  CHECK(r.max_batch == 33);
  CHECK(r.max_context == std::floor(free_bytes / (8 * 524288.0)));
  CHECK(r.fits);
  // The curve marks points past max_batch as not fitting.
  for (const CurvePoint& point : r.curve) CHECK(point.fits == (point.batch <= r.max_batch));
}

TEST_CASE("tensor parallel: ring all-reduce cost over NVLink") {
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 8;
  w.context = 1;
  const PlanResult r = plan(w);
  // 2 all-reduces per layer of batch x d_model x 2 bytes: each 2 (p-1)/p x bytes / 450e9 + 5 us.
  const double one = 2.0 * 7 / 8 * (8192 * 2) / 450e9 + 5e-6;
  CHECK(r.decode.communication_s == doctest::Approx(80 * 2 * one).epsilon(1e-9));
  // Weights split 8 ways: the step is ~1/8 of one GPU's plus the all-reduces.
  w.gpus = 1;
  const double single = plan(w).decode.step_s;
  CHECK(r.decode.step_s == doctest::Approx(single / 8 + 80 * 2 * one).epsilon(0.01));
  // Pipeline over 8: no faster per token than one device (every weight is still read each round).
  w.gpus = 8;
  w.parallelism = "pipeline";
  CHECK(plan(w).decode.step_s >= single);
}

TEST_CASE("CPU offload: offloaded layers cross PCIe every step") {
  Workload w = on("rtx-4090", llama2_7b());
  w.offload_layers = 8;
  w.context = 1;
  const PlanResult r = plan(w);
  CHECK_OR_RETURN(r.status.ok);
  // One layer: 4 x 4096^2 + 3 x 4096 x 11008 + 2 x 4096 = 202,383,360 weights x 2 B, over 32 GB/s.
  CHECK(r.decode.offload_s == doctest::Approx(8 * 202383360.0 * 2 / 32e9).epsilon(1e-9));
  CHECK(r.offloaded_bytes == 8 * 202383360.0 * 2);
  w.offload_layers = 40;
  CHECK(plan(w).status.field == "offload_layers");
}

TEST_CASE("MoE: compute from active params, bandwidth from the experts a batch touches") {
  CHECK(expected_distinct_experts(8, 2, 1) == doctest::Approx(2));
  CHECK(expected_distinct_experts(8, 2, 4) == doctest::Approx(8 * (1 - std::pow(0.75, 4))));
  CHECK(expected_distinct_experts(8, 2, 1000) == doctest::Approx(8));
  Workload w = on("h100-sxm", mixtral());
  w.gpus = 2;
  w.context = 1;
  const PlanResult r = plan(w);
  CHECK(r.total_params == 46702792704.0);
  CHECK(r.decode.experts_touched == doctest::Approx(2));
  // Batch 1 reads the active weights but the embedding table (one row) split over
  // 2 GPUs, except the replicated router and norms: 32 x (4096 x 8 + 2 x 4096) + 4096.
  const double replicated = 32 * (4096 * 8 + 2 * 4096) + 4096;
  const double split = 12879925248.0 - 131072000.0 + 4096 - replicated;
  CHECK(r.decode.weight_bytes_read == doctest::Approx((split / 2 + replicated) * 2).epsilon(1e-12));
  // Decode FLOPs ~ 2 x active params per token.
  CHECK(r.decode.flops * 2 == doctest::Approx(2 * 12879925248.0).epsilon(0.01));
}

TEST_CASE("calibration: predictions bound the published measurements") {
  const CalibrationResult c = calibration();
  CHECK_OR_RETURN(c.status.ok);
  CHECK_OR_RETURN(c.points.size() >= 4);
  for (const CalibrationPoint& point : c.points) {
    CHECK_FALSE(point.source.empty());
    // The ideal roofline is an upper bound: measured / predicted in (0.2, 1].
    CHECK_MESSAGE(point.ratio <= 1.0, point.id);
    CHECK_MESSAGE(point.ratio > 0.2, point.id);
  }
}

TEST_CASE("probe kernels agree with their scalar twins and the budget is enforced") {
  float x[1037];
  double reference = 0;
  for (int i = 0; i < 1037; ++i) {
    x[i] = 0.001f * static_cast<float>(i % 97);
    reference += x[i];
  }
  // Float sums in different orders: agree to 1e-4 relative.
  CHECK(stream_sum_simd(x, 1037) == doctest::Approx(reference).epsilon(1e-4));
  CHECK(stream_sum_scalar(x, 1037) == doctest::Approx(reference).epsilon(1e-4));
  double flops_simd = 0, flops_scalar = 0;
  const float simd = madd_loop_simd(1000, &flops_simd);
  const float scalar = madd_loop_scalar(1000, &flops_scalar);
  CHECK(flops_simd == 2.0 * 8 * simd_lanes() * 1000);
  CHECK(flops_scalar == 2.0 * 8 * 1000);
  // Each SIMD lane runs the scalar recurrence: sums agree up to the lane count.
  CHECK(simd == doctest::Approx(scalar * simd_lanes()).epsilon(1e-5));
  ProbeInput big;
  big.bytes = 8.0 * GiB;
  const ProbeResult refused = measure_machine(big);
  CHECK(refused.status.field == "bytes");
  CHECK(refused.status.message.find("8589934592") != std::string::npos);
  ProbeInput small;
  small.bytes = 1 << 20;
  small.repeats = 2;
  small.min_seconds = 0.002;
  const ProbeResult r = measure_machine(small);
  CHECK_OR_RETURN(r.status.ok);
  CHECK(r.simd.bandwidth_bytes_per_s > 0);
  CHECK(r.scalar.flops_per_s > 0);
}

TEST_CASE("decode floor: (weights read + batch x KV) / bandwidth, in closed form") {
  // Llama-2-7B fp16, batch 8, 4096 tokens on an H100 SXM. Weights read: all but the
  // 32000 x 4096 embedding table, plus its 8 rows. KV: each sequence reads 4096 tokens
  // and writes its new token's K and V: 8 x 4097 x (2 x 32 x 4096 x 2 B).
  Workload w = on("h100-sxm", llama2_7b());
  w.batch = 8;
  w.context = 4096;
  const PlanResult r = plan(w);
  const double weights = (6738415616.0 - 131072000.0 + 8 * 4096) * 2;
  const double kv = 8 * 4097 * (2.0 * 32 * 4096 * 2);
  CHECK(r.decode.memory_floor_s == doctest::Approx((weights + kv) / 3.35e12).epsilon(1e-12));
  CHECK(r.decode.step_s >= r.decode.memory_floor_s);
  // Efficiency factors scale the bound: 80 % of the bandwidth, 1.25x the time (all memory bound here).
  w.bandwidth_efficiency = 0.8;
  CHECK(plan(w).decode.memory_floor_s == doctest::Approx((weights + kv) / (0.8 * 3.35e12)).epsilon(1e-12));
}

TEST_CASE("sliding window: the KV stops growing, so the context is unbounded") {
  // Mistral-7B v0.1: 32 layers, 8 KV heads of 128, window 4096: KV per token 2 x 32 x 1024 x 2 = 131,072 B.
  ModelConfig mistral;
  mistral.d_model = 4096;
  mistral.n_layers = 32;
  mistral.n_heads = 32;
  mistral.n_kv_heads = 8;
  mistral.d_ff = 14336;
  mistral.sliding_window = 4096;
  Workload w = on("h100-sxm", mistral);
  w.context = 32768;
  w.batch = 4;
  const PlanResult r = plan(w);
  CHECK(r.kv_bytes == 4 * 4096 * 131072.0);
  CHECK(r.max_context_unbounded);
  // A decode step attends to 4096 keys, not 32768: the same step time as at context 4096.
  w.context = 4096;
  CHECK(plan(w).decode.step_s == doctest::Approx(r.decode.step_s).epsilon(1e-12));
}

TEST_CASE("pipeline parallel splits weights and KV evenly across stages") {
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 2;
  w.parallelism = "pipeline";
  w.batch = 8;
  w.context = 4096;
  const PlanResult r = plan(w);
  CHECK(r.weights_per_device_bytes == doctest::Approx(68976648192.0 * 2 / 2));
  CHECK(r.kv_per_device_bytes == doctest::Approx(8 * 4096 * 327680.0 / 2));
  CHECK(r.fits);
  // One hop per stage boundary of (batch / 2) x d_model x 2 bytes over NVLink, plus 5 us.
  CHECK(r.decode.communication_s == doctest::Approx(4 * 8192 * 2 / 450e9 + 5e-6));
  w.gpus = 81;  // more stages than layers
  CHECK(plan(w).status.field == "gpus");
}

TEST_CASE("tensor x pipeline: pp stages of tp-way tensor parallelism, by hand and against the pure layouts") {
  Workload w = on("h100-sxm", llama2_70b());
  w.gpus = 8;
  w.parallelism = "tensor_pipeline";
  w.pipeline_stages = 2;  // 2 stages x 4-way tensor parallel
  w.batch = 8;
  w.context = 4096;
  const PlanResult r = plan(w);
  REQUIRE(r.status.ok);
  // Weights over all 8 devices; KV over 2 stages x min(4, 8 KV heads) = 8.
  CHECK(r.weights_per_device_bytes == doctest::Approx(68976648192.0 * 2 / 8));
  CHECK(r.kv_per_device_bytes == doctest::Approx(8 * 4096 * 327680.0 / 8));
  // Decode: a round is one full-model pass of a 4-way group at the micro-batch (8 / 2 = 4),
  // its 2 all-reduces per layer of 4 x 8192 x 2 bytes over 4 devices, plus one hop of the same bytes.
  const double all_reduce = 2.0 * 3 / 4 * (4 * 8192 * 2) / 450e9 + 5e-6;
  const double hop = 4 * 8192 * 2 / 450e9 + 5e-6;
  CHECK(r.decode.communication_s == doctest::Approx(80 * 2 * all_reduce + hop).epsilon(1e-12));
  // The pass itself is the 4-way tensor-parallel pass at batch 4.
  Workload tensor4 = w;
  tensor4.parallelism = "tensor";
  tensor4.pipeline_stages = 1;
  tensor4.gpus = 4;
  tensor4.batch = 4;
  const PlanResult t4 = plan(tensor4);
  CHECK(r.decode.step_s == doctest::Approx(t4.decode.step_s + hop).epsilon(1e-12));
  // Prefill: the GPipe fill (2 pp - 1) / pp on the pass and its all-reduces, then the hop of the prompt rows.
  const double prefill_hop = 4 * 4096 * 8192 * 2 / 450e9 + 5e-6;
  CHECK(r.prefill.ttft_s == doctest::Approx(t4.prefill.ttft_s * 1.5 + prefill_hop).epsilon(1e-12));
  // Fewest devices with 2 stages fixed: 2 x 1 (weights 69 GB + KV 10.7 GB of 160 GB).
  CHECK(r.min_gpus == 2);
  // One stage is tensor parallelism, gpus stages is pipeline parallelism: the same numbers, bit for bit.
  for (const double stages : {1.0, 8.0}) {
    Workload same = w;
    same.pipeline_stages = stages;
    Workload pure = w;
    pure.parallelism = stages == 1 ? "tensor" : "pipeline";
    pure.pipeline_stages = 1;
    const PlanResult a = plan(same), b = plan(pure);
    CHECK(a.decode.step_s == b.decode.step_s);
    CHECK(a.decode.communication_s == b.decode.communication_s);
    CHECK(a.prefill.ttft_s == b.prefill.ttft_s);
    CHECK(a.memory_per_device_bytes == b.memory_per_device_bytes);
    CHECK(a.max_batch == b.max_batch);
    CHECK(a.max_context == b.max_context);
  }
  // Refused by name: stages that do not divide the GPUs, more stages than layers, a fraction.
  w.pipeline_stages = 3;
  CHECK(plan(w).status.field == "pipeline_stages");
  w.gpus = 162;
  w.pipeline_stages = 81;
  CHECK(plan(w).status.field == "pipeline_stages");
  w.gpus = 8;
  w.pipeline_stages = 1.5;
  CHECK(plan(w).status.field == "pipeline_stages");
  w.pipeline_stages = std::nan("");
  CHECK(plan(w).status.field == "pipeline_stages");
  // Stages given with another parallelism would be read and ignored: refused.
  w.pipeline_stages = 2;
  w.parallelism = "tensor";
  CHECK(plan(w).status.field == "pipeline_stages");
  w.parallelism = "pipeline";
  CHECK(plan(w).status.field == "pipeline_stages");
}

// ---- Cache plateaus (roofline/plateaus.hpp): synthetic sweeps at 3 sizes per octave from 16 KiB.

namespace {

// Bandwidth of a machine with caches of the given sizes: each level's rate up
// to its size, then a smooth fall over half an octave to the next one.
std::vector<double> synthetic_sweep(const std::vector<double>& sizes, const std::vector<double>& caches,
                                    const std::vector<double>& rates) {
  std::vector<double> bw;
  for (double bytes : sizes) {
    std::size_t level = 0;
    while (level < caches.size() && bytes > caches[level]) ++level;
    double rate = rates[level];
    // Just past a cache's size part of the set still hits it: a transition point.
    if (level > 0 && bytes < caches[level - 1] * 1.45) rate = std::sqrt(rates[level - 1] * rates[level]);
    bw.push_back(rate);
  }
  return bw;
}

}  // namespace

TEST_CASE("sweep sizes are log-spaced multiples of 64 bytes from min to max") {
  const std::vector<double> sizes = sweep_sizes(16384, 256.0 * 1048576, 3);
  CHECK(sizes.front() == 16384);
  CHECK(sizes.back() == 256.0 * 1048576);
  CHECK(sizes.size() == 43);  // 14 octaves × 3 + 1
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    CHECK(sizes[i] > sizes[i - 1]);
    CHECK(std::fmod(sizes[i], 64) == 0);
    CHECK(sizes[i] / sizes[i - 1] == doctest::Approx(std::exp2(1.0 / 3)).epsilon(0.01));
  }
  CHECK(sweep_sizes(4096, 4096, 2).size() == 1);
}

TEST_CASE("plateaus: four levels with transitions are found, sized and named") {
  const std::vector<double> sizes = sweep_sizes(16384, 1024.0 * 1048576, 3);
  const std::vector<double> bw =
      synthetic_sweep(sizes, {48.0 * 1024, 2.0 * 1048576, 32.0 * 1048576}, {90e9, 45e9, 25e9, 9e9});
  const std::vector<PlateauSpan> spans = detect_plateaus(bw);
  CHECK_OR_RETURN(spans.size() == 4);
  const std::vector<double> levels{90e9, 45e9, 25e9, 9e9};
  for (std::size_t k = 0; k < 4; ++k) CHECK(spans[k].bytes_per_s == doctest::Approx(levels[k]));
  CHECK(sizes[spans[0].first] == 16384);
  CHECK(sizes[spans[0].last] <= 48 * 1024);
  CHECK(sizes[spans[1].first] > 48 * 1024);
  CHECK(sizes[spans[1].last] <= 2 * 1048576);
  CHECK(sizes[spans[3].last] == 1024.0 * 1048576);
  CHECK(plateau_names(4) == std::vector<std::string>{"L1", "L2", "L3", "DRAM"});
  CHECK(plateau_names(3) == std::vector<std::string>{"L1", "L2", "LLC"});
  CHECK(plateau_names(5) == std::vector<std::string>{"L1", "L2", "L3a", "L3b", "DRAM"});
  CHECK(plateau_names(1) == std::vector<std::string>{"L1"});
}

TEST_CASE("plateaus: a flat curve is one plateau, a steady decline has none") {
  const std::vector<double> flat(30, 20e9);
  const std::vector<PlateauSpan> one = detect_plateaus(flat);
  CHECK_OR_RETURN(one.size() == 1);
  CHECK(one[0].first == 0);
  CHECK(one[0].last == 29);
  std::vector<double> decline;
  for (int i = 0; i < 30; ++i) decline.push_back(100e9 * std::pow(0.9, i));  // 10 % less at every size
  CHECK(detect_plateaus(decline).empty());
  CHECK(detect_plateaus({}).empty());
  CHECK(detect_plateaus({5e9, 1e9}).empty());  // too few points for a plateau
}

TEST_CASE("plateaus: ±6 % noise and single outliers neither cut nor invent levels") {
  const std::vector<double> sizes = sweep_sizes(16384, 256.0 * 1048576, 3);
  std::vector<double> bw = synthetic_sweep(sizes, {32.0 * 1024, 1.0 * 1048576}, {80e9, 40e9, 12e9});
  std::uint32_t state = 12345;  // a fixed LCG: the same noise every run
  for (double& v : bw) {
    state = state * 1664525u + 1013904223u;
    v *= 1 + 0.06 * (2.0 * (state >> 8) / double(1u << 24) - 1);
  }
  bw[sizes.size() - 6] *= 2.5;  // one size measured during a quiet moment…
  bw[20] *= 0.3;                // …and one during a burst of other work
  const std::vector<PlateauSpan> spans = detect_plateaus(bw);
  CHECK_OR_RETURN(spans.size() == 3);
  CHECK(spans[0].bytes_per_s == doctest::Approx(80e9).epsilon(0.06));
  CHECK(spans[1].bytes_per_s == doctest::Approx(40e9).epsilon(0.06));
  CHECK(spans[2].bytes_per_s == doctest::Approx(12e9).epsilon(0.06));
  CHECK(sizes[spans[2].last] == 256.0 * 1048576);
}

TEST_CASE("plateaus: a slow drift within one level stays one plateau") {
  std::vector<double> bw;
  for (int i = 0; i < 16; ++i) bw.push_back(50e9 * (1 - 0.014 * i));  // 21 %: more than one run spans
  for (int i = 0; i < 8; ++i) bw.push_back(10e9);
  const std::vector<PlateauSpan> spans = detect_plateaus(bw);
  CHECK_OR_RETURN(spans.size() == 2);
  CHECK(spans[0].first == 0);
  CHECK(spans[0].last == 15);
}

TEST_CASE("cache sweep input is checked field by field before allocating") {
  CacheSweepInput in;
  in.max_bytes = 2.0 * 1073741824;
  CacheSweepResult r = measure_cache_sweep(in);
  CHECK(!r.status.ok);
  CHECK(r.status.field == "max_bytes");
  CHECK(r.status.message.find("1073741824") != std::string::npos);
  in = CacheSweepInput{};
  in.repeats = 1000;
  CHECK(measure_cache_sweep(in).status.field == "repeats");
  in = CacheSweepInput{};
  in.min_bytes = 1048576;
  in.max_bytes = 65536;
  CHECK(measure_cache_sweep(in).status.field == "min_bytes");
  ProbeInput probe;
  probe.repeats = 1000;
  CHECK(measure_machine(probe).status.field == "repeats");
}

TEST_CASE("a small cache sweep measures every size with its timing spread") {
  CacheSweepInput in;
  in.min_bytes = 16384;
  in.max_bytes = 262144;
  in.points_per_octave = 1;
  in.repeats = 5;
  in.min_block_seconds = 0.0005;
  const CacheSweepResult r = measure_cache_sweep(in);
  CHECK_OR_RETURN(r.status.ok);
  CHECK(r.points.size() == 5);
  for (const SweepPoint& p : r.points) {
    CHECK(p.simd_time.runs == 5);
    CHECK(p.simd_time.min_s <= p.simd_time.median_s);
    CHECK(p.simd_time.median_s <= p.simd_time.max_s);
    CHECK(p.simd_time.median_s >= 0.0005 * 0.5);
    CHECK(p.simd_bytes_per_s > 1e8);
    CHECK(p.scalar_bytes_per_s > 1e8);
  }
  CHECK(r.seconds > 0);
}

namespace {

// Every field of two plans, exactly (== on doubles: the same arithmetic must give the same bits;
// NaN never arises in a valid plan). `limits`: compare max_batch, max_context, min_gpus too.
void check_same_plan(const PlanResult& a, const PlanResult& b, bool limits, bool curve) {
  REQUIRE(a.status.ok == b.status.ok);
  CHECK(a.status.field == b.status.field);
  CHECK(a.status.message == b.status.message);
  if (!a.status.ok) return;
  CHECK(a.ridge_flops_per_byte == b.ridge_flops_per_byte);
  CHECK(a.peak_flops_per_s == b.peak_flops_per_s);
  CHECK(a.bandwidth_bytes_per_s == b.bandwidth_bytes_per_s);
  CHECK(a.bytes_per_weight == b.bytes_per_weight);
  CHECK(a.total_params == b.total_params);
  CHECK(a.active_params == b.active_params);
  CHECK(a.weights_params == b.weights_params);
  CHECK(a.weight_bytes == b.weight_bytes);
  CHECK(a.kv_bytes_per_token == b.kv_bytes_per_token);
  CHECK(a.kv_bytes == b.kv_bytes);
  CHECK(a.memory_per_device_bytes == b.memory_per_device_bytes);
  CHECK(a.memory_capacity_bytes == b.memory_capacity_bytes);
  CHECK(a.weights_per_device_bytes == b.weights_per_device_bytes);
  CHECK(a.kv_per_device_bytes == b.kv_per_device_bytes);
  CHECK(a.offloaded_bytes == b.offloaded_bytes);
  CHECK(a.fits == b.fits);
  if (limits) {
    CHECK(a.max_batch == b.max_batch);
    CHECK(a.max_context == b.max_context);
    CHECK(a.max_context_unbounded == b.max_context_unbounded);
    CHECK(a.min_gpus == b.min_gpus);
  }
  {
    const DecodePlan &x = a.decode, &y = b.decode;
    CHECK(x.step_s == y.step_s);
    CHECK(x.memory_floor_s == y.memory_floor_s);
    CHECK(x.compute_floor_s == y.compute_floor_s);
    CHECK(x.total_tokens_per_s == y.total_tokens_per_s);
    CHECK(x.flops == y.flops);
    CHECK(x.bytes == y.bytes);
    CHECK(x.weight_bytes_read == y.weight_bytes_read);
    CHECK(x.kv_bytes_read == y.kv_bytes_read);
    CHECK(x.bound == y.bound);
    CHECK(x.communication_s == y.communication_s);
    CHECK(x.offload_s == y.offload_s);
    CHECK(x.experts_touched == y.experts_touched);
  }
  CHECK(a.prefill.ttft_s == b.prefill.ttft_s);
  CHECK(a.prefill.flops == b.prefill.flops);
  CHECK(a.prefill.bytes == b.prefill.bytes);
  CHECK(a.prefill.bound == b.prefill.bound);
  CHECK(a.prefill.communication_s == b.prefill.communication_s);
  CHECK(a.prefill.offload_s == b.prefill.offload_s);
  REQUIRE(a.weight_components.size() == b.weight_components.size());
  for (size_t i = 0; i < a.weight_components.size(); ++i)
    CHECK(a.weight_components[i].bytes == b.weight_components[i].bytes);
  if (!curve) return;
  REQUIRE(a.curve.size() == b.curve.size());
  for (size_t i = 0; i < a.curve.size(); ++i) {
    CHECK(a.curve[i].batch == b.curve[i].batch);
    CHECK(a.curve[i].step_s == b.curve[i].step_s);
    CHECK(a.curve[i].memory_bytes == b.curve[i].memory_bytes);
    CHECK(a.curve[i].fits == b.curve[i].fits);
  }
}

}  // namespace

TEST_CASE("PlanSeries: every point equals plan() of the same workload, refusals included") {
  // Valid and refused points (batch 0, context past 1e9, 3 pipeline stages of a 2-layer ask, offload on
  // 2 GPUs), on workloads whose rest is valid and one whose rest is not (a kv_dtype the core refuses).
  PlanSeries series;
  for (const char* chip : {"h100-sxm", "l4"}) {
    for (const ModelConfig& model : {llama2_70b(), mixtral()}) {
      for (const char* kv : {"fp16", "fp8", "fp7"}) {
        for (const char* parallelism : {"tensor", "pipeline", "tensor_pipeline"}) {
          Workload w = on(chip, model);
          w.kv_dtype = kv;
          w.parallelism = parallelism;
          // tensor_pipeline: 2 stages (gpus 1 and 100 refused: it must divide them); the others read none.
          w.pipeline_stages = std::string(parallelism) == "tensor_pipeline" ? 2 : 1;
          series.set(w);
          for (double batch : {1.0, 16.0, 0.0})
            for (double context : {1.0, 4096.0, 2e9})
              for (double gpus : {1.0, 4.0, 100.0})
                for (double offload : {0.0, 2.0}) {
                  WorkloadPoint point{batch, context, gpus, offload, 5e-6, batch != 16};
                  Workload at = w;
                  at.batch = batch;
                  at.context = context;
                  at.gpus = gpus;
                  at.offload_layers = offload;
                  at.fused_attention = point.fused_attention;
                  const PlanResult expected = plan(at);
                  check_same_plan(series.at(point, true), expected, true, true);
                  check_same_plan(series.at(point, false), expected, true, false);
                  CHECK(series.last().curve.empty());
                }
        }
      }
    }
  }
}

TEST_CASE("plan_at without limits (the search's points): every other field as with them") {
  for (const char* chip : {"h100-sxm", "a100-80gb"}) {
    Workload w = on(chip, mixtral());
    w.weights_dtype = "int4";
    const roofline_detail::Prepared prepared = roofline_detail::prepare(w, true);
    REQUIRE(prepared.status.ok);
    std::vector<roofline_detail::OpShape> scratch;
    for (double batch : {1.0, 7.0, 64.0, 512.0})
      for (double gpus : {1.0, 2.0, 8.0})
        for (bool pipeline : {false, true}) {
          PlanPoint at;
          at.batch = batch;
          at.context = 1280;
          at.prefill_context = 1024;
          at.pipeline = pipeline;
          at.pp = pipeline ? gpus : 1;
          at.tp = gpus / at.pp;
          at.curve = false;
          PlanResult with, without;
          roofline_detail::plan_at(prepared, w, at, with, scratch);
          at.limits = false;
          roofline_detail::plan_at(prepared, w, at, without, scratch);
          check_same_plan(with, without, false, false);
          CHECK(with.max_context > 0);      // the limits were computed with them...
          CHECK(without.max_context == 0);  // ...and left at 0 without
          CHECK(without.min_gpus == 0);
        }
  }
}

// The finite-result rule: every result is finite, or its input is refused
// with the field named (tiny rates would make times infinite; one device has
// no link to divide by).
#include <doctest/doctest.h>

#include <cmath>

#include "memory/attention_memory.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/roofline.hpp"

using namespace llmst;

namespace {

Workload on(const char* hardware) {
  Workload w;
  w.model = find_model_preset("llama-2-7b")->config;
  w.hardware = *find_hardware(hardware);
  return w;
}

}  // namespace

TEST_CASE("one device never divides by its link bandwidth") {
  Workload w = on("m2-ultra");  // no device-to-device link
  REQUIRE(w.hardware.interconnect_gb_per_s == 0);
  w.parallelism = "pipeline";
  const PlanResult r = plan(w);
  REQUIRE(r.status.ok);
  CHECK(std::isfinite(r.decode.step_s));
  CHECK(std::isfinite(r.prefill.ttft_s));
  CHECK(r.decode.communication_s == 0);
}

TEST_CASE("rates so small that times would be infinite are refused by name") {
  Workload w = on("h100-sxm");
  w.hardware.memory_gb_per_s = 1e-308;
  CHECK(plan(w).status.field == "hardware.memory_gb_per_s");
  w = on("h100-sxm");
  w.hardware.fp16_tflops = 1e-308;
  CHECK(plan(w).status.field == "hardware.fp16_tflops");
  w = on("h100-sxm");
  w.flop_efficiency = 5e-324;
  CHECK(plan(w).status.field == "flop_efficiency");
  w = on("h100-sxm");
  w.weights_bits = 1e-308;
  CHECK(plan(w).status.field == "weights_bits");
  AttentionMemoryInput a;
  a.element_bytes = 1e-308;
  CHECK(attention_memory(a).status.field == "element_bytes");
}

// Issue 17, values accepted and ignored: roofline() reads no device count,
// parallelism or offload, but a malformed one is refused as plan() refuses it.
TEST_CASE("roofline refuses malformed plan-only fields instead of ignoring them") {
  Workload w = on("h100-sxm");
  CHECK(roofline(w).status.ok);
  w.gpus = std::nan("");
  CHECK(roofline(w).status.field == "gpus");
  w = on("h100-sxm");
  w.offload_layers = -1;
  CHECK(roofline(w).status.field == "offload_layers");
  w = on("h100-sxm");
  w.parallelism = "bogus";
  CHECK(roofline(w).status.field == "parallelism");
  // A well-formed value plan() would need a link for is still roofline's to ignore.
  w = on("m2-ultra");
  w.gpus = 4;
  CHECK(roofline(w).status.ok);
}

// Found by the fuzz driver under UBSan: heads x head_dim was an int64 product
// (1e12 x 16,777,280 overflows); the counts are now multiplied as doubles and
// such a model is refused for its size.
TEST_CASE("a model with counts near their limits is refused, never overflowed") {
  ModelConfig config;
  config.n_heads = 1e12;
  config.n_kv_heads = 1e12;
  config.head_dim = 16777280;
  const ModelParams params = count_params(config);
  CHECK_FALSE(params.status.ok);
}

// One formula per quantity: for every preset, KV dtype and weights format,
// the plan, the roofline, the KV calculator, the quant sizing and the training
// estimate give the same parameters, KV bytes and weight bytes.
#include <doctest/doctest.h>

#include <algorithm>

#include "memory/kv_cache.hpp"
#include "model/flops.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "quant/sizes.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/roofline.hpp"
#include "roofline/training.hpp"

using namespace llmst;

namespace {

KvCacheResult kv_at(const ModelConfig& model, const std::string& dtype, double tokens) {
  KvCacheInput workload;
  workload.kv_dtype = dtype;
  workload.prompt_tokens = tokens;
  const KvModelInput input = kv_input_of_model(model, workload);
  REQUIRE(input.status.ok);
  return kv_cache(input.input);
}

bool has_chunked_layers(const ModelConfig& model) {
  for (const LayerRun& run : validate_model(model).model.runs)
    if (run.layer.attention.span == Span::chunk) return true;
  return false;
}

}  // namespace

TEST_CASE("consistency: KV bytes of plan and roofline are the KV calculator's, scales included") {
  const double context = 8192;
  for (const ModelPreset& preset : model_presets()) {
    for (const char* dtype : {"fp16", "bf16", "fp8", "int8", "int4"}) {
      CAPTURE(preset.id);
      CAPTURE(dtype);
      Workload w;
      w.model = preset.config;
      w.hardware = *find_hardware("h100-sxm");
      w.kv_dtype = dtype;
      w.context = context;
      w.batch = 2;
      const PlanResult plan_result = plan(w);
      REQUIRE(plan_result.status.ok);
      const KvCacheResult token = kv_at(preset.config, dtype, 1), sequence = kv_at(preset.config, dtype, context);
      CHECK(plan_result.kv_bytes_per_token == token.bytes_per_token);
      CHECK(plan_result.kv_bytes == 2 * sequence.bytes_per_sequence);
      // A decode step reads every cached K and V once (MLA: the latent once) and
      // writes the new token's: the cache at this context plus one token. A
      // chunked layer keeps its whole chunk but attends only the part so far.
      // Sparse attention reads its top-k latents and every indexer key.
      if (!has_chunked_layers(preset.config)) {
        const RooflineResult roof = roofline(w);
        REQUIRE(roof.status.ok);
        const double topk = preset.config.indexer_topk;
        const double read = topk > 0 ? sequence.kv_layers * (std::min(context, topk) * sequence.vector_bytes +
                                                             context * sequence.indexer_bytes_per_token_per_layer)
                                     : sequence.bytes_per_sequence;
        CHECK(roof.decode.kv_bytes == doctest::Approx(2 * (read + token.bytes_per_token)).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("consistency: weight bytes of the plan are the quant area's sizing of the same components") {
  struct Format {
    const char* format;
    double group;
    const char* keep;
  };
  const Format formats[] = {
      {"fp16", 0, ""}, {"int4", 128, "embedding,lm_head"}, {"nf4", 64, ""},
      {"q4_k", 0, ""}, {"mxfp4", 0, "attention,router"},   {"fp8_block", 0, "embedding,lm_head,router"},
      {"int8", 32, ""}};
  for (const ModelPreset& preset : model_presets()) {
    const ModelParams params = count_params(preset.config);
    REQUIRE(params.status.ok);
    for (const Format& f : formats) {
      CAPTURE(preset.id);
      CAPTURE(f.format);
      Workload w;
      w.model = preset.config;
      w.hardware = *find_hardware("h100-sxm");
      w.weights_dtype = f.format;
      w.weights_group = f.group;
      w.weights_keep = f.keep;
      const PlanResult r = plan(w);
      REQUIRE(r.status.ok);
      // The Quantization panel's call: components in the format, norms in bf16,
      // the kept components in bf16, the MTP modules not loaded.
      QuantSizeInput input;
      input.params = param_groups_of(params, false);
      input.spec.format = f.format;
      input.spec.group_size = f.group > 0 ? f.group : std::string(f.format) == "nf4" ? 64 : 128;
      input.spec.scale_dtype = "fp16";
      input.spec.double_quant = std::string(f.format) == "nf4";
      const bool narrow = std::string(f.format) != "fp16";
      input.norms_format = narrow ? "bf16" : "";
      const std::string keep = f.keep;
      if (keep.find("embedding") != std::string::npos) input.embedding_format = "bf16";
      if (keep.find("attention") != std::string::npos) input.attention_format = "bf16";
      if (keep.find("router") != std::string::npos) input.router_format = "bf16";
      if (keep.find("lm_head") != std::string::npos) input.lm_head_format = "bf16";
      const QuantSizeResult size = quant_size(input);
      REQUIRE(size.status.ok);
      CHECK(r.weight_bytes == size.bytes);
      CHECK(r.total_params == params.total);
      CHECK(r.active_params == params.active);
      CHECK(r.weights_params == params.total - params.mtp);
    }
  }
}

TEST_CASE("consistency: training counts the model's parameters and its forward FLOPs") {
  for (const ModelPreset& preset : model_presets()) {
    CAPTURE(preset.id);
    TrainingInput in;
    in.model = preset.config;
    in.batch = 2;
    in.sequence = 1024;
    const TrainingMemory t = training_memory(in);
    REQUIRE(t.status.ok);
    const ModelParams params = count_params(preset.config);
    CHECK(t.params == params.total);
    CHECK(t.weights_bytes == 2 * params.total);
    const PrefillFlops forward = prefill_flops(validate_model(preset.config).model, 1024);
    CHECK(t.flops_per_step == doctest::Approx(3 * 2 * forward.split.total).epsilon(1e-12));
  }
}

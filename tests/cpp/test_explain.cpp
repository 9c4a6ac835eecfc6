// Explain views: each explanation's value is the area result's figure, and its
// substituted formula carries the numbers. Expected numbers are hand
// derivations written beside them (or published counts, as in test_model.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/explain.hpp"
#include "model/explain.hpp"
#include "memory/explain.hpp"
#include "model/presets.hpp"
#include "quant/explain.hpp"
#include "roofline/explain.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/training.hpp"

using namespace llmst;

namespace {

const Explanation& get(const std::vector<Explanation>& list, const char* id) {
  const Explanation* found = find_explanation(list, id);
  REQUIRE_MESSAGE(found != nullptr, id);
  return *found;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ModelConfig preset(const char* id) {
  const ModelPreset* found = find_model_preset(id);
  REQUIRE(found != nullptr);
  return found->config;
}

// Every explanation is complete and shows its own value at the end of the substitution.
void check_well_formed(const std::vector<Explanation>& list) {
  for (const Explanation& e : list) {
    CAPTURE(e.id);
    CHECK(!e.title.empty());
    CHECK(!e.formula_tex.empty());
    CHECK(!e.terms.empty());
    CHECK(!e.sources.empty());
    CHECK(has(e.substituted_tex, "= " + tex_number(e.value)));
    // The substitution ends with the figure (+ unit), except the fit check that ends with the capacity.
    const std::string tail = e.substituted_tex.substr(e.substituted_tex.rfind('=') + 2);
    if (e.id != "plan.memory_per_device") CHECK(tail.rfind(tex_number(e.value), 0) == 0);
  }
}

}  // namespace

TEST_CASE("tex_number and text_number: exact whole numbers, 4 significant digits otherwise") {
  CHECK(tex_number(6738415616) == "6\\,738\\,415\\,616");
  CHECK(text_number(6738415616) == "6,738,415,616");
  CHECK(tex_number(999) == "999");
  CHECK(tex_number(1000) == "1\\,000");
  CHECK(tex_number(-123456) == "-123\\,456");
  CHECK(tex_number(0) == "0");
  CHECK(tex_number(0.5625) == "0.5625");
  CHECK(tex_number(295.2) == "295.2");
  CHECK(tex_number(1234.5678) == "1235");
  CHECK(tex_number(3.3525e12 + 0.5) == "3.353 \\times 10^{12}");  // not whole: scientific
  CHECK(tex_number(9.99996e6 + 0.5) == "1 \\times 10^{7}");       // rounding carries into the exponent
  CHECK(tex_number(2.5e-5) == "2.5 \\times 10^{-5}");
  CHECK(text_number(2.5e-5) == "2.5e-5");
  CHECK(tex_number(std::nan("")) == "\\text{NaN}");
}

TEST_CASE("explain_model: Llama-2-7B figures equal the report's, with the numbers plugged in") {
  const ModelConfig c;  // defaults: Llama-2-7B
  const ModelReport report = model_report(c, 4096);
  REQUIRE(report.status.ok);
  const ExplainResult result = explain_model(c, 4096);
  REQUIRE(result.status.ok);
  const auto& list = result.explanations;
  check_well_formed(list);

  // Every value is the report's own figure.
  CHECK(get(list, "params.total").value == report.params.total);
  CHECK(get(list, "params.attention").value == report.params.attention);
  CHECK(get(list, "params.ffn").value == report.params.ffn);
  CHECK(get(list, "params.embedding").value == report.params.embedding);
  CHECK(get(list, "params.lm_head").value == report.params.lm_head);
  for (const WeightsMemory& row : report.weights_memory)
    CHECK(get(list, ("weights." + row.dtype).c_str()).value == row.bytes);
  CHECK(get(list, "flops.decode").value == report.decode.split.total);
  CHECK(get(list, "flops.prefill").value == report.prefill.split.total);
  CHECK(get(list, "flops.crossover").value == report.crossover.context_tokens);
  CHECK(find_explanation(list, "params.active") == nullptr);  // dense: no active figure

  // Published total (Meta's checkpoint): 6,738,415,616; embedding 32000 * 4096 = 131,072,000.
  const Explanation& total = get(list, "params.total");
  CHECK(total.value == 6738415616.0);
  CHECK(has(total.substituted_tex, "131\\,072\\,000"));
  // One layer: attention 4 * 4096^2 = 67,108,864, FFN 3 * 4096 * 11008 = 135,266,304,
  // norms 2 * 4096 = 8,192: 202,383,360.
  CHECK(has(total.substituted_tex, "32 \\cdot 202\\,383\\,360"));
  // Attention: 32 * 4 * 4096^2 = 2,147,483,648, with d, h, d_h plugged in.
  const Explanation& attention = get(list, "params.attention");
  CHECK(attention.value == 2147483648.0);
  CHECK(has(attention.substituted_tex, "4\\,096 \\cdot 32 \\cdot 128"));
  // fp16 weights: 6,738,415,616 * 2 = 13,476,831,232 bytes.
  CHECK(get(list, "weights.fp16").value == 13476831232.0);
  CHECK(has(get(list, "weights.fp16").substituted_tex, "13\\,476\\,831\\,232"));
  // Decode at 4096: projections 32 * 2 * 4 * 4096^2 = 4,294,967,296; scores
  // 4 * 32 * 32 * 128 * 4096 = 2,147,483,648; FFN 32 * 2 * 3 * 4096 * 11008 =
  // 8,657,043,456; LM head 2 * 4096 * 32000 = 262,144,000; total 15,361,638,400.
  const Explanation& decode = get(list, "flops.decode");
  CHECK(decode.value == 15361638400.0);
  CHECK(has(decode.substituted_tex, "4\\,294\\,967\\,296"));
  CHECK(has(decode.substituted_tex, "8\\,657\\,043\\,456"));
  // Prefill of 4096: pairs 4096 * 4097 / 2 = 8,390,656.
  CHECK(has(get(list, "flops.prefill").substituted_tex, "8\\,390\\,656"));
  // Crossover (docs/model.md): (8,657,043,456 - 4,294,967,296) / (4 * 32 * 32 * 128) = 8,320.
  const Explanation& crossover = get(list, "flops.crossover");
  CHECK(crossover.value == 8320);
  CHECK(has(crossover.substituted_tex, "\\frac{8\\,657\\,043\\,456 - 4\\,294\\,967\\,296}"));
}

TEST_CASE("explain_model: MoE, GQA, tied and windowed models") {
  SUBCASE("Mixtral-8x7B: active parameters and all experts") {
    const ModelReport report = model_report(preset("mixtral-8x7b"), 4096);
    const ExplainResult result = explain_model(preset("mixtral-8x7b"), 4096);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    // Published: 46,702,792,704 total, 12,879,925,248 active (docs/model.md).
    CHECK(get(result.explanations, "params.total").value == 46702792704.0);
    CHECK(get(result.explanations, "params.active").value == 12879925248.0);
    CHECK(get(result.explanations, "params.active").value == report.params.active);
    CHECK(get(result.explanations, "params.ffn").value == report.params.ffn);
  }
  SUBCASE("Llama-3-8B: GQA with 8 KV heads shows h_kv = 8") {
    const ExplainResult result = explain_model(preset("llama-3-8b"), 4096);
    REQUIRE(result.status.ok);
    // 4096 * 8 * 128 for K and V (Llama-3-8B config.json: 32 heads, 8 KV heads).
    CHECK(has(get(result.explanations, "params.attention").substituted_tex, "2 \\cdot 4\\,096 \\cdot 8 \\cdot 128"));
  }
  SUBCASE("tied embeddings: the LM head adds no parameters") {
    ModelConfig c;
    c.tied_embeddings = true;
    const ExplainResult result = explain_model(c, 16);
    REQUIRE(result.status.ok);
    CHECK(get(result.explanations, "params.lm_head").value == 0);
    CHECK(has(get(result.explanations, "params.lm_head").note, "Tied"));
  }
  SUBCASE("Mistral-7B: window 4096 caps the keys and leaves no crossover") {
    const ModelReport report = model_report(preset("mistral-7b"), 8192);
    REQUIRE(!report.crossover.exists);
    const ExplainResult result = explain_model(preset("mistral-7b"), 8192);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    CHECK(has(get(result.explanations, "flops.crossover").note, "No crossover"));
    // Window pairs: 4096 * 4097 / 2 + (8192 - 4096) * 4096 = 8,390,656 + 16,777,216 = 25,167,872.
    const Explanation& prefill = get(result.explanations, "flops.prefill");
    CHECK(prefill.value == report.prefill.split.total);
    CHECK(has(prefill.substituted_tex, "25\\,167\\,872"));
    CHECK(get(result.explanations, "flops.decode").value == report.decode.split.total);
  }
}

TEST_CASE("explain_model: bad input fails with the area's Status") {
  ModelConfig c;
  c.n_kv_heads = 5;
  ExplainResult result = explain_model(c, 4096);
  CHECK(!result.status.ok);
  CHECK(result.status.field == "n_kv_heads");
  CHECK(result.explanations.empty());
  result = explain_model(ModelConfig{}, 0.5);
  CHECK(!result.status.ok);
  CHECK(result.status.field == "context_tokens");
}

TEST_CASE("explain_kv: Llama-2-7B fp16, int4 groups, windows and paging") {
  SUBCASE("defaults: 0.5 MiB per token, 2 GiB per 4096-token sequence") {
    const KvCacheInput in = kv_cache_defaults();
    const KvCacheResult r = kv_cache(in);
    const ExplainResult result = explain_kv(in);
    REQUIRE(result.status.ok);
    const auto& list = result.explanations;
    check_well_formed(list);
    CHECK(get(list, "kv.vector_bytes").value == r.vector_bytes);
    CHECK(get(list, "kv.bytes_per_token").value == r.bytes_per_token);
    CHECK(get(list, "kv.bytes_per_sequence").value == r.bytes_per_sequence);
    CHECK(get(list, "kv.bytes").value == r.bytes);
    CHECK(get(list, "kv.paged_bytes").value == r.paged_bytes);
    // 128 values * 2 bytes = 256 bytes per head vector; 32 layers * 2 * 32 heads * 256 = 524,288.
    CHECK(get(list, "kv.vector_bytes").value == 256);
    CHECK(get(list, "kv.bytes_per_token").value == 524288);
    CHECK(has(get(list, "kv.bytes_per_token").substituted_tex, "32 \\cdot 2 \\cdot 32 \\cdot 256"));
    // 4096 tokens * 32 layers * 16,384 bytes per token per layer = 2,147,483,648 (2 GiB).
    CHECK(get(list, "kv.bytes_per_sequence").value == 2147483648.0);
    CHECK(has(get(list, "kv.bytes_per_sequence").substituted_tex, "32 \\cdot 4\\,096"));
    // 4096 / 16 = 256 whole blocks per layer: 8,192 blocks, no waste.
    CHECK(has(get(list, "kv.paged_bytes").substituted_tex, "8\\,192 \\cdot 16"));
  }
  SUBCASE("sparse attention (DeepSeek-V3.2): the latent and the indexer key, 61 x (1152 + 132)") {
    KvCacheInput workload = kv_cache_defaults();
    workload.kv_dtype = "bf16";
    const KvCacheInput in = kv_input_of_model(preset("deepseek-v3.2"), workload).input;
    const ExplainResult result = explain_kv(in);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    CHECK(get(result.explanations, "kv.bytes_per_token").value == 61 * (1152 + 132));
    CHECK(has(get(result.explanations, "kv.bytes_per_token").substituted_tex, "61 \\cdot (1\\,152 + 132)"));
  }
  SUBCASE("int4, one fp16 scale per 32 values: 64 + 4 * 2 = 72 bytes per vector") {
    KvCacheInput in = kv_cache_defaults();
    in.kv_dtype = "int4";
    in.quant_group = 32;
    in.n_kv_heads = 8;
    in.batch = 3;
    const KvCacheResult r = kv_cache(in);
    const ExplainResult result = explain_kv(in);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    CHECK(get(result.explanations, "kv.vector_bytes").value == 72);
    CHECK(has(get(result.explanations, "kv.vector_bytes").substituted_tex, "\\lceil 128 \\cdot 4 / 8 \\rceil + 8"));
    CHECK(has(get(result.explanations, "kv.vector_bytes").note, "4.5 bits"));  // 8 * 72 / 128
    CHECK(get(result.explanations, "kv.bytes").value == r.bytes);
    CHECK(has(get(result.explanations, "kv.bytes").substituted_tex, "\\cdot 3 ="));
  }
  SUBCASE("window 1024 + 4 sinks: every layer keeps 1,028 of 4,096 tokens") {
    KvCacheInput in = kv_cache_defaults();
    in.window = 1024;
    in.sinks = 4;
    const ExplainResult result = explain_kv(in);
    REQUIRE(result.status.ok);
    const Explanation& seq = get(result.explanations, "kv.bytes_per_sequence");
    CHECK(seq.value == 1028.0 * 32 * 16384);  // 539,492,352
    CHECK(has(seq.substituted_tex, "32 \\cdot 1\\,028"));
    CHECK(has(seq.sources.front(), "Attention Sinks"));
  }
  SUBCASE("bad input names the field") {
    KvCacheInput in = kv_cache_defaults();
    in.n_kv_heads = 5;
    const ExplainResult result = explain_kv(in);
    CHECK(!result.status.ok);
    CHECK(result.status.field == "n_kv_heads");
  }
}

TEST_CASE("explain_plan: Llama-2-7B fp16 on one H100 SXM") {
  Workload w;
  w.hardware = *find_hardware("h100-sxm");
  w.context = 4096;
  w.batch = 1;
  const PlanResult r = plan(w);
  REQUIRE(r.status.ok);
  const ExplainResult result = explain_plan(w);
  REQUIRE(result.status.ok);
  const auto& list = result.explanations;
  check_well_formed(list);
  CHECK(get(list, "plan.ridge").value == r.ridge_flops_per_byte);
  CHECK(get(list, "plan.weight_bytes").value == r.weight_bytes);
  CHECK(get(list, "plan.kv_bytes").value == r.kv_bytes);
  CHECK(get(list, "plan.memory_per_device").value == r.memory_per_device_bytes);
  CHECK(get(list, "plan.max_batch").value == r.max_batch);
  CHECK(get(list, "plan.decode_step").value == r.decode.step_s);
  CHECK(get(list, "plan.tokens_per_s").value == r.decode.tokens_per_s);
  CHECK(get(list, "plan.total_tokens_per_s").value == r.decode.total_tokens_per_s);
  CHECK(get(list, "plan.ttft").value == r.prefill.ttft_s);
  // Datasheet: 989.4 TFLOPS fp16 dense, 3.35 TB/s: ridge 989.4e12 / 3.35e12 = 295.34 FLOP/byte.
  CHECK(get(list, "plan.ridge").value == doctest::Approx(295.343).epsilon(1e-5));
  CHECK(has(get(list, "plan.ridge").substituted_tex, "3\\,350\\,000\\,000\\,000"));
  CHECK(has(get(list, "plan.ridge").sources.front(), "H100 datasheet"));
  // Weights 6,738,415,616 * 2 bytes = 13,476,831,232.
  CHECK(has(get(list, "plan.weight_bytes").substituted_tex, "13\\,476\\,831\\,232"));
  // KV: 1 * 4096 * 524,288 = 2,147,483,648; max batch floor((80 GiB - 13,476,831,232) / 2 GiB)
  // = floor(72,422,514,688 / 2,147,483,648) = floor(33.72) = 33.
  CHECK(get(list, "plan.kv_bytes").value == 2147483648.0);
  CHECK(get(list, "plan.max_batch").value == 33);
  CHECK(has(get(list, "plan.max_batch").substituted_tex, "85\\,899\\,345\\,920 - 13\\,476\\,831\\,232"));
  // The step can be no faster than reading the weights (all but the embedding
  // table, of which a token reads one row: 13,476,831,232 - 2 * 131,072,000)
  // and the KV cache at 3.35 TB/s: (13,214,687,232 + 2,147,483,648) / 3.35e12 = 4.586 ms.
  CHECK(has(get(list, "plan.decode_step").substituted_tex, "= 0.004586"));
  CHECK(get(list, "plan.decode_step").value >= 15362170880.0 / 3.35e12);
  CHECK(has(get(list, "plan.memory_per_device").note, "Fits"));

  w.hardware.memory_gb_per_s = -1;
  const ExplainResult bad = explain_plan(w);
  CHECK(!bad.status.ok);
  CHECK(bad.status.field == "hardware.memory_gb_per_s");
}

TEST_CASE("explain_quant: bits per weight with overheads and mixed-precision bytes") {
  QuantSizeInput in;
  // Llama-2-7B (docs/model.md): embedding and LM head 32000 * 4096, attention
  // 32 * 4 * 4096^2, FFN 32 * 3 * 4096 * 11008, norms 32 * 2 * 4096 + 4096.
  in.params = {131072000, 2147483648.0, 4328521728.0, 266240, 131072000};
  in.spec.format = "int4";
  in.spec.group_size = 128;
  in.spec.scale_dtype = "fp32";
  const QuantSizeResult r = quant_size(in);
  REQUIRE(r.status.ok);
  const ExplainResult result = explain_quant(in);
  REQUIRE(result.status.ok);
  const auto& list = result.explanations;
  check_well_formed(list);
  CHECK(get(list, "quant.bits_per_weight").value == r.bits.bits_per_weight);
  CHECK(get(list, "quant.bytes").value == r.bytes);
  CHECK(get(list, "quant.average_bits").value == r.bits_per_weight);
  CHECK(get(list, "quant.saving_vs_fp16").value == r.saving_vs_fp16);
  // 4 + 32/128 = 4.25 bits.
  CHECK(get(list, "quant.bits_per_weight").value == 4.25);
  CHECK(has(get(list, "quant.bits_per_weight").substituted_tex, "4 + 32/128"));
  // (6,738,149,376 * 4.25 + 266,240 * 32) / 8 = 3,579,641,856 + 1,064,960 = 3,580,706,816.
  CHECK(get(list, "quant.bytes").value == 3580706816.0);
  CHECK(has(get(list, "quant.bytes").substituted_tex, "266\\,240 \\cdot 32"));

  SUBCASE("QLoRA NF4, blocks of 64, double quantization: 4 + 8/64 + 32/(256 * 64) = 4.127 bits") {
    in.spec.format = "nf4";
    in.spec.group_size = 64;
    in.spec.double_quant = true;
    const ExplainResult nf4 = explain_quant(in);
    REQUIRE(nf4.status.ok);
    const Explanation& bits = get(nf4.explanations, "quant.bits_per_weight");
    CHECK(bits.value == doctest::Approx(4 + 8.0 / 64 + 32.0 / (256 * 64)));
    CHECK(has(bits.substituted_tex, "4 + 8/64 + 32 / (256 \\cdot 64)"));
    CHECK(has(bits.sources[1], "QLoRA"));
  }
  SUBCASE("ggml Q4_0: 18-byte blocks of 32 weights = 4.5 bits") {
    in.spec.format = "q4_0";
    const ExplainResult q4 = explain_quant(in);
    REQUIRE(q4.status.ok);
    CHECK(get(q4.explanations, "quant.bits_per_weight").value == 4.5);
    CHECK(has(get(q4.explanations, "quant.bits_per_weight").substituted_tex, "8 \\cdot 18 / 32"));
  }
  SUBCASE("unknown format names the field") {
    in.spec.format = "int3";
    const ExplainResult bad = explain_quant(in);
    CHECK(!bad.status.ok);
    CHECK(!bad.status.field.empty());
  }
}

TEST_CASE("explain_model: today's models get per-kind sums that equal the report") {
  for (const char* id : {"deepseek-v3", "deepseek-v3.2", "gpt-oss-120b", "gemma-3-27b", "llama-4-scout",
                         "qwen3-30b-a3b", "deepseek-v2-lite"}) {
    CAPTURE(id);
    const ModelReport report = model_report(preset(id), 32768);
    REQUIRE(report.status.ok);
    const ExplainResult result = explain_model(preset(id), 32768);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    const auto& list = result.explanations;
    CHECK(get(list, "params.total").value == report.params.total);
    CHECK(get(list, "params.active").value == report.params.active);
    CHECK(get(list, "params.attention").value == report.params.attention);
    CHECK(get(list, "params.ffn").value == report.params.ffn);
    CHECK(get(list, "flops.decode").value == report.decode.split.total);
    CHECK(get(list, "flops.prefill").value == report.prefill.split.total);
    // The sum runs over the layer kinds: never the uniform "L x layer" form.
    CHECK(has(get(list, "params.total").formula_tex, "\\sum_k"));
  }
  // DeepSeek-V3: 3 dense and 58 MoE layers appear in the substitution.
  const ExplainResult deepseek = explain_model(preset("deepseek-v3"), 4096);
  CHECK(has(get(deepseek.explanations, "params.total").substituted_tex, "3 \\cdot "));
  CHECK(has(get(deepseek.explanations, "params.total").substituted_tex, "58 \\cdot "));
}

TEST_CASE("explain_plan: weights by component and MLA's KV for DeepSeek-V3 in its own format") {
  Workload w;
  w.model = preset("deepseek-v3");
  w.hardware = *find_hardware("h200");
  w.gpus = 8;
  w.context = 32768;
  w.weights_dtype = "fp8_block";
  w.weights_keep = "embedding,lm_head,router";
  const PlanResult r = plan(w);
  REQUIRE(r.status.ok);
  const ExplainResult result = explain_plan(w);
  REQUIRE(result.status.ok);
  check_well_formed(result.explanations);
  CHECK(get(result.explanations, "plan.weight_bytes").value == r.weight_bytes);
  CHECK(has(get(result.explanations, "plan.weight_bytes").note, "embedding bf16"));
  // One sequence of 32,768 tokens: 61 x 576 x 2 B each.
  CHECK(has(get(result.explanations, "plan.kv_bytes").substituted_tex, tex_number(32768.0 * 61 * 576 * 2)));
}

TEST_CASE("explain_training: LoRA's adapters and every part of the device's memory") {
  for (const char* method : {"full", "lora", "qlora"}) {
    CAPTURE(method);
    TrainingInput in;
    in.model = preset("llama-2-7b");
    in.method = method;
    in.lora_rank = 16;
    in.paged_optimizer = std::string(method) == "qlora";
    const TrainingMemory r = training_memory(in);
    REQUIRE(r.status.ok);
    const ExplainResult result = explain_training(in);
    REQUIRE(result.status.ok);
    check_well_formed(result.explanations);
    CHECK(get(result.explanations, "train.total").value == r.total_bytes);
    CHECK(get(result.explanations, "train.activations").value == r.activation_bytes);
    if (std::string(method) != "full") {
      // Llama-2-7B, r = 16 on q, k, v, o, gate, up, down: per layer 16 x (4 x (4096 + 4096) + 3 x (4096 + 11008))
      // = 16 x 78,080 = 1,249,280; 32 layers: 39,976,960 (PEFT prints the same; see test_finetune.cpp).
      CHECK(get(result.explanations, "train.trainable_params").value == 39976960);
      CHECK(get(result.explanations, "train.base_weights").value == r.base_weights_bytes);
    }
  }
}

// Explain views: each explanation's value is the area result's figure, and its
// substituted formula carries the numbers. Expected numbers are hand
// derivations written beside them (or published counts, as in test_model.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/explain.hpp"
#include "model/explain.hpp"
#include "model/presets.hpp"

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

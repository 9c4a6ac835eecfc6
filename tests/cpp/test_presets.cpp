// Every preset against a published exact parameter count, and the import of
// real config.json files (tests/fixtures/hf/, copies of the hub's files; their
// sources are in tests/fixtures/hf/SOURCES.md).
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "memory/kv_cache.hpp"
#include "model/flops.hpp"
#include "model/hf_import.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/roofline.hpp"

using namespace llmst;

namespace {

const ModelConfig& preset(const char* id) {
  const ModelPreset* found = find_model_preset(id);
  REQUIRE(found != nullptr);
  return found->config;
}

std::string fixture(const std::string& id) {
  std::ifstream file(std::string(LLMST_SOURCE_DIR) + "/tests/fixtures/hf/" + id + ".json");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

ValidModel model_of(const ModelConfig& config) {
  ValidatedModel validated = validate_model(config);
  REQUIRE(validated.status.ok);
  return validated.model;
}

KvCacheResult kv_of(const ModelConfig& config, double tokens, const std::string& dtype = "bf16") {
  KvCacheInput input;
  input.prompt_tokens = tokens;
  input.kv_dtype = dtype;
  return kv_cache(kv_input_from_model(model_of(config), input));
}

struct Published {
  const char* id;
  double total;
  const char* source;
};

// Exact totals as published for each checkpoint: Hugging Face's safetensors
// parameter count ("HF total"), a GGUF general.parameter_count, keras-hub's
// preset table, or the model card. Where the checkpoint stores more than the
// unique parameters (a tied head written out, fp8 scale tensors), the note
// says what was subtracted.
const Published kPublished[] = {
    {"gpt2", 124439808, "HF total of openai-community/gpt2"},
    {"llama-2-7b", 6738415616, "HF total of meta-llama/Llama-2-7b-hf"},
    {"llama-2-70b", 68976648192, "HF total of meta-llama/Llama-2-70b-hf"},
    {"llama-3-8b", 8030261248, "HF total of meta-llama/Meta-Llama-3-8B"},
    {"mixtral-8x7b", 46702792704, "HF total of mistralai/Mixtral-8x7B-v0.1"},
    // DeepSeek-V3/R1: HF total 684,531,386,000 counts every stored element:
    // BF16 3,918,786,560 + F8_E4M3 680,571,043,840 + F32 41,555,600. The F32
    // part holds 41,540,496 fp8 block scales (weight_scale_inv: 40,838,232 in
    // the main model, 702,264 in the MTP layer) and 15,104 score-correction
    // biases (59 MoE layers x 256); the weights are 684,531,386,000 - 41,540,496.
    {"deepseek-v3", 684531386000.0 - 41540496.0, "HF total of deepseek-ai/DeepSeek-V3 less its fp8 scale tensors"},
    {"deepseek-r1", 684531386000.0 - 41540496.0, "HF total of deepseek-ai/DeepSeek-R1 less its fp8 scale tensors"},
    // DeepSeek-V3.2: a header audit's 685,396,921,376 elements hold 41,591,584
    // fp32 block scales (V3's and 62 x (64 x 12 + 56) for the indexers; hand count below).
    {"deepseek-v3.2", 685396921376.0 - 41591584.0, "all elements of deepseek-ai/DeepSeek-V3.2 less its fp8 scales"},
    {"deepseek-v2-lite", 15706484224, "HF total of deepseek-ai/DeepSeek-V2-Lite-Chat (same architecture)"},
    // Qwen3 0.6B and 1.7B tie the head, but their checkpoints also store
    // lm_head.weight (HF totals 751,632,384 and 2,031,739,904); keras-hub counts
    // the unique parameters.
    {"qwen3-0.6b", 596049920, "keras-hub qwen3_0.6b_en (HF total 751,632,384 less the stored tied head 151936 x 1024)"},
    {"qwen3-1.7b", 1720574976,
     "keras-hub qwen3_1.7b_en (HF total 2,031,739,904 less the stored tied head 151936 x 2048)"},
    {"qwen3-4b", 4022468096, "GGUF general.parameter_count of Qwen3-4B; keras-hub qwen3_4b_en"},
    {"qwen3-8b", 8190735360, "HF total of Qwen/Qwen3-8B"},
    {"qwen3-14b", 14768307200, "keras-hub qwen3_14b_en; llama.cpp n_params"},
    {"qwen3-32b", 32762123264, "HF total of Qwen/Qwen3-32B"},
    {"qwen3-30b-a3b", 30532122624, "HF total of Qwen/Qwen3-30B-A3B"},
    {"qwen3-235b-a22b", 235093634560, "HF total of Qwen/Qwen3-235B-A22B"},
    {"qwen2.5-72b", 72706203648, "HF total of Qwen/Qwen2.5-72B-Instruct (same architecture); keras-hub"},
    {"gemma-2-2b", 2614341888, "keras-hub gemma2_2b_en; HF total of google/gemma-2-2b-it"},
    {"gemma-2-9b", 9241705984, "keras-hub gemma2_9b_en"},
    {"gemma-2-27b", 27227128320, "keras-hub gemma2_27b_en"},
    {"gemma-3-1b", 999885952, "keras-hub gemma3_1b; HF total of google/gemma-3-1b-it"},
    {"gemma-3-4b", 4300079472, "HF total of google/gemma-3-4b-it (safetensors metadata)"},
    {"gemma-3-12b", 12187325040, "HF total of google/gemma-3-12b-it"},
    {"gemma-3-27b", 27432406640, "HF total of google/gemma-3-27b-it"},
    {"llama-3.1-8b", 8030261248, "keras-hub llama3.1_8b; index total_size 16,060,522,496 B / 2"},
    {"llama-3.1-70b", 70553706496, "checkpoint 141,107,412,992 B / 2 (bf16)"},
    {"llama-3.2-3b", 3212749824, "HF total of meta-llama/Llama-3.2-3B-Instruct"},
    {"llama-3.3-70b", 70553706496, "HF total of meta-llama/Llama-3.3-70B-Instruct"},
    {"llama-4-scout", 108641793536, "HF safetensors BF16 parameters of Llama-4-Scout-17B-16E-Instruct"},
    {"llama-4-maverick", 401583781376, "Fireworks parameter_count of Llama-4-Maverick-17B-128E-Instruct"},
    {"gpt-oss-20b", 20914757184, "keras-hub gpt_oss_20b_en; model card Table 1: 20.91B"},
    {"gpt-oss-120b", 116829156672, "keras-hub gpt_oss_120b_en; model card Table 1: 116.83B"},
    {"glm-4.5", 358337791296, "HF total of zai-org/GLM-4.5 (its MTP layer included)"},
    {"glm-4.5-air", 110468824832, "HF total of zai-org/GLM-4.5-Air (its MTP layer included)"},
    {"glm-5", 753864139008, "HF total of zai-org/GLM-5 (bf16; its MTP layer included)"},
    // MiniMax-M2: every stored element of the M2.5 and M2.7 checkpoints (same
    // shapes), 228,703,644,928 as quoted in third-party reports (SOURCES.md),
    // holds 13,880,064 fp8 block scales (weight_scale_inv; hand count below).
    {"minimax-m2", 228703644928.0 - 13880064.0, "HF-style total of MiniMax-M2.5/M2.7 less its fp8 scale tensors"},
    {"mistral-nemo", 12247782400, "HF total of mistralai/Mistral-Nemo-Instruct-2407 (same architecture)"},
    {"mistral-small-3", 23572403200, "paramCount of Mistral-Small-24B-Instruct-2501 (same architecture)"},
    {"qwen2.5-vl-7b", 8292166656, "HF numParameters of Qwen/Qwen2.5-VL-7B-Instruct; ModelScope; mteb"},
    {"qwen3-vl-8b", 8767123696, "HF safetensors total of Qwen/Qwen3-VL-8B-Instruct; GGUF general.parameter_count"},
    {"qwen3-vl-30b-a3b", 31070754032, "paramCount of Qwen/Qwen3-VL-30B-A3B-Instruct; its 882 tensors summed"},
    {"mistral-small-3.1", 24011361280, "keras-hub mistral3 presets (3.1 base and instruct, 3.2 instruct); HF total"},
    {"mixtral-8x22b", 140620634112, "HF total of mistral-community/Mixtral-8x22B-v0.1"},
    {"phi-4", 14659507200, "HF total of microsoft/phi-4; GGUF general.parameter_count"},
};

}  // namespace

TEST_CASE("presets: at least 45, every one imports, every published total is exact") {
  CHECK(model_presets().size() >= 45);
  for (const ModelPreset& p : model_presets()) {
    CHECK_MESSAGE(p.imported, p.id);
    CHECK_MESSAGE(validate_model(p.config).status.ok, p.id);
  }
  for (const Published& row : kPublished) {
    INFO(row.id << ": " << row.source);
    CHECK(count_params(preset(row.id)).total == row.total);
  }
}

TEST_CASE("fixtures: the full config.json imports to the same model as its preset") {
  for (const ModelPreset& p : model_presets()) {
    const std::string text = fixture(p.id);
    if (text.empty()) continue;  // the older presets have no fixture
    INFO(p.id);
    const HfImport imported = import_hf_config(text);
    REQUIRE_MESSAGE(imported.status.ok, imported.status.message);
    const ModelParams a = count_params(imported.config), b = count_params(p.config);
    CHECK(a.total == b.total);
    CHECK(a.active == b.active);
    CHECK(kv_of(imported.config, 32768).bytes == kv_of(p.config, 32768).bytes);
    CHECK(imported.weights_format == p.weights_format);
  }
}

TEST_CASE("HF import: a model_type not known is read by the type its architectures class runs") {
  // Kimi K2 ships DeepSeek-V3's code under model_type "kimi_k2" (architectures
  // ["DeepseekV3ForCausalLM"]): the V3 file so renamed reads as V3 and says so.
  std::string renamed = fixture("deepseek-v3");
  const std::string type = "\"model_type\": \"deepseek_v3\"";
  REQUIRE(renamed.find(type) != std::string::npos);
  renamed.replace(renamed.find(type), type.size(), "\"model_type\": \"kimi_k2\"");
  const HfImport by_class = import_hf_config(renamed);
  REQUIRE_MESSAGE(by_class.status.ok, by_class.status.message);
  CHECK(by_class.model_type == "kimi_k2");
  CHECK(count_params(by_class.config).total == count_params(preset("deepseek-v3")).total);
  CHECK(count_params(by_class.config).active == count_params(preset("deepseek-v3")).active);
  CHECK(by_class.weights_format == "fp8_block");
  bool said = false;
  for (const std::string& line : by_class.assumed)
    said = said || line ==
                       "architecture: read as deepseek_v3, the type DeepseekV3ForCausalLM (architectures) runs, "
                       "since model_type \"kimi_k2\" is not known";
  CHECK(said);

  // Kimi K2 itself (moonshotai/Kimi-K2-Instruct's config.json, SOURCES.md):
  // DeepSeek-V3's shapes with 64 heads, 384 experts, one dense layer, no MTP.
  const HfImport kimi = import_hf_config(fixture("kimi-k2-instruct"));
  REQUIRE_MESSAGE(kimi.status.ok, kimi.status.message);
  const ModelParams k = count_params(kimi.config);
  // Hand count per layer: q_a 7168x1536 = 11,010,048; q_b 1536x(64x192) =
  // 18,874,368; kv_a 7168x576 = 4,128,768; kv_b 512x(64x256) = 8,388,608;
  // o 8192x7168 = 58,720,256; latent norms 1536 + 512.
  const double mla = 11010048.0 + 18874368 + 4128768 + 8388608 + 58720256 + 2048;
  const double expert = 3 * 7168.0 * 2048;   // 44,040,192
  const double router = 384 * 7168.0 + 384;  // gate and its score-correction bias
  const double dense = mla + 3 * 7168.0 * 18432 + 2 * 7168;
  const double moe = mla + 384 * expert + expert + router + 2 * 7168;
  const double vocab = 163840.0 * 7168;  // embedding, and again the untied head
  CHECK(k.total == 2 * vocab + 7168 + dense + 60 * moe);
  CHECK(k.total == 1026408232448.0);
  // Published: 1,026,408,235,864 (Hugging Face's safetensors total, SOURCES.md),
  // 3,416 = 61 x 56 more than this count; the difference is not explained here.
  CHECK(k.active == 2 * vocab + 7168 + dense + 60 * (moe - 376 * expert));  // 8 of 384 routed
  CHECK(k.mtp == 0.0);
  CHECK(kv_of(kimi.config, 32768).bytes_per_token == 61 * 576 * 2);
  CHECK(kimi.weights_format == "fp8_block");

  // Any entry of architectures that names a known class, in order; a class not
  // known leaves the old rule: count-changing keys refused, a plain file llama-style.
  const HfImport second = import_hf_config(R"({"model_type": "my_moe", "architectures": ["MyMoe", "MixtralForCausalLM"],
    "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 8, "num_local_experts": 8, "num_experts_per_tok": 2, "vocab_size": 32000})");
  REQUIRE_MESSAGE(second.status.ok, second.status.message);
  CHECK(count_params(second.config).total == 46702792704.0);  // Mixtral 8x7B
  const HfImport unknown_class = import_hf_config(R"({"model_type": "my_moe", "architectures": ["MyMoe"],
    "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_local_experts": 8, "vocab_size": 32000})");
  CHECK(unknown_class.status.field == "model_type");
  const HfImport ill_typed = import_hf_config(R"({"model_type": "x", "architectures": "LlamaForCausalLM",
    "n_experts": 8, "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100})");
  CHECK(ill_typed.status.field == "model_type");  // a string, not an array: no class is named
  // A known model_type wins over its architectures.
  const HfImport known = import_hf_config(R"({"model_type": "gpt2", "architectures": ["LlamaForCausalLM"],
    "n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257})");
  REQUIRE(known.status.ok);
  CHECK(count_params(known.config).total == 124439808.0);
}

TEST_CASE("GLM-4.5: GQA with q, k, v biases, dense then MoE layers, a fused shared expert, the MTP layer") {
  // Hand count from Glm4MoeForCausalLM's tensors (transformers' modeling_glm4_moe.py;
  // the MTP layer as vLLM's glm4_moe_mtp.py stores it) for hidden h, vocab v, layers l,
  // dense layers k, 96 heads and 8 KV heads of 128, widths i (dense) and m (expert), e experts.
  auto hand_count = [](double h, double v, double l, double k, double i, double m, double e, bool qk_norm) {
    const double attention = 96 * 128 * h + 96 * 128 + 2 * (8 * 128 * h + 8 * 128) + h * 96 * 128 +  // o: no bias
                             (qk_norm ? 2 * 128 : 0);
    const double moe = e * h + e + e * 3 * h * m + 3 * h * m;  // router, its score bias, experts, shared
    const double layer = attention + 2 * h;
    const double main = 2 * v * h + h + l * layer + k * 3 * h * i + (l - k) * moe;
    const double mtp = layer + moe + 3 * h + 2 * h * h + 2 * v * h;  // enorm, hnorm, head norm, eh_proj, copies
    return main + mtp;
  };
  // GLM-4.5-Air's config.json (SOURCES.md); published 110,468,824,832 (HF total, MTP layer included).
  const std::string air_text = fixture("glm-4.5-air");
  const HfImport air = import_hf_config(air_text);
  REQUIRE_MESSAGE(air.status.ok, air.status.message);
  CHECK(count_params(air.config).total == hand_count(4096, 151552, 46, 1, 10944, 1408, 128, false));
  CHECK(count_params(air.config).total == 110468824832.0);
  // KV: 8 KV heads x 128 x (K, V) x 2 B x 46 layers.
  CHECK(kv_of(air.config, 32768).bytes_per_token == 46 * 8 * 128 * 2 * 2);

  // GLM-4.5: the Air file with GLM-4.5's shapes (SOURCES.md) and QK-norm; published 358,337,791,296.
  std::string text = air_text;
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"hidden_size\": 4096", "\"hidden_size\": 5120"},
           {"\"intermediate_size\": 10944", "\"intermediate_size\": 12288"},
           {"\"moe_intermediate_size\": 1408", "\"moe_intermediate_size\": 1536"},
           {"\"n_routed_experts\": 128", "\"n_routed_experts\": 160"},
           {"\"first_k_dense_replace\": 1", "\"first_k_dense_replace\": 3"},
           {"\"num_hidden_layers\": 46", "\"num_hidden_layers\": 92"},
           {"\"use_qk_norm\": false", "\"use_qk_norm\": true"}}) {
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
  }
  const HfImport glm = import_hf_config(text);
  REQUIRE_MESSAGE(glm.status.ok, glm.status.message);
  const ModelParams p = count_params(glm.config);
  CHECK(p.total == hand_count(5120, 151552, 92, 3, 12288, 1536, 160, true));
  CHECK(p.total == 358337791296.0);
  REQUIRE(p.layer_kinds.size() == 2);
  CHECK(p.layer_kinds[0].count == 3);
  CHECK(p.layer_kinds[1].count == 89);
  // Active (main model, as for DeepSeek-V3): 8 of 160 routed experts and the shared one in 89 layers.
  CHECK(p.active == p.language_model - 152 * 3 * 5120.0 * 1536 * 89);
}

TEST_CASE("MiniMax-M2: GQA with Q/K norms over the whole projections, 256 experts in every layer, no MTP weights") {
  // MiniMax-M2.7's config.json (tests/fixtures/hf/minimax-m2.json; M2's shapes).
  const HfImport m2 = import_hf_config(fixture("minimax-m2"));
  REQUIRE_MESSAGE(m2.status.ok, m2.status.message);
  const double d = 3072, q = 48 * 128, kv = 8 * 128, expert = 3 * 1536 * d;
  const double attention = d * q + 2 * d * kv + q * d + q + kv;           // projections, q_norm and k_norm
  const double layer = attention + 2 * d + 256 * d + 256 + 256 * expert;  // two norms, router and its score bias
  const double vocab = 200064 * d;                                        // embedding, and again the untied head
  const ModelParams p = count_params(m2.config);
  CHECK(p.total == 2 * vocab + d + 62 * layer);
  CHECK(p.total == 228689764864.0);
  CHECK(p.active == p.total - 62 * 248 * expert);  // 8 of 256 routed
  CHECK(p.active == 11030553088.0);
  CHECK(p.mtp == 0.0);
  // The published checkpoint total also holds one fp32 scale per 128 x 128 block of every fp8 matrix:
  // per expert gate and up 12 x 24 each, down 24 x 12; q 48 x 24, k and v 8 x 24, o 24 x 48.
  const double scales = 62 * (256 * (3 * 12 * 24) + 48 * 24 + 2 * 8 * 24 + 24 * 48);
  CHECK(p.total + scales == 228703644928.0);
  CHECK(m2.weights_format == "fp8_block");
  CHECK(kv_of(m2.config, 32768).bytes_per_token == 62 * 2 * kv * 2);
  bool mtp_said = false;
  for (const std::string& line : m2.assumed) mtp_said = mtp_said || line.rfind("num_mtp_modules: not counted", 0) == 0;
  CHECK(mtp_said);

  // qk_norm_type "per_head": one norm of head_dim for Q, one for K.
  std::string per_head = fixture("minimax-m2");
  per_head.replace(per_head.find("\"per_layer\""), 11, "\"per_head\"");
  const HfImport heads = import_hf_config(per_head);
  REQUIRE(heads.status.ok);
  CHECK(p.total - count_params(heads.config).total == 62 * (q + kv - 2 * 128));
  // A lightning-attention layer (MiniMax-Text-01's 0) or a shared expert is refused, not counted as something else.
  const std::string dense = R"("model_type": "minimax_m2", "hidden_size": 64, "intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "num_hidden_layers": 2,
    "num_local_experts": 4, "num_experts_per_tok": 2, "vocab_size": 100)";
  CHECK(import_hf_config("{" + dense + R"(, "attn_type_list": [0, 1]})").status.field == "attn_type_list");
  CHECK(import_hf_config("{" + dense + R"(, "shared_intermediate_size": 64})").status.field ==
        "shared_intermediate_size");
  CHECK(import_hf_config("{" + dense + R"(, "qk_norm_type": "per_token"})").status.field == "qk_norm_type");
  const HfImport plain = import_hf_config("{" + dense + R"(, "attn_type_list": [1, 1], "use_qk_norm": false})");
  REQUIRE(plain.status.ok);
  CHECK(count_params(plain.config).attention_norms == 0);
}

TEST_CASE("Mistral Small 3.1: Mistral's layers, the Pixtral encoder and the patch-merging projector") {
  // The 3.2-era config.json (tests/fixtures/hf/mistral-small-3.1.json; 3.1 has the same shapes).
  const HfImport m = import_hf_config(fixture("mistral-small-3.1"));
  REQUIRE_MESSAGE(m.status.ok, m.status.message);
  const double d = 5120, vocab = 131072 * d;
  const double layer = d * 4096 + 2 * d * 1024 + 4096 * d + 3 * d * 32768 + 2 * d;  // q (32 x 128), k, v, o, FFN, norms
  const double text = 2 * vocab + 40 * layer + d;                                   // untied: the head is stored
  const double hv = 1024;
  const double tower = 3 * 14 * 14 * hv + hv + 24 * (4 * hv * hv + 3 * hv * 4096 + 2 * hv);  // conv, ln_pre, layers
  const double projector = hv + 4 * hv * hv + hv * d + d * d;  // norm, 2 x 2 patch merger, linear_1, linear_2
  const ModelParams p = count_params(m.config);
  CHECK(text == 23572403200.0);  // keras-hub's Devstral Small 1.1, the same language model
  CHECK(p.total == text + tower + projector);
  CHECK(p.total == 24011361280.0);
  CHECK(p.vision == tower);
  CHECK(p.projector == projector);
  // An image of 1540 x 1540: 110 x 110 patches, merged 2 x 2 into 55 x 55 tokens, and 55 row ends.
  CHECK(m.config.image_tokens == 55 * 55 + 55);
  const double patches = 110 * 110, tokens = 55 * 55;
  CHECK(m.config.vision_flops_per_image ==
        2 * patches * 3 * 14 * 14 * hv +
            24 * (2 * patches * (4 * hv * hv + 3 * hv * 4096) + 4 * patches * patches * hv) +
            2 * tokens * (4 * hv * hv + hv * d + d * d));
  CHECK(kv_of(m.config, 32768).bytes_per_token == 40 * 2 * 8 * 128 * 2);

  // Ministral 3 (text_config ministral3): Mistral's layers, tied when its text_config says so.
  const std::string vision = R"("vision_config": {"hidden_size": 64, "image_size": 112, "intermediate_size": 128,
    "num_hidden_layers": 2, "patch_size": 14})";
  const HfImport tied = import_hf_config(R"({"model_type": "mistral3", "text_config": {"model_type": "ministral3",
    "hidden_size": 256, "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "head_dim": 64, "vocab_size": 1000, "tie_word_embeddings": true}, )" +
                                         vision + "}");
  REQUIRE_MESSAGE(tied.status.ok, tied.status.message);
  CHECK(tied.config.tied_embeddings);
  CHECK(tied.config.sliding_window == 0);
  CHECK(count_params(tied.config).embedding == 1000 * 256);
  // Mistral Large 3's DeepSeek-V3 layers are not read as Mistral's; a missing text_config is named.
  const HfImport large = import_hf_config(R"({"model_type": "mistral3", "text_config": {"model_type": "deepseek_v3",
    "hidden_size": 256}, )" + vision + "}");
  CHECK(large.status.field == "text_config.model_type");
  CHECK(import_hf_config(R"({"model_type": "mistral3", )" + vision + "}").status.field == "text_config");
  const HfImport biased = import_hf_config(R"({"model_type": "mistral3", "multimodal_projector_bias": true,
    "text_config": {"hidden_size": 256, "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 1000, "sliding_window": null}, )" +
                                           vision + "}");
  REQUIRE_MESSAGE(biased.status.ok, biased.status.message);
  CHECK(biased.config.projector_params == 64 + 4 * 64 * 64 + 64 * 256 + 256 * 256 + 2 * 256);
}

TEST_CASE("Qwen2.5-VL and Qwen3-VL: the language model, the vision encoder and its mergers, by hand") {
  // Qwen2.5-VL-3B's config.json as first released: text fields at the root, tied.
  const HfImport q25 = import_hf_config(fixture("qwen2.5-vl-3b"));
  REQUIRE_MESSAGE(q25.status.ok, q25.status.message);
  const double h = 1280, ff = 3420, m = 4 * h;  // m: one merged token (2 x 2 patches)
  const double block25 = 2 * h + (4 * h * h + 4 * h) + (3 * h * ff + 2 * ff + h);  // RMSNorms, qkv + proj, gated MLP
  const double tower25 = 3 * 2 * 14 * 14 * h + 32 * block25;                       // Conv3d without bias
  auto merger = [&](double out) { return m * m + m + m * out + out; };
  const ModelParams p25 = count_params(q25.config);
  CHECK(p25.vision == tower25);
  CHECK(p25.projector == h + merger(2048));
  CHECK(p25.total == 3754622976.0);  // mteb and ModelScope
  CHECK(p25.total - p25.vision - p25.projector == 3085938688.0);
  // A 1024 x 1024 image: round(1024 / 28) = 37 blocks a side, 37^2 tokens and vision_start, vision_end.
  CHECK(q25.config.image_tokens == 37 * 37 + 2);
  const double patches25 = 74 * 74;
  CHECK(q25.config.vision_flops_per_image ==
        2 * patches25 * 3 * 2 * 14 * 14 * h + 32 * 2 * patches25 * (4 * h * h + 3 * h * ff) +
            4 * (4 * patches25 * patches25 * h) + 28 * (4 * patches25 * 64 * h) + 2 * 37 * 37 * (m * m + m * 2048));

  // Qwen3-VL-8B (text_config, untied): conv bias, position table, LayerNorms, a two-matrix MLP, 3 deepstack mergers.
  const HfImport q3 = import_hf_config(fixture("qwen3-vl-8b"));
  REQUIRE_MESSAGE(q3.status.ok, q3.status.message);
  const double v = 1152, vf = 4304, vm = 4 * v;
  const double block3 = 4 * v + (4 * v * v + 4 * v) + (2 * v * vf + vf + v);
  const double merger3 = vm * vm + vm + vm * 4096 + 4096;
  const ModelParams p3 = count_params(q3.config);
  CHECK(p3.vision == 3 * 2 * 16 * 16 * v + v + 2304 * v + 27 * block3);
  CHECK(p3.projector == 2 * v + merger3 + 3 * (2 * vm + merger3));
  CHECK(p3.vision + p3.projector == 576388336.0);
  CHECK(p3.total - p3.vision - p3.projector == count_params(preset("qwen3-8b")).total);  // Qwen3-8B's language model
  CHECK(q3.config.image_tokens == 32 * 32 + 2);

  // The root decides tying (Qwen3-VL-30B-A3B's checkpoint stores its head whatever text_config says).
  std::string moe = fixture("qwen3-vl-30b-a3b");
  moe.replace(moe.find("\"vocab_size\": 151936"), 20, "\"vocab_size\": 151936, \"tie_word_embeddings\": true");
  const HfImport untied = import_hf_config(moe);
  REQUIRE_MESSAGE(untied.status.ok, untied.status.message);
  CHECK_FALSE(untied.config.tied_embeddings);
  CHECK(count_params(untied.config).total == 31070754032.0);
  // Vision sizes must be whole numbers (a fractional depth or a negative width is named, never counted).
  for (const char* edit : {"\"depth\": 27.5", "\"intermediate_size\": -4304", "\"in_channels\": 0"}) {
    std::string text = fixture("qwen3-vl-8b");
    const std::string key = std::string(edit).substr(0, std::string(edit).find(':'));
    const size_t at = text.find(key, text.find("vision_config"));
    text.replace(at, text.find_first_of(",\n", at) - at, edit);
    const HfImport bad = import_hf_config(text);
    CHECK_MESSAGE(bad.status.field == "vision_config." + key.substr(1, key.size() - 2), edit, bad.status.message);
  }
  // A merger that does not land on the language model's width is refused.
  std::string wrong = fixture("qwen3-vl-8b");
  wrong.replace(wrong.find("\"out_hidden_size\": 4096"), 23, "\"out_hidden_size\": 2048");
  CHECK(import_hf_config(wrong).status.field == "vision_config.out_hidden_size");
}

TEST_CASE("DeepSeek-V3: MLA, 3 dense + 58 MoE layers, shared expert, MTP, fp8 blocks") {
  const ModelConfig& c = preset("deepseek-v3");
  const ModelParams p = count_params(c);
  // Per layer (hand count from config.json): MLA q_a 7168x1536 + q_b 1536x(128x192)
  // = 11,010,048 + 37,748,736; kv_a 7168x576 = 4,128,768; kv_b 512x(128x256) =
  // 16,777,216; o 16384x7168 = 117,440,512; latent norms 1536 + 512.
  const double attention = 11010048.0 + 37748736 + 4128768 + 16777216 + 117440512 + 2048;
  // Dense FFN 3x7168x18432 = 396,361,728; MoE: 256 experts x 3x7168x2048 =
  // 11,274,289,152, shared 44,040,192, router 256x7168 + score bias 256 = 1,835,264.
  const double dense_layer = attention + 396361728 + 2 * 7168;
  const double moe_layer = attention + 11274289152.0 + 44040192 + 1835264 + 2 * 7168;
  const double embedding = 129280.0 * 7168;  // = the LM head
  const double main = 2 * embedding + 7168 + 3 * dense_layer + 58 * moe_layer;
  CHECK(p.language_model == main);
  CHECK(p.language_model == 671026419200.0);
  // MTP layer 61: enorm, hnorm, shared_head.norm, eh_proj 14336x7168, one MoE layer,
  // and its stored copies of the embedding and head: 13,463,426,304.
  CHECK(p.mtp == 3 * 7168 + 14336.0 * 7168 + moe_layer + 2 * embedding);
  CHECK(p.mtp == 13463426304.0);
  // Active: embedding, head, final norm, 3 dense layers, 58 layers of attention
  // + 8 routed + 1 shared expert + router (the Mixtral convention).
  const double moe_active = attention + 8 * 3 * 7168.0 * 2048 + 44040192 + 1835264 + 2 * 7168;
  CHECK(p.active == 2 * embedding + 7168 + 3 * dense_layer + 58 * moe_active);
  REQUIRE(p.layer_kinds.size() == 2);
  CHECK(p.layer_kinds[0].count == 3);
  CHECK(p.layer_kinds[1].count == 58);
  // KV: (512 + 64) bf16 values per token per layer, 61 layers = 70,272 B/token;
  // without absorption: 128 heads x (192 + 128) x 2 B x 61 = 4,997,120.
  const KvCacheResult kv = kv_of(c, 32768);
  CHECK(kv.bytes_per_token == 61 * 576 * 2);
  CHECK(kv.unabsorbed_bytes_per_token == 61.0 * 128 * 320 * 2);
  CHECK(kv.bytes == 32768.0 * 61 * 576 * 2);
  CHECK(find_model_preset("deepseek-v3")->weights_format == "fp8_block");
  // The comparison's MHA row is those per-head K and V: the bytes MLA saves.
  KvCacheInput workload;
  workload.kv_dtype = "bf16";
  const KvCompareResult compare = kv_compare(kv_input_of_model(c, workload).input);
  REQUIRE(compare.status.ok);
  CHECK(compare.variants.front().id == "mha");
  CHECK(compare.variants.front().bytes_per_token == 61.0 * 128 * 320 * 2);
  CHECK(compare.variants.back().id == "mla");
  CHECK(compare.variants.back().bytes_per_token == 61 * 576 * 2);
}

TEST_CASE("DeepSeek-V3.2: V3 plus sparse attention's indexer in every layer and the MTP layer") {
  const ModelConfig& c = preset("deepseek-v3.2");
  const ModelParams p = count_params(c), v3 = count_params(preset("deepseek-v3"));
  // The lightning indexer (inference/model.py, Indexer): wq_b 1536 -> 64 x 128,
  // wk 7168 -> 128, k_norm LayerNorm(128) weight + bias, weights_proj 7168 -> 64.
  const double indexer_matrices = 1536.0 * 64 * 128 + 7168.0 * 128 + 7168.0 * 64;
  const double indexer = indexer_matrices + 2 * 128;
  CHECK(indexer == 13959424);
  CHECK(p.attention_indexer == 61 * indexer);
  CHECK(p.language_model == v3.language_model + 61 * indexer);
  CHECK(p.mtp == v3.mtp + indexer);  // the checkpoint's layer 61 carries one too
  CHECK(p.total == 685355329792.0);
  CHECK(p.active == v3.active + 61 * indexer);
  // The checkpoint's fp32 block scales (ceil(out / 128) x ceil(in / 128) per fp8
  // matrix): V3's 41,540,496, plus wq_b 64 x 12 and wk 1 x 56 in 62 layers; with
  // them, every stored element: the audited 685,396,921,376.
  const double scales = 41540496.0 + 62 * (64 * 12 + 1 * 56);
  CHECK(scales == 41591584);
  CHECK(p.total + scales == 685396921376.0);
  CHECK(p.layer_kinds[1].kind == "MoE · MLA · full · sparse top 2048");

  // KV: the 512 + 64 latent, and the indexer's 128 fp8 keys with one fp32
  // scale (132 B) whatever kv_dtype is (DeepSeek's k_cache and k_scale_cache, vLLM, SGLang).
  const KvCacheResult kv = kv_of(c, 32768);
  CHECK(kv.indexer_bytes_per_token_per_layer == 132);
  CHECK(kv.bytes_per_token == 61 * (576 * 2 + 132));
  CHECK(kv.bytes == 32768.0 * 61 * 1284);
  CHECK(kv.unabsorbed_bytes_per_token == 61.0 * (128 * 320 * 2 + 132));
  CHECK(kv_of(c, 32768, "fp8").bytes_per_token == 61 * (576 + 132));

  // FLOPs: the attention reads min(n, 2048) keys (absorbed MLA: 128 x (2 x 576 +
  // 2 x 512) = 278,528 per key); the indexer scores all n: 2 x 64 x 128 q.k and
  // 2 x 64 for the head-weighted sum = 16,512 per key.
  const double per_key = 128.0 * (2 * 576 + 2 * 512), indexer_per_key = 2.0 * 64 * 128 + 2 * 64;
  const ValidModel m = model_of(c), m3 = model_of(preset("deepseek-v3"));
  for (double n : {1.0, 1000.0, 2048.0, 2049.0, 32768.0}) {
    INFO("n = " << n);
    const DecodeFlops dec = decode_flops(m, n);
    CHECK(dec.split.attention_scores == 61 * (per_key * std::min(n, 2048.0) + indexer_per_key * n));
    CHECK(dec.attended_tokens == std::min(n, 2048.0));
    CHECK(dec.split.attention_projections ==
          decode_flops(m3, n).split.attention_projections + 61 * 2 * indexer_matrices);
    // Prefill: token i attends min(i, 2048) keys; the indexer scores all i.
    const double pairs = n > 2048 ? 2048.0 * 2049 / 2 + (n - 2048) * 2048 : n * (n + 1) / 2;
    CHECK(prefill_flops(m, n).split.attention_scores == 61 * (per_key * pairs + indexer_per_key * n * (n + 1) / 2));
  }
  // The crossover solves attention = FFN on the piecewise-linear cost (the top-k cap, then the indexer alone).
  const Crossover crossover = decode_crossover(m);
  REQUIRE(crossover.exists);
  const FlopSplit at = decode_flops(m, crossover.context_tokens).split;
  CHECK(at.attention == doctest::Approx(at.ffn).epsilon(1e-12));

  // Roofline at decode, batch 1, 32K: the attention reads 2048 latents (bf16),
  // the indexer every key (132 B); the indexer is not split by tensor parallelism.
  Workload w;
  w.model = c;
  w.hardware = *find_hardware("h200");
  w.kv_dtype = "bf16";
  w.context = 32768;
  w.batch = 1;
  const RooflineResult r = roofline(w);
  REQUIRE_MESSAGE(r.status.ok, r.status.message);
  auto decode_op = [&](const std::string& name) {
    for (const OperatorCost& op : r.operators)
      if (op.phase == "decode" && op.name == name) return op;
    FAIL("no decode operator " << name);
    return OperatorCost{};
  };
  CHECK(decode_op("scores").kv_bytes == 2048.0 * 1152);
  CHECK(decode_op("indexer_scores").kv_bytes == 32768.0 * 132);
  CHECK(decode_op("indexer_scores").flops == indexer_per_key * 32768);
  CHECK_FALSE(decode_op("indexer_scores").tensor_parallel);
  CHECK(decode_op("indexer_k").kv_bytes == 132);

  // On 8 devices each holds an eighth of the weights but the whole indexers (in bf16: 61 x 13,959,424 x 2 B).
  w.gpus = 8;
  w.weights_dtype = "bf16";
  const PlanResult eight = plan(w);
  REQUIRE(eight.status.ok);
  const double indexers = 61 * indexer * 2;
  CHECK(eight.weights_per_device_bytes ==
        doctest::Approx((eight.weight_bytes - indexers) / 8 + indexers).epsilon(1e-15));

  // Refused: an indexer without MLA's query latent, a half-set indexer, and V3's type with indexer keys.
  ModelConfig no_latent = c;
  no_latent.q_lora_rank = 0;
  CHECK(validate_model(no_latent).status.field == "indexer_heads");
  ModelConfig half = c;
  half.indexer_topk = 0;
  CHECK(validate_model(half).status.field == "indexer_topk");
  std::string misnamed = fixture("deepseek-v3.2");
  misnamed.replace(misnamed.find("\"deepseek_v32\""), 14, "\"deepseek_v3\"");
  misnamed.replace(misnamed.find("DeepseekV32ForCausalLM"), 22, "DeepseekV3ForCausalLM");
  const HfImport refused = import_hf_config(misnamed);
  CHECK(refused.status.field == "index_topk");
}

TEST_CASE("GLM-5: DeepSeek-V3's MLA and MoE, V3.2's indexer, an MTP layer without embedding copies") {
  const ModelConfig& c = preset("glm-5");
  const ModelParams p = count_params(c);
  // Per layer (config.json): MLA q_a 6144 x 2048, q_b 2048 x 64 x (192 + 64), kv_a 6144 x 576,
  // kv_b 512 x 64 x (192 + 256), o 64 x 256 x 6144, latent norms 2048 + 512.
  const double mla = 6144.0 * 2048 + 2048.0 * 64 * 256 + 6144.0 * 576 + 512.0 * 64 * 448 + 64.0 * 256 * 6144 + 2560;
  CHECK(mla == 165022208);
  // Indexer: wq_b 2048 x 32 x 128, wk 6144 x 128, k_norm 2 x 128, weights_proj 6144 x 32.
  const double indexer = 2048.0 * 32 * 128 + 6144.0 * 128 + 256 + 6144.0 * 32;
  CHECK(indexer == 9371904);
  const double attention = mla + indexer + 2 * 6144;  // and the layer's two RMSNorms
  const double dense = 3 * 6144.0 * 12288;
  // MoE: 256 routed and 1 shared expert of 3 x 6144 x 2048, router 256 x 6144 + its score bias 256.
  const double moe = 257 * 3 * 6144.0 * 2048 + 256 * 6144.0 + 256;
  CHECK(moe == 9702998272);
  const double embedding = 154880.0 * 6144;
  const double main = 2 * embedding + 6144 + 78 * attention + 3 * dense + 75 * moe;
  CHECK(p.language_model == main);
  CHECK(p.language_model == 743911218432.0);  // the card's "744B": the model without its MTP layer
  // MTP layer 78: enorm, hnorm, shared_head.norm, eh_proj 12288 x 6144, one MoE layer with its indexer;
  // no stored embedding or head (GLM-5.1's tensor list has neither).
  CHECK(p.mtp == 3 * 6144 + 12288.0 * 6144 + attention + moe);
  CHECK(p.total == 753864139008.0);
  CHECK(p.attention_indexer == 78 * indexer);
  // KV per token in bf16: 78 x (576 x 2 + the 132 B indexer key).
  CHECK(kv_of(c, 32768).bytes_per_token == 78 * (1152 + 132));
  // GLM-5.2's shared indexers (index_topk_freq 4) are refused, not counted as 78 indexers.
  std::string shared = fixture("glm-5");
  shared.insert(shared.find("\"index_topk\""), "\"index_topk_freq\": 4, ");
  CHECK(import_hf_config(shared).status.field == "index_topk_freq");
}

TEST_CASE("per-layer spans: gpt-oss, Gemma 2/3, Llama 4 cache what their layers attend") {
  SUBCASE("gpt-oss-120b: 18 sliding (128) + 18 full layers, sinks, biases") {
    const ModelConfig& c = preset("gpt-oss-120b");
    // K and V: 8 heads x 64 x 2 B = 2,048 B per layer per token.
    const KvCacheResult kv = kv_of(c, 32768);
    CHECK(kv.local_layers == 18);
    CHECK(kv.global_layers == 18);
    CHECK(kv.bytes_per_sequence == 2048.0 * (18 * 32768 + 18 * 128));
    // Model card, Table 1: 5.13B active without the embedding (5,132,849,472);
    // the Mixtral convention adds the 201088 x 2880 embedding table.
    CHECK(count_params(c).active == 5132849472.0 + 201088.0 * 2880);
    CHECK(count_params(c).attention_sinks == 36 * 64);
    // quantization_config: MXFP4 experts; attention, router, embedding and head in bf16.
    CHECK(find_model_preset("gpt-oss-120b")->weights_format == "mxfp4");
    CHECK(find_model_preset("gpt-oss-120b")->weights_keep == "attention,router,embedding,lm_head");
  }
  SUBCASE("Gemma 3 27B: one global layer in six") {
    const ModelConfig& c = preset("gemma-3-27b");
    // 62 layers: global at i = 5, 11, ..., 59 (10 of them), window 1024.
    const KvCacheResult kv = kv_of(c, 32768);
    CHECK(kv.global_layers == 10);
    CHECK(kv.local_layers == 52);
    // 16 KV heads x 128 x 2 (K, V) x 2 B = 8,192 B per layer per token.
    CHECK(kv.bytes_per_sequence == 8192.0 * (10 * 32768 + 52 * 1024));
    CHECK(count_params(c).vision == 416866032);  // SigLIP 896/14, the report's "417M"
  }
  SUBCASE("Gemma 2 9B: alternating local (4096) and global") {
    const KvCacheResult kv = kv_of(preset("gemma-2-9b"), 8192);
    CHECK(kv.global_layers == 21);
    CHECK(kv.local_layers == 21);
  }
  SUBCASE("Llama 4 Scout: chunked layers keep one chunk, every 4th layer is global") {
    const ModelConfig& c = preset("llama-4-scout");
    const KvCacheResult kv = kv_of(c, 32768);
    CHECK(kv.chunked_layers == 36);
    CHECK(kv.global_layers == 12);
    // 8 KV heads x 128 x 2 x 2 B = 4,096 B per layer per token; chunk 8192.
    CHECK(kv.bytes_per_sequence == 4096.0 * (12 * 32768 + 36 * 8192));
    // Decode at n keys: a chunked layer attends ((n - 1) mod 8192) + 1 of them.
    const ValidModel m = model_of(c);
    const DecodeFlops at = decode_flops(m, 8193);
    CHECK(at.attended_tokens == (12 * 8193.0 + 36 * 1) / 48);
  }
}

TEST_CASE("import: refusals name the fields, defaults follow the transformers classes") {
  SUBCASE("an unknown MoE type is refused, naming its count-changing keys") {
    const HfImport r = import_hf_config(
        R"({"model_type":"brand_new_moe","vocab_size":1000,"hidden_size":64,"num_hidden_layers":2,)"
        R"("num_attention_heads":4,"intermediate_size":128,"num_experts":8,"moe_intermediate_size":32})");
    CHECK_FALSE(r.status.ok);
    CHECK(r.status.field == "model_type");
    CHECK(r.status.message.find("num_experts") != std::string::npos);
    CHECK(r.status.message.find("moe_intermediate_size") != std::string::npos);
  }
  SUBCASE("an unknown dense type is read llama-style, with the assumption listed") {
    const HfImport r =
        import_hf_config(R"({"model_type":"plain_dense","vocab_size":1000,"hidden_size":64,"num_hidden_layers":2,)"
                         R"("num_attention_heads":4,"intermediate_size":128})");
    REQUIRE(r.status.ok);
    bool said = false;
    for (const std::string& line : r.assumed) said = said || line.find("llama-style") != std::string::npos;
    CHECK(said);
  }
  SUBCASE("deep nesting is refused before parsing") {
    std::string deep = R"({"model_type":"llama","x":)";
    for (int i = 0; i < 10000; ++i) deep += "[";
    const HfImport r = import_hf_config(deep);
    CHECK(r.status.field == "config_json");
    CHECK(r.status.message.find("nests deeper") != std::string::npos);
    // Brackets inside a string (past an escaped quote) are text, not nesting.
    const HfImport quoted =
        import_hf_config(R"({"model_type":"llama","note":"\")" + std::string(100, '[') + R"(","hidden_size":1e400})");
    CHECK(quoted.status.message.find("the number 1e400 on line 1") != std::string::npos);
  }
  SUBCASE("a number beyond double range is named with its line, not called invalid JSON") {
    const HfImport r =
        import_hf_config("{\"model_type\": \"llama\",\n \"note\": \"1e999 in a string\",\n \"hidden_size\": 1e400}");
    CHECK(r.status.field == "config_json");
    CHECK(r.status.message == "config.json: the number 1e400 on line 3 is beyond double range (largest about 1.8e308)");
    const HfImport digits = import_hf_config("{\"vocab_size\": -" + std::string(400, '9') + "}");
    CHECK(digits.status.message == "config.json: the number -" + std::string(39, '9') +
                                       "… on line 1 is beyond double range (largest about 1.8e308)");
    // An underflow is a number (0 or a denormal), and broken JSON stays broken JSON.
    CHECK(import_hf_config(R"({"x": 1e-400)").status.message == "config.json is not valid JSON");
  }
  SUBCASE("Gemma 3 text_config with every field defaulted is Gemma3TextConfig()") {
    const HfImport r = import_hf_config(R"({"model_type":"gemma3","text_config":{},"vision_config":{}})");
    REQUIRE(r.status.ok);
    CHECK(r.config.vocab_size == 262208);
    CHECK(r.config.head_dim == 256);
    CHECK(r.config.sandwich_norms);
    CHECK(r.config.qk_norm);
  }
  SUBCASE("Qwen3 defaults head_dim to 128 whatever hidden / heads is") {
    const HfImport r =
        import_hf_config(R"({"model_type":"qwen3","vocab_size":1000,"hidden_size":1024,"num_hidden_layers":2,)"
                         R"("num_attention_heads":16,"intermediate_size":128})");
    REQUIRE(r.status.ok);
    CHECK(r.config.head_dim == 128);
  }
  SUBCASE("a bad entry of layer_types is named") {
    const HfImport r = import_hf_config(
        R"({"model_type":"gpt_oss","num_hidden_layers":2,"layer_types":["sliding_attention","global"]})");
    CHECK(r.status.field == "layer_types");
  }
  SUBCASE("DeepSeek-V2 without num_experts_per_tok is refused (the class has no default)") {
    const HfImport r = import_hf_config(R"({"model_type":"deepseek_v2","n_routed_experts":8})");
    CHECK(r.status.field == "num_experts_per_tok");
  }
}

// Shapes of real configs of types the import does not know (transformers'
// configuration_<type>.py and the published config.json files).
TEST_CASE("import of an unknown type: refused where a llama-style count would be wrong, else read as the file says") {
  auto refused_naming = [](const std::string& text, std::initializer_list<const char*> keys) {
    const HfImport r = import_hf_config(text);
    CHECK(r.status.field == "model_type");
    for (const char* key : keys) CHECK_MESSAGE(r.status.message.find(key) != std::string::npos, key, r.status.message);
  };
  SUBCASE("a non-SiLU activation or a LayerNorm: the FFN or the norms are not llama's") {
    // microsoft/phi-2: fc1/fc2 (two matrices), LayerNorm; read llama-style it counted 3.62e9, not 2.78e9.
    refused_naming(R"({"model_type": "phi", "hidden_act": "gelu_new", "hidden_size": 2560, "intermediate_size": 10240,
      "layer_norm_eps": 1e-05, "num_attention_heads": 32, "num_hidden_layers": 32, "vocab_size": 51200})",
                   {"hidden_act = \"gelu_new\" (not SiLU", "layer_norm_eps (LayerNorm"});
    // bigcode/starcoder2-15b: c_fc/c_proj with biases, LayerNorm, a 4096 window.
    refused_naming(R"({"model_type": "starcoder2", "hidden_act": "gelu_pytorch_tanh", "hidden_size": 6144,
      "intermediate_size": 24576, "norm_epsilon": 1e-05, "num_attention_heads": 48, "num_hidden_layers": 40,
      "num_key_value_heads": 4, "sliding_window": 4096, "use_bias": true, "vocab_size": 49152})",
                   {"hidden_act", "norm_epsilon"});
    // CohereForAI/aya-23-8B: one LayerNorm per parallel block, tied (no tie key).
    refused_naming(R"({"model_type": "cohere", "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
      "layer_norm_eps": 1e-05, "logit_scale": 0.125, "num_attention_heads": 32, "num_hidden_layers": 32,
      "num_key_value_heads": 8, "use_qk_norm": false, "vocab_size": 256000})",
                   {"layer_norm_eps"});
    // A GPT-NeoX parallel residual, an Apertus post-norm, a hybrid's convolution, a Qwen-style partial window.
    const std::string dense = R"("hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4,
      "num_hidden_layers": 2, "vocab_size": 100, "rms_norm_eps": 1e-06)";
    refused_naming(R"({"model_type": "x", "use_parallel_residual": true, )" + dense + "}", {"use_parallel_residual"});
    refused_naming(R"({"model_type": "x", "post_norm": true, )" + dense + "}", {"post_norm"});
    refused_naming(R"({"model_type": "x", "conv_L_cache": 3, )" + dense + "}", {"conv_L_cache"});
    refused_naming(R"({"model_type": "x", "use_sliding_window": true, "sliding_window": 4096, )" + dense + "}",
                   {"use_sliding_window"});
    // A LayerNorm epsilon beside rms_norm_eps, a zero or false switch, SiLU: still read.
    for (const char* extra : {R"("layer_norm_eps": 1e-05, "hidden_act": "silu", "post_norm": false,)",
                              R"("chunk_size_feed_forward": 0, "num_nextn_predict_layers": 0, "moe_layers": [],)"}) {
      const HfImport r = import_hf_config(std::string(R"({"model_type": "x", )") + extra + dense + "}");
      CHECK_MESSAGE(r.status.ok, extra, r.status.message);
    }
  }
  SUBCASE("biases, one window on every layer and tying, as the file sets them") {
    // ByteDance-Seed/Seed-OSS-36B: q, k, v biases, none on o; head_dim 128 (80 x 128 != 5120); untied.
    const HfImport seed = import_hf_config(R"({"model_type": "seed_oss", "attention_bias": true,
      "attention_out_bias": false, "head_dim": 128, "hidden_act": "silu", "hidden_size": 5120,
      "intermediate_size": 27648, "mlp_bias": false, "num_attention_heads": 80, "num_hidden_layers": 64,
      "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "tie_word_embeddings": false,
      "transformers_version": "4.55.0", "vocab_size": 155136})");
    REQUIRE_MESSAGE(seed.status.ok, seed.status.message);
    const double q = 80 * 128, kv = 8 * 128;
    const double layer = 5120 * (q + 2 * kv) + (q + 2 * kv) + q * 5120 + 3 * 5120 * 27648.0 + 2 * 5120;
    CHECK(count_params(seed.config).total == 2 * 155136.0 * 5120 + 64 * layer + 5120);
    CHECK(count_params(seed.config).total == 36151104512.0);
    // A window and no use_sliding_window: every layer slides (Mistral's reading); use_sliding_window false: none.
    const std::string dense = R"("hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4,
      "num_hidden_layers": 2, "vocab_size": 100)";
    const HfImport window = import_hf_config(R"({"model_type": "x", "sliding_window": 16, )" + dense + "}");
    REQUIRE(window.status.ok);
    CHECK(window.config.sliding_window == 16);
    CHECK(kv_of(window.config, 1000).bytes_per_sequence == 2 * 2 * 64 * 2 * 16);  // K and V, 2 layers, fp16
    const HfImport off =
        import_hf_config(R"({"model_type": "x", "sliding_window": 16, "use_sliding_window": false, )" + dense + "}");
    REQUIRE(off.status.ok);
    CHECK(off.config.sliding_window == 0);
    // transformers leaves tie_word_embeddings out where it equals the base default, true.
    const HfImport saved = import_hf_config(R"({"model_type": "x", "transformers_version": "4.57.1", )" + dense + "}");
    const HfImport hand = import_hf_config(R"({"model_type": "x", )" + dense + "}");
    const HfImport untied = import_hf_config(
        R"({"model_type": "x", "transformers_version": "4.57.1", "tie_word_embeddings": false, )" + dense + "}");
    REQUIRE((saved.status.ok && hand.status.ok && untied.status.ok));
    CHECK(saved.config.tied_embeddings);
    CHECK_FALSE(hand.config.tied_embeddings);
    CHECK_FALSE(untied.config.tied_embeddings);
    CHECK(count_params(hand.config).total - count_params(saved.config).total == 100 * 64);
    // "bias": every projection (InternLM2 writes false).
    const HfImport biased = import_hf_config(R"({"model_type": "x", "bias": true, )" + dense + "}");
    REQUIRE(biased.status.ok);
    CHECK((biased.config.qkv_bias && biased.config.attn_out_bias && biased.config.mlp_bias));
  }
}

TEST_CASE("plan on a DeepSeek-V3 preset: fp8 weights, MLA KV, 8 x H200") {
  Workload w;
  w.model = preset("deepseek-v3");
  w.hardware = *find_hardware("h200");
  w.weights_dtype = "fp8";
  w.kv_dtype = "bf16";
  w.context = 32768;
  w.batch = 1;
  w.gpus = 8;
  const PlanResult r = plan(w);
  REQUIRE_MESSAGE(r.status.ok, r.status.message);
  // Weights held: the checkpoint less its MTP layer, 671,026,419,200, at 1 B,
  // but the norms at 2 B: 61 x 2 x 7168 + 7168 + 61 x (1536 + 512) latent norms = 1,006,592.
  const double norms = 61 * 2 * 7168.0 + 7168 + 61 * (1536 + 512.0);
  CHECK(r.weight_bytes == 671026419200.0 + norms);
  // In its own format (fp8 E4M3 in 128 x 128 tiles with an fp32 scale each; embedding,
  // head and routers in bf16), as the preset's quantization_config says.
  w.weights_dtype = find_model_preset("deepseek-v3")->weights_format;
  w.weights_keep = find_model_preset("deepseek-v3")->weights_keep;
  CHECK(w.weights_keep == "embedding,lm_head,router");
  const PlanResult own = plan(w);
  REQUIRE(own.status.ok);
  const double table = 129280.0 * 7168, routers = 58 * (256 * 7168.0 + 256);
  const double rest = 671026419200.0 - 2 * table - routers - norms;
  CHECK(own.weight_bytes ==
        doctest::Approx(rest * (1 + 4.0 / 16384) + 2 * (2 * table + routers + norms)).epsilon(1e-12));
  // MLA's latent is shared by all heads: tensor parallelism keeps it whole on every device.
  CHECK(r.kv_bytes == 32768.0 * 70272);
  CHECK(r.kv_per_device_bytes == r.kv_bytes);
  CHECK(r.fits);
  CHECK(r.decode.tokens_per_s > 0);
}

TEST_CASE("images at prefill: the vision tower's FLOPs, by hand for Gemma 3 27B") {
  const ModelConfig& c = preset("gemma-3-27b");
  // SigLIP 896/14: 4096 patches, width 1152, MLP 4304, 27 layers; one image is
  // the patch convolution 2 x 4096 x (3 x 14 x 14) x 1152, per layer
  // 2 x 4096 x (4 x 1152^2 + 2 x 1152 x 4304) + 4 x 4096^2 x 1152 (QK^T and AV
  // over every pair of patches), then the 256 pooled tokens through the
  // projector 2 x 256 x 1152 x 5376.
  const double patches = 4096, d = 1152, ff = 4304;
  const double per_image = 2 * patches * 3 * 14 * 14 * d +
                           27 * (2 * patches * (4 * d * d + 2 * d * ff) + 4 * patches * patches * d) +
                           2 * 256 * d * 5376;
  CHECK(c.vision_flops_per_image == per_image);
  CHECK(c.image_tokens == 256);
  Workload w;
  w.model = c;
  w.hardware = *find_hardware("h100-sxm");
  w.context = 1024;
  w.batch = 2;
  const RooflineResult without = roofline(w);
  w.images = 3;
  const RooflineResult with = roofline(w);
  REQUIRE(with.status.ok);
  CHECK(with.prefill.flops - without.prefill.flops == doctest::Approx(2 * 3 * per_image).epsilon(1e-12));
  CHECK(with.decode.flops == without.decode.flops);  // images cost nothing at decode
  Workload text_only;
  text_only.model = preset("llama-3.1-8b");
  text_only.hardware = w.hardware;
  text_only.images = 1;
  CHECK(roofline(text_only).status.field == "images");
}

// Model area: validation, exact parameter counts, FLOPs, presets, HF import.
// Expected numbers are published counts or hand derivations shown beside them.
// REQUIRE without exceptions (the WASM build has -fno-exceptions), as in main.cpp.
#define DOCTEST_CONFIG_NO_EXCEPTIONS_BUT_WITH_ALL_ASSERTS
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "model/flops.hpp"
#include "model/hf_import.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "model/report.hpp"

using namespace llmst;

namespace {

ModelConfig preset(const char* id) {
  const ModelPreset* found = find_model_preset(id);
  REQUIRE(found != nullptr);
  return found->config;
}

double total_of(const char* id) { return count_params(preset(id)).total; }

ValidModel model_of(const ModelConfig& config) {
  ValidatedModel validated = validate_model(config);
  REQUIRE(validated.status.ok);
  return validated.model;
}

bool assumed_has(const HfImport& imported, const std::string& text) {
  for (const std::string& line : imported.assumed)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("validate_model resolves head_dim and names bad fields") {
  ModelConfig c;  // defaults: Llama-2-7B shape
  ValidatedModel ok = validate_model(c);
  REQUIRE(ok.status.ok);
  CHECK(ok.config.head_dim == 128);  // 4096 / 32

  auto error_of = [](ModelConfig config) { return validate_model(config).status; };
  ModelConfig bad = c;
  bad.d_model = 4100;  // 4100 / 32 = 128.125 (4000 would divide: 125)
  Status status = error_of(bad);
  CHECK(status.field == "d_model");
  CHECK(status.message.find("d_model = 4100 is not divisible by n_heads = 32") == 0);
  bad.head_dim = 128;  // an explicit head size need not divide d_model
  CHECK(error_of(bad).ok);

  bad = c;
  bad.n_kv_heads = 5;
  CHECK(error_of(bad).message == "n_kv_heads = 5 must divide n_heads = 32");
  bad.n_kv_heads = 64;
  CHECK(error_of(bad).field == "n_kv_heads");

  for (double value : {-3.0, 0.0, 2.5, std::nan(""), double(INFINITY)}) {
    bad = c;
    bad.n_layers = value;
    CHECK(error_of(bad).field == "n_layers");
  }
  bad = c;
  bad.head_dim = -1;
  CHECK(error_of(bad).field == "head_dim");
  bad = c;
  bad.ffn = "swiglu";
  CHECK(error_of(bad).message == "ffn = \"swiglu\" must be \"gated\" or \"plain\"");
  bad = c;
  bad.norm = "batch";
  CHECK(error_of(bad).field == "norm");
  bad = c;
  bad.n_experts = 8;
  bad.experts_top_k = 9;
  CHECK(error_of(bad).field == "experts_top_k");
}

TEST_CASE("absurd models are refused naming the field that makes them so") {
  ModelConfig c;
  c.n_layers = 1e9;  // more layers than any per-layer list may name (1e6)
  Status status = validate_model(c).status;
  CHECK_FALSE(status.ok);
  CHECK(status.field == "n_layers");
  c.n_layers = 1e6;  // 1e6 layers x ~2e8 params per layer ~ 2e14: accepted
  CHECK(validate_model(c).status.ok);
  c.n_kv_heads = c.n_heads = 64;
  c.d_model = 16384;  // 1e6 x ~8.7e8 ~ 8.7e14 + ... still below; d_ff pushes it over
  c.d_ff = 65536;
  status = validate_model(c).status;
  CHECK_FALSE(status.ok);
  CHECK(status.message.find("limit 1e+15") != std::string::npos);

  c = ModelConfig{};
  c.d_ff = 1e11;  // 3 * 4096 * 1e11 = 1.2e15 per layer
  CHECK(validate_model(c).status.field == "d_ff");

  c = ModelConfig{};
  c.vocab_size = 1.3e11;  // 2 * 1.3e11 * 4096 = 1.06e15 in the two tables
  CHECK(validate_model(c).status.field == "vocab_size");
  c.vocab_size = 1e11;  // 8.2e14 + 32 layers of 2e8: under the limit
  CHECK(validate_model(c).status.ok);

  c = ModelConfig{};
  c.vocab_size = 1e12;  // 8.2e15 in the two tables
  CHECK(validate_model(c).status.field == "vocab_size");

  // Just under the limit is fine: 2 * 1e10 * 4096 = 8.2e13 for the tables.
  c = ModelConfig{};
  c.vocab_size = 1e10;
  CHECK(validate_model(c).status.ok);
}

TEST_CASE("Llama-2-7B: published total and the lecture's 31.9 % / 64.2 % split") {
  ModelParams p = count_params(preset("llama-2-7b"));
  REQUIRE(p.status.ok);
  // Hand count: embedding and LM head 32000 * 4096 = 131,072,000 each;
  // per layer attention 4 * 4096^2 = 67,108,864, FFN 3 * 4096 * 11008 =
  // 135,266,304, two RMSNorms 2 * 4096 = 8,192: 202,383,360 per layer;
  // 32 layers = 6,476,267,520; + 262,144,000 + final norm 4,096.
  CHECK(p.embedding == 131072000);
  CHECK(p.lm_head == 131072000);
  CHECK(p.per_layer == 202383360);
  CHECK(p.total == 6738415616);  // published: meta-llama/Llama-2-7b-hf
  CHECK(p.active == p.total);
  // The lecture's split uses the whole model as denominator:
  // attention 32 * 67,108,864 = 2,147,483,648 / 6,738,415,616 = 31.87 % -> 31.9 %;
  // FFN 32 * 135,266,304 = 4,328,521,728 / 6,738,415,616 = 64.24 % -> 64.2 %.
  CHECK(p.attention == 2147483648.0);
  CHECK(p.ffn == 4328521728.0);
  CHECK(std::round(p.attention_percent * 10) / 10 == doctest::Approx(31.9));
  CHECK(std::round(p.ffn_percent * 10) / 10 == doctest::Approx(64.2));
  // Over the layers alone (no embedding, head) it would be 33.2 % / 66.8 %: not the lecture's.
  double sum = 0;
  for (const ParamPart& part : p.parts) sum += part.count;
  CHECK(sum == p.total);
}

TEST_CASE("published totals of the presets") {
  CHECK(total_of("llama-3-8b") == 8030261248.0);        // meta-llama/Meta-Llama-3-8B
  CHECK(total_of("gpt2") == 124439808);                 // openai-community/gpt2
  CHECK(total_of("llama-2-13b") == 13015864320.0);      // meta-llama/Llama-2-13b-hf
  CHECK(total_of("llama-2-70b") == 68976648192.0);      // meta-llama/Llama-2-70b-hf
  CHECK(total_of("llama-3-70b") == 70553706496.0);      // meta-llama/Meta-Llama-3-70B
  CHECK(total_of("llama-3.1-405b") == 405853388800.0);  // meta-llama/Llama-3.1-405B
  CHECK(total_of("mistral-7b") == 7241732096.0);        // mistralai/Mistral-7B-v0.1
}

TEST_CASE("GPT-2 by hand: LayerNorm, biases, learned positions, tied head") {
  ModelParams p = count_params(preset("gpt2"));
  // wte 50257 * 768 = 38,597,376; wpe 1024 * 768 = 786,432.
  CHECK(p.embedding == 38597376);
  CHECK(p.position_embedding == 786432);
  CHECK(p.lm_head == 0);
  // c_attn 768 * 2304 + 2304 = 1,771,776; c_proj 768^2 + 768 = 590,592;
  // c_fc 768 * 3072 + 3072 = 2,362,368; mlp c_proj 3072 * 768 + 768 = 2,360,064;
  // ln_1, ln_2: 2 * (768 + 768) = 3,072. Per layer 7,087,872.
  CHECK(p.per_layer == 7087872);
  CHECK(p.attention_bias == 12 * (2304 + 768));
  // 12 * 7,087,872 + 38,597,376 + 786,432 + ln_f 1,536 = 124,439,808.
  CHECK(p.total == 124439808);
  // GPT-2 medium and XL, the same way: published 354,823,168 and 1,557,611,200.
  CHECK(total_of("gpt2-medium") == 354823168);
  CHECK(total_of("gpt2-xl") == 1557611200);
}

TEST_CASE("Mixtral 8x7B: total and active") {
  ModelParams p = count_params(preset("mixtral-8x7b"));
  // Expert 3 * 4096 * 14336 = 176,160,768; per layer 8 experts 1,409,286,144
  // + attention 2 * 4096^2 + 2 * 4096 * 1024 = 41,943,040 + router 4096 * 8
  // = 32,768 + norms 8,192 = 1,451,270,144; * 32 + 2 * 131,072,000 + 4,096.
  CHECK(p.ffn_per_expert == 176160768);
  CHECK(p.router == 32 * 32768);
  CHECK(p.total == 46702792704.0);  // published: mistralai/Mixtral-8x7B-v0.1
  // Active: 6 experts fewer per layer: 46,702,792,704 - 32 * 6 * 176,160,768.
  CHECK(p.active == 46702792704.0 - 32.0 * 6 * 176160768);
  CHECK(p.active == 12879925248.0);  // the "12.9B active" Mistral quotes
}

TEST_CASE("GQA, explicit head_dim, qkv bias, tied: Qwen2, Gemma, Llama 3.2, Phi-3") {
  // Qwen2-7B, kv_dim = 4 * 128 = 512: per layer q,o 2 * 3584^2 = 25,690,112;
  // k,v 2 * 3584 * 512 = 3,670,016; biases 3584 + 512 + 512 = 4,608;
  // FFN 3 * 3584 * 18944 = 203,685,888; norms 7,168 -> 233,057,792;
  // * 28 + 2 * 152064 * 3584 + 3584 = 7,615,616,512 (published on the HF card).
  ModelParams qwen = count_params(preset("qwen2-7b"));
  CHECK(qwen.per_layer == 233057792);
  CHECK(qwen.total == 7615616512.0);
  // Gemma-7B, head_dim 256 (16 * 256 = 4096 != 3072): q,k,v 3 * 3072 * 4096,
  // o 4096 * 3072 -> 50,331,648; FFN 3 * 3072 * 24576 = 226,492,416; norms 6,144
  // -> 276,830,208 * 28 + 256000 * 3072 (tied) + 3072 = 8,537,680,896.
  CHECK(total_of("gemma-7b") == 8537680896.0);
  // Gemma-2B, MQA with head_dim 256: 2,506,172,416.
  CHECK(total_of("gemma-2b") == 2506172416.0);
  // Llama-3.2-1B, tied: 60,821,504 * 16 + 128256 * 2048 + 2048 = 1,235,814,400.
  CHECK(total_of("llama-3.2-1b") == 1235814400.0);
  // Phi-3-mini: (4 * 3072^2 + 3 * 3072 * 8192 + 6144) * 32 + 2 * 32064 * 3072 + 3072.
  CHECK(total_of("phi-3-mini") == 3821079552.0);
}

TEST_CASE("Falcon-7B by hand: MQA, parallel attention with one LayerNorm") {
  ModelParams p = count_params(preset("falcon-7b"));
  // head_dim 4544 / 71 = 64; fused QKV 4544 * (4544 + 2 * 64) = 21,229,568;
  // dense 4544^2 = 20,647,936; MLP 2 * 4544 * 18176 = 165,183,488; one
  // LayerNorm 2 * 4544 = 9,088 -> 207,070,080 per layer.
  CHECK(p.config.head_dim == 64);
  CHECK(p.per_layer == 207070080);
  // 32 * 207,070,080 + 65024 * 4544 (tied) + final LayerNorm 9,088
  // = 6,626,242,560 + 295,469,056 + 9,088 = 6,921,720,704.
  CHECK(p.total == 6921720704.0);
}

TEST_CASE("decode FLOPs and the exact crossover") {
  const ValidModel p = model_of(preset("llama-2-7b"));
  DecodeFlops decode = decode_flops(p, 4096);
  // Projections 2 * 32 * 67,108,864; FFN 2 * 32 * 135,266,304;
  // scores 4 * 4096 (keys) * 32 (heads) * 128 * 32 (layers); head 2 * 4096 * 32000.
  CHECK(decode.split.attention_projections == 2.0 * 32 * 67108864);
  CHECK(decode.split.ffn == 2.0 * 32 * 135266304);
  CHECK(decode.split.attention_scores == 4.0 * 4096 * 4096 * 32);
  CHECK(decode.split.lm_head == 2.0 * 4096 * 32000);
  // At context 0 decode is 2 * (params - embedding table - norms), the norms
  // being 32 * 8,192 + 4,096 = 266,240: 2 * 6,607,077,376.
  CHECK(decode_flops(p, 0).split.total == 2.0 * (6738415616.0 - 131072000 - 266240));
  // Per layer: attention 134,217,728 + 16,384 n = FFN 270,532,608
  // => n* = 136,314,880 / 16,384 = 8,320 exactly (the lecture's grid said ~7,906).
  Crossover crossover = decode_crossover(p);
  CHECK(crossover.exists);
  CHECK(crossover.context_tokens == 8320);
  DecodeFlops at = decode_flops(p, 8320);
  CHECK(at.split.attention == at.split.ffn);
  // Llama-3-8B: (352,321,536 - 83,886,080) / (4 * 32 * 128) = 16,384.
  CHECK(decode_crossover(model_of(preset("llama-3-8b"))).context_tokens == 16384);
  // Mixtral: FFN counts the 2 active experts and the router:
  // (2 * (2 * 176,160,768 + 32,768) - 2 * 41,943,040) / 16,384
  // = (704,708,608 - 83,886,080) / 16,384 = 620,822,528 / 16,384 = 37,892.
  CHECK(decode_crossover(model_of(preset("mixtral-8x7b"))).context_tokens == 37892);
}

TEST_CASE("a sliding window caps the scores and can remove the crossover") {
  // Mistral-7B, window 4096: projections 83,886,080 and FFN 352,321,536 per
  // layer give n* = 16,384 > 4,096, so attention never catches up.
  const ValidModel p = model_of(preset("mistral-7b"));
  CHECK_FALSE(decode_crossover(p).exists);
  CHECK(decode_flops(p, 100000).attended_tokens == 4096);
  // Prefill of 5 tokens with window 3: 1 + 2 + 3 + 3 + 3 = 12 pairs.
  AttentionSpec window;
  window.span = Span::window;
  window.span_tokens = 3;
  CHECK(causal_attended_pairs(window, 5) == 12);
  CHECK(causal_attended_pairs(AttentionSpec{}, 5) == 15);
}

TEST_CASE("prefill: n(n+1)/2 pairs, equal to the sum of decode steps") {
  const ValidModel p = model_of(preset("gpt2"));
  const double n = 1000;
  PrefillFlops prefill = prefill_flops(p, n);
  CHECK(prefill.attended_pairs == 500500);  // 1000 * 1001 / 2
  CHECK(prefill.split.attention_scores == 4.0 * 12 * 768 * 500500);
  double sum = 0;
  for (int i = 1; i <= 1000; ++i) sum += decode_flops(p, i).split.total;
  CHECK(prefill.split.total == doctest::Approx(sum).epsilon(1e-12));
}

TEST_CASE("attention share curve is log-spaced and crosses 1/2 of attention+FFN at n*") {
  const ValidModel p = model_of(preset("llama-2-7b"));
  auto curve = attention_share_curve(p, 1, 1048576, 61);
  REQUIRE(curve.size() > 40);
  CHECK(curve.front().context_tokens == 1);
  CHECK(curve.back().context_tokens == 1048576);
  for (size_t i = 1; i < curve.size(); ++i) {
    CHECK(curve[i].context_tokens > curve[i - 1].context_tokens);
    CHECK(curve[i].attention_share > curve[i - 1].attention_share);
  }
  for (const auto& point : curve) CHECK((point.attention_flops > point.ffn_flops) == (point.context_tokens > 8320));
}

TEST_CASE("model_report joins everything and checks the context") {
  ModelReport report = model_report(preset("llama-2-7b"), 4096);
  REQUIRE(report.status.ok);
  CHECK(report.weights_memory.size() == 6);
  CHECK(report.weights_memory[0].dtype == "fp32");
  CHECK(report.weights_memory[0].bytes == 4.0 * 6738415616);
  CHECK(report.weights_memory[5].bytes == 0.5 * 6738415616);
  CHECK(report.attention_share_curve.back().context_tokens == 1048576);
  CHECK(model_report(preset("llama-2-7b"), 0).status.field == "context_tokens");
  CHECK(model_report(preset("llama-2-7b"), 1.5).status.field == "context_tokens");
  ModelConfig bad;
  bad.n_heads = 0;
  CHECK(model_report(bad, 10).status.field == "n_heads");
}

TEST_CASE("every preset validates and names a source") {
  for (const ModelPreset& p : model_presets()) {
    CAPTURE(p.id);
    CHECK(validate_model(p.config).status.ok);
    CHECK(p.source.rfind("https://", 0) == 0);
    CHECK(p.config.name == p.id);
  }
}

TEST_CASE("HF import: llama and defaults") {
  // Field names and values of meta-llama/Llama-2-7b-hf/config.json.
  HfImport imported = import_hf_config(R"({
    "architectures": ["LlamaForCausalLM"], "model_type": "llama",
    "hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32,
    "num_hidden_layers": 32, "num_key_value_heads": 32, "vocab_size": 32000,
    "tie_word_embeddings": false, "rms_norm_eps": 1e-05, "torch_dtype": "float16"})");
  REQUIRE(imported.status.ok);
  CHECK(imported.model_type == "llama");
  CHECK(count_params(imported.config).total == 6738415616);
  CHECK(assumed_has(imported, "attention_bias: false (default)"));
  CHECK_FALSE(assumed_has(imported, "num_key_value_heads"));

  HfImport no_kv = import_hf_config(R"({"model_type": "llama", "hidden_size": 4096,
    "intermediate_size": 11008, "num_attention_heads": 32, "num_hidden_layers": 32,
    "vocab_size": 32000})");
  REQUIRE(no_kv.status.ok);
  CHECK(no_kv.config.n_kv_heads == 32);
  CHECK(assumed_has(no_kv, "num_key_value_heads: 32 (default: num_attention_heads)"));
}

TEST_CASE("HF import: gpt2, gemma, mixtral, qwen2, falcon, phi3") {
  // openai-community/gpt2: n_inner null means 4 * n_embd.
  HfImport gpt2 = import_hf_config(R"({"model_type": "gpt2", "n_embd": 768, "n_layer": 12,
    "n_head": 12, "n_ctx": 1024, "n_positions": 1024, "n_inner": null, "vocab_size": 50257,
    "activation_function": "gelu_new"})");
  REQUIRE(gpt2.status.ok);
  CHECK(gpt2.config.d_ff == 3072);
  CHECK(count_params(gpt2.config).total == 124439808);
  CHECK(assumed_has(gpt2, "n_inner: 3072 (default: 4 * n_embd)"));
  CHECK(assumed_has(gpt2, "tie_word_embeddings: true (default)"));

  // google/gemma-7b: tied by default, head_dim 256.
  HfImport gemma = import_hf_config(R"({"model_type": "gemma", "head_dim": 256,
    "hidden_act": "gelu", "hidden_size": 3072, "intermediate_size": 24576,
    "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 16,
    "vocab_size": 256000})");
  REQUIRE(gemma.status.ok);
  CHECK(gemma.config.tied_embeddings);
  CHECK(count_params(gemma.config).total == 8537680896.0);

  // mistralai/Mixtral-8x7B-v0.1.
  HfImport mixtral = import_hf_config(R"({"model_type": "mixtral", "hidden_size": 4096,
    "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 8, "num_local_experts": 8, "num_experts_per_tok": 2,
    "sliding_window": null, "tie_word_embeddings": false, "vocab_size": 32000})");
  REQUIRE(mixtral.status.ok);
  CHECK(count_params(mixtral.config).total == 46702792704.0);
  CHECK(mixtral.config.sliding_window == 0);

  // Qwen/Qwen2-7B: q, k, v biases come from the architecture, not the file.
  HfImport qwen = import_hf_config(R"({"model_type": "qwen2", "hidden_size": 3584,
    "intermediate_size": 18944, "num_attention_heads": 28, "num_hidden_layers": 28,
    "num_key_value_heads": 4, "sliding_window": 131072, "use_sliding_window": false,
    "tie_word_embeddings": false, "vocab_size": 152064})");
  REQUIRE(qwen.status.ok);
  CHECK(qwen.config.qkv_bias);
  CHECK(qwen.config.sliding_window == 0);
  CHECK(count_params(qwen.config).total == 7615616512.0);

  // tiiuae/falcon-7b: multi_query ignores num_kv_heads; parallel_attn shares a norm.
  HfImport falcon = import_hf_config(R"({"model_type": "falcon", "alibi": false,
    "bias": false, "hidden_size": 4544, "multi_query": true, "new_decoder_architecture": false,
    "num_attention_heads": 71, "num_hidden_layers": 32, "parallel_attn": true,
    "vocab_size": 65024})");
  REQUIRE(falcon.status.ok);
  CHECK(falcon.config.n_kv_heads == 1);
  CHECK(count_params(falcon.config).total == count_params(preset("falcon-7b")).total);

  // tiiuae/falcon-40b: new architecture, 8 KV heads, two LayerNorms per layer.
  HfImport falcon40 = import_hf_config(R"({"model_type": "falcon", "alibi": false,
    "bias": false, "hidden_size": 8192, "multi_query": true, "new_decoder_architecture": true,
    "num_attention_heads": 128, "num_hidden_layers": 60, "num_kv_heads": 8,
    "parallel_attn": true, "vocab_size": 65024})");
  REQUIRE(falcon40.status.ok);
  CHECK(falcon40.config.n_kv_heads == 8);
  CHECK_FALSE(falcon40.config.parallel_shared_norm);
  // Per layer: QKV 8192 * (8192 + 2 * 8 * 64) = 75,497,472; dense 8192^2 =
  // 67,108,864; MLP 2 * 8192 * 32768 = 536,870,912; 2 LayerNorms 32,768
  // -> 679,510,016 * 60 = 40,770,600,960 + 65024 * 8192 = 532,676,608
  // + final 16,384 = 41,303,293,952.
  CHECK(count_params(falcon40.config).total == 41303293952.0);

  // microsoft/Phi-3-mini-4k-instruct.
  HfImport phi3 = import_hf_config(R"({"model_type": "phi3", "hidden_size": 3072,
    "intermediate_size": 8192, "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 32, "sliding_window": 2047, "tie_word_embeddings": false,
    "vocab_size": 32064})");
  REQUIRE(phi3.status.ok);
  CHECK(count_params(phi3.config).total == 3821079552.0);
  CHECK(phi3.config.sliding_window == 2047);
}

TEST_CASE("HF import: unknown types, broken JSON, missing and ill-typed fields") {
  HfImport unknown = import_hf_config(R"({"model_type": "olmo", "hidden_size": 2048,
    "intermediate_size": 8192, "num_attention_heads": 16, "num_hidden_layers": 16,
    "vocab_size": 50304})");
  REQUIRE(unknown.status.ok);
  CHECK(unknown.model_type == "olmo");
  CHECK(assumed_has(unknown, "model_type \"olmo\" is not known"));
  CHECK(assumed_has(unknown, "tie_word_embeddings: false (default)"));

  CHECK(import_hf_config("{\"hidden_size\": 4096,").status.field == "config_json");
  CHECK(import_hf_config("[1, 2]").status.field == "config_json");
  HfImport missing = import_hf_config(R"({"model_type": "llama", "hidden_size": 4096})");
  CHECK(missing.status.field == "vocab_size");
  CHECK(missing.status.message == "config.json has no \"vocab_size\"");
  HfImport typed = import_hf_config(R"({"model_type": "gpt2", "n_embd": "768", "n_layer": 12,
    "n_head": 12, "vocab_size": 50257})");
  CHECK(typed.status.field == "n_embd");
  CHECK(typed.status.message == "n_embd must be a number (got string \"768\")");
  HfImport flag = import_hf_config(R"({"model_type": "falcon", "hidden_size": 64,
    "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100, "multi_query": 1})");
  CHECK(flag.status.field == "multi_query");
  // A validation error names the config.json key, not the ModelConfig field.
  HfImport indivisible = import_hf_config(R"({"model_type": "llama", "hidden_size": 4100,
    "intermediate_size": 11008, "num_attention_heads": 32, "num_hidden_layers": 32,
    "vocab_size": 32000})");
  CHECK(indivisible.status.field == "hidden_size");
  CHECK(indivisible.status.message.find("d_model = 4100 is not divisible") != std::string::npos);
  HfImport fraction = import_hf_config(R"({"model_type": "mistral", "hidden_size": 4096,
    "intermediate_size": 14336.5, "num_attention_heads": 32, "num_hidden_layers": 32,
    "vocab_size": 32000})");
  CHECK(fraction.status.field == "intermediate_size");
}

#include "model/presets.hpp"

namespace llmst {

namespace {

// Llama-style dense model: gated SwiGLU FFN, RMSNorm, RoPE, no biases, untied.
ModelConfig llama(std::string name, double vocab, double d_model, double layers, double heads,
                  double kv_heads, double d_ff) {
  ModelConfig c;
  c.name = std::move(name);
  c.vocab_size = vocab;
  c.d_model = d_model;
  c.n_layers = layers;
  c.n_heads = heads;
  c.n_kv_heads = kv_heads;
  c.d_ff = d_ff;
  return c;
}

// GPT-2: LayerNorm, plain GELU MLP of 4d, biases everywhere, learned positions, tied head.
ModelConfig gpt2(std::string name, double d_model, double layers, double heads) {
  ModelConfig c = llama(std::move(name), 50257, d_model, layers, heads, heads, 4 * d_model);
  c.ffn = "plain";
  c.norm = "layer";
  c.tied_embeddings = true;
  c.qkv_bias = c.attn_out_bias = c.mlp_bias = true;
  c.learned_position_embeddings = 1024;
  return c;
}

template <typename Edit>
ModelConfig with(ModelConfig c, Edit edit) {
  edit(c);
  return c;
}

const std::string hf = "https://huggingface.co/";

}  // namespace

const std::vector<ModelPreset>& model_presets() {
  static const std::vector<ModelPreset> table = {
      {"gpt2", "GPT-2 (124M)", hf + "openai-community/gpt2/blob/main/config.json",
       gpt2("gpt2", 768, 12, 12)},
      {"gpt2-medium", "GPT-2 Medium (355M)", hf + "openai-community/gpt2-medium/blob/main/config.json",
       gpt2("gpt2-medium", 1024, 24, 16)},
      {"gpt2-xl", "GPT-2 XL (1.5B)", hf + "openai-community/gpt2-xl/blob/main/config.json",
       gpt2("gpt2-xl", 1600, 48, 25)},
      {"llama-2-7b", "Llama 2 7B", hf + "meta-llama/Llama-2-7b-hf/blob/main/config.json",
       llama("llama-2-7b", 32000, 4096, 32, 32, 32, 11008)},
      {"llama-2-13b", "Llama 2 13B", hf + "meta-llama/Llama-2-13b-hf/blob/main/config.json",
       llama("llama-2-13b", 32000, 5120, 40, 40, 40, 13824)},
      {"llama-2-70b", "Llama 2 70B", hf + "meta-llama/Llama-2-70b-hf/blob/main/config.json",
       llama("llama-2-70b", 32000, 8192, 80, 64, 8, 28672)},
      {"llama-3-8b", "Llama 3 8B", hf + "meta-llama/Meta-Llama-3-8B/blob/main/config.json",
       llama("llama-3-8b", 128256, 4096, 32, 32, 8, 14336)},
      {"llama-3-70b", "Llama 3 70B", hf + "meta-llama/Meta-Llama-3-70B/blob/main/config.json",
       llama("llama-3-70b", 128256, 8192, 80, 64, 8, 28672)},
      {"llama-3.1-405b", "Llama 3.1 405B", hf + "meta-llama/Llama-3.1-405B/blob/main/config.json",
       llama("llama-3.1-405b", 128256, 16384, 126, 128, 8, 53248)},
      {"llama-3.2-1b", "Llama 3.2 1B", hf + "meta-llama/Llama-3.2-1B/blob/main/config.json",
       with(llama("llama-3.2-1b", 128256, 2048, 16, 32, 8, 8192),
            [](ModelConfig& c) { c.tied_embeddings = true; })},
      {"mistral-7b", "Mistral 7B v0.1", hf + "mistralai/Mistral-7B-v0.1/blob/main/config.json",
       with(llama("mistral-7b", 32000, 4096, 32, 32, 8, 14336),
            [](ModelConfig& c) { c.sliding_window = 4096; })},
      {"mixtral-8x7b", "Mixtral 8x7B", hf + "mistralai/Mixtral-8x7B-v0.1/blob/main/config.json",
       with(llama("mixtral-8x7b", 32000, 4096, 32, 32, 8, 14336),
            [](ModelConfig& c) { c.n_experts = 8; c.experts_top_k = 2; })},
      {"qwen2-7b", "Qwen2 7B", hf + "Qwen/Qwen2-7B/blob/main/config.json",
       with(llama("qwen2-7b", 152064, 3584, 28, 28, 4, 18944),
            [](ModelConfig& c) { c.qkv_bias = true; })},
      {"gemma-2b", "Gemma 2B", hf + "google/gemma-2b/blob/main/config.json",
       with(llama("gemma-2b", 256000, 2048, 18, 8, 1, 16384),
            [](ModelConfig& c) { c.head_dim = 256; c.tied_embeddings = true; })},
      {"gemma-7b", "Gemma 7B", hf + "google/gemma-7b/blob/main/config.json",
       with(llama("gemma-7b", 256000, 3072, 28, 16, 16, 24576),
            [](ModelConfig& c) { c.head_dim = 256; c.tied_embeddings = true; })},
      // Falcon-7B: multi-query (1 KV head), parallel attention + MLP under one
      // LayerNorm, plain GELU MLP of 4d, no linear biases, tied head.
      {"falcon-7b", "Falcon 7B", hf + "tiiuae/falcon-7b/blob/main/config.json",
       with(llama("falcon-7b", 65024, 4544, 32, 71, 1, 4 * 4544), [](ModelConfig& c) {
         c.ffn = "plain";
         c.norm = "layer";
         c.tied_embeddings = true;
         c.parallel_attn_mlp = true;
         c.parallel_shared_norm = true;
       })},
      {"phi-3-mini", "Phi-3 mini (4k)", hf + "microsoft/Phi-3-mini-4k-instruct/blob/main/config.json",
       with(llama("phi-3-mini", 32064, 3072, 32, 32, 32, 8192),
            [](ModelConfig& c) { c.sliding_window = 2047; })},
  };
  return table;
}

const ModelPreset* find_model_preset(std::string_view id) {
  for (const ModelPreset& preset : model_presets())
    if (preset.id == id) return &preset;
  return nullptr;
}

}  // namespace llmst

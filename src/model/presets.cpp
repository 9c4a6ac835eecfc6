#include "model/presets.hpp"

#include "model/hf_import.hpp"

namespace llmst {

namespace {

const std::string hf = "https://huggingface.co/";

struct PresetRecord {
  const char* id;
  const char* label;
  std::string source;
  const char* config_json;
};

// Every preset is a config.json record (the fields that change the counts,
// as published) read by the same import as a pasted file, so the two can
// never disagree. tests/fixtures/hf/ holds the full files the newer rows were
// cut from; test_presets.cpp checks each row against its published count.
const std::vector<PresetRecord>& records() {
  static const std::vector<PresetRecord>
      table =
          {
              {"gpt2", "GPT-2 (124M)", hf + "openai-community/gpt2/blob/main/config.json",
               R"json({"model_type":"gpt2","vocab_size":50257,"n_embd":768,"n_layer":12,"n_head":12,"n_positions":1024})json"},
              {"gpt2-medium", "GPT-2 Medium (355M)", hf + "openai-community/gpt2-medium/blob/main/config.json",
               R"json({"model_type":"gpt2","vocab_size":50257,"n_embd":1024,"n_layer":24,"n_head":16,"n_positions":1024})json"},
              {"gpt2-xl", "GPT-2 XL (1.5B)", hf + "openai-community/gpt2-xl/blob/main/config.json",
               R"json({"model_type":"gpt2","vocab_size":50257,"n_embd":1600,"n_layer":48,"n_head":25,"n_positions":1024})json"},
              {"llama-2-7b", "Llama 2 7B", hf + "meta-llama/Llama-2-7b-hf/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":32000,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":32,"intermediate_size":11008,"tie_word_embeddings":false})json"},
              {"llama-2-13b", "Llama 2 13B", hf + "meta-llama/Llama-2-13b-hf/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":32000,"hidden_size":5120,"num_hidden_layers":40,"num_attention_heads":40,"num_key_value_heads":40,"intermediate_size":13824,"tie_word_embeddings":false})json"},
              {"llama-2-70b", "Llama 2 70B", hf + "meta-llama/Llama-2-70b-hf/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":32000,"hidden_size":8192,"num_hidden_layers":80,"num_attention_heads":64,"num_key_value_heads":8,"intermediate_size":28672,"tie_word_embeddings":false})json"},
              {"llama-3-8b", "Llama 3 8B", hf + "meta-llama/Meta-Llama-3-8B/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":128256,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,"tie_word_embeddings":false})json"},
              {"llama-3-70b", "Llama 3 70B", hf + "meta-llama/Meta-Llama-3-70B/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":128256,"hidden_size":8192,"num_hidden_layers":80,"num_attention_heads":64,"num_key_value_heads":8,"intermediate_size":28672,"tie_word_embeddings":false})json"},
              {"llama-3.1-405b", "Llama 3.1 405B", hf + "meta-llama/Llama-3.1-405B/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":128256,"hidden_size":16384,"num_hidden_layers":126,"num_attention_heads":128,"num_key_value_heads":8,"intermediate_size":53248,"tie_word_embeddings":false})json"},
              {"llama-3.2-1b", "Llama 3.2 1B", hf + "meta-llama/Llama-3.2-1B/blob/main/config.json",
               R"json({"model_type":"llama","vocab_size":128256,"hidden_size":2048,"num_hidden_layers":16,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":8192,"head_dim":64,"tie_word_embeddings":true})json"},
              {"mistral-7b", "Mistral 7B v0.1", hf + "mistralai/Mistral-7B-v0.1/blob/main/config.json",
               R"json({"model_type":"mistral","vocab_size":32000,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,"sliding_window":4096,"tie_word_embeddings":false})json"},
              {"mixtral-8x7b", "Mixtral 8x7B", hf + "mistralai/Mixtral-8x7B-v0.1/blob/main/config.json",
               R"json({"model_type":"mixtral","vocab_size":32000,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,"num_local_experts":8,"num_experts_per_tok":2,"sliding_window":null,"tie_word_embeddings":false})json"},
              {"qwen2-7b", "Qwen2 7B", hf + "Qwen/Qwen2-7B/blob/main/config.json",
               R"json({"model_type":"qwen2","vocab_size":152064,"hidden_size":3584,"num_hidden_layers":28,"num_attention_heads":28,"num_key_value_heads":4,"intermediate_size":18944,"use_sliding_window":false,"tie_word_embeddings":false})json"},
              {"gemma-2b", "Gemma 2B", hf + "google/gemma-2b/blob/main/config.json",
               R"json({"model_type":"gemma","vocab_size":256000,"hidden_size":2048,"num_hidden_layers":18,"num_attention_heads":8,"num_key_value_heads":1,"head_dim":256,"intermediate_size":16384})json"},
              {"gemma-7b", "Gemma 7B", hf + "google/gemma-7b/blob/main/config.json",
               R"json({"model_type":"gemma","vocab_size":256000,"hidden_size":3072,"num_hidden_layers":28,"num_attention_heads":16,"num_key_value_heads":16,"head_dim":256,"intermediate_size":24576})json"},
              // Falcon-7B: multi-query (1 KV head), parallel attention + MLP under one
              // LayerNorm, plain GELU MLP of 4d, no linear biases, tied head.
              {"falcon-7b", "Falcon 7B",
               hf + "tiiuae/falcon-7b/blob/main/config.json", R"json({"model_type":"falcon","vocab_size":65024,"hidden_size":4544,"num_hidden_layers":32,"num_attention_heads":71,"multi_query":true,"parallel_attn":true,"bias":false,"new_decoder_architecture":false,"alibi":false})json"},
              {"phi-3-mini", "Phi-3 mini (4k)", hf + "microsoft/Phi-3-mini-4k-instruct/blob/main/config.json",
               R"json({"model_type":"phi3","vocab_size":32064,"hidden_size":3072,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":32,"intermediate_size":8192,"sliding_window":2047,"tie_word_embeddings":false})json"},
              {"deepseek-v3", "DeepSeek-V3 (671B, MoE, MLA)", hf + "deepseek-ai/DeepSeek-V3/blob/main/config.json",
               R"json({"attention_bias":false,"first_k_dense_replace":3,"hidden_size":7168,"intermediate_size":18432,"kv_lora_rank":512,"model_type":"deepseek_v3","moe_intermediate_size":2048,"moe_layer_freq":1,"n_routed_experts":256,"n_shared_experts":1,"num_attention_heads":128,"num_experts_per_tok":8,"num_hidden_layers":61,"num_key_value_heads":128,"num_nextn_predict_layers":1,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"quantization_config":{"quant_method":"fp8","weight_block_size":[128,128]},"tie_word_embeddings":false,"topk_method":"noaux_tc","v_head_dim":128,"vocab_size":129280})json"},
              {"deepseek-r1", "DeepSeek-R1 (671B, MoE, MLA)", hf + "deepseek-ai/DeepSeek-R1/blob/main/config.json",
               R"json({"attention_bias":false,"first_k_dense_replace":3,"hidden_size":7168,"intermediate_size":18432,"kv_lora_rank":512,"model_type":"deepseek_v3","moe_intermediate_size":2048,"moe_layer_freq":1,"n_routed_experts":256,"n_shared_experts":1,"num_attention_heads":128,"num_experts_per_tok":8,"num_hidden_layers":61,"num_key_value_heads":128,"num_nextn_predict_layers":1,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"quantization_config":{"quant_method":"fp8","weight_block_size":[128,128]},"tie_word_embeddings":false,"topk_method":"noaux_tc","v_head_dim":128,"vocab_size":129280})json"},
              // DeepSeek-V3.2 (and -Exp, -Speciale): V3's layers with sparse attention's lightning indexer.
              {"deepseek-v3.2", "DeepSeek-V3.2 (671B, MoE, MLA, sparse attention)",
               hf + "deepseek-ai/DeepSeek-V3.2/blob/main/config.json",
               R"json({"attention_bias":false,"first_k_dense_replace":3,"hidden_size":7168,"index_head_dim":128,"index_n_heads":64,"index_topk":2048,"intermediate_size":18432,"kv_lora_rank":512,"model_type":"deepseek_v32","moe_intermediate_size":2048,"moe_layer_freq":1,"n_routed_experts":256,"n_shared_experts":1,"num_attention_heads":128,"num_experts_per_tok":8,"num_hidden_layers":61,"num_key_value_heads":128,"num_nextn_predict_layers":1,"q_lora_rank":1536,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"quantization_config":{"quant_method":"fp8","weight_block_size":[128,128]},"tie_word_embeddings":false,"topk_method":"noaux_tc","v_head_dim":128,"vocab_size":129280})json"},
              {"deepseek-v2-lite", "DeepSeek-V2-Lite (16B, MoE, MLA)",
               hf + "deepseek-ai/DeepSeek-V2-Lite/blob/main/config.json",
               R"json({"attention_bias":false,"first_k_dense_replace":1,"hidden_size":2048,"intermediate_size":10944,"kv_lora_rank":512,"model_type":"deepseek_v2","moe_intermediate_size":1408,"moe_layer_freq":1,"n_routed_experts":64,"n_shared_experts":2,"num_attention_heads":16,"num_experts_per_tok":6,"num_hidden_layers":27,"num_key_value_heads":16,"q_lora_rank":null,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"tie_word_embeddings":false,"topk_method":"greedy","v_head_dim":128,"vocab_size":102400})json"},
              {"qwen3-0.6b", "Qwen3 0.6B", hf + "Qwen/Qwen3-0.6B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":1024,"intermediate_size":3072,"max_window_layers":28,"model_type":"qwen3","num_attention_heads":16,"num_hidden_layers":28,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":true,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-1.7b", "Qwen3 1.7B", hf + "Qwen/Qwen3-1.7B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":2048,"intermediate_size":6144,"max_window_layers":28,"model_type":"qwen3","num_attention_heads":16,"num_hidden_layers":28,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":true,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-4b", "Qwen3 4B", hf + "Qwen/Qwen3-4B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":2560,"intermediate_size":9728,"max_window_layers":36,"model_type":"qwen3","num_attention_heads":32,"num_hidden_layers":36,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":true,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-8b", "Qwen3 8B", hf + "Qwen/Qwen3-8B/blob/main/config.json", R"json({"attention_bias":false,"head_dim":128,"hidden_size":4096,"intermediate_size":12288,"max_window_layers":36,"model_type":"qwen3","num_attention_heads":32,"num_hidden_layers":36,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-14b", "Qwen3 14B", hf + "Qwen/Qwen3-14B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":5120,"intermediate_size":17408,"max_window_layers":40,"model_type":"qwen3","num_attention_heads":40,"num_hidden_layers":40,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-32b", "Qwen3 32B", hf + "Qwen/Qwen3-32B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":5120,"intermediate_size":25600,"max_window_layers":64,"model_type":"qwen3","num_attention_heads":64,"num_hidden_layers":64,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-30b-a3b", "Qwen3-30B-A3B (MoE)", hf + "Qwen/Qwen3-30B-A3B/blob/main/config.json",
               R"json({"attention_bias":false,"decoder_sparse_step":1,"head_dim":128,"hidden_size":2048,"intermediate_size":6144,"max_window_layers":48,"mlp_only_layers":[],"model_type":"qwen3_moe","moe_intermediate_size":768,"num_attention_heads":32,"num_experts":128,"num_experts_per_tok":8,"num_hidden_layers":48,"num_key_value_heads":4,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen3-235b-a22b", "Qwen3-235B-A22B (MoE)", hf + "Qwen/Qwen3-235B-A22B/blob/main/config.json",
               R"json({"attention_bias":false,"decoder_sparse_step":1,"head_dim":128,"hidden_size":4096,"intermediate_size":12288,"max_window_layers":94,"mlp_only_layers":[],"model_type":"qwen3_moe","moe_intermediate_size":1536,"num_attention_heads":64,"num_experts":128,"num_experts_per_tok":8,"num_hidden_layers":94,"num_key_value_heads":4,"sliding_window":null,"tie_word_embeddings":false,"use_sliding_window":false,"vocab_size":151936})json"},
              {"qwen2.5-72b", "Qwen2.5 72B", hf + "Qwen/Qwen2.5-72B/blob/main/config.json",
               R"json({"hidden_size":8192,"intermediate_size":29568,"model_type":"qwen2","num_attention_heads":64,"num_hidden_layers":80,"num_key_value_heads":8,"tie_word_embeddings":false,"vocab_size":152064})json"},
              {"gemma-2-2b",
               "Gemma 2 2B", hf + "google/gemma-2-2b/blob/main/config.json", R"json({"attention_bias":false,"head_dim":256,"hidden_size":2304,"intermediate_size":9216,"model_type":"gemma2","num_attention_heads":8,"num_hidden_layers":26,"num_key_value_heads":4,"sliding_window":4096,"vocab_size":256000})json"},
              {"gemma-2-9b", "Gemma 2 9B", hf + "google/gemma-2-9b/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":256,"hidden_size":3584,"intermediate_size":14336,"model_type":"gemma2","num_attention_heads":16,"num_hidden_layers":42,"num_key_value_heads":8,"sliding_window":4096,"vocab_size":256000})json"},
              {"gemma-2-27b", "Gemma 2 27B", hf + "google/gemma-2-27b/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":4608,"intermediate_size":36864,"model_type":"gemma2","num_attention_heads":32,"num_hidden_layers":46,"num_key_value_heads":16,"sliding_window":4096,"vocab_size":256000,"_attn_implementation":"eager"})json"},
              {"gemma-3-1b", "Gemma 3 1B", hf + "google/gemma-3-1b-pt/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":256,"hidden_size":1152,"intermediate_size":6912,"model_type":"gemma3_text","num_attention_heads":4,"num_hidden_layers":26,"num_key_value_heads":1,"sliding_window":512,"sliding_window_pattern":6,"vocab_size":262144})json"},
              {"gemma-3-4b", "Gemma 3 4B (text + vision)", hf + "google/gemma-3-4b-pt/blob/main/config.json",
               R"json({"model_type":"gemma3","text_config":{"hidden_size":2560,"intermediate_size":10240,"model_type":"gemma3_text","num_hidden_layers":34,"sliding_window":1024},"vision_config":{"hidden_size":1152,"image_size":896,"intermediate_size":4304,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":27,"patch_size":14,"vision_use_head":false}})json"},
              {"gemma-3-12b", "Gemma 3 12B (text + vision)", hf + "google/gemma-3-12b-pt/blob/main/config.json",
               R"json({"model_type":"gemma3","text_config":{"hidden_size":3840,"intermediate_size":15360,"model_type":"gemma3_text","num_attention_heads":16,"num_hidden_layers":48,"num_key_value_heads":8,"sliding_window":1024},"vision_config":{"hidden_size":1152,"image_size":896,"intermediate_size":4304,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":27,"patch_size":14,"vision_use_head":false}})json"},
              {"gemma-3-27b",
               "Gemma 3 27B (text + vision)", hf + "google/gemma-3-27b-pt/blob/main/config.json", R"json({"model_type":"gemma3","text_config":{"head_dim":128,"hidden_size":5376,"intermediate_size":21504,"model_type":"gemma3_text","num_attention_heads":32,"num_hidden_layers":62,"num_key_value_heads":16,"sliding_window":1024},"vision_config":{"hidden_size":1152,"image_size":896,"intermediate_size":4304,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":27,"patch_size":14,"vision_use_head":false}})json"},
              {"llama-3.1-8b", "Llama 3.1 8B", hf + "meta-llama/Llama-3.1-8B/blob/main/config.json",
               R"json({"attention_bias":false,"hidden_size":4096,"intermediate_size":14336,"mlp_bias":false,"model_type":"llama","num_attention_heads":32,"num_hidden_layers":32,"num_key_value_heads":8,"tie_word_embeddings":false,"vocab_size":128256})json"},
              {"llama-3.1-70b", "Llama 3.1 70B", hf + "meta-llama/Llama-3.1-70B/blob/main/config.json",
               R"json({"attention_bias":false,"hidden_size":8192,"intermediate_size":28672,"mlp_bias":false,"model_type":"llama","num_attention_heads":64,"num_hidden_layers":80,"num_key_value_heads":8,"tie_word_embeddings":false,"vocab_size":128256})json"},
              {"llama-3.2-3b", "Llama 3.2 3B", hf + "meta-llama/Llama-3.2-3B/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":3072,"intermediate_size":8192,"mlp_bias":false,"model_type":"llama","num_attention_heads":24,"num_hidden_layers":28,"num_key_value_heads":8,"tie_word_embeddings":true,"vocab_size":128256})json"},
              {"llama-3.3-70b", "Llama 3.3 70B Instruct",
               hf + "meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json",
               R"json({"attention_bias":false,"head_dim":128,"hidden_size":8192,"intermediate_size":28672,"mlp_bias":false,"model_type":"llama","num_attention_heads":64,"num_hidden_layers":80,"num_key_value_heads":8,"tie_word_embeddings":false,"vocab_size":128256})json"},
              {"llama-4-scout", "Llama 4 Scout (17B active, 16 experts)",
               hf + "meta-llama/Llama-4-Scout-17B-16E/blob/main/config.json",
               R"json({"model_type":"llama4","text_config":{"attention_bias":false,"attention_chunk_size":8192,"head_dim":128,"hidden_size":5120,"interleave_moe_layer_step":1,"intermediate_size":8192,"intermediate_size_mlp":16384,"model_type":"llama4_text","no_rope_layers":[],"num_attention_heads":40,"num_experts_per_tok":1,"num_hidden_layers":48,"num_key_value_heads":8,"num_local_experts":16,"vocab_size":202048},"vision_config":{"hidden_size":1408,"image_size":336,"intermediate_size":5632,"model_type":"llama4_vision_model","num_attention_heads":16,"num_channels":3,"num_hidden_layers":34,"patch_size":14,"projector_input_dim":4096,"projector_output_dim":4096,"vision_output_dim":4096}})json"},
              {"llama-4-maverick", "Llama 4 Maverick (17B active, 128 experts)", hf + "meta-llama/Llama-4-Maverick-17B-128E/blob/main/config.json", R"json({"model_type":"llama4","text_config":{"attention_bias":false,"attention_chunk_size":8192,"head_dim":128,"hidden_size":5120,"interleave_moe_layer_step":2,"intermediate_size":8192,"intermediate_size_mlp":16384,"model_type":"llama4_text","no_rope_layers":[],"num_attention_heads":40,"num_experts_per_tok":1,"num_hidden_layers":48,"num_key_value_heads":8,"num_local_experts":128,"vocab_size":202048},"vision_config":{"hidden_size":1408,"image_size":336,"intermediate_size":5632,"model_type":"llama4_vision_model","num_attention_heads":16,"num_channels":3,"num_hidden_layers":34,"patch_size":14,"projector_input_dim":4096,"projector_output_dim":4096,"vision_output_dim":4096}})json"},
              {"gpt-oss-20b", "gpt-oss-20b (MoE, MXFP4)", hf + "openai/gpt-oss-20b/blob/main/config.json", R"json({"attention_bias":true,"experts_per_token":4,"head_dim":64,"hidden_size":2880,"initial_context_length":4096,"intermediate_size":2880,"layer_types":["sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention"],"model_type":"gpt_oss","num_attention_heads":64,"num_experts_per_tok":4,"num_hidden_layers":24,"num_key_value_heads":8,"num_local_experts":32,"quantization_config":{"modules_to_not_convert":["model.layers.*.self_attn","model.layers.*.mlp.router","model.embed_tokens","lm_head"],"quant_method":"mxfp4"},"sliding_window":128,"tie_word_embeddings":false,"vocab_size":201088})json"},
              {"gpt-oss-120b", "gpt-oss-120b (MoE, MXFP4)", hf + "openai/gpt-oss-120b/blob/main/config.json",
               R"json({"attention_bias":true,"experts_per_token":4,"head_dim":64,"hidden_size":2880,"initial_context_length":4096,"intermediate_size":2880,"layer_types":["sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention"],"model_type":"gpt_oss","num_attention_heads":64,"num_experts_per_tok":4,"num_hidden_layers":36,"num_key_value_heads":8,"num_local_experts":128,"quantization_config":{"modules_to_not_convert":["model.layers.*.self_attn","model.layers.*.mlp.router","model.embed_tokens","lm_head"],"quant_method":"mxfp4"},"sliding_window":128,"tie_word_embeddings":false,"vocab_size":201088})json"},
              {"glm-4.5", "GLM-4.5 (355B, MoE)",
               hf + "zai-org/GLM-4.5/blob/main/config.json", R"json({"attention_bias":true,"first_k_dense_replace":3,"head_dim":128,"hidden_size":5120,"intermediate_size":12288,"model_type":"glm4_moe","moe_intermediate_size":1536,"n_routed_experts":160,"n_shared_experts":1,"num_attention_heads":96,"num_experts_per_tok":8,"num_hidden_layers":92,"num_key_value_heads":8,"num_nextn_predict_layers":1,"tie_word_embeddings":false,"use_qk_norm":true,"vocab_size":151552})json"},
              {"glm-4.5-air", "GLM-4.5-Air (106B, MoE)", hf + "zai-org/GLM-4.5-Air/blob/main/config.json",
               R"json({"attention_bias":true,"first_k_dense_replace":1,"head_dim":128,"hidden_size":4096,"intermediate_size":10944,"model_type":"glm4_moe","moe_intermediate_size":1408,"n_routed_experts":128,"n_shared_experts":1,"num_attention_heads":96,"num_experts_per_tok":8,"num_hidden_layers":46,"num_key_value_heads":8,"num_nextn_predict_layers":1,"tie_word_embeddings":false,"use_qk_norm":false,"vocab_size":151552})json"},
              // GLM-5 (and 5.1): DeepSeek-V3's MLA and MoE with DeepSeek-V3.2's sparse attention.
              {"glm-5", "GLM-5 (744B, MoE, MLA, sparse attention)", hf + "zai-org/GLM-5/blob/main/config.json",
               R"json({"attention_bias":false,"first_k_dense_replace":3,"hidden_size":6144,"index_head_dim":128,"index_n_heads":32,"index_topk":2048,"intermediate_size":12288,"kv_lora_rank":512,"model_type":"glm_moe_dsa","moe_intermediate_size":2048,"moe_layer_freq":1,"n_routed_experts":256,"n_shared_experts":1,"num_attention_heads":64,"num_experts_per_tok":8,"num_hidden_layers":78,"num_key_value_heads":64,"num_nextn_predict_layers":1,"q_lora_rank":2048,"qk_nope_head_dim":192,"qk_rope_head_dim":64,"tie_word_embeddings":false,"topk_method":"noaux_tc","v_head_dim":256,"vocab_size":154880})json"},
              {"minimax-m2", "MiniMax-M2 (230B, MoE)", hf + "MiniMaxAI/MiniMax-M2/blob/main/config.json",
               R"json({"head_dim":128,"hidden_size":3072,"intermediate_size":1536,"model_type":"minimax_m2","num_attention_heads":48,"num_experts_per_tok":8,"num_hidden_layers":62,"num_key_value_heads":8,"num_local_experts":256,"qk_norm_type":"per_layer","quantization_config":{"quant_method":"fp8","weight_block_size":[128,128]},"tie_word_embeddings":false,"use_qk_norm":true,"use_routing_bias":true,"vocab_size":200064})json"},
              {"mistral-nemo", "Mistral NeMo 12B", hf + "mistralai/Mistral-Nemo-Base-2407/blob/main/config.json",
               R"json({"head_dim":128,"hidden_size":5120,"intermediate_size":14336,"model_type":"mistral","num_attention_heads":32,"num_hidden_layers":40,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":false,"vocab_size":131072})json"},
              {"mistral-small-3", "Mistral Small 3 (24B)",
               hf + "mistralai/Mistral-Small-24B-Base-2501/blob/main/config.json", R"json({"head_dim":128,"hidden_size":5120,"intermediate_size":32768,"model_type":"mistral","num_attention_heads":32,"num_hidden_layers":40,"num_key_value_heads":8,"sliding_window":null,"tie_word_embeddings":false,"vocab_size":131072})json"},
              {"mistral-small-3.1", "Mistral Small 3.1 / 3.2 (24B, vision)",
               hf + "mistralai/Mistral-Small-3.1-24B-Instruct-2503/blob/main/config.json",
               R"json({"model_type":"mistral3","multimodal_projector_bias":false,"spatial_merge_size":2,"text_config":{"head_dim":128,"hidden_size":5120,"intermediate_size":32768,"model_type":"mistral","num_attention_heads":32,"num_hidden_layers":40,"num_key_value_heads":8,"sliding_window":null,"vocab_size":131072},"vision_config":{"hidden_size":1024,"image_size":1540,"intermediate_size":4096,"model_type":"pixtral","num_attention_heads":16,"num_channels":3,"num_hidden_layers":24,"patch_size":14}})json"},
              {"mixtral-8x22b", "Mixtral 8x22B", hf + "mistralai/Mixtral-8x22B-v0.1/blob/main/config.json",
               R"json({"hidden_size":6144,"intermediate_size":16384,"model_type":"mixtral","num_attention_heads":48,"num_experts_per_tok":2,"num_hidden_layers":56,"num_key_value_heads":8,"num_local_experts":8,"sliding_window":null,"tie_word_embeddings":false,"vocab_size":32000})json"},
              {"phi-4", "Phi-4 (14B)", hf + "microsoft/phi-4/blob/main/config.json",
               R"json({"attention_bias":false,"hidden_size":5120,"intermediate_size":17920,"model_type":"phi3","num_attention_heads":40,"num_hidden_layers":40,"num_key_value_heads":10,"sliding_window":null,"tie_word_embeddings":false,"vocab_size":100352})json"},
              {"qwen2.5-vl-7b", "Qwen2.5-VL 7B (vision)", hf + "Qwen/Qwen2.5-VL-7B-Instruct/blob/main/config.json",
               R"json({"hidden_size":3584,"intermediate_size":18944,"model_type":"qwen2_5_vl","num_attention_heads":28,"num_hidden_layers":28,"num_key_value_heads":4,"tie_word_embeddings":false,"use_sliding_window":false,"vision_config":{"depth":32,"fullatt_block_indexes":[7,15,23,31],"hidden_size":1280,"in_chans":3,"intermediate_size":3420,"out_hidden_size":3584,"patch_size":14,"spatial_merge_size":2,"temporal_patch_size":2,"window_size":112},"vocab_size":152064})json"},
              {"qwen3-vl-8b", "Qwen3-VL 8B (vision)", hf + "Qwen/Qwen3-VL-8B-Instruct/blob/main/config.json",
               R"json({"model_type":"qwen3_vl","text_config":{"head_dim":128,"hidden_size":4096,"intermediate_size":12288,"num_attention_heads":32,"num_hidden_layers":36,"num_key_value_heads":8,"vocab_size":151936},"tie_word_embeddings":false,"vision_config":{"deepstack_visual_indexes":[8,16,24],"depth":27,"hidden_size":1152,"in_channels":3,"intermediate_size":4304,"num_position_embeddings":2304,"out_hidden_size":4096,"patch_size":16,"spatial_merge_size":2,"temporal_patch_size":2}})json"},
              {"qwen3-vl-30b-a3b", "Qwen3-VL 30B-A3B (MoE, vision)",
               hf + "Qwen/Qwen3-VL-30B-A3B-Instruct/blob/main/config.json",
               R"json({"model_type":"qwen3_vl_moe","text_config":{"decoder_sparse_step":1,"head_dim":128,"hidden_size":2048,"intermediate_size":6144,"mlp_only_layers":[],"moe_intermediate_size":768,"num_attention_heads":32,"num_experts":128,"num_experts_per_tok":8,"num_hidden_layers":48,"num_key_value_heads":4,"vocab_size":151936},"tie_word_embeddings":false,"vision_config":{"deepstack_visual_indexes":[8,16,24],"depth":27,"hidden_size":1152,"in_channels":3,"intermediate_size":4304,"num_position_embeddings":2304,"out_hidden_size":2048,"patch_size":16,"spatial_merge_size":2,"temporal_patch_size":2}})json"},
          };
  return table;
}

}  // namespace

const std::vector<ModelPreset>& model_presets() {
  static const std::vector<ModelPreset> presets = [] {
    std::vector<ModelPreset> out;
    for (const PresetRecord& record : records()) {
      const HfImport imported = import_hf_config(record.config_json);
      ModelPreset preset{record.id,
                         record.label,
                         record.source,
                         imported.config,
                         record.config_json,
                         imported.weights_format,
                         imported.weights_keep,
                         imported.status.ok};
      preset.config.name = record.id;
      out.push_back(std::move(preset));
    }
    return out;
  }();
  return presets;
}

const ModelPreset* find_model_preset(std::string_view id) {
  for (const ModelPreset& preset : model_presets())
    if (preset.id == id) return &preset;
  return nullptr;
}

}  // namespace llmst

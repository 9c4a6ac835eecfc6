// Model area: ModelConfig (shared by every area), parameter counts, FLOPs,
// presets and config.json import. Registrations only.
#include <emscripten/bind.h>

#include "model/hf_import.hpp"
#include "model/presets.hpp"
#include "model/report.hpp"

using namespace emscripten;
using namespace llmst;

namespace {

ModelConfig default_model_config() { return ModelConfig{}; }
ModelParams count_params_js(const ModelConfig& config) { return count_params(config); }
HfImport import_hf_config_js(const std::string& text) { return import_hf_config(text); }

}  // namespace

EMSCRIPTEN_BINDINGS(model) {
  value_object<ModelConfig>("ModelConfig")
      .field("name", &ModelConfig::name)
      .field("vocab_size", &ModelConfig::vocab_size)
      .field("d_model", &ModelConfig::d_model)
      .field("n_layers", &ModelConfig::n_layers)
      .field("n_heads", &ModelConfig::n_heads)
      .field("n_kv_heads", &ModelConfig::n_kv_heads)
      .field("head_dim", &ModelConfig::head_dim)
      .field("d_ff", &ModelConfig::d_ff)
      .field("ffn", &ModelConfig::ffn)
      .field("norm", &ModelConfig::norm)
      .field("tied_embeddings", &ModelConfig::tied_embeddings)
      .field("qkv_bias", &ModelConfig::qkv_bias)
      .field("attn_out_bias", &ModelConfig::attn_out_bias)
      .field("mlp_bias", &ModelConfig::mlp_bias)
      .field("learned_position_embeddings", &ModelConfig::learned_position_embeddings)
      .field("parallel_attn_mlp", &ModelConfig::parallel_attn_mlp)
      .field("parallel_shared_norm", &ModelConfig::parallel_shared_norm)
      .field("n_experts", &ModelConfig::n_experts)
      .field("experts_top_k", &ModelConfig::experts_top_k)
      .field("sandwich_norms", &ModelConfig::sandwich_norms)
      .field("qk_norm", &ModelConfig::qk_norm)
      .field("qk_norm_full_width", &ModelConfig::qk_norm_full_width)
      .field("attention_sinks", &ModelConfig::attention_sinks)
      .field("attention", &ModelConfig::attention)
      .field("q_lora_rank", &ModelConfig::q_lora_rank)
      .field("kv_lora_rank", &ModelConfig::kv_lora_rank)
      .field("qk_nope_head_dim", &ModelConfig::qk_nope_head_dim)
      .field("qk_rope_head_dim", &ModelConfig::qk_rope_head_dim)
      .field("v_head_dim", &ModelConfig::v_head_dim)
      .field("indexer_heads", &ModelConfig::indexer_heads)
      .field("indexer_head_dim", &ModelConfig::indexer_head_dim)
      .field("indexer_topk", &ModelConfig::indexer_topk)
      .field("sliding_window", &ModelConfig::sliding_window)
      .field("attention_chunk", &ModelConfig::attention_chunk)
      .field("layer_types", &ModelConfig::layer_types)
      .field("moe_d_ff", &ModelConfig::moe_d_ff)
      .field("shared_experts", &ModelConfig::shared_experts)
      .field("shared_expert_d_ff", &ModelConfig::shared_expert_d_ff)
      .field("shared_expert_gate", &ModelConfig::shared_expert_gate)
      .field("router_bias", &ModelConfig::router_bias)
      .field("router_score_bias", &ModelConfig::router_score_bias)
      .field("mlp_layer_types", &ModelConfig::mlp_layer_types)
      .field("mtp_modules", &ModelConfig::mtp_modules)
      .field("mtp_embedding_copies", &ModelConfig::mtp_embedding_copies)
      .field("vision_params", &ModelConfig::vision_params)
      .field("projector_params", &ModelConfig::projector_params)
      .field("vision_flops_per_image", &ModelConfig::vision_flops_per_image)
      .field("image_tokens", &ModelConfig::image_tokens);

  value_object<ValidatedModel>("ValidatedModel")
      .field("status", &ValidatedModel::status)
      .field("config", &ValidatedModel::config);

  value_object<LayerRunParams>("LayerRunParams")
      .field("kind", &LayerRunParams::kind)
      .field("count", &LayerRunParams::count)
      .field("per_layer", &LayerRunParams::per_layer)
      .field("per_layer_active", &LayerRunParams::per_layer_active)
      .field("total", &LayerRunParams::total);
  register_vector<LayerRunParams>("VectorLayerRunParams");

  value_object<ParamPart>("ParamPart")
      .field("id", &ParamPart::id)
      .field("label", &ParamPart::label)
      .field("per_layer", &ParamPart::per_layer)
      .field("count", &ParamPart::count)
      .field("percent", &ParamPart::percent);
  register_vector<ParamPart>("VectorParamPart");

  value_object<ModelParams>("ModelParams")
      .field("status", &ModelParams::status)
      .field("config", &ModelParams::config)
      .field("q_dim", &ModelParams::q_dim)
      .field("kv_dim", &ModelParams::kv_dim)
      .field("embedding", &ModelParams::embedding)
      .field("position_embedding", &ModelParams::position_embedding)
      .field("attention_q", &ModelParams::attention_q)
      .field("attention_k", &ModelParams::attention_k)
      .field("attention_v", &ModelParams::attention_v)
      .field("attention_o", &ModelParams::attention_o)
      .field("attention_bias", &ModelParams::attention_bias)
      .field("attention_norms", &ModelParams::attention_norms)
      .field("attention_sinks", &ModelParams::attention_sinks)
      .field("attention_indexer", &ModelParams::attention_indexer)
      .field("attention", &ModelParams::attention)
      .field("ffn_per_expert", &ModelParams::ffn_per_expert)
      .field("ffn_dense", &ModelParams::ffn_dense)
      .field("ffn_experts", &ModelParams::ffn_experts)
      .field("ffn_shared", &ModelParams::ffn_shared)
      .field("ffn", &ModelParams::ffn)
      .field("ffn_active", &ModelParams::ffn_active)
      .field("router", &ModelParams::router)
      .field("norms_per_layer", &ModelParams::norms_per_layer)
      .field("final_norm", &ModelParams::final_norm)
      .field("norms", &ModelParams::norms)
      .field("lm_head", &ModelParams::lm_head)
      .field("per_layer", &ModelParams::per_layer)
      .field("per_layer_active", &ModelParams::per_layer_active)
      .field("language_model", &ModelParams::language_model)
      .field("mtp", &ModelParams::mtp)
      .field("vision", &ModelParams::vision)
      .field("projector", &ModelParams::projector)
      .field("total", &ModelParams::total)
      .field("active", &ModelParams::active)
      .field("attention_percent", &ModelParams::attention_percent)
      .field("ffn_percent", &ModelParams::ffn_percent)
      .field("parts", &ModelParams::parts)
      .field("layer_kinds", &ModelParams::layer_kinds);

  value_object<FlopSplit>("FlopSplit")
      .field("attention_projections", &FlopSplit::attention_projections)
      .field("attention_scores", &FlopSplit::attention_scores)
      .field("attention", &FlopSplit::attention)
      .field("ffn", &FlopSplit::ffn)
      .field("lm_head", &FlopSplit::lm_head)
      .field("total", &FlopSplit::total);
  value_object<DecodeFlops>("DecodeFlops")
      .field("context_tokens", &DecodeFlops::context_tokens)
      .field("attended_tokens", &DecodeFlops::attended_tokens)
      .field("split", &DecodeFlops::split);
  value_object<PrefillFlops>("PrefillFlops")
      .field("context_tokens", &PrefillFlops::context_tokens)
      .field("attended_pairs", &PrefillFlops::attended_pairs)
      .field("lm_head_last_token", &PrefillFlops::lm_head_last_token)
      .field("split", &PrefillFlops::split);
  value_object<Crossover>("Crossover")
      .field("exists", &Crossover::exists)
      .field("context_tokens", &Crossover::context_tokens);
  value_object<AttentionSharePoint>("AttentionSharePoint")
      .field("context_tokens", &AttentionSharePoint::context_tokens)
      .field("attention_flops", &AttentionSharePoint::attention_flops)
      .field("ffn_flops", &AttentionSharePoint::ffn_flops)
      .field("lm_head_flops", &AttentionSharePoint::lm_head_flops)
      .field("total_flops", &AttentionSharePoint::total_flops)
      .field("attention_share", &AttentionSharePoint::attention_share);
  register_vector<AttentionSharePoint>("VectorAttentionSharePoint");

  value_object<WeightsMemory>("WeightsMemory")
      .field("dtype", &WeightsMemory::dtype)
      .field("label", &WeightsMemory::label)
      .field("bits", &WeightsMemory::bits)
      .field("bytes", &WeightsMemory::bytes)
      .field("active_bytes", &WeightsMemory::active_bytes);
  register_vector<WeightsMemory>("VectorWeightsMemory");

  value_object<ModelReport>("ModelReport")
      .field("status", &ModelReport::status)
      .field("config", &ModelReport::config)
      .field("params", &ModelReport::params)
      .field("weights_memory", &ModelReport::weights_memory)
      .field("decode", &ModelReport::decode)
      .field("prefill", &ModelReport::prefill)
      .field("crossover", &ModelReport::crossover)
      .field("attention_share_curve", &ModelReport::attention_share_curve);

  value_object<ModelPreset>("ModelPreset")
      .field("id", &ModelPreset::id)
      .field("label", &ModelPreset::label)
      .field("source", &ModelPreset::source)
      .field("config", &ModelPreset::config)
      .field("weights_format", &ModelPreset::weights_format)
      .field("weights_keep", &ModelPreset::weights_keep);
  register_vector<ModelPreset>("VectorModelPreset");

  value_object<HfImport>("HfImport")
      .field("status", &HfImport::status)
      .field("config", &HfImport::config)
      .field("assumed", &HfImport::assumed)
      .field("model_type", &HfImport::model_type)
      .field("weights_format", &HfImport::weights_format)
      .field("weights_format_exceptions", &HfImport::weights_format_exceptions)
      .field("weights_keep", &HfImport::weights_keep);

  function("defaultModelConfig", &default_model_config);
  function("validateModel", &validate_model);
  function("countParams", &count_params_js);
  function("modelReport", &model_report);
  function("modelPresets", &model_presets);
  function("importHfConfig", &import_hf_config_js);
}

#include "model/hf_import.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "core/validate.hpp"

namespace llmst {

namespace {

using nlohmann::json;

const char* type_name(const json& value) { return value.type_name(); }

std::string shown(double value) { return format_number(value); }

// Reads fields of one config.json object, recording the first error, every
// default it applies, and which key fed each ModelConfig field (so that a
// later validation error can name the key the user must fix).
class Reader {
 public:
  Reader(const json& root, std::vector<std::string>& assumed) : root_(root), assumed_(assumed) {}

  Status status;
  std::vector<std::pair<std::string, std::string>> sources;  // ModelConfig field -> key

  // The first of `keys` present and not null, else nullptr.
  const json* find(std::initializer_list<const char*> keys, std::string* key_found = nullptr) const {
    for (const char* key : keys) {
      auto it = root_.find(key);
      if (it != root_.end() && !it->is_null()) {
        if (key_found) *key_found = key;
        return &*it;
      }
    }
    return nullptr;
  }

  bool has(const char* key) const { return find({key}) != nullptr; }

  // A number that must be present.
  double required(const char* target, std::initializer_list<const char*> keys) {
    std::string key;
    const json* value = find(keys, &key);
    if (!value) {
      fail(*keys.begin(), std::string("config.json has no \"") + *keys.begin() + "\"");
      return 0;
    }
    return number(target, key, *value);
  }

  // A number that may be absent or null: then `fallback`, recorded as assumed.
  double optional(const char* target, std::initializer_list<const char*> keys, double fallback,
                  const std::string& why = "default") {
    std::string key;
    const json* value = find(keys, &key);
    if (!value) {
      assumed_.push_back(std::string(*keys.begin()) + ": " + shown(fallback) + " (" + why + ")");
      if (target[0]) sources.emplace_back(target, *keys.begin());
      return fallback;
    }
    return number(target, key, *value);
  }

  bool flag(const char* key, bool fallback) {
    const json* value = find({key});
    if (!value) {
      assumed_.push_back(std::string(key) + ": " + (fallback ? "true" : "false") + " (default)");
      return fallback;
    }
    if (!value->is_boolean()) {
      fail(key, std::string(key) + " must be true or false (got " + type_name(*value) + " " +
                    value->dump() + ")");
      return fallback;
    }
    return value->get<bool>();
  }

  void assume(std::string text) { assumed_.push_back(std::move(text)); }

  void fail(const std::string& key, const std::string& message) {
    if (status.ok) status = error_status(key, message);
  }

 private:
  double number(const char* target, const std::string& key, const json& value) {
    if (!value.is_number()) {
      fail(key, key + " must be a number (got " + type_name(value) + " " + value.dump() + ")");
      return 0;
    }
    if (target[0]) sources.emplace_back(target, key);
    return value.get<double>();
  }

  const json& root_;
  std::vector<std::string>& assumed_;
};

// vocab, d_model, layers, heads, d_ff and kv heads as llama-style configs name them.
void read_llama_fields(Reader& r, ModelConfig& c, double kv_default, const std::string& kv_why) {
  c.vocab_size = r.required("vocab_size", {"vocab_size"});
  c.d_model = r.required("d_model", {"hidden_size"});
  c.n_layers = r.required("n_layers", {"num_hidden_layers"});
  c.n_heads = r.required("n_heads", {"num_attention_heads"});
  c.d_ff = r.required("d_ff", {"intermediate_size"});
  c.n_kv_heads = r.optional("n_kv_heads", {"num_key_value_heads"},
                            kv_default > 0 ? kv_default : c.n_heads, kv_why);
}

// head_dim when the file sets it (Llama 3.x, Mistral, Gemma); else implied.
void read_head_dim(Reader& r, ModelConfig& c, double fallback) {
  if (r.has("head_dim")) {
    c.head_dim = r.required("head_dim", {"head_dim"});
  } else if (fallback > 0) {
    c.head_dim = r.optional("head_dim", {"head_dim"}, fallback);
  } else {
    r.assume("head_dim: hidden_size / num_attention_heads (implied)");
  }
}

void read_window(Reader& r, ModelConfig& c, bool declared_default) {
  if (r.has("sliding_window")) {
    c.sliding_window = r.required("sliding_window", {"sliding_window"});
  } else {
    r.assume(std::string("sliding_window: ") + (declared_default ? "4096" : "null") + " (default)");
    c.sliding_window = declared_default ? 4096 : 0;
  }
}

void read_type(Reader& r, ModelConfig& c, const std::string& type) {
  if (type == "gpt2") {
    // GPT2Config: n_inner None means 4 * n_embd; LayerNorm, GELU MLP, biases
    // on every Linear (Conv1D), learned positions, tied head.
    c.vocab_size = r.required("vocab_size", {"vocab_size"});
    c.d_model = r.required("d_model", {"n_embd"});
    c.n_layers = r.required("n_layers", {"n_layer"});
    c.n_heads = r.required("n_heads", {"n_head"});
    c.n_kv_heads = c.n_heads;
    c.d_ff = r.optional("d_ff", {"n_inner"}, 4 * c.d_model, "default: 4 * n_embd");
    c.learned_position_embeddings = r.optional("learned_position_embeddings", {"n_positions"}, 1024);
    c.ffn = "plain";
    c.norm = "layer";
    c.qkv_bias = c.attn_out_bias = c.mlp_bias = true;
    c.tied_embeddings = r.flag("tie_word_embeddings", true);
    return;
  }
  if (type == "falcon") {
    // FalconConfig (also the older RW names n_layer, n_head).
    c.vocab_size = r.required("vocab_size", {"vocab_size"});
    c.d_model = r.required("d_model", {"hidden_size"});
    c.n_layers = r.required("n_layers", {"num_hidden_layers", "n_layer"});
    c.n_heads = r.required("n_heads", {"num_attention_heads", "n_head"});
    c.d_ff = r.optional("d_ff", {"ffn_hidden_size"}, 4 * c.d_model, "default: 4 * hidden_size");
    const bool new_arch = r.flag("new_decoder_architecture", false);
    const bool multi_query = r.flag("multi_query", true);
    const double kv = r.optional("", {"num_kv_heads"}, c.n_heads, "default: num_attention_heads");
    // FalconAttention: num_kv_heads counts only with the new architecture or without MQA.
    c.n_kv_heads = new_arch || !multi_query ? kv : 1;
    r.sources.emplace_back("n_kv_heads", new_arch || !multi_query ? "num_kv_heads" : "multi_query");
    const bool parallel = r.flag("parallel_attn", true);
    const bool bias = r.flag("bias", false);
    r.flag("alibi", false);  // ALiBi has no parameters; read only to type-check it
    c.ffn = "plain";
    c.norm = "layer";
    c.qkv_bias = c.attn_out_bias = c.mlp_bias = bias;
    if (new_arch) {
      // ln_attn and ln_mlp (num_ln_in_parallel_attn defaults to 2).
      c.parallel_attn_mlp = true;
      c.parallel_shared_norm = r.optional("", {"num_ln_in_parallel_attn"}, 2) == 1;
    } else {
      c.parallel_attn_mlp = parallel;
      c.parallel_shared_norm = true;
    }
    c.tied_embeddings = r.flag("tie_word_embeddings", true);
    return;
  }

  // The llama family. Defaults from each transformers config class.
  if (type == "mistral" || type == "mixtral") {
    read_llama_fields(r, c, 8, "default");
    read_head_dim(r, c, 0);
    read_window(r, c, type == "mistral");
    if (type == "mixtral") {
      c.n_experts = r.optional("n_experts", {"num_local_experts"}, 8);
      c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 2);
    }
  } else if (type == "qwen2") {
    read_llama_fields(r, c, 32, "default");
    read_head_dim(r, c, 0);
    c.qkv_bias = true;  // Qwen2Attention: q, k, v Linear(bias=True), o without
    r.assume("qkv_bias: true (Qwen2 architecture)");
    if (r.flag("use_sliding_window", false)) c.sliding_window = r.required("sliding_window", {"sliding_window"});
  } else if (type == "gemma") {
    read_llama_fields(r, c, 16, "default");
    read_head_dim(r, c, 256);
    r.assume("ffn: gated (GeGLU, Gemma architecture)");
  } else if (type == "phi3") {
    read_llama_fields(r, c, 0, "default: num_attention_heads");
    if (r.has("sliding_window")) c.sliding_window = r.required("sliding_window", {"sliding_window"});
  } else {
    read_llama_fields(r, c, 0, "default: num_attention_heads");
    read_head_dim(r, c, 0);
    if (type == "llama") {
      const bool bias = r.flag("attention_bias", false);
      c.qkv_bias = c.attn_out_bias = bias;
      c.mlp_bias = r.flag("mlp_bias", false);
    } else {
      r.assume("architecture: llama-style (gated FFN, RMSNorm, RoPE, no biases), since model_type " +
               (type.empty() ? std::string("is missing") : "\"" + type + "\" is not known"));
    }
  }
  c.tied_embeddings = r.flag("tie_word_embeddings", type == "gemma");
}

}  // namespace

const std::vector<std::string>& hf_model_types() {
  static const std::vector<std::string> types = {"llama", "mistral", "mixtral", "qwen2",
                                                 "gemma", "gpt2",    "falcon",  "phi3"};
  return types;
}

HfImport import_hf_config(std::string_view text) {
  HfImport result;
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) {
    result.status = error_status("config_json", "config.json is not valid JSON");
    return result;
  }
  if (!root.is_object()) {
    result.status = error_status("config_json", std::string("config.json must hold a JSON object (got ") +
                                                    root.type_name() + ")");
    return result;
  }
  if (auto it = root.find("model_type"); it != root.end()) {
    if (!it->is_string()) {
      result.status = error_status("model_type", std::string("model_type must be a string (got ") +
                                                     it->type_name() + " " + it->dump() + ")");
      return result;
    }
    result.model_type = it->get<std::string>();
  }

  Reader reader(root, result.assumed);
  ModelConfig config;
  if (auto it = root.find("_name_or_path"); it != root.end() && it->is_string() && !it->get<std::string>().empty())
    config.name = it->get<std::string>();
  else
    config.name = result.model_type.empty() ? "imported" : result.model_type;
  read_type(reader, config, result.model_type);
  result.config = config;
  if (!reader.status.ok) {
    result.status = reader.status;
    return result;
  }

  // Validate, naming the config.json key behind the ModelConfig field at fault.
  ValidatedModel validated = validate_model(config);
  if (!validated.status.ok) {
    Status status = validated.status;
    for (const auto& [target, key] : reader.sources) {
      if (target == status.field && key != target) {
        status.message = key + " (" + status.message + ")";
        status.field = key;
        break;
      }
    }
    result.status = status;
    return result;
  }
  return result;
}

}  // namespace llmst

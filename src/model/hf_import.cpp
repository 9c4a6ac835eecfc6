#include "model/hf_import.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <utility>

#include "core/json.hpp"
#include "core/validate.hpp"

namespace llmst {

namespace {

using json = JsonValue;

std::string shown(double value) { return format_number(value); }

// A JSON value as a message shows it: its type, and its text when that is a short scalar.
std::string described(const json& value) {
  std::string text = value.type_name();
  if (value.is_primitive()) {
    const std::string dumped = value.dump();
    if (dumped.size() <= 40) text += " " + dumped;
  }
  return text;
}

// Reads the fields of one config.json object (the root, or a nested
// text_config), recording the first error, every default it applies, and
// which key fed each ModelConfig field (so that a later validation error can
// name the key the user must fix). Messages name keys and JSON types, never
// echo the user's values beyond a number: a hostile file cannot make them large.
class Reader {
 public:
  Reader(const json& root, std::vector<std::string>& assumed, std::string prefix = "")
      : root_(root), assumed_(assumed), prefix_(std::move(prefix)) {}

  Status status;
  std::vector<std::pair<std::string, std::string>> sources;  // ModelConfig field -> key

  std::string key_name(const std::string& key) const { return prefix_ + key; }

  // The first of `keys` present and not null, else nullptr.
  const json* find(std::initializer_list<const char*> keys, std::string* key_found = nullptr) const {
    for (const char* key : keys) {
      const json* value = root_.find(key);
      if (value && !value->is_null()) {
        if (key_found) *key_found = key;
        return value;
      }
    }
    return nullptr;
  }

  bool has(const char* key) const { return find({key}) != nullptr; }
  // Present, even as null (null means "None" in the config class).
  bool present(const char* key) const { return root_.find(key) != nullptr; }

  // A number that must be present.
  double required(const char* target, std::initializer_list<const char*> keys) {
    std::string key;
    const json* value = find(keys, &key);
    if (!value) {
      fail(*keys.begin(), "config.json has no \"" + key_name(*keys.begin()) + "\"");
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
      assumed_.push_back(key_name(*keys.begin()) + ": " + shown(fallback) + " (" + why + ")");
      if (target[0]) sources.emplace_back(target, key_name(*keys.begin()));
      return fallback;
    }
    return number(target, key, *value);
  }

  // A whole number from `min` to 1e9 (a width, a layer count, a patch size)
  // that may be absent or null: then `fallback`. Anything else fails, naming the key.
  double whole(std::initializer_list<const char*> keys, double fallback, double min = 1) {
    std::string key = *keys.begin();
    find(keys, &key);
    const double value = optional("", keys, fallback);
    if (status.ok && !(value >= min && value <= 1e9 && value == std::floor(value)))
      fail(key, key_name(key) + " = " + shown(value) + " must be a whole number from " + shown(min) + " to 1e9");
    return value;
  }

  bool flag(const char* key, bool fallback) {
    const json* value = find({key});
    if (!value) {
      assumed_.push_back(key_name(key) + ": " + (fallback ? "true" : "false") + " (default)");
      return fallback;
    }
    if (!value->is_boolean()) {
      fail(key, key_name(key) + " must be true or false (got " + described(*value) + ")");
      return fallback;
    }
    return value->boolean;
  }

  std::string text(const char* key, const std::string& fallback) {
    const json* value = find({key});
    if (!value) return fallback;
    if (!value->is_string()) {
      fail(key, key_name(key) + " must be a string (got " + described(*value) + ")");
      return fallback;
    }
    return value->text;
  }

  // A list of whole numbers (layer indices, 0/1 flags); empty when absent or null.
  std::vector<double> numbers(const char* key) {
    return list<double>(
        key, "a number", [](const json& item) { return item.is_number(); },
        [](const json& item) { return item.number; });
  }

  // A list of strings; empty when absent or null.
  std::vector<std::string> strings(const char* key) {
    return list<std::string>(
        key, "a string", [](const json& item) { return item.is_string(); }, [](const json& item) { return item.text; });
  }

  const json* object(const char* key) {
    const json* value = find({key});
    if (value && !value->is_object()) {
      fail(key, key_name(key) + " must be an object (got " + value->type_name() + ")");
      return nullptr;
    }
    return value;
  }

  void assume(std::string text) { assumed_.push_back(std::move(text)); }

  void fail(const std::string& key, const std::string& message) {
    if (status.ok) status = error_status(key_name(key), message);
  }

 private:
  // A list whose every item passes `is_item`; empty when absent or null, or at the first bad item.
  template <typename T, typename Check, typename Get>
  std::vector<T> list(const char* key, const char* kind, Check is_item, Get get) {
    std::vector<T> out;
    const json* value = find({key});
    if (!value) return out;
    if (!value->is_array()) {
      fail(key, key_name(key) + " must be a list (got " + value->type_name() + ")");
      return out;
    }
    for (size_t i = 0; i < value->items.size(); ++i) {
      const json& item = value->items[i];
      if (!is_item(item)) {
        fail(key, key_name(key) + "[" + std::to_string(i) + "] must be " + kind + " (got " + described(item) + ")");
        return {};
      }
      out.push_back(get(item));
    }
    return out;
  }

  double number(const char* target, const std::string& key, const json& value) {
    if (!value.is_number()) {
      fail(key, key_name(key) + " must be a number (got " + described(value) + ")");
      return 0;
    }
    if (target[0]) sources.emplace_back(target, key_name(key));
    return value.number;
  }

  const json& root_;
  std::vector<std::string>& assumed_;
  std::string prefix_;
};

// A per-layer list in ModelConfig's words, or "" when every layer is alike.
std::string layer_list(double layers, const std::function<std::string(int64_t)>& kind) {
  if (!(layers >= 1 && layers <= 1e6)) return "";  // validate_model names n_layers
  const int64_t n = static_cast<int64_t>(layers);
  std::string list;
  bool uniform = true;
  const std::string first = kind(0);
  for (int64_t i = 0; i < n; ++i) {
    const std::string item = kind(i);
    uniform = uniform && item == first;
    list += (i ? "," : "") + item;
  }
  return uniform ? "" : list;
}

bool contains(const std::vector<double>& list, int64_t value) {
  return std::find(list.begin(), list.end(), static_cast<double>(value)) != list.end();
}

// layer_types as written in the file ("full_attention", "sliding_attention",
// "chunked_attention"), mapped to ModelConfig's words; false on an unknown entry.
bool read_layer_types(Reader& r, ModelConfig& c) {
  const std::vector<std::string> types = r.strings("layer_types");
  if (types.empty()) return false;
  std::string list;
  bool any_sliding = false, any_chunked = false;
  for (size_t i = 0; i < types.size(); ++i) {
    std::string word;
    if (types[i] == "full_attention")
      word = "full";
    else if (types[i] == "sliding_attention")
      word = "sliding", any_sliding = true;
    else if (types[i] == "chunked_attention")
      word = "chunked", any_chunked = true;
    else {
      r.fail("layer_types", r.key_name("layer_types") + "[" + std::to_string(i) +
                                "] is not one of full_attention, sliding_attention, chunked_attention");
      return true;
    }
    list += (i ? "," : "") + word;
  }
  c.layer_types = list;
  r.sources.emplace_back("layer_types", r.key_name("layer_types"));
  if (!any_sliding) c.sliding_window = 0;
  if (!any_chunked) c.attention_chunk = 0;
  return true;
}

// vocab, d_model, layers, heads, d_ff and kv heads as llama-style configs name
// them; `kv_default` 0 means "num_attention_heads" (the classes' None rule).
void read_llama_fields(Reader& r, ModelConfig& c, double kv_default) {
  c.vocab_size = r.required("vocab_size", {"vocab_size"});
  c.d_model = r.required("d_model", {"hidden_size"});
  c.n_layers = r.required("n_layers", {"num_hidden_layers"});
  c.n_heads = r.required("n_heads", {"num_attention_heads"});
  c.d_ff = r.required("d_ff", {"intermediate_size"});
  c.n_kv_heads = r.optional("n_kv_heads", {"num_key_value_heads"}, kv_default > 0 ? kv_default : c.n_heads,
                            kv_default > 0 ? "default" : "default: num_attention_heads");
}

// The same fields with every default of the config class (the nested text
// configs of Gemma 3 and Llama 4 may omit any of them).
struct LlamaDefaults {
  double vocab, hidden, layers, heads, kv_heads, d_ff;
};
void read_llama_fields_defaulted(Reader& r, ModelConfig& c, const LlamaDefaults& d) {
  c.vocab_size = r.optional("vocab_size", {"vocab_size"}, d.vocab);
  c.d_model = r.optional("d_model", {"hidden_size"}, d.hidden);
  c.n_layers = r.optional("n_layers", {"num_hidden_layers"}, d.layers);
  c.n_heads = r.optional("n_heads", {"num_attention_heads"}, d.heads);
  c.d_ff = r.optional("d_ff", {"intermediate_size"}, d.d_ff);
  c.n_kv_heads = r.optional("n_kv_heads", {"num_key_value_heads"}, d.kv_heads);
}

// head_dim when the file sets it; else `fallback`, or implied (hidden / heads) when 0.
void read_head_dim(Reader& r, ModelConfig& c, double fallback) {
  if (r.has("head_dim"))
    c.head_dim = r.required("head_dim", {"head_dim"});
  else if (fallback > 0)
    c.head_dim = r.optional("head_dim", {"head_dim"}, fallback);
  else
    r.assume(r.key_name("head_dim") + ": hidden_size / num_attention_heads (implied)");
}

// Qwen2/Qwen3: sliding layers only with use_sliding_window, from max_window_layers on.
void read_qwen_window(Reader& r, ModelConfig& c) {
  if (read_layer_types(r, c)) {
    if (c.sliding_window > 0 || c.layer_types.find("sliding") != std::string::npos)
      c.sliding_window = r.required("sliding_window", {"sliding_window"});
    return;
  }
  if (!r.flag("use_sliding_window", false)) return;
  c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 4096);
  const double from = r.optional("", {"max_window_layers"}, 28);
  c.layer_types = layer_list(c.n_layers, [&](int64_t i) { return i >= from ? "sliding" : "full"; });
  if (c.layer_types.empty() && from > 0) c.sliding_window = 0;  // every layer below max_window_layers
}

// Qwen2-MoE / Qwen3-MoE: layer i is MoE unless listed in mlp_only_layers, and
// only every decoder_sparse_step-th layer ((i + 1) % step == 0).
void read_qwen_moe_placement(Reader& r, ModelConfig& c) {
  const double step = r.optional("", {"decoder_sparse_step"}, 1);
  const std::vector<double> dense = r.numbers("mlp_only_layers");
  if (step < 1) {
    r.fail("decoder_sparse_step", r.key_name("decoder_sparse_step") + " = " + shown(step) + " must be at least 1");
    return;
  }
  c.mlp_layer_types = layer_list(c.n_layers, [&](int64_t i) {
    return !contains(dense, i) && std::fmod(static_cast<double>(i + 1), step) == 0 ? "moe" : "dense";
  });
}

// A vision tower: its parameters, and the FLOPs of one image through it
// (2 per multiply-add of its matrices, and QK^T plus AV over every pair of
// its tokens: bidirectional attention, 4 hidden FLOPs per pair per layer).
struct VisionTower {
  double params = 0, flops_per_image = 0, patches = 0;
};

// The SigLIP vision tower (Gemma 3): patch conv with bias, learned positions,
// per layer two LayerNorms, q/k/v/out and fc1/fc2 with biases, post LayerNorm
// (transformers modeling_siglip.py; Gemma 3 sets vision_use_head false).
VisionTower siglip_tower(Reader& v) {
  const double hidden = v.whole({"hidden_size"}, 768), ff = v.whole({"intermediate_size"}, 3072);
  const double layers = v.whole({"num_hidden_layers"}, 12, 0), channels = v.whole({"num_channels"}, 3);
  const double image = v.whole({"image_size"}, 224), patch = v.whole({"patch_size"}, 16);
  if (!v.status.ok || !(image >= patch)) {
    v.fail("patch_size", v.key_name("patch_size") + " and image_size must be positive with image_size >= patch_size");
    return {};
  }
  const double patches = std::floor(image / patch) * std::floor(image / patch);
  const double per_layer =
      2 * 2 * hidden + 4 * (hidden * hidden + hidden) + (hidden * ff + ff) + (ff * hidden + hidden);
  VisionTower t;
  t.patches = patches;
  t.params = channels * patch * patch * hidden + hidden + patches * hidden + layers * per_layer + 2 * hidden;
  t.flops_per_image = 2 * patches * channels * patch * patch * hidden +
                      layers * (2 * patches * (4 * hidden * hidden + 2 * hidden * ff) + 4 * patches * patches * hidden);
  if (v.flag("vision_use_head", true)) {
    // Attention-pooling head: probe, MultiheadAttention, LayerNorm, MLP.
    t.params += hidden + (3 * hidden * hidden + 3 * hidden) + (hidden * hidden + hidden) + 2 * hidden +
                (hidden * ff + ff) + (ff * hidden + hidden);
    // K and V of every patch, Q, scores and output of the one probe, its MLP.
    t.flops_per_image +=
        2 * patches * 2 * hidden * hidden + 2 * 2 * hidden * hidden + 4 * patches * hidden + 2 * 2 * hidden * ff;
  }
  return t;
}

// The Llama 4 vision model and its adapter (transformers modeling_llama4.py):
// patches and a class token through the layers; the pixel shuffle then merges
// 1 / ratio^2 patches into each of the tokens the adapter projects.
VisionTower llama4_tower(Reader& v, double* image_tokens) {
  const double hidden = v.whole({"hidden_size"}, 768), ff = v.whole({"intermediate_size"}, 5632);
  const double layers = v.whole({"num_hidden_layers"}, 34, 0), channels = v.whole({"num_channels"}, 3);
  const double image = v.whole({"image_size"}, 448), patch = v.whole({"patch_size"}, 14);
  const double projector_in = v.whole({"projector_input_dim"}, 4096);
  const double projector_out = v.whole({"projector_output_dim"}, 4096);
  const double ratio = v.optional("", {"pixel_shuffle_ratio"}, 0.5);
  if (!v.status.ok || !(image >= patch) || !(ratio > 0 && ratio <= 1)) {
    v.fail("patch_size", v.key_name("patch_size") +
                             ", image_size and pixel_shuffle_ratio must be positive with image_size >= patch_size");
    return {};
  }
  const double patches = std::floor(image / patch) * std::floor(image / patch);
  const double tokens = patches + 1;  // + class token
  const double per_layer =
      4 * (hidden * hidden + hidden) + (hidden * ff + ff) + (ff * hidden + hidden) + 2 * 2 * hidden;
  VisionTower t;
  t.patches = patches;
  t.params = channels * patch * patch * hidden + hidden + tokens * hidden + 2 * 2 * hidden + layers * per_layer +
             ff * projector_in + projector_out * projector_out;
  *image_tokens = patches * ratio * ratio;
  t.flops_per_image = 2 * patches * channels * patch * patch * hidden +
                      layers * (2 * tokens * (4 * hidden * hidden + 2 * hidden * ff) + 4 * tokens * tokens * hidden) +
                      2 * *image_tokens * (ff * projector_in + projector_out * projector_out);
  return t;
}

using TypeReader = std::function<void(Reader&, ModelConfig&, HfImport&)>;

void read_gpt2(Reader& r, ModelConfig& c, HfImport&) {
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
}

void read_falcon(Reader& r, ModelConfig& c, HfImport&) {
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
}

void read_llama(Reader& r, ModelConfig& c, HfImport&) {
  // LlamaConfig: attention_bias on all of q/k/v/o, mlp_bias on the MLP.
  read_llama_fields(r, c, 0);
  read_head_dim(r, c, 0);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.mlp_bias = r.flag("mlp_bias", false);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

// MistralConfig: 8 KV heads, head_dim explicit or implied (Mistral-Nemo sets
// 128 with hidden 5120 / 32 heads), a sliding window of 4096 unless the file
// sets it (null: none), on every layer. From the root or a text_config.
void read_mistral_text(Reader& r, ModelConfig& c) {
  read_llama_fields(r, c, 8);
  read_head_dim(r, c, 0);
  if (r.present("sliding_window"))
    c.sliding_window = r.has("sliding_window") ? r.required("sliding_window", {"sliding_window"}) : 0;
  else
    c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 4096);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_mistral(Reader& r, ModelConfig& c, HfImport&) { read_mistral_text(r, c); }

void read_mixtral(Reader& r, ModelConfig& c, HfImport&) {
  // MixtralConfig: every layer MoE, experts of intermediate_size, no shared expert.
  read_llama_fields(r, c, 8);
  read_head_dim(r, c, 0);
  c.sliding_window = r.has("sliding_window") ? r.required("sliding_window", {"sliding_window"}) : 0;
  c.n_experts = r.optional("n_experts", {"num_local_experts"}, 8);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 2);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

// Qwen2Attention: q, k, v Linear(bias=True), o without (not in the config).
// From the root or a text_config (Qwen2.5-VL).
void read_qwen2_text(Reader& r, ModelConfig& c) {
  read_llama_fields(r, c, 0);
  read_head_dim(r, c, 0);
  c.qkv_bias = true;
  r.assume("qkv_bias: true (Qwen2 architecture: q, k, v carry biases, o does not)");
  read_qwen_window(r, c);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_qwen2(Reader& r, ModelConfig& c, HfImport&) { read_qwen2_text(r, c); }

// Qwen3Config: head_dim defaults to 128 whatever hidden / heads is; q_norm and
// k_norm of head_dim; attention_bias on q/k/v/o. From the root or a text_config (Qwen3-VL).
void read_qwen3_text(Reader& r, ModelConfig& c) {
  read_llama_fields(r, c, 0);
  read_head_dim(r, c, 128);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.qk_norm = true;
  read_qwen_window(r, c);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_qwen3(Reader& r, ModelConfig& c, HfImport&) { read_qwen3_text(r, c); }

void read_qwen_moe(Reader& r, ModelConfig& c, bool qwen3) {
  // Qwen2MoeConfig / Qwen3MoeConfig; dense layers use intermediate_size.
  read_llama_fields(r, c, qwen3 ? 4 : 16);
  read_head_dim(r, c, 0);
  c.n_experts = r.optional("n_experts", {"num_experts"}, qwen3 ? 128 : 60);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, qwen3 ? 8 : 4);
  c.moe_d_ff = r.optional("moe_d_ff", {"moe_intermediate_size"}, qwen3 ? 768 : 1408);
  if (qwen3) {
    c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
    c.qk_norm = true;
    // Qwen3-MoE: every layer slides when use_sliding_window is set.
    if (r.flag("use_sliding_window", false)) c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 4096);
  } else {
    // Qwen2-MoE: q/k/v biases (qkv_bias, True by default), a shared expert with a sigmoid gate.
    c.qkv_bias = r.flag("qkv_bias", true);
    c.shared_expert_d_ff = r.optional("shared_expert_d_ff", {"shared_expert_intermediate_size"}, 5632);
    c.shared_experts = c.shared_expert_d_ff > 0 ? 1 : 0;
    c.shared_expert_gate = true;
    read_qwen_window(r, c);
  }
  read_qwen_moe_placement(r, c);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_gemma(Reader& r, ModelConfig& c, HfImport&) {
  read_llama_fields(r, c, 16);
  read_head_dim(r, c, 256);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  r.assume("ffn: gated (GeGLU, Gemma architecture)");
  c.tied_embeddings = r.flag("tie_word_embeddings", true);
}

void read_gemma2(Reader& r, ModelConfig& c, HfImport&) {
  // Gemma2Config: 4 norms per layer; even layers slide (4096), odd ones are global.
  read_llama_fields(r, c, 4);
  read_head_dim(r, c, 256);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.sandwich_norms = true;
  c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 4096);
  if (!read_layer_types(r, c))
    c.layer_types = layer_list(c.n_layers, [](int64_t i) { return (i + 1) % 2 ? "sliding" : "full"; });
  c.tied_embeddings = r.flag("tie_word_embeddings", true);
}

// Gemma3TextConfig (4.50 defaults), from the root (gemma3_text) or text_config (gemma3).
void read_gemma3_text(Reader& r, ModelConfig& c) {
  read_llama_fields_defaulted(r, c, {262208, 2304, 26, 8, 4, 9216});
  read_head_dim(r, c, 256);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.sandwich_norms = true;
  c.qk_norm = true;
  c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 4096);
  if (!read_layer_types(r, c)) {
    // One global layer every sliding_window_pattern layers, the last of each group.
    const double pattern = r.optional("", {"sliding_window_pattern"}, 6);
    if (!(pattern >= 1)) {
      r.fail("sliding_window_pattern",
             r.key_name("sliding_window_pattern") + " = " + shown(pattern) + " must be at least 1");
      return;
    }
    c.layer_types = layer_list(c.n_layers, [&](int64_t i) {
      return std::fmod(static_cast<double>(i + 1), pattern) != 0 ? "sliding" : "full";
    });
  }
  c.tied_embeddings = r.flag("tie_word_embeddings", true);
}

void read_gemma3_text_type(Reader& r, ModelConfig& c, HfImport&) { read_gemma3_text(r, c); }

// The vision tower and the projector into `d_model`, read from vision_config:
// parameters, the FLOPs of one image, and the tokens it adds to the context.
struct VisionParts {
  double tower = 0, projector = 0, flops_per_image = 0, image_tokens = 0;
};

// Where a multimodal file keeps its language model's fields: in text_config
// (the class's defaults when absent), or at the root when it has no
// text_config (Qwen2.5-VL as first released; later saves add a copy).
enum class TextFields { nested, nested_or_root };

// A multimodal config: the language model from text_config, the vision parts from vision_config.
void read_multimodal(Reader& r, ModelConfig& c, HfImport& result, void (*read_text)(Reader&, ModelConfig&),
                     VisionParts (*read_vision)(Reader& outer, Reader& vision, double d_model),
                     TextFields where = TextFields::nested) {
  static const json empty = [] {
    json object;
    object.type = json::Type::object;
    return object;
  }();
  const json* text = r.object("text_config");
  const json* vision = r.object("vision_config");
  if (!r.status.ok) return;
  Reader t(text ? *text : empty, result.assumed, "text_config.");
  read_text(!text && where == TextFields::nested_or_root ? r : t, c);
  Reader v(vision ? *vision : empty, result.assumed, "vision_config.");
  const VisionParts parts = read_vision(r, v, c.d_model);
  c.vision_params = parts.tower;
  c.projector_params = parts.projector;
  c.vision_flops_per_image = parts.flops_per_image;
  c.image_tokens = parts.image_tokens;
  for (Reader* nested : {&t, &v}) {
    if (!nested->status.ok && r.status.ok) r.status = nested->status;
    r.sources.insert(r.sources.end(), nested->sources.begin(), nested->sources.end());
  }
}

// Gemma3Config: SigLIP, average-pooled to mm_tokens_per_image tokens, and a
// projector mm_input_projection_weight [vision hidden, text hidden] with an
// RMSNorm of the vision width.
VisionParts gemma3_vision(Reader& outer, Reader& v, double d_model) {
  const VisionTower tower = siglip_tower(v);
  const double hidden = v.whole({"hidden_size"}, 768);
  const double tokens = outer.whole({"mm_tokens_per_image"}, 256);
  return {tower.params, hidden * d_model + hidden, tower.flops_per_image + 2 * tokens * hidden * d_model, tokens};
}

void read_gemma3(Reader& r, ModelConfig& c, HfImport& result) {
  read_multimodal(r, c, result, read_gemma3_text, gemma3_vision);
}

// Llama4TextConfig, from the root (llama4_text) or text_config (llama4).
void read_llama4_text(Reader& r, ModelConfig& c) {
  read_llama_fields_defaulted(r, c, {202048, 5120, 48, 40, 8, 16384});
  // intermediate_size is the experts' (and shared expert's) width;
  // intermediate_size_mlp the dense layers'.
  c.moe_d_ff = r.optional("moe_d_ff", {"intermediate_size"}, 8192);
  c.d_ff = r.optional("d_ff", {"intermediate_size_mlp"}, 16384);
  read_head_dim(r, c, 128);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.n_experts = r.optional("n_experts", {"num_local_experts"}, 16);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 1);
  c.shared_experts = 1;
  c.attention_chunk = r.optional("attention_chunk", {"attention_chunk_size"}, 8192);
  // use_qk_norm is an L2 norm without weights: no parameters.
  // MoE layers: moe_layers, else every interleave_moe_layer_step-th layer.
  std::vector<double> moe_layers = r.numbers("moe_layers");
  if (!r.present("moe_layers") || r.find({"moe_layers"}) == nullptr) {
    const double step = r.optional("", {"interleave_moe_layer_step"}, 1);
    if (!(step >= 1)) {
      r.fail("interleave_moe_layer_step",
             r.key_name("interleave_moe_layer_step") + " = " + shown(step) + " must be at least 1");
      return;
    }
    moe_layers.clear();
    for (double i = step - 1; i < c.n_layers && i < 1e6; i += step) moe_layers.push_back(i);
  }
  c.mlp_layer_types = layer_list(c.n_layers, [&](int64_t i) { return contains(moe_layers, i) ? "moe" : "dense"; });
  if (c.mlp_layer_types.empty() && !contains(moe_layers, 0)) c.n_experts = 1, c.shared_experts = 0;
  // RoPE layers attend within their chunk; NoPE layers (no_rope_layers[i] = 0,
  // by default every no_rope_layer_interval-th) attend to everything.
  if (!read_layer_types(r, c)) {
    std::vector<double> rope = r.numbers("no_rope_layers");
    if (rope.empty()) {
      const double interval = r.optional("", {"no_rope_layer_interval"}, 4);
      if (!(interval >= 1)) {
        r.fail("no_rope_layer_interval",
               r.key_name("no_rope_layer_interval") + " = " + shown(interval) + " must be at least 1");
        return;
      }
      for (double i = 0; i < c.n_layers && i < 1e6; ++i) rope.push_back(std::fmod(i + 1, interval) != 0 ? 1 : 0);
    }
    if (static_cast<double>(rope.size()) != c.n_layers) {
      r.fail("no_rope_layers", r.key_name("no_rope_layers") + " lists " + std::to_string(rope.size()) +
                                   " layers but num_hidden_layers = " + shown(c.n_layers));
      return;
    }
    // Spelled out even when every layer is chunked: an empty list would mean "full".
    const bool any_chunked = std::any_of(rope.begin(), rope.end(), [](double flag) { return flag != 0; });
    if (any_chunked)
      for (size_t i = 0; i < rope.size(); ++i)
        c.layer_types += (i ? "," : "") + std::string(rope[i] != 0 ? "chunked" : "full");
    else
      c.attention_chunk = 0;
  }
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_llama4_text_type(Reader& r, ModelConfig& c, HfImport&) { read_llama4_text(r, c); }

// Llama4Config: the vision model and multi_modal_projector.linear_1
// (vision_output_dim -> text hidden, no bias).
VisionParts llama4_vision(Reader&, Reader& v, double d_model) {
  double tokens = 0;
  const VisionTower tower = llama4_tower(v, &tokens);
  const double output = v.whole({"vision_output_dim"}, 7680);
  return {tower.params, output * d_model, tower.flops_per_image + 2 * tokens * output * d_model, tokens};
}

void read_llama4(Reader& r, ModelConfig& c, HfImport& result) {
  read_multimodal(r, c, result, read_llama4_text, llama4_vision);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

// The language model of a Mistral3Config: a MistralConfig (Mistral Small 3.1,
// 3.2) or a Ministral3Config (Ministral 3, Devstral Small 2: Mistral's layers
// with YaRN and a query scaling that has no parameters; head_dim 128, no
// window unless set). Mistral Large 3 puts DeepSeek-V3's layers here: refused.
void read_mistral3_text(Reader& t, ModelConfig& c) {
  const std::string type = t.text("model_type", "mistral");
  if (type == "mistral") return read_mistral_text(t, c);
  if (type != "ministral3") {
    t.fail("model_type", t.key_name("model_type") + " \"" + type.substr(0, 60) +
                             "\" is not a language model mistral3 is read with (mistral, ministral3)");
    return;
  }
  read_llama_fields_defaulted(t, c, LlamaDefaults{131072, 4096, 34, 32, 8, 14336});
  read_head_dim(t, c, 128);
  if (t.has("sliding_window")) c.sliding_window = t.required("sliding_window", {"sliding_window"});
  c.tied_embeddings = t.flag("tie_word_embeddings", false);
}

// Mistral3Config's vision side. The Pixtral encoder (transformers
// modeling_pixtral.py): a patch conv without bias, ln_pre, per layer q, k, v,
// o and a gated FFN without biases and two RMSNorms, no final norm (2D RoPE
// has no parameters). The projector (modeling_mistral3.py): an RMSNorm of the
// vision width, the patch merger's Linear(s^2 x vision, vision) over each s x s
// block of patches, linear_1 vision -> text and linear_2 text -> text, with
// biases when multimodal_projector_bias. An image of image_size (the largest
// the processor makes) becomes (image_size / (patch x s))^2 tokens and one
// [IMG_BREAK] or [IMG_END] per row of them.
VisionParts pixtral_vision(Reader& outer, Reader& v, double d_model) {
  const double hidden = v.whole({"hidden_size"}, 1024), ff = v.whole({"intermediate_size"}, 4096);
  const double layers = v.whole({"num_hidden_layers"}, 24, 0), channels = v.whole({"num_channels"}, 3);
  const double image = v.whole({"image_size"}, 1024), patch = v.whole({"patch_size"}, 16);
  const double merge = outer.whole({"spatial_merge_size"}, 2);
  const bool bias = outer.flag("multimodal_projector_bias", false);
  if (!v.status.ok || !outer.status.ok) return {};
  if (!(image >= patch * merge)) {
    v.fail("image_size", v.key_name("image_size") + " must be at least patch_size x spatial_merge_size");
    return {};
  }
  const double side = std::floor(image / patch), patches = side * side;
  const double rows = std::floor(image / (patch * merge)), tokens = rows * rows;
  const double tower =
      channels * patch * patch * hidden + hidden + layers * (4 * hidden * hidden + 3 * hidden * ff + 2 * hidden);
  const double projector =
      hidden + merge * merge * hidden * hidden + hidden * d_model + d_model * d_model + (bias ? 2 * d_model : 0);
  const double tower_flops =
      2 * patches * channels * patch * patch * hidden +
      layers * (2 * patches * (4 * hidden * hidden + 3 * hidden * ff) + 4 * patches * patches * hidden);
  const double projector_flops = 2 * tokens * (merge * merge * hidden * hidden + hidden * d_model + d_model * d_model);
  return {tower, projector, tower_flops + projector_flops, tokens + rows};
}

// Qwen2.5-VL's and Qwen3-VL's processors resize an image to whole blocks of
// patch x spatial_merge_size pixels (rounding each side); the figures per
// image are for a 1024 x 1024 one.
constexpr double kQwenVlImageSide = 1024;

// The vision encoder of Qwen2.5-VL (qwen3 false; transformers
// modeling_qwen2_5_vl.py) or Qwen3-VL (modeling_qwen3_vl.py), with its
// merger into d_model. Both: a Conv3d patch embedding over temporal_patch_size
// frames (an image is repeated to fill them), blocks with a fused qkv and a
// proj, both biased, and a merger: a norm, then Linear(s^2 x hidden, s^2 x
// hidden) and Linear(s^2 x hidden, out_hidden_size), both biased, over each s x s
// block of patches. Qwen2.5-VL: no conv bias, no position table, two
// RMSNorms and a gated MLP with biases per block, window attention of
// window_size pixels but in the fullatt_block_indexes blocks. Qwen3-VL: a conv
// bias, a learned table of num_position_embeddings, two LayerNorms and a
// two-matrix MLP with biases per block, full attention, and one more merger
// (its norm over s^2 x hidden) per deepstack_visual_indexes entry. An image
// becomes its merged tokens and vision_start and vision_end.
VisionParts qwen_vl_vision(Reader& v, double d_model, bool qwen3) {
  const double hidden = v.whole({"hidden_size"}, qwen3 ? 1152 : 1280);
  const double ff = v.whole({"intermediate_size"}, qwen3 ? 4304 : 3420);
  const double depth = v.whole({"depth"}, qwen3 ? 27 : 32, 0);
  const double channels = v.whole({"in_channels", "in_chans"}, 3);
  const double patch = v.whole({"patch_size"}, qwen3 ? 16 : 14);
  const double frames = v.whole({"temporal_patch_size"}, 2);
  const double merge = v.whole({"spatial_merge_size"}, 2);
  const double out = v.whole({"out_hidden_size"}, d_model);
  if (!v.status.ok) return {};
  if (out != d_model)
    v.fail("out_hidden_size", v.key_name("out_hidden_size") + " = " + shown(out) +
                                  " must equal the language model's hidden size, " + shown(d_model));
  const double side = std::max(1.0, std::round(kQwenVlImageSide / (patch * merge)));
  const double tokens = side * side, patches = tokens * merge * merge;
  const double merged = merge * merge * hidden;  // one token's input to a merger
  const double merger = merged * merged + merged + merged * out + out;
  const double merger_flops = 2 * tokens * (merged * merged + merged * out);
  const double conv = channels * frames * patch * patch * hidden;
  const double attention = 4 * hidden * hidden + 4 * hidden;  // qkv and proj with biases
  VisionParts parts;
  parts.image_tokens = tokens + 2;
  if (qwen3) {
    const double positions = v.whole({"num_position_embeddings"}, 2304);
    const double deepstack = static_cast<double>(v.numbers("deepstack_visual_indexes").size());
    parts.tower = conv + hidden + positions * hidden + depth * (4 * hidden + attention + 2 * hidden * ff + ff + hidden);
    parts.projector = 2 * hidden + merger + deepstack * (2 * merged + merger);
    parts.flops_per_image =
        2 * patches * conv +
        depth * (2 * patches * (4 * hidden * hidden + 2 * hidden * ff) + 4 * patches * patches * hidden) +
        (1 + deepstack) * merger_flops;
  } else {
    const double window = v.whole({"window_size"}, 112);
    const double full_layers = static_cast<double>(v.numbers("fullatt_block_indexes").size());
    const double window_patches = std::min(patches, std::floor(window / patch) * std::floor(window / patch));
    parts.tower = conv + depth * (2 * hidden + attention + 3 * hidden * ff + 2 * ff + hidden);
    parts.projector = hidden + merger;
    parts.flops_per_image = 2 * patches * conv + depth * 2 * patches * (4 * hidden * hidden + 3 * hidden * ff) +
                            full_layers * 4 * patches * patches * hidden +
                            std::max(0.0, depth - full_layers) * 4 * patches * window_patches * hidden + merger_flops;
  }
  return parts;
}

VisionParts qwen2_5_vl_vision(Reader&, Reader& v, double d_model) { return qwen_vl_vision(v, d_model, false); }
VisionParts qwen3_vl_vision(Reader&, Reader& v, double d_model) { return qwen_vl_vision(v, d_model, true); }

// Qwen2.5-VL (qwen2_5_vl), Qwen3-VL (qwen3_vl) and Qwen3-VL-MoE (qwen3_vl_moe):
// the language model is Qwen2's, Qwen3's or Qwen3-MoE's; tying as the root
// says, where the checkpoint's class reads it (Qwen3-VL-30B-A3B's text_config
// says true beside a false root, and its checkpoint stores the head).
template <void (*ReadText)(Reader&, ModelConfig&), VisionParts (*ReadVision)(Reader&, Reader&, double)>
void read_qwen_vl(Reader& r, ModelConfig& c, HfImport& result) {
  read_multimodal(r, c, result, ReadText, ReadVision, TextFields::nested_or_root);
  if (r.has("tie_word_embeddings")) c.tied_embeddings = r.flag("tie_word_embeddings", false);
  r.assume("image_tokens: one 1024 x 1024 image, resized as the processor does; other sizes differ");
}

// Mistral3Config (Mistral Small 3.1 and 3.2, Ministral 3): tied or not as its
// text_config says (a top-level tie_word_embeddings, which transformers 5
// defaults to true, is not the checkpoint's: Mistral Small 3.1 stores its head).
void read_mistral3(Reader& r, ModelConfig& c, HfImport& result) {
  if (!r.has("text_config")) {
    r.fail("text_config", "a mistral3 config.json must hold its language model's text_config");
    return;
  }
  read_multimodal(r, c, result, read_mistral3_text, pixtral_vision);
  r.assume("image_tokens: an image of vision_config.image_size, the largest; a smaller image becomes fewer");
}

void read_gpt_oss(Reader& r, ModelConfig& c, HfImport&) {
  // GptOssConfig: biases on q/k/v/o and on the experts, a router bias, one sink
  // logit per head, even layers sliding (128), odd layers full.
  c.vocab_size = r.optional("vocab_size", {"vocab_size"}, 201088);
  c.d_model = r.optional("d_model", {"hidden_size"}, 2880);
  c.n_layers = r.optional("n_layers", {"num_hidden_layers"}, 36);
  c.n_heads = r.optional("n_heads", {"num_attention_heads"}, 64);
  c.n_kv_heads = r.optional("n_kv_heads", {"num_key_value_heads"}, 8);
  c.d_ff = r.optional("d_ff", {"intermediate_size"}, 2880);
  read_head_dim(r, c, 64);
  c.n_experts = r.optional("n_experts", {"num_local_experts"}, 128);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 4);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", true);
  c.mlp_bias = true;
  c.router_bias = true;
  c.attention_sinks = true;
  r.assume("attention sinks, router bias and expert biases (gpt-oss architecture)");
  c.sliding_window = r.optional("sliding_window", {"sliding_window"}, 128);
  if (!read_layer_types(r, c))
    c.layer_types = layer_list(c.n_layers, [](int64_t i) { return (i + 1) % 2 ? "sliding" : "full"; });
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

// The defaults of one DeepSeek-style configuration class (MLA and MoE).
struct DeepseekDefaults {
  LlamaDefaults llama;
  double q_lora, kv_lora, nope, rope, v;
  double experts, moe_d_ff, shared, first_dense;
  bool v2;               // DeepseekV2Config: MLP biases possible, num_experts_per_tok required
  bool indexer;          // DeepSeek Sparse Attention (DeepseekV32Config, GlmMoeDsaConfig)
  double indexer_heads;  // index_n_heads
};
constexpr DeepseekDefaults kDeepseekV2{
    {32000, 4096, 32, 32, 32, 11008}, 1536, 512, 128, 64, 128, 64, 1407, 2, 0, true, false, 0};
constexpr DeepseekDefaults kDeepseekV3{
    {129280, 7168, 61, 128, 128, 18432}, 1536, 512, 128, 64, 128, 256, 2048, 1, 3, false, false, 0};
constexpr DeepseekDefaults kDeepseekV32{
    {129280, 7168, 61, 128, 128, 18432}, 1536, 512, 128, 64, 128, 256, 2048, 1, 3, false, true, 64};
constexpr DeepseekDefaults kGlmMoeDsa{
    {154880, 6144, 78, 64, 64, 12288}, 2048, 512, 192, 64, 256, 256, 2048, 1, 3, false, true, 32};

void read_deepseek(Reader& r, ModelConfig& c, const DeepseekDefaults& d) {
  // DeepseekV2Config / DeepseekV3Config: MLA; MoE from layer first_k_dense_replace
  // on, every moe_layer_freq-th (DeepSeek's own modeling code; transformers
  // ignores moe_layer_freq, which is 1 in every released config).
  read_llama_fields_defaulted(r, c, d.llama);
  c.attention = "mla";
  c.head_dim = 0;  // the file's head_dim is the RoPE width, not the head size
  if (r.present("q_lora_rank") && !r.has("q_lora_rank")) {
    c.q_lora_rank = 0;
    r.assume(r.key_name("q_lora_rank") + ": null (queries projected directly, q_proj)");
  } else {
    c.q_lora_rank = r.optional("q_lora_rank", {"q_lora_rank"}, d.q_lora);
  }
  c.kv_lora_rank = r.optional("kv_lora_rank", {"kv_lora_rank"}, d.kv_lora);
  c.qk_nope_head_dim = r.optional("qk_nope_head_dim", {"qk_nope_head_dim"}, d.nope);
  c.qk_rope_head_dim = r.optional("qk_rope_head_dim", {"qk_rope_head_dim"}, d.rope);
  c.v_head_dim = r.optional("v_head_dim", {"v_head_dim"}, d.v);
  c.qkv_bias = c.attn_out_bias = r.flag("attention_bias", false);
  c.mlp_bias = d.v2 && r.flag("mlp_bias", false);
  const bool moe = !r.present("n_routed_experts") || r.has("n_routed_experts");
  c.n_experts = moe ? r.optional("n_experts", {"n_routed_experts"}, d.experts) : 1;
  if (moe) {
    if (d.v2 && !r.has("num_experts_per_tok"))
      r.fail("num_experts_per_tok", "config.json has no \"" + r.key_name("num_experts_per_tok") +
                                        "\" (DeepseekV2Config has no default for it)");
    c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 8);
    c.moe_d_ff = r.optional("moe_d_ff", {"moe_intermediate_size"}, d.moe_d_ff);
    c.shared_experts = r.optional("shared_experts", {"n_shared_experts"}, d.shared);
    c.router_score_bias = !d.v2 && r.text("topk_method", "noaux_tc") == "noaux_tc";
    const double first_dense = r.optional("", {"first_k_dense_replace"}, d.first_dense);
    const double frequency = r.optional("", {"moe_layer_freq"}, 1);
    if (!(frequency >= 1)) {
      r.fail("moe_layer_freq", r.key_name("moe_layer_freq") + " = " + shown(frequency) + " must be at least 1");
      return;
    }
    c.mlp_layer_types = layer_list(c.n_layers, [&](int64_t i) {
      return static_cast<double>(i) >= first_dense && std::fmod(static_cast<double>(i), frequency) == 0 ? "moe"
                                                                                                        : "dense";
    });
  }
  // DeepSeek-V3's next-token-prediction modules, stored as extra layers.
  c.mtp_modules = d.v2 ? 0 : r.optional("mtp_modules", {"num_nextn_predict_layers"}, 0);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
  if (d.indexer) {
    // DeepSeek Sparse Attention: a lightning indexer of index_n_heads heads of
    // index_head_dim in every layer (and the MTP layer), the attention on its index_topk keys.
    c.indexer_heads = r.optional("indexer_heads", {"index_n_heads"}, d.indexer_heads);
    c.indexer_head_dim = r.optional("indexer_head_dim", {"index_head_dim"}, 128);
    c.indexer_topk = r.optional("indexer_topk", {"index_topk"}, 2048);
  } else {
    // DeepSeek-V3's code builds no indexer: a file with one is V3.2's, misnamed.
    for (const char* key : {"index_topk", "index_n_heads", "index_head_dim"})
      if (r.has(key)) {
        r.fail(key, r.key_name(key) +
                        " is set: DeepSeek Sparse Attention (DeepSeek-V3.2), which model_type "
                        "\"deepseek_v32\" reads; DeepSeek-V3's code would ignore it");
        return;
      }
  }
}

void read_glm4_moe(Reader& r, ModelConfig& c, HfImport&) {
  // Glm4MoeConfig (GLM-4.5, 4.5-Air, 4.6): GQA with head_dim set apart from
  // hidden / heads; q, k, v biases (attention_bias) and never one on o;
  // q_norm and k_norm of head_dim with use_qk_norm; dense layers before
  // first_k_dense_replace, then MoE with one fused shared expert of
  // moe_intermediate_size x n_shared_experts and the router's score-correction
  // bias. The checkpoint stores num_nextn_predict_layers MTP layers after the
  // last one, as DeepSeek-V3 does (vLLM's glm4_moe_mtp.py); partial RoPE adds nothing.
  read_llama_fields_defaulted(r, c, LlamaDefaults{151552, 4096, 46, 96, 8, 10944});
  read_head_dim(r, c, 0);
  c.qkv_bias = r.flag("attention_bias", false);
  c.qk_norm = r.flag("use_qk_norm", false);
  c.n_experts = r.optional("n_experts", {"n_routed_experts"}, 128);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 8);
  c.moe_d_ff = r.optional("moe_d_ff", {"moe_intermediate_size"}, 1408);
  c.shared_experts = r.optional("shared_experts", {"n_shared_experts"}, 1);
  c.router_score_bias = true;
  const double first_dense = r.optional("", {"first_k_dense_replace"}, 1);
  c.mlp_layer_types =
      layer_list(c.n_layers, [&](int64_t i) { return static_cast<double>(i) >= first_dense ? "moe" : "dense"; });
  c.mtp_modules = r.optional("mtp_modules", {"num_nextn_predict_layers"}, 0);
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_minimax_m2(Reader& r, ModelConfig& c, HfImport&) {
  // MiniMaxM2Config (MiniMax-M2, M2.1, M2.5, M2.7): GQA with head_dim 128 and
  // no biases; with use_qk_norm, q_norm and k_norm over the whole q and k
  // projections (qk_norm_type "per_layer": vLLM's MiniMaxText01RMSNormTP of
  // heads x head_dim) or of head_dim ("per_head"); every layer MoE:
  // num_local_experts experts of intermediate_size, the top
  // num_experts_per_tok, no shared expert, the router's score-correction bias
  // (use_routing_bias). Every layer is full softmax attention (attn_type_list
  // 1; MiniMax-Text-01's lightning layers are 0). The config's MTP modules
  // (use_mtp) are built by neither transformers nor vLLM, and the checkpoint
  // stores none (its tensors list layers 0-61 only).
  read_llama_fields_defaulted(r, c, LlamaDefaults{200064, 3072, 62, 48, 8, 1536});
  read_head_dim(r, c, 128);
  c.n_experts = r.optional("n_experts", {"num_local_experts"}, 256);
  c.experts_top_k = r.optional("experts_top_k", {"num_experts_per_tok"}, 8);
  c.qk_norm = r.flag("use_qk_norm", true);
  if (c.qk_norm) {
    const std::string shape = r.text("qk_norm_type", "per_layer");
    if (shape != "per_layer" && shape != "per_head")
      r.fail("qk_norm_type", r.key_name("qk_norm_type") + " must be \"per_layer\" or \"per_head\"");
    c.qk_norm_full_width = shape == "per_layer";
  }
  c.router_score_bias = r.flag("use_routing_bias", true);
  if (r.has("shared_intermediate_size") && r.required("", {"shared_intermediate_size"}) != 0)
    r.fail("shared_intermediate_size", r.key_name("shared_intermediate_size") +
                                           " is not 0: a shared expert, which MiniMax-M2's code does not build");
  for (double kind : r.numbers("attn_type_list"))
    if (kind != 1) {
      r.fail("attn_type_list", r.key_name("attn_type_list") +
                                   " lists a layer that is not 1 (full attention): lightning (linear) attention "
                                   "layers, MiniMax-Text-01's, are not modeled");
      break;
    }
  if (r.has("mlp_intermediate_size"))
    r.assume("mlp_intermediate_size: not read (no MiniMax-M2 code or weight uses it)");
  if (r.has("use_mtp") && r.flag("use_mtp", false))
    r.assume("num_mtp_modules: not counted (the checkpoint stores no MTP layer; transformers and vLLM build none)");
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

void read_deepseek_v2(Reader& r, ModelConfig& c, HfImport&) { read_deepseek(r, c, kDeepseekV2); }
void read_deepseek_v3(Reader& r, ModelConfig& c, HfImport&) { read_deepseek(r, c, kDeepseekV3); }
// DeepseekV32Config (DeepSeek-V3.2, -Exp, -Speciale): DeepSeek-V3's layers, each
// with the lightning indexer; the checkpoint's MTP layer carries one too (its layer 61).
void read_deepseek_v32(Reader& r, ModelConfig& c, HfImport&) { read_deepseek(r, c, kDeepseekV32); }

void read_glm_moe_dsa(Reader& r, ModelConfig& c, HfImport&) {
  // GlmMoeDsaConfig (GLM-5, GLM-5.1): DeepSeek-V3's MLA and MoE (dense layers
  // before first_k_dense_replace, one shared expert, the router's
  // score-correction bias) with DeepSeek-V3.2's indexer in every layer. Its
  // MTP layer (model.layers.78) stores no copy of the embedding or the head.
  read_deepseek(r, c, kGlmMoeDsa);
  c.router_score_bias = c.n_experts > 1;  // e_score_correction_bias in every MoE layer, whatever topk_method says
  c.mtp_embedding_copies = false;
  // GLM-5.2's IndexShare: layers reusing another layer's top-k, with no indexer of their own.
  const bool every_layer = r.optional("", {"index_topk_freq"}, 1) == 1;
  bool own = every_layer && !r.has("index_topk_pattern");
  for (const std::string& word : r.strings("indexer_types")) own = own && word == "full";
  if (!own)
    r.fail(r.has("index_topk_pattern") ? "index_topk_pattern"
           : every_layer               ? "indexer_types"
                                       : "index_topk_freq",
           "layers that reuse another layer's indexer (GLM-5.2's IndexShare) are not modeled: every layer "
           "must run its own");
}

void read_qwen2_moe(Reader& r, ModelConfig& c, HfImport&) { read_qwen_moe(r, c, false); }
void read_qwen3_moe(Reader& r, ModelConfig& c, HfImport&) { read_qwen_moe(r, c, true); }
void read_qwen3_moe_text(Reader& r, ModelConfig& c) { read_qwen_moe(r, c, true); }

void read_phi3(Reader& r, ModelConfig& c, HfImport&) {
  // Phi3Config (Phi-3, Phi-3.5, Phi-4): fused qkv_proj and gate_up_proj, no
  // biases; head_dim from the file or implied; a window on every layer if set.
  read_llama_fields(r, c, 0);
  read_head_dim(r, c, 0);
  if (r.has("sliding_window")) c.sliding_window = r.required("sliding_window", {"sliding_window"});
  c.tied_embeddings = r.flag("tie_word_embeddings", false);
}

struct KnownType {
  const char* id;
  // The transformers class that runs the type, as `architectures` names it:
  // a file whose model_type is not known is read by the type its class runs.
  const char* architecture;
  TypeReader read;
};

const std::vector<KnownType>& known_types() {
  static const std::vector<KnownType> types = {
      {"llama", "LlamaForCausalLM", read_llama},
      {"mistral", "MistralForCausalLM", read_mistral},
      {"mistral3", "Mistral3ForConditionalGeneration", read_mistral3},
      {"mixtral", "MixtralForCausalLM", read_mixtral},
      {"qwen2", "Qwen2ForCausalLM", read_qwen2},
      {"qwen3", "Qwen3ForCausalLM", read_qwen3},
      {"qwen2_moe", "Qwen2MoeForCausalLM", read_qwen2_moe},
      {"qwen3_moe", "Qwen3MoeForCausalLM", read_qwen3_moe},
      {"qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration", read_qwen_vl<read_qwen2_text, qwen2_5_vl_vision>},
      {"qwen3_vl", "Qwen3VLForConditionalGeneration", read_qwen_vl<read_qwen3_text, qwen3_vl_vision>},
      {"qwen3_vl_moe", "Qwen3VLMoeForConditionalGeneration", read_qwen_vl<read_qwen3_moe_text, qwen3_vl_vision>},
      {"gemma", "GemmaForCausalLM", read_gemma},
      {"gemma2", "Gemma2ForCausalLM", read_gemma2},
      {"gemma3", "Gemma3ForConditionalGeneration", read_gemma3},
      {"gemma3_text", "Gemma3ForCausalLM", read_gemma3_text_type},
      {"llama4", "Llama4ForConditionalGeneration", read_llama4},
      {"llama4_text", "Llama4ForCausalLM", read_llama4_text_type},
      {"gpt_oss", "GptOssForCausalLM", read_gpt_oss},
      {"deepseek_v2", "DeepseekV2ForCausalLM", read_deepseek_v2},
      {"deepseek_v3", "DeepseekV3ForCausalLM", read_deepseek_v3},
      {"deepseek_v32", "DeepseekV32ForCausalLM", read_deepseek_v32},
      {"glm_moe_dsa", "GlmMoeDsaForCausalLM", read_glm_moe_dsa},
      {"glm4_moe", "Glm4MoeForCausalLM", read_glm4_moe},
      {"minimax_m2", "MiniMaxM2ForCausalLM", read_minimax_m2},
      {"phi3", "Phi3ForCausalLM", read_phi3},
      {"gpt2", "GPT2LMHeadModel", read_gpt2},
      {"falcon", "FalconForCausalLM", read_falcon},
  };
  return types;
}

// The known type whose class the file's `architectures` names first, as
// serving engines pick a model's code (Kimi K2: model_type "kimi_k2",
// architectures ["DeepseekV3ForCausalLM"], DeepSeek-V3's code); null if none.
const KnownType* known_by_architecture(const json& root) {
  const json* architectures = root.find("architectures");
  if (!architectures || !architectures->is_array()) return nullptr;
  for (const json& name : architectures->items) {
    if (!name.is_string()) continue;
    for (const KnownType& type : known_types())
      if (name.text == type.architecture) return &type;
  }
  return nullptr;
}

// Not there, for the count: null, false, 0, "", [] or {} ("chunk_size_feed_forward": 0
// and "num_nextn_predict_layers": 0 switch nothing on).
bool absent_like(const json& value) {
  return value.is_null() || (value.is_boolean() && !value.boolean) || (value.is_number() && value.number == 0) ||
         (value.is_string() && value.text.empty()) || (value.is_array() && value.items.empty()) ||
         (value.is_object() && value.members.empty());
}

// What a llama-style reading (three-matrix gated FFN of SiLU, two RMSNorms per
// layer, no biases but those it reads) would count wrong in a file of a type it
// does not know; each entry as a message shows it. An unknown type with any is
// refused. Three signs:
// - key words: experts, latent ranks, per-layer patterns, nested configs,
//   sinks, norms on q/k (any "_norm" key set true), parallel blocks,
//   state-space, convolution and hybrid layers;
// - an activation other than SiLU: the FFN may be two matrices, not three
//   (phi-2, StarCoder2, GPT-NeoX, Nemotron: 26-38 % over when read llama-style);
// - a LayerNorm epsilon and no rms_norm_eps: LayerNorm with biases, one per
//   layer in parallel blocks (Cohere, StableLM, GPT-NeoX).
// Also a sliding window whose layers use_sliding_window sets some other way.
std::vector<std::string> llama_mismatches(const json& root) {
  static const char* const words[] = {"expert",
                                      "moe",
                                      "lora",
                                      "layer_types",
                                      "sliding_window_pattern",
                                      "chunk",
                                      "sparse",
                                      "mlp_only",
                                      "nextn",
                                      "text_config",
                                      "vision_config",
                                      "audio_config",
                                      "sinks",
                                      "qk_norm",
                                      "rope_layers",
                                      "router",
                                      "shared",
                                      "num_local",
                                      "qk_layernorm",
                                      "query_layernorm",
                                      "parallel",
                                      "mamba",
                                      "ssm",
                                      "hybrid",
                                      "block_type",
                                      "linear_attn",
                                      "conv_",
                                      "attn_idx",
                                      "block_ff_dim",
                                      "auto_adjust_ff",
                                      "tie_embedding",
                                      "use_sliding_window"};
  static const char* const activation_keys[] = {"hidden_act", "hidden_activation", "activation_function",
                                                "mlp_hidden_act"};
  static const char* const layer_norm_keys[] = {"layer_norm_eps", "layer_norm_epsilon", "norm_epsilon",
                                                "layernorm_epsilon"};
  std::vector<std::string> found;
  auto add = [&](const std::string& key, const std::string& detail) {
    if (found.size() < 12) found.push_back((key.size() > 60 ? key.substr(0, 60) + "…" : key) + detail);
  };
  for (const JsonMember& member : root.members) {
    const std::string& key = member.key;
    const json& value = member.value;
    if (absent_like(value)) continue;
    const bool named = std::any_of(std::begin(words), std::end(words),
                                   [&](const char* word) { return key.find(word) != std::string::npos; });
    if (named || (value.is_boolean() && key.find("_norm") != std::string::npos)) {
      add(key, "");
    } else if (std::find(std::begin(activation_keys), std::end(activation_keys), key) != std::end(activation_keys)) {
      if (!value.is_string() || (value.text != "silu" && value.text != "swish"))
        add(key, " = " +
                     (value.is_string() && value.text.size() <= 40 ? value.dump() : std::string(value.type_name())) +
                     " (not SiLU: the FFN may not be gated)");
    } else if (std::find(std::begin(layer_norm_keys), std::end(layer_norm_keys), key) != std::end(layer_norm_keys) &&
               !root.find("rms_norm_eps")) {
      add(key, " (LayerNorm, not RMSNorm)");
    }
  }
  return found;
}

// Why a file was not read by its own model_type, for the assumption that says how it was read.
std::string since_type_not_known(const std::string& type) {
  return "since model_type " +
         (type.empty() ? std::string("is missing") : "\"" + type.substr(0, 60) + "\" is not known");
}

// A file llama_mismatches() let through: LlamaConfig's fields, and the keys
// of its kin that a llama layer can hold (biases, one window on every layer).
void read_unknown(Reader& r, ModelConfig& c, const std::string& type) {
  read_llama_fields(r, c, 0);
  read_head_dim(r, c, 0);
  auto set = [&](const char* key, bool& field) {
    if (r.has(key)) field = r.flag(key, false);
  };
  set("attention_bias", c.qkv_bias);  // LlamaConfig: q, k, v and o
  set("attention_bias", c.attn_out_bias);
  set("attention_out_bias", c.attn_out_bias);  // Seed-OSS: o apart
  set("qkv_bias", c.qkv_bias);
  set("use_qkv_bias", c.qkv_bias);  // StableLM 2
  set("mlp_bias", c.mlp_bias);
  for (const char* key : {"bias", "use_bias"})  // every projection (ERNIE 4.5, InternLM2 write false)
    if (r.has(key) && r.flag(key, false)) c.qkv_bias = c.attn_out_bias = c.mlp_bias = true;
  // One window on every layer, as Mistral, Phi-3 and StarCoder2 read it (a
  // use_sliding_window set true was refused; set false, it turns the window off).
  if (r.has("sliding_window") && r.has("use_sliding_window")) {
    r.assume("sliding_window: none (use_sliding_window is false)");
  } else if (r.has("sliding_window")) {
    c.sliding_window = r.required("sliding_window", {"sliding_window"});
    r.assume("sliding_window: on every layer, " + since_type_not_known(type));
  }
  // transformers writes tie_word_embeddings only where it differs from the
  // base class's default, true: a file it saved without the key is tied.
  if (!r.has("tie_word_embeddings") && r.has("transformers_version")) {
    c.tied_embeddings = true;
    r.assume("tie_word_embeddings: true (transformers, which saved the file, leaves out its base default)");
  } else {
    c.tied_embeddings = r.flag("tie_word_embeddings", false);
  }
  r.assume("architecture: llama-style (gated FFN, RMSNorm, RoPE; biases and window as the file sets them), " +
           since_type_not_known(type));
}

// The checkpoint's weight format, from quantization_config.
void read_quantization(const json& root, HfImport& result) {
  const json* config = root.find("quantization_config");
  if (!config || !config->is_object()) return;
  const json& q = *config;
  const json* method = q.find("quant_method");
  if (!method || !method->is_string()) return;
  const std::string& name = method->text;
  if (name == "mxfp4") {
    result.weights_format = "mxfp4";
  } else if (name == "fp8") {
    const json* block = q.find("weight_block_size");
    auto is_128 = [](const json& item) { return item.is_number() && item.number == 128; };
    if (block && block->is_array() && block->items.size() == 2 && is_128(block->items[0]) && is_128(block->items[1]))
      result.weights_format = "fp8_block";
    else
      result.weights_format = "fp8_e4m3";
  }
  const json* skipped = q.find("modules_to_not_convert");
  if (skipped && skipped->is_array())
    for (const json& module : skipped->items)
      if (module.is_string() && result.weights_format_exceptions.size() < 64)
        result.weights_format_exceptions.push_back(module.text.substr(0, 120));
  // Which components stay in bf16. DeepSeek's fp8 checkpoints keep the
  // embedding, the head and the router gates (README_WEIGHTS.md); gpt-oss lists
  // its own (attention, router, embedding, head) in modules_to_not_convert.
  std::vector<std::string> keep;
  auto add = [&](const char* part) {
    if (std::find(keep.begin(), keep.end(), part) == keep.end()) keep.push_back(part);
  };
  if (result.weights_format == "fp8_block" && result.weights_format_exceptions.empty()) {
    add("embedding");
    add("lm_head");
    add("router");
  }
  for (const std::string& module : result.weights_format_exceptions) {
    if (module.find("attn") != std::string::npos)
      add("attention");
    else if (module.find("router") != std::string::npos || module.find("mlp.gate") != std::string::npos)
      add("router");
    else if (module.find("embed") != std::string::npos)
      add("embedding");
    else if (module.find("lm_head") != std::string::npos)
      add("lm_head");
  }
  for (const std::string& part : keep) result.weights_keep += (result.weights_keep.empty() ? "" : ",") + part;
  if (!result.weights_format.empty())
    result.assumed.push_back(
        "quantization_config: weights stored as " + result.weights_format + " (the plan's default weights format)" +
        (result.weights_keep.empty() ? std::string() : ", " + result.weights_keep + " kept in bf16"));
}

// Calls visit(i) at each index of `text` outside JSON strings (their quotes
// included); visit returns the next index to look at, or text.size() to stop.
// The scans below run before (or instead of) the parser, on text it may refuse.
template <class Visit>
void scan_outside_strings(std::string_view text, Visit visit) {
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size();) {
    const char ch = text[i];
    if (!in_string && ch != '"') {
      i = visit(i);
      continue;
    }
    if (!in_string)
      in_string = true;
    else if (escaped)
      escaped = false;
    else if (ch == '\\')
      escaped = true;
    else if (ch == '"')
      in_string = false;
    ++i;
  }
}

// Deepest nesting of [ and { outside strings, without parsing (the parser recurses).
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  scan_outside_strings(text, [&](size_t i) {
    if (text[i] == '[' || text[i] == '{')
      deepest = std::max(deepest, ++depth);
    else if (text[i] == ']' || text[i] == '}')
      --depth;
    return deepest > kMaxConfigDepth ? text.size() : i + 1;
  });
  return deepest;
}

// The first number literal outside strings that overflows a double (1e400),
// as "the number 1e400 on line 3": the parser refuses it, and a
// reader should learn which value to fix. Empty when there is none.
std::string overflowing_number(std::string_view text) {
  std::string found;
  scan_outside_strings(text, [&](size_t i) {
    const char ch = text[i];
    if (ch != '-' && (ch < '0' || ch > '9')) return i + 1;
    size_t end = i;
    while (end < text.size() && std::string_view("0123456789+-.eE").find(text[end]) != std::string_view::npos) ++end;
    const std::string literal(text.substr(i, end - i));
    if (!std::isinf(std::strtod(literal.c_str(), nullptr))) return end;
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(i), '\n') + 1;
    found = "the number " + (literal.size() > 40 ? literal.substr(0, 40) + "…" : literal) + " on line " +
            std::to_string(line) + " is beyond double range (largest about 1.8e308)";
    return text.size();
  });
  return found;
}

}  // namespace

const std::vector<std::string>& hf_model_types() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> ids;
    for (const KnownType& type : known_types()) ids.push_back(type.id);
    return ids;
  }();
  return types;
}

HfImport import_hf_config(std::string_view text) {
  HfImport result;
  if (nesting_depth(text) > kMaxConfigDepth) {
    result.status = error_status("config_json", "config.json nests deeper than " + std::to_string(kMaxConfigDepth) +
                                                    " levels (real configs nest 3)");
    return result;
  }
  const std::optional<json> parsed = parse_json(text, kMaxConfigDepth);
  if (!parsed) {
    const std::string overflow = overflowing_number(text);
    result.status =
        error_status("config_json", overflow.empty() ? "config.json is not valid JSON" : "config.json: " + overflow);
    return result;
  }
  const json& root = *parsed;
  if (!root.is_object()) {
    result.status =
        error_status("config_json", std::string("config.json must hold a JSON object (got ") + root.type_name() + ")");
    return result;
  }
  if (const json* type = root.find("model_type")) {
    if (!type->is_string()) {
      result.status = error_status("model_type", "model_type must be a string (got " + described(*type) + ")");
      return result;
    }
    result.model_type = type->text;
  }

  Reader reader(root, result.assumed);
  ModelConfig config;
  if (const json* path = root.find("_name_or_path"); path && path->is_string() && !path->text.empty())
    config.name = path->text.substr(0, 200);
  else
    config.name = result.model_type.empty() ? "imported" : result.model_type.substr(0, 60);

  const auto known = std::find_if(known_types().begin(), known_types().end(),
                                  [&](const KnownType& type) { return result.model_type == type.id; });
  const KnownType* by_class = known == known_types().end() ? known_by_architecture(root) : nullptr;
  if (known != known_types().end()) {
    known->read(reader, config, result);
  } else if (by_class) {
    reader.assume(std::string("architecture: read as ") + by_class->id + ", the type " + by_class->architecture +
                  " (architectures) runs, " + since_type_not_known(result.model_type));
    by_class->read(reader, config, result);
  } else {
    const std::vector<std::string> keys = llama_mismatches(root);
    if (!keys.empty()) {
      std::string list;
      for (const std::string& key : keys) list += (list.empty() ? "" : ", ") + key;
      std::string type_text =
          result.model_type.empty() ? "no model_type" : "model_type \"" + result.model_type.substr(0, 60) + "\"";
      result.status = error_status(
          "model_type", "config.json has " + type_text + ", which is not known, and keys that change the counts (" +
                            list + "): reading it llama-style would give wrong numbers. Known types: " + [] {
                              std::string ids;
                              for (const std::string& id : hf_model_types()) ids += (ids.empty() ? "" : ", ") + id;
                              return ids;
                            }());
      return result;
    }
    read_unknown(reader, config, result.model_type);
  }
  read_quantization(root, result);
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

// Fuzz driver for the core's entry points (issue 17): every validator and
// report function is called with random and extreme values (NaN, ±Inf,
// denormals, 2^53 + 1, 2^63, negatives, junk strings, random and deeply nested
// config.json). Built with ASan and UBSan (float-cast-overflow and
// float-divide-by-zero included, no recovery: scripts/fuzz.sh), so a crash or
// any undefined behaviour ends the run; the driver itself checks that every
// result whose status is ok carries finite numbers, and that every refusal
// names a field and says something.
//
// Seeded and deterministic: case k of seed s is the same on every run, and the
// time limit only decides how many cases run. Environment:
//   LLMST_FUZZ_SECONDS  run time (default 60)
//   LLMST_FUZZ_SEED     first seed (default 1)
// A failure prints the entry point, the seed, the case number and the field.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/validate.hpp"
#include "memory/attention_memory.hpp"
#include "memory/explain.hpp"
#include "memory/kv_cache.hpp"
#include "model/explain.hpp"
#include "model/hf_import.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "model/report.hpp"
#include "quant/explain.hpp"
#include "quant/formats.hpp"
#include "quant/sizes.hpp"
#include "roofline/explain.hpp"
#include "roofline/hardware.hpp"
#include "roofline/plan.hpp"
#include "roofline/roofline.hpp"
#include "roofline/training.hpp"
#include "serve/serve.hpp"
#include "sim/paging_sim.hpp"

namespace {

using namespace llmst;
using nlohmann::json;

// ---- where a failure happened ---------------------------------------------

struct Where {
  const char* target = "";
  uint64_t seed = 0;
  uint64_t index = 0;
};
Where where;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr,
               "fuzz: %s (entry point %s, round seed %llu, case %llu; LLMST_FUZZ_SEED=%llu LLMST_FUZZ_SECONDS=0 "
               "reruns that round alone)\n",
               what.c_str(), where.target, static_cast<unsigned long long>(where.seed),
               static_cast<unsigned long long>(where.index), static_cast<unsigned long long>(where.seed));
  std::exit(1);
}

// An ok result's number must be finite.
void finite(const char* name, double value) {
  if (!std::isfinite(value)) fail(std::string("ok result with ") + name + " = " + format_number(value));
}
#define FINITE(object, field) finite(#field, (object).field)

// A refusal names the field at fault and says why, in a bounded message.
bool last_ok = false;  // the last checked call's status, for the summary
void refusal(const Status& status) {
  last_ok = status.ok;
  if (status.ok) return;
  if (status.field.empty()) fail("refusal without a field: " + status.message);
  if (status.message.empty()) fail("refusal of " + status.field + " without a message");
  if (status.message.size() > 4096)
    fail("refusal of " + status.field + " with a message of " + std::to_string(status.message.size()) + " characters");
}

// ---- random values ---------------------------------------------------------

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  uint64_t below(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(engine_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(engine_) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  // The values that break arithmetic and conversions.
  double extreme() {
    static const std::vector<double> values = {std::numeric_limits<double>::quiet_NaN(),
                                               -std::numeric_limits<double>::quiet_NaN(),
                                               std::numeric_limits<double>::infinity(),
                                               -std::numeric_limits<double>::infinity(),
                                               std::numeric_limits<double>::denorm_min(),
                                               -std::numeric_limits<double>::denorm_min(),
                                               std::numeric_limits<double>::min(),
                                               1e-308,
                                               1e-300,
                                               1e-12,
                                               1e-6,
                                               1e-3,
                                               std::numeric_limits<double>::max(),
                                               -std::numeric_limits<double>::max(),
                                               1e300,
                                               -1e300,
                                               9007199254740993.0 /* 2^53 + 1 (rounds to 2^53) */,
                                               9007199254740992.0,
                                               18446744073709551616.0,
                                               9223372036854775808.0 /* 2^63 */,
                                               -9223372036854775808.0,
                                               4294967296.0,
                                               2147483648.0,
                                               1e12,
                                               1e12 + 1,
                                               1e15,
                                               1e15 + 1,
                                               1e18,
                                               1e9,
                                               1e7 + 1,
                                               0.0,
                                               -0.0,
                                               -1,
                                               -2,
                                               0.5,
                                               1.5,
                                               1,
                                               2,
                                               3,
                                               7,
                                               1023,
                                               1024,
                                               65537,
                                               0.999999,
                                               1.000001};
    return pick(values);
  }

  // Near `base` most of the time, so cases pass validation and reach the
  // arithmetic; an extreme or random value otherwise.
  double number(double base) {
    switch (below(8)) {
      case 0:
        return extreme();
      case 1:
        return static_cast<double>(below(64));
      case 2:
        return base * std::ldexp(1.0, static_cast<int>(below(80)) - 20);
      case 3:
        return std::floor(base * std::uniform_real_distribution<double>(0, 4)(engine_));
      case 4:
        return base + static_cast<double>(below(5)) - 2;
      case 5:
        return std::ldexp(1.0, static_cast<int>(below(70)));
      case 6:
        return -base;
      default:
        return base;
    }
  }

  // Mutates `value` with probability p.
  void maybe(double& value, double p = 0.12) {
    if (chance(p)) value = number(value);
  }
  void maybe(bool& value, double p = 0.1) {
    if (chance(p)) value = !value;
  }
  void maybe(std::string& value, const std::vector<std::string>& choices, double p = 0.1) {
    if (chance(p)) value = chance(0.7) ? pick(choices) : junk();
  }

  std::string junk() {
    static const std::vector<std::string> values = {"",
                                                    " ",
                                                    "fp16 ",
                                                    "FP16",
                                                    "int4\n",
                                                    "nan",
                                                    "NaN",
                                                    "-1",
                                                    "1e400",
                                                    "😀",
                                                    "\xff\xfe",
                                                    "null",
                                                    std::string("fp16\0x", 6),
                                                    std::string(5000, 'a'),
                                                    ",,,",
                                                    "full,,sliding",
                                                    "moe,dense,moe,",
                                                    "embedding,embedding",
                                                    "q,k,v,o,gate,up,down,bogus",
                                                    "all-linear,q"};
    if (chance(0.2)) {
      std::string text(below(40), ' ');
      for (char& c : text) c = static_cast<char>(below(256));
      return text;
    }
    return pick(values);
  }

 private:
  std::mt19937_64 engine_;
};

const std::vector<std::string> kDtypes = {"fp32", "fp16", "bf16", "fp8", "int8", "int4"};
std::vector<std::string> quant_format_ids() {
  std::vector<std::string> ids = kDtypes;
  for (const QuantFormatInfo& format : quant_formats()) ids.push_back(format.id);
  return ids;
}

// ---- inputs ----------------------------------------------------------------

// Comma lists of n random entries from `words` (layer_types, mlp_layer_types).
std::string random_list(Random& random, const std::vector<std::string>& words, double n) {
  std::string text;
  const uint64_t count = n > 0 && n < 200 ? static_cast<uint64_t>(n) : random.below(8);
  for (uint64_t i = 0; i < count; ++i) text += (i ? "," : "") + random.pick(words);
  return text;
}

ModelConfig random_model(Random& random) {
  ModelConfig m = random.chance(0.85) ? random.pick(model_presets()).config : ModelConfig{};
  for (double* field : {&m.vocab_size,
                        &m.d_model,
                        &m.n_layers,
                        &m.n_heads,
                        &m.n_kv_heads,
                        &m.head_dim,
                        &m.d_ff,
                        &m.learned_position_embeddings,
                        &m.q_lora_rank,
                        &m.kv_lora_rank,
                        &m.qk_nope_head_dim,
                        &m.qk_rope_head_dim,
                        &m.v_head_dim,
                        &m.indexer_heads,
                        &m.indexer_head_dim,
                        &m.indexer_topk,
                        &m.sliding_window,
                        &m.attention_chunk,
                        &m.n_experts,
                        &m.experts_top_k,
                        &m.moe_d_ff,
                        &m.shared_experts,
                        &m.shared_expert_d_ff,
                        &m.mtp_modules,
                        &m.vision_params,
                        &m.projector_params,
                        &m.vision_flops_per_image,
                        &m.image_tokens})
    random.maybe(*field, 0.06);
  for (bool* field : {&m.tied_embeddings, &m.qkv_bias, &m.attn_out_bias, &m.mlp_bias, &m.parallel_attn_mlp,
                      &m.parallel_shared_norm, &m.sandwich_norms, &m.qk_norm, &m.qk_norm_full_width, &m.attention_sinks,
                      &m.mtp_embedding_copies, &m.shared_expert_gate, &m.router_bias, &m.router_score_bias})
    random.maybe(*field, 0.04);
  random.maybe(m.ffn, {"gated", "plain"}, 0.03);
  random.maybe(m.norm, {"rms", "layer"}, 0.03);
  random.maybe(m.attention, {"gqa", "mla"}, 0.03);
  if (random.chance(0.05)) m.layer_types = random_list(random, {"full", "sliding", "chunked", "bogus"}, m.n_layers);
  if (random.chance(0.05)) m.mlp_layer_types = random_list(random, {"dense", "moe", "x"}, m.n_layers);
  return m;
}

Hardware random_hardware(Random& random) {
  Hardware h = random.pick(hardware_presets());
  for (double* field :
       {&h.fp32_tflops, &h.fp16_tflops, &h.fp8_tflops, &h.int8_tops, &h.memory_gb_per_s, &h.memory_bytes,
        &h.interconnect_gb_per_s, &h.host_link_gb_per_s, &h.fp4_tflops, &h.tdp_watts, &h.usd_per_hour})
    random.maybe(*field, 0.06);
  return h;
}

Workload random_workload(Random& random) {
  Workload w;
  w.model = random_model(random);
  w.hardware = random_hardware(random);
  static const std::vector<std::string> formats = quant_format_ids();
  if (random.chance(0.5)) w.weights_dtype = random.pick(formats);
  random.maybe(w.weights_dtype, formats, 0.05);
  if (random.chance(0.1)) w.weights_bits = random.number(4.5);
  random.maybe(w.weights_group, 0.1);
  random.maybe(w.weights_scale_dtype, {"fp16", "bf16", "fp32"}, 0.08);
  if (random.chance(0.1))
    w.weights_keep = random.pick<std::string>({"embedding", "attention,router", "lm_head,embedding", "bogus", ""});
  random.maybe(w.kv_dtype, kDtypes, 0.3);
  random.maybe(w.compute_dtype, {"fp32", "fp16", "bf16", "fp8", "int8"}, 0.2);
  random.maybe(w.batch, 0.3);
  random.maybe(w.context, 0.3);
  random.maybe(w.images, 0.05);
  random.maybe(w.flop_efficiency, 0.1);
  random.maybe(w.bandwidth_efficiency, 0.1);
  random.maybe(w.fused_attention, 0.2);
  if (random.chance(0.3)) w.gpus = static_cast<double>(1 + random.below(16));
  random.maybe(w.gpus, 0.1);
  random.maybe(w.parallelism, {"tensor", "pipeline"}, 0.3);
  random.maybe(w.offload_layers, 0.1);
  random.maybe(w.collective_latency_s, 0.05);
  return w;
}

KvCacheInput random_kv(Random& random) {
  KvCacheInput in = kv_cache_defaults();
  if (random.chance(0.4)) {
    const KvModelInput from = kv_input_of_model(random.pick(model_presets()).config, in);
    if (from.status.ok) in = from.input;
  }
  for (double* field : {&in.n_layers,
                        &in.n_heads,
                        &in.n_kv_heads,
                        &in.head_dim,
                        &in.d_model,
                        &in.batch,
                        &in.prompt_tokens,
                        &in.generated_tokens,
                        &in.quant_group,
                        &in.window,
                        &in.sinks,
                        &in.global_every,
                        &in.attention_layers,
                        &in.local_layers,
                        &in.chunk,
                        &in.chunked_layers,
                        &in.kv_lora_rank,
                        &in.qk_rope_head_dim,
                        &in.qk_nope_head_dim,
                        &in.v_head_dim,
                        &in.indexer_head_dim,
                        &in.block_size})
    random.maybe(*field, 0.08);
  random.maybe(in.kv_dtype, kDtypes, 0.3);
  random.maybe(in.quant_asymmetric, 0.2);
  random.maybe(in.quant_scale_dtype, {"fp16", "bf16", "fp32"}, 0.1);
  return in;
}

QuantSpec random_spec(Random& random) {
  static const std::vector<std::string> formats = quant_format_ids();
  QuantSpec spec;
  spec.format = random.pick(formats);
  random.maybe(spec.format, formats, 0.05);
  random.maybe(spec.layout, {"tensor", "channel", "group"}, 0.4);
  random.maybe(spec.group_size, 0.2);
  random.maybe(spec.channel_size, 0.2);
  random.maybe(spec.scale_dtype, {"fp16", "bf16", "fp32"}, 0.2);
  random.maybe(spec.double_quant, 0.2);
  return spec;
}

ParamGroups random_groups(Random& random) {
  ParamGroups groups;
  if (random.chance(0.5)) {
    const ModelParamGroups of = param_groups_of_model(random.pick(model_presets()).config);
    if (of.status.ok) groups = of.params;
  } else {
    groups.attention = 1e9;
    groups.ffn = 5e9;
  }
  for (double* field :
       {&groups.embedding, &groups.attention, &groups.ffn, &groups.norms, &groups.lm_head, &groups.router})
    random.maybe(*field, 0.1);
  return groups;
}

// A config.json: a preset's record with values swapped for random ones, keys
// dropped or nested, text cut or flipped, or nesting far past the limit.
json random_json_value(Random& random, int depth = 0) {
  switch (random.below(depth > 3 ? 5 : 8)) {
    case 0:
      return json(random.number(4096));
    case 1:
      return json(static_cast<int64_t>(random.below(1u << 20)) - 1000);
    case 2:
      return json(random.chance(0.5));
    case 3:
      return json(nullptr);
    case 4:
      return json(random.pick<std::string>(
          {"", "llama", "deepseek_v3", "gemma3", "full_attention", "sliding_attention", "silu", "x"}));
    case 5: {
      json array = json::array();
      for (uint64_t i = random.below(6); i > 0; --i) array.push_back(random_json_value(random, depth + 1));
      return array;
    }
    default: {
      json object = json::object();
      for (uint64_t i = random.below(4); i > 0; --i)
        object[random.pick<std::string>({"hidden_size", "num_attention_heads", "head_dim", "text_config",
                                         "vision_config", "quantization_config", "model_type", "x"})] =
            random_json_value(random, depth + 1);
      return object;
    }
  }
}

std::string deep_nesting(Random& random) {
  const uint64_t depth = random.chance(0.5) ? 20 + random.below(30) : 1000 + random.below(20000);
  const bool arrays = random.chance(0.5);
  std::string key = random.pick<std::string>({"hidden_size", "text_config", "layer_types", "quantization_config", "x"});
  std::string text = "{\"model_type\": \"llama\", \"" + key + "\": ";
  for (uint64_t i = 0; i < depth; ++i) text += arrays ? "[" : "{\"a\":";
  text += "1";
  for (uint64_t i = 0; i < depth; ++i) text += arrays ? "]" : "}";
  return text + "}";
}

std::string random_config_json(Random& random) {
  const ModelPreset& preset = random.pick(model_presets());
  switch (random.below(6)) {
    case 0:
      return deep_nesting(random);
    case 1: {  // the text cut or some bytes changed
      std::string text = preset.config_json;
      if (random.chance(0.5)) text.resize(random.below(text.size() + 1));
      for (uint64_t i = random.below(4); i > 0 && !text.empty(); --i)
        text[random.below(text.size())] = static_cast<char>(random.below(256));
      return text;
    }
    case 2: {  // a number literal out of double range, or other literal junk
      std::string text = preset.config_json;
      const size_t colon = text.find(':', random.below(text.size() + 1));
      if (colon != std::string::npos)
        text.insert(colon + 1, random.pick<std::string>({" 1e400,", " -1e400,", " 1e-400,", " NaN,", " Infinity,",
                                                         " 0x10,", " 99999999999999999999999,", " -0,", " 1.5e308,"}));
      return text;
    }
    default: {  // a parsed record with values swapped
      json root = json::parse(preset.config_json, nullptr, false);
      if (root.is_discarded() || !root.is_object()) return preset.config_json;
      std::vector<std::string> keys;
      for (auto it = root.begin(); it != root.end(); ++it) keys.push_back(it.key());
      for (uint64_t i = 1 + random.below(4); i > 0 && !keys.empty(); --i) {
        const std::string& key = random.pick(keys);
        if (random.chance(0.15))
          root.erase(key);
        else
          root[key] = random_json_value(random);
      }
      if (random.chance(0.1)) root = json::array({root});
      return root.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
}

// ---- finite checks of the main result numbers ------------------------------

void check(const ModelParams& p) {
  for (double value : {p.q_dim,
                       p.kv_dim,
                       p.embedding,
                       p.position_embedding,
                       p.attention_q,
                       p.attention_k,
                       p.attention_v,
                       p.attention_o,
                       p.attention_bias,
                       p.attention_norms,
                       p.attention_sinks,
                       p.attention,
                       p.ffn_per_expert,
                       p.ffn_dense,
                       p.ffn_experts,
                       p.ffn_shared,
                       p.ffn,
                       p.ffn_active,
                       p.router,
                       p.norms_per_layer,
                       p.final_norm,
                       p.norms,
                       p.lm_head,
                       p.per_layer,
                       p.per_layer_active,
                       p.language_model,
                       p.mtp,
                       p.vision,
                       p.projector,
                       p.total,
                       p.active,
                       p.attention_percent,
                       p.ffn_percent})
    finite("params", value);
}

void check(const FlopSplit& split) {
  FINITE(split, attention_projections);
  FINITE(split, attention_scores);
  FINITE(split, attention);
  FINITE(split, ffn);
  FINITE(split, lm_head);
  FINITE(split, total);
}

void check(const ModelReport& r) {
  check(r.params);
  for (const WeightsMemory& row : r.weights_memory) {
    FINITE(row, bytes);
    FINITE(row, active_bytes);
  }
  FINITE(r.decode, attended_tokens);
  check(r.decode.split);
  FINITE(r.prefill, attended_pairs);
  FINITE(r.prefill, lm_head_last_token);
  check(r.prefill.split);
  if (r.crossover.exists) FINITE(r.crossover, context_tokens);
  for (const AttentionSharePoint& point : r.attention_share_curve) {
    FINITE(point, attention_flops);
    FINITE(point, ffn_flops);
    FINITE(point, total_flops);
    FINITE(point, attention_share);
  }
}

void check(const KvCacheResult& r) {
  for (double value : {r.head_dim,
                       r.tokens,
                       r.kv_layers,
                       r.global_layers,
                       r.local_layers,
                       r.chunked_layers,
                       r.global_cached_tokens,
                       r.local_cached_tokens,
                       r.chunked_cached_tokens,
                       r.vector_values,
                       r.vectors_per_token_per_layer,
                       r.bits_per_value,
                       r.vector_bytes,
                       r.scale_bytes_per_vector,
                       r.effective_bits_per_value,
                       r.bytes_per_token_per_layer,
                       r.bytes_per_token,
                       r.bytes_per_sequence,
                       r.bytes,
                       r.full_attention_bytes,
                       r.scale_bytes,
                       r.unabsorbed_bytes_per_token,
                       r.block_bytes_per_layer,
                       r.blocks_per_sequence,
                       r.paged_bytes,
                       r.paged_waste_bytes,
                       r.paged_waste_fraction})
    finite("kv_cache", value);
}

void check(const KvCompareResult& r) {
  for (const auto* rows : {&r.variants, &r.strategies})
    for (const KvCompareRow& row : *rows) {
      FINITE(row, bytes_per_token);
      FINITE(row, bytes_per_sequence);
      FINITE(row, bytes);
      FINITE(row, ratio_to_first);
    }
  for (const KvSeriesPoint& point : r.series) {
    FINITE(point, context);
    FINITE(point, bytes_per_sequence);
  }
}

void check(const AttentionMemoryResult& r) {
  for (double value :
       {r.standard_scores_bytes_per_head, r.standard_scores_bytes, r.flash_extra_bytes_per_head, r.flash_extra_bytes,
        r.qkvo_bytes, r.sram_elements, r.block_cols, r.block_rows, r.column_blocks, r.standard_hbm_elements,
        r.flash_hbm_elements, r.standard_hbm_bytes, r.flash_hbm_bytes, r.hbm_ratio})
    finite("attention_memory", value);
  for (const AttentionMemoryPoint& point : r.series) {
    FINITE(point, standard_scores_bytes);
    FINITE(point, flash_extra_bytes);
    FINITE(point, standard_hbm_bytes);
    FINITE(point, flash_hbm_bytes);
  }
}

void check(const BitsPerWeight& b) {
  FINITE(b, code_bits);
  FINITE(b, weights_per_scale);
  FINITE(b, scale_bits);
  FINITE(b, zero_point_bits);
  FINITE(b, double_quant_bits);
  FINITE(b, bits_per_weight);
}

void check(const QuantSizeResult& r) {
  check(r.bits);
  FINITE(r, total_params);
  FINITE(r, bytes);
  FINITE(r, bits_per_weight);
  FINITE(r, fp16_bytes);
  FINITE(r, saving_vs_fp16);
  for (const ComponentSize& c : r.components) {
    FINITE(c, params);
    FINITE(c, bits_per_weight);
    FINITE(c, bytes);
    FINITE(c, share);
  }
}

void check(const WeightsBytes& r) {
  for (double value : {r.bits_per_weight, r.embedding, r.attention, r.ffn, r.router, r.norms, r.lm_head})
    finite("weights_bytes", value);
  check(r.size);
}

void check(const PhaseTotals& t) {
  for (double value : {t.tokens, t.flops, t.weight_bytes, t.kv_bytes, t.activation_bytes, t.bytes, t.intensity,
                       t.compute_s, t.memory_s, t.time_s})
    finite("phase totals", value);
}

void check(const RooflineResult& r) {
  for (double value :
       {r.peak_flops_per_s, r.bandwidth_bytes_per_s, r.ridge_flops_per_byte, r.effective_peak_flops_per_s,
        r.effective_bandwidth_bytes_per_s, r.bytes_per_weight, r.head_dim, r.decode_weight_intensity, r.batch_to_ridge})
    finite("roofline", value);
  for (const OperatorCost& op : r.operators)
    for (double value : {op.count, op.flops, op.weight_bytes, op.kv_bytes, op.activation_bytes, op.bytes, op.intensity,
                         op.attainable_flops_per_s, op.compute_s, op.memory_s, op.time_s})
      finite(("operator " + op.name).c_str(), value);
  check(r.prefill);
  check(r.decode);
}

void check(const PlanResult& r) {
  for (double value : {r.ridge_flops_per_byte, r.peak_flops_per_s, r.bandwidth_bytes_per_s, r.bytes_per_weight,
                       r.total_params, r.active_params, r.weights_params, r.weight_bytes, r.kv_bytes_per_token,
                       r.kv_bytes, r.memory_per_device_bytes, r.memory_capacity_bytes, r.weights_per_device_bytes,
                       r.kv_per_device_bytes, r.offloaded_bytes, r.max_batch, r.max_context, r.min_gpus})
    finite("plan", value);
  const DecodePlan& d = r.decode;
  for (double value :
       {d.step_s, d.memory_floor_s, d.compute_floor_s, d.tokens_per_s, d.total_tokens_per_s, d.flops, d.bytes,
        d.weight_bytes_read, d.kv_bytes_read, d.intensity, d.communication_s, d.offload_s, d.experts_touched})
    finite("plan.decode", value);
  const PrefillPlan& p = r.prefill;
  for (double value : {p.ttft_s, p.tokens_per_s, p.flops, p.bytes, p.intensity, p.communication_s, p.offload_s})
    finite("plan.prefill", value);
  for (const CurvePoint& point : r.curve)
    for (double value : {point.batch, point.step_s, point.tokens_per_s, point.total_tokens_per_s, point.memory_bytes})
      finite("plan.curve", value);
  for (const ComponentSize& c : r.weight_components) {
    FINITE(c, params);
    FINITE(c, bytes);
  }
}

void check(const TrainingMemory& r) {
  for (double value : {r.params,
                       r.params_per_device,
                       r.bytes_per_param,
                       r.weights_bytes,
                       r.gradients_bytes,
                       r.optimizer_bytes,
                       r.activation_per_layer_bytes,
                       r.selective_per_layer_bytes,
                       r.layer_input_bytes,
                       r.checkpoints,
                       r.recompute_layers,
                       r.activation_bytes,
                       r.embedding_activation_bytes,
                       r.head_activation_bytes,
                       r.logits_bytes,
                       r.loss_bytes,
                       r.first_stage_bytes,
                       r.last_stage_bytes,
                       r.total_bytes,
                       r.flops_per_step,
                       r.recompute_flops,
                       r.extra_compute_fraction,
                       r.trainable_params,
                       r.trainable_percent,
                       r.base_weights_bytes,
                       r.adapter_weights_bytes,
                       r.adapter_activation_bytes,
                       r.dequantized_bytes,
                       r.offloaded_bytes})
    finite("training", value);
  for (const TrainingLayer& layer : r.layers) {
    FINITE(layer, bytes);
    FINITE(layer, selective_bytes);
    FINITE(layer, adapter_params);
  }
  for (const TrainingPart& part : r.parts) FINITE(part, bytes);
}

void check(const TrainingFit& r) {
  FINITE(r, capacity_bytes);
  FINITE(r, needed_bytes);
  FINITE(r, max_batch);
  FINITE(r, max_sequence);
}

void check(const ExplainResult& r) {
  for (const Explanation& e : r.explanations) {
    finite(("explain " + e.id).c_str(), e.value);
    for (const ExplainTerm& term : e.terms) finite(("explain " + e.id + " term " + term.symbol).c_str(), term.value);
  }
}

void check(const PagingSimResult& r) {
  for (const PagingScheme& s : r.schemes) {
    FINITE(s, sequences);
    FINITE(s, reserved_bytes);
    FINITE(s, used_bytes);
    FINITE(s, waste_bytes);
    FINITE(s, waste_fraction);
    FINITE(s, tokens_held);
  }
  FINITE(r, paged_vs_naive_sequences);
  FINITE(r, mean_length_tokens);
  FINITE(r, std_length_tokens);
  FINITE(r, clipped_fraction);
}

void check(const LatencyStats& s) {
  FINITE(s, mean);
  FINITE(s, p50);
  FINITE(s, p90);
  FINITE(s, p99);
}

void check(const ServeResult& r) {
  check(r.ttft_s);
  check(r.tpot_s);
  check(r.e2e_s);
  FINITE(r, goodput_requests_per_s);
  FINITE(r, slo_attainment);
  FINITE(r.throughput, output_tokens_per_s);
  FINITE(r.kv, peak_utilization);
  FINITE(r.kv, mean_utilization);
  FINITE(r.prefix_cache, hit_rate);
  FINITE(r.spec, mean_tokens_per_step);
  FINITE(r.spec, expected_tokens_per_step);
  FINITE(r.littles_law, mean_in_system);
  FINITE(r.littles_law, rate_times_time);
  FINITE(r, unloaded_ttft_s);
  FINITE(r, unloaded_tpot_s);
  for (double t : r.series.time_s) finite("series.time_s", t);
  if (r.invariant_violations > 0)
    fail("serve: the KV books did not add up at " + format_number(r.invariant_violations) + " iterations");
  if (r.kv.peak_utilization > 1) fail("serve: more KV blocks in use than exist");
}

// Checks a result: a refusal is well formed, an ok result finite.
template <typename Result>
void verify(const Result& result) {
  refusal(result.status);
  if (result.status.ok) check(result);
}

// ---- the entry points --------------------------------------------------------

struct Target {
  const char* name;
  std::function<void(Random&)> run;
  uint64_t calls = 0, ok = 0;
};

std::vector<Target> targets() {
  std::vector<Target> list;
  list.push_back({"validate_model", [](Random& r) { refusal(validate_model(random_model(r)).status); }});
  list.push_back({"count_params", [](Random& r) { verify(count_params(random_model(r))); }});
  list.push_back({"model_report", [](Random& r) { verify(model_report(random_model(r), r.number(4096))); }});
  list.push_back({"import_hf_config", [](Random& r) {
                    const HfImport imported = import_hf_config(random_config_json(r));
                    refusal(imported.status);
                    if (imported.status.ok) verify(count_params(imported.config));
                  }});
  list.push_back({"kv_cache", [](Random& r) { verify(kv_cache(random_kv(r))); }});
  list.push_back({"kv_compare", [](Random& r) { verify(kv_compare(random_kv(r))); }});
  list.push_back({"kv_input_of_model", [](Random& r) {
                    const KvModelInput from = kv_input_of_model(random_model(r), random_kv(r));
                    refusal(from.status);
                    if (from.status.ok) verify(kv_cache(from.input));
                  }});
  list.push_back({"attention_memory", [](Random& r) {
                    AttentionMemoryInput in = attention_memory_defaults();
                    for (double* field : {&in.n, &in.head_dim, &in.heads, &in.batch, &in.score_bytes, &in.element_bytes,
                                          &in.sram_bytes, &in.series_max_n})
                      r.maybe(*field, 0.2);
                    verify(attention_memory(in));
                  }});
  list.push_back({"bits_per_weight", [](Random& r) { verify(bits_per_weight(random_spec(r))); }});
  list.push_back({"quant_size", [](Random& r) {
                    QuantSizeInput in;
                    in.params = random_groups(r);
                    in.spec = random_spec(r);
                    static const std::vector<std::string> formats = quant_format_ids();
                    for (std::string* field : {&in.embedding_format, &in.attention_format, &in.ffn_format,
                                               &in.router_format, &in.norms_format, &in.lm_head_format})
                      r.maybe(*field, formats, 0.15);
                    verify(quant_size(in));
                  }});
  list.push_back({"param_groups_of_model", [](Random& r) { refusal(param_groups_of_model(random_model(r)).status); }});
  list.push_back({"weights_bytes", [](Random& r) {
                    static const std::vector<std::string> formats = quant_format_ids();
                    WeightsFormat format;
                    format.format = r.pick(formats);
                    r.maybe(format.format, formats, 0.05);
                    r.maybe(format.group_size, 0.3);
                    r.maybe(format.scale_dtype, {"fp16", "bf16", "fp32"}, 0.2);
                    if (r.chance(0.2))
                      format.keep = r.pick<std::string>({"embedding", "attention,router,lm_head", "bogus", ",", ""});
                    if (r.chance(0.2)) format.bits = r.number(4.5);
                    verify(weights_bytes(random_groups(r), format));
                  }});
  list.push_back({"roofline", [](Random& r) { verify(roofline(random_workload(r))); }});
  list.push_back({"plan", [](Random& r) { verify(plan(random_workload(r))); }});
  list.push_back({"training_memory", [](Random& r) {
                    TrainingInput in;
                    in.model = random_model(r);
                    for (double* field : {&in.batch, &in.sequence, &in.vocab_chunks, &in.zero_stage, &in.data_parallel,
                                          &in.tensor_parallel, &in.pipeline_parallel, &in.lora_rank})
                      r.maybe(*field, 0.1);
                    r.maybe(in.checkpointing, {"none", "selective", "full", "sqrt"}, 0.5);
                    r.maybe(in.method, {"full", "lora", "qlora"}, 0.4);
                    r.maybe(in.lora_targets, {"all-linear", "q,v", "q,k,v,o,gate,up,down", "down"}, 0.2);
                    r.maybe(in.adapter_dtype, {"fp32", "bf16"}, 0.1);
                    for (bool* field : {&in.fused_attention, &in.dropout, &in.fused_swiglu, &in.sequence_parallel,
                                        &in.fp32_gradients, &in.lora_experts, &in.lora_dropout, &in.paged_optimizer})
                      r.maybe(*field, 0.2);
                    const TrainingMemory memory = training_memory(in);
                    verify(memory);
                    if (r.chance(0.1)) verify(training_fit(in, random_hardware(r)));
                  }});
  list.push_back({"simulate_paging", [](Random& r) {
                    PagingSimInput in = paging_sim_defaults();
                    in.max_requests = 2000;  // the run is linear in admitted requests; keep a case short
                    for (double* field : {&in.budget_bytes, &in.bytes_per_token, &in.max_tokens, &in.block_size,
                                          &in.mean_tokens, &in.std_tokens, &in.seed, &in.histogram_bins})
                      r.maybe(*field, 0.15);
                    r.maybe(in.distribution, {"fixed", "uniform", "normal", "lognormal"}, 0.5);
                    r.maybe(in.snapshot, {"final", "in_flight"}, 0.3);
                    verify(simulate_paging(in));
                  }});
  list.push_back({"serve", [](Random& r) {
                    ServeConfig c;
                    c.workload = random_workload(r);
                    if (r.chance(0.5)) c.workload.model = r.pick(model_presets()).config;
                    c.requests = 30;
                    for (double* field : {&c.rate,
                                          &c.requests,
                                          &c.prompt_tokens,
                                          &c.output_tokens,
                                          &c.arrival_cv,
                                          &c.users,
                                          &c.chunk_tokens,
                                          &c.max_batch,
                                          &c.block_size,
                                          &c.gpu_memory_utilization,
                                          &c.watermark,
                                          &c.prefix_share,
                                          &c.prefix_tokens,
                                          &c.spec_gamma,
                                          &c.spec_accept,
                                          &c.slo_ttft_s,
                                          &c.slo_tpot_s,
                                          &c.seed,
                                          &c.compute_efficiency,
                                          &c.memory_efficiency,
                                          &c.iteration_overhead_s})
                      r.maybe(*field, 0.08);
                    r.maybe(c.arrival, {"poisson", "gamma", "closed", "trace"}, 0.4);
                    r.maybe(c.scheduler, {"static", "continuous", "chunked"}, 0.6);
                    r.maybe(c.preemption, {"recompute", "swap"}, 0.3);
                    r.maybe(c.prompt_dist, {"fixed", "uniform", "exponential", "lognormal"}, 0.3);
                    r.maybe(c.output_dist, {"fixed", "uniform", "exponential", "lognormal"}, 0.3);
                    if (r.chance(0.2)) {
                      c.prefix_share = r.chance(0.5) ? 0.5 : r.number(0.5);
                      c.prefix_tokens = r.number(256);
                    }
                    if (c.arrival == "trace" || r.chance(0.05))
                      c.trace =
                          r.pick<std::string>({"0,100,10\n0.5,200,5,1\n", "arrival_s,prompt_tokens,output_tokens\n",
                                               "0,1e400,3\n", "1,2\n", "0,10,5,-1\n", "#\n\n0,5,5\r\n", r.junk()});
                    if (r.chance(0.1)) {
                      c.spec_draft = true;
                      c.draft_model = r.chance(0.5) ? c.workload.model : random_model(r);
                    }
                    r.maybe(c.spec_mtp, 0.05);
                    c.check_invariants = true;
                    // Cases stay short: one whose estimate is long is only estimated.
                    const sim::WorkEstimate estimate = estimate_serve(c);
                    refusal(estimate.status);
                    if (estimate.status.ok && estimate.seconds > 0.5) return;
                    verify(serve(c));
                  }});
  list.push_back({"explain_model", [](Random& r) { verify(explain_model(random_model(r), r.number(4096))); }});
  list.push_back({"explain_kv", [](Random& r) { verify(explain_kv(random_kv(r))); }});
  list.push_back({"explain_quant", [](Random& r) {
                    QuantSizeInput in;
                    in.params = random_groups(r);
                    in.spec = random_spec(r);
                    verify(explain_quant(in));
                  }});
  list.push_back({"explain_plan", [](Random& r) { verify(explain_plan(random_workload(r))); }});
  return list;
}

double env_number(const char* name, double fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (*end || !(value >= 0)) {
    std::fprintf(stderr, "fuzz: %s = \"%s\" is not a number >= 0\n", name, text);
    std::exit(2);
  }
  return value;
}

}  // namespace

int main() {
  const double seconds = env_number("LLMST_FUZZ_SECONDS", 60);
  const uint64_t first_seed = static_cast<uint64_t>(env_number("LLMST_FUZZ_SEED", 1));
  std::vector<Target> list = targets();
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  // Round after round, one case of every entry point each; a seed per round
  // keeps a failing case reproducible on its own (LLMST_FUZZ_SEED, case 0).
  uint64_t rounds = 0;
  do {
    where.seed = first_seed + rounds;
    Random random(where.seed);
    for (Target& target : list) {
      where.target = target.name;
      where.index = target.calls;
      last_ok = false;
      target.run(random);
      ++target.calls;
      target.ok += last_ok;
    }
    ++rounds;
  } while (elapsed() < seconds);
  uint64_t total = 0;
  for (const Target& target : list) {
    total += target.calls;
    std::printf("  %-22s %9llu calls, %5.1f %% answered\n", target.name, static_cast<unsigned long long>(target.calls),
                100.0 * static_cast<double>(target.ok) / static_cast<double>(target.calls));
  }
  std::printf(
      "fuzz: %llu calls over %zu entry points in %.1f s (seeds %llu..%llu): no crash, no undefined behaviour, "
      "every ok result finite\n",
      static_cast<unsigned long long>(total), list.size(), elapsed(), static_cast<unsigned long long>(first_seed),
      static_cast<unsigned long long>(first_seed + rounds - 1));
  return 0;
}

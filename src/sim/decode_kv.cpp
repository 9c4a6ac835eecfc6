#include "sim/decode_kv.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace llmst::sim {
namespace {

// 1234567 → "1,234,567" (en-US grouping, as the page prints byte counts).
std::string grouped(double value) {
  std::string digits = format_number(std::round(value));
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return (negative ? "-" : "") + digits;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-" : "") + out;
}

bool quantized(const std::string& strategy) { return strategy == "int8" || strategy == "int4"; }

std::string unmodelled_note(const DecodeKept& kept) {
  const DecodeInput& input = kept.input;
  const double tokens = input.prompt_tokens + input.generated_tokens;
  std::vector<std::string> notes;
  if (kept.hidden_bytes > 0) {
    const std::string bytes = grouped(kept.hidden_bytes) + " B";
    if (input.strategy == "seed") {
      notes.push_back("keeps no K/V: the hidden states of the last " +
                      format_number(std::fmin(tokens, input.cache_tokens + 1)) + " tokens (" + bytes +
                      ") are kept and their K/V projected again every step; the KV formula does not count them");
    } else {
      const std::string hidden = "the hidden states of all " + format_number(tokens) + " tokens (" + bytes + ")";
      notes.push_back(input.strategy == "none"
                          ? "keeps no K/V: " + hidden +
                                " are kept and every K/V is recomputed from them; the KV formula does not count them"
                          : hidden + " are kept to recompute evicted K/V; the KV formula does not count them");
    }
  }
  if (quantized(input.strategy) && input.kv_layout == "per_channel") {
    const std::string group = format_number(input.kv_group);
    notes.push_back(
        "per_channel: the formula groups along head_dim (per token); the kernel keeps one fp32 scale per channel per " +
        group + " tokens and the not-yet-full group of up to " + group + " tokens in fp32");
  }
  if (input.strategy == "int4" && std::fmod(kept.head_dim, 2) == 1) {
    notes.push_back(
        "int4 with an odd head_dim: the kernel packs two codes per byte across a token's whole K row, the formula "
        "rounds up per head vector");
  }
  std::string joined;
  for (const std::string& note : notes) joined += (joined.empty() ? "" : "; ") + note;
  return joined;
}

}  // namespace

DecodeKept decode_kept(const DecodeResult& result) {
  return {result.input, result.kv_heads, result.head_dim, result.kv_bytes, result.hidden_bytes};
}

DecodeKvClosedForm decode_kv_closed_form(const DecodeKept& kept) {
  const DecodeInput& input = kept.input;
  DecodeKvClosedForm out;
  out.measured_bytes = kept.kv_bytes;
  out.note = unmodelled_note(kept);
  out.keeps_kv = !(input.strategy == "none" || input.strategy == "seed" ||
                   (input.strategy == "recompute" && input.cache_tokens == 0));
  if (out.keeps_kv) {
    const bool q = quantized(input.strategy);
    KvCacheInput& kv = out.kv_input;
    kv.n_layers = 1;
    kv.n_heads = input.heads;
    kv.n_kv_heads = kept.kv_heads > 0 ? kept.kv_heads : input.heads;
    kv.head_dim = kept.head_dim;
    kv.d_model = input.d_model;
    kv.batch = 1;
    kv.prompt_tokens = input.prompt_tokens;
    kv.generated_tokens = input.generated_tokens;
    kv.kv_dtype = q ? input.strategy : "fp32";
    kv.quant_group = q ? input.kv_group : 0;
    kv.quant_asymmetric = false;
    kv.quant_scale_dtype = "fp32";  // the kernel keeps fp32 scales
    kv.window = input.strategy == "full" || q ? 0 : input.cache_tokens;
    kv.sinks = input.strategy == "sinks" ? input.sinks : 0;
    kv.block_size = 0;
    const KvCacheResult predicted = kv_cache(kv);
    if (!predicted.status.ok) {
      out.status = predicted.status;
      return out;
    }
    out.predicted_bytes = predicted.bytes;
  }
  out.difference_bytes = out.measured_bytes - out.predicted_bytes;
  return out;
}

}  // namespace llmst::sim

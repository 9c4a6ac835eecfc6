#include "sim/attention_runs.hpp"

#include "sim/timing_stats.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>

#include "attention/kernels.hpp"
#include "attention/kv_quant.hpp"
#include "core/heap.hpp"
#include "core/validate.hpp"
#include "core/warm_up.hpp"
#include "sim/memory_tracker.hpp"
#include "sim/output_hash.hpp"
#include "sim/random.hpp"
#include "simd/simd.hpp"

namespace llmst::sim {
namespace {

using Clock = TimingClock;
using attention::KvLayout;

std::string bytes_text(double bytes) { return format_number(bytes) + " bytes"; }

Status over_budget(const std::string& what, double needed, double budget) {
  return error_status("memory_budget_bytes", what + " needs " + bytes_text(needed) + ", more than the budget of " +
                                                 bytes_text(budget) + "; refused before allocating");
}

void fill_normal(float* x, std::size_t count, Random& random) {
  for (std::size_t i = 0; i < count; ++i) x[i] = static_cast<float>(random.normal());
}

// Evenly spaced indices in [0, count), the last one included; all if count ≤ wanted.
std::vector<std::size_t> sample_indices(std::size_t count, std::size_t wanted) {
  std::vector<std::size_t> picked;
  if (wanted == 0 || wanted >= count) {
    for (std::size_t i = 0; i < count; ++i) picked.push_back(i);
    return picked;
  }
  for (std::size_t k = 0; k < wanted; ++k) picked.push_back(wanted == 1 ? count - 1 : k * (count - 1) / (wanted - 1));
  return picked;
}

const char* isa_name() { return simd::kSimd ? "simd" : "scalar"; }

}  // namespace

// ---------------------------------------------------------------- prefill

// The kernels the runners time, called on tiny inputs until the engine runs
// them optimized (core/warm_up.hpp). A prefill run calls each kernel once per
// head and a decode run times a handful of steps: too few calls for V8 to
// leave its baseline compiler, so without this the first run in a fresh
// worker measured 2–3× slow (tiled prefill 6 instead of 18 GFLOP/s; in the KV
// panel GQA, measured first, came out slower than MHA).
static void warm_up_attention_kernels() {
  constexpr std::size_t d = 8, keys = 4, group = 2;
  float q[d * keys] = {}, k[d * keys] = {}, v[d * keys] = {}, out[d * keys] = {}, scores[keys * keys] = {};
  float workspace[attention::kTileKeys + 2 * attention::kTileQueries] = {}, scales[d * keys] = {};
  std::uint8_t codes[d * keys] = {};
  warm_up(
      "attention kernels",
      [&] {
        attention::attention_naive(q, k, v, out, scores, keys, d);
        attention::attention_tiled(q, k, v, out, workspace, keys, d);
        attention::project_rows(q, k, keys, d, out);
        attention::attention_decode_group(q, k, v, keys, d, d, group, out, scores);
        for (int bits : {8, 4})
          for (KvLayout layout : {KvLayout::per_token, KvLayout::per_channel}) {
            attention::quantize_kv(q, keys, d, bits, layout, 4, codes, scales);
            attention::dequantize_kv(codes, scales, keys, d, bits, layout, 4, 0, keys, 0, d, out);
          }
      },
      double(d * keys * 16));
}

AttentionRunResult run_attention(const AttentionRunInput& input) {
  AttentionRunResult result;
  result.input = input;
  result.isa = isa_name();
  result.status = first_error(
      check_integer("n", input.n, 1, 1 << 20), check_integer("d", input.d, 1, 1024),
      check_integer("heads", input.heads, 1, 256), check_integer("check_rows", input.check_rows, 1, 1 << 20),
      check_integer("seed", input.seed, 0, 9007199254740991.0),
      check_real_above("memory_budget_bytes", input.memory_budget_bytes, 0, 1e15), check_runs(input.runs));
  if (result.status.ok && input.variant != "naive" && input.variant != "tiled" && input.variant != "both")
    result.status = error_status("variant", "variant = \"" + input.variant + "\" must be naive, tiled or both");
  if (result.status.ok)
    result.status = check_slice("head", input.head_begin, input.head_end, input.heads, "every head");
  if (!result.status.ok) return result;

  const std::size_t n = std::size_t(input.n), d = std::size_t(input.d);
  const std::size_t head_begin = std::size_t(input.head_begin);
  const std::size_t head_end = input.head_end == 0 ? std::size_t(input.heads) : std::size_t(input.head_end);
  const std::size_t heads = head_end - head_begin;  // the heads this run computes
  result.heads_run = double(heads);
  result.flops = double(heads) * 4.0 * input.d * input.n * (input.n + 1) / 2;
  result.input_bytes = 4.0 * double(heads) * input.n * input.d * 4;  // q, k, v, out
  result.intensity = result.flops / result.input_bytes;

  std::vector<std::string> variants;
  if (input.variant != "tiled") variants.push_back("naive");
  if (input.variant != "naive") variants.push_back("tiled");
  // Plan every variant before allocating anything.
  for (const std::string& name : variants) {
    AttentionVariantResult planned;
    planned.variant = name;
    planned.workspace_bytes = 4.0 * (name == "naive" ? input.n * input.n : double(attention::tiled_workspace_floats()));
    planned.bytes_needed = result.input_bytes + planned.workspace_bytes;
    const std::string what = name + " attention at n = " + format_number(input.n) + ", d = " + format_number(input.d) +
                             ", heads = " + format_number(double(heads));
    // the module's own limit first: a budget above it does not raise it
    const Status fits = check_run_memory("memory_budget_bytes", what, planned.bytes_needed);
    if (!fits.ok || planned.bytes_needed > input.memory_budget_bytes) {
      planned.refused = true;
      planned.refusal = (fits.ok ? over_budget(what, planned.bytes_needed, input.memory_budget_bytes) : fits).message;
    }
    result.variants.push_back(planned);
  }
  // Asked for one variant only and it does not fit: that is the error.
  if (result.variants.size() == 1 && result.variants[0].refused) {
    result.status = error_status("memory_budget_bytes", result.variants[0].refusal);
    return result;
  }
  if (std::all_of(result.variants.begin(), result.variants.end(), [](auto& v) { return v.refused; })) {
    result.status = error_status("memory_budget_bytes", result.variants[0].refusal);
    return result;
  }

  warm_up_attention_kernels();
  MemoryTracker tracker;
  const std::size_t per_head = n * d;
  auto q = tracker.allocate<float>(heads * per_head);
  auto k = tracker.allocate<float>(heads * per_head);
  auto v = tracker.allocate<float>(heads * per_head);
  auto out = tracker.allocate<float>(heads * per_head);
  if (!q.ok() || !k.ok() || !v.ok() || !out.ok()) {
    result.status = error_status("n", "allocating " + bytes_text(result.input_bytes) + " of inputs failed");
    return result;
  }
  // q, k, v of every head come from one stream (attention_runs.hpp); a slice
  // starts each at its first head's place in it.
  const std::uint64_t tensor = std::uint64_t(input.heads) * per_head, first = head_begin * per_head;
  const auto fill_from = [&](float* values, std::size_t count, std::uint64_t index) {
    Random random = normals_from(std::uint64_t(input.seed), index);
    fill_normal(values, count, random);
  };
  fill_from(q.data(), q.size(), first);
  fill_from(k.data(), k.size(), tensor + first);
  fill_from(v.data(), v.size(), 2 * tensor + first);

  const std::vector<std::size_t> rows = sample_indices(n, std::size_t(input.check_rows));
  result.checked_rows = double(rows.size());
  // fp64 reference of the checked rows, computed once for both variants.
  std::vector<double> reference(heads * rows.size() * d);
  for (std::size_t h = 0; h < heads; ++h)
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::size_t i = rows[r];
      attention::attention_reference_row(q.data() + h * per_head + i * d, k.data() + h * per_head,
                                         v.data() + h * per_head, i + 1, d, d,
                                         reference.data() + (h * rows.size() + r) * d);
    }

  for (AttentionVariantResult& variant : result.variants) {
    if (variant.refused) continue;
    tracker.reset_peak();
    const bool naive = variant.variant == "naive";
    auto workspace = tracker.allocate<float>(std::size_t(variant.workspace_bytes / 4));
    if (!workspace.ok()) {
      variant.refused = true;
      variant.refusal = "allocating " + bytes_text(variant.workspace_bytes) + " failed";
      continue;
    }
    // One untimed warm-up run, then `runs` timed ones, each over every head.
    variant.time = time_runs(
        [&] {
          for (std::size_t h = 0; h < heads; ++h) {
            const std::size_t offset = h * per_head;
            if (naive)
              attention::attention_naive(q.data() + offset, k.data() + offset, v.data() + offset, out.data() + offset,
                                         workspace.data(), n, d);
            else
              attention::attention_tiled(q.data() + offset, k.data() + offset, v.data() + offset, out.data() + offset,
                                         workspace.data(), n, d);
          }
        },
        input.runs, 0);
    variant.seconds = variant.time.median_s;
    variant.flops_per_s = variant.seconds > 0 ? result.flops / variant.seconds : 0;
    variant.gflop_per_s = variant.flops_per_s / 1e9;
    variant.peak_bytes = tracker.peak_bytes();
    double max_error = 0;
    for (std::size_t h = 0; h < heads; ++h)
      for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < d; ++c)
          max_error = std::max(max_error, std::fabs(double(out[h * per_head + rows[r] * d + c]) -
                                                    reference[(h * rows.size() + r) * d + c]));
    variant.max_abs_error = max_error;
    for (std::size_t h = 0; h < heads; ++h)
      variant.head_output_hashes.push_back(fnv1a_hash(out.data() + h * per_head, per_head));
  }
  return result;
}

// ---------------------------------------------------------------- decode

std::vector<std::int64_t> attended_tokens(const std::string& strategy, std::int64_t t, std::int64_t cache_tokens,
                                          std::int64_t sinks) {
  std::vector<std::int64_t> tokens;
  if (strategy == "window" || strategy == "sinks") {
    const std::int64_t kept_sinks = strategy == "sinks" ? std::min(sinks, t + 1) : 0;
    for (std::int64_t u = 0; u < kept_sinks; ++u) tokens.push_back(u);
    for (std::int64_t u = std::max(kept_sinks, t - cache_tokens + 1); u <= t; ++u) tokens.push_back(u);
    return tokens;
  }
  if (strategy == "seed") {  // the last cache_tokens tokens plus the current one
    for (std::int64_t u = std::max<std::int64_t>(0, t - cache_tokens); u <= t; ++u) tokens.push_back(u);
    return tokens;
  }
  for (std::int64_t u = 0; u <= t; ++u) tokens.push_back(u);
  return tokens;
}

namespace {

bool is_strategy(const std::string& s) {
  return s == "full" || s == "window" || s == "sinks" || s == "recompute" || s == "none" || s == "seed" ||
         s == "int8" || s == "int4";
}

// Everything a strategy keeps between steps. Slots hold K/V rows of
// kv_width = kv_heads · head_dim floats (all KV heads); a token's slot depends
// on the strategy.
struct DecodeState {
  std::string strategy;
  std::size_t d_model = 0, heads = 0, kv_heads = 0, head_dim = 0, kv_width = 0, tokens = 0, cache = 0, sinks = 0;
  std::size_t hidden_width = 0;  // H: width of x_t, the row length of every weight
  int bits = 0;                  // 8 or 4 for quantized
  KvLayout layout = KvLayout::per_token;
  std::size_t group = 0;
  std::size_t slots = 0;       // fp32_slots(), fixed once the state is set up
  const float* w_k = nullptr;  // (kv_width, H): recompute projects evicted tokens with it
  const float* w_v = nullptr;
  MemoryTracker::Buffer<float> k, v;    // fp32 slots
  MemoryTracker::Buffer<float> hidden;  // recompute, none (every token), seed (a ring)
  MemoryTracker::Buffer<std::uint8_t> k_codes, v_codes;
  MemoryTracker::Buffer<float> k_scales, v_scales;
  MemoryTracker::Buffer<float> k_head, v_head;  // per-head scratch (recompute, quantized)
  MemoryTracker::Buffer<float> scores;

  bool quantized() const { return bits != 0; }
  bool keeps_hidden() const { return hidden_slots() > 0; }
  // Hidden states kept: recompute and none every token's; seed a ring of the
  // cache + 1 tokens it re-projects (all it ever reads again).
  std::size_t hidden_slots() const {
    if (strategy == "recompute" || strategy == "none") return tokens;
    if (strategy == "seed") return std::min(tokens, cache + 1);
    return 0;
  }

  // fp32 slots kept: full n; window W; sinks S + W; recompute W; none 0;
  // quantized per_channel: the incomplete block of `group` tokens. Never more
  // than the sequence's n tokens (the closed form's min(tokens, window)).
  std::size_t fp32_slots() const {
    std::size_t count = 0;
    if (strategy == "full")
      count = tokens;
    else if (strategy == "window" || strategy == "recompute")
      count = cache;
    else if (strategy == "sinks")
      count = sinks + cache;
    else if (quantized() && layout == KvLayout::per_channel)
      count = group;
    return std::min(count, tokens);
  }
  // The KV head query head h reads (GQA: heads / kv_heads query heads share one).
  std::size_t kv_head_of(std::size_t h) const { return h / (heads / kv_heads); }
  std::size_t slot_of(std::size_t u) const {
    if (strategy == "full") return u;
    if (strategy == "sinks") return u < sinks ? u : sinks + (u - sinks) % cache;
    if (quantized()) return u % group;  // per_channel residual block
    return u % cache;
  }
  // Bytes of the codes and scales of the quantized store.
  std::size_t code_bytes_per_token() const { return attention::kv_code_bytes(kv_width, bits); }
  std::size_t scale_count() const {
    return layout == KvLayout::per_token ? tokens * (kv_width / group) : blocks() * kv_width;
  }
  std::size_t blocks() const { return (tokens + group - 1) / group; }
  // KV head g's slice of slots [first, first + rows), read in place.
  attention::KvRows slot_rows(std::size_t g, std::size_t first, std::size_t rows) const {
    return {k.data() + first * kv_width + g * head_dim, v.data() + first * kv_width + g * head_dim, rows, kv_width};
  }
  // Rows [first, first + rows) of the per-head scratch.
  attention::KvRows scratch_rows(std::size_t first, std::size_t rows) const {
    return {k_head.data() + first * head_dim, v_head.data() + first * head_dim, rows, head_dim};
  }
};

// Per-head projection of rows [h·hd, (h+1)·hd) of a weight with `heads` head
// blocks of rows `width` floats long: the same arithmetic whether a token is
// projected on arrival or recomputed later (what makes recompute exact).
void project_heads(const float* w, std::size_t heads, std::size_t hd, std::size_t width, const float* x,
                   float* out_rows) {
  for (std::size_t h = 0; h < heads; ++h) attention::project_rows(x, w + h * hd * width, hd, width, out_rows + h * hd);
}

// The parts of a decode step, in DecodeTimeSplit's order.
enum class Phase : std::size_t { projection, store, recompute, dequantize, attend, output };
inline constexpr std::size_t kPhases = 6;

// What a strategy hands the attention of one KV head at one step: that head's
// K/V rows as at most three runs in the order they are attended.
struct Gathered {
  attention::KvRows runs[3];
  std::size_t run_count = 0;
  std::size_t keys = 0;        // rows over all runs
  std::size_t recomputed = 0;  // rows projected again from hidden states
  void add(const attention::KvRows& rows) {
    if (rows.rows == 0) return;
    runs[run_count++] = rows;
    keys += rows.rows;
  }
};

// A KV strategy is two functions. store() keeps token t's K/V (and its hidden
// state) the strategy's way; it runs for every token. gather() makes KV head
// g's rows ready for a measured step at position t; its time is charged to
// gather_phase (recompute or dequantize when it does that work, attend when
// it only points at rows kept in place).
// projects_new_kv: whether the step projects the new token's K/V on arrival
// (every strategy but seed, which projects them in its gather with the rest).
struct DecodeStrategy {
  void (*store)(DecodeState& s, std::size_t t, const float* x_t, const float* k_t, const float* v_t);
  Gathered (*gather)(DecodeState& s, std::size_t t, std::size_t g);
  Phase gather_phase;
  bool projects_new_kv = true;
};

// --- store

void store_slot(DecodeState& s, std::size_t t, const float* k_t, const float* v_t) {
  if (s.slots == 0) return;
  const std::size_t slot = s.slot_of(t);
  std::memcpy(s.k.data() + slot * s.kv_width, k_t, s.kv_width * 4);
  std::memcpy(s.v.data() + slot * s.kv_width, v_t, s.kv_width * 4);
}

// full, window, sinks: the K/V row goes to its slot.
void store_in_slots(DecodeState& s, std::size_t t, const float*, const float* k_t, const float* v_t) {
  store_slot(s, t, k_t, v_t);
}

// recompute, none: the hidden state is kept for later recomputation, and
// recompute's last cache_tokens K/V rows go to their ring slots.
void store_hidden_and_slots(DecodeState& s, std::size_t t, const float* x_t, const float* k_t, const float* v_t) {
  std::memcpy(s.hidden.data() + t * s.hidden_width, x_t, s.hidden_width * 4);
  store_slot(s, t, k_t, v_t);
}

// seed: only the hidden state, into its ring slot; no K/V is kept.
void store_hidden_ring(DecodeState& s, std::size_t t, const float* x_t, const float*, const float*) {
  std::memcpy(s.hidden.data() + (t % s.hidden_slots()) * s.hidden_width, x_t, s.hidden_width * 4);
}

// int8/int4 per_token: each token's row is quantized on arrival.
void store_quantized_per_token(DecodeState& s, std::size_t t, const float*, const float* k_t, const float* v_t) {
  const std::size_t scales_per_token = s.kv_width / s.group;
  attention::quantize_kv(k_t, 1, s.kv_width, s.bits, s.layout, s.group, s.k_codes.data() + t * s.code_bytes_per_token(),
                         s.k_scales.data() + t * scales_per_token);
  attention::quantize_kv(v_t, 1, s.kv_width, s.bits, s.layout, s.group, s.v_codes.data() + t * s.code_bytes_per_token(),
                         s.v_scales.data() + t * scales_per_token);
}

// int8/int4 per_channel: rows wait in the fp32 block of `group` tokens; a
// complete block is quantized (its scales span the block's tokens).
void store_quantized_per_channel(DecodeState& s, std::size_t t, const float*, const float* k_t, const float* v_t) {
  store_slot(s, t, k_t, v_t);
  if ((t + 1) % s.group != 0) return;
  const std::size_t block = t / s.group;
  attention::quantize_kv(s.k.data(), s.group, s.kv_width, s.bits, s.layout, s.group,
                         s.k_codes.data() + block * s.group * s.code_bytes_per_token(),
                         s.k_scales.data() + block * s.kv_width);
  attention::quantize_kv(s.v.data(), s.group, s.kv_width, s.bits, s.layout, s.group,
                         s.v_codes.data() + block * s.group * s.code_bytes_per_token(),
                         s.v_scales.data() + block * s.kv_width);
}

// --- gather

// full, window, sinks: the kept slots, read in place in slot order.
Gathered gather_slots(DecodeState& s, std::size_t t, std::size_t g) {
  Gathered rows;
  rows.add(s.slot_rows(g, 0, std::min(t + 1, s.slots)));
  return rows;
}

// recompute, none: attends to every token in order. Evicted tokens 0..e−1
// (e = t+1 − cache) are projected again from their hidden states into the
// scratch; the kept ones are read in place from the ring, whose slots hold
// tokens e..t from slot e mod cache on, wrapping to slot 0. With nothing
// evicted this reads exactly what window reads.
Gathered gather_recompute(DecodeState& s, std::size_t t, std::size_t g) {
  const std::size_t keys = t + 1, kept = std::min(keys, s.cache), evicted = keys - kept;
  const std::size_t hd = s.head_dim, H = s.hidden_width;
  for (std::size_t u = 0; u < evicted; ++u) {
    const float* x_u = s.hidden.data() + u * H;
    attention::project_rows(x_u, s.w_k + g * hd * H, hd, H, s.k_head.data() + u * hd);
    attention::project_rows(x_u, s.w_v + g * hd * H, hd, H, s.v_head.data() + u * hd);
  }
  Gathered rows;
  rows.add(s.scratch_rows(0, evicted));
  if (kept > 0) {
    const std::size_t first = evicted % s.cache, to_end = std::min(kept, s.cache - first);
    rows.add(s.slot_rows(g, first, to_end));
    rows.add(s.slot_rows(g, 0, kept - to_end));
  }
  rows.recomputed = evicted;
  return rows;
}

// seed: the seed program's step. K/V of tokens t−cache..t (the current one
// included) projected from their hidden states into the scratch, in token
// order — the rows window with cache + 1 keeps, computed by the same
// project_rows, so the output is window's (to float rounding once window's
// ring wraps: it attends to its slots in ring order, a rotation of these).
Gathered gather_seed(DecodeState& s, std::size_t t, std::size_t g) {
  const std::size_t keys = std::min(t + 1, s.cache + 1), first = t + 1 - keys;
  const std::size_t hd = s.head_dim, H = s.hidden_width, ring = s.hidden_slots();
  for (std::size_t j = 0; j < keys; ++j) {
    const float* x_u = s.hidden.data() + ((first + j) % ring) * H;
    attention::project_rows(x_u, s.w_k + g * hd * H, hd, H, s.k_head.data() + j * hd);
    attention::project_rows(x_u, s.w_v + g * hd * H, hd, H, s.v_head.data() + j * hd);
  }
  Gathered rows;
  rows.add(s.scratch_rows(0, keys));
  rows.recomputed = keys;
  return rows;
}

// int8/int4 per_token: every token's row of KV head g dequantized into the scratch.
Gathered gather_dequantized_per_token(DecodeState& s, std::size_t t, std::size_t g) {
  const std::size_t keys = t + 1, hd = s.head_dim, scales_per_token = s.kv_width / s.group;
  for (std::size_t u = 0; u < keys; ++u) {
    attention::dequantize_kv(s.k_codes.data() + u * s.code_bytes_per_token(), s.k_scales.data() + u * scales_per_token,
                             1, s.kv_width, s.bits, s.layout, s.group, 0, 1, g * hd, (g + 1) * hd,
                             s.k_head.data() + u * hd);
    attention::dequantize_kv(s.v_codes.data() + u * s.code_bytes_per_token(), s.v_scales.data() + u * scales_per_token,
                             1, s.kv_width, s.bits, s.layout, s.group, 0, 1, g * hd, (g + 1) * hd,
                             s.v_head.data() + u * hd);
  }
  Gathered rows;
  rows.add(s.scratch_rows(0, keys));
  return rows;
}

// int8/int4 per_channel: complete blocks dequantized into the scratch, then
// the incomplete block's fp32 rows read in place (slots 0.. of the block).
Gathered gather_dequantized_per_channel(DecodeState& s, std::size_t t, std::size_t g) {
  const std::size_t keys = t + 1, hd = s.head_dim, full_blocks = keys / s.group;
  for (std::size_t b = 0; b < full_blocks; ++b) {
    const std::size_t codes = b * s.group * s.code_bytes_per_token();
    attention::dequantize_kv(s.k_codes.data() + codes, s.k_scales.data() + b * s.kv_width, s.group, s.kv_width, s.bits,
                             s.layout, s.group, 0, s.group, g * hd, (g + 1) * hd, s.k_head.data() + b * s.group * hd);
    attention::dequantize_kv(s.v_codes.data() + codes, s.v_scales.data() + b * s.kv_width, s.group, s.kv_width, s.bits,
                             s.layout, s.group, 0, s.group, g * hd, (g + 1) * hd, s.v_head.data() + b * s.group * hd);
  }
  Gathered rows;
  rows.add(s.scratch_rows(0, full_blocks * s.group));
  rows.add(s.slot_rows(g, 0, keys - full_blocks * s.group));
  return rows;
}

DecodeStrategy strategy_of(const DecodeState& s) {
  if (s.strategy == "seed") return {store_hidden_ring, gather_seed, Phase::recompute, false};
  if (s.keeps_hidden()) return {store_hidden_and_slots, gather_recompute, Phase::recompute};
  if (s.quantized() && s.layout == KvLayout::per_token)
    return {store_quantized_per_token, gather_dequantized_per_token, Phase::dequantize};
  if (s.quantized()) return {store_quantized_per_channel, gather_dequantized_per_channel, Phase::dequantize};
  return {store_in_slots, gather_slots, Phase::attend};  // full, window, sinks
}

// Time per part of the step, in clock ticks.
using PhaseTimes = std::array<Clock::duration, kPhases>;

// The clock read at every boundary between the parts of a step: a part is the
// time between two consecutive reads, so the parts add up to the step (its
// first read to its last) exactly, in whole clock ticks.
class StepTimer {
 public:
  StepTimer() : last_(Clock::now()) {}
  void lap(Phase phase) {
    const Clock::time_point now = Clock::now();
    parts_[std::size_t(phase)] += now - last_;
    last_ = now;
  }
  void add_to(PhaseTimes& sums) const {
    for (std::size_t i = 0; i < kPhases; ++i) sums[i] += parts_[i];
  }
  Clock::duration total() const {
    Clock::duration sum{};
    for (Clock::duration part : parts_) sum += part;
    return sum;
  }

 private:
  Clock::time_point last_;
  PhaseTimes parts_{};
};

}  // namespace

// The decode runner; appends each measured step's output to `outputs` when given.
static DecodeResult run_decode_into(const DecodeInput& input, std::vector<float>* outputs) {
  DecodeResult result;
  result.input = input;
  result.isa = isa_name();
  result.status = first_error(
      check_integer("prompt_tokens", input.prompt_tokens, 0, 1 << 20),
      check_integer("generated_tokens", input.generated_tokens, 1, 1 << 20),
      check_integer("d_model", input.d_model, 1, 16384), check_integer("heads", input.heads, 1, 256),
      check_integer("kv_heads", input.kv_heads, 0, 256), check_integer("hidden_dim", input.hidden_dim, 0, 16384),
      check_integer("cache_tokens", input.cache_tokens, 0, 1 << 21), check_integer("sinks", input.sinks, 0, 1 << 20),
      check_integer("kv_group", input.kv_group, 1, 1 << 20),
      check_integer("sample_steps", input.sample_steps, 0, 1 << 20),
      check_integer("seed", input.seed, 0, 9007199254740991.0),
      check_real_above("memory_budget_bytes", input.memory_budget_bytes, 0, 1e15), check_runs(input.runs));
  if (!result.status.ok) return result;
  if (!is_strategy(input.strategy))
    return result.status =
               error_status("strategy", "strategy = \"" + input.strategy +
                                            "\" must be one of full, window, sinks, recompute, none, seed, int8, int4"),
           result;
  if (input.kv_layout != "per_token" && input.kv_layout != "per_channel")
    return result.status =
               error_status("kv_layout", "kv_layout = \"" + input.kv_layout + "\" must be per_token or per_channel"),
           result;
  if (std::fmod(input.d_model, input.heads) != 0)
    return result.status = error_status("heads", "heads = " + format_number(input.heads) +
                                                     " must divide d_model = " + format_number(input.d_model)),
           result;
  const double kv_heads = input.kv_heads == 0 ? input.heads : input.kv_heads;
  if (std::fmod(input.heads, kv_heads) != 0)
    return result.status = error_status("kv_heads", "kv_heads = " + format_number(input.kv_heads) +
                                                        " must divide heads = " + format_number(input.heads)),
           result;
  result.kv_heads = kv_heads;
  const double hidden = input.hidden_dim == 0 ? input.d_model : input.hidden_dim;
  result.hidden_dim = hidden;
  const bool windowed = input.strategy == "window" || input.strategy == "sinks" || input.strategy == "recompute";
  if (windowed && input.strategy != "recompute" && input.cache_tokens < 1)
    return result.status = error_status("cache_tokens", "cache_tokens = " + format_number(input.cache_tokens) +
                                                            " must be at least 1 for " + input.strategy),
           result;
  const double head_dim = input.d_model / input.heads;
  result.head_dim = head_dim;
  const bool quantized = input.strategy == "int8" || input.strategy == "int4";
  if (quantized && input.kv_layout == "per_token" && std::fmod(head_dim, input.kv_group) != 0)
    return result.status = error_status("kv_group", "kv_group = " + format_number(input.kv_group) +
                                                        " must divide head_dim = " + format_number(head_dim) +
                                                        " (per_token groups stay inside a head)"),
           result;
  result.status = check_slice("kv_head", input.kv_head_begin, input.kv_head_end, kv_heads, "every KV head");
  const bool sliced = input.kv_head_end != 0;
  if (result.status.ok && sliced && input.output_projection)
    result.status = error_status("output_projection",
                                 "output_projection = true mixes every head in Wo: a slice of KV heads "
                                 "(kv_head_end = " +
                                     format_number(input.kv_head_end) + ") cannot have it");
  if (!result.status.ok) return result;
  const std::size_t kv_begin = std::size_t(input.kv_head_begin);
  const std::size_t kv_end = sliced ? std::size_t(input.kv_head_end) : std::size_t(kv_heads);
  result.kv_heads_run = double(kv_end - kv_begin);

  DecodeState s;
  s.strategy = input.strategy;
  // A slice is the model narrowed to its KV heads and their query heads.
  const std::size_t group_size = std::size_t(input.heads / kv_heads);
  s.head_dim = std::size_t(head_dim);
  s.kv_heads = kv_end - kv_begin;
  s.heads = s.kv_heads * group_size;
  s.d_model = s.heads * s.head_dim;
  s.kv_width = s.kv_heads * s.head_dim;
  s.tokens = std::size_t(input.prompt_tokens + input.generated_tokens);
  s.cache = input.strategy == "none" ? 0 : std::size_t(input.cache_tokens);
  const bool output_projection = input.output_projection;
  s.sinks = input.strategy == "sinks" ? std::size_t(input.sinks) : 0;
  s.bits = input.strategy == "int8" ? 8 : input.strategy == "int4" ? 4 : 0;
  s.layout = input.kv_layout == "per_channel" ? KvLayout::per_channel : KvLayout::per_token;
  s.group = std::size_t(input.kv_group);
  // D: query width (heads · head_dim); H: hidden-state width the projections
  // read; Dkv: one token's K (or V) row over all KV heads.
  const std::size_t D = s.d_model, H = std::size_t(hidden), Dkv = s.kv_width, n = s.tokens, hd = s.head_dim;

  // Plan: the strategy's buffers, plus the untracked synthetic sequence and
  // the full-cache reference, all against the budget.
  const double weights_bytes = (double(D) + 2.0 * Dkv) * H * 4 + (output_projection ? double(D) * D * 4 : 0);
  const double fp32_kv_bytes = 2.0 * double(s.fp32_slots()) * Dkv * 4;
  double quant_bytes = 0;
  if (s.quantized()) quant_bytes = 2.0 * (double(n) * s.code_bytes_per_token() + double(s.scale_count()) * 4);
  const double hidden_bytes = double(s.hidden_slots()) * H * 4;
  const bool needs_head_scratch = s.keeps_hidden() || s.quantized();
  // per-KV-head K/V scratch; scores of one group of heads / kv_heads queries
  const double scratch_bytes = (needs_head_scratch ? 2.0 * n * hd * 4 : 0) + double(n) * (s.heads / s.kv_heads) * 4;
  const double reference_bytes = 2.0 * n * Dkv * 4 + double(n) * H * 4;  // full K/V + sequence
  const double needed = weights_bytes + fp32_kv_bytes + quant_bytes + hidden_bytes + scratch_bytes + reference_bytes;
  const std::string what = "decode with " + input.strategy + " over " + format_number(double(n)) +
                           " tokens at d_model = " + format_number(input.d_model) +
                           ", hidden_dim = " + format_number(hidden) + ", kv_heads = " + format_number(kv_heads);
  // the module's own limit first: a budget above it does not raise it
  result.status = check_run_memory("memory_budget_bytes", what, needed);
  if (!result.status.ok) return result;
  if (needed > input.memory_budget_bytes)
    return result.status = over_budget(what, needed, input.memory_budget_bytes), result;

  warm_up_attention_kernels();
  MemoryTracker tracker;    // the strategy's own buffers
  MemoryTracker untracked;  // synthetic inputs and the reference
  auto w_q = tracker.allocate<float>(D * H), w_k = tracker.allocate<float>(Dkv * H),
       w_v = tracker.allocate<float>(Dkv * H), w_o = tracker.allocate<float>(output_projection ? D * D : 0);
  s.k = tracker.allocate<float>(s.fp32_slots() * Dkv);
  s.v = tracker.allocate<float>(s.fp32_slots() * Dkv);
  if (s.quantized()) {
    s.k_codes = tracker.allocate<std::uint8_t>(n * s.code_bytes_per_token());
    s.v_codes = tracker.allocate<std::uint8_t>(n * s.code_bytes_per_token());
    s.k_scales = tracker.allocate<float>(s.scale_count());
    s.v_scales = tracker.allocate<float>(s.scale_count());
  }
  if (s.keeps_hidden()) s.hidden = tracker.allocate<float>(s.hidden_slots() * H);
  if (needs_head_scratch) {
    s.k_head = tracker.allocate<float>(n * hd);
    s.v_head = tracker.allocate<float>(n * hd);
  }
  s.scores = tracker.allocate<float>(n * (s.heads / s.kv_heads));
  auto sequence = untracked.allocate<float>(n * H);
  auto ref_k = untracked.allocate<float>(n * Dkv), ref_v = untracked.allocate<float>(n * Dkv);
  const bool all_ok = w_q.ok() && w_k.ok() && w_v.ok() && w_o.ok() && s.k.ok() && s.v.ok() && s.k_codes.ok() &&
                      s.v_codes.ok() && s.k_scales.ok() && s.v_scales.ok() && s.hidden.ok() && s.k_head.ok() &&
                      s.v_head.ok() && s.scores.ok() && sequence.ok() && ref_k.ok() && ref_v.ok();
  if (!all_ok)
    return result.status = error_status("memory_budget_bytes", "allocating " + bytes_text(needed) + " failed"), result;

  // Synthetic data: x_t ~ N(0, I), W ~ N(0, 1/H) so projections are ~N(0, 1).
  // Filled in the order Wq, Wk, Wv: with kv_heads = heads the draws are those of MHA.
  // One stream over the whole run's tensors; a slice jumps to its heads' rows.
  const auto fill_from = [&](float* values, std::size_t count, std::uint64_t index) {
    Random random = normals_from(std::uint64_t(input.seed), index);
    fill_normal(values, count, random);
  };
  const std::uint64_t whole_q = std::uint64_t(input.d_model) * H, whole_kv = std::uint64_t(kv_heads) * hd * H;
  const std::uint64_t q_first = std::uint64_t(kv_begin) * group_size * hd * H,
                      kv_first = std::uint64_t(kv_begin) * hd * H;
  fill_from(sequence.data(), sequence.size(), 0);
  fill_from(w_q.data(), w_q.size(), n * H + q_first);
  fill_from(w_k.data(), w_k.size(), n * H + whole_q + kv_first);
  fill_from(w_v.data(), w_v.size(), n * H + whole_q + whole_kv + kv_first);
  for (auto* w : {&w_q, &w_k, &w_v}) simd::scale(w->data(), float(1.0 / std::sqrt(double(H))), w->size());
  if (output_projection) {  // drawn last: the other draws stay those of a run without it
    fill_from(w_o.data(), w_o.size(), n * H + whole_q + 2 * whole_kv);
    simd::scale(w_o.data(), float(1.0 / std::sqrt(double(D))), w_o.size());
  }

  s.hidden_width = H;
  s.slots = s.fp32_slots();
  s.w_k = w_k.data();
  s.w_v = w_v.data();
  const DecodeStrategy strategy = strategy_of(s);

  // out_t: attention output; o_t: the step's output (Wo · out_t, or out_t)
  std::vector<float> q_t(D), k_t(Dkv), v_t(Dkv), out_t(D), ref_out(D), o_t(D), ref_o(D);
  std::vector<double> exact(hd);
  std::vector<float> claimed_k, claimed_v;
  const std::size_t prompt = std::size_t(input.prompt_tokens);
  const std::vector<std::size_t> measured =
      sample_indices(std::size_t(input.generated_tokens), std::size_t(input.sample_steps));
  std::size_t next_measured = 0;
  double total_flops = 0, cosine_sum = 0;
  DecodeFlops flops_sum;
  const std::size_t runs = std::size_t(input.runs);
  std::vector<PhaseTimes> run_phase_times(runs, PhaseTimes{});  // per run, summed over its measured steps
  std::vector<double> step_seconds;                             // each measured step's median over the runs
  std::size_t keys = 0, recomputed = 0;
  const std::size_t group_width = group_size * hd;  // one KV head's block of the output
  std::vector<std::uint32_t> group_hashes(s.kv_heads, kFnvOffset);

  for (std::size_t t = 0; t < n; ++t) {
    const float* x_t = sequence.data() + t * H;
    const bool is_measured = t >= prompt && next_measured < measured.size() && measured[next_measured] == t - prompt;
    // A measured step runs `runs` times, timed (the first measured step once
    // more before, untimed: the warm-up). Every part of a step is idempotent
    // (the same slots, scratch and outputs are written), so each repeat does
    // the same work; run r of the experiment is repeat r of every measured step.
    const std::size_t warm_ups = is_measured && next_measured == 0 ? 1 : 0;
    const std::size_t executions = is_measured ? warm_ups + runs : 1;
    std::vector<double> repeats_s;
    for (std::size_t e = 0; e < executions; ++e) {
      StepTimer step;
      // 1. project the new token and store it the strategy's way
      if (strategy.projects_new_kv) {
        project_heads(w_k.data(), s.kv_heads, hd, H, x_t, k_t.data());
        project_heads(w_v.data(), s.kv_heads, hd, H, x_t, v_t.data());
        step.lap(Phase::projection);
      }
      strategy.store(s, t, x_t, k_t.data(), v_t.data());
      step.lap(Phase::store);
      if (is_measured) {
        // 2. attend: each KV head g serves its group of heads / kv_heads query
        //    heads (contiguous in q_t), over the rows the strategy gathers for g
        project_heads(w_q.data(), s.heads, hd, H, x_t, q_t.data());
        step.lap(Phase::projection);
        for (std::size_t g = 0; g < s.kv_heads; ++g) {
          const Gathered rows = strategy.gather(s, t, g);
          step.lap(strategy.gather_phase);
          attention::attention_decode_runs(q_t.data() + g * group_size * hd, rows.runs, rows.run_count, hd, group_size,
                                           out_t.data() + g * group_size * hd, s.scores.data());
          step.lap(Phase::attend);
          keys = rows.keys;
          recomputed = rows.recomputed;
        }
        // 3. the output projection, as the seed's step ends
        if (output_projection) {
          attention::project_rows(out_t.data(), w_o.data(), D, D, o_t.data());
          step.lap(Phase::output);
        }
        if (e >= warm_ups) {
          step.add_to(run_phase_times[e - warm_ups]);
          repeats_s.push_back(std::chrono::duration<double>(step.total()).count());
        }
      }
    }
    if (is_measured) step_seconds.push_back(timing_stats(repeats_s).median_s);
    // seed projects no K/V on arrival; the reference needs them (untimed)
    if (!strategy.projects_new_kv) {
      project_heads(w_k.data(), s.kv_heads, hd, H, x_t, k_t.data());
      project_heads(w_v.data(), s.kv_heads, hd, H, x_t, v_t.data());
    }
    // The reference keeps every token's K/V in fp32 (untimed).
    std::memcpy(ref_k.data() + t * Dkv, k_t.data(), Dkv * 4);
    std::memcpy(ref_v.data() + t * Dkv, v_t.data(), Dkv * 4);
    if (!is_measured) continue;

    // Q; K and V of the new token (on arrival) and of the recomputed ones;
    // QKᵀ and PV over all heads; Wo
    const double projected_tokens = (strategy.projects_new_kv ? 1.0 : 0.0) + double(recomputed);
    const DecodeFlops step_flops{2.0 * H * D, projected_tokens * 4.0 * H * Dkv, 4.0 * double(keys) * D,
                                 output_projection ? 2.0 * D * D : 0.0};
    flops_sum.q_projection += step_flops.q_projection;
    flops_sum.kv_projection += step_flops.kv_projection;
    flops_sum.attention += step_flops.attention;
    flops_sum.output += step_flops.output;
    total_flops += step_flops.q_projection + step_flops.kv_projection + step_flops.attention + step_flops.output;
    result.recomputed_tokens += double(recomputed);
    result.recomputed_flops += double(recomputed) * 4.0 * H * Dkv;
    result.attended_tokens = double(keys);

    // 3. untimed checks: vs the full fp32 cache, and vs fp64 over the claimed tokens
    double dot = 0, norm_ref = 0, norm_out = 0;
    const std::vector<std::int64_t> claimed =
        attended_tokens(s.strategy, std::int64_t(t), std::int64_t(s.cache), std::int64_t(s.sinks));
    claimed_k.resize(claimed.size() * hd);
    claimed_v.resize(claimed.size() * hd);
    for (std::size_t h = 0; h < s.heads; ++h) {
      const std::size_t g = s.kv_head_of(h);
      attention::attention_decode(q_t.data() + h * hd, ref_k.data() + g * hd, ref_v.data() + g * hd, t + 1, hd, Dkv,
                                  ref_out.data() + h * hd, s.scores.data());
      for (std::size_t j = 0; j < claimed.size(); ++j) {
        std::memcpy(claimed_k.data() + j * hd, ref_k.data() + claimed[j] * Dkv + g * hd, hd * 4);
        std::memcpy(claimed_v.data() + j * hd, ref_v.data() + claimed[j] * Dkv + g * hd, hd * 4);
      }
      attention::attention_reference_row(q_t.data() + h * hd, claimed_k.data(), claimed_v.data(), claimed.size(), hd,
                                         hd, exact.data());
      for (std::size_t c = 0; c < hd; ++c)
        result.mask_check_max_abs =
            std::max(result.mask_check_max_abs, std::fabs(double(out_t[h * hd + c]) - exact[c]));
    }
    // errors on the step's output: projected by Wo, both of them, with output_projection
    if (output_projection)
      attention::project_rows(ref_out.data(), w_o.data(), D, D, ref_o.data());
    else {
      o_t = out_t;
      ref_o = ref_out;
    }
    if (outputs) outputs->insert(outputs->end(), o_t.begin(), o_t.end());
    // by KV head block, each block's sums then their sum in block order: what a
    // merge of slices adds up the same way (cosine_terms)
    for (std::size_t g = 0; g < s.kv_heads; ++g) {
      double block_dot = 0, block_ref = 0, block_out = 0;
      for (std::size_t c = g * group_width; c < (g + 1) * group_width; ++c) {
        result.max_abs_error = std::max(result.max_abs_error, std::fabs(double(o_t[c]) - ref_o[c]));
        block_dot += double(o_t[c]) * ref_o[c];
        block_ref += double(ref_o[c]) * ref_o[c];
        block_out += double(o_t[c]) * o_t[c];
      }
      dot += block_dot;
      norm_ref += block_ref;
      norm_out += block_out;
      if (sliced) result.cosine_terms.insert(result.cosine_terms.end(), {block_dot, block_ref, block_out});
      group_hashes[g] = fnv1a_update(group_hashes[g], o_t.data() + g * group_width, group_width);
    }
    const double cosine = norm_ref > 0 && norm_out > 0 ? dot / std::sqrt(norm_ref * norm_out) : 1.0;
    result.min_cosine = std::min(result.min_cosine, cosine);
    cosine_sum += cosine;
    ++next_measured;
  }

  // A run's time is the sum of its parts in clock ticks, converted once;
  // seconds and time_split_s are those of the median run.
  const auto in_seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  const auto total_of = [](const PhaseTimes& parts) {
    Clock::duration total{};
    for (Clock::duration part : parts) total += part;
    return total;
  };
  std::vector<double> run_seconds;
  for (const PhaseTimes& parts : run_phase_times) run_seconds.push_back(in_seconds(total_of(parts)));
  result.time = timing_stats(run_seconds);
  const PhaseTimes& phase_times = run_phase_times[median_index(run_seconds)];
  result.seconds = in_seconds(total_of(phase_times));
  result.time_split_s = {
      in_seconds(phase_times[std::size_t(Phase::projection)]), in_seconds(phase_times[std::size_t(Phase::store)]),
      in_seconds(phase_times[std::size_t(Phase::recompute)]),  in_seconds(phase_times[std::size_t(Phase::dequantize)]),
      in_seconds(phase_times[std::size_t(Phase::attend)]),     in_seconds(phase_times[std::size_t(Phase::output)])};
  result.measured_steps = double(measured.size());
  result.step_time = timing_stats(step_seconds);
  result.tokens_per_s = result.seconds > 0 ? result.measured_steps / result.seconds : 0;
  result.flops_per_step = total_flops / result.measured_steps;
  result.flops_by_part = {flops_sum.q_projection / result.measured_steps,
                          flops_sum.kv_projection / result.measured_steps, flops_sum.attention / result.measured_steps,
                          flops_sum.output / result.measured_steps};
  result.mean_cosine = cosine_sum / result.measured_steps;
  result.kv_bytes =
      s.k.bytes() + s.v.bytes() + s.k_codes.bytes() + s.v_codes.bytes() + s.k_scales.bytes() + s.v_scales.bytes();
  result.hidden_bytes = s.hidden.bytes();
  result.weights_bytes = weights_bytes;
  result.peak_bytes = tracker.peak_bytes();
  for (std::uint32_t hash : group_hashes) result.kv_head_output_hashes.push_back(double(hash));
  return result;
}

DecodeResult run_decode(const DecodeInput& input) { return run_decode_into(input, nullptr); }

DecodeResult run_decode(const DecodeInput& input, std::vector<float>& outputs) {
  return run_decode_into(input, &outputs);
}

// ---------------------------------------------------------------- seed experiment

namespace {

// What the seed README printed at n = 2048 on its own machine, tokens/s (the
// range over its runs): Full 1.3–1.4, √n 7.8–12.3, O(1) 190–220.
struct ReadmeFigure {
  double sequence_length;
  const char* cache_label;
  double min_tokens_per_s, max_tokens_per_s;
};
constexpr ReadmeFigure kSeedReadme[] = {{2048, "n", 1.3, 1.4}, {2048, "4√n", 7.8, 12.3}, {2048, "8", 190, 220}};

double speed_ratio(const DecodeResult& run, const DecodeResult& seed) {
  return seed.tokens_per_s > 0 ? run.tokens_per_s / seed.tokens_per_s : 0;
}

}  // namespace

SeedExperimentResult seed_experiment(const SeedExperimentInput& input) {
  SeedExperimentResult result;
  result.input = input;
  if (input.sequence_lengths.empty())
    return result.status = error_status("sequence_lengths", "sequence_lengths is empty"), result;
  for (double length : input.sequence_lengths) {
    result.status = check_integer("sequence_lengths", length, 2, 1 << 16);
    if (!result.status.ok) return result;
  }
  if (result.status = check_runs(input.runs); !result.status.ok) return result;
  for (double length : input.sequence_lengths) {
    const double generated = std::floor(length / 2), prompt = length - generated;
    const auto run = [&](const char* strategy, double cache_tokens) {
      DecodeInput decode;
      decode.strategy = strategy;
      decode.prompt_tokens = prompt;
      decode.generated_tokens = generated;
      decode.d_model = input.d_model;
      decode.heads = input.heads;
      decode.cache_tokens = cache_tokens;
      decode.sample_steps = input.sample_steps;
      decode.output_projection = true;
      decode.seed = input.seed;
      decode.runs = input.runs;
      return run_decode(decode);
    };
    // none keeps no cache: one run per n, shown on each of its rows
    const DecodeResult none = run("none", 0);
    if (!none.status.ok) return result.status = none.status, result;
    const struct {
      const char* label;
      double tokens;
    } caches[] = {{"n", length}, {"4√n", std::floor(4 * std::sqrt(length))}, {"8", 8}};
    for (const auto& cache : caches) {
      SeedExperimentRow row;
      row.sequence_length = length;
      row.cache_label = cache.label;
      row.cache_tokens = cache.tokens;
      row.seed = run("seed", cache.tokens);
      // the seed attends to W + 1 tokens: the window that keeps as many gives its output
      row.window = run("window", cache.tokens + 1);
      row.recompute = run("recompute", cache.tokens + 1);
      row.none = none;
      for (const DecodeResult* each : {&row.seed, &row.window, &row.recompute})
        if (!each->status.ok) return result.status = each->status, result;
      row.window_vs_seed = speed_ratio(row.window, row.seed);
      row.recompute_vs_seed = speed_ratio(row.recompute, row.seed);
      row.none_vs_seed = speed_ratio(row.none, row.seed);
      for (const ReadmeFigure& figure : kSeedReadme)
        if (figure.sequence_length == length && row.cache_label == figure.cache_label) {
          row.readme_tokens_per_s_min = figure.min_tokens_per_s;
          row.readme_tokens_per_s_max = figure.max_tokens_per_s;
        }
      result.rows.push_back(std::move(row));
    }
  }
  return result;
}

}  // namespace llmst::sim

#include "search/search.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/validate.hpp"
#include "roofline/hardware.hpp"
#include "roofline/operators.hpp"
#include "roofline/plan.hpp"

namespace llmst {
namespace {

using namespace roofline_detail;

// Words of a comma-separated list, trimmed; empty items are refused by the caller.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    size_t first = start, last = end;
    while (first < last && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
    while (last > first && std::isspace(static_cast<unsigned char>(text[last - 1]))) --last;
    items.push_back(text.substr(first, last - first));
    start = end + 1;
  }
  return items;
}

// A whole number as typed ("64"), or NaN.
double parse_number(const std::string& word) {
  if (word.empty()) return std::nan("");
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(word.c_str(), &end);
  if (errno != 0 || end != word.c_str() + word.size()) return std::nan("");
  return value;
}

Status list_error(const std::string& field, const std::string& text, const std::string& why) {
  return error_status(field, field + " = " + quoted(text) + ": " + why);
}

// A list of distinct non-empty words.
Status check_words(const std::string& field, const std::string& text, std::vector<std::string>& words) {
  words = split_list(text);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].empty()) return list_error(field, text, "an item is empty (a list is comma-separated: a,b)");
    for (size_t j = 0; j < i; ++j)
      if (words[j] == words[i]) return list_error(field, text, quoted(words[i]) + " is listed twice");
  }
  return ok_status();
}

struct Price {
  const Hardware* hardware = nullptr;
  double usd_per_hour = 0;
};

// "id=usd,id=usd": known presets, positive finite prices.
Status parse_prices(const std::string& text, std::vector<Price>& prices) {
  if (text.empty()) return ok_status();
  for (const std::string& item : split_list(text)) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos)
      return list_error("prices", text, quoted(item) + " is not HARDWARE=USD_PER_HOUR (e.g. h100-sxm=2.5)");
    const std::string id = item.substr(0, equals);
    const Hardware* hardware = find_hardware(id);
    if (!hardware) return list_error("prices", text, quoted(id) + " is not a hardware preset");
    const double usd = parse_number(item.substr(equals + 1));
    if (!(usd >= 1e-6 && usd <= 1e6))
      return list_error("prices", text,
                        "the price of " + quoted(id) + " must be a number of USD per hour in [1e-6, 1e6]");
    for (const Price& other : prices)
      if (other.hardware == hardware) return list_error("prices", text, quoted(id) + " is priced twice");
    prices.push_back({hardware, usd});
  }
  return ok_status();
}

// The matmul peak a deployment uses: fp8 weights run fp8 matmuls where the
// chip has them (W8A8, as vLLM and TensorRT-LLM serve fp8 checkpoints);
// everything else computes in bf16 (int4 and other weight-only formats
// dequantize to bf16: W4A16).
std::string compute_dtype_for(const std::string& weights, const Hardware& hardware) {
  const bool fp8_weights = weights.rfind("fp8", 0) == 0;
  return fp8_weights && hardware.fp8_tflops > 0 ? "fp8" : "bf16";
}

// A device's average draw over a phase of `time_s` that does `flops` and
// moves `bytes` on it: TDP x (idle + compute share x FLOPs / peak / time +
// memory share x bytes / bandwidth / time), each utilisation at most 1.
// Decode streams HBM at full bandwidth yet draws far below TDP (137-300 W of
// 700 W on an H200, Ma et al. 2026); compute-bound prefill draws near TDP.
double power_watts(const Hardware& hardware, const SearchInput& in, double flops, double peak, double bytes,
                   double bandwidth, double time_s) {
  if (!(time_s > 0)) return hardware.tdp_watts * in.idle_power_fraction;
  const double compute = std::min(1.0, flops / peak / time_s), memory = std::min(1.0, bytes / bandwidth / time_s);
  const double compute_share = 1 - in.idle_power_fraction - in.memory_power_fraction;
  return hardware.tdp_watts * (in.idle_power_fraction + compute_share * compute + in.memory_power_fraction * memory);
}

// A feasible point before its strings are made (most configurations never are).
struct Candidate {
  unsigned hardware = 0, weights = 0, kv = 0;
  double gpus = 1, tp = 1, pp = 1, batch = 1;
  double ttft_s = 0, tpot_s = 0, tokens_per_s = 0, usd_per_hour = 0, usd_per_million_tokens = 0;
  double joules_per_token = 0, decode_watts = 0, prefill_watts = 0;
  bool fp8_compute = false;
};

}  // namespace

SearchResult search(const SearchInput& in, const std::function<void(double)>& progress) {
  SearchResult result;
  auto fail = [&](Status status) {
    result.status = std::move(status);
    return result;
  };
  // Validation at the entrance: everything below trusts these values.
  Status status = first_error(
      check_integer("prompt_tokens", in.prompt_tokens, 1, 1e9),
      check_integer("output_tokens", in.output_tokens, 1, 1e9), check_real("slo_ttft_s", in.slo_ttft_s, 0, 1e6),
      check_real("slo_tpot_s", in.slo_tpot_s, 0, 1e6), check_integer("max_gpus", in.max_gpus, 1, 1024),
      check_real("idle_power_fraction", in.idle_power_fraction, 0, 1),
      check_real("memory_power_fraction", in.memory_power_fraction, 0, 1),
      check_integer("max_points", in.max_points, 0, 1e6));
  if (!status.ok) return fail(status);
  if (in.idle_power_fraction + in.memory_power_fraction > 1)
    return fail(
        error_status("memory_power_fraction", "idle_power_fraction + memory_power_fraction = " +
                                                  format_number(in.idle_power_fraction + in.memory_power_fraction) +
                                                  " must be at most 1 (the rest is the compute share of TDP)"));
  const double context = in.prompt_tokens + in.output_tokens;
  if (context > 1e9)
    return fail(error_status("output_tokens", "prompt_tokens + output_tokens = " + format_number(context) +
                                                  " exceeds the plan's context limit of 1e9"));

  std::vector<Price> prices;
  status = parse_prices(in.prices, prices);
  if (!status.ok) return fail(status);
  auto price_of = [&](const Hardware& hardware) {
    for (const Price& price : prices)
      if (price.hardware == &hardware) return price.usd_per_hour;
    return hardware.usd_per_hour;
  };
  std::vector<const Hardware*> chips;
  if (in.hardware.empty()) {
    for (const Hardware& hardware : hardware_presets())
      if (hardware.kind == "gpu" || hardware.kind == "tpu") chips.push_back(&hardware);
  } else {
    std::vector<std::string> ids;
    status = check_words("hardware", in.hardware, ids);
    if (!status.ok) return fail(status);
    for (const std::string& id : ids) {
      const Hardware* hardware = find_hardware(id);
      if (!hardware) {
        std::string known;
        for (const Hardware& preset : hardware_presets()) known += (known.empty() ? "" : ", ") + preset.id;
        return fail(
            list_error("hardware", in.hardware, quoted(id) + " is not a hardware preset (one of " + known + ")"));
      }
      chips.push_back(hardware);
    }
  }
  // Unpriced chips are not free: they are left out, and named.
  std::vector<const Hardware*> priced;
  for (const Hardware* hardware : chips) {
    if (price_of(*hardware) > 0) {
      priced.push_back(hardware);
      result.hardware.push_back(hardware->id);
    } else {
      result.skipped_unpriced.push_back(hardware->id);
    }
  }

  std::vector<std::string> weights, kv_dtypes, batch_words;
  status = first_error(check_words("weights", in.weights, weights), check_words("kv_dtype", in.kv_dtype, kv_dtypes),
                       check_words("batches", in.batches, batch_words));
  if (!status.ok) return fail(status);
  std::vector<double> batches;
  for (const std::string& word : batch_words) {
    const double batch = parse_number(word);
    if (!(batch >= 1 && batch <= 1e7 && batch == std::floor(batch)))
      return fail(list_error("batches", in.batches, quoted(word) + " is not a whole number of sequences in [1, 1e7]"));
    batches.push_back(batch);
  }

  // The model side, validated once per weights format and KV dtype (and each
  // format and dtype refused by name here, before any search runs).
  Workload base;
  base.model = in.model;
  base.batch = 1;
  base.context = context;
  base.flop_efficiency = in.flop_efficiency;
  base.bandwidth_efficiency = in.bandwidth_efficiency;
  base.compute_dtype = "bf16";
  base.hardware = hardware_presets().front();  // any valid chip: prepare() checks the model side here
  std::vector<Prepared> prepared;              // weights-major
  for (const std::string& format : weights) {
    for (const std::string& kv : kv_dtypes) {
      Workload w = base;
      w.weights_dtype = format;
      w.kv_dtype = kv;
      Prepared p = prepare(w, true);
      if (!p.status.ok) {
        // Name the search's own fields (its lists), keep the core's reason.
        if (p.status.field == "weights_dtype" || p.status.field == "kv_dtype") {
          const bool is_weights = p.status.field == "weights_dtype";
          return fail(error_status(is_weights ? "weights" : "kv_dtype",
                                   (is_weights ? "weights" : "kv_dtype") + std::string(" lists ") +
                                       quoted(is_weights ? format : kv) + ": " + p.status.message));
        }
        return fail(p.status);
      }
      prepared.push_back(std::move(p));
    }
  }
  const ValidModel& model = prepared.front().model;
  const double heads = static_cast<double>(model.runs.front().layer.attention.heads);
  const double layers = static_cast<double>(model.n_layers);

  // The deployments of one chip: every tp x pp <= max_gpus, pp pipeline
  // stages (pp <= layers) each tp-way tensor parallel (tp divides the heads,
  // as Megatron and vLLM require).
  struct Split {
    double gpus, tp, pp;
  };
  std::vector<Split> splits;
  double cells = 0;  // every (tp, pp) pair of the grid, modelled or not
  for (double g = 1; g <= in.max_gpus; ++g) {
    for (double pp = 1; pp <= g; ++pp) {
      if (std::fmod(g, pp) != 0) continue;
      const double tp = g / pp;
      cells += 1;
      if (std::fmod(heads, tp) == 0 && pp <= layers) splits.push_back({g, tp, pp});
    }
  }
  const double blocks = static_cast<double>(priced.size() * prepared.size() * batches.size());
  const double total = blocks * static_cast<double>(splits.size());  // configurations to cost (progress)
  result.skipped_configurations = blocks * (cells - static_cast<double>(splits.size()));

  std::vector<Candidate> feasible;
  std::vector<OpShape> scratch;
  scratch.reserve(64);
  PlanResult plan;
  double done = 0;
  for (unsigned h = 0; h < priced.size(); ++h) {
    const Hardware& hardware = *priced[h];
    const double usd_per_gpu_hour = price_of(hardware);
    Workload w = base;
    w.hardware = hardware;
    for (unsigned f = 0; f < weights.size(); ++f) {
      const std::string compute = compute_dtype_for(weights[f], hardware);
      for (unsigned k = 0; k < kv_dtypes.size(); ++k) {
        Prepared& p = prepared[f * kv_dtypes.size() + k];
        if (!prepare_hardware(p, hardware, compute, in.flop_efficiency, in.bandwidth_efficiency).ok) {
          // No peak for this dtype (a chip without bf16 matmuls): nothing the plan can cost.
          result.skipped_configurations += static_cast<double>(splits.size() * batches.size());
          done += static_cast<double>(splits.size() * batches.size());
          continue;
        }
        for (const Split& split : splits) {
          if (split.gpus > 1 && hardware.interconnect_gb_per_s <= 0) {
            result.skipped_configurations += static_cast<double>(batches.size());
            done += static_cast<double>(batches.size());
            continue;
          }
          for (const double batch : batches) {
            PlanPoint at;
            at.batch = batch;
            at.context = context;
            at.prefill_context = in.prompt_tokens;
            at.tp = split.tp;
            at.pp = split.pp;
            at.pipeline = split.tp == 1 && split.pp > 1;
            at.curve = false;
            at.limits = false;  // the search reads none of them
            plan_at(p, w, at, plan, scratch);
            result.evaluated += 1;
            done += 1;
            if (!plan.fits) continue;
            result.fitting += 1;
            const double ttft = plan.prefill.ttft_s, tpot = plan.decode.step_s;
            if ((in.slo_ttft_s > 0 && ttft > in.slo_ttft_s) || (in.slo_tpot_s > 0 && tpot > in.slo_tpot_s)) continue;
            Candidate c;
            c.hardware = h;
            c.weights = f;
            c.kv = k;
            c.gpus = split.gpus;
            c.tp = split.tp;
            c.pp = split.pp;
            c.batch = batch;
            c.ttft_s = ttft;
            c.tpot_s = tpot;
            // A static batch: the prompts prefill together, then every sequence
            // decodes output_tokens steps (each costed at the final context).
            const double cycle_s = ttft + in.output_tokens * tpot;
            c.tokens_per_s = batch * in.output_tokens / cycle_s;
            c.usd_per_hour = split.gpus * usd_per_gpu_hour;
            c.usd_per_million_tokens = c.usd_per_hour / (3600 * c.tokens_per_s) * 1e6;
            c.decode_watts = power_watts(hardware, in, plan.decode.flops, p.effective_peak, plan.decode.bytes,
                                         p.effective_bandwidth, tpot);
            c.prefill_watts = power_watts(hardware, in, plan.prefill.flops, p.effective_peak, plan.prefill.bytes,
                                          p.effective_bandwidth, ttft);
            const double joules = split.gpus * (c.prefill_watts * ttft + c.decode_watts * in.output_tokens * tpot);
            c.joules_per_token = joules / (batch * in.output_tokens);
            c.fp8_compute = compute == "fp8";
            feasible.push_back(c);
          }
        }
        if (progress) progress(total > 0 ? std::min(1.0, done / total) : 1.0);
      }
    }
  }
  result.feasible = static_cast<double>(feasible.size());

  auto to_point = [&](const Candidate& c) {
    SearchPoint point;
    point.hardware = priced[c.hardware]->id;
    point.gpus = c.gpus;
    point.tp = c.tp;
    point.pp = c.pp;
    point.parallelism = c.pp == 1 ? "tensor" : c.tp == 1 ? "pipeline" : "tensor_pipeline";
    point.weights = weights[c.weights];
    point.kv_dtype = kv_dtypes[c.kv];
    point.batch = c.batch;
    point.context = context;
    point.ttft_s = c.ttft_s;
    point.tpot_s = c.tpot_s;
    point.tokens_per_s = c.tokens_per_s;
    point.usd_per_hour = c.usd_per_hour;
    point.usd_per_million_tokens = c.usd_per_million_tokens;
    point.joules_per_token = c.joules_per_token;
    point.decode_watts = c.decode_watts;
    point.prefill_watts = c.prefill_watts;
    point.fits = true;
    point.compute_dtype = c.fp8_compute ? "fp8" : "bf16";
    return point;
  };
  // Pareto front of (TPOT, cost): by TPOT (then cost), keep each point cheaper
  // than every faster one. Equal points: the first in search order.
  std::vector<const Candidate*> order;
  order.reserve(feasible.size());
  for (const Candidate& c : feasible) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
    return a->tpot_s != b->tpot_s ? a->tpot_s < b->tpot_s : a->usd_per_million_tokens < b->usd_per_million_tokens;
  });
  double best_cost = std::numeric_limits<double>::infinity();
  for (const Candidate* c : order) {
    if (c->usd_per_million_tokens < best_cost) {
      best_cost = c->usd_per_million_tokens;
      result.pareto.push_back(to_point(*c));
    }
  }
  if (!result.pareto.empty()) result.cheapest.push_back(result.pareto.back());
  // Every feasible point, cheapest first (then faster), up to max_points.
  std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
    return a->usd_per_million_tokens != b->usd_per_million_tokens
               ? a->usd_per_million_tokens < b->usd_per_million_tokens
               : a->tpot_s < b->tpot_s;
  });
  const size_t kept = std::min(order.size(), static_cast<size_t>(in.max_points));
  result.points_truncated = kept < order.size();
  result.points.reserve(kept);
  for (size_t i = 0; i < kept; ++i) result.points.push_back(to_point(*order[i]));
  if (progress) progress(1.0);
  return result;
}

}  // namespace llmst

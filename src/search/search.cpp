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
#include "serve/serve.hpp"

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

// A list of distinct whole numbers in [low, 1e7] (`what` names their unit).
Status check_whole_numbers(const std::string& field, const std::string& text, double low, const std::string& what,
                           std::vector<double>& numbers) {
  std::vector<std::string> words;
  Status status = check_words(field, text, words);
  if (!status.ok) return status;
  for (const std::string& word : words) {
    const double number = parse_number(word);
    if (!(number >= low && number <= 1e7 && number == std::floor(number)))
      return list_error(field, text,
                        quoted(word) + " is not a whole number of " + what + " in [" + format_number(low) + ", 1e7]");
    if (std::find(numbers.begin(), numbers.end(), number) != numbers.end())
      return list_error(field, text, quoted(word) + " is listed twice");
    numbers.push_back(number);
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
  bool meets_ttft = true;  // false: kept only as a candidate of the chunk simulation
};

// The Pareto front of (time, cost): sorted by time (then cost), each item kept
// when it is cheaper than every faster one. Equal items: the first given.
template <class T, class Time, class Cost>
std::vector<const T*> pareto_front(std::vector<const T*> items, Time time, Cost cost) {
  std::stable_sort(items.begin(), items.end(), [&](const T* a, const T* b) {
    return time(*a) != time(*b) ? time(*a) < time(*b) : cost(*a) < cost(*b);
  });
  std::vector<const T*> front;
  double best = std::numeric_limits<double>::infinity();
  for (const T* item : items) {
    if (cost(*item) < best) {
      best = cost(*item);
      front.push_back(item);
    }
  }
  return front;
}

// Requests of a closed loop of `users`: enough for a steady middle (4 x users,
// at least 32); the first and last `users` are left out of the figures.
double loop_requests(double users) { return std::max(32.0, 4 * users); }
constexpr double kMaxLoopRequests = 10000;  // the simulator keeps every request's figures up to this many
// Sequence-steps a chunk simulation may take in all: ~6 s in WASM at the
// simulator's measured 0.03 us per sequence-step (npm run bench -- serve).
constexpr double kMaxLoopSteps = 2e8;

double effective_chunk(double chunk, double batch, double prompt_tokens) {
  // 0: whole prompts, every waiting prompt in one prefill iteration (no budget to speak of).
  return chunk > 0 ? chunk : std::min(1e7, batch * prompt_tokens);
}

double loop_steps(const SearchInput& in, double batch, double chunk) {
  return loop_requests(batch) *
         (in.output_tokens + std::ceil(in.prompt_tokens / effective_chunk(chunk, batch, in.prompt_tokens)));
}

// One configuration in the serving simulator with one chunk budget, as a
// closed loop of `batch` users with no think time (docs/search.md, "Chunk size").
ServingPoint simulate_chunk(const SearchInput& in, const SearchPoint& at, double chunk) {
  ServingPoint point;
  static_cast<SearchConfiguration&>(point) = at;
  point.chunk_tokens = chunk;
  point.scheduler = chunk > 0 ? "chunked" : "continuous";
  point.usd_per_hour = at.usd_per_hour;

  ServeConfig config;
  Workload& w = config.workload;
  w.model = in.model;
  w.hardware = *find_hardware(at.hardware);
  w.gpus = at.gpus;
  w.parallelism = at.parallelism;
  w.pipeline_stages = at.parallelism == "tensor_pipeline" ? at.pp : 1;
  w.weights_dtype = at.weights;
  w.kv_dtype = at.kv_dtype;
  w.compute_dtype = at.compute_dtype;
  config.compute_efficiency = in.flop_efficiency;
  config.memory_efficiency = in.bandwidth_efficiency;
  config.arrival = "closed";
  config.users = at.batch;
  // Users join spread over one request's expected time (one prompt's prefill and
  // output_tokens decode steps at the full batch, from the plan): all at once,
  // with fixed lengths, they would move in lock-step, every wave a static batch.
  config.ramp_s = at.ttft_s / at.batch + in.output_tokens * at.tpot_s;
  config.requests = loop_requests(at.batch);
  config.prompt_tokens = in.prompt_tokens;
  config.output_tokens = in.output_tokens;
  config.scheduler = point.scheduler;
  config.chunk_tokens = effective_chunk(chunk, at.batch, in.prompt_tokens);
  config.max_batch = at.batch;
  config.slo_ttft_s = in.slo_ttft_s;
  config.slo_tpot_s = in.slo_tpot_s;
  point.requests = config.requests;

  const ServeResult run = serve(config);
  if (!run.status.ok) {
    point.error = run.status.message;
    return point;
  }
  if (run.rejected > 0) {
    point.error = format_number(run.rejected) + " requests could never fit the KV cache";
    return point;
  }
  // Requests in the order users sent them (fixed lengths: every one has a TPOT when output_tokens >= 2).
  const std::vector<double>& ttft = run.requests.ttft_s;
  const std::vector<double>& tpot = run.requests.tpot_s;
  const std::vector<double>& e2e = run.requests.e2e_s;
  const size_t skip = static_cast<size_t>(at.batch);
  std::vector<double> ttft_window(ttft.begin() + skip, ttft.end() - skip),
      e2e_window(e2e.begin() + skip, e2e.end() - skip);
  std::vector<double> tpot_window;
  if (!tpot.empty()) tpot_window.assign(tpot.begin() + skip, tpot.end() - skip);
  double met = 0;
  for (size_t i = 0; i < ttft_window.size(); ++i) {
    const double request_tpot = tpot_window.empty() ? 0 : tpot_window[i];
    if ((in.slo_ttft_s <= 0 || ttft_window[i] <= in.slo_ttft_s) &&
        (in.slo_tpot_s <= 0 || request_tpot <= in.slo_tpot_s))
      met += 1;
  }
  point.measured = static_cast<double>(ttft_window.size());
  const LatencyStats first = latency_stats(ttft_window), per_token = latency_stats(tpot_window),
                     whole = latency_stats(e2e_window);
  point.ttft_s = first.p90;
  point.ttft_mean_s = first.mean;
  point.tpot_s = per_token.p90;
  point.tpot_mean_s = per_token.mean;
  point.tokens_per_s = at.batch * in.output_tokens / whole.mean;
  point.usd_per_million_tokens = point.usd_per_hour / (3600 * point.tokens_per_s) * 1e6;
  point.slo_attainment = met / point.measured;
  point.meets_slo = point.slo_attainment >= in.slo_attainment;
  point.preemptions = run.kv.preemptions;
  // Energy over the whole run, one device: TDP x (idle x duration + compute share x compute
  // busy seconds + memory share x memory busy seconds), the power model of the grid's points.
  const Hardware& hardware = config.workload.hardware;
  const double compute_share = 1 - in.idle_power_fraction - in.memory_power_fraction;
  const double joules =
      hardware.tdp_watts * (in.idle_power_fraction * run.duration_s + compute_share * run.compute_busy_s +
                            in.memory_power_fraction * run.memory_busy_s);
  point.watts = joules / run.duration_s;
  point.joules_per_token = at.gpus * joules / run.output_tokens;
  return point;
}

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

  std::vector<std::string> weights, kv_dtypes;
  std::vector<double> batches, chunks;
  status = first_error(check_words("weights", in.weights, weights), check_words("kv_dtype", in.kv_dtype, kv_dtypes),
                       check_whole_numbers("batches", in.batches, 1, "sequences", batches),
                       in.chunk_tokens.empty() ? ok_status()
                                               : check_whole_numbers("chunk_tokens", in.chunk_tokens, 0,
                                                                     "tokens per iteration (0: whole prompts)", chunks),
                       check_real("slo_attainment", in.slo_attainment, 1e-6, 1));
  if (!status.ok) return fail(status);

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

  // With a chunk simulation to follow, the grid is the first half of the progress.
  auto report = [&](double fraction) {
    if (progress) progress(chunks.empty() ? fraction : fraction / 2);
  };
  std::vector<Candidate> costed;  // fit and meet the SLOs (and, with chunk budgets, the TPOT-only ones)
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
            const bool meets_ttft = !(in.slo_ttft_s > 0 && ttft > in.slo_ttft_s);
            // The chunk simulation's candidates need not meet the TTFT bound here: a
            // static batch prefills every prompt at once, a served one as each arrives.
            if ((!meets_ttft && chunks.empty()) || (in.slo_tpot_s > 0 && tpot > in.slo_tpot_s)) continue;
            Candidate c;
            c.meets_ttft = meets_ttft;
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
            costed.push_back(c);
          }
        }
        report(total > 0 ? std::min(1.0, done / total) : 1.0);
      }
    }
  }
  std::vector<const Candidate*> order;
  order.reserve(costed.size());
  for (const Candidate& c : costed)
    if (c.meets_ttft) order.push_back(&c);
  result.feasible = static_cast<double>(order.size());

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
  const auto tpot_of = [](const auto& point) { return point.tpot_s; };
  const auto cost_of = [](const auto& point) { return point.usd_per_million_tokens; };
  for (const Candidate* c : pareto_front(order, tpot_of, cost_of)) result.pareto.push_back(to_point(*c));
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

  if (!chunks.empty()) {
    // The candidates: the front of (TPOT, cost) among the configurations that fit
    // and meet the TPOT bound, each simulated once per chunk budget.
    std::vector<const Candidate*> all;
    all.reserve(costed.size());
    for (const Candidate& c : costed) all.push_back(&c);
    std::vector<SearchPoint> candidates;
    double steps = 0;
    SearchServing& serving = result.serving;
    serving.chunk_tokens = chunks;
    for (const Candidate* c : pareto_front(all, tpot_of, cost_of)) {
      if (loop_requests(c->batch) > kMaxLoopRequests) {
        serving.skipped_configurations += 1;
        continue;
      }
      candidates.push_back(to_point(*c));
      for (const double chunk : chunks) steps += loop_steps(in, c->batch, chunk);
    }
    if (steps > kMaxLoopSteps)
      return fail(list_error("chunk_tokens", in.chunk_tokens,
                             "simulating " + format_number(static_cast<double>(candidates.size())) +
                                 " configurations x " + format_number(static_cast<double>(chunks.size())) +
                                 " chunk budgets would take " + format_number(steps) +
                                 " sequence-steps, over the limit of " + format_number(kMaxLoopSteps) +
                                 " (several seconds): list fewer budgets or batches, or fewer output_tokens"));
    double simulated_steps = 0;
    for (const SearchPoint& candidate : candidates) {
      for (const double chunk : chunks) {
        serving.points.push_back(simulate_chunk(in, candidate, chunk));
        serving.simulations += 1;
        simulated_steps += loop_steps(in, candidate.batch, chunk);
        if (progress) progress(0.5 + 0.5 * std::min(1.0, simulated_steps / steps));
      }
    }
    serving.configurations = static_cast<double>(candidates.size());
    std::vector<const ServingPoint*> meeting;
    for (const ServingPoint& point : serving.points)
      if (point.meets_slo) meeting.push_back(&point);
    for (const ServingPoint* point : pareto_front(meeting, tpot_of, cost_of)) serving.pareto.push_back(*point);
    if (!serving.pareto.empty()) serving.cheapest.push_back(serving.pareto.back());
  }
  if (progress) progress(1.0);
  return result;
}

}  // namespace llmst

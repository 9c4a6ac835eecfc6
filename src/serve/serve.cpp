#include "serve/serve.hpp"

#include <algorithm>
#include <queue>
#include <cmath>
#include <deque>
#include <list>
#include <unordered_map>

#include "core/heap.hpp"
#include "core/validate.hpp"
#include "roofline/iteration.hpp"
#include "roofline/plan.hpp"
#include "serve/requests.hpp"
#include "sim/random.hpp"

namespace llmst {
namespace {

using serve_detail::RequestSpec;

constexpr double kMaxRequests = 1e6;
constexpr size_t kSeriesPoints = 500;
constexpr size_t kSamples = 10000;
constexpr double kLengthCap = 32;  // drawn lengths are clipped to 32 x their mean
constexpr double kMinRate = 1e-6;  // requests/s

Status validate(const ServeConfig& c) {
  Status status = first_error(
      check_real("compute_efficiency", c.compute_efficiency, 1e-3, 1),
      check_real("memory_efficiency", c.memory_efficiency, 1e-3, 1),
      check_real("iteration_overhead_s", c.iteration_overhead_s, 0, 10),
      check_choice("arrival", c.arrival, {"poisson", "gamma", "closed", "trace"}),
      check_real_above("rate", c.rate, 0, 1e6), check_real("arrival_cv", c.arrival_cv, 0.05, 20),
      check_integer("users", c.users, 1, 1e5), check_real("ramp_s", c.ramp_s, 0, 1e6),
      check_integer("requests", c.requests, 1, kMaxRequests), check_integer("prompt_tokens", c.prompt_tokens, 1, 1e7),
      check_choice("prompt_dist", c.prompt_dist, {"fixed", "uniform", "exponential", "lognormal"}),
      check_integer("output_tokens", c.output_tokens, 1, 1e7),
      check_choice("output_dist", c.output_dist, {"fixed", "uniform", "exponential", "lognormal"}),
      check_choice("scheduler", c.scheduler, {"static", "continuous", "chunked"}),
      check_integer("chunk_tokens", c.chunk_tokens, 1, 1e7), check_integer("max_batch", c.max_batch, 1, 1e5),
      check_integer("block_size", c.block_size, 1, 1e5),
      check_real_above("gpu_memory_utilization", c.gpu_memory_utilization, 0, 1),
      check_real("watermark", c.watermark, 0, 0.5), check_choice("preemption", c.preemption, {"recompute", "swap"}),
      check_real("prefix_share", c.prefix_share, 0, 1), check_integer("prefix_tokens", c.prefix_tokens, 0, 1e7),
      check_integer("spec_gamma", c.spec_gamma, 1, 64), check_real("spec_accept", c.spec_accept, 0, 0.999),
      check_real("slo_ttft_s", c.slo_ttft_s, 0, 1e6), check_real("slo_tpot_s", c.slo_tpot_s, 0, 1e6),
      check_real_above("slo_attainment", c.slo_attainment, 0, 1), check_integer("seed", c.seed, 0, 9007199254740991.0));
  if (!status.ok) return status;
  // Arrival times grow as requests / rate: below this the clock loses the
  // milliseconds latencies are made of (a denormal rate made them infinite, NaN latencies).
  if (c.rate < kMinRate)
    return error_status("rate", "rate = " + format_number(c.rate) + " is below " + format_number(kMinRate) +
                                    " requests/s (one request every 11.6 days)");
  if (c.spec_draft && c.spec_mtp)
    return error_status("spec_mtp", "spec_mtp: give a draft model (spec_draft) or the MTP heads, not both");
  const bool spec = c.spec_draft || c.spec_mtp;
  if (c.scheduler == "static") {
    if (c.prefix_share > 0)
      return error_status("prefix_share", "prefix_share = " + format_number(c.prefix_share) +
                                              ": static batching preallocates each sequence (no paged blocks to share)"
                                              "; use scheduler continuous or chunked");
    if (spec)
      return error_status(c.spec_mtp ? "spec_mtp" : "spec_draft",
                          std::string(c.spec_mtp ? "spec_mtp" : "spec_draft") +
                              ": speculative decoding is simulated with the continuous and chunked schedulers");
  }
  if (c.prefix_share > 0 && c.prefix_tokens < c.block_size)
    return error_status("prefix_tokens", "prefix_tokens = " + format_number(c.prefix_tokens) + " with prefix_share = " +
                                             format_number(c.prefix_share) + ": a shared prefix needs at least one " +
                                             "full block (block_size = " + format_number(c.block_size) + ")");
  const bool staged = (c.workload.parallelism == "pipeline" && c.workload.gpus > 1) ||
                      (c.workload.parallelism == "tensor_pipeline" && c.workload.pipeline_stages > 1);
  if (staged && spec)
    return error_status("parallelism", "parallelism = " + quoted(c.workload.parallelism) +
                                           ": speculative decoding is simulated with tensor parallelism only");
  return ok_status();
}

// Inter-arrival times and lengths from the one seeded generator, one stream each.
class Draws {
 public:
  explicit Draws(double seed)
      : arrivals_(static_cast<uint64_t>(seed)),
        lengths_(static_cast<uint64_t>(seed) ^ 0x5851F42D4C957F2Dull),
        prefixes_(static_cast<uint64_t>(seed) ^ 0x2545F4914F6CDD1Dull),
        accept_(static_cast<uint64_t>(seed) ^ 0x9E3779B97F4A7C15ull) {}

  // Gamma(shape) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1) U^(1/shape).
  double gamma(double shape) {
    if (shape < 1) return gamma(shape + 1) * std::pow(arrivals_.uniform(), 1 / shape);
    const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    while (true) {
      const double x = arrivals_.normal();
      const double v = std::pow(1 + c * x, 3);
      if (v <= 0) continue;
      if (std::log(arrivals_.uniform()) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
  }

  double gap(const ServeConfig& c) {
    if (c.arrival == "gamma") {
      const double shape = 1 / (c.arrival_cv * c.arrival_cv);
      return gamma(shape) / (shape * c.rate);
    }
    return -std::log(arrivals_.uniform()) / c.rate;  // exponential: Poisson arrivals
  }

  double length(const std::string& dist, double mean) {
    double x = mean;
    if (dist == "uniform")
      x = 1 + std::floor(lengths_.uniform() * (2 * mean - 1));
    else if (dist == "exponential")
      x = std::round(-mean * std::log(lengths_.uniform()));
    else if (dist == "lognormal")
      x = std::round(std::exp(std::log(mean) - 0.5 + lengths_.normal()));  // σ = 1, E = mean
    return std::clamp(x, 1.0, std::max(1.0, std::round(kLengthCap * mean)));
  }

  bool shares_prefix(double share) { return prefixes_.uniform() < share; }
  double accept() { return accept_.uniform(); }

 private:
  sim::Random arrivals_, lengths_, prefixes_, accept_;
};

std::vector<RequestSpec> draw_requests(const ServeConfig& c) {
  Draws draws(c.seed);
  std::vector<RequestSpec> out(static_cast<size_t>(c.requests));
  double t = 0;
  for (RequestSpec& r : out) {
    if (c.arrival == "poisson" || c.arrival == "gamma") {
      t += draws.gap(c);
      r.arrival_s = t;
    }
    r.prompt_tokens = draws.length(c.prompt_dist, c.prompt_tokens);
    r.output_tokens = draws.length(c.output_dist, c.output_tokens);
    r.prefix_id = c.prefix_share > 0 && draws.shares_prefix(c.prefix_share) ? 1 : 0;
  }
  return out;
}

}  // namespace

LatencyStats latency_stats(std::vector<double> values) {
  LatencyStats s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  auto quantile = [&](double q) {
    const double h = (static_cast<double>(values.size()) - 1) * q;
    const size_t low = static_cast<size_t>(std::floor(h));
    const size_t high = std::min(values.size() - 1, low + 1);
    return values[low] + (h - static_cast<double>(low)) * (values[high] - values[low]);
  };
  s.p50 = quantile(0.5);
  s.p90 = quantile(0.9);
  s.p99 = quantile(0.99);
  return s;
}

namespace {

enum class State : uint8_t { pending, waiting, running, swapped, done, rejected };

struct Request {
  RequestSpec spec;
  State state = State::pending;
  double target = 0;     // tokens to prefill in this admission: the prompt, or prompt + generated after a recompute
  double prefilled = 0;  // of target, cache hits included
  double generated = 0;
  double kv_tokens = 0;
  double owned_blocks = 0;
  int64_t shared_blocks = 0;  // prefix blocks referenced: keys (prefix_id, 0 .. shared_blocks - 1)
  bool recomputing = false;
  double first_token_s = -1;
  double finish_s = 0;
};

// One piece of work of an iteration.
struct Item {
  size_t request;
  double tokens;  // prefill chunk, or rows verified at a decode step (1, or γ + 1)
  bool prefill;
};

// The KV block pool: blocks referenced by requests (used), cached prefix
// blocks no one references (evictable, least recently used first), free ones.
class BlockPool {
 public:
  void reset(double total) {
    total_ = total;
    free_ = total;
    used_ = 0;
  }
  double total() const { return total_; }
  double used() const { return used_; }
  double allocatable() const { return free_ + static_cast<double>(lru_.size()); }
  double free_blocks() const { return free_; }
  double evictable() const { return static_cast<double>(lru_.size()); }

  static uint64_t key(int64_t prefix_id, int64_t block) {
    return static_cast<uint64_t>(prefix_id) * 0x100000000ull + static_cast<uint64_t>(block);
  }

  // Callers check allocatable() first: the free blocks, then the least recently used cached ones.
  void take(double blocks) {
    while (free_ < blocks && !lru_.empty()) evict();
    free_ -= blocks;
    used_ += blocks;
  }
  void give_back(double blocks) {
    used_ -= blocks;
    free_ += blocks;
  }
  // State of a prefix block: 0 absent, 1 cached and unreferenced, 2 referenced.
  int lookup(uint64_t k) const {
    const auto it = table_.find(k);
    if (it == table_.end()) return 0;
    return it->second.refs > 0 ? 2 : 1;
  }
  void reference(uint64_t k) {
    auto it = table_.find(k);
    if (it == table_.end()) {
      take(1);
      table_.emplace(k, Entry{1, lru_.end()});
      return;
    }
    if (it->second.refs == 0) {
      lru_.erase(it->second.position);
      it->second.position = lru_.end();
      used_ += 1;
    }
    it->second.refs += 1;
  }
  void release(uint64_t k) {
    auto it = table_.find(k);
    if (it == table_.end()) return;
    if (--it->second.refs == 0) {
      used_ -= 1;
      it->second.position = lru_.insert(lru_.end(), k);
    }
  }
  // Distinct referenced prefix blocks and their references, for the invariant check.
  void count_references(double& blocks, double& references) const {
    blocks = references = 0;
    for (const auto& [k, entry] : table_)
      if (entry.refs > 0) {
        blocks += 1;
        references += entry.refs;
      }
  }

 private:
  struct Entry {
    int64_t refs = 0;
    std::list<uint64_t>::iterator position;
  };
  void evict() {
    const uint64_t k = lru_.front();
    lru_.pop_front();
    table_.erase(k);
    free_ += 1;
  }
  double total_ = 0, free_ = 0, used_ = 0;
  std::unordered_map<uint64_t, Entry> table_;
  std::list<uint64_t> lru_;
};

// What the simulation reads from the planner once: the iteration costs and memory.
struct Engine {
  Status status;
  IterationCostModel target;
  IterationCostModel draft;  // draft model or MTP heads
  bool speculative = false;
  double gamma = 0, accept = 0;
  double total_blocks = 0, block_bytes = 0, capacity_bytes = 0, kv_bytes_per_token = 0, weights_per_device = 0;
  double host_link_bytes_per_s = 0;
};

Workload engine_workload(const ServeConfig& c) {
  Workload w = c.workload;
  w.flop_efficiency = c.compute_efficiency;
  w.bandwidth_efficiency = c.memory_efficiency;
  w.batch = 1;
  w.context = 1;
  w.images = 0;
  w.offload_layers = 0;
  return w;
}

// Fields of the draft model are named "spec_draft.<field>".
Status draft_status(Status status) {
  if (status.ok) return status;
  status.field = "spec_draft." + status.field;
  status.message = "spec_draft: " + status.message;
  return status;
}

Engine build_engine(const ServeConfig& c) {
  Engine e;
  const Workload w = engine_workload(c);
  e.target = IterationCostModel::build(w);
  if (!e.target.status.ok) return {e.target.status};
  const PlanResult p = plan(w);
  if (!p.status.ok) return {p.status};
  double draft_weights = 0, draft_kv_per_token = 0;
  e.speculative = c.spec_draft || c.spec_mtp;
  e.gamma = c.spec_gamma;
  e.accept = c.spec_accept;
  if (c.spec_draft) {
    Workload dw = w;
    dw.model = c.draft_model;
    dw.weights_dtype = c.draft_weights_dtype;
    dw.weights_bits = 0;
    dw.weights_group = 0;
    dw.weights_keep = "";
    e.draft = IterationCostModel::build(dw);
    if (!e.draft.status.ok) return {draft_status(e.draft.status)};
    if (c.draft_model.vocab_size != c.workload.model.vocab_size)
      return {error_status("spec_draft", "spec_draft: vocab_size = " + format_number(c.draft_model.vocab_size) +
                                             " differs from the model's " + format_number(c.workload.model.vocab_size) +
                                             ": a draft must share the target's vocabulary")};
    const PlanResult dp = plan(dw);
    if (!dp.status.ok) return {draft_status(dp.status)};
    draft_weights = dp.weights_per_device_bytes;
    draft_kv_per_token = dp.kv_per_device_bytes;  // batch 1 x context 1: one token
  } else if (c.spec_mtp) {
    e.draft = IterationCostModel::build_mtp(w);
    if (!e.draft.status.ok) return {e.draft.status};
  }
  e.weights_per_device = p.weights_per_device_bytes + draft_weights;
  e.kv_bytes_per_token = p.kv_per_device_bytes + draft_kv_per_token;
  e.capacity_bytes = w.hardware.memory_bytes * c.gpu_memory_utilization - e.weights_per_device;
  if (e.capacity_bytes <= 0)
    return {error_status("gpu_memory_utilization",
                         "the weights (" + format_number(std::round(e.weights_per_device / 1e9 * 100) / 100) +
                             " GB per device) leave no KV memory in " + format_number(w.gpus) + " x " +
                             quoted(w.hardware.label) + " at gpu_memory_utilization = " +
                             format_number(c.gpu_memory_utilization) + " (add gpus or quantize the weights)")};
  e.block_bytes = c.block_size * e.kv_bytes_per_token;
  if (!(e.block_bytes > 0) || !std::isfinite(e.block_bytes))
    return {error_status("kv_dtype", "the model's KV bytes per token (" + format_number(e.kv_bytes_per_token) +
                                         ") give no block size to allocate")};
  e.total_blocks = std::floor(e.capacity_bytes / e.block_bytes);
  if (e.total_blocks < 1)
    return {error_status("block_size", "block_size = " + format_number(c.block_size) + ": not one block of " +
                                           format_number(e.block_bytes) + " bytes fits the " +
                                           format_number(e.capacity_bytes) + " bytes of KV memory")};
  e.host_link_bytes_per_s = w.hardware.host_link_gb_per_s * 1e9;
  if (c.preemption == "swap" && e.host_link_bytes_per_s <= 0)
    return {error_status("preemption", "preemption = \"swap\" needs a host link (hardware.host_link_gb_per_s = 0)")};
  return e;
}

class Simulation {
 public:
  Simulation(const ServeConfig& c, const Engine& e, std::vector<RequestSpec> specs)
      : c_(c), e_(e), draws_(c.seed + 1), bs_(c.block_size) {
    requests_.resize(specs.size());
    for (size_t i = 0; i < specs.size(); ++i) requests_[i].spec = specs[i];
    pool_.reset(e.total_blocks);
    watermark_blocks_ = std::floor(c.watermark * e.total_blocks);
    shape_ = e.target.empty_shape();
    if (e.speculative) draft_shape_ = e.draft.empty_shape();
    closed_ = c.arrival == "closed";
    if (closed_) {
      for (Request& r : requests_) r.spec.arrival_s = -1;
      // User i sends its first request at i x ramp_s / users (all at 0 without a ramp).
      for (double user = 0; user < c.users; ++user) send_next(user * c.ramp_s / c.users);
    }
  }

  ServeResult run();

 private:
  double blocks_for(double tokens) const { return std::ceil(tokens / bs_); }
  double held(const Request& r) const { return r.owned_blocks + static_cast<double>(r.shared_blocks); }
  double step_rows() const { return e_.speculative ? e_.gamma + 1 : 1; }
  int64_t prefix_blocks(const Request& r) const {
    if (r.spec.prefix_id == 0 || c_.prefix_tokens <= 0) return 0;
    return static_cast<int64_t>(std::floor(std::min(c_.prefix_tokens, r.target) / bs_));
  }

  void arrive(double now);
  bool fits_alone(const Request& r) const;
  bool admit(size_t id);
  bool swap_in(size_t id);
  void release(Request& r);
  void preempt(size_t id);
  bool grow(size_t id, double tokens);
  void schedule_paged();
  void schedule_static();
  double iteration_seconds();
  void finish_item(const Item& item, double now);
  void complete(size_t id, double now);
  void record(double start, double now);
  void check_books();

  const ServeConfig& c_;
  const Engine& e_;
  Draws draws_;
  double bs_;
  std::vector<Request> requests_;
  BlockPool pool_;
  double watermark_blocks_ = 0;
  bool closed_ = false;
  size_t next_arrival_ = 0;  // open loop: requests_[next_arrival_] arrives next
  // Closed loop: requests sent and not yet arrived, earliest first (a user joining
  // late, with a ramp, may send after another user's later request was sent).
  std::priority_queue<std::pair<double, size_t>, std::vector<std::pair<double, size_t>>, std::greater<>> sent_;
  bool next_arrival(size_t& id, double& at) const;
  void take_arrival();
  void send_next(double at);
  size_t next_issue_ = 0;  // closed loop: the next request a user sends
  std::deque<size_t> waiting_, swapped_;
  std::vector<size_t> running_;  // admission order
  std::vector<Item> items_;
  IterationShape shape_, draft_shape_;
  double swap_seconds_ = 0;
  bool preempted_this_iteration_ = false;
  // Static batching: the batch in flight.
  std::vector<size_t> static_batch_;
  double static_step_ = 0, static_prompt_ = 0, static_output_ = 0;
  // Accounting.
  double in_system_ = 0, area_ = 0, last_event_s_ = 0;
  double completed_ = 0, rejected_ = 0, iterations_ = 0;
  double preemptions_ = 0, recomputed_ = 0, swapped_blocks_ = 0;
  double hit_tokens_ = 0, queried_tokens_ = 0;
  double prefill_tokens_ = 0, output_tokens_ = 0;
  double spec_steps_ = 0, spec_tokens_ = 0, spec_proposed_ = 0, spec_accepted_ = 0;
  double compute_busy_s_ = 0, memory_busy_s_ = 0;
  double peak_utilization_ = 0, utilization_area_ = 0;
  double violations_ = 0;
  size_t series_stride_ = 1, series_counter_ = 0;
  ServeSeries series_;
};

// The request that arrives next and when: the earliest sent (closed loop), else the next in order.
bool Simulation::next_arrival(size_t& id, double& at) const {
  if (closed_) {
    if (sent_.empty()) return false;
    at = sent_.top().first;
    id = sent_.top().second;
    return true;
  }
  if (next_arrival_ >= requests_.size()) return false;
  id = next_arrival_;
  at = requests_[id].spec.arrival_s;
  return true;
}

void Simulation::take_arrival() {
  if (closed_)
    sent_.pop();
  else
    ++next_arrival_;
}

// Closed loop: a user sends the next request at `at`.
void Simulation::send_next(double at) {
  if (next_issue_ >= requests_.size()) return;
  requests_[next_issue_].spec.arrival_s = at;
  sent_.push({at, next_issue_});
  ++next_issue_;
}

void Simulation::arrive(double now) {
  size_t id = 0;
  double at = 0;
  while (next_arrival(id, at) && at <= now) {
    take_arrival();
    Request& r = requests_[id];
    area_ += in_system_ * (r.spec.arrival_s - last_event_s_);
    last_event_s_ = r.spec.arrival_s;
    r.target = r.spec.prompt_tokens;
    if (!fits_alone(r)) {
      r.state = State::rejected;
      rejected_ += 1;
      if (closed_) send_next(r.spec.arrival_s);
    } else {
      r.state = State::waiting;
      waiting_.push_back(id);
      in_system_ += 1;
    }
  }
}

// A request that alone would need more blocks than the pool holds can never run.
bool Simulation::fits_alone(const Request& r) const {
  const double tokens = r.spec.prompt_tokens + r.spec.output_tokens + (e_.speculative ? e_.gamma : 0);
  if (c_.scheduler == "static") return blocks_for(tokens) <= pool_.total();
  // Alone it is admitted (the watermark left free) and grows, or swaps back in, to its whole length.
  return blocks_for(tokens) <= pool_.total() - watermark_blocks_;
}

// vLLM's can_allocate: the prompt's blocks (less the cached prefix blocks) must
// leave the watermark free. Cached prefix blocks are referenced, never recomputed.
bool Simulation::admit(size_t id) {
  Request& r = requests_[id];
  const double need = blocks_for(r.target);
  const int64_t prefix = prefix_blocks(r);
  int64_t hits = 0;
  double hits_evictable = 0;
  while (hits < prefix) {
    const int state = pool_.lookup(BlockPool::key(r.spec.prefix_id, hits));
    if (state == 0) break;
    hits_evictable += state == 1;
    ++hits;
  }
  // At least one token is computed: the prefill must produce the next token's logits.
  if (static_cast<double>(hits) * bs_ >= r.target) {
    --hits;
    if (pool_.lookup(BlockPool::key(r.spec.prefix_id, hits)) == 1) hits_evictable -= 1;
  }
  const double fresh = need - static_cast<double>(hits);
  if (pool_.allocatable() - hits_evictable - fresh < watermark_blocks_) return false;
  for (int64_t i = 0; i < prefix; ++i) pool_.reference(BlockPool::key(r.spec.prefix_id, i));
  r.shared_blocks = prefix;
  r.owned_blocks = need - static_cast<double>(prefix);
  pool_.take(r.owned_blocks);
  const double hit_tokens = static_cast<double>(hits) * bs_;
  r.prefilled = r.kv_tokens = hit_tokens;
  queried_tokens_ += r.target;
  hit_tokens_ += hit_tokens;
  if (r.recomputing) recomputed_ += r.target - hit_tokens;
  r.recomputing = false;
  r.state = State::running;
  running_.push_back(id);
  return true;
}

bool Simulation::swap_in(size_t id) {
  Request& r = requests_[id];
  // Its blocks come back from host memory, with room for its next step.
  const double blocks = blocks_for(r.kv_tokens), need = blocks_for(r.kv_tokens + step_rows());
  if (pool_.allocatable() - need < watermark_blocks_) return false;
  pool_.take(need);
  r.owned_blocks = need;
  r.shared_blocks = 0;
  swap_seconds_ += blocks * e_.block_bytes / e_.host_link_bytes_per_s;
  r.state = State::running;
  running_.push_back(id);
  return true;
}

void Simulation::release(Request& r) {
  pool_.give_back(r.owned_blocks);
  for (int64_t i = 0; i < r.shared_blocks; ++i) pool_.release(BlockPool::key(r.spec.prefix_id, i));
  r.owned_blocks = 0;
  r.shared_blocks = 0;
}

// vLLM: the most recently admitted running request gives its blocks back;
// recompute drops its KV (its prompt and generated tokens are prefilled again
// when readmitted, first in line), swap copies them to host memory.
void Simulation::preempt(size_t id) {
  Request& r = requests_[id];
  running_.erase(std::find(running_.begin(), running_.end(), id));
  preemptions_ += 1;
  preempted_this_iteration_ = true;
  if (c_.preemption == "swap" && r.prefilled >= r.target) {
    const double blocks = held(r);
    swapped_blocks_ += blocks;
    swap_seconds_ += blocks * e_.block_bytes / e_.host_link_bytes_per_s;
    release(r);
    r.state = State::swapped;
    swapped_.push_back(id);
    return;
  }
  release(r);
  r.target = r.spec.prompt_tokens + r.generated;
  r.prefilled = r.kv_tokens = 0;
  r.recomputing = true;
  r.state = State::waiting;
  waiting_.push_front(id);
}

// Blocks for `tokens` more tokens of a running request; preempts from the
// back of the running list until they fit. False when `id` itself was preempted.
bool Simulation::grow(size_t id, double tokens) {
  Request& r = requests_[id];
  const double need = blocks_for(r.kv_tokens + tokens) - held(r);
  if (need <= 0) return true;
  while (pool_.allocatable() < need) {
    const size_t victim = running_.back();
    preempt(victim);
    if (victim == id) return false;
  }
  pool_.take(need);
  r.owned_blocks += need;
  return true;
}

void Simulation::schedule_paged() {
  const bool chunked = c_.scheduler == "chunked";
  const double budget = c_.chunk_tokens;
  double used = 0;
  preempted_this_iteration_ = false;
  if (!chunked) {
    // vLLM v0: with nothing swapped out, newly admitted prompts prefill whole, before any decode.
    if (swapped_.empty()) {
      while (!waiting_.empty() && static_cast<double>(running_.size()) < c_.max_batch) {
        const size_t id = waiting_.front();
        const Request& r = requests_[id];
        if (used > 0 && used + r.target > budget) break;
        if (!admit(id)) break;
        waiting_.pop_front();
        const double chunk = requests_[id].target - requests_[id].prefilled;
        items_.push_back({id, chunk, true});
        used += chunk;
      }
      if (!items_.empty()) return;
    }
    for (size_t i = 0; i < running_.size(); ++i) {
      const size_t id = running_[i];
      if (grow(id, step_rows()))
        items_.push_back({id, step_rows(), false});
      else
        break;  // it was the last one
    }
    if (!preempted_this_iteration_)
      while (!swapped_.empty() && static_cast<double>(running_.size()) < c_.max_batch && swap_in(swapped_.front())) {
        items_.push_back({swapped_.front(), step_rows(), false});
        swapped_.pop_front();
      }
    return;
  }
  // Sarathi-Serve: decodes first, then running prefills, then swapped and new requests, within the token budget.
  for (size_t i = 0; i < running_.size(); ++i) {
    const size_t id = running_[i];
    Request& r = requests_[id];
    if (r.prefilled < r.target) continue;
    if (!grow(id, step_rows())) break;
    items_.push_back({id, step_rows(), false});
    used += step_rows();
  }
  for (size_t i = 0; i < running_.size() && used < budget; ++i) {
    const size_t id = running_[i];
    Request& r = requests_[id];
    if (r.prefilled >= r.target) continue;
    const double chunk = std::min(r.target - r.prefilled, budget - used);
    items_.push_back({id, chunk, true});
    used += chunk;
  }
  if (!preempted_this_iteration_)
    while (!swapped_.empty() && static_cast<double>(running_.size()) < c_.max_batch && used + step_rows() <= budget) {
      const size_t id = swapped_.front();
      if (!swap_in(id)) break;
      swapped_.pop_front();
      items_.push_back({id, step_rows(), false});
      used += step_rows();
    }
  if (swapped_.empty())
    while (!waiting_.empty() && static_cast<double>(running_.size()) < c_.max_batch && used < budget) {
      const size_t id = waiting_.front();
      if (!admit(id)) break;
      waiting_.pop_front();
      Request& r = requests_[id];
      const double chunk = std::min(r.target - r.prefilled, budget - used);
      items_.push_back({id, chunk, true});
      used += chunk;
    }
}

// FasterTransformer: a batch forms when the engine is idle, every sequence
// padded to the batch's longest prompt and run to its longest output, its
// memory reserved for that whole length; all of it returns at the end.
void Simulation::schedule_static() {
  if (static_batch_.empty()) {
    if (waiting_.empty()) return;
    double prompt = 0, output = 0;
    while (!waiting_.empty() && static_cast<double>(static_batch_.size()) < c_.max_batch) {
      const Request& r = requests_[waiting_.front()];
      const double p = std::max(prompt, r.spec.prompt_tokens), o = std::max(output, r.spec.output_tokens);
      if (static_cast<double>(static_batch_.size() + 1) * blocks_for(p + o) > pool_.total()) break;
      prompt = p;
      output = o;
      static_batch_.push_back(waiting_.front());
      waiting_.pop_front();
    }
    static_prompt_ = prompt;
    static_output_ = output;
    static_step_ = 0;
    pool_.take(static_cast<double>(static_batch_.size()) * blocks_for(prompt + output));
    for (size_t id : static_batch_) {
      requests_[id].state = State::running;
      running_.push_back(id);
    }
  }
  for (size_t id : static_batch_) items_.push_back({id, static_step_ == 0 ? static_prompt_ : 1, static_step_ == 0});
}

double Simulation::iteration_seconds() {
  IterationCostModel::clear(shape_);
  const bool is_static = c_.scheduler == "static";
  bool any_decode = false;
  for (const Item& item : items_) {
    const Request& r = requests_[item.request];
    if (is_static) {
      // Padded: every sequence at the batch's longest prompt.
      if (item.prefill)
        e_.target.add_tokens(shape_, 0, static_prompt_, 1, true);
      else
        e_.target.add_decode(shape_, static_prompt_ + static_step_);
    } else if (item.prefill) {
      e_.target.add_tokens(shape_, r.prefilled, item.tokens, 1, true);
    } else {
      // A decode step; with speculation the target verifies γ drafts + 1 in one pass.
      e_.target.add_tokens(shape_, r.kv_tokens, item.tokens, item.tokens, false);
      any_decode = true;
    }
  }
  const IterationCostModel::Cost target = e_.target.cost(shape_);
  compute_busy_s_ += target.compute_s;
  memory_busy_s_ += target.memory_s;
  double seconds = target.time_s + c_.iteration_overhead_s + swap_seconds_;
  if (e_.speculative) {
    // γ draft passes: the first also takes the prompt chunks (the draft keeps its own cache), the
    // next γ - 1 only the decoding sequences, one token further each.
    for (double pass = 0; pass < e_.gamma; ++pass) {
      IterationCostModel::clear(draft_shape_);
      for (const Item& item : items_) {
        const Request& r = requests_[item.request];
        if (item.prefill && pass == 0)
          e_.draft.add_tokens(draft_shape_, r.prefilled, item.tokens, 1, true);
        else if (!item.prefill)
          e_.draft.add_decode(draft_shape_, r.kv_tokens + 1 + pass);
      }
      if (draft_shape_.rows > 0) {
        const IterationCostModel::Cost draft = e_.draft.cost(draft_shape_);
        compute_busy_s_ += draft.compute_s;
        memory_busy_s_ += draft.memory_s;
        seconds += draft.time_s;
      }
      if (!any_decode) break;
    }
  }
  swap_seconds_ = 0;
  return seconds;
}

void Simulation::complete(size_t id, double now) {
  Request& r = requests_[id];
  r.state = State::done;
  r.finish_s = now;
  if (c_.scheduler != "static") release(r);
  running_.erase(std::find(running_.begin(), running_.end(), id));
  area_ += in_system_ * (now - last_event_s_);
  last_event_s_ = now;
  in_system_ -= 1;
  completed_ += 1;
  if (closed_) send_next(now);
}

void Simulation::finish_item(const Item& item, double now) {
  Request& r = requests_[item.request];
  double emitted = 0;
  if (c_.scheduler == "static") {
    // Tokens stream as they come; the sequence's slot is held until the batch ends.
    if (item.prefill) prefill_tokens_ += r.spec.prompt_tokens;
    if (r.generated < r.spec.output_tokens) emitted = 1;
  } else if (item.prefill) {
    r.prefilled += item.tokens;
    r.kv_tokens += item.tokens;
    prefill_tokens_ += item.tokens;
    if (r.prefilled >= r.target) emitted = 1;
  } else if (e_.speculative) {
    double accepted = 0;
    while (accepted < e_.gamma && draws_.accept() < e_.accept) accepted += 1;
    spec_steps_ += 1;
    spec_proposed_ += e_.gamma;
    spec_accepted_ += accepted;
    spec_tokens_ += accepted + 1;
    emitted = std::min(accepted + 1, r.spec.output_tokens - r.generated);
    r.kv_tokens += emitted;
  } else {
    emitted = 1;
    r.kv_tokens += 1;
  }
  if (emitted > 0) {
    if (r.first_token_s < 0) r.first_token_s = now;
    r.generated += emitted;
    output_tokens_ += emitted;
  }
  if (c_.scheduler != "static" && r.generated >= r.spec.output_tokens) complete(item.request, now);
}

void Simulation::record(double start, double now) {
  const double utilization = pool_.used() / pool_.total();
  peak_utilization_ = std::max(peak_utilization_, utilization);
  utilization_area_ += utilization * (now - start);
  if (series_counter_++ % series_stride_ != 0) return;
  series_.time_s.push_back(now);
  series_.kv_utilization.push_back(utilization);
  series_.running.push_back(static_cast<double>(running_.size()));
  series_.waiting.push_back(static_cast<double>(waiting_.size() + swapped_.size()));
  series_.batch.push_back(static_cast<double>(items_.size()));
  if (series_.time_s.size() >= kSeriesPoints) {
    // Keep every other point and record half as often from now on.
    for (std::vector<double>* v :
         {&series_.time_s, &series_.kv_utilization, &series_.running, &series_.waiting, &series_.batch}) {
      size_t kept = 0;
      for (size_t i = 0; i < v->size(); i += 2) (*v)[kept++] = (*v)[i];
      v->resize(kept);
    }
    series_stride_ *= 2;
  }
}

// The allocator's books against a recount from the requests: referenced
// blocks, references, and every running sequence holding room for its tokens.
void Simulation::check_books() {
  double owned = 0, references = 0;
  bool ok = true;
  for (size_t id : running_) {
    const Request& r = requests_[id];
    owned += r.owned_blocks;
    references += static_cast<double>(r.shared_blocks);
    if (c_.scheduler == "static") continue;
    if (held(r) * bs_ < r.kv_tokens) ok = false;
    // The cache holds what the request has computed: mid-prompt, its prefilled tokens; past
    // it, the prompt and every generated token but the last (whose KV its next step writes).
    // After a preemption this is what recomputation or the swap back in restored.
    if (r.prefilled < r.target ? r.kv_tokens != r.prefilled : r.kv_tokens != r.spec.prompt_tokens + r.generated - 1)
      ok = false;
  }
  double shared = 0, counted_references = 0;
  pool_.count_references(shared, counted_references);
  if (c_.scheduler == "static") {
    const double reserved = static_cast<double>(static_batch_.size()) * blocks_for(static_prompt_ + static_output_);
    ok = ok && pool_.used() == reserved;
  } else {
    ok = ok && pool_.used() == owned + shared && counted_references == references;
  }
  ok = ok && pool_.used() <= pool_.total() && pool_.free_blocks() >= 0 &&
       pool_.used() + pool_.free_blocks() + pool_.evictable() == pool_.total();
  if (!ok) violations_ += 1;
}

ServeResult Simulation::run() {
  ServeResult result;
  double now = 0;
  const double total = static_cast<double>(requests_.size());
  while (completed_ + rejected_ < total) {
    arrive(now);
    if (running_.empty() && waiting_.empty() && swapped_.empty() && static_batch_.empty()) {
      size_t id = 0;
      double at = 0;
      if (!next_arrival(id, at)) break;
      now = std::max(now, at);
      continue;
    }
    items_.clear();
    if (c_.scheduler == "static")
      schedule_static();
    else
      schedule_paged();
    if (items_.empty()) {
      if (!swap_seconds_) {
        result.status = error_status("scheduler", "the scheduler stalled: nothing could run (a bug; please report it)");
        return result;
      }
      // Only a swap happened: its time passes.
    }
    if (c_.check_invariants) check_books();
    const double start = now;
    now += iteration_seconds();
    iterations_ += 1;
    record(start, now);
    arrive(now);  // requests that came during the iteration arrived before its completions
    for (const Item& item : items_) finish_item(item, now);
    if (c_.scheduler == "static") {
      static_step_ += 1;
      if (static_step_ >= static_output_) {
        pool_.give_back(pool_.used());
        for (size_t id : static_batch_) complete(id, now);
        static_batch_.clear();
      }
    }
  }
  if (completed_ + rejected_ < total) {
    result.status = error_status("requests", "the simulation ended with requests unserved (a bug; please report it)");
    return result;
  }

  // Per-request figures.
  std::vector<double> ttft, tpot, e2e;
  double input = 0, met = 0;
  for (const Request& r : requests_) {
    if (r.state != State::done) continue;
    const double first = r.first_token_s - r.spec.arrival_s, all = r.finish_s - r.spec.arrival_s;
    ttft.push_back(first);
    e2e.push_back(all);
    double per_token = 0;
    if (r.spec.output_tokens >= 2) {
      per_token = (r.finish_s - r.first_token_s) / (r.spec.output_tokens - 1);
      tpot.push_back(per_token);
    }
    input += r.spec.prompt_tokens;
    if ((c_.slo_ttft_s <= 0 || first <= c_.slo_ttft_s) && (c_.slo_tpot_s <= 0 || per_token <= c_.slo_tpot_s)) met += 1;
  }
  result.ttft_s = latency_stats(ttft);
  result.tpot_s = latency_stats(tpot);
  result.e2e_s = latency_stats(e2e);
  const double end = last_event_s_;
  result.duration_s = end;
  result.completed = completed_;
  result.rejected = rejected_;
  result.iterations = iterations_;
  result.compute_busy_s = compute_busy_s_;
  result.memory_busy_s = memory_busy_s_;
  result.prefill_tokens = prefill_tokens_;
  result.output_tokens = output_tokens_;
  if (end > 0) {
    result.throughput.requests_per_s = completed_ / end;
    result.throughput.input_tokens_per_s = input / end;
    result.throughput.output_tokens_per_s = output_tokens_ / end;
    result.goodput_requests_per_s = met / end;
    result.littles_law.mean_in_system = area_ / end;
    result.littles_law.arrival_rate = completed_ / end;
    result.kv.mean_utilization = utilization_area_ / end;
  }
  result.slo_attainment = met / total;
  result.littles_law.mean_time_in_system = result.e2e_s.mean;
  result.littles_law.rate_times_time = result.littles_law.arrival_rate * result.e2e_s.mean;

  result.kv.peak_utilization = peak_utilization_;
  result.kv.preemptions = preemptions_;
  result.kv.recomputed_tokens = recomputed_;
  result.kv.swapped_blocks = swapped_blocks_;
  result.kv.total_blocks = e_.total_blocks;
  result.kv.block_bytes = e_.block_bytes;
  result.kv.capacity_bytes = e_.capacity_bytes;
  result.kv.kv_bytes_per_token = e_.kv_bytes_per_token;
  result.kv.weights_per_device_bytes = e_.weights_per_device;
  result.prefix_cache.hit_tokens = hit_tokens_;
  result.prefix_cache.queried_tokens = queried_tokens_;
  result.prefix_cache.hit_rate = queried_tokens_ > 0 ? hit_tokens_ / queried_tokens_ : 0;
  if (e_.speculative) {
    const double a = e_.accept, g = e_.gamma;
    result.spec.expected_tokens_per_step = (1 - std::pow(a, g + 1)) / (1 - a);
    result.spec.steps = spec_steps_;
    result.spec.mean_tokens_per_step = spec_steps_ > 0 ? spec_tokens_ / spec_steps_ : 0;
    result.spec.acceptance_rate = spec_proposed_ > 0 ? spec_accepted_ / spec_proposed_ : 0;
  } else {
    result.spec.expected_tokens_per_step = result.spec.mean_tokens_per_step = 1;
  }
  result.series = std::move(series_);
  // Samples for CDFs: every k-th completed request.
  const size_t stride = std::max<size_t>(1, (e2e.size() + kSamples - 1) / kSamples);
  for (size_t i = 0; i < e2e.size(); i += stride) {
    result.requests.ttft_s.push_back(ttft[i]);
    result.requests.e2e_s.push_back(e2e[i]);
  }
  const size_t tpot_stride = std::max<size_t>(1, (tpot.size() + kSamples - 1) / kSamples);
  for (size_t i = 0; i < tpot.size(); i += tpot_stride) result.requests.tpot_s.push_back(tpot[i]);
  result.invariant_violations = violations_;
  return result;
}

// Bytes the simulation holds per request (its record, the per-request figures) and per series point.
constexpr double kBytesPerRequest = sizeof(Request) + 4 * sizeof(double);

struct PreparedRun {
  Status status;
  Engine engine;
  std::vector<RequestSpec> requests;
};

PreparedRun prepare_run(const ServeConfig& c) {
  PreparedRun p;
  p.status = validate(c);
  if (!p.status.ok) return p;
  if (c.arrival == "trace") {
    serve_detail::RequestStream stream = serve_detail::parse_trace(c.trace, kMaxRequests);
    if (!stream.status.ok) return {stream.status, {}, {}};
    p.requests = std::move(stream.requests);
    if (c.prefix_tokens <= 0)
      for (const RequestSpec& r : p.requests)
        if (r.prefix_id != 0) {
          return {error_status("prefix_tokens",
                               "prefix_tokens = 0: the trace gives prefix ids, so give the "
                               "length of the prefix they share"),
                  {},
                  {}};
        }
  } else if (!c.trace.empty()) {
    return {
        error_status("trace", "trace is given but arrival = " + quoted(c.arrival) + " (set arrival to trace)"), {}, {}};
  }
  const double count = c.arrival == "trace" ? static_cast<double>(p.requests.size()) : c.requests;
  p.status = check_run_memory("requests", "a serving simulation of " + format_number(count) + " requests",
                              count * kBytesPerRequest * 2);
  if (!p.status.ok) return p;
  p.engine = build_engine(c);
  if (!p.engine.status.ok) return {p.engine.status, {}, {}};
  if (c.arrival != "trace") p.requests = draw_requests(c);
  return p;
}

ServeResult run_prepared(const ServeConfig& c, const Engine& engine, std::vector<RequestSpec> requests) {
  Simulation simulation(c, engine, std::move(requests));
  ServeResult result = simulation.run();
  if (!result.status.ok) return result;
  // Alone: one prompt, then one decode step at the next position.
  IterationShape shape = engine.target.empty_shape();
  engine.target.add_tokens(shape, 0, c.prompt_tokens, 1, true);
  result.unloaded_ttft_s = engine.target.time_s(shape) + c.iteration_overhead_s;
  IterationCostModel::clear(shape);
  const double rows = engine.speculative ? engine.gamma + 1 : 1;
  engine.target.add_tokens(shape, c.prompt_tokens, rows, rows, false);
  result.unloaded_tpot_s = engine.target.time_s(shape) + c.iteration_overhead_s;
  if (engine.speculative) {
    IterationShape draft = engine.draft.empty_shape();
    engine.draft.add_tokens(draft, 0, c.prompt_tokens, 1, true);
    result.unloaded_ttft_s += engine.draft.time_s(draft);
    for (double pass = 0; pass < engine.gamma; ++pass) {
      IterationCostModel::clear(draft);
      engine.draft.add_decode(draft, c.prompt_tokens + 1 + pass);
      result.unloaded_tpot_s += engine.draft.time_s(draft);
    }
  }
  return result;
}

}  // namespace

ServeConfig serve_defaults() { return {}; }

ServeResult serve(const ServeConfig& c) {
  PreparedRun p = prepare_run(c);
  if (!p.status.ok) {
    ServeResult r;
    r.status = p.status;
    return r;
  }
  return run_prepared(c, p.engine, std::move(p.requests));
}

ServeMaxRate serve_max_rate(const ServeConfig& c) {
  ServeMaxRate out;
  if (c.arrival != "poisson" && c.arrival != "gamma") {
    out.status = error_status(
        "arrival", "arrival = " + quoted(c.arrival) + ": the rate search needs arrivals at a rate (poisson or gamma)");
    return out;
  }
  if (c.slo_ttft_s <= 0 && c.slo_tpot_s <= 0) {
    out.status = error_status("slo_ttft_s", "slo_ttft_s = 0 and slo_tpot_s = 0: the rate search needs an SLO bound");
    return out;
  }
  PreparedRun p = prepare_run(c);
  if (!p.status.ok) {
    out.status = p.status;
    return out;
  }
  ServeConfig trial = c;
  auto attempt = [&](double rate, ServeResult& result) {
    trial.rate = rate;
    result = run_prepared(trial, p.engine, draw_requests(trial));
    out.evaluations += 1;
    return result.status.ok && result.slo_attainment >= c.slo_attainment;
  };
  // Bracket: from the given rate, double until the SLO is missed (or halve until it is met), then bisect.
  double low = 0, high = c.rate;
  ServeResult low_result, trial_result, lowest_result;
  bool have_low = false;
  if (attempt(high, trial_result)) {
    low = high;
    low_result = trial_result;
    have_low = true;
    while (high < 1e6) {
      high = std::min(1e6, high * 2);
      if (!attempt(high, trial_result)) break;
      low = high;
      low_result = trial_result;
    }
    if (low == high) {
      out.rate = low;
      out.met = true;
      out.result = std::move(low_result);
      return out;
    }
  } else {
    lowest_result = trial_result;
    for (int i = 0; i < 20 && !have_low; ++i) {
      high /= 2;
      if (attempt(high, trial_result)) {
        low = high;
        low_result = trial_result;
        have_low = true;
        high *= 2;
      } else {
        lowest_result = trial_result;
      }
    }
    if (!have_low) {
      if (!lowest_result.status.ok) out.status = lowest_result.status;
      out.result = std::move(lowest_result);
      return out;
    }
  }
  if (!trial_result.status.ok) {
    out.status = trial_result.status;
    return out;
  }
  // Bisection to 1 % of the rate.
  while (high - low > 0.01 * high) {
    const double mid = (low + high) / 2;
    if (attempt(mid, trial_result)) {
      low = mid;
      low_result = trial_result;
    } else {
      high = mid;
    }
  }
  out.rate = low;
  out.met = true;
  out.result = std::move(low_result);
  return out;
}

sim::WorkEstimate estimate_serve(const ServeConfig& c, double runs) {
  const Status status = first_error(
      check_integer("requests", c.requests, 1, kMaxRequests), check_integer("output_tokens", c.output_tokens, 1, 1e7),
      check_integer("prompt_tokens", c.prompt_tokens, 1, 1e7), check_integer("chunk_tokens", c.chunk_tokens, 1, 1e7),
      check_real("runs", runs, 1, 1e4));
  if (!status.ok) {
    sim::WorkEstimate e;
    e.status = status;
    return e;
  }
  // Work per request: each output token is one sequence-step, each prompt chunk one, at
  // 4,000 "FLOPs" each (1 µs at the estimate's 4 GFLOP/s). Measured in WASM on the loaded
  // 2-core VM (npm run bench -- serve): 0.03 µs per sequence-step with continuous batching,
  // 0.17 µs with static batching (its padded batches run to their longest output), so the
  // estimate errs long by 6-30x, as every estimate here does.
  double requests = c.requests;
  if (c.arrival == "trace")
    requests = std::max(1.0, static_cast<double>(std::count(c.trace.begin(), c.trace.end(), '\n')));
  const double steps = requests * (c.output_tokens + std::ceil(c.prompt_tokens / c.chunk_tokens));
  const double speculative = c.spec_draft || c.spec_mtp ? c.spec_gamma + 1 : 1;
  return sim::estimate_seconds(runs * steps * speculative * 4000, runs * requests * kBytesPerRequest);
}

}  // namespace llmst

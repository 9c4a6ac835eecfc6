#include "sim/paging_sim.hpp"

#include <algorithm>
#include <cmath>

#include "core/validate.hpp"
#include "sim/random.hpp"

namespace llmst {
namespace {

struct Request {
  double length;  // final tokens, in [1, max_tokens]
  double held;    // tokens held at the snapshot
  bool clipped;
};

// Draws requests in a fixed order from the seed, so every scheme sees the same stream.
class RequestStream {
 public:
  explicit RequestStream(const PagingSimInput& in) : in_(in), rng_(static_cast<uint64_t>(in.seed)) {
    if (in.distribution == "lognormal") {
      const double cv = in.std_tokens / in.mean_tokens;
      sigma_ = std::sqrt(std::log1p(cv * cv));
      mu_ = std::log(in.mean_tokens) - sigma_ * sigma_ / 2;  // so E[length] = mean_tokens
    }
  }

  Request next() {
    double x = in_.mean_tokens;
    if (in_.distribution == "uniform")
      x = in_.mean_tokens + std::sqrt(3.0) * in_.std_tokens * (2 * rng_.uniform() - 1);
    else if (in_.distribution == "normal")
      x = in_.mean_tokens + in_.std_tokens * rng_.normal();
    else if (in_.distribution == "lognormal")
      x = std::exp(mu_ + sigma_ * rng_.normal());
    double length = std::round(x);
    const bool clipped = length < 1 || length > in_.max_tokens;
    length = std::clamp(length, 1.0, in_.max_tokens);
    double held = length;
    if (in_.snapshot == "in_flight") held = std::max(1.0, std::ceil(rng_.uniform() * length));
    return {length, held, clipped};
  }

 private:
  const PagingSimInput& in_;
  sim::Random rng_;
  double mu_ = 0, sigma_ = 0;
};

Status validate(const PagingSimInput& in) {
  Status status = first_error(
      check_real_above("budget_bytes", in.budget_bytes, 0, 1e18),
      check_real_above("bytes_per_token", in.bytes_per_token, 0, 1e12),
      check_integer("max_tokens", in.max_tokens, 1, 1e9), check_integer("block_size", in.block_size, 1, 1e6),
      check_real("mean_tokens", in.mean_tokens, 1, 1e9), check_real("std_tokens", in.std_tokens, 0, 1e9),
      check_integer("seed", in.seed, 0, 9007199254740991.0),
      // Each request costs a few RNG draws and no storage; 1e7 runs in about a second.
      check_integer("max_requests", in.max_requests, 1, 1e7),
      check_integer("histogram_bins", in.histogram_bins, 1, 1000));
  if (!status.ok) return status;
  const std::string d = in.distribution;
  if (d != "fixed" && d != "uniform" && d != "normal" && d != "lognormal")
    return error_status("distribution",
                        "distribution = " + quoted(d) + " is not one of fixed, uniform, normal, lognormal");
  if (in.snapshot != "final" && in.snapshot != "in_flight")
    return error_status("snapshot", "snapshot = " + quoted(in.snapshot) + " is not one of final, in_flight");
  return ok_status();
}

// Admits requests first come, first served until the next one does not fit.
template <typename Reserve>
PagingScheme run_scheme(const PagingSimInput& in, std::string id, std::string label, Reserve reserved_tokens,
                        bool* hit_limit, PagingSimResult* stats) {
  PagingScheme s{std::move(id), std::move(label)};
  RequestStream stream(in);
  double reserved_tokens_total = 0, sum = 0, sum_squares = 0, clipped = 0, drawn = 0;
  while (s.sequences < in.max_requests) {
    const Request request = stream.next();
    drawn += 1;
    if (stats) {
      sum += request.length;
      sum_squares += request.length * request.length;
      clipped += request.clipped;
      const double bin_width = in.max_tokens / in.histogram_bins;
      const auto bin = static_cast<size_t>(std::min(in.histogram_bins - 1, std::floor(request.length / bin_width)));
      stats->histogram[bin].count += 1;
    }
    const double tokens = reserved_tokens(request);
    if ((reserved_tokens_total + tokens) * in.bytes_per_token > in.budget_bytes) break;
    reserved_tokens_total += tokens;
    s.sequences += 1;
    s.tokens_held += request.held;
  }
  if (s.sequences >= in.max_requests) *hit_limit = true;
  s.reserved_bytes = reserved_tokens_total * in.bytes_per_token;
  s.used_bytes = s.tokens_held * in.bytes_per_token;
  s.waste_bytes = s.reserved_bytes - s.used_bytes;
  s.waste_fraction = s.reserved_bytes > 0 ? s.waste_bytes / s.reserved_bytes : 0;
  if (stats) {
    stats->requests_drawn = drawn;
    stats->mean_length_tokens = sum / drawn;
    stats->std_length_tokens =
        std::sqrt(std::max(0.0, sum_squares / drawn - stats->mean_length_tokens * stats->mean_length_tokens));
    stats->clipped_fraction = clipped / drawn;
  }
  return s;
}

}  // namespace

PagingSimInput paging_sim_defaults() { return {}; }

PagingSimResult simulate_paging(const PagingSimInput& in) {
  PagingSimResult r;
  r.status = validate(in);
  if (!r.status.ok) return r;
  const double bins = in.histogram_bins;
  for (double i = 0; i < bins; ++i)
    r.histogram.push_back({i * in.max_tokens / bins, (i + 1) * in.max_tokens / bins, 0});

  const double k = in.block_size;
  r.schemes.push_back(run_scheme(
      in, "naive", "Preallocate max_tokens per sequence", [&](const Request&) { return in.max_tokens; },
      &r.hit_request_limit, nullptr));
  r.schemes.push_back(run_scheme(
      in, "exact", "Reserve each sequence's final length (oracle)", [&](const Request& q) { return q.length; },
      &r.hit_request_limit, nullptr));
  r.schemes.push_back(run_scheme(
      in, "paged", "Paged, blocks of " + format_number(k) + " tokens",
      [&](const Request& q) { return std::ceil(q.held / k) * k; }, &r.hit_request_limit, &r));
  const double naive = r.schemes[0].sequences;
  r.paged_vs_naive_sequences = naive > 0 ? r.schemes[2].sequences / naive : 0;
  return r;
}

}  // namespace llmst

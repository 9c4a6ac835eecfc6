// The one timer and the one summary of every measured time: warm up, time at
// least kMinRuns repeats, and report the spread as {runs, median_s, q1_s,
// q3_s, min_s, max_s}, the object each measured time carries in JSON.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "core/validate.hpp"

namespace llmst::sim {

using TimingClock = std::chrono::steady_clock;

inline double seconds_since(TimingClock::time_point start) {
  return std::chrono::duration<double>(TimingClock::now() - start).count();
}

// Timed repeats of a measurement (the `runs` input): five is the fewest whose
// quartiles are not just the extremes; 100 keeps a run bounded.
inline constexpr double kMinRuns = 5;
inline constexpr double kMaxRuns = 100;
inline constexpr double kDefaultRuns = 5;

inline Status check_runs(double runs) { return check_integer("runs", runs, kMinRuns, kMaxRuns); }

struct TimingStats {
  double runs = 0;  // timings summarized
  double median_s = 0;
  double q1_s = 0;  // first quartile
  double q3_s = 0;  // third quartile
  double min_s = 0;
  double max_s = 0;
};

// Quartiles by linear interpolation between order statistics (Hyndman and
// Fan 1996, type 7, as numpy's default percentile). Empty input: all zeros.
inline TimingStats timing_stats(std::vector<double> seconds) {
  TimingStats stats;
  if (seconds.empty()) return stats;
  std::sort(seconds.begin(), seconds.end());
  const auto quantile = [&](double p) {
    const double position = p * double(seconds.size() - 1);
    const std::size_t below = std::size_t(position);
    const std::size_t above = std::min(below + 1, seconds.size() - 1);
    return seconds[below] + (position - double(below)) * (seconds[above] - seconds[below]);
  };
  stats.runs = double(seconds.size());
  stats.median_s = quantile(0.5);
  stats.q1_s = quantile(0.25);
  stats.q3_s = quantile(0.75);
  stats.min_s = seconds.front();
  stats.max_s = seconds.back();
  return stats;
}

// Index of the median sample (for an even count the lower of the two middle
// ones): the run whose other figures (time split, output) a result reports.
inline std::size_t median_index(const std::vector<double>& seconds) {
  std::vector<std::size_t> order(seconds.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return seconds[a] < seconds[b]; });
  return order.empty() ? 0 : order[(order.size() - 1) / 2];
}

// Times call(): one untimed warm-up call (caches, pages, branch history), then
// `runs` samples. A sample is a batch of calls: the batch doubles from 1 until
// one batch lasts min_sample_s (those calibration batches are not counted), so
// a fast kernel is timed well above a browser's coarse clock. Stats are per
// call; timed_calls gets runs × batch.
template <typename Call>
TimingStats time_runs(Call&& call, double runs, double min_sample_s, double* timed_calls = nullptr) {
  call();
  std::size_t batch = 1;
  if (min_sample_s > 0)
    for (;;) {
      const auto start = TimingClock::now();
      for (std::size_t i = 0; i < batch; ++i) call();
      if (seconds_since(start) >= min_sample_s || batch >= (std::size_t(1) << 30)) break;
      batch *= 2;
    }
  std::vector<double> per_call;
  for (std::size_t r = 0; r < std::size_t(runs); ++r) {
    const auto start = TimingClock::now();
    for (std::size_t i = 0; i < batch; ++i) call();
    per_call.push_back(seconds_since(start) / double(batch));
  }
  if (timed_calls) *timed_calls = double(batch) * double(per_call.size());
  return timing_stats(per_call);
}

}  // namespace llmst::sim

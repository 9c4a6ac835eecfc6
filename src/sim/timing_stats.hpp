// The spread of repeated timings: median, quartiles and extremes, the object
// every measured time carries in JSON ({runs, median_s, q1_s, q3_s, min_s, max_s}).
#pragma once
#include <algorithm>
#include <vector>

namespace llmst::sim {

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

}  // namespace llmst::sim

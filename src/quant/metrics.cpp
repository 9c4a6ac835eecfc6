#include "quant/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmst::quant {

ErrorMetrics error_metrics(const float* original, const float* reconstructed, size_t n, size_t bins) {
  ErrorMetrics m;
  double signal = 0, noise = 0, dot = 0, reconstructed_norm = 0, abs_sum = 0;
  for (size_t i = 0; i < n; i++) {
    if (!std::isfinite(original[i])) {
      m.nonfinite++;
      continue;
    }
    const double x = original[i], y = reconstructed[i], error = y - x;
    signal += x * x;
    noise += error * error;
    dot += x * y;
    reconstructed_norm += y * y;
    abs_sum += std::fabs(error);
    m.max_abs_error = std::max(m.max_abs_error, std::fabs(error));
    m.count++;
  }
  if (m.count == 0) return m;
  m.rmse = std::sqrt(noise / m.count);
  m.mean_abs_error = abs_sum / m.count;
  m.rel_rmse = signal > 0 ? std::sqrt(noise / signal) : (noise > 0 ? INFINITY : 0);
  m.snr_db = noise > 0 ? 10 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
  m.cosine = signal > 0 && reconstructed_norm > 0 ? dot / std::sqrt(signal * reconstructed_norm)
             : signal == reconstructed_norm       ? 1
                                                  : 0;
  bins = std::max<size_t>(bins, 1);
  const double half_width = m.max_abs_error > 0 ? m.max_abs_error : 1;
  m.histogram_edges.resize(bins + 1);
  for (size_t b = 0; b <= bins; b++) m.histogram_edges[b] = -half_width + 2 * half_width * double(b) / double(bins);
  m.histogram_counts.assign(bins, 0);
  for (size_t i = 0; i < n; i++) {
    if (!std::isfinite(original[i])) continue;
    const double error = double(reconstructed[i]) - double(original[i]);
    const double position = (error + half_width) / (2 * half_width) * double(bins);
    m.histogram_counts[std::min(bins - 1, size_t(std::max(0.0, position)))]++;
  }
  return m;
}

}  // namespace llmst::quant

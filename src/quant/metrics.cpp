#include "quant/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmst::quant {

ErrorSums error_sums(const float* original, const float* reconstructed, size_t n) {
  ErrorSums s;
  for (size_t i = 0; i < n; i++) {
    if (!std::isfinite(original[i])) {
      s.nonfinite++;
      continue;
    }
    const double x = original[i], y = reconstructed[i], error = y - x;
    s.signal += x * x;
    s.noise += error * error;
    s.dot += x * y;
    s.reconstructed_norm += y * y;
    s.abs_sum += std::fabs(error);
    s.max_abs_error = std::max(s.max_abs_error, std::fabs(error));
    s.count++;
  }
  return s;
}

ErrorSums add_sums(const ErrorSums& a, const ErrorSums& b) {
  return {a.count + b.count,     a.nonfinite + b.nonfinite,
          a.signal + b.signal,   a.noise + b.noise,
          a.dot + b.dot,         a.reconstructed_norm + b.reconstructed_norm,
          a.abs_sum + b.abs_sum, std::max(a.max_abs_error, b.max_abs_error)};
}

ErrorMetrics metrics_from_sums(const ErrorSums& s) {
  ErrorMetrics m;
  m.count = s.count;
  m.nonfinite = s.nonfinite;
  m.max_abs_error = s.max_abs_error;
  if (m.count == 0) return m;
  m.rmse = std::sqrt(s.noise / m.count);
  m.mean_abs_error = s.abs_sum / m.count;
  m.rel_rmse = s.signal > 0 ? std::sqrt(s.noise / s.signal) : (s.noise > 0 ? INFINITY : 0);
  m.snr_db = s.noise > 0 ? 10 * std::log10(s.signal / s.noise) : std::numeric_limits<double>::infinity();
  m.cosine = s.signal > 0 && s.reconstructed_norm > 0 ? s.dot / std::sqrt(s.signal * s.reconstructed_norm)
             : s.signal == s.reconstructed_norm       ? 1
                                                      : 0;
  return m;
}

ErrorMetrics error_metrics(const float* original, const float* reconstructed, size_t n, size_t bins, size_t chunk) {
  if (chunk == 0) chunk = std::max<size_t>(n, 1);
  ErrorSums sums;
  for (size_t begin = 0; begin < n; begin += chunk)
    sums = add_sums(sums, error_sums(original + begin, reconstructed + begin, std::min(chunk, n - begin)));
  ErrorMetrics m = metrics_from_sums(sums);
  if (m.count == 0) return m;
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

// Error of a reconstruction against the original, accumulated in fp64.
// Non-finite originals are skipped (and counted): their error is not a number.
#pragma once
#include <cstddef>
#include <vector>

namespace llmst::quant {

struct ErrorMetrics {
  double count = 0;      // finite originals compared
  double nonfinite = 0;  // originals that were NaN or ±Inf (skipped)
  double rmse = 0;
  double rel_rmse = 0;  // ‖x̂ − x‖ / ‖x‖
  double snr_db = 0;    // 10·log10(‖x‖² / ‖x̂ − x‖²); +Inf when exact
  double cosine = 0;    // x·x̂ / (‖x‖‖x̂‖)
  double max_abs_error = 0;
  double mean_abs_error = 0;
  std::vector<double> histogram_edges;   // bins + 1 edges over [-max_abs_error, max_abs_error]
  std::vector<double> histogram_counts;  // bins counts of x̂ − x
};

ErrorMetrics error_metrics(const float* original, const float* reconstructed, size_t n, size_t bins);

}  // namespace llmst::quant

// Error of a reconstruction against the original, accumulated in fp64.
// Non-finite originals are skipped (and counted): their error is not a number.
#pragma once
#include <cstddef>
#include <vector>

namespace llmst::quant {

// The running sums the metrics come from, over one stretch of values.
struct ErrorSums {
  double count = 0;               // finite originals compared
  double nonfinite = 0;           // originals that were NaN or ±Inf (skipped)
  double signal = 0;              // Σ x²
  double noise = 0;               // Σ (x̂ − x)²
  double dot = 0;                 // Σ x·x̂
  double reconstructed_norm = 0;  // Σ x̂²
  double abs_sum = 0;             // Σ |x̂ − x|
  double max_abs_error = 0;
};

ErrorSums error_sums(const float* original, const float* reconstructed, size_t n);
// a then b: the sums added in that order, the max taken.
ErrorSums add_sums(const ErrorSums& a, const ErrorSums& b);

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

// The metrics of `sums`, without the histogram.
ErrorMetrics metrics_from_sums(const ErrorSums& sums);

// Summed per stretch of `chunk` values (0: one stretch), the stretches then
// added in order: a run split across workers at chunk boundaries merges its
// per-chunk sums into the same figures bit for bit.
ErrorMetrics error_metrics(const float* original, const float* reconstructed, size_t n, size_t bins, size_t chunk = 0);

}  // namespace llmst::quant

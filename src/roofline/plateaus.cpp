#include "roofline/plateaus.hpp"

#include <algorithm>

namespace llmst {
namespace {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// Flat enough: the largest value is at most (1 + tolerance) × the smallest.
bool within(const std::vector<double>& run, double tolerance) {
  const auto [low, high] = std::minmax_element(run.begin(), run.end());
  return *high <= (1 + tolerance) * *low;
}

}  // namespace

std::vector<PlateauSpan> detect_plateaus(const std::vector<double>& raw, const PlateauOptions& options) {
  const std::size_t n = raw.size();
  std::vector<double> smooth(raw);
  for (std::size_t i = 1; i + 1 < n; ++i) smooth[i] = median({raw[i - 1], raw[i], raw[i + 1]});

  const std::size_t min_points = static_cast<std::size_t>(std::max(1.0, options.min_points));
  std::vector<PlateauSpan> spans;
  for (std::size_t i = 0; i < n;) {
    std::vector<double> run{smooth[i]};
    std::size_t j = i;
    while (j + 1 < n) {
      run.push_back(smooth[j + 1]);
      if (!within(run, options.tolerance)) break;
      ++j;
    }
    if (j - i + 1 >= min_points) {
      spans.push_back({i, j, 0});
      i = j + 1;
    } else {
      ++i;  // a transition point
    }
  }

  // Merge neighbours of nearly the same level; the level is the median of the
  // plateaus' own points (transition points between them left out).
  std::vector<std::vector<std::size_t>> members;
  for (const PlateauSpan& span : spans) {
    std::vector<std::size_t> points;
    for (std::size_t k = span.first; k <= span.last; ++k) points.push_back(k);
    members.push_back(points);
  }
  const auto level = [&](const std::vector<std::size_t>& points) {
    std::vector<double> values;
    for (std::size_t k : points) values.push_back(raw[k]);
    return median(values);
  };
  for (std::size_t k = 0; k + 1 < spans.size();) {
    const double a = level(members[k]), b = level(members[k + 1]);
    if (std::max(a, b) < (1 + options.merge_within) * std::min(a, b)) {
      spans[k].last = spans[k + 1].last;
      members[k].insert(members[k].end(), members[k + 1].begin(), members[k + 1].end());
      spans.erase(spans.begin() + static_cast<std::ptrdiff_t>(k) + 1);
      members.erase(members.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    } else {
      ++k;
    }
  }
  for (std::size_t k = 0; k < spans.size(); ++k) spans[k].bytes_per_s = level(members[k]);
  return spans;
}

std::vector<std::string> plateau_names(std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < count; ++k) names.push_back("L" + std::to_string(k + 1));
  if (count == 3) names.back() = "LLC";
  if (count >= 4) names.back() = "DRAM";
  // Five or more: the levels between L2 and DRAM are steps of one last-level
  // cache (a shared L3 whose far slices are slower), L3a, L3b, …
  if (count >= 5)
    for (std::size_t k = 2; k + 1 < count; ++k) names[k] = "L3" + std::string(1, static_cast<char>('a' + (k - 2)));
  return names;
}

}  // namespace llmst

// Cache plateaus in a bandwidth-versus-working-set curve: where the curve is
// flat (one cache level serves every size) and where it drops (the working
// set outgrew that level). Pure: sizes and bandwidths in, index ranges out,
// so it is tested on synthetic curves (tests/cpp/test_roofline.cpp).
//
// Method (docs/roofline.md, "Cache sweep"):
//  1. Smooth the curve with a running median of 3 (one noisy size cannot cut
//     a plateau or make one).
//  2. Walk left to right; a run grows while its largest smoothed value is at
//     most (1 + tolerance) × its smallest. A run of at least min_points sizes
//     is a plateau; a shorter one is a transition and is dropped.
//  3. Neighbouring plateaus whose levels differ by less than merge_within are
//     one plateau (a slow drift or a noisy size split it).
//  4. A plateau's bandwidth is the median of its raw (unsmoothed) points.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace llmst {

struct PlateauOptions {
  double tolerance = 0.15;    // a plateau's largest value is at most 15 % above its smallest
  double min_points = 3;      // at 3 sizes per octave: two-thirds of an octave
  double merge_within = 0.2;  // plateaus closer than 20 % in level are one
};

struct PlateauSpan {
  std::size_t first = 0;  // index of its first and last point
  std::size_t last = 0;
  double bytes_per_s = 0;  // median of its raw points
};

// bytes ascending, one bandwidth per size (same length; empty → none).
std::vector<PlateauSpan> detect_plateaus(const std::vector<double>& bytes_per_s, const PlateauOptions& options = {});

// Names by rank from the smallest working set: L1, L2, L3; the largest is
// "DRAM" when there are four or more, "LLC" (last-level cache) when three;
// with five or more, the steps between L2 and DRAM are L3a, L3b, ….
// The curve alone cannot tell a last-level cache from DRAM: with three
// plateaus the sweep either stayed inside the LLC or the machine has no L3.
std::vector<std::string> plateau_names(std::size_t count);

}  // namespace llmst

// Warm-up before timing WASM kernels. Engines run a function first on a
// baseline compiler (V8: Liftoff) and move it to the optimizing one after
// enough calls, not after enough work: in Node 20 a 4096² GEMV called 1,000
// times stayed on baseline code and 10,000 tiny calls were needed. A kernel
// called a few times on a big input is therefore timed on code 2–3× slower
// than what a page runs in steady state (measured: the machine probe's
// bandwidth 16 vs 34 GB/s). Chromium 156 needs more: after 20,000 tiny calls
// its first decode run still measured 1.7× slow, after 200,000 it did not.
// Timed code calls warm_up() with a tiny input first, once per kernel and
// module instance (the attention kernels take ~0.4 s in Node). Natively it
// only costs the calls.
#pragma once
#include <algorithm>
#include <set>
#include <string>

namespace llmst {

inline constexpr double kWarmUpCalls = 200000;
// Cap on the warm-up's work (elements touched over all calls, ~0.1–0.5 s at
// baseline speed): a caller whose smallest call is still big gets fewer calls.
inline constexpr double kWarmUpWork = 1e8;

// True the first time `kernels` is named in this module instance: optimized
// code stays installed, so each set of kernels is warmed up once.
inline bool first_warm_up(const std::string& kernels) {
  static std::set<std::string> warmed;
  return warmed.insert(kernels).second;
}

// The first time `kernels` is named: calls call() kWarmUpCalls times, or
// fewer when each touches more than kWarmUpWork / kWarmUpCalls elements
// (elements_per_call).
template <typename Call>
void warm_up(const std::string& kernels, Call&& call, double elements_per_call) {
  if (!first_warm_up(kernels)) return;
  const double calls = std::min(kWarmUpCalls, std::max(1.0, kWarmUpWork / std::max(1.0, elements_per_call)));
  for (double i = 0; i < calls; ++i) call();
}

}  // namespace llmst

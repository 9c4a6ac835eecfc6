// Native column of bench/attention.js: the same bench_kernel() the WASM
// module runs, built for this machine (xsimd's AVX2/AVX-512 backend).
// Usage: bench_attention KERNEL N D [MIN_SECONDS] [scalar] — prints one JSON
// object (`time`: the spread of the timed samples per call, as in the JS API).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/kernel_bench.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_attention KERNEL N D [MIN_SECONDS] [scalar]\n");
    return 2;
  }
  llmst::sim::KernelBenchInput input;
  input.kernel = argv[1];
  input.n = std::atof(argv[2]);
  input.d = std::atof(argv[3]);
  if (argc > 4) input.min_seconds = std::atof(argv[4]);
  input.scalar_twin = argc > 5 && std::string(argv[5]) == "scalar";
  const auto result = llmst::sim::bench_kernel(input);
  if (!result.status.ok) {
    std::fprintf(stderr, "%s\n", result.status.message.c_str());
    return 2;
  }
  const auto& t = result.time;
  std::printf(
      "{\"kernel\":\"%s\",\"isa\":\"%s\",\"n\":%g,\"d\":%g,\"repeats\":%g,\"seconds\":%.9g,"
      "\"time\":{\"runs\":%g,\"median_s\":%.9g,\"q1_s\":%.9g,\"q3_s\":%.9g,\"min_s\":%.9g,\"max_s\":%.9g},"
      "\"gflop_per_s\":%.6g,\"elements_per_s\":%.6g,\"checksum\":%.9g}\n",
      input.kernel.c_str(), result.isa.c_str(), input.n, input.d, result.repeats, result.seconds, t.runs, t.median_s,
      t.q1_s, t.q3_s, t.min_s, t.max_s, result.gflop_per_s, result.elements_per_s, result.checksum);
  return 0;
}

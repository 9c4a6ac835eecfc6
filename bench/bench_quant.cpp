// Native column of bench/quant.js: the same runners the WASM module calls,
// built for this machine. Usage: bench_quant [MIN_SECONDS] [scalar|simd] [ROWS COLS [GEMV_RUNS]] — prints one JSON
// object.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/quant_lab.hpp"

// "time":{...}: the spread of the timed samples per call, as in the JS API.
static std::string time_json(const llmst::sim::TimingStats& t) {
  char text[256];
  std::snprintf(text, sizeof text,
                "\"time\":{\"runs\":%g,\"median_s\":%.9g,\"q1_s\":%.9g,\"q3_s\":%.9g,\"min_s\":%.9g,\"max_s\":%.9g}",
                t.runs, t.median_s, t.q1_s, t.q3_s, t.min_s, t.max_s);
  return text;
}

int main(int argc, char** argv) {
  const double min_time_s = argc > 1 ? std::atof(argv[1]) : 0.2;
  const bool simd = !(argc > 2 && std::string(argv[2]) == "scalar");
  std::printf("{\"quantize\":[");
  const char* kernels[] = {"quantize_int8", "quantize_int4", "quantize_int8_asym", "quantize_int4_asym",
                           "quantize_nf4",  "quantize_q4_1", "dequantize_int8",    "dequantize_nf4"};
  for (int k = 0; k < 8; k++) {
    llmst::QuantBenchInput input;
    input.kernel = kernels[k];
    input.min_time_s = min_time_s;
    input.simd = simd;
    const auto result = llmst::run_quant_bench(input);
    if (!result.status.ok) {
      std::fprintf(stderr, "%s\n", result.status.message.c_str());
      return 2;
    }
    std::printf("%s{\"kernel\":\"%s\",\"isa\":\"%s\",\"n\":%g,\"seconds\":%.9g,%s,\"elements_per_s\":%.6g}",
                k ? "," : "", result.kernel.c_str(), result.isa.c_str(), result.n, result.seconds,
                time_json(result.time).c_str(), result.elements_per_s);
  }
  llmst::QuantGemvInput gemv;
  gemv.min_time_s = min_time_s;
  gemv.simd = simd;
  if (argc > 4) gemv.rows = std::atof(argv[3]), gemv.cols = std::atof(argv[4]);
  if (argc > 5) gemv.runs = std::atof(argv[5]);
  const auto result = llmst::run_quant_gemv(gemv);
  if (!result.status.ok) {
    std::fprintf(stderr, "%s\n", result.status.message.c_str());
    return 2;
  }
  std::printf("],\"gemv\":{\"rows\":%g,\"cols\":%g,\"group_size\":%g,\"isa\":\"%s\",\"kernels\":[", result.rows,
              result.cols, result.group_size, result.kernel.c_str());
  for (size_t k = 0; k < result.kernels.size(); k++) {
    const auto& row = result.kernels[k];
    std::printf(
        "%s{\"kernel\":\"%s\",\"weight_bytes\":%g,\"seconds_per_call\":%.9g,%s,\"gb_per_s\":%.6g,\"rel_rmse\":%.6g}",
        k ? "," : "", row.kernel.c_str(), row.weight_bytes, row.seconds_per_call, time_json(row.time).c_str(),
        row.gb_per_s, row.rel_rmse);
  }
  std::printf("]}}\n");
  return 0;
}

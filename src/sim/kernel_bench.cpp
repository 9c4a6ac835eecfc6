#include "sim/kernel_bench.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "attention/kernels.hpp"
#include "core/validate.hpp"
#include "core/warm_up.hpp"
#include "sim/random.hpp"
#include "simd/simd.hpp"

namespace llmst::sim {
namespace {

template <class Ops>
double run_once(const std::string& kernel, std::size_t n, std::size_t d, std::vector<float>& a, std::vector<float>& b,
                std::vector<float>& c, std::vector<float>& out, std::vector<float>& work) {
  if (kernel == "dot") {
    Ops::dot_rows(a.data(), b.data(), d, 64, d, out.data());
    return out[7];
  }
  if (kernel == "softmax") {
    Ops::softmax(a.data(), out.data(), n);  // out of place: a stays the input
    return out[n / 2];
  }
  if (kernel == "exp") {
    if constexpr (std::is_same_v<Ops, simd::Scalar>)
      simd::scalar::exp(a.data(), out.data(), n);
    else
      simd::exp(a.data(), out.data(), n);
    return out[n / 2];
  }
  if (kernel == "round") {
    auto* codes = reinterpret_cast<std::int32_t*>(out.data());  // same size as float
    if constexpr (std::is_same_v<Ops, simd::Scalar>)
      simd::scalar::round_to_int32(a.data(), codes, n);
    else
      simd::round_to_int32(a.data(), codes, n);
    return double(codes[n / 2]);
  }
  if (kernel == "naive")
    attention::attention_naive<Ops>(a.data(), b.data(), c.data(), out.data(), work.data(), n, d);
  else
    attention::attention_tiled<Ops>(a.data(), b.data(), c.data(), out.data(), work.data(), n, d);
  return out[(n - 1) * d];
}

}  // namespace

KernelBenchResult bench_kernel(const KernelBenchInput& input) {
  KernelBenchResult result;
  result.input = input;
  const std::string& k = input.kernel;
  if (k != "dot" && k != "softmax" && k != "exp" && k != "round" && k != "naive" && k != "tiled")
    return result.status =
               error_status("kernel", "kernel = " + quoted(k) + " must be dot, softmax, exp, round, naive or tiled"),
           result;
  result.status = first_error(check_integer("n", input.n, 1, 16384), check_integer("d", input.d, 1, 1024),
                              check_real("min_seconds", input.min_seconds, 0, 60), check_runs(input.runs));
  if (!result.status.ok) return result;
  const std::size_t n = std::size_t(input.n), d = std::size_t(input.d);
  const bool attention_kernel = k == "naive" || k == "tiled";
  if (k == "naive" && input.n > 8192)
    return result.status = error_status(
               "n", "n = " + format_number(input.n) + " is above 8192 for the naive benchmark (n² scores)"),
           result;

  Random random(1);
  const std::size_t rows = attention_kernel ? n : (k == "dot" ? 64 : 1);
  std::vector<float> a(std::max(n, d) * (attention_kernel ? d : 1)), b_rows(rows * d), c(attention_kernel ? n * d : 0);
  for (float& x : a) x = float(random.normal());
  for (float& x : b_rows) x = float(random.normal());
  for (float& x : c) x = float(random.normal());
  std::vector<float> out(attention_kernel ? n * d : std::max<std::size_t>(n, 64));
  std::vector<float> work(k == "naive" ? attention::naive_workspace_floats(n) : attention::tiled_workspace_floats());

  const bool scalar = input.scalar_twin || !simd::kSimd;
  result.isa = scalar ? "scalar" : "simd";
  double checksum = 0;
  // Optimized code first (core/warm_up.hpp): a run of few long calls, or the
  // first samples of many short ones, would otherwise time V8's baseline tier.
  const double elements = attention_kernel ? input.n * input.n * input.d : k == "dot" ? 64 * input.d : input.n;
  warm_up(
      "kernel bench " + k + (scalar ? " scalar" : " simd"),
      [&] {
        checksum += scalar ? run_once<simd::Scalar>(k, n, d, a, b_rows, c, out, work)
                           : run_once<simd::Active>(k, n, d, a, b_rows, c, out, work);
      },
      elements);
  // Each sample is a batch of calls sized to last min_seconds / runs (and at
  // least 2 ms, above a browser's coarse clock): time_runs finds the batch.
  result.time = time_runs(
      [&] {
        checksum += scalar ? run_once<simd::Scalar>(k, n, d, a, b_rows, c, out, work)
                           : run_once<simd::Active>(k, n, d, a, b_rows, c, out, work);
      },
      input.runs, std::max(0.002, input.min_seconds / input.runs), &result.repeats);
  result.seconds = result.time.median_s;
  result.checksum = checksum;
  if (k == "dot") result.flops = 2.0 * 64 * input.d;
  if (attention_kernel) result.flops = 4.0 * input.d * input.n * (input.n + 1) / 2;
  result.gflop_per_s = result.flops / result.seconds / 1e9;
  result.elements_per_s = (k == "softmax" || k == "exp" || k == "round" ? input.n
                           : k == "dot"                                 ? 64 * input.d
                                                                        : input.n * input.n / 2) /
                          result.seconds;
  return result;
}

}  // namespace llmst::sim

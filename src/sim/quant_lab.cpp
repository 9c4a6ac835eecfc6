#include "sim/quant_lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/validate.hpp"
#include "core/warm_up.hpp"
#include "quant/formats.hpp"
#include "quant/kernels.hpp"
#include "quant/kquants.hpp"
#include "quant/metrics.hpp"
#include "quant/microscaling.hpp"
#include "quant/minifloat.hpp"
#include "sim/random.hpp"

namespace llmst {

using namespace quant;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Fastest time per call, over batches of calls long enough (≥ 2 ms) to time
// with a browser's coarse clock (performance.now() is 0.1–1 ms there). Runs
// until min_time_s has passed and at least one batch counted.
template <typename Call>
double fastest_call_seconds(Call&& call, double min_time_s, double& calls) {
  const auto start = std::chrono::steady_clock::now();
  size_t batch = 1;
  double fastest = INFINITY;
  do {
    const auto batch_start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < batch; i++) call();
    const double elapsed = seconds_since(batch_start);
    calls += double(batch);
    if (elapsed < 0.002) {
      batch *= 2;  // too short to time: discard and grow
      continue;
    }
    fastest = std::min(fastest, elapsed / double(batch));
  } while (seconds_since(start) < min_time_s || !std::isfinite(fastest));
  return fastest;
}

Status budget_check(double bytes, const char* what) {
  if (bytes <= kQuantLabBudgetBytes) return ok_status();
  return error_status("n", std::string(what) + " needs " + format_number(bytes) + " bytes, more than the " +
                               format_number(kQuantLabBudgetBytes) + "-byte budget of a lab run");
}

const MiniFloat* scale_format_of(const std::string& dtype) {
  if (dtype == "fp16") return &kFp16;
  if (dtype == "bf16") return &kBf16;
  return nullptr;
}

const MiniFloat* cast_format_of(const std::string& format) {
  if (format == "fp16") return &kFp16;
  if (format == "bf16") return &kBf16;
  if (format == "fp8_e4m3") return &kFp8E4M3;
  if (format == "fp8_e5m2") return &kFp8E5M2;
  return nullptr;
}

}  // namespace

std::vector<float> synthetic_tensor(const std::string& dist, size_t n, size_t row_length, uint64_t seed) {
  std::vector<float> x(n);
  sim::Random random(seed);
  if (dist == "laplace") {  // unit variance: b = 1/√2, inverse CDF
    const double b = 1 / std::sqrt(2.0);
    for (float& value : x) {
      const double u = random.uniform() - 0.5;
      value = float(-b * (u < 0 ? -1 : 1) * std::log(1 - 2 * std::fabs(u)));
    }
    return x;
  }
  for (float& value : x) value = float(random.normal());  // Box–Muller pairs: cos, then sin
  if (dist == "llm") {
    // A few outlier channels: 0.5 % of the columns (at least one) 20× larger,
    // the magnitude LLM.int8 reports for outlier features (Dettmers et al. 2022, §3).
    const size_t columns = std::max<size_t>(1, std::min(n, row_length));
    const size_t outliers = std::max<size_t>(1, columns / 200);
    std::vector<bool> is_outlier(columns, false);
    for (size_t k = 0; k < outliers; k++) is_outlier[random.next_u64() % columns] = true;
    for (size_t i = 0; i < n; i++)
      if (is_outlier[i % columns]) x[i] *= 20;
  }
  return x;
}

QuantLabResult run_quant_lab(const QuantLabInput& input) {
  QuantLabResult result;
  QuantSpec spec;
  spec.format = input.format;
  spec.layout = input.layout;
  spec.group_size = input.group_size;
  spec.channel_size = input.channel_size;
  spec.scale_dtype = input.scale_dtype;
  spec.double_quant = input.double_quant;
  const BitsPerWeight bits = bits_per_weight(spec);
  result.status = first_error(bits.status, check_integer("n", input.n, 1, 1e10),
                              check_integer("channel_size", input.channel_size, 1),
                              check_integer("seed", input.seed, 0, 9007199254740992.0),
                              check_integer("histogram_bins", input.histogram_bins, 1, 1000));
  if (result.status.ok && input.dist != "normal" && input.dist != "laplace" && input.dist != "llm")
    result.status = error_status("dist", "dist = " + quoted(input.dist) + " must be normal, laplace or llm");
  if (!result.status.ok) return result;
  const QuantFormatInfo& format = *find_quant_format(input.format);
  if (!format.measured) {
    result.status =
        error_status("format", "format = " + quoted(format.id) + " has sizes only: the lab has no kernel for it");
    return result;
  }
  const size_t n = size_t(input.n);
  KQuant kquant = KQuant::q4_k;  // set by find_kquant when the format is one
  const bool is_kquant = find_kquant(format.id, kquant);
  const size_t row_length = size_t(input.channel_size);
  const size_t group = is_kquant                      ? kSuperBlock
                       : format.family == "ggml"      ? 32
                       : format.id == "mxfp4"         ? kMxfp4Block
                       : format.id == "nvfp4"         ? kNvfp4Block
                       : format.family == "block_fp8" ? kFp8BlockTile * kFp8BlockTile
                       : !format.grouped              ? n
                       : input.layout == "tensor"     ? n
                       : input.layout == "channel"    ? row_length
                                                      : size_t(input.group_size);
  const size_t groups = (n + group - 1) / group;
  // x, x̂ (floats), codes (1 byte), scales and mins (≤ 2 floats per 32 weights at worst: per group of 1, 8 bytes);
  // k-quants: x, x̂ and one unpacked super-block (sizeof(KQuantBlock) bytes) per 256;
  // MXFP4 / NVFP4: x, x̂ and the packed blocks; FP8 block: x, x̂, a byte per weight and an fp32 per tile.
  const double floats_bytes = double(n) * 8;
  result.bytes_needed = is_kquant              ? floats_bytes + double(groups) * double(sizeof(KQuantBlock))
                        : format.id == "mxfp4" ? floats_bytes + double(groups) * double(sizeof(BlockMxfp4))
                        : format.id == "nvfp4" ? floats_bytes + double(groups) * double(sizeof(BlockNvfp4))
                        : format.family == "block_fp8"
                            ? floats_bytes + double(n) + double(fp8_block_scale_count(n, row_length)) * 4
                            : double(n) * 9 + double(groups) * 8;
  result.status = budget_check(result.bytes_needed, "this lab run");
  if (!result.status.ok) return result;

  result.format = format.id;
  result.dist = input.dist;
  result.n = double(n);
  result.group_size = format.grouped || format.block_size > 0 ? double(group) : 0;
  result.bits_per_weight = bits.bits_per_weight;
  std::vector<float> x = synthetic_tensor(input.dist, n, size_t(input.channel_size), uint64_t(input.seed));
  if (input.inject_nonfinite) {
    x[0] = NAN;
    if (n > 1) x[1] = INFINITY;
    if (n > 2) x[2] = -INFINITY;
  }
  std::vector<float> restored(n);
  const bool own_storage = is_kquant || format.family == "microscaling";  // blocks hold codes and scales
  const size_t scale_count = format.family == "block_fp8" ? fp8_block_scale_count(n, row_length) : groups;
  std::vector<float> scales(own_storage ? 0 : scale_count), mins(own_storage ? 0 : groups);
  std::vector<int8_t> codes(own_storage ? 0 : n);
  const bool simd = input.simd && simd::kSimd;
  result.kernel = "scalar";
  const MiniFloat* scale_format = scale_format_of(input.scale_dtype);
  auto* unsigned_codes = reinterpret_cast<uint8_t*>(codes.data());
  const auto start = std::chrono::steady_clock::now();
  if (const MiniFloat* cast = cast_format_of(format.id)) {
    for (size_t i = 0; i < n; i++) restored[i] = round_to(*cast, x[i]);
    result.nonfinite_behaviour =
        format.id == "fp8_e4m3" ? "NaN stays NaN; ±Inf saturates to ±448 (E4M3 has no Inf)" : "NaN and ±Inf are kept";
  } else if (format.id == "fp32") {
    restored = x;
    result.nonfinite_behaviour = "NaN and ±Inf are kept";
  } else if (format.id == "int8" || format.id == "int4") {
    const int qmax = format.id == "int8" ? 127 : 7;
    if (simd) {
      quantize_sym(x.data(), n, group, qmax, scale_format, codes.data(), scales.data());
      if (input.double_quant) double_quantize_scales(scales.data(), groups);
      dequantize_sym(codes.data(), scales.data(), n, group, restored.data());
      result.kernel = "simd";
    } else {
      quantize_sym<simd::Scalar>(x.data(), n, group, qmax, scale_format, codes.data(), scales.data());
      if (input.double_quant) double_quantize_scales(scales.data(), groups);
      dequantize_sym<simd::Scalar>(codes.data(), scales.data(), n, group, restored.data());
    }
    result.nonfinite_behaviour = "scale from finite values; NaN → code 0; ±Inf → ±qmax (the group's extreme)";
  } else if (format.id == "int8_asym" || format.id == "int4_asym") {
    const int qmax = format.id == "int8_asym" ? 255 : 15;
    if (simd)
      quantize_asym(x.data(), n, group, qmax, scale_format, unsigned_codes, scales.data(), mins.data());
    else
      quantize_asym<simd::Scalar>(x.data(), n, group, qmax, scale_format, unsigned_codes, scales.data(), mins.data());
    result.kernel = simd ? "simd" : "scalar";
    if (input.double_quant) double_quantize_scales(scales.data(), groups), double_quantize_scales(mins.data(), groups);
    if (simd)
      dequantize_asym(unsigned_codes, scales.data(), mins.data(), n, group, restored.data());
    else
      dequantize_asym<simd::Scalar>(unsigned_codes, scales.data(), mins.data(), n, group, restored.data());
    result.nonfinite_behaviour = "min/max from finite values; NaN → the min; +Inf → the max; -Inf → the min";
  } else if (format.id == "nf4") {
    if (simd)
      quantize_nf4(x.data(), n, group, scale_format, unsigned_codes, scales.data());
    else
      quantize_nf4<simd::Scalar>(x.data(), n, group, scale_format, unsigned_codes, scales.data());
    result.kernel = simd ? "simd" : "scalar";
    if (input.double_quant) double_quantize_scales(scales.data(), groups);
    if (simd)
      dequantize_nf4(unsigned_codes, scales.data(), n, group, restored.data());
    else
      dequantize_nf4<simd::Scalar>(unsigned_codes, scales.data(), n, group, restored.data());
    result.nonfinite_behaviour = "absmax from finite values; NaN → level 0.0; ±Inf → ±absmax";
  } else if (format.id == "q4_0" || format.id == "q5_0" || format.id == "q8_0") {
    const int levels = format.id == "q4_0" ? 16 : format.id == "q5_0" ? 32 : 256;
    if (simd)
      quantize_ggml_sym(x.data(), n, levels, codes.data(), scales.data());
    else
      quantize_ggml_sym<simd::Scalar>(x.data(), n, levels, codes.data(), scales.data());
    result.kernel = simd ? "simd" : "scalar";
    if (simd)
      dequantize_sym(codes.data(), scales.data(), n, group, restored.data());
    else
      dequantize_sym<simd::Scalar>(codes.data(), scales.data(), n, group, restored.data());
    result.nonfinite_behaviour = "scale from finite values; NaN → 0; ±Inf → the block's extreme codes";
  } else if (is_kquant) {  // scalar only: ggml's reference search has no SIMD twin here
    std::vector<KQuantBlock> blocks(groups);
    quantize_kquant(kquant, x.data(), n, blocks.data());
    dequantize_kquant(kquant, blocks.data(), n, restored.data());
    result.nonfinite_behaviour =
        kquant == KQuant::q3_k || kquant == KQuant::q6_k
            ? "replaced per sub-block before the search: NaN → 0; ±Inf → ± the sub-block's largest finite magnitude "
              "(ggml's reference has no guard: one Inf makes its super-block all NaN)"
            : "replaced per sub-block before the search: NaN → the sub-block's finite min; +Inf → its max; -Inf → its "
              "min (ggml's reference has no guard: one Inf makes its super-block all NaN)";
  } else if (format.id == "mxfp4") {
    std::vector<BlockMxfp4> blocks(groups);
    if (simd) {
      quantize_mxfp4<simd::Active>(x.data(), n, blocks.data());
      dequantize_mxfp4<simd::Active>(blocks.data(), n, restored.data());
      result.kernel = "simd";
    }
    if (!simd) {
      quantize_mxfp4<simd::Scalar>(x.data(), n, blocks.data());
      dequantize_mxfp4<simd::Scalar>(blocks.data(), n, restored.data());
    }
    result.nonfinite_behaviour =
        "E8M0 scale from the block's finite values; NaN → +0 (E2M1 has no NaN); ±Inf → ±6·scale (saturated). "
        "(The OCP spec's NaN scale 0xFF, which would make the whole block NaN, is not used.)";
  } else if (format.id == "nvfp4") {
    std::vector<BlockNvfp4> blocks(groups);
    const float tensor_scale = nvfp4_tensor_scale(x.data(), n);
    if (simd) {
      quantize_nvfp4<simd::Active>(x.data(), n, tensor_scale, blocks.data());
      dequantize_nvfp4<simd::Active>(blocks.data(), n, tensor_scale, restored.data());
      result.kernel = "simd";
    }
    if (!simd) {
      quantize_nvfp4<simd::Scalar>(x.data(), n, tensor_scale, blocks.data());
      dequantize_nvfp4<simd::Scalar>(blocks.data(), n, tensor_scale, restored.data());
    }
    result.nonfinite_behaviour =
        "tensor and E4M3 block scales from finite values; NaN → +0 (E2M1 has no NaN); ±Inf → ±6·block scale "
        "(saturated)";
  } else if (format.family == "block_fp8") {  // scalar only: round_to per element
    quantize_fp8_block(x.data(), n, row_length, unsigned_codes, scales.data());
    dequantize_fp8_block(unsigned_codes, scales.data(), n, row_length, restored.data());
    result.nonfinite_behaviour =
        "tile scale from finite values; NaN stays NaN (E4M3 NaN); ±Inf saturates to ±448·scale (± the tile's absmax)";
  } else {  // q4_1, q5_1
    const int levels = format.id == "q4_1" ? 16 : 32;
    if (simd) {
      quantize_ggml_asym(x.data(), n, levels, unsigned_codes, scales.data(), mins.data());
      dequantize_asym(unsigned_codes, scales.data(), mins.data(), n, group, restored.data());
    } else {
      quantize_ggml_asym<simd::Scalar>(x.data(), n, levels, unsigned_codes, scales.data(), mins.data());
      dequantize_asym<simd::Scalar>(unsigned_codes, scales.data(), mins.data(), n, group, restored.data());
    }
    result.kernel = simd ? "simd" : "scalar";
    result.nonfinite_behaviour = "min/max from finite values; NaN → the min; ±Inf → the block's max / min";
  }
  result.quantize_s = seconds_since(start);
  const ErrorMetrics metrics = error_metrics(x.data(), restored.data(), n, size_t(input.histogram_bins));
  result.rel_rmse = metrics.rel_rmse;
  result.snr_db = metrics.snr_db;
  result.cosine = metrics.cosine;
  result.rmse = metrics.rmse;
  result.max_abs_error = metrics.max_abs_error;
  result.mean_abs_error = metrics.mean_abs_error;
  result.nonfinite_inputs = metrics.nonfinite;
  result.histogram_edges = metrics.histogram_edges;
  result.histogram_counts = metrics.histogram_counts;
  return result;
}

QuantGemvResult run_quant_gemv(const QuantGemvInput& input) {
  QuantGemvResult result;
  result.status = first_error(check_integer("rows", input.rows, 1, 1e6), check_integer("cols", input.cols, 32, 1e6),
                              check_integer("group_size", input.group_size, 32, 1e6),
                              check_integer("seed", input.seed, 0, 9007199254740992.0),
                              check_real("min_time_s", input.min_time_s, 0, 60));
  if (!result.status.ok) return result;
  const size_t rows = size_t(input.rows), cols = size_t(input.cols), group = size_t(input.group_size);
  if (group % 32 != 0)
    result.status = error_status("group_size", "group_size = " + format_number(input.group_size) +
                                                   " must be a multiple of 32 for the GEMV kernels");
  else if (cols % group != 0)
    result.status = error_status("cols", "cols = " + format_number(input.cols) +
                                             " must be a multiple of group_size = " + format_number(input.group_size));
  if (!result.status.ok) return result;
  const double weights = double(rows) * double(cols);
  const double groups = weights / double(group);
  // fp32 W, int8 codes, packed int4, two scale arrays, x and its codes, outputs
  result.bytes_needed = weights * (4 + 1 + 0.5) + groups * 4 * 2 + double(cols) * 5 + double(rows) * 4 * 5;
  result.status = budget_check(result.bytes_needed, "this GEMV");
  if (!result.status.ok) {
    result.status.field = "rows";
    return result;
  }
  result.rows = double(rows);
  result.cols = double(cols);
  result.group_size = double(group);
  const bool simd = input.simd && simd::kSimd;
  result.kernel = simd ? "simd" : "scalar";

  const std::vector<float> w = synthetic_tensor("normal", rows * cols, cols, uint64_t(input.seed));
  const std::vector<float> x = synthetic_tensor("normal", cols, cols, uint64_t(input.seed) + 1);
  std::vector<double> reference(rows);  // fp64 product with the fp32 weights
  for (size_t r = 0; r < rows; r++) {
    double sum = 0;
    for (size_t c = 0; c < cols; c++) sum += double(w[r * cols + c]) * double(x[c]);
    reference[r] = sum;
  }
  const size_t group_count = rows * cols / group;
  std::vector<int8_t> codes8(rows * cols), codes4(rows * cols), x_codes(cols);
  std::vector<float> scales8(group_count), scales4(group_count), x_scales(cols / group);
  std::vector<uint8_t> packed4(rows * cols / 2);
  quantize_sym(w.data(), rows * cols, group, 127, nullptr, codes8.data(), scales8.data());
  quantize_sym(w.data(), rows * cols, group, 7, nullptr, codes4.data(), scales4.data());
  pack_int4(codes4.data(), rows * cols, packed4.data());
  std::vector<float> y(rows);

  // call(r, c) runs the kernel over the top-left r × c of W (c a multiple of
  // group). One group of one row at a time warms it up to the engine's
  // optimizing tier first (core/warm_up.hpp).
  auto measure = [&](const std::string& name, double weight_bytes, auto&& call) {
    warm_up(
        "gemv " + name + " " + result.kernel, [&] { call(1, group); }, double(group));
    GemvKernelResult row;
    row.kernel = name;
    row.weight_bytes = weight_bytes;
    row.bits_per_weight = weight_bytes * 8 / weights;
    // The fastest batch: on a shared machine the mean mostly measures the neighbours.
    row.seconds_per_call = fastest_call_seconds([&] { call(rows, cols); }, input.min_time_s, row.calls);
    row.gb_per_s = weight_bytes / row.seconds_per_call / 1e9;
    double noise = 0, signal = 0, dot = 0, norm_y = 0;
    for (size_t r = 0; r < rows; r++) {
      const double error = double(y[r]) - reference[r];
      row.max_abs_error = std::max(row.max_abs_error, std::fabs(error));
      noise += error * error;
      signal += reference[r] * reference[r];
      dot += reference[r] * double(y[r]);
      norm_y += double(y[r]) * double(y[r]);
    }
    row.rel_rmse = signal > 0 ? std::sqrt(noise / signal) : 0;
    row.cosine = signal > 0 && norm_y > 0 ? dot / std::sqrt(signal * norm_y) : 1;
    result.kernels.push_back(row);
  };
  const double scale_bytes = double(group_count) * 4;
  measure("f32", weights * 4, [&](size_t row_count, size_t col_count) {
    if (simd) return gemv_f32<simd::Active>(w.data(), x.data(), row_count, col_count, y.data());
    gemv_f32<simd::Scalar>(w.data(), x.data(), row_count, col_count, y.data());
  });
  measure("int8", weights + scale_bytes, [&](size_t row_count, size_t col_count) {
    if (simd)
      return gemv_q8<simd::Active>(codes8.data(), scales8.data(), x.data(), row_count, col_count, group, y.data());
    gemv_q8<simd::Scalar>(codes8.data(), scales8.data(), x.data(), row_count, col_count, group, y.data());
  });
  measure("int4", weights / 2 + scale_bytes, [&](size_t row_count, size_t col_count) {
    if (simd)
      return gemv_q4<simd::Active>(packed4.data(), scales4.data(), x.data(), row_count, col_count, group, y.data());
    gemv_q4<simd::Scalar>(packed4.data(), scales4.data(), x.data(), row_count, col_count, group, y.data());
  });
  // int8 × int8: x is quantized per group in each call (part of the decode step).
  measure("int8x8", weights + scale_bytes, [&](size_t row_count, size_t col_count) {
    if (simd) {
      quantize_sym<simd::Active>(x.data(), col_count, group, 127, nullptr, x_codes.data(), x_scales.data());
      return gemv_q8q8<simd::Active>(codes8.data(), scales8.data(), x_codes.data(), x_scales.data(), row_count,
                                     col_count, group, y.data());
    }
    quantize_sym<simd::Scalar>(x.data(), col_count, group, 127, nullptr, x_codes.data(), x_scales.data());
    gemv_q8q8<simd::Scalar>(codes8.data(), scales8.data(), x_codes.data(), x_scales.data(), row_count, col_count, group,
                            y.data());
  });
  // int4 × int8: the same per-call quantization of x, int4 weights.
  measure("int4x8", weights / 2 + scale_bytes, [&](size_t row_count, size_t col_count) {
    if (simd) {
      quantize_sym<simd::Active>(x.data(), col_count, group, 127, nullptr, x_codes.data(), x_scales.data());
      return gemv_q4q8<simd::Active>(packed4.data(), scales4.data(), x_codes.data(), x_scales.data(), row_count,
                                     col_count, group, y.data());
    }
    quantize_sym<simd::Scalar>(x.data(), col_count, group, 127, nullptr, x_codes.data(), x_scales.data());
    gemv_q4q8<simd::Scalar>(packed4.data(), scales4.data(), x_codes.data(), x_scales.data(), row_count, col_count,
                            group, y.data());
  });
  return result;
}

QuantBenchResult run_quant_bench(const QuantBenchInput& input) {
  QuantBenchResult result;
  result.status =
      first_error(check_integer("n", input.n, 1, 1e9), check_integer("group_size", input.group_size, 1, 1e9),
                  check_real("min_time_s", input.min_time_s, 0, 60));
  const std::string& k = input.kernel;
  static const std::vector<std::string> kernels = {"quantize_int8",      "quantize_int4", "quantize_int8_asym",
                                                   "quantize_int4_asym", "quantize_nf4",  "quantize_q4_1",
                                                   "dequantize_int8",    "dequantize_nf4"};
  if (result.status.ok && std::find(kernels.begin(), kernels.end(), k) == kernels.end()) {
    std::string list;
    for (const std::string& name : kernels) list += (list.empty() ? "" : ", ") + name;
    result.status = error_status("kernel", "kernel = " + quoted(k) + " must be one of " + list);
  }
  if (!result.status.ok) return result;
  const size_t n = size_t(input.n), group = size_t(input.group_size);
  // Scales and mins per group, or per ggml block of 32 for quantize_q4_1.
  const size_t scale_count = (n + std::min<size_t>(group, 32) - 1) / std::min<size_t>(group, 32);
  // x and restored (fp32), codes (1 B) and scales + mins (fp32 each).
  result.status = budget_check(double(n) * 9 + double(scale_count) * 8, "this benchmark");
  if (!result.status.ok) return result;
  const std::vector<float> x = synthetic_tensor("normal", n, n, 1);
  std::vector<int8_t> codes(n);
  std::vector<float> scales(scale_count), mins(scale_count), restored(n);
  auto* unsigned_codes = reinterpret_cast<uint8_t*>(codes.data());
  const int qmax = k == "quantize_int4" ? 7 : k == "quantize_int8_asym" ? 255 : k == "quantize_int4_asym" ? 15 : 127;
  const bool simd = input.simd && simd::kSimd;
  result.kernel = input.kernel;
  result.isa = simd ? "simd" : "scalar";
  result.n = double(n);
  if (k == "dequantize_nf4")
    quantize_nf4<simd::Scalar>(x.data(), n, group, nullptr, unsigned_codes, scales.data());
  else
    quantize_sym<simd::Scalar>(x.data(), n, group, qmax, nullptr, codes.data(), scales.data());
  // call(m) runs the kernel over the first m values; warmed up on one group first (core/warm_up.hpp).
  auto call = [&](size_t m) {
    if (input.kernel == "dequantize_int8") {
      if (simd) return dequantize_sym<simd::Active>(codes.data(), scales.data(), m, group, restored.data());
      return dequantize_sym<simd::Scalar>(codes.data(), scales.data(), m, group, restored.data());
    }
    if (k == "quantize_int8_asym" || k == "quantize_int4_asym") {
      if (simd)
        return quantize_asym<simd::Active>(x.data(), m, group, qmax, nullptr, unsigned_codes, scales.data(),
                                           mins.data());
      return quantize_asym<simd::Scalar>(x.data(), m, group, qmax, nullptr, unsigned_codes, scales.data(), mins.data());
    }
    if (k == "dequantize_nf4") {
      if (simd) return dequantize_nf4<simd::Active>(unsigned_codes, scales.data(), m, group, restored.data());
      return dequantize_nf4<simd::Scalar>(unsigned_codes, scales.data(), m, group, restored.data());
    }
    if (k == "quantize_q4_1") {  // ggml blocks of 32 whatever group_size says
      if (simd) return quantize_ggml_asym<simd::Active>(x.data(), m, 16, unsigned_codes, scales.data(), mins.data());
      return quantize_ggml_asym<simd::Scalar>(x.data(), m, 16, unsigned_codes, scales.data(), mins.data());
    }
    if (k == "quantize_nf4") {
      if (simd) return quantize_nf4<simd::Active>(x.data(), m, group, nullptr, unsigned_codes, scales.data());
      return quantize_nf4<simd::Scalar>(x.data(), m, group, nullptr, unsigned_codes, scales.data());
    }
    if (simd) return quantize_sym<simd::Active>(x.data(), m, group, qmax, nullptr, codes.data(), scales.data());
    quantize_sym<simd::Scalar>(x.data(), m, group, qmax, nullptr, codes.data(), scales.data());
  };
  const size_t warm_n = std::min<size_t>(n, 256);
  warm_up(
      "quant bench " + k + " " + result.isa, [&] { call(warm_n); }, double(warm_n));
  const double fastest = fastest_call_seconds([&] { call(n); }, input.min_time_s, result.calls);
  result.seconds = fastest;
  result.elements_per_s = double(n) / fastest;
  result.checksum = double(codes[n / 2]) + double(scales[0]) + double(restored[n / 3]);
  return result;
}

}  // namespace llmst

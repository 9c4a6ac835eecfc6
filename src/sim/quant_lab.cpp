#include "sim/quant_lab.hpp"

#include <algorithm>
#include <cmath>

#include "core/aligned_vector.hpp"
#include "core/validate.hpp"
#include "core/warm_up.hpp"
#include "quant/formats.hpp"
#include "quant/kernels.hpp"
#include "quant/kquants.hpp"
#include "quant/metrics.hpp"
#include "quant/microscaling.hpp"
#include "quant/minifloat.hpp"
#include "sim/output_hash.hpp"
#include "sim/random.hpp"
#include "sim/timing_stats.hpp"

namespace llmst {

using namespace quant;

namespace {

// A timed sample of a kernel: a batch of calls sized to last min_time_s / runs
// and at least 2 ms (above a browser's coarse clock, 0.1–1 ms there).
double min_sample_seconds(double min_time_s, double runs) { return std::max(0.002, min_time_s / runs); }

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

// One quantize → dequantize pass of the lab over x (n values) into restored,
// with the storage the caller allocated for the format (storage_bytes).
struct LabPass {
  const QuantFormatInfo& format;
  const float* x;
  size_t n, group, groups, row_length;
  const MiniFloat* scale_format;  // grouped formats: the scale dtype (null: fp32)
  bool double_quant;
  int8_t* codes;   // n bytes, unless the format keeps its own blocks
  float* scales;   // one per group (FP8 block: per tile)
  float* mins;     // one per group (ggml's Q4_1/Q5_1: a float min)
  uint8_t* zeros;  // one per group (int4/int8 asymmetric: an integer zero point)
  float* restored;
  uint8_t* unsigned_codes() const { return reinterpret_cast<uint8_t*>(codes); }
};

// Each pass is written once over the instruction set (quant/kernels.hpp);
// parameters come from the format table: qmax and ggml's levels from the
// code bits, blocks from the block size.
int symmetric_qmax(const QuantFormatInfo& format) { return (1 << (int(format.code_bits) - 1)) - 1; }  // 127, 7
int asymmetric_qmax(const QuantFormatInfo& format) { return (1 << int(format.code_bits)) - 1; }       // 255, 15

void cast_pass(const LabPass& p) {
  const MiniFloat& cast = *cast_format_of(p.format.id);
  for (size_t i = 0; i < p.n; i++) p.restored[i] = round_to(cast, p.x[i]);
}
void copy_pass(const LabPass& p) { std::copy(p.x, p.x + p.n, p.restored); }

template <class Isa>
void symmetric_pass(const LabPass& p) {
  quantize_sym<Isa>(p.x, p.n, p.group, symmetric_qmax(p.format), p.scale_format, p.codes, p.scales);
  if (p.double_quant) double_quantize_scales(p.scales, p.groups);
  dequantize_sym<Isa>(p.codes, p.scales, p.n, p.group, p.restored);
}
template <class Isa>
void asymmetric_pass(const LabPass& p) {
  quantize_asym<Isa>(p.x, p.n, p.group, asymmetric_qmax(p.format), p.scale_format, p.unsigned_codes(), p.scales,
                     p.zeros);
  if (p.double_quant) double_quantize_scales(p.scales, p.groups);  // zero points stay b-bit integers
  dequantize_zero_point<Isa>(p.unsigned_codes(), p.scales, p.zeros, p.n, p.group, p.restored);
}
template <class Isa>
void nf4_pass(const LabPass& p) {
  quantize_nf4<Isa>(p.x, p.n, p.group, p.scale_format, p.unsigned_codes(), p.scales);
  if (p.double_quant) double_quantize_scales(p.scales, p.groups);
  dequantize_nf4<Isa>(p.unsigned_codes(), p.scales, p.n, p.group, p.restored);
}
template <class Isa>
void ggml_symmetric_pass(const LabPass& p) {  // Q4_0, Q5_0, Q8_0: 16, 32, 256 levels
  quantize_ggml_sym<Isa>(p.x, p.n, 1 << int(p.format.code_bits), p.codes, p.scales);
  dequantize_sym<Isa>(p.codes, p.scales, p.n, p.group, p.restored);
}
template <class Isa>
void ggml_asymmetric_pass(const LabPass& p) {  // Q4_1, Q5_1: 16, 32 levels
  quantize_ggml_asym<Isa>(p.x, p.n, 1 << int(p.format.code_bits), p.unsigned_codes(), p.scales, p.mins);
  dequantize_asym<Isa>(p.unsigned_codes(), p.scales, p.mins, p.n, p.group, p.restored);
}
void kquant_pass(const LabPass& p) {  // scalar only: ggml's reference search has no SIMD twin here
  KQuant type = KQuant::q4_k;
  find_kquant(p.format.id, type);
  std::vector<KQuantBlock> blocks(p.groups);
  quantize_kquant(type, p.x, p.n, blocks.data());
  dequantize_kquant(type, blocks.data(), p.n, p.restored);
}
template <class Isa>
void mxfp4_pass(const LabPass& p) {
  std::vector<BlockMxfp4> blocks(p.groups);
  quantize_mxfp4<Isa>(p.x, p.n, blocks.data());
  dequantize_mxfp4<Isa>(blocks.data(), p.n, p.restored);
}
template <class Isa>
void nvfp4_pass(const LabPass& p) {
  std::vector<BlockNvfp4> blocks(p.groups);
  const float tensor_scale = nvfp4_tensor_scale(p.x, p.n);
  quantize_nvfp4<Isa>(p.x, p.n, tensor_scale, blocks.data());
  dequantize_nvfp4<Isa>(blocks.data(), p.n, tensor_scale, p.restored);
}
void fp8_block_pass(const LabPass& p) {  // scalar only: round_to per element
  quantize_fp8_block(p.x, p.n, p.row_length, p.unsigned_codes(), p.scales);
  dequantize_fp8_block(p.unsigned_codes(), p.scales, p.n, p.row_length, p.restored);
}

// Working memory besides x and x̂: codes (1 byte) and a scale and min per
// group (8 bytes: at worst 2 floats per weight at group 1), or a scale and an
// integer zero point (5 bytes); k-quants, MXFP4 and NVFP4 keep their own
// blocks; FP8 block a byte per weight and an fp32 per tile.
enum class Storage {
  none,
  codes_scales_mins,
  codes_scales_zeros,
  kquant_blocks,
  mxfp4_blocks,
  nvfp4_blocks,
  fp8_tiles
};

double storage_bytes(Storage storage, size_t n, size_t groups, size_t row_length) {
  switch (storage) {
    case Storage::none:
      return 0;
    case Storage::codes_scales_mins:
      return double(n) + double(groups) * 8;
    case Storage::codes_scales_zeros:
      return double(n) + double(groups) * 5;
    case Storage::kquant_blocks:
      return double(groups) * double(sizeof(KQuantBlock));
    case Storage::mxfp4_blocks:
      return double(groups) * double(sizeof(BlockMxfp4));
    case Storage::nvfp4_blocks:
      return double(groups) * double(sizeof(BlockNvfp4));
    case Storage::fp8_tiles:
      return double(n) + double(fp8_block_scale_count(n, row_length)) * 4;
  }
  return 0;
}

// Every format the lab measures: its scalar pass, its SIMD pass (null: none,
// the scalar one runs), the storage it needs, and what it does with NaN / ±Inf.
struct LabFormat {
  std::string_view id;
  void (*scalar)(const LabPass&);
  void (*simd)(const LabPass&);
  Storage storage;
  const char* nonfinite_behaviour;
};

constexpr const char* kKeptNonfinite = "NaN and ±Inf are kept";
constexpr const char* kKQuantWithMin =
    "replaced per sub-block before the search: NaN → the sub-block's finite min; +Inf → its max; -Inf → its min "
    "(ggml's reference has no guard: one Inf makes its super-block all NaN)";
constexpr const char* kKQuantSigned =
    "replaced per sub-block before the search: NaN → 0; ±Inf → ± the sub-block's largest finite magnitude (ggml's "
    "reference has no guard: one Inf makes its super-block all NaN)";
constexpr const char* kGroupSym = "scale from finite values; NaN → code 0; ±Inf → ±qmax (the group's extreme)";
constexpr const char* kGroupAsym =
    "range from the finite values and 0; NaN → the zero point (0.0); +Inf → the top code; -Inf → code 0";
constexpr const char* kGgmlSym = "scale from finite values; NaN → 0; ±Inf → the block's extreme codes";
constexpr const char* kGgmlAsym = "min/max from finite values; NaN → the min; ±Inf → the block's max / min";

constexpr LabFormat kLabFormats[] = {
    {"fp32", copy_pass, nullptr, Storage::none, kKeptNonfinite},
    {"fp16", cast_pass, nullptr, Storage::none, kKeptNonfinite},
    {"bf16", cast_pass, nullptr, Storage::none, kKeptNonfinite},
    {"fp8_e4m3", cast_pass, nullptr, Storage::none, "NaN stays NaN; ±Inf saturates to ±448 (E4M3 has no Inf)"},
    {"fp8_e5m2", cast_pass, nullptr, Storage::none, kKeptNonfinite},
    {"int8", symmetric_pass<simd::Scalar>, symmetric_pass<simd::Active>, Storage::codes_scales_mins, kGroupSym},
    {"int4", symmetric_pass<simd::Scalar>, symmetric_pass<simd::Active>, Storage::codes_scales_mins, kGroupSym},
    {"int8_asym", asymmetric_pass<simd::Scalar>, asymmetric_pass<simd::Active>, Storage::codes_scales_zeros,
     kGroupAsym},
    {"int4_asym", asymmetric_pass<simd::Scalar>, asymmetric_pass<simd::Active>, Storage::codes_scales_zeros,
     kGroupAsym},
    {"nf4", nf4_pass<simd::Scalar>, nf4_pass<simd::Active>, Storage::codes_scales_mins,
     "absmax from finite values; NaN → level 0.0; ±Inf → ±absmax"},
    {"q4_0", ggml_symmetric_pass<simd::Scalar>, ggml_symmetric_pass<simd::Active>, Storage::codes_scales_mins,
     kGgmlSym},
    {"q5_0", ggml_symmetric_pass<simd::Scalar>, ggml_symmetric_pass<simd::Active>, Storage::codes_scales_mins,
     kGgmlSym},
    {"q8_0", ggml_symmetric_pass<simd::Scalar>, ggml_symmetric_pass<simd::Active>, Storage::codes_scales_mins,
     kGgmlSym},
    {"q4_1", ggml_asymmetric_pass<simd::Scalar>, ggml_asymmetric_pass<simd::Active>, Storage::codes_scales_mins,
     kGgmlAsym},
    {"q5_1", ggml_asymmetric_pass<simd::Scalar>, ggml_asymmetric_pass<simd::Active>, Storage::codes_scales_mins,
     kGgmlAsym},
    {"q2_k", kquant_pass, nullptr, Storage::kquant_blocks, kKQuantWithMin},
    {"q3_k", kquant_pass, nullptr, Storage::kquant_blocks, kKQuantSigned},
    {"q4_k", kquant_pass, nullptr, Storage::kquant_blocks, kKQuantWithMin},
    {"q5_k", kquant_pass, nullptr, Storage::kquant_blocks, kKQuantWithMin},
    {"q6_k", kquant_pass, nullptr, Storage::kquant_blocks, kKQuantSigned},
    {"fp8_block", fp8_block_pass, nullptr, Storage::fp8_tiles,
     "tile scale from finite values; NaN stays NaN (E4M3 NaN); ±Inf saturates to ±448·scale (± the tile's absmax)"},
    {"mxfp4", mxfp4_pass<simd::Scalar>, mxfp4_pass<simd::Active>, Storage::mxfp4_blocks,
     "E8M0 scale from the block's finite values; NaN → +0 (E2M1 has no NaN); ±Inf → ±6·scale (saturated). "
     "(The OCP spec's NaN scale 0xFF, which would make the whole block NaN, is not used.)"},
    {"nvfp4", nvfp4_pass<simd::Scalar>, nvfp4_pass<simd::Active>, Storage::nvfp4_blocks,
     "tensor and E4M3 block scales from finite values; NaN → +0 (E2M1 has no NaN); ±Inf → ±6·block scale "
     "(saturated)"},
};

const LabFormat* find_lab_format(std::string_view id) {
  for (const LabFormat& format : kLabFormats)
    if (format.id == id) return &format;
  return nullptr;
}

}  // namespace

void fill_synthetic_slice(const std::string& dist, size_t n, size_t row_length, uint64_t seed, size_t begin, float* x,
                          size_t count) {
  if (dist == "laplace") {  // unit variance: b = 1/√2, inverse CDF; one draw per value
    const double b = 1 / std::sqrt(2.0);
    sim::Random random(seed);
    random.skip(begin);
    for (size_t i = 0; i < count; i++) {
      const double u = random.uniform() - 0.5;
      x[i] = float(-b * (u < 0 ? -1 : 1) * std::log(1 - 2 * std::fabs(u)));
    }
    return;
  }
  sim::Random random = sim::normals_from(seed, begin);
  for (size_t i = 0; i < count; i++) x[i] = float(random.normal());  // Box–Muller pairs: cos, then sin
  if (dist == "llm") {
    // A few outlier channels: 0.5 % of the columns (at least one) 20× larger,
    // the magnitude LLM.int8 reports for outlier features (Dettmers et al. 2022, §3).
    // They are drawn after all n normals (two draws per pair).
    sim::Random after(seed);
    after.skip(2 * ((uint64_t(n) + 1) / 2));
    const size_t columns = std::max<size_t>(1, std::min(n, row_length));
    const size_t outliers = std::max<size_t>(1, columns / 200);
    std::vector<bool> is_outlier(columns, false);
    for (size_t k = 0; k < outliers; k++) is_outlier[after.next_u64() % columns] = true;
    for (size_t i = 0; i < count; i++)
      if (is_outlier[(begin + i) % columns]) x[i] *= 20;
  }
}

void fill_synthetic_tensor(const std::string& dist, size_t row_length, uint64_t seed, float* x, size_t n) {
  fill_synthetic_slice(dist, n, row_length, seed, 0, x, n);
}

std::vector<float> synthetic_slice(const std::string& dist, size_t n, size_t row_length, uint64_t seed, size_t begin,
                                   size_t end) {
  std::vector<float> x(end - begin);
  fill_synthetic_slice(dist, n, row_length, seed, begin, x.data(), x.size());
  return x;
}

std::vector<float> synthetic_tensor(const std::string& dist, size_t n, size_t row_length, uint64_t seed) {
  return synthetic_slice(dist, n, row_length, seed, 0, n);
}

namespace {

// Weights per scale: the block of a fixed-block format, else the layout's group (n: one scale, or none).
size_t lab_group(const QuantFormatInfo& format, const QuantLabInput& input, size_t n) {
  return format.block_size > 0       ? size_t(format.block_size)
         : !format.grouped           ? n
         : input.layout == "tensor"  ? n
         : input.layout == "channel" ? size_t(input.channel_size)
                                     : size_t(input.group_size);
}

// Chunks of a valid input whose format is in the lab (see quant_lab_chunks).
size_t lab_chunks(const QuantFormatInfo& format, const LabFormat& lab, const QuantLabInput& input) {
  const size_t n = size_t(input.n), chunk = size_t(kQuantLabChunkValues);
  const size_t chunks = (n + chunk - 1) / chunk;
  const size_t group = lab_group(format, input, n);
  const bool casts = lab.storage == Storage::none;  // one value at a time
  const bool local = casts || (lab.storage == Storage::fp8_tiles
                                   ? chunk % (kFp8BlockTile * size_t(input.channel_size)) == 0
                                   : lab.storage != Storage::nvfp4_blocks && !input.double_quant && chunk % group == 0);
  return local ? chunks : 1;
}

Status check_quant_lab_input(const QuantLabInput& input, const BitsPerWeight& bits) {
  Status status = first_error(
      bits.status, check_integer("n", input.n, 1, 1e10), check_integer("channel_size", input.channel_size, 1),
      check_integer("seed", input.seed, 0, 9007199254740992.0),
      check_integer("histogram_bins", input.histogram_bins, 1, 1000), sim::check_runs(input.runs));
  if (status.ok && input.dist != "normal" && input.dist != "laplace" && input.dist != "llm")
    status = error_status("dist", "dist = " + quoted(input.dist) + " must be normal, laplace or llm");
  return status;
}

QuantSpec spec_of(const QuantLabInput& input) {
  QuantSpec spec;
  spec.format = input.format;
  spec.layout = input.layout;
  spec.group_size = input.group_size;
  spec.channel_size = input.channel_size;
  spec.scale_dtype = input.scale_dtype;
  spec.double_quant = input.double_quant;
  return spec;
}

}  // namespace

double quant_lab_chunks(const QuantLabInput& input) {
  if (!check_quant_lab_input(input, bits_per_weight(spec_of(input))).ok) return 1;
  const QuantFormatInfo& format = *find_quant_format(input.format);
  const LabFormat* lab = find_lab_format(format.id);
  return lab ? double(lab_chunks(format, *lab, input)) : 1;
}

QuantLabResult run_quant_lab(const QuantLabInput& input) {
  QuantLabResult result;
  const BitsPerWeight bits = bits_per_weight(spec_of(input));
  result.status = check_quant_lab_input(input, bits);
  if (!result.status.ok) return result;
  const QuantFormatInfo& format = *find_quant_format(input.format);
  const LabFormat* lab = find_lab_format(format.id);
  if (!lab) {
    result.status =
        error_status("format", "format = " + quoted(format.id) + " has sizes only: the lab has no kernel for it");
    return result;
  }
  const size_t chunks = lab_chunks(format, *lab, input);
  result.status = check_slice("chunk", input.chunk_begin, input.chunk_end, double(chunks), "to the end");
  if (!result.status.ok) {
    result.status.message += " (this run splits into " + format_number(double(chunks)) + " chunks of " +
                             format_number(kQuantLabChunkValues) + " values; 1 when a scale reaches across chunks)";
    return result;
  }
  // One chunk: the whole tensor (a format that does not split, or n ≤ a chunk).
  const size_t total = size_t(input.n), chunk = chunks > 1 ? size_t(kQuantLabChunkValues) : total;
  const size_t chunk_begin = size_t(input.chunk_begin);
  const size_t chunk_end = input.chunk_end == 0 ? chunks : size_t(input.chunk_end);
  const size_t begin = chunk_begin * chunk, end = std::min(total, chunk_end * chunk);
  const size_t n = end - begin;  // the values this run computes
  const size_t row_length = size_t(input.channel_size);
  const size_t group = lab_group(format, input, total);
  const size_t groups = (n + group - 1) / group;
  result.bytes_needed = double(n) * 8 + storage_bytes(lab->storage, n, groups, row_length);  // + x and x̂
  result.status = budget_check(result.bytes_needed, "this lab run");
  if (!result.status.ok) return result;

  result.format = format.id;
  result.dist = input.dist;
  result.n = double(total);
  result.chunks_run = double(chunk_end - chunk_begin);
  result.group_size = format.grouped || format.block_size > 0 ? double(group) : 0;
  result.bits_per_weight = bits.bits_per_weight;
  std::vector<float> x = synthetic_slice(input.dist, total, row_length, uint64_t(input.seed), begin, end);
  if (input.inject_nonfinite) {  // x[0] = NaN, x[1] = +Inf, x[2] = -Inf of the whole tensor
    const float injected[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = begin; i < std::min<size_t>(end, 3); i++) x[i - begin] = injected[i];
  }
  std::vector<float> restored(n);
  const bool with_zeros = lab->storage == Storage::codes_scales_zeros;
  const bool flat = with_zeros || lab->storage == Storage::codes_scales_mins || lab->storage == Storage::fp8_tiles;
  const size_t scale_count = lab->storage == Storage::fp8_tiles ? fp8_block_scale_count(n, row_length) : groups;
  std::vector<float> scales(flat ? scale_count : 0), mins(lab->storage == Storage::codes_scales_mins ? groups : 0);
  std::vector<uint8_t> zeros(with_zeros ? groups : 0);
  std::vector<int8_t> codes(flat ? n : 0);
  const bool simd = input.simd && simd::kSimd && lab->simd;
  result.kernel = simd ? "simd" : "scalar";
  result.nonfinite_behaviour = lab->nonfinite_behaviour;
  const LabPass pass{format,
                     x.data(),
                     n,
                     group,
                     groups,
                     row_length,
                     scale_format_of(input.scale_dtype),
                     input.double_quant,
                     codes.data(),
                     scales.data(),
                     mins.data(),
                     zeros.data(),
                     restored.data()};
  // One untimed pass, then `runs` timed ones: each pass writes the same codes,
  // scales and restored values from x, so the metrics below read the last.
  result.quantize_time = sim::time_runs([&] { (simd ? lab->simd : lab->scalar)(pass); }, input.runs, 0);
  result.quantize_s = result.quantize_time.median_s;
  const ErrorMetrics metrics = error_metrics(x.data(), restored.data(), n, size_t(input.histogram_bins), chunk);
  result.rel_rmse = metrics.rel_rmse;
  result.snr_db = metrics.snr_db;
  result.cosine = metrics.cosine;
  result.rmse = metrics.rmse;
  result.max_abs_error = metrics.max_abs_error;
  result.mean_abs_error = metrics.mean_abs_error;
  result.nonfinite_inputs = metrics.nonfinite;
  result.histogram_edges = metrics.histogram_edges;
  result.histogram_counts = metrics.histogram_counts;
  for (size_t start = 0; start < n; start += chunk) {
    const size_t count = std::min(chunk, n - start);
    result.chunk_hashes.push_back(sim::fnv1a_hash(restored.data() + start, count));
    if (input.chunk_end == 0) continue;
    const ErrorSums s = error_sums(x.data() + start, restored.data() + start, count);
    result.chunk_sums.insert(result.chunk_sums.end(), {s.count, s.nonfinite, s.signal, s.noise, s.dot,
                                                       s.reconstructed_norm, s.abs_sum, s.max_abs_error});
  }
  return result;
}

QuantGemvResult run_quant_gemv(const QuantGemvInput& input) {
  QuantGemvResult result;
  result.status = first_error(check_integer("rows", input.rows, 1, 1e6), check_integer("cols", input.cols, 32, 1e6),
                              check_integer("group_size", input.group_size, 32, 1e6),
                              check_integer("seed", input.seed, 0, 9007199254740992.0),
                              check_real("min_time_s", input.min_time_s, 0, 60), sim::check_runs(input.runs));
  if (!result.status.ok) return result;
  const size_t cols = size_t(input.cols), group = size_t(input.group_size);
  if (group % 32 != 0)
    result.status = error_status("group_size", "group_size = " + format_number(input.group_size) +
                                                   " must be a multiple of 32 for the GEMV kernels");
  else if (cols % group != 0)
    result.status = error_status("cols", "cols = " + format_number(input.cols) +
                                             " must be a multiple of group_size = " + format_number(input.group_size));
  if (!result.status.ok) return result;
  result.status = check_slice("row", input.row_begin, input.row_end, input.rows, "to the last row");
  if (!result.status.ok) return result;
  const size_t row_begin = size_t(input.row_begin);
  const size_t rows = (input.row_end == 0 ? size_t(input.rows) : size_t(input.row_end)) - row_begin;  // rows run
  const double weights = double(rows) * double(cols);
  const double groups = weights / double(group);
  // fp32 W, int8 codes, packed int4, two scale arrays, x and its codes, outputs
  result.bytes_needed = weights * (4 + 1 + 0.5) + groups * 4 * 2 + double(cols) * 5 + double(rows) * 4 * 5;
  result.status = budget_check(result.bytes_needed, "this GEMV");
  if (!result.status.ok) {
    result.status.field = "rows";
    return result;
  }
  result.rows = input.rows;
  result.rows_run = double(rows);
  result.cols = double(cols);
  result.group_size = double(group);
  const bool simd = input.simd && simd::kSimd;
  result.kernel = simd ? "simd" : "scalar";

  // Every buffer the kernels touch starts on a cache line, natively and in WASM (core/aligned_vector.hpp).
  // W: the rows run of the whole run's W (one normal stream, row-major); x: the whole x.
  AlignedVector<float> w(rows * cols), x(cols);
  fill_synthetic_slice("normal", size_t(input.rows) * cols, cols, uint64_t(input.seed), row_begin * cols, w.data(),
                       w.size());
  fill_synthetic_tensor("normal", cols, uint64_t(input.seed) + 1, x.data(), x.size());
  std::vector<double> reference(rows);  // fp64 product with the fp32 weights
  for (size_t r = 0; r < rows; r++) {
    double sum = 0;
    for (size_t c = 0; c < cols; c++) sum += double(w[r * cols + c]) * double(x[c]);
    reference[r] = sum;
  }
  const size_t group_count = rows * cols / group;
  AlignedVector<int8_t> codes8(rows * cols), codes4(rows * cols), x_codes(cols);
  AlignedVector<float> scales8(group_count), scales4(group_count), x_scales(cols / group);
  AlignedVector<uint8_t> packed4(rows * cols / 2);
  quantize_sym(w.data(), rows * cols, group, 127, nullptr, codes8.data(), scales8.data());
  quantize_sym(w.data(), rows * cols, group, 7, nullptr, codes4.data(), scales4.data());
  pack_int4(codes4.data(), rows * cols, packed4.data());
  AlignedVector<float> y(rows);

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
    row.time = sim::time_runs([&] { call(rows, cols); }, input.runs, min_sample_seconds(input.min_time_s, input.runs),
                              &row.calls);
    row.seconds_per_call = row.time.median_s;
    row.gb_per_s = weight_bytes / row.seconds_per_call / 1e9;
    row.flops = 2 * weights;
    row.intensity = row.flops / weight_bytes;
    row.flops_per_s = row.seconds_per_call > 0 ? row.flops / row.seconds_per_call : 0;
    double noise = 0, signal = 0, dot = 0, norm_y = 0;
    uint32_t hash = 0;
    for (size_t r = 0; r < rows; r++) {
      const double error = double(y[r]) - reference[r];
      const double terms[] = {error * error, reference[r] * reference[r], reference[r] * double(y[r]),
                              double(y[r]) * double(y[r])};
      row.max_abs_error = std::max(row.max_abs_error, std::fabs(error));
      noise += terms[0];
      signal += terms[1];
      dot += terms[2];
      norm_y += terms[3];
      if (input.row_end != 0) row.error_terms.insert(row.error_terms.end(), std::begin(terms), std::end(terms));
      const uint64_t index = row_begin + r;
      hash ^= sim::fnv1a_update(sim::fnv1a_bytes(sim::kFnvOffset, &index, sizeof index), &y[r], 1);
    }
    row.output_hash = double(hash);
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
                  check_real("min_time_s", input.min_time_s, 0, 60), sim::check_runs(input.runs));
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
  AlignedVector<float> x(n);  // cache-line-aligned buffers, as in run_quant_gemv
  fill_synthetic_tensor("normal", n, 1, x.data(), n);
  AlignedVector<int8_t> codes(n);
  AlignedVector<float> scales(scale_count), mins(scale_count), restored(n);
  AlignedVector<uint8_t> zeros(scale_count);
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
                                           zeros.data());
      return quantize_asym<simd::Scalar>(x.data(), m, group, qmax, nullptr, unsigned_codes, scales.data(),
                                         zeros.data());
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
  result.time =
      sim::time_runs([&] { call(n); }, input.runs, min_sample_seconds(input.min_time_s, input.runs), &result.calls);
  result.seconds = result.time.median_s;
  result.elements_per_s = double(n) / result.seconds;
  result.checksum = double(codes[n / 2]) + double(scales[0]) + double(restored[n / 3]);
  return result;
}

}  // namespace llmst

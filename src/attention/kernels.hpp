// Attention kernels for one head, causal, fp32, scale 1/√d (Vaswani et al. 2017).
// Flat functions over pointers and sizes; no configs. Each is a template over
// the primitive set (simd::Active or its scalar twin simd::Scalar), and each
// has an fp64 reference beside it that tests and runners compare against.
//
// Shapes (row-major, one head): q, k, v, out are (n, d).
#pragma once
#include <cstddef>

#include "simd/simd.hpp"

namespace llmst::attention {

// Tile of the online-softmax kernel: queries per block, keys per block.
inline constexpr std::size_t kTileQueries = 32;
inline constexpr std::size_t kTileKeys = 64;

// Floats of workspace each kernel needs (the runner allocates and tracks it).
inline std::size_t naive_workspace_floats(std::size_t n) { return n * n; }  // the n×n scores
inline std::size_t tiled_workspace_floats() { return kTileKeys + 2 * kTileQueries; }
inline std::size_t decode_workspace_floats(std::size_t keys) { return keys; }

// Standard attention: materialise the scores. scores is (n, n) workspace.
// pass 1: S = q kᵀ/√d (lower triangle), pass 2: row softmax, pass 3: out = S v.
template <class Ops = simd::Active>
void attention_naive(const float* q, const float* k, const float* v, float* out, float* scores, std::size_t n,
                     std::size_t d);

// FlashAttention forward (Dao et al. 2022, Alg. 1) with a causal mask: for each
// block of kTileQueries queries, stream key/value blocks of kTileKeys, keep a
// running max m and sum l per query, rescale the partial output by
// exp(m_old − m_new). workspace holds tiled_workspace_floats() floats.
template <class Ops = simd::Active>
void attention_tiled(const float* q, const float* k, const float* v, float* out, float* workspace, std::size_t n,
                     std::size_t d);

// One decode step: q_t is (d); k, v hold `keys` rows of d floats, row j at
// k + j·kv_stride (a head's slice of a wider cache). scores has `keys` floats.
template <class Ops = simd::Active>
void attention_decode(const float* q_t, const float* k, const float* v, std::size_t keys, std::size_t d,
                      std::size_t kv_stride, float* out_t, float* scores);

// One decode step for `queries` query heads sharing one KV head (GQA, Ainslie
// et al. 2023): q and out hold `queries` rows of d floats; scores has
// queries·keys floats. Each K and V row is read once for the whole group —
// where GQA's speed comes from — and each query's arithmetic is that of
// attention_decode, so the outputs equal it bit for bit.
template <class Ops = simd::Active>
void attention_decode_group(const float* q, const float* k, const float* v, std::size_t keys, std::size_t d,
                            std::size_t kv_stride, std::size_t queries, float* out, float* scores);

// One run of K/V rows a decode step reads: `rows` rows of d floats, row j at
// k + j·stride (and v + j·stride). A cache that keeps a head's rows in pieces
// (a ring buffer that has wrapped, recomputed rows beside kept ones) hands
// the kernel its pieces in token order instead of copying them together.
struct KvRows {
  const float* k = nullptr;
  const float* v = nullptr;
  std::size_t rows = 0;
  std::size_t stride = 0;
};

// attention_decode_group over the concatenation of `run_count` runs (keys =
// the sum of their rows; scores has queries·keys floats). Rows are used in
// order, run after run, so the result equals attention_decode_group over the
// same rows copied into one buffer, bit for bit: where a run starts changes
// no sum (dot_rows' per-row sums, accumulate_rows adding rows in order).
template <class Ops = simd::Active>
void attention_decode_runs(const float* q, const KvRows* runs, std::size_t run_count, std::size_t d,
                           std::size_t queries, float* out, float* scores);

// out[r] = x · w_r for `rows` rows of w, each `width` floats (a projection of
// one token onto head_dim rows of a weight). Out of line on purpose: the
// decode runner times it, and V8 only moves a called function to its
// optimizing tier (core/warm_up.hpp).
template <class Ops = simd::Active>
void project_rows(const float* x, const float* w, std::size_t rows, std::size_t width, float* out);

// fp64 reference of one output row: query q_i attends to keys 0..keys-1
// (rows at stride kv_stride). out_i is (d) doubles.
void attention_reference_row(const float* q_i, const float* k, const float* v, std::size_t keys, std::size_t d,
                             std::size_t kv_stride, double* out_i);

}  // namespace llmst::attention

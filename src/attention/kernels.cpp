#include "attention/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace llmst::attention {

template <class Ops>
void attention_naive(const float* q, const float* k, const float* v, float* out, float* scores, std::size_t n,
                     std::size_t d) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  // pass 1: s_ij = q_i·k_j/√d for j ≤ i
  for (std::size_t i = 0; i < n; ++i) {
    float* s_i = scores + i * n;
    Ops::dot_rows(q + i * d, k, d, i + 1, d, s_i);
    Ops::scale(s_i, scale, i + 1);
  }
  // pass 2: softmax of each row over j ≤ i
  for (std::size_t i = 0; i < n; ++i) Ops::softmax(scores + i * n, scores + i * n, i + 1);
  // pass 3: out_i = Σ_j p_ij v_j
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(out + i * d, out + (i + 1) * d, 0.0f);
    Ops::accumulate_rows(scores + i * n, v, d, i + 1, d, 0.0f, out + i * d);
  }
}

template <class Ops>
void attention_tiled(const float* q, const float* k, const float* v, float* out, float* workspace, std::size_t n,
                     std::size_t d) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  float* s_tj = workspace;           // one query's scores against one key block
  float* m = workspace + kTileKeys;  // running max per query of the block
  float* l = m + kTileQueries;       // running softmax denominator
  for (std::size_t i0 = 0; i0 < n; i0 += kTileQueries) {
    const std::size_t rows = std::min(kTileQueries, n - i0);
    std::fill(m, m + rows, -std::numeric_limits<float>::infinity());
    std::fill(l, l + rows, 0.0f);
    std::fill(out + i0 * d, out + (i0 + rows) * d, 0.0f);
    // Key blocks up to the block's last query (causal); the block's k and v
    // stay in cache while its queries pass over it.
    for (std::size_t j0 = 0; j0 < i0 + rows; j0 += kTileKeys) {
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t i = i0 + r;
        if (j0 > i) continue;
        const std::size_t cols = std::min(kTileKeys, i - j0 + 1);
        Ops::dot_rows(q + i * d, k + j0 * d, d, cols, d, s_tj);
        Ops::scale(s_tj, scale, cols);
        const float m_new = std::max(m[r], Ops::max(s_tj, cols));
        const float row_sum = Ops::exp_shift_sum(s_tj, m_new, s_tj, cols);
        const float correction = l[r] == 0.0f ? 0.0f : std::exp(m[r] - m_new);
        l[r] = l[r] * correction + row_sum;
        Ops::accumulate_rows(s_tj, v + j0 * d, d, cols, d, correction, out + i * d);
        m[r] = m_new;
      }
    }
    for (std::size_t r = 0; r < rows; ++r) Ops::scale(out + (i0 + r) * d, 1.0f / l[r], d);
  }
}

template <class Ops>
void attention_decode(const float* q_t, const float* k, const float* v, std::size_t keys, std::size_t d,
                      std::size_t kv_stride, float* out_t, float* scores) {
  std::fill(out_t, out_t + d, 0.0f);
  if (keys == 0) return;
  Ops::dot_rows(q_t, k, kv_stride, keys, d, scores);
  Ops::scale(scores, 1.0f / std::sqrt(static_cast<float>(d)), keys);
  Ops::softmax(scores, scores, keys);
  Ops::accumulate_rows(scores, v, kv_stride, keys, d, 0.0f, out_t);
}

template <class Ops>
void attention_decode_runs(const float* q, const KvRows* runs, std::size_t run_count, std::size_t d,
                           std::size_t queries, float* out, float* scores) {
  std::size_t keys = 0;
  for (std::size_t r = 0; r < run_count; ++r) keys += runs[r].rows;
  std::fill(out, out + queries * d, 0.0f);
  if (keys == 0) return;
  // Blocks of kTileKeys rows stay in L1 while every query of the group uses
  // them: K and V stream from memory once per group, not once per query.
  // dot_rows forms each row's sum as dot() does, and accumulate_rows with
  // beta = 1 adds rows in order: per query, attention_decode's arithmetic.
  // pass 1: scores_g = q_g kᵀ, run by run, block by block
  for (std::size_t r = 0, first = 0; r < run_count; first += runs[r].rows, ++r) {
    const KvRows& run = runs[r];
    for (std::size_t j = 0; j < run.rows; j += kTileKeys) {
      const std::size_t rows = std::min(kTileKeys, run.rows - j);
      for (std::size_t g = 0; g < queries; ++g)
        Ops::dot_rows(q + g * d, run.k + j * run.stride, run.stride, rows, d, scores + g * keys + first + j);
    }
  }
  // pass 2: scale and softmax per query
  for (std::size_t g = 0; g < queries; ++g) {
    Ops::scale(scores + g * keys, 1.0f / std::sqrt(static_cast<float>(d)), keys);
    Ops::softmax(scores + g * keys, scores + g * keys, keys);
  }
  // pass 3: out_g += Σ_j p_g[j] · v_j, run by run, block by block, rows in order
  for (std::size_t r = 0, first = 0; r < run_count; first += runs[r].rows, ++r) {
    const KvRows& run = runs[r];
    for (std::size_t j = 0; j < run.rows; j += kTileKeys) {
      const std::size_t rows = std::min(kTileKeys, run.rows - j);
      for (std::size_t g = 0; g < queries; ++g)
        Ops::accumulate_rows(scores + g * keys + first + j, run.v + j * run.stride, run.stride, rows, d, 1.0f,
                             out + g * d);
    }
  }
}

template <class Ops>
void attention_decode_group(const float* q, const float* k, const float* v, std::size_t keys, std::size_t d,
                            std::size_t kv_stride, std::size_t queries, float* out, float* scores) {
  const KvRows run{k, v, keys, kv_stride};
  attention_decode_runs<Ops>(q, &run, 1, d, queries, out, scores);
}

template <class Ops>
void project_rows(const float* x, const float* w, std::size_t rows, std::size_t width, float* out) {
  Ops::dot_rows(x, w, width, rows, width, out);
}

void attention_reference_row(const float* q_i, const float* k, const float* v, std::size_t keys, std::size_t d,
                             std::size_t kv_stride, double* out_i) {
  std::fill(out_i, out_i + d, 0.0);
  if (keys == 0) return;
  std::vector<double> s(keys);
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  double s_max = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < keys; ++j) {
    double dot = 0;
    for (std::size_t c = 0; c < d; ++c) dot += double(q_i[c]) * double(k[j * kv_stride + c]);
    s[j] = dot * scale;
    s_max = std::max(s_max, s[j]);
  }
  double sum = 0;
  for (double& s_j : s) sum += (s_j = std::exp(s_j - s_max));
  for (std::size_t j = 0; j < keys; ++j)
    for (std::size_t c = 0; c < d; ++c) out_i[c] += s[j] / sum * double(v[j * kv_stride + c]);
}

#define LLMST_INSTANTIATE(OPS)                                                                                         \
  template void attention_naive<OPS>(const float*, const float*, const float*, float*, float*, std::size_t,            \
                                     std::size_t);                                                                     \
  template void attention_tiled<OPS>(const float*, const float*, const float*, float*, float*, std::size_t,            \
                                     std::size_t);                                                                     \
  template void attention_decode<OPS>(const float*, const float*, const float*, std::size_t, std::size_t, std::size_t, \
                                      float*, float*);                                                                 \
  template void project_rows<OPS>(const float*, const float*, std::size_t, std::size_t, float*);                       \
  template void attention_decode_group<OPS>(const float*, const float*, const float*, std::size_t, std::size_t,        \
                                            std::size_t, std::size_t, float*, float*);                                 \
  template void attention_decode_runs<OPS>(const float*, const KvRows*, std::size_t, std::size_t, std::size_t, float*, \
                                           float*);
LLMST_INSTANTIATE(simd::Active)
LLMST_INSTANTIATE(simd::Scalar)
#undef LLMST_INSTANTIATE

}  // namespace llmst::attention

#include "memory/attention_memory.hpp"

#include <algorithm>
#include <cmath>

#include "core/validate.hpp"

namespace llmst {
namespace {

struct PerHead {
  double scores_bytes, flash_extra_bytes, standard_elements, flash_elements, block_cols, block_rows, column_blocks;
};

PerHead per_head(double n, double d, const AttentionMemoryInput& in) {
  PerHead h;
  h.scores_bytes = n * n * in.score_bytes;
  // Algorithm 1 keeps only the running row max m and row sum ℓ (fp32) in HBM.
  h.flash_extra_bytes = 2 * n * 4;
  // Algorithm 0: read Q, K (2Nd), write S (N²), read S, write P (2N²),
  // read P and V (N² + Nd), write O (Nd).
  h.standard_elements = 4 * n * d + 4 * n * n;
  // Algorithm 1: block sizes from SRAM of M elements, B_c = ceil(M/4d),
  // B_r = min(ceil(M/4d), d). The outer loop over T_c column blocks loads K_j,
  // V_j once (2Nd in all); each outer pass reads Q_i, O_i, ℓ_i, m_i and writes
  // O_i, ℓ_i, m_i for every row block: 3Nd + 4N per pass.
  const double m = in.sram_bytes / in.element_bytes;
  h.block_cols = std::ceil(m / (4 * d));
  h.block_rows = std::min(h.block_cols, d);
  h.column_blocks = std::ceil(n / h.block_cols);
  h.flash_elements = 2 * n * d + h.column_blocks * (3 * n * d + 4 * n);
  return h;
}

}  // namespace

AttentionMemoryInput attention_memory_defaults() { return {}; }

AttentionMemoryResult attention_memory(const AttentionMemoryInput& in) {
  AttentionMemoryResult r;
  r.status = first_error(check_integer("n", in.n, 1, 1e9), check_integer("head_dim", in.head_dim, 1, 1e5),
                         check_integer("heads", in.heads, 1, 1e5), check_integer("batch", in.batch, 1, 1e6),
                         check_real_above("score_bytes", in.score_bytes, 0, 16),
                         check_zero_or_at_least("score_bytes", in.score_bytes, 0.125, 16),
                         check_real_above("element_bytes", in.element_bytes, 0, 16),
                         check_zero_or_at_least("element_bytes", in.element_bytes, 0.125, 16),  // at least one bit
                         check_real_above("sram_bytes", in.sram_bytes, 0, 1e12),
                         check_integer("series_max_n", in.series_max_n, 256, 1e9));
  if (!r.status.ok) return r;
  if (in.sram_bytes / in.element_bytes < 4 * in.head_dim) {
    r.status = error_status("sram_bytes", "sram_bytes = " + format_number(in.sram_bytes) +
                                              " holds fewer than 4 · head_dim elements: no block fits");
    return r;
  }
  const double streams = in.heads * in.batch;
  const PerHead h = per_head(in.n, in.head_dim, in);
  r.standard_scores_bytes_per_head = h.scores_bytes;
  r.standard_scores_bytes = h.scores_bytes * streams;
  r.flash_extra_bytes_per_head = h.flash_extra_bytes;
  r.flash_extra_bytes = h.flash_extra_bytes * streams;
  r.qkvo_bytes = 4 * in.n * in.head_dim * in.element_bytes * streams;
  r.sram_elements = in.sram_bytes / in.element_bytes;
  r.block_cols = h.block_cols;
  r.block_rows = h.block_rows;
  r.column_blocks = h.column_blocks;
  r.standard_hbm_elements = h.standard_elements;
  r.flash_hbm_elements = h.flash_elements;
  r.standard_hbm_bytes = h.standard_elements * in.element_bytes * streams;
  r.flash_hbm_bytes = h.flash_elements * in.element_bytes * streams;
  r.hbm_ratio = r.standard_hbm_bytes / r.flash_hbm_bytes;
  for (double n = 256; n <= in.series_max_n; n *= 2) {
    const PerHead p = per_head(n, in.head_dim, in);
    r.series.push_back({n, p.scores_bytes, p.flash_extra_bytes, p.standard_elements * in.element_bytes,
                        p.flash_elements * in.element_bytes});
  }
  return r;
}

}  // namespace llmst

// Attention working memory and HBM traffic, standard vs FlashAttention, from
// the IO analysis of Dao et al. 2022, "FlashAttention" (arXiv:2205.14135),
// Algorithm 0 (standard) and Algorithm 1 with Theorem 2.
#pragma once
#include <vector>

#include "core/status.hpp"

namespace llmst {

struct AttentionMemoryInput {
  double n = 4096;        // sequence length N (tokens)
  double head_dim = 128;  // d
  double heads = 32;
  double batch = 1;
  double score_bytes = 4;         // the materialised N×N scores: fp32
  double element_bytes = 2;       // Q, K, V, O, S, P elements moved to and from HBM: fp16
  double sram_bytes = 196608;     // M in bytes: 192 KiB, the A100's L1/shared memory per SM
  double series_max_n = 1048576;  // the sweep runs over N = 256, 512, …, series_max_n
};

struct AttentionMemoryPoint {
  double n = 0;
  double standard_scores_bytes = 0;  // per head
  double flash_extra_bytes = 0;      // per head
  double standard_hbm_bytes = 0;     // per head
  double flash_hbm_bytes = 0;        // per head
};

struct AttentionMemoryResult {
  Status status;
  // Working memory beyond Q, K, V and O.
  double standard_scores_bytes_per_head = 0;  // N² · score_bytes (S; P can overwrite it)
  double standard_scores_bytes = 0;           // · heads · batch
  double flash_extra_bytes_per_head = 0;      // the row max m and sum ℓ: 2 · N · 4 bytes
  double flash_extra_bytes = 0;
  double qkvo_bytes = 0;  // 4 · N · d · element_bytes · heads · batch
  // HBM traffic per head, in elements and bytes.
  double sram_elements = 0;          // M = sram_bytes / element_bytes
  double block_cols = 0;             // B_c = ceil(M / 4d)
  double block_rows = 0;             // B_r = min(ceil(M / 4d), d)
  double column_blocks = 0;          // T_c = ceil(N / B_c): passes over Q and O
  double standard_hbm_elements = 0;  // 4Nd + 4N²
  double flash_hbm_elements = 0;     // 2Nd + T_c · (3Nd + 4N)
  double standard_hbm_bytes = 0;     // all heads and batch
  double flash_hbm_bytes = 0;
  double hbm_ratio = 0;  // standard / flash
  std::vector<AttentionMemoryPoint> series;
};

AttentionMemoryInput attention_memory_defaults();
AttentionMemoryResult attention_memory(const AttentionMemoryInput& input);

}  // namespace llmst

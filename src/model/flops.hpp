// FLOPs of a forward pass, counted per operator.
//
// Convention (docs/model.md): a matrix-vector product with an m x k weight
// costs 2*m*k FLOPs (one multiply and one add per weight). Biases, norms,
// activations, softmax and the router's top-k are O(d) per token and left out.
// "Attention" = the Q, K, V, O projections + the scores: QK^T and AV, each
// 2*head_dim FLOPs per (query, key) pair per head, so 4*n*n_heads*head_dim per
// layer for one token attending n keys. "FFN" = the MLP matrices of the
// experts_top_k experts a token uses + the MoE router. "LM head" = the
// d_model x vocab_size logits matmul (counted even when tied: the FLOPs are spent).
#pragma once
#include <vector>

#include "model/config.hpp"
#include "model/params.hpp"

namespace llmst {

struct FlopSplit {
  double attention_projections = 0;  // Q, K, V, O
  double attention_scores = 0;       // QK^T and AV
  double attention = 0;              // projections + scores
  double ffn = 0;                    // active experts' MLP + router
  double lm_head = 0;
  double total = 0;
};

// Decode: one new token that attends keys (its own included) in every layer;
// attended_tokens is their mean over layers (min(n, window) for a uniform window).
struct DecodeFlops {
  double context_tokens = 0;
  double attended_tokens = 0;
  FlopSplit split;
};

// Causal prefill of n tokens: token i (1-based) attends min(i, window) keys,
// so full attention scores n(n+1)/2 (query, key) pairs per head per layer
// (the diagonal included), not n^2/2. Logits are computed at all n positions,
// as a forward pass returning all logits does; then prefill(n) equals the sum
// of decode(i) for i = 1..n exactly. Generation needs only the last row:
// lm_head_last_token is that figure.
struct PrefillFlops {
  double context_tokens = 0;
  double attended_pairs = 0;  // (query, key) pairs per head, mean over layers
  double lm_head_last_token = 0;
  FlopSplit split;
};

// Keys one layer of this span attends at decode when the context holds n
// tokens (the new one included): full n, window min(n, w), chunk ((n-1) mod c)
// + 1; sparse attention min(n, topk).
double decode_keys(const AttentionSpec& attention, double context_tokens);
// (query, key) pairs of a causal prefill of n tokens in one layer of this span.
double causal_attended_pairs(const AttentionSpec& attention, double context_tokens);
// FLOPs of QK^T and AV for one (query, key) pair in one layer, all heads:
// GQA 4 heads head_dim; MLA (absorbed, on the cached latent) heads (2 (kv_lora + rope) + 2 kv_lora).
double score_flops_per_pair(const AttentionSpec& attention);

// Sparse attention's lightning indexer scores every cached key for every
// query: n keys at decode, n(n+1)/2 pairs in a causal prefill (0 without one).
double indexer_keys(const AttentionSpec& attention, double context_tokens);
double indexer_causal_pairs(const AttentionSpec& attention, double context_tokens);
// Its FLOPs per (query, key) pair: q.k on each head (2 heads dim) and the
// head-weighted sum of their ReLUs (2 heads).
double indexer_flops_per_pair(const AttentionSpec& attention);

// All score FLOPs of one layer for one decode token / a causal prefill of n
// tokens: the attention's pairs at score_flops_per_pair, plus the indexer's.
double decode_score_flops(const AttentionSpec& attention, double context_tokens);
double prefill_score_flops(const AttentionSpec& attention, double context_tokens);

DecodeFlops decode_flops(const ValidModel& model, double context_tokens);
PrefillFlops prefill_flops(const ValidModel& model, double context_tokens);

// Context where decode attention FLOPs (projections + scores) equal FFN FLOPs.
// Attention grows with the keys each layer attends (chunked layers counted at
// their largest, min(n, chunk)); 0 when attention already costs at least the
// FFN at n = 0; none when windows and chunks cap the scores below the FFN.
struct Crossover {
  bool exists = false;
  double context_tokens = 0;
};
Crossover decode_crossover(const ValidModel& model);

struct AttentionSharePoint {
  double context_tokens = 0;
  double attention_flops = 0;
  double ffn_flops = 0;
  double lm_head_flops = 0;
  double total_flops = 0;
  double attention_share = 0;  // attention / total decode FLOPs per token
};

// Decode FLOP split at `points` log-spaced whole contexts from min to max (duplicates dropped).
std::vector<AttentionSharePoint> attention_share_curve(const ValidModel& model, double min_tokens, double max_tokens,
                                                       int points);

}  // namespace llmst

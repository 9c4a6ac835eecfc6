// A seeded simulation of KV-cache allocation for a mix of requests: how much
// reserved memory holds no token, and how many sequences fit in a budget,
// under naive max-length preallocation, exact-length reservation (an oracle
// that knows each output length), and paged allocation (vLLM, Kwon et al. 2023).
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"

namespace llmst {

struct PagingSimInput {
  double budget_bytes = 17179869184;       // KV memory to fill: 16 GiB
  double bytes_per_token = 524288;         // KV bytes of one token, all layers (Llama-2-7B fp16)
  double max_tokens = 4096;                // the context the naive scheme reserves per sequence
  double block_size = 16;                  // tokens per page (vLLM's default)
  std::string distribution = "lognormal";  // fixed | uniform | normal | lognormal
  double mean_tokens = 1024;               // of the drawn lengths, before clipping to [1, max_tokens]
  double std_tokens = 1024;                // uniform: half-width √3·std; lognormal: σ² = ln(1 + std²/mean²)
  // "final": every sequence holds its whole length; "in_flight": each holds a
  // uniformly drawn part of it, as in a running batch mid-generation.
  std::string snapshot = "final";
  double seed = 1;
  double max_requests = 100000;  // admission stops here even if memory is left
  double histogram_bins = 32;
};

struct PagingScheme {
  std::string id;  // "naive", "exact", "paged"
  std::string label;
  double sequences = 0;  // admitted before the budget ran out (FIFO)
  double reserved_bytes = 0;
  double used_bytes = 0;      // tokens actually held · bytes_per_token
  double waste_bytes = 0;     // reserved - used
  double waste_fraction = 0;  // of reserved
  double tokens_held = 0;
};

struct LengthBin {
  double low = 0;   // tokens, inclusive
  double high = 0;  // tokens, exclusive
  double count = 0;
};

struct PagingSimResult {
  Status status;
  std::vector<PagingScheme> schemes;    // naive, exact, paged
  double paged_vs_naive_sequences = 0;  // paged.sequences / naive.sequences (0 when naive fits none)
  double requests_drawn = 0;            // by the paged run (the longest)
  double mean_length_tokens = 0;        // of the drawn lengths after clipping
  double std_length_tokens = 0;
  double clipped_fraction = 0;       // drawn outside [1, max_tokens]
  bool hit_request_limit = false;    // some scheme stopped at max_requests, not at the budget
  std::vector<LengthBin> histogram;  // drawn lengths, equal bins over [0, max_tokens]
};

PagingSimInput paging_sim_defaults();
PagingSimResult simulate_paging(const PagingSimInput& input);

}  // namespace llmst

// The request stream of a serving simulation: arrival times and lengths,
// drawn from the seed or read from a CSV trace (src/serve/serve.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace llmst::serve_detail {

struct RequestSpec {
  double arrival_s = 0;  // closed loop: set when a user's previous request ends
  double prompt_tokens = 0;
  double output_tokens = 0;
  int64_t prefix_id = 0;  // 0: no shared prefix
};

struct RequestStream {
  Status status;
  std::vector<RequestSpec> requests;  // by arrival time (closed loop: in issue order)
};

// Parses "arrival_s, prompt_tokens, output_tokens[, prefix_id]" lines. An
// optional header line first; blank lines and lines starting with '#' are
// skipped. Errors name the line: "trace line 4: output_tokens = "x" is not a number".
RequestStream parse_trace(const std::string& text, double max_lines);

}  // namespace llmst::serve_detail

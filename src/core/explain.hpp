// Explain views: a figure with its formula, the same formula with the actual
// numbers plugged in (TeX, rendered by KaTeX on the page), the intermediate
// values and the sources of its constants. Each area builds them from its own
// result structs (src/<area>/explain.cpp), so the page, the CLI and the tests
// read one text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace llmst {

// One symbol of a formula with its value: "d", "hidden size (d_model)", 4096, "".
struct ExplainTerm {
  std::string symbol;   // TeX, as it appears in formula_tex
  std::string meaning;  // plain words
  double value = 0;
  std::string unit;  // "", "bytes", "FLOPs", "tokens", "bits", ...
};

struct Explanation {
  std::string id;               // stable: "params.total", "kv.bytes_per_token", ...
  std::string title;            // "Total parameters"
  std::string formula_tex;      // symbols only: N = V d + L N_\text{layer} + ...
  std::string substituted_tex;  // the numbers plugged in, ending "= <value>"
  double value = 0;             // the figure itself, equal to the area result's field
  std::string unit;
  std::vector<ExplainTerm> terms;    // every symbol of formula_tex with its value
  std::vector<std::string> sources;  // where formulas and constants come from
  std::string note;                  // conventions and caveats, plain words
};

struct ExplainResult {
  Status status;
  std::vector<Explanation> explanations;
};

// A number as TeX. Whole numbers below 1e16 are written in full with thin-space
// thousands separators (6\,738\,415\,616): exact, so a reader can check them.
// Other numbers get 4 significant digits, in scientific form (3.352 \times
// 10^{12}) when at least 1e6 or below 1e-3.
std::string tex_number(double value);

// The same number as plain text (6,738,415,616; 3.352e12) for the CLI.
std::string text_number(double value);

// The explanation with `id`, or nullptr.
const Explanation* find_explanation(const std::vector<Explanation>& explanations, std::string_view id);

}  // namespace llmst

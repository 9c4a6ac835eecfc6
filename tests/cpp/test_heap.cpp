// Budgets are capped at what the module can allocate (issue 17, item 2): a run
// needing more than a run may take is refused by name before allocating,
// whatever memory_budget_bytes says; before this cap such runs aborted the
// WASM module (a failed allocation under -fno-exceptions).
#include <doctest/doctest.h>
#include "check_or_return.hpp"

#include <string>

#include "core/heap.hpp"
#include "sim/attention_runs.hpp"

using namespace llmst;
using namespace llmst::sim;

namespace {
bool says_module_limit(const Status& status) {
  return status.field == "memory_budget_bytes" &&
         status.message.find("more than this WASM module can allocate for one run") != std::string::npos &&
         status.message.find("a larger budget does not raise it") != std::string::npos;
}
}  // namespace

TEST_CASE("a run may allocate at most 2 GiB, less when the module's maximum less what is in use is smaller") {
  const HeapStats stats = heap_stats();
  // emscripten/CMakeLists.txt MAXIMUM_MEMORY=4GB (Emscripten keeps it one 64 KiB page under 4 GiB); native: 4 GiB
  CHECK(stats.max_bytes >= 4294901760.0);
  CHECK(stats.max_bytes <= 4294967296.0);
  CHECK(stats.in_use_bytes >= 0);
  CHECK(stats.in_use_bytes < stats.max_bytes);
  const double limit = run_memory_limit();
  CHECK(limit > 0);
  CHECK(limit <= kRunMemoryCapBytes);
  CHECK(check_run_memory("f", "x", limit).ok);
  const Status over = check_run_memory("f", "x", limit + 1);
  CHECK_FALSE(over.ok);
  CHECK(over.field == "f");
}

TEST_CASE("attention and decode refuse a run above the module's limit even with a 1e12 budget") {
  AttentionRunInput attention;
  attention.n = 30000;
  attention.variant = "naive";
  attention.memory_budget_bytes = 1e12;
  const AttentionRunResult a = run_attention(attention);
  CHECK_FALSE(a.status.ok);
  CHECK(says_module_limit(a.status));
  CHECK(a.status.message.find("3630720000 bytes") != std::string::npos);  // 30000² · 4 + 4 · 30000 · 64 · 4

  attention.variant = "both";  // naive refused, tiled (a few MB) still runs
  attention.n = 30000;
  attention.d = 1;
  attention.check_rows = 1;
  const AttentionRunResult both = run_attention(attention);
  CHECK_OR_RETURN(both.status.ok);
  CHECK(both.variants[0].refused);
  CHECK(both.variants[0].refusal.find("more than this WASM module can allocate") != std::string::npos);
  CHECK_FALSE(both.variants[1].refused);

  DecodeInput decode;
  decode.strategy = "int4";
  decode.prompt_tokens = 1e6;
  decode.generated_tokens = 1e6;
  decode.memory_budget_bytes = 1e12;
  CHECK(says_module_limit(run_decode(decode).status));

  // Within the limit a large budget is fine: the budget only ever lowers it.
  decode.prompt_tokens = 8;
  decode.generated_tokens = 2;
  decode.d_model = 16;
  decode.heads = 2;
  decode.kv_group = 8;
  CHECK(run_decode(decode).status.ok);
}

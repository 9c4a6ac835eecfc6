#include "core/heap.hpp"

#include <algorithm>

namespace llmst {

namespace {
// Without a host's probe (native builds, the doctest runner): the module's
// 4 GiB maximum and nothing in use, so native and WASM refuse alike.
HeapStats no_host_heap() {
  HeapStats stats;
  stats.max_bytes = 4294967296.0;
  return stats;
}
HeapProbe heap_probe = &no_host_heap;
}  // namespace

void set_heap_probe(HeapProbe probe) { heap_probe = probe ? probe : &no_host_heap; }

HeapStats heap_stats() { return heap_probe(); }

static double limit_of(const HeapStats& stats) {
  return std::max(0.0, std::min(kRunMemoryCapBytes, stats.max_bytes - stats.in_use_bytes));
}

double run_memory_limit() { return limit_of(heap_stats()); }

Status check_run_memory(const std::string& field, const std::string& what, double needed_bytes) {
  const HeapStats stats = heap_stats();
  const double limit = limit_of(stats);
  if (needed_bytes <= limit) return ok_status();
  return error_status(field,
                      what + " needs " + format_number(needed_bytes) +
                          " bytes, more than this WASM module can allocate for one run: " + format_number(limit) +
                          " bytes (the lesser of a 2 GiB cap per run and its " + format_number(stats.max_bytes) +
                          "-byte maximum memory less " + format_number(stats.in_use_bytes) +
                          " bytes in use); a larger budget does not raise it; refused before allocating");
}

}  // namespace llmst

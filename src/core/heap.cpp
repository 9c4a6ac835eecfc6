#include "core/heap.hpp"

#include <algorithm>
#include <cstdint>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#include <malloc.h>
#include <unistd.h>
#endif

namespace llmst {

HeapStats heap_stats() {
  HeapStats stats;
#ifdef __EMSCRIPTEN__
  const struct mallinfo info = mallinfo();
  stats.max_bytes = double(emscripten_get_heap_max());
  stats.memory_bytes = double(emscripten_get_heap_size());
  stats.used_bytes = double(info.uordblks);
  // Below the break everything not free in malloc's arena is in use; above it
  // memory is free to grow into.
  stats.in_use_bytes = double(reinterpret_cast<std::uintptr_t>(sbrk(0))) - double(info.fordblks);
#else
  stats.max_bytes = 4294967296.0;
#endif
  return stats;
}

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

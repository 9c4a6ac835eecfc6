// Types every area shares: Status and the plain dtypes.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdint>

#include "core/dtype.hpp"
#include "core/heap.hpp"
#include "core/status.hpp"

using namespace emscripten;
using namespace llmst;

namespace {
// The module's heap for core/heap.hpp: below the break everything not free in
// malloc's arena is in use (static data, stack, allocations); above it the
// memory can grow up to the maximum.
HeapStats module_heap() {
  const struct mallinfo info = mallinfo();
  HeapStats stats;
  stats.max_bytes = double(emscripten_get_heap_max());
  stats.memory_bytes = double(emscripten_get_heap_size());
  stats.used_bytes = double(info.uordblks);
  stats.in_use_bytes = double(reinterpret_cast<std::uintptr_t>(sbrk(0))) - double(info.fordblks);
  return stats;
}
}  // namespace

EMSCRIPTEN_BINDINGS(core) {
  set_heap_probe(&module_heap);

  value_object<Status>("Status")
      .field("ok", &Status::ok)
      .field("field", &Status::field)
      .field("message", &Status::message);

  value_object<DtypeInfo>("DtypeInfo")
      .field("id", &DtypeInfo::id)
      .field("label", &DtypeInfo::label)
      .field("bits", &DtypeInfo::bits);
  register_vector<DtypeInfo>("VectorDtypeInfo");
  register_vector<double>("VectorDouble");
  register_vector<std::string>("VectorString");

  function("plainDtypes", &plain_dtypes);

  // The module's heap: what a measured run may take (runMemoryLimit) and what
  // is allocated now (the heap-leak test reads used_bytes).
  value_object<HeapStats>("HeapStats")
      .field("max_bytes", &HeapStats::max_bytes)
      .field("memory_bytes", &HeapStats::memory_bytes)
      .field("used_bytes", &HeapStats::used_bytes)
      .field("in_use_bytes", &HeapStats::in_use_bytes);
  function("heapStats", &heap_stats);
  function("runMemoryLimit", &run_memory_limit);
}

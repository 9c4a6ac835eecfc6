// Types every area shares: Status and the plain dtypes.
#include <emscripten/bind.h>

#include "core/dtype.hpp"
#include "core/heap.hpp"
#include "core/status.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(core) {
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

// What a measured run may allocate. The WASM module's memory grows up to its
// maximum (emscripten/CMakeLists.txt: MAXIMUM_MEMORY=4GB) and never shrinks,
// and a failed C++ allocation aborts the module under -fno-exceptions, so a
// run is sized first and refused when it needs more than this limit, whatever
// budget the caller gave.
#pragma once
#include <string>

#include "core/status.hpp"

namespace llmst {

// 2 GiB per run: half the module's 4 GiB maximum, so a measured run, the
// largest quant-lab run (1 GiB) and the largest machine probe (1 GiB) fit in
// one module together, and a run's peak, which stays reserved until the page
// reloads, leaves the other half to the rest of the page.
inline constexpr double kRunMemoryCapBytes = 2147483648.0;

struct HeapStats {
  double max_bytes = 0;     // the module's maximum memory (native: the same 4 GiB, so both refuse alike)
  double memory_bytes = 0;  // linear memory reserved now (native: 0)
  double used_bytes = 0;    // malloc'd and not freed (mallinfo's uordblks; native: 0)
  double in_use_bytes = 0;  // static data, stack and malloc'd bytes: what no new allocation can take
};

HeapStats heap_stats();

// The host reports its heap: emscripten/bind_core.cpp installs the WASM
// module's (Emscripten's heap API and mallinfo; the core includes no
// Emscripten header). Without a probe: a 4 GiB maximum, nothing in use.
using HeapProbe = HeapStats (*)();
void set_heap_probe(HeapProbe probe);

// What one run may allocate now: the 2 GiB cap, or less when the module's
// maximum less what is in use leaves less.
double run_memory_limit();

// ok, or a refusal of `field` saying that `what` needs `needed_bytes`, more
// than the module can allocate (the cap, the maximum and what is in use).
Status check_run_memory(const std::string& field, const std::string& what, double needed_bytes);

}  // namespace llmst

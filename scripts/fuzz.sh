#!/usr/bin/env bash
# The native fuzz driver (tests/fuzz/fuzz_core.cpp) under ASan and UBSan
# (float-cast-overflow and float-divide-by-zero included): every validator and
# report entry point with random and extreme inputs; no crash, no undefined
# behaviour, every ok result finite. Runs LLMST_FUZZ_SECONDS (default 60) from
# seed LLMST_FUZZ_SEED (default 1): `LLMST_FUZZ_SECONDS=3600 bash scripts/fuzz.sh`
# for a long run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMST_FUZZ=ON -DLLMST_TESTS=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target llmst_fuzz
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  ./build/fuzz/tests/fuzz/llmst_fuzz

#!/usr/bin/env bash
# Builds the WASM modules into web/generated/: "simd" (default, what the page
# uses: the first-load module llm_spacetime, the calculator
# llm_spacetime_calculator and the lab llm_spacetime_lab) or "scalar"
# (the lab without -msimd128, llm_spacetime_lab_scalar: the benchmarks' scalar column).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten optimizer needs Debian's acorn

variant=${1:-simd}
case "$variant" in
  simd) build_dir=build/wasm; flags=(-DLLMST_SIMD=ON); target=llmst_wasm ;;
  scalar) build_dir=build/wasm-scalar; flags=(-DLLMST_SIMD=OFF -DLLMST_WASM_SUFFIX=_scalar -DLLMST_TESTS=OFF); target=llmst_wasm_lab ;;
  *) echo "usage: build-wasm.sh [simd|scalar]" >&2; exit 2 ;;
esac
emcmake cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "$target"

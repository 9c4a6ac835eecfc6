#!/usr/bin/env bash
# The doctest suite, natively and as WASM under node (both through ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
bash scripts/build-native.sh
ctest --test-dir build/native --output-on-failure
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$(nproc)" --target llmst_tests
ctest --test-dir build/wasm --output-on-failure

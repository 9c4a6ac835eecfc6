#!/usr/bin/env bash
# Native build of the core, the doctest suite and the benchmark drivers.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$(nproc)"

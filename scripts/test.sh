#!/usr/bin/env bash
# Set up, build and run every test: C++ (native and WASM), the JS API and CLI
# on the built module, the native fuzz driver under ASan/UBSan (about a minute),
# then the real page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-env.sh  # the Node ≥ 20 that setup chose
npm run build
npm run typecheck
npm run lint
bash scripts/test-cpp.sh
bash scripts/fuzz.sh
npm run test:js
npm run test:e2e
echo "all test suites passed"

#!/usr/bin/env bash
# Set up, build and serve the app: prints the local address to open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/node-env.sh  # the Node ≥ 20 that setup chose
npm run build
exec npx vite preview --host 127.0.0.1 --port "${PORT:-4173}"

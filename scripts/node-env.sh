# Sourced by setup.sh, serve.sh and test.sh (and so by CI): when setup.sh has
# brought a local Node into .tools/ (the machine's own is missing or older than
# 20, as Debian bookworm's nodejs 18 is), put it first on PATH. Where the
# machine's Node is already ≥ 20 there is no .tools/ and PATH is unchanged.
llmst_tools_bin="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node_modules/.bin"
if [[ -x "$llmst_tools_bin/node" && ":$PATH:" != *":$llmst_tools_bin:"* ]]; then
  export PATH="$llmst_tools_bin:$PATH"
fi
unset llmst_tools_bin

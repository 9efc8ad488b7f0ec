#!/usr/bin/env bash
# Installs the benchmark peers: Debian's sqlite3, python3-networkx,
# python3-igraph and gnuplot (for the plot), and npm's kuzu 0.11.3 into
# bench/node_modules (from package-lock.json). Idempotent: fast when present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(sqlite3 python3 python3-networkx python3-igraph gnuplot-nox nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The machine may carry its own Node.js and npm outside Debian's packages.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
wanted=()
for p in "${missing[@]}"; do [[ -n "$p" ]] && wanted+=("$p"); done
if (( ${#wanted[@]} )); then
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  echo "bench setup: installing ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -q --no-install-recommends "${wanted[@]}"; then
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${wanted[@]}"
  fi
fi
if [[ ! -f "$here/node_modules/kuzu/kuzujs.node" ]]; then
  echo "bench setup: npm ci (kuzu)"
  (cd "$here" && npm ci --no-audit --no-fund --foreground-scripts >/dev/null)
fi
# npm may hold back install scripts it has not been told to allow; kuzu's only
# copies its prebuilt binding into place, so run it when the binding is missing.
if [[ ! -f "$here/node_modules/kuzu/kuzujs.node" ]]; then
  (cd "$here/node_modules/kuzu" && node install.js >/dev/null)
fi

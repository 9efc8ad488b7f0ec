#!/usr/bin/env bash
# Installs the benchmark peers: Debian's sqlite3, python3-networkx,
# python3-igraph and gnuplot (for the plot), and npm's kuzu 0.11.3 into
# bench/node_modules (from package-lock.json). Idempotent: fast when present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(sqlite3 python3 python3-networkx python3-igraph gnuplot-nox)
# Node.js and npm: Debian's, unless the machine carries its own.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
"$here/../scripts/apt-install.sh" "bench setup" "${packages[@]}"
if [[ ! -f "$here/node_modules/kuzu/kuzujs.node" ]]; then
  echo "bench setup: npm ci (kuzu)"
  (cd "$here" && npm ci --no-audit --no-fund --foreground-scripts >/dev/null)
fi
# npm may hold back install scripts it has not been told to allow; kuzu's only
# copies its prebuilt binding into place, so run it when the binding is missing.
if [[ ! -f "$here/node_modules/kuzu/kuzujs.node" ]]; then
  (cd "$here/node_modules/kuzu" && node install.js >/dev/null)
fi

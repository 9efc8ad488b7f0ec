#!/usr/bin/env bash
# Installs the explorer's front-end libraries from npm into
# explorer/node_modules (from package-lock.json): Cytoscape.js and its SVG
# export for the product; with --tests also playwright-core and Debian's
# chromium for the end-to-end test. Idempotent: fast when present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
want_tests=0
[[ "${1:-}" == "--tests" ]] && want_tests=1
packages=()
# Node.js and npm: Debian's, unless the machine carries its own.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
if [[ $want_tests == 1 ]]; then packages+=(chromium); fi
if [[ ${#packages[@]} -gt 0 ]]; then
  "$here/../scripts/apt-install.sh" "explorer setup" "${packages[@]}"
fi
stamp="$here/node_modules/.sinew-installed"
# Keep what a test setup installed when the product setup runs later.
if [[ -f "$stamp" ]] && grep -q "tests=1" "$stamp"; then want_tests=1; fi
wanted="$(sha256sum "$here/package-lock.json" | cut -c1-16) tests=$want_tests"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "explorer setup: npm ci"
  if [[ $want_tests == 1 ]]; then
    (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
  else
    (cd "$here" && npm ci --no-audit --no-fund --omit=dev >/dev/null)
  fi
  echo "$wanted" > "$stamp"
fi

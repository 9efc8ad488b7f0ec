#!/usr/bin/env bash
# Installs the Debian packages sinew needs (only those missing), then configures
# and builds in Release. Idempotent: with nothing changed it finishes in seconds.
#   scripts/setup.sh            build the product
#   scripts/setup.sh --tests    the same, plus what the test suite needs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SINEW_BUILD_DIR:-$root/build}"
want_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

packages=(g++ cmake make pkg-config librocksdb-dev libboost-graph-dev
          nlohmann-json3-dev libcli11-dev doctest-dev libreadline-dev graphviz)
if [[ $want_tests == 1 ]]; then
  packages+=(python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if (( ${#missing[@]} )); then
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they are absent or cannot supply a package.
  if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

jobs="$(nproc 2>/dev/null || echo 2)"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DSINEW_WERROR="${CI:+ON}" >/dev/null
fi
cmake --build "$build" -j "$jobs" 2>&1 | grep -v "^\[.*\] \(Built target\|Building\|Linking\)" || true
test "${PIPESTATUS[0]}" -eq 0

#!/usr/bin/env bash
# Installs the Debian packages sinew needs (only those missing; apt-get update
# only when a package cannot be found), then configures and builds in Release.
# Idempotent: with nothing changed it finishes in seconds.
#   scripts/setup.sh            what the product needs
#   scripts/setup.sh --tests    and what the test suite needs
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

packages=(g++ cmake make pkg-config librocksdb-dev libboost-graph-dev nlohmann-json3-dev
          libcli11-dev libreadline-dev graphviz libcpp-httplib-dev libjemalloc-dev
          zlib1g-dev)
if [[ $want_tests == 1 ]]; then
  packages+=(doctest-dev python3)  # python3 parses the GraphML export back as XML
  packages+=(clang libclang-rt-14-dev)  # the sanitizer and libFuzzer build (scripts/test.sh)
fi

"$root/scripts/apt-install.sh" setup "${packages[@]}"

# The explorer's libraries (npm), and with the tests headless Chromium.
if [[ $want_tests == 1 ]]; then
  "$root/explorer/setup.sh" --tests
else
  "$root/explorer/setup.sh"
fi

# The benchmark's peers, for its smoke run in the test suite.
if [[ $want_tests == 1 ]]; then
  "$root/bench/setup.sh"
fi

werror=OFF
if [[ -n "${CI:-}" ]]; then werror=ON; fi
tests=OFF
if [[ $want_tests == 1 ]]; then tests=ON; fi
# Configure once, and again only when the wanted options change.
wanted="SINEW_WERROR=$werror SINEW_TESTS=$tests"
if [[ ! -f "$build/CMakeCache.txt" || "$(cat "$build/.sinew-options" 2>/dev/null)" != "$wanted" ]]; then
  # Tests stay on once built, so switching between the two commands does not rebuild.
  if [[ -f "$build/.sinew-options" ]] && grep -q "SINEW_TESTS=ON" "$build/.sinew-options"; then
    tests=ON
    wanted="SINEW_WERROR=$werror SINEW_TESTS=$tests"
  fi
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSINEW_WERROR="$werror" \
        -DSINEW_TESTS="$tests" >/dev/null
  echo "$wanted" > "$build/.sinew-options"
fi
# SINEW_SETUP_TARGETS narrows the build (scripts/test.sh wants only the
# product and the benchmark here; its tests run in the sanitizer build).
targets=()
for t in ${SINEW_SETUP_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" "${targets[@]}"

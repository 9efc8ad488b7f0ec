#!/usr/bin/env bash
# The README's second command: set up and build the product (g++, Release,
# warnings as errors on CI) and run the benchmark smoke run against the peers
# with it; then build the whole suite with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer and run every test through CTest, with a short
# run of every libFuzzer target (docs/reliability.md). Every test runs once,
# in the sanitizer build: two full runs took the suite past 20 minutes on CI's
# two cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SINEW_BUILD_DIR:-$root/build}"
check="${SINEW_CHECK_BUILD_DIR:-$root/build-check}"
jobs="$(nproc 2>/dev/null || echo 2)"
SINEW_SETUP_TARGETS="sinew sinew_bench" "$root/scripts/setup.sh" --tests
# The default desk (corpus/load.sh: the notes, the cases and the OFAC list's
# six snapshots) is loaded and questioned in the Release build: under the
# sanitizers it took 7 of CI's 25 minutes; the code it runs is covered there
# by the unit, ofac, history and e2e tests on smaller data.
(cd "$build" && ctest --output-on-failure -R "^(bench|desk):")

# The sanitizer build: -O1 keeps it quick to build and run; asserts stay on.
werror=OFF
if [[ -n "${CI:-}" ]]; then werror=ON; fi
wanted="clang SINEW_FUZZ=ON SINEW_WERROR=$werror"
if [[ ! -f "$check/CMakeCache.txt" || "$(cat "$check/.sinew-options" 2>/dev/null)" != "$wanted" ]]; then
  CXX=clang++ cmake -S "$root" -B "$check" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DSINEW_FUZZ=ON -DSINEW_WERROR="$werror" >/dev/null
  echo "$wanted" > "$check/.sinew-options"
fi
cmake --build "$check" -j "$jobs"
cd "$check"
# The benchmark smoke run compares answers with peers, and the desk test loads
# the whole desk: the Release build ran them.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" -E "^(bench|desk):"

#!/usr/bin/env bash
# Runs every libFuzzer target (or those whose names match the regex TARGETS)
# for SECONDS (default 600) from its real seeds,
# one after another, in the sanitizer build that scripts/test.sh makes
# (build-check/). Writes libFuzzer's output to build-check/fuzz-long.log and
# puts the suite's short runs back afterwards. docs/reliability.md records
# the last result.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check="${SINEW_CHECK_BUILD_DIR:-$root/build-check}"
seconds="${1:-600}"
targets="${2:-.*}"
if [[ ! -f "$check/CMakeCache.txt" ]] || ! grep -q '^SINEW_FUZZ:BOOL=ON' "$check/CMakeCache.txt"; then
  echo "fuzz-long: $check is not a fuzz build; run scripts/test.sh first" >&2
  exit 1
fi
short="$(sed -n 's/^FUZZ_SECONDS:STRING=//p' "$check/CMakeCache.txt")"
trap 'cmake -DFUZZ_SECONDS="${short:-20}" "$check" >/dev/null' EXIT
cmake -DFUZZ_SECONDS="$seconds" "$check" >/dev/null
cmake --build "$check" -j "$(nproc 2>/dev/null || echo 2)"
cd "$check"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -R "^fuzz: (fresh|($targets),)" -j 1 -V 2>&1 | tee fuzz-long.log | grep -E '^[0-9]+/[0-9]+ Test|tests passed|Done [0-9]+ runs|cov: .*ft:.*corp: .*DONE|SUMMARY|deadly signal|crash-'

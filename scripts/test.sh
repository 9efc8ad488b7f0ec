#!/usr/bin/env bash
# The README's second command: set up, build with the tests and run every
# test through CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SINEW_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh" --tests
cd "$build"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"

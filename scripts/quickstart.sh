#!/usr/bin/env bash
# The README's first command: set up, build, load the bundled corpus into the
# default store (./sinew.db, or $SINEW_DB) and answer a sample question.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" | grep -v "^\[\|^-- " || true
test "${PIPESTATUS[0]}" -eq 0
sinew="$root/build/cli/sinew"
export SINEW_DB="${SINEW_DB:-$root/sinew.db}"
if [[ ! -d "$SINEW_DB" ]]; then "$sinew" init; fi
"$sinew" ingest "$root/corpus/notes"
echo
echo "Which way does Russia–China trade dependence lean, and on what evidence?"
echo "\$ sinew asymmetry russia china --domain trade"
"$sinew" asymmetry russia china --domain trade
echo
echo "The store is $SINEW_DB. Next: $sinew shell   (help lists the commands)"

#!/usr/bin/env bash
# Re-runs the example commands in docs/queries.md against the bundled corpus
# and rewrites their output in place, so the guide always shows real answers.
# Each example block is a ``` fence whose lines starting with "$ sinew" are
# commands; an optional " | head -N" after a command keeps the first N lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sinew="$root/build/cli/sinew"
db="$(mktemp -d)/db"
trap 'rm -rf "$(dirname "$db")"' EXIT
SINEW_NOW=2026-01-01T00:00:00Z "$sinew" --db "$db" init >/dev/null
SINEW_NOW=2026-01-01T00:00:00Z "$sinew" --db "$db" ingest "$root/corpus/notes" >/dev/null
doc="$root/docs/queries.md"
out="$(mktemp)"
in_block=0
while IFS= read -r line; do
  if [[ $line == '```' ]]; then
    if (( in_block )); then in_block=0; else in_block=1; fi
    echo "$line" >> "$out"
    continue
  fi
  if (( in_block )); then
    if [[ $line == '$ sinew '* ]]; then
      echo "$line" >> "$out"
      cmd="${line#\$ sinew }"
      keep=""
      if [[ $cmd == *' | head -'* ]]; then keep="${cmd##* | head -}"; cmd="${cmd% | head -*}"; fi
      # shellcheck disable=SC2086
      result="$(eval "\"$sinew\" --db \"$db\" $cmd" 2>&1 || true)"
      if [[ -n $keep ]]; then result="$(echo "$result" | head -n "$keep")"; fi
      echo "$result" >> "$out"
    elif [[ $line == 'sinew>'* || $line == 'sinew['* ]]; then
      echo "$line" >> "$out"  # shell transcripts are kept as written
    fi
    continue
  fi
  echo "$line" >> "$out"
done < "$doc"
mv "$out" "$doc"

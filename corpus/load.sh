#!/usr/bin/env bash
# corpus/load.sh DB: the default desk. Loads into the store DB (created when
# missing) the reference gazetteer and the brief's note (corpus/notes), the
# five case files (corpus/cases/*/NN-*.json), and bp's 2020 gas trade tables
# (corpus/tables/bp through corpus/mappings), and the OFAC SDN list's six
# snapshots 2021-2024 in date order (corpus/lists/ofac-sdn,
# docs/sanctions.md), the last of them also counted per vessel flag through
# a table mapping. Uses $SINEW when set, else the binary built in build/.
# Idempotent: sources already in the store are left as they are, and a
# snapshot is skipped when the store holds it (or a later one).
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: corpus/load.sh DB" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sinew="${SINEW:-$here/../build/cli/sinew}"
db="$1"
if [[ ! -d "$db" ]]; then "$sinew" --db "$db" init; fi
"$sinew" --db "$db" ingest "$here/notes"
for case in cr-929 ahl huawei sanctions gas; do
  "$sinew" --db "$db" ingest "$here/cases/$case"/[0-9][0-9]-*.json
done
"$sinew" --db "$db" ingest "$here/tables/bp/bp_statreview2021_gas_trade_movts_pipeline.csv" \
  --mapping "$here/mappings/bp-2021-gas-pipeline.json"
"$sinew" --db "$db" ingest "$here/tables/bp/bp_statreview2021_gas_trade_movts_lng.csv" \
  --mapping "$here/mappings/bp-2021-gas-lng.json"
# The OFAC SDN list's six snapshots, in date order: its history is the
# sanctions timeline. A snapshot the store already holds is skipped.
for sdn in "$here"/lists/ofac-sdn/sdn-*.csv.gz; do
  if ! out="$("$sinew" --db "$db" ingest --list ofac-sdn "$sdn" 2>&1)"; then
    if ! grep -q "ofac-sdn already holds " <<<"$out"; then
      echo "$out" >&2
      exit 1
    fi
    echo "unchanged $sdn: the store holds that snapshot of ofac-sdn or a later one"
  else
    echo "$out"
  fi
done
# The latest snapshot read again as a register, through a table mapping: the
# vessels designated under E.O. 14024 counted per flag state (figures).
"$sinew" --db "$db" ingest "$here/lists/ofac-sdn/sdn-2024-05-03.csv.gz" \
  --mapping "$here/mappings/ofac-sdn-russia-vessels.json"

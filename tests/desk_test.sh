#!/usr/bin/env bash
# The default desk (corpus/load.sh) loads whole (the OFAC SDN list too),
# holds every invariant,
# loads again without change, and answers the quickstart's questions with
# what the case files say. Usage: desk_test.sh SOURCE_DIR SINEW_BINARY
set -euo pipefail
src="$1"
export SINEW="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/desk"
fail=0
expect() {  # expect WHAT PATTERN COMMAND...: the command succeeds and prints PATTERN
  local what="$1" pattern="$2"
  shift 2
  local out
  if ! out="$("$SINEW" --db "$db" "$@" 2>&1)"; then
    echo "FAIL: $what: 'sinew $*' failed: $out"
    fail=1
  elif ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: $what: 'sinew $*' does not say '$pattern'"
    fail=1
  else
    echo "ok: $what"
  fi
}
"$src/corpus/load.sh" "$db" >"$work/load.log"
files=$(ls "$src"/corpus/notes/*.json "$src"/corpus/cases/*/[0-9][0-9]-*.json | wc -l)
expect "every note, case file, both bp tables, the OFAC SDN list and its vessel count are sources" \
  "sources       $((files + 4))" stats
expect "every invariant holds, verbatim quotes included" "ok: every invariant holds" check
before="$("$SINEW" --db "$db" stats)"
"$src/corpus/load.sh" "$db" >"$work/again.log"
if grep -q "^ingested" "$work/again.log" || [[ "$("$SINEW" --db "$db" stats)" != "$before" ]]; then
  echo "FAIL: loading the desk again changed it"
  fail=1
else
  echo "ok: loading the desk again changes nothing"
fi
expect "CR-929 depends on TsAGI alone for research" "tsagi (organisation)  a provider of its own" \
  critical cr-929
expect "COMAC is listed as hard to replace, though not CR-929's only provider" \
  "comac  depends_on" critical cr-929
expect "the AHL development link is contested" "contradicts" \
  evidence russian-helicopters advanced-heavy-lift-helicopter --include-scenarios
expect "the Entity List leads to Huawei's Russian R&D" \
  "us-entity-list —causes→ huawei-russia-rd-expansion" \
  chains us-entity-list huawei-russia-rd-expansion --via all --limit 1
expect "OFAC's Rusal designation ran from April 2018 to January 2019" "2018-04-06–2019-01-27" \
  evidence ofac rusal
expect "LNG stands in for Russian gas in China" "lng (resource)" \
  substitutes russia --for china --domain resources
expect "bp's 2020 table says how much gas Turkmenistan piped to China" \
  "pipeline_gas_imports / turkmenistan 2020: 27.2" \
  show china --limit 1
expect "the list's history dates SINNO ELECTRONICS' designation and names its Russian link" \
  "SINNO ELECTRONICS CO., LIMITED                                2022-04-01/2022-12-30  hong-kong  RADIOAVTOMATIKA LLC" \
  query "MATCH (p {id:'eo-14024'})-[t:targets]->(f)-[:located_in]->(c) WHERE c.id IN ['china','hong-kong'] OPTIONAL MATCH (f)-[:related_to]-(r)-[:located_in]->(ru {id:'russia'}) RETURN f.name, t.valid_from, c.id, r.name ORDER BY t.valid_from, f.name LIMIT 10"
expect "record time: VTB's designation arrived with the 2022-03-31 snapshot" \
  "+ 2022-03-31  ofac -sanctions-> vtb (finance)  [ofac-sdn designation:17013:RUSSIA-EO14024]" \
  diff --known-at 2022-02-23 2022-03-31
expect "CR-929's providers under sanctions: OFAC reaches it through UAC" \
  "ofac —sanctions→ united-aircraft-corporation [finance]" \
  chains ofac cr-929 --via sanctions,develops,supplies,participates_in,part_of --all-time --limit 3
expect "an unsettled match waits as a proposed merge" \
  "merge ofac-sdn-18715 (JOINT STOCK COMPANY SBERBANK) into sberbank (Sberbank)" review list --kind merge
expect "the list read as a register counts E.O. 14024's vessels per flag, largest first" \
  "designated_vessels_by_flag / liberia 2024-05-03: 24 vessels" \
  show eo-14024 --limit 1
exit "$fail"

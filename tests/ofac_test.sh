#!/usr/bin/env bash
# The OFAC SDN reader end to end on the vendored 469-entry subset: the six
# snapshots in date order give the counts docs/notes/ofac-sdn-plan.md §4
# worked out from the files; an out-of-order snapshot and malformed files
# are refused with the store unchanged; the Chinese and Hong Kong firms'
# Linked To chains are links; a delisted entry keeps its designation, closed.
# Usage: ofac_test.sh SOURCE_DIR SINEW_BINARY
set -euo pipefail
src="$1"
sinew="$2"
data="$src/tests/data/third_party/sanctions/ofac-sdn"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/db"
fail=0
ok() { echo "ok: $1"; }
bad() {
  echo "FAIL: $1"
  fail=1
}

"$sinew" --db "$db" init >/dev/null
# The gazetteer (states and places, OFAC, the E.O.s) the list links to.
"$sinew" --db "$db" ingest "$src/corpus/notes/00-reference.json" >/dev/null
# snapshot entries designated delisted amended (the plan's §4 table)
while read -r date entries designated delisted amended; do
  out="$("$sinew" --db "$db" --format json ingest --list ofac-sdn "$data/sdn-$date.csv.gz")"
  got="$(python3 -c "import json,sys; j=json.load(sys.stdin); print(j['entries'], j['designated'], j['delisted'], j['amended'])" <<<"$out")"
  if [[ "$got" == "$entries $designated $delisted $amended" ]]; then
    ok "$date: $entries entries, $designated designated, $delisted delisted, $amended amended"
  else
    bad "$date: expected '$entries $designated $delisted $amended', got '$got'"
  fi
done <<'EOF'
2021-08-18 318 318 0 0
2022-02-18 311 9 16 13
2022-03-31 320 10 1 12
2022-12-30 343 27 4 19
2023-12-29 406 68 5 11
2024-05-03 440 37 3 12
EOF

if "$sinew" --db "$db" check | grep -q "ok: every invariant holds"; then
  ok "every invariant holds, quotes verified against the snapshot's text by offsets"
else
  bad "sinew check: $("$sinew" --db "$db" check 2>&1 | head -5)"
fi

# Refusals leave the store as it was.
before="$("$sinew" --db "$db" dump | md5sum)"
if out="$("$sinew" --db "$db" ingest --list ofac-sdn "$data/sdn-2023-12-29.csv.gz" 2>&1)"; then
  bad "an older snapshot was accepted"
elif grep -qF "ofac-sdn already holds 2024-05-03; snapshots must be ingested in date order" <<<"$out"; then
  ok "an older snapshot is refused: $out"
else
  bad "an older snapshot is refused without the reason: $out"
fi
gunzip -c "$data/sdn-2024-05-03.csv.gz" >"$work/sdn.csv"
if out="$("$sinew" --db "$db" ingest "$data/sdn-2024-05-03.csv.gz" 2>&1)"; then
  bad "the list was read without --list"
elif grep -qF "ingest it with --list ofac-sdn" <<<"$out"; then
  ok "without --list, the list's file is pointed to its reader: $out"
else
  bad "without --list: $out"
fi
malformed() {  # malformed WHAT PATTERN: the file in $work/bad.csv is refused so
  local what="$1" pattern="$2" out
  if out="$("$sinew" --db "$db" ingest --list ofac-sdn --snapshot 2025-01-01 "$work/bad.csv" 2>&1)"; then
    bad "$what: accepted"
  elif grep -qF -- "$pattern" <<<"$out"; then
    ok "$what: $out"
  else
    bad "$what: expected '$pattern' in: $out"
  fi
}
sed '3s/^\([0-9]*\),/\1,"EXTRA",/' "$work/sdn.csv" >"$work/bad.csv"
malformed "a record with 13 fields" "bad.csv:3:"
sed '5s/,"\([^"]*\)",/,"\1,/' "$work/sdn.csv" >"$work/bad.csv"
malformed "an unclosed quote" "bad.csv:5:"
head -c 200 "$work/sdn.csv" >"$work/bad.csv"
malformed "a file cut mid-record" "fields; the SDN list has 12 columns"
sed '7s/^[0-9]*,/x12,/' "$work/sdn.csv" >"$work/bad.csv"
malformed "an ent_num that is no number" "bad.csv:7:1: ent_num 'x12' is not a whole number"
{ sed -n '1,2p' "$work/sdn.csv"; sed -n '2p' "$work/sdn.csv"; } >"$work/bad.csv"
malformed "an ent_num twice" "appears twice (first on line 2)"
sed '9s/"/"\xc3\xa9/' "$work/sdn.csv" >"$work/bad.csv"
malformed "a byte above 0x7F" "bad.csv:9:"
sed '4s/"/"\x01/' "$work/sdn.csv" >"$work/bad.csv"
malformed "a control byte" "control byte 0x01"
if [[ "$("$sinew" --db "$db" dump | md5sum)" == "$before" ]]; then
  ok "nothing was written by a refused file"
else
  bad "a refused file changed the store"
fi

# A store made under schema version 2 (no vessel or aircraft types) is refused, not guessed into.
python3 - "$src/corpus/schema.json" "$work/schema-v2.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["version"] = 2
for t in ("vessel", "aircraft"):
    s["node_types"].pop(t)
    for e in s["edge_types"].values():
        for end in ("src", "dst"):
            if t in e[end]:
                e[end].remove(t)
json.dump(s, open(sys.argv[2], "w"))
PY
"$sinew" --db "$work/old" init --schema "$work/schema-v2.json" >/dev/null
if out="$("$sinew" --db "$work/old" ingest --list ofac-sdn "$data/sdn-2021-08-18.csv.gz" 2>&1)"; then
  bad "a store without vessel and aircraft types took the list"
elif grep -qF "created before schema version 3" <<<"$out"; then
  ok "a store under schema version 2 is refused: $out"
else
  bad "a store under schema version 2 is refused without the reason: $out"
fi

# The Chinese firm's chain to the Russian one: 43195 -> 43144 -> 43129.
expect() {  # expect WHAT PATTERN COMMAND...
  local what="$1" pattern="$2" out
  shift 2
  if out="$("$sinew" --db "$db" "$@" 2>&1)" && grep -qF -- "$pattern" <<<"$out"; then
    ok "$what"
  else
    bad "$what: 'sinew $*' does not say '$pattern': $(head -c 600 <<<"$out")"
  fi
}
expect "BEIJING XINGHUA is linked to BEIJING LUCHENG" "ofac-sdn-43144" show ofac-sdn-43195
expect "BEIJING LUCHENG is linked to SMT-ILOGIC" "ofac-sdn-43129" show ofac-sdn-43144
expect "the chain 43195 -> 43144 -> 43129 is found" "ofac-sdn-43129" \
  chains ofac-sdn-43195 ofac-sdn-43129 --via all --limit 1
expect "SINNO ELECTRONICS is linked to RADIOAVTOMATIKA" "ofac-sdn-35348" show ofac-sdn-38641
expect "SINNO ELECTRONICS is located in Hong Kong by its registration" "Registration Number 1401029 (Hong Kong)" \
  evidence ofac-sdn-38641 hong-kong --format json
expect "SINNO ELECTRONICS' designation was in 2022-03-31..2022-12-30" '"valid_from": "2022-04-01/2022-12-30"' \
  evidence ofac ofac-sdn-38641 --format json
expect "MUGABE keeps his designation, closed in 2023-12-30..2024-05-03" '"valid_to": "2023-12-30/2024-05-03"' \
  evidence ofac ofac-sdn-7480 --format json
expect "MUGABE's designation started on or before the first snapshot" '"valid_from": "../2021-08-18"' \
  evidence ofac ofac-sdn-7480 --format json
# VTB BANK PUBLIC JOINT STOCK COMPANY is the gazetteer's VTB Bank: the entry's claim is on it.
expect "VTB's entry resolved to the gazetteer's node" "ofac_ent_num: 17013" show vtb
expect "VTB was designated within 2022-02-19..2022-03-31" '"valid_from": "2022-02-19/2022-03-31"' \
  evidence ofac vtb --format json
expect "E.O. 14024 targets VTB" "is targeted by eo-14024 [finance]" show vtb
expect "E.O. 14024 has its readable name" "Russia harmful foreign activities sanctions (E.O. 14024)" \
  show eo-14024 --limit 1
expect "BEIJING LUCHENG is located in China by its registration" "located in china" \
  show ofac-sdn-43144
# TIMCHENKO (16666, the gazetteer's gennady-timchenko) was renamed and gained E.O. 14024 in
# (2022-02-18, 2022-03-31]: the amendment is kept with its window.
got="$("$sinew" --db "$db" --format json show gennady-timchenko |
  python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['node']['props']['amendments'][0], sort_keys=True))")"
want='{"name": ["TIMCHENKO, Gennady", "TIMCHENKO, Gennady Nikolayevich"], "programs": [["UKRAINE-EO13661"], ["RUSSIA-EO14024", "UKRAINE-EO13661"]], "window": "2022-02-19/2022-03-31"}'
if [[ "$got" == "$want" ]]; then
  ok "TIMCHENKO's amendment is kept with its window"
else
  bad "TIMCHENKO's amendment: got $got"
fi
exit $fail

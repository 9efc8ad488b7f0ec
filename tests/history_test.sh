#!/usr/bin/env bash
# Record time from the command line: a revised note ends what it withdraws
# or changes instead of deleting it, --known-at answers as the store stood
# then (show, evidence, deps, stats), and diff lists what changed between
# two days. Usage: history_test.sh SOURCE_DIR SINEW_BINARY
set -euo pipefail
src="$1"
sinew="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/db"
fail=0
run() { "$sinew" --db "$db" "$@" 2>&1; }
expect() {  # expect WHAT PATTERN COMMAND...: the command succeeds and prints PATTERN
  local what="$1" pattern="$2" out
  shift 2
  if ! out="$(run "$@")"; then
    echo "FAIL: $what: 'sinew $*' failed: $out"
    fail=1
  elif ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: $what: 'sinew $*' does not say '$pattern':"
    echo "$out" | head -20
    fail=1
  else
    echo "ok: $what"
  fi
}
refute() {  # refute WHAT PATTERN COMMAND...: the command succeeds and does not print PATTERN
  local what="$1" pattern="$2" out
  shift 2
  if ! out="$(run "$@")"; then
    echo "FAIL: $what: 'sinew $*' failed: $out"
    fail=1
  elif grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: $what: 'sinew $*' says '$pattern'"
    fail=1
  else
    echo "ok: $what"
  fi
}
run init >/dev/null
SINEW_NOW=2024-01-10T08:00:00Z run ingest "$src/corpus/notes" >/dev/null
note="$(ls "$src"/corpus/cases/huawei/01-*.json)"
cp "$note" "$work/note.json"
SINEW_NOW=2024-01-10T08:00:00Z run ingest "$work/note.json" >/dev/null
# The revision, on 1 June: the last link withdrawn, the first claim given a strength.
python3 - "$work/note.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
gone = d["edges"].pop()
assert (gone["src"], gone["type"], gone["dst"]) == ("huawei", "depends_on", "united-states"), gone
d["edges"][0]["evidence"][0]["strength"] = 0.5
json.dump(d, open(p, "w"), indent=1)
PY
SINEW_NOW=2024-06-01T08:00:00Z run ingest "$work/note.json" >"$work/revise.log"
grep -qF "1 withdrawn" "$work/revise.log" && echo "ok: the revision reports its withdrawal" || { echo "FAIL: ingest does not report the withdrawal"; fail=1; }
expect "every invariant holds, the history included" "ok: every invariant holds" check

refute "today the withdrawn link is gone" "relies on US suppliers" evidence huawei united-states
expect "known-at March: the withdrawn link and its quote are back" "relies on US suppliers" \
  evidence huawei united-states --known-at 2024-03-01
expect "known-at March: deps finds it" "huawei —depends on→ united-states" \
  deps huawei --all-time --known-at 2024-03-01
refute "known-at July: deps does not" "huawei —depends on→ united-states" \
  deps huawei --all-time --known-at 2024-07-01
expect "known-at March: the changed claim had no strength yet" "strength and replaceability not judged" \
  evidence bis huawei --known-at 2024-03-01
expect "today it has one" "strength 0.50" evidence bis huawei
if out="$(run deps huawei --all-time --known-at 2023-12-31)" || ! grep -qF "no node 'huawei'" <<<"$out"; then
  echo "FAIL: known-at before the first ingest, Huawei should be unknown: $out"
  fail=1
else
  echo "ok: known-at before the first ingest, Huawei is unknown"
fi

expect "diff lists the withdrawal" "- 2024-06-01  huawei -depends_on-> united-states (technology)" \
  diff 2024-03-01 2024-07-01
expect "diff lists the change field by field" "strength: - -> 0.50" diff --known-at 2024-03-01 2024-07-01
expect "diff counts" '"withdrawn": 1' diff 2024-03-01 2024-07-01 --format json
expect "diff counts the first ingest as added" '"withdrawn": 0' diff 2023-12-31 2024-03-01 --format json
expect "diff between two days with no change says so" "nothing: the store held the same claims" \
  diff 2024-02-01 2024-03-01
if out="$(run diff 2024-07-01 2024-03-01)"; then
  echo "FAIL: diff accepts a later first day"
  fail=1
else
  echo "ok: diff refuses days in the wrong order: $out"
fi
# Entity resolution a reader could not settle: a proposed same-as claim in the
# review queue; accepting it merges, unmerge splits them again.
cat >"$work/list.json" <<'JSON'
{"format": "sinew-note/1",
 "source": {"id": "test-list", "title": "A test list", "kind": "dataset", "reliability": "A",
            "marking": "TLP:CLEAR"},
 "nodes": [{"id": "list-entry-7", "type": "company", "name": "HUAWEI TECHNOLOGIES CO., LTD.",
            "props": {"list_entry": 7},
            "evidence": [{"key": "same-as:huawei", "quote": "HUAWEI TECHNOLOGIES CO., LTD.",
                          "paraphrase": false, "status": "proposed", "credibility": 2,
                          "basis": "name equals an alias of huawei once the legal form is dropped"}]}],
 "edges": [{"src": "list-entry-7", "type": "part_of", "dst": "china", "domain": "trade",
            "evidence": [{"key": "linked", "quote": "Linked To: CHINA.", "credibility": 1}]}]}
JSON
SINEW_NOW=2024-07-01T08:00:00Z run ingest "$work/list.json" >/dev/null
expect "the merge proposal is in the review queue" "merge list-entry-7 (HUAWEI TECHNOLOGIES CO., LTD.) into huawei" \
  review list --kind merge
ev="$(run review list --kind merge --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
expect "accepting it merges the two" "merged list-entry-7 into huawei" review accept "$ev"
expect "the merged node carries the entry's name as an alias" "HUAWEI TECHNOLOGIES CO., LTD." show huawei
expect "unmerge splits them again" "unmerged list-entry-7" review unmerge list-entry-7
expect "the entry is its own node again" "HUAWEI TECHNOLOGIES CO., LTD." show list-entry-7
refute "and Huawei no longer carries its name" "HUAWEI TECHNOLOGIES CO., LTD." show huawei
expect "the undone same-as claim stands rejected, not proposed again" "nothing to review" \
  review list --kind merge
echo " " >>"$work/list.json"  # other bytes: the list is applied again, decisions replayed
SINEW_NOW=2024-08-01T08:00:00Z run ingest "$work/list.json" >"$work/again.log"
grep -q "^replaced" "$work/again.log" || { echo "FAIL: the list was not applied again"; fail=1; }
expect "re-ingesting the list keeps them apart" "HUAWEI TECHNOLOGIES CO., LTD." show list-entry-7
expect "every invariant holds after merge and unmerge" "ok: every invariant holds" check
# One key on two targets is two claims: a revision that rewords one and adds
# another under the same key changes one and adds one.
cat >"$work/keys.json" <<'JSON'
{"format": "sinew-note/1",
 "source": {"id": "test-keys", "title": "Keys", "kind": "dataset", "reliability": "A",
            "marking": "TLP:CLEAR"},
 "nodes": [{"id": "keys-a", "type": "company", "name": "Keys A",
            "evidence": [{"key": "listed", "quote": "Keys A is listed.", "credibility": 1}]}]}
JSON
SINEW_NOW=2024-09-01T08:00:00Z run ingest "$work/keys.json" >/dev/null
python3 - "$work/keys.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["nodes"][0]["evidence"][0]["quote"] = "Keys A is listed, still."
d["nodes"].append({"id": "keys-b", "type": "company", "name": "Keys B",
                   "evidence": [{"key": "listed", "quote": "Keys B is listed.", "credibility": 1}]})
json.dump(d, open(p, "w"), indent=1)
PY
SINEW_NOW=2024-10-01T08:00:00Z run ingest "$work/keys.json" >/dev/null
expect "a key on two targets: one changed" '"changed": 1' diff 2024-09-15 2024-10-15 --format json
expect "and one added" '"added": 1' diff 2024-09-15 2024-10-15 --format json
expect "the record-day index is whole" "ok: every invariant holds" check
exit $fail

#!/usr/bin/env bash
# The README's first command: set up, build, load the default desk into the
# default store (./sinew.db, or $SINEW_DB) with corpus/load.sh, and answer a
# question from the brief and one from each case file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" | grep -v "^\[\|^-- " || true
test "${PIPESTATUS[0]}" -eq 0
sinew="$root/build/cli/sinew"
export SINEW_DB="${SINEW_DB:-$root/sinew.db}"
SINEW="$sinew" "$root/corpus/load.sh" "$SINEW_DB" | grep -c "^ingested\|^unchanged" |
  sed 's/$/ sources in the desk (corpus\/load.sh)/'
ask() {
  echo
  echo "$1"
  shift
  echo "\$ sinew $*"
  "$sinew" "$@"
}
ask "The brief: which way does Russia–China trade dependence lean, and on what evidence?" \
  asymmetry russia china --domain trade
ask "CR-929: what would cut the airliner off?" critical cr-929
ask "AHL helicopter: does Russian Helicopters develop it, or only supply it? (the sources disagree)" \
  evidence russian-helicopters advanced-heavy-lift-helicopter --include-scenarios
ask "Huawei: how did the Entity List lead to its Russian research and hiring?" \
  chains us-entity-list huawei-russia-rd-expansion --via all --limit 1
ask "Sanctions: when was OFAC's designation of Rusal in force?" evidence ofac rusal
ask "Gas: what could China use instead of Russian gas?" \
  substitutes russia --for china --domain resources
echo
echo "The store is $SINEW_DB. Next: $sinew shell   (help lists the commands; docs/corpus.md has each case's questions)"

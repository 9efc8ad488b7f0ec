#!/usr/bin/env bash
# cmake --install puts sinew where a packaged tool lives: the programs, the
# explorer the installed sinew serve finds (nothing from the source tree),
# the man page naming every command, and completion scripts that parse.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build="$1"
prefix="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail=0
check() {  # check WHAT COMMAND...
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
sinew="$prefix/bin/sinew"
check "sinew and sinew-serve are installed" test -x "$sinew" -a -x "$prefix/bin/sinew-serve"
check "--version names the version" grep -q "^sinew [0-9]" <("$sinew" --version)
check "the explorer is installed" test -f "$prefix/share/sinew/explorer/index.html"
check "the man page is installed" test -s "$prefix/share/man/man1/sinew.1"
commands=$("$sinew" --help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}')
missing=""
for c in $commands; do grep -q "^\.SS $c\b" "$prefix/share/man/man1/sinew.1" || missing="$missing $c"; done
check "the man page has every command (missing:${missing:- none})" test -z "$missing" -a -n "$commands"
check "the bash completion parses" bash -n "$prefix/share/bash-completion/completions/sinew"
check "the bash completion offers export's --dialect" \
  bash -c "source '$prefix/share/bash-completion/completions/sinew'; COMP_WORDS=(sinew export --dia); COMP_CWORD=2; _sinew; [[ \"\${COMPREPLY[*]}\" == --dialect ]]"
check "the zsh completion is installed" grep -q "^#compdef sinew" "$prefix/share/zsh/vendor-completions/_sinew"
# The installed serve finds the installed explorer: run it with the source
# tree out of reach (another working directory) and fetch the page.
db="$prefix/db"
"$sinew" --db "$db" init >/dev/null
check "-o - writes the answer to standard output" \
  grep -q '^{"clearance":"TLP:GREEN"' <("$sinew" --db "$db" export --format jsonl -o - 2>/dev/null)
check "-o FILE writes it to the file instead" \
  bash -c "'$sinew' --db '$db' export --format jsonl -o '$prefix/out.jsonl' 2>/dev/null && grep -q clearance '$prefix/out.jsonl'"
port=$((20000 + RANDOM % 20000))
(cd / && exec "$sinew" --db "$db" serve --port "$port" >"$prefix/serve.log" 2>&1) &
server=$!
page=""
for _ in $(seq 1 50); do
  page=$(python3 -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$port/').read().decode())" 2>/dev/null) && break
  sleep 0.2
done
check "the installed serve serves the installed explorer" grep -q "explorer.js" <<<"$page"
check "it says where the explorer came from" grep -q "$prefix/share/sinew/explorer" "$prefix/serve.log"
exit "$fail"

#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE...: installs the Debian packages not yet
# installed (apt-get update only when one cannot be found), as root or with
# sudo; says WHO asked. Shared by scripts/setup.sh and bench/setup.sh.
set -euo pipefail
who="$1"
shift
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
(( ${#missing[@]} )) || exit 0
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
echo "$who: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

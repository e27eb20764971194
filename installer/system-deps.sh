#!/bin/sh
# Install the Debian packages of the given groups (see debian-packages.txt) that are missing.
# As root: installs them with apt-get. Otherwise: prints the exact command to run and fails, instead of letting Qt
# fail later with an obscure message about a missing library.
# With --optional first (the test-only groups): as root the same; otherwise it only says what is missing and succeeds,
# because the tests that need those packages skip and say why.
set -eu
here=$(dirname "$0")
list="$here/debian-packages.txt"
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
[ "$#" -gt 0 ] || { echo "usage: $0 [--optional] GROUP..." >&2; exit 2; }
command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian-like system; install the equivalents of $list by hand" >&2; exit 0; }

wanted=""
for group in "$@"; do
  wanted="$wanted $(awk -v g="[$group]" '/^\[/{on=($0==g); next} on && !/^#/ && NF {print $1}' "$list")"
done
missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $pkg" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif [ "$optional" -eq 1 ]; then
  echo "system-deps: optional packages missing:$missing (the tests that need them will skip;" \
    "install them with:  sudo apt-get install --no-install-recommends$missing)" >&2
else
  echo "system-deps: these Debian packages are missing:$missing" >&2
  echo "system-deps: install them with:  sudo apt-get install --no-install-recommends$missing" >&2
  exit 1
fi

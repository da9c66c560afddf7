#!/usr/bin/env bash
# packaging/install-deps.sh — install what building, running and testing
# schemawatchd needs on Debian 12 (run as root). Idempotent and
# non-interactive: packages already present are left alone.
#
#   bash packaging/install-deps.sh          build + run + test dependencies
#   bash packaging/install-deps.sh --deb    also what building the .deb needs
set -euo pipefail

pkgs=(
	# build
	build-essential autoconf automake pkg-config
	libpq-dev libsqlite3-dev libevent-dev libyaml-dev libjansson-dev libsystemd-dev
	# run the quick start and the tests: a real PostgreSQL server, sqlite3,
	# jq for JSON assertions, curl for /metrics, mandoc to lint man pages,
	# systemd-analyze to verify the units, runuser/pkill
	postgresql sqlite3 jq curl mandoc systemd util-linux procps
	# the fuzz targets (./configure --enable-fuzzing, tests/fuzz/run.sh):
	# clang, and libFuzzer, which is only a Recommends of clang-14
	clang libclang-rt-14-dev
	# promtool (validates and unit-tests packaging/prometheus/*.yml)
	prometheus
)
[ "${1:-}" = "--deb" ] && pkgs+=(debhelper dpkg-dev fakeroot git)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	echo "install-deps: installed ${missing[*]}"
else
	echo "install-deps: everything is already installed"
fi

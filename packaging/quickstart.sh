#!/usr/bin/env bash
# packaging/quickstart.sh — the README's first command. On a fresh Debian 12
# machine, as root: install the dependencies, build in ./build, put V7 into
# ./dev.db with the migration engine, start the daemon on conf/dev.yaml (one
# SQLite target, the embedded default) and show its status.
# Stop it with: kill "$(cat state/schemawatchd.pid)"
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

[ "$(id -u)" = 0 ] && bash packaging/install-deps.sh
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
mkdir -p build state
(cd build && { [ -f Makefile ] || ../configure -q; } && make -j"$(nproc)" >/dev/null)

swd=build/schemawatchd ctl=build/schemawatchctl cfg=conf/dev.yaml
"$swd" -c "$cfg" --check-config

# V7 into ./dev.db: an upgrade from pending; already at V7 is fine too.
if [ "$("$swd" -c "$cfg" --once --json | jq -r '.targets[0].state')" = pending ] ||
   [ ! -e dev.db ]; then
	"$swd" -c "$cfg" --apply dev
fi

# One daemon per tree: stop one left running by an earlier quick start.
if [ -f state/schemawatchd.pid ] && kill -0 "$(cat state/schemawatchd.pid)" 2>/dev/null; then
	kill "$(cat state/schemawatchd.pid)"
	sleep 1
fi
SCHEMAWATCHD_LOG=stderr nohup "$swd" -c "$cfg" >state/schemawatchd.log 2>&1 &
echo $! >state/schemawatchd.pid
for _ in $(seq 50); do
	[ -S schemawatchd.sock ] && "$ctl" -s schemawatchd.sock status >/dev/null 2>&1 && break
	sleep 0.2
done
"$ctl" -s schemawatchd.sock check >/dev/null || true	# wait for the first result
echo "schemawatchd is running (pid $(cat state/schemawatchd.pid), log state/schemawatchd.log)"
"$ctl" -s schemawatchd.sock status

#!/usr/bin/env bash
# bench/scale.sh — the steady state at scale (issue 14), in one run:
#
#   NPG  PostgreSQL databases with V7, one target each            (300)
#   NTEN tenant schemas with V7 in one more database               (400)
#        as ONE target `tenants` with `schemas: [tenant_*]`: one query
#        reads them all, each schema is a row tenants/tenant_N (a "check"
#        below counts each schema's verdict, as for the databases)
#   NSQ  SQLite files with V7                                      (300)
#
# all at interval 1s, measured for WINDOW seconds after WARM seconds of
# warm-up, then NLAT x 2 DDL changes for the latencies, twice in the same run: with kept connections (the default) and
# with keep_connections: false (a new connection every check: the baseline).
#
# Reported per mode:
#   daemon CPU      utime+stime of the daemon over the window, % of one core
#   server CPU/check  utime+stime of every postgres process over the window
#                   (live ones, plus the postmaster's cutime/cstime, which
#                   holds the backends that exited, i.e. every baseline
#                   connection), divided by the PostgreSQL checks completed
#                   (schemawatchd_target_checks_total of the PostgreSQL targets)
#   RSS             VmRSS of the daemon at the end of the window (and VmHWM),
#                   with its threads and open descriptors
#   latency         NLAT ALTER TABLEs on distinct PostgreSQL targets, after
#                   the window; latency = the check's finish time of the state
#                   change in state.db minus the server's clock right after
#                   the ALTER committed.
#                   "poll": targets without ddl_events; "ddl_events": targets
#                   with it (event trigger installed in every database).
#
# usage: bench/scale.sh [BUILD_DIR]   (NPG, NTEN, NSQ, WINDOW, WARM, NLAT,
# MODES from the environment; KEEP_TMP=1 keeps the files and the daemon's
# smaps). Starts its own PostgreSQL in a temp dir (as user swtest when run as
# root). Takes about 8 minutes with the defaults on a loaded 2-core machine,
# half of it creating the databases.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
NPG=${NPG:-300} NTEN=${NTEN:-400} NSQ=${NSQ:-300}
WINDOW=${WINDOW:-30} WARM=${WARM:-10} NLAT=${NLAT:-20}
swd="$build/schemawatchd"
[ -x "$swd" ] || { echo "bench: build first ($swd not found)" >&2; exit 1; }
hz=$(getconf CLK_TCK)
. "$top/bench/lib.sh"
DPID=
bench_before_cleanup() { [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null; }
maxconn=$((NPG + 200))
# autovacuum off: not the watcher's cost. With 300 idle databases autovacuum
# starts a worker (a fork and a catalog load) every 0.2 s, which the server
# CPU would count.
bench_pg_start swscale "max_connections = $maxconn
shared_buffers = 256MB
autovacuum = off"
ms() { date +%s%3N; }

echo "bench: $NPG databases, $NTEN tenant schemas, $NSQ SQLite files ..."
q -c "CREATE DATABASE tpl"
q -d tpl -f "$top/sql/prompter/v7-upgrade.postgresql.sql"
q -d tpl -f "$top/sql/ddl-events.postgresql.sql"
for i in $(seq 1 "$NPG"); do
	echo "CREATE DATABASE d$i TEMPLATE tpl STRATEGY FILE_COPY;"
done | q >/dev/null
q -c "CREATE DATABASE tenants TEMPLATE tpl STRATEGY FILE_COPY"
for i in $(seq 1 "$NTEN"); do
	echo "CREATE SCHEMA tenant_$i; SET search_path = tenant_$i;"
	cat "$top/sql/prompter/v7-upgrade.postgresql.sql"
done | q -d tenants >/dev/null
sqlite3 "$tmp/tpl.db" ".read $top/sql/prompter/v7-upgrade.sqlite.sql"
for i in $(seq 1 "$NSQ"); do cp "$tmp/tpl.db" "$tmp/s$i.db"; done

# Latency targets: d1..dNLAT are polled, d(NLAT+1)..d(2*NLAT) have ddl_events.
write_cfg() {	# write_cfg KEEP STATE_DIR
	local i ev
	{
		echo "interval: 1s"
		echo "socket: $tmp/ctl.sock"
		echo "state_dir: $2"
		echo "sql_dir: $top/sql/prompter"
		echo "definition: $top/sql/prompter"
		echo "max_concurrent_checks: 64"
		echo "keep_connections: $1"
		echo "max_connections_per_server: $((maxconn - 20))"
		echo "metrics: 127.0.0.1:$port"
		echo "targets:"
		for i in $(seq 1 "$NPG"); do
			ev=false
			[ "$i" -gt "$NLAT" ] && [ "$i" -le $((2 * NLAT)) ] && ev=true
			printf '  - {name: d%s, postgresql: "host=%s user=%s dbname=d%s", ddl_events: %s}\n' \
				"$i" "$tmp" "$user" "$i" "$ev"
		done
		printf '  - {name: tenants, postgresql: "host=%s user=%s dbname=tenants", schemas: ["tenant_*"]}\n' \
			"$tmp" "$user"
		for i in $(seq 1 "$NSQ"); do
			printf '  - {name: s%s, sqlite: %s/s%s.db}\n' "$i" "$tmp" "$i"
		done
	} >"$tmp/sw.yaml"
}
port=$((20000 + RANDOM % 20000))

# CPU ticks of a pid: utime+stime. One awk for everything: forking a
# process per postgres backend would take longer than the window itself.
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# The postmaster's own, its exited children's (cutime+cstime) and every live
# child's utime+stime.
server_ticks() {
	local pm
	pm=$(head -n 1 "$tmp/data/postmaster.pid")
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '
		{ pid = $1; sub(/.*\) /, "") }
		pid == pm { t += $12 + $13 + $14 + $15 }
		$2 == pm { t += $12 + $13 }
		END { print t + 0 }'
}
pg_checks() {
	{ curl -s --max-time 10 "http://127.0.0.1:$port/metrics" || true; } |
		awk '/^schemawatchd_target_checks_total\{target="(d[0-9]+|tenants\/tenant_[0-9]+)"/ { n += $NF } END { print n + 0 }'
}
pct() {	# pct SORTED-FILE P — the P-th percentile (nearest rank)
	awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }' "$1"
}

# ALTER (add or drop a column) on target d$1, print "d$1 WALLMS": the
# server's clock right after the ALTER committed (its own -c, so its own
# transaction), not after psql exited — a DDL event is often recorded before
# psql's process is gone.
ddl() {
	local col="lat_x" sql at
	if [ "$2" = add ]; then
		sql="ALTER TABLE prompt_templates ADD COLUMN $col int"
	else
		sql="ALTER TABLE prompt_templates DROP COLUMN $col"
	fi
	at=$(q -d "d$1" -c "$sql" -c "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")
	echo "d$1 $at"
}

run_mode() {	# run_mode NAME KEEP ACTION(add|drop) WANT-STATE
	local name=$1 keep=$2 act=$3 want=$4 sd="$tmp/state-$1" i d0 s0 c0 d1 s1 c1 t0 t1 step
	mkdir -p "$sd"
	write_cfg "$keep" "$sd"
	"$swd" -c "$tmp/sw.yaml" 2>"$tmp/daemon-$name.log" &
	DPID=$!
	sleep "$WARM"
	# The CPU window: nothing but the daemon's checks runs.
	d0=$(ticks "$DPID"); s0=$(server_ticks); c0=$(pg_checks); t0=$(ms)
	sleep "$WINDOW"
	d1=$(ticks "$DPID"); s1=$(server_ticks); c1=$(pg_checks); t1=$(ms)
	rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$DPID/status")
	hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$DPID/status")
	nthr=$(awk '/^Threads/ { print $2 }' "/proc/$DPID/status")
	nfd=$({ ls "/proc/$DPID/fd" 2>/dev/null || true; } | wc -l)
	if [ -n "${KEEP_TMP:-}" ]; then cp "/proc/$DPID/smaps" "$tmp/smaps-$name" || true; fi
	# Then the latency phase (its psql sessions would count as server CPU).
	: >"$tmp/ddl-$name"
	for i in $(seq 1 "$NLAT"); do
		ddl "$i" "$act" >>"$tmp/ddl-$name"
		sleep 0.$((RANDOM % 5 + 3))
		ddl $((NLAT + i)) "$act" >>"$tmp/ddl-$name"
		sleep 0.$((RANDOM % 5 + 3))
	done
	sleep 5	# let the last changes be checked and recorded
	kill "$DPID"; wait "$DPID" || true; DPID=
	local secs checks
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1000 }')
	checks=$((c1 - c0))
	# Latency of each ALTER: the first change of that target to WANT after it.
	: >"$tmp/lat-poll-$name"; : >"$tmp/lat-ev-$name"
	while read -r tg at; do
		local found n
		found=$(sqlite3 "$sd/state.db" "SELECT min(at_ms) FROM history WHERE kind = 'target'
			AND name = '$tg' AND state = '$want' AND at_ms >= $at")
		n=${tg#d}
		if [ -z "$found" ]; then found=999999; else found=$((found - at)); fi
		if [ "$n" -le "$NLAT" ]; then echo "$found" >>"$tmp/lat-poll-$name"
		else echo "$found" >>"$tmp/lat-ev-$name"; fi
	done <"$tmp/ddl-$name"
	sort -n -o "$tmp/lat-poll-$name" "$tmp/lat-poll-$name"
	sort -n -o "$tmp/lat-ev-$name" "$tmp/lat-ev-$name"
	printf '%s\n' \
	    "mode=$name" \
	    "daemon_cpu_pct=$(awk -v d=$((d1 - d0)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.1f", 100 * d / hz / s }')" \
	    "pg_checks_per_s=$(awk -v c="$checks" -v s="$secs" 'BEGIN { printf "%.0f", c / s }')" \
	    "server_cpu_pct=$(awk -v d=$((s1 - s0)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.0f", 100 * d / hz / s }')" \
	    "server_ms_per_check=$(awk -v d=$((s1 - s0)) -v hz="$hz" -v c="$checks" 'BEGIN { if (c == 0) print "n/a"; else printf "%.2f", 1000 * d / hz / c }')" \
	    "rss_mib=$rss" "rss_peak_mib=$hwm" "fds=$nfd" "threads=$nthr" \
	    "poll_p50_ms=$(pct "$tmp/lat-poll-$name" 50)" "poll_p99_ms=$(pct "$tmp/lat-poll-$name" 99)" \
	    "ddl_events_p50_ms=$(pct "$tmp/lat-ev-$name" 50)" "ddl_events_p99_ms=$(pct "$tmp/lat-ev-$name" 99)" \
	    >"$tmp/result-$name"
	echo "bench: $name done: $(tr '\n' ' ' <"$tmp/result-$name")"
}

# MODES=kept skips the baseline (quick runs while profiling); the report
# needs both.
MODES=${MODES:-kept baseline}
for m in kept baseline; do : >"$tmp/result-$m"; done
case " $MODES " in *" kept "*)
	echo "bench: kept connections (the default) ..."
	run_mode kept true add drift ;;
esac
case " $MODES " in *" baseline "*)
	echo "bench: baseline, keep_connections: false ..."
	run_mode baseline false drop ok ;;
esac

get() { sed -n "s/^$2=//p" "$tmp/result-$1"; }
printf '\nschemawatchd at scale: %d PostgreSQL + %d tenant-schema + %d SQLite targets, interval 1s, %ds window\n' \
	"$NPG" "$NTEN" "$NSQ" "$WINDOW"
printf '  %-36s %14s %14s   goal\n' "" "kept" "baseline"
row() { printf '  %-36s %14s %14s   %s\n' "$1" "$(get kept "$2")" "$(get baseline "$2")" "$3"; }
row "daemon CPU (% of a core)" daemon_cpu_pct "<= 5"
row "PostgreSQL checks per second" pg_checks_per_s "$((NPG + NTEN))"
row "server CPU (% of a core)" server_cpu_pct ""
row "server CPU per PostgreSQL check (ms)" server_ms_per_check "<= 0.5"
row "daemon RSS (MiB)" rss_mib "<= 32"
row "daemon RSS peak (MiB)" rss_peak_mib ""
row "daemon open fds" fds ""
row "daemon threads" threads ""
row "detection p50, polling (ms)" poll_p50_ms ""
row "detection p99, polling (ms)" poll_p99_ms "<= 1100"
row "detection p50, ddl_events (ms)" ddl_events_p50_ms ""
row "detection p99, ddl_events (ms)" ddl_events_p99_ms "<= 100"
echo "  (baseline ddl_events: the targets are polled, as ddl_events needs kept connections)"

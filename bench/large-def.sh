#!/usr/bin/env bash
# bench/large-def.sh — the cost of checking a large, realistic definition
# (issue 13, item 7), measured against baselines in the same run:
#
#   the definition: bench/gen-large-def.sh (N_TABLES tables, default 300,
#   with constraints, foreign keys and indexes, views, materialized views,
#   functions), compiled with --compile-definition and applied with psql
#   into database `big`;
#   (1) one check of `big` (`schemawatchd --once --json`, a new process and
#       connection each time, as `pg_dump` is) relative to
#       `pg_dump --schema-only` of the same database;
#   (1j) the same with the server's JIT compilation off for the check's
#       session (PGOPTIONS='-c jit=off'; see check_nojit below);
#   (2) the same check after N_FILLER (default 10000) unrelated tables, each
#       with a primary key, an index and defaults, were created beside it in
#       the same schema, relative to (1) (scope: definition: the check must
#       not read them).
#
# Each measure is the median of RUNS (default 9; pg_dump: PG_RUNS, default
# 5) of
#   wall    the command's wall time (process start, connect, everything);
#   server  the time the server spent in the statements of that command
#           (log_min_duration_statement = 0, durations summed per
#           application_name: schemawatchd, pg_dump).
# Ratios are what to read: absolute times depend on the machine and its load
# (the load average is printed before and after).
#
# usage: bench/large-def.sh [BUILD_DIR]   (N_TABLES, N_FILLER, RUNS, PG_RUNS,
# KEEP_TMP from the environment). Starts its own PostgreSQL in a temp dir (as
# user swtest when run as root). Takes 2-4 minutes on a loaded 2-core machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
N_TABLES=${N_TABLES:-300} N_FILLER=${N_FILLER:-10000}
RUNS=${RUNS:-9} PG_RUNS=${PG_RUNS:-5}
swd="$build/schemawatchd"
[ -x "$swd" ] || { echo "bench: build first ($swd not found)" >&2; exit 1; }
. "$top/bench/lib.sh"
bench_pg_start swlarge "max_locks_per_transaction = 1024
autovacuum = off
log_min_duration_statement = 0
log_line_prefix = '%a|'"
load() { cut -d' ' -f1-3 /proc/loadavg; }
load0=$(load)

# ---- the definition: generated, compiled, applied ---------------------------
def="$tmp/def"
bash "$top/bench/gen-large-def.sh" "$def" "$N_TABLES"
t0=$(date +%s%3N)
"$swd" --compile-definition "$def" --scratch "host=$tmp user=$user dbname=postgres" \
	>"$tmp/compile.log" 2>&1 || { cat "$tmp/compile.log" >&2; exit 1; }
tcompile=$(($(date +%s%3N) - t0))
q -c "CREATE DATABASE big"
q -d big -f "$def/v1-upgrade.postgresql.sql" >/dev/null
q -d big -c "VACUUM ANALYZE" >/dev/null
count() {	# count RELKIND — relations of that kind in big's public schema
	q -d big -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = '$1'"
}
nfunc=$(q -d big -c "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")
ncon=$(q -d big -c "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'")
echo "bench: big has $(count r) tables, $(count i) indexes, $ncon constraints, $(count v) views, $(count m) materialized views, $nfunc functions (compiled in $tcompile ms)"

printf 'definition: %s\ntargets:\n  - name: big\n    postgresql: "host=%s user=%s dbname=big"\n' \
	"$def" "$tmp" "$user" >"$tmp/sw.yaml"

# ---- measuring --------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Server time of the statements that application APP ran in the log lines
# after line FROM, in microseconds. Extended-protocol statements log parse,
# bind and execute separately: all are summed.
server_us() {	# server_us FROM APP
	tail -n +"$(($1 + 1))" "$tmp/pg.log" | awk -F'|' -v app="$2" '
		$1 == app && match($0, /duration: [0-9.]+ ms/) {
			s += substr($0, RSTART + 10, RLENGTH - 13) }
		END { printf "%d\n", s * 1000 }'
}
# measure RUNS APP COMMAND... — prints "WALL_US SERVER_US", medians of RUNS
# runs after one warm-up run.
measure() {
	local n=$1 app=$2 i t0 t1 from
	shift 2
	"$@" >/dev/null 2>&1 || true
	: >"$tmp/wall" ; : >"$tmp/server"
	for ((i = 0; i < n; i++)); do
		from=$(wc -l <"$tmp/pg.log")
		t0=$(date +%s%6N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%6N)
		sleep 0.2	# the log is written after the reply
		echo $((t1 - t0)) >>"$tmp/wall"
		server_us "$from" "$app" >>"$tmp/server"
	done
	echo "$(median <"$tmp/wall") $(median <"$tmp/server")"
}
verdict() { "$swd" -c "$tmp/sw.yaml" --once --json 2>/dev/null | jq -r '.targets[0].state' || true; }
check() { "$swd" -c "$tmp/sw.yaml" --once --json; }
# The same with the server's JIT off for that session (libpq reads
# PGOPTIONS): the catalog query's estimated cost (generate_series' 1,000 rows
# per index) is far above jit_above_cost, and compiling it costs more than
# running it.
check_nojit() { PGOPTIONS="-c jit=off" "$swd" -c "$tmp/sw.yaml" --once --json; }
dump() { pg_dump --schema-only -d big -f /dev/null; }

state1=$(verdict)
read -r cw1 cs1 < <(measure "$RUNS" schemawatchd check)
read -r jw1 js1 < <(measure "$RUNS" schemawatchd check_nojit)
read -r dw1 ds1 < <(measure "$PG_RUNS" pg_dump dump)

echo "bench: creating $N_FILLER unrelated tables beside it ..."
q -d big -c "SELECT format('CREATE TABLE filler_%s (id int PRIMARY KEY, name text DEFAULT ''x'', created timestamptz DEFAULT now());
                          CREATE INDEX filler_%s_name ON filler_%s (name);', g, g, g)
             FROM generate_series(1, $N_FILLER) g" | psql -X -q -d big >/dev/null
q -d big -c "VACUUM ANALYZE" >/dev/null
state2=$(verdict)
read -r cw2 cs2 < <(measure "$RUNS" schemawatchd check)
read -r jw2 js2 < <(measure "$RUNS" schemawatchd check_nojit)
read -r dw2 ds2 < <(measure "$PG_RUNS" pg_dump dump)
load1=$(load)

# ---- report -------------------------------------------------------------------
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y == 0) print "n/a"; else printf "%.2f", x / y }'; }
msf() { awk -v x="$1" 'BEGIN { printf "%.1f", x / 1000 }'; }
printf '\nlarge definition: %s tables (median of %s checks, %s dumps)\n' "$N_TABLES" "$RUNS" "$PG_RUNS"
printf '  %-52s %s\n' "verdict (1) / (2)" "$state1 / $state2"
printf '  %-52s %s\n' "load average before / after" "$load0 / $load1"
printf '  %-52s %8s %8s\n' "" "wall" "server"
printf '  %-52s %8s %8s  ms\n' "(1) check of big" "$(msf "$cw1")" "$(msf "$cs1")"
printf '  %-52s %8s %8s  ms\n' "    pg_dump --schema-only of big" "$(msf "$dw1")" "$(msf "$ds1")"
printf '  %-52s %8s %8s  x\n' "    check / pg_dump" "$(ratio "$cw1" "$dw1")" "$(ratio "$cs1" "$ds1")"
printf '  %-52s %8s %8s  ms\n' "(1j) check of big, jit = off" "$(msf "$jw1")" "$(msf "$js1")"
printf '  %-52s %8s %8s  x\n' "    check, jit = off / pg_dump" "$(ratio "$jw1" "$dw1")" "$(ratio "$js1" "$ds1")"
printf '  %-52s %8s %8s  ms\n' "(2) check of big + $N_FILLER unrelated tables" "$(msf "$cw2")" "$(msf "$cs2")"
printf '  %-52s %8s %8s  x\n' "    (2) / (1)" "$(ratio "$cw2" "$cw1")" "$(ratio "$cs2" "$cs1")"
printf '  %-52s %8s %8s  ms\n' "(2j) the same, jit = off" "$(msf "$jw2")" "$(msf "$js2")"
printf '  %-52s %8s %8s  x\n' "    (2j) / (1j)" "$(ratio "$jw2" "$jw1")" "$(ratio "$js2" "$js1")"
printf '  %-52s %8s %8s  ms\n' "    pg_dump --schema-only of big + filler" "$(msf "$dw2")" "$(msf "$ds2")"
printf '  %-52s %8s %8s  x\n' "    check / pg_dump (with filler)" "$(ratio "$cw2" "$dw2")" "$(ratio "$cs2" "$ds2")"

#!/usr/bin/env bash
# bench/check-scaling.sh — does a check cost the same with 10,000 unrelated
# tables in the database? Measured in one run against a baseline:
#
#   A: a database with V7 only
#   B: the same plus N unrelated tables (default 10000), each with a primary
#      key, an index and a column default
#
# Reports the median wall time of `schemawatchd --once` on B relative to A,
# the statements the server saw per check (log_statement = all, counted per
# connection of application_name schemawatchd), and the time of a check of B
# relative to `pg_dump --schema-only` of B.
#
# usage: bench/check-scaling.sh [BUILD_DIR] [N_TABLES] [RUNS]
# Starts its own PostgreSQL in a temp dir (as user swtest when run as root).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
ntables=${2:-10000}
runs=${3:-7}
swd="$build/schemawatchd"
[ -x "$swd" ] || { echo "bench: build first ($swd not found)" >&2; exit 1; }
. "$top/bench/lib.sh"
bench_pg_start swbench "max_locks_per_transaction = 1024
log_statement = 'all'
log_line_prefix = '%a|%c|'"

echo "bench: creating database A (V7) and B (V7 + $ntables tables) ..."
for db in a b; do
	q -c "CREATE DATABASE $db"
	q -d "$db" -f "$top/sql/prompter/v7-upgrade.postgresql.sql"
done
q -d b -c "SELECT format('CREATE TABLE filler_%s (id int PRIMARY KEY, name text DEFAULT ''x'', created timestamptz DEFAULT now());
                          CREATE INDEX filler_%s_name ON filler_%s (name);', g, g, g)
             FROM generate_series(1, $ntables) g" | psql -X -q -d b >/dev/null
q -d b -c "VACUUM ANALYZE" >/dev/null
echo "bench: B has $(q -d b -c "SELECT count(*) FROM pg_class WHERE relkind = 'r'") tables"

for db in a b; do
	printf 'definition: %s\ntargets:\n  - name: %s\n    postgresql: "host=%s user=%s dbname=%s"\n' \
		"$top/sql/prompter" "$db" "$tmp" "$user" "$db" >"$tmp/$db.yaml"
done

ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_cmd() {	# time_cmd RUNS COMMAND... — median wall time in microseconds
	local n=$1 i t0 t1
	shift
	"$@" >/dev/null 2>&1	# warm-up
	for ((i = 0; i < n; i++)); do
		t0=$(date +%s%6N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%6N)
		echo $((t1 - t0))
	done | median
}

# Statements per check, seen by the server.
: >"$tmp/pg.log.mark"
before=$(wc -l <"$tmp/pg.log")
"$swd" -c "$tmp/b.yaml" --once --json >"$tmp/once.json"
sleep 0.5
stmts=$(tail -n +"$((before + 1))" "$tmp/pg.log" | grep -c '^schemawatchd|.*LOG:  statement:' || true)
state=$(jq -r '.targets[0].state' "$tmp/once.json")

ta=$(time_cmd "$runs" "$swd" -c "$tmp/a.yaml" --once)
tb=$(time_cmd "$runs" "$swd" -c "$tmp/b.yaml" --once)
td=$(time_cmd 3 pg_dump --schema-only -d b -f /dev/null)

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
printf '\nschemawatchd check scaling (%s unrelated tables, median of %s runs)\n' "$ntables" "$runs"
printf '  %-42s: %s\n' "verdict on B" "$state"
printf '  %-42s: %6d ms  (baseline 1.00)\n' "check of A (V7 only)" $((ta / 1000))
printf '  %-42s: %6d ms  (%s x baseline)\n' "check of B (V7 + $ntables tables)" $((tb / 1000)) "$(ratio "$tb" "$ta")"
printf '  %-42s: %6d ms\n' "pg_dump --schema-only of B" $((td / 1000))
printf '  %-42s: %s x\n' "check of B relative to pg_dump of B" "$(ratio "$tb" "$td")"
printf '  %-42s: %s\n' "statements per check (server log)" "$stmts"

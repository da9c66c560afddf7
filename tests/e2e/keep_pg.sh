#!/usr/bin/env bash
# Kept PostgreSQL connections (issue 14): a target keeps one connection
# between checks; the server closing it (pg_terminate_backend, a restart) is
# a reconnect at the next check, never a state change; keep_connections:
# false connects anew for every check; the budget max_connections_per_server
# holds under 50 targets on one server (counted in pg_stat_activity while
# the checks run) and every target still gets its turn.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

db=$(new_pgdb) || exit 1
pgq "$db" "$(cat "$SQLDIR/v7-upgrade.postgresql.sql")" || exit 1
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
state_is() { [ "$(tstate "$1")" = "$2" ]; }
# Our connections to the test databases, and their backend pids.
nconn() { pgq postgres "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemawatchd'"; }
nconn_is() { [ "$(nconn)" = "$1" ]; }
pids() { pgq postgres "SELECT string_agg(pid::text, ',' ORDER BY pid) FROM pg_stat_activity WHERE application_name = 'schemawatchd'"; }

write_cfg() {	# write_cfg EXTRA-TOP-LEVEL-LINES
	cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
$1
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
YAML
}

# ---- one target, its connection kept ------------------------------------------
write_cfg ""
daemon_start "$SW_TEST_TMP/sw.yaml"
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
ok "pg is ok" wait_until 10 state_is pg ok
is "$(nconn)" 1 "the connection stays open after the check"
p1=$(pids)
ctl check pg >/dev/null
is "$(pids)" "$p1" "the next check reuses the same backend"
# The catalog query is prepared once per connection and then only executed
# (pgprep.h); the server's plan stays exact across DDL, and across the
# schema being dropped and made again (a new oid).
lastq() { pgq postgres "SELECT query FROM pg_stat_activity WHERE application_name = 'schemawatchd'"; }
q=$(lastq)
like "$q" 'EXECUTE schemawatchd_[0-9a-f]{16}' "the kept connection executes the prepared catalog query"
ok "... without preparing it again" test "${q#*PREPARE}" = "$q"
pgq "$db" "ALTER TABLE prompt_templates ADD COLUMN extra text" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg)" drift "a column added is seen through the prepared query"
pgq "$db" "ALTER TABLE prompt_templates DROP COLUMN extra" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg)" ok "and dropped again: ok"
pgq "$db" "DROP SCHEMA public CASCADE; CREATE SCHEMA public; $(cat "$SQLDIR/v7-upgrade.postgresql.sql"); CREATE INDEX extra_ix ON prompt_versions (created_at)" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg)" drift "the schema made anew (a new oid) with an extra index: drift"
q=$(lastq)
is "$(pids)" "$p1" "... on the same backend"
ok "... still by EXECUTE alone" test "${q#*PREPARE}" = "$q"
pgq "$db" "DROP INDEX extra_ix" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg)" ok "the extra index dropped: ok"

pgq postgres "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'schemawatchd'" >/dev/null
ok "the server closed the kept connection" wait_until 10 nconn_is 0
out=$(ctl --json check pg); rc=$?
is "$rc" 0 "a check after pg_terminate_backend succeeds (a reconnect)"
is "$(jq -r '.targets[0].state // .state' <<<"$out" 2>/dev/null)" ok "and reports ok"
is "$(nconn)" 1 "one connection again"
isnt_same() { [ "$(pids)" != "$p1" ]; }
ok "a new backend" isnt_same

pg_server_stop
pg_server_start
out=$(ctl --json check pg); rc=$?
is "$rc" 0 "a check after a server restart succeeds (a reconnect)"
is "$(tstate pg)" ok "the status stays ok"
is "$(ctl --json history pg | jq -r '[.entries[] | select(.state == "unreachable" or .state == "error")] | length')" 0 \
	"history has no unreachable or error entry: no state flap"
is "$(ctl --json history pg | jq -r '[.entries[] | .state] | join(",")')" ok,drift,ok,drift,ok \
	"history holds the changes made above, none from the reconnects"
daemon_stop

# ---- two schemas of one database, one connection string ------------------------
# Both targets share the kept connection and one prepared statement (the
# schema is its parameter), yet each reads its own schema.
pgq "$db" "CREATE SCHEMA t1; CREATE SCHEMA t2; SET search_path = t1; $(cat "$SQLDIR/v7-upgrade.postgresql.sql"); SET search_path = t2; $(cat "$SQLDIR/v7-upgrade.postgresql.sql")" >/dev/null
cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
targets:
  - name: t1
    postgresql: "$(pg_conninfo "$db")"
    schema: t1
  - name: t2
    postgresql: "$(pg_conninfo "$db")"
    schema: t2
YAML
daemon_start "$SW_TEST_TMP/sw.yaml"
ok "t1 is ok" wait_until 10 state_is t1 ok
ok "t2 is ok" wait_until 10 state_is t2 ok
pgq "$db" "ALTER TABLE t2.prompt_templates ADD COLUMN extra text" >/dev/null
ctl check t1 >/dev/null; ctl check t2 >/dev/null
ctl check t1 >/dev/null; ctl check t2 >/dev/null
is "$(tstate t1)/$(tstate t2)" ok/drift "the column added in t2 is t2's drift only"
is "$(pgq postgres "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemawatchd' AND query LIKE '%EXECUTE schemawatchd_%(''t_'')%'")" 1 \
	"one kept connection, executing with the schema as its parameter"
daemon_stop

# ---- the baseline: a new connection for every check ---------------------------
write_cfg "keep_connections: false"
daemon_start "$SW_TEST_TMP/sw.yaml"
ok "keep_connections: false: pg is ok" wait_until 10 state_is pg ok
ok "keep_connections: false: no connection stays open" wait_until 10 nconn_is 0
daemon_stop

# ---- the budget: 50 targets on one server, 5 connections ------------------------
cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 1s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
max_concurrent_checks: 16
max_connections_per_server: 5
targets:
YAML
for i in $(seq 1 50); do
	# Distinct strings, so each target is a connection of its own.
	printf '  - name: t%s\n    postgresql: "%s fallback_application_name=t%s"\n' \
		"$i" "$(pg_conninfo "$db")" "$i" >>"$SW_TEST_TMP/sw.yaml"
done
daemon_start "$SW_TEST_TMP/sw.yaml"
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
max=0 seen=0
for _ in $(seq 1 40); do
	n=$(nconn)
	[ "$n" -gt "$max" ] && max=$n
	[ "$n" -gt 0 ] && seen=$((seen + 1))
	sleep 0.1
done
diag "most connections seen at once: $max"
ok "connections were open while the checks ran" test "$seen" -gt 0
ok "never more than 5 connections to the server (saw $max)" test "$max" -le 5
nok() { [ "$(ctl --json status | jq '[.targets[] | select(.state == "ok")] | length')" = 50 ]; }
ok "every one of the 50 targets got its turn and is ok" wait_until 30 nok
daemon_stop
done_testing

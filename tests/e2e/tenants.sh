#!/usr/bin/env bash
# Schema per tenant (issue 14 item 3): a PostgreSQL target with `schemas:`
# glob patterns has one row TARGET/SCHEMA per matching schema, in status,
# diff, --once --json, history, metrics and alerts; a drifted tenant drifts
# in its own row only; a new schema is a row at the next check; a dropped
# one is reported once ("removed") and forgotten; every check of the target
# is ONE statement on the server (counted in the server's own log with
# log_statement = all on the test database); `apply TARGET/SCHEMA` (and
# `schemawatchd --apply TARGET/SCHEMA`) migrates that schema; a schema dropped while the daemon was stopped is reported by
# the first check after the start. Configuration mistakes name the place.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
rows() { ctl --json status | jq -r '[.targets[].name] | join(",")'; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
state_is() { [ "$(tstate "$1")" = "$2" ]; }

# ---- configuration mistakes name the place ---------------------------------------
cat >"$SW_TEST_TMP/both.yaml" <<YAML
targets:
  - name: prod
    postgresql: "dbname=x"
    schema: public
    schemas: [tenant_*]
YAML
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/both.yaml" --check-config 2>&1); rc=$?
is "$rc" 78 "schema and schemas together: exit 78"
like "$out" "both\.yaml:5:5: target \"prod\" has both \"schema\" and \"schemas\"" \
	"the message names the file, line and column of the second key"

cat >"$SW_TEST_TMP/lite.yaml" <<YAML
targets:
  - name: dev
    sqlite: $SW_TEST_TMP/dev.db
    schemas: [tenant_*]
YAML
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/lite.yaml" --check-config 2>&1); rc=$?
is "$rc" 78 "schemas on an SQLite target: exit 78"
like "$out" "lite\.yaml:4:5: \"schemas\" in target \"dev\": only postgresql targets have schemas" \
	"the message names the place and the reason"

cat >"$SW_TEST_TMP/empty.yaml" <<YAML
targets:
  - name: prod
    postgresql: "dbname=x"
    schemas: []
YAML
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/empty.yaml" --check-config 2>&1); rc=$?
is "$rc" 78 "an empty schemas list: exit 78"
like "$out" "empty\.yaml:4:14: schemas in target \"prod\": the list is empty" "and says where"

cat >"$SW_TEST_TMP/group.yaml" <<YAML
targets:
  - name: prod
    postgresql: "dbname=x"
    schemas: [tenant_*]
  - name: dev
    sqlite: $SW_TEST_TMP/dev.db
groups:
  - name: g
    members: [dev, prod]
YAML
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/group.yaml" --check-config 2>&1); rc=$?
is "$rc" 78 "a schemas target in a group: exit 78"
like "$out" "group\.yaml:9:20: target \"prod\" in members of group \"g\" has \"schemas\"" \
	"and says where"

# ---- a database with tenant schemas ----------------------------------------------
db=$(new_pgdb) || exit 1
v7=$(cat "$SQLDIR/v7-upgrade.postgresql.sql")
tenant() {	# tenant SCHEMA: the schema with V7 in it
	pgq "$db" "CREATE SCHEMA $1; SET search_path = $1; $v7" >/dev/null
}
tenant tenant_a || exit 1
tenant tenant_b || exit 1
tenant other || exit 1		# matches no pattern
pgq "$db" "CREATE SCHEMA tenant_new" >/dev/null	# empty: pending
# Every statement a session of this database runs goes to the server log:
# what the daemon sends is counted there (new sessions take the setting).
pgq "$db" "ALTER DATABASE $db SET log_statement = 'all'" >/dev/null

hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
printf '%s\\n' "\$SCHEMAWATCH_TARGET \$SCHEMAWATCH_STATE" >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"

cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 1h
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
alert_command: ["$hook"]
metrics: "127.0.0.1:1"
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    schemas: ["tenant_*"]
YAML

# --once first: the rows without a daemon.
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --once --json); rc=$?
is "$rc" 1 "--once: exit 1 (tenant_new is pending)"
is "$(jq -r '[.targets[] | "\(.name)=\(.state)"] | join(",")' <<<"$out")" \
	"pg=ok,pg/tenant_a=ok,pg/tenant_b=ok,pg/tenant_new=pending" \
	"--once --json: the target, then one row per matching schema, by name"

start_on_free_port() {	# metrics on a port nobody holds
	local try
	for try in 1 2 3 4 5; do
		PORT=$((20000 + RANDOM % 30000))
		sed "s/^metrics: .*/metrics: \"127.0.0.1:$PORT\"/" "$SW_TEST_TMP/sw.yaml" >"$SW_TEST_TMP/swm.yaml"
		daemon_start "$SW_TEST_TMP/swm.yaml" -v
		if wait_until 5 grep -q "metrics: serving http://127.0.0.1:$PORT/metrics" "$DAEMON_LOG"; then
			return 0
		fi
		grep -q "cannot listen on 127.0.0.1:$PORT" "$DAEMON_LOG" || return 1
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	done
	return 1
}
ok "the daemon starts with metrics" start_on_free_port
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
ok "the schema rows appear" wait_until 10 state_is pg/tenant_a ok
is "$(rows)" "pg,pg/tenant_a,pg/tenant_b,pg/tenant_new" \
	"status: rows for matching schemas only (not \"other\", not pg_*)"
is "$(tstate pg/tenant_new)" pending "an empty tenant schema is pending"
is "$(tstate pg)" ok "the target itself: read fine"

# ---- one statement per check, for all the schemas ------------------------------------
logsize() { stat -c %s "$SW_PGLOG"; }
ctl check pg >/dev/null	# the kept connection exists and has the setting
before=$(logsize)
for _ in 1 2 3; do ctl check pg >/dev/null; done
# Only the daemon talks to $db meanwhile; each statement (simple or
# extended protocol) is one "statement:" / "execute" line.
n=$(tail -c +$((before + 1)) "$SW_PGLOG" | grep -cE 'LOG:  (statement|execute [^:]*):')
is "$n" 3 "three checks of 3 schemas: three statements on the server"

# ---- a drifted tenant drifts in its row only -----------------------------------------
pgq "$db" "ALTER TABLE tenant_b.prompt_templates ADD COLUMN extra int" >/dev/null
out=$(ctl --json check pg); rc=$?
is "$(jq -r '[.targets[] | "\(.name)=\(.state)"] | join(",")' <<<"$out")" \
	"pg=ok,pg/tenant_a=ok,pg/tenant_b=drift,pg/tenant_new=pending" \
	"check pg: every schema checked, only tenant_b drifted"
out=$(ctl --json diff pg/tenant_b)
is "$(jq -r '.differences[0].object' <<<"$out")" "prompt_templates.extra" "diff pg/tenant_b names the column"
is "$(ctl --json diff pg/tenant_a | jq '.differences | length')" 0 "diff pg/tenant_a: none"
out=$(ctl diff pg/tenant_b); rc=$?
like "$out" "prompt_templates.extra" "human diff by row name"
is "$(ctl --json history pg/tenant_b | jq -r '.entries[0].state')" drift "history of the row: drift"
ok "the alert hook ran for the row" wait_until 10 grep -qx "pg/tenant_b drift" "$SW_TEST_TMP/hook.log"
is "$(grep -c '^pg/tenant_a ' "$SW_TEST_TMP/hook.log")" 1 "tenant_a alerted once (ok), not again"

# ---- a new schema is a row at the next check ------------------------------------------
tenant tenant_c
ctl check pg >/dev/null
is "$(rows)" "pg,pg/tenant_a,pg/tenant_b,pg/tenant_c,pg/tenant_new" "tenant_c appears at the next check"
is "$(tstate pg/tenant_c)" ok "and is ok"

# ---- a dropped one is reported once and forgotten ---------------------------------------
pgq "$db" "DROP SCHEMA tenant_c CASCADE" >/dev/null 2>&1
ctl check pg >/dev/null
is "$(rows)" "pg,pg/tenant_a,pg/tenant_b,pg/tenant_new" "tenant_c's row is gone"
ctl check pg >/dev/null
is "$(log_count '^<5>target pg/tenant_c: removed \(was ok\): schema tenant_c is gone')" 1 "the removal is logged once"
is "$(ctl --json history pg/tenant_c | jq -r '[.entries[].state] | join(",")')" "removed,ok" \
	"history of the row: removed, after ok"
ok "the alert hook heard \"removed\"" wait_until 10 grep -qx "pg/tenant_c removed" "$SW_TEST_TMP/hook.log"
not_ok "diff pg/tenant_c: no such row any more" ctl diff pg/tenant_c

# ---- apply by row name ------------------------------------------------------------------
out=$(ctl apply pg 2>&1); rc=$?
isnt_zero() { [ "$1" -ne 0 ]; }
ok "apply on the target itself is refused (exit $rc)" isnt_zero "$rc"
like "$out" "apply one of its rows, pg/SCHEMA" "and says what to do"
out=$(ctl --json apply pg/tenant_new); rc=$?
is "$rc" 0 "apply pg/tenant_new: migrated"
ok "pg/tenant_new is ok after the apply" wait_until 10 state_is pg/tenant_new ok
is "$(pgq "$db" "SELECT string_agg(schemaname, ',' ORDER BY schemaname) FROM pg_tables
	WHERE tablename = 'prompt_results'")" "other,tenant_a,tenant_b,tenant_new" \
	"the V7 tables were created in tenant_new, nowhere else"
is "$(tstate pg/tenant_a)" ok "the other rows are unchanged"

# ---- the target unreachable: its rows follow, one alert ----------------------------------
pgq postgres "ALTER DATABASE $db RENAME TO ${db}_away" >/dev/null 2>&1 ||
	{ pgq postgres "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null;
	  pgq postgres "ALTER DATABASE $db RENAME TO ${db}_away" >/dev/null; }
pgq postgres "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}_away'" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg)" unreachable "the target is unreachable"
is "$(tstate pg/tenant_a)" unreachable "and so are its rows"
terr() { ctl --json status | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .error'; }
is "$(terr pg/tenant_a)" "$(terr pg)" "with the target's reason"
sleep 0.5	# (hooks run asynchronously: give a wrong one time to show)
is "$(grep -c ' unreachable$' "$SW_TEST_TMP/hook.log")" 1 "one alert (the target's), not one per row"
pgq postgres "ALTER DATABASE ${db}_away RENAME TO $db" >/dev/null
ctl check pg >/dev/null
is "$(tstate pg/tenant_a)" ok "back: the rows are ok again"
is "$(ctl --json history pg/tenant_a | jq -r '[.entries[].state] | join(",")')" ok \
	"the row's history never flapped"

# ---- metrics and STATUS= line count the rows ----------------------------------------------
like "$(ctl --json status | jq -r .daemon.status)" "^4 targets: 3 ok, 1 drift \(pg/tenant_b: 1 difference\)" \
	"STATUS= counts the rows"
metric() { curl -sS "http://127.0.0.1:$PORT/metrics" | awk -v s="$1" '$1 == s { print $2 }'; }
is "$(metric 'schemawatchd_target_state{target="pg/tenant_b",kind="postgresql",state="drift"}')" 1 \
	"/metrics: the row's state"
is "$(metric 'schemawatchd_target_state{target="pg/tenant_a",kind="postgresql",state="drift"}')" 0 \
	"/metrics: the other row's"
daemon_stop

# ---- dropped while the daemon was stopped: reported at the first check ------------------
pgq "$db" "DROP SCHEMA tenant_b CASCADE" >/dev/null 2>&1
ok "the daemon starts again" start_on_free_port
ok "the rows are read again" wait_until 10 state_is pg/tenant_a ok
is "$(rows)" "pg,pg/tenant_a,pg/tenant_new" "tenant_b has no row"
ok "its removal is logged, from the state stored before" \
	wait_until 10 grep -q '^<5>target pg/tenant_b: removed (was drift)' "$DAEMON_LOG"
ctl check pg >/dev/null
is "$(log_count '^<5>target pg/tenant_b: removed')" 1 "once"
is "$(ctl --json history pg/tenant_b | jq -r '.entries[0].state')" removed "and recorded"
daemon_stop

# ---- schemawatchd --apply TARGET/SCHEMA, no daemon --------------------------------------
pgq "$db" "CREATE SCHEMA tenant_cli" >/dev/null
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply pg/tenant_cli 2>&1); rc=$?
is "$rc" 0 "--apply pg/tenant_cli: applied"
is "$(pgq "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_cli' AND tablename LIKE 'prompt_%'")" 3 \
	"the V7 tables are in tenant_cli"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply pg 2>&1); rc=$?
is "$rc" 1 "--apply on the schemas target itself: refused"
like "$out" "apply one of its rows, pg/SCHEMA" "with what to do instead"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply pg/other 2>&1); rc=$?
is "$rc" 2 "--apply pg/other (not matching tenant_*): no such target (exit 2)"
like "$out" "no target named \"pg/other\"" "as no such row"
is "$(pgq "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'other' AND tablename = 'alembic_version'")" 0 \
	"and other is untouched"
# ---- the daemon's own schema (ddl-events) is no tenant of a glob -----------------------
pgq "$db" "CREATE SCHEMA schemawatchd; CREATE FUNCTION schemawatchd.f() RETURNS int LANGUAGE sql AS 'SELECT 1'" >/dev/null
sed 's/schemas: \["tenant_\*"\]/schemas: ["*"]/' "$SW_TEST_TMP/sw.yaml" >"$SW_TEST_TMP/star.yaml"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/star.yaml" --once --json)
is "$(jq -r '[.targets[].name] | join(",")' <<<"$out")" \
	"pg,pg/other,pg/public,pg/tenant_a,pg/tenant_cli,pg/tenant_new" \
	"\"*\" matches every application schema but the daemon's own"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/star.yaml" --apply pg/schemawatchd 2>&1); rc=$?
is "$rc" 2 "--apply pg/schemawatchd under \"*\": no such row (exit 2)"
sed 's/schemas: \["tenant_\*"\]/schemas: ["*", schemawatchd]/' "$SW_TEST_TMP/sw.yaml" >"$SW_TEST_TMP/own.yaml"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/own.yaml" --once --json)
is "$(jq -r '[.targets[].name | select(. == "pg/schemawatchd")] | length' <<<"$out")" 1 \
	"named exactly, it is a row"
done_testing

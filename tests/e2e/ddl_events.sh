#!/usr/bin/env bash
# ddl_events (issue 14): `--install-ddl-events` installs the event trigger of
# sql/ddl-events.postgresql.sql (again: replaces it; refused for a role that
# is not superuser, with the fallback said); a target with ddl_events: true
# is checked as soon as DDL commits, well inside its 60 s interval, also
# after its kept connection was cut and re-made.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

db=$(new_pgdb) || exit 1
pgq "$db" "$(cat "$SQLDIR/v7-upgrade.postgresql.sql")" || exit 1
pgq postgres "DO \$\$ BEGIN CREATE ROLE swnosu LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" || exit 1
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/sw.yaml"
cat >"$cfg" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    ddl_events: true
  - name: nosu
    postgresql: "host=$PGHOST user=swnosu dbname=$db"
  - name: lite
    sqlite: $SW_TEST_TMP/x.db
YAML
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
state_is() { [ "$(tstate "$1")" = "$2" ]; }

# ---- installing ---------------------------------------------------------------
out=$("$SCHEMAWATCHD" -c "$cfg" --install-ddl-events pg 2>&1); rc=$?
is "$rc" 0 "--install-ddl-events exits 0 for a superuser"
like "$out" "pg: DDL event trigger installed" "and says so"
is "$(pgq "$db" "SELECT string_agg(evtname || ':' || evtevent, ',' ORDER BY evtname) FROM pg_event_trigger")" \
	"schemawatchd_ddl_end:ddl_command_end,schemawatchd_sql_drop:sql_drop" "both event triggers exist"
"$SCHEMAWATCHD" -c "$cfg" --install-ddl-events pg >/dev/null 2>&1
is "$?" 0 "installing again replaces it"
out=$("$SCHEMAWATCHD" -c "$cfg" --install-ddl-events nosu 2>&1); rc=$?
is "$rc" 1 "a role that is not superuser: refused"
like "$out" "need a superuser.*still checked by polling" "the message names superuser and the fallback"
out=$("$SCHEMAWATCHD" -c "$cfg" --install-ddl-events lite 2>&1); rc=$?
is "$rc" 1 "a SQLite target: refused"
like "$out" "PostgreSQL targets only" "with the reason"
out=$("$SCHEMAWATCHD" -c "$cfg" --install-ddl-events nope 2>&1); rc=$?
is "$rc" 1 "an unknown target: refused"
like "$out" 'no target named "nope"' "the target is named"

# ---- a DDL event triggers a check -----------------------------------------------
daemon_start "$cfg" -v
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
ok "pg is ok" wait_until 10 state_is pg ok
pgq "$db" "ALTER TABLE prompt_templates ADD COLUMN extra text" || exit 1
ok "DDL is seen at once (the interval is 60 s)" wait_until 5 state_is pg drift
like "$(grep -c 'DDL notification' "$DAEMON_LOG")" '^[1-9]' "the log shows the notification"

# The kept connection is cut: the next check re-makes it and LISTENs again.
pgq postgres "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'schemawatchd' AND datname = '$db'" >/dev/null
ctl check pg >/dev/null
pgq "$db" "ALTER TABLE prompt_templates DROP COLUMN extra" || exit 1
ok "after a reconnect DDL is still seen at once" wait_until 5 state_is pg ok
daemon_stop
is "$DAEMON_RC" 0 "the daemon stops cleanly"
done_testing

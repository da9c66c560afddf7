#!/usr/bin/env bash
# The service on its loop: sd_notify sequence (READY, STATUS, WATCHDOG,
# RELOADING/READY, STOPPING), state changes logged once, a hung server that
# delays nobody, drift detected while running, PostgreSQL down and up again,
# reload with a bad file, restart without re-alerting, no password in logs.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon; kill $RECV_PID $MUTE_PID 2>/dev/null' EXIT

H="$SW_BUILDDIR/tests/helpers"
db=$(new_pgdb) || exit 1
pgf "$db" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1

"$H/mute_server" "$SW_TEST_TMP/mute.port" &
MUTE_PID=$!
wait_until 5 test -s "$SW_TEST_TMP/mute.port" || exit 1
mute_port=$(cat "$SW_TEST_TMP/mute.port")

"$H/notify_recv" "$SW_TEST_TMP/notify.sock" >"$SW_TEST_TMP/notify.log" &
RECV_PID=$!
wait_until 5 test -S "$SW_TEST_TMP/notify.sock" || exit 1

# The alert hook records each event: its environment and its stdin.
hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
{ echo "event=\$SCHEMAWATCH_EVENT target=\$SCHEMAWATCH_TARGET state=\$SCHEMAWATCH_STATE prev=\$SCHEMAWATCH_PREVIOUS_STATE"; cat; echo; } >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"

mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
write_config() {
	cat >"$cfg" <<YAML
interval: 1s
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
connect_timeout: 3s
query_timeout: 3s
retry_backoff_max: 2s
alert_command: ["$hook"]
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db") password=hunter2secret"
  - name: lite
    sqlite: $SW_TEST_TMP/dev.db
  - name: hung
    postgresql: "hostaddr=127.0.0.1 port=$mute_port user=x dbname=x password=hunter2secret"
$1
YAML
}
write_config ""

DAEMON_ENV=(NOTIFY_SOCKET="$SW_TEST_TMP/notify.sock" WATCHDOG_USEC=300000)
# WATCHDOG_PID must be the daemon's own pid: exec keeps the pid of this shell.
env SCHEMAWATCHD_LOG=stderr "${DAEMON_ENV[@]}" bash -c 'WATCHDOG_PID=$$ exec "$0" -v -c "$1"' \
	"$SCHEMAWATCHD" "$cfg" >>"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!

ok "READY=1 is sent" wait_until 10 grep -q 'READY=1' "$SW_TEST_TMP/notify.log"
ok "both healthy targets become ok" wait_until 10 grep -q 'STATUS=3 targets: 2 ok' "$SW_TEST_TMP/notify.log"
first_ready=$(grep -n 'READY=1' "$SW_TEST_TMP/notify.log" | head -1 | cut -d: -f1)
first_status=$(grep -n 'STATUS=' "$SW_TEST_TMP/notify.log" | head -1 | cut -d: -f1)
ok "the first STATUS= comes with or before READY=1 (socket listening, config loaded)" test "$first_status" -le "$first_ready"

# The hung server: its check takes connect_timeout (3 s) and must delay nobody.
t0=$(date +%s%3N)
sleep 3
lite_checks=$(grep -c 'target lite: checking' "$DAEMON_LOG")
wd=$(awk -F'\t' -v t0="$t0" '$1 >= 0 && $2 == "WATCHDOG=1"' "$SW_TEST_TMP/notify.log" | wc -l)
ok "the healthy SQLite target kept its 1 s schedule while the hung server held a check (>= 3 checks, got $lite_checks)" \
	test "$lite_checks" -ge 3
gaps=$(awk -F'\t' '$2 == "WATCHDOG=1" { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END { print m + 0 }' "$SW_TEST_TMP/notify.log")
ok "WATCHDOG=1 every ~150 ms (WatchdogSec/2), largest gap ${gaps} ms < 300 ms" test "$gaps" -lt 300
ok "WATCHDOG=1 was sent many times ($wd)" test "$wd" -ge 10
ok "the hung target goes unreachable after the connect timeout" \
	wait_until 10 grep -q 'target hung: unreachable' "$DAEMON_LOG"
like "$(grep 'target hung: unreachable' "$DAEMON_LOG" | head -1)" "timed out" "the reason says it timed out"
like "$(grep 'event=target-unreachable' "$DAEMON_LOG" | head -1)" "message_id=[0-9a-f]{32}" "the event carries a MESSAGE_ID"

# Drift introduced while running is found on the next check.
pgq "$db" "DROP INDEX ux_tpl_org_ws_confighash_active;
           CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash)" || exit 1
ok "drift introduced while running is detected" wait_until 10 grep -q 'target pg: drift detected' "$DAEMON_LOG"
like "$(grep 'target pg: drift detected' "$DAEMON_LOG")" "prompt_templates.ux_tpl_org_ws_confighash_active index_predicate" \
	"the drift log line names the difference"
ok "STATUS= shows the drift" wait_until 5 grep -q 'drift (pg: 1 difference)' "$SW_TEST_TMP/notify.log"
ok "the alert hook ran for the drift" wait_until 5 grep -q 'event=drift-detected target=pg state=drift prev=ok' "$SW_TEST_TMP/hook.log"
ok "the hook got the event JSON on stdin" wait_until 5 grep -q '"kind":"index_predicate"' "$SW_TEST_TMP/hook.log"
sleep 2.5
is "$(log_count 'target pg: drift detected')" "1" "a steady drift is logged once, not at every check"

# Drift that changes while in drift is news: logged (once) and alerted.
pgq "$db" "ALTER TABLE prompt_results ADD COLUMN note text" || exit 1
ok "a second difference while in drift is reported as a change" \
	wait_until 10 grep -q 'target pg: drift changed (2 differences)' "$DAEMON_LOG"
ok "the hook ran for the change" \
	wait_until 5 grep -q 'event=drift-detected target=pg state=drift prev=drift' "$SW_TEST_TMP/hook.log"
sleep 2.5
is "$(log_count 'target pg: drift changed')" "1" "the changed drift is logged once"
pgq "$db" "ALTER TABLE prompt_results DROP COLUMN note" || exit 1
ok "back to one difference is a change too" \
	wait_until 10 grep -q 'target pg: drift changed (1 difference)' "$DAEMON_LOG"

pgq "$db" "DROP INDEX ux_tpl_org_ws_confighash_active;
           CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL" || exit 1
ok "fixing it resolves the drift" wait_until 10 grep -q 'event=drift-resolved target=pg' "$DAEMON_LOG"

# PostgreSQL down, then up: ok -> unreachable -> ok, one line per change.
pg_server_stop
ok "pg goes unreachable when the server stops" wait_until 15 grep -q 'target pg: unreachable' "$DAEMON_LOG"
sleep 3
pg_server_start
ok "pg comes back to ok when the server is back" \
	wait_until 15 grep -q 'target pg: ok (was unreachable)' "$DAEMON_LOG"
sleep 1
is "$(log_count 'target pg: unreachable \(was ')" "1" "the outage is logged once"
is "$(log_count 'target pg: ok \(was unreachable\)')" "1" "the recovery is logged once"

# Reload with a bad file: old configuration keeps running.
cp "$cfg" "$cfg.good"
printf 'interval: 1s\ntargets:\n  - name: pg\n    bogus_key: 1\n' >"$cfg"
kill -HUP "$DAEMON_PID"
ok "a bad reload is logged with the place" wait_until 5 grep -qE 'reload failed.*schemawatchd.yaml:4:5' "$DAEMON_LOG"
ok "RELOADING=1 with MONOTONIC_USEC is sent" grep -qE 'RELOADING=1\|MONOTONIC_USEC=[0-9]+' "$SW_TEST_TMP/notify.log"
n_lite=$(grep -c 'target lite: checking' "$DAEMON_LOG")
sleep 2
ok "after a bad reload the old targets are still checked" test "$(grep -c 'target lite: checking' "$DAEMON_LOG")" -gt "$n_lite"
ok "the daemon is still running" kill -0 "$DAEMON_PID"
reloading_line=$(grep -n 'RELOADING=1' "$SW_TEST_TMP/notify.log" | tail -1 | cut -d: -f1)
ok "READY=1 follows RELOADING=1" test -n "$(tail -n +"$reloading_line" "$SW_TEST_TMP/notify.log" | grep 'READY=1')"

# A good reload adds a target.
sqf "$SW_TEST_TMP/extra.db" "$SQLDIR/v7-upgrade.sqlite.sql"
write_config "  - name: extra
    sqlite: $SW_TEST_TMP/extra.db"
kill -HUP "$DAEMON_PID"
ok "a good reload is logged" wait_until 5 grep -q 'configuration reloaded' "$DAEMON_LOG"
ok "the added target is checked" wait_until 10 grep -q 'target extra: ok' "$DAEMON_LOG"
ok "STATUS= counts the added target" wait_until 5 grep -q 'STATUS=4 targets' "$SW_TEST_TMP/notify.log"

# Drift, then SIGTERM and a restart: no second alert for the same state.
sqlite3 "$SW_TEST_TMP/dev.db" "ALTER TABLE prompt_templates ADD COLUMN note TEXT" || exit 1
ok "SQLite drift detected" wait_until 10 grep -q 'target lite: drift detected' "$DAEMON_LOG"
ok "hook ran for the SQLite drift" wait_until 5 grep -q 'target=lite state=drift' "$SW_TEST_TMP/hook.log"
daemon_stop
ms=$DAEMON_STOP_MS
ok "SIGTERM stops the daemon within a second (${ms} ms)" test "$ms" -lt 1000
is "$DAEMON_RC" "0" "it exits with status 0"
ok "STOPPING=1 is sent" grep -q 'STOPPING=1' "$SW_TEST_TMP/notify.log"
hooks_before=$(grep -c '^event=' "$SW_TEST_TMP/hook.log")
drift_logs_before=$(log_count 'target lite: drift detected')
daemon_start "$cfg" -v
ok "the restarted daemon checks lite again" \
	wait_until 10 bash -c "test \$(grep -c 'target lite: checking' '$DAEMON_LOG') -gt $n_lite"
sleep 3
is "$(log_count 'target lite: drift detected')" "$drift_logs_before" "a restart does not log the known drift again"
is "$(grep -c '^event=' "$SW_TEST_TMP/hook.log")" "$hooks_before" "a restart does not run the hook again"
ok "the state history is in state.db" test -s "$SW_TEST_TMP/state/state.db"
is "$(sqlite3 "$SW_TEST_TMP/state/state.db" "SELECT count(*) > 0 FROM history WHERE name = 'lite' AND state = 'drift'")" "1" \
	"the drift is recorded in the history"
daemon_stop

is "$(grep -c hunter2secret "$DAEMON_LOG" "$SW_TEST_TMP/notify.log" "$SW_TEST_TMP/hook.log" | awk -F: '{ s += $2 } END { print s }')" "0" \
	"the password never appears in logs, STATUS= or hook events"
done_testing

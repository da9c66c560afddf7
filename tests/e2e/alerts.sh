#!/usr/bin/env bash
# Alerts are not lost (issue 15 item 3), on a running daemon with a real
# SQLite target: while the alert hook fails, its events wait in state.db's
# outbox and /metrics counts the failures; a daemon stopped then still holds
# them, and the next start delivers them once each, in order, when the hook
# works again. GET /healthz answers 200; reloads are counted ok / refused.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1

hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
# Fails while the file "fail" exists, like a pager service that is down.
[ -e "$SW_TEST_TMP/fail" ] && exit 1
printf '%s\\n' "event=\$SCHEMAWATCH_EVENT state=\$SCHEMAWATCH_STATE prev=\$SCHEMAWATCH_PREVIOUS_STATE" >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"
touch "$SW_TEST_TMP/fail"

mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
write_config() {	# write_config PORT
	cat >"$cfg" <<YAML
interval: 1s
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
metrics: "127.0.0.1:$1"
alert_command: ["$hook"]
alert_timeout: 5s
targets:
  - name: dev
    sqlite: $SW_TEST_TMP/dev.db
YAML
}
start_on_free_port() {
	local try
	for try in 1 2 3 4 5; do
		PORT=$((20000 + RANDOM % 30000))
		write_config "$PORT"
		daemon_start "$cfg" -v
		if wait_until 5 grep -q "metrics: serving http://127.0.0.1:$PORT/metrics" "$DAEMON_LOG"; then
			return 0
		fi
		grep -q "cannot listen on 127.0.0.1:$PORT" "$DAEMON_LOG" || return 1
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	done
	return 1
}
metric() {	# metric SERIES -> its value
	curl -sS "http://127.0.0.1:$PORT/metrics" | awk -v s="$1" '$1 == s { print $2 }'
}
metric_at_least() { [ "$(metric "$1")" -ge "$2" ] 2>/dev/null; }
# The daemon writes state.db meanwhile: wait for its lock rather than fail.
outbox() { sqlite3 -cmd ".timeout 5000" "$SW_TEST_TMP/state/state.db" "SELECT count(*) FROM outbox"; }
CTL() { "$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" "$@"; }

# ---- the hook fails: events wait ----------------------------------------------
ok "the daemon starts with metrics" start_on_free_port || { done_testing; exit 1; }
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" "200" "GET /healthz: 200"
is "$(curl -sS "http://127.0.0.1:$PORT/healthz")" "ok" "... saying ok"
ok "the first check's event fails to reach the hook" \
	wait_until 15 metric_at_least schemawatchd_alert_failures_total 1
# A second event while the first still waits: drift (an index lost its WHERE).
sq "$SW_TEST_TMP/dev.db" "DROP INDEX ux_tpl_org_ws_confighash_active;
	CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash)" || exit 1
ok "the drift is seen" wait_until 15 bash -c "'$SCHEMAWATCHCTL' -s '$SW_TEST_TMP/ctl.sock' --json status | jq -e '.targets[0].state == \"drift\"'"
ok "the failures are retried" wait_until 15 metric_at_least schemawatchd_alert_retries_total 1
is "$(metric schemawatchd_alerts_pending)" "2" "/metrics: two alerts pending"
is "$(metric schemawatchd_alert_deliveries_total)" "0" "/metrics: none delivered"
is "$(outbox)" "2" "state.db's outbox holds both"
ok "failures are logged as hook-failed" grep -q 'alert hook for target dev: ok failed: exit status 1' "$DAEMON_LOG"

# ---- reloads, counted ------------------------------------------------------------
kill -HUP "$DAEMON_PID"
ok "a reload is counted ok" wait_until 5 metric_at_least 'schemawatchd_reloads_total{result="ok"}' 1
cp "$cfg" "$cfg.good"
printf 'targets: [\n' >>"$cfg"
kill -HUP "$DAEMON_PID"
ok "a broken configuration's reload is counted refused" \
	wait_until 5 metric_at_least 'schemawatchd_reloads_total{result="refused"}' 1
is "$(metric 'schemawatchd_reloads_total{result="ok"}')" "1" "... and not ok"
cp "$cfg.good" "$cfg"

# ---- stop, hook repaired, start: delivered once, in order ------------------------------
daemon_stop
is "$DAEMON_RC" "0" "the daemon stops cleanly with alerts undelivered"
ok "nothing reached the hook" test ! -s "$SW_TEST_TMP/hook.log"
is "$(outbox)" "2" "after the stop both alerts are still in state.db"
rm -f "$SW_TEST_TMP/fail"
daemon_start "$cfg" -v
ok "after the restart the hook gets both" \
	wait_until 15 bash -c "[ \"\$(wc -l <'$SW_TEST_TMP/hook.log')\" -ge 2 ]"
sleep 1.5	# one more check: it must not add an alert (drift is known)
is "$(cat "$SW_TEST_TMP/hook.log")" \
	"$(printf '%s\n' "event=target-state state=ok prev=unknown" "event=drift-detected state=drift prev=ok")" \
	"each exactly once, in the order they happened"
is "$(outbox)" "0" "the outbox is empty"
is "$(metric schemawatchd_alert_deliveries_total)" "2" "/metrics: two deliveries"
is "$(metric schemawatchd_alert_failures_total)" "0" "/metrics: no failure since the start"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" "200" "GET /healthz: 200 again"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/healthz")" "405" "POST /healthz: 405"
daemon_stop
done_testing

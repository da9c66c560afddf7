#!/usr/bin/env bash
# Divergence groups and the Prometheus endpoint on a running daemon:
# SQLite dev and PostgreSQL prod at V7 are converged; a change on prod
# diverges the group (one log line, one hook run, the right difference in
# `status`, STATUS= and /metrics); reverting converges it; two members that
# drifted the same way are converged; V7 vs pending is diverged; /metrics
# answers only GET, survives malformed requests; a restart does not re-alert;
# the example alert rules are valid and name only metrics the daemon exports.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon; kill $RECV_PID 2>/dev/null; exec 3<&- 4<&- 2>/dev/null' EXIT

H="$SW_BUILDDIR/tests/helpers"
RULES="$SW_SRCDIR/packaging/prometheus/schemawatchd-rules.yml"
CTL() { "$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" "$@"; }

# ---- databases ----------------------------------------------------------------
prod=$(new_pgdb) || exit 1
pgf "$prod" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
# Two members drifted the same way: the partial unique index lost its WHERE.
drift_pg=$(new_pgdb) || exit 1
pgf "$drift_pg" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
pgq "$drift_pg" "DROP INDEX ux_tpl_org_ws_confighash_active;
	CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash)" || exit 1
sqf "$SW_TEST_TMP/drift.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
sq "$SW_TEST_TMP/drift.db" "DROP INDEX ux_tpl_org_ws_confighash_active;
	CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash)" || exit 1
# A pending target: no V7 table at all.
pend=$(new_pgdb) || exit 1

"$H/notify_recv" "$SW_TEST_TMP/notify.sock" >"$SW_TEST_TMP/notify.log" &
RECV_PID=$!
wait_until 5 test -S "$SW_TEST_TMP/notify.sock" || exit 1

hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
# One line per event, written at once: hooks run concurrently.
json=\$(cat)
printf '%s\\n' "event=\$SCHEMAWATCH_EVENT kind=\$SCHEMAWATCH_KIND group=\${SCHEMAWATCH_GROUP:-} target=\${SCHEMAWATCH_TARGET:-} state=\$SCHEMAWATCH_STATE prev=\$SCHEMAWATCH_PREVIOUS_STATE diffs=\$SCHEMAWATCH_DIFFERENCES json=\$json" >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"
touch "$SW_TEST_TMP/hook.log"

mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
write_config() {	# write_config PORT
	cat >"$cfg" <<YAML
interval: 1s
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
connect_timeout: 3s
query_timeout: 3s
metrics: "127.0.0.1:$1"
alert_command: ["$hook"]
targets:
  - name: dev
    sqlite: $SW_TEST_TMP/dev.db
  - name: prod
    postgresql: "$(pg_conninfo "$prod")"
  - name: drift-lite
    sqlite: $SW_TEST_TMP/drift.db
  - name: drift-pg
    postgresql: "$(pg_conninfo "$drift_pg")"
  - name: pend
    postgresql: "$(pg_conninfo "$pend")"
groups:
  - name: dev-vs-prod
    members: [dev, prod]
  - name: same-drift
    members: [drift-lite, drift-pg]
  - name: v7-vs-pending
    members: [dev, pend]
YAML
}

# start_on_free_port: a random port; another one if it is taken.
start_on_free_port() {
	local try
	for try in 1 2 3 4 5; do
		PORT=$((20000 + RANDOM % 30000))
		write_config "$PORT"
		DAEMON_ENV=(NOTIFY_SOCKET="$SW_TEST_TMP/notify.sock")
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
ok "the daemon starts with the metrics endpoint" start_on_free_port || { done_testing; exit 1; }
URL="http://127.0.0.1:$PORT"

group_state() {		# group_state NAME -> its state in `status --json`
	CTL --json status 2>/dev/null | jq -r --arg g "$1" '.groups[] | select(.name == $g) | .state'
}
group_is() { [ "$(group_state "$1")" = "$2" ]; }
glog() { log_count "^<[0-9]>group $1: ($2)"; }	# the events, not the hook's lines
ghooks() { grep -c "^event=.* group=$1 .*state=$2 " "$SW_TEST_TMP/hook.log" || true; }

# ---- converged, diverged, converged -----------------------------------------------
ok "SQLite dev and PostgreSQL prod at V7: converged" wait_until 15 group_is dev-vs-prod converged
ok "two members that drifted the same way: converged" wait_until 10 group_is same-drift converged
is "$(CTL --json status | jq -r '[.targets[] | select(.name == "drift-lite" or .name == "drift-pg") | .state] | join(",")')" \
	"drift,drift" "... while each of them is in drift"
ok "a V7 member and a pending member: diverged" wait_until 10 group_is v7-vs-pending diverged
is "$(CTL --json status | jq -r '.groups[] | select(.name == "v7-vs-pending") | [.differences[].kind] | unique | join(",")')" \
	"missing_table" "... by missing tables"
is "$(CTL --json status | jq -r '.groups[] | select(.name == "v7-vs-pending") | .differences[0].members | join(",")')" \
	"dev,pend" "... each difference names both members"
ok "the converged group was announced once" wait_until 5 test "$(glog dev-vs-prod 'converged \(was unknown\)')" = 1
ok "... and its hook ran" wait_until 5 test "$(ghooks dev-vs-prod converged)" = 1
like "$(grep 'event=group-diverged' "$DAEMON_LOG" | grep v7-vs-pending | head -1)" \
	"message_id=[0-9a-f]{32}" "a group event carries its MESSAGE_ID"

# prod changes: the partial index loses its predicate.
pgq "$prod" "DROP INDEX ux_tpl_org_ws_confighash_active;
	CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash)" || exit 1
ok "a change on prod diverges dev-vs-prod" wait_until 10 group_is dev-vs-prod diverged
diff_json=$(CTL --json status | jq -c '.groups[] | select(.name == "dev-vs-prod") | .differences')
is "$(jq -r 'length' <<<"$diff_json")" "1" "... by one difference"
is "$(jq -r '.[0] | "\(.object) \(.kind) \(.members | join(","))"' <<<"$diff_json")" \
	"prompt_templates.ux_tpl_org_ws_confighash_active index_predicate dev,prod" \
	"... the index predicate, between dev and prod"
like "$(jq -r '.[0].expected' <<<"$diff_json")" "deleted_at" "... expected: dev's value has the predicate"
unlike "$(jq -r '.[0].actual // ""' <<<"$diff_json")" "deleted_at" "... actual: prod's value has none"
ok "STATUS= shows the diverged group" \
	wait_until 5 grep -q 'dev-vs-prod: 1 difference' "$SW_TEST_TMP/notify.log"
like "$(CTL --json status | jq -r .daemon.status)" "groups: .*diverged \(.*dev-vs-prod: 1 difference" \
	"schemawatchctl status carries it in its summary"
human=$(CTL status)
like "$human" "dev-vs-prod +diverged" "the human status lists the group and its state"
ok "the hook ran for the divergence" wait_until 5 test "$(ghooks dev-vs-prod diverged)" = 1
like "$(grep 'group=dev-vs-prod .*state=diverged' "$SW_TEST_TMP/hook.log")" \
	'"kind":"group".*"members":\["dev","prod"\].*"kind":"index_predicate"' "... with the event JSON on stdin"
like "$(grep 'group=dev-vs-prod .*state=diverged' "$SW_TEST_TMP/hook.log")" "kind=group .*prev=converged diffs=1" \
	"... and the facts in its environment"

metrics=$(curl -sS "$URL/metrics")
like "$metrics" $'\nschemawatchd_group_diverged\\{group="dev-vs-prod"\\} 1\n' "/metrics: dev-vs-prod diverged"
like "$metrics" $'\nschemawatchd_group_state\\{group="same-drift",state="converged"\\} 1\n' "/metrics: same-drift converged"
like "$metrics" $'\nschemawatchd_target_state\\{target="prod",kind="postgresql",state="drift"\\} 1\n' "/metrics: prod in drift"
like "$metrics" $'\nschemawatchd_target_state\\{target="dev",kind="sqlite",state="ok"\\} 1\n' "/metrics: dev ok"
like "$metrics" $'\nschemawatchd_target_state\\{target="pend",kind="postgresql",state="pending"\\} 1\n' "/metrics: pend pending"
like "$metrics" $'\nschemawatchd_target_differences\\{target="prod"\\} 1\n' "/metrics: prod has one difference"
like "$metrics" $'\nschemawatchd_target_checks_total\\{target="dev"\\} [1-9]' "/metrics: checks are counted"
like "$metrics" $'\nschemawatchd_target_last_check_timestamp_seconds\\{target="dev"\\} 1[0-9]{9}\\.[0-9]{3}\n' \
	"/metrics: last check time in seconds"
like "$metrics" 'schemawatchd_build_info\{version="[^"]+"\} 1' "/metrics: build info"

sleep 2.5
is "$(glog dev-vs-prod diverged)" "1" "a steady divergence is logged once, not at every check"
is "$(ghooks dev-vs-prod diverged)" "1" "... and alerted once"

pgq "$prod" "DROP INDEX ux_tpl_org_ws_confighash_active;
	CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL" || exit 1
ok "reverting prod converges the group again" wait_until 10 group_is dev-vs-prod converged
ok "the convergence is logged" wait_until 5 test "$(glog dev-vs-prod 'converged \(was diverged\)')" = 1
ok "... and alerted" wait_until 5 test "$(ghooks dev-vs-prod converged)" = 2
sleep 1.5
is "$(glog dev-vs-prod 'diverged|converged')" "3" "three changes, three log lines (converged, diverged, converged)"
is "$(grep -c 'group=dev-vs-prod ' "$SW_TEST_TMP/hook.log")" "3" "... and three hook runs"
like "$(curl -sS "$URL/metrics")" $'\nschemawatchd_group_diverged\\{group="dev-vs-prod"\\} 0\n' "/metrics: dev-vs-prod no longer diverged"

# ---- the HTTP endpoint ----------------------------------------------------------------------
hdrs=$(curl -sS -D - -o /dev/null "$URL/metrics" | tr -d '\r')
like "$hdrs" '^HTTP/1.1 200' "GET /metrics: 200"
like "$hdrs" $'\nContent-Type: text/plain; version=0.0.4' "... with the exposition format's content type"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL/metrics")" "405" "POST /metrics: 405"
like "$(curl -s -D - -o /dev/null -X DELETE "$URL/metrics" | tr -d '\r')" $'\nAllow: GET, HEAD' "DELETE /metrics: 405 with Allow"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/other")" "404" "GET /other: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/")" "404" "GET /: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics/")" "404" "GET /metrics/: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics?x=1")" "200" "GET /metrics?query: 200"

# Malformed requests: each must get an error or a close, never a crash or a stall.
raw() {		# raw TEXT -> the status line of whatever comes back (5 s at most)
	timeout 5 bash -c 'exec 5<>/dev/tcp/127.0.0.1/'"$PORT"'; printf "%b" "$1" >&5; head -c 200 <&5 | head -1' _ "$1" 2>/dev/null | tr -d '\r'
}
like "$(raw 'GARBAGE\r\n\r\n')" '^(HTTP/1\.[01] 4[0-9][0-9]( .*)?|)$' "a garbage request line gets an error or a close"
like "$(raw 'GET /metrics HTTP/9.9\r\n\r\n')" '^(HTTP/1\.[01] [45][0-9][0-9]( .*)?|)$' "an unknown HTTP version is refused"
like "$(raw 'BREW /metrics HTTP/1.1\r\nHost: x\r\n\r\n')" '^(HTTP/1\.[01] [45][0-9][0-9]( .*)?|)$' "an unknown method is refused"
like "$(raw '\x00\x01\x02\xff\xfe\r\n\r\n')" '^(HTTP/1\.[01] 4[0-9][0-9]( .*)?|)$' "binary junk gets an error or a close"
like "$(raw 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n')" '^(HTTP/1\.[01] (200|4[0-9][0-9])( .*)?|)$' "a negative Content-Length is harmless"
big=$(head -c 20000 /dev/zero | tr '\0' 'a')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$URL/metrics")
ok "a 20 KB header is refused (got $code)" test "$code" != 200
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @<(head -c 100000 /dev/zero) "$URL/metrics")
ok "a 100 KB body is refused (got $code)" test "$code" != 200
code=$(curl -s -o /dev/null -w '%{http_code}' --request-target '*' -X OPTIONS "$URL/metrics")
ok "OPTIONS * is not answered with metrics (got $code)" test "$code" != 200
code=$(curl -s -o /dev/null -w '%{http_code}' --request-target '/../../etc/passwd' "$URL/metrics")
ok "a path escaping the root is 404 or 400 (got $code)" test "$code" = 404 -o "$code" = 400
# A client that sends half a request and waits must not hold up others.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /metr' >&3
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
is "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$URL/metrics")" "200" "a stalled client does not block other scrapes"
exec 3<&- 4<&-
ok "the daemon survived every malformed request" kill -0 "$DAEMON_PID"
is "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$URL/metrics")" "200" "... and still answers GET /metrics"
like "$(CTL --json status 2>&1)" '"targets": *\[' "the control socket still answers"

# ---- restart: no second alert ------------------------------------------------------------------
daemon_stop
hooks_before=$(grep -c '^event=.* kind=group ' "$SW_TEST_TMP/hook.log")
logs_before=$(log_count '^<[0-9]>group [a-z-]+: (diverged|converged)')
daemon_start "$cfg" -v
ok "the restarted daemon serves metrics again" \
	wait_until 10 bash -c "curl -sf '$URL/metrics' >/dev/null"
ok "after the restart dev-vs-prod is converged again" wait_until 15 group_is dev-vs-prod converged
ok "... v7-vs-pending diverged again" wait_until 10 group_is v7-vs-pending diverged
ok "... same-drift converged again" wait_until 10 group_is same-drift converged
sleep 1.5
is "$(log_count '^<[0-9]>group [a-z-]+: (diverged|converged)')" "$logs_before" "a restart does not log the known group states again"
is "$(grep -c '^event=.* kind=group ' "$SW_TEST_TMP/hook.log")" "$hooks_before" "... nor run the hook again"
is "$(sqlite3 "$SW_TEST_TMP/state/state.db" "SELECT count(*) FROM history WHERE kind = 'group' AND name = 'dev-vs-prod'")" \
	"3" "the group's changes are in state.db"

# ---- the example alert rules ---------------------------------------------------------------------
exported=$(curl -sS "$URL/metrics" | awk '/^# TYPE / { print $3 }' | sort -u)
daemon_stop
# Metric names used in expressions: identifiers followed by { or a space or
# an operator; PromQL functions and keywords are followed by "(".
used=$(grep -E '^\s*expr:' "$RULES" | sed -E 's/^\s*expr:\s*//' |
	grep -oE '[a-zA-Z_:][a-zA-Z0-9_:]*(\{|\s|$)' | sed -E 's/[{[:space:]]$//' |
	grep -vE '^(by|without|on|ignoring|group_left|group_right|bool|and|or|unless|offset)$' | sort -u)
missing=""
for m in $used; do
	[ "$m" = up ] && continue	# written by Prometheus itself for each scrape
	grep -qx "$m" <<<"$exported" || missing="$missing $m"
done
is "$missing" "" "every metric in the alert rules is exported by the daemon"
for a in SchemaDrift SchemaGroupDiverged SchemaTargetUnreachable; do
	ok "the rules define $a" grep -q "alert: $a\$" "$RULES"
done
if command -v promtool >/dev/null; then
	ok "promtool accepts the rules" promtool check rules "$RULES"
	# And they fire: drift and divergence for 5 minutes, unreachable for 10.
	cat >"$SW_TEST_TMP/rules-test.yml" <<TEST
rule_files: ["$RULES"]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'schemawatchd_target_state{target="prod",kind="postgresql",state="drift"}'
        values: '0 1 1 1 1 1 1 1 1 1 1 1 1'
      - series: 'schemawatchd_target_differences{target="prod"}'
        values: '0 2 2 2 2 2 2 2 2 2 2 2 2'
      - series: 'schemawatchd_target_state{target="dev",kind="sqlite",state="unreachable"}'
        values: '1 1 1 1 1 1 1 1 1 1 1 1 1'
      - series: 'schemawatchd_group_diverged{group="dev-vs-prod"}'
        values: '0 0 1 1 1 1 1 1 1 1 1 1 1'
      - series: 'schemawatchd_group_differences{group="dev-vs-prod"}'
        values: '0 0 2 2 2 2 2 2 2 2 2 2 2'
    alert_rule_test:
      - { eval_time: 4m, alertname: SchemaDrift, exp_alerts: [] }
      - eval_time: 7m
        alertname: SchemaGroupDiverged
        exp_alerts:
          - exp_labels: { severity: warning, group: dev-vs-prod }
            exp_annotations:
              summary: "Schemas of group dev-vs-prod diverged"
              description: "The members of dev-vs-prod (e.g. dev and prod) no longer have the same schema: 2 difference(s). \`schemawatchctl status --json\` lists them."
      - eval_time: 11m
        alertname: SchemaTargetUnreachable
        exp_alerts:
          - exp_labels: { severity: warning, target: dev, kind: sqlite, state: unreachable }
            exp_annotations:
              summary: "schemawatchd cannot read dev"
              description: "dev has been unreachable for 10 minutes; its schema is not being watched. \`schemawatchctl status\` shows the reason."
      - eval_time: 6m
        alertname: SchemaDrift
        exp_alerts:
          - exp_labels: { severity: warning, target: prod, kind: postgresql, state: drift }
            exp_annotations:
              summary: "Schema drift on prod"
              description: "prod (postgresql) differs from the canonical V7 schema in 2 place(s). See \`schemawatchctl diff prod\`."
TEST
	ok "promtool: the alerts fire when they should" promtool test rules "$SW_TEST_TMP/rules-test.yml"
else
	diag "promtool not installed (Debian package: prometheus): rules checked by name only"
fi
done_testing

#!/usr/bin/env bash
# Every apply recorded, whichever way it came (issue 15 item 2), on real
# SQLite and PostgreSQL: a one-shot `schemawatchd --apply` while the daemon
# runs goes through the daemon (history with the true before/after, the alert
# hook, the status right at once); `schemawatchctl apply` records the state
# the apply found inside its transaction as "previous", not the daemon's
# stale one; a dry run is never a failed migration; with no daemon running
# the one-shot records the apply in state.db and the next start alerts it.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

db=$(new_pgdb) || exit 1
sq "$SW_TEST_TMP/lite.db" "CREATE TABLE unrelated (id INTEGER PRIMARY KEY)" || exit 1
hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
printf '%s\\n' "event=\$SCHEMAWATCH_EVENT kind=\$SCHEMAWATCH_KIND target=\$SCHEMAWATCH_TARGET state=\$SCHEMAWATCH_STATE prev=\$SCHEMAWATCH_PREVIOUS_STATE" >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"
touch "$SW_TEST_TMP/hook.log"
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/sw.yaml"
# A long interval: between applies the daemon learns only what they tell it.
cat >"$cfg" <<YAML
interval: 1h
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
alert_command: ["$hook"]
targets:
  - name: lite
    sqlite: $SW_TEST_TMP/lite.db
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
YAML
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
state_is() { [ "$(tstate "$1")" = "$2" ]; }
hist() {	# hist TARGET -> "state/prev" of its applies, oldest first
	sqlite3 "$SW_TEST_TMP/state/state.db" "SELECT group_concat(state || '/' || ifnull(prev_state, '-'), ' ')
		FROM (SELECT * FROM history WHERE kind = 'apply' AND name = '$1' ORDER BY id)"
}

daemon_start "$cfg" -v
ok "both targets are pending" wait_until 15 bash -c "[ \"\$('$SCHEMAWATCHCTL' -s '$SOCK' --json status | jq -r '[.targets[].state] | join(\",\")')\" = pending,pending ]"

# ---- one-shot --apply while the daemon runs -----------------------------------------
out=$("$SCHEMAWATCHD" -c "$cfg" --apply lite 2>"$SW_TEST_TMP/err"); rc=$?
is "$rc" "0" "schemawatchd --apply while the daemon runs: exit 0"
like "$out" "lite: upgrade applied \(pending -> ok\)" "... the upgrade applied, with its before/after"
is "$(tstate lite)" "ok" "the daemon's status is ok at once"
is "$(hist lite)" "upgrade-ok/pending" "history records it with its true before"
ok "the alert hook got it" wait_until 5 grep -q "event=migration-applied kind=apply target=lite state=upgrade-ok prev=pending" "$SW_TEST_TMP/hook.log"
ok "the daemon logged it" grep -q "target lite: upgrade applied on request" "$DAEMON_LOG"

# ---- schemawatchctl apply: the true previous state ------------------------------------
# pg becomes V7 behind the daemon's back: it still says pending.
pgf "$db" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
is "$(tstate pg)" "pending" "the daemon's view of pg is stale (pending)"
out=$(ctl --json apply pg --downgrade); rc=$?
is "$rc:$(jq -r '"\(.outcome) \(.before)"' <<<"$out")" "0:applied ok" "the downgrade found pg ok inside its transaction"
is "$(hist pg)" "downgrade-ok/ok" "history names that true previous state (ok), not the stale pending"
ok "... and so does the hook" wait_until 5 grep -q "target=pg state=downgrade-ok prev=ok" "$SW_TEST_TMP/hook.log"

# ---- a dry run is not a failed migration ----------------------------------------------------
ctl apply lite --dry-run >/dev/null 2>&1	# lite is ok: an upgrade would be refused
"$SCHEMAWATCHD" -c "$cfg" --apply pg --downgrade --dry-run >/dev/null 2>&1
sleep 0.5
is "$(grep -c 'event=migration-failed' "$DAEMON_LOG")" "0" "dry runs log no migration-failed event"
ok "... but say what they found" grep -q "dry run of the downgrade on request: it would be refused" "$DAEMON_LOG"
is "$(hist lite)" "upgrade-ok/pending" "... and add nothing to history"

# ---- no daemon: the one-shot records it itself ------------------------------------------------
daemon_stop
out=$("$SCHEMAWATCHD" -c "$cfg" --apply lite --downgrade 2>"$SW_TEST_TMP/err"); rc=$?
is "$rc" "0" "with no daemon the one-shot applies itself"
is "$(hist lite)" "upgrade-ok/pending downgrade-ok/ok" "... and records the apply in state.db"
is "$(sqlite3 "$SW_TEST_TMP/state/state.db" "SELECT count(*) FROM outbox")" "1" "... with its alert waiting in the outbox"
daemon_start "$cfg" -v
ok "the next start delivers that alert" \
	wait_until 10 grep -q "target=lite state=downgrade-ok prev=ok" "$SW_TEST_TMP/hook.log"
ok "... and sees lite pending" wait_until 10 state_is lite pending
daemon_stop
done_testing

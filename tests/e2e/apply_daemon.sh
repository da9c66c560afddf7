#!/usr/bin/env bash
# Applies through the daemon: `schemawatchctl apply` upgrade / downgrade round
# trip on PostgreSQL, the target visibly `applying` while the apply waits
# behind a lock (and a second apply refused meanwhile), history and log
# records of every apply, a dry run that changes nothing; auto_apply turns a
# pending SQLite target ok by itself and leaves a drifted one alone.
. "$SW_SRCDIR/tests/lib/common.sh"
HOLD_PID=
CTL_PID=
trap 'cleanup_daemon; [ -n "$HOLD_PID" ] && kill $HOLD_PID 2>/dev/null; [ -n "$CTL_PID" ] && kill $CTL_PID 2>/dev/null' EXIT

db=$(new_pgdb) || exit 1
pgq "$db" "CREATE TABLE unrelated (id int PRIMARY KEY); INSERT INTO unrelated VALUES (7);
           CREATE TABLE alembic_version (version_num varchar(32) NOT NULL,
                                         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));" || exit 1
sq "$SW_TEST_TMP/auto.db" "CREATE TABLE unrelated (id INTEGER PRIMARY KEY)" || exit 1
# A partial V7 (one table only): drift, which auto_apply must never touch.
sq "$SW_TEST_TMP/drift.db" "CREATE TABLE prompt_templates (id TEXT NOT NULL PRIMARY KEY)" || exit 1

SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/sw.yaml"
cat >"$cfg" <<YAML
interval: 1s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
apply_lock_timeout: 30s
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
  - name: auto
    sqlite: $SW_TEST_TMP/auto.db
    auto_apply: true
  - name: autodrift
    sqlite: $SW_TEST_TMP/drift.db
    auto_apply: true
YAML

ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() {	# tstate TARGET — its state in `status`
	ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'
}
state_is() { [ "$(tstate "$1")" = "$2" ]; }
locked() {
	[ "$(pgq "$db" "SELECT count(*) FROM pg_locks WHERE relation = '$1'::regclass
	    AND mode = 'AccessExclusiveLock' AND granted")" = 1 ]
}

daemon_start "$cfg"
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
ok "pg is pending" wait_until 10 state_is pg pending

# ---- auto_apply ----------------------------------------------------------------------
ok "auto_apply: the pending SQLite target becomes ok by itself" wait_until 15 state_is auto ok
is "$(sqlite3 "$SW_TEST_TMP/auto.db" "SELECT version_num FROM alembic_version")" prompter_v7 \
	"auto_apply wrote the V7 revision"
ok "the log shows the migration-applied event of the automatic upgrade" \
	wait_until 5 grep -qE "upgrade applied automatically.*event=migration-applied target=auto state=ok" "$DAEMON_LOG"
ok "a drifted auto_apply target is seen in drift" wait_until 10 state_is autodrift drift
sleep 2	# two more intervals: auto_apply would have had its chance
is "$(tstate autodrift)" drift "a drifted auto_apply target stays in drift"
is "$(log_count "target=autodrift.*migration|autodrift: pending")" 0 "and no apply was tried on it"
is "$(ctl --json history auto | jq -r '[.entries[] | select(.kind == "apply") | .state] | join(",")')" \
	"upgrade-ok" "history records the automatic apply"

# ---- dry run ---------------------------------------------------------------------------
out=$(ctl --json apply pg --dry-run)
is "$(jq -r '[.outcome, .action, .dry_run, .applied, .before] | join(" ")' <<<"$out")" \
	"dry-run upgrade true false pending" "a dry run through the socket: the outcome"
like "$(jq -r .plan <<<"$out")" "CREATE TABLE prompt_templates" "and the plan"
is "$(pgq "$db" "SELECT to_regclass('public.prompt_templates') IS NULL")" t "the dry run changed nothing"

# ---- upgrade, held behind a lock: applying is visible ------------------------------------
mkfifo "$SW_TEST_TMP/hold.fifo"
psql -X -q -d "$db" <"$SW_TEST_TMP/hold.fifo" >/dev/null 2>&1 &
HOLD_PID=$!
exec 7>"$SW_TEST_TMP/hold.fifo"
echo "BEGIN; LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE;" >&7
ok "another session holds a lock the upgrade needs" wait_until 5 locked alembic_version
ctl --json apply pg >"$SW_TEST_TMP/apply.out" 2>&1 &
CTL_PID=$!
ok "while it runs, status shows the target applying" wait_until 10 state_is pg applying
out=$(ctl --json apply auto --downgrade 2>&1)
like "$out" "another apply is in flight" "a second apply is refused while one is in flight"
sleep 1.5
is "$(tstate pg)" applying "scheduled checks do not overwrite applying"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$HOLD_PID" 2>/dev/null
HOLD_PID=
wait "$CTL_PID"
is "$?" 0 "schemawatchctl apply returns when the apply is done"
CTL_PID=
out=$(cat "$SW_TEST_TMP/apply.out")
is "$(jq -r '[.outcome, .applied, .before, .after] | join(" ")' <<<"$out")" "applied true pending ok" \
	"the answer is the outcome"
is "$(tstate pg)" ok "right after the answer, status shows ok (checked again, not applying)"
is "$(pgq "$db" "SELECT version_num FROM alembic_version")" prompter_v7 "alembic_version holds the V7 revision"
like "$(grep 'target=pg' "$DAEMON_LOG" | grep migration-applied)" "upgrade applied on request" \
	"the log has the migration-applied event"

# ---- downgrade and refusals --------------------------------------------------------------
out=$(ctl --json apply pg --downgrade)
is "$(jq -r '[.outcome, .before, .after] | join(" ")' <<<"$out")" "applied ok pending" "downgrade through the socket"
is "$(tstate pg)" pending "status shows pending"
is "$(pgq "$db" "SELECT version_num FROM alembic_version")" prompter_v6 "alembic_version holds the previous revision"
is "$(pgq "$db" "SELECT id FROM unrelated")" 7 "the unrelated table is untouched"
out=$(ctl --json apply pg --downgrade)
is "$(jq -r '[.outcome, .applied] | join(" ")' <<<"$out")" "refused false" "a downgrade from pending is refused"
like "$(jq -r .error <<<"$out")" "runs only from a revision of the chain" "with the reason"
is "$(ctl --json history pg | jq -r '[.entries[] | select(.kind == "apply") | .state] | join(",")')" \
	"downgrade-refused,downgrade-ok,upgrade-ok" "history has every apply, newest first"
is "$(ctl --json history pg | jq -r '[.entries[] | select(.kind == "apply")][1].detail.before')" ok \
	"a history entry carries the outcome as detail"
out=$(ctl --json apply nosuch 2>&1)
like "$out" "unknown_target|no target named" "an unknown target is refused"

daemon_stop
is "$DAEMON_RC" 0 "the daemon stops cleanly"
done_testing

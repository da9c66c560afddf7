#!/usr/bin/env bash
# No silent data loss (issue 15 item 1), on real SQLite and PostgreSQL: a
# downgrade that would drop tables holding rows is refused unless --force
# (command line, schemawatchctl apply, hence the control protocol); the dry
# run's plan shows each dropped table's row count; an upgrade of a target
# already at V7 succeeds and changes nothing ("already at ...", exit 0).
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

ROW="INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
	VALUES ('t1', 'o', 'w', 'n', '$(printf '%064d' 0)')"
sqf "$SW_TEST_TMP/lite.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
sq "$SW_TEST_TMP/lite.db" "$ROW" || exit 1
sqf "$SW_TEST_TMP/empty.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
db=$(new_pgdb) || exit 1
pgf "$db" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
pgq "$db" "INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
	VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'n', '$(printf '%064d' 0)')" || exit 1

SOCK="$SW_TEST_TMP/ctl.sock"
cfg="$SW_TEST_TMP/sw.yaml"
cat >"$cfg" <<YAML
interval: 1h
socket: $SOCK
state_dir: $SW_TEST_TMP
sql_dir: $SQLDIR
targets:
  - name: lite
    sqlite: $SW_TEST_TMP/lite.db
  - name: empty
    sqlite: $SW_TEST_TMP/empty.db
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
YAML
SWD() { "$SCHEMAWATCHD" -c "$cfg" "$@"; }
lite_tables() { sqlite3 "$SW_TEST_TMP/lite.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'prompt_%'"; }

# ---- the command line (no daemon) --------------------------------------------------
out=$(SWD --apply lite --downgrade 2>/dev/null); rc=$?
is "$rc" "1" "a downgrade dropping a table with rows is refused (exit 1)"
like "$out" "refused.*would drop tables holding 1 row.*--force" "... saying why and how to force it"
is "$(lite_tables)" "3" "... and every table is still there"
plan=$(SWD --apply lite --downgrade --dry-run 2>/dev/null); rc=$?
is "$rc" "0" "the dry run of that downgrade: exit 0"
like "$plan" "prompt_templates: 1 row" "... its plan shows the dropped table's row count"
like "$plan" "prompt_results: 0 rows" "... for each dropped table"
like "$plan" "refused without --force" "... and that it needs --force"
out=$(SWD --apply empty --downgrade 2>/dev/null); rc=$?
is "$rc" "0" "a downgrade of empty tables needs no --force"
out=$(SWD --apply lite --downgrade --force 2>/dev/null); rc=$?
is "$rc" "0" "with --force the downgrade runs"
is "$(lite_tables)" "0" "... and drops the tables"

# ---- upgrade at V7: nothing to do ------------------------------------------------------
SWD --apply lite >/dev/null 2>&1 || exit 1
before=$(sqlite3 "$SW_TEST_TMP/lite.db" .dump | md5sum)
out=$(SWD --apply lite 2>/dev/null); rc=$?
is "$rc" "0" "an upgrade of a target already at V7 succeeds (exit 0)"
like "$out" "lite: already at prompter_v7" "... saying already at the revision"
is "$(sqlite3 "$SW_TEST_TMP/lite.db" .dump | md5sum)" "$before" "... and changes nothing"

# ---- through the daemon: schemawatchctl apply (the control protocol) ---------------------
daemon_start "$cfg" -v
ok "the daemon answers" wait_until 10 bash -c "'$SCHEMAWATCHCTL' -s '$SOCK' --json status | jq -e '.targets[] | select(.name == \"pg\") | .state == \"ok\"'"
out=$("$SCHEMAWATCHCTL" -s "$SOCK" --json apply pg --downgrade); rc=$?
is "$rc:$(jq -r '"\(.outcome) \(.rows_dropped)"' <<<"$out")" "1:refused 1" \
	"schemawatchctl apply --downgrade on PostgreSQL with a row: refused, rows counted"
is "$(pgq "$db" "SELECT count(*) FROM prompt_templates")" "1" "... the row is still there"
out=$("$SCHEMAWATCHCTL" -s "$SOCK" apply pg --downgrade --dry-run); rc=$?
like "$out" "prompt_templates: 1 row" "the daemon's dry-run plan shows the row count"
out=$("$SCHEMAWATCHCTL" -s "$SOCK" --json apply pg --downgrade --force); rc=$?
is "$rc:$(jq -r .outcome <<<"$out")" "0:applied" "with --force the daemon runs it"
is "$(pgq "$db" "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'prompt_%'")" "0" "... the tables are dropped"
out=$("$SCHEMAWATCHCTL" -s "$SOCK" --json apply pg); rc=$?
is "$rc:$(jq -r .outcome <<<"$out")" "0:applied" "upgrade back"
out=$("$SCHEMAWATCHCTL" -s "$SOCK" --json apply pg); rc=$?
is "$rc:$(jq -r '"\(.outcome) \(.nothing_to_do)"' <<<"$out")" "0:applied true" "upgrading again: nothing to do, exit 0"
out=$(SWD --apply pg 2>/dev/null); rc=$?
is "$rc" "0" "... also with schemawatchd --apply through the daemon"
like "$out" "pg: already at prompter_v7" "... which says already at"
daemon_stop
done_testing

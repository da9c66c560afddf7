#!/usr/bin/env bash
# The migration engine on SQLite through `schemawatchd --apply`: a dev.db that
# does not exist yet is created by the upgrade; upgrade / downgrade round
# trips with the alembic_version row; dry runs change nothing; refusal from
# drift; a busy database is reported after apply_lock_timeout; a process
# killed in the middle of an apply (stopped in COMMIT behind a reader)
# leaves the database wholly pending.
. "$SW_SRCDIR/tests/lib/common.sh"
HOLD_PID=
trap '[ -n "$HOLD_PID" ] && kill $HOLD_PID 2>/dev/null; [ -n "${APPLY_PID:-}" ] && kill -9 $APPLY_PID 2>/dev/null' EXIT

db="$SW_TEST_TMP/dev.db"
cfg="$SW_TEST_TMP/sw.yaml"
write_config() {	# write_config LOCK_TIMEOUT [EXTRA TOP-LEVEL LINES]
	cat >"$cfg" <<YAML
sql_dir: $SQLDIR
state_dir: $SW_TEST_TMP
apply_lock_timeout: $1
${2:-}
targets:
  - name: dev
    sqlite: $db
YAML
}
write_config 500ms

apply() {	# apply ARGS... — sets OUT, RC
	OUT=$("$SCHEMAWATCHD" -c "$cfg" --apply dev "$@" 2>"$SW_TEST_TMP/apply.err")
	RC=$?
}
state() {
	"$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null | jq -r '.targets[0].state'
}
version() {
	sqlite3 "$db" "SELECT group_concat(version_num) FROM alembic_version"
}
fingerprint() {
	md5sum "$db" | cut -d' ' -f1
}

# ---- a database that does not exist yet ----------------------------------------
apply --dry-run
is "$RC" 0 "dry run of an upgrade on a missing dev.db exits 0"
like "$OUT" "BEGIN IMMEDIATE;" "the plan shows the transaction"
like "$OUT" "CREATE TABLE prompt_templates" "the plan shows the file's statements"
like "$OUT" "INSERT INTO alembic_version \(version_num\) VALUES \('prompter_v7'\)" \
	"the plan shows the version change"
like "$OUT" "COMMIT;" "the plan ends with COMMIT"
ok "the dry run created no file" test ! -e "$db"

apply --downgrade
is "$RC" 2 "a downgrade of a missing database fails (exit 2)"
ok "and creates no file" test ! -e "$db"

apply
is "$RC" 0 "an upgrade creates dev.db (exit 0)"
like "$OUT" "upgrade applied \(pending -> ok\)" "it says what it did"
is "$(state)" ok "the target is ok afterwards"
is "$(version)" prompter_v7 "alembic_version holds the V7 revision"
is "$(sqlite3 "$db" "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'" | tr -s ' ')" \
	"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))" \
	"alembic_version is created as Alembic creates it"
like "$(cat "$SW_TEST_TMP/apply.err")" "migration-applied.*target=dev.*state=ok" \
	"the apply is logged with its event on stderr"

sq "$db" "CREATE TABLE unrelated (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO unrelated VALUES (1, 'keep');
          INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
          VALUES ('t1', 'o', 'w', 'n', '$(printf '%064d' 0)');
          INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('v1', 't1', 1, 'b');
          INSERT INTO prompt_results (id, version_id) VALUES ('r1', 'v1');" || exit 1

apply
is "$RC" 0 "a second upgrade has nothing to do (exit 0)"
like "$OUT" "dev: already at prompter_v7" "and says so"

before=$(fingerprint)
apply --downgrade --dry-run
is "$RC" 0 "dry run of the downgrade exits 0"
like "$OUT" "DROP TABLE prompt_results;" "its plan shows the DROP statements"
like "$OUT" "VALUES \('prompter_v6'\)" "its plan shows the previous revision"
is "$(fingerprint)" "$before" "the dry run changed nothing"

# ---- a reader stops the apply in COMMIT; SIGKILL there -----------------------------
# In rollback-journal mode COMMIT needs the EXCLUSIVE lock, which waits for
# readers: with a reader holding SHARED, the downgrade has done all its work
# (journal written) and sits in COMMIT's busy wait.
write_config 30s
mkfifo "$SW_TEST_TMP/reader.fifo"
sqlite3 "$db" <"$SW_TEST_TMP/reader.fifo" >/dev/null 2>&1 &
HOLD_PID=$!
exec 7>"$SW_TEST_TMP/reader.fifo"
echo "BEGIN; SELECT count(*) FROM unrelated;" >&7
sleep 0.3
"$SCHEMAWATCHD" -c "$cfg" --apply dev --downgrade --force >/dev/null 2>&1 &
APPLY_PID=$!
ok "the downgrade reaches the middle (its journal exists)" wait_until 10 test -e "$db-journal"
sleep 0.5
ok "it is still running, waiting for the reader" kill -0 "$APPLY_PID"
kill -9 "$APPLY_PID"
wait "$APPLY_PID" 2>/dev/null
APPLY_PID=
echo "ROLLBACK;" >&7
exec 7>&-
wait "$HOLD_PID" 2>/dev/null
HOLD_PID=
# The first read-write open rolls the hot journal back (a read-only probe
# cannot), as the next apply or the application itself would.
is "$(version)" prompter_v7 "after SIGKILL in the middle alembic_version still holds the V7 revision"
is "$(state)" ok "the database is wholly before (ok)"
is "$(sqlite3 "$db" "SELECT count(*) FROM prompt_results")" 1 "and the V7 rows are there"
write_config 500ms

# ---- busy: another connection holds the write lock -----------------------------------
mkfifo "$SW_TEST_TMP/writer.fifo"
sqlite3 "$db" <"$SW_TEST_TMP/writer.fifo" >/dev/null 2>&1 &
HOLD_PID=$!
exec 7>"$SW_TEST_TMP/writer.fifo"
echo "BEGIN IMMEDIATE; INSERT INTO unrelated VALUES (2, 'other');" >&7
sleep 0.3
before=$(fingerprint)
t0=$(date +%s%3N)
apply --downgrade --force
t1=$(date +%s%3N)
is "$RC" 2 "a downgrade of a busy database fails (exit 2)"
like "$OUT" "database is locked \(busy for more than 500 ms\)" "it says the database is busy"
ok "it gave up after the lock timeout, not forever ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
echo "ROLLBACK;" >&7
exec 7>&-
wait "$HOLD_PID" 2>/dev/null
HOLD_PID=
is "$(fingerprint)" "$before" "nothing changed"
is "$(state)" ok "the target is still ok"

# ---- downgrade --------------------------------------------------------------------------
apply --downgrade
is "$RC" 1 "a downgrade that would drop rows is refused without --force (exit 1)"
like "$OUT" "would drop tables holding 3 rows" "it says how many rows"
apply --downgrade --force
is "$RC" 0 "the downgrade runs (exit 0) with foreign keys on and rows in the tables"
like "$OUT" "downgrade applied \(ok -> pending\)" "it says what it did"
is "$(state)" pending "the target is pending afterwards"
is "$(version)" prompter_v6 "alembic_version holds the previous revision"
is "$(sqlite3 "$db" "SELECT v FROM unrelated")" keep "an unrelated table is untouched"

apply --downgrade
is "$RC" 1 "a second downgrade is refused (exit 1)"
like "$OUT" "the target is pending, before the chain \\(none of its tables exist\\); a downgrade runs only from a revision of the chain" "with the reason"

# ---- refusal from drift -------------------------------------------------------------------
apply
is "$RC" 0 "upgrade again"
sq "$db" "ALTER TABLE prompt_results ADD COLUMN extra TEXT" || exit 1
before=$(fingerprint)
apply --downgrade
is "$RC" 1 "a downgrade from drift is refused (exit 1)"
like "$OUT" "drift \(1 difference against prompter_v7" "it says the target is in drift"
like "$OUT" "prompt_results.extra +extra_column" "and lists the differences"
apply
is "$RC" 1 "an upgrade from drift is refused (exit 1)"
like "$OUT" "prompt_results.extra" "with the differences"
is "$(fingerprint)" "$before" "nothing changed"
is "$(version)" prompter_v7 "the version row is unchanged"
apply --downgrade --dry-run
is "$RC" 1 "a dry run from drift is refused too"

# ---- a definition with no previous: -> no row after a downgrade below the chain ------------------
rm -f "$db"
nodef="$SW_TEST_TMP/noprev"
cp -r "$SQLDIR" "$nodef"
sed -i '/^ *previous:/d' "$nodef/definition.yaml"
write_config 500ms "definition: $nodef"
apply
is "$RC" 0 "upgrade with a definition that has no previous:"
apply --downgrade
is "$RC" 0 "downgrade with a definition that has no previous:"
is "$(sqlite3 "$db" "SELECT count(*) FROM alembic_version")" 0 "no previous revision: no row"

# ---- an unknown target -------------------------------------------------------------------------
out=$("$SCHEMAWATCHD" -c "$cfg" --apply nosuch 2>&1)
is "$?" 2 "an unknown target exits 2"
like "$out" "no target named \"nosuch\" in " "and says so"
"$SCHEMAWATCHD" -c "$cfg" --downgrade >/dev/null 2>&1
is "$?" 64 "--downgrade without --apply is a usage error"

done_testing

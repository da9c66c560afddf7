#!/usr/bin/env bash
# The migration engine on PostgreSQL through `schemawatchd --apply`: upgrade /
# downgrade round trips with the alembic_version row (public and another
# schema); dry runs change nothing; refusal from drift; DDL blocked by another
# session's lock fails after apply_lock_timeout; two concurrent applies (one
# applies, the other is refused by the advisory lock); SIGKILL of an apply
# stopped mid-way behind a lock leaves the database wholly pending; a LATIN1
# database is read as UTF-8.
. "$SW_SRCDIR/tests/lib/common.sh"
HOLD_PID=
APPLY_PID=
trap '[ -n "$HOLD_PID" ] && kill $HOLD_PID 2>/dev/null; [ -n "$APPLY_PID" ] && kill -9 $APPLY_PID 2>/dev/null' EXIT

db=$(new_pgdb) || exit 1
cfg="$SW_TEST_TMP/sw.yaml"
write_config() {	# write_config LOCK_TIMEOUT [EXTRA TOP-LEVEL LINES] — writes $cfg
	cat >"$cfg" <<YAML
sql_dir: $SQLDIR
state_dir: $SW_TEST_TMP
apply_lock_timeout: $1
${2:-}
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
  - name: other
    postgresql: "$(pg_conninfo "$db")"
    schema: app
YAML
}
write_config 500ms

apply() {	# apply TARGET ARGS... — sets OUT, RC
	OUT=$("$SCHEMAWATCHD" -c "$cfg" --apply "$@" 2>"$SW_TEST_TMP/apply.err")
	RC=$?
}
state() {	# state TARGET
	"$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null |
		jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'
}
version() {	# version [SCHEMA]
	pgq "$db" "SELECT coalesce(string_agg(version_num, ','), '') FROM ${1:-public}.alembic_version"
}
exists() {	# exists QUALIFIED_NAME -> t/f
	pgq "$db" "SELECT to_regclass('$1') IS NOT NULL"
}
# hold SQL — another session runs BEGIN; SQL and keeps its transaction open.
hold() {
	rm -f "$SW_TEST_TMP/hold.fifo"
	mkfifo "$SW_TEST_TMP/hold.fifo"
	psql -X -q -d "$db" <"$SW_TEST_TMP/hold.fifo" >/dev/null 2>&1 &
	HOLD_PID=$!
	exec 7>"$SW_TEST_TMP/hold.fifo"
	echo "BEGIN; $1" >&7
}
release() {
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait "$HOLD_PID" 2>/dev/null
	HOLD_PID=
}
locked() {	# locked TABLE [MODE] — another session holds MODE (ACCESS EXCLUSIVE) on it
	[ "$(pgq "$db" "SELECT count(*) FROM pg_locks WHERE relation = '$1'::regclass
	    AND mode = '${2:-AccessExclusiveLock}' AND granted")" = 1 ]
}
apply_waiting() {	# the applier's session waits for a lock
	[ "$(pgq "$db" "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	    AND application_name = 'schemawatchd-apply' AND wait_event_type = 'Lock'")" = 1 ]
}
no_applier() {
	[ "$(pgq "$db" "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'schemawatchd-apply'")" = 0 ]
}

pgq "$db" "CREATE TABLE unrelated (id int PRIMARY KEY, v text); INSERT INTO unrelated VALUES (1, 'keep');
           CREATE SCHEMA app;" || exit 1

# ---- dry run ---------------------------------------------------------------------
apply pg --dry-run
is "$RC" 0 "dry run of the upgrade exits 0"
like "$OUT" "BEGIN;" "the plan shows the transaction"
like "$OUT" "SET LOCAL lock_timeout = 500;" "the plan shows the lock timeout"
like "$OUT" "pg_try_advisory_xact_lock\(8314604121892148791\)" "the plan shows the advisory lock"
like "$OUT" 'SET LOCAL search_path = "public";' "the plan shows the schema"
like "$OUT" "CREATE TABLE prompt_templates" "the plan shows the file's statements"
like "$OUT" "INSERT INTO alembic_version \(version_num\) VALUES \('prompter_v7'\)" \
	"the plan shows the version change"
like "$OUT" "COMMIT;" "the plan ends with COMMIT"
is "$(exists public.prompt_templates)$(exists public.alembic_version)" ff "the dry run changed nothing"

# ---- upgrade -----------------------------------------------------------------------
apply pg
is "$RC" 0 "the upgrade exits 0"
like "$OUT" "upgrade applied \(pending -> ok\)" "it says what it did"
is "$(state pg)" ok "the target is ok afterwards"
is "$(version)" prompter_v7 "a reader of alembic_version sees the V7 revision"
is "$(pgq "$db" "SELECT conname FROM pg_constraint WHERE conrelid = 'public.alembic_version'::regclass")" \
	alembic_version_pkc "alembic_version has Alembic's primary key name"
is "$(state other)" pending "the other schema is untouched"
like "$(cat "$SW_TEST_TMP/apply.err")" "migration-applied.*target=pg.*state=ok" "the apply is logged with its event"

apply pg
is "$RC" 0 "a second upgrade has nothing to do (exit 0)"
like "$OUT" "pg: already at prompter_v7" "and says so"

# ---- another schema ------------------------------------------------------------------
apply other
is "$RC" 0 "an upgrade of schema app exits 0"
is "$(state other)" ok "schema app is ok"
is "$(exists app.prompt_results)" t "the tables were created in schema app"
is "$(version app)" prompter_v7 "app.alembic_version holds the V7 revision"
apply other --downgrade
is "$RC" 0 "the downgrade of schema app exits 0"
is "$(state other)$(state pg)" pendingok "schema app is pending, public still ok"

# ---- lock timeout on downgrade ------------------------------------------------------------
pgq "$db" "INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
           VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'n', repeat('a', 64))" || exit 1
hold "LOCK TABLE prompt_templates IN ACCESS EXCLUSIVE MODE;"
ok "another session holds ACCESS EXCLUSIVE on prompt_templates" wait_until 5 locked prompt_templates
t0=$(date +%s%3N)
apply pg --downgrade
t1=$(date +%s%3N)
is "$RC" 2 "a downgrade behind another session's lock fails (exit 2)"
like "$OUT" "canceling statement due to lock timeout" "with PostgreSQL's lock timeout message"
ok "after the lock timeout, not forever ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
release
is "$(state pg)" ok "the target is still ok"
is "$(pgq "$db" "SELECT count(*) FROM prompt_templates")" 1 "its rows are still there"
is "$(version)" prompter_v7 "the version row is unchanged"

# ---- downgrade -----------------------------------------------------------------------------
apply pg --downgrade --dry-run
is "$RC" 0 "dry run of the downgrade exits 0"
like "$OUT" "DROP TABLE prompt_results;" "its plan shows the DROP statements"
is "$(exists public.prompt_templates)" t "the dry run changed nothing"

apply pg --downgrade
is "$RC" 1 "the downgrade of tables holding rows is refused without --force (exit 1)"
like "$OUT" "would drop tables holding 1 row" "it says how many rows"
apply pg --downgrade --force
is "$RC" 0 "the downgrade exits 0"
like "$OUT" "downgrade applied \(ok -> pending\)" "it says what it did"
is "$(state pg)" pending "the target is pending afterwards"
is "$(version)" prompter_v6 "a reader of alembic_version sees the previous revision"
is "$(pgq "$db" "SELECT v FROM unrelated")" keep "an unrelated table is untouched"

apply pg --downgrade
is "$RC" 1 "a second downgrade is refused (exit 1)"

# ---- lock timeout on upgrade (alembic_version exists and is locked) ---------------------------
hold "LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE;"
ok "another session holds ACCESS EXCLUSIVE on alembic_version" wait_until 5 locked alembic_version
apply pg
is "$RC" 2 "an upgrade behind a lock on alembic_version fails (exit 2)"
like "$OUT" "lock timeout" "because of the lock timeout"
release
is "$(state pg)" pending "the target is still pending"
is "$(exists public.prompt_templates)$(version)" fprompter_v6 "no V7 table, version row unchanged"

# ---- two concurrent applies ------------------------------------------------------------------
# The first waits (30 s lock timeout) behind a lock with the advisory lock
# held; the second is refused at once; the first then commits.
write_config 30s
cp "$cfg" "$SW_TEST_TMP/slow.yaml"
write_config 500ms
hold "LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE;"
wait_until 5 locked alembic_version
"$SCHEMAWATCHD" -c "$SW_TEST_TMP/slow.yaml" --apply pg >"$SW_TEST_TMP/first.out" 2>&1 &
APPLY_PID=$!
ok "the first applier waits for the lock" wait_until 10 apply_waiting
apply pg
is "$RC" 2 "the second applier fails (exit 2)"
like "$OUT" "another apply is running on this database" "because the advisory lock is held"
release
wait "$APPLY_PID"
is "$?" 0 "the first applier applies once the lock is released"
APPLY_PID=
is "$(state pg)" ok "the target is ok"
is "$(version)" prompter_v7 "alembic_version holds the V7 revision once"
apply pg
is "$RC" 0 "a third applier after the commit has nothing to do"
like "$OUT" "already at prompter_v7" "and says so"

# ---- refusal from drift ---------------------------------------------------------------------
pgq "$db" "ALTER TABLE prompt_results ADD COLUMN extra integer" || exit 1
apply pg --downgrade
is "$RC" 1 "a downgrade from drift is refused (exit 1)"
like "$OUT" "drift \(1 difference against prompter_v7" "it says the target is in drift"
like "$OUT" "prompt_results.extra +extra_column" "and lists the differences"
apply pg
is "$RC" 1 "an upgrade from drift is refused (exit 1)"
is "$(exists public.prompt_results)$(version)" tprompter_v7 "nothing changed"
is "$(pgq "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'prompt_results' AND column_name = 'extra'")" \
	1 "the drifted column is still there"
out=$("$SCHEMAWATCHD" -c "$cfg" --apply pg --downgrade --json 2>/dev/null)
is "$(jq -r '[.outcome, .before, .after, .applied, (.differences[0].object)] | join(" ")' <<<"$out")" \
	"refused drift drift false prompt_results.extra" "--json gives the outcome and the differences"
pgq "$db" "ALTER TABLE prompt_results DROP COLUMN extra" || exit 1

# ---- SIGKILL in the middle ---------------------------------------------------------------------
# Downgrade to pending first, then stop an upgrade after its DDL, behind a
# lock on alembic_version that lets it read the version row at the start
# (EXCLUSIVE allows reads) but not write it after the DDL, and kill it there.
apply pg --downgrade
is "$RC" 0 "downgrade before the SIGKILL test"
pgq "$db" "DELETE FROM alembic_version" || exit 1
hold "LOCK TABLE alembic_version IN EXCLUSIVE MODE;"
wait_until 5 locked alembic_version ExclusiveLock
"$SCHEMAWATCHD" -c "$SW_TEST_TMP/slow.yaml" --apply pg >/dev/null 2>&1 &
APPLY_PID=$!
ok "the applier is stopped mid-way, waiting for the lock" wait_until 10 apply_waiting
n=$(pgq "$db" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
               WHERE a.application_name = 'schemawatchd-apply' AND l.locktype = 'relation'
               AND l.mode = 'AccessExclusiveLock' AND l.granted")
ok "its DDL has run: it holds the new tables' locks ($n)" test "$n" -ge 3
kill -9 "$APPLY_PID"
wait "$APPLY_PID" 2>/dev/null
APPLY_PID=
release
ok "the killed applier's session ends" wait_until 10 no_applier
is "$(state pg)" pending "after SIGKILL the target is wholly pending"
is "$(exists public.prompt_templates)$(exists public.prompt_versions)$(exists public.prompt_results)" fff \
	"no V7 table exists"
is "$(version)" "" "no alembic_version row"
is "$(pgq "$db" "SELECT v FROM unrelated")" keep "the unrelated table is untouched"

# ---- a definition with no previous: -> no row before the chain -------------------------------
nodef="$SW_TEST_TMP/noprev"
cp -r "$SQLDIR" "$nodef"
sed -i '/^ *previous:/d' "$nodef/definition.yaml"
write_config 500ms "definition: $nodef"
apply pg
is "$RC" 0 "upgrade with a definition that has no previous:"
apply pg --downgrade
is "$RC" 0 "downgrade with a definition that has no previous:"
is "$(pgq "$db" "SELECT count(*) FROM alembic_version")" 0 "no previous revision: no row"

# ---- a LATIN1 database: the applier reads it as UTF-8 -------------------------------------------
# (client_encoding=UTF8 over the target's own, so non-ASCII text is reported right.)
ldb="${db}_latin1"
pgq postgres "CREATE DATABASE $ldb ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" || exit 1
PGCLIENTENCODING=UTF8 pgf "$ldb" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
PGCLIENTENCODING=UTF8 pgq "$ldb" "ALTER TABLE prompt_results ADD COLUMN note text DEFAULT 'café'" || exit 1
cat >"$SW_TEST_TMP/latin1.yaml" <<YAML
sql_dir: $SQLDIR
targets:
  - name: l1
    postgresql: "$(pg_conninfo "$ldb") client_encoding=LATIN1"
YAML
out=$(PGCLIENTENCODING=LATIN1 "$SCHEMAWATCHD" -c "$SW_TEST_TMP/latin1.yaml" --apply l1 --downgrade --json 2>/dev/null)
is "$(jq -r '[.outcome, .before] | join(" ")' <<<"$out")" "refused drift" \
	"LATIN1 database: the drift is read (the catalog query decodes)"
like "$(jq -c .differences <<<"$out")" "café" "the non-ASCII default comes back as UTF-8"

# ---- unreachable ----------------------------------------------------------------------------------
cat >"$SW_TEST_TMP/down.yaml" <<YAML
sql_dir: $SQLDIR
connect_timeout: 2s
targets:
  - name: down
    postgresql: "host=$SW_TEST_TMP/nosocket dbname=x password=hunter2secret"
YAML
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/down.yaml" --apply down 2>&1)
is "$?" 2 "an unreachable server: exit 2"
like "$out" "cannot connect" "it says it cannot connect"
unlike "$out" "hunter2secret" "without the password"

done_testing

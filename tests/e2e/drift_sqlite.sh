#!/usr/bin/env bash
# The drift engine on SQLite: every single mutation in the corpus is reported
# with exactly the right object and kind, every re-spelling is "ok", and a
# check never creates or changes the database file.
. "$SW_SRCDIR/tests/lib/common.sh"
. "$SW_SRCDIR/tests/lib/corpus.sh"

MUT="$SW_SRCDIR/tests/e2e/corpus/sqlite-mutations.sql"
EQV="$SW_SRCDIR/tests/e2e/corpus/sqlite-equivalent.sql"
UP="$SQLDIR/v7-upgrade.sqlite.sql"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
d="$SW_TEST_TMP/db"
mkdir -p "$d"

printf 'interval: 60s\ntargets:\n' >"$cfg"
add_target() {	# add_target NAME FILE
	printf '  - name: %s\n    sqlite: %s\n' "$1" "$2" >>"$cfg"
}

sqf "$d/ok.db" "$UP" || exit 1
sq "$d/ok.db" "INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
               VALUES ('t1', 'o', 'w', 'n', '$(printf '%064d' 0)');
               CREATE TABLE unrelated (id INTEGER PRIMARY KEY);" || exit 1
sq "$d/pending.db" "CREATE TABLE unrelated (id INTEGER PRIMARY KEY);" || exit 1
add_target base_ok "$d/ok.db"
add_target base_pending "$d/pending.db"
add_target base_missing "$d/does-not-exist.db"

for c in $(corpus_cases "$MUT"); do
	if ! { sqf "$d/m_$c.db" "$UP" &&
	       sqlite3 -bail "$d/m_$c.db" "PRAGMA foreign_keys = OFF;" "$(corpus_sql "$MUT" "$c")"; } \
	       >"$SW_TEST_TMP/setup.log" 2>&1; then
		t_result 0 "mutation $c: setup SQL runs" "$(cat "$SW_TEST_TMP/setup.log")"
		continue
	fi
	add_target "m_$c" "$d/m_$c.db"
done
for c in $(corpus_cases "$EQV"); do
	if ! sqlite3 -bail "$d/e_$c.db" "$(corpus_sql "$EQV" "$c")" >"$SW_TEST_TMP/setup.log" 2>&1; then
		t_result 0 "re-spelling $c: setup SQL runs" "$(cat "$SW_TEST_TMP/setup.log")"
		continue
	fi
	add_target "e_$c" "$d/e_$c.db"
done

before=$(cd "$d" && ls -l --time-style=full-iso . && stat -c %y . && md5sum ./*.db)
out=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>"$SW_TEST_TMP/stderr")
rc=$?
is "$rc" "2" "--once exits 2 when a target is unreachable"
is "$(cd "$d" && ls -l --time-style=full-iso . && stat -c %y . && md5sum ./*.db)" "$before" \
	"checking changes no file and creates none (no missing db, no -wal/-journal)"

is "$(report_state "$out" base_ok)" "ok" "V7 from sql/ with rows is ok"
is "$(report_diffs "$out" base_ok)" "" "V7 from sql/ has no differences"
is "$(report_state "$out" base_pending)" "pending" "a database without V7 tables is pending"
is "$(report_state "$out" base_missing)" "unreachable" "a missing file is unreachable"
like "$(jq -r '.targets[] | select(.name == "base_missing") | .error' <<<"$out")" "does-not-exist.db" \
	"the unreachable reason names the file"
is "$(jq -r '.targets[] | select(.name == "base_ok") | .kind' <<<"$out")" "sqlite" "kind is sqlite"

n=0
for c in $(corpus_cases "$MUT"); do
	n=$((n + 1))
	is "$(report_state "$out" "m_$c")" "drift" "mutation $c: state drift"
	is "$(report_diffs "$out" "m_$c")" "$(corpus_expect "$MUT" "$c")" "mutation $c: exactly the expected differences"
done
ok "at least 30 SQLite mutations ($n)" test "$n" -ge 30
n=0
for c in $(corpus_cases "$EQV"); do
	n=$((n + 1))
	is "$(report_state "$out" "e_$c")" "ok" "re-spelling $c is ok"
	is "$(report_diffs "$out" "e_$c")" "" "re-spelling $c has no differences"
done
ok "at least 10 SQLite re-spellings ($n)" test "$n" -ge 10

# A rename shows the old name as expected and the new one as actual.
renamed() {	# renamed TARGET — "expected -> actual" of its only difference
	jq -r --arg t "$1" '.targets[] | select(.name == $t) | .differences[0] | .expected + " -> " + .actual' <<<"$out"
}
is "$(renamed m_idx_renamed)" "ix_prompt_results_version_created -> ix_results_by_version" \
	"an index re-created under another name: index_renamed, old name -> new name"
is "$(renamed m_col_renamed)" "body -> content" "ALTER TABLE RENAME COLUMN: column_renamed, old name -> new name"

# Exit statuses: all ok -> 0, drift only -> 1.
printf 'targets:\n  - name: a\n    sqlite: %s\n' "$d/ok.db" >"$SW_TEST_TMP/ok.yaml"
"$SCHEMAWATCHD" -c "$SW_TEST_TMP/ok.yaml" --once >/dev/null 2>&1
is "$?" "0" "--once exits 0 when every target is ok"
printf 'targets:\n  - name: a\n    sqlite: %s\n' "$d/m_col_extra.db" >"$SW_TEST_TMP/drift.yaml"
"$SCHEMAWATCHD" -c "$SW_TEST_TMP/drift.yaml" --once >/dev/null 2>&1
is "$?" "1" "--once exits 1 on drift"

done_testing

#!/usr/bin/env bash
# The drift engine on a real PostgreSQL: every single mutation of V7 in the
# corpus is reported with exactly the right object and kind, every equivalent
# re-spelling is "ok", and neighbours (other schemas holding V7-named tables,
# unrelated tables, rows) never change a verdict. Each case lives in a schema
# of its own in one database; one `schemawatchd --once --json` checks them all.
. "$SW_SRCDIR/tests/lib/common.sh"
. "$SW_SRCDIR/tests/lib/corpus.sh"

MUT="$SW_SRCDIR/tests/e2e/corpus/pg-mutations.sql"
EQV="$SW_SRCDIR/tests/e2e/corpus/pg-equivalent.sql"
UP="$SQLDIR/v7-upgrade.postgresql.sql"
db=$(new_pgdb) || exit 1
cfg="$SW_TEST_TMP/schemawatchd.yaml"
conn=$(pg_conninfo "$db")

{
	echo "interval: 60s"
	echo "targets:"
} >"$cfg"
add_target() {	# add_target NAME SCHEMA
	printf '  - name: %s\n    postgresql: "%s"\n    schema: %s\n' "$1" "$conn" "$2" >>"$cfg"
}

# The baseline: V7 from sql/, with rows; and a schema with nothing (pending).
pgq "$db" "CREATE SCHEMA s_ok; SET search_path = s_ok; $(cat "$UP")
           INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
           SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'n', repeat('a', 64)
             FROM generate_series(1, 20);" || exit 1
pgq "$db" "CREATE SCHEMA s_pending; CREATE TABLE s_pending.unrelated (id int);" || exit 1
add_target base_ok s_ok
add_target base_pending s_pending

for c in $(corpus_cases "$MUT"); do
	if ! pgq "$db" "CREATE SCHEMA m_$c; SET search_path = m_$c; $(cat "$UP")
	                $(corpus_sql "$MUT" "$c")" >"$SW_TEST_TMP/setup.log" 2>&1; then
		t_result 0 "mutation $c: setup SQL runs" "$(cat "$SW_TEST_TMP/setup.log")"
		continue
	fi
	add_target "m_$c" "m_$c"
done
for c in $(corpus_cases "$EQV"); do
	if ! pgq "$db" "CREATE SCHEMA e_$c; SET search_path = e_$c;
	                $(corpus_sql "$EQV" "$c" | sed "s/@SCHEMA@/e_$c/g")" >"$SW_TEST_TMP/setup.log" 2>&1; then
		t_result 0 "re-spelling $c: setup SQL runs" "$(cat "$SW_TEST_TMP/setup.log")"
		continue
	fi
	add_target "e_$c" "e_$c"
done
# V7-named tables with a different shape in public must not leak into any schema.
pgq "$db" "CREATE TABLE public.prompt_templates (id int); CREATE TABLE public.prompt_results (x text);" || exit 1

out=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>"$SW_TEST_TMP/stderr")
rc=$?
is "$rc" "1" "--once exits 1 when some target drifts or is pending"
ok "--once --json prints valid JSON" jq -e '.targets | length > 0' <<<"$out" >/dev/null

is "$(report_state "$out" base_ok)" "ok" "V7 from sql/ with rows is ok"
is "$(report_diffs "$out" base_ok)" "" "V7 from sql/ has no differences"
is "$(report_state "$out" base_pending)" "pending" "a schema without V7 tables is pending"
is "$(jq -r '.targets[] | select(.name == "base_ok") | .kind' <<<"$out")" "postgresql" "kind is postgresql"

n=0
for c in $(corpus_cases "$MUT"); do
	n=$((n + 1))
	is "$(report_state "$out" "m_$c")" "drift" "mutation $c: state drift"
	is "$(report_diffs "$out" "m_$c")" "$(corpus_expect "$MUT" "$c")" "mutation $c: exactly the expected differences"
done
ok "at least 30 PostgreSQL mutations ($n)" test "$n" -ge 30
n=0
for c in $(corpus_cases "$EQV"); do
	n=$((n + 1))
	is "$(report_state "$out" "e_$c")" "ok" "re-spelling $c is ok"
	is "$(report_diffs "$out" "e_$c")" "" "re-spelling $c has no differences"
done
ok "at least 10 PostgreSQL re-spellings ($n)" test "$n" -ge 10

# Differences carry expected and actual values a person can read.
pred=$(jq -c '.targets[] | select(.name == "m_pred_inverted") | .differences[0]' <<<"$out")
is "$(jq -r .expected <<<"$pred")" "deleted_at IS NULL" "predicate difference shows the expected predicate"
like "$(jq -r .actual <<<"$pred")" "deleted_at IS NOT NULL" "predicate difference shows the actual predicate"
miss=$(jq -c '.targets[] | select(.name == "m_col_missing") | .differences[0]' <<<"$out")
is "$(jq -r .actual <<<"$miss")" "null" "a missing column has no actual value"
# A rename shows the old name as expected and the new one as actual.
renamed() {	# renamed TARGET — "expected -> actual" of its only difference
	jq -r --arg t "$1" '.targets[] | select(.name == $t) | .differences[0] | .expected + " -> " + .actual' <<<"$out"
}
is "$(renamed m_idx_renamed)" "ix_prompt_results_version_created -> ix_results_by_version" \
	"ALTER INDEX ... RENAME: index_renamed, old name -> new name"
is "$(renamed m_col_renamed)" "body -> content" "RENAME COLUMN: column_renamed, old name -> new name"
is "$(renamed m_check_renamed)" "ck_prompt_versions_version -> prompt_versions_version_check" \
	"RENAME CONSTRAINT: constraint_renamed, old name -> new name"

# The order of differences is stable: two runs give byte-identical JSON.
out2=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null)
is "$(jq -S 'del(.targets[].duration_ms)' <<<"$out2")" "$(jq -S 'del(.targets[].duration_ms)' <<<"$out")" "a second run reports the same, in the same order"

# Human output: a table with one row per target.
human=$("$SCHEMAWATCHD" -c "$cfg" --once 2>/dev/null)
like "$human" $'TARGET +KIND +STATE +DIFFERENCES' "human report has a header"
like "$human" $'m_pred_removed +postgresql +drift +1' "human report has a row per target"

done_testing

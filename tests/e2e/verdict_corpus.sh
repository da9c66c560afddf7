#!/usr/bin/env bash
# The verdict corpus (tests/corpus/README.md): every case is a definition SQL,
# a live SQL, the expected state and the exact set of differing objects.
# Each distinct definition is compiled by `--compile-definition` on the
# harness's server (PostgreSQL) or in memory (SQLite); every PostgreSQL case's
# live database is a schema of its own in one database (or, for a case marked
# own-database, the public schema of a database of its own), every SQLite
# case a file of its own; ONE `schemawatchd --once --json` checks all of
# them, each target against its case's definition. A case marked
# `-- todo: WHY` is a known failure: printed as TAP "# TODO", counted and
# listed apart, never a pass and never a failure of the run.
. "$SW_SRCDIR/tests/lib/common.sh"

CORPUS="$SW_SRCDIR/tests/corpus"
W="$SW_TEST_TMP/corpus"
PSQL="$SW_PGBIN/psql"	# not Debian's wrapper: a perl start per call adds up
conn_of() { echo "host=$PGHOST user=$PGUSER dbname=$1"; }
mkdir -p "$W"
T0=$(date +%s%N)
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---- split the corpus files ------------------------------------------------
split_corpus() {	# split_corpus DIALECT DIR FILES...
	local dialect=$1 dir=$2 msg
	shift 2
	mkdir -p "$dir/live"
	if ! msg=$(awk -v out="$dir" -v dialect="$dialect" -f "$CORPUS/split.awk" "$@"); then
		t_result 0 "the $dialect corpus files are well-formed" "$msg"
		done_testing
	fi
	t_result 1 "the $dialect corpus files are well-formed"
}
split_corpus postgresql "$W/pg" "$CORPUS"/pg/*.sql
split_corpus sqlite "$W/sqlite" "$CORPUS"/sqlite/*.sql

# ---- compile every definition, a few at a time -------------------------------
compile_all() {		# compile_all DIR [SCRATCH] — writes DEF.failed for a failure
	local dir=$1 scratch=${2:-}
	# shellcheck disable=SC2016  # expanded by the inner shell
	find "$dir/defs" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | xargs -P 3 -I{} sh -c '
		d="$1/defs/$2"
		if [ -n "$4" ]; then set -- "$3" --compile-definition "$d" --scratch "$4"
		else set -- "$3" --compile-definition "$d"; fi
		"$@" >"$d.log" 2>&1 || touch "$d.failed"' sh "$dir" {} "$SCHEMAWATCHD" "$scratch"
}
compile_all "$W/pg" "$(conn_of postgres)"
compile_all "$W/sqlite"
diags=()
for f in "$W"/pg/defs/*.failed "$W"/sqlite/defs/*.failed; do
	[ -e "$f" ] && diags+=("${f%.failed}: $(tail -n 3 "${f%.failed}.log" | tr '\n' ' ')")
done
if [ ${#diags[@]} -eq 0 ]; then
	t_result 1 "every corpus definition compiles"
else
	t_result 0 "every corpus definition compiles" "${diags[@]}"
fi
T_COMPILED=$(ms_since "$T0")

# ---- build the live databases ----------------------------------------------
declare -A SETUP_ERR=()
oneline() { local s=$1; printf '%s' "${s//$'\n'/ | }"; }
db=$(new_pgdb) || exit 1
# Databases of their own, made side by side: CREATE DATABASE takes a while.
declare -A OWN_DB=()
i=0
while IFS=$'\t' read -r c def verdict own equiv scope where todo; do
	[ "$own" = 1 ] || continue
	i=$((i + 1))
	OWN_DB[$c]="${db}_$i"
	"$SW_PGBIN/createdb" "${db}_$i" &
done <"$W/pg/cases.tsv"
wait
# Two configurations: `scope: schema` cases apart, so that a daemon that
# refuses that scope fails those cases only.
cfg="$W/schemawatchd.yaml" cfg_schema="$W/schemawatchd-scope-schema.yaml"
printf 'interval: 60s\nmax_concurrent_checks: 8\ntargets:\n' | tee "$cfg_schema" >"$cfg"
declare -A FIRM=()	# configuration -> how many of its cases are not TODO
target_cfg() {		# target_cfg SCOPE TODO — sets TCFG, the file a case's target goes to
	if [ "$1" = schema ]; then TCFG=$cfg_schema; else TCFG=$cfg; fi
	[ -n "$2" ] || FIRM[$TCFG]=$((${FIRM[$TCFG]:-0} + 1))
}
while IFS=$'\t' read -r c def verdict own equiv scope where todo; do
	# A definition that did not compile would refuse the whole
	# configuration: its cases fail alone.
	if [ -e "$W/pg/defs/$def.failed" ]; then
		SETUP_ERR[pg_$c]="definition $def did not compile"
		continue
	fi
	target_cfg "$scope" "$todo"
	{
		printf '  - name: pg_%s\n    definition: %s\n' "$c" "$W/pg/defs/$def"
		[ "$scope" = schema ] && printf '    scope: schema\n'
		if [ "$own" = 1 ]; then
			printf '    postgresql: "host=%s user=%s dbname=%s"\n    schema: public\n' \
				"$PGHOST" "$PGUSER" "${OWN_DB[$c]}"
		else
			printf '    postgresql: "host=%s user=%s dbname=%s"\n    schema: c_%s\n' \
				"$PGHOST" "$PGUSER" "$db" "$c"
		fi
	} >>"$TCFG"
done <"$W/pg/cases.tsv"
while IFS=$'\t' read -r c def verdict own equiv scope where todo; do
	if [ -e "$W/sqlite/defs/$def.failed" ]; then
		SETUP_ERR[sqlite_$c]="definition $def did not compile"
		continue
	fi
	target_cfg "$scope" "$todo"
	{
		printf '  - name: sqlite_%s\n    definition: %s\n    sqlite: %s\n' \
			"$c" "$W/sqlite/defs/$def" "$W/sqlite/$c.db"
		[ "$scope" = schema ] && printf '    scope: schema\n'
	} >>"$TCFG"
done <"$W/sqlite/cases.tsv"

# PostgreSQL: the cases' schemas in one psql run, one transaction each, so
# that a case whose SQL fails leaves no schema behind (it is then run again
# alone, for its error message).
for c in "${!OWN_DB[@]}"; do
	"$PSQL" -X -q -v ON_ERROR_STOP=1 --single-transaction -d "${OWN_DB[$c]}" \
		-f "$W/pg/live/$c.sql" >"$W/pg/live/$c.err" 2>&1 || touch "$W/pg/live/$c.failed" &
done
"$PSQL" -X -q -d "$db" -f "$W/pg/live-schemas.sql" >"$W/pg-live.log" 2>&1
wait
for c in "${!OWN_DB[@]}"; do
	[ -e "$W/pg/live/$c.failed" ] && SETUP_ERR[pg_$c]=$(oneline "$(cat "$W/pg/live/$c.err")")
done
made=" $(pgq "$db" "SELECT string_agg(nspname, ' ') FROM pg_namespace WHERE nspname LIKE 'c\_%'") "
while IFS=$'\t' read -r c def verdict own equiv scope where todo; do
	[ "$own" = 1 ] || [[ $made == *" c_$c "* ]] && continue
	err=$("$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" 2>&1 \
		-c "BEGIN; CREATE SCHEMA \"x_$c\"; SET LOCAL search_path = \"x_$c\";" \
		-f "$W/pg/live/$c.sql" -c "ROLLBACK")
	SETUP_ERR[pg_$c]=$(oneline "${err:-the transaction that builds schema c_$c failed}")
done <"$W/pg/cases.tsv"

# SQLite: one sqlite3 run builds every file; each error names a line of the
# script, which belongs to the last case that starts at or before it.
sqlite3 -batch <"$W/sqlite/live-files.sql" >/dev/null 2>"$W/sqlite-live.err"
starts=() names=()
while IFS=$'\t' read -r c l; do names+=("$c"); starts+=("$l"); done <"$W/sqlite/live-lines.tsv"
while IFS= read -r line; do
	[[ $line =~ near\ line\ ([0-9]+): ]] || continue
	n=${BASH_REMATCH[1]} owner=
	for i in "${!starts[@]}"; do
		[ "${starts[$i]}" -le "$n" ] && owner=${names[$i]}
	done
	[ -n "$owner" ] && SETUP_ERR[sqlite_$owner]+="$line "
done <"$W/sqlite-live.err"

# ---- one check of every target ------------------------------------------------
T_BUILT=$(ms_since "$T0")
declare -A GOT=()
once_all() {		# once_all CONFIG WHAT — one --once --json; fills GOT
	local cfg=$1 what=$2 out n want
	want=$(grep -c '^  - name:' "$cfg")
	[ "$want" -gt 0 ] || return 0
	out=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>"$cfg.stderr")
	n=$(jq -r '.targets | length' <<<"$out" 2>/dev/null)
	if [ "${n:-none}" = "$want" ]; then
		t_result 1 "--once --json reports every case ($what)"
	elif [ "${FIRM[$cfg]:-0}" -eq 0 ]; then
		# Only known failures in it (a scope the daemon refuses yet).
		T_N=$((T_N + 1))
		echo "not ok $T_N - --once --json reports every case ($what) # TODO all its cases are TODO"
		tail -n 3 "$cfg.stderr" | sed 's/^/#   /'
	else
		t_result 0 "--once --json reports every case ($what)" "got ${n:-no JSON}" \
			"$(tail -n 20 "$cfg.stderr")"
	fi
	# NAME <tab> STATE <tab> sorted "OBJECT KIND" list, as the expectations are
	# (an error with its message: it never matches, and the failure says why).
	while IFS=$'\t' read -r n s d; do GOT[$n]="$s${d:+ [$d]}"; done < <(jq -r '.targets[] |
		[.name, .state + (if .state == "error" then " (" + (.error // "") + ")" else "" end),
		 ([.differences[] | .object + " " + .kind] | sort | join(", "))] | @tsv' <<<"$out")
}
once_all "$cfg" "scope: definition"
once_all "$cfg_schema" "scope: schema"
T_CHECKED=$(ms_since "$T0")

# ---- judge each case ----------------------------------------------------------
declare -A WANT_D=() NCASES=() NEQUIV=()
TODOS=() TODO_PASSING=()
judge() {		# judge DIALECT-PREFIX — every case of one dialect
	local p=$1 c def verdict own equiv scope where todo t want got what e
	while IFS=$'\t' read -r c e; do
		WANT_D[${p}_$c]+="${WANT_D[${p}_$c]:+, }$e"
	done < <(LC_ALL=C sort "$W/$p/expect.tsv")
	while IFS=$'\t' read -r c def verdict own equiv scope where todo; do
		t=${p}_$c
		want="$verdict${WANT_D[$t]:+ [${WANT_D[$t]}]}"
		got=${GOT[$t]:-(no report)}
		NCASES[$p]=$((${NCASES[$p]:-0} + 1))
		# Known failures are not counted among the equivalent spellings.
		[ "$equiv" = 1 ] && [ -z "$todo" ] && NEQUIV[$p]=$((${NEQUIV[$p]:-0} + 1))
		what="$p $c: $want"
		if [ -n "${SETUP_ERR[$t]:-}" ]; then
			got="live SQL failed: ${SETUP_ERR[$t]}"
		fi
		if [ -n "$todo" ]; then
			T_N=$((T_N + 1))
			TODOS+=("$p $c: $todo")
			if [ "$got" = "$want" ]; then
				TODO_PASSING+=("$p $c")
				echo "ok $T_N - $what # TODO $todo"
			else
				echo "not ok $T_N - $what # TODO $todo"
				printf '#   %s\n' "got:  $got" "want: $want" "($where)"
			fi
		elif [ "$got" = "$want" ]; then
			t_result 1 "$what"
		else
			t_result 0 "$what" "got:  $got" "want: $want" "($where)"
		fi
	done <"$W/$p/cases.tsv"
}
judge pg
judge sqlite

npg=${NCASES[pg]:-0} nlite=${NCASES[sqlite]:-0}
neq=$((${NEQUIV[pg]:-0} + ${NEQUIV[sqlite]:-0}))
diag "corpus: $npg PostgreSQL cases, $nlite SQLite cases; $neq equivalent spellings" \
	"(${NEQUIV[pg]:-0} PostgreSQL, ${NEQUIV[sqlite]:-0} SQLite); ${#TODOS[@]} TODO"
diag "time: compiled at ${T_COMPILED} ms, live databases built at ${T_BUILT} ms," \
	"checked at ${T_CHECKED} ms, judged at $(ms_since "$T0") ms"
for t in "${TODOS[@]}"; do diag "TODO $t"; done
for t in "${TODO_PASSING[@]}"; do diag "TODO case passes now, remove its mark: $t"; done
# Issue 13's floor for the corpus: 200 PostgreSQL and 80 SQLite cases.
ok "at least 200 PostgreSQL cases ($npg)" test "$npg" -ge 200
ok "at least 80 SQLite cases ($nlite)" test "$nlite" -ge 80
ok "at least a quarter are equivalent spellings ($neq)" test $((neq * 4)) -ge $((npg + nlite))
done_testing

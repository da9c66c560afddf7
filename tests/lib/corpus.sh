# tests/lib/corpus.sh — read the corpus files of tests/e2e/corpus/.
#
# A corpus file is a list of blocks: "-- case: NAME", any "-- expect: OBJECT KIND"
# lines, then SQL. Lines before the first case are a header.

corpus_cases() {	# corpus_cases FILE — the case names, one per line
	awk '/^-- case:/ { print $3 }' "$1"
}

corpus_sql() {		# corpus_sql FILE CASE — the SQL of one case
	awk -v c="$2" '/^-- case:/ { on = ($3 == c); next } on && !/^-- expect:/' "$1"
}

corpus_expect() {	# corpus_expect FILE CASE — "OBJECT KIND" lines, sorted
	awk -v c="$2" '/^-- case:/ { on = ($3 == c); next }
		on && /^-- expect:/ { sub(/^-- expect: */, ""); print }' "$1" | LC_ALL=C sort
}

# report_state JSON TARGET / report_diffs JSON TARGET — from --once --json output.
report_state() {
	jq -r --arg t "$2" '.targets[] | select(.name == $t) | .state' <<<"$1"
}

report_diffs() {
	jq -r --arg t "$2" '.targets[] | select(.name == $t) | .differences[] | .object + " " + .kind' <<<"$1" |
		LC_ALL=C sort
}

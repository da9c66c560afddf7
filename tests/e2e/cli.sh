#!/usr/bin/env bash
# schemawatchd's command line: --check-config, exit statuses, errors that
# name the place (FILE:LINE:COLUMN), --help and --version.
. "$SW_SRCDIR/tests/lib/common.sh"

good="$SW_TEST_TMP/good.yaml"
printf 'interval: 30s\ntargets:\n  - name: dev\n    sqlite: ./dev.db\n' >"$good"
out=$("$SCHEMAWATCHD" -c "$good" --check-config 2>&1)
is "$?" "0" "--check-config on a good file exits 0"
like "$out" "configuration ok \(1 target" "... and says so"

check_bad() {	# check_bad DESCRIPTION YAML REGEX
	printf '%b' "$2" >"$SW_TEST_TMP/bad.yaml"
	out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/bad.yaml" --check-config 2>&1)
	is "$?" "78" "$1: exit 78"
	like "$out" "$3" "$1: the error names the place"
}
check_bad "unknown key" 'interval: 30s\nintervall: 5s\n' 'bad\.yaml:2:1: .*unknown key "intervall"'
check_bad "wrong type" 'interval: soon\n' 'bad\.yaml:1:11: .*duration'
check_bad "duplicate target" 'targets:\n  - name: a\n    sqlite: x.db\n  - name: a\n    sqlite: y.db\n' 'bad\.yaml:4:[0-9]+: .*duplicate'
check_bad "YAML syntax" 'targets: [\n' 'bad\.yaml:[0-9]+:[0-9]+: '
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/nope.yaml" --check-config 2>&1)
is "$?" "78" "a missing file: exit 78"
like "$out" "nope\.yaml: " "... naming the file"
"$SCHEMAWATCHD" -c "$SW_TEST_TMP/bad.yaml" --once >/dev/null 2>&1
is "$?" "78" "--once with a bad configuration exits 78"

printf 'targets:\n  - name: p\n    postgresql: "host=/nonexistent password=hunter2secret"\n' >"$SW_TEST_TMP/pw.yaml"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/pw.yaml" --once --json 2>&1)
is "$?" "2" "an unreachable PostgreSQL target: --once exits 2"
is "$(jq -r '.targets[0].state' <<<"$out")" "unreachable" "... state unreachable"
unlike "$out" "hunter2secret" "... and the password appears nowhere in the report"

"$SCHEMAWATCHD" --bogus >/dev/null 2>&1
is "$?" "64" "an unknown option exits 64 (EX_USAGE)"
like "$("$SCHEMAWATCHD" --help)" "usage: schemawatchd" "--help prints the usage"
like "$("$SCHEMAWATCHD" -V)" "^schemawatchd [0-9]" "-V prints the version"

done_testing

#!/usr/bin/env bash
# Clear words (issue 15, item 7): an SQLite file that cannot be opened is
# named for what it is — no such file, no such directory, is a directory,
# not a database, permission denied — on real files, for a check and an apply.
. "$SW_SRCDIR/tests/lib/common.sh"

cd "$SW_TEST_TMP" || exit 1
unset DB_URL

# ---- SQLite open failures, checked ------------------------------------------------
words_once() {	# words_once DESCRIPTION PATH REGEX
	out=$("$SCHEMAWATCHD" --once --json "$2" 2>&1)
	is "$?" "2" "$1: --once exits 2"
	like "$(jq -r '.targets[0].error' <<<"$out")" "$3" "$1: the reason says so"
}
mkdir -p adir
printf 'this is not a database, only text\n%.0s' {1..20} >garbage.db
sqf v7.db "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
words_once "missing file" "$SW_TEST_TMP/nope.db" "cannot open $SW_TEST_TMP/nope\.db: no such file$"
words_once "missing directory" "$SW_TEST_TMP/nodir/dev.db" "cannot open $SW_TEST_TMP/nodir/dev\.db: no such directory: $SW_TEST_TMP/nodir$"
words_once "a directory" "$SW_TEST_TMP/adir" "cannot open $SW_TEST_TMP/adir: is a directory"
words_once "a text file" "$SW_TEST_TMP/garbage.db" "not a database"

# ---- ... and applied ------------------------------------------------------------------
words_apply() {	# words_apply DESCRIPTION PATH REGEX [ARGS]
	local what=$1 path=$2 re=$3
	shift 3
	out=$("$SCHEMAWATCHD" --apply "$path" --sql-dir "$SQLDIR" "$@" 2>/dev/null)
	is "$?" "2" "$what: --apply exits 2 (failed)"
	like "$out" "$re" "$what: the verdict says why"
}
words_apply "apply, missing directory" "$SW_TEST_TMP/nodir/dev.db" "no such directory: $SW_TEST_TMP/nodir"
words_apply "apply, a directory" "$SW_TEST_TMP/adir" "cannot open $SW_TEST_TMP/adir: is a directory"
words_apply "apply, a text file" "$SW_TEST_TMP/garbage.db" "not a database"
words_apply "downgrade, missing file" "$SW_TEST_TMP/nope.db" "no such file" --downgrade
ok "... nothing was created" test ! -e "$SW_TEST_TMP/nope.db"

# ---- permission denied: mode bits do not stop root, so as the test user ----------------
as_user=()
if [ "$(id -u)" = 0 ]; then
	as_user=(runuser -u "$SW_TEST_USER" --)
fi
# The test user may not reach the build tree: it runs a copy.
USER_SWD="$SW_TEST_TMP/schemawatchd"
cp "$SCHEMAWATCHD" "$USER_SWD" && chmod 755 "$USER_SWD" || exit 1
cp v7.db locked.db && chmod 000 locked.db
mkdir -p closed && cp v7.db closed/dev.db && chmod 700 closed
[ "$(id -u)" = 0 ] && chown root closed locked.db
out=$("${as_user[@]}" "$USER_SWD" --once --json "$SW_TEST_TMP/locked.db" 2>&1)
is "$?" "2" "an unreadable file (as $(id -un "${SW_TEST_USER:-$USER}" 2>/dev/null || echo the user)): exit 2"
like "$(jq -r '.targets[0].error' <<<"$out")" "cannot open $SW_TEST_TMP/locked\.db: permission denied" \
	"... permission denied"
out=$("${as_user[@]}" "$USER_SWD" --once --json "$SW_TEST_TMP/closed/dev.db" 2>&1)
like "$(jq -r '.targets[0].error' <<<"$out")" "permission denied: no search permission" \
	"a file in a directory the user cannot enter: permission denied"
cp v7.db ro.db && chmod 444 ro.db
mkdir -p rodir && chmod 755 rodir
[ "$(id -u)" = 0 ] && chown root ro.db rodir
out=$("${as_user[@]}" "$USER_SWD" --apply "$SW_TEST_TMP/ro.db" --downgrade --sql-dir "$SQLDIR" 2>/dev/null)
is "$?" "2" "apply on a read-only file: exit 2"
like "$out" "permission denied: cannot write it" "... permission denied, says it cannot write"
out=$("${as_user[@]}" "$USER_SWD" --apply "$SW_TEST_TMP/rodir/new.db" --sql-dir "$SQLDIR" 2>/dev/null)
is "$?" "2" "upgrade creating a file in a directory the user cannot write: exit 2"
like "$out" "permission denied: cannot create it \(directory $SW_TEST_TMP/rodir is not writable\)" \
	"... permission denied, names the directory"

# ---- libpq NOTICEs never reach stdout/stderr raw ----------------------------------------
# An event trigger makes every DDL statement of the apply raise a NOTICE.
db=$(new_pgdb) || exit 1
pgq "$db" "CREATE FUNCTION sw_noisy() RETURNS event_trigger LANGUAGE plpgsql AS
	\$\$BEGIN RAISE NOTICE 'sw-noisy: % ran', tg_tag; END\$\$;
	CREATE EVENT TRIGGER sw_noisy ON ddl_command_start EXECUTE FUNCTION sw_noisy();" || exit 1
ok "the event trigger raises a NOTICE (psql shows it)" \
	bash -c "psql -X -q -d '$db' -c 'CREATE TABLE sw_probe_notice (i int)' 2>&1 | grep -q 'NOTICE:  sw-noisy'"
pgq "$db" "DROP TABLE sw_probe_notice" >/dev/null 2>&1
"$SCHEMAWATCHD" --apply "host=$PGHOST dbname=$db" --sql-dir "$SQLDIR" >apply.out 2>apply.err
is "$?" "0" "apply on PostgreSQL with a noisy event trigger: exit 0"
unlike "$(cat apply.out apply.err)" "NOTICE|sw-noisy" "... no raw NOTICE on stdout or stderr"
"$SCHEMAWATCHD" --apply "host=$PGHOST dbname=$db" --downgrade --sql-dir "$SQLDIR" >apply.out 2>apply.err
is "$?" "0" "downgrade: exit 0"
unlike "$(cat apply.out apply.err)" "NOTICE|sw-noisy" "... no raw NOTICE either"

done_testing

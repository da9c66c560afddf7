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
# The test user may not reach the build or source tree (a clone in a 0700
# directory): it runs a copy of the binary, with a copy of the definition.
USER_SWD="$SW_TEST_TMP/schemawatchd"
cp "$SCHEMAWATCHD" "$USER_SWD" && chmod 755 "$USER_SWD" || exit 1
USER_DEF="$SW_TEST_TMP/userdef"
cp -r "$SQLDIR" "$USER_DEF" && chmod -R a+rX "$USER_DEF" || exit 1
as_user=(env SCHEMAWATCHD_DEFINITION="$USER_DEF")
if [ "$(id -u)" = 0 ]; then
	as_user=(runuser -u "$SW_TEST_USER" -- env SCHEMAWATCHD_DEFINITION="$USER_DEF")
fi
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
out=$("${as_user[@]}" "$USER_SWD" --apply "$SW_TEST_TMP/ro.db" --downgrade --definition "$USER_DEF" 2>/dev/null)
is "$?" "2" "apply on a read-only file: exit 2"
like "$out" "permission denied: cannot write it" "... permission denied, says it cannot write"
out=$("${as_user[@]}" "$USER_SWD" --apply "$SW_TEST_TMP/rodir/new.db" --definition "$USER_DEF" 2>/dev/null)
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

# ... nor those of a check: client_min_messages=debug5 makes the server send
# DEBUG messages to the client on every statement.
noisy="host=$PGHOST dbname=$db options='-c client_min_messages=debug5'"
"$SCHEMAWATCHD" --once "$noisy" >once.out 2>once.err
rc=$?
ok "--once with a server sending DEBUG notices: exit 0 or 1 ($rc)" test "$rc" -le 1
unlike "$(cat once.out once.err)" "DEBUG:|NOTICE:" "... no raw server message on stdout or stderr"
"$SCHEMAWATCHD" --apply "$noisy" --dry-run --sql-dir "$SQLDIR" >apply.out 2>apply.err
is "$?" "0" "--apply --dry-run on it: exit 0"
unlike "$(cat apply.out apply.err)" "DEBUG:|NOTICE:" "... no raw server message either, from the first one on"
printf 'socket: %s\nstate_dir: %s\ninterval: 1h\ntargets:\n  - name: noisy_pg\n    postgresql: "%s"\n' \
	"$SW_TEST_TMP/n.sock" "$SW_TEST_TMP" "$noisy" >noisy.yaml
: >"$DAEMON_LOG"
trap cleanup_daemon EXIT
daemon_start "$SW_TEST_TMP/noisy.yaml" -v
ok "the daemon (-v) checks the noisy target" wait_until 15 grep -q "target noisy_pg: .*(was unknown)" "$DAEMON_LOG"
like "$(grep -m1 'server notice' "$DAEMON_LOG")" "^<7>target noisy_pg: server notice: DEBUG: " \
	"... its notices are in the log at debug level, with the target's name"
unlike "$(grep -v '^<[0-7]>' "$DAEMON_LOG")" "DEBUG:|NOTICE:" "... and none is a raw line"
daemon_stop

# ---- a failed login hints at .pgpass / PGPASSFILE -----------------------------------------
# One database needs a password (the harness trusts everything else).
pwdb=$(new_pgdb) || exit 1
hba="$SW_PGDATA/pg_hba.conf"
cp "$hba" "$SW_TEST_TMP/pg_hba.orig"
{ echo "local $pwdb all scram-sha-256"; cat "$SW_TEST_TMP/pg_hba.orig"; } >"$hba"
restore_hba() { cat "$SW_TEST_TMP/pg_hba.orig" >"$hba"; pg_reload; }
pg_reload() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$SW_TEST_USER" -- "$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" reload >/dev/null
	else
		"$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" reload >/dev/null
	fi
}
trap restore_hba EXIT
pg_reload && sleep 0.5
export PGPASSFILE="$SW_TEST_TMP/no-such-pgpass"
out=$("$SCHEMAWATCHD" --once --json "host=$PGHOST dbname=$pwdb" 2>&1)
is "$?" "2" "no password supplied: --once exits 2"
like "$(jq -r '.targets[0].error' <<<"$out")" "no password supplied.*hint: .*~/\.pgpass.*PGPASSFILE" \
	"... the reason hints at ~/.pgpass and PGPASSFILE"
out=$("$SCHEMAWATCHD" --apply "postgresql://$PGUSER:wrong-pw-42@/$pwdb?host=$PGHOST" --sql-dir "$SQLDIR" 2>&1)
is "$?" "2" "password authentication failed: --apply exits 2"
like "$out" "password authentication failed.*hint: .*~/\.pgpass.*PGPASSFILE" "... with the same hint"
unlike "$out" "wrong-pw-42" "... and without the password"
out=$("$SCHEMAWATCHD" --once --json "host=$PGHOST dbname=no_such_db_sw" 2>&1)
unlike "$(jq -r '.targets[0].error' <<<"$out")" "pgpass" "another connection error gets no password hint"
unset PGPASSFILE
restore_hba
trap - EXIT

# ---- schemawatchctl apply and schemawatchd --apply: one set of exit statuses ------------
cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 1h
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
targets:
  - name: lite_ok
    sqlite: $SW_TEST_TMP/v7.db
  - name: junk
    sqlite: $SW_TEST_TMP/garbage.db
  - name: lite_new
    sqlite: $SW_TEST_TMP/empty.db
YAML
: >"$SW_TEST_TMP/empty.db"	# an empty SQLite database: pending
mkdir -p "$SW_TEST_TMP/state"
trap cleanup_daemon EXIT
daemon_start "$SW_TEST_TMP/sw.yaml"
ok "the daemon answers" wait_until 10 "$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" version
same_status() {	# same_status DESCRIPTION WANT VERDICT-REGEX APPLY-ARGS...
	local what=$1 want=$2 re=$3 rc1 rc2 out1 out2
	shift 3
	out1=$("$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" apply "$@" 2>&1); rc1=$?
	out2=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply "$@" 2>/dev/null); rc2=$?
	is "$rc1 $rc2" "$want $want" "$what: schemawatchctl apply and schemawatchd --apply both exit $want"
	like "$(tail -n 1 <<<"$out1")" "$re" "$what: schemawatchctl prints the verdict last"
	like "$(tail -n 1 <<<"$out2")" "$re" "$what: schemawatchd --apply prints the verdict last"
}
same_status "dry-run downgrade from ok" 0 "^lite_ok: (downgrade \(dry run\)|dry run: the downgrade)" \
	lite_ok --downgrade --dry-run
same_status "upgrade from ok (nothing to do)" 0 "^lite_ok: already at .*nothing to do" lite_ok
same_status "downgrade from pending (refused)" 1 "^lite_new: downgrade.* refused" lite_new --downgrade
same_status "a text file (failed)" 2 "^junk: upgrade.* failed.*not a database" junk

# ---- colour: on a terminal whose TERM is not dumb, never with NO_COLOR ---------------------
esc=$'\e\\['	# a regex: ESC, then a literal "["
on_tty() { script -qec "$*" /dev/null; }
out=$(TERM=xterm NO_COLOR= on_tty "$SCHEMAWATCHD" --once "$SW_TEST_TMP/v7.db")
like "$out" "${esc}32mok" "--once on a terminal (TERM=xterm): the state is coloured"
out=$(TERM=dumb on_tty "$SCHEMAWATCHD" --once "$SW_TEST_TMP/v7.db")
unlike "$out" "$esc" "--once with TERM=dumb: no escape sequence"
out=$(TERM=xterm NO_COLOR=1 on_tty "$SCHEMAWATCHD" --once "$SW_TEST_TMP/v7.db")
unlike "$out" "$esc" "--once with NO_COLOR=1: no escape sequence"
out=$(TERM=xterm "$SCHEMAWATCHD" --once "$SW_TEST_TMP/v7.db" | cat)
unlike "$out" "$esc" "--once into a pipe: no escape sequence"
like "$out" "v7\.db +sqlite +ok" "... and the table is plain"
ctl_status="$SCHEMAWATCHCTL -s $SW_TEST_TMP/ctl.sock status"
out=$(TERM=xterm NO_COLOR= on_tty "$ctl_status")
like "$out" "${esc}32mok" "schemawatchctl status on a terminal: coloured"
out=$(TERM=dumb on_tty "$ctl_status")
unlike "$out" "$esc" "schemawatchctl status with TERM=dumb: no escape sequence"
out=$(TERM=xterm NO_COLOR=1 on_tty "$ctl_status")
unlike "$out" "$esc" "schemawatchctl status with NO_COLOR=1: no escape sequence"
daemon_stop

# ---- --help and the man pages name the same default paths --------------------------------
help=$("$SCHEMAWATCHD" --help)
m8="$SW_BUILDDIR/man/schemawatchd.8"
m1="$SW_BUILDDIR/man/schemawatchctl.1"
# man_after PAGE TAG — the first path (.I/.IR /…) after the line starting with TAG.
man_after() {
	TAG=$2 awk 'index($0, ENVIRON["TAG"]) == 1 {f = 1; next} f && /^\.IR? \// {print $2; exit}' "$1" |
		sed 's/[.,)]*$//'
}
conf_help=$(sed -n 's/.*--config FILE .*(default \([^)]*\)).*/\1/p' <<<"$help")
conf_man=$(man_after "$m8" '.BR \-c ')
like "$conf_help" "^/.*/schemawatchd\.yaml$" "--help names the default configuration file ($conf_help)"
is "$conf_man" "$conf_help" "schemawatchd(8) -c names the same default file"
ok "... and so does its FILES section" grep -qxF ".I $conf_help" "$m8"
out=$(env -u DB_URL "$SCHEMAWATCHD" --check-config 2>&1)
like "$out" "^schemawatchd: $conf_help: " "... which is the file the daemon really reads by default"
sql_help=$(sed -n "s/.*the configuration's (default \([^)]*\));.*/\1/p" <<<"$help")
sql_man=$(man_after "$m8" '.BI \-\-definition ')
like "$sql_help" "^/.*/schemawatchd(/definitions/[a-z]+)?$" "--help names the default definition ($sql_help)"
is "$sql_man" "$sql_help" "schemawatchd(8) --definition names the same directory"
ok "... and so does its FILES section" grep -qxF ".I $sql_help/" "$m8"
sock_help=$("$SCHEMAWATCHCTL" --help | sed -n 's/.*(default \$SCHEMAWATCHD_SOCKET or \([^)]*\)).*/\1/p')
sock_man=$(man_after "$m1" '.BR \-s ')
like "$sock_help" "^/.*\.sock$" "schemawatchctl --help names the default socket ($sock_help)"
is "$sock_man" "$sock_help" "schemawatchctl(1) -s names the same socket"
sock_cfg=$(sed -n 's/.*\[default: \([^]]*\.sock\)\].*/\1/p' "$SW_BUILDDIR/man/schemawatchd.yaml.5" | head -n 1)
[ -n "$sock_cfg" ] || sock_cfg=$(grep -o '/[^ ]*schemawatchd\.sock' "$SW_BUILDDIR/man/schemawatchd.yaml.5" | head -n 1)
is "$sock_cfg" "$sock_help" "schemawatchd.yaml(5) names the same default socket"

done_testing

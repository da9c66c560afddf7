# tests/lib/common.sh — sourced by every end-to-end test.
#
# TAP output (ok / is / like), throwaway PostgreSQL databases on the harness's
# server, SQLite files in the test's temp dir, and the programs under test.
# The harness exports: SW_BUILDDIR SW_SRCDIR SW_TMP SW_TEST_TMP SW_PGBIN
# SW_PGDATA SW_PGSOCK SW_PGLOG SW_TEST_USER PGHOST PGUSER PGDATABASE.
set -u

T_N=0
T_FAILED=0
SCHEMAWATCHD="$SW_BUILDDIR/schemawatchd"
SCHEMAWATCHCTL="$SW_BUILDDIR/schemawatchctl"
SQLDIR="$SW_SRCDIR/sql/prompter"	# the shipped definition

t_result() {	# t_result PASSED DESCRIPTION [DIAG...]
	local pass=$1 what=$2
	shift 2
	T_N=$((T_N + 1))
	if [ "$pass" = 1 ]; then
		echo "ok $T_N - $what"
	else
		T_FAILED=$((T_FAILED + 1))
		echo "not ok $T_N - $what"
		local line
		for line in "$@"; do printf '#   %s\n' "$line"; done
	fi
}

ok() {		# ok DESCRIPTION COMMAND...  (passes when the command succeeds)
	local what=$1
	shift
	if "$@"; then t_result 1 "$what"; else t_result 0 "$what" "command failed: $*"; fi
}

not_ok() {	# not_ok DESCRIPTION COMMAND...  (passes when the command fails)
	local what=$1
	shift
	if "$@"; then t_result 0 "$what" "command succeeded: $*"; else t_result 1 "$what"; fi
}

is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then t_result 1 "$3"; else t_result 0 "$3" "got:  '$1'" "want: '$2'"; fi
}

like() {	# like GOT REGEX DESCRIPTION
	if [[ $1 =~ $2 ]]; then t_result 1 "$3"; else t_result 0 "$3" "got:  '$1'" "want match: $2"; fi
}

unlike() {	# unlike GOT REGEX DESCRIPTION
	if [[ $1 =~ $2 ]]; then t_result 0 "$3" "got:  '$1'" "must not match: $2"; else t_result 1 "$3"; fi
}

diag() { printf '# %s\n' "$*"; }

done_testing() {
	echo "1..$T_N"
	if [ "$T_FAILED" -gt 0 ] && [ -s "${DAEMON_LOG:-/nonexistent}" ]; then
		echo "# ---- daemon log (last 60 lines) ----"
		tail -n 60 "$DAEMON_LOG" | sed 's/^/# /'
	fi
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# ---- PostgreSQL -------------------------------------------------------------

# new_pgdb: create an empty database with a unique name and print its name.
new_pgdb() {
	local db
	db="t_$(basename "$SW_TEST_TMP" | tr 'A-Z' 'a-z')_${RANDOM}${RANDOM}"
	"$SW_PGBIN/createdb" "$db" || return 1
	echo "$db"
}

# pgq DB SQL — run SQL, print unaligned tuples; fails on the first error.
pgq() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# pgf DB FILE — run a SQL file in one transaction.
pgf() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 --single-transaction -d "$1" -f "$2"
}

pg_conninfo() {	# pg_conninfo DB
	echo "host=$PGHOST user=$PGUSER dbname=$1"
}

pg_server_stop() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$SW_TEST_USER" -- "$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" -m fast -w stop >/dev/null
	else
		"$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" -m fast -w stop >/dev/null
	fi
}

pg_server_start() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$SW_TEST_USER" -- "$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" -l "$SW_PGLOG" -w start >/dev/null
	else
		"$SW_PGBIN/pg_ctl" -D "$SW_PGDATA" -l "$SW_PGLOG" -w start >/dev/null
	fi
}

# ---- SQLite -----------------------------------------------------------------

# sq FILE SQL — run SQL with foreign keys on, as the product uses SQLite.
sq() {
	sqlite3 -batch -bail "$1" "PRAGMA foreign_keys = ON;" "$2"
}

sqf() {		# sqf DBFILE SQLFILE
	sqlite3 -batch -bail "$1" "PRAGMA foreign_keys = ON;" ".read $2"
}

# ---- waiting and the daemon ---------------------------------------------------

# wait_until SECONDS COMMAND... — poll every 100 ms; fails on time-out.
wait_until() {
	local limit=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge $((limit * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# daemon_start CONFIG [ARGS...] — run schemawatchd in the background with its
# log (stderr, "<N>" prefixes) in $DAEMON_LOG; sets DAEMON_PID. Extra
# environment can be passed with `env` in front: DAEMON_ENV=(VAR=value ...).
DAEMON_LOG="$SW_TEST_TMP/daemon.log"
DAEMON_ENV=()
daemon_start() {
	local cfg=$1
	shift
	env SCHEMAWATCHD_LOG=stderr "${DAEMON_ENV[@]}" "$SCHEMAWATCHD" -c "$cfg" "$@" \
		>>"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
}

# daemon_stop — SIGTERM and wait; sets DAEMON_RC and DAEMON_STOP_MS (how long
# it took). Not in a subshell: only this shell can wait for its child.
daemon_stop() {
	local t0 t1
	DAEMON_RC= DAEMON_STOP_MS=
	[ -n "${DAEMON_PID:-}" ] || return 0
	t0=$(date +%s%3N)
	kill -TERM "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_RC=$?
	t1=$(date +%s%3N)
	DAEMON_PID=
	DAEMON_STOP_MS=$((t1 - t0))
}

log_count() {	# log_count REGEX — matching lines in the daemon log
	grep -cE -- "$1" "$DAEMON_LOG" 2>/dev/null || true
}

cleanup_daemon() {
	[ -n "${DAEMON_PID:-}" ] && kill -KILL "$DAEMON_PID" 2>/dev/null
	[ -n "${DAEMON_PID:-}" ] && wait "$DAEMON_PID" 2>/dev/null
	return 0
}

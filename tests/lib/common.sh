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
SQLDIR="$SW_SRCDIR/sql"

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

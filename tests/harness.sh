#!/usr/bin/env bash
# tests/harness.sh — run every test of schemawatchd against one throwaway
# PostgreSQL server, and stop that server whatever happens.
#
# Called by `make check` with SW_BUILDDIR, SW_SRCDIR, SW_UNIT_TESTS and
# SW_E2E_TESTS set. SW_ONLY=REGEX runs the tests whose name matches.
# Every test prints TAP lines; its output goes to tests/logs/NAME.log and is
# shown, with the server log's tail, when it fails. The last line counts the
# individual checks: "N passed, N failed".
set -u

: "${SW_BUILDDIR:?}" "${SW_SRCDIR:?}"
export SW_BUILDDIR SW_SRCDIR
# The daemon's default definition is the installed one; the programs under
# test are not installed: point the default at the source tree's.
export SCHEMAWATCHD_DEFINITION="$SW_SRCDIR/sql/prompter"
logdir="$SW_BUILDDIR/tests/logs"
rm -rf "$logdir"
mkdir -p "$logdir"

# PostgreSQL refuses to run as root: as root, the server runs as this user.
SW_TEST_USER=${SW_TEST_USER:-swtest}
export SW_TEST_USER

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] && command -v pg_ctl >/dev/null; then
	pgbin=$(dirname "$(command -v pg_ctl)")
fi
[ -x "$pgbin/initdb" ] || { echo "harness: no PostgreSQL server binaries (initdb) found" >&2; exit 1; }
export SW_PGBIN=$pgbin

# Short path: a unix socket path must fit in 107 bytes, builddirs can be long.
SW_TMP=$(mktemp -d /tmp/swtest.XXXXXX)
chmod 755 "$SW_TMP"
export SW_TMP
export SW_PGDATA="$SW_TMP/pgdata" SW_PGSOCK="$SW_TMP/pgsock" SW_PGLOG="$SW_TMP/postgres.log"

as_pg_user() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$SW_TEST_USER" -- "$@"
	else
		"$@"
	fi
}

if [ "$(id -u)" = 0 ]; then
	id "$SW_TEST_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin "$SW_TEST_USER" ||
		{ echo "harness: cannot create user $SW_TEST_USER" >&2; exit 1; }
	PGUSER=$SW_TEST_USER
else
	PGUSER=$(id -un)
fi
export PGUSER PGHOST="$SW_PGSOCK" PGDATABASE=postgres
unset PGPORT PGSERVICE PGPASSWORD PGHOSTADDR

stop_server() {
	if [ -f "$SW_PGDATA/postmaster.pid" ]; then
		as_pg_user "$pgbin/pg_ctl" -D "$SW_PGDATA" -m immediate -w stop >/dev/null 2>&1
	fi
	# Anything a test left running in our temp dir (daemons, helpers).
	pkill -KILL -f "$SW_TMP" 2>/dev/null
	rm -rf "$SW_TMP"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

mkdir -p "$SW_PGSOCK"
[ "$(id -u)" = 0 ] && chown "$SW_TEST_USER" "$SW_TMP" "$SW_PGSOCK"
if ! as_pg_user "$pgbin/initdb" -D "$SW_PGDATA" -U "$PGUSER" -A trust -E UTF8 \
	--no-sync --no-instructions >"$SW_TMP/initdb.log" 2>&1; then
	cat "$SW_TMP/initdb.log" >&2
	echo "harness: initdb failed" >&2
	exit 1
fi
cat >>"$SW_PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$SW_PGSOCK'
unix_socket_permissions = 0777
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 300
max_locks_per_transaction = 256
CONF
[ "$(id -u)" = 0 ] && touch "$SW_PGLOG" && chown "$SW_TEST_USER" "$SW_PGLOG"
if ! as_pg_user "$pgbin/pg_ctl" -D "$SW_PGDATA" -l "$SW_PGLOG" -w -t 60 start >/dev/null; then
	cat "$SW_PGLOG" >&2
	echo "harness: PostgreSQL did not start" >&2
	exit 1
fi

passed=0 failed=0 failed_tests=""

run_one() {		# run_one NAME COMMAND...
	local name=$1 log rc np nf ntodo
	shift
	log="$logdir/$(echo "$name" | tr '/' '_').log"
	mkdir -p "$SW_TMP/t"
	SW_TEST_TMP=$(mktemp -d "$SW_TMP/t/XXXXXX")
	chmod 755 "$SW_TEST_TMP"
	export SW_TEST_TMP
	(cd "$SW_BUILDDIR" && "$@") >"$log" 2>&1 </dev/null
	rc=$?
	np=$(grep -c '^ok ' "$log")
	# "not ok ... # TODO why": a known failure (TAP), listed, not counted.
	nf=$(grep '^not ok ' "$log" | grep -vc ' # TODO ')
	ntodo=$(grep '^not ok ' "$log" | grep -c ' # TODO ')
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		nf=1	# died without saying which check failed
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	if [ "$np" -eq 0 ] && [ "$nf" -eq 0 ]; then
		nf=1
		echo "not ok - $name ran no check" >>"$log"
	fi
	passed=$((passed + np))
	failed=$((failed + nf))
	if [ "$nf" -eq 0 ]; then
		printf 'PASS  %-45s %4d checks' "$name" "$np"
		# Known failures stay visible: counted here, listed in the log.
		[ "$ntodo" -gt 0 ] && printf ', %d TODO (listed in %s)' "$ntodo" "$log"
		printf '\n'
	else
		printf 'FAIL  %-45s %4d passed, %d failed (exit %d)\n' "$name" "$np" "$nf" "$rc"
		failed_tests="$failed_tests $name"
		echo "----- $log"
		cat "$log"
		echo "----- postgres.log (tail)"
		tail -n 30 "$SW_PGLOG"
		echo "-----"
	fi
}

only=${SW_ONLY:-.}
for t in ${SW_UNIT_TESTS:-}; do
	[[ $t =~ $only ]] || continue
	run_one "$t" "$SW_BUILDDIR/$t"
done
for t in ${SW_E2E_TESTS:-}; do
	[[ $t =~ $only ]] || continue
	run_one "$t" bash "$SW_SRCDIR/$t"
done

[ -n "$failed_tests" ] && echo "failed:$failed_tests"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

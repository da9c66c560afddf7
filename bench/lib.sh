# bench/lib.sh — sourced by the benchmarks: their own throwaway PostgreSQL.
#
# bench_pg_start TAG [CONF]: a fresh cluster in a new /tmp/TAG.XXXXXX
# directory (as user swtest when run as root: initdb refuses root), reached
# by its unix socket only, durability off (nothing measured here is about
# fsync), CONF appended to postgresql.conf. Sets tmp, user, pgbin, PGHOST,
# PGUSER, PGDATABASE; defines run_pg (a command as the cluster's owner) and
# q (psql, quiet, unaligned, stop at the first error). The cluster and the
# directory go at exit (the directory stays with KEEP_TMP set); a script
# that started more (a daemon) defines bench_before_cleanup to stop it.
bench_pg_start() {
	local tag=$1 conf=${2:-}
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	tmp=$(mktemp -d "/tmp/$tag.XXXXXX")
	chmod 755 "$tmp"
	user=$(id -un)
	run_pg() { "$@"; }
	if [ "$(id -u)" = 0 ]; then
		user=swtest
		id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
		chown "$user" "$tmp"
		run_pg() { runuser -u "$user" -- "$@"; }
	fi
	trap bench_cleanup EXIT
	run_pg "$pgbin/initdb" -D "$tmp/data" -U "$user" -A trust --no-sync >/dev/null
	cat >>"$tmp/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
$conf
CONF
	run_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/pg.log" -w start >/dev/null
	export PGHOST=$tmp PGUSER=$user PGDATABASE=postgres
}

bench_cleanup() {
	if declare -F bench_before_cleanup >/dev/null; then
		bench_before_cleanup || true
	fi
	run_pg "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

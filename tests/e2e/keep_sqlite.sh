#!/usr/bin/env bash
# Kept SQLite files (issue 14): the daemon keeps its read-only handle between
# checks, yet a schema change in place, a file replaced by another (rename
# over the path) and a file removed are all seen at the next check. An
# unchanged file is not read again: the kept catalog is reused while the
# file's schema_version stays (schemawatchd_target_catalog_reads_total vs
# ..._catalog_reuses_total), and only a data change re-reads the version row.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

f="$SW_TEST_TMP/app.db"
sqf "$f" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
write_config() {	# write_config PORT
	cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
metrics: "127.0.0.1:$1"
targets:
  - name: lite
    sqlite: $f
YAML
}
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
# Does the daemon hold the file at PATH (or its replaced inode) open?
holds() { ls -l "/proc/$DAEMON_PID/fd" 2>/dev/null | grep -qF -- "$1"; }
# metric NAME: the value of lite's series of NAME.
metric() {
	curl -sS "http://127.0.0.1:$PORT/metrics" |
		awk -v n="$1" '$1 ~ "^" n "\\{" && $1 ~ /target="lite"/ { print $2 }'
}
reads() { metric schemawatchd_target_catalog_reads_total; }
reuses() { metric schemawatchd_target_catalog_reuses_total; }

# A random port for /metrics; another one if it is taken.
start_on_free_port() {
	local try
	for try in 1 2 3 4 5; do
		PORT=$((20000 + RANDOM % 30000))
		write_config "$PORT"
		daemon_start "$SW_TEST_TMP/sw.yaml"
		if wait_until 5 grep -q "metrics: serving http://127.0.0.1:$PORT/metrics" "$DAEMON_LOG"; then
			return 0
		fi
		grep -q "cannot listen on 127.0.0.1:$PORT" "$DAEMON_LOG" || return 1
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	done
	return 1
}
ok "the daemon starts with the metrics endpoint" start_on_free_port || { done_testing; exit 1; }
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
state_is() { [ "$(tstate "$1")" = "$2" ]; }
ok "lite is ok" wait_until 10 state_is lite ok
ok "the file stays open between checks" holds "$f"

is "$(reads)/$(reuses)" "1/0" "the first check reads the catalog"
ctl check lite >/dev/null
ctl check lite >/dev/null
is "$(reads)/$(reuses)" "1/2" "unchanged file: two checks reuse the catalog, no re-read"

# The version table: created (a schema change), then only its row changes.
sq "$f" "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('prompter_v7')" || exit 1
ctl check lite >/dev/null
is "$(tstate lite)/$(reads)/$(reuses)" "ok/2/2" "CREATE TABLE changes schema_version: re-read"
sq "$f" "UPDATE alembic_version SET version_num = 'prompter_v6'" || exit 1
ctl check lite >/dev/null
not_ok() { [ "$(tstate lite)" != ok ]; }
ok "a new version row (data only) is seen..." not_ok
is "$(reads)/$(reuses)" "2/3" "... without re-reading the schema"
sq "$f" "DROP TABLE alembic_version" || exit 1
ctl check lite >/dev/null
is "$(tstate lite)/$(reads)/$(reuses)" "ok/3/3" "DROP TABLE: re-read, ok again"

sq "$f" "ALTER TABLE prompt_templates ADD COLUMN extra TEXT" || exit 1
ctl check lite >/dev/null
is "$(tstate lite)" drift "a column added in place is seen through the kept handle"
is "$(reads)/$(reuses)" "4/3" "... by a full read (schema_version changed)"
ctl check lite >/dev/null
is "$(tstate lite)/$(reads)/$(reuses)" "drift/4/4" "the drifted file unchanged: reused, still drift"

# A new file with V7 renamed over the path: the kept handle is on the old inode.
sqf "$f.new" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
mv "$f.new" "$f"
ctl check lite >/dev/null
is "$(tstate lite)" ok "a file replaced by one with V7 is re-read: ok"
is "$(reads)/$(reuses)" "5/4" "... by a full read (a new inode)"
not_deleted() { ! ls -l "/proc/$DAEMON_PID/fd" 2>/dev/null | grep -qF "$f (deleted)"; }
ok "the old inode is let go" not_deleted

# And replaced by one with a different schema: drift.
sq "$f.new" "CREATE TABLE prompt_templates (id TEXT PRIMARY KEY)" || exit 1
mv "$f.new" "$f"
ctl check lite >/dev/null
is "$(tstate lite)" drift "a file replaced by a different schema is re-read: drift"

rm -f "$f"
ctl check lite >/dev/null
is "$(tstate lite)" unreachable "a removed file is unreachable, not read through the kept handle"
daemon_stop
done_testing

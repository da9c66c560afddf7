#!/usr/bin/env bash
# Kept SQLite files (issue 14): the daemon keeps its read-only handle between
# checks, yet a schema change in place, a file replaced by another (rename
# over the path) and a file removed are all seen at the next check.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

f="$SW_TEST_TMP/app.db"
sqf "$f" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
cat >"$SW_TEST_TMP/sw.yaml" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
targets:
  - name: lite
    sqlite: $f
YAML
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() { ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
# Does the daemon hold the file at PATH (or its replaced inode) open?
holds() { ls -l "/proc/$DAEMON_PID/fd" 2>/dev/null | grep -qF -- "$1"; }

daemon_start "$SW_TEST_TMP/sw.yaml"
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
state_is() { [ "$(tstate "$1")" = "$2" ]; }
ok "lite is ok" wait_until 10 state_is lite ok
ok "the file stays open between checks" holds "$f"

sq "$f" "ALTER TABLE prompt_templates ADD COLUMN extra TEXT" || exit 1
ctl check lite >/dev/null
is "$(tstate lite)" drift "a column added in place is seen through the kept handle"

# A new file with V7 renamed over the path: the kept handle is on the old inode.
sqf "$f.new" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
mv "$f.new" "$f"
ctl check lite >/dev/null
is "$(tstate lite)" ok "a file replaced by one with V7 is re-read: ok"
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

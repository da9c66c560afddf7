#!/usr/bin/env bash
# --check-config means it (issue 15, item 5): beyond the syntax, what the file
# names on this machine — the socket path and its directory, the alert
# command, SQLite targets that are directories — and a PostgreSQL schema that
# does not exist is reported as such by the first check and refuses an apply.
. "$SW_SRCDIR/tests/lib/common.sh"

cd "$SW_TEST_TMP" || exit 1
unset DB_URL
mkdir -p run state adir
base="state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
"
cc() {	# cc DESCRIPTION WANT-STATUS REGEX YAML-TAIL [SOCKET]
	printf 'socket: %s\n%s%b' "${5:-$SW_TEST_TMP/run/sw.sock}" "$base" "$4" >cc.yaml
	out=$("$SCHEMAWATCHD" -c cc.yaml --check-config 2>&1)
	is "$?" "$2" "$1: --check-config exits $2"
	like "$out" "$3" "$1: says so"
}
cc "a good file" 0 "configuration ok \(1 target" 'targets:\n  - name: dev\n    sqlite: ./dev.db\n'
cc "the deprecated revision keys" 0 \
	"warning: .*cc\.yaml: revision: \"prompter_v7\" has no effect: the revision ids come from the definition.*warning: .*previous_revision: \"\" has no effect.*configuration ok" \
	'revision: prompter_v7\nprevious_revision: ""\ntargets:\n  - name: dev\n    sqlite: ./dev.db\n'

long="$SW_TEST_TMP/$(printf 'd%.0s' {1..120})/sw.sock"
cc "a socket path too long for sockaddr_un" 78 "cc\.yaml: socket: the path is [0-9]+ bytes long; a unix socket path holds at most 107" \
	"" "$long"
cc "a socket in a directory that does not exist" 0 \
	"warning: .*cc\.yaml: socket: directory $SW_TEST_TMP/nodir does not exist.*configuration ok" \
	"" "$SW_TEST_TMP/nodir/sw.sock"

printf '#!/bin/sh\nexit 0\n' >hook.sh
chmod 644 hook.sh
cc "alert_command that does not exist" 78 "alert_command: $SW_TEST_TMP/no-such-hook: No such file or directory" \
	"alert_command: [$SW_TEST_TMP/no-such-hook, --flag]\n"
cc "alert_command that is not executable" 78 "alert_command: $SW_TEST_TMP/hook\.sh is not executable" \
	"alert_command: [$SW_TEST_TMP/hook.sh]\n"
cc "alert_command that is a directory" 78 "alert_command: $SW_TEST_TMP/adir is not a file" \
	"alert_command: [$SW_TEST_TMP/adir]\n"
cc "alert_command not in PATH" 78 'alert_command: "sw-no-such-program" is not found in PATH' \
	"alert_command: [sw-no-such-program]\n"
chmod 755 hook.sh
cc "an executable alert_command" 0 "configuration ok" "alert_command: [$SW_TEST_TMP/hook.sh]\n"
cc "an alert_command found in PATH" 0 "configuration ok" "alert_command: [true]\n"

cc "an SQLite target that is a directory" 78 \
	"cc\.yaml:5: target \"d\": sqlite: $SW_TEST_TMP/adir: is a directory" \
	'targets:\n  - name: d\n    sqlite: ./adir\n'
cc "an SQLite target in a directory that does not exist" 0 \
	"warning: .*target \"d\": sqlite: .*no such directory: $SW_TEST_TMP/nodir.*configuration ok" \
	'targets:\n  - name: d\n    sqlite: ./nodir/dev.db\n'

# ---- the developer's URL forms in a configuration ------------------------------------------
mkdir -p conf
pgdb=$(new_pgdb) || exit 1
pgf "$pgdb" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
cat >conf/urls.yaml <<YAML
socket: $SW_TEST_TMP/run/sw.sock
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
targets:
  - name: rel
    sqlite: sqlite:///./dev.db
  - name: abs
    url: sqlite:////$SW_TEST_TMP/abs.db
  - name: alchemy
    postgresql: "postgresql+psycopg2://$PGUSER:hunter2@/$pgdb?host=$PGHOST"
  - name: viaurl
    url: "postgresql+asyncpg://$PGUSER@/$pgdb?host=$PGHOST"
  - name: kv
    url: "host=$PGHOST dbname=$pgdb"
YAML
out=$("$SCHEMAWATCHD" -c conf/urls.yaml --check-config 2>&1)
is "$?" "0" "sqlite: sqlite:///…, url: sqlite:////…, postgresql: postgresql+psycopg2://…, url: …: --check-config exits 0"
unlike "$out" "hunter2" "... no password in its output"
(cd / && "$SCHEMAWATCHD" -c "$SW_TEST_TMP/conf/urls.yaml" --apply rel >/dev/null 2>&1)
is "$?" "0" "--apply on sqlite: sqlite:///./dev.db from another directory: exit 0"
ok "... the file is next to the configuration (relative to its directory)" test -s conf/dev.db
"$SCHEMAWATCHD" -c conf/urls.yaml --apply abs >/dev/null 2>&1
ok "url: sqlite:////ABS: applied to that file" test -s abs.db
out=$("$SCHEMAWATCHD" -c conf/urls.yaml --once --json 2>&1)
is "$?" "0" "--once over every URL form: exit 0"
is "$(jq -r '[.targets[] | .name + "=" + .kind + ":" + .state] | join(" ")' <<<"$out")" \
	"rel=sqlite:ok abs=sqlite:ok alchemy=postgresql:ok viaurl=postgresql:ok kv=postgresql:ok" \
	"... each understood as the right kind, all ok"
unlike "$out" "hunter2" "... no password in the report"
printf 'targets:\n  - name: m\n    url: "mysql+pymysql://u:hunter2@h/d"\n' >conf/bad.yaml
out=$("$SCHEMAWATCHD" -c conf/bad.yaml --check-config 2>&1)
is "$?" "78" "url: mysql+pymysql://…: exit 78"
like "$out" 'bad\.yaml:3:10: url in target "m": unsupported database URL scheme "mysql\+pymysql"' \
	"... the place and the reason"
unlike "$out" "hunter2" "... without the password"

# ---- a PostgreSQL schema that does not exist ---------------------------------------------
db=$(new_pgdb) || exit 1
printf 'socket: %s\n%stargets:\n  - name: pg\n    postgresql: "%s"\n    schema: nope\n' "$SW_TEST_TMP/run/sw.sock" "$base" "$(pg_conninfo "$db")" >pg.yaml
out=$("$SCHEMAWATCHD" -c pg.yaml --once --json 2>&1)
is "$?" "2" "--once on a target whose schema does not exist: exit 2"
is "$(jq -r '.targets[0].state' <<<"$out")" "error" "... state error, not pending"
like "$(jq -r '.targets[0].error' <<<"$out")" 'schema "nope" does not exist' "... with the reason"
out=$("$SCHEMAWATCHD" -c pg.yaml --apply pg 2>/dev/null)
is "$?" "1" "--apply into a schema that does not exist: refused (exit 1)"
like "$out" 'pg: upgrade refused, nothing was changed: schema "nope" does not exist' "... with that reason"
is "$(pgq "$db" "SELECT count(*) FROM pg_namespace WHERE nspname = 'nope'")" "0" "... and nothing was created"

# ---- reload: the same checks, and an answer naming the restart-only keys that changed ---------
mkdir -p state2
write_cfg() {	# write_cfg STATE_DIR [EXTRA]
	printf 'socket: %s\nstate_dir: %s\nsql_dir: %s\ninterval: 1h\n%btargets:\n  - name: d\n    sqlite: ./dev.db\n' \
		"$SW_TEST_TMP/run/sw.sock" "$1" "$SQLDIR" "${2:-}" >rl.yaml
}
write_cfg "$SW_TEST_TMP/state"
trap cleanup_daemon EXIT
daemon_start "$SW_TEST_TMP/rl.yaml"
CTL() { "$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/run/sw.sock" "$@"; }
ok "the daemon answers" wait_until 10 CTL version
out=$(CTL --json reload)
is "$?" "0" "reload of an unchanged file: exit 0"
is "$(jq -c .restart_needed <<<"$out")" "[]" "... the answer names no restart-only key"
is "$(log_count 'takes effect at the next restart')" "0" "... and the log warns about none"
write_cfg "$SW_TEST_TMP/state2" "metrics: 127.0.0.1:19187\n"
out=$(CTL --json reload)
is "$(jq -c .restart_needed <<<"$out")" '["state_dir","metrics"]' \
	"reload with state_dir and metrics changed: the answer names exactly those"
is "$(log_count 'reload: state_dir, metrics changed; that takes effect at the next restart')" "1" \
	"... the log says so once"
out=$(CTL --json reload)
is "$(jq -c .restart_needed <<<"$out")" "[]" "reload of the same file again: nothing changed, none named"
is "$(log_count 'takes effect at the next restart')" "1" "... and no new warning in the log"
write_cfg "$SW_TEST_TMP/state2" "metrics: 127.0.0.1:19188\n"
out=$(CTL reload)
like "$out" "changed, takes effect only at the next restart: metrics$" \
	"schemawatchctl reload prints the key that changed, and only it"
write_cfg "$SW_TEST_TMP/state2" "metrics: 127.0.0.1:19188\nalert_command: [$SW_TEST_TMP/no-such-hook]\n"
out=$(CTL reload 2>&1)
is "$?" "1" "reload with an alert_command that does not exist: refused (exit 1)"
like "$out" "alert_command: $SW_TEST_TMP/no-such-hook: No such file or directory.*running configuration stays" \
	"... with the reason"
daemon_stop
is "$DAEMON_RC" "0" "the daemon stops cleanly"

done_testing

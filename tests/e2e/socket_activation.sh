#!/usr/bin/env bash
# Socket activation: started by systemd-socket-activate (as a .socket unit
# would), the daemon serves the socket it was passed (LISTEN_FDS,
# FileDescriptorName=control) instead of creating its own, and never unlinks it.
. "$SW_SRCDIR/tests/lib/common.sh"
trap cleanup_daemon EXIT

command -v systemd-socket-activate >/dev/null ||
	{ t_result 0 "systemd-socket-activate is installed (package systemd)"; done_testing; }
sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
cfg="$SW_TEST_TMP/sw.yaml"
printf 'socket: %s\nstate_dir: %s\ntargets:\n  - name: dev\n    sqlite: %s\n' \
	"$SW_TEST_TMP/own.sock" "$SW_TEST_TMP" "$SW_TEST_TMP/dev.db" >"$cfg"

# Non-accept mode: it listens, and on the first connection execs the daemon
# in its own process with the listening socket as fd 3. The activator passes
# on only the environment it is told to (-E): the harness's default
# definition too.
SCHEMAWATCHD_LOG=stderr systemd-socket-activate -l "$SW_TEST_TMP/act.sock" --fdname=control \
	-E SCHEMAWATCHD_DEFINITION \
	"$SCHEMAWATCHD" -c "$cfg" >>"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
ok "the activator listens" wait_until 5 test -S "$SW_TEST_TMP/act.sock"
out=$("$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/act.sock" --json status)
is "$?" "0" "the first connection starts the daemon, which answers on the passed socket"
is "$(jq -r '.targets[0].name' <<<"$out")" "dev" "with its targets"
ok "the daemon says it uses the socket it was passed" \
	grep -q 'using the socket systemd passed' "$DAEMON_LOG"
not_ok "it does not create the socket of its configuration" test -e "$SW_TEST_TMP/own.sock"
ok "a check through the passed socket works" \
	"$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/act.sock" check
daemon_stop
is "$DAEMON_RC" "0" "SIGTERM: clean exit"
ok "the inherited socket is not unlinked at exit" test -S "$SW_TEST_TMP/act.sock"
done_testing

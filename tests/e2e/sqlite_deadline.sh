#!/usr/bin/env bash
# A SQLite check has a deadline: a file whose open(2) never returns (a FIFO
# named as the database, like a file on a hung mount) makes its target
# unreachable after connect_timeout with the reason, and frees its check slot:
# with max_concurrent_checks: 1 the healthy target goes on being checked. The
# daemon still stops cleanly while the abandoned workers stay blocked, and
# `--once` reports the target unreachable and exits.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon; rm -f "$SW_TEST_TMP/hung.db"' EXIT

sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
mkfifo "$SW_TEST_TMP/hung.db" || exit 1
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
cat >"$cfg" <<YAML
interval: 1s
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
max_concurrent_checks: 1
connect_timeout: 1s
query_timeout: 3s
retry_backoff_max: 1s
targets:
  - name: hung
    sqlite: $SW_TEST_TMP/hung.db
  - name: lite
    sqlite: $SW_TEST_TMP/dev.db
YAML

daemon_start "$cfg" -v
ok "the FIFO target goes unreachable" wait_until 15 grep -q 'target hung: unreachable' "$DAEMON_LOG"
like "$(grep 'target hung: unreachable' "$DAEMON_LOG" | head -1)" \
	"timed out opening $SW_TEST_TMP/hung.db after 1 s" "the reason names the file and connect_timeout"
ok "the healthy target becomes ok" wait_until 15 grep -q 'target lite: ok' "$DAEMON_LOG"

# The one check slot is not held by the blocked open: the healthy target keeps
# its schedule while the FIFO target is retried (and blocks a worker) again.
checks_at_least() {	# checks_at_least TARGET N
	test "$(log_count "target $1: checking")" -ge "$2"
}
n0=$(log_count 'target lite: checking')
h0=$(log_count 'target hung: checking')
ok "the healthy target is checked 3 more times" wait_until 20 checks_at_least lite $((n0 + 3))
ok "the FIFO target is retried too" wait_until 20 checks_at_least hung $((h0 + 2))
st=$("$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" --json status 2>&1)
is "$(jq -r '.targets[] | select(.name == "hung") | .state' <<<"$st")" "unreachable" \
	"status: the FIFO target is unreachable"
like "$(jq -r '.targets[] | select(.name == "hung") | .error' <<<"$st")" "timed out opening" \
	"status: with the reason"
is "$(jq -r '.targets[] | select(.name == "lite") | .state' <<<"$st")" "ok" "status: the healthy target is ok"

# Workers are still blocked in open(): exit must neither wait for them nor crash.
daemon_stop
is "$DAEMON_RC" "0" "the daemon exits 0 with workers blocked in open()"
unlike "$(cat "$DAEMON_LOG")" "AddressSanitizer|LeakSanitizer|runtime error|Segmentation" \
	"no sanitizer report or crash at exit"

# --once too: the FIFO target is reported unreachable and the process exits
# with its worker still blocked.
out=$(timeout 20 "$SCHEMAWATCHD" -c "$cfg" --once --json 2>"$SW_TEST_TMP/once.err")
is "$?" "2" "--once exits 2 (a target unreachable), not blocked by the FIFO"
is "$(jq -r '.targets[] | select(.name == "hung") | .state' <<<"$out")" "unreachable" \
	"--once: the FIFO target is unreachable"
like "$(jq -r '.targets[] | select(.name == "hung") | .error' <<<"$out")" "timed out opening .*hung.db after 1 s" \
	"--once: with the reason"
is "$(jq -r '.targets[] | select(.name == "lite") | .state' <<<"$out")" "ok" "--once: the healthy target is ok"
unlike "$(cat "$SW_TEST_TMP/once.err")" "AddressSanitizer|LeakSanitizer|runtime error" \
	"--once: no sanitizer report at exit"

done_testing

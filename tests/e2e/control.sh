#!/usr/bin/env bash
# The control socket and schemawatchctl against a running daemon with real
# SQLite and PostgreSQL targets: every command end to end, exit statuses,
# authorization by peer credentials (a non-admin uid, admin_group members),
# malformed / oversized / pipelined requests on the raw protocol, 200
# concurrent clients, the per-uid limit, idle and non-reading clients, a
# stale socket replaced, a live one never taken over, EMFILE back-off, and
# a clear exit 2 when no daemon runs.
. "$SW_SRCDIR/tests/lib/common.sh"
PY=/usr/bin/python3	# not a per-user shim: the test user runs it too
EXTRA_PIDS=()
trap 'cleanup_daemon; for p in "${EXTRA_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done' EXIT

D="$SW_TEST_TMP/db"
RUN="$SW_TEST_TMP/run"
mkdir -p "$D" "$RUN" "$SW_TEST_TMP/state" "$SW_TEST_TMP/c"
chmod 755 "$RUN"
SOCK="$RUN/ctl.sock"
CTL() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }

AS_USER=0
if [ "$(id -u)" = 0 ] && id "$SW_TEST_USER" >/dev/null 2>&1; then
	AS_USER=1
	# A group the test user is a supplementary member of, for admin_group.
	getent group swctladm >/dev/null || groupadd --system swctladm || exit 1
	id -nG "$SW_TEST_USER" | grep -qw swctladm || usermod -a -G swctladm "$SW_TEST_USER" || exit 1
fi
as_user() { runuser -u "$SW_TEST_USER" -- "$@"; }
# The test user may not be able to reach the build tree (a clone in a 0700
# directory): it runs a copy of the client from the test's own 0755 temp dir.
USER_CTL="$SW_TEST_TMP/schemawatchctl"
cp "$SCHEMAWATCHCTL" "$USER_CTL" && chmod 755 "$USER_CTL" || exit 1

# ---- targets ----------------------------------------------------------------
sqf "$D/ok.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
sqf "$D/drift.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
sq "$D/drift.db" "ALTER TABLE prompt_results ADD COLUMN extra_col TEXT;" || exit 1
sq "$D/pending.db" "CREATE TABLE unrelated (id INTEGER PRIMARY KEY);" || exit 1
db=$(new_pgdb) || exit 1
pgf "$db" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1

cfg="$SW_TEST_TMP/schemawatchd.yaml"
write_config() {	# write_config ADMIN_GROUP [EXTRA TARGET YAML]
	cat >"$cfg" <<YAML
interval: 60s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
sql_dir: $SQLDIR
connect_timeout: 3s
query_timeout: 5s
admin_group: $1
targets:
  - name: lite_ok
    sqlite: $D/ok.db
  - name: lite_drift
    sqlite: $D/drift.db
  - name: lite_pending
    sqlite: $D/pending.db
  - name: lite_missing
    sqlite: $D/missing.db
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
${2:-}
YAML
}
write_config nogroup

all_checked() {	# every target has a result
	CTL --json status 2>/dev/null | jq -e '.targets | all(.last_check_ms != null)' >/dev/null
}

# A short idle timeout so the idle test does not take 30 s.
DAEMON_ENV=(SCHEMAWATCHD_CTL_IDLE_MS=500)
daemon_start "$cfg" -v
ok "the daemon answers on its socket" wait_until 10 test -S "$SOCK"
ok "every target gets checked" wait_until 20 all_checked
is "$(stat -c %a "$SOCK")" "660" "the socket is created 0660"

# ---- status ----------------------------------------------------------------
out=$(CTL --json status); rc=$?
is "$rc" "1" "status exits 1 when a target is drift/pending/unreachable"
is "$(jq -r '[.targets[] | .name + "=" + .state] | join(" ")' <<<"$out")" \
	"lite_ok=ok lite_drift=drift lite_pending=pending lite_missing=unreachable pg=ok" \
	"status --json: every target in configuration order with its state"
is "$(jq -r '.targets[] | select(.name=="lite_drift") | .differences' <<<"$out")" "1" \
	"status counts the differences"
is "$(jq -r '.targets[] | select(.name=="pg") | .kind' <<<"$out")" "postgresql" "status: kind"
like "$(jq -r '.targets[] | select(.name=="lite_ok") | .since' <<<"$out")" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' "since is ISO-8601 UTC"
like "$(jq -r '.targets[] | select(.name=="lite_missing") | .error' <<<"$out")" "missing.db" \
	"an unreachable target's error names the file"
like "$(jq -r '.daemon.status' <<<"$out")" '^5 targets: 2 ok, 1 pending, 1 drift \(lite_drift: 1 difference\), 1 unreachable$' \
	"status carries the daemon's status line"
is "$(jq -c '[(.targets[0] | keys_unsorted), .groups]' <<<"$out")" \
	'[["name","kind","source","state","revision","expected","since","since_ms","last_check","last_check_ms","last_duration_ms","differences","error","checking"],[]]' \
	"status --json has stable keys"
human=$(CTL status)
like "$human" $'TARGET +KIND +STATE +SINCE +LAST CHECK +DIFFERENCES +REVISION\n' "status prints a table"
like "$human" $'\nlite_drift +sqlite +drift +[0-9-]+ [0-9:]+ +[0-9-]+ [0-9:]+ +1 +expected prompter_v7\n' "the table shows drift and 1 difference"
unlike "$human" $'\033' "no colour when stdout is not a terminal"
col=$(script -qec "$SCHEMAWATCHCTL -s $SOCK status" /dev/null)
like "$col" $'\033\\[31mdrift\033\\[0m' "state words are coloured on a terminal"
col=$(NO_COLOR=1 script -qec "$SCHEMAWATCHCTL -s $SOCK status" /dev/null)
unlike "$col" $'\033\\[3' "NO_COLOR turns colour off"

# ---- diff / compare ---------------------------------------------------------
out=$(CTL --json diff lite_drift); rc=$?
is "$rc" "1" "diff exits 1 when there are differences"
is "$(jq -c '.differences' <<<"$out")" \
	'[{"object":"prompt_results.extra_col","kind":"extra_column","expected":null,"actual":"extra_col TEXT"}]' \
	"diff --json lists the difference"
like "$(CTL diff lite_drift)" 'prompt_results\.extra_col +extra_column' "diff prints the difference table"
out=$(CTL --json diff lite_ok); rc=$?
is "$rc:$(jq -c '.differences' <<<"$out")" "0:[]" "diff of an ok target: exit 0, no differences"
out=$(CTL diff nope 2>&1); rc=$?
is "$rc" "2" "diff of an unknown target exits 2"
like "$out" 'no target or group named "nope"' "and says which name"
out=$(CTL diff 2>&1); rc=$?
is "$rc" "2" "diff without a target exits 2"
like "$out" 'usage: diff \[target\|group\] NAME' "and shows the usage"

out=$(CTL --json compare lite_ok pg); rc=$?
is "$rc:$(jq '.differences | length' <<<"$out")" "0:0" "compare SQLite V7 with PostgreSQL V7: no differences (cross-dialect)"
out=$(CTL --json compare lite_ok lite_drift); rc=$?
is "$rc" "1" "compare exits 1 when the schemas differ"
is "$(jq -r '.differences[] | .object + " " + .kind' <<<"$out")" "prompt_results.extra_col extra_column" \
	"compare names the difference"
out=$(CTL compare pg lite_missing 2>&1); rc=$?
is "$rc" "1" "compare with a target never read exits 1"
like "$out" 'target lite_missing has not been read yet' "and says which"

# ---- check -----------------------------------------------------------------
before=$(CTL --json status | jq '.targets[] | select(.name=="lite_pending") | .last_check_ms')
sqf "$D/pending.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
out=$(CTL --json check lite_pending); rc=$?
is "$rc" "0" "check TARGET exits 0 when the fresh result is ok"
is "$(jq -r '.targets | length' <<<"$out"):$(jq -r '.targets[0].state' <<<"$out")" "1:ok" \
	"check waits for a fresh result (pending -> ok right after the upgrade)"
ok "the fresh result is newer than the previous one" \
	test "$(jq '.targets[0].last_check_ms' <<<"$out")" -gt "$before"
out=$(CTL --json check); rc=$?
is "$rc:$(jq '.targets | length' <<<"$out")" "1:5" "check without a target checks all (exit 1: drift)"
# A client that leaves while check waits: the daemon goes on.
$PY - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'{"command":"check"}\n'); s.close()
PY
ok "a client leaving during check does not hurt the daemon" CTL version

# ---- history ---------------------------------------------------------------
out=$(CTL --json history); rc=$?
is "$rc" "0" "history exits 0"
ok "history has entries" test "$(jq '.entries | length' <<<"$out")" -ge 5
is "$(jq -c '[.entries[].id] == ([.entries[].id] | sort | reverse)' <<<"$out")" "true" "history is newest first"
out=$(CTL --json history lite_pending 1)
is "$(jq -c '[.entries[] | .name + ":" + .state + ":" + .prev_state]' <<<"$out")" '["lite_pending:ok:pending"]' \
	"history TARGET LIMIT: the newest change of that target"
is "$(CTL --json history 2 | jq '.entries | length')" "2" "history LIMIT"
like "$(CTL history lite_pending)" $'TIME +KIND +NAME +STATE +PREVIOUS +DIFFERENCES\n.*lite_pending +ok +pending' \
	"history prints a table"
CTL history nope >/dev/null 2>&1
is "$?" "2" "history of an unknown target exits 2"

# ---- apply / version / help / unknown ----------------------------------------
out=$(CTL apply lite_ok --dry-run 2>&1); rc=$?
is "$rc" "0" "apply --dry-run (an upgrade) of a target at V7: nothing to do, exit 0"
like "$out" 'lite_ok: already at prompter_v7 \(the target is ok\); nothing to do' "apply says it is already there"
out=$(CTL --json apply lite_ok --downgrade --dry-run 2>&1); rc=$?
is "$rc" "0" "apply --downgrade --dry-run from ok: exit 0"
is "$(jq -r '.outcome + " " + .action' <<<"$out")" "dry-run downgrade" "the answer is the dry-run outcome"
like "$(jq -r .plan <<<"$out")" "DROP TABLE prompt_results" "with the plan's statements"
like "$(CTL version)" 'daemon schemawatchd [0-9.]+ \(protocol 1\)' "version"
is "$(CTL --json help | jq -r '[.commands[].name] | join(",")')" \
	"status,diff,compare,history,check,reload,apply,version,help" "help lists the command table"
out=$(CTL frobnicate 2>&1); rc=$?
is "$rc" "2" "an unknown command exits 2"
like "$out" 'unknown command "frobnicate"' "and names it"
is "$(SCHEMAWATCHD_SOCKET="$SOCK" "$SCHEMAWATCHCTL" --json version | jq -r .protocol)" "1" \
	"SCHEMAWATCHD_SOCKET sets the default socket"

# ---- reload ----------------------------------------------------------------
write_config nogroup "  - name: lite_new
    sqlite: $D/ok.db"
out=$(CTL reload); rc=$?
is "$rc" "0" "reload exits 0"
like "$out" 'configuration reloaded: 6 targets' "reload reports the new target count"
ok "the new target appears in status" wait_until 5 sh -c "'$SCHEMAWATCHCTL' -s '$SOCK' --json status | jq -e '.targets | any(.name == \"lite_new\")'"
echo "targets: [oops" >"$cfg"
out=$(CTL reload 2>&1); rc=$?
is "$rc" "1" "reload of a bad file exits 1"
like "$out" 'schemawatchd.yaml:[0-9]+:[0-9]+: .*running configuration stays' "and says where and that the old one stays"
is "$(CTL --json status | jq '.targets | length')" "6" "the running configuration stays"

# ---- authorization -----------------------------------------------------------
write_config nogroup
CTL reload >/dev/null || exit 1
if [ "$AS_USER" = 1 ]; then
	out=$(as_user "$USER_CTL" -s "$SOCK" status 2>&1); rc=$?
	is "$rc" "77" "a user outside the socket's group cannot connect: exit 77"
	like "$out" 'Permission denied' "and is told so"
	# The test user is not in the daemon's group (root); open the socket to
	# everyone so that the daemon's own SO_PEERCRED check is what is tested.
	chmod 0666 "$SOCK"
	# admin_group is looked up at (re)load, never per request.
	write_config sw_no_such_group
	CTL reload >/dev/null || exit 1
	for _ in 1 2 3; do as_user "$USER_CTL" -s "$SOCK" check lite_ok >/dev/null 2>&1; done
	is "$?" "77" "an admin_group that does not exist admits nobody"
	is "$(grep -c 'admin_group "sw_no_such_group" does not exist' "$DAEMON_LOG")" "1" \
		"a missing admin_group is logged once at reload, not at every request"
	write_config nogroup
	CTL reload >/dev/null || exit 1
	as_user "$USER_CTL" -s "$SOCK" --json status >"$SW_TEST_TMP/u.out" 2>&1
	is "$?" "1" "a non-admin uid may read status (exit 1: drift)"
	is "$(jq '.targets | length' "$SW_TEST_TMP/u.out")" "5" "and gets the full answer"
	for c in "check" "check lite_ok" "reload" "apply lite_ok" "apply nope --downgrade"; do
		out=$(as_user "$USER_CTL" -s "$SOCK" $c 2>&1); rc=$?
		is "$rc" "77" "a non-admin uid is refused \"$c\": exit 77"
		like "$out" 'permission denied.*members of group nogroup' "\"$c\": the refusal says who may"
	done
	out=$(as_user "$USER_CTL" -s "$SOCK" --json check 2>/dev/null)
	is "$(jq -r .error.code <<<"$out")" "permission_denied" "--json: the error code is permission_denied"
	for c in "diff lite_drift" "compare lite_ok pg" "history" "version"; do
		as_user "$USER_CTL" -s "$SOCK" $c >/dev/null 2>&1; rc=$?
		ok "a non-admin uid may run \"$c\" (exit $rc)" test "$rc" -le 1
	done
	is "$(as_user "$USER_CTL" -s "$SOCK" --json help | jq -c '[.commands[] | select(.allowed | not) | .name]')" \
		'["check","reload","apply"]' "help tells a non-admin which commands it may not run"
	ok "refusals are logged with the uid" grep -qE "\"reload\" refused to uid $(id -u "$SW_TEST_USER")" "$DAEMON_LOG"

	write_config swctladm
	CTL reload >/dev/null || exit 1
	as_user "$USER_CTL" -s "$SOCK" --json check lite_ok >"$SW_TEST_TMP/u.out" 2>&1
	is "$?" "0" "a supplementary member of admin_group may run check"
	is "$(jq -r '.targets[0].state' "$SW_TEST_TMP/u.out")" "ok" "and gets the fresh result"
	write_config "$(id -gn "$SW_TEST_USER")"
	CTL reload >/dev/null || exit 1
	as_user "$USER_CTL" -s "$SOCK" reload >/dev/null 2>&1
	is "$?" "0" "a user whose primary group is admin_group may reload"
	write_config nogroup
	CTL reload >/dev/null || exit 1

	# Per-uid limit: 64 connections of one unprivileged uid, the 65th refused.
	out=$(as_user $PY - "$SOCK" <<'PY'
import socket, sys, json
held = []
for i in range(64):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
    s.sendall(b'{"command":"version"}\n')
    assert json.loads(s.makefile('rb').readline())['ok']
    held.append(s)
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
r = json.loads(s.makefile('rb').readline())
print(r['error']['code'], s.recv(1) == b'')
for h in held: h.close()
PY
)
	is "$out" "too_many_clients True" "the 65th connection of one uid gets too_many_clients and is closed"
	sleep 0.2
	ok "after they leave, that uid is served again" as_user "$USER_CTL" -s "$SOCK" version
else
	diag "not root: the tests as another uid are skipped"
fi

# ---- the raw protocol ----------------------------------------------------------
out=$($PY - "$SOCK" <<'PY'
import socket, sys, json
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile('rb')
def ask(line):
    s.sendall(line + b'\n'); r = json.loads(f.readline())
    return r['error']['code'] if not r['ok'] else 'ok'
print(ask(b'this is not json'))
print(ask(b'{"version":1,"command":"status"}'))
print(ask(b'["status"]'))
print(ask(b'{"command":"status","version":2}'))
print(ask(b'{"command":"status","bogus":1}'))
print(ask(b'{"command":"diff","args":[1]}'))
print(ask(b'{"args":[]}'))
print(ask(b'{"command":"nope"}'))
print(ask(b'{"command":"diff","args":["nope"]}'))
s.sendall(b'\n   \n{"command":"version","id":"x1"}\n'); r = json.loads(f.readline())
print(r['id'], r['version'], r['result']['protocol'])
# Pipelined: three requests in one write, three answers in order.
s.sendall(b'{"command":"version","id":1}\n{"command":"status","id":2}\n{"command":"diff","args":["pg"],"id":3}\n')
print([json.loads(f.readline())['id'] for i in range(3)])
PY
)
is "$out" "bad_request
ok
bad_request
bad_request
bad_request
bad_request
bad_request
unknown_command
unknown_target
x1 1 1
[1, 2, 3]" "malformed, unknown and pipelined requests: clear errors, the connection stays usable"

out=$($PY - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'{"command":"version"}'); s.shutdown(socket.SHUT_WR)
print(b'"ok":true' in s.makefile('rb').readline())
PY
)
is "$out" "True" "a last request without a newline before EOF is answered"

for variant in noline line; do
	out=$($PY - "$SOCK" "$variant" <<'PY'
import socket, sys, json
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
body = b'{"command":"diff","args":["' + b'x' * 70000 + b'"]}'
try:
    s.sendall(body + (b'\n' if sys.argv[2] == 'line' else b''))
except OSError:
    pass
f = s.makefile('rb')
r = json.loads(f.readline())
# Closed: EOF, or a reset since the rest of our request was never read.
try:
    closed = f.read() == b''
except ConnectionResetError:
    closed = True
print(r['error']['code'], closed)
PY
)
	is "$out" "too_large True" "a request over 64 KiB ($variant) gets too_large and the connection is closed"
done
is "$(CTL --json status | jq '.targets | length')" "5" "the daemon keeps serving after oversized requests"

# ---- idle and non-reading clients ------------------------------------------------
out=$($PY - "$SOCK" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); t0 = time.time()
s.settimeout(10)
data = s.recv(1)
print(data == b'', 0.3 < time.time() - t0 < 5)
PY
)
is "$out" "True True" "a client that says nothing is dropped after the idle timeout (500 ms)"

out=$($PY - "$SOCK" "$SCHEMAWATCHCTL" <<'PY'
import socket, sys, time, subprocess
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.setblocking(False)
req = b'{"command":"status"}\n' * 3000
sent = 0
try:
    while sent < len(req):
        sent += s.send(req[sent:sent + 65536])
except BlockingIOError:
    pass
# Meanwhile another client is served at once.
t0 = time.time()
rc = subprocess.run([sys.argv[2], '-s', sys.argv[1], 'version'], stdout=subprocess.DEVNULL).returncode
fast = time.time() - t0 < 2
time.sleep(2)
s.setblocking(True); s.settimeout(10)
n = 0
while True:
    b = s.recv(1 << 20)
    if not b: break
    n += b.count(b'\n')
print(rc, fast, n < 3000)
PY
)
is "$out" "0 True True" "a client that sends without reading never stalls others, and is dropped"

# ---- 200 concurrent clients -------------------------------------------------------
pids=()
for i in $(seq 200); do
	"$SCHEMAWATCHCTL" -s "$SOCK" --json status >"$SW_TEST_TMP/c/$i.out" 2>"$SW_TEST_TMP/c/$i.err" &
	pids+=($!)
done
good=0
for i in $(seq 200); do
	wait "${pids[$((i - 1))]}"
	rc=$?
	if [ "$rc" = 1 ] && [ "$(jq -r '[.targets[].name] | join(",")' "$SW_TEST_TMP/c/$i.out" 2>/dev/null)" = \
		"lite_ok,lite_drift,lite_pending,lite_missing,pg" ]; then
		good=$((good + 1))
	else
		[ "$good" -lt 3 ] && diag "client $i: exit $rc: $(head -c 300 "$SW_TEST_TMP/c/$i.err")"
	fi
done
is "$good" "200" "200 concurrent clients all get the correct answer"

# ---- sockets: stale, not a socket, live -----------------------------------------------
cfg2="$SW_TEST_TMP/two.yaml"
mkdir -p "$SW_TEST_TMP/state2"
printf 'socket: %s\nstate_dir: %s\ntargets:\n  - name: a\n    sqlite: %s\n' \
	"$RUN/two.sock" "$SW_TEST_TMP/state2" "$D/ok.db" >"$cfg2"
$PY - "$RUN/two.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()   # left behind: stale
PY
test -S "$RUN/two.sock" || exit 1
SCHEMAWATCHD_LOG=stderr "$SCHEMAWATCHD" -c "$cfg2" >"$SW_TEST_TMP/two.log" 2>&1 &
two=$!
EXTRA_PIDS+=("$two")
ok "a stale socket file is replaced at start" wait_until 10 "$SCHEMAWATCHCTL" -s "$RUN/two.sock" version
like "$(cat "$SW_TEST_TMP/two.log")" 'removed the stale socket' "and the log says so"
kill -TERM "$two"; wait "$two"
not_ok "the socket the daemon created is removed when it stops" test -e "$RUN/two.sock"
out=$("$SCHEMAWATCHCTL" -s "$RUN/two.sock" status 2>&1); rc=$?
is "$rc" "2" "schemawatchctl exits 2 when the daemon is not running"
like "$out" "cannot connect to $RUN/two.sock: No such file or directory — is schemawatchd running\?" \
	"with a clear message"

echo "precious" >"$RUN/two.sock"
SCHEMAWATCHD_LOG=stderr timeout 10 "$SCHEMAWATCHD" -c "$cfg2" >"$SW_TEST_TMP/two.log" 2>&1
ok "a file that is not a socket is not replaced: the daemon refuses to start ($?)" test "$?" -ne 0
like "$(cat "$SW_TEST_TMP/two.log")" 'two.sock exists and is not a socket' "and says why"
is "$(cat "$RUN/two.sock")" "precious" "the file is untouched"

ino=$(stat -c %i "$SOCK")
printf 'socket: %s\nstate_dir: %s\ntargets:\n  - name: a\n    sqlite: %s\n' \
	"$SOCK" "$SW_TEST_TMP/state2" "$D/ok.db" >"$cfg2"
SCHEMAWATCHD_LOG=stderr timeout 10 "$SCHEMAWATCHD" -c "$cfg2" >"$SW_TEST_TMP/two.log" 2>&1
ok "a second daemon on a live socket refuses to start ($?)" test "$?" -ne 0
like "$(cat "$SW_TEST_TMP/two.log")" "another schemawatchd is listening on $SOCK" "and says why"
is "$(stat -c %i "$SOCK")" "$ino" "the live daemon's socket is untouched"
is "$(CTL --json status | jq '.targets | length')" "5" "and the first daemon keeps serving"

# ---- EMFILE: the listener pauses instead of spinning ----------------------------------
printf 'socket: %s\nstate_dir: %s\ntargets:\n  - name: a\n    sqlite: %s\n' \
	"$RUN/three.sock" "$SW_TEST_TMP/state2" "$D/ok.db" >"$cfg2"
SCHEMAWATCHD_LOG=stderr prlimit --nofile=40:40 "$SCHEMAWATCHD" -c "$cfg2" >"$SW_TEST_TMP/three.log" 2>&1 &
three=$!
EXTRA_PIDS+=("$three")
wait_until 10 "$SCHEMAWATCHCTL" -s "$RUN/three.sock" version || exit 1
$PY - "$RUN/three.sock" <<'PY'
import socket, sys, time
held = []
for i in range(60):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)
time.sleep(1.5)
for s in held: s.close()
PY
ok "accept() failing with EMFILE pauses the listener" grep -q 'not accepting for 1000 ms' "$SW_TEST_TMP/three.log"
ok "once descriptors are free again it serves" wait_until 5 "$SCHEMAWATCHCTL" -s "$RUN/three.sock" version
kill -TERM "$three"; wait "$three"

daemon_stop
is "$DAEMON_RC" "0" "the daemon stops cleanly"
not_ok "its socket is gone" test -e "$SOCK"
done_testing

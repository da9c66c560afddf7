#!/usr/bin/env bash
# Groups report like targets (issue 15 item 4), with two real SQLite members:
# a diverged group whose set of differences changes is reported again
# ("divergence changed": log with the group-diverged MESSAGE_ID's event,
# history, hook); `schemawatchctl diff GROUP` shows the differences as a
# table (and `diff group NAME` when a target has the same name); the status
# table has each group's difference count; `--once --json` carries groups.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT
CTL() { "$SCHEMAWATCHCTL" -s "$SW_TEST_TMP/ctl.sock" "$@"; }

sqf "$SW_TEST_TMP/dev.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1
sqf "$SW_TEST_TMP/prod.db" "$SQLDIR/v7-upgrade.sqlite.sql" || exit 1

hook="$SW_TEST_TMP/hook.sh"
cat >"$hook" <<HOOK
#!/bin/sh
printf '%s\\n' "event=\$SCHEMAWATCH_EVENT kind=\$SCHEMAWATCH_KIND name=\${SCHEMAWATCH_GROUP:-\$SCHEMAWATCH_TARGET} state=\$SCHEMAWATCH_STATE prev=\$SCHEMAWATCH_PREVIOUS_STATE diffs=\$SCHEMAWATCH_DIFFERENCES" >>"$SW_TEST_TMP/hook.log"
HOOK
chmod +x "$hook"
touch "$SW_TEST_TMP/hook.log"
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/schemawatchd.yaml"
cat >"$cfg" <<YAML
interval: 1s
socket: $SW_TEST_TMP/ctl.sock
state_dir: $SW_TEST_TMP/state
alert_command: ["$hook"]
targets:
  - name: dev
    sqlite: $SW_TEST_TMP/dev.db
  - name: prod
    sqlite: $SW_TEST_TMP/prod.db
  - name: pair
    sqlite: $SW_TEST_TMP/dev.db
groups:
  - name: dev-vs-prod
    members: [dev, prod]
  - name: pair
    members: [prod, dev]
YAML

group_is() { [ "$(CTL --json status | jq -r --arg g "$1" '.groups[] | select(.name == $g) | .state')" = "$2" ]; }
ghooks() { grep -c "^event=group-diverged kind=group name=$1 state=diverged prev=$2 " "$SW_TEST_TMP/hook.log" || true; }

# ---- --once --json carries groups -------------------------------------------
sq "$SW_TEST_TMP/prod.db" "ALTER TABLE prompt_templates ADD COLUMN extra1 TEXT" || exit 1
once=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null)
is "$(jq -r '[.groups[].name] | join(",")' <<<"$once")" "dev-vs-prod,pair" "--once --json lists the groups"
is "$(jq -r '.groups[] | select(.name == "dev-vs-prod") | "\(.state) \(.differences | length) \(.differences[0].object) \(.differences[0].members | join(","))"' <<<"$once")" \
	"diverged 1 prompt_templates.extra1 dev,prod" "... judged from this pass: diverged by prod's extra column"

# ---- divergence changed --------------------------------------------------------
daemon_start "$cfg" -v
ok "the group diverges" wait_until 15 group_is dev-vs-prod diverged
ok "... alerted once" wait_until 5 test "$(ghooks dev-vs-prod unknown)" = 1
human=$(CTL status)
like "$human" $'GROUP +STATE +SINCE +DIFFERENCES' "the status table has a DIFFERENCES column for groups"
like "$human" $'\ndev-vs-prod +diverged +[^\n]* 1\n' "... with dev-vs-prod's count"
d=$(CTL diff dev-vs-prod); rc=$?
is "$rc" "1" "schemawatchctl diff GROUP exits 1 for a diverged group"
like "$d" "^group dev-vs-prod \(dev, prod; reference dev\): diverged, 1 difference" "... names the group, members and state"
like "$d" "OBJECT +KIND +MEMBER +REFERENCE HAS +MEMBER HAS" "... as a table"
like "$d" "prompt_templates.extra1 +extra_column +prod" "... with the difference and the member"
is "$(CTL --json diff dev-vs-prod | jq -r '"\(.group) \(.state) \(.differences | length)"')" "dev-vs-prod diverged 1" \
	"--json diff GROUP"

sq "$SW_TEST_TMP/prod.db" "ALTER TABLE prompt_templates ADD COLUMN extra2 TEXT" || exit 1
ok "another difference: reported again" \
	wait_until 10 grep -q "group dev-vs-prod: divergence changed (2 differences)" "$DAEMON_LOG"
ok "... alerted (previous state diverged)" wait_until 5 test "$(ghooks dev-vs-prod diverged)" = 1
is "$(sqlite3 "$SW_TEST_TMP/state/state.db" "SELECT group_concat(state || '/' || ifnull(prev_state, '-') || '/' || ndiffs, ' ') FROM (SELECT * FROM history WHERE kind = 'group' AND name = 'dev-vs-prod' ORDER BY id)")" \
	"diverged/-/1 diverged/diverged/2" "... and in history"
sleep 1.5
is "$(grep -c 'group dev-vs-prod: divergence changed' "$DAEMON_LOG")" "1" "a steady changed divergence is reported once"

# ---- a name that is a target and a group ------------------------------------------
is "$(CTL --json diff pair | jq -r 'if .target then "target" else "group" end')" "target" \
	"diff NAME: a target wins over a group of the same name"
is "$(CTL --json diff group pair | jq -r '.group')" "pair" "diff group NAME: the group"
is "$(CTL --json diff target dev | jq -r '.target')" "dev" "diff target NAME: the target"
CTL diff group dev >/dev/null 2>&1; is "$?" "2" "diff group TARGET-ONLY-NAME: unknown (exit 2)"
CTL diff nosuch 2>"$SW_TEST_TMP/err"; is "$?" "2" "diff of an unknown name: exit 2"
like "$(cat "$SW_TEST_TMP/err")" 'no target or group named "nosuch"' "... saying so"
daemon_stop
done_testing

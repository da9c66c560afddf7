#!/usr/bin/env bash
# The README's "Adding a revision" recipe, done as a user would, without
# rebuilding anything: copy the shipped definition, write a V8 revision in
# both dialects, compile it with the engines, point the running daemon at it
# with a reload, see V7 databases (PostgreSQL and SQLite) reported `pending`
# one step behind, apply with schemawatchctl, see `ok` at V8; and a V8 whose
# dialects disagree is named by the compiler's parity report.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

db=$(new_pgdb) || exit 1
pgf "$db" "$SQLDIR/v7-upgrade.postgresql.sql" || exit 1
pgq "$db" "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL,
           CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
           INSERT INTO alembic_version VALUES ('prompter_v7')" || exit 1
lite="$SW_TEST_TMP/dev.db"
"$SCHEMAWATCHD" --apply "$lite" >/dev/null 2>&1
is "$?" 0 "a V7 dev database"

SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
cfg="$SW_TEST_TMP/sw.yaml"
cat >"$cfg" <<YAML
interval: 1s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
targets:
  - name: prod
    postgresql: "$(pg_conninfo "$db")"
  - name: dev
    sqlite: $lite
YAML
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() {	# tstate TARGET — "state/revision/expected/behind" in `status`
	ctl --json status 2>/dev/null | jq -r --arg t "$1" '.targets[] | select(.name == $t) |
		"\(.state)/\(.revision // "-")/\(.expected // "-")/\(.behind // "-")"'
}
state_is() { [ "$(tstate "$1")" = "$2" ]; }
daemon_start "$cfg"
ok "the daemon answers" wait_until 10 test -S "$SOCK"
ok "prod is ok at V7 with the shipped definition" wait_until 10 state_is prod ok/prompter_v7/prompter_v7/-
ok "dev is ok at V7" wait_until 10 state_is dev ok/prompter_v7/prompter_v7/-

# 1. a copy of the shipped definition
P="$SW_TEST_TMP/prompter"
cp -r "$SQLDIR" "$P"
# 2. V8: a column with a default and an index, in both dialects, added to the chain
cat >"$P/v8-upgrade.postgresql.sql" <<'SQL'
ALTER TABLE prompt_templates ADD COLUMN archived boolean NOT NULL DEFAULT false;
CREATE INDEX ix_prompt_templates_live ON prompt_templates (name) WHERE NOT archived;
SQL
cat >"$P/v8-downgrade.postgresql.sql" <<'SQL'
DROP INDEX ix_prompt_templates_live;
ALTER TABLE prompt_templates DROP COLUMN archived;
SQL
cat >"$P/v8-upgrade.sqlite.sql" <<'SQL'
ALTER TABLE prompt_templates ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_prompt_templates_live ON prompt_templates (name) WHERE NOT archived;
SQL
cat >"$P/v8-downgrade.sqlite.sql" <<'SQL'
DROP INDEX ix_prompt_templates_live;
ALTER TABLE prompt_templates DROP COLUMN archived;
SQL
awk '/^parity:/ { print "  - id: prompter_v8\n    postgresql:\n      upgrade: v8-upgrade.postgresql.sql\n      downgrade: v8-downgrade.postgresql.sql\n    sqlite:\n      upgrade: v8-upgrade.sqlite.sql\n      downgrade: v8-downgrade.sqlite.sql" } { print }' \
	"$P/definition.yaml" >"$P/definition.yaml.new" && mv "$P/definition.yaml.new" "$P/definition.yaml"
printf '    boolean: INTEGER\n  defaults:\n    "false": "0"\n' >"$SW_TEST_TMP/parity.add"
# parity: boolean is stored as INTEGER in SQLite, false as 0
sed -i '/^  defaults:/d' "$P/definition.yaml"
sed -i "/^    timestamp with time zone: TEXT/r $SW_TEST_TMP/parity.add" "$P/definition.yaml"

# A daemon pointed at a definition whose compiled files are older than its SQL refuses it.
printf 'definition: %s\n' "$P" >>"$cfg"
out=$(ctl reload 2>&1)
is "$?" 1 "a reload onto the uncompiled V8 is refused"
like "$out" "run schemawatchd --compile-definition $P" "naming the command to run"
ok "prod stays ok at V7 meanwhile" state_is prod ok/prompter_v7/prompter_v7/-

# 3. compile with the engines (a scratch database on the harness's server)
"$SCHEMAWATCHD" --compile-definition "$P" >"$SW_TEST_TMP/compile.out" 2>&1
rc=$?
is "$rc" 0 "V8 compiles in both dialects with parity" || sed 's/^/# /' "$SW_TEST_TMP/compile.out"
ok "compiled/prompter_v8.postgresql.json is written" test -s "$P/compiled/prompter_v8.postgresql.json"
ok "compiled/prompter_v8.sqlite.json is written" test -s "$P/compiled/prompter_v8.sqlite.json"

# 4. point the daemon at it with a reload
out=$(ctl reload 2>&1)
is "$?" 0 "the reload takes the new definition"
ok "prod: pending, at V7, one step behind V8" wait_until 10 state_is prod pending/prompter_v7/prompter_v8/1
ok "dev: pending, at V7, one step behind V8" wait_until 10 state_is dev pending/prompter_v7/prompter_v8/1

# 5. apply, and see ok
out=$(ctl apply prod 2>&1)
is "$?" 0 "schemawatchctl apply prod"
like "$out" "prompter_v7 -> prompter_v8 in 1 step" "one step, V7 to V8"
ok "prod: ok at V8" wait_until 10 state_is prod ok/prompter_v8/prompter_v8/-
is "$(pgq "$db" "SELECT version_num FROM alembic_version")" prompter_v8 "prod records prompter_v8"
out=$(ctl apply dev 2>&1)
is "$?" 0 "schemawatchctl apply dev"
ok "dev: ok at V8" wait_until 10 state_is dev ok/prompter_v8/prompter_v8/-
ok "dev and prod agree" test "$(ctl --json compare dev prod | jq -r '.differences | length')" = 0
daemon_stop

# A V8 whose dialects disagree: the compiler names the difference.
Q="$SW_TEST_TMP/bad"
cp -r "$P" "$Q"
rm -rf "$Q/compiled"
sed -i 's/ADD COLUMN archived INTEGER NOT NULL DEFAULT 0/ADD COLUMN archived INTEGER NOT NULL DEFAULT 1/' \
	"$Q/v8-upgrade.sqlite.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$Q" 2>&1)
is "$?" 1 "a parity failure exits 1"
like "$out" "prompter_v8.*prompt_templates\\.archived" "and names the revision and the column"

done_testing

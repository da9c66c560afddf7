#!/usr/bin/env bash
# Targets checked against a definition's chain (definitions.md "Verdicts with
# revisions"): the test definition tests/defs/shop, compiled by the test into
# a temp copy; a PostgreSQL and a SQLite target built up revision by revision
# with the definition's own SQL, and at every step `--once --json` says ok,
# pending (at which revision, how many behind), ahead or drift (the closest
# revision named), with `revision` and `expected`; the version row cross-
# checked; the config keys definition/expect/scope refused with FILE:LINE:COLUMN;
# and a reload that brings a bad definition keeps the running one.
. "$SW_SRCDIR/tests/lib/common.sh"

D="$SW_TEST_TMP/shop"
cp -r "$SW_SRCDIR/tests/defs/shop" "$D"
rm -rf "$D/compiled"
"$SCHEMAWATCHD" --compile-definition "$D" >"$SW_TEST_TMP/compile.log" 2>&1
is "$?" "0" "the shop definition compiles"

db=$(new_pgdb)
lite="$SW_TEST_TMP/shop.db"
cfg="$SW_TEST_TMP/c.yaml"
write_cfg() {	# write_cfg EXPECT
	cat >"$cfg" <<CFG
definition: $D
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    expect: $1
  - name: lite
    sqlite: $lite
    expect: $1
CFG
}
once() {	# once TARGET FIELD — one field of one target of --once --json
	"$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null |
		jq -r --arg t "$1" ".targets[] | select(.name == \$t) | .$2 // \"-\""
}
both_are() {	# both_are WHAT STATE REVISION EXPECTED STEPS
	local t
	for t in pg lite; do
		is "$(once $t state)/$(once $t revision)/$(once $t expected)" "$2/$3/$4" "$1 ($t)"
	done
}
step() {	# step N — apply revision N's upgrade to both targets
	pgf "$db" "$D/r$1-upgrade.postgresql.sql" && sqf "$lite" "$D/r$1-upgrade.sqlite.sql"
}

write_cfg shop_r3
sq "$lite" "CREATE TABLE unrelated (x INTEGER);"
both_are "empty: pending before the chain" pending - shop_r3
is "$(once pg behind)" "3" "... three steps behind"
step 1
both_are "at r1, expecting r3: pending" pending shop_r1 shop_r3
is "$(once lite behind)" "2" "... two steps behind"
step 2
both_are "at r2: pending" pending shop_r2 shop_r3
is "$(once pg behind)" "1" "... one step behind"
step 3
both_are "at r3: ok" ok shop_r3 shop_r3
"$SCHEMAWATCHD" -c "$cfg" --once >/dev/null 2>&1
is "$?" "0" "--once exits 0 when every target is ok"
step 4
both_are "at r4, expecting r3: ahead" ahead shop_r4 shop_r3
is "$(once pg ahead)" "1" "... one step ahead"
"$SCHEMAWATCHD" -c "$cfg" --once >/dev/null 2>&1
is "$?" "1" "--once exits 1 when a target is ahead"
write_cfg ""
sed -i '/expect: $/d' "$cfg"
both_are "no expect: the last revision, ok" ok shop_r4 shop_r4

# Drift: something no revision has; the closest revision is named.
pgq "$db" "ALTER TABLE orders ADD COLUMN stray integer" >/dev/null
sq "$lite" "ALTER TABLE orders ADD COLUMN stray INTEGER"
both_are "an extra column: drift" drift - shop_r4
is "$(once pg closest)" "shop_r4" "... closest revision named (pg)"
is "$(once lite closest)" "shop_r4" "... closest revision named (sqlite)"
like "$(once pg 'differences[].kind')" "extra_column" "... the difference is listed"
pgq "$db" "ALTER TABLE orders DROP COLUMN stray" >/dev/null
sq "$lite" "ALTER TABLE orders DROP COLUMN stray"

# The version table: absent, nothing is recorded; a row that disagrees is
# a difference of its own.
pgq "$db" "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('shop_r4')"
sq "$lite" "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('shop_r4')"
both_are "version row agrees: ok" ok shop_r4 shop_r4
pgq "$db" "UPDATE alembic_version SET version_num = 'shop_r2'"
sq "$lite" "UPDATE alembic_version SET version_num = 'shop_r2'"
is "$(once pg state)/$(once pg 'differences[0].kind')" "drift/version_row" "version row out of step: drift, version_row (pg)"
is "$(once lite state)/$(once lite 'differences[0].kind')" "drift/version_row" "version row out of step: drift, version_row (sqlite)"
is "$(once pg 'differences[0].expected')/$(once pg 'differences[0].actual')" "shop_r4/shop_r2" "... expected and recorded revisions"

# Configuration errors.
bad="$SW_TEST_TMP/bad.yaml"
printf 'definition: %s\ntargets:\n  - name: a\n    sqlite: %s\n    expect: shop_r9\n' "$D" "$lite" >"$bad"
out=$("$SCHEMAWATCHD" -c "$bad" --once 2>&1)
is "$?" "78" "expect outside the chain: exit 78"
like "$out" "bad.yaml:5:13: expect: \"shop_r9\" is not a revision of definition shop" "... FILE:LINE:COLUMN names it"
printf 'definition: %s\ntargets:\n  - name: a\n    sqlite: %s\n    scope: database\n' "$D" "$lite" >"$bad"
out=$("$SCHEMAWATCHD" -c "$bad" --check-config 2>&1)
is "$?" "78" "scope: database: exit 78"
like "$out" "bad.yaml:5:12: .*expected \"definition\" or \"schema\"" "... refused clearly"
rm -rf "$SW_TEST_TMP/stale" && cp -r "$D" "$SW_TEST_TMP/stale"
echo "-- changed" >>"$SW_TEST_TMP/stale/r2-upgrade.sqlite.sql"
printf 'definition: %s\ntargets:\n  - name: a\n    sqlite: %s\n' "$SW_TEST_TMP/stale" "$lite" >"$bad"
out=$("$SCHEMAWATCHD" -c "$bad" --once 2>&1)
is "$?" "78" "a stale definition: exit 78"
like "$out" "--compile-definition" "... with the command to run"

# The daemon: a reload with a bad definition keeps the running one; a good
# one is taken.
sock="$SW_TEST_TMP/sw.sock"
cat >"$SW_TEST_TMP/d.yaml" <<CFG
socket: $sock
state_dir: $SW_TEST_TMP/state
interval: 1h
definition: $D
targets:
  - name: lite
    sqlite: $lite
    expect: shop_r4
CFG
sq "$lite" "DELETE FROM alembic_version"
sq "$lite" "DROP TABLE alembic_version"
daemon_start "$SW_TEST_TMP/d.yaml"
CTL() { "$SCHEMAWATCHCTL" -s "$sock" "$@"; }
wait_until 10 test -S "$sock"
CTL check lite >/dev/null 2>&1
st=$(CTL --json status | jq -r '.targets[0] | "\(.state)/\(.revision)/\(.expected)"')
is "$st" "ok/shop_r4/shop_r4" "daemon: status carries revision and expected"
sed -i 's/expect: shop_r4/expect: shop_r2/' "$SW_TEST_TMP/d.yaml"
CTL reload >/dev/null 2>&1
CTL check lite >/dev/null 2>&1
st=$(CTL --json status | jq -r '.targets[0] | "\(.state)/\(.revision)/\(.expected)/\(.ahead)"')
is "$st" "ahead/shop_r4/shop_r2/2" "daemon: after a reload, the new expect: ahead by 2"
like "$(CTL status)" "shop_r4, 2 ahead of shop_r2" "schemawatchctl status shows where it stands"
sed -i "s|definition: $D|definition: $SW_TEST_TMP/stale|" "$SW_TEST_TMP/d.yaml"
out=$(CTL reload 2>&1)
is "$?" "1" "daemon: a reload with a stale definition fails"
like "$out" "compile-definition" "... saying what to run"
CTL check lite >/dev/null 2>&1
st=$(CTL --json status | jq -r '.targets[0] | "\(.state)/\(.expected)"')
is "$st" "ahead/shop_r2" "... and the running definition stays"
daemon_stop

# The issue's "done when", up to the apply: a copy of the shipped definition
# with a V8 revision, compiled, and a reload that points the daemon at it: a
# V7 database is pending, one step behind.
P="$SW_TEST_TMP/prompter"
cp -r "$SW_SRCDIR/sql/prompter" "$P"
echo "CREATE TABLE prompt_tags (id uuid PRIMARY KEY, name text NOT NULL);" >"$P/v8-upgrade.postgresql.sql"
echo "DROP TABLE prompt_tags;" >"$P/v8-downgrade.postgresql.sql"
echo "CREATE TABLE prompt_tags (id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL);" >"$P/v8-upgrade.sqlite.sql"
echo "DROP TABLE prompt_tags;" >"$P/v8-downgrade.sqlite.sql"
python3 - "$P/definition.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
v8 = "  - id: prompter_v8\n"
for d in ("postgresql", "sqlite"):
    v8 += "    %s:\n      upgrade: v8-upgrade.%s.sql\n      downgrade: v8-downgrade.%s.sql\n" % (d, d, d)
s = s.replace("parity:", v8 + "parity:", 1)
open(p, "w").write(s)
PY
"$SCHEMAWATCHD" --compile-definition "$P" >"$SW_TEST_TMP/compile8.log" 2>&1
rc=$?
[ "$rc" = 0 ] || sed 's/^/# /' "$SW_TEST_TMP/compile8.log"
is "$rc" "0" "V8: a copy of the shipped definition with a V8 revision compiles"
v7="$SW_TEST_TMP/v7.db"
sqf "$v7" "$SW_SRCDIR/sql/prompter/v7-upgrade.sqlite.sql"
cat >"$SW_TEST_TMP/v8.yaml" <<CFG
socket: $sock
state_dir: $SW_TEST_TMP/state8
interval: 1h
targets:
  - name: app
    sqlite: $v7
CFG
daemon_start "$SW_TEST_TMP/v8.yaml"
wait_until 10 test -S "$sock"
CTL check app >/dev/null 2>&1
st=$(CTL --json status | jq -r '.targets[0] | "\(.state)/\(.revision)/\(.expected)"')
is "$st" "ok/prompter_v7/prompter_v7" "V8: the V7 database is ok against the shipped definition"
sed -i "s|^targets:|definition: $P\ntargets:|" "$SW_TEST_TMP/v8.yaml"
CTL reload >/dev/null 2>&1
CTL check app >/dev/null 2>&1
st=$(CTL --json status | jq -r '.targets[0] | "\(.state)/\(.revision)/\(.expected)/\(.behind)"')
is "$st" "pending/prompter_v7/prompter_v8/1" "V8: after the reload, pending at prompter_v7, one step behind"
daemon_stop
done_testing

#!/usr/bin/env bash
# Applying along a definition's chain (definitions.md "Applying along the
# chain"), with the test definition tests/defs/shop (four revisions),
# compiled by the test: a PostgreSQL and a SQLite target walked up and down
# through `schemawatchd --apply` (--to, --downgrade, base, dry runs), with the
# state checked at every step (ok, pending with its revision, ahead, drift,
# a version row out of step); a step whose SQL fails is named by file, line
# and statement and leaves nothing behind; a step whose result is not its
# revision (an event trigger adds a column) is rolled back; then through the
# daemon: `schemawatchctl apply --to` and auto_apply walking a target up
# several revisions by itself.
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'cleanup_daemon' EXIT

D="$SW_TEST_TMP/shop"
cp -r "$SW_SRCDIR/tests/defs/shop" "$D"
rm -rf "$D/compiled"
"$SCHEMAWATCHD" --compile-definition "$D" >"$SW_TEST_TMP/compile.log" 2>&1
is "$?" "0" "the shop definition compiles" || exit 1

db=$(new_pgdb) || exit 1
lite="$SW_TEST_TMP/shop.db"
cfg="$SW_TEST_TMP/c.yaml"
cat >"$cfg" <<CFG
definition: $D
socket: $SW_TEST_TMP/none.sock
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    expect: shop_r3
  - name: lite
    sqlite: $lite
    expect: shop_r3
CFG

apply() {	# apply TARGET ARGS... — sets RC and OUT (stdout, JSON)
	OUT=$("$SCHEMAWATCHD" -c "$cfg" --apply "$@" --json 2>"$SW_TEST_TMP/apply.err")
	RC=$?
}
field() { jq -r ".$1 // \"-\"" <<<"$OUT"; }
once() {	# once TARGET — "state/revision/expected/behind-or-ahead"
	"$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null | jq -r --arg t "$1" \
		'.targets[] | select(.name == $t) |
		 "\(.state)/\(.revision // "-")/\(.expected)/\(.behind // .ahead // "-")"'
}
pgver() { pgq "$db" "SELECT string_agg(version_num, ',') FROM alembic_version"; }
sqver() { sqlite3 "$lite" "SELECT group_concat(version_num) FROM alembic_version"; }
pgtables() { pgq "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
	WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"; }

for t in pg lite; do
	# ---- up the chain -------------------------------------------------------------
	apply $t --dry-run
	is "$RC/$(field outcome)/$(field from)/$(field to)/$(field steps)" "0/dry-run/(none)/shop_r3/3" \
		"$t: a dry run from nothing plans three steps to the expected revision"
	like "$(field plan)" "step 1 of 3: upgrade shop_r1.*step 3 of 3: upgrade shop_r3" \
		"$t: the plan names every step"
	if [ $t = pg ]; then
		is "$(once $t)" "pending/-/shop_r3/3" "$t: the dry run changed nothing"
	else
		ok "$t: the dry run created no file" test ! -e "$lite"
	fi

	apply $t --to shop_r1
	is "$RC/$(field outcome)/$(field before)/$(field after)/$(field to)" \
		"0/applied/pending/pending/shop_r1" "$t: --to shop_r1 walks one step"
	is "$(once $t)" "pending/shop_r1/shop_r3/2" "$t: at r1, two steps behind"

	apply $t
	is "$RC/$(field outcome)/$(field from)/$(field to)/$(field steps)/$(field after)" \
		"0/applied/shop_r1/shop_r3/2/ok" "$t: an upgrade walks r1 -> r3 in two steps"
	is "$(once $t)" "ok/shop_r3/shop_r3/-" "$t: ok at the expected revision"

	apply $t
	is "$RC/$(field nothing_to_do)" "0/true" "$t: at the expected revision there is nothing to do"

	apply $t --to shop_r4
	is "$RC/$(field after)" "0/ahead" "$t: --to shop_r4 goes past the expected revision"
	is "$(once $t)" "ahead/shop_r4/shop_r3/1" "$t: ahead by one"

	apply $t
	is "$RC/$(field outcome)" "1/refused" "$t: an upgrade never goes down"
	like "$(field error)" "past shop_r3; going down is a downgrade" "$t: and says why"
done
is "$(pgver)/$(sqver)" "shop_r4/shop_r4" "the version rows follow the walk"

# ---- down the chain --------------------------------------------------------------
apply lite --downgrade
is "$RC/$(field outcome)" "1/refused" "lite: shop_r4 has no SQLite downgrade: refused"
like "$(field error)" "revision shop_r4 has no sqlite downgrade file" "lite: and names it"
is "$(once lite)" "ahead/shop_r4/shop_r3/1" "lite: nothing changed"

apply pg --downgrade
is "$RC/$(field from)/$(field to)/$(field after)" "0/shop_r4/shop_r3/ok" \
	"pg: a downgrade of a target ahead goes to the expected revision"
pgq "$db" "INSERT INTO customers VALUES (1, 'a@example.org'); INSERT INTO products VALUES (1, 'x')" || exit 1
apply pg --downgrade --to shop_r1
is "$RC/$(field outcome)/$(field rows_dropped)" "1/refused/1" "pg: a walk down that drops rows needs --force"
apply pg --downgrade --to shop_r1 --force
is "$RC/$(field steps)/$(field after)" "0/2/pending" "pg: --force: two steps down to shop_r1"
is "$(once pg)" "pending/shop_r1/shop_r3/2" "pg: pending at r1"
is "$(pgq "$db" "SELECT email FROM customers")" "a@example.org" "pg: rows of the tables kept are kept"
apply pg --downgrade --to shop_r2
is "$RC/$(field outcome)" "1/refused" "pg: a downgrade never goes up"
apply pg --downgrade --to base --force
is "$RC/$(field to)/$(field after)" "0/(none)/pending" "pg: --to base: before the chain"
is "$(pgtables)" "alembic_version" "pg: no table of the definition is left"
is "$(pgver)" "" "pg: nothing recorded before the chain (no previous:)"
apply pg --downgrade
is "$RC/$(field outcome)" "1/refused" "pg: nothing below the chain to go down to"
apply pg --to nosuch
is "$RC/$(field outcome)" "2/failed" "an unknown --to fails"
like "$(field error)" "--to nosuch: not a revision of definition shop \\(shop_r1 \\.\\. shop_r4" \
	"and names the chain"

# ---- a version row out of step is drift: refused -----------------------------------------
apply pg --to shop_r2
pgq "$db" "UPDATE alembic_version SET version_num = 'shop_r3'" || exit 1
is "$(once pg | cut -d/ -f1)" "drift" "pg: a version row out of step is drift"
apply pg
is "$RC/$(field outcome)" "1/refused" "pg: an apply from there is refused"
like "$(jq -r '.differences[].kind' <<<"$OUT")" "version_row" "pg: naming the version_row difference"
pgq "$db" "UPDATE alembic_version SET version_num = 'shop_r2'" || exit 1

# ---- a step whose SQL fails: named, and nothing is left behind ---------------------------
# r2 starts with CREATE TABLE products: a sequence (PostgreSQL) or an index
# (SQLite) of that name, on nothing of the definition, makes it fail.
apply pg --downgrade --to shop_r1 --force
pgq "$db" "CREATE SEQUENCE products" || exit 1
apply pg --to shop_r4
is "$RC/$(field outcome)" "2/failed" "pg: a failing statement fails the walk"
like "$(field error)" "r2-upgrade.postgresql.sql:2: statement 1 \\(CREATE TABLE products \\(.*\\) failed: relation \"products\" already exists" \
	"pg: the error names the file, the line, the statement and the server's message"
is "$(once pg)" "pending/shop_r1/shop_r3/2" "pg: still wholly at r1"
pgq "$db" "DROP SEQUENCE products" || exit 1

rm -f "$lite"
apply lite --to shop_r1
sq "$lite" "CREATE TABLE unrelated (x INTEGER); CREATE INDEX products ON unrelated (x);" || exit 1
apply lite --to shop_r3
is "$RC/$(field outcome)" "2/failed" "lite: a failing statement fails the walk"
like "$(field error)" "r2-upgrade.sqlite.sql:2: statement 1 \\(CREATE TABLE products \\(.*\\) failed: there is already an index named products" \
	"lite: named by file, line and statement"
is "$(once lite)" "pending/shop_r1/shop_r3/2" "lite: still wholly at r1"
sq "$lite" "DROP TABLE unrelated" || exit 1

# ---- a step that does not produce its revision is rolled back ------------------------------
# An event trigger (as a careless extension might) adds a column to every new table.
edb=$(new_pgdb) || exit 1
pgq "$edb" "CREATE FUNCTION sneak() RETURNS event_trigger LANGUAGE plpgsql AS \$\$
	DECLARE r record; BEGIN
	FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
		EXECUTE format('ALTER TABLE %s ADD COLUMN sneaky int', r.object_identity);
	END LOOP; END \$\$;
	CREATE EVENT TRIGGER sneak ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION sneak();" || exit 1
sed -i "s|dbname=$db\"|dbname=$edb\"|" "$cfg"
apply pg
is "$RC/$(field outcome)" "2/failed" "pg: a step whose result is not its revision fails"
like "$(field error)" "verification failed: after .*r1-upgrade.postgresql.sql the schema would be in drift, not shop_r1" \
	"pg: naming the step and the revision"
like "$(jq -r '.differences[] | .object + " " + .kind' <<<"$OUT")" "customers.sneaky" "pg: with the differences"
is "$(pgq "$edb" "SELECT count(*) FROM pg_class WHERE relname IN ('customers', 'orders')")" 0 \
	"pg: nothing of the step is left"
sed -i "s|dbname=$edb\"|dbname=$db\"|" "$cfg"

# ---- through the daemon: schemawatchctl apply --to, and auto_apply ---------------------------
SOCK="$SW_TEST_TMP/ctl.sock"
mkdir -p "$SW_TEST_TMP/state"
rm -f "$SW_TEST_TMP/auto.db"
sq "$SW_TEST_TMP/auto.db" "CREATE TABLE unrelated (x INTEGER)" || exit 1
cat >"$SW_TEST_TMP/d.yaml" <<CFG
definition: $D
interval: 1s
socket: $SOCK
state_dir: $SW_TEST_TMP/state
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    expect: shop_r3
  - name: auto
    sqlite: $SW_TEST_TMP/auto.db
    expect: shop_r3
    auto_apply: true
CFG
ctl() { "$SCHEMAWATCHCTL" -s "$SOCK" "$@"; }
tstate() {	# tstate TARGET — "state/revision" in `status`
	ctl --json status 2>/dev/null |
		jq -r --arg t "$1" '.targets[] | select(.name == $t) | "\(.state)/\(.revision // "-")"'
}
state_is() { [ "$(tstate "$1")" = "$2" ]; }
daemon_start "$SW_TEST_TMP/d.yaml"
ok "the daemon answers" wait_until 10 test -S "$SOCK"
ok "pg is pending at r1" wait_until 10 state_is pg pending/shop_r1
ok "auto_apply walks a target from nothing to the expected revision" wait_until 15 state_is auto ok/shop_r3
is "$(sqlite3 "$SW_TEST_TMP/auto.db" "SELECT version_num FROM alembic_version")" shop_r3 \
	"auto_apply recorded shop_r3"
out=$(ctl apply pg --to shop_r4 2>&1)
is "$?" 0 "schemawatchctl apply pg --to shop_r4 exits 0"
like "$out" "shop_r1 -> shop_r4 in 3 steps" "and says where it went"
ok "status: pg ahead at r4" wait_until 10 state_is pg ahead/shop_r4
out=$(ctl apply pg --downgrade 2>&1)
is "$?" 0 "schemawatchctl apply pg --downgrade exits 0"
ok "status: pg ok at r3" wait_until 10 state_is pg ok/shop_r3
out=$(ctl apply pg --to 2>&1)
is "$?" 2 "schemawatchctl apply --to without a revision is a bad request"
like "$out" "missing revision after \"--to\"" "and says so"
ctl history pg >"$SW_TEST_TMP/hist.txt" 2>&1
like "$(cat "$SW_TEST_TMP/hist.txt")" "upgrade-ok" "history records the walks"
daemon_stop

done_testing

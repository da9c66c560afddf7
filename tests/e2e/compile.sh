#!/usr/bin/env bash
# schemawatchd --compile-definition on the harness's PostgreSQL and SQLite,
# with the test definition tests/defs/shop (four revisions, both dialects:
# add a table, add a column with a default, replace a partial index with
# another predicate, add a foreign key): every revision compiled by both
# engines, stable output, parity, a parity failure named precisely, a SQL
# error named with file and statement, definition errors with
# FILE:LINE:COLUMN, no scratch server, and no scratch database left behind,
# also when the command is killed with SIGTERM mid-compile.
. "$SW_SRCDIR/tests/lib/common.sh"

SHOP="$SW_SRCDIR/tests/defs/shop"

# fresh_def NAME — a private copy of the shop definition; prints its path.
fresh_def() {
	rm -rf "${SW_TEST_TMP:?}/$1"
	cp -r "$SHOP" "$SW_TEST_TMP/$1"
	rm -rf "$SW_TEST_TMP/$1/compiled"
	echo "$SW_TEST_TMP/$1"
}

scratch_dbs() {
	pgq postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'sw\_compile\_%'"
}

# ---- a good definition ---------------------------------------------------
d=$(fresh_def good)
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "0" "compile: exit 0"
like "$out" "parity ok" "... parity between the dialects holds"
n=$(ls "$d/compiled" | grep -c '\.json$')
is "$n" "8" "... four revisions x two dialects compiled"
is "$(scratch_dbs)" "0" "... and no scratch database is left"

j="$d/compiled"
ok "r1 has customers and orders, not products" \
	sh -c "grep -q '\"name\": \"customers\"' '$j/shop_r1.postgresql.json' && ! grep -q '\"products\"' '$j/shop_r1.postgresql.json'"
ok "r2 adds the products table (postgresql)" grep -q '"name": "products"' "$j/shop_r2.postgresql.json"
ok "r2 adds the products table (sqlite)" grep -q '"name": "products"' "$j/shop_r2.sqlite.json"
ok "r2 adds orders.note with its default" grep -q '"default": "'"''"'::text"' "$j/shop_r2.postgresql.json"
like "$(grep predicate "$j/shop_r2.postgresql.json")" "status = 'open'" "r2: the partial index is on open orders"
like "$(grep predicate "$j/shop_r3.postgresql.json")" "deleted_at IS NULL" "r3: the partial index has the new predicate (postgresql)"
like "$(grep predicate "$j/shop_r3.sqlite.json")" "deleted_at IS NULL" "r3: ... (sqlite)"
ok "r3 has no foreign key yet" sh -c "! grep -q 'fk_orders_product' '$j/shop_r3.postgresql.json'"
ok "r4 adds the foreign key (postgresql, by name)" grep -q '"name": "fk_orders_product"' "$j/shop_r4.postgresql.json"
ok "r4 adds the foreign key (sqlite)" grep -q '"references": "products"' "$j/shop_r4.sqlite.json"
like "$(grep '"engine"' "$j/shop_r1.postgresql.json")" "PostgreSQL [0-9]" "the engine version is recorded (postgresql)"
like "$(grep '"engine"' "$j/shop_r1.sqlite.json")" "SQLite 3\." "the engine version is recorded (sqlite)"
like "$(grep '"sql_digest"' "$j/shop_r1.sqlite.json")" "fnv1a64:" "the digest of the SQL is recorded"

# Stable: compiling again gives the same bytes.
cp -r "$j" "$SW_TEST_TMP/first"
"$SCHEMAWATCHD" --compile-definition "$d" >/dev/null 2>&1
ok "a second compile gives byte-identical files" diff -r "$SW_TEST_TMP/first" "$j"
ok "no temporary file is left in compiled/" sh -c "! ls '$j' | grep -q tmp"

# ---- parity failure --------------------------------------------------------
d=$(fresh_def parity)
sed -i "s/note TEXT NOT NULL DEFAULT ''/note TEXT NOT NULL DEFAULT 'none'/" "$d/r2-upgrade.sqlite.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "1" "a default that differs between dialects: exit 1"
like "$out" "parity: shop_r2: orders\.note: column_default: postgresql ''::text, sqlite 'none'" \
	"... the difference named: revision, object, kind, both values"
like "$out" "parity: shop_r4: orders\.note: column_default" "... in every revision where it holds"
unlike "$out" "parity: shop_r1" "... and not where the dialects agree"

d=$(fresh_def parity2)
sed -i '/timestamp with time zone: TEXT/d' "$d/definition.yaml"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "1" "a type without a parity entry: exit 1"
like "$out" "parity: shop_r1: orders\.created_at: column_type: postgresql timestamp with time zone, sqlite TEXT" \
	"... named with both types"

# ---- SQL errors --------------------------------------------------------------
d=$(fresh_def sqlerr)
printf -- '-- r3 with a mistake\nDROP INDEX ix_orders_open;\n\nCREATE INDEX ix_orders_open ON orders (customer_idd);\n' \
	>"$d/r3-upgrade.postgresql.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "2" "a failing statement: exit 2"
like "$out" "r3-upgrade\.postgresql\.sql:4: statement 2 \(CREATE INDEX ix_orders_open ON orders \(customer_idd\);\) failed: .*customer_idd.*does not exist" \
	"... the file, line, statement and the server's message named"
is "$(scratch_dbs)" "0" "... and the scratch database is dropped"

d=$(fresh_def sqlerr_lite)
printf 'ALTER TABLE orders ADD COLUMN note TEXT;\nCREATE TABLE products (id INTEGER);\n' >"$d/r2-upgrade.sqlite.sql"
printf 'CREATE TABLE products (id INTEGER);\n' >>"$d/r2-upgrade.sqlite.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "2" "a failing SQLite statement: exit 2"
like "$out" "r2-upgrade\.sqlite\.sql:3: statement 3 \(CREATE TABLE products \(id INTEGER\);\) failed: table products already exists" \
	"... named the same way"

# A downgrade that does not undo its upgrade.
d=$(fresh_def baddown)
printf 'DROP INDEX ix_orders_open;\n' >"$d/r3-downgrade.postgresql.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "2" "a downgrade that does not lead back: exit 2"
like "$out" "postgresql: the downgrade of shop_r3 does not lead back to shop_r2: orders\.ix_orders_open: missing_index" \
	"... named: dialect, revisions, object, kind"
is "$(scratch_dbs)" "0" "... and the scratch database is dropped"

# ---- definition errors -----------------------------------------------------
d=$(fresh_def baddef)
sed -i 's/^version_table:/version_tabel:/' "$d/definition.yaml"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "78" "an unknown key in definition.yaml: exit 78"
like "$out" "definition\.yaml:5:1: unknown key \"version_tabel\"" "... FILE:LINE:COLUMN: message"
d=$(fresh_def missing)
rm "$d/r3-upgrade.sqlite.sql"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "78" "a missing SQL file: exit 78"
like "$out" "definition\.yaml:[0-9]+:[0-9]+: upgrade: .*r3-upgrade\.sqlite\.sql: No such file" "... naming the file"
d=$(fresh_def mixed)
sed -i '/^  - id: shop_r2/,/^  - id: shop_r3/{/sqlite:/,/downgrade:/d}' "$d/definition.yaml"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "78" "a revision without a dialect the others have: exit 78"
like "$out" "revision \"shop_r2\" lacks sqlite" "... said so"
out=$("$SCHEMAWATCHD" --compile-definition 2>&1)
is "$?" "64" "no DIR: usage, exit 64"
out=$("$SCHEMAWATCHD" --scratch "" --once 2>&1)
is "$?" "64" "--scratch without --compile-definition: exit 64"

# ---- one dialect, no server -------------------------------------------------
d=$(fresh_def lite_only)
sed -i '/postgresql:/,/downgrade: r.-downgrade.postgresql.sql/d' "$d/definition.yaml"
out=$("$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "0" "a SQLite-only definition compiles"
is "$(ls "$d/compiled" | tr '\n' ' ')" "shop_r1.sqlite.json shop_r2.sqlite.json shop_r3.sqlite.json shop_r4.sqlite.json " \
	"... one file per revision, SQLite only"
d=$(fresh_def noserver)
out=$(PGHOST=/nonexistent "$SCHEMAWATCHD" --compile-definition "$d" 2>&1)
is "$?" "0" "no scratch server: exit 0"
like "$out" "no scratch PostgreSQL server .*only the SQLite side is compiled" "... and it says so"
is "$(ls "$d/compiled" | grep -c postgresql)" "0" "... no PostgreSQL file written"

# ---- the shipped definition is current -----------------------------------------
# Recompiled on this server, it must give the committed files: anything else
# means sql/prompter changed without `schemawatchd --compile-definition
# sql/prompter`, or the introspection changed what it reports. The engine
# line may differ (another minor release) and is left out.
rm -rf "$SW_TEST_TMP/prompter"
cp -r "$SW_SRCDIR/sql/prompter" "$SW_TEST_TMP/prompter"
chmod -R u+w "$SW_TEST_TMP/prompter"
out=$("$SCHEMAWATCHD" --compile-definition "$SW_TEST_TMP/prompter" 2>&1)
is "$?" "0" "the shipped definition compiles"
like "$out" "parity ok" "... with parity between the dialects"
for f in prompter_v7.postgresql.json prompter_v7.sqlite.json; do
	got=$(grep -v '"engine"' "$SW_TEST_TMP/prompter/compiled/$f")
	want=$(grep -v '"engine"' "$SW_SRCDIR/sql/prompter/compiled/$f")
	if [ "$got" = "$want" ]; then
		t_result 1 "compiled/$f is what the engine compiles now"
	else
		t_result 0 "compiled/$f is what the engine compiles now" \
			"run: schemawatchd --compile-definition sql/prompter, and commit" \
			"$(diff <(echo "$want") <(echo "$got") | head -20)"
	fi
done

# ---- killed mid-compile ------------------------------------------------------
d=$(fresh_def killed)
printf 'SELECT pg_sleep(60);\n' >>"$d/r2-upgrade.postgresql.sql"
"$SCHEMAWATCHD" --compile-definition "$d" >"$SW_TEST_TMP/killed.out" 2>&1 &
pid=$!
if wait_until 20 sh -c "[ \"\$(psql -X -A -t -d postgres -c \"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()\")\" = 1 ]"; then
	is "$(scratch_dbs)" "1" "mid-compile: the scratch database exists"
	kill -TERM "$pid"
	wait "$pid"
	is "$?" "143" "SIGTERM: the command ends by the signal"
	is "$(scratch_dbs)" "0" "... and the scratch database is dropped"
	like "$(cat "$SW_TEST_TMP/killed.out")" "interrupted \(signal 15\); scratch database dropped" "... and says so"
else
	kill -KILL "$pid" 2>/dev/null
	t_result 0 "the compile reached the slow statement" "$(cat "$SW_TEST_TMP/killed.out")"
fi

done_testing

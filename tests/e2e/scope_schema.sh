#!/usr/bin/env bash
# scope: schema (issue 13 item 3, definitions.md "Using a definition"): the
# whole schema must equal the definition, anything extra is drift; scope:
# definition (the default) ignores what the definition does not name. With
# the test definition tests/defs/shop (four revisions, version table
# alembic_version) on PostgreSQL and SQLite: --check-config accepts both
# values and refuses another with FILE:LINE:COLUMN; the version table and the
# daemon's own event trigger are never extra; an extra table (with its index)
# is one difference, an extra view another; an empty schema is pending, an
# earlier revision plus an extra table drift (closest revision named); a
# `schemas:` target judges each schema whole; and the daemon: two targets on
# one kept connection with different scopes (different prepared statements)
# each get their own verdict, status/diff show the extra objects, a reload
# from definition to schema changes the verdict, and an apply walks the
# definition's objects and leaves the extras to the next check.
. "$SW_SRCDIR/tests/lib/common.sh"

D="$SW_TEST_TMP/shop"
cp -r "$SW_SRCDIR/tests/defs/shop" "$D"
rm -rf "$D/compiled"
"$SCHEMAWATCHD" --compile-definition "$D" >"$SW_TEST_TMP/compile.log" 2>&1
is "$?" "0" "the shop definition compiles"

# build_pg DB N [SCHEMA] / build_lite FILE N — revisions 1..N of the chain,
# and the version row, as an applier leaves them.
build_pg() {
	local db=$1 n=$2 i
	for i in $(seq 1 "$n"); do
		PGOPTIONS="-c search_path=${3:-public}" pgf "$db" "$D/r$i-upgrade.postgresql.sql" || return 1
	done
	PGOPTIONS="-c search_path=${3:-public}" pgq "$db" "CREATE TABLE alembic_version (
	    version_num varchar(32) NOT NULL PRIMARY KEY);
	    INSERT INTO alembic_version VALUES ('shop_r$n')" >/dev/null
}
build_lite() {
	local f=$1 n=$2 i
	for i in $(seq 1 "$n"); do sqf "$f" "$D/r$i-upgrade.sqlite.sql" || return 1; done
	sq "$f" "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
	    INSERT INTO alembic_version VALUES ('shop_r$n');"
}

db=$(new_pgdb)
lite="$SW_TEST_TMP/shop.db"
ok "PostgreSQL at shop_r4 with its version row" build_pg "$db" 4
ok "SQLite at shop_r4 with its version row" build_lite "$lite" 4

cfg="$SW_TEST_TMP/c.yaml"
write_cfg() {	# write_cfg SCOPE
	cat >"$cfg" <<CFG
definition: $D
targets:
  - name: pg
    postgresql: "$(pg_conninfo "$db")"
    scope: $1
  - name: lite
    sqlite: $lite
    scope: $1
CFG
}
once() {	# once TARGET JQ — of the target's entry in --once --json
	"$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null |
		jq -r --arg t "$1" ".targets[] | select(.name == \$t) | $2"
}
diffs() {	# diffs TARGET — "OBJECT KIND" sorted, comma-separated
	once "$1" '[.differences[] | .object + " " + .kind] | sort | join(", ")'
}

# ---- the key -----------------------------------------------------------------
for s in definition schema; do
	write_cfg $s
	out=$("$SCHEMAWATCHD" -c "$cfg" --check-config 2>&1)
	is "$?" "0" "--check-config accepts scope: $s"
done
write_cfg everything
out=$("$SCHEMAWATCHD" -c "$cfg" --check-config 2>&1)
is "$?" "78" "--check-config refuses scope: everything (exit 78)"
like "$out" "c\.yaml:5:12: scope in target \"pg\": expected \"definition\" or \"schema\"" \
	"... with FILE:LINE:COLUMN, the target and the values allowed"

# ---- exact schemas -------------------------------------------------------------
write_cfg schema
is "$(once pg .state)/$(once pg .revision)" "ok/shop_r4" \
	"scope: schema, PostgreSQL exactly at shop_r4: ok (the version table is not extra)"
is "$(once lite .state)/$(once lite .revision)" "ok/shop_r4" \
	"scope: schema, SQLite exactly at shop_r4: ok (the version table is not extra)"
out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$SW_SRCDIR/sql/ddl-events.postgresql.sql" 2>&1)
is "$?" "0" "the daemon's event trigger installed (sql/ddl-events.postgresql.sql)"
is "$(once pg .state)" "ok" "... is not extra: its function lives in schema schemawatchd"

# ---- extra objects ---------------------------------------------------------------
pgq "$db" "CREATE TABLE notes (id integer PRIMARY KEY, body text);
	CREATE INDEX ix_notes_body ON notes (body);
	CREATE VIEW recent_orders AS SELECT id FROM orders" >/dev/null
sq "$lite" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
	CREATE INDEX ix_notes_body ON notes (body);"
is "$(once pg .state)/$(once pg .closest)" "drift/shop_r4" \
	"scope: schema, an extra table and view: drift, closest shop_r4 (pg)"
is "$(diffs pg)" "notes extra_table, recent_orders extra_view" \
	"... the extra table (its index part of it) and the extra view"
is "$(once lite .state)/$(once lite .closest)" "drift/shop_r4" "... and an extra table (sqlite)"
is "$(diffs lite)" "notes extra_table" "... one difference"
write_cfg definition
is "$(once pg .state)/$(once lite .state)" "ok/ok" "scope: definition ignores them"

# ---- empty, earlier, only extras ------------------------------------------------------
db3=$(new_pgdb)
lite3="$SW_TEST_TMP/r3.db"
ok "PostgreSQL at shop_r3 with an extra table" build_pg "$db3" 3
pgq "$db3" "CREATE TABLE notes (id integer)" >/dev/null
ok "SQLite at shop_r3 with an extra table" build_lite "$lite3" 3
sq "$lite3" "CREATE TABLE notes (id INTEGER)"
sed -e "s/dbname=$db\"/dbname=$db3\"/" -e "s|$lite|$lite3|" "$cfg" >"$SW_TEST_TMP/c3.yaml"
cfg_def="$cfg" cfg="$SW_TEST_TMP/c3.yaml"
is "$(once pg '"\(.state)/\(.behind)"')" "pending/1" "scope: definition, shop_r3 + extra table: pending, 1 behind"
sed -i 's/scope: definition/scope: schema/' "$cfg"
for t in pg lite; do
	is "$(once $t '"\(.state)/\(.closest)/\(.expected)"')" "drift/shop_r3/shop_r4" \
		"scope: schema, shop_r3 + extra table: drift ($t), closest shop_r3, not pending"
	like "$(diffs $t)" "notes extra_table" "... the extra table among them ($t)"
done
out=$("$SCHEMAWATCHD" -c "$cfg" --once --json 2>/dev/null | jq -r '.targets[] | select(.name == "pg") | .differences[].kind' | sort -u | tr '\n' ' ')
like "$out" "extra_table" "... the differences are against the expected revision:"
like "$out" "missing_foreign_key|missing_column" "... what r4 adds is missing too"

db0=$(new_pgdb)
lite0="$SW_TEST_TMP/empty.db"
sq "$lite0" "PRAGMA user_version = 0"
sed -e "s/dbname=$db3\"/dbname=$db0\"/" -e "s|$lite3|$lite0|" "$cfg" >"$SW_TEST_TMP/c0.yaml"
cfg="$SW_TEST_TMP/c0.yaml"
is "$(once pg '"\(.state)/\(.behind)"')/$(once lite .state)" "pending/4/pending" \
	"scope: schema, an empty schema: pending before the chain"
pgq "$db0" "CREATE VIEW answer AS SELECT 42 AS n" >/dev/null
is "$(once pg .state)" "drift" "scope: schema, nothing but an extra view: drift, not pending"
like "$(diffs pg)" "answer extra_view" "... the view named"
cfg=$cfg_def

# ---- schemas: ------------------------------------------------------------------------
dbt=$(new_pgdb)
pgq "$dbt" "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b" >/dev/null
ok "tenant_a at shop_r4" build_pg "$dbt" 4 tenant_a
ok "tenant_b at shop_r4" build_pg "$dbt" 4 tenant_b
pgq "$dbt" "CREATE TABLE tenant_b.notes (id integer); CREATE TABLE public.elsewhere (id integer)" >/dev/null
cat >"$SW_TEST_TMP/ct.yaml" <<CFG
definition: $D
targets:
  - name: t
    postgresql: "$(pg_conninfo "$dbt")"
    schemas: [tenant_*]
    scope: schema
CFG
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/ct.yaml" --once --json 2>/dev/null)
is "$(jq -r '[.targets[] | "\(.name)=\(.state)"] | join(",")' <<<"$out")" \
	"t=ok,t/tenant_a=ok,t/tenant_b=drift" "schemas: with scope: schema: each schema whole, others not read"
is "$(jq -r '.targets[] | select(.name == "t/tenant_b") | [.differences[] | .object + " " + .kind] | join(", ")' <<<"$out")" \
	"notes extra_table" "... tenant_b's extra table"

# ---- the daemon ---------------------------------------------------------------------
sock="$SW_TEST_TMP/sw.sock"
dcfg="$SW_TEST_TMP/d.yaml"
# One connection per server: both pg targets share it, each with its own
# prepared catalog statement.
cat >"$dcfg" <<CFG
socket: $sock
state_dir: $SW_TEST_TMP/state
interval: 1h
keep_connections: true
max_connections_per_server: 1
definition: $D
targets:
  - name: pg_def
    postgresql: "$(pg_conninfo "$db")"
    scope: definition
  - name: pg_all
    postgresql: "$(pg_conninfo "$db")"
    scope: schema
  - name: lite_all
    sqlite: $lite
    scope: schema
  - name: r3_all
    postgresql: "$(pg_conninfo "$db3")"
    scope: schema
CFG
CTL() { "$SCHEMAWATCHCTL" -s "$sock" "$@"; }
state() { CTL --json status | jq -r --arg t "$1" '.targets[] | select(.name == $t) | .state'; }
daemon_start "$dcfg"
ok "the daemon answers on its socket" wait_until 10 test -S "$sock"
for _ in 1 2 3; do
	CTL check pg_def >/dev/null 2>&1
	CTL check pg_all >/dev/null 2>&1
done
CTL check lite_all >/dev/null 2>&1
is "$(state pg_def)/$(state pg_all)" "ok/drift" \
	"one kept connection, two scopes, checked in turn: each its own verdict"
out=$(CTL --json diff pg_all); rc=$?
is "$rc" "1" "diff of the scope: schema target exits 1"
is "$(jq -r '[.differences[] | .object + " " + .kind] | sort | join(", ")' <<<"$out")" \
	"notes extra_table, recent_orders extra_view" "diff --json lists the extra objects"
like "$(CTL diff pg_all)" "recent_orders +extra_view" "diff prints them"
like "$(CTL status)" "pg_all: 2 differences" "status counts the differences"
is "$(state lite_all)" "drift" "the SQLite target too"
is "$(CTL --json diff pg_def | jq -c .differences)" "[]" "the scope: definition target: no differences"

sed -i '/name: pg_def/,/scope:/s/scope: definition/scope: schema/' "$dcfg"
out=$(CTL reload 2>&1)
is "$?" "0" "reload with pg_def switched to scope: schema"
CTL check pg_def >/dev/null 2>&1
is "$(state pg_def)" "drift" "... its verdict is now drift"
like "$(CTL --json diff pg_def | jq -r '.differences[].kind')" "extra_view" "... with the extra objects"

# apply: the engine reads and verifies the definition's objects; the extra
# table stays, and the next check says so.
CTL check r3_all >/dev/null 2>&1
is "$(state r3_all)" "drift" "shop_r3 + an extra table under scope: schema: drift"
out=$(CTL apply r3_all 2>&1); rc=$?
is "$rc" "0" "apply walks the definition's objects to shop_r4"
[ "$rc" = 0 ] || diag "$out"
CTL check r3_all >/dev/null 2>&1
is "$(state r3_all) $(CTL --json diff r3_all | jq -r '[.differences[] | .object + " " + .kind] | join(", ")')" \
	"drift notes extra_table" "... after it, only the extra table is left: still drift"
daemon_stop
is "$DAEMON_RC" "0" "the daemon stops cleanly"
done_testing

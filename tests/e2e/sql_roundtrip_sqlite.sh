#!/usr/bin/env bash
# The seed's round trip on SQLite: sql/v7-*.sqlite.sql create exactly V7,
# behave as V7 says (with PRAGMA foreign_keys = ON), and the downgrade removes
# every V7 object and nothing else.
. "$SW_SRCDIR/tests/lib/common.sh"

UP="$SQLDIR/v7-upgrade.sqlite.sql"
DOWN="$SQLDIR/v7-downgrade.sqlite.sql"
db="$SW_TEST_TMP/dev.db"

sq "$db" "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
          WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 50)
          INSERT INTO customers SELECT i, 'c' || i FROM g;
          CREATE INDEX customers_name ON customers (name);" || exit 1
before_other=$(sq "$db" "SELECT count(*) || ' ' || group_concat(id || name, ',') FROM (SELECT * FROM customers ORDER BY id)")

ok "upgrade runs" sqf "$db" "$UP"

columns() {
	sq "$db" "SELECT m.name || '.' || c.name || ' ' || c.type || CASE WHEN c.\"notnull\" THEN ' NOT NULL' ELSE ' NULL' END
	              || coalesce(' DEFAULT ' || c.dflt_value, '') || CASE WHEN c.pk THEN ' PK' || c.pk ELSE '' END
	            FROM (SELECT name, CASE name WHEN 'prompt_templates' THEN 1 WHEN 'prompt_versions' THEN 2 ELSE 3 END AS o
	                    FROM sqlite_schema WHERE type = 'table' AND name LIKE 'prompt\_%' ESCAPE '\') m,
	                 pragma_table_xinfo(m.name) c ORDER BY m.o, c.cid"
}
want_columns="prompt_templates.id TEXT NOT NULL PK1
prompt_templates.org_id TEXT NOT NULL
prompt_templates.workspace_id TEXT NOT NULL
prompt_templates.name TEXT NOT NULL
prompt_templates.config TEXT NOT NULL DEFAULT '{}'
prompt_templates.config_hash TEXT NOT NULL
prompt_templates.created_at TEXT NOT NULL DEFAULT datetime('now')
prompt_templates.updated_at TEXT NOT NULL DEFAULT datetime('now')
prompt_templates.deleted_at TEXT NULL
prompt_versions.id TEXT NOT NULL PK1
prompt_versions.template_id TEXT NOT NULL
prompt_versions.version INTEGER NOT NULL
prompt_versions.body TEXT NOT NULL
prompt_versions.variables TEXT NOT NULL DEFAULT '[]'
prompt_versions.created_at TEXT NOT NULL DEFAULT datetime('now')
prompt_results.id TEXT NOT NULL PK1
prompt_results.version_id TEXT NOT NULL
prompt_results.status TEXT NOT NULL DEFAULT 'pending'
prompt_results.input TEXT NOT NULL DEFAULT '{}'
prompt_results.output TEXT NULL
prompt_results.latency_ms INTEGER NULL
prompt_results.created_at TEXT NOT NULL DEFAULT datetime('now')"
is "$(columns)" "$want_columns" "every column with its declared type, nullability, default and primary key"

indexes() {
	sq "$db" "SELECT m.name || ' ' || l.origin || CASE WHEN l.\"unique\" THEN ' unique' ELSE '' END
	              || CASE WHEN l.partial THEN ' partial' ELSE '' END || ' ('
	              || (SELECT group_concat(x.name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) x) || ')'
	              || CASE WHEN l.origin = 'c' THEN ' ' || l.name ELSE '' END
	            FROM sqlite_schema m, pragma_index_list(m.name) l
	           WHERE m.type = 'table' AND m.name LIKE 'prompt\_%' ESCAPE '\'
	           ORDER BY 1"
}
want_indexes="prompt_results c (version_id,created_at) ix_prompt_results_version_created
prompt_results pk unique (id)
prompt_templates c unique partial (org_id,workspace_id,config_hash) ux_tpl_org_ws_confighash_active
prompt_templates pk unique (id)
prompt_versions pk unique (id)
prompt_versions u unique (template_id,version)"
is "$(indexes)" "$want_indexes" "primary keys, the unique constraint and both named indexes"

fks=$(sq "$db" "SELECT m.name || ' (' || f.\"from\" || ') -> ' || f.\"table\" || '(' || f.\"to\" || ') ON DELETE ' || f.on_delete || ' ON UPDATE ' || f.on_update
                  FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND m.name LIKE 'prompt\_%' ESCAPE '\' ORDER BY 1")
is "$fks" "prompt_results (version_id) -> prompt_versions(id) ON DELETE CASCADE ON UPDATE NO ACTION
prompt_versions (template_id) -> prompt_templates(id) ON DELETE CASCADE ON UPDATE NO ACTION" "both foreign keys with their actions"

idx=$(sq "$db" "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'ux_tpl_org_ws_confighash_active'")
like "$idx" "WHERE deleted_at IS NULL" "the partial index's SQL in sqlite_schema carries WHERE deleted_at IS NULL"
for ck in "length(config_hash) = 64" "version > 0" "status IN ('pending', 'succeeded', 'failed')" "latency_ms >= 0"; do
	got=$(sq "$db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND instr(sql, 'CHECK (' || '$(echo "$ck" | sed "s/'/''/g")' || ')') > 0")
	is "$got" "1" "CHECK ($ck) is in its table's SQL"
done

# ---- behaviour ----
H=$(printf '%064d' 0)
tpl() { echo "INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash, deleted_at) VALUES ('$1', 'o', 'w', 'n', '$H', $2)"; }
ok "an active template is accepted" sq "$db" "$(tpl t1 NULL)"
not_ok "a second active template with the same (org, workspace, config_hash) is rejected" sq "$db" "$(tpl t2 NULL)" 2>/dev/null
ok "the same with the second one soft-deleted is accepted" sq "$db" "$(tpl t2 "datetime('now')")"
ok "two soft-deleted ones may repeat" sq "$db" "$(tpl t3 "datetime('now')")"
not_ok "an orphan prompt_versions row is rejected" sq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('vx', 'nope', 1, 'b')" 2>/dev/null
ok "a version of an existing template is accepted" sq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('v1', 't1', 1, 'b')"
not_ok "a duplicate (template_id, version) is rejected" sq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('v2', 't1', 1, 'b')" 2>/dev/null
ok "a result of that version is accepted" sq "$db" \
	"INSERT INTO prompt_results (id, version_id, latency_ms) VALUES ('r1', 'v1', 5)"
is "$(sq "$db" "SELECT status || ' ' || input || ' ' || (created_at LIKE '____-__-__ __:__:__') FROM prompt_results")" \
	"pending {} 1" "defaults fill status, input and an ISO-8601 created_at"
not_ok "CHECK length(config_hash) = 64 rejects a short hash" sq "$db" \
	"INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash) VALUES ('t9', 'o', 'w', 'n', 'abc')" 2>/dev/null
not_ok "CHECK version > 0 rejects version 0" sq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('v9', 't1', 0, 'b')" 2>/dev/null
not_ok "CHECK status IN (...) rejects an unknown status" sq "$db" \
	"INSERT INTO prompt_results (id, version_id, status) VALUES ('r9', 'v1', 'running')" 2>/dev/null
not_ok "CHECK latency_ms >= 0 rejects a negative latency" sq "$db" \
	"INSERT INTO prompt_results (id, version_id, latency_ms) VALUES ('r8', 'v1', -1)" 2>/dev/null
not_ok "NOT NULL rejects a template without a name" sq "$db" \
	"INSERT INTO prompt_templates (id, org_id, workspace_id, config_hash) VALUES ('t8', 'o', 'w', '$H')" 2>/dev/null
ok "deleting a template succeeds" sq "$db" "DELETE FROM prompt_templates WHERE id = 't1'"
is "$(sq "$db" "SELECT (SELECT count(*) FROM prompt_versions) || ' ' || (SELECT count(*) FROM prompt_results)")" \
	"0 0" "deleting a template cascades to its versions and their results"

# ---- downgrade ----
ok "downgrade runs" sqf "$db" "$DOWN"
is "$(sq "$db" "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%prompt%' OR name LIKE 'ux\_tpl%' ESCAPE '\'")" \
	"0" "no V7 table, index or autoindex remains"
is "$(sq "$db" "SELECT count(*) || ' ' || group_concat(id || name, ',') FROM (SELECT * FROM customers ORDER BY id)")" \
	"$before_other" "the unrelated table keeps all its rows"
is "$(sq "$db" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)")" \
	"customers,customers_name" "only the unrelated table and its index remain"

ok "upgrade again works" sqf "$db" "$UP"
is "$(columns)" "$want_columns" "the second upgrade gives the same columns"
is "$(indexes)" "$want_indexes" "the second upgrade gives the same indexes"

done_testing

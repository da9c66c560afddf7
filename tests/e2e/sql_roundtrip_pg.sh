#!/usr/bin/env bash
# The seed's round trip on a real PostgreSQL: sql/v7-*.postgresql.sql create
# exactly V7 (columns, constraints, indexes, the partial predicate), behave as
# V7 says, and the downgrade removes every V7 object and nothing else.
. "$SW_SRCDIR/tests/lib/common.sh"

UP="$SQLDIR/v7-upgrade.postgresql.sql"
DOWN="$SQLDIR/v7-downgrade.postgresql.sql"
db=$(new_pgdb) || exit 1

# An unrelated table with rows, created before V7: downgrade must not touch it.
pgq "$db" "CREATE TABLE customers (id int PRIMARY KEY, name text);
           INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 50) g;
           CREATE INDEX customers_name ON customers (name);" || exit 1
before_other=$(pgq "$db" "SELECT count(*), md5(string_agg(id || name, ',' ORDER BY id)) FROM customers")

ok "upgrade runs" pgf "$db" "$UP"

columns() {
	pgq "$db" "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
	               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
	               || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
	           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	           JOIN pg_namespace n ON n.oid = c.relnamespace
	           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'prompt\_%'
	            AND a.attnum > 0 AND NOT a.attisdropped
	          ORDER BY array_position(ARRAY['prompt_templates','prompt_versions','prompt_results'], c.relname::text), a.attnum"
}
want_columns="prompt_templates.id uuid NOT NULL
prompt_templates.org_id uuid NOT NULL
prompt_templates.workspace_id uuid NOT NULL
prompt_templates.name text NOT NULL
prompt_templates.config jsonb NOT NULL DEFAULT '{}'::jsonb
prompt_templates.config_hash text NOT NULL
prompt_templates.created_at timestamp with time zone NOT NULL DEFAULT now()
prompt_templates.updated_at timestamp with time zone NOT NULL DEFAULT now()
prompt_templates.deleted_at timestamp with time zone NULL
prompt_versions.id uuid NOT NULL
prompt_versions.template_id uuid NOT NULL
prompt_versions.version integer NOT NULL
prompt_versions.body text NOT NULL
prompt_versions.variables jsonb NOT NULL DEFAULT '[]'::jsonb
prompt_versions.created_at timestamp with time zone NOT NULL DEFAULT now()
prompt_results.id uuid NOT NULL
prompt_results.version_id uuid NOT NULL
prompt_results.status text NOT NULL DEFAULT 'pending'::text
prompt_results.input jsonb NOT NULL DEFAULT '{}'::jsonb
prompt_results.output text NULL
prompt_results.latency_ms integer NULL
prompt_results.created_at timestamp with time zone NOT NULL DEFAULT now()"
is "$(columns)" "$want_columns" "every column with its type, nullability and default, in order"

constraints() {
	pgq "$db" "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
	             FROM pg_constraint WHERE connamespace = 'public'::regnamespace
	              AND conrelid::regclass::text LIKE 'prompt\_%' ORDER BY 1"
}
want_constraints="prompt_results ck_prompt_results_latency CHECK ((latency_ms >= 0))
prompt_results ck_prompt_results_status CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text])))
prompt_results fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions(id) ON DELETE CASCADE
prompt_results prompt_results_pkey PRIMARY KEY (id)
prompt_templates ck_prompt_templates_config_hash CHECK ((length(config_hash) = 64))
prompt_templates prompt_templates_pkey PRIMARY KEY (id)
prompt_versions ck_prompt_versions_version CHECK ((version > 0))
prompt_versions fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates(id) ON DELETE CASCADE
prompt_versions prompt_versions_pkey PRIMARY KEY (id)
prompt_versions uq_prompt_versions_template_version UNIQUE (template_id, version)"
is "$(constraints)" "$want_constraints" "every constraint, with its name and definition"

indexes() {
	pgq "$db" "SELECT indexname || ': ' || indexdef FROM pg_indexes
	            WHERE schemaname = 'public' AND tablename LIKE 'prompt\_%' ORDER BY 1"
}
want_indexes="ix_prompt_results_version_created: CREATE INDEX ix_prompt_results_version_created ON public.prompt_results USING btree (version_id, created_at)
prompt_results_pkey: CREATE UNIQUE INDEX prompt_results_pkey ON public.prompt_results USING btree (id)
prompt_templates_pkey: CREATE UNIQUE INDEX prompt_templates_pkey ON public.prompt_templates USING btree (id)
prompt_versions_pkey: CREATE UNIQUE INDEX prompt_versions_pkey ON public.prompt_versions USING btree (id)
uq_prompt_versions_template_version: CREATE UNIQUE INDEX uq_prompt_versions_template_version ON public.prompt_versions USING btree (template_id, version)
ux_tpl_org_ws_confighash_active: CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON public.prompt_templates USING btree (org_id, workspace_id, config_hash) WHERE (deleted_at IS NULL)"
is "$(indexes)" "$want_indexes" "every index"

idx=$(pgq "$db" "SELECT indexdef FROM pg_indexes WHERE tablename = 'prompt_templates'
                  AND indexname = 'ux_tpl_org_ws_confighash_active'")
like "$idx" "WHERE \(deleted_at IS NULL\)" "pg_indexes shows the partial index predicate"

# ---- behaviour ----
T1=11111111-1111-1111-1111-111111111111
T2=22222222-2222-2222-2222-222222222222
T3=33333333-3333-3333-3333-333333333333
ORG=aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa
WS=bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb
H=$(printf '%064d' 0)
tpl() { echo "INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash, deleted_at) VALUES ('$1', '$ORG', '$WS', 'n', '$H', $2)"; }

ok "an active template is accepted" pgq "$db" "$(tpl $T1 NULL)"
not_ok "a second active template with the same (org, workspace, config_hash) is rejected" \
	pgq "$db" "$(tpl $T2 NULL)"
ok "the same with the second one soft-deleted is accepted" pgq "$db" "$(tpl $T2 "now()")"
ok "two soft-deleted ones may repeat" pgq "$db" "$(tpl $T3 "now()")"
not_ok "an orphan prompt_versions row is rejected" pgq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'b')"
V1=44444444-4444-4444-4444-444444444444
ok "a version of an existing template is accepted" pgq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('$V1', '$T1', 1, 'b')"
not_ok "a duplicate (template_id, version) is rejected" pgq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES (gen_random_uuid(), '$T1', 1, 'b')"
ok "a result of that version is accepted" pgq "$db" \
	"INSERT INTO prompt_results (id, version_id, latency_ms) VALUES (gen_random_uuid(), '$V1', 5)"
is "$(pgq "$db" "SELECT status || ' ' || input::text || ' ' || (created_at IS NOT NULL) FROM prompt_results")" \
	"pending {} true" "defaults fill status, input and created_at"
not_ok "ck_prompt_templates_config_hash rejects a short hash" pgq "$db" \
	"INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash) VALUES (gen_random_uuid(), '$ORG', '$WS', 'n', 'abc')"
not_ok "ck_prompt_versions_version rejects version 0" pgq "$db" \
	"INSERT INTO prompt_versions (id, template_id, version, body) VALUES (gen_random_uuid(), '$T1', 0, 'b')"
not_ok "ck_prompt_results_status rejects an unknown status" pgq "$db" \
	"INSERT INTO prompt_results (id, version_id, status) VALUES (gen_random_uuid(), '$V1', 'running')"
not_ok "ck_prompt_results_latency rejects a negative latency" pgq "$db" \
	"INSERT INTO prompt_results (id, version_id, latency_ms) VALUES (gen_random_uuid(), '$V1', -1)"
not_ok "NOT NULL rejects a template without a name" pgq "$db" \
	"INSERT INTO prompt_templates (id, org_id, workspace_id, config_hash) VALUES (gen_random_uuid(), '$ORG', '$WS', '$H')"
ok "deleting a template succeeds" pgq "$db" "DELETE FROM prompt_templates WHERE id = '$T1'"
is "$(pgq "$db" "SELECT (SELECT count(*) FROM prompt_versions) || ' ' || (SELECT count(*) FROM prompt_results)")" \
	"0 0" "deleting a template cascades to its versions and their results"

# ---- downgrade ----
ok "downgrade runs" pgf "$db" "$DOWN"
is "$(pgq "$db" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND (c.relname LIKE 'prompt\_%' OR c.relname LIKE 'ux\_tpl%'
                    OR c.relname LIKE 'ix\_prompt%' OR c.relname LIKE 'uq\_prompt%')")" \
	"0" "no V7 table or index remains"
is "$(pgq "$db" "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'ck\_prompt%' OR conname LIKE 'fk\_prompt%'
                 OR conname LIKE 'uq\_prompt%' OR conname LIKE 'prompt\_%'")" "0" "no V7 constraint remains"
is "$(pgq "$db" "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'public' AND t.typname LIKE '%prompt\_%'")" "0" "no V7 row type remains"
is "$(pgq "$db" "SELECT count(*), md5(string_agg(id || name, ',' ORDER BY id)) FROM customers")" \
	"$before_other" "the unrelated table keeps all its rows"
is "$(pgq "$db" "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'customers'")" \
	"customers_name,customers_pkey" "the unrelated table keeps its indexes"

ok "upgrade again works" pgf "$db" "$UP"
is "$(columns)" "$want_columns" "the second upgrade gives the same columns"
is "$(indexes)" "$want_indexes" "the second upgrade gives the same indexes"

done_testing

-- Single mutations of V7 on PostgreSQL. Each block starts with "-- case:" (a
-- short name, also the schema suffix), then one or more "-- expect: OBJECT KIND"
-- lines (the differences schemawatchd must report, and nothing else), then the
-- SQL run after the V7 upgrade with search_path set to the case's schema.

-- case: pred_removed
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_predicate
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash);

-- case: pred_inverted
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_predicate
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NOT NULL;

-- case: uniq_dropped
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_uniqueness
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;

-- case: idx_reordered
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_columns
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (workspace_id, org_id, config_hash) WHERE deleted_at IS NULL;

-- case: idx_desc
-- expect: prompt_results.ix_prompt_results_version_created index_columns
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at DESC);

-- case: idx_col_missing
-- expect: prompt_results.ix_prompt_results_version_created index_columns
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id);

-- case: idx_method
-- expect: prompt_results.ix_prompt_results_version_created index_method
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_prompt_results_version_created ON prompt_results USING brin (version_id, created_at);

-- case: idx_include
-- expect: prompt_results.ix_prompt_results_version_created index_include
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at) INCLUDE (status);

-- case: idx_missing
-- expect: prompt_results.ix_prompt_results_version_created missing_index
DROP INDEX ix_prompt_results_version_created;

-- case: idx_extra
-- expect: prompt_templates.ix_extra_name extra_index
CREATE INDEX ix_extra_name ON prompt_templates (name);

-- case: col_type
-- expect: prompt_results.latency_ms column_type
ALTER TABLE prompt_results ALTER COLUMN latency_ms TYPE bigint;

-- case: col_type_ts
-- expect: prompt_templates.deleted_at column_type
ALTER TABLE prompt_templates ALTER COLUMN deleted_at TYPE timestamp without time zone;

-- case: col_type_json
-- expect: prompt_versions.variables column_type
ALTER TABLE prompt_versions ALTER COLUMN variables TYPE json USING variables::json;
ALTER TABLE prompt_versions ALTER COLUMN variables SET DEFAULT '[]'::json;

-- case: col_nullable
-- expect: prompt_templates.name column_nullability
ALTER TABLE prompt_templates ALTER COLUMN name DROP NOT NULL;

-- case: col_notnull
-- expect: prompt_results.output column_nullability
ALTER TABLE prompt_results ALTER COLUMN output SET NOT NULL;

-- case: col_default_changed
-- expect: prompt_results.status column_default
ALTER TABLE prompt_results ALTER COLUMN status SET DEFAULT 'failed';

-- case: col_default_dropped
-- expect: prompt_templates.config column_default
ALTER TABLE prompt_templates ALTER COLUMN config DROP DEFAULT;

-- case: col_default_added
-- expect: prompt_results.latency_ms column_default
ALTER TABLE prompt_results ALTER COLUMN latency_ms SET DEFAULT 0;

-- case: col_default_clock
-- expect: prompt_versions.created_at column_default
ALTER TABLE prompt_versions ALTER COLUMN created_at SET DEFAULT clock_timestamp();

-- case: col_missing
-- expect: prompt_results.output missing_column
ALTER TABLE prompt_results DROP COLUMN output;

-- case: col_extra
-- expect: prompt_templates.description extra_column
ALTER TABLE prompt_templates ADD COLUMN description text;

-- case: col_renamed
-- expect: prompt_versions.body column_renamed
ALTER TABLE prompt_versions RENAME COLUMN body TO content;

-- case: fk_action
-- expect: prompt_results.fk_prompt_results_version foreign_key_action
ALTER TABLE prompt_results DROP CONSTRAINT fk_prompt_results_version;
ALTER TABLE prompt_results ADD CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE RESTRICT;

-- case: fk_update_action
-- expect: prompt_versions.fk_prompt_versions_template foreign_key_action
ALTER TABLE prompt_versions DROP CONSTRAINT fk_prompt_versions_template;
ALTER TABLE prompt_versions ADD CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE ON UPDATE CASCADE;

-- case: fk_target
-- expect: prompt_results.fk_prompt_results_version foreign_key_target
CREATE TABLE other_versions (id uuid PRIMARY KEY);
ALTER TABLE prompt_results DROP CONSTRAINT fk_prompt_results_version;
ALTER TABLE prompt_results ADD CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES other_versions (id) ON DELETE CASCADE;

-- case: fk_deferrable
-- expect: prompt_versions.fk_prompt_versions_template foreign_key_deferrable
ALTER TABLE prompt_versions DROP CONSTRAINT fk_prompt_versions_template;
ALTER TABLE prompt_versions ADD CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

-- case: fk_missing
-- expect: prompt_results.fk_prompt_results_version missing_foreign_key
ALTER TABLE prompt_results DROP CONSTRAINT fk_prompt_results_version;

-- case: fk_renamed
-- expect: prompt_versions.fk_prompt_versions_template constraint_renamed
ALTER TABLE prompt_versions RENAME CONSTRAINT fk_prompt_versions_template TO prompt_versions_template_id_fkey;

-- Renames (compare.c): one difference when certain, missing + extra otherwise.
-- case: idx_renamed
-- expect: prompt_results.ix_prompt_results_version_created index_renamed
ALTER INDEX ix_prompt_results_version_created RENAME TO ix_results_by_version;

-- case: partial_idx_renamed
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_renamed
ALTER INDEX ux_tpl_org_ws_confighash_active RENAME TO prompt_templates_active_key;

-- case: check_renamed
-- expect: prompt_versions.ck_prompt_versions_version constraint_renamed
ALTER TABLE prompt_versions RENAME CONSTRAINT ck_prompt_versions_version TO prompt_versions_version_check;

-- case: unique_renamed
-- expect: prompt_versions.uq_prompt_versions_template_version constraint_renamed
ALTER TABLE prompt_versions RENAME CONSTRAINT uq_prompt_versions_template_version TO prompt_versions_template_id_version_key;

-- case: idx_renamed_changed
-- expect: prompt_results.ix_prompt_results_version_created missing_index
-- expect: prompt_results.ix_results_by_version extra_index
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_results_by_version ON prompt_results (version_id, created_at DESC);

-- case: idx_renamed_twice
-- expect: prompt_results.ix_prompt_results_version_created missing_index
-- expect: prompt_results.ix_results_a extra_index
-- expect: prompt_results.ix_results_b extra_index
ALTER INDEX ix_prompt_results_version_created RENAME TO ix_results_a;
CREATE INDEX ix_results_b ON prompt_results (version_id, created_at);

-- case: col_renamed_changed
-- expect: prompt_versions.body missing_column
-- expect: prompt_versions.content extra_column
ALTER TABLE prompt_versions RENAME COLUMN body TO content;
ALTER TABLE prompt_versions ALTER COLUMN content DROP NOT NULL;

-- case: check_renamed_changed
-- expect: prompt_versions.ck_prompt_versions_version missing_check
-- expect: prompt_versions.ck_version_nonnegative extra_check
ALTER TABLE prompt_versions DROP CONSTRAINT ck_prompt_versions_version;
ALTER TABLE prompt_versions ADD CONSTRAINT ck_version_nonnegative CHECK (version >= 0);

-- case: check_changed
-- expect: prompt_versions.ck_prompt_versions_version check_expression
ALTER TABLE prompt_versions DROP CONSTRAINT ck_prompt_versions_version;
ALTER TABLE prompt_versions ADD CONSTRAINT ck_prompt_versions_version CHECK (version >= 0);

-- case: check_in_list
-- expect: prompt_results.ck_prompt_results_status check_expression
ALTER TABLE prompt_results DROP CONSTRAINT ck_prompt_results_status;
ALTER TABLE prompt_results ADD CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded'));

-- case: check_missing
-- expect: prompt_results.ck_prompt_results_latency missing_check
ALTER TABLE prompt_results DROP CONSTRAINT ck_prompt_results_latency;

-- case: check_extra
-- expect: prompt_templates.ck_name_nonempty extra_check
ALTER TABLE prompt_templates ADD CONSTRAINT ck_name_nonempty CHECK (name <> '');

-- case: unique_missing
-- expect: prompt_versions.uq_prompt_versions_template_version missing_unique
ALTER TABLE prompt_versions DROP CONSTRAINT uq_prompt_versions_template_version;

-- case: unique_columns
-- expect: prompt_versions.uq_prompt_versions_template_version unique_columns
ALTER TABLE prompt_versions DROP CONSTRAINT uq_prompt_versions_template_version;
ALTER TABLE prompt_versions ADD CONSTRAINT uq_prompt_versions_template_version UNIQUE (version, template_id);

-- case: pk_renamed
-- expect: prompt_results.prompt_results_pkey constraint_renamed
ALTER TABLE prompt_results RENAME CONSTRAINT prompt_results_pkey TO pk_prompt_results;

-- case: pk_missing
-- expect: prompt_results.prompt_results_pkey missing_primary_key
ALTER TABLE prompt_results DROP CONSTRAINT prompt_results_pkey;

-- case: table_missing
-- expect: prompt_results missing_table
DROP TABLE prompt_results;

-- case: col_order
-- expect: prompt_results column_order
ALTER TABLE prompt_results DROP COLUMN output;
ALTER TABLE prompt_results ADD COLUMN output text;

-- Single mutations of V7 on SQLite; format as pg-mutations.sql. SQLite cannot
-- ALTER most things, so a case may rebuild a table (CREATE new, DROP, RENAME)
-- with foreign keys off; the harness runs each case with PRAGMA foreign_keys = OFF.

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

-- case: idx_expression
-- expect: prompt_results.ix_prompt_results_version_created index_columns
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, date(created_at));

-- case: idx_missing
-- expect: prompt_results.ix_prompt_results_version_created missing_index
DROP INDEX ix_prompt_results_version_created;

-- case: idx_extra
-- expect: prompt_templates.ix_extra_name extra_index
CREATE INDEX ix_extra_name ON prompt_templates (name);

-- case: idx_pred_changed
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_predicate
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL AND name <> '';

-- case: col_extra
-- expect: prompt_templates.description extra_column
ALTER TABLE prompt_templates ADD COLUMN description TEXT;

-- case: col_renamed
-- expect: prompt_versions.body column_renamed
ALTER TABLE prompt_versions RENAME COLUMN body TO content;

-- Renames (compare.c): SQLite has no ALTER INDEX ... RENAME; an index re-created
-- under another name, otherwise identical, is one index_renamed.
-- case: idx_renamed
-- expect: prompt_results.ix_prompt_results_version_created index_renamed
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_results_by_version ON prompt_results (version_id, created_at);

-- case: partial_idx_renamed
-- expect: prompt_templates.ux_tpl_org_ws_confighash_active index_renamed
DROP INDEX ux_tpl_org_ws_confighash_active;
CREATE UNIQUE INDEX prompt_templates_active_key ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;

-- case: idx_renamed_changed
-- expect: prompt_results.ix_prompt_results_version_created missing_index
-- expect: prompt_results.ix_results_by_version extra_index
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_results_by_version ON prompt_results (version_id, created_at DESC);

-- case: idx_renamed_twice
-- expect: prompt_results.ix_prompt_results_version_created missing_index
-- expect: prompt_results.ix_results_a extra_index
-- expect: prompt_results.ix_results_b extra_index
DROP INDEX ix_prompt_results_version_created;
CREATE INDEX ix_results_a ON prompt_results (version_id, created_at);
CREATE INDEX ix_results_b ON prompt_results (version_id, created_at);

-- case: col_renamed_changed
-- expect: prompt_versions.body missing_column
-- expect: prompt_versions.content extra_column
ALTER TABLE prompt_versions RENAME COLUMN body TO content;
ALTER TABLE prompt_versions DROP COLUMN content;
ALTER TABLE prompt_versions ADD COLUMN content TEXT;

-- case: col_missing
-- expect: prompt_results.output missing_column
ALTER TABLE prompt_results DROP COLUMN output;

-- case: col_order
-- expect: prompt_results column_order
ALTER TABLE prompt_results DROP COLUMN output;
ALTER TABLE prompt_results ADD COLUMN output TEXT;

-- The remaining cases rebuild prompt_results (or prompt_versions) with one change.
-- case: col_type
-- expect: prompt_results.latency_ms column_type
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms REAL, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: col_nullable
-- expect: prompt_results.status column_nullability
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: col_default_changed
-- expect: prompt_results.status column_default
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'failed', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: col_default_dropped
-- expect: prompt_results.created_at column_default
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL, CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: col_default_localtime
-- expect: prompt_results.created_at column_default
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: fk_action
-- expect: prompt_results.fk_prompt_results_version foreign_key_action
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE SET NULL, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: fk_target
-- expect: prompt_results.fk_prompt_results_version foreign_key_target
CREATE TABLE other_versions (id TEXT PRIMARY KEY);
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES other_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: fk_missing
-- expect: prompt_results.fk_prompt_results_version missing_foreign_key
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: fk_deferrable
-- expect: prompt_results.fk_prompt_results_version foreign_key_deferrable
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: check_changed
-- expect: prompt_results.ck_prompt_results_latency check_expression
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms > 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: check_in_list
-- expect: prompt_results.ck_prompt_results_status check_expression
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed', 'running')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: check_missing
-- expect: prompt_results.ck_prompt_results_latency missing_check
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: check_extra
-- expect: prompt_results.CHECK (length(output) < 10000) extra_check
CREATE TABLE x (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', input TEXT NOT NULL DEFAULT '{}', output TEXT CHECK (length(output) < 10000), latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_results_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')), CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
DROP TABLE prompt_results; ALTER TABLE x RENAME TO prompt_results;
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: unique_missing
-- expect: prompt_versions.uq_prompt_versions_template_version missing_unique
CREATE TABLE x (id TEXT NOT NULL, template_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, variables TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_versions_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE, CONSTRAINT ck_prompt_versions_version CHECK (version > 0));
DROP TABLE prompt_versions; ALTER TABLE x RENAME TO prompt_versions;

-- case: unique_columns
-- expect: prompt_versions.uq_prompt_versions_template_version unique_columns
CREATE TABLE x (id TEXT NOT NULL, template_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, variables TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_versions_pkey PRIMARY KEY (id), CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE, CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id), CONSTRAINT ck_prompt_versions_version CHECK (version > 0));
DROP TABLE prompt_versions; ALTER TABLE x RENAME TO prompt_versions;

-- case: pk_columns
-- expect: prompt_versions.prompt_versions_pkey primary_key_columns
CREATE TABLE x (id TEXT NOT NULL, template_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, variables TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL DEFAULT (datetime('now')), CONSTRAINT prompt_versions_pkey PRIMARY KEY (id, version), CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE, CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version), CONSTRAINT ck_prompt_versions_version CHECK (version > 0));
DROP TABLE prompt_versions; ALTER TABLE x RENAME TO prompt_versions;

-- case: table_missing
-- expect: prompt_results missing_table
DROP TABLE prompt_results;

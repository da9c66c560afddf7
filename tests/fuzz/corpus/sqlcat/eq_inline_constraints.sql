CREATE TABLE prompt_templates (
  id TEXT NOT NULL PRIMARY KEY, org_id TEXT NOT NULL, workspace_id TEXT NOT NULL, name TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}', config_hash TEXT NOT NULL CHECK (length(config_hash) = 64),
  created_at TEXT NOT NULL DEFAULT (datetime('now')), updated_at TEXT NOT NULL DEFAULT (datetime('now')), deleted_at TEXT);
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;
CREATE TABLE prompt_versions (
  id TEXT NOT NULL PRIMARY KEY, template_id TEXT NOT NULL REFERENCES prompt_templates (id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version > 0), body TEXT NOT NULL, variables TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL DEFAULT (datetime('now')), UNIQUE (template_id, version));
CREATE TABLE prompt_results (
  id TEXT NOT NULL PRIMARY KEY, version_id TEXT NOT NULL REFERENCES prompt_versions ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER CHECK (latency_ms >= 0),
  created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

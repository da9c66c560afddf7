CREATE TABLE prompt_results (id TEXT NOT NULL, version_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
  input TEXT NOT NULL DEFAULT '{}', output TEXT, latency_ms INTEGER, created_at TEXT NOT NULL DEFAULT (datetime('now')),
  CHECK (latency_ms >= 0), CHECK (status IN ('pending', 'succeeded', 'failed')),
  FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE, PRIMARY KEY (id));
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);
CREATE TABLE prompt_versions (id TEXT NOT NULL, template_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
  variables TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL DEFAULT (datetime('now')),
  CHECK (version > 0), UNIQUE (template_id, version),
  FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE, PRIMARY KEY (id));
CREATE TABLE prompt_templates (id TEXT NOT NULL, org_id TEXT NOT NULL, workspace_id TEXT NOT NULL, name TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}', config_hash TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now')), deleted_at TEXT, CHECK (length(config_hash) = 64), PRIMARY KEY (id));
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;

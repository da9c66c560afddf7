-- Prompter schema V7, SQLite, upgrade.
-- Plain DDL: no transaction control and no version row; the migration engine
-- (schemawatchd --apply) runs it under BEGIN IMMEDIATE with foreign keys on.
-- Logical types: uuid, json and timestamp are TEXT (timestamps ISO-8601 UTC).

CREATE TABLE prompt_templates (
    id           TEXT    NOT NULL,
    org_id       TEXT    NOT NULL,
    workspace_id TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    config       TEXT    NOT NULL DEFAULT '{}',
    config_hash  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL DEFAULT (datetime('now')),
    updated_at   TEXT    NOT NULL DEFAULT (datetime('now')),
    deleted_at   TEXT,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (id),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64)
);

-- At most one active template per config in a workspace; soft-deleted ones may repeat.
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

CREATE TABLE prompt_versions (
    id          TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    variables   TEXT    NOT NULL DEFAULT '[]',
    created_at  TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id)
        REFERENCES prompt_templates (id) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
    CONSTRAINT ck_prompt_versions_version CHECK (version > 0)
);

CREATE TABLE prompt_results (
    id         TEXT    NOT NULL,
    version_id TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending',
    input      TEXT    NOT NULL DEFAULT '{}',
    output     TEXT,
    latency_ms INTEGER,
    created_at TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id)
        REFERENCES prompt_versions (id) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

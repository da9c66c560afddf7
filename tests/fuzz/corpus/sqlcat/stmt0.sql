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

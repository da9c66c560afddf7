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

-- Prompter schema V7, PostgreSQL, upgrade.
-- Plain DDL: no transaction control and no version row; the migration engine
-- (schemawatchd --apply) wraps it in one transaction and writes alembic_version.
-- Unqualified names: the engine sets search_path to the target's schema.

CREATE TABLE prompt_templates (
    id           uuid        NOT NULL,
    org_id       uuid        NOT NULL,
    workspace_id uuid        NOT NULL,
    name         text        NOT NULL,
    config       jsonb       NOT NULL DEFAULT '{}',
    config_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (id),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64)
);

-- At most one active template per config in a workspace; soft-deleted ones may repeat.
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

CREATE TABLE prompt_versions (
    id          uuid        NOT NULL,
    template_id uuid        NOT NULL,
    version     integer     NOT NULL,
    body        text        NOT NULL,
    variables   jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id)
        REFERENCES prompt_templates (id) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
    CONSTRAINT ck_prompt_versions_version CHECK (version > 0)
);

CREATE TABLE prompt_results (
    id         uuid        NOT NULL,
    version_id uuid        NOT NULL,
    status     text        NOT NULL DEFAULT 'pending',
    input      jsonb       NOT NULL DEFAULT '{}',
    output     text,
    latency_ms integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id)
        REFERENCES prompt_versions (id) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

CREATE TABLE PROMPT_TEMPLATES (
    ID           text    NOT NULL,
    ORG_ID       text    NOT NULL,
    WORKSPACE_ID text    NOT NULL,
    NAME         text    NOT NULL,
    CONFIG       text    NOT NULL DEFAULT '{}',
    CONFIG_HASH  text    NOT NULL,
    CREATED_AT   text    NOT NULL DEFAULT (datetime('now')),
    UPDATED_AT   text    NOT NULL DEFAULT (datetime('now')),
    DELETED_AT   text,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (ID),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length(CONFIG_HASH) = 64)
);

CREATE UNIQUE INDEX UX_TPL_ORG_WS_CONFIGHASH_ACTIVE
    ON PROMPT_TEMPLATES (ORG_ID, WORKSPACE_ID, CONFIG_HASH)
    WHERE DELETED_AT IS NULL;

CREATE TABLE PROMPT_VERSIONS (
    ID          text    NOT NULL,
    TEMPLATE_ID text    NOT NULL,
    VERSION     integer NOT NULL,
    BODY        text    NOT NULL,
    VARIABLES   text    NOT NULL DEFAULT '[]',
    CREATED_AT  text    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (ID),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY (TEMPLATE_ID)
        REFERENCES PROMPT_TEMPLATES (ID) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE (TEMPLATE_ID, VERSION),
    CONSTRAINT ck_prompt_versions_version CHECK (VERSION > 0)
);

CREATE TABLE PROMPT_RESULTS (
    ID         text    NOT NULL,
    VERSION_ID text    NOT NULL,
    STATUS     text    NOT NULL DEFAULT 'pending',
    INPUT      text    NOT NULL DEFAULT '{}',
    OUTPUT     text,
    LATENCY_MS integer,
    CREATED_AT text    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_results_pkey PRIMARY KEY (ID),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (VERSION_ID)
        REFERENCES PROMPT_VERSIONS (ID) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (STATUS IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (LATENCY_MS >= 0)
);

CREATE INDEX IX_PROMPT_RESULTS_VERSION_CREATED
    ON PROMPT_RESULTS (VERSION_ID, CREATED_AT);

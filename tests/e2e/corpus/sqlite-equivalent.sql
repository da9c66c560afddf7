-- Re-spellings of V7 on SQLite that must be reported "ok" (format as
-- pg-equivalent.sql; each case is a database file of its own).

-- case: inline_constraints
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

-- case: reverse_creation_order
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

-- case: lower_types_upper_names

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

-- case: quoted_identifiers

CREATE TABLE "prompt_templates" (
    "id"           TEXT    NOT NULL,
    "org_id"       TEXT    NOT NULL,
    "workspace_id" TEXT    NOT NULL,
    "name"         TEXT    NOT NULL,
    "config"       TEXT    NOT NULL DEFAULT '{}',
    "config_hash"  TEXT    NOT NULL,
    "created_at"   TEXT    NOT NULL DEFAULT (datetime('now')),
    "updated_at"   TEXT    NOT NULL DEFAULT (datetime('now')),
    "deleted_at"   TEXT,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY ("id"),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length("config_hash") = 64)
);

CREATE UNIQUE INDEX "ux_tpl_org_ws_confighash_active"
    ON "prompt_templates" ("org_id", "workspace_id", "config_hash")
    WHERE "deleted_at" IS NULL;

CREATE TABLE "prompt_versions" (
    "id"          TEXT    NOT NULL,
    "template_id" TEXT    NOT NULL,
    "version"     INTEGER NOT NULL,
    "body"        TEXT    NOT NULL,
    "variables"   TEXT    NOT NULL DEFAULT '[]',
    "created_at"  TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY ("id"),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY ("template_id")
        REFERENCES "prompt_templates" ("id") ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE ("template_id", "version"),
    CONSTRAINT ck_prompt_versions_version CHECK ("version" > 0)
);

CREATE TABLE "prompt_results" (
    "id"         TEXT    NOT NULL,
    "version_id" TEXT    NOT NULL,
    "status"     TEXT    NOT NULL DEFAULT 'pending',
    "input"      TEXT    NOT NULL DEFAULT '{}',
    "output"     TEXT,
    "latency_ms" INTEGER,
    "created_at" TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_results_pkey PRIMARY KEY ("id"),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY ("version_id")
        REFERENCES "prompt_versions" ("id") ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK ("status" IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK ("latency_ms" >= 0)
);

CREATE INDEX "ix_prompt_results_version_created"
    ON "prompt_results" ("version_id", "created_at");

-- case: bracket_backtick_quotes

CREATE TABLE `prompt_templates` (
    `id`           TEXT    NOT NULL,
    `org_id`       TEXT    NOT NULL,
    `workspace_id` TEXT    NOT NULL,
    `name`         TEXT    NOT NULL,
    `config`       TEXT    NOT NULL DEFAULT '{}',
    [config_hash]  TEXT    NOT NULL,
    `created_at`   TEXT    NOT NULL DEFAULT (datetime('now')),
    `updated_at`   TEXT    NOT NULL DEFAULT (datetime('now')),
    `deleted_at`   TEXT,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (`id`),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length([config_hash]) = 64)
);

CREATE UNIQUE INDEX [ux_tpl_org_ws_confighash_active]
    ON `prompt_templates` (`org_id`, `workspace_id`, [config_hash])
    WHERE `deleted_at` IS NULL;

CREATE TABLE [prompt_versions] (
    `id`          TEXT    NOT NULL,
    [template_id] TEXT    NOT NULL,
    [version]     INTEGER NOT NULL,
    `body`        TEXT    NOT NULL,
    [variables]   TEXT    NOT NULL DEFAULT '[]',
    `created_at`  TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (`id`),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY ([template_id])
        REFERENCES `prompt_templates` (`id`) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE ([template_id], [version]),
    CONSTRAINT ck_prompt_versions_version CHECK ([version] > 0)
);

CREATE TABLE `prompt_results` (
    `id`         TEXT    NOT NULL,
    `version_id` TEXT    NOT NULL,
    `status`     TEXT    NOT NULL DEFAULT 'pending',
    [input]      TEXT    NOT NULL DEFAULT '{}',
    `output`     TEXT,
    `latency_ms` INTEGER,
    `created_at` TEXT    NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT prompt_results_pkey PRIMARY KEY (`id`),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (`version_id`)
        REFERENCES [prompt_versions] (`id`) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (`status` IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (`latency_ms` >= 0)
);

CREATE INDEX [ix_prompt_results_version_created]
    ON `prompt_results` (`version_id`, `created_at`);

-- case: default_spellings

CREATE TABLE prompt_templates (
    id           TEXT    NOT NULL,
    org_id       TEXT    NOT NULL,
    workspace_id TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    config       TEXT    NOT NULL DEFAULT ('{}'),
    config_hash  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at   TEXT,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (id),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64)
);

CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

CREATE TABLE prompt_versions (
    id          TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    variables   TEXT    NOT NULL DEFAULT '[]',
    created_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    input      TEXT    NOT NULL DEFAULT ('{}'),
    output     TEXT,
    latency_ms INTEGER,
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id)
        REFERENCES prompt_versions (id) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

-- case: redundant_parens

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
    CONSTRAINT ck_prompt_templates_config_hash CHECK (((length(config_hash)) = (64)))
);

CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE ((deleted_at IS NULL));

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
    CONSTRAINT ck_prompt_versions_version CHECK ((version) > 0)
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

-- case: in_list_order

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
    CONSTRAINT ck_prompt_results_status CHECK (status in ('failed','pending' , 'succeeded')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

-- case: whitespace_comments

CREATE  TABLE  prompt_templates  ( 
        id                      TEXT        NOT  NULL , -- c
	/* d */ 
        org_id              TEXT        NOT  NULL , -- c
	/* d */ 
        workspace_id  TEXT        NOT  NULL , -- c
	/* d */ 
        name                  TEXT        NOT  NULL , -- c
	/* d */ 
        config              TEXT        NOT  NULL  DEFAULT  '{}' , -- c
	/* d */ 
        config_hash    TEXT        NOT  NULL , -- c
	/* d */ 
        created_at      TEXT        NOT  NULL  DEFAULT  ( datetime( 'now')) , -- c
	/* d */ 
        updated_at      TEXT        NOT  NULL  DEFAULT  ( datetime( 'now')) , -- c
	/* d */ 
        deleted_at      TEXT , -- c
	/* d */ 
        CONSTRAINT  prompt_templates_pkey  PRIMARY  KEY  ( id) , -- c
	/* d */ 
        CONSTRAINT  ck_prompt_templates_config_hash  CHECK  ( length( config_hash)  =  64)
);

CREATE  UNIQUE  INDEX  ux_tpl_org_ws_confighash_active
        ON  prompt_templates  ( org_id , -- c
	/* d */   workspace_id , -- c
	/* d */   config_hash)
        WHERE  deleted_at  IS  NULL;

CREATE  TABLE  prompt_versions  ( 
        id                    TEXT        NOT  NULL , -- c
	/* d */ 
        template_id  TEXT        NOT  NULL , -- c
	/* d */ 
        version          INTEGER  NOT  NULL , -- c
	/* d */ 
        body                TEXT        NOT  NULL , -- c
	/* d */ 
        variables      TEXT        NOT  NULL  DEFAULT  '[]' , -- c
	/* d */ 
        created_at    TEXT        NOT  NULL  DEFAULT  ( datetime( 'now')) , -- c
	/* d */ 
        CONSTRAINT  prompt_versions_pkey  PRIMARY  KEY  ( id) , -- c
	/* d */ 
        CONSTRAINT  fk_prompt_versions_template  FOREIGN  KEY  ( template_id)
                REFERENCES  prompt_templates  ( id)  ON  DELETE  CASCADE , -- c
	/* d */ 
        CONSTRAINT  uq_prompt_versions_template_version  UNIQUE  ( template_id , -- c
	/* d */   version) , -- c
	/* d */ 
        CONSTRAINT  ck_prompt_versions_version  CHECK  ( version  >  0)
);

CREATE  TABLE  prompt_results  ( 
        id                  TEXT        NOT  NULL , -- c
	/* d */ 
        version_id  TEXT        NOT  NULL , -- c
	/* d */ 
        status          TEXT        NOT  NULL  DEFAULT  'pending' , -- c
	/* d */ 
        input            TEXT        NOT  NULL  DEFAULT  '{}' , -- c
	/* d */ 
        output          TEXT , -- c
	/* d */ 
        latency_ms  INTEGER , -- c
	/* d */ 
        created_at  TEXT        NOT  NULL  DEFAULT  ( datetime( 'now')) , -- c
	/* d */ 
        CONSTRAINT  prompt_results_pkey  PRIMARY  KEY  ( id) , -- c
	/* d */ 
        CONSTRAINT  fk_prompt_results_version  FOREIGN  KEY  ( version_id)
                REFERENCES  prompt_versions  ( id)  ON  DELETE  CASCADE , -- c
	/* d */ 
        CONSTRAINT  ck_prompt_results_status  CHECK  ( status  IN  ( 'pending' , -- c
	/* d */   'succeeded' , -- c
	/* d */   'failed')) , -- c
	/* d */ 
        CONSTRAINT  ck_prompt_results_latency  CHECK  ( latency_ms  >=  0)
);

CREATE  INDEX  ix_prompt_results_version_created
        ON  prompt_results  ( version_id , -- c
	/* d */   created_at);

-- case: no_constraint_names

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
    PRIMARY KEY (id),
    CHECK (length(config_hash) = 64)
);

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
    PRIMARY KEY (id),
    FOREIGN KEY (template_id)
        REFERENCES prompt_templates (id) ON DELETE CASCADE,
    UNIQUE (template_id, version),
    CHECK (version > 0)
);

CREATE TABLE prompt_results (
    id         TEXT    NOT NULL,
    version_id TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending',
    input      TEXT    NOT NULL DEFAULT '{}',
    output     TEXT,
    latency_ms INTEGER,
    created_at TEXT    NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (id),
    FOREIGN KEY (version_id)
        REFERENCES prompt_versions (id) ON DELETE CASCADE,
    CHECK (status IN ('pending', 'succeeded', 'failed')),
    CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

-- case: rows_and_neighbours

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

CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT);
INSERT INTO audit_log (what) VALUES ('a'), ('b'), ('c');
CREATE INDEX audit_what ON audit_log (what);
INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash) VALUES ('t1', 'o', 'w', 'n', '0000000000000000000000000000000000000000000000000000000000000000');
INSERT INTO prompt_versions (id, template_id, version, body) VALUES ('v1', 't1', 1, 'b');

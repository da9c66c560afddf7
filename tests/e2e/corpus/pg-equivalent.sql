-- Re-spellings of V7 on PostgreSQL that must be reported "ok". Each block
-- starts with "-- case: NAME" and creates all of V7 in its own schema
-- (search_path is set to it); the harness checks each schema as a target.

-- case: upper_and_quoted
CREATE TABLE "prompt_templates" ("id" UUID NOT NULL, "ORG_ID" UUID, "x" int);
DROP TABLE "prompt_templates";
CREATE TABLE PROMPT_TEMPLATES (
  ID UUID NOT NULL, ORG_ID UUID NOT NULL, "workspace_id" UUID NOT NULL, NAME TEXT NOT NULL,
  CONFIG JSONB NOT NULL DEFAULT '{}'::JSONB, CONFIG_HASH TEXT NOT NULL,
  CREATED_AT TIMESTAMPTZ NOT NULL DEFAULT NOW(), UPDATED_AT TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  DELETED_AT TIMESTAMPTZ,
  CONSTRAINT PROMPT_TEMPLATES_PKEY PRIMARY KEY (ID),
  CONSTRAINT CK_PROMPT_TEMPLATES_CONFIG_HASH CHECK (LENGTH(CONFIG_HASH) = 64));
CREATE UNIQUE INDEX UX_TPL_ORG_WS_CONFIGHASH_ACTIVE ON PROMPT_TEMPLATES (ORG_ID, WORKSPACE_ID, CONFIG_HASH) WHERE DELETED_AT IS NULL;
CREATE TABLE PROMPT_VERSIONS (
  ID UUID NOT NULL, TEMPLATE_ID UUID NOT NULL, VERSION INTEGER NOT NULL, BODY TEXT NOT NULL,
  VARIABLES JSONB NOT NULL DEFAULT '[]', CREATED_AT TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT PROMPT_VERSIONS_PKEY PRIMARY KEY (ID),
  CONSTRAINT FK_PROMPT_VERSIONS_TEMPLATE FOREIGN KEY (TEMPLATE_ID) REFERENCES PROMPT_TEMPLATES (ID) ON DELETE CASCADE,
  CONSTRAINT UQ_PROMPT_VERSIONS_TEMPLATE_VERSION UNIQUE (TEMPLATE_ID, VERSION),
  CONSTRAINT CK_PROMPT_VERSIONS_VERSION CHECK (VERSION > 0));
CREATE TABLE PROMPT_RESULTS (
  ID UUID NOT NULL, VERSION_ID UUID NOT NULL, STATUS TEXT NOT NULL DEFAULT 'pending',
  INPUT JSONB NOT NULL DEFAULT '{}', OUTPUT TEXT, LATENCY_MS INTEGER, CREATED_AT TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT PROMPT_RESULTS_PKEY PRIMARY KEY (ID),
  CONSTRAINT FK_PROMPT_RESULTS_VERSION FOREIGN KEY (VERSION_ID) REFERENCES PROMPT_VERSIONS (ID) ON DELETE CASCADE,
  CONSTRAINT CK_PROMPT_RESULTS_STATUS CHECK (STATUS IN ('pending', 'succeeded', 'failed')),
  CONSTRAINT CK_PROMPT_RESULTS_LATENCY CHECK (LATENCY_MS >= 0));
CREATE INDEX IX_PROMPT_RESULTS_VERSION_CREATED ON PROMPT_RESULTS (VERSION_ID, CREATED_AT);

-- case: inline_constraints
CREATE TABLE prompt_templates (
  id uuid CONSTRAINT prompt_templates_pkey PRIMARY KEY, org_id uuid NOT NULL, workspace_id uuid NOT NULL,
  name text NOT NULL, config jsonb NOT NULL DEFAULT '{}',
  config_hash text NOT NULL CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64),
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz);
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;
CREATE TABLE prompt_versions (
  id uuid CONSTRAINT prompt_versions_pkey PRIMARY KEY,
  template_id uuid NOT NULL CONSTRAINT fk_prompt_versions_template REFERENCES prompt_templates ON DELETE CASCADE,
  version integer NOT NULL CONSTRAINT ck_prompt_versions_version CHECK (version > 0), body text NOT NULL,
  variables jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version));
CREATE TABLE prompt_results (
  id uuid CONSTRAINT prompt_results_pkey PRIMARY KEY,
  version_id uuid NOT NULL CONSTRAINT fk_prompt_results_version REFERENCES prompt_versions (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
  input jsonb NOT NULL DEFAULT '{}', output text,
  latency_ms integer CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: type_aliases
CREATE TABLE prompt_templates (
  id uuid NOT NULL, org_id uuid NOT NULL, workspace_id uuid NOT NULL, name text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}', config_hash text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(), deleted_at timestamp with time zone,
  CONSTRAINT prompt_templates_pkey PRIMARY KEY (id),
  CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64));
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates USING btree (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;
CREATE TABLE prompt_versions (
  id uuid NOT NULL, template_id uuid NOT NULL, version int4 NOT NULL, body text NOT NULL,
  variables jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT prompt_versions_pkey PRIMARY KEY (id),
  CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE,
  CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
  CONSTRAINT ck_prompt_versions_version CHECK (version > 0));
CREATE TABLE prompt_results (
  id uuid NOT NULL, version_id uuid NOT NULL, status text NOT NULL DEFAULT 'pending',
  input jsonb NOT NULL DEFAULT '{}', output text, latency_ms int, created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
  CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE,
  CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
  CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0));
CREATE INDEX ix_prompt_results_version_created ON prompt_results USING btree (version_id ASC, created_at ASC NULLS LAST);

-- case: alter_table_later
CREATE TABLE prompt_results (id uuid NOT NULL, version_id uuid NOT NULL, status text NOT NULL DEFAULT 'pending',
  input jsonb NOT NULL DEFAULT '{}', output text, latency_ms integer, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE prompt_versions (id uuid NOT NULL, template_id uuid NOT NULL, version integer NOT NULL, body text NOT NULL,
  variables jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE prompt_templates (id uuid NOT NULL, org_id uuid NOT NULL, workspace_id uuid NOT NULL, name text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}', config_hash text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz);
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);
ALTER TABLE prompt_results ADD CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0);
ALTER TABLE prompt_results ADD CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed'));
ALTER TABLE prompt_templates ADD CONSTRAINT prompt_templates_pkey PRIMARY KEY (id);
ALTER TABLE prompt_versions ADD CONSTRAINT prompt_versions_pkey PRIMARY KEY (id);
ALTER TABLE prompt_results ADD CONSTRAINT prompt_results_pkey PRIMARY KEY (id);
ALTER TABLE prompt_results ADD CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE;
ALTER TABLE prompt_versions ADD CONSTRAINT ck_prompt_versions_version CHECK (version > 0);
ALTER TABLE prompt_versions ADD CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version);
ALTER TABLE prompt_versions ADD CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE;
ALTER TABLE prompt_templates ADD CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64);
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE deleted_at IS NULL;

-- case: any_array_and_order
CREATE TABLE prompt_templates (id uuid NOT NULL, org_id uuid NOT NULL, workspace_id uuid NOT NULL, name text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}'::jsonb, config_hash text NOT NULL, created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamptz NOT NULL DEFAULT transaction_timestamp(), deleted_at timestamptz,
  CONSTRAINT ck_prompt_templates_config_hash CHECK ((((length((config_hash)::text)) = (64)))),
  CONSTRAINT prompt_templates_pkey PRIMARY KEY (id));
CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active ON prompt_templates (org_id, workspace_id, config_hash) WHERE ((deleted_at IS NULL));
CREATE TABLE prompt_versions (id uuid NOT NULL, template_id uuid NOT NULL, version integer NOT NULL, body text NOT NULL,
  variables jsonb NOT NULL DEFAULT '[]'::jsonb, created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_prompt_versions_version CHECK (((version) > 0)),
  CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
  CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id) REFERENCES prompt_templates (id) ON DELETE CASCADE ON UPDATE NO ACTION NOT DEFERRABLE,
  CONSTRAINT prompt_versions_pkey PRIMARY KEY (id));
CREATE TABLE prompt_results (id uuid NOT NULL, version_id uuid NOT NULL, status text NOT NULL DEFAULT 'pending'::text,
  input jsonb NOT NULL DEFAULT '{}'::jsonb, output text, latency_ms integer, created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_prompt_results_latency CHECK ((latency_ms >= (0))),
  CONSTRAINT ck_prompt_results_status CHECK (status = ANY (ARRAY['failed'::text, 'pending'::text, 'succeeded'::text])),
  CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE,
  CONSTRAINT prompt_results_pkey PRIMARY KEY (id));
CREATE INDEX ix_prompt_results_version_created ON prompt_results (version_id, created_at);

-- case: quoted_everything

CREATE TABLE "prompt_templates" (
    "id"           uuid        NOT NULL,
    "org_id"       uuid        NOT NULL,
    "workspace_id" uuid        NOT NULL,
    "name"         text        NOT NULL,
    "config"       jsonb       NOT NULL DEFAULT '{}',
    "config_hash"  text        NOT NULL,
    "created_at"   timestamptz NOT NULL DEFAULT now(),
    "updated_at"   timestamptz NOT NULL DEFAULT now(),
    "deleted_at"   timestamptz,
    CONSTRAINT "prompt_templates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ck_prompt_templates_config_hash" CHECK (length("config_hash") = 64)
);

CREATE UNIQUE INDEX "ux_tpl_org_ws_confighash_active"
    ON "prompt_templates" ("org_id", "workspace_id", "config_hash")
    WHERE "deleted_at" IS NULL;

CREATE TABLE "prompt_versions" (
    "id"          uuid        NOT NULL,
    "template_id" uuid        NOT NULL,
    "version"     integer     NOT NULL,
    "body"        text        NOT NULL,
    "variables"   jsonb       NOT NULL DEFAULT '[]',
    "created_at"  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "prompt_versions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fk_prompt_versions_template" FOREIGN KEY ("template_id")
        REFERENCES "prompt_templates" ("id") ON DELETE CASCADE,
    CONSTRAINT "uq_prompt_versions_template_version" UNIQUE ("template_id", "version"),
    CONSTRAINT "ck_prompt_versions_version" CHECK ("version" > 0)
);

CREATE TABLE "prompt_results" (
    "id"         uuid        NOT NULL,
    "version_id" uuid        NOT NULL,
    "status"     text        NOT NULL DEFAULT 'pending',
    "input"      jsonb       NOT NULL DEFAULT '{}',
    "output"     text,
    "latency_ms" integer,
    "created_at" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "prompt_results_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fk_prompt_results_version" FOREIGN KEY ("version_id")
        REFERENCES "prompt_versions" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_prompt_results_status" CHECK ("status" IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT "ck_prompt_results_latency" CHECK ("latency_ms" >= 0)
);

CREATE INDEX "ix_prompt_results_version_created"
    ON "prompt_results" ("version_id", "created_at");

-- case: schema_qualified

CREATE TABLE @SCHEMA@.prompt_templates (
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

CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON @SCHEMA@.prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

CREATE TABLE @SCHEMA@.prompt_versions (
    id          uuid        NOT NULL,
    template_id uuid        NOT NULL,
    version     integer     NOT NULL,
    body        text        NOT NULL,
    variables   jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id)
        REFERENCES @SCHEMA@.prompt_templates (id) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
    CONSTRAINT ck_prompt_versions_version CHECK (version > 0)
);

CREATE TABLE @SCHEMA@.prompt_results (
    id         uuid        NOT NULL,
    version_id uuid        NOT NULL,
    status     text        NOT NULL DEFAULT 'pending',
    input      jsonb       NOT NULL DEFAULT '{}',
    output     text,
    latency_ms integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id)
        REFERENCES @SCHEMA@.prompt_versions (id) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON @SCHEMA@.prompt_results (version_id, created_at);

-- case: whitespace_comments

CREATE   TABLE   prompt_templates   ( 
            id                                 uuid                        NOT   NULL ,
	/* c */ 
            org_id                     uuid                        NOT   NULL ,
	/* c */ 
            workspace_id   uuid                        NOT   NULL ,
	/* c */ 
            name                           text                        NOT   NULL ,
	/* c */ 
            config                     jsonb                     NOT   NULL   DEFAULT   '{}' ,
	/* c */ 
            config_hash      text                        NOT   NULL ,
	/* c */ 
            created_at         timestamptz   NOT   NULL   DEFAULT   now( ) ,
	/* c */ 
            updated_at         timestamptz   NOT   NULL   DEFAULT   now( ) ,
	/* c */ 
            deleted_at         timestamptz ,
	/* c */ 
            CONSTRAINT   prompt_templates_pkey   PRIMARY   KEY   ( id) ,
	/* c */ 
            CONSTRAINT   ck_prompt_templates_config_hash   CHECK   ( length( config_hash)   =   64)
);

CREATE   UNIQUE   INDEX   ux_tpl_org_ws_confighash_active
            ON   prompt_templates   ( org_id ,
	/* c */    workspace_id ,
	/* c */    config_hash)
            WHERE   deleted_at   IS   NULL;

CREATE   TABLE   prompt_versions   ( 
            id                              uuid                        NOT   NULL ,
	/* c */ 
            template_id   uuid                        NOT   NULL ,
	/* c */ 
            version               integer               NOT   NULL ,
	/* c */ 
            body                        text                        NOT   NULL ,
	/* c */ 
            variables         jsonb                     NOT   NULL   DEFAULT   '[]' ,
	/* c */ 
            created_at      timestamptz   NOT   NULL   DEFAULT   now( ) ,
	/* c */ 
            CONSTRAINT   prompt_versions_pkey   PRIMARY   KEY   ( id) ,
	/* c */ 
            CONSTRAINT   fk_prompt_versions_template   FOREIGN   KEY   ( template_id)
                        REFERENCES   prompt_templates   ( id)   ON   DELETE   CASCADE ,
	/* c */ 
            CONSTRAINT   uq_prompt_versions_template_version   UNIQUE   ( template_id ,
	/* c */    version) ,
	/* c */ 
            CONSTRAINT   ck_prompt_versions_version   CHECK   ( version   >   0)
);

CREATE   TABLE   prompt_results   ( 
            id                           uuid                        NOT   NULL ,
	/* c */ 
            version_id   uuid                        NOT   NULL ,
	/* c */ 
            status               text                        NOT   NULL   DEFAULT   'pending' ,
	/* c */ 
            input                  jsonb                     NOT   NULL   DEFAULT   '{}' ,
	/* c */ 
            output               text ,
	/* c */ 
            latency_ms   integer ,
	/* c */ 
            created_at   timestamptz   NOT   NULL   DEFAULT   now( ) ,
	/* c */ 
            CONSTRAINT   prompt_results_pkey   PRIMARY   KEY   ( id) ,
	/* c */ 
            CONSTRAINT   fk_prompt_results_version   FOREIGN   KEY   ( version_id)
                        REFERENCES   prompt_versions   ( id)   ON   DELETE   CASCADE ,
	/* c */ 
            CONSTRAINT   ck_prompt_results_status   CHECK   ( status   IN   ( 'pending' ,
	/* c */    'succeeded' ,
	/* c */    'failed')) ,
	/* c */ 
            CONSTRAINT   ck_prompt_results_latency   CHECK   ( latency_ms   >=   0)
);

CREATE   INDEX   ix_prompt_results_version_created
            ON   prompt_results   ( version_id ,
	/* c */    created_at);

-- case: rows_and_neighbours

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

CREATE TABLE audit_log (id serial PRIMARY KEY, what text);
INSERT INTO audit_log (what) SELECT 'x' || g FROM generate_series(1, 100) g;
CREATE INDEX audit_what ON audit_log (what);
INSERT INTO prompt_templates (id, org_id, workspace_id, name, config_hash)
  SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'n' || g, repeat('a', 64) FROM generate_series(1, 50) g;
INSERT INTO prompt_versions (id, template_id, version, body) SELECT gen_random_uuid(), id, 1, 'b' FROM prompt_templates;

-- case: default_now_spellings

CREATE TABLE prompt_templates (
    id           uuid        NOT NULL,
    org_id       uuid        NOT NULL,
    workspace_id uuid        NOT NULL,
    name         text        NOT NULL,
    config       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    config_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at   timestamptz,
    CONSTRAINT prompt_templates_pkey PRIMARY KEY (id),
    CONSTRAINT ck_prompt_templates_config_hash CHECK (length(config_hash) = 64)
);

CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

CREATE TABLE prompt_versions (
    id          uuid        NOT NULL,
    template_id uuid        NOT NULL,
    version     integer     NOT NULL,
    body        text        NOT NULL,
    variables   jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT prompt_versions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_versions_template FOREIGN KEY (template_id)
        REFERENCES prompt_templates (id) ON DELETE CASCADE,
    CONSTRAINT uq_prompt_versions_template_version UNIQUE (template_id, version),
    CONSTRAINT ck_prompt_versions_version CHECK (version > 0)
);

CREATE TABLE prompt_results (
    id         uuid        NOT NULL,
    version_id uuid        NOT NULL,
    status     text        NOT NULL DEFAULT ('pending'),
    input      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    output     text,
    latency_ms integer,
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT prompt_results_pkey PRIMARY KEY (id),
    CONSTRAINT fk_prompt_results_version FOREIGN KEY (version_id)
        REFERENCES prompt_versions (id) ON DELETE CASCADE,
    CONSTRAINT ck_prompt_results_status CHECK (status IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT ck_prompt_results_latency CHECK (latency_ms >= 0)
);

CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

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

CREATE UNIQUE INDEX ux_tpl_org_ws_confighash_active
    ON prompt_templates (org_id, workspace_id, config_hash)
    WHERE deleted_at IS NULL;

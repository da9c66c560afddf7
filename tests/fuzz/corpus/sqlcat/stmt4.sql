CREATE INDEX ix_prompt_results_version_created
    ON prompt_results (version_id, created_at);

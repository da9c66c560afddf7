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

-- Prompter schema V7, SQLite, downgrade: removes every V7 object and nothing else.
-- Children first, so that this also works with PRAGMA foreign_keys = ON.
DROP TABLE prompt_results;
DROP TABLE prompt_versions;
DROP TABLE prompt_templates;

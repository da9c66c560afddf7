-- Prompter schema V7, PostgreSQL, downgrade: removes every V7 object and nothing else.
-- Dropping a table drops its indexes and constraints; children go first so that
-- no CASCADE is needed (CASCADE could reach objects that are not V7's).
DROP TABLE prompt_results;
DROP TABLE prompt_versions;
DROP TABLE prompt_templates;

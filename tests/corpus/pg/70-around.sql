-- What lies around a schema and is not part of it (rows, comments, grants,
-- statistics, views and sequences the definition does not name; an extra
-- trigger on one of its tables is drift, 86-triggers.sql):
-- never drift under scope: definition. Then more ways to reach the same
-- catalog, and a few near misses that are drift.

-- definition: ar_base
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner text NOT NULL,
  body text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  score numeric,
  CONSTRAINT ck_notes_owner CHECK (owner <> '')
);
CREATE INDEX ix_notes_owner ON notes (owner, created_at DESC);

-- case: ar_same
@definition

-- case: ar_rows_comments_grants
@definition
INSERT INTO notes (owner, body) SELECT 'o' || g, 'b' FROM generate_series(1, 50) AS g;
COMMENT ON TABLE notes IS 'notes';
COMMENT ON COLUMN notes.body IS 'the text';
COMMENT ON INDEX ix_notes_owner IS 'by owner';
GRANT SELECT ON notes TO PUBLIC;
ANALYZE notes;

-- case: ar_storage_and_statistics
@definition
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE notes ALTER COLUMN owner SET STATISTICS 500;
ALTER TABLE notes CLUSTER ON ix_notes_owner;

-- case: ar_trigger_and_view_not_named
-- expect: notes.notes_touch extra_trigger
@definition
CREATE FUNCTION notes_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION notes_touch();
CREATE VIEW recent_notes AS SELECT id, owner FROM notes WHERE created_at > now() - interval '1 day';

-- case: ar_created_as_select
CREATE TABLE notes AS
  SELECT NULL::uuid AS id, NULL::text AS owner, ''::text AS body,
         NULL::timestamptz AS created_at, NULL::numeric AS score
  WITH NO DATA;
ALTER TABLE notes ALTER COLUMN id SET DEFAULT gen_random_uuid(), ADD PRIMARY KEY (id);
ALTER TABLE notes ALTER COLUMN owner SET NOT NULL;
ALTER TABLE notes ALTER COLUMN body SET NOT NULL, ALTER COLUMN body SET DEFAULT '';
ALTER TABLE notes ALTER COLUMN created_at SET NOT NULL, ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE notes ADD CONSTRAINT ck_notes_owner CHECK (owner <> '');
CREATE INDEX ix_notes_owner ON notes (owner, created_at DESC);

-- case: ar_if_not_exists_everywhere
CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
ALTER TABLE notes ADD COLUMN IF NOT EXISTS owner text NOT NULL;
ALTER TABLE notes ADD COLUMN IF NOT EXISTS body text NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE notes ADD COLUMN IF NOT EXISTS score numeric;
ALTER TABLE notes ADD CONSTRAINT ck_notes_owner CHECK (owner <> '');
CREATE INDEX IF NOT EXISTS ix_notes_owner ON notes (owner, created_at DESC);
CREATE INDEX IF NOT EXISTS ix_notes_owner ON notes (body);

-- case: ar_renamed_away_and_back
@definition
ALTER TABLE notes RENAME TO notes_tmp;
ALTER TABLE notes_tmp RENAME COLUMN owner TO author;
ALTER INDEX ix_notes_owner RENAME TO ix_tmp;
ALTER TABLE notes_tmp RENAME CONSTRAINT ck_notes_owner TO ck_tmp;
ALTER TABLE notes_tmp RENAME TO notes;
ALTER TABLE notes RENAME COLUMN author TO owner;
ALTER INDEX ix_tmp RENAME TO ix_notes_owner;
ALTER TABLE notes RENAME CONSTRAINT ck_tmp TO ck_notes_owner;

-- case: ar_index_key_spellings
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), owner text NOT NULL, body text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(), score numeric,
  CONSTRAINT ck_notes_owner CHECK (owner::text <> ''::text));
CREATE INDEX ix_notes_owner ON notes ((owner), created_at DESC NULLS FIRST);

-- case: ar_public_schema_functions_qualified
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(), owner pg_catalog.text NOT NULL,
  body pg_catalog.text NOT NULL DEFAULT '', created_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
  score pg_catalog.numeric, CONSTRAINT ck_notes_owner CHECK (owner OPERATOR(pg_catalog.<>) ''));
CREATE INDEX ix_notes_owner ON notes (owner, created_at DESC);

-- case: ar_statement_timestamp
-- expect: notes.created_at column_default
@definition
ALTER TABLE notes ALTER COLUMN created_at SET DEFAULT statement_timestamp();

-- case: ar_not_null_as_check
-- expect: notes.owner column_nullability
-- expect: notes.ck_notes_owner_nn extra_check
@definition
ALTER TABLE notes ALTER COLUMN owner DROP NOT NULL;
ALTER TABLE notes ADD CONSTRAINT ck_notes_owner_nn CHECK (owner IS NOT NULL);

-- case: ar_uuid_as_text
-- expect: notes.id column_type
-- expect: notes.id column_default
CREATE TABLE notes (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text, owner text NOT NULL, body text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(), score numeric,
  CONSTRAINT ck_notes_owner CHECK (owner <> ''));
CREATE INDEX ix_notes_owner ON notes (owner, created_at DESC);

-- case: ar_numeric_precision_added
-- expect: notes.score column_type
@definition
ALTER TABLE notes ALTER COLUMN score TYPE numeric(12,4);

-- definition: ar_and
CREATE TABLE w (a integer, b integer, CONSTRAINT ck_w CHECK (a > 0 AND b > 0));
CREATE INDEX ix_w ON w (a) WHERE a IS NOT NULL AND b > 0;

-- case: and_same
@definition

-- case: and_commuted
CREATE TABLE w (a integer, b integer, CONSTRAINT ck_w CHECK (b > 0 AND a > 0));
CREATE INDEX ix_w ON w (a) WHERE b > 0 AND a IS NOT NULL;

-- case: and_became_or
-- expect: w.ck_w check_expression
-- expect: w.ix_w index_predicate
CREATE TABLE w (a integer, b integer, CONSTRAINT ck_w CHECK (a > 0 OR b > 0));
CREATE INDEX ix_w ON w (a) WHERE a IS NOT NULL OR b > 0;

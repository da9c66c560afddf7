-- More SQLite: identifier quoting styles, defaults written in several
-- ways, IN lists, conflict clauses, and tables rebuilt the way SQLite
-- migrations do it (create new, copy, drop, rename).

-- definition: lm_base
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1,
  data BLOB DEFAULT x'00',
  note TEXT,
  deleted_at TEXT
);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_same
@definition

-- case: lm_single_quoted_names
CREATE TABLE 'posts' (
  'id' INTEGER PRIMARY KEY,
  'slug' TEXT NOT NULL COLLATE NOCASE,
  'state' TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  'score' INTEGER DEFAULT -1,
  'data' BLOB DEFAULT x'00',
  'note' TEXT,
  'deleted_at' TEXT
);
CREATE UNIQUE INDEX 'ux_posts_slug' ON 'posts' (slug) WHERE deleted_at IS NULL;
CREATE INDEX 'ix_posts_state' ON 'posts' (state) WHERE state IN ('draft', 'live');

-- case: lm_in_lists_reordered
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('gone', 'draft', 'live')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('live', 'draft');

-- case: lm_defaults_parenthesised
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT ('draft') CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT (-1), data BLOB DEFAULT (x'00'), note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at ISNULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE (state IN ('draft', 'live'));

-- case: lm_collation_name_lower_case
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE nocase,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_default_null_written
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT DEFAULT NULL, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_default_null_as_text_is_drift
-- expect: posts.note column_default
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT DEFAULT 'NULL', deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_rebuilt_twelve_step
CREATE TABLE posts (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, legacy INTEGER);
CREATE INDEX ix_posts_legacy ON posts (legacy);
CREATE TABLE posts_new (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1,
  data BLOB DEFAULT x'00',
  note TEXT,
  deleted_at TEXT
);
INSERT INTO posts_new (id, slug) SELECT id, slug FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_index_if_not_exists
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE INDEX IF NOT EXISTS ix_posts_state ON posts (state ASC) WHERE state IN ('draft', 'live');
CREATE UNIQUE INDEX IF NOT EXISTS ux_posts_slug ON posts (slug ASC) WHERE deleted_at IS NULL;

-- case: lm_check_list_grown
-- expect: posts.CHECK (state IN ('draft', 'live', 'gone')) check_expression
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone', 'held')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_not_in_instead_of_in
-- expect: posts.ix_posts_state index_predicate
@definition
DROP INDEX ix_posts_state;
CREATE INDEX ix_posts_state ON posts (state) WHERE state NOT IN ('draft', 'live');

-- case: lm_negative_default_positive
-- expect: posts.score column_default
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT 1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_blob_default_changed
-- expect: posts.data column_default
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'01', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_collation_binary_spelled
-- expect: posts.slug column_collation
-- expect: posts.ux_posts_slug index_columns
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE BINARY,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug) WHERE deleted_at IS NULL;
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- case: lm_unique_index_became_constraint
-- expect: posts.ux_posts_slug missing_index
-- expect: posts.UNIQUE (slug) extra_unique
CREATE TABLE posts (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL COLLATE NOCASE UNIQUE,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'gone')),
  score INTEGER DEFAULT -1, data BLOB DEFAULT x'00', note TEXT, deleted_at TEXT);
CREATE INDEX ix_posts_state ON posts (state) WHERE state IN ('draft', 'live');

-- definition: lm_conflict
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  weight INTEGER NOT NULL DEFAULT 0
);

-- case: lm_conflict_same
@definition

-- case: lm_conflict_abort_spelled
CREATE TABLE tags (
  id INTEGER PRIMARY KEY ON CONFLICT ABORT,
  name TEXT NOT NULL ON CONFLICT ABORT UNIQUE ON CONFLICT ABORT,
  weight INTEGER NOT NULL DEFAULT 0
);

-- case: lm_conflict_replace
-- expect: tags.UNIQUE (name) unique_conflict
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE ON CONFLICT REPLACE,
  weight INTEGER NOT NULL DEFAULT 0
);

-- case: lm_unique_extra
-- expect: tags.UNIQUE (weight) extra_unique
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  weight INTEGER NOT NULL DEFAULT 0 UNIQUE
);

-- case: lm_column_added_at_end
-- expect: tags.extra extra_column
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  weight INTEGER NOT NULL DEFAULT 0,
  extra INTEGER
);

-- definition: lm_order
CREATE TABLE acc (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state <> ''),
  opened TEXT,
  limit_cents INTEGER CHECK (limit_cents >= 0)
);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';

-- case: lm_order_same
@definition

-- case: lm_order_column_constraints_reordered
CREATE TABLE acc (
  id INTEGER PRIMARY KEY,
  code TEXT UNIQUE NOT NULL,
  state TEXT CHECK (state <> '') DEFAULT 'open' NOT NULL,
  opened TEXT NULL,
  limit_cents INTEGER CHECK (limit_cents >= 0)
);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';

-- case: lm_order_keyword_case_in_expressions
CREATE TABLE acc (
  id integer primary key,
  code text not null unique,
  state text not null default 'open' check (STATE <> ''),
  opened text,
  limit_cents integer check (LIMIT_CENTS >= 0)
);
create index ix_acc_opened on acc (opened) where STATE = 'open';

-- case: lm_order_built_later
CREATE TABLE acc (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state <> ''));
INSERT INTO acc (code) VALUES ('a');
ALTER TABLE acc ADD COLUMN opened TEXT;
ALTER TABLE acc ADD COLUMN limit_cents INTEGER CHECK (limit_cents >= 0);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';

-- case: lm_order_state_literal_changed
-- expect: acc.ix_acc_opened index_predicate
@definition
DROP INDEX ix_acc_opened;
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'Open';

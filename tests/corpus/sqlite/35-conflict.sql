-- SQLite ON CONFLICT clauses of NOT NULL, PRIMARY KEY and UNIQUE
-- (https://sqlite.org/lang_conflict.html): what a violating INSERT or
-- UPDATE does. A REPLACE or IGNORE that appears or disappears changes what
-- happens to rows without any error, so it is drift; where it is written
-- (column or table level, a second UNIQUE on the same columns, a UNIQUE
-- merged into the primary key) and an explicit ABORT (the default) are not.
-- An unnamed UNIQUE is named by its definition, clause included (as a
-- CHECK is by its expression): members.UNIQUE (email) ON CONFLICT REPLACE.
-- (30-more.sql has lm_conflict: the same on a table without clauses.)

-- definition: cf_members
CREATE TABLE members (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE ON CONFLICT REPLACE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat)
);

-- case: cf_members_same
@definition

-- case: cf_members_table_level
CREATE TABLE members (
  org_id integer not null,
  user_id integer not null,
  email text,
  role text default 'member' not null on conflict replace,
  seat integer,
  constraint pk_members primary key (org_id, user_id) on conflict abort,
  unique (org_id, seat),
  constraint uq_members_email unique ("email") on conflict replace
);

-- case: cf_members_unique_written_twice
CREATE TABLE members (
  org_id INTEGER NOT NULL ON CONFLICT ABORT,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat) ON CONFLICT ABORT,
  UNIQUE (email) ON CONFLICT REPLACE
);

-- case: cf_members_rebuilt
CREATE TABLE members_new (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE ON CONFLICT REPLACE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat)
);
INSERT INTO members_new (org_id, user_id, email) VALUES (1, 1, 'a@example.org');
ALTER TABLE members_new RENAME TO members;

-- case: cf_members_not_null_ignore
-- expect: members.org_id not_null_conflict
CREATE TABLE members (
  org_id INTEGER NOT NULL ON CONFLICT IGNORE,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE ON CONFLICT REPLACE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat)
);

-- case: cf_members_pk_replace
-- expect: members.PRIMARY KEY primary_key_conflict
CREATE TABLE members (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE ON CONFLICT REPLACE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id) ON CONFLICT REPLACE,
  UNIQUE (org_id, seat)
);

-- case: cf_members_pair_ignore
-- expect: members.UNIQUE (org_id, seat) unique_conflict
CREATE TABLE members (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE ON CONFLICT REPLACE,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat) ON CONFLICT IGNORE
);

-- case: cf_members_clauses_dropped
-- expect: members.role not_null_conflict
-- expect: members.UNIQUE (email) ON CONFLICT REPLACE unique_conflict
CREATE TABLE members (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT UNIQUE,
  role TEXT NOT NULL DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat)
);

-- case: cf_members_replace_on_an_index
-- expect: members.UNIQUE (email) ON CONFLICT REPLACE missing_unique
-- expect: members.ux_members_email extra_index
CREATE TABLE members (
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  email TEXT,
  role TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'member',
  seat INTEGER,
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, seat)
);
CREATE UNIQUE INDEX ux_members_email ON members (email);

-- definition: cf_slugs
CREATE TABLE slugs (
  slug TEXT PRIMARY KEY ON CONFLICT REPLACE,
  target TEXT NOT NULL
) WITHOUT ROWID;

-- case: cf_slugs_unique_merged_into_pk
CREATE TABLE slugs (
  slug TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  UNIQUE (slug) ON CONFLICT REPLACE
) WITHOUT ROWID;

-- case: cf_slugs_pk_abort
-- expect: slugs.PRIMARY KEY primary_key_conflict
CREATE TABLE slugs (
  slug TEXT PRIMARY KEY ON CONFLICT ABORT,
  target TEXT NOT NULL
) WITHOUT ROWID;

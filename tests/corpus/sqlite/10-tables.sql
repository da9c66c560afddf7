-- SQLite tables and columns: declared types, NOT NULL, defaults,
-- collations, generated columns, quoting and the ways SQLite keeps what was
-- written (sqlite_master.sql) after ALTER TABLE.

-- definition: lt_base
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT COLLATE NOCASE,
  age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1
);

-- case: lt_same
@definition

-- case: lt_empty
-- verdict: pending

-- case: lt_unrelated_only
-- verdict: pending
CREATE TABLE other (id INTEGER PRIMARY KEY);

-- case: lt_keyword_case
create table users (
  id integer primary key,
  email text not null,
  name text collate nocase,
  age integer default 0,
  score real not null default 1.5,
  created_at text not null default current_timestamp,
  active integer not null default 1
);

-- case: lt_quoting_styles
CREATE TABLE "users" (
  [id] INTEGER PRIMARY KEY,
  `email` TEXT NOT NULL,
  "name" TEXT COLLATE "NOCASE",
  age INTEGER DEFAULT (0),
  score REAL NOT NULL DEFAULT (1.5),
  created_at TEXT NOT NULL DEFAULT (CURRENT_TIMESTAMP),
  active INTEGER NOT NULL DEFAULT 1
);

-- case: lt_if_not_exists_and_comments
CREATE TABLE IF NOT EXISTS users ( -- the users
  id INTEGER PRIMARY KEY, /* rowid alias */
  email TEXT NOT NULL,
  name TEXT COLLATE NOCASE,
  age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1
);

-- case: lt_table_level_primary_key
CREATE TABLE users (
  id INTEGER,
  email TEXT NOT NULL,
  name TEXT COLLATE NOCASE,
  age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (id)
);

-- case: lt_built_by_alter_table
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE,
  age INTEGER DEFAULT 0, score REAL NOT NULL DEFAULT 1.5,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- case: lt_default_empty_string
-- expect: users.created_at column_default
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
ALTER TABLE users ADD COLUMN name TEXT COLLATE NOCASE;
ALTER TABLE users ADD COLUMN age INTEGER DEFAULT 0;
ALTER TABLE users ADD COLUMN score REAL NOT NULL DEFAULT 1.5;
ALTER TABLE users ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- case: lt_renamed_and_back
@definition
ALTER TABLE users RENAME TO users_old;
ALTER TABLE users_old RENAME TO users;
ALTER TABLE users RENAME COLUMN email TO mail;
ALTER TABLE users RENAME COLUMN mail TO email;

-- case: lt_rebuilt_by_copy
CREATE TABLE users_new (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);
ALTER TABLE users_new RENAME TO users;

-- case: lt_default_true_spelling
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT TRUE);

-- case: lt_default_false_spelling_is_zero
-- expect: users.active column_default
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT FALSE,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT (false));

-- case: lt_column_missing
-- expect: users.active missing_column
@definition
ALTER TABLE users DROP COLUMN active;

-- case: lt_column_extra
-- expect: users.nickname extra_column
@definition
ALTER TABLE users ADD COLUMN nickname TEXT;

-- case: lt_column_renamed
-- expect: users.name column_renamed
@definition
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: lt_type_changed
-- expect: users.age column_type
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age TEXT DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_int_primary_key_is_no_rowid_alias
-- expect: users.id column_type
CREATE TABLE users (
  id INT PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_not_null_dropped
-- expect: users.email column_nullability
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_default_changed
-- expect: users.score column_default
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 2.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_default_now_as_datetime
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT (datetime('now')),
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_default_dropped
-- expect: users.age column_default
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_default_string_not_number
-- expect: users.age column_default
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT '0',
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_collation_dropped
-- expect: users.name column_collation
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_collation_rtrim
-- expect: users.name column_collation
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT COLLATE RTRIM, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_column_order
-- expect: users column_order
CREATE TABLE users (
  id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, email TEXT NOT NULL, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- case: lt_pk_missing
-- expect: users.PRIMARY KEY missing_primary_key
CREATE TABLE users (
  id INTEGER, email TEXT NOT NULL, name TEXT COLLATE NOCASE, age INTEGER DEFAULT 0,
  score REAL NOT NULL DEFAULT 1.5, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active INTEGER NOT NULL DEFAULT 1);

-- definition: lt_types
CREATE TABLE m (
  a VARCHAR(100),
  b NUMERIC(10, 2),
  c DATETIME,
  d BOOLEAN,
  e BLOB,
  f DOUBLE PRECISION,
  g
);

-- case: ltypes_same
@definition

-- case: ltypes_lower_case
CREATE TABLE m (a varchar(100), b numeric(10, 2), c datetime, d boolean, e blob, f double precision, g);

-- case: ltypes_spacing
CREATE TABLE m (a VARCHAR( 100 ), b NUMERIC(10,2), c DATETIME, d BOOLEAN, e BLOB, f DOUBLE   PRECISION, g);

-- case: ltypes_length_changed
-- expect: m.a column_type
CREATE TABLE m (a VARCHAR(200), b NUMERIC(10, 2), c DATETIME, d BOOLEAN, e BLOB, f DOUBLE PRECISION, g);

-- case: ltypes_untyped_column_typed
-- expect: m.g column_type
CREATE TABLE m (a VARCHAR(100), b NUMERIC(10, 2), c DATETIME, d BOOLEAN, e BLOB, f DOUBLE PRECISION, g ANY);

-- case: ltypes_affinity_same_name_differs
-- expect: m.c column_type
CREATE TABLE m (a VARCHAR(100), b NUMERIC(10, 2), c TIMESTAMP, d BOOLEAN, e BLOB, f DOUBLE PRECISION, g);

-- definition: lt_generated
CREATE TABLE inv (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS (qty * price) VIRTUAL,
  label TEXT AS (upper(substr('x' || id, 1, 8))) STORED
);

-- case: lgen_same
@definition

-- case: lgen_short_forms
CREATE TABLE inv (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  price REAL NOT NULL,
  total REAL AS (qty * price),
  label TEXT GENERATED ALWAYS AS (UPPER(SUBSTR('x' || id, 1, 8))) STORED
);

-- case: lgen_parentheses
CREATE TABLE inv (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS ((qty) * (price)) VIRTUAL,
  label TEXT AS ((upper(substr(('x' || id), 1, 8)))) STORED
);

-- case: lgen_virtual_to_stored
-- expect: inv.total column_generated
CREATE TABLE inv (
  id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS (qty * price) STORED,
  label TEXT AS (upper(substr('x' || id, 1, 8))) STORED);

-- case: lgen_expression_changed
-- expect: inv.total column_generated
CREATE TABLE inv (
  id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS (qty + price) VIRTUAL,
  label TEXT AS (upper(substr('x' || id, 1, 8))) STORED);

-- case: lgen_plain_column
-- expect: inv.label column_generated
CREATE TABLE inv (
  id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS (qty * price) VIRTUAL,
  label TEXT);

-- definition: lt_options
CREATE TABLE kv (
  k TEXT PRIMARY KEY,
  v BLOB
) WITHOUT ROWID;
CREATE TABLE seqd (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  body TEXT
);
CREATE TABLE strict_t (
  id INTEGER PRIMARY KEY,
  n INTEGER NOT NULL,
  any_v ANY
) STRICT;

-- case: lopt_same
@definition

-- case: lopt_lower_case_options
create table kv (k text primary key, v blob) without rowid;
create table seqd (id integer primary key autoincrement, body text);
create table strict_t (id integer primary key, n integer not null, any_v any) strict;

-- case: lopt_without_rowid_dropped
-- expect: kv table_without_rowid
-- expect: kv.k column_nullability
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE seqd (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, any_v ANY) STRICT;

-- case: lopt_autoincrement_dropped
-- expect: seqd table_autoincrement
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
CREATE TABLE seqd (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, any_v ANY) STRICT;

-- case: lopt_strict_dropped
-- expect: strict_t table_strict
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
CREATE TABLE seqd (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, any_v ANY);

-- case: lopt_primary_key_column_changed
-- expect: kv.PRIMARY KEY primary_key_columns
-- expect: kv.k column_nullability
-- expect: kv.v column_nullability
CREATE TABLE kv (k TEXT, v BLOB, PRIMARY KEY (v)) WITHOUT ROWID;
CREATE TABLE seqd (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, any_v ANY) STRICT;

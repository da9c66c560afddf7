-- SQLite: what lies around a schema (rows, ANALYZE's sqlite_stat1, views,
-- triggers, user_version) is not drift under scope: definition; more
-- spellings of the same table; near misses that are drift.

-- definition: la_base
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_same
@definition

-- case: la_rows_analyze_views_triggers
@definition
INSERT INTO items (sku, qty, kind) VALUES ('a', 1, 'a'), ('b', 2, 'b'), ('c', 3, 'a');
ANALYZE;
CREATE VIEW cheap_items AS SELECT id, sku FROM items WHERE price < 10;
CREATE TABLE scratch (id INTEGER PRIMARY KEY);
CREATE TRIGGER scratch_touch AFTER UPDATE ON scratch BEGIN SELECT 1; END;
PRAGMA user_version = 42;

-- case: la_rowid_alias_asc
CREATE TABLE items (
  id INTEGER PRIMARY KEY ASC,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_double_equals_and_action_order
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind == 'a' OR kind == 'b'),
  parent_id INTEGER REFERENCES "items" ("id") ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_whitespace_and_comments_in_sql
CREATE TABLE items(id INTEGER PRIMARY KEY,sku TEXT NOT NULL UNIQUE,qty INTEGER NOT NULL DEFAULT 0 CHECK(qty>=0),
  price NUMERIC NOT NULL DEFAULT 1, -- a comment
  kind TEXT CHECK (kind='a' /* one */ OR kind='b'),
  parent_id INTEGER REFERENCES items(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE INDEX ix_items_kind_qty ON items(kind,qty);

-- case: la_kind_as_in_list
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind IN ('a', 'b')),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_check_upper_bound_added
-- expect: items.CHECK (qty >= 0) check_expression
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0 AND qty <= 1000),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_real_default
-- expect: items.price column_default
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1.5,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_decimal_not_numeric
-- expect: items.price column_type
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price DECIMAL NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_on_update_dropped
-- expect: items.FOREIGN KEY (parent_id) REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE foreign_key_action
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  price NUMERIC NOT NULL DEFAULT 1,
  kind TEXT CHECK (kind = 'a' OR kind = 'b'),
  parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE
);
CREATE INDEX ix_items_kind_qty ON items (kind, qty);

-- case: la_index_columns_reordered
-- expect: items.ix_items_kind_qty index_columns
@definition
DROP INDEX ix_items_kind_qty;
CREATE INDEX ix_items_kind_qty ON items (qty, kind);

-- case: la_unique_index_extra
-- expect: items.ux_items_sku extra_index
@definition
CREATE UNIQUE INDEX ux_items_sku ON items (sku);

-- definition: la_between
CREATE TABLE r (q INTEGER CHECK (q BETWEEN 1 AND 5), s TEXT CHECK (s LIKE 'a%'));

-- case: la_between_same
@definition

-- case: la_between_expanded
CREATE TABLE r (q INTEGER CHECK (q >= 1 AND q <= 5), s TEXT CHECK (s LIKE 'a%'));

-- case: la_between_bounds_changed
-- expect: r.CHECK (q BETWEEN 1 AND 5) check_expression
CREATE TABLE r (q INTEGER CHECK (q BETWEEN 0 AND 5), s TEXT CHECK (s LIKE 'a%'));

-- case: la_like_to_glob
-- expect: r.CHECK (s LIKE 'a%') check_expression
CREATE TABLE r (q INTEGER CHECK (q BETWEEN 1 AND 5), s TEXT CHECK (s GLOB 'a*'));

-- definition: scope_lite
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX ix_accounts_name ON accounts (name);

-- case: scope_lite_same
-- scope: schema
@definition

-- case: scope_lite_same_spelled_otherwise
-- scope: schema
create table "accounts" ( "id" integer primary key , "name" text not null );
create index [ix_accounts_name] on accounts(name);

-- case: scope_lite_extra_dropped_again
-- scope: schema
@definition
CREATE TABLE scratch (id INTEGER);
CREATE VIEW scratch_view AS SELECT id FROM scratch;
DROP VIEW scratch_view;
DROP TABLE scratch;

-- case: scope_lite_empty
-- scope: schema
-- verdict: pending

-- case: scope_lite_extra_table
-- scope: schema
-- expect: audit extra_table
@definition
CREATE TABLE audit (id INTEGER, at TEXT);

-- case: scope_lite_extra_table_with_index
-- scope: schema
-- expect: audit extra_table
@definition
CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT);
CREATE INDEX ix_audit_at ON audit (at);

-- case: scope_lite_extra_index
-- scope: schema
-- expect: accounts.ix_accounts_id_name extra_index
@definition
CREATE INDEX ix_accounts_id_name ON accounts (id, name);

-- case: scope_lite_extra_view
-- scope: schema
-- expect: named_accounts extra_view
@definition
CREATE VIEW named_accounts AS SELECT id, name FROM accounts WHERE name <> '';

-- case: scope_lite_extra_trigger
-- scope: schema
-- expect: accounts.accounts_touch extra_trigger
@definition
CREATE TRIGGER accounts_touch AFTER INSERT ON accounts BEGIN SELECT 1; END;

-- case: scope_lite_extra_table_with_trigger
-- scope: schema
-- expect: audit extra_table
@definition
CREATE TABLE audit (id INTEGER, at TEXT);
CREATE TRIGGER audit_touch AFTER INSERT ON audit BEGIN SELECT 1; END;

-- case: scope_lite_only_extra_table
-- scope: schema
-- expect: accounts missing_table
-- expect: audit extra_table
CREATE TABLE audit (id INTEGER, at TEXT);

-- case: scope_lite_extra_table_in_definition_scope
@definition
CREATE TABLE audit (id INTEGER, at TEXT);

-- definition: la_reserved
CREATE TABLE "order" (
  "user" TEXT NOT NULL PRIMARY KEY,
  "group" INTEGER,
  "unit price" REAL,
  "Select" INTEGER
);
CREATE INDEX "order by group" ON "order" ("group") WHERE "Select" = 1;

-- case: la_reserved_same
@definition

-- case: la_reserved_other_quotes
CREATE TABLE [order] ([user] TEXT NOT NULL PRIMARY KEY, `group` INTEGER, [unit price] REAL, "Select" INTEGER);
CREATE INDEX [order by group] ON [order] ([group]) WHERE [Select] = 1;

-- case: la_reserved_type_changed
-- expect: order.unit price column_type
CREATE TABLE "order" ("user" TEXT NOT NULL PRIMARY KEY, "group" INTEGER, "unit price" NUMERIC, "Select" INTEGER);
CREATE INDEX "order by group" ON "order" ("group") WHERE "Select" = 1;

-- Tables as a whole on PostgreSQL: several tables, neighbours the
-- definition does not name (scope: definition ignores them), partitioned
-- tables, and table properties the model does not hold yet.

-- definition: tb_two
CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
  id integer PRIMARY KEY,
  author_id integer NOT NULL REFERENCES authors ON DELETE RESTRICT,
  title text NOT NULL
);
CREATE INDEX ix_books_author ON books (author_id);

-- case: tb_same
@definition

-- case: tb_neighbours_ignored
@definition
CREATE TABLE reviews (id integer PRIMARY KEY, book_id integer REFERENCES books, stars int CHECK (stars BETWEEN 1 AND 5));
CREATE INDEX ix_reviews_book ON reviews (book_id);
CREATE TABLE "Books" (id text);
CREATE SEQUENCE unrelated_seq;

-- case: tb_one_table_missing
-- expect: books missing_table
CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);

-- case: tb_both_changed
-- expect: authors.name column_nullability
-- expect: books.ix_books_author missing_index
@definition
ALTER TABLE authors ALTER COLUMN name DROP NOT NULL;
DROP INDEX ix_books_author;

-- case: tb_dropped_and_recreated_in_reverse
CREATE TABLE books (id integer PRIMARY KEY, author_id integer NOT NULL, title text NOT NULL);
CREATE INDEX ix_books_author ON books (author_id);
CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);
ALTER TABLE books ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE RESTRICT;

-- case: tb_columns_with_dropped_neighbour
CREATE TABLE authors (id integer PRIMARY KEY, legacy text, name text NOT NULL);
ALTER TABLE authors DROP COLUMN legacy;
CREATE TABLE books (id integer PRIMARY KEY, author_id integer NOT NULL REFERENCES authors ON DELETE RESTRICT, title text NOT NULL);
CREATE INDEX ix_books_author ON books (author_id);

-- case: tb_unlogged
-- expect: books table_persistence
@definition
ALTER TABLE books SET UNLOGGED;

-- case: tb_row_level_security
-- expect: books table_row_security
@definition
ALTER TABLE books ENABLE ROW LEVEL SECURITY;

-- definition: tb_partitioned
CREATE TABLE measurements (
  city_id integer NOT NULL,
  logdate date NOT NULL,
  peak integer,
  CONSTRAINT measurements_pkey PRIMARY KEY (city_id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ix_measurements_peak ON measurements (peak);

-- case: part_same
@definition

-- case: part_partition_attached_later
CREATE TABLE measurements (city_id integer NOT NULL, logdate date NOT NULL, peak integer,
  CONSTRAINT measurements_pkey PRIMARY KEY (city_id, logdate)) PARTITION BY RANGE (logdate);
CREATE INDEX ix_measurements_peak ON measurements (peak);
CREATE TABLE measurements_2024 (city_id integer NOT NULL, logdate date NOT NULL, peak integer);
ALTER TABLE measurements ATTACH PARTITION measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- case: part_index_missing
-- expect: measurements.ix_measurements_peak missing_index
-- expect: measurements_2024.measurements_2024_peak_idx missing_index
@definition
DROP INDEX ix_measurements_peak;

-- case: part_other_key
-- expect: measurements partition_key
-- expect: measurements_2024 partition_bound
CREATE TABLE measurements (city_id integer NOT NULL, logdate date NOT NULL, peak integer,
  CONSTRAINT measurements_pkey PRIMARY KEY (city_id, logdate)) PARTITION BY LIST (city_id);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES IN (2024);
CREATE INDEX ix_measurements_peak ON measurements (peak);

-- case: part_other_bounds
-- expect: measurements_2024 partition_bound
CREATE TABLE measurements (city_id integer NOT NULL, logdate date NOT NULL, peak integer,
  CONSTRAINT measurements_pkey PRIMARY KEY (city_id, logdate)) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE INDEX ix_measurements_peak ON measurements (peak);

-- With `scope: schema` (definitions.md) the whole schema must equal the
-- definition; anything extra is drift.

-- definition: scope_pg
CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL);
CREATE INDEX ix_accounts_name ON accounts (name);

-- case: scope_pg_same
-- scope: schema
-- todo: scope: schema is refused by the configuration today
@definition

-- case: scope_pg_empty
-- scope: schema
-- verdict: pending
-- todo: scope: schema is refused by the configuration today

-- case: scope_pg_extra_table
-- scope: schema
-- todo: scope: schema is refused by the configuration today
-- expect: audit extra_table
@definition
CREATE TABLE audit (id integer, at timestamptz);

-- case: scope_pg_extra_table_in_definition_scope
CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL);
CREATE INDEX ix_accounts_name ON accounts (name);
CREATE TABLE audit (id integer, at timestamptz);

-- Reserved words and blanks in names: the catalogs hold names as they are,
-- whatever quoting built them.

-- definition: names_reserved
CREATE TABLE "order" (
  "user" text NOT NULL,
  "group" integer,
  "unit price" numeric(8,2),
  "Select" boolean,
  CONSTRAINT "order pkey" PRIMARY KEY ("user")
);
CREATE INDEX "order by group" ON "order" ("group") WHERE "Select";

-- case: names_reserved_same
@definition

-- case: names_reserved_built_by_alter
CREATE TABLE "order" ("user" text NOT NULL);
ALTER TABLE "order" ADD COLUMN "group" int4, ADD COLUMN "unit price" decimal(8,2), ADD COLUMN "Select" bool;
ALTER TABLE "order" ADD CONSTRAINT "order pkey" PRIMARY KEY ("user");
CREATE INDEX "order by group" ON "order" USING btree ("group") WHERE ("Select");

-- case: names_reserved_type_changed
-- expect: order.unit price column_type
@definition
ALTER TABLE "order" ALTER COLUMN "unit price" TYPE numeric(9,2);

-- case: names_case_differs
-- expect: order.Select column_renamed
-- expect: order.order by group missing_index
CREATE TABLE "order" ("user" text NOT NULL, "group" integer, "unit price" numeric(8,2), "select" boolean,
  CONSTRAINT "order pkey" PRIMARY KEY ("user"));

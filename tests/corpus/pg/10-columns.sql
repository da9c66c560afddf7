-- Columns on PostgreSQL: types and their spellings, NOT NULL, defaults,
-- collations, identity and generated columns.

-- definition: col_base
CREATE TABLE items (
  id bigint NOT NULL,
  name varchar(100) NOT NULL,
  price numeric(10,2) DEFAULT 0,
  qty integer NOT NULL DEFAULT 1,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  flags boolean DEFAULT false,
  CONSTRAINT items_pkey PRIMARY KEY (id)
);

-- case: col_same
@definition

-- case: col_empty_schema
-- verdict: pending

-- case: col_type_aliases
CREATE TABLE items (
  id int8 NOT NULL,
  name character varying(100) NOT NULL,
  price decimal(10,2) DEFAULT 0,
  qty int4 NOT NULL DEFAULT 1,
  note text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  flags bool DEFAULT false,
  CONSTRAINT items_pkey PRIMARY KEY (id)
);

-- case: col_upper_case_identifiers
CREATE TABLE ITEMS (
  ID BIGINT NOT NULL,
  NAME VARCHAR(100) NOT NULL,
  PRICE NUMERIC(10,2) DEFAULT 0,
  QTY INTEGER NOT NULL DEFAULT 1,
  NOTE TEXT,
  CREATED_AT TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  FLAGS BOOLEAN DEFAULT FALSE,
  CONSTRAINT ITEMS_PKEY PRIMARY KEY (ID)
);

-- case: col_quoted_identifiers
CREATE TABLE "items" (
  "id" bigint NOT NULL,
  "name" varchar(100) NOT NULL,
  "price" numeric(10,2) DEFAULT 0,
  "qty" integer NOT NULL DEFAULT 1,
  "note" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "flags" boolean DEFAULT false,
  CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);

-- case: col_default_spellings
CREATE TABLE items (
  id bigint NOT NULL,
  name varchar(100) NOT NULL,
  price numeric(10,2) DEFAULT (0),
  qty integer NOT NULL DEFAULT '1',
  note text DEFAULT NULL,
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  flags boolean DEFAULT 'false',
  CONSTRAINT items_pkey PRIMARY KEY (id)
);

-- case: col_default_current_timestamp
CREATE TABLE items (
  id bigint NOT NULL,
  name varchar(100) NOT NULL,
  price numeric(10,2) DEFAULT 0,
  qty integer NOT NULL DEFAULT 1,
  note text,
  created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  flags boolean DEFAULT false,
  CONSTRAINT items_pkey PRIMARY KEY (id)
);

-- case: col_built_by_alter_table
CREATE TABLE items (id bigint NOT NULL);
ALTER TABLE items ADD COLUMN name varchar(100);
ALTER TABLE items ALTER COLUMN name SET NOT NULL;
ALTER TABLE items ADD COLUMN price numeric(10,2);
ALTER TABLE items ALTER COLUMN price SET DEFAULT 0;
ALTER TABLE items ADD COLUMN qty integer NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN note text;
ALTER TABLE items ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE items ADD COLUMN flags boolean DEFAULT false;
ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY (id);

-- case: col_retyped_and_back
@definition
ALTER TABLE items ALTER COLUMN qty TYPE bigint;
ALTER TABLE items ALTER COLUMN qty TYPE integer;
ALTER TABLE items ALTER COLUMN name TYPE text;
ALTER TABLE items ALTER COLUMN name TYPE varchar(100);

-- case: col_recreated_table
CREATE TABLE items (id int);
DROP TABLE items;
@definition

-- case: col_like_including_all
CREATE TABLE items_template (
  id bigint NOT NULL, name varchar(100) NOT NULL, price numeric(10,2) DEFAULT 0,
  qty integer NOT NULL DEFAULT 1, note text, created_at timestamptz NOT NULL DEFAULT now(),
  flags boolean DEFAULT false);
CREATE TABLE items (LIKE items_template INCLUDING ALL, CONSTRAINT items_pkey PRIMARY KEY (id));

-- case: col_default_dropped_and_set_again
@definition
ALTER TABLE items ALTER COLUMN qty DROP DEFAULT;
ALTER TABLE items ALTER COLUMN qty SET DEFAULT 1;
ALTER TABLE items ALTER COLUMN note SET NOT NULL;
ALTER TABLE items ALTER COLUMN note DROP NOT NULL;

-- case: col_unrelated_neighbours
@definition
CREATE TABLE other_items (id int, name text);
CREATE INDEX other_items_name ON other_items (name);
CREATE VIEW items_view AS SELECT id FROM items;

-- case: col_missing
-- expect: items.note missing_column
CREATE TABLE items (
  id bigint NOT NULL, name varchar(100) NOT NULL, price numeric(10,2) DEFAULT 0,
  qty integer NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT now(),
  flags boolean DEFAULT false, CONSTRAINT items_pkey PRIMARY KEY (id));

-- case: col_dropped_later
-- expect: items.flags missing_column
@definition
ALTER TABLE items DROP COLUMN flags;

-- case: col_extra
-- expect: items.sku extra_column
@definition
ALTER TABLE items ADD COLUMN sku text;

-- case: col_type_int_to_bigint
-- expect: items.qty column_type
@definition
ALTER TABLE items ALTER COLUMN qty TYPE bigint;

-- case: col_varchar_length
-- expect: items.name column_type
@definition
ALTER TABLE items ALTER COLUMN name TYPE varchar(200);

-- case: col_varchar_to_text
-- expect: items.name column_type
@definition
ALTER TABLE items ALTER COLUMN name TYPE text;

-- case: col_numeric_scale
-- expect: items.price column_type
@definition
ALTER TABLE items ALTER COLUMN price TYPE numeric(10,3);

-- case: col_timestamptz_to_timestamp
-- expect: items.created_at column_type
@definition
ALTER TABLE items ALTER COLUMN created_at TYPE timestamp;

-- case: col_timestamp_precision
-- expect: items.created_at column_type
@definition
ALTER TABLE items ALTER COLUMN created_at TYPE timestamptz(3);

-- case: col_set_not_null
-- expect: items.note column_nullability
@definition
ALTER TABLE items ALTER COLUMN note SET NOT NULL;

-- case: col_drop_not_null
-- expect: items.qty column_nullability
@definition
ALTER TABLE items ALTER COLUMN qty DROP NOT NULL;

-- case: col_default_changed
-- expect: items.qty column_default
@definition
ALTER TABLE items ALTER COLUMN qty SET DEFAULT 2;

-- case: col_default_dropped
-- expect: items.created_at column_default
@definition
ALTER TABLE items ALTER COLUMN created_at DROP DEFAULT;

-- case: col_default_added
-- expect: items.note column_default
@definition
ALTER TABLE items ALTER COLUMN note SET DEFAULT '';

-- case: col_default_false_to_true
-- expect: items.flags column_default
@definition
ALTER TABLE items ALTER COLUMN flags SET DEFAULT true;

-- case: col_order_swapped
-- expect: items column_order
CREATE TABLE items (
  id bigint NOT NULL, price numeric(10,2) DEFAULT 0, name varchar(100) NOT NULL,
  qty integer NOT NULL DEFAULT 1, note text, created_at timestamptz NOT NULL DEFAULT now(),
  flags boolean DEFAULT false, CONSTRAINT items_pkey PRIMARY KEY (id));

-- case: col_dropped_and_readded
-- expect: items column_order
@definition
ALTER TABLE items DROP COLUMN note;
ALTER TABLE items ADD COLUMN note text;

-- case: col_renamed
-- expect: items.note column_renamed
@definition
ALTER TABLE items RENAME COLUMN note TO remark;

-- case: col_two_changes_one_table
-- expect: items.qty column_type
-- expect: items.qty column_default
-- expect: items.note column_nullability
@definition
ALTER TABLE items ALTER COLUMN qty TYPE smallint, ALTER COLUMN qty SET DEFAULT 5;
ALTER TABLE items ALTER COLUMN note SET NOT NULL;

-- case: col_table_renamed
-- verdict: pending
@definition
ALTER TABLE items RENAME TO items_old;

-- case: col_mixed_case_quoted_table
-- verdict: pending
CREATE TABLE "Items" (id bigint NOT NULL PRIMARY KEY);

-- definition: col_types
CREATE TABLE t (
  a integer[],
  b double precision,
  c real,
  d character(1),
  e bit varying(5),
  f time with time zone,
  g interval,
  h jsonb DEFAULT '{}'::jsonb,
  i uuid,
  j smallint,
  k timestamp without time zone,
  l text[] DEFAULT '{}'::text[],
  m bytea
);

-- case: types_same
@definition

-- case: types_spellings
CREATE TABLE t (
  a int[],
  b float8,
  c float4,
  d char,
  e varbit(5),
  f timetz,
  g interval,
  h jsonb DEFAULT '{}',
  i uuid,
  j int2,
  k timestamp,
  l text[] DEFAULT '{}',
  m bytea
);

-- case: types_float_precision
CREATE TABLE t (
  a integer ARRAY,
  b float,
  c float(24),
  d character,
  e bit varying(5),
  f time with time zone,
  g interval,
  h jsonb DEFAULT CAST('{}' AS jsonb),
  i uuid,
  j smallint,
  k timestamp,
  l text[] DEFAULT '{}'::text[],
  m bytea
);

-- case: types_array_dimensions_ignored
CREATE TABLE t (
  a integer[][],
  b double precision,
  c real,
  d character(1),
  e bit varying(5),
  f time with time zone,
  g interval,
  h jsonb DEFAULT '{}'::jsonb,
  i uuid,
  j smallint,
  k timestamp without time zone,
  l text[3] DEFAULT '{}'::text[],
  m bytea
);

-- case: types_json_not_jsonb
-- expect: t.h column_type
@definition
ALTER TABLE t ALTER COLUMN h DROP DEFAULT, ALTER COLUMN h TYPE json USING h::json;
ALTER TABLE t ALTER COLUMN h SET DEFAULT '{}'::json;

-- case: types_empty_array_constructor
-- todo: DEFAULT ARRAY[]::text[] and '{}'::text[] are the same empty array; compared as different text today
CREATE TABLE t (
  a integer[], b double precision, c real, d character(1), e bit varying(5),
  f time with time zone, g interval, h jsonb DEFAULT '{}'::jsonb, i uuid, j smallint,
  k timestamp without time zone, l text[] DEFAULT ARRAY[]::text[], m bytea
);

-- case: types_time_precision
-- expect: t.f column_type
-- expect: t.k column_type
@definition
ALTER TABLE t ALTER COLUMN f TYPE time(3) with time zone, ALTER COLUMN k TYPE timestamp(0);

-- case: types_array_element
-- expect: t.a column_type
@definition
ALTER TABLE t ALTER COLUMN a TYPE bigint[];

-- case: types_not_an_array
-- expect: t.l column_type
-- expect: t.l column_default
@definition
ALTER TABLE t ALTER COLUMN l DROP DEFAULT, ALTER COLUMN l TYPE text;

-- case: types_double_to_real
-- expect: t.b column_type
@definition
ALTER TABLE t ALTER COLUMN b TYPE real;

-- case: types_char_length
-- expect: t.d column_type
@definition
ALTER TABLE t ALTER COLUMN d TYPE character(2);

-- case: types_interval_fields
-- expect: t.g column_type
@definition
ALTER TABLE t ALTER COLUMN g TYPE interval day to second;

-- case: types_timetz_to_time
-- expect: t.f column_type
@definition
ALTER TABLE t ALTER COLUMN f TYPE time;

-- definition: col_collation
CREATE TABLE c (
  code text COLLATE "C" NOT NULL,
  label varchar(50),
  CONSTRAINT c_pkey PRIMARY KEY (code)
);

-- case: coll_same
@definition

-- case: coll_collate_spelled_unquoted
CREATE TABLE c (
  code text NOT NULL COLLATE pg_catalog."C",
  label character varying(50) COLLATE "default",
  PRIMARY KEY (code)
);

-- case: coll_missing
-- expect: c.code column_collation
CREATE TABLE c (code text NOT NULL, label varchar(50), CONSTRAINT c_pkey PRIMARY KEY (code));

-- case: coll_added
-- expect: c.label column_collation
@definition
ALTER TABLE c ALTER COLUMN label TYPE varchar(50) COLLATE "POSIX";

-- definition: col_identity
CREATE TABLE ev (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seq integer GENERATED BY DEFAULT AS IDENTITY,
  amount numeric(12,2) NOT NULL,
  tax numeric(12,2) GENERATED ALWAYS AS (amount * 0.2) STORED,
  label text
);

-- case: ident_same
@definition

-- case: ident_options_spelled_out
CREATE TABLE ev (
  id int8 NOT NULL GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  seq int4 NOT NULL GENERATED BY DEFAULT AS IDENTITY,
  amount decimal(12,2) NOT NULL,
  tax numeric(12,2) GENERATED ALWAYS AS ((amount * 0.2)) STORED,
  label text,
  CONSTRAINT ev_pkey PRIMARY KEY (id)
);

-- case: ident_added_later
CREATE TABLE ev (id bigint NOT NULL, seq integer NOT NULL, amount numeric(12,2) NOT NULL,
  tax numeric(12,2) GENERATED ALWAYS AS (amount * 0.2) STORED, label text);
ALTER TABLE ev ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
ALTER TABLE ev ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE ev ADD PRIMARY KEY (id);

-- case: ident_always_to_by_default
-- expect: ev.id column_identity
@definition
ALTER TABLE ev ALTER COLUMN id SET GENERATED BY DEFAULT;

-- case: ident_dropped
-- expect: ev.seq column_identity
@definition
ALTER TABLE ev ALTER COLUMN seq DROP IDENTITY;

-- case: ident_plain_column
-- expect: ev.id column_identity
CREATE TABLE ev (
  id bigint NOT NULL PRIMARY KEY,
  seq integer GENERATED BY DEFAULT AS IDENTITY,
  amount numeric(12,2) NOT NULL,
  tax numeric(12,2) GENERATED ALWAYS AS (amount * 0.2) STORED,
  label text
);

-- case: gen_expression_changed
-- expect: ev.tax column_generated
CREATE TABLE ev (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seq integer GENERATED BY DEFAULT AS IDENTITY,
  amount numeric(12,2) NOT NULL,
  tax numeric(12,2) GENERATED ALWAYS AS (amount * 0.25) STORED,
  label text
);

-- case: gen_plain_column
-- expect: ev.tax column_generated
CREATE TABLE ev (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seq integer GENERATED BY DEFAULT AS IDENTITY,
  amount numeric(12,2) NOT NULL,
  tax numeric(12,2),
  label text
);

-- case: gen_expression_dropped
-- expect: ev.tax column_generated
@definition
ALTER TABLE ev ALTER COLUMN tax DROP EXPRESSION;

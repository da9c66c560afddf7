-- PRIMARY KEY, UNIQUE and CHECK constraints on PostgreSQL: inline or at
-- table level or added later, the server's rewriting of CHECK expressions,
-- and every way they can drift.

-- definition: con_base
CREATE TABLE orders (
  id integer NOT NULL,
  code text NOT NULL,
  status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL,
  price numeric(10,2),
  region text,
  email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id),
  CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ck_orders_price CHECK (price >= 0),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_same
@definition

-- case: con_inline
CREATE TABLE orders (
  id integer CONSTRAINT orders_pkey PRIMARY KEY,
  code text NOT NULL CONSTRAINT orders_code_key UNIQUE,
  status text NOT NULL DEFAULT 'new' CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  qty integer NOT NULL CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  price numeric(10,2) CONSTRAINT ck_orders_price CHECK (price >= 0),
  region text,
  email text,
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_default_names
CREATE TABLE orders (
  id integer PRIMARY KEY,
  code text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL,
  price numeric(10,2),
  region text,
  email text,
  CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ck_orders_price CHECK (price >= 0),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_added_by_alter_table
CREATE TABLE orders (id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL, price numeric(10,2), region text, email text);
ALTER TABLE orders ADD CONSTRAINT ux_orders_region_email UNIQUE (region, email);
ALTER TABLE orders ADD CONSTRAINT ck_orders_price CHECK (price >= 0);
ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000);
ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped'));
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

-- case: con_not_valid_then_validated
CREATE TABLE orders (id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email));
ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT ck_orders_price CHECK (price >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_status;
ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_qty;
ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_price;

-- case: con_pk_and_unique_using_index
CREATE TABLE orders (id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ck_orders_price CHECK (price >= 0));
CREATE UNIQUE INDEX orders_pkey ON orders (id);
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;
CREATE UNIQUE INDEX orders_code_key ON orders (code);
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;
CREATE UNIQUE INDEX ux_orders_region_email ON orders (region, email);
ALTER TABLE orders ADD CONSTRAINT ux_orders_region_email UNIQUE USING INDEX ux_orders_region_email;

-- case: con_check_any_array
CREATE TABLE orders (
  id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new'::text,
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ck_orders_status CHECK (status = ANY (ARRAY['new'::text, 'paid'::text, 'shipped'::text])),
  CONSTRAINT ck_orders_qty CHECK ((qty > 0) AND (qty <= 1000)),
  CONSTRAINT ck_orders_price CHECK ((price >= (0)::numeric)),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_check_redundant_parentheses
CREATE TABLE orders (
  id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT ('new'),
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ck_orders_status CHECK (((status) IN (('new'), ('paid'), ('shipped')))),
  CONSTRAINT ck_orders_qty CHECK ((((qty > 0)) AND ((qty <= 1000)))),
  CONSTRAINT ck_orders_price CHECK (((price) >= (0))),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_check_between_and_casts
CREATE TABLE orders (
  id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT CAST('new' AS text),
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ck_orders_status CHECK (status IN ('new'::text, CAST('paid' AS text), 'shipped')),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ck_orders_price CHECK (price >= 0::numeric),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email)
);

-- case: con_created_in_reverse_order
CREATE TABLE orders (
  id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT ux_orders_region_email UNIQUE (region, email),
  CONSTRAINT ck_orders_price CHECK (price >= 0),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT orders_pkey PRIMARY KEY (id)
);

-- case: con_check_never_validated
-- expect: orders.ck_orders_price constraint_not_valid
CREATE TABLE orders (id integer NOT NULL, code text NOT NULL, status text NOT NULL DEFAULT 'new',
  qty integer NOT NULL, price numeric(10,2), region text, email text,
  CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT orders_code_key UNIQUE (code),
  CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped')),
  CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty <= 1000),
  CONSTRAINT ux_orders_region_email UNIQUE (region, email));
ALTER TABLE orders ADD CONSTRAINT ck_orders_price CHECK (price >= 0) NOT VALID;

-- case: con_pk_missing
-- expect: orders.orders_pkey missing_primary_key
@definition
ALTER TABLE orders DROP CONSTRAINT orders_pkey;

-- case: con_pk_renamed
-- expect: orders.orders_pkey constraint_renamed
@definition
ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO pk_orders;

-- case: con_pk_columns
-- expect: orders.orders_pkey primary_key_columns
@definition
ALTER TABLE orders DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, code);

-- case: con_unique_missing
-- expect: orders.orders_code_key missing_unique
@definition
ALTER TABLE orders DROP CONSTRAINT orders_code_key;

-- case: con_unique_extra
-- expect: orders.orders_status_key extra_unique
@definition
ALTER TABLE orders ADD UNIQUE (status);

-- case: con_unique_columns
-- expect: orders.ux_orders_region_email unique_columns
@definition
ALTER TABLE orders DROP CONSTRAINT ux_orders_region_email;
ALTER TABLE orders ADD CONSTRAINT ux_orders_region_email UNIQUE (email, region);

-- case: con_unique_renamed
-- expect: orders.ux_orders_region_email constraint_renamed
@definition
ALTER TABLE orders RENAME CONSTRAINT ux_orders_region_email TO uq_region_email;

-- case: con_unique_nulls_not_distinct
-- expect: orders.ux_orders_region_email unique_nulls
@definition
ALTER TABLE orders DROP CONSTRAINT ux_orders_region_email;
ALTER TABLE orders ADD CONSTRAINT ux_orders_region_email UNIQUE NULLS NOT DISTINCT (region, email);

-- case: con_unique_as_plain_index
-- expect: orders.orders_code_key missing_unique
-- expect: orders.orders_code_key extra_index
@definition
ALTER TABLE orders DROP CONSTRAINT orders_code_key;
CREATE UNIQUE INDEX orders_code_key ON orders (code);

-- case: con_unique_deferrable
-- expect: orders.orders_code_key unique_deferrable
@definition
ALTER TABLE orders DROP CONSTRAINT orders_code_key;
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code) DEFERRABLE;

-- case: con_check_missing
-- expect: orders.ck_orders_price missing_check
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_price;

-- case: con_check_extra
-- expect: orders.ck_orders_email extra_check
@definition
ALTER TABLE orders ADD CONSTRAINT ck_orders_email CHECK (email LIKE '%@%');

-- case: con_check_list_changed
-- expect: orders.ck_orders_status check_expression
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_status;
ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped', 'lost'));

-- case: con_check_list_reordered
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_status;
ALTER TABLE orders ADD CONSTRAINT ck_orders_status CHECK (status IN ('paid', 'new', 'shipped'));

-- case: con_check_bound_changed
-- expect: orders.ck_orders_qty check_expression
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_qty;
ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0 AND qty < 1000);

-- case: con_check_operator_flipped
-- expect: orders.ck_orders_price check_expression
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_price;
ALTER TABLE orders ADD CONSTRAINT ck_orders_price CHECK (price > 0);

-- case: con_check_renamed
-- expect: orders.ck_orders_price constraint_renamed
@definition
ALTER TABLE orders RENAME CONSTRAINT ck_orders_price TO orders_price_check;

-- case: con_check_and_or_precedence
-- expect: orders.ck_orders_qty check_expression
@definition
ALTER TABLE orders DROP CONSTRAINT ck_orders_qty;
ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0 OR qty <= 1000);

-- definition: con_checks
CREATE TABLE p (
  a integer,
  b integer,
  s text,
  d date,
  CONSTRAINT ck_between CHECK (a BETWEEN 1 AND 10),
  CONSTRAINT ck_ne CHECK (b <> 0),
  CONSTRAINT ck_like CHECK (s LIKE 'x%'),
  CONSTRAINT ck_notnull CHECK (s IS NOT NULL OR a IS NULL),
  CONSTRAINT ck_single_in CHECK (b IN (5)),
  CONSTRAINT ck_case CHECK (CASE WHEN a > 5 THEN b > 0 ELSE true END),
  CONSTRAINT ck_coalesce CHECK (coalesce(a, 0) >= 0),
  CONSTRAINT ck_date CHECK (d > '2020-01-01')
);

-- case: ck_same
@definition

-- case: ck_server_spellings
CREATE TABLE p (
  a integer,
  b integer,
  s text,
  d date,
  CONSTRAINT ck_between CHECK (a >= 1 AND a <= 10),
  CONSTRAINT ck_ne CHECK (b != 0),
  CONSTRAINT ck_like CHECK (s ~~ 'x%'::text),
  CONSTRAINT ck_notnull CHECK ((s NOTNULL) OR (a ISNULL)),
  CONSTRAINT ck_single_in CHECK (b = 5),
  CONSTRAINT ck_case CHECK (CASE WHEN (a > 5) THEN (b > 0) ELSE true END),
  CONSTRAINT ck_coalesce CHECK (COALESCE(a, 0) >= 0),
  CONSTRAINT ck_date CHECK (d > '2020-01-01'::date)
);

-- case: ck_keyword_case_and_whitespace
CREATE TABLE p (
  a INTEGER, b INTEGER, s TEXT, d DATE,
  CONSTRAINT CK_BETWEEN CHECK (A   BETWEEN   1 AND 10),
  CONSTRAINT CK_NE CHECK (B<>0),
  CONSTRAINT CK_LIKE CHECK (S like 'x%'),
  CONSTRAINT CK_NOTNULL CHECK (S is not null or A is null),
  CONSTRAINT CK_SINGLE_IN CHECK (B in (5)),
  CONSTRAINT CK_CASE CHECK (case when A > 5 then B > 0 else TRUE end),
  CONSTRAINT CK_COALESCE CHECK (Coalesce(A, 0) >= 0),
  CONSTRAINT CK_DATE CHECK (D > DATE '2020-01-01')
);

-- case: ck_between_bounds_changed
-- expect: p.ck_between check_expression
@definition
ALTER TABLE p DROP CONSTRAINT ck_between;
ALTER TABLE p ADD CONSTRAINT ck_between CHECK (a BETWEEN 1 AND 11);

-- case: ck_like_to_ilike
-- expect: p.ck_like check_expression
@definition
ALTER TABLE p DROP CONSTRAINT ck_like;
ALTER TABLE p ADD CONSTRAINT ck_like CHECK (s ILIKE 'x%');

-- case: ck_case_else_changed
-- expect: p.ck_case check_expression
@definition
ALTER TABLE p DROP CONSTRAINT ck_case;
ALTER TABLE p ADD CONSTRAINT ck_case CHECK (CASE WHEN a > 5 THEN b > 0 ELSE false END);

-- case: ck_date_changed
-- expect: p.ck_date check_expression
@definition
ALTER TABLE p DROP CONSTRAINT ck_date;
ALTER TABLE p ADD CONSTRAINT ck_date CHECK (d >= '2020-01-01');

-- case: ck_two_checks_swapped_names
-- expect: p.ck_ne check_expression
-- expect: p.ck_single_in check_expression
@definition
ALTER TABLE p DROP CONSTRAINT ck_ne, DROP CONSTRAINT ck_single_in;
ALTER TABLE p ADD CONSTRAINT ck_ne CHECK (b IN (5)), ADD CONSTRAINT ck_single_in CHECK (b <> 0);

-- definition: con_composite_pk
CREATE TABLE memberships (
  org_id integer NOT NULL,
  user_id integer NOT NULL,
  role text NOT NULL,
  PRIMARY KEY (org_id, user_id)
);

-- case: cpk_same
@definition

-- case: cpk_added_later
CREATE TABLE memberships (org_id integer, user_id integer, role text NOT NULL);
ALTER TABLE memberships ADD PRIMARY KEY (org_id, user_id);

-- case: cpk_column_order
-- expect: memberships.memberships_pkey primary_key_columns
CREATE TABLE memberships (org_id integer NOT NULL, user_id integer NOT NULL, role text NOT NULL,
  PRIMARY KEY (user_id, org_id));

-- case: cpk_one_column
-- expect: memberships.memberships_pkey primary_key_columns
CREATE TABLE memberships (org_id integer NOT NULL, user_id integer NOT NULL, role text NOT NULL,
  PRIMARY KEY (org_id));

-- case: cpk_unique_instead
-- expect: memberships.memberships_pkey missing_primary_key
-- expect: memberships.memberships_org_id_user_id_key extra_unique
CREATE TABLE memberships (org_id integer NOT NULL, user_id integer NOT NULL, role text NOT NULL,
  UNIQUE (org_id, user_id));

-- case: cpk_exclusion_extra
-- expect: memberships.memberships_role_excl extra_exclusion
@definition
ALTER TABLE memberships ADD EXCLUDE USING btree (role WITH =);

-- More spellings that PostgreSQL stores the same way: automatic constraint
-- and index names, literal and cast forms of defaults, operator spellings
-- in CHECKs and index predicates, and a few that mean the same and are
-- stored apart.

-- definition: sp_names
CREATE TABLE acct (
  id integer PRIMARY KEY,
  org integer NOT NULL,
  login varchar(40) NOT NULL,
  qty integer CHECK (qty > 0),
  parent integer REFERENCES acct,
  UNIQUE (org, login)
);
CREATE INDEX ON acct (org);
CREATE INDEX ON acct (lower(login));

-- case: sp_names_same
@definition

-- case: sp_names_explicit
CREATE TABLE acct (
  id integer NOT NULL,
  org integer NOT NULL,
  login character varying(40) NOT NULL,
  qty integer,
  parent integer,
  CONSTRAINT acct_pkey PRIMARY KEY (id),
  CONSTRAINT acct_org_login_key UNIQUE (org, login),
  CONSTRAINT acct_qty_check CHECK (qty > 0),
  CONSTRAINT acct_parent_fkey FOREIGN KEY (parent) REFERENCES acct (id)
);
CREATE INDEX acct_org_idx ON acct (org);
CREATE INDEX acct_lower_idx ON acct (lower(login::text));

-- case: sp_names_table_level_unnamed
CREATE TABLE acct (
  id integer, org integer NOT NULL, login varchar(40) NOT NULL, qty integer, parent integer,
  PRIMARY KEY (id), UNIQUE (org, login), CHECK (qty > 0), FOREIGN KEY (parent) REFERENCES acct (id)
);
CREATE INDEX ON acct USING btree (org);
CREATE INDEX ON acct (lower((login)::text));

-- case: sp_names_other_auto_index_name
-- expect: acct.acct_lower_idx index_renamed
CREATE TABLE acct (
  id integer PRIMARY KEY, org integer NOT NULL, login varchar(40) NOT NULL,
  qty integer CHECK (qty > 0), parent integer REFERENCES acct, UNIQUE (org, login));
CREATE INDEX acct_lower_idx ON acct (upper(login));
DROP INDEX acct_lower_idx;
CREATE INDEX acct_org_idx ON acct (org);
CREATE INDEX acct_lower_idx1 ON acct (lower(login));

-- definition: sp_defaults
CREATE TABLE d (
  a integer DEFAULT -1,
  b varchar(10) DEFAULT 'abc',
  c boolean DEFAULT true,
  e jsonb DEFAULT '[]',
  f text DEFAULT '',
  g numeric DEFAULT 0.5,
  h date DEFAULT '2024-01-31',
  i bigint DEFAULT 10000000000,
  j text DEFAULT 'it''s'
);

-- case: sp_defaults_same
@definition

-- case: sp_defaults_casts
CREATE TABLE d (
  a integer DEFAULT '-1'::integer,
  b varchar(10) DEFAULT 'abc'::character varying,
  c boolean DEFAULT 't',
  e jsonb DEFAULT '[]'::jsonb,
  f text DEFAULT ''::text,
  g numeric DEFAULT 0.5::numeric,
  h date DEFAULT '2024-01-31'::date,
  i bigint DEFAULT '10000000000'::bigint,
  j text DEFAULT E'it\'s'
);

-- case: sp_defaults_parenthesised
CREATE TABLE d (
  a integer DEFAULT (-1),
  b varchar(10) DEFAULT ('abc'),
  c boolean DEFAULT (TRUE),
  e jsonb DEFAULT ('[]'),
  f text DEFAULT (''),
  g numeric DEFAULT (0.5),
  h date DEFAULT (DATE '2024-01-31'),
  i bigint DEFAULT (10000000000),
  j text DEFAULT ('it''s')
);

-- case: sp_defaults_values_changed
-- expect: d.a column_default
-- expect: d.c column_default
-- expect: d.h column_default
-- expect: d.j column_default
CREATE TABLE d (
  a integer DEFAULT 1,
  b varchar(10) DEFAULT 'abc',
  c boolean DEFAULT false,
  e jsonb DEFAULT '[]',
  f text DEFAULT '',
  g numeric DEFAULT 0.5,
  h date DEFAULT '2024-01-30',
  i bigint DEFAULT 10000000000,
  j text DEFAULT 'its'
);

-- case: sp_defaults_empty_vs_null
-- expect: d.f column_default
-- expect: d.e column_default
@definition
ALTER TABLE d ALTER COLUMN f SET DEFAULT NULL;
ALTER TABLE d ALTER COLUMN e SET DEFAULT '{}';

-- definition: sp_checks
CREATE TABLE k (
  a integer,
  s text,
  flag boolean,
  CONSTRAINT k_a_not_in CHECK (a NOT IN (1, 2)),
  CONSTRAINT k_s_re CHECK (s ~ '^[a-z]+$'),
  CONSTRAINT k_s_len CHECK (length(s) BETWEEN 1 AND 10),
  CONSTRAINT k_flag CHECK (flag IS NOT FALSE),
  CONSTRAINT k_distinct CHECK (a IS DISTINCT FROM 0)
);
CREATE INDEX k_flagged ON k (a) WHERE NOT flag;
CREATE INDEX k_big ON k (a) WHERE a > 10;

-- case: sp_checks_same
@definition

-- case: sp_checks_all_any
CREATE TABLE k (
  a int4, s text, flag bool,
  CONSTRAINT k_a_not_in CHECK (a <> ALL (ARRAY[1, 2])),
  CONSTRAINT k_s_re CHECK ((s ~ '^[a-z]+$'::text)),
  CONSTRAINT k_s_len CHECK (((length(s) >= 1) AND (length(s) <= 10))),
  CONSTRAINT k_flag CHECK ((flag IS NOT FALSE)),
  CONSTRAINT k_distinct CHECK ((a IS DISTINCT FROM 0))
);
CREATE INDEX k_flagged ON k USING btree (a) WHERE (NOT flag);
CREATE INDEX k_big ON k USING btree (a) WHERE (a > 10);

-- case: sp_checks_not_flag_as_equals_false
CREATE TABLE k (
  a integer, s text, flag boolean,
  CONSTRAINT k_a_not_in CHECK (a NOT IN (1, 2)),
  CONSTRAINT k_s_re CHECK (s ~ '^[a-z]+$'),
  CONSTRAINT k_s_len CHECK (length(s) BETWEEN 1 AND 10),
  CONSTRAINT k_flag CHECK (flag IS NOT FALSE),
  CONSTRAINT k_distinct CHECK (a IS DISTINCT FROM 0)
);
CREATE INDEX k_flagged ON k (a) WHERE flag = false;
CREATE INDEX k_big ON k (a) WHERE a > 10;

-- case: sp_checks_commuted_comparison
CREATE TABLE k (
  a integer, s text, flag boolean,
  CONSTRAINT k_a_not_in CHECK (a NOT IN (1, 2)),
  CONSTRAINT k_s_re CHECK (s ~ '^[a-z]+$'),
  CONSTRAINT k_s_len CHECK (length(s) BETWEEN 1 AND 10),
  CONSTRAINT k_flag CHECK (flag IS NOT FALSE),
  CONSTRAINT k_distinct CHECK (a IS DISTINCT FROM 0)
);
CREATE INDEX k_flagged ON k (a) WHERE NOT flag;
CREATE INDEX k_big ON k (a) WHERE 10 < a;

-- case: sp_checks_is_false_is_not_not
-- expect: k.k_flagged index_predicate
-- expect: k.k_flag check_expression
CREATE TABLE k (
  a integer, s text, flag boolean,
  CONSTRAINT k_a_not_in CHECK (a NOT IN (1, 2)),
  CONSTRAINT k_s_re CHECK (s ~ '^[a-z]+$'),
  CONSTRAINT k_s_len CHECK (length(s) BETWEEN 1 AND 10),
  CONSTRAINT k_flag CHECK (flag IS TRUE),
  CONSTRAINT k_distinct CHECK (a IS DISTINCT FROM 0)
);
CREATE INDEX k_flagged ON k (a) WHERE flag IS FALSE;
CREATE INDEX k_big ON k (a) WHERE a > 10;

-- case: sp_checks_not_in_became_in
-- expect: k.k_a_not_in check_expression
-- expect: k.k_distinct check_expression
CREATE TABLE k (
  a integer, s text, flag boolean,
  CONSTRAINT k_a_not_in CHECK (a IN (1, 2)),
  CONSTRAINT k_s_re CHECK (s ~ '^[a-z]+$'),
  CONSTRAINT k_s_len CHECK (length(s) BETWEEN 1 AND 10),
  CONSTRAINT k_flag CHECK (flag IS NOT FALSE),
  CONSTRAINT k_distinct CHECK (a <> 0)
);
CREATE INDEX k_flagged ON k (a) WHERE NOT flag;
CREATE INDEX k_big ON k (a) WHERE a > 10;

-- case: sp_checks_regex_case_insensitive
-- expect: k.k_s_re check_expression
@definition
ALTER TABLE k DROP CONSTRAINT k_s_re, ADD CONSTRAINT k_s_re CHECK (s ~* '^[a-z]+$');

-- definition: sp_ops
CREATE TABLE o (
  n integer,
  t text,
  v varchar(10),
  CONSTRAINT o_some CHECK (n = SOME (ARRAY[1, 2, 3])),
  CONSTRAINT o_prec CHECK (n = 0 OR NOT n > 10 AND n IS NOT NULL),
  CONSTRAINT o_not_like CHECK (t NOT LIKE 'x%'),
  CONSTRAINT o_not_re CHECK (t !~ '[0-9]'),
  CONSTRAINT o_vre CHECK (v ~ '^[a-z]'),
  CONSTRAINT o_all CHECK (n > ALL (ARRAY[-5, -1]))
);

-- case: sp_ops_same
@definition

-- case: sp_ops_server_forms
CREATE TABLE o (
  n integer, t text, v character varying(10),
  CONSTRAINT o_some CHECK ((n = ANY (ARRAY[1, 2, 3]))),
  CONSTRAINT o_prec CHECK (((n = 0) OR ((NOT (n > 10)) AND (n IS NOT NULL)))),
  CONSTRAINT o_not_like CHECK ((t !~~ 'x%'::text)),
  CONSTRAINT o_not_re CHECK ((t !~ '[0-9]'::text)),
  CONSTRAINT o_vre CHECK (((v)::text ~ '^[a-z]'::text)),
  CONSTRAINT o_all CHECK ((n > ALL (ARRAY['-5'::integer, '-1'::integer])))
);

-- case: sp_ops_in_list
CREATE TABLE o (
  n integer, t text, v varchar(10),
  CONSTRAINT o_some CHECK (n IN (1, 2, 3)),
  CONSTRAINT o_prec CHECK (n = 0 OR (NOT n > 10 AND n IS NOT NULL)),
  CONSTRAINT o_not_like CHECK (NOT (t LIKE 'x%')),
  CONSTRAINT o_not_re CHECK (t !~ '[0-9]'),
  CONSTRAINT o_vre CHECK (v::text ~ '^[a-z]'),
  CONSTRAINT o_all CHECK (n > ALL (ARRAY[-5, -1]))
);

-- case: sp_ops_all_array_literal
@definition
ALTER TABLE o DROP CONSTRAINT o_all, ADD CONSTRAINT o_all CHECK (n > ALL ('{-5,-1}'));

-- case: sp_ops_precedence_changed
-- expect: o.o_prec check_expression
@definition
ALTER TABLE o DROP CONSTRAINT o_prec, ADD CONSTRAINT o_prec CHECK ((n = 0 OR NOT n > 10) AND n IS NOT NULL);

-- case: sp_ops_any_to_all
-- expect: o.o_some check_expression
@definition
ALTER TABLE o DROP CONSTRAINT o_some, ADD CONSTRAINT o_some CHECK (n = ALL (ARRAY[1, 2, 3]));

-- case: sp_ops_no_inherit
-- expect: o.o_not_re check_inherit
@definition
ALTER TABLE o DROP CONSTRAINT o_not_re, ADD CONSTRAINT o_not_re CHECK (t !~ '[0-9]') NO INHERIT;

-- definition: sp_no_inherit
CREATE TABLE ni (
  id integer PRIMARY KEY,
  qty integer,
  CONSTRAINT ni_qty_pos CHECK (qty > 0) NO INHERIT,
  CONSTRAINT ni_id_pos CHECK (id > 0)
);

-- case: ni_same
@definition

-- case: ni_added_by_alter
CREATE TABLE ni (id integer PRIMARY KEY, qty integer);
ALTER TABLE ni ADD CONSTRAINT ni_id_pos CHECK ((id > 0));
ALTER TABLE ni ADD CONSTRAINT ni_qty_pos CHECK (qty > 0) NO INHERIT;

-- case: ni_inherited_now
-- expect: ni.ni_qty_pos check_inherit
@definition
ALTER TABLE ni DROP CONSTRAINT ni_qty_pos, ADD CONSTRAINT ni_qty_pos CHECK (qty > 0);

-- case: ni_renamed
-- expect: ni.ni_qty_pos constraint_renamed
@definition
ALTER TABLE ni RENAME CONSTRAINT ni_qty_pos TO ni_qty_check;

-- case: ni_renamed_and_inherited
-- expect: ni.ni_qty_pos missing_check
-- expect: ni.ni_qty_check extra_check
@definition
ALTER TABLE ni DROP CONSTRAINT ni_qty_pos, ADD CONSTRAINT ni_qty_check CHECK (qty > 0);

-- definition: sp_more
CREATE TABLE acc (
  id bigint PRIMARY KEY,
  code varchar(20) NOT NULL,
  state text NOT NULL DEFAULT 'open',
  opened date,
  limit_cents bigint CHECK (limit_cents >= 0),
  CONSTRAINT acc_code_key UNIQUE (code),
  CONSTRAINT ck_acc_state CHECK (state <> '')
);
CREATE UNIQUE INDEX ux_acc_code_state ON acc (code, state);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';

-- case: sp_more_same
@definition

-- case: sp_more_quoted_names
CREATE TABLE "acc" (
  "id" "int8" PRIMARY KEY,
  "code" "varchar"(20) NOT NULL,
  "state" "text" NOT NULL DEFAULT 'open'::"text",
  "opened" "date",
  "limit_cents" bigint CONSTRAINT "acc_limit_cents_check" CHECK ("limit_cents" >= 0),
  CONSTRAINT "acc_code_key" UNIQUE ("code"),
  CONSTRAINT "ck_acc_state" CHECK ("state" != ''::"text")
);
CREATE UNIQUE INDEX "ux_acc_code_state" ON "acc" ("code", "state");
CREATE INDEX "ix_acc_opened" ON "acc" ("opened") WHERE "state" = 'open'::"text";

-- case: sp_more_column_constraint_order
CREATE TABLE acc (
  id bigint NOT NULL PRIMARY KEY,
  code varchar(20) UNIQUE NOT NULL,
  state text DEFAULT 'open' NOT NULL,
  opened date NULL,
  limit_cents bigint NULL CHECK (limit_cents >= 0),
  CONSTRAINT ck_acc_state CHECK (state <> '')
);
CREATE UNIQUE INDEX ux_acc_code_state ON acc (code ASC, state ASC NULLS LAST);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE (state = 'open');

-- case: sp_more_everything_added_later
CREATE TABLE acc (id bigint, code varchar(20), state text, opened date, limit_cents bigint);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';
INSERT INTO acc VALUES (1, 'a', 'open', NULL, 5);
ALTER TABLE acc ALTER COLUMN id SET NOT NULL, ALTER COLUMN code SET NOT NULL, ALTER COLUMN state SET NOT NULL;
ALTER TABLE acc ALTER COLUMN state SET DEFAULT 'open';
ALTER TABLE acc ADD PRIMARY KEY (id), ADD UNIQUE (code), ADD CHECK (limit_cents >= 0),
  ADD CONSTRAINT ck_acc_state CHECK (state <> '');
CREATE UNIQUE INDEX ux_acc_code_state ON acc (code, state);

-- case: sp_more_default_concatenated
-- expect: acc.state column_default
CREATE TABLE acc (
  id bigint PRIMARY KEY,
  code character varying(20) NOT NULL,
  state text NOT NULL DEFAULT ('op' || 'en'),
  opened date,
  limit_cents bigint CHECK (limit_cents >= 0),
  CONSTRAINT acc_code_key UNIQUE (code),
  CONSTRAINT ck_acc_state CHECK (state <> '')
);
CREATE UNIQUE INDEX ux_acc_code_state ON acc (code, state);
CREATE INDEX ix_acc_opened ON acc (opened) WHERE state = 'open';

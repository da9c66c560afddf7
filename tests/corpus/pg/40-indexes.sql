-- Indexes on PostgreSQL: key columns and expressions, ordering, methods,
-- operator classes, collations, INCLUDE, partial predicates, NULLS NOT
-- DISTINCT; what the server rewrites and what really differs.

-- definition: ix_base
CREATE TABLE docs (
  id integer PRIMARY KEY,
  title text NOT NULL,
  rank integer,
  status text,
  body jsonb,
  deleted_at timestamptz,
  tags text[]
);
CREATE INDEX ix_docs_title ON docs (title);
CREATE INDEX ix_docs_rank_desc ON docs (rank DESC NULLS LAST, id);
CREATE INDEX ix_docs_lower_title ON docs (lower(title));
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_docs_title_rank ON docs (title, rank);
CREATE INDEX ix_docs_body ON docs USING gin (body);
CREATE INDEX ix_docs_rank_incl ON docs (rank) INCLUDE (title);
CREATE INDEX ix_docs_title_pattern ON docs (title text_pattern_ops);
CREATE INDEX ix_docs_title_c ON docs (title COLLATE "C");
CREATE INDEX ix_docs_status_open ON docs (status) WHERE status IN ('open', 'review');

-- case: ix_same
@definition

-- case: ix_explicit_defaults
CREATE TABLE docs (id integer PRIMARY KEY, title text NOT NULL, rank integer, status text,
  body jsonb, deleted_at timestamptz, tags text[]);
CREATE INDEX ix_docs_title ON docs USING btree (title ASC NULLS LAST);
CREATE INDEX ix_docs_rank_desc ON docs USING btree (rank DESC NULLS LAST, id ASC);
CREATE INDEX ix_docs_lower_title ON docs USING btree (lower(title) ASC);
CREATE INDEX ix_docs_live ON docs USING btree (rank) WHERE (deleted_at IS NULL);
CREATE UNIQUE INDEX ux_docs_title_rank ON docs USING btree (title, rank);
CREATE INDEX ix_docs_body ON docs USING gin (body jsonb_ops);
CREATE INDEX ix_docs_rank_incl ON docs USING btree (rank) INCLUDE (title);
CREATE INDEX ix_docs_title_pattern ON docs USING btree (title text_pattern_ops ASC);
CREATE INDEX ix_docs_title_c ON docs USING btree (title COLLATE "C" ASC);
CREATE INDEX ix_docs_status_open ON docs USING btree (status) WHERE (status = ANY (ARRAY['open'::text, 'review'::text]));

-- case: ix_created_in_other_order
CREATE TABLE docs (id integer PRIMARY KEY, title text NOT NULL, rank integer, status text,
  body jsonb, deleted_at timestamptz, tags text[]);
CREATE INDEX ix_docs_status_open ON docs (status) WHERE status IN ('open', 'review');
CREATE INDEX ix_docs_title_c ON docs (title COLLATE "C");
CREATE INDEX ix_docs_title_pattern ON docs (title text_pattern_ops);
CREATE INDEX ix_docs_rank_incl ON docs (rank) INCLUDE (title);
CREATE INDEX ix_docs_body ON docs USING gin (body);
CREATE UNIQUE INDEX ux_docs_title_rank ON docs (title, rank);
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NULL;
CREATE INDEX ix_docs_lower_title ON docs (lower(title));
CREATE INDEX ix_docs_rank_desc ON docs (rank DESC NULLS LAST, id);
CREATE INDEX ix_docs_title ON docs (title);

-- case: ix_upper_case_and_quotes
CREATE TABLE DOCS (ID INTEGER PRIMARY KEY, TITLE TEXT NOT NULL, RANK INTEGER, STATUS TEXT,
  BODY JSONB, DELETED_AT TIMESTAMPTZ, TAGS TEXT[]);
CREATE INDEX IX_DOCS_TITLE ON DOCS (TITLE);
CREATE INDEX "ix_docs_rank_desc" ON "docs" ("rank" DESC NULLS LAST, "id");
CREATE INDEX IX_DOCS_LOWER_TITLE ON DOCS (LOWER(TITLE));
CREATE INDEX IX_DOCS_LIVE ON DOCS (RANK) WHERE DELETED_AT IS NULL;
CREATE UNIQUE INDEX UX_DOCS_TITLE_RANK ON DOCS (TITLE, RANK);
CREATE INDEX IX_DOCS_BODY ON DOCS USING GIN (BODY);
CREATE INDEX IX_DOCS_RANK_INCL ON DOCS (RANK) INCLUDE (TITLE);
CREATE INDEX IX_DOCS_TITLE_PATTERN ON DOCS (TITLE TEXT_PATTERN_OPS);
CREATE INDEX IX_DOCS_TITLE_C ON DOCS (TITLE COLLATE "C");
CREATE INDEX IX_DOCS_STATUS_OPEN ON DOCS (STATUS) WHERE STATUS IN ('open', 'review');

-- case: ix_dropped_and_recreated
@definition
DROP INDEX ix_docs_live, ix_docs_title_c;
CREATE INDEX ix_docs_title_c ON docs (title COLLATE "C");
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NULL;

-- case: ix_predicate_array_literal
CREATE TABLE docs (id integer PRIMARY KEY, title text NOT NULL, rank integer, status text,
  body jsonb, deleted_at timestamptz, tags text[]);
CREATE INDEX ix_docs_title ON docs (title);
CREATE INDEX ix_docs_rank_desc ON docs (rank DESC NULLS LAST, id);
CREATE INDEX ix_docs_lower_title ON docs (lower(title));
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_docs_title_rank ON docs (title, rank);
CREATE INDEX ix_docs_body ON docs USING gin (body);
CREATE INDEX ix_docs_rank_incl ON docs (rank) INCLUDE (title);
CREATE INDEX ix_docs_title_pattern ON docs (title text_pattern_ops);
CREATE INDEX ix_docs_title_c ON docs (title COLLATE "C");
CREATE INDEX ix_docs_status_open ON docs (status) WHERE status = ANY ('{open,review}');

-- case: ix_missing
-- expect: docs.ix_docs_title missing_index
@definition
DROP INDEX ix_docs_title;

-- case: ix_extra
-- expect: docs.ix_docs_status extra_index
@definition
CREATE INDEX ix_docs_status ON docs (status);

-- case: ix_extra_on_expression
-- expect: docs.ix_docs_upper_title extra_index
@definition
CREATE INDEX ix_docs_upper_title ON docs (upper(title));

-- case: ix_renamed
-- expect: docs.ix_docs_title index_renamed
@definition
ALTER INDEX ix_docs_title RENAME TO docs_title_idx;

-- case: ix_not_unique
-- expect: docs.ux_docs_title_rank index_uniqueness
@definition
DROP INDEX ux_docs_title_rank;
CREATE INDEX ux_docs_title_rank ON docs (title, rank);

-- case: ix_became_unique
-- expect: docs.ix_docs_title index_uniqueness
@definition
DROP INDEX ix_docs_title;
CREATE UNIQUE INDEX ix_docs_title ON docs (title);

-- case: ix_columns_swapped
-- expect: docs.ux_docs_title_rank index_columns
@definition
DROP INDEX ux_docs_title_rank;
CREATE UNIQUE INDEX ux_docs_title_rank ON docs (rank, title);

-- case: ix_column_added
-- expect: docs.ix_docs_title index_columns
@definition
DROP INDEX ix_docs_title;
CREATE INDEX ix_docs_title ON docs (title, status);

-- case: ix_desc_to_asc
-- expect: docs.ix_docs_rank_desc index_columns
@definition
DROP INDEX ix_docs_rank_desc;
CREATE INDEX ix_docs_rank_desc ON docs (rank, id);

-- case: ix_nulls_first
-- expect: docs.ix_docs_rank_desc index_columns
@definition
DROP INDEX ix_docs_rank_desc;
CREATE INDEX ix_docs_rank_desc ON docs (rank DESC, id);

-- case: ix_expression_changed
-- expect: docs.ix_docs_lower_title index_columns
@definition
DROP INDEX ix_docs_lower_title;
CREATE INDEX ix_docs_lower_title ON docs (upper(title));

-- case: ix_expression_to_column
-- expect: docs.ix_docs_lower_title index_columns
@definition
DROP INDEX ix_docs_lower_title;
CREATE INDEX ix_docs_lower_title ON docs (title);

-- case: ix_predicate_changed
-- expect: docs.ix_docs_live index_predicate
@definition
DROP INDEX ix_docs_live;
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NOT NULL;

-- case: ix_predicate_removed
-- expect: docs.ix_docs_live index_predicate
@definition
DROP INDEX ix_docs_live;
CREATE INDEX ix_docs_live ON docs (rank);

-- case: ix_predicate_list_grown
-- expect: docs.ix_docs_status_open index_predicate
@definition
DROP INDEX ix_docs_status_open;
CREATE INDEX ix_docs_status_open ON docs (status) WHERE status IN ('open', 'review', 'draft');

-- case: ix_method_changed
-- expect: docs.ix_docs_title index_method
@definition
DROP INDEX ix_docs_title;
CREATE INDEX ix_docs_title ON docs USING hash (title);

-- case: ix_gin_opclass
-- expect: docs.ix_docs_body index_columns
@definition
DROP INDEX ix_docs_body;
CREATE INDEX ix_docs_body ON docs USING gin (body jsonb_path_ops);

-- case: ix_opclass_dropped
-- expect: docs.ix_docs_title_pattern index_columns
@definition
DROP INDEX ix_docs_title_pattern;
CREATE INDEX ix_docs_title_pattern ON docs (title);

-- case: ix_collation_changed
-- expect: docs.ix_docs_title_c index_columns
@definition
DROP INDEX ix_docs_title_c;
CREATE INDEX ix_docs_title_c ON docs (title COLLATE "POSIX");

-- case: ix_include_changed
-- expect: docs.ix_docs_rank_incl index_include
@definition
DROP INDEX ix_docs_rank_incl;
CREATE INDEX ix_docs_rank_incl ON docs (rank) INCLUDE (title, status);

-- case: ix_include_moved_to_key
-- expect: docs.ix_docs_rank_incl index_columns
-- expect: docs.ix_docs_rank_incl index_include
@definition
DROP INDEX ix_docs_rank_incl;
CREATE INDEX ix_docs_rank_incl ON docs (rank, title);

-- case: ix_nulls_not_distinct
-- expect: docs.ux_docs_title_rank index_nulls
@definition
DROP INDEX ux_docs_title_rank;
CREATE UNIQUE INDEX ux_docs_title_rank ON docs (title, rank) NULLS NOT DISTINCT;

-- case: ix_two_indexes_changed
-- expect: docs.ix_docs_title missing_index
-- expect: docs.ix_docs_live index_predicate
@definition
DROP INDEX ix_docs_title;
DROP INDEX ix_docs_live;
CREATE INDEX ix_docs_live ON docs (rank) WHERE deleted_at IS NULL AND status IS NULL;

-- case: ix_storage_parameter
-- expect: docs.ix_docs_title index_storage
@definition
ALTER INDEX ix_docs_title SET (fillfactor = 50);

-- Storage parameters are compared literally: a btree's default fillfactor
-- (90) written out is still a parameter the definition does not set.
-- case: ix_storage_default_value_written
-- expect: docs.ix_docs_title index_storage
@definition
ALTER INDEX ix_docs_title SET (fillfactor = 90);

-- definition: ix_storage
CREATE TABLE st (
  id integer PRIMARY KEY,
  title text NOT NULL,
  tags text[]
);
CREATE INDEX ix_st_title ON st (title) WITH (fillfactor = 70, deduplicate_items = off);
CREATE INDEX ix_st_tags ON st USING gin (tags) WITH (fastupdate = off);
CREATE INDEX ix_st_plain ON st (id, title);

-- case: stor_same
@definition

-- case: stor_other_order_and_case
CREATE TABLE st (id integer PRIMARY KEY, title text NOT NULL, tags text[]);
CREATE INDEX ix_st_title ON st (title) WITH (DEDUPLICATE_ITEMS = 'off', FILLFACTOR = '70');
CREATE INDEX ix_st_tags ON st USING gin (tags) WITH (fastupdate = 'off');
CREATE INDEX ix_st_plain ON st (id, title);

-- case: stor_set_after_create
CREATE TABLE st (id integer PRIMARY KEY, title text NOT NULL, tags text[]);
CREATE INDEX ix_st_title ON st (title) WITH (fillfactor = 50);
CREATE INDEX ix_st_tags ON st USING gin (tags);
CREATE INDEX ix_st_plain ON st (id, title) WITH (fillfactor = 80);
ALTER INDEX ix_st_title SET (deduplicate_items = off);
ALTER INDEX ix_st_title SET (fillfactor = 70);
ALTER INDEX ix_st_tags SET (fastupdate = off);
ALTER INDEX ix_st_plain RESET (fillfactor);

-- case: stor_parameter_reset
-- expect: st.ix_st_title index_storage
@definition
ALTER INDEX ix_st_title RESET (fillfactor);

-- case: stor_other_value
-- expect: st.ix_st_tags index_storage
@definition
ALTER INDEX ix_st_tags SET (fastupdate = on);

-- case: stor_renamed
-- expect: st.ix_st_title index_renamed
@definition
ALTER INDEX ix_st_title RENAME TO ix_st_title_dedup;

-- A rename is "identical but for the name": other parameters too make it
-- another index.
-- case: stor_renamed_and_changed
-- expect: st.ix_st_title missing_index
-- expect: st.ix_st_title_ff extra_index
@definition
ALTER INDEX ix_st_title RENAME TO ix_st_title_ff;
ALTER INDEX ix_st_title_ff SET (fillfactor = 60);

-- definition: ix_methods
CREATE TABLE ev (
  id bigint NOT NULL,
  at timestamptz NOT NULL,
  tags text[],
  code text
);
CREATE INDEX ix_ev_at_brin ON ev USING brin (at);
CREATE INDEX ix_ev_tags ON ev USING gin (tags);
CREATE INDEX ix_ev_code_hash ON ev USING hash (code);
CREATE INDEX ix_ev_recent ON ev (at DESC) WHERE at > '2024-01-01 00:00:00+00';

-- case: meth_same
@definition

-- case: meth_spelled_with_casts
CREATE TABLE ev (id int8 NOT NULL, at timestamp with time zone NOT NULL, tags text[], code text);
CREATE INDEX ix_ev_at_brin ON ev USING BRIN (at);
CREATE INDEX ix_ev_tags ON ev USING GIN (tags array_ops);
CREATE INDEX ix_ev_code_hash ON ev USING HASH (code);
CREATE INDEX ix_ev_recent ON ev (at DESC NULLS FIRST) WHERE at > '2024-01-01 00:00:00+00'::timestamptz;

-- case: meth_brin_to_btree
-- expect: ev.ix_ev_at_brin index_method
@definition
DROP INDEX ix_ev_at_brin;
CREATE INDEX ix_ev_at_brin ON ev (at);

-- case: meth_predicate_other_instant
-- expect: ev.ix_ev_recent index_predicate
@definition
DROP INDEX ix_ev_recent;
CREATE INDEX ix_ev_recent ON ev (at DESC) WHERE at > '2024-01-02 00:00:00+00';

-- case: meth_gin_to_btree
-- expect: ev.ix_ev_tags index_method
@definition
DROP INDEX ix_ev_tags;
CREATE INDEX ix_ev_tags ON ev (tags);

-- definition: ix_exprs
CREATE TABLE ev2 (
  id integer PRIMARY KEY,
  ts timestamp NOT NULL,
  body jsonb,
  name varchar(50)
);
CREATE INDEX ix_ev2_day ON ev2 ((ts::date));
CREATE INDEX ix_ev2_kind ON ev2 ((body ->> 'kind'));
CREATE INDEX ix_ev2_name ON ev2 (lower(name), id DESC);
CREATE UNIQUE INDEX ux_ev2_kind_live ON ev2 ((body ->> 'kind')) WHERE body ? 'live';

-- case: ixe_same
@definition

-- case: ixe_cast_and_operator_spellings
CREATE TABLE ev2 (id int PRIMARY KEY, ts timestamp without time zone NOT NULL, body jsonb, name character varying(50));
CREATE INDEX ix_ev2_day ON ev2 ((CAST(ts AS date)));
CREATE INDEX ix_ev2_kind ON ev2 ((body->>'kind'::text));
CREATE INDEX ix_ev2_name ON ev2 (lower(name::text), id DESC);
CREATE UNIQUE INDEX ux_ev2_kind_live ON ev2 (((body ->> 'kind'))) WHERE (body ? 'live'::text);

-- case: ixe_date_function
CREATE TABLE ev2 (id integer PRIMARY KEY, ts timestamp NOT NULL, body jsonb, name varchar(50));
CREATE INDEX ix_ev2_day ON ev2 (date(ts));
CREATE INDEX ix_ev2_kind ON ev2 ((body ->> 'kind'));
CREATE INDEX ix_ev2_name ON ev2 (lower(name), id DESC);
CREATE UNIQUE INDEX ux_ev2_kind_live ON ev2 ((body ->> 'kind')) WHERE body ? 'live';

-- case: ixe_json_operator_changed
-- expect: ev2.ix_ev2_kind index_columns
@definition
DROP INDEX ix_ev2_kind;
CREATE INDEX ix_ev2_kind ON ev2 ((body -> 'kind'));

-- case: ixe_json_key_changed
-- expect: ev2.ux_ev2_kind_live index_predicate
@definition
DROP INDEX ux_ev2_kind_live;
CREATE UNIQUE INDEX ux_ev2_kind_live ON ev2 ((body ->> 'kind')) WHERE body ? 'alive';

-- case: ixe_cast_target_changed
-- expect: ev2.ix_ev2_day index_columns
@definition
DROP INDEX ix_ev2_day;
CREATE INDEX ix_ev2_day ON ev2 ((ts::time));

-- Table options and relation-like objects on PostgreSQL: row-level security,
-- partition keys and bounds, materialized views' indexes, sequences and
-- EXCLUDE constraints (daemon/pgobj_rel.c). An option that is off is
-- absent; a sequence or EXCLUDE constraint is an object compared property
-- by property (sequence_changed, exclusion_changed).

-- definition: rel_rls
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE TABLE notes (id integer PRIMARY KEY, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;

-- case: rls_same
@definition

-- case: rls_enabled_later_in_other_order
CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL);
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;

-- case: rls_toggled_back
@definition
ALTER TABLE docs DISABLE ROW LEVEL SECURITY;
ALTER TABLE notes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;

-- case: rls_disabled
-- expect: docs table_row_security
@definition
ALTER TABLE docs DISABLE ROW LEVEL SECURITY;

-- case: rls_not_forced
-- expect: notes table_row_security
@definition
ALTER TABLE notes NO FORCE ROW LEVEL SECURITY;

-- case: rls_forced_too
-- expect: docs table_row_security
@definition
ALTER TABLE docs FORCE ROW LEVEL SECURITY;

-- case: rls_none
-- expect: docs table_row_security
-- expect: notes table_row_security
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, body text);

-- A partition is a table of its own (read when the definition names it)
-- whose option partition_bound is its parent and its FOR VALUES.

-- definition: rel_part
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('de', 'fr');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
CREATE TABLE events_other PARTITION OF events DEFAULT;
CREATE TABLE shards (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE readings (n integer NOT NULL) PARTITION BY RANGE (n);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (MINVALUE) TO (100);
CREATE TABLE readings_high PARTITION OF readings FOR VALUES FROM (100) TO (MAXVALUE);

-- case: part2_same
@definition

-- case: part2_attached_later
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE TABLE events_eu (id bigint NOT NULL, region text NOT NULL, at date NOT NULL);
CREATE TABLE events_us (id bigint NOT NULL, region text NOT NULL, at date NOT NULL);
CREATE TABLE events_other (id bigint NOT NULL, region text NOT NULL, at date NOT NULL);
ALTER TABLE events ATTACH PARTITION events_other DEFAULT;
ALTER TABLE events ATTACH PARTITION events_us FOR VALUES IN ('us');
ALTER TABLE events ATTACH PARTITION events_eu FOR VALUES IN ('de', 'fr');
CREATE TABLE shards (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE shards_1 (id integer NOT NULL, v text);
ALTER TABLE shards ATTACH PARTITION shards_1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE readings (n integer NOT NULL) PARTITION BY RANGE (n);
CREATE TABLE readings_high (n integer NOT NULL);
ALTER TABLE readings ATTACH PARTITION readings_high FOR VALUES FROM (100) TO (MAXVALUE);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (MINVALUE) TO (100);

-- case: part2_respelled
create table EVENTS (ID int8 not null, REGION text not null, AT date not null) partition by list (Region);
create table events_eu partition of events for values in ('de', 'fr');
create table events_us partition of events for values in ('us');
create table events_other partition of events default;
create table shards (id int4 not null, v text) partition by hash ("id");
create table shards_0 partition of shards for values with (modulus 2, remainder 0);
create table shards_1 partition of shards for values with (remainder 1, modulus 2);
create table readings (n int not null) partition by range (n);
create table readings_low partition of readings for values from (minvalue) to ('100');
create table readings_high partition of readings for values from ('100') to (maxvalue);

-- case: part2_detached_and_attached_again
@definition
ALTER TABLE events DETACH PARTITION events_us;
ALTER TABLE events ATTACH PARTITION events_us FOR VALUES IN ('us');

-- case: part2_list_reordered
@definition
ALTER TABLE events DETACH PARTITION events_eu;
ALTER TABLE events ATTACH PARTITION events_eu FOR VALUES IN ('fr', 'de');

-- case: part2_list_values_quoted
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('fr', E'de');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ($$us$$);
CREATE TABLE events_other PARTITION OF events DEFAULT;
CREATE TABLE shards (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE readings (n integer NOT NULL) PARTITION BY RANGE (n);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (MINVALUE) TO (100);
CREATE TABLE readings_high PARTITION OF readings FOR VALUES FROM (100) TO (MAXVALUE);

-- case: part2_list_values
-- expect: events_eu partition_bound
@definition
ALTER TABLE events DETACH PARTITION events_eu;
ALTER TABLE events ATTACH PARTITION events_eu FOR VALUES IN ('de');

-- case: part2_default_as_list
-- expect: events_other partition_bound
@definition
ALTER TABLE events DETACH PARTITION events_other;
ALTER TABLE events ATTACH PARTITION events_other FOR VALUES IN ('jp');

-- case: part2_detached
-- expect: events_us partition_bound
@definition
ALTER TABLE events DETACH PARTITION events_us;

-- case: part2_hash_modulus
-- expect: shards_0 partition_bound
-- expect: shards_1 partition_bound
@definition
ALTER TABLE shards DETACH PARTITION shards_0;
ALTER TABLE shards DETACH PARTITION shards_1;
ALTER TABLE shards ATTACH PARTITION shards_0 FOR VALUES WITH (MODULUS 4, REMAINDER 0);
ALTER TABLE shards ATTACH PARTITION shards_1 FOR VALUES WITH (MODULUS 4, REMAINDER 1);

-- case: part2_other_parent
-- expect: shards_1 partition_bound
@definition
CREATE TABLE shards_v2 (id integer NOT NULL, v text) PARTITION BY HASH (id);
ALTER TABLE shards DETACH PARTITION shards_1;
ALTER TABLE shards_v2 ATTACH PARTITION shards_1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);

-- case: part2_key_expression
-- expect: events partition_key
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (lower(region));
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('de', 'fr');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
CREATE TABLE events_other PARTITION OF events DEFAULT;
CREATE TABLE shards (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE readings (n integer NOT NULL) PARTITION BY RANGE (n);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (MINVALUE) TO (100);
CREATE TABLE readings_high PARTITION OF readings FOR VALUES FROM (100) TO (MAXVALUE);

-- case: part2_range_split_elsewhere
-- expect: readings_high partition_bound
-- expect: readings_low partition_bound
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('de', 'fr');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
CREATE TABLE events_other PARTITION OF events DEFAULT;
CREATE TABLE shards (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE readings (n integer NOT NULL) PARTITION BY RANGE (n);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (MINVALUE) TO (50);
CREATE TABLE readings_high PARTITION OF readings FOR VALUES FROM (50) TO (MAXVALUE);

-- case: part2_plain_tables
-- expect: readings partition_key
-- expect: readings_high partition_bound
-- expect: readings_low partition_bound
@definition
DROP TABLE readings;
CREATE TABLE readings (n integer NOT NULL);
CREATE TABLE readings_low (n integer NOT NULL);
CREATE TABLE readings_high (n integer NOT NULL);

-- A materialized view's indexes are its property "indexes": the server's
-- CREATE INDEX texts, unqualified and sorted.

-- definition: rel_mv
CREATE TABLE sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric(10,2) NOT NULL);
CREATE MATERIALIZED VIEW region_totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE UNIQUE INDEX ux_region_totals ON region_totals (region);
CREATE INDEX ix_region_totals_total ON region_totals (total DESC);

-- case: mv_same
@definition

-- case: mv_indexes_in_other_order
CREATE TABLE sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric(10,2) NOT NULL);
CREATE MATERIALIZED VIEW region_totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region WITH NO DATA;
create index ix_region_totals_total on region_totals using btree (total desc nulls first);
create unique index ux_region_totals on region_totals using btree (region asc);

-- case: mv_recreated_and_refreshed
@definition
DROP MATERIALIZED VIEW region_totals;
CREATE MATERIALIZED VIEW region_totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE INDEX ix_region_totals_total ON region_totals (total DESC);
CREATE UNIQUE INDEX ux_region_totals ON region_totals (region);
REFRESH MATERIALIZED VIEW region_totals;

-- case: mv_index_missing
-- expect: region_totals materialized_view_changed
@definition
DROP INDEX ix_region_totals_total;

-- case: mv_index_not_unique
-- expect: region_totals materialized_view_changed
@definition
DROP INDEX ux_region_totals;
CREATE INDEX ux_region_totals ON region_totals (region);

-- case: mv_index_extra
-- expect: region_totals materialized_view_changed
@definition
CREATE INDEX ix_region_totals_region_total ON region_totals (region, total);

-- case: mv_no_index_and_other_query
-- expect: region_totals materialized_view_changed
-- expect: region_totals materialized_view_changed
CREATE TABLE sales (id integer PRIMARY KEY, region text NOT NULL, amount numeric(10,2) NOT NULL);
CREATE MATERIALIZED VIEW region_totals AS SELECT region, max(amount) AS total FROM sales GROUP BY region;

-- Sequences. A serial's sequence is an object the definition creates
-- (owned by its column); an identity column's is part of the column and
-- never read.

-- definition: rel_seq
CREATE SEQUENCE order_no START 1000 INCREMENT 10;
CREATE SEQUENCE ticket_no AS integer CACHE 20 CYCLE;
CREATE TABLE orders (id bigserial PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'));
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer OWNED BY lines.pos;

-- case: seq_same
@definition

-- case: seq_options_spelled_out
CREATE SEQUENCE order_no AS bigint INCREMENT BY 10 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1 NO CYCLE;
CREATE SEQUENCE ticket_no AS int4 INCREMENT 1 NO MINVALUE NO MAXVALUE START 1 CACHE 20 CYCLE;
CREATE TABLE orders (id bigserial PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'::regclass));
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer;
ALTER SEQUENCE lines_pos_seq OWNED BY lines.pos;

-- case: seq_altered_into_shape
CREATE SEQUENCE order_no;
CREATE SEQUENCE ticket_no AS integer;
ALTER SEQUENCE order_no INCREMENT 10 START 1000;
ALTER SEQUENCE ticket_no CACHE 20 CYCLE;
CREATE TABLE orders (id bigserial PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'));
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer OWNED BY lines.pos;

-- case: seq_values_used
@definition
SELECT nextval('order_no'), nextval('orders_id_seq');
SELECT setval('ticket_no', 50);
ALTER SEQUENCE order_no RESTART WITH 5000;

-- case: seq_serial_spelled_out
CREATE SEQUENCE order_no START 1000 INCREMENT 10;
CREATE SEQUENCE ticket_no AS integer CACHE 20 CYCLE;
CREATE SEQUENCE orders_id_seq;
CREATE TABLE orders (id bigint NOT NULL DEFAULT nextval('orders_id_seq') PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'));
ALTER SEQUENCE orders_id_seq OWNED BY orders.id;
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer OWNED BY lines.pos;

-- case: seq_identity_sequence_named
CREATE SEQUENCE order_no START 1000 INCREMENT 10;
CREATE SEQUENCE ticket_no AS integer CACHE 20 CYCLE;
CREATE TABLE orders (id bigserial PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'));
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME lines_ident CACHE 5) PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer OWNED BY lines.pos;

-- case: seq_missing
-- expect: order_no missing_sequence
-- expect: orders.no column_default
@definition
DROP SEQUENCE order_no CASCADE;

-- case: seq_increment
-- expect: order_no sequence_changed
@definition
ALTER SEQUENCE order_no INCREMENT 1;

-- case: seq_start
-- expect: order_no sequence_changed
@definition
ALTER SEQUENCE order_no START 1;

-- case: seq_as_bigint
-- expect: ticket_no sequence_changed
-- expect: ticket_no sequence_changed
@definition
ALTER SEQUENCE ticket_no AS bigint;

-- case: seq_no_cycle
-- expect: ticket_no sequence_changed
@definition
ALTER SEQUENCE ticket_no NO CYCLE;

-- case: seq_cache_and_bounds
-- expect: ticket_no sequence_changed
-- expect: ticket_no sequence_changed
-- expect: ticket_no sequence_changed
@definition
ALTER SEQUENCE ticket_no CACHE 1 MINVALUE 0 MAXVALUE 1000 START 1;

-- case: seq_owner_released
-- expect: lines_pos_seq sequence_changed
@definition
ALTER SEQUENCE lines_pos_seq OWNED BY NONE;

-- case: seq_owner_other_column
-- expect: lines_pos_seq sequence_changed
@definition
ALTER SEQUENCE lines_pos_seq OWNED BY lines.order_id;

-- case: seq_owner_moved_and_back
@definition
ALTER SEQUENCE lines_pos_seq OWNED BY lines.order_id;
ALTER SEQUENCE lines_pos_seq OWNED BY lines.pos;

-- case: seq_serial_released
-- expect: orders_id_seq sequence_changed
@definition
ALTER SEQUENCE orders_id_seq OWNED BY NONE;

-- case: seq_identity_instead_of_serial
-- expect: orders.id column_default
-- expect: orders.id column_identity
-- expect: orders_id_seq missing_sequence
CREATE SEQUENCE order_no START 1000 INCREMENT 10;
CREATE SEQUENCE ticket_no AS integer CACHE 20 CYCLE;
CREATE TABLE orders (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('order_no'));
CREATE TABLE lines (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL, pos integer NOT NULL);
CREATE SEQUENCE lines_pos_seq AS integer OWNED BY lines.pos;

-- EXCLUDE constraints: objects "table.constraint" with the server's
-- definition (without its deferrability) and DEFERRABLE as properties.

-- definition: rel_excl
CREATE TABLE bookings (room integer NOT NULL, during int4range NOT NULL,
  CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));
CREATE TABLE slots (span int4range NOT NULL, kind text NOT NULL,
  CONSTRAINT slots_span_excl EXCLUDE USING gist (span WITH &&) WHERE (kind <> 'free') DEFERRABLE INITIALLY DEFERRED);

-- case: excl_same
@definition

-- case: excl_added_later
CREATE TABLE slots (span int4range NOT NULL, kind text NOT NULL);
CREATE TABLE bookings (room integer NOT NULL, during int4range NOT NULL);
ALTER TABLE slots ADD EXCLUDE USING gist (span WITH &&) WHERE (kind <> 'free') DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);

-- case: excl_respelled
create table BOOKINGS (room int4 not null, during int4range not null,
  constraint NO_OVERLAP exclude using GIST (DURING with &&) not deferrable initially immediate);
create table slots (span int4range not null, kind text not null,
  exclude using gist (span with &&) where (((kind != 'free'::text))) initially deferred);

-- case: excl_dropped_and_added_back
@definition
ALTER TABLE slots DROP CONSTRAINT slots_span_excl;
ALTER TABLE bookings DROP CONSTRAINT no_overlap;
ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);
ALTER TABLE slots ADD CONSTRAINT slots_span_excl EXCLUDE USING gist (span WITH &&) WHERE (kind <> 'free') DEFERRABLE INITIALLY DEFERRED;

-- case: excl_missing
-- expect: bookings.no_overlap missing_exclusion
@definition
ALTER TABLE bookings DROP CONSTRAINT no_overlap;

-- case: excl_extra
-- expect: bookings.bookings_room_excl extra_exclusion
@definition
ALTER TABLE bookings ADD EXCLUDE USING btree (room WITH =);

-- case: excl_renamed
-- expect: bookings.no_overlap missing_exclusion
-- expect: bookings.no_overlap_2 extra_exclusion
@definition
ALTER TABLE bookings RENAME CONSTRAINT no_overlap TO no_overlap_2;

-- case: excl_not_deferrable
-- expect: slots.slots_span_excl exclusion_changed
@definition
ALTER TABLE slots DROP CONSTRAINT slots_span_excl;
ALTER TABLE slots ADD EXCLUDE USING gist (span WITH &&) WHERE (kind <> 'free');

-- case: excl_other_predicate
-- expect: slots.slots_span_excl exclusion_changed
@definition
ALTER TABLE slots DROP CONSTRAINT slots_span_excl;
ALTER TABLE slots ADD EXCLUDE USING gist (span WITH &&) WHERE (kind = 'busy') DEFERRABLE INITIALLY DEFERRED;

-- case: excl_other_operator
-- expect: bookings.no_overlap exclusion_changed
@definition
ALTER TABLE bookings DROP CONSTRAINT no_overlap;
ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH =);

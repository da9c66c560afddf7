-- Views and materialized views: their query is compared as the server
-- deparses it (pg_get_viewdef), with the target's schema qualification
-- removed, so what was written (spacing, case, aliases the server adds)
-- does not matter and what the query does does.

-- definition: views_basic
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW active_items AS SELECT id, name FROM items WHERE active;
CREATE MATERIALIZED VIEW price_totals AS SELECT count(*) AS n, sum(price) AS total FROM items;

-- case: view_same
@definition

-- case: view_respelled
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
create   view Active_Items as
  select ID, items.Name
    from ITEMS   -- only the active ones
   where (((ACTIVE)));
CREATE MATERIALIZED VIEW price_totals AS SELECT count(*) AS n, sum(price) AS total FROM items;

-- case: view_missing
-- expect: active_items missing_view
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE MATERIALIZED VIEW price_totals AS SELECT count(*) AS n, sum(price) AS total FROM items;

-- case: view_other_filter
-- expect: active_items view_changed
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW active_items AS SELECT id, name FROM items WHERE NOT active;
CREATE MATERIALIZED VIEW price_totals AS SELECT count(*) AS n, sum(price) AS total FROM items;

-- case: matview_as_view
-- expect: price_totals missing_materialized_view
-- expect: price_totals extra_view
@definition
DROP MATERIALIZED VIEW price_totals;
CREATE VIEW price_totals AS SELECT count(*) AS n, sum(price) AS total FROM items;

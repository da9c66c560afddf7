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

-- definition: views_spelled
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW priced AS
  SELECT id, CAST(price AS text) AS p FROM items
  WHERE id IN (1, 2, 3) AND name LIKE 'a%' AND price BETWEEN 1 AND 10;
CREATE VIEW all_items AS SELECT * FROM items;

-- case: view_spelled_same
@definition

-- case: view_spelled_casts_any_between
-- The server parses IN into = ANY, LIKE into ~~, BETWEEN into two
-- comparisons and CAST into ::, and deparses what it parsed.
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW priced AS
  SELECT items.id, (items.price)::text AS p FROM items
  WHERE ((id = ANY (ARRAY[1, 2, 3])) AND (name ~~ 'a%'::text)) AND price >= 1 AND price <= 10;
CREATE VIEW all_items AS SELECT * FROM items;

-- case: view_spelled_star_expanded
-- SELECT * is expanded when the view is made: the columns, written out, are
-- the same query.
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW priced AS
  SELECT id, CAST(price AS text) AS p FROM items
  WHERE id IN (1, 2, 3) AND name LIKE 'a%' AND price BETWEEN 1 AND 10;
CREATE VIEW all_items AS SELECT items.id, items.name, items.price, items.active FROM items;

-- case: view_spelled_star_column_added
-- A column added to the table later is not in the view's expanded *.
-- expect: items.note extra_column
@definition
ALTER TABLE items ADD COLUMN note text;

-- case: view_spelled_other_list
-- expect: priced view_changed
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW priced AS
  SELECT id, CAST(price AS text) AS p FROM items
  WHERE id IN (1, 2, 4) AND name LIKE 'a%' AND price BETWEEN 1 AND 10;
CREATE VIEW all_items AS SELECT * FROM items;

-- case: view_spelled_alias_renamed
-- A table alias is part of the deparsed query: renaming it is a change.
-- expect: priced view_changed
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), active boolean NOT NULL DEFAULT true);
CREATE VIEW priced AS
  SELECT x.id, CAST(x.price AS text) AS p FROM items x
  WHERE x.id IN (1, 2, 3) AND x.name LIKE 'a%' AND x.price BETWEEN 1 AND 10;
CREATE VIEW all_items AS SELECT * FROM items;

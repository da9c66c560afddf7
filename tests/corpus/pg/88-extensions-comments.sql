-- Extensions and comments.
--
-- An extension is compared by its schema (unless that is the watched
-- schema or public, which a definition compiled in public cannot tell
-- apart); its version is shown, never a difference. What an extension
-- brings (functions, types) is the extension's, never an extra object, and
-- plpgsql, which every database has, is not read at all. Extensions belong
-- to a database: these cases run in databases of their own.
--
-- Comments are named after what they describe ("invoices",
-- "invoices.amount", "invoice_amount(integer)") and compared by text; they
-- count only when the definition has comments (70-around.sql).

-- definition: ext_base
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION pg_trgm;
CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL, name text NOT NULL);

-- case: ext_same
-- own-database
@definition

-- case: ext_if_not_exists_and_plpgsql
-- own-database
CREATE EXTENSION IF NOT EXISTS plpgsql;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL, name text NOT NULL);

-- case: ext_older_version
-- own-database
CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm VERSION '1.4';
CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL, name text NOT NULL);

-- case: ext_missing
-- own-database
-- expect: pg_trgm missing_extension
CREATE EXTENSION citext;
CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL, name text NOT NULL);

-- case: ext_other_schema
-- own-database
-- expect: pg_trgm extension_changed
CREATE EXTENSION citext;
CREATE SCHEMA trgm;
CREATE EXTENSION pg_trgm SCHEMA trgm;
CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL, name text NOT NULL);

-- definition: cm_base
CREATE TABLE invoices (id integer PRIMARY KEY, amount numeric NOT NULL, note text);
CREATE VIEW big_invoices AS SELECT id, amount FROM invoices WHERE amount > 1000;
CREATE FUNCTION invoice_amount(i integer) RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT amount FROM invoices WHERE id = i $$;
CREATE TYPE invoice_state AS ENUM ('open', 'paid');
COMMENT ON TABLE invoices IS 'Invoices sent';
COMMENT ON COLUMN invoices.amount IS 'in cents';
COMMENT ON VIEW big_invoices IS 'over 1000';
COMMENT ON COLUMN big_invoices.amount IS 'as invoiced';
COMMENT ON FUNCTION invoice_amount(integer) IS 'the amount';
COMMENT ON TYPE invoice_state IS 'lifecycle';

-- case: cm_same
@definition

-- case: cm_set_twice
@definition
COMMENT ON TABLE invoices IS 'Invoices sent';
COMMENT ON COLUMN invoices.amount IS 'in euros';
COMMENT ON COLUMN invoices.amount IS 'in cents';
COMMENT ON FUNCTION invoice_amount IS 'the amount';

-- case: cm_other_quoting
CREATE TABLE invoices (id integer PRIMARY KEY, amount numeric NOT NULL, note text);
CREATE VIEW big_invoices AS SELECT id, amount FROM invoices WHERE amount > 1000;
CREATE FUNCTION invoice_amount(i integer) RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT amount FROM invoices WHERE id = i $$;
CREATE TYPE invoice_state AS ENUM ('open', 'paid');
COMMENT ON TABLE "invoices" IS $$Invoices sent$$;
COMMENT ON COLUMN INVOICES.AMOUNT IS E'in cents';
COMMENT ON VIEW big_invoices IS 'over '
  '1000';
COMMENT ON COLUMN big_invoices.amount IS $c$as invoiced$c$;
COMMENT ON FUNCTION invoice_amount(int4) IS 'the amount';
COMMENT ON TYPE invoice_state IS U&'lifecycl\0065';

-- case: cm_table_comment_missing
-- expect: invoices missing_comment
@definition
COMMENT ON TABLE invoices IS NULL;

-- case: cm_column_comment_changed
-- expect: invoices.amount comment_changed
@definition
COMMENT ON COLUMN invoices.amount IS 'in euros';

-- case: cm_column_comment_extra
-- expect: invoices.note extra_comment
@definition
COMMENT ON COLUMN invoices.note IS 'free text';

-- case: cm_view_comment_missing
-- expect: big_invoices missing_comment
@definition
COMMENT ON VIEW big_invoices IS '';

-- case: cm_view_column_comment_changed
-- expect: big_invoices.amount comment_changed
@definition
COMMENT ON COLUMN big_invoices.amount IS 'as paid';

-- case: cm_function_comment_changed
-- expect: invoice_amount(integer) comment_changed
@definition
COMMENT ON FUNCTION invoice_amount(integer) IS 'The amount';

-- case: cm_type_comment_changed
-- expect: invoice_state comment_changed
@definition
COMMENT ON TYPE invoice_state IS 'states';

-- Comments on every kind of object, named as its differences name it:
-- "orders.orders_total_positive" (a constraint), "orders.ix_orders_owner"
-- (an index), "orders.orders_touch" (a trigger), "orders.orders_own" (a
-- policy), "order_numbers" (a sequence), "order_totals" and
-- "order_totals.ix_order_totals_owner" (a materialized view and its index),
-- "order_owners.order_owners_insert" (a view's trigger), "amount.amount_min"
-- (a domain's constraint). Re-created objects carry the comment they are
-- given again; a missing view takes its comments and triggers with it.

-- definition: cmo_base
CREATE TABLE orders (
  id integer PRIMARY KEY,
  total numeric NOT NULL CONSTRAINT orders_total_positive CHECK (total >= 0),
  owner text CONSTRAINT orders_owner_short CHECK (length(owner) < 100),
  updated_at timestamptz
);
CREATE INDEX ix_orders_owner ON orders (owner);
CREATE INDEX ix_orders_total ON orders (total);
CREATE FUNCTION orders_touch() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
CREATE TRIGGER orders_touch_insert BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON orders USING (owner = current_user);
CREATE POLICY orders_audit ON orders FOR SELECT USING (true);
CREATE SEQUENCE order_numbers;
CREATE SEQUENCE invoice_numbers;
CREATE MATERIALIZED VIEW order_totals AS SELECT owner, sum(total) AS total FROM orders GROUP BY owner;
CREATE UNIQUE INDEX ix_order_totals_owner ON order_totals (owner);
CREATE VIEW order_owners AS SELECT id, owner FROM orders;
CREATE FUNCTION order_owners_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO orders (id, total, owner) VALUES (NEW.id, 0, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER order_owners_insert INSTEAD OF INSERT ON order_owners
  FOR EACH ROW EXECUTE FUNCTION order_owners_insert();
CREATE DOMAIN amount AS numeric CONSTRAINT amount_min CHECK (VALUE >= 0);
COMMENT ON TABLE orders IS 'orders placed';
COMMENT ON CONSTRAINT orders_total_positive ON orders IS 'no credit notes here';
COMMENT ON CONSTRAINT orders_pkey ON orders IS 'the order number';
COMMENT ON INDEX ix_orders_owner IS 'per owner';
COMMENT ON TRIGGER orders_touch ON orders IS 'keeps updated_at';
COMMENT ON POLICY orders_own ON orders IS 'own orders only';
COMMENT ON SEQUENCE order_numbers IS 'printed on invoices';
COMMENT ON MATERIALIZED VIEW order_totals IS 'refreshed nightly';
COMMENT ON INDEX ix_order_totals_owner IS 'for REFRESH CONCURRENTLY';
COMMENT ON VIEW order_owners IS 'who ordered';
COMMENT ON COLUMN order_owners.owner IS 'the login';
COMMENT ON TRIGGER order_owners_insert ON order_owners IS 'inserts an empty order';
COMMENT ON CONSTRAINT amount_min ON DOMAIN amount IS 'no negatives';

-- case: cmo_same
@definition

-- case: cmo_recreated
@definition
ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
COMMENT ON CONSTRAINT orders_total_positive ON orders IS 'no credit notes here';
DROP INDEX ix_orders_owner;
CREATE INDEX ix_orders_owner ON orders (owner);
COMMENT ON INDEX ix_orders_owner IS 'per owner';
DROP TRIGGER orders_touch ON orders;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
COMMENT ON TRIGGER orders_touch ON orders IS 'keeps updated_at';
DROP POLICY orders_own ON orders;
CREATE POLICY orders_own ON orders USING (owner = current_user);
COMMENT ON POLICY orders_own ON orders IS 'own orders only';
DROP MATERIALIZED VIEW order_totals;
CREATE MATERIALIZED VIEW order_totals AS SELECT owner, sum(total) AS total FROM orders GROUP BY owner;
CREATE UNIQUE INDEX ix_order_totals_owner ON order_totals (owner);
COMMENT ON INDEX ix_order_totals_owner IS 'for REFRESH CONCURRENTLY';
COMMENT ON MATERIALIZED VIEW order_totals IS 'refreshed nightly';

-- case: cmo_other_spellings
CREATE DOMAIN amount AS numeric;
ALTER DOMAIN amount ADD CONSTRAINT amount_min CHECK (VALUE >= 0);
COMMENT ON CONSTRAINT amount_min ON DOMAIN amount IS $$no negatives$$;
CREATE SEQUENCE invoice_numbers;
CREATE SEQUENCE order_numbers;
COMMENT ON SEQUENCE order_numbers IS 'printed on '
  'invoices';
CREATE TABLE orders (id integer, total numeric NOT NULL, owner text, updated_at timestamptz);
ALTER TABLE orders ADD PRIMARY KEY (id);
ALTER TABLE orders ADD CONSTRAINT orders_owner_short CHECK (length(owner) < 100);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
COMMENT ON CONSTRAINT "orders_total_positive" ON "orders" IS E'no credit notes here';
COMMENT ON CONSTRAINT orders_pkey ON orders IS 'the order number';
CREATE INDEX ix_orders_total ON orders (total);
CREATE INDEX ix_orders_owner_old ON orders (owner);
COMMENT ON INDEX ix_orders_owner_old IS 'per owner';
ALTER INDEX ix_orders_owner_old RENAME TO ix_orders_owner;
CREATE FUNCTION orders_touch() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch_insert BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
COMMENT ON TRIGGER orders_touch ON orders IS 'wrong at first';
COMMENT ON TRIGGER orders_touch ON orders IS 'keeps updated_at';
CREATE POLICY orders_audit ON orders FOR SELECT USING (true);
CREATE POLICY orders_own ON orders USING (owner = current_user);
COMMENT ON POLICY orders_own ON orders IS 'own orders only';
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE orders IS 'orders placed';
CREATE VIEW order_owners AS SELECT id, owner FROM orders;
CREATE FUNCTION order_owners_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO orders (id, total, owner) VALUES (NEW.id, 0, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER order_owners_insert INSTEAD OF INSERT ON order_owners
  FOR EACH ROW EXECUTE FUNCTION order_owners_insert();
COMMENT ON TRIGGER order_owners_insert ON order_owners IS 'inserts an empty order';
COMMENT ON COLUMN order_owners.owner IS 'the login';
COMMENT ON VIEW order_owners IS 'who ordered';
CREATE MATERIALIZED VIEW order_totals AS SELECT owner, sum(total) AS total FROM orders GROUP BY owner;
COMMENT ON MATERIALIZED VIEW order_totals IS 'refreshed nightly';
CREATE UNIQUE INDEX ix_order_totals_owner ON order_totals (owner);
COMMENT ON INDEX ix_order_totals_owner IS 'for REFRESH CONCURRENTLY';

-- case: cmo_constraint_comment_missing
-- expect: orders.orders_total_positive missing_comment
@definition
COMMENT ON CONSTRAINT orders_total_positive ON orders IS NULL;

-- case: cmo_constraint_comment_changed
-- expect: orders.orders_total_positive comment_changed
@definition
COMMENT ON CONSTRAINT orders_total_positive ON orders IS 'no credit notes';

-- case: cmo_constraint_comment_extra
-- expect: orders.orders_owner_short extra_comment
@definition
COMMENT ON CONSTRAINT orders_owner_short ON orders IS 'fits on a label';

-- case: cmo_constraint_recreated_without_comment
-- expect: orders.orders_total_positive missing_comment
@definition
ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);

-- case: cmo_index_comment_missing
-- expect: orders.ix_orders_owner missing_comment
@definition
COMMENT ON INDEX ix_orders_owner IS '';

-- case: cmo_index_comment_changed
-- expect: orders.ix_orders_owner comment_changed
@definition
COMMENT ON INDEX ix_orders_owner IS 'per customer';

-- case: cmo_index_comment_extra
-- expect: orders.ix_orders_total extra_comment
@definition
COMMENT ON INDEX ix_orders_total IS 'for reports';

-- case: cmo_primary_key_index_comment_too
-- expect: orders.orders_pkey comment_changed
@definition
COMMENT ON INDEX orders_pkey IS 'the index of the order number';

-- case: cmo_trigger_comment_missing
-- expect: orders.orders_touch missing_comment
@definition
COMMENT ON TRIGGER orders_touch ON orders IS NULL;

-- case: cmo_trigger_comment_changed
-- expect: orders.orders_touch comment_changed
@definition
COMMENT ON TRIGGER orders_touch ON orders IS 'sets updated_at';

-- case: cmo_trigger_comment_extra
-- expect: orders.orders_touch_insert extra_comment
@definition
COMMENT ON TRIGGER orders_touch_insert ON orders IS 'on insert too';

-- case: cmo_view_trigger_comment_changed
-- expect: order_owners.order_owners_insert comment_changed
@definition
COMMENT ON TRIGGER order_owners_insert ON order_owners IS 'inserts an order';

-- case: cmo_policy_comment_missing
-- expect: orders.orders_own missing_comment
@definition
COMMENT ON POLICY orders_own ON orders IS NULL;

-- case: cmo_policy_comment_changed
-- expect: orders.orders_own comment_changed
@definition
COMMENT ON POLICY orders_own ON orders IS 'own orders';

-- case: cmo_policy_comment_extra
-- expect: orders.orders_audit extra_comment
@definition
COMMENT ON POLICY orders_audit ON orders IS 'everyone reads';

-- case: cmo_sequence_comment_missing
-- expect: order_numbers missing_comment
@definition
COMMENT ON SEQUENCE order_numbers IS NULL;

-- case: cmo_sequence_comment_changed
-- expect: order_numbers comment_changed
@definition
COMMENT ON SEQUENCE order_numbers IS 'printed on receipts';

-- case: cmo_sequence_comment_extra
-- expect: invoice_numbers extra_comment
@definition
COMMENT ON SEQUENCE invoice_numbers IS 'printed on invoices';

-- case: cmo_matview_comment_changed
-- expect: order_totals comment_changed
@definition
COMMENT ON MATERIALIZED VIEW order_totals IS 'refreshed hourly';

-- case: cmo_matview_index_comment_missing
-- expect: order_totals.ix_order_totals_owner missing_comment
@definition
COMMENT ON INDEX ix_order_totals_owner IS NULL;

-- case: cmo_domain_constraint_comment_changed
-- expect: amount.amount_min comment_changed
@definition
COMMENT ON CONSTRAINT amount_min ON DOMAIN amount IS 'zero or more';

-- case: cmo_view_missing
-- expect: order_owners missing_view
@definition
DROP VIEW order_owners;

-- case: cmo_matview_missing
-- expect: order_totals missing_materialized_view
@definition
DROP MATERIALIZED VIEW order_totals;

-- The same objects without a comment: the live database's comments, on
-- whatever object, are nobody's concern then.

-- definition: cmo_plain
CREATE TABLE orders (
  id integer PRIMARY KEY,
  total numeric NOT NULL CONSTRAINT orders_total_positive CHECK (total >= 0),
  owner text
);
CREATE INDEX ix_orders_owner ON orders (owner);
CREATE FUNCTION orders_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
CREATE POLICY orders_own ON orders USING (owner = current_user);
CREATE SEQUENCE order_numbers;
CREATE MATERIALIZED VIEW order_totals AS SELECT owner, sum(total) AS total FROM orders GROUP BY owner;
CREATE UNIQUE INDEX ix_order_totals_owner ON order_totals (owner);
CREATE DOMAIN amount AS numeric CONSTRAINT amount_min CHECK (VALUE >= 0);

-- case: cmo_plain_live_commented
@definition
COMMENT ON TABLE orders IS 'orders placed';
COMMENT ON COLUMN orders.total IS 'in cents';
COMMENT ON CONSTRAINT orders_total_positive ON orders IS 'no credit notes here';
COMMENT ON CONSTRAINT orders_pkey ON orders IS 'the order number';
COMMENT ON INDEX ix_orders_owner IS 'per owner';
COMMENT ON TRIGGER orders_touch ON orders IS 'keeps updated_at';
COMMENT ON POLICY orders_own ON orders IS 'own orders only';
COMMENT ON SEQUENCE order_numbers IS 'printed on invoices';
COMMENT ON MATERIALIZED VIEW order_totals IS 'refreshed nightly';
COMMENT ON INDEX ix_order_totals_owner IS 'for REFRESH CONCURRENTLY';
COMMENT ON CONSTRAINT amount_min ON DOMAIN amount IS 'no negatives';

-- case: cmo_plain_live_commented_scope_schema
-- scope: schema
@definition
COMMENT ON CONSTRAINT orders_total_positive ON orders IS 'no credit notes here';
COMMENT ON INDEX ix_orders_owner IS 'per owner';
COMMENT ON TRIGGER orders_touch ON orders IS 'keeps updated_at';
COMMENT ON SEQUENCE order_numbers IS 'printed on invoices';
COMMENT ON SCHEMA c_cmo_plain_live_commented_scope_schema IS 'a tenant';

-- An extension's comment counts when someone wrote it: the one CREATE
-- EXTENSION takes from the extension's control file is not read, so an
-- extension alone never makes a definition one "with comments".

-- definition: cmx_base
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL);
COMMENT ON EXTENSION pg_trgm IS 'for the search box';

-- case: cmx_same
-- own-database
@definition

-- case: cmx_comment_missing
-- own-database
-- expect: pg_trgm missing_comment
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL);

-- case: cmx_comment_changed
-- own-database
-- expect: pg_trgm comment_changed
@definition
COMMENT ON EXTENSION pg_trgm IS 'for search';

-- definition: cmx_plain
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL);

-- case: cmx_plain_same
-- own-database
@definition

-- case: cmx_plain_live_commented
-- own-database
@definition
COMMENT ON EXTENSION pg_trgm IS 'for the search box';
COMMENT ON TABLE docs IS 'documents';

-- definition: cmx_table_comment
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL);
COMMENT ON TABLE docs IS 'documents';

-- case: cmx_extension_commented_extra
-- own-database
-- expect: pg_trgm extra_comment
@definition
COMMENT ON EXTENSION pg_trgm IS 'for the search box';

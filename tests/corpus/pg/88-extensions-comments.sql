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

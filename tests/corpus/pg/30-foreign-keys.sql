-- Foreign keys on PostgreSQL: inline, table level or added later, in any
-- creation order; composite and self-referencing; actions, MATCH and
-- deferrability.

-- definition: fk_base
CREATE TABLE customers (
  id integer PRIMARY KEY,
  email text NOT NULL UNIQUE
);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL,
  backup_email text,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

-- case: fk_same
@definition

-- case: fk_inline_references
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL CONSTRAINT fk_orders_customer REFERENCES customers ON DELETE CASCADE,
  backup_email text
);

-- case: fk_explicit_defaults
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL,
  backup_email text,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
    MATCH SIMPLE ON UPDATE NO ACTION ON DELETE CASCADE NOT DEFERRABLE INITIALLY IMMEDIATE
);

-- case: fk_children_first
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, backup_email text);
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)
  REFERENCES customers (id) ON DELETE CASCADE;

-- case: fk_not_valid_then_validated
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, backup_email text);
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)
  REFERENCES customers (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_customer;

-- case: fk_referenced_table_recreated
CREATE TABLE customers (id integer PRIMARY KEY);
DROP TABLE customers;
@definition

-- case: fk_missing
-- expect: orders.fk_orders_customer missing_foreign_key
@definition
ALTER TABLE orders DROP CONSTRAINT fk_orders_customer;

-- case: fk_extra
-- expect: orders.fk_orders_backup extra_foreign_key
@definition
ALTER TABLE orders ADD CONSTRAINT fk_orders_backup FOREIGN KEY (backup_email) REFERENCES customers (email);

-- case: fk_renamed
-- expect: orders.fk_orders_customer constraint_renamed
@definition
ALTER TABLE orders RENAME CONSTRAINT fk_orders_customer TO orders_customer_id_fkey;

-- case: fk_on_delete_restrict
-- expect: orders.fk_orders_customer foreign_key_action
@definition
ALTER TABLE orders DROP CONSTRAINT fk_orders_customer;
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT;

-- case: fk_no_action_vs_restrict
-- expect: orders.fk_orders_customer foreign_key_action
@definition
ALTER TABLE orders DROP CONSTRAINT fk_orders_customer;
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);

-- case: fk_on_update_cascade_added
-- expect: orders.fk_orders_customer foreign_key_action
@definition
ALTER TABLE orders DROP CONSTRAINT fk_orders_customer;
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
  ON DELETE CASCADE ON UPDATE CASCADE;

-- case: fk_deferrable
-- expect: orders.fk_orders_customer foreign_key_deferrable
@definition
ALTER TABLE orders ALTER CONSTRAINT fk_orders_customer DEFERRABLE INITIALLY DEFERRED;

-- case: fk_match_full
-- expect: orders.fk_orders_customer foreign_key_match
@definition
ALTER TABLE orders DROP CONSTRAINT fk_orders_customer;
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
  MATCH FULL ON DELETE CASCADE;

-- case: fk_other_referenced_column
-- expect: customers.alt_id extra_column
-- expect: customers.customers_alt_id_key extra_unique
-- expect: orders.fk_orders_customer foreign_key_target
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE, alt_id integer UNIQUE);
CREATE TABLE orders (
  id integer PRIMARY KEY, customer_id integer NOT NULL, backup_email text,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (alt_id) ON DELETE CASCADE
);

-- case: fk_referenced_table_missing
-- expect: customers missing_table
-- expect: orders.fk_orders_customer missing_foreign_key
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, backup_email text);

-- case: fk_referenced_unique_dropped
-- expect: customers.customers_email_key missing_unique
@definition
ALTER TABLE customers DROP CONSTRAINT customers_email_key;

-- definition: fk_deferrable_def
CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (
  id integer PRIMARY KEY,
  a_id integer REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED,
  a2_id integer REFERENCES a (id) DEFERRABLE
);

-- case: defer_same
@definition

-- case: defer_spelled_out
CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer, a2_id integer,
  CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT b_a2_id_fkey FOREIGN KEY (a2_id) REFERENCES a DEFERRABLE INITIALLY IMMEDIATE);

-- case: defer_altered_back_and_forth
@definition
ALTER TABLE b ALTER CONSTRAINT b_a_id_fkey NOT DEFERRABLE;
ALTER TABLE b ALTER CONSTRAINT b_a_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- case: defer_initially_immediate
-- expect: b.b_a_id_fkey foreign_key_deferrable
@definition
ALTER TABLE b ALTER CONSTRAINT b_a_id_fkey DEFERRABLE INITIALLY IMMEDIATE;

-- case: defer_not_deferrable
-- expect: b.b_a2_id_fkey foreign_key_deferrable
@definition
ALTER TABLE b ALTER CONSTRAINT b_a2_id_fkey NOT DEFERRABLE;

-- definition: fk_composite
CREATE TABLE regions (
  country text NOT NULL,
  code text NOT NULL,
  name text,
  CONSTRAINT regions_pkey PRIMARY KEY (country, code)
);
CREATE TABLE stores (
  id integer PRIMARY KEY,
  country text NOT NULL,
  region_code text,
  CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code)
    REFERENCES regions (country, code) ON UPDATE CASCADE ON DELETE SET NULL
);

-- case: cfk_same
@definition

-- case: cfk_implicit_referenced_columns
CREATE TABLE regions (country text, code text, name text, PRIMARY KEY (country, code));
CREATE TABLE stores (id integer PRIMARY KEY, country text NOT NULL, region_code text,
  CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code) REFERENCES regions
    ON DELETE SET NULL ON UPDATE CASCADE);

-- case: cfk_match_full
-- expect: stores.fk_stores_region foreign_key_match
@definition
ALTER TABLE stores DROP CONSTRAINT fk_stores_region;
ALTER TABLE stores ADD CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code)
  REFERENCES regions (country, code) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL;

-- case: cfk_on_delete_set_default
-- expect: stores.fk_stores_region foreign_key_action
@definition
ALTER TABLE stores DROP CONSTRAINT fk_stores_region;
ALTER TABLE stores ADD CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code)
  REFERENCES regions (country, code) ON UPDATE CASCADE ON DELETE SET DEFAULT;

-- case: cfk_on_delete_set_null_columns
-- expect: stores.fk_stores_region foreign_key_action
@definition
ALTER TABLE stores DROP CONSTRAINT fk_stores_region;
ALTER TABLE stores ADD CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code)
  REFERENCES regions (country, code) ON UPDATE CASCADE ON DELETE SET NULL (region_code);

-- The server keeps a list naming every column of the key as written; it
-- sets the same columns as SET NULL alone, in any order.
-- case: cfk_on_delete_set_null_all_columns
@definition
ALTER TABLE stores DROP CONSTRAINT fk_stores_region;
ALTER TABLE stores ADD CONSTRAINT fk_stores_region FOREIGN KEY (country, region_code)
  REFERENCES regions (country, code) ON UPDATE CASCADE ON DELETE SET NULL (region_code, country);

-- case: cfk_one_column_only
-- expect: regions.regions_code_key extra_unique
-- expect: stores.fk_stores_region foreign_key_target
CREATE TABLE regions (country text NOT NULL, code text NOT NULL, name text,
  CONSTRAINT regions_pkey PRIMARY KEY (country, code), CONSTRAINT regions_code_key UNIQUE (code));
CREATE TABLE stores (id integer PRIMARY KEY, country text NOT NULL, region_code text,
  CONSTRAINT fk_stores_region FOREIGN KEY (region_code) REFERENCES regions (code)
    ON UPDATE CASCADE ON DELETE SET NULL);

-- case: cfk_pk_column_order
-- expect: regions.regions_pkey primary_key_columns
-- expect: stores.fk_stores_region foreign_key_target
CREATE TABLE regions (country text NOT NULL, code text NOT NULL, name text,
  CONSTRAINT regions_pkey PRIMARY KEY (code, country));
CREATE TABLE stores (id integer PRIMARY KEY, country text NOT NULL, region_code text,
  CONSTRAINT fk_stores_region FOREIGN KEY (region_code, country)
    REFERENCES regions (code, country) ON UPDATE CASCADE ON DELETE SET NULL);

-- definition: fk_set_columns
CREATE TABLE areas (
  tenant integer NOT NULL,
  code text NOT NULL,
  CONSTRAINT areas_pkey PRIMARY KEY (tenant, code)
);
CREATE TABLE shops (
  id integer PRIMARY KEY,
  tenant integer NOT NULL,
  area text DEFAULT 'none',
  CONSTRAINT fk_shops_area FOREIGN KEY (tenant, area) REFERENCES areas (tenant, code)
    ON DELETE SET NULL (area)
);

-- case: fsc_same
@definition

-- case: fsc_added_by_alter
CREATE TABLE areas (tenant integer NOT NULL, code text NOT NULL, PRIMARY KEY (tenant, code));
CREATE TABLE shops (id integer PRIMARY KEY, tenant integer NOT NULL, area text DEFAULT 'none');
ALTER TABLE shops ADD CONSTRAINT fk_shops_area FOREIGN KEY (tenant, area)
  REFERENCES areas ON DELETE SET NULL (area) ON UPDATE NO ACTION;

-- case: fsc_every_column
-- expect: shops.fk_shops_area foreign_key_action
@definition
ALTER TABLE shops DROP CONSTRAINT fk_shops_area;
ALTER TABLE shops ADD CONSTRAINT fk_shops_area FOREIGN KEY (tenant, area)
  REFERENCES areas (tenant, code) ON DELETE SET NULL;

-- case: fsc_set_default_columns
-- expect: shops.fk_shops_area foreign_key_action
@definition
ALTER TABLE shops DROP CONSTRAINT fk_shops_area;
ALTER TABLE shops ADD CONSTRAINT fk_shops_area FOREIGN KEY (tenant, area)
  REFERENCES areas (tenant, code) ON DELETE SET DEFAULT (area);

-- case: fsc_renamed
-- expect: shops.fk_shops_area constraint_renamed
@definition
ALTER TABLE shops RENAME CONSTRAINT fk_shops_area TO shops_tenant_area_fkey;

-- definition: fk_self
CREATE TABLE employees (
  id integer PRIMARY KEY,
  manager_id integer,
  mentor_id integer,
  CONSTRAINT fk_employees_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL,
  CONSTRAINT fk_employees_mentor FOREIGN KEY (mentor_id) REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX ix_employees_manager ON employees (manager_id);

-- case: self_same
@definition

-- case: self_inline
CREATE TABLE employees (
  id integer PRIMARY KEY,
  manager_id integer CONSTRAINT fk_employees_manager REFERENCES employees ON DELETE SET NULL,
  mentor_id integer CONSTRAINT fk_employees_mentor REFERENCES employees DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX ix_employees_manager ON employees USING btree (manager_id);

-- case: self_added_later
CREATE TABLE employees (id integer, manager_id integer, mentor_id integer);
CREATE INDEX ix_employees_manager ON employees (manager_id);
ALTER TABLE employees ADD PRIMARY KEY (id);
ALTER TABLE employees ADD CONSTRAINT fk_employees_mentor FOREIGN KEY (mentor_id) REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE employees ADD CONSTRAINT fk_employees_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL;

-- case: self_action_changed
-- expect: employees.fk_employees_manager foreign_key_action
@definition
ALTER TABLE employees DROP CONSTRAINT fk_employees_manager;
ALTER TABLE employees ADD CONSTRAINT fk_employees_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE CASCADE;

-- case: self_missing
-- expect: employees.fk_employees_mentor missing_foreign_key
@definition
ALTER TABLE employees DROP CONSTRAINT fk_employees_mentor;

-- case: self_swapped_columns
-- expect: employees.fk_employees_manager foreign_key_target
-- expect: employees.fk_employees_mentor foreign_key_target
-- expect: employees.fk_employees_manager foreign_key_action
-- expect: employees.fk_employees_mentor foreign_key_action
-- expect: employees.fk_employees_manager foreign_key_deferrable
-- expect: employees.fk_employees_mentor foreign_key_deferrable
CREATE TABLE employees (
  id integer PRIMARY KEY, manager_id integer, mentor_id integer,
  CONSTRAINT fk_employees_manager FOREIGN KEY (mentor_id) REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT fk_employees_mentor FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL
);
CREATE INDEX ix_employees_manager ON employees (manager_id);

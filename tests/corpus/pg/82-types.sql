-- Types on PostgreSQL (daemon/pgobj_rel.c): enums (labels in order),
-- domains (base type, default, NOT NULL, collation, each named CHECK) and
-- composite types (attributes with their types, in order). Types are read
-- by name; a table's or view's row type is not a composite type.

-- definition: ty_enum
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad', st status);

-- case: enum_same
@definition

-- case: enum_labels_added_later
CREATE TYPE status AS ENUM ('new', 'shipped');
ALTER TYPE status ADD VALUE 'paid' AFTER 'new';
CREATE TYPE mood AS ENUM ('sad');
ALTER TYPE mood ADD VALUE 'happy';
ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad'::mood, st status);

-- case: enum_recreated
@definition
DROP TABLE people;
DROP TYPE status;
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad', st status);

-- case: enum_label_renamed_back
@definition
ALTER TYPE status RENAME VALUE 'paid' TO 'settled';
ALTER TYPE status RENAME VALUE 'settled' TO 'paid';

-- case: enum_label_order
-- expect: mood enum_changed
CREATE TYPE mood AS ENUM ('ok', 'sad', 'happy');
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad', st status);

-- case: enum_label_missing
-- expect: status enum_changed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE status AS ENUM ('new', 'paid');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad', st status);

-- case: enum_label_extra
-- expect: status enum_changed
@definition
ALTER TYPE status ADD VALUE 'refunded';

-- case: enum_label_renamed
-- expect: status enum_changed
@definition
ALTER TYPE status RENAME VALUE 'paid' TO 'settled';

-- case: enum_label_case
-- expect: mood enum_changed
@definition
ALTER TYPE mood RENAME VALUE 'ok' TO 'OK';

-- case: enum_missing
-- expect: people.st column_type
-- expect: status missing_enum
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'sad', st text);

-- definition: ty_domain
CREATE DOMAIN email AS text COLLATE "C" CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
CREATE DOMAIN qty AS integer NOT NULL DEFAULT 1
  CONSTRAINT qty_positive CHECK (VALUE > 0) CONSTRAINT qty_small CHECK (VALUE <= 1000);
CREATE DOMAIN price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);

-- case: dom_same
@definition

-- case: dom_checks_respelled
create domain EMAIL text collate "C" constraint email_has_at check (value ~~ '%@%');
create domain qty int4 default (1) not null
  constraint qty_positive check (((VALUE) > (0))) constraint qty_small check (value <= 1000::integer);
create domain price numeric(10,2) check (value >= 0::numeric);
create table items (id int primary key, contact email, n qty, p price);

-- case: dom_altered_into_shape
CREATE DOMAIN email AS text COLLATE "C";
CREATE DOMAIN qty AS integer;
CREATE DOMAIN price AS numeric(10,2);
ALTER DOMAIN qty SET DEFAULT 1;
ALTER DOMAIN qty SET NOT NULL;
ALTER DOMAIN qty ADD CONSTRAINT qty_small CHECK (VALUE <= 1000);
ALTER DOMAIN qty ADD CONSTRAINT qty_positive CHECK (VALUE > 0);
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER DOMAIN price ADD CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);

-- case: dom_check_renamed_back
@definition
ALTER DOMAIN qty RENAME CONSTRAINT qty_small TO qty_max;
ALTER DOMAIN qty RENAME CONSTRAINT qty_max TO qty_small;

-- case: dom_default_as_text
CREATE DOMAIN email AS text COLLATE "C" CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
CREATE DOMAIN qty AS integer DEFAULT '1' NOT NULL
  CONSTRAINT qty_positive CHECK (VALUE > 0) CONSTRAINT qty_small CHECK (VALUE <= 1000);
CREATE DOMAIN price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);

-- case: dom_check_validated_later
CREATE DOMAIN email AS text COLLATE "C";
CREATE DOMAIN qty AS integer NOT NULL DEFAULT 1
  CONSTRAINT qty_positive CHECK (VALUE > 0) CONSTRAINT qty_small CHECK (VALUE <= 1000);
CREATE DOMAIN price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;
ALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;

-- case: dom_base_type
-- expect: price domain_changed
@definition
DROP TABLE items;
DROP DOMAIN price;
CREATE DOMAIN price AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);

-- case: dom_nullable
-- expect: qty domain_changed
@definition
ALTER DOMAIN qty DROP NOT NULL;

-- case: dom_default_changed
-- expect: qty domain_changed
@definition
ALTER DOMAIN qty SET DEFAULT 2;

-- case: dom_default_dropped
-- expect: qty domain_changed
@definition
ALTER DOMAIN qty DROP DEFAULT;

-- case: dom_check_changed
-- expect: qty domain_changed
@definition
ALTER DOMAIN qty DROP CONSTRAINT qty_small;
ALTER DOMAIN qty ADD CONSTRAINT qty_small CHECK (VALUE < 1000);

-- case: dom_check_renamed
-- expect: qty domain_changed
-- expect: qty domain_changed
@definition
ALTER DOMAIN qty RENAME CONSTRAINT qty_small TO qty_max;

-- case: dom_check_missing
-- expect: email domain_changed
@definition
ALTER DOMAIN email DROP CONSTRAINT email_has_at;

-- case: dom_check_extra
-- expect: price domain_changed
@definition
ALTER DOMAIN price ADD CONSTRAINT price_cents CHECK (VALUE = round(VALUE, 2));

-- case: dom_collation
-- expect: email domain_changed
CREATE DOMAIN email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
CREATE DOMAIN qty AS integer NOT NULL DEFAULT 1
  CONSTRAINT qty_positive CHECK (VALUE > 0) CONSTRAINT qty_small CHECK (VALUE <= 1000);
CREATE DOMAIN price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p price);

-- case: dom_missing
-- expect: items.p column_type
-- expect: price missing_domain
CREATE DOMAIN email AS text COLLATE "C" CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
CREATE DOMAIN qty AS integer NOT NULL DEFAULT 1
  CONSTRAINT qty_positive CHECK (VALUE > 0) CONSTRAINT qty_small CHECK (VALUE <= 1000);
CREATE TABLE items (id integer PRIMARY KEY, contact email, n qty, p numeric(10,2));

-- definition: ty_composite
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TYPE reading AS (at date, lvl level, vals integer[]);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_same
@definition

-- case: comp_built_by_alter
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TYPE address AS (street text);
ALTER TYPE address ADD ATTRIBUTE city text COLLATE "C", ADD ATTRIBUTE zip varchar(10);
CREATE TYPE reading AS (at date, lvl level, legacy boolean, vals integer[]);
ALTER TYPE reading DROP ATTRIBUTE legacy;
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_types_respelled
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TYPE address AS ("street" text, city text collate "C", zip character varying(10));
CREATE TYPE reading AS (at date, lvl level, vals int4[]);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_attribute_type
-- expect: address composite_type_changed
@definition
DROP TABLE sites;
ALTER TYPE address ALTER ATTRIBUTE zip TYPE varchar(12);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_recreated
@definition
DROP TABLE sites;
DROP TYPE address;
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_created_in_other_order
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE sites (id integer PRIMARY KEY, addr address);
CREATE TYPE reading AS (at date, lvl level, vals integer[]);
ALTER TABLE sites ADD COLUMN last reading;

-- case: comp_attribute_renamed_back
@definition
ALTER TYPE reading RENAME ATTRIBUTE lvl TO level;
ALTER TYPE reading RENAME ATTRIBUTE level TO lvl;

-- case: comp_attribute_order
-- expect: address composite_type_changed
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TYPE address AS (street text, zip varchar(10), city text COLLATE "C");
CREATE TYPE reading AS (at date, lvl level, vals integer[]);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_attribute_missing
-- expect: reading composite_type_changed
@definition
ALTER TYPE reading DROP ATTRIBUTE vals;

-- case: comp_attribute_collation
-- expect: address composite_type_changed
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TYPE address AS (street text, city text, zip varchar(10));
CREATE TYPE reading AS (at date, lvl level, vals integer[]);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

-- case: comp_attribute_renamed
-- expect: reading composite_type_changed
@definition
ALTER TYPE reading RENAME ATTRIBUTE lvl TO level;

-- case: comp_enum_changed_under_it
-- expect: level enum_changed
@definition
ALTER TYPE level ADD VALUE 'medium' BEFORE 'high';

-- case: comp_as_table
-- expect: address missing_composite_type
CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE address (street text, city text COLLATE "C", zip varchar(10));
CREATE TYPE reading AS (at date, lvl level, vals integer[]);
CREATE TABLE sites (id integer PRIMARY KEY, addr address, last reading);

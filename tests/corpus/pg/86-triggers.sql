-- Triggers: "table.trigger", compared by timing (BEFORE, AFTER, INSTEAD
-- OF), events (INSERT, UPDATE [OF columns], DELETE, TRUNCATE: in that
-- order, columns sorted, however they were written), level (ROW,
-- STATEMENT), WHEN condition (as the server deparses it), the function
-- called with its arguments, REFERENCING transition tables,
-- deferrability of a constraint trigger, and whether it is disabled.
-- A foreign key's internal triggers are its own, never read. A view's
-- INSTEAD OF triggers are read with the view; a missing (or, with scope:
-- schema, extra) view is the one difference, not its triggers too.

-- definition: tr_base
CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, owner text, updated_at timestamptz);
CREATE TABLE transfers (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), amount numeric NOT NULL);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance, owner ON accounts
  FOR EACH ROW WHEN (NEW.balance >= 0) EXECUTE FUNCTION touch();
CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit('accounts', 'v1');
CREATE CONSTRAINT TRIGGER accounts_check AFTER UPDATE ON accounts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION audit();
CREATE TRIGGER transfers_log AFTER INSERT ON transfers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE VIEW account_owners AS SELECT id, owner FROM accounts;
CREATE FUNCTION owners_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO accounts (id, owner) VALUES (NEW.id, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER account_owners_insert INSTEAD OF INSERT ON account_owners
  FOR EACH ROW EXECUTE FUNCTION owners_insert();

-- case: tr_same
@definition

-- case: tr_events_other_order
CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, owner text, updated_at timestamptz);
CREATE TABLE transfers (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), amount numeric NOT NULL);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER accounts_touch BEFORE UPDATE OF owner, balance OR INSERT ON accounts
  FOR EACH ROW WHEN (NEW.balance >= 0) EXECUTE FUNCTION touch();
CREATE TRIGGER accounts_audit AFTER DELETE OR INSERT OR UPDATE ON accounts
  EXECUTE FUNCTION audit('accounts', 'v1');
CREATE CONSTRAINT TRIGGER accounts_check AFTER UPDATE ON accounts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION audit();
CREATE TRIGGER transfers_log AFTER INSERT ON transfers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE VIEW account_owners AS SELECT id, owner FROM accounts;
CREATE FUNCTION owners_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO accounts (id, owner) VALUES (NEW.id, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER account_owners_insert INSTEAD OF INSERT ON account_owners
  FOR EACH ROW EXECUTE FUNCTION owners_insert();

-- case: tr_when_respelled
CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, owner text, updated_at timestamptz);
CREATE TABLE transfers (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), amount numeric NOT NULL);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
create trigger ACCOUNTS_TOUCH before insert or update of BALANCE, OWNER on ACCOUNTS
  for each row when (((new.BALANCE) >= 0)) execute procedure TOUCH();
create trigger accounts_audit after insert or update or delete on accounts
  for each statement execute procedure audit('accounts', $$v1$$);
create constraint trigger accounts_check after update on accounts
  initially deferred for each row
  when ((old.BALANCE is distinct from NEW.balance)) execute function audit();
CREATE TRIGGER transfers_log AFTER INSERT ON transfers
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit();
CREATE VIEW account_owners AS SELECT id, owner FROM accounts;
CREATE FUNCTION owners_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO accounts (id, owner) VALUES (NEW.id, NEW.owner); RETURN NEW; END $$;
CREATE TRIGGER account_owners_insert INSTEAD OF INSERT ON account_owners
  FOR EACH ROW EXECUTE FUNCTION owners_insert();

-- case: tr_recreated
@definition
DROP TRIGGER accounts_audit ON accounts;
CREATE OR REPLACE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance, owner ON accounts
  FOR EACH ROW WHEN (NEW.balance >= 0) EXECUTE FUNCTION touch();
CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit('accounts', 'v1');

-- case: tr_disabled_and_enabled
@definition
ALTER TABLE accounts DISABLE TRIGGER accounts_audit;
ALTER TABLE accounts ENABLE TRIGGER accounts_audit;
ALTER TABLE accounts DISABLE TRIGGER ALL;
ALTER TABLE accounts ENABLE TRIGGER ALL;

-- case: tr_when_cast_spelled
@definition
CREATE OR REPLACE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance, owner ON accounts
  FOR EACH ROW WHEN (NEW.balance >= 0::numeric) EXECUTE FUNCTION touch();

-- case: tr_missing
-- expect: accounts.accounts_audit missing_trigger
@definition
DROP TRIGGER accounts_audit ON accounts;

-- case: tr_extra
-- expect: accounts.accounts_touch_again extra_trigger
@definition
CREATE TRIGGER accounts_touch_again BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();

-- case: tr_timing_changed
-- expect: accounts.accounts_audit trigger_changed
@definition
DROP TRIGGER accounts_audit ON accounts;
CREATE TRIGGER accounts_audit BEFORE INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit('accounts', 'v1');

-- case: tr_event_dropped
-- expect: accounts.accounts_audit trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_audit AFTER INSERT OR UPDATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit('accounts', 'v1');

-- case: tr_update_of_narrower
-- expect: accounts.accounts_touch trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance ON accounts
  FOR EACH ROW WHEN (NEW.balance >= 0) EXECUTE FUNCTION touch();

-- case: tr_level_changed
-- expect: accounts.accounts_audit trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION audit('accounts', 'v1');

-- case: tr_when_changed
-- expect: accounts.accounts_touch trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance, owner ON accounts
  FOR EACH ROW WHEN (NEW.balance > 0) EXECUTE FUNCTION touch();

-- case: tr_when_dropped
-- expect: accounts.accounts_touch trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OF balance, owner ON accounts
  FOR EACH ROW EXECUTE FUNCTION touch();

-- case: tr_arguments_changed
-- expect: accounts.accounts_audit trigger_changed
@definition
CREATE OR REPLACE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit('accounts', 'v2');

-- case: tr_function_changed
-- expect: accounts.accounts_audit trigger_changed
@definition
CREATE FUNCTION audit_v2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE OR REPLACE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION audit_v2('accounts', 'v1');

-- case: tr_not_deferred
-- expect: accounts.accounts_check trigger_changed
@definition
DROP TRIGGER accounts_check ON accounts;
CREATE CONSTRAINT TRIGGER accounts_check AFTER UPDATE ON accounts
  DEFERRABLE FOR EACH ROW
  WHEN (OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION audit();

-- case: tr_disabled
-- expect: accounts.accounts_audit trigger_changed
@definition
ALTER TABLE accounts DISABLE TRIGGER accounts_audit;

-- case: tr_transition_table_renamed
-- expect: transfers.transfers_log trigger_changed
@definition
DROP TRIGGER transfers_log ON transfers;
CREATE TRIGGER transfers_log AFTER INSERT ON transfers
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit();

-- case: tr_view_trigger_missing
-- expect: account_owners.account_owners_insert missing_trigger
@definition
DROP TRIGGER account_owners_insert ON account_owners;

-- case: tr_view_trigger_extra
-- expect: account_owners.account_owners_update extra_trigger
@definition
CREATE TRIGGER account_owners_update INSTEAD OF UPDATE ON account_owners
  FOR EACH ROW EXECUTE FUNCTION owners_insert();

-- case: tr_view_missing
-- expect: account_owners missing_view
@definition
DROP VIEW account_owners;

-- case: tr_view_extra_scope_schema
-- scope: schema
-- expect: order_owners extra_view
@definition
CREATE VIEW order_owners AS SELECT id, owner FROM accounts;
CREATE TRIGGER order_owners_insert INSTEAD OF INSERT ON order_owners
  FOR EACH ROW EXECUTE FUNCTION owners_insert();

-- case: tr_function_body_changed
-- expect: touch() function_changed
@definition
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;

-- Conditions and arguments holding the words the WHEN is cut out at: the
-- condition is found outside string literals and quoted identifiers, the
-- arguments are read from pg_trigger.tgargs, not from the deparsed text.

-- definition: tr_lit_base
CREATE TABLE notes (id integer PRIMARY KEY, note text);
CREATE FUNCTION note_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER notes_log BEFORE UPDATE ON notes FOR EACH ROW
  WHEN (NEW.note IS DISTINCT FROM ' EXECUTE FUNCTION x()')
  EXECUTE FUNCTION note_log(') EXECUTE FUNCTION y(', 'it''s');
CREATE TRIGGER "notes FOR EACH ROW WHEN (" AFTER UPDATE ON notes FOR EACH ROW
  WHEN (OLD.note = ') EXECUTE FUNCTION note_log(' AND NEW.id > 0) EXECUTE FUNCTION note_log();

-- case: tr_lit_same
@definition

-- case: tr_lit_respelled
CREATE TABLE notes (id integer PRIMARY KEY, note text);
CREATE FUNCTION note_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
create trigger NOTES_LOG before update on NOTES for each row
  when ((new.NOTE is distinct from $$ EXECUTE FUNCTION x()$$))
  execute procedure note_log($q$) EXECUTE FUNCTION y($q$, E'it\'s');
create trigger "notes FOR EACH ROW WHEN (" after update on notes for each row
  when (old.note = E') EXECUTE FUNCTION note_log(' and (new.id > 0)) execute function note_log();

-- case: tr_lit_when_literal_changed
-- expect: notes.notes_log trigger_changed
@definition
CREATE OR REPLACE TRIGGER notes_log BEFORE UPDATE ON notes FOR EACH ROW
  WHEN (NEW.note IS DISTINCT FROM ' EXECUTE FUNCTION z()')
  EXECUTE FUNCTION note_log(') EXECUTE FUNCTION y(', 'it''s');

-- case: tr_lit_argument_changed
-- expect: notes.notes_log trigger_changed
@definition
CREATE OR REPLACE TRIGGER notes_log BEFORE UPDATE ON notes FOR EACH ROW
  WHEN (NEW.note IS DISTINCT FROM ' EXECUTE FUNCTION x()')
  EXECUTE FUNCTION note_log(') EXECUTE FUNCTION y(', 'its');

-- case: tr_lit_quoted_name_when_changed
-- expect: notes.notes FOR EACH ROW WHEN ( trigger_changed
@definition
CREATE OR REPLACE TRIGGER "notes FOR EACH ROW WHEN (" AFTER UPDATE ON notes FOR EACH ROW
  WHEN (OLD.note = ') EXECUTE FUNCTION note_log(' AND NEW.id > 1) EXECUTE FUNCTION note_log();

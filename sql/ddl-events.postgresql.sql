-- ddl-events.postgresql.sql — tell schemawatchd at once when DDL runs.
--
-- Installs two event triggers (ddl_command_end, sql_drop) that send
-- pg_notify('schemawatchd_ddl', SCHEMA) for every schema a DDL command
-- touched ('' when the command names none, e.g. CREATE SCHEMA). A target with
-- `ddl_events: true` LISTENs on that channel on its kept connection and
-- checks as soon as a notification arrives; polling at its interval goes on
-- regardless, so a lost notification only delays a check to the next poll.
--
-- Event triggers need a superuser (PostgreSQL 15 has no other way), once per
-- database. Managed services (RDS, Cloud SQL, Azure...) may refuse them; the
-- daemon then simply keeps polling. Install with
--     psql -v ON_ERROR_STOP=1 -d DBNAME -f ddl-events.postgresql.sql
-- or  schemawatchd --install-ddl-events TARGET
-- Remove with
--     DROP EVENT TRIGGER schemawatchd_ddl_end; DROP EVENT TRIGGER schemawatchd_sql_drop;
--     DROP SCHEMA schemawatchd CASCADE;
-- Safe to run again: it replaces what it installed before.

BEGIN;

CREATE SCHEMA IF NOT EXISTS schemawatchd;

CREATE OR REPLACE FUNCTION schemawatchd.notify_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
	s text;
BEGIN
	IF TG_EVENT = 'sql_drop' THEN
		FOR s IN SELECT DISTINCT coalesce(schema_name, '')
		           FROM pg_event_trigger_dropped_objects() LOOP
			PERFORM pg_notify('schemawatchd_ddl', s);
		END LOOP;
	ELSE
		FOR s IN SELECT DISTINCT coalesce(schema_name, '')
		           FROM pg_event_trigger_ddl_commands() LOOP
			PERFORM pg_notify('schemawatchd_ddl', s);
		END LOOP;
	END IF;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS schemawatchd_ddl_end;
CREATE EVENT TRIGGER schemawatchd_ddl_end ON ddl_command_end
	EXECUTE FUNCTION schemawatchd.notify_ddl();
DROP EVENT TRIGGER IF EXISTS schemawatchd_sql_drop;
CREATE EVENT TRIGGER schemawatchd_sql_drop ON sql_drop
	EXECUTE FUNCTION schemawatchd.notify_ddl();

COMMIT;

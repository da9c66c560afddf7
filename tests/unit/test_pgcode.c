/* Tests for pgobj_code.c against the harness's real PostgreSQL: what the
 * catalog query reads of functions, procedures, triggers, policies,
 * extensions and comments, property by property — the target schema's
 * qualification gone from deparsed texts, events in one order, extension
 * members and plpgsql left out, the name filter of scope: definition. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "catalog.h"
#include "catobj.h"
#include "pgcat.h"
#include "util.h"
#include "cathelp.h"
#include "tap.h"

static PGconn *admin, *conn;
static char *dbname;

/* The catalog of schema: everything (names NULL) or the tables and
 * schema-level object names given. */
static struct catalog *
read_schema(const char *schema, char **tables, int ntables, char **names, int nnames)
{
	struct cat_strv tv = { tables, ntables }, nv = { names, nnames };
	struct cat_want w = { &tv, &nv, tables == NULL, NULL };

	return th_read(conn, schema, &w, NULL, NULL);
}

/* The raw text of property key of object (kind, name); "(none)" when the
 * property is absent, "(no object)" when the object is. */
static const char *
prop(const struct catalog *cat, const char *kind, const char *name, const char *key)
{
	const struct cat_object *o = cat != NULL ? cat_find_object(cat, kind, name) : NULL;
	const struct cat_prop *p;

	if (o == NULL)
		return "(no object)";
	p = cat_prop_get(&o->props, key);
	return p != NULL ? p->raw : "(none)";
}

static const char schema_sql[] =
    "CREATE TABLE t (a int PRIMARY KEY, b text, c int);"
    "CREATE TABLE child (id int PRIMARY KEY, a int REFERENCES t);"
    "CREATE TYPE mood AS ENUM ('x');"
    "CREATE FUNCTION f(x int, m mood DEFAULT 'x') RETURNS int LANGUAGE sql IMMUTABLE STRICT"
    "  PARALLEL SAFE SET work_mem = '1MB' AS $b$ SELECT x /* one */ $b$;"
    "CREATE FUNCTION g() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM t);"
    "CREATE PROCEDURE p(INOUT n int) LANGUAGE sql BEGIN ATOMIC SELECT n + 1; END;"
    "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
    "CREATE AGGREGATE agg(int) (SFUNC = int4pl, STYPE = int);"
    "CREATE TRIGGER tr BEFORE UPDATE OF c, b OR DELETE OR INSERT ON t FOR EACH ROW"
    "  EXECUTE FUNCTION tf('x', 'it''s');"
    "CREATE TRIGGER tw AFTER UPDATE ON t FOR EACH ROW"
    "  WHEN (OLD.* IS DISTINCT FROM NEW.* AND NEW.a > 0) EXECUTE FUNCTION app.tf();"
    "CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION tf();"
    "CREATE VIEW v AS SELECT a FROM t;"
    "CREATE TRIGGER vt INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION tf();"
    "ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY pol ON t AS RESTRICTIVE FOR UPDATE TO pg_read_all_stats, pg_monitor"
    "  USING (a = (SELECT count(*) FROM t)::int) WITH CHECK (b <> '');"
    "COMMENT ON TABLE t IS 'the t';"
    "COMMENT ON COLUMN t.b IS 'bee';"
    "COMMENT ON VIEW v IS 'vee';"
    "COMMENT ON FUNCTION f(int, mood) IS 'eff';"
    "COMMENT ON TYPE mood IS 'mood';"
    "COMMENT ON AGGREGATE agg(int) IS 'not read';"
    /* WHEN and arguments holding the words the WHEN is cut at */
    "CREATE TRIGGER \"x FOR EACH ROW WHEN (\" BEFORE UPDATE ON t FOR EACH ROW"
    "  WHEN (NEW.b IS DISTINCT FROM ' EXECUTE FUNCTION x()')"
    "  EXECUTE FUNCTION tf(' EXECUTE FUNCTION ', 'a\\b', '', 'ü');"
    "CREATE TRIGGER tq BEFORE UPDATE ON t FOR EACH ROW"
    "  WHEN (NEW.b = ') EXECUTE FUNCTION tf(' AND NEW.\"c\" > 0) EXECUTE FUNCTION tf();"
    "CREATE TRIGGER ts BEFORE UPDATE ON t FOR EACH ROW"
    "  EXECUTE FUNCTION suppress_redundant_updates_trigger();"
    /* comments on every kind of object */
    "CREATE INDEX t_c ON t (c);"
    "ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c > 0);"
    "CREATE SEQUENCE s;"
    "CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY);"
    "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;"
    "CREATE INDEX mv_a ON mv (a);"
    "CREATE DOMAIN pos AS int CONSTRAINT pos_check CHECK (VALUE > 0);"
    "COMMENT ON CONSTRAINT t_c_check ON t IS 'positive';"
    "COMMENT ON INDEX t_c IS 'by c';"
    "COMMENT ON TRIGGER tr ON t IS 'touch';"
    "COMMENT ON POLICY pol ON t IS 'who';"
    "COMMENT ON SEQUENCE s IS 'numbers';"
    "COMMENT ON SEQUENCE ident_id_seq IS 'an identity''s';"
    "COMMENT ON MATERIALIZED VIEW mv IS 'em';"
    "COMMENT ON INDEX mv_a IS 'mv by a';"
    "COMMENT ON TRIGGER vt ON v IS 'instead';"
    "COMMENT ON CONSTRAINT pos_check ON DOMAIN pos IS 'above zero';"
    "COMMENT ON CONSTRAINT t_pkey ON t IS 'the key';"
    "COMMENT ON INDEX t_pkey IS 'its index';";

/* One schema, read whole: every property as the fragments spell it. */
static void
test_whole_schema(void)
{
	struct catalog *cat;
	const struct cat_object *o;
	int i, nfunc = 0;

	cat = read_schema("app", NULL, 0, NULL, 0);
	ok(cat != NULL, "the catalog of schema app is read");
	if (cat == NULL)
		return;
	is_str(prop(cat, "function", "f(integer, mood)", "arguments"),
	    "x integer, m mood DEFAULT 'x'::mood", "arguments unqualified, with defaults");
	is_str(prop(cat, "function", "f(integer, mood)", "returns"), "integer", "returns");
	is_str(prop(cat, "function", "f(integer, mood)", "volatility"), "IMMUTABLE", "volatility");
	is_str(prop(cat, "function", "f(integer, mood)", "strict"), "STRICT", "strict");
	is_str(prop(cat, "function", "f(integer, mood)", "parallel"), "SAFE", "parallel");
	is_str(prop(cat, "function", "f(integer, mood)", "security"), "(none)",
	    "SECURITY INVOKER is no property");
	is_str(prop(cat, "function", "f(integer, mood)", "config"), "work_mem=1MB", "config");
	is_str(prop(cat, "function", "f(integer, mood)", "body"), " SELECT x /* one */ ",
	    "a string body is prosrc as written");
	is_str(prop(cat, "function", "g()", "body"),
	    "RETURN (SELECT count(*) AS count FROM t)\n",
	    "an SQL-standard body is deparsed, without the schema");
	ok(strstr(prop(cat, "procedure", "p(integer)", "body"), "BEGIN ATOMIC") != NULL,
	    "a procedure's BEGIN ATOMIC body");
	is_str(prop(cat, "procedure", "p(integer)", "volatility"), "(none)",
	    "a procedure has no volatility");
	for (i = 0; i < cat->nobjects; i++) {
		o = &cat->objects[i];
		nfunc += strcmp(o->kind, "function") == 0;
		ok(strncmp(o->name, "agg(", 4) != 0, "an aggregate is not read");
		ok(strcmp(o->kind, "extension") != 0 || strcmp(o->name, "plpgsql") != 0,
		    "plpgsql is not read");
		ok(strcmp(o->kind, "function") != 0 || strncmp(o->name, "similarity(", 11) != 0,
		    "an extension's function is not read");
		ok(strchr(o->name, '.') == NULL || strncmp(o->name, "app.", 4) != 0,
		    "no name is qualified");
	}
	is_int(nfunc, 3, "three functions (f, g, tf)");
	is_str(prop(cat, "extension", "pg_trgm", "schema"), "(none)",
	    "an extension in the watched schema has no schema property");
	is_str(prop(cat, "extension", "pg_trgm", "version"), "1.6", "the extension's version");

	is_str(prop(cat, "trigger", "t.tr", "events"), "INSERT OR UPDATE OF b, c OR DELETE",
	    "events in one order, UPDATE OF sorted");
	is_str(prop(cat, "trigger", "t.tr", "timing"), "BEFORE", "timing");
	is_str(prop(cat, "trigger", "t.tr", "level"), "ROW", "level");
	is_str(prop(cat, "trigger", "t.tr", "when"), "(none)", "no WHEN");
	is_str(prop(cat, "trigger", "t.tw", "when"), "old.* IS DISTINCT FROM new.* AND new.a > 0",
	    "WHEN, cut out of the trigger's definition");
	is_str(prop(cat, "trigger", "t.tw", "function"), "tf()", "a qualified function unqualified");
	is_str(prop(cat, "trigger", "t.tw", "level"), "ROW", "level");
	is_str(prop(cat, "trigger", "t.tr", "function"), "tf('x', 'it''s')",
	    "the function, unqualified, with its arguments");
	is_str(prop(cat, "trigger", "t.tr", "deferrable"), "(none)",
	    "deferrable only for a constraint trigger");
	is_str(prop(cat, "trigger", "t.ct", "deferrable"), "DEFERRABLE", "constraint trigger");
	is_str(prop(cat, "trigger", "v.vt", "timing"), "INSTEAD OF", "a view's trigger");
	is_str(prop(cat, "trigger", "t.x FOR EACH ROW WHEN (", "when"),
	    "new.b IS DISTINCT FROM ' EXECUTE FUNCTION x()'::text",
	    "WHEN found past a name that looks like it, up to the real EXECUTE");
	is_str(prop(cat, "trigger", "t.x FOR EACH ROW WHEN (", "function"),
	    "tf(' EXECUTE FUNCTION ', 'a\\b', '', 'ü')",
	    "arguments from tgargs: quoted, an empty one, a backslash, UTF-8");
	is_str(prop(cat, "trigger", "t.tq", "when"),
	    "new.b = ') EXECUTE FUNCTION tf('::text AND new.c > 0",
	    "a literal ending the way the WHEN does is inside it");
	is_str(prop(cat, "trigger", "t.tq", "function"), "tf()", "no arguments");
	is_str(prop(cat, "trigger", "t.ts", "function"), "suppress_redundant_updates_trigger()",
	    "a pg_catalog function, unqualified as the server writes it");
	o = cat_find_object(cat, "trigger", "v.vt");
	ok(o != NULL && o->table == NULL, "a view's trigger has no table");
	o = cat_find_object(cat, "trigger", "t.tr");
	ok(o != NULL && o->table != NULL && strcmp(o->table, "t") == 0, "a table's trigger has it");
	for (i = 0; i < cat->nobjects; i++)
		ok(strncmp(cat->objects[i].name, "child.RI_", 9) != 0 &&
		    strncmp(cat->objects[i].name, "t.RI_", 5) != 0,
		    "a foreign key's internal triggers are not read");

	is_str(prop(cat, "policy", "t.pol", "command"), "UPDATE", "policy command");
	is_str(prop(cat, "policy", "t.pol", "permissive"), "RESTRICTIVE", "policy restrictive");
	is_str(prop(cat, "policy", "t.pol", "roles"), "pg_monitor, pg_read_all_stats",
	    "policy roles sorted");
	is_str(prop(cat, "policy", "t.pol", "using"),
	    "(a = (( SELECT count(*) AS count\n   FROM t t_1))::integer)",
	    "policy USING unqualified");
	is_str(prop(cat, "policy", "t.pol", "with_check"), "(b <> ''::text)", "WITH CHECK");

	is_str(prop(cat, "comment", "t", "text"), "the t", "a table's comment");
	is_str(prop(cat, "comment", "t.b", "text"), "bee", "a column's comment");
	is_str(prop(cat, "comment", "v", "text"), "vee", "a view's comment");
	is_str(prop(cat, "comment", "f(integer, mood)", "text"), "eff", "a function's comment");
	is_str(prop(cat, "comment", "mood", "text"), "mood", "a type's comment");
	is_str(prop(cat, "comment", "agg(integer)", "text"), "(no object)",
	    "an aggregate's comment is not read");
	is_str(prop(cat, "comment", "t.t_c_check", "text"), "positive", "a constraint's comment");
	is_str(prop(cat, "comment", "t.t_c", "text"), "by c", "an index's comment");
	is_str(prop(cat, "comment", "t.tr", "text"), "touch", "a trigger's comment");
	is_str(prop(cat, "comment", "t.pol", "text"), "who", "a policy's comment");
	o = cat_find_object(cat, "comment", "t.pol");
	ok(o != NULL && o->table != NULL && strcmp(o->table, "t") == 0,
	    "a comment on a table's member has the table");
	is_str(prop(cat, "comment", "s", "text"), "numbers", "a sequence's comment");
	is_str(prop(cat, "comment", "ident_id_seq", "text"), "(no object)",
	    "an identity sequence's comment is its column's, not read");
	is_str(prop(cat, "comment", "mv", "text"), "em", "a materialized view's comment");
	is_str(prop(cat, "comment", "mv.mv_a", "text"), "mv by a",
	    "a materialized view's index's comment");
	o = cat_find_object(cat, "comment", "mv.mv_a");
	ok(o != NULL && o->table == NULL, "... with no table, as the view's trigger");
	is_str(prop(cat, "comment", "v.vt", "text"), "instead", "a view's trigger's comment");
	is_str(prop(cat, "comment", "pos.pos_check", "text"), "above zero",
	    "a domain constraint's comment");
	is_str(prop(cat, "comment", "t.t_pkey", "text"), "constraint: the key; index: its index",
	    "a constraint and its index commented: one object, both texts");
	is_str(prop(cat, "comment", "pg_trgm", "text"), "(no object)",
	    "an extension's comment from its control file is not read");
	cat_free(cat);

	th_exec(conn, "COMMENT ON EXTENSION pg_trgm IS 'trigrams'");
	cat = read_schema("app", NULL, 0, NULL, 0);
	is_str(prop(cat, "comment", "pg_trgm", "text"), "trigrams",
	    "an extension's own comment is read");
	cat_free(cat);
}

/* scope: definition reads a table's members with the table and
 * schema-level objects by name (a function's overloads with it). */
static void
test_by_name(void)
{
	char *tables[] = { "child" }, *names[] = { "f", "v" };
	struct catalog *cat = read_schema("app", tables, 1, names, 2);

	ok(cat != NULL, "the catalog of app is read by name");
	if (cat == NULL)
		return;
	ok(cat_find_object(cat, "function", "f(integer, mood)") != NULL, "f is read");
	ok(cat_find_object(cat, "function", "g()") == NULL, "g is not");
	ok(cat_find_object(cat, "trigger", "t.tr") == NULL, "t's trigger is not (t is not read)");
	ok(cat_find_object(cat, "trigger", "v.vt") != NULL, "v's trigger is, with v");
	ok(cat_find_object(cat, "comment", "v") != NULL, "v's comment is, with v");
	ok(cat_find_object(cat, "comment", "v.vt") != NULL, "v's trigger's comment is, with v");
	ok(cat_find_object(cat, "comment", "t.tr") == NULL, "t's trigger's comment is not");
	ok(cat_find_object(cat, "comment", "mv.mv_a") == NULL, "mv's index's comment is not");
	ok(cat_find_object(cat, "comment", "pg_trgm") == NULL, "pg_trgm's is not");
	ok(cat_find_object(cat, "extension", "pg_trgm") == NULL, "pg_trgm is not named");
	cat_free(cat);
}

int
main(void)
{
	char *sql;

	admin = PQconnectdb("");
	if (PQstatus(admin) != CONNECTION_OK)
		th_bail("admin connection (PGHOST/PGUSER/PGDATABASE)", admin);
	dbname = xasprintf("sw_pgcode_%ld", (long)getpid());
	sql = xasprintf("CREATE DATABASE %s", dbname);
	th_exec(admin, sql);
	free(sql);
	sql = xasprintf("dbname=%s", dbname);
	conn = PQconnectdb(sql);
	free(sql);
	if (PQstatus(conn) != CONNECTION_OK)
		th_bail("connect", conn);
	th_exec(conn, "CREATE SCHEMA app; SET search_path = app;"
	    "CREATE EXTENSION pg_trgm SCHEMA app;");
	th_exec(conn, schema_sql);
	th_exec(conn, "RESET search_path");

	test_whole_schema();
	test_by_name();

	PQfinish(conn);
	sql = xasprintf("DROP DATABASE IF EXISTS %s", dbname);
	th_exec(admin, sql);
	free(sql);
	free(dbname);
	PQfinish(admin);
	return tap_done();
}

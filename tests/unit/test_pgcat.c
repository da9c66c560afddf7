/* Tests for pgcat.c and probe_pg.c against the harness's real PostgreSQL
 * (PGHOST/PGUSER/PGDATABASE from the environment): the catalog of the V7 DDL,
 * schema isolation, index key spelling, and the probe's failure modes —
 * unreachable, timeouts, no password in messages, cancel — and its host-name
 * lookup off the loop thread (a resolver seam makes a slow DNS), and its
 * connection start on a worker for a connection service (pg_service.conf in
 * SW_TEST_TMP; a start seam makes a slow one). Every database made here has a
 * unique name and is dropped at the end. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "catalog.h"
#include "compare.h"
#include "pgcat.h"
#include "probe.h"
#include "pg_resolve.h"
#include "util.h"
#include "cathelp.h"
#include "tap.h"


/* What the shipped definition makes a probe read: the V7 tables. */
static char *v7_names[] = { "prompt_templates", "prompt_versions", "prompt_results" };
static const struct cat_strv v7_tables = { v7_names, 3 };

/* The whole schema (want.all): tables, options and objects. */
static const struct cat_want want_all = { NULL, NULL, true, NULL };

static PGconn *admin;
static char *dbnames[16];
static int ndb;

/* A fresh database with a unique name; returns its conninfo. */
static char *
make_db(const char *tag)
{
	char *name = xasprintf("sw_pgcat_%ld_%s", (long)getpid(), tag), *sql;

	sql = xasprintf("CREATE DATABASE %s", name);
	th_exec(admin, sql);
	free(sql);
	dbnames[ndb++] = name;
	return xasprintf("dbname=%s", name);
}

static void
apply_v7(const char *conninfo, const char *search_path)
{
	const char *src = getenv("SW_SRCDIR");
	char *path = xasprintf("%s/sql/prompter/v7-upgrade.postgresql.sql", src ? src : ".");
	char *ddl = read_file(path, NULL), *sp;
	PGconn *c = th_connect(conninfo);

	if (ddl == NULL)
		th_bail(path, NULL);
	if (search_path != NULL) {
		sp = xasprintf("CREATE SCHEMA %s; SET search_path = %s", search_path, search_path);
		th_exec(c, sp);
		free(sp);
	}
	th_exec(c, ddl);
	PQfinish(c);
	free(ddl);
	free(path);
}

static void
sql_on(const char *conninfo, const char *sql)
{
	PGconn *c = th_connect(conninfo);

	th_exec(c, sql);
	PQfinish(c);
}

/* ---- running a probe through a real event loop ------------------------- */

struct run {
	struct probe_result	*res;
	int			 calls;
	bool			 in_start;	/* set while probe_pg_start runs */
	bool			 reentered;
};

static void
done_cb(struct probe_result *r, void *arg)
{
	struct run *run = arg;

	if (run->in_start)
		run->reentered = true;
	run->calls++;
	probe_result_free(run->res);
	run->res = r;
}

static struct probe_result *
probe(const char *conninfo, const char *schema, int64_t cto, int64_t qto,
    int64_t *elapsed, struct run *run)
{
	struct event_base *base = event_base_new();
	struct probe_pg_opts o = { .connect_timeout_ms = cto, .query_timeout_ms = qto,
	    .what.tables = &v7_tables };
	int64_t t0 = now_ms();

	memset(run, 0, sizeof *run);
	run->in_start = true;
	probe_pg_start(base, conninfo, schema, &o, done_cb, run);
	run->in_start = false;
	event_base_dispatch(base);
	if (elapsed != NULL)
		*elapsed = now_ms() - t0;
	event_base_free(base);
	return run->res;
}

static struct probe_result *
probe_ok(const char *conninfo, const char *schema, struct run *run)
{
	struct probe_result *r = probe(conninfo, schema, 5000, 10000, NULL, run);

	if (r != NULL && r->status != PROBE_OK)
		printf("# probe of %s failed: %s\n", conninfo, r->error ? r->error : "?");
	return r;
}

static const char *
strv_at(const struct cat_strv *sv, int i)
{
	return i < sv->n ? sv->v[i] : NULL;
}

/* ---- catalog contents --------------------------------------------------- */

static void
check_v7_catalog(const struct catalog *cat)
{
	const struct cat_table *tt = cat_find_table(cat, "prompt_templates");
	const struct cat_table *tv = cat_find_table(cat, "prompt_versions");
	const struct cat_table *tr = cat_find_table(cat, "prompt_results");
	const struct cat_column *c;
	const struct cat_index *ix;
	int nchecks = 0, i;

	is_int(cat->ntables, 3, "V7: three tables");
	ok(tt && tv && tr, "V7: all three found by name");
	if (!(tt && tv && tr))
		return;
	is_int(cat->dialect, CAT_PG, "dialect is PostgreSQL");
	is_int(tt->ncols, 9, "prompt_templates has 9 columns");
	is_str(tt->cols[0].name, "id", "first column is id (attnum order)");
	is_str(tt->cols[8].name, "deleted_at", "last column is deleted_at");
	c = th_col(tt, "config");
	ok(c != NULL, "config column");
	if (c) {
		is_str(c->type_raw, "jsonb", "config type raw");
		ok(c->notnull, "config NOT NULL");
		is_str(c->dflt_raw, "'{}'::jsonb", "config default raw");
	}
	c = th_col(tt, "created_at");
	if (ok(c != NULL, "created_at column")) {
		is_str(c->type_raw, "timestamp with time zone", "created_at type raw");
		is_str(c->dflt_raw, "now()", "created_at default raw");
	}
	c = th_col(tt, "deleted_at");
	if (ok(c != NULL, "deleted_at column")) {
		ok(!c->notnull, "deleted_at nullable");
		ok(c->dflt_raw == NULL && c->dflt == NULL, "deleted_at has no default");
	}
	c = th_col(tr, "status");
	if (ok(c != NULL, "status column"))
		is_str(c->dflt_raw, "'pending'::text", "status default raw");
	c = th_col(tv, "version");
	if (ok(c != NULL, "version column"))
		is_str(c->type_raw, "integer", "version type raw");

	ok(tt->pk != NULL, "prompt_templates has a primary key");
	if (tt->pk) {
		is_str(tt->pk->name, "prompt_templates_pkey", "pk name");
		is_int(tt->pk->cols.n, 1, "pk has one column");
		is_str(strv_at(&tt->pk->cols, 0), "id", "pk column id");
	}
	is_int(tv->nfks, 1, "prompt_versions has one FK");
	if (tv->nfks == 1) {
		is_str(tv->fks[0].name, "fk_prompt_versions_template", "fk name");
		is_str(tv->fks[0].ref_table, "prompt_templates", "fk references prompt_templates");
		is_str(strv_at(&tv->fks[0].cols, 0), "template_id", "fk column");
		is_str(strv_at(&tv->fks[0].ref_cols, 0), "id", "fk ref column");
		is_int(tv->fks[0].on_delete, FK_CASCADE, "fk ON DELETE CASCADE");
		is_int(tv->fks[0].on_update, FK_NO_ACTION, "fk ON UPDATE NO ACTION");
		ok(!tv->fks[0].deferrable && !tv->fks[0].deferred, "fk not deferrable");
	}
	if (ok(tr->nfks == 1, "prompt_results has one FK"))
		is_int(tr->fks[0].on_delete, FK_CASCADE, "results fk ON DELETE CASCADE");
	is_int(tv->nuniques, 1, "prompt_versions has one UNIQUE");
	if (tv->nuniques == 1) {
		is_str(tv->uniques[0].name, "uq_prompt_versions_template_version", "unique name");
		is_int(tv->uniques[0].cols.n, 2, "unique has two columns");
		is_str(strv_at(&tv->uniques[0].cols, 1), "version", "unique column order");
	}
	for (i = 0; i < cat->ntables; i++)
		nchecks += cat->tables[i].nchecks;
	is_int(nchecks, 4, "four CHECK constraints in all");
	if (ok(tt->nchecks == 1, "one check on prompt_templates")) {
		is_str(tt->checks[0].name, "ck_prompt_templates_config_hash", "check name");
		is_str(tt->checks[0].expr_raw, "(length(config_hash) = 64)",
		    "check body without the CHECK wrapper");
	}
	if (ok(tr->nchecks == 2, "two checks on prompt_results")) {
		is_str(tr->checks[0].name, "ck_prompt_results_latency", "checks ordered by name (0)");
		is_str(tr->checks[1].name, "ck_prompt_results_status", "checks ordered by name (1)");
	}
	if (ok(tv->nchecks == 1, "one check on prompt_versions"))
		is_str(tv->checks[0].name, "ck_prompt_versions_version", "versions check name");

	is_int(tt->nindexes, 1, "pk index not listed as an index");
	is_int(tv->nindexes, 0, "unique-constraint index not listed as an index");
	ix = th_index(tt, "ux_tpl_org_ws_confighash_active");
	if (ok(ix != NULL, "partial unique index found")) {
		ok(ix->unique, "index is unique");
		is_str(ix->method, "btree", "index method");
		is_int(ix->keys.n, 3, "three keys");
		is_str(strv_at(&ix->keys, 0), "org_id", "key 1");
		is_str(strv_at(&ix->keys, 1), "workspace_id", "key 2");
		is_str(strv_at(&ix->keys, 2), "config_hash", "key 3");
		is_int(ix->include.n, 0, "no INCLUDE columns");
		is_str(ix->pred_raw, "(deleted_at IS NULL)", "predicate raw");
		ok(ix->pred != NULL, "predicate normalized");
	}
	ix = th_index(tr, "ix_prompt_results_version_created");
	if (ok(ix != NULL, "plain index found")) {
		ok(!ix->unique, "plain index not unique");
		ok(ix->pred_raw == NULL, "plain index has no predicate");
	}
}

static void
test_v7(void)
{
	char *ci = make_db("v7");
	struct probe_result *r;
	struct run run;
	const struct cat_table *t;
	const struct cat_index *ix;

	apply_v7(ci, NULL);
	r = probe_ok(ci, "public", &run);
	ok(r != NULL && r->status == PROBE_OK, "probe of V7 database is OK");
	is_int(run.calls, 1, "callback called once");
	ok(!run.reentered, "callback not called from inside probe_pg_start");
	if (r != NULL && r->status == PROBE_OK) {
		check_v7_catalog(r->cat);
		is_int(r->round_trips, 1, "one round trip after connecting");
		ok(r->duration_ms >= 0 && r->duration_ms < 10000, "duration measured");
		ok(r->error == NULL, "no error on success");
	}
	probe_result_free(r);

	/* Index key spelling, INCLUDE, an expression key, and an exclusion
	 * constraint (ignored, and its index is not listed either). */
	sql_on(ci,
	    "CREATE INDEX ix_desc ON prompt_results (created_at DESC, latency_ms NULLS FIRST)"
	    " INCLUDE (output);"
	    "CREATE INDEX ix_desc_nl ON prompt_results (created_at DESC NULLS LAST, status ASC);"
	    "CREATE INDEX ix_expr ON prompt_templates (lower(name));"
	    "CREATE INDEX ix_hash ON prompt_templates USING hash (config_hash);"
	    "ALTER TABLE prompt_results ADD COLUMN during tstzrange,"
	    " ADD CONSTRAINT ex_during EXCLUDE USING gist (during WITH &&);"
	    "ALTER TABLE prompt_results DROP COLUMN output;");
	r = probe_ok(ci, "public", &run);
	ok(r != NULL && r->status == PROBE_OK, "probe with extra indexes is OK");
	if (r != NULL && r->status == PROBE_OK) {
		t = cat_find_table(r->cat, "prompt_results");
		ok(th_col(t, "output") == NULL, "dropped column skipped");
		is_str(t->cols[t->ncols - 1].name, "during", "column after the dropped one kept");
		ok(th_index(t, "ex_during") == NULL, "exclusion index not listed");
		/* Dropping "output" dropped ix_desc with it: it INCLUDEd it. */
		ok(th_index(t, "ix_desc") == NULL, "index on dropped column gone");
		ix = th_index(t, "ix_desc_nl");
		if (ok(ix != NULL, "DESC NULLS LAST index found")) {
			is_str(strv_at(&ix->keys, 0), "created_at DESC NULLS LAST",
			    "DESC NULLS LAST spelled (not the default for DESC)");
			is_str(strv_at(&ix->keys, 1), "status", "ASC key spelled bare");
		}
		t = cat_find_table(r->cat, "prompt_templates");
		ix = th_index(t, "ix_expr");
		if (ok(ix != NULL, "expression index found"))
			ok(ix->keys.n == 1 && strstr(ix->keys.v[0], "lower") != NULL,
			    "expression key keeps the function");
		ix = th_index(t, "ix_hash");
		if (ok(ix != NULL, "hash index found"))
			is_str(ix->method, "hash", "access method from pg_am");
	}
	probe_result_free(r);

	sql_on(ci,
	    "CREATE INDEX ix_desc2 ON prompt_results (created_at DESC, latency_ms NULLS FIRST)"
	    " INCLUDE (status, input)");
	r = probe_ok(ci, "public", &run);
	if (ok(r != NULL && r->status == PROBE_OK, "probe with INCLUDE index is OK")) {
		ix = th_index(cat_find_table(r->cat, "prompt_results"), "ix_desc2");
		if (ok(ix != NULL, "INCLUDE index found")) {
			is_int(ix->keys.n, 2, "INCLUDE columns are not keys");
			is_str(strv_at(&ix->keys, 0), "created_at DESC", "DESC key");
			is_str(strv_at(&ix->keys, 1), "latency_ms NULLS FIRST",
			    "ASC NULLS FIRST spelled (not the default for ASC)");
			is_int(ix->include.n, 2, "two INCLUDE columns");
			is_str(strv_at(&ix->include, 0), "status", "INCLUDE column 1");
			is_str(strv_at(&ix->include, 1), "input", "INCLUDE column 2");
		}
	}
	probe_result_free(r);
	free(ci);
}

static void
test_empty_and_schemas(void)
{
	char *ci = make_db("empty"), *co = make_db("other");
	struct probe_result *r;
	struct run run;

	sql_on(ci, "CREATE TABLE users (id int primary key); CREATE TABLE prompt_things (x int)");
	r = probe_ok(ci, "public", &run);
	ok(r != NULL && r->status == PROBE_OK, "probe of a database without V7 is OK");
	if (r != NULL && r->cat != NULL)
		is_int(r->cat->ntables, 0, "no V7 tables: empty catalog");
	probe_result_free(r);

	apply_v7(co, "other");
	/* A view and a sequence named like V7 tables in public are not tables. */
	sql_on(co, "CREATE VIEW public.prompt_templates AS SELECT 1 AS id;"
	    "CREATE SEQUENCE public.prompt_versions");
	r = probe_ok(co, "public", &run);
	ok(r != NULL && r->status == PROBE_OK, "probe of public is OK");
	if (r != NULL && r->cat != NULL)
		is_int(r->cat->ntables, 0, "V7 in schema other is not seen in public");
	probe_result_free(r);

	sql_on(co, "ALTER TABLE other.prompt_templates ADD COLUMN extra text");
	r = probe_ok(co, "other", &run);
	ok(r != NULL && r->status == PROBE_OK, "probe of schema other is OK");
	if (r != NULL && r->cat != NULL) {
		is_int(r->cat->ntables, 3, "V7 tables seen in schema other");
		is_int(cat_find_table(r->cat, "prompt_templates")->ncols, 10,
		    "schema other's own columns");
		/* A deparsed default stays unqualified for pg_catalog functions. */
		is_str(cat_find_table(r->cat, "prompt_results")->cols[2].dflt_raw,
		    "'pending'::text", "default text under empty search_path");
	}
	probe_result_free(r);

	sql_on(co, "CREATE SCHEMA \"no'such\"\"schema\"");
	r = probe_ok(co, "no'such\"schema", &run);
	ok(r != NULL && r->status == PROBE_OK && r->cat && r->cat->ntables == 0,
	    "odd schema name is quoted, finds nothing");
	probe_result_free(r);

	/* A schema that is not there is an error that says so, not "no V7
	 * table" (which would read as pending). */
	r = probe_ok(co, "Sw_No_Such", &run);
	ok(r != NULL && r->status == PROBE_ERROR && r->error != NULL &&
	    strstr(r->error, "schema \"Sw_No_Such\" does not exist") != NULL,
	    "a missing schema: error 'schema \"Sw_No_Such\" does not exist'");
	if (r != NULL && r->error != NULL)
		printf("# %s\n", r->error);
	probe_result_free(r);
	free(ci);
	free(co);
}

static const char *say(const char *, ...) __attribute__((format(printf, 1, 2)));

/* The default of column col of table t in schema, read by pgcat_query_tables
 * (caller frees; NULL when the query fails or there is no default). */
static char *
serial_default(PGconn *c, const char *schema, int col)
{
	struct cat_strv names = { 0 };
	struct catalog *cat = NULL;
	const struct cat_table *t;
	char *q, *err = NULL, *d = NULL;
	PGresult *r;

	cat_strv_add(&names, "t");
	q = pgcat_query_tables(c, schema, &(struct cat_want){ &names, NULL, false, NULL }, NULL, &err);
	r = q != NULL ? PQexec(c, q) : NULL;
	if (r != NULL && (cat = pgcat_from_result(r, &err)) != NULL &&
	    (t = cat_find_table(cat, "t")) != NULL && t->ncols > col && t->cols[col].dflt_raw)
		d = xstrdup(t->cols[col].dflt_raw);
	if (err != NULL)
		printf("# %s: %s\n", schema, err);
	cat_free(cat);
	PQclear(r);
	free(q);
	free(err);
	cat_strv_free(&names);
	return d;
}

/* A serial's default names its sequence qualified by schema under the empty
 * search_path; the schema being read is the target's own and is left out, so
 * that a definition compiled in public equals a target in any schema. A
 * sequence of another schema keeps its qualification. */
static void
test_serial_schemas(void)
{
	char *ci = make_db("serial"), *d;
	PGconn *c;
	static const char *const schemas[] = { "public", "app", "Odd 'sch\"ema" };
	size_t i;

	sql_on(ci, "CREATE TABLE public.t (id serial, n int);"
	    "CREATE SCHEMA app; CREATE TABLE app.t (id serial, n int);"
	    "CREATE SCHEMA \"Odd 'sch\"\"ema\"; CREATE TABLE \"Odd 'sch\"\"ema\".t (id serial);"
	    "CREATE SCHEMA other; CREATE SEQUENCE other.s;"
	    "CREATE SCHEMA app2; CREATE SEQUENCE app2.t_n;"
	    "CREATE TABLE app2.t (id bigint DEFAULT nextval('other.s'),"
	    " n bigint DEFAULT nextval('app2.t_n'::regclass) + 1)");
	c = th_connect(ci);
	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
		d = serial_default(c, schemas[i], 0);
		is_str(d, "nextval('t_id_seq'::regclass)",
		    say("serial in schema %s: its own schema left out", schemas[i]));
		free(d);
	}
	d = serial_default(c, "app2", 0);
	is_str(d, "nextval('other.s'::regclass)", "a sequence of another schema stays qualified");
	free(d);
	d = serial_default(c, "app2", 1);
	is_str(d, "(nextval('t_n'::regclass) + 1)", "the schema's own sequence inside an expression");
	free(d);
	PQfinish(c);
	free(ci);
}

/* Types, sequences, partitions, a materialized view's indexes and EXCLUDE
 * constraints read the same in public (where definitions are compiled) and
 * in any other schema: every deparsed text loses the schema's own
 * qualification, and an identity column's sequence is not an object. */
static void
test_objects_schemas(void)
{
	static const char body[] =
	    "CREATE TYPE mood AS ENUM ('sad', 'ok, fine', 'happy');"
	    "CREATE DOMAIN qty AS integer NOT NULL DEFAULT 1 CONSTRAINT pos CHECK (VALUE > 0);"
	    "CREATE TYPE pair AS (m mood, q qty, s text COLLATE \"C\");"
	    "CREATE TABLE t (id serial, m mood, during int4range,"
	    " n integer GENERATED ALWAYS AS IDENTITY,"
	    " CONSTRAINT t_excl EXCLUDE USING gist (during WITH &&) DEFERRABLE);"
	    "ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
	    "CREATE TABLE p (a int, b mood) PARTITION BY LIST (b);"
	    "CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('sad');"
	    "CREATE TABLE p2 PARTITION OF p FOR VALUES IN ('ok, fine', 'happy');"
	    "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS k;"
	    "CREATE UNIQUE INDEX mv_k ON mv (k);";
	static const char *const schemas[] = { "app", "Odd 'sch\"ema" };
	char *ci = make_db("objects"), *sql;
	struct catalog *pub, *cat;
	struct diff_list dl = { 0 };
	PGconn *c;
	size_t i;

	sql = xasprintf("SET search_path = public; %s"
	    "CREATE SCHEMA app; SET search_path = app; %s"
	    "CREATE SCHEMA \"Odd 'sch\"\"ema\"; SET search_path = \"Odd 'sch\"\"ema\"; %s",
	    body, body, body);
	sql_on(ci, sql);
	free(sql);
	c = th_connect(ci);
	pub = th_read(c, "public", &want_all, NULL, NULL);
	is_str(th_prop(pub, "enum", "mood", "labels"), "'sad', 'ok, fine', 'happy'",
	    "an enum's labels in order, quoted");
	is_str(th_prop(pub, "domain", "qty", "check pos"), "(VALUE > 0)", "a domain's named CHECK");
	is_str(th_prop(pub, "domain", "qty", "not_null"), "true", "a domain's NOT NULL");
	is_str(th_prop(pub, "composite_type", "pair", "attributes"),
	    "m mood, q qty, s text COLLATE \"C\"", "a composite type's attributes, unqualified");
	is_str(th_prop(pub, "sequence", "t_id_seq", "owned_by"), "t.id", "a serial's sequence is owned");
	ok(pub != NULL && cat_find_object(pub, "sequence", "t_n_seq") == NULL,
	    "an identity column's sequence is not an object");
	is_str(th_prop(pub, "exclusion", "t.t_excl", "definition"),
	    "EXCLUDE USING gist (during WITH &&)", "an EXCLUDE constraint without its DEFERRABLE");
	is_str(th_prop(pub, "exclusion", "t.t_excl", "deferrable"),
	    "DEFERRABLE INITIALLY IMMEDIATE", "and that as a property");
	is_str(th_prop(pub, "materialized_view", "mv", "indexes"),
	    "CREATE UNIQUE INDEX mv_k ON mv USING btree (k)", "a materialized view's indexes");
	is_str(th_option(pub, "t", "table_row_security"), "enabled", "row security");
	is_str(th_option(pub, "p", "partition_key"), "LIST (b)", "a partition key");
	is_str(th_option(pub, "p1", "partition_bound"), "p FOR VALUES IN ('sad')", "a partition bound");
	is_str(th_option(pub, "p2", "partition_bound"), "p FOR VALUES IN ('happy', 'ok, fine')",
	    "a list bound's values sorted");
	ok(th_option(pub, "p", "partition_bound") == NULL, "a partitioned table that is no partition");
	ok(pub != NULL && cat_find_object(pub, "composite_type", "t") == NULL,
	    "a table's row type is not a composite type");
	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
		cat = th_read(c, schemas[i], &want_all, NULL, NULL);
		ok(cat != NULL && pub != NULL && cat->nobjects == pub->nobjects && cat->nobjects == 6,
		    say("schema %s: the same objects as public", schemas[i]));
		if (cat != NULL && pub != NULL)
			compare_catalogs(pub, cat, &dl);
		is_int(dl.n, 0, say("schema %s: no difference with public", schemas[i]));
		if (dl.n > 0)
			printf("# %s: %s %s\n", dl.v[0].object, diff_kind_name(dl.v[0].kind),
			    dl.v[0].actual != NULL ? dl.v[0].actual : "");
		diff_list_free(&dl);
		cat_free(cat);
	}
	cat_free(pub);
	PQfinish(c);
	free(ci);
}

/* Objects of the table `table` (its trigger, its comment...). */
static int
members_of(const struct catalog *cat, const char *table)
{
	int i, n = 0;

	for (i = 0; cat != NULL && i < cat->nobjects; i++)
		if (cat->objects[i].table != NULL && strcmp(cat->objects[i].table, table) == 0)
			n++;
	return n;
}

/* want.except_table (the version table under scope: schema) is left out by
 * the query itself, with its members, by its exact name (PostgreSQL names
 * are exact: "ALEMBIC_VERSION" is another table); its version is still
 * read in the same round trip. */
static void
test_except_table(void)
{
	static const char sql[] =
	    "CREATE TABLE t (id int PRIMARY KEY);"
	    "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
	    "INSERT INTO alembic_version VALUES ('abc');"
	    "COMMENT ON TABLE alembic_version IS 'the applier''s';"
	    "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
	    "CREATE TRIGGER av_trg BEFORE INSERT ON alembic_version"
	    " FOR EACH ROW EXECUTE FUNCTION tf();"
	    "CREATE TABLE \"ALEMBIC_VERSION\" (x int);";
	char *ci = make_db("except");
	struct cat_version ver = { 0 };
	struct catalog *cat;
	PGconn *c;

	sql_on(ci, sql);
	c = th_connect(ci);
	cat = th_read(c, "public", &want_all, NULL, NULL);
	ok(cat != NULL && cat_find_table(cat, "alembic_version") != NULL &&
	    members_of(cat, "alembic_version") == 2, "without except: the table and its members");
	cat_free(cat);
	cat = th_read(c, "public", &(struct cat_want){ NULL, NULL, true, "alembic_version" },
	    "alembic_version", &ver);
	ok(cat != NULL && cat_find_table(cat, "alembic_version") == NULL,
	    "except: the table is not read");
	is_int(members_of(cat, "alembic_version"), 0, "nor its trigger and comment");
	ok(cat != NULL && cat_find_table(cat, "t") != NULL &&
	    cat_find_table(cat, "ALEMBIC_VERSION") != NULL && cat->ntables == 2,
	    "every other table, \"ALEMBIC_VERSION\" too (exact names)");
	ok(cat != NULL && cat_find_object(cat, "function", "tf()") != NULL,
	    "schema-level objects are read");
	ok(ver.read && ver.table && ver.row != NULL && strcmp(ver.row, "abc") == 0,
	    "the version is still read");
	cat_version_free(&ver);
	cat_free(cat);
	cat = th_read(c, "public", &(struct cat_want){ NULL, NULL, true, "ALEMBIC_VERSION" }, NULL, NULL);
	ok(cat != NULL && cat_find_table(cat, "alembic_version") != NULL &&
	    cat_find_table(cat, "ALEMBIC_VERSION") == NULL, "except \"ALEMBIC_VERSION\": that one");
	cat_free(cat);
	PQfinish(c);
	free(ci);
}

/* ---- failures ----------------------------------------------------------- */

/* A TCP port on 127.0.0.1 that nobody listens on (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		th_bail("socket", NULL);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* A listener that never accepts (the kernel completes the handshake). */
static int
listener(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		th_bail("listener", NULL);
	*port = ntohs(sa.sin_port);
	return fd;
}

static bool
one_line(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr(s, '\n') == NULL;
}

static void
test_unreachable(void)
{
	struct probe_result *r;
	struct run run;
	char *ci;
	int64_t ms;

	r = probe("host=/nonexistent/sw-socket-dir dbname=x", "public", 2000, 2000, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "missing socket dir: unreachable");
	ok(r && one_line(r->error), "unreachable error is one non-empty line");
	if (r && r->error)
		printf("# %s\n", r->error);
	ok(r && r->cat == NULL && r->round_trips == 0, "no catalog, no round trip");
	is_int(run.calls, 1, "callback once on failure");
	probe_result_free(r);

	ci = xasprintf("hostaddr=127.0.0.1 port=%d user=nobody password=supersecret dbname=x",
	    closed_port());
	r = probe(ci, "public", 2000, 2000, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "refused port: unreachable");
	ok(r && r->error && strstr(r->error, "supersecret") == NULL, "no password in the error");
	ok(r && r->error && strstr(r->error, "password=") == NULL, "no conninfo in the error");
	if (r && r->error)
		printf("# %s\n", r->error);
	probe_result_free(r);
	free(ci);

	/* A URI with a syntax error: libpq quotes the URI in its message. */
	r = probe("postgresql://u:supersecret@[::1/db", "public", 2000, 2000, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "bad URI: unreachable");
	ok(r && one_line(r->error) && strstr(r->error, "supersecret") == NULL,
	    "bad URI: no password in the error");
	ok(!run.reentered, "immediate failure deferred out of probe_pg_start");
	if (r && r->error)
		printf("# %s\n", r->error);
	probe_result_free(r);
}

static void
test_connect_timeout(void)
{
	struct probe_result *r;
	struct run run;
	int64_t ms;
	int port, fd = listener(&port);
	char *ci = xasprintf("host=127.0.0.1 port=%d dbname=x password=supersecret", port);

	r = probe(ci, "public", 300, 5000, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "silent listener: unreachable");
	is_str(r ? r->error : NULL, "connection timed out after 300ms", "connect timeout message");
	ok(ms >= 250 && ms < 1500, "connect timeout fires on time");
	printf("# took %lldms\n", (long long)ms);
	probe_result_free(r);
	close(fd);
	free(ci);
}

/* A server that accepts and then says nothing. */
struct mute {
	int	lfd;
	int	cfd[4];
	int	n;
};

static void
mute_accept(evutil_socket_t fd, short what, void *arg)
{
	struct mute *m = arg;
	int c = accept(fd, NULL, NULL);

	(void)what;
	if (c >= 0 && m->n < 4)
		m->cfd[m->n++] = c;
	else if (c >= 0)
		close(c);
}

static void
test_mute_server(void)
{
	struct event_base *base = event_base_new();
	struct probe_pg_opts o = { .connect_timeout_ms = 400, .query_timeout_ms = 400,
	    .what.tables = &v7_tables };
	struct mute m = { .n = 0 };
	struct event *ev;
	struct run run = { 0 };
	int port, i;
	int64_t t0 = now_ms(), ms;
	char *ci;

	m.lfd = listener(&port);
	ev = event_new(base, m.lfd, EV_READ | EV_PERSIST, mute_accept, &m);
	event_add(ev, NULL);
	ci = xasprintf("hostaddr=127.0.0.1 port=%d dbname=x", port);
	probe_pg_start(base, ci, "public", &o, done_cb, &run);
	while (run.calls == 0 && now_ms() - t0 < 5000)
		event_base_loop(base, EVLOOP_ONCE);
	ms = now_ms() - t0;
	ok(m.n == 1, "mute server accepted the connection");
	is_int(run.calls, 1, "mute server: callback once");
	ok(run.res && (run.res->status == PROBE_UNREACHABLE || run.res->status == PROBE_ERROR),
	    "mute server: unreachable or error");
	ok(ms < 1500, "mute server: bounded time");
	if (run.res && run.res->error)
		printf("# %s (%lldms)\n", run.res->error, (long long)ms);
	probe_result_free(run.res);
	event_free(ev);
	for (i = 0; i < m.n; i++)
		close(m.cfd[i]);
	close(m.lfd);
	event_base_free(base);
	free(ci);
}

static void
cancel_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	probe_cancel(arg);
}

static void
test_cancel(const char *good)
{
	struct event_base *base = event_base_new();
	struct probe_pg_opts o = { .connect_timeout_ms = 3000, .query_timeout_ms = 3000,
	    .what.tables = &v7_tables };
	struct run run = { 0 };
	struct probe *p;
	struct timeval tv = { 0, 100000 };
	int64_t t0;
	int port, fd = listener(&port);
	char *ci = xasprintf("hostaddr=127.0.0.1 port=%d dbname=x", port);

	/* Cancelled before the loop ever ran: nothing may fire. */
	p = probe_pg_start(base, good, "public", &o, done_cb, &run);
	probe_cancel(p);
	p = probe_pg_start(base, "host=/nonexistent/x", "public", &o, done_cb, &run);
	probe_cancel(p);
	event_base_dispatch(base);
	is_int(run.calls, 0, "cancelled before the loop: no callback");

	/* Cancelled mid-handshake from a timer callback. */
	p = probe_pg_start(base, ci, "public", &o, done_cb, &run);
	event_base_once(base, -1, EV_TIMEOUT, cancel_cb, p, &tv);
	t0 = now_ms();
	event_base_dispatch(base);
	is_int(run.calls, 0, "cancelled mid-connect: no callback");
	ok(now_ms() - t0 < 1500, "cancel releases timers: the loop ends at once");

	event_base_free(base);
	close(fd);
	free(ci);
}

/* ---- host names: resolved off the loop -------------------------------- */

/* A test description with values in it (one at a time: a static buffer). */
static const char *say(const char *, ...) __attribute__((format(printf, 1, 2)));

static const char *
say(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return buf;
}

static void
test_needs_resolution(void)
{
	static const struct {
		const char	*host;
		bool		 needs;
	} cases[] = {
		{ "localhost",		true },
		{ "db.example.com",	true },
		{ "127.0.0.1",		false },
		{ "::1",		false },
		{ "/tmp",		false },
		{ "@abstract",		false },
		{ "a,/tmp",		true },
		{ "/tmp,127.0.0.1,::1",	false },
		{ "/tmp,,db",		true },
		{ "",			false },
		{ ",",			false },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(pg_resolve_needs_lookup(cases[i].host) == cases[i].needs,
		    say("needs_resolution(\"%s\") is %s", cases[i].host,
		    cases[i].needs ? "true" : "false"));
	ok(!pg_resolve_needs_lookup(NULL), "needs_resolution(NULL) is false");
}

/* Resolver seams: count the calls, optionally after a slow "DNS". */
static atomic_int gai_calls;
static atomic_int gai_delay_ms;

static int
test_gai(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	int delay = atomic_load(&gai_delay_ms);

	if (delay > 0)
		usleep((useconds_t)delay * 1000);
	atomic_fetch_add(&gai_calls, 1);
	return getaddrinfo(node, service, hints, res);
}

/* The worker of a cancelled or timed-out lookup frees it when it returns. */
static bool
lookups_freed(int64_t within_ms)
{
	int64_t t0 = now_ms();

	while (pg_resolve_jobs_live() != 0 && now_ms() - t0 < within_ms)
		usleep(10000);
	return pg_resolve_jobs_live() == 0;
}

/* A mute server (accepts, says nothing) on the first address `name`
 * resolves to: where the probe's lookup must take it. */
static int
listener_named(const char *name, int *port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd;

	if (getaddrinfo(name, NULL, &hints, &ai) != 0)
		th_bail("cannot resolve localhost in the test", NULL);
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		th_bail("named listener", NULL);
	*port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);
	freeaddrinfo(ai);
	return fd;
}

/* A 20 ms heartbeat: the largest gap between beats shows whether anything
 * blocked the loop. */
struct ticker {
	int64_t	last;
	int64_t	max_gap;
	int	ticks;
};

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ticker *t = arg;
	int64_t now = now_ms();

	(void)fd;
	(void)what;
	if (now - t->last > t->max_gap)
		t->max_gap = now - t->last;
	t->last = now;
	t->ticks++;
}

/* One probe on a loop with a heartbeat and, when m is set, a mute server. */
static struct probe_result *
probe_watched(const char *ci, int64_t cto, struct mute *m, struct ticker *t,
    int64_t *elapsed, struct run *run)
{
	struct event_base *base = event_base_new();
	struct probe_pg_opts o = { .connect_timeout_ms = cto, .query_timeout_ms = 2000,
	    .what.tables = &v7_tables };
	struct timeval tv = { 0, 20000 };
	struct event *tick = event_new(base, -1, EV_PERSIST, tick_cb, t), *acc = NULL;
	int64_t t0 = now_ms();

	memset(run, 0, sizeof *run);
	memset(t, 0, sizeof *t);
	t->last = t0;
	event_add(tick, &tv);
	if (m != NULL) {
		acc = event_new(base, m->lfd, EV_READ | EV_PERSIST, mute_accept, m);
		event_add(acc, NULL);
	}
	run->in_start = true;
	probe_pg_start(base, ci, "public", &o, done_cb, run);
	run->in_start = false;
	while (run->calls == 0 && now_ms() - t0 < 10000)
		event_base_loop(base, EVLOOP_ONCE);
	*elapsed = now_ms() - t0;
	tick_cb(-1, 0, t);	/* the gap up to the end counts too */
	event_free(tick);
	if (acc != NULL)
		event_free(acc);
	event_base_free(base);
	return run->res;
}

static void
mute_close(struct mute *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		close(m->cfd[i]);
	m->n = 0;
}

/* host=localhost reaches the listener on localhost's address: the name was
 * resolved and the address given to libpq, which then timed out in the
 * handshake, not in a lookup. */
static void
test_named_host(void)
{
	struct mute m = { .n = 0 };
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;
	int port;
	char *ci, *ci2, *ci3;

	m.lfd = listener_named("localhost", &port);
	ci = xasprintf("host=localhost port=%d dbname=x", port);
	atomic_store(&gai_calls, 0);
	r = probe_watched(ci, 400, &m, &t, &ms, &run);
	is_int(atomic_load(&gai_calls), 1, "localhost: looked up once, by the probe's worker");
	is_int(m.n, 1, "localhost: connected to the resolved address");
	is_str(r ? r->error : NULL, "connection timed out after 400ms",
	    "localhost: timed out in the handshake, after the lookup");
	is_int(run.calls, 1, "localhost: callback once");
	ok(!run.reentered, "localhost: not called back from inside start");
	ok(ms >= 350 && ms < 1500, "localhost: the connect timer covers lookup and handshake");
	ok(t.max_gap < 200, say("localhost: the loop kept ticking (max gap %lldms)",
	    (long long)t.max_gap));
	probe_result_free(r);
	mute_close(&m);

	/* A list: a socket directory that fails, then the name. hostaddr= must
	 * have an (empty) entry for the socket, or libpq rejects the list. */
	ci2 = xasprintf("host=/nonexistent/sw-socket-dir,localhost port=%d dbname=x", port);
	r = probe_watched(ci2, 400, &m, &t, &ms, &run);
	is_int(m.n, 1, "socket,localhost: the second entry reached the listener");
	is_str(r ? r->error : NULL, "connection timed out after 400ms",
	    "socket,localhost: timed out in the handshake");
	probe_result_free(r);
	mute_close(&m);

	/* PGHOST is what libpq uses when the string names no host. */
	ci3 = xasprintf("port=%d dbname=x", port);
	{
		char *saved = getenv("PGHOST") ? xstrdup(getenv("PGHOST")) : NULL;

		setenv("PGHOST", "localhost", 1);
		atomic_store(&gai_calls, 0);
		r = probe_watched(ci3, 400, &m, &t, &ms, &run);
		if (saved != NULL)
			setenv("PGHOST", saved, 1);
		else
			unsetenv("PGHOST");
		free(saved);
	}
	is_int(atomic_load(&gai_calls), 1, "PGHOST=localhost: looked up by the worker");
	is_int(m.n, 1, "PGHOST=localhost: connected to the resolved address");
	probe_result_free(r);
	mute_close(&m);
	close(m.lfd);
	free(ci);
	free(ci2);
	free(ci3);
}

static void
test_unresolvable(void)
{
	static const char *const cis[] = {
		"host=does-not-exist.invalid dbname=x",
		"host=localhost,does-not-exist.invalid port=1 dbname=x",
	};
	static const char want[] =
	    "could not translate host name \"does-not-exist.invalid\" to address: ";
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;
	size_t i;

	for (i = 0; i < sizeof cis / sizeof cis[0]; i++) {
		r = probe_watched(cis[i], 10000, NULL, &t, &ms, &run);
		ok(r != NULL && r->status == PROBE_UNREACHABLE, say("%s: unreachable", cis[i]));
		ok(r && r->error && strncmp(r->error, want, sizeof want - 1) == 0 &&
		    r->error[sizeof want - 1] != '\0', say("%s: names the host and why", cis[i]));
		if (r && r->error)
			printf("# %s (%lldms)\n", r->error, (long long)ms);
		ok(one_line(r ? r->error : NULL), say("%s: one line", cis[i]));
		is_int(run.calls, 1, say("%s: callback once", cis[i]));
		ok(!run.reentered, say("%s: not called back from inside start", cis[i]));
		ok(t.max_gap < 200, say("%s: the loop kept ticking (max gap %lldms)", cis[i],
		    (long long)t.max_gap));
		probe_result_free(r);
	}
}

/* A DNS that takes 500 ms (the seam): the loop goes on, the connect timer
 * ends the probe during the lookup, the worker frees the lookup later. */
static void
test_slow_lookup(void)
{
	struct event_base *base;
	struct probe_pg_opts o = { .connect_timeout_ms = 3000, .query_timeout_ms = 3000,
	    .what.tables = &v7_tables };
	struct timeval tv = { 0, 100000 };
	struct ticker t;
	struct run run = { 0 };
	struct probe_result *r;
	struct probe *p;
	int64_t ms, t0;

	atomic_store(&gai_delay_ms, 500);
	r = probe_watched("host=localhost dbname=x", 150, NULL, &t, &ms, &run);
	is_str(r ? r->error : NULL, "connection timed out after 150ms (resolving host localhost)",
	    "slow DNS: the connect timer fires during the lookup");
	ok(r && r->status == PROBE_UNREACHABLE, "slow DNS: unreachable");
	ok(ms >= 100 && ms < 450, say("slow DNS: on time, not after the lookup (%lldms)",
	    (long long)ms));
	ok(t.max_gap < 200 && t.ticks >= 4,
	    say("slow DNS: the loop kept ticking (max gap %lldms)", (long long)t.max_gap));
	probe_result_free(r);
	ok(lookups_freed(3000), "slow DNS: the abandoned lookup is freed by its worker");

	r = probe_watched("host=/nonexistent/x,localhost dbname=x", 150, NULL, &t, &ms, &run);
	is_str(r ? r->error : NULL, "connection timed out after 150ms (resolving host localhost)",
	    "slow DNS: the timeout names the entry being looked up");
	probe_result_free(r);
	ok(lookups_freed(3000), "slow DNS: freed again");

	/* Cancelled in the same loop pass it started in. */
	base = event_base_new();
	memset(&run, 0, sizeof run);
	p = probe_pg_start(base, "host=localhost dbname=x", "public", &o, done_cb, &run);
	ok(pg_resolve_jobs_live() == 1, "a lookup runs for host=localhost");
	probe_cancel(p);
	t0 = now_ms();
	event_base_dispatch(base);
	ok(now_ms() - t0 < 200, "cancelled lookup: nothing left on the loop");
	is_int(run.calls, 0, "cancelled lookup: no callback");
	ok(lookups_freed(3000), "cancelled lookup: freed when its worker returns");

	/* Cancelled from a timer, in the middle of the lookup. */
	p = probe_pg_start(base, "host=localhost dbname=x", "public", &o, done_cb, &run);
	event_base_once(base, -1, EV_TIMEOUT, cancel_cb, p, &tv);
	t0 = now_ms();
	event_base_dispatch(base);
	ms = now_ms() - t0;
	is_int(run.calls, 0, "cancelled mid-lookup: no callback");
	ok(ms < 400, say("cancelled mid-lookup: the loop ends at once (%lldms)", (long long)ms));
	ok(lookups_freed(3000), "cancelled mid-lookup: freed when its worker returns");

	/* The same with the real resolver (here it may fail at once). */
	atomic_store(&gai_delay_ms, 0);
	p = probe_pg_start(base, "host=does-not-exist.invalid dbname=x", "public", &o,
	    done_cb, &run);
	probe_cancel(p);
	event_base_dispatch(base);
	is_int(run.calls, 0, "cancelled real lookup: no callback");
	ok(lookups_freed(3000), "cancelled real lookup: freed");
	event_base_free(base);
}

/* Numeric addresses and socket paths never reach the resolver. */
static void
test_no_lookup(void)
{
	static const char *const hosts[] = {
		"host=127.0.0.1",
		"host=::1",
		"host=/nonexistent/sw-socket-dir",
		"host=127.0.0.1,/nonexistent/sw-socket-dir",
		"host=localhost hostaddr=127.0.0.1",
	};
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;
	size_t i;
	char *ci;

	for (i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		ci = xasprintf("%s port=%d dbname=x", hosts[i], closed_port());
		atomic_store(&gai_calls, 0);
		r = probe_watched(ci, 2000, NULL, &t, &ms, &run);
		is_int(atomic_load(&gai_calls), 0, say("%s: no lookup", ci));
		ok(pg_resolve_jobs_live() == 0, say("%s: no lookup worker", ci));
		ok(r && r->status == PROBE_UNREACHABLE,
		    say("%s: unreachable (nothing listens)", ci));
		probe_result_free(r);
		free(ci);
	}
}

/* ---- connection services: libpq started on a worker ------------------- */

/* Start seam: counts the calls, and those made on the loop (main) thread,
 * optionally after a slow start. */
static pthread_t main_thread;
static atomic_int start_calls;
static atomic_int start_on_loop;
static atomic_int start_delay_ms;

static PGconn *
test_connect_start(const char *const *keys, const char *const *vals, int expand)
{
	int delay = atomic_load(&start_delay_ms);

	if (delay > 0)
		usleep((useconds_t)delay * 1000);
	atomic_fetch_add(&start_calls, 1);
	if (pthread_equal(pthread_self(), main_thread))
		atomic_fetch_add(&start_on_loop, 1);
	return PQconnectStartParams(keys, vals, expand);
}

static void
start_count_reset(void)
{
	atomic_store(&start_calls, 0);
	atomic_store(&start_on_loop, 0);
}

/* pg_service.conf: swtest reaches the harness's server on its socket, swmute
 * a mute listener by the name localhost, swbad a name that cannot resolve. */
static char *
write_service_file(const char *dbname, int mute_port)
{
	const char *tmp = getenv("SW_TEST_TMP");
	char *path = xasprintf("%s/pg_service.conf", tmp != NULL ? tmp : "/tmp");
	FILE *f = fopen(path, "w");

	if (f == NULL || getenv("PGHOST") == NULL || getenv("PGUSER") == NULL)
		th_bail("cannot write pg_service.conf (or no PGHOST/PGUSER)", NULL);
	fprintf(f, "[swtest]\nhost=%s\ndbname=%s\nuser=%s\n\n", getenv("PGHOST"), dbname,
	    getenv("PGUSER"));
	fprintf(f, "[swmute]\nhost=localhost\nport=%d\ndbname=x\n\n", mute_port);
	fprintf(f, "[swbad]\nhost=does-not-exist.invalid\ndbname=x\n");
	if (fclose(f) != 0)
		th_bail("cannot write pg_service.conf", NULL);
	return path;
}

/* service=swtest and PGSERVICE=swtest: the whole path, worker start to
 * catalog; without a service libpq starts on the loop as before. */
static void
test_service_ok(const char *dbname)
{
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;
	char *plain = xasprintf("dbname=%s", dbname);

	start_count_reset();
	r = probe_watched("service=swtest", 5000, NULL, &t, &ms, &run);
	ok(r != NULL && r->status == PROBE_OK, "service=swtest: probe OK");
	if (r != NULL && r->status != PROBE_OK)
		printf("# %s\n", r->error ? r->error : "?");
	if (r != NULL && r->status == PROBE_OK)
		check_v7_catalog(r->cat);
	is_int(atomic_load(&start_calls), 1, "service=swtest: libpq started once");
	is_int(atomic_load(&start_on_loop), 0, "service=swtest: started on a worker");
	is_int(run.calls, 1, "service=swtest: callback once");
	ok(!run.reentered, "service=swtest: not called back from inside start");
	ok(t.max_gap < 200, say("service=swtest: the loop kept ticking (max gap %lldms)",
	    (long long)t.max_gap));
	probe_result_free(r);
	ok(lookups_freed(3000), "service=swtest: the worker job is freed");

	setenv("PGSERVICE", "swtest", 1);
	start_count_reset();
	r = probe_watched("", 5000, NULL, &t, &ms, &run);
	unsetenv("PGSERVICE");
	ok(r != NULL && r->status == PROBE_OK && r->cat != NULL && r->cat->ntables == 3,
	    "PGSERVICE=swtest: probe OK, V7 tables seen");
	is_int(atomic_load(&start_calls), 1, "PGSERVICE=swtest: libpq started once");
	is_int(atomic_load(&start_on_loop), 0, "PGSERVICE=swtest: started on a worker");
	probe_result_free(r);
	ok(lookups_freed(3000), "PGSERVICE=swtest: the worker job is freed");

	start_count_reset();
	r = probe_watched(plain, 5000, NULL, &t, &ms, &run);
	ok(r != NULL && r->status == PROBE_OK, "no service: probe OK");
	is_int(atomic_load(&start_calls), 0, "no service: libpq not started on a worker");
	probe_result_free(r);

	/* A service libpq cannot find fails in the worker; its message gets out. */
	r = probe_watched("service=sw-no-such-service", 5000, NULL, &t, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "unknown service: unreachable");
	ok(r && r->error && strstr(r->error, "sw-no-such-service") != NULL &&
	    one_line(r->error), "unknown service: libpq's message, one line");
	if (r && r->error)
		printf("# %s\n", r->error);
	probe_result_free(r);
	free(plain);
}

/* swmute: libpq resolves localhost on the worker and connects to the mute
 * listener; the loop polls on and times out in the handshake. */
static void
test_service_mute(struct mute *m)
{
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;

	start_count_reset();
	r = probe_watched("service=swmute", 400, m, &t, &ms, &run);
	is_int(m->n, 1, "swmute: connected to the listener on localhost");
	ok(r && r->status == PROBE_UNREACHABLE, "swmute: unreachable");
	is_str(r ? r->error : NULL, "connection timed out after 400ms",
	    "swmute: timed out in the handshake, after the worker's start");
	is_int(atomic_load(&start_on_loop), 0, "swmute: started on a worker");
	is_int(run.calls, 1, "swmute: callback once");
	ok(ms >= 350 && ms < 1500, say("swmute: the connect timer ends it (%lldms)",
	    (long long)ms));
	ok(t.max_gap < 200, say("swmute: the loop kept ticking (max gap %lldms)",
	    (long long)t.max_gap));
	probe_result_free(r);
	mute_close(m);
	ok(lookups_freed(3000), "swmute: the worker job is freed");
}

static void
test_service_unresolvable(void)
{
	static const char want[] =
	    "could not translate host name \"does-not-exist.invalid\" to address: ";
	struct ticker t;
	struct run run;
	struct probe_result *r;
	int64_t ms;

	start_count_reset();
	r = probe_watched("service=swbad", 10000, NULL, &t, &ms, &run);
	ok(r != NULL && r->status == PROBE_UNREACHABLE, "swbad: unreachable");
	ok(r && r->error && strncmp(r->error, want, sizeof want - 1) == 0 &&
	    r->error[sizeof want - 1] != '\0', "swbad: libpq names the host and why");
	if (r && r->error)
		printf("# %s (%lldms)\n", r->error, (long long)ms);
	ok(one_line(r ? r->error : NULL), "swbad: one line");
	is_int(atomic_load(&start_on_loop), 0, "swbad: looked up on a worker");
	is_int(run.calls, 1, "swbad: callback once");
	ok(t.max_gap < 200, say("swbad: the loop kept ticking (max gap %lldms)",
	    (long long)t.max_gap));
	probe_result_free(r);
	ok(lookups_freed(3000), "swbad: the worker job is freed");
}

/* A connection from the start that was abandoned reached the listener and
 * was closed (EOF, whatever libpq sent first): the worker finished it. */
static bool
listener_sees_closed(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	char buf[512];
	ssize_t n = -1;
	int c;

	if (poll(&pfd, 1, 2000) != 1 || (c = accept(lfd, NULL, NULL)) < 0)
		return false;
	pfd.fd = c;
	while (poll(&pfd, 1, 2000) == 1 && (n = read(c, buf, sizeof buf)) > 0)
		;
	close(c);
	return n == 0;
}

/* A start that takes 500 ms (the seam): the connect timer ends the probe
 * during it; a cancel during it leaves no callback, and the worker closes
 * the connection it made for nobody. */
static void
test_service_slow(struct mute *m)
{
	struct event_base *base;
	struct probe_pg_opts o = { .connect_timeout_ms = 3000, .query_timeout_ms = 3000,
	    .what.tables = &v7_tables };
	struct timeval tv = { 0, 100000 };
	struct ticker t;
	struct run run = { 0 };
	struct probe_result *r;
	struct probe *p;
	int64_t ms, t0;

	atomic_store(&start_delay_ms, 500);
	r = probe_watched("service=swtest", 150, NULL, &t, &ms, &run);
	is_str(r ? r->error : NULL, "connection timed out after 150ms (starting the connection)",
	    "slow start: the connect timer fires during it");
	ok(r && r->status == PROBE_UNREACHABLE, "slow start: unreachable");
	ok(ms >= 100 && ms < 450, say("slow start: on time, not after it (%lldms)",
	    (long long)ms));
	ok(t.max_gap < 200 && t.ticks >= 4,
	    say("slow start: the loop kept ticking (max gap %lldms)", (long long)t.max_gap));
	probe_result_free(r);
	ok(lookups_freed(3000), "slow start: the abandoned job is freed by its worker");

	/* Cancelled in the same loop pass it started in. */
	base = event_base_new();
	memset(&run, 0, sizeof run);
	p = probe_pg_start(base, "service=swtest", "public", &o, done_cb, &run);
	ok(pg_resolve_jobs_live() == 1, "service=swtest: a worker job runs");
	probe_cancel(p);
	t0 = now_ms();
	event_base_dispatch(base);
	ok(now_ms() - t0 < 200, "cancelled start: nothing left on the loop");
	is_int(run.calls, 0, "cancelled start: no callback");
	ok(lookups_freed(3000), "cancelled start: freed when its worker returns");

	/* Cancelled from a timer while the worker is in the (slow) start. */
	atomic_store(&start_delay_ms, 300);
	start_count_reset();
	p = probe_pg_start(base, "service=swmute", "public", &o, done_cb, &run);
	event_base_once(base, -1, EV_TIMEOUT, cancel_cb, p, &tv);
	t0 = now_ms();
	event_base_dispatch(base);
	ms = now_ms() - t0;
	is_int(run.calls, 0, "cancelled mid-start: no callback");
	ok(ms < 250, say("cancelled mid-start: the loop ends at once (%lldms)", (long long)ms));
	ok(lookups_freed(3000), "cancelled mid-start: freed when its worker returns");
	is_int(atomic_load(&start_calls), 1, "cancelled mid-start: the start went on");
	ok(listener_sees_closed(m->lfd),
	    "cancelled mid-start: the worker closed the connection it made");
	atomic_store(&start_delay_ms, 0);
	event_base_free(base);
}

static void
test_services(void)
{
	struct mute m = { .n = 0 };
	char *ci = make_db("svc"), *path;
	int port;

	apply_v7(ci, NULL);
	m.lfd = listener_named("localhost", &port);
	path = write_service_file(ci + strlen("dbname="), port);
	ok(lookups_freed(3000), "no worker left from earlier tests");
	setenv("PGSERVICEFILE", path, 1);
	pg_resolve_connect_start = test_connect_start;
	test_service_ok(ci + strlen("dbname="));
	test_service_mute(&m);
	test_service_unresolvable();
	test_service_slow(&m);
	unsetenv("PGSERVICEFILE");
	close(m.lfd);
	free(path);
	free(ci);
}

/* pgcat_from_result on results it cannot use. */
static void
test_bad_results(const char *good)
{
	PGconn *c = th_connect(good);
	PGresult *r;
	struct catalog *cat;
	char *err = NULL;

	cat = pgcat_from_result(NULL, &err);
	ok(cat == NULL && err != NULL, "NULL result rejected with a message");
	free(err);
	r = PQexec(c, "SELECT '{not json'::text");
	cat = pgcat_from_result(r, &err);
	ok(cat == NULL && err != NULL && strstr(err, "JSON") != NULL, "malformed JSON rejected");
	free(err);
	PQclear(r);
	r = PQexec(c, "SELECT '[{\"name\":\"users\"},{\"name\":\"users\"}]'::text");
	cat = pgcat_from_result(r, &err);
	ok(cat == NULL && err != NULL, "a table twice in the result rejected");
	free(err);
	PQclear(r);
	r = PQexec(c, "SELECT 1 WHERE false");
	cat = pgcat_from_result(r, &err);
	ok(cat == NULL && err != NULL, "no row rejected");
	free(err);
	PQclear(r);
	PQfinish(c);
}

/* A catalog the query cannot read: another session holds pg_constraint. The
 * server's statement/lock timeout and the probe's own timer race; either way
 * the outcome is an introspection error in bounded time, after connecting. */
static void
test_query_timeout(const char *good)
{
	struct probe_result *r;
	struct run run;
	int64_t ms;
	PGconn *locker = th_connect(good);

	th_exec(locker, "BEGIN; LOCK TABLE pg_catalog.pg_constraint IN ACCESS EXCLUSIVE MODE");
	r = probe(good, "public", 5000, 500, &ms, &run);
	ok(r != NULL && r->status == PROBE_ERROR, "blocked catalog query: error");
	ok(r && one_line(r->error), "query error is one line");
	is_int(r ? r->round_trips : 0, 1, "the query was sent");
	ok(ms >= 400 && ms < 3000, "query timeout bounded");
	if (r && r->error)
		printf("# %s (%lldms)\n", r->error, (long long)ms);
	probe_result_free(r);
	th_exec(locker, "ROLLBACK");
	PQfinish(locker);
}

/* Cancelled while the catalog query is in flight (the server is waiting on
 * a lock the query needs): no callback, no timer left behind, and the
 * connection is really closed (its backend ends once the lock is free). */
struct qcancel {
	struct event_base	*base;
	struct probe		*p;
	struct event		*tick;
	bool			 cancelled;
};

static long
backends_waiting(const char *extra)
{
	char *sql = xasprintf("SELECT count(*) FROM pg_stat_activity "
	    "WHERE application_name = 'schemawatchd'%s", extra);
	PGresult *r = PQexec(admin, sql);
	long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : -1;

	PQclear(r);
	free(sql);
	return n;
}

static void
qcancel_tick(evutil_socket_t fd, short what, void *arg)
{
	struct qcancel *q = arg;

	(void)fd;
	(void)what;
	if (backends_waiting(" AND wait_event_type = 'Lock'") == 1) {
		probe_cancel(q->p);
		q->cancelled = true;
		event_del(q->tick);	/* nothing else should keep the loop alive */
	}
}

static void
test_cancel_query(const char *good)
{
	struct probe_pg_opts o = { .connect_timeout_ms = 5000, .query_timeout_ms = 5000,
	    .what.tables = &v7_tables };
	struct timeval tv = { 0, 50000 };
	struct qcancel q = { 0 };
	struct run run = { 0 };
	PGconn *locker = th_connect(good);
	int64_t t0;
	int i;

	th_exec(locker, "BEGIN; LOCK TABLE pg_catalog.pg_constraint IN ACCESS EXCLUSIVE MODE");
	q.base = event_base_new();
	q.p = probe_pg_start(q.base, good, "public", &o, done_cb, &run);
	q.tick = event_new(q.base, -1, EV_PERSIST, qcancel_tick, &q);
	event_add(q.tick, &tv);
	t0 = now_ms();
	event_base_dispatch(q.base);
	ok(q.cancelled, "the probe was cancelled while its query waited on the server");
	is_int(run.calls, 0, "cancelled mid-query: no callback");
	ok(now_ms() - t0 < 4000, "cancel mid-query leaves no timer: the loop ends before the timeouts");
	th_exec(locker, "ROLLBACK");
	for (i = 0; i < 40 && backends_waiting("") != 0; i++)
		usleep(50000);
	is_int(backends_waiting(""), 0, "the cancelled probe's connection is closed");
	event_free(q.tick);
	event_base_free(q.base);
	PQfinish(locker);
}

/* ---- encodings ------------------------------------------------------------ */

static const struct cat_check *
check_named(const struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; t != NULL && i < t->nchecks; i++)
		if (t->checks[i].name != NULL && strcmp(t->checks[i].name, name) == 0)
			return &t->checks[i];
	return NULL;
}

/* A LATIN1 database: the probe asks for UTF-8 whatever the target's string
 * or PGCLIENTENCODING say, so non-ASCII text in a default and a CHECK comes
 * back as UTF-8 (the catalog, JSON and logs are UTF-8 only). */
static void
test_latin1(void)
{
	char *name = xasprintf("sw_pgcat_%ld_latin1", (long)getpid()), *sql, *ci, *setup, *ci2;
	const char *cases[2];
	const struct cat_table *t;
	const struct cat_column *c;
	const struct cat_check *k;
	struct probe_result *r;
	struct run run;
	int i;

	sql = xasprintf("CREATE DATABASE %s ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
	    "TEMPLATE template0", name);
	th_exec(admin, sql);
	free(sql);
	dbnames[ndb++] = name;
	ci = xasprintf("dbname=%s", name);
	ci2 = xasprintf("dbname=%s client_encoding=LATIN1", name);
	/* The test's own connection speaks UTF-8, converted to LATIN1 by the server. */
	setup = xasprintf("dbname=%s client_encoding=UTF8", name);
	apply_v7(setup, NULL);
	sql_on(setup, "ALTER TABLE prompt_templates ADD COLUMN label text DEFAULT 'caf\xc3\xa9'"
	    " CONSTRAINT ck_label CHECK (label <> 'na\xc3\xafve')");
	cases[0] = ci;
	cases[1] = ci2;
	setenv("PGCLIENTENCODING", "LATIN1", 1);
	for (i = 0; i < 2; i++) {
		r = probe_ok(cases[i], "public", &run);
		if (!ok(r != NULL && r->status == PROBE_OK, say("LATIN1 database (%s): probe ok",
		    cases[i]))) {
			probe_result_free(r);
			continue;
		}
		t = cat_find_table(r->cat, "prompt_templates");
		c = th_col(t, "label");
		ok(c != NULL && c->dflt_raw != NULL &&
		    strcmp(c->dflt_raw, "'caf\xc3\xa9'::text") == 0,
		    say("%s: the default 'caf\xc3\xa9' comes back as UTF-8", cases[i]));
		if (c != NULL && c->dflt_raw != NULL)
			printf("# default: %s\n", c->dflt_raw);
		k = check_named(t, "ck_label");
		ok(k != NULL && k->expr_raw != NULL &&
		    strstr(k->expr_raw, "'na\xc3\xafve'") != NULL,
		    say("%s: the CHECK text 'na\xc3\xafve' comes back as UTF-8", cases[i]));
		if (k != NULL && k->expr_raw != NULL)
			printf("# check: %s\n", k->expr_raw);
		probe_result_free(r);
	}
	unsetenv("PGCLIENTENCODING");
	free(ci);
	free(ci2);
	free(setup);
}

int
main(void)
{
	char *sql;
	int i;

	main_thread = pthread_self();
	admin = PQconnectdb("");
	if (PQstatus(admin) != CONNECTION_OK)
		th_bail("admin connection (PGHOST/PGUSER/PGDATABASE)", admin);

	test_v7();
	test_empty_and_schemas();
	test_serial_schemas();
	test_objects_schemas();
	test_except_table();
	test_unreachable();
	test_connect_timeout();
	test_mute_server();
	test_cancel("dbname=postgres");
	pg_resolve_getaddrinfo = test_gai;
	test_needs_resolution();
	test_named_host();
	test_unresolvable();
	test_slow_lookup();
	test_no_lookup();
	test_services();
	test_query_timeout("dbname=postgres");
	test_cancel_query("dbname=postgres");
	test_bad_results("dbname=postgres");
	test_latin1();

	for (i = 0; i < ndb; i++) {
		sql = xasprintf("DROP DATABASE IF EXISTS %s", dbnames[i]);
		th_exec(admin, sql);
		free(sql);
		free(dbnames[i]);
	}
	PQfinish(admin);
	return tap_done();
}

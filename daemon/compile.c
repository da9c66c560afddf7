/* compile.c — compile a definition's SQL into catalogs with the engines
 * themselves (compile.h).
 *
 * Nobody guesses what DDL means: each revision's upgrade runs on top of the
 * ones before it, PostgreSQL in a database made for this run on the scratch
 * server, SQLite in :memory:, and the result is read back with the same
 * introspection the daemon uses (pgcat.c, sqlcat.c), so a compiled catalog
 * and a live one can only differ where the databases differ.
 *
 * The temporary database is dropped on every way out: success, SQL error,
 * and SIGINT/SIGTERM. The signal handler only records the signal and sends
 * a cancel request (PQcancel is async-signal-safe), so the statement in
 * progress stops; the main path then drops the database and re-raises the
 * signal with its default action, so the caller sees how we ended. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "catalog.h"
#include "catjson.h"
#include "compare.h"
#include "compile.h"
#include "definition.h"
#include "pgcat.h"
#include "sqlcat.h"
#include "sqltext.h"
#include "util.h"

/* ---- signals -------------------------------------------------------------- */

static volatile sig_atomic_t got_signal;
static PGcancel *volatile cancel_req;

static void
on_signal(int sig)
{
	char buf[128];
	PGcancel *c = cancel_req;

	got_signal = sig;
	if (c != NULL)
		(void)PQcancel(c, buf, sizeof buf);
}

struct sigsave {
	struct sigaction	 old_int, old_term;
};

static void
signals_install(struct sigsave *s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking wait returns, and we look at the flag. */
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
}

static void
signals_restore(struct sigsave *s)
{
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
}

/* Swap the connection that a signal cancels, with the signals blocked so
 * the handler never sees a freed cancel object. */
static void
cancel_target(PGconn *conn)
{
	sigset_t set, old;
	PGcancel *prev;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	prev = cancel_req;
	cancel_req = conn != NULL ? PQgetCancel(conn) : NULL;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (prev != NULL)
		PQfreeCancel(prev);
}

/* ---- statements ----------------------------------------------------------- */

static void
sql_error(const char *file, const char *text, const char *stmt, size_t len, int n,
    const char *msg)
{
	char *e = sqltext_error(file, text, stmt, len, n, msg, NULL);

	fprintf(stderr, "schemawatchd: %s\n", e);
	free(e);
}

/* ---- PostgreSQL ----------------------------------------------------------- */

struct pgside {
	PGconn	*admin;
	PGconn	*db;
	char	*dbname;
	char	*engine;
};

static void
pg_close(struct pgside *pg)
{
	PGresult *r;
	char *sql;

	cancel_target(NULL);
	if (pg->db != NULL)
		PQfinish(pg->db);
	pg->db = NULL;
	if (pg->dbname != NULL && pg->admin != NULL) {
		/* FORCE (13+): a session someone opened meanwhile cannot keep it. */
		sql = xasprintf("DROP DATABASE IF EXISTS \"%s\"%s", pg->dbname,
		    PQserverVersion(pg->admin) >= 130000 ? " WITH (FORCE)" : "");
		r = PQexec(pg->admin, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fprintf(stderr, "schemawatchd: could not drop the scratch database %s: %s",
			    pg->dbname, PQerrorMessage(pg->admin));
		PQclear(r);
		free(sql);
	}
	if (pg->admin != NULL)
		PQfinish(pg->admin);
	free(pg->dbname);
	free(pg->engine);
	memset(pg, 0, sizeof *pg);
}

/* Connect to the scratch server and make the database. -1: no server (the
 * SQLite side is still compiled); -2: the server refused. */
/* libpq parameters: the scratch conninfo (expanded: it may be a whole
 * connection string or URI; empty uses the environment), then what we add,
 * which overrides it. */
static PGconn *
pg_connect(const char *scratch, const char *dbname)
{
	const char *keys[4], *vals[4];
	int n = 0;

	keys[n] = "dbname";
	vals[n++] = scratch != NULL ? scratch : "";
	if (dbname != NULL) {
		keys[n] = "dbname";
		vals[n++] = dbname;
	}
	keys[n] = "application_name";
	vals[n++] = "schemawatchd-compile";
	keys[n] = NULL;
	vals[n] = NULL;
	return PQconnectdbParams(keys, vals, 1);
}

/* Connect to the scratch server and make the database. -1: no server (the
 * SQLite side is still compiled); -2: the server refused. */
static int
pg_open(struct pgside *pg, const char *scratch)
{
	PGresult *r;
	char *sql, *m;
	int rc = 0;

	memset(pg, 0, sizeof *pg);
	pg->admin = pg_connect(scratch, NULL);
	if (PQstatus(pg->admin) != CONNECTION_OK) {
		m = str_first_line(PQerrorMessage(pg->admin), NULL);
		printf("no scratch PostgreSQL server (%s): only the SQLite side is compiled\n", m);
		free(m);
		PQfinish(pg->admin);
		pg->admin = NULL;
		return -1;
	}
	/* Unique per run: two compilations on one server never meet. */
	pg->dbname = xasprintf("sw_compile_%ld_%ld", (long)getpid(), (long)time(NULL));
	sql = xasprintf("CREATE DATABASE \"%s\" TEMPLATE template0", pg->dbname);
	r = PQexec(pg->admin, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "schemawatchd: cannot create a scratch database: %s",
		    PQerrorMessage(pg->admin));
		free(pg->dbname);
		pg->dbname = NULL;
		rc = -2;
	}
	PQclear(r);
	if (rc < 0)
		return rc;
	pg->db = pg_connect(scratch, pg->dbname);
	if (PQstatus(pg->db) != CONNECTION_OK) {
		fprintf(stderr, "schemawatchd: cannot connect to the scratch database %s: %s",
		    pg->dbname, PQerrorMessage(pg->db));
		return -2;
	}
	pg->engine = xasprintf("PostgreSQL %s", PQparameterStatus(pg->db, "server_version"));
	cancel_target(pg->db);
	return 0;
}

static int
pg_run_file(struct pgside *pg, const char *file)
{
	const char *p, *q, *end;
	PGresult *r;
	size_t len;
	char *text, *stmt;
	int n = 0, rc = 0;

	if ((text = read_file(file, &len)) == NULL) {
		fprintf(stderr, "schemawatchd: %s: %s\n", file, strerror(errno));
		return -1;
	}
	for (p = text; rc == 0 && *p != '\0' && !got_signal; p = end) {
		end = sqltext_statement_end(p);
		if (sqltext_blank(p, (size_t)(end - p)))
			continue;
		n++;
		/* Without its leading blank lines: pg_stat_activity shows it. */
		for (q = p; q < end && (*q == '\n' || *q == '\r' || *q == ' ' || *q == '\t'); q++)
			;
		stmt = xstrndup(q, (size_t)(end - q));
		r = PQexec(pg->db, stmt);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
			if (!got_signal)
				sql_error(file, text, p, (size_t)(end - p), n, PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
		free(stmt);
	}
	free(text);
	return got_signal ? -1 : rc;
}

/* Every table and object of the public schema but the version table. */
static struct catalog *
pg_catalog(struct pgside *pg, const struct definition *def)
{
	const struct cat_want want = { NULL, NULL, true, def->version_table };
	struct catalog *c = NULL;
	PGresult *r;
	char *q, *err = NULL;

	/* Everything the SQL built in public (scope: schema's reading), less
	 * the version table: that is data the engine writes, not schema. */
	if ((q = pgcat_query_tables(pg->db, "public", &want, NULL, &err)) != NULL) {
		r = PQexec(pg->db, q);
		c = pgcat_from_result(r, &err);
		PQclear(r);
		free(q);
	}
	if (c == NULL)
		fprintf(stderr, "schemawatchd: reading the catalog: %s\n", err);
	free(err);
	return c;
}

/* ---- SQLite --------------------------------------------------------------- */

static int
lite_run_file(sqlite3 *db, const char *file)
{
	sqlite3_stmt *st;
	const char *p, *tail;
	size_t len;
	char *text;
	int n = 0, rc = 0, r;

	if ((text = read_file(file, &len)) == NULL) {
		fprintf(stderr, "schemawatchd: %s: %s\n", file, strerror(errno));
		return -1;
	}
	/* SQLite's own parser finds the statements (a trigger's BEGIN ... END
	 * holds semicolons). */
	for (p = text; rc == 0 && *p != '\0' && !got_signal; p = tail) {
		st = NULL;
		if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK) {
			tail = sqltext_statement_end(p);
			sql_error(file, text, p, (size_t)(tail - p), n + 1, sqlite3_errmsg(db));
			rc = -1;
			break;
		}
		if (st == NULL)		/* only blanks or comments left */
			break;
		n++;
		while ((r = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (r != SQLITE_DONE) {
			sql_error(file, text, p, (size_t)(tail - p), n, sqlite3_errmsg(db));
			rc = -1;
		}
		sqlite3_finalize(st);
	}
	free(text);
	return got_signal ? -1 : rc;
}

/* Everything the SQL built, less the version table (as for PostgreSQL). */
static struct catalog *
lite_catalog(sqlite3 *db, const struct definition *def)
{
	const struct cat_want want = { NULL, NULL, true, def->version_table };
	struct catalog *c;
	char *err = NULL;

	if ((c = sqlcat_read_want(db, &want, NULL, NULL, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: reading the catalog: %s\n", err);
		free(err);
		return NULL;
	}
	return c;
}

/* ---- output --------------------------------------------------------------- */

/* Written beside and renamed over, so a reader never sees half a file. */
static int
write_compiled(const struct definition *def, int rev, enum cat_dialect d,
    const struct catalog *c, const char *engine)
{
	struct catjson_meta meta = { NULL, NULL, NULL };
	char *path = def_compiled_path(def, rev, d), *tmp = xasprintf("%s.tmp", path);
	char *text, *err = NULL;
	FILE *f;
	int rc = 0;

	if ((meta.sql_digest = def_sql_digest(def, rev, d, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		free(path);
		free(tmp);
		return -1;
	}
	meta.engine = (char *)engine;
	meta.revision = def->revs[rev].id;
	text = catjson_dump(c, &meta);
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) == EOF || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "schemawatchd: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		rc = -1;
	} else {
		printf("compiled %s (%d table%s)\n", path, c->ntables, c->ntables == 1 ? "" : "s");
	}
	free(text);
	free(meta.sql_digest);
	free(path);
	free(tmp);
	return rc;
}

/* ---- parity --------------------------------------------------------------- */

/* Number of parity differences of one revision, each printed. */
static int
parity_check(const struct definition *def, int rev, const struct catalog *pg,
    const struct catalog *lite)
{
	struct diff_list l = { NULL, 0 };
	struct catalog *x = def_parity_translate(def, pg);
	int i, n;

	if (x == NULL)
		return 1;
	compare_catalogs(x, lite, &l);
	for (i = 0; i < l.n; i++)
		printf("parity: %s: %s: %s: postgresql %s, sqlite %s\n", def->revs[rev].id,
		    l.v[i].object, diff_kind_name(l.v[i].kind),
		    l.v[i].expected ? l.v[i].expected : "(none)",
		    l.v[i].actual ? l.v[i].actual : "(none)");
	n = l.n;
	diff_list_free(&l);
	cat_free(x);
	return n;
}

/* ---- the command ---------------------------------------------------------- */

struct run {
	struct definition	*def;
	struct catalog		**cats[2];	/* per dialect, per revision */
};

/* Running the SQL of one file, and reading the catalog, on one engine. */
struct engine {
	int		 (*run_file)(void *, const char *);
	struct catalog	*(*read)(void *, const struct definition *);
	void		*ctx;
};

static int
lite_run(void *ctx, const char *file)
{
	return lite_run_file(ctx, file);
}

static struct catalog *
lite_read(void *ctx, const struct definition *def)
{
	return lite_catalog(ctx, def);
}

static int
pg_run(void *ctx, const char *file)
{
	return pg_run_file(ctx, file);
}

static struct catalog *
pg_read(void *ctx, const struct definition *def)
{
	return pg_catalog(ctx, def);
}

/* After the whole chain: each downgrade, newest first, must lead back to
 * exactly the revision before it (nothing before the first), so that an
 * apply --downgrade verified against that catalog can succeed. Stops at the
 * first revision without a downgrade file. Returns the number of problems. */
static int
check_downgrades(struct run *run, enum cat_dialect d, const struct engine *e)
{
	struct definition *def = run->def;
	struct diff_list l = { NULL, 0 };
	struct catalog *got, *empty = cat_new(d);
	const struct catalog *want;
	int i, j, bad = 0;

	for (i = def->nrevs - 1; i >= 0 && bad == 0 && !got_signal; i--) {
		if (def->revs[i].step[d].downgrade == NULL)
			break;
		if (e->run_file(e->ctx, def->revs[i].step[d].downgrade) < 0 ||
		    (got = e->read(e->ctx, def)) == NULL) {
			bad++;
			break;
		}
		want = i > 0 ? run->cats[d][i - 1] : empty;
		compare_catalogs(want, got, &l);
		for (j = 0; j < l.n; j++)
			fprintf(stderr, "schemawatchd: %s: the downgrade of %s does not lead back to %s: "
			    "%s: %s: expected %s, got %s\n", cat_dialect_name(d), def->revs[i].id,
			    i > 0 ? def->revs[i - 1].id : "nothing", l.v[j].object,
			    diff_kind_name(l.v[j].kind), l.v[j].expected ? l.v[j].expected : "(none)",
			    l.v[j].actual ? l.v[j].actual : "(none)");
		bad += l.n;
		diff_list_free(&l);
		cat_free(got);
	}
	cat_free(empty);
	return bad;
}

static int
compile_sqlite(struct run *run)
{
	struct definition *def = run->def;
	char engine[64];
	sqlite3 *db;
	int i, rc = 0;

	snprintf(engine, sizeof engine, "SQLite %s", sqlite3_libversion());
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		fprintf(stderr, "schemawatchd: cannot open SQLite :memory:\n");
		sqlite3_close(db);
		return COMPILE_SQL;
	}
	sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	for (i = 0; i < def->nrevs && rc == 0; i++) {
		if (lite_run_file(db, def->revs[i].step[CAT_SQLITE].upgrade) < 0 ||
		    (run->cats[CAT_SQLITE][i] = lite_catalog(db, def)) == NULL ||
		    write_compiled(def, i, CAT_SQLITE, run->cats[CAT_SQLITE][i], engine) < 0)
			rc = COMPILE_SQL;
	}
	if (rc == 0) {
		struct engine e = { lite_run, lite_read, db };

		if (check_downgrades(run, CAT_SQLITE, &e) > 0)
			rc = COMPILE_SQL;
	}
	sqlite3_close(db);
	return rc;
}

/* -1: no server, the PostgreSQL side is skipped. */
static int
compile_pg(struct run *run, const char *scratch)
{
	struct definition *def = run->def;
	struct pgside pg;
	int i, rc = 0, o;

	if ((o = pg_open(&pg, scratch)) == -1)
		return -1;
	if (o < 0)
		rc = COMPILE_SQL;
	for (i = 0; i < def->nrevs && rc == 0 && !got_signal; i++) {
		if (pg_run_file(&pg, def->revs[i].step[CAT_PG].upgrade) < 0 ||
		    (run->cats[CAT_PG][i] = pg_catalog(&pg, def)) == NULL ||
		    write_compiled(def, i, CAT_PG, run->cats[CAT_PG][i], pg.engine) < 0)
			rc = COMPILE_SQL;
	}
	if (rc == 0 && !got_signal) {
		struct engine e = { pg_run, pg_read, &pg };

		if (check_downgrades(run, CAT_PG, &e) > 0)
			rc = COMPILE_SQL;
	}
	pg_close(&pg);
	return rc;
}

static int
compile_parity(struct run *run)
{
	struct definition *def = run->def;
	int i, n = 0;

	if (!def->has[CAT_PG] || !def->has[CAT_SQLITE])
		return COMPILE_OK;
	if (!def->has_parity) {
		printf("no parity: section: the dialects are not compared\n");
		return COMPILE_OK;
	}
	for (i = 0; i < def->nrevs; i++)
		if (run->cats[CAT_PG][i] != NULL && run->cats[CAT_SQLITE][i] != NULL)
			n += parity_check(def, i, run->cats[CAT_PG][i], run->cats[CAT_SQLITE][i]);
	if (n > 0) {
		printf("parity failed: %d difference%s\n", n, n == 1 ? "" : "s");
		return COMPILE_PARITY;
	}
	printf("parity ok\n");
	return COMPILE_OK;
}

static int
compile_run(struct run *run, const char *scratch)
{
	struct definition *def = run->def;
	char *dir = xasprintf("%s/%s", def->dir, DEF_COMPILED_DIR);
	int rc = COMPILE_OK, pg_rc;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "schemawatchd: %s: %s\n", dir, strerror(errno));
		free(dir);
		return COMPILE_SQL;
	}
	free(dir);
	if (def->has[CAT_SQLITE])
		rc = compile_sqlite(run);
	if (rc == COMPILE_OK && def->has[CAT_PG] && !got_signal) {
		pg_rc = compile_pg(run, scratch);
		if (pg_rc == -1 && !def->has[CAT_SQLITE]) {
			fprintf(stderr, "schemawatchd: the definition is PostgreSQL only and "
			    "no scratch server is reachable: nothing compiled\n");
			rc = COMPILE_SQL;
		} else if (pg_rc > 0) {
			rc = pg_rc;
		}
	}
	if (rc == COMPILE_OK && !got_signal)
		rc = compile_parity(run);
	return rc;
}

int
compile_definition(const char *dir, const char *scratch)
{
	struct sigsave save;
	struct run run;
	char *err = NULL;
	int rc, d, i, sig;

	memset(&run, 0, sizeof run);
	if ((run.def = def_load(dir, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		return COMPILE_DEFINITION;
	}
	for (d = 0; d < 2; d++)
		run.cats[d] = xcalloc((size_t)run.def->nrevs, sizeof *run.cats[d]);
	got_signal = 0;
	signals_install(&save);
	rc = compile_run(&run, scratch);
	signals_restore(&save);
	for (d = 0; d < 2; d++) {
		for (i = 0; i < run.def->nrevs; i++)
			cat_free(run.cats[d][i]);
		free(run.cats[d]);
	}
	def_free(run.def);
	if ((sig = got_signal) != 0) {
		/* Cleaned up; now end the way the signal meant. */
		fprintf(stderr, "schemawatchd: interrupted (signal %d); scratch database dropped\n",
		    sig);
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	return rc;
}

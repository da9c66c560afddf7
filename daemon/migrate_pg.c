/* migrate_pg.c — one apply on PostgreSQL: blocking libpq (the engine runs
 * in the one-shot command or on a worker, never on the loop).
 *
 * The order of a PostgreSQL apply matters:
 *  - the advisory lock comes before the state check, so two appliers cannot
 *    both see `pending`;
 *  - pgcat_query_tables() runs `SET LOCAL search_path = ''`, which inside our
 *    transaction lasts until COMMIT: the target's schema is set again after
 *    each introspection, before any unqualified DDL;
 *  - a step's file runs one statement at a time (sqltext.h), so that a
 *    failure names the file, the line and the statement;
 *  - the version row is written in the same transaction as the DDL, and the
 *    fresh introspection is the last thing before COMMIT. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "migrate.h"
#include "migrate_int.h"
#include "pgcat.h"
#include "pgnotice.h"
#include "util.h"

/* The error of a failed step: the server's primary message when there is
 * one ("canceling statement due to lock timeout"), else libpq's. */
static char *
pg_error(struct mig *m, PGconn *conn, const PGresult *res, const char *what)
{
	const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *msg = primary != NULL ? str_first_line(primary, m->secret) :
	    str_first_line(PQerrorMessage(conn), m->secret);
	char *e = xasprintf("%s: %s", what, msg);

	free(msg);
	return e;
}

/* Run one statement text; 0 when it succeeded. */
static int
pg_exec(struct mig *m, PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return 0;
	}
	mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, what));
	PQclear(res);
	return -1;
}

/* Connect with the target's conninfo, our application_name (so that an
 * apply is recognisable in pg_stat_activity), client_encoding=UTF8 and a
 * connect_timeout unless the target sets one. */
static PGconn *
pg_connect(struct mig *m)
{
	PQconninfoOption *opts, *o;
	const char **keys, **vals;
	char *perr = NULL, timeout[32];
	bool have_timeout = false, timed_out;
	int64_t timeout_ms = m->s->connect_timeout_ms;
	PGconn *conn;
	size_t n = 0;

	if ((opts = PQconninfoParse(m->s->conninfo, &perr)) == NULL) {
		/* The message may quote the string: do not repeat it. */
		PQfreemem(perr);
		mig_fail(m, MIGRATE_FAILED, xstrdup("invalid connection string"));
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		n++;
	keys = xcalloc(n + 4, sizeof *keys);
	vals = xcalloc(n + 4, sizeof *vals);
	n = 0;
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || strcmp(o->keyword, "application_name") == 0 ||
		    strcmp(o->keyword, "client_encoding") == 0)
			continue;
		if (strcmp(o->keyword, "password") == 0 && o->val[0] != '\0')
			m->secret = xstrdup(o->val);
		if (strcmp(o->keyword, "connect_timeout") == 0) {
			have_timeout = true;
			timeout_ms = strtoll(o->val, NULL, 10) * 1000;
		}
		keys[n] = o->keyword;
		vals[n++] = o->val;
	}
	keys[n] = "application_name";
	vals[n++] = MIGRATE_APPLICATION_NAME;
	/* What the apply reads back is judged and reported as UTF-8, like the
	 * probe's: the server converts from the database's encoding. */
	keys[n] = "client_encoding";
	vals[n++] = "UTF8";
	if (!have_timeout && m->s->connect_timeout_ms > 0) {
		/* Whole seconds, rounded up (libpq's unit). */
		snprintf(timeout, sizeof timeout, "%lld",
		    (long long)((m->s->connect_timeout_ms + 999) / 1000));
		keys[n] = "connect_timeout";
		vals[n++] = timeout;
	}
	/* Notices go to the log from the first message on (DROP … IF EXISTS). */
	conn = pgnotice_connectdb(keys, vals, m->s->name, timeout_ms, &timed_out);
	free(keys);
	free(vals);
	PQconninfoFree(opts);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		char *msg = timed_out ? xasprintf("timed out after %lld ms",
		    (long long)timeout_ms) : pgnotice_login_hint(str_first_line(conn != NULL ?
		    PQerrorMessage(conn) : "out of memory", m->secret));

		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot connect: %s", msg));
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static int
pg_set_search_path(struct mig *m, PGconn *conn)
{
	char *id, *q;
	int rc;

	if ((id = PQescapeIdentifier(conn, m->s->schema, strlen(m->s->schema))) == NULL) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, NULL, "quoting the schema name"));
		return -1;
	}
	q = xasprintf("SET LOCAL search_path = %s", id);
	PQfreemem(id);
	rc = pg_exec(m, conn, q, "setting search_path");
	free(q);
	return rc;
}

/* Introspect inside the transaction: the definition's tables and (with ver)
 * the version row. NULL on failure (m->r says why). */
static struct catalog *
pg_read(struct mig *m, PGconn *conn, struct cat_version *ver)
{
	struct catalog *cat;
	PGresult *res;
	char *q, *err = NULL;
	struct cat_want want = { mig_tables(m), &m->def->objects, false, NULL };

	if ((q = pgcat_query_tables(conn, m->s->schema, &want,
	    ver != NULL ? mig_version_table(m) : NULL, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
		return NULL;
	}
	res = PQexec(conn, q);
	free(q);
	if (pgcat_no_schema(res)) {
		/* Nothing to upgrade into: refused, not failed. */
		m->r->before = m->r->after = ST_ERROR;
		mig_fail(m, MIGRATE_REFUSED, xasprintf("schema \"%s\" does not exist",
		    m->s->schema));
		PQclear(res);
		return NULL;
	}
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "reading the schema"));
		PQclear(res);
		return NULL;
	}
	cat = pgcat_from_result_version(res, ver, &err);
	PQclear(res);
	if (cat == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
	}
	return cat;
}

static int
pg_try_lock(struct mig *m, PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT pg_try_advisory_xact_lock(" MIGRATE_ADVISORY_KEY_TEXT ")");
	bool got;

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "taking the advisory lock"));
		PQclear(res);
		return -1;
	}
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!got) {
		mig_fail(m, MIGRATE_FAILED, xstrdup("another apply is running on this database "
		    "(advisory lock " MIGRATE_ADVISORY_KEY_TEXT " is held)"));
		return -1;
	}
	return 0;
}

static int
pg_write_version(struct mig *m, PGconn *conn)
{
	const char *rev = mig_target_revision(m);
	char *lit = NULL, *q;
	int rc;

	if (mig_version_table(m) == NULL)
		return 0;
	if (rev != NULL && (lit = PQescapeLiteral(conn, rev, strlen(rev))) == NULL) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, NULL, "quoting the revision"));
		return -1;
	}
	q = mig_version_sql(m, lit);
	PQfreemem(lit);
	rc = pg_exec(m, conn, q, "writing the version row");
	free(q);
	return rc;
}

/* Step k's file, one statement at a time. */
static int
pg_run_step(struct mig *m, PGconn *conn, int k)
{
	const char *pos = NULL, *stmt;
	PGresult *res;
	size_t len;
	char *text;
	int n = 0, rc = 0;

	while (rc == 0 && mig_next_statement(m, k, &pos, &stmt, &len)) {
		n++;
		text = xstrndup(stmt, len);
		res = PQexec(conn, text);
		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK &&
		    PQresultStatus(res) != PGRES_EMPTY_QUERY) {
			const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

			mig_statement_failed(m, k, stmt, len, n, primary != NULL ? primary :
			    PQerrorMessage(conn));
			rc = -1;
		}
		PQclear(res);
		free(text);
	}
	return rc;
}

/* One table's rows (inside the apply's transaction, so the count is what
 * the DDL would drop); a table that does not exist is skipped. */
static int
pg_count_table(struct mig *m, PGconn *conn, const char *table)
{
	char *sch = PQescapeIdentifier(conn, m->s->schema, strlen(m->s->schema));
	char *tab = PQescapeIdentifier(conn, table, strlen(table)), *q;
	const char *params[1];
	PGresult *res;
	int rc = 0;

	if (sch == NULL || tab == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("quoting %s: %s", table, PQerrorMessage(conn)));
		PQfreemem(sch);
		PQfreemem(tab);
		return -1;
	}
	q = xasprintf("%s.%s", sch, tab);
	params[0] = q;
	res = PQexecParams(conn, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, params, NULL,
	    NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "looking up a dropped table"));
		rc = -1;
	} else if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		free(q);
		q = xasprintf("SELECT count(*) FROM %s.%s", sch, tab);
		res = PQexec(conn, q);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "counting rows"));
			rc = -1;
		} else
			mig_count_rows(m, table, strtoll(PQgetvalue(res, 0, 0), NULL, 10));
	}
	PQclear(res);
	free(q);
	PQfreemem(sch);
	PQfreemem(tab);
	return rc;
}

/* A downgrade: count what it drops; refused when rows would go without
 * --force (mig_rows_verdict). */
static int
pg_check_rows(struct mig *m, PGconn *conn)
{
	char **v = mig_dropped_tables(m);
	int i, rc = 0;

	for (i = 0; v[i] != NULL; i++)
		if (rc == 0)
			rc = pg_count_table(m, conn, v[i]);
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
	return rc == 0 && mig_rows_verdict(m) ? 0 : -1;
}

/* The walk inside the transaction; 0 when COMMIT may follow (or, for a dry
 * run, when the state allows the apply). */
static int
pg_steps(struct mig *m, PGconn *conn)
{
	struct cat_version ver = { false, false, NULL };
	struct catalog *cat;
	bool ok;
	char *q;
	int k, rc;

	q = xasprintf("SET LOCAL lock_timeout = %lld; SET LOCAL statement_timeout = %lld",
	    (long long)m->s->lock_timeout_ms, (long long)m->s->statement_timeout_ms);
	rc = pg_exec(m, conn, q, "setting the timeouts");
	free(q);
	if (rc < 0)
		return -1;
	/* A dry run changes nothing, so it does not exclude a real apply. */
	if (!m->s->dry_run && pg_try_lock(m, conn) < 0)
		return -1;
	if ((cat = pg_read(m, conn, &ver)) == NULL)
		return -1;
	ok = mig_route(m, cat, &ver);
	cat_version_free(&ver);
	if (!ok)
		return -1;
	if (m->s->downgrade && pg_check_rows(m, conn) < 0)
		return -1;
	if (m->s->dry_run)
		return 0;
	for (k = 0; k < m->nsteps; k++) {
		if (pg_set_search_path(m, conn) < 0 || pg_run_step(m, conn, k) < 0)
			return -1;
		if ((cat = pg_read(m, conn, NULL)) == NULL || !mig_step_verified(m, k, cat))
			return -1;
	}
	if (pg_set_search_path(m, conn) < 0 || pg_write_version(m, conn) < 0)
		return -1;
	if ((cat = pg_read(m, conn, &ver)) == NULL)
		return -1;
	ok = mig_finish(m, cat, &ver);
	cat_version_free(&ver);
	return ok ? 0 : -1;
}

void
mig_pg_apply(struct mig *m)
{
	PGconn *conn;
	PGresult *res;

	if ((conn = pg_connect(m)) == NULL)
		return;
	if (pg_exec(m, conn, "BEGIN", "BEGIN") < 0) {
		PQfinish(conn);
		return;
	}
	if (pg_steps(m, conn) == 0 && !m->s->dry_run) {
		res = PQexec(conn, "COMMIT");
		if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK &&
		    strcmp(PQcmdStatus(res), "COMMIT") == 0) {
			m->r->outcome = MIGRATE_APPLIED;
		} else {
			mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "COMMIT"));
			m->r->after = m->r->before;
		}
		PQclear(res);
	} else {
		if (m->s->dry_run && m->r->error == NULL && !m->r->nothing_to_do)
			m->r->outcome = MIGRATE_DRY_RUN;
		/* Errors here change nothing: closing the session rolls back too. */
		PQclear(PQexec(conn, "ROLLBACK"));
	}
	PQfinish(conn);
}

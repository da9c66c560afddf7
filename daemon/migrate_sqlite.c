/* migrate_sqlite.c — one apply on SQLite: PRAGMA foreign_keys = ON, busy
 * timeout = apply_lock_timeout, BEGIN IMMEDIATE, the steps, COMMIT or
 * ROLLBACK; a progress handler interrupts a statement running past
 * apply_statement_timeout. An upgrade of a file that does not exist creates
 * it (how a developer sets up dev.db), and removes it again if the upgrade
 * did not happen. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dbfile.h"
#include "migrate.h"
#include "migrate_int.h"
#include "sqlcat.h"
#include "sqltext.h"
#include "util.h"

struct sq_deadline {
	int64_t	at_ms;		/* 0: none */
};

/* Interrupts a statement running past apply_statement_timeout. */
static int
sq_progress(void *arg)
{
	const struct sq_deadline *dl = arg;

	return dl->at_ms > 0 && now_ms() > dl->at_ms;
}

static int
sq_exec(struct mig *m, sqlite3 *db, const char *sql, const char *what)
{
	char *emsg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &emsg);

	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY)
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: database is locked (busy for more than "
		    "%lld ms)", what, (long long)m->s->lock_timeout_ms));
	else if (rc == SQLITE_INTERRUPT)
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: interrupted after the statement timeout "
		    "(%lld ms)", what, (long long)m->s->statement_timeout_ms));
	else
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: %s", what,
		    emsg != NULL ? emsg : sqlite3_errmsg(db)));
	sqlite3_free(emsg);
	return -1;
}

/* The definition's tables and (with ver) the version row; NULL on failure. */
static struct catalog *
sq_read(struct mig *m, sqlite3 *db, struct cat_version *ver)
{
	const struct cat_want want = { mig_tables(m), &m->def->objects, false, NULL };
	struct catalog *cat;
	char *err = NULL;

	if ((cat = sqlcat_read_want(db, &want, ver != NULL ? mig_version_table(m) :
	    NULL, ver, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
	}
	return cat;
}

/* Step k's file, one statement at a time: SQLite's own parser finds them
 * (a trigger's BEGIN ... END holds semicolons). */
static int
sq_run_step(struct mig *m, sqlite3 *db, int k)
{
	const char *p = m->steps[k].sql, *tail;
	sqlite3_stmt *st;
	int n = 0, r;

	while (*p != '\0') {
		st = NULL;
		if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK) {
			tail = sqltext_statement_end(p);
			mig_statement_failed(m, k, p, (size_t)(tail - p), n + 1, sqlite3_errmsg(db));
			return -1;
		}
		if (st == NULL)		/* only blanks or comments left */
			break;
		n++;
		while ((r = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (r != SQLITE_DONE) {
			mig_statement_failed(m, k, p, (size_t)(tail - p), n,
			    r == SQLITE_INTERRUPT ? "interrupted after the statement timeout" :
			    sqlite3_errmsg(db));
			return -1;
		}
		p = tail;
	}
	return 0;
}

/* A downgrade: count the rows of each table it drops, inside the
 * transaction; refused when rows would go without --force. */
static int
sq_check_rows(struct mig *m, sqlite3 *db)
{
	char **v = mig_dropped_tables(m), *q;
	sqlite3_stmt *st;
	int i, rc = 0;

	for (i = 0; v[i] != NULL && rc == 0; i++) {
		q = sqlite3_mprintf("SELECT count(*) FROM main.\"%w\"", v[i]);
		/* A table that is not there fails to prepare: nothing to drop. */
		if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				mig_count_rows(m, v[i], sqlite3_column_int64(st, 0));
			else {
				mig_fail(m, MIGRATE_FAILED, xasprintf("counting rows of %s: %s", v[i],
				    sqlite3_errmsg(db)));
				rc = -1;
			}
			sqlite3_finalize(st);
		}
		sqlite3_free(q);
	}
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
	return rc == 0 && mig_rows_verdict(m) ? 0 : -1;
}

static int
sq_write_version(struct mig *m, sqlite3 *db)
{
	const char *rev = mig_target_revision(m);
	char *lit = NULL, *q;
	int rc;

	if (mig_version_table(m) == NULL)
		return 0;
	if (rev != NULL)
		lit = sqlite3_mprintf("%Q", rev);
	q = mig_version_sql(m, lit);
	sqlite3_free(lit);
	rc = sq_exec(m, db, q, "writing the version row");
	free(q);
	return rc;
}

static int
sq_steps(struct mig *m, sqlite3 *db, struct sq_deadline *dl)
{
	struct cat_version ver = { false, false, NULL };
	struct catalog *cat;
	bool ok;
	int k;

	if (sq_exec(m, db, "BEGIN IMMEDIATE", "BEGIN IMMEDIATE") < 0)
		return -1;
	dl->at_ms = m->s->statement_timeout_ms > 0 ? now_ms() + m->s->statement_timeout_ms : 0;
	if ((cat = sq_read(m, db, &ver)) == NULL)
		return -1;
	ok = mig_route(m, cat, &ver);
	cat_version_free(&ver);
	if (!ok)
		return -1;
	if (m->s->downgrade && sq_check_rows(m, db) < 0)
		return -1;
	if (m->s->dry_run)
		return 0;
	for (k = 0; k < m->nsteps; k++) {
		if (sq_run_step(m, db, k) < 0)
			return -1;
		if ((cat = sq_read(m, db, NULL)) == NULL || !mig_step_verified(m, k, cat))
			return -1;
	}
	if (sq_write_version(m, db) < 0)
		return -1;
	if ((cat = sq_read(m, db, &ver)) == NULL)
		return -1;
	ok = mig_finish(m, cat, &ver);
	cat_version_free(&ver);
	return ok ? 0 : -1;
}

void
mig_sqlite_apply(struct mig *m)
{
	struct sq_deadline dl = { 0 };
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	bool created = false;
	sqlite3 *db = NULL;
	char *journal, *why;

	/* SQLite's "unable to open database file" (or a silent read-only
	 * open) hides the cause: name it before trying. */
	if ((why = dbfile_diagnose(m->s->path, m->s->downgrade ? DBFILE_WRITE :
	    DBFILE_CREATE)) != NULL) {
		m->r->before = m->r->after = ST_UNREACHABLE;
		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot open %s: %s", m->s->path, why));
		free(why);
		return;
	}
	if (access(m->s->path, F_OK) != 0 && errno == ENOENT) {
		/* A database that does not exist yet holds none of the
		 * definition's objects: before the chain. An upgrade creates it
		 * (how a developer sets up dev.db); a dry run plans on nothing. */
		if (m->s->dry_run) {
			if (mig_route(m, cat_new(m->dialect), NULL))
				m->r->outcome = MIGRATE_DRY_RUN;
			return;
		}
		flags |= SQLITE_OPEN_CREATE;
		created = true;
	}
	if (sqlite3_open_v2(m->s->path, &db, flags, NULL) != SQLITE_OK) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot open %s: %s", m->s->path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory"));
		m->r->before = m->r->after = ST_UNREACHABLE;
		sqlite3_close(db);
		return;
	}
	sqlite3_extended_result_codes(db, 1);
	/* Waits for another connection's lock at most this long: a busy
	 * database is reported, never waited on forever. */
	sqlite3_busy_timeout(db, m->s->lock_timeout_ms > INT32_MAX ? INT32_MAX :
	    (int)m->s->lock_timeout_ms);
	sqlite3_progress_handler(db, 1000, sq_progress, &dl);
	if (sq_exec(m, db, "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys") == 0 &&
	    sq_steps(m, db, &dl) == 0) {
		if (m->s->dry_run)
			m->r->outcome = MIGRATE_DRY_RUN;
		else if (sq_exec(m, db, "COMMIT", "COMMIT") == 0)
			m->r->outcome = MIGRATE_APPLIED;
		else
			m->r->after = m->r->before;
	}
	dl.at_ms = 0;	/* ROLLBACK must not be interrupted */
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	if (created && m->r->outcome != MIGRATE_APPLIED) {
		/* Leave no empty file behind an upgrade that did not happen. */
		unlink(m->s->path);
		journal = xasprintf("%s-journal", m->s->path);
		unlink(journal);
		free(journal);
	}
}

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

static int
sq_verdict(struct mig *m, sqlite3 *db)
{
	struct catalog *cat;
	char *err = NULL;

	if ((cat = sqlcat_read(db, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
		return -1;
	}
	return (int)mig_judge(m, cat);
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
sq_steps(struct mig *m, sqlite3 *db, struct sq_deadline *dl)
{
	const char *rev = mig_target_revision(m->s);
	char *lit = NULL, *q, *what;
	int st, rc;

	if (sq_exec(m, db, "BEGIN IMMEDIATE", "BEGIN IMMEDIATE") < 0)
		return -1;
	dl->at_ms = m->s->statement_timeout_ms > 0 ? now_ms() + m->s->statement_timeout_ms : 0;
	if ((st = sq_verdict(m, db)) < 0 || !mig_check_before(m, st))
		return -1;
	if (m->s->downgrade && sq_check_rows(m, db) < 0)
		return -1;
	if (m->s->dry_run)
		return 0;
	what = xasprintf("running %s", mig_sql_file_name(m->s));
	rc = sq_exec(m, db, m->sql, what);
	free(what);
	if (rc < 0)
		return -1;
	if (rev != NULL)
		lit = sqlite3_mprintf("%Q", rev);
	q = mig_version_sql(m->s, lit);
	sqlite3_free(lit);
	rc = sq_exec(m, db, q, "writing alembic_version");
	free(q);
	if (rc < 0)
		return -1;
	if ((st = sq_verdict(m, db)) < 0 || !mig_check_after(m, st))
		return -1;
	return 0;
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
		/* A database that does not exist yet has no V7 object: pending.
		 * An upgrade creates it (how a developer sets up dev.db). */
		m->r->before = m->r->after = ST_PENDING;
		if (m->s->dry_run) {
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
		else if (sq_exec(m, db, "COMMIT", "COMMIT") == 0) {
			m->r->outcome = MIGRATE_APPLIED;
			m->r->after = m->want_after;
		}
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

/* probe_sqlite.c — read a SQLite target's catalog off the loop thread.
 *
 * SQLite has no non-blocking API and sqlite3_busy_timeout() sleeps in the
 * calling thread, so each probe runs sqlcat_open_ro() + sqlcat_read() in its
 * own detached worker thread (worker.c), which hands the result back to the
 * loop thread.
 *
 * Lifetime: once cancelled, the probe is freed by worker.c's drop, on the
 * worker thread if it still runs, so probe_cancel() never waits for a worker
 * stuck behind a locked database. */
#include "config.h"

#include <stdlib.h>

#include <sqlite3.h>

#include "probe.h"
#include "probe_int.h"
#include "sqlcat.h"
#include "util.h"
#include "worker.h"

struct probe_sqlite {
	struct probe		 base;		/* first: probe_cancel() casts */
	struct worker		*w;		/* the job, until done or cancelled */
	probe_done_cb		 cb;
	void			*arg;

	/* The worker's: read-only once started, res written by it. */
	char			*path;
	int64_t			 timeout_ms;
	int64_t			 started_ms;
	struct probe_result	*res;
};

static struct probe_result *
result_new(enum probe_status st, char *error, struct catalog *cat, int64_t started_ms)
{
	struct probe_result *r = xcalloc(1, sizeof *r);

	r->status = st;
	r->error = error;
	r->cat = cat;
	r->round_trips = 0;	/* no network: nothing to count */
	r->duration_ms = now_ms() - started_ms;
	return r;
}

/* The whole probe, synchronous: the worker's body. */
static struct probe_result *
probe_sqlite_run(const char *path, int64_t timeout_ms, int64_t started_ms)
{
	struct catalog *cat;
	sqlite3 *db;
	char *err = NULL;

	if (sqlcat_open_ro(path, &db, &err) != SQLITE_OK)
		return result_new(PROBE_UNREACHABLE, err, NULL, started_ms);
	if (timeout_ms > 0)
		sqlite3_busy_timeout(db, timeout_ms > INT32_MAX ? INT32_MAX : (int)timeout_ms);
	cat = sqlcat_read(db, &err);
	sqlite3_close(db);
	if (cat == NULL)
		return result_new(PROBE_ERROR, err, NULL, started_ms);
	return result_new(PROBE_OK, NULL, cat, started_ms);
}

static void
probe_sqlite_free(void *arg)
{
	struct probe_sqlite *p = arg;

	if (p->res != NULL)
		probe_result_free(p->res);
	free(p->path);
	free(p);
}

/* Worker thread. */
static void
probe_sqlite_work(struct worker *w, void *arg)
{
	struct probe_sqlite *p = arg;

	(void)w;
	p->res = probe_sqlite_run(p->path, p->timeout_ms, p->started_ms);
}

/* Loop thread: the worker has finished, or (error) none could start. */
static void
probe_sqlite_done(void *arg, const char *error)
{
	struct probe_sqlite *p = arg;
	struct probe_result *res = p->res;
	probe_done_cb cb = p->cb;
	void *cbarg = p->arg;

	if (error != NULL)
		res = result_new(PROBE_ERROR, xstrdup(error), NULL, p->started_ms);
	p->res = NULL;
	probe_sqlite_free(p);
	cb(res, cbarg);
}

static void
probe_sqlite_cancel(struct probe *base)
{
	struct probe_sqlite *p = (struct probe_sqlite *)base;

	worker_abandon(p->w);	/* frees p now or when the worker returns */
}

struct probe *
probe_sqlite_start(struct event_base *base, const char *path, int64_t timeout_ms,
    probe_done_cb cb, void *arg)
{
	struct probe_sqlite *p = xcalloc(1, sizeof *p);

	p->base.kind = PROBE_KIND_SQLITE;
	p->base.cancel = probe_sqlite_cancel;
	p->cb = cb;
	p->arg = arg;
	p->path = xstrdup(path);
	p->timeout_ms = timeout_ms;
	p->started_ms = now_ms();
	p->w = worker_start(base, probe_sqlite_work, probe_sqlite_done, probe_sqlite_free, p);
	return &p->base;
}

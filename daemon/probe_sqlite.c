/* probe_sqlite.c — read a SQLite target's catalog off the loop thread.
 *
 * SQLite has no non-blocking API and sqlite3_busy_timeout() sleeps in the
 * calling thread, so each probe runs sqlcat_open_ro() + sqlcat_read() in its
 * own detached worker thread. The worker hands the result back through a
 * pipe that the loop watches with a one-shot read event: no busy-waiting and
 * no evthread_use_pthreads() needed.
 *
 * Lifetime: the struct has two owners, the loop (until the callback runs or
 * the probe is cancelled) and the worker (until it has stored its result).
 * Whoever drops the last reference frees it, so probe_cancel() never waits
 * for a worker stuck behind a locked database. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "probe.h"
#include "probe_int.h"
#include "sqlcat.h"
#include "util.h"

struct probe_sqlite {
	struct probe		 base;		/* first: probe_cancel() casts */
	pthread_mutex_t		 mtx;
	int			 refs;		/* loop + worker, under mtx */
	bool			 cancelled;	/* under mtx */
	struct probe_result	*res;		/* under mtx; set by the worker */

	/* Loop side. */
	struct event		*ev;
	int			 rfd;		/* read end of the pipe, or -1 */
	probe_done_cb		 cb;
	void			*arg;

	/* Worker side, read-only once started. */
	int			 wfd;		/* write end, closed by the worker */
	char			*path;
	int64_t			 timeout_ms;
	int64_t			 started_ms;
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
probe_sqlite_free(struct probe_sqlite *p)
{
	if (p->res != NULL)
		probe_result_free(p->res);
	pthread_mutex_destroy(&p->mtx);
	free(p->path);
	free(p);
}

/* Drop one reference; the last one frees. Called with mtx held, returns
 * with it released. */
static void
probe_sqlite_unref_locked(struct probe_sqlite *p)
{
	bool last = --p->refs == 0;

	pthread_mutex_unlock(&p->mtx);
	if (last)
		probe_sqlite_free(p);
}

/* Store the result and wake the loop, unless nobody is listening any more. */
static void
probe_sqlite_finish(struct probe_sqlite *p, struct probe_result *res)
{
	static const char one = 1;
	ssize_t n;

	pthread_mutex_lock(&p->mtx);
	p->res = res;
	if (!p->cancelled && p->wfd >= 0) {
		/* A pipe holds far more than one byte: this never blocks. */
		do
			n = write(p->wfd, &one, 1);
		while (n < 0 && errno == EINTR);
	}
	if (p->wfd >= 0)
		close(p->wfd);
	p->wfd = -1;
	probe_sqlite_unref_locked(p);
}

static void *
probe_sqlite_worker(void *arg)
{
	struct probe_sqlite *p = arg;

	probe_sqlite_finish(p, probe_sqlite_run(p->path, p->timeout_ms, p->started_ms));
	return NULL;
}

/* Loop thread: the worker has finished (or could not start). */
static void
probe_sqlite_done(evutil_socket_t fd, short what, void *arg)
{
	struct probe_sqlite *p = arg;
	struct probe_result *res;
	probe_done_cb cb = p->cb;
	void *cbarg = p->arg;

	event_free(p->ev);
	p->ev = NULL;
	if (p->rfd >= 0)
		close(p->rfd);
	p->rfd = -1;
	pthread_mutex_lock(&p->mtx);
	res = p->res;
	p->res = NULL;
	probe_sqlite_unref_locked(p);
	cb(res, cbarg);
}

static void
probe_sqlite_cancel(struct probe *base)
{
	struct probe_sqlite *p = (struct probe_sqlite *)base;

	if (p->ev != NULL)
		event_free(p->ev);
	p->ev = NULL;
	pthread_mutex_lock(&p->mtx);
	p->cancelled = true;	/* the worker will not write to the pipe */
	pthread_mutex_unlock(&p->mtx);
	if (p->rfd >= 0)
		close(p->rfd);
	p->rfd = -1;
	pthread_mutex_lock(&p->mtx);
	probe_sqlite_unref_locked(p);
}

/* Start the detached worker with every signal blocked: signals belong to the
 * loop thread (libevent's evsignal), never to a worker. */
static int
probe_sqlite_spawn(struct probe_sqlite *p)
{
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, probe_sqlite_worker, p);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct probe *
probe_sqlite_start(struct event_base *base, const char *path, int64_t timeout_ms,
    probe_done_cb cb, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct probe_sqlite *p = xcalloc(1, sizeof *p);
	int fds[2], rc;

	p->base.kind = PROBE_KIND_SQLITE;
	p->base.cancel = probe_sqlite_cancel;
	pthread_mutex_init(&p->mtx, NULL);
	p->refs = 2;
	p->cb = cb;
	p->arg = arg;
	p->path = xstrdup(path);
	p->timeout_ms = timeout_ms;
	p->started_ms = now_ms();
	p->rfd = p->wfd = -1;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		/* Still answer through the loop, never from inside start. */
		p->res = result_new(PROBE_ERROR,
		    xasprintf("cannot create a pipe: %s", strerror(errno)), NULL, p->started_ms);
		p->refs = 1;
		p->ev = evtimer_new(base, probe_sqlite_done, p);
		evtimer_add(p->ev, &now);
		return &p->base;
	}
	p->rfd = fds[0];
	p->wfd = fds[1];
	p->ev = event_new(base, p->rfd, EV_READ, probe_sqlite_done, p);
	event_add(p->ev, NULL);
	if ((rc = probe_sqlite_spawn(p)) != 0)
		probe_sqlite_finish(p, result_new(PROBE_ERROR,
		    xasprintf("cannot start a worker thread: %s", strerror(rc)), NULL,
		    p->started_ms));
	return &p->base;
}

/* worker.c — a blocking job on a detached thread, its answer back on the loop.
 *
 * The worker hands its result back through a pipe that the loop watches with
 * a one-shot read event: no busy-waiting and no evthread_use_pthreads()
 * needed. The result itself lives in the caller's arg; the pipe only wakes
 * the loop, and the mutex (taken by the worker around the write, by the loop
 * before done) makes what work() wrote visible there.
 *
 * Lifetime: the handle has two owners, the loop (until done runs or the job
 * is abandoned) and the worker (until it has answered). Whoever drops the
 * last reference frees it, so worker_abandon() never waits for a worker stuck
 * behind a locked database or a slow resolver; when the job was abandoned,
 * that last one also runs drop(arg).
 *
 * A start that fails (no pipe, no thread) is not the caller's problem: the
 * handle then has one owner, the loop, and answers from a zero timer through
 * the same done, with the error. Every caller writes one path, not three. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "worker.h"

struct worker {
	pthread_mutex_t	 mtx;
	int		 refs;		/* loop + worker, under mtx */
	bool		 abandoned;	/* under mtx: nobody listens on the pipe */

	/* Loop side. */
	struct event	*ev;		/* one-shot EV_READ on rfd, or the failure's
					   zero timer */
	int		 rfd;		/* read end of the pipe, or -1 */
	char		*error;		/* why no worker runs, or NULL */

	/* Worker side: the write end, closed by the worker under mtx. */
	int		 wfd;

	/* Set before the thread starts, read-only after. */
	void		(*work)(struct worker *, void *);
	worker_done_fn	 done;
	void		(*drop)(void *);
	void		*arg;
};

int	(*worker_thread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
	    void *) = pthread_create;

static atomic_int worker_live;	/* done or drop still to return */

int
worker_jobs_live(void)
{
	return atomic_load(&worker_live);
}

static void
worker_free(struct worker *w)
{
	pthread_mutex_destroy(&w->mtx);
	free(w->error);
	free(w);
}

/* Drop one reference, mtx held; returns with it released. True when that was
 * the last one: the caller frees w (after reading what it still needs). */
static bool
worker_unref_locked(struct worker *w)
{
	bool last = --w->refs == 0;

	pthread_mutex_unlock(&w->mtx);
	return last;
}

/* The job is over for good: drop(arg), counted. */
static void
worker_run_drop(void (*drop)(void *), void *arg)
{
	drop(arg);
	atomic_fetch_sub(&worker_live, 1);
}

/* Worker thread, work() has returned: wake the loop, unless nobody is
 * listening any more; then, if the loop has gone, drop the job here. */
static void
worker_finish(struct worker *w)
{
	static const char one = 1;
	void (*drop)(void *) = w->drop;
	void *arg = w->arg;
	bool abandoned;
	ssize_t n;

	pthread_mutex_lock(&w->mtx);
	abandoned = w->abandoned;
	if (!abandoned) {
		/* A pipe holds far more than one byte: this never blocks. */
		do
			n = write(w->wfd, &one, 1);
		while (n < 0 && errno == EINTR);
	}
	close(w->wfd);
	w->wfd = -1;
	/* The last reference is ours when the loop abandoned the job, or when
	 * it has already taken the answer (then done ran or runs there). */
	if (worker_unref_locked(w)) {
		worker_free(w);
		if (abandoned)
			worker_run_drop(drop, arg);
	}
}

static void *
worker_main(void *p)
{
	struct worker *w = p;

	w->work(w, w->arg);
	worker_finish(w);
	return NULL;
}

/* Loop thread: the worker has answered, or (w->error) none could start. */
static void
worker_ready(evutil_socket_t fd, short what, void *p)
{
	struct worker *w = p;
	worker_done_fn done = w->done;
	void *arg = w->arg;
	char *error = w->error;

	(void)fd;
	(void)what;
	w->error = NULL;
	event_free(w->ev);
	w->ev = NULL;
	if (w->rfd >= 0)
		close(w->rfd);
	w->rfd = -1;
	/* The worker wrote its results before taking mtx to write the pipe. */
	pthread_mutex_lock(&w->mtx);
	if (worker_unref_locked(w))
		worker_free(w);
	done(arg, error);
	free(error);
	atomic_fetch_sub(&worker_live, 1);
}

void
worker_abandon(struct worker *w)
{
	void (*drop)(void *);
	void *arg;
	int rfd;

	if (w == NULL)
		return;
	drop = w->drop;
	arg = w->arg;
	rfd = w->rfd;
	event_free(w->ev);
	pthread_mutex_lock(&w->mtx);
	w->abandoned = true;	/* from now on the worker leaves the pipe alone */
	/* Once unlocked, a worker still running may free w at any time. */
	if (worker_unref_locked(w)) {
		if (rfd >= 0)
			close(rfd);
		worker_free(w);
		/* work() has returned (or never ran): nobody else will. */
		worker_run_drop(drop, arg);
		return;
	}
	close(rfd);
}

bool
worker_abandoned(struct worker *w)
{
	bool abandoned;

	pthread_mutex_lock(&w->mtx);
	abandoned = w->abandoned;
	pthread_mutex_unlock(&w->mtx);
	return abandoned;
}

/* Start the detached worker with every signal blocked: signals belong to the
 * loop thread (libevent's evsignal), never to a worker. */
static int
worker_spawn(struct worker *w)
{
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = worker_thread_create(&tid, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* No worker will run: undo what was made and answer done(arg, error) from
 * a zero timer, i.e. on the next loop pass, never from inside start. */
static struct worker *
worker_fail(struct worker *w, struct event_base *base, const char *what, int err)
{
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->rfd >= 0) {
		close(w->rfd);
		close(w->wfd);
	}
	w->rfd = w->wfd = -1;
	w->refs = 1;		/* the loop's only */
	w->error = xasprintf("%s: %s", what, strerror(err != 0 ? err : ENOMEM));
	/* A timer is only memory: like xmalloc, give up when there is none. */
	if ((w->ev = evtimer_new(base, worker_ready, w)) == NULL) {
		fputs("<2>schemawatchd: out of memory\n", stderr);
		abort();
	}
	event_active(w->ev, EV_TIMEOUT, 1);
	return w;
}

struct worker *
worker_start(struct event_base *base, void (*work)(struct worker *, void *),
    worker_done_fn done, void (*drop)(void *), void *arg)
{
	struct worker *w = xcalloc(1, sizeof *w);
	int fds[2], rc;

	pthread_mutex_init(&w->mtx, NULL);
	atomic_fetch_add(&worker_live, 1);
	w->refs = 2;
	w->work = work;
	w->done = done;
	w->drop = drop;
	w->arg = arg;
	w->rfd = w->wfd = -1;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return worker_fail(w, base, "cannot create a pipe", errno);
	w->rfd = fds[0];
	w->wfd = fds[1];
	errno = 0;
	w->ev = event_new(base, w->rfd, EV_READ, worker_ready, w);
	if (w->ev == NULL || event_add(w->ev, NULL) < 0)
		return worker_fail(w, base, "cannot watch the worker pipe", errno);
	if ((rc = worker_spawn(w)) != 0)
		return worker_fail(w, base, "cannot start a worker thread", rc);
	return w;
}

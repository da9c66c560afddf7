/* scheduler.c — timers, jitter, backoff, the concurrency limit, `check` waiters.
 * See scheduler.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "util.h"

/* A `check` request: answered when every job it waits for has a fresh result. */
struct sched_wait {
	struct sched	*s;
	sched_wait_cb	 cb;
	void		*arg;
	int		 pending;	/* jobs still to finish, +1 while adding */
	bool		 cancelled;	/* the client went away */
};

struct wait_node {
	struct sched_wait	*w;
	uint64_t		 need_seq;	/* a check with this number or later */
	struct wait_node	*next;
};

struct sched_job {
	struct sched		*s;
	void			*arg;
	int64_t			 interval_ms;
	struct sched_timer	*timer;
	void			*running;	/* the check's handle, or NULL */
	bool			 queued;
	bool			 held;		/* an apply runs: no check */
	bool			 recheck;	/* start another when this one ends */
	int			 backoff_step;	/* consecutive failures */
	uint64_t		 check_seq;	/* checks started so far */
	struct wait_node	*waiters;
};

struct sched {
	struct sched_ops	  ops;
	int			  limit;
	int64_t			  backoff_max_ms;
	struct sched_job	**queue;	/* due, waiting for a slot (FIFO) */
	int			  nqueue;
	int			  nrunning;
	struct sched_job	**jobs;		/* every job, for sched_start_all */
	int			  njobs;
	bool			  stopping;
};

static void	job_enqueue(struct sched_job *);

/* ---- the queue and the limit ---------------------------------------------------- */

static void
dispatch(struct sched *s)
{
	struct sched_job *j;

	while (!s->stopping && s->nrunning < s->limit && s->nqueue > 0) {
		j = s->queue[0];
		memmove(&s->queue[0], &s->queue[1], (size_t)(s->nqueue - 1) * sizeof *s->queue);
		s->nqueue--;
		j->queued = false;
		j->check_seq++;
		s->nrunning++;
		j->running = s->ops.start(s->ops.ctx, j, j->arg);
	}
}

static void
queue_remove(struct sched_job *j)
{
	struct sched *s = j->s;
	int i;

	for (i = 0; i < s->nqueue; i++) {
		if (s->queue[i] == j) {
			memmove(&s->queue[i], &s->queue[i + 1],
			    (size_t)(s->nqueue - i - 1) * sizeof *s->queue);
			s->nqueue--;
			break;
		}
	}
	j->queued = false;
}

static void
job_enqueue(struct sched_job *j)
{
	struct sched *s = j->s;

	if (j->running != NULL || j->queued || j->held || s->stopping)
		return;
	s->ops.timer_stop(j->timer);
	s->queue = xreallocarray(s->queue, (size_t)s->nqueue + 1, sizeof *s->queue);
	s->queue[s->nqueue++] = j;
	j->queued = true;
	dispatch(s);
}

static void
job_timer_fired(void *arg)
{
	job_enqueue(arg);
}

/* Drop a running check: it will not end with sched_done. */
static void
job_cancel_running(struct sched_job *j)
{
	if (j->running == NULL)
		return;
	j->s->ops.cancel(j->s->ops.ctx, j->running);
	j->running = NULL;
	j->s->nrunning--;
}

/* ---- delays ----------------------------------------------------------------------- */

/* ±10%, so that targets configured together drift apart. */
static int64_t
jitter(struct sched *s, int64_t ms)
{
	int64_t span = ms / 5;

	if (span <= 0)
		return ms;
	return ms - span / 2 + (int64_t)(s->ops.random(s->ops.ctx) % (span + 1));
}

int64_t
sched_next_delay_base(const struct sched_job *j)
{
	int64_t delay, cap = j->s->backoff_max_ms;

	if (j->backoff_step == 0)
		return j->interval_ms;
	/* After a failure retry sooner than the interval at first, then back
	 * off exponentially up to the cap. */
	delay = SCHED_BACKOFF_BASE_MS;
	for (int i = 1; i < j->backoff_step && delay < cap; i++)
		delay *= 2;
	if (delay > cap)
		delay = cap;
	return delay;
}

/* ---- waiters ------------------------------------------------------------------------ */

static void
waiter_release(struct sched_wait *w)
{
	if (--w->pending > 0)
		return;
	if (!w->cancelled)
		w->cb(w->arg);
	free(w);
}

/* Release the waiters satisfied by check number seq (all: the job goes away). */
static void
job_wake(struct sched_job *j, uint64_t seq, bool all)
{
	struct wait_node **np = &j->waiters, *n;

	while ((n = *np) != NULL) {
		if (all || n->need_seq <= seq) {
			*np = n->next;
			waiter_release(n->w);
			free(n);
		} else
			np = &n->next;
	}
}

static void
job_add_waiter(struct sched_job *j, struct sched_wait *w)
{
	struct wait_node *n = xmalloc(sizeof *n);

	/* A check already running began before the request: wait for the next. */
	n->w = w;
	n->need_seq = j->check_seq + 1;
	n->next = j->waiters;
	j->waiters = n;
	w->pending++;
	if (j->running != NULL)
		j->recheck = true;
	else
		job_enqueue(j);
}

static void
waiter_deferred(void *arg)
{
	waiter_release(arg);
}

struct sched_wait *
sched_check_now(struct sched *s, struct sched_job *const *jobs, int n, sched_wait_cb cb,
    void *arg)
{
	struct sched_wait *w = xcalloc(1, sizeof *w);
	int i;

	w->s = s;
	w->cb = cb;
	w->arg = arg;
	/* One reference of our own while adding, released on the next loop
	 * pass: even a wait with nothing to wait for is answered later, never
	 * from inside the caller. */
	w->pending = 1;
	for (i = 0; i < n; i++)
		job_add_waiter(jobs[i], w);
	s->ops.defer(s->ops.ctx, waiter_deferred, w);
	return w;
}

void
sched_wait_cancel(struct sched_wait *w)
{
	w->cancelled = true;
}

/* ---- jobs ---------------------------------------------------------------------------- */

struct sched_job *
sched_job_new(struct sched *s, void *arg, int64_t interval_ms)
{
	struct sched_job *j = xcalloc(1, sizeof *j);

	j->s = s;
	j->arg = arg;
	j->interval_ms = interval_ms;
	j->timer = s->ops.timer_new(s->ops.ctx, job_timer_fired, j);
	s->jobs = xreallocarray(s->jobs, (size_t)s->njobs + 1, sizeof *s->jobs);
	s->jobs[s->njobs++] = j;
	return j;
}

void
sched_job_set_interval(struct sched_job *j, int64_t interval_ms)
{
	j->interval_ms = interval_ms;
}

void
sched_job_free(struct sched_job *j)
{
	struct sched *s;
	int i;

	if (j == NULL)
		return;
	s = j->s;
	job_cancel_running(j);
	if (j->queued)
		queue_remove(j);
	job_wake(j, 0, true);
	s->ops.timer_free(j->timer);
	for (i = 0; i < s->njobs; i++) {
		if (s->jobs[i] == j) {
			s->jobs[i] = s->jobs[--s->njobs];
			break;
		}
	}
	free(j);
	/* No dispatch here: during a reload the caller starts queued checks
	 * once the new configuration is whole (sched_configure). */
}

void
sched_start_all(struct sched *s)
{
	struct sched_job *j;
	int i;

	for (i = 0; i < s->njobs; i++) {
		j = s->jobs[i];
		if (!s->ops.timer_pending(j->timer) && j->running == NULL && !j->queued && !j->held)
			s->ops.timer_set(j->timer,
			    s->ops.random(s->ops.ctx) % SCHED_FIRST_SPREAD_MS);
	}
}

void
sched_done(struct sched_job *j, bool failed)
{
	struct sched *s = j->s;

	j->running = NULL;
	s->nrunning--;
	j->backoff_step = failed ? j->backoff_step + 1 : 0;
	job_wake(j, j->check_seq, false);
	if (j->recheck) {
		j->recheck = false;
		job_enqueue(j);
	} else
		s->ops.timer_set(j->timer, jitter(s, sched_next_delay_base(j)));
	dispatch(s);
}

void
sched_hold(struct sched_job *j)
{
	/* A check running now would report a state from before (or a half-seen
	 * one): drop it; the apply checks again at its end. */
	job_cancel_running(j);
	if (j->queued)
		queue_remove(j);
	j->s->ops.timer_stop(j->timer);
	j->held = true;
	dispatch(j->s);		/* a check slot may have come free */
}

void
sched_release(struct sched_job *j)
{
	j->held = false;
}

void *
sched_job_arg(const struct sched_job *j)
{
	return j->arg;
}

void *
sched_job_ctx(const struct sched_job *j)
{
	return j->s->ops.ctx;
}

bool
sched_busy(const struct sched_job *j)
{
	return j->running != NULL || j->queued;
}

int
sched_backoff_step(const struct sched_job *j)
{
	return j->backoff_step;
}

int
sched_running(const struct sched *s)
{
	return s->nrunning;
}

/* ---- the scheduler -------------------------------------------------------------------- */

struct sched *
sched_new(const struct sched_ops *ops, int max_concurrent, int64_t backoff_max_ms)
{
	struct sched *s = xcalloc(1, sizeof *s);

	s->ops = *ops;
	sched_configure(s, max_concurrent, backoff_max_ms);
	return s;
}

void
sched_configure(struct sched *s, int max_concurrent, int64_t backoff_max_ms)
{
	s->limit = max_concurrent > 0 ? max_concurrent : 1;
	s->backoff_max_ms = backoff_max_ms;
	dispatch(s);
}

void
sched_stop(struct sched *s)
{
	s->stopping = true;
}

void
sched_free(struct sched *s)
{
	if (s == NULL)
		return;
	s->stopping = true;
	while (s->njobs > 0)
		sched_job_free(s->jobs[s->njobs - 1]);
	free(s->jobs);
	free(s->queue);
	free(s);
}

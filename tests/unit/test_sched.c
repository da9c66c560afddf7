/* Unit tests for scheduler.c on a fake clock: the scheduler's timers, "next
 * loop pass" and check starter are this file's, so nothing waits for real
 * time. Backoff doubling to its cap, jitter bounds, the concurrency limit
 * (FIFO), a `check` request answered only by a check started after it, and
 * cancellation. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "tap.h"

#define MAXT	16

struct sched_timer {
	bool	  armed;
	int64_t	  due;
	void	(*fire)(void *);
	void	 *arg;
};

struct started {
	struct sched_job	*job;
	void			*arg;
	bool			 cancelled;
};

static int64_t		 now;
static struct sched_timer *timers[MAXT];
static int		 ntimers;
static long		 rnd;		/* what random() gives next */
static bool		 rnd_seq;	/* give rnd, rnd+1, ... */
static struct started	 checks[4096];
static int		 nchecks;
static struct {
	void	(*fn)(void *);
	void	 *arg;
}			 deferred[64];
static int		 ndeferred;

static struct sched_timer *
f_timer_new(void *ctx, void (*fire)(void *), void *arg)
{
	struct sched_timer *t = calloc(1, sizeof *t);

	t->fire = fire;
	t->arg = arg;
	timers[ntimers++] = t;
	return t;
}

static void f_timer_set(struct sched_timer *t, int64_t ms) { t->armed = true; t->due = now + ms; }
static void f_timer_stop(struct sched_timer *t) { t->armed = false; }
static bool f_timer_pending(const struct sched_timer *t) { return t->armed; }

static void
f_timer_free(struct sched_timer *t)
{
	int i;

	for (i = 0; i < ntimers; i++)
		if (timers[i] == t)
			timers[i] = timers[--ntimers];
	free(t);
}

static void
f_defer(void *ctx, void (*fn)(void *), void *arg)
{
	deferred[ndeferred].fn = fn;
	deferred[ndeferred].arg = arg;
	ndeferred++;
}

static long
f_random(void *ctx)
{
	return rnd_seq ? rnd++ : rnd;
}

static void *
f_start(void *ctx, struct sched_job *job, void *arg)
{
	checks[nchecks].job = job;
	checks[nchecks].arg = arg;
	checks[nchecks].cancelled = false;
	return &checks[nchecks++];
}

static void
f_cancel(void *ctx, void *handle)
{
	((struct started *)handle)->cancelled = true;
}

static const struct sched_ops ops = {
	.ctx = NULL, .timer_new = f_timer_new, .timer_set = f_timer_set,
	.timer_stop = f_timer_stop, .timer_pending = f_timer_pending,
	.timer_free = f_timer_free, .defer = f_defer, .random = f_random,
	.start = f_start, .cancel = f_cancel,
};

/* One loop pass: what was deferred. */
static void
run_deferred(void)
{
	int i, n = ndeferred;

	ndeferred = 0;
	for (i = 0; i < n; i++)
		deferred[i].fn(deferred[i].arg);
}

/* Advance the clock to `until`, firing timers in order of their due time. */
static void
advance(int64_t until)
{
	struct sched_timer *next;
	int i;

	for (;;) {
		run_deferred();
		next = NULL;
		for (i = 0; i < ntimers; i++)
			if (timers[i]->armed && timers[i]->due <= until &&
			    (next == NULL || timers[i]->due < next->due))
				next = timers[i];
		if (next == NULL)
			break;
		now = next->due;
		next->armed = false;
		next->fire(next->arg);
	}
	now = until;
}

static void
reset(void)
{
	now = 1000000;
	nchecks = 0;
	ndeferred = 0;
	rnd = 0;
	rnd_seq = false;
}

static int64_t
armed_delay(const struct sched_job *j)
{
	int i;

	(void)j;
	for (i = 0; i < ntimers; i++)
		if (timers[i]->armed)
			return timers[i]->due - now;
	return -1;
}

static void
test_backoff(void)
{
	static const int64_t want[] = { 1000, 2000, 4000, 8000, 10000, 10000, 10000 };
	struct sched *s;
	struct sched_job *j;
	char what[128];
	int64_t d;
	size_t k;

	reset();
	s = sched_new(&ops, 4, 10000);
	j = sched_job_new(s, "t", 60000);
	sched_start_all(s);
	advance(now + SCHED_FIRST_SPREAD_MS);
	is_int(nchecks, 1, "backoff: the first check starts within the start-up spread");
	for (k = 0; k < sizeof want / sizeof want[0]; k++) {
		sched_done(j, true);
		d = armed_delay(j);
		snprintf(what, sizeof what, "failure %zu: retry after %lld ms (±10%%)", k + 1,
		    (long long)want[k]);
		is_int(sched_next_delay_base(j), want[k], what);
		ok(d >= want[k] - want[k] / 10 && d <= want[k] + want[k] / 10,
		    "... the armed timer is within the jitter");
		advance(now + d);
	}
	is_int(sched_backoff_step(j), 7, "seven failures in a row");
	sched_done(j, false);
	is_int(sched_next_delay_base(j), 60000, "a success goes back to the interval");
	is_int(sched_backoff_step(j), 0, "... and resets the backoff");
	sched_free(s);
}

static void
test_jitter(void)
{
	struct sched *s;
	struct sched_job *j;
	int64_t d, lo = INT64_MAX, hi = 0;
	int i;

	reset();
	s = sched_new(&ops, 1, 300000);
	j = sched_job_new(s, "t", 60000);
	sched_start_all(s);
	advance(now + SCHED_FIRST_SPREAD_MS);
	srand(7);
	for (i = 0; i < 2000; i++) {
		rnd = i < 2 ? (i == 0 ? 0 : 12000) : rand();	/* both ends first */
		sched_done(j, false);
		d = armed_delay(j);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
		advance(now + d);
	}
	is_int(lo, 54000, "jitter: never earlier than the interval - 10%");
	is_int(hi, 66000, "jitter: never later than the interval + 10%");
	sched_free(s);
}

static void
test_limit(void)
{
	struct sched *s;
	struct sched_job *j[5];
	char *names[5] = { "a", "b", "c", "d", "e" };
	int i, busy = 0;

	reset();
	rnd_seq = true;		/* start-up timers due at 0, 1, 2, ... ms: a..e in order */
	s = sched_new(&ops, 2, 300000);
	for (i = 0; i < 5; i++)
		j[i] = sched_job_new(s, names[i], 60000);
	sched_start_all(s);
	rnd_seq = false;
	advance(now + SCHED_FIRST_SPREAD_MS);
	is_int(nchecks, 2, "limit 2: five due, two checks start");
	is_int(sched_running(s), 2, "... two running");
	for (i = 0; i < 5; i++)
		busy += sched_busy(j[i]);
	is_int(busy, 5, "... the other three are queued");
	ok(nchecks == 2 && strcmp(checks[0].arg, "a") == 0 && strcmp(checks[1].arg, "b") == 0,
	    "... the first two due run first");
	sched_done(j[1], false);
	is_int(nchecks, 3, "a slot comes free: the next one starts");
	ok(strcmp(checks[2].arg, "c") == 0, "... in FIFO order");
	is_int(sched_running(s), 2, "... never more than the limit");
	sched_configure(s, 4, 300000);
	is_int(nchecks, 5, "a reload raising the limit starts the queued ones");
	sched_free(s);
}

static int answered;

static void
on_answer(void *arg)
{
	answered++;
}

static void
test_check_now(void)
{
	struct sched *s;
	struct sched_job *j;
	struct sched_wait *w;

	reset();
	s = sched_new(&ops, 4, 300000);
	j = sched_job_new(s, "t", 60000);
	sched_start_all(s);
	advance(now + SCHED_FIRST_SPREAD_MS);
	is_int(nchecks, 1, "check_now: a check is running (check 1)");

	answered = 0;
	w = sched_check_now(s, &j, 1, on_answer, NULL);
	ok(w != NULL, "a request while it runs");
	run_deferred();
	is_int(answered, 0, "... is not answered on the next loop pass");
	is_int(nchecks, 1, "... and starts no second check while one runs");
	sched_done(j, false);
	is_int(answered, 0, "check 1 ends: the request is NOT answered by a check that began "
	    "before it");
	is_int(nchecks, 2, "... a new check starts at once after it");
	ok(armed_delay(j) < 0, "... instead of the interval's timer");
	sched_done(j, false);
	is_int(answered, 1, "check 2 ends: the request is answered");
	ok(armed_delay(j) > 0, "... and the interval's timer runs again");

	/* Idle job: the request starts a check at once. */
	answered = 0;
	sched_check_now(s, &j, 1, on_answer, NULL);
	is_int(nchecks, 3, "a request on an idle target starts a check at once");
	run_deferred();
	sched_done(j, false);
	is_int(answered, 1, "... and is answered by it");

	/* Nothing to wait for: answered later, never inside the call. */
	answered = 0;
	sched_check_now(s, NULL, 0, on_answer, NULL);
	is_int(answered, 0, "no targets: not answered inside the call");
	run_deferred();
	is_int(answered, 1, "... but on the next loop pass");
	sched_free(s);
}

static void
test_cancel(void)
{
	struct sched *s;
	struct sched_job *a, *b;
	struct sched_wait *w;

	reset();
	rnd_seq = true;
	s = sched_new(&ops, 1, 300000);
	a = sched_job_new(s, "a", 60000);
	b = sched_job_new(s, "b", 60000);
	sched_start_all(s);
	rnd_seq = false;
	advance(now + SCHED_FIRST_SPREAD_MS);
	is_int(nchecks, 1, "cancel: limit 1, a runs, b waits");

	answered = 0;
	w = sched_check_now(s, &a, 1, on_answer, NULL);
	run_deferred();
	sched_wait_cancel(w);
	sched_done(a, false);
	is_int(nchecks, 2, "the client left: the check goes on (b, then a again)");
	sched_done(b, false);
	sched_done(a, false);
	is_int(answered, 0, "... but nobody is answered");

	/* An apply holds a target: its running check is dropped and its slot
	 * is free at once. */
	sched_check_now(s, &a, 1, on_answer, NULL);
	run_deferred();
	is_int(sched_running(s), 1, "a is checked again");
	sched_check_now(s, &b, 1, on_answer, NULL);
	ok(sched_busy(b), "... b queued behind it");
	sched_hold(a);
	ok(checks[nchecks - 2].cancelled, "hold: a's running check is cancelled");
	is_int(sched_running(s), 1, "... its slot went to b at once");
	ok(strcmp(checks[nchecks - 1].arg, "b") == 0, "... b runs");
	sched_done(b, false);
	answered = 0;
	advance(now + 120000);
	ok(!checks[nchecks - 1].cancelled && strcmp(checks[nchecks - 1].arg, "b") == 0,
	    "a held target is never checked");
	sched_release(a);
	sched_check_now(s, &a, 1, on_answer, NULL);
	ok(strcmp(checks[nchecks - 1].arg, "a") == 0 || sched_busy(a),
	    "released: a request checks it again");
	sched_free(s);
	is_int(ntimers, 0, "sched_free frees every timer");
}

int
main(void)
{
	test_backoff();
	test_jitter();
	test_limit();
	test_check_now();
	test_cancel();
	return tap_done();
}

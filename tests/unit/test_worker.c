/* test_worker.c — worker.c: a job on a detached thread, answered on the loop
 * thread, abandoned at any time, with exactly one of done/drop per job. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>

#include "tap.h"
#include "util.h"
#include "worker.h"

#define NJOBS	200

struct job {
	bool		 gated;		/* work waits for open_gate() */
	unsigned	 sleep_us;	/* work sleeps this long */
	int		 value;		/* written by work, read by done/drop */
	pthread_t	 work_thread;
	bool		 saw_abandoned;	/* worker_abandoned() at the end of work */
	bool		 signals_blocked;
	atomic_int	 works, dones, drops;
	atomic_bool	 returned;	/* work has returned */
	bool		 returned_at_drop;
	pthread_t	 done_thread, drop_thread;
	char		*error;		/* what done was told, copied */
};

static pthread_t main_thread;
static pthread_mutex_t gate_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_open, work_started;
static atomic_int total_drops;

static void
open_gate(void)
{
	pthread_mutex_lock(&gate_mtx);
	gate_open = true;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_mtx);
}

static bool
all_blocked(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1, SIGCHLD };
	sigset_t set;
	size_t i;

	pthread_sigmask(SIG_BLOCK, NULL, &set);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (!sigismember(&set, sigs[i]))
			return false;
	return true;
}

static void
work(struct worker *w, void *arg)
{
	struct job *j = arg;

	atomic_fetch_add(&j->works, 1);
	j->work_thread = pthread_self();
	j->signals_blocked = all_blocked();
	if (j->gated) {
		pthread_mutex_lock(&gate_mtx);
		work_started = true;
		pthread_cond_broadcast(&gate_cond);
		while (!gate_open)
			pthread_cond_wait(&gate_cond, &gate_mtx);
		pthread_mutex_unlock(&gate_mtx);
	}
	if (j->sleep_us > 0)
		usleep(j->sleep_us);
	j->value = 42;
	j->saw_abandoned = worker_abandoned(w);
	atomic_store(&j->returned, true);
}

static void
done(void *arg, const char *error)
{
	struct job *j = arg;

	j->done_thread = pthread_self();
	free(j->error);
	j->error = error != NULL ? xstrdup(error) : NULL;
	atomic_fetch_add(&j->dones, 1);
}

static void
drop(void *arg)
{
	struct job *j = arg;

	j->drop_thread = pthread_self();
	j->returned_at_drop = atomic_load(&j->returned);
	atomic_fetch_add(&j->drops, 1);
	atomic_fetch_add(&total_drops, 1);
}

/* Run the loop without blocking until *flag reaches want or ms pass. */
static bool
loop_until(struct event_base *base, atomic_int *flag, int want, int ms)
{
	int64_t t0 = now_ms();

	while (atomic_load(flag) < want && now_ms() - t0 < ms) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
	return atomic_load(flag) >= want;
}

static void
spin_loop(struct event_base *base, int ms)
{
	int64_t t0 = now_ms();

	while (now_ms() - t0 < ms) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
}

static void
test_done_on_loop(struct event_base *base)
{
	struct job j = { 0 };
	struct worker *w;

	w = worker_start(base, work, done, drop, &j);
	ok(w != NULL, "worker_start starts a job");
	is_int(atomic_load(&j.dones), 0, "done does not run inside worker_start");
	ok(all_blocked() == false, "the loop thread's signal mask is restored");
	ok(loop_until(base, &j.dones, 1, 5000), "done runs once the work is over");
	spin_loop(base, 50);
	is_int(atomic_load(&j.works), 1, "work ran once");
	is_int(atomic_load(&j.dones), 1, "done ran exactly once");
	is_int(atomic_load(&j.drops), 0, "drop did not run");
	ok(pthread_equal(j.done_thread, main_thread), "done ran on the loop thread");
	ok(!pthread_equal(j.work_thread, main_thread), "work ran on another thread");
	ok(j.signals_blocked, "work runs with the signals blocked");
	is_int(j.value, 42, "done sees what work wrote");
	ok(j.error == NULL, "done is told no error");
	ok(!j.saw_abandoned, "worker_abandoned is false for a job still wanted");
}

static void
test_abandon_while_working(struct event_base *base)
{
	struct job j = { .gated = true };
	struct worker *w;

	gate_open = work_started = false;
	w = worker_start(base, work, done, drop, &j);
	ok(w != NULL, "gated job started");
	pthread_mutex_lock(&gate_mtx);
	while (!work_started)
		pthread_cond_wait(&gate_cond, &gate_mtx);
	pthread_mutex_unlock(&gate_mtx);
	worker_abandon(w);
	is_int(atomic_load(&j.drops), 0, "abandon during the work: drop waits for it");
	open_gate();
	spin_loop(base, 20);
	{
		int64_t t0 = now_ms();

		while (atomic_load(&j.drops) == 0 && now_ms() - t0 < 5000)
			usleep(1000);
	}
	spin_loop(base, 50);
	is_int(atomic_load(&j.drops), 1, "drop ran exactly once");
	is_int(atomic_load(&j.dones), 0, "done never runs after abandon");
	ok(j.returned_at_drop, "drop ran after work returned");
	ok(pthread_equal(j.drop_thread, j.work_thread), "drop ran on the worker thread");
	ok(j.saw_abandoned, "worker_abandoned tells work the loop has gone");
	is_int(j.value, 42, "drop sees what work wrote");
}

static int
find_read_fd(const struct event_base *base, const struct event *ev, void *arg)
{
	(void)base;
	if (event_get_events(ev) & EV_READ)
		*(int *)arg = event_get_fd(ev);
	return 0;
}

static void
test_abandon_after_work(struct event_base *base)
{
	struct job j = { 0 };
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	struct worker *w;

	w = worker_start(base, work, done, drop, &j);
	ok(w != NULL, "job started");
	event_base_foreach_event(base, find_read_fd, &pfd.fd);
	ok(pfd.fd >= 0, "the loop watches the worker's pipe");
	/* The byte is written under the worker's mutex with its last step. */
	ok(poll(&pfd, 1, 5000) == 1, "the worker has answered");
	is_int(atomic_load(&j.drops), 0, "nothing dropped before abandon");
	worker_abandon(w);
	is_int(atomic_load(&j.drops), 1, "drop ran inside worker_abandon");
	ok(pthread_equal(j.drop_thread, main_thread), "... on the loop thread");
	ok(j.returned_at_drop, "... after work returned");
	spin_loop(base, 50);
	is_int(atomic_load(&j.dones), 0, "done never runs after abandon");
	is_int(atomic_load(&j.drops), 1, "drop ran exactly once");
}

static void
test_many(struct event_base *base)
{
	struct job *jobs = xcalloc(NJOBS, sizeof *jobs);
	struct worker *ws[NJOBS];
	bool abandoned[NJOBS] = { false };
	int i, nab = 0, ndone, bad = 0, offloop = 0, works = 0;
	unsigned seed = 7;
	int64_t t0;

	atomic_store(&total_drops, 0);
	for (i = 0; i < NJOBS; i++) {
		jobs[i].sleep_us = (unsigned)(rand_r(&seed) % 3000);
		if ((ws[i] = worker_start(base, work, done, drop, &jobs[i])) == NULL)
			bad++;
	}
	is_int(bad, 0, "200 workers started");
	if (bad != 0) {
		free(jobs);
		return;
	}
	for (i = 0; i < NJOBS; i++) {
		if (rand_r(&seed) % 3 == 0) {
			worker_abandon(ws[i]);
			abandoned[i] = true;
			nab++;
		}
	}
	/* Abandon more at random while answers arrive, never one already done. */
	t0 = now_ms();
	do {
		event_base_loop(base, EVLOOP_NONBLOCK);
		ndone = 0;
		for (i = 0; i < NJOBS; i++) {
			if (atomic_load(&jobs[i].dones) > 0) {
				ndone++;
				continue;
			}
			if (!abandoned[i] && rand_r(&seed) % 40 == 0) {
				worker_abandon(ws[i]);
				abandoned[i] = true;
				nab++;
			}
		}
		usleep(200);
	} while (ndone + nab < NJOBS && now_ms() - t0 < 10000);
	t0 = now_ms();
	while (atomic_load(&total_drops) < nab && now_ms() - t0 < 10000)
		usleep(1000);
	spin_loop(base, 50);
	ok(nab > 0 && nab < NJOBS, "some jobs abandoned, some not");
	for (i = 0, bad = 0; i < NJOBS; i++) {
		int d = atomic_load(&jobs[i].dones), x = atomic_load(&jobs[i].drops);

		works += atomic_load(&jobs[i].works);
		if (d + x != 1 || (abandoned[i] ? d != 0 : x != 0))
			bad++;
		if (d == 1 && !pthread_equal(jobs[i].done_thread, main_thread))
			offloop++;
	}
	is_int(works, NJOBS, "every work ran once");
	is_int(bad, 0, "each job: done (kept) or drop (abandoned), exactly once");
	is_int(atomic_load(&total_drops), nab, "one drop per abandoned job");
	is_int(offloop, 0, "every done ran on the loop thread");
	free(jobs);
}

/* One loop pass: what is active now runs, nothing waits. */
static void
one_pass(struct event_base *base)
{
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

/* worker_start cannot fail: out of descriptors, done runs with the reason on
 * the next loop pass, never inside worker_start, and work never runs. */
static void
test_start_failure_pipe(struct event_base *base)
{
	struct rlimit old, low;
	struct job j = { 0 };
	struct worker *w;
	int fds[64], n = 0;

	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &low);
	while (n < 64 && (fds[n] = dup(0)) >= 0)
		n++;
	w = worker_start(base, work, done, drop, &j);
	while (n > 0)
		close(fds[--n]);
	setrlimit(RLIMIT_NOFILE, &old);
	ok(w != NULL, "out of descriptors: worker_start still returns a handle");
	is_int(atomic_load(&j.dones), 0, "... and done does not run inside worker_start");
	one_pass(base);
	is_int(atomic_load(&j.dones), 1, "... done runs on the next loop pass");
	is_str(j.error, "cannot create a pipe: Too many open files", "... told why");
	ok(pthread_equal(j.done_thread, main_thread), "... on the loop thread");
	spin_loop(base, 50);
	is_int(atomic_load(&j.works), 0, "... work never runs");
	is_int(atomic_load(&j.dones) + atomic_load(&j.drops), 1, "... done exactly once, no drop");
	free(j.error);
}

static int
failing_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	(void)t;
	(void)a;
	(void)fn;
	(void)arg;
	return EAGAIN;
}

/* No thread (the test hook refuses like a process at its thread limit). */
static void
test_start_failure_thread(struct event_base *base)
{
	struct job j = { 0 }, k = { 0 };
	struct worker *w;
	int fds_before = dup(0), fds_after;

	close(fds_before);
	worker_thread_create = failing_create;
	w = worker_start(base, work, done, drop, &j);
	ok(w != NULL, "no thread: worker_start returns a handle");
	is_int(atomic_load(&j.dones), 0, "... done not inside worker_start");
	one_pass(base);
	is_int(atomic_load(&j.dones), 1, "... done runs on the next loop pass");
	is_str(j.error, "cannot start a worker thread: Resource temporarily unavailable",
	    "... with the reason");
	is_int(atomic_load(&j.works), 0, "... work never ran");
	fds_after = dup(0);
	close(fds_after);
	is_int(fds_after, fds_before, "... the pipe was closed");

	/* Abandoned before that pass: drop runs inside abandon, done never. */
	w = worker_start(base, work, done, drop, &k);
	worker_abandon(w);
	is_int(atomic_load(&k.drops), 1, "failed start abandoned: drop runs inside worker_abandon");
	ok(pthread_equal(k.drop_thread, main_thread), "... on the loop thread");
	spin_loop(base, 50);
	is_int(atomic_load(&k.dones), 0, "... done never runs");
	is_int(atomic_load(&k.works), 0, "... nor work");
	worker_thread_create = pthread_create;
	free(j.error);
}

/* Every job started here has run done or drop by now. */
static void
test_live(void)
{
	int64_t t0 = now_ms();

	while (worker_jobs_live() != 0 && now_ms() - t0 < 5000)
		usleep(1000);
	is_int(worker_jobs_live(), 0, "worker_jobs_live: every job ran done or drop");
}

int
main(void)
{
	struct event_base *base = event_base_new();

	main_thread = pthread_self();
	test_done_on_loop(base);
	test_abandon_while_working(base);
	test_abandon_after_work(base);
	test_many(base);
	test_start_failure_pipe(base);
	test_start_failure_thread(base);
	test_live();
	event_base_free(base);
	return tap_done();
}

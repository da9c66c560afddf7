/* scheduler.h — when checks run: timers, jitter, backoff, the concurrency limit,
 * and the waiters of `check` requests.
 *
 * Each job (one per target) has a timer: the interval with ±10% jitter so
 * that targets configured together drift apart; after a failure it retries
 * sooner, 1 s, 2 s, 4 s, ... up to the backoff cap, then the interval again
 * once a check succeeds. A due job joins a FIFO queue, and at most
 * max_concurrent checks run at once.
 *
 * Nothing here knows libevent or what a check is: the timers, the clock's
 * randomness, "next loop pass" and the check starter are injected
 * (struct sched_ops), so tests/unit/test_sched.c drives it on a fake clock.
 * The service gives it libevent timers and check.c. Loop thread only. */
#ifndef SW_SCHEDULER_H
#define SW_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_BACKOFF_BASE_MS	1000	/* first retry after a failure */
#define SCHED_FIRST_SPREAD_MS	500	/* start-up checks spread over this */

struct sched;
struct sched_job;
struct sched_wait;
struct sched_timer;

struct sched_ops {
	void	*ctx;
	/* A one-shot timer calling fire(arg); set re-arms it (delay >= 0),
	 * stop disarms it. */
	struct sched_timer *(*timer_new)(void *ctx, void (*fire)(void *arg), void *arg);
	void	 (*timer_set)(struct sched_timer *, int64_t delay_ms);
	void	 (*timer_stop)(struct sched_timer *);
	bool	 (*timer_pending)(const struct sched_timer *);
	void	 (*timer_free)(struct sched_timer *);
	/* Run fn(arg) on a later loop pass, never from inside the caller. */
	void	 (*defer)(void *ctx, void (*fn)(void *arg), void *arg);
	/* A random number >= 0 (jitter). */
	long	 (*random)(void *ctx);
	/* Start the check of a job (arg: sched_job_new's); returns its handle.
	 * It ends with sched_done(job, ...), never from inside start. */
	void	*(*start)(void *ctx, struct sched_job *, void *arg);
	/* Stop a running check: sched_done will not come. */
	void	 (*cancel)(void *ctx, void *handle);
};

struct sched	*sched_new(const struct sched_ops *, int max_concurrent, int64_t backoff_max_ms);
/* Reload: a new limit and cap (queued checks start when the limit grew). */
void		 sched_configure(struct sched *, int max_concurrent, int64_t backoff_max_ms);
/* Stopping: no check starts any more. */
void		 sched_stop(struct sched *);
void		 sched_free(struct sched *);

struct sched_job *sched_job_new(struct sched *, void *arg, int64_t interval_ms);
void		 sched_job_set_interval(struct sched_job *, int64_t interval_ms);
/* Cancels a running check, leaves the queue, answers its waiters' share. */
void		 sched_job_free(struct sched_job *);
/* Arm the first check of every job that has no timer and no check yet,
 * within SCHED_FIRST_SPREAD_MS. */
void		 sched_start_all(struct sched *);

/* The check of a job ended (its outcome is taken). failed: unreachable or
 * error, so the next try backs off. Answers the waiters it satisfies, then
 * schedules the next check and starts queued ones. */
void		 sched_done(struct sched_job *, bool failed);

/* An apply: cancel a running check, leave the queue, stop the timer, and
 * start no check of the job until sched_release. */
void		 sched_hold(struct sched_job *);
void		 sched_release(struct sched_job *);

/* The arg given to sched_job_new, and the ops' ctx: a check's callback
 * finds its way back from the job alone. */
void		*sched_job_arg(const struct sched_job *);
void		*sched_job_ctx(const struct sched_job *);

/* Running or queued. */
bool		 sched_busy(const struct sched_job *);
/* Consecutive failures, and the delay the next check would get now (ms,
 * before jitter): for tests and debugging. */
int		 sched_backoff_step(const struct sched_job *);
int64_t		 sched_next_delay_base(const struct sched_job *);
int		 sched_running(const struct sched *);

/* Check jobs[0..n) now and call cb(arg) once every one has a result from a
 * check started after this call (a check already running does not count: a
 * new one starts when it ends). cb never runs from inside sched_check_now.
 * The handle is valid until cb runs; sched_wait_cancel drops the wait (the
 * client went away) without stopping the checks. */
typedef void (*sched_wait_cb)(void *arg);
struct sched_wait *sched_check_now(struct sched *, struct sched_job *const *jobs, int n,
		    sched_wait_cb cb, void *arg);
void		 sched_wait_cancel(struct sched_wait *);

#endif

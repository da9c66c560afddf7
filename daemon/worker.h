/* worker.h — run one blocking job on a detached thread and hand the result
 * back to the libevent loop thread, which may abandon the job at any time.
 *
 * work(w, arg) runs on a new detached thread with every signal blocked. Then,
 * on the loop thread, done(arg, NULL) runs, unless worker_abandon() came
 * first: then drop(arg) runs instead, on whichever side finishes last (the
 * worker thread once work() has returned, or inside worker_abandon() when
 * work() had returned already). Exactly one of done/drop runs, never from
 * inside worker_start(). The handle is freed by this module before done or
 * drop runs: neither may touch it. What work() writes into arg is visible to
 * done and drop (the module's mutex orders the handoff).
 *
 * worker_start() cannot fail. When no pipe or thread can be had, work()
 * never runs and done(arg, error) runs on the next loop pass instead, with
 * error saying why ("cannot start a worker thread: Resource temporarily
 * unavailable"); abandoned before that, drop(arg) runs inside
 * worker_abandon(). So a caller has one path: its done, with or without an
 * error. */
#ifndef SW_WORKER_H
#define SW_WORKER_H

#include <pthread.h>
#include <stdbool.h>

#include <event2/event.h>

struct worker;

/* done(arg, error): error is NULL when work() ran; else the one line saying
 * why it could not, valid during the call only. */
typedef void	(*worker_done_fn)(void *arg, const char *error);

/* Loop thread. Never NULL; done or drop always follows. */
struct worker	*worker_start(struct event_base *, void (*work)(struct worker *, void *),
		    worker_done_fn done, void (*drop)(void *), void *arg);
/* Loop thread only, and not once done has started: done will not run. */
void		 worker_abandon(struct worker *);
/* From inside work(): has the loop abandoned the job (a hint to stop early)? */
bool		 worker_abandoned(struct worker *);
/* Jobs whose done or drop has not returned yet (an abandoned job stuck in a
 * blocking call stays counted): for tests and for a clean exit. */
int		 worker_jobs_live(void);

/* What worker_start() calls to make the thread: pthread_create, unless a
 * test swaps it (e.g. for one that fails with EAGAIN). */
extern int	(*worker_thread_create)(pthread_t *, const pthread_attr_t *,
		    void *(*)(void *), void *);

#endif

/* worker.h — run one blocking job on a detached thread and hand the result
 * back to the libevent loop thread, which may abandon the job at any time.
 *
 * work(w, arg) runs on a new detached thread with every signal blocked. Then,
 * on the loop thread, done(arg) runs, unless worker_abandon() came first:
 * then drop(arg) runs instead, on whichever side finishes last (the worker
 * thread once work() has returned, or inside worker_abandon() when work()
 * had returned already). Exactly one of done/drop runs, never from inside
 * worker_start(). The handle is freed by this module before done or drop
 * runs: neither may touch it. What work() writes into arg is visible to done
 * and drop (the module's mutex orders the handoff). */
#ifndef SW_WORKER_H
#define SW_WORKER_H

#include <stdbool.h>

#include <event2/event.h>

struct worker;

/* The step of worker_start() that failed, for the caller's message. */
enum worker_fail {
	WORKER_FAIL_PIPE,	/* pipe2() */
	WORKER_FAIL_WATCH,	/* libevent could not watch the pipe */
	WORKER_FAIL_THREAD,	/* pthread_create() */
};

/* Loop thread. NULL when no pipe, event or thread could be made: errno says
 * why, *fail (unless NULL) which step; no callback will run then. */
struct worker	*worker_start(struct event_base *, void (*work)(struct worker *, void *),
		    void (*done)(void *), void (*drop)(void *), void *arg,
		    enum worker_fail *fail);
/* Loop thread only, and not once done has started: done will not run. */
void		 worker_abandon(struct worker *);
/* From inside work(): has the loop abandoned the job (a hint to stop early)? */
bool		 worker_abandoned(struct worker *);
/* "cannot create a pipe", "cannot watch the worker pipe",
 * "cannot start a worker thread". */
const char	*worker_fail_what(enum worker_fail);

#endif

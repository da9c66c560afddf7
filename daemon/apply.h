/* apply.h — applying a target's definition chain from the running daemon.
 *
 * One apply at a time. Unless it is a dry run, the target is `applying` at
 * once (STATUS= too), its running check is dropped and no check of it starts
 * until the apply ends; then the outcome goes to the reporter (log, history
 * kind "apply", hook), the target is checked again, and only then `done`
 * runs with the result (freed after the call; done may be NULL). done never
 * runs from inside apply_start. auto_apply (upgrade only, only from
 * pending) takes the same path. migrate.c does the work on a worker thread. */
#ifndef SW_APPLY_H
#define SW_APPLY_H

#include <stdbool.h>

#include "cfg.h"

struct event_base;
struct migrate_result;
struct reporter;
struct sched;
struct tgt;
struct tgt_reg;
struct apply;

struct apply	*apply_new(struct event_base *, struct tgt_reg *, struct sched *,
		    struct reporter *);
/* The running configuration (again after every reload). */
void		 apply_configure(struct apply *, const struct config *);
/* Shutdown: the worker is abandoned; it rolls back by itself. */
void		 apply_free(struct apply *);
/* Stopping: no apply starts any more. */
void		 apply_stop(struct apply *);

typedef void (*apply_done_cb)(struct migrate_result *, void *arg);
/* What was asked: the options of `apply` (migrate.h). */
struct apply_how {
	bool		 downgrade;
	bool		 dry_run;
	bool		 force;
	const char	*to;		/* --to REVISION, NULL: by direction */
};
/* -1 and *err (caller frees) when one is in flight or the daemon stops. */
int		 apply_start(struct apply *, struct tgt *, const struct apply_how *,
		    apply_done_cb done, void *arg, char **err);
/* The client that asked went away: the apply goes on, done will not run. */
void		 apply_forget(struct apply *, void *arg);
/* A check of t completed: start the upgrade when auto_apply allows it. */
void		 apply_auto(struct apply *, struct tgt *);

#endif

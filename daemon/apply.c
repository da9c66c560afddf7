/* apply.c — apply orchestration: hold the target's checks, run migrate.c on
 * a worker, report the outcome, check again, answer. See apply.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <event2/event.h>

#include "apply.h"
#include "log.h"
#include "migrate.h"
#include "reporter.h"
#include "scheduler.h"
#include "target.h"
#include "util.h"

/* No auto_apply of a target before this wall-clock time (set one interval
 * after each apply, so a failed one is not retried at once and a downgrade
 * is not undone at once). By name: a reload may replace the target. */
struct apply_hold {
	char	*target;
	int64_t	 until_ms;
};

/* The one apply in flight: from apply_start until its `done` has run. */
struct apply_op {
	struct apply		*ap;
	char			*target;	/* by name: a reload may replace the tgt */
	bool			 dry_run;
	bool			 automatic;	/* auto_apply, not a request */
	bool			 running;	/* the worker has not answered yet */
	enum tgt_state		 prev_state;	/* the target's state when it began */
	struct migrate_job	*job;
	struct migrate_result	*res;
	apply_done_cb		 cb;
	void			*arg;
};

struct apply {
	struct event_base	*base;
	struct tgt_reg		*reg;
	struct sched		*sched;
	struct reporter		*rep;
	const struct config	*cfg;
	struct apply_op		*op;
	struct apply_hold	*holds;
	int			 nholds;
	bool			 stopping;
};

struct apply *
apply_new(struct event_base *base, struct tgt_reg *reg, struct sched *sched,
    struct reporter *rep)
{
	struct apply *ap = xcalloc(1, sizeof *ap);

	ap->base = base;
	ap->reg = reg;
	ap->sched = sched;
	ap->rep = rep;
	return ap;
}

void
apply_configure(struct apply *ap, const struct config *cfg)
{
	ap->cfg = cfg;
}

void
apply_stop(struct apply *ap)
{
	ap->stopping = true;
}

static void
apply_op_free(struct apply_op *op)
{
	if (op->job != NULL)
		migrate_abandon(op->job);
	migrate_result_free(op->res);
	free(op->target);
	free(op);
}

void
apply_free(struct apply *ap)
{
	int i;

	if (ap == NULL)
		return;
	if (ap->op != NULL)
		apply_op_free(ap->op);
	for (i = 0; i < ap->nholds; i++)
		free(ap->holds[i].target);
	free(ap->holds);
	free(ap);
}

void
apply_forget(struct apply *ap, void *arg)
{
	if (ap->op != NULL && ap->op->arg == arg)
		ap->op->cb = NULL;
}

static int64_t
interval_of(const struct apply *ap, const struct tgt *t)
{
	const struct cfg_target *ct = tgt_cfg(t);

	return ct->interval_ms > 0 ? ct->interval_ms : ap->cfg->interval_ms;
}

static struct apply_hold *
hold_find(struct apply *ap, const char *name, bool create)
{
	int i;

	for (i = 0; i < ap->nholds; i++)
		if (strcmp(ap->holds[i].target, name) == 0)
			return &ap->holds[i];
	if (!create)
		return NULL;
	ap->holds = xreallocarray(ap->holds, (size_t)ap->nholds + 1, sizeof *ap->holds);
	ap->holds[ap->nholds].target = xstrdup(name);
	ap->holds[ap->nholds].until_ms = 0;
	return &ap->holds[ap->nholds++];
}

/* The end: answer whoever asked, then let the next apply in. Always from
 * its own loop pass, never from inside the walks over targets. */
static void
apply_finish(evutil_socket_t fd, short what, void *arg)
{
	struct apply_op *op = arg;
	struct apply *ap = op->ap;

	(void)fd;
	(void)what;
	if (ap->op == op)
		ap->op = NULL;
	if (op->cb != NULL)
		op->cb(op->res, op->arg);
	apply_op_free(op);
}

static void
apply_rechecked(void *arg)
{
	struct apply_op *op = arg;

	xevent_defer(op->ap->base, apply_finish, op);
}

/* Loop thread: the worker is done. */
static void
apply_job_done(struct migrate_result *r, void *arg)
{
	struct apply_op *op = arg;
	struct apply *ap = op->ap;
	struct tgt *t = tgt_find(ap->reg, op->target);
	struct sched_job *job;
	enum tgt_state st;

	op->job = NULL;
	op->running = false;
	op->res = r;
	reporter_apply(ap->rep, r, op->automatic, op->prev_state);
	if (t != NULL && !r->dry_run && (job = tgt_job(t)) != NULL)
		sched_release(job);
	if (r->dry_run || t == NULL || ap->stopping) {
		xevent_defer(ap->base, apply_finish, op);
		return;
	}
	/* What the apply saw inside its transaction is the state now (the
	 * committed result, or what a rollback left); without a reading, the
	 * state from before. The check below confirms it. */
	st = (r->after == ST_OK || r->after == ST_PENDING || r->after == ST_DRIFT) ?
	    r->after : op->prev_state;
	hold_find(ap, op->target, true)->until_ms = wall_ms() + interval_of(ap, t);
	tgt_set_state(ap->reg, t, st, TGT_RESTATED);
	job = tgt_job(t);
	sched_check_now(ap->sched, &job, 1, apply_rechecked, op);
}

static int
apply_begin(struct apply *ap, struct tgt *t, const struct apply_how *how, bool automatic,
    apply_done_cb cb, void *arg, char **err)
{
	struct migrate_req req = { ap->cfg, tgt_cfg(t), how->downgrade, how->dry_run,
	    how->force, how->to };
	bool downgrade = how->downgrade, dry_run = how->dry_run;
	struct apply_op *op;
	struct tgt_view v;

	/* Its rows are the schemas; which one to migrate is the caller's word. */
	tgt_view(t, &v);
	if (tgt_cfg(t)->nschemas > 0) {
		*err = xasprintf("target %s has schemas: (%d now): apply one of its rows, "
		    "%s/SCHEMA", tgt_name(t), v.nschemas, tgt_name(t));
		return -1;
	}
	if (ap->op != NULL) {
		*err = xasprintf("another apply is in flight in this daemon (target %s)",
		    ap->op->target);
		return -1;
	}
	if (ap->stopping) {
		*err = xstrdup("the daemon is stopping");
		return -1;
	}
	op = xcalloc(1, sizeof *op);
	op->ap = ap;
	op->target = xstrdup(tgt_name(t));
	op->dry_run = dry_run;
	op->automatic = automatic;
	op->running = true;
	op->prev_state = tgt_state(t);
	op->cb = cb;
	op->arg = arg;
	ap->op = op;
	if (!dry_run) {
		sched_hold(tgt_job(t));
		/* Its groups are unknown meanwhile; STATUS= shows `applying`. */
		tgt_set_state(ap->reg, t, ST_APPLYING, TGT_HELD);
	}
	log_msg(LOG_INFO, "target %s: %s%s%s started", tgt_name(t),
	    dry_run ? "dry run of the " : "", migrate_action_name(downgrade),
	    automatic ? " (auto_apply)" : "");
	op->job = migrate_start(ap->base, &req, apply_job_done, op);
	return 0;
}

int
apply_start(struct apply *ap, struct tgt *t, const struct apply_how *how, apply_done_cb done,
    void *arg, char **err)
{
	return apply_begin(ap, t, how, false, done, arg, err);
}

void
apply_auto(struct apply *ap, struct tgt *t)
{
	struct apply_hold *h = hold_find(ap, tgt_name(t), false);
	struct apply_how up = { false, false, false, NULL };
	char *err = NULL;

	if (!tgt_cfg(t)->auto_apply || tgt_state(t) != ST_PENDING || ap->op != NULL ||
	    ap->stopping || (h != NULL && wall_ms() < h->until_ms))
		return;
	log_msg(LOG_NOTICE, "target %s: pending and auto_apply is on: applying the upgrade",
	    tgt_name(t));
	if (apply_begin(ap, t, &up, true, NULL, NULL, &err) < 0) {
		log_msg(LOG_WARNING, "target %s: auto_apply: %s", tgt_name(t), err);
		free(err);
	}
}

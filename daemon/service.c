/* service.c — the composition root: init in dependency order, fini in
 * reverse, reload = parse -> check -> swap, signals. See service.h.
 *
 * Data flows one way: check.c -> target registry -> ("target changed") the
 * reporter and groups -> reporter -> log, state.db, hook, STATUS=. The
 * scheduler decides when checks run; this file gives it libevent timers and
 * check.c, and hands each outcome to the registry, then back to the
 * scheduler. Nothing below calls up into this file. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "apply.h"
#include "cfgcheck.h"
#include "check.h"
#include "commands.h"
#include "alertq.h"
#include "control.h"
#include "ddlwatch.h"
#include "groups.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "defset.h"
#include "metrics.h"
#include "notify.h"
#include "reporter.h"
#include "scheduler.h"
#include "service.h"
#include "target.h"
#include "util.h"

struct svc {
	struct event_base	*base;
	char			*config_path;
	struct config		*cfg;
	struct defset		*defs;		/* the definitions cfg names */
	int64_t			 started_ms;	/* wall clock */
	bool			 stopping;
	struct event		*sig_term, *sig_int, *sig_hup;
	struct history		*hist;		/* NULL when state.db cannot be used */
	struct hook_mgr		*hooks;
	struct alertq		*alerts;
	struct metrics_counters	 counters;	/* reloads, for /metrics */
	struct reporter		*rep;
	struct tgt_reg		*targets;
	struct sched		*sched;
	struct ddlw		*ddl;		/* DDL notifications -> checks */
	struct groups		*groups;
	struct apply		*apply;
	struct cmds		*cmds;
	struct ctl		*ctl;
	struct metrics		*metrics;	/* NULL when off */
};

/* ---- the scheduler's world: libevent timers and check.c --------------------------- */

struct sched_timer {
	struct event	*ev;
	void		(*fire)(void *);
	void		*arg;
};

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sched_timer *t = arg;

	(void)fd;
	(void)what;
	t->fire(t->arg);
}

static struct sched_timer *
timer_new(void *ctx, void (*fire)(void *), void *arg)
{
	struct svc *s = ctx;
	struct sched_timer *t = xcalloc(1, sizeof *t);

	t->fire = fire;
	t->arg = arg;
	t->ev = xevtimer_new(s->base, timer_cb, t);
	return t;
}

static void
timer_set(struct sched_timer *t, int64_t ms)
{
	xevtimer_add_ms(t->ev, ms);
}

static void
timer_stop(struct sched_timer *t)
{
	evtimer_del(t->ev);
}

static bool
timer_pending(const struct sched_timer *t)
{
	return evtimer_pending(t->ev, NULL) != 0;
}

static void
timer_free(struct sched_timer *t)
{
	event_free(t->ev);
	free(t);
}

struct deferred {
	void	(*fn)(void *);
	void	*arg;
};

static void
deferred_cb(evutil_socket_t fd, short what, void *arg)
{
	struct deferred d = *(struct deferred *)arg;

	(void)fd;
	(void)what;
	free(arg);
	d.fn(d.arg);
}

static void
defer(void *ctx, void (*fn)(void *), void *arg)
{
	struct svc *s = ctx;
	struct deferred *d = xmalloc(sizeof *d);

	d->fn = fn;
	d->arg = arg;
	xevent_defer(s->base, deferred_cb, d);
}

static long
rand_cb(void *ctx)
{
	(void)ctx;
	return random();
}

static void check_done(struct check_outcome *, void *);

static void *
check_begin(void *ctx, struct sched_job *job, void *arg)
{
	struct svc *s = ctx;
	struct tgt *t = arg;

	log_msg(LOG_DEBUG, "target %s: checking", tgt_name(t));
	return check_start(s->base, s->cfg, tgt_cfg(t), s->defs, check_done, job);
}

static void
check_stop(void *ctx, void *handle)
{
	(void)ctx;
	check_cancel(handle);
}

/* A result: into the registry (which tells the reporter and the groups),
 * then to the scheduler (waiters, next check, queue), then auto_apply. */
static void
check_done(struct check_outcome *o, void *arg)
{
	struct sched_job *job = arg;
	struct svc *s = sched_job_ctx(job);
	struct tgt *t = sched_job_arg(job);
	bool failed;

	failed = tgt_take_outcome(s->targets, t, o);
	check_outcome_free(o);
	sched_done(job, failed);
	apply_auto(s->apply, t);
	/* Schema rows: one apply at a time, so the next pending one goes
	 * after the re-check that follows this apply. */
	for (int i = 0; i < tgt_row_count(s->targets); i++)
		if (tgt_parent(tgt_row_at(s->targets, i)) == t)
			apply_auto(s->apply, tgt_row_at(s->targets, i));
}

static int64_t
interval_of(const struct svc *s, const struct tgt *t)
{
	const struct cfg_target *ct = tgt_cfg(t);

	return ct->interval_ms > 0 ? ct->interval_ms : s->cfg->interval_ms;
}

/* Every target gets a schedule (new ones) or its interval again (kept ones). */
static void
schedule_targets(struct svc *s)
{
	struct tgt *t;
	int i;

	for (i = 0; i < tgt_count(s->targets); i++) {
		t = tgt_at(s->targets, i);
		if (tgt_job(t) == NULL)
			tgt_set_job(t, sched_job_new(s->sched, t, interval_of(s, t)));
		else
			sched_job_set_interval(tgt_job(t), interval_of(s, t));
	}
	sched_start_all(s->sched);
}

static void
target_removed(void *arg, struct tgt *t)
{
	struct svc *s = arg;

	sched_job_free(tgt_job(t));
	tgt_set_job(t, NULL);
	/* Redefined or removed: what it reported comes from state.db again. */
	reporter_forget(s->rep, REP_TARGET, tgt_name(t));
}

/* ---- reporting: the reporter's subscription and STATUS= ---------------------------- */

static void
target_changed(void *arg, const struct tgt *tg, enum tgt_event ev)
{
	struct svc *s = arg;
	struct rep_target rt;
	struct tgt_view t;

	tgt_view(tg, &t);
	/* applying / an apply's result: not news, but STATUS= shows it. A
	 * schema row that failed with its target: the target's news alone. */
	if ((ev != TGT_CHECKED && ev != TGT_REMOVED) || (ev == TGT_CHECKED && t.inherited)) {
		reporter_status(s->rep);
		return;
	}
	rt.name = t.name;
	rt.kind = t.kind;
	rt.state = t.state;
	rt.error = t.error;
	rt.diffs = t.diffs;
	rt.at_ms = t.last_check_ms;
	rt.since_ms = t.since_ms;
	rt.expected = t.expected;
	rt.revision = t.revision;
	rt.closest = t.closest;
	rt.behind = t.behind;
	rt.ahead = t.ahead;
	if (ev == TGT_REMOVED) {
		char *why = xasprintf("schema %s is gone (dropped, renamed, or no longer "
		    "matching schemas:)", t.schema);

		rt.at_ms = wall_ms();
		rt.error = why;
		reporter_target_removed(s->rep, &rt);
		free(why);
	} else
		reporter_target(s->rep, &rt);
}

char *
svc_status_line(struct svc *s)
{
	struct sbuf sb;

	sbuf_init(&sb);
	tgt_status_append(s->targets, &sb);
	groups_status_append(s->groups, &sb);
	return sbuf_steal(&sb);
}

static char *
status_line_cb(void *arg)
{
	return svc_status_line(arg);
}

static int
reload_cb(void *arg, char **err, char **restart)
{
	return svc_reload(arg, err, restart);
}

/* ---- reload ----------------------------------------------------------------------- */

int
svc_reload(struct svc *s, char **err, char **restart_out)
{
	struct config *ncfg, *old;
	struct defset *ndefs;
	char *restart;

	notify_reloading();
	/* Parse and check beside the running configuration ... */
	if ((ncfg = cfg_load(s->config_path, err)) == NULL ||
	    (*err = cfgcheck_reload(ncfg)) != NULL) {	/* as --check-config */
		cfg_free(ncfg);
		log_event(LOG_ERR, LOGEV_RELOAD_FAILED, NULL, NULL, NULL,
		    "reload failed, the running configuration stays: %s", *err);
		s->counters.reloads_refused++;
		notify_ready();
		return -1;
	}
	/* ... and the definitions it names: a bad or stale one refuses the
	 * whole reload, like a bad key would. */
	if ((ndefs = defset_load(ncfg, err)) == NULL) {
		log_event(LOG_ERR, LOGEV_RELOAD_FAILED, NULL, NULL, NULL,
		    "reload failed, the running configuration stays: %s", *err);
		cfg_free(ncfg);
		notify_ready();
		return -1;
	}
	/* Only the keys this reload changes: the answer names them too. */
	if ((restart = cfg_restart_needed(s->cfg, ncfg)) != NULL)
		log_msg(LOG_WARNING, "reload: %s changed; that takes effect at the next restart",
		    restart);
	if (restart_out != NULL)
		*restart_out = restart;
	else
		free(restart);
	/* ... then swap, whole. */
	old = s->cfg;
	s->cfg = ncfg;
	defset_unref(s->defs);		/* running checks hold their own reference */
	s->defs = ndefs;
	ddlw_flush(s->ddl);	/* its due jobs may be of targets about to go */
	tgt_reg_configure(s->targets, ncfg, target_removed, s);
	cfg_free(old);
	/* Connection strings, files and ddl_events may have changed: kept
	 * connections start afresh (a check in flight keeps its own). */
	probe_close_kept();
	reporter_configure(s->rep, ncfg);
	cmds_configure(s->cmds, ncfg);
	apply_configure(s->apply, ncfg);
	groups_reload(s->groups, ncfg);		/* also restores reported states */
	schedule_targets(s);
	log_event(LOG_INFO, LOGEV_DAEMON_RELOADED, NULL, NULL, NULL,
	    "configuration reloaded from %s: %d target%s", s->config_path,
	    tgt_count(s->targets), tgt_count(s->targets) == 1 ? "" : "s");
	s->counters.reloads_ok++;
	reporter_status(s->rep);
	notify_ready();
	sched_configure(s->sched, ncfg->max_concurrent, ncfg->backoff_max_ms);
	return 0;
}

/* ---- signals ------------------------------------------------------------------------ */

static void
on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
	struct svc *s = arg;

	(void)what;
	if (s->stopping)
		return;
	s->stopping = true;
	sched_stop(s->sched);
	apply_stop(s->apply);
	notify_stopping();
	log_msg(LOG_INFO, "%s received, stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	/* Checks are read-only: dropping them mid-way leaves nothing half-done. */
	event_base_loopbreak(s->base);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	char *err = NULL;

	(void)sig;
	(void)what;
	if (svc_reload(arg, &err, NULL) != 0)
		free(err);
}

/* ---- lifetime ---------------------------------------------------------------------- */

static void
init_signals(struct svc *s)
{
	signal(SIGPIPE, SIG_IGN);
	s->sig_term = xevsignal_new(s->base, SIGTERM, on_stop_signal, s);
	s->sig_int = xevsignal_new(s->base, SIGINT, on_stop_signal, s);
	s->sig_hup = xevsignal_new(s->base, SIGHUP, on_hup, s);
	xevent_add(s->sig_term, NULL);
	xevent_add(s->sig_int, NULL);
	xevent_add(s->sig_hup, NULL);
}

/* The rooms below the commands, in dependency order. */
static void
init_core(struct svc *s)
{
	struct sched_ops ops = {
		.ctx = s, .timer_new = timer_new, .timer_set = timer_set,
		.timer_stop = timer_stop, .timer_pending = timer_pending,
		.timer_free = timer_free, .defer = defer, .random = rand_cb,
		.start = check_begin, .cancel = check_stop,
	};
	char *err = NULL;

	if ((s->hist = history_open(s->cfg->state_dir, &err)) == NULL) {
		log_msg(LOG_WARNING, "running without history: %s", err);
		free(err);
	}
	s->hooks = hook_init(s->base);
	s->alerts = alertq_new(s->base, s->hist, s->hooks);
	s->rep = reporter_new(s->hist, s->hooks);
	reporter_configure(s->rep, s->cfg);
	reporter_use_alerts(s->rep, s->alerts);
	/* What the previous run could not deliver goes first. */
	alertq_load(s->alerts);
	reporter_set_status(s->rep, status_line_cb, s);
	s->targets = tgt_reg_new(s->rep);
	/* The reporter hears of a change before the groups judge it. */
	tgt_reg_subscribe(s->targets, target_changed, s);
	tgt_reg_configure(s->targets, s->cfg, NULL, NULL);
	s->sched = sched_new(&ops, s->cfg->max_concurrent, s->cfg->backoff_max_ms);
	s->ddl = ddlw_new(s->base, s->sched, s->targets);
	s->groups = groups_new(s->targets, s->rep, s->cfg);
	s->apply = apply_new(s->base, s->targets, s->sched, s->rep);
	apply_configure(s->apply, s->cfg);
}

/* The rooms that face the outside: commands, the socket, metrics. */
static int
init_front(struct svc *s)
{
	struct cmd_env env = {
		.base = s->base, .targets = s->targets, .groups = s->groups,
		.sched = s->sched, .apply = s->apply, .hist = s->hist,
		.started_ms = s->started_ms, .svc = s,
		.reload = reload_cb, .status_line = status_line_cb,
	};
	struct metrics_src src = { s->targets, s->groups, s->started_ms, s->alerts,
	    &s->counters };
	struct ctl_handler h;
	struct ctl_limits lim;
	char *err = NULL;

	s->cmds = cmds_new(&env);
	cmds_configure(s->cmds, s->cfg);
	cmds_handler(s->cmds, &h);
	ctl_limits_default(&lim);
	if ((s->ctl = ctl_init(s->base, s->cfg->socket_path, &h, &lim, &err)) == NULL) {
		log_msg(LOG_ERR, "control socket: %s", err);
		free(err);
		return -1;
	}
	if (s->cfg->metrics_listen != NULL &&
	    (s->metrics = metrics_init(s->base, s->cfg->metrics_listen, &src, &err)) == NULL) {
		log_msg(LOG_ERR, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

struct svc *
svc_init(const char *config_path, struct config *cfg)
{
	struct svc *s = xcalloc(1, sizeof *s);
	char *err = NULL;

	srandom((unsigned)(now_usec() ^ (uint64_t)getpid()));
	s->config_path = xstrdup(config_path);
	s->cfg = cfg;
	s->started_ms = wall_ms();
	if ((s->defs = defset_load(cfg, &err)) == NULL) {
		log_msg(LOG_ERR, "%s", err);
		free(err);
		svc_fini(s);
		return NULL;
	}
	if ((s->base = event_base_new()) == NULL) {
		log_msg(LOG_ERR, "cannot create the event loop");
		svc_fini(s);
		return NULL;
	}
	init_signals(s);
	init_core(s);
	if (init_front(s) != 0) {
		svc_fini(s);
		return NULL;
	}
	notify_init(s->base);
	schedule_targets(s);
	log_event(LOG_INFO, LOGEV_DAEMON_STARTED, NULL, NULL, NULL,
	    "%s started with %s: %d target%s", PACKAGE_STRING, config_path,
	    tgt_count(s->targets), tgt_count(s->targets) == 1 ? "" : "s");
	reporter_status(s->rep);
	notify_ready();
	return s;
}

int
svc_run(struct svc *s)
{
	return event_base_dispatch(s->base) < 0 ? -1 : 0;
}

/* In reverse: the outside first, then the rooms that use others, then the
 * infrastructure, then the loop. */
void
svc_fini(struct svc *s)
{
	if (s == NULL)
		return;
	if (s->sched != NULL)
		sched_stop(s->sched);
	ddlw_free(s->ddl);
	metrics_fini(s->metrics);
	if (s->ctl != NULL)
		ctl_fini(s->ctl);
	cmds_free(s->cmds);
	apply_free(s->apply);
	groups_free(s->groups);
	sched_free(s->sched);		/* cancels running checks, frees the jobs */
	probe_close_kept();		/* their events are on the loop: before it goes */
	tgt_reg_free(s->targets);
	reporter_free(s->rep);
	/* Before hook_fini: a run it kills then is no verdict on the event,
	 * which stays in the outbox. */
	alertq_free(s->alerts);
	notify_fini();
	if (s->hooks != NULL)
		hook_fini(s->hooks);
	if (s->hist != NULL)
		history_close(s->hist);
	if (s->sig_term != NULL) {
		event_free(s->sig_term);
		event_free(s->sig_int);
		event_free(s->sig_hup);
	}
	if (s->base != NULL)
		event_base_free(s->base);
	defset_unref(s->defs);
	cfg_free(s->cfg);
	free(s->config_path);
	free(s);
}

/* daemon.c — the service: schedules, results, state changes, reload, stop.
 *
 * Everything runs on one libevent loop. Each target has its own timer (the
 * interval with ±10% jitter so targets spread out); a due target joins a FIFO
 * queue and at most max_concurrent_checks run at once. Checks never block the
 * loop (probe_pg.c is non-blocking libpq, probe_sqlite.c runs in a thread), so
 * no target can delay another, the control socket or the watchdog.
 *
 * A state change is reported exactly once: logged with its MESSAGE_ID, stored
 * in state.db, sent to the alert hook, and reflected in STATUS=. "Reported"
 * is remembered across restarts through state.db, so a restart does not
 * alert again for a state that was already announced. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>
#include <jansson.h>

#include "cfgcheck.h"
#include "check.h"
#include "commands.h"
#include "control.h"
#include "daemon.h"
#include "groups.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "migrate.h"
#include "metrics.h"
#include "notify.h"
#include "report.h"
#include "util.h"

#define BACKOFF_BASE_MS		1000	/* first retry after a failure */
#define FIRST_CHECK_SPREAD_MS	500	/* start-up checks spread over this */
#define HISTORY_PRUNE_EVERY	200	/* records between two prunes */
#define LOG_DIFFS_MAX		10	/* differences named in one log line */

/* A `check` request: answered when every target it waits for has a fresh result. */
struct tgt_waiter {
	struct daemon	*d;
	daemon_wait_cb	 cb;
	void		*arg;
	int		 pending;	/* targets still to finish */
	bool		 cancelled;	/* the client went away */
};

struct wait_node {
	struct tgt_waiter	*w;
	uint64_t		 need_seq;	/* a check with this number or later */
	struct wait_node	*next;
};

static void	tgt_enqueue(struct tgt *);
static void	daemon_dispatch(struct daemon *);
static void	daemon_update_status(struct daemon *);
static void	apply_auto(struct tgt *);
static void	apply_fini(struct daemon *);

/* ---- scheduling --------------------------------------------------------- */

static int64_t
tgt_interval(const struct tgt *t)
{
	return t->cfg->interval_ms > 0 ? t->cfg->interval_ms : t->d->cfg->interval_ms;
}

/* ±10%, so that targets configured together drift apart. */
static int64_t
jitter(int64_t ms)
{
	int64_t span = ms / 5;

	if (span <= 0)
		return ms;
	return ms - span / 2 + (int64_t)(random() % (span + 1));
}

static void
tgt_schedule(struct tgt *t, int64_t delay_ms)
{
	struct timeval tv;

	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	evtimer_add(t->timer, &tv);
}

/* After a failure retry sooner than the interval at first, then back off
 * exponentially up to retry_backoff_max; after success, the interval. */
static int64_t
tgt_next_delay(const struct tgt *t)
{
	int64_t delay, cap = t->d->cfg->backoff_max_ms;

	if (t->backoff_step == 0)
		return jitter(tgt_interval(t));
	delay = BACKOFF_BASE_MS;
	for (int i = 1; i < t->backoff_step && delay < cap; i++)
		delay *= 2;
	if (delay > cap)
		delay = cap;
	return jitter(delay);
}

static void
tgt_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	tgt_enqueue(arg);
}

static void
tgt_enqueue(struct tgt *t)
{
	struct daemon *d = t->d;

	/* While a migration runs on it, its state is `applying`: no check may
	 * overwrite that; the apply checks it again when it ends. */
	if (t->running != NULL || t->queued || d->stopping || daemon_tgt_applying(d, t))
		return;
	evtimer_del(t->timer);
	d->queue = xreallocarray(d->queue, (size_t)d->nqueue + 1, sizeof *d->queue);
	d->queue[d->nqueue++] = t;
	t->queued = true;
	daemon_dispatch(d);
}

static void
queue_remove(struct daemon *d, struct tgt *t)
{
	int i;

	for (i = 0; i < d->nqueue; i++) {
		if (d->queue[i] == t) {
			memmove(&d->queue[i], &d->queue[i + 1],
			    (size_t)(d->nqueue - i - 1) * sizeof *d->queue);
			d->nqueue--;
			break;
		}
	}
	t->queued = false;
}

static void tgt_check_done(struct check_outcome *, void *);

static void
daemon_dispatch(struct daemon *d)
{
	int limit = d->cfg->max_concurrent > 0 ? d->cfg->max_concurrent : 1;
	struct tgt *t;

	while (!d->stopping && d->nrunning < limit && d->nqueue > 0) {
		t = d->queue[0];
		queue_remove(d, t);
		t->check_seq++;
		d->nrunning++;
		log_msg(LOG_DEBUG, "target %s: checking (check %llu)", t->name,
		    (unsigned long long)t->check_seq);
		t->running = check_start(d->base, d->cfg, t->cfg, tgt_check_done, t);
	}
}

/* ---- waiters (`schemawatchctl check`) ------------------------------------ */

static void
waiter_release(struct tgt_waiter *w)
{
	if (--w->pending > 0)
		return;
	if (!w->cancelled)
		w->cb(w->d, w->arg);
	free(w);
}

/* Release the waiters satisfied by check number `seq` (or all, for a target
 * that is going away). */
static void
tgt_wake_waiters(struct tgt *t, uint64_t seq, bool all)
{
	struct wait_node **np = &t->waiters, *n;

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
tgt_add_waiter(struct tgt *t, struct tgt_waiter *w)
{
	struct wait_node *n = xmalloc(sizeof *n);

	/* A check already running began before the request: wait for the next. */
	n->w = w;
	n->need_seq = t->check_seq + 1;
	n->next = t->waiters;
	t->waiters = n;
	w->pending++;
	if (t->running != NULL)
		t->recheck = true;
	else
		tgt_enqueue(t);
}

static void
waiter_deferred(evutil_socket_t fd, short what, void *arg)
{
	waiter_release(arg);
}

struct tgt_waiter *
daemon_check_now(struct daemon *d, struct tgt *t, daemon_wait_cb cb, void *arg)
{
	struct tgt_waiter *w = xcalloc(1, sizeof *w);
	int i;

	w->d = d;
	w->cb = cb;
	w->arg = arg;
	/* Hold one reference while adding, so a synchronous completion cannot
	 * free the waiter under us. */
	w->pending = 1;
	if (t != NULL)
		tgt_add_waiter(t, w);
	else
		for (i = 0; i < d->ntargets; i++)
			tgt_add_waiter(d->targets[i], w);
	if (w->pending == 1) {
		/* Nothing to wait for (no targets): answer on the next loop pass,
		 * never from inside the caller. */
		static const struct timeval zero = { 0, 0 };

		event_base_once(d->base, -1, EV_TIMEOUT, waiter_deferred, w, &zero);
		return w;
	}
	waiter_release(w);
	return w;
}

void
daemon_wait_cancel(struct tgt_waiter *w)
{
	w->cancelled = true;
}

/* ---- state changes ---------------------------------------------------------- */

struct change_kind {
	enum log_event	ev;
	int		priority;
};

static struct change_kind
classify_change(enum tgt_state from, enum tgt_state to)
{
	switch (to) {
	case ST_DRIFT:
		return (struct change_kind){ LOGEV_DRIFT_DETECTED, LOG_WARNING };
	case ST_UNREACHABLE:
		return (struct change_kind){ LOGEV_TARGET_UNREACHABLE, LOG_WARNING };
	case ST_ERROR:
		return (struct change_kind){ LOGEV_TARGET_STATE, LOG_ERR };
	case ST_OK:
		if (from == ST_DRIFT)
			return (struct change_kind){ LOGEV_DRIFT_RESOLVED, LOG_NOTICE };
		return (struct change_kind){ LOGEV_TARGET_STATE, LOG_NOTICE };
	default:
		return (struct change_kind){ LOGEV_TARGET_STATE, LOG_NOTICE };
	}
}

static json_t *
tgt_event_json(const struct tgt *t, enum log_event ev, enum tgt_state from)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
	    "event", log_event_name(ev), "kind", "target", "name", t->name,
	    "target_kind", cfg_target_kind_name(t->cfg), "state", tgt_state_name(t->state),
	    "previous_state", tgt_state_name(from), "at_ms", (json_int_t)t->last_check_ms);

	if (t->error != NULL)
		json_object_set_new(o, "error", json_string(t->error));
	json_object_set_new(o, "differences", report_diffs_json(&t->diffs));
	return o;
}

void
run_alert_hook(struct daemon *d, const char *event, const char *kind, const char *name,
    const char *state, const char *prev, int ndiffs, const char *json_text)
{
	char *env[8], what[256];
	int i = 0;

	if (d->cfg->alert_command == NULL || d->hooks == NULL)
		return;
	env[i++] = xasprintf("SCHEMAWATCH_EVENT=%s", event);
	env[i++] = xasprintf("SCHEMAWATCH_KIND=%s", kind);
	env[i++] = xasprintf("SCHEMAWATCH_%s=%s", strcmp(kind, "group") == 0 ? "GROUP" : "TARGET", name);
	env[i++] = xasprintf("SCHEMAWATCH_STATE=%s", state);
	env[i++] = xasprintf("SCHEMAWATCH_PREVIOUS_STATE=%s", prev);
	env[i++] = xasprintf("SCHEMAWATCH_DIFFERENCES=%d", ndiffs);
	env[i] = NULL;
	snprintf(what, sizeof what, "%s %s: %s", kind, name, state);
	hook_run(d->hooks, d->cfg->alert_command, env, json_text, d->cfg->alert_timeout_ms, what);
	while (i-- > 0)
		free(env[i]);
}

void
record_history(struct daemon *d, enum hist_kind kind, const char *name, const char *state,
    const char *prev, int ndiffs, const char *detail)
{
	struct hist_entry e = { 0 };
	char *err = NULL;

	if (d->hist == NULL)
		return;
	e.kind = kind;
	e.name = (char *)name;
	e.state = (char *)state;
	e.prev_state = (char *)prev;
	e.ndiffs = ndiffs;
	e.detail = (char *)detail;
	if (history_record(d->hist, &e, &err) != 0) {
		log_msg(LOG_WARNING, "%s %s: state change not stored: %s", hist_kind_name(kind),
		    name, err);
		free(err);
	}
	if (++d->hist_records >= HISTORY_PRUNE_EVERY) {
		d->hist_records = 0;
		if (history_prune(d->hist, HISTORY_KEEP_DEFAULT, &err) < 0) {
			log_msg(LOG_WARNING, "state.db: pruning failed: %s", err);
			free(err);
		}
	}
}

/* What identifies a set of differences for reporting: "object kind" lines,
 * in the (stable) order compare.c gives them. Expected/actual text is left
 * out so that a re-spelling that compares equal never counts as a change. */
static char *
diffs_fingerprint(const struct diff_list *l)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < l->n; i++)
		sbuf_printf(&sb, "%s %s\n", l->v[i].object, diff_kind_name(l->v[i].kind));
	return sbuf_steal(&sb);
}

/* The same from a stored event (history detail), NULL when it has none. */
static char *
diffs_fingerprint_json(const char *detail)
{
	json_t *doc = detail != NULL ? json_loads(detail, 0, NULL) : NULL;
	struct diff_list l = { NULL, 0 };
	char *fp = NULL;

	if (doc != NULL && report_diffs_from_json(json_object_get(doc, "differences"), &l) == 0)
		fp = diffs_fingerprint(&l);
	diff_list_free(&l);
	json_decref(doc);
	return fp;
}

static void
tgt_report_change(struct tgt *t, enum tgt_state from)
{
	struct daemon *d = t->d;
	struct change_kind ck = classify_change(from, t->state);
	const char *state = tgt_state_name(t->state);
	json_t *ev;
	char *summary, *text;

	if (t->state == ST_DRIFT) {
		/* Drift that changes (another object differs now) is news too. */
		summary = report_diffs_summary(&t->diffs, LOG_DIFFS_MAX);
		log_event(ck.priority, ck.ev, t->name, NULL, state,
		    "target %s: drift %s (%d difference%s): %s", t->name,
		    from == ST_DRIFT ? "changed" : "detected", t->diffs.n,
		    t->diffs.n == 1 ? "" : "s", summary);
		free(summary);
	} else if (t->error != NULL)
		log_event(ck.priority, ck.ev, t->name, NULL, state, "target %s: %s (was %s): %s",
		    t->name, state, tgt_state_name(from), t->error);
	else
		log_event(ck.priority, ck.ev, t->name, NULL, state, "target %s: %s (was %s)",
		    t->name, state, tgt_state_name(from));

	ev = tgt_event_json(t, ck.ev, from);
	text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	record_history(d, HIST_TARGET, t->name, state,
	    from == ST_UNKNOWN ? NULL : tgt_state_name(from), t->diffs.n, text);
	run_alert_hook(d, log_event_name(ck.ev), "target", t->name, state, tgt_state_name(from),
	    t->diffs.n, text);
	free(text);
	json_decref(ev);
}

static void
tgt_take_outcome(struct tgt *t, struct check_outcome *o)
{
	if (o->state != t->state) {
		/* A restart that finds the stored state keeps its original "since". */
		t->since_ms = (o->state == t->reported && t->reported_since > 0) ?
		    t->reported_since : o->finished_ms;
	}
	t->state = o->state;
	free(t->error);
	t->error = o->error;
	o->error = NULL;
	diff_list_free(&t->diffs);
	t->diffs = o->diffs;
	o->diffs.v = NULL;
	o->diffs.n = 0;
	/* Keep the last catalog read even when the target is down now: it is
	 * what `compare` and groups know of it. */
	if (o->cat != NULL) {
		cat_free(t->cat);
		t->cat = o->cat;
		o->cat = NULL;
	}
	t->last_check_ms = o->finished_ms;
	t->last_duration_ms = o->duration_ms;
	t->nchecks++;
	if (t->state == ST_UNREACHABLE || t->state == ST_ERROR) {
		t->nfailures++;
		t->backoff_step++;
	} else
		t->backoff_step = 0;
}

static void
tgt_check_done(struct check_outcome *o, void *arg)
{
	struct tgt *t = arg;
	struct daemon *d = t->d;
	enum tgt_state from = t->reported;
	char *fp;

	t->running = NULL;
	d->nrunning--;
	tgt_take_outcome(t, o);
	check_outcome_free(o);
	fp = diffs_fingerprint(&t->diffs);
	if (t->state != t->reported || (t->state == ST_DRIFT && t->reported_diffs != NULL &&
	    strcmp(fp, t->reported_diffs) != 0)) {
		t->reported = t->state;
		t->reported_since = t->since_ms;
		tgt_report_change(t, from);
	}
	free(t->reported_diffs);
	t->reported_diffs = fp;
	groups_member_changed(d, t);
	daemon_update_status(d);
	tgt_wake_waiters(t, t->check_seq, false);
	if (t->recheck) {
		t->recheck = false;
		tgt_enqueue(t);
	} else
		tgt_schedule(t, tgt_next_delay(t));
	daemon_dispatch(d);
	apply_auto(t);
}

/* ---- STATUS= ----------------------------------------------------------------- */

char *
daemon_status_line(const struct daemon *d)
{
	static const enum tgt_state order[] = {
		ST_OK, ST_PENDING, ST_DRIFT, ST_UNREACHABLE, ST_ERROR, ST_APPLYING, ST_UNKNOWN,
	};
	struct sbuf sb;
	int count[ST__COUNT] = { 0 }, i, k, shown;
	bool first = true;

	for (i = 0; i < d->ntargets; i++)
		count[d->targets[i]->state]++;
	sbuf_init(&sb);
	sbuf_printf(&sb, "%d target%s", d->ntargets, d->ntargets == 1 ? "" : "s");
	for (k = 0; k < (int)(sizeof order / sizeof order[0]); k++) {
		if (count[order[k]] == 0)
			continue;
		sbuf_printf(&sb, "%s %d %s", first ? ":" : ",", count[order[k]],
		    tgt_state_name(order[k]));
		first = false;
		if (order[k] != ST_DRIFT)
			continue;
		sbuf_add(&sb, " (");
		for (i = 0, shown = 0; i < d->ntargets; i++) {
			if (d->targets[i]->state != ST_DRIFT)
				continue;
			sbuf_printf(&sb, "%s%s: %d difference%s", shown++ ? ", " : "",
			    d->targets[i]->name, d->targets[i]->diffs.n,
			    d->targets[i]->diffs.n == 1 ? "" : "s");
		}
		sbuf_add(&sb, ")");
	}
	groups_status_append(d, &sb);
	return sbuf_steal(&sb);
}

static void
daemon_update_status(struct daemon *d)
{
	char *line = daemon_status_line(d);

	notify_status("%s", line);	/* notify.c sends only when it changed */
	free(line);
}

/* ---- targets ------------------------------------------------------------------ */

static struct tgt *
tgt_new(struct daemon *d, const struct cfg_target *ct)
{
	struct tgt *t = xcalloc(1, sizeof *t);

	t->d = d;
	t->name = xstrdup(ct->name);
	t->cfg = ct;
	t->state = ST_UNKNOWN;
	t->reported = ST_UNKNOWN;
	t->timer = evtimer_new(d->base, tgt_timer_cb, t);
	return t;
}

static void
tgt_free(struct tgt *t)
{
	if (t->running != NULL) {
		check_cancel(t->running);
		t->running = NULL;
		t->d->nrunning--;
	}
	if (t->queued)
		queue_remove(t->d, t);
	tgt_wake_waiters(t, 0, true);
	event_free(t->timer);
	diff_list_free(&t->diffs);
	cat_free(t->cat);
	free(t->error);
	free(t->reported_diffs);
	free(t->name);
	free(t);
}

/* Two definitions reach the same database the same way. */
static bool
same_target(const struct cfg_target *a, const struct cfg_target *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == CFG_PG)
		return strcmp(a->conninfo, b->conninfo) == 0 && strcmp(a->schema, b->schema) == 0;
	return strcmp(a->path, b->path) == 0;
}

static void
load_reported_states(struct daemon *d)
{
	struct hist_entry *e;
	struct tgt *t;
	char *err = NULL;
	int n, i, s;

	if (d->hist == NULL)
		return;
	if ((e = history_last_states(d->hist, HIST_TARGET, &n, &err)) == NULL) {
		log_msg(LOG_WARNING, "state.db: cannot read the last states: %s", err);
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((t = daemon_find_target(d, e[i].name)) == NULL ||
		    (s = tgt_state_parse(e[i].state)) < 0)
			continue;
		t->reported = s;
		t->reported_since = e[i].at_ms;
		free(t->reported_diffs);
		t->reported_diffs = diffs_fingerprint_json(e[i].detail);
	}
	hist_entries_free(e, n);
}

struct tgt *
daemon_find_target(struct daemon *d, const char *name)
{
	int i;

	for (i = 0; i < d->ntargets; i++)
		if (strcmp(d->targets[i]->name, name) == 0)
			return d->targets[i];
	return NULL;
}

static void
start_schedules(struct daemon *d)
{
	int i;

	for (i = 0; i < d->ntargets; i++)
		if (!evtimer_pending(d->targets[i]->timer, NULL) && d->targets[i]->running == NULL)
			tgt_schedule(d->targets[i], random() % FIRST_CHECK_SPREAD_MS);
}

/* ---- reload ---------------------------------------------------------------------- */

int
daemon_reload(struct daemon *d, char **err, char **restart_out)
{
	struct config *ncfg;
	struct tgt **nt, *old;
	char *restart;
	int i, j;

	notify_reloading();
	if ((ncfg = cfg_load(d->config_path, err)) == NULL ||
	    (*err = cfgcheck_reload(ncfg)) != NULL) {	/* as --check-config */
		cfg_free(ncfg);
		log_event(LOG_ERR, LOGEV_RELOAD_FAILED, NULL, NULL, NULL,
		    "reload failed, the running configuration stays: %s", *err);
		notify_ready();
		return -1;
	}
	if ((restart = cfg_restart_needed(d->cfg, ncfg)) != NULL)	/* only keys it changes */
		log_msg(LOG_WARNING, "reload: %s changed; that takes effect at the next restart",
		    restart);
	*restart_out = restart;
	nt = xcalloc((size_t)ncfg->ntargets + 1, sizeof *nt);
	for (i = 0; i < ncfg->ntargets; i++) {
		/* Keep the state of a target that still reaches the same
		 * database; taken ones are cleared from the old list. */
		for (j = 0; j < d->ntargets; j++) {
			old = d->targets[j];
			if (old != NULL && strcmp(old->name, ncfg->targets[i].name) == 0 &&
			    same_target(old->cfg, &ncfg->targets[i])) {
				d->targets[j] = NULL;
				old->cfg = &ncfg->targets[i];
				nt[i] = old;
				break;
			}
		}
		if (nt[i] == NULL)
			nt[i] = tgt_new(d, &ncfg->targets[i]);
	}
	/* What is left of the old list was removed or redefined. */
	for (j = 0; j < d->ntargets; j++)
		if (d->targets[j] != NULL)
			tgt_free(d->targets[j]);
	free(d->targets);
	d->targets = nt;
	d->ntargets = ncfg->ntargets;
	cfg_free(d->cfg);
	d->cfg = ncfg;
	cmd_admin_group_resolve(d);
	load_reported_states(d);
	groups_reload(d);
	start_schedules(d);
	log_event(LOG_INFO, LOGEV_DAEMON_RELOADED, NULL, NULL, NULL,
	    "configuration reloaded from %s: %d target%s", d->config_path, d->ntargets,
	    d->ntargets == 1 ? "" : "s");
	daemon_update_status(d);
	notify_ready();
	daemon_dispatch(d);
	return 0;
}

/* ---- signals and lifetime ------------------------------------------------------------ */

static void
on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	if (d->stopping)
		return;
	d->stopping = true;
	notify_stopping();
	log_msg(LOG_INFO, "%s received, stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	/* Checks are read-only: dropping them mid-way leaves nothing half-done. */
	event_base_loopbreak(d->base);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	char *err = NULL, *restart = NULL;

	if (daemon_reload(arg, &err, &restart) != 0)
		free(err);
	free(restart);
}

int
daemon_init(struct daemon *d, const char *config_path, struct config *cfg)
{
	char *err = NULL;
	int i;

	memset(d, 0, sizeof *d);
	srandom((unsigned)(now_usec() ^ (uint64_t)getpid()));
	d->config_path = xstrdup(config_path);
	d->cfg = cfg;
	d->started_ms = wall_ms();
	if ((d->base = event_base_new()) == NULL) {
		log_msg(LOG_ERR, "cannot create the event loop");
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_stop_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_stop_signal, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_hup, d);
	evsignal_add(d->sig_term, NULL);
	evsignal_add(d->sig_int, NULL);
	evsignal_add(d->sig_hup, NULL);

	if ((d->hist = history_open(cfg->state_dir, &err)) == NULL) {
		log_msg(LOG_WARNING, "running without history: %s", err);
		free(err);
		err = NULL;
	}
	d->hooks = hook_init(d->base);
	cmd_admin_group_resolve(d);
	d->targets = xcalloc((size_t)cfg->ntargets + 1, sizeof *d->targets);
	for (i = 0; i < cfg->ntargets; i++)
		d->targets[i] = tgt_new(d, &cfg->targets[i]);
	d->ntargets = cfg->ntargets;
	load_reported_states(d);
	groups_init(d);

	if ((d->ctl = ctl_init(d, &err)) == NULL) {
		log_msg(LOG_ERR, "control socket: %s", err);
		free(err);
		return -1;
	}
	if (cfg->metrics_listen != NULL &&
	    (d->metrics = metrics_init(d, cfg->metrics_listen, &err)) == NULL) {
		log_msg(LOG_ERR, "%s", err);
		free(err);
		return -1;
	}
	notify_init(d->base);
	start_schedules(d);
	log_event(LOG_INFO, LOGEV_DAEMON_STARTED, NULL, NULL, NULL,
	    "%s started with %s: %d target%s", PACKAGE_STRING, config_path, d->ntargets,
	    d->ntargets == 1 ? "" : "s");
	daemon_update_status(d);
	notify_ready();
	return 0;
}

int
daemon_run(struct daemon *d)
{
	return event_base_dispatch(d->base) < 0 ? -1 : 0;
}

void
daemon_fini(struct daemon *d)
{
	int i;

	if (d->ctl != NULL)
		ctl_fini(d->ctl);
	metrics_fini(d->metrics);
	groups_fini(d);
	for (i = 0; i < d->ntargets; i++)
		tgt_free(d->targets[i]);
	free(d->targets);
	free(d->queue);
	apply_fini(d);
	notify_fini();
	if (d->hooks != NULL)
		hook_fini(d->hooks);
	if (d->hist != NULL)
		history_close(d->hist);
	if (d->sig_term != NULL) {
		event_free(d->sig_term);
		event_free(d->sig_int);
		event_free(d->sig_hup);
	}
	if (d->base != NULL)
		event_base_free(d->base);
	cfg_free(d->cfg);
	free(d->config_path);
}

/* ---- migrations (migrate.c) ------------------------------------------------------------- */

/* The one apply in flight: from daemon_apply until its `done` has run. */
struct apply_op {
	struct daemon		*d;
	char			*target;	/* by name: a reload may replace the tgt */
	bool			 dry_run;
	bool			 automatic;	/* auto_apply, not a request */
	bool			 running;	/* the worker has not answered yet */
	enum tgt_state		 prev_state;	/* the target's state when it began */
	struct migrate_job	*job;
	struct migrate_result	*res;
	daemon_apply_cb		 cb;
	void			*arg;
};

bool
daemon_tgt_applying(const struct daemon *d, const struct tgt *t)
{
	const struct apply_op *op = d->apply;

	return op != NULL && op->running && !op->dry_run && strcmp(op->target, t->name) == 0;
}

void
daemon_apply_forget(struct daemon *d, void *arg)
{
	if (d->apply != NULL && d->apply->arg == arg)
		d->apply->cb = NULL;
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

/* The end: answer whoever asked, then let the next apply in. Always from
 * its own loop pass, never from inside the daemon's walks over targets. */
static void
apply_finish(evutil_socket_t fd, short what, void *arg)
{
	struct apply_op *op = arg;
	struct daemon *d = op->d;

	if (d->apply == op)
		d->apply = NULL;
	if (op->cb != NULL)
		op->cb(d, op->res, op->arg);
	apply_op_free(op);
}

static void
apply_finish_later(struct apply_op *op)
{
	static const struct timeval zero = { 0, 0 };

	if (event_base_once(op->d->base, -1, EV_TIMEOUT, apply_finish, op, &zero) < 0)
		abort();	/* libevent could not add a timer: out of memory */
}

static void
apply_rechecked(struct daemon *d, void *arg)
{
	apply_finish_later(arg);
}

static void
apply_record(struct apply_op *op, const struct migrate_result *r)
{
	json_t *detail = migrate_result_json(r, false);
	char *text;

	json_object_set_new(detail, "automatic", json_boolean(op->automatic));
	text = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER);
	record_history(op->d, HIST_APPLY, op->target, migrate_history_state(r),
	    tgt_state_name(op->prev_state), r->diffs.n, text);
	free(text);
	json_decref(detail);
}

/* Loop thread: the worker is done. */
static void
apply_job_done(struct migrate_result *r, void *arg)
{
	struct apply_op *op = arg;
	struct daemon *d = op->d;
	struct tgt *t = daemon_find_target(d, op->target);
	enum tgt_state st;

	op->job = NULL;
	op->running = false;
	op->res = r;
	migrate_log(r, op->automatic ? "automatically (auto_apply)" : "on request");
	if (r->dry_run || t == NULL || d->stopping) {
		if (!r->dry_run)
			apply_record(op, r);
		apply_finish_later(op);
		return;
	}
	apply_record(op, r);
	/* What the apply saw inside its transaction is the state now (the
	 * committed result, or what a rollback left); without a reading, the
	 * state from before. The check below confirms it. */
	st = (r->after == ST_OK || r->after == ST_PENDING || r->after == ST_DRIFT) ?
	    r->after : op->prev_state;
	t->state = st;
	t->since_ms = (st == t->reported && t->reported_since > 0) ? t->reported_since : wall_ms();
	/* A failed apply is not retried at once, nor is a downgrade undone
	 * at once by auto_apply: the next automatic one waits an interval. */
	t->auto_apply_after = wall_ms() + tgt_interval(t);
	daemon_update_status(d);
	daemon_check_now(d, t, apply_rechecked, op);
}

static int
apply_begin(struct daemon *d, struct tgt *t, bool downgrade, bool dry_run, bool automatic,
    daemon_apply_cb cb, void *arg, char **err)
{
	struct migrate_req req = { d->cfg, t->cfg, downgrade, dry_run };
	struct apply_op *op;

	if (d->apply != NULL) {
		*err = xasprintf("another apply is in flight in this daemon (target %s)",
		    d->apply->target);
		return -1;
	}
	if (d->stopping) {
		*err = xstrdup("the daemon is stopping");
		return -1;
	}
	op = xcalloc(1, sizeof *op);
	op->d = d;
	op->target = xstrdup(t->name);
	op->dry_run = dry_run;
	op->automatic = automatic;
	op->running = true;
	op->prev_state = t->state;
	op->cb = cb;
	op->arg = arg;
	d->apply = op;
	if (!dry_run) {
		/* A check running now would report a state from before (or a
		 * half-seen one): drop it; the apply checks again at its end. */
		if (t->running != NULL) {
			check_cancel(t->running);
			t->running = NULL;
			d->nrunning--;
		}
		if (t->queued)
			queue_remove(d, t);
		evtimer_del(t->timer);
		t->state = ST_APPLYING;
		t->since_ms = wall_ms();
		groups_member_changed(d, t);	/* its groups are unknown meanwhile */
		daemon_update_status(d);
		daemon_dispatch(d);	/* a check slot may have come free */
	}
	log_msg(LOG_INFO, "target %s: %s%s%s started", t->name, dry_run ? "dry run of the " : "",
	    migrate_action_name(downgrade), automatic ? " (auto_apply)" : "");
	op->job = migrate_start(d->base, &req, apply_job_done, op);
	return 0;
}

int
daemon_apply(struct daemon *d, struct tgt *t, bool downgrade, bool dry_run, daemon_apply_cb done,
    void *arg, char **err)
{
	return apply_begin(d, t, downgrade, dry_run, false, done, arg, err);
}

/* auto_apply: upgrade only, only from pending, only where the target allows it. */
static void
apply_auto(struct tgt *t)
{
	struct daemon *d = t->d;
	char *err = NULL;

	if (!t->cfg->auto_apply || t->state != ST_PENDING || d->apply != NULL || d->stopping ||
	    wall_ms() < t->auto_apply_after)
		return;
	log_msg(LOG_NOTICE, "target %s: pending and auto_apply is on: applying the upgrade",
	    t->name);
	if (apply_begin(d, t, false, false, true, NULL, NULL, &err) < 0) {
		log_msg(LOG_WARNING, "target %s: auto_apply: %s", t->name, err);
		free(err);
	}
}

/* Shutdown: the worker is abandoned; it rolls back by itself (or the process
 * exit closes its connection, which rolls back too). */
static void
apply_fini(struct daemon *d)
{
	if (d->apply != NULL)
		apply_op_free(d->apply);
	d->apply = NULL;
}

/* reporter.c — one change -> log + history + hook + STATUS=, exactly once.
 * See reporter.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "alertq.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "report.h"
#include "reporter.h"
#include "util.h"

#define HISTORY_PRUNE_EVERY	200	/* records between two prunes */
#define LOG_DIFFS_MAX		10	/* differences named in one log line */

/* What was last reported for one name. */
struct rep_entry {
	enum rep_kind	 kind;
	char		*name;
	int		 state;		/* enum tgt_state / grp_state */
	int64_t		 since;
	char		*fp;		/* the differences last seen (targets:
					 * diffs_fingerprint, diverged groups:
					 * group_fingerprint); NULL: not known */
};

struct reporter {
	struct history		 *hist;
	struct hook_mgr		 *hooks;
	struct alertq		 *alerts;	/* NULL: history only, no hook */
	const struct config	 *cfg;
	struct rep_entry	 *v;
	int			  n;
	int			  records;	/* since the last prune */
	char			*(*status_line)(void *);
	void			 *status_arg;
};

/* ---- what was reported ------------------------------------------------------- */

static struct rep_entry *
entry_find(const struct reporter *rep, enum rep_kind kind, const char *name)
{
	int i;

	for (i = 0; i < rep->n; i++)
		if (rep->v[i].kind == kind && strcmp(rep->v[i].name, name) == 0)
			return &rep->v[i];
	return NULL;
}

/* Unknown names start at "unknown" (0 in both enums), nothing reported. */
static struct rep_entry *
entry_get(struct reporter *rep, enum rep_kind kind, const char *name)
{
	struct rep_entry *e = entry_find(rep, kind, name);

	if (e != NULL)
		return e;
	rep->v = xreallocarray(rep->v, (size_t)rep->n + 1, sizeof *rep->v);
	e = &rep->v[rep->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->name = xstrdup(name);
	return e;
}

/* What identifies a set of differences for reporting: "object kind" lines,
 * in the (stable) order compare.c gives them. Expected/actual text is left
 * out so that a re-spelling that compares equal never counts as a change;
 * a rename's new name is no spelling (renamed again is news), so it stays. */
static char *
diffs_fingerprint(const struct diff_list *l)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; l != NULL && i < l->n; i++) {
		sbuf_printf(&sb, "%s %s", l->v[i].object, diff_kind_name(l->v[i].kind));
		if (diff_kind_is_rename(l->v[i].kind) && l->v[i].actual != NULL)
			sbuf_printf(&sb, " %s", l->v[i].actual);
		sbuf_addc(&sb, '\n');
	}
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

static const char *
jstr(const json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? s : "";
}

/* A group's differences as reported: "object kind member" lines, from the
 * JSON array groups.c builds ({"object","kind","members":[A,B],...}). */
static char *
group_fingerprint(json_t *arr)
{
	struct sbuf sb;
	size_t i;
	json_t *d;

	if (!json_is_array(arr))
		return NULL;
	sbuf_init(&sb);
	json_array_foreach(arr, i, d) {
		json_t *m = json_object_get(d, "members");

		sbuf_printf(&sb, "%s %s %s\n", jstr(json_object_get(d, "object")),
		    jstr(json_object_get(d, "kind")), jstr(json_array_get(m, 1)));
	}
	return sbuf_steal(&sb);
}

static char *
group_fingerprint_json(const char *detail)
{
	json_t *doc = detail != NULL ? json_loads(detail, 0, NULL) : NULL;
	char *fp = doc != NULL ? group_fingerprint(json_object_get(doc, "differences")) : NULL;

	json_decref(doc);
	return fp;
}

/* Take the last reported states of one kind from state.db, for names not
 * known in memory. */
static void
load_kind(struct reporter *rep, enum rep_kind kind)
{
	enum hist_kind hk = kind == REP_TARGET ? HIST_TARGET : HIST_GROUP;
	struct hist_entry *e;
	struct rep_entry *r;
	char *err = NULL;
	int n, i, s;

	if ((e = history_last_states(rep->hist, hk, &n, &err)) == NULL) {
		log_msg(LOG_WARNING, "state.db: cannot read the last %sstates: %s",
		    kind == REP_GROUP ? "group " : "", err);
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		s = kind == REP_TARGET ? tgt_state_parse(e[i].state) : -1;
		if (kind == REP_GROUP)
			for (int k = 0; k < GS__COUNT; k++)
				if (strcmp(grp_state_name(k), e[i].state) == 0)
					s = k;
		if (s < 0 || entry_find(rep, kind, e[i].name) != NULL)
			continue;
		r = entry_get(rep, kind, e[i].name);
		r->state = s;
		r->since = e[i].at_ms;
		r->fp = kind == REP_TARGET ? diffs_fingerprint_json(e[i].detail) :
		    s == GS_DIVERGED ? group_fingerprint_json(e[i].detail) : NULL;
	}
	hist_entries_free(e, n);
}

void
reporter_reload(struct reporter *rep)
{
	if (rep->hist == NULL)
		return;
	load_kind(rep, REP_TARGET);
	load_kind(rep, REP_GROUP);
}

struct reporter *
reporter_new(struct history *hist, struct hook_mgr *hooks)
{
	struct reporter *rep = xcalloc(1, sizeof *rep);

	rep->hist = hist;
	rep->hooks = hooks;
	reporter_reload(rep);
	return rep;
}

void
reporter_free(struct reporter *rep)
{
	int i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].name);
		free(rep->v[i].fp);
	}
	free(rep->v);
	free(rep);
}

void
reporter_configure(struct reporter *rep, const struct config *cfg)
{
	rep->cfg = cfg;
	if (rep->alerts != NULL)
		alertq_configure(rep->alerts, cfg->alert_command, cfg->alert_timeout_ms);
}

void
reporter_use_alerts(struct reporter *rep, struct alertq *q)
{
	rep->alerts = q;
	if (rep->cfg != NULL)
		alertq_configure(q, rep->cfg->alert_command, rep->cfg->alert_timeout_ms);
}

void
reporter_set_status(struct reporter *rep, char *(*line)(void *), void *arg)
{
	rep->status_line = line;
	rep->status_arg = arg;
}

void
reporter_status(struct reporter *rep)
{
	char *line;

	if (rep->status_line == NULL)
		return;
	line = rep->status_line(rep->status_arg);
	notify_status("%s", line);	/* notify.c sends only when it changed */
	free(line);
}

int
reporter_last(const struct reporter *rep, enum rep_kind kind, const char *name, int64_t *since)
{
	const struct rep_entry *e = entry_find(rep, kind, name);

	if (e == NULL)
		return -1;
	if (since != NULL)
		*since = e->since;
	return e->state;
}

void
reporter_forget(struct reporter *rep, enum rep_kind kind, const char *name)
{
	struct rep_entry *e = entry_find(rep, kind, name);

	if (e == NULL)
		return;
	free(e->name);
	free(e->fp);
	*e = rep->v[--rep->n];
}

char **
reporter_target_names(const struct reporter *rep, const char *prefix, int *n)
{
	char **v = xcalloc((size_t)rep->n + 1, sizeof *v);
	size_t len = strlen(prefix);
	int i;

	*n = 0;
	for (i = 0; i < rep->n; i++)
		if (rep->v[i].kind == REP_TARGET && strncmp(rep->v[i].name, prefix, len) == 0)
			v[(*n)++] = xstrdup(rep->v[i].name);
	return v;
}

/* ---- the sinks: history and the alert hook ---------------------------------------- */

/* Prune now and then, not after each record: it walks the whole table. */
static void
prune_sometimes(struct reporter *rep)
{
	char *err = NULL;

	if (rep->hist == NULL || ++rep->records < HISTORY_PRUNE_EVERY)
		return;
	rep->records = 0;
	if (history_prune(rep->hist, HISTORY_KEEP_DEFAULT, &err) < 0) {
		log_msg(LOG_WARNING, "state.db: pruning failed: %s", err);
		free(err);
	}
}

/* History and the alert hook, together: alertq.c stores the history entry
 * and the undelivered alert in one transaction, then delivers it. */
static void
emit(struct reporter *rep, enum log_event ev, enum hist_kind hk, const char *name,
    const char *state, const char *prev, int ndiffs, const char *json_text)
{
	const char *kind = hist_kind_name(hk);
	struct hist_entry e = { 0 };
	char *env[8], what[256];
	int i = 0;

	e.kind = hk;
	e.name = (char *)name;
	e.state = (char *)state;
	e.prev_state = (char *)prev;
	e.ndiffs = ndiffs;
	e.detail = (char *)json_text;
	env[i++] = xasprintf("SCHEMAWATCH_EVENT=%s", log_event_name(ev));
	env[i++] = xasprintf("SCHEMAWATCH_KIND=%s", kind);
	env[i++] = xasprintf("SCHEMAWATCH_%s=%s", hk == HIST_GROUP ? "GROUP" : "TARGET", name);
	env[i++] = xasprintf("SCHEMAWATCH_STATE=%s", state);
	env[i++] = xasprintf("SCHEMAWATCH_PREVIOUS_STATE=%s", prev != NULL ? prev : "unknown");
	env[i++] = xasprintf("SCHEMAWATCH_DIFFERENCES=%d", ndiffs);
	env[i] = NULL;
	snprintf(what, sizeof what, "%s %s: %s", kind, name, state);
	if (rep->alerts != NULL)
		alertq_push(rep->alerts, rep->hist != NULL ? &e : NULL, env, json_text, what);
	else if (rep->hist != NULL) {
		char *err = NULL;

		if (history_record(rep->hist, &e, &err) != 0) {
			log_msg(LOG_WARNING, "%s: state change not stored: %s", what, err);
			free(err);
		}
	}
	prune_sometimes(rep);
	while (i-- > 0)
		free(env[i]);
}

static char *
json_text_steal(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	if (text == NULL)
		text = xstrdup("{}");
	return text;
}

/* ---- targets ------------------------------------------------------------------------ */

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

static char *
target_event_text(const struct rep_target *t, enum log_event ev, enum tgt_state from)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:I}",
	    "event", log_event_name(ev), "kind", "target", "name", utf8_json(t->name),
	    "target_kind", t->kind, "state", tgt_state_name(t->state),
	    "previous_state", tgt_state_name(from), "at_ms", (json_int_t)t->at_ms);
	struct target_report r = { .state = t->state, .expected = t->expected,
	    .revision = t->revision, .closest = t->closest, .behind = t->behind,
	    .ahead = t->ahead };

	report_revision_json(o, &r);
	if (t->error != NULL)
		json_object_set_new(o, "error", utf8_json(t->error));
	json_object_set_new(o, "differences", report_diffs_json(t->diffs));
	return json_text_steal(o);
}

static void
target_log(const struct rep_target *t, struct change_kind ck, enum tgt_state from)
{
	const char *state = tgt_state_name(t->state);
	char *summary;

	if (t->state == ST_DRIFT) {
		/* Drift that changes (another object differs now) is news too. */
		summary = report_diffs_summary(t->diffs, LOG_DIFFS_MAX);
		log_event(ck.priority, ck.ev, t->name, NULL, state,
		    "target %s: drift %s (%d difference%s): %s", t->name,
		    from == ST_DRIFT ? "changed" : "detected", t->diffs->n,
		    t->diffs->n == 1 ? "" : "s", summary);
		free(summary);
	} else if (t->error != NULL)
		log_event(ck.priority, ck.ev, t->name, NULL, state, "target %s: %s (was %s): %s",
		    t->name, state, tgt_state_name(from), t->error);
	else
		log_event(ck.priority, ck.ev, t->name, NULL, state, "target %s: %s (was %s)",
		    t->name, state, tgt_state_name(from));
}

bool
reporter_target(struct reporter *rep, const struct rep_target *t)
{
	struct rep_entry *e = entry_get(rep, REP_TARGET, t->name);
	enum tgt_state from = e->state;
	struct change_kind ck;
	char *fp = diffs_fingerprint(t->diffs), *text;
	int n = t->diffs != NULL ? t->diffs->n : 0;
	bool news;

	news = t->state != from ||
	    (t->state == ST_DRIFT && e->fp != NULL && strcmp(fp, e->fp) != 0);
	/* The differences last seen, reported or not: "changed" is against them. */
	free(e->fp);
	e->fp = fp;
	if (news) {
		e->state = t->state;
		e->since = t->since_ms;
		ck = classify_change(from, t->state);
		target_log(t, ck, from);
		text = target_event_text(t, ck.ev, from);
		emit(rep, ck.ev, HIST_TARGET, t->name, tgt_state_name(t->state),
		    from == ST_UNKNOWN ? NULL : tgt_state_name(from), n, text);
		free(text);
	}
	reporter_status(rep);
	return news;
}

/* A schema row whose schema was dropped: news once, as the state
 * "removed" (no tgt_state: the row is gone), then nothing is kept, so a
 * schema created again later is a new row. */
void
reporter_target_removed(struct reporter *rep, const struct rep_target *t)
{
	struct rep_entry *e = entry_find(rep, REP_TARGET, t->name);
	const char *from = e != NULL && e->state != ST_UNKNOWN ? tgt_state_name(e->state) : NULL;
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s?, s:I}",
	    "event", log_event_name(LOGEV_TARGET_STATE), "kind", "target",
	    "name", utf8_json(t->name), "target_kind", t->kind, "state", "removed",
	    "previous_state", from, "at_ms", (json_int_t)t->at_ms);
	char *text;

	json_object_set_new(o, "error", utf8_json(t->error));
	json_object_set_new(o, "differences", json_array());
	text = json_text_steal(o);
	log_event(LOG_NOTICE, LOGEV_TARGET_STATE, t->name, NULL, "removed",
	    "target %s: removed (was %s): %s", t->name, from != NULL ? from : "unknown",
	    t->error);
	emit(rep, LOGEV_TARGET_STATE, HIST_TARGET, t->name, "removed", from, 0, text);
	free(text);
	reporter_forget(rep, REP_TARGET, t->name);
	reporter_status(rep);
}

/* ---- groups ------------------------------------------------------------------------- */

static char *
group_event_text(const struct rep_group *g, enum log_event ev, enum grp_state from)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:O, s:O}",
	    "event", log_event_name(ev), "kind", "group", "name", utf8_json(g->name),
	    "state", grp_state_name(g->state), "previous_state", grp_state_name(from),
	    "at_ms", (json_int_t)g->since_ms, "members", g->members,
	    "differences", g->differences);

	return json_text_steal(o);
}

static void
group_log(const struct rep_group *g, enum log_event ev, enum grp_state from, bool changed)
{
	const char *state = grp_state_name(g->state);

	if (g->state == GS_DIVERGED)
		log_event(LOG_WARNING, ev, NULL, g->name, state,
		    "group %s: %s (%d difference%s): %s", g->name,
		    changed ? "divergence changed" : "diverged", g->ndiffs,
		    g->ndiffs == 1 ? "" : "s", g->summary != NULL ? g->summary : "");
	else
		log_event(LOG_NOTICE, ev, NULL, g->name, state, "group %s: converged (was %s)",
		    g->name, grp_state_name(from));
}

bool
reporter_group(struct reporter *rep, const struct rep_group *g)
{
	struct rep_entry *e = entry_get(rep, REP_GROUP, g->name);
	enum grp_state from = e->state;
	const char *state = grp_state_name(g->state);
	enum log_event ev;
	char *text, *fp;
	bool changed;

	if (g->state == GS_UNKNOWN) {
		/* Not an alert: the member's own change already is one. */
		if (g->prev != GS_UNKNOWN)
			log_msg(LOG_INFO, "group %s: unknown (%s)", g->name,
			    g->reason != NULL ? g->reason : "not judged");
		reporter_status(rep);
		return false;
	}
	/* Diverged in another way than last reported is news, like a
	 * target's "drift changed": another object differs now. */
	fp = g->state == GS_DIVERGED ? group_fingerprint(g->differences) : NULL;
	changed = g->state == GS_DIVERGED && from == GS_DIVERGED && e->fp != NULL &&
	    fp != NULL && strcmp(fp, e->fp) != 0;
	free(e->fp);
	e->fp = fp;
	if ((int)g->state == e->state && !changed) {
		reporter_status(rep);
		return false;
	}
	e->state = g->state;
	e->since = g->since_ms;
	ev = g->state == GS_DIVERGED ? LOGEV_GROUP_DIVERGED : LOGEV_GROUP_CONVERGED;
	group_log(g, ev, from, changed);
	text = group_event_text(g, ev, from);
	emit(rep, ev, HIST_GROUP, g->name, state, from == GS_UNKNOWN ? NULL : grp_state_name(from),
	    g->ndiffs, text);
	free(text);
	reporter_status(rep);
	return true;
}

/* ---- applies ------------------------------------------------------------------------- */

void
reporter_apply(struct reporter *rep, const struct migrate_result *r, bool automatic,
    enum tgt_state prev)
{
	enum log_event ev = r->outcome == MIGRATE_APPLIED ? LOGEV_MIGRATION_APPLIED :
	    LOGEV_MIGRATION_FAILED;
	json_t *detail;
	char *text;

	migrate_log(r, automatic ? "automatically (auto_apply)" : "on request");
	/* Nothing happened: no history, no alert (only the log line). */
	if (r->dry_run || r->nothing_to_do) {
		reporter_status(rep);
		return;
	}
	detail = migrate_result_json(r, false);
	json_object_set_new(detail, "automatic", json_boolean(automatic));
	text = json_text_steal(detail);
	/* The state the apply found inside its transaction is the true
	 * "previous" one; ours may be a check old (or "applying"). */
	if (r->before != ST_UNKNOWN)
		prev = r->before;
	emit(rep, ev, HIST_APPLY, r->target, migrate_history_state(r), tgt_state_name(prev),
	    r->diffs.n, text);
	free(text);
	reporter_status(rep);
}

/* groups.c — divergence groups: judging members against each other, and
 * reporting a change of a group's state once. See groups.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "groups.h"
#include "history.h"
#include "log.h"
#include "report.h"
#include "util.h"

#define GRP_LOG_DIFFS_MAX	10	/* differences named in one log line */

/* ---- names and small helpers ------------------------------------------------- */

int
grp_state_parse(const char *s)
{
	int i;

	for (i = 0; i < GS__COUNT; i++)
		if (strcmp(grp_state_name(i), s) == 0)
			return i;
	return -1;
}

/* A JSON string that is never NULL: database texts (defaults, predicates) may
 * in theory hold bytes that are not UTF-8, which json_string refuses. */
static json_t *
jtext(const char *s)
{
	json_t *j;
	char *copy, *p;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	copy = xstrdup(s);
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static void
grp_diffs_free(struct grp_diff *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].d.object);
		free(v[i].d.expected);
		free(v[i].d.actual);
	}
	free(v);
}

void
grp_verdict_free(struct grp_verdict *v)
{
	free(v->reason);
	grp_diffs_free(v->diffs, v->ndiffs);
	memset(v, 0, sizeof *v);
}

/* ---- judging ------------------------------------------------------------------- */

/* Why a member's schema is not known now, or NULL when it is. A member that
 * is down keeps its last catalog (for `compare`), but a group verdict built
 * on it would be stale: unknown instead. */
static char *
member_unknown_reason(const char *name, const struct tgt *t)
{
	if (t == NULL)
		return xasprintf("%s is not a target", name);
	switch (t->state) {
	case ST_UNKNOWN:
	case ST_UNREACHABLE:
	case ST_ERROR:
	case ST_APPLYING:
		return xasprintf("%s is %s", name, tgt_state_name(t->state));
	default:
		break;
	}
	if (t->cat == NULL)
		return xasprintf("%s has not been read yet", name);
	return NULL;
}

/* Move the differences of members[0] against members[b] into the verdict. */
static void
verdict_add_pair(struct grp_verdict *v, const struct catalog *ref, const struct catalog *other,
    int b)
{
	struct diff_list dl = { NULL, 0 };
	int i;

	compare_catalogs(ref, other, &dl);
	if (dl.n == 0)
		return;
	v->diffs = xreallocarray(v->diffs, (size_t)v->ndiffs + (size_t)dl.n, sizeof *v->diffs);
	for (i = 0; i < dl.n; i++) {
		v->diffs[v->ndiffs].a = 0;
		v->diffs[v->ndiffs].b = b;
		v->diffs[v->ndiffs].d = dl.v[i];	/* the strings move */
		v->ndiffs++;
	}
	free(dl.v);
}

void
grp_judge(const struct grp *g, struct tgt *const *members, struct grp_verdict *out)
{
	int i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < g->nmembers; i++) {
		if ((out->reason = member_unknown_reason(g->members[i], members[i])) != NULL) {
			out->state = GS_UNKNOWN;
			return;
		}
	}
	for (i = 1; i < g->nmembers; i++)
		verdict_add_pair(out, members[0]->cat, members[i]->cat, i);
	out->state = out->ndiffs > 0 ? GS_DIVERGED : GS_CONVERGED;
}

/* ---- JSON ------------------------------------------------------------------------ */

json_t *
grp_diffs_json(const struct grp *g)
{
	json_t *arr = json_array();
	const struct grp_diff *gd;
	int i;

	for (i = 0; i < g->ndiffs; i++) {
		gd = &g->diffs[i];
		json_array_append_new(arr, json_pack("{s:o, s:s, s:[s,s], s:o, s:o}",
		    "object", jtext(gd->d.object), "kind", diff_kind_name(gd->d.kind),
		    "members", g->members[gd->a], g->members[gd->b],
		    "expected", jtext(gd->d.expected), "actual", jtext(gd->d.actual)));
	}
	return arr;
}

static json_t *
members_json(const struct grp *g)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < g->nmembers; i++)
		json_array_append_new(arr, json_string(g->members[i]));
	return arr;
}

json_t *
grp_json(const struct grp *g)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "state", json_string(grp_state_name(g->state)));
	json_object_set_new(o, "since", report_iso_time(g->since_ms));
	json_object_set_new(o, "since_ms", g->since_ms > 0 ? json_integer(g->since_ms) :
	    json_null());
	json_object_set_new(o, "members", members_json(g));
	json_object_set_new(o, "reason", jtext(g->reason));
	json_object_set_new(o, "differences", grp_diffs_json(g));
	return o;
}

json_t *
groups_json(const struct daemon *d)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < d->ngroups; i++)
		json_array_append_new(arr, grp_json(d->groups[i]));
	return arr;
}

/* ---- reporting a change ------------------------------------------------------------ */

/* "prompt_results.latency_ms column_type (dev: integer, prod: bigint); ..." */
static char *
grp_diffs_summary(const struct grp *g)
{
	const struct grp_diff *gd;
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < g->ndiffs && i < GRP_LOG_DIFFS_MAX; i++) {
		gd = &g->diffs[i];
		sbuf_printf(&sb, "%s%s %s (%s: %s, %s: %s)", i ? "; " : "", gd->d.object,
		    diff_kind_name(gd->d.kind), g->members[gd->a],
		    gd->d.expected != NULL ? gd->d.expected : "none", g->members[gd->b],
		    gd->d.actual != NULL ? gd->d.actual : "none");
	}
	if (g->ndiffs > GRP_LOG_DIFFS_MAX)
		sbuf_printf(&sb, "; and %d more", g->ndiffs - GRP_LOG_DIFFS_MAX);
	return sbuf_steal(&sb);
}

static char *
grp_event_text(const struct grp *g, enum log_event ev, enum grp_state from)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}",
	    "event", log_event_name(ev), "kind", "group", "name", g->name,
	    "state", grp_state_name(g->state), "previous_state", grp_state_name(from),
	    "at_ms", (json_int_t)g->since_ms, "members", members_json(g),
	    "differences", grp_diffs_json(g));
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return text;
}

static void
grp_report_change(struct daemon *d, struct grp *g, enum grp_state from)
{
	enum log_event ev = g->state == GS_DIVERGED ? LOGEV_GROUP_DIVERGED : LOGEV_GROUP_CONVERGED;
	const char *state = grp_state_name(g->state);
	char *summary, *text;

	if (g->state == GS_DIVERGED) {
		summary = grp_diffs_summary(g);
		log_event(LOG_WARNING, ev, NULL, g->name, state,
		    "group %s: diverged (%d difference%s): %s", g->name, g->ndiffs,
		    g->ndiffs == 1 ? "" : "s", summary);
		free(summary);
	} else
		log_event(LOG_NOTICE, ev, NULL, g->name, state, "group %s: converged (was %s)",
		    g->name, grp_state_name(from));
	text = grp_event_text(g, ev, from);
	record_history(d, HIST_GROUP, g->name, state,
	    from == GS_UNKNOWN ? NULL : grp_state_name(from), g->ndiffs, text);
	run_alert_hook(d, log_event_name(ev), "group", g->name, state, grp_state_name(from),
	    g->ndiffs, text);
	free(text);
}

/* Take a verdict into the group; report it when it is news. */
static void
grp_take(struct daemon *d, struct grp *g, struct grp_verdict *v)
{
	enum grp_state prev = g->state, from = g->reported;
	int64_t now = wall_ms();

	if (v->state != g->state)
		/* Back to the state stored before a restart: keep its "since". */
		g->since_ms = (v->state == g->reported && g->reported_since > 0) ?
		    g->reported_since : now;
	g->state = v->state;
	free(g->reason);
	g->reason = v->reason;
	grp_diffs_free(g->diffs, g->ndiffs);
	g->diffs = v->diffs;
	g->ndiffs = v->ndiffs;
	memset(v, 0, sizeof *v);

	if (g->state == GS_UNKNOWN) {
		if (prev != GS_UNKNOWN)
			log_msg(LOG_INFO, "group %s: unknown (%s)", g->name, g->reason);
		return;
	}
	if (g->state == g->reported)
		return;
	g->reported = g->state;
	g->reported_since = g->since_ms;
	grp_report_change(d, g, from);
}

static void
grp_update(struct daemon *d, struct grp *g)
{
	struct tgt **m = xcalloc((size_t)g->nmembers, sizeof *m);
	struct grp_verdict v;
	int i;

	for (i = 0; i < g->nmembers; i++)
		m[i] = daemon_find_target(d, g->members[i]);
	grp_judge(g, m, &v);
	free(m);
	grp_take(d, g, &v);
}

static bool
grp_has_member(const struct grp *g, const char *name)
{
	int i;

	for (i = 0; i < g->nmembers; i++)
		if (strcmp(g->members[i], name) == 0)
			return true;
	return false;
}

void
groups_member_changed(struct daemon *d, const struct tgt *t)
{
	int i;

	for (i = 0; i < d->ngroups; i++)
		if (grp_has_member(d->groups[i], t->name))
			grp_update(d, d->groups[i]);
}

/* ---- lifetime ----------------------------------------------------------------------- */

static struct grp *
grp_new(const struct cfg_group *cg)
{
	struct grp *g = xcalloc(1, sizeof *g);
	int i;

	g->name = xstrdup(cg->name);
	g->members = xcalloc((size_t)cg->nmembers, sizeof *g->members);
	for (i = 0; i < cg->nmembers; i++)
		g->members[i] = xstrdup(cg->members[i]);
	g->nmembers = cg->nmembers;
	g->state = GS_UNKNOWN;
	g->reported = GS_UNKNOWN;
	g->since_ms = wall_ms();
	g->reason = xstrdup("not judged yet");
	return g;
}

static void
grp_free(struct grp *g)
{
	int i;

	for (i = 0; i < g->nmembers; i++)
		free(g->members[i]);
	free(g->members);
	free(g->reason);
	grp_diffs_free(g->diffs, g->ndiffs);
	free(g->name);
	free(g);
}

static bool
grp_same_definition(const struct grp *g, const struct cfg_group *cg)
{
	int i;

	if (strcmp(g->name, cg->name) != 0 || g->nmembers != cg->nmembers)
		return false;
	for (i = 0; i < g->nmembers; i++)
		if (strcmp(g->members[i], cg->members[i]) != 0)
			return false;
	return true;
}

static struct grp *
groups_find(struct grp **v, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL && strcmp(v[i]->name, name) == 0)
			return v[i];
	return NULL;
}

/* The last state each group reported, so that a restart (or a group
 * re-created by a reload) does not alert again for it. Only groups still
 * at GS_UNKNOWN reported are touched. */
static void
groups_load_reported(struct daemon *d)
{
	struct hist_entry *e;
	struct grp *g;
	char *err = NULL;
	int n, i, s;

	if (d->hist == NULL)
		return;
	if ((e = history_last_states(d->hist, HIST_GROUP, &n, &err)) == NULL) {
		log_msg(LOG_WARNING, "state.db: cannot read the last group states: %s", err);
		free(err);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((g = groups_find(d->groups, d->ngroups, e[i].name)) == NULL ||
		    g->reported != GS_UNKNOWN || (s = grp_state_parse(e[i].state)) < 0)
			continue;
		g->reported = s;
		g->reported_since = e[i].at_ms;
	}
	hist_entries_free(e, n);
}

void
groups_init(struct daemon *d)
{
	int i;

	d->ngroups = d->cfg->ngroups;
	d->groups = xcalloc((size_t)d->ngroups + 1, sizeof *d->groups);
	for (i = 0; i < d->ngroups; i++)
		d->groups[i] = grp_new(&d->cfg->groups[i]);
	groups_load_reported(d);
}

void
groups_reload(struct daemon *d)
{
	const struct config *cfg = d->cfg;
	struct grp **ng, *old;
	int i, j;

	ng = xcalloc((size_t)cfg->ngroups + 1, sizeof *ng);
	for (i = 0; i < cfg->ngroups; i++) {
		for (j = 0; j < d->ngroups; j++) {
			old = d->groups[j];
			if (old != NULL && grp_same_definition(old, &cfg->groups[i])) {
				d->groups[j] = NULL;	/* taken */
				ng[i] = old;
				break;
			}
		}
		if (ng[i] == NULL)
			ng[i] = grp_new(&cfg->groups[i]);
	}
	for (j = 0; j < d->ngroups; j++)
		if (d->groups[j] != NULL)
			grp_free(d->groups[j]);
	free(d->groups);
	d->groups = ng;
	d->ngroups = cfg->ngroups;
	groups_load_reported(d);
	/* Members may have been added, removed or redefined. */
	for (i = 0; i < d->ngroups; i++)
		grp_update(d, d->groups[i]);
}

void
groups_fini(struct daemon *d)
{
	int i;

	for (i = 0; i < d->ngroups; i++)
		grp_free(d->groups[i]);
	free(d->groups);
	d->groups = NULL;
	d->ngroups = 0;
}

/* ---- STATUS= ---------------------------------------------------------------------------- */

void
groups_status_append(const struct daemon *d, struct sbuf *sb)
{
	static const enum grp_state order[] = { GS_CONVERGED, GS_DIVERGED, GS_UNKNOWN };
	int count[GS__COUNT] = { 0 }, i, k, shown;
	bool first = true;
	const struct grp *g;

	if (d->ngroups == 0)
		return;
	for (i = 0; i < d->ngroups; i++)
		count[d->groups[i]->state]++;
	sbuf_printf(sb, "; %d group%s", d->ngroups, d->ngroups == 1 ? "" : "s");
	for (k = 0; k < (int)(sizeof order / sizeof order[0]); k++) {
		if (count[order[k]] == 0)
			continue;
		sbuf_printf(sb, "%s %d %s", first ? ":" : ",", count[order[k]],
		    grp_state_name(order[k]));
		first = false;
		if (order[k] != GS_DIVERGED)
			continue;
		sbuf_add(sb, " (");
		for (i = 0, shown = 0; i < d->ngroups; i++) {
			g = d->groups[i];
			if (g->state != GS_DIVERGED)
				continue;
			sbuf_printf(sb, "%s%s: %d difference%s", shown++ ? ", " : "", g->name,
			    g->ndiffs, g->ndiffs == 1 ? "" : "s");
		}
		sbuf_add(sb, ")");
	}
}

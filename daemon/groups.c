/* groups.c — divergence groups: judging members against each other, and
 * handing every verdict to the reporter. See groups.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "groups.h"
#include "report.h"
#include "reporter.h"
#include "target.h"
#include "util.h"

#define GRP_LOG_DIFFS_MAX	10	/* differences named in one log line */

struct groups {
	struct tgt_reg	 *reg;
	struct reporter	 *rep;
	struct grp	**v;		/* configuration order */
	int		  n;
};

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
member_unknown_reason(const char *name, const struct tgt_view *t)
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
verdict_add_pair(struct grp_verdict *v, const struct tgt_view *ref, const struct tgt_view *other,
    int b)
{
	struct diff_list dl = { NULL, 0 };
	int i;

	state_compare_members(ref->cat, ref->def, other->cat, other->def, &dl);
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
grp_judge(const struct grp *g, const struct tgt_view *const *members, struct grp_verdict *out)
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
		verdict_add_pair(out, members[0], members[i], i);
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
		json_array_append_new(arr, json_pack("{s:o, s:s, s:[o,o], s:o, s:o}",
		    "object", utf8_json(gd->d.object), "kind", diff_kind_name(gd->d.kind),
		    "members", utf8_json(g->members[gd->a]), utf8_json(g->members[gd->b]),
		    "expected", utf8_json(gd->d.expected), "actual", utf8_json(gd->d.actual)));
	}
	return arr;
}

static json_t *
members_json(const struct grp *g)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < g->nmembers; i++)
		json_array_append_new(arr, utf8_json(g->members[i]));
	return arr;
}

json_t *
grp_json(const struct grp *g)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", utf8_json(g->name));
	json_object_set_new(o, "state", json_string(grp_state_name(g->state)));
	json_object_set_new(o, "since", report_iso_time(g->since_ms));
	json_object_set_new(o, "since_ms", g->since_ms > 0 ? json_integer(g->since_ms) :
	    json_null());
	json_object_set_new(o, "members", members_json(g));
	json_object_set_new(o, "reason", utf8_json(g->reason));
	json_object_set_new(o, "differences", grp_diffs_json(g));
	return o;
}

json_t *
groups_json(const struct groups *gs)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; gs != NULL && i < gs->n; i++)
		json_array_append_new(arr, grp_json(gs->v[i]));
	return arr;
}

int
groups_count(const struct groups *gs)
{
	return gs != NULL ? gs->n : 0;
}

const struct grp *
groups_at(const struct groups *gs, int i)
{
	return gs != NULL && i >= 0 && i < gs->n ? gs->v[i] : NULL;
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

/* Take a verdict into the group and hand it to the reporter. */
static void
grp_take(struct groups *gs, struct grp *g, struct grp_verdict *v)
{
	struct rep_group ev = { 0 };
	enum grp_state prev = g->state;
	int64_t since = 0;
	char *summary = NULL;

	if (v->state != g->state) {
		/* Back to the state stored before a restart: keep its "since". */
		if (reporter_last(gs->rep, REP_GROUP, g->name, &since) != (int)v->state ||
		    since <= 0)
			since = wall_ms();
		g->since_ms = since;
	}
	g->state = v->state;
	free(g->reason);
	g->reason = v->reason;
	grp_diffs_free(g->diffs, g->ndiffs);
	g->diffs = v->diffs;
	g->ndiffs = v->ndiffs;
	memset(v, 0, sizeof *v);

	ev.name = g->name;
	ev.state = g->state;
	ev.prev = prev;
	ev.reason = g->reason;
	ev.ndiffs = g->ndiffs;
	ev.since_ms = g->since_ms;
	if (g->state == GS_DIVERGED)
		ev.summary = summary = grp_diffs_summary(g);
	ev.members = members_json(g);
	ev.differences = grp_diffs_json(g);
	reporter_group(gs->rep, &ev);
	json_decref(ev.members);
	json_decref(ev.differences);
	free(summary);
}

static void
grp_update(struct groups *gs, struct grp *g)
{
	struct tgt_view *views = xcalloc((size_t)g->nmembers, sizeof *views);
	const struct tgt_view **m = xcalloc((size_t)g->nmembers, sizeof *m);
	struct grp_verdict v;
	struct tgt *t;
	int i;

	for (i = 0; i < g->nmembers; i++) {
		if ((t = tgt_find(gs->reg, g->members[i])) == NULL)
			continue;
		tgt_view(t, &views[i]);
		m[i] = &views[i];
	}
	grp_judge(g, m, &v);
	free(m);
	free(views);
	grp_take(gs, g, &v);
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
groups_target_changed(void *arg, const struct tgt *t, enum tgt_event ev)
{
	struct groups *gs = arg;
	int i;

	/* The state an apply leaves is confirmed by the check that follows;
	 * judging the old catalog meanwhile could only report something stale. */
	if (ev == TGT_RESTATED)
		return;
	for (i = 0; i < gs->n; i++)
		if (grp_has_member(gs->v[i], tgt_name(t)))
			grp_update(gs, gs->v[i]);
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

struct groups *
groups_new(struct tgt_reg *reg, struct reporter *rep, const struct config *cfg)
{
	struct groups *gs = xcalloc(1, sizeof *gs);
	int i;

	gs->reg = reg;
	gs->rep = rep;
	gs->n = cfg->ngroups;
	gs->v = xcalloc((size_t)gs->n + 1, sizeof *gs->v);
	for (i = 0; i < gs->n; i++)
		gs->v[i] = grp_new(&cfg->groups[i]);
	tgt_reg_subscribe(reg, groups_target_changed, gs);
	return gs;
}

void
groups_reload(struct groups *gs, const struct config *cfg)
{
	struct grp **ng, *old;
	int i, j;

	ng = xcalloc((size_t)cfg->ngroups + 1, sizeof *ng);
	for (i = 0; i < cfg->ngroups; i++) {
		for (j = 0; j < gs->n; j++) {
			old = gs->v[j];
			if (old != NULL && grp_same_definition(old, &cfg->groups[i])) {
				gs->v[j] = NULL;	/* taken */
				ng[i] = old;
				break;
			}
		}
		if (ng[i] == NULL)
			ng[i] = grp_new(&cfg->groups[i]);
	}
	for (j = 0; j < gs->n; j++) {
		if (gs->v[j] == NULL)
			continue;
		/* Redefined or removed: what it reported is taken from
		 * state.db again if the name comes back (reporter_reload). */
		reporter_forget(gs->rep, REP_GROUP, gs->v[j]->name);
		grp_free(gs->v[j]);
	}
	free(gs->v);
	gs->v = ng;
	gs->n = cfg->ngroups;
	reporter_reload(gs->rep);
	/* Members may have been added, removed or redefined. */
	for (i = 0; i < gs->n; i++)
		grp_update(gs, gs->v[i]);
}

void
groups_free(struct groups *gs)
{
	int i;

	if (gs == NULL)
		return;
	for (i = 0; i < gs->n; i++)
		grp_free(gs->v[i]);
	free(gs->v);
	free(gs);
}

/* ---- STATUS= ---------------------------------------------------------------------------- */

void
groups_status_append(const struct groups *gs, struct sbuf *sb)
{
	static const enum grp_state order[] = { GS_CONVERGED, GS_DIVERGED, GS_UNKNOWN };
	int count[GS__COUNT] = { 0 }, i, k, shown;
	bool first = true;
	const struct grp *g;

	if (gs == NULL || gs->n == 0)
		return;
	for (i = 0; i < gs->n; i++)
		count[gs->v[i]->state]++;
	sbuf_printf(sb, "; %d group%s", gs->n, gs->n == 1 ? "" : "s");
	for (k = 0; k < (int)(sizeof order / sizeof order[0]); k++) {
		if (count[order[k]] == 0)
			continue;
		sbuf_printf(sb, "%s %d %s", first ? ":" : ",", count[order[k]],
		    grp_state_name(order[k]));
		first = false;
		if (order[k] != GS_DIVERGED)
			continue;
		sbuf_add(sb, " (");
		for (i = 0, shown = 0; i < gs->n; i++) {
			g = gs->v[i];
			if (g->state != GS_DIVERGED)
				continue;
			sbuf_printf(sb, "%s%s: %d difference%s", shown++ ? ", " : "", g->name,
			    g->ndiffs, g->ndiffs == 1 ? "" : "s");
		}
		sbuf_add(sb, ")");
	}
}

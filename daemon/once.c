/* once.c — one pass over every target, outside the daemon. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/event.h>
#include <jansson.h>

#include "check.h"
#include "groups.h"
#include "once.h"
#include "report.h"
#include "util.h"

struct once {
	struct event_base	 *base;
	const struct config	 *cfg;
	struct defset		 *defs;
	struct check_outcome	**outcomes;	/* per target, NULL until done */
	int			  next;		/* next target to start */
	int			  running;
};

struct once_slot {
	struct once	*o;
	int		 idx;
};

static void once_start_more(struct once *);

static void
once_done(struct check_outcome *out, void *arg)
{
	struct once_slot *slot = arg;
	struct once *o = slot->o;

	o->outcomes[slot->idx] = out;
	o->running--;
	free(slot);
	once_start_more(o);
	/* Kept connections are watched by events on the loop: close them, or
	 * the loop would never run out of events and return. */
	if (o->running == 0)
		probe_close_kept();
}

static void
once_start_more(struct once *o)
{
	struct once_slot *slot;
	int limit = o->cfg->max_concurrent > 0 ? o->cfg->max_concurrent : 1;

	while (o->running < limit && o->next < o->cfg->ntargets) {
		slot = xmalloc(sizeof *slot);
		slot->o = o;
		slot->idx = o->next++;
		o->running++;
		check_start(o->base, o->cfg, &o->cfg->targets[slot->idx], o->defs, once_done,
		    slot);
	}
}

static int
once_status(enum tgt_state s)
{
	switch (s) {
	case ST_OK:
		return ONCE_ALL_OK;
	case ST_DRIFT:
	case ST_PENDING:
	case ST_AHEAD:
		return ONCE_NOT_OK;
	default:
		return ONCE_FAILED;
	}
}

/* The groups judged from this pass's catalogs, as `status` shows them
 * (groups.h), so that --once --json answers for groups too. */
static json_t *
once_groups_json(const struct once *o)
{
	json_t *arr = json_array();
	int i, k, t;

	for (i = 0; i < o->cfg->ngroups; i++) {
		const struct cfg_group *cg = &o->cfg->groups[i];
		struct tgt_view *views = xcalloc((size_t)cg->nmembers, sizeof *views);
		const struct tgt_view **m = xcalloc((size_t)cg->nmembers, sizeof *m);
		struct grp g = { 0 };
		struct grp_verdict v;

		for (k = 0; k < cg->nmembers; k++) {
			for (t = 0; t < o->cfg->ntargets; t++) {
				if (strcmp(o->cfg->targets[t].name, cg->members[k]) != 0)
					continue;
				views[k].name = o->cfg->targets[t].name;
				views[k].state = o->outcomes[t]->state;
				views[k].cat = o->outcomes[t]->cat;
				views[k].def = o->outcomes[t]->def;
				views[k].diffs = &o->outcomes[t]->diffs;
				m[k] = &views[k];
			}
		}
		g.name = cg->name;
		g.members = cg->members;
		g.nmembers = cg->nmembers;
		grp_judge(&g, m, &v);
		g.state = v.state;
		g.reason = v.reason;
		g.diffs = v.diffs;
		g.ndiffs = v.ndiffs;
		json_array_append_new(arr, grp_json(&g));
		grp_verdict_free(&v);
		free(m);
		free(views);
	}
	return arr;
}

static void
once_row(struct target_report *r, const char *name, const char *kind,
    const struct check_outcome *out)
{
	r->name = name;
	r->kind = kind;
	r->state = out->state;
	r->error = out->error;
	r->diffs = &out->diffs;
	r->expected = out->expected;
	r->revision = out->revision;
	r->closest = out->closest;
	r->behind = out->behind;
	r->ahead = out->ahead;
}

static int
once_report(const struct once *o, bool json)
{
	struct target_report *r;
	struct check_outcome *out;
	json_t *doc, *arr;
	char *text, **names;
	const char *kind;
	int i, k, n = 0, rows = 0, rc = ONCE_ALL_OK, s;

	/* A schemas: target is its row, then one row per schema. */
	for (i = 0; i < o->cfg->ntargets; i++)
		rows += 1 + o->outcomes[i]->nschemas;
	r = xcalloc((size_t)rows + 1, sizeof *r);
	names = xcalloc((size_t)rows + 1, sizeof *names);
	for (i = 0; i < o->cfg->ntargets; i++) {
		out = o->outcomes[i];
		kind = cfg_target_kind_name(&o->cfg->targets[i]);
		once_row(&r[n++], o->cfg->targets[i].name, kind, out);
		for (k = 0; k < out->nschemas; k++) {
			names[n] = xasprintf("%s/%s", o->cfg->targets[i].name, out->schemas[k].name);
			once_row(&r[n], names[n], kind, out->schemas[k].o);
			n++;
		}
	}
	for (i = 0; i < rows; i++)
		if ((s = once_status(r[i].state)) > rc)
			rc = s;
	if (json) {
		arr = json_array();
		for (i = 0; i < rows; i++)
			json_array_append_new(arr, report_target_json(&r[i]));
		doc = json_pack("{s:o, s:o}", "targets", arr, "groups", once_groups_json(o));
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text);
		free(text);
		json_decref(doc);
	} else
		report_human(stdout, r, rows);
	for (i = 0; i < rows; i++)
		free(names[i]);
	free(names);
	free(r);
	return rc;
}

int
once_run(const struct config *cfg, bool json)
{
	struct once o = { 0 };
	char *err = NULL;
	int i, rc;

	/* The definitions are part of the configuration: refused alike. */
	if ((o.defs = defset_load(cfg, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		return EX_CONFIG_STATUS;
	}
	if ((o.base = event_base_new()) == NULL) {
		/* Only without memory (or descriptors): as fatal as out of memory. */
		fputs("schemawatchd: cannot create the event loop\n", stderr);
		defset_unref(o.defs);
		return ONCE_FAILED;
	}
	o.cfg = cfg;
	o.outcomes = xcalloc((size_t)cfg->ntargets + 1, sizeof *o.outcomes);
	once_start_more(&o);
	if (o.running > 0)
		event_base_dispatch(o.base);
	rc = once_report(&o, json);
	for (i = 0; i < cfg->ntargets; i++)
		check_outcome_free(o.outcomes[i]);
	free(o.outcomes);
	event_base_free(o.base);
	defset_unref(o.defs);
	return rc;
}

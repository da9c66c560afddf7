/* target.c — the registry of targets and their live state. See target.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "defset.h"
#include "reporter.h"
#include "target.h"
#include "util.h"

struct tgt {
	char			*name;
	const struct cfg_target	*cfg;		/* into the registry's config */
	enum tgt_state		 state;
	int64_t			 since_ms;
	int64_t			 last_check_ms;
	int64_t			 last_duration_ms;
	char			*error;
	struct diff_list	 diffs;
	struct catalog		*cat;
	struct defset		*defs;		/* holds def, which cat was judged by */
	const struct definition	*def;
	char			*expected;	/* revisions: see check_outcome */
	char			*revision;
	char			*closest;
	int			 behind;
	int			 ahead;
	uint64_t		 nchecks;
	uint64_t		 nfailures;
	uint64_t		 ncat_reads;
	uint64_t		 ncat_reused;
	struct sched_job	*job;		/* the service's; not owned */
	/* schemas: a configured target's schema rows, by schema name; a
	 * schema row's target, schema and view of the configuration (its
	 * target's, with the row's name and schema: what apply needs). */
	struct tgt		**kids;
	int			 nkids;
	struct tgt		*parent;
	char			*schema;
	struct cfg_target	 kcfg;
	bool			 inherited;
	bool			 kids_read;	/* its schemas were read once */
};

struct tgt_sub {
	tgt_changed_fn	 fn;
	void		*arg;
};

struct tgt_reg {
	struct reporter	 *rep;
	struct tgt	**v;		/* configuration order */
	int		  n;
	struct tgt	**rows;		/* v with each one's kids after it */
	int		  nrows;
	struct tgt_sub	 *subs;
	int		  nsubs;
};

struct tgt_reg *
tgt_reg_new(struct reporter *rep)
{
	struct tgt_reg *reg = xcalloc(1, sizeof *reg);

	reg->rep = rep;
	return reg;
}

static struct tgt *
tgt_new(const struct cfg_target *ct)
{
	struct tgt *t = xcalloc(1, sizeof *t);

	t->name = xstrdup(ct->name);
	t->cfg = ct;
	t->state = ST_UNKNOWN;
	return t;
}

/* A schema row's configuration: its target's, under the row's name, for
 * its one schema; refreshed when a reload swaps the target's. */
static void
kid_set_cfg(struct tgt *k)
{
	k->kcfg = *k->parent->cfg;
	k->kcfg.name = k->name;
	k->kcfg.schema = k->schema;
	k->kcfg.schemas = NULL;
	k->kcfg.nschemas = 0;
	k->cfg = &k->kcfg;
}

static struct tgt *
kid_new(struct tgt *parent, const char *schema)
{
	struct tgt *k = xcalloc(1, sizeof *k);

	k->name = xasprintf("%s/%s", parent->name, schema);
	k->schema = xstrdup(schema);
	k->parent = parent;
	k->state = ST_UNKNOWN;
	kid_set_cfg(k);
	return k;
}

static void
tgt_free(struct tgt *t)
{
	int i;

	for (i = 0; i < t->nkids; i++)
		tgt_free(t->kids[i]);
	free(t->kids);
	free(t->schema);
	diff_list_free(&t->diffs);
	cat_free(t->cat);
	defset_unref(t->defs);
	free(t->error);
	free(t->expected);
	free(t->revision);
	free(t->closest);
	free(t->name);
	free(t);
}

void
tgt_reg_free(struct tgt_reg *reg)
{
	int i;

	if (reg == NULL)
		return;
	for (i = 0; i < reg->n; i++)
		tgt_free(reg->v[i]);
	free(reg->v);
	free(reg->rows);
	free(reg->subs);
	free(reg);
}

void
tgt_reg_subscribe(struct tgt_reg *reg, tgt_changed_fn fn, void *arg)
{
	reg->subs = xreallocarray(reg->subs, (size_t)reg->nsubs + 1, sizeof *reg->subs);
	reg->subs[reg->nsubs].fn = fn;
	reg->subs[reg->nsubs].arg = arg;
	reg->nsubs++;
}

static void
tgt_emit(struct tgt_reg *reg, const struct tgt *t, enum tgt_event ev)
{
	int i;

	for (i = 0; i < reg->nsubs; i++)
		reg->subs[i].fn(reg->subs[i].arg, t, ev);
}

/* Two definitions reach the same database the same way. Changed patterns
 * keep the target: its next check adds and removes schema rows. */
static bool
same_target(const struct cfg_target *a, const struct cfg_target *b)
{
	if (a->kind != b->kind || (a->nschemas > 0) != (b->nschemas > 0))
		return false;
	if (a->kind == CFG_PG)
		return strcmp(a->conninfo, b->conninfo) == 0 &&
		    (a->nschemas > 0 || strcmp(a->schema, b->schema) == 0);
	return strcmp(a->path, b->path) == 0;
}

static void
rows_rebuild(struct tgt_reg *reg)
{
	int i, k, n = 0;

	for (i = 0; i < reg->n; i++)
		n += 1 + reg->v[i]->nkids;
	free(reg->rows);
	reg->rows = xcalloc((size_t)n + 1, sizeof *reg->rows);
	reg->nrows = 0;
	for (i = 0; i < reg->n; i++) {
		reg->rows[reg->nrows++] = reg->v[i];
		for (k = 0; k < reg->v[i]->nkids; k++)
			reg->rows[reg->nrows++] = reg->v[i]->kids[k];
	}
}

/* A target leaves with its schema rows: what they reported comes from
 * state.db again if they come back. */
static void
forget_kids(struct tgt_reg *reg, const struct tgt *t)
{
	int k;

	for (k = 0; reg->rep != NULL && k < t->nkids; k++)
		reporter_forget(reg->rep, REP_TARGET, t->kids[k]->name);
}

void
tgt_reg_configure(struct tgt_reg *reg, const struct config *cfg,
    void (*removed)(void *, struct tgt *), void *arg)
{
	struct tgt **nv, *old;
	int i, j;

	nv = xcalloc((size_t)cfg->ntargets + 1, sizeof *nv);
	for (i = 0; i < cfg->ntargets; i++) {
		/* Keep the state of a target that still reaches the same
		 * database; taken ones are cleared from the old list. */
		for (j = 0; j < reg->n; j++) {
			old = reg->v[j];
			if (old != NULL && strcmp(old->name, cfg->targets[i].name) == 0 &&
			    same_target(old->cfg, &cfg->targets[i])) {
				reg->v[j] = NULL;
				old->cfg = &cfg->targets[i];
				for (int k = 0; k < old->nkids; k++)
					kid_set_cfg(old->kids[k]);
				nv[i] = old;
				break;
			}
		}
		if (nv[i] == NULL)
			nv[i] = tgt_new(&cfg->targets[i]);
	}
	/* What is left of the old list was removed or redefined. */
	for (j = 0; j < reg->n; j++) {
		if (reg->v[j] == NULL)
			continue;
		if (removed != NULL)
			removed(arg, reg->v[j]);
		forget_kids(reg, reg->v[j]);
		tgt_free(reg->v[j]);
	}
	free(reg->v);
	reg->v = nv;
	reg->n = cfg->ntargets;
	rows_rebuild(reg);
}

int
tgt_count(const struct tgt_reg *reg)
{
	return reg->n;
}

struct tgt *
tgt_at(const struct tgt_reg *reg, int i)
{
	return i >= 0 && i < reg->n ? reg->v[i] : NULL;
}

int
tgt_row_count(const struct tgt_reg *reg)
{
	return reg->nrows;
}

struct tgt *
tgt_row_at(const struct tgt_reg *reg, int i)
{
	return i >= 0 && i < reg->nrows ? reg->rows[i] : NULL;
}

struct tgt *
tgt_find(const struct tgt_reg *reg, const char *name)
{
	int i;

	for (i = 0; i < reg->nrows; i++)
		if (strcmp(reg->rows[i]->name, name) == 0)
			return reg->rows[i];
	return NULL;
}

struct tgt *
tgt_parent(const struct tgt *t)
{
	return t->parent;
}

void
tgt_view(const struct tgt *t, struct tgt_view *v)
{
	v->name = t->name;
	v->cfg = t->cfg;
	v->kind = cfg_target_kind_name(t->cfg);
	v->state = t->state;
	v->since_ms = t->since_ms;
	v->last_check_ms = t->last_check_ms;
	v->last_duration_ms = t->last_duration_ms;
	v->error = t->error;
	v->diffs = &t->diffs;
	v->cat = t->cat;
	v->def = t->def;
	v->expected = t->expected;
	v->revision = t->revision;
	v->closest = t->closest;
	v->behind = t->behind;
	v->ahead = t->ahead;
	v->nchecks = t->nchecks;
	v->nfailures = t->nfailures;
	v->ncat_reads = t->ncat_reads;
	v->ncat_reused = t->ncat_reused;
	v->parent = t->parent != NULL ? t->parent->name : NULL;
	v->schema = t->schema;
	v->inherited = t->inherited;
	v->nschemas = t->nkids;
}

const char *
tgt_name(const struct tgt *t)
{
	return t->name;
}

const struct cfg_target *
tgt_cfg(const struct tgt *t)
{
	return t->cfg;
}

enum tgt_state
tgt_state(const struct tgt *t)
{
	return t->state;
}

struct sched_job *
tgt_job(const struct tgt *t)
{
	return t->parent != NULL ? t->parent->job : t->job;
}

void
tgt_set_job(struct tgt *t, struct sched_job *job)
{
	t->job = job;
}

/* A new state begins now, unless it is the one stored before a restart:
 * then it keeps the stored "since". */
static void
tgt_enter(struct tgt_reg *reg, struct tgt *t, enum tgt_state st, int64_t now)
{
	int64_t since = 0;

	if (st == t->state)
		return;
	if (reg->rep != NULL && reporter_last(reg->rep, REP_TARGET, t->name, &since) == (int)st &&
	    since > 0)
		now = since;
	t->since_ms = now;
	t->state = st;
}

/* Where the check placed the target on its chain. */
static void
tgt_take_revisions(struct tgt *t, struct check_outcome *o)
{
	free(t->expected);
	free(t->revision);
	free(t->closest);
	t->expected = o->expected;
	t->revision = o->revision;
	t->closest = o->closest;
	o->expected = o->revision = o->closest = NULL;
	t->behind = o->behind;
	t->ahead = o->ahead;
}

/* The outcome into t, without telling anyone. */
static bool
tgt_take_one(struct tgt_reg *reg, struct tgt *t, struct check_outcome *o)
{
	bool failed;

	tgt_enter(reg, t, o->state, o->finished_ms);
	free(t->error);
	t->error = o->error;
	o->error = NULL;
	diff_list_free(&t->diffs);
	t->diffs = o->diffs;
	o->diffs.v = NULL;
	o->diffs.n = 0;
	tgt_take_revisions(t, o);
	/* Keep the last catalog read even when the target is down now: it is
	 * what `compare` and groups know of it. */
	if (o->cat != NULL) {
		if (o->cat_reused)
			t->ncat_reused++;
		else
			t->ncat_reads++;
		cat_free(t->cat);
		t->cat = o->cat;
		o->cat = NULL;
		defset_unref(t->defs);
		t->defs = o->defs;
		t->def = o->def;
		o->defs = NULL;
	}
	t->last_check_ms = o->finished_ms;
	t->last_duration_ms = o->duration_ms;
	t->nchecks++;
	failed = t->state == ST_UNREACHABLE || t->state == ST_ERROR;
	if (failed)
		t->nfailures++;
	t->inherited = false;
	return failed;
}

/* The target could not be read: each schema row shows why, inherited. */
static void
kids_fail(struct tgt_reg *reg, struct tgt *t, const struct check_outcome *o)
{
	struct check_outcome ko;
	int k;

	for (k = 0; k < t->nkids; k++) {
		memset(&ko, 0, sizeof ko);
		ko.state = o->state;
		/* The target has taken o's strings already. */
		ko.error = t->error != NULL ? xstrdup(t->error) : NULL;
		ko.expected = t->expected != NULL ? xstrdup(t->expected) : NULL;
		ko.finished_ms = o->finished_ms;
		ko.duration_ms = o->duration_ms;
		tgt_take_one(reg, t->kids[k], &ko);
		t->kids[k]->inherited = true;
		free(ko.error);
		free(ko.expected);
	}
}

/* The schema rows become those of o (both in name order): existing rows
 * are kept, new ones made; the rest go into *gone (caller emits, frees). */
static void
kids_sync(struct tgt_reg *reg, struct tgt *t, const struct check_outcome *o,
    struct tgt ***gone, int *ngone)
{
	struct tgt **nk = xcalloc((size_t)o->nschemas + 1, sizeof *nk);
	int i, k = 0;

	*gone = xcalloc((size_t)t->nkids + 1, sizeof **gone);
	*ngone = 0;
	for (i = 0; i < o->nschemas; i++) {
		while (k < t->nkids && strcmp(t->kids[k]->schema, o->schemas[i].name) < 0)
			(*gone)[(*ngone)++] = t->kids[k++];
		if (k < t->nkids && strcmp(t->kids[k]->schema, o->schemas[i].name) == 0)
			nk[i] = t->kids[k++];
		else
			nk[i] = kid_new(t, o->schemas[i].name);
	}
	while (k < t->nkids)
		(*gone)[(*ngone)++] = t->kids[k++];
	free(t->kids);
	t->kids = nk;
	t->nkids = o->nschemas;
	rows_rebuild(reg);
}

/* The first read of a target's schemas (since start or its redefinition):
 * rows reported before (state.db) whose schema is not there any more were
 * dropped while nobody looked; they go into *gone like the others. */
static void
kids_missed(struct tgt_reg *reg, struct tgt *t, struct tgt ***gone, int *ngone)
{
	char *prefix, **names;
	int i, n;

	t->kids_read = true;
	if (reg->rep == NULL)
		return;
	prefix = xasprintf("%s/", t->name);
	names = reporter_target_names(reg->rep, prefix, &n);
	*gone = xreallocarray(*gone, (size_t)*ngone + (size_t)n + 1, sizeof **gone);
	for (i = 0; i < n; i++) {
		if (tgt_find(reg, names[i]) == NULL)
			(*gone)[(*ngone)++] = kid_new(t, names[i] + strlen(prefix));
		free(names[i]);
	}
	free(names);
	free(prefix);
}

/* A schemas: target's rows after its own outcome is taken and emitted. */
static void
kids_take(struct tgt_reg *reg, struct tgt *t, struct check_outcome *o)
{
	struct tgt **gone;
	int i, ngone;

	if (!o->schemas_read) {
		kids_fail(reg, t, o);
		for (i = 0; i < t->nkids; i++)
			tgt_emit(reg, t->kids[i], TGT_CHECKED);
		return;
	}
	kids_sync(reg, t, o, &gone, &ngone);
	if (!t->kids_read)
		kids_missed(reg, t, &gone, &ngone);
	for (i = 0; i < ngone; i++) {
		tgt_emit(reg, gone[i], TGT_REMOVED);
		tgt_free(gone[i]);
	}
	free(gone);
	for (i = 0; i < t->nkids; i++) {
		tgt_take_one(reg, t->kids[i], o->schemas[i].o);
		tgt_emit(reg, t->kids[i], TGT_CHECKED);
	}
}

bool
tgt_take_outcome(struct tgt_reg *reg, struct tgt *t, struct check_outcome *o)
{
	bool failed = tgt_take_one(reg, t, o);

	tgt_emit(reg, t, TGT_CHECKED);
	if (o->per_schema)
		kids_take(reg, t, o);
	return failed;
}

void
tgt_set_state(struct tgt_reg *reg, struct tgt *t, enum tgt_state st, enum tgt_event ev)
{
	if (ev == TGT_HELD) {
		/* `applying` always begins now. */
		t->state = st;
		t->since_ms = wall_ms();
	} else
		tgt_enter(reg, t, st, wall_ms());
	tgt_emit(reg, t, ev);
}

void
tgt_status_append(const struct tgt_reg *reg, struct sbuf *sb)
{
	static const enum tgt_state order[] = {
		ST_OK, ST_PENDING, ST_DRIFT, ST_UNREACHABLE, ST_ERROR, ST_APPLYING, ST_UNKNOWN,
	};
	int count[ST__COUNT] = { 0 }, i, k, shown;
	bool first = true;
	const struct tgt *t;

	for (i = 0; i < reg->nrows; i++)
		count[reg->rows[i]->state]++;
	sbuf_printf(sb, "%d target%s", reg->nrows, reg->nrows == 1 ? "" : "s");
	for (k = 0; k < (int)(sizeof order / sizeof order[0]); k++) {
		if (count[order[k]] == 0)
			continue;
		sbuf_printf(sb, "%s %d %s", first ? ":" : ",", count[order[k]],
		    tgt_state_name(order[k]));
		first = false;
		if (order[k] != ST_DRIFT)
			continue;
		sbuf_add(sb, " (");
		for (i = 0, shown = 0; i < reg->nrows; i++) {
			t = reg->rows[i];
			if (t->state != ST_DRIFT)
				continue;
			sbuf_printf(sb, "%s%s: %d difference%s", shown++ ? ", " : "", t->name,
			    t->diffs.n, t->diffs.n == 1 ? "" : "s");
		}
		sbuf_add(sb, ")");
	}
}

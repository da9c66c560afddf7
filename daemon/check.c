/* check.c — probe a target and turn what it read into a state.
 *
 * What is read and what it is judged against both come from the target's
 * definition: its tables and version table for the probe, its compiled
 * catalogs for the verdict (state_verdict_def). The check holds the set of
 * definitions it started with, so a reload in the meantime changes the
 * next check, never half of this one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pgcat.h"
#include "util.h"

struct check {
	struct probe		*probe;
	struct defset		*defs;
	char			*target;	/* name, to find its definition */
	char			*patterns;	/* schemas: for messages; NULL: one schema */
	bool			 all;		/* scope: schema: everything was read */
	check_done_cb		 cb;
	void			*arg;
};

const char *
cfg_target_kind_name(const struct cfg_target *t)
{
	return t->kind == CFG_PG ? "postgresql" : "sqlite";
}

bool
cfg_target_scope_schema(const struct cfg_target *t)
{
	return t->scope != NULL && strcmp(t->scope, "schema") == 0;
}

/* The verdict against the chain, with the revision names copied out. */
static void
check_judge(struct check *ctx, struct check_outcome *o, const struct cat_version *ver)
{
	const struct definition *def;
	struct rev_verdict v;
	const char *row = STATE_VERSION_UNKNOWN;
	int expected;

	if ((def = defset_find(ctx->defs, ctx->target, &expected)) == NULL) {
		/* Not in the set: cannot happen (the set is loaded with the
		 * configuration the check started from); say so rather than
		 * judge against nothing. */
		o->state = ST_ERROR;
		o->error = xasprintf("no definition is loaded for target %s", ctx->target);
		return;
	}
	/* No version table at all: nothing is recorded, so nothing can
	 * disagree (databases built from the SQL by hand, the V7 corpora). A
	 * table with no row, or another row, is a record that can. */
	if (ver->read && ver->table)
		row = ver->row;
	o->state = state_verdict_def(def, expected, o->cat, row, &o->diffs, &v);
	o->defs = defset_ref(ctx->defs);
	o->def = def;
	o->expected = xstrdup(def->revs[expected].id);
	if (v.at >= 0)
		o->revision = xstrdup(def->revs[v.at].id);
	if (v.state == ST_DRIFT && v.closest >= 0)
		o->closest = xstrdup(def->revs[v.closest].id);
	o->behind = v.behind;
	o->ahead = v.ahead;
}

/* "tenant_*, shop_?" for a message. */
static char *
patterns_text(const struct cfg_target *t)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < t->nschemas; i++)
		sbuf_printf(&sb, "%s%s", i > 0 ? ", " : "", t->schemas[i]);
	return sbuf_steal(&sb);
}

/* schemas: each schema read is judged on its own; the target itself is
 * ok (read), or error when nothing matched. */
static void
check_judge_schemas(struct check *ctx, struct check_outcome *o, struct probe_result *r)
{
	struct check_outcome *so;
	int i;

	o->schemas_read = true;
	o->schemas = xcalloc((size_t)r->nschemas + 1, sizeof *o->schemas);
	for (i = 0; i < r->nschemas; i++) {
		so = xcalloc(1, sizeof *so);
		so->duration_ms = o->duration_ms;
		so->round_trips = o->round_trips;
		so->finished_ms = o->finished_ms;
		so->cat = r->schemas[i].cat;
		r->schemas[i].cat = NULL;
		check_judge(ctx, so, &r->schemas[i].version);
		o->schemas[i].name = xstrdup(r->schemas[i].name);
		o->schemas[i].o = so;
	}
	o->nschemas = r->nschemas;
	o->state = ST_OK;
	if (o->nschemas == 0) {
		o->state = ST_ERROR;
		o->error = xasprintf("no schema matches %s", ctx->patterns);
	}
}

static void
check_probe_done(struct probe_result *r, void *arg)
{
	struct check *ctx = arg;
	struct check_outcome *o = xcalloc(1, sizeof *o);
	int expected;
	const struct definition *def = defset_find(ctx->defs, ctx->target, &expected);

	o->duration_ms = r->duration_ms;
	o->round_trips = r->round_trips;
	o->cat_reused = r->cat_reused;
	o->finished_ms = wall_ms();
	o->per_schema = ctx->patterns != NULL;
	if (def != NULL && (r->status != PROBE_OK || o->per_schema))
		o->expected = xstrdup(def->revs[expected].id);
	switch (r->status) {
	case PROBE_OK:
		if (o->per_schema) {
			check_judge_schemas(ctx, o, r);
			break;
		}
		o->cat = r->cat;
		r->cat = NULL;
		check_judge(ctx, o, &r->version);
		break;
	case PROBE_UNREACHABLE:
		o->state = ST_UNREACHABLE;
		o->error = r->error;
		r->error = NULL;
		break;
	case PROBE_ERROR:
		o->state = ST_ERROR;
		o->error = r->error;
		r->error = NULL;
		break;
	}
	probe_result_free(r);
	ctx->cb(o, ctx->arg);
	defset_unref(ctx->defs);
	free(ctx->target);
	free(ctx->patterns);
	free(ctx);
}

struct check *
check_start(struct event_base *base, const struct config *cfg, const struct cfg_target *t,
    struct defset *defs, check_done_cb cb, void *arg)
{
	struct check *ctx = xcalloc(1, sizeof *ctx);
	struct probe_pg_opts pg = { .connect_timeout_ms = cfg->connect_timeout_ms,
	    .query_timeout_ms = cfg->query_timeout_ms, .target = t->name,
	    .keep = cfg->keep_connections, .max_per_server = cfg->max_conn_per_server,
	    .listen = t->ddl_events ? PROBE_DDL_CHANNEL : NULL };
	/* connect_timeout bounds opening a file as it bounds a connection: a
	 * file on a hung mount must not hold a check slot for ever. */
	struct probe_sqlite_opts lite = { .open_timeout_ms = cfg->connect_timeout_ms,
	    .busy_timeout_ms = cfg->query_timeout_ms, .keep = cfg->keep_connections };
	struct cat_strv patterns = { 0 };
	const struct definition *def;
	int expected;

	ctx->cb = cb;
	ctx->arg = arg;
	ctx->target = xstrdup(t->name);
	ctx->defs = defs != NULL ? defset_ref(defs) : NULL;
	/* The probes copy what they are given. */
	if ((def = defset_find(defs, t->name, &expected)) != NULL) {
		pg.what.tables = lite.what.tables = &def->tables;
		pg.what.objects = lite.what.objects = &def->objects;
		pg.what.version_table = lite.what.version_table = def->version_table;
	}
	/* scope: schema reads every table and object of the schema (each
	 * schema of schemas:, SQLite's main database); the statement text
	 * differs, so a connection shared with a scope: definition target
	 * prepares each its own (pgprep.c keys statements by their text). */
	ctx->all = cfg_target_scope_schema(t);
	pg.what.all = lite.what.all = ctx->all;
	if (t->kind == CFG_PG && t->nschemas > 0) {
		for (int i = 0; i < t->nschemas; i++)
			cat_strv_add(&patterns, t->schemas[i]);
		pg.schemas = &patterns;
		ctx->patterns = patterns_text(t);
	}
	if (t->kind == CFG_PG)
		ctx->probe = probe_pg_start(base, t->conninfo, t->schema, &pg,
		    check_probe_done, ctx);
	else
		ctx->probe = probe_sqlite_start_opts(base, t->path, &lite,
		    check_probe_done, ctx);
	cat_strv_free(&patterns);
	return ctx;
}

void
check_cancel(struct check *c)
{
	probe_cancel(c->probe);
	defset_unref(c->defs);
	free(c->target);
	free(c->patterns);
	free(c);
}

void
check_outcome_free(struct check_outcome *o)
{
	if (o == NULL)
		return;
	for (int i = 0; i < o->nschemas; i++) {
		free(o->schemas[i].name);
		check_outcome_free(o->schemas[i].o);
	}
	free(o->schemas);
	free(o->error);
	free(o->expected);
	free(o->revision);
	free(o->closest);
	diff_list_free(&o->diffs);
	cat_free(o->cat);
	defset_unref(o->defs);
	free(o);
}

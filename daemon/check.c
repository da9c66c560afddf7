/* check.c — probe a target and turn what it read into a state. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "util.h"

struct check {
	struct probe	*probe;
	check_done_cb	 cb;
	void		*arg;
};

const char *
cfg_target_kind_name(const struct cfg_target *t)
{
	return t->kind == CFG_PG ? "postgresql" : "sqlite";
}

static void
check_probe_done(struct probe_result *r, void *arg)
{
	struct check *ctx = arg;
	struct check_outcome *o = xcalloc(1, sizeof *o);

	o->duration_ms = r->duration_ms;
	o->round_trips = r->round_trips;
	o->finished_ms = wall_ms();
	switch (r->status) {
	case PROBE_OK:
		o->cat = r->cat;
		r->cat = NULL;
		o->state = state_verdict(o->cat, &o->diffs);
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
	free(ctx);
}

struct check *
check_start(struct event_base *base, const struct config *cfg, const struct cfg_target *t,
    check_done_cb cb, void *arg)
{
	struct check *ctx = xmalloc(sizeof *ctx);
	struct probe_pg_opts pg = { .connect_timeout_ms = cfg->connect_timeout_ms,
	    .query_timeout_ms = cfg->query_timeout_ms, .keep = cfg->keep_connections,
	    .max_per_server = cfg->max_conn_per_server,
	    .listen = t->ddl_events ? PROBE_DDL_CHANNEL : NULL };
	/* connect_timeout bounds opening a file as it bounds a connection: a
	 * file on a hung mount must not hold a check slot for ever. */
	struct probe_sqlite_opts lite = { .open_timeout_ms = cfg->connect_timeout_ms,
	    .busy_timeout_ms = cfg->query_timeout_ms, .keep = cfg->keep_connections };

	ctx->cb = cb;
	ctx->arg = arg;
	if (t->kind == CFG_PG)
		ctx->probe = probe_pg_start(base, t->conninfo, t->schema, &pg,
		    check_probe_done, ctx);
	else
		ctx->probe = probe_sqlite_start_opts(base, t->path, &lite,
		    check_probe_done, ctx);
	return ctx;
}

void
check_cancel(struct check *c)
{
	probe_cancel(c->probe);
	free(c);
}

void
check_outcome_free(struct check_outcome *o)
{
	if (o == NULL)
		return;
	free(o->error);
	diff_list_free(&o->diffs);
	cat_free(o->cat);
	free(o);
}

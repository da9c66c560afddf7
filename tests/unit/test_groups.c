/* Unit tests for groups.c: the verdict of a group from its members' catalogs
 * (cross-dialect, drift is not divergence, pending vs V7), differences that
 * name both members, reporting once (unknown is not news), STATUS= and JSON. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "v7fixture.h"
#include "check.h"
#include "groups.h"
#include "reporter.h"
#include "tap.h"
#include "target.h"

static struct cfg_target ct_pg = { .name = "prod", .kind = CFG_PG };
static struct cfg_target ct_lite = { .name = "dev", .kind = CFG_SQLITE };

static struct tgt_view *
member(const char *name, enum tgt_state st, struct catalog *cat)
{
	struct tgt_view *t = calloc(1, sizeof *t);

	t->name = strdup(name);
	t->cfg = cat != NULL && cat->dialect == CAT_PG ? &ct_pg : &ct_lite;
	t->state = st;
	t->cat = cat;
	return t;
}

static void
member_free(struct tgt_view *t)
{
	cat_free((struct catalog *)t->cat);
	free((char *)t->name);
	free(t);
}

/* Drop the partial-index predicate: the classic drift of V7. */
static struct catalog *
without_predicate(enum cat_dialect dialect)
{
	struct catalog *c = canonical_v7(dialect);
	struct cat_index *ix = &cat_find_table(c, "prompt_templates")->indexes[0];

	free(ix->pred);
	free(ix->pred_raw);
	ix->pred = ix->pred_raw = NULL;
	return c;
}

static struct grp *
group(const char *name, int n, ...)
{
	struct grp *g = calloc(1, sizeof *g);
	va_list ap;
	int i;

	g->name = strdup(name);
	g->members = calloc((size_t)n, sizeof *g->members);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		g->members[i] = strdup(va_arg(ap, const char *));
	va_end(ap);
	g->nmembers = n;
	return g;
}

static enum grp_state
judge(struct grp *g, struct tgt_view *a, struct tgt_view *b, struct grp_verdict *v)
{
	const struct tgt_view *m[2] = { a, b };

	grp_verdict_free(v);
	grp_judge(g, m, v);
	return v->state;
}

static void
test_verdicts(void)
{
	struct grp *g = group("dev-vs-prod", 2, "dev", "prod");
	struct grp_verdict v = { 0 };
	struct tgt_view *dev, *prod, *drifted_dev, *drifted_prod, *pending, *unread;

	dev = member("dev", ST_OK, canonical_v7(CAT_SQLITE));
	prod = member("prod", ST_OK, canonical_v7(CAT_PG));
	is_str(grp_state_name(judge(g, dev, prod, &v)), "converged",
	    "SQLite dev and PostgreSQL prod both at V7 are converged");
	is_int(v.ndiffs, 0, "... with no differences");

	drifted_prod = member("prod", ST_DRIFT, without_predicate(CAT_PG));
	if (is_str(grp_state_name(judge(g, dev, drifted_prod, &v)), "diverged",
	    "prod without the partial predicate diverges from dev") &&
	    is_int(v.ndiffs, 1, "... by one difference")) {
		is_str(v.diffs[0].d.object, "prompt_templates.ux_tpl_org_ws_confighash_active",
		    "... naming the index");
		is_str(diff_kind_name(v.diffs[0].d.kind), "index_predicate", "... its kind");
		is_int(v.diffs[0].a, 0, "... expected is the first member's (dev)");
		is_int(v.diffs[0].b, 1, "... actual is the second member's (prod)");
		ok(v.diffs[0].d.expected != NULL && strstr(v.diffs[0].d.expected, "deleted_at") != NULL,
		    "... dev's value has the predicate");
	}

	drifted_dev = member("dev", ST_DRIFT, without_predicate(CAT_SQLITE));
	is_str(grp_state_name(judge(g, drifted_dev, drifted_prod, &v)), "converged",
	    "two members drifted the same way are converged: divergence is not drift");

	pending = member("prod", ST_PENDING, cat_new(CAT_PG));
	if (is_str(grp_state_name(judge(g, dev, pending, &v)), "diverged",
	    "a V7 member and a pending member are diverged"))
		is_str(diff_kind_name(v.diffs[0].d.kind), "missing_table",
		    "... with missing tables on the pending side");
	is_int(v.ndiffs, 3, "... one per V7 table");

	unread = member("prod", ST_UNKNOWN, NULL);
	is_str(grp_state_name(judge(g, dev, unread, &v)), "unknown",
	    "a member never read makes the group unknown");
	is_str(v.reason, "prod is unknown", "... and says which");

	prod->state = ST_UNREACHABLE;	/* it keeps its last catalog */
	is_str(grp_state_name(judge(g, dev, prod, &v)), "unknown",
	    "an unreachable member makes the group unknown, even with an old catalog");
	is_str(v.reason, "prod is unreachable", "... and says why");
	prod->state = ST_APPLYING;
	is_str(grp_state_name(judge(g, dev, prod, &v)), "unknown",
	    "a member being migrated makes the group unknown");
	prod->state = ST_OK;

	is_str(grp_state_name(judge(g, dev, NULL, &v)), "unknown",
	    "a member that is not a target makes the group unknown");

	grp_verdict_free(&v);
	member_free(dev);
	member_free(prod);
	member_free(drifted_dev);
	member_free(drifted_prod);
	member_free(pending);
	member_free(unread);
	free(g->members[0]);
	free(g->members[1]);
	free(g->members);
	free(g->name);
	free(g);
}

/* A small world: the registry, a reporter without state.db or hook, the
 * groups subscribed to the registry; no loop. */
struct fake {
	struct config	  cfg;
	struct cfg_target targets[2];
	struct reporter	 *rep;
	struct tgt_reg	 *reg;
	struct groups	 *gs;
	struct tgt	 *t[2];
};

static void
fake_init(struct fake *f)
{
	static char *members[] = { "dev", "prod" };
	static struct cfg_group cg = { .name = "dev-vs-prod", .members = members, .nmembers = 2 };

	memset(f, 0, sizeof *f);
	f->targets[0] = ct_lite;
	f->targets[0].path = "dev.db";
	f->targets[1] = ct_pg;
	f->targets[1].conninfo = "";
	f->targets[1].schema = "public";
	f->cfg.targets = f->targets;
	f->cfg.ntargets = 2;
	f->cfg.groups = &cg;
	f->cfg.ngroups = 1;
	f->rep = reporter_new(NULL, NULL);
	f->reg = tgt_reg_new(f->rep);
	tgt_reg_configure(f->reg, &f->cfg, NULL, NULL);
	f->gs = groups_new(f->reg, f->rep, &f->cfg);
	f->t[0] = tgt_find(f->reg, "dev");
	f->t[1] = tgt_find(f->reg, "prod");
}

static void
fake_fini(struct fake *f)
{
	groups_free(f->gs);
	tgt_reg_free(f->reg);
	reporter_free(f->rep);
}

/* A check result for t: the registry tells the groups. */
static void
set_member(struct fake *f, struct tgt *t, enum tgt_state st, struct catalog *cat)
{
	struct check_outcome o = { 0 };

	o.state = st;
	o.cat = cat;
	o.finished_ms = wall_ms();
	tgt_take_outcome(f->reg, t, &o);
}

static const char *
reported(const struct fake *f, const char *group)
{
	int s = reporter_last(f->rep, REP_GROUP, group, NULL);

	return s < 0 ? "unknown" : grp_state_name(s);
}

static void
test_reporting(void)
{
	struct fake f;
	const struct grp *g;
	struct sbuf sb;
	json_t *j, *d0;

	fake_init(&f);
	g = groups_at(f.gs, 0);
	is_int(groups_count(f.gs), 1, "groups_new builds one group per configured group");
	is_str(grp_state_name(g->state), "unknown", "a new group is unknown");

	set_member(&f, f.t[0], ST_OK, canonical_v7(CAT_SQLITE));
	is_str(grp_state_name(g->state), "unknown", "one member read: still unknown");
	is_str(reported(&f, "dev-vs-prod"), "unknown", "... nothing reported");

	set_member(&f, f.t[1], ST_OK, canonical_v7(CAT_PG));
	is_str(grp_state_name(g->state), "converged", "both read and equal: converged");
	is_str(reported(&f, "dev-vs-prod"), "converged", "... and reported");

	set_member(&f, f.t[1], ST_UNREACHABLE, NULL);
	is_str(grp_state_name(g->state), "unknown", "prod unreachable: unknown");
	is_str(reported(&f, "dev-vs-prod"), "converged", "... which is not reported");
	set_member(&f, f.t[1], ST_OK, NULL);
	is_str(grp_state_name(g->state), "converged", "prod back: converged again");

	set_member(&f, f.t[1], ST_DRIFT, without_predicate(CAT_PG));
	is_str(reported(&f, "dev-vs-prod"), "diverged", "prod changed: diverged, reported");

	sbuf_init(&sb);
	groups_status_append(f.gs, &sb);
	is_str(sb.buf, "; 1 group: 1 diverged (dev-vs-prod: 1 difference)",
	    "STATUS= names the diverged group and its differences");
	sbuf_free(&sb);
	sbuf_init(&sb);
	tgt_status_append(f.reg, &sb);
	groups_status_append(f.gs, &sb);
	is_str(sb.buf, "2 targets: 1 ok, 1 drift (prod: 0 differences); 1 group: 1 diverged "
	    "(dev-vs-prod: 1 difference)", "the status line carries the groups");
	sbuf_free(&sb);

	j = groups_json(f.gs);
	d0 = json_array_get(json_object_get(json_array_get(j, 0), "differences"), 0);
	is_str(json_string_value(json_object_get(json_array_get(j, 0), "state")), "diverged",
	    "groups_json: state");
	is_str(json_string_value(json_array_get(json_object_get(d0, "members"), 0)), "dev",
	    "groups_json: a difference names the first member ...");
	is_str(json_string_value(json_array_get(json_object_get(d0, "members"), 1)), "prod",
	    "... and the second");
	ok(json_is_null(json_object_get(d0, "actual")) ||
	    strstr(json_string_value(json_object_get(d0, "actual")), "deleted_at") == NULL,
	    "... actual is prod's value (no predicate)");
	is_str(json_string_value(json_object_get(d0, "kind")), "index_predicate",
	    "... with its kind");
	json_decref(j);

	/* Reload with the same definition keeps the state; a changed one starts over. */
	groups_reload(f.gs, &f.cfg);
	is_str(reported(&f, "dev-vs-prod"), "diverged",
	    "a reload with the same members keeps the reported state");
	ok(groups_at(f.gs, 0) == g, "... and the group itself");

	fake_fini(&f);
}

static void
test_names(void)
{
	int s;

	for (s = 0; s < GS__COUNT; s++)
		if (grp_state_parse(grp_state_name(s)) != s)
			break;
	is_int(s, GS__COUNT, "every group state name parses back");
	is_int(grp_state_parse("drift"), -1, "a target state is not a group state");
}

int
main(void)
{
	test_verdicts();
	test_reporting();
	test_names();
	return tap_done();
}

/* Unit tests for groups.c: the verdict of a group from its members' catalogs
 * (cross-dialect, drift is not divergence, pending vs V7), differences that
 * name both members, reporting once (unknown is not news), STATUS= and JSON. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "canonical.h"
#include "daemon.h"
#include "groups.h"
#include "tap.h"

static struct cfg_target ct_pg = { .name = "prod", .kind = CFG_PG };
static struct cfg_target ct_lite = { .name = "dev", .kind = CFG_SQLITE };

static struct tgt *
member(const char *name, enum tgt_state st, struct catalog *cat)
{
	struct tgt *t = calloc(1, sizeof *t);

	t->name = strdup(name);
	t->cfg = cat != NULL && cat->dialect == CAT_PG ? &ct_pg : &ct_lite;
	t->state = st;
	t->cat = cat;
	return t;
}

static void
member_free(struct tgt *t)
{
	cat_free(t->cat);
	free(t->name);
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
judge(struct grp *g, struct tgt *a, struct tgt *b, struct grp_verdict *v)
{
	struct tgt *m[2] = { a, b };

	grp_verdict_free(v);
	grp_judge(g, m, v);
	return v->state;
}

static void
test_verdicts(void)
{
	struct grp *g = group("dev-vs-prod", 2, "dev", "prod");
	struct grp_verdict v = { 0 };
	struct tgt *dev, *prod, *drifted_dev, *drifted_prod, *pending, *unread;

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

/* A small daemon: targets and groups, no history, no hook, no loop. */
struct fake {
	struct daemon	 d;
	struct config	 cfg;
	struct tgt	*t[3];
};

static void
fake_init(struct fake *f)
{
	static char *members[] = { "dev", "prod" };
	static struct cfg_group cg = { .name = "dev-vs-prod", .members = members, .nmembers = 2 };

	memset(f, 0, sizeof *f);
	f->cfg.groups = &cg;
	f->cfg.ngroups = 1;
	f->d.cfg = &f->cfg;
	f->t[0] = member("dev", ST_UNKNOWN, NULL);
	f->t[1] = member("prod", ST_UNKNOWN, NULL);
	f->t[0]->cfg = &ct_lite;
	f->t[1]->cfg = &ct_pg;
	f->d.targets = f->t;
	f->d.ntargets = 2;
	groups_init(&f->d);
}

static void
set_member(struct tgt *t, enum tgt_state st, struct catalog *cat)
{
	t->state = st;
	if (cat != NULL) {
		cat_free(t->cat);
		t->cat = cat;
	}
}

static void
test_reporting(void)
{
	struct fake f;
	struct grp *g;
	struct sbuf sb;
	json_t *j, *d0;
	char *s;

	fake_init(&f);
	g = f.d.groups[0];
	is_int(f.d.ngroups, 1, "groups_init builds one group per configured group");
	is_str(grp_state_name(g->state), "unknown", "a new group is unknown");

	set_member(f.t[0], ST_OK, canonical_v7(CAT_SQLITE));
	groups_member_changed(&f.d, f.t[0]);
	is_str(grp_state_name(g->state), "unknown", "one member read: still unknown");
	is_str(grp_state_name(g->reported), "unknown", "... nothing reported");

	set_member(f.t[1], ST_OK, canonical_v7(CAT_PG));
	groups_member_changed(&f.d, f.t[1]);
	is_str(grp_state_name(g->state), "converged", "both read and equal: converged");
	is_str(grp_state_name(g->reported), "converged", "... and reported");

	set_member(f.t[1], ST_UNREACHABLE, NULL);
	groups_member_changed(&f.d, f.t[1]);
	is_str(grp_state_name(g->state), "unknown", "prod unreachable: unknown");
	is_str(grp_state_name(g->reported), "converged", "... which is not reported");
	set_member(f.t[1], ST_OK, NULL);
	groups_member_changed(&f.d, f.t[1]);
	is_str(grp_state_name(g->state), "converged", "prod back: converged again");

	set_member(f.t[1], ST_DRIFT, without_predicate(CAT_PG));
	groups_member_changed(&f.d, f.t[1]);
	is_str(grp_state_name(g->reported), "diverged", "prod changed: diverged, reported");

	sbuf_init(&sb);
	groups_status_append(&f.d, &sb);
	is_str(sb.buf, "; 1 group: 1 diverged (dev-vs-prod: 1 difference)",
	    "STATUS= names the diverged group and its differences");
	sbuf_free(&sb);
	s = daemon_status_line(&f.d);
	is_str(s, "2 targets: 1 ok, 1 drift (prod: 0 differences); 1 group: 1 diverged "
	    "(dev-vs-prod: 1 difference)", "daemon_status_line carries the groups");
	free(s);

	j = groups_json(&f.d);
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
	groups_reload(&f.d);
	is_str(grp_state_name(f.d.groups[0]->reported), "diverged",
	    "a reload with the same members keeps the reported state");
	ok(f.d.groups[0] == g, "... and the group itself");

	groups_fini(&f.d);
	member_free(f.t[0]);
	member_free(f.t[1]);
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

/* Unit tests for compare.c, on V7 (the shipped definition's compiled catalogs) of both
 * dialects agree with each other through the logical types, and single
 * changes to a catalog come out as exactly one difference of the right kind. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v7fixture.h"
#include "compare.h"
#include "normalize.h"
#include "state.h"
#include "tap.h"

static int
ndiffs(const struct catalog *a, const struct catalog *b, struct diff_list *out)
{
	diff_list_free(out);
	compare_catalogs(a, b, out);
	return out->n;
}

/* Apply one change to a fresh canonical catalog and expect one difference. */
struct mutation {
	const char	*what;
	enum cat_dialect dialect;
	void		(*apply)(struct catalog *);
	const char	*object;
	enum diff_kind	 kind;
};

static struct cat_table *tbl(struct catalog *c, const char *n) { return cat_find_table(c, n); }

static void m_drop_pred(struct catalog *c)
{
	struct cat_index *ix = &tbl(c, "prompt_templates")->indexes[0];

	free(ix->pred);
	free(ix->pred_raw);
	ix->pred = ix->pred_raw = NULL;
}

static void m_not_unique(struct catalog *c) { tbl(c, "prompt_templates")->indexes[0].unique = false; }
static void m_fk_action(struct catalog *c) { tbl(c, "prompt_results")->fks[0].on_delete = FK_RESTRICT; }
static void m_nullable(struct catalog *c) { tbl(c, "prompt_results")->cols[2].notnull = false; }

static void m_fk_target(struct catalog *c)
{
	struct cat_fk *fk = &tbl(c, "prompt_results")->fks[0];

	free(fk->ref_table);
	fk->ref_table = strdup("prompt_templates");
}

static void m_rename_check(struct catalog *c)
{
	struct cat_check *ck = &tbl(c, "prompt_versions")->checks[0];

	free(ck->name);
	ck->name = strdup("version_positive");
}

static void m_drop_table(struct catalog *c)
{
	cat_remove_table(c, "prompt_results");
}

static const struct mutation mutations[] = {
	{ "predicate removed (pg)", CAT_PG, m_drop_pred,
	  "prompt_templates.ux_tpl_org_ws_confighash_active", DIFF_INDEX_PREDICATE },
	{ "predicate removed (sqlite)", CAT_SQLITE, m_drop_pred,
	  "prompt_templates.ux_tpl_org_ws_confighash_active", DIFF_INDEX_PREDICATE },
	{ "uniqueness dropped", CAT_PG, m_not_unique,
	  "prompt_templates.ux_tpl_org_ws_confighash_active", DIFF_INDEX_UNIQUENESS },
	{ "fk action", CAT_SQLITE, m_fk_action,
	  "prompt_results.fk_prompt_results_version", DIFF_FOREIGN_KEY_ACTION },
	{ "fk target", CAT_PG, m_fk_target,
	  "prompt_results.fk_prompt_results_version", DIFF_FOREIGN_KEY_TARGET },
	{ "nullability", CAT_PG, m_nullable, "prompt_results.status", DIFF_COLUMN_NULLABILITY },
	{ "check renamed (pg names count)", CAT_PG, m_rename_check,
	  "prompt_versions.ck_prompt_versions_version", DIFF_CONSTRAINT_NAME },
	{ "table missing", CAT_PG, m_drop_table, "prompt_results", DIFF_MISSING_TABLE },
};

static void
test_mutations(void)
{
	struct diff_list l = { NULL, 0 };
	struct catalog *canon, *c;
	char what[160];
	size_t i;

	for (i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
		canon = canonical_v7(mutations[i].dialect);
		c = canonical_v7(mutations[i].dialect);
		mutations[i].apply(c);
		snprintf(what, sizeof what, "%s: one difference", mutations[i].what);
		if (is_int(ndiffs(canon, c, &l), 1, what)) {
			snprintf(what, sizeof what, "%s: object", mutations[i].what);
			is_str(l.v[0].object, mutations[i].object, what);
			snprintf(what, sizeof what, "%s: kind", mutations[i].what);
			is_str(diff_kind_name(l.v[0].kind), diff_kind_name(mutations[i].kind), what);
		}
		cat_free(canon);
		cat_free(c);
	}
	diff_list_free(&l);
}

static void
test_cross_dialect(void)
{
	struct catalog *pg = canonical_v7(CAT_PG), *lite = canonical_v7(CAT_SQLITE);
	struct diff_list l = { NULL, 0 };

	is_int(ndiffs(pg, lite, &l), 0, "canonical PostgreSQL and SQLite V7 compare equal");
	is_int(ndiffs(lite, pg, &l), 0, "... in both directions");
	is_int(ndiffs(pg, pg, &l), 0, "canonical V7 equals itself (pg)");
	is_int(ndiffs(lite, lite, &l), 0, "canonical V7 equals itself (sqlite)");

	/* A real difference across dialects is named. */
	tbl(lite, "prompt_results")->cols[5].notnull = true;
	if (is_int(ndiffs(pg, lite, &l), 1, "a changed SQLite column differs from PostgreSQL"))
		is_str(l.v[0].object, "prompt_results.latency_ms", "... and names the column");
	tbl(lite, "prompt_results")->cols[5].notnull = false;

	/* A PostgreSQL type that SQLite V7 does not use. */
	free(tbl(pg, "prompt_results")->cols[5].type);
	tbl(pg, "prompt_results")->cols[5].type = strdup("bigint");
	if (is_int(ndiffs(pg, lite, &l), 1, "bigint vs INTEGER is a cross-dialect difference"))
		is_str(diff_kind_name(l.v[0].kind), "column_type", "... of kind column_type");
	diff_list_free(&l);
	cat_free(pg);
	cat_free(lite);
}

/* An expression the normalizer cannot parse is shown as unparsable, with
 * the reason, not as if its text had been compared and understood. */
static void
test_unparsable(void)
{
	struct catalog *canon = canonical_v7(CAT_PG), *c = canonical_v7(CAT_PG);
	struct diff_list l = { NULL, 0 };
	struct cat_check *ck = &tbl(c, "prompt_versions")->checks[0];
	char *deep = malloc(2 * 1000 + 16), *p = deep;
	int i;

	for (i = 0; i < 1000; i++)
		*p++ = '(';
	p += sprintf(p, "version > 0");
	for (i = 0; i < 1000; i++)
		*p++ = ')';
	*p = '\0';
	free(ck->expr_raw);
	free(ck->expr);
	ck->expr_raw = strdup(deep);
	ck->expr = norm_expr(CAT_PG, deep);
	if (is_int(ndiffs(canon, c, &l), 1, "a CHECK too deep to parse is a difference")) {
		is_str(diff_kind_name(l.v[0].kind), "check_expression", "... of its expression");
		ok(strncmp(l.v[0].actual, "unparsable (too deeply nested): ", 32) == 0,
		    "... whose actual value says it is unparsable and why");
		is_str(l.v[0].expected, tbl(canon, "prompt_versions")->checks[0].expr_raw,
		    "... and the expected one is the definition's");
	}
	is_int(ndiffs(c, c, &l), 0, "the same unparsable text on both sides is no difference");
	diff_list_free(&l);
	free(deep);
	cat_free(canon);
	cat_free(c);
}

static void
test_kind_names(void)
{
	int k;

	for (k = 0; k < DIFF__COUNT; k++)
		if (diff_kind_parse(diff_kind_name(k)) != k)
			break;
	is_int(k, DIFF__COUNT, "every difference kind name parses back to itself");
	is_int(diff_kind_parse("no_such_kind"), -1, "an unknown kind name is refused");
}

int
main(void)
{
	test_mutations();
	test_cross_dialect();
	test_unparsable();
	test_kind_names();
	return tap_done();
}

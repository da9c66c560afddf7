/* Unit tests for compare.c, on V7 (the shipped definition's compiled
 * catalogs, v7fixture.c): both dialects agree with each other through the
 * logical types, single changes to a catalog come out as exactly one
 * difference of the right kind, and renames are reported as renames only
 * when they are certain. */
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
	  "prompt_versions.ck_prompt_versions_version", DIFF_CONSTRAINT_RENAMED },
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

/* NOT VALID (a CHECK, a foreign key) and a unique constraint's
 * DEFERRABLE are PostgreSQL's: one difference each between two PostgreSQL
 * catalogs, none against SQLite, which has neither. */
static void
test_not_valid_and_deferrable(void)
{
	struct catalog *pg = canonical_v7(CAT_PG), *pg2 = canonical_v7(CAT_PG),
	    *lite = canonical_v7(CAT_SQLITE);
	struct cat_table *t = tbl(pg2, "prompt_results");
	struct diff_list l = { NULL, 0 };

	t->checks[0].not_valid = true;
	if (is_int(ndiffs(pg, pg2, &l), 1, "a NOT VALID check is one difference"))
		is_str(diff_kind_name(l.v[0].kind), "constraint_not_valid",
		    "... constraint_not_valid");
	t->checks[0].not_valid = false;
	t->fks[0].not_valid = true;
	if (is_int(ndiffs(pg, pg2, &l), 1, "a NOT VALID foreign key is one difference"))
		is_str(l.v[0].actual, "NOT VALID", "... actual NOT VALID");
	is_int(ndiffs(pg2, lite, &l), 0, "... and none against SQLite");
	t->fks[0].not_valid = false;
	t = tbl(pg2, "prompt_versions");
	if (!ok(t->nuniques == 1, "prompt_versions has its unique constraint"))
		t = NULL;
	if (t != NULL) {
		t->uniques[0].deferrable = t->uniques[0].deferred = true;
		if (is_int(ndiffs(pg, pg2, &l), 1, "a DEFERRABLE unique constraint is one difference")) {
			is_str(diff_kind_name(l.v[0].kind), "unique_deferrable", "... unique_deferrable");
			is_str(l.v[0].actual, "DEFERRABLE INITIALLY DEFERRED", "... actual as SQL says it");
		}
		is_int(ndiffs(pg2, lite, &l), 0, "... and none against SQLite");
	}
	diff_list_free(&l);
	cat_free(pg);
	cat_free(pg2);
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
	is_int(diff_kind_parse("constraint_name"), DIFF_CONSTRAINT_RENAMED,
	    "the former name of constraint_renamed still parses (older daemons)");
}

/* ---- renames: small catalogs of one table "t" built here ------------------- */

static struct cat_table *
one_table(struct catalog **cp, enum cat_dialect d)
{
	*cp = cat_new(d);
	return cat_add_table(*cp, "t");
}

static struct cat_column *
col(struct cat_table *t, enum cat_dialect d, const char *name, const char *type,
    bool notnull, const char *dflt)
{
	return cat_add_column(t, d, name, type, notnull, dflt);
}

/* "a, b" -> two entries. */
static void
strv(struct cat_strv *v, const char *list)
{
	char *copy = strdup(list), *p, *save = NULL;

	for (p = strtok_r(copy, ", ", &save); p != NULL; p = strtok_r(NULL, ", ", &save))
		cat_strv_add(v, p);
	free(copy);
}

static void
idx(struct cat_table *t, enum cat_dialect d, const char *name, const char *keys,
    const char *pred)
{
	strv(&cat_add_index(t, d, name, false, "btree", pred)->keys, keys);
}

static void
fk(struct cat_table *t, const char *name, const char *cols, enum cat_fk_action del)
{
	struct cat_fk *f = cat_add_fk(t, name, "p");

	strv(&f->cols, cols);
	strv(&f->ref_cols, "id");
	f->on_delete = del;
}

/* The base: t (id, a, b, body) with a PK, a UNIQUE, an FK, a CHECK, an index. */
static void
base(struct cat_table *t, enum cat_dialect d, const char *body, const char *pk_name,
    const char *uq_name, const char *fk_name, const char *ck_name, const char *ix_name)
{
	col(t, d, "id", "integer", true, NULL);
	col(t, d, "a", "integer", false, NULL);
	col(t, d, "b", "integer", false, NULL);
	col(t, d, body, "text", true, "''");
	strv(&cat_set_pk(t, pk_name)->cols, "id");
	strv(&cat_add_unique(t, uq_name)->cols, "a, b");
	fk(t, fk_name, "a", FK_CASCADE);
	cat_add_check(t, d, ck_name, "b > 0");
	idx(t, d, ix_name, "b, a", "a IS NOT NULL");
}

/* Every difference as "object kind", a rename with "(old -> new)", joined by
 * "; ": one string to compare says everything that was reported. */
static char *
diffs_text(const struct catalog *e, const struct catalog *a)
{
	struct diff_list l = { NULL, 0 };
	char *s = strdup(""), *n;
	int i;

	compare_catalogs(e, a, &l);
	for (i = 0; i < l.n; i++) {
		if (diff_kind_is_rename(l.v[i].kind) &&
		    asprintf(&n, "%s%s%s %s (%s -> %s)", s, i ? "; " : "", l.v[i].object,
		    diff_kind_name(l.v[i].kind), l.v[i].expected, l.v[i].actual) < 0)
			abort();
		if (!diff_kind_is_rename(l.v[i].kind) && asprintf(&n, "%s%s%s %s", s, i ? "; " : "",
		    l.v[i].object, diff_kind_name(l.v[i].kind)) < 0)
			abort();
		free(s);
		s = n;
	}
	diff_list_free(&l);
	return s;
}

static void
expect_diffs(const struct catalog *e, const struct catalog *a, const char *want,
    const char *what, enum cat_dialect d)
{
	char *got = diffs_text(e, a), label[200];

	snprintf(label, sizeof label, "%s (%s)", what, cat_dialect_name(d));
	is_str(got, want, label);
	free(got);
}

/* Two catalogs: the base under the expected names, and under the names given. */
struct rename_case {
	const char	*what;
	const char	*body, *pk, *uq, *fk, *ck, *ix;
	const char	*want_pg;
	const char	*want_sqlite;	/* SQLite reports no constraint names */
};

static const struct rename_case rename_cases[] = {
	{ "nothing renamed", "body", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_t_ba",
	  "", "" },
	{ "a column renamed", "content", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_t_ba",
	  "t.body column_renamed (body -> content)", "t.body column_renamed (body -> content)" },
	{ "an index renamed", "body", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_new",
	  "t.ix_t_ba index_renamed (ix_t_ba -> ix_new)", "t.ix_t_ba index_renamed (ix_t_ba -> ix_new)" },
	{ "a CHECK renamed", "body", "t_pkey", "uq_t_ab", "fk_t_a", "t_b_check", "ix_t_ba",
	  "t.ck_t_b constraint_renamed (ck_t_b -> t_b_check)", "" },
	{ "a FOREIGN KEY renamed", "body", "t_pkey", "uq_t_ab", "t_a_fkey", "ck_t_b", "ix_t_ba",
	  "t.fk_t_a constraint_renamed (fk_t_a -> t_a_fkey)", "" },
	{ "a UNIQUE renamed", "body", "t_pkey", "t_a_b_key", "fk_t_a", "ck_t_b", "ix_t_ba",
	  "t.uq_t_ab constraint_renamed (uq_t_ab -> t_a_b_key)", "" },
	{ "a PRIMARY KEY renamed", "body", "pk_t", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_t_ba",
	  "t.t_pkey constraint_renamed (t_pkey -> pk_t)", "" },
	{ "everything renamed at once", "content", "pk_t", "t_a_b_key", "t_a_fkey", "t_b_check",
	  "ix_new",
	  "t.body column_renamed (body -> content); t.t_pkey constraint_renamed (t_pkey -> pk_t); "
	  "t.uq_t_ab constraint_renamed (uq_t_ab -> t_a_b_key); "
	  "t.fk_t_a constraint_renamed (fk_t_a -> t_a_fkey); "
	  "t.ck_t_b constraint_renamed (ck_t_b -> t_b_check); "
	  "t.ix_t_ba index_renamed (ix_t_ba -> ix_new)",
	  "t.body column_renamed (body -> content); t.ix_t_ba index_renamed (ix_t_ba -> ix_new)" },
};

static void
test_renames(void)
{
	static const enum cat_dialect ds[] = { CAT_PG, CAT_SQLITE };
	const struct rename_case *rc;
	struct catalog *e, *a;
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof rename_cases / sizeof rename_cases[0]; i++) {
			rc = &rename_cases[i];
			base(one_table(&e, ds[k]), ds[k], "body", "t_pkey", "uq_t_ab",
			    "fk_t_a", "ck_t_b", "ix_t_ba");
			base(one_table(&a, ds[k]), ds[k], rc->body, rc->pk, rc->uq, rc->fk,
			    rc->ck, rc->ix);
			expect_diffs(e, a, ds[k] == CAT_PG ? rc->want_pg : rc->want_sqlite,
			    rc->what, ds[k]);
			cat_free(e);
			cat_free(a);
		}
}

/* Columns: position does not matter, any other difference does, and two
 * candidates of the same definition are not guessed between. */
static void
test_column_renames(enum cat_dialect d)
{
	struct catalog *e, *a;
	struct cat_table *te = one_table(&e, d), *ta;

	col(te, d, "id", "integer", true, NULL);
	col(te, d, "body", "text", true, "''");

	/* Moved and renamed (a rebuilt SQLite table), with a new column between. */
	ta = one_table(&a, d);
	col(ta, d, "content", "text", true, "''");
	col(ta, d, "x", "integer", false, NULL);
	col(ta, d, "id", "integer", true, NULL);
	expect_diffs(e, a, "t.body column_renamed (body -> content); t.x extra_column",
	    "a column renamed and moved is found wherever it is", d);
	cat_free(a);

	/* Renamed and changed: another column. */
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "content", "text", false, "''");
	expect_diffs(e, a, "t.body missing_column; t.content extra_column",
	    "renamed and made nullable is missing + extra", d);
	cat_free(a);
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "content", "text", true, "'x'");
	expect_diffs(e, a, "t.body missing_column; t.content extra_column",
	    "renamed with another default is missing + extra", d);
	cat_free(a);
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "content", "integer", true, "''");
	expect_diffs(e, a, "t.body missing_column; t.content extra_column",
	    "renamed with another type is missing + extra", d);
	cat_free(a);

	/* Two extra columns could be the renamed one: ambiguous. */
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "content", "text", true, "''");
	col(ta, d, "content2", "text", true, "''");
	expect_diffs(e, a, "t.body missing_column; t.content extra_column; t.content2 extra_column",
	    "two candidates for one missing column: missing + extras", d);
	cat_free(a);

	/* Two missing columns with one definition, two extra ones: ambiguous. */
	col(te, d, "body2", "text", true, "''");
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "c1", "text", true, "''");
	col(ta, d, "c2", "text", true, "''");
	expect_diffs(e, a, "t.body missing_column; t.body2 missing_column; "
	    "t.c1 extra_column; t.c2 extra_column",
	    "two renamed columns of one definition: missing + extra, not a guess", d);
	cat_free(a);

	/* One of two same-definition columns kept its name: the other is certain. */
	ta = one_table(&a, d);
	col(ta, d, "id", "integer", true, NULL);
	col(ta, d, "body", "text", true, "''");
	col(ta, d, "c2", "text", true, "''");
	expect_diffs(e, a, "t.body2 column_renamed (body2 -> c2)",
	    "a same-definition column matched by name is no candidate", d);
	cat_free(a);
	cat_free(e);
}

static void
test_index_renames(enum cat_dialect d)
{
	struct catalog *e, *a;
	struct cat_table *te = one_table(&e, d), *ta;

	col(te, d, "a", "integer", false, NULL);
	col(te, d, "b", "integer", false, NULL);
	idx(te, d, "ix_a", "a, b", "b > 0");

	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	idx(ta, d, "ix_new", "a, b", "b > 0");
	expect_diffs(e, a, "t.ix_a index_renamed (ix_a -> ix_new)", "an index renamed", d);
	cat_free(a);

	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	idx(ta, d, "ix_new", "b, a", "b > 0");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_new extra_index",
	    "renamed with other keys is missing + extra", d);
	cat_free(a);

	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	idx(ta, d, "ix_new", "a, b", "b >= 0");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_new extra_index",
	    "renamed with another predicate is missing + extra", d);
	cat_free(a);

	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	strv(&cat_add_index(ta, d, "ix_new", true, "btree", "b > 0")->keys, "a, b");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_new extra_index",
	    "renamed and made UNIQUE is missing + extra", d);
	cat_free(a);

	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	idx(ta, d, "ix_new1", "a, b", "b > 0");
	idx(ta, d, "ix_new2", "a, b", "b > 0");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_new1 extra_index; t.ix_new2 extra_index",
	    "two same-definition candidates: missing + extras", d);
	cat_free(a);

	/* Two expected indexes of one definition both gone under new names. */
	idx(te, d, "ix_b", "a, b", "b > 0");
	ta = one_table(&a, d);
	col(ta, d, "a", "integer", false, NULL);
	col(ta, d, "b", "integer", false, NULL);
	idx(ta, d, "ix_new", "a, b", "b > 0");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_b missing_index; t.ix_new extra_index",
	    "one candidate for two missing indexes: missing + extra", d);
	idx(ta, d, "ix_a", "a, b", "b > 0");
	expect_diffs(e, a, "t.ix_b index_renamed (ix_b -> ix_new)",
	    "... but once one keeps its name, the other is a rename", d);
	cat_free(a);
	cat_free(e);
}

/* Named constraints (PostgreSQL): a rename is certain or it is not one. */
static void
test_constraint_renames(void)
{
	struct catalog *e, *a;
	struct cat_table *te, *ta;

	te = one_table(&e, CAT_PG);
	base(te, CAT_PG, "body", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_t_ba");
	ta = one_table(&a, CAT_PG);
	base(ta, CAT_PG, "body", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b", "ix_t_ba");
	free(ta->fks[0].name);
	ta->fks[0].name = strdup("t_a_fkey");
	ta->fks[0].on_delete = FK_RESTRICT;
	expect_diffs(e, a, "t.fk_t_a missing_foreign_key; t.t_a_fkey extra_foreign_key",
	    "an FK renamed with another action is missing + extra, not a rename", CAT_PG);
	cat_free(a);

	/* Two CHECKs of one expression under new names: ambiguous. */
	cat_add_check(te, CAT_PG, "ck_t_b2", "b > 0");
	ta = one_table(&a, CAT_PG);
	base(ta, CAT_PG, "body", "t_pkey", "uq_t_ab", "fk_t_a", "n1", "ix_t_ba");
	cat_add_check(ta, CAT_PG, "n2", "b > 0");
	expect_diffs(e, a, "t.ck_t_b missing_check; t.ck_t_b2 missing_check; "
	    "t.n1 extra_check; t.n2 extra_check",
	    "two same-expression CHECKs renamed: missing + extra", CAT_PG);
	cat_free(a);
	cat_free(e);

	/* A side that does not name a constraint has no rename to report. */
	te = one_table(&e, CAT_PG);
	cat_add_check(te, CAT_PG, "ck_t_b", "b > 0");
	strv(&cat_set_pk(te, "t_pkey")->cols, "b");
	ta = one_table(&a, CAT_PG);
	cat_add_check(ta, CAT_PG, NULL, "b > 0");
	strv(&cat_set_pk(ta, NULL)->cols, "b");
	expect_diffs(e, a, "", "an unnamed CHECK and PRIMARY KEY, otherwise the same, are no rename",
	    CAT_PG);
	cat_free(a);
	cat_free(e);

	/* A PRIMARY KEY with another name and other columns is another key. */
	te = one_table(&e, CAT_PG);
	col(te, CAT_PG, "id", "integer", true, NULL);
	col(te, CAT_PG, "k", "integer", true, NULL);
	strv(&cat_set_pk(te, "t_pkey")->cols, "id");
	ta = one_table(&a, CAT_PG);
	col(ta, CAT_PG, "id", "integer", true, NULL);
	col(ta, CAT_PG, "k", "integer", true, NULL);
	strv(&cat_set_pk(ta, "pk_t")->cols, "id, k");
	expect_diffs(e, a, "t.t_pkey missing_primary_key; t.pk_t extra_primary_key",
	    "a PRIMARY KEY renamed with other columns is missing + extra", CAT_PG);
	free(ta->pk->name);
	ta->pk->name = strdup("t_pkey");
	expect_diffs(e, a, "t.t_pkey primary_key_columns",
	    "... and under its own name, a change of columns", CAT_PG);
	cat_free(a);
	cat_free(e);
}

/* PostgreSQL against SQLite: index and column renames are found through the
 * logical types; constraint names are not compared (SQLite has none). */
static void
test_cross_renames(void)
{
	struct catalog *pg, *lite;

	base(one_table(&pg, CAT_PG), CAT_PG, "body", "t_pkey", "uq_t_ab", "fk_t_a", "ck_t_b",
	    "ix_t_ba");
	base(one_table(&lite, CAT_SQLITE), CAT_SQLITE, "content", "x", "y", "z", "w", "ix_new");
	expect_diffs(pg, lite, "t.body column_renamed (body -> content); "
	    "t.ix_t_ba index_renamed (ix_t_ba -> ix_new)",
	    "PostgreSQL against SQLite: column and index renames", CAT_PG);
	cat_free(pg);
	cat_free(lite);
}

/* The one difference between e and a: "kind: expected | actual", or how
 * many there were. */
static char *
one_diff(const struct catalog *e, const struct catalog *a)
{
	struct diff_list l = { NULL, 0 };
	char *s;

	compare_catalogs(e, a, &l);
	if (l.n != 1) {
		if (asprintf(&s, "%d differences", l.n) < 0)
			abort();
	} else if (asprintf(&s, "%s %s: %s | %s", l.v[0].object, diff_kind_name(l.v[0].kind),
	    l.v[0].expected ? l.v[0].expected : "-", l.v[0].actual ? l.v[0].actual : "-") < 0)
		abort();
	diff_list_free(&l);
	return s;
}

static void
is_one_diff(const struct catalog *e, const struct catalog *a, const char *want,
    const char *what)
{
	char *got = one_diff(e, a);

	is_str(got, want, what);
	free(got);
}

/* Index storage parameters (PostgreSQL): a set of "key=value", literal. */
static void
test_index_storage(void)
{
	struct catalog *e, *a, *lite;
	struct cat_table *te = one_table(&e, CAT_PG), *ta = one_table(&a, CAT_PG), *tl;
	struct cat_index *ie, *ia;
	struct diff_list l = { NULL, 0 };

	col(te, CAT_PG, "a", "integer", false, NULL);
	col(ta, CAT_PG, "a", "integer", false, NULL);
	idx(te, CAT_PG, "ix_a", "a", NULL);
	idx(ta, CAT_PG, "ix_a", "a", NULL);
	ie = &te->indexes[0];
	ia = &ta->indexes[0];
	strv(&ie->storage, "fillfactor=70 deduplicate_items=off");
	cat_strv_sort(&ie->storage);
	is_str(ie->storage.v[0], "deduplicate_items=off", "storage parameters are kept sorted");
	is_one_diff(e, a, "t.ix_a index_storage: WITH (deduplicate_items=off, fillfactor=70) | none",
	    "parameters against none: index_storage, shown as WITH (...)");
	strv(&ia->storage, "deduplicate_items=off fillfactor=70");
	is_int(ndiffs(e, a, &l), 0, "the same parameters: no difference");
	cat_strv_free(&ia->storage);
	strv(&ia->storage, "deduplicate_items=off fillfactor=90");
	is_one_diff(e, a, "t.ix_a index_storage: WITH (deduplicate_items=off, fillfactor=70) | "
	    "WITH (deduplicate_items=off, fillfactor=90)", "another value: index_storage");
	cat_strv_free(&ie->storage);
	is_one_diff(e, a, "t.ix_a index_storage: none | WITH (deduplicate_items=off, fillfactor=90)",
	    "a default written out is still a difference (literal)");

	/* Renames: identical but for the name includes the parameters. */
	free(ia->name);
	ia->name = strdup("ix_new");
	expect_diffs(e, a, "t.ix_a missing_index; t.ix_new extra_index",
	    "renamed with other storage parameters is missing + extra", CAT_PG);
	strv(&ie->storage, "deduplicate_items=off fillfactor=90");
	expect_diffs(e, a, "t.ix_a index_renamed (ix_a -> ix_new)",
	    "renamed with the same parameters is a rename", CAT_PG);

	/* SQLite has none: not compared across dialects. */
	tl = one_table(&lite, CAT_SQLITE);
	col(tl, CAT_SQLITE, "a", "INTEGER", false, NULL);
	idx(tl, CAT_SQLITE, "ix_a", "a", NULL);
	is_int(ndiffs(e, lite, &l), 0, "storage parameters are not compared with SQLite");
	diff_list_free(&l);
	cat_free(lite);
	cat_free(a);
	cat_free(e);
}

/* CHECK ... NO INHERIT (PostgreSQL). */
static void
test_check_no_inherit(void)
{
	struct catalog *e, *a, *lite;
	struct cat_table *te = one_table(&e, CAT_PG), *ta = one_table(&a, CAT_PG), *tl;
	struct diff_list l = { NULL, 0 };

	col(te, CAT_PG, "b", "integer", false, NULL);
	col(ta, CAT_PG, "b", "integer", false, NULL);
	cat_add_check(te, CAT_PG, "ck_b", "b > 0")->no_inherit = true;
	cat_add_check(ta, CAT_PG, "ck_b", "b > 0");
	is_one_diff(e, a, "t.ck_b check_inherit: NO INHERIT | INHERIT",
	    "NO INHERIT against a CHECK that is inherited: check_inherit");
	is_one_diff(a, e, "t.ck_b check_inherit: INHERIT | NO INHERIT", "... and the other way round");
	free(ta->checks[0].name);
	ta->checks[0].name = strdup("t_b_check");
	expect_diffs(e, a, "t.ck_b missing_check; t.t_b_check extra_check",
	    "renamed and inherited now is missing + extra", CAT_PG);
	ta->checks[0].no_inherit = true;
	expect_diffs(e, a, "t.ck_b constraint_renamed (ck_b -> t_b_check)",
	    "renamed, still NO INHERIT: a rename", CAT_PG);
	tl = one_table(&lite, CAT_SQLITE);
	col(tl, CAT_SQLITE, "b", "INTEGER", false, NULL);
	cat_add_check(tl, CAT_SQLITE, NULL, "b > 0");
	is_int(ndiffs(e, lite, &l), 0, "NO INHERIT is not compared with SQLite");
	diff_list_free(&l);
	cat_free(lite);
	cat_free(a);
	cat_free(e);
}

/* ON DELETE SET NULL / SET DEFAULT (cols), PostgreSQL 15. */
static void
test_fk_delete_columns(void)
{
	struct catalog *e, *a;
	struct cat_table *te = one_table(&e, CAT_PG), *ta = one_table(&a, CAT_PG);
	struct cat_fk *fe, *fa;
	struct diff_list l = { NULL, 0 };
	char *d;

	fk(te, "fk_t", "x, y, z", FK_SET_NULL);
	fk(ta, "fk_t", "x, y, z", FK_SET_NULL);
	fe = &te->fks[0];
	fa = &ta->fks[0];
	strv(&fe->on_delete_cols, "z, y");
	is_one_diff(e, a, "t.fk_t foreign_key_action: ON DELETE SET NULL (y, z) ON UPDATE NO ACTION | "
	    "ON DELETE SET NULL ON UPDATE NO ACTION",
	    "SET NULL (cols) against SET NULL: foreign_key_action, the columns in key order");
	strv(&fa->on_delete_cols, "y, z");
	is_int(ndiffs(e, a, &l), 0, "the same columns in another order: no difference");
	cat_strv_free(&fa->on_delete_cols);
	strv(&fa->on_delete_cols, "y");
	is_one_diff(e, a, "t.fk_t foreign_key_action: ON DELETE SET NULL (y, z) ON UPDATE NO ACTION | "
	    "ON DELETE SET NULL (y) ON UPDATE NO ACTION", "fewer columns: foreign_key_action");
	cat_strv_free(&fe->on_delete_cols);
	cat_strv_free(&fa->on_delete_cols);
	strv(&fa->on_delete_cols, "z, x, y");
	is_int(ndiffs(e, a, &l), 0, "a list of every key column is plain SET NULL");
	d = cat_fk_describe(fa);
	is_str(d, "(x, y, z) REFERENCES p (id) ON DELETE SET NULL", "... and is described as such");
	free(d);
	cat_strv_free(&fa->on_delete_cols);
	strv(&fa->on_delete_cols, "x");
	fa->on_delete = FK_SET_DEFAULT;
	d = cat_fk_describe(fa);
	is_str(d, "(x, y, z) REFERENCES p (id) ON DELETE SET DEFAULT (x)",
	    "SET DEFAULT (cols) is described with its columns");
	free(d);
	free(fa->name);
	fa->name = strdup("t_x_fkey");
	expect_diffs(e, a, "t.fk_t missing_foreign_key; t.t_x_fkey extra_foreign_key",
	    "renamed with another delete action: missing + extra", CAT_PG);
	diff_list_free(&l);
	cat_free(a);
	cat_free(e);
}

/* ---- SQLite's ON CONFLICT -------------------------------------------------- */

/* One difference of a kind, with its expected and actual as shown. */
static void
expect_one(const struct catalog *e, const struct catalog *a, const char *object,
    const char *kind, const char *expected, const char *actual, const char *what)
{
	struct diff_list l = { NULL, 0 };
	char label[200];

	compare_catalogs(e, a, &l);
	snprintf(label, sizeof label, "%s: one difference", what);
	if (is_int(l.n, 1, label)) {
		snprintf(label, sizeof label, "%s: %s %s", what, object, kind);
		is_str(l.v[0].object, object, label);
		is_str(diff_kind_name(l.v[0].kind), kind, label);
		snprintf(label, sizeof label, "%s: expected, actual", what);
		is_str(l.v[0].expected, expected, label);
		is_str(l.v[0].actual, actual, label);
	}
	diff_list_free(&l);
}

/* t (id pk, a NOT NULL, b, c) with UNIQUE (a) and UNIQUE (b, c); the clauses
 * given (ABORT: none). */
static struct catalog *
conflict_cat(enum cat_dialect d, const char *a_name, enum cat_conflict pk,
    enum cat_conflict nn, enum cat_conflict ua, enum cat_conflict ubc)
{
	struct catalog *c;
	struct cat_table *t = one_table(&c, d);

	col(t, d, "id", "integer", true, NULL);
	col(t, d, a_name, "text", true, NULL)->notnull_conflict = nn;
	col(t, d, "b", "integer", false, NULL);
	col(t, d, "c", "integer", false, NULL);
	strv(&cat_set_pk(t, NULL)->cols, "id");
	t->pk->conflict = pk;
	strv(&cat_add_unique(t, NULL)->cols, a_name);
	t->uniques[0].conflict = ua;
	strv(&cat_add_unique(t, NULL)->cols, "b, c");
	t->uniques[1].conflict = ubc;
	return c;
}

/* Each clause is its own kind; what SQLite writes is shown; PostgreSQL,
 * which has no clause, never differs from SQLite by one; a column renamed
 * with another clause is another column. */
static void
test_conflicts(void)
{
	struct catalog *e = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_ABORT, CONFLICT_ABORT), *a, *pg;
	struct diff_list l = { NULL, 0 };

	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_REPLACE,
	    CONFLICT_ABORT);
	expect_one(e, a, "t.UNIQUE (a)", "unique_conflict", "ON CONFLICT ABORT",
	    "ON CONFLICT REPLACE", "UNIQUE ON CONFLICT REPLACE");
	cat_free(a);
	/* The second key differs: pairing by columns, not by position. */
	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_IGNORE);
	cat_strv_free(&tbl(a, "t")->uniques[0].cols);
	strv(&tbl(a, "t")->uniques[0].cols, "b, c");
	tbl(a, "t")->uniques[0].conflict = CONFLICT_IGNORE;
	cat_strv_free(&tbl(a, "t")->uniques[1].cols);
	strv(&tbl(a, "t")->uniques[1].cols, "a");
	tbl(a, "t")->uniques[1].conflict = CONFLICT_ABORT;
	expect_one(e, a, "t.UNIQUE (b, c)", "unique_conflict", "ON CONFLICT ABORT",
	    "ON CONFLICT IGNORE", "a UNIQUE listed second is paired by its columns");
	cat_free(a);
	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_REPLACE, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_ABORT);
	expect_one(e, a, "t.PRIMARY KEY", "primary_key_conflict", "ON CONFLICT ABORT",
	    "ON CONFLICT REPLACE", "PRIMARY KEY ON CONFLICT REPLACE");
	cat_free(a);
	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_IGNORE, CONFLICT_ABORT,
	    CONFLICT_ABORT);
	expect_one(a, e, "t.a", "not_null_conflict", "ON CONFLICT IGNORE",
	    "ON CONFLICT ABORT", "NOT NULL ON CONFLICT IGNORE expected, none there");
	/* Nullable: the clause of a NOT NULL that is gone is not a second difference. */
	tbl(e, "t")->cols[1].notnull = false;
	expect_one(a, e, "t.a", "column_nullability", "NOT NULL", "NULL",
	    "a nullable column has no NOT NULL clause to differ");
	tbl(e, "t")->cols[1].notnull = true;
	cat_free(a);

	/* A missing UNIQUE is described (and named) with its clause. */
	pg = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_FAIL);
	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_FAIL);
	cat_strv_free(&tbl(a, "t")->uniques[1].cols);
	tbl(a, "t")->nuniques = 1;
	expect_one(pg, a, "t.UNIQUE (b, c) ON CONFLICT FAIL", "missing_unique",
	    "UNIQUE (b, c) ON CONFLICT FAIL", NULL, "a missing UNIQUE shows its clause");
	cat_free(pg);
	cat_free(a);

	/* Renames: the clause is part of "identical but for the name". */
	a = conflict_cat(CAT_SQLITE, "a2", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_ABORT);
	cat_strv_free(&tbl(a, "t")->uniques[0].cols);
	strv(&tbl(a, "t")->uniques[0].cols, "a");
	expect_one(e, a, "t.a", "column_renamed", "a", "a2", "same clause: a rename");
	cat_free(a);
	a = conflict_cat(CAT_SQLITE, "a2", CONFLICT_ABORT, CONFLICT_REPLACE, CONFLICT_ABORT,
	    CONFLICT_ABORT);
	cat_strv_free(&tbl(a, "t")->uniques[0].cols);
	strv(&tbl(a, "t")->uniques[0].cols, "a");
	expect_diffs(e, a, "t.a missing_column; t.a2 extra_column",
	    "renamed with another NOT NULL clause is missing + extra", CAT_SQLITE);
	cat_free(a);

	/* Across dialects: PostgreSQL has no clause, so none is a difference. */
	pg = conflict_cat(CAT_PG, "a", CONFLICT_ABORT, CONFLICT_ABORT, CONFLICT_ABORT,
	    CONFLICT_ABORT);
	a = conflict_cat(CAT_SQLITE, "a", CONFLICT_REPLACE, CONFLICT_IGNORE, CONFLICT_REPLACE,
	    CONFLICT_FAIL);
	compare_catalogs(pg, a, &l);
	is_int(l.n, 0, "PostgreSQL against SQLite with every clause: no difference");
	diff_list_free(&l);
	compare_catalogs(a, pg, &l);
	is_int(l.n, 0, "... in both directions");
	diff_list_free(&l);
	cat_free(pg);
	cat_free(a);
	cat_free(e);
}

int
main(void)
{
	test_mutations();
	test_cross_dialect();
	test_not_valid_and_deferrable();
	test_unparsable();
	test_kind_names();
	test_renames();
	test_column_renames(CAT_PG);
	test_column_renames(CAT_SQLITE);
	test_index_renames(CAT_PG);
	test_index_renames(CAT_SQLITE);
	test_constraint_renames();
	test_cross_renames();
	test_index_storage();
	test_check_no_inherit();
	test_fk_delete_columns();
	test_conflicts();
	return tap_done();
}

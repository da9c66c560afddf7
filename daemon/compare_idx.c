/* compare_idx.c — one index against another (compare.c matches them).
 *
 * Indexes are matched by name (both dialects report index names); an index
 * under another name that is the same in everything index_same() compares
 * is a rename. What a difference names: uniqueness, access method, keys
 * (canonical: expression, collation, operator class, order, NULLS), INCLUDE
 * columns, the partial predicate, and, between two PostgreSQL catalogs,
 * NULLS NOT DISTINCT and storage parameters. Across dialects what SQLite
 * cannot say is not compared. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compare_int.h"
#include "normalize.h"
#include "util.h"

static const char *
index_name(const void *p)
{
	return ((const struct cat_index *)p)->name;
}

/* No predicate on both sides, or the same canonical one. */
static bool
pred_eq(const struct cat_index *e, const struct cat_index *a)
{
	if (e->pred == NULL || a->pred == NULL)
		return e->pred == a->pred;
	return strcmp(e->pred, a->pred) == 0;
}

/* As the database spelled it, or its "unparsable (WHY): ..." form, so that
 * nobody takes a difference of spelling for a checked one. */
static const char *
pred_shown(const struct cat_index *ix)
{
	return ix->pred != NULL && norm_is_unparsable(ix->pred) ? ix->pred : ix->pred_raw;
}

static bool
index_same(const struct cmp *c, const void *pe, const void *pa)
{
	const struct cat_index *e = pe, *a = pa;

	return e->unique == a->unique && strcmp(e->method, a->method) == 0 &&
	    cat_strv_eq(&e->keys, &a->keys) && cat_strv_eq(&e->include, &a->include) &&
	    pred_eq(e, a) &&
	    (c->cross || (e->nulls_not_distinct == a->nulls_not_distinct &&
	    cat_strv_eq(&e->storage, &a->storage)));
}

/* Storage parameters are compared as the server stored them, literally:
 * fillfactor=90 written for a btree (its default) is still a difference
 * from none, and fastupdate=off from fastupdate=false. Knowing every
 * access method's defaults and value spellings is not worth the risk of
 * hiding a real change. SQLite has none: not compared across dialects. */
static char *
index_storage_text(const struct cat_index *ix)
{
	char *list, *s;

	if (ix->storage.n == 0)
		return xstrdup("none");
	list = cat_strv_join(&ix->storage);
	s = xasprintf("WITH (%s)", list);
	free(list);
	return s;
}

static char *
index_describe(const void *p)
{
	return cat_index_describe(p);
}

static void
strv_detail(struct cmp *c, int pos, const char *member, enum diff_kind kind,
    const struct cat_strv *e, const struct cat_strv *a)
{
	char *de, *da;

	if (cat_strv_eq(e, a))
		return;
	de = cat_strv_join(e);
	da = cat_strv_join(a);
	cmp_add_diff(c, CAT_INDEX, pos, kind, member, de, da);
	free(de);
	free(da);
}

static void
storage_detail(struct cmp *c, int pos, const char *member, const struct cat_index *e,
    const struct cat_index *a)
{
	char *de, *da;

	if (c->cross || cat_strv_eq(&e->storage, &a->storage))
		return;
	de = index_storage_text(e);
	da = index_storage_text(a);
	cmp_add_diff(c, CAT_INDEX, pos, DIFF_INDEX_STORAGE, member, de, da);
	free(de);
	free(da);
}

static void
index_details(struct cmp *c, int pos, const char *member, const void *pe, const void *pa)
{
	const struct cat_index *e = pe, *a = pa;

	if (e->unique != a->unique)
		cmp_add_diff(c, CAT_INDEX, pos, DIFF_INDEX_UNIQUENESS, member,
		    e->unique ? "UNIQUE" : "NOT UNIQUE", a->unique ? "UNIQUE" : "NOT UNIQUE");
	if (strcmp(e->method, a->method) != 0)
		cmp_add_diff(c, CAT_INDEX, pos, DIFF_INDEX_METHOD, member, e->method, a->method);
	strv_detail(c, pos, member, DIFF_INDEX_COLUMNS, &e->keys, &a->keys);
	strv_detail(c, pos, member, DIFF_INDEX_INCLUDE, &e->include, &a->include);
	if (!pred_eq(e, a))
		cmp_add_diff(c, CAT_INDEX, pos, DIFF_INDEX_PREDICATE, member, pred_shown(e),
		    pred_shown(a));
	if (!c->cross && e->nulls_not_distinct != a->nulls_not_distinct)
		cmp_add_diff(c, CAT_INDEX, pos, DIFF_INDEX_NULLS, member,
		    e->nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT",
		    a->nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT");
	storage_detail(c, pos, member, e, a);
}

const struct member_ops cmp_index_ops = {
	CAT_INDEX, sizeof(struct cat_index), "INDEX", true,
	DIFF_MISSING_INDEX, DIFF_EXTRA_INDEX, DIFF_INDEX_RENAMED,
	index_name, index_same, NULL, index_details, index_describe,
};

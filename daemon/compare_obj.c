/* compare_obj.c — a table's options and the catalogs' other objects
 * (views, functions, triggers, ...: catobj.c), compared property by property.
 *
 * Objects are matched by kind and name (a function's name carries its
 * argument types, a table's member is "table.name"), so an overload or a
 * trigger of another table is another object. Every property that differs
 * is one difference "K_changed" naming the property, which is what an
 * operator acts on ("volatility: STABLE" against "volatility: VOLATILE"),
 * rather than one opaque "changed".
 *
 * Objects belong to one dialect: between a SQLite and a PostgreSQL catalog
 * (compare A B, groups) only tables are compared, as before. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "catobj_kinds.h"
#include "compare_int.h"
#include "util.h"

/* The differences of each object kind: made from catobj_kinds.h's list,
 * as catobj.c's cat_object_kinds[] and compare.h's DIFF_KINDS are. */
#define KIND_DIFFS(a, ident, name)					\
	{ name, DIFF_MISSING_##ident, DIFF_EXTRA_##ident, DIFF_##ident##_CHANGED },
static const struct {
	const char	*kind;
	enum diff_kind	 missing, extra, changed;
} object_diffs[] = {
	CAT_OBJECT_KINDS(KIND_DIFFS, 0)
};
#undef KIND_DIFFS

/* The differences of each table option (catalog.h's cat_table.opts). */
static const struct {
	const char	*key;
	enum diff_kind	 kind;
} option_diffs[] = {
	{ "table_persistence",	DIFF_TABLE_PERSISTENCE },
	{ "table_row_security",	DIFF_TABLE_ROW_SECURITY },
	{ "partition_key",	DIFF_PARTITION_KEY },
	{ "partition_bound",	DIFF_PARTITION_BOUND },
	{ "table_without_rowid",	DIFF_TABLE_WITHOUT_ROWID },
	{ "table_strict",	DIFF_TABLE_STRICT },
	{ "table_autoincrement",	DIFF_TABLE_AUTOINCREMENT },
};

enum which { D_MISSING, D_EXTRA, D_CHANGED };

/* -1 for a kind this file does not know. */
static int
object_diff_kind(const char *kind, enum which w)
{
	size_t i;

	for (i = 0; i < sizeof object_diffs / sizeof object_diffs[0]; i++)
		if (strcmp(object_diffs[i].kind, kind) == 0)
			return (int)(w == D_MISSING ? object_diffs[i].missing :
			    w == D_EXTRA ? object_diffs[i].extra : object_diffs[i].changed);
	return -1;
}

int
compare_option_kind(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof option_diffs / sizeof option_diffs[0]; i++)
		if (strcmp(option_diffs[i].key, key) == 0)
			return (int)option_diffs[i].kind;
	return -1;
}

int
compare_object_kind(const char *kind, int which)
{
	return object_diff_kind(kind, (enum which)which);
}

static const char *
shown(const struct cat_prop *p)
{
	return p != NULL ? p->raw : "none";
}

/* Every key of either side, in order, once; calls fn with both properties
 * (either may be NULL) when they compare different. */
typedef void (*prop_diff_fn)(struct cmp *, const void *arg, int pos, const char *key,
    const struct cat_prop *e, const struct cat_prop *a);

static void
diff_props(struct cmp *c, const char *kind, const struct cat_props *e,
    const struct cat_props *a, prop_diff_fn fn, const void *arg)
{
	int i = 0, j = 0, r, pos = 0;
	const struct cat_prop *pe, *pa;
	const char *key;

	while (i < e->n || j < a->n) {
		r = i >= e->n ? 1 : j >= a->n ? -1 : strcmp(e->v[i].key, a->v[j].key);
		pe = r <= 0 ? &e->v[i++] : NULL;
		pa = r >= 0 ? &a->v[j++] : NULL;
		key = pe != NULL ? pe->key : pa->key;
		if (cat_prop_informational(kind, key))
			continue;
		if (pe == NULL || pa == NULL || strcmp(cat_prop_text(pe), cat_prop_text(pa)) != 0)
			fn(c, arg, pos++, key, pe, pa);
	}
}

/* ---- table options ------------------------------------------------------------ */

static void
option_diff(struct cmp *c, const void *arg, int pos, const char *key,
    const struct cat_prop *e, const struct cat_prop *a)
{
	int k = compare_option_kind(key);

	(void)arg;
	if (k >= 0)
		cmp_add_diff(c, CAT_OPTIONS, pos, (enum diff_kind)k, NULL, shown(e), shown(a));
}

void
cmp_table_options(struct cmp *c, const struct cat_table *te, const struct cat_table *ta)
{
	if (!c->cross)
		diff_props(c, "table", &te->opts, &ta->opts, option_diff, NULL);
}

/* ---- objects -------------------------------------------------------------------- */

/* A catalog's tables by name. Tables are kept in dependency order, so
 * cat_find_table() is a linear search; an object names its table, and with
 * thousands of both that search would be the cost of a check. */
struct tables_by_name {
	const struct cat_table	**v;
	int			  n;
};

static int
table_order(const void *pa, const void *pb)
{
	const struct cat_table *const *a = pa, *const *b = pb;

	return strcmp((*a)->name, (*b)->name);
}

static int
table_key_order(const void *key, const void *pb)
{
	const struct cat_table *const *b = pb;

	return strcmp(key, (*b)->name);
}

static void
tables_index(struct tables_by_name *ix, const struct catalog *cat)
{
	int i;

	ix->n = cat->ntables;
	ix->v = xreallocarray(NULL, (size_t)ix->n + 1, sizeof *ix->v);
	for (i = 0; i < ix->n; i++)
		ix->v[i] = &cat->tables[i];
	if (ix->n > 1)
		qsort(ix->v, (size_t)ix->n, sizeof *ix->v, table_order);
}

static const struct cat_table *
tables_find(const struct tables_by_name *ix, const char *name)
{
	const struct cat_table *const *t;

	if (ix->n == 0)
		return NULL;
	t = bsearch(name, ix->v, (size_t)ix->n, sizeof *ix->v, table_key_order);
	return t != NULL ? *t : NULL;
}

/* What one comparison of objects looks up again and again, computed once. */
struct objcmp {
	struct cmp		*c;
	struct tables_by_name	 et, at;	/* each side's tables */
	bool			 comments;	/* the definition has comments */
};

/* Where an object's differences go: with its table's, or after all tables. */
static void
place(struct objcmp *oc, const struct cat_object *o)
{
	struct cmp *c = oc->c;
	const struct cat_table *t;

	c->table = o->name;
	c->table_rank = CMP_OBJECTS_RANK;
	if (o->table != NULL && (t = tables_find(&oc->et, o->table)) != NULL)
		c->table_rank = (int)(t - c->e->tables + 1) * c->stride;
}

static int
category_of(const struct cat_object *o)
{
	int i;

	if (o->table != NULL)
		return CAT_OBJECT;
	for (i = 0; cat_object_kinds[i] != NULL; i++)
		if (strcmp(cat_object_kinds[i], o->kind) == 0)
			return i;
	return i;
}

static void
prop_diff(struct cmp *c, const void *arg, int pos, const char *key,
    const struct cat_prop *e, const struct cat_prop *a)
{
	const struct cat_object *o = arg;
	char *te = xasprintf("%s: %s", key, shown(e)), *ta = xasprintf("%s: %s", key, shown(a));
	int k = object_diff_kind(o->kind, D_CHANGED);

	if (k >= 0)
		cmp_add_diff(c, category_of(o), pos, (enum diff_kind)k, NULL, te, ta);
	free(te);
	free(ta);
}

static bool
has_kind(const struct catalog *cat, const char *kind)
{
	int i;

	for (i = 0; i < cat->nobjects; i++)
		if (strcmp(cat->objects[i].kind, kind) == 0)
			return true;
	return false;
}

/* Whether an object only the live side has is a difference: a member of a
 * table of the definition is (as an extra index is); one of a table the
 * definition does not have is not (the table itself is reported, or is
 * none of our business); comments count only when the definition has any
 * (definitions.md: nobody is alerted over a comment unless they keep them). */
static bool
extra_counts(const struct objcmp *oc, const struct cat_object *o)
{
	if (!oc->comments && strcmp(o->kind, "comment") == 0)
		return false;
	if (o->table != NULL)
		return tables_find(&oc->et, o->table) != NULL &&
		    tables_find(&oc->at, o->table) != NULL;
	return true;
}

static void
object_same_name(struct objcmp *oc, const struct cat_object *eo, const struct cat_object *ao)
{
	place(oc, eo);
	diff_props(oc->c, eo->kind, &eo->props, &ao->props, prop_diff, eo);
}

static void
object_missing(struct objcmp *oc, const struct cat_object *eo)
{
	int k;

	/* A missing table already says its members are missing. */
	if ((eo->table != NULL && tables_find(&oc->at, eo->table) == NULL) ||
	    (k = object_diff_kind(eo->kind, D_MISSING)) < 0)
		return;
	place(oc, eo);
	cmp_add_diff(oc->c, category_of(eo), 0, (enum diff_kind)k, NULL, eo->name, NULL);
}

static void
object_extra(struct objcmp *oc, const struct cat_object *ao)
{
	int k;

	if (!extra_counts(oc, ao) || (k = object_diff_kind(ao->kind, D_EXTRA)) < 0)
		return;
	place(oc, ao);
	cmp_add_diff(oc->c, category_of(ao), 0, (enum diff_kind)k, NULL, NULL, ao->name);
}

static int
object_qsort_order(const void *a, const void *b)
{
	return cat_object_order(a, b);
}

/* cat's objects in cat_object_order(): its own array, which every reader
 * sorts once as it loads a catalog (pgcat.c, sqlcat.c, catjson.c), checked
 * in one pass. A catalog put together otherwise and left unsorted gets a
 * sorted shallow copy (*copy, for the caller to free): the walk below is
 * then slower, never wrong. */
static const struct cat_object *
objects_in_order(const struct catalog *cat, struct cat_object **copy)
{
	int i;

	*copy = NULL;
	for (i = 1; i < cat->nobjects; i++)
		if (cat_object_order(&cat->objects[i - 1], &cat->objects[i]) > 0)
			break;
	if (i >= cat->nobjects)
		return cat->objects;
	*copy = xreallocarray(NULL, (size_t)cat->nobjects, sizeof **copy);
	memcpy(*copy, cat->objects, (size_t)cat->nobjects * sizeof **copy);
	qsort(*copy, (size_t)cat->nobjects, sizeof **copy, object_qsort_order);
	return *copy;
}

/* Both sides' objects in cat_object_order(): one merge walk pairs them by
 * kind and name. O(n + m) steps, each with an O(log t) table lookup at
 * most, where a search of one side for every object of the other was
 * O(n * m). */
void
cmp_objects(struct cmp *c)
{
	struct objcmp oc = { c, { NULL, 0 }, { NULL, 0 }, false };
	const struct cat_object *ev, *av, *eo, *ao;
	struct cat_object *ecopy, *acopy;
	int i = 0, j = 0, ne = c->e->nobjects, na = c->a->nobjects, r;

	if (c->cross || (ne == 0 && na == 0))
		return;
	ev = objects_in_order(c->e, &ecopy);
	av = objects_in_order(c->a, &acopy);
	tables_index(&oc.et, c->e);
	tables_index(&oc.at, c->a);
	oc.comments = has_kind(c->e, "comment");
	while (i < ne || j < na) {
		eo = i < ne ? &ev[i] : NULL;
		ao = j < na ? &av[j] : NULL;
		r = eo == NULL ? 1 : ao == NULL ? -1 : cat_object_order(eo, ao);
		if (r == 0)
			object_same_name(&oc, eo, ao);
		else if (r < 0)
			object_missing(&oc, eo);
		else
			object_extra(&oc, ao);
		i += r <= 0;
		j += r >= 0;
	}
	free(oc.et.v);
	free(oc.at.v);
	free(ecopy);
	free(acopy);
}

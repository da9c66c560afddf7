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

/* One side of a comparison of objects: its objects in cat_object_order()
 * (its own array, or a sorted copy), the kinds among them and its tables by
 * name, looked up again and again, so made once. */
struct objside {
	const struct cat_object	*v;
	int			 n;
	struct cat_object	*copy;		/* v when it had to be sorted */
	const char		**kinds;	/* the distinct kinds of v, in order */
	int			 nkinds;
	struct tables_by_name	 tables;
};

struct objcmp {
	struct cmp	*c;
	struct objside	 e, a;
	bool		 comments;	/* the definition has comments */
};

static int
object_qsort_order(const void *a, const void *b)
{
	return cat_object_order(a, b);
}

/* The objects in cat_object_order(): the catalog's own array, which every
 * reader sorts once as it loads a catalog (pgcat.c, sqlcat.c, catjson.c),
 * checked in one pass. A catalog put together otherwise and left unsorted
 * gets a sorted shallow copy: the walk is then slower, never wrong. */
static void
side_init(struct objside *s, const struct catalog *cat)
{
	int i;

	memset(s, 0, sizeof *s);
	s->v = cat->objects;
	s->n = cat->nobjects;
	for (i = 1; i < s->n; i++)
		if (cat_object_order(&s->v[i - 1], &s->v[i]) > 0)
			break;
	if (i < s->n) {
		s->copy = xreallocarray(NULL, (size_t)s->n, sizeof *s->copy);
		memcpy(s->copy, cat->objects, (size_t)s->n * sizeof *s->copy);
		qsort(s->copy, (size_t)s->n, sizeof *s->copy, object_qsort_order);
		s->v = s->copy;
	}
	s->kinds = xreallocarray(NULL, (size_t)s->n + 1, sizeof *s->kinds);
	for (i = 0; i < s->n; i++)
		if (i == 0 || strcmp(s->v[i - 1].kind, s->v[i].kind) != 0)
			s->kinds[s->nkinds++] = s->v[i].kind;
	tables_index(&s->tables, cat);
}

static void
side_fini(struct objside *s)
{
	free(s->copy);
	free(s->kinds);
	free(s->tables.v);
}

/* The object of a kind and name, in O(log n). */
static const struct cat_object *
side_find(const struct objside *s, const char *kind, const char *name)
{
	struct cat_object key = { (char *)kind, (char *)name, NULL, { NULL, 0 } };

	if (s->n == 0)
		return NULL;
	return bsearch(&key, s->v, (size_t)s->n, sizeof *s->v, object_qsort_order);
}

/* Where an object's differences go: with its table's, or after all tables. */
static void
place(struct objcmp *oc, const struct cat_object *o)
{
	struct cmp *c = oc->c;
	const struct cat_table *t;

	c->table = o->name;
	c->table_rank = CMP_OBJECTS_RANK;
	if (o->table != NULL && (t = tables_find(&oc->e.tables, o->table)) != NULL)
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
		return tables_find(&oc->e.tables, o->table) != NULL &&
		    tables_find(&oc->a.tables, o->table) != NULL;
	return true;
}

/* Whether a schema-level object of `has` named `name`, of a kind other
 * than `kind`, is one `lacks` does not hold. A name is one object per
 * kind: one lookup per kind `has` holds. */
static bool
absent_other(const struct objside *has, const struct objside *lacks, const char *kind,
    const char *name)
{
	const struct cat_object *p;
	int i;

	for (i = 0; i < has->nkinds; i++)
		if (strcmp(has->kinds[i], kind) != 0 &&
		    (p = side_find(has, has->kinds[i], name)) != NULL && p->table == NULL &&
		    side_find(lacks, p->kind, p->name) == NULL)
			return true;
	return false;
}

/* Whether object o of `has` is part of a schema-level object that `has`
 * holds and `lacks` does not: a view's trigger ("v.trg"), a comment on a
 * view, its column or its index ("v", "v.col", "mv.ix"), on a function
 * ("f(integer)"), on a domain's constraint ("d.check"). That object is the
 * one difference, as a missing table is for its members (which have their
 * table and are handled by it). "Part of": o's name is the other's, or
 * starts with it and a dot (only a comment bears its object's very name);
 * the other is of another kind. Each such prefix of o's name is looked up,
 * rather than every object of `has` tried. */
static bool
part_of_absent(const struct objside *has, const struct objside *lacks,
    const struct cat_object *o)
{
	char *name, *dot;
	bool found;

	if (o->table != NULL ||
	    (strchr(o->name, '.') == NULL && strcmp(o->kind, "comment") != 0))
		return false;
	name = xstrdup(o->name);
	found = absent_other(has, lacks, o->kind, name);
	for (dot = strchr(name, '.'); !found && dot != NULL; dot = strchr(dot + 1, '.')) {
		*dot = '\0';
		found = absent_other(has, lacks, o->kind, name);
		*dot = '.';
	}
	free(name);
	return found;
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

	/* A missing table or view already says its members are missing. */
	if ((eo->table != NULL && tables_find(&oc->a.tables, eo->table) == NULL) ||
	    part_of_absent(&oc->e, &oc->a, eo) ||
	    (k = object_diff_kind(eo->kind, D_MISSING)) < 0)
		return;
	place(oc, eo);
	cmp_add_diff(oc->c, category_of(eo), 0, (enum diff_kind)k, NULL, eo->name, NULL);
}

static void
object_extra(struct objcmp *oc, const struct cat_object *ao)
{
	int k;

	if (!extra_counts(oc, ao) || part_of_absent(&oc->a, &oc->e, ao) ||
	    (k = object_diff_kind(ao->kind, D_EXTRA)) < 0)
		return;
	place(oc, ao);
	cmp_add_diff(oc->c, category_of(ao), 0, (enum diff_kind)k, NULL, NULL, ao->name);
}

/* Both sides' objects in cat_object_order(): one merge walk pairs them by
 * kind and name. O(n + m) steps, each with O(log t) table lookups and, for
 * an unpaired object whose name has dots or that is a comment, O(d * k *
 * log n) lookups (d its dots, k the kinds held), where a search of one side
 * for every object of the other was O(n * m). */
void
cmp_objects(struct cmp *c)
{
	struct objcmp oc;
	const struct cat_object *eo, *ao;
	int i = 0, j = 0, r;

	if (c->cross || (c->e->nobjects == 0 && c->a->nobjects == 0))
		return;
	oc.c = c;
	side_init(&oc.e, c->e);
	side_init(&oc.a, c->a);
	oc.comments = has_kind(c->e, "comment");
	while (i < oc.e.n || j < oc.a.n) {
		eo = i < oc.e.n ? &oc.e.v[i] : NULL;
		ao = j < oc.a.n ? &oc.a.v[j] : NULL;
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
	side_fini(&oc.e);
	side_fini(&oc.a);
}

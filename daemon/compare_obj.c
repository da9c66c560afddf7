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

#include "compare_int.h"
#include "util.h"

/* The differences of each object kind of catobj.c (tests/unit/test_catobj.c
 * proves the two tables agree). */
static const struct {
	const char	*kind;
	enum diff_kind	 missing, extra, changed;
} object_diffs[] = {
	{ "extension",
	    DIFF_MISSING_EXTENSION, DIFF_EXTRA_EXTENSION, DIFF_EXTENSION_CHANGED },
	{ "enum",		DIFF_MISSING_ENUM, DIFF_EXTRA_ENUM, DIFF_ENUM_CHANGED },
	{ "domain",		DIFF_MISSING_DOMAIN, DIFF_EXTRA_DOMAIN, DIFF_DOMAIN_CHANGED },
	{ "composite_type",
	    DIFF_MISSING_COMPOSITE_TYPE, DIFF_EXTRA_COMPOSITE_TYPE, DIFF_COMPOSITE_TYPE_CHANGED },
	{ "sequence",		DIFF_MISSING_SEQUENCE, DIFF_EXTRA_SEQUENCE, DIFF_SEQUENCE_CHANGED },
	{ "function",		DIFF_MISSING_FUNCTION, DIFF_EXTRA_FUNCTION, DIFF_FUNCTION_CHANGED },
	{ "procedure",
	    DIFF_MISSING_PROCEDURE, DIFF_EXTRA_PROCEDURE, DIFF_PROCEDURE_CHANGED },
	{ "view",		DIFF_MISSING_VIEW, DIFF_EXTRA_VIEW, DIFF_VIEW_CHANGED },
	{ "materialized_view",
	    DIFF_MISSING_MATERIALIZED_VIEW, DIFF_EXTRA_MATERIALIZED_VIEW, DIFF_MATERIALIZED_VIEW_CHANGED },
	{ "exclusion",
	    DIFF_MISSING_EXCLUSION, DIFF_EXTRA_EXCLUSION, DIFF_EXCLUSION_CHANGED },
	{ "trigger",		DIFF_MISSING_TRIGGER, DIFF_EXTRA_TRIGGER, DIFF_TRIGGER_CHANGED },
	{ "policy",		DIFF_MISSING_POLICY, DIFF_EXTRA_POLICY, DIFF_POLICY_CHANGED },
	{ "comment",		DIFF_MISSING_COMMENT, DIFF_EXTRA_COMMENT, DIFF_COMMENT_CHANGED },
};

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

/* Where an object's differences go: with its table's, or after all tables. */
static void
place(struct cmp *c, const struct cat_object *o)
{
	int i;

	c->table = o->name;
	c->table_rank = CMP_OBJECTS_RANK;
	if (o->table == NULL)
		return;
	for (i = 0; i < c->e->ntables; i++)
		if (strcmp(c->e->tables[i].name, o->table) == 0) {
			c->table_rank = (i + 1) * c->stride;
			return;
		}
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
extra_counts(const struct cmp *c, const struct cat_object *o)
{
	if (strcmp(o->kind, "comment") == 0 && !has_kind(c->e, "comment"))
		return false;
	if (o->table != NULL)
		return cat_find_table(c->e, o->table) != NULL &&
		    cat_find_table(c->a, o->table) != NULL;
	return true;
}

/* Whether object o of catalog `has` is part of a schema-level object that
 * `has` holds and `lacks` does not: a view's trigger ("v.trg"), a comment
 * on a view, its column or its index ("v", "v.col", "mv.ix"), on a function
 * ("f(integer)"), on a domain's constraint ("d.check"). That object is the
 * one difference, as a missing table is for its members (which have their
 * table and are handled by it). "Part of": o's name is the other's, or
 * starts with it and a dot (only a comment bears its object's very name);
 * the other is of another kind. */
static bool
part_of_absent(const struct catalog *has, const struct catalog *lacks,
    const struct cat_object *o)
{
	const struct cat_object *p;
	size_t n;
	int i;

	if (o->table != NULL ||
	    (strchr(o->name, '.') == NULL && strcmp(o->kind, "comment") != 0))
		return false;
	for (i = 0; i < has->nobjects; i++) {
		p = &has->objects[i];
		if (p->table != NULL || strcmp(p->kind, o->kind) == 0)
			continue;
		n = strlen(p->name);
		if (strncmp(o->name, p->name, n) == 0 &&
		    (o->name[n] == '\0' || o->name[n] == '.') &&
		    cat_find_object(lacks, p->kind, p->name) == NULL)
			return true;
	}
	return false;
}

void
cmp_objects(struct cmp *c)
{
	const struct cat_object *eo, *ao;
	int i, k;

	if (c->cross)
		return;
	for (i = 0; i < c->e->nobjects; i++) {
		eo = &c->e->objects[i];
		place(c, eo);
		if ((ao = cat_find_object(c->a, eo->kind, eo->name)) != NULL)
			diff_props(c, eo->kind, &eo->props, &ao->props, prop_diff, eo);
		else if ((eo->table == NULL || cat_find_table(c->a, eo->table) != NULL) &&
		    !part_of_absent(c->e, c->a, eo) &&
		    (k = object_diff_kind(eo->kind, D_MISSING)) >= 0)
			/* A missing table or view already says its members are missing. */
			cmp_add_diff(c, category_of(eo), 0, (enum diff_kind)k, NULL, eo->name, NULL);
	}
	for (i = 0; i < c->a->nobjects; i++) {
		ao = &c->a->objects[i];
		if (cat_find_object(c->e, ao->kind, ao->name) != NULL || !extra_counts(c, ao) ||
		    part_of_absent(c->a, c->e, ao))
			continue;
		place(c, ao);
		if ((k = object_diff_kind(ao->kind, D_EXTRA)) >= 0)
			cmp_add_diff(c, category_of(ao), 0, (enum diff_kind)k, NULL, NULL, ao->name);
	}
}

/* compare.c — what differs between two catalogs, object by object.
 *
 * Columns are matched by name; indexes by name (both dialects report index
 * names, and a definition makes them part of its schema); constraints by name
 * where both sides report names, otherwise by content, then by a weaker key (a
 * foreign key's local columns), then pairwise in order, so that a changed
 * CHECK on SQLite is one "check_expression" difference rather than a missing
 * and an extra one. Everything compared is canonical text (normalize.c).
 *
 * Where names count (columns, indexes, constraints when both sides name
 * them), what is left unmatched by name on both sides is paired as a rename
 * when the two are the same but for the name and neither has another such
 * partner: one difference saying "renamed" is what an operator acts on, a
 * missing and an extra object are not. Two equal candidates are ambiguous and
 * stay missing + extra; guessing wrong would name the wrong object.
 *
 * What one index compares and reports is compare_idx.c's; table options
 * and schema objects are compare_obj.c's. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_int.h"
#include "normalize.h"
#include "util.h"

#define DIFF_NAME(e, s) [DIFF_##e] = s,
static const char *const diff_kind_names[DIFF__COUNT] = {
	DIFF_KINDS(DIFF_NAME)
};
#undef DIFF_NAME

const char *
diff_kind_name(enum diff_kind k)
{
	return diff_kind_names[k];
}

bool
diff_kind_is_rename(enum diff_kind k)
{
	return k == DIFF_COLUMN_RENAMED || k == DIFF_INDEX_RENAMED || k == DIFF_CONSTRAINT_RENAMED;
}

int
diff_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < DIFF__COUNT; i++)
		if (strcmp(diff_kind_names[i], s) == 0)
			return i;
	if (strcmp(s, "constraint_name") == 0)	/* its former name: see compare.h */
		return DIFF_CONSTRAINT_RENAMED;
	return -1;
}

void
cmp_add_diff(struct cmp *c, int category, int position, enum diff_kind kind,
    const char *member, const char *expected, const char *actual)
{
	struct diff *d;

	c->out->v = xreallocarray(c->out->v, (size_t)c->out->n + 1, sizeof *c->out->v);
	d = &c->out->v[c->out->n++];
	d->object = member != NULL ? xasprintf("%s.%s", c->table, member) : xstrdup(c->table);
	d->kind = kind;
	d->expected = expected != NULL ? xstrdup(expected) : NULL;
	d->actual = actual != NULL ? xstrdup(actual) : NULL;
	d->table_rank = c->table_rank;
	d->category = category;
	d->position = position;
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* ---- matching: by name, then renames ---------------------------------------- */

struct matching {
	int	*e2a;		/* expected index -> actual index, or -1 */
	bool	*aused;
	bool	*renamed;	/* expected index paired by match_renames() */
};

typedef bool (*same_fn)(const struct cmp *, const void *, const void *);

static void
matching_init(struct matching *m, int ne, int na)
{
	int i;

	m->e2a = xmalloc(((size_t)ne + 1) * sizeof *m->e2a);
	m->aused = xcalloc((size_t)na + 1, sizeof *m->aused);
	m->renamed = xcalloc((size_t)ne + 1, sizeof *m->renamed);
	for (i = 0; i < ne; i++)
		m->e2a[i] = -1;
}

static void
matching_free(struct matching *m)
{
	free(m->e2a);
	free(m->aused);
	free(m->renamed);
}

static void
pair(struct matching *m, int i, int j)
{
	m->e2a[i] = j;
	m->aused[j] = true;
}

/* The one unmatched actual object the same as expected object i, or -1 when
 * there is none or more than one. */
static int
only_partner(const struct cmp *c, same_fn same, size_t size, const void *ev, int i,
    const void *av, int na, const struct matching *m)
{
	const void *e = (const char *)ev + (size_t)i * size;
	int j, found = -1;

	for (j = 0; j < na; j++) {
		if (m->aused[j] || !same(c, e, (const char *)av + (size_t)j * size))
			continue;
		if (found >= 0)
			return -1;
		found = j;
	}
	return found;
}

/* Pair what is unmatched on both sides, when it is the same but for its name
 * and the pairing is unique both ways (i's only partner is j and j's only
 * partner is i). A unique pair never takes another pair's partner, so the
 * order of the passes does not change the outcome. */
static void
match_renames(const struct cmp *c, same_fn same, size_t size, const void *ev, int ne,
    const void *av, int na, struct matching *m)
{
	const void *a;
	int i, j, k, n;

	for (i = 0; i < ne; i++) {
		if (m->e2a[i] >= 0 ||
		    (j = only_partner(c, same, size, ev, i, av, na, m)) < 0)
			continue;
		a = (const char *)av + (size_t)j * size;
		for (k = n = 0; k < ne; k++)
			if (m->e2a[k] < 0 && same(c, (const char *)ev + (size_t)k * size, a))
				n++;
		if (n != 1)
			continue;
		pair(m, i, j);
		m->renamed[i] = true;
	}
}

/* ---- columns ------------------------------------------------------------- */

/* An expression as a difference shows it: as the database spelled it, or,
 * when the normalizer could not parse it, its "unparsable (WHY): ..." form,
 * so that nobody takes a difference of spelling for a checked one. */
static const char *
expr_shown(const char *canonical, const char *raw)
{
	return norm_is_unparsable(canonical) ? canonical : raw;
}

/* SQLite's ON CONFLICT of a NOT NULL, PRIMARY KEY or UNIQUE: PostgreSQL
 * has none, so across dialects it is never a difference. */
static bool
conflict_eq(const struct cmp *c, enum cat_conflict e, enum cat_conflict a)
{
	return c->cross || e == a;
}

static void
conflict_detail(struct cmp *c, int category, int pos, enum diff_kind kind,
    const char *member, enum cat_conflict e, enum cat_conflict a)
{
	char *de, *da;

	if (conflict_eq(c, e, a))
		return;
	de = xasprintf("ON CONFLICT %s", cat_conflict_sql(e));
	da = xasprintf("ON CONFLICT %s", cat_conflict_sql(a));
	cmp_add_diff(c, category, pos, kind, member, de, da);
	free(de);
	free(da);
}

/* The type as SQLite would declare it, for cross-dialect comparison. */
static const char *
type_for_compare(const struct cmp *c, enum cat_dialect d, const struct cat_column *col)
{
	const char *t;

	if (!c->cross || d == CAT_SQLITE)
		return col->type;
	t = norm_type_pg_to_sqlite(col->type);
	return t != NULL ? t : col->type;
}

static bool
column_types_eq(const struct cmp *c, const struct cat_column *e, const struct cat_column *a)
{
	return strcmp(type_for_compare(c, c->e->dialect, e),
	    type_for_compare(c, c->a->dialect, a)) == 0;
}

/* What a column is beyond its type, nullability and default, one text per
 * aspect so that a difference names exactly the aspect that differs. Cross
 * dialect, what SQLite cannot say is not compared (NULL on both sides). */
static char *
column_generated_text(const struct cmp *c, const struct cat_column *col)
{
	if (col->gen == NULL)
		return NULL;
	return xasprintf("GENERATED ALWAYS AS (%s)%s", col->gen,
	    c->cross ? "" : col->gen_stored ? " STORED" : " VIRTUAL");
}

static const char *
column_identity_text(const struct cmp *c, const struct cat_column *col)
{
	return c->cross ? NULL : col->identity;
}

static const char *
column_collation_text(const struct cmp *c, const struct cat_column *col)
{
	return c->cross ? NULL : col->collation;
}

static bool
column_extras_same(const struct cmp *c, const struct cat_column *e, const struct cat_column *a)
{
	char *ge = column_generated_text(c, e), *ga = column_generated_text(c, a);
	bool same = str_eq(ge, ga) &&
	    str_eq(column_identity_text(c, e), column_identity_text(c, a)) &&
	    str_eq(column_collation_text(c, e), column_collation_text(c, a));

	free(ge);
	free(ga);
	return same;
}

/* Everything but the name and the position. */
static bool
column_same(const struct cmp *c, const void *pe, const void *pa)
{
	const struct cat_column *e = pe, *a = pa;

	return column_types_eq(c, e, a) && e->notnull == a->notnull &&
	    (!e->notnull || conflict_eq(c, e->notnull_conflict, a->notnull_conflict)) &&
	    str_eq(e->dflt, a->dflt) && column_extras_same(c, e, a);
}

static char *
column_describe(const struct cat_column *col)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_printf(&sb, "%s %s", col->name, col->type_raw);
	if (col->collation != NULL)
		sbuf_printf(&sb, " COLLATE %s", col->collation);
	if (col->notnull)
		sbuf_add(&sb, " NOT NULL");
	if (col->notnull && col->notnull_conflict != CONFLICT_ABORT)
		sbuf_printf(&sb, " ON CONFLICT %s", cat_conflict_sql(col->notnull_conflict));
	if (col->dflt_raw != NULL)
		sbuf_printf(&sb, " DEFAULT %s", expr_shown(col->dflt, col->dflt_raw));
	if (col->identity != NULL)
		sbuf_printf(&sb, " GENERATED %s AS IDENTITY", col->identity);
	if (col->gen_raw != NULL)
		sbuf_printf(&sb, " GENERATED ALWAYS AS (%s)%s", expr_shown(col->gen, col->gen_raw),
		    col->gen_stored ? " STORED" : "");
	return sbuf_steal(&sb);
}

static int
find_column(const struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

static void
column_extra_details(struct cmp *c, int pos, const struct cat_column *e,
    const struct cat_column *a)
{
	char *ge = column_generated_text(c, e), *ga = column_generated_text(c, a);

	if (!str_eq(column_collation_text(c, e), column_collation_text(c, a)))
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_COLLATION, e->name,
		    e->collation ? e->collation : "default", a->collation ? a->collation : "default");
	if (!str_eq(column_identity_text(c, e), column_identity_text(c, a)))
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_IDENTITY, e->name,
		    e->identity ? e->identity : "none", a->identity ? a->identity : "none");
	if (!str_eq(ge, ga))
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_GENERATED, e->name,
		    ge ? ge : "not generated", ga ? ga : "not generated");
	free(ge);
	free(ga);
}

static void
column_details(struct cmp *c, int pos, const struct cat_column *e, const struct cat_column *a)
{
	if (!column_types_eq(c, e, a))
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_TYPE, e->name, e->type_raw, a->type_raw);
	if (e->notnull != a->notnull)
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_NULLABILITY, e->name,
		    e->notnull ? "NOT NULL" : "NULL", a->notnull ? "NOT NULL" : "NULL");
	else if (e->notnull)	/* a nullable column's clause means nothing */
		conflict_detail(c, CAT_COLUMNS, pos, DIFF_NOT_NULL_CONFLICT, e->name,
		    e->notnull_conflict, a->notnull_conflict);
	if (!str_eq(e->dflt, a->dflt))
		cmp_add_diff(c, CAT_COLUMNS, pos, DIFF_COLUMN_DEFAULT, e->name,
		    expr_shown(e->dflt, e->dflt_raw), expr_shown(a->dflt, a->dflt_raw));
	column_extra_details(c, pos, e, a);
}

/* Column order is compared over the columns both sides have, so one missing
 * or extra column is reported once, not as a reordering as well. */
static void
column_order(struct cmp *c, const struct cat_table *te, const struct cat_table *ta)
{
	struct cat_strv se = { NULL, 0 }, sa = { NULL, 0 };
	char *je, *ja;
	int i;

	for (i = 0; i < te->ncols; i++)
		if (find_column(ta, te->cols[i].name) >= 0)
			cat_strv_add(&se, te->cols[i].name);
	for (i = 0; i < ta->ncols; i++)
		if (find_column(te, ta->cols[i].name) >= 0)
			cat_strv_add(&sa, ta->cols[i].name);
	if (!cat_strv_eq(&se, &sa)) {
		je = cat_strv_join(&se);
		ja = cat_strv_join(&sa);
		cmp_add_diff(c, CAT_COLUMN_ORDER, 0, DIFF_COLUMN_ORDER, NULL, je, ja);
		free(je);
		free(ja);
	}
	cat_strv_free(&se);
	cat_strv_free(&sa);
}

/* A renamed column may also have moved: renames are found wherever the
 * column is (an ALTER TABLE ... RENAME COLUMN keeps the position, a rebuilt
 * SQLite table may not), and column_order() only looks at shared names. */
static void
compare_columns(struct cmp *c, const struct cat_table *te, const struct cat_table *ta)
{
	const struct cat_column *ec, *ac;
	struct matching m;
	char *de, *da;
	int i, j;

	matching_init(&m, te->ncols, ta->ncols);
	for (i = 0; i < te->ncols; i++)
		if ((j = find_column(ta, te->cols[i].name)) >= 0)
			pair(&m, i, j);
	match_renames(c, column_same, sizeof *te->cols, te->cols, te->ncols, ta->cols,
	    ta->ncols, &m);
	for (i = 0; i < te->ncols; i++) {
		ec = &te->cols[i];
		if ((j = m.e2a[i]) < 0) {
			de = column_describe(ec);
			cmp_add_diff(c, CAT_COLUMNS, i, DIFF_MISSING_COLUMN, ec->name, de, NULL);
			free(de);
		} else if (m.renamed[i])
			cmp_add_diff(c, CAT_COLUMNS, i, DIFF_COLUMN_RENAMED, ec->name, ec->name,
			    ta->cols[j].name);
		else
			column_details(c, i, ec, &ta->cols[j]);
	}
	for (j = 0; j < ta->ncols; j++) {
		if (m.aused[j])
			continue;
		ac = &ta->cols[j];
		da = column_describe(ac);
		cmp_add_diff(c, CAT_COLUMNS, INT_MAX, DIFF_EXTRA_COLUMN, ac->name, NULL, da);
		free(da);
	}
	matching_free(&m);
	column_order(c, te, ta);
}

/* ---- constraints and indexes: one matcher, a table of member kinds ---------- */

static const char *key_name(const void *p) { return ((const struct cat_key *)p)->name; }
static const char *fk_name(const void *p) { return ((const struct cat_fk *)p)->name; }
static const char *check_name(const void *p) { return ((const struct cat_check *)p)->name; }

static bool
key_nulls_eq(const struct cmp *c, const struct cat_key *e, const struct cat_key *a)
{
	return c->cross || e->nulls_not_distinct == a->nulls_not_distinct;
}

/* DEFERRABLE / INITIALLY DEFERRED of a UNIQUE constraint (PostgreSQL only:
 * SQLite has no deferrable unique constraint to compare it with). */
static bool
key_deferral_eq(const struct cmp *c, const struct cat_key *e, const struct cat_key *a)
{
	return c->cross || (e->deferrable == a->deferrable && e->deferred == a->deferred);
}

static const char *
key_deferral_describe(const struct cat_key *k)
{
	if (!k->deferrable)
		return "NOT DEFERRABLE";
	return k->deferred ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE INITIALLY IMMEDIATE";
}

static bool
key_same(const struct cmp *c, const void *pe, const void *pa)
{
	const struct cat_key *e = pe, *a = pa;

	return cat_strv_eq(&e->cols, &a->cols) && key_nulls_eq(c, e, a) &&
	    key_deferral_eq(c, e, a) && conflict_eq(c, e->conflict, a->conflict);
}

/* Unnamed (SQLite) keys that differ only in a clause pair by columns. */
static bool
key_cols_key(const void *e, const void *a)
{
	return cat_strv_eq(&((const struct cat_key *)e)->cols, &((const struct cat_key *)a)->cols);
}

static char *
key_describe(const void *p)
{
	const struct cat_key *k = p;
	char *cols = cat_strv_join(&k->cols), *s;

	s = xasprintf("UNIQUE%s (%s)%s%s", k->nulls_not_distinct ? " NULLS NOT DISTINCT" : "",
	    cols, k->conflict != CONFLICT_ABORT ? " ON CONFLICT " : "",
	    k->conflict != CONFLICT_ABORT ? cat_conflict_sql(k->conflict) : "");
	free(cols);
	return s;
}

static void
key_details(struct cmp *c, int pos, const char *member, const void *e, const void *a)
{
	const struct cat_key *ke = e, *ka = a;
	char *de, *da;

	if (!key_nulls_eq(c, ke, ka))
		cmp_add_diff(c, CAT_UNIQUE, pos, DIFF_UNIQUE_NULLS, member,
		    ke->nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT",
		    ka->nulls_not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT");
	if (!key_deferral_eq(c, ke, ka))
		cmp_add_diff(c, CAT_UNIQUE, pos, DIFF_UNIQUE_DEFERRABLE, member,
		    key_deferral_describe(ke), key_deferral_describe(ka));
	conflict_detail(c, CAT_UNIQUE, pos, DIFF_UNIQUE_CONFLICT, member, ke->conflict,
	    ka->conflict);
	if (cat_strv_eq(&ke->cols, &ka->cols))
		return;
	de = cat_strv_join(&((const struct cat_key *)e)->cols);
	da = cat_strv_join(&((const struct cat_key *)a)->cols);
	cmp_add_diff(c, CAT_UNIQUE, pos, DIFF_UNIQUE_COLUMNS, member, de, da);
	free(de);
	free(da);
}

static bool
fk_target_eq(const struct cat_fk *e, const struct cat_fk *a)
{
	return cat_strv_eq(&e->cols, &a->cols) && strcmp(e->ref_table, a->ref_table) == 0 &&
	    cat_strv_eq(&e->ref_cols, &a->ref_cols);
}

/* ON DELETE SET NULL (b) sets fewer columns than SET NULL: another action. */
static bool
fk_on_delete_eq(const struct cat_fk *e, const struct cat_fk *a)
{
	char *de, *da;
	bool same;

	if (e->on_delete != a->on_delete)
		return false;
	if (e->on_delete_cols.n == 0 && a->on_delete_cols.n == 0)
		return true;
	de = cat_fk_on_delete_sql(e);
	da = cat_fk_on_delete_sql(a);
	same = strcmp(de, da) == 0;
	free(de);
	free(da);
	return same;
}

static bool
fk_same(const struct cmp *c, const void *pe, const void *pa)
{
	const struct cat_fk *e = pe, *a = pa;

	return fk_target_eq(e, a) && fk_on_delete_eq(e, a) &&
	    e->on_update == a->on_update && e->deferrable == a->deferrable &&
	    e->deferred == a->deferred &&
	    (c->cross || (e->match == a->match && e->not_valid == a->not_valid));
}

/* NOT VALID of a CHECK or a foreign key: what the constraint says of the
 * rows that were there when it was added (PostgreSQL only). */
static void
not_valid_detail(struct cmp *c, int category, int pos, const char *member, bool e, bool a)
{
	if (!c->cross && e != a)
		cmp_add_diff(c, category, pos, DIFF_CONSTRAINT_NOT_VALID, member,
		    e ? "NOT VALID" : "VALID", a ? "NOT VALID" : "VALID");
}

static bool
fk_key(const void *e, const void *a)
{
	return cat_strv_eq(&((const struct cat_fk *)e)->cols, &((const struct cat_fk *)a)->cols);
}

static char *
fk_describe(const void *p)
{
	char *d = cat_fk_describe(p), *s = xasprintf("FOREIGN KEY %s", d);

	free(d);
	return s;
}

static char *
fk_target_describe(const struct cat_fk *fk)
{
	char *cols = cat_strv_join(&fk->cols), *refs = cat_strv_join(&fk->ref_cols), *s;

	s = xasprintf("(%s) REFERENCES %s (%s)", cols, fk->ref_table, refs);
	free(cols);
	free(refs);
	return s;
}

static char *
fk_actions_describe(const struct cat_fk *fk)
{
	char *del = cat_fk_on_delete_sql(fk), *s;

	s = xasprintf("ON DELETE %s ON UPDATE %s", del, cat_fk_action_sql(fk->on_update));
	free(del);
	return s;
}

static char *
fk_deferral_describe(const struct cat_fk *fk)
{
	if (!fk->deferrable)
		return xstrdup("NOT DEFERRABLE");
	return xasprintf("DEFERRABLE INITIALLY %s", fk->deferred ? "DEFERRED" : "IMMEDIATE");
}

static void
fk_detail(struct cmp *c, int pos, const char *member, enum diff_kind kind,
    char *(*describe)(const struct cat_fk *), const struct cat_fk *e, const struct cat_fk *a)
{
	char *de = describe(e), *da = describe(a);

	if (strcmp(de, da) != 0)
		cmp_add_diff(c, CAT_FK, pos, kind, member, de, da);
	free(de);
	free(da);
}

static char *
fk_match_describe(const struct cat_fk *fk)
{
	return xasprintf("MATCH %s", cat_fk_match_sql(fk->match));
}

static void
fk_details(struct cmp *c, int pos, const char *member, const void *pe, const void *pa)
{
	if (!c->cross)
		fk_detail(c, pos, member, DIFF_FOREIGN_KEY_MATCH, fk_match_describe, pe, pa);
	fk_detail(c, pos, member, DIFF_FOREIGN_KEY_TARGET, fk_target_describe, pe, pa);
	fk_detail(c, pos, member, DIFF_FOREIGN_KEY_ACTION, fk_actions_describe, pe, pa);
	fk_detail(c, pos, member, DIFF_FOREIGN_KEY_DEFERRABLE, fk_deferral_describe, pe, pa);
	not_valid_detail(c, CAT_FK, pos, member, ((const struct cat_fk *)pe)->not_valid,
	    ((const struct cat_fk *)pa)->not_valid);
}

static bool
check_expr_eq(const struct cat_check *e, const struct cat_check *a)
{
	return strcmp(e->expr, a->expr) == 0;
}

static bool
check_same(const struct cmp *c, const void *pe, const void *pa)
{
	const struct cat_check *e = pe, *a = pa;

	return check_expr_eq(e, a) && (c->cross ||
	    (e->not_valid == a->not_valid && e->no_inherit == a->no_inherit));
}

static char *
check_describe(const void *p)
{
	const struct cat_check *ck = p;

	return xasprintf("CHECK (%s)%s", expr_shown(ck->expr, ck->expr_raw),
	    ck->no_inherit ? " NO INHERIT" : "");
}

static void
check_details(struct cmp *c, int pos, const char *member, const void *e, const void *a)
{
	const struct cat_check *ce = e, *ca = a;

	if (!check_expr_eq(ce, ca))
		cmp_add_diff(c, CAT_CHECK, pos, DIFF_CHECK_EXPRESSION, member,
		    expr_shown(ce->expr, ce->expr_raw), expr_shown(ca->expr, ca->expr_raw));
	not_valid_detail(c, CAT_CHECK, pos, member, ce->not_valid, ca->not_valid);
	/* NO INHERIT: whether child tables (INHERITS) get the CHECK too. */
	if (!c->cross && ce->no_inherit != ca->no_inherit)
		cmp_add_diff(c, CAT_CHECK, pos, DIFF_CHECK_INHERIT, member,
		    ce->no_inherit ? "NO INHERIT" : "INHERIT", ca->no_inherit ? "NO INHERIT" : "INHERIT");
}

static const struct member_ops unique_ops = {
	CAT_UNIQUE, sizeof(struct cat_key), "UNIQUE", false,
	DIFF_MISSING_UNIQUE, DIFF_EXTRA_UNIQUE, DIFF_CONSTRAINT_RENAMED,
	key_name, key_same, key_cols_key, key_details, key_describe,
};
static const struct member_ops fk_ops = {
	CAT_FK, sizeof(struct cat_fk), "FOREIGN KEY", false,
	DIFF_MISSING_FOREIGN_KEY, DIFF_EXTRA_FOREIGN_KEY, DIFF_CONSTRAINT_RENAMED,
	fk_name, fk_same, fk_key, fk_details, fk_describe,
};
static const struct member_ops check_ops = {
	CAT_CHECK, sizeof(struct cat_check), "CHECK", false,
	DIFF_MISSING_CHECK, DIFF_EXTRA_CHECK, DIFF_CONSTRAINT_RENAMED,
	check_name, check_same, NULL, check_details, check_describe,
};

/* The name an object is reported under: its expected name when it has one. */
static char *
member_label(const struct member_ops *ops, const void *e, const void *a)
{
	const char *n = e != NULL ? ops->name(e) : NULL;
	char *desc, *s;

	if (n == NULL && a != NULL)
		n = ops->name(a);
	if (n != NULL)
		return xstrdup(n);
	desc = ops->describe(e != NULL ? e : a);
	/* describe() already starts with the label for keys, FKs and checks. */
	s = strncmp(desc, ops->label, strlen(ops->label)) == 0 ? xstrdup(desc) :
	    xasprintf("%s %s", ops->label, desc);
	free(desc);
	return s;
}

static const void *
elem(const void *base, const struct member_ops *ops, int i)
{
	return (const char *)base + (size_t)i * ops->size;
}

typedef bool (*match_fn)(const struct cmp *, const struct member_ops *, const void *, const void *);

static bool
match_name(const struct cmp *c, const struct member_ops *ops, const void *e, const void *a)
{
	return str_eq(ops->name(e), ops->name(a)) && ops->name(e) != NULL;
}

static bool
match_same(const struct cmp *c, const struct member_ops *ops, const void *e, const void *a)
{
	return ops->same(c, e, a);
}

static bool
match_key(const struct cmp *c, const struct member_ops *ops, const void *e, const void *a)
{
	return ops->key != NULL && ops->key(e, a);
}

static bool
match_any(const struct cmp *c, const struct member_ops *ops, const void *e, const void *a)
{
	return true;
}

static void
match_pass(const struct cmp *c, const struct member_ops *ops, const void *ev, int ne,
    const void *av, int na, struct matching *m, match_fn fn)
{
	int i, j;

	for (i = 0; i < ne; i++) {
		if (m->e2a[i] >= 0)
			continue;
		for (j = 0; j < na; j++) {
			if (!m->aused[j] && fn(c, ops, elem(ev, ops, i), elem(av, ops, j))) {
				pair(m, i, j);
				break;
			}
		}
	}
}

static void
compare_members(struct cmp *c, const struct member_ops *ops, const void *ev, int ne,
    const void *av, int na)
{
	struct matching m;
	const void *e, *a;
	char *label, *desc;
	int i, j;

	matching_init(&m, ne, na);
	if (ops->by_name_only || c->names) {
		/* Names identify: another name is another object, or a rename. */
		match_pass(c, ops, ev, ne, av, na, &m, match_name);
		match_renames(c, ops->same, ops->size, ev, ne, av, na, &m);
	} else {
		match_pass(c, ops, ev, ne, av, na, &m, match_same);
		match_pass(c, ops, ev, ne, av, na, &m, match_key);
		/* Without names, what is left over on both sides was changed. */
		match_pass(c, ops, ev, ne, av, na, &m, match_any);
	}

	for (i = 0; i < ne; i++) {
		e = elem(ev, ops, i);
		label = member_label(ops, e, NULL);
		a = (j = m.e2a[i]) >= 0 ? elem(av, ops, j) : NULL;
		if (a == NULL) {
			desc = ops->describe(e);
			cmp_add_diff(c, ops->category, i, ops->missing, label, desc, NULL);
			free(desc);
		} else if (m.renamed[i] && ops->name(e) != NULL && ops->name(a) != NULL)
			cmp_add_diff(c, ops->category, i, ops->renamed, label, ops->name(e),
			    ops->name(a));
		else	/* same name, or one side names nothing: the same object */
			ops->details(c, i, label, e, a);
		free(label);
	}
	for (j = 0; j < na; j++) {
		if (m.aused[j])
			continue;
		a = elem(av, ops, j);
		label = member_label(ops, NULL, a);
		desc = ops->describe(a);
		cmp_add_diff(c, ops->category, INT_MAX, ops->extra, label, NULL, desc);
		free(desc);
		free(label);
	}
	matching_free(&m);
}

static void
compare_pk(struct cmp *c, const struct cat_table *te, const struct cat_table *ta)
{
	const struct cat_key *e = te->pk, *a = ta->pk;
	char *label, *de, *da;

	if (e == NULL && a == NULL)
		return;
	label = xstrdup(e && e->name ? e->name : a && a->name ? a->name : "PRIMARY KEY");
	de = e ? cat_strv_join(&e->cols) : NULL;
	da = a ? cat_strv_join(&a->cols) : NULL;
	if (a == NULL)
		cmp_add_diff(c, CAT_PK, 0, DIFF_MISSING_PRIMARY_KEY, label, de, NULL);
	else if (e == NULL)
		cmp_add_diff(c, CAT_PK, 0, DIFF_EXTRA_PRIMARY_KEY, label, NULL, da);
	else if (c->names && e->name != NULL && a->name != NULL &&
	    strcmp(e->name, a->name) != 0) {
		/* As for every named constraint: the same columns under another
		 * name is a rename, other columns too is another key. */
		if (strcmp(de, da) == 0)
			cmp_add_diff(c, CAT_PK, 0, DIFF_CONSTRAINT_RENAMED, label, e->name, a->name);
		else {
			cmp_add_diff(c, CAT_PK, 0, DIFF_MISSING_PRIMARY_KEY, label, de, NULL);
			cmp_add_diff(c, CAT_PK, 1, DIFF_EXTRA_PRIMARY_KEY, a->name, NULL, da);
		}
	} else {
		if (strcmp(de, da) != 0)
			cmp_add_diff(c, CAT_PK, 0, DIFF_PRIMARY_KEY_COLUMNS, label, de, da);
		conflict_detail(c, CAT_PK, 0, DIFF_PRIMARY_KEY_CONFLICT, label, e->conflict,
		    a->conflict);
	}
	free(label);
	free(de);
	free(da);
}

static void
compare_table(struct cmp *c, const struct cat_table *te, const struct cat_table *ta)
{
	compare_columns(c, te, ta);
	compare_pk(c, te, ta);
	compare_members(c, &unique_ops, te->uniques, te->nuniques, ta->uniques, ta->nuniques);
	compare_members(c, &fk_ops, te->fks, te->nfks, ta->fks, ta->nfks);
	compare_members(c, &check_ops, te->checks, te->nchecks, ta->checks, ta->nchecks);
	compare_members(c, &cmp_index_ops, te->indexes, te->nindexes, ta->indexes, ta->nindexes);
	cmp_table_options(c, te, ta);
}

static int
diff_order(const void *pa, const void *pb)
{
	const struct diff *a = pa, *b = pb;
	int r;

	if (a->table_rank != b->table_rank)
		return a->table_rank < b->table_rank ? -1 : 1;
	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	if (a->position != b->position)
		return a->position < b->position ? -1 : 1;
	if ((r = strcmp(a->object, b->object)) != 0)
		return r;
	return a->kind < b->kind ? -1 : a->kind > b->kind;
}

/* The rank of a table only `a` has: right after the expected table that
 * precedes it in `a` (or first), in a's order among such tables. Expected
 * table i has rank (i + 1) * stride, so the ranks never collide. */
static int
extra_table_rank(const struct catalog *e, const struct catalog *a, int j, int stride)
{
	int k, ie;

	for (k = j - 1; k >= 0; k--)
		for (ie = 0; ie < e->ntables; ie++)
			if (strcmp(e->tables[ie].name, a->tables[k].name) == 0)
				return (ie + 1) * stride + j + 1;
	return j + 1;
}

void
compare_catalogs(const struct catalog *e, const struct catalog *a, struct diff_list *out)
{
	struct cmp c = { e, a, e->dialect != a->dialect,
	    e->constraint_names && a->constraint_names, NULL, 0, a->ntables + 1, out };
	const struct cat_table *te, *ta;
	int first = out->n, i, stride = c.stride;

	for (i = 0; i < e->ntables; i++) {
		te = &e->tables[i];
		c.table = te->name;
		c.table_rank = (i + 1) * stride;
		if ((ta = cat_find_table(a, c.table)) != NULL)
			compare_table(&c, te, ta);
		else
			cmp_add_diff(&c, CAT_TABLE, 0, DIFF_MISSING_TABLE, NULL, c.table, NULL);
	}
	for (i = 0; i < a->ntables; i++) {
		if (cat_find_table(e, a->tables[i].name) != NULL)
			continue;
		c.table = a->tables[i].name;
		c.table_rank = extra_table_rank(e, a, i, stride);
		cmp_add_diff(&c, CAT_TABLE, 0, DIFF_EXTRA_TABLE, NULL, NULL, c.table);
	}
	cmp_objects(&c);
	if (out->n > first)	/* qsort's base must not be NULL, even for 0 items */
		qsort(out->v + first, (size_t)(out->n - first), sizeof *out->v, diff_order);
}

void
diff_list_add(struct diff_list *l, enum diff_kind kind, const char *object,
    const char *expected, const char *actual)
{
	struct diff *d;

	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof *l->v);
	d = &l->v[l->n++];
	d->object = xstrdup(object);
	d->kind = kind;
	d->expected = expected != NULL ? xstrdup(expected) : NULL;
	d->actual = actual != NULL ? xstrdup(actual) : NULL;
	d->table_rank = INT_MAX;
	d->category = 0;
	d->position = 0;
}

void
diff_list_free(struct diff_list *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].object);
		free(l->v[i].expected);
		free(l->v[i].actual);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

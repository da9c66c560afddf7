/* catalog.c — building, finding and freeing the normalized catalog model. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "catobj.h"
#include "normalize.h"
#include "util.h"

static const char *const fk_action_names[] = {
	[FK_NO_ACTION]	 = "NO ACTION",
	[FK_RESTRICT]	 = "RESTRICT",
	[FK_CASCADE]	 = "CASCADE",
	[FK_SET_NULL]	 = "SET NULL",
	[FK_SET_DEFAULT] = "SET DEFAULT",
};

static const char *const fk_match_names[] = {
	[FK_MATCH_SIMPLE]  = "SIMPLE",
	[FK_MATCH_FULL]	   = "FULL",
	[FK_MATCH_PARTIAL] = "PARTIAL",
};

static const char *const conflict_names[] = {
	[CONFLICT_ABORT]    = "ABORT",
	[CONFLICT_ROLLBACK] = "ROLLBACK",
	[CONFLICT_FAIL]	    = "FAIL",
	[CONFLICT_IGNORE]   = "IGNORE",
	[CONFLICT_REPLACE]  = "REPLACE",
};

void
cat_version_free(struct cat_version *v)
{
	free(v->row);
	v->row = NULL;
	v->read = false;
	v->table = false;
}

const char *
cat_dialect_name(enum cat_dialect d)
{
	return d == CAT_PG ? "postgresql" : "sqlite";
}

const char *
cat_fk_action_sql(enum cat_fk_action a)
{
	return fk_action_names[a];
}

int
cat_fk_action_parse(const char *s)
{
	/* pg_constraint.confdeltype / confupdtype letters */
	static const char letters[] = "arcnd";
	const char *p;
	size_t i;

	if (s[0] != '\0' && s[1] == '\0' && (p = strchr(letters, s[0])) != NULL)
		return (int)(p - letters);
	for (i = 0; i < sizeof fk_action_names / sizeof fk_action_names[0]; i++)
		if (strcasecmp(s, fk_action_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
cat_fk_match_sql(enum cat_fk_match m)
{
	return fk_match_names[m];
}

int
cat_fk_match_parse(const char *s)
{
	/* pg_constraint.confmatchtype letters */
	static const char letters[] = "sfp";
	const char *p;
	size_t i;

	if (s[0] != '\0' && s[1] == '\0' && (p = strchr(letters, s[0])) != NULL)
		return (int)(p - letters);
	for (i = 0; i < sizeof fk_match_names / sizeof fk_match_names[0]; i++)
		if (strcasecmp(s, fk_match_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
cat_conflict_sql(enum cat_conflict c)
{
	return conflict_names[c];
}

int
cat_conflict_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof conflict_names / sizeof conflict_names[0]; i++)
		if (strcasecmp(s, conflict_names[i]) == 0)
			return (int)i;
	return -1;
}

struct catalog *
cat_new(enum cat_dialect d)
{
	struct catalog *c = xcalloc(1, sizeof *c);

	c->dialect = d;
	c->constraint_names = (d == CAT_PG);
	return c;
}

void
cat_strv_add(struct cat_strv *sv, const char *s)
{
	sv->v = xreallocarray(sv->v, (size_t)sv->n + 1, sizeof *sv->v);
	sv->v[sv->n++] = xstrdup(s);
}

void
cat_strv_free(struct cat_strv *sv)
{
	int i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

bool
cat_strv_eq(const struct cat_strv *a, const struct cat_strv *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
cat_strv_sort(struct cat_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, (size_t)sv->n, sizeof *sv->v, strp_cmp);
}

char *
cat_strv_join(const struct cat_strv *sv)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			sbuf_add(&sb, ", ");
		sbuf_add(&sb, sv->v[i]);
	}
	return sbuf_steal(&sb);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
table_free(struct cat_table *t)
{
	int i;

	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].type_raw);
		free(t->cols[i].type);
		free(t->cols[i].dflt_raw);
		free(t->cols[i].dflt);
		free(t->cols[i].collation);
		free(t->cols[i].identity);
		free(t->cols[i].gen_raw);
		free(t->cols[i].gen);
	}
	free(t->cols);
	if (t->pk != NULL) {
		free(t->pk->name);
		cat_strv_free(&t->pk->cols);
		free(t->pk);
	}
	for (i = 0; i < t->nuniques; i++) {
		free(t->uniques[i].name);
		cat_strv_free(&t->uniques[i].cols);
	}
	free(t->uniques);
	for (i = 0; i < t->nfks; i++) {
		free(t->fks[i].name);
		free(t->fks[i].ref_table);
		cat_strv_free(&t->fks[i].cols);
		cat_strv_free(&t->fks[i].ref_cols);
		cat_strv_free(&t->fks[i].on_delete_cols);
	}
	free(t->fks);
	for (i = 0; i < t->nchecks; i++) {
		free(t->checks[i].name);
		free(t->checks[i].expr_raw);
		free(t->checks[i].expr);
	}
	free(t->checks);
	for (i = 0; i < t->nindexes; i++) {
		free(t->indexes[i].name);
		free(t->indexes[i].method);
		free(t->indexes[i].pred_raw);
		free(t->indexes[i].pred);
		cat_strv_free(&t->indexes[i].keys);
		cat_strv_free(&t->indexes[i].include);
		cat_strv_free(&t->indexes[i].storage);
	}
	free(t->indexes);
	cat_props_free(&t->opts);
	free(t->name);
}

void
cat_free(struct catalog *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ntables; i++)
		table_free(&c->tables[i]);
	free(c->tables);
	catobj_free_all(c);
	free(c);
}

/* ---- copies ---------------------------------------------------------------
 * A deep copy, field by field in the order of catalog.h: probe_sqlite.c
 * hands out a copy of the catalog it kept when the file's schema did not
 * change, since every probe result owns its catalog. */

static void
strv_dup(struct cat_strv *to, const struct cat_strv *from)
{
	int i;

	to->v = NULL;
	to->n = 0;
	for (i = 0; i < from->n; i++)
		cat_strv_add(to, from->v[i]);
}

/* A copy of n elements of size sz; NULL for none. */
static void *
array_dup(const void *v, int n, size_t sz)
{
	void *to;

	if (n == 0)
		return NULL;
	to = xreallocarray(NULL, (size_t)n, sz);
	memcpy(to, v, (size_t)n * sz);
	return to;
}

static void
key_dup(struct cat_key *to, const struct cat_key *from)
{
	*to = *from;
	to->name = dup_or_null(from->name);
	strv_dup(&to->cols, &from->cols);
}

static void
table_dup_cols(struct cat_table *to, const struct cat_table *from)
{
	struct cat_column *c;
	int i;

	to->cols = array_dup(from->cols, from->ncols, sizeof *from->cols);
	for (i = 0; i < from->ncols; i++) {
		c = &to->cols[i];
		c->name = dup_or_null(c->name);
		c->type_raw = dup_or_null(c->type_raw);
		c->type = dup_or_null(c->type);
		c->dflt_raw = dup_or_null(c->dflt_raw);
		c->dflt = dup_or_null(c->dflt);
		c->collation = dup_or_null(c->collation);
		c->identity = dup_or_null(c->identity);
		c->gen_raw = dup_or_null(c->gen_raw);
		c->gen = dup_or_null(c->gen);
	}
}

static void
table_dup_cons(struct cat_table *to, const struct cat_table *from)
{
	struct cat_fk *f;
	struct cat_check *k;
	int i;

	if (from->pk != NULL) {
		to->pk = xcalloc(1, sizeof *to->pk);
		key_dup(to->pk, from->pk);
	}
	to->uniques = array_dup(from->uniques, from->nuniques, sizeof *from->uniques);
	for (i = 0; i < from->nuniques; i++)
		key_dup(&to->uniques[i], &from->uniques[i]);
	to->fks = array_dup(from->fks, from->nfks, sizeof *from->fks);
	for (i = 0; i < from->nfks; i++) {
		f = &to->fks[i];
		f->name = dup_or_null(f->name);
		f->ref_table = dup_or_null(f->ref_table);
		strv_dup(&f->cols, &from->fks[i].cols);
		strv_dup(&f->ref_cols, &from->fks[i].ref_cols);
		strv_dup(&f->on_delete_cols, &from->fks[i].on_delete_cols);
	}
	to->checks = array_dup(from->checks, from->nchecks, sizeof *from->checks);
	for (i = 0; i < from->nchecks; i++) {
		k = &to->checks[i];
		k->name = dup_or_null(k->name);
		k->expr_raw = dup_or_null(k->expr_raw);
		k->expr = dup_or_null(k->expr);
	}
}

static void
table_dup_indexes(struct cat_table *to, const struct cat_table *from)
{
	struct cat_index *x;
	int i;

	to->indexes = array_dup(from->indexes, from->nindexes, sizeof *from->indexes);
	for (i = 0; i < from->nindexes; i++) {
		x = &to->indexes[i];
		x->name = dup_or_null(x->name);
		x->method = dup_or_null(x->method);
		x->pred_raw = dup_or_null(x->pred_raw);
		x->pred = dup_or_null(x->pred);
		strv_dup(&x->keys, &from->indexes[i].keys);
		strv_dup(&x->include, &from->indexes[i].include);
		strv_dup(&x->storage, &from->indexes[i].storage);
	}
}

struct catalog *
cat_dup(const struct catalog *c)
{
	struct catalog *to;
	struct cat_table *t;
	int i;

	if (c == NULL)
		return NULL;
	to = xcalloc(1, sizeof *to);
	*to = *c;
	to->tables = array_dup(c->tables, c->ntables, sizeof *c->tables);
	for (i = 0; i < c->ntables; i++) {
		t = &to->tables[i];
		*t = c->tables[i];
		t->name = xstrdup(c->tables[i].name);
		t->pk = NULL;
		table_dup_cols(t, &c->tables[i]);
		table_dup_cons(t, &c->tables[i]);
		table_dup_indexes(t, &c->tables[i]);
		cat_props_dup(&t->opts, &c->tables[i].opts);
	}
	catobj_dup_all(to, c);
	return to;
}

struct cat_table *
cat_find_table(const struct catalog *c, const char *name)
{
	int i;

	for (i = 0; i < c->ntables; i++)
		if (strcmp(c->tables[i].name, name) == 0)
			return &c->tables[i];
	return NULL;
}

void
cat_remove_table(struct catalog *c, const char *name)
{
	struct cat_table *t = cat_find_table(c, name);
	int pos;

	if (t == NULL)
		return;
	pos = (int)(t - c->tables);
	cat_remove_objects_of(c, t->name);	/* before: name may be t->name */
	table_free(t);
	memmove(&c->tables[pos], &c->tables[pos + 1],
	    (size_t)(c->ntables - pos - 1) * sizeof *c->tables);
	c->ntables--;
}

struct cat_table *
cat_add_table(struct catalog *c, const char *name)
{
	struct cat_table *t;

	if ((t = cat_find_table(c, name)) != NULL)
		return t;
	c->tables = xreallocarray(c->tables, (size_t)c->ntables + 1, sizeof *c->tables);
	t = &c->tables[c->ntables++];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	return t;
}

/* True when t references a table of c, other than itself, not yet placed. */
static bool
has_unplaced_parent(const struct catalog *c, const struct cat_table *t, const bool *placed)
{
	int i, j;

	for (i = 0; i < t->nfks; i++) {
		if (strcmp(t->fks[i].ref_table, t->name) == 0)
			continue;
		for (j = 0; j < c->ntables; j++)
			if (!placed[j] && strcmp(c->tables[j].name, t->fks[i].ref_table) == 0)
				return true;
	}
	return false;
}

/* Kahn's algorithm, taking the smallest name among the ready tables at
 * every step; a cycle is broken by taking the smallest remaining name. */
void
cat_sort_tables(struct catalog *c)
{
	struct cat_table *out;
	bool *placed;
	int n, i, best, best_ready;

	if (c->ntables < 2)
		return;
	out = xcalloc((size_t)c->ntables, sizeof *out);
	placed = xcalloc((size_t)c->ntables, sizeof *placed);
	for (n = 0; n < c->ntables; n++) {
		best = -1;
		best_ready = 0;
		for (i = 0; i < c->ntables; i++) {
			int ready;

			if (placed[i])
				continue;
			ready = !has_unplaced_parent(c, &c->tables[i], placed);
			if (best < 0 || ready > best_ready || (ready == best_ready &&
			    strcmp(c->tables[i].name, c->tables[best].name) < 0)) {
				best = i;
				best_ready = ready;
			}
		}
		placed[best] = true;
		out[n] = c->tables[best];
	}
	free(c->tables);
	c->tables = out;
	free(placed);
}

/* An expression the normalizer could not parse is said once, with its
 * place: "TABLE.OBJECT what" (normalize.h). */
static void
note_unparsable(const char *table, const char *object, const char *what,
    const char *canonical)
{
	char *place;

	if (canonical == NULL || !norm_is_unparsable(canonical))
		return;
	place = xasprintf("%s%s%s %s", table ? table : "", table && object ? "." : "",
	    object ? object : "", what);
	norm_note_unparsable(place, canonical);
	free(place);
}

struct cat_column *
cat_add_column(struct cat_table *t, enum cat_dialect d, const char *name,
    const char *type_raw, bool notnull, const char *dflt_raw)
{
	struct cat_column *col;

	t->cols = xreallocarray(t->cols, (size_t)t->ncols + 1, sizeof *t->cols);
	col = &t->cols[t->ncols++];
	memset(col, 0, sizeof *col);
	col->name = xstrdup(name);
	col->type_raw = xstrdup(type_raw != NULL ? type_raw : "");
	col->type = norm_type(d, col->type_raw);
	col->notnull = notnull;
	col->dflt_raw = dup_or_null(dflt_raw);
	col->dflt = dflt_raw != NULL ? norm_default(d, dflt_raw) : NULL;
	note_unparsable(t->name, name, "default", col->dflt);
	return col;
}

struct cat_key *
cat_set_pk(struct cat_table *t, const char *name)
{
	if (t->pk == NULL)
		t->pk = xcalloc(1, sizeof *t->pk);
	free(t->pk->name);
	t->pk->name = dup_or_null(name);
	return t->pk;
}

struct cat_key *
cat_add_unique(struct cat_table *t, const char *name)
{
	struct cat_key *k;

	t->uniques = xreallocarray(t->uniques, (size_t)t->nuniques + 1, sizeof *t->uniques);
	k = &t->uniques[t->nuniques++];
	memset(k, 0, sizeof *k);
	k->name = dup_or_null(name);
	return k;
}

struct cat_fk *
cat_add_fk(struct cat_table *t, const char *name, const char *ref_table)
{
	struct cat_fk *fk;

	t->fks = xreallocarray(t->fks, (size_t)t->nfks + 1, sizeof *t->fks);
	fk = &t->fks[t->nfks++];
	memset(fk, 0, sizeof *fk);
	fk->name = dup_or_null(name);
	fk->ref_table = xstrdup(ref_table);
	return fk;
}

struct cat_check *
cat_add_check(struct cat_table *t, enum cat_dialect d, const char *name,
    const char *expr_raw)
{
	struct cat_check *ck;

	t->checks = xreallocarray(t->checks, (size_t)t->nchecks + 1, sizeof *t->checks);
	ck = &t->checks[t->nchecks++];
	memset(ck, 0, sizeof *ck);
	ck->name = dup_or_null(name);
	ck->expr_raw = xstrdup(expr_raw);
	ck->expr = norm_expr(d, expr_raw);
	note_unparsable(t->name, name, "check", ck->expr);
	return ck;
}

struct cat_index *
cat_add_index(struct cat_table *t, enum cat_dialect d, const char *name,
    bool unique, const char *method, const char *pred_raw)
{
	struct cat_index *ix;

	t->indexes = xreallocarray(t->indexes, (size_t)t->nindexes + 1, sizeof *t->indexes);
	ix = &t->indexes[t->nindexes++];
	memset(ix, 0, sizeof *ix);
	ix->name = xstrdup(name);
	ix->unique = unique;
	ix->method = xstrdup(method != NULL ? method : "btree");
	ix->pred_raw = dup_or_null(pred_raw);
	ix->pred = pred_raw != NULL ? norm_expr(d, pred_raw) : NULL;
	note_unparsable(t->name, name, "predicate", ix->pred);
	return ix;
}

void
cat_set_generated(struct cat_column *col, enum cat_dialect d, const char *expr_raw, bool stored)
{
	free(col->gen_raw);
	free(col->gen);
	col->gen_raw = dup_or_null(expr_raw);
	col->gen = expr_raw != NULL ? norm_expr(d, expr_raw) : NULL;
	note_unparsable(NULL, col->name, "generated column", col->gen);
	col->gen_stored = stored;
}

char *
cat_fk_describe(const struct cat_fk *fk)
{
	struct sbuf sb;
	char *cols = cat_strv_join(&fk->cols), *refs = cat_strv_join(&fk->ref_cols), *del;

	sbuf_init(&sb);
	sbuf_printf(&sb, "(%s) REFERENCES %s (%s)", cols, fk->ref_table, refs);
	if (fk->match != FK_MATCH_SIMPLE)
		sbuf_printf(&sb, " MATCH %s", cat_fk_match_sql(fk->match));
	if (fk->on_delete != FK_NO_ACTION) {
		del = cat_fk_on_delete_sql(fk);
		sbuf_printf(&sb, " ON DELETE %s", del);
		free(del);
	}
	if (fk->on_update != FK_NO_ACTION)
		sbuf_printf(&sb, " ON UPDATE %s", cat_fk_action_sql(fk->on_update));
	if (fk->deferrable)
		sbuf_printf(&sb, " DEFERRABLE INITIALLY %s", fk->deferred ? "DEFERRED" : "IMMEDIATE");
	free(cols);
	free(refs);
	return sbuf_steal(&sb);
}

static bool
strv_has(const struct cat_strv *sv, const char *s)
{
	int i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* The list is a set of the key's columns (PostgreSQL refuses any other
 * column): shown in the key's order, so that (b, a) and (a, b) read the
 * same, and left out when it names them all, as SET NULL alone does. */
char *
cat_fk_on_delete_sql(const struct cat_fk *fk)
{
	struct cat_strv cols = { NULL, 0 };
	char *list, *s;
	int i;

	for (i = 0; i < fk->cols.n; i++)
		if (strv_has(&fk->on_delete_cols, fk->cols.v[i]))
			cat_strv_add(&cols, fk->cols.v[i]);
	if (cols.n == 0 || cols.n == fk->cols.n) {
		cat_strv_free(&cols);
		return xstrdup(cat_fk_action_sql(fk->on_delete));
	}
	list = cat_strv_join(&cols);
	s = xasprintf("%s (%s)", cat_fk_action_sql(fk->on_delete), list);
	free(list);
	cat_strv_free(&cols);
	return s;
}

char *
cat_index_describe(const struct cat_index *ix)
{
	struct sbuf sb;
	char *keys = cat_strv_join(&ix->keys);

	sbuf_init(&sb);
	sbuf_printf(&sb, "%sINDEX USING %s (%s)", ix->unique ? "UNIQUE " : "", ix->method, keys);
	free(keys);
	if (ix->include.n > 0) {
		keys = cat_strv_join(&ix->include);
		sbuf_printf(&sb, " INCLUDE (%s)", keys);
		free(keys);
	}
	if (ix->nulls_not_distinct)
		sbuf_add(&sb, " NULLS NOT DISTINCT");
	if (ix->storage.n > 0) {
		keys = cat_strv_join(&ix->storage);
		sbuf_printf(&sb, " WITH (%s)", keys);
		free(keys);
	}
	if (ix->pred_raw != NULL)
		sbuf_printf(&sb, " WHERE %s", ix->pred_raw);
	return sbuf_steal(&sb);
}

static void
fold(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void
fold_strv(struct cat_strv *sv)
{
	int i;

	for (i = 0; i < sv->n; i++)
		fold(sv->v[i]);
}

static void
fold_table(struct cat_table *t)
{
	int i;

	fold(t->name);
	for (i = 0; i < t->ncols; i++) {
		fold(t->cols[i].name);
		fold(t->cols[i].collation);
	}
	if (t->pk != NULL) {
		fold(t->pk->name);
		fold_strv(&t->pk->cols);
	}
	for (i = 0; i < t->nuniques; i++) {
		fold(t->uniques[i].name);
		fold_strv(&t->uniques[i].cols);
	}
	for (i = 0; i < t->nfks; i++) {
		fold(t->fks[i].name);
		fold(t->fks[i].ref_table);
		fold_strv(&t->fks[i].cols);
		fold_strv(&t->fks[i].ref_cols);
		fold_strv(&t->fks[i].on_delete_cols);
	}
	for (i = 0; i < t->nchecks; i++)
		fold(t->checks[i].name);
	/* Index keys are canonical expressions already (normalize.c folds
	 * SQLite identifiers); names are not. */
	for (i = 0; i < t->nindexes; i++) {
		fold(t->indexes[i].name);
		fold_strv(&t->indexes[i].include);
	}
}

void
cat_fold_identifiers(struct catalog *c)
{
	int i;

	for (i = 0; i < c->ntables; i++)
		fold_table(&c->tables[i]);
	catobj_fold_all(c);
}

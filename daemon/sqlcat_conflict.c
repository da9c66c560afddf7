/* sqlcat_conflict.c — SQLite's ON CONFLICT clauses of a CREATE TABLE
 * (https://sqlite.org/lang_conflict.html), which no pragma reports: only
 * the CREATE text has them.
 *
 * A clause follows NOT NULL, PRIMARY KEY [ASC|DESC] or UNIQUE of a column,
 * or a table's PRIMARY KEY (...) / UNIQUE (...); SQLite also accepts (and
 * ignores) one after NULL and a table-level CHECK. The text is one SQLite
 * has already parsed, so the clause belongs to the last constraint keyword
 * before it at the item's top level.
 *
 * SQLite does not keep two UNIQUE constraints on the same columns: the
 * later is dropped, and its clause is taken when the earlier has none (two
 * different clauses are refused). A UNIQUE on the primary key's columns is
 * merged into the primary key the same way, except for an INTEGER PRIMARY
 * KEY (the rowid, no index): that UNIQUE has an autoindex of its own. The
 * reader does the same, so that the clause lands on what SQLite enforces it
 * with: the written UNIQUEs, merged, are matched in order to the keys read
 * from the autoindexes (origin "u"), by columns; one left over on the
 * primary key's columns is the primary key's. (Columns only: two UNIQUEs
 * on one column under different collations are two keys to SQLite and
 * would be merged here; nobody writes that.) */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "normalize.h"
#include "sqlcat_int.h"
#include "util.h"

/* One UNIQUE constraint as written. */
struct uq_text {
	struct cat_strv	 cols;
	enum cat_conflict conflict;
	bool		 dropped;	/* merged into an earlier one */
};

struct uq_texts {
	struct uq_text	*v;
	int		 n;
};

/* What an ON CONFLICT clause at the current position belongs to. */
enum conf_owner {
	OWN_NONE,	/* NULL, CHECK, or nothing yet: the clause is ignored */
	OWN_NOT_NULL,
	OWN_PK,
	OWN_UNIQUE,	/* the last uq_text */
};

static struct uq_text *
uq_add(struct uq_texts *u)
{
	u->v = xreallocarray(u->v, (size_t)u->n + 1, sizeof *u->v);
	memset(&u->v[u->n], 0, sizeof u->v[u->n]);
	return &u->v[u->n++];
}

static void
uq_free(struct uq_texts *u)
{
	int i;

	for (i = 0; i < u->n; i++)
		cat_strv_free(&u->v[i].cols);
	free(u->v);
}

/* Whether written names (unquoted) are the columns `cols`: a key's as
 * read from its autoindex (normed: norm_ident(), as sqlcat.c keeps them),
 * or a primary key's or another written list (as reported). */
static bool
cols_match(const struct cat_strv *text, const struct cat_strv *cols, bool normed)
{
	bool same = text->n == cols->n;
	int i;
	char *s;

	for (i = 0; same && i < text->n; i++) {
		s = normed ? norm_ident(text->v[i]) : xstrdup(text->v[i]);
		same = strcasecmp(s, cols->v[i]) == 0;
		free(s);
	}
	return same;
}

static struct cat_column *
column_nocase(struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

/* The columns of "UNIQUE (a COLLATE x DESC, b)" between the parentheses at
 * open and close: the first token of each item (SQLite refuses expressions
 * there). */
static void
key_columns(const struct toks *ts, int open, int close, struct cat_strv *out)
{
	struct span *items;
	int i, n;
	char *s;

	n = split_items(ts, open, close, &items);
	for (i = 0; i < n; i++) {
		if (items[i].from >= items[i].to)
			continue;
		s = tok_ident(&ts->v[items[i].from]);
		cat_strv_add(out, s);
		free(s);
	}
	free(items);
}

/* Record a clause (resolution token at i) for its owner. */
static void
set_conflict(struct cat_table *t, struct cat_column *col, struct uq_texts *u,
    enum conf_owner own, const struct toks *ts, int i)
{
	char *word = tok_ident(&ts->v[i]);
	int r = cat_conflict_parse(word);

	free(word);
	if (r < 0)
		return;
	if (own == OWN_NOT_NULL && col != NULL && col->notnull)
		col->notnull_conflict = (enum cat_conflict)r;
	else if (own == OWN_PK && t->pk != NULL)
		t->pk->conflict = (enum cat_conflict)r;
	else if (own == OWN_UNIQUE && u->n > 0)
		u->v[u->n - 1].conflict = (enum cat_conflict)r;
}

/* One item of the table body: a column definition (col: its column, NULL
 * when the model has none) or a table constraint (col NULL, table true). */
static void
scan_item(struct cat_table *t, const struct toks *ts, const struct span *it, bool table,
    struct uq_texts *u)
{
	struct cat_column *col = NULL;
	enum conf_owner own = OWN_NONE;
	int i, close;
	char *name;

	i = it->from;
	if (!table) {
		name = tok_ident(&ts->v[i]);
		col = column_nocase(t, name);
		free(name);
		i++;
	}
	for (; i < it->to; i++) {
		if (tok_kw(ts, i, "CONSTRAINT")) {
			i++;	/* its name may be any word: "replace", "unique" */
		} else if (tok_punct(ts, i, '(')) {
			/* A default's, a CHECK's or a generated column's
			 * expression, a type's size, a FOREIGN KEY's columns. */
			if ((close = match_paren(ts, i)) < 0 || close >= it->to)
				return;
			i = close;
		} else if (tok_kw(ts, i, "NOT") && tok_kw(ts, i + 1, "NULL")) {
			own = OWN_NOT_NULL;
			i++;
		} else if (tok_kw(ts, i, "NULL") || tok_kw(ts, i, "CHECK")) {
			own = OWN_NONE;
		} else if (tok_kw(ts, i, "PRIMARY") && tok_kw(ts, i + 1, "KEY")) {
			own = OWN_PK;
			i++;
		} else if (tok_kw(ts, i, "UNIQUE")) {
			struct uq_text *q = uq_add(u);

			own = OWN_UNIQUE;
			if (tok_punct(ts, i + 1, '(') && (close = match_paren(ts, i + 1)) > 0 &&
			    close < it->to) {
				key_columns(ts, i + 1, close, &q->cols);
				i = close;
			} else if (col != NULL)
				cat_strv_add(&q->cols, col->name);
		} else if (tok_kw(ts, i, "ON") && tok_kw(ts, i + 1, "CONFLICT") &&
		    i + 2 < it->to) {
			set_conflict(t, col, u, own, ts, i + 2);
			own = OWN_NONE;
			i += 2;
		}
	}
}

/* SQLite's merging of UNIQUEs on the same columns (see the top). */
static void
uq_merge(struct uq_texts *u)
{
	int i, j;

	for (i = 0; i < u->n; i++)
		for (j = 0; j < i && !u->v[i].dropped; j++) {
			if (u->v[j].dropped || !cols_match(&u->v[i].cols, &u->v[j].cols, false))
				continue;
			if (u->v[j].conflict == CONFLICT_ABORT)
				u->v[j].conflict = u->v[i].conflict;
			u->v[i].dropped = true;
		}
}

/* The written UNIQUEs onto the keys read (in creation order: each onto
 * the first key of its columns not taken yet) and the primary key. */
static void
uq_apply(struct cat_table *t, struct uq_texts *u)
{
	bool *taken = xcalloc((size_t)t->nuniques + 1, sizeof *taken);
	struct uq_text *q;
	int i, k;

	for (i = 0; i < u->n; i++) {
		q = &u->v[i];
		if (q->dropped)
			continue;
		for (k = 0; k < t->nuniques; k++)
			if (!taken[k] && cols_match(&q->cols, &t->uniques[k].cols, true))
				break;
		if (k < t->nuniques) {
			taken[k] = true;
			t->uniques[k].conflict = q->conflict;
		} else if (t->pk != NULL && cols_match(&q->cols, &t->pk->cols, false) &&
		    t->pk->conflict == CONFLICT_ABORT)
			t->pk->conflict = q->conflict;
	}
	free(taken);
}

void
sqlconf_read(struct cat_table *t, const struct toks *ts)
{
	struct uq_texts u = { NULL, 0 };
	struct span *items;
	int i, open, close, n;
	bool table;

	for (open = 0; open < ts->n && !tok_punct(ts, open, '('); open++)
		;
	if ((close = match_paren(ts, open)) < 0)
		return;
	n = split_items(ts, open, close, &items);
	for (i = 0; i < n; i++) {
		if (items[i].from >= items[i].to)
			continue;
		table = tok_kw(ts, items[i].from, "CONSTRAINT") ||
		    tok_kw(ts, items[i].from, "PRIMARY") || tok_kw(ts, items[i].from, "UNIQUE") ||
		    tok_kw(ts, items[i].from, "CHECK") || tok_kw(ts, items[i].from, "FOREIGN");
		scan_item(t, ts, &items[i], table, &u);
	}
	free(items);
	uq_merge(&u);
	uq_apply(t, &u);
	uq_free(&u);
}

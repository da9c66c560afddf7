/* sqlcat_obj.c — what a SQLite schema holds besides tables' columns,
 * constraints and indexes: table options (WITHOUT ROWID, STRICT,
 * AUTOINCREMENT), views and triggers (see sqlcat_int.h).
 *
 * SQLite keeps all of it only as the CREATE text in sqlite_master (the
 * pragmas say nothing of a view's query or a trigger's event), so it is
 * taken apart here with sqlcat_lex.c's tokenizer. What is compared is then
 * decided by catobj.c's rules: a view's query and a trigger's body are code
 * (comments, white space and, SQLite being case-insensitive, the case of
 * keywords and identifiers do not count), a trigger's WHEN an expression.
 * The texts stored are the CREATE text's tokens with every gap one space:
 * what a difference shows, readable on one line. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlcat_int.h"
#include "util.h"

/* An identifier token as SQLite compares it: unquoted, lower case. */
static char *
ident_folded(const struct tok *t)
{
	char *s = tok_ident(t), *p;

	for (p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* The index of the first token after an optional "IF NOT EXISTS" and a
 * name (maybe "schema.name") that starts at i; *name (when not NULL) gets
 * the name's token. */
static int
skip_name(const struct toks *ts, int i, int *name)
{
	if (tok_kw(ts, i, "IF") && tok_kw(ts, i + 1, "NOT") && tok_kw(ts, i + 2, "EXISTS"))
		i += 3;
	if (tok_punct(ts, i + 1, '.'))
		i += 2;
	if (name != NULL)
		*name = i;
	return i + 1;
}

/* The first token of the statement that is the keyword kw, or ts->n. */
static int
find_kw(const struct toks *ts, int from, const char *kw)
{
	int i;

	for (i = from; i < ts->n && !tok_kw(ts, i, kw); i++)
		;
	return i;
}

/* The BEGIN of a trigger's body: not a column "begin" of the WHEN
 * (new.begin, f(begin)); SQLite lets the word be a name. ts->n if none. */
static int
body_begin(const struct toks *ts, int from)
{
	int i, depth = 0;

	for (i = from; i < ts->n; i++) {
		if (tok_punct(ts, i, '('))
			depth++;
		else if (tok_punct(ts, i, ')'))
			depth--;
		else if (depth == 0 && tok_kw(ts, i, "BEGIN") && !tok_punct(ts, i - 1, '.'))
			return i;
	}
	return ts->n;
}

/* The end of a statement's tokens: before a trailing ';'. */
static int
stmt_end(const struct toks *ts)
{
	int end = ts->n;

	while (end > 0 && tok_punct(ts, end - 1, ';'))
		end--;
	return end;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a, b" of the identifier tokens in [from, to) (commas skipped),
 * folded; sorted when the order means nothing (UPDATE OF a set of columns). */
static char *
ident_list_text(const struct toks *ts, int from, int to, bool sorted)
{
	struct cat_strv v = { NULL, 0 };
	char *s;
	int i;

	for (i = from; i < to; i++) {
		if (ts->v[i].kind == TK_PUNCT)
			continue;
		s = ident_folded(&ts->v[i]);
		cat_strv_add(&v, s);
		free(s);
	}
	if (sorted && v.n > 1)
		qsort(v.v, (size_t)v.n, sizeof *v.v, strp_cmp);
	s = cat_strv_join(&v);
	cat_strv_free(&v);
	return s;
}

/* ---- table options --------------------------------------------------------- */

/* The column that is AUTOINCREMENT, or NULL: the keyword follows the
 * column's PRIMARY KEY, or (an old, undocumented spelling SQLite still
 * accepts) the column in a table constraint PRIMARY KEY (id AUTOINCREMENT). */
static char *
autoincrement_column(const struct toks *ts, const struct span *it)
{
	int i = it->from, close, depth = 0;

	if (tok_kw(ts, i, "CONSTRAINT"))
		i += 2;
	if (tok_kw(ts, i, "PRIMARY") && tok_kw(ts, i + 1, "KEY") && tok_punct(ts, i + 2, '(')) {
		if ((close = match_paren(ts, i + 2)) < 0 || close >= it->to || close < i + 4)
			return NULL;
		return find_kw(ts, i + 4, "AUTOINCREMENT") < close ?
		    ident_folded(&ts->v[i + 3]) : NULL;
	}
	if (i != it->from || tok_kw(ts, i, "UNIQUE") || tok_kw(ts, i, "CHECK") ||
	    tok_kw(ts, i, "FOREIGN") || tok_kw(ts, i, "PRIMARY"))
		return NULL;
	for (i = it->from + 1; i < it->to; i++) {
		if (tok_punct(ts, i, '('))
			depth++;
		else if (tok_punct(ts, i, ')'))
			depth--;
		else if (depth == 0 && tok_kw(ts, i, "AUTOINCREMENT"))
			return ident_folded(&ts->v[it->from]);
	}
	return NULL;
}

void
sqlobj_table_options(struct cat_table *t, const struct toks *ts)
{
	struct span *items;
	int i, open, close, n;
	char *col = NULL;

	for (open = 0; open < ts->n && !tok_punct(ts, open, '('); open++)
		;
	if ((close = match_paren(ts, open)) < 0)
		return;
	/* After the body: "WITHOUT ROWID" and "STRICT", in any order, by commas. */
	for (i = close + 1; i < ts->n; i++) {
		if (tok_kw(ts, i, "WITHOUT") && tok_kw(ts, i + 1, "ROWID"))
			cat_prop_set(&t->opts, CAT_SQLITE, "table", "table_without_rowid", "true");
		else if (tok_kw(ts, i, "STRICT"))
			cat_prop_set(&t->opts, CAT_SQLITE, "table", "table_strict", "true");
	}
	n = split_items(ts, open, close, &items);
	for (i = 0; i < n && col == NULL; i++)
		col = autoincrement_column(ts, &items[i]);
	free(items);
	if (col != NULL)	/* the column's name says which key counts */
		cat_prop_set(&t->opts, CAT_SQLITE, "table", "table_autoincrement", col);
	free(col);
}

/* ---- triggers ----------------------------------------------------------------- */

/* The parts of a CREATE TRIGGER; NULL where absent or not understood. */
struct trg {
	char	*timing;	/* "BEFORE" (SQLite's default when none is written),
				 * "AFTER", "INSTEAD OF" */
	char	*event;		/* "INSERT", "DELETE", "UPDATE", "UPDATE OF a, b" */
	char	*when;
	char	*body;		/* the statements between BEGIN and END */
};

static void
trg_free(struct trg *g)
{
	free(g->timing);
	free(g->event);
	free(g->when);
	free(g->body);
}

/* The event at i ("UPDATE OF a, b" with the columns folded and sorted: a
 * set); returns the index after it (the ON), or -1. */
static int
trg_event(const struct toks *ts, int i, struct trg *g)
{
	int on;
	char *cols;

	if (tok_kw(ts, i, "INSERT") || tok_kw(ts, i, "DELETE")) {
		g->event = tok_kw(ts, i, "INSERT") ? xstrdup("INSERT") : xstrdup("DELETE");
		return i + 1;
	}
	if (!tok_kw(ts, i, "UPDATE"))
		return -1;
	if (!tok_kw(ts, i + 1, "OF")) {
		g->event = xstrdup("UPDATE");
		return i + 1;
	}
	on = find_kw(ts, i + 2, "ON");
	cols = ident_list_text(ts, i + 2, on, true);
	g->event = xasprintf("UPDATE OF %s", cols);
	free(cols);
	return on;
}

/* CREATE [TEMP] TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER|INSTEAD OF]
 * event ON table [FOR EACH ROW] [WHEN expr] BEGIN stmt; ... END */
static bool
trg_parse(const char *sql, struct trg *g)
{
	struct toks ts;
	int i, begin, end;
	bool ok = false;

	memset(g, 0, sizeof *g);
	sql_lex(sql, &ts);
	i = skip_name(&ts, find_kw(&ts, 0, "TRIGGER") + 1, NULL);
	if (tok_kw(&ts, i, "BEFORE") || tok_kw(&ts, i, "AFTER")) {
		g->timing = tok_kw(&ts, i, "BEFORE") ? xstrdup("BEFORE") : xstrdup("AFTER");
		i++;
	} else if (tok_kw(&ts, i, "INSTEAD") && tok_kw(&ts, i + 1, "OF")) {
		g->timing = xstrdup("INSTEAD OF");
		i += 2;
	} else
		g->timing = xstrdup("BEFORE");
	if ((i = trg_event(&ts, i, g)) < 0 || !tok_kw(&ts, i, "ON"))
		goto out;
	i = skip_name(&ts, i + 1, NULL);
	/* FOR EACH ROW is all SQLite has, written or not. */
	if (tok_kw(&ts, i, "FOR") && tok_kw(&ts, i + 1, "EACH") && tok_kw(&ts, i + 2, "ROW"))
		i += 3;
	begin = body_begin(&ts, i);
	end = stmt_end(&ts);
	if (begin >= end || !tok_kw(&ts, end - 1, "END"))
		goto out;
	if (tok_kw(&ts, i, "WHEN") && i + 1 < begin)
		g->when = toks_text(&ts, i + 1, begin);
	g->body = toks_text(&ts, begin + 1, end - 1);
	ok = true;
out:
	free(ts.v);
	if (!ok)
		trg_free(g);
	return ok;
}

static void
add_trigger(struct catalog *c, const char *owner, bool of_view, const char *name,
    const char *sql)
{
	struct cat_object *o;
	struct trg g;
	char *full = xasprintf("%s.%s", owner, name);

	o = cat_add_object(c, "trigger", full, of_view ? NULL : owner);
	free(full);
	if (!trg_parse(sql, &g)) {
		/* SQLite made it, so it is a trigger; the text is all we can
		 * say of it, and a change of it is still a change. */
		cat_prop_set(&o->props, CAT_SQLITE, "trigger", "sql", sql);
		return;
	}
	cat_prop_set(&o->props, CAT_SQLITE, "trigger", "timing", g.timing);
	/* The keys of the PostgreSQL reader (pgobj_code.c), where they mean
	 * the same; SQLite's level is always ROW, FOR EACH ROW written or not. */
	cat_prop_set(&o->props, CAT_SQLITE, "trigger", "events", g.event);
	cat_prop_set(&o->props, CAT_SQLITE, "trigger", "level", "ROW");
	cat_prop_set(&o->props, CAT_SQLITE, "trigger", "when", g.when);
	cat_prop_set(&o->props, CAT_SQLITE, "trigger", "body", g.body);
	trg_free(&g);
}

bool
sqlobj_read_triggers(struct rd *rd, struct catalog *c, const char *name, const char *owner,
    bool of_view)
{
	sqlite3_stmt *st;
	int r;

	st = rd_prepare(rd, "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' "
	    "AND tbl_name = ?1 COLLATE NOCASE AND sql IS NOT NULL ORDER BY name", name, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading triggers")) > 0)
		add_trigger(c, owner, of_view, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return r == 0;
}

/* ---- views ----------------------------------------------------------------------- */

/* CREATE [TEMP] VIEW [IF NOT EXISTS] name [(columns)] AS select */
static void
add_view(struct catalog *c, const char *name, const char *sql)
{
	struct cat_object *o = cat_add_object(c, "view", name, NULL);
	struct toks ts;
	int i, close;
	char *s;

	sql_lex(sql, &ts);
	i = skip_name(&ts, find_kw(&ts, 0, "VIEW") + 1, NULL);
	if (tok_punct(&ts, i, '(') && (close = match_paren(&ts, i)) > 0) {
		s = ident_list_text(&ts, i + 1, close, false);
		cat_prop_set(&o->props, CAT_SQLITE, "view", "columns", s);
		free(s);
		i = close + 1;
	}
	if (tok_kw(&ts, i, "AS") && i + 1 < stmt_end(&ts)) {
		s = toks_text(&ts, i + 1, stmt_end(&ts));
		cat_prop_set(&o->props, CAT_SQLITE, "view", "query", s);
		free(s);
	} else	/* not understood: the whole text, still compared */
		cat_prop_set(&o->props, CAT_SQLITE, "view", "sql", sql);
	free(ts.v);
}

/* One view by name (any case), with its triggers; absent is no error. */
static bool
read_view(struct rd *rd, struct catalog *c, sqlite3_stmt *st, const char *want)
{
	char *name, *sql;
	int r;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
	if ((r = rd_step(rd, st, "reading views")) <= 0)
		return r == 0;
	name = xstrdup((const char *)sqlite3_column_text(st, 0));
	sql = xstrdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	add_view(c, name, sql);
	free(sql);
	r = sqlobj_read_triggers(rd, c, name, name, true);
	free(name);
	return r;
}

/* Every view of the main database. */
static bool
list_views(struct rd *rd, struct cat_strv *out)
{
	sqlite3_stmt *st;
	int r;

	st = rd_prepare(rd, "SELECT name FROM main.sqlite_master WHERE type = 'view' "
	    "ORDER BY name", NULL, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "listing the views")) > 0)
		cat_strv_add(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r == 0;
}

bool
sqlobj_read_views(struct rd *rd, struct catalog *c, const struct cat_strv *names)
{
	struct cat_strv all = { NULL, 0 };
	sqlite3_stmt *st;
	bool ok = true;
	int i;

	if (names == NULL) {
		if (!list_views(rd, &all)) {
			cat_strv_free(&all);
			return false;
		}
		names = &all;
	}
	st = rd_prepare(rd, "SELECT name, sql FROM main.sqlite_master WHERE type = 'view' "
	    "AND name = ?1 COLLATE NOCASE AND sql IS NOT NULL", NULL, NULL);
	for (i = 0; st != NULL && ok && i < names->n; i++)
		ok = read_view(rd, c, st, names->v[i]);
	sqlite3_finalize(st);
	cat_strv_free(&all);
	return st != NULL && ok;
}

/* sqlcat.c — read given tables of a SQLite database into a catalog.
 *
 * Most facts come from the pragma table-valued functions (pragma_table_xinfo,
 * pragma_index_list, pragma_index_xinfo, pragma_foreign_key_list). What SQLite
 * keeps only as text — CHECK bodies, partial-index predicates, expression
 * index keys, DEFERRABLE, MATCH, column collations and generated columns'
 * expressions, ON CONFLICT clauses (sqlcat_conflict.c) — is taken from
 * sqlite_master.sql with a small SQL
 * tokenizer (sql_lex in sqlcat_lex.c) that respects strings, quoted
 * identifiers, comments and parentheses. Everything runs inside one read transaction so the pieces
 * come from the same version of the schema. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbfile.h"
#include "normalize.h"
#include "sqlcat.h"
#include "sqlcat_int.h"
#include "util.h"

/* Long enough to ride out a checkpoint or a short writer, short enough that a
 * stuck writer is reported; probe_sqlite.c overrides it per target. */
#define SQLCAT_BUSY_TIMEOUT_MS	1000

/* ---- opening ------------------------------------------------------------- */

/* "file:" URI for a path: '%', '?' and '#' would otherwise be read as an
 * escape, the query or the fragment. An absolute path gets an empty authority
 * ("file:///x") so that a path starting with "//" is never taken for a host. */
static char *
path_uri(const char *path)
{
	struct sbuf sb;
	const char *p;

	sbuf_init(&sb);
	sbuf_add(&sb, path[0] == '/' ? "file://" : "file:");
	for (p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			sbuf_printf(&sb, "%%%02X", (unsigned char)*p);
		else
			sbuf_addc(&sb, *p);
	}
	/* mode=ro: never create the file, never write to it. Not immutable=1:
	 * the database is live and someone else may be changing it. */
	sbuf_add(&sb, "?mode=ro");
	return sbuf_steal(&sb);
}

int
sqlcat_open_ro(const char *path, sqlite3 **dbp, char **err)
{
	char *uri = path_uri(path), *why;
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(uri, &db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		/* SQLite says "unable to open database file" for every cause:
		 * the file system tells which. */
		why = dbfile_diagnose(path, DBFILE_READ);
		*err = xasprintf("cannot open %s: %s", path, why != NULL ? why :
		    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		free(why);
		sqlite3_close(db);
		*dbp = NULL;
		return rc;
	}
	sqlite3_busy_timeout(db, SQLCAT_BUSY_TIMEOUT_MS);
	*dbp = db;
	return SQLITE_OK;
}

/* ---- reading ------------------------------------------------------------- */

bool
rd_fail(struct rd *rd, const char *what)
{
	if (rd->err == NULL)
		rd->err = xasprintf("%s: %s", what, sqlite3_errmsg(rd->db));
	return false;
}

sqlite3_stmt *
rd_prepare(struct rd *rd, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(rd->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rd_fail(rd, "reading the schema");
		return NULL;
	}
	if (a != NULL)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	return st;
}

int
rd_step(struct rd *rd, sqlite3_stmt *st, const char *what)
{
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		return 1;
	case SQLITE_DONE:
		return 0;
	default:
		rd_fail(rd, what);
		return -1;
	}
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* The primary-key columns of a table, in key order. Taken from
 * pragma_table_xinfo rather than the autoindex: an INTEGER PRIMARY KEY is
 * the rowid and has no index at all. */
static bool
read_pk_cols(struct rd *rd, const char *table, struct cat_strv *out)
{
	sqlite3_stmt *st;
	int r;

	st = rd_prepare(rd, "SELECT name FROM pragma_table_xinfo(?1, 'main') "
	    "WHERE pk > 0 ORDER BY pk", table, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading primary key")) > 0)
		cat_strv_add(out, col_text(st, 0));
	sqlite3_finalize(st);
	return r == 0;
}

static bool
read_columns(struct rd *rd, struct cat_table *t, const char *table)
{
	sqlite3_stmt *st;
	struct cat_strv pk = { NULL, 0 };
	int r;

	/* DEFAULT NULL is no DEFAULT; TRUE/FALSE are the integers 1/0 (3.23). */
	st = rd_prepare(rd, "SELECT name, type, \"notnull\", CASE upper(trim(dflt_value, ' ()"
	    "\t\n\r')) WHEN 'NULL' THEN NULL WHEN 'TRUE' THEN '1' WHEN 'FALSE' THEN '0' ELSE "
	    "dflt_value END, hidden FROM pragma_table_xinfo(?1, 'main') ORDER BY cid", table, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading columns")) > 0) {
		/* hidden = 1: a virtual table's hidden column, not a real one;
		 * 2 and 3 are generated columns and are reported. */
		if (sqlite3_column_int(st, 4) == 1)
			continue;
		cat_add_column(t, CAT_SQLITE, col_text(st, 0), col_text(st, 1),
		    sqlite3_column_int(st, 2) != 0, col_text(st, 3));
	}
	sqlite3_finalize(st);
	if (r != 0 || !read_pk_cols(rd, table, &pk)) {
		cat_strv_free(&pk);
		return false;
	}
	if (pk.n > 0)
		cat_set_pk(t, NULL)->cols = pk;
	return true;
}

/* ---- column definitions: collation, generated ----------------------------- */

static struct cat_column *
find_column_nocase(struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

/* "COLLATE x" and "[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]" of one
 * column definition, at its top level (not inside a CHECK or DEFAULT). */
static void
column_text(struct cat_table *t, const struct toks *ts, const struct span *it)
{
	struct cat_column *col;
	int i, close, depth = 0;
	char *name, *expr, *coll;

	if (tok_kw(ts, it->from, "CONSTRAINT") || tok_kw(ts, it->from, "PRIMARY") ||
	    tok_kw(ts, it->from, "UNIQUE") || tok_kw(ts, it->from, "CHECK") ||
	    tok_kw(ts, it->from, "FOREIGN"))
		return;
	name = tok_ident(&ts->v[it->from]);
	col = find_column_nocase(t, name);
	free(name);
	if (col == NULL)
		return;
	for (i = it->from + 1; i < it->to; i++) {
		if (tok_punct(ts, i, '(')) {
			depth++;
		} else if (tok_punct(ts, i, ')')) {
			depth--;
		} else if (depth == 0 && tok_kw(ts, i, "COLLATE") && i + 1 < it->to) {
			coll = tok_ident(&ts->v[i + 1]);
			free(col->collation);
			/* BINARY is SQLite's default: as good as none. */
			col->collation = strcasecmp(coll, "BINARY") == 0 ? NULL : xstrdup(coll);
			free(coll);
		} else if (depth == 0 && tok_kw(ts, i, "AS") && tok_punct(ts, i + 1, '(') &&
		    (close = match_paren(ts, i + 1)) > 0 && close < it->to) {
			expr = toks_text(ts, i + 2, close);
			cat_set_generated(col, CAT_SQLITE, expr, tok_kw(ts, close + 1, "STORED"));
			free(expr);
			i = close;
		}
	}
}

static void
add_column_texts(struct cat_table *t, const struct toks *ts)
{
	struct span *items;
	int i, open, close, n;

	for (open = 0; open < ts->n && !tok_punct(ts, open, '('); open++)
		;
	if ((close = match_paren(ts, open)) < 0)
		return;
	n = split_items(ts, open, close, &items);
	for (i = 0; i < n; i++)
		column_text(t, ts, &items[i]);
	free(items);
}

/* ---- CHECK constraints --------------------------------------------------- */

/* Every CHECK ( ... ) of a CREATE TABLE, column-level or table-level,
 * named or not, in the order written. */
static void
add_checks(struct cat_table *t, const struct toks *ts)
{
	int i, close;
	char *expr;

	for (i = 0; i + 1 < ts->n; i++) {
		if (!tok_kw(ts, i, "CHECK") || !tok_punct(ts, i + 1, '('))
			continue;
		if ((close = match_paren(ts, i + 1)) < 0)
			return;
		expr = toks_text(ts, i + 2, close);
		cat_add_check(t, CAT_SQLITE, NULL, expr);
		free(expr);
		i = close;
	}
}

/* ---- foreign keys -------------------------------------------------------- */

/* What the pragma does not say about a foreign key, from the CREATE text. */
struct fk_text {
	struct cat_strv	 from;
	char		*ref;
	enum cat_fk_match match;
	bool		 deferrable, deferred, used;
};

struct fk_texts {
	struct fk_text	*v;
	int		 n;
};

static void
fk_texts_free(struct fk_texts *ft)
{
	int i;

	for (i = 0; i < ft->n; i++) {
		cat_strv_free(&ft->v[i].from);
		free(ft->v[i].ref);
	}
	free(ft->v);
}

/* Number of tokens of an ON DELETE/UPDATE action at i. */
static int
fk_action_len(const struct toks *ts, int i)
{
	return (tok_kw(ts, i, "SET") || tok_kw(ts, i, "NO")) ? 2 : 1;
}

/* Parse "REFERENCES tbl [(cols)] [ON ...|MATCH ...]* [[NOT] DEFERRABLE
 * [INITIALLY DEFERRED|IMMEDIATE]]" at i (the REFERENCES token) within
 * [i, end) and record it with its referencing columns. */
static void
fk_text_add(struct fk_texts *ft, const struct toks *ts, int i, int end,
    struct cat_strv *from)
{
	struct fk_text *f;
	int close;
	bool neg;

	if (i + 1 >= end) {
		cat_strv_free(from);
		return;
	}
	ft->v = xreallocarray(ft->v, (size_t)ft->n + 1, sizeof *ft->v);
	f = &ft->v[ft->n++];
	memset(f, 0, sizeof *f);
	f->from = *from;
	f->ref = tok_ident(&ts->v[i + 1]);
	i += 2;
	if (tok_punct(ts, i, '(') && (close = match_paren(ts, i)) >= 0)
		i = close + 1;
	for (; i < end; ) {
		if (tok_kw(ts, i, "ON"))
			i += 2 + fk_action_len(ts, i + 2);
		else if (tok_kw(ts, i, "MATCH")) {
			char *m = i + 1 < end ? tok_ident(&ts->v[i + 1]) : xstrdup("");

			if (cat_fk_match_parse(m) >= 0)
				f->match = (enum cat_fk_match)cat_fk_match_parse(m);
			free(m);
			i += 2;
		} else
			break;
	}
	if ((neg = tok_kw(ts, i, "NOT")))
		i++;
	if (i >= end || !tok_kw(ts, i, "DEFERRABLE"))
		return;
	f->deferrable = !neg;
	f->deferred = f->deferrable && tok_kw(ts, i + 1, "INITIALLY") &&
	    tok_kw(ts, i + 2, "DEFERRED");
}

/* Idents of the tokens between the parentheses at [open, close]. */
static void
ident_list(const struct toks *ts, int open, int close, struct cat_strv *out)
{
	int i;
	char *s;

	for (i = open + 1; i < close; i++) {
		if (ts->v[i].kind == TK_PUNCT)
			continue;
		s = tok_ident(&ts->v[i]);
		cat_strv_add(out, s);
		free(s);
	}
}

/* One item of a CREATE TABLE body: a column definition (whose constraints
 * may include REFERENCES) or a table constraint (FOREIGN KEY (..) REFERENCES). */
static void
fk_texts_item(struct fk_texts *ft, const struct toks *ts, const struct span *it)
{
	struct cat_strv from = { NULL, 0 };
	int i = it->from, close, depth = 0;
	char *col;

	if (tok_kw(ts, i, "CONSTRAINT"))
		i += 2;
	if (tok_kw(ts, i, "FOREIGN") && tok_kw(ts, i + 1, "KEY") && tok_punct(ts, i + 2, '(')) {
		if ((close = match_paren(ts, i + 2)) < 0 || close >= it->to)
			return;
		ident_list(ts, i + 2, close, &from);
		if (tok_kw(ts, close + 1, "REFERENCES"))
			fk_text_add(ft, ts, close + 1, it->to, &from);
		else
			cat_strv_free(&from);
		return;
	}
	if (tok_kw(ts, i, "PRIMARY") || tok_kw(ts, i, "UNIQUE") || tok_kw(ts, i, "CHECK"))
		return;
	col = tok_ident(&ts->v[it->from]);
	for (i = it->from + 1; i < it->to; i++) {
		if (tok_punct(ts, i, '('))
			depth++;
		else if (tok_punct(ts, i, ')'))
			depth--;
		else if (depth == 0 && tok_kw(ts, i, "REFERENCES")) {
			cat_strv_add(&from, col);
			fk_text_add(ft, ts, i, it->to, &from);
			memset(&from, 0, sizeof from);
		}
	}
	free(col);
}

static void
fk_texts_parse(struct fk_texts *ft, const struct toks *ts)
{
	struct span *items;
	int i, open, close, n;

	memset(ft, 0, sizeof *ft);
	for (open = 0; open < ts->n && !tok_punct(ts, open, '('); open++)
		;
	if ((close = match_paren(ts, open)) < 0)
		return;
	n = split_items(ts, open, close, &items);
	for (i = 0; i < n; i++)
		fk_texts_item(ft, ts, &items[i]);
	free(items);
}

static bool
strv_eq_nocase(const struct cat_strv *a, const struct cat_strv *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcasecmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static void
fk_apply_text(struct cat_fk *fk, struct fk_texts *ft)
{
	int i;

	for (i = 0; i < ft->n; i++) {
		struct fk_text *f = &ft->v[i];

		if (f->used || strcasecmp(f->ref, fk->ref_table) != 0 ||
		    !strv_eq_nocase(&f->from, &fk->cols))
			continue;
		f->used = true;
		fk->match = f->match;
		fk->deferrable = f->deferrable;
		fk->deferred = f->deferred;
		return;
	}
}

static enum cat_fk_action
fk_action(const char *s)
{
	int a = s != NULL ? cat_fk_action_parse(s) : -1;

	return a < 0 ? FK_NO_ACTION : (enum cat_fk_action)a;
}

/* A foreign key without parent columns refers to the parent's primary key. */
static bool
fk_resolve_parent(struct rd *rd, struct cat_table *t)
{
	struct cat_fk *fk;
	int i;

	for (i = 0; i < t->nfks; i++) {
		fk = &t->fks[i];
		if (fk->ref_cols.n == 0 && !read_pk_cols(rd, fk->ref_table, &fk->ref_cols))
			return false;
	}
	return true;
}

static bool
read_fks(struct rd *rd, struct cat_table *t, const char *table, const struct toks *ts)
{
	sqlite3_stmt *st;
	struct fk_texts ft;
	struct cat_fk *fk = NULL;
	int r, id = -1, i;

	/* Ids run in reverse order of declaration: id DESC is the written order. */
	st = rd_prepare(rd, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
	    "FROM pragma_foreign_key_list(?1, 'main') ORDER BY id DESC, seq", table, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading foreign keys")) > 0) {
		if (fk == NULL || sqlite3_column_int(st, 0) != id) {
			id = sqlite3_column_int(st, 0);
			/* case folded with the rest (cat_fold_identifiers) */
			fk = cat_add_fk(t, NULL, col_text(st, 1));
			fk->on_update = fk_action(col_text(st, 4));
			fk->on_delete = fk_action(col_text(st, 5));
		}
		cat_strv_add(&fk->cols, col_text(st, 2));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			cat_strv_add(&fk->ref_cols, col_text(st, 3));
	}
	sqlite3_finalize(st);
	if (r != 0)
		return false;
	fk_texts_parse(&ft, ts);
	for (i = 0; i < t->nfks; i++)
		fk_apply_text(&t->fks[i], &ft);
	fk_texts_free(&ft);
	return fk_resolve_parent(rd, t);
}

/* ---- indexes ------------------------------------------------------------- */

/* The parsed CREATE INDEX text: key items and the WHERE predicate. */
struct ix_text {
	struct toks	 ts;
	struct span	*items;
	int		 nitems;
	char		*pred;
};

static void
ix_text_parse(struct ix_text *x, const char *sql)
{
	int i, open, close;

	memset(x, 0, sizeof *x);
	if (sql == NULL)
		return;
	sql_lex(sql, &x->ts);
	for (i = 0; i < x->ts.n && !tok_kw(&x->ts, i, "ON"); i++)
		;
	for (open = i; open < x->ts.n && !tok_punct(&x->ts, open, '('); open++)
		;
	if ((close = match_paren(&x->ts, open)) < 0)
		return;
	x->nitems = split_items(&x->ts, open, close, &x->items);
	for (i = close + 1; i < x->ts.n; i++) {
		if (tok_kw(&x->ts, i, "WHERE")) {
			int end = x->ts.n;

			if (tok_punct(&x->ts, end - 1, ';'))
				end--;
			x->pred = toks_text(&x->ts, i + 1, end);
			break;
		}
	}
}

static void
ix_text_free(struct ix_text *x)
{
	free(x->ts.v);
	free(x->items);
	free(x->pred);
}

/* The expression of key item k, without the ASC/DESC and COLLATE that the
 * pragma reports separately. */
static char *
ix_text_expr(const struct ix_text *x, int k)
{
	int from, to;

	if (x == NULL || k < 0 || k >= x->nitems)
		return xstrdup("?");
	from = x->items[k].from;
	to = x->items[k].to;
	if (to - 1 > from && (tok_kw(&x->ts, to - 1, "ASC") || tok_kw(&x->ts, to - 1, "DESC")))
		to--;
	if (to - 2 > from && tok_kw(&x->ts, to - 2, "COLLATE"))
		to -= 2;
	return toks_text(&x->ts, from, to);
}

static bool
read_index_keys(struct rd *rd, const char *index, const struct ix_text *x,
    struct cat_strv *keys, bool decorate)
{
	sqlite3_stmt *st;
	struct sbuf sb;
	const char *coll;
	int r, cid;
	char *expr;

	st = rd_prepare(rd, "SELECT seqno, cid, name, \"desc\", upper(coll) "
	    "FROM pragma_index_xinfo(?1, 'main') WHERE key = 1 ORDER BY seqno",
	    index, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading index columns")) > 0) {
		cid = sqlite3_column_int(st, 1);
		sbuf_init(&sb);
		if (cid == -2) {	/* an expression: only the CREATE text has it */
			char *raw = ix_text_expr(x, sqlite3_column_int(st, 0));

			expr = norm_expr(CAT_SQLITE, raw);
			free(raw);
		} else	/* SQLite column names ignore case: fold like norm_expr does */
			expr = norm_ident(cid == -1 ? "rowid" : col_text(st, 2));
		sbuf_add(&sb, expr);
		free(expr);
		coll = col_text(st, 4);	/* upper(): collation names ignore case */
		if (decorate && coll != NULL && strcasecmp(coll, "BINARY") != 0)
			sbuf_printf(&sb, " COLLATE %s", coll);
		if (decorate && sqlite3_column_int(st, 3) != 0)
			sbuf_add(&sb, " DESC");
		cat_strv_add(keys, sb.buf);
		sbuf_free(&sb);
	}
	sqlite3_finalize(st);
	return r == 0;
}

static bool
read_index(struct rd *rd, struct cat_table *t, sqlite3_stmt *il)
{
	const char *name = col_text(il, 0), *origin = col_text(il, 2);
	struct ix_text x;
	struct cat_index *ix;
	struct cat_key *k;
	bool ok;

	if (strcmp(origin, "pk") == 0)	/* read from the columns' pk order */
		return true;
	if (strcmp(origin, "u") == 0) {
		k = cat_add_unique(t, NULL);
		return read_index_keys(rd, name, NULL, &k->cols, false);
	}
	ix_text_parse(&x, col_text(il, 4));
	ix = cat_add_index(t, CAT_SQLITE, name, sqlite3_column_int(il, 1) != 0, "btree",
	    sqlite3_column_int(il, 3) != 0 ? x.pred : NULL);
	ok = read_index_keys(rd, name, &x, &ix->keys, true);
	ix_text_free(&x);
	return ok;
}

static bool
read_indexes(struct rd *rd, struct cat_table *t, const char *table)
{
	sqlite3_stmt *st;
	int r;

	/* seq DESC: the order of creation, as for foreign keys. */
	st = rd_prepare(rd, "SELECT il.name, il.\"unique\", il.origin, il.partial, m.sql "
	    "FROM pragma_index_list(?1, 'main') AS il "
	    "LEFT JOIN main.sqlite_master AS m ON m.type = 'index' AND m.name = il.name "
	    "ORDER BY il.seq DESC", table, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "reading indexes")) > 0)
		if (!read_index(rd, t, st)) {
			r = -1;
			break;
		}
	sqlite3_finalize(st);
	return r == 0;
}

/* ---- tables -------------------------------------------------------------- */

static bool
read_table(struct rd *rd, struct catalog *c, const char *want, const char *name,
    const char *sql)
{
	struct cat_table *t = cat_add_table(c, want);
	struct toks ts;
	bool ok;

	sql_lex(sql != NULL ? sql : "", &ts);
	ok = read_columns(rd, t, name) && read_indexes(rd, t, name) &&
	    read_fks(rd, t, name, &ts) && sqlobj_read_triggers(rd, c, name, want, false);
	if (ok) {
		add_column_texts(t, &ts);
		add_checks(t, &ts);
		sqlconf_read(t, &ts);
		sqlobj_table_options(t, &ts);
	}
	free(ts.v);
	return ok;
}

static bool
read_tables(struct rd *rd, struct catalog *c, const struct cat_strv *tables)
{
	sqlite3_stmt *st;
	int i, r = 0;
	char *name, *sql;

	/* Table names are case-insensitive in SQLite: ORDERS is orders too. */
	st = rd_prepare(rd, "SELECT name, sql FROM main.sqlite_master "
	    "WHERE type = 'table' AND name = ?1 COLLATE NOCASE", NULL, NULL);
	if (st == NULL)
		return false;
	for (i = 0; i < tables->n && r >= 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, tables->v[i], -1, SQLITE_STATIC);
		if ((r = rd_step(rd, st, "reading the schema")) <= 0)
			continue;
		name = xstrdup(col_text(st, 0));
		sql = col_text(st, 1) != NULL ? xstrdup(col_text(st, 1)) : NULL;
		sqlite3_reset(st);	/* no statement open while the pragmas run */
		if (!read_table(rd, c, tables->v[i], name, sql))
			r = -1;
		free(name);
		free(sql);
	}
	sqlite3_finalize(st);
	return r >= 0;
}

/* What the version table records, if it exists: its rows joined by ','. */
static bool
read_version(struct rd *rd, const char *table, struct cat_version *ver)
{
	sqlite3_stmt *st;
	char *sql;
	int r;

	st = rd_prepare(rd, "SELECT name FROM main.sqlite_master WHERE type = 'table' "
	    "AND name = ?1 COLLATE NOCASE", table, NULL);
	if (st == NULL)
		return false;
	r = rd_step(rd, st, "reading the version table");
	sqlite3_finalize(st);
	ver->read = r >= 0;
	ver->table = r > 0;
	if (r <= 0)
		return r == 0;
	sql = sqlite3_mprintf("SELECT group_concat(version_num, ',') FROM "
	    "(SELECT version_num FROM main.\"%w\" ORDER BY version_num)", table);
	st = rd_prepare(rd, sql, NULL, NULL);
	sqlite3_free(sql);
	if (st == NULL)
		return false;
	if ((r = rd_step(rd, st, "reading the version table")) > 0 && col_text(st, 0) != NULL)
		ver->row = xstrdup(col_text(st, 0));
	sqlite3_finalize(st);
	return r >= 0;
}

bool
sqlcat_read_version(sqlite3 *db, const char *table, struct cat_version *ver, char **err)
{
	struct rd rd = { db, NULL };

	memset(ver, 0, sizeof *ver);
	if (read_version(&rd, table, ver))
		return true;
	rd_fail(&rd, "reading the version table");
	cat_version_free(ver);
	*err = rd.err;
	return false;
}

/* Every table of the main database but SQLite's own (scope: schema) and
 * except (NULL: none), whose name SQLite compares without case, as NOCASE
 * does: "ALEMBIC_VERSION" is the table alembic_version. */
static bool
list_tables(struct rd *rd, const char *except, struct cat_strv *out)
{
	sqlite3_stmt *st;
	int r;

	st = rd_prepare(rd, "SELECT name FROM main.sqlite_master WHERE type = 'table' "
	    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	    "AND (?1 IS NULL OR name <> ?1 COLLATE NOCASE) ORDER BY name", except, NULL);
	if (st == NULL)
		return false;
	while ((r = rd_step(rd, st, "listing the tables")) > 0)
		cat_strv_add(out, col_text(st, 0));
	sqlite3_finalize(st);
	return r == 0;
}

static bool
read_wanted(struct rd *rd, struct catalog *c, const struct cat_want *want)
{
	struct cat_strv all = { NULL, 0 };
	bool ok;

	/* Views by name (want->objects); triggers come with their table or view. */
	if (!want->all)
		return (want->tables == NULL || read_tables(rd, c, want->tables)) &&
		    (want->objects == NULL || want->objects->n == 0 ||
		    sqlobj_read_views(rd, c, want->objects));
	ok = list_tables(rd, want->except_table, &all) && read_tables(rd, c, &all) &&
	    sqlobj_read_views(rd, c, NULL);
	cat_strv_free(&all);
	return ok;
}

struct catalog *
sqlcat_read_tables(sqlite3 *db, const struct cat_strv *tables, const char *version_table,
    struct cat_version *ver, char **err)
{
	const struct cat_want want = { tables, NULL, false, NULL };

	return sqlcat_read_want(db, &want, version_table, ver, err);
}

struct catalog *
sqlcat_read_want(sqlite3 *db, const struct cat_want *want, const char *version_table,
    struct cat_version *ver, char **err)
{
	struct rd rd = { db, NULL };
	struct catalog *c;
	/* The migration engine reads inside its own open transaction (to
	 * verify before COMMIT): then that transaction is the consistent view
	 * and it is not ours to end. Otherwise one read transaction of our
	 * own, so that every pragma sees the same schema. */
	bool own = sqlite3_get_autocommit(db) != 0;

	if (own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rd_fail(&rd, "cannot begin a read transaction");
		*err = rd.err;
		return NULL;
	}
	c = cat_new(CAT_SQLITE);
	if (ver != NULL)
		memset(ver, 0, sizeof *ver);
	if (read_wanted(&rd, c, want) &&
	    (ver == NULL || version_table == NULL || read_version(&rd, version_table, ver)) &&
	    (!own || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)) {
		cat_fold_identifiers(c);	/* SQLite names ignore case */
		cat_sort_tables(c);
		cat_sort_objects(c);
		return c;
	}
	rd_fail(&rd, "reading the schema");
	if (ver != NULL)
		cat_version_free(ver);
	if (own && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	cat_free(c);
	*err = rd.err;
	return NULL;
}

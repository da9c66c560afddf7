/* sqlcat_int.h — private to sqlcat: the small SQL tokenizer (sqlcat_lex.c)
 * that sqlcat.c uses on sqlite_master.sql for what SQLite keeps only as text
 * (CHECK bodies, partial-index predicates, expression keys, DEFERRABLE,
 * MATCH, collations, generated columns), the reading helpers of sqlcat.c,
 * and the objects that are not tables (sqlcat_obj.c: table options, views,
 * triggers). */
#ifndef SW_SQLCAT_INT_H
#define SW_SQLCAT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "catalog.h"

enum tok_kind {
	TK_WORD,	/* keyword, bare identifier or number */
	TK_QIDENT,	/* "x", [x], `x` */
	TK_STRING,	/* 'x' */
	TK_PUNCT,	/* one character; "<>" is two tokens with no gap */
};

struct tok {
	enum tok_kind	 kind;
	const char	*s;
	size_t		 n;
	bool		 gap;	/* whitespace or a comment before it */
};

struct toks {
	struct tok	*v;
	int		 n;
};

/* A comma-separated list between the parentheses at [open, close]: the
 * token ranges of its items, at the top level only. */
struct span {
	int	from, to;	/* [from, to) */
};

/* Tokens of sql (pointing into it; free ts->v): strings, quoted identifiers,
 * comments and whitespace respected. */
void	 sql_lex(const char *sql, struct toks *ts);
/* Token i is the keyword kw (any case) / the punctuation character c;
 * false when i is out of range. */
bool	 tok_kw(const struct toks *, int i, const char *kw);
bool	 tok_punct(const struct toks *, int i, char c);
/* Index of the ')' matching the '(' at i, or -1 when unbalanced. */
int	 match_paren(const struct toks *, int i);
/* The text of tokens [from, to), each gap made one space (caller frees). */
char	*toks_text(const struct toks *, int from, int to);
/* An identifier token without its quotes (caller frees). */
char	*tok_ident(const struct tok *);
/* The top-level comma-separated items between the parentheses at open and
 * close; returns their number, *out (caller frees) their token ranges. */
int	 split_items(const struct toks *, int open, int close, struct span **out);

/* ---- reading (sqlcat.c) ---- */

/* One read of a database: the first error is kept in err. */
struct rd {
	sqlite3		*db;
	char		*err;
};

/* Record what failed (the first failure only); returns false. */
bool	 rd_fail(struct rd *, const char *what);
/* Prepare sql and bind ?1 (and ?2 when b is not NULL); NULL on error. */
sqlite3_stmt *rd_prepare(struct rd *, const char *sql, const char *a, const char *b);
/* Step once: 1 for a row, 0 when done, -1 on error (recorded). */
int	 rd_step(struct rd *, sqlite3_stmt *, const char *what);

/* ---- ON CONFLICT clauses (sqlcat_conflict.c) ---- */

/* The ON CONFLICT clauses of a table's NOT NULL, PRIMARY KEY and UNIQUE
 * constraints, from its CREATE text (ts), onto its columns and keys (read
 * before). */
void	 sqlconf_read(struct cat_table *t, const struct toks *ts);

/* ---- objects that are not tables (sqlcat_obj.c) ---- */

/* WITHOUT ROWID, STRICT and AUTOINCREMENT of a table, from its CREATE text
 * (ts) and its primary key (read before): into t->opts. */
void	 sqlobj_table_options(struct cat_table *t, const struct toks *ts);
/* The triggers of a table or view (SQLite's name `name`), reported under
 * `owner` (the name the caller asked for): a table's as members of it
 * (table set), a view's as schema-level objects "view.trigger". */
bool	 sqlobj_read_triggers(struct rd *, struct catalog *, const char *name,
	    const char *owner, bool of_view);
/* The views named in `names` (compared without case; NULL: every view of
 * the main database), each with its triggers. */
bool	 sqlobj_read_views(struct rd *, struct catalog *, const struct cat_strv *names);

#endif

/* normalize.c — dialect text to canonical form, so that spelling never counts.
 *
 * An expression goes through four steps, each in its own file (norm_int.h):
 *   1. norm_lex():       SQL tokens; unquoted identifiers folded to lower case;
 *   2. norm_parse_expr(): precedence climbing into a small AST (struct node);
 *   3. norm_simplify():  rewrites that remove spelling — PostgreSQL's deparse
 *                        casts, "= ANY (ARRAY[..])", BETWEEN, "NOT (x IS
 *                        NULL)", IN order;
 *   4. norm_print_tree(): one spelling, with only the parentheses precedence
 *                        needs.
 * Whatever cannot be parsed becomes "unparsable (WHY): text" (the text
 * whitespace-collapsed and lower-cased outside quotes), which never equals a
 * parsed expression's form and says, wherever it is shown, that it was not
 * understood and why. Every step is bounded (norm_int.h's limits): deep
 * nesting is "too deeply nested", never a stack overflow.
 *
 * This file owns the arena all four steps allocate from: everything of one
 * call is freed at the end, whatever step failed.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "norm_int.h"

/* ---- arena ---------------------------------------------------------------- */

/* Hands a malloc'ed block to the arena, which frees it at the end. */
static void *
arena_keep(struct arena *ar, void *block)
{
	if (ar->n == ar->cap) {
		ar->cap = ar->cap ? ar->cap * 2 : 64;
		ar->ptr = xreallocarray(ar->ptr, ar->cap, sizeof *ar->ptr);
	}
	return ar->ptr[ar->n++] = block;
}

void *
norm_alloc(struct arena *ar, size_t size)
{
	return arena_keep(ar, xcalloc(1, size));
}

char *
norm_strndup(struct arena *ar, const char *s, size_t len)
{
	char *d = norm_alloc(ar, len + 1);

	memcpy(d, s, len);
	return d;
}

char *
norm_strdup(struct arena *ar, const char *s)
{
	return norm_strndup(ar, s, strlen(s));
}

/* Moves a malloc'ed string into the arena (no copy). */
char *
norm_adopt(struct arena *ar, char *s)
{
	return arena_keep(ar, s);
}

static void
arena_free(struct arena *ar)
{
	while (ar->n > 0)
		free(ar->ptr[--ar->n]);
	free(ar->ptr);
	ar->ptr = NULL;
	ar->cap = 0;
}

/* ---- entry points --------------------------------------------------------- */

/* Whitespace collapsed, lower case outside '...' and "..." quotes. */
char *
norm_fallback(const char *s)
{
	struct sbuf sb;
	char quote = 0;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (; *s; s++) {
		if (quote == 0 && isspace((unsigned char)*s)) {
			if (sb.len > 0 && sb.buf[sb.len - 1] != ' ')
				sbuf_addc(&sb, ' ');
			continue;
		}
		if (quote == 0 && (*s == '\'' || *s == '"'))
			quote = *s;
		else if (quote != 0 && *s == quote)
			quote = 0;
		sbuf_addc(&sb, quote ? *s : (char)tolower((unsigned char)*s));
	}
	/* A blank inside a quote left open is text, not a collapsed run:
	 * dropping it would change the form again at the next pass. */
	if (quote == 0 && sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return sbuf_steal(&sb);
}

#define UNPARSABLE	"unparsable ("

/* "unparsable (WHY): text": never the canonical form of a parsed expression
 * (the printer never writes "unparsable (" followed by "):"), so it never
 * equals one, and whoever shows it says why it was not understood. */
static char *
unparsable(const char *why, const char *s)
{
	char *text = norm_fallback(s), *out;

	out = xasprintf(UNPARSABLE "%s): %s", why, text);
	free(text);
	return out;
}

bool
norm_is_unparsable(const char *canonical)
{
	return canonical != NULL &&
	    strncmp(canonical, UNPARSABLE, strlen(UNPARSABLE)) == 0;
}

/* The arena and the parser live on the heap, and the pointers to them are
 * not changed after setjmp(): what they point to is still valid after a
 * longjmp(). `out` is volatile because it is assigned after setjmp(). The
 * rewrites run inside the setjmp() too: a tree they would make too deep
 * ends like a parse error (norm_link). */
static char *
normalize(enum cat_dialect d, const char *s, bool dflt)
{
	struct arena *ar;
	struct parser *p;
	struct nctx c;
	char *volatile out = NULL;

	if (s == NULL)
		return NULL;
	if (norm_is_unparsable(s))	/* a fixed point, like every canonical form */
		return xstrdup(s);
	ar = xcalloc(1, sizeof *ar);
	p = norm_alloc(ar, sizeof *p);
	p->ar = ar;
	p->d = d;
	sbuf_init(&p->scratch);
	ar->p = p;
	c.ar = ar;
	c.d = d;
	c.dflt = dflt;
	c.budget = NORM_PRINT_BUDGET;
	if (setjmp(p->fail) == 0) {
		norm_lex(p, s);
		if (p->t[0].kind == T_EOF)	/* blank, or only comments */
			out = norm_fallback(s);
		else {
			struct node *tree = norm_parse_expr(p);

			if (p->t[p->pos].kind != T_EOF)
				norm_fail(p, NULL);
			tree = norm_simplify(&c, tree);
			if ((out = norm_print_tree(tree, &c.budget)) == NULL)
				norm_fail(p, "too large");
		}
	}
	if (out == NULL)
		out = unparsable(p->why, s);
	sbuf_free(&p->scratch);
	free(p->t);
	arena_free(ar);
	free(ar);
	return out;
}

char *
norm_expr(enum cat_dialect d, const char *s)
{
	return normalize(d, s, false);
}

char *
norm_default(enum cat_dialect d, const char *s)
{
	return normalize(d, s, true);
}

/* ---- what could not be parsed ------------------------------------------- */

/* The (place, text) pairs already logged. Catalogs are built at every
 * check, of every target, from the loop and from SQLite worker threads: the
 * set is shared and locked. It is bounded: beyond NOTED_MAX pairs (a schema
 * full of syntax the normalizer does not know) nothing more is logged, but
 * every further note still counts, so the metric never undercounts. */
#define NOTED_MAX	4096

static pthread_mutex_t	 noted_lock = PTHREAD_MUTEX_INITIALIZER;
static char		**noted;	/* "place\ncanonical", unsorted */
static size_t		 nnoted;
static uint64_t		 unparsable_total;
static bool		 told_full;	/* the bound was said */

/* Locked. True when the pair is new (and now remembered or past the bound). */
static bool
noted_first(const char *key, bool *full)
{
	size_t i;

	for (i = 0; i < nnoted; i++)
		if (strcmp(noted[i], key) == 0)
			return false;
	*full = nnoted == NOTED_MAX;
	if (!*full) {
		noted = xreallocarray(noted, nnoted + 1, sizeof *noted);
		noted[nnoted++] = xstrdup(key);
	}
	return true;
}

void
norm_note_unparsable(const char *place, const char *canonical)
{
	char *key;
	bool first, full = false, say_full = false;

	if (!norm_is_unparsable(canonical))
		return;
	key = xasprintf("%s\n%s", place, canonical);
	pthread_mutex_lock(&noted_lock);
	if ((first = noted_first(key, &full)))
		unparsable_total++;
	if (first && full && !told_full)
		say_full = told_full = true;
	pthread_mutex_unlock(&noted_lock);
	free(key);
	if (first && !full)
		log_msg(LOG_WARNING, "%s: expression not understood, compared "
		    "only with the same text, never with a parsed one: %s",
		    place, canonical);
	else if (say_full)
		log_msg(LOG_WARNING, "more than %d unparsable expressions: "
		    "no longer logged, still counted", NOTED_MAX);
}

uint64_t
norm_unparsable_total(void)
{
	uint64_t n;

	pthread_mutex_lock(&noted_lock);
	n = unparsable_total;
	pthread_mutex_unlock(&noted_lock);
	return n;
}

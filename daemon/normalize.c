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
 * Whatever cannot be parsed falls back to a whitespace-collapsed, lower-cased
 * text (see norm_fallback()), so an odd expression is still compared, only
 * more strictly.
 *
 * This file owns the arena all four steps allocate from: everything of one
 * call is freed at the end, whatever step failed.
 */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "norm_int.h"

/* ---- arena ---------------------------------------------------------------- */

void *
norm_alloc(struct arena *ar, size_t size)
{
	if (ar->n == ar->cap) {
		ar->cap = ar->cap ? ar->cap * 2 : 64;
		ar->ptr = xreallocarray(ar->ptr, ar->cap, sizeof *ar->ptr);
	}
	return ar->ptr[ar->n++] = xcalloc(1, size);
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

/* Moves a malloc'ed string into the arena. */
char *
norm_adopt(struct arena *ar, char *s)
{
	char *d = norm_strdup(ar, s);

	free(s);
	return d;
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
	if (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return sbuf_steal(&sb);
}

/* The arena and the parser live on the heap, and the pointers to them are
 * not changed after setjmp(): what they point to is still valid after a
 * longjmp() (automatic variables changed in between would not be). */
static char *
normalize(enum cat_dialect d, const char *s, bool dflt)
{
	struct arena *ar;
	struct parser *p;
	struct nctx c;
	struct node *volatile tree = NULL;
	char *out;

	if (s == NULL)
		return NULL;
	ar = xcalloc(1, sizeof *ar);
	p = norm_alloc(ar, sizeof *p);
	p->ar = ar;
	p->d = d;
	if (setjmp(p->fail) == 0) {
		norm_lex(p, s);
		if (p->t[0].kind != T_EOF)
			tree = norm_parse_expr(p);
		if (tree != NULL && p->t[p->pos].kind != T_EOF)
			tree = NULL;
	} else
		tree = NULL;
	c.ar = ar;
	c.d = d;
	c.dflt = dflt;
	out = tree ? norm_print_tree(norm_simplify(&c, tree)) : norm_fallback(s);
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

/* norm_int.h — what the pieces of the normalizer share; not a public API.
 *
 * normalize.h is the API. Behind it an expression goes through four files:
 *   norm_lex.c      SQL tokens; unquoted identifiers folded to lower case;
 *   norm_parse.c    precedence climbing into a small AST (struct node);
 *   norm_rewrite.c  rewrites that remove spelling (deparse casts, "= ANY",
 *                   BETWEEN, "NOT (x IS NULL)", IN order, AND/OR order);
 *   norm_print.c    one spelling, with only the parentheses precedence needs;
 * normalize.c drives them and owns the arena; norm_types.c folds type names
 * and identifiers. Only normalize.c and norm_*.c include this header. */
#ifndef SW_NORM_INT_H
#define SW_NORM_INT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "normalize.h"
#include "util.h"

/* All memory of one normalization lives in an arena freed at the end: the
 * parser bails out with longjmp from any depth, and rewrites may share
 * subtrees (BETWEEN uses its operand twice), without ownership bookkeeping. */
struct arena {
	void	**ptr;
	size_t	  n, cap;
	struct parser	*p;	/* whose norm_fail() ends a tree too deep */
};

/* Limits that keep the worst case bounded whatever the text: every pass
 * (parse, rewrite, print) recurses at most this deep, and an expression
 * nested deeper is unparsable ("too deeply nested") rather than a stack
 * overflow. Real CHECK bodies and predicates nest a handful of levels.
 * The two are equal on purpose: the printer may add a level of parentheses
 * per level of the tree, and a canonical form must parse again (it is a
 * fixed point) — with a lower nesting limit "a LIKE b LIKE c ..." printed
 * with its parentheses would not. */
#define NORM_MAX_DEPTH		256	/* levels of the tree, e.g. a+a+a+... */
#define NORM_MAX_NESTING	NORM_MAX_DEPTH	/* parse_expr() levels */
/* Everything printed for one text (the result, and IN values printed to be
 * sorted) stays below this: canonical forms are about as long as their
 * text, and a text whose form would be far longer (shared subtrees printed
 * again and again) is unparsable ("too large") rather than a memory and
 * time sink. A constant, not a multiple of the text's length: normalizing a
 * canonical form prints exactly as much again, so it must fit the same
 * budget however much shorter than the original text it is. */
#define NORM_PRINT_BUDGET	((size_t)16 << 20)

/* Only unquoted identifiers are keywords. KW_VALUE are SQL value functions
 * without parentheses (CURRENT_TIMESTAMP); KW_RESERVED words end an
 * expression and can never be a column name here. */
enum kw {
	KW_NONE, KW_AND, KW_OR, KW_NOT, KW_IS, KW_NULL, KW_TRUE, KW_FALSE,
	KW_UNKNOWN, KW_IN, KW_LIKE, KW_BETWEEN, KW_DISTINCT, KW_FROM, KW_FOR,
	KW_CASE, KW_WHEN, KW_THEN, KW_ELSE, KW_END, KW_CAST, KW_AS, KW_COLLATE,
	KW_ARRAY, KW_ANY, KW_ALL, KW_ESCAPE, KW_ISNULL, KW_NOTNULL, KW_VALUE,
	KW_RESERVED,
};

enum tkind {
	T_EOF, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_OP,
	T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA, T_DOT,
};

struct tok {
	enum tkind	 kind;
	char		*text;	/* ident: folded; qident: unquoted; string: raw */
	enum kw		 kw;	/* for T_IDENT */
};

struct parser {
	struct arena		*ar;
	enum cat_dialect	 d;
	struct tok		*t;
	size_t			 n, cap, pos;
	int			 depth;		/* parser recursion, <= NORM_MAX_NESTING */
	const char		*why;		/* set by norm_fail: why it is unparsable */
	struct sbuf		 scratch;	/* parse_type's; freed by normalize() */
	jmp_buf			 fail;
};

enum nkind {
	N_STR,		/* text: the literal as written, quotes included */
	N_NUM,		/* text: as written, a leading "-" when negative */
	N_NULL, N_BOOL,	/* N_BOOL text: "TRUE" / "FALSE" */
	N_VALUE,	/* CURRENT_TIMESTAMP...; text upper-case */
	N_COL,		/* text: canonical (possibly dotted, quoted) name */
	N_FUNC,		/* text: name; v: args; distinct, star */
	N_NOT, N_NEG,	/* a */
	N_AND, N_OR,	/* v: operands, in order */
	N_BINOP,	/* text: operator; a, b */
	N_IS,		/* a IS [NOT] text (NULL, TRUE, FALSE, UNKNOWN) */
	N_DISTINCT,	/* a IS [NOT] DISTINCT FROM b; neg = NOT */
	N_IN,		/* a [NOT] IN (v) */
	N_LIKE,		/* a [NOT] text b [ESCAPE c] */
	N_BETWEEN,	/* a [NOT] BETWEEN b AND c; rewritten away */
	N_ANYALL,	/* a text ANY/ALL (b); neg = ALL */
	N_CAST,		/* CAST(a AS text), text a canonical type */
	N_COLLATE,	/* a COLLATE text */
	N_ARRAY,	/* ARRAY[v] */
	N_CASE,		/* CASE [a] WHEN v[0] THEN v[1]... [ELSE c] END */
	N_SUBSCRIPT,	/* a[b] (PostgreSQL) */
};

struct node {
	enum nkind	 kind;
	const char	*text;
	bool		 neg, distinct, star;
	struct node	*a, *b, *c;
	struct node	**v;
	size_t		 n, cap;
	int		 depth;		/* 1 for a leaf; <= NORM_MAX_DEPTH */
};

/* Loosest to tightest, as PostgreSQL's grammar binds them. The printer puts
 * parentheses around a child exactly when its level is below what its
 * position needs, so the printed text parses back into the same tree. */
enum prec {
	P_NONE, P_OR, P_AND, P_NOT, P_IS, P_CMP, P_PRED, P_OTHER, P_ADD, P_MUL,
	P_EXP, P_UNARY, P_POSTFIX, P_PRIMARY,
};

/* Context of the rewrites of one call. */
struct nctx {
	struct arena		*ar;
	enum cat_dialect	 d;
	bool			 dflt;	/* norm_default: fold the "now" family */
	size_t			 budget; /* bytes all printing may still write */
};

/* normalize.c: the arena, and the text of what cannot be parsed */
void		*norm_alloc(struct arena *, size_t);
char		*norm_strndup(struct arena *, const char *, size_t);
char		*norm_strdup(struct arena *, const char *);
char		*norm_adopt(struct arena *, char *);	/* frees its argument */
char		*norm_fallback(const char *);

/* norm_lex.c: character classes, keywords, the lexer */
bool		 norm_is_ident_start(unsigned char);
bool		 norm_is_ident_char(unsigned char);
bool		 norm_is_plain_ident(const char *);
void		 norm_add_quoted_ident(struct sbuf *, const char *);
void		 norm_lower(char *);
void		 norm_upper(char *);
bool		 norm_is_number(const char *);
enum kw		 norm_keyword(const char *);
void		 norm_fail(struct parser *, const char *why) __attribute__((noreturn));
void		 norm_lex(struct parser *, const char *);

/* norm_parse.c: tree nodes, precedence, the parser */
struct node	*norm_mk(struct arena *, enum nkind, const char *);
struct node	*norm_mk2(struct arena *, enum nkind, const char *, struct node *,
		    struct node *);
struct node	*norm_link(struct arena *, struct node *, struct node *);
struct node	*norm_clone(struct arena *, const struct node *);
void		 norm_push_arg(struct arena *, struct node *, struct node *);
enum prec	 norm_binop_prec(const char *);
enum prec	 norm_node_prec(const struct node *);
struct node	*norm_parse_expr(struct parser *);

/* norm_print.c: NULL when the text would be longer than *budget, which is
 * decreased by what was printed */
char		*norm_print_tree(const struct node *, size_t *budget);

/* norm_rewrite.c */
struct node	*norm_simplify(struct nctx *, struct node *);

#endif

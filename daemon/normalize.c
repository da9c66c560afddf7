/* normalize.c — dialect text to canonical form, so that spelling never counts.
 *
 * An expression goes through four steps:
 *   1. lex():       SQL tokens; unquoted identifiers folded to lower case;
 *   2. parse_*():   precedence climbing into a small AST (struct node);
 *   3. simplify():  rewrites that remove spelling — PostgreSQL's deparse casts,
 *                   "= ANY (ARRAY[..])", BETWEEN, "NOT (x IS NULL)", IN order;
 *   4. print_*():   one spelling, with only the parentheses precedence needs.
 * Whatever cannot be parsed falls back to a whitespace-collapsed, lower-cased
 * text (see fallback()), so an odd expression is still compared, only more
 * strictly.
 *
 * All memory of one call lives in an arena freed at the end: the parser bails
 * out with longjmp from any depth, and rewrites may share subtrees (BETWEEN
 * uses its operand twice), without any ownership bookkeeping.
 */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "normalize.h"
#include "util.h"

/* ---- arena ---------------------------------------------------------------- */

struct arena {
	void	**ptr;
	size_t	  n, cap;
};

static void *
amalloc(struct arena *ar, size_t size)
{
	if (ar->n == ar->cap) {
		ar->cap = ar->cap ? ar->cap * 2 : 64;
		ar->ptr = xreallocarray(ar->ptr, ar->cap, sizeof *ar->ptr);
	}
	return ar->ptr[ar->n++] = xcalloc(1, size);
}

static char *
astrndup(struct arena *ar, const char *s, size_t len)
{
	char *d = amalloc(ar, len + 1);

	memcpy(d, s, len);
	return d;
}

static char *
astrdup(struct arena *ar, const char *s)
{
	return astrndup(ar, s, strlen(s));
}

/* Moves a malloc'ed string into the arena. */
static char *
aadopt(struct arena *ar, char *s)
{
	char *d = astrdup(ar, s);

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

/* ---- small string helpers ------------------------------------------------- */

static bool
is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool
is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* A name that needs no quotes: what an unquoted identifier folds to. */
static bool
is_plain_ident(const char *s)
{
	if (!is_ident_start((unsigned char)*s) || isupper((unsigned char)*s))
		return false;
	for (s++; *s; s++)
		if (!is_ident_char((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

static void
sbuf_add_quoted_ident(struct sbuf *sb, const char *name)
{
	sbuf_addc(sb, '"');
	for (; *name; name++) {
		if (*name == '"')
			sbuf_addc(sb, '"');
		sbuf_addc(sb, *name);
	}
	sbuf_addc(sb, '"');
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void
upper_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* "-12", "1.5", "1e3", ".5": the text of a numeric literal, optionally signed. */
static bool
is_number_text(const char *s)
{
	bool digits = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits = true;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* ---- keywords ------------------------------------------------------------- */

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

static const struct {
	const char	*word;
	enum kw		 kw;
} keywords[] = {
	{ "and", KW_AND }, { "or", KW_OR }, { "not", KW_NOT }, { "is", KW_IS },
	{ "null", KW_NULL }, { "true", KW_TRUE }, { "false", KW_FALSE },
	{ "unknown", KW_UNKNOWN }, { "in", KW_IN },
	/* The LIKE family: the operator's name is the keyword's spelling. */
	{ "like", KW_LIKE }, { "ilike", KW_LIKE }, { "glob", KW_LIKE },
	{ "regexp", KW_LIKE }, { "match", KW_LIKE },
	{ "between", KW_BETWEEN }, { "distinct", KW_DISTINCT }, { "from", KW_FROM },
	{ "for", KW_FOR }, { "case", KW_CASE }, { "when", KW_WHEN },
	{ "then", KW_THEN }, { "else", KW_ELSE }, { "end", KW_END },
	{ "cast", KW_CAST }, { "as", KW_AS }, { "collate", KW_COLLATE },
	{ "array", KW_ARRAY }, { "any", KW_ANY }, { "some", KW_ANY },
	{ "all", KW_ALL }, { "escape", KW_ESCAPE }, { "isnull", KW_ISNULL },
	{ "notnull", KW_NOTNULL },
	{ "current_timestamp", KW_VALUE }, { "current_date", KW_VALUE },
	{ "current_time", KW_VALUE }, { "localtimestamp", KW_VALUE },
	{ "localtime", KW_VALUE }, { "current_user", KW_VALUE },
	{ "session_user", KW_VALUE }, { "current_role", KW_VALUE },
	{ "current_catalog", KW_VALUE }, { "user", KW_VALUE },
	{ "select", KW_RESERVED }, { "where", KW_RESERVED },
	{ "exists", KW_RESERVED }, { "symmetric", KW_RESERVED },
	{ "order", KW_RESERVED }, { "by", KW_RESERVED }, { "over", KW_RESERVED },
	{ "filter", KW_RESERVED }, { "within", KW_RESERVED },
};

static enum kw
keyword(const char *lower)
{
	size_t i;

	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(keywords[i].word, lower) == 0)
			return keywords[i].kw;
	return KW_NONE;
}

/* ---- tokens --------------------------------------------------------------- */

enum tkind {
	T_EOF, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_OP,
	T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA, T_DOT,
};

struct tok {
	enum tkind	 kind;
	char		*text;	/* ident: folded; qident: unquoted; string: raw */
	enum kw		 kw;	/* for T_IDENT */
};

/* Operators, matched longest first. PostgreSQL's deparser writes LIKE as
 * ~~ and friends; jsonb and regex operators are kept as "other" operators. */
static const char *const operators[] = {
	"!~~*", "!~~", "~~*", "->>", "#>>", "!~*", "::", "<>", "!=", ">=", "<=",
	"==", "||", "~~", "!~", "~*", "->", "#>", "@>", "<@", "?|", "?&", "<<",
	">>", "&&", "=", "<", ">", "+", "-", "*", "/", "%", "^", "~", "&", "|",
	"#", "@", "?",
};

struct parser {
	struct arena		*ar;
	enum cat_dialect	 d;
	struct tok		*t;
	size_t			 n, cap, pos;
	int			 depth;
	jmp_buf			 fail;
};

static void __attribute__((noreturn))
fail(struct parser *p)
{
	longjmp(p->fail, 1);
}

static void
push_tok(struct parser *p, enum tkind kind, char *text)
{
	struct tok *t;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->t = xreallocarray(p->t, p->cap, sizeof *p->t);
	}
	t = &p->t[p->n++];
	t->kind = kind;
	t->text = text;
	t->kw = KW_NONE;
	if (kind == T_IDENT)
		t->kw = keyword(text);
}

/* Skips whitespace and comments; returns the next significant character. */
static const char *
skip_space(struct parser *p, const char *s)
{
	for (;;) {
		if (isspace((unsigned char)*s))
			s++;
		else if (s[0] == '-' && s[1] == '-')
			s += strcspn(s, "\n");
		else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			if (e == NULL)
				fail(p);
			s = e + 2;
		} else
			return s;
	}
}

/* A 'string' (or E'string' with backslash escapes), kept byte-exact. */
static const char *
lex_string(struct parser *p, const char *s, bool backslash)
{
	const char *start = s;

	if (*s == 'E' || *s == 'e')
		s++;
	for (s++;; s++) {
		if (*s == '\0')
			fail(p);
		if (backslash && *s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '\'' && s[1] == '\'')
			s++;
		else if (*s == '\'')
			break;
	}
	s++;
	push_tok(p, T_STRING, astrndup(p->ar, start, (size_t)(s - start)));
	if (backslash)
		p->t[p->n - 1].text[0] = 'E';
	return s;
}

/* A quoted identifier: "x" (and in SQLite `x` and [x]). SQLite compares
 * even quoted names without regard to ASCII case, so there they fold too. */
static const char *
lex_qident(struct parser *p, const char *s)
{
	char close = *s == '[' ? ']' : *s;
	struct sbuf sb;
	char *text;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (s++;; s++) {
		if (*s == '\0') {
			sbuf_free(&sb);
			fail(p);
		}
		if (*s == close && close != ']' && s[1] == close)
			s++;
		else if (*s == close)
			break;
		sbuf_addc(&sb, *s);
	}
	text = aadopt(p->ar, sbuf_steal(&sb));
	if (p->d == CAT_SQLITE)
		lower_ascii(text);
	push_tok(p, T_QIDENT, text);
	return s + 1;
}

static const char *
lex_word(struct parser *p, const char *s)
{
	const char *start = s;
	char *text;

	while (is_ident_char((unsigned char)*s))
		s++;
	text = astrndup(p->ar, start, (size_t)(s - start));
	lower_ascii(text);
	push_tok(p, T_IDENT, text);
	return s;
}

static const char *
lex_number(struct parser *p, const char *s)
{
	const char *start = s;

	while (isdigit((unsigned char)*s) || *s == '.')
		s++;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	    ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2]))))
		s += 2;
	while (isalnum((unsigned char)*s) || *s == '_')	/* 0x1F, 1e10 */
		s++;
	push_tok(p, T_NUMBER, astrndup(p->ar, start, (size_t)(s - start)));
	return s;
}

static const char *
lex_operator(struct parser *p, const char *s)
{
	size_t i, len, best = 0;

	for (i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		len = strlen(operators[i]);
		if (len > best && strncmp(s, operators[i], len) == 0)
			best = len;
	}
	if (best == 0)
		fail(p);
	push_tok(p, T_OP, astrndup(p->ar, s, best));
	return s + best;
}

static const char *
lex_one(struct parser *p, const char *s)
{
	static const char punct[] = "(),.[]";
	static const enum tkind pkind[] = {
		T_LPAREN, T_RPAREN, T_COMMA, T_DOT, T_LBRACK, T_RBRACK,
	};
	const char *c;

	if ((*s == 'E' || *s == 'e') && s[1] == '\'' && p->d == CAT_PG)
		return lex_string(p, s, true);
	if (is_ident_start((unsigned char)*s))
		return lex_word(p, s);
	if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1])))
		return lex_number(p, s);
	if (*s == '\'')
		return lex_string(p, s, false);
	if (*s == '"' || (p->d == CAT_SQLITE && (*s == '`' || *s == '[')))
		return lex_qident(p, s);
	if ((c = strchr(punct, *s)) != NULL) {
		push_tok(p, pkind[c - punct], NULL);
		return s + 1;
	}
	return lex_operator(p, s);
}

static void
lex(struct parser *p, const char *s)
{
	for (s = skip_space(p, s); *s; s = skip_space(p, s))
		s = lex_one(p, s);
	push_tok(p, T_EOF, NULL);
}

/* ---- the tree ------------------------------------------------------------- */

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
};

struct node {
	enum nkind	 kind;
	const char	*text;
	bool		 neg, distinct, star;
	struct node	*a, *b, *c;
	struct node	**v;
	size_t		 n, cap;
};

static struct node *
mk(struct arena *ar, enum nkind kind, const char *text)
{
	struct node *n = amalloc(ar, sizeof *n);

	n->kind = kind;
	n->text = text;
	return n;
}

static struct node *
mk2(struct arena *ar, enum nkind kind, const char *text, struct node *a,
    struct node *b)
{
	struct node *n = mk(ar, kind, text);

	n->a = a;
	n->b = b;
	return n;
}

static struct node *
clone(struct arena *ar, const struct node *n)
{
	struct node *c = amalloc(ar, sizeof *c);

	*c = *n;
	return c;
}

/* The list lives in the arena too: grown by copying, old arrays stay there. */
static void
push_arg(struct arena *ar, struct node *n, struct node *arg)
{
	struct node **v;

	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 4;
		v = amalloc(ar, n->cap * sizeof *v);
		if (n->n > 0)
			memcpy(v, n->v, n->n * sizeof *v);
		n->v = v;
	}
	n->v[n->n++] = arg;
}

/* ---- precedence ----------------------------------------------------------- */

/* Loosest to tightest, as PostgreSQL's grammar binds them. The printer puts
 * parentheses around a child exactly when its level is below what its
 * position needs, so the printed text parses back into the same tree. */
enum prec {
	P_NONE, P_OR, P_AND, P_NOT, P_IS, P_CMP, P_PRED, P_OTHER, P_ADD, P_MUL,
	P_EXP, P_UNARY, P_POSTFIX, P_PRIMARY,
};

static const struct {
	const char	*op;
	enum prec	 prec;
} binops[] = {
	{ "=", P_CMP }, { "<>", P_CMP }, { "<", P_CMP }, { ">", P_CMP },
	{ "<=", P_CMP }, { ">=", P_CMP }, { "==", P_CMP }, { "!=", P_CMP },
	{ "+", P_ADD }, { "-", P_ADD }, { "*", P_MUL }, { "/", P_MUL },
	{ "%", P_MUL }, { "^", P_EXP }, { "::", P_POSTFIX },
};

static enum prec
binop_prec(const char *op)
{
	size_t i;

	for (i = 0; i < sizeof binops / sizeof binops[0]; i++)
		if (strcmp(binops[i].op, op) == 0)
			return binops[i].prec;
	return P_OTHER;
}

static enum prec
node_prec(const struct node *n)
{
	switch (n->kind) {
	case N_OR:	return P_OR;
	case N_AND:	return P_AND;
	case N_NOT:	return P_NOT;
	case N_IS:
	case N_DISTINCT: return P_IS;
	case N_ANYALL:	return P_CMP;
	case N_BINOP:	return binop_prec(n->text);
	case N_IN:
	case N_LIKE:
	case N_BETWEEN:	return P_PRED;
	case N_NEG:	return P_UNARY;
	case N_COLLATE:	return P_POSTFIX;
	default:	return P_PRIMARY;
	}
}

/* ---- parser --------------------------------------------------------------- */

static struct node *parse_expr(struct parser *);
static struct node *parse_other(struct parser *);
static struct node *parse_unary(struct parser *);

static struct tok *
cur(struct parser *p)
{
	return &p->t[p->pos];
}

static struct tok *
peek(struct parser *p, size_t off)
{
	return p->pos + off < p->n ? &p->t[p->pos + off] : &p->t[p->n - 1];
}

static bool
is_kw_at(struct parser *p, size_t off, enum kw kw)
{
	return peek(p, off)->kind == T_IDENT && peek(p, off)->kw == kw;
}

static bool
accept_kw(struct parser *p, enum kw kw)
{
	if (!is_kw_at(p, 0, kw))
		return false;
	p->pos++;
	return true;
}

static bool
accept(struct parser *p, enum tkind kind)
{
	if (cur(p)->kind != kind)
		return false;
	p->pos++;
	return true;
}

static void
expect(struct parser *p, enum tkind kind)
{
	if (!accept(p, kind))
		fail(p);
}

static void
expect_kw(struct parser *p, enum kw kw)
{
	if (!accept_kw(p, kw))
		fail(p);
}

static bool
is_op(struct parser *p, const char *op)
{
	return cur(p)->kind == T_OP && strcmp(cur(p)->text, op) == 0;
}

/* An identifier as printed: quotes only where an unquoted spelling would
 * read differently (upper case, odd characters, a keyword). */
static const char *
fmt_ident(struct parser *p, const struct tok *t)
{
	struct sbuf sb;

	if (t->kind == T_IDENT ||
	    (is_plain_ident(t->text) && keyword(t->text) == KW_NONE))
		return t->text;
	sbuf_init(&sb);
	sbuf_add_quoted_ident(&sb, t->text);
	return aadopt(p->ar, sbuf_steal(&sb));
}

/* name[.name...]; the pg_catalog schema is implied, so it is dropped. */
static const char *
parse_dotted(struct parser *p)
{
	const char *name = fmt_ident(p, cur(p));

	p->pos++;
	while (cur(p)->kind == T_DOT &&
	    (peek(p, 1)->kind == T_IDENT || peek(p, 1)->kind == T_QIDENT)) {
		if (strcmp(name, "pg_catalog") == 0)
			name = fmt_ident(p, peek(p, 1));
		else
			name = aadopt(p->ar, xasprintf("%s.%s", name,
			    fmt_ident(p, peek(p, 1))));
		p->pos += 2;
	}
	return name;
}

/* Words that continue a multi-word type name after "::" in PostgreSQL. */
static bool
type_word(struct parser *p, const struct tok *t)
{
	static const char *const words[] = {
		"varying", "precision", "with", "without", "time", "zone",
	};
	size_t i;

	if (t->kind != T_IDENT)
		return false;
	if (p->d == CAT_SQLITE)		/* "UNSIGNED BIG INT" */
		return t->kw == KW_NONE;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(t->text, words[i]) == 0)
			return true;
	return false;
}

/* "(10,2)": a type modifier of numbers or words. */
static void
parse_typmod(struct parser *p, struct sbuf *sb)
{
	expect(p, T_LPAREN);
	sbuf_addc(sb, '(');
	do {
		if (cur(p)->kind != T_NUMBER && cur(p)->kind != T_IDENT)
			fail(p);
		sbuf_add(sb, cur(p)->text);
		p->pos++;
		if (cur(p)->kind == T_COMMA)
			sbuf_addc(sb, ',');
	} while (accept(p, T_COMMA));
	sbuf_addc(sb, ')');
	expect(p, T_RPAREN);
}

/* A type name after "::" or CAST(.. AS), returned in norm_type's spelling. */
static const char *
parse_type(struct parser *p)
{
	struct sbuf sb;
	char *raw;
	bool mod = false;

	if (cur(p)->kind != T_IDENT && cur(p)->kind != T_QIDENT)
		fail(p);
	sbuf_init(&sb);
	sbuf_add(&sb, parse_dotted(p));
	for (;;) {
		if (type_word(p, cur(p))) {
			sbuf_printf(&sb, " %s", cur(p)->text);
			p->pos++;
		} else if (cur(p)->kind == T_LPAREN && !mod) {
			mod = true;
			raw = aadopt(p->ar, sbuf_steal(&sb));	/* fail() may not leak */
			sbuf_add(&sb, raw);
			parse_typmod(p, &sb);
		} else
			break;
	}
	while (p->d == CAT_PG && cur(p)->kind == T_LBRACK) {
		p->pos++;
		accept(p, T_NUMBER);
		if (cur(p)->kind != T_RBRACK) {
			sbuf_free(&sb);
			fail(p);
		}
		p->pos++;
		sbuf_add(&sb, "[]");
	}
	raw = aadopt(p->ar, sbuf_steal(&sb));
	return aadopt(p->ar, norm_type(p->d, raw));
}

/* Comma-separated expressions up to the closing token. */
static void
parse_list(struct parser *p, struct node *n, enum tkind close)
{
	if (accept(p, close))
		return;
	do
		push_arg(p->ar, n, parse_expr(p));
	while (accept(p, T_COMMA));
	expect(p, close);
}

/* SUBSTRING(x FROM a [FOR b]) and SUBSTRING(x FOR b), as PostgreSQL 15
 * deparses substring(): the same as substring(x, a, b). */
static void
parse_substring_tail(struct parser *p, struct node *f)
{
	if (accept_kw(p, KW_FROM)) {
		push_arg(p->ar, f, parse_expr(p));
		if (accept_kw(p, KW_FOR))
			push_arg(p->ar, f, parse_expr(p));
	} else if (accept_kw(p, KW_FOR)) {
		push_arg(p->ar, f, mk(p->ar, N_NUM, "1"));
		push_arg(p->ar, f, parse_expr(p));
	}
}

static struct node *
parse_call(struct parser *p, const char *name)
{
	struct node *f = mk(p->ar, N_FUNC, name);

	expect(p, T_LPAREN);
	if (is_op(p, "*") && peek(p, 1)->kind == T_RPAREN) {
		p->pos += 2;
		f->star = true;
		return f;
	}
	f->distinct = accept_kw(p, KW_DISTINCT);
	if (strcmp(name, "substring") == 0 && cur(p)->kind != T_RPAREN) {
		push_arg(p->ar, f, parse_expr(p));
		if (is_kw_at(p, 0, KW_FROM) || is_kw_at(p, 0, KW_FOR)) {
			parse_substring_tail(p, f);
			expect(p, T_RPAREN);
			return f;
		}
		if (!accept(p, T_COMMA)) {
			expect(p, T_RPAREN);
			return f;
		}
	}
	parse_list(p, f, T_RPAREN);
	if (f->distinct && f->n == 0)
		fail(p);
	return f;
}

/* A column, a function call, or a typed literal such as interval '1 day'. */
static struct node *
parse_name(struct parser *p)
{
	bool bare = cur(p)->kind == T_IDENT;
	const char *name = parse_dotted(p);

	if (cur(p)->kind == T_LPAREN)
		return parse_call(p, name);
	if (bare && cur(p)->kind == T_STRING && strchr(name, '.') == NULL) {
		struct node *lit = mk(p->ar, N_STR, cur(p)->text);

		p->pos++;
		return mk2(p->ar, N_CAST, aadopt(p->ar, norm_type(p->d, name)),
		    lit, NULL);
	}
	return mk(p->ar, N_COL, name);
}

static struct node *
parse_case(struct parser *p)
{
	struct node *n = mk(p->ar, N_CASE, NULL);

	if (!is_kw_at(p, 0, KW_WHEN))
		n->a = parse_expr(p);
	while (accept_kw(p, KW_WHEN)) {
		push_arg(p->ar, n, parse_expr(p));
		expect_kw(p, KW_THEN);
		push_arg(p->ar, n, parse_expr(p));
	}
	if (n->n == 0)
		fail(p);
	if (accept_kw(p, KW_ELSE))
		n->c = parse_expr(p);
	expect_kw(p, KW_END);
	return n;
}

static struct node *
parse_cast(struct parser *p)
{
	struct node *x;

	expect(p, T_LPAREN);
	x = parse_expr(p);
	expect_kw(p, KW_AS);
	x = mk2(p->ar, N_CAST, parse_type(p), x, NULL);
	expect(p, T_RPAREN);
	return x;
}

static struct node *
parse_keyword_primary(struct parser *p)
{
	struct tok *t = cur(p);
	struct node *n;

	p->pos++;
	switch (t->kw) {
	case KW_NULL:	return mk(p->ar, N_NULL, "NULL");
	case KW_TRUE:	return mk(p->ar, N_BOOL, "TRUE");
	case KW_FALSE:	return mk(p->ar, N_BOOL, "FALSE");
	case KW_CASE:	return parse_case(p);
	case KW_CAST:	return parse_cast(p);
	case KW_ARRAY:
		n = mk(p->ar, N_ARRAY, NULL);
		expect(p, T_LBRACK);
		parse_list(p, n, T_RBRACK);
		return n;
	case KW_VALUE:
		n = mk(p->ar, N_VALUE, astrdup(p->ar, t->text));
		upper_ascii((char *)n->text);
		return n;
	default:
		fail(p);
	}
}

static struct node *
parse_primary(struct parser *p)
{
	struct tok *t = cur(p);
	struct node *n;

	switch (t->kind) {
	case T_NUMBER:
		p->pos++;
		return mk(p->ar, N_NUM, t->text);
	case T_STRING:
		p->pos++;
		return mk(p->ar, N_STR, t->text);
	case T_LPAREN:
		p->pos++;
		n = parse_expr(p);
		expect(p, T_RPAREN);
		return n;
	case T_IDENT:
		if (t->kw != KW_NONE)
			return parse_keyword_primary(p);
		return parse_name(p);
	case T_QIDENT:
		return parse_name(p);
	default:
		fail(p);
	}
}

/* Postfix: x::type, x COLLATE name. */
static struct node *
parse_postfix(struct parser *p)
{
	struct node *n = parse_primary(p);

	for (;;) {
		if (is_op(p, "::")) {
			p->pos++;
			n = mk2(p->ar, N_CAST, parse_type(p), n, NULL);
		} else if (accept_kw(p, KW_COLLATE)) {
			if (cur(p)->kind != T_IDENT && cur(p)->kind != T_QIDENT)
				fail(p);
			n = mk2(p->ar, N_COLLATE, parse_dotted(p), n, NULL);
		} else
			return n;
	}
}

/* Unary plus is dropped ("+5" is "5"); unary minus stays a node and is
 * folded into number literals by simplify(). */
static struct node *
parse_unary(struct parser *p)
{
	if (is_op(p, "-")) {
		p->pos++;
		return mk2(p->ar, N_NEG, NULL, parse_unary(p), NULL);
	}
	if (is_op(p, "+")) {
		p->pos++;
		return parse_unary(p);
	}
	return parse_postfix(p);
}

/* One left-associative level of binary operators of precedence `prec`. */
static struct node *
parse_binary(struct parser *p, enum prec prec, struct node *(*next)(struct parser *))
{
	struct node *n = next(p);
	const char *op;

	while (cur(p)->kind == T_OP && binop_prec(cur(p)->text) == prec) {
		op = cur(p)->text;
		p->pos++;
		n = mk2(p->ar, N_BINOP, op, n, next(p));
	}
	return n;
}

static struct node *
parse_exp(struct parser *p)
{
	return parse_binary(p, P_EXP, parse_unary);
}

static struct node *
parse_mul(struct parser *p)
{
	return parse_binary(p, P_MUL, parse_exp);
}

static struct node *
parse_add(struct parser *p)
{
	return parse_binary(p, P_ADD, parse_mul);
}

/* PostgreSQL's deparsed LIKE operators, as LIKE nodes. */
static const struct {
	const char	*op, *like;
	bool		 neg;
} like_ops[] = {
	{ "~~", "LIKE", false }, { "!~~", "LIKE", true },
	{ "~~*", "ILIKE", false }, { "!~~*", "ILIKE", true },
};

static struct node *
mk_other_op(struct parser *p, const char *op, struct node *a, struct node *b)
{
	struct node *n;
	size_t i;

	for (i = 0; i < sizeof like_ops / sizeof like_ops[0]; i++)
		if (strcmp(like_ops[i].op, op) == 0) {
			n = mk2(p->ar, N_LIKE, like_ops[i].like, a, b);
			n->neg = like_ops[i].neg;
			return n;
		}
	return mk2(p->ar, N_BINOP, op, a, b);
}

/* Every other operator: ||, ->>, ~, @>, ~~... */
static struct node *
parse_other(struct parser *p)
{
	struct node *n = parse_add(p);
	const char *op;

	while (cur(p)->kind == T_OP && binop_prec(cur(p)->text) == P_OTHER) {
		op = cur(p)->text;
		p->pos++;
		n = mk_other_op(p, op, n, parse_add(p));
	}
	return n;
}

static bool
is_pred_kw(struct parser *p, size_t off)
{
	return is_kw_at(p, off, KW_IN) || is_kw_at(p, off, KW_LIKE) ||
	    is_kw_at(p, off, KW_BETWEEN);
}

static struct node *
parse_pred_tail(struct parser *p, struct node *lhs, bool neg)
{
	struct node *n;
	char *op;

	if (accept_kw(p, KW_IN)) {
		n = mk2(p->ar, N_IN, NULL, lhs, NULL);
		expect(p, T_LPAREN);
		parse_list(p, n, T_RPAREN);
		if (n->n == 0)
			fail(p);
	} else if (accept_kw(p, KW_BETWEEN)) {
		n = mk2(p->ar, N_BETWEEN, NULL, lhs, parse_other(p));
		expect_kw(p, KW_AND);
		n->c = parse_other(p);
	} else {
		op = astrdup(p->ar, cur(p)->text);
		upper_ascii(op);
		p->pos++;
		n = mk2(p->ar, N_LIKE, op, lhs, parse_other(p));
		if (accept_kw(p, KW_ESCAPE))
			n->c = parse_other(p);
	}
	n->neg = neg;
	return n;
}

/* x [NOT] IN (..), x [NOT] LIKE y, x [NOT] BETWEEN a AND b */
static struct node *
parse_pred(struct parser *p)
{
	struct node *n = parse_other(p);
	bool neg;

	for (;;) {
		neg = is_kw_at(p, 0, KW_NOT) && is_pred_kw(p, 1);
		if (neg)
			p->pos++;
		if (!is_pred_kw(p, 0))
			return n;
		n = parse_pred_tail(p, n, neg);
	}
}

/* Comparisons, including x op ANY/ALL (array). */
static struct node *
parse_cmp(struct parser *p)
{
	struct node *n = parse_pred(p);
	const char *op;
	bool all;

	while (cur(p)->kind == T_OP && binop_prec(cur(p)->text) == P_CMP) {
		op = cur(p)->text;
		if (strcmp(op, "==") == 0)
			op = "=";
		else if (strcmp(op, "!=") == 0)
			op = "<>";
		p->pos++;
		if (is_kw_at(p, 0, KW_ANY) || is_kw_at(p, 0, KW_ALL)) {
			all = accept_kw(p, KW_ALL);
			accept_kw(p, KW_ANY);
			expect(p, T_LPAREN);
			n = mk2(p->ar, N_ANYALL, op, n, parse_expr(p));
			n->neg = all;
			expect(p, T_RPAREN);
		} else
			n = mk2(p->ar, N_BINOP, op, n, parse_pred(p));
	}
	return n;
}

static struct node *
mk_is(struct parser *p, struct node *a, const char *what, bool neg)
{
	struct node *n = mk2(p->ar, N_IS, what, a, NULL);

	n->neg = neg;
	return n;
}

/* After IS [NOT]: NULL, TRUE, FALSE, UNKNOWN, DISTINCT FROM y, or (SQLite)
 * any y, where "x IS y" means IS NOT DISTINCT FROM. */
static struct node *
parse_is_tail(struct parser *p, struct node *lhs)
{
	static const struct { enum kw kw; const char *what; } tests[] = {
		{ KW_NULL, "NULL" }, { KW_TRUE, "TRUE" }, { KW_FALSE, "FALSE" },
		{ KW_UNKNOWN, "UNKNOWN" },
	};
	bool neg = accept_kw(p, KW_NOT);
	struct node *n;
	size_t i;

	for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (accept_kw(p, tests[i].kw))
			return mk_is(p, lhs, tests[i].what, neg);
	if (accept_kw(p, KW_DISTINCT)) {
		expect_kw(p, KW_FROM);
		n = mk2(p->ar, N_DISTINCT, NULL, lhs, parse_cmp(p));
		n->neg = neg;
		return n;
	}
	if (p->d != CAT_SQLITE)
		fail(p);
	n = mk2(p->ar, N_DISTINCT, NULL, lhs, parse_cmp(p));
	n->neg = !neg;
	return n;
}

/* x IS [NOT] ..., and SQLite's x ISNULL / x NOTNULL / x NOT NULL. */
static struct node *
parse_is(struct parser *p)
{
	struct node *n = parse_cmp(p);

	for (;;) {
		if (accept_kw(p, KW_IS))
			n = parse_is_tail(p, n);
		else if (accept_kw(p, KW_ISNULL))
			n = mk_is(p, n, "NULL", false);
		else if (accept_kw(p, KW_NOTNULL))
			n = mk_is(p, n, "NULL", true);
		else if (is_kw_at(p, 0, KW_NOT) && is_kw_at(p, 1, KW_NULL)) {
			p->pos += 2;
			n = mk_is(p, n, "NULL", true);
		} else
			return n;
	}
}

static struct node *
parse_not(struct parser *p)
{
	if (accept_kw(p, KW_NOT))
		return mk2(p->ar, N_NOT, NULL, parse_not(p), NULL);
	return parse_is(p);
}

/* AND and OR nodes collect operands; simplify() flattens nested ones. */
static struct node *
parse_andor(struct parser *p, enum kw kw, enum nkind kind,
    struct node *(*next)(struct parser *))
{
	struct node *n = next(p), *list;

	if (!is_kw_at(p, 0, kw))
		return n;
	list = mk(p->ar, kind, NULL);
	push_arg(p->ar, list, n);
	while (accept_kw(p, kw))
		push_arg(p->ar, list, next(p));
	return list;
}

static struct node *
parse_and(struct parser *p)
{
	return parse_andor(p, KW_AND, N_AND, parse_not);
}

static struct node *
parse_expr(struct parser *p)
{
	struct node *n;

	if (++p->depth > 200)		/* keep the C stack bounded */
		fail(p);
	n = parse_andor(p, KW_OR, N_OR, parse_and);
	p->depth--;
	return n;
}

/* ---- printer -------------------------------------------------------------- */

static void print_node(struct sbuf *, const struct node *, enum prec);

static void
print_list(struct sbuf *sb, struct node *const *v, size_t n, const char *sep,
    enum prec prec)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_add(sb, sep);
		print_node(sb, v[i], prec);
	}
}

static void
print_func(struct sbuf *sb, const struct node *n)
{
	sbuf_printf(sb, "%s(", n->text);
	if (n->star)
		sbuf_addc(sb, '*');
	if (n->distinct)
		sbuf_add(sb, "DISTINCT ");
	print_list(sb, n->v, n->n, ", ", P_NONE);
	sbuf_addc(sb, ')');
}

static void
print_case(struct sbuf *sb, const struct node *n)
{
	size_t i;

	sbuf_add(sb, "CASE");
	if (n->a) {
		sbuf_addc(sb, ' ');
		print_node(sb, n->a, P_NONE);
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		sbuf_add(sb, " WHEN ");
		print_node(sb, n->v[i], P_NONE);
		sbuf_add(sb, " THEN ");
		print_node(sb, n->v[i + 1], P_NONE);
	}
	if (n->c) {
		sbuf_add(sb, " ELSE ");
		print_node(sb, n->c, P_NONE);
	}
	sbuf_add(sb, " END");
}

static void
print_binop(struct sbuf *sb, const struct node *n)
{
	enum prec prec = binop_prec(n->text);

	print_node(sb, n->a, prec);
	sbuf_printf(sb, " %s ", n->text);
	print_node(sb, n->b, prec + 1);
}

static void
print_like(struct sbuf *sb, const struct node *n)
{
	print_node(sb, n->a, P_PRED + 1);
	sbuf_printf(sb, " %s%s ", n->neg ? "NOT " : "", n->text);
	print_node(sb, n->b, P_OTHER);
	if (n->c) {
		sbuf_add(sb, " ESCAPE ");
		print_node(sb, n->c, P_OTHER);
	}
}

static void
print_bare(struct sbuf *sb, const struct node *n)
{
	switch (n->kind) {
	case N_STR: case N_NUM: case N_NULL: case N_BOOL: case N_VALUE:
	case N_COL:
		sbuf_add(sb, n->text);
		break;
	case N_FUNC:	print_func(sb, n); break;
	case N_CASE:	print_case(sb, n); break;
	case N_BINOP:	print_binop(sb, n); break;
	case N_LIKE:	print_like(sb, n); break;
	case N_NOT:
		sbuf_add(sb, "NOT ");
		print_node(sb, n->a, P_NOT);
		break;
	case N_NEG:
		sbuf_addc(sb, '-');
		print_node(sb, n->a, P_UNARY + 1);
		break;
	case N_AND:	print_list(sb, n->v, n->n, " AND ", P_AND + 1); break;
	case N_OR:	print_list(sb, n->v, n->n, " OR ", P_OR + 1); break;
	case N_IS:
		print_node(sb, n->a, P_IS);
		sbuf_printf(sb, " IS %s%s", n->neg ? "NOT " : "", n->text);
		break;
	case N_DISTINCT:
		print_node(sb, n->a, P_IS);
		sbuf_printf(sb, " IS %sDISTINCT FROM ", n->neg ? "NOT " : "");
		print_node(sb, n->b, P_IS + 1);
		break;
	case N_IN:
		print_node(sb, n->a, P_PRED + 1);
		sbuf_add(sb, n->neg ? " NOT IN (" : " IN (");
		print_list(sb, n->v, n->n, ", ", P_NONE);
		sbuf_addc(sb, ')');
		break;
	case N_BETWEEN:	/* rewritten by simplify(); printed only for safety */
		print_node(sb, n->a, P_PRED + 1);
		sbuf_add(sb, n->neg ? " NOT BETWEEN " : " BETWEEN ");
		print_node(sb, n->b, P_OTHER);
		sbuf_add(sb, " AND ");
		print_node(sb, n->c, P_OTHER);
		break;
	case N_ANYALL:
		print_node(sb, n->a, P_CMP);
		sbuf_printf(sb, " %s %s (", n->text, n->neg ? "ALL" : "ANY");
		print_node(sb, n->b, P_NONE);
		sbuf_addc(sb, ')');
		break;
	case N_CAST:
		sbuf_add(sb, "CAST(");
		print_node(sb, n->a, P_NONE);
		sbuf_printf(sb, " AS %s)", n->text);
		break;
	case N_COLLATE:
		print_node(sb, n->a, P_POSTFIX);
		sbuf_printf(sb, " COLLATE %s", n->text);
		break;
	case N_ARRAY:
		sbuf_add(sb, "ARRAY[");
		print_list(sb, n->v, n->n, ", ", P_NONE);
		sbuf_addc(sb, ']');
		break;
	}
}

static void
print_node(struct sbuf *sb, const struct node *n, enum prec min)
{
	bool paren = node_prec(n) < min;

	if (paren)
		sbuf_addc(sb, '(');
	print_bare(sb, n);
	if (paren)
		sbuf_addc(sb, ')');
}

static char *
print_tree(const struct node *n)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	print_node(&sb, n, P_NONE);
	return sbuf_steal(&sb);
}

/* ---- rewrites ------------------------------------------------------------- */

struct nctx {
	struct arena		*ar;
	enum cat_dialect	 d;
	bool			 dflt;	/* norm_default: fold the "now" family */
};

static struct node *simplify(struct nctx *, struct node *);

static bool
is_numeric_type(const char *type)
{
	static const char *const types[] = {
		"integer", "bigint", "smallint", "real", "double precision",
		"numeric",
	};
	size_t i, len;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		len = strlen(types[i]);
		if (strncmp(type, types[i], len) == 0 &&
		    (type[len] == '\0' || type[len] == '('))
			return true;
	}
	return false;
}

/* The content of a plain 'string' literal, '' unescaped; NULL for E''. */
static char *
string_content(struct arena *ar, const char *raw)
{
	size_t len = strlen(raw), i, j = 0;
	char *s;

	if (raw[0] != '\'')
		return NULL;
	s = amalloc(ar, len);
	for (i = 1; i + 1 < len; i++) {
		s[j++] = raw[i];
		if (raw[i] == '\'')
			i++;
	}
	return s;
}

static struct node *
mk_string(struct arena *ar, const char *content)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_addc(&sb, '\'');
	for (; *content; content++) {
		if (*content == '\'')
			sbuf_addc(&sb, '\'');
		sbuf_addc(&sb, *content);
	}
	sbuf_addc(&sb, '\'');
	return mk(ar, N_STR, aadopt(ar, sbuf_steal(&sb)));
}

/* A literal of a cast-away type: '5'::integer is the number 5. */
static struct node *
typed_literal(struct arena *ar, const char *content, const char *type)
{
	if (content == NULL)
		return NULL;
	if (is_numeric_type(type) && is_number_text(content))
		return mk(ar, N_NUM, astrdup(ar, content + (content[0] == '+')));
	return mk_string(ar, content);
}

/* PostgreSQL deparses constants with their type ('x'::text, '{}'::jsonb,
 * '-5'::integer, (0)::numeric) and varchar columns with ::text: casts that
 * only restate a type are dropped. SQLite's CAST is always written on
 * purpose, so it stays. */
static struct node *
simplify_cast(struct nctx *c, struct node *n)
{
	struct node *x = n->a, *lit;

	if (c->d != CAT_PG)
		return n;
	switch (x->kind) {
	case N_STR:
		lit = typed_literal(c->ar, string_content(c->ar, x->text), n->text);
		return lit ? lit : x;
	case N_NUM: case N_NULL: case N_BOOL: case N_ARRAY:
		return x;
	case N_COL:
		if (strcmp(n->text, "text") == 0 ||
		    strncmp(n->text, "character varying", 17) == 0)
			return x;
		return n;
	default:
		return n;
	}
}

/* One element of a PostgreSQL array literal; s points after '{' or ','.
 * Returns the position after the element, NULL when malformed. */
static const char *
array_elem(struct nctx *c, const char *s, const char *type, struct node *list)
{
	struct sbuf sb;
	bool quoted;
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	if ((quoted = *s == '"'))
		s++;
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (; *s && (quoted ? *s != '"' : (*s != ',' && *s != '}')); s++) {
		if (*s == '{' || (*s == '\\' && s[1] == '\0'))
			break;
		if (*s == '\\')
			s++;
		sbuf_addc(&sb, *s);
	}
	e = aadopt(c->ar, sbuf_steal(&sb));
	if (quoted ? *s != '"' : (*s != ',' && *s != '}'))
		return NULL;
	if (quoted)
		s++;
	else
		while (*e && isspace((unsigned char)e[strlen(e) - 1]))
			e[strlen(e) - 1] = '\0';
	if (!quoted && strcasecmp(e, "null") == 0)
		push_arg(c->ar, list, mk(c->ar, N_NULL, "NULL"));
	else
		push_arg(c->ar, list, typed_literal(c->ar, e, type));
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* '{a,b}'::text[] as a list of literals of the element type. */
static bool
array_literal(struct nctx *c, const char *raw, const char *type,
    struct node *list)
{
	const char *s = string_content(c->ar, raw);
	char *elem = astrdup(c->ar, type);

	if (s == NULL || strlen(elem) < 2 || strcmp(elem + strlen(elem) - 2, "[]"))
		return false;
	elem[strlen(elem) - 2] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s++ != '{')
		return false;
	do {
		if ((s = array_elem(c, s, elem, list)) == NULL)
			return false;
	} while (*s++ == ',');
	if (s[-1] != '}')
		return false;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0' && list->n > 0;
}

/* The values of ARRAY[...] or '{...}'::type[], whatever casts wrap them. */
static bool
array_values(struct nctx *c, struct node *n, struct node *list)
{
	const char *type = NULL;
	size_t i;

	for (; n->kind == N_CAST; n = n->a)
		type = n->text;
	if (n->kind == N_STR && type != NULL)
		return array_literal(c, n->text, type, list);
	if (n->kind != N_ARRAY || n->n == 0)
		return false;
	for (i = 0; i < n->n; i++)
		push_arg(c->ar, list, simplify(c, n->v[i]));
	return true;
}

static int
cmp_keyed(const void *a, const void *b)
{
	char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

/* IN lists are sets: sorted by their printed form. One value is "=". */
static struct node *
simplify_in(struct nctx *c, struct node *n)
{
	char **keyed;
	size_t i;

	if (n->n == 1)
		return mk2(c->ar, N_BINOP, n->neg ? "<>" : "=", n->a, n->v[0]);
	/* pairs of (printed form, node), sorted on the first */
	keyed = xreallocarray(NULL, n->n * 2, sizeof *keyed);
	for (i = 0; i < n->n; i++) {
		keyed[2 * i] = print_tree(n->v[i]);
		keyed[2 * i + 1] = (char *)n->v[i];
	}
	qsort(keyed, n->n, 2 * sizeof *keyed, cmp_keyed);
	for (i = 0; i < n->n; i++) {
		n->v[i] = (struct node *)keyed[2 * i + 1];
		free(keyed[2 * i]);
	}
	free(keyed);
	return n;
}

/* x = ANY (ARRAY[..]) is x IN (..); x <> ALL (ARRAY[..]) is x NOT IN (..). */
static struct node *
simplify_anyall(struct nctx *c, struct node *n)
{
	struct node *in = mk2(c->ar, N_IN, NULL, simplify(c, n->a), NULL);
	bool any_eq = !n->neg && strcmp(n->text, "=") == 0;
	bool all_ne = n->neg && strcmp(n->text, "<>") == 0;

	if ((any_eq || all_ne) && array_values(c, n->b, in)) {
		in->neg = all_ne;
		return simplify_in(c, in);
	}
	n->a = in->a;
	n->b = simplify(c, n->b);
	return n;
}

/* NOT (x IS NULL) is x IS NOT NULL, and so on for every test that has a
 * negated spelling; NOT NOT x is x. */
static struct node *
simplify_not(struct nctx *c, struct node *n)
{
	struct node *x = n->a;

	switch (x->kind) {
	case N_NOT:
		return x->a;
	case N_IS: case N_IN: case N_LIKE: case N_DISTINCT:
		x = clone(c->ar, x);
		x->neg = !x->neg;
		return x;
	case N_BINOP:
		if (strcmp(x->text, "=") != 0 && strcmp(x->text, "<>") != 0)
			return n;
		x = clone(c->ar, x);
		x->text = strcmp(x->text, "=") == 0 ? "<>" : "=";
		return x;
	default:
		return n;
	}
}

/* -5 is a number; - -x is x. */
static struct node *
simplify_neg(struct nctx *c, struct node *n)
{
	struct node *x = n->a;

	if (x->kind == N_NEG)
		return x->a;
	if (x->kind != N_NUM)
		return n;
	if (x->text[0] == '-')
		return mk(c->ar, N_NUM, x->text + 1);
	return mk(c->ar, N_NUM, aadopt(c->ar, xasprintf("-%s", x->text)));
}

/* a AND (b AND c) is a AND b AND c; order is kept. */
static struct node *
flatten(struct nctx *c, struct node *n)
{
	struct node *flat = mk(c->ar, n->kind, NULL);
	size_t i, j;

	for (i = 0; i < n->n; i++) {
		if (n->v[i]->kind != n->kind)
			push_arg(c->ar, flat, n->v[i]);
		else
			for (j = 0; j < n->v[i]->n; j++)
				push_arg(c->ar, flat, n->v[i]->v[j]);
	}
	return flat;
}

/* PostgreSQL stores BETWEEN as two comparisons, and deparses it so. */
static struct node *
rewrite_between(struct nctx *c, struct node *n)
{
	struct node *r = mk(c->ar, n->neg ? N_OR : N_AND, NULL);

	push_arg(c->ar, r, mk2(c->ar, N_BINOP, n->neg ? "<" : ">=", n->a, n->b));
	push_arg(c->ar, r, mk2(c->ar, N_BINOP, n->neg ? ">" : "<=", n->a, n->c));
	return r;
}

/* x ~~ like_escape(p, e) is PostgreSQL's x LIKE p ESCAPE e. */
static struct node *
simplify_like(struct nctx *c, struct node *n)
{
	struct node *pat = n->b;

	if (n->c == NULL && pat->kind == N_FUNC && pat->n == 2 &&
	    strcmp(pat->text, "like_escape") == 0) {
		n = clone(c->ar, n);
		n->b = pat->v[0];
		n->c = pat->v[1];
	}
	return n;
}

/* The "current time" family of a dialect, for column defaults. Only
 * spellings with the same value: statement_timestamp(), clock_timestamp()
 * and datetime('now', 'utc') differ and stay what they are. */
static const struct {
	enum cat_dialect	 d;
	enum nkind		 kind;
	const char		*name;
	const char		*arg;	/* the one string argument, or NULL */
} now_family[] = {
	{ CAT_PG, N_FUNC, "now", NULL },
	{ CAT_PG, N_FUNC, "transaction_timestamp", NULL },
	{ CAT_PG, N_VALUE, "CURRENT_TIMESTAMP", NULL },
	{ CAT_SQLITE, N_VALUE, "CURRENT_TIMESTAMP", NULL },
	{ CAT_SQLITE, N_FUNC, "datetime", "'now'" },
};

static bool
is_now(struct nctx *c, const struct node *n)
{
	size_t i, nargs;

	for (i = 0; i < sizeof now_family / sizeof now_family[0]; i++) {
		nargs = now_family[i].arg ? 1 : 0;
		if (now_family[i].d != c->d || now_family[i].kind != n->kind ||
		    strcmp(now_family[i].name, n->text) != 0)
			continue;
		if (n->kind == N_VALUE)
			return true;
		if (n->star || n->distinct || n->n != nargs)
			continue;
		if (nargs == 0 || (n->v[0]->kind == N_STR &&
		    strcasecmp(n->v[0]->text, now_family[i].arg) == 0))
			return true;
	}
	return false;
}

static void
simplify_children(struct nctx *c, struct node *n)
{
	size_t i;

	if (n->a)
		n->a = simplify(c, n->a);
	if (n->b)
		n->b = simplify(c, n->b);
	if (n->c)
		n->c = simplify(c, n->c);
	for (i = 0; i < n->n; i++)
		n->v[i] = simplify(c, n->v[i]);
}

/* Bottom-up: children first, then this node's own rewrite. */
static struct node *
simplify(struct nctx *c, struct node *n)
{
	if (n->kind == N_ANYALL)	/* needs the casts of its array intact */
		return simplify_anyall(c, n);
	simplify_children(c, n);
	switch (n->kind) {
	case N_CAST:	return simplify_cast(c, n);
	case N_NEG:	return simplify_neg(c, n);
	case N_NOT:	return simplify_not(c, n);
	case N_AND:
	case N_OR:	return flatten(c, n);
	case N_BETWEEN:	return rewrite_between(c, n);
	case N_IN:	return simplify_in(c, n);
	case N_LIKE:	return simplify_like(c, n);
	case N_FUNC:
	case N_VALUE:
		if (c->dflt && is_now(c, n))
			return mk(c->ar, N_FUNC, "now");
		return n;
	default:
		return n;
	}
}

/* ---- entry points --------------------------------------------------------- */

/* Whitespace collapsed, lower case outside '...' and "..." quotes. */
static char *
fallback(const char *s)
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
	p = amalloc(ar, sizeof *p);
	p->ar = ar;
	p->d = d;
	if (setjmp(p->fail) == 0) {
		lex(p, s);
		if (p->t[0].kind != T_EOF)
			tree = parse_expr(p);
		if (tree != NULL && cur(p)->kind != T_EOF)
			tree = NULL;
	} else
		tree = NULL;
	c.ar = ar;
	c.d = d;
	c.dflt = dflt;
	out = tree ? print_tree(simplify(&c, tree)) : fallback(s);
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

/* ---- types ---------------------------------------------------------------- */

/* Whitespace collapsed and dropped around "(", ",", "[" and before ")",
 * so "varchar ( 10 )" is "varchar(10)" while "timestamp(3) with time zone"
 * keeps its words apart. */
static char *
collapse_type(const char *s)
{
	struct sbuf sb;
	bool space = false;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = true;
			continue;
		}
		if (space && sb.len > 0 && !strchr("(,[)]", *s) &&
		    !strchr("(,[", sb.buf[sb.len - 1]))
			sbuf_addc(&sb, ' ');
		space = false;
		sbuf_addc(&sb, *s);
	}
	return sbuf_steal(&sb);
}

/* PostgreSQL's aliases, as format_type() spells the type. */
static const struct {
	const char	*alias, *canonical;
} pg_types[] = {
	{ "int", "integer" }, { "int4", "integer" }, { "integer", "integer" },
	{ "int8", "bigint" }, { "bigint", "bigint" },
	{ "int2", "smallint" }, { "smallint", "smallint" },
	{ "bool", "boolean" }, { "boolean", "boolean" },
	{ "float8", "double precision" }, { "double precision", "double precision" },
	{ "float4", "real" }, { "real", "real" },
	{ "timestamptz", "timestamp with time zone" },
	{ "timestamp with time zone", "timestamp with time zone" },
	{ "timestamp", "timestamp without time zone" },
	{ "timestamp without time zone", "timestamp without time zone" },
	{ "timetz", "time with time zone" },
	{ "time with time zone", "time with time zone" },
	{ "time", "time without time zone" },
	{ "time without time zone", "time without time zone" },
	{ "varchar", "character varying" }, { "char varying", "character varying" },
	{ "character varying", "character varying" },
	{ "char", "character" }, { "character", "character" },
	{ "decimal", "numeric" }, { "numeric", "numeric" },
	{ "varbit", "bit varying" },
};

static const char *
pg_type_alias(const char *words)
{
	size_t i;

	for (i = 0; i < sizeof pg_types / sizeof pg_types[0]; i++)
		if (strcmp(pg_types[i].alias, words) == 0)
			return pg_types[i].canonical;
	return words;
}

/* float(p) is real up to 24 bits of precision, double precision above. */
static const char *
pg_float(const char *mod)
{
	return atoi(mod + 1) <= 24 ? "real" : "double precision";
}

/* words (lower case, unquoted) + modifier "(...)" or "" -> format_type(). */
static char *
pg_type_base(const char *words, const char *mod)
{
	const char *canon = pg_type_alias(words);
	size_t first;

	if (strcmp(words, "float") == 0)
		return xstrdup(*mod ? pg_float(mod) : "double precision");
	if (strcmp(words, "bpchar") == 0 && *mod)
		canon = "character";
	if (strcmp(canon, "character") == 0 && *mod == '\0' &&
	    strcmp(words, "bpchar") != 0)
		mod = "(1)";		/* char is char(1) */
	/* the time types carry their precision after the first word */
	if (strncmp(canon, "time", 4) == 0 && *mod) {
		first = strcspn(canon, " ");
		return xasprintf("%.*s%s%s", (int)first, canon, mod, canon + first);
	}
	return xasprintf("%s%s", canon, mod);
}

/* Splits "name(mod) words[]" into words, modifier and array suffix. */
static char *
pg_type(const char *collapsed)
{
	char *t = xstrdup(collapsed), *words, *mod, *arr, *open, *close, *out;
	struct sbuf sb;
	size_t i, dims = 0, wlen;

	if ((arr = strchr(t, '[')) != NULL) {
		for (i = 0; arr[i]; i++)
			dims += arr[i] == '[';
		*arr = '\0';
	}
	mod = xstrdup("");
	if ((open = strchr(t, '(')) != NULL && (close = strchr(open, ')')) != NULL) {
		free(mod);
		mod = xstrndup(open, (size_t)(close - open + 1));
		memmove(open, close + 1, strlen(close + 1) + 1);
	}
	words = collapse_type(t);
	wlen = strlen(words);
	if (wlen >= 11 && memcmp(words, "pg_catalog.", 11) == 0)
		memmove(words, words + 11, wlen - 11 + 1);
	sbuf_init(&sb);
	out = pg_type_base(words, mod);
	sbuf_add(&sb, out);
	for (i = 0; i < dims; i++)
		sbuf_add(&sb, "[]");
	free(out);
	free(words);
	free(mod);
	free(t);
	return sbuf_steal(&sb);
}

/* Lower case, with a "quoted" plain name unquoted. "char" (the one-byte
 * type) is not char (character(1)): it keeps its quotes. */
static char *
pg_type_unquote(const char *s)
{
	char *t = xstrdup(s), *end;

	if (t[0] == '"' && (end = strchr(t + 1, '"')) != NULL) {
		*end = '\0';
		if (strcmp(t + 1, "char") == 0 || !is_plain_ident(t + 1)) {
			*end = '"';
			return t;
		}
		memmove(end, end + 1, strlen(end + 1) + 1);
		memmove(t, t + 1, strlen(t + 1) + 1);
	}
	lower_ascii(t);
	return t;
}

char *
norm_type(enum cat_dialect d, const char *s)
{
	char *c, *u, *out;

	if (s == NULL)
		return NULL;
	c = collapse_type(s);
	if (d == CAT_SQLITE) {
		upper_ascii(c);
		return c;
	}
	u = pg_type_unquote(c);
	free(c);
	if (u[0] == '"')
		return u;
	out = pg_type(u);
	free(u);
	return out;
}

static const struct {
	enum cat_dialect	 d;
	const char		*type, *logical;
} logical_types[] = {
	{ CAT_PG, "uuid", "uuid" }, { CAT_PG, "text", "text" },
	{ CAT_PG, "jsonb", "json" }, { CAT_PG, "json", "json" },
	{ CAT_PG, "integer", "integer" },
	{ CAT_PG, "timestamp with time zone", "timestamp" },
	{ CAT_SQLITE, "TEXT", "text" }, { CAT_SQLITE, "INTEGER", "integer" },
};

const char *
norm_type_logical(enum cat_dialect d, const char *type)
{
	size_t i;

	for (i = 0; type && i < sizeof logical_types / sizeof logical_types[0]; i++)
		if (logical_types[i].d == d && strcmp(logical_types[i].type, type) == 0)
			return logical_types[i].logical;
	return NULL;
}

/* V7's storage of PostgreSQL types in SQLite; a prefix ending in "(" also
 * matches the type with any modifier. */
static const struct {
	const char	*pg, *sqlite;
} pg_to_sqlite[] = {
	/* Only V7's own mapping (v7-schema.md): a prod column that is bigint or
	 * varchar where V7 says integer or text must not look equal to a dev
	 * column that follows V7, or dev-vs-prod divergence would go unseen. */
	{ "uuid", "TEXT" }, { "text", "TEXT" }, { "jsonb", "TEXT" },
	{ "timestamp with time zone", "TEXT" }, { "integer", "INTEGER" },
};

const char *
norm_type_pg_to_sqlite(const char *type)
{
	size_t i, len;

	for (i = 0; type && i < sizeof pg_to_sqlite / sizeof pg_to_sqlite[0]; i++) {
		len = strlen(pg_to_sqlite[i].pg);
		if (pg_to_sqlite[i].pg[len - 1] == '(' ?
		    strncmp(pg_to_sqlite[i].pg, type, len) == 0 :
		    strcmp(pg_to_sqlite[i].pg, type) == 0)
			return pg_to_sqlite[i].sqlite;
	}
	return NULL;
}

/* ---- identifiers ---------------------------------------------------------- */

/* One "quoted" part (also `x` and [x]); returns the position after it. */
static const char *
ident_quoted(struct sbuf *sb, const char *s)
{
	char close = *s == '[' ? ']' : *s;
	struct sbuf name;

	sbuf_init(&name);
	sbuf_add(&name, "");
	for (s++; *s; s++) {
		if (*s == close && close != ']' && s[1] == close)
			s++;
		else if (*s == close)
			break;
		sbuf_addc(&name, *s);
	}
	if (*s == close) {
		if (is_plain_ident(name.buf))
			sbuf_add(sb, name.buf);
		else
			sbuf_add_quoted_ident(sb, name.buf);
		s++;
	} else
		s = NULL;
	sbuf_free(&name);
	return s;
}

static const char *
ident_part(struct sbuf *sb, const char *s)
{
	const char *start = s;

	if (*s == '"' || *s == '`' || *s == '[')
		return ident_quoted(sb, s);
	while (is_ident_char((unsigned char)*s))
		s++;
	if (s == start || isdigit((unsigned char)*start))
		return NULL;
	for (; start < s; start++)
		sbuf_addc(sb, (char)tolower((unsigned char)*start));
	return s;
}

/* name or schema.name, each part as norm_ident's contract says; text that
 * is not an identifier falls back like an expression. */
char *
norm_ident(const char *s)
{
	struct sbuf sb;
	const char *p = s;

	if (s == NULL)
		return NULL;
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if ((p = ident_part(&sb, p)) == NULL)
			break;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '.')
			break;
		sbuf_addc(&sb, *p++);
	}
	if (p == NULL || *p != '\0') {
		sbuf_free(&sb);
		return fallback(s);
	}
	return sbuf_steal(&sb);
}

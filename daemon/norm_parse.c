/* norm_parse.c — tokens to a tree, by precedence climbing (see norm_int.h).
 *
 * One function per precedence level, loosest first (parse_expr: OR) down to
 * parse_primary. Any syntax the normalizer does not know ends in norm_fail(),
 * which longjmps back to normalize(): the arena holds everything, so no
 * level has to clean up. */
#include "config.h"

#include <string.h>

#include "norm_int.h"

/* ---- the tree ------------------------------------------------------------- */

struct node *
norm_mk(struct arena *ar, enum nkind kind, const char *text)
{
	struct node *n = norm_alloc(ar, sizeof *n);

	n->kind = kind;
	n->text = text;
	n->depth = 1;
	return n;
}

/* Makes `child` a child of n as far as depth goes; returns it. Every pass
 * over the tree recurses as deep as the tree is, so the depth is capped
 * here, where each node is made, and not found out by a stack overflow. */
struct node *
norm_link(struct arena *ar, struct node *n, struct node *child)
{
	if (child == NULL || child->depth < n->depth)
		return child;
	n->depth = child->depth + 1;
	if (n->depth > NORM_MAX_DEPTH && ar->p != NULL)
		norm_fail(ar->p, "too deeply nested");
	return child;
}

struct node *
norm_mk2(struct arena *ar, enum nkind kind, const char *text, struct node *a,
    struct node *b)
{
	struct node *n = norm_mk(ar, kind, text);

	n->a = norm_link(ar, n, a);
	n->b = norm_link(ar, n, b);
	return n;
}

struct node *
norm_clone(struct arena *ar, const struct node *n)
{
	struct node *c = norm_alloc(ar, sizeof *c);

	*c = *n;
	return c;
}

/* The list lives in the arena too: grown by copying, old arrays stay there. */
void
norm_push_arg(struct arena *ar, struct node *n, struct node *arg)
{
	struct node **v;

	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 4;
		v = norm_alloc(ar, n->cap * sizeof *v);
		if (n->n > 0)
			memcpy(v, n->v, n->n * sizeof *v);
		n->v = v;
	}
	n->v[n->n++] = norm_link(ar, n, arg);
}

/* ---- precedence ----------------------------------------------------------- */


static const struct {
	const char	*op;
	enum prec	 prec;
} binops[] = {
	{ "=", P_CMP }, { "<>", P_CMP }, { "<", P_CMP }, { ">", P_CMP },
	{ "<=", P_CMP }, { ">=", P_CMP }, { "==", P_CMP }, { "!=", P_CMP },
	{ "+", P_ADD }, { "-", P_ADD }, { "*", P_MUL }, { "/", P_MUL },
	{ "%", P_MUL }, { "^", P_EXP }, { "::", P_POSTFIX },
};

enum prec
norm_binop_prec(const char *op)
{
	size_t i;

	for (i = 0; i < sizeof binops / sizeof binops[0]; i++)
		if (strcmp(binops[i].op, op) == 0)
			return binops[i].prec;
	return P_OTHER;
}

enum prec
norm_node_prec(const struct node *n)
{
	switch (n->kind) {
	case N_OR:	return P_OR;
	case N_AND:	return P_AND;
	case N_NOT:	return P_NOT;
	case N_IS:
	case N_DISTINCT: return P_IS;
	case N_ANYALL:	return P_CMP;
	case N_BINOP:	return norm_binop_prec(n->text);
	case N_IN:
	case N_LIKE:
	case N_BETWEEN:	return P_PRED;
	case N_NEG:	return P_UNARY;
	case N_COLLATE:
	case N_SUBSCRIPT: return P_POSTFIX;
	default:	return P_PRIMARY;
	}
}

/* ---- parser --------------------------------------------------------------- */

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
		norm_fail(p, NULL);
}

static void
expect_kw(struct parser *p, enum kw kw)
{
	if (!accept_kw(p, kw))
		norm_fail(p, NULL);
}

static bool
is_op(struct parser *p, const char *op)
{
	return cur(p)->kind == T_OP && strcmp(cur(p)->text, op) == 0;
}

/* An identifier as printed: quotes only where an unquoted spelling would
 * read differently (upper case, odd characters, a keyword). */
/* An unquoted non-keyword word at off: "at", "time", "both", "similar"... */
static bool
is_word_at(struct parser *p, size_t off, const char *word)
{
	const struct tok *t = peek(p, off);

	return t->kind == T_IDENT && t->kw == KW_NONE && strcmp(t->text, word) == 0;
}

static const char *
fmt_ident(struct parser *p, const struct tok *t)
{
	struct sbuf sb;

	if (t->kind == T_IDENT ||
	    (norm_is_plain_ident(t->text) && norm_keyword(t->text) == KW_NONE))
		return t->text;
	sbuf_init(&sb);
	norm_add_quoted_ident(&sb, t->text);
	return norm_adopt(p->ar, sbuf_steal(&sb));
}

/* name[.name...]; the pg_catalog schema is implied, so it is dropped. */
static const char *
parse_dotted(struct parser *p)
{
	const char *name = fmt_ident(p, cur(p));
	struct sbuf sb;

	p->pos++;
	if (cur(p)->kind != T_DOT)
		return name;
	/* One buffer for all the parts: a.b.c... in linear time. */
	sbuf_init(&sb);
	sbuf_add(&sb, name);
	while (cur(p)->kind == T_DOT &&
	    (peek(p, 1)->kind == T_IDENT || peek(p, 1)->kind == T_QIDENT)) {
		if (strcmp(sb.buf, "pg_catalog") == 0) {
			sb.len = 0;
			/* pg_catalog.notnull alone would read as a keyword */
			if (peek(p, 1)->kind == T_IDENT && peek(p, 1)->kw != KW_NONE) {
				norm_add_quoted_ident(&sb, peek(p, 1)->text);
				p->pos += 2;
				continue;
			}
		} else
			sbuf_addc(&sb, '.');
		sbuf_add(&sb, fmt_ident(p, peek(p, 1)));
		p->pos += 2;
	}
	return norm_adopt(p->ar, sbuf_steal(&sb));
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
			norm_fail(p, NULL);
		sbuf_add(sb, cur(p)->text);
		p->pos++;
		if (cur(p)->kind == T_COMMA)
			sbuf_addc(sb, ',');
	} while (accept(p, T_COMMA));
	sbuf_addc(sb, ')');
	expect(p, T_RPAREN);
}

/* A type name after "::" or CAST(.. AS), returned in norm_type's spelling.
 * It is built in the parser's scratch buffer, not a local one: norm_fail()
 * can end the parse from inside the modifier, and normalize() frees the
 * scratch buffer whatever happened (a local one leaked there: issue 16,
 * "d::etime('w')" on SQLite). parse_type() never nests, so one buffer does. */
static const char *
parse_type(struct parser *p)
{
	struct sbuf *sb = &p->scratch;
	bool mod = false;

	if (cur(p)->kind != T_IDENT && cur(p)->kind != T_QIDENT)
		norm_fail(p, NULL);
	sb->len = 0;
	sbuf_add(sb, parse_dotted(p));
	for (;;) {
		if (type_word(p, cur(p))) {
			sbuf_addc(sb, ' ');
			sbuf_add(sb, cur(p)->text);
			p->pos++;
		} else if (cur(p)->kind == T_LPAREN && !mod) {
			mod = true;
			parse_typmod(p, sb);
		} else
			break;
	}
	while (p->d == CAT_PG && cur(p)->kind == T_LBRACK) {
		p->pos++;
		accept(p, T_NUMBER);
		if (cur(p)->kind != T_RBRACK)
			norm_fail(p, NULL);
		p->pos++;
		sbuf_add(sb, "[]");
	}
	return norm_adopt(p->ar, norm_type(p->d, sb->buf));
}

/* Comma-separated expressions up to the closing token. */
static void
parse_list(struct parser *p, struct node *n, enum tkind close)
{
	if (accept(p, close))
		return;
	do
		norm_push_arg(p->ar, n, norm_parse_expr(p));
	while (accept(p, T_COMMA));
	expect(p, close);
}

/* SUBSTRING(x FROM a [FOR b]) and SUBSTRING(x FOR b), as PostgreSQL 15
 * deparses substring(): the same as substring(x, a, b). */
static void
parse_substring_tail(struct parser *p, struct node *f)
{
	if (accept_kw(p, KW_FROM)) {
		norm_push_arg(p->ar, f, norm_parse_expr(p));
		if (accept_kw(p, KW_FOR))
			norm_push_arg(p->ar, f, norm_parse_expr(p));
	} else if (accept_kw(p, KW_FOR)) {
		norm_push_arg(p->ar, f, norm_mk(p->ar, N_NUM, "1"));
		norm_push_arg(p->ar, f, norm_parse_expr(p));
	}
}

/* EXTRACT(field FROM x) is extract('field', x), as PostgreSQL 15 calls it. */
static bool
parse_extract(struct parser *p, struct node *f)
{
	char *field;

	if ((cur(p)->kind != T_IDENT && cur(p)->kind != T_STRING) ||
	    !is_kw_at(p, 1, KW_FROM))
		return false;
	field = norm_strdup(p->ar, cur(p)->text);
	if (cur(p)->kind == T_IDENT)	/* year: the string 'year' */
		field = norm_adopt(p->ar, xasprintf("'%s'", field));
	norm_lower(field);
	p->pos += 2;
	norm_push_arg(p->ar, f, norm_mk(p->ar, N_STR, field));
	norm_push_arg(p->ar, f, norm_parse_expr(p));
	return true;
}

/* POSITION(a IN b) is position(b, a); a and b are "b_expr"s, without IN.
 * Without IN it is an ordinary call: back up and let the caller parse the
 * arguments as whole expressions, as they are printed (a b_expr has no
 * LIKE, so reading `a ~~* b` as one would print an ILIKE it cannot read). */
static bool
parse_position(struct parser *p, struct node *f)
{
	size_t start = p->pos;
	struct node *a = parse_other(p);

	if (!accept_kw(p, KW_IN)) {
		p->pos = start;
		return false;
	}
	norm_push_arg(p->ar, f, parse_other(p));
	norm_push_arg(p->ar, f, a);
	expect(p, T_RPAREN);
	return true;
}

/* TRIM([BOTH|LEADING|TRAILING] [chars] FROM x) is btrim/ltrim/rtrim(x
 * [, chars]), as PostgreSQL's grammar makes it; TRIM(x[, chars]) too. */
static void
parse_trim(struct parser *p, struct node *f)
{
	static const char *const modes[][2] = {
		{ "both", "btrim" }, { "leading", "ltrim" }, { "trailing", "rtrim" },
	};
	struct node *chars = NULL;
	size_t i;

	f->text = "btrim";
	for (i = 0; i < 3; i++)
		if (is_word_at(p, 0, modes[i][0]) && peek(p, 1)->kind != T_RPAREN &&
		    peek(p, 1)->kind != T_COMMA) {
			f->text = modes[i][1];
			p->pos++;
			break;
		}
	if (!accept_kw(p, KW_FROM)) {
		chars = norm_parse_expr(p);
		if (!accept_kw(p, KW_FROM)) {	/* trim(x, chars...) */
			norm_push_arg(p->ar, f, chars);
			if (accept(p, T_COMMA))
				parse_list(p, f, T_RPAREN);
			else
				expect(p, T_RPAREN);
			return;
		}
	}
	parse_list(p, f, T_RPAREN);
	if (chars != NULL)
		norm_push_arg(p->ar, f, chars);
}

static struct node *
parse_call(struct parser *p, const char *name)
{
	struct node *f = norm_mk(p->ar, N_FUNC, name);

	expect(p, T_LPAREN);
	if (p->d == CAT_PG && cur(p)->kind != T_RPAREN) {
		if (strcmp(name, "extract") == 0 && parse_extract(p, f)) {
			expect(p, T_RPAREN);
			return f;
		}
		if (strcmp(name, "position") == 0 && parse_position(p, f))
			return f;
		if (strcmp(name, "trim") == 0) {
			parse_trim(p, f);
			return f;
		}
	}
	if (is_op(p, "*") && peek(p, 1)->kind == T_RPAREN) {
		p->pos += 2;
		f->star = true;
		return f;
	}
	f->distinct = accept_kw(p, KW_DISTINCT);
	if (strcmp(name, "substring") == 0 && cur(p)->kind != T_RPAREN) {
		norm_push_arg(p->ar, f, norm_parse_expr(p));
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
		norm_fail(p, NULL);
	return f;
}

/* E'it\'s' is 'it''s' when its only escapes are \\ and \' (PostgreSQL
 * deparses it so); other escapes keep the E'' form. */
static const char *
plain_string(struct parser *p, const char *raw)
{
	struct sbuf sb;
	const char *s;

	if (raw[0] != 'E')
		return raw;
	sbuf_init(&sb);
	sbuf_addc(&sb, '\'');
	for (s = raw + 2; s[0] != '\0' && s[1] != '\0'; s++) {
		if (*s == '\\' && (s[1] == '\\' || s[1] == '\''))
			s++;
		else if (*s == '\\') {
			sbuf_free(&sb);
			return raw;
		} else if (*s == '\'')	/* '' */
			s++;
		if (*s == '\'')
			sbuf_addc(&sb, '\'');
		sbuf_addc(&sb, *s);
	}
	sbuf_addc(&sb, '\'');
	return norm_adopt(p->ar, sbuf_steal(&sb));
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
		struct node *lit = norm_mk(p->ar, N_STR, plain_string(p, cur(p)->text));

		p->pos++;
		return norm_mk2(p->ar, N_CAST, norm_adopt(p->ar, norm_type(p->d, name)),
		    lit, NULL);
	}
	return norm_mk(p->ar, N_COL, name);
}

static struct node *
parse_case(struct parser *p)
{
	struct node *n = norm_mk(p->ar, N_CASE, NULL);

	if (!is_kw_at(p, 0, KW_WHEN))
		n->a = norm_link(p->ar, n, norm_parse_expr(p));
	while (accept_kw(p, KW_WHEN)) {
		norm_push_arg(p->ar, n, norm_parse_expr(p));
		expect_kw(p, KW_THEN);
		norm_push_arg(p->ar, n, norm_parse_expr(p));
	}
	if (n->n == 0)
		norm_fail(p, NULL);
	if (accept_kw(p, KW_ELSE))
		n->c = norm_link(p->ar, n, norm_parse_expr(p));
	expect_kw(p, KW_END);
	return n;
}

static struct node *
parse_cast(struct parser *p)
{
	struct node *x;

	expect(p, T_LPAREN);
	x = norm_parse_expr(p);
	expect_kw(p, KW_AS);
	x = norm_mk2(p->ar, N_CAST, parse_type(p), x, NULL);
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
	case KW_NULL:	return norm_mk(p->ar, N_NULL, "NULL");
	case KW_TRUE:	return norm_mk(p->ar, N_BOOL, "TRUE");
	case KW_FALSE:	return norm_mk(p->ar, N_BOOL, "FALSE");
	case KW_CASE:	return parse_case(p);
	case KW_CAST:	return parse_cast(p);
	case KW_ARRAY:
		n = norm_mk(p->ar, N_ARRAY, NULL);
		expect(p, T_LBRACK);
		parse_list(p, n, T_RBRACK);
		return n;
	case KW_VALUE:
		n = norm_mk(p->ar, N_VALUE, norm_strdup(p->ar, t->text));
		norm_upper((char *)n->text);
		return n;
	default:
		norm_fail(p, NULL);
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
		return norm_mk(p->ar, N_NUM, t->text);
	case T_STRING:
		p->pos++;
		return norm_mk(p->ar, N_STR, plain_string(p, t->text));
	case T_LPAREN:
		p->pos++;
		n = norm_parse_expr(p);
		expect(p, T_RPAREN);
		return n;
	case T_IDENT:
		if (t->kw != KW_NONE)
			return parse_keyword_primary(p);
		return parse_name(p);
	case T_QIDENT:
		return parse_name(p);
	default:
		norm_fail(p, NULL);
	}
}

/* Postfix: x::type, x COLLATE name, and (PostgreSQL) x[i]. */
static struct node *
parse_postfix(struct parser *p)
{
	struct node *n = parse_primary(p);

	for (;;) {
		if (is_op(p, "::")) {
			p->pos++;
			n = norm_mk2(p->ar, N_CAST, parse_type(p), n, NULL);
		} else if (accept_kw(p, KW_COLLATE)) {
			if (cur(p)->kind != T_IDENT && cur(p)->kind != T_QIDENT)
				norm_fail(p, NULL);
			n = norm_mk2(p->ar, N_COLLATE, parse_dotted(p), n, NULL);
		} else if (p->d == CAT_PG && accept(p, T_LBRACK)) {
			n = norm_mk2(p->ar, N_SUBSCRIPT, NULL, n, norm_parse_expr(p));
			expect(p, T_RBRACK);
		} else
			return n;
	}
}

/* Unary plus is dropped ("+5" is "5"); unary minus stays a node and is
 * folded into number literals by norm_simplify(). A loop, not recursion:
 * "- - - ... x" must not use a stack frame per sign. */
static struct node *
parse_unary(struct parser *p)
{
	size_t neg = 0;
	struct node *n;

	for (;; p->pos++)
		if (is_op(p, "-"))
			neg++;
		else if (!is_op(p, "+"))
			break;
	n = parse_postfix(p);
	while (neg-- > 0)
		n = norm_mk2(p->ar, N_NEG, NULL, n, NULL);
	return n;
}

/* One left-associative level of binary operators of precedence `prec`. */
static struct node *
parse_binary(struct parser *p, enum prec prec, struct node *(*next)(struct parser *))
{
	struct node *n = next(p);
	const char *op;

	while (cur(p)->kind == T_OP && norm_binop_prec(cur(p)->text) == prec) {
		op = cur(p)->text;
		p->pos++;
		n = norm_mk2(p->ar, N_BINOP, op, n, next(p));
	}
	return n;
}

/* x AT TIME ZONE z is timezone(z, x), as PostgreSQL's grammar makes it and
 * deparses timezone() written as such. It binds tighter than ^ and looser
 * than unary minus. */
static struct node *
parse_at(struct parser *p)
{
	struct node *n = parse_unary(p), *f;

	while (p->d == CAT_PG && is_word_at(p, 0, "at") &&
	    is_word_at(p, 1, "time") && is_word_at(p, 2, "zone")) {
		p->pos += 3;
		f = norm_mk(p->ar, N_FUNC, "timezone");
		norm_push_arg(p->ar, f, parse_unary(p));
		norm_push_arg(p->ar, f, n);
		n = f;
	}
	return n;
}

static struct node *
parse_exp(struct parser *p)
{
	return parse_binary(p, P_EXP, parse_at);
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
			n = norm_mk2(p->ar, N_LIKE, like_ops[i].like, a, b);
			n->neg = like_ops[i].neg;
			return n;
		}
	return norm_mk2(p->ar, N_BINOP, op, a, b);
}

/* Every other operator: ||, ->>, ~, @>, ~~... */
static struct node *
parse_other(struct parser *p)
{
	struct node *n = parse_add(p);
	const char *op;

	while (cur(p)->kind == T_OP && norm_binop_prec(cur(p)->text) == P_OTHER) {
		op = cur(p)->text;
		p->pos++;
		n = mk_other_op(p, op, n, parse_add(p));
	}
	return n;
}

static bool
is_similar_at(struct parser *p, size_t off)
{
	return p->d == CAT_PG && is_word_at(p, off, "similar") &&
	    is_word_at(p, off + 1, "to");
}

static bool
is_pred_kw(struct parser *p, size_t off)
{
	return is_kw_at(p, off, KW_IN) || is_kw_at(p, off, KW_LIKE) ||
	    is_kw_at(p, off, KW_BETWEEN) || is_similar_at(p, off);
}

/* x [NOT] SIMILAR TO p [ESCAPE e] is x ~ similar_to_escape(p[, e]) (!~),
 * what PostgreSQL stores and deparses. */
static struct node *
parse_similar(struct parser *p, struct node *lhs, bool neg)
{
	struct node *f = norm_mk(p->ar, N_FUNC, "similar_to_escape");

	p->pos += 2;
	norm_push_arg(p->ar, f, parse_other(p));
	if (accept_kw(p, KW_ESCAPE))
		norm_push_arg(p->ar, f, parse_other(p));
	return norm_mk2(p->ar, N_BINOP, neg ? "!~" : "~", lhs, f);
}

/* x BETWEEN SYMMETRIC a AND b is x BETWEEN a AND b OR x BETWEEN b AND a;
 * NOT: both NOT BETWEEN, ANDed. PostgreSQL expands it so. */
static struct node *
mk_symmetric(struct parser *p, struct node *between, bool neg)
{
	struct node *r = norm_mk(p->ar, neg ? N_AND : N_OR, NULL);
	struct node *swapped = norm_mk2(p->ar, N_BETWEEN, NULL, between->a,
	    between->c);

	swapped->c = norm_link(p->ar, swapped, between->b);
	between->neg = swapped->neg = neg;
	norm_push_arg(p->ar, r, between);
	norm_push_arg(p->ar, r, swapped);
	return r;
}

static struct node *
parse_pred_tail(struct parser *p, struct node *lhs, bool neg)
{
	struct node *n;
	char *op;

	if (accept_kw(p, KW_IN)) {
		n = norm_mk2(p->ar, N_IN, NULL, lhs, NULL);
		expect(p, T_LPAREN);
		parse_list(p, n, T_RPAREN);
		if (n->n == 0)
			norm_fail(p, NULL);
	} else if (accept_kw(p, KW_BETWEEN)) {
		/* "symmetric" is a reserved word, "asymmetric" is not */
		bool sym = p->d == CAT_PG && cur(p)->kind == T_IDENT &&
		    strcmp(cur(p)->text, "symmetric") == 0;

		if (sym || (p->d == CAT_PG && is_word_at(p, 0, "asymmetric")))
			p->pos++;
		n = norm_mk2(p->ar, N_BETWEEN, NULL, lhs, parse_other(p));
		expect_kw(p, KW_AND);
		n->c = norm_link(p->ar, n, parse_other(p));
		if (sym)
			return mk_symmetric(p, n, neg);
	} else if (is_similar_at(p, 0)) {
		return parse_similar(p, lhs, neg);
	} else {
		op = norm_strdup(p->ar, cur(p)->text);
		norm_upper(op);
		p->pos++;
		n = norm_mk2(p->ar, N_LIKE, op, lhs, parse_other(p));
		if (accept_kw(p, KW_ESCAPE))
			n->c = norm_link(p->ar, n, parse_other(p));
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

	while (cur(p)->kind == T_OP && norm_binop_prec(cur(p)->text) == P_CMP) {
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
			n = norm_mk2(p->ar, N_ANYALL, op, n, norm_parse_expr(p));
			n->neg = all;
			expect(p, T_RPAREN);
		} else
			n = norm_mk2(p->ar, N_BINOP, op, n, parse_pred(p));
	}
	return n;
}

static struct node *
mk_is(struct parser *p, struct node *a, const char *what, bool neg)
{
	struct node *n = norm_mk2(p->ar, N_IS, what, a, NULL);

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
		n = norm_mk2(p->ar, N_DISTINCT, NULL, lhs, parse_cmp(p));
		n->neg = neg;
		return n;
	}
	if (p->d != CAT_SQLITE)
		norm_fail(p, NULL);
	n = norm_mk2(p->ar, N_DISTINCT, NULL, lhs, parse_cmp(p));
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

/* NOT NOT ... x, in a loop for the same reason as parse_unary. */
static struct node *
parse_not(struct parser *p)
{
	size_t nots = 0;
	struct node *n;

	while (accept_kw(p, KW_NOT))
		nots++;
	n = parse_is(p);
	while (nots-- > 0)
		n = norm_mk2(p->ar, N_NOT, NULL, n, NULL);
	return n;
}

/* AND and OR nodes collect operands; norm_simplify() flattens nested ones. */
static struct node *
parse_andor(struct parser *p, enum kw kw, enum nkind kind,
    struct node *(*next)(struct parser *))
{
	struct node *n = next(p), *list;

	if (!is_kw_at(p, 0, kw))
		return n;
	list = norm_mk(p->ar, kind, NULL);
	norm_push_arg(p->ar, list, n);
	while (accept_kw(p, kw))
		norm_push_arg(p->ar, list, next(p));
	return list;
}

static struct node *
parse_and(struct parser *p)
{
	return parse_andor(p, KW_AND, N_AND, parse_not);
}

struct node *
norm_parse_expr(struct parser *p)
{
	struct node *n;

	/* Each level of parentheses, CASE, CAST or call arguments comes back
	 * here: capping it bounds the parser's C stack. */
	if (++p->depth > NORM_MAX_NESTING)
		norm_fail(p, "too deeply nested");
	n = parse_andor(p, KW_OR, N_OR, parse_and);
	p->depth--;
	return n;
}

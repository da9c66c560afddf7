/* norm_rewrite.c — tree rewrites that remove spelling (see norm_int.h).
 *
 * PostgreSQL stores and deparses an expression differently from how it was
 * written (casts on constants, "= ANY (ARRAY[..])", BETWEEN as two
 * comparisons); SQLite keeps the text as written. The rewrites bring both to
 * one form, bottom-up, and never change what the expression means. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "norm_int.h"

/* ---- rewrites ------------------------------------------------------------- */

/* Every comparison a rewrite makes goes through it too: a canonical form
 * must not change at the next pass (found by fuzz_normalize). */
static struct node *simplify_cmp(struct nctx *, struct node *);

static bool
is_constant(const struct node *n)
{
	return n->kind == N_STR || n->kind == N_NUM || n->kind == N_NULL ||
	    n->kind == N_BOOL;
}

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
	s = norm_alloc(ar, len);
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
	return norm_mk(ar, N_STR, norm_adopt(ar, sbuf_steal(&sb)));
}

/* A literal of a cast-away type: '5'::integer is the number 5. */
static struct node *
typed_literal(struct arena *ar, const char *content, const char *type)
{
	if (content == NULL)
		return NULL;
	if (is_numeric_type(type) && norm_is_number(content))
		return norm_mk(ar, N_NUM, norm_strdup(ar, content + (content[0] == '+')));
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
	if (!quoted)	/* by length: strlen() per space was quadratic */
		while (sb.len > 0 && isspace((unsigned char)sb.buf[sb.len - 1]))
			sb.buf[--sb.len] = '\0';
	e = norm_adopt(c->ar, sbuf_steal(&sb));
	if (quoted ? *s != '"' : (*s != ',' && *s != '}'))
		return NULL;
	if (quoted)
		s++;
	if (!quoted && strcasecmp(e, "null") == 0)
		norm_push_arg(c->ar, list, norm_mk(c->ar, N_NULL, "NULL"));
	else
		norm_push_arg(c->ar, list, typed_literal(c->ar, e, type));
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
	char *elem = norm_strdup(c->ar, type);

	if (s == NULL || strlen(elem) < 2 || strcmp(elem + strlen(elem) - 2, "[]"))
		return false;
	elem[strlen(elem) - 2] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s++ != '{')
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '}')	/* '{}': no elements, not one empty string */
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
	/* x = ANY ('{a,b}'): PostgreSQL types the literal from x and deparses
	 * it '{a,b}'::text[]; untyped, its elements are strings. So too under
	 * a cast to no array type (int4'{a}'::text[]): those casts are dropped,
	 * and the canonical form must not become '{a}' that the next pass reads
	 * as a list (a fixed point; found by fuzz_normalize). */
	if (n->kind == N_STR && c->d == CAT_PG)
		return array_literal(c, n->text, type != NULL && strlen(type) > 2 &&
		    strcmp(type + strlen(type) - 2, "[]") == 0 ? type : "text[]", list);
	if (n->kind == N_STR && type != NULL)
		return array_literal(c, n->text, type, list);
	if (n->kind != N_ARRAY || n->n == 0)
		return false;
	for (i = 0; i < n->n; i++)
		norm_push_arg(c->ar, list, norm_simplify(c, n->v[i]));
	return true;
}

static int
cmp_keyed(const void *a, const void *b)
{
	char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

/* The printed form of a simplified subtree: what lists are sorted by. */
static char *
print_key(struct nctx *c, const struct node *n)
{
	char *key;

	if ((key = norm_print_tree(n, &c->budget)) == NULL)
		norm_fail(c->ar->p, "too large");
	return norm_adopt(c->ar, key);
}

/* Sorts nodes by their printed form: pairs of (printed form, node), sorted
 * on the first, n log n string comparisons. All in the arena: norm_fail()
 * may come before the end. Children are canonical already, so their
 * printed forms, and the order, are the same at the next pass. */
static void
sort_nodes(struct nctx *c, struct node **v, size_t n)
{
	char **keyed;
	size_t i;

	keyed = norm_alloc(c->ar, n * 2 * sizeof *keyed);
	for (i = 0; i < n; i++) {
		keyed[2 * i] = print_key(c, v[i]);
		keyed[2 * i + 1] = (char *)v[i];
	}
	qsort(keyed, n, 2 * sizeof *keyed, cmp_keyed);
	for (i = 0; i < n; i++)
		v[i] = (struct node *)keyed[2 * i + 1];
}

/* IN lists are sets: sorted by their printed form. One value is "=". */
static struct node *
simplify_in(struct nctx *c, struct node *n)
{
	if (n->n == 1)
		return simplify_cmp(c, norm_mk2(c->ar, N_BINOP, n->neg ? "<>" : "=",
		    n->a, n->v[0]));
	sort_nodes(c, n->v, n->n);
	return n;
}

/* x = ANY (ARRAY[..]) is x IN (..); x <> ALL (ARRAY[..]) is x NOT IN (..). */
static struct node *
simplify_anyall(struct nctx *c, struct node *n)
{
	struct node *in = norm_mk2(c->ar, N_IN, NULL, norm_simplify(c, n->a), NULL);
	bool any_eq = !n->neg && strcmp(n->text, "=") == 0;
	bool all_ne = n->neg && strcmp(n->text, "<>") == 0;

	if ((any_eq || all_ne) && array_values(c, n->b, in)) {
		in->neg = all_ne;
		return simplify_in(c, in);
	}
	n->a = norm_link(c->ar, n, in->a);
	n->b = norm_link(c->ar, n, norm_simplify(c, n->b));
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
		x = norm_clone(c->ar, x);
		x->neg = !x->neg;
		return x;
	case N_BINOP:
		if (strcmp(x->text, "=") != 0 && strcmp(x->text, "<>") != 0)
			return n;
		x = norm_clone(c->ar, x);
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
		return norm_mk(c->ar, N_NUM, x->text + 1);
	return norm_mk(c->ar, N_NUM, norm_adopt(c->ar, xasprintf("-%s", x->text)));
}

/* a AND (b AND c) is a AND b AND c. */
static struct node *
flatten(struct nctx *c, struct node *n)
{
	struct node *flat = norm_mk(c->ar, n->kind, NULL);
	size_t i, j;

	for (i = 0; i < n->n; i++) {
		if (n->v[i]->kind != n->kind)
			norm_push_arg(c->ar, flat, n->v[i]);
		else
			for (j = 0; j < n->v[i]->n; j++)
				norm_push_arg(c->ar, flat, n->v[i]->v[j]);
	}
	return flat;
}

/* Is n a member test that an IN list can hold: "x = constant" or
 * x IN (constants) for OR; "x <> constant" or x NOT IN (constants) for
 * AND. Only constants: x IN (y, z) is x = y OR x = z too, but a list of
 * columns is not what anyone writes, and constants keep it obvious. */
static bool
is_member_test(const struct node *n, bool neg)
{
	size_t i;

	if (n->kind == N_BINOP)
		return strcmp(n->text, neg ? "<>" : "=") == 0 && is_constant(n->b);
	if (n->kind != N_IN || n->neg != neg)
		return false;
	for (i = 0; i < n->n; i++)
		if (!is_constant(n->v[i]))
			return false;
	return true;
}

/* The values a member test adds to an IN list. */
static void
add_members(struct nctx *c, struct node *in, const struct node *n)
{
	size_t i;

	if (n->kind == N_BINOP)
		norm_push_arg(c->ar, in, n->b);
	else
		for (i = 0; i < n->n; i++)
			norm_push_arg(c->ar, in, n->v[i]);
}

/* x = 'a' OR x = 'b' is x IN ('a', 'b') (SQL defines IN so), and
 * x <> 'a' AND x <> 'b' is x NOT IN ('a', 'b'): the member tests of one
 * left operand (by printed form) in an OR (AND) chain become one IN list,
 * which also takes in IN lists of that operand. The other operands stay.
 * Returns the chain, or its one operand when nothing else is left. */
static struct node *
merge_in(struct nctx *c, struct node *chain)
{
	bool neg = chain->kind == N_AND;
	struct node *out, *in, *first;
	char **keyed;
	size_t i, j, k, m = 0;

	keyed = norm_alloc(c->ar, chain->n * 2 * sizeof *keyed);
	for (i = 0; i < chain->n; i++)
		if (is_member_test(chain->v[i], neg)) {
			keyed[2 * m] = print_key(c, chain->v[i]->a);
			keyed[2 * m + 1] = (char *)chain->v[i];
			m++;
		}
	if (m < 2)
		return chain;
	qsort(keyed, m, 2 * sizeof *keyed, cmp_keyed);
	out = norm_mk(c->ar, chain->kind, NULL);
	for (i = 0; i < chain->n; i++)	/* the others, as they were */
		if (!is_member_test(chain->v[i], neg))
			norm_push_arg(c->ar, out, chain->v[i]);
	for (i = 0; i < m; i = j) {	/* runs of one left operand */
		for (j = i + 1; j < m && strcmp(keyed[2 * i], keyed[2 * j]) == 0; j++)
			continue;
		first = (struct node *)keyed[2 * i + 1];
		if (j - i == 1) {
			norm_push_arg(c->ar, out, first);
			continue;
		}
		in = norm_mk2(c->ar, N_IN, NULL, first->a, NULL);
		in->neg = neg;
		for (k = i; k < j; k++)
			add_members(c, in, (struct node *)keyed[2 * k + 1]);
		norm_push_arg(c->ar, out, simplify_in(c, in));
	}
	return out->n == 1 ? out->v[0] : out;
}

/* AND and OR are commutative in SQL (the order of evaluation is not
 * defined), so a chain is flattened and its operands sorted by their
 * printed form: a AND b is b AND a. */
static struct node *
simplify_chain(struct nctx *c, struct node *n)
{
	n = merge_in(c, flatten(c, n));
	if (n->kind == N_AND || n->kind == N_OR)
		sort_nodes(c, n->v, n->n);
	return n;
}

/* PostgreSQL stores BETWEEN as two comparisons, and deparses it so. */
static struct node *
rewrite_between(struct nctx *c, struct node *n)
{
	struct node *r = norm_mk(c->ar, n->neg ? N_OR : N_AND, NULL);

	norm_push_arg(c->ar, r, simplify_cmp(c, norm_mk2(c->ar, N_BINOP,
	    n->neg ? "<" : ">=", n->a, n->b)));
	norm_push_arg(c->ar, r, simplify_cmp(c, norm_mk2(c->ar, N_BINOP,
	    n->neg ? ">" : "<=", n->a, n->c)));
	return simplify_chain(c, r);
}

/* x ~~ like_escape(p, e) is PostgreSQL's x LIKE p ESCAPE e. */
static struct node *
simplify_like(struct nctx *c, struct node *n)
{
	struct node *pat = n->b;

	if (n->c == NULL && pat->kind == N_FUNC && pat->n == 2 &&
	    strcmp(pat->text, "like_escape") == 0) {
		n = norm_clone(c->ar, n);
		n->b = norm_link(c->ar, n, pat->v[0]);
		n->c = norm_link(c->ar, n, pat->v[1]);
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
		n->a = norm_link(c->ar, n, norm_simplify(c, n->a));
	if (n->b)
		n->b = norm_link(c->ar, n, norm_simplify(c, n->b));
	if (n->c)
		n->c = norm_link(c->ar, n, norm_simplify(c, n->c));
	for (i = 0; i < n->n; i++)
		n->v[i] = norm_link(c->ar, n, norm_simplify(c, n->v[i]));
}

/* 10 < a is a > 10: a constant goes right, the operator turned round; and
 * flag = TRUE is flag, flag = FALSE is NOT flag (<> the other way round),
 * which select the same rows (NULL stays NULL). */
static struct node *
simplify_cmp(struct nctx *c, struct node *n)
{
	static const char *const turned[][2] = {
		{ "<", ">" }, { ">", "<" }, { "<=", ">=" }, { ">=", "<=" },
		{ "=", "=" }, { "<>", "<>" },
	};
	struct node *x;
	size_t i;

	for (i = 0; i < sizeof turned / sizeof turned[0]; i++)
		if (strcmp(n->text, turned[i][0]) == 0)
			break;
	if (i == sizeof turned / sizeof turned[0])
		return n;
	if (is_constant(n->a) && !is_constant(n->b))
		n = norm_mk2(c->ar, N_BINOP, turned[i][1], n->b, n->a);
	if (i < 4 || n->b->kind != N_BOOL || is_constant(n->a))
		return n;
	x = n->a;
	if ((strcmp(n->text, "=") == 0) == (strcmp(n->b->text, "TRUE") == 0))
		return x;
	return simplify_not(c, norm_mk2(c->ar, N_NOT, NULL, x, NULL));
}

/* date(ts) is ts::date: a call of a type's name with one argument is
 * PostgreSQL's function-style cast (deparsed as written, so apart). */
static struct node *
simplify_call_cast(struct nctx *c, struct node *n)
{
	static const char *const types[] = {
		"date", "text", "numeric", "int2", "int4", "int8", "float4",
		"float8", "bool", "timestamptz", "timestamp", "interval", "uuid",
		"jsonb", "json",
	};
	size_t i;

	if (c->d != CAT_PG || n->n != 1 || n->star || n->distinct)
		return n;
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(n->text, types[i]) == 0)
			return simplify_cast(c, norm_mk2(c->ar, N_CAST, norm_adopt(c->ar,
			    norm_type(CAT_PG, types[i])), n->v[0], NULL));
	return n;
}

/* One element of an array literal, double-quoted when it must be. */
static void
add_array_elem(struct sbuf *sb, const char *e)
{
	const char *s;

	if (*e != '\0' && strcasecmp(e, "null") != 0 && strpbrk(e, "{},\"\\ \t\n") == NULL) {
		sbuf_add(sb, e);
		return;
	}
	sbuf_addc(sb, '"');
	for (s = e; *s; s++) {
		if (*s == '"' || *s == '\\')
			sbuf_addc(sb, '\\');
		sbuf_addc(sb, *s);
	}
	sbuf_addc(sb, '"');
}

/* ARRAY[1, 2] is '{1,2}' (and ARRAY[]::text[] is '{}'): PostgreSQL keeps
 * whichever was written, and deparses '{a,b}' with a cast that is dropped
 * like every cast of a constant. Only arrays of plain constants. */
static struct node *
simplify_array(struct nctx *c, struct node *n)
{
	struct sbuf sb;
	const char *e;
	size_t i;

	if (c->d != CAT_PG)
		return n;
	for (i = 0; i < n->n; i++)
		if (n->v[i]->kind != N_NUM && n->v[i]->kind != N_NULL &&
		    (n->v[i]->kind != N_STR || string_content(c->ar, n->v[i]->text) == NULL))
			return n;
	sbuf_init(&sb);
	sbuf_addc(&sb, '{');
	for (i = 0; i < n->n; i++) {
		if (i > 0)
			sbuf_addc(&sb, ',');
		if (n->v[i]->kind == N_NULL)
			sbuf_add(&sb, "NULL");
		else
			add_array_elem(&sb, n->v[i]->kind == N_NUM ? n->v[i]->text :
			    string_content(c->ar, n->v[i]->text));
	}
	sbuf_addc(&sb, '}');
	e = norm_adopt(c->ar, sbuf_steal(&sb));
	return mk_string(c->ar, e);
}

/* Bottom-up: children first, then this node's own rewrite. */
struct node *
norm_simplify(struct nctx *c, struct node *n)
{
	if (n->kind == N_ANYALL)	/* needs the casts of its array intact */
		return simplify_anyall(c, n);
	simplify_children(c, n);
	switch (n->kind) {
	case N_CAST:	return simplify_cast(c, n);
	case N_NEG:	return simplify_neg(c, n);
	case N_NOT:	return simplify_not(c, n);
	case N_AND:
	case N_OR:	return simplify_chain(c, n);
	case N_BETWEEN:	return rewrite_between(c, n);
	case N_IN:	return simplify_in(c, n);
	case N_LIKE:	return simplify_like(c, n);
	case N_BINOP:	return simplify_cmp(c, n);
	case N_ARRAY:	return simplify_array(c, n);
	case N_FUNC:
		if (c->dflt && is_now(c, n))
			return norm_mk(c->ar, N_FUNC, "now");
		return simplify_call_cast(c, n);
	case N_VALUE:
		if (c->dflt && is_now(c, n))
			return norm_mk(c->ar, N_FUNC, "now");
		return n;
	default:
		return n;
	}
}

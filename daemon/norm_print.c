/* norm_print.c — a tree to its one canonical spelling (see norm_int.h).
 *
 * Keywords upper case, identifiers as the lexer folded them, and only the
 * parentheses precedence needs, so that the printed text parses back into
 * the same tree (the fixed-point property test_normalize checks). */
#include "config.h"

#include <stdbool.h>

#include "norm_int.h"

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
	enum prec prec = norm_binop_prec(n->text);

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
	case N_BETWEEN:	/* rewritten by norm_simplify(); printed only for safety */
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
	bool paren = norm_node_prec(n) < min;

	if (paren)
		sbuf_addc(sb, '(');
	print_bare(sb, n);
	if (paren)
		sbuf_addc(sb, ')');
}

char *
norm_print_tree(const struct node *n)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	print_node(&sb, n, P_NONE);
	return sbuf_steal(&sb);
}

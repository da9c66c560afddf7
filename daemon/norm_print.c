/* norm_print.c — a tree to its one canonical spelling (see norm_int.h).
 *
 * Keywords upper case, identifiers as the lexer folded them, and only the
 * parentheses precedence needs, so that the printed text parses back into
 * the same tree (the fixed-point property test_normalize checks). */
#include "config.h"

#include <stdbool.h>

#include "norm_int.h"

/* ---- printer -------------------------------------------------------------- */

/* The output, and how much of it may still be written: rewrites share
 * subtrees (BETWEEN uses its operand twice), so a printed tree can be
 * exponentially longer than its text ("x BETWEEN a AND b BETWEEN a AND b
 * ..."). Printing stops at the budget instead of filling the memory. */
struct pr {
	struct sbuf	 sb;
	size_t		 limit;
	bool		 over;
};

static void print_node(struct pr *, const struct node *, enum prec);

static void
print_list(struct pr *pr, struct node *const *v, size_t n, const char *sep,
    enum prec prec)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_add(&pr->sb, sep);
		print_node(pr, v[i], prec);
	}
}

static void
print_func(struct pr *pr, const struct node *n)
{
	sbuf_printf(&pr->sb, "%s(", n->text);
	if (n->star)
		sbuf_addc(&pr->sb, '*');
	if (n->distinct)
		sbuf_add(&pr->sb, "DISTINCT ");
	print_list(pr, n->v, n->n, ", ", P_NONE);
	sbuf_addc(&pr->sb, ')');
}

static void
print_case(struct pr *pr, const struct node *n)
{
	size_t i;

	sbuf_add(&pr->sb, "CASE");
	if (n->a) {
		sbuf_addc(&pr->sb, ' ');
		print_node(pr, n->a, P_NONE);
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		sbuf_add(&pr->sb, " WHEN ");
		print_node(pr, n->v[i], P_NONE);
		sbuf_add(&pr->sb, " THEN ");
		print_node(pr, n->v[i + 1], P_NONE);
	}
	if (n->c) {
		sbuf_add(&pr->sb, " ELSE ");
		print_node(pr, n->c, P_NONE);
	}
	sbuf_add(&pr->sb, " END");
}

static void
print_binop(struct pr *pr, const struct node *n)
{
	enum prec prec = norm_binop_prec(n->text);

	print_node(pr, n->a, prec);
	sbuf_printf(&pr->sb, " %s ", n->text);
	print_node(pr, n->b, prec + 1);
}

static void
print_like(struct pr *pr, const struct node *n)
{
	print_node(pr, n->a, P_PRED + 1);
	sbuf_printf(&pr->sb, " %s%s ", n->neg ? "NOT " : "", n->text);
	print_node(pr, n->b, P_OTHER);
	if (n->c) {
		sbuf_add(&pr->sb, " ESCAPE ");
		print_node(pr, n->c, P_OTHER);
	}
}

static void
print_bare(struct pr *pr, const struct node *n)
{
	switch (n->kind) {
	case N_STR: case N_NUM: case N_NULL: case N_BOOL: case N_VALUE:
	case N_COL:
		sbuf_add(&pr->sb, n->text);
		break;
	case N_FUNC:	print_func(pr, n); break;
	case N_CASE:	print_case(pr, n); break;
	case N_BINOP:	print_binop(pr, n); break;
	case N_LIKE:	print_like(pr, n); break;
	case N_NOT:
		sbuf_add(&pr->sb, "NOT ");
		print_node(pr, n->a, P_NOT);
		break;
	case N_NEG:
		sbuf_addc(&pr->sb, '-');
		print_node(pr, n->a, P_UNARY + 1);
		break;
	case N_AND:	print_list(pr, n->v, n->n, " AND ", P_AND + 1); break;
	case N_OR:	print_list(pr, n->v, n->n, " OR ", P_OR + 1); break;
	case N_IS:
		print_node(pr, n->a, P_IS);
		sbuf_printf(&pr->sb, " IS %s%s", n->neg ? "NOT " : "", n->text);
		break;
	case N_DISTINCT:
		print_node(pr, n->a, P_IS);
		sbuf_printf(&pr->sb, " IS %sDISTINCT FROM ", n->neg ? "NOT " : "");
		print_node(pr, n->b, P_IS + 1);
		break;
	case N_IN:
		print_node(pr, n->a, P_PRED + 1);
		sbuf_add(&pr->sb, n->neg ? " NOT IN (" : " IN (");
		print_list(pr, n->v, n->n, ", ", P_NONE);
		sbuf_addc(&pr->sb, ')');
		break;
	case N_BETWEEN:	/* rewritten by norm_simplify(); printed only for safety */
		print_node(pr, n->a, P_PRED + 1);
		sbuf_add(&pr->sb, n->neg ? " NOT BETWEEN " : " BETWEEN ");
		print_node(pr, n->b, P_OTHER);
		sbuf_add(&pr->sb, " AND ");
		print_node(pr, n->c, P_OTHER);
		break;
	case N_ANYALL:
		print_node(pr, n->a, P_CMP);
		sbuf_printf(&pr->sb, " %s %s (", n->text, n->neg ? "ALL" : "ANY");
		print_node(pr, n->b, P_NONE);
		sbuf_addc(&pr->sb, ')');
		break;
	case N_CAST:
		sbuf_add(&pr->sb, "CAST(");
		print_node(pr, n->a, P_NONE);
		sbuf_printf(&pr->sb, " AS %s)", n->text);
		break;
	case N_COLLATE:
		print_node(pr, n->a, P_POSTFIX);
		sbuf_printf(&pr->sb, " COLLATE %s", n->text);
		break;
	case N_SUBSCRIPT:
		print_node(pr, n->a, P_POSTFIX);
		sbuf_addc(&pr->sb, '[');
		print_node(pr, n->b, P_NONE);
		sbuf_addc(&pr->sb, ']');
		break;
	case N_ARRAY:
		sbuf_add(&pr->sb, "ARRAY[");
		print_list(pr, n->v, n->n, ", ", P_NONE);
		sbuf_addc(&pr->sb, ']');
		break;
	}
}

static void
print_node(struct pr *pr, const struct node *n, enum prec min)
{
	bool paren = norm_node_prec(n) < min;

	if (pr->sb.len > pr->limit)
		pr->over = true;
	if (pr->over)
		return;
	if (paren)
		sbuf_addc(&pr->sb, '(');
	print_bare(pr, n);
	if (paren)
		sbuf_addc(&pr->sb, ')');
}

char *
norm_print_tree(const struct node *n, size_t *budget)
{
	struct pr pr = { .limit = *budget };

	sbuf_init(&pr.sb);
	sbuf_add(&pr.sb, "");
	print_node(&pr, n, P_NONE);
	if (pr.over || pr.sb.len > pr.limit) {
		sbuf_free(&pr.sb);
		*budget = 0;
		return NULL;
	}
	*budget -= pr.sb.len;
	return sbuf_steal(&pr.sb);
}

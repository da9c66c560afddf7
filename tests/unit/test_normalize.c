/* Unit tests for normalize.c, driven by tests/unit/normalize.cases.
 *
 * The data file is read from argv[1], else $SW_SRCDIR/tests/unit/; its
 * header explains the line format. Every "norm" case is also checked to be
 * a fixed point (normalizing the canonical form again changes nothing), which
 * is what makes string equality of canonical forms a sound comparison. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "tap.h"
#include "util.h"

#define SEP	";;"

struct tcase {
	int		 line;
	char		 kind[16], dialect[16], func[16];
	char		*x, *y;
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* "\\n" in a field is a newline: deparsed CASE spans lines. */
static char *
unescape(char *s)
{
	char *r, *w;

	for (r = w = s; *r; r++, w++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w = '\n';
			r++;
		} else
			*w = *r;
	}
	*w = '\0';
	return s;
}

/* A TAP description must stay on one line. */
static const char *
one_line(char *what)
{
	char *s;

	for (s = what; *s; s++)
		if (*s == '\n')
			*s = ' ';
	return what;
}

static int
dialect_of(const char *name, enum cat_dialect *d)
{
	if (strcmp(name, "pg") == 0 || strcmp(name, "-") == 0)
		*d = CAT_PG;
	else if (strcmp(name, "sqlite") == 0)
		*d = CAT_SQLITE;
	else
		return -1;
	return 0;
}

/* The string-returning functions, by the name the data file uses. Returns
 * -1 for an unknown name. */
static int
run_str(const char *func, enum cat_dialect d, const char *in, char **out)
{
	if (strcmp(func, "expr") == 0)
		*out = norm_expr(d, in);
	else if (strcmp(func, "default") == 0)
		*out = norm_default(d, in);
	else if (strcmp(func, "type") == 0)
		*out = norm_type(d, in);
	else if (strcmp(func, "ident") == 0)
		*out = norm_ident(in);
	else if (strcmp(func, "logical") == 0 || strcmp(func, "pgsqlite") == 0) {
		const char *r = func[0] == 'l' ? norm_type_logical(d, in) :
		    norm_type_pg_to_sqlite(in);

		*out = xstrdup(r ? r : "<NULL>");
	} else
		return -1;
	return 0;
}

static bool
is_const_func(const char *func)
{
	return strcmp(func, "logical") == 0 || strcmp(func, "pgsqlite") == 0;
}

static void
check_norm(const struct tcase *c, enum cat_dialect d)
{
	char what[512], *got = NULL, *again = NULL;

	snprintf(what, sizeof what, "line %d: %s %s \"%s\"", c->line, c->dialect,
	    c->func, c->x);
	run_str(c->func, d, c->x, &got);
	ok(got != NULL, one_line(what));
	is_str(got, c->y, what);
	if (got != NULL && !is_const_func(c->func)) {
		run_str(c->func, d, got, &again);
		snprintf(what, sizeof what, "line %d: canonical form is a fixed point",
		    c->line);
		is_str(again, got, what);
	}
	free(got);
	free(again);
}

/* equal/differ in one dialect; xequal/xdiffer: x is PostgreSQL, y SQLite. */
static void
check_pair(const struct tcase *c, enum cat_dialect d, bool cross)
{
	bool want_equal = strcmp(c->kind, "equal") == 0 || strcmp(c->kind, "xequal") == 0;
	char what[512], *a = NULL, *b = NULL;

	run_str(c->func, cross ? CAT_PG : d, c->x, &a);
	run_str(c->func, cross ? CAT_SQLITE : d, c->y, &b);
	snprintf(what, sizeof what, "line %d: %s %s \"%s\" %s \"%s\"", c->line,
	    c->dialect, c->func, c->x, want_equal ? "==" : "!=", c->y);
	one_line(what);
	if (want_equal)
		is_str(a, b, what);
	else if (!ok(a && b && strcmp(a, b) != 0, what))
		printf("#   both: \"%s\"\n", a ? a : "NULL");
	free(a);
	free(b);
}

static void
run_case(const struct tcase *c)
{
	enum cat_dialect d = CAT_PG;
	bool cross = c->kind[0] == 'x';
	char what[64], *probe = NULL;

	snprintf(what, sizeof what, "line %d is well-formed", c->line);
	if ((!cross && dialect_of(c->dialect, &d) != 0) ||
	    run_str(c->func, d, "x", &probe) != 0) {
		ok(0, what);
		return;
	}
	free(probe);
	if (strcmp(c->kind, "norm") == 0)
		check_norm(c, d);
	else if (strcmp(c->kind, "equal") == 0 || strcmp(c->kind, "differ") == 0 ||
	    strcmp(c->kind, "xequal") == 0 || strcmp(c->kind, "xdiffer") == 0)
		check_pair(c, d, cross);
	else
		ok(0, what);
}

/* "<kind> <dialect> <func> ;; x ;; y"; cross-dialect kinds have no dialect. */
static int
parse_line(char *line, int lineno, struct tcase *c)
{
	char *s1, *s2, *head = line;
	int n;

	memset(c, 0, sizeof *c);
	c->line = lineno;
	if ((s1 = strstr(line, SEP)) == NULL || (s2 = strstr(s1 + 2, SEP)) == NULL ||
	    strstr(s2 + 2, SEP) != NULL)
		return -1;
	*s1 = *s2 = '\0';
	c->x = unescape(trim(s1 + 2));
	c->y = unescape(trim(s2 + 2));
	if (head[0] == 'x') {
		n = sscanf(head, "%15s %15s", c->kind, c->func);
		strcpy(c->dialect, "pg/sqlite");
		return n == 2 ? 0 : -1;
	}
	n = sscanf(head, "%15s %15s %15s", c->kind, c->dialect, c->func);
	return n == 3 ? 0 : -1;
}

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096], *s;
	struct tcase c;
	int lineno = 0, ncases = 0;

	if (!ok(f != NULL, "the cases file opens"))
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		ncases++;
		if (parse_line(s, lineno, &c) != 0) {
			char what[64];

			snprintf(what, sizeof what, "line %d is well-formed", lineno);
			ok(0, what);
			continue;
		}
		run_case(&c);
	}
	fclose(f);
	return ncases;
}

/* What the data file cannot say (its fields are trimmed): blanks at the end
 * inside a quote left open are kept, so that the form is a fixed point
 * (found by fuzz_normalize: "#\"Lo\"\"o\"\"`  " lost one blank per pass). */
static void
test_open_quote_blanks(void)
{
	char *out, *again;

	out = norm_ident("#\"Lo\"\"o\"\"`  ");
	again = norm_ident(out);
	is_str(out, "#\"Lo\"\"o\"\"`  ", "an identifier ending in an open quote keeps its blanks");
	is_str(again, out, "... and is a fixed point");
	free(again);
	free(out);
	out = norm_expr(CAT_SQLITE, "x = 'open   ");
	is_str(out, "unparsable (unterminated string): x = 'open   ",
	    "an expression ending in an open string keeps its blanks");
	free(out);
}

/* What the data file cannot say: NULL in, NULL out. */
static void
test_null_input(void)
{
	ok(norm_expr(CAT_PG, NULL) == NULL, "norm_expr(NULL) is NULL");
	ok(norm_default(CAT_SQLITE, NULL) == NULL, "norm_default(NULL) is NULL");
	ok(norm_type(CAT_PG, NULL) == NULL, "norm_type(NULL) is NULL");
	ok(norm_ident(NULL) == NULL, "norm_ident(NULL) is NULL");
	ok(norm_type_logical(CAT_PG, NULL) == NULL, "norm_type_logical(NULL) is NULL");
	ok(norm_type_pg_to_sqlite(NULL) == NULL, "norm_type_pg_to_sqlite(NULL) is NULL");
}

/* `n` copies of `rep` between `head` and `tail`. */
static char *
repeat(const char *head, const char *rep, size_t n, const char *tail)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_add(&sb, head);
	while (n-- > 0)
		sbuf_add(&sb, rep);
	sbuf_add(&sb, tail);
	return sbuf_steal(&sb);
}

static bool
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

#define TOO_DEEP	"unparsable (too deeply nested): "

/* Deep nesting, in every shape the grammar allows, ends as "too deeply
 * nested" (a stack overflow before: recursion per level in the parser, the
 * rewrites and the printer), and the text is kept. */
static void
test_deep_nesting(void)
{
	static const struct {
		const char	*head, *rep, *tail, *what;
		size_t		 n;
	} deep[] = {
		{ "", "(", "x", "5000 nested parentheses", 5000 },
		{ "", "- ", "1", "a million unary minus signs", 1000000 },
		{ "", "NOT ", "x", "100,000 NOTs", 100000 },
		{ "a", " + a", "", "a + a + ... (100,000 terms, left-deep)", 100000 },
		{ "x", "::int", "", "100,000 casts in a row", 100000 },
		{ "x", " IS NULL", "", "x IS NULL IS NULL ... (10,000)", 10000 },
		{ "", "f(", "x", "10,000 nested calls", 10000 },
		{ "", "CASE WHEN a THEN ", "b", "1,000 nested CASEs", 1000 },
		{ "", "ARRAY[", "1", "10,000 nested ARRAYs", 10000 },
		{ "x", " BETWEEN a AND b", "", "x BETWEEN .. BETWEEN .. (10,000)", 10000 },
	};
	char *in, *out, *want, what[128];
	size_t i;

	for (i = 0; i < sizeof deep / sizeof deep[0]; i++) {
		in = repeat(deep[i].head, deep[i].rep, deep[i].n, deep[i].tail);
		out = norm_expr(i % 2 ? CAT_SQLITE : CAT_PG, in);
		snprintf(what, sizeof what, "%s: too deeply nested", deep[i].what);
		ok(starts(out, TOO_DEEP), what);
		free(out);
		free(in);
	}
	/* the text itself is kept after the reason */
	in = repeat("", "(", 5000, "x");
	out = norm_expr(CAT_PG, in);
	want = xasprintf(TOO_DEEP "%s", in);
	is_str(out, want, "5000 nested parentheses: the text follows the reason");
	free(want);
	free(out);
	free(in);
	/* As deep as allowed: the canonical form, parentheses and all, parses
	 * again into itself (found by fuzzing: "a LIKE b LIKE c ..." printed
	 * with a parenthesis per level was deeper than the parser allowed). */
	{
		static const struct {
			const char	*head, *rep, *tail;
			size_t		 n;	/* levels of the tree: n or 2n */
		} chain[] = {
			{ "a", " LIKE b", "", 250 }, { "a", " ~* b", "", 250 },
			{ "", "b - (", "c", 250 }, { "a", " IS NULL", "", 250 },
			{ "", "NOT (a AND ", "b", 125 },
		};
		size_t k;

		for (k = 0; k < sizeof chain / sizeof chain[0]; k++) {
			char *again;

			in = repeat(chain[k].head, chain[k].rep, chain[k].n, chain[k].tail);
			if (chain[k].head[0] == '\0') {	/* close what was opened */
				want = repeat(in, ")", chain[k].n, "");
				free(in);
				in = want;
			}
			out = norm_expr(CAT_PG, in);
			again = norm_expr(CAT_PG, out);
			snprintf(what, sizeof what, "%zu x \"%s\": parsed, a fixed point",
			    chain[k].n, chain[k].rep);
			ok(!starts(out, "unparsable") && strcmp(out, again) == 0, what);
			free(again);
			free(out);
			free(in);
		}
	}
	/* what real expressions nest still parses */
	in = repeat("", "(", 50, "x = 1");
	want = repeat(in, ")", 50, "");
	free(in);
	in = want;
	out = norm_expr(CAT_PG, in);
	is_str(out, "x = 1", "50 nested parentheses parse");
	free(out);
	free(in);
}

/* Rewrites share subtrees (BETWEEN's operand is used twice), so a printed
 * form could be exponentially longer than its text: 60 BETWEENs in a row
 * were 2^60 bytes. What would be far longer than the text is "too large". */
static void
test_blowup(void)
{
	char *in, *out, *elem;

	in = repeat("x", " BETWEEN a AND b", 60, "");
	out = norm_expr(CAT_SQLITE, in);
	ok(starts(out, "unparsable (too large): x between a and b"),
	    "60 BETWEENs in a row: too large, not 2^60 bytes");
	free(out);
	free(in);
	/* the budget is for the whole text, not per IN value */
	elem = repeat("(y", " BETWEEN a AND b", 14, "), ");
	in = repeat("x IN (", elem, 2000, "0)");
	out = norm_expr(CAT_SQLITE, in);
	ok(starts(out, "unparsable (too large): "),
	    "2,000 IN values that each print 100 times their size: too large");
	free(out);
	free(in);
	free(elem);
	/* what real rewrites make stays well inside */
	in = repeat("x", " BETWEEN a AND b", 3, "");
	out = norm_expr(CAT_SQLITE, in);
	ok(!starts(out, "unparsable"), "3 BETWEENs in a row are rewritten");
	free(out);
	free(in);
}

/* Long input that is not deep: linear (or n log n) work, the right result. */
static void
test_long_input(void)
{
	char *in, *out, *want;

	/* 100,000 IN values: sorted once, not compared pairwise */
	in = repeat("x IN (", "1, ", 99999, "0)");
	out = norm_expr(CAT_PG, in);
	ok(starts(out, "x IN (0, 1, 1, ") && out[strlen(out) - 1] == ')',
	    "100,000 IN values are parsed and sorted");
	free(out);
	free(in);
	/* a flat AND of 100,000 operands is a list, not a deep tree */
	in = repeat("a", " AND a", 99999, "");
	out = norm_expr(CAT_SQLITE, in);
	is_str(out, in, "a AND a AND ... (100,000 operands)");
	free(out);
	free(in);
	/* a 1 MB identifier */
	in = repeat("", "a", 1 << 20, "");
	out = norm_expr(CAT_PG, in);
	is_str(out, in, "a 1 MB identifier");
	free(out);
	free(in);
	/* a.a.a... with 100,000 parts (was quadratic: a copy per part) */
	in = repeat("a", ".a", 99999, "");
	out = norm_expr(CAT_PG, in);
	is_str(out, in, "a name of 100,000 dotted parts");
	free(out);
	free(in);
	/* an array element with 100,000 trailing spaces (was quadratic) */
	in = repeat("x = ANY ('{a", " ", 100000, "}'::text[])");
	out = norm_expr(CAT_PG, in);
	is_str(out, "x = 'a'", "an array element with 100,000 trailing spaces");
	free(out);
	free(in);
	/* 100,000 IN values of 100,000 ANY-array elements */
	in = repeat("x = ANY ('{", "b,", 99999, "a}'::text[])");
	out = norm_expr(CAT_PG, in);
	want = repeat("x IN ('a', ", "'b', ", 99998, "'b')");
	is_str(out, want, "= ANY of a 100,000-element array literal");
	free(want);
	free(out);
	free(in);
}

/* An unparsable expression is counted once per place and text (and logged
 * then, to stderr before log_init); a parsed one is never counted. */
static void
test_note_unparsable(void)
{
	uint64_t before = norm_unparsable_total();
	char *bad = norm_expr(CAT_PG, "a !! b"), *good = norm_expr(CAT_PG, "a > 0");

	norm_note_unparsable("t.chk check", good);
	ok(norm_unparsable_total() == before, "a parsed expression is not counted");
	norm_note_unparsable("t.chk check", bad);
	ok(norm_unparsable_total() == before + 1, "an unparsable one is counted");
	norm_note_unparsable("t.chk check", bad);
	ok(norm_unparsable_total() == before + 1, "the same place and text: once");
	norm_note_unparsable("u.chk check", bad);
	ok(norm_unparsable_total() == before + 2, "another place: counted again");
	free(bad);
	free(good);
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("SW_SRCDIR");
	char *path;
	int ncases;

	if (argc > 1)
		path = xstrdup(argv[1]);
	else
		path = xasprintf("%s/tests/unit/normalize.cases", srcdir ? srcdir : ".");
	ncases = run_file(path);
	ok(ncases >= 80, "the cases file holds at least 80 cases");
	free(path);
	test_null_input();
	test_open_quote_blanks();
	test_deep_nesting();
	test_long_input();
	test_blowup();
	test_note_unparsable();
	return tap_done();
}

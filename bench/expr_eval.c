/* bench/expr_eval.c — which expression comparison gives the better verdicts:
 * normalize.c (the hand-written parser behind normalize.h) or libpg_query
 * (PostgreSQL 15's own parser, Debian 12's libpg-query-dev 15-4.0.0)?
 *
 *   expr_eval FILE.cases...        (format of tests/unit/normalize.cases)
 *
 * Reads pairs ("equal" and "norm" lines: the two texts mean the same;
 * "differ": they do not; "xequal"/"xdiffer": a PostgreSQL text against a
 * SQLite one) and, for each approach, counts the right verdicts, the wrong
 * ones, and the pairs it could not judge because a side did not parse (the
 * unparsable policy: such a pair is never a verdict). Also counts, per
 * dialect, how many distinct texts each approach parses at all ("parse"
 * lines: a text alone, e.g. the fuzz corpus's).
 *
 * The libpg_query side is a fair attempt at what an integration would do:
 * parse "SELECT <expr>" to the JSON tree, drop locations, then the same
 * canonicalizing rewrites normalize.c does (deparse casts on constants and on
 * varchar columns, IN / = ANY (ARRAY[..]) / = ANY ('{..}') as one sorted
 * list, BETWEEN as two comparisons, LIKE as ~~, NOT over IS NULL / IN / =,
 * AND/OR flattened, pg_catalog. and SQL-syntax function forms dropped so
 * that AT TIME ZONE is timezone(), the "now" family for defaults). The
 * canonical form is the tree printed with sorted keys. Not part of the
 * daemon: built and run by bench/expr-eval.sh. */
#define _GNU_SOURCE	/* asprintf */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pg_query.h>

#include "normalize.h"

/* ---- libpg_query canonical form ------------------------------------------ */

static json_t *canon(json_t *n, bool dflt);

/* The node's only key and its value: {"A_Expr": {...}} -> "A_Expr". */
static const char *
kind(json_t *n, json_t **body)
{
	const char *k;
	json_t *v;

	if (!json_is_object(n) || json_object_size(n) != 1)
		return "";
	json_object_foreach(n, k, v) {
		*body = v;
		return k;
	}
	return "";
}

static const char *
sval(json_t *s)		/* {"String":{"sval":"x"}} -> "x" */
{
	json_t *b;

	if (strcmp(kind(s, &b), "String") != 0)
		return "";
	return json_string_value(json_object_get(b, "sval")) ?
	    json_string_value(json_object_get(b, "sval")) : "";
}

/* libpg_query 15-4.0.0 writes every integer constant <= 0 as {"ival":{}}
 * (pganalyze/libpg_query#243, fixed upstream in 2024, not in Debian 12):
 * x > -5 and x > 0 would be one tree. Read the value back from the text at
 * the constant's location, before locations are dropped. */
static void
fix_ival(json_t *n, const char *src)
{
	const char *k;
	json_t *v, *iv, *loc;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			fix_ival(v, src);
		return;
	}
	if (!json_is_object(n))
		return;
	if ((iv = json_object_get(n, "ival")) && json_is_object(iv) &&
	    json_object_size(iv) == 0 &&
	    (loc = json_object_get(n, "location")) != NULL)
		json_object_set_new(iv, "ival", json_integer(
		    strtol(src + json_integer_value(loc), NULL, 10)));
	json_object_foreach(n, k, v)
		fix_ival(v, src);
}

static void
strip_locations(json_t *n)
{
	const char *k;
	void *tmp;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			strip_locations(v);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach_safe(n, tmp, k, v) {
		if (strcmp(k, "location") == 0 || strcmp(k, "funcformat") == 0)
			json_object_del(n, k);
		else
			strip_locations(v);
	}
}

/* A dotted name list without a leading pg_catalog. */
static void
drop_pg_catalog(json_t *names)
{
	if (json_array_size(names) > 1 &&
	    strcmp(sval(json_array_get(names, 0)), "pg_catalog") == 0)
		json_array_remove(names, 0);
}

static const char *
type_name(json_t *tn)
{
	json_t *names = json_object_get(tn, "names");

	drop_pg_catalog(names);
	return sval(json_array_get(names, json_array_size(names) - 1));
}

static bool
is_numeric_type(const char *t)
{
	static const char *const ts[] = { "int2", "int4", "int8", "numeric",
	    "float4", "float8", NULL };
	for (int i = 0; ts[i]; i++)
		if (strcmp(t, ts[i]) == 0)
			return true;
	return false;
}

static json_t *
mk_str(const char *s)
{
	return json_pack("{s:{s:{s:s}}}", "A_Const", "sval", "sval", s);
}

/* '5'::int4 -> the number 5; another cast of a constant -> the constant. */
static json_t *
cast_const(json_t *c, const char *type)
{
	json_t *sv = json_object_get(c, "sval");
	const char *s;
	char *end;

	if (sv == NULL || !is_numeric_type(type))
		return json_pack("{s:O}", "A_Const", c);
	s = json_string_value(json_object_get(sv, "sval"));
	if (s == NULL || *s == '\0')
		return json_pack("{s:O}", "A_Const", c);
	(void)strtod(s, &end);
	if (*end != '\0')
		return json_pack("{s:O}", "A_Const", c);
	if (strchr(s, '.') || strchr(s, 'e') || strchr(s, 'E'))
		return json_pack("{s:{s:{s:s}}}", "A_Const", "fval", "fval", s);
	return json_pack("{s:{s:{s:I}}}", "A_Const", "ival", "ival",
	    (json_int_t)strtoll(s, NULL, 10));
}

/* '{a,"b c",NULL}' -> its elements as constants; NULL when malformed. */
static json_t *
array_literal(const char *s)
{
	json_t *items = json_array();
	char buf[4096];
	size_t n;

	if (*s++ != '{')
		goto bad;
	while (*s && *s != '}') {
		bool q;

		while (*s == ' ')
			s++;
		q = *s == '"';
		n = 0;
		s += q;
		while (*s && (q ? *s != '"' : (*s != ',' && *s != '}')) &&
		    n + 1 < sizeof buf) {
			if (*s == '\\' && s[1])
				s++;
			buf[n++] = *s++;
		}
		buf[n] = '\0';
		if (q && *s++ != '"')
			goto bad;
		while (!q && n > 0 && buf[n - 1] == ' ')
			buf[--n] = '\0';
		while (*s == ' ')
			s++;
		json_array_append_new(items, !q && strcmp(buf, "NULL") == 0 ?
		    json_pack("{s:{s:b}}", "A_Const", "isnull", 1) : mk_str(buf));
		if (*s == ',')
			s++;
	}
	if (*s != '}')
		goto bad;
	return items;
bad:
	json_decref(items);
	return NULL;
}

static int
cmp_dump(const void *a, const void *b)
{
	char *x = json_dumps(*(json_t *const *)a, JSON_SORT_KEYS | JSON_COMPACT);
	char *y = json_dumps(*(json_t *const *)b, JSON_SORT_KEYS | JSON_COMPACT);
	int r = strcmp(x, y);

	free(x);
	free(y);
	return r;
}

/* The IN list as one canonical node, elements sorted: {"IN":{...}}. */
static json_t *
mk_in(json_t *lhs, json_t *items, bool neg)
{
	size_t n = json_array_size(items), i;
	json_t **v = calloc(n + 1, sizeof *v), *sorted = json_array();

	for (i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	qsort(v, n, sizeof *v, cmp_dump);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	if (n == 1) {		/* x IN (a) is x = a */
		json_t *r = json_pack("{s:{s:s,s:[{s:{s:s}}],s:O,s:O}}",
		    "A_Expr", "kind", "AEXPR_OP", "name", "String", "sval",
		    neg ? "<>" : "=", "lexpr", lhs, "rexpr", json_array_get(sorted, 0));
		json_decref(sorted);
		return r;
	}
	return json_pack("{s:{s:O,s:o,s:b}}", "IN", "lhs", lhs, "items", sorted,
	    "neg", neg);
}

static json_t *
mk_op(const char *op, json_t *l, json_t *r)
{
	json_t *e = json_pack("{s:{s:s,s:[{s:{s:s}}],s:O}}", "A_Expr", "kind",
	    "AEXPR_OP", "name", "String", "sval", op, "rexpr", r);

	if (l != NULL)		/* NULL: a prefix operator, -x */
		json_object_set(json_object_get(e, "A_Expr"), "lexpr", l);
	return e;
}

static json_t *
mk_bool(const char *op, json_t *a, json_t *b)
{
	return json_pack("{s:{s:s,s:[o,o]}}", "BoolExpr", "boolop", op, "args",
	    a, b);
}

/* The elements of the right side of = ANY: ARRAY[..] or '{..}', casts gone. */
static json_t *
any_items(json_t *r)
{
	json_t *b;
	const char *k = kind(r, &b);

	if (strcmp(k, "A_ArrayExpr") == 0)
		return json_incref(json_object_get(b, "elements") ?
		    json_object_get(b, "elements") : json_array());
	if (strcmp(k, "A_Const") == 0 && json_object_get(b, "sval")) {
		json_t *items = array_literal(json_string_value(json_object_get(
		    json_object_get(b, "sval"), "sval"))), *typed, *it, *ib;
		size_t i;

		if (items == NULL || !json_is_true(json_object_get(b, "numeric")))
			return items;
		typed = json_array();
		json_array_foreach(items, i, it) {
			kind(it, &ib);
			json_array_append_new(typed, cast_const(ib, "numeric"));
		}
		json_decref(items);
		return typed;
	}
	return NULL;
}

static json_t *
canon_aexpr(json_t *b, bool dflt)
{
	const char *k = json_string_value(json_object_get(b, "kind"));
	const char *op = sval(json_array_get(json_object_get(b, "name"), 0));
	json_t *l = json_object_get(b, "lexpr"), *r = json_object_get(b, "rexpr");
	json_t *items, *res;

	(void)dflt;
	if (strcmp(k, "AEXPR_LIKE") == 0 || strcmp(k, "AEXPR_ILIKE") == 0 ||
	    strcmp(k, "AEXPR_SIMILAR") == 0)
		json_object_set_new(b, "kind", json_string(k = "AEXPR_OP"));
	if (strcmp(op, "!=") == 0)
		op = "<>";
	if (strcmp(op, "==") == 0)	/* SQLite's spelling of = */
		op = "=";
	if (strcmp(op, "+") == 0 && l == NULL)	/* +5 is 5 */
		return json_incref(r);
	if (strcmp(k, "AEXPR_OP") == 0)
		return mk_op(op, l, r);
	if (strcmp(k, "AEXPR_IN") == 0)
		return mk_in(l, json_object_get(json_object_get(r, "List"), "items"),
		    strcmp(op, "<>") == 0);
	if ((strcmp(k, "AEXPR_OP_ANY") == 0 && strcmp(op, "=") == 0) ||
	    (strcmp(k, "AEXPR_OP_ALL") == 0 && strcmp(op, "<>") == 0)) {
		if ((items = any_items(r)) != NULL) {
			res = mk_in(l, items, op[0] == '<');
			json_decref(items);
			return res;
		}
	}
	if (strncmp(k, "AEXPR_BETWEEN", 13) == 0 ||
	    strncmp(k, "AEXPR_NOT_BETWEEN", 17) == 0) {
		json_t *lo = json_array_get(json_object_get(json_object_get(r,
		    "List"), "items"), 0), *hi = json_array_get(json_object_get(
		    json_object_get(r, "List"), "items"), 1);
		bool neg = strstr(k, "NOT") != NULL;
		json_t *one = neg ? mk_bool("OR_EXPR", mk_op("<", l, lo),
		    mk_op(">", l, hi)) : mk_bool("AND_EXPR", mk_op(">=", l, lo),
		    mk_op("<=", l, hi));
		if (strstr(k, "SYM") == NULL)
			return one;
		return mk_bool(neg ? "AND_EXPR" : "OR_EXPR", one, neg ?
		    mk_bool("OR_EXPR", mk_op("<", l, hi), mk_op(">", l, lo)) :
		    mk_bool("AND_EXPR", mk_op(">=", l, hi), mk_op("<=", l, lo)));
	}
	json_object_set_new(b, "name", json_pack("[{s:{s:s}}]", "String",
	    "sval", op));
	return json_pack("{s:O}", "A_Expr", b);
}

/* NOT x: NOT NOT x is x, NOT (x IS NULL) is x IS NOT NULL, NOT IN, <>. */
static json_t *
canon_not(json_t *arg)
{
	json_t *b;
	const char *k = kind(arg, &b);

	if (strcmp(k, "BoolExpr") == 0 && strcmp(json_string_value(
	    json_object_get(b, "boolop")), "NOT_EXPR") == 0)
		return json_incref(json_array_get(json_object_get(b, "args"), 0));
	if (strcmp(k, "NullTest") == 0) {
		const char *t = json_string_value(json_object_get(b, "nulltesttype"));
		json_t *r = json_deep_copy(arg);
		json_object_set_new(json_object_get(r, "NullTest"), "nulltesttype",
		    json_string(strcmp(t, "IS_NULL") == 0 ? "IS_NOT_NULL" : "IS_NULL"));
		return r;
	}
	if (strcmp(k, "IN") == 0) {
		json_t *r = json_deep_copy(arg);
		json_object_set_new(json_object_get(r, "IN"), "neg", json_boolean(
		    !json_is_true(json_object_get(b, "neg"))));
		return r;
	}
	if (strcmp(k, "A_Expr") == 0 && strcmp(sval(json_array_get(
	    json_object_get(b, "name"), 0)), "=") == 0 &&
	    strcmp(json_string_value(json_object_get(b, "kind")), "AEXPR_OP") == 0)
		return mk_op("<>", json_object_get(b, "lexpr"),
		    json_object_get(b, "rexpr"));
	return json_pack("{s:{s:s,s:[O]}}", "BoolExpr", "boolop", "NOT_EXPR",
	    "args", arg);
}

/* AND inside AND (OR inside OR) is one list: a AND (b AND c). */
static json_t *
canon_bool(json_t *b)
{
	const char *op = json_string_value(json_object_get(b, "boolop"));
	json_t *args = json_object_get(b, "args"), *flat = json_array(), *a, *ab;
	size_t i;

	if (strcmp(op, "NOT_EXPR") == 0) {
		json_decref(flat);
		return canon_not(json_array_get(args, 0));
	}
	json_array_foreach(args, i, a) {
		if (strcmp(kind(a, &ab), "BoolExpr") == 0 && strcmp(op,
		    json_string_value(json_object_get(ab, "boolop"))) == 0)
			json_array_extend(flat, json_object_get(ab, "args"));
		else
			json_array_append(flat, a);
	}
	return json_pack("{s:{s:s,s:o}}", "BoolExpr", "boolop", op, "args", flat);
}

static json_t *
canon_cast(json_t *b)
{
	json_t *arg = json_object_get(b, "arg"), *ab;
	const char *t = type_name(json_object_get(b, "typeName"));
	const char *k = kind(arg, &ab);

	/* '{1,2}'::int4[]: the elements are numbers (see any_items) */
	if (strcmp(k, "A_Const") == 0 && json_object_get(json_object_get(b,
	    "typeName"), "arrayBounds") && json_object_get(ab, "sval"))
		return is_numeric_type(t) ? json_pack("{s:{s:O,s:b}}", "A_Const",
		    "sval", json_object_get(ab, "sval"), "numeric", 1) :
		    json_pack("{s:O}", "A_Const", ab);
	if (strcmp(k, "A_Const") == 0)
		return cast_const(ab, t);
	if (strcmp(k, "A_ArrayExpr") == 0)
		return json_incref(arg);
	if (strcmp(k, "ColumnRef") == 0 && (strcmp(t, "text") == 0 ||
	    strcmp(t, "varchar") == 0))
		return json_incref(arg);
	return json_pack("{s:O}", "TypeCast", b);
}

/* now(), CURRENT_TIMESTAMP and transaction_timestamp() as a default. */
static bool
is_now(json_t *n)
{
	json_t *b;
	const char *k = kind(n, &b), *f;

	if (strcmp(k, "SQLValueFunction") == 0)
		return strcmp(json_string_value(json_object_get(b, "op")),
		    "SVFOP_CURRENT_TIMESTAMP") == 0;
	if (strcmp(k, "FuncCall") != 0)
		return false;
	f = sval(json_array_get(json_object_get(b, "funcname"), 0));
	if (strcmp(f, "datetime") == 0 && json_array_size(json_object_get(b,
	    "args")) == 1) {	/* SQLite's datetime('now') */
		json_t *a0 = json_object_get(json_object_get(json_array_get(
		    json_object_get(b, "args"), 0), "A_Const"), "sval");
		return a0 && strcmp(json_string_value(json_object_get(a0, "sval")),
		    "now") == 0;
	}
	return json_object_get(b, "args") == NULL && (strcmp(f, "now") == 0 ||
	    strcmp(f, "transaction_timestamp") == 0);
}

/* Bottom-up: children first, then this node's rewrite. Returns a new ref. */
static json_t *
canon(json_t *n, bool dflt)
{
	const char *k;
	void *tmp;
	json_t *v, *b, *r;
	size_t i;

	if (json_is_array(n)) {
		r = json_array();
		json_array_foreach(n, i, v)
			json_array_append_new(r, canon(v, dflt));
		return r;
	}
	if (!json_is_object(n))
		return json_incref(n);
	r = json_object();
	json_object_foreach_safe(n, tmp, k, v)
		json_object_set_new(r, k, canon(v, dflt));
	k = kind(r, &b);
	if (strcmp(k, "FuncCall") == 0)
		drop_pg_catalog(json_object_get(b, "funcname"));
	if (dflt && is_now(r)) {
		json_decref(r);
		return json_pack("{s:{s:[{s:{s:s}}]}}", "FuncCall", "funcname",
		    "String", "sval", "now");
	}
	if (strcmp(k, "A_Expr") == 0)
		v = canon_aexpr(b, dflt);
	else if (strcmp(k, "BoolExpr") == 0)
		v = canon_bool(b);
	else if (strcmp(k, "TypeCast") == 0)
		v = canon_cast(b);
	else
		return r;
	json_decref(r);
	return v;
}

/* The canonical form, or NULL when libpg_query cannot parse it (or it is
 * more than one expression: "1 FROM t" would parse as a query). */
static char *
pgq_canon(const char *expr, bool dflt)
{
	char *sql;
	PgQueryParseResult pr;
	json_t *doc, *stmts, *sel, *val, *c;
	char *out = NULL;

	if (asprintf(&sql, "SELECT %s", expr) < 0)
		abort();
	pr = pg_query_parse(sql);
	if (pr.error == NULL && (doc = json_loads(pr.parse_tree, 0, NULL))) {
		stmts = json_object_get(doc, "stmts");
		sel = json_object_get(json_object_get(json_array_get(stmts, 0),
		    "stmt"), "SelectStmt");
		if (json_array_size(stmts) == 1 && sel && json_object_size(sel) == 3 &&
		    json_array_size(json_object_get(sel, "targetList")) == 1) {
			val = json_object_get(json_object_get(json_array_get(
			    json_object_get(sel, "targetList"), 0), "ResTarget"), "val");
			if (getenv("EXPR_EVAL_RAW_IVAL") == NULL)	/* to measure #243 */
				fix_ival(val, sql);
			strip_locations(val);
			c = canon(val, dflt);
			out = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
			json_decref(c);
		}
		json_decref(doc);
	}
	pg_query_free_parse_result(pr);
	free(sql);
	return out;
}

/* ---- normalize.c ----------------------------------------------------------- */

static char *
norm_canon(enum cat_dialect d, const char *expr, bool dflt)
{
	char *c = dflt ? norm_default(d, expr) : norm_expr(d, expr);

	if (norm_is_unparsable(c)) {
		free(c);
		return NULL;
	}
	return c;
}

/* ---- the corpus --------------------------------------------------------- */

struct tally {
	int	 eq_ok, eq_bad, eq_unparsed;	/* pairs that mean the same */
	int	 df_ok, df_bad, df_unparsed;	/* pairs that differ */
	int	 parsed[2], texts[2];		/* per dialect: pg, sqlite */
};

static struct tally tn, tq;	/* normalize.c, libpg_query */
static bool verbose;

static void
judge(struct tally *t, const char *name, char *ca, char *cb, bool same,
    const char *a, const char *b)
{
	if (ca == NULL || cb == NULL)
		(*(same ? &t->eq_unparsed : &t->df_unparsed))++;
	else if ((strcmp(ca, cb) == 0) == same)
		(*(same ? &t->eq_ok : &t->df_ok))++;
	else {
		(*(same ? &t->eq_bad : &t->df_bad))++;
		if (verbose)
			printf("WRONG %-10s %s: %s  ||  %s\n", name,
			    same ? "judged different" : "judged equal", a, b);
	}
	if (verbose && (ca == NULL || cb == NULL))
		printf("UNPARSED %-7s %s  ||  %s\n", name, ca ? "" : a, cb ? "" : b);
	free(ca);
	free(cb);
}

/* Each distinct text once per dialect, for the parse rates. */
static char **seen;
static size_t nseen;

static void
count_parse(enum cat_dialect d, const char *s, bool dflt)
{
	char *key, *c;

	if (asprintf(&key, "%d%d%s", d, dflt, s) < 0)
		abort();
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], key) == 0) {
			free(key);
			return;
		}
	seen = realloc(seen, (nseen + 1) * sizeof *seen);
	seen[nseen++] = key;
	tn.texts[d != CAT_PG]++;
	tq.texts[d != CAT_PG]++;
	if ((c = norm_canon(d, s, dflt)) != NULL)
		tn.parsed[d != CAT_PG]++;
	free(c);
	if ((c = pgq_canon(s, dflt)) != NULL)
		tq.parsed[d != CAT_PG]++;
	free(c);
}

/* "\n" in a field is a newline (normalize.cases' convention). */
static char *
field(const char *s, size_t len)
{
	char *f = malloc(len + 1), *o = f;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'n') {
			*o++ = '\n';
			i++;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	while (o > f && o[-1] == ' ')
		*--o = '\0';
	return f;
}

static void
one_line(char *line)
{
	char verb[16], dia[16], fn[16], *p, *q, *a, *b;
	bool same, dflt, cross;
	enum cat_dialect da, db;
	int got;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return;
	if ((p = strstr(line, " ;; ")) == NULL || (q = strstr(p + 4, " ;; ")) == NULL)
		return;
	cross = line[0] == 'x';
	got = cross ? sscanf(line, "%15s %15s", verb, fn) :
	    sscanf(line, "%15s %15s %15s", verb, dia, fn);
	if (got != (cross ? 2 : 3))
		return;
	if (strcmp(fn, "expr") != 0 && strcmp(fn, "default") != 0)
		return;
	dflt = strcmp(fn, "default") == 0;
	same = strcmp(verb, "differ") != 0 && strcmp(verb, "xdiffer") != 0;
	da = cross || strcmp(dia, "pg") == 0 ? CAT_PG : CAT_SQLITE;
	db = cross ? CAT_SQLITE : da;
	a = field(p + 4, (size_t)(q - p - 4));
	b = field(q + 4, strlen(q + 4));
	count_parse(da, a, dflt);
	if (strcmp(verb, "parse") == 0)	/* a text alone: only the parse rate */
		goto out;
	if (strcmp(verb, "norm") != 0)
		count_parse(db, b, dflt);
	/* "norm" lines: only texts whose expected form is not unparsable */
	if (strcmp(verb, "norm") == 0 && (norm_is_unparsable(b) || strcmp(a, b) == 0 ||
	    *b == '\0'))
		goto out;
	judge(&tn, "normalize", norm_canon(da, a, dflt), norm_canon(db, b, dflt),
	    same, a, b);
	/* libpg_query parses PostgreSQL's syntax; a SQLite text goes through
	 * it as it is (what an integration for both dialects would face). */
	judge(&tq, "libpgquery", pgq_canon(a, dflt), pgq_canon(b, dflt), same, a, b);
out:
	free(a);
	free(b);
}

static void
report(const char *name, const struct tally *t)
{
	printf("%-22s equal pairs: %3d right, %3d wrong, %3d unparsed | "
	    "different pairs: %3d right, %3d wrong, %3d unparsed | "
	    "parsed: pg %d/%d, sqlite %d/%d\n", name, t->eq_ok, t->eq_bad,
	    t->eq_unparsed, t->df_ok, t->df_bad, t->df_unparsed, t->parsed[0],
	    t->texts[0], t->parsed[1], t->texts[1]);
}

int
main(int argc, char **argv)
{
	char line[8192];
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = true;
		i++;
	}
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");

		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		while (fgets(line, sizeof line, f))
			one_line(line);
		fclose(f);
	}
	report("normalize.c", &tn);
	report("libpg_query+rewrites", &tq);
	return 0;
}

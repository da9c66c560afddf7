/* test_catobj.c — catobj.c: properties and their canonical forms, squeezing
 * code, objects through the JSON form and compare_obj.c's differences. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catjson.h"
#include "compare.h"
#include "tap.h"

static void
squeeze(const char *in, const char *want)
{
	char *got = cat_sql_squeeze(in);

	is_str(got, want, in);
	free(got);
}

static void
test_squeeze(void)
{
	squeeze("  SELECT 1;  ", "SELECT 1");
	squeeze("SELECT  a ,\n\tb\nFROM t -- the t\n", "SELECT a,b FROM t");
	squeeze("select /* a /* nested */ comment */ f ( x )", "select f(x)");
	squeeze("SELECT 'a  --  b',  \"x  y\"", "SELECT 'a  --  b',\"x  y\"");
	squeeze("BEGIN RETURN $$ keep   this $$; END;", "BEGIN RETURN $$ keep   this $$;END");
	squeeze("SELECT $1  +  $2", "SELECT $1 + $2");
	squeeze("$body$ x  $y$  $body$", "$body$ x  $y$  $body$");
	squeeze("SELECT 'it''s  ok'", "SELECT 'it''s  ok'");
	squeeze("'unterminated  ", "'unterminated  ");
	squeeze("", "");
}

static void
test_props(void)
{
	struct cat_props ps = { 0 };
	const struct cat_prop *p;

	cat_prop_set(&ps, CAT_PG, "view", "query", " SELECT a\n FROM t;");
	cat_prop_set(&ps, CAT_PG, "view", "when", "((new.a > 0))");
	cat_prop_set(&ps, CAT_PG, "view", "a_first", "x");
	is_int(ps.n, 3, "three properties");
	is_str(ps.v[0].key, "a_first", "kept in key order");
	p = cat_prop_get(&ps, "query");
	ok(p != NULL && strcmp(p->raw, " SELECT a\n FROM t;") == 0, "raw kept as reported");
	is_str(p != NULL ? cat_prop_text(p) : NULL, "SELECT a FROM t", "a view's query is squeezed");
	p = cat_prop_get(&ps, "when");
	ok(p != NULL && p->canon == NULL, "the rule is the kind's: 'when' of a view is raw");
	cat_prop_set(&ps, CAT_PG, "view", "query", "SELECT b FROM t");
	is_int(ps.n, 3, "setting a key again replaces it");
	cat_prop_set(&ps, CAT_PG, "view", "a_first", NULL);
	is_int(ps.n, 2, "NULL removes a key");
	cat_props_free(&ps);

	cat_prop_set(&ps, CAT_PG, "trigger", "when", "((new.a > 0))");
	is_str(cat_prop_text(&ps.v[0]), "new.a > 0", "a trigger's WHEN is a normalized expression");
	cat_props_free(&ps);
	/* A key pattern ending in '*': every "check NAME" of a domain. */
	cat_prop_set(&ps, CAT_PG, "domain", "check positive", "((VALUE > 0))");
	cat_prop_set(&ps, CAT_PG, "domain", "checkered", "((VALUE > 0))");
	p = cat_prop_get(&ps, "check positive");
	is_str(p != NULL ? cat_prop_text(p) : NULL, "value > 0",
	    "a domain's CHECK is a normalized expression");
	p = cat_prop_get(&ps, "checkered");
	ok(p != NULL && p->canon == NULL, "a key that only starts like the pattern's prefix is raw");
	cat_props_free(&ps);
	cat_prop_set(&ps, CAT_PG, "enum", "check x", "((VALUE > 0))");
	ok(ps.v[0].canon == NULL, "the pattern is the domain's: an enum's \"check x\" is raw");
	cat_props_free(&ps);
	ok(cat_prop_informational("extension", "version"), "an extension's version is informational");
	ok(!cat_prop_informational("function", "volatility"), "a function's volatility is not");
}

/* catobj.c's kinds, compare_obj.c's table of their differences and
 * compare.h's DIFF_KINDS are all made from catobj_kinds.h: they agree, in
 * names and in order (the differences of kind i are the i-th triple). */
static void
test_kinds_have_diffs(void)
{
	char name[128];
	int i, w, k, bad = 0, first = compare_object_kind(cat_object_kinds[0], 0), misplaced = 0;
	const char *const pre[] = { "missing_", "extra_", "" }, *const post[] = { "", "", "_changed" };

	for (i = 0; cat_object_kinds[i] != NULL; i++)
		for (w = 0; w < 3; w++) {
			snprintf(name, sizeof name, "%s%s%s", pre[w], cat_object_kinds[i], post[w]);
			k = compare_object_kind(cat_object_kinds[i], w);
			if (k < 0 || strcmp(diff_kind_name((enum diff_kind)k), name) != 0) {
				printf("# %s: %s\n", cat_object_kinds[i], name);
				bad++;
			}
			misplaced += k != first + 3 * i + w;
		}
	is_int(bad, 0, "every object kind has missing_K, extra_K and K_changed");
	is_int(misplaced, 0, "the differences of the object kinds in the kinds' report order");
	ok(first == DIFF_MISSING_EXTENSION && compare_object_kind("comment", 2) == DIFF_COMMENT_CHANGED,
	    "from missing_extension to comment_changed");
	ok(i >= 13, "thirteen kinds at least");
	ok(compare_object_kind("no_such_kind", 0) < 0, "an unknown kind has none");
	is_int(compare_option_kind("table_persistence"), DIFF_TABLE_PERSISTENCE,
	    "an option's difference is named as its key");
	ok(compare_option_kind("no_such_option") < 0, "an unknown option has none");
}

/* A catalog of one table t and objects around it. */
static struct catalog *
sample(const char *view_query, const char *trigger_when, bool extra_function)
{
	struct catalog *c = cat_new(CAT_PG);
	struct cat_table *t = cat_add_table(c, "t");
	struct cat_object *o;

	cat_add_column(t, CAT_PG, "a", "integer", false, NULL);
	cat_prop_set(&t->opts, CAT_PG, "table", "table_persistence", NULL);
	o = cat_add_object(c, "view", "v", NULL);
	cat_prop_set(&o->props, CAT_PG, "view", "query", view_query);
	o = cat_add_object(c, "trigger", "t.trg", "t");
	cat_prop_set(&o->props, CAT_PG, "trigger", "when", trigger_when);
	cat_prop_set(&o->props, CAT_PG, "trigger", "timing", "BEFORE");
	if (extra_function) {
		o = cat_add_object(c, "function", "f(integer)", NULL);
		cat_prop_set(&o->props, CAT_PG, "function", "body", "SELECT 1");
	}
	o = cat_add_object(c, "extension", "plpgsql", NULL);
	cat_prop_set(&o->props, CAT_PG, "extension", "version", extra_function ? "2.0" : "1.0");
	cat_sort_objects(c);
	return c;
}

static const struct diff *
find(const struct diff_list *l, const char *object, const char *kind)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].object, object) == 0 &&
		    strcmp(diff_kind_name(l->v[i].kind), kind) == 0)
			return &l->v[i];
	return NULL;
}

static void
test_compare(void)
{
	struct catalog *e = sample("SELECT a FROM t", "new.a > 0", false);
	struct catalog *same = sample("SELECT a\n  FROM t;", "((NEW.a > 0))", false);
	struct catalog *a = sample("SELECT a, 1 FROM t", "new.a > 1", true);
	struct diff_list l = { 0 };
	const struct diff *d;

	compare_catalogs(e, same, &l);
	is_int(l.n, 0, "same objects spelled otherwise: no difference");
	diff_list_free(&l);

	compare_catalogs(e, a, &l);
	is_int(l.n, 3, "a changed view, a changed trigger, an extra function");
	d = find(&l, "v", "view_changed");
	ok(d != NULL && strcmp(d->expected, "query: SELECT a FROM t") == 0 &&
	    strcmp(d->actual, "query: SELECT a, 1 FROM t") == 0, "view_changed names the property");
	ok(find(&l, "t.trg", "trigger_changed") != NULL, "trigger_changed, as table.trigger");
	d = find(&l, "f(integer)", "extra_function");
	ok(d != NULL && d->expected == NULL, "extra_function");
	ok(l.n > 1 && strcmp(l.v[0].object, "t.trg") == 0,
	    "a table's member is reported with its table, before schema objects");
	diff_list_free(&l);

	cat_remove_table(a, "t");
	compare_catalogs(e, a, &l);
	ok(find(&l, "t", "missing_table") != NULL && find(&l, "t.trg", "missing_trigger") == NULL,
	    "a missing table's trigger is not reported apart");
	diff_list_free(&l);
	cat_free(e);
	cat_free(same);
	cat_free(a);
}

static void
test_options(void)
{
	struct catalog *e = sample("SELECT 1", "true", false), *a = cat_dup(e);
	struct diff_list l = { 0 };

	cat_prop_set(&a->tables[0].opts, CAT_PG, "table", "table_persistence", "unlogged");
	compare_catalogs(e, a, &l);
	ok(l.n == 1 && l.v[0].kind == DIFF_TABLE_PERSISTENCE && strcmp(l.v[0].expected, "none") == 0 &&
	    strcmp(l.v[0].actual, "unlogged") == 0, "table_persistence: none -> unlogged");
	diff_list_free(&l);
	a->dialect = CAT_SQLITE;
	compare_catalogs(e, a, &l);
	ok(find(&l, "t", "table_persistence") == NULL && find(&l, "v", "missing_view") == NULL,
	    "across dialects options and objects are not compared");
	diff_list_free(&l);
	cat_free(e);
	cat_free(a);
}

static void
test_json(void)
{
	struct catalog *c = sample("SELECT a FROM t", "new.a > 0", true), *back;
	char *text, *again, *err = NULL;

	cat_prop_set(&c->tables[0].opts, CAT_PG, "table", "table_persistence", "unlogged");
	text = catjson_dump(c, NULL);
	back = catjson_load(text, NULL, &err);
	ok(back != NULL, "objects load back");
	if (back == NULL) {
		printf("# %s\n", err);
		free(err);
		free(text);
		cat_free(c);
		return;
	}
	again = catjson_dump(back, NULL);
	is_str(again, text, "and dump the same");
	is_int(back->nobjects, c->nobjects, "every object");
	ok(cat_find_object(back, "trigger", "t.trg") != NULL &&
	    strcmp(cat_find_object(back, "trigger", "t.trg")->table, "t") == 0, "with its table");
	free(again);
	free(text);
	cat_free(back);
	back = catjson_load("{\"format\": \"" CATJSON_FORMAT "\", \"dialect\": \"postgresql\","
	    " \"tables\": [], \"objects\": [{\"kind\": \"view\"}]}", NULL, &err);
	ok(back == NULL && err != NULL && strstr(err, "objects[0]") != NULL,
	    "an object without a name is refused with its place");
	free(err);
	cat_free(back);
	cat_free(c);
}

/* compare_obj.c walks both sides' objects in cat_object_order(): every
 * reader sorts them as it loads a catalog, whatever order they came in. */
static void
test_order(void)
{
	static const char json[] = "{\"format\": \"" CATJSON_FORMAT "\", \"dialect\": \"postgresql\","
	    " \"tables\": [], \"objects\": ["
	    "{\"kind\": \"comment\", \"name\": \"v\", \"properties\": {\"text\": \"c\"}},"
	    "{\"kind\": \"view\", \"name\": \"v\", \"properties\": {\"query\": \"SELECT 1\"}},"
	    "{\"kind\": \"function\", \"name\": \"g()\", \"properties\": {\"body\": \"SELECT 2\"}},"
	    "{\"kind\": \"extension\", \"name\": \"plpgsql\", \"properties\": {\"version\": \"1\"}},"
	    "{\"kind\": \"function\", \"name\": \"f()\", \"properties\": {\"body\": \"SELECT 1\"}},"
	    "{\"kind\": \"view\", \"name\": \"a\", \"properties\": {\"query\": \"SELECT 2\"}}]}";
	static const char *const sorted[][2] = {
		{ "extension", "plpgsql" }, { "function", "f()" }, { "function", "g()" },
		{ "view", "a" }, { "view", "v" }, { "comment", "v" },
	};
	struct catalog *e, *a, *hand;
	struct cat_object *o;
	struct diff_list l = { 0 };
	char *err = NULL;
	int i, inorder = 0;

	e = catjson_load(json, NULL, &err);
	ok(e != NULL && e->nobjects == 6, "objects given in any order load");
	for (i = 0; e != NULL && i < e->nobjects && i < 6; i++)
		inorder += strcmp(e->objects[i].kind, sorted[i][0]) == 0 &&
		    strcmp(e->objects[i].name, sorted[i][1]) == 0;
	is_int(inorder, 6, "in report order of kinds, then by name");
	if (e == NULL) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	/* The same objects, added by hand in the JSON's order and never
	 * sorted: compared as the same (the walk sorts a copy). */
	hand = cat_new(CAT_PG);
	for (i = 5; i >= 0; i--) {
		o = cat_add_object(hand, sorted[i][0], sorted[i][1], NULL);
		cat_props_dup(&o->props, &cat_find_object(e, sorted[i][0], sorted[i][1])->props);
	}
	compare_catalogs(e, hand, &l);
	is_int(l.n, 0, "an unsorted catalog compares as a sorted one");
	diff_list_free(&l);
	/* Interleaved missing, extra and changed objects of every position. */
	a = cat_dup(e);
	cat_prop_set(&a->objects[2].props, CAT_PG, "function", "body", "SELECT 3");
	o = cat_add_object(a, "function", "e()", NULL);
	cat_prop_set(&o->props, CAT_PG, "function", "body", "SELECT 0");
	o = cat_add_object(a, "view", "z", NULL);
	cat_prop_set(&o->props, CAT_PG, "view", "query", "SELECT 0");
	o = cat_add_object(a, "sequence", "s", NULL);
	cat_prop_set(&o->props, CAT_PG, "sequence", "increment", "1");
	cat_sort_objects(a);
	compare_catalogs(e, a, &l);
	is_int(l.n, 4, "three extra objects and one changed");
	ok(find(&l, "g()", "function_changed") != NULL && find(&l, "e()", "extra_function") != NULL &&
	    find(&l, "z", "extra_view") != NULL && find(&l, "s", "extra_sequence") != NULL,
	    "each found where the walk meets it");
	diff_list_free(&l);
	compare_catalogs(a, e, &l);
	is_int(l.n, 4, "the other way round: three missing and one changed");
	ok(find(&l, "e()", "missing_function") != NULL && find(&l, "z", "missing_view") != NULL &&
	    find(&l, "s", "missing_sequence") != NULL, "missing_function, missing_view, missing_sequence");
	diff_list_free(&l);
	cat_free(a);
	cat_free(hand);
	cat_free(e);
}

/* A schema-level object's parts (a view's trigger, comments on it and its
 * columns, a comment on a function) go with it: a missing or extra view is
 * one difference, not one per part (compare_obj.c's part_of_absent, looked
 * up by the prefixes of a part's name). */
static void
test_parts(void)
{
	static const char *const objs[][2] = {
		{ "view", "v" }, { "comment", "v" }, { "comment", "v.col" }, { "trigger", "v.trg" },
		{ "function", "f(integer)" }, { "comment", "f(integer)" }, { "view", "w" },
	};
	struct catalog *e = cat_new(CAT_PG), *a;
	struct cat_object *o;
	struct diff_list l = { 0 };
	size_t i;

	for (i = 0; i < sizeof objs / sizeof objs[0]; i++) {
		o = cat_add_object(e, objs[i][0], objs[i][1], NULL);
		cat_prop_set(&o->props, CAT_PG, objs[i][0], "text", "x");
	}
	cat_sort_objects(e);
	a = cat_new(CAT_PG);
	o = cat_add_object(a, "view", "w", NULL);
	cat_prop_set(&o->props, CAT_PG, "view", "text", "x");
	o = cat_add_object(a, "comment", "w.col", NULL);
	cat_prop_set(&o->props, CAT_PG, "comment", "text", "x");
	compare_catalogs(e, a, &l);
	ok(l.n == 3 && find(&l, "v", "missing_view") != NULL &&
	    find(&l, "f(integer)", "missing_function") != NULL &&
	    find(&l, "w.col", "extra_comment") != NULL,
	    "a missing view and function are one difference each; w's new comment is one");
	diff_list_free(&l);
	compare_catalogs(a, e, &l);
	ok(l.n == 3 && find(&l, "v", "extra_view") != NULL &&
	    find(&l, "f(integer)", "extra_function") != NULL &&
	    find(&l, "w.col", "missing_comment") != NULL, "the other way round: extra_view");
	diff_list_free(&l);
	cat_free(a);
	cat_free(e);
}

/* One object per kind and name: a repeat right after its object is that
 * object; a repeat elsewhere (a hand-written compiled file) is merged when
 * the catalog is sorted, and the copy of a catalog keeps every object. */
static void
test_repeats(void)
{
	static const char json[] = "{\"format\": \"schemawatchd-catalog/1\", \"dialect\": \"postgresql\","
	    " \"tables\": [], \"objects\": ["
	    "{\"kind\": \"view\", \"name\": \"v\", \"properties\": {\"query\": \"SELECT 1\"}},"
	    "{\"kind\": \"sequence\", \"name\": \"s\", \"properties\": {\"increment\": \"2\"}},"
	    "{\"kind\": \"view\", \"name\": \"v\", \"properties\": {\"query\": \"SELECT 2\", \"columns\": \"a\"}}]}";
	struct catalog *c = cat_new(CAT_PG), *j, *d;
	struct cat_object *o, *again;
	char *err = NULL;

	o = cat_add_object(c, "view", "v", NULL);
	cat_prop_set(&o->props, CAT_PG, "view", "query", "SELECT 1");
	again = cat_add_object(c, "view", "v", NULL);
	ok(again == o && c->nobjects == 1, "a repeat of the last object is that object");
	cat_add_object(c, "sequence", "s", NULL);
	o = cat_add_object(c, "view", "v", NULL);
	cat_prop_set(&o->props, CAT_PG, "view", "columns", "a");
	is_int(c->nobjects, 3, "a repeat elsewhere is added ...");
	cat_sort_objects(c);
	is_int(c->nobjects, 2, "... and merged when the catalog is sorted");
	o = cat_find_object(c, "view", "v");
	ok(o != NULL && o->props.n == 2 && strcmp(cat_prop_get(&o->props, "query")->raw, "SELECT 1") == 0 &&
	    strcmp(cat_prop_get(&o->props, "columns")->raw, "a") == 0,
	    "with the properties of both");
	d = cat_dup(c);
	ok(d->nobjects == 2 && cat_find_object(d, "sequence", "s") != NULL &&
	    cat_find_object(d, "view", "v")->props.n == 2, "a copy has every object and property");
	cat_free(d);
	cat_free(c);
	j = catjson_load(json, NULL, &err);
	ok(j != NULL && j->nobjects == 2 && cat_find_object(j, "view", "v") != NULL &&
	    cat_find_object(j, "view", "v")->props.n == 2,
	    "a compiled file naming an object twice loads as one object");
	if (err != NULL)
		printf("# %s\n", err);
	free(err);
	cat_free(j);
}

/* A deparsed query: AND (OR) chains nested in a chain of the same operator
 * read as one chain; every other group keeps its parentheses. */
static void
test_query_canon(void)
{
	static const struct {
		const char *a, *b;
		bool same;
		const char *what;
	} cases[] = {
		{ "SELECT x FROM t WHERE ((a = 1) AND (b ~~ 'p%'::text) AND ((c >= 1) AND (c <= 2)));",
		  "SELECT x FROM t\n  WHERE ((a = 1) AND (b ~~ 'p%'::text) AND (c >= 1) AND (c <= 2));",
		  true, "a BETWEEN's nested AND is the same as a flat chain" },
		{ "SELECT x FROM t WHERE (((a = 1) AND (b = 2)) AND (c = 3));",
		  "SELECT x FROM t WHERE ((a = 1) AND (b = 2) AND (c = 3));",
		  true, "a nested chain first in its chain" },
		{ "SELECT x FROM t WHERE ((a = 1) OR ((b = 2) OR (c = 3)));",
		  "SELECT x FROM t WHERE ((a = 1) OR (b = 2) OR (c = 3));",
		  true, "OR in OR" },
		{ "SELECT x FROM t WHERE ((a = 1) OR ((b = 2) AND (c = 3)));",
		  "SELECT x FROM t WHERE ((a = 1) OR (b = 2) AND (c = 3));",
		  false, "AND in OR keeps its parentheses" },
		{ "SELECT x FROM t WHERE (((a = 1) OR (b = 2)) AND (c = 3));",
		  "SELECT x FROM t WHERE ((a = 1) OR (b = 2) AND (c = 3));",
		  false, "OR in AND keeps them" },
		{ "SELECT x FROM t WHERE ((a = 1) OR ((b = 2) OR (c = 3)) AND (d = 4));",
		  "SELECT x FROM t WHERE ((a = 1) OR (b = 2) OR (c = 3) AND (d = 4));",
		  false, "an OR group before an AND is not an operand of the OR chain" },
		{ "SELECT f(((a = 1) AND (b = 2))) FROM t;",
		  "SELECT f((a = 1) AND (b = 2)) FROM t;",
		  false, "a call's argument keeps its parentheses" },
		{ "SELECT CASE WHEN ((a = 1) AND (b = 2)) AND (c = 3) THEN 1 END FROM t;",
		  "SELECT CASE WHEN (a = 1) AND (b = 2) AND (c = 3) THEN 1 END FROM t;",
		  false, "a group after WHEN keeps them" },
		{ "SELECT 'x AND (y AND z)' FROM t WHERE ((a) AND (b));",
		  "SELECT 'x AND y AND z' FROM t WHERE ((a) AND (b));",
		  false, "a literal is never changed" },
		{ "SELECT x FROM t WHERE ((a) AND (\"b AND (c)\"));",
		  "SELECT x FROM t WHERE ((a) AND (\"b AND c\"));",
		  false, "nor a quoted name" },
		{ "SELECT x FROM t WHERE ((a) ANDX (b AND c));",
		  "SELECT x FROM t WHERE ((a) ANDX b AND c);",
		  false, "a keyword is a word of its own" },
	};
	char *a, *b, what[160], deep[20010];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = cat_query_canon(cases[i].a);
		b = cat_query_canon(cases[i].b);
		snprintf(what, sizeof what, "query: %s", cases[i].what);
		if (!ok((strcmp(a, b) == 0) == cases[i].same, what))
			printf("# %s\n# %s\n", a, b);
		free(a);
		free(b);
	}
	a = cat_query_canon("SELECT x FROM t WHERE ((a = 1) AND (b = 2))");
	is_str(a, "SELECT x FROM t WHERE((a = 1)AND(b = 2))", "a flat chain is only squeezed");
	free(a);
	memset(deep, '(', 10000);
	memcpy(deep + 10000, "a AND b", 7);
	memset(deep + 10007, ')', 10000);
	deep[20007] = '\0';
	a = cat_query_canon(deep);
	ok(strlen(a) > 0 && strstr(a, "a AND b") != NULL, "10,000 nested groups: no recursion past the limit");
	free(a);
	memset(deep, '(', 20000);
	deep[20000] = '\0';
	a = cat_query_canon(deep);
	is_int((int)strlen(a), 20000, "20,000 unclosed groups are copied");
	free(a);
	a = cat_query_canon("SELECT ((a AND (b AND c)");
	is_str(a, "SELECT((a AND b AND c", "an unclosed group is copied, a closed one flattened");
	free(a);
}

int
main(void)
{
	test_squeeze();
	test_props();
	test_kinds_have_diffs();
	test_compare();
	test_options();
	test_json();
	test_order();
	test_parts();
	test_repeats();
	test_query_canon();
	return tap_done();
}

/* Verdicts against a definition's chain (state_verdict_def): the shop test
 * definition (tests/defs/shop, four revisions) is compiled by compile.c on
 * the harness's server and SQLite into a copy under SW_TEST_TMP; targets are
 * SQLite databases built with the same SQL up to each revision, read with
 * sqlcat over the definition's tables. At every step: ok at the expected
 * revision, pending with its revision and steps behind, ahead, drift with
 * the closest revision named and the differences against the expected one,
 * and the version row cross-check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "compile.h"
#include "definition.h"
#include "sqlcat.h"
#include "state.h"
#include "util.h"
#include "tap.h"

static struct definition *def;
static bool whole;		/* read as scope: schema does: every table */

/* A SQLite database at revision `rev` (-1: empty), plus `extra` SQL. */
static struct catalog *
target_at(int rev, const char *extra)
{
	struct catalog *c;
	sqlite3 *db;
	char *text, *err = NULL;
	size_t len;
	int i;

	sqlite3_open(":memory:", &db);
	for (i = 0; i <= rev; i++) {
		text = read_file(def->revs[i].step[CAT_SQLITE].upgrade, &len);
		if (text == NULL || sqlite3_exec(db, text, NULL, NULL, NULL) != SQLITE_OK) {
			printf("Bail out! revision %d: %s\n", i, sqlite3_errmsg(db));
			exit(1);
		}
		free(text);
	}
	if (extra != NULL && sqlite3_exec(db, extra, NULL, NULL, NULL) != SQLITE_OK) {
		printf("Bail out! extra SQL: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	if (whole) {
		const struct cat_want all = { NULL, NULL, true, NULL };

		c = sqlcat_read_want(db, &all, NULL, NULL, &err);
	} else
		c = sqlcat_read_tables(db, &def->tables, NULL, NULL, &err);
	if (c == NULL) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	sqlite3_close(db);
	return c;
}

static void
verdict(int rev, const char *extra, int expected, const char *row, const char *want_state,
    int want_at, int want_n, const char *what)
{
	struct catalog *c = target_at(rev, extra);
	struct diff_list l = { NULL, 0 };
	struct rev_verdict v;
	char label[200];

	state_verdict_def(def, expected, c, row, &l, &v);
	snprintf(label, sizeof label, "%s: %s", what, want_state);
	is_str(tgt_state_name(v.state), want_state, label);
	snprintf(label, sizeof label, "%s: at/closest %s", what, state_revision_name(def, want_at));
	is_str(state_revision_name(def, v.state == ST_DRIFT ? v.closest : v.at),
	    state_revision_name(def, want_at), label);
	snprintf(label, sizeof label, "%s: %s", what, v.state == ST_PENDING ? "steps behind" :
	    v.state == ST_AHEAD ? "steps ahead" : "differences");
	is_int(v.state == ST_PENDING ? v.behind : v.state == ST_AHEAD ? v.ahead : l.n, want_n,
	    label);
	if (v.state == ST_DRIFT && l.n > 0)
		printf("# first difference: %s %s\n", l.v[0].object, diff_kind_name(l.v[0].kind));
	diff_list_free(&l);
	cat_free(c);
}

static void
test_chain(void)
{
	int r3 = def_find(def, "shop_r3"), r4 = def_find(def, "shop_r4");
	struct catalog *c;
	struct diff_list l = { NULL, 0 };
	struct rev_verdict v;
	int i;

	/* Walk up the chain, expecting the last revision. */
	verdict(-1, NULL, r4, STATE_VERSION_UNKNOWN, "pending", -1, 4, "empty database");
	for (i = 0; i < 3; i++) {
		char what[64];

		snprintf(what, sizeof what, "at %s, expecting shop_r4", def->revs[i].id);
		verdict(i, NULL, r4, STATE_VERSION_UNKNOWN, "pending", i, r4 - i, what);
	}
	verdict(r4, NULL, r4, STATE_VERSION_UNKNOWN, "ok", r4, 0, "at shop_r4");
	/* Expecting an older one. */
	verdict(r4, NULL, r3, STATE_VERSION_UNKNOWN, "ahead", r4, 1, "at shop_r4, expecting shop_r3");
	verdict(r3, NULL, 0, STATE_VERSION_UNKNOWN, "ahead", r3, 2, "at shop_r3, expecting shop_r1");
	/* r3's predicate on r4's columns: between revisions, named closest. */
	verdict(r4, "DROP INDEX ix_orders_open; CREATE INDEX ix_orders_open ON orders (customer_id) "
	    "WHERE status = 'open';", r4, STATE_VERSION_UNKNOWN, "drift", r4, 1,
	    "r4 with r3's old predicate");
	verdict(1, "CREATE TABLE stray (x INTEGER);", r4, STATE_VERSION_UNKNOWN, "pending", 1, 2,
	    "a table outside the definition is none of its business");

	/* The version row. */
	verdict(r4, NULL, r4, "shop_r4", "ok", r4, 0, "row says shop_r4");
	verdict(r4, NULL, r4, "shop_r3", "drift", r4, 1, "row says shop_r3 at shop_r4");
	verdict(1, NULL, r4, "shop_r2", "pending", 1, 2, "row says shop_r2 at shop_r2");
	verdict(1, NULL, r4, NULL, "drift", 1, 1, "no row at shop_r2");
	verdict(-1, NULL, r4, NULL, "pending", -1, 4, "no row before the chain");
	verdict(-1, NULL, r4, "shop_r1", "drift", 0, 1, "a row but no table");

	c = target_at(r4, NULL);
	state_verdict_def(def, r4, c, "shop_r1", &l, &v);
	ok(l.n == 1 && l.v[0].kind == DIFF_VERSION_ROW &&
	    strcmp(l.v[0].object, "alembic_version.version_num") == 0 &&
	    strcmp(l.v[0].expected, "shop_r4") == 0 && strcmp(l.v[0].actual, "shop_r1") == 0,
	    "version_row: object, expected and actual");
	diff_list_free(&l);
	cat_free(c);
}

/* scope: schema reads everything: an empty schema is before the chain, an
 * extra table makes any revision drift (the closest one named), and objects
 * without a table are judged, not taken for an empty schema. */
static void
test_whole_schema(void)
{
	int r4 = def_find(def, "shop_r4");
	struct catalog *c;
	struct diff_list l = { NULL, 0 };
	struct rev_verdict v;

	whole = true;
	verdict(-1, NULL, r4, STATE_VERSION_UNKNOWN, "pending", -1, 4, "whole schema, empty");
	verdict(r4, NULL, r4, STATE_VERSION_UNKNOWN, "ok", r4, 0, "whole schema, at shop_r4");
	verdict(r4, "CREATE TABLE stray (x INTEGER);", r4, STATE_VERSION_UNKNOWN, "drift", r4, 1,
	    "whole schema, shop_r4 and a stray table");
	verdict(1, "CREATE TABLE stray (x INTEGER);", r4, STATE_VERSION_UNKNOWN, "drift", 1, 4,
	    "whole schema, shop_r2 and a stray table");
	verdict(-1, "CREATE TABLE stray (x INTEGER);", r4, STATE_VERSION_UNKNOWN, "drift", 0, 4,
	    "whole schema, only a stray table");
	whole = false;

	c = cat_new(CAT_SQLITE);
	cat_add_object(c, "view", "stray_view", NULL);
	state_verdict_def(def, r4, c, STATE_VERSION_UNKNOWN, &l, &v);
	is_str(tgt_state_name(v.state), "drift", "an object without any table: drift, not pending");
	ok(l.n > 0 && l.v[l.n - 1].kind == DIFF_EXTRA_VIEW, "... the view is an extra_view");
	diff_list_free(&l);
	cat_free(c);
}

int
main(void)
{
	const char *src = getenv("SW_SRCDIR"), *tmp = getenv("SW_TEST_TMP");
	char *dir = xasprintf("%s/shop_%ld", tmp != NULL ? tmp : "/tmp", (long)getpid());
	char *cmd = xasprintf("rm -rf '%s' && cp -r '%s/tests/defs/shop' '%s'", dir,
	    src != NULL ? src : ".", dir);
	char *err = NULL;

	if (system(cmd) != 0) {
		printf("Bail out! %s\n", cmd);
		return 1;
	}
	free(cmd);
	if (compile_definition(dir, NULL) != 0) {
		printf("Bail out! compiling %s\n", dir);
		return 1;
	}
	if ((def = def_load_full(dir, &err)) == NULL) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	is_int(def->tables.n, 3, "the definition's tables: customers, orders, products");
	test_chain();
	test_whole_schema();
	def_free(def);
	free(dir);
	return tap_done();
}

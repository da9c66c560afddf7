/* Unit tests for sqlcat_conflict.c against real SQLite files: the ON
 * CONFLICT clauses of NOT NULL, PRIMARY KEY and UNIQUE (column- and
 * table-level) read from the CREATE text onto the columns and keys, SQLite's
 * own merging of UNIQUEs on the same columns (and into the primary key),
 * what is no clause at all (ABORT, NULL ON CONFLICT, a CHECK's, an FK's ON
 * DELETE), and the compiled form (catjson) keeping the clause and leaving
 * it out when it is the default. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "catalog.h"
#include "catjson.h"
#include "compare.h"
#include "sqlcat.h"
#include "util.h"
#include "tap.h"

static const char *tmpdir;

/* Every table of a database made by sql, read as a probe reads it. */
static struct catalog *
read_sql(const char *name, const char *sql)
{
	const struct cat_want all = { NULL, NULL, true, NULL };
	char *path = xasprintf("%s/%s", tmpdir, name), *err = NULL;
	struct catalog *c;
	sqlite3 *db;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# setup of %s failed: %s\n", path, err ? err : sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_close(db);
	if (sqlcat_open_ro(path, &db, &err) != SQLITE_OK) {
		printf("# %s\n", err);
		exit(1);
	}
	if ((c = sqlcat_read_want(db, &all, NULL, NULL, &err)) == NULL)
		printf("# %s\n", err);
	sqlite3_close(db);
	free(err);
	free(path);
	return c;
}

/* The clauses of a table in one line: "pk R; u(a) I; u(b, c) -; nn name F"
 * (initials; "-" for the default), keys in their catalog order, then every
 * NOT NULL column. */
static char *
clauses(const struct catalog *c, const char *table)
{
	const struct cat_table *t = cat_find_table(c, table);
	struct sbuf sb;
	char *cols;
	int i;

	if (t == NULL)
		return xstrdup("no table");
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	if (t->pk != NULL)
		sbuf_printf(&sb, "pk %c", t->pk->conflict ? cat_conflict_sql(t->pk->conflict)[0] : '-');
	for (i = 0; i < t->nuniques; i++) {
		cols = cat_strv_join(&t->uniques[i].cols);
		sbuf_printf(&sb, "%su(%s) %c", sb.len ? "; " : "", cols,
		    t->uniques[i].conflict ? cat_conflict_sql(t->uniques[i].conflict)[0] : '-');
		free(cols);
	}
	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].notnull)
			sbuf_printf(&sb, "%snn %s %c", sb.len ? "; " : "", t->cols[i].name,
			    t->cols[i].notnull_conflict ?
			    cat_conflict_sql(t->cols[i].notnull_conflict)[0] : '-');
	return sbuf_steal(&sb);
}

struct conf_case {
	const char	*what;
	const char	*sql;		/* CREATE TABLE t ... */
	const char	*want;		/* clauses(c, "t") */
};

static const struct conf_case cases[] = {
	{ "no clause anywhere",
	  "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL UNIQUE)",
	  "pk -; u(a) -; nn a -" },
	{ "explicit ABORT is the default",
	  "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT ABORT,"
	  " a TEXT NOT NULL ON CONFLICT ABORT UNIQUE ON CONFLICT ABORT)",
	  "pk -; u(a) -; nn a -" },
	{ "column-level, each constraint its own",
	  "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT ROLLBACK,"
	  " a TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE,"
	  " b TEXT UNIQUE ON CONFLICT FAIL NOT NULL)",
	  "pk R; u(a) R; u(b) F; nn a I; nn b -" },
	{ "keywords in any case, named constraints, a name that is a keyword",
	  "CREATE TABLE t (id integer constraint \"replace\" primary key asc on conflict fail"
	  " autoincrement, a text constraint replace not null on conflict replace)",
	  "pk F; nn a R" },
	{ "table-level PRIMARY KEY and UNIQUE, columns decorated",
	  "CREATE TABLE t (a TEXT, b INTEGER, c TEXT,"
	  " PRIMARY KEY (a, b) ON CONFLICT IGNORE,"
	  " CONSTRAINT uq_cb UNIQUE (c COLLATE NOCASE, \"b\" DESC) ON CONFLICT REPLACE)",
	  "pk I; u(c, b) R" },
	{ "UNIQUEs matched by their columns, in order",
	  "CREATE TABLE t (a INT UNIQUE, b INT, c INT, UNIQUE (b, c) ON CONFLICT IGNORE,"
	  " UNIQUE (c) ON CONFLICT FAIL, UNIQUE (a, b))",
	  "u(a) -; u(b, c) I; u(c) F; u(a, b) -" },
	{ "a second UNIQUE on the same columns lends its clause to the first",
	  "CREATE TABLE t (a INT UNIQUE, UNIQUE (a) ON CONFLICT REPLACE)",
	  "u(a) R" },
	{ "... and keeps the first's when it has one",
	  "CREATE TABLE t (a INT, UNIQUE (a) ON CONFLICT FAIL, UNIQUE (A))",
	  "u(a) F" },
	{ "a UNIQUE on the primary key's columns is the primary key's",
	  "CREATE TABLE t (a TEXT PRIMARY KEY, b INT, UNIQUE (a) ON CONFLICT REPLACE)",
	  "pk R" },
	{ "... also written before it, WITHOUT ROWID",
	  "CREATE TABLE t (a TEXT UNIQUE ON CONFLICT IGNORE, b INT, PRIMARY KEY (a))"
	  " WITHOUT ROWID",
	  "pk I; nn a -" },
	{ "... but an INTEGER PRIMARY KEY's UNIQUE has an index of its own",
	  "CREATE TABLE t (a INTEGER PRIMARY KEY, UNIQUE (a) ON CONFLICT REPLACE)",
	  "pk -; u(a) R" },
	{ "no clause: NULL ON CONFLICT, a CHECK's, an FK's ON DELETE, strings, comments",
	  "CREATE TABLE p (id INTEGER PRIMARY KEY);"
	  "CREATE TABLE t (a INT NULL ON CONFLICT REPLACE REFERENCES p ON DELETE SET NULL,"
	  " b TEXT DEFAULT 'UNIQUE ON CONFLICT REPLACE' NOT NULL, -- UNIQUE ON CONFLICT FAIL\n"
	  " c INT CHECK (c > 0), CHECK (b <> '') ON CONFLICT REPLACE,"
	  " UNIQUE (c) /* ON CONFLICT IGNORE */)",
	  "u(c) -; nn b -" },
	{ "types with sizes, generated columns, defaults in parentheses",
	  "CREATE TABLE t (a VARCHAR(10) NOT NULL ON CONFLICT FAIL,"
	  " b INT DEFAULT (1 + 2) UNIQUE ON CONFLICT ROLLBACK,"
	  " c INT AS (b * 2) STORED NOT NULL ON CONFLICT IGNORE)",
	  "u(b) R; nn a F; nn c I" },
	{ "quoted and odd column names",
	  "CREATE TABLE t (\"My Col\" TEXT UNIQUE ON CONFLICT IGNORE, [x.y] INT,"
	  " `z` INT NOT NULL ON CONFLICT REPLACE, UNIQUE ([x.y], z) ON CONFLICT FAIL)",
	  "u(my col) I; u(x.y, z) F; nn z R" },
};

static void
test_reading(void)
{
	struct catalog *c;
	char *got, label[200];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = read_sql("conflict.db", cases[i].sql);
		got = c != NULL ? clauses(c, "t") : xstrdup("read failed");
		snprintf(label, sizeof label, "reads: %s", cases[i].what);
		is_str(got, cases[i].want, label);
		free(got);
		cat_free(c);
	}
}

/* A compiled catalog keeps a clause, and says nothing of the default: the
 * files compiled before clauses were read stay what they were. */
static void
test_json(void)
{
	struct catalog *c, *back;
	struct diff_list l = { NULL, 0 };
	char *text, *err = NULL, *got;

	c = read_sql("json.db", "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT REPLACE,"
	    " a TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT FAIL, b TEXT NOT NULL UNIQUE)");
	if (!ok(c != NULL, "json: read"))
		return;
	text = catjson_dump(c, NULL);
	ok(strstr(text, "\"on_conflict\": \"REPLACE\"") != NULL,
	    "json: a primary key's clause is written");
	ok(strstr(text, "\"on_conflict\": \"IGNORE\"") != NULL,
	    "json: a NOT NULL's clause is written");
	ok(strstr(text, "\"on_conflict\": \"FAIL\"") != NULL, "json: a UNIQUE's clause is written");
	ok(strstr(text, "ABORT") == NULL, "json: the default is never written");
	back = catjson_load(text, NULL, &err);
	if (ok(back != NULL, "json: loads back")) {
		got = clauses(back, "t");
		is_str(got, "pk R; u(a) F; u(b) -; nn a I; nn b -", "json: the clauses load back");
		free(got);
		compare_catalogs(c, back, &l);
		is_int(l.n, 0, "json: loaded back it compares equal to what was read");
		diff_list_free(&l);
		cat_free(back);
	} else {
		printf("# %s\n", err);
		free(err);
	}
	free(text);
	cat_free(c);
	back = catjson_load("{\"format\": \"" CATJSON_FORMAT "\", \"dialect\": \"sqlite\","
	    " \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"TEXT\","
	    " \"notnull\": true, \"on_conflict\": \"SOMETIMES\"}]}]}", NULL, &err);
	ok(back == NULL, "json: an unknown resolution is refused");
	is_str(err, "tables[0].columns[0]: unknown ON CONFLICT resolution",
	    "... naming the place");
	cat_free(back);
	free(err);
}

int
main(void)
{
	tmpdir = getenv("SW_TEST_TMP");
	if (tmpdir == NULL)
		tmpdir = "/tmp";
	test_reading();
	test_json();
	return tap_done();
}

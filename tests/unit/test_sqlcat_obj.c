/* Unit tests for sqlcat_obj.c against real SQLite files: table options
 * (WITHOUT ROWID, STRICT, AUTOINCREMENT), views and triggers taken from the
 * CREATE text, which of them a read takes (want), and how SQLite's code is
 * compared (catobj.c's RULE_SQL in the SQLite dialect). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "catalog.h"
#include "compare.h"
#include "sqlcat.h"
#include "util.h"
#include "tap.h"

static const char *tmpdir;

/* A fresh database at a path of the test's directory, made by sql. */
static char *
make_db(const char *name, const char *sql)
{
	char *path = xasprintf("%s/%s", tmpdir, name), *err = NULL;
	sqlite3 *db;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# setup of %s failed: %s\n", path, err ? err : sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_close(db);
	return path;
}

static struct catalog *
read_want(const char *path, const struct cat_want *want)
{
	struct catalog *c;
	sqlite3 *db;
	char *err = NULL;

	if (sqlcat_open_ro(path, &db, &err) != SQLITE_OK) {
		printf("# %s\n", err);
		exit(1);
	}
	if ((c = sqlcat_read_want(db, want, NULL, NULL, &err)) == NULL)
		printf("# %s\n", err);
	sqlite3_close(db);
	free(err);
	return c;
}

static struct catalog *
read_all(const char *path)
{
	const struct cat_want all = { NULL, NULL, true, NULL };

	return read_want(path, &all);
}

/* A property as stored (raw), "-" when absent. */
static const char *
opt(const struct catalog *c, const char *table, const char *key)
{
	const struct cat_table *t = cat_find_table(c, table);
	const struct cat_prop *p = t != NULL ? cat_prop_get(&t->opts, key) : NULL;

	return p != NULL ? p->raw : "-";
}

static const char *
prop(const struct catalog *c, const char *kind, const char *name, const char *key)
{
	const struct cat_object *o = cat_find_object(c, kind, name);
	const struct cat_prop *p = o != NULL ? cat_prop_get(&o->props, key) : NULL;

	return o == NULL ? "(no object)" : p != NULL ? p->raw : "-";
}

/* ---- table options ---------------------------------------------------------------- */

static void
test_options(void)
{
	char *path = make_db("opts.db",
	    "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);"
	    "CREATE TABLE \"B\" (k TEXT PRIMARY KEY, v ANY) strict , without rowid;"
	    "CREATE TABLE c (\"Id\" INTEGER, x TEXT, CONSTRAINT pk PRIMARY KEY (\"Id\" AUTOINCREMENT));"
	    "CREATE TABLE d (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'WITHOUT ROWID STRICT' "
	    "  CHECK (note <> 'AUTOINCREMENT'));"
	    "CREATE TABLE e (id INTEGER PRIMARY KEY);"
	    "CREATE TABLE e2 (id INTEGER PRIMARY KEY AUTOINCREMENT);"
	    "DROP TABLE e; ALTER TABLE e2 RENAME TO e;");
	struct catalog *c = read_all(path);

	if (!ok(c != NULL, "a database with table options is read"))
		return;
	is_str(opt(c, "a", "table_autoincrement"), "id", "AUTOINCREMENT names its column");
	is_str(opt(c, "a", "table_strict"), "-", "not STRICT: no option");
	is_str(opt(c, "b", "table_strict"), "true", "strict, in lower case, is STRICT");
	is_str(opt(c, "b", "table_without_rowid"), "true", "without rowid after a comma");
	is_str(opt(c, "b", "table_autoincrement"), "-", "no AUTOINCREMENT");
	is_str(opt(c, "c", "table_autoincrement"), "id",
	    "PRIMARY KEY (\"Id\" AUTOINCREMENT) as a table constraint, folded");
	is_str(opt(c, "d", "table_without_rowid"), "-", "the words in a string are no option");
	is_str(opt(c, "d", "table_strict"), "-", "... nor STRICT");
	is_str(opt(c, "d", "table_autoincrement"), "-", "... nor in a CHECK");
	is_str(opt(c, "e", "table_autoincrement"), "id",
	    "a table rebuilt and renamed (CREATE TABLE \"e\") keeps its options");
	is_int(cat_find_table(c, "e")->opts.n, 1, "and has no other");
	cat_free(c);
	free(path);
}

/* ---- triggers and views ------------------------------------------------------------------ */

static const char objects_sql[] =
    "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, \"B\" INT);"
    "CREATE TABLE other (id INTEGER PRIMARY KEY);"
    "CREATE TRIGGER Trg_Upd AFTER UPDATE OF \"B\", a ON t FOR EACH ROW"
    "  WHEN new.a > 0 -- positive\n"
    "BEGIN UPDATE t SET a = 0 WHERE id = new.id; /* and */ SELECT 'Case'; END;"
    "CREATE TRIGGER trg_ins INSERT ON t BEGIN SELECT 1; END;"
    "CREATE VIEW \"V\" (x, [Y]) AS SELECT id, a FROM t WHERE a = 'Begin END';"
    "CREATE TRIGGER IF NOT EXISTS main.trg_del INSTEAD OF DELETE ON v BEGIN SELECT 2; END;"
    "CREATE TRIGGER other_ins AFTER INSERT ON other BEGIN SELECT 3; END;"
    "CREATE VIEW w AS SELECT * FROM other;";

static void
test_triggers(void)
{
	char *path = make_db("objs.db", objects_sql);
	struct catalog *c = read_all(path);
	const struct cat_object *o;

	if (!ok(c != NULL, "a database with views and triggers is read"))
		return;
	is_int(c->nobjects, 6, "two views and four triggers");
	o = cat_find_object(c, "trigger", "t.trg_upd");
	ok(o != NULL && o->table != NULL && strcmp(o->table, "t") == 0,
	    "a table's trigger is table.trigger, folded, with its table");
	is_str(prop(c, "trigger", "t.trg_upd", "timing"), "AFTER", "timing");
	is_str(prop(c, "trigger", "t.trg_upd", "events"), "UPDATE OF a, b",
	    "UPDATE OF: the columns folded, unquoted and sorted");
	is_str(prop(c, "trigger", "t.trg_upd", "when"), "new.a > 0", "WHEN, comment gone");
	is_str(prop(c, "trigger", "t.trg_upd", "body"),
	    "UPDATE t SET a = 0 WHERE id = new.id; SELECT 'Case';", "the body between BEGIN and END");
	is_str(prop(c, "trigger", "t.trg_ins", "timing"), "BEFORE", "no timing is SQLite's BEFORE");
	is_str(prop(c, "trigger", "t.trg_ins", "events"), "INSERT", "INSERT");
	is_str(prop(c, "trigger", "t.trg_ins", "when"), "-", "no WHEN, no property");
	is_str(prop(c, "trigger", "t.trg_ins", "level"), "ROW", "every SQLite trigger is per row");
	o = cat_find_object(c, "trigger", "v.trg_del");
	ok(o != NULL && o->table == NULL, "a view's trigger is view.trigger, schema-level");
	is_str(prop(c, "trigger", "v.trg_del", "timing"), "INSTEAD OF",
	    "INSTEAD OF, after IF NOT EXISTS and a schema name");
	is_str(prop(c, "trigger", "v.trg_del", "events"), "DELETE", "DELETE");
	is_str(prop(c, "view", "v", "columns"), "x, y", "a view's column list, folded");
	is_str(prop(c, "view", "v", "query"), "SELECT id, a FROM t WHERE a = 'Begin END'",
	    "a view's query: the text after AS");
	is_str(prop(c, "view", "w", "columns"), "-", "no column list, no property");
	ok(cat_find_object(c, "trigger", "other.other_ins") != NULL, "every table's triggers");
	cat_free(c);
	free(path);
	path = make_db("begin.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, begin INT);"
	    "CREATE TRIGGER g AFTER INSERT ON t WHEN new.begin > 0 AND abs(begin) > 1 "
	    "BEGIN SELECT 1; END;");
	c = read_all(path);
	is_str(c != NULL ? prop(c, "trigger", "t.g", "when") : NULL,
	    "new.begin > 0 AND abs(begin) > 1", "a column named begin does not start the body");
	cat_free(c);
	free(path);
}

/* Which objects a read takes: triggers with the tables read, views by name. */
static void
test_want(void)
{
	char *path = make_db("want.db", objects_sql);
	struct cat_strv tables = { NULL, 0 }, names = { NULL, 0 };
	struct cat_want w = { &tables, NULL, false, NULL };
	struct catalog *c;

	cat_strv_add(&tables, "T");
	c = read_want(path, &w);
	ok(c != NULL && c->nobjects == 2 && cat_find_object(c, "trigger", "t.trg_ins") != NULL &&
	    cat_find_object(c, "trigger", "T.trg_ins") == NULL,
	    "a table read (in another case) brings its triggers, named as folded");
	cat_free(c);
	w.objects = &names;
	cat_strv_add(&names, "v");
	cat_strv_add(&names, "nope");
	c = read_want(path, &w);
	ok(c != NULL && c->nobjects == 4 && cat_find_object(c, "view", "v") != NULL &&
	    cat_find_object(c, "trigger", "v.trg_del") != NULL &&
	    cat_find_object(c, "view", "w") == NULL,
	    "a view by name (\"V\" as v), with its trigger; an absent name is no error");
	cat_free(c);
	cat_strv_free(&tables);
	w.tables = NULL;
	c = read_want(path, &w);
	ok(c != NULL && c->ntables == 0 && c->nobjects == 2, "views without tables");
	cat_free(c);
	cat_strv_free(&names);
	free(path);
}

/* ---- comparing SQLite code ---------------------------------------------------------------- */

static const char *
canon(const char *kind, const char *key, const char *raw, char **keep)
{
	struct cat_props ps = { NULL, 0 };

	cat_prop_set(&ps, CAT_SQLITE, kind, key, raw);
	*keep = xstrdup(cat_prop_text(&ps.v[0]));
	cat_props_free(&ps);
	return *keep;
}

static void
same(const char *a, const char *b, bool want, const char *what)
{
	char *ka, *kb;
	bool eq = strcmp(canon("view", "query", a, &ka), canon("view", "query", b, &kb)) == 0;

	if (!ok(eq == want, what))
		printf("#   %s\n#   %s\n", ka, kb);
	free(ka);
	free(kb);
}

static void
test_canon(void)
{
	char *k;

	is_str(canon("view", "query", "SELECT \"A b\", [C], `d`, 'Mixed' FROM T -- c\n;", &k),
	    "select \"a b\",c,d,'Mixed' from t", "SQLite code: case folded outside strings");
	free(k);
	is_str(canon("trigger", "body", "UPDATE T SET A = 1 ;", &k), "update t set a=1",
	    "a trigger's body is code too");
	free(k);
	same("SELECT a FROM t WHERE a = 1", "select A from T where a=1", true,
	    "keyword and identifier case, spaces next to operators");
	same("SELECT a FROM t WHERE b = 'X'", "SELECT a FROM t WHERE b = 'x'", false,
	    "a string literal's case counts");
	same("SELECT a b FROM t", "SELECT \"a\"\"b\" FROM t", false,
	    "\"a\"b stays apart from a b");
	same("SELECT \"a\"b FROM t", "SELECT a b FROM t", true,
	    "an unquoted identifier keeps its distance");
	same("SELECT x'00' FROM t", "SELECT x '00' FROM t", false,
	    "a blob literal is not a column with an alias");
	same("SELECT \"it's\" FROM t", "SELECT [it's] FROM t", true,
	    "a quote inside a quoted identifier is no string");
	same("SELECT 1 -- it's\nFROM t", "SELECT 1 FROM t", true,
	    "a quote in a comment starts no string");
	same("SELECT a FROM t", "SELECT a FROM t2", false, "another table");
	/* PostgreSQL's identifiers keep their case: its rule is the plain one. */
	{
		struct cat_props ps = { NULL, 0 };

		cat_prop_set(&ps, CAT_PG, "view", "query", "SELECT A FROM t");
		is_str(cat_prop_text(&ps.v[0]), "SELECT A FROM t", "PostgreSQL: not folded");
		cat_props_free(&ps);
	}
}

/* Two databases with one schema spelled two ways compare equal; a change
 * of each property is one difference of the right kind. */
static int
diffs(const char *a_sql, const char *b_sql, const char *kind)
{
	char *pa = make_db("cmp_a.db", a_sql), *pb = make_db("cmp_b.db", b_sql);
	struct catalog *a = read_all(pa), *b = read_all(pb);
	struct diff_list l = { 0 };
	int i, n = 0;

	compare_catalogs(a, b, &l);
	for (i = 0; i < l.n; i++) {
		if (kind == NULL || strcmp(diff_kind_name(l.v[i].kind), kind) == 0)
			n++;
		else
			printf("#   other difference: %s %s\n", l.v[i].object,
			    diff_kind_name(l.v[i].kind));
	}
	diff_list_free(&l);
	cat_free(a);
	cat_free(b);
	free(pa);
	free(pb);
	return n;
}

static void
test_compare(void)
{
	static const char base[] =
	    "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT) STRICT;"
	    "CREATE VIEW v AS SELECT id FROM t WHERE a > 0;"
	    "CREATE TRIGGER g AFTER INSERT ON t WHEN new.a > 1 BEGIN SELECT 1; END;";

	is_int(diffs(base,
	    "create table T (ID integer primary key autoincrement, A int) strict;"
	    "create view V as select ID from T where A>0;"
	    "create trigger G after insert on T for each row when NEW.a > 1 begin select 1; end;",
	    NULL), 0, "one schema spelled in other case and spacing: no difference");
	is_int(diffs(base,
	    "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);"
	    "CREATE VIEW v AS SELECT id FROM t WHERE a > 0;"
	    "CREATE TRIGGER g AFTER INSERT ON t WHEN new.a > 1 BEGIN SELECT 1; END;",
	    NULL), 2, "AUTOINCREMENT and STRICT gone: two option differences");
	is_int(diffs(base,
	    "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT) STRICT;"
	    "CREATE VIEW v AS SELECT id FROM t WHERE a > 0;"
	    "CREATE TRIGGER g BEFORE UPDATE OF a ON t WHEN new.a > 2 BEGIN SELECT 2; END;",
	    "trigger_changed"), 4, "timing, event, WHEN, body: four trigger_changed");
	is_int(diffs(base,
	    "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT) STRICT;"
	    "CREATE VIEW v AS SELECT id FROM t WHERE a >= 0;",
	    NULL), 2, "a view changed and a trigger missing");
}

int
main(void)
{
	tmpdir = getenv("SW_TEST_TMP");
	if (tmpdir == NULL)
		tmpdir = "/tmp";
	test_options();
	test_triggers();
	test_want();
	test_canon();
	test_compare();
	return tap_done();
}

/* Unit tests for sqlcat.c and probe_sqlite.c against real SQLite files:
 * the V7 DDL read back exactly, the CREATE-text parsing (CHECK, partial
 * predicates, expression keys, DEFERRABLE), read-only opening that never
 * creates or changes a file, and the threaded probe through an event loop
 * (result, cancel, busy timeout, and the deadline of an open that blocks). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <sqlite3.h>

#include "catalog.h"
#include "probe.h"
#include "probe_int.h"
#include "sqlcat.h"
#include "util.h"
#include "worker.h"
#include "tap.h"

static const char *tmpdir;

/* A fresh path in the test's directory: nothing left there by an earlier run. */
static char *
tmp_path(const char *name)
{
	char *path = xasprintf("%s/%s", tmpdir, name);

	unlink(path);
	return path;
}

static bool
file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Create (or extend) a database with a read-write connection. */
static void
db_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# setup of %s failed: %s\n", path, err ? err : sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_close(db);
}

static char *
v7_db(const char *name)
{
	char *ddlpath, *ddl, *path = tmp_path(name);
	const char *src = getenv("SW_SRCDIR");

	ddlpath = xasprintf("%s/sql/prompter/v7-upgrade.sqlite.sql", src ? src : ".");
	if ((ddl = read_file(ddlpath, NULL)) == NULL) {
		printf("# cannot read %s: %s\n", ddlpath, strerror(errno));
		exit(1);
	}
	db_exec(path, ddl);
	free(ddl);
	free(ddlpath);
	return path;
}

/* Open read-only and read; NULL with *err on failure. */
/* The V7 tables: what the shipped definition makes a probe read. */
static struct catalog *
read_v7(sqlite3 *db, char **err)
{
	static const char *const names[] = { "prompt_templates", "prompt_versions",
	    "prompt_results" };
	struct cat_strv v = { NULL, 0 };
	struct catalog *c;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		cat_strv_add(&v, names[i]);
	c = sqlcat_read_tables(db, &v, NULL, NULL, err);
	cat_strv_free(&v);
	return c;
}

/* A probe of the V7 tables, as the daemon starts one for the shipped
 * definition. */
static struct probe *
v7_probe(struct event_base *base, const char *path, int64_t timeout_ms, probe_done_cb cb,
    void *arg)
{
	static struct cat_strv v;
	struct probe_sqlite_opts o = { .open_timeout_ms = timeout_ms,
	    .busy_timeout_ms = timeout_ms };

	if (v.n == 0) {
		cat_strv_add(&v, "prompt_templates");
		cat_strv_add(&v, "prompt_versions");
		cat_strv_add(&v, "prompt_results");
	}
	o.what.tables = &v;
	return probe_sqlite_start_opts(base, path, &o, cb, arg);
}

static struct catalog *
read_cat(const char *path, char **err)
{
	struct catalog *c;
	sqlite3 *db;

	*err = NULL;
	if (sqlcat_open_ro(path, &db, err) != SQLITE_OK)
		return NULL;
	c = read_v7(db, err);
	sqlite3_close(db);
	return c;
}

/* Everything in a catalog as text, to compare two catalogs in one check. */
static char *
cat_dump(const struct catalog *c)
{
	struct sbuf sb;
	int i, j;
	char *s;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (i = 0; i < c->ntables; i++) {
		const struct cat_table *t = &c->tables[i];

		sbuf_printf(&sb, "table %s\n", t->name);
		for (j = 0; j < t->ncols; j++)
			sbuf_printf(&sb, " col %s %s %d %s\n", t->cols[j].name, t->cols[j].type_raw,
			    t->cols[j].notnull, t->cols[j].dflt_raw ? t->cols[j].dflt_raw : "-");
		if (t->pk != NULL) {
			s = cat_strv_join(&t->pk->cols);
			sbuf_printf(&sb, " pk %s\n", s);
			free(s);
		}
		for (j = 0; j < t->nuniques; j++) {
			s = cat_strv_join(&t->uniques[j].cols);
			sbuf_printf(&sb, " unique %s\n", s);
			free(s);
		}
		for (j = 0; j < t->nfks; j++) {
			s = cat_fk_describe(&t->fks[j]);
			sbuf_printf(&sb, " fk %s\n", s);
			free(s);
		}
		for (j = 0; j < t->nchecks; j++)
			sbuf_printf(&sb, " check %s\n", t->checks[j].expr_raw);
		for (j = 0; j < t->nindexes; j++) {
			s = cat_index_describe(&t->indexes[j]);
			sbuf_printf(&sb, " index %s %s\n", t->indexes[j].name, s);
			free(s);
		}
	}
	return sbuf_steal(&sb);
}

static char *
strv_join(const struct cat_strv *sv)
{
	return cat_strv_join(sv);
}

#define is_strv(sv, want, what) do {			\
	char *s_ = strv_join(sv);			\
	is_str(s_, (want), (what));			\
	free(s_);					\
} while (0)

/* ---- V7 ----------------------------------------------------------------- */

struct col_want {
	const char	*name, *type;
	int		 notnull;
	const char	*dflt;
};

static void
check_cols(const struct cat_table *t, const struct col_want *w, int n)
{
	int i;

	if (!is_int(t->ncols, n, "column count"))
		return;
	for (i = 0; i < n; i++) {
		is_str(t->cols[i].name, w[i].name, "column name");
		is_str(t->cols[i].type_raw, w[i].type, w[i].name);
		is_int(t->cols[i].notnull, w[i].notnull, w[i].name);
		is_str(t->cols[i].dflt_raw, w[i].dflt, w[i].name);
	}
}

static void
test_v7(const char *path)
{
	static const struct col_want tpl[] = {
		{ "id", "TEXT", 1, NULL },
		{ "org_id", "TEXT", 1, NULL },
		{ "workspace_id", "TEXT", 1, NULL },
		{ "name", "TEXT", 1, NULL },
		{ "config", "TEXT", 1, "'{}'" },
		{ "config_hash", "TEXT", 1, NULL },
		{ "created_at", "TEXT", 1, "datetime('now')" },
		{ "updated_at", "TEXT", 1, "datetime('now')" },
		{ "deleted_at", "TEXT", 0, NULL },
	};
	static const struct col_want ver[] = {
		{ "id", "TEXT", 1, NULL },
		{ "template_id", "TEXT", 1, NULL },
		{ "version", "INTEGER", 1, NULL },
		{ "body", "TEXT", 1, NULL },
		{ "variables", "TEXT", 1, "'[]'" },
		{ "created_at", "TEXT", 1, "datetime('now')" },
	};
	static const struct col_want res[] = {
		{ "id", "TEXT", 1, NULL },
		{ "version_id", "TEXT", 1, NULL },
		{ "status", "TEXT", 1, "'pending'" },
		{ "input", "TEXT", 1, "'{}'" },
		{ "output", "TEXT", 0, NULL },
		{ "latency_ms", "INTEGER", 0, NULL },
		{ "created_at", "TEXT", 1, "datetime('now')" },
	};
	struct catalog *c;
	struct cat_table *t;
	struct cat_index *ix;
	char *err;

	c = read_cat(path, &err);
	if (!ok(c != NULL, "V7 database is read")) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_int(c->dialect, CAT_SQLITE, "dialect is sqlite");
	ok(!c->constraint_names, "sqlite reports no constraint names");
	if (!is_int(c->ntables, 3, "V7: three tables")) {
		cat_free(c);
		return;
	}
	is_str(c->tables[0].name, "prompt_templates", "tables in V7 order (0)");
	is_str(c->tables[1].name, "prompt_versions", "tables in V7 order (1)");
	is_str(c->tables[2].name, "prompt_results", "tables in V7 order (2)");

	t = cat_find_table(c, "prompt_templates");
	check_cols(t, tpl, 9);
	ok(t->pk != NULL && t->pk->name == NULL, "prompt_templates pk has no name");
	if (t->pk != NULL)
		is_strv(&t->pk->cols, "id", "prompt_templates pk (id)");
	is_int(t->nuniques, 0, "prompt_templates: no unique constraint");
	is_int(t->nfks, 0, "prompt_templates: no foreign key");
	if (is_int(t->nchecks, 1, "prompt_templates: one check")) {
		is_str(t->checks[0].expr_raw, "length(config_hash) = 64", "config_hash check text");
		ok(t->checks[0].name == NULL, "check has no name");
	}
	if (is_int(t->nindexes, 1, "prompt_templates: one index (not the pk's)")) {
		ix = &t->indexes[0];
		is_str(ix->name, "ux_tpl_org_ws_confighash_active", "partial index name");
		ok(ix->unique, "partial index is unique");
		is_str(ix->method, "btree", "method btree");
		is_str(ix->pred_raw, "deleted_at IS NULL", "partial index predicate");
		is_int(ix->keys.n, 3, "partial index has 3 keys");
		is_strv(&ix->keys, "org_id, workspace_id, config_hash", "partial index keys");
	}

	t = cat_find_table(c, "prompt_versions");
	check_cols(t, ver, 6);
	if (t->pk != NULL)
		is_strv(&t->pk->cols, "id", "prompt_versions pk (id)");
	if (is_int(t->nuniques, 1, "prompt_versions: one unique constraint")) {
		ok(t->uniques[0].name == NULL, "unique has no name");
		is_strv(&t->uniques[0].cols, "template_id, version", "unique (template_id, version)");
	}
	is_int(t->nindexes, 0, "prompt_versions: the unique is not an index");
	if (is_int(t->nfks, 1, "prompt_versions: one foreign key")) {
		struct cat_fk *fk = &t->fks[0];

		ok(fk->name == NULL, "fk has no name");
		is_strv(&fk->cols, "template_id", "fk columns");
		is_str(fk->ref_table, "prompt_templates", "fk parent");
		is_strv(&fk->ref_cols, "id", "fk parent columns");
		is_int(fk->on_delete, FK_CASCADE, "ON DELETE CASCADE");
		is_int(fk->on_update, FK_NO_ACTION, "ON UPDATE NO ACTION");
		ok(!fk->deferrable && !fk->deferred, "fk not deferrable");
	}
	if (is_int(t->nchecks, 1, "prompt_versions: one check"))
		is_str(t->checks[0].expr_raw, "version > 0", "version check text");

	t = cat_find_table(c, "prompt_results");
	check_cols(t, res, 7);
	if (t->pk != NULL)
		is_strv(&t->pk->cols, "id", "prompt_results pk (id)");
	if (is_int(t->nfks, 1, "prompt_results: one foreign key")) {
		is_str(t->fks[0].ref_table, "prompt_versions", "results fk parent");
		is_strv(&t->fks[0].cols, "version_id", "results fk columns");
		is_strv(&t->fks[0].ref_cols, "id", "results fk parent columns");
		is_int(t->fks[0].on_delete, FK_CASCADE, "results ON DELETE CASCADE");
	}
	if (is_int(t->nchecks, 2, "prompt_results: two checks")) {
		is_str(t->checks[0].expr_raw, "status IN ('pending', 'succeeded', 'failed')",
		    "status check text");
		is_str(t->checks[1].expr_raw, "latency_ms >= 0", "latency check text");
	}
	if (is_int(t->nindexes, 1, "prompt_results: one index")) {
		ix = &t->indexes[0];
		is_str(ix->name, "ix_prompt_results_version_created", "results index name");
		ok(!ix->unique, "results index not unique");
		ok(ix->pred_raw == NULL, "results index not partial");
		is_strv(&ix->keys, "version_id, created_at", "results index keys");
	}
	cat_free(c);
}

/* ---- CREATE-text parsing ------------------------------------------------ */

static void
test_parsing(void)
{
	char *path = tmp_path("odd.db"), *err;
	struct catalog *c;
	struct cat_table *t;
	struct cat_fk *fk;

	db_exec(path,
	    "CREATE TABLE users (id INTEGER PRIMARY KEY, CHECK (id > 0));\n"
	    "CREATE TABLE prompt_templates (\n"
	    "  id INTEGER PRIMARY KEY,\n"
	    "  name TEXT CHECK (length(name) < 100) NOT NULL,\n"
	    "  note TEXT DEFAULT 'x)y',\n"
	    "  -- a comment with CHECK (nothing) and a ) in it\n"
	    "  CHECK (note <> ')' /* not ) here */ AND note <> 'a''b'),\n"
	    "  CONSTRAINT \"weird)\" CHECK ([note] IS NOT NULL)\n"
	    ");\n"
	    "CREATE INDEX ix_keys ON prompt_templates (name DESC, lower(name), id);\n"
	    "CREATE INDEX \"ix coll\" ON prompt_templates (note COLLATE NOCASE,\n"
	    "  substr(note, 1, 2) COLLATE RTRIM DESC) WHERE note IS NOT NULL AND (id > 1);\n"
	    "CREATE TABLE prompt_versions (\n"
	    "  id TEXT,\n"
	    "  template_id INTEGER REFERENCES prompt_templates ON DELETE SET NULL\n"
	    "    DEFERRABLE INITIALLY DEFERRED,\n"
	    "  other INTEGER,\n"
	    "  FOREIGN KEY (other) REFERENCES Prompt_Templates (id) ON UPDATE CASCADE,\n"
	    "  PRIMARY KEY (template_id, id)\n"
	    ") WITHOUT ROWID;\n");
	c = read_cat(path, &err);
	if (!ok(c != NULL, "odd database is read")) {
		printf("# %s\n", err);
		free(err);
		free(path);
		return;
	}
	is_int(c->ntables, 2, "only V7 tables are read");
	t = cat_find_table(c, "prompt_templates");
	if (t == NULL || !ok(t->pk != NULL, "INTEGER PRIMARY KEY is a pk")) {
		cat_free(c);
		free(path);
		return;
	}
	is_strv(&t->pk->cols, "id", "rowid pk columns");
	is_str(t->cols[2].dflt_raw, "'x)y'", "default with a ) is kept whole");
	if (is_int(t->nchecks, 3, "three checks, none from the comment")) {
		is_str(t->checks[0].expr_raw, "length(name) < 100", "column-level check");
		is_str(t->checks[1].expr_raw, "note <> ')' AND note <> 'a''b'",
		    "check with ')' in a string and a comment");
		is_str(t->checks[2].expr_raw, "[note] IS NOT NULL", "named check, quoted name");
	}
	if (is_int(t->nindexes, 2, "two indexes")) {
		is_str(t->indexes[0].name, "ix_keys", "index order as created");
		is_strv(&t->indexes[0].keys, "name DESC, lower(name), id", "DESC and expression keys");
		ok(t->indexes[0].pred_raw == NULL, "ix_keys not partial");
		is_str(t->indexes[1].name, "ix coll", "quoted index name");
		is_strv(&t->indexes[1].keys, "note COLLATE NOCASE, substr(note, 1, 2) COLLATE RTRIM DESC",
		    "collations and expression with commas");
		is_str(t->indexes[1].pred_raw, "note IS NOT NULL AND (id > 1)", "predicate text");
	}

	t = cat_find_table(c, "prompt_versions");
	if (t != NULL && t->pk != NULL)
		is_strv(&t->pk->cols, "template_id, id", "pk in key order, not column order");
	if (t != NULL && is_int(t->nfks, 2, "two foreign keys")) {
		fk = &t->fks[0];
		is_strv(&fk->cols, "template_id", "column-level fk first");
		is_str(fk->ref_table, "prompt_templates", "fk parent");
		is_strv(&fk->ref_cols, "id", "fk without parent columns resolves to the pk");
		is_int(fk->on_delete, FK_SET_NULL, "ON DELETE SET NULL");
		ok(fk->deferrable && fk->deferred, "DEFERRABLE INITIALLY DEFERRED");
		fk = &t->fks[1];
		is_strv(&fk->cols, "other", "table-level fk");
		is_str(fk->ref_table, "prompt_templates", "parent name folded to the V7 spelling");
		is_strv(&fk->ref_cols, "id", "explicit parent column");
		is_int(fk->on_update, FK_CASCADE, "ON UPDATE CASCADE");
		is_int(fk->on_delete, FK_NO_ACTION, "ON DELETE NO ACTION");
		ok(!fk->deferrable, "second fk not deferrable");
	}
	cat_free(c);
	free(path);
}

/* The migration engine verifies inside its own transaction before COMMIT:
 * sqlcat_read sees the uncommitted DDL and leaves the transaction open. */
/* Collation names ignore case: an index key takes the collation of its
 * column as the column spells it, or as the key spells it. */
static void
test_collation_case(void)
{
	char *path = tmp_path("collation.db"), *err = NULL;
	const struct cat_table *t;
	struct catalog *c;

	db_exec(path,
	    "CREATE TABLE prompt_templates (a TEXT, b TEXT, slug TEXT COLLATE nocase);\n"
	    "CREATE INDEX ix_slug ON prompt_templates (slug, a COLLATE rtrim, b COLLATE Binary);\n");
	if (!ok((c = read_cat(path, &err)) != NULL, "collation database is read")) {
		printf("# %s\n", err);
		free(err);
		free(path);
		return;
	}
	t = cat_find_table(c, "prompt_templates");
	if (t != NULL && is_int(t->nindexes, 1, "one index"))
		is_strv(&t->indexes[0].keys, "slug COLLATE NOCASE, a COLLATE RTRIM, b",
		    "collation names upper case, BINARY is none");
	cat_free(c);
	free(path);
}

/* What SQLite keeps as written but means one way: DEFAULT NULL is no
 * default and DEFAULT TRUE/FALSE are the integers 1/0; strings that spell
 * them are strings. */
static void
test_default_spellings(void)
{
	static const char *const dflts[] = {
		NULL, NULL, "1", "0", "'NULL'", "1", "'true'", "1 + 0",
	};
	char *path = tmp_path("defaults.db"), *err = NULL;
	const struct cat_table *t;
	struct catalog *c;
	size_t i;

	db_exec(path,
	    "CREATE TABLE prompt_templates (\n"
	    "  a TEXT DEFAULT NULL, b TEXT DEFAULT ( null ), c INTEGER DEFAULT TRUE,\n"
	    "  d INTEGER DEFAULT (\tFalse\n), e TEXT DEFAULT 'NULL', f INTEGER DEFAULT 1,\n"
	    "  g TEXT DEFAULT 'true', h INTEGER DEFAULT (1 + 0));\n");
	if (!ok((c = read_cat(path, &err)) != NULL, "defaults database is read")) {
		printf("# %s\n", err);
		free(err);
		free(path);
		return;
	}
	t = cat_find_table(c, "prompt_templates");
	if (t != NULL && is_int(t->ncols, 8, "eight columns")) {
		for (i = 0; i < sizeof dflts / sizeof dflts[0]; i++)
			is_str(t->cols[i].dflt_raw, dflts[i], t->cols[i].name);
		ok(t->cols[0].dflt == NULL && t->cols[1].dflt == NULL,
		    "DEFAULT NULL normalizes to no default");
	}
	cat_free(c);
	free(path);
}

static void
test_in_transaction(void)
{
	char *path = tmp_path("txn.db"), *err = NULL;
	struct catalog *c;
	sqlite3 *db;

	db_exec(path, "CREATE TABLE other (x)");
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE; CREATE TABLE prompt_results (id TEXT PRIMARY KEY)",
	    NULL, NULL, NULL) != SQLITE_OK) {
		ok(0, "set up a transaction");
		sqlite3_close(db);
		free(path);
		return;
	}
	c = read_v7(db, &err);
	ok(c != NULL && c->ntables == 1, "read inside an open transaction sees its DDL");
	if (c == NULL)
		printf("# %s\n", err);
	ok(!sqlite3_get_autocommit(db), "the caller's transaction is still open");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	cat_free(c);
	free(err);
	sqlite3_close(db);
	free(path);
}

/* ---- opening ------------------------------------------------------------ */

static void
test_open(void)
{
	char *path, *err, *want;
	struct catalog *c;
	sqlite3 *db = NULL;
	int rc;

	path = tmp_path("empty.db");
	db_exec(path, "");
	c = read_cat(path, &err);
	ok(c != NULL && c->ntables == 0, "empty database: no table");
	cat_free(c);
	free(err);
	free(path);

	path = tmp_path("missing.db");
	rc = sqlcat_open_ro(path, &db, &err);
	ok(rc != SQLITE_OK && db == NULL, "missing file is not opened");
	want = xasprintf("cannot open %s: no such file", path);
	is_str(rc != SQLITE_OK ? err : NULL, want, "missing file error");
	ok(!file_exists(path), "missing file is not created");
	if (rc != SQLITE_OK)
		free(err);
	sqlite3_close(db);
	free(want);
	free(path);

	/* URI characters in the path are part of the name, never options. */
	path = tmp_path("q?mode=rwc#x%41.db");
	rc = sqlcat_open_ro(path, &db, &err);
	ok(rc != SQLITE_OK && !file_exists(path), "path with ?mode=rwc is not created");
	if (rc != SQLITE_OK)
		free(err);
	sqlite3_close(db);
	free(path);
	path = v7_db("we?ird#na%41me.db");
	c = read_cat(path, &err);
	ok(c != NULL && c->ntables == 3, "path with ? # % is opened as itself");
	if (c == NULL)
		printf("# %s\n", err);
	cat_free(c);
	free(path);

	path = tmp_path("garbage.db");
	{
		FILE *f = fopen(path, "w");
		int i;

		for (i = 0; i < 200; i++)
			fputs("this is not a database file.\n", f);
		fclose(f);
	}
	c = read_cat(path, &err);
	ok(c == NULL, "garbage file is not read");
	ok(err != NULL && strstr(err, "file is not a database") != NULL,
	    "garbage file error says so");
	if (err)
		printf("# %s\n", err);
	free(err);
	free(path);
}

/* ---- the probe ---------------------------------------------------------- */

struct got {
	struct event_base	*base;
	int			 calls;
	struct probe_result	*res;
};

static void
on_done(struct probe_result *r, void *arg)
{
	struct got *g = arg;

	g->calls++;
	probe_result_free(g->res);
	g->res = r;
	if (g->base != NULL)	/* the loop would otherwise wait for its time limit */
		event_base_loopbreak(g->base);
}

/* Run one probe to completion (or 10 s) on a fresh loop. */
static void
run_probe(const char *path, int64_t timeout_ms, struct got *g)
{
	struct event_base *base = event_base_new();
	struct timeval limit = { 10, 0 };

	memset(g, 0, sizeof *g);
	g->base = base;
	ok(v7_probe(base, path, timeout_ms, on_done, g) != NULL, "probe started");
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	event_base_free(base);
}

static void
got_free(struct got *g)
{
	probe_result_free(g->res);
	g->res = NULL;
}

struct snap {
	struct stat	 st;
	char		*data;
	size_t		 len;
};

static void
snap_take(const char *path, struct snap *s)
{
	stat(path, &s->st);
	s->data = read_file(path, &s->len);
}

static void
test_probe(const char *v7path)
{
	struct got g;
	struct snap before, after;
	char *path, *want, *got, *err, *side;
	struct catalog *c;
	static const char *const sides[] = { "-journal", "-wal", "-shm" };
	size_t i;

	snap_take(v7path, &before);
	run_probe(v7path, 1000, &g);
	is_int(g.calls, 1, "probe calls back once");
	if (g.res != NULL && is_int(g.res->status, PROBE_OK, "probe ok")) {
		c = read_cat(v7path, &err);
		want = cat_dump(c);
		got = cat_dump(g.res->cat);
		is_str(got, want, "probe catalog equals the direct read");
		is_int(g.res->round_trips, 0, "no round trips");
		ok(g.res->duration_ms >= 0 && g.res->duration_ms < 10000, "duration set");
		ok(g.res->error == NULL, "no error");
		free(want);
		free(got);
		cat_free(c);
	}
	got_free(&g);
	snap_take(v7path, &after);
	ok(before.data != NULL && after.data != NULL && before.len == after.len &&
	    memcmp(before.data, after.data, before.len) == 0, "file content unchanged");
	ok(before.st.st_mtim.tv_sec == after.st.st_mtim.tv_sec &&
	    before.st.st_mtim.tv_nsec == after.st.st_mtim.tv_nsec &&
	    before.st.st_size == after.st.st_size, "mtime and size unchanged");
	for (i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		side = xasprintf("%s%s", v7path, sides[i]);
		ok(!file_exists(side), sides[i]);
		free(side);
	}
	free(before.data);
	free(after.data);

	path = tmp_path("probe-missing.db");
	run_probe(path, 1000, &g);
	if (g.res != NULL && is_int(g.res->status, PROBE_UNREACHABLE, "missing file: unreachable"))
		ok(g.res->error != NULL && strstr(g.res->error, "no such file") != NULL,
		    "missing file: reason");
	ok(!file_exists(path), "probe does not create a missing file");
	got_free(&g);
	free(path);

	path = tmp_path("probe-garbage.db");
	{
		FILE *f = fopen(path, "w");

		for (i = 0; i < 100; i++)
			fputs("definitely not sqlite\n", f);
		fclose(f);
	}
	run_probe(path, 1000, &g);
	if (g.res != NULL && is_int(g.res->status, PROBE_ERROR, "garbage file: error"))
		ok(strstr(g.res->error, "file is not a database") != NULL, "garbage file: reason");
	got_free(&g);
	free(path);
}

/* A writer holds the database: the probe gives up after its busy timeout. */
static void
test_locked(const char *v7path)
{
	struct got g;
	sqlite3 *db;
	int64_t t0;

	if (sqlite3_open(v7path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK) {
		ok(0, "lock the database");
		sqlite3_close(db);
		return;
	}
	t0 = now_ms();
	run_probe(v7path, 200, &g);
	t0 = now_ms() - t0;
	is_int(g.calls, 1, "locked: probe calls back");
	if (g.res != NULL && is_int(g.res->status, PROBE_ERROR, "locked: error")) {
		ok(strstr(g.res->error, "locked") != NULL, "locked: reason");
		printf("# %s (%lld ms)\n", g.res->error, (long long)t0);
		ok(g.res->duration_ms >= 150 && g.res->duration_ms < 5000,
		    "locked: duration covers the busy wait");
	}
	ok(t0 >= 150 && t0 < 5000, "locked: gives up after the busy timeout");
	got_free(&g);

	/* Cancel while the worker waits on the lock: no callback, ever. */
	{
		struct event_base *base = event_base_new();
		struct timeval wait = { 0, 600 * 1000 };
		struct probe *p;

		memset(&g, 0, sizeof g);
		p = v7_probe(base, v7path, 300, on_done, &g);
		event_base_loopexit(base, &wait);
		event_base_loop(base, EVLOOP_NONBLOCK);
		probe_cancel(p);
		event_base_dispatch(base);	/* the worker finishes meanwhile */
		is_int(g.calls, 0, "cancelled while running: no callback");
		event_base_free(base);
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);

	/* Cancel right away and after the worker is done but before the loop ran. */
	{
		struct event_base *base = event_base_new();
		struct timeval wait = { 0, 300 * 1000 };
		struct probe *p1, *p2;

		memset(&g, 0, sizeof g);
		p1 = v7_probe(base, v7path, 300, on_done, &g);
		probe_cancel(p1);
		p2 = v7_probe(base, v7path, 300, on_done, &g);
		usleep(300 * 1000);	/* the worker has long finished */
		probe_cancel(p2);
		event_base_loopexit(base, &wait);
		event_base_dispatch(base);
		is_int(g.calls, 0, "cancelled before the loop ran: no callback");
		event_base_free(base);
	}
	usleep(200 * 1000);	/* let detached workers free their probes before exit */
}

/* Wake whoever is blocked opening the FIFO for reading: a writer that comes
 * and goes (retried until a reader is there; ENXIO means none yet). */
static bool
fifo_release(const char *path)
{
	int64_t t0 = now_ms();
	int fd;

	while ((fd = open(path, O_WRONLY | O_NONBLOCK)) < 0 && errno == ENXIO &&
	    now_ms() - t0 < 5000)
		usleep(10 * 1000);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool
workers_gone(int within_ms)
{
	int64_t t0 = now_ms();

	while (worker_jobs_live() != 0 && now_ms() - t0 < within_ms)
		usleep(1000);
	return worker_jobs_live() == 0;
}

/* A FIFO named as the database: sqlite3_open_v2 blocks in open(2) until a
 * writer appears, like a file on a hung mount. The probe gives up after its
 * open timeout, says why, and the loop goes on checking other files; the
 * worker stays blocked until the FIFO is released, then frees itself. */
static void
test_open_deadline(const char *v7path)
{
	struct probe_sqlite_opts o = { .open_timeout_ms = 300, .busy_timeout_ms = 1000 };
	struct event_base *base = event_base_new();
	struct timeval limit = { 10, 0 };
	char *fifo = tmp_path("hung.db"), *want;
	struct probe *p;
	struct got g;
	int n;

	if (mkfifo(fifo, 0600) != 0) {
		ok(0, "mkfifo");
		free(fifo);
		return;
	}
	memset(&g, 0, sizeof g);
	g.base = base;
	probe_sqlite_start_opts(base, fifo, &o, on_done, &g);
	is_int(g.calls, 0, "FIFO: no answer from inside start");
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	is_int(g.calls, 1, "FIFO: the probe answers although open() never returns");
	if (g.res != NULL && is_int(g.res->status, PROBE_UNREACHABLE, "FIFO: unreachable")) {
		want = xasprintf("timed out opening %s after 300 ms", fifo);
		is_str(g.res->error, want, "FIFO: the reason names the file and the timeout");
		free(want);
		ok(g.res->cat == NULL, "FIFO: no catalog");
	}
	got_free(&g);
	is_int(worker_jobs_live(), 1, "FIFO: the abandoned worker is still blocked in open()");

	/* The loop is free: another file is checked meanwhile. */
	memset(&g, 0, sizeof g);
	g.base = base;
	probe_sqlite_start_opts(base, v7path, &o, on_done, &g);
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	ok(g.res != NULL && g.res->status == PROBE_OK,
	    "another file is probed while the first worker hangs");
	got_free(&g);

	/* Cancelled while blocked in open(): no callback, ever. */
	memset(&g, 0, sizeof g);
	n = event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED);
	p = probe_sqlite_start_opts(base, fifo, &o, on_done, &g);
	event_base_loop(base, EVLOOP_NONBLOCK);
	probe_cancel(p);
	is_int(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), n,
	    "FIFO cancelled: no timer or pipe left on the loop");
	event_base_loopexit(base, &(struct timeval){ 0, 500 * 1000 });
	event_base_dispatch(base);
	is_int(g.calls, 0, "FIFO cancelled: no callback");

	/* Released, both workers return, see they were abandoned and free it all. */
	ok(fifo_release(fifo), "the FIFO gets a writer");
	ok(workers_gone(5000), "the abandoned workers free their probes once open() returns");
	event_base_loopexit(base, &(struct timeval){ 0, 100 * 1000 });
	event_base_dispatch(base);
	is_int(g.calls, 0, "... and call nobody back");
	event_base_free(base);
	unlink(fifo);
	free(fifo);
}

/* A read that hangs after the open (as on a mount that hangs mid-way):
 * probe_sqlite_read swapped for one that waits to be released. */
static pthread_mutex_t hang_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hang_cond = PTHREAD_COND_INITIALIZER;
static bool hang_released;

static probe_sqlite_read_fn real_read;

static struct catalog *
hanging_read(struct sqlite3 *db, const struct cat_want *want, const char *version_table,
    struct cat_version *ver, char **err)
{
	pthread_mutex_lock(&hang_mtx);
	while (!hang_released)
		pthread_cond_wait(&hang_cond, &hang_mtx);
	pthread_mutex_unlock(&hang_mtx);
	return real_read(db, want, version_table, ver, err);
}

static void
test_read_deadline(const char *v7path)
{
	struct probe_sqlite_opts o = { .open_timeout_ms = 5000, .busy_timeout_ms = 200 };
	struct event_base *base = event_base_new();
	struct timeval limit = { 10, 0 };
	struct got g;
	char *want;

	real_read = probe_sqlite_read;
	probe_sqlite_read = hanging_read;
	memset(&g, 0, sizeof g);
	g.base = base;
	probe_sqlite_start_opts(base, v7path, &o, on_done, &g);
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	is_int(g.calls, 1, "hung read: the probe answers");
	if (g.res != NULL && is_int(g.res->status, PROBE_ERROR, "hung read: error")) {
		/* The busy timeout and a second of grace, for SQLite's own answer. */
		want = xasprintf("timed out reading %s after 1200 ms", v7path);
		is_str(g.res->error, want, "hung read: the reason names the file and the wait");
		free(want);
	}
	got_free(&g);
	is_int(worker_jobs_live(), 1, "hung read: the worker is still reading");
	pthread_mutex_lock(&hang_mtx);
	hang_released = true;
	pthread_cond_broadcast(&hang_cond);
	pthread_mutex_unlock(&hang_mtx);
	ok(workers_gone(5000), "hung read: released, the worker frees the probe");
	event_base_loop(base, EVLOOP_NONBLOCK);
	is_int(g.calls, 1, "... without calling back again");
	probe_sqlite_read = real_read;
	event_base_free(base);
}

/* The whole database (want.all) but except, with what version_table records. */
static struct catalog *
read_all_except(const char *path, const char *except, const char *version_table,
    struct cat_version *ver)
{
	const struct cat_want want = { NULL, NULL, true, except };
	struct catalog *c = NULL;
	char *err = NULL;
	sqlite3 *db = NULL;

	if (sqlcat_open_ro(path, &db, &err) == SQLITE_OK)
		c = sqlcat_read_want(db, &want, version_table, ver, &err);
	if (err != NULL)
		printf("# %s: %s\n", path, err);
	free(err);
	sqlite3_close(db);
	return c;
}

/* "SPELLING: what" for a test's description (one at a time). */
static const char *
about(const char *spelling, const char *what)
{
	static char buf[160];

	snprintf(buf, sizeof buf, "%s: %s", spelling, what);
	return buf;
}

static bool
has_object(const struct catalog *c, const char *kind, const char *name)
{
	return c != NULL && cat_find_object(c, kind, name) != NULL;
}

/* want.except_table (the version table under scope: schema) is not read,
 * nor its triggers, and its name is compared as SQLite compares names:
 * without case, "ALEMBIC_VERSION" against alembic_version either way. */
static void
test_except_table(void)
{
	static const char *const spelled[][2] = {
		{ "ALEMBIC_VERSION", "alembic_version" },
		{ "alembic_version", "ALEMBIC_VERSION" },
		{ "alembic_version", "alembic_version" },
	};
	struct cat_version ver = { 0 };
	struct catalog *c;
	char *path, *sql;
	size_t i;

	for (i = 0; i < sizeof spelled / sizeof spelled[0]; i++) {
		path = tmp_path("except.db");
		sql = xasprintf("CREATE TABLE t (id INTEGER PRIMARY KEY);"
		    "CREATE TABLE %s (version_num TEXT NOT NULL PRIMARY KEY);"
		    "INSERT INTO %s VALUES ('abc');"
		    "CREATE TRIGGER av_trg BEFORE DELETE ON %s BEGIN SELECT 1; END;"
		    "CREATE TRIGGER t_trg BEFORE DELETE ON t BEGIN SELECT 1; END;",
		    spelled[i][0], spelled[i][0], spelled[i][0]);
		db_exec(path, sql);
		free(sql);
		c = read_all_except(path, NULL, NULL, NULL);
		ok(c != NULL && c->ntables == 2 && has_object(c, "trigger", "alembic_version.av_trg"),
		    about(spelled[i][0], "without except, read with its trigger"));
		cat_free(c);
		c = read_all_except(path, spelled[i][1], spelled[i][1], &ver);
		ok(c != NULL && c->ntables == 1 && cat_find_table(c, "t") != NULL,
		    about(spelled[i][0], strcmp(spelled[i][1], spelled[i][0]) != 0 ?
		    "except in the other case leaves it out" : "except leaves it out"));
		ok(c != NULL && c->nobjects == 1 && has_object(c, "trigger", "t.t_trg"),
		    about(spelled[i][0], "with its trigger, not the other table's"));
		ok(ver.read && ver.table && ver.row != NULL && strcmp(ver.row, "abc") == 0,
		    about(spelled[i][0], "its version is still read"));
		cat_version_free(&ver);
		cat_free(c);
		c = read_all_except(path, "alembic", NULL, NULL);
		is_int(c != NULL ? c->ntables : -1, 2, "except names a whole name, not a prefix");
		cat_free(c);
		free(path);
	}
}

int
main(void)
{
	char *v7;

	tmpdir = getenv("SW_TEST_TMP");
	if (tmpdir == NULL)
		tmpdir = "/tmp";
	v7 = v7_db("v7.db");
	test_v7(v7);
	test_parsing();
	test_collation_case();
	test_default_spellings();
	test_in_transaction();
	test_except_table();
	test_open();
	test_probe(v7);
	test_locked(v7);
	test_open_deadline(v7);
	test_read_deadline(v7);
	free(v7);
	return tap_done();
}

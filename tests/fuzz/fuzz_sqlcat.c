/* fuzz_sqlcat — libFuzzer target for the SQLite schema reader (sqlcat.h):
 * the CREATE TABLE / INDEX / VIEW / TRIGGER text it takes apart with its own
 * small tokenizer (CHECK bodies, FOREIGN KEY clauses, partial-index
 * predicates, expression index keys, table options, views' queries,
 * triggers' events, WHEN and bodies), and the normalizer behind it.
 *
 * The input is run as SQL on a fresh in-memory database, statement by
 * statement; only CREATE TABLE, INDEX, VIEW and TRIGGER are let through (an
 * authorizer refuses everything else, so an input can never ATTACH or
 * VACUUM INTO a file; a progress handler stops a long query, such as a
 * CREATE TABLE AS of an endless recursive SELECT). SQLite's own parser
 * decides what schema text exists, as in a real database file; then
 * sqlcat_read_tables() reads every table it made, and sqlcat_read_want()
 * everything, and each must return a catalog or an error, never both or
 * neither. */
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "sqlcat.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every table of the database: what a definition naming them all reads. */
static void
all_tables(sqlite3 *db, struct cat_strv *v)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type = 'table'",
	    -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		cat_strv_add(v, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Set while a statement is prepared: did it create a table or an index? */
static int creates;

static int
authorize(void *arg, int action, const char *a, const char *b, const char *db,
    const char *trigger)
{
	(void)arg; (void)a; (void)b; (void)db; (void)trigger;
	switch (action) {
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_INDEX:
	case SQLITE_CREATE_VIEW:
	case SQLITE_CREATE_TRIGGER:
		creates++;
		return SQLITE_OK;
	case SQLITE_INSERT:	/* into sqlite_master, by the CREATE */
	case SQLITE_UPDATE:
	case SQLITE_READ:
	case SQLITE_SELECT:	/* a view's query is checked when it is made */
	case SQLITE_FUNCTION:
	case SQLITE_REINDEX:
		return SQLITE_OK;
	default:
		return SQLITE_DENY;
	}
}

/* Enough for any CREATE; a statement that runs longer is stopped. */
static int
too_long(void *arg)
{
	return ++*(int *)arg > 1000;
}

/* Runs what SQLite accepts of the input as schema. */
static void
load_schema(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	const char *tail;

	int ticks = 0;

	sqlite3_set_authorizer(db, authorize, NULL);
	sqlite3_progress_handler(db, 1000, too_long, &ticks);
	while (*sql != '\0') {
		creates = 0;
		st = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
			break;
		if (st != NULL && creates > 0)
			while (sqlite3_step(st) == SQLITE_ROW)
				;
		sqlite3_finalize(st);
		if (tail == sql)
			break;
		sql = tail;
	}
	/* sqlcat_read's own statements read sqlite_master and run pragmas. */
	sqlite3_set_authorizer(db, NULL, NULL);
	sqlite3_progress_handler(db, 0, NULL, NULL);
}

/* A result is a catalog or an error, never both or neither. */
static void
check_result(const char *what, struct catalog *c, char *err)
{
	if ((c == NULL) == (err == NULL)) {
		fprintf(stderr, "%s: catalog %p, error %s\n", what, (void *)c,
		    err ? err : "(null)");
		abort();
	}
	cat_free(c);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_strv tables = { NULL, 0 };
	const struct cat_want all = { NULL, NULL, true, NULL };
	struct catalog *c;
	sqlite3 *db;
	char *sql, *err = NULL;

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK)
		abort();
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
	sql = xstrndup((const char *)data, size);
	load_schema(db, sql);
	all_tables(db, &tables);
	c = sqlcat_read_tables(db, &tables, NULL, NULL, &err);
	cat_strv_free(&tables);
	check_result("sqlcat_read_tables", c, err);
	err = NULL;
	c = sqlcat_read_want(db, &all, NULL, NULL, &err);
	check_result("sqlcat_read_want", c, err);
	free(sql);
	sqlite3_close(db);
	return 0;
}

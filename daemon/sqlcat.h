/* sqlcat.h — read given tables of an open SQLite database into a catalog.
 *
 * Synchronous: call it off the loop thread (probe_sqlite.c's worker) or inside
 * the migration engine's own transaction. */
#ifndef SW_SQLCAT_H
#define SW_SQLCAT_H

#include <sqlite3.h>

#include "catalog.h"

/* The tables named in `tables` that exist (names compared without case),
 * in dependency order (cat_sort_tables), identifiers folded to lower case;
 * with a version_table and ver (both may be NULL), also what that table
 * records, in the same read transaction (free with cat_version_free).
 * Returns NULL and sets *err (caller frees) on failure. */
struct catalog	*sqlcat_read_tables(sqlite3 *, const struct cat_strv *tables,
		    const char *version_table, struct cat_version *ver, char **err);
/* The same for what `want` names: its tables, or (want->all) every table of
 * the main database but SQLite's own; the views named in want->objects (or
 * all); the triggers of every table and view read (sqlcat_obj.c). */
struct catalog	*sqlcat_read_want(sqlite3 *, const struct cat_want *,
		    const char *version_table, struct cat_version *ver, char **err);
/* Only what the version table records (as above), in the caller's
 * transaction if one is open. False and *err (caller frees) on failure. */
bool		 sqlcat_read_version(sqlite3 *, const char *version_table,
		    struct cat_version *ver, char **err);

/* Open a database read-only without ever creating or changing it
 * ("file:PATH?mode=ro", SQLITE_OPEN_URI). Returns SQLITE_* and sets *err. */
int		 sqlcat_open_ro(const char *path, sqlite3 **, char **err);

#endif

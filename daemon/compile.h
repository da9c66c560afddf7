/* compile.h — `schemawatchd --compile-definition DIR [--scratch CONNINFO]`.
 *
 * For every revision and dialect of a definition, the catalog that its
 * upgrade chain produces, computed by the engine itself: PostgreSQL in a
 * temporary database on the scratch server (always dropped, also on error
 * and on SIGINT/SIGTERM), SQLite in :memory:. Writes
 * DIR/compiled/REVISION.DIALECT.json (catjson.h), checks that every
 * downgrade leads back to exactly the revision before it, and checks parity
 * between the dialects. A one-shot command: it blocks, it is not the daemon loop. */
#ifndef SW_COMPILE_H
#define SW_COMPILE_H

/* Exit statuses (definitions.md). */
#define COMPILE_OK		0
#define COMPILE_PARITY		1	/* compiled, but the dialects disagree */
#define COMPILE_SQL		2	/* a SQL file failed (file, statement, message named),
					 * or a downgrade does not undo its upgrade */
#define COMPILE_USAGE		64
#define COMPILE_DEFINITION	78	/* definition.yaml is bad */

/* scratch: a libpq connection string; NULL or "" uses the libpq environment
 * (PGHOST, PGSERVICE, ...). Messages go to stderr, progress to stdout. */
int	compile_definition(const char *dir, const char *scratch);

#endif

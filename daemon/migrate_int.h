/* migrate_int.h — private to the migration engine (migrate.c and the two
 * dialects, migrate_pg.c and migrate_sqlite.c): what one apply needs, the
 * apply in progress, and the steps both dialects share.
 *
 * Both dialects run the same walk (migrate.h): read the target inside the
 * transaction and mig_route() it; count what a downgrade drops
 * (mig_dropped_tables, mig_count_rows, mig_rows_verdict); run each step's
 * statements (mig_next_statement) and mig_step_verified() it; write the
 * version row (mig_version_sql); read again and mig_finish(). Only reading
 * and executing differ between them. */
#ifndef SW_MIGRATE_INT_H
#define SW_MIGRATE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "definition.h"
#include "migrate.h"
#include "util.h"

/* What one apply needs, copied so that it does not depend on the lifetime
 * of the configuration it came from. The definition is loaded again from
 * def_dir by the engine (on the worker: nothing is shared with the loop). */
struct spec {
	char			*name;
	enum cfg_target_kind	 kind;
	char			*conninfo;
	char			*schema;
	char			*path;
	int64_t			 connect_timeout_ms;
	int64_t			 lock_timeout_ms;
	int64_t			 statement_timeout_ms;
	char			*def_dir;
	char			*expect;	/* expect: NULL = the last revision */
	char			*to;		/* --to: NULL = see migrate.h */
	bool			 downgrade;
	bool			 dry_run;
	bool			 force;
};

/* One step of the walk: revision rev's upgrade, or its downgrade (which
 * leaves the schema at rev - 1). */
struct mig_step {
	int		 rev;
	const char	*path;		/* into the definition */
	char		*sql;		/* the file's text */
};

/* One apply in progress. */
struct mig {
	const struct spec	*s;
	struct migrate_result	*r;
	struct definition	*def;
	enum cat_dialect	 dialect;
	int			 expected;	/* the target's expected revision */
	int			 at;		/* where the walk starts (-1: before the chain) */
	int			 to;		/* where it ends (-1: before the chain) */
	struct mig_step		*steps;
	int			 nsteps;
	char			*secret;	/* PostgreSQL password, scrubbed from messages */
	struct sbuf		 rows;		/* a downgrade: "table N rows" per dropped table */
	int64_t			 nrows;
};

/* Steps both dialects share (migrate.c). */
void		 mig_fail(struct mig *, enum migrate_outcome, char *error);
/* The state found first (cat freed; ver may be NULL: nothing recorded was
 * read) decides where the walk goes and whether it goes at all: false when
 * it stops here (refused, failed, or nothing to do; r says which). */
bool		 mig_route(struct mig *, struct catalog *cat, const struct cat_version *ver);
/* After step k's SQL: the schema must be exactly the revision the step
 * leads to (cat freed); false (failed, differences in r) when not. */
bool		 mig_step_verified(struct mig *, int k, struct catalog *cat);
/* After the last step and the version row: exactly the revision asked for,
 * with its version row; false (failed) when not. */
bool		 mig_finish(struct mig *, struct catalog *cat, const struct cat_version *ver);
/* The next statement of step k's SQL from *pos (NULL at the start): its
 * start and length, false at the end. Blank statements are skipped. */
bool		 mig_next_statement(const struct mig *, int k, const char **pos,
		    const char **stmt, size_t *len);
/* A failed statement: "running FILE:LINE: statement N (TEXT) failed: MSG". */
void		 mig_statement_failed(struct mig *, int k, const char *stmt, size_t len,
		    int n, const char *msg);
/* The tables the definition reads, and its version table (NULL: none). */
const struct cat_strv *mig_tables(const struct mig *);
const char	*mig_version_table(const struct mig *);
/* The revision the version row holds afterwards, or NULL for no row. */
const char	*mig_target_revision(const struct mig *);
/* The version-row statements; lit is the quoted revision or NULL (no row).
 * NULL when the definition records nothing (version_table: none). */
char		*mig_version_sql(const struct mig *, const char *lit);

/* A downgrade must not drop rows silently. The tables the downgrade files of
 * the walk drop ("DROP TABLE [IF EXISTS] name"; NULL-terminated, free each
 * and the vector); mig_count_rows notes one table's row count (for the
 * plan); mig_rows_verdict refuses (false) when rows would be dropped without
 * --force, and is true for a dry run. */
char		**mig_dropped_tables(const struct mig *);
void		 mig_count_rows(struct mig *, const char *table, int64_t rows);
bool		 mig_rows_verdict(struct mig *);

/* One apply on each dialect: fills m->r. */
void		 mig_pg_apply(struct mig *);		/* migrate_pg.c */
void		 mig_sqlite_apply(struct mig *);	/* migrate_sqlite.c */

#endif

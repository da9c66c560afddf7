/* migrate_int.h — private to the migration engine (migrate.c and the two
 * dialects, migrate_pg.c and migrate_sqlite.c): what one apply needs, the
 * apply in progress, and the steps both dialects share. */
#ifndef SW_MIGRATE_INT_H
#define SW_MIGRATE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "migrate.h"
#include "util.h"

/* What one apply needs, copied so that it does not depend on the lifetime
 * of the configuration it came from. */
struct spec {
	char			*name;
	enum cfg_target_kind	 kind;
	char			*conninfo;
	char			*schema;
	char			*path;
	int64_t			 connect_timeout_ms;
	int64_t			 lock_timeout_ms;
	int64_t			 statement_timeout_ms;
	char			*sql_dir;
	char			*rev_v7;
	char			*rev_prev;	/* "" = no row after a downgrade */
	bool			 downgrade;
	bool			 dry_run;
	bool			 force;
};

/* One apply in progress. */
struct mig {
	const struct spec	*s;
	struct migrate_result	*r;
	enum tgt_state		 want_before;	/* pending for an upgrade, ok for a downgrade */
	enum tgt_state		 want_after;
	char			*sql_path;
	char			*sql;		/* the file's text */
	char			*secret;	/* PostgreSQL password, scrubbed from messages */
	struct sbuf		 rows;		/* a downgrade: "table N rows" per dropped table */
	int64_t			 nrows;
};

/* Steps both dialects share (migrate.c). */
void		 mig_fail(struct mig *, enum migrate_outcome, char *error);
/* Judge a catalog read inside the transaction (frees it); the differences
 * go to r->diffs. */
enum tgt_state	 mig_judge(struct mig *, struct catalog *);
/* The state found first decides whether we go on; false: refused. */
bool		 mig_check_before(struct mig *, enum tgt_state);
/* After the DDL and the version row: exactly the intended state, or fail. */
bool		 mig_check_after(struct mig *, enum tgt_state);
/* "v7-upgrade.postgresql.sql", ... */
const char	*mig_sql_file_name(const struct spec *);
/* The revision the version row holds afterwards, or NULL for no row. */
const char	*mig_target_revision(const struct spec *);
/* The version-row statements; lit is the quoted revision or NULL (no row). */
char		*mig_version_sql(const struct spec *, const char *lit);

/* A downgrade must not drop rows silently. The tables the downgrade file
 * drops ("DROP TABLE [IF EXISTS] name"; NULL-terminated, free with
 * strv_free-like free of each and the vector); mig_count_rows notes one
 * table's row count (for the plan); mig_rows_verdict refuses (false) when
 * rows would be dropped without --force, and is true for a dry run. */
char		**mig_dropped_tables(const struct mig *);
void		 mig_count_rows(struct mig *, const char *table, int64_t rows);
bool		 mig_rows_verdict(struct mig *);

/* One apply on each dialect, m->sql read already: fills m->r. */
void		 mig_pg_apply(struct mig *);		/* migrate_pg.c */
void		 mig_sqlite_apply(struct mig *);	/* migrate_sqlite.c */

#endif

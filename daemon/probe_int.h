/* probe_int.h — private to the probe implementations (probe_pg.c,
 * probe_sqlite.c): the common header every probe struct starts with, so
 * probe_cancel() can dispatch without knowing the kind; and a test seam. */
#ifndef SW_PROBE_INT_H
#define SW_PROBE_INT_H

#include "probe.h"

enum probe_kind {
	PROBE_KIND_PG,
	PROBE_KIND_SQLITE,
};

/* Embed as the FIRST member of each implementation's struct, so a
 * struct probe * can be cast back to it. cancel() stops the probe, makes
 * sure its callback never runs, and frees (or arranges to free) everything. */
struct probe {
	enum probe_kind	 kind;
	void		(*cancel)(struct probe *);
};

/* What probe_sqlite.c's worker calls to read the catalog once the file is
 * open: sqlcat_read_want (sqlcat_read without tables), unless a test swaps it (before starting any probe) for
 * one that hangs like a read on a hung mount. */
struct sqlite3;
typedef struct catalog *(*probe_sqlite_read_fn)(struct sqlite3 *, const struct cat_want *,
    const char *version_table, struct cat_version *ver, char **err);
extern probe_sqlite_read_fn probe_sqlite_read;

/* libpq's conninfo syntax errors quote pieces of the string, which may be
 * the password: the first line with everything between double quotes
 * blanked out. Caller frees. */
char	*probe_redact_quoted(const char *msg);

/* probe_sqlite.c's part of probe_close_kept(). */
void	psq_close_kept(void);

#endif

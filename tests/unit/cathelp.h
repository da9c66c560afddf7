/* cathelp.h — what the unit tests that read real catalogs share: a database
 * that must answer (or the test bails out), a catalog read with one query,
 * and lookups into a catalog that return NULL for "not there". */
#ifndef SW_TEST_CATHELP_H
#define SW_TEST_CATHELP_H

#include <libpq-fe.h>

#include "catalog.h"

/* TAP "Bail out!" with what failed and the connection's message. */
void		 th_bail(const char *what, PGconn *) __attribute__((noreturn));
/* Runs sql (any number of statements); bails out when it fails. */
void		 th_exec(PGconn *, const char *sql);
/* A connection that is up, or bail out. */
PGconn		*th_connect(const char *conninfo);
/* The catalog of schema as pgcat_query_tables() reads it for want, and
 * (ver not NULL) what version_table records; NULL (and a TAP comment)
 * when the query fails. */
struct catalog	*th_read(PGconn *, const char *schema, const struct cat_want *,
		    const char *version_table, struct cat_version *ver);

const struct cat_column	*th_col(const struct cat_table *, const char *name);
const struct cat_index	*th_index(const struct cat_table *, const char *name);
/* The raw text of property key of object (kind, name), NULL when either
 * is absent. */
const char	*th_prop(const struct catalog *, const char *kind, const char *name,
		    const char *key);
/* The raw text of table option key, NULL when absent. */
const char	*th_option(const struct catalog *, const char *table, const char *key);

#endif

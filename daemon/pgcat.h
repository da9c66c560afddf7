/* pgcat.h — the PostgreSQL catalog query and its result as a struct catalog.
 *
 * Shared by the asynchronous probe (probe_pg.c) and the migration engine,
 * which introspects inside its own transaction before COMMIT. */
#ifndef SW_PGCAT_H
#define SW_PGCAT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "catalog.h"

/* One statement text (simple query protocol, may hold several statements) that
 * reads the tables named in `tables` (those that exist) of `schema` in one
 * round trip under an empty search_path. Names are quoted with
 * PQescapeLiteral on conn. With a version_table (NULL: none), the same round
 * trip also reads what that table records (pgcat_from_result_version).
 * Returns NULL (and *err) on failure, also for an empty list. Caller frees
 * with free(). */
char		*pgcat_query_tables(PGconn *, const char *schema, const struct cat_strv *tables,
		    const char *version_table, char **err);
/* Build the catalog from the last PGresult of that query, tables in
 * dependency order (cat_sort_tables).
 * Returns NULL and sets *err (caller frees) when the result is not usable. */
struct catalog	*pgcat_from_result(const PGresult *, char **err);
/* The same, and (ver not NULL) the version row when the query asked for it
 * (ver->read); free with cat_version_free(). */
struct catalog	*pgcat_from_result_version(const PGresult *, struct cat_version *ver,
		    char **err);
/* True when the catalog query failed because its schema does not exist
 * (SQLSTATE 3F000, invalid_schema_name). */
bool		 pgcat_no_schema(const PGresult *);

#endif

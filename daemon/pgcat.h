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
 * reads the V7 tables of `schema` in one round trip under an empty
 * search_path. The schema name is quoted with PQescapeLiteral on conn.
 * Returns NULL (and *err) on failure. Caller frees with free(). */
char		*pgcat_query(PGconn *, const char *schema, char **err);
/* Build the catalog from the last PGresult of that query.
 * Returns NULL and sets *err (caller frees) when the result is not usable. */
struct catalog	*pgcat_from_result(const PGresult *, char **err);
/* True when the catalog query failed because its schema does not exist
 * (SQLSTATE 3F000, invalid_schema_name). */
bool		 pgcat_no_schema(const PGresult *);

#endif

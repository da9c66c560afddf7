/* pgcat.h — the PostgreSQL catalog query and its result as a struct catalog.
 *
 * Shared by the asynchronous probe (probe_pg.c) and the migration engine,
 * which introspects inside its own transaction before COMMIT. */
#ifndef SW_PGCAT_H
#define SW_PGCAT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "catalog.h"


/* What every catalog query text starts with. The empty search_path makes
 * the server deparse every name qualified, the same whatever the session
 * had. JIT off: the query looks expensive to the planner (each index key
 * goes through a generate_series it guesses at 1,000 rows), and compiling
 * it costs more than running it: 2.3 of 3.2 s for a 300-table definition
 * (bench/large-def.sh). Both last until the end of the transaction. */
#define PGCAT_PREFIX	"SET LOCAL search_path = '';\nSET LOCAL jit = off;\n"

/* The schema of the daemon's own objects (sql/ddl-events.postgresql.sql):
 * never a tenant of a "schemas:" pattern that does not name it. */
#define PGCAT_OWN_SCHEMA	"schemawatchd"

/* One statement text (simple query protocol, may hold several statements) that
 * reads what `want` names of `schema` (tables, their members and options,
 * the objects of pgobj.h) in one
 * round trip under an empty search_path. Names are quoted with
 * PQescapeLiteral on conn. With a version_table (NULL: none), the same round
 * trip also reads what that table records (pgcat_from_result_version).
 * Returns NULL (and *err) on failure, also for an empty list. Caller frees
 * with free(). */
char		*pgcat_query_tables(PGconn *, const char *schema, const struct cat_want *,
		    const char *version_table, char **err);
/* The same text with the schema as parameter $1 (text), for PREPARE
 * (pgprep.h): one text for every schema. */
char		*pgcat_query_tables_param(PGconn *, const struct cat_want *,
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

/* ---- schemas: patterns: many schemas in one round trip ---- */

/* A glob ("*" any run, "?" one character, anything else itself) as a LIKE
 * pattern with backslash escapes. Pure; caller frees. */
char		*pgcat_glob_like(const char *glob);
/* Whether s matches the glob as the server matches its LIKE translation
 * (the system schemas aside). Pure. */
bool		 pgcat_glob_match(const char *glob, const char *s);
/* Whether pgcat_query_schemas' query reads schema for glob: the glob
 * matches, and schema is neither a system schema nor the daemon's own
 * (that one only when the glob is its exact name). Pure. */
bool		 pgcat_schema_matches(const char *glob, const char *schema);
/* Like pgcat_query_tables for every schema whose name matches one of the
 * glob patterns (pg_* and information_schema never do): still one
 * statement, one row. Caller frees. */
char		*pgcat_query_schemas(PGconn *, const struct cat_strv *patterns,
		    const struct cat_want *, const char *version_table, char **err);
/* What that query read of one schema. */
struct pgcat_schema {
	char			*name;
	struct catalog		*cat;
	struct cat_version	 version;	/* .read false: not asked */
};
/* Its result: *out gets *n schemas in name order (possibly none). Returns
 * -1 and *err when the result is not usable. */
int		 pgcat_from_result_schemas(const PGresult *, struct pgcat_schema **out,
		    int *n, char **err);
void		 pgcat_schemas_free(struct pgcat_schema *, int n);

#endif

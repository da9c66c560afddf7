/* pgobj_rel.c — fragments of the catalog query (pgobj.h) for table options
 * and relation-like objects: views, materialized views, sequences, types,
 * EXCLUDE constraints. */
#include "config.h"

#include <stddef.h>

#include "pgobj.h"

/* UNLOGGED (relpersistence 'u'); a permanent table has no option, so a
 * definition that never says UNLOGGED stays as it was compiled. */
static const char table_options[] =
" SELECT 'table', c.relname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'table_persistence', CASE c.relpersistence WHEN 'u' THEN 'unlogged' END)\n"
" FROM pg_catalog.pg_class c\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND (@TABLES@)";

/* The query as the server deparses its parse tree: what was written is
 * gone, so two spellings of one query read the same. */
static const char views[] =
" SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END,\n"
"   c.relname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'query', " PGOBJ_UNQUALIFY("pg_catalog.pg_get_viewdef(c.oid, true)") ")\n"
" FROM pg_catalog.pg_class c\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('v', 'm')\n"
"   AND (@NAMES@ IS NULL OR c.relname = ANY (@NAMES@))";

const char *const pgobj_rel_fragments[] = {
	table_options,
	views,
	NULL,
};

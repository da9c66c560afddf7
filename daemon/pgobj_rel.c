/* pgobj_rel.c — fragments of the catalog query (pgobj.h) for table options
 * and relation-like objects: views, materialized views, sequences, types,
 * EXCLUDE constraints.
 *
 * Everything is read as the server deparses it under the empty search_path
 * (so qualified), then stripped of the target schema's qualification with
 * PGOBJ_UNQUALIFY: a definition compiled in public reads the same as a
 * database watched in any schema. */
#include "config.h"

#include <stddef.h>

#include "pgobj.h"

/* Table options; an option that is off is absent (NULL), so a definition
 * that never says UNLOGGED, ROW LEVEL SECURITY or PARTITION stays as it was
 * compiled.
 * table_row_security: ENABLE and FORCE are separate switches (FORCE alone
 * is stored, and takes effect once ENABLE follows), so both are shown.
 * partition_key: pg_get_partkeydef, "RANGE (logdate)".
 * partition_bound: a partition (relispartition) is an ordinary table of
 * its own, read when named; its bound is only meaningful with its parent,
 * so both are one option: "measurements FOR VALUES FROM (...) TO (...)".
 * The parent is named without its schema (the model has none). A list
 * bound's values are sorted (byte order, whatever the database's
 * collation): IN ('fr', 'de') is the partition IN ('de', 'fr') is. The
 * server prints them as bare constants (no casts), so a value is a quoted
 * literal ('' inside) or a token without commas or blanks. */
static const char table_options[] =
" SELECT 'table', c.relname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'table_persistence', CASE c.relpersistence WHEN 'u' THEN 'unlogged' END,\n"
"   'table_row_security', CASE\n"
"     WHEN c.relrowsecurity AND c.relforcerowsecurity THEN 'enabled, forced'\n"
"     WHEN c.relrowsecurity THEN 'enabled'\n"
"     WHEN c.relforcerowsecurity THEN 'forced (not enabled)' END,\n"
"   'partition_key', CASE WHEN c.relkind = 'p' THEN\n"
"     " PGOBJ_UNQUALIFY("pg_catalog.pg_get_partkeydef(c.oid)") " END,\n"
"   'partition_bound', CASE WHEN c.relispartition THEN\n"
"     (SELECT pg_catalog.quote_ident(pc.relname) || ' ' ||\n"
"        CASE WHEN x.b LIKE 'FOR VALUES IN (%)' THEN 'FOR VALUES IN (' ||\n"
"          (SELECT pg_catalog.string_agg(m[1], ', ' ORDER BY m[1] COLLATE \"C\")\n"
"           FROM pg_catalog.regexp_matches(pg_catalog.substr(x.b, 16, pg_catalog.length(x.b) - 16),\n"
"             '(''(?:[^'']|'''')*''|[^, ]+)', 'g') AS m) || ')'\n"
"        ELSE x.b END\n"
"      FROM pg_catalog.pg_inherits ih\n"
"      JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent,\n"
"      LATERAL (SELECT " PGOBJ_UNQUALIFY("pg_catalog.pg_get_expr(c.relpartbound, c.oid)") " AS b) x\n"
"      WHERE ih.inhrelid = c.oid) END)\n"
" FROM pg_catalog.pg_class c\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND (@TABLES@)";

/* The query as the server deparses its parse tree: what was written is
 * gone, so two spellings of one query read the same. A materialized view
 * has indexes too (a view cannot): their definitions, unqualified and
 * sorted, are one property, "indexes" (absent when none), as the model has
 * no table to hang them on. */
static const char views[] =
" SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END,\n"
"   c.relname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'query', " PGOBJ_UNQUALIFY("pg_catalog.pg_get_viewdef(c.oid, true)") ",\n"
"   'indexes', (SELECT pg_catalog.string_agg(x.def, '; ' ORDER BY x.def)\n"
"     FROM (SELECT " PGOBJ_UNQUALIFY("pg_catalog.pg_get_indexdef(i.indexrelid)") " AS def\n"
"           FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid) AS x))\n"
" FROM pg_catalog.pg_class c\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('v', 'm')\n"
"   AND (@NAMES@ IS NULL OR c.relname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_class", "c.oid");

/* Sequences. An identity column's sequence (pg_depend deptype 'i') is left
 * out: it is part of the column, whose identity is compared, and its name
 * is the server's choice. A serial's sequence (deptype 'a', as for OWNED BY)
 * is an object the definition creates, compared with its owner
 * "table.column" (the table without its schema, so that serial against
 * serial reads the same in any schema). Numbers as text: a bigint's range
 * is exact in text, and the rule table compares text. */
static const char sequences[] =
" SELECT 'sequence', c.relname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'data_type', pg_catalog.format_type(s.seqtypid, NULL),\n"
"   'start', s.seqstart::text, 'increment', s.seqincrement::text,\n"
"   'min', s.seqmin::text, 'max', s.seqmax::text, 'cache', s.seqcache::text,\n"
"   'cycle', s.seqcycle,\n"
"   'owned_by', (SELECT pg_catalog.quote_ident(r.relname) || '.' ||\n"
"                  pg_catalog.quote_ident(a.attname)\n"
"     FROM pg_catalog.pg_depend d\n"
"     JOIN pg_catalog.pg_class r ON r.oid = d.refobjid\n"
"     JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
"     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid\n"
"       AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
"       AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1))\n"
" FROM pg_catalog.pg_class c\n"
" JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind = 'S'\n"
"   AND (@NAMES@ IS NULL OR c.relname = ANY (@NAMES@))\n"
"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d\n"
"     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid\n"
"       AND d.deptype IN ('i', 'e'))";	/* identity or extension member */

/* Enum types: the labels in their order (enumsortorder, which ALTER TYPE
 * ADD VALUE BEFORE/AFTER keeps right), quoted, since a label may hold a
 * comma. */
static const char enums[] =
" SELECT 'enum', t.typname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'labels', (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', '\n"
"                ORDER BY e.enumsortorder)\n"
"     FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid))\n"
" FROM pg_catalog.pg_type t\n"
" WHERE t.typnamespace = @NSP@ AND t.typtype = 'e'\n"
"   AND (@NAMES@ IS NULL OR t.typname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_type", "t.oid");

/* Domains: base type, default, NOT NULL, collation (only when not the base
 * type's) and each CHECK as a property "check NAME" (the expression alone,
 * normalized by catobj.c's rule), so that a renamed or another check is
 * its own difference. The default is deparsed now (typdefaultbin), not the
 * text stored when it was created under some search_path (typdefault). */
static const char domains[] =
" SELECT 'domain', t.typname::text, NULL::text, (pg_catalog.jsonb_build_object(\n"
"   'base_type', " PGOBJ_UNQUALIFY("pg_catalog.format_type(t.typbasetype, t.typtypmod)") ",\n"
"   'default', " PGOBJ_UNQUALIFY("pg_catalog.pg_get_expr(t.typdefaultbin, 0)") ",\n"
"   'not_null', t.typnotnull,\n"
"   'collation', (SELECT co.collname FROM pg_catalog.pg_collation co\n"
"     JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype\n"
"     WHERE co.oid = t.typcollation AND co.oid <> bt.typcollation))\n"
"   || coalesce((SELECT pg_catalog.jsonb_object_agg('check ' || k.conname,\n"
"        " PGOBJ_UNQUALIFY("pg_catalog.pg_get_expr(k.conbin, 0)") ")\n"
"      FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'),\n"
"      '{}'::pg_catalog.jsonb))::pg_catalog.json\n"
" FROM pg_catalog.pg_type t\n"
" WHERE t.typnamespace = @NSP@ AND t.typtype = 'd'\n"
"   AND (@NAMES@ IS NULL OR t.typname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_type", "t.oid");

/* Composite types made by CREATE TYPE AS (...): typrelid's relkind 'c'
 * (every table and view has a row type too; those are not objects).
 * Attributes with their types (and a collation that is not the type's) in
 * order, as one property: an attribute added, dropped, retyped or moved is
 * one difference showing the whole list. */
static const char composites[] =
" SELECT 'composite_type', t.typname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'attributes', (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' ||\n"
"       " PGOBJ_UNQUALIFY("pg_catalog.format_type(a.atttypid, a.atttypmod)") " ||\n"
"       coalesce(' COLLATE ' || pg_catalog.quote_ident(co.collname), ''), ', '\n"
"       ORDER BY a.attnum)\n"
"     FROM pg_catalog.pg_attribute a\n"
"     JOIN pg_catalog.pg_type at ON at.oid = a.atttypid\n"
"     LEFT JOIN pg_catalog.pg_collation co\n"
"       ON co.oid = a.attcollation AND co.oid <> at.typcollation\n"
"     WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))\n"
" FROM pg_catalog.pg_type t\n"
" JOIN pg_catalog.pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'\n"
" WHERE t.typnamespace = @NSP@ AND t.typtype = 'c'\n"
"   AND (@NAMES@ IS NULL OR t.typname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_type", "t.oid");

/* EXCLUDE constraints of the tables being read ("table.conname"). The
 * deparsed definition ends with DEFERRABLE / INITIALLY DEFERRED when set;
 * that tail is cut off and reported as its own property, so that a change
 * of deferrability says so. (pgcat.c leaves contype 'x' and its index out of
 * the table's members: they are these objects.) */
static const char exclusions[] =
" SELECT 'exclusion', c.relname || '.' || k.conname, c.relname::text,\n"
"   pg_catalog.json_build_object(\n"
"   'definition', pg_catalog.regexp_replace(\n"
"     " PGOBJ_UNQUALIFY("pg_catalog.pg_get_constraintdef(k.oid)") ",\n"
"     '( DEFERRABLE)?( INITIALLY DEFERRED)?$', ''),\n"
"   'deferrable', CASE WHEN NOT k.condeferrable THEN 'NOT DEFERRABLE'\n"
"     WHEN k.condeferred THEN 'DEFERRABLE INITIALLY DEFERRED'\n"
"     ELSE 'DEFERRABLE INITIALLY IMMEDIATE' END)\n"
" FROM pg_catalog.pg_class c\n"
" JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid AND k.contype = 'x'\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND (@TABLES@)";

const char *const pgobj_rel_fragments[] = {
	table_options,
	views,
	sequences,
	enums,
	domains,
	composites,
	exclusions,
	NULL,
};

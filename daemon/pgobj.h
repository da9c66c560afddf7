/* pgobj.h — the part of the PostgreSQL catalog query that reads what is not
 * a table's columns, constraints and indexes: table options (UNLOGGED,
 * partitioning, row security) and the objects of catobj.c (views,
 * sequences, types, functions, triggers, policies, extensions, comments).
 *
 * Every kind is one SQL fragment (pgobj_rel.c, pgobj_code.c) returning rows
 * (kind text, name text, tbl text, props json), the shape catjson.c reads;
 * pgobj_query() joins them into one sub-select of the catalog query, so the
 * whole catalog still comes back in one round trip. Fragments use tokens
 * instead of printf conversions (SQL is full of %):
 *   @NSP@     the schema's oid (a regnamespace expression)
 *   @SCHEMA@  the schema's name (a text expression)
 *   @TABLES@  a condition on `c` (a pg_class row): c is a table being read
 *   @NAMES@   a text[] of the schema-level object names being read, NULL
 *             for every object of the schema (scope: schema)
 * A fragment for a table's members joins pg_class AS c and keeps @TABLES@;
 * one for schema-level objects filters its name with
 * (@NAMES@ IS NULL OR name = ANY (@NAMES@)), which the planner folds to an
 * index lookup, so unrelated objects are never scanned. */
#ifndef SW_PGOBJ_H
#define SW_PGOBJ_H

/* NULL-terminated lists of fragments. */
extern const char *const pgobj_rel_fragments[];
extern const char *const pgobj_code_fragments[];

/* SQL text that removes the target schema's qualification from a deparsed
 * text X (a view's query, a trigger's WHEN): a definition is compiled in
 * public and watched in any schema, so "app.t" and "public.t" must both read
 * "t". Only a qualification at a word boundary goes: "myapp.t" stays. */
#define PGOBJ_UNQUALIFY(x) PGOBJ_UNQUALIFY_IN(x, "@SCHEMA@")
/* The same with the schema's name as the SQL text expression `schema`
 * (pgcat.c's table query is a printf format, not a fragment with tokens). */
#define PGOBJ_UNQUALIFY_IN(x, schema)					\
	"pg_catalog.regexp_replace(" x ", '(^|[^[:alnum:]_$\".])' || "	\
	"pg_catalog.regexp_replace(pg_catalog.quote_ident(" schema "), "	\
	"'([.^$*+?()[\\]{}|\\\\])', '\\\\\\1', 'g') || '\\.', '\\1', 'g')"

/* Not a member of an extension (pg_depend deptype 'e'): what CREATE
 * EXTENSION brings (pg_stat_statements' views, pgcrypto's functions) is the
 * extension's, compared as the extension, never as extra objects of the
 * schema. cls: the object's catalog ('pg_catalog.pg_class'), oid: its oid. */
#define PGOBJ_NOT_EXT_MEMBER(cls, oid)					\
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep"		\
	" WHERE dep.classid = '" cls "'::pg_catalog.regclass"		\
	" AND dep.objid = " oid " AND dep.deptype = 'e')"

/* The sub-select: a json array of every fragment's rows. Tokens replaced by
 * the given SQL texts. Caller frees. */
char	*pgobj_query(const char *nsp, const char *schema, const char *tables,
	    const char *names);

#endif

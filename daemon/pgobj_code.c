/* pgobj_code.c — fragments of the catalog query (pgobj.h) for code and
 * what hangs on it: functions, procedures, triggers, policies, extensions,
 * comments.
 *
 * What an extension brings (its functions, their comments) is the
 * extension's, not the schema's: it is left out here, and the extension is
 * one object, so "CREATE EXTENSION pgcrypto" never shows as forty extra
 * functions. Privileges and owners are out of scope (the man page says so).
 * The fragments read the catalogs of PostgreSQL 11 and later: columns that
 * came after 11 are reached through to_jsonb(row), which yields NULL where
 * the column does not exist. */
#include "config.h"

#include <stddef.h>

#include "pgobj.h"

/* A function's name: "f(integer, text)", its argument types as the server
 * prints them (argument names and defaults are the "arguments" property:
 * renaming an argument is a change of the function, not another one). */
#define FUNC_NAME(p)							\
	PGOBJ_UNQUALIFY(p ".proname || '(' || "				\
	"pg_catalog.oidvectortypes(" p ".proargtypes) || ')'")

/* Functions and procedures (aggregates and window functions are left out:
 * their definitions live in pg_aggregate or in C). The body is prosrc as
 * written, except for an SQL-standard body (BEGIN ATOMIC, RETURN: prosrc is
 * empty), which only exists as a parse tree: its deparsed text is the part
 * of pg_get_functiondef() after the header (the header's lines are indented,
 * the body starts at the margin), which works on every version, unlike
 * pg_get_function_sqlbody(). RULE_SQL (catobj.c) then drops comments and
 * white space, so re-indenting a body is no change. */
static const char functions[] =
" SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,\n"
"   " FUNC_NAME("p") ", NULL::text, pg_catalog.json_build_object(\n"
"   'arguments', NULLIF(" PGOBJ_UNQUALIFY("pg_catalog.pg_get_function_arguments(p.oid)")
	", ''),\n"
"   'returns', CASE WHEN p.prokind <> 'p' THEN "
	PGOBJ_UNQUALIFY("pg_catalog.pg_get_function_result(p.oid)") " END,\n"
"   'language', l.lanname::text,\n"
"   'volatility', CASE WHEN p.prokind <> 'p' THEN CASE p.provolatile\n"
"     WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END END,\n"
"   'strict', CASE WHEN p.proisstrict THEN 'STRICT' END,\n"
"   'security', CASE WHEN p.prosecdef THEN 'DEFINER' END,\n"
"   'parallel', CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' END,\n"
"   'leakproof', CASE WHEN p.proleakproof THEN 'LEAKPROOF' END,\n"
"   'config', NULLIF(pg_catalog.array_to_string(ARRAY(SELECT s FROM\n"
"     pg_catalog.unnest(p.proconfig) AS s ORDER BY s), ', '), ''),\n"
"   'body', CASE WHEN p.prosrc <> '' OR l.lanname <> 'sql' THEN p.prosrc ELSE\n"
"     " PGOBJ_UNQUALIFY("pg_catalog.substring(pg_catalog.pg_get_functiondef(p.oid)"
	", '\\n(\\S.*)$')") " END)\n"
" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n"
" WHERE p.pronamespace = @NSP@ AND p.prokind IN ('f', 'p')\n"
"   AND (@NAMES@ IS NULL OR p.proname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_proc", "p.oid");

/* The parts of a trigger, from pg_trigger's columns where they are plain
 * (tgtype's bits: 1 row, 2 before, 4 insert, 8 delete, 16 update,
 * 32 truncate, 64 instead), so that the events come in one order however
 * they were written and UPDATE OF's columns sorted. The function's
 * arguments are tgargs (each one followed by a NUL byte), quoted as
 * pg_get_triggerdef() quotes them, and its name is qualified as that
 * qualifies it (a pg_catalog function is not); only the name loses the
 * watched schema: an argument is the text the function gets. */
#define TRIGGER_FUNC							\
"(SELECT " PGOBJ_UNQUALIFY("CASE WHEN fp.pronamespace = 'pg_catalog'::pg_catalog.regnamespace\n" \
"       THEN '' ELSE pg_catalog.quote_ident(fn.nspname) || '.' END ||\n" \
"       pg_catalog.quote_ident(fp.proname)") " || '(' || coalesce(\n"	\
"     (SELECT pg_catalog.string_agg('''' || pg_catalog.replace(\n"	\
"        pg_catalog.convert_from(pg_catalog.substr(t.tgargs, x.b + 1, x.e - x.b),\n" \
"          pg_catalog.getdatabaseencoding()), '''', '''''') || '''', ', ' ORDER BY x.e)\n" \
"      FROM (SELECT i, coalesce(pg_catalog.lag(i) OVER (ORDER BY i) + 1, 0)\n" \
"            FROM pg_catalog.generate_series(0, pg_catalog.length(t.tgargs) - 1) AS i\n" \
"            WHERE pg_catalog.get_byte(t.tgargs, i) = 0) AS x(e, b)), '') || ')'\n" \
"   FROM pg_catalog.pg_proc fp\n"					\
"   JOIN pg_catalog.pg_namespace fn ON fn.oid = fp.pronamespace\n"	\
"   WHERE fp.oid = t.tgfoid)"

/* The WHEN condition cannot be deparsed alone (pg_get_expr refuses OLD and
 * NEW together): it is cut out of pg_get_triggerdef(), between "FOR EACH
 * ROW WHEN (" and ") EXECUTE FUNCTION ", both found outside string
 * literals and quoted identifiers (a trigger named "a WHEN (b", a condition
 * comparing with ' EXECUTE FUNCTION '). TRIGGER_TOKENS is what may come
 * before and between them: characters that are no quote, or whole quoted
 * tokens ('' and "" inside are two tokens in a row), so a match begins and
 * ends between tokens; unquoted, the server writes those keywords nowhere
 * else (an identifier in upper case is quoted). tw.m is the text up to the
 * end of ") EXECUTE FUNCTION ", tw.p up to the end of "WHEN (": searches
 * without a capture group, which the server's regex engine runs as plain
 * automata (a capture around the condition cost 2 ms per trigger). */
#define TRIGGER_TOKENS "(?:[^''\"]|''[^'']*''|\"[^\"]*\")*"
#define TRIGGER_WHEN_START "'^" TRIGGER_TOKENS "? FOR EACH (?:ROW|STATEMENT) WHEN \\("
#define TRIGGER_WHEN							\
"   CROSS JOIN LATERAL (SELECT\n"					\
"     pg_catalog.substring(d.def, " TRIGGER_WHEN_START TRIGGER_TOKENS	\
	"\\) EXECUTE (?:FUNCTION|PROCEDURE) '),\n"			\
"     pg_catalog.substring(d.def, " TRIGGER_WHEN_START "')\n"		\
"     FROM (SELECT pg_catalog.pg_get_triggerdef(t.oid, true)) AS d(def)) AS tw(m, p)\n"

#define TRIGGER_PROPS							\
"   'timing', CASE WHEN t.tgtype & 2 <> 0 THEN 'BEFORE'\n"		\
"     WHEN t.tgtype & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END,\n"	\
"   'events', pg_catalog.array_to_string(ARRAY[\n"			\
"     CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' END,\n"		\
"     CASE WHEN t.tgtype & 16 <> 0 THEN 'UPDATE' || coalesce(' OF ' ||\n" \
"       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', '\n" \
"         ORDER BY a.attname) FROM pg_catalog.pg_attribute a\n"	\
"        WHERE a.attrelid = t.tgrelid\n"				\
"          AND a.attnum = ANY (t.tgattr::pg_catalog.int2[])), '') END,\n" \
"     CASE WHEN t.tgtype & 8 <> 0 THEN 'DELETE' END,\n"		\
"     CASE WHEN t.tgtype & 32 <> 0 THEN 'TRUNCATE' END], ' OR '),\n"	\
"   'level', CASE WHEN t.tgtype & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END,\n" \
"   'when', " PGOBJ_UNQUALIFY("pg_catalog.regexp_replace(pg_catalog.substr(tw.m,\n" \
"     pg_catalog.length(tw.p) + 1), '\\) EXECUTE (?:FUNCTION|PROCEDURE) $', '')") ",\n" \
"   'function', " TRIGGER_FUNC ",\n"					\
"   'referencing', NULLIF(pg_catalog.concat_ws(' ',\n"			\
"     'OLD TABLE AS ' || pg_catalog.quote_ident(pg_catalog.to_jsonb(t) ->> 'tgoldtable'),\n" \
"     'NEW TABLE AS ' || pg_catalog.quote_ident(pg_catalog.to_jsonb(t) ->> 'tgnewtable')), '')," \
"\n"									\
"   'deferrable', CASE WHEN t.tgconstraint <> 0 THEN CASE\n"		\
"     WHEN t.tginitdeferred THEN 'DEFERRABLE INITIALLY DEFERRED'\n"	\
"     WHEN t.tgdeferrable THEN 'DEFERRABLE' ELSE 'NOT DEFERRABLE' END END,\n" \
"   'enabled', CASE t.tgenabled WHEN 'D' THEN 'DISABLED'\n"		\
"     WHEN 'R' THEN 'REPLICA' WHEN 'A' THEN 'ALWAYS' END)\n"

/* Triggers of the tables being read; the internal ones (a foreign key's)
 * belong to their constraint. */
static const char table_triggers[] =
" SELECT 'trigger', c.relname || '.' || t.tgname, c.relname::text,\n"
"   pg_catalog.json_build_object(\n" TRIGGER_PROPS
" FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n"
TRIGGER_WHEN
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND (@TABLES@)\n"
"   AND NOT t.tgisinternal";

/* Triggers of the views being read (INSTEAD OF): a view is a schema-level
 * object, so its triggers are too ("v.trigger" with no table), read with
 * their view. */
static const char view_triggers[] =
" SELECT 'trigger', c.relname || '.' || t.tgname, NULL::text,\n"
"   pg_catalog.json_build_object(\n" TRIGGER_PROPS
" FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n"
TRIGGER_WHEN
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('v', 'm')\n"
"   AND (@NAMES@ IS NULL OR c.relname = ANY (@NAMES@)) AND NOT t.tgisinternal";

/* Row-level security policies. Roles sorted (a set); the default PERMISSIVE
 * and ALL are spelled out, as psql's \d does. */
static const char policies[] =
" SELECT 'policy', c.relname || '.' || pol.polname, c.relname::text,\n"
"   pg_catalog.json_build_object(\n"
"   'command', CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'\n"
"     WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,\n"
"   'permissive', CASE WHEN (pg_catalog.to_jsonb(pol) ->> 'polpermissive') = 'false'\n"
"     THEN 'RESTRICTIVE' ELSE 'PERMISSIVE' END,\n"
"   'roles', pg_catalog.array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC'\n"
"     ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END\n"
"     FROM pg_catalog.unnest(pol.polroles) AS r ORDER BY 1), ', '),\n"
"   'using', " PGOBJ_UNQUALIFY("pg_catalog.pg_get_expr(pol.polqual, pol.polrelid)") ",\n"
"   'with_check', " PGOBJ_UNQUALIFY("pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid)")
")\n"
" FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid\n"
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND (@TABLES@)";

/* Extensions belong to the database, not to a schema: the ones named by
 * the definition are read wherever they are (with scope: schema, every
 * one). Its schema is a property unless it is the watched one or public,
 * which a definition (compiled in public) cannot tell apart. plpgsql comes
 * with every database (template0 has it): it is nobody's choice, so it is
 * not read at all, and every compiled catalog stays as it was. The version
 * is informational (catobj.c: RULE_INFO). */
static const char extensions[] =
" SELECT 'extension', e.extname::text, NULL::text, pg_catalog.json_build_object(\n"
"   'schema', CASE WHEN e.extnamespace <> @NSP@ AND n.nspname <> 'public'\n"
"     THEN n.nspname::text END,\n"
"   'version', e.extversion)\n"
" FROM pg_catalog.pg_extension e\n"
"   JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace\n"
" WHERE e.extname <> 'plpgsql' AND (@NAMES@ IS NULL OR e.extname = ANY (@NAMES@))";

/* Comments, named after their object as its differences name it: "orders",
 * "orders.total" (a column), "orders.orders_pkey" (a constraint, or an
 * index), "orders.orders_touch" (a trigger, a policy), "v", "v.col",
 * "v.trigger", "mv.index", "seq", "f(integer)", "mood", "mood.check_name"
 * (a domain's constraint), "pgcrypto" (an extension). A table's members
 * have their table and are read with it; the rest are read by name like
 * their objects. The schema's own comment is not read.
 *
 * Each source below yields (name, tbl, what, text). Two commented objects
 * may share a name (a primary key and its index, COMMENT ON CONSTRAINT and
 * COMMENT ON INDEX): the model has one object per name, so their texts are
 * joined as "constraint: ...; index: ..." (sorted), the same on both sides. */
#define COMMENT_DESC(cls, oid)						\
"   JOIN pg_catalog.pg_description d ON d.classoid = '" cls "'::pg_catalog.regclass\n" \
"     AND d.objoid = " oid " AND d.objsubid = 0\n"

/* Relations and their columns. kinds: relkinds; tbl: the row's table;
 * filter: the tables being read, or the names. Identity sequences are
 * their column's, as in pgobj_rel.c. */
#define COMMENT_OF_REL(kinds, tbl, filter)					\
" SELECT c.relname || coalesce('.' || a.attname, ''), " tbl ",\n"	\
"   CASE WHEN a.attname IS NOT NULL THEN 'column' WHEN c.relkind IN ('r', 'p') THEN 'table'\n" \
"     WHEN c.relkind = 'v' THEN 'view' WHEN c.relkind = 'm' THEN 'materialized view'\n" \
"     WHEN c.relkind = 'S' THEN 'sequence' ELSE 'foreign table' END, d.description\n" \
" FROM pg_catalog.pg_description d\n"					\
"   JOIN pg_catalog.pg_class c ON c.oid = d.objoid\n"			\
"   LEFT JOIN pg_catalog.pg_attribute a ON d.objsubid <> 0\n"		\
"     AND a.attrelid = c.oid AND a.attnum = d.objsubid\n"		\
" WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"	\
"   AND c.relnamespace = @NSP@ AND c.relkind IN " kinds " AND " filter "\n" \
"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep\n"		\
"     WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"	\
"       AND dep.objid = c.oid AND dep.deptype IN ('e', 'i'))\n"

/* The indexes and triggers of relations (a view has no index, a
 * materialized view no trigger: the same text serves both). */
#define COMMENT_OF_REL_MEMBERS(kinds, tbl, filter)				\
" SELECT c.relname || '.' || ic.relname, " tbl ", 'index', d.description\n" \
" FROM pg_catalog.pg_class c\n"					\
"   JOIN pg_catalog.pg_index i ON i.indrelid = c.oid\n"		\
"   JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid\n"		\
COMMENT_DESC("pg_catalog.pg_class", "i.indexrelid")			\
" WHERE c.relnamespace = @NSP@ AND c.relkind IN " kinds " AND " filter "\n" \
" UNION ALL\n"								\
" SELECT c.relname || '.' || t.tgname, " tbl ", 'trigger', d.description\n" \
" FROM pg_catalog.pg_class c\n"					\
"   JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal\n" \
COMMENT_DESC("pg_catalog.pg_trigger", "t.oid")				\
" WHERE c.relnamespace = @NSP@ AND c.relkind IN " kinds " AND " filter "\n"

#define TABLES_FILTER	"(@TABLES@)"
#define NAMES_FILTER	"(@NAMES@ IS NULL OR c.relname = ANY (@NAMES@))"

static const char comments[] =
" SELECT 'comment', x.name, x.tbl, pg_catalog.json_build_object('text',\n"
"   CASE WHEN pg_catalog.count(*) = 1 THEN pg_catalog.min(x.txt)\n"
"   ELSE pg_catalog.string_agg(x.what || ': ' || x.txt, '; ' ORDER BY x.what, x.txt) END)\n"
" FROM (\n"
COMMENT_OF_REL("('r', 'p')", "c.relname::text", TABLES_FILTER)
" UNION ALL\n"
COMMENT_OF_REL("('v', 'm', 'S', 'f')", "NULL::text", NAMES_FILTER)
" UNION ALL\n"
COMMENT_OF_REL_MEMBERS("('r', 'p')", "c.relname::text", TABLES_FILTER)
" UNION ALL\n"
COMMENT_OF_REL_MEMBERS("('v', 'm')", "NULL::text", NAMES_FILTER)
" UNION ALL\n"
/* Constraints of any type (EXCLUDE too, whose index shares its name). */
" SELECT c.relname || '.' || k.conname, c.relname::text, 'constraint', d.description\n"
" FROM pg_catalog.pg_class c\n"
"   JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid\n"
COMMENT_DESC("pg_catalog.pg_constraint", "k.oid")
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND " TABLES_FILTER "\n"
" UNION ALL\n"
" SELECT c.relname || '.' || pol.polname, c.relname::text, 'policy', d.description\n"
" FROM pg_catalog.pg_class c\n"
"   JOIN pg_catalog.pg_policy pol ON pol.polrelid = c.oid\n"
COMMENT_DESC("pg_catalog.pg_policy", "pol.oid")
" WHERE c.relnamespace = @NSP@ AND c.relkind IN ('r', 'p') AND " TABLES_FILTER "\n"
" UNION ALL\n"
/* A domain's constraints, named after the domain. */
" SELECT ty.typname || '.' || k.conname, NULL::text, 'constraint', d.description\n"
" FROM pg_catalog.pg_type ty\n"
"   JOIN pg_catalog.pg_constraint k ON k.contypid = ty.oid\n"
COMMENT_DESC("pg_catalog.pg_constraint", "k.oid")
" WHERE ty.typnamespace = @NSP@ AND ty.typtype = 'd'\n"
"   AND (@NAMES@ IS NULL OR ty.typname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_type", "ty.oid") "\n"
" UNION ALL\n"
" SELECT " FUNC_NAME("p") ", NULL::text, 'function', d.description\n"
" FROM pg_catalog.pg_proc p\n"
COMMENT_DESC("pg_catalog.pg_proc", "p.oid")
" WHERE p.pronamespace = @NSP@ AND p.prokind IN ('f', 'p')\n"
"   AND (@NAMES@ IS NULL OR p.proname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_proc", "p.oid") "\n"
" UNION ALL\n"
/* Enums, domains and composite types (a table's row type is the table's). */
" SELECT ty.typname::text, NULL::text, 'type', d.description\n"
" FROM pg_catalog.pg_type ty\n"
COMMENT_DESC("pg_catalog.pg_type", "ty.oid")
" WHERE ty.typnamespace = @NSP@ AND ty.typtype IN ('e', 'd', 'c')\n"
"   AND (ty.typtype <> 'c' OR (SELECT r.relkind FROM pg_catalog.pg_class r\n"
"     WHERE r.oid = ty.typrelid) = 'c')\n"
"   AND (@NAMES@ IS NULL OR ty.typname = ANY (@NAMES@))\n"
"   AND " PGOBJ_NOT_EXT_MEMBER("pg_catalog.pg_type", "ty.oid") "\n"
" UNION ALL\n"
/* Extensions, filtered as their objects are (extensions). CREATE EXTENSION
 * sets the comment of the extension's control file: that one is nobody's
 * writing, and reading it would give every definition with an extension
 * comments, and with them the rule that live comments count. So a comment
 * is read only where it is not the control file's (pg_available_extensions
 * reads the control files, once per query, only when an extension read
 * has a comment). */
" SELECT e.extname::text, NULL::text, 'extension', d.description\n"
" FROM pg_catalog.pg_extension e\n"
COMMENT_DESC("pg_catalog.pg_extension", "e.oid")
" WHERE e.extname <> 'plpgsql' AND (@NAMES@ IS NULL OR e.extname = ANY (@NAMES@))\n"
"   AND d.description IS DISTINCT FROM (SELECT ae.comment\n"
"     FROM pg_catalog.pg_available_extensions ae WHERE ae.name = e.extname)\n"
" ) AS x(name, tbl, what, txt)\n"
" GROUP BY x.name, x.tbl";

const char *const pgobj_code_fragments[] = {
	functions,
	table_triggers,
	view_triggers,
	policies,
	extensions,
	comments,
	NULL,
};

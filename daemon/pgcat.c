/* pgcat.c — read given tables of one PostgreSQL schema in one round trip.
 *
 * The server does all the deparsing (format_type, pg_get_expr,
 * pg_get_indexdef) under an empty search_path, as pg_dump does, so that the
 * texts are stable and qualified the same way whatever the session had. The
 * whole description comes back as ONE json value in one row; here it is only
 * parsed (jansson) and fed to the catalog.h builders, which normalize.
 *
 * The query looks the requested tables up by (nspname, relname) through the
 * catalog indexes and never scans other relations, so a database with 10,000
 * unrelated tables costs the same as an empty one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "catjson.h"
#include "normalize.h"
#include "pgcat.h"
#include "pgobj.h"
#include "util.h"

/* The per-table sub-selects. Two placeholders, positional because the
 * schema is used twice: %1$s the schema literal, %2$s the condition on c (a
 * pg_class row) that selects the tables: pgcat.c's want_sql().
 * Every object is ordered by name (columns by
 * attnum) so that two probes of the same schema give the same catalog.
 *
 * Constraints: only p/u/f/c are read; exclusion constraints ('x'), constraint
 * triggers ('t') and anything newer (PostgreSQL 18's not-null 'n') are not
 * part of the model and are left out on the server side.
 * Indexes: those implementing a PRIMARY KEY / UNIQUE / EXCLUDE constraint
 * (pg_constraint.conindid) are described by that constraint, not here. The
 * contype filter matters: a foreign key's conindid names the *referenced*
 * table's index, which for a self-reference is on the same table.
 * Collations are reported only when not the default of the column's type
 * (for an index key on a column: the column's collation; on an expression:
 * the default of the expression's type, as SQL cannot ask for the
 * expression's own collation), operator classes only when not the default
 * one: what nobody wrote is not part of a schema.
 * NULLS NOT DISTINCT (PostgreSQL 15) is read through to_jsonb() of the
 * pg_index row, so that the same text runs on servers without the column;
 * so is a foreign key's ON DELETE SET NULL (cols) (15: confdelsetcols,
 * attnums, JSON null when there is no list). An index's storage parameters
 * are its pg_class.reloptions, "key=value" as the server stored them (the
 * key folded; the value as written when quoted, FILLFACTOR = '070' stays
 * 070, a number as parsed, 070 is 70). A CHECK's NO INHERIT is connoinherit; a foreign key's is
 * always true on a plain table, so it is read for CHECKs only.
 * Defaults: under the empty search_path a serial's default names its
 * sequence qualified, nextval('app.t_id_seq'::regclass), while a definition
 * is compiled in public. A sequence in the schema being read is the
 * schema's own, so that qualification is removed (on both sides: the
 * compiler reads public through this query too); a sequence elsewhere keeps
 * its schema. The prefix is spelled as the server deparses it: the quoted
 * identifier inside a literal, its single quotes doubled.
 * Types: a column of the schema's own type (an enum, a domain, a composite)
 * deparses as "app.mood" under the empty search_path; the schema goes, as
 * for defaults (pgobj.h's PGOBJ_UNQUALIFY), so that it reads "mood" in the
 * compiled definition (public) and in any watched schema alike. */
static const char pgcat_tables_fmt[] =
"(SELECT coalesce(json_agg(t ORDER BY t.name), '[]'::json) FROM (\n"
" SELECT c.relname AS name,\n"
"  (SELECT coalesce(json_agg(json_build_object(\n"
"     'name', a.attname,\n"
"     'type', CASE WHEN ty.typnamespace = 'pg_catalog'::pg_catalog.regnamespace\n"
"        THEN pg_catalog.format_type(a.atttypid, a.atttypmod) ELSE\n"
"        " PGOBJ_UNQUALIFY_IN("pg_catalog.format_type(a.atttypid, a.atttypmod)", "%1$s") " END,\n"
"     'notnull', a.attnotnull,\n"
"     'default', pg_catalog.replace(pg_catalog.pg_get_expr(d.adbin, d.adrelid),\n"
"        'nextval(''' || pg_catalog.replace(pg_catalog.quote_ident(%1$s), '''', '''''') || '.',\n"
"        'nextval('''),\n"
"     'identity', a.attidentity,\n"
"     'generated', a.attgenerated,\n"
"     'collation', (SELECT co.collname FROM pg_catalog.pg_collation co\n"
"                   WHERE co.oid = a.attcollation AND co.oid <> ty.typcollation)\n"
"   ) ORDER BY a.attnum), '[]'::json)\n"
"   FROM pg_catalog.pg_attribute a\n"
"   JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid\n"
"   LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
"   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,\n"
"  (SELECT coalesce(json_agg(json_build_object(\n"
"     'name', k.conname,\n"
"     'type', k.contype,\n"
"     'cols', (SELECT json_agg(a.attname ORDER BY u.ord)\n"
"              FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)\n"
"              JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum),\n"
/* A referenced table in another schema is reported by its relname alone:
 * the model has no schemas, and V7 only references its own tables. */
"     'ref_table', r.relname,\n"
"     'ref_cols', (SELECT json_agg(a.attname ORDER BY u.ord)\n"
"              FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)\n"
"              JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum),\n"
"     'on_delete', k.confdeltype,\n"
"     'on_delete_cols', CASE WHEN k.contype = 'f' AND pg_catalog.jsonb_typeof(\n"
"        pg_catalog.to_jsonb(k) -> 'confdelsetcols') = 'array' THEN (SELECT\n"
"          json_agg(a.attname ORDER BY u.ord)\n"
"        FROM pg_catalog.jsonb_array_elements_text(pg_catalog.to_jsonb(k) -> 'confdelsetcols')\n"
"          WITH ORDINALITY AS u(attnum, ord)\n"
"        JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid\n"
"          AND a.attnum = u.attnum::pg_catalog.int2) END,\n"
"     'on_update', k.confupdtype,\n"
"     'match', k.confmatchtype,\n"
"     'nulls_not_distinct', CASE WHEN k.contype = 'u' THEN (SELECT\n"
"        coalesce((pg_catalog.to_jsonb(xi) ->> 'indnullsnotdistinct')::boolean, false)\n"
"        FROM pg_catalog.pg_index xi WHERE xi.indexrelid = k.conindid) END,\n"
"     'deferrable', k.condeferrable,\n"
"     'deferred', k.condeferred,\n"
"     'not_valid', NOT k.convalidated,\n"
"     'no_inherit', CASE WHEN k.contype = 'c' THEN k.connoinherit END,\n"
"     'expr', CASE WHEN k.contype = 'c' THEN pg_catalog.pg_get_expr(k.conbin, k.conrelid) END\n"
"   ) ORDER BY k.conname), '[]'::json)\n"
"   FROM pg_catalog.pg_constraint k\n"
"   LEFT JOIN pg_catalog.pg_class r ON r.oid = k.confrelid\n"
"   WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u', 'f', 'c')) AS constraints,\n"
"  (SELECT coalesce(json_agg(json_build_object(\n"
"     'name', ic.relname,\n"
"     'unique', i.indisunique,\n"
"     'method', am.amname,\n"
"     'pred', pg_catalog.pg_get_expr(i.indpred, i.indrelid),\n"
"     'nulls_not_distinct',\n"
"        coalesce((pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false),\n"
"     'storage', ic.reloptions,\n"
"     'keys', (SELECT json_agg(json_build_object(\n"
"                'expr', pg_catalog.pg_get_indexdef(i.indexrelid, n, true),\n"
"                'is_expr', i.indkey[n - 1] = 0,\n"
"                'desc', (i.indoption[n - 1] & 1) <> 0,\n"
"                'nulls_first', (i.indoption[n - 1] & 2) <> 0,\n"
"                'opclass', (SELECT oc.opcname FROM pg_catalog.pg_opclass oc\n"
"                            WHERE oc.oid = i.indclass[n - 1] AND NOT oc.opcdefault),\n"
"                'collation', (SELECT co.collname FROM pg_catalog.pg_collation co\n"
"                   WHERE co.oid = i.indcollation[n - 1]\n"
"                     AND co.oid <> CASE WHEN i.indkey[n - 1] <> 0\n"
"                       THEN (SELECT ta.attcollation FROM pg_catalog.pg_attribute ta\n"
"                             WHERE ta.attrelid = i.indrelid AND ta.attnum = i.indkey[n - 1])\n"
"                       ELSE (SELECT kt.typcollation FROM pg_catalog.pg_attribute ia\n"
"                             JOIN pg_catalog.pg_type kt ON kt.oid = ia.atttypid\n"
"                             WHERE ia.attrelid = i.indexrelid AND ia.attnum = n) END)\n"
"              ) ORDER BY n)\n"
"              FROM generate_series(1, i.indnkeyatts) AS n),\n"
"     'include', (SELECT coalesce(json_agg(pg_catalog.pg_get_indexdef(i.indexrelid, n, true)\n"
"                  ORDER BY n), '[]'::json)\n"
"              FROM generate_series(i.indnkeyatts + 1, i.indnatts) AS n)\n"
"   ) ORDER BY ic.relname), '[]'::json)\n"
"   FROM pg_catalog.pg_index i\n"
"   JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid\n"
"   JOIN pg_catalog.pg_am am ON am.oid = ic.relam\n"
"   WHERE i.indrelid = c.oid\n"
"     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k\n"
"                     WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid\n"
"                       AND k.contype IN ('p', 'u', 'x'))) AS indexes\n"
/* The cast fails with 'schema "x" does not exist' (SQLSTATE 3F000) when it
 * does not: a schema that is not there is an error to report, not a
 * "pending" schema with no V7 table. */
" FROM pg_catalog.pg_class c\n"
" WHERE c.relnamespace = pg_catalog.quote_ident(%1$s)::pg_catalog.regnamespace\n"
"   AND (%2$s)\n"
"   AND c.relkind IN ('r', 'p')\n"
") AS t)";

/* The version table's rows in the same round trip: the table may not exist,
 * and a query naming it would then fail, so it is read through
 * query_to_xml() (dynamic SQL inside one SELECT) only when to_regclass()
 * finds it. Several rows are joined with ','; none: null; no table: false.
 * Placeholders: schema literal, table literal (twice each). */
static const char pgcat_version_fmt[] =
"CASE WHEN pg_catalog.to_regclass(pg_catalog.quote_ident(%s) || '.' ||\n"
"  pg_catalog.quote_ident(%s)) IS NULL THEN 'false'::json ELSE pg_catalog.to_json(\n"
"  (pg_catalog.xpath('/row/v/text()', pg_catalog.query_to_xml(pg_catalog.format(\n"
"   'SELECT pg_catalog.string_agg(version_num::text, '','' ORDER BY version_num) AS v\n"
"    FROM %%I.%%I', %s, %s), false, true, '')))[1]::text) END";

/* The literals of v joined with sep, each through conv (NULL: as is). */
static char *
quote_list(PGconn *conn, const struct cat_strv *v, char *(*conv)(const char *),
    const char *sep, char **err)
{
	struct sbuf sb;
	char *lit, *c;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < v->n; i++) {
		c = conv != NULL ? conv(v->v[i]) : xstrdup(v->v[i]);
		lit = PQescapeLiteral(conn, c, strlen(c));
		free(c);
		if (lit == NULL) {
			*err = xasprintf("cannot quote a name: %s", PQerrorMessage(conn));
			sbuf_free(&sb);
			return NULL;
		}
		sbuf_printf(&sb, "%s%s", i > 0 ? sep : "", lit);
		PQfreemem(lit);
	}
	return sbuf_steal(&sb);
}

/* The condition on pg_class `c` that selects the tables to read, and the
 * text[] of schema-level object names (pgobj.h's @TABLES@ and @NAMES@). */
static char *
want_sql(PGconn *conn, const struct cat_want *w, char **names, char **err)
{
	char *list, *cond;

	*names = NULL;
	if (w->all) {
		*names = xstrdup("NULL::text[]");
		return xstrdup("true");
	}
	if ((list = quote_list(conn, w->tables, NULL, ", ", err)) == NULL)
		return NULL;
	cond = xasprintf("c.relname IN (%s)", list);
	free(list);
	if (w->objects == NULL || w->objects->n == 0)
		*names = xstrdup("'{}'::text[]");
	else if ((list = quote_list(conn, w->objects, NULL, ", ", err)) != NULL) {
		*names = xasprintf("ARRAY[%s]::text[]", list);
		free(list);
	} else {
		free(cond);
		return NULL;
	}
	return cond;
}

static bool
want_ok(const struct cat_want *w, char **err)
{
	if (w == NULL || (!w->all && (w->tables == NULL || w->tables->n == 0))) {
		*err = xstrdup("no table for the catalog query");
		return false;
	}
	return true;
}

/* The json object {"tables": [...], "objects": [...][, "version": ...]} of
 * one schema (schema_sql: an SQL text expression). */
static char *
schema_json_sql(PGconn *conn, const char *schema_sql, const struct cat_want *w,
    const char *version_table, const char *first_pair, char **err)
{
	char *cond, *names, *nsp, *tq, *oq, *vq = NULL, *vlit, *q;

	if ((cond = want_sql(conn, w, &names, err)) == NULL)
		return NULL;
	if (version_table != NULL) {
		if ((vlit = PQescapeLiteral(conn, version_table, strlen(version_table))) == NULL) {
			*err = xasprintf("cannot quote table name: %s", PQerrorMessage(conn));
			free(cond);
			free(names);
			return NULL;
		}
		vq = xasprintf(pgcat_version_fmt, schema_sql, vlit, schema_sql, vlit);
		PQfreemem(vlit);
	}
	nsp = xasprintf("pg_catalog.quote_ident(%s)::pg_catalog.regnamespace", schema_sql);
	tq = xasprintf(pgcat_tables_fmt, schema_sql, cond);
	oq = pgobj_query(nsp, schema_sql, cond, names);
	q = xasprintf("pg_catalog.json_build_object(%s'tables', %s, 'objects', %s%s%s)",
	    first_pair, tq, oq, vq != NULL ? ", 'version', " : "", vq != NULL ? vq : "");
	free(cond);
	free(names);
	free(nsp);
	free(tq);
	free(oq);
	free(vq);
	return q;
}

/* SET LOCAL keeps the empty search_path inside the query's implicit
 * transaction when run on its own (the probe). Inside a caller's explicit
 * transaction (the migration engine) it lasts until that transaction ends:
 * such a caller must qualify names or SET search_path again afterwards.
 * query_for: the query with schema_sql (a literal, or "$1" for a prepared
 * statement) wherever the schema goes. */
static char *
query_for(PGconn *conn, const char *schema_sql, const struct cat_want *w,
    const char *version_table, char **err)
{
	char *o, *q;

	if ((o = schema_json_sql(conn, schema_sql, w, version_table, "", err)) == NULL)
		return NULL;
	q = xasprintf(PGCAT_PREFIX "SELECT %s::text", o);
	free(o);
	return q;
}

char *
pgcat_query_tables(PGconn *conn, const char *schema, const struct cat_want *w,
    const char *version_table, char **err)
{
	char *lit, *q;

	*err = NULL;
	if (conn == NULL || schema == NULL) {
		*err = xstrdup("no connection or schema for the catalog query");
		return NULL;
	}
	if (!want_ok(w, err))
		return NULL;
	if ((lit = PQescapeLiteral(conn, schema, strlen(schema))) == NULL) {
		*err = xasprintf("cannot quote schema name: %s", PQerrorMessage(conn));
		return NULL;
	}
	q = query_for(conn, lit, w, version_table, err);
	PQfreemem(lit);
	return q;
}

/* The same text for every schema, so that targets sharing a connection
 * (one database, a schema each) share one prepared statement too. */
char *
pgcat_query_tables_param(PGconn *conn, const struct cat_want *w,
    const char *version_table, char **err)
{
	*err = NULL;
	if (conn == NULL) {
		*err = xstrdup("no connection for the catalog query");
		return NULL;
	}
	if (!want_ok(w, err))
		return NULL;
	return query_for(conn, "$1::text", w, version_table, err);
}

bool
pgcat_no_schema(const PGresult *res)
{
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return state != NULL && strcmp(state, "3F000") == 0;
}

/* ---- JSON to catalog ------------------------------------------------------ */

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
jbool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* Append every string of a JSON array (null = empty) to sv. */
static int
strv_from_json(struct cat_strv *sv, const json_t *arr)
{
	size_t i;
	json_t *v;

	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return -1;
		cat_strv_add(sv, json_string_value(v));
	}
	return 0;
}

static void
add_column(struct cat_table *t, const json_t *c, const char *name, const char *type)
{
	const char *ident = jstr(c, "identity"), *gen = jstr(c, "generated");
	bool generated = gen != NULL && gen[0] != '\0';
	struct cat_column *col;

	/* A generated column's expression is kept in pg_attrdef like a default. */
	col = cat_add_column(t, CAT_PG, name, type, jbool(c, "notnull"),
	    generated ? NULL : jstr(c, "default"));
	if (generated)
		cat_set_generated(col, CAT_PG, jstr(c, "default"), true);
	if (ident != NULL && (ident[0] == 'a' || ident[0] == 'd'))
		col->identity = xstrdup(ident[0] == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (jstr(c, "collation") != NULL)
		col->collation = xstrdup(jstr(c, "collation"));
}

static int
add_columns(struct cat_table *t, const json_t *cols, char **err)
{
	size_t i;
	json_t *c;

	json_array_foreach(cols, i, c) {
		const char *name = jstr(c, "name"), *type = jstr(c, "type");

		if (name == NULL || type == NULL) {
			*err = xasprintf("catalog query: column %zu of %s has no name or type",
			    i + 1, t->name);
			return -1;
		}
		add_column(t, c, name, type);
	}
	return 0;
}

static enum cat_fk_action
fk_action(const json_t *k, const char *key)
{
	const char *s = jstr(k, key);
	int a = s != NULL ? cat_fk_action_parse(s) : -1;

	return a < 0 ? FK_NO_ACTION : (enum cat_fk_action)a;
}

/* One handler per pg_constraint.contype we model. */
static int
con_pk(struct cat_table *t, const json_t *k)
{
	return strv_from_json(&cat_set_pk(t, jstr(k, "name"))->cols, json_object_get(k, "cols"));
}

static int
con_unique(struct cat_table *t, const json_t *k)
{
	struct cat_key *u = cat_add_unique(t, jstr(k, "name"));

	u->nulls_not_distinct = jbool(k, "nulls_not_distinct");
	u->deferrable = jbool(k, "deferrable");
	u->deferred = jbool(k, "deferred");
	return strv_from_json(&u->cols, json_object_get(k, "cols"));
}

static int
con_fk(struct cat_table *t, const json_t *k)
{
	const char *ref = jstr(k, "ref_table");
	struct cat_fk *fk;

	if (ref == NULL)
		return -1;
	fk = cat_add_fk(t, jstr(k, "name"), ref);
	fk->on_delete = fk_action(k, "on_delete");
	if (strv_from_json(&fk->on_delete_cols, json_object_get(k, "on_delete_cols")) < 0)
		return -1;
	fk->on_update = fk_action(k, "on_update");
	if (jstr(k, "match") != NULL && cat_fk_match_parse(jstr(k, "match")) >= 0)
		fk->match = (enum cat_fk_match)cat_fk_match_parse(jstr(k, "match"));
	fk->deferrable = jbool(k, "deferrable");
	fk->deferred = jbool(k, "deferred");
	fk->not_valid = jbool(k, "not_valid");
	if (strv_from_json(&fk->cols, json_object_get(k, "cols")) < 0)
		return -1;
	return strv_from_json(&fk->ref_cols, json_object_get(k, "ref_cols"));
}

static int
con_check(struct cat_table *t, const json_t *k)
{
	const char *expr = jstr(k, "expr");
	struct cat_check *ck;

	if (expr == NULL)
		return -1;
	ck = cat_add_check(t, CAT_PG, jstr(k, "name"), expr);
	ck->not_valid = jbool(k, "not_valid");
	ck->no_inherit = jbool(k, "no_inherit");
	return 0;
}

static const struct {
	char	  contype;
	int	(*add)(struct cat_table *, const json_t *);
} con_handlers[] = {
	{ 'p', con_pk },
	{ 'u', con_unique },
	{ 'f', con_fk },
	{ 'c', con_check },
};

static int
add_constraints(struct cat_table *t, const json_t *cons, char **err)
{
	size_t i, h;
	json_t *k;

	json_array_foreach(cons, i, k) {
		const char *type = jstr(k, "type");

		if (type == NULL)
			continue;
		for (h = 0; h < sizeof con_handlers / sizeof con_handlers[0]; h++)
			if (con_handlers[h].contype == type[0])
				break;
		/* Unsupported kinds (exclusion, ...) are not part of the model. */
		if (h == sizeof con_handlers / sizeof con_handlers[0])
			continue;
		if (con_handlers[h].add(t, k) < 0) {
			*err = xasprintf("catalog query: malformed constraint %s on %s",
			    jstr(k, "name") ? jstr(k, "name") : "?", t->name);
			return -1;
		}
	}
	return 0;
}

/* The canonical key text of catalog.h: the column or expression, its
 * collation and operator class when not the default, " DESC" when
 * descending, and the NULLS placement only when it is not the default for
 * that direction (NULLS LAST for ASC, NULLS FIRST for DESC). */
static char *
index_key_text(const json_t *key)
{
	const char *expr = jstr(key, "expr"), *coll = jstr(key, "collation"),
	    *opc = jstr(key, "opclass");
	bool desc = jbool(key, "desc"), nulls_first = jbool(key, "nulls_first");
	struct sbuf sb;
	char *e;

	if (expr == NULL)
		return NULL;
	/* Plain columns are already canonical; expressions go through the
	 * normalizer so that "lower((name))" and "lower(name)" agree. */
	e = jbool(key, "is_expr") ? norm_expr(CAT_PG, expr) : xstrdup(expr);
	sbuf_init(&sb);
	sbuf_add(&sb, e);
	free(e);
	if (coll != NULL)
		sbuf_printf(&sb, " COLLATE %s", coll);
	if (opc != NULL)
		sbuf_printf(&sb, " %s", opc);
	sbuf_printf(&sb, "%s%s", desc ? " DESC" : "",
	    nulls_first == desc ? "" : nulls_first ? " NULLS FIRST" : " NULLS LAST");
	return sbuf_steal(&sb);
}

static int
add_index(struct cat_table *t, const json_t *ix)
{
	const char *name = jstr(ix, "name");
	const json_t *keys = json_object_get(ix, "keys");
	struct cat_index *ci;
	json_t *key;
	size_t i;
	char *s;

	if (name == NULL || !json_is_array(keys))
		return -1;
	ci = cat_add_index(t, CAT_PG, name, jbool(ix, "unique"), jstr(ix, "method"),
	    jstr(ix, "pred"));
	ci->nulls_not_distinct = jbool(ix, "nulls_not_distinct");
	if (strv_from_json(&ci->storage, json_object_get(ix, "storage")) < 0)
		return -1;
	cat_strv_sort(&ci->storage);
	json_array_foreach(keys, i, key) {
		if ((s = index_key_text(key)) == NULL)
			return -1;
		cat_strv_add(&ci->keys, s);
		free(s);
	}
	return strv_from_json(&ci->include, json_object_get(ix, "include"));
}

static int
add_indexes(struct cat_table *t, const json_t *ixs, char **err)
{
	size_t i;
	json_t *ix;

	json_array_foreach(ixs, i, ix) {
		if (add_index(t, ix) < 0) {
			*err = xasprintf("catalog query: malformed index %s on %s",
			    jstr(ix, "name") ? jstr(ix, "name") : "?", t->name);
			return -1;
		}
	}
	return 0;
}

/* Build one table completely before the next cat_add_table(): that call may
 * move the tables array and invalidate t. */
static int
add_table(struct catalog *cat, const json_t *jt, char **err)
{
	const char *name = jstr(jt, "name");
	struct cat_table *t;

	if (name == NULL || cat_find_table(cat, name) != NULL) {
		*err = xasprintf("catalog query returned an unexpected table %s",
		    name ? name : "(no name)");
		return -1;
	}
	t = cat_add_table(cat, name);
	if (add_columns(t, json_object_get(jt, "columns"), err) < 0 ||
	    add_constraints(t, json_object_get(jt, "constraints"), err) < 0 ||
	    add_indexes(t, json_object_get(jt, "indexes"), err) < 0)
		return -1;
	return 0;
}

struct catalog *
pgcat_from_result(const PGresult *res, char **err)
{
	return pgcat_from_result_version(res, NULL, err);
}

/* The version part of the object form: absent (not asked), false (no
 * table), null (no row) or a string. */
static void
read_version(const json_t *root, struct cat_version *ver)
{
	const json_t *v = json_object_get(root, "version");

	ver->read = json_is_object(root) && v != NULL;
	ver->row = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
	ver->table = ver->read && !json_is_false(v);
}

struct catalog *
pgcat_from_result_version(const PGresult *res, struct cat_version *ver, char **err)
{
	struct catalog *cat;
	json_error_t jerr;
	json_t *root, *jt, *tables;
	size_t i;

	*err = NULL;
	if (ver != NULL)
		memset(ver, 0, sizeof *ver);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1 || PQnfields(res) < 1 || PQgetisnull(res, 0, 0)) {
		*err = xstrdup("catalog query returned no usable row");
		return NULL;
	}
	root = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
	/* An array of tables, or {"tables": [...], "version": ...}. */
	tables = json_is_object(root) ? json_object_get(root, "tables") : root;
	if (root == NULL || !json_is_array(tables)) {
		*err = xasprintf("catalog query returned malformed JSON: %s",
		    root == NULL ? jerr.text : "not an array");
		json_decref(root);
		return NULL;
	}
	if (ver != NULL)
		read_version(root, ver);
	cat = cat_new(CAT_PG);
	json_array_foreach(tables, i, jt) {
		if (add_table(cat, jt, err) < 0) {
			cat_free(cat);
			cat = NULL;
			break;
		}
	}
	if (cat != NULL && json_is_object(root) && json_object_get(root, "objects") != NULL &&
	    !catjson_add_objects(cat, json_object_get(root, "objects"), "objects", err)) {
		cat_free(cat);
		cat = NULL;
	}
	json_decref(root);
	if (cat != NULL) {
		cat_sort_tables(cat);
		cat_sort_objects(cat);
	}
	return cat;
}

/* ---- many schemas (schemas: patterns) in one round trip ------------------ */

/* "*" is any run, "?" one character; LIKE's own % _ and its escape \ stand
 * for themselves. Kept to these two wildcards: schema names are identifiers,
 * and a pattern means the same in the man page, here and on the server. */
char *
pgcat_glob_like(const char *glob)
{
	struct sbuf sb;
	const char *s;

	sbuf_init(&sb);
	for (s = glob; *s != '\0'; s++) {
		if (*s == '*')
			sbuf_add(&sb, "%");
		else if (*s == '?')
			sbuf_add(&sb, "_");
		else {
			if (*s == '%' || *s == '_' || *s == '\\')
				sbuf_add(&sb, "\\");
			sbuf_printf(&sb, "%c", *s);
		}
	}
	return sbuf_steal(&sb);
}

bool
pgcat_glob_match(const char *glob, const char *s)
{
	/* Backtracking on the last "*" only: linear enough for identifiers. */
	const char *star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (*glob == '*') {
			star = glob++;
			resume = s;
		} else if (*glob != '\0' && (*glob == '?' || *glob == *s)) {
			glob++;
			s++;
		} else if (star != NULL) {
			glob = star + 1;
			s = ++resume;
		} else
			return false;
	}
	while (*glob == '*')
		glob++;
	return *glob == '\0';
}

bool
pgcat_schema_matches(const char *glob, const char *schema)
{
	if (strncmp(schema, "pg_", 3) == 0 || strcmp(schema, "information_schema") == 0)
		return false;
	if (strcmp(schema, PGCAT_OWN_SCHEMA) == 0 && strcmp(glob, schema) != 0)
		return false;
	return pgcat_glob_match(glob, schema);
}

/* One row, one JSON array: per matching schema (by name) the same
 * description as pgcat_query_tables gives for one, with the schema's name.
 * The per-schema sub-selects are the one-schema ones with the schema taken
 * from the outer pg_namespace row, so both forms read exactly the same. */
char *
pgcat_query_schemas(PGconn *conn, const struct cat_strv *patterns,
    const struct cat_want *w, const char *version_table, char **err)
{
	char *likes, *named, *o, *q;

	*err = NULL;
	if (conn == NULL || patterns == NULL || patterns->n == 0) {
		*err = xstrdup("no connection or schema pattern for the catalog query");
		return NULL;
	}
	if (!want_ok(w, err) ||
	    (likes = quote_list(conn, patterns, pgcat_glob_like, ", ", err)) == NULL)
		return NULL;
	if ((named = quote_list(conn, patterns, NULL, ", ", err)) == NULL) {
		free(likes);
		return NULL;
	}
	if ((o = schema_json_sql(conn, "n.nspname", w, version_table, "'schema', n.nspname, ", err)) == NULL) {
		free(likes);
		free(named);
		return NULL;
	}
	/* System schemas never match: "*" means the application's schemas.
	 * Neither does the daemon's own (ddl-events.postgresql.sql), unless a
	 * pattern names it exactly: it is no tenant, and a "*" must not make
	 * its event-trigger function a row of drift. The per-schema object is
	 * the one-schema one with the schema's name added: both forms read
	 * exactly the same. */
	q = xasprintf(PGCAT_PREFIX
	    "SELECT coalesce(pg_catalog.json_agg(%s ORDER BY n.nspname), '[]'::json)::text\n"
	    "FROM pg_catalog.pg_namespace n\n"
	    "WHERE n.nspname LIKE ANY (ARRAY[%s]::text[])\n"
	    "  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n"
	    "  AND (n.nspname <> '" PGCAT_OWN_SCHEMA "' OR n.nspname = ANY (ARRAY[%s]::text[]))",
	    o, likes, named);
	free(o);
	free(likes);
	free(named);
	return q;
}

void
pgcat_schemas_free(struct pgcat_schema *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		cat_free(v[i].cat);
		cat_version_free(&v[i].version);
	}
	free(v);
}

/* One element of pgcat_query_schemas' array. */
static int
schema_from_json(const json_t *o, struct pgcat_schema *s, char **err)
{
	const json_t *tables = json_object_get(o, "tables"), *jt;
	const char *name = jstr(o, "schema");
	size_t i;

	if (name == NULL || !json_is_array(tables)) {
		*err = xstrdup("catalog query returned a schema without name or tables");
		return -1;
	}
	s->name = xstrdup(name);
	/* No "version" member: the version table was not asked for. */
	if (json_object_get(o, "version") != NULL)
		read_version(o, &s->version);
	s->cat = cat_new(CAT_PG);
	json_array_foreach(tables, i, jt)
		if (add_table(s->cat, jt, err) < 0)
			return -1;
	if (json_object_get(o, "objects") != NULL &&
	    !catjson_add_objects(s->cat, json_object_get(o, "objects"), "objects", err))
		return -1;
	cat_sort_tables(s->cat);
	cat_sort_objects(s->cat);
	return 0;
}

static int
schema_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pgcat_schema *)a)->name, ((const struct pgcat_schema *)b)->name);
}

int
pgcat_from_result_schemas(const PGresult *res, struct pgcat_schema **out, int *n, char **err)
{
	json_error_t jerr;
	json_t *root, *o;
	struct pgcat_schema *v;
	size_t i;

	*err = NULL;
	*out = NULL;
	*n = 0;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1 || PQnfields(res) < 1 || PQgetisnull(res, 0, 0)) {
		*err = xstrdup("catalog query returned no usable row");
		return -1;
	}
	if ((root = json_loads(PQgetvalue(res, 0, 0), 0, &jerr)) == NULL || !json_is_array(root)) {
		*err = xasprintf("catalog query returned malformed JSON: %s",
		    root == NULL ? jerr.text : "not an array");
		json_decref(root);
		return -1;
	}
	v = xcalloc(json_array_size(root) + 1, sizeof *v);
	json_array_foreach(root, i, o) {
		if (schema_from_json(o, &v[i], err) < 0) {
			pgcat_schemas_free(v, (int)i + 1);
			json_decref(root);
			return -1;
		}
	}
	/* The server orders by name already (C collation); strcmp's order is
	 * what the registry merges on, so make it so whatever the server did. */
	qsort(v, json_array_size(root), sizeof *v, schema_cmp);
	*out = v;
	*n = (int)json_array_size(root);
	json_decref(root);
	return 0;
}

/* pgcat.c — read the V7 tables of one PostgreSQL schema in one round trip.
 *
 * The server does all the deparsing (format_type, pg_get_expr,
 * pg_get_indexdef) under an empty search_path, as pg_dump does, so that the
 * texts are stable and qualified the same way whatever the session had. The
 * whole description comes back as ONE json value in one row; here it is only
 * parsed (jansson) and fed to the catalog.h builders, which normalize.
 *
 * The query looks the three tables up by (nspname, relname) through the
 * catalog indexes and never scans other relations, so a database with 10,000
 * unrelated tables costs the same as an empty one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "normalize.h"
#include "pgcat.h"
#include "util.h"

/* The per-table sub-selects. Every object is ordered by name (columns by
 * attnum) so that two probes of the same schema give the same catalog.
 *
 * Constraints: only p/u/f/c are read; exclusion constraints ('x'), constraint
 * triggers ('t') and anything newer (PostgreSQL 18's not-null 'n') are not
 * part of the model and are left out on the server side.
 * Indexes: those implementing a PRIMARY KEY / UNIQUE / EXCLUDE constraint
 * (pg_constraint.conindid) are described by that constraint, not here. The
 * contype filter matters: a foreign key's conindid names the *referenced*
 * table's index, which for a self-reference is on the same table. */
static const char pgcat_sql_fmt[] =
"SET LOCAL search_path = '';\n"
"SELECT coalesce(json_agg(t ORDER BY t.name), '[]'::json)::text FROM (\n"
" SELECT c.relname AS name,\n"
"  (SELECT coalesce(json_agg(json_build_object(\n"
"     'name', a.attname,\n"
"     'type', pg_catalog.format_type(a.atttypid, a.atttypmod),\n"
"     'notnull', a.attnotnull,\n"
"     'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum), '[]'::json)\n"
"   FROM pg_catalog.pg_attribute a\n"
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
"     'on_update', k.confupdtype,\n"
"     'deferrable', k.condeferrable,\n"
"     'deferred', k.condeferred,\n"
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
"     'keys', (SELECT json_agg(json_build_object(\n"
"                'expr', pg_catalog.pg_get_indexdef(i.indexrelid, n, true),\n"
"                'is_expr', i.indkey[n - 1] = 0,\n"
"                'desc', (i.indoption[n - 1] & 1) <> 0,\n"
"                'nulls_first', (i.indoption[n - 1] & 2) <> 0) ORDER BY n)\n"
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
" WHERE c.relnamespace = pg_catalog.quote_ident(%s)::pg_catalog.regnamespace\n"
"   AND c.relname IN ('prompt_templates', 'prompt_versions', 'prompt_results')\n"
"   AND c.relkind IN ('r', 'p')\n"
") AS t";

/* SET LOCAL keeps the empty search_path inside the query's implicit
 * transaction when run on its own (the probe). Inside a caller's explicit
 * transaction (the migration engine) it lasts until that transaction ends:
 * such a caller must qualify names or SET search_path again afterwards. */
char *
pgcat_query(PGconn *conn, const char *schema, char **err)
{
	char *lit, *q;

	*err = NULL;
	if (conn == NULL || schema == NULL) {
		*err = xstrdup("no connection or schema for the catalog query");
		return NULL;
	}
	if ((lit = PQescapeLiteral(conn, schema, strlen(schema))) == NULL) {
		*err = xasprintf("cannot quote schema name: %s", PQerrorMessage(conn));
		return NULL;
	}
	q = xasprintf(pgcat_sql_fmt, lit);
	PQfreemem(lit);
	return q;
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
		cat_add_column(t, CAT_PG, name, type, jbool(c, "notnull"), jstr(c, "default"));
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
	return strv_from_json(&cat_add_unique(t, jstr(k, "name"))->cols,
	    json_object_get(k, "cols"));
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
	fk->on_update = fk_action(k, "on_update");
	fk->deferrable = jbool(k, "deferrable");
	fk->deferred = jbool(k, "deferred");
	if (strv_from_json(&fk->cols, json_object_get(k, "cols")) < 0)
		return -1;
	return strv_from_json(&fk->ref_cols, json_object_get(k, "ref_cols"));
}

static int
con_check(struct cat_table *t, const json_t *k)
{
	const char *expr = jstr(k, "expr");

	if (expr == NULL)
		return -1;
	cat_add_check(t, CAT_PG, jstr(k, "name"), expr);
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

/* The canonical key text of catalog.h: the column or expression, " DESC"
 * when descending, and the NULLS placement only when it is not the default
 * for that direction (NULLS LAST for ASC, NULLS FIRST for DESC). */
static char *
index_key_text(const json_t *key)
{
	const char *expr = jstr(key, "expr");
	bool desc = jbool(key, "desc"), nulls_first = jbool(key, "nulls_first");
	char *e, *s;

	if (expr == NULL)
		return NULL;
	/* Plain columns are already canonical; expressions go through the
	 * normalizer so that "lower((name))" and "lower(name)" agree. */
	e = jbool(key, "is_expr") ? norm_expr(CAT_PG, expr) : xstrdup(expr);
	s = xasprintf("%s%s%s", e, desc ? " DESC" : "",
	    nulls_first == desc ? "" : nulls_first ? " NULLS FIRST" : " NULLS LAST");
	free(e);
	return s;
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

	if (name == NULL || !cat_is_v7_table(name)) {
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
	struct catalog *cat;
	json_error_t jerr;
	json_t *root, *jt;
	size_t i;

	*err = NULL;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQntuples(res) != 1 || PQnfields(res) < 1 || PQgetisnull(res, 0, 0)) {
		*err = xstrdup("catalog query returned no usable row");
		return NULL;
	}
	root = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
	if (root == NULL || !json_is_array(root)) {
		*err = xasprintf("catalog query returned malformed JSON: %s",
		    root == NULL ? jerr.text : "not an array");
		json_decref(root);
		return NULL;
	}
	cat = cat_new(CAT_PG);
	json_array_foreach(root, i, jt) {
		if (add_table(cat, jt, err) < 0) {
			cat_free(cat);
			cat = NULL;
			break;
		}
	}
	json_decref(root);
	return cat;
}

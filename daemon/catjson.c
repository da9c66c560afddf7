/* catjson.c — catalog <-> stable JSON (see catjson.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "catjson.h"
#include "util.h"

/* ---- writing -------------------------------------------------------------- */

/* Absent values are left out rather than written as null: a file then only
 * says what a table has, and a new optional field does not touch every line. */
static void
put_str(json_t *o, const char *key, const char *val)
{
	if (val != NULL)
		json_object_set_new(o, key, json_string(val));
}

static void
put_true(json_t *o, const char *key, bool val)
{
	if (val)
		json_object_set_new(o, key, json_true());
}

/* SQLite's ON CONFLICT, only when not the default (ABORT): files of
 * tables without one stay as they were. */
static void
put_conflict(json_t *o, enum cat_conflict c)
{
	if (c != CONFLICT_ABORT)
		json_object_set_new(o, "on_conflict", json_string(cat_conflict_sql(c)));
}

static json_t *
strv_json(const struct cat_strv *sv)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *
column_json(const struct cat_column *col)
{
	json_t *o = json_object();

	put_str(o, "name", col->name);
	put_str(o, "type", col->type_raw);
	json_object_set_new(o, "notnull", json_boolean(col->notnull));
	put_str(o, "default", col->dflt_raw);
	put_str(o, "collation", col->collation);
	put_str(o, "identity", col->identity);
	put_str(o, "generated", col->gen_raw);
	put_true(o, "stored", col->gen_raw != NULL && col->gen_stored);
	put_conflict(o, col->notnull_conflict);
	return o;
}

static json_t *
key_json(const struct cat_key *k)
{
	json_t *o = json_object();

	put_str(o, "name", k->name);
	json_object_set_new(o, "columns", strv_json(&k->cols));
	put_true(o, "nulls_not_distinct", k->nulls_not_distinct);
	put_true(o, "deferrable", k->deferrable);
	put_true(o, "deferred", k->deferred);
	put_conflict(o, k->conflict);
	return o;
}

static json_t *
fk_json(const struct cat_fk *fk)
{
	json_t *o = json_object();

	put_str(o, "name", fk->name);
	json_object_set_new(o, "columns", strv_json(&fk->cols));
	put_str(o, "references", fk->ref_table);
	json_object_set_new(o, "ref_columns", strv_json(&fk->ref_cols));
	put_str(o, "on_delete", cat_fk_action_sql(fk->on_delete));
	if (fk->on_delete_cols.n > 0)
		json_object_set_new(o, "on_delete_columns", strv_json(&fk->on_delete_cols));
	put_str(o, "on_update", cat_fk_action_sql(fk->on_update));
	put_str(o, "match", cat_fk_match_sql(fk->match));
	put_true(o, "deferrable", fk->deferrable);
	put_true(o, "deferred", fk->deferred);
	put_true(o, "not_valid", fk->not_valid);
	return o;
}

static json_t *
check_json(const struct cat_check *ck)
{
	json_t *o = json_object();

	put_str(o, "name", ck->name);
	put_str(o, "expression", ck->expr_raw);
	put_true(o, "not_valid", ck->not_valid);
	put_true(o, "no_inherit", ck->no_inherit);
	return o;
}

static json_t *
index_json(const struct cat_index *ix)
{
	json_t *o = json_object();

	put_str(o, "name", ix->name);
	json_object_set_new(o, "unique", json_boolean(ix->unique));
	put_str(o, "method", ix->method);
	json_object_set_new(o, "keys", strv_json(&ix->keys));
	if (ix->include.n > 0)
		json_object_set_new(o, "include", strv_json(&ix->include));
	put_str(o, "predicate", ix->pred_raw);
	put_true(o, "nulls_not_distinct", ix->nulls_not_distinct);
	/* Absent when none: compiled files without them stay as they were. */
	if (ix->storage.n > 0)
		json_object_set_new(o, "storage", strv_json(&ix->storage));
	return o;
}

/* Raw texts only: canonical forms are computed again when loaded. */
static json_t *
props_json(const struct cat_props *ps)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < ps->n; i++)
		json_object_set_new(o, ps->v[i].key, json_string(ps->v[i].raw));
	return o;
}

static json_t *
table_json(const struct cat_table *t)
{
	json_t *o = json_object(), *a;
	int i;

	put_str(o, "name", t->name);
	a = json_array();
	for (i = 0; i < t->ncols; i++)
		json_array_append_new(a, column_json(&t->cols[i]));
	json_object_set_new(o, "columns", a);
	if (t->pk != NULL)
		json_object_set_new(o, "primary_key", key_json(t->pk));
	a = json_array();
	for (i = 0; i < t->nuniques; i++)
		json_array_append_new(a, key_json(&t->uniques[i]));
	json_object_set_new(o, "uniques", a);
	a = json_array();
	for (i = 0; i < t->nfks; i++)
		json_array_append_new(a, fk_json(&t->fks[i]));
	json_object_set_new(o, "foreign_keys", a);
	a = json_array();
	for (i = 0; i < t->nchecks; i++)
		json_array_append_new(a, check_json(&t->checks[i]));
	json_object_set_new(o, "checks", a);
	a = json_array();
	for (i = 0; i < t->nindexes; i++)
		json_array_append_new(a, index_json(&t->indexes[i]));
	json_object_set_new(o, "indexes", a);
	if (t->opts.n > 0)
		json_object_set_new(o, "options", props_json(&t->opts));
	return o;
}

static json_t *
object_json(const struct cat_object *ob)
{
	json_t *o = json_object();

	put_str(o, "kind", ob->kind);
	put_str(o, "name", ob->name);
	put_str(o, "table", ob->table);
	json_object_set_new(o, "properties", props_json(&ob->props));
	return o;
}

char *
catjson_dump(const struct catalog *c, const struct catjson_meta *meta)
{
	json_t *root = json_object(), *tables = json_array();
	char *text, *s;
	int i;

	json_object_set_new(root, "format", json_string(CATJSON_FORMAT));
	json_object_set_new(root, "dialect", json_string(cat_dialect_name(c->dialect)));
	if (meta != NULL) {
		put_str(root, "engine", meta->engine);
		put_str(root, "revision", meta->revision);
		put_str(root, "sql_digest", meta->sql_digest);
	}
	for (i = 0; i < c->ntables; i++)
		json_array_append_new(tables, table_json(&c->tables[i]));
	json_object_set_new(root, "tables", tables);
	/* Absent when there is none: a catalog of tables only is written as
	 * it always was. */
	if (c->nobjects > 0) {
		json_t *objects = json_array();

		for (i = 0; i < c->nobjects; i++)
			json_array_append_new(objects, object_json(&c->objects[i]));
		json_object_set_new(root, "objects", objects);
	}
	text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(root);
	if (text == NULL)	/* only on out of memory */
		return xstrdup("{}\n");
	s = xasprintf("%s\n", text);
	free(text);
	return s;
}

/* ---- reading -------------------------------------------------------------- */

/* Where in the document we are, for messages: "tables[1].columns[2]". */
struct rd {
	char	*err;
};

static bool
rd_fail(struct rd *rd, const char *where, const char *what)
{
	if (rd->err == NULL)
		rd->err = xasprintf("%s: %s", where, what);
	return false;
}

static const char *
get_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
get_bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* A required string member. */
static bool
need_str(struct rd *rd, const char *where, const json_t *o, const char *key, const char **out)
{
	char *what;

	if ((*out = get_str(o, key)) != NULL)
		return true;
	what = xasprintf("no \"%s\"", key);
	rd_fail(rd, where, what);
	free(what);
	return false;
}

static bool
load_strv(struct rd *rd, const char *where, const json_t *o, const char *key,
    struct cat_strv *sv)
{
	const json_t *a = json_object_get(o, key), *v;
	size_t i;

	if (a == NULL)
		return true;
	if (!json_is_array(a))
		return rd_fail(rd, where, "a list of names is not an array");
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return rd_fail(rd, where, "a list of names holds a non-string");
		cat_strv_add(sv, json_string_value(v));
	}
	return true;
}

/* "on_conflict" (absent: ABORT, SQLite's default). */
static bool
load_conflict(struct rd *rd, const char *where, const json_t *o, enum cat_conflict *out)
{
	const char *s = get_str(o, "on_conflict");
	int c = s != NULL ? cat_conflict_parse(s) : CONFLICT_ABORT;

	if (c < 0)
		return rd_fail(rd, where, "unknown ON CONFLICT resolution");
	*out = (enum cat_conflict)c;
	return true;
}

static bool
load_column(struct rd *rd, const char *where, struct cat_table *t, enum cat_dialect d,
    const json_t *o)
{
	const char *name, *type;
	struct cat_column *col;

	if (!need_str(rd, where, o, "name", &name) || !need_str(rd, where, o, "type", &type))
		return false;
	col = cat_add_column(t, d, name, type, get_bool(o, "notnull"), get_str(o, "default"));
	if (get_str(o, "collation") != NULL)
		col->collation = xstrdup(get_str(o, "collation"));
	if (get_str(o, "identity") != NULL)
		col->identity = xstrdup(get_str(o, "identity"));
	if (get_str(o, "generated") != NULL)
		cat_set_generated(col, d, get_str(o, "generated"), get_bool(o, "stored"));
	return load_conflict(rd, where, o, &col->notnull_conflict);
}

static bool
load_key(struct rd *rd, const char *where, struct cat_key *k, const json_t *o)
{
	k->nulls_not_distinct = get_bool(o, "nulls_not_distinct");
	k->deferrable = get_bool(o, "deferrable");
	k->deferred = get_bool(o, "deferred");
	return load_conflict(rd, where, o, &k->conflict) &&
	    load_strv(rd, where, o, "columns", &k->cols);
}

static bool
load_action(struct rd *rd, const char *where, const json_t *o, const char *key,
    enum cat_fk_action *out)
{
	const char *s = get_str(o, key);
	int a;

	if (s == NULL) {
		*out = FK_NO_ACTION;
		return true;
	}
	if ((a = cat_fk_action_parse(s)) < 0)
		return rd_fail(rd, where, "unknown foreign key action");
	*out = (enum cat_fk_action)a;
	return true;
}

static bool
load_fk(struct rd *rd, const char *where, struct cat_table *t, const json_t *o)
{
	const char *ref, *m;
	struct cat_fk *fk;
	int match = 0;

	if (!need_str(rd, where, o, "references", &ref))
		return false;
	if ((m = get_str(o, "match")) != NULL && (match = cat_fk_match_parse(m)) < 0)
		return rd_fail(rd, where, "unknown MATCH");
	fk = cat_add_fk(t, get_str(o, "name"), ref);
	fk->match = (enum cat_fk_match)match;
	fk->deferrable = get_bool(o, "deferrable");
	fk->deferred = get_bool(o, "deferred");
	fk->not_valid = get_bool(o, "not_valid");
	return load_action(rd, where, o, "on_delete", &fk->on_delete) &&
	    load_action(rd, where, o, "on_update", &fk->on_update) &&
	    load_strv(rd, where, o, "columns", &fk->cols) &&
	    load_strv(rd, where, o, "ref_columns", &fk->ref_cols) &&
	    load_strv(rd, where, o, "on_delete_columns", &fk->on_delete_cols);
}

static bool
load_check(struct rd *rd, const char *where, struct cat_table *t, enum cat_dialect d,
    const json_t *o)
{
	const char *expr;
	struct cat_check *ck;

	if (!need_str(rd, where, o, "expression", &expr))
		return false;
	ck = cat_add_check(t, d, get_str(o, "name"), expr);
	ck->not_valid = get_bool(o, "not_valid");
	ck->no_inherit = get_bool(o, "no_inherit");
	return true;
}

static bool
load_index(struct rd *rd, const char *where, struct cat_table *t, enum cat_dialect d,
    const json_t *o)
{
	const char *name;
	struct cat_index *ix;

	if (!need_str(rd, where, o, "name", &name))
		return false;
	ix = cat_add_index(t, d, name, get_bool(o, "unique"), get_str(o, "method"),
	    get_str(o, "predicate"));
	ix->nulls_not_distinct = get_bool(o, "nulls_not_distinct");
	if (!load_strv(rd, where, o, "keys", &ix->keys) ||
	    !load_strv(rd, where, o, "include", &ix->include) ||
	    !load_strv(rd, where, o, "storage", &ix->storage))
		return false;
	cat_strv_sort(&ix->storage);
	return true;
}

/* One loader per member list of a table. */
enum member { M_COLUMN, M_UNIQUE, M_FK, M_CHECK, M_INDEX };

static bool
load_member(struct rd *rd, const char *where, struct cat_table *t, enum cat_dialect d,
    enum member m, const json_t *o)
{
	if (!json_is_object(o))
		return rd_fail(rd, where, "not an object");
	switch (m) {
	case M_COLUMN:
		return load_column(rd, where, t, d, o);
	case M_UNIQUE:
		return load_key(rd, where, cat_add_unique(t, get_str(o, "name")), o);
	case M_FK:
		return load_fk(rd, where, t, o);
	case M_CHECK:
		return load_check(rd, where, t, d, o);
	case M_INDEX:
		return load_index(rd, where, t, d, o);
	}
	return false;
}

static const struct {
	const char	*key;
	enum member	 m;
} member_lists[] = {
	{ "columns",		M_COLUMN },
	{ "uniques",		M_UNIQUE },
	{ "foreign_keys",	M_FK },
	{ "checks",		M_CHECK },
	{ "indexes",		M_INDEX },
};

static bool
load_table(struct rd *rd, const char *where, struct catalog *c, const json_t *o)
{
	const json_t *list, *item, *pk;
	struct cat_table *t;
	const char *name;
	size_t i, j;
	char *w;
	bool ok = true;

	if (!json_is_object(o))
		return rd_fail(rd, where, "not an object");
	if (!need_str(rd, where, o, "name", &name))
		return false;
	if (cat_find_table(c, name) != NULL)
		return rd_fail(rd, where, "a table is listed twice");
	t = cat_add_table(c, name);
	for (i = 0; ok && i < sizeof member_lists / sizeof member_lists[0]; i++) {
		if ((list = json_object_get(o, member_lists[i].key)) == NULL)
			continue;
		if (!json_is_array(list)) {
			w = xasprintf("%s.%s", where, member_lists[i].key);
			ok = rd_fail(rd, w, "not an array");
			free(w);
			break;
		}
		json_array_foreach(list, j, item) {
			w = xasprintf("%s.%s[%zu]", where, member_lists[i].key, j);
			ok = load_member(rd, w, t, c->dialect, member_lists[i].m, item);
			free(w);
			if (!ok)
				break;
		}
	}
	if (ok && (list = json_object_get(o, "options")) != NULL) {
		w = xasprintf("%s.options", where);
		ok = catjson_set_props(&t->opts, c->dialect, "table", list, w, &rd->err);
		free(w);
	}
	if (ok && (pk = json_object_get(o, "primary_key")) != NULL) {
		w = xasprintf("%s.primary_key", where);
		ok = json_is_object(pk) ? load_key(rd, w, cat_set_pk(t, get_str(pk, "name")), pk) :
		    rd_fail(rd, w, "not an object");
		free(w);
	}
	return ok;
}

static bool
load_root(struct rd *rd, const json_t *root, struct catalog **out)
{
	const char *fmt, *dialect;
	const json_t *tables, *jt;
	struct catalog *c;
	size_t i;
	char *w;
	bool ok = true;

	if (!json_is_object(root))
		return rd_fail(rd, "catalog", "not a JSON object");
	fmt = get_str(root, "format");
	if (fmt == NULL || strcmp(fmt, CATJSON_FORMAT) != 0)
		return rd_fail(rd, "format", "not \"" CATJSON_FORMAT "\"");
	dialect = get_str(root, "dialect");
	if (dialect == NULL || (strcmp(dialect, "postgresql") != 0 && strcmp(dialect, "sqlite") != 0))
		return rd_fail(rd, "dialect", "neither \"postgresql\" nor \"sqlite\"");
	if (!json_is_array(tables = json_object_get(root, "tables")))
		return rd_fail(rd, "tables", "not an array");
	c = cat_new(strcmp(dialect, "postgresql") == 0 ? CAT_PG : CAT_SQLITE);
	json_array_foreach(tables, i, jt) {
		w = xasprintf("tables[%zu]", i);
		ok = load_table(rd, w, c, jt);
		free(w);
		if (!ok)
			break;
	}
	if (ok && json_object_get(root, "objects") != NULL)
		ok = catjson_add_objects(c, json_object_get(root, "objects"), "objects", &rd->err);
	if (!ok) {
		cat_free(c);
		return false;
	}
	cat_sort_objects(c);
	*out = c;
	return true;
}

/* ---- objects: shared with pgcat.c, whose query returns the same shape ---- */

bool
catjson_set_props(struct cat_props *ps, enum cat_dialect d, const char *kind,
    const json_t *o, const char *where, char **err)
{
	const char *key;
	const json_t *v;
	char *text;

	if (!json_is_object(o)) {
		*err = xasprintf("%s: not an object", where);
		return false;
	}
	json_object_foreach((json_t *)o, key, v) {
		if (json_is_null(v))
			continue;	/* not set: the same as absent */
		if (json_is_string(v))
			text = xstrdup(json_string_value(v));
		else if (json_is_boolean(v))
			text = xstrdup(json_is_true(v) ? "true" : "false");
		else if (json_is_integer(v))
			text = xasprintf("%lld", (long long)json_integer_value(v));
		else {
			*err = xasprintf("%s.%s: not a string", where, key);
			return false;
		}
		cat_prop_set(ps, d, kind, key, text);
		free(text);
	}
	return true;
}

/* One object, or (kind "table") the options of a table of c; options of a
 * table c does not hold are dropped (it was not asked for). */
static bool
add_object(struct catalog *c, const json_t *o, const char *where, char **err)
{
	const char *kind = get_str(o, "kind"), *name = get_str(o, "name");
	const json_t *props = json_object_get(o, "properties");
	struct cat_table *t;
	struct cat_object *ob;
	char *w;
	bool ok;

	if (!json_is_object(o) || kind == NULL || name == NULL) {
		*err = xasprintf("%s: not an object with a \"kind\" and a \"name\"", where);
		return false;
	}
	if (props == NULL)
		return true;
	w = xasprintf("%s.properties", where);
	if (strcmp(kind, "table") == 0) {
		t = cat_find_table(c, name);
		ok = t == NULL || catjson_set_props(&t->opts, c->dialect, kind, props, w, err);
	} else {
		ob = cat_add_object(c, kind, name, get_str(o, "table"));
		ok = catjson_set_props(&ob->props, c->dialect, kind, props, w, err);
	}
	free(w);
	return ok;
}

bool
catjson_add_objects(struct catalog *c, const json_t *arr, const char *where, char **err)
{
	const json_t *o;
	size_t i;
	char *w;
	bool ok = true;

	if (!json_is_array(arr)) {
		*err = xasprintf("%s: not an array", where);
		return false;
	}
	json_array_foreach(arr, i, o) {
		w = xasprintf("%s[%zu]", where, i);
		ok = add_object(c, o, w, err);
		free(w);
		if (!ok)
			break;
	}
	return ok;
}

static char *
dup_str(const json_t *o, const char *key)
{
	return get_str(o, key) != NULL ? xstrdup(get_str(o, key)) : NULL;
}

void
catjson_meta_free(struct catjson_meta *m)
{
	free(m->engine);
	free(m->revision);
	free(m->sql_digest);
	memset(m, 0, sizeof *m);
}

struct catalog *
catjson_load(const char *text, struct catjson_meta *meta, char **err)
{
	struct rd rd = { NULL };
	struct catalog *c = NULL;
	json_error_t jerr;
	json_t *root;

	*err = NULL;
	if (meta != NULL)
		memset(meta, 0, sizeof *meta);
	if ((root = json_loads(text, 0, &jerr)) == NULL) {
		*err = xasprintf("%d:%d: %s", jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!load_root(&rd, root, &c)) {
		*err = rd.err;
		json_decref(root);
		return NULL;
	}
	if (meta != NULL) {
		meta->engine = dup_str(root, "engine");
		meta->revision = dup_str(root, "revision");
		meta->sql_digest = dup_str(root, "sql_digest");
	}
	json_decref(root);
	return c;
}

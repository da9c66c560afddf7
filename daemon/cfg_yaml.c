/* cfg_yaml.c — the YAML binder: walks libyaml's document API and hands each
 * value to the setter of its key's type (see cfg_yaml.h).
 *
 * Each mapping (the top level, each entry of targets, each entry of groups)
 * is walked against the key table for its scope: an unknown key gets a "did
 * you mean", a key twice points at both places, a missing required key names
 * the entry. Scalars go through the one conversion from text (cfg_value.c),
 * the same one that defaults use; lists of strings, the alert argv and the
 * lists of targets and groups have setters here. After the keys, the rules
 * across keys: a target is exactly one kind, a group has two distinct
 * members that are all targets (checked at the end: a group may name a
 * target defined after it).
 *
 * Errors are "FILE:LINE:COLUMN: message" with 1-based positions from
 * libyaml's marks; only the first error is kept. A PostgreSQL connection
 * string is never quoted in an error: it may hold a password. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cfg_keys.h"
#include "cfg_value.h"
#include "cfg_yaml.h"
#include "conninfo.h"
#include "dburl.h"
#include "util.h"

/* ---- parse state and errors ------------------------------------------- */

struct cfg_parse {
	const char	*file;		/* for messages */
	char		*basedir;	/* relative paths are resolved against it */
	yaml_document_t	*doc;
	struct config	*cfg;
	char		*err;		/* the first error, complete */
	const char	*label;		/* "target \"prod\"", for messages; NULL at top */
	const char	*where;		/* " in target \"prod\"" or "" */
	yaml_node_t	**group_members;	/* per group: its members node */
};

static int
perr_at(struct cfg_parse *p, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
perr_at(struct cfg_parse *p, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->err = xasprintf("%s:%zu:%zu: %s", p->file, line + 1, col + 1, msg);
	free(msg);
	return -1;
}

/* libyaml marks are 0-based; perr_at adds one. */
#define perr(p, node, ...) \
	perr_at((p), (node)->start_mark.line, (node)->start_mark.column, __VA_ARGS__)

static const char *
node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a string";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* "key:" alone, "key: ~", "key: null": YAML's null, only when not quoted. */
static bool
is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp(scalar(n), nulls[i]) == 0)
			return true;
	return false;
}

static yaml_node_t *
node(struct cfg_parse *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

/* ---- paths ---------------------------------------------------------------- */

/* The directory of a configuration file, absolute when it exists. */
static char *
config_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir, *abs;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == file)
		dir = xstrdup("/");
	else
		dir = xstrndup(file, (size_t)(slash - file));
	if ((abs = realpath(dir, NULL)) != NULL) {
		free(dir);
		return abs;
	}
	return dir;
}

/* ---- scalars and lists of strings ----------------------------------------- */

static const char *const scalar_expect[] = {
	[TY_DURATION] = "a duration like 30s",
	[TY_STRING] = "a string",
	[TY_PATH] = "a path",
	[TY_BOOL] = "true or false",
	[TY_INT] = "an integer",
};

/* The one setter of every scalar type: shape and null checks, then the
 * type's conversion; the complaint is placed at the value. */
static int
set_scalar(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char *why;

	if (is_null(n)) {
		if (!(k->flags & KF_NULLABLE))
			return perr(p, n, "%s%s: needs a value (%s)", k->name, p->where,
			    scalar_expect[k->type]);
		cfg_value_release(k, base);
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE)
		return perr(p, n, "%s%s: expected %s, got %s", k->name, p->where,
		    scalar_expect[k->type], node_kind(n));
	if ((why = cfg_value_from_text(k, p->basedir, scalar(n), base)) != NULL) {
		perr(p, n, "%s%s: %s", k->name, p->where, why);
		free(why);
		return -1;
	}
	return 0;
}

/* A sequence of non-empty strings; returns a NULL-terminated array. */
static int
string_items(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *seq, char ***out,
    int *count)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	char **v;
	int n = 0;

	v = xcalloc((size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) + 1,
	    sizeof *v);
	*out = v;
	*count = 0;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		item = node(p, *it);
		if (item->type != YAML_SCALAR_NODE)
			return perr(p, item, "%s%s: each element must be a string, got %s",
			    k->name, p->where, node_kind(item));
		if (*scalar(item) == '\0')
			return perr(p, item, "%s%s: elements must not be empty", k->name,
			    p->where);
		v[n++] = xstrdup(scalar(item));
		*count = n;
	}
	return 0;
}

static int
set_strlist(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char ***field = (char ***)((char *)base + k->off);
	int *count = (int *)((char *)base + k->off_count);

	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s%s: expected a list of strings like [a, b], got %s",
		    k->name, p->where, is_null(n) ? "nothing" : node_kind(n));
	cfg_value_release(k, base);
	return string_items(p, k, n, field, count);
}

static int
set_argv(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char ***field = (char ***)((char *)base + k->off);
	int count;

	if (is_null(n)) {
		cfg_value_release(k, base);
		return 0;
	}
	if (n->type == YAML_SCALAR_NODE)
		return perr(p, n, "%s%s: must be a list of program and arguments like "
		    "[/usr/local/bin/alert, --to, ops], not a string: it is never run "
		    "through a shell", k->name, p->where);
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s%s: expected a list of program and arguments, got %s",
		    k->name, p->where, node_kind(n));
	if (n->data.sequence.items.top == n->data.sequence.items.start)
		return perr(p, n, "%s%s: the list is empty: it needs at least the program",
		    k->name, p->where);
	cfg_value_release(k, base);
	return string_items(p, k, n, field, &count);
}

static int	 set_targets(struct cfg_parse *, const struct cfg_key *, yaml_node_t *, void *);
static int	 set_groups(struct cfg_parse *, const struct cfg_key *, yaml_node_t *, void *);

/* ---- the setter of each type -------------------------------------------- */

typedef int (*setter_fn)(struct cfg_parse *, const struct cfg_key *, yaml_node_t *, void *base);

static const setter_fn setter[] = {
	[TY_DURATION] = set_scalar,
	[TY_STRING] = set_scalar,
	[TY_PATH] = set_scalar,
	[TY_BOOL] = set_scalar,
	[TY_INT] = set_scalar,
	[TY_STRLIST] = set_strlist,
	[TY_ARGV] = set_argv,
	[TY_TARGETS] = set_targets,
	[TY_GROUPS] = set_groups,
};

/* ---- mappings ------------------------------------------------------------ */

static int
unknown_key(struct cfg_parse *p, enum cfg_scope scope, yaml_node_t *kn)
{
	const char *hint = cfg_key_suggest(scope, scalar(kn));
	char *q = cfg_quoted(scalar(kn));

	if (hint != NULL)
		perr(p, kn, "unknown key %s%s (did you mean \"%s\"?)", q, p->where, hint);
	else
		perr(p, kn, "unknown key %s%s", q, p->where);
	free(q);
	return -1;
}

/* Walk one mapping: every key must be in the table for this scope, once;
 * its value goes to its type's setter. seen_key/seen_val (cfg_nkeys each) say
 * which keys were present, for the checks the caller does afterwards. */
static int
parse_mapping(struct cfg_parse *p, enum cfg_scope scope, yaml_node_t *map, void *base,
    yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	yaml_node_pair_t *pair;
	yaml_node_t *kn, *vn;
	const struct cfg_key *k;
	size_t idx, i;
	char *q;

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		kn = node(p, pair->key);
		vn = node(p, pair->value);
		if (kn->type != YAML_SCALAR_NODE)
			return perr(p, kn, "keys must be plain words%s, got %s", p->where,
			    node_kind(kn));
		if ((k = cfg_key_find(scope, scalar(kn))) == NULL)
			return unknown_key(p, scope, kn);
		idx = cfg_key_index(k);
		if (seen_key[idx] != NULL) {
			q = cfg_quoted(k->name);
			perr(p, kn, "duplicate key %s%s (first at line %zu)", q, p->where,
			    seen_key[idx]->start_mark.line + 1);
			free(q);
			return -1;
		}
		seen_key[idx] = kn;
		seen_val[idx] = vn;
		if (setter[k->type](p, k, vn, base) < 0)
			return -1;
	}
	for (i = 0; i < cfg_nkeys; i++) {
		if (cfg_keys[i].scope == scope && (cfg_keys[i].flags & KF_REQUIRED) &&
		    seen_key[i] == NULL)
			return perr(p, map, "%s has no \"%s\"", p->label, cfg_keys[i].name);
	}
	return 0;
}

/* The name of a target or group before its other keys are read, so that
 * every message about it can say which one it is. */
static const char *
peek_name(struct cfg_parse *p, yaml_node_t *map)
{
	yaml_node_pair_t *pair;
	yaml_node_t *kn, *vn;

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		kn = node(p, pair->key);
		vn = node(p, pair->value);
		if (kn->type == YAML_SCALAR_NODE && strcmp(scalar(kn), "name") == 0 &&
		    vn->type == YAML_SCALAR_NODE && *scalar(vn) != '\0')
			return scalar(vn);
	}
	return NULL;
}

/* Parse one entry of targets or groups with labels set for its messages. */
static int
parse_entry(struct cfg_parse *p, enum cfg_scope scope, const char *what, yaml_node_t *map,
    int index, void *base, yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	const char *name, *saved_label = p->label, *saved_where = p->where;
	char *label, *where, *q;
	int rc;

	if (map->type != YAML_MAPPING_NODE)
		return perr(p, map, "each entry of %ss must be a mapping with a name, got %s",
		    what, is_null(map) ? "nothing" : node_kind(map));
	if ((name = peek_name(p, map)) != NULL) {
		q = cfg_quoted(name);
		label = xasprintf("%s %s", what, q);
		free(q);
	} else
		label = xasprintf("%s #%d", what, index);
	where = xasprintf(" in %s", label);
	p->label = label;
	p->where = where;
	cfg_value_defaults(scope, base);
	rc = parse_mapping(p, scope, map, base, seen_key, seen_val);
	p->label = saved_label;
	p->where = saved_where;
	free(label);
	free(where);
	return rc;
}

/* ---- lists of mappings: targets and groups ------------------------------- */

/* What tells a list of targets from a list of groups; the walk is the same:
 * each entry a mapping read with its own label for messages, then its own
 * rules, then its name unique in the list. */
struct entry_list {
	const char	*what;		/* "target", for messages */
	enum cfg_scope	 scope;
	size_t		 size;		/* of one entry */
	size_t		 off_name;	/* char *: the entry's name */
	size_t		 off_line;	/* int: where it was defined, set by check */
	/* The entry's rules across its keys, once they are read; index is its
	 * 0-based place in the list. Sets the entry's line. */
	int		(*check)(struct cfg_parse *, void *entry, int index, yaml_node_t *map,
			    yaml_node_t **seen_key, yaml_node_t **seen_val);
};

static size_t
seq_len(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

/* A key's slot in the seen arrays. */
static size_t
key_at(enum cfg_scope scope, const char *name)
{
	return cfg_key_index(cfg_key_find(scope, name));
}

static int
set_entries(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base,
    const struct entry_list *el)
{
	yaml_node_t *seen_key[CFG_KEYS_MAX], *seen_val[CFG_KEYS_MAX], *map;
	int *count = (int *)((char *)base + k->off_count);
	yaml_node_item_t *it;
	char *entries, *entry, *other, *q;
	const char *name;
	void *array;
	int i;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s: expected a list of %ss (\"- name: ...\"), got %s",
		    k->name, el->what, node_kind(n));
	entries = xcalloc(seq_len(n), el->size);
	/* The field is a struct cfg_target * or cfg_group *: stored through
	 * memcpy so that no pointer is written under another pointer type. */
	array = entries;
	memcpy((char *)base + k->off, &array, sizeof array);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		map = node(p, *it);
		entry = entries + (size_t)*count * el->size;
		(*count)++;	/* counted now: freed with the rest on error */
		memset(seen_key, 0, sizeof seen_key);
		memset(seen_val, 0, sizeof seen_val);
		if (parse_entry(p, el->scope, el->what, map, *count, entry, seen_key,
		    seen_val) < 0 ||
		    el->check(p, entry, *count - 1, map, seen_key, seen_val) < 0)
			return -1;
		name = *(char **)(entry + el->off_name);
		for (i = 0; i < *count - 1; i++) {
			other = entries + (size_t)i * el->size;
			if (strcmp(*(char **)(other + el->off_name), name) != 0)
				continue;
			q = cfg_quoted(name);
			perr(p, seen_val[key_at(el->scope, "name")],
			    "duplicate %s name %s (first defined at line %d)", el->what, q,
			    *(int *)(other + el->off_line));
			free(q);
			return -1;
		}
	}
	return 0;
}

/* ---- targets ---------------------------------------------------------------- */

/* url: the kind and the connection string or path come from the URL
 * (dburl.h); a path goes through the sqlite key's setter, so it is resolved
 * like one written as sqlite:. */
static int
target_from_url(struct cfg_parse *p, struct cfg_target *t, yaml_node_t *val, bool *is_pg)
{
	struct dburl u;
	char *msg, *q;
	int rc = 0;

	if (dburl_parse(t->url, &u, &msg) != 0) {
		q = cfg_quoted(t->name);
		rc = perr(p, val, "url in target %s: %s", q, msg);
		free(q);
		free(msg);
		return rc;
	}
	*is_pg = u.kind == DBURL_POSTGRESQL;
	if (*is_pg) {
		t->conninfo = u.conninfo;
		u.conninfo = NULL;
	} else if ((msg = cfg_value_from_text(&cfg_keys[key_at(SC_TARGET, "sqlite")],
	    p->basedir, u.path, t)) != NULL) {
		rc = perr(p, val, "url: %s", msg);
		free(msg);
	}
	dburl_fini(&u);
	return rc;
}

/* schemas: (one row per matching schema) only on PostgreSQL, instead of
 * schema:, and never an empty list or pattern. q: the quoted target name. */
static int
check_target_schemas(struct cfg_parse *p, const struct cfg_target *t, const char *q,
    bool is_pg, yaml_node_t *schema, yaml_node_t *key, yaml_node_t *val)
{
	if (key == NULL)
		return 0;
	if (!is_pg)
		return perr(p, key, "\"schemas\" in target %s: only postgresql targets have "
		    "schemas", q);
	if (schema != NULL)
		return perr(p, schema->start_mark.index > key->start_mark.index ? schema : key,
		    "target %s has both \"schema\" and \"schemas\"; use one (schemas: "
		    "patterns, one row per matching schema)", q);
	if (t->nschemas == 0)
		return perr(p, val, "schemas in target %s: the list is empty; name at least one "
		    "schema or pattern such as tenant_*", q);
	return 0;
}

/* A target's own rules beyond single keys: exactly one kind (postgresql,
 * sqlite or url), schema or schemas only on PostgreSQL. */
static int
check_target(struct cfg_parse *p, struct cfg_target *t, yaml_node_t *map,
    yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	yaml_node_t *pg = seen_key[key_at(SC_TARGET, "postgresql")];
	yaml_node_t *lite = seen_key[key_at(SC_TARGET, "sqlite")];
	yaml_node_t *url = seen_key[key_at(SC_TARGET, "url")];
	yaml_node_t *schema = seen_key[key_at(SC_TARGET, "schema")];
	yaml_node_t *expect = seen_val[key_at(SC_TARGET, "expect")];
	yaml_node_t *second;
	char *q = cfg_quoted(t->name);
	bool is_pg = pg != NULL;
	int rc = 0;

	if ((pg != NULL) + (lite != NULL) + (url != NULL) > 1) {
		/* Point at whichever came last: that is the one to remove. */
		second = pg;
		if (second == NULL || (lite != NULL && lite->start_mark.index > second->start_mark.index))
			second = lite;
		if (url != NULL && url->start_mark.index > second->start_mark.index)
			second = url;
		rc = perr(p, second, "target %s has more than one of \"postgresql\", "
		    "\"sqlite\" and \"url\"; use exactly one", q);
	} else if (pg == NULL && lite == NULL && url == NULL) {
		rc = perr(p, map, "target %s needs \"postgresql\" (a connection string), "
		    "\"sqlite\" (a file) or \"url\" (either, as a URL)", q);
	} else if (url != NULL && (rc = target_from_url(p, t,
	    seen_val[key_at(SC_TARGET, "url")], &is_pg)) < 0) {
		;
	} else if (!is_pg && schema != NULL) {
		rc = perr(p, schema, "\"schema\" in target %s: only postgresql targets have "
		    "a schema", q);
	} else
		rc = check_target_schemas(p, t, q, is_pg, schema,
		    seen_key[key_at(SC_TARGET, "schemas")],
		    seen_val[key_at(SC_TARGET, "schemas")]);
	free(q);
	if (rc < 0)
		return -1;
	t->kind = is_pg ? CFG_PG : CFG_SQLITE;
	if (t->kind == CFG_PG)
		t->conninfo_safe = conninfo_redact(t->conninfo);
	else {
		free(t->schema);	/* the default; meaningless for SQLite */
		t->schema = NULL;
	}
	t->line = (int)map->start_mark.line + 1;
	/* Whether expect names a revision is known only once the definition is
	 * loaded (defset.c): keep where it was for that message. */
	if (expect != NULL) {
		t->expect_line = (int)expect->start_mark.line + 1;
		t->expect_col = (int)expect->start_mark.column + 1;
	}
	return 0;
}

static int
check_target_entry(struct cfg_parse *p, void *entry, int index, yaml_node_t *map,
    yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	return check_target(p, entry, map, seen_key, seen_val);
}

static const struct entry_list target_list = {
	.what = "target",
	.scope = SC_TARGET,
	.size = sizeof(struct cfg_target),
	.off_name = offsetof(struct cfg_target, name),
	.off_line = offsetof(struct cfg_target, line),
	.check = check_target_entry,
};

static int
set_targets(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	return set_entries(p, k, n, base, &target_list);
}

/* ---- groups ----------------------------------------------------------------- */

static int
check_group(struct cfg_parse *p, struct cfg_group *g, yaml_node_t *map, yaml_node_t *members)
{
	yaml_node_item_t *it;
	char *q, *qm;
	int i = 0, j;

	g->line = (int)map->start_mark.line + 1;
	q = cfg_quoted(g->name);
	if (g->nmembers < 2) {
		perr(p, members, "group %s needs at least 2 members, has %d", q, g->nmembers);
		free(q);
		return -1;
	}
	for (it = members->data.sequence.items.start; it < members->data.sequence.items.top;
	    it++, i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(g->members[i], g->members[j]) != 0)
				continue;
			qm = cfg_quoted(g->members[i]);
			perr(p, node(p, *it), "member %s appears twice in group %s", qm, q);
			free(qm);
			free(q);
			return -1;
		}
	}
	free(q);
	return 0;
}

static int
check_group_entry(struct cfg_parse *p, void *entry, int index, yaml_node_t *map,
    yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	yaml_node_t *members = seen_val[key_at(SC_GROUP, "members")];

	p->group_members[index] = members;	/* for check_group_members() */
	return check_group(p, entry, map, members);
}

static const struct entry_list group_list = {
	.what = "group",
	.scope = SC_GROUP,
	.size = sizeof(struct cfg_group),
	.off_name = offsetof(struct cfg_group, name),
	.off_line = offsetof(struct cfg_group, line),
	.check = check_group_entry,
};

static int
set_groups(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	/* Members are checked against the targets once all are read: keep
	 * each group's members node for the message. */
	if (n->type == YAML_SEQUENCE_NODE)
		p->group_members = xcalloc(seq_len(n), sizeof *p->group_members);
	return set_entries(p, k, n, base, &group_list);
}

static const struct cfg_target *
target_named(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ntargets; i++)
		if (strcmp(cfg->targets[i].name, name) == 0)
			return &cfg->targets[i];
	return NULL;
}

/* Members may name targets defined after the group: checked once all is read. */
static int
check_group_members(struct cfg_parse *p)
{
	struct config *cfg = p->cfg;
	const struct cfg_target *t;
	yaml_node_item_t *it;
	struct cfg_group *g;
	char *qm, *qg;
	int i, j;

	for (i = 0; i < cfg->ngroups; i++) {
		g = &cfg->groups[i];
		it = p->group_members[i]->data.sequence.items.start;
		for (j = 0; j < g->nmembers; j++, it++) {
			if ((t = target_named(cfg, g->members[j])) != NULL && t->nschemas == 0)
				continue;
			qm = cfg_quoted(g->members[j]);
			qg = cfg_quoted(g->name);
			/* A schemas: target is many rows, not one schema to compare. */
			if (t != NULL)
				perr(p, node(p, *it), "target %s in members of group %s has "
				    "\"schemas\" (one row per schema): a group compares targets "
				    "of one schema", qm, qg);
			else
				perr(p, node(p, *it), "unknown target %s in members of group %s",
				    qm, qg);
			free(qm);
			free(qg);
			return -1;
		}
	}
	return 0;
}

/* ---- the document -------------------------------------------------------- */

/* libyaml reports reader errors (bad UTF-8, control characters) by byte
 * offset only; turn it into a line and column like the others. */
static void
offset_to_mark(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = *col = 0;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 0;
		} else
			(*col)++;
	}
}

static int
yaml_error(struct cfg_parse *p, yaml_parser_t *yp, const char *text, size_t len)
{
	size_t line, col;
	const char *problem = yp->problem != NULL ? yp->problem : "cannot parse";

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		return perr_at(p, 0, 0, "out of memory while parsing YAML");
	case YAML_READER_ERROR:
		offset_to_mark(text, len, yp->problem_offset, &line, &col);
		return perr_at(p, line, col, "invalid input: %s", problem);
	default:
		if (yp->context != NULL)
			return perr_at(p, yp->problem_mark.line, yp->problem_mark.column,
			    "YAML syntax error: %s (%s at line %zu, column %zu)", problem,
			    yp->context, yp->context_mark.line + 1,
			    yp->context_mark.column + 1);
		return perr_at(p, yp->problem_mark.line, yp->problem_mark.column,
		    "YAML syntax error: %s", problem);
	}
}

static int
parse_document(struct cfg_parse *p)
{
	yaml_node_t *seen_key[CFG_KEYS_MAX], *seen_val[CFG_KEYS_MAX];
	yaml_node_t *root = yaml_document_get_root_node(p->doc);

	memset(seen_key, 0, sizeof seen_key);
	memset(seen_val, 0, sizeof seen_val);
	cfg_value_defaults(SC_TOP, p->cfg);
	if (root == NULL || is_null(root))
		return 0;	/* an empty file: all defaults, nothing to watch */
	if (root->type != YAML_MAPPING_NODE)
		return perr(p, root, "the configuration must be a mapping of keys "
		    "(like \"interval: 60s\"), got %s", node_kind(root));
	if (parse_mapping(p, SC_TOP, root, p->cfg, seen_key, seen_val) < 0)
		return -1;
	return check_group_members(p);
}

int
cfg_yaml_bind(struct config *cfg, const char *name, const char *text, size_t len, char **err)
{
	struct cfg_parse p;
	yaml_parser_t yp;
	yaml_document_t doc, extra;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.file = name;
	p.where = "";
	p.label = "the configuration";
	p.basedir = config_dir(name);
	p.cfg = cfg;

	yaml_parser_initialize(&yp);
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	if (!yaml_parser_load(&yp, &doc)) {
		yaml_error(&p, &yp, text, len);
	} else {
		p.doc = &doc;
		rc = parse_document(&p);
		/* A second document would be silently ignored: refuse it. */
		if (rc == 0) {
			if (!yaml_parser_load(&yp, &extra))
				rc = yaml_error(&p, &yp, text, len);
			else {
				if (yaml_document_get_root_node(&extra) != NULL)
					rc = perr_at(&p, extra.start_mark.line,
					    extra.start_mark.column,
					    "only one YAML document is allowed");
				yaml_document_delete(&extra);
			}
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&yp);
	free(p.basedir);
	free(p.group_members);
	if (rc < 0 || p.err != NULL) {
		if (err != NULL)
			*err = p.err != NULL ? p.err : xasprintf("%s: invalid configuration", name);
		else
			free(p.err);
		return -1;
	}
	if (err != NULL)
		*err = NULL;
	return 0;
}

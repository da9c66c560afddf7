/* definition.c — load a definition directory (definition.h).
 *
 * definition.yaml is read with libyaml's document API, like the main
 * configuration, so every error names FILE:LINE:COLUMN of the node at fault;
 * only the first error is reported. The key tables below are the grammar:
 * a key not in them is an error (a typo must not silently mean "absent"). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "catjson.h"
#include "definition.h"
#include "normalize.h"
#include "util.h"

struct dparse {
	char		*file;		/* DIR/definition.yaml, for messages */
	struct definition *def;
	yaml_document_t	*doc;
	char		*err;
};

static int
derr_at(struct dparse *p, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* libyaml marks are 0-based. */
static int
derr_at(struct dparse *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->err = xasprintf("%s:%zu:%zu: %s", p->file, n != NULL ? n->start_mark.line + 1 : 1,
	    n != NULL ? n->start_mark.column + 1 : 1, msg);
	free(msg);
	return -1;
}

static yaml_node_t *
dnode(struct dparse *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

static const char *
scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A non-empty scalar, or an error naming the key. */
static int
need_scalar(struct dparse *p, const char *key, const yaml_node_t *v, const char **out)
{
	*out = scalar(v);
	if (*out == NULL || (*out)[0] == '\0')
		return derr_at(p, v, "%s: expected a non-empty string", key);
	return 0;
}

/* ---- the grammar: one handler per key ------------------------------------- */

typedef int (*key_fn)(struct dparse *, void *obj, yaml_node_t *val);

struct dkey {
	const char	*name;
	key_fn		 fn;
	bool		 required;
};

/* Call the handler of every key of a mapping; unknown, repeated and missing
 * required keys are errors. */
static int
walk_map(struct dparse *p, const char *what, yaml_node_t *map, const struct dkey *keys,
    size_t nkeys, void *obj)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	bool seen[16] = { false };
	size_t i;

	if (map->type != YAML_MAPPING_NODE)
		return derr_at(p, map, "%s: expected a mapping", what);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		k = dnode(p, pair->key);
		v = dnode(p, pair->value);
		for (i = 0; i < nkeys; i++)
			if (scalar(k) != NULL && strcmp(scalar(k), keys[i].name) == 0)
				break;
		if (i == nkeys)
			return derr_at(p, k, "unknown key \"%s\" in %s", scalar(k) ? scalar(k) : "?",
			    what);
		if (seen[i])
			return derr_at(p, k, "key \"%s\" given twice in %s", keys[i].name, what);
		seen[i] = true;
		if (keys[i].fn(p, obj, v) < 0)
			return -1;
	}
	for (i = 0; i < nkeys; i++)
		if (keys[i].required && !seen[i])
			return derr_at(p, map, "%s: missing key \"%s\"", what, keys[i].name);
	return 0;
}

/* A path relative to the definition directory that must be a regular file. */
static int
file_in_dir(struct dparse *p, const char *key, yaml_node_t *v, char **out)
{
	struct stat st;
	const char *rel;
	char *abs;

	if (need_scalar(p, key, v, &rel) < 0)
		return -1;
	abs = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", p->def->dir, rel);
	if (stat(abs, &st) < 0 || !S_ISREG(st.st_mode)) {
		derr_at(p, v, "%s: %s: %s", key, abs,
		    stat(abs, &st) < 0 ? strerror(errno) : "not a regular file");
		free(abs);
		return -1;
	}
	*out = abs;
	return 0;
}

static int
step_upgrade(struct dparse *p, void *obj, yaml_node_t *v)
{
	return file_in_dir(p, "upgrade", v, &((struct def_step *)obj)->upgrade);
}

static int
step_downgrade(struct dparse *p, void *obj, yaml_node_t *v)
{
	return file_in_dir(p, "downgrade", v, &((struct def_step *)obj)->downgrade);
}

static const struct dkey step_keys[] = {
	{ "upgrade",	step_upgrade,	true },
	{ "downgrade",	step_downgrade,	false },
};

/* A revision id names a file (compiled/ID.DIALECT.json) and fits Alembic's
 * version_num: letters, digits, '_', '-', '.', not starting with '.'. */
static bool
valid_id(const char *s)
{
	const char *c;

	if (s[0] == '.' || s[0] == '\0')
		return false;
	for (c = s; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
			return false;
	return true;
}

static int
rev_id_check(struct dparse *p, const char *key, yaml_node_t *v, const char *s)
{
	if (!valid_id(s))
		return derr_at(p, v, "%s: \"%s\" is not a revision id (letters, digits, "
		    "'_', '-', '.')", key, s);
	if (strlen(s) > DEF_REVISION_MAX)
		return derr_at(p, v, "%s: \"%s\" is longer than %d characters "
		    "(the version table's column)", key, s, DEF_REVISION_MAX);
	return 0;
}

static int
rev_id(struct dparse *p, void *obj, yaml_node_t *v)
{
	struct def_revision *r = obj;
	const char *s;

	if (need_scalar(p, "id", v, &s) < 0 || rev_id_check(p, "id", v, s) < 0)
		return -1;
	if (def_find(p->def, s) >= 0)
		return derr_at(p, v, "id: revision \"%s\" is defined twice", s);
	r->id = xstrdup(s);
	return 0;
}

static int
rev_previous(struct dparse *p, void *obj, yaml_node_t *v)
{
	struct def_revision *r = obj;
	const char *s;

	/* Only the first step can come from outside the chain; later ones
	 * always follow the revision before them. */
	if (p->def->nrevs > 1)
		return derr_at(p, v, "previous: only the first revision may name one "
		    "(the others follow the revision before them)");
	if (need_scalar(p, "previous", v, &s) < 0 || rev_id_check(p, "previous", v, s) < 0)
		return -1;
	r->previous = xstrdup(s);
	return 0;
}

static int
rev_step(struct dparse *p, struct def_revision *r, enum cat_dialect d, yaml_node_t *v)
{
	char what[64];

	snprintf(what, sizeof what, "%s of a revision", cat_dialect_name(d));
	if (walk_map(p, what, v, step_keys, sizeof step_keys / sizeof step_keys[0],
	    &r->step[d]) < 0)
		return -1;
	r->step[d].compiled = NULL;
	return 0;
}

static int
rev_pg(struct dparse *p, void *obj, yaml_node_t *v)
{
	return rev_step(p, obj, CAT_PG, v);
}

static int
rev_sqlite(struct dparse *p, void *obj, yaml_node_t *v)
{
	return rev_step(p, obj, CAT_SQLITE, v);
}

static const struct dkey rev_keys[] = {
	{ "id",		rev_id,		true },
	{ "previous",	rev_previous,	false },
	{ "postgresql",	rev_pg,		false },
	{ "sqlite",	rev_sqlite,	false },
};

/* The dialects of a revision must be those of the first one. */
static int
rev_dialects(struct dparse *p, const struct def_revision *r, yaml_node_t *map)
{
	struct definition *def = p->def;
	int d;

	for (d = CAT_PG; d <= CAT_SQLITE; d++) {
		bool has = r->step[d].upgrade != NULL;

		if (def->nrevs == 1)
			def->has[d] = has;
		else if (has != def->has[d])
			return derr_at(p, map, "revision \"%s\" %s %s, the first revision %s: "
			    "every revision covers the same dialects", r->id,
			    has ? "has" : "lacks", cat_dialect_name(d), has ? "lacks it" : "has it");
	}
	if (!def->has[CAT_PG] && !def->has[CAT_SQLITE])
		return derr_at(p, map, "revision \"%s\" has neither postgresql nor sqlite", r->id);
	return 0;
}

static int
top_revisions(struct dparse *p, void *obj, yaml_node_t *v)
{
	struct definition *def = obj;
	struct def_revision *r;
	yaml_node_item_t *it;
	yaml_node_t *map;

	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
		return derr_at(p, v, "revisions: expected a non-empty list");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		map = dnode(p, *it);
		def->revs = xreallocarray(def->revs, (size_t)def->nrevs + 1, sizeof *def->revs);
		r = &def->revs[def->nrevs++];
		memset(r, 0, sizeof *r);
		r->line = (int)map->start_mark.line + 1;
		if (walk_map(p, "a revision", map, rev_keys, sizeof rev_keys / sizeof rev_keys[0],
		    r) < 0 || rev_dialects(p, r, map) < 0)
			return -1;
		if (def->nrevs > 1)
			r->previous = xstrdup(def->revs[def->nrevs - 2].id);
	}
	return 0;
}

static int
top_name(struct dparse *p, void *obj, yaml_node_t *v)
{
	const char *s;

	if (need_scalar(p, "name", v, &s) < 0)
		return -1;
	((struct definition *)obj)->name = xstrdup(s);
	return 0;
}

static int
top_version_table(struct dparse *p, void *obj, yaml_node_t *v)
{
	struct definition *def = obj;
	const char *s;

	if (need_scalar(p, "version_table", v, &s) < 0)
		return -1;
	free(def->version_table);
	def->version_table = strcmp(s, "none") == 0 ? NULL : xstrdup(s);
	return 0;
}

static int
parity_map(struct dparse *p, const char *what, yaml_node_t *v, struct def_map *m,
    char *(*canon)(enum cat_dialect, const char *))
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *val;

	if (v->type != YAML_MAPPING_NODE)
		return derr_at(p, v, "%s: expected a mapping of PostgreSQL to SQLite texts", what);
	for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
		k = dnode(p, pair->key);
		val = dnode(p, pair->value);
		if (scalar(k) == NULL || scalar(val) == NULL)
			return derr_at(p, k, "%s: expected text: text", what);
		m->from = xreallocarray(m->from, (size_t)m->n + 1, sizeof *m->from);
		m->to = xreallocarray(m->to, (size_t)m->n + 1, sizeof *m->to);
		m->from_canon = xreallocarray(m->from_canon, (size_t)m->n + 1,
		    sizeof *m->from_canon);
		m->to_canon = xreallocarray(m->to_canon, (size_t)m->n + 1, sizeof *m->to_canon);
		m->from[m->n] = xstrdup(scalar(k));
		m->to[m->n] = xstrdup(scalar(val));
		m->from_canon[m->n] = canon(CAT_PG, scalar(k));
		m->to_canon[m->n++] = canon(CAT_SQLITE, scalar(val));
	}
	return 0;
}

static int
parity_types(struct dparse *p, void *obj, yaml_node_t *v)
{
	return parity_map(p, "parity.types", v, &((struct definition *)obj)->parity_types,
	    norm_type);
}

static int
parity_defaults(struct dparse *p, void *obj, yaml_node_t *v)
{
	return parity_map(p, "parity.defaults", v,
	    &((struct definition *)obj)->parity_defaults, norm_default);
}

static const struct dkey parity_keys[] = {
	{ "types",	parity_types,		false },
	{ "defaults",	parity_defaults,	false },
};

static int
top_parity(struct dparse *p, void *obj, yaml_node_t *v)
{
	((struct definition *)obj)->has_parity = true;
	return walk_map(p, "parity", v, parity_keys, sizeof parity_keys / sizeof parity_keys[0],
	    obj);
}

static const struct dkey top_keys[] = {
	{ "name",		top_name,		true },
	{ "version_table",	top_version_table,	false },
	{ "revisions",		top_revisions,		true },
	{ "parity",		top_parity,		false },
};

/* ---- loading -------------------------------------------------------------- */

static int
parse_text(struct dparse *p, const char *text, size_t len)
{
	yaml_parser_t yp;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc = -1;

	yaml_parser_initialize(&yp);
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	if (!yaml_parser_load(&yp, &doc)) {
		p->err = xasprintf("%s:%zu:%zu: %s", p->file, yp.problem_mark.line + 1,
		    yp.problem_mark.column + 1, yp.problem != NULL ? yp.problem : "invalid YAML");
		yaml_parser_delete(&yp);
		return -1;
	}
	p->doc = &doc;
	if ((root = yaml_document_get_root_node(&doc)) == NULL)
		p->err = xasprintf("%s:1:1: empty definition", p->file);
	else
		rc = walk_map(p, "the definition", root, top_keys,
		    sizeof top_keys / sizeof top_keys[0], p->def);
	yaml_document_delete(&doc);
	yaml_parser_delete(&yp);
	return rc;
}

static char *
absolute_dir(const char *dir)
{
	char *r = realpath(dir, NULL), *s;

	if (r == NULL)
		return NULL;
	s = xstrdup(r);
	free(r);
	return s;
}

struct definition *
def_load(const char *dir, char **err)
{
	struct dparse p;
	struct definition *def;
	size_t len;
	char *text;

	*err = NULL;
	memset(&p, 0, sizeof p);
	def = xcalloc(1, sizeof *def);
	def->version_table = xstrdup(DEF_VERSION_TABLE);
	if ((def->dir = absolute_dir(dir)) == NULL) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		def_free(def);
		return NULL;
	}
	p.def = def;
	p.file = xasprintf("%s/%s", def->dir, DEF_FILE);
	if ((text = read_file(p.file, &len)) == NULL) {
		*err = xasprintf("%s: %s", p.file, strerror(errno));
	} else if (parse_text(&p, text, len) < 0) {
		*err = p.err != NULL ? p.err : xasprintf("%s: invalid definition", p.file);
	}
	free(text);
	free(p.file);
	if (*err != NULL) {
		def_free(def);
		return NULL;
	}
	return def;
}

static void
map_free(struct def_map *m)
{
	int i;

	for (i = 0; i < m->n; i++) {
		free(m->from[i]);
		free(m->to[i]);
		free(m->from_canon[i]);
		free(m->to_canon[i]);
	}
	free(m->from);
	free(m->to);
	free(m->from_canon);
	free(m->to_canon);
}

void
def_free(struct definition *def)
{
	int i, d;

	if (def == NULL)
		return;
	for (i = 0; i < def->nrevs; i++) {
		free(def->revs[i].id);
		free(def->revs[i].previous);
		for (d = CAT_PG; d <= CAT_SQLITE; d++) {
			free(def->revs[i].step[d].upgrade);
			free(def->revs[i].step[d].downgrade);
			cat_free(def->revs[i].step[d].compiled);
		}
	}
	free(def->revs);
	map_free(&def->parity_types);
	map_free(&def->parity_defaults);
	cat_strv_free(&def->tables);
	cat_strv_free(&def->objects);
	free(def->dir);
	free(def->name);
	free(def->version_table);
	free(def);
}

int
def_find(const struct definition *def, const char *id)
{
	int i;

	for (i = 0; i < def->nrevs; i++)
		if (def->revs[i].id != NULL && strcmp(def->revs[i].id, id) == 0)
			return i;
	return -1;
}

const char *
def_map_get(const struct def_map *m, const char *from)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->from[i], from) == 0)
			return m->to[i];
	return NULL;
}

char *
def_compiled_path(const struct definition *def, int rev, enum cat_dialect d)
{
	return xasprintf("%s/%s/%s.%s.json", def->dir, DEF_COMPILED_DIR, def->revs[rev].id,
	    cat_dialect_name(d));
}

/* FNV-1a, 64 bits: a change detector, not a security measure. */
static uint64_t
fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
def_sql_digest(const struct definition *def, int rev, enum cat_dialect d, char **err)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *path;
	size_t len;
	char *text;
	int i;

	for (i = 0; i <= rev; i++) {
		path = def->revs[i].step[d].upgrade;
		if ((text = read_file(path, &len)) == NULL) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			return NULL;
		}
		/* The length first, so that moving text between files counts. */
		h = fnv1a(h, &len, sizeof len);
		h = fnv1a(h, text, len);
		free(text);
	}
	return xasprintf("fnv1a64:%016llx", (unsigned long long)h);
}

/* Every table of a compiled catalog into def->tables, keeping the order of
 * the newest revision first (its dependency order), then older ones. */
static void
collect_tables(struct definition *def, const struct catalog *c)
{
	int i, j;

	for (i = 0; i < c->ntables; i++) {
		for (j = 0; j < def->tables.n; j++)
			if (strcmp(def->tables.v[j], c->tables[i].name) == 0)
				break;
		if (j == def->tables.n)
			cat_strv_add(&def->tables, c->tables[i].name);
	}
}

static void
strv_add_once(struct cat_strv *sv, const char *s, size_t len)
{
	char *name;
	int j;

	for (j = 0; j < sv->n; j++)
		if (strlen(sv->v[j]) == len && strncmp(sv->v[j], s, len) == 0)
			return;
	name = xstrndup(s, len);
	cat_strv_add(sv, name);
	free(name);
}

/* The schema-level objects' names: what pgobj.h's @NAMES@ filters on (a
 * function "f(integer)" is looked up as f, its overloads with it). */
static void
collect_objects(struct definition *def, const struct catalog *c)
{
	const char *name;
	int i;

	for (i = 0; i < c->nobjects; i++) {
		if (c->objects[i].table != NULL)
			continue;	/* read with its table */
		name = c->objects[i].name;
		strv_add_once(&def->objects, name, strcspn(name, "("));
	}
}

static int
load_one_compiled(struct definition *def, int rev, enum cat_dialect d, char **err)
{
	struct catjson_meta meta;
	char *path = def_compiled_path(def, rev, d), *digest, *text, *jerr = NULL;
	struct catalog *c = NULL;
	size_t len;

	if ((digest = def_sql_digest(def, rev, d, err)) == NULL) {
		free(path);
		return -1;
	}
	if ((text = read_file(path, &len)) == NULL)
		*err = xasprintf("%s: %s: run schemawatchd --compile-definition %s", path,
		    strerror(errno), def->dir);
	else if ((c = catjson_load(text, &meta, &jerr)) == NULL)
		*err = xasprintf("%s: %s: run schemawatchd --compile-definition %s", path, jerr,
		    def->dir);
	else if (meta.sql_digest == NULL || strcmp(meta.sql_digest, digest) != 0 ||
	    c->dialect != d)
		*err = xasprintf("%s: compiled from other SQL than the definition holds now "
		    "(older than its SQL): run schemawatchd --compile-definition %s", path, def->dir);
	if (c != NULL)
		catjson_meta_free(&meta);
	free(jerr);
	free(text);
	free(digest);
	free(path);
	if (*err != NULL) {
		cat_free(c);
		return -1;
	}
	def->revs[rev].step[d].compiled = c;
	return 0;
}

/* ---- constraint names for SQLite ------------------------------------------
 *
 * SQLite does not report constraint names, so a compiled SQLite catalog has
 * none, and a difference would be labelled "prompt_results.FOREIGN KEY
 * (version_id) REFERENCES ..." where the PostgreSQL side of the same revision
 * says fk_prompt_results_version. When a revision has both dialects, its
 * SQLite keys, foreign keys and checks take the names of the PostgreSQL ones
 * they correspond to (same columns; for checks, the same columns named in
 * the expression, when that is unambiguous). Only labels change: SQLite
 * catalogs are still compared without names (catalog.h). */

/* Which columns of t an expression names, as a bit mask (first 64). */
static uint64_t
expr_columns(const struct cat_table *t, const char *expr)
{
	uint64_t m = 0;
	const char *p;
	size_t n;
	int i;

	for (i = 0; i < t->ncols && i < 64; i++) {
		n = strlen(t->cols[i].name);
		for (p = strstr(expr, t->cols[i].name); p != NULL; p = strstr(p + 1, t->cols[i].name))
			if ((p == expr || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			    !(isalnum((unsigned char)p[n]) || p[n] == '_')) {
				m |= (uint64_t)1 << i;
				break;
			}
	}
	return m;
}

static void
borrow_name(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

static void
borrow_table_names(const struct cat_table *pg, struct cat_table *lite)
{
	int i, j, hit;
	uint64_t m;

	if (pg->pk != NULL && lite->pk != NULL && cat_strv_eq(&pg->pk->cols, &lite->pk->cols))
		borrow_name(&lite->pk->name, pg->pk->name);
	for (i = 0; i < lite->nuniques; i++)
		for (j = 0; j < pg->nuniques; j++)
			if (cat_strv_eq(&pg->uniques[j].cols, &lite->uniques[i].cols))
				borrow_name(&lite->uniques[i].name, pg->uniques[j].name);
	for (i = 0; i < lite->nfks; i++)
		for (j = 0; j < pg->nfks; j++)
			if (cat_strv_eq(&pg->fks[j].cols, &lite->fks[i].cols) &&
			    strcmp(pg->fks[j].ref_table, lite->fks[i].ref_table) == 0)
				borrow_name(&lite->fks[i].name, pg->fks[j].name);
	for (i = 0; i < lite->nchecks; i++) {
		m = expr_columns(lite, lite->checks[i].expr_raw);
		for (j = 0, hit = -1; j < pg->nchecks; j++)
			if (expr_columns(pg, pg->checks[j].expr_raw) == m)
				hit = hit == -1 ? j : -2;	/* -2: ambiguous */
		if (hit >= 0)
			borrow_name(&lite->checks[i].name, pg->checks[hit].name);
	}
}

/* "(deleted_at IS NULL)" -> "deleted_at IS NULL": PostgreSQL's deparser
 * wraps an index predicate in parentheses nobody wrote, and the expected
 * text is what people read in a difference (the canonical form, which is
 * what is compared, does not change). Only one pair that encloses the whole
 * text ("(a) OR (b)" stays); quoted text is skipped. */
static void
unwrap_parens(char **raw)
{
	const char *s = *raw;
	size_t n, i;
	int depth = 0;
	char q = 0;

	if (s == NULL || (n = strlen(s)) < 2 || s[0] != '(' || s[n - 1] != ')')
		return;
	for (i = 0; i < n; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '\'' || s[i] == '"')
			q = s[i];
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0 && i != n - 1)
			return;
	}
	*raw = xstrndup(s + 1, n - 2);
	free((char *)s);
}

static void
unwrap_predicates(struct catalog *c)
{
	int i, j;

	for (i = 0; c != NULL && i < c->ntables; i++)
		for (j = 0; j < c->tables[i].nindexes; j++)
			unwrap_parens(&c->tables[i].indexes[j].pred_raw);
}

/* Labels of the expected catalogs: names for SQLite, predicates as written. */
static void
borrow_names(struct definition *def)
{
	const struct catalog *pg;
	struct catalog *lite;
	struct cat_table *lt;
	const struct cat_table *pt;
	int i, j;

	for (i = 0; i < def->nrevs; i++) {
		unwrap_predicates(def->revs[i].step[CAT_PG].compiled);
		pg = def->revs[i].step[CAT_PG].compiled;
		lite = def->revs[i].step[CAT_SQLITE].compiled;
		for (j = 0; pg != NULL && lite != NULL && j < lite->ntables; j++) {
			lt = &lite->tables[j];
			if ((pt = cat_find_table(pg, lt->name)) != NULL)
				borrow_table_names(pt, lt);
		}
	}
}

struct definition *
def_load_full(const char *dir, char **err)
{
	struct definition *def = def_load(dir, err);
	int i, d;

	if (def == NULL)
		return NULL;
	for (i = def->nrevs - 1; i >= 0; i--) {
		for (d = CAT_PG; d <= CAT_SQLITE; d++) {
			if (!def->has[d])
				continue;
			if (load_one_compiled(def, i, (enum cat_dialect)d, err) < 0) {
				def_free(def);
				return NULL;
			}
			collect_tables(def, def->revs[i].step[d].compiled);
			collect_objects(def, def->revs[i].step[d].compiled);
		}
	}
	borrow_names(def);
	return def;
}

/* ---- parity ---------------------------------------------------------------- */

/* The SQLite canonical text m maps canonical PostgreSQL text to, or NULL. */
static const char *
map_canon(const struct def_map *m, const char *pg_canon)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->from_canon[i], pg_canon) == 0)
			return m->to_canon[i];
	return NULL;
}

/* The PostgreSQL catalog with its types and defaults replaced by their
 * SQLite counterparts from `parity`, as a SQLite catalog: compared with the
 * SQLite one, every remaining difference is a parity failure. */
struct catalog *
def_parity_translate(const struct definition *def, const struct catalog *pg)
{
	struct catalog *c = cat_dup(pg);
	struct cat_column *col;
	const char *to;
	int t, i;

	for (t = 0; t < c->ntables; t++) {
		for (i = 0; i < c->tables[t].ncols; i++) {
			col = &c->tables[t].cols[i];
			if ((to = map_canon(&def->parity_types, col->type)) != NULL) {
				free(col->type);
				col->type = xstrdup(to);
			}
			if (col->dflt != NULL &&
			    (to = map_canon(&def->parity_defaults, col->dflt)) != NULL) {
				free(col->dflt);
				col->dflt = xstrdup(to);
			}
		}
	}
	c->dialect = CAT_SQLITE;
	c->constraint_names = false;
	return c;
}

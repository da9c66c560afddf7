/* catobj.c — the objects of a catalog that are not tables: views,
 * sequences, types, functions, triggers, policies, extensions, comments...
 *
 * Each is a kind, a name and a set of properties. A probe stores what the
 * engine reported; the rule table below decides, from the kind and the
 * property, what is compared: a normalized expression (a trigger's WHEN, a
 * policy's USING), a squeezed body of code (a function, a view's query as
 * the server deparses it), or the text itself. Keeping the rules here, not
 * in the probes, means both dialects, the compiled files and the live
 * catalogs are canonicalized by one hand, and a better rule needs no
 * recompilation (catjson.c stores raw texts only). */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "catobj.h"
#include "catobj_kinds.h"
#include "normalize.h"
#include "util.h"

/* In the order differences are reported (catobj_kinds.h). */
#define KIND_NAME(a, ident, name) name,
const char *const cat_object_kinds[] = {
	CAT_OBJECT_KINDS(KIND_NAME, 0)
	NULL,
};
#undef KIND_NAME

enum rule {
	RULE_RAW,	/* compared as reported */
	RULE_EXPR,	/* an expression: normalize.c */
	RULE_DEFAULT,	/* a default expression: normalize.c's default form */
	RULE_SQL,	/* code: cat_sql_squeeze() (SQLite: case folded first) */
	RULE_QUERY,	/* a deparsed query: RULE_SQL, nested AND / OR chains flattened */
	RULE_INFO,	/* reported, never a difference */
};

/* (kind, key) -> rule; "*" matches any kind, a key ending in "*" any key
 * that starts with what precedes it (a domain's "check NAME"). First match
 * wins; anything not listed is RULE_RAW. */
static const struct {
	const char	*kind;
	const char	*key;
	enum rule	 rule;
} prop_rules[] = {
	{ "view",		"query",	RULE_QUERY },
	{ "materialized_view",	"query",	RULE_QUERY },
	{ "function",		"body",		RULE_SQL },
	{ "procedure",		"body",		RULE_SQL },
	{ "trigger",		"when",		RULE_EXPR },
	{ "trigger",		"body",		RULE_SQL },
	{ "policy",		"using",	RULE_EXPR },
	{ "policy",		"with_check",	RULE_EXPR },
	{ "domain",		"default",	RULE_DEFAULT },
	{ "domain",		"check *",	RULE_EXPR },
	{ "extension",		"version",	RULE_INFO },
};

static bool
key_matches(const char *pattern, const char *key)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, key, n - 1) == 0;
	return strcmp(pattern, key) == 0;
}

static enum rule
rule_for(const char *kind, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof prop_rules / sizeof prop_rules[0]; i++)
		if ((strcmp(prop_rules[i].kind, "*") == 0 ||
		    strcmp(prop_rules[i].kind, kind) == 0) &&
		    key_matches(prop_rules[i].key, key))
			return prop_rules[i].rule;
	return RULE_RAW;
}

bool
cat_object_kind_known(const char *kind)
{
	int i;

	for (i = 0; cat_object_kinds[i] != NULL; i++)
		if (strcmp(cat_object_kinds[i], kind) == 0)
			return true;
	return false;
}

bool
cat_prop_informational(const char *kind, const char *key)
{
	return rule_for(kind, key) == RULE_INFO;
}

/* ---- squeezing code ---------------------------------------------------------- */

/* Length of a quoted run starting at s (', ", or $tag$), 0 when s does not
 * start one. An unterminated quote runs to the end. */
static size_t
quoted_len(const char *s)
{
	const char *e, *t;
	size_t tag;

	if (*s == '\'' || *s == '"') {
		for (e = s + 1; *e != '\0'; e++) {
			if (*e == *s && e[1] == *s)
				e++;		/* '' inside '...' */
			else if (*e == *s)
				return (size_t)(e - s) + 1;
		}
		return strlen(s);
	}
	if (*s != '$')
		return 0;
	for (t = s + 1; isalnum((unsigned char)*t) || *t == '_'; t++)
		;
	if (*t != '$' || (t > s + 1 && isdigit((unsigned char)s[1])))
		return 0;		/* $1 is a parameter, not a quote */
	tag = (size_t)(t - s) + 1;
	for (e = t + 1; *e != '\0'; e++)
		if (strncmp(e, s, tag) == 0)
			return (size_t)(e - s) + tag;
	return strlen(s);
}

/* Length of a comment starting at s (-- to the end of the line, or a nested
 * block comment), 0 when s does not start one. */
static size_t
comment_len(const char *s)
{
	const char *e;
	int depth;

	if (s[0] == '-' && s[1] == '-')
		return strcspn(s, "\n");
	if (s[0] != '/' || s[1] != '*')
		return 0;
	for (e = s + 2, depth = 1; *e != '\0' && depth > 0; e++) {
		if (e[0] == '/' && e[1] == '*')
			depth++, e++;
		else if (e[0] == '*' && e[1] == '/')
			depth--, e++;
	}
	return (size_t)(e - s);
}

/* White space around these never matters. */
static bool
tight(char c)
{
	return c != '\0' && strchr("(),;", c) != NULL;
}

char *
cat_sql_squeeze(const char *sql)
{
	struct sbuf sb;
	const char *s = sql;
	size_t n;
	bool space = false;

	sbuf_init(&sb);
	while (*s != '\0') {
		if ((n = comment_len(s)) > 0 || isspace((unsigned char)*s)) {
			s += n > 0 ? n : 1;
			space = true;
			continue;
		}
		if (space && sb.len > 0 && !tight(sb.buf[sb.len - 1]) && !tight(*s))
			sbuf_addc(&sb, ' ');
		space = false;
		if ((n = quoted_len(s)) > 0) {
			sbuf_addn(&sb, s, n);
			s += n;
		} else
			sbuf_addc(&sb, *s++);
	}
	/* A trailing ";" ends the last statement; it is not part of it. */
	while (sb.len > 0 && sb.buf[sb.len - 1] == ';')
		sb.buf[--sb.len] = '\0';
	return sbuf_steal(&sb);
}

/* SQLite ignores the case of keywords and identifiers, quoted or not, and
 * "x", [x] and `x` are one identifier: before squeezing, everything outside
 * string literals and comments is lower-cased, and a quoted identifier is
 * written bare when it needs no quotes ("x" otherwise). */
static bool
bare_ident(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The quoted identifier at s (", `, [) into sb; returns its length. */
static size_t
fold_quoted_ident(struct sbuf *sb, const char *s)
{
	char q = *s == '[' ? ']' : *s;
	struct sbuf id;
	const char *e;

	sbuf_init(&id);
	sbuf_add(&id, "");
	for (e = s + 1; *e != '\0'; e++) {
		if (*e == q && q != ']' && e[1] == q)
			e++;		/* a doubled quote is one */
		else if (*e == q)
			break;
		sbuf_addc(&id, (char)tolower((unsigned char)*e));
	}
	if (bare_ident(id.buf, id.len)) {
		/* "a"b must not become ab: keep the words apart */
		if (sb->len > 0 && word_char(sb->buf[sb->len - 1]))
			sbuf_addc(sb, ' ');
		sbuf_add(sb, id.buf);
		if (*e != '\0' && word_char(e[1]))
			sbuf_addc(sb, ' ');
	} else {
		sbuf_addc(sb, '"');
		for (const char *p = id.buf; *p != '\0'; p++) {
			if (*p == '"')
				sbuf_addc(sb, '"');
			sbuf_addc(sb, *p);
		}
		sbuf_addc(sb, '"');
	}
	sbuf_free(&id);
	return *e != '\0' ? (size_t)(e - s) + 1 : (size_t)(e - s);
}

/* Next to an operator, a space is never needed: "a = 1" is "a=1" (no two
 * SQLite tokens of these characters join into another, and comments are
 * gone by now). Not next to a quote: x '00' is x aliased, x'00' a blob. */
static bool
operator_char(char c)
{
	return c != '\0' && strchr("=<>!+-*/%|&~.", c) != NULL;
}

static char *
unspace_operators(char *s)
{
	char *w = s, *r = s;
	size_t n;

	while (*r != '\0') {
		if ((*r == '\'' || *r == '"') && (n = quoted_len(r)) > 0) {
			memmove(w, r, n);
			w += n;
			r += n;
		} else if (*r == ' ' && ((w > s && operator_char(w[-1])) || operator_char(r[1])))
			r++;
		else
			*w++ = *r++;
	}
	*w = '\0';
	return s;
}

static char *
sql_squeeze_nocase(const char *sql)
{
	struct sbuf sb;
	const char *s = sql;
	size_t n;
	char *out;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	while (*s != '\0') {
		if ((n = comment_len(s)) > 0) {
			sbuf_addc(&sb, ' ');	/* squeezed away below */
			s += n;
		} else if (*s == '\'') {
			n = quoted_len(s);
			sbuf_addn(&sb, s, n);
			s += n;
		} else if (*s == '"' || *s == '`' || *s == '[') {
			s += fold_quoted_ident(&sb, s);
		} else
			sbuf_addc(&sb, (char)tolower((unsigned char)*s++));
	}
	out = cat_sql_squeeze(sb.buf);
	sbuf_free(&sb);
	return unspace_operators(out);
}

/* ---- deparsed queries ------------------------------------------------------------ */

/* pg_get_viewdef() writes what the server parsed, so most spellings of a
 * query read the same: but it keeps the nesting of AND and OR as parsed.
 * "a AND b AND c" is one chain, while "a AND b BETWEEN 1 AND 2" is a chain
 * with a nested one ((b >= 1) AND (b <= 2)), and "(a AND b) AND c" nests
 * too. A parenthesized chain that is a whole operand of a chain of the same
 * operator is therefore written without its parentheses. This is done on
 * the server's text only (PostgreSQL): it writes no BETWEEN, whose AND is
 * no boolean one (a window frame's BETWEEN has no chain as a bound). */

enum chain { CHAIN_NONE, CHAIN_AND, CHAIN_OR };

#define FLATTEN_DEPTH	64	/* deeper groups are copied as they are */

/* Whether the keyword kw (AND, OR) is at s[i], a word of its own in [b, e). */
static bool
kw_at(const char *s, size_t i, size_t b, size_t e, const char *kw)
{
	size_t n = strlen(kw);

	if (i < b || i + n > e || strncasecmp(s + i, kw, n) != 0)
		return false;
	return (i == b || !word_char(s[i - 1])) && (i + n == e || !word_char(s[i + n]));
}

/* The end of the quoted run at s[i] within [i, e), or i when none starts. */
static size_t
quoted_end(const char *s, size_t i, size_t e)
{
	size_t n = quoted_len(s + i);

	return n == 0 ? i : (i + n < e ? i + n : e);
}

/* The text and, for each "(" in it, the index of the ")" that closes it
 * (SIZE_MAX: none), matched once outside quoted runs: looking for it again
 * at every level made a text of unclosed groups quadratic. */
struct flat {
	const char	*s;
	size_t		*close;
};

static void
flat_match(struct flat *f, size_t n)
{
	size_t *stack = xreallocarray(NULL, n + 1, sizeof *stack), i = 0, q, top = 0;

	f->close = xreallocarray(NULL, n + 1, sizeof *f->close);
	for (i = 0; i < n; i++)
		f->close[i] = SIZE_MAX;
	i = 0;
	while (i < n) {
		if ((q = quoted_end(f->s, i, n)) > i) {
			i = q;
			continue;
		}
		if (f->s[i] == '(')
			stack[top++] = i;
		else if (f->s[i] == ')' && top > 0)
			f->close[stack[--top]] = i;
		i++;
	}
	free(stack);
}

/* The ")" that closes the "(" at i, or e when none does before e. */
static size_t
group_end(const struct flat *f, size_t i, size_t e)
{
	return f->close[i] < e ? f->close[i] : e;
}

/* What [b, e) is at its own level: a chain of ANDs, of ORs, or neither. */
static enum chain
level_chain(const struct flat *f, size_t b, size_t e)
{
	const char *s = f->s;
	size_t i = b, q;
	int ands = 0, ors = 0;

	while (i < e) {
		if ((q = quoted_end(s, i, e)) > i)
			i = q;
		else if (s[i] == '(')
			i = group_end(f, i, e) + 1;
		else {
			ands += kw_at(s, i, b, e, "AND");
			ors += kw_at(s, i, b, e, "OR");
			i++;
		}
	}
	if (ands > 0 && ors == 0)
		return CHAIN_AND;
	return ors > 0 && ands == 0 ? CHAIN_OR : CHAIN_NONE;
}

/* Whether the group s[gb..ge] stands between the chain's keyword (or the
 * level's start) and the keyword (or the level's end), with the keyword on
 * at least one side: an operand of that chain, not a call's arguments or a
 * CASE's condition. */
static bool
whole_operand(const char *s, size_t b, size_t e, size_t gb, size_t ge, enum chain ch)
{
	const char *kw = ch == CHAIN_AND ? "AND" : "OR";
	size_t n = strlen(kw), p = gb, q = ge + 1;
	bool kw_before, kw_after;

	while (p > b && s[p - 1] == ' ')
		p--;
	while (q < e && s[q] == ' ')
		q++;
	kw_before = p >= b + n && kw_at(s, p - n, b, e, kw);
	kw_after = kw_at(s, q, b, e, kw);
	return (kw_before || p == b) && (kw_after || q == e) && (kw_before || kw_after);
}

static enum chain
flatten_level(const struct flat *f, size_t b, size_t e, int depth, struct sbuf *out)
{
	const char *s = f->s;
	struct sbuf inner;
	enum chain ich;
	size_t i = b, q, ge;

	while (i < e) {
		if ((q = quoted_end(s, i, e)) > i) {
			sbuf_addn(out, s + i, q - i);
			i = q;
			continue;
		}
		if (s[i] != '(' || depth >= FLATTEN_DEPTH || (ge = group_end(f, i, e)) == e) {
			sbuf_addc(out, s[i++]);
			continue;
		}
		sbuf_init(&inner);
		ich = flatten_level(f, i + 1, ge, depth + 1, &inner);
		if (ich != CHAIN_NONE && whole_operand(s, b, e, i, ge, ich)) {
			/* Spaced: "AND(b" must not become "ANDb". */
			sbuf_addc(out, ' ');
			sbuf_addn(out, inner.buf != NULL ? inner.buf : "", inner.len);
			sbuf_addc(out, ' ');
		} else {
			sbuf_addc(out, '(');
			sbuf_addn(out, inner.buf != NULL ? inner.buf : "", inner.len);
			sbuf_addc(out, ')');
		}
		sbuf_free(&inner);
		i = ge + 1;
	}
	return level_chain(f, b, e);
}

char *
cat_query_canon(const char *sql)
{
	char *sq = cat_sql_squeeze(sql), *flat, *out;
	struct flat f = { sq, NULL };
	struct sbuf sb;
	size_t n = strlen(sq);

	sbuf_init(&sb);
	flat_match(&f, n);
	flatten_level(&f, 0, n, 0, &sb);
	free(f.close);
	free(sq);
	flat = sbuf_steal(&sb);
	out = cat_sql_squeeze(flat);	/* the spaces added: only where needed */
	free(flat);
	return out;
}

/* ---- properties ---------------------------------------------------------------- */

static void
prop_free(struct cat_prop *p)
{
	free(p->key);
	free(p->raw);
	free(p->canon);
}

static char *
canon_for(enum cat_dialect d, const char *kind, const char *key, const char *raw)
{
	switch (rule_for(kind, key)) {
	case RULE_EXPR:
		return norm_expr(d, raw);
	case RULE_DEFAULT:
		return norm_default(d, raw);
	case RULE_SQL:
		return d == CAT_SQLITE ? sql_squeeze_nocase(raw) : cat_sql_squeeze(raw);
	case RULE_QUERY:
		return d == CAT_SQLITE ? sql_squeeze_nocase(raw) : cat_query_canon(raw);
	case RULE_RAW:
	case RULE_INFO:
		break;
	}
	return NULL;
}

void
cat_prop_set(struct cat_props *ps, enum cat_dialect d, const char *kind, const char *key,
    const char *raw)
{
	int i, c = 1;

	for (i = 0; i < ps->n && (c = strcmp(ps->v[i].key, key)) < 0; i++)
		;
	if (i < ps->n && c == 0) {
		prop_free(&ps->v[i]);
		if (raw == NULL) {
			memmove(&ps->v[i], &ps->v[i + 1], (size_t)(ps->n - i - 1) * sizeof *ps->v);
			ps->n--;
			return;
		}
	} else {
		if (raw == NULL)
			return;
		ps->v = xreallocarray(ps->v, (size_t)ps->n + 1, sizeof *ps->v);
		memmove(&ps->v[i + 1], &ps->v[i], (size_t)(ps->n - i) * sizeof *ps->v);
		ps->n++;
	}
	ps->v[i].key = xstrdup(key);
	ps->v[i].raw = xstrdup(raw);
	ps->v[i].canon = canon_for(d, kind, key, raw);
}

const struct cat_prop *
cat_prop_get(const struct cat_props *ps, const char *key)
{
	int i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].key, key) == 0)
			return &ps->v[i];
	return NULL;
}

const char *
cat_prop_text(const struct cat_prop *p)
{
	return p->canon != NULL ? p->canon : p->raw;
}

void
cat_props_free(struct cat_props *ps)
{
	int i;

	for (i = 0; i < ps->n; i++)
		prop_free(&ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

void
cat_props_dup(struct cat_props *to, const struct cat_props *from)
{
	int i;

	to->n = from->n;
	to->v = from->n > 0 ? xreallocarray(NULL, (size_t)from->n, sizeof *to->v) : NULL;
	for (i = 0; i < from->n; i++) {
		to->v[i].key = xstrdup(from->v[i].key);
		to->v[i].raw = xstrdup(from->v[i].raw);
		to->v[i].canon = from->v[i].canon != NULL ? xstrdup(from->v[i].canon) : NULL;
	}
}

/* ---- objects --------------------------------------------------------------------- */

struct cat_object *
cat_find_object(const struct catalog *c, const char *kind, const char *name)
{
	int i;

	for (i = 0; i < c->nobjects; i++)
		if (strcmp(c->objects[i].kind, kind) == 0 && strcmp(c->objects[i].name, name) == 0)
			return &c->objects[i];
	return NULL;
}

/* A new object at the end, without looking for one of its kind and name. */
static struct cat_object *
object_append(struct catalog *c, const char *kind, const char *name, const char *table)
{
	struct cat_object *o;

	c->objects = xreallocarray(c->objects, (size_t)c->nobjects + 1, sizeof *c->objects);
	o = &c->objects[c->nobjects++];
	memset(o, 0, sizeof *o);
	o->kind = xstrdup(kind);
	o->name = xstrdup(name);
	o->table = table != NULL ? xstrdup(table) : NULL;
	return o;
}

/* Readers add an object's rows one after the other (the catalog query
 * orders them by kind and name), so a repeat is the last object. Any other
 * repeat (a hand-written compiled file) is merged by cat_sort_objects(),
 * which every reader calls: a search per object made reading a catalog of
 * n objects O(n^2). */
struct cat_object *
cat_add_object(struct catalog *c, const char *kind, const char *name, const char *table)
{
	struct cat_object *last = c->nobjects > 0 ? &c->objects[c->nobjects - 1] : NULL;

	if (last != NULL && strcmp(last->name, name) == 0 && strcmp(last->kind, kind) == 0)
		return last;
	return object_append(c, kind, name, table);
}

static void
object_free(struct cat_object *o)
{
	free(o->kind);
	free(o->name);
	free(o->table);
	cat_props_free(&o->props);
}

void
cat_remove_objects_of(struct catalog *c, const char *table)
{
	int i, n = 0;

	for (i = 0; i < c->nobjects; i++) {
		if (table != NULL && c->objects[i].table != NULL &&
		    strcmp(c->objects[i].table, table) == 0)
			object_free(&c->objects[i]);
		else
			c->objects[n++] = c->objects[i];
	}
	c->nobjects = n;
}

static int
kind_rank(const char *kind)
{
	int i;

	for (i = 0; cat_object_kinds[i] != NULL; i++)
		if (strcmp(cat_object_kinds[i], kind) == 0)
			return i;
	return i;
}

int
cat_object_order(const struct cat_object *a, const struct cat_object *b)
{
	int ra, rb, r;

	/* Most neighbours are of one kind: their ranks need not be looked up. */
	if ((r = strcmp(a->kind, b->kind)) == 0)
		return strcmp(a->name, b->name);
	ra = kind_rank(a->kind);
	rb = kind_rank(b->kind);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return r;		/* two unknown kinds, by name */
}

static int
object_order(const void *pa, const void *pb)
{
	return cat_object_order(pa, pb);
}

/* The properties of dup that into lacks, then dup freed. */
static void
object_merge(enum cat_dialect d, struct cat_object *into, struct cat_object *dup)
{
	int i;

	for (i = 0; i < dup->props.n; i++)
		if (cat_prop_get(&into->props, dup->props.v[i].key) == NULL)
			cat_prop_set(&into->props, d, into->kind, dup->props.v[i].key,
			    dup->props.v[i].raw);
	if (into->table == NULL && dup->table != NULL) {
		into->table = dup->table;
		dup->table = NULL;
	}
	object_free(dup);
}

void
cat_sort_objects(struct catalog *c)
{
	int i, n;

	if (c->nobjects < 2)
		return;
	qsort(c->objects, (size_t)c->nobjects, sizeof *c->objects, object_order);
	/* One object per kind and name: repeats are now neighbours. */
	for (i = 1, n = 1; i < c->nobjects; i++) {
		if (cat_object_order(&c->objects[n - 1], &c->objects[i]) == 0)
			object_merge(c->dialect, &c->objects[n - 1], &c->objects[i]);
		else
			c->objects[n++] = c->objects[i];
	}
	c->nobjects = n;
}

/* For catalog.c: free, copy and fold what this file adds to a catalog. */
void
catobj_free_all(struct catalog *c)
{
	int i;

	for (i = 0; i < c->nobjects; i++)
		object_free(&c->objects[i]);
	free(c->objects);
	c->objects = NULL;
	c->nobjects = 0;
}

void
catobj_dup_all(struct catalog *to, const struct catalog *from)
{
	const struct cat_object *f;
	struct cat_object *o;
	int i;

	to->objects = NULL;
	to->nobjects = 0;
	for (i = 0; i < from->nobjects; i++) {
		f = &from->objects[i];
		o = object_append(to, f->kind, f->name, f->table);
		cat_props_dup(&o->props, &f->props);
	}
}

static void
fold(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

void
catobj_fold_all(struct catalog *c)
{
	int i;

	for (i = 0; i < c->nobjects; i++) {
		fold(c->objects[i].name);
		fold(c->objects[i].table);
	}
}

/* cfg_value.c — the values of the key table's types (see cfg_value.h):
 * one conversion from text per scalar type, and the compare and free of
 * every type, each a switch over the type so that a new type cannot be
 * forgotten in one of them (-Wswitch).
 *
 * Relative paths are resolved against the directory of the configuration
 * file, made absolute when that directory exists: "sqlite: ./dev.db" in
 * /srv/app/sw.yaml means /srv/app/dev.db, whatever the daemon's working
 * directory. Defaults are never resolved. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_keys.h"
#include "cfg_value.h"
#include "dburl.h"
#include "util.h"

typedef char *(*from_text_fn)(const struct cfg_key *, const char *basedir, const char *text,
    void *field);

/* ---- paths ---------------------------------------------------------------- */

static char *
resolve_path(const char *base, const char *path)
{
	size_t blen;

	if (base == NULL || path[0] == '/')
		return xstrdup(path);
	/* SQLite's own spellings are not file names relative to anything. */
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return xstrdup(path);
	char *dir = xstrdup(base), *slash, *r;

	/* Fold leading "./" and "../" lexically, so that logs and status show
	 * /srv/app/dev.db rather than /srv/app/conf/../dev.db. */
	for (;;) {
		if (path[0] == '.' && path[1] == '/')
			path += 2;
		else if (path[0] == '.' && path[1] == '.' && path[2] == '/' &&
		    (slash = strrchr(dir, '/')) != NULL && strcmp(slash, "/..") != 0 &&
		    slash[1] != '\0') {
			*(slash == dir ? slash + 1 : slash) = '\0';
			path += 3;
		} else
			break;
		while (*path == '/')
			path++;
	}
	if (*path == '\0' || strcmp(path, ".") == 0)
		return dir;
	blen = strlen(dir);
	r = (blen > 0 && dir[blen - 1] == '/') ? xasprintf("%s%s", dir, path) :
	    xasprintf("%s/%s", dir, path);
	free(dir);
	return r;
}

/* ---- text -> field, one function per scalar type -------------------------- */

static char *
got(const char *expect, const char *text)
{
	char *q = cfg_quoted(text), *msg;

	msg = xasprintf("expected %s, got %s", expect, q);
	free(q);
	return msg;
}

static char *
duration_from_text(const struct cfg_key *k, const char *basedir, const char *text, void *f)
{
	int64_t ms;

	if (parse_duration_ms(text, &ms) < 0)
		return got("a duration like 30s", text);
	if (ms <= 0)
		return got("a duration greater than 0 like 30s", text);
	/* A floor (min, in ms) where too small a value would harm others: an
	 * interval of 1ms would turn the daemon into a connection storm. */
	if (k->min > 0 && ms < k->min) {
		char *expect = xasprintf("a duration of at least %dms (the smallest %s allowed)",
		    k->min, k->name);
		char *msg = got(expect, text);

		free(expect);
		return msg;
	}
	*(int64_t *)f = ms;
	return NULL;
}

static char *
string_from_text(const struct cfg_key *k, const char *basedir, const char *text, void *f)
{
	char *why, *v = NULL;

	/* A SQLAlchemy URL loses its driver part before libpq sees it. */
	if ((k->flags & KF_DBURL) && (why = dburl_postgresql_value(text, &v)) != NULL)
		return why;
	if (v != NULL)
		text = v;
	if (k->check != NULL && (why = k->check(text)) != NULL) {
		free(v);
		return why;
	}
	free(*(char **)f);
	*(char **)f = v != NULL ? v : xstrdup(text);
	return NULL;
}

static char *
path_from_text(const struct cfg_key *k, const char *basedir, const char *text, void *f)
{
	char *why, *url_path = NULL;

	/* sqlite:///x.db is the path x.db, resolved like any other. */
	if ((k->flags & KF_DBURL) && (why = dburl_sqlite_value(text, &url_path)) != NULL)
		return why;
	if (url_path != NULL)
		text = url_path;
	if (*text == '\0') {
		free(url_path);
		return xstrdup("expected a path, got an empty string");
	}
	free(*(char **)f);
	*(char **)f = resolve_path(basedir, text);
	free(url_path);
	return NULL;
}

static char *
bool_from_text(const struct cfg_key *k, const char *basedir, const char *text, void *f)
{
	static const struct {
		const char	*word;
		bool		 value;
	} words[] = {
		{ "true", true }, { "false", false }, { "yes", true }, { "no", false },
		{ "on", true }, { "off", false },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcasecmp(text, words[i].word) == 0) {
			*(bool *)f = words[i].value;
			return NULL;
		}
	}
	return got("true or false", text);
}

static char *
int_from_text(const struct cfg_key *k, const char *basedir, const char *text, void *f)
{
	char *end, *expect, *msg;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno == 0 && end != text && *end == '\0' && v >= k->min && v <= k->max) {
		*(int *)f = (int)v;
		return NULL;
	}
	expect = xasprintf("an integer from %d to %d", k->min, k->max);
	msg = got(expect, text);
	free(expect);
	return msg;
}

static const from_text_fn from_text[] = {
	[TY_DURATION] = duration_from_text,
	[TY_STRING] = string_from_text,
	[TY_PATH] = path_from_text,
	[TY_BOOL] = bool_from_text,
	[TY_INT] = int_from_text,
	/* the lists have no text form: the binder reads them item by item */
};

char *
cfg_value_from_text(const struct cfg_key *k, const char *basedir, const char *text,
    void *base)
{
	if ((size_t)k->type >= sizeof from_text / sizeof from_text[0] ||
	    from_text[k->type] == NULL) {
		/* A caller's bug, not the user's: only scalars come here. */
		fprintf(stderr, "<2>cfg: %s is not a scalar key\n", k->name);
		abort();
	}
	return from_text[k->type](k, basedir, text, (char *)base + k->off);
}

/* ---- compare ---------------------------------------------------------------- */

static bool
str_equal(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
argv_equal(char **a, char **b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (; *a != NULL && *b != NULL; a++, b++)
		if (strcmp(*a, *b) != 0)
			return false;
	return *a == NULL && *b == NULL;
}

bool
cfg_value_equal(const struct cfg_key *k, const void *a, const void *b)
{
	const void *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;

	switch (k->type) {
	case TY_DURATION:
		return *(const int64_t *)fa == *(const int64_t *)fb;
	case TY_STRING:
	case TY_PATH:
		return str_equal(*(char *const *)fa, *(char *const *)fb);
	case TY_BOOL:
		return *(const bool *)fa == *(const bool *)fb;
	case TY_INT:
		return *(const int *)fa == *(const int *)fb;
	case TY_STRLIST:
	case TY_ARGV:
		return argv_equal(*(char **const *)fa, *(char **const *)fb);
	case TY_TARGETS:
	case TY_GROUPS:
		break;
	}
	return false;	/* not compared: reloadable anyway */
}

/* ---- free ------------------------------------------------------------------- */

static void
free_strv(char **v)
{
	char **s;

	if (v == NULL)
		return;
	for (s = v; *s != NULL; s++)
		free(*s);
	free(v);
}

void
cfg_value_release(const struct cfg_key *k, void *base)
{
	void *f = (char *)base + k->off;
	int *count = (int *)((char *)base + k->off_count);
	struct cfg_target *t;
	struct cfg_group *g;
	int i;

	switch (k->type) {
	case TY_DURATION:
		*(int64_t *)f = 0;
		break;
	case TY_STRING:
	case TY_PATH:
		free(*(char **)f);
		*(char **)f = NULL;
		break;
	case TY_BOOL:
		*(bool *)f = false;
		break;
	case TY_INT:
		*(int *)f = 0;
		break;
	case TY_STRLIST:
	case TY_ARGV:
		free_strv(*(char ***)f);
		*(char ***)f = NULL;
		if (k->type == TY_STRLIST)
			*count = 0;
		break;
	case TY_TARGETS:
		t = *(struct cfg_target **)f;
		for (i = 0; i < *count; i++) {
			cfg_value_release_scope(SC_TARGET, &t[i]);
			free(t[i].conninfo_safe);
		}
		free(t);
		*(struct cfg_target **)f = NULL;
		*count = 0;
		break;
	case TY_GROUPS:
		g = *(struct cfg_group **)f;
		for (i = 0; i < *count; i++)
			cfg_value_release_scope(SC_GROUP, &g[i]);
		free(g);
		*(struct cfg_group **)f = NULL;
		*count = 0;
		break;
	}
}

void
cfg_value_release_scope(enum cfg_scope scope, void *base)
{
	size_t i;

	for (i = 0; i < cfg_nkeys; i++)
		if (cfg_keys[i].scope == scope)
			cfg_value_release(&cfg_keys[i], base);
}

/* ---- defaults ----------------------------------------------------------------- */

void
cfg_value_defaults(enum cfg_scope scope, void *base)
{
	const struct cfg_key *k;
	char *why;
	size_t i;

	for (i = 0; i < cfg_nkeys; i++) {
		k = &cfg_keys[i];
		if (k->scope != scope || k->dflt == NULL)
			continue;
		if ((why = cfg_value_from_text(k, NULL, k->dflt, base)) != NULL) {
			/* A bad default is a bug in the key table, not in the user's file. */
			fprintf(stderr, "<2>cfg: bad default for %s: %s\n", k->name, why);
			abort();
		}
	}
}

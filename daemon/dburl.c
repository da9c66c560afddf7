/* dburl.c — database names as developers type them (see dburl.h).
 *
 * The rules follow the tools the names come from: SQLAlchemy's
 * "sqlite:///" + path (three slashes and a relative path, four and an
 * absolute one; "sqlite://" alone is its in-memory database) and
 * "dialect+driver://" (the driver is a Python package, meaningless here);
 * libpq's own key=value strings and postgresql:// / postgres:// URIs, handed
 * to libpq unchanged so that every libpq feature keeps working. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "dburl.h"
#include "util.h"

#define SQLITE_FORMS "sqlite:///relative/path.db or sqlite:////absolute/path.db"

/* ---- small helpers ------------------------------------------------------- */

/* Length of a URL scheme ("postgresql+psycopg2") before ':', or 0. */
static size_t
scheme_len(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '.' || s[n] == '-')
		n++;
	return s[n] == ':' ? n : 0;
}

/* The scheme without its "+driver" part, compared case-insensitively. */
static bool
scheme_is(const char *s, size_t len, const char *base)
{
	const char *plus = memchr(s, '+', len);
	size_t n = plus != NULL ? (size_t)(plus - s) : len;

	return n == strlen(base) && strncasecmp(s, base, n) == 0;
}

/* A libpq key=value string starts with a keyword and '='. */
static bool
looks_like_keyvalue(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '=';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %XX decoding as SQLAlchemy does for the database part; NULL when a '%'
 * is not followed by two hex digits or decodes to NUL. */
static char *
percent_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n) {
			free(out);
			return NULL;
		}
		hi = hexval(s[i + 1]);
		lo = hi < 0 ? -1 : hexval(s[i + 2]);
		if (lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		i += 2;
	}
	*o = '\0';
	return out;
}

/* Keep [A-Za-z0-9_.-], turn the rest into '_': a valid target name. */
static char *
name_from(const char *s)
{
	char *n, *p;

	if (s == NULL || *s == '\0')
		return NULL;
	n = xstrdup(s);
	for (p = n; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.-", *p) == NULL)
			*p = '_';
	return n;
}

/* ---- SQLite --------------------------------------------------------------- */

static char *
sqlite_path_error(const char *path)
{
	if (*path == '\0')
		return xstrdup("an empty SQLite path names an in-memory database: nothing to "
		    "check; give a file (" SQLITE_FORMS ")");
	if (strcmp(path, ":memory:") == 0)
		return xstrdup("\":memory:\" is an in-memory database: nothing to check; "
		    "give a file");
	if (path[strlen(path) - 1] == '/')
		return xstrdup("an SQLite database is a file, not a directory (the path ends "
		    "with \"/\")");
	return NULL;
}

static char *
sqlite_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *n = name_from(base != NULL ? base + 1 : path);

	return n != NULL ? n : xstrdup("sqlite");
}

/* "sqlite[+driver]:" followed by `rest`. */
static char *
sqlite_url(const char *rest, char **path)
{
	const char *q;

	*path = NULL;
	if (strncmp(rest, "//", 2) != 0)
		return xstrdup("an SQLite URL is " SQLITE_FORMS);
	rest += 2;
	if (*rest == '\0')
		return xstrdup("\"sqlite://\" is SQLAlchemy's in-memory database: nothing to "
		    "check; give a file (" SQLITE_FORMS ")");
	if (*rest != '/')	/* "sqlite://host/…": SQLite has no server */
		return xstrdup("an SQLite URL has no host: write " SQLITE_FORMS);
	rest++;
	if ((q = strchr(rest, '?')) != NULL)
		return xasprintf("an SQLite URL with a query string (\"?%s\") is not supported: "
		    "checks always open the file read-only and an apply opens it read-write; "
		    "give the path alone", q + 1);
	if ((*path = percent_decode(rest, strlen(rest))) == NULL)
		return xstrdup("invalid %-escape in the SQLite URL's path");
	return sqlite_path_error(*path);
}

char *
dburl_sqlite_value(const char *text, char **path)
{
	size_t n = scheme_len(text);
	char *msg;

	*path = NULL;
	if (n == 0 || !scheme_is(text, n, "sqlite"))
		return NULL;
	if ((msg = sqlite_url(text + n + 1, path)) != NULL) {
		free(*path);
		*path = NULL;
	}
	return msg;
}

/* ---- PostgreSQL ----------------------------------------------------------- */

/* Every keyword of the query string must be one libpq knows; say which one
 * is not, rather than libpq's message, which could quote a password. */
static char *
check_query_keys(const char *uri)
{
	const char *q = strchr(uri, '?'), *k, *end, *eq;
	PQconninfoOption *all, *o;
	char *key, *msg = NULL;

	if (q == NULL || (all = PQconninfoParse("", NULL)) == NULL)
		return NULL;
	for (k = q + 1; msg == NULL && *k != '\0'; k = *end != '\0' ? end + 1 : end) {
		end = k + strcspn(k, "&");
		eq = memchr(k, '=', (size_t)(end - k));
		key = xstrndup(k, (size_t)((eq != NULL ? eq : end) - k));
		for (o = all; o->keyword != NULL && strcmp(o->keyword, key) != 0; o++)
			continue;
		/* "ssl=true" is libpq's alias of sslmode=require; asyncpg's
		 * ssl=require is not. */
		if (strcmp(key, "ssl") == 0 && eq != NULL &&
		    (size_t)(end - eq - 1) == 4 && strncmp(eq + 1, "true", 4) == 0)
			;
		else if (strcmp(key, "ssl") == 0)
			msg = xstrdup("\"ssl=…\" in the URL's query string: libpq spells it "
			    "sslmode=require (or disable, prefer, verify-ca, verify-full)");
		else if (o->keyword == NULL && *key != '\0')
			msg = xasprintf("unknown parameter \"%s\" in the URL's query string: "
			    "libpq does not know it (see libpq's \"Parameter Key Words\")", key);
		free(key);
	}
	PQconninfoFree(all);
	return msg;
}

static char *
pg_check(const char *conninfo)
{
	PQconninfoOption *opts;
	char *errmsg = NULL, *msg;

	if ((msg = check_query_keys(conninfo)) != NULL)
		return msg;
	if ((opts = PQconninfoParse(conninfo, &errmsg)) != NULL) {
		PQconninfoFree(opts);
		return NULL;
	}
	/* libpq's message quotes pieces of the string, which may be a password. */
	PQfreemem(errmsg);
	return xstrdup("not a valid libpq connection string or URI "
	    "(not shown here: it may hold a password)");
}

static const char *
opt_val(const PQconninfoOption *opts, const char *kw)
{
	for (; opts->keyword != NULL; opts++)
		if (strcmp(opts->keyword, kw) == 0)
			return opts->val != NULL && *opts->val != '\0' ? opts->val : NULL;
	return NULL;
}

/* dbname, or host-dbname for a network host; never a password, even when
 * dbname is itself a connection string. */
static char *
pg_name(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	const char *db, *host;
	char *first = NULL, *both, *n;

	if (opts == NULL)
		return xstrdup("postgresql");
	db = opt_val(opts, "dbname");
	if (db != NULL && (strchr(db, '=') != NULL || strstr(db, "://") != NULL))
		db = NULL;
	if (db == NULL && (db = opt_val(opts, "service")) == NULL)
		db = opt_val(opts, "user");
	host = opt_val(opts, "host");
	if (host != NULL && host[0] != '/' && host[0] != '@')
		first = xstrndup(host, strcspn(host, ","));
	if (first != NULL && db != NULL)
		both = xasprintf("%s-%s", first, db);
	else
		both = xstrdup(first != NULL ? first : db != NULL ? db : "postgresql");
	n = name_from(both);
	free(both);
	free(first);
	PQconninfoFree(opts);
	return n;
}

/* "postgresql+psycopg2://…" → "postgresql://…"; others as they are. */
static char *
drop_driver(const char *text)
{
	size_t n = scheme_len(text);
	const char *plus = n > 0 ? memchr(text, '+', n) : NULL;

	if (plus == NULL)
		return xstrdup(text);
	return xasprintf("%.*s%s", (int)(plus - text), text, text + n);
}

char *
dburl_postgresql_value(const char *text, char **conninfo)
{
	size_t n = scheme_len(text);
	char *msg;

	*conninfo = NULL;
	if (n > 0 && strncmp(text + n, "://", 3) == 0 && !scheme_is(text, n, "postgresql") &&
	    !scheme_is(text, n, "postgres"))
		return xasprintf("a \"%.*s\" URL is not a PostgreSQL connection string",
		    (int)n, text);
	*conninfo = drop_driver(text);
	if ((msg = pg_check(*conninfo)) != NULL) {
		free(*conninfo);
		*conninfo = NULL;
	}
	return msg;
}

/* ---- the whole -------------------------------------------------------------- */

bool
dburl_is_explicit(const char *text)
{
	static const char *const suffixes[] = { ".db", ".sqlite", ".sqlite3", ".db3" };
	size_t n = scheme_len(text), len = strlen(text), i, sl;

	if ((n > 0 && strncmp(text + n, "://", 3) == 0) || looks_like_keyvalue(text) ||
	    strchr(text, '/') != NULL)
		return true;
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		sl = strlen(suffixes[i]);
		if (len > sl && strcasecmp(text + len - sl, suffixes[i]) == 0)
			return true;
	}
	return false;
}

static int
fail(struct dburl *u, char **err, char *msg)
{
	dburl_fini(u);
	*err = msg;
	return -1;
}

int
dburl_parse(const char *text, struct dburl *u, char **err)
{
	size_t n = scheme_len(text);
	char *msg;

	memset(u, 0, sizeof *u);
	*err = NULL;
	if (*text == '\0')
		return fail(u, err, xstrdup("empty database name"));
	if (n > 0 && (scheme_is(text, n, "postgresql") || scheme_is(text, n, "postgres"))) {
		if (strncmp(text + n, "://", 3) != 0)
			return fail(u, err, xstrdup("a PostgreSQL URI starts with postgresql:// "
			    "(or postgres://, postgresql+DRIVER://)"));
		u->kind = DBURL_POSTGRESQL;
		if ((msg = dburl_postgresql_value(text, &u->conninfo)) != NULL)
			return fail(u, err, msg);
	} else if (n > 0 && scheme_is(text, n, "sqlite")) {
		u->kind = DBURL_SQLITE;
		if ((msg = sqlite_url(text + n + 1, &u->path)) != NULL)
			return fail(u, err, msg);
	} else if (n > 0 && scheme_is(text, n, "file")) {
		return fail(u, err, xstrdup("SQLite \"file:\" URIs are not accepted: give the "
		    "path, or " SQLITE_FORMS));
	} else if (n > 0 && strncmp(text + n, "://", 3) == 0) {
		return fail(u, err, xasprintf("unsupported database URL scheme \"%.*s\": "
		    "schemawatchd checks PostgreSQL (postgresql://, postgres://, "
		    "postgresql+DRIVER://, or a key=value string) and SQLite (a path, or "
		    SQLITE_FORMS ")", (int)n, text));
	} else if (looks_like_keyvalue(text)) {
		u->kind = DBURL_POSTGRESQL;
		if ((msg = pg_check(text)) != NULL)
			return fail(u, err, msg);
		u->conninfo = xstrdup(text);
	} else {
		u->kind = DBURL_SQLITE;
		if ((msg = sqlite_path_error(text)) != NULL)
			return fail(u, err, msg);
		u->path = xstrdup(text);
	}
	u->name = u->kind == DBURL_SQLITE ? sqlite_name(u->path) : pg_name(u->conninfo);
	return 0;
}

void
dburl_fini(struct dburl *u)
{
	free(u->conninfo);
	free(u->path);
	free(u->name);
	memset(u, 0, sizeof *u);
}

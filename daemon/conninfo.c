/* conninfo.c — validate and redact libpq connection strings (see conninfo.h).
 *
 * Redaction rebuilds the string from libpq's parse rather than editing the
 * text: a URI, a quoted value with escaped quotes and a keyword written
 * twice all come out as what libpq would actually use, so no spelling of a
 * password can slip past a pattern. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "conninfo.h"
#include "util.h"

bool
conninfo_valid(const char *conninfo)
{
	PQconninfoOption *opts;
	char *errmsg = NULL;

	if ((opts = PQconninfoParse(conninfo, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return false;
	}
	PQconninfoFree(opts);
	return true;
}

/* A value in keyword=value syntax: quoted when empty or when it holds a
 * space, a quote or a backslash, as libpq reads it back. */
static void
add_value(struct sbuf *sb, const char *v)
{
	const char *s;

	if (*v != '\0' && strpbrk(v, " \t\n\r\f\v'\\") == NULL) {
		sbuf_add(sb, v);
		return;
	}
	sbuf_addc(sb, '\'');
	for (s = v; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			sbuf_addc(sb, '\\');
		sbuf_addc(sb, *s);
	}
	sbuf_addc(sb, '\'');
}

static bool
looks_like_conninfo(const char *v)
{
	return strchr(v, '=') != NULL || strncmp(v, "postgresql://", 13) == 0 ||
	    strncmp(v, "postgres://", 11) == 0;
}

static bool
is_secret(const PQconninfoOption *o)
{
	/* dispchar "*" is libpq's own mark for secrets (password,
	 * sslpassword); the name check covers anything it forgot. */
	return (o->dispchar != NULL && o->dispchar[0] == '*') ||
	    strstr(o->keyword, "password") != NULL;
}

static char *
redact(const char *conninfo, int depth)
{
	PQconninfoOption *opts, *o;
	char *errmsg = NULL, *inner;
	struct sbuf sb;

	if (conninfo == NULL || (opts = PQconninfoParse(conninfo, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return xstrdup("<unparseable connection string>");
	}
	sbuf_init(&sb);
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (sb.len > 0)
			sbuf_addc(&sb, ' ');
		sbuf_printf(&sb, "%s=", o->keyword);
		if (is_secret(o)) {
			sbuf_add(&sb, "********");
		} else if (strcmp(o->keyword, "dbname") == 0 && depth == 0 &&
		    looks_like_conninfo(o->val)) {
			/* libpq expands a dbname that is itself a connection
			 * string (once: it does not recurse further either). */
			inner = redact(o->val, depth + 1);
			add_value(&sb, inner);
			free(inner);
		} else
			add_value(&sb, o->val);
	}
	PQconninfoFree(opts);
	return sbuf_steal(&sb);
}

char *
conninfo_redact(const char *conninfo)
{
	return redact(conninfo, 0);
}

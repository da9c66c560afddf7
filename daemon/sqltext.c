/* sqltext.c — the statements of a SQL file (see sqltext.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqltext.h"
#include "util.h"

#define SHOWN_MAX	120	/* characters of a statement in a message */

#define WORD_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"

/* The length of the word at p when it is w (any case), else 0. */
static size_t
word_is(const char *p, const char *w)
{
	size_t n = strspn(p, WORD_CHARS);

	return n == strlen(w) && strncasecmp(p, w, n) == 0 ? n : 0;
}

/* An SQL-standard function body (BEGIN ATOMIC ... END) holds statements of
 * its own: its ';' end nothing until the END that matches (CASE ... END
 * inside it counted, as psql counts them). Only BEGIN followed by ATOMIC
 * opens one, so a column named begin is still a column. Returns the new
 * depth and moves *pp past the word at *pp. */
static int
atomic_depth(const char **pp, int depth)
{
	const char *p = *pp, *q;
	size_t n = strspn(p, WORD_CHARS);

	if (depth == 0 && word_is(p, "begin") > 0) {
		for (q = p + n; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++)
			;
		if (word_is(q, "atomic") > 0) {
			*pp = q + strlen("atomic");
			return 1;
		}
	} else if (depth > 0 && word_is(p, "case") > 0)
		depth++;
	else if (depth > 0 && word_is(p, "end") > 0)
		depth--;
	*pp = p + n;
	return depth;
}

const char *
sqltext_statement_end(const char *s)
{
	const char *p = s, *e;
	int depth, atomic = 0;

	while (*p != '\0') {
		if (*p == ';' && atomic == 0)
			return p + 1;
		if (*p == '\'' || *p == '"') {
			char q = *p;

			for (p++; *p != '\0'; p++)
				if (*p == q && p[1] == q)
					p++;
				else if (*p == q)
					break;
			p += *p != '\0';
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (depth = 1, p += 2; *p != '\0' && depth > 0; p++) {
				if (p[0] == '/' && p[1] == '*')
					depth++, p++;
				else if (p[0] == '*' && p[1] == '/')
					depth--, p++;
			}
		} else if (*p == '$' && (e = strchr(p + 1, '$')) != NULL &&
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") ==
		    (size_t)(e - p - 1) && (p == s || !strchr("_0123456789", p[-1]))) {
			/* $tag$ ... $tag$: a function body's ';' ends nothing. */
			size_t taglen = (size_t)(e - p) + 1;
			const char *close;

			for (close = e + 1; (close = strchr(close, '$')) != NULL; close++)
				if (strncmp(close, p, taglen) == 0)
					break;
			p = close != NULL ? close + taglen : p + strlen(p);
		} else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z' &&
		    (p == s || strchr(WORD_CHARS, p[-1]) == NULL)) {
			atomic = atomic_depth(&p, atomic);
		} else {
			p++;
		}
	}
	return p;
}

bool
sqltext_blank(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ';')
			i++;
		else if (i + 1 < n && s[i] == '-' && s[i + 1] == '-')
			while (i < n && s[i] != '\n')
				i++;
		else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
				;
			i += 2;
		} else
			return false;
	}
	return true;
}

const char *
sqltext_skip_space(const char *s, const char *end)
{
	while (s < end && (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t'))
		s++;
	return s;
}

static int
line_of(const char *text, const char *at)
{
	int line = 1;

	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

/* Past whitespace and comments, to the first word. */
static const char *
skip_blank(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		else if (p + 1 < end && p[0] == '-' && p[1] == '-')
			while (p < end && *p != '\n')
				p++;
		else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
				;
			p = p + 2 < end ? p + 2 : end;
		} else
			break;
	}
	return p;
}

char *
sqltext_error(const char *file, const char *text, const char *stmt, size_t len, int n,
    const char *msg, const char *secret)
{
	const char *end = stmt + len;
	struct sbuf sb;
	char *first, *e;
	size_t i;

	/* Leading blank lines and comments are not the statement's start: the
	 * line named is that of its first word. */
	stmt = skip_blank(stmt, stmt + len);
	len = (size_t)(end - stmt);
	sbuf_init(&sb);
	for (i = 0; i < len && sb.len < SHOWN_MAX; i++)
		sbuf_addc(&sb, stmt[i] == '\n' || stmt[i] == '\t' || stmt[i] == '\r' ? ' ' : stmt[i]);
	if (i < len)
		sbuf_add(&sb, "...");
	first = str_first_line(msg != NULL ? msg : "unknown error", secret);
	e = xasprintf("%s:%d: statement %d (%s) failed: %s", file, line_of(text, stmt), n,
	    sb.buf != NULL ? sb.buf : "", first);
	free(first);
	sbuf_free(&sb);
	return e;
}

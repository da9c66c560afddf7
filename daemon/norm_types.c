/* norm_types.c — column types and identifiers in canonical spelling.
 *
 * Type names are folded as PostgreSQL's format_type() spells them (int4 is
 * "integer"), SQLite's declared types upper-cased; identifiers lose the quotes
 * they do not need. Part of normalize.h's API; see norm_int.h. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "norm_int.h"

/* ---- types ---------------------------------------------------------------- */

/* Whitespace collapsed and dropped around "(", ",", "[" and before ")",
 * so "varchar ( 10 )" is "varchar(10)" while "timestamp(3) with time zone"
 * keeps its words apart. */
static char *
collapse_type(const char *s)
{
	struct sbuf sb;
	bool space = false;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = true;
			continue;
		}
		if (space && sb.len > 0 && !strchr("(,[)]", *s) &&
		    !strchr("(,[", sb.buf[sb.len - 1]))
			sbuf_addc(&sb, ' ');
		space = false;
		sbuf_addc(&sb, *s);
	}
	return sbuf_steal(&sb);
}

/* PostgreSQL's aliases, as format_type() spells the type. */
static const struct {
	const char	*alias, *canonical;
} pg_types[] = {
	{ "int", "integer" }, { "int4", "integer" }, { "integer", "integer" },
	{ "int8", "bigint" }, { "bigint", "bigint" },
	{ "int2", "smallint" }, { "smallint", "smallint" },
	{ "bool", "boolean" }, { "boolean", "boolean" },
	{ "float8", "double precision" }, { "double precision", "double precision" },
	{ "float4", "real" }, { "real", "real" },
	{ "timestamptz", "timestamp with time zone" },
	{ "timestamp with time zone", "timestamp with time zone" },
	{ "timestamp", "timestamp without time zone" },
	{ "timestamp without time zone", "timestamp without time zone" },
	{ "timetz", "time with time zone" },
	{ "time with time zone", "time with time zone" },
	{ "time", "time without time zone" },
	{ "time without time zone", "time without time zone" },
	{ "varchar", "character varying" }, { "char varying", "character varying" },
	{ "character varying", "character varying" },
	{ "char", "character" }, { "character", "character" },
	{ "decimal", "numeric" }, { "numeric", "numeric" },
	{ "varbit", "bit varying" },
};

static const char *
pg_type_alias(const char *words)
{
	size_t i;

	for (i = 0; i < sizeof pg_types / sizeof pg_types[0]; i++)
		if (strcmp(pg_types[i].alias, words) == 0)
			return pg_types[i].canonical;
	return words;
}

/* float(p) is real up to 24 bits of precision, double precision above. */
static const char *
pg_float(const char *mod)
{
	return atoi(mod + 1) <= 24 ? "real" : "double precision";
}

/* words (lower case, unquoted) + modifier "(...)" or "" -> format_type(). */
static char *
pg_type_base(const char *words, const char *mod)
{
	const char *canon = pg_type_alias(words);
	size_t first;

	if (strcmp(words, "float") == 0)
		return xstrdup(*mod ? pg_float(mod) : "double precision");
	if (strcmp(words, "bpchar") == 0 && *mod)
		canon = "character";
	if (strcmp(canon, "character") == 0 && *mod == '\0' &&
	    strcmp(words, "bpchar") != 0)
		mod = "(1)";		/* char is char(1) */
	/* the time types carry their precision after the first word */
	if (strncmp(canon, "time", 4) == 0 && *mod) {
		first = strcspn(canon, " ");
		return xasprintf("%.*s%s%s", (int)first, canon, mod, canon + first);
	}
	return xasprintf("%s%s", canon, mod);
}

/* At most one "(...)": the shapes format_type() writes ("numeric(10,2)",
 * "timestamp(3) with time zone"). */
static bool
pg_type_shaped(const char *t)
{
	const char *open = strchr(t, '('), *close = strchr(t, ')');

	if (open == NULL)
		return close == NULL;
	return close != NULL && close > open && strchr(open + 1, '(') == NULL &&
	    strchr(close + 1, ')') == NULL;
}

/* Splits "name(mod) words[]" into words, modifier and array suffix. Text of
 * another shape is kept as it is (collapsed, lower case): moving its first
 * "(...)" to the end would give a form that changes again when normalized
 * again (found by fuzzing). */
static char *
pg_type(const char *collapsed)
{
	char *t, *words, *mod, *arr, *open, *close, *out;
	struct sbuf sb;
	size_t i, dims = 0, wlen, skip;

	if (!pg_type_shaped(collapsed))
		return xstrdup(collapsed);
	/* A quoted part is a user's type: no alias applies, and a "(" or "["
	 * inside the quotes is part of its name, not a modifier (found by
	 * fuzz_normalize). Only the schema pg_catalog goes, so that the next
	 * pass can unquote a plain "name". */
	if (strchr(collapsed, '"') != NULL) {
		skip = strncmp(collapsed, "pg_catalog.", 11) == 0 ?
		    11 + (collapsed[11] == ' ') : 0;
		return xstrdup(collapsed + skip);
	}
	t = xstrdup(collapsed);

	if ((arr = strchr(t, '[')) != NULL) {
		for (i = 0; arr[i]; i++)
			dims += arr[i] == '[';
		*arr = '\0';
	}
	mod = xstrdup("");
	if ((open = strchr(t, '(')) != NULL && (close = strchr(open, ')')) != NULL) {
		free(mod);
		mod = xstrndup(open, (size_t)(close - open + 1));
		memmove(open, close + 1, strlen(close + 1) + 1);
	}
	words = collapse_type(t);
	wlen = strlen(words);
	if (wlen >= 11 && memcmp(words, "pg_catalog.", 11) == 0) {
		skip = 11 + (words[11] == ' ');	/* "pg_catalog. x": no blank left first */
		memmove(words, words + skip, wlen - skip + 1);
	}
	sbuf_init(&sb);
	out = pg_type_base(words, mod);
	sbuf_add(&sb, out);
	for (i = 0; i < dims; i++)
		sbuf_add(&sb, "[]");
	free(out);
	free(words);
	free(mod);
	free(t);
	return sbuf_steal(&sb);
}

/* Lower case, with a "quoted" plain name unquoted. "char" (the one-byte
 * type) is not char (character(1)): it keeps its quotes. */
/* Lower case outside "quoted" parts: og."Ab" is not og."ab" (found by
 * fuzz_normalize: the next pass then unquoted the lowered name). A doubled
 * quote toggles twice and stays inside. */
static void
lower_unquoted(char *s)
{
	bool quoted = false;

	for (; *s != '\0'; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted)
			*s = (char)tolower((unsigned char)*s);
	}
}

static char *
pg_type_unquote(const char *s)
{
	char *t = xstrdup(s), *end = NULL;

	/* The closing quote, past any doubled quote (a quote inside the name):
	 * such a name is no plain name, and its escape is no end (found by
	 * fuzz_normalize: a type quoted with a doubled quote in it lost its
	 * quotes and could not be read back). */
	if (t[0] == '"')
		for (end = t + 1; *end != '\0'; end++) {
			if (end[0] != '"')
				continue;
			if (end[1] != '"')
				break;
			end++;
		}
	if (end != NULL && *end == '"') {
		*end = '\0';
		if (strcmp(t + 1, "char") == 0 || strchr(t + 1, '"') != NULL ||
		    !norm_is_plain_ident(t + 1)) {
			*end = '"';
			return t;
		}
		memmove(end, end + 1, strlen(end + 1) + 1);
		memmove(t, t + 1, strlen(t + 1) + 1);
	}
	lower_unquoted(t);
	return t;
}

/* One pass over a PostgreSQL type: collapsed, unquoted, aliases folded. */
static char *
pg_type_pass(const char *s)
{
	char *c, *u, *out;

	c = collapse_type(s);
	u = pg_type_unquote(c);
	free(c);
	if (u[0] == '"')
		return u;
	out = pg_type(u);
	free(u);
	return out;
}

/* Passes until nothing changes: one for every real type; odd text can need
 * more ('pg_catalog."a""b"' drops the schema, and only the next pass sees
 * the quote that is now first; found by fuzz_normalize). Each pass removes
 * a quote or a "pg_catalog." (the first folded case and aliases), so it
 * ends; the bound is a guard. */
#define PG_TYPE_MAX_PASSES	16

char *
norm_type(enum cat_dialect d, const char *s)
{
	char *out, *again;
	int i;

	if (s == NULL)
		return NULL;
	if (d == CAT_SQLITE) {
		out = collapse_type(s);
		norm_upper(out);
		return out;
	}
	out = pg_type_pass(s);
	for (i = 0; i < PG_TYPE_MAX_PASSES; i++) {
		again = pg_type_pass(out);
		if (strcmp(again, out) == 0) {
			free(again);
			break;
		}
		free(out);
		out = again;
	}
	return out;
}

static const struct {
	enum cat_dialect	 d;
	const char		*type, *logical;
} logical_types[] = {
	{ CAT_PG, "uuid", "uuid" }, { CAT_PG, "text", "text" },
	{ CAT_PG, "jsonb", "json" }, { CAT_PG, "json", "json" },
	{ CAT_PG, "integer", "integer" },
	{ CAT_PG, "timestamp with time zone", "timestamp" },
	{ CAT_SQLITE, "TEXT", "text" }, { CAT_SQLITE, "INTEGER", "integer" },
};

const char *
norm_type_logical(enum cat_dialect d, const char *type)
{
	size_t i;

	for (i = 0; type && i < sizeof logical_types / sizeof logical_types[0]; i++)
		if (logical_types[i].d == d && strcmp(logical_types[i].type, type) == 0)
			return logical_types[i].logical;
	return NULL;
}

/* V7's storage of PostgreSQL types in SQLite; a prefix ending in "(" also
 * matches the type with any modifier. */
static const struct {
	const char	*pg, *sqlite;
} pg_to_sqlite[] = {
	/* Only V7's own mapping (v7-schema.md): a prod column that is bigint or
	 * varchar where V7 says integer or text must not look equal to a dev
	 * column that follows V7, or dev-vs-prod divergence would go unseen. */
	{ "uuid", "TEXT" }, { "text", "TEXT" }, { "jsonb", "TEXT" },
	{ "timestamp with time zone", "TEXT" }, { "integer", "INTEGER" },
};

const char *
norm_type_pg_to_sqlite(const char *type)
{
	size_t i, len;

	for (i = 0; type && i < sizeof pg_to_sqlite / sizeof pg_to_sqlite[0]; i++) {
		len = strlen(pg_to_sqlite[i].pg);
		if (pg_to_sqlite[i].pg[len - 1] == '(' ?
		    strncmp(pg_to_sqlite[i].pg, type, len) == 0 :
		    strcmp(pg_to_sqlite[i].pg, type) == 0)
			return pg_to_sqlite[i].sqlite;
	}
	return NULL;
}

/* ---- identifiers ---------------------------------------------------------- */

/* One "quoted" part (also `x` and [x]); returns the position after it. */
static const char *
ident_quoted(struct sbuf *sb, const char *s)
{
	char close = *s == '[' ? ']' : *s;
	struct sbuf name;

	sbuf_init(&name);
	sbuf_add(&name, "");
	for (s++; *s; s++) {
		if (*s == close && close != ']' && s[1] == close)
			s++;
		else if (*s == close)
			break;
		sbuf_addc(&name, *s);
	}
	if (*s == close) {
		if (norm_is_plain_ident(name.buf))
			sbuf_add(sb, name.buf);
		else
			norm_add_quoted_ident(sb, name.buf);
		s++;
	} else
		s = NULL;
	sbuf_free(&name);
	return s;
}

static const char *
ident_part(struct sbuf *sb, const char *s)
{
	const char *start = s;

	if (*s == '"' || *s == '`' || *s == '[')
		return ident_quoted(sb, s);
	while (norm_is_ident_char((unsigned char)*s))
		s++;
	if (s == start || isdigit((unsigned char)*start))
		return NULL;
	for (; start < s; start++)
		sbuf_addc(sb, (char)tolower((unsigned char)*start));
	return s;
}

/* name or schema.name, each part as norm_ident's contract says; text that
 * is not an identifier falls back like an expression. */
char *
norm_ident(const char *s)
{
	struct sbuf sb;
	const char *p = s;

	if (s == NULL)
		return NULL;
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if ((p = ident_part(&sb, p)) == NULL)
			break;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '.')
			break;
		sbuf_addc(&sb, *p++);
	}
	if (p == NULL || *p != '\0') {
		sbuf_free(&sb);
		return norm_fallback(s);
	}
	return sbuf_steal(&sb);
}

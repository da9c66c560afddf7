/* norm_lex.c — SQL text to tokens, for the normalizer (see norm_int.h).
 *
 * Unquoted identifiers are folded to lower case here, so that the parser
 * and printer never see case; quoted ones keep theirs (SQLite's fold too,
 * SQLite compares them without regard to ASCII case). Strings are kept
 * byte-exact, quotes included. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <string.h>

#include "norm_int.h"

/* ---- small string helpers ------------------------------------------------- */

bool
norm_is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

bool
norm_is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* A name that needs no quotes: what an unquoted identifier folds to. */
bool
norm_is_plain_ident(const char *s)
{
	if (!norm_is_ident_start((unsigned char)*s) || isupper((unsigned char)*s))
		return false;
	for (s++; *s; s++)
		if (!norm_is_ident_char((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

void
norm_add_quoted_ident(struct sbuf *sb, const char *name)
{
	sbuf_addc(sb, '"');
	for (; *name; name++) {
		if (*name == '"')
			sbuf_addc(sb, '"');
		sbuf_addc(sb, *name);
	}
	sbuf_addc(sb, '"');
}

void
norm_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void
norm_upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* "-12", "1.5", "1e3", ".5": the text of a numeric literal, optionally signed. */
bool
norm_is_number(const char *s)
{
	bool digits = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits = true;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* ---- keywords ------------------------------------------------------------- */

/* The LIKE family shares KW_LIKE: the operator's name is the keyword's
 * spelling. */
static const struct {
	const char	*word;
	enum kw		 kw;
} keywords[] = {
	{ "and", KW_AND }, { "or", KW_OR }, { "not", KW_NOT }, { "is", KW_IS },
	{ "null", KW_NULL }, { "true", KW_TRUE }, { "false", KW_FALSE },
	{ "unknown", KW_UNKNOWN }, { "in", KW_IN },
	/* The LIKE family: the operator's name is the keyword's spelling. */
	{ "like", KW_LIKE }, { "ilike", KW_LIKE }, { "glob", KW_LIKE },
	{ "regexp", KW_LIKE }, { "match", KW_LIKE },
	{ "between", KW_BETWEEN }, { "distinct", KW_DISTINCT }, { "from", KW_FROM },
	{ "for", KW_FOR }, { "case", KW_CASE }, { "when", KW_WHEN },
	{ "then", KW_THEN }, { "else", KW_ELSE }, { "end", KW_END },
	{ "cast", KW_CAST }, { "as", KW_AS }, { "collate", KW_COLLATE },
	{ "array", KW_ARRAY }, { "any", KW_ANY }, { "some", KW_ANY },
	{ "all", KW_ALL }, { "escape", KW_ESCAPE }, { "isnull", KW_ISNULL },
	{ "notnull", KW_NOTNULL },
	{ "current_timestamp", KW_VALUE }, { "current_date", KW_VALUE },
	{ "current_time", KW_VALUE }, { "localtimestamp", KW_VALUE },
	{ "localtime", KW_VALUE }, { "current_user", KW_VALUE },
	{ "session_user", KW_VALUE }, { "current_role", KW_VALUE },
	{ "current_catalog", KW_VALUE }, { "user", KW_VALUE },
	{ "select", KW_RESERVED }, { "where", KW_RESERVED },
	{ "exists", KW_RESERVED }, { "symmetric", KW_RESERVED },
	{ "order", KW_RESERVED }, { "by", KW_RESERVED }, { "over", KW_RESERVED },
	{ "filter", KW_RESERVED }, { "within", KW_RESERVED },
};

enum kw
norm_keyword(const char *lower)
{
	size_t i;

	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(keywords[i].word, lower) == 0)
			return keywords[i].kw;
	return KW_NONE;
}

/* ---- tokens --------------------------------------------------------------- */
/* Operators, matched longest first. PostgreSQL's deparser writes LIKE as
 * ~~ and friends; jsonb and regex operators are kept as "other" operators. */
static const char *const operators[] = {
	"!~~*", "!~~", "~~*", "->>", "#>>", "!~*", "::", "<>", "!=", ">=", "<=",
	"==", "||", "~~", "!~", "~*", "->", "#>", "@>", "<@", "?|", "?&", "<<",
	">>", "&&", "=", "<", ">", "+", "-", "*", "/", "%", "^", "~", "&", "|",
	"#", "@", "?",
};

/* Ends the parse of this text: normalize() gets control back, and the text
 * is unparsable for the reason given (NULL: a syntax error). */
void
norm_fail(struct parser *p, const char *why)
{
	p->why = why != NULL ? why : "syntax error";
	longjmp(p->fail, 1);
}

static void
push_tok(struct parser *p, enum tkind kind, char *text)
{
	struct tok *t;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->t = xreallocarray(p->t, p->cap, sizeof *p->t);
	}
	t = &p->t[p->n++];
	t->kind = kind;
	t->text = text;
	t->kw = KW_NONE;
	if (kind == T_IDENT)
		t->kw = norm_keyword(text);
}

/* Skips whitespace and comments; returns the next significant character. */
static const char *
skip_space(struct parser *p, const char *s)
{
	for (;;) {
		if (isspace((unsigned char)*s))
			s++;
		else if (s[0] == '-' && s[1] == '-')
			s += strcspn(s, "\n");
		else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			if (e == NULL)
				norm_fail(p, "unterminated comment");
			s = e + 2;
		} else
			return s;
	}
}

/* A 'string' (or E'string' with backslash escapes), kept byte-exact. */
static const char *
lex_string(struct parser *p, const char *s, bool backslash)
{
	const char *start = s;

	if (*s == 'E' || *s == 'e')
		s++;
	for (s++;; s++) {
		if (*s == '\0')
			norm_fail(p, "unterminated string");
		if (backslash && *s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '\'' && s[1] == '\'')
			s++;
		else if (*s == '\'')
			break;
	}
	s++;
	push_tok(p, T_STRING, norm_strndup(p->ar, start, (size_t)(s - start)));
	if (backslash)
		p->t[p->n - 1].text[0] = 'E';
	return s;
}

/* A quoted identifier: "x" (and in SQLite `x` and [x]). SQLite compares
 * even quoted names without regard to ASCII case, so there they fold too. */
static const char *
lex_qident(struct parser *p, const char *s)
{
	char close = *s == '[' ? ']' : *s;
	struct sbuf sb;
	char *text;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (s++;; s++) {
		if (*s == '\0') {
			sbuf_free(&sb);
			norm_fail(p, "unterminated quoted identifier");
		}
		if (*s == close && close != ']' && s[1] == close)
			s++;
		else if (*s == close)
			break;
		sbuf_addc(&sb, *s);
	}
	text = norm_adopt(p->ar, sbuf_steal(&sb));
	if (p->d == CAT_SQLITE)
		norm_lower(text);
	push_tok(p, T_QIDENT, text);
	return s + 1;
}

static const char *
lex_word(struct parser *p, const char *s)
{
	const char *start = s;
	char *text;

	while (norm_is_ident_char((unsigned char)*s))
		s++;
	text = norm_strndup(p->ar, start, (size_t)(s - start));
	norm_lower(text);
	push_tok(p, T_IDENT, text);
	return s;
}

static const char *
lex_number(struct parser *p, const char *s)
{
	const char *start = s;

	while (isdigit((unsigned char)*s) || *s == '.')
		s++;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	    ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2]))))
		s += 2;
	while (isalnum((unsigned char)*s) || *s == '_')	/* 0x1F, 1e10 */
		s++;
	push_tok(p, T_NUMBER, norm_strndup(p->ar, start, (size_t)(s - start)));
	return s;
}

static const char *
lex_operator(struct parser *p, const char *s)
{
	size_t i, len, best = 0;

	for (i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		len = strlen(operators[i]);
		if (len > best && strncmp(s, operators[i], len) == 0)
			best = len;
	}
	if (best == 0)
		norm_fail(p, "unknown operator");
	push_tok(p, T_OP, norm_strndup(p->ar, s, best));
	return s + best;
}

static const char *
lex_one(struct parser *p, const char *s)
{
	static const char punct[] = "(),.[]";
	static const enum tkind pkind[] = {
		T_LPAREN, T_RPAREN, T_COMMA, T_DOT, T_LBRACK, T_RBRACK,
	};
	const char *c;

	if ((*s == 'E' || *s == 'e') && s[1] == '\'' && p->d == CAT_PG)
		return lex_string(p, s, true);
	if (norm_is_ident_start((unsigned char)*s))
		return lex_word(p, s);
	if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1])))
		return lex_number(p, s);
	if (*s == '\'')
		return lex_string(p, s, false);
	if (*s == '"' || (p->d == CAT_SQLITE && (*s == '`' || *s == '[')))
		return lex_qident(p, s);
	if ((c = strchr(punct, *s)) != NULL) {
		push_tok(p, pkind[c - punct], NULL);
		return s + 1;
	}
	return lex_operator(p, s);
}

void
norm_lex(struct parser *p, const char *s)
{
	for (s = skip_space(p, s); *s; s = skip_space(p, s))
		s = lex_one(p, s);
	push_tok(p, T_EOF, NULL);
}

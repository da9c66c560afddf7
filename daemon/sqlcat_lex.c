/* sqlcat_lex.c — the small SQL tokenizer of sqlcat (see sqlcat_int.h).
 *
 * Not a parser: it only has to find the pieces of a CREATE statement that
 * SQLite does not expose through its pragmas, so it knows strings, the three
 * kinds of quoted identifiers, comments and parentheses, and nothing else. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlcat_int.h"
#include "util.h"

static bool
is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Skip whitespace and comments; an unterminated block comment ends the text. */
static const char *
skip_space(const char *p, bool *gap)
{
	for (;;) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e != NULL ? e + 2 : p + strlen(p);
		} else
			return p;
		*gap = true;
	}
}

/* End of a quoted token opened at p with closing character q; a doubled
 * closing character is an escaped one (not for [..]). */
static const char *
quoted_end(const char *p, char q, bool doubling)
{
	for (p++; *p; p++) {
		if (*p != q)
			continue;
		if (doubling && p[1] == q) {
			p++;
			continue;
		}
		return p + 1;
	}
	return p;
}

void
sql_lex(const char *sql, struct toks *ts)
{
	const char *p = sql, *e;
	struct tok t;

	ts->v = NULL;
	ts->n = 0;
	for (;;) {
		t.gap = false;
		p = skip_space(p, &t.gap);
		if (*p == '\0')
			break;
		t.s = p;
		switch (*p) {
		case '\'':
			t.kind = TK_STRING;
			e = quoted_end(p, '\'', true);
			break;
		case '"':
			t.kind = TK_QIDENT;
			e = quoted_end(p, '"', true);
			break;
		case '`':
			t.kind = TK_QIDENT;
			e = quoted_end(p, '`', true);
			break;
		case '[':
			t.kind = TK_QIDENT;
			e = quoted_end(p, ']', false);
			break;
		default:
			if (is_word_char((unsigned char)*p)) {
				t.kind = TK_WORD;
				for (e = p; is_word_char((unsigned char)*e); e++)
					;
			} else {
				t.kind = TK_PUNCT;
				e = p + 1;
			}
		}
		t.n = (size_t)(e - p);
		p = e;
		ts->v = xreallocarray(ts->v, (size_t)ts->n + 1, sizeof *ts->v);
		ts->v[ts->n++] = t;
	}
}

bool
tok_kw(const struct toks *ts, int i, const char *kw)
{
	const struct tok *t;

	if (i < 0 || i >= ts->n)
		return false;
	t = &ts->v[i];
	return t->kind == TK_WORD && t->n == strlen(kw) && strncasecmp(t->s, kw, t->n) == 0;
}

bool
tok_punct(const struct toks *ts, int i, char c)
{
	return i >= 0 && i < ts->n && ts->v[i].kind == TK_PUNCT && ts->v[i].s[0] == c;
}

/* Index of the ')' matching the '(' at i, or -1 when unbalanced. */
int
match_paren(const struct toks *ts, int i)
{
	int depth = 0;

	for (; i < ts->n; i++) {
		if (tok_punct(ts, i, '('))
			depth++;
		else if (tok_punct(ts, i, ')') && --depth == 0)
			return i;
	}
	return -1;
}

/* The text of tokens [from, to) as the database spelled it, with every run
 * of whitespace and comments made one space: a comment in a CHECK body is
 * not part of the expression. */
char *
toks_text(const struct toks *ts, int from, int to)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (i = from; i < to; i++) {
		if (i > from && ts->v[i].gap)
			sbuf_addc(&sb, ' ');
		sbuf_addn(&sb, ts->v[i].s, ts->v[i].n);
	}
	return sbuf_steal(&sb);
}

/* An identifier token without its quotes. */
char *
tok_ident(const struct tok *t)
{
	struct sbuf sb;
	size_t i;
	char q;

	if (t->kind != TK_QIDENT && t->kind != TK_STRING)
		return xstrndup(t->s, t->n);
	q = t->s[0] == '[' ? ']' : t->s[0];
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (i = 1; i < t->n; i++) {
		if (t->s[i] == q) {
			if (q != ']' && i + 1 < t->n && t->s[i + 1] == q)
				i++;
			else
				break;
		}
		sbuf_addc(&sb, t->s[i]);
	}
	return sbuf_steal(&sb);
}

int
split_items(const struct toks *ts, int open, int close, struct span **out)
{
	struct span *v = NULL;
	int i, n = 0, depth = 0, start = open + 1;

	for (i = open + 1; i <= close; i++) {
		if (i < close && tok_punct(ts, i, '(')) {
			depth++;
		} else if (i < close && tok_punct(ts, i, ')')) {
			depth--;
		} else if (i == close || (depth == 0 && tok_punct(ts, i, ','))) {
			if (i > start) {
				v = xreallocarray(v, (size_t)n + 1, sizeof *v);
				v[n].from = start;
				v[n].to = i;
				n++;
			}
			start = i + 1;
		}
	}
	*out = v;
	return n;
}

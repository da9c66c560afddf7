/* normalize.c — PLACEHOLDER being replaced by the real normalizer (see normalize.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

static char *
collapse(const char *s)
{
	struct sbuf sb;

	sbuf_init(&sb);
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (sb.len > 0 && sb.buf[sb.len - 1] != ' ')
				sbuf_addc(&sb, ' ');
		} else
			sbuf_addc(&sb, (char)tolower((unsigned char)*s));
	}
	return sbuf_steal(&sb);
}

char *norm_expr(enum cat_dialect d, const char *s) { (void)d; return collapse(s); }
char *norm_default(enum cat_dialect d, const char *s) { (void)d; return collapse(s); }
char *norm_type(enum cat_dialect d, const char *s) { (void)d; return collapse(s); }
const char *norm_type_logical(enum cat_dialect d, const char *s) { (void)d; (void)s; return NULL; }
const char *norm_type_pg_to_sqlite(const char *s) { (void)s; return NULL; }
char *norm_ident(const char *s) { return collapse(s); }

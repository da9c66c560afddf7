/* pgobj.c — joining the object fragments into one sub-select (pgobj.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pgobj.h"
#include "util.h"

/* Replace every token of text by its value. */
static void
subst(struct sbuf *sb, const char *text, const char *const tokens[][2], size_t ntokens)
{
	const char *s = text, *at;
	size_t i, len;

	while ((at = strchr(s, '@')) != NULL) {
		sbuf_addn(sb, s, (size_t)(at - s));
		for (i = 0; i < ntokens; i++) {
			len = strlen(tokens[i][0]);
			if (strncmp(at, tokens[i][0], len) == 0)
				break;
		}
		if (i < ntokens) {
			sbuf_add(sb, tokens[i][1]);
			s = at + len;
		} else {
			sbuf_addc(sb, '@');
			s = at + 1;
		}
	}
	sbuf_add(sb, s);
}

char *
pgobj_query(const char *nsp, const char *schema, const char *tables, const char *names)
{
	const char *const tokens[][2] = {
		{ "@NSP@", nsp }, { "@SCHEMA@", schema }, { "@TABLES@", tables },
		{ "@NAMES@", names },
	};
	const char *const *lists[] = { pgobj_rel_fragments, pgobj_code_fragments };
	struct sbuf sb;
	size_t l, i;
	bool first = true;

	sbuf_init(&sb);
	sbuf_add(&sb, "(SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object("
	    "'kind', o.kind, 'name', o.name, 'table', o.tbl, 'properties', o.props) "
	    "ORDER BY o.kind, o.name, o.tbl), '[]'::json) FROM (\n");
	for (l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (i = 0; lists[l][i] != NULL; i++) {
			if (!first)
				sbuf_add(&sb, "\n UNION ALL\n");
			first = false;
			subst(&sb, lists[l][i], tokens, sizeof tokens / sizeof tokens[0]);
		}
	if (first)
		sbuf_add(&sb, " SELECT NULL::text, NULL::text, NULL::text, NULL::json WHERE false");
	sbuf_add(&sb, "\n) AS o(kind, name, tbl, props))");
	return sbuf_steal(&sb);
}

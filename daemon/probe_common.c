/* probe_common.c — what both probes share: a result's lifetime and the redaction
 * of libpq's messages. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "catalog.h"
#include "pgcat.h"
#include "probe_int.h"
#include "util.h"

void
probe_result_free(struct probe_result *r)
{
	if (r == NULL)
		return;
	free(r->error);
	cat_free(r->cat);
	cat_version_free(&r->version);
	pgcat_schemas_free(r->schemas, r->nschemas);
	free(r);
}

/* libpq's conninfo syntax errors quote pieces of the string, which may be
 * the password: blank out everything between double quotes. */
char *
probe_redact_quoted(const char *msg)
{
	struct sbuf sb;
	bool quoted = false;
	char *line = str_first_line(msg, NULL), *p;

	sbuf_init(&sb);
	for (p = line; *p != '\0'; p++) {
		if (*p == '"') {
			sbuf_add(&sb, quoted ? "\"" : "\"...");
			quoted = !quoted;
		} else if (!quoted)
			sbuf_addc(&sb, *p);
	}
	free(line);
	return sbuf_steal(&sb);
}

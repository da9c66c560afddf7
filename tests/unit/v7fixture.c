/* v7fixture.c — see v7fixture.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "definition.h"
#include "util.h"
#include "v7fixture.h"

struct catalog *
canonical_v7(enum cat_dialect d)
{
	const char *src = getenv("SW_SRCDIR");
	struct definition *def;
	struct catalog *c;
	char *dir, *err = NULL;

	/* Loaded as the daemon loads it: def_load_full() also lends the
	 * PostgreSQL constraint names to the SQLite catalog. */
	dir = xasprintf("%s/sql/prompter", src != NULL ? src : ".");
	if ((def = def_load_full(dir, &err)) == NULL) {
		printf("Bail out! %s (is SW_SRCDIR set?)\n", err);
		exit(1);
	}
	c = def->revs[0].step[d].compiled;
	def->revs[0].step[d].compiled = NULL;
	def_free(def);
	free(dir);
	return c;
}
